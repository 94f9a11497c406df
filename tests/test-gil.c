/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-gil-experiment.h"
#include "ptl-test-util.h"

/* The "gil" experiment at small sizes: the table, the charts and the
 * timeline lanes are there; the lock is exclusive (no two holds overlap on
 * the timeline); the I/O thread's answers wait for
 * the lock far longer than without it (wide margins: the waits are whole
 * switch intervals); the sweep has a point per interval; bad parameters
 * and too many threads are refused; cancelling at any phase leaves no
 * thread or descriptor behind. */

static const char * const runs[] = { "gil-cpu", "gil-io", "free-cpu", "free-io", NULL };
/* What readers see in the table's first column for each. */
static const char * const run_names[] = {
  "GIL, CPU-bound only", "GIL, with I/O", "No lock, CPU-bound only", "No lock, with I/O", NULL,
};

#define CANCEL_AFTER_MS 10
#define MAX_LATENCY_MS  500
#define SETTLE_MS       1000

static void
check_table (PtlResult *result)
{
  static const struct { const char *id; const char *name; const char *unit; } columns[] = {
    { "run", "Run", "" }, { "hold", "Holding", "%" }, { "wait", "Waiting", "%" },
    { "switches", "Switches", "ops/s" }, { "work", "Work", "ops/s" },
    { "io-p50", "I/O p50", "s" }, { "io-p99", "I/O p99", "s" },
  };
  PtlTable *table = ptl_result_get_summary (result);

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_assert_cmpint (ptl_table_find_column (table, columns[i].id), ==, i);
      g_assert_cmpstr (ptl_table_get_column_id (table, i), ==, columns[i].id);
      g_assert_cmpstr (ptl_table_get_column_name (table, i), ==, columns[i].name);
      g_assert_cmpstr (ptl_table_get_column_unit (table, i), ==, columns[i].unit);
    }
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, g_strv_length ((char **) runs));
  for (guint row = 0; runs[row] != NULL; row++)
    {
      gboolean gil = g_str_has_prefix (runs[row], "gil");
      gboolean io = g_str_has_suffix (runs[row], "io");

      g_assert_cmpint (ptl_table_find_row (table, runs[row]), ==, row);
      g_assert_cmpstr (ptl_table_get_text (table, row, 0), ==, run_names[row]);
      g_assert_cmpfloat (ptl_test_cell (result, runs[row], "work"), >, 0);
      g_assert_true (isnan (ptl_test_cell (result, runs[row], "hold")) == !gil);
      g_assert_true (isnan (ptl_test_cell (result, runs[row], "io-p50")) == !io);
      if (gil)
        {
          g_assert_cmpfloat (ptl_test_cell (result, runs[row], "hold") + ptl_test_cell (result, runs[row], "wait"), <=, 100 + 1e-6);
          g_assert_cmpfloat (ptl_test_cell (result, runs[row], "switches"), >, 0);
        }
      if (io)
        g_assert_cmpfloat (ptl_test_cell (result, runs[row], "io-p99"), >=, ptl_test_cell (result, runs[row], "io-p50"));
    }
}

static int
compare_slices (gconstpointer a,
                gconstpointer b)
{
  const PtlSlice *x = a, *y = b;

  return (x->start > y->start) - (x->start < y->start);
}

/* One holder at a time: on the timeline no two holds of the GIL overlap
 * (a microsecond of slack for the time stamps of different CPUs). */
static void
check_exclusive (PtlChart *timeline)
{
  g_autoptr(GArray) holds = g_array_new (FALSE, FALSE, sizeof (PtlSlice));
  const PtlSlice *slices;
  guint n_slices;

  slices = ptl_chart_get_slices (timeline, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    if (g_str_equal (ptl_chart_get_key (timeline, slices[i].key), "Holding “GIL”"))
      g_array_append_val (holds, slices[i]);
  g_assert_cmpuint (holds->len, >, 2);
  g_array_sort (holds, compare_slices);
  for (guint i = 1; i < holds->len; i++)
    g_assert_cmpfloat (g_array_index (holds, PtlSlice, i).start, >=, g_array_index (holds, PtlSlice, i - 1).end - 1e-6);
}

static void
test_registry (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("gil", NULL);

  g_assert_true (PTL_IS_GIL_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Threads");
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "Inside the GIL");
  g_assert_cmpuint (strlen (ptl_experiment_get_explanation (experiment)), >, 1000);
}

static void
test_params (void)
{
  static const PtlTestParam expected[] = {
    { "cpu-threads", "threads", "2" },
    { "io-ms", "ms", "1" },
    { "switch-interval-ms", "ms", "5" },
    { "duration-ms", "ms", "400" },
    { "sweep", "", "true" },
  };
  static const char * const invalid[] = {
    "cpu-threads", "0", "cpu-threads", "65", "io-ms", "0", "io-ms", "1001",
    "switch-interval-ms", "0.05", "switch-interval-ms", "101", "duration-ms", "49",
    "duration-ms", "10001", "sweep", "perhaps", NULL,
  };

  ptl_test_assert_params ("gil", expected, G_N_ELEMENTS (expected), invalid);
}

/* The CPU-bound threads and the I/O-bound one count against the limit. */
static void
test_count_tasks (void)
{
  const char *params[] = { "cpu-threads", "5", NULL };

  ptl_test_assert_count_tasks ("gil", params, 6);
}

/* One interval, 20 ms: an answer waits for the lock about that long; with
 * no lock it waits for a CPU at most. */
static void
test_convoy (void)
{
  const char *params[] = { "cpu-threads", "2", "switch-interval-ms", "20", "duration-ms", "200",
                           "sweep", "false", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("gil", params);
  PtlChart *timeline;

  check_table (result);
  g_assert_cmpfloat (ptl_test_cell (result, "gil-io", "io-p50"), >, 5e-3);
  g_assert_cmpfloat (ptl_test_cell (result, "gil-io", "io-p50"), >, 3 * ptl_test_cell (result, "free-io", "io-p50"));

  timeline = ptl_result_find_chart (result, "timeline");
  g_assert_nonnull (timeline);
  g_assert_cmpint (ptl_chart_get_kind (timeline), ==, PTL_CHART_TIMELINE);
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 3);
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 0), ==, "CPU thread 1");
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 2), ==, "I/O thread");
  check_exclusive (timeline);
  g_assert_nonnull (ptl_result_find_chart (result, "timeline-cpus"));
  g_assert_nonnull (ptl_result_find_chart (result, "timeline-shares"));
  g_assert_cmpuint (ptl_result_get_n_notes (result), >=, 3);
}

/* The sweep, short runs: a point per interval on every line. How long
 * the answers wait is left to test_convoy (): with one CPU-bound thread on
 * a machine busy with other work, that thread is often off the CPU and
 * the lock free when the answer comes. */
static void
test_sweep (void)
{
  const char *params[] = { "cpu-threads", "1", "switch-interval-ms", "3", "duration-ms", "100", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("gil", params);
  PtlChart *response = ptl_result_find_chart (result, "response");
  const PtlPoint *points;
  guint n_points;

  check_table (result);
  g_assert_nonnull (response);
  g_assert_cmpstr (ptl_chart_get_x_unit (response), ==, "s");
  g_assert_true (ptl_chart_get_x_log (response));
  g_assert_cmpstr (ptl_series_get_name (ptl_chart_find_series (response, "gil-io")), ==, "Under the GIL");
  points = ptl_series_get_points (ptl_chart_find_series (response, "gil-io"), &n_points);
  /* 1, 2, 3 (the chosen one), 5, 10, 20, 50, 100 ms. */
  g_assert_cmpuint (n_points, ==, 8);
  g_assert_cmpfloat (points[2].x, ==, 3e-3);
  for (guint i = 0; i < n_points; i++)
    g_assert_cmpfloat (points[i].y, >, 0);

  for (guint c = 0; c < 2; c++)
    {
      PtlChart *chart = ptl_result_find_chart (result, c == 0 ? "gil-time-cpu" : "gil-time-io");

      g_assert_nonnull (chart);
      g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, "%");
      /* Holding and waiting for each thread: cpu 1, and io in the second;
       * lowercase ids for lookups, names for readers. */
      g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 2 * (1 + c));
      g_assert_cmpstr (ptl_series_get_name (ptl_chart_find_series (chart, "cpu 1 holding")), ==,
                       "CPU thread 1 holding");
      if (c == 1)
        g_assert_cmpstr (ptl_series_get_name (ptl_chart_find_series (chart, "io waiting")), ==,
                         "I/O thread waiting");
      for (guint s = 0; s < ptl_chart_get_n_series (chart); s++)
        {
          ptl_series_get_points (ptl_chart_get_series (chart, s), &n_points);
          g_assert_cmpuint (n_points, ==, 8);
        }
    }
}

/* Cancelling */

static PtlTestLeaks baseline;

static void
test_cancel (gconstpointer data)
{
  const char *params[] = { "cpu-threads", "2", "duration-ms", "2000", "sweep", "false", NULL };
  const char *tiny[] = { "cpu-threads", "1", "duration-ms", "50", "sweep", "false", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("gil", params);

  if (baseline.threads == 0)
    baseline = ptl_test_leaks_snapshot_after_run ("gil", tiny);
  ptl_test_assert_cancel_at (experiment, data, CANCEL_AFTER_MS, MAX_LATENCY_MS);
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("gil", NULL);

  ptl_test_assert_cancel_before_start (experiment);
}

int
main (int    argc,
      char **argv)
{
  static const char * const phases[] = {
    "Warming up", "No lock, CPU-bound only:", "No lock, with I/O:", "GIL, CPU-bound only:", "GIL, with I/O:", NULL,
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/gil/registry", test_registry);
  g_test_add_func ("/ptl/gil/params", test_params);
  g_test_add_func ("/ptl/gil/count-tasks", test_count_tasks);
  g_test_add_func ("/ptl/gil/convoy", test_convoy);
  g_test_add_func ("/ptl/gil/sweep", test_sweep);
  g_test_add_func ("/ptl/gil/cancel/before-start", test_cancel_before_start);
  for (guint i = 0; phases[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/gil/cancel/%u", i);

      g_test_add_data_func (path, phases[i], test_cancel);
    }

  return g_test_run ();
}
