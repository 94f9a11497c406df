/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-test-util"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-test-util.h"

/* Root ignores RLIMIT_NPROC, so limit tests run as another user: not
 * nobody, whose count other test runs on the machine change as they come
 * and go, but a uid of this process's own (no account needs to exist for
 * it) that has no task but ours. */
#define OWN_UID_BASE 0x70000000u

/* One asynchronous run on the default main context, cancelled on the way
 * when @prefix is set. */
typedef struct
{
  const char   *prefix;       /* the progress message that starts the phase */
  guint         delay_ms;     /* from that message to the cancel */
  GCancellable *cancellable;
  guint         timeout_id;
  gint64        cancelled_ns;
  gint64        done_ns;
  GError       *error;
  PtlResult    *result;
  gboolean      done;
} AsyncRun;

/* The summary row of id @row, and the index of the column of id @column. */
static guint
find_cell (PtlResult  *result,
           const char *row,
           const char *column,
           int        *column_index)
{
  PtlTable *table = ptl_result_get_summary (result);
  int row_index = ptl_table_find_row (table, row);

  *column_index = ptl_table_find_column (table, column);
  g_assert_cmpint (*column_index, >=, 0);
  g_assert_cmpint (row_index, >=, 0);
  return row_index;
}

static void
log_result (PtlResult *result)
{
  g_autofree char *table = ptl_table_format_text (ptl_result_get_summary (result));

  g_test_message ("%s", table);
  for (guint i = 0; i < ptl_result_get_n_warnings (result); i++)
    g_test_message ("warning: %s", ptl_result_get_warning (result, i));
  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    g_test_message ("note: %s", ptl_result_get_note (result, i));
}

/* What readers see starts as a sentence does, or is a C call ("fork ()")
 * or a percentile ("p95"); a lowercase word is an id that slipped through
 * ("gil-threads"). */
static void
assert_label (const char *what,
              const char *label)
{
  g_assert_nonnull (label);
  if (g_ascii_islower (label[0]) && strstr (label, " ()") == NULL &&
      !(label[0] == 'p' && g_ascii_isdigit (label[1])))
    {
      g_test_message ("%s “%s” reads as an id", what, label);
      g_assert_not_reached ();
    }
}

static void
assert_labels (PtlResult *result)
{
  PtlTable *table = ptl_result_get_summary (result);

  for (guint i = 0; i < ptl_table_get_n_columns (table); i++)
    assert_label ("column", ptl_table_get_column_name (table, i));
  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    {
      PtlChart *chart = ptl_result_get_chart (result, i);
      const char * const *categories = ptl_chart_get_categories (chart);

      assert_label ("chart title", ptl_chart_get_title (chart));
      for (guint j = 0; j < ptl_chart_get_n_series (chart); j++)
        assert_label ("series", ptl_series_get_name (ptl_chart_get_series (chart, j)));
      for (guint j = 0; categories != NULL && categories[j] != NULL; j++)
        assert_label ("category", categories[j]);
      for (guint j = 0; j < ptl_chart_get_n_lanes (chart); j++)
        assert_label ("lane", ptl_chart_get_lane (chart, j));
      for (guint j = 0; j < ptl_chart_get_n_keys (chart); j++)
        assert_label ("key", ptl_chart_get_key (chart, j));
      for (guint j = 0; j < ptl_chart_get_n_references (chart); j++)
        assert_label ("reference", ptl_chart_get_reference (chart, j)->label);
    }
}

static void
count_child_cb (const char *pid,
                const char *stat,
                gpointer    user_data)
{
  guint *n = user_data;
  char state;
  int ppid;

  if (ptl_test_parse_stat (stat, &state, &ppid) && ppid == getpid ())
    (*n)++;
}

static gboolean
leaks_settled_cb (gpointer user_data)
{
  const PtlTestLeaks *before = user_data;
  PtlTestLeaks now = ptl_test_leaks_snapshot ();

  return now.threads <= before->threads && now.fds <= before->fds;
}

static gboolean
cancel_cb (gpointer user_data)
{
  AsyncRun *run = user_data;

  run->timeout_id = 0;
  run->cancelled_ns = ptl_clock_now_ns ();
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
progress_cb (PtlResult  *snapshot,
             double      fraction,
             const char *message,
             gpointer    user_data)
{
  AsyncRun *run = user_data;

  if (run->prefix != NULL && run->timeout_id == 0 && run->cancelled_ns == 0 &&
      message != NULL && g_str_has_prefix (message, run->prefix))
    {
      g_test_message ("%s → cancelling in %u ms", message, run->delay_ms);
      run->timeout_id = g_timeout_add (run->delay_ms, cancel_cb, run);
    }
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->done_ns = ptl_clock_now_ns ();
  run->result = ptl_experiment_run_finish (PTL_EXPERIMENT (object), result, &run->error);
  run->done = TRUE;
}

/* Fills @run's outcome; its timeout never outlives it (a run that ends
 * before the delay is not cancelled, and the caller's checks say so). */
static void
async_run (AsyncRun      *run,
           PtlExperiment *experiment)
{
  ptl_experiment_run_async (experiment, run->cancellable, progress_cb, run, NULL, done_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&run->timeout_id, g_source_remove);
}

PtlExperiment *
ptl_test_new_experiment (const char         *id,
                         const char * const *params)
{
  g_autoptr(GError) error = NULL;
  PtlExperiment *experiment = ptl_registry_create (id, &error);

  g_assert_no_error (error);
  for (guint i = 0; params != NULL && params[i] != NULL; i += 2)
    {
      ptl_experiment_set_param (experiment, params[i], params[i + 1], &error);
      g_assert_no_error (error);
    }
  return experiment;
}

void
ptl_test_assert_params (const char         *id,
                        const PtlTestParam *expected,
                        guint               n_expected,
                        const char * const *invalid)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (id, NULL);
  g_autofree GParamSpec **params = NULL;
  guint n_params;

  params = ptl_experiment_list_params (experiment, &n_params);
  g_assert_cmpuint (n_params, ==, n_expected);
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *default_text = ptl_param_dup_default_text (params[i]);

      g_assert_cmpstr (params[i]->name, ==, expected[i].name);
      g_assert_cmpstr (ptl_param_get_unit (params[i]), ==, expected[i].unit);
      g_assert_cmpstr (default_text, ==, expected[i].default_text);
      g_assert_nonnull (g_param_spec_get_blurb (params[i]));
    }
  for (guint i = 0; invalid[i] != NULL; i += 2)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ptl_experiment_set_param (experiment, invalid[i], invalid[i + 1], &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
    }
}

void
ptl_test_assert_count_tasks (const char         *id,
                             const char * const *params,
                             guint               n_tasks)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (id, params);
  g_autoptr(GError) error = NULL;

  ptl_experiment_set_max_tasks (n_tasks);
  g_assert_true (ptl_experiment_validate (experiment, NULL));
  ptl_experiment_set_max_tasks (n_tasks - 1);
  g_assert_false (ptl_experiment_validate (experiment, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  ptl_experiment_set_max_tasks (PTL_MAX_TASKS_DEFAULT);
}

PtlResult *
ptl_test_run_full (const char          *id,
                   const char * const  *params,
                   PtlProgressFunc      progress,
                   gpointer             progress_data,
                   GError             **error)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (id, params);
  PtlResult *result = ptl_experiment_run_sync (experiment, NULL, progress, progress_data, error);

  if (result != NULL)
    {
      log_result (result);
      assert_labels (result);
    }
  return result;
}

PtlResult *
ptl_test_run (const char         *id,
              const char * const *params)
{
  g_autoptr(GError) error = NULL;
  PtlResult *result = ptl_test_run_full (id, params, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

PtlResult *
ptl_test_run_async (PtlExperiment  *experiment,
                    GCancellable   *cancellable,
                    GError        **error)
{
  AsyncRun run = { NULL };

  run.cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  async_run (&run, experiment);
  g_clear_object (&run.cancellable);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.result;
}

double
ptl_test_cell (PtlResult  *result,
               const char *row,
               const char *column)
{
  int c;
  guint r = find_cell (result, row, column, &c);

  return ptl_table_get_number (ptl_result_get_summary (result), r, c);
}

const char *
ptl_test_text_cell (PtlResult  *result,
                    const char *row,
                    const char *column)
{
  int c;
  guint r = find_cell (result, row, column, &c);

  return ptl_table_get_text (ptl_result_get_summary (result), r, c);
}

double
ptl_test_lane_time (PtlChart *chart,
                    guint     lane,
                    guint     key)
{
  guint n_slices;
  const PtlSlice *slices = ptl_chart_get_slices (chart, &n_slices);
  double sum = 0;

  for (guint i = 0; i < n_slices; i++)
    if (slices[i].lane == lane && slices[i].key == key)
      sum += slices[i].end - slices[i].start;
  return sum;
}

void
ptl_test_assert_cancel_before_start (PtlExperiment *experiment)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = NULL;

  g_cancellable_cancel (cancellable);
  result = ptl_test_run_async (experiment, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
ptl_test_assert_cancel_at (PtlExperiment *experiment,
                           const char    *prefix,
                           guint          delay_ms,
                           guint          max_latency_ms)
{
  AsyncRun run = { prefix, delay_ms };

  g_assert_nonnull (prefix);
  run.cancellable = g_cancellable_new ();
  async_run (&run, experiment);

  g_assert_cmpint (run.cancelled_ns, !=, 0);
  g_assert_null (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled after \"%s\": callback %.1f ms later", prefix, (run.done_ns - run.cancelled_ns) / 1e6);
  if (ptl_test_checks_measured ("the cancelled run returns within its latency bound"))
    g_assert_cmpint (run.done_ns - run.cancelled_ns, <, max_latency_ms * G_GINT64_CONSTANT (1000000));

  g_clear_error (&run.error);
  g_clear_object (&run.cancellable);
}

guint
ptl_test_count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint
ptl_test_count_children (void)
{
  guint n = 0;

  ptl_test_foreach_process ("stat", count_child_cb, &n);
  return n;
}

void
ptl_test_foreach_process (const char         *file,
                          PtlTestProcessFunc  func,
                          gpointer            user_data)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, file, NULL);
      if (g_file_get_contents (path, &text, NULL, NULL))
        func (name, text, user_data);
    }
}

gboolean
ptl_test_parse_stat (const char *stat,
                     char       *state,
                     int        *ppid)
{
  /* The command name may hold spaces and parentheses: skip to the last ')'. */
  const char *after_comm = strrchr (stat, ')');

  return after_comm != NULL && sscanf (after_comm + 1, " %c %d", state, ppid) == 2;
}

gboolean
ptl_test_wait_until (PtlTestCondition condition,
                     gpointer         user_data,
                     guint            timeout_ms)
{
  gint64 deadline = ptl_clock_now_ns () + timeout_ms * G_GINT64_CONSTANT (1000000);

  for (;;)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (condition (user_data))
        return TRUE;
      if (ptl_clock_now_ns () >= deadline)
        return FALSE;
      g_usleep (10000);
    }
}

PtlTestLeaks
ptl_test_leaks_snapshot (void)
{
  return (PtlTestLeaks) {
    .threads = ptl_test_count_entries ("/proc/self/task"),
    .fds = ptl_test_count_entries ("/proc/self/fd"),
  };
}

PtlTestLeaks
ptl_test_leaks_snapshot_after_run (const char         *id,
                                   const char * const *warm_params)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (id, warm_params);
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = ptl_test_run_async (experiment, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return ptl_test_leaks_snapshot ();
}

void
ptl_test_leaks_assert_none (const PtlTestLeaks *before,
                            guint               settle_ms)
{
  PtlTestLeaks now;

  ptl_test_wait_until (leaks_settled_cb, (gpointer) before, settle_ms);
  now = ptl_test_leaks_snapshot ();
  g_assert_cmpuint (now.threads, <=, before->threads);
  g_assert_cmpuint (now.fds, <=, before->fds);
  g_assert_cmpuint (ptl_test_count_children (), ==, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

PtlResult *
ptl_test_run_and_report (PtlExperiment *experiment)
{
  g_autoptr(GError) error = NULL;
  PtlResult *result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);

  if (result == NULL)
    {
      g_assert_error (error, PTL_ERROR, PTL_ERROR_LIMIT);
      g_print ("error: %s\n", error->message);
      return NULL;
    }
  for (guint i = 0; i < ptl_result_get_n_warnings (result); i++)
    g_print ("warning: %s\n", ptl_result_get_warning (result, i));
  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    g_print ("note: %s\n", ptl_result_get_note (result, i));
  return result;
}

static uid_t
own_uid (void)
{
  return OWN_UID_BASE + (uid_t) getpid ();
}

/* A clone in a private (0700) folder, as root's home is, keeps the helper
 * out of another user's reach: copy it into a folder of its own under
 * /tmp (not g_get_tmp_dir (): $TMPDIR may be private too), owned by that
 * user so that it can remove it again, and point
 * PTLAB_HELPER there. Returns the folder. */
static char *
give_own_uid_a_helper (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *helper = ptl_machine_find_helper (&error);
  g_autofree char *dir = g_strdup ("/tmp/ptlab-test-helper-XXXXXX");
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_no_error (error);
  g_assert_nonnull (g_mkdtemp_full (dir, 0700));
  copy = g_build_filename (dir, "ptlab-helper", NULL);
  g_assert_true (g_file_get_contents (helper, &contents, &length, &error));
  g_assert_true (g_file_set_contents_full (copy, contents, length, G_FILE_SET_CONTENTS_NONE, 0755, &error));
  g_assert_no_error (error);
  g_assert_cmpint (chown (copy, own_uid (), own_uid ()), ==, 0);
  g_assert_cmpint (chown (dir, own_uid (), own_uid ()), ==, 0);
  g_setenv ("PTLAB_HELPER", copy, TRUE);
  return g_steal_pointer (&dir);
}

static void
become_own_uid (void)
{
  g_assert_cmpuint (ptl_machine_count_user_tasks (own_uid ()), ==, 0);
  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setgid (own_uid ()), ==, 0);
  g_assert_cmpint (setuid (own_uid ()), ==, 0);
}

static void
remove_helper_copy (const char *helper_dir)
{
  g_autofree char *copy = g_build_filename (helper_dir, "ptlab-helper", NULL);

  g_assert_cmpint (g_unlink (copy), ==, 0);
  g_assert_cmpint (g_rmdir (helper_dir), ==, 0);
}

/* What @resource counts that is in use now. */
static rlim_t
limit_in_use (int resource)
{
  g_autofree char *status = NULL;
  const char *line;

  switch (resource)
    {
    case RLIMIT_NPROC:
      return ptl_machine_count_user_tasks (getuid ());
    case RLIMIT_NOFILE:
      /* Less the folder's own descriptor. */
      return ptl_test_count_entries ("/proc/self/fd") - 1;
    case RLIMIT_AS:
      g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
      line = strstr (status, "\nVmSize:");
      g_assert_nonnull (line);
      return g_ascii_strtoull (line + strlen ("\nVmSize:"), NULL, 10) * 1024;
    default:
      g_assert_not_reached ();
    }
}

/* Lowers the soft limit of @resource to @value for a run and returns the
 * old limits for setrlimit () after it. Only the soft one, so that it can
 * be raised again: what the process does once the run is over must not
 * meet it (LeakSanitizer starts a task at exit to stop the world). */
static struct rlimit
lower_limit (int    resource,
             rlim_t value)
{
  struct rlimit old, limit;

  g_assert_cmpint (getrlimit (resource, &old), ==, 0);
  limit.rlim_cur = value;
  limit.rlim_max = old.rlim_max;
  g_assert_cmpint (setrlimit (resource, &limit), ==, 0);
  return old;
}

PtlResult *
ptl_test_run_with_limit (const char         *id,
                         const char * const *params,
                         int                 resource,
                         rlim_t              room)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (id, params);
  g_autofree char *helper_dir = NULL;
  PtlResult *result;
  struct rlimit old;

  if (resource == RLIMIT_NPROC && getuid () == 0)
    {
      helper_dir = give_own_uid_a_helper ();
      become_own_uid ();
    }
  old = lower_limit (resource, limit_in_use (resource) + room);
  result = ptl_test_run_and_report (experiment);
  g_assert_cmpint (setrlimit (resource, &old), ==, 0);
  if (helper_dir != NULL)
    remove_helper_copy (helper_dir);
  return result;
}

PtlResult *
ptl_test_run_with_task_room (const char         *id,
                             const char * const *warm_params,
                             const char * const *params,
                             guint               room)
{
  g_autoptr(PtlExperiment) warm_experiment = ptl_test_new_experiment (id, warm_params);
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (id, params);
  g_autoptr(PtlResult) warm_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *helper_dir = NULL;
  PtlResult *result;
  struct rlimit old;

  /* Before any thread exists: g_setenv () is not thread-safe. */
  if (getuid () == 0)
    helper_dir = give_own_uid_a_helper ();

  /* GLib's own threads (the run's worker among them) exist from here on. */
  warm_result = ptl_experiment_run_sync (warm_experiment, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  if (getuid () == 0)
    become_own_uid ();
  old = lower_limit (RLIMIT_NPROC, limit_in_use (RLIMIT_NPROC) + room);
  result = ptl_test_run_and_report (experiment);
  g_assert_cmpint (setrlimit (RLIMIT_NPROC, &old), ==, 0);
  if (helper_dir != NULL)
    remove_helper_copy (helper_dir);
  return result;
}
