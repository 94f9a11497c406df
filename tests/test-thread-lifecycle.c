/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "ptl-test-util.h"

/* The thread-lifecycle experiment: every thread goes through every state
 * in order, latencies are positive, detached threads are gone afterwards,
 * cancelling at each phase joins everything. */

static void
test_run (void)
{
  const char *params[] = { "threads", "4", "work-ms", "2", "sleep-ms", "20", "repeats", "3",
                           "detach-share", "50", "cpu-lanes", "true", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("thread-lifecycle", params);
  PtlChart *timeline = ptl_result_find_chart (result, "threads");
  guint n_markers;

  g_assert_nonnull (timeline);
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 4);
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 3), ==, "Thread 4 (detached)");
  ptl_chart_get_markers (timeline, &n_markers);
  g_assert_cmpuint (n_markers, ==, 4);
  g_assert_nonnull (ptl_result_find_chart (result, "threads-cpus"));

  /* Each lane: sleeps at least its 20 ms, blocks on “go”, and the order
   * of its first running, sleeping and blocked slices is the life's. */
  for (guint lane = 0; lane < 4; lane++)
    {
      guint n_slices, sleeping_key = G_MAXUINT, blocked_key = G_MAXUINT;
      const PtlSlice *slices = ptl_chart_get_slices (timeline, &n_slices);
      double first_sleep = INFINITY, first_block = INFINITY;

      for (guint k = 0; k < ptl_chart_get_n_keys (timeline); k++)
        {
          if (g_strcmp0 (ptl_chart_get_key (timeline, k), "sleeping") == 0)
            sleeping_key = k;
          if (g_strcmp0 (ptl_chart_get_key (timeline, k), "blocked on “go”") == 0)
            blocked_key = k;
        }
      g_assert_cmpuint (sleeping_key, !=, G_MAXUINT);
      g_assert_cmpuint (blocked_key, !=, G_MAXUINT);
      g_assert_cmpfloat (ptl_test_lane_time (timeline, lane, sleeping_key), >=, 0.019);
      for (guint i = 0; i < n_slices; i++)
        if (slices[i].lane == lane)
          {
            if (slices[i].key == sleeping_key)
              first_sleep = MIN (first_sleep, slices[i].start);
            if (slices[i].key == blocked_key)
              first_block = MIN (first_block, slices[i].start);
          }
      g_assert_cmpfloat (first_sleep, <, first_block);
    }

  g_assert_cmpfloat (ptl_test_cell (result, "creation (create → first instruction)", "Median"), >, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "wake-up (broadcast → running)", "Median"), >, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "join (last instruction → join returns)", "Median"), >, 0);
  /* 4 threads × 3 lives; only the joined half has a join latency. */
  g_assert_cmpfloat (ptl_test_cell (result, "creation (create → first instruction)", "Samples"), ==, 12);
  g_assert_cmpfloat (ptl_test_cell (result, "join (last instruction → join returns)", "Samples"), ==, 6);
  g_assert_cmpfloat (ptl_test_cell (result, "time sleeping, per thread", "Median"), >=, 0.019);
  g_assert_cmpfloat (ptl_test_cell (result, "creation (create → first instruction)", "Median"), <=,
                     ptl_test_cell (result, "creation (create → first instruction)", "p95"));
}

static void
test_cancel (void)
{
  const char *warm[] = { "threads", "2", "work-ms", "1", "sleep-ms", "1", "repeats", "1", NULL };
  const char *params[] = { "threads", "16", "work-ms", "200", "sleep-ms", "1000", "repeats", "5",
                           "detach-share", "50", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("thread-lifecycle", params);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("thread-lifecycle", warm);

  ptl_test_assert_cancel_before_start (experiment);
  /* While they compute, and while they sleep: detached ones too. */
  ptl_test_assert_cancel_at (experiment, "Life 1", 50, 1000);
  ptl_test_assert_cancel_at (experiment, "Life 1", 400, 1000);
  ptl_test_leaks_assert_none (&before, 2000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/thread-lifecycle/run", test_run);
  g_test_add_func ("/ptl/thread-lifecycle/cancel", test_cancel);

  return g_test_run ();
}
