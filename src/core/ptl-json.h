/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects the lab's JSON readers accept.
 * Deeper input is refused before json-glib sees it: its recursive parser
 * overflows the stack on a file of a few thousand '['. The lab's own files
 * nest a few levels. */
#define PTL_JSON_MAX_DEPTH 64

/* The check every JSON loader makes before json-glib sees @data (not
 * necessarily valid JSON): PTL_ERROR_INVALID_FILE naming the line when it
 * nests deeper than PTL_JSON_MAX_DEPTH outside strings, or naming line and
 * column when text follows the top-level value (json-glib 1.6 leaks the
 * value it parsed then, as in `1{}`) or a comment ('/' outside strings:
 * json-glib's extension, whose scanner misreads some and then leaks). */
gboolean ptl_json_check_depth (const char  *data,
                               gsize        len,
                               GError     **error);

G_END_DECLS
