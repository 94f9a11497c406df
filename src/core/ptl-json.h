/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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

/* A copy of @object sharing nothing with it, safe to hand to another thread. */
JsonObject *ptl_json_object_copy (JsonObject *object);

/* Parses @data (@len bytes) as strict RFC 8259 JSON: one value, UTF-8,
 * nesting at most PTL_JSON_MAX_DEPTH, nothing after it. Errors are
 * PTL_ERROR_INVALID_FILE and say "line L, column C: …".
 *
 * When the root is an object, an array that is member @pack_members of an
 * object in the root's list @pack_list (e.g. "series" and "points") and
 * holds only [number-or-null, number-or-null] pairs of finite numbers is
 * returned empty, its pairs in *@packed: a GArray of doubles (x0, y0, x1,
 * …; null is NAN) keyed by its JsonArray, valid while the tree is. Both
 * may be NULL. */
JsonNode *ptl_json_parse (const char         *data,
                          gsize               len,
                          const char         *pack_list,
                          const char * const *pack_members,
                          GHashTable        **packed,
                          GError            **error);

G_END_DECLS
