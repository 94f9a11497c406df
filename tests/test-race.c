/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-test-util.h"

/* The race experiment: unguarded threads lose updates, guarded ones lose
 * none; its charts and timeline; cancelling joins every thread. */

static const char * const guarded[] = {
  "Mutex", "Spinlock", "Atomic add", "Sharded", "Sharded, one cache line",
};

/* The most lost (in %) at two threads or more, from the lost-updates
 * chart's min–max bands. */
static double
most_lost (PtlResult  *result,
           const char *method)
{
  PtlSeries *series = ptl_chart_find_series (ptl_result_find_chart (result, "lost"), method);
  const PtlPoint *points;
  guint n_points;
  double most = 0;

  g_assert_nonnull (series);
  points = ptl_series_get_points (series, &n_points);
  for (guint i = 0; i < n_points; i++)
    if (points[i].x >= 2)
      most = MAX (most, points[i].hi);
  return most;
}

static void
test_lost_updates (void)
{
  /* Each thread busy for tens of milliseconds: even when other programs
   * keep the CPUs busy, the two are preempted mid-increment and overlap. */
  const char *unguarded[] = { "methods", "unguarded", "threads", "2", "increments", "50000000",
                              "repeats", "3", "record-increments", "10", NULL };
  const char *all[] = { "threads", "3", "increments", "200000", "repeats", "2", "record-increments", "10", NULL };
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(PtlResult) guarded_result = NULL;

  if (ptl_machine_get_n_cpus () < 2)
    {
      g_test_skip ("Needs two CPUs: on one, an update is lost only when a preemption falls between a load and its store");
      return;
    }

  result = ptl_test_run ("race", unguarded);
  g_assert_cmpfloat (most_lost (result, "Unguarded"), >, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "Unguarded", "Lost (max)"), >, 0);
  g_assert_cmpstr (ptl_test_text_cell (result, "Unguarded", "Correct"), ==, "no");

  /* Guarded: exactly nothing lost, at any thread count, in any repeat. */
  guarded_result = ptl_test_run ("race", all);
  for (guint i = 0; i < G_N_ELEMENTS (guarded); i++)
    {
      g_assert_cmpfloat (most_lost (guarded_result, guarded[i]), ==, 0);
      g_assert_cmpfloat (ptl_test_cell (guarded_result, guarded[i], "Lost (max)"), ==, 0);
      g_assert_cmpstr (ptl_test_text_cell (guarded_result, guarded[i], "Correct"), ==, "yes");
      g_assert_cmpfloat (ptl_test_cell (guarded_result, guarded[i], "Expected"), ==, 600000);
    }
}

static void
test_charts (void)
{
  const char *params[] = { "threads", "3", "increments", "1000", "repeats", "2",
                           "record-increments", "500", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("race", params);
  PtlChart *timeline = ptl_result_find_chart (result, "threads");
  PtlChart *lost = ptl_result_find_chart (result, "lost");
  guint n_points;

  g_assert_nonnull (timeline);
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 3);
  g_assert_nonnull (ptl_result_find_chart (result, "threads-shares"));
  g_assert_nonnull (ptl_result_find_chart (result, "threads-cpus"));
  g_assert_nonnull (ptl_result_find_chart (result, "throughput"));
  g_assert_nonnull (ptl_result_find_chart (result, "false-sharing"));
  g_assert_nonnull (lost);
  /* One point per thread count, for each of the six methods. */
  g_assert_cmpuint (ptl_chart_get_n_series (lost), ==, 6);
  ptl_series_get_points (ptl_chart_get_series (lost, 0), &n_points);
  g_assert_cmpuint (n_points, ==, 3);
  /* Every thread held the recorded mutex 500 times: the timeline has at
   * least that many holding slices per lane. */
  for (guint lane = 0; lane < 3; lane++)
    {
      guint n_slices, n_holds = 0;
      const PtlSlice *slices = ptl_chart_get_slices (timeline, &n_slices);

      for (guint i = 0; i < n_slices; i++)
        if (slices[i].lane == lane && ptl_chart_get_key_like (timeline, slices[i].key) == 2)
          n_holds++;
      g_assert_cmpuint (n_holds, ==, 500);
    }
  g_assert_cmpuint (ptl_result_get_n_notes (result), >=, 2);
  g_assert_nonnull (strstr (ptl_result_get_note (result, 0), "Recording costs"));
}

static void
test_cancel (void)
{
  const char *warm[] = { "threads", "2", "increments", "1000", "repeats", "1", "record-increments", "10",
                         "cpu-lanes", "false", NULL };
  const char *params[] = { "threads", "4", "increments", "20000000", "repeats", "5", NULL };
  const char *spin[] = { "methods", "spinlock", "threads", "4", "increments", "20000000", NULL };
  const char *lost[] = { "methods", "unguarded", "threads", "4", "increments", "20000000", NULL };
  g_autoptr(PtlExperiment) spinlock = ptl_test_new_experiment ("race", spin);
  /* One method alone, so the phases before the one cancelled are its own:
   * with every method interleaved, the 4-thread cancel came after all the
   * 1- to 3-thread rounds of the instrumented ones (113 s under TSan). */
  g_autoptr(PtlExperiment) unguarded = ptl_test_new_experiment ("race", lost);
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("race", params);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("race", warm);

  ptl_test_assert_cancel_before_start (experiment);
  ptl_test_assert_cancel_at (experiment, "Mutex with 2 threads", 10, 1000);
  ptl_test_assert_cancel_at (unguarded, "Unguarded with 4 threads", 5, 1000);
  /* Spinning threads, more than the CPUs: the stop flag still reaches them. */
  ptl_test_assert_cancel_at (spinlock, "Spinlock with 4 threads", 20, 1000);
  ptl_test_leaks_assert_none (&before, 2000);
}

static void
test_bad_input (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("race", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (ptl_experiment_set_param (experiment, "threads", "65", &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (ptl_experiment_set_param (experiment, "increments", "10", &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* The user's limit counts the most threads a run has at once. */
  g_assert_true (ptl_experiment_set_param (experiment, "threads", "64", &error));
  ptl_experiment_set_max_tasks (8);
  g_assert_false (ptl_experiment_validate (experiment, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  ptl_experiment_set_max_tasks (PTL_MAX_TASKS_DEFAULT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/race/lost-updates", test_lost_updates);
  g_test_add_func ("/ptl/race/charts", test_charts);
  g_test_add_func ("/ptl/race/bad-input", test_bad_input);
  g_test_add_func ("/ptl/race/cancel", test_cancel);

  return g_test_run ();
}
