/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptl-test-util.h"

/* The "ipc" experiment cleans up after itself. For every mechanism, with
 * a process peer and with a thread peer, a run cancelled while it times
 * round trips, and one cancelled while it measures bandwidth, comes back
 * within 200 ms with G_IO_ERROR_CANCELLED; a run whose peer process is
 * killed comes back with an error. Each leaves no thread, descriptor,
 * child, shared-memory segment or message queue behind. */

#define ACT_AFTER_MS   100
#define MAX_LATENCY_MS 200
#define SETTLE_MS      2000

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

/* Killing the peer process ACT_AFTER_MS into a phase. */
typedef struct
{
  const char *prefix;     /* the progress message that starts the phase */
  gboolean    scheduled;
  gint64      killed_ns;
} KillAt;

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

static void
add_child_cb (const char *pid,
              const char *stat,
              gpointer    user_data)
{
  GArray *children = user_data;
  char state;
  int ppid;

  if (ptl_test_parse_stat (stat, &state, &ppid) && ppid == getpid ())
    {
      int child = atoi (pid);

      g_array_append_val (children, child);
    }
}

static gboolean
kill_peer_cb (gpointer user_data)
{
  KillAt *at = user_data;
  g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (int));

  at->killed_ns = ptl_clock_now_ns ();
  ptl_test_foreach_process ("stat", add_child_cb, children);
  g_assert_cmpuint (children->len, ==, 1);
  g_assert_cmpint (kill (g_array_index (children, int, 0), SIGKILL), ==, 0);
  return G_SOURCE_REMOVE;
}

static void
kill_progress_cb (PtlResult  *snapshot,
                  double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  KillAt *at = user_data;
  g_autoptr(GSource) source = NULL;

  if (at->scheduled || message == NULL || !g_str_has_prefix (message, at->prefix))
    return;

  g_test_message ("%s → killing the peer in %d ms", message, ACT_AFTER_MS);
  at->scheduled = TRUE;
  /* ptl_test_run_full () iterates a private context, the thread default
   * while it runs, not the one g_timeout_add () uses. A run that ends
   * first destroys the source with its context, and killed_ns stays 0. */
  source = g_timeout_source_new (ACT_AFTER_MS);
  g_source_set_callback (source, kill_peer_cb, at, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
}

/* The baseline: complete runs with both kinds of peer first, so what GLib
 * keeps for the whole process (the GTask worker pool, the default main
 * context's wakeup descriptor) exists before counting. */
static PtlTestLeaks baseline;
static guint baseline_shm;

static void
take_baseline (void)
{
  static const char * const peers[] = { "process", "thread" };

  if (baseline.threads != 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    {
      const char * const params[] = {
        "peer", peers[i], "round-trips", "100", "bandwidth-mib", "1", NULL,
      };

      baseline = ptl_test_leaks_snapshot_after_run ("ipc", params);
    }
  baseline_shm = ptl_test_count_entries ("/dev/shm");
}

static void
assert_nothing_left (void)
{
  /* GTask's worker goes back to its pool after the callback: give it a
   * moment. */
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
  g_assert_cmpuint (count_own_names ("/dev/shm"), ==, 0);
  g_assert_cmpuint (count_own_names ("/dev/mqueue"), ==, 0);
  g_test_message ("/dev/shm holds %u entries (%u before, others' included)",
                  ptl_test_count_entries ("/dev/shm"), baseline_shm);
}

static void
run_and_kill_peer (const CaseSpec     *spec,
                   const char * const *params,
                   const char         *prefix)
{
  KillAt at = { prefix };
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 done_ns;

  result = ptl_test_run_full ("ipc", params, kill_progress_cb, &at, &error);
  done_ns = ptl_clock_now_ns ();

  g_assert_cmpint (at.killed_ns, !=, 0);
  g_assert_null (result);
  g_test_message ("%s: back %.1f ms after the kill: %s", prefix, (done_ns - at.killed_ns) / 1e6,
                  error ? error->message : "no error");
  if (ptl_test_checks_measured ("the run returns within its latency bound after the kill"))
    g_assert_cmpint (done_ns - at.killed_ns, <, MAX_LATENCY_MS * G_GINT64_CONSTANT (1000000));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, spec->mechanism));
  g_assert_nonnull (strstr (error->message, "killed by signal 9"));
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
  g_autofree char *prefix = g_strdup_printf ("%s: %s", spec->mechanism, spec->phase);

  take_baseline ();

  if (spec->act == ACT_CANCEL)
    {
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("ipc", params);

      ptl_test_assert_cancel_at (experiment, prefix, ACT_AFTER_MS, MAX_LATENCY_MS);
    }
  else
    {
      run_and_kill_peer (spec, params, prefix);
    }

  assert_nothing_left ();
}

/* Cancelled before it starts: it must not start anything. */
static void
test_cancel_before (void)
{
  static const char * const params[] = { "round-trips", "1000000", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("ipc", params);

  take_baseline ();
  ptl_test_assert_cancel_before_start (experiment);
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
