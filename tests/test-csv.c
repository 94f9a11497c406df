/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
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

/* Every record of @text as "field|field|…@line" lines. */
static char *
read_all (const char  *text,
          gsize        len,
          GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, len, NULL);
  g_autoptr(PtlCsvReader) reader = ptl_csv_reader_new (stream, "t.csv");
  g_autoptr(GString) out = g_string_new (NULL);

  while (ptl_csv_reader_next (reader, NULL, error))
    {
      for (guint i = 0; i < ptl_csv_reader_get_n_fields (reader); i++)
        g_string_append_printf (out, "%s%s", i ? "|" : "", ptl_csv_reader_get_field (reader, i));
      g_string_append_printf (out, "@%u\n", ptl_csv_reader_get_line (reader));
    }
  return error && *error ? NULL : g_string_free (g_steal_pointer (&out), FALSE);
}

/* The reader takes its input 256 KiB at a time: records must read the same
 * wherever a chunk ends, in a line end (a CRLF split in two), a quoted
 * field over lines, or a line longer than a chunk. */
static void
test_reader_chunks (void)
{
  static const char *ends[] = { "\n", "\r\n", "\r" };
  g_autofree char *long_field = g_strnfill (300 * 1024, 'x');

  for (guint e = 0; e < G_N_ELEMENTS (ends); e++)
    for (guint pad = 0; pad < 24; pad++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autoptr(GString) expected = g_string_new (NULL);
        g_autoptr(GError) error = NULL;
        g_autofree char *got = NULL;
        g_autofree char *padding = g_strnfill (pad, ' ');
        guint line = 1;

        /* About 270 KiB of records, the chunk boundary falling at each
         * offset of the lines around it in turn. */
        for (guint i = 0; text->len < 270 * 1024; i++, line++)
          {
            if (i % 1000 == 7)
              {
                /* A quoted field over two lines, a comment, a blank line. */
                g_string_append_printf (text, "%s%u,\"a%sb\"%s#c%s%s", padding, i, ends[e], ends[e], ends[e], ends[e]);
                g_string_append_printf (expected, "%u|a\nb@%u\n", i, line);
                line += 3;
                continue;
              }
            g_string_append_printf (text, "%s%u, %u.5 %s", padding, i, i, ends[e]);
            g_string_append_printf (expected, "%u|%u.5@%u\n", i, i, line);
          }
        /* The last record has no line end and is longer than a chunk. */
        g_string_append_printf (text, "end,%s", long_field);
        g_string_append_printf (expected, "end|%s@%u\n", long_field, line);

        got = read_all (text->str, text->len, &error);
        g_assert_no_error (error);
        if (g_strcmp0 (got, expected->str) != 0)
          g_error ("line end %u, padding %u: records differ", e, pad);
      }
}

/* Bad bytes and quotes name the record's line, however far in. */
static void
test_reader_errors (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (text, "%u,%u\r\n", i, i);
  g_string_append (text, "1,\"2\r\n3");
  got = read_all (text->str, text->len, &error);
  g_assert_null (got);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_cmpstr (error->message, ==, "t.csv:40001: expected a closing quote for the field that starts here");
  g_clear_error (&error);

  g_string_truncate (text, text->len - 7);
  g_string_append_len (text, "1,\0\n", 4);
  got = read_all (text->str, text->len, &error);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_cmpstr (error->message, ==, "t.csv:40001: is not UTF-8 text");
}

/* ptl_number_parse () takes what g_ascii_strtod () takes, whole, and gives
 * the same double. */
static void
test_numbers (void)
{
  static const char *texts[] = {
    "0", "-0", "+1", ".5", "5.", "-.5e-3", "1e5", "1E+5", "1e", "1e+", "e5", "-", "+", ".", "",
    " 1", "1 ", "nan", "-inf", "Infinity", "0x1p3", "1,5", "12345678901234567890123", "1e400",
    "4.9e-324", "2.2250738585072014e-308", "0.1", "123.456", "00012", "9007199254740993",
    "0.000000000000000000001234", "1.7976931348623157e308", "98.3457",
    /* the plain decimal path's edges: 19 and 20 digits, signs, points */
    "1234567890123456789", "12345678901234567890", "-9999999999999999999", "123456789.0123456789",
    "0000000000000000000001.5", "-0.0", "-5.", "-.", "--1", "-+1", "1.2.3", "1-", "99999999999999999.5",
  };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < G_N_ELEMENTS (texts) + 100000; i++)
    {
      char buffer[64];
      const char *text = buffer;
      double ours = 0, theirs;
      char *end;
      gboolean whole;

      if (i < G_N_ELEMENTS (texts))
        text = texts[i];
      else
        g_snprintf (buffer, sizeof buffer, i % 2 ? "%.*g" : "%.*e", g_rand_int_range (rand, 1, 20),
                    g_rand_double_range (rand, -1e6, 1e6) * pow (10, g_rand_int_range (rand, -30, 30)));
      theirs = g_ascii_strtod (text, &end);
      whole = *text != '\0' && *end == '\0';
      g_assert_cmpint (ptl_number_parse (text, &ours), ==, whole);
      if (whole && memcmp (&ours, &theirs, sizeof ours) != 0 && !(isnan (ours) && isnan (theirs)))
        g_error ("“%s”: %.17g, strtod %.17g", text, ours, theirs);
    }
  g_rand_free (rand);
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
  g_test_add_func ("/ptl/csv/reader-chunks", test_reader_chunks);
  g_test_add_func ("/ptl/csv/reader-errors", test_reader_errors);
  g_test_add_func ("/ptl/csv/numbers", test_numbers);

  return g_test_run ();
}
