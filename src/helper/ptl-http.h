/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The minimal HTTP/1.1 the "servers" experiment speaks: a request line
 * and headers, an optional Content-Length body, keep-alive unless the
 * client says "Connection: close" (or speaks HTTP/1.0 without
 * keep-alive). Plain C, no allocation: the helper's server models and the
 * tests share it. */

#include <stddef.h>

typedef enum
{
  PTL_HTTP_NEED_MORE, /* no complete request yet: read more */
  PTL_HTTP_COMPLETE,  /* one request, @length bytes of the buffer */
  PTL_HTTP_MALFORMED, /* answer 400 and close */
} PtlHttpStatus;

typedef struct
{
  size_t length;      /* bytes of this request, headers and body */
  int    keep_alive;  /* the connection stays open after the answer */
  int    is_get;      /* GET or HEAD, else another method */
} PtlHttpRequest;

/* Requests larger than this are malformed, so a client cannot make a
 * server buffer without end. */
#define PTL_HTTP_MAX_REQUEST 8192

/* Parses the request at the start of @data (@length bytes); the rest of
 * the buffer may hold pipelined requests after it. */
PtlHttpStatus ptl_http_parse (const char     *data,
                              size_t          length,
                              PtlHttpRequest *request);

/* The fixed answer every model sends: "HTTP/1.1 200 OK" with a short
 * body, and "Connection: close" when @keep_alive is 0. */
const char   *ptl_http_response (int     keep_alive,
                                 size_t *length);
/* "HTTP/1.1 400 Bad Request" with Connection: close. */
const char   *ptl_http_bad_request (size_t *length);
