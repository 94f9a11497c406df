/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-pool-experiment.h"
#include "ptl-registry.h"

/* The "pool" experiment at small sizes: every chart, series, unit and
 * column is there; pools beat a process or thread per task for 10 µs
 * tasks, with wide margins for a noisy 2-core VM; bad parameters are
 * refused; a lowered RLIMIT_NPROC ends the run with a message that names
 * it; cancelling leaves no child, thread or descriptor behind. */

static const char * const strategies[] = {
  "process-per-task", "process-pool", "thread-per-task", "thread-pool", NULL,
};

#define CANCEL_AFTER_MS 300
#define MAX_LATENCY_NS  (500 * G_GINT64_CONSTANT (1000000))
#define SETTLE_NS       (2000 * G_GINT64_CONSTANT (1000000))
#define NOBODY          65534

static PtlExperiment *
new_pool (const char * const *params)
{
  g_autoptr(GError) error = NULL;
  PtlExperiment *experiment = ptl_registry_create ("pool", &error);

  g_assert_no_error (error);
  for (guint i = 0; params[i] != NULL; i += 2)
    {
      ptl_experiment_set_param (experiment, params[i], params[i + 1], &error);
      g_assert_no_error (error);
    }
  return experiment;
}

static PtlResult *
run_pool (const char * const *params)
{
  g_autoptr(PtlExperiment) experiment = new_pool (params);
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  PtlResult *result;

  result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  table = ptl_table_format_text (ptl_result_get_summary (result));
  g_test_message ("%s", table);
  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    g_test_message ("note: %s", ptl_result_get_note (result, i));
  return result;
}

static double
cell (PtlResult  *result,
      const char *strategy,
      const char *column)
{
  PtlTable *table = ptl_result_get_summary (result);
  int c = ptl_table_find_column (table, column);

  g_assert_cmpint (c, >=, 0);
  for (guint row = 0; row < ptl_table_get_n_rows (table); row++)
    if (g_strcmp0 (ptl_table_get_text (table, row, 0), strategy) == 0)
      return ptl_table_get_number (table, row, c);
  g_assert_not_reached ();
}

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

      g_assert_cmpstr (ptl_table_get_text (table, row, 0), ==, s);
      g_assert_cmpfloat (cell (result, s, "rate"), >, 0);
      /* A task cannot come back before its arithmetic is done. */
      g_assert_cmpfloat (cell (result, s, "median"), >=, task_s * 0.5);
      g_assert_cmpfloat (cell (result, s, "p95"), >=, cell (result, s, "median"));
      g_assert_cmpfloat_with_epsilon (cell (result, s, "overhead"), cell (result, s, "median") - task_s, 1e-12);
      g_assert_cmpfloat (cell (result, s, "cpu"), >, 0);
    }
  /* Only the pools have a start-up cost of their own. */
  g_assert_true (isnan (cell (result, "process-per-task", "startup")));
  g_assert_true (isnan (cell (result, "thread-per-task", "startup")));
  g_assert_cmpfloat (cell (result, "process-pool", "startup"), >, 0);
  g_assert_cmpfloat (cell (result, "thread-pool", "startup"), >, 0);
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
  g_autoptr(PtlExperiment) experiment = new_pool ((const char *[]) { NULL });
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
  g_autoptr(PtlResult) result = run_pool (params);
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

/* 10 µs tasks: starting a worker costs more than the task; a pool
 * hands the task over for much less. */
static void
test_short_tasks (void)
{
  const char *params[] = { "task-us", "10", "tasks", "300", "sweep", "false", NULL };
  g_autoptr(PtlResult) result = run_pool (params);

  check_table (result, 10e-6);
  check_line_chart (result, "throughput", "ops/s", 1);
  g_assert_cmpfloat (cell (result, "process-pool", "rate"), >, 2 * cell (result, "process-per-task", "rate"));
  g_assert_cmpfloat (cell (result, "thread-pool", "rate"), >, cell (result, "thread-per-task", "rate"));
  g_assert_cmpfloat (cell (result, "process-pool", "median"), <, cell (result, "process-per-task", "median"));
}

/* Tasks (threads included) that belong to @uid, from /proc. */
static guint
count_user_tasks (uid_t uid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *status = NULL;
      const char *uid_line, *threads_line;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "status", NULL);
      if (!g_file_get_contents (path, &status, NULL, NULL))
        continue;
      uid_line = strstr (status, "\nUid:");
      threads_line = strstr (status, "\nThreads:");
      if (uid_line != NULL && threads_line != NULL &&
          g_ascii_strtoull (uid_line + strlen ("\nUid:"), NULL, 10) == uid)
        n += g_ascii_strtoull (threads_line + strlen ("\nThreads:"), NULL, 10);
    }
  return n;
}

/* In a child test process: as an ordinary user (root ignores the limit),
 * with room for two more tasks, a pool of four cannot start. */
static void
limit_child (void)
{
  const char *warm[] = { "task-us", "10", "tasks", "5", "sweep", "false", NULL };
  const char *params[] = { "task-us", "10", "tasks", "20", "workers", "4", "sweep", "false", NULL };
  g_autoptr(PtlExperiment) warm_experiment = new_pool (warm);
  g_autoptr(PtlExperiment) experiment = new_pool (params);
  g_autoptr(PtlResult) warm_result = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit limit;

  /* GLib's own threads (the run's worker among them) exist from here on. */
  warm_result = ptl_experiment_run_sync (warm_experiment, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  if (getuid () == 0)
    {
      g_assert_cmpint (setgroups (0, NULL), ==, 0);
      g_assert_cmpint (setgid (NOBODY), ==, 0);
      g_assert_cmpint (setuid (NOBODY), ==, 0);
    }
  limit.rlim_cur = limit.rlim_max = count_user_tasks (getuid ()) + 2;
  g_assert_cmpint (setrlimit (RLIMIT_NPROC, &limit), ==, 0);

  result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
  if (result == NULL)
    {
      g_assert_error (error, PTL_ERROR, PTL_ERROR_LIMIT);
      printf ("error: %s\n", error->message);
    }
  else
    for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
      printf ("note: %s\n", ptl_result_get_note (result, i));
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

typedef struct
{
  const char   *prefix; /* the progress message that starts the phase */
  GCancellable *cancellable;
  guint         timeout_id;
  gint64        cancelled_ns;
  gint64        done_ns;
  GError       *error;
  PtlResult    *result;
  gboolean      done;
} Case;

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Processes whose parent is this one, from /proc/<pid>/stat. */
static guint
count_children (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *after_comm;
      char state;
      int ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      after_comm = strrchr (stat, ')');
      if (after_comm != NULL && sscanf (after_comm + 1, " %c %d", &state, &ppid) == 2 &&
          ppid == getpid ())
        n++;
    }
  return n;
}

static gboolean
cancel_cb (gpointer user_data)
{
  Case *c = user_data;

  c->timeout_id = 0;
  c->cancelled_ns = ptl_clock_now_ns ();
  g_cancellable_cancel (c->cancellable);
  return G_SOURCE_REMOVE;
}

static void
progress_cb (PtlResult  *snapshot,
             double      fraction,
             const char *message,
             gpointer    user_data)
{
  Case *c = user_data;

  if (c->prefix != NULL && c->timeout_id == 0 && c->cancelled_ns == 0 &&
      message != NULL && g_str_has_prefix (message, c->prefix))
    {
      g_test_message ("%s → cancelling in %d ms", message, CANCEL_AFTER_MS);
      c->timeout_id = g_timeout_add (CANCEL_AFTER_MS, cancel_cb, c);
    }
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Case *c = user_data;

  c->done_ns = ptl_clock_now_ns ();
  c->result = ptl_experiment_run_finish (PTL_EXPERIMENT (object), result, &c->error);
  c->done = TRUE;
}

static void
run_case (Case               *c,
          const char * const *params)
{
  g_autoptr(PtlExperiment) experiment = new_pool (params);

  c->cancellable = g_cancellable_new ();
  ptl_experiment_run_async (experiment, c->cancellable, progress_cb, c, NULL, done_cb, c);
  while (!c->done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&c->cancellable);
}

/* A complete run first, so that what GLib keeps for the whole process
 * (GTask's workers) exists before counting. */
static guint baseline_threads;
static guint baseline_fds;

static void
take_baseline (void)
{
  const char *tiny[] = { "task-us", "10", "tasks", "5", "sweep", "false", NULL };
  Case warm = { NULL };

  if (baseline_threads > 0)
    return;
  run_case (&warm, tiny);
  g_assert_no_error (warm.error);
  g_clear_object (&warm.result);
  baseline_threads = count_entries ("/proc/self/task");
  baseline_fds = count_entries ("/proc/self/fd");
}

static void
assert_nothing_left (void)
{
  gint64 deadline = ptl_clock_now_ns () + SETTLE_NS;
  guint threads, fds;

  /* GThreadPool threads end just after the pool is freed (they cannot be
   * joined): give them a moment. */
  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      threads = count_entries ("/proc/self/task");
      fds = count_entries ("/proc/self/fd");
      if (threads <= baseline_threads && fds <= baseline_fds)
        break;
      g_usleep (10000);
    }
  while (ptl_clock_now_ns () < deadline);

  g_assert_cmpuint (threads, <=, baseline_threads);
  g_assert_cmpuint (fds, <=, baseline_fds);
  g_assert_cmpuint (count_children (), ==, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

/* Each strategy runs 20 tasks of 100 ms, at most two at a time: about a
 * second, whatever the number of cores. */
static void
test_cancel (gconstpointer data)
{
  const char *params[] = { "task-us", "100000", "tasks", "20", "workers", "2", "sweep", "false", NULL };
  Case c = { data };

  take_baseline ();
  run_case (&c, params);

  g_assert_cmpint (c.cancelled_ns, !=, 0);
  g_assert_null (c.result);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("%s callback %.1f ms after cancel", c.prefix, (c.done_ns - c.cancelled_ns) / 1e6);
  g_assert_cmpint (c.done_ns - c.cancelled_ns, <, MAX_LATENCY_NS);
  g_clear_error (&c.error);
  assert_nothing_left ();
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

      /* "process-pool:" must not match "process-per-task: …". */
      g_test_add_data_func_full (path, g_strdup_printf ("%s:", strategies[i]), test_cancel, g_free);
    }

  return g_test_run ();
}
