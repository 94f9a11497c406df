/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "ptl-http.h"

/* The servers' HTTP parser: whole, pipelined, split and malformed
 * requests, table-driven. */

typedef struct
{
  const char    *name;
  const char    *data;
  PtlHttpStatus  status;
  size_t         length;     /* of the first request, when complete */
  int            keep_alive;
} Case;

static const Case cases[] = {
  { "simple", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", PTL_HTTP_COMPLETE, 27, 1 },
  { "no headers", "GET / HTTP/1.1\r\n\r\n", PTL_HTTP_COMPLETE, 18, 1 },
  { "close", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", PTL_HTTP_COMPLETE, 37, 0 },
  { "close, any case", "GET / HTTP/1.1\r\nconnection:  Close \r\n\r\n", PTL_HTTP_COMPLETE, 39, 0 },
  { "1.0 closes", "GET / HTTP/1.0\r\n\r\n", PTL_HTTP_COMPLETE, 18, 0 },
  { "1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", PTL_HTTP_COMPLETE, 42, 1 },
  { "body", "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", PTL_HTTP_COMPLETE, 44, 1 },
  { "pipelined", "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", PTL_HTTP_COMPLETE, 19, 1 },
  { "split in the head", "GET / HTTP/1.1\r\nHo", PTL_HTTP_NEED_MORE, 0, 0 },
  { "split before the blank line", "GET / HTTP/1.1\r\nHost: x\r\n", PTL_HTTP_NEED_MORE, 0, 0 },
  { "split in the body", "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nhel", PTL_HTTP_NEED_MORE, 0, 0 },
  { "empty", "", PTL_HTTP_NEED_MORE, 0, 0 },
  { "no version", "GET /\r\n\r\n", PTL_HTTP_MALFORMED, 0, 0 },
  { "lower-case method", "get / HTTP/1.1\r\n\r\n", PTL_HTTP_MALFORMED, 0, 0 },
  { "HTTP/2", "GET / HTTP/2.0\r\n\r\n", PTL_HTTP_MALFORMED, 0, 0 },
  { "header without colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", PTL_HTTP_MALFORMED, 0, 0 },
  { "bad length", "POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\nhello", PTL_HTTP_MALFORMED, 0, 0 },
  { "two lengths", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nh", PTL_HTTP_MALFORMED, 0, 0 },
  { "huge length", "POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", PTL_HTTP_MALFORMED, 0, 0 },
  { "chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", PTL_HTTP_MALFORMED, 0, 0 },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlHttpRequest request = { 0 };
      PtlHttpStatus status = ptl_http_parse (cases[i].data, strlen (cases[i].data), &request);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (status, ==, cases[i].status);
      if (status == PTL_HTTP_COMPLETE)
        {
          g_assert_cmpuint (request.length, ==, cases[i].length);
          g_assert_cmpint (request.keep_alive, ==, cases[i].keep_alive);
        }
    }
}

/* Fed a byte at a time, a pipelined stream gives each request exactly
 * once, at the byte that completes it. */
static void
test_byte_by_byte (void)
{
  const char *stream = "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nConnection: close\r\n\r\n";
  size_t total = strlen (stream), start = 0;
  guint complete = 0;

  for (size_t end = 1; end <= total; end++)
    {
      PtlHttpRequest request;
      PtlHttpStatus status = ptl_http_parse (stream + start, end - start, &request);

      g_assert_cmpint (status, !=, PTL_HTTP_MALFORMED);
      if (status == PTL_HTTP_COMPLETE)
        {
          g_assert_cmpuint (request.length, ==, end - start);
          complete++;
          start = end;
          g_assert_cmpint (request.keep_alive, ==, complete < 3);
        }
    }
  g_assert_cmpuint (complete, ==, 3);
  g_assert_cmpuint (start, ==, total);
}

/* Without an end of headers within the limit, waiting for more would let
 * a client fill the server's memory. */
static void
test_too_long (void)
{
  g_autofree char *head = g_strnfill (PTL_HTTP_MAX_REQUEST + 10, 'a');
  PtlHttpRequest request;

  memcpy (head, "GET / HTTP/1.1\r\nX: ", 19);
  g_assert_cmpint (ptl_http_parse (head, strlen (head), &request), ==, PTL_HTTP_MALFORMED);
  g_assert_cmpint (ptl_http_parse (head, 100, &request), ==, PTL_HTTP_NEED_MORE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/http/cases", test_cases);
  g_test_add_func ("/ptl/http/byte-by-byte", test_byte_by_byte);
  g_test_add_func ("/ptl/http/too-long", test_too_long);

  return g_test_run ();
}
