/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-proc-monitor"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <unistd.h>

#include "ptl-core.h"
#include "ptl-test-sanitized.h"

/* The live monitor against real threads and a real child (the helper):
 * busy threads must read as busy, the child must be found with its
 * memory, the charts must carry the right units, and stopping must leave
 * no timeout behind. Bounds are wide: the VM is shared. */

#define INTERVAL_MS     50
#define WATCH_MS        900
#define N_IDLE_THREADS  96
#define COST_INTERVAL   100

/* A thread name with the characters that make stat lines hard to parse. */
#define ODD_NAME        "burn) (1"

typedef struct
{
  int  stop;
  int  tid;
} Burner;

static gpointer
burn_thread (gpointer data)
{
  Burner *burner = data;
  volatile guint64 x = 1;

  g_atomic_int_set (&burner->tid, gettid ());
  while (!g_atomic_int_get (&burner->stop))
    for (guint i = 0; i < 100000; i++)
      x = x * 6364136223846793005u + i;
  return NULL;
}

/* Runs @context for @ms, dispatching the monitor's timeouts. */
static void
iterate_for (GMainContext *context,
             guint         ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (context, FALSE))
      g_usleep (1000);
}

static const PtlProcEntity *
find_entity (PtlProcMonitor *monitor,
             PtlProcKind     kind,
             int             id)
{
  for (guint i = 0; i < ptl_proc_monitor_get_n_entities (monitor); i++)
    {
      const PtlProcEntity *entity = ptl_proc_monitor_get_entity (monitor, i);

      if (ptl_proc_entity_get_kind (entity) == kind && ptl_proc_entity_get_id (entity) == id)
        return entity;
    }
  return NULL;
}

static double
max_cpu (const PtlProcEntity *entity)
{
  const PtlProcSample *samples;
  guint n_samples;
  double max = 0;

  samples = ptl_proc_entity_get_samples (entity, &n_samples);
  for (guint i = 0; i < n_samples; i++)
    if (isfinite (samples[i].cpu))
      max = MAX (max, samples[i].cpu);
  return max;
}

/* A thread that exists before the monitor starts, like the window's own
 * or a pooled thread; @marked ones say they run an experiment. */
typedef struct
{
  gboolean marked;
  GMutex   mutex;
  GCond    cond;
  gboolean ready;
  gboolean stop;
  int      tid;
} Sleeper;

/* Blocks without using CPU: the burners' shares stay as they were. */
static gpointer
sleep_thread (gpointer data)
{
  Sleeper *sleeper = data;

  if (sleeper->marked)
    ptl_proc_monitor_mark_run_thread (TRUE);
  g_mutex_lock (&sleeper->mutex);
  sleeper->tid = gettid ();
  sleeper->ready = TRUE;
  g_cond_broadcast (&sleeper->cond);
  while (!sleeper->stop)
    g_cond_wait (&sleeper->cond, &sleeper->mutex);
  g_mutex_unlock (&sleeper->mutex);
  if (sleeper->marked)
    ptl_proc_monitor_mark_run_thread (FALSE);
  return NULL;
}

static void
sleeper_stop (Sleeper *sleeper)
{
  g_mutex_lock (&sleeper->mutex);
  sleeper->stop = TRUE;
  g_cond_broadcast (&sleeper->cond);
  g_mutex_unlock (&sleeper->mutex);
}

static gboolean
chart_has_entity (PtlChart            *chart,
                  const PtlProcEntity *entity)
{
  g_autofree char *label = ptl_proc_entity_dup_label (entity);

  return ptl_chart_find_series (chart, label) != NULL;
}

static void
count_sampled_cb (PtlProcMonitor *monitor,
                  guint          *count)
{
  (*count)++;
}

static void
test_sample (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(PtlProcMonitor) monitor = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *child_label = NULL;
  g_autofree char *odd_label = NULL;
  const char *helper = g_getenv ("PTLAB_HELPER");
  Burner burners[2] = { { 0 } };
  Sleeper sleepers[2] = { { .marked = FALSE }, { .marked = TRUE } };
  GThread *threads[2];
  GThread *sleeper_threads[2];
  const PtlProcEntity *entity;
  PtlChart *cpu_chart, *rss_chart;
  guint n_signals = 0;
  guint n_samples;
  int child_pid;

  g_assert_nonnull (helper);
  g_main_context_push_thread_default (context);

  /* Both there before the monitor: one the host's, one that runs the
   * experiment. */
  for (guint i = 0; i < G_N_ELEMENTS (sleepers); i++)
    {
      sleeper_threads[i] = g_thread_new ("sleeper", sleep_thread, &sleepers[i]);
      g_mutex_lock (&sleepers[i].mutex);
      while (!sleepers[i].ready)
        g_cond_wait (&sleepers[i].cond, &sleepers[i].mutex);
      g_mutex_unlock (&sleepers[i].mutex);
    }

  monitor = ptl_proc_monitor_new (INTERVAL_MS);
  g_signal_connect (monitor, "sampled", G_CALLBACK (count_sampled_cb), &n_signals);
  g_assert_true (ptl_proc_monitor_start (monitor, &error));
  g_assert_no_error (error);
  g_assert_true (ptl_proc_monitor_get_running (monitor));
  g_assert_nonnull (g_main_context_find_source_by_user_data (context, monitor));
  g_assert_cmpuint (ptl_proc_monitor_get_n_samples (monitor), ==, 1);

  /* The lab itself is there from the first sample, with its memory. */
  entity = find_entity (monitor, PTL_PROC_KIND_PROCESS, getpid ());
  g_assert_nonnull (entity);
  g_assert_true (ptl_proc_entity_get_is_self (entity));
  g_assert_cmpfloat (ptl_proc_entity_get_peak_rss (entity), >, 0);
  g_assert_nonnull (find_entity (monitor, PTL_PROC_KIND_THREAD, gettid ()));

  threads[0] = g_thread_new (ODD_NAME, burn_thread, &burners[0]);
  threads[1] = g_thread_new ("burner-2", burn_thread, &burners[1]);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                            helper, "work", "1000000", "3000000000", "7", NULL);
  g_assert_no_error (error);
  child_pid = atoi (g_subprocess_get_identifier (child));

  iterate_for (context, WATCH_MS);

  ptl_proc_monitor_stop (monitor);
  g_assert_false (ptl_proc_monitor_get_running (monitor));
  g_assert_null (g_main_context_find_source_by_user_data (context, monitor));

  /* Nothing samples any more. */
  n_samples = ptl_proc_monitor_get_n_samples (monitor);
  g_assert_cmpuint (n_samples, >=, WATCH_MS / INTERVAL_MS / 3);
  g_assert_cmpuint (n_samples, >=, PTL_PROC_MONITOR_MIN_CHART_SAMPLES);
  g_assert_cmpuint (n_signals, ==, n_samples);
  iterate_for (context, 3 * INTERVAL_MS);
  g_assert_cmpuint (ptl_proc_monitor_get_n_samples (monitor), ==, n_samples);

  for (guint i = 0; i < G_N_ELEMENTS (burners); i++)
    {
      g_atomic_int_set (&burners[i].stop, 1);
      g_thread_join (threads[i]);
    }

  /* Each busy thread was seen under its name, and busy; on two shared
   * cores three busy tasks still get well over 30 % each. */
  for (guint i = 0; i < G_N_ELEMENTS (burners); i++)
    {
      entity = find_entity (monitor, PTL_PROC_KIND_THREAD, burners[i].tid);
      g_assert_nonnull (entity);
      g_assert_cmpstr (ptl_proc_entity_get_name (entity), ==, i == 0 ? ODD_NAME : "burner-2");
      g_test_message ("thread %d: peak %.0f %%, %.2f s of CPU", burners[i].tid,
                      max_cpu (entity), ptl_proc_entity_get_cpu_seconds (entity));
      if (ptl_test_checks_measured ("each busy thread above 30 % of a core"))
        g_assert_cmpfloat (max_cpu (entity), >, 30);
      g_assert_cmpfloat (max_cpu (entity), <=, 100);
      g_assert_true (isnan (ptl_proc_entity_get_peak_rss (entity)));
    }
  odd_label = ptl_proc_entity_dup_label (find_entity (monitor, PTL_PROC_KIND_THREAD, burners[0].tid));

  /* The child, with its own memory. */
  entity = find_entity (monitor, PTL_PROC_KIND_PROCESS, child_pid);
  g_assert_nonnull (entity);
  g_assert_false (ptl_proc_entity_get_is_self (entity));
  g_assert_cmpstr (ptl_proc_entity_get_name (entity), ==, "ptlab-helper");
  g_assert_cmpfloat (ptl_proc_entity_get_peak_rss (entity), >, 0);
  g_assert_cmpfloat (ptl_proc_entity_get_first_seen (entity), <=, ptl_proc_entity_get_last_seen (entity));
  child_label = ptl_proc_entity_dup_label (entity);

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);

  result = ptl_result_new ("test", "Monitor test");
  ptl_proc_monitor_add_to_result (monitor, result);
  g_assert_cmpuint (ptl_result_get_n_charts (result), ==, 2);
  g_assert_cmpuint (ptl_result_get_n_notes (result), ==, 1);

  cpu_chart = ptl_result_find_chart (result, "monitor-cpu");
  g_assert_nonnull (cpu_chart);
  g_assert_cmpint (ptl_chart_get_kind (cpu_chart), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_y_unit (cpu_chart), ==, "%");
  g_assert_cmpstr (ptl_chart_get_x_unit (cpu_chart), ==, "s");
  g_assert_cmpuint (ptl_chart_get_n_series (cpu_chart), >=, 3);
  g_assert_cmpuint (ptl_chart_get_n_series (cpu_chart), <=, 8);
  g_assert_nonnull (ptl_chart_find_series (cpu_chart, odd_label));

  /* The run's threads and children only: not the host's threads that were
   * there before (this test's main thread, the unmarked sleeper), nor the
   * lab's process, whose CPU time sums the host's too; the marked sleeper
   * is the run's although it is older than the monitor. */
  entity = find_entity (monitor, PTL_PROC_KIND_THREAD, gettid ());
  g_assert_false (ptl_proc_entity_get_is_run (entity));
  g_assert_false (chart_has_entity (cpu_chart, entity));
  entity = find_entity (monitor, PTL_PROC_KIND_THREAD, sleepers[0].tid);
  g_assert_false (ptl_proc_entity_get_is_run (entity));
  g_assert_false (chart_has_entity (cpu_chart, entity));
  entity = find_entity (monitor, PTL_PROC_KIND_THREAD, sleepers[1].tid);
  g_assert_true (ptl_proc_entity_get_is_run (entity));
  g_assert_true (chart_has_entity (cpu_chart, entity));
  entity = find_entity (monitor, PTL_PROC_KIND_PROCESS, getpid ());
  g_assert_false (ptl_proc_entity_get_is_run (entity));
  g_assert_false (chart_has_entity (cpu_chart, entity));
  g_assert_true (ptl_proc_entity_get_is_run (find_entity (monitor, PTL_PROC_KIND_PROCESS, child_pid)));

  /* CPU shares start at 0 and are seen against one core. */
  g_assert_cmpuint (ptl_chart_get_n_references (cpu_chart), ==, 1);
  g_assert_cmpint (ptl_chart_get_reference (cpu_chart, 0)->kind, ==, PTL_REFERENCE_HORIZONTAL);
  g_assert_cmpfloat (ptl_chart_get_reference (cpu_chart, 0)->value, ==, 100);

  rss_chart = ptl_result_find_chart (result, "monitor-rss");
  g_assert_nonnull (rss_chart);
  g_assert_cmpstr (ptl_chart_get_y_unit (rss_chart), ==, "B");
  g_assert_nonnull (ptl_chart_find_series (rss_chart, child_label));
  /* Threads share their process's memory: no memory series of their own. */
  g_assert_null (ptl_chart_find_series (rss_chart, odd_label));
  /* The lab's memory is the threads' memory: it has its line here. */
  g_assert_true (chart_has_entity (rss_chart, find_entity (monitor, PTL_PROC_KIND_PROCESS, getpid ())));

  for (guint i = 0; i < G_N_ELEMENTS (sleepers); i++)
    {
      sleeper_stop (&sleepers[i]);
      g_thread_join (sleeper_threads[i]);
    }

  g_test_message ("%u samples, sampling cost %.3f ms of CPU in total",
                  n_samples, ptl_proc_monitor_get_cost_ns (monitor) / 1e6);

  g_main_context_pop_thread_default (context);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_interval (void)
{
  g_autoptr(PtlProcMonitor) monitor = ptl_proc_monitor_new (1);
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Monitor test");
  g_autoptr(GError) error = NULL;
  guint n_notify = 0;
  GSource *source;
  guint source_id;
  gpointer gone;

  /* Clamped to the range. */
  g_assert_cmpuint (ptl_proc_monitor_get_interval (monitor), ==, PTL_PROC_MONITOR_MIN_INTERVAL_MS);
  ptl_proc_monitor_set_interval (monitor, 100000);
  g_assert_cmpuint (ptl_proc_monitor_get_interval (monitor), ==, PTL_PROC_MONITOR_MAX_INTERVAL_MS);

  /* Nothing sampled yet: nothing to add. */
  ptl_proc_monitor_add_to_result (monitor, result);
  g_assert_cmpuint (ptl_result_get_n_charts (result), ==, 0);

  g_signal_connect (monitor, "notify::interval-ms", G_CALLBACK (notify_count_cb), &n_notify);
  g_assert_true (ptl_proc_monitor_start (monitor, &error));
  g_assert_no_error (error);
  source = g_main_context_find_source_by_user_data (NULL, monitor);
  g_assert_nonnull (source);
  /* Ids, not pointers: a new source may reuse the freed one's memory. */
  source_id = g_source_get_id (source);

  /* A new interval replaces the timeout while running; the same one is
   * not news. */
  ptl_proc_monitor_set_interval (monitor, 250);
  ptl_proc_monitor_set_interval (monitor, 250);
  g_assert_cmpuint (n_notify, ==, 1);
  source = g_main_context_find_source_by_user_data (NULL, monitor);
  g_assert_nonnull (source);
  g_assert_cmpuint (g_source_get_id (source), !=, source_id);

  /* A run shorter than the interval still ends with a sample, but two
   * samples make no chart (a 9 ms run got a chart of one dot). */
  g_usleep (20000);
  ptl_proc_monitor_stop (monitor);
  g_assert_cmpuint (ptl_proc_monitor_get_n_samples (monitor), ==, 2);
  g_assert_cmpuint (ptl_proc_monitor_get_n_samples (monitor), <, PTL_PROC_MONITOR_MIN_CHART_SAMPLES);
  g_assert_null (g_main_context_find_source_by_user_data (NULL, monitor));
  ptl_proc_monitor_stop (monitor);

  ptl_proc_monitor_add_to_result (monitor, result);
  g_assert_cmpuint (ptl_result_get_n_charts (result), ==, 0);
  g_assert_cmpuint (ptl_result_get_n_notes (result), ==, 0);

  /* Dropping a running monitor removes its timeout too (the pointer is
   * only compared, never followed). */
  g_assert_true (ptl_proc_monitor_start (monitor, &error));
  g_assert_no_error (error);
  gone = monitor;
  g_assert_finalize_object (g_steal_pointer (&monitor));
  g_assert_null (g_main_context_find_source_by_user_data (NULL, gone));
}

typedef struct
{
  GMutex mutex;
  GCond  cond;
  gboolean release;
} Gate;

static gpointer
wait_thread (gpointer data)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  while (!gate->release)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
  return NULL;
}

/* About a hundred entities at the default interval: one sample must cost
 * well under 2 % of the interval, i.e. under 2 ms of CPU. */
static void
test_cost (void)
{
  g_autoptr(PtlProcMonitor) monitor = ptl_proc_monitor_new (COST_INTERVAL);
  g_autoptr(GError) error = NULL;
  GThread *threads[N_IDLE_THREADS];
  Gate gate = { 0 };
  double per_sample_ms, share;

  for (guint i = 0; i < N_IDLE_THREADS; i++)
    threads[i] = g_thread_new ("idle", wait_thread, &gate);

  g_assert_true (ptl_proc_monitor_start (monitor, &error));
  g_assert_no_error (error);
  iterate_for (NULL, 10 * COST_INTERVAL + COST_INTERVAL / 2);
  ptl_proc_monitor_stop (monitor);

  g_mutex_lock (&gate.mutex);
  gate.release = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.mutex);
  for (guint i = 0; i < N_IDLE_THREADS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (ptl_proc_monitor_get_n_entities (monitor), >, N_IDLE_THREADS);
  per_sample_ms = ptl_proc_monitor_get_cost_ns (monitor) / 1e6 / ptl_proc_monitor_get_n_samples (monitor);
  share = 100.0 * ptl_proc_monitor_get_cost_ns (monitor) / 1e9 / ptl_proc_monitor_get_elapsed (monitor);
  g_test_message ("%u entities, %u samples: %.3f ms of CPU per sample, %.2f %% of one core at %u ms",
                  ptl_proc_monitor_get_n_entities (monitor), ptl_proc_monitor_get_n_samples (monitor),
                  per_sample_ms, share, COST_INTERVAL);
  if (ptl_test_checks_measured ("a sample costs under 2 % of the interval"))
    g_assert_cmpfloat (per_sample_ms, <, 0.02 * COST_INTERVAL);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/proc-monitor/sample", test_sample);
  g_test_add_func ("/ptl/proc-monitor/interval", test_interval);
  g_test_add_func ("/ptl/proc-monitor/cost", test_cost);

  return g_test_run ();
}
