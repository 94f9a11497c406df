/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-registry.h"

/* The "ipc" experiment cleans up after itself. For every mechanism, with
 * a process peer and with a thread peer, a run cancelled while it times
 * round trips, and one cancelled while it measures bandwidth, comes back
 * within 200 ms with G_IO_ERROR_CANCELLED; a run whose peer process is
 * killed comes back with an error. Each leaves no thread, descriptor,
 * child, shared-memory segment or message queue behind. */

#define ACT_AFTER_MS   100
#define MAX_LATENCY_NS (200 * G_GINT64_CONSTANT (1000000))
#define SETTLE_NS      (2000 * G_GINT64_CONSTANT (1000000))

static const char * const mechanisms[] = {
  "pipe", "unix-stream", "unix-dgram", "tcp", "shm", "mqueue", "eventfd", NULL,
};

typedef enum
{
  ACT_CANCEL,
  ACT_KILL_PEER,
} Act;

typedef struct
{
  const char *mechanism;
  const char *peer;   /* "process" or "thread" */
  const char *phase;  /* "round trips" or "bandwidth" */
  Act         act;
} CaseSpec;

typedef struct
{
  const CaseSpec *spec;
  char           *prefix;      /* the progress message that starts the phase */
  GCancellable   *cancellable;
  guint           timeout_id;
  gint64          acted_ns;
  gint64          done_ns;
  GError         *error;
  PtlResult      *result;
  gboolean        done;
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

/* Names the lab made in @path: they start "ptlab-ipc-PID-". A missing
 * folder (mqueue not mounted) holds none. */
static guint
count_own_names (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autofree char *prefix = g_strdup_printf ("ptlab-ipc-%d-", (int) getpid ());
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

/* Processes whose parent is this one, from /proc/<pid>/stat. */
static GArray *
list_children (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *children = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;

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
        {
          int pid = atoi (name);

          g_array_append_val (children, pid);
        }
    }
  return children;
}

static gboolean
act_cb (gpointer user_data)
{
  Case *c = user_data;

  c->timeout_id = 0;
  c->acted_ns = ptl_clock_now_ns ();
  if (c->spec->act == ACT_CANCEL)
    {
      g_cancellable_cancel (c->cancellable);
    }
  else
    {
      g_autoptr(GArray) children = list_children ();

      g_assert_cmpuint (children->len, ==, 1);
      g_assert_cmpint (kill (g_array_index (children, int, 0), SIGKILL), ==, 0);
    }
  return G_SOURCE_REMOVE;
}

static void
progress_cb (PtlResult  *snapshot,
             double      fraction,
             const char *message,
             gpointer    user_data)
{
  Case *c = user_data;

  if (c->prefix != NULL && c->timeout_id == 0 && c->acted_ns == 0 &&
      message != NULL && g_str_has_prefix (message, c->prefix))
    {
      g_test_message ("%s → acting in %d ms", message, ACT_AFTER_MS);
      c->timeout_id = g_timeout_add (ACT_AFTER_MS, act_cb, c);
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
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("ipc", &error);

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

/* The baseline: complete runs with both kinds of peer first, so what GLib
 * keeps for the whole process (the GTask worker pool, the default main
 * context's wakeup descriptor) exists before counting. */
static guint baseline_threads;
static guint baseline_fds;
static guint baseline_shm;

static void
take_baseline (void)
{
  static const char * const peers[] = { "process", "thread" };

  if (baseline_threads != 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    {
      const char * const params[] = {
        "peer", peers[i], "round-trips", "100", "bandwidth-mib", "1", NULL,
      };
      Case warm = { NULL };

      warm.cancellable = g_cancellable_new ();
      run_case (&warm, params);
      g_assert_no_error (warm.error);
      g_assert_nonnull (warm.result);
      g_clear_object (&warm.result);
      g_clear_object (&warm.cancellable);
    }

  baseline_threads = count_entries ("/proc/self/task");
  baseline_fds = count_entries ("/proc/self/fd");
  baseline_shm = count_entries ("/dev/shm");
}

static void
assert_nothing_left (void)
{
  gint64 deadline = ptl_clock_now_ns () + SETTLE_NS;
  g_autoptr(GArray) children = NULL;
  guint threads, fds;

  /* GTask's worker goes back to its pool after the callback: give it a
   * moment. */
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
  children = list_children ();
  g_assert_cmpuint (children->len, ==, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
  g_assert_cmpuint (count_own_names ("/dev/shm"), ==, 0);
  g_assert_cmpuint (count_own_names ("/dev/mqueue"), ==, 0);
  g_test_message ("/dev/shm holds %u entries (%u before, others' included)",
                  count_entries ("/dev/shm"), baseline_shm);
}

static void
test_case (gconstpointer data)
{
  const CaseSpec *spec = data;
  gboolean in_bandwidth = g_str_equal (spec->phase, "bandwidth");
  const char * const params[] = {
    "mechanisms", spec->mechanism,
    "peer", spec->peer,
    "round-trips", in_bandwidth ? "100" : "1000000",
    "bandwidth-mib", "4096",
    NULL,
  };
  Case c = { spec };
  double latency_ms;

  take_baseline ();

  c.prefix = g_strdup_printf ("%s: %s", spec->mechanism, spec->phase);
  c.cancellable = g_cancellable_new ();
  run_case (&c, params);

  g_assert_cmpint (c.acted_ns, !=, 0);
  g_assert_null (c.result);
  latency_ms = (c.done_ns - c.acted_ns) / 1e6;
  g_test_message ("%s: callback %.1f ms after acting: %s", c.prefix, latency_ms,
                  c.error ? c.error->message : "no error");
  g_assert_cmpint (c.done_ns - c.acted_ns, <, MAX_LATENCY_NS);
  if (spec->act == ACT_CANCEL)
    {
      g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
  else
    {
      g_assert_error (c.error, PTL_ERROR, PTL_ERROR_FAILED);
      g_assert_nonnull (strstr (c.error->message, spec->mechanism));
      g_assert_nonnull (strstr (c.error->message, "killed by signal 9"));
    }

  g_clear_error (&c.error);
  g_clear_object (&c.cancellable);
  g_free (c.prefix);
  assert_nothing_left ();
}

/* Cancelled before it starts: it must not start anything. */
static void
test_cancel_before (void)
{
  static const char * const params[] = { "round-trips", "1000000", NULL };
  Case c = { NULL };

  take_baseline ();

  c.cancellable = g_cancellable_new ();
  g_cancellable_cancel (c.cancellable);
  run_case (&c, params);
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
  static const char * const peers[] = { "process", "thread" };
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/ipc-cleanup/before-start", test_cancel_before);
  for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
    for (guint m = 0; mechanisms[m] != NULL; m++)
      for (guint phase = 0; phase < 2; phase++)
        {
          CaseSpec *spec;
          g_autofree char *path = NULL;

          /* eventfd has no bandwidth phase. */
          if (phase == 1 && g_str_equal (mechanisms[m], "eventfd"))
            continue;
          spec = g_new0 (CaseSpec, 1);
          spec->mechanism = mechanisms[m];
          spec->peer = peers[p];
          spec->phase = phase == 0 ? "round trips" : "bandwidth";
          spec->act = ACT_CANCEL;
          g_ptr_array_add (specs, spec);
          path = g_strdup_printf ("/ptl/ipc-cleanup/cancel/%s/%s/%s", peers[p], mechanisms[m],
                                  phase == 0 ? "round-trips" : "bandwidth");
          g_test_add_data_func (path, spec, test_case);
        }

  for (guint m = 0; mechanisms[m] != NULL; m++)
    {
      CaseSpec *spec = g_new0 (CaseSpec, 1);
      g_autofree char *path = g_strdup_printf ("/ptl/ipc-cleanup/kill-peer/%s", mechanisms[m]);

      spec->mechanism = mechanisms[m];
      spec->peer = "process";
      spec->phase = "round trips";
      spec->act = ACT_KILL_PEER;
      g_ptr_array_add (specs, spec);
      g_test_add_data_func (path, spec, test_case);
    }

  return g_test_run ();
}
