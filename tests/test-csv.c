/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ptl-core.h"

/* The CSV reader behind `ptlab plot`: both table shapes, RFC 4180 quoting,
 * and errors that name the line. */

static PtlResult *
import_text (const char    *text,
             PtlChartKind   kind,
             GError       **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (text), strlen (text), g_free);
  PtlCsvImportOptions options = { kind, NULL, NULL, NULL, FALSE, FALSE };

  return ptl_csv_import (stream, "t.csv", &options, NULL, error);
}

static void
test_plain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result =
    import_text ("# a comment\r\n"
                 "tasks,\"threads, pooled\",\"say \"\"hi\"\"\"\r\n"
                 "\r\n"
                 "1, 0.5 ,2\r\n"
                 "2,,\"3e-3\"\r\n"
                 "4,0.25,\"multi\n"
                 "line\"\r\n",
                 PTL_CHART_LINE, &error);
  PtlChart *chart;
  const PtlPoint *points;
  guint n;

  /* The multi-line field is not a number: its record starts on line 6. */
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_cmpstr (error->message, ==, "t.csv:6: say \"hi\" “multi\nline” is not a number");
  g_clear_error (&error);

  result = import_text ("tasks,\"threads, pooled\",\"say \"\"hi\"\"\"\n"
                        "1, 0.5 ,2\n"
                        "2,,\"3e-3\"\n"
                        "4,0.25,nan\n",
                        PTL_CHART_LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ptl_result_get_n_charts (result), ==, 1);
  chart = ptl_result_get_chart (result, 0);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_x_label (chart), ==, "tasks");
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 2);
  g_assert_cmpstr (ptl_series_get_name (ptl_chart_get_series (chart, 0)), ==, "threads, pooled");
  g_assert_cmpstr (ptl_series_get_name (ptl_chart_get_series (chart, 1)), ==, "say \"hi\"");

  /* The empty cell is a missing point. */
  points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (points[0].y, ==, 0.5);
  g_assert_cmpfloat (points[1].x, ==, 4);
  /* "nan" is a number, and missing too. */
  points = ptl_series_get_points (ptl_chart_get_series (chart, 1), &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (points[1].y, ==, 3e-3);
}

static void
test_bar_categories (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result =
    import_text ("model,time\nfork,3\nthread,1\nfork,4\n", PTL_CHART_BAR, &error);
  PtlChart *chart;
  const PtlPoint *points;
  guint n;

  g_assert_no_error (error);
  chart = ptl_result_get_chart (result, 0);
  g_assert_cmpuint (ptl_chart_get_n_categories (chart), ==, 2);
  g_assert_cmpstr (ptl_chart_get_categories (chart)[1], ==, "thread");
  points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (points[2].x, ==, 0);
}

/* What ptl_result_to_csv () writes reads back as the same charts. */
static void
test_tidy_round_trip (void)
{
  g_autoptr(PtlResult) original = ptl_result_new ("models", "Models");
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  const char * const categories[] = { "fork, then exec", "thread", NULL };
  PtlChart *line, *bar, *chart;
  PtlSeries *series;
  const PtlPoint *points;
  guint n;

  line = ptl_result_add_chart (original, "latency", PTL_CHART_LINE, "Latency");
  ptl_chart_set_x_axis (line, "tasks", "", FALSE);
  ptl_chart_set_y_axis (line, "time", "s", FALSE);
  series = ptl_chart_add_series (line, "p50");
  ptl_series_set_band_label (series, "p5–p95");
  ptl_series_add_point_band (series, 1, 0.5, 0.25, 0.75);
  ptl_series_add_point_band (series, 2, 0.125, 0.0625, 1e-9);
  bar = ptl_result_add_chart (original, "cost", PTL_CHART_BAR, "Cost");
  ptl_chart_set_categories (bar, categories);
  ptl_series_add_point (ptl_chart_add_series (bar, "time"), 0, 3);
  ptl_series_add_point (ptl_chart_get_series (bar, 0), 1, 4);
  csv = ptl_result_to_csv (original);

  /* As --kind line, the bar chart's category names are not numbers. */
  result = import_text (csv, PTL_CHART_LINE, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_true (g_str_has_prefix (error->message, "t.csv:4: x “fork, then exec” is not a number"));
  g_clear_error (&error);

  result = import_text (csv, PTL_CHART_BAR, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ptl_result_get_n_charts (result), ==, 2);
  chart = ptl_result_find_chart (result, "latency");
  g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, "s");
  series = ptl_chart_find_series (chart, "p50");
  g_assert_true (ptl_series_has_band (series));
  points = ptl_series_get_points (series, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (points[1].hi, ==, 1e-9);
  chart = ptl_result_find_chart (result, "cost");
  g_assert_cmpstr (ptl_chart_get_categories (chart)[0], ==, "fork, then exec");
  points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (points[1].x, ==, 1);
  g_assert_cmpfloat (points[1].y, ==, 4);
}

static void
test_errors (void)
{
  const struct { const char *text; const char *message; } cases[] = {
    { "", "t.csv: is empty; expected a header row" },
    { "\n# only a comment\n", "t.csv: is empty; expected a header row" },
    { "x,y\n", "t.csv:1: has a header but no rows" },
    { "x\n1\n", "t.csv:1: expected a header naming x" },
    { "x,y\n1,2\n\n# note\n3,4e\n", "t.csv:5: y “4e” is not a number" },
    { "x,y\n1,2\n3\n", "t.csv:3: 1 fields, but the header has 2" },
    { "x,y\n1,\"2\n3,4\n", "t.csv:2: expected a closing quote" },
    { "x,y\n1,2\"3\n", "t.csv:2: expected no quote inside an unquoted field" },
    { "x,y\n1,\"2\"3\n", "t.csv:2: expected a comma or the end of the line" },
    { "x,y\n1,\xff\n", "t.csv:2: is not UTF-8 text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlResult) result = import_text (cases[i].text, PTL_CHART_LINE, &error);

      g_assert_null (result);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/csv/plain", test_plain);
  g_test_add_func ("/ptl/csv/bar-categories", test_bar_categories);
  g_test_add_func ("/ptl/csv/tidy-round-trip", test_tidy_round_trip);
  g_test_add_func ("/ptl/csv/errors", test_errors);

  return g_test_run ();
}
