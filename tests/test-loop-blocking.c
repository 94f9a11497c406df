/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "ptl-test-util.h"

/* Long enough that a stall stands far above any scheduling noise, short
 * enough that each handler's turn takes half a second. */
#define BLOCK_MS 200
#define BLOCK_S  (BLOCK_MS / 1000.0)

static const char * const quick[] = {
  "block-ms", G_STRINGIFY (BLOCK_MS),
  "bad-every-ms", "400",
  "request-rate", "500",
  "duration-ms", "800",
  NULL
};

static PtlResult *
run_handler (const char *handler)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) params = NULL;

  g_strv_builder_addv (builder, (const char **) quick);
  g_strv_builder_add_many (builder, "handler", handler, NULL);
  params = g_strv_builder_end (builder);
  return ptl_test_run ("loop-blocking", (const char * const *) params);
}

/* A handler that blocks the loop shows as a tick at least as late as the
 * block; one that awaits does not. Load only adds lag, so the first holds
 * on any machine; the second needs the machine to let the loop run. */
static void
test_probe_sees_block (void)
{
  g_autoptr(PtlResult) blocked = run_handler ("sleep");
  g_autoptr(PtlResult) awaited = run_handler ("await");

  g_assert_cmpfloat (ptl_test_cell (blocked, "Sleeps in the loop", "Lag max"), >=, 0.9 * BLOCK_S);
  g_assert_cmpfloat (ptl_test_cell (blocked, "Sleeps in the loop", "Missed ticks"), >=, BLOCK_MS / 2);
  g_assert_cmpfloat (ptl_test_cell (awaited, "Awaits a timer", "Lag p50"), <, 0.25 * BLOCK_S);
}

/* The generator's accounting: every request is answered; a slow one
 * cannot be answered before its block; requests queued behind a blocked
 * loop count the wait from when they were due. */
static void
test_latency_accounting (void)
{
  g_autoptr(PtlResult) result = run_handler ("compute");
  const char *row = "Computes in the loop";
  PtlChart *chart = ptl_result_find_chart (result, "latency");
  guint n_points;
  const PtlPoint *p99;

  /* The arithmetic is calibrated to take the block on one core; a core
   * running faster than during calibration finishes it a little sooner. */
  g_assert_cmpfloat (ptl_test_cell (result, row, "Slow request"), >=, 0.5 * BLOCK_S);
  /* A fifth of each second is stalled: the slowest percent of the other
   * requests waited for a good part of a block. */
  g_assert_cmpfloat (ptl_test_cell (result, row, "Latency p99"), >=, 0.3 * BLOCK_S);
  g_assert_cmpfloat (ptl_test_cell (result, row, "Latency p50"), <=, ptl_test_cell (result, row, "Latency p99"));
  g_assert_cmpfloat (ptl_test_cell (result, row, "Completed"), >, 0);

  g_assert_nonnull (chart);
  p99 = ptl_series_get_points (ptl_chart_get_series (chart, 1), &n_points);
  g_assert_cmpuint (n_points, ==, 1);
  g_assert_cmpfloat_with_epsilon (p99[0].y, ptl_test_cell (result, row, "Latency p99"), 1e-12);
}

static void
test_every_handler (void)
{
  g_autoptr(PtlResult) result = ptl_test_run ("loop-blocking", quick);
  static const char * const rows[] = {
    "Awaits a timer", "Sleeps in the loop", "Computes in the loop", "Computes in a thread",
  };
  PtlChart *lag = ptl_result_find_chart (result, "loop-lag");

  g_assert_nonnull (lag);
  g_assert_cmpuint (ptl_chart_get_n_series (lag), ==, G_N_ELEMENTS (rows));
  g_assert_nonnull (ptl_result_find_chart (result, "throughput"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      double lag_p50 = ptl_test_cell (result, rows[i], "Lag p50");

      g_assert_true (isfinite (lag_p50));
      /* A timer or a sleep never ends early; calibrated arithmetic may. */
      g_assert_cmpfloat (ptl_test_cell (result, rows[i], "Slow request"), >=,
                         g_str_has_prefix (rows[i], "Computes") ? 0.5 * BLOCK_S : BLOCK_S);
    }
  /* The loop thread itself computed in one row and not in another. */
  g_assert_cmpfloat (ptl_test_cell (result, "Computes in the loop", "Loop CPU"), >,
                     ptl_test_cell (result, "Computes in a thread", "Loop CPU"));
}

static void
test_params (void)
{
  static const char * const bad[][2] = {
    { "block-ms", "0" }, { "block-ms", "2001" }, { "request-rate", "5" },
    { "probe-us", "99" }, { "duration-ms", "100" }, { "handler", "spin" },
  };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("loop-blocking", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *before = ptl_experiment_dup_param_text (experiment, bad[i][0]);
      g_autofree char *after = NULL;

      g_assert_false (ptl_experiment_set_param (experiment, bad[i][0], bad[i][1], &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      after = ptl_experiment_dup_param_text (experiment, bad[i][0]);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_cancel (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("loop-blocking", quick);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("loop-blocking", quick);

  ptl_test_assert_cancel_before_start (experiment);
  ptl_test_assert_cancel_at (experiment, "Measuring the probe", 50, 500);
  /* Mid-block: a sleeping or computing loop notices within its block. */
  ptl_test_assert_cancel_at (experiment, "Handler: Sleeps", 250, BLOCK_MS + 500);
  ptl_test_assert_cancel_at (experiment, "Handler: Computes in a thread", 250, BLOCK_MS + 500);
  ptl_test_leaks_assert_none (&before, 2000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/loop-blocking/probe-sees-block", test_probe_sees_block);
  g_test_add_func ("/ptl/loop-blocking/latency-accounting", test_latency_accounting);
  g_test_add_func ("/ptl/loop-blocking/every-handler", test_every_handler);
  g_test_add_func ("/ptl/loop-blocking/params", test_params);
  g_test_add_func ("/ptl/loop-blocking/cancel", test_cancel);

  return g_test_run ();
}
