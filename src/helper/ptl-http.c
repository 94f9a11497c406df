/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ptl-http.h"

static const char response_keep_alive[] =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world\n";
static const char response_close[] =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, world\n";
static const char response_bad[] =
  "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/* @line (without its CRLF) is "NAME: value": compares NAME case-blind. */
static const char *
header_value (const char *line,
              size_t      length,
              const char *name)
{
  size_t n = strlen (name);

  if (length <= n || line[n] != ':' || strncasecmp (line, name, n) != 0)
    return NULL;
  line += n + 1;
  while (*line == ' ' || *line == '\t')
    line++;
  return line;
}

static int
token_is (const char *value,
          const char *end,
          const char *token)
{
  size_t n = strlen (token);

  while (value < end && (*value == ' ' || *value == '\t'))
    value++;
  while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  return (size_t) (end - value) == n && strncasecmp (value, token, n) == 0;
}

PtlHttpStatus
ptl_http_parse (const char     *data,
                size_t          length,
                PtlHttpRequest *request)
{
  const char *end = memmem (data, length < PTL_HTTP_MAX_REQUEST ? length : PTL_HTTP_MAX_REQUEST, "\r\n\r\n", 4);
  const char *line, *next, *space, *version;
  unsigned long long content_length = 0;
  int http10, keep_alive, close_asked = 0, keep_asked = 0, have_length = 0;
  size_t head;

  if (end == NULL)
    return length >= PTL_HTTP_MAX_REQUEST ? PTL_HTTP_MALFORMED : PTL_HTTP_NEED_MORE;
  head = (size_t) (end - data) + 4;

  /* "METHOD SP TARGET SP HTTP/1.x" */
  next = memmem (data, head, "\r\n", 2);
  space = memchr (data, ' ', (size_t) (next - data));
  if (space == NULL || space == data)
    return PTL_HTTP_MALFORMED;
  for (const char *c = data; c < space; c++)
    if (*c < 'A' || *c > 'Z')
      return PTL_HTTP_MALFORMED;
  version = memchr (space + 1, ' ', (size_t) (next - space - 1));
  if (version == NULL || version == space + 1 || next - version - 1 != 8 ||
      strncmp (version + 1, "HTTP/1.", 7) != 0 || (version[8] != '0' && version[8] != '1'))
    return PTL_HTTP_MALFORMED;
  http10 = version[8] == '0';
  request->is_get = (space - data == 3 && strncmp (data, "GET", 3) == 0) ||
                    (space - data == 4 && strncmp (data, "HEAD", 4) == 0);

  for (line = next + 2; line < end + 2; line = next + 2)
    {
      const char *value;

      next = memmem (line, (size_t) (end + 2 - line), "\r\n", 2);
      if (next == line)
        break;
      if (memchr (line, ':', (size_t) (next - line)) == NULL)
        return PTL_HTTP_MALFORMED;
      if ((value = header_value (line, (size_t) (next - line), "Connection")) != NULL)
        {
          close_asked |= token_is (value, next, "close");
          keep_asked |= token_is (value, next, "keep-alive");
        }
      else if ((value = header_value (line, (size_t) (next - line), "Content-Length")) != NULL)
        {
          char *stop;

          if (have_length || *value < '0' || *value > '9')
            return PTL_HTTP_MALFORMED;
          content_length = strtoull (value, &stop, 10);
          while (stop < next && (*stop == ' ' || *stop == '\t'))
            stop++;
          if (stop != next || content_length > PTL_HTTP_MAX_REQUEST)
            return PTL_HTTP_MALFORMED;
          have_length = 1;
        }
      else if (header_value (line, (size_t) (next - line), "Transfer-Encoding") != NULL)
        /* Chunked bodies are more than this lab's clients send. */
        return PTL_HTTP_MALFORMED;
    }

  keep_alive = http10 ? keep_asked : !close_asked;
  if (head + content_length > PTL_HTTP_MAX_REQUEST)
    return PTL_HTTP_MALFORMED;
  if (length < head + content_length)
    return PTL_HTTP_NEED_MORE;
  request->length = head + content_length;
  request->keep_alive = keep_alive;
  return PTL_HTTP_COMPLETE;
}

const char *
ptl_http_response (int     keep_alive,
                   size_t *length)
{
  *length = keep_alive ? sizeof response_keep_alive - 1 : sizeof response_close - 1;
  return keep_alive ? response_keep_alive : response_close;
}

const char *
ptl_http_bad_request (size_t *length)
{
  *length = sizeof response_bad - 1;
  return response_bad;
}
