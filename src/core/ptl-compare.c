/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-compare"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-compare.h"

char *
ptl_compare_dup_run_name (PtlResult  *result,
                          const char *label,
                          const char *fallback)
{
  JsonObject *machine;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) date = NULL;
  const char *cpu = NULL, *date_text = NULL;

  g_return_val_if_fail (PTL_IS_RESULT (result), NULL);
  g_return_val_if_fail (fallback != NULL, NULL);

  machine = ptl_result_get_machine (result);
  if (machine != NULL)
    {
      cpu = json_object_get_string_member_with_default (machine, "cpu_model", NULL);
      date_text = json_object_get_string_member_with_default (machine, "date", NULL);
    }
  g_ptr_array_add (parts, g_strdup (label != NULL && *label != '\0' ? label : fallback));
  if (cpu != NULL && *cpu != '\0')
    g_ptr_array_add (parts, g_strdup (cpu));
  if (date_text != NULL && (date = g_date_time_new_from_iso8601 (date_text, NULL)) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (date);

      g_ptr_array_add (parts, g_date_time_format (local, "%Y-%m-%d %H:%M"));
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* Adds @first's chart with every run's series of it, and how to tell
 * them apart: a line style per run, and a colour per series of a run (a
 * series matched by name in every run the same colour; a chart of one
 * series a run colours the runs). */
static void
overlay_chart (PtlResult         *compare,
               PtlResult * const *results,
               const char * const *names,
               guint              n_runs,
               PtlChart          *first)
{
  const char *id = ptl_chart_get_id (first);
  PtlChart *chart = ptl_result_add_chart (compare, id, PTL_CHART_LINE, ptl_chart_get_title (first));
  g_autoptr(GArray) colors = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) dashes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) series_names = g_ptr_array_new ();
  guint most_series = 0;
  double min, max;

  ptl_chart_set_x_axis (chart, ptl_chart_get_x_label (first), ptl_chart_get_x_unit (first),
                        ptl_chart_get_x_log (first));
  ptl_chart_set_y_axis (chart, ptl_chart_get_y_label (first), ptl_chart_get_y_unit (first),
                        ptl_chart_get_y_log (first));
  if (ptl_chart_get_x_range (first, &min, &max))
    ptl_chart_set_x_range (chart, min, max);
  for (guint i = 0; i < ptl_chart_get_n_references (first); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (first, i);

      ptl_chart_add_reference (chart, reference->kind, reference->value, reference->label);
    }

  for (guint run = 0; run < n_runs; run++)
    {
      PtlChart *source = ptl_result_find_chart (results[run], id);

      if (source != NULL && ptl_chart_get_kind (source) == PTL_CHART_LINE)
        most_series = MAX (most_series, ptl_chart_get_n_series (source));
    }

  for (guint run = 0; run < n_runs; run++)
    {
      PtlChart *source = ptl_result_find_chart (results[run], id);

      if (source == NULL || ptl_chart_get_kind (source) != PTL_CHART_LINE)
        continue;
      for (guint i = 0; i < ptl_chart_get_n_series (source); i++)
        {
          PtlSeries *from = ptl_chart_get_series (source, i);
          const char *series_name = ptl_series_get_name (from);
          guint color = run;
          g_autofree char *name = ptl_chart_get_n_series (source) == 1
            ? g_strdup (names[run])
            : g_strdup_printf ("%s — %s", series_name, names[run]);
          PtlSeries *to = ptl_chart_add_series (chart, name);
          const PtlPoint *points;
          guint n;

          if (ptl_series_has_band (from))
            ptl_series_set_band_label (to, ptl_series_get_band_label (from));
          points = ptl_series_get_points (from, &n);
          for (guint k = 0; k < n; k++)
            ptl_series_add_point_band (to, points[k].x, points[k].y, points[k].lo, points[k].hi);

          if (most_series > 1 &&
              !g_ptr_array_find_with_equal_func (series_names, series_name, g_str_equal, &color))
            {
              color = series_names->len;
              g_ptr_array_add (series_names, (gpointer) series_name);
            }
          g_array_append_val (colors, color);
          g_array_append_val (dashes, run);
        }
    }
  ptl_chart_set_series_looks (chart, (const guint *) colors->data, (const guint *) dashes->data, colors->len);
}

/* A summary row's case: its text cells joined, e.g. "fcfs" or "cpu, threads". */
static char *
dup_case_key (PtlTable *table,
              guint     row)
{
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint column = 0; column < ptl_table_get_n_columns (table); column++)
    if (!ptl_table_cell_is_number (table, row, column))
      {
        const char *text = ptl_table_get_text (table, row, column);

        if (text == NULL || *text == '\0')
          continue;
        g_string_append_printf (key, "%s%s", key->len ? ", " : "", text);
      }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

static int
find_case (PtlTable   *table,
           const char *key)
{
  for (guint row = 0; row < ptl_table_get_n_rows (table); row++)
    {
      g_autofree char *candidate = dup_case_key (table, row);

      if (g_str_equal (candidate, key))
        return row;
    }
  return -1;
}

static void
compare_summaries (PtlResult         *compare,
                   PtlResult * const *results,
                   const char * const *names,
                   guint              n_runs)
{
  PtlTable *table = ptl_result_get_summary (compare);
  PtlTable *first = ptl_result_get_summary (results[0]);

  ptl_table_add_column (table, _("Case"), NULL);
  ptl_table_add_column (table, _("Figure"), NULL);
  for (guint run = 0; run < n_runs; run++)
    ptl_table_add_column (table, names[run], NULL);
  for (guint run = 1; run < n_runs; run++)
    {
      g_autofree char *ratio = g_strdup_printf (_("%u ÷ 1"), run + 1);

      ptl_table_add_column (table, ratio, "x");
    }

  /* The first run decides the rows; a case or figure another run lacks
   * shows as "–". */
  for (guint row = 0; row < ptl_table_get_n_rows (first); row++)
    {
      g_autofree char *key = dup_case_key (first, row);

      for (guint column = 0; column < ptl_table_get_n_columns (first); column++)
        {
          const char *figure = ptl_table_get_column_name (first, column);
          /* Columns match by id: names are translated. */
          const char *figure_id = ptl_table_get_column_id (first, column);
          double base;
          guint out;

          if (!ptl_table_cell_is_number (first, row, column))
            continue;
          base = ptl_table_get_number (first, row, column);
          out = ptl_table_add_row (table);
          ptl_table_set_text (table, out, 0, key);
          ptl_table_set_text (table, out, 1, figure);
          for (guint run = 0; run < n_runs; run++)
            {
              PtlTable *other = ptl_result_get_summary (results[run]);
              int other_row = find_case (other, key);
              int other_column = ptl_table_find_column (other, figure_id);
              g_autofree char *text = NULL;
              double value;

              if (other_row < 0 || other_column < 0 ||
                  !ptl_table_cell_is_number (other, other_row, other_column))
                {
                  ptl_table_set_text (table, out, 2 + run, "–");
                  continue;
                }
              value = ptl_table_get_number (other, other_row, other_column);
              text = ptl_table_format_cell (other, other_row, other_column);
              ptl_table_set_text (table, out, 2 + run, text);
              if (run > 0)
                ptl_table_set_number (table, out, 1 + n_runs + run, value / base);
            }
        }
    }
}

/* "Parameters differ: tasks (8 / 16)", so a reader knows what changed. */
static void
note_parameter_differences (PtlResult         *compare,
                            PtlResult * const *results,
                            guint              n_runs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) differences = g_string_new (NULL);

  for (guint run = 0; run < n_runs; run++)
    {
      JsonObject *parameters = ptl_result_get_parameters (results[run]);
      g_autoptr(GList) members = parameters ? json_object_get_members (parameters) : NULL;

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          g_autoptr(GString) values = g_string_new (NULL);
          gboolean differ = FALSE;
          JsonNode *reference = NULL;

          if (!g_hash_table_add (seen, (gpointer) name))
            continue;
          for (guint i = 0; i < n_runs; i++)
            {
              JsonObject *other = ptl_result_get_parameters (results[i]);
              JsonNode *node = other ? json_object_get_member (other, name) : NULL;
              g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("–");

              if (i == 0)
                reference = node;
              else if (node == NULL || reference == NULL || !json_node_equal (node, reference))
                differ = TRUE;
              g_string_append_printf (values, "%s%s", i ? " / " : "", text);
            }
          if (differ)
            g_string_append_printf (differences, "%s%s (%s)", differences->len ? "; " : "", name, values->str);
        }
    }
  if (differences->len > 0)
    ptl_result_add_note (compare, _("Parameters differ: %s"), differences->str);
}

PtlResult *
ptl_compare_results (PtlResult * const *results,
                     const char * const *names,
                     guint              n_runs,
                     GError           **error)
{
  g_autoptr(PtlResult) compare = NULL;
  g_autoptr(GHashTable) charts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  const char *experiment;
  guint skipped = 0;

  g_return_val_if_fail (results != NULL && names != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_runs < PTL_COMPARE_MIN_RUNS || n_runs > PTL_COMPARE_MAX_RUNS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Compare takes %d to %d runs, not %u"), PTL_COMPARE_MIN_RUNS, PTL_COMPARE_MAX_RUNS, n_runs);
      return NULL;
    }
  experiment = ptl_result_get_experiment_id (results[0]);
  for (guint run = 1; run < n_runs; run++)
    if (g_strcmp0 (ptl_result_get_experiment_id (results[run]), experiment) != 0)
      {
        g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                     _("Runs of different experiments cannot be compared: %s is “%s”, %s is “%s”"),
                     names[0], experiment, names[run], ptl_result_get_experiment_id (results[run]));
        return NULL;
      }

  title = g_strdup_printf (_("%s: %u runs compared"), ptl_result_get_title (results[0]), n_runs);
  compare = ptl_result_new (experiment, title);

  /* Charts in the order first met, so a chart only a later run drew
   * (another parameter set) is compared too. */
  for (guint run = 0; run < n_runs; run++)
    for (guint i = 0; i < ptl_result_get_n_charts (results[run]); i++)
      {
        PtlChart *chart = ptl_result_get_chart (results[run], i);

        if (ptl_chart_get_kind (chart) != PTL_CHART_LINE)
          {
            skipped += run == 0;
            continue;
          }
        if (g_hash_table_add (charts, (gpointer) ptl_chart_get_id (chart)))
          overlay_chart (compare, results, names, n_runs, chart);
      }

  compare_summaries (compare, results, names, n_runs);
  note_parameter_differences (compare, results, n_runs);
  if (skipped > 0)
    ptl_result_add_note (compare, g_dngettext (GETTEXT_PACKAGE, "%u bar or timeline chart is not overlaid; export the runs one by one to see it",
                                               "%u bar and timeline charts are not overlaid; export the runs one by one to see them", skipped),
                         skipped);
  return g_steal_pointer (&compare);
}
