/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "ptl-isolation-experiment.h"
#include "ptl-proc-child.h"
#include "ptl-test-util.h"

/* The "isolation" experiment at small sizes: a crashing child process
 * leaves its siblings to finish and the test process alive; the same
 * crash in a thread takes its whole sacrificial process, and every
 * thread, with it; statuses are decoded as waitpid () reports them;
 * cancelling leaves no child, thread or descriptor behind. */

#define WORK_MS         "400"
#define CANCEL_AFTER_MS 200
#define MAX_LATENCY_MS  500
#define SETTLE_MS       2000

/* Every child was reaped: waitpid () has nothing left to report. */
static void
assert_no_children (void)
{
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

typedef struct
{
  const char *variant;
  guint       worker;
  const char *ended;
  double      ran_s;
  guint       siblings_finished;
} Row;

static void
get_row (PtlTable *table,
         guint     row,
         Row      *out)
{
  out->variant = ptl_table_get_text (table, row, ptl_table_find_column (table, "variant"));
  out->worker = (guint) ptl_table_get_number (table, row, ptl_table_find_column (table, "worker"));
  out->ended = ptl_table_get_text (table, row, ptl_table_find_column (table, "ended"));
  out->ran_s = ptl_table_get_number (table, row, ptl_table_find_column (table, "ran"));
  out->siblings_finished = (guint) ptl_table_get_number (table, row,
                                                         ptl_table_find_column (table, "siblings-finished"));
}

static void
test_output (void)
{
  static const char * const params[] = { "workers", "3", "victim", "2", "work-ms", WORK_MS, NULL };
  static const char * const columns[][2] = {
    { "variant", "" }, { "worker", "" }, { "ended", "" }, { "ran", "s" }, { "siblings-finished", "" },
  };
  g_autoptr(PtlResult) result = ptl_test_run ("isolation", params);
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *timeline = ptl_result_find_chart (result, "timeline");
  const PtlSlice *slices;
  const PtlMarker *markers;
  guint n_slices, n_markers;
  gboolean keys[3] = { FALSE, FALSE, FALSE };

  g_assert_nonnull (timeline);
  g_assert_cmpint (ptl_chart_get_kind (timeline), ==, PTL_CHART_TIMELINE);
  g_assert_cmpstr (ptl_chart_get_x_unit (timeline), ==, "s");
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 6);
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 0), ==, "Process 0");
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 3), ==, "Thread 0");
  for (guint k = 0; k < ptl_chart_get_n_keys (timeline); k++)
    {
      const char *key = ptl_chart_get_key (timeline, k);

      keys[0] |= g_strcmp0 (key, "Exit 0") == 0;
      keys[1] |= g_strcmp0 (key, "SIGSEGV") == 0;
      keys[2] |= g_strcmp0 (key, "Killed with its process") == 0;
    }
  g_assert_true (keys[0] && keys[1] && keys[2]);

  /* One slice per worker, each inside the run; a marker where a process died badly. */
  slices = ptl_chart_get_slices (timeline, &n_slices);
  g_assert_cmpuint (n_slices, ==, 6);
  for (guint i = 0; i < n_slices; i++)
    {
      g_assert_cmpfloat (slices[i].start, >=, 0);
      g_assert_cmpfloat (slices[i].end, >, slices[i].start);
      g_assert_cmpfloat (slices[i].end, <, 30);
    }
  markers = ptl_chart_get_markers (timeline, &n_markers);
  /* The crashed process's lane, and every thread's lane. */
  g_assert_cmpuint (n_markers, ==, 1 + 3);
  g_assert_cmpuint (markers[0].lane, ==, 2);

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      g_assert_cmpint (ptl_table_find_column (table, columns[c][0]), ==, c);
      g_assert_cmpstr (ptl_table_get_column_unit (table, c) ? ptl_table_get_column_unit (table, c) : "",
                       ==, columns[c][1]);
    }
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, 6);
  g_assert_cmpuint (ptl_result_get_n_notes (result), >=, 2);
  assert_no_children ();
}

/* The process variant: the victim dies of SIGSEGV, its siblings finish
 * their whole work, and this process (which started them) lives on. */
static void
test_processes_isolate (void)
{
  static const char * const params[] = { "workers", "4", "victim", "1", "crash", "segfault",
                                         "work-ms", WORK_MS, NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("isolation", params);
  PtlTable *table = ptl_result_get_summary (result);
  double work_s = g_ascii_strtod (WORK_MS, NULL) / 1000;
  guint n_rows = 0;

  for (guint r = 0; r < ptl_table_get_n_rows (table); r++)
    {
      Row row;

      get_row (table, r, &row);
      if (g_strcmp0 (row.variant, "Processes") != 0)
        continue;
      n_rows++;
      if (row.worker == 1)
        {
          g_assert_true (g_str_has_prefix (row.ended, "signal SIGSEGV"));
          g_assert_cmpuint (row.siblings_finished, ==, 3);
          /* It crashed halfway; generous bounds for a loaded machine. */
          g_assert_cmpfloat (row.ran_s, <, work_s * 0.9);
        }
      else
        {
          g_assert_cmpstr (row.ended, ==, "exit 0");
          g_assert_cmpuint (row.siblings_finished, ==, 2);
          g_assert_cmpfloat (row.ran_s, >=, work_s * 0.95);
        }
    }
  g_assert_cmpuint (n_rows, ==, 4);
  assert_no_children ();
}

/* The threaded variant: the whole sacrificial process dies with the
 * victim's signal, and no sibling thread finishes. */
static void
test_threads_share_fate (void)
{
  static const char * const params[] = { "workers", "4", "victim", "0", "crash", "segfault",
                                         "work-ms", WORK_MS, NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("isolation", params);
  PtlTable *table = ptl_result_get_summary (result);
  double work_s = g_ascii_strtod (WORK_MS, NULL) / 1000;
  gboolean noted = FALSE;
  guint n_rows = 0;

  for (guint r = 0; r < ptl_table_get_n_rows (table); r++)
    {
      Row row;

      get_row (table, r, &row);
      if (g_strcmp0 (row.variant, "Threads") != 0)
        continue;
      n_rows++;
      g_assert_cmpuint (row.siblings_finished, ==, 0);
      g_assert_cmpfloat (row.ran_s, <, work_s * 0.9);
      if (row.worker == 0)
        g_assert_true (g_str_has_prefix (row.ended, "signal SIGSEGV"));
      else
        g_assert_cmpstr (row.ended, ==, "killed with its process");
    }
  g_assert_cmpuint (n_rows, ==, 4);

  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    noted |= strstr (ptl_result_get_note (result, i), "whole sacrificial process (signal SIGSEGV") != NULL;
  g_assert_true (noted);
  assert_no_children ();
}

/* Each kind of crash as waitpid () decodes it, in both variants. */
typedef struct
{
  const char *crash;
  const char *victim_ended; /* prefix */
} CrashCase;

static const CrashCase crash_cases[] = {
  { "abort", "signal SIGABRT" },
  { "exit-code", "exit 3" },
  { "none", "exit 0" },
};

static void
test_crash_kind (gconstpointer data)
{
  const CrashCase *c = data;
  const char * const params[] = { "workers", "2", "victim", "1", "crash", c->crash, "work-ms", "60", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("isolation", params);
  PtlTable *table = ptl_result_get_summary (result);
  gboolean crashes = strcmp (c->crash, "none") != 0;

  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, 4);
  for (guint r = 0; r < 4; r++)
    {
      Row row;

      get_row (table, r, &row);
      if (row.worker == 1)
        g_assert_true (g_str_has_prefix (row.ended, c->victim_ended));
      else if (strcmp (row.variant, "Processes") == 0 || !crashes)
        g_assert_cmpstr (row.ended, ==, "exit 0");
      else if (ptl_test_checks_measured ("the sibling thread was still working when the victim crashed"))
        g_assert_cmpstr (row.ended, ==, "killed with its process");
      else
        g_assert_true (g_str_equal (row.ended, "killed with its process") ||
                       g_str_equal (row.ended, "finished before the crash"));
    }
  assert_no_children ();
}

static void
test_describe_status (void)
{
  g_autofree char *exit0 = ptl_proc_describe_status (0);
  g_autofree char *exit3 = ptl_proc_describe_status (3 << 8);
  g_autofree char *segv = ptl_proc_describe_status (SIGSEGV);
  g_autofree char *core = ptl_proc_describe_status (SIGABRT | 0x80);
  g_autofree char *name = ptl_proc_dup_signal_name (SIGKILL);
  g_autofree char *eagain = ptl_proc_dup_errno_name (EAGAIN);

  g_assert_cmpstr (exit0, ==, "exit 0");
  g_assert_cmpstr (exit3, ==, "exit 3");
  g_assert_cmpstr (segv, ==, "signal SIGSEGV");
  g_assert_cmpstr (core, ==, "signal SIGABRT (core dumped)");
  g_assert_cmpstr (name, ==, "SIGKILL");
  g_assert_cmpstr (eagain, ==, "EAGAIN");
}

static void
test_validate (void)
{
  static const char * const params[] = { "workers", "3", "victim", "3", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("isolation", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

/* Cancelling, well inside the variant, before the victim crashes. */
static void
test_cancel (gconstpointer data)
{
  static const char * const params[] = { "workers", "4", "work-ms", "1500", NULL };
  static const char * const tiny[] = { "workers", "2", "work-ms", "20", "crash", "none", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("isolation", params);
  g_autoptr(PtlResult) warm = NULL;
  PtlTestLeaks before;

  /* What GLib keeps for the whole process (GTask's worker pool, the main
   * context's wakeup descriptor) exists before counting. */
  warm = ptl_test_run ("isolation", tiny);
  before = ptl_test_leaks_snapshot ();

  ptl_test_assert_cancel_at (experiment, data, CANCEL_AFTER_MS, MAX_LATENCY_MS);
  /* GTask's worker goes back to its pool just after the callback. */
  ptl_test_leaks_assert_none (&before, SETTLE_MS);
}

/* In a child test process, as an ordinary user with room for four more
 * tasks: four worker processes fit, but one helper process with four
 * worker threads does not. A thread that could not start fails the run
 * with a message naming the limit; its helper's exit is no crash's
 * outcome. */
static void
test_thread_limit (void)
{
  if (g_test_subprocess ())
    {
      const char *params[] = { "workers", "4", "victim", "1", "work-ms", "100", NULL };
      g_autoptr(PtlResult) result = ptl_test_run_with_task_room ("isolation", params, params, 4);

      g_assert_null (result);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* ThreadSanitizer's runtime runs a thread of its own in the helper,
   * which takes one task of the room: there an earlier worker fails. */
  if (PTL_TEST_SANITIZED)
    g_test_trap_assert_stdout ("error: Worker * of the threads variant could not start: pthread_create failed*"
                               "RLIMIT_NPROC is*");
  else
    g_test_trap_assert_stdout ("error: Worker 3 of the threads variant could not start: pthread_create failed*"
                               "RLIMIT_NPROC is*");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/isolation/output", test_output);
  g_test_add_func ("/ptl/isolation/processes-isolate", test_processes_isolate);
  g_test_add_func ("/ptl/isolation/threads-share-fate", test_threads_share_fate);
  for (guint i = 0; i < G_N_ELEMENTS (crash_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/isolation/crash/%s", crash_cases[i].crash);

      g_test_add_data_func (path, &crash_cases[i], test_crash_kind);
    }
  g_test_add_func ("/ptl/isolation/describe-status", test_describe_status);
  g_test_add_func ("/ptl/isolation/validate", test_validate);
  g_test_add_func ("/ptl/isolation/thread-limit", test_thread_limit);
  g_test_add_data_func ("/ptl/isolation/cancel/processes", "processes:", test_cancel);
  g_test_add_data_func ("/ptl/isolation/cancel/threads", "threads:", test_cancel);

  return g_test_run ();
}
