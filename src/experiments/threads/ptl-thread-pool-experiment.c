/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-thread-pool-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-kernel.h"
#include "ptl-kernel-calibrate.h"
#include "ptl-thread-pool-experiment.h"
#include "ptl-thread-sync.h"
#include "ptl-workload.h"

/* "Thread pool sizing": a stream of tasks through a thread per task,
 * GThreadPool and the lab's own pool (a queue guarded by a mutex and a
 * condition, N workers), over pool sizes from 1 to 4 × cores.
 *
 * Method. A task computes C (the lab's arithmetic, calibrated at the
 * start to take that long on one core), then waits W (a sleep standing
 * for a blocking call). Tasks arrive on a fixed schedule, one every
 * 1 / rate, the rate being `load` % of what the best pool size could
 * ideally serve; every strategy keeps at most N tasks running, the rest
 * wait (in the pool's queue, or for a thread to end). A task's latency
 * runs from its scheduled arrival to the end of its wait, stamped by the
 * thread that ran it; throughput is the tasks over the time from the
 * first arrival to the last end. Workers are started before the first
 * arrival, so their start-up is not in the figures. The pool sizes and
 * the strategies take turns within each round; each round runs every
 * combination once. The lab's pool records its threads (the instrumented
 * mutex and condition of ptl-thread-sync.h): the timeline of one stream,
 * and the queue length each time it changes. */

struct _PtlThreadPoolExperiment
{
  PtlExperiment parent_instance;

  /* parameters */
  PtlWorkload   workload;
  guint         task_us;
  guint         tasks;
  guint         load;
  guint         max_workers;
  guint         repeats;
};

enum {
  PROP_0,
  PROP_WORKLOAD,
  PROP_TASK_US,
  PROP_TASKS,
  PROP_LOAD,
  PROP_MAX_WORKERS,
  PROP_REPEATS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlThreadPoolExperiment, ptl_thread_pool_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

typedef enum
{
  STRATEGY_THREAD_PER_TASK,
  STRATEGY_GTHREADPOOL,
  STRATEGY_LAB_POOL,
  N_STRATEGIES
} Strategy;

/* Identifiers, like the parameter names: not translated. */
static const char * const strategy_names[N_STRATEGIES] = {
  "thread-per-task", "gthreadpool", "lab-pool",
};

/* What readers see for each (series, table rows, progress). */
static const char * const strategy_labels[N_STRATEGIES] = {
  N_("Thread per task"), N_("GThreadPool"), N_("Lab's pool"),
};

#define POOL_SEED            G_GUINT64_CONSTANT (0x7001)
#define CALIBRATION_TRIALS   20
#define CALIBRATION_TRIAL_NS G_GINT64_CONSTANT (1000000)
#define POLL_INTERVAL_US     (100 * G_TIME_SPAN_MILLISECOND)
#define WARMUP_TASKS         20
/* Spans a recorded thread writes per task at most: a lock wait and hold
 * to take a task, a condition wait and the hold after it, the I/O wait;
 * the producer a sleep, a lock wait and a hold. */
#define SPANS_PER_TASK       8

typedef struct _Lab Lab;

typedef struct
{
  Lab     *lab;
  gint64   arrive_ns; /* scheduled */
  gint64   done_ns;   /* 0 until it ran */
  guint64  checksum;
  GThread *thread;    /* thread-per-task */
} Task;

struct _Lab
{
  /* borrowed */
  GCancellable *cancellable;

  /* owned */
  gulong        cancelled_id;
  int           stop;        /* set from the cancellable: tasks end early */
  GAsyncQueue  *done;        /* Task *: thread-per-task tasks that have ended */

  /* the stream, fixed for the run */
  guint64       iterations;  /* arithmetic per task */
  guint64       expected;    /* its checksum */
  gint64        wait_ns;
  gint64        interval_ns; /* between two arrivals */
  guint64       calibration_state;
};

/* One queue length, as the lab's pool saw it change. */
typedef struct
{
  gint64 time_ns;
  guint  length;
} QueueSample;

/* The lab's pool: a FIFO of tasks under one mutex, a condition the
 * workers sleep on while it is empty. */
typedef struct
{
  Lab                *lab;
  PtlThreadRecorder  *recorder;
  PtlMutex            mutex;
  PtlCond             cond;
  GQueue              queue;    /* Task *; under mutex */
  gboolean            closing;  /* under mutex */
  GArray             *lengths;  /* QueueSample; under mutex */
  guint               n_workers;
  guint               n_started;
  GThread           **threads;
  PtlThreadTrack    **tracks;   /* [0] the producer, [1 + i] worker i */
} LabPool;

typedef struct
{
  LabPool        *pool;
  PtlThreadTrack *track;
} Worker;

/* What one stream gave. */
typedef struct
{
  double  rate;
  GArray *latencies; /* double, seconds; appended to */
} Stream;

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  Lab *lab = user_data;

  g_atomic_int_set (&lab->stop, 1);
}

static void
lab_free (Lab *lab)
{
  g_cancellable_disconnect (lab->cancellable, lab->cancelled_id);
  g_async_queue_unref (lab->done);
  g_free (lab);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lab, lab_free)

static Lab *
lab_new (GCancellable *cancellable)
{
  Lab *lab = g_new0 (Lab, 1);

  lab->cancellable = cancellable;
  lab->done = g_async_queue_new ();
  lab->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb), lab, NULL);
  return lab;
}

/* The task itself, on whichever thread runs it. A recorded thread
 * (@track non-NULL) marks the wait as I/O, which is what it stands for. */
static void
run_task (Lab            *lab,
          Task           *task,
          PtlThreadTrack *track)
{
  guint64 state = POOL_SEED;
  guint64 done = 0;

  while (done < lab->iterations && !g_atomic_int_get (&lab->stop))
    {
      guint64 n = MIN (PTL_KERNEL_BLOCK, lab->iterations - done);

      state = ptl_kernel_run (state, n);
      done += n;
    }
  task->checksum = state;

  if (lab->wait_ns > 0)
    {
      int cpu = track != NULL ? ptl_thread_current_cpu () : -1;
      gint64 start = track != NULL ? ptl_thread_ticks () : 0;

      ptl_clock_sleep_ns (lab->wait_ns, lab->cancellable);
      if (track != NULL)
        ptl_thread_track_push (track, PTL_THREAD_WAITING_IO, PTL_THREAD_NO_OBJECT, start,
                               ptl_thread_ticks (), cpu);
    }
  task->done_ns = ptl_clock_now_ns ();
}

/* Sleeps until @when_ns (on the producer's lane when recorded); FALSE
 * when the run was cancelled. */
static gboolean
wait_for_arrival (Lab            *lab,
                  gint64          when_ns,
                  PtlThreadTrack *track)
{
  gint64 left = when_ns - ptl_clock_now_ns ();

  if (left <= 0)
    return !g_cancellable_is_cancelled (lab->cancellable);
  if (track != NULL)
    return ptl_thread_track_sleep (track, left, lab->cancellable);
  return ptl_clock_sleep_ns (left, lab->cancellable);
}

static void
set_thread_error (GError   **error,
                  const char *what,
                  guint       running,
                  GError     *cause)
{
  g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
               _("Could not start %s with %u threads already running (a thread limit or memory): %s"),
               what, running, cause->message);
}

/* thread-per-task: a new thread for every task, at most @n_workers at
 * once; an arrival that finds them all busy waits for one to end. */

static gpointer
task_thread (gpointer data)
{
  Task *task = data;

  run_task (task->lab, task, NULL);
  g_async_queue_push (task->lab->done, task);
  return NULL;
}

/* Waits up to POLL_INTERVAL_US for a task thread to end and joins it:
 * 1 joined, 0 none ended yet, -1 cancelled. */
static int
join_one (Lab *lab)
{
  Task *task = g_async_queue_timeout_pop (lab->done, POLL_INTERVAL_US);

  if (task == NULL)
    return g_cancellable_is_cancelled (lab->cancellable) ? -1 : 0;
  g_thread_join (g_steal_pointer (&task->thread));
  return 1;
}

static gboolean
stream_thread_per_task (Lab      *lab,
                        Task     *tasks,
                        guint     n_tasks,
                        guint     n_workers,
                        GError  **error)
{
  guint running = 0;
  gboolean ok = TRUE;
  gint64 t0 = ptl_clock_now_ns ();

  for (guint i = 0; ok && i < n_tasks; i++)
    {
      g_autoptr(GError) local_error = NULL;

      tasks[i].arrive_ns = t0 + i * lab->interval_ns;
      ok = wait_for_arrival (lab, tasks[i].arrive_ns, NULL);
      while (ok && running == n_workers)
        {
          int joined = join_one (lab);

          ok = joined >= 0;
          running -= joined > 0;
        }
      if (!ok)
        break;
      tasks[i].thread = g_thread_try_new ("ptl-task", task_thread, &tasks[i], &local_error);
      if (tasks[i].thread == NULL)
        {
          set_thread_error (error, "a task's thread", running, local_error);
          return FALSE;
        }
      running++;
    }
  return ok;
}

/* GThreadPool: exclusive threads, started with the pool. */

static void
gthreadpool_task_cb (gpointer data,
                     gpointer user_data)
{
  run_task (user_data, data, NULL);
}

static gboolean
stream_gthreadpool (Lab      *lab,
                    Task     *tasks,
                    guint     n_tasks,
                    guint     n_workers,
                    GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  GThreadPool *pool = g_thread_pool_new (gthreadpool_task_cb, lab, (int) n_workers, TRUE, &local_error);
  gboolean ok = TRUE;
  gint64 t0;

  if (pool == NULL)
    {
      set_thread_error (error, "a GThreadPool", 0, local_error);
      return FALSE;
    }

  t0 = ptl_clock_now_ns ();
  for (guint i = 0; ok && i < n_tasks; i++)
    {
      tasks[i].arrive_ns = t0 + i * lab->interval_ns;
      ok = wait_for_arrival (lab, tasks[i].arrive_ns, NULL);
      if (ok)
        ok = g_thread_pool_push (pool, &tasks[i], NULL);
    }
  /* Waits for every task pushed; they end at once when cancelled. */
  g_thread_pool_free (pool, FALSE, TRUE);
  return ok;
}

/* The lab's pool. */

/* Under the pool's mutex. */
static void
note_length (LabPool *pool)
{
  QueueSample sample = { ptl_clock_now_ns (), pool->queue.length };

  g_array_append_val (pool->lengths, sample);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  LabPool *pool = worker->pool;
  PtlThreadTrack *track = worker->track;

  ptl_thread_track_begin (track);
  for (;;)
    {
      PtlHold hold;
      Task *task;

      ptl_mutex_lock (&pool->mutex, track, &hold);
      while (g_queue_is_empty (&pool->queue) && !pool->closing)
        ptl_cond_wait (&pool->cond, &pool->mutex, track, &hold);
      task = g_queue_pop_head (&pool->queue);
      if (task != NULL)
        note_length (pool);
      ptl_mutex_unlock (&pool->mutex, track, &hold);

      if (task == NULL)
        break;
      run_task (pool->lab, task, track);
    }
  ptl_thread_track_finish (track);
  return NULL;
}

/* Lets the workers end once the queue is empty, joins them and ends the
 * recording. Once only. */
static void
lab_pool_close (LabPool *pool)
{
  PtlHold hold;

  if (pool->closing)
    return;
  ptl_mutex_lock (&pool->mutex, pool->tracks[0], &hold);
  pool->closing = TRUE;
  ptl_cond_broadcast (&pool->cond);
  ptl_mutex_unlock (&pool->mutex, pool->tracks[0], &hold);
  /* The producer's part ends here; joining is not its work. */
  ptl_thread_track_finish (pool->tracks[0]);
  for (guint i = 0; i < pool->n_started; i++)
    g_thread_join (pool->threads[i]);
}

static void
lab_pool_free (LabPool *pool)
{
  lab_pool_close (pool);
  ptl_mutex_clear (&pool->mutex);
  ptl_cond_clear (&pool->cond);
  g_queue_clear (&pool->queue);
  g_array_unref (pool->lengths);
  g_clear_object (&pool->recorder);
  g_free (pool->threads);
  g_free (pool->tracks);
  g_free (pool);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabPool, lab_pool_free)

/* Records on the calling thread's lane 0 ("Producer") from now until
 * the pool is freed. */
static LabPool *
lab_pool_new (Lab      *lab,
              guint     n_workers,
              guint     n_tasks,
              Worker   *workers,
              GError  **error)
{
  g_autoptr(LabPool) pool = g_new0 (LabPool, 1);

  pool->lab = lab;
  pool->recorder = ptl_thread_recorder_new (n_tasks * SPANS_PER_TASK + 16);
  ptl_mutex_init (&pool->mutex, pool->recorder, "queue lock");
  ptl_cond_init (&pool->cond, pool->recorder, "queue not empty");
  g_queue_init (&pool->queue);
  pool->lengths = g_array_new (FALSE, FALSE, sizeof (QueueSample));
  pool->n_workers = n_workers;
  pool->threads = g_new0 (GThread *, n_workers);
  pool->tracks = g_new0 (PtlThreadTrack *, n_workers + 1);
  pool->tracks[0] = ptl_thread_recorder_add_thread (pool->recorder, _("Producer"));
  ptl_thread_track_begin (pool->tracks[0]);
  for (guint i = 0; i < n_workers; i++)
    {
      g_autofree char *name = g_strdup_printf (_("Worker %u"), i + 1);

      pool->tracks[1 + i] = ptl_thread_recorder_add_thread (pool->recorder, name);
    }

  for (guint i = 0; i < n_workers; i++)
    {
      g_autoptr(GError) local_error = NULL;

      workers[i] = (Worker) { pool, pool->tracks[1 + i] };
      pool->threads[i] = g_thread_try_new ("ptl-worker", worker_thread, &workers[i], &local_error);
      if (pool->threads[i] == NULL)
        {
          set_thread_error (error, "a worker of the lab's pool", i, local_error);
          return NULL;
        }
      pool->n_started++;
    }
  return g_steal_pointer (&pool);
}

static gboolean
stream_lab_pool (Lab      *lab,
                 LabPool  *pool,
                 Task     *tasks,
                 guint     n_tasks)
{
  PtlThreadTrack *producer = pool->tracks[0];
  gint64 t0 = ptl_clock_now_ns ();

  for (guint i = 0; i < n_tasks; i++)
    {
      PtlHold hold;

      tasks[i].arrive_ns = t0 + i * lab->interval_ns;
      if (!wait_for_arrival (lab, tasks[i].arrive_ns, producer))
        return FALSE;
      ptl_mutex_lock (&pool->mutex, producer, &hold);
      g_queue_push_tail (&pool->queue, &tasks[i]);
      note_length (pool);
      ptl_cond_signal (&pool->cond);
      ptl_mutex_unlock (&pool->mutex, producer, &hold);
    }
  return TRUE;
}

/* Measuring */

static gboolean
check_tasks (Lab         *lab,
             const Task  *tasks,
             guint        n_tasks,
             GError     **error)
{
  if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
    return FALSE;
  for (guint i = 0; i < n_tasks; i++)
    if (tasks[i].done_ns == 0 || tasks[i].checksum != lab->expected)
      {
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("Task %u of the stream did not run to its end or computed a wrong result"), i);
        return FALSE;
      }
  return TRUE;
}

/* One stream of @n_tasks through @strategy with @n_workers. For the
 * lab's pool, @pool_out (may be NULL) receives the pool, finished, with
 * its recording and queue lengths. */
static gboolean
run_stream (Lab       *lab,
            Strategy   strategy,
            guint      n_workers,
            guint      n_tasks,
            Stream    *stream,
            LabPool  **pool_out,
            GError   **error)
{
  g_autofree Task *tasks = g_new0 (Task, n_tasks);
  gint64 first = G_MAXINT64, last = 0;
  gboolean ok;

  for (guint i = 0; i < n_tasks; i++)
    tasks[i].lab = lab;

  switch (strategy)
    {
    case STRATEGY_THREAD_PER_TASK:
      {
        guint running = 0;

        ok = stream_thread_per_task (lab, tasks, n_tasks, n_workers, error);
        /* Every thread started is joined, whatever happened; they end in
         * any order. */
        for (guint i = 0; i < n_tasks; i++)
          running += tasks[i].thread != NULL;
        for (; running > 0; running--)
          {
            Task *ended = g_async_queue_pop (lab->done);

            g_thread_join (g_steal_pointer (&ended->thread));
          }
      }
      break;
    case STRATEGY_GTHREADPOOL:
      ok = stream_gthreadpool (lab, tasks, n_tasks, n_workers, error);
      break;
    case STRATEGY_LAB_POOL:
      {
        g_autofree Worker *workers = g_new0 (Worker, n_workers);
        g_autoptr(LabPool) pool = lab_pool_new (lab, n_workers, n_tasks, workers, error);

        if (pool == NULL)
          return FALSE;
        ok = stream_lab_pool (lab, pool, tasks, n_tasks);
        lab_pool_close (pool);
        if (pool_out != NULL)
          *pool_out = g_steal_pointer (&pool);
      }
      break;
    case N_STRATEGIES:
    default:
      g_assert_not_reached ();
    }

  if (!ok && (error == NULL || *error == NULL))
    g_cancellable_set_error_if_cancelled (lab->cancellable, error);
  if (!ok || !check_tasks (lab, tasks, n_tasks, error))
    return FALSE;

  for (guint i = 0; i < n_tasks; i++)
    {
      double latency = (tasks[i].done_ns - tasks[i].arrive_ns) / 1e9;

      first = MIN (first, tasks[i].arrive_ns);
      last = MAX (last, tasks[i].done_ns);
      if (stream->latencies != NULL)
        g_array_append_val (stream->latencies, latency);
    }
  stream->rate = n_tasks / ((last - first) / 1e9);
  return TRUE;
}

/* The stream, and what an ideal pool of each size would serve. */
typedef struct
{
  double compute_s;
  double wait_s;
  double task_s;  /* compute + wait: the task alone */
  double cores;
  double rate;    /* arrivals per second */
  double sizing;  /* cores × (1 + wait / compute); INFINITY without compute */
} Plan;

/* Tasks per second an ideal pool of @n threads serves: no faster than
 * they arrive, than n tasks at a time, than the cores compute. */
static double
ideal_rate (const Plan *plan,
            double      n)
{
  double rate = MIN (plan->rate, n / plan->task_s);

  if (plan->compute_s > 0)
    rate = MIN (rate, plan->cores / plan->compute_s);
  return rate;
}

static void
plan_stream (PtlThreadPoolExperiment *self,
             guint                    n_cpus,
             guint                    max_workers,
             Plan                    *plan)
{
  double task_s = self->task_us / 1e6;

  plan->compute_s = self->workload == PTL_WORKLOAD_CPU ? task_s :
                    self->workload == PTL_WORKLOAD_MIXED ? task_s / 2 : 0;
  plan->wait_s = task_s - plan->compute_s;
  plan->task_s = task_s;
  plan->cores = n_cpus;
  plan->sizing = plan->compute_s > 0 ? n_cpus * (1 + plan->wait_s / plan->compute_s) : INFINITY;
  /* `load` % of what the best of the sizes measured could serve. */
  plan->rate = INFINITY; /* so that ideal_rate () below is the pool's capacity alone */
  plan->rate = self->load / 100.0 * ideal_rate (plan, max_workers);
}

static int
compare_uints (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* Pool sizes: every size up to 8, then about 1.5 × apart, always with
 * the largest and @must (the sizing line's). */
static GArray *
list_sizes (guint max_workers,
            guint must)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  guint kept = 0;

  for (guint size = 1; size < max_workers; size = size < 8 ? size + 1 : (size * 3 + 1) / 2)
    g_array_append_val (sizes, size);
  g_array_append_val (sizes, must);
  g_array_append_val (sizes, max_workers);
  g_array_sort (sizes, compare_uints);
  for (guint i = 0; i < sizes->len; i++)
    if (kept == 0 || g_array_index (sizes, guint, i) != g_array_index (sizes, guint, kept - 1))
      g_array_index (sizes, guint, kept++) = g_array_index (sizes, guint, i);
  g_array_set_size (sizes, kept);
  return sizes;
}

static guint
resolve_max_workers (PtlThreadPoolExperiment *self)
{
  return self->max_workers != 0 ? self->max_workers : 4 * ptl_machine_get_n_cpus ();
}

/* Output */

typedef struct
{
  PtlSeries *throughput[N_STRATEGIES];
  PtlSeries *ideal;
  PtlSeries *latency[N_STRATEGIES];
  PtlChart  *queue;
  PtlTable  *summary;
} Output;

enum {
  COLUMN_STRATEGY,
  COLUMN_WORKERS,
  COLUMN_RATE,
  COLUMN_IDEAL,
  COLUMN_P50,
  COLUMN_P99,
  COLUMN_BEST_WORKERS,
  COLUMN_BEST_RATE,
};

static void
create_output (PtlResult  *result,
               const Plan *plan,
               guint       max_workers,
               Output     *out)
{
  PtlChart *chart;

  chart = ptl_result_add_chart (result, "throughput", PTL_CHART_LINE,
                                _("Tasks per second by pool size (median of the rounds, min–max)"));
  ptl_chart_set_x_axis (chart, _("Pool size"), "threads", FALSE);
  ptl_chart_set_y_axis (chart, _("Tasks per second"), "ops/s", FALSE);
  if (plan->sizing <= max_workers)
    ptl_chart_add_reference (chart, PTL_REFERENCE_VERTICAL, plan->sizing, _("Cores × (1 + wait/compute)"));
  ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, plan->rate, _("Arrival rate"));
  for (guint s = 0; s < N_STRATEGIES; s++)
    {
      out->throughput[s] = ptl_chart_add_series_with_id (chart, strategy_names[s], _(strategy_labels[s]));
      ptl_series_set_band_label (out->throughput[s], _("min–max"));
    }
  out->ideal = ptl_chart_add_series_with_id (chart, "ideal", _("Ideal"));

  chart = ptl_result_add_chart (result, "latency", PTL_CHART_LINE,
                                _("Task latency by pool size, arrival to end (p50, band to p99)"));
  ptl_chart_set_x_axis (chart, _("Pool size"), "threads", FALSE);
  ptl_chart_set_y_axis (chart, _("Latency per task"), "s", TRUE);
  ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, plan->task_s, _("The task alone"));
  for (guint s = 0; s < N_STRATEGIES; s++)
    {
      out->latency[s] = ptl_chart_add_series_with_id (chart, strategy_names[s], _(strategy_labels[s]));
      ptl_series_set_band_label (out->latency[s], _("p50–p99"));
    }

  out->queue = ptl_result_add_chart (result, "queue", PTL_CHART_LINE,
                                     _("Tasks waiting in the lab's pool over one stream"));
  ptl_chart_set_x_axis (out->queue, _("Time since the first arrival"), "s", FALSE);
  ptl_chart_set_y_axis (out->queue, _("Tasks in the queue"), "tasks", FALSE);

  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "strategy", _("Strategy"), NULL);
  ptl_table_add_column_with_id (out->summary, "workers", _("Workers"), "threads");
  ptl_table_add_column_with_id (out->summary, "rate", _("Rate"), "ops/s");
  ptl_table_add_column_with_id (out->summary, "ideal", _("Ideal"), "ops/s");
  ptl_table_add_column (out->summary, "p50", "s");
  ptl_table_add_column (out->summary, "p99", "s");
  ptl_table_add_column_with_id (out->summary, "best-workers", _("Best size"), "threads");
  ptl_table_add_column_with_id (out->summary, "best-rate", _("Best rate"), "ops/s");
}

static void
add_queue_series (Output       *out,
                  const GArray *lengths,
                  guint         n_workers,
                  gint64        first_arrival_ns)
{
  g_autofree char *name = g_strdup_printf (ngettext ("%u worker", "%u workers", n_workers), n_workers);
  PtlSeries *series = ptl_chart_add_series (out->queue, name);

  for (guint i = 0; i < lengths->len; i++)
    {
      const QueueSample *sample = &g_array_index (lengths, QueueSample, i);

      ptl_series_add_point (series, (sample->time_ns - first_arrival_ns) / 1e9, sample->length);
    }
}

/* Medians over the rounds, latency percentiles over every task of every
 * round; a table row per strategy at @row_size. */
static void
publish (PtlResult    *result,
         Output       *out,
         const Plan   *plan,
         const GArray *sizes,
         guint         repeats,
         const double *rates,
         GArray      **latencies,
         guint         row_size,
         double       *row_rates)
{
  guint n_sizes = sizes->len;

  for (guint i = 0; i < n_sizes; i++)
    ptl_series_add_point (out->ideal, g_array_index (sizes, guint, i),
                          ideal_rate (plan, g_array_index (sizes, guint, i)));

  for (guint s = 0; s < N_STRATEGIES; s++)
    {
      double best_rate = 0, row_p50 = NAN, row_p99 = NAN;
      guint best_size = 0;
      guint row;

      for (guint i = 0; i < n_sizes; i++)
        {
          g_autofree double *round_rates = g_new (double, repeats);
          g_autofree char *name = NULL;
          guint size = g_array_index (sizes, guint, i);
          GArray *samples = latencies[i * N_STRATEGIES + s];
          PtlStats rate_stats, latency_stats;

          for (guint r = 0; r < repeats; r++)
            round_rates[r] = rates[(r * n_sizes + i) * N_STRATEGIES + s];
          ptl_stats_compute (&rate_stats, round_rates, repeats);
          ptl_stats_compute (&latency_stats, (const double *) (gpointer) samples->data, samples->len);
          ptl_series_add_point_band (out->throughput[s], size, rate_stats.median, rate_stats.min, rate_stats.max);
          ptl_series_add_point_band (out->latency[s], size, latency_stats.median, latency_stats.median,
                                     latency_stats.p99);
          name = g_strdup_printf ("latency/%s/%u", strategy_names[s], size);
          ptl_result_add_samples (result, name, "s", (const double *) (gpointer) samples->data, samples->len);

          if (rate_stats.median > best_rate)
            {
              best_rate = rate_stats.median;
              best_size = size;
            }
          if (size == row_size)
            {
              row_rates[s] = rate_stats.median;
              row_p50 = latency_stats.median;
              row_p99 = latency_stats.p99;
            }
        }

      row = ptl_table_add_row_with_id (out->summary, strategy_names[s]);
      ptl_table_set_text (out->summary, row, COLUMN_STRATEGY, _(strategy_labels[s]));
      ptl_table_set_number (out->summary, row, COLUMN_WORKERS, row_size);
      ptl_table_set_number (out->summary, row, COLUMN_RATE, row_rates[s]);
      ptl_table_set_number (out->summary, row, COLUMN_IDEAL, ideal_rate (plan, row_size));
      ptl_table_set_number (out->summary, row, COLUMN_P50, row_p50);
      ptl_table_set_number (out->summary, row, COLUMN_P99, row_p99);
      ptl_table_set_number (out->summary, row, COLUMN_BEST_WORKERS, best_size);
      ptl_table_set_number (out->summary, row, COLUMN_BEST_RATE, best_rate);
    }
}

static void
add_notes (PtlResult  *result,
           const Plan *plan,
           const Lab  *lab,
           guint       row_size,
           const double *row_rates)
{
  g_autofree char *compute_text = ptl_format_value (plan->compute_s, "s");
  g_autofree char *wait_text = ptl_format_value (plan->wait_s, "s");
  g_autofree char *rate_text = ptl_format_value (plan->rate, "ops/s");
  g_autofree char *ideal_text = ptl_format_value (ideal_rate (plan, row_size), "ops/s");

  if (plan->compute_s > 0)
    ptl_result_add_note (result,
                         _("Each task computes %s (%.3g million steps of the lab's arithmetic, calibrated "
                           "on one core at the start of the run) and then waits %s; tasks arrive every "
                           "%.3g ms (%s)."),
                         compute_text, lab->iterations / 1e6, wait_text, lab->interval_ns / 1e6, rate_text);
  else
    ptl_result_add_note (result, _("Each task waits %s; tasks arrive every %.3g ms (%s)."),
                         wait_text, lab->interval_ns / 1e6, rate_text);
  if (isfinite (plan->sizing))
    ptl_result_add_note (result,
                         _("The sizing line: %.0f cores × (1 + %s / %s) = %.1f threads. With %u threads "
                           "an ideal pool serves %s; measured here: the lab's pool %.0f, GThreadPool "
                           "%.0f, a thread per task %.0f tasks/s."),
                         plan->cores, wait_text, compute_text, plan->sizing, row_size, ideal_text,
                         row_rates[STRATEGY_LAB_POOL], row_rates[STRATEGY_GTHREADPOOL],
                         row_rates[STRATEGY_THREAD_PER_TASK]);
  else
    ptl_result_add_note (result,
                         _("Without computing, the sizing line cores × (1 + wait/compute) has no end: "
                           "every extra thread overlaps one more wait. With %u threads an ideal pool "
                           "serves %s; measured here: the lab's pool %.0f, GThreadPool %.0f, a thread "
                           "per task %.0f tasks/s."),
                         row_size, ideal_text, row_rates[STRATEGY_LAB_POOL], row_rates[STRATEGY_GTHREADPOOL],
                         row_rates[STRATEGY_THREAD_PER_TASK]);
}

/* vfuncs */

static gboolean
ptl_thread_pool_experiment_run (PtlExperiment  *experiment,
                                PtlRun         *run,
                                GError        **error)
{
  PtlThreadPoolExperiment *self = PTL_THREAD_POOL_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  guint max_workers = resolve_max_workers (self);
  guint repeats = self->repeats;
  g_autoptr(Lab) lab = lab_new (cancellable);
  g_autoptr(GArray) sizes = NULL;
  g_autoptr(PtlThreadRecorder) timeline = NULL;
  g_autofree double *rates = NULL;
  g_autofree GArray **latencies = NULL;
  double row_rates[N_STRATEGIES] = { NAN, NAN, NAN };
  guint row_size, n_steps, step = 0;
  gboolean ok = TRUE;
  Output out = { { NULL } };
  double per_ms;
  Plan plan;

  plan_stream (self, ptl_machine_get_n_cpus (), max_workers, &plan);
  row_size = isfinite (plan.sizing) ? CLAMP ((guint) lround (plan.sizing), 1, max_workers) : max_workers;

  ptl_run_progress (run, 0, _("Calibrating the arithmetic"));
  lab->calibration_state = POOL_SEED;
  if (!ptl_kernel_calibrate (&lab->calibration_state, CALIBRATION_TRIALS, CALIBRATION_TRIAL_NS,
                             cancellable, &per_ms, error) ||
      !ptl_sync_add_overhead_note (result, cancellable, error))
    return FALSE;
  lab->iterations = (guint64) llround (per_ms * plan.compute_s * 1000);
  lab->expected = ptl_kernel_run (POOL_SEED, lab->iterations);
  lab->wait_ns = (gint64) llround (plan.wait_s * 1e9);
  lab->interval_ns = (gint64) llround (1e9 / plan.rate);

  sizes = list_sizes (max_workers, row_size);
  n_steps = repeats * sizes->len * N_STRATEGIES;
  rates = g_new0 (double, n_steps);
  latencies = g_new0 (GArray *, sizes->len * N_STRATEGIES);
  for (guint i = 0; i < sizes->len * N_STRATEGIES; i++)
    latencies[i] = g_array_new (FALSE, FALSE, sizeof (double));
  create_output (result, &plan, max_workers, &out);

  /* Untimed: a short stream through each, at the sizing line's size. */
  for (guint s = 0; ok && s < N_STRATEGIES; s++)
    {
      Stream stream = { 0, NULL };

      ptl_run_progress (run, 0, _("Warming up: %s"), _(strategy_labels[s]));
      ok = run_stream (lab, s, row_size, MIN (self->tasks, WARMUP_TASKS), &stream, NULL, error);
    }

  for (guint r = 0; ok && r < repeats; r++)
    for (guint i = 0; ok && i < sizes->len; i++)
      for (guint s = 0; ok && s < N_STRATEGIES; s++)
        {
          guint size = g_array_index (sizes, guint, i);
          gboolean want_queue = r == 0 && (size == 1 || size == row_size || size == max_workers);
          gboolean want_timeline = r + 1 == repeats && size == row_size;
          Stream stream = { 0, latencies[i * N_STRATEGIES + s] };
          LabPool *pool = NULL;

          ptl_run_progress (run, (double) step++ / n_steps,
                            ngettext ("%s: %u thread, round %u of %u", "%s: %u threads, round %u of %u", size),
                            _(strategy_labels[s]), size, r + 1, repeats);
          ok = run_stream (lab, s, size, self->tasks, &stream,
                           s == STRATEGY_LAB_POOL && (want_queue || want_timeline) ? &pool : NULL, error);
          if (ok)
            rates[(r * sizes->len + i) * N_STRATEGIES + s] = stream.rate;
          if (ok && pool != NULL && want_queue)
            add_queue_series (&out, pool->lengths, size, g_array_index (pool->lengths, QueueSample, 0).time_ns);
          if (ok && pool != NULL && want_timeline)
            timeline = g_object_ref (pool->recorder);
          g_clear_pointer (&pool, lab_pool_free);
        }

  if (ok)
    {
      g_autofree char *title = g_strdup_printf (ngettext ("The lab's pool with %u worker, one stream",
                                                          "The lab's pool with %u workers, one stream",
                                                          row_size), row_size);

      publish (result, &out, &plan, sizes, repeats, rates, latencies, row_size, row_rates);
      add_notes (result, &plan, lab, row_size, row_rates);
      ptl_thread_recorder_add_charts (timeline, result, "timeline", title, TRUE);
    }

  for (guint i = 0; i < sizes->len * N_STRATEGIES; i++)
    g_array_unref (latencies[i]);
  return ok;
}

static guint
ptl_thread_pool_experiment_count_tasks (PtlExperiment *experiment)
{
  return resolve_max_workers (PTL_THREAD_POOL_EXPERIMENT (experiment));
}

static void
ptl_thread_pool_experiment_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  PtlThreadPoolExperiment *self = PTL_THREAD_POOL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      g_value_set_enum (value, self->workload);
      break;
    case PROP_TASK_US:
      g_value_set_uint (value, self->task_us);
      break;
    case PROP_TASKS:
      g_value_set_uint (value, self->tasks);
      break;
    case PROP_LOAD:
      g_value_set_uint (value, self->load);
      break;
    case PROP_MAX_WORKERS:
      g_value_set_uint (value, self->max_workers);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_thread_pool_experiment_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  PtlThreadPoolExperiment *self = PTL_THREAD_POOL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      ptl_param_store_enum (object, (int *) &self->workload, value, pspec);
      break;
    case PROP_TASK_US:
      ptl_param_store_uint (object, &self->task_us, value, pspec);
      break;
    case PROP_TASKS:
      ptl_param_store_uint (object, &self->tasks, value, pspec);
      break;
    case PROP_LOAD:
      ptl_param_store_uint (object, &self->load, value, pspec);
      break;
    case PROP_MAX_WORKERS:
      ptl_param_store_uint (object, &self->max_workers, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_thread_pool_experiment_class_init (PtlThreadPoolExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "throughput", N_("Tasks per second by pool size, beside the ideal pool and the sizing line") },
    { "latency", N_("Task latency by pool size, arrival to end (p50 to p99)") },
    { "queue", N_("Tasks waiting in the lab's pool over one stream") },
    { "timeline", N_("Thread-state timeline of the lab's pool at the sizing line's size") },
    { "timeline-cpus", N_("Which of its threads ran on each CPU") },
    { "timeline-shares", N_("Each of its threads' share of time per state") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_thread_pool_experiment_get_property;
  object_class->set_property = ptl_thread_pool_experiment_set_property;

  experiment_class->id = "thread-pool";
  experiment_class->title = N_("Thread pool sizing");
  experiment_class->category = N_("Threads");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "rate", PTL_HEADLINE_MAX);
  experiment_class->summary =
    N_("A stream of tasks (computing, waiting, or both) through a thread per task, GThreadPool and the "
       "lab's own pool, over pool sizes from one thread to four per core: tasks per second beside the "
       "classic sizing line, task latency (p50, p99), the pool's queue over time and its workers' "
       "timeline.");
  experiment_class->explanation =
    /* xgettext:no-c-format (a literal “%”, never printf’d) */
    N_("How many threads should a pool have? The rule of thumb says cores × (1 + wait/compute): a "
       "thread that spends half its time waiting leaves its core free half the time, so two of them "
       "keep one core busy. Fewer threads leave cores idle while tasks queue; more add nothing but "
       "switching and memory. This experiment feeds the same stream of tasks to three strategies at "
       "every pool size and lets you check the rule on your machine.\n\n"
       "The stream. Tasks arrive on a fixed schedule, `load` % as fast as the best pool size could "
       "ideally serve them. A task computes (the lab's arithmetic), waits (a sleep standing for a "
       "network or disk call), or computes and then waits for as long again (mixed). Each strategy runs "
       "at most N tasks at once: thread-per-task starts a new thread for each task, GThreadPool hands "
       "them to N threads GLib keeps, and lab-pool is a queue guarded by a mutex, with N workers asleep "
       "on a condition variable until a task comes.\n\n"
       "What to look for. On the throughput chart the dashed line marks the sizing rule and the ideal "
       "curve what a perfect pool would serve: it climbs by one task-time per thread and flattens where "
       "the cores are all busy or where the arrivals run out. CPU-bound tasks stop gaining at the number "
       "of cores; mixed ones climb to twice that; tasks that only wait keep gaining with every thread. "
       "Below the line tasks pile up: the latency chart shows the wait in the queue (p99 far above p50), "
       "and the queue chart shows it growing through the stream with one worker while it stays near zero "
       "at the sizing size. Past the line CPU-bound tasks share the cores, so each takes longer even "
       "though as many finish per second. The three strategies come close while tasks last milliseconds: "
       "starting a thread costs tens of microseconds; make tasks shorter (task-us) to see it.\n\n"
       "The timeline shows one stream through the lab's pool at the sizing size: each worker blocked on "
       "“queue not empty” while idle, briefly holding the queue lock to take a task, running, then "
       "waiting for I/O; the producer sleeps between arrivals. Its CPU lanes show which worker ran where.\n\n"
       "How it is measured: the arithmetic is calibrated at the start; each strategy runs one untimed "
       "short stream; then every size and strategy run once per round, interleaved, for `repeats` "
       "rounds. A task's latency runs from its scheduled arrival to its end, stamped by the thread that "
       "ran it; throughput is tasks over the time from the first arrival to the last end; threads are "
       "started before the first arrival.");

  experiment_class->run = ptl_thread_pool_experiment_run;
  experiment_class->count_tasks = ptl_thread_pool_experiment_count_tasks;

  properties[PROP_WORKLOAD] =
    g_param_spec_enum ("workload", N_("Workload"),
                       N_("What each task does: cpu computes, io waits, mixed computes and then waits as long"),
                       PTL_TYPE_WORKLOAD, PTL_WORKLOAD_MIXED, flags);
  ptl_param_set_choice_labels (properties[PROP_WORKLOAD], ptl_workload_labels);
  properties[PROP_TASK_US] =
    g_param_spec_uint ("task-us", N_("Task size"),
                       N_("How long one task takes alone: its arithmetic (calibrated on one core) plus its wait"),
                       100, 100000, 2000, flags);
  ptl_param_set_unit (properties[PROP_TASK_US], "µs");
  properties[PROP_TASKS] =
    g_param_spec_uint ("tasks", N_("Tasks per stream"),
                       N_("Tasks in each stream, for every strategy and pool size"),
                       10, 10000, 150, flags);
  ptl_param_set_unit (properties[PROP_TASKS], N_("tasks"));
  properties[PROP_LOAD] =
    g_param_spec_uint ("load", N_("Offered load"),
                       N_("How fast tasks arrive, as a share of what the best pool size could ideally serve; "
                          "above 100 the queue grows at every size and throughput shows capacity"),
                       10, 400, 90, flags);
  ptl_param_set_unit (properties[PROP_LOAD], "%");
  properties[PROP_MAX_WORKERS] =
    g_param_spec_uint ("max-workers", N_("Largest pool"),
                       N_("Pool sizes run from 1 to this many threads; 0 means four per core"),
                       0, 256, 0, flags);
  ptl_param_set_unit (properties[PROP_MAX_WORKERS], N_("threads"));
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Rounds"),
                       N_("How many times every size and strategy runs, interleaved; the chart shows the median"),
                       1, 20, 3, flags);
  ptl_param_set_unit (properties[PROP_REPEATS], N_("rounds"));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_thread_pool_experiment_init (PtlThreadPoolExperiment *self)
{
  self->workload = PTL_WORKLOAD_MIXED;
  self->task_us = 2000;
  self->tasks = 150;
  self->load = 90;
  self->max_workers = 0;
  self->repeats = 3;
}
