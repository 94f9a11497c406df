/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-test-util.h"

/* Cancelling a run of the "models" experiment in the middle of each mode
 * (and of the sweep): the callback comes back within 200 ms with
 * G_IO_ERROR_CANCELLED, and the run leaves no thread, descriptor or child
 * process behind. */

#define CANCEL_AFTER_MS  300
#define MAX_LATENCY_MS   200
#define SETTLE_MS        2000

/* Every mode lasts well over CANCEL_AFTER_MS with these: 4 × 150 ms of
 * arithmetic and a 300 ms wait per task. */
static const char * const long_run[] = {
  "workload", "mixed", "tasks", "4", "cpu-ms", "150", "io-ms", "300", "repeats", "1", NULL,
};

static const char * const tiny_run[] = {
  "workload", "mixed", "tasks", "2", "cpu-ms", "2", "io-ms", "2", "repeats", "1", "sweep", "false", NULL,
};

/* The baseline: a complete run first, so what GLib keeps for the whole
 * process (the GTask worker pool and its spawner thread, the default main
 * context's wakeup descriptor) exists before counting. */
static PtlTestLeaks baseline;

static void
take_baseline (void)
{
  if (baseline.threads == 0)
    baseline = ptl_test_leaks_snapshot_after_run ("models", tiny_run);
}

static void
test_cancel_in (gconstpointer data)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("models", long_run);

  take_baseline ();
  ptl_test_assert_cancel_at (experiment, data, CANCEL_AFTER_MS, MAX_LATENCY_MS);
  /* GThreadPool threads end just after the pool is freed (they cannot be
   * joined), and GTask's worker goes back to its pool after the callback:
   * give them a moment. */
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
}

/* Cancelled before it starts: it must not start anything. */
static void
test_cancel_before (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("models", long_run);

  take_baseline ();
  ptl_test_assert_cancel_before_start (experiment);
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
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
