/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ptl-core.h"
#include "ptl-plot.h"

/* Compare: charts overlaid per run, summaries aligned by case and figure
 * even when the runs' parameters made different rows. */

static PtlResult *
make_run (const char *experiment,
          int         tasks,
          double      scale,
          gboolean    with_io)
{
  PtlResult *result = ptl_result_new (experiment, "Models");
  g_autoptr(JsonObject) parameters = json_object_new ();
  PtlChart *speedup, *latency;
  PtlTable *table;
  guint row;

  json_object_set_int_member (parameters, "tasks", tasks);
  json_object_set_string_member (parameters, "workload", "cpu");
  ptl_result_set_parameters (result, parameters);

  speedup = ptl_result_add_chart (result, "speedup", PTL_CHART_LINE, "Speedup");
  ptl_chart_set_y_axis (speedup, "speedup", "x", FALSE);
  for (int i = 1; i <= tasks; i *= 2)
    ptl_series_add_point (ptl_chart_find_series (speedup, "threads") ? ptl_chart_find_series (speedup, "threads")
                                                                     : ptl_chart_add_series (speedup, "threads"),
                          i, i * scale);
  latency = ptl_result_add_chart (result, "latency", PTL_CHART_LINE, "Latency");
  ptl_series_add_point (ptl_chart_add_series (latency, "p50"), 1, scale);
  ptl_series_add_point (ptl_chart_add_series (latency, "p99"), 1, 2 * scale);
  ptl_result_add_chart (result, "cost", PTL_CHART_BAR, "Cost");

  table = ptl_result_get_summary (result);
  ptl_table_add_column (table, "model", NULL);
  ptl_table_add_column (table, "time", "s");
  if (with_io)
    {
      row = ptl_table_add_row (table);
      ptl_table_set_text (table, row, 0, "io");
      ptl_table_set_number (table, row, 1, 7);
    }
  row = ptl_table_add_row (table);
  ptl_table_set_text (table, row, 0, "threads");
  ptl_table_set_number (table, row, 1, 2 * scale);
  return result;
}

static void
test_overlay_and_summary (void)
{
  g_autoptr(PtlResult) a = make_run ("models", 4, 1, FALSE);
  g_autoptr(PtlResult) b = make_run ("models", 8, 0.5, TRUE);
  g_autoptr(PtlResult) compare = NULL;
  g_autoptr(GError) error = NULL;
  PtlResult *runs[] = { a, b };
  const char *names[] = { "laptop", "server" };
  PtlChart *chart;
  PtlTable *table;
  const PtlPoint *points;
  guint n;

  compare = ptl_compare_results (runs, names, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ptl_result_get_experiment_id (compare), ==, "models");
  /* Line charts only: the bar chart is named in a note. */
  g_assert_cmpuint (ptl_result_get_n_charts (compare), ==, 2);

  chart = ptl_result_find_chart (compare, "speedup");
  g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, "x");
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 2);
  g_assert_cmpstr (ptl_series_get_name (ptl_chart_get_series (chart, 0)), ==, "laptop");
  points = ptl_series_get_points (ptl_chart_get_series (chart, 1), &n);
  /* Each run keeps its own x values (1 … 8 against 1 … 4). */
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (points[3].x, ==, 8);
  g_assert_cmpfloat (points[3].y, ==, 4);

  chart = ptl_result_find_chart (compare, "latency");
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 4);
  g_assert_cmpstr (ptl_series_get_name (ptl_chart_get_series (chart, 3)), ==, "p99 — server");

  /* Rows follow the first run; "threads" is row 0 there, row 1 in b. */
  table = ptl_result_get_summary (compare);
  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, 5);
  g_assert_cmpstr (ptl_table_get_column_name (table, 2), ==, "laptop");
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, 1);
  g_assert_cmpstr (ptl_table_get_text (table, 0, 0), ==, "threads");
  g_assert_cmpstr (ptl_table_get_text (table, 0, 1), ==, "time");
  g_assert_cmpstr (ptl_table_get_text (table, 0, 2), ==, "2.00 s");
  g_assert_cmpstr (ptl_table_get_text (table, 0, 3), ==, "1.00 s");
  g_assert_cmpfloat (ptl_table_get_number (table, 0, 4), ==, 0.5);

  g_assert_cmpuint (ptl_result_get_n_notes (compare), ==, 2);
  g_assert_cmpstr (ptl_result_get_note (compare, 0), ==, "Parameters differ: tasks (4 / 8)");
  g_assert_nonnull (strstr (ptl_result_get_note (compare, 1), "1 bar or timeline chart"));
}

static void
test_refusals (void)
{
  g_autoptr(PtlResult) a = make_run ("models", 4, 1, FALSE);
  g_autoptr(PtlResult) b = make_run ("pool", 4, 1, FALSE);
  g_autoptr(GError) error = NULL;
  PtlResult *runs[] = { a, b };
  const char *names[] = { "a", "b" };

  g_assert_null (ptl_compare_results (runs, names, 2, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "Runs of different experiments cannot be compared: a is “models”, b is “pool”");
  g_clear_error (&error);

  g_assert_null (ptl_compare_results (runs, names, 1, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

/* Looks follow the overlay's order: a series keeps its colour in every
 * run, each run has its line style; a chart of one series per run colours
 * the runs. The compare result carries them, for whatever draws it. */
static void
test_series_looks (void)
{
  g_autoptr(PtlResult) a = make_run ("models", 4, 1, FALSE);
  g_autoptr(PtlResult) b = make_run ("models", 8, 0.5, TRUE);
  g_autoptr(PtlResult) compare = NULL;
  g_autoptr(PtlResult) copy = NULL;
  g_autoptr(GError) error = NULL;
  const guint *colors = NULL;
  const guint *dashes = NULL;
  PtlResult *runs[] = { a, b };
  const char *names[] = { "A", "B" };
  guint n = 0;

  compare = ptl_compare_results (runs, names, 2, &error);
  g_assert_no_error (error);

  g_assert_true (ptl_chart_get_series_looks (ptl_result_find_chart (compare, "latency"), &colors, &dashes, &n));
  g_assert_cmpuint (n, ==, ptl_chart_get_n_series (ptl_result_find_chart (compare, "latency")));
  g_assert_cmpuint (n, ==, 4);
  /* p50 A, p99 A, p50 B, p99 B. */
  g_assert_cmpuint (colors[0], ==, colors[2]);
  g_assert_cmpuint (colors[1], ==, colors[3]);
  g_assert_cmpuint (colors[0], !=, colors[1]);
  g_assert_cmpuint (dashes[0], ==, dashes[1]);
  g_assert_cmpuint (dashes[2], ==, dashes[3]);
  g_assert_cmpuint (dashes[0], !=, dashes[2]);

  copy = ptl_result_copy (compare);
  g_assert_true (ptl_chart_get_series_looks (ptl_result_find_chart (copy, "speedup"), &colors, &dashes, &n));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (colors[0], !=, colors[1]);
  g_assert_cmpuint (dashes[0], !=, dashes[1]);

  /* A run's own charts have none. */
  g_assert_false (ptl_chart_get_series_looks (ptl_result_find_chart (a, "speedup"), &colors, &dashes, &n));
}

/* What `ptlab compare --export cmp.svg` writes: every overlaid chart draws
 * the second run dashed (cairo writes a stroke-dasharray for it), not
 * only the window. */
static void
test_export_looks (void)
{
  g_autoptr(PtlResult) a = make_run ("models", 4, 1, FALSE);
  g_autoptr(PtlResult) b = make_run ("models", 8, 0.5, TRUE);
  g_autoptr(PtlResult) compare = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ptlab-test-compare-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cmp.svg", NULL);
  g_autofree char *svg = NULL;
  g_auto(GStrv) pieces = NULL;
  PtlResult *runs[] = { a, b };
  const char *names[] = { "A", "B" };

  compare = ptl_compare_results (runs, names, 2, &error);
  g_assert_no_error (error);
  g_assert_true (ptl_export_to_file (compare, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_true (g_str_has_prefix (svg, "<?xml") || g_str_has_prefix (svg, "<svg"));
  /* Two charts overlaid, each with a dashed line and its legend swatch. */
  pieces = g_strsplit (svg, "stroke-dasharray", -1);
  g_assert_cmpuint (g_strv_length (pieces) - 1, >=, 4);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_run_name (void)
{
  g_autoptr(PtlResult) result = ptl_result_new ("models", "Models");
  g_autoptr(JsonObject) machine = json_object_new ();
  g_autofree char *bare = ptl_compare_dup_run_name (result, NULL, "run 3");
  g_autofree char *named = NULL;

  g_assert_cmpstr (bare, ==, "run 3");
  json_object_set_string_member (machine, "cpu_model", "Test CPU");
  ptl_result_set_machine (result, machine);
  named = ptl_compare_dup_run_name (result, "server", "run 3");
  g_assert_cmpstr (named, ==, "server · Test CPU");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/compare/overlay-summary", test_overlay_and_summary);
  g_test_add_func ("/ptl/compare/refusals", test_refusals);
  g_test_add_func ("/ptl/compare/run-name", test_run_name);
  g_test_add_func ("/ptl/compare/series-looks", test_series_looks);
  g_test_add_func ("/ptl/compare/export-looks", test_export_looks);

  return g_test_run ();
}
