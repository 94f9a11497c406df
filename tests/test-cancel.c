/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-registry.h"

/* Cancelling a run of the "models" experiment in the middle of each mode
 * (and of the sweep): the callback comes back within 200 ms with
 * G_IO_ERROR_CANCELLED, and the run leaves no thread, descriptor or child
 * process behind. */

#define CANCEL_AFTER_MS  300
#define MAX_LATENCY_NS   (200 * G_GINT64_CONSTANT (1000000))
#define SETTLE_NS        (2000 * G_GINT64_CONSTANT (1000000))

/* Every mode lasts well over CANCEL_AFTER_MS with these: 4 × 150 ms of
 * arithmetic and a 300 ms wait per task. */
static const char * const long_run[] = {
  "workload", "mixed", "tasks", "4", "cpu-ms", "150", "io-ms", "300", "repeats", "1", NULL,
};

static const char * const tiny_run[] = {
  "workload", "mixed", "tasks", "2", "cpu-ms", "2", "io-ms", "2", "repeats", "1", "sweep", "false", NULL,
};

typedef struct
{
  const char   *prefix;      /* the progress message that starts the phase */
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
      /* The command name may hold spaces and parentheses: skip to the last ')'. */
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
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("models", &error);

  g_assert_no_error (error);
  for (guint i = 0; params[i] != NULL; i += 2)
    {
      ptl_experiment_set_param (experiment, params[i], params[i + 1], &error);
      g_assert_no_error (error);
    }

  ptl_experiment_run_async (experiment, c->cancellable, progress_cb, c, NULL, done_cb, c);
  while (!c->done)
    g_main_context_iteration (NULL, TRUE);
}

/* The baseline: a complete run first, so what GLib keeps for the whole
 * process (the GTask worker pool and its spawner thread, the default main
 * context's wakeup descriptor) exists before counting. */
static guint baseline_threads;
static guint baseline_fds;

static void
take_baseline (void)
{
  Case warm = { NULL };

  warm.cancellable = g_cancellable_new ();
  run_case (&warm, tiny_run);
  g_assert_no_error (warm.error);
  g_assert_nonnull (warm.result);
  g_clear_object (&warm.result);
  g_clear_object (&warm.cancellable);

  baseline_threads = count_entries ("/proc/self/task");
  baseline_fds = count_entries ("/proc/self/fd");
}

static void
assert_nothing_left (void)
{
  gint64 deadline = ptl_clock_now_ns () + SETTLE_NS;
  guint threads, fds;

  /* GThreadPool threads end just after the pool is freed (they cannot be
   * joined), and GTask's worker goes back to its pool after the callback:
   * give them a moment. */
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

static void
test_cancel_in (gconstpointer data)
{
  const char *prefix = data;
  Case c = { prefix };
  double latency_ms;

  if (baseline_threads == 0)
    take_baseline ();

  c.cancellable = g_cancellable_new ();
  run_case (&c, long_run);

  g_assert_cmpint (c.cancelled_ns, !=, 0);
  g_assert_null (c.result);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  latency_ms = (c.done_ns - c.cancelled_ns) / 1e6;
  g_test_message ("%s: callback %.1f ms after cancel", prefix, latency_ms);
  g_assert_cmpint (c.done_ns - c.cancelled_ns, <, MAX_LATENCY_NS);

  g_clear_error (&c.error);
  g_clear_object (&c.cancellable);
  assert_nothing_left ();
}

/* Cancelled before it starts: it must not start anything. */
static void
test_cancel_before (void)
{
  Case c = { NULL };

  if (baseline_threads == 0)
    take_baseline ();

  c.cancellable = g_cancellable_new ();
  g_cancellable_cancel (c.cancellable);
  run_case (&c, long_run);
  g_assert_null (c.result);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&c.error);
  g_clear_object (&c.cancellable);
  assert_nothing_left ();
}

int
main (int    argc,
      char **argv)
{
  static const char * const phases[] = {
    "sequential", "threads", "thread-pool", "processes", "event-loop", "gil-threads", "sweep",
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/cancel/models/before-start", test_cancel_before);
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/cancel/models/%s", phases[i]);

      /* "threads:" must not match "thread-pool: …" nor "gil-threads: …". */
      g_test_add_data_func_full (path, g_strdup_printf ("%s:", phases[i]), test_cancel_in, g_free);
    }

  return g_test_run ();
}
