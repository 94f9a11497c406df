/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-test-util.h"

/* The locks experiment: every lock and thread count measured, fairness in
 * range, uncontended costs beside the bare primitive, the recorded
 * timeline, cancelling. Relations only, never speeds. */

static const char * const locks[] = { "mutex", "spinlock", "rwlock", "semaphore", "recursive mutex" };

static void
test_run (void)
{
  const char *params[] = { "threads", "3", "cell-ms", "20", "repeats", "1", "record-ms", "2",
                           "critical-ns", "200", "outside-ns", "200", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("locks", params);
  PtlChart *timeline = ptl_result_find_chart (result, "threads");
  PtlChart *throughput = ptl_result_find_chart (result, "throughput");
  guint n_points;

  g_assert_nonnull (timeline);
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 3);
  g_assert_nonnull (throughput);
  g_assert_cmpuint (ptl_chart_get_n_series (throughput), ==, G_N_ELEMENTS (locks));
  ptl_series_get_points (ptl_chart_get_series (throughput, 0), &n_points);
  g_assert_cmpuint (n_points, ==, 3);
  g_assert_nonnull (ptl_result_find_chart (result, "critical"));
  g_assert_nonnull (ptl_result_find_chart (result, "uncontended"));

  for (guint i = 0; i < G_N_ELEMENTS (locks); i++)
    {
      double jain = ptl_test_cell (result, locks[i], "Jain's index");
      double bare = ptl_test_cell (result, locks[i], "Uncontended");
      double recorded = ptl_test_cell (result, locks[i], "Uncontended, recorded");

      g_assert_cmpfloat (ptl_test_cell (result, locks[i], "Throughput"), >, 0);
      /* Jain's index lies in [1/n, 1]. */
      g_assert_cmpfloat (jain, >=, 1.0 / 3 - 1e-9);
      g_assert_cmpfloat (jain, <=, 1 + 1e-9);
      g_assert_cmpfloat (ptl_test_cell (result, locks[i], "vs best"), <=, 1 + 1e-9);
      g_assert_cmpfloat (ptl_test_cell (result, locks[i], "Wait p50"), <=,
                         ptl_test_cell (result, locks[i], "Wait p99"));
      /* Recording adds work to a pair; it never makes it cheaper by much. */
      g_assert_cmpfloat (bare, >, 0);
      g_assert_cmpfloat (recorded, >, bare * 0.8);
    }
  g_assert_cmpfloat (ptl_test_cell (result, "atomic add", "Uncontended"), >, 0);

  /* Each lock of the recorded run appears in the timeline's keys. */
  for (guint i = 0; i < G_N_ELEMENTS (locks); i++)
    {
      g_autofree char *holding = g_strdup_printf ("holding “%s”", locks[i]);
      gboolean found = FALSE;

      for (guint k = 0; k < ptl_chart_get_n_keys (timeline); k++)
        found |= g_strcmp0 (ptl_chart_get_key (timeline, k), holding) == 0;
      g_assert_true (found);
    }
}

static void
test_cancel (void)
{
  const char *warm[] = { "threads", "1", "cell-ms", "10", "repeats", "1", "record-ms", "1", NULL };
  const char *long_cells[] = { "threads", "6", "cell-ms", "5000", "critical-ns", "20000", NULL };
  const char *long_record[] = { "threads", "6", "cell-ms", "10", "repeats", "1", "record-ms", "1000",
                                "critical-ns", "20000", NULL };
  g_autoptr(PtlExperiment) cells = ptl_test_new_experiment ("locks", long_cells);
  g_autoptr(PtlExperiment) record = ptl_test_new_experiment ("locks", long_record);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("locks", warm);

  ptl_test_assert_cancel_before_start (cells);
  ptl_test_assert_cancel_at (cells, "mutex with 1 threads", 10, 1000);
  ptl_test_assert_cancel_at (cells, "spinlock with 1 threads", 50, 1000);
  /* Six instrumented threads on two CPUs, in the middle of the timeline. */
  ptl_test_assert_cancel_at (record, "Recording", 100, 1500);
  ptl_test_leaks_assert_none (&before, 2000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/locks/run", test_run);
  g_test_add_func ("/ptl/locks/cancel", test_cancel);

  return g_test_run ();
}
