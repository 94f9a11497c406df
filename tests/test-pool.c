/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-pool-experiment.h"
#include "ptl-test-util.h"

/* The "pool" experiment at small sizes: every chart, series, unit and
 * column is there; pools beat a process or thread per task for 10 µs
 * tasks, with wide margins for a noisy 2-core VM; bad parameters are
 * refused; a lowered RLIMIT_NPROC ends the run with a message that names
 * it; cancelling leaves no child, thread or descriptor behind. */

static const char * const strategies[] = {
  "process-per-task", "process-pool", "thread-per-task", "thread-pool", NULL,
};

#define CANCEL_AFTER_MS 300
#define MAX_LATENCY_MS  500
#define SETTLE_MS       2000

static void
check_table (PtlResult *result,
             double     task_s)
{
  static const struct { const char *name; const char *unit; } columns[] = {
    { "strategy", "" }, { "rate", "ops/s" }, { "median", "s" }, { "p95", "s" },
    { "overhead", "s" }, { "cpu", "s" }, { "startup", "s" },
  };
  PtlTable *table = ptl_result_get_summary (result);

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_assert_cmpint (ptl_table_find_column (table, columns[i].name), ==, i);
      g_assert_cmpstr (ptl_table_get_column_unit (table, i), ==, columns[i].unit);
    }
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, g_strv_length ((char **) strategies));
  for (guint row = 0; strategies[row] != NULL; row++)
    {
      const char *s = strategies[row];

      g_assert_cmpint (ptl_table_find_row (table, s), ==, row);
      g_assert_cmpfloat (ptl_test_cell (result, s, "rate"), >, 0);
      /* A task cannot come back before its arithmetic is done. */
      g_assert_cmpfloat (ptl_test_cell (result, s, "median"), >=, task_s * 0.5);
      g_assert_cmpfloat (ptl_test_cell (result, s, "p95"), >=, ptl_test_cell (result, s, "median"));
      g_assert_cmpfloat_with_epsilon (ptl_test_cell (result, s, "overhead"), ptl_test_cell (result, s, "median") - task_s, 1e-12);
      g_assert_cmpfloat (ptl_test_cell (result, s, "cpu"), >, 0);
    }
  /* Only the pools have a start-up cost of their own. */
  g_assert_true (isnan (ptl_test_cell (result, "process-per-task", "startup")));
  g_assert_true (isnan (ptl_test_cell (result, "thread-per-task", "startup")));
  g_assert_cmpfloat (ptl_test_cell (result, "process-pool", "startup"), >, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "thread-pool", "startup"), >, 0);
}

static void
check_line_chart (PtlResult  *result,
                  const char *id,
                  const char *unit,
                  guint       n_sizes)
{
  PtlChart *chart = ptl_result_find_chart (result, id);

  g_assert_nonnull (chart);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_x_unit (chart), ==, "s");
  g_assert_true (ptl_chart_get_x_log (chart));
  g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, unit);
  g_assert_true (ptl_chart_get_y_log (chart));
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, g_strv_length ((char **) strategies));
  for (guint s = 0; strategies[s] != NULL; s++)
    {
      PtlSeries *series = ptl_chart_find_series (chart, strategies[s]);
      const PtlPoint *points;
      guint n_points;

      g_assert_nonnull (series);
      points = ptl_series_get_points (series, &n_points);
      g_assert_cmpuint (n_points, ==, n_sizes);
      for (guint i = 0; i < n_points; i++)
        {
          g_assert_cmpfloat (points[i].y, >, 0);
          if (i > 0)
            g_assert_cmpfloat (points[i].x, >, points[i - 1].x);
        }
    }
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("pool", &error);

  g_assert_no_error (error);
  g_assert_true (PTL_IS_POOL_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_id (experiment), ==, "pool");
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Processes");
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "Pool vs spawn-per-task");
  g_assert_cmpuint (strlen (ptl_experiment_get_explanation (experiment)), >, 500);
}

static void
test_params (void)
{
  static const struct { const char *name; const char *unit; const char *default_text; } expected[] = {
    { "task-us", "µs", "100" },
    { "tasks", "tasks", "400" },
    { "workers", "workers", "0" },
    { "sweep", "", "true" },
  };
  static const struct { const char *name; const char *text; } invalid[] = {
    { "task-us", "0" },
    { "task-us", "100001" },
    { "tasks", "0" },
    { "tasks", "100001" },
    { "workers", "257" },
    { "workers", "-1" },
    { "sweep", "maybe" },
    { "strategy", "pool" },
  };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("pool", NULL);
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GError) error = NULL;
  guint n_params;

  params = ptl_experiment_list_params (experiment, &n_params);
  g_assert_cmpuint (n_params, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *default_text = ptl_param_dup_default_text (params[i]);
      g_autofree char *current = ptl_experiment_dup_param_text (experiment, params[i]->name);

      g_assert_cmpstr (params[i]->name, ==, expected[i].name);
      g_assert_cmpstr (ptl_param_get_unit (params[i]), ==, expected[i].unit);
      g_assert_cmpstr (default_text, ==, expected[i].default_text);
      g_assert_cmpstr (current, ==, expected[i].default_text);
      g_assert_nonnull (g_param_spec_get_blurb (params[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (ptl_experiment_set_param (experiment, invalid[i].name, invalid[i].text, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_test_message ("%s=%s: %s", invalid[i].name, invalid[i].text, error->message);
      g_clear_error (&error);
    }
}

/* The whole sweep at few tasks a point; 250 µs is between two sizes of
 * the sweep and joins it. */
static void
test_sweep (void)
{
  const char *params[] = { "task-us", "250", "tasks", "30", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("pool", params);
  PtlChart *latency;
  gboolean have_diagonal = FALSE;

  check_table (result, 250e-6);
  check_line_chart (result, "throughput", "ops/s", 8);
  check_line_chart (result, "latency", "s", 8);
  latency = ptl_result_find_chart (result, "latency");
  for (guint i = 0; i < ptl_chart_get_n_references (latency); i++)
    have_diagonal |= ptl_chart_get_reference (latency, i)->kind == PTL_REFERENCE_DIAGONAL &&
                     ptl_chart_get_reference (latency, i)->value == 1;
  g_assert_true (have_diagonal);
  g_assert_true (ptl_series_has_band (ptl_chart_get_series (latency, 0)));
  g_assert_cmpuint (ptl_result_get_n_notes (result), >, 0);
}

/* 10 µs tasks: starting a process costs far more than the task; a pool
 * hands the task over for much less. Threads are left out: creating one
 * (~7 µs) and waking a sleeping pool worker cost about the same on a VM,
 * so which wins varies from run to run. */
static void
test_short_tasks (void)
{
  const char *params[] = { "task-us", "10", "tasks", "300", "sweep", "false", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("pool", params);

  check_table (result, 10e-6);
  check_line_chart (result, "throughput", "ops/s", 1);
  g_assert_cmpfloat (ptl_test_cell (result, "process-pool", "rate"), >, 2 * ptl_test_cell (result, "process-per-task", "rate"));
  g_assert_cmpfloat (ptl_test_cell (result, "process-pool", "median"), <, ptl_test_cell (result, "process-per-task", "median"));
}

/* In a child test process: as an ordinary user (root ignores the limit),
 * with room for two more tasks, a pool of four cannot start. */
static void
limit_child (void)
{
  const char *warm[] = { "task-us", "10", "tasks", "5", "sweep", "false", NULL };
  const char *params[] = { "task-us", "10", "tasks", "20", "workers", "4", "sweep", "false", NULL };
  g_autoptr(PtlResult) result = ptl_test_run_with_task_room ("pool", warm, params, 2);
}

static void
test_limit (void)
{
  if (g_test_subprocess ())
    {
      limit_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*RLIMIT_NPROC is*");
}

/* Cancelling */

/* A complete run first, so that what GLib keeps for the whole process
 * (GTask's workers) exists before counting. */
static PtlTestLeaks baseline;

static void
take_baseline (void)
{
  const char *tiny[] = { "task-us", "10", "tasks", "5", "sweep", "false", NULL };

  if (baseline.threads == 0)
    baseline = ptl_test_leaks_snapshot_after_run ("pool", tiny);
}

/* Each strategy runs 20 tasks of 100 ms, at most two at a time: about a
 * second, whatever the number of cores. */
static void
test_cancel (gconstpointer data)
{
  const char *params[] = { "task-us", "100000", "tasks", "20", "workers", "2", "sweep", "false", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("pool", params);

  /* "process-pool:" must not match "process-per-task: …". */
  g_autofree char *prefix = g_strconcat (data, ":", NULL);

  take_baseline ();
  ptl_test_assert_cancel_at (experiment, prefix, CANCEL_AFTER_MS, MAX_LATENCY_MS);
  /* GThreadPool threads end just after the pool is freed (they cannot be
   * joined): give them a moment. */
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/pool/registry", test_registry);
  g_test_add_func ("/ptl/pool/params", test_params);
  g_test_add_func ("/ptl/pool/sweep", test_sweep);
  g_test_add_func ("/ptl/pool/short-tasks", test_short_tasks);
  g_test_add_func ("/ptl/pool/limit", test_limit);
  for (guint i = 0; strategies[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/pool/cancel/%s", strategies[i]);

      /* Static data: GTest frees data only after running its test, so a
       * test run alone (a trap subprocess) would leak the others'. */
      g_test_add_data_func (path, strategies[i], test_cancel);
    }

  return g_test_run ();
}
