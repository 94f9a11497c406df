/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects the lab's JSON readers accept.
 * Deeper input is refused before json-glib sees it: its recursive parser
 * overflows the stack on a file of a few thousand '['. The lab's own files
 * nest a few levels. */
#define PTL_JSON_MAX_DEPTH 64

/* PTL_ERROR_INVALID_FILE naming the line when @data (not necessarily
 * valid JSON) nests deeper than PTL_JSON_MAX_DEPTH outside strings. */
gboolean ptl_json_check_depth (const char  *data,
                               gsize        len,
                               GError     **error);

/* A copy of @object sharing nothing with it, safe to hand to another thread. */
JsonObject *ptl_json_object_copy (JsonObject *object);

G_END_DECLS
