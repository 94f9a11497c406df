/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-json"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-json.h"
#include "ptl-types.h"

gboolean
ptl_json_check_depth (const char  *data,
                      gsize        len,
                      GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  guint line = 1;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
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
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}
