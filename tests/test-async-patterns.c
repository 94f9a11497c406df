/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-test-util.h"

/* Lanes after the loop's: its tasks (or producer and consumers). Keys in
 * the experiment's order. */
enum { KEY_RUNNING, KEY_WAITING, KEY_QUEUED, KEY_CANCELLED, KEY_TIMED_OUT };

static PtlResult *
run_pattern (const char *pattern,
             const char *tasks)
{
  const char * const params[] = {
    "pattern", pattern, "tasks", tasks, "concurrency", "3",
    "wait-min-ms", "20", "wait-max-ms", "200", "timeout-ms", "120", "cpu-us", "200", NULL
  };

  return ptl_test_run ("async-patterns", params);
}

/* The most slices of @key overlapping at one instant, over task lanes. */
static guint
max_overlap (PtlChart *chart,
             guint     key)
{
  const PtlSlice *slices;
  guint n, best = 0;

  slices = ptl_chart_get_slices (chart, &n);
  for (guint i = 0; i < n; i++)
    {
      guint at_once = 0;

      if (slices[i].key != key || slices[i].lane == 0)
        continue;
      for (guint j = 0; j < n; j++)
        at_once += slices[j].key == key && slices[j].lane != 0 &&
                   slices[j].start <= slices[i].start && slices[i].start < slices[j].end;
      best = MAX (best, at_once);
    }
  return best;
}

static void
test_gather_and_first (void)
{
  g_autoptr(PtlResult) gather = run_pattern ("gather", "12");
  g_autoptr(PtlResult) first = run_pattern ("first", "12");

  /* Overlapped waits: wall time is the longest wait, far below the sum. */
  g_assert_cmpfloat (ptl_test_cell (gather, "gather", "Done"), ==, 12);
  g_assert_cmpfloat (ptl_test_cell (gather, "gather", "Wall time"), >=,
                     ptl_test_cell (gather, "gather", "Longest wait"));
  g_assert_cmpfloat (ptl_test_cell (gather, "gather", "Wall time"), <,
                     0.5 * ptl_test_cell (gather, "gather", "Sum of waits"));

  g_assert_cmpfloat (ptl_test_cell (first, "first completed", "Done"), ==, 1);
  g_assert_cmpfloat (ptl_test_cell (first, "first completed", "Cancelled"), ==, 11);
  g_assert_cmpfloat (ptl_test_cell (first, "first completed", "Wall time"), <,
                     ptl_test_cell (first, "first completed", "Longest wait"));
}

static void
test_bounded (void)
{
  g_autoptr(PtlResult) result = run_pattern ("bounded", "12");
  PtlChart *chart = ptl_result_find_chart (result, "timeline-bounded");

  g_assert_nonnull (chart);
  g_assert_cmpfloat (ptl_test_cell (result, "bounded", "Done"), ==, 12);
  g_assert_cmpuint (max_overlap (chart, KEY_WAITING), <=, 3);
  g_assert_cmpuint (max_overlap (chart, KEY_WAITING), >=, 2);
  /* With three slots, the waits take at least a third of their sum. */
  g_assert_cmpfloat (ptl_test_cell (result, "bounded", "Wall time"), >=,
                     ptl_test_cell (result, "bounded", "Sum of waits") / 3);
}

/* A timed-out task waited its whole timeout, never less; a completed one
 * finished before it. */
static void
test_timeout (void)
{
  g_autoptr(PtlResult) result = run_pattern ("timeout", "20");
  PtlChart *chart = ptl_result_find_chart (result, "timeline-timeout");
  const PtlSlice *slices;
  guint n, timed_out = 0;

  slices = ptl_chart_get_slices (chart, &n);
  for (guint i = 0; i < n; i++)
    if (slices[i].key == KEY_TIMED_OUT)
      {
        timed_out++;
        g_assert_cmpfloat (slices[i].end - slices[i].start, >=, 0.110);
      }
    else if (slices[i].key == KEY_WAITING)
      g_assert_cmpfloat (slices[i].end - slices[i].start, <, 0.200);

  g_assert_cmpfloat (ptl_test_cell (result, "timeout", "Timed out"), ==, timed_out);
  g_assert_cmpfloat (ptl_test_cell (result, "timeout", "Done") + timed_out, ==, 20);
  /* Waits are drawn from 20 – 200 ms and the timeout is 120 ms: of 20
   * tasks, some finish and some time out. */
  g_assert_cmpuint (timed_out, >, 0);
  g_assert_cmpuint (timed_out, <, 20);
}

static void
test_cancel_tree_and_queue (void)
{
  g_autoptr(PtlResult) tree = run_pattern ("cancel-tree", "15");
  g_autoptr(PtlResult) queue = run_pattern ("queue", "15");
  gboolean once = FALSE;

  g_assert_cmpfloat (ptl_test_cell (tree, "cancel tree", "Cancelled"), ==, 15);
  g_assert_cmpfloat (ptl_test_cell (tree, "cancel tree", "Done"), ==, 0);

  g_assert_cmpfloat (ptl_test_cell (queue, "queue", "Done"), ==, 15);
  for (guint i = 0; i < ptl_result_get_n_notes (queue); i++)
    once |= g_str_has_prefix (ptl_result_get_note (queue, i), "queue: all 15 items were consumed, each exactly once");
  g_assert_true (once);
  g_assert_cmpuint (ptl_chart_get_n_lanes (ptl_result_find_chart (queue, "timeline-queue")), ==, 1 + 1 + 3);
}

static void
test_params (void)
{
  g_autoptr(PtlExperiment) experiment =
    ptl_test_new_experiment ("async-patterns", (const char * const[]) { "wait-min-ms", "300", NULL });
  g_autoptr(GError) error = NULL;

  g_assert_false (ptl_experiment_validate (experiment, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "wait-max-ms"));
}

static void
test_cancel (void)
{
  const char * const params[] = { "wait-max-ms", "400", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("async-patterns", params);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("async-patterns", params);

  ptl_test_assert_cancel_before_start (experiment);
  ptl_test_assert_cancel_at (experiment, "Pattern: gather", 50, 200);
  ptl_test_assert_cancel_at (experiment, "Pattern: queue", 100, 200);
  ptl_test_leaks_assert_none (&before, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/async-patterns/gather-and-first", test_gather_and_first);
  g_test_add_func ("/ptl/async-patterns/bounded", test_bounded);
  g_test_add_func ("/ptl/async-patterns/timeout", test_timeout);
  g_test_add_func ("/ptl/async-patterns/cancel-tree-and-queue", test_cancel_tree_and_queue);
  g_test_add_func ("/ptl/async-patterns/params", test_params);
  g_test_add_func ("/ptl/async-patterns/cancel", test_cancel);

  return g_test_run ();
}
