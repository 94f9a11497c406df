/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-bankers-state"

#include "config.h"

#include <glib/gi18n.h>
/* PRId64 rather than G_GINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ptl-bankers-sim.h"
#include "ptl-bankers-state.h"
#include "ptl-file.h"
#include "ptl-json.h"

/* The banker's resource-allocation state, its CSV and JSON files, the
 * textbook examples and a generator. Loaders check everything a user can
 * get wrong and say where; the rest of the code trusts the state. */

typedef struct
{
  const char *name;
  guint       n;
  guint       m;
  gint64      available[PTL_BANKERS_MAX_RESOURCES];
  const char *names[8];
  gint64      maximum[8][PTL_BANKERS_MAX_RESOURCES];
  gint64      allocation[8][PTL_BANKERS_MAX_RESOURCES];
  const char *requests;
} Example;

/* Published figures, copied from the books (see the header). */
static const Example examples[] = {
  { "silberschatz", 5, 3, { 3, 3, 2 },
    { "P0", "P1", "P2", "P3", "P4" },
    { { 7, 5, 3 }, { 3, 2, 2 }, { 9, 0, 2 }, { 2, 2, 2 }, { 4, 3, 3 } },
    { { 0, 1, 0 }, { 2, 0, 0 }, { 3, 0, 2 }, { 2, 1, 1 }, { 0, 0, 2 } },
    "P1:1,0,2; P4:3,3,0; P0:0,2,0" },
  /* Tanenbaum gives "assigned" and "still needed": maximum is their sum.
   * B then asks for a printer (granted) and E for the last one (unsafe). */
  { "tanenbaum", 5, 4, { 1, 0, 2, 0 },
    { "A", "B", "C", "D", "E" },
    { { 4, 1, 1, 1 }, { 0, 2, 1, 2 }, { 4, 2, 1, 0 }, { 1, 1, 1, 1 }, { 2, 1, 1, 0 } },
    { { 3, 0, 1, 1 }, { 0, 1, 0, 0 }, { 1, 1, 1, 0 }, { 1, 1, 0, 1 }, { 0, 0, 0, 0 } },
    "B:0,0,1,0; E:0,0,1,0" },
  { "single", 3, 1, { 3 },
    { "A", "B", "C" },
    { { 9 }, { 4 }, { 7 } },
    { { 3 }, { 2 }, { 2 } },
    "A:1" },
  { "unsafe", 3, 1, { 2 },
    { "A", "B", "C" },
    { { 9 }, { 4 }, { 7 } },
    { { 4 }, { 2 }, { 2 } },
    "" },
};

static const char * const example_names[] = { "silberschatz", "tanenbaum", "single", "unsafe", NULL };

static const char * const resource_names[PTL_BANKERS_MAX_RESOURCES] = {
  "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
};

#define AVAILABLE_KEYWORD "available"

/* Helpers */

static gboolean
is_valid_name (const char *name,
               gsize       len)
{
  if (len == 0 || len > PTL_BANKERS_NAME_MAX)
    return FALSE;
  if (len == strlen (AVAILABLE_KEYWORD) && g_ascii_strncasecmp (name, AVAILABLE_KEYWORD, len) == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '-' && name[i] != '.')
      return FALSE;
  return TRUE;
}

static char *
describe_name_rule (void)
{
  return g_strdup_printf (_("a name of 1 to %d letters, digits, “_”, “-” or “.”, other than “available”"),
                          PTL_BANKERS_NAME_MAX);
}

/* Parses a whole decimal number in [0, PTL_BANKERS_VALUE_MAX]. */
static gboolean
parse_value (const char *text,
             gsize       len,
             gint64     *value)
{
  gint64 v = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (text[i] - '0');
      if (v > PTL_BANKERS_VALUE_MAX)
        return FALSE;
    }
  *value = v;
  return TRUE;
}

/* CSV */

typedef struct
{
  const char *start; /* of the field, blanks trimmed */
  gsize       len;
  guint       column;
} Field;

typedef struct
{
  guint  line;
  Field  fields[1 + 2 * PTL_BANKERS_MAX_RESOURCES + 1];
  guint  n_fields;    /* capped at G_N_ELEMENTS (fields) */
  guint  all_fields;  /* how many the line really has */
  guint  end_column;  /* just past the last character */
} CsvLine;

static G_GNUC_PRINTF (4, 5) void
set_csv_error (GError     **error,
               guint        line,
               guint        column,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("line %u, column %u: %s"), line, column, message);
}

/* Splits one line (without its end) into fields at commas. Columns count
 * characters, not bytes, as an editor shows them. */
static void
split_line (const char *line,
            gsize       len,
            CsvLine    *out)
{
  const char *end = line + len;
  const char *p = line;

  out->n_fields = 0;
  out->all_fields = 0;
  for (;;)
    {
      const char *field_end = memchr (p, ',', end - p);
      const char *s = p;
      const char *e;

      if (field_end == NULL)
        field_end = end;
      e = field_end;
      while (s < e && g_ascii_isspace (*s))
        s++;
      while (e > s && g_ascii_isspace (e[-1]))
        e--;
      if (out->n_fields < G_N_ELEMENTS (out->fields))
        {
          Field *f = &out->fields[out->n_fields++];

          f->start = s;
          f->len = e - s;
          f->column = g_utf8_pointer_to_offset (line, s) + 1;
        }
      out->all_fields++;
      if (field_end == end)
        break;
      p = field_end + 1;
    }
  out->end_column = g_utf8_pointer_to_offset (line, end) + 1;
}

static gboolean
read_value (const CsvLine  *line,
            guint           index,
            gint64         *value,
            GError        **error)
{
  const Field *f = &line->fields[index];

  if (parse_value (f->start, f->len, value))
    return TRUE;

  {
    g_autofree char *found = g_strndup (f->start, MIN (f->len, 40));

    set_csv_error (error, line->line, f->column,
                   _("expected a whole number from 0 to %" PRId64 ", found “%s”"),
                   PTL_BANKERS_VALUE_MAX, found);
  }
  return FALSE;
}

/* Column of field @index, or the end of the line when it has fewer. */
static guint
column_of (const CsvLine *line,
           guint          index)
{
  return index < line->n_fields ? line->fields[index].column : line->end_column;
}

PtlBankersState *
ptl_bankers_state_new_from_csv (const char  *data,
                                gssize       len,
                                GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) maximum = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) allocation = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 available[PTL_BANKERS_MAX_RESOURCES];
  PtlBankersState *self;
  CsvLine line = { 0 };
  guint m = 0;
  gsize size, pos;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  size = len < 0 ? strlen (data) : (gsize) len;
  if (!ptl_file_check_text (data, size, error))
    return NULL;

  pos = ptl_file_skip_bom (data, size);
  while (pos < size)
    {
      const char *start = data + pos;
      const char *nl = memchr (start, '\n', size - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - start) : size - pos;
      gsize text_len = line_len;
      gsize skip = 0;

      line.line++;
      pos += line_len + (nl != NULL);
      if (text_len > 0 && start[text_len - 1] == '\r')
        text_len--;
      while (skip < text_len && g_ascii_isspace (start[skip]))
        skip++;
      if (skip == text_len || start[skip] == '#')
        continue;

      split_line (start, text_len, &line);

      if (m == 0)
        {
          const Field *f = &line.fields[0];

          if (f->len != strlen (AVAILABLE_KEYWORD) ||
              g_ascii_strncasecmp (f->start, AVAILABLE_KEYWORD, f->len) != 0)
            {
              set_csv_error (error, line.line, f->column,
                             _("expected “available” and the available amount of each resource first, "
                               "as in “available,3,3,2”"));
              return NULL;
            }
          if (line.all_fields < 2 || line.all_fields > 1 + PTL_BANKERS_MAX_RESOURCES)
            {
              set_csv_error (error, line.line, column_of (&line, MIN (line.all_fields, 1 + PTL_BANKERS_MAX_RESOURCES)),
                             _("expected 1 to %d resources after “available”, found %u"),
                             PTL_BANKERS_MAX_RESOURCES, line.all_fields - 1);
              return NULL;
            }
          m = line.all_fields - 1;
          for (guint r = 0; r < m; r++)
            if (!read_value (&line, 1 + r, &available[r], error))
              return NULL;
          continue;
        }

      {
        const Field *f = &line.fields[0];
        g_autofree char *name = g_strndup (f->start, f->len);
        gint64 max_row[PTL_BANKERS_MAX_RESOURCES];

        if (!is_valid_name (f->start, f->len))
          {
            g_autofree char *rule = describe_name_rule ();

            set_csv_error (error, line.line, f->column,
                           f->len == strlen (AVAILABLE_KEYWORD) &&
                           g_ascii_strncasecmp (f->start, AVAILABLE_KEYWORD, f->len) == 0
                           ? _("“available” may come only once, first; expected a process line: %s")
                           : _("expected a process name: %s"),
                           rule);
            return NULL;
          }
        for (guint i = 0; i < names->len; i++)
          if (g_str_equal (g_ptr_array_index (names, i), name))
            {
              set_csv_error (error, line.line, f->column, _("process “%s” appears twice"), name);
              return NULL;
            }
        if (names->len == PTL_BANKERS_MAX_PROCESSES)
          {
            set_csv_error (error, line.line, f->column, _("expected at most %d processes"),
                           PTL_BANKERS_MAX_PROCESSES);
            return NULL;
          }
        if (line.all_fields != 1 + 2 * m)
          {
            /* Point at the first field too many, or at the end of a line
             * that is short. */
            set_csv_error (error, line.line, column_of (&line, MIN (line.all_fields, 1 + 2 * m)),
                           _("expected %u numbers after the name (the maximum claim of each of the %u "
                             "resources, then what it holds of each), found %u"),
                           2 * m, m, line.all_fields - 1);
            return NULL;
          }
        for (guint r = 0; r < m; r++)
          if (!read_value (&line, 1 + r, &max_row[r], error))
            return NULL;
        for (guint r = 0; r < m; r++)
          {
            gint64 held;

            if (!read_value (&line, 1 + m + r, &held, error))
              return NULL;
            if (held > max_row[r])
              {
                set_csv_error (error, line.line, line.fields[1 + m + r].column,
                               _("%s holds %" PRId64 " of resource %s but claims at most %"
                                 PRId64), name, held, resource_names[r], max_row[r]);
                return NULL;
              }
            g_array_append_val (allocation, held);
          }
        g_array_append_vals (maximum, max_row, m);
        g_ptr_array_add (names, g_steal_pointer (&name));
      }
    }

  if (m == 0)
    {
      set_csv_error (error, line.line + 1, 1, _("expected a line “available,…” with the available amount of each resource"));
      return NULL;
    }
  if (names->len == 0)
    {
      set_csv_error (error, line.line + 1, 1, _("expected at least one process line after “available”"));
      return NULL;
    }

  self = ptl_bankers_state_new (names->len, m);
  memcpy (self->available, available, m * sizeof (gint64));
  memcpy (self->maximum, maximum->data, names->len * m * sizeof (gint64));
  memcpy (self->allocation, allocation->data, names->len * m * sizeof (gint64));
  for (guint i = 0; i < names->len; i++)
    {
      g_free (self->names[i]);
      self->names[i] = g_strdup (g_ptr_array_index (names, i));
    }
  return self;
}

/* JSON */

static G_GNUC_PRINTF (3, 4) void
set_json_error (GError     **error,
                const char  *path,
                const char  *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("%s: %s"), path, message);
}

/* An array of exactly @m whole numbers in range at @path (when @m is 0,
 * of 1 to PTL_BANKERS_MAX_RESOURCES, and @m gets the count). */
static gboolean
json_read_vector (JsonNode     *node,
                  const char   *path,
                  guint        *m,
                  gint64       *values,
                  GError      **error)
{
  JsonArray *array;
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_json_error (error, path, _("expected an array of numbers, one per resource"));
      return FALSE;
    }
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (*m == 0 && (length == 0 || length > PTL_BANKERS_MAX_RESOURCES))
    {
      set_json_error (error, path, _("expected 1 to %d resources, found %u"), PTL_BANKERS_MAX_RESOURCES, length);
      return FALSE;
    }
  if (*m != 0 && length != *m)
    {
      set_json_error (error, path, _("expected %u numbers (one per resource, as in “available”), found %u"),
                      *m, length);
      return FALSE;
    }
  for (guint r = 0; r < length; r++)
    {
      JsonNode *element = json_array_get_element (array, r);
      gboolean ok = FALSE;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_INT64)
        {
          values[r] = json_node_get_int (element);
          ok = values[r] >= 0 && values[r] <= PTL_BANKERS_VALUE_MAX;
        }
      if (!ok)
        {
          g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, r);

          set_json_error (error, element_path, _("expected a whole number from 0 to %" PRId64),
                          PTL_BANKERS_VALUE_MAX);
          return FALSE;
        }
    }
  *m = length;
  return TRUE;
}

PtlBankersState *
ptl_bankers_state_new_from_json (const char  *data,
                                 gssize       len,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PtlBankersState) self = NULL;
  gint64 available[PTL_BANKERS_MAX_RESOURCES];
  JsonObject *root;
  JsonNode *processes;
  JsonArray *array;
  guint m = 0, n;
  gsize size;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  size = len < 0 ? strlen (data) : (gsize) len;
  if (!ptl_file_check_text (data, size, error) || !ptl_json_check_depth (data, size, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      /* json-glib quotes the offending text raw, which may not be UTF-8. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("expected JSON: %s"), message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      set_json_error (error, "$", _("expected an object with “available” and “processes”"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_read_vector (json_object_get_member (root, "available"), "$.available", &m, available, error))
    return NULL;

  processes = json_object_get_member (root, "processes");
  if (processes == NULL || !JSON_NODE_HOLDS_ARRAY (processes))
    {
      set_json_error (error, "$.processes", _("expected an array of processes"));
      return NULL;
    }
  array = json_node_get_array (processes);
  n = json_array_get_length (array);
  if (n == 0 || n > PTL_BANKERS_MAX_PROCESSES)
    {
      set_json_error (error, "$.processes", _("expected 1 to %d processes, found %u"), PTL_BANKERS_MAX_PROCESSES, n);
      return NULL;
    }

  self = ptl_bankers_state_new (n, m);
  memcpy (self->available, available, m * sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("$.processes[%u]", i);
      g_autofree char *name_path = g_strdup_printf ("%s.name", path);
      g_autofree char *max_path = g_strdup_printf ("%s.max", path);
      g_autofree char *allocation_path = g_strdup_printf ("%s.allocation", path);
      const char *name;
      JsonObject *process;
      JsonNode *name_node;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_json_error (error, path, _("expected an object with name, max and allocation"));
          return NULL;
        }
      process = json_node_get_object (element);
      /* Not json_object_get_string_member_with_default (): it is a GLib
       * critical when the member is an array or an object. */
      name_node = json_object_get_member (process, "name");
      name = name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
             json_node_get_value_type (name_node) == G_TYPE_STRING ? json_node_get_string (name_node) : NULL;
      if (name == NULL || !is_valid_name (name, strlen (name)))
        {
          g_autofree char *rule = describe_name_rule ();

          set_json_error (error, name_path, _("expected %s"), rule);
          return NULL;
        }
      if (ptl_bankers_state_find_process (self, name) >= 0 &&
          ptl_bankers_state_find_process (self, name) < (int) i)
        {
          set_json_error (error, name_path, _("process “%s” appears twice"), name);
          return NULL;
        }
      g_free (self->names[i]);
      self->names[i] = g_strdup (name);
      if (!json_read_vector (json_object_get_member (process, "max"), max_path, &m,
                             &self->maximum[i * m], error) ||
          !json_read_vector (json_object_get_member (process, "allocation"), allocation_path, &m,
                             &self->allocation[i * m], error))
        return NULL;
      for (guint r = 0; r < m; r++)
        if (self->allocation[i * m + r] > self->maximum[i * m + r])
          {
            g_autofree char *element_path = g_strdup_printf ("%s[%u]", allocation_path, r);

            set_json_error (error, element_path,
                            _("%s holds %" PRId64 " of resource %s but claims at most %"
                              PRId64), name, self->allocation[i * m + r], resource_names[r],
                            self->maximum[i * m + r]);
            return NULL;
          }
    }
  return g_steal_pointer (&self);
}

/* Lifecycle */

PtlBankersState *
ptl_bankers_state_new (guint n_processes,
                       guint n_resources)
{
  PtlBankersState *self;

  g_return_val_if_fail (n_processes >= 1 && n_processes <= PTL_BANKERS_MAX_PROCESSES, NULL);
  g_return_val_if_fail (n_resources >= 1 && n_resources <= PTL_BANKERS_MAX_RESOURCES, NULL);

  self = g_new0 (PtlBankersState, 1);
  self->n_processes = n_processes;
  self->n_resources = n_resources;
  self->names = g_new0 (char *, n_processes + 1);
  for (guint i = 0; i < n_processes; i++)
    self->names[i] = g_strdup_printf ("P%u", i);
  self->available = g_new0 (gint64, n_resources);
  self->maximum = g_new0 (gint64, n_processes * n_resources);
  self->allocation = g_new0 (gint64, n_processes * n_resources);
  return self;
}

PtlBankersState *
ptl_bankers_state_copy (const PtlBankersState *self)
{
  PtlBankersState *copy;
  guint n, m;

  g_return_val_if_fail (self != NULL, NULL);

  n = self->n_processes;
  m = self->n_resources;
  copy = ptl_bankers_state_new (n, m);
  g_strfreev (copy->names);
  copy->names = g_strdupv (self->names);
  memcpy (copy->available, self->available, m * sizeof (gint64));
  memcpy (copy->maximum, self->maximum, n * m * sizeof (gint64));
  memcpy (copy->allocation, self->allocation, n * m * sizeof (gint64));
  return copy;
}

void
ptl_bankers_state_free (PtlBankersState *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->names);
  g_free (self->available);
  g_free (self->maximum);
  g_free (self->allocation);
  g_free (self);
}

gboolean
ptl_bankers_state_equal (const PtlBankersState *a,
                         const PtlBankersState *b)
{
  gsize cells;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->n_processes != b->n_processes || a->n_resources != b->n_resources)
    return FALSE;
  cells = a->n_processes * a->n_resources;
  for (guint i = 0; i < a->n_processes; i++)
    if (!g_str_equal (a->names[i], b->names[i]))
      return FALSE;
  return memcmp (a->available, b->available, a->n_resources * sizeof (gint64)) == 0 &&
         memcmp (a->maximum, b->maximum, cells * sizeof (gint64)) == 0 &&
         memcmp (a->allocation, b->allocation, cells * sizeof (gint64)) == 0;
}

gint64
ptl_bankers_state_get_need (const PtlBankersState *self,
                            guint                  process,
                            guint                  resource)
{
  gsize cell;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (process < self->n_processes && resource < self->n_resources, 0);

  cell = process * self->n_resources + resource;
  return self->maximum[cell] - self->allocation[cell];
}

int
ptl_bankers_state_find_process (const PtlBankersState *self,
                                const char            *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->n_processes; i++)
    if (g_str_equal (self->names[i], name))
      return (int) i;
  return -1;
}

gboolean
ptl_bankers_check_name (const char  *name,
                        GError     **error)
{
  g_autofree char *rule = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  if (is_valid_name (name, strlen (name)))
    return TRUE;
  rule = describe_name_rule ();
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER, _("expected %s"), rule);
  return FALSE;
}

const char *
ptl_bankers_resource_name (guint resource)
{
  g_return_val_if_fail (resource < PTL_BANKERS_MAX_RESOURCES, NULL);

  return resource_names[resource];
}

/* Files */

PtlBankersState *
ptl_bankers_state_load (const char  *path,
                        GError     **error)
{
  g_autofree char *data = NULL;
  PtlBankersState *self;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ptl_file_read_regular (path, &data, &len, error))
    return NULL;

  self = ptl_file_looks_like_json (path, data, len)
    ? ptl_bankers_state_new_from_json (data, len, error)
    : ptl_bankers_state_new_from_csv (data, len, error);
  if (self == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_prefix_error (error, "%s: ", display);
    }
  return self;
}

static void
append_numbers (GString      *out,
                const gint64 *values,
                guint         m,
                const char   *separator)
{
  for (guint r = 0; r < m; r++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, r > 0 ? separator : "", values[r]);
}

char *
ptl_bankers_state_to_csv (const PtlBankersState *self)
{
  GString *out;
  guint m;

  g_return_val_if_fail (self != NULL, NULL);

  m = self->n_resources;
  out = g_string_new ("# Banker's state: the available vector, then one line per process:\n"
                      "# its name, its maximum claim of each resource, then what it holds of each.\n"
                      AVAILABLE_KEYWORD ",");
  append_numbers (out, self->available, m, ",");
  g_string_append_c (out, '\n');
  for (guint i = 0; i < self->n_processes; i++)
    {
      g_string_append_printf (out, "%s,", self->names[i]);
      append_numbers (out, &self->maximum[i * m], m, ",");
      g_string_append_c (out, ',');
      append_numbers (out, &self->allocation[i * m], m, ",");
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
ptl_bankers_state_to_json (const PtlBankersState *self)
{
  GString *out;
  guint m;

  g_return_val_if_fail (self != NULL, NULL);

  /* Written by hand to keep one process a line, as a reader edits it;
   * names are restricted to characters JSON needs no escape for. */
  m = self->n_resources;
  out = g_string_new ("{\n  \"available\": [");
  append_numbers (out, self->available, m, ", ");
  g_string_append (out, "],\n  \"processes\": [\n");
  for (guint i = 0; i < self->n_processes; i++)
    {
      g_string_append_printf (out, "    {\"name\": \"%s\", \"max\": [", self->names[i]);
      append_numbers (out, &self->maximum[i * m], m, ", ");
      g_string_append (out, "], \"allocation\": [");
      append_numbers (out, &self->allocation[i * m], m, ", ");
      g_string_append_printf (out, "]}%s\n", i + 1 < self->n_processes ? "," : "");
    }
  g_string_append (out, "  ]\n}\n");
  return g_string_free (out, FALSE);
}

gboolean
ptl_bankers_state_save (const PtlBankersState  *self,
                        const char             *path,
                        GError                **error)
{
  g_autofree char *lower = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".csv"))
    data = ptl_bankers_state_to_csv (self);
  else if (g_str_has_suffix (lower, ".json"))
    data = ptl_bankers_state_to_json (self);
  else
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT,
                   _("Cannot save a banker's state as %s: expected a name ending in .csv or .json"),
                   display);
      return FALSE;
    }
  return ptl_file_replace_contents (path, data, strlen (data), error);
}

/* Examples and generator */

const char * const *
ptl_bankers_list_examples (void)
{
  return example_names;
}

PtlBankersState *
ptl_bankers_state_new_example (const char  *name,
                               const char **requests)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint e = 0; e < G_N_ELEMENTS (examples); e++)
    {
      const Example *example = &examples[e];
      PtlBankersState *self;
      guint m = example->m;

      if (!g_str_equal (example->name, name))
        continue;
      self = ptl_bankers_state_new (example->n, m);
      memcpy (self->available, example->available, m * sizeof (gint64));
      for (guint i = 0; i < example->n; i++)
        {
          g_free (self->names[i]);
          self->names[i] = g_strdup (example->names[i]);
          memcpy (&self->maximum[i * m], example->maximum[i], m * sizeof (gint64));
          memcpy (&self->allocation[i * m], example->allocation[i], m * sizeof (gint64));
        }
      if (requests != NULL)
        *requests = example->requests;
      return self;
    }
  g_return_val_if_reached (NULL);
}

/* A process, at random, among those with something left to ask for;
 * -1 when none has. */
static int
pick_asker (GRand        *rand,
            const gint64 *left,
            guint         n,
            guint         m)
{
  guint candidates[PTL_BANKERS_MAX_PROCESSES];
  guint n_candidates = 0;

  for (guint p = 0; p < n; p++)
    for (guint r = 0; r < m; r++)
      if (left[p * m + r] > 0)
        {
          candidates[n_candidates++] = p;
          break;
        }
  return n_candidates > 0 ? (int) candidates[g_rand_int_range (rand, 0, (gint32) n_candidates)] : -1;
}

/* Part of what @p has left to ask for, never nothing. */
static void
pick_amount (GRand        *rand,
             const gint64 *left,
             guint         p,
             guint         m,
             gint64       *amount)
{
  gboolean any = FALSE;

  for (guint r = 0; r < m; r++)
    {
      amount[r] = g_rand_int_range (rand, 0, (gint32) left[p * m + r] + 1);
      any |= amount[r] > 0;
    }
  for (guint r = 0; !any && r < m; r++)
    if (left[p * m + r] > 0)
      {
        amount[r] = 1;
        any = TRUE;
      }
}

PtlBankersState *
ptl_bankers_state_generate (guint     n_processes,
                            guint     n_resources,
                            guint32   seed,
                            char    **requests)
{
  g_autoptr(GRand) rand = NULL;
  g_autofree gint64 *left = NULL;
  PtlBankersState *self;
  guint n = n_processes, m = n_resources;

  g_return_val_if_fail (n >= 1 && n <= PTL_BANKERS_MAX_PROCESSES, NULL);
  g_return_val_if_fail (m >= 1 && m <= PTL_BANKERS_MAX_RESOURCES, NULL);

  rand = g_rand_new_with_seed (seed);
  self = ptl_bankers_state_new (n, m);
  for (guint i = 0; i < n * m; i++)
    self->maximum[i] = g_rand_int_range (rand, 0, 10);
  /* Each kind has enough units for its largest claim and some more, so
   * every state the banker allows can be reached. */
  for (guint r = 0; r < m; r++)
    {
      gint64 largest = 0;

      for (guint p = 0; p < n; p++)
        largest = MAX (largest, self->maximum[p * m + r]);
      self->available[r] = largest + g_rand_int_range (rand, 0, (gint32) n * 2 + 1);
    }

  /* The state is one the banker itself led to: random requests made from
   * the empty state, each kept only when the banker grants it. So it is
   * always safe, as a banker's state must be, and often tight. */
  left = g_new (gint64, n * m);
  for (guint round = 0; round < 4 * n; round++)
    {
      PtlBankersRequest request = { 0 };
      int p;

      for (guint i = 0; i < n * m; i++)
        left[i] = self->maximum[i] - self->allocation[i];
      p = pick_asker (rand, left, n, m);
      if (p < 0)
        break;
      request.process = (guint) p;
      pick_amount (rand, left, request.process, m, request.amount);
      ptl_bankers_request (self, &request, NULL);
    }

  if (requests == NULL)
    return self;

  {
    GString *text = g_string_new (NULL);

    /* Each request takes part of what its process has not yet asked
     * for, so even when all are granted none exceeds the declared need:
     * the random ones show waiting, not errors. */
    for (guint i = 0; i < n * m; i++)
      left[i] = self->maximum[i] - self->allocation[i];
    for (guint k = 0; k < MIN (n, 3); k++)
      {
        gint64 amount[PTL_BANKERS_MAX_RESOURCES];
        int p = pick_asker (rand, left, n, m);

        if (p < 0)
          break;
        pick_amount (rand, left, (guint) p, m, amount);
        g_string_append_printf (text, "%s%s:", k > 0 ? "; " : "", self->names[p]);
        for (guint r = 0; r < m; r++)
          {
            left[p * m + r] -= amount[r];
            g_string_append_printf (text, "%s%" G_GINT64_FORMAT, r > 0 ? "," : "", amount[r]);
          }
      }
    *requests = g_string_free (text, FALSE);
  }
  return self;
}
