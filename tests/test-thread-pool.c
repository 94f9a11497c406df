/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-test-util.h"
#include "ptl-thread-pool-experiment.h"

/* The "thread-pool" experiment at small sizes: every chart, series,
 * column and timeline lane is there; waits overlap, so four threads serve
 * an I/O stream much faster than one (wide margins: sleeping needs no CPU,
 * so a busy machine hardly moves it); the ideal curve follows the sizing
 * rule; bad parameters and too many threads for the user's limit are
 * refused; cancelling at any phase leaves no thread or descriptor behind. */

static const char * const strategies[] = { "thread-per-task", "gthreadpool", "lab-pool", NULL };
/* What readers see for each: series names and the table's first column. */
static const char * const strategy_names[] = { "Thread per task", "GThreadPool", "Lab's pool", NULL };

#define CANCEL_AFTER_MS 100
#define MAX_LATENCY_MS  500
#define SETTLE_MS       2000

static void
check_table (PtlResult *result,
             guint      row_size)
{
  static const struct { const char *id; const char *name; const char *unit; } columns[] = {
    { "strategy", "Strategy", "" }, { "workers", "Workers", "threads" }, { "rate", "Rate", "ops/s" },
    { "ideal", "Ideal", "ops/s" }, { "p50", "p50", "s" }, { "p99", "p99", "s" },
    { "best-workers", "Best size", "threads" }, { "best-rate", "Best rate", "ops/s" },
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
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, g_strv_length ((char **) strategies));
  for (guint row = 0; strategies[row] != NULL; row++)
    {
      const char *s = strategies[row];

      g_assert_cmpint (ptl_table_find_row (table, s), ==, row);
      g_assert_cmpstr (ptl_table_get_text (table, row, 0), ==, strategy_names[row]);
      g_assert_cmpfloat (ptl_test_cell (result, s, "workers"), ==, row_size);
      g_assert_cmpfloat (ptl_test_cell (result, s, "rate"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, s, "best-rate"), >=, ptl_test_cell (result, s, "rate"));
      g_assert_cmpfloat (ptl_test_cell (result, s, "p99"), >=, ptl_test_cell (result, s, "p50"));
    }
}

/* Each strategy's points at @n_sizes sizes 1, 2, …; returns the median
 * rate of @strategy at @size. */
static double
check_throughput (PtlResult  *result,
                  guint       n_sizes,
                  const char *strategy,
                  guint       size)
{
  PtlChart *chart = ptl_result_find_chart (result, "throughput");
  double found = NAN;

  g_assert_nonnull (chart);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_x_unit (chart), ==, "threads");
  g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, "ops/s");
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, g_strv_length ((char **) strategies) + 1);
  for (guint s = 0; strategies[s] != NULL; s++)
    {
      PtlSeries *series = ptl_chart_find_series (chart, strategies[s]);
      const PtlPoint *points;
      guint n_points;

      g_assert_nonnull (series);
      g_assert_cmpstr (ptl_series_get_name (series), ==, strategy_names[s]);
      g_assert_true (ptl_series_has_band (series));
      points = ptl_series_get_points (series, &n_points);
      g_assert_cmpuint (n_points, ==, n_sizes);
      for (guint i = 0; i < n_points; i++)
        {
          g_assert_cmpfloat (points[i].x, ==, i + 1);
          g_assert_cmpfloat (points[i].y, >, 0);
          if (g_str_equal (strategies[s], strategy) && points[i].x == size)
            found = points[i].y;
        }
    }
  return found;
}

static void
test_registry (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("thread-pool", NULL);

  g_assert_true (PTL_IS_THREAD_POOL_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Threads");
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "Thread pool sizing");
  g_assert_cmpuint (strlen (ptl_experiment_get_explanation (experiment)), >, 1000);
}

static void
test_params (void)
{
  static const PtlTestParam expected[] = {
    { "workload", "", "mixed" },
    { "task-us", "µs", "2000" },
    { "tasks", "tasks", "150" },
    { "load", "%", "90" },
    { "max-workers", "threads", "0" },
    { "repeats", "rounds", "3" },
  };
  static const char * const invalid[] = {
    "workload", "gpu", "task-us", "99", "task-us", "100001", "tasks", "9", "tasks", "10001",
    "load", "9", "load", "401", "max-workers", "257", "max-workers", "-1", "repeats", "0",
    "repeats", "21", NULL,
  };

  ptl_test_assert_params ("thread-pool", expected, G_N_ELEMENTS (expected), invalid);
}

/* The largest pool is what counts against the user's limit; 0 means four
 * per core. */
static void
test_count_tasks (void)
{
  const char *params[] = { "max-workers", "6", NULL };

  ptl_test_assert_count_tasks ("thread-pool", params, 6);
  ptl_test_assert_count_tasks ("thread-pool", NULL, 4 * g_get_num_processors ());
}

/* Only waits: four threads overlap four waits, one thread serves them
 * one after another (the ideal ratio is 3.6 at 90 % load). */
static void
test_io (void)
{
  const char *params[] = { "workload", "io", "task-us", "2000", "tasks", "40", "max-workers", "4",
                           "repeats", "1", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("thread-pool", params);
  PtlChart *chart;
  const PtlPoint *ideal;
  guint n_ideal;

  check_table (result, 4);
  g_assert_cmpfloat (check_throughput (result, 4, "lab-pool", 4), >, 2 * check_throughput (result, 4, "lab-pool", 1));
  g_assert_cmpfloat (check_throughput (result, 4, "gthreadpool", 4), >, 2 * check_throughput (result, 4, "gthreadpool", 1));

  /* Without computing the rule has no end: no sizing line, and the ideal
   * is one task time per thread up to the arrival rate. */
  chart = ptl_result_find_chart (result, "throughput");
  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    g_assert_cmpint (ptl_chart_get_reference (chart, i)->kind, !=, PTL_REFERENCE_VERTICAL);
  ideal = ptl_series_get_points (ptl_chart_find_series (chart, "ideal"), &n_ideal);
  g_assert_cmpuint (n_ideal, ==, 4);
  g_assert_cmpfloat_with_epsilon (ideal[0].y, 500, 1e-6);
  g_assert_cmpfloat_with_epsilon (ideal[3].y, 0.9 * 2000, 1e-6);

  /* Latency: one band per strategy, never below the task. */
  chart = ptl_result_find_chart (result, "latency");
  g_assert_nonnull (chart);
  for (guint s = 0; strategies[s] != NULL; s++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_find_series (chart, strategies[s]), &n_points);

      g_assert_cmpuint (n_points, ==, 4);
      for (guint i = 0; i < n_points; i++)
        g_assert_cmpfloat (points[i].y, >=, 2e-3 * 0.9);
    }

  /* The queue of the lab's pool at 1 and 4 workers; with one worker it
   * holds tasks for most of the stream. */
  chart = ptl_result_find_chart (result, "queue");
  g_assert_nonnull (chart);
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 2);
  {
    guint n_points;
    const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
    double most = 0;

    /* Each task is counted in and out. */
    g_assert_cmpuint (n_points, ==, 2 * 40);
    for (guint i = 0; i < n_points; i++)
      most = MAX (most, points[i].y);
    g_assert_cmpfloat (most, >=, 10);
    g_assert_cmpfloat (points[n_points - 1].y, ==, 0);
  }

  /* The timeline: the producer and four workers. */
  chart = ptl_result_find_chart (result, "timeline");
  g_assert_nonnull (chart);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_TIMELINE);
  g_assert_cmpuint (ptl_chart_get_n_lanes (chart), ==, 5);
  g_assert_cmpstr (ptl_chart_get_lane (chart, 0), ==, "Producer");
  g_assert_nonnull (ptl_result_find_chart (result, "timeline-cpus"));
  g_assert_nonnull (ptl_result_find_chart (result, "timeline-shares"));
}

/* Mixed tasks: the sizing line stands at 2 × cores when that fits. */
static void
test_mixed (void)
{
  const char *params[] = { "workload", "mixed", "task-us", "1000", "tasks", "20", "max-workers", "8",
                           "repeats", "1", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("thread-pool", params);
  PtlChart *chart = ptl_result_find_chart (result, "throughput");
  guint n_cpus = g_get_num_processors ();
  gboolean have_line = FALSE;

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    have_line |= ptl_chart_get_reference (chart, i)->kind == PTL_REFERENCE_VERTICAL &&
                 ptl_chart_get_reference (chart, i)->value == 2.0 * n_cpus;
  g_assert_true (have_line == (2 * n_cpus <= 8));
  check_table (result, MIN (2 * n_cpus, 8));
}

/* Cancelling */

static PtlTestLeaks baseline;

static void
take_baseline (void)
{
  const char *tiny[] = { "workload", "io", "task-us", "100", "tasks", "10", "max-workers", "2",
                         "repeats", "1", NULL };

  if (baseline.threads == 0)
    baseline = ptl_test_leaks_snapshot_after_run ("thread-pool", tiny);
}

/* Long enough at every phase: 50 ms tasks, one thread serving a stream
 * meant for four. */
static void
test_cancel (gconstpointer data)
{
  const char *params[] = { "workload", "mixed", "task-us", "50000", "tasks", "40", "max-workers", "4",
                           "repeats", "1", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("thread-pool", params);

  take_baseline ();
  ptl_test_assert_cancel_at (experiment, data, CANCEL_AFTER_MS, MAX_LATENCY_MS);
  /* GThreadPool threads end just after the pool is freed. */
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("thread-pool", NULL);

  ptl_test_assert_cancel_before_start (experiment);
}

int
main (int    argc,
      char **argv)
{
  static const char * const phases[] = {
    "Calibrating", "Warming up", "Thread per task:", "GThreadPool:", "Lab's pool:", NULL,
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/thread-pool/registry", test_registry);
  g_test_add_func ("/ptl/thread-pool/params", test_params);
  g_test_add_func ("/ptl/thread-pool/count-tasks", test_count_tasks);
  g_test_add_func ("/ptl/thread-pool/io", test_io);
  g_test_add_func ("/ptl/thread-pool/mixed", test_mixed);
  g_test_add_func ("/ptl/thread-pool/cancel/before-start", test_cancel_before_start);
  for (guint i = 0; phases[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/thread-pool/cancel/%u", i);

      g_test_add_data_func (path, phases[i], test_cancel);
    }

  return g_test_run ();
}
