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

/* json_node_copy () shares objects, arrays and values by reference, and
 * json-glib's reference counts are not atomic: a copy handed to another
 * thread (a progress snapshot) must share nothing with the original. */
static JsonNode *
json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) object = ptl_json_object_copy (json_node_get_object (node));

        return json_node_init_object (json_node_alloc (), object);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) elements = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (elements, json_node_deep_copy (json_array_get_element (array, i)));
        return json_node_init_array (json_node_alloc (), elements);
      }
    case JSON_NODE_VALUE:
      copy = json_node_alloc ();
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return json_node_init_int (copy, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return json_node_init_double (copy, json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return json_node_init_boolean (copy, json_node_get_boolean (node));
        default:
          return json_node_init_string (copy, json_node_get_string (node));
        }
    case JSON_NODE_NULL:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

JsonObject *
ptl_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, json_node_deep_copy (member));
  return copy;
}
