/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-bankers-table"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ptl-bankers-experiment.h"
#include "ptl-bankers-table.h"

/* The rules are the state files' (ptl-bankers-state.h), checked cell by
 * cell so the window can point at the one at fault. */

enum { SHEET_AVAILABLE, SHEET_PROCESSES };
enum { COLUMN_NAME, COLUMN_MAXIMUM, COLUMN_ALLOCATION, COLUMN_NEED, N_COLUMNS };

#define GENERATOR_NAME "random"

static const PtlTableColumn available_columns[] = {
  { "available", N_("Free units"), N_("Free units of each resource type"),
    PTL_TABLE_COLUMN_INTEGERS, 0, PTL_BANKERS_VALUE_MAX, ' ', 2, FALSE, FALSE, TRUE },
};

static const PtlTableColumn process_columns[N_COLUMNS] = {
  [COLUMN_NAME] = { "name", N_("Process"), N_("Letters, digits, “_”, “-” or “.”; unique"),
                    PTL_TABLE_COLUMN_TEXT, 0, 0, 0, 3, TRUE, FALSE },
  [COLUMN_MAXIMUM] = { "maximum", N_("Maximum"), N_("The most of each resource the process will ever hold"),
                       PTL_TABLE_COLUMN_INTEGERS, 0, PTL_BANKERS_VALUE_MAX, ' ', 2, FALSE, FALSE, TRUE },
  [COLUMN_ALLOCATION] = { "allocation", N_("Allocation"), N_("What the process holds of each resource now, at most its maximum"),
                          PTL_TABLE_COLUMN_INTEGERS, 0, PTL_BANKERS_VALUE_MAX, ' ', 2, FALSE, FALSE, TRUE },
  [COLUMN_NEED] = { "need", N_("Need"), N_("Maximum minus allocation: what the process may still ask for"),
                    PTL_TABLE_COLUMN_INTEGERS, 0, PTL_BANKERS_VALUE_MAX, ' ', 2, FALSE, TRUE, TRUE },
};

static const PtlTableSheet sheets[] = {
  [SHEET_AVAILABLE] = { "available", N_("Available"), available_columns, G_N_ELEMENTS (available_columns),
                        FALSE, NULL, NULL },
  [SHEET_PROCESSES] = { "processes", N_("Processes"), process_columns, N_COLUMNS,
                        TRUE, N_("_Add Process"), N_("Remove this process") },
};

static const PtlTablePreset presets[] = {
  { "silberschatz", N_("Silberschatz"), N_("Operating System Concepts, §7.5.3: 5 processes, 3 resource types") },
  { "tanenbaum", N_("Tanenbaum"), N_("Modern Operating Systems, fig. 6-12: 5 processes, 4 resource types") },
  { "single", N_("One Resource"), N_("Tanenbaum's one-resource example, fig. 6-9 (a): safe") },
  { "unsafe", N_("Unsafe"), N_("The same after one more unit goes to A, fig. 6-9 (b)") },
  { GENERATOR_NAME, N_("Random"), N_("A random safe state from the generator") },
  { NULL }
};

PtlTableInput *
ptl_bankers_table_from_state (const PtlBankersState *state)
{
  PtlTableInput *input = ptl_table_input_new (&ptl_bankers_table_spec);
  guint m = state->n_resources;

  ptl_table_input_append_row (input, SHEET_AVAILABLE, FALSE);
  ptl_table_input_set_integers (input, SHEET_AVAILABLE, 0, 0, state->available, m);
  for (guint p = 0; p < state->n_processes; p++)
    {
      guint row = ptl_table_input_append_row (input, SHEET_PROCESSES, FALSE);

      ptl_table_input_set_text (input, SHEET_PROCESSES, row, COLUMN_NAME, state->names[p]);
      ptl_table_input_set_integers (input, SHEET_PROCESSES, row, COLUMN_MAXIMUM, &state->maximum[p * m], m);
      ptl_table_input_set_integers (input, SHEET_PROCESSES, row, COLUMN_ALLOCATION, &state->allocation[p * m], m);
    }
  ptl_bankers_table_spec.derive (input);
  return input;
}

PtlBankersState *
ptl_bankers_table_to_state (PtlTableInput *input)
{
  g_autoptr(GArray) available = ptl_table_input_dup_integers (input, SHEET_AVAILABLE, 0, 0);
  guint n = ptl_table_input_get_n_rows (input, SHEET_PROCESSES);
  guint m = available->len;
  PtlBankersState *state = ptl_bankers_state_new (n, m);

  memcpy (state->available, available->data, m * sizeof (gint64));
  for (guint p = 0; p < n; p++)
    {
      g_autoptr(GArray) maximum = ptl_table_input_dup_integers (input, SHEET_PROCESSES, p, COLUMN_MAXIMUM);
      g_autoptr(GArray) allocation = ptl_table_input_dup_integers (input, SHEET_PROCESSES, p, COLUMN_ALLOCATION);

      g_free (state->names[p]);
      state->names[p] = g_strstrip (g_strdup (ptl_table_input_get_text (input, SHEET_PROCESSES, p, COLUMN_NAME)));
      memcpy (&state->maximum[p * m], maximum->data, m * sizeof (gint64));
      memcpy (&state->allocation[p * m], allocation->data, m * sizeof (gint64));
    }
  return state;
}

static PtlTableInput *
bankers_table_resolve (PtlExperiment  *experiment,
                       GError        **error)
{
  g_autoptr(PtlBankersState) state = NULL;

  state = ptl_bankers_experiment_dup_state (PTL_BANKERS_EXPERIMENT (experiment), NULL, NULL, error);
  return state != NULL ? ptl_bankers_table_from_state (state) : NULL;
}

static gboolean
bankers_table_is_preset (PtlExperiment *experiment,
                         const char    *value)
{
  return g_strv_contains (ptl_bankers_list_examples (), value) || g_str_equal (value, GENERATOR_NAME);
}

static char *
bankers_table_describe_presets (PtlExperiment *experiment)
{
  guint processes, resources, seed;

  g_object_get (experiment, "processes", &processes, "resources", &resources, "seed", &seed, NULL);
  return g_strdup_printf (_("The textbooks' worked examples; Random takes Processes (%u), Resource types (%u) and Seed (%u) from the parameters above."),
                          processes, resources, seed);
}

static PtlTableInput *
bankers_table_load (const char  *path,
                    GError     **error)
{
  g_autoptr(PtlBankersState) state = ptl_bankers_state_load (path, error);

  return state != NULL ? ptl_bankers_table_from_state (state) : NULL;
}

static gboolean
bankers_table_save (PtlTableInput  *input,
                    const char     *path,
                    GError        **error)
{
  g_autoptr(PtlBankersState) state = ptl_bankers_table_to_state (input);

  return ptl_bankers_state_save (state, path, error);
}

static gboolean
check_vector (PtlTableInput  *input,
              guint           row,
              guint           column,
              guint           m,
              PtlTableCell   *at,
              GError        **error)
{
  g_autoptr(GArray) values = ptl_table_input_dup_integers (input, SHEET_PROCESSES, row, column);

  if (values->len == m)
    return TRUE;
  *at = (PtlTableCell) { SHEET_PROCESSES, row, column };
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
               ngettext ("expected %u number, one per resource type, found %u",
                         "expected %u numbers, one per resource type, found %u", m),
               m, values->len);
  return FALSE;
}

static gboolean
bankers_table_check (PtlTableInput  *input,
                     PtlTableCell   *at,
                     GError        **error)
{
  g_autoptr(GArray) available = ptl_table_input_dup_integers (input, SHEET_AVAILABLE, 0, 0);
  guint n = ptl_table_input_get_n_rows (input, SHEET_PROCESSES);
  guint m = available->len;

  if (m > PTL_BANKERS_MAX_RESOURCES)
    {
      *at = (PtlTableCell) { SHEET_AVAILABLE, 0, 0 };
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("expected at most %d resource types, found %u"), PTL_BANKERS_MAX_RESOURCES, m);
      return FALSE;
    }
  if (n == 0 || n > PTL_BANKERS_MAX_PROCESSES)
    {
      *at = (PtlTableCell) { SHEET_PROCESSES, n == 0 ? 0 : PTL_BANKERS_MAX_PROCESSES, COLUMN_NAME };
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("expected 1 to %d processes, found %u"), PTL_BANKERS_MAX_PROCESSES, n);
      return FALSE;
    }

  for (guint p = 0; p < n; p++)
    {
      g_autofree char *name = g_strstrip (g_strdup (ptl_table_input_get_text (input, SHEET_PROCESSES, p, COLUMN_NAME)));
      g_autoptr(GArray) maximum = NULL;
      g_autoptr(GArray) allocation = NULL;

      *at = (PtlTableCell) { SHEET_PROCESSES, p, COLUMN_NAME };
      if (!ptl_bankers_check_name (name, error))
        return FALSE;
      for (guint q = 0; q < p; q++)
        {
          g_autofree char *other = g_strstrip (g_strdup (ptl_table_input_get_text (input, SHEET_PROCESSES, q, COLUMN_NAME)));

          if (g_str_equal (name, other))
            {
              g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER, _("process “%s” appears twice"), name);
              return FALSE;
            }
        }
      if (!check_vector (input, p, COLUMN_MAXIMUM, m, at, error) ||
          !check_vector (input, p, COLUMN_ALLOCATION, m, at, error))
        return FALSE;

      maximum = ptl_table_input_dup_integers (input, SHEET_PROCESSES, p, COLUMN_MAXIMUM);
      allocation = ptl_table_input_dup_integers (input, SHEET_PROCESSES, p, COLUMN_ALLOCATION);
      for (guint r = 0; r < m; r++)
        {
          gint64 held = g_array_index (allocation, gint64, r);
          gint64 claim = g_array_index (maximum, gint64, r);

          if (held > claim)
            {
              *at = (PtlTableCell) { SHEET_PROCESSES, p, COLUMN_ALLOCATION };
              g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                           _("%s holds %" PRId64 " of resource %s but claims at most %" PRId64),
                           name, held, ptl_bankers_resource_name (r), claim);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void
bankers_table_derive (PtlTableInput *input)
{
  guint n = ptl_table_input_get_n_rows (input, SHEET_PROCESSES);

  for (guint p = 0; p < n; p++)
    {
      g_autoptr(GArray) maximum = ptl_table_input_dup_integers (input, SHEET_PROCESSES, p, COLUMN_MAXIMUM);
      g_autoptr(GArray) allocation = ptl_table_input_dup_integers (input, SHEET_PROCESSES, p, COLUMN_ALLOCATION);
      gint64 need[PTL_BANKERS_MAX_RESOURCES];
      guint m = MIN (MIN (maximum->len, allocation->len), PTL_BANKERS_MAX_RESOURCES);

      for (guint r = 0; r < m; r++)
        need[r] = g_array_index (maximum, gint64, r) - g_array_index (allocation, gint64, r);
      ptl_table_input_set_integers (input, SHEET_PROCESSES, p, COLUMN_NEED, need, m);
    }
}

/* The next free name in Silberschatz's P0, P1, … and nothing claimed or
 * held of each resource type the available vector has. */
static void
bankers_table_fill_new_row (PtlTableInput *input,
                            guint          sheet)
{
  g_autoptr(GArray) available = ptl_table_input_dup_integers (input, SHEET_AVAILABLE, 0, 0);
  guint row = ptl_table_input_get_n_rows (input, SHEET_PROCESSES) - 1;
  gint64 zeros[PTL_BANKERS_MAX_RESOURCES] = { 0 };
  guint m = CLAMP (available->len, 1, PTL_BANKERS_MAX_RESOURCES);

  g_assert (sheet == SHEET_PROCESSES);
  for (guint k = row;; k++)
    {
      g_autofree char *name = g_strdup_printf ("P%u", k);
      gboolean taken = FALSE;

      for (guint i = 0; i < row && !taken; i++)
        taken = g_strcmp0 (ptl_table_input_get_text (input, SHEET_PROCESSES, i, COLUMN_NAME), name) == 0;
      if (!taken)
        {
          ptl_table_input_set_text (input, SHEET_PROCESSES, row, COLUMN_NAME, name);
          break;
        }
    }
  ptl_table_input_set_integers (input, SHEET_PROCESSES, row, COLUMN_MAXIMUM, zeros, m);
  ptl_table_input_set_integers (input, SHEET_PROCESSES, row, COLUMN_ALLOCATION, zeros, m);
  ptl_table_input_set_integers (input, SHEET_PROCESSES, row, COLUMN_NEED, zeros, m);
}

/* The resource types the available vector counts; the vectors of the
 * processes hold as many (bankers_table_check ()). */
static char **
bankers_table_dup_item_names (PtlTableInput *input)
{
  g_autoptr(GArray) available = ptl_table_input_dup_integers (input, SHEET_AVAILABLE, 0, 0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint r = 0; r < MIN (available->len, PTL_BANKERS_MAX_RESOURCES); r++)
    g_strv_builder_add (builder, ptl_bankers_resource_name (r));
  return g_strv_builder_end (builder);
}

const PtlTableSpec ptl_bankers_table_spec = {
  .param = "state",
  .title = N_("State"),
  .file_stem = "state",
  .help = N_("One column per resource type A, B, C, …; the number of types comes with an example or an imported file. Need is maximum minus allocation and follows your edits."),
  .sheets = sheets,
  .n_sheets = G_N_ELEMENTS (sheets),
  .presets_title = N_("Examples"),
  .presets = presets,
  .resolve = bankers_table_resolve,
  .is_preset = bankers_table_is_preset,
  .describe_presets = bankers_table_describe_presets,
  .load = bankers_table_load,
  .save = bankers_table_save,
  .check = bankers_table_check,
  .derive = bankers_table_derive,
  .fill_new_row = bankers_table_fill_new_row,
  .dup_item_names = bankers_table_dup_item_names,
};
