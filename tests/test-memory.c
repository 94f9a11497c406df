/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-memory-experiment.h"
#include "ptl-parent.h"
#include "ptl-proc-child.h"
#include "ptl-proc-memory.h"
#include "ptl-test-util.h"

/* The "memory" experiment at small sizes: its charts, series and units;
 * an idle exec'd process costs more than an idle thread; RSS overcounts
 * what forked children share; a lowered RLIMIT_NPROC or a creation that
 * fails gives a note or a limit error, not a crash; cancelling leaves no
 * child, thread or descriptor behind. The /proc parsers on fixed text. */

#define CANCEL_AFTER_MS 5
#define MAX_LATENCY_MS  500
#define SETTLE_MS       2000

static gboolean
has_note (PtlResult  *result,
          const char *text)
{
  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    if (strstr (ptl_result_get_note (result, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* Pure parts */

typedef struct
{
  guint        max_workers;
  const guint *sizes;
  guint        n_sizes;
} SweepCase;

static const guint sweep_1[] = { 1 };
static const guint sweep_7[] = { 1, 2, 5, 7 };
static const guint sweep_10[] = { 1, 2, 5, 10 };
static const guint sweep_300[] = { 1, 2, 5, 10, 20, 50, 100, 200, 300 };
static const guint sweep_1000[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };

static const SweepCase sweep_cases[] = {
  { 1, sweep_1, G_N_ELEMENTS (sweep_1) },
  { 7, sweep_7, G_N_ELEMENTS (sweep_7) },
  { 10, sweep_10, G_N_ELEMENTS (sweep_10) },
  { 300, sweep_300, G_N_ELEMENTS (sweep_300) },
  { 1000, sweep_1000, G_N_ELEMENTS (sweep_1000) },
};

static void
test_sweep_sizes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (sweep_cases); i++)
    {
      const SweepCase *c = &sweep_cases[i];
      guint sizes[32];
      guint n = ptl_memory_sweep_sizes (c->max_workers, sizes, G_N_ELEMENTS (sizes));

      g_assert_cmpmem (sizes, n * sizeof (guint), c->sizes, c->n_sizes * sizeof (guint));
    }
}

static const char smaps_rollup[] =
  "55d0c8a4e000-7ffd4a5f2000 ---p 00000000 00:00 0                          [rollup]\n"
  "Rss:                1464 kB\n"
  "Pss:                 176 kB\n"
  "Pss_Dirty:           124 kB\n"
  "Pss_Anon:            100 kB\n"
  "Shared_Clean:       1288 kB\n";

static void
test_parse (void)
{
  PtlProcMemory memory;

  g_assert_true (ptl_proc_parse_smaps_rollup (smaps_rollup, &memory));
  g_assert_cmpint (memory.rss, ==, 1464 * 1024);
  /* "Pss:" and not "Pss_Dirty:" nor "Pss_Anon:". */
  g_assert_cmpint (memory.pss, ==, 176 * 1024);
  g_assert_false (ptl_proc_parse_smaps_rollup ("Rss: 12 kB\n", &memory));

  g_assert_cmpint (ptl_proc_parse_kib_field ("Name:\thelper\nVmPTE:\t      440 kB\n", "VmPTE"), ==, 440 * 1024);
  g_assert_cmpint (ptl_proc_parse_kib_field ("MemAvailable:   24138000 kB\n", "MemAvailable"),
                   ==, G_GINT64_CONSTANT (24138000) * 1024);
  g_assert_cmpint (ptl_proc_parse_kib_field ("VmPTEx: 1 kB\n", "VmPTE"), ==, -1);
  g_assert_cmpint (ptl_proc_parse_kib_field ("VmPTE: kB\n", "VmPTE"), ==, -1);
}

static void
test_read_self (void)
{
  g_autoptr(GError) error = NULL;
  PtlProcMemory memory;
  PtlProcTaskLimits limits;

  g_assert_true (ptl_proc_read_memory (getpid (), &memory, &error));
  g_assert_no_error (error);
  g_assert_cmpint (memory.rss, >, 0);
  g_assert_cmpint (memory.pss, >, 0);
  g_assert_cmpint (memory.pss, <=, memory.rss);
  g_assert_cmpint (ptl_proc_read_mem_available (), >, 0);

  ptl_proc_read_task_limits (&limits);
  g_assert_cmpuint (limits.user_tasks, >=, 1);
  g_assert_cmpuint (limits.system_tasks, >=, limits.user_tasks);

  g_assert_false (ptl_proc_read_memory (G_MAXINT, &memory, &error));
  g_assert_nonnull (error);
}

/* The experiment */

static void
test_output (void)
{
  static const char * const params[] = { "max-workers", "10", "repeats", "1", NULL };
  static const char * const charts[] = { "total-pss", "pss-per-worker", "rss-per-worker" };
  static const char * const kinds[] = { "threads", "forked", "exec'd" };
  static const double sizes[] = { 1, 2, 5, 10 };
  static const char * const columns[][2] = {
    { "kind", "" }, { "workers", "" }, { "pss-per-worker", "B" }, { "rss-per-worker", "B" },
    { "total-pss", "B" },
  };
  g_autoptr(PtlResult) result = ptl_test_run ("memory", params);
  PtlTable *table = ptl_result_get_summary (result);
  gboolean measured = ptl_test_checks_measured ("every worker adds memory");

  for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
    {
      PtlChart *chart = ptl_result_find_chart (result, charts[c]);

      g_assert_nonnull (chart);
      g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_LINE);
      g_assert_true (ptl_chart_get_x_log (chart));
      g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, "B");
      g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, G_N_ELEMENTS (kinds));
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          PtlSeries *series = ptl_chart_find_series (chart, kinds[k]);
          const PtlPoint *points;
          guint n_points;

          g_assert_nonnull (series);
          points = ptl_series_get_points (series, &n_points);
          g_assert_cmpuint (n_points, ==, G_N_ELEMENTS (sizes));
          for (guint p = 0; p < n_points; p++)
            {
              g_assert_cmpfloat (points[p].x, ==, sizes[p]);
              if (measured)
                g_assert_cmpfloat (points[p].y, >, 0);
            }
        }
    }

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      const char *unit = ptl_table_get_column_unit (table, c);

      g_assert_cmpint (ptl_table_find_column (table, columns[c][0]), ==, c);
      g_assert_cmpstr (unit ? unit : "", ==, columns[c][1]);
    }
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, G_N_ELEMENTS (kinds));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    g_assert_cmpfloat (ptl_test_cell (result, kinds[k], "workers"), ==, 10);
  g_assert_true (has_note (result, "page tables"));
}

/* What every guide gets wrong, measured: an idle thread costs tens of
 * KiB, not its 8 MiB stack; an exec'd process costs more than a thread;
 * a forked child's RSS counts the parent's pages it only shares. */
static void
test_relations (void)
{
  static const char * const params[] = { "max-workers", "20", "repeats", "1", "parent-mib", "8", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("memory", params);
  double thread_pss = ptl_test_cell (result, "threads", "pss-per-worker");
  double exec_pss = ptl_test_cell (result, "exec'd", "pss-per-worker");
  double fork_pss = ptl_test_cell (result, "forked", "pss-per-worker");
  double fork_rss = ptl_test_cell (result, "forked", "rss-per-worker");

  g_test_message ("PSS per worker: thread %.0f B, exec'd %.0f B, forked %.0f B (RSS %.0f B)",
                  thread_pss, exec_pss, fork_pss, fork_rss);
  if (!ptl_test_checks_measured ("the footprints of a thread, an exec'd and a forked worker"))
    return;
  g_assert_cmpfloat (thread_pss, >, 0);
  g_assert_cmpfloat (thread_pss, <, 1024 * 1024);
  g_assert_cmpfloat (exec_pss, >, thread_pss);
  g_assert_cmpfloat (fork_rss, >=, 8 * 1024 * 1024);
  g_assert_cmpfloat (fork_pss, <, fork_rss / 4);
}

/* A lowered RLIMIT_NPROC, set in a subprocess that runs the experiment
 * and prints what it got: a note or a limit error naming the limit. */
static void
set_nproc_limit (guint64 limit)
{
  struct rlimit nproc;

  g_assert_cmpint (getrlimit (RLIMIT_NPROC, &nproc), ==, 0);
  nproc.rlim_cur = limit;
  g_assert_cmpint (setrlimit (RLIMIT_NPROC, &nproc), ==, 0);
}

static void
test_nproc_limit (void)
{
  if (g_test_subprocess ())
    {
      static const char * const params[] = { "max-workers", "1000", "repeats", "1", NULL };
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("memory", params);
      g_autoptr(PtlResult) result = NULL;
      PtlProcTaskLimits limits;

      /* Room for the lab's own threads and a few small sizes, not for 1000. */
      ptl_proc_read_task_limits (&limits);
      set_nproc_limit (limits.user_tasks + 64 + 30);
      result = ptl_test_run_and_report (experiment);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*RLIMIT_NPROC*");
}

/* Below what is running already: nothing can be measured. Only as root,
 * whom the kernel exempts; anybody else could not even start the run's
 * own thread under such a limit. */
static void
test_nproc_exhausted (void)
{
  if (geteuid () != 0)
    {
      g_test_skip ("needs root, whom RLIMIT_NPROC does not bind");
      return;
    }
  if (g_test_subprocess ())
    {
      static const char * const params[] = { "max-workers", "10", "repeats", "1", NULL };
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("memory", params);
      g_autoptr(PtlResult) result = NULL;

      set_nproc_limit (1);
      result = ptl_test_run_and_report (experiment);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("error: *RLIMIT_NPROC*");
}

/* A creation that really fails: under RLIMIT_AS a host cannot map many
 * 256 MiB thread stacks. The threads sweep ends with a note naming the
 * failure, the others go on, and the result keeps what was measured. */
static void
test_creation_fails (void)
{
  if (ptl_test_skip_address_space_limit ())
    return;
  if (g_test_subprocess ())
    {
      static const char * const params[] = { "max-workers", "20", "repeats", "1",
                                             "stack-kib", "262144", NULL };
      struct rlimit address_space;
      g_autoptr(PtlExperiment) experiment = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlResult) result = NULL;

      g_assert_cmpint (getrlimit (RLIMIT_AS, &address_space), ==, 0);
      address_space.rlim_cur = (rlim_t) 4 << 30;
      g_assert_cmpint (setrlimit (RLIMIT_AS, &address_space), ==, 0);

      experiment = ptl_test_new_experiment ("memory", params);
      result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (has_note (result, "pthread_create failed at"));
      g_assert_cmpfloat (ptl_test_cell (result, "threads", "workers"), <, 20);
      g_assert_cmpfloat (ptl_test_cell (result, "threads", "workers"), >=, 1);
      g_assert_cmpfloat (ptl_test_cell (result, "exec'd", "workers"), ==, 20);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_validate (void)
{
  static const char * const params[] = { "stack-kib", "64", "touch-kib", "64", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("memory", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

/* Cancelling */

/* Processes running our helper's "idle" mode: forked workers belong to
 * their host, or to init once it is gone, never to this process. */
static void
count_idle_helper_cb (const char *pid,
                      const char *stat,
                      gpointer    user_data)
{
  const char *helper = g_getenv ("PTLAB_HELPER");
  g_autofree char *cmdline_path = g_build_filename ("/proc", pid, "cmdline", NULL);
  g_autofree char *cmdline = NULL;
  guint *n = user_data;
  gsize length;
  char state;
  int ppid;

  g_assert_nonnull (helper);
  if (!ptl_test_parse_stat (stat, &state, &ppid) || state == 'Z')
    return;
  if (g_file_get_contents (cmdline_path, &cmdline, &length, NULL) && length > 0 &&
      strcmp (cmdline, helper) == 0 && strlen (cmdline) + 1 < length &&
      g_str_has_prefix (cmdline + strlen (cmdline) + 1, "idle"))
    (*n)++;
}

static guint
count_idle_helpers (void)
{
  guint n = 0;

  ptl_test_foreach_process ("stat", count_idle_helper_cb, &n);
  return n;
}

static gboolean
settled_cb (gpointer user_data)
{
  const PtlTestLeaks *before = user_data;

  return ptl_test_count_children () == 0 && count_idle_helpers () == 0 &&
         ptl_test_count_entries ("/proc/self/task") <= before->threads;
}

/* A few milliseconds in: while the workers are being created. */
static void
test_cancel (gconstpointer data)
{
  static const char * const params[] = { "max-workers", "1000", "repeats", "1", NULL };
  static const char * const tiny[] = { "max-workers", "2", "repeats", "1", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("memory", params);
  g_autoptr(PtlResult) warm = NULL;
  PtlTestLeaks before;

  /* What GLib keeps for the whole process (GTask's worker pool, the main
   * context's wakeup descriptor) exists before counting. */
  warm = ptl_test_run ("memory", tiny);
  before = ptl_test_leaks_snapshot ();

  /* A sanitizer runtime makes each exec'd helper about 15 MiB, and the
   * memory budget then ends that sweep before 1000: there the run is
   * cancelled at the first size of the kind. */
  if (PTL_TEST_SANITIZED)
    {
      g_autofree char *kind = g_strndup (data, strchr (data, ':') + 2 - (const char *) data);

      ptl_test_assert_cancel_at (experiment, kind, CANCEL_AFTER_MS, MAX_LATENCY_MS);
    }
  else
    ptl_test_assert_cancel_at (experiment, data, CANCEL_AFTER_MS, MAX_LATENCY_MS);

  /* Forked workers die a moment after their host (PR_SET_PDEATHSIG);
   * GTask's worker goes back to its pool just after the callback. */
  ptl_test_wait_until (settled_cb, &before, SETTLE_MS);
  g_assert_cmpuint (count_idle_helpers (), ==, 0);
  ptl_test_leaks_assert_none (&before, 0);
}

/* Runs `ptlab-helper idle 0` (it says which process it is, then waits
 * for the end of its input) with @envp; returns its exit status. */
static int
run_idle_helper (char **envp,
                 char **out)
{
  const char *argv[] = { g_getenv ("PTLAB_HELPER"), "idle", "0", NULL };
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                out, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

/* A child asks to die with its parent (PR_SET_PDEATHSIG) only once it
 * runs; a parent that died before then sends no signal, so the child
 * checks that its parent is still the one that started it. A helper
 * whose $PTLAB_PARENT_PID is not its parent (as when the lab died after
 * the spawn) goes at once, before saying anything. */
static void
test_helper_outlives_no_parent (void)
{
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  g_auto(GStrv) lab_env = ptl_proc_dup_helper_environ ();
  g_auto(GStrv) orphan_env = g_environ_setenv (g_get_environ (), PTL_PARENT_PID_ENV, "1", TRUE);
  g_autofree char *lab_out = NULL;
  g_autofree char *orphan_out = NULL;
  pid_t child;
  int wait_status;

  g_assert_cmpstr (g_environ_getenv (lab_env, PTL_PARENT_PID_ENV), ==, self);
  g_assert_cmpint (run_idle_helper (lab_env, &lab_out), ==, 0);
  g_assert_cmpstr (lab_out, !=, "");
  g_assert_cmpint (run_idle_helper (orphan_env, &orphan_out), ==, 1);
  g_assert_cmpstr (orphan_out, ==, "");

  /* The same check, in a child forked by the lab itself (ipc's peer). */
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      ptl_die_with_parent (getppid () + 1);
      _exit (0);
    }
  g_assert_cmpint (ptl_proc_wait (child, &wait_status, 0), ==, child);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/memory/sweep-sizes", test_sweep_sizes);
  g_test_add_func ("/ptl/memory/parse", test_parse);
  g_test_add_func ("/ptl/memory/read-self", test_read_self);
  g_test_add_func ("/ptl/memory/output", test_output);
  g_test_add_func ("/ptl/memory/relations", test_relations);
  g_test_add_func ("/ptl/memory/validate", test_validate);
  g_test_add_func ("/ptl/memory/nproc-limit", test_nproc_limit);
  g_test_add_func ("/ptl/memory/nproc-exhausted", test_nproc_exhausted);
  g_test_add_func ("/ptl/memory/creation-fails", test_creation_fails);
  g_test_add_func ("/ptl/memory/helper-outlives-no-parent", test_helper_outlives_no_parent);
  g_test_add_data_func ("/ptl/memory/cancel/threads", "threads: 1000", test_cancel);
  g_test_add_data_func ("/ptl/memory/cancel/forked", "forked: 1000", test_cancel);
  g_test_add_data_func ("/ptl/memory/cancel/exec", "exec'd: 1000", test_cancel);

  return g_test_run ();
}
