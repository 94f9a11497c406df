/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sched-table"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-sched-experiment-private.h"
#include "ptl-sched-table.h"

enum
{
  COLUMN_NAME,
  COLUMN_ARRIVAL,
  COLUMN_BURSTS,
  COLUMN_PRIORITY,
  N_COLUMNS
};

static const PtlTableColumn columns[N_COLUMNS] = {
  [COLUMN_NAME] = { "name", N_("Name"), N_("Any non-empty text; the charts label the process with it"),
                    PTL_TABLE_COLUMN_TEXT, 0, 0, 0, 4, TRUE, FALSE },
  [COLUMN_ARRIVAL] = { "arrival", N_("Arrival"), N_("When the process arrives, in whole time units from 0"),
                       PTL_TABLE_COLUMN_INTEGER, 0, PTL_SCHED_TIME_MAX, 0, 3, FALSE, FALSE },
  [COLUMN_BURSTS] = { "bursts", N_("Bursts"),
                      N_("CPU and I/O bursts in time units, alternating and separated by “;”: “5;3;4” is CPU 5, I/O 3, CPU 4"),
                      PTL_TABLE_COLUMN_INTEGERS, 1, PTL_SCHED_TIME_MAX, ';', 5, TRUE, FALSE },
  [COLUMN_PRIORITY] = { "priority", N_("Priority"), N_("A lower number means a higher priority: 0 runs before 7"),
                        PTL_TABLE_COLUMN_INTEGER, PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX, 0, 3, FALSE, FALSE },
};

static const PtlTableSheet sheets[] = {
  { "processes", N_("Processes"), columns, N_COLUMNS, TRUE, N_("_Add Process"), N_("Remove this process") },
};

static const PtlTablePreset presets[] = {
  { "cpu-bound", N_("CPU-bound"), N_("Long CPU bursts with short I/O between") },
  { "io-bound", N_("I/O-bound"), N_("Short CPU bursts with long I/O between") },
  { "mixed", N_("Mixed"), N_("Each process CPU- or I/O-bound at random") },
  { "convoy", N_("Convoy"), N_("One long job at time 0, then short ones right behind it") },
  { "many-short", N_("Many Short"), N_("Single short bursts arriving close together") },
  { NULL }
};

static guint
get_uint (PtlExperiment *experiment,
          const char    *name)
{
  guint value;

  g_object_get (experiment, name, &value, NULL);
  return value;
}

PtlTableInput *
ptl_sched_table_from_workload (PtlSchedWorkload *workload)
{
  PtlTableInput *input = ptl_table_input_new (&ptl_sched_table_spec);
  guint n = ptl_sched_workload_get_n_processes (workload);

  for (guint i = 0; i < n; i++)
    {
      guint row = ptl_table_input_append_row (input, 0, FALSE);
      const gint64 *bursts;
      guint n_bursts;

      bursts = ptl_sched_workload_get_bursts (workload, i, &n_bursts);
      ptl_table_input_set_text (input, 0, row, COLUMN_NAME, ptl_sched_workload_get_name (workload, i));
      ptl_table_input_set_integer (input, 0, row, COLUMN_ARRIVAL, ptl_sched_workload_get_arrival (workload, i));
      ptl_table_input_set_integers (input, 0, row, COLUMN_BURSTS, bursts, n_bursts);
      ptl_table_input_set_integer (input, 0, row, COLUMN_PRIORITY, ptl_sched_workload_get_priority (workload, i));
    }
  return input;
}

PtlSchedWorkload *
ptl_sched_table_to_workload (PtlTableInput *input)
{
  PtlSchedWorkload *workload = ptl_sched_workload_new ();
  guint n = ptl_table_input_get_n_rows (input, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GArray) bursts = ptl_table_input_dup_integers (input, 0, i, COLUMN_BURSTS);
      g_autofree char *name = g_strdup (ptl_table_input_get_text (input, 0, i, COLUMN_NAME));

      ptl_sched_workload_add_process (workload, g_strstrip (name),
                                      ptl_table_input_get_integer (input, 0, i, COLUMN_ARRIVAL),
                                      (int) ptl_table_input_get_integer (input, 0, i, COLUMN_PRIORITY),
                                      (const gint64 *) bursts->data, bursts->len);
    }
  return workload;
}

static PtlTableInput *
sched_table_resolve (PtlExperiment  *experiment,
                     GError        **error)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autofree char *spec = NULL;

  g_object_get (experiment, "workload", &spec, NULL);
  workload = _ptl_sched_workload_resolve (spec, get_uint (experiment, "processes"),
                                          get_uint (experiment, "seed"), error);
  return workload != NULL ? ptl_sched_table_from_workload (workload) : NULL;
}

static gboolean
sched_table_is_preset (PtlExperiment *experiment,
                       const char    *value)
{
  return g_strv_contains (ptl_sched_workload_list_kinds (), value);
}

static char *
sched_table_describe_presets (PtlExperiment *experiment)
{
  return g_strdup_printf (_("With Processes (%u) and Seed (%u) from the parameters above."),
                          get_uint (experiment, "processes"), get_uint (experiment, "seed"));
}

static PtlTableInput *
sched_table_load (const char  *path,
                  GError     **error)
{
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_load (path, error);

  return workload != NULL ? ptl_sched_table_from_workload (workload) : NULL;
}

static gboolean
sched_table_save (PtlTableInput  *input,
                  const char     *path,
                  GError        **error)
{
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_table_to_workload (input);

  return ptl_sched_workload_save (workload, path, error);
}

/* Bursts alternate CPU and I/O, starting and ending with CPU. */
static gboolean
sched_table_check (PtlTableInput  *input,
                   PtlTableCell   *at,
                   GError        **error)
{
  guint n = ptl_table_input_get_n_rows (input, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GArray) bursts = ptl_table_input_dup_integers (input, 0, i, COLUMN_BURSTS);

      if (bursts->len % 2 == 0)
        {
          *at = (PtlTableCell) { 0, i, COLUMN_BURSTS };
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("expected an odd number of bursts alternating CPU and I/O, such as “5;3;4”, found %u"),
                       bursts->len);
          return FALSE;
        }
    }
  return TRUE;
}

/* "P6", or the next free "Pn" when that name is taken; arriving with the
 * last process, one short CPU burst: the textbook's "one more job". */
static void
sched_table_fill_new_row (PtlTableInput *input,
                          guint          sheet)
{
  guint row = ptl_table_input_get_n_rows (input, 0) - 1;
  gint64 arrival = 0;

  for (guint k = row + 1;; k++)
    {
      g_autofree char *name = g_strdup_printf ("P%u", k);
      gboolean taken = FALSE;

      for (guint i = 0; i < row && !taken; i++)
        taken = g_strcmp0 (ptl_table_input_get_text (input, 0, i, COLUMN_NAME), name) == 0;
      if (!taken)
        {
          ptl_table_input_set_text (input, 0, row, COLUMN_NAME, name);
          break;
        }
    }
  for (guint i = 0; i < row; i++)
    arrival = MAX (arrival, g_ascii_strtoll (ptl_table_input_get_text (input, 0, i, COLUMN_ARRIVAL), NULL, 10));
  ptl_table_input_set_integer (input, 0, row, COLUMN_ARRIVAL, arrival);
  ptl_table_input_set_text (input, 0, row, COLUMN_BURSTS, "4");
  ptl_table_input_set_text (input, 0, row, COLUMN_PRIORITY, "0");
}

const PtlTableSpec ptl_sched_table_spec = {
  .param = "workload",
  .title = N_("Workload"),
  .file_stem = "workload",
  .help = N_("Times are whole units (see Time unit). Bursts alternate CPU and I/O: “5;3;4” is CPU 5, I/O 3, CPU 4. A lower priority number means a higher priority."),
  .sheets = sheets,
  .n_sheets = G_N_ELEMENTS (sheets),
  .presets_title = N_("New from a Generator"),
  .presets = presets,
  .resolve = sched_table_resolve,
  .is_preset = sched_table_is_preset,
  .describe_presets = sched_table_describe_presets,
  .load = sched_table_load,
  .save = sched_table_save,
  .check = sched_table_check,
  .fill_new_row = sched_table_fill_new_row,
};
