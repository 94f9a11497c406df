/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-models-experiment"

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ptl-child-pool.h"
#include "ptl-gil.h"
#include "ptl-kernel.h"
#include "ptl-kernel-calibrate.h"
#include "ptl-models-experiment.h"

/* "Concurrency models": the same tasks run six ways, timed as a whole.
 *
 * Timing method. Each mode is timed with CLOCK_MONOTONIC around all of it
 * (thread, pool or child creation included, as a Python program pays it).
 * Repeats are interleaved (round 1 runs every mode, then round 2 …) so a
 * slow spell of the shared machine hits all modes alike; the charts show
 * the median with min–max bars. CPU time is what the coordinating thread
 * and every worker thread read from their own CLOCK_THREAD_CPUTIME_ID,
 * plus what each child reports. Memory is the growth of this process's
 * peak RSS (the high-water mark is reset before each mode) plus each
 * child's peak RSS. The arithmetic is calibrated once at the start, which
 * also warms the machine up; one helper process is started a few times
 * beforehand, which warms the page cache and gives its start-up cost. */

struct _PtlModelsExperiment
{
  PtlExperiment     parent_instance;

  /* parameters */
  PtlWorkload workload;
  guint             tasks;
  guint             cpu_ms;
  guint             io_ms;
  guint             workers;
  double            switch_interval_ms;
  guint             repeats;
  gboolean          sweep;
};

enum {
  PROP_0,
  PROP_WORKLOAD,
  PROP_TASKS,
  PROP_CPU_MS,
  PROP_IO_MS,
  PROP_WORKERS,
  PROP_SWITCH_INTERVAL_MS,
  PROP_REPEATS,
  PROP_SWEEP,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlModelsExperiment, ptl_models_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

typedef enum
{
  MODE_SEQUENTIAL,
  MODE_THREADS,
  MODE_THREAD_POOL,
  MODE_PROCESSES,
  MODE_EVENT_LOOP,
  MODE_GIL_THREADS,
  N_MODES
} Mode;

/* Identifiers, like the parameter names: not translated. */
static const char * const mode_names[N_MODES + 1] = {
  "sequential", "threads", "thread-pool", "processes", "event-loop", "gil-threads", NULL,
};

/* What charts and the table show for each. */
static const char * const mode_labels[N_MODES] = {
  N_("Sequential"), N_("Threads"), N_("Thread pool"), N_("Processes"), N_("Event loop"),
  N_("Threads with GIL"),
};

/* The worker-count sweep's series, in this order. */
static const Mode sweep_modes[] = { MODE_THREAD_POOL, MODE_PROCESSES, MODE_GIL_THREADS };

/* tasks = 0: the sizes every Python concurrency guide uses. */
static const guint classic_tasks[] = {
  [PTL_WORKLOAD_CPU] = 4,
  [PTL_WORKLOAD_IO] = 100,
  [PTL_WORKLOAD_MIXED] = 8,
};

/* Every chunk starts from the same state, so they all end with the same
 * checksum, which the helper processes must reproduce. */
#define MODELS_SEED G_GUINT64_CONSTANT (0x5eed)

#define CALIBRATION_TRIALS   8
#define CALIBRATION_TRIAL_NS G_GINT64_CONSTANT (5000000)
#define SPAWN_COST_SAMPLES   5
#define NS_PER_MS            G_GINT64_CONSTANT (1000000)

/* Everything one run shares with its worker threads. */
typedef struct
{
  /* borrowed */
  PtlRun       *run;

  /* owned */
  char         *helper;
  GCancellable *stop;         /* cancelled with the run, or to stop workers after a failure */
  gulong        cancelled_id; /* on the run's cancellable */
  GMutex        lock;

  /* the run's shape, fixed once calibrated */
  guint         n_tasks;
  guint64       chunk_iterations; /* arithmetic per task; 0 for io */
  guint         wait_ms;          /* wait per task; 0 for cpu */
  double        switch_interval_ms;
  guint64       calibration_state; /* kept so the calibration's work is not optimised away */

  /* under lock */
  gint64        worker_cpu_ns; /* what worker threads measured on themselves */
  guint64       checksum;      /* final state of a chunk */

  /* from the last gil-threads measurement */
  guint64       gil_switches;
  guint64       gil_forced;
} Lab;

typedef struct
{
  double wall_s;
  double cpu_s;
  double memory_bytes; /* NAN when the peak could not be measured */
} Sample;

/* Where a run's figures go. */
typedef struct
{
  PtlSeries *wall;
  PtlSeries *speedup;
  PtlSeries *cpu;
  PtlSeries *memory;
  PtlSeries *sweep[G_N_ELEMENTS (sweep_modes)];
  PtlTable  *summary;
} Output;

enum {
  COLUMN_MODE,
  COLUMN_WALL,
  COLUMN_SPEEDUP,
  COLUMN_CPU,
  COLUMN_MEMORY,
};

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static Lab *
lab_new (PtlModelsExperiment  *self,
         PtlRun               *run,
         GError              **error)
{
  g_autofree char *helper = ptl_machine_find_helper (error);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  Lab *lab;

  if (helper == NULL)
    return NULL;

  lab = g_new0 (Lab, 1);
  lab->run = run;
  lab->helper = g_steal_pointer (&helper);
  lab->stop = g_cancellable_new ();
  g_mutex_init (&lab->lock);
  lab->n_tasks = self->tasks != 0 ? self->tasks : classic_tasks[self->workload];
  lab->wait_ms = self->workload == PTL_WORKLOAD_CPU ? 0 : self->io_ms;
  lab->switch_interval_ms = self->switch_interval_ms;
  lab->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb),
                                             g_object_ref (lab->stop), g_object_unref);
  return lab;
}

static void
lab_free (Lab *lab)
{
  g_cancellable_disconnect (ptl_run_get_cancellable (lab->run), lab->cancelled_id);
  g_clear_object (&lab->stop);
  g_free (lab->helper);
  g_mutex_clear (&lab->lock);
  g_free (lab);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lab, lab_free)

static void
lab_add_worker_cpu (Lab    *lab,
                    gint64  cpu_ns)
{
  g_mutex_lock (&lab->lock);
  lab->worker_cpu_ns += cpu_ns;
  g_mutex_unlock (&lab->lock);
}

/* Tasks */

/* One task's arithmetic. Between blocks of a few microseconds it checks
 * for a stop and, under the GIL, for a drop request, as the interpreter
 * checks its eval breaker between bytecodes. */
static gboolean
compute_chunk (Lab           *lab,
               PtlGil        *gil,
               gconstpointer  thread)
{
  guint64 state = MODELS_SEED;
  guint64 done = 0;

  while (done < lab->chunk_iterations)
    {
      guint64 n = MIN (PTL_KERNEL_BLOCK, lab->chunk_iterations - done);

      state = ptl_kernel_run (state, n);
      done += n;
      if (g_cancellable_is_cancelled (lab->stop))
        return FALSE;
      if (gil != NULL && ptl_gil_drop_requested (gil))
        ptl_gil_yield (gil, thread);
    }

  /* Storing the result keeps the compiler from dropping the work. */
  g_mutex_lock (&lab->lock);
  lab->checksum = state;
  g_mutex_unlock (&lab->lock);
  return TRUE;
}

/* A task: its arithmetic, then its wait. FALSE when stopped. */
static gboolean
run_task (Lab           *lab,
          PtlGil        *gil,
          gconstpointer  thread)
{
  gboolean slept;

  if (!compute_chunk (lab, gil, thread))
    return FALSE;
  if (lab->wait_ms == 0)
    return TRUE;

  /* time.sleep () releases the GIL around the wait and must take it back
   * afterwards, behind whoever is computing. */
  if (gil != NULL)
    ptl_gil_drop (gil, thread);
  slept = ptl_clock_sleep_ns (lab->wait_ms * NS_PER_MS, lab->stop);
  if (gil != NULL)
    ptl_gil_take (gil, thread);
  return slept;
}

/* Modes. Each returns FALSE with an error, G_IO_ERROR_CANCELLED when
 * stopped, and leaves no thread, child or descriptor behind. */

static gboolean
run_sequential (Lab     *lab,
                GError **error)
{
  for (guint i = 0; i < lab->n_tasks; i++)
    if (!run_task (lab, NULL, NULL))
      return !g_cancellable_set_error_if_cancelled (lab->stop, error);
  return TRUE;
}

typedef struct
{
  Lab     *lab;
  PtlGil  *gil;        /* NULL: the thread runs freely */
  guint    first_task;
  gint    *next_task;  /* shared, for fewer threads than tasks */
  GThread *thread;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Lab *lab = worker->lab;
  gint64 cpu_start = ptl_clock_thread_cpu_ns ();

  /* A Python thread needs the GIL before it runs a single bytecode. */
  if (worker->gil != NULL)
    ptl_gil_take (worker->gil, worker);

  for (guint task = worker->first_task; task < lab->n_tasks;
       task = (guint) g_atomic_int_add (worker->next_task, 1))
    if (!run_task (lab, worker->gil, worker))
      break;

  if (worker->gil != NULL)
    ptl_gil_drop (worker->gil, worker);

  lab_add_worker_cpu (lab, ptl_clock_thread_cpu_ns () - cpu_start);
  return NULL;
}

/* @n_threads threads started at once; with as many threads as tasks each
 * runs exactly one, with fewer they take the next task when done. */
static gboolean
run_threads (Lab      *lab,
             guint     n_threads,
             PtlGil   *gil,
             GError  **error)
{
  g_autofree Worker *workers = NULL;
  gint next_task;
  guint n_started;

  n_threads = MIN (n_threads, lab->n_tasks);
  workers = g_new0 (Worker, n_threads);
  next_task = (gint) n_threads;

  for (n_started = 0; n_started < n_threads; n_started++)
    {
      Worker *worker = &workers[n_started];
      g_autoptr(GError) local_error = NULL;

      worker->lab = lab;
      worker->gil = gil;
      worker->first_task = n_started;
      worker->next_task = &next_task;
      worker->thread = g_thread_try_new ("ptl-task", worker_thread, worker, &local_error);
      if (worker->thread == NULL)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                       _("Could not start thread %u of %u: %s"),
                       n_started + 1, n_threads, local_error->message);
          /* The threads already running must end before they can be joined. */
          g_cancellable_cancel (lab->stop);
          break;
        }
    }

  for (guint i = 0; i < n_started; i++)
    g_thread_join (workers[i].thread);

  if (n_started < n_threads)
    return FALSE;
  return !g_cancellable_set_error_if_cancelled (lab->stop, error);
}

static gboolean
run_gil_threads (Lab     *lab,
                 guint    n_threads,
                 GError **error)
{
  g_autoptr(PtlGil) gil = ptl_gil_new (lab->switch_interval_ms);

  if (!run_threads (lab, n_threads, gil, error))
    return FALSE;
  lab->gil_switches = ptl_gil_get_n_switches (gil);
  lab->gil_forced = ptl_gil_get_n_forced (gil);
  return TRUE;
}

static void
pool_task_cb (gpointer task,
              gpointer user_data)
{
  Lab *lab = user_data;
  gint64 cpu_start = ptl_clock_thread_cpu_ns ();

  /* After a stop the remaining tasks return at once; the caller reports it. */
  run_task (lab, NULL, NULL);
  lab_add_worker_cpu (lab, ptl_clock_thread_cpu_ns () - cpu_start);
}

static gboolean
run_thread_pool (Lab     *lab,
                 guint    n_workers,
                 GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GThreadPool *pool;

  /* An exclusive pool starts its threads here and ends them when freed,
   * like a ThreadPoolExecutor used in a with-block, instead of leaving
   * them idle in GLib's shared pool. More workers than tasks would idle. */
  n_workers = MIN (n_workers, lab->n_tasks);
  pool = g_thread_pool_new (pool_task_cb, lab, (int) n_workers, TRUE, &local_error);
  if (pool == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("Could not start a pool of %u threads: %s"), n_workers, local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < lab->n_tasks; i++)
    if (!g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), &local_error))
      {
        g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                     _("Could not hand a task to the thread pool: %s"), local_error->message);
        g_cancellable_cancel (lab->stop);
        break;
      }

  /* Waits until every queued task has run (at once after a stop). */
  g_thread_pool_free (pool, FALSE, TRUE);

  if (local_error != NULL)
    return FALSE;
  return !g_cancellable_set_error_if_cancelled (lab->stop, error);
}

static gboolean
run_processes (Lab             *lab,
               guint            max_running,
               PtlChildTotals  *children,
               GError         **error)
{
  PtlChildJob job = { lab->helper, lab->chunk_iterations, lab->wait_ms * NS_PER_MS, MODELS_SEED, 0 };

  /* The sequential mode, which always runs first, stored a chunk's result. */
  g_mutex_lock (&lab->lock);
  job.expected_checksum = lab->checksum;
  g_mutex_unlock (&lab->lock);

  return ptl_child_pool_run (&job, lab->n_tasks, max_running, lab->stop, children, error);
}

/* The event loop, asyncio-style: one thread, every task a callback. */
typedef struct
{
  Lab          *lab;
  GMainContext *context;
  GPtrArray    *sources; /* every source attached, destroyed at the end */
  guint         pending; /* tasks not finished */
  gboolean      stopped;
} EventLoop;

static void
event_loop_attach (EventLoop   *loop,
                   GSource     *source,
                   GSourceFunc  func)
{
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, loop, NULL);
  g_source_attach (source, loop->context);
  g_ptr_array_add (loop->sources, source);
}

static gboolean
event_loop_wait_done_cb (gpointer user_data)
{
  EventLoop *loop = user_data;

  loop->pending--;
  return G_SOURCE_REMOVE;
}

/* A task's first step, like a coroutine running up to its first await:
 * the arithmetic blocks the loop, then the wait is only a timer. */
static gboolean
event_loop_task_cb (gpointer user_data)
{
  EventLoop *loop = user_data;

  if (!compute_chunk (loop->lab, NULL, NULL))
    loop->stopped = TRUE;
  else if (loop->lab->wait_ms > 0)
    event_loop_attach (loop, g_timeout_source_new (loop->lab->wait_ms), event_loop_wait_done_cb);
  else
    loop->pending--;
  return G_SOURCE_REMOVE;
}

static gboolean
event_loop_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  EventLoop *loop = user_data;

  loop->stopped = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
run_event_loop (Lab     *lab,
                GError **error)
{
  EventLoop loop = { lab, NULL, NULL, lab->n_tasks, FALSE };

  loop.context = g_main_context_new ();
  loop.sources = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  g_main_context_push_thread_default (loop.context);

  event_loop_attach (&loop, ptl_cancellable_source_new (lab->stop),
                     G_SOURCE_FUNC (event_loop_cancelled_cb));
  for (guint i = 0; i < lab->n_tasks; i++)
    event_loop_attach (&loop, g_idle_source_new (), event_loop_task_cb);

  while (loop.pending > 0 && !loop.stopped)
    g_main_context_iteration (loop.context, TRUE);

  for (guint i = 0; i < loop.sources->len; i++)
    g_source_destroy (g_ptr_array_index (loop.sources, i));
  g_ptr_array_unref (loop.sources);
  g_main_context_pop_thread_default (loop.context);
  g_main_context_unref (loop.context);

  return !g_cancellable_set_error_if_cancelled (lab->stop, error);
}

/* Measuring */

static gboolean
read_peak_rss (gint64 *bytes)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return FALSE;
  line = strstr (status, "\nVmHWM:");
  if (line == NULL)
    return FALSE;
  *bytes = g_ascii_strtoll (line + strlen ("\nVmHWM:"), NULL, 10) * 1024;
  return TRUE;
}

/* Lowers the peak RSS to the current RSS (Linux 4.0: "5" to clear_refs)
 * and returns it, so the next peak is this mode's. */
static gboolean
reset_peak_rss (gint64 *bytes)
{
  int fd = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  gboolean reset;

  if (fd < 0)
    return FALSE;
  reset = write (fd, "5", 1) == 1;
  close (fd);
  return reset && read_peak_rss (bytes);
}

/* One timed execution of @mode. @parallelism is the number of threads
 * (threads, gil-threads), workers (thread-pool) or children at once
 * (processes). */
static gboolean
measure (Lab     *lab,
         Mode     mode,
         guint    parallelism,
         Sample  *sample,
         GError **error)
{
  PtlChildTotals children = { 0, 0 };
  gint64 rss_before = 0, rss_peak = 0;
  gint64 cpu_before, start, end;
  gboolean have_rss;
  gboolean ok = FALSE;

  have_rss = reset_peak_rss (&rss_before);
  g_mutex_lock (&lab->lock);
  lab->worker_cpu_ns = 0;
  g_mutex_unlock (&lab->lock);

  cpu_before = ptl_clock_thread_cpu_ns ();
  start = ptl_clock_now_ns ();

  switch (mode)
    {
    case MODE_SEQUENTIAL:
      ok = run_sequential (lab, error);
      break;
    case MODE_THREADS:
      ok = run_threads (lab, parallelism, NULL, error);
      break;
    case MODE_THREAD_POOL:
      ok = run_thread_pool (lab, parallelism, error);
      break;
    case MODE_PROCESSES:
      ok = run_processes (lab, parallelism, &children, error);
      break;
    case MODE_EVENT_LOOP:
      ok = run_event_loop (lab, error);
      break;
    case MODE_GIL_THREADS:
      ok = run_gil_threads (lab, parallelism, error);
      break;
    case N_MODES:
    default:
      g_assert_not_reached ();
    }

  end = ptl_clock_now_ns ();
  if (!ok)
    return FALSE;

  sample->wall_s = (end - start) / 1e9;
  g_mutex_lock (&lab->lock);
  sample->cpu_s = (ptl_clock_thread_cpu_ns () - cpu_before + lab->worker_cpu_ns + children.cpu_ns) / 1e9;
  g_mutex_unlock (&lab->lock);
  if (have_rss && read_peak_rss (&rss_peak))
    sample->memory_bytes = MAX (0, rss_peak - rss_before) + children.maxrss_bytes;
  else
    sample->memory_bytes = NAN;
  return TRUE;
}

/* Start, run and reap one helper that does no work: the price the
 * processes mode pays per task on top of the work. */
static gboolean
measure_spawn_cost (Lab     *lab,
                    double  *median_s,
                    GError **error)
{
  PtlChildJob job = { lab->helper, 0, 0, MODELS_SEED, ptl_kernel_run (MODELS_SEED, 0) };
  double samples[SPAWN_COST_SAMPLES];

  for (guint i = 0; i < SPAWN_COST_SAMPLES; i++)
    {
      PtlChildTotals totals = { 0, 0 };
      gint64 start = ptl_clock_now_ns ();

      if (!ptl_child_pool_run (&job, 1, 1, lab->stop, &totals, error))
        return FALSE;
      samples[i] = (ptl_clock_now_ns () - start) / 1e9;
    }
  *median_s = ptl_stats_median (samples, SPAWN_COST_SAMPLES);
  return TRUE;
}

/* Output */

static PtlSeries *
add_mode_chart (PtlResult  *result,
                const char *id,
                const char *title,
                const char *y_label,
                const char *unit,
                guint       repeats,
                PtlChart  **chart_out)
{
  PtlChart *chart = ptl_result_add_chart (result, id, PTL_CHART_BAR, title);
  const char *labels[N_MODES + 1] = { NULL };
  PtlSeries *series;

  for (guint i = 0; i < N_MODES; i++)
    labels[i] = _(mode_labels[i]);
  ptl_chart_set_x_axis (chart, _("Mode"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, y_label, unit, FALSE);
  ptl_chart_set_categories_with_ids (chart, mode_names, labels);
  /* The one series is what the axis says; its id is the chart's. */
  series = ptl_chart_add_series_with_id (chart, id, y_label);
  if (repeats > 1)
    ptl_series_set_band_label (series, _("min–max"));
  if (chart_out != NULL)
    *chart_out = chart;
  return series;
}

static char *
dup_cores_label (guint n_cpus)
{
  return g_strdup_printf (ngettext ("%u core", "%u cores", n_cpus), n_cpus);
}

static void
create_output (PtlResult *result,
               guint      repeats,
               gboolean   sweep,
               guint      n_cpus,
               Output    *out)
{
  g_autofree char *cores = dup_cores_label (n_cpus);
  PtlChart *chart;

  out->wall = add_mode_chart (result, "wall", _("Wall time"), _("Wall time"), "s", repeats, NULL);
  out->speedup = add_mode_chart (result, "speedup", _("Speedup over sequential"), _("Speedup"), "x",
                                 repeats, &chart);
  ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, 1, _("Sequential"));
  ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, n_cpus, cores);
  out->cpu = add_mode_chart (result, "cpu", _("CPU time (all threads and children)"), _("CPU time"), "s",
                             repeats, NULL);
  out->memory = add_mode_chart (result, "memory",
                                _("Peak memory (growth of this process's peak RSS + children's peak RSS)"),
                                _("Peak memory"), "B", repeats, NULL);

  if (sweep)
    {
      chart = ptl_result_add_chart (result, "sweep", PTL_CHART_LINE, _("Speedup by number of workers"));
      ptl_chart_set_x_axis (chart, _("Workers"), NULL, FALSE);
      ptl_chart_set_y_axis (chart, _("Speedup over sequential"), "x", FALSE);
      ptl_chart_add_reference (chart, PTL_REFERENCE_DIAGONAL, 1, _("Ideal"));
      ptl_chart_add_reference (chart, PTL_REFERENCE_VERTICAL, n_cpus, cores);
      for (guint i = 0; i < G_N_ELEMENTS (sweep_modes); i++)
        out->sweep[i] = ptl_chart_add_series_with_id (chart, mode_names[sweep_modes[i]],
                                                      _(mode_labels[sweep_modes[i]]));
    }

  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "mode", _("Mode"), NULL);
  ptl_table_add_column_with_id (out->summary, "wall", _("Wall time"), "s");
  ptl_table_add_column_with_id (out->summary, "speedup", _("Speedup"), "x");
  ptl_table_add_column_with_id (out->summary, "cpu", _("CPU time"), "s");
  ptl_table_add_column_with_id (out->summary, "memory", _("Peak memory"), "B");
}

static void
add_stats_point (PtlSeries      *series,
                 double          x,
                 const PtlStats *stats)
{
  if (stats->n > 1)
    ptl_series_add_point_band (series, x, stats->median, stats->min, stats->max);
  else
    ptl_series_add_point (series, x, stats->median);
}

/* A mode's final figures, once its last repeat is in. */
static void
publish_mode (PtlResult    *result,
              Output       *out,
              Mode          mode,
              const double *wall,
              const double *cpu,
              const double *memory,
              guint         repeats,
              double        sequential_s)
{
  g_autofree char *wall_name = g_strdup_printf ("wall/%s", mode_names[mode]);
  g_autofree char *cpu_name = g_strdup_printf ("cpu/%s", mode_names[mode]);
  g_autofree char *memory_name = g_strdup_printf ("memory/%s", mode_names[mode]);
  PtlStats wall_stats, cpu_stats, memory_stats;
  double speedup = sequential_s / ptl_stats_median (wall, repeats);
  guint row;

  ptl_stats_compute (&wall_stats, wall, repeats);
  ptl_stats_compute (&cpu_stats, cpu, repeats);
  /* Memory is all NAN or all numbers: the method works or it does not. */
  ptl_stats_compute (&memory_stats, memory, isnan (memory[0]) ? 0 : repeats);

  add_stats_point (out->wall, mode, &wall_stats);
  if (repeats > 1)
    ptl_series_add_point_band (out->speedup, mode, speedup,
                               sequential_s / wall_stats.max, sequential_s / wall_stats.min);
  else
    ptl_series_add_point (out->speedup, mode, speedup);
  add_stats_point (out->cpu, mode, &cpu_stats);
  if (memory_stats.n > 0)
    add_stats_point (out->memory, mode, &memory_stats);

  row = ptl_table_add_row_with_id (out->summary, mode_names[mode]);
  ptl_table_set_text (out->summary, row, COLUMN_MODE, _(mode_labels[mode]));
  ptl_table_set_number (out->summary, row, COLUMN_WALL, wall_stats.median);
  ptl_table_set_number (out->summary, row, COLUMN_SPEEDUP, speedup);
  ptl_table_set_number (out->summary, row, COLUMN_CPU, cpu_stats.median);
  ptl_table_set_number (out->summary, row, COLUMN_MEMORY, memory_stats.median);

  ptl_result_add_samples (result, wall_name, "s", wall, repeats);
  ptl_result_add_samples (result, cpu_name, "s", cpu, repeats);
  if (memory_stats.n > 0)
    ptl_result_add_samples (result, memory_name, "B", memory, repeats);
}

static void
note_noise (PtlResult    *result,
            const double *wall,
            guint         repeats)
{
  g_autoptr(GString) noisy = g_string_new (NULL);

  if (repeats < 2)
    return;

  for (guint mode = 0; mode < N_MODES; mode++)
    {
      PtlStats stats;

      ptl_stats_compute (&stats, &wall[mode * repeats], repeats);
      if (ptl_stats_is_noisy (&stats))
        g_string_append_printf (noisy, "%s%s", noisy->len ? ", " : "", _(mode_labels[mode]));
    }

  if (noisy->len > 0)
    ptl_result_add_warning (result,
                            _("The run was noisy: p5 to p95 of the repeats of %s spans more than %.0f %% "
                              "of the median (something else used the CPU); trust the medians, not single "
                              "bars."),
                            noisy->str, PTL_NOISY_SPREAD * 100);
}

/* Runs everything; also the place where the reader's notes are written. */
static gboolean
ptl_models_experiment_run (PtlExperiment  *experiment,
                           PtlRun         *run,
                           GError        **error)
{
  PtlModelsExperiment *self = PTL_MODELS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_autoptr(Lab) lab = NULL;
  g_autofree double *wall = NULL;
  g_autofree double *cpu = NULL;
  g_autofree double *memory = NULL;
  guint n_cpus = ptl_machine_get_n_cpus ();
  guint repeats = self->repeats;
  guint n_sweep = self->sweep ? 2 * n_cpus : 0;
  guint n_steps = repeats * N_MODES + n_sweep * G_N_ELEMENTS (sweep_modes);
  guint pool_workers, step = 0;
  double sequential_s = NAN;
  double spawn_s;
  gint64 probe;
  Output out = { NULL };

  lab = lab_new (self, run, error);
  if (lab == NULL)
    return FALSE;

  /* Python's ThreadPoolExecutor default. */
  pool_workers = self->workers != 0 ? self->workers : MIN (32, n_cpus + 4);

  create_output (result, repeats, self->sweep, n_cpus, &out);
  wall = g_new0 (double, N_MODES * repeats);
  cpu = g_new0 (double, N_MODES * repeats);
  memory = g_new0 (double, N_MODES * repeats);

  if (n_cpus == 1)
    ptl_result_add_note (result, _("The lab may use only 1 core here: no mode can run CPU-bound work "
                                   "faster than sequential."));
  else
    ptl_result_add_note (result, ngettext ("The lab may use %u core here: CPU-bound work can run at most %u× "
                                           "faster than sequential, however many threads or processes share it.",
                                           "The lab may use %u cores here: CPU-bound work can run at most %u× "
                                           "faster than sequential, however many threads or processes share it.",
                                           n_cpus),
                         n_cpus, n_cpus);
  if (self->tasks == 0)
    ptl_result_add_note (result, _("tasks = 0 picked the classic size for this workload: %u tasks."), lab->n_tasks);

  if (self->workload != PTL_WORKLOAD_IO)
    {
      double per_ms;

      ptl_run_progress (run, 0, _("Calibrating the arithmetic"));
      lab->calibration_state = MODELS_SEED;
      if (!ptl_kernel_calibrate (&lab->calibration_state, CALIBRATION_TRIALS, CALIBRATION_TRIAL_NS,
                                 lab->stop, &per_ms, error))
        return FALSE;
      lab->chunk_iterations = MAX (1, (guint64) llround (per_ms * self->cpu_ms));
      ptl_result_add_note (result, _("One task's arithmetic is %.3g million steps of the kernel, calibrated "
                                     "at the start of the run to take %u ms on one core."),
                           lab->chunk_iterations / 1e6, self->cpu_ms);
    }

  ptl_run_progress (run, 0, _("Measuring the start-up cost of a process"));
  if (!measure_spawn_cost (lab, &spawn_s, error))
    return FALSE;
  {
    g_autofree char *text = ptl_format_value (spawn_s, "s");

    ptl_result_add_note (result, _("Starting one helper process, letting it exit and reaping it takes %s "
                                   "here (median of %u): the processes mode pays it once per task. "
                                   "A Python worker process also has to start an interpreter, which costs more."),
                         text, SPAWN_COST_SAMPLES);
  }

  if (!reset_peak_rss (&probe))
    ptl_result_add_note (result, _("The peak memory of this process could not be reset "
                                   "(/proc/self/clear_refs is not writable), so memory is not shown."));
  else
    ptl_result_add_note (result, _("Memory is the growth of this process's peak resident set during a mode, "
                                   "plus the peak resident set of each child. Memory an earlier repeat left "
                                   "mapped (cached thread stacks, allocator arenas) is not counted again."));

  for (guint r = 0; r < repeats; r++)
    for (guint mode = 0; mode < N_MODES; mode++)
      {
        guint parallelism = mode == MODE_THREAD_POOL ? pool_workers : lab->n_tasks;
        g_autofree char *text = NULL;
        Sample sample;

        ptl_run_progress (run, (double) step / n_steps, _("%s: repeat %u of %u"),
                          mode_names[mode], r + 1, repeats);
        if (!measure (lab, mode, parallelism, &sample, error))
          return FALSE;
        wall[mode * repeats + r] = sample.wall_s;
        cpu[mode * repeats + r] = sample.cpu_s;
        memory[mode * repeats + r] = sample.memory_bytes;
        step++;

        if (r + 1 == repeats)
          {
            if (mode == MODE_SEQUENTIAL)
              sequential_s = ptl_stats_median (wall, repeats);
            publish_mode (result, &out, mode, &wall[mode * repeats], &cpu[mode * repeats],
                          &memory[mode * repeats], repeats, sequential_s);
          }

        text = ptl_format_value (sample.wall_s, "s");
        ptl_run_progress (run, (double) step / n_steps, _("%s: %s (repeat %u of %u)"),
                          mode_names[mode], text, r + 1, repeats);
      }

  note_noise (result, wall, repeats);
  ptl_run_warn_if_virtual (run);
  ptl_result_add_note (result, _("In the last gil-threads run the emulated GIL changed hands %lu times; "
                                 "%lu of them were forced by a thread that had waited %g ms."),
                       (gulong) lab->gil_switches, (gulong) lab->gil_forced, self->switch_interval_ms);
  ptl_result_add_note (result, _("The thread pool had %u workers."), pool_workers);

  for (guint workers = 1; workers <= n_sweep; workers++)
    for (guint i = 0; i < G_N_ELEMENTS (sweep_modes); i++)
      {
        Sample sample;

        ptl_run_progress (run, (double) step / n_steps,
                          ngettext ("sweep: %s with %u worker", "sweep: %s with %u workers", workers),
                          mode_names[sweep_modes[i]], workers);
        if (!measure (lab, sweep_modes[i], workers, &sample, error))
          return FALSE;
        ptl_series_add_point (out.sweep[i], workers, sequential_s / sample.wall_s);
        step++;
        ptl_run_progress (run, (double) step / n_steps,
                          ngettext ("sweep: %s with %u worker: %.2f×", "sweep: %s with %u workers: %.2f×", workers),
                          mode_names[sweep_modes[i]], workers, sequential_s / sample.wall_s);
      }
  if (n_sweep > 0)
    ptl_result_add_note (result, _("Each point of the worker sweep is a single measurement."));

  return TRUE;
}

/* Thread-per-task and process modes start every task at once; the sweep
 * goes up to twice the cores. */
static guint
ptl_models_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlModelsExperiment *self = PTL_MODELS_EXPERIMENT (experiment);
  guint n_tasks = self->tasks != 0 ? self->tasks : classic_tasks[self->workload];

  return MAX (n_tasks, self->sweep ? 2 * ptl_machine_get_n_cpus () : 0);
}

static void
ptl_models_experiment_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PtlModelsExperiment *self = PTL_MODELS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      g_value_set_enum (value, self->workload);
      break;
    case PROP_TASKS:
      g_value_set_uint (value, self->tasks);
      break;
    case PROP_CPU_MS:
      g_value_set_uint (value, self->cpu_ms);
      break;
    case PROP_IO_MS:
      g_value_set_uint (value, self->io_ms);
      break;
    case PROP_WORKERS:
      g_value_set_uint (value, self->workers);
      break;
    case PROP_SWITCH_INTERVAL_MS:
      g_value_set_double (value, self->switch_interval_ms);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    case PROP_SWEEP:
      g_value_set_boolean (value, self->sweep);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_models_experiment_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PtlModelsExperiment *self = PTL_MODELS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      ptl_param_store_enum (object, (int *) &self->workload, value, pspec);
      break;
    case PROP_TASKS:
      ptl_param_store_uint (object, &self->tasks, value, pspec);
      break;
    case PROP_CPU_MS:
      ptl_param_store_uint (object, &self->cpu_ms, value, pspec);
      break;
    case PROP_IO_MS:
      ptl_param_store_uint (object, &self->io_ms, value, pspec);
      break;
    case PROP_WORKERS:
      ptl_param_store_uint (object, &self->workers, value, pspec);
      break;
    case PROP_SWITCH_INTERVAL_MS:
      ptl_param_store_double (object, &self->switch_interval_ms, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    case PROP_SWEEP:
      ptl_param_store_boolean (object, &self->sweep, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_models_experiment_class_init (PtlModelsExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "wall", N_("Wall time per mode") },
    { "speedup", N_("Speedup over sequential") },
    { "cpu", N_("CPU time per mode (all threads and children)") },
    { "memory", N_("Peak memory per mode") },
    { "sweep", N_("Speedup by number of workers (with sweep)") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_models_experiment_get_property;
  object_class->set_property = ptl_models_experiment_set_property;

  experiment_class->id = "models";
  experiment_class->title = N_("Concurrency models");
  experiment_class->category = N_("Comparison");
  experiment_class->summary =
    N_("The same tasks run sequentially, on threads, on a thread pool, in child processes, "
       "on an event loop and on threads under an emulated Python GIL: wall time, speedup, "
       "CPU time and memory of each, for CPU-bound, I/O-bound or mixed work.");
  experiment_class->explanation =
    N_("Every guide to concurrency in Python has the same table: threads for waiting, processes "
       "for computing, asyncio for many waits, and the GIL spoiling threads for arithmetic. This "
       "experiment measures that table on your machine instead of asserting it.\n\n"
       "The modes. sequential runs the tasks one after another. threads starts one thread per "
       "task, all at once. thread-pool hands them to a fixed number of worker threads. processes "
       "starts one child process per task (a small helper doing the same arithmetic), all at once. "
       "event-loop runs every task as a callback on one thread, like asyncio: a wait is a timer, "
       "arithmetic blocks the loop. gil-threads starts one thread per task but lets a thread "
       "compute only while it holds one global lock, the way CPython's interpreter does.\n\n"
       "Waiting (workload io). A task that waits needs no processor, so whatever lets the waits "
       "overlap wins: sequential takes the number of tasks times the wait; threads and the event "
       "loop take about one wait; processes take one wait plus the cost of starting every child; "
       "a pool overlaps only as many waits as it has workers. The GIL changes nothing here, "
       "because a sleeping Python thread releases it.\n\n"
       "Computing (workload cpu). Arithmetic overlaps only on separate cores. Threads and "
       "processes approach a speedup equal to the number of cores and go no further, however "
       "many workers they get: the sweep shows the curve flattening at the cores line. The event "
       "loop is sequential with extra steps. Under the GIL only one thread computes at a time, "
       "so gil-threads is no faster than sequential, and usually a little slower: every switch "
       "interval a waiting thread asks the holder to let go, and the lock is handed over. That "
       "is why CPU-bound Python uses processes (or a free-threaded build).\n\n"
       "Mixed tasks compute, then wait. Threads overlap both parts; the event loop overlaps only "
       "the waits; gil-threads overlap the waits but not the arithmetic, and a thread coming back "
       "from its wait queues behind whoever computes (the convoy effect).\n\n"
       "CPU time adds up what every thread and child spent on a processor: a mode whose CPU time "
       "is well above sequential's for the same work paid for overhead (starting processes, "
       "handing the lock around). Memory shows what a mode adds: each process has its own "
       "address space, a thread only a stack.\n\n"
       "How it is measured: the arithmetic is calibrated at the start so one task takes cpu-ms "
       "on one core; modes alternate from repeat to repeat so a slow moment of the machine hits "
       "them all; bars show the median and the min–max range. Starting the children counts in "
       "the processes mode, as it does when a Python program starts a process pool. The emulated "
       "GIL follows CPython's own: a thread that waited a whole switch interval sets a drop "
       "request, the holder checks it every few thousand steps of arithmetic, lets go, and waits "
       "until another thread has taken the lock.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "speedup", PTL_HEADLINE_MAX);

  experiment_class->run = ptl_models_experiment_run;
  experiment_class->count_tasks = ptl_models_experiment_count_tasks;

  properties[PROP_WORKLOAD] =
    g_param_spec_enum ("workload", N_("Workload"),
                       N_("What each task does: cpu computes, io waits, mixed computes and then waits"),
                       PTL_TYPE_WORKLOAD, PTL_WORKLOAD_CPU, flags);
  ptl_param_set_choice_labels (properties[PROP_WORKLOAD], ptl_workload_labels);
  properties[PROP_TASKS] =
    g_param_spec_uint ("tasks", N_("Tasks"),
                       N_("How many tasks each mode runs; 0 picks the classic size for the workload: "
                          "4 CPU chunks, 100 I/O waits or 8 mixed tasks"),
                       0, 1000, 0, flags);
  ptl_param_set_unit (properties[PROP_TASKS], N_("tasks"));
  properties[PROP_CPU_MS] =
    g_param_spec_uint ("cpu-ms", N_("Arithmetic per task"),
                       N_("How long each task computes, calibrated at the start of the run to take "
                          "this long on one core (cpu and mixed workloads)"),
                       1, 10000, 50, flags);
  ptl_param_set_unit (properties[PROP_CPU_MS], "ms");
  properties[PROP_IO_MS] =
    g_param_spec_uint ("io-ms", N_("Wait per task"),
                       N_("How long each task waits, standing in for a network or disk request "
                          "(io and mixed workloads)"),
                       1, 10000, 10, flags);
  ptl_param_set_unit (properties[PROP_IO_MS], "ms");
  properties[PROP_WORKERS] =
    g_param_spec_uint ("workers", N_("Pool workers"),
                       N_("Threads in the thread pool; 0 means cores + 4 (at most 32), "
                          "the default of Python's ThreadPoolExecutor"),
                       0, 256, 0, flags);
  ptl_param_set_unit (properties[PROP_WORKERS], N_("threads"));
  properties[PROP_SWITCH_INTERVAL_MS] =
    g_param_spec_double ("switch-interval-ms", N_("GIL switch interval"),
                         N_("How long a thread waits for the emulated GIL before it asks the holder to "
                            "let go, as sys.setswitchinterval () sets it (CPython's default is 5 ms)"),
                         0.1, 100, 5, flags);
  ptl_param_set_unit (properties[PROP_SWITCH_INTERVAL_MS], "ms");
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"),
                       N_("How many times each mode is measured, modes taking turns; the charts show "
                          "the median with min–max error bars"),
                       1, 20, 3, flags);
  ptl_param_set_unit (properties[PROP_REPEATS], N_("runs"));
  properties[PROP_SWEEP] =
    g_param_spec_boolean ("sweep", N_("Worker sweep"),
                          N_("Also measure thread-pool, processes (that many children at once) and "
                             "gil-threads with 1 to 2 × cores workers, once per point"),
                          TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_models_experiment_init (PtlModelsExperiment *self)
{
  self->workload = PTL_WORKLOAD_CPU;
  self->tasks = 0;
  self->cpu_ms = 50;
  self->io_ms = 10;
  self->workers = 0;
  self->switch_interval_ms = 5;
  self->repeats = 3;
  self->sweep = TRUE;
}
