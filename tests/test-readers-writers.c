/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ptl-test-util.h"

/* The readers–writers experiment: every lock keeps writers alone;
 * reader preference starves writers where the fair lock does not (wide
 * margins: the relation is structural, not a speed); the charts,
 * parameters, the task limit, cancelling with nothing left behind. */

/* Row ids, and the names progress messages give. */
static const char * const locks[] = { "readers", "writers", "fair", "grwlock" };
static const char * const lock_names[] = { "Reader-preferring", "Writer-preferring", "Fair (ticket)", "GRWLock" };

static gboolean
has_note_starting (PtlResult  *result,
                   const char *prefix)
{
  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    if (g_str_has_prefix (ptl_result_get_note (result, i), prefix))
      return TRUE;
  return FALSE;
}

/* Eight readers each holding 3 ms of every 4: the lock is almost never
 * free of readers, so under reader preference a writer waits for most of
 * the run, while the fair lock lets it in after those ahead of it. Here
 * that is about 30 times shorter; the margins leave room for a loaded
 * machine, where a preempted thread in the fair lock's line holds up
 * everyone behind it (seen: a quarter of a second under a sanitizer). */
static void
test_starvation (void)
{
  const char *params[] = { "duration-ms", "1000", "repeats", "1", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("readers-writers", params);
  double starved = ptl_test_cell (result, "readers", "Longest writer wait");
  double fair = ptl_test_cell (result, "fair", "Longest writer wait");

  for (guint i = 0; i < G_N_ELEMENTS (locks); i++)
    {
      g_assert_cmpstr (ptl_test_text_cell (result, locks[i], "Exclusion"), ==, "Held");
      g_assert_cmpfloat (ptl_test_cell (result, locks[i], "Reads"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, locks[i], "Writer wait p50"), <=,
                         ptl_test_cell (result, locks[i], "Writer wait p99"));
    }
  g_assert_cmpfloat (starved, >, 2 * fair);
  g_assert_cmpfloat (ptl_test_cell (result, "readers", "Longest writer wait, share of the run"), >, 30);
  g_assert_cmpfloat (ptl_test_cell (result, "readers", "Writer wait p50"), >,
                     2 * ptl_test_cell (result, "fair", "Writer wait p50"));
  g_assert_cmpfloat (ptl_test_cell (result, "readers", "Writes"), <,
                     ptl_test_cell (result, "fair", "Writes"));
  /* Readers hardly wait when preferred. */
  g_assert_cmpfloat (ptl_test_cell (result, "readers", "Reader wait p50"), <,
                     ptl_test_cell (result, "fair", "Reader wait p50"));
  g_assert_true (has_note_starting (result, "Writer starvation: under reader preference"));
  g_assert_true (has_note_starting (result, "GRWLock behaved like"));
}

/* Writers only, no think time: each lock is a plain mutex among them,
 * and two writers are never inside together. */
static void
test_writers_alone (void)
{
  const char *params[] = { "readers", "0", "writers", "4", "write-us", "20", "write-think-us", "0",
                           "duration-ms", "150", "repeats", "1", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("readers-writers", params);

  for (guint i = 0; i < G_N_ELEMENTS (locks); i++)
    {
      g_assert_cmpstr (ptl_test_text_cell (result, locks[i], "Exclusion"), ==, "Held");
      g_assert_cmpfloat (ptl_test_cell (result, locks[i], "Writes"), >, 0);
    }
}

static void
test_charts (void)
{
  const char *params[] = { "readers", "3", "writers", "1", "duration-ms", "100", "repeats", "2",
                           "timeline-lock", "fair", NULL };
  const char *one[] = { "locks", "grwlock", "readers", "2", "writers", "1", "duration-ms", "60",
                        "repeats", "1", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("readers-writers", params);
  g_autoptr(PtlResult) single = ptl_test_run ("readers-writers", one);
  PtlChart *timeline = ptl_result_find_chart (result, "threads");

  g_assert_cmpuint (ptl_chart_get_n_series (ptl_result_find_chart (result, "reader-wait")), ==, 4);
  g_assert_cmpuint (ptl_chart_get_n_series (ptl_result_find_chart (result, "writer-wait")), ==, 4);
  g_assert_cmpuint (ptl_chart_get_n_categories (ptl_result_find_chart (result, "longest-writer-wait")), ==, 4);
  g_assert_cmpuint (ptl_chart_get_n_series (ptl_result_find_chart (result, "throughput")), ==, 2);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 4);
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 3), ==, "Writer 1");
  g_assert_true (strstr (ptl_chart_get_title (timeline), "Fair (ticket)") != NULL);
  g_assert_nonnull (ptl_result_find_chart (result, "threads-shares"));

  /* One lock alone: one row, its own timeline, no comparison notes. */
  g_assert_cmpuint (ptl_table_get_n_rows (ptl_result_get_summary (single)), ==, 1);
  g_assert_true (strstr (ptl_chart_get_title (ptl_result_find_chart (single, "threads")), "GRWLock") != NULL);
  g_assert_false (has_note_starting (single, "Writer starvation"));
  g_assert_false (has_note_starting (single, "GRWLock behaved like"));
}

static void
test_params (void)
{
  static const PtlTestParam expected[] = {
    { "readers", "threads", "8" },
    { "writers", "threads", "2" },
    { "read-us", "µs", "3000" },
    { "write-us", "µs", "1000" },
    { "read-think-us", "µs", "1000" },
    { "write-think-us", "µs", "10000" },
    { "timing", "", "exponential" },
    { "duration-ms", "ms", "800" },
    { "locks", "", "all" },
    { "timeline-lock", "", "readers" },
    { "repeats", "", "3" },
  };
  static const char * const invalid[] = {
    "readers", "49", "writers", "0", "writers", "17", "read-us", "100001", "write-think-us", "1000001",
    "timing", "normal", "duration-ms", "49", "locks", "spinlock", "timeline-lock", "all",
    "repeats", "0", NULL,
  };

  ptl_test_assert_params ("readers-writers", expected, G_N_ELEMENTS (expected), invalid);
}

static void
test_count_tasks (void)
{
  const char *params[] = { "readers", "5", "writers", "3", NULL };

  ptl_test_assert_count_tasks ("readers-writers", params, 8);
}

/* Cancelled in each lock's run, with a writer starving under reader
 * preference and long holds under GRWLock (which cannot give up a wait:
 * the holds in progress end at the cancel, being cancellable sleeps). */
static void
test_cancel (void)
{
  const char *warm[] = { "readers", "1", "writers", "1", "duration-ms", "50", "repeats", "1", NULL };
  const char *params[] = { "duration-ms", "20000", "read-us", "50000", "read-think-us", "10000", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("readers-writers", params);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("readers-writers", warm);

  ptl_test_assert_cancel_before_start (experiment);
  for (guint i = 0; i < G_N_ELEMENTS (locks); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s, repeat 1", lock_names[i]);

      g_object_set (experiment, "locks", i + 1, NULL);
      ptl_test_assert_cancel_at (experiment, prefix, 200, 1000);
    }
  ptl_test_leaks_assert_none (&before, 2000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/readers-writers/starvation", test_starvation);
  g_test_add_func ("/ptl/readers-writers/writers-alone", test_writers_alone);
  g_test_add_func ("/ptl/readers-writers/charts", test_charts);
  g_test_add_func ("/ptl/readers-writers/params", test_params);
  g_test_add_func ("/ptl/readers-writers/count-tasks", test_count_tasks);
  g_test_add_func ("/ptl/readers-writers/cancel", test_cancel);

  return g_test_run ();
}
