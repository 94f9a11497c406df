/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sched-workload"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ptl-csv-reader.h"
#include "ptl-sched-workload.h"

/* Longest excerpt of a bad value quoted back in an error message. */
#define EXCERPT_MAX_CHARS 40

typedef struct
{
  char  *name;
  gint64 arrival;
  int    priority;
  gsize  first_burst; /* index into bursts */
  guint  n_bursts;
} Process;

struct _PtlSchedWorkload
{
  GObject parent_instance;

  /* owned */
  GArray *processes; /* Process */
  GArray *bursts;    /* gint64, every process's bursts back to back */
};

G_DEFINE_FINAL_TYPE (PtlSchedWorkload, ptl_sched_workload, G_TYPE_OBJECT)

static const char * const generator_kinds[] = {
  "cpu-bound",
  "io-bound",
  "mixed",
  "convoy",
  "many-short",
  NULL,
};

static void
process_clear (gpointer data)
{
  Process *process = data;

  g_clear_pointer (&process->name, g_free);
}

static gboolean
bursts_are_valid (const gint64 *bursts,
                  guint         n_bursts)
{
  if (bursts == NULL || n_bursts % 2 == 0)
    return FALSE;
  for (guint i = 0; i < n_bursts; i++)
    if (bursts[i] < 1 || bursts[i] > PTL_SCHED_TIME_MAX)
      return FALSE;
  return TRUE;
}

static inline const Process *
get_process (PtlSchedWorkload *self,
             guint             index)
{
  return &g_array_index (self->processes, Process, index);
}

/* Error helpers */

/* “text”, cut after EXCERPT_MAX_CHARS characters so garbage input does
 * not produce a megabyte-long message. @text is valid UTF-8. */
static char *
quote_excerpt (const char *text)
{
  glong n_chars = g_utf8_strlen (text, -1);

  if (n_chars <= EXCERPT_MAX_CHARS)
    return g_strdup_printf ("“%s”", text);
  else
    {
      const char *cut = g_utf8_offset_to_pointer (text, EXCERPT_MAX_CHARS);
      g_autofree char *head = g_strndup (text, cut - text);

      return g_strdup_printf ("“%s…”", head);
    }
}

/* Whether @text has no C0 control characters or DEL: names end up in
 * charts and tables, where a line break or escape would only confuse. */
static gboolean
is_printable_name (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* Value parsing shared by both formats. Each returns a translated
 * description of what was expected, or NULL when @text is fine. */

static char *
expect_time (const char *text,
             gint64      minimum,
             gint64     *value)
{
  if (g_ascii_string_to_signed (text, 10, minimum, PTL_SCHED_TIME_MAX, value, NULL))
    return NULL;
  {
    g_autofree char *excerpt = quote_excerpt (text);
    g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, PTL_SCHED_TIME_MAX);

    return g_strdup_printf (_("expected a whole number of time units from %d to %s, found %s"),
                            (int) minimum, max, excerpt);
  }
}

static char *
expect_priority (const char *text,
                 int        *value)
{
  gint64 v = 0;

  if (*text == '\0')
    {
      *value = 0;
      return NULL;
    }
  if (g_ascii_string_to_signed (text, 10, PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX, &v, NULL))
    {
      *value = (int) v;
      return NULL;
    }
  {
    g_autofree char *excerpt = quote_excerpt (text);

    return g_strdup_printf (_("expected a whole number from %d to %d (lower is more urgent), found %s"),
                            PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX, excerpt);
  }
}

static char *
expect_name (const char *text)
{
  if (*text == '\0')
    return g_strdup (_("expected a non-empty name"));
  /* CSV text is validated whole; a JSON escape such as "\ud800" can still
   * decode to bytes that are not UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (_("expected a name in valid UTF-8"));
  if (!is_printable_name (text))
    return g_strdup (_("expected a name without control characters or line breaks"));
  return NULL;
}

static char *
expect_odd_count (guint n_bursts)
{
  if (n_bursts % 2 == 1)
    return NULL;
  return g_strdup_printf (_("expected an odd number of bursts alternating CPU and I/O and ending with CPU, found %u"),
                          n_bursts);
}

/* CSV reading */

enum {
  COL_NAME,
  COL_ARRIVAL,
  COL_BURST,
  COL_BURSTS,
  COL_PRIORITY,
  N_COLS
};

static const char * const csv_columns[N_COLS] = {
  [COL_NAME] = "name",
  [COL_ARRIVAL] = "arrival",
  [COL_BURST] = "burst",
  [COL_BURSTS] = "bursts",
  [COL_PRIORITY] = "priority",
};

static G_GNUC_PRINTF (5, 6) void
set_csv_error (GError     **error,
               guint        line,
               guint        column,
               const char  *column_name,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (column_name != NULL)
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                 _("line %u, column %u (%s): %s"), line, column, column_name, message);
  else
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                 _("line %u, column %u: %s"), line, column, message);
}

/* Splits "5;3;4" into bursts. */
static char *
expect_burst_list (const char *text,
                   GArray     *bursts)
{
  g_auto(GStrv) items = NULL;

  g_array_set_size (bursts, 0);
  if (*text == '\0')
    return g_strdup (_("expected CPU and I/O bursts separated by “;”, such as “5;3;4”, found nothing"));

  items = g_strsplit (text, ";", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *problem = NULL;
      gint64 value = 0;

      g_strstrip (items[i]);
      problem = expect_time (items[i], 1, &value);
      if (problem != NULL)
        return g_strdup_printf (_("burst %u (%s): %s"), i + 1,
                                i % 2 == 0 ? _("CPU") : _("I/O"), problem);
      g_array_append_val (bursts, value);
    }
  return expect_odd_count (bursts->len);
}

static gboolean
csv_read_header (PtlCsvReader  *header,
                 int           *columns,
                 GError       **error)
{
  g_autofree char *allowed = g_strjoinv (", ", (char **) csv_columns);
  guint line = ptl_csv_reader_get_line (header);

  for (guint c = 0; c < N_COLS; c++)
    columns[c] = -1;

  for (guint i = 0; i < ptl_csv_reader_get_n_fields (header); i++)
    {
      g_autofree char *name = g_ascii_strdown (ptl_csv_reader_get_field (header, i), -1);
      guint c;

      for (c = 0; c < N_COLS; c++)
        if (g_str_equal (name, csv_columns[c]))
          break;
      if (c == N_COLS)
        {
          g_autofree char *excerpt = quote_excerpt (ptl_csv_reader_get_field (header, i));

          set_csv_error (error, line, i + 1, NULL,
                         _("expected a column name (%s), found %s"), allowed, excerpt);
          return FALSE;
        }
      if (columns[c] >= 0)
        {
          set_csv_error (error, line, i + 1, NULL,
                         _("column “%s” appears twice"), csv_columns[c]);
          return FALSE;
        }
      columns[c] = i;
    }

  if (columns[COL_NAME] < 0 || columns[COL_ARRIVAL] < 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("line %u: expected a header with at least the columns name, arrival and burst (or bursts)"),
                   line);
      return FALSE;
    }
  if ((columns[COL_BURST] < 0) == (columns[COL_BURSTS] < 0))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("line %u: expected exactly one of the columns burst (one CPU burst) and bursts (“5;3;4”: CPU;I/O;CPU)"),
                   line);
      return FALSE;
    }
  return TRUE;
}

static gboolean
csv_read_process (PtlSchedWorkload  *self,
                  PtlCsvReader      *record,
                  const int         *columns,
                  guint              n_columns,
                  GArray            *bursts,
                  GError           **error)
{
  const char *name = NULL;
  gint64 arrival = 0;
  int priority = 0;
  guint n_fields = ptl_csv_reader_get_n_fields (record);

  if (n_fields != n_columns)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("line %u: expected %u fields as in the header, found %u"),
                   ptl_csv_reader_get_line (record), n_columns, n_fields);
      return FALSE;
    }

  for (guint c = 0; c < N_COLS; c++)
    {
      g_autofree char *problem = NULL;
      g_autofree char *number = NULL;
      const char *text;

      if (columns[c] < 0)
        continue;
      text = ptl_csv_reader_get_field (record, columns[c]);
      /* Quoted fields keep their blanks; only a name may need them. */
      if (c != COL_NAME)
        text = number = g_strstrip (g_strdup (text));
      switch (c)
        {
        case COL_NAME:
          problem = expect_name (text);
          name = text;
          break;
        case COL_ARRIVAL:
          problem = expect_time (text, 0, &arrival);
          break;
        case COL_BURST:
          {
            gint64 value = 0;

            problem = expect_time (text, 1, &value);
            g_array_set_size (bursts, 0);
            g_array_append_val (bursts, value);
          }
          break;
        case COL_BURSTS:
          problem = expect_burst_list (text, bursts);
          break;
        case COL_PRIORITY:
          problem = expect_priority (text, &priority);
          break;
        default:
          g_assert_not_reached ();
        }
      if (problem != NULL)
        {
          set_csv_error (error, ptl_csv_reader_get_field_line (record, columns[c]),
                         columns[c] + 1, csv_columns[c], "%s", problem);
          return FALSE;
        }
    }

  ptl_sched_workload_add_process (self, name, arrival, priority,
                                  (const gint64 *) (gpointer) bursts->data, bursts->len);
  return TRUE;
}

/* JSON reading */

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

/* A JSON integer (or a float with no fraction, as some writers produce)
 * in [minimum, maximum]. */
static gboolean
json_get_integer (JsonNode *node,
                  gint64    minimum,
                  gint64    maximum,
                  gint64   *value)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        if (!(d >= (double) minimum && d <= (double) maximum) || d != (double) (gint64) d)
          return FALSE;
        *value = (gint64) d;
      }
      break;
    default:
      return FALSE;
    }
  return *value >= minimum && *value <= maximum;
}

static char *
describe_time_range (gint64 minimum)
{
  g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, PTL_SCHED_TIME_MAX);

  return g_strdup_printf (_("expected a whole number of time units from %d to %s"),
                          (int) minimum, max);
}

static gboolean
json_read_process (PtlSchedWorkload  *self,
                   JsonNode          *node,
                   guint              index,
                   GArray            *bursts,
                   GError           **error)
{
  static const char * const members[] = { "name", "arrival", "priority", "burst", "bursts", NULL };
  g_autofree char *path = g_strdup_printf ("$.processes[%u]", index);
  g_autofree char *allowed = g_strjoinv (", ", (char **) members);
  JsonObject *object;
  JsonNode *member;
  const char *name;
  gint64 arrival = 0;
  gint64 priority = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_json_error (error, path, _("expected an object with name, arrival and bursts"));
      return FALSE;
    }
  object = json_node_get_object (node);

  {
    g_autoptr(GList) names = json_object_get_members (object);

    for (GList *l = names; l != NULL; l = l->next)
      if (!g_strv_contains (members, l->data))
        {
          g_autofree char *excerpt = quote_excerpt (l->data);

          set_json_error (error, path, _("expected only the members %s, found %s"),
                          allowed, excerpt);
          return FALSE;
        }
  }

  member = json_object_get_member (object, "name");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    {
      set_json_error (error, path, _("expected a “name” string"));
      return FALSE;
    }
  name = json_node_get_string (member);
  {
    g_autofree char *problem = expect_name (name);

    if (problem != NULL)
      {
        set_json_error (error, path, "name: %s", problem);
        return FALSE;
      }
  }

  if (!json_get_integer (json_object_get_member (object, "arrival"), 0, PTL_SCHED_TIME_MAX, &arrival))
    {
      g_autofree char *expected = describe_time_range (0);

      set_json_error (error, path, "arrival: %s", expected);
      return FALSE;
    }

  member = json_object_get_member (object, "priority");
  if (member != NULL &&
      !json_get_integer (member, PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX, &priority))
    {
      set_json_error (error, path,
                      _("priority: expected a whole number from %d to %d (lower is more urgent)"),
                      PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX);
      return FALSE;
    }

  g_array_set_size (bursts, 0);
  if (json_object_has_member (object, "burst") == json_object_has_member (object, "bursts"))
    {
      set_json_error (error, path,
                      _("expected exactly one of “burst” (one CPU burst) and “bursts” ([CPU, I/O, …, CPU])"));
      return FALSE;
    }
  if (json_object_has_member (object, "burst"))
    {
      gint64 value = 0;

      if (!json_get_integer (json_object_get_member (object, "burst"), 1, PTL_SCHED_TIME_MAX, &value))
        {
          g_autofree char *expected = describe_time_range (1);

          set_json_error (error, path, "burst: %s", expected);
          return FALSE;
        }
      g_array_append_val (bursts, value);
    }
  else
    {
      JsonArray *array;
      g_autofree char *problem = NULL;

      member = json_object_get_member (object, "bursts");
      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          set_json_error (error, path, _("bursts: expected an array such as [5, 3, 4] (CPU, I/O, CPU)"));
          return FALSE;
        }
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 value = 0;

          if (!json_get_integer (json_array_get_element (array, i), 1, PTL_SCHED_TIME_MAX, &value))
            {
              g_autofree char *expected = describe_time_range (1);
              g_autofree char *item = g_strdup_printf ("%s.bursts[%u]", path, i);

              set_json_error (error, item, "%s", expected);
              return FALSE;
            }
          g_array_append_val (bursts, value);
        }
      problem = bursts->len == 0
        ? g_strdup (_("expected at least one CPU burst"))
        : expect_odd_count (bursts->len);
      if (problem != NULL)
        {
          set_json_error (error, path, "bursts: %s", problem);
          return FALSE;
        }
    }

  ptl_sched_workload_add_process (self, name, arrival, (int) priority,
                                  (const gint64 *) (gpointer) bursts->data, bursts->len);
  return TRUE;
}

/* Writing */

/* Generators */

typedef struct
{
  gint32 cpu_min, cpu_max;       /* CPU burst length */
  gint32 io_min, io_max;         /* I/O burst length */
  gint32 n_cpu_min, n_cpu_max;   /* CPU bursts per process */
} Profile;

static const Profile cpu_bound_profile = { 20, 60, 2, 6, 1, 3 };
static const Profile io_bound_profile = { 1, 5, 10, 30, 3, 8 };
static const Profile short_profile = { 1, 5, 1, 1, 1, 1 };

/* Inclusive range: GRand's own is half-open. */
static gint64
rand_between (GRand  *rand,
              gint32  minimum,
              gint32  maximum)
{
  return g_rand_int_range (rand, minimum, maximum + 1);
}

static void
add_generated (PtlSchedWorkload *self,
               GRand            *rand,
               gint64            arrival,
               const Profile    *profile,
               GArray           *bursts)
{
  g_autofree char *name = g_strdup_printf ("P%u", self->processes->len + 1);
  int priority = (int) rand_between (rand, 0, 7);
  gint64 n_cpu = rand_between (rand, profile->n_cpu_min, profile->n_cpu_max);

  g_array_set_size (bursts, 0);
  for (gint64 i = 0; i < n_cpu; i++)
    {
      gint64 value;

      if (i > 0)
        {
          value = rand_between (rand, profile->io_min, profile->io_max);
          g_array_append_val (bursts, value);
        }
      value = rand_between (rand, profile->cpu_min, profile->cpu_max);
      g_array_append_val (bursts, value);
    }
  ptl_sched_workload_add_process (self, name, arrival, priority,
                                  (const gint64 *) (gpointer) bursts->data, bursts->len);
}

/* GObject */

static void
ptl_sched_workload_finalize (GObject *object)
{
  PtlSchedWorkload *self = (PtlSchedWorkload *) object;

  g_clear_pointer (&self->processes, g_array_unref);
  g_clear_pointer (&self->bursts, g_array_unref);

  G_OBJECT_CLASS (ptl_sched_workload_parent_class)->finalize (object);
}

static void
ptl_sched_workload_class_init (PtlSchedWorkloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ptl_sched_workload_finalize;
}

static void
ptl_sched_workload_init (PtlSchedWorkload *self)
{
  self->processes = g_array_new (FALSE, FALSE, sizeof (Process));
  g_array_set_clear_func (self->processes, process_clear);
  self->bursts = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Public API */

PtlSchedWorkload *
ptl_sched_workload_new (void)
{
  return g_object_new (PTL_TYPE_SCHED_WORKLOAD, NULL);
}

PtlSchedWorkload *
ptl_sched_workload_copy (PtlSchedWorkload *self)
{
  PtlSchedWorkload *copy;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), NULL);

  copy = ptl_sched_workload_new ();
  for (guint i = 0; i < self->processes->len; i++)
    {
      const Process *process = get_process (self, i);

      ptl_sched_workload_add_process (copy, process->name, process->arrival, process->priority,
                                      &g_array_index (self->bursts, gint64, process->first_burst),
                                      process->n_bursts);
    }
  return copy;
}

guint
ptl_sched_workload_add_process (PtlSchedWorkload *self,
                                const char       *name,
                                gint64            arrival,
                                int               priority,
                                const gint64     *bursts,
                                guint             n_bursts)
{
  Process process;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), G_MAXUINT);
  g_return_val_if_fail (name != NULL && *name != '\0', G_MAXUINT);
  g_return_val_if_fail (arrival >= 0 && arrival <= PTL_SCHED_TIME_MAX, G_MAXUINT);
  g_return_val_if_fail (priority >= PTL_SCHED_PRIORITY_MIN && priority <= PTL_SCHED_PRIORITY_MAX, G_MAXUINT);
  g_return_val_if_fail (bursts_are_valid (bursts, n_bursts), G_MAXUINT);
  g_return_val_if_fail (self->processes->len < G_MAXINT, G_MAXUINT);

  process.name = g_strdup (name);
  process.arrival = arrival;
  process.priority = priority;
  process.first_burst = self->bursts->len;
  process.n_bursts = n_bursts;
  g_array_append_vals (self->bursts, bursts, n_bursts);
  g_array_append_val (self->processes, process);

  return self->processes->len - 1;
}

guint
ptl_sched_workload_get_n_processes (PtlSchedWorkload *self)
{
  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), 0);

  return self->processes->len;
}

const char *
ptl_sched_workload_get_name (PtlSchedWorkload *self,
                             guint             index)
{
  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), NULL);
  g_return_val_if_fail (index < self->processes->len, NULL);

  return get_process (self, index)->name;
}

gint64
ptl_sched_workload_get_arrival (PtlSchedWorkload *self,
                                guint             index)
{
  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), 0);
  g_return_val_if_fail (index < self->processes->len, 0);

  return get_process (self, index)->arrival;
}

int
ptl_sched_workload_get_priority (PtlSchedWorkload *self,
                                 guint             index)
{
  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), 0);
  g_return_val_if_fail (index < self->processes->len, 0);

  return get_process (self, index)->priority;
}

const gint64 *
ptl_sched_workload_get_bursts (PtlSchedWorkload *self,
                               guint             index,
                               guint            *n_bursts)
{
  const Process *process;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), NULL);
  g_return_val_if_fail (index < self->processes->len, NULL);

  process = get_process (self, index);
  if (n_bursts != NULL)
    *n_bursts = process->n_bursts;
  return &g_array_index (self->bursts, gint64, process->first_burst);
}

gsize
ptl_sched_workload_get_n_bursts (PtlSchedWorkload *self)
{
  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), 0);

  return self->bursts->len;
}

PtlSchedWorkload *
ptl_sched_workload_new_from_csv (const char  *data,
                                 gssize       len,
                                 GError     **error)
{
  g_autoptr(PtlSchedWorkload) self = NULL;
  g_autoptr(GArray) bursts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PtlCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  int columns[N_COLS];
  guint n_columns;
  gsize size;
  gsize start;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  size = len < 0 ? strlen (data) : (gsize) len;
  if (!ptl_file_check_text (data, size, error))
    return NULL;
  start = ptl_file_skip_bom (data, size);
  stream = g_memory_input_stream_new_from_data (data + start, size - start, NULL);
  /* No file name: the loader's caller names the file, errors say "line L, column C". */
  reader = ptl_csv_reader_new (stream, NULL);

  if (!ptl_csv_reader_next (reader, NULL, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                     _("line 1: expected a header such as “name,arrival,burst,priority”, found an empty file"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!csv_read_header (reader, columns, error))
    return NULL;
  n_columns = ptl_csv_reader_get_n_fields (reader);

  self = ptl_sched_workload_new ();
  /* A local error: the reader tells the end from a failure by it. */
  while (ptl_csv_reader_next (reader, NULL, &local_error))
    if (!csv_read_process (self, reader, columns, n_columns, bursts, error))
      return NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&self);
}

PtlSchedWorkload *
ptl_sched_workload_new_from_json (const char  *data,
                                  gssize       len,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PtlSchedWorkload) self = NULL;
  g_autoptr(GArray) bursts = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonNode *processes;
  JsonArray *array;
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
      /* json-glib quotes the offending text raw, which after an escape
       * such as "\ud800" is not UTF-8. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("expected JSON: %s"), message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_json_error (error, "$", _("expected an object such as {\"processes\": [{\"name\": \"P1\", \"arrival\": 0, \"bursts\": [5, 3, 4]}]}"));
      return NULL;
    }
  processes = json_object_get_member (json_node_get_object (root), "processes");
  if (processes == NULL || !JSON_NODE_HOLDS_ARRAY (processes))
    {
      set_json_error (error, "$.processes", _("expected an array of processes"));
      return NULL;
    }

  self = ptl_sched_workload_new ();
  bursts = g_array_new (FALSE, FALSE, sizeof (gint64));
  array = json_node_get_array (processes);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!json_read_process (self, json_array_get_element (array, i), i, bursts, error))
      return NULL;

  return g_steal_pointer (&self);
}

PtlSchedWorkload *
ptl_sched_workload_load (const char  *path,
                         GError     **error)
{
  g_autofree char *data = NULL;
  PtlSchedWorkload *self;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ptl_file_read_regular (path, &data, &len, error))
    return NULL;

  self = ptl_file_looks_like_json (path, data, len)
    ? ptl_sched_workload_new_from_json (data, len, error)
    : ptl_sched_workload_new_from_csv (data, len, error);
  if (self == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_prefix_error (error, "%s: ", display);
    }
  return self;
}

char *
ptl_sched_workload_to_csv (PtlSchedWorkload *self)
{
  GString *out;
  gboolean simple = TRUE;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), NULL);

  for (guint i = 0; i < self->processes->len && simple; i++)
    simple = get_process (self, i)->n_bursts == 1;

  out = g_string_new (simple ? "name,arrival,burst,priority\n" : "name,arrival,priority,bursts\n");
  for (guint i = 0; i < self->processes->len; i++)
    {
      const Process *process = get_process (self, i);
      const gint64 *bursts = &g_array_index (self->bursts, gint64, process->first_burst);

      ptl_csv_append_field (out, process->name);
      if (simple)
        g_string_append_printf (out, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%d\n",
                                process->arrival, bursts[0], process->priority);
      else
        {
          g_string_append_printf (out, ",%" G_GINT64_FORMAT ",%d,",
                                  process->arrival, process->priority);
          for (guint b = 0; b < process->n_bursts; b++)
            g_string_append_printf (out, b == 0 ? "%" G_GINT64_FORMAT : ";%" G_GINT64_FORMAT,
                                    bursts[b]);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

char *
ptl_sched_workload_to_json (PtlSchedWorkload *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "processes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->processes->len; i++)
    {
      const Process *process = get_process (self, i);
      const gint64 *bursts = &g_array_index (self->bursts, gint64, process->first_burst);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, process->name);
      json_builder_set_member_name (builder, "arrival");
      json_builder_add_int_value (builder, process->arrival);
      json_builder_set_member_name (builder, "priority");
      json_builder_add_int_value (builder, process->priority);
      json_builder_set_member_name (builder, "bursts");
      json_builder_begin_array (builder);
      for (guint b = 0; b < process->n_bursts; b++)
        json_builder_add_int_value (builder, bursts[b]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
ptl_sched_workload_save_csv (PtlSchedWorkload  *self,
                             const char        *path,
                             GError           **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = ptl_sched_workload_to_csv (self);
  return ptl_file_replace_contents (path, data, strlen (data), error);
}

gboolean
ptl_sched_workload_save_json (PtlSchedWorkload  *self,
                              const char        *path,
                              GError           **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = ptl_sched_workload_to_json (self);
  return ptl_file_replace_contents (path, data, strlen (data), error);
}

gboolean
ptl_sched_workload_save (PtlSchedWorkload  *self,
                         const char        *path,
                         GError           **error)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".csv"))
    return ptl_sched_workload_save_csv (self, path, error);
  if (g_str_has_suffix (lower, ".json"))
    return ptl_sched_workload_save_json (self, path, error);

  {
    g_autofree char *display = g_filename_display_name (path);

    g_set_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT,
                 _("Cannot save a workload as %s: expected a name ending in .csv or .json"),
                 display);
  }
  return FALSE;
}

const char * const *
ptl_sched_workload_list_kinds (void)
{
  return generator_kinds;
}

PtlSchedWorkload *
ptl_sched_workload_generate (const char  *kind,
                             guint        n,
                             guint32      seed,
                             GError     **error)
{
  g_autoptr(PtlSchedWorkload) self = NULL;
  g_autoptr(GArray) bursts = NULL;
  g_autoptr(GRand) rand = NULL;
  gint64 arrival = 0;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_strv_contains (generator_kinds, kind))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) generator_kinds);

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Unknown workload kind “%s” (expected one of: %s)"), kind, allowed);
      return NULL;
    }
  if (n > PTL_SCHED_GENERATE_MAX)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Cannot generate %u processes: at most %u"), n, PTL_SCHED_GENERATE_MAX);
      return NULL;
    }

  self = ptl_sched_workload_new ();
  bursts = g_array_new (FALSE, FALSE, sizeof (gint64));
  rand = g_rand_new_with_seed (seed);

  /* Draw order per process is fixed (gap, then what add_generated draws),
   * so a seed gives the same workload everywhere. */
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (kind, "cpu-bound"))
        {
          arrival += i == 0 ? 0 : rand_between (rand, 0, 10);
          add_generated (self, rand, arrival, &cpu_bound_profile, bursts);
        }
      else if (g_str_equal (kind, "io-bound"))
        {
          arrival += i == 0 ? 0 : rand_between (rand, 0, 6);
          add_generated (self, rand, arrival, &io_bound_profile, bursts);
        }
      else if (g_str_equal (kind, "mixed"))
        {
          arrival += i == 0 ? 0 : rand_between (rand, 0, 8);
          add_generated (self, rand, arrival,
                         g_rand_boolean (rand) ? &cpu_bound_profile : &io_bound_profile,
                         bursts);
        }
      else if (g_str_equal (kind, "convoy"))
        {
          /* The long job arrives first; the short ones right behind it
           * wait its whole burst under FCFS: the convoy effect. */
          static const Profile long_profile = { 50, 100, 1, 1, 1, 1 };

          arrival += i == 0 ? 0 : rand_between (rand, 0, 2);
          add_generated (self, rand, arrival, i == 0 ? &long_profile : &short_profile, bursts);
        }
      else
        {
          g_assert (g_str_equal (kind, "many-short"));
          arrival += i == 0 ? 0 : rand_between (rand, 0, 3);
          add_generated (self, rand, arrival, &short_profile, bursts);
        }
      /* Arrivals grow by at most 10 per process, far below the limit for
       * PTL_SCHED_GENERATE_MAX processes. */
      g_assert (arrival <= PTL_SCHED_TIME_MAX);
    }

  return g_steal_pointer (&self);
}
