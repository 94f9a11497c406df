/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-json"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ptl-json.h"
#include "ptl-types.h"

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

gboolean
ptl_json_check_depth (const char  *data,
                      gsize        len,
                      GError     **error)
{
  gboolean in_string = FALSE;
  /* Inside a top-level number, true, false or null. */
  gboolean in_scalar = FALSE;
  /* The top-level value has ended: only blanks and comments may follow. */
  gboolean ended = FALSE;
  guint depth = 0;
  guint line = 1;
  guint column = 0;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  /* json-glib skips a UTF-8 byte order mark. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  for (; i < len; i++)
    {
      char c = data[i];

      /* Columns count characters: UTF-8 continuation bytes add none. */
      if (c == '\n')
        {
          line++;
          column = 0;
        }
      else if (((guchar) c & 0xC0) != 0x80)
        column++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              ended = depth == 0;
            }
          continue;
        }
      /* json-glib takes C comments for blanks, but its scanner ends them
       * where a reader would not, and then leaked (found by fuzzing): JSON
       * has no comments, and the lab's files none. */
      if (c == '/')
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                       _("line %u, column %u: comments are not JSON"), line, column);
          return FALSE;
        }
      if (in_scalar && (is_blank (c) || c == '[' || c == '{' || c == '"' || c == ']' || c == '}' || c == ','))
        {
          in_scalar = FALSE;
          ended = TRUE;
        }
      if (is_blank (c))
        continue;
      /* json-glib 1.6 leaks the first value when text follows it (`1{}`),
       * and the text would be ignored or misread anyway. */
      if (ended)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                       _("line %u, column %u: unexpected text after the end of the JSON value"),
                       line, column);
          return FALSE;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PTL_JSON_MAX_DEPTH)
            {
              g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                           _("line %u: expected at most %u nested arrays and objects"),
                           line, PTL_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
          ended = depth == 0;
        }
      else if (depth == 0)
        in_scalar = TRUE;
    }
  return TRUE;
}
