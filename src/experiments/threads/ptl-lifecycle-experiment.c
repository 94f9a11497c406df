/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-lifecycle-experiment"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pthread.h>
#include <unistd.h>

#include "ptl-lifecycle-experiment.h"

/* "thread-lifecycle": N threads go through a thread's life while the
 * recorder watches: created, running (a spin on the time-stamp counter),
 * sleeping, blocked on a condition until the main thread broadcasts,
 * running again, and then joined, or detached and left to end alone.
 * Latencies use the recorder's ticks, stamped on each side of the event
 * by the thread that sees it: creation from the creator's call to the
 * thread's first instruction, wake-up from the broadcast to the woken
 * thread running, join from a thread's last instruction to
 * pthread_join () returning. Detached threads are waited for until they
 * are gone from /proc/self/task, so a run leaves nothing behind. */

struct _PtlLifecycleExperiment
{
  PtlExperiment parent_instance;

  guint threads;
  guint work_ms;
  guint sleep_ms;
  guint detach_share;
  guint repeats;
  gboolean cpu_lanes;
};

enum {
  PROP_0,
  PROP_THREADS,
  PROP_WORK_MS,
  PROP_SLEEP_MS,
  PROP_DETACH_SHARE,
  PROP_REPEATS,
  PROP_CPU_LANES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlLifecycleExperiment, ptl_lifecycle_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_THREADS   256
#define NS_PER_MS     1e6
/* The main thread looks at the cancellable this often while it waits. */
#define WATCH_NS      (20 * 1000 * 1000)
/* A detached thread that signalled its end is gone within this. */
#define EXIT_LIMIT_NS (G_GINT64_CONSTANT (2000) * 1000 * 1000)

typedef struct _Life Life;

typedef struct
{
  Life           *life;
  guint           index;
  gboolean        detached;
  PtlThreadTrack *track;
  pthread_t       thread;
  gboolean        started_ok;
  pid_t           tid;
  gint64          create_call;  /* ticks */
  gint64          first_instruction;
  gint64          woken;
  gint64          last_instruction;
  gint64          joined;
} Member;

struct _Life
{
  PtlLifecycleExperiment *self;
  GCancellable           *cancellable;
  PtlThreadRecorder      *recorder;
  PtlMutex                mutex;
  PtlCond                 go_cond;
  pthread_cond_t          main_cond;  /* the main thread's own waits, not recorded */
  guint                   n_waiting;
  guint                   n_detached_done;
  gboolean                go;
  gint                    stop;
  gint64                  broadcast;
  Member                  members[MAX_THREADS];
};

/* Work that stops early when the run is cancelled. */
static void
spin_ms (Life  *life,
         double ms)
{
  for (double done = 0; done < ms && !g_atomic_int_get (&life->stop); done += 1)
    ptl_thread_spin_ns (MIN (1, ms - done) * NS_PER_MS);
}

static void *
member_thread (void *data)
{
  Member *member = data;
  Life *life = member->life;
  PtlThreadTrack *track = member->track;
  PtlHold hold;

  member->first_instruction = ptl_thread_ticks ();
  member->tid = gettid ();
  ptl_thread_track_begin (track);

  spin_ms (life, life->self->work_ms);
  ptl_thread_track_sleep (track, (gint64) (life->self->sleep_ms * NS_PER_MS), life->cancellable);

  ptl_mutex_lock (&life->mutex, track, &hold);
  life->n_waiting++;
  pthread_cond_signal (&life->main_cond);
  while (!life->go && !g_atomic_int_get (&life->stop))
    ptl_cond_wait (&life->go_cond, &life->mutex, track, &hold);
  member->woken = ptl_thread_ticks ();
  ptl_mutex_unlock (&life->mutex, track, &hold);

  spin_ms (life, life->self->work_ms / 2.0);
  ptl_thread_track_finish (track);
  member->last_instruction = ptl_thread_ticks ();

  if (member->detached)
    {
      pthread_mutex_lock (&life->mutex.mutex);
      life->n_detached_done++;
      pthread_cond_signal (&life->main_cond);
      pthread_mutex_unlock (&life->mutex.mutex);
    }
  return NULL;
}

/* Waits on the main condition until @done holds, raising stop when the
 * run is cancelled; the caller holds the mutex. */
static void
main_wait (Life      *life,
           gboolean (*done) (Life *life))
{
  while (!done (life))
    {
      struct timespec deadline;

      if (g_cancellable_is_cancelled (life->cancellable) && !g_atomic_int_get (&life->stop))
        {
          g_atomic_int_set (&life->stop, 1);
          ptl_cond_broadcast (&life->go_cond);
        }
      clock_gettime (CLOCK_MONOTONIC, &deadline);
      deadline.tv_nsec += WATCH_NS;
      if (deadline.tv_nsec >= 1000000000)
        {
          deadline.tv_sec++;
          deadline.tv_nsec -= 1000000000;
        }
      pthread_cond_timedwait (&life->main_cond, &life->mutex.mutex, &deadline);
    }
}

static guint
n_started (Life *life)
{
  guint n = 0;

  for (guint i = 0; i < life->self->threads; i++)
    n += life->members[i].started_ok;
  return n;
}

static gboolean
all_waiting (Life *life)
{
  return life->n_waiting >= n_started (life) || g_atomic_int_get (&life->stop);
}

static gboolean
detached_done (Life *life)
{
  guint n = 0;

  for (guint i = 0; i < life->self->threads; i++)
    n += life->members[i].started_ok && life->members[i].detached;
  /* Detached threads cannot be joined: they are waited for even when the
   * run is cancelled. */
  return life->n_detached_done >= n;
}

static gboolean
task_gone (pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%d", (int) tid);

  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/* One life of all the threads. */
static gboolean
live_once (PtlLifecycleExperiment *self,
           Life                   *life,
           GError                **error)
{
  guint n_detached = (self->threads * self->detach_share + 50) / 100;
  pthread_condattr_t attr;
  int status = 0;
  guint i;

  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&life->main_cond, &attr);
  pthread_condattr_destroy (&attr);
  ptl_mutex_init (&life->mutex, life->recorder, _("state"));
  ptl_cond_init (&life->go_cond, life->recorder, _("go"));

  for (i = 0; i < self->threads; i++)
    {
      Member *member = &life->members[i];
      g_autofree char *name = NULL;

      member->life = life;
      member->index = i;
      member->detached = i >= self->threads - n_detached;
      name = g_strdup_printf (member->detached ? _("Thread %u (detached)") : _("Thread %u (joined)"), i + 1);
      member->track = ptl_thread_recorder_add_thread (life->recorder, name);
    }

  for (i = 0; i < self->threads && status == 0; i++)
    {
      Member *member = &life->members[i];

      member->create_call = ptl_thread_ticks ();
      status = pthread_create (&member->thread, NULL, member_thread, member);
      if (status == 0)
        {
          member->started_ok = TRUE;
          if (member->detached)
            pthread_detach (member->thread);
        }
    }
  if (status != 0)
    g_atomic_int_set (&life->stop, 1);

  pthread_mutex_lock (&life->mutex.mutex);
  main_wait (life, all_waiting);
  life->broadcast = ptl_thread_ticks ();
  life->go = TRUE;
  ptl_cond_broadcast (&life->go_cond);
  pthread_mutex_unlock (&life->mutex.mutex);

  for (i = 0; i < self->threads; i++)
    {
      Member *member = &life->members[i];

      if (!member->started_ok || member->detached)
        continue;
      pthread_join (member->thread, NULL);
      member->joined = ptl_thread_ticks ();
    }

  pthread_mutex_lock (&life->mutex.mutex);
  main_wait (life, detached_done);
  pthread_mutex_unlock (&life->mutex.mutex);
  /* Their last steps after signalling: gone from the process before we
   * report, as the leak checks expect. */
  for (i = 0; i < self->threads; i++)
    {
      Member *member = &life->members[i];
      gint64 limit = ptl_clock_now_ns () + EXIT_LIMIT_NS;

      if (!member->started_ok || !member->detached)
        continue;
      while (!task_gone (member->tid) && ptl_clock_now_ns () < limit)
        g_usleep (50);
    }

  ptl_mutex_clear (&life->mutex);
  ptl_cond_clear (&life->go_cond);
  pthread_cond_destroy (&life->main_cond);

  if (status != 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("Could not start thread %u of %u: %s"),
                   i, self->threads, g_strerror (status));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (life->cancellable, error))
    return FALSE;
  return TRUE;
}

static gboolean
ptl_lifecycle_experiment_run (PtlExperiment  *experiment,
                              PtlRun         *run,
                              GError        **error)
{
  PtlLifecycleExperiment *self = PTL_LIFECYCLE_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  static const char * const measures[] = {
    N_("Creation (create → first instruction)"),
    N_("Wake-up (broadcast → running)"),
    N_("Join (last instruction → join returns)"),
  };
  static const PtlThreadState states[] = {
    PTL_THREAD_RUNNING, PTL_THREAD_SLEEPING, PTL_THREAD_BLOCKED_COND, PTL_THREAD_WAITING_LOCK,
    PTL_THREAD_HOLDING_LOCK,
  };
  GArray *latencies[G_N_ELEMENTS (measures)];
  GArray *state_times[G_N_ELEMENTS (states)];
  const char *categories[G_N_ELEMENTS (measures) + 1];
  PtlChart *latency_chart;
  PtlSeries *median_series, *p95_series;
  PtlTable *table;
  gboolean ok = TRUE;
  guint columns[4];

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    latencies[m] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    state_times[s] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; ok && r < self->repeats; r++)
    {
      g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
      g_autofree Life *life = g_new0 (Life, 1);
      g_autofree double *times = NULL;

      ptl_run_progress (run, (double) r / self->repeats, _("Life %u of %u: %u threads"),
                        r + 1, self->repeats, self->threads);
      life->self = self;
      life->cancellable = ptl_run_get_cancellable (run);
      life->recorder = recorder;
      ok = live_once (self, life, error);
      if (!ok)
        break;

      for (guint i = 0; i < self->threads; i++)
        {
          const Member *member = &life->members[i];
          double creation = ptl_thread_recorder_ticks_to_ns (recorder, member->first_instruction) -
                            ptl_thread_recorder_ticks_to_ns (recorder, member->create_call);
          double wake = ptl_thread_recorder_ticks_to_ns (recorder, member->woken) -
                        ptl_thread_recorder_ticks_to_ns (recorder, life->broadcast);

          creation *= 1e-9;
          wake *= 1e-9;
          g_array_append_val (latencies[0], creation);
          g_array_append_val (latencies[1], wake);
          if (!member->detached)
            {
              double join = (ptl_thread_recorder_ticks_to_ns (recorder, member->joined) -
                             ptl_thread_recorder_ticks_to_ns (recorder, member->last_instruction)) * 1e-9;

              g_array_append_val (latencies[2], join);
            }
        }
      times = ptl_thread_recorder_dup_state_times (recorder);
      for (guint i = 0; i < self->threads; i++)
        for (guint s = 0; s < G_N_ELEMENTS (states); s++)
          g_array_append_val (state_times[s], times[i * PTL_THREAD_N_STATES + states[s]]);

      /* The first life is drawn, with a mark where each was created. */
      if (r == 0)
        {
          g_autofree char *title = g_strdup_printf (_("The life of %u threads"), self->threads);
          PtlChart *timeline;

          ptl_thread_recorder_add_charts (recorder, result, "threads", title, self->cpu_lanes);
          timeline = ptl_result_find_chart (result, "threads");
          for (guint i = 0; i < self->threads; i++)
            ptl_chart_add_marker (timeline, i,
                                  ptl_thread_recorder_ticks_to_ns (recorder, life->members[i].create_call) * 1e-9);
          ptl_chart_add_reference (timeline, PTL_REFERENCE_VERTICAL,
                                   ptl_thread_recorder_ticks_to_ns (recorder, life->broadcast) * 1e-9,
                                   _("Broadcast"));
        }
    }

  if (ok)
    {
      table = ptl_result_get_summary (result);
      columns[0] = ptl_table_add_column (table, _("Measure"), NULL);
      columns[1] = ptl_table_add_column (table, _("Median"), "s");
      columns[2] = ptl_table_add_column (table, _("p95"), "s");
      columns[3] = ptl_table_add_column (table, _("Samples"), NULL);

      latency_chart = ptl_result_add_chart (result, "latency", PTL_CHART_BAR, _("Lifecycle latencies"));
      for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
        categories[m] = _(measures[m]);
      categories[G_N_ELEMENTS (measures)] = NULL;
      ptl_chart_set_categories (latency_chart, categories);
      ptl_chart_set_y_axis (latency_chart, _("Latency"), "s", FALSE);
      median_series = ptl_chart_add_series (latency_chart, _("Median"));
      p95_series = ptl_chart_add_series (latency_chart, _("p95"));

      for (guint m = 0; m < G_N_ELEMENTS (measures) + G_N_ELEMENTS (states); m++)
        {
          GArray *samples = m < G_N_ELEMENTS (measures) ? latencies[m] : state_times[m - G_N_ELEMENTS (measures)];
          g_autofree char *label = NULL;
          PtlStats stats;
          guint row;

          ptl_stats_compute (&stats, (const double *) (gpointer) samples->data, samples->len);
          if (m < G_N_ELEMENTS (measures))
            {
              label = g_strdup (_(measures[m]));
              ptl_series_add_point (median_series, m, stats.median);
              ptl_series_add_point (p95_series, m, stats.p95);
              ptl_result_add_samples (result, label, "s", (const double *) (gpointer) samples->data, samples->len);
            }
          else
            label = g_strdup_printf (_("%s: time per thread"),
                                     ptl_thread_state_get_label (states[m - G_N_ELEMENTS (measures)]));
          row = ptl_table_add_row (table);
          ptl_table_set_text (table, row, columns[0], label);
          ptl_table_set_number (table, row, columns[1], stats.median);
          ptl_table_set_number (table, row, columns[2], stats.p95);
          ptl_table_set_number (table, row, columns[3], samples->len);
        }

      ptl_result_add_note (result,
                           _("%u threads a life, %u lives; %u ms of work, %u ms of sleep, then a wait on "
                             "the condition “go” and %u ms more work; %u %% detached. Latencies are "
                             "stamped on both sides by the threads that see them, on the recorder's "
                             "clock; the timeline is the first life, ▼ where each thread was created."),
                           self->threads, self->repeats, self->work_ms, self->sleep_ms, self->work_ms / 2,
                           self->detach_share);
      ok = ptl_sync_add_overhead_note (result, ptl_run_get_cancellable (run), error);
    }

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    g_array_unref (latencies[m]);
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    g_array_unref (state_times[s]);
  if (ok)
    ptl_run_progress (run, 1, _("Done"));
  return ok;
}

static guint
ptl_lifecycle_experiment_count_tasks (PtlExperiment *experiment)
{
  return PTL_LIFECYCLE_EXPERIMENT (experiment)->threads;
}

static void
ptl_lifecycle_experiment_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PtlLifecycleExperiment *self = PTL_LIFECYCLE_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_WORK_MS:
      g_value_set_uint (value, self->work_ms);
      break;
    case PROP_SLEEP_MS:
      g_value_set_uint (value, self->sleep_ms);
      break;
    case PROP_DETACH_SHARE:
      g_value_set_uint (value, self->detach_share);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    case PROP_CPU_LANES:
      g_value_set_boolean (value, self->cpu_lanes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_lifecycle_experiment_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PtlLifecycleExperiment *self = PTL_LIFECYCLE_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_THREADS:
      ptl_param_store_uint (object, &self->threads, value, pspec);
      break;
    case PROP_WORK_MS:
      ptl_param_store_uint (object, &self->work_ms, value, pspec);
      break;
    case PROP_SLEEP_MS:
      ptl_param_store_uint (object, &self->sleep_ms, value, pspec);
      break;
    case PROP_DETACH_SHARE:
      ptl_param_store_uint (object, &self->detach_share, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    case PROP_CPU_LANES:
      ptl_param_store_boolean (object, &self->cpu_lanes, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_lifecycle_experiment_class_init (PtlLifecycleExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "threads", N_("Thread-state timeline of the first life") },
    { "threads-cpus", N_("Which thread held a lock or ran on each CPU") },
    { "threads-shares", N_("Each thread's share of time per state") },
    { "latency", N_("Creation, wake-up and join latencies") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_lifecycle_experiment_get_property;
  object_class->set_property = ptl_lifecycle_experiment_set_property;

  experiment_class->id = "thread-lifecycle";
  experiment_class->title = N_("Thread lifecycle");
  experiment_class->category = N_("Threads");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Median", PTL_HEADLINE_FIRST);
  experiment_class->summary =
    N_("N threads are created, run, sleep, wait on a condition, are woken together and are joined "
       "or detached: every state drawn per thread, with the time each step of a thread's life takes.");
  experiment_class->explanation =
    N_("A thread's life, step by step. The main thread creates N threads (▼ on the timeline). Each "
       "one runs (computes for work-ms), sleeps for sleep-ms (the kernel takes it off the CPU until "
       "a timer fires), then takes a mutex and waits on a condition variable called “go”: blocked, "
       "using no CPU, until the main thread, once all of them wait, broadcasts (the vertical line). "
       "Woken, each takes the mutex back in turn, runs a little more and ends. The main thread then "
       "joins the joinable ones, collecting their ends; detached ones clean up after themselves and "
       "cannot be joined.\n\n"
       "What to look for. On the timeline the lanes start one after another: creating a thread "
       "costs tens of microseconds (the table's creation latency, from pthread_create () to the "
       "thread's first instruction). After the broadcast the threads do not wake at once: the "
       "condition lets them go, but each must take the mutex back, so they leave one by one — the "
       "wake-up latency grows down the lanes (the thundering herd, serialised). Join latency is "
       "how long after a thread's last instruction the joiner hears of it, which includes the "
       "thread's exit path in the kernel.\n\n"
       "States. Running here means “not waiting for anything the lab made it wait for”: a thread "
       "preempted by another program is still drawn running. Sleeping and blocked threads use no "
       "CPU; the shares chart shows how each thread's life divides. With more threads than CPUs the "
       "running parts stretch, as threads take turns on the CPUs.");

  experiment_class->count_tasks = ptl_lifecycle_experiment_count_tasks;
  experiment_class->run = ptl_lifecycle_experiment_run;

  properties[PROP_THREADS] =
    g_param_spec_uint ("threads", N_("Threads"), N_("How many threads live at once"),
                       1, MAX_THREADS, 8, flags);
  ptl_param_set_unit (properties[PROP_THREADS], N_("threads"));
  properties[PROP_WORK_MS] =
    g_param_spec_uint ("work-ms", N_("Work"), N_("How long each thread computes before it sleeps (half as long after it is woken)"),
                       0, 1000, 4, flags);
  ptl_param_set_unit (properties[PROP_WORK_MS], "ms");
  properties[PROP_SLEEP_MS] =
    g_param_spec_uint ("sleep-ms", N_("Sleep"), N_("How long each thread sleeps"),
                       0, 1000, 6, flags);
  ptl_param_set_unit (properties[PROP_SLEEP_MS], "ms");
  properties[PROP_DETACH_SHARE] =
    g_param_spec_uint ("detach-share", N_("Detached"), N_("Share of the threads detached instead of joined"),
                       0, 100, 25, flags);
  ptl_param_set_unit (properties[PROP_DETACH_SHARE], "%");
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Lives"), N_("How many times the threads live, for the latency statistics"),
                       1, 200, 20, flags);

  properties[PROP_CPU_LANES] =
    g_param_spec_boolean ("cpu-lanes", N_("Lanes per CPU"),
                          N_("Also draw which thread held a lock or ran on each CPU"),
                          FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_lifecycle_experiment_init (PtlLifecycleExperiment *self)
{
  self->threads = 8;
  self->work_ms = 4;
  self->sleep_ms = 6;
  self->detach_share = 25;
  self->repeats = 20;
  self->cpu_lanes = FALSE;
}
