/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sched-real-experiment"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ptl-kernel.h"
#include "ptl-kernel-calibrate.h"
#include "ptl-sched-table.h"
#include "ptl-sched-experiment-private.h"
#include "ptl-sched-real-experiment.h"
#include "ptl-sched-trace.h"

/* "The real scheduler": a small workload played by real threads, one per
 * process, under the Linux scheduler, beside the simulator's prediction
 * for the same workload.
 *
 * Method. A CPU burst is arithmetic (the kernel of ptl-kernel.h),
 * calibrated at the start so one unit of work takes time-unit-ms on one
 * core; an I/O burst is a sleep. Each thread sets its own affinity,
 * policy and nice, then waits at a start line, so that every arrival
 * counts from one instant t0. While it computes, a thread records itself
 * (ptl-sched-trace.h): every ~5 µs of work it reads CLOCK_MONOTONIC and
 * sched_getcpu () (a memory read through rseq), and a jump of more than
 * 50 µs means it was off the CPU meanwhile. Nothing is locked or
 * allocated while the threads run. Afterwards each thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID) and the kernel's own count of the time it was
 * runnable but waiting (/proc/thread-self/schedstat) complete the table. */

struct _PtlSchedRealExperiment
{
  PtlExperiment        parent_instance;

  /* parameters */
  char                *workload;
  guint                processes;
  guint                seed;
  double               time_unit_ms;
  guint                nice_step;
  PtlSchedRealAffinity affinity;
  PtlSchedRealPolicy   policy;
  PtlSchedAlgorithm    model;
  double               model_quantum_ms;
};

enum {
  PROP_0,
  PROP_WORKLOAD,
  PROP_PROCESSES,
  PROP_SEED,
  PROP_TIME_UNIT_MS,
  PROP_NICE_STEP,
  PROP_AFFINITY,
  PROP_POLICY,
  PROP_MODEL,
  PROP_MODEL_QUANTUM_MS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlSchedRealExperiment, ptl_sched_real_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define DEFAULT_WORKLOAD     "convoy"
#define MAX_THREADS          8
#define MAX_CPU_S            30.0
#define MAX_SPAN_S           60.0
#define NS_PER_MS            G_GINT64_CONSTANT (1000000)
/* Off the CPU when the clock jumps by more than this between two notes. */
#define GAP_NS               (50 * G_GINT64_CONSTANT (1000))
/* Work between two notes: well under the gap, so a gap is never work. */
#define NOTE_EVERY_NS        5000.0
#define SPANS_PER_THREAD     16384
#define START_DELAY_NS       (2 * NS_PER_MS)
#define PROGRESS_EVERY_US    (100 * G_TIME_SPAN_MILLISECOND)
#define CALIBRATION_TRIALS   6
#define CALIBRATION_TRIAL_NS (5 * NS_PER_MS)
#define KERNEL_SEED          G_GUINT64_CONSTANT (0x5eed)

/* Identifiers, like the parameter names. */
static const char * const policy_names[] = { "other", "batch", "idle", "fifo", "rr" };
static const int policy_values[] = { SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_FIFO, SCHED_RR };

enum {
  COLUMN_THREAD,
  COLUMN_NICE,
  COLUMN_REQUESTED,
  COLUMN_MEASURED,
  COLUMN_WAITING,
  COLUMN_TURNAROUND,
  COLUMN_SWITCHES,
};

typedef struct _Lab Lab;

/* One thread, playing one process of the workload. */
typedef struct
{
  /* borrowed */
  Lab              *lab;
  const gint64     *bursts;       /* units; CPU at even positions */
  guint             n_bursts;

  /* owned */
  PtlSchedTrace    *trace;
  GThread          *thread;

  /* set before the thread starts */
  gint64            arrival_ns;   /* after t0 */
  int               nice;

  /* written by the thread before it reaches the start line (read under
   * the lock there) */
  gboolean          failed;
  PtlSchedRealStep  failed_step;
  int               failed_value;
  int               failed_errno;

  /* written by the thread, read once it has been joined */
  gint64            finished_ns;
  gint64            cpu_ns;
  gint64            run_delay_ns; /* -1: the kernel did not say */
  guint64           state;        /* the arithmetic's result, so it is not optimised away */
} Worker;

struct _Lab
{
  /* borrowed */
  PtlRun             *run;

  /* owned */
  GCancellable       *stop;         /* cancelled with the run */
  gulong              cancelled_id;
  Worker             *workers;
  guint               n_workers;
  GMutex              lock;
  GCond               cond;

  /* fixed before the threads start */
  PtlSchedRealPolicy  policy;
  int                 pin_cpu;      /* -1: not pinned */
  double              iterations_per_ms;
  guint64             block;        /* iterations between two notes */
  double              unit_ms;

  /* under lock */
  guint               n_ready;
  guint               n_done;
  gboolean            released;     /* the start line is lifted … */
  gboolean            go;           /* … to run (else to leave) */
  gint64              t0;
};

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static Lab *
lab_new (PtlRun  *run,
         guint    n_workers)
{
  Lab *lab = g_new0 (Lab, 1);

  lab->run = run;
  lab->stop = g_cancellable_new ();
  lab->cancelled_id = g_cancellable_connect (ptl_run_get_cancellable (run), G_CALLBACK (run_cancelled_cb),
                                             g_object_ref (lab->stop), g_object_unref);
  lab->workers = g_new0 (Worker, n_workers);
  lab->n_workers = n_workers;
  g_mutex_init (&lab->lock);
  g_cond_init (&lab->cond);
  return lab;
}

static void
lab_free (Lab *lab)
{
  g_cancellable_disconnect (ptl_run_get_cancellable (lab->run), lab->cancelled_id);
  g_clear_object (&lab->stop);
  for (guint i = 0; i < lab->n_workers; i++)
    ptl_sched_trace_free (lab->workers[i].trace);
  g_free (lab->workers);
  g_mutex_clear (&lab->lock);
  g_cond_clear (&lab->cond);
  g_free (lab);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lab, lab_free)

static gboolean
is_real_time (PtlSchedRealPolicy policy)
{
  return policy == PTL_SCHED_REAL_FIFO || policy == PTL_SCHED_REAL_RR;
}

/* In the threads */

static inline int
current_cpu (void)
{
  return MAX (sched_getcpu (), 0);
}

/* The kernel's count of the time this thread was runnable but waiting:
 * the second field of schedstat. No allocation. */
static gint64
read_run_delay_ns (void)
{
  char buf[128];
  unsigned long long on_cpu, waiting;
  ssize_t len;
  int fd;

  fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  len = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (len <= 0)
    return -1;
  buf[len] = '\0';
  if (sscanf (buf, "%llu %llu", &on_cpu, &waiting) != 2)
    return -1;
  return (gint64) waiting;
}

static gboolean
worker_fail (Worker           *worker,
             PtlSchedRealStep  step,
             int               value)
{
  worker->failed_errno = errno;
  worker->failed = TRUE;
  worker->failed_step = step;
  worker->failed_value = value;
  return FALSE;
}

/* Each thread sets itself up: affinity, policy and nice all apply to
 * the calling thread only (Linux keeps them per thread). */
static gboolean
worker_setup (Worker *worker)
{
  Lab *lab = worker->lab;
  struct sched_param param = { 0 };

  if (lab->pin_cpu >= 0)
    {
      cpu_set_t set;

      CPU_ZERO (&set);
      CPU_SET (lab->pin_cpu, &set);
      if (sched_setaffinity (0, sizeof set, &set) != 0)
        return worker_fail (worker, PTL_SCHED_REAL_STEP_AFFINITY, lab->pin_cpu);
    }

  param.sched_priority = is_real_time (lab->policy) ? 1 : 0;
  if (sched_setscheduler (0, policy_values[lab->policy], &param) != 0)
    return worker_fail (worker, PTL_SCHED_REAL_STEP_POLICY, 0);

  if (setpriority (PRIO_PROCESS, (id_t) gettid (), worker->nice) != 0)
    return worker_fail (worker, PTL_SCHED_REAL_STEP_NICE, worker->nice);
  return TRUE;
}

/* One CPU burst, noted every block of arithmetic. FALSE when stopped. */
static gboolean
compute (Worker  *worker,
         guint64  iterations)
{
  Lab *lab = worker->lab;
  guint64 state = worker->state;
  guint64 done = 0;

  ptl_sched_trace_run_begin (worker->trace, ptl_clock_now_ns (), current_cpu ());
  while (done < iterations)
    {
      guint64 n = MIN (lab->block, iterations - done);

      state = ptl_kernel_run (state, n);
      done += n;
      ptl_sched_trace_run_note (worker->trace, ptl_clock_now_ns (), current_cpu ());
      if (g_cancellable_is_cancelled (lab->stop))
        break;
    }
  ptl_sched_trace_run_end (worker->trace, ptl_clock_now_ns (), current_cpu ());
  worker->state = state;
  return done == iterations;
}

static void
play_process (Worker *worker)
{
  Lab *lab = worker->lab;
  gint64 arrival = lab->t0 + worker->arrival_ns;
  gint64 delay_start, cpu_start;

  /* Read before the arrival sleep: a sleeping thread is not runnable, so
   * the run delay counted from here starts at the wake-up, which is the
   * arrival, and includes the wait for the first dispatch. */
  delay_start = read_run_delay_ns ();
  cpu_start = ptl_clock_thread_cpu_ns ();
  if (!ptl_clock_sleep_ns (arrival - ptl_clock_now_ns (), lab->stop))
    return;

  for (guint b = 0; b < worker->n_bursts; b++)
    {
      gint64 length = worker->bursts[b];

      if (b % 2 == 0)
        {
          guint64 iterations = MAX (1, (guint64) llround (lab->iterations_per_ms * length * lab->unit_ms));

          if (!compute (worker, iterations))
            return;
        }
      else
        {
          gint64 start = ptl_clock_now_ns ();

          if (!ptl_clock_sleep_ns (llround (length * lab->unit_ms * NS_PER_MS), lab->stop))
            return;
          ptl_sched_trace_add_io (worker->trace, start, ptl_clock_now_ns ());
        }
    }

  worker->cpu_ns = ptl_clock_thread_cpu_ns () - cpu_start;
  worker->finished_ns = ptl_clock_now_ns ();
  worker->run_delay_ns = delay_start >= 0 ? read_run_delay_ns () : -1;
  if (worker->run_delay_ns >= 0)
    worker->run_delay_ns -= delay_start;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Lab *lab = worker->lab;
  gboolean ready = worker_setup (worker);
  gboolean go;

  g_mutex_lock (&lab->lock);
  lab->n_ready++;
  g_cond_broadcast (&lab->cond);
  while (!lab->released)
    g_cond_wait (&lab->cond, &lab->lock);
  go = lab->go;
  g_mutex_unlock (&lab->lock);

  if (ready && go)
    play_process (worker);

  g_mutex_lock (&lab->lock);
  lab->n_done++;
  g_cond_broadcast (&lab->cond);
  g_mutex_unlock (&lab->lock);
  return NULL;
}

/* In the run's thread */

/* Sizes the threads' work from the kernel's speed on one core. */
static gboolean
calibrate (Lab     *lab,
           GError **error)
{
  guint64 state = KERNEL_SEED;
  double best;

  if (!ptl_kernel_calibrate (&state, CALIBRATION_TRIALS, CALIBRATION_TRIAL_NS, lab->stop, &best, error))
    return FALSE;

  lab->iterations_per_ms = best;
  lab->block = MAX (64, (guint64) (best * NOTE_EVERY_NS / 1e6));
  /* Seeding the threads with the result keeps the calibration's work. */
  for (guint i = 0; i < lab->n_workers; i++)
    lab->workers[i].state = state + i;
  return TRUE;
}

/* Starts every thread, lifts the start line once all are set up, waits
 * for them all and joins them, on success, failure or cancellation. */
static gboolean
play (Lab     *lab,
      GError **error)
{
  guint n_started;
  gboolean ok = TRUE;

  for (n_started = 0; n_started < lab->n_workers; n_started++)
    {
      Worker *worker = &lab->workers[n_started];
      g_autoptr(GError) local_error = NULL;

      worker->thread = g_thread_try_new ("ptl-sched-real", worker_thread, worker, &local_error);
      if (worker->thread == NULL)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("Could not start thread %u of %u: %s"),
                       n_started + 1, lab->n_workers, local_error->message);
          ok = FALSE;
          break;
        }
    }

  g_mutex_lock (&lab->lock);
  while (ok && lab->n_ready < n_started && !g_cancellable_is_cancelled (lab->stop))
    g_cond_wait_until (&lab->cond, &lab->lock, g_get_monotonic_time () + PROGRESS_EVERY_US);
  /* Stopped while some were still setting up: their fields are theirs. */
  ok = ok && lab->n_ready == n_started;
  for (guint i = 0; ok && i < n_started; i++)
    if (lab->workers[i].failed)
      {
        Worker *worker = &lab->workers[i];

        ptl_sched_real_set_step_error (error, worker->failed_step, lab->policy,
                                       worker->failed_value, worker->failed_errno);
        ok = FALSE;
      }
  ok = ok && !g_cancellable_is_cancelled (lab->stop);
  if (ok)
    {
      lab->t0 = ptl_clock_now_ns () + START_DELAY_NS;
      lab->go = TRUE;
    }
  lab->released = TRUE;
  g_cond_broadcast (&lab->cond);

  /* Threads leave at once after a failure or a stop. */
  while (lab->n_done < n_started)
    {
      guint n_done = lab->n_done;

      g_cond_wait_until (&lab->cond, &lab->lock, g_get_monotonic_time () + PROGRESS_EVERY_US);
      if (ok && lab->n_done < n_started && lab->n_done != n_done)
        ptl_run_progress (lab->run, (double) lab->n_done / n_started,
                          ngettext ("%u of %u thread finished", "%u of %u threads finished", lab->n_done),
                          lab->n_done, n_started);
    }
  g_mutex_unlock (&lab->lock);

  for (guint i = 0; i < n_started; i++)
    g_thread_join (lab->workers[i].thread);

  if (!ok)
    {
      /* A stop wins over the errors it caused. */
      if (g_cancellable_is_cancelled (lab->stop))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (lab->stop, error);
        }
      return FALSE;
    }
  return !g_cancellable_set_error_if_cancelled (lab->stop, error);
}

/* The workload in microseconds, with the threads' nice values as
 * priorities (both: lower is more important), for the simulator. */
static PtlSchedWorkload *
scale_workload (PtlSchedWorkload *workload,
                double            unit_ms,
                const Worker     *workers)
{
  PtlSchedWorkload *scaled = ptl_sched_workload_new ();
  g_autoptr(GArray) bursts = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < ptl_sched_workload_get_n_processes (workload); i++)
    {
      guint n_bursts;
      const gint64 *units = ptl_sched_workload_get_bursts (workload, i, &n_bursts);

      g_array_set_size (bursts, n_bursts);
      for (guint b = 0; b < n_bursts; b++)
        g_array_index (bursts, gint64, b) = MAX (1, llround (units[b] * unit_ms * 1000));
      ptl_sched_workload_add_process (scaled, ptl_sched_workload_get_name (workload, i),
                                      llround (ptl_sched_workload_get_arrival (workload, i) * unit_ms * 1000),
                                      workers[i].nice, (const gint64 *) (gpointer) bursts->data, n_bursts);
    }
  return scaled;
}

static gint64
cpu_units (PtlSchedWorkload *workload,
           guint             index)
{
  guint n_bursts;
  const gint64 *bursts = ptl_sched_workload_get_bursts (workload, index, &n_bursts);
  gint64 sum = 0;

  for (guint b = 0; b < n_bursts; b += 2)
    sum += bursts[b];
  return sum;
}

/* The CPUs to draw lanes for: those the threads could use, and any they
 * were seen on. */
static GArray *
list_cpus (Lab *lab)
{
  GArray *cpus = g_array_new (FALSE, FALSE, sizeof (int));
  cpu_set_t allowed;

  CPU_ZERO (&allowed);
  if (lab->pin_cpu >= 0)
    CPU_SET (lab->pin_cpu, &allowed);
  else if (sched_getaffinity (0, sizeof allowed, &allowed) != 0)
    CPU_ZERO (&allowed);
  for (guint i = 0; i < lab->n_workers; i++)
    {
      PtlSchedTrace *trace = lab->workers[i].trace;

      for (guint s = 0; s < trace->n_spans; s++)
        if (trace->spans[s].cpu >= 0 && trace->spans[s].cpu < CPU_SETSIZE)
          CPU_SET (trace->spans[s].cpu, &allowed);
    }
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET (cpu, &allowed))
      g_array_append_val (cpus, cpu);
  return cpus;
}

static double
measured_end_s (Lab *lab)
{
  gint64 end = lab->t0;

  for (guint i = 0; i < lab->n_workers; i++)
    end = MAX (end, lab->workers[i].finished_ns);
  return (end - lab->t0) / 1e9;
}

static PtlChart *
add_measured_chart (Lab              *lab,
                    PtlResult        *result,
                    PtlSchedWorkload *workload)
{
  PtlChart *chart = ptl_result_add_chart (result, "measured", PTL_CHART_TIMELINE,
                                          _("Measured: which thread ran when, and on which CPU"));
  g_autoptr(GArray) cpus = list_cpus (lab);
  guint io_key = G_MAXUINT;
  guint first_cpu_lane;
  gboolean has_io = FALSE;

  ptl_chart_set_x_axis (chart, _("Time"), "s", FALSE);
  for (guint i = 0; i < lab->n_workers; i++)
    {
      const char *name = ptl_sched_workload_get_name (workload, i);

      /* Lane i and key i are thread i. */
      ptl_chart_add_lane (chart, name);
      ptl_chart_add_key (chart, name, FALSE);
      has_io |= lab->workers[i].n_bursts > 1;
    }
  if (has_io)
    io_key = ptl_chart_add_key (chart, _("I/O"), TRUE);
  first_cpu_lane = ptl_chart_get_n_lanes (chart);
  for (guint c = 0; c < cpus->len; c++)
    {
      g_autofree char *name = g_strdup_printf (_("CPU %d"), g_array_index (cpus, int, c));

      ptl_chart_add_lane (chart, name);
    }

  for (guint i = 0; i < lab->n_workers; i++)
    {
      Worker *worker = &lab->workers[i];
      PtlSchedTrace *trace = worker->trace;

      ptl_chart_add_marker (chart, i, worker->arrival_ns / 1e9);
      for (guint s = 0; s < trace->n_spans; s++)
        {
          const PtlSchedSpan *span = &trace->spans[s];
          double start = (span->start - lab->t0) / 1e9;
          double end = (span->end - lab->t0) / 1e9;

          if (span->cpu == PTL_SCHED_TRACE_IO)
            {
              ptl_chart_add_slice (chart, i, io_key, start, end);
              continue;
            }
          ptl_chart_add_slice (chart, i, i, start, end);
          for (guint c = 0; c < cpus->len; c++)
            if (g_array_index (cpus, int, c) == span->cpu)
              ptl_chart_add_slice (chart, first_cpu_lane + c, i, start, end);
        }
    }
  return chart;
}

static void
add_table (Lab              *lab,
           PtlResult        *result,
           PtlSchedWorkload *workload,
           gboolean          kernel_waiting)
{
  PtlTable *table = ptl_result_get_summary (result);

  ptl_table_add_column_with_id (table, "thread", _("Thread"), NULL);
  ptl_table_add_column_with_id (table, "nice", _("Nice"), NULL);
  ptl_table_add_column_with_id (table, "requested-cpu", _("Requested CPU"), "s");
  ptl_table_add_column_with_id (table, "measured-cpu", _("Measured CPU"), "s");
  ptl_table_add_column_with_id (table, "waiting", _("Waiting"), "s");
  ptl_table_add_column_with_id (table, "turnaround", _("Turnaround"), "s");
  ptl_table_add_column_with_id (table, "cpu-switches", _("CPU switches"), NULL);

  for (guint i = 0; i < lab->n_workers; i++)
    {
      Worker *worker = &lab->workers[i];
      double turnaround = (worker->finished_ns - lab->t0 - worker->arrival_ns) / 1e9;
      double waiting;
      guint row = ptl_table_add_row (table);

      /* Without the kernel's count: what the thread was neither running
       * nor sleeping, by its own clocks. */
      if (kernel_waiting)
        waiting = worker->run_delay_ns / 1e9;
      else
        waiting = MAX (0, turnaround - (worker->cpu_ns + ptl_sched_trace_get_io_ns (worker->trace)) / 1e9);

      ptl_table_set_text (table, row, COLUMN_THREAD, ptl_sched_workload_get_name (workload, i));
      ptl_table_set_number (table, row, COLUMN_NICE, worker->nice);
      ptl_table_set_number (table, row, COLUMN_REQUESTED, cpu_units (workload, i) * lab->unit_ms / 1e3);
      ptl_table_set_number (table, row, COLUMN_MEASURED, worker->cpu_ns / 1e9);
      ptl_table_set_number (table, row, COLUMN_WAITING, waiting);
      ptl_table_set_number (table, row, COLUMN_TURNAROUND, turnaround);
      ptl_table_set_number (table, row, COLUMN_SWITCHES, worker->trace->migrations);
    }
}

static void
add_turnaround_chart (Lab                   *lab,
                      PtlResult             *result,
                      PtlSchedWorkload      *workload,
                      const PtlSchedOutcome *prediction)
{
  g_autofree const char **names = g_new0 (const char *, lab->n_workers + 1);
  PtlChart *chart;
  PtlSeries *measured, *predicted;

  for (guint i = 0; i < lab->n_workers; i++)
    names[i] = ptl_sched_workload_get_name (workload, i);

  chart = ptl_result_add_chart (result, "turnaround", PTL_CHART_BAR, _("Turnaround per thread: measured and predicted"));
  ptl_chart_set_x_axis (chart, _("Thread"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Turnaround"), "s", FALSE);
  ptl_chart_set_categories (chart, names);
  measured = ptl_chart_add_series_with_id (chart, "measured", _("Measured"));
  predicted = ptl_chart_add_series_with_id (chart, "predicted", _("Predicted"));
  for (guint i = 0; i < lab->n_workers; i++)
    {
      Worker *worker = &lab->workers[i];

      ptl_series_add_point (measured, i, (worker->finished_ns - lab->t0 - worker->arrival_ns) / 1e9);
      ptl_series_add_point (predicted, i, prediction->processes[i].turnaround / 1e6);
    }
}

static void
add_notes (PtlSchedRealExperiment *self,
           Lab                    *lab,
           PtlResult              *result,
           PtlSchedWorkload       *scaled,
           gboolean                kernel_waiting)
{
  /* The scaled workload in microseconds, whose priorities are the nice values. */
  g_autofree char *description = _ptl_sched_workload_describe (scaled, 1e-6);
  gboolean overflowed = FALSE;

  ptl_result_add_note (result, _("Each process of the workload is a thread, its priority its nice value: %s."),
                       description);
  if (lab->pin_cpu >= 0)
    ptl_result_add_note (result, _("All threads were pinned to CPU %d, so they had to share it, as the "
                                   "simulator's single CPU does."), lab->pin_cpu);
  else
    ptl_result_add_note (result, _("The threads could run on any of the CPUs this program may use; the "
                                   "prediction is for one CPU, so with more cores the measured schedule is "
                                   "shorter."));
  ptl_result_add_note (result, _("Policy %s; thread i ran at this program's own nice (%d) plus i × %u, at "
                                 "most 19. The prediction runs %s with a %g ms quantum and the nice values as "
                                 "priorities."),
                       policy_names[self->policy], lab->workers[0].nice, self->nice_step,
                       ptl_sched_algorithm_get_title (self->model), self->model_quantum_ms);
  ptl_result_add_note (result, _("One unit of CPU burst is %.3g million steps of arithmetic, calibrated at "
                                 "the start to take %g ms on one core; a unit of I/O is a %g ms sleep."),
                       lab->iterations_per_ms * self->time_unit_ms / 1e6, self->time_unit_ms,
                       self->time_unit_ms);
  ptl_result_add_note (result, _("Each thread read the clock and its CPU every ~%.0f µs of work; a jump of "
                                 "more than %.0f µs counts as being off the CPU, so shorter interruptions "
                                 "count as running."),
                       NOTE_EVERY_NS / 1000, GAP_NS / 1000.0);
  if (kernel_waiting)
    ptl_result_add_note (result, _("Waiting is the kernel's own count of the time each thread was runnable "
                                   "but not running (/proc/thread-self/schedstat)."));
  else
    ptl_result_add_note (result, _("The kernel does not report per-thread run delays here (no schedstat), so "
                                   "waiting is turnaround minus CPU time minus sleeping, by the threads' "
                                   "own clocks."));
  ptl_run_warn_if_virtual (lab->run);
  if (is_real_time (self->policy) && lab->pin_cpu < 0)
    ptl_result_add_note (result, _("Real-time threads on every core can starve the rest of the system; the "
                                   "kernel's real-time throttling leaves it 5 %% of each second."));
  for (guint i = 0; i < lab->n_workers; i++)
    overflowed |= lab->workers[i].trace->overflowed;
  if (overflowed)
    ptl_result_add_note (result, _("A thread was preempted more than %u times: later pauses are missing "
                                   "from its timeline."),
                         (guint) SPANS_PER_THREAD);
}

static gboolean
validate_workload (PtlSchedRealExperiment  *self,
                   PtlSchedWorkload       **workload_out,
                   GError                 **error)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  double cpu_s = 0, span_s = 0;
  guint n;

  workload = _ptl_sched_workload_resolve (self->workload, self->processes, self->seed, error);
  if (workload == NULL)
    return FALSE;

  n = ptl_sched_workload_get_n_processes (workload);
  if (n > MAX_THREADS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("The workload has %u processes; the real run plays each with a thread and takes at most %u"),
                   n, MAX_THREADS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      guint n_bursts;
      const gint64 *bursts = ptl_sched_workload_get_bursts (workload, i, &n_bursts);
      double end = ptl_sched_workload_get_arrival (workload, i);

      for (guint b = 0; b < n_bursts; b++)
        end += bursts[b];
      cpu_s += cpu_units (workload, i) * self->time_unit_ms / 1000;
      span_s = MAX (span_s, end * self->time_unit_ms / 1000);
    }
  if (cpu_s > MAX_CPU_S || span_s > MAX_SPAN_S)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("At %g ms per unit the workload needs %.1f s of CPU time and lasts at least %.1f s; "
                     "the real run allows at most %.0f s and %.0f s: lower time-unit-ms"),
                   self->time_unit_ms, cpu_s, span_s, MAX_CPU_S, MAX_SPAN_S);
      return FALSE;
    }

  if (workload_out != NULL)
    *workload_out = g_steal_pointer (&workload);
  return TRUE;
}

static gboolean
ptl_sched_real_experiment_validate (PtlExperiment  *experiment,
                                    GError        **error)
{
  return validate_workload (PTL_SCHED_REAL_EXPERIMENT (experiment), NULL, error);
}

static gboolean
ptl_sched_real_experiment_run (PtlExperiment  *experiment,
                               PtlRun         *run,
                               GError        **error)
{
  PtlSchedRealExperiment *self = PTL_SCHED_REAL_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(PtlSchedWorkload) scaled = NULL;
  g_autoptr(PtlSchedOutcome) prediction = NULL;
  g_autoptr(Lab) lab = NULL;
  g_autofree char *prediction_title = NULL;
  PtlChart *measured_chart, *prediction_chart;
  PtlSchedConfig config;
  gint64 wall_before;
  gboolean kernel_waiting = TRUE;
  double predicted_end_s, measured_s;
  int base_nice;
  guint n;

  if (!validate_workload (self, &workload, error))
    return FALSE;
  n = ptl_sched_workload_get_n_processes (workload);

  lab = lab_new (run, n);
  lab->policy = self->policy;
  lab->unit_ms = self->time_unit_ms;
  lab->pin_cpu = -1;
  if (self->affinity == PTL_SCHED_REAL_ONE_CORE)
    {
      cpu_set_t allowed;

      /* The first CPU this program may use: CPU 0 unless a cpuset says otherwise. */
      lab->pin_cpu = 0;
      if (sched_getaffinity (0, sizeof allowed, &allowed) == 0)
        while (lab->pin_cpu < CPU_SETSIZE - 1 && !CPU_ISSET (lab->pin_cpu, &allowed))
          lab->pin_cpu++;
    }

  /* Nice values only go up from this program's own, which needs no
   * privilege. getpriority () may return -1 legitimately. */
  errno = 0;
  base_nice = getpriority (PRIO_PROCESS, 0);
  if (errno != 0)
    base_nice = 0;
  for (guint i = 0; i < n; i++)
    {
      Worker *worker = &lab->workers[i];

      worker->lab = lab;
      worker->bursts = ptl_sched_workload_get_bursts (workload, i, &worker->n_bursts);
      worker->arrival_ns = llround (ptl_sched_workload_get_arrival (workload, i) * self->time_unit_ms * NS_PER_MS);
      worker->nice = MIN (19, base_nice + (int) (i * self->nice_step));
      worker->run_delay_ns = -1;
      worker->trace = ptl_sched_trace_new (SPANS_PER_THREAD + worker->n_bursts, GAP_NS);
    }

  ptl_run_progress (run, 0, _("Calibrating the arithmetic"));
  if (!calibrate (lab, error))
    return FALSE;

  ptl_run_progress (run, 0, ngettext ("Running %u thread", "Running %u threads", n), n);
  wall_before = ptl_clock_now_ns ();
  if (!play (lab, error))
    return FALSE;
  measured_s = (ptl_clock_now_ns () - wall_before) / 1e9;

  /* The simulator, in microseconds, for the same workload. */
  scaled = scale_workload (workload, self->time_unit_ms, lab->workers);
  ptl_sched_config_init (&config, self->model);
  config.quantum = MAX (1, llround (self->model_quantum_ms * 1000));
  for (guint l = 0; l + 1 < config.mlfq_levels; l++)
    config.mlfq_quanta[l] = config.quantum << l;
  prediction = ptl_sched_simulate (scaled, &config, error);
  if (prediction == NULL)
    return FALSE;
  predicted_end_s = (prediction->totals.start + prediction->totals.makespan) / 1e6;

  for (guint i = 0; i < n; i++)
    kernel_waiting &= lab->workers[i].run_delay_ns >= 0;

  measured_chart = add_measured_chart (lab, result, workload);
  prediction_title = g_strdup_printf (_("Predicted by the simulator: %s, %g ms quantum"),
                                      ptl_sched_algorithm_get_title (self->model), self->model_quantum_ms);
  prediction_chart = _ptl_sched_add_outcome_chart (result, "prediction", prediction_title, scaled, prediction,
                                                   FALSE, 1e-6, 0);
  /* Each chart marks where the other ends, which also gives both the
   * same time range. */
  ptl_chart_add_reference (measured_chart, PTL_REFERENCE_VERTICAL, predicted_end_s, _("Predicted end"));
  ptl_chart_add_reference (prediction_chart, PTL_REFERENCE_VERTICAL, measured_end_s (lab), _("Measured end"));
  add_turnaround_chart (lab, result, workload, prediction);
  add_table (lab, result, workload, kernel_waiting);
  add_notes (self, lab, result, scaled, kernel_waiting);

  ptl_run_progress (run, 1, ngettext ("%u thread finished in %.2f s", "%u threads finished in %.2f s", n),
                    n, measured_s);
  return TRUE;
}

static void
ptl_sched_real_experiment_finalize (GObject *object)
{
  PtlSchedRealExperiment *self = PTL_SCHED_REAL_EXPERIMENT (object);

  g_clear_pointer (&self->workload, g_free);

  G_OBJECT_CLASS (ptl_sched_real_experiment_parent_class)->finalize (object);
}

/* A thread per process of the workload (a generated one; a file's count
 * is checked when it loads). */
static guint
ptl_sched_real_experiment_count_tasks (PtlExperiment *experiment)
{
  return PTL_SCHED_REAL_EXPERIMENT (experiment)->processes;
}

static void
ptl_sched_real_experiment_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  PtlSchedRealExperiment *self = PTL_SCHED_REAL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      g_value_set_string (value, self->workload);
      break;
    case PROP_PROCESSES:
      g_value_set_uint (value, self->processes);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_TIME_UNIT_MS:
      g_value_set_double (value, self->time_unit_ms);
      break;
    case PROP_NICE_STEP:
      g_value_set_uint (value, self->nice_step);
      break;
    case PROP_AFFINITY:
      g_value_set_enum (value, self->affinity);
      break;
    case PROP_POLICY:
      g_value_set_enum (value, self->policy);
      break;
    case PROP_MODEL:
      g_value_set_enum (value, self->model);
      break;
    case PROP_MODEL_QUANTUM_MS:
      g_value_set_double (value, self->model_quantum_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_sched_real_experiment_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  PtlSchedRealExperiment *self = PTL_SCHED_REAL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKLOAD:
      ptl_param_store_string (object, &self->workload, value, pspec);
      break;
    case PROP_PROCESSES:
      ptl_param_store_uint (object, &self->processes, value, pspec);
      break;
    case PROP_SEED:
      ptl_param_store_uint (object, &self->seed, value, pspec);
      break;
    case PROP_TIME_UNIT_MS:
      ptl_param_store_double (object, &self->time_unit_ms, value, pspec);
      break;
    case PROP_NICE_STEP:
      ptl_param_store_uint (object, &self->nice_step, value, pspec);
      break;
    case PROP_AFFINITY:
      ptl_param_store_enum (object, (int *) &self->affinity, value, pspec);
      break;
    case PROP_POLICY:
      ptl_param_store_enum (object, (int *) &self->policy, value, pspec);
      break;
    case PROP_MODEL:
      ptl_param_store_enum (object, (int *) &self->model, value, pspec);
      break;
    case PROP_MODEL_QUANTUM_MS:
      ptl_param_store_double (object, &self->model_quantum_ms, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_sched_real_experiment_class_init (PtlSchedRealExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "measured", N_("Measured: which thread ran when, and on which CPU") },
    { "prediction", N_("Predicted by the simulator") },
    { "turnaround", N_("Turnaround per thread: measured and predicted") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ptl_sched_real_experiment_finalize;
  object_class->get_property = ptl_sched_real_experiment_get_property;
  object_class->set_property = ptl_sched_real_experiment_set_property;

  experiment_class->id = "sched-real";
  experiment_class->title = N_("The real scheduler");
  experiment_class->category = N_("Scheduling");
  experiment_class->summary =
    N_("A small workload played by real threads under the Linux scheduler, with nice values, "
       "one core or all, and any scheduling policy: who ran when and on which CPU, as the "
       "threads recorded it, beside the simulator's prediction for the same workload.");
  experiment_class->explanation =
    N_("The experiment “CPU scheduling” simulates textbook algorithms; this one asks the real "
       "scheduler. Each process of the workload becomes a thread: a CPU burst is arithmetic, "
       "calibrated so one time unit takes time-unit-ms on one core, and an I/O burst is a sleep. "
       "The measured timeline has a lane per thread (when it computed, when it slept) and a lane "
       "per CPU (which thread ran there); next to it is the simulator's prediction for the same "
       "workload on one CPU.\n\n"
       "Linux's normal policy (other, SCHED_OTHER) is neither FCFS nor round robin. The fair "
       "scheduler (CFS until Linux 6.6, EEVDF since) approximates an ideal processor shared by "
       "every runnable thread at once, in proportion to weights: it runs the thread that has "
       "received the least of its fair share (EEVDF: the eligible one with the earliest virtual "
       "deadline) for a slice of a few milliseconds, in practice until the next timer tick. For "
       "threads of equal nice on one core that looks like round robin with a quantum of a few "
       "milliseconds, which is why the default model is rr with a 4 ms quantum (one tick at "
       "250 Hz). A thread that wakes from a sleep has used little CPU, so it runs soon: "
       "interactive threads get good response without any priority.\n\n"
       "Nice. Each nice step changes a thread's weight by about 1.25×: at nice 0 against nice 5 "
       "the first gets about three quarters of a shared core. nice-step gives thread i the nice "
       "value i × step; like the textbooks' priorities, a lower number means more important, and "
       "the prediction uses the nice values as priorities. Raising a nice value needs no "
       "privilege; lowering it does.\n\n"
       "Policies. batch (SCHED_BATCH) is fair too but never preempts on a wake-up, for "
       "throughput jobs; idle (SCHED_IDLE) runs only when nothing else wants the CPU. fifo and rr "
       "are the real-time policies: a real-time thread always beats every normal one; under "
       "fifo it runs until it blocks or ends, so on one core fifo is FCFS; rr adds a time slice "
       "(100 ms by default). They need the CAP_SYS_NICE capability (root) or a real-time "
       "priority limit (ulimit -r); the run says so if they are refused.\n\n"
       "Affinity. With one-core every thread is pinned to one CPU and they must take turns, "
       "like the simulator's single CPU. With all-cores the kernel spreads them over the cores "
       "and moves them when the load is uneven: the cpu switches column counts how often each "
       "thread changed CPU.\n\n"
       "How it is measured: each thread notes the time and its CPU every few microseconds of "
       "work, into memory prepared beforehand; when its clock jumps by more than 50 µs it was "
       "off the CPU. CPU time is the thread's own CPU clock; waiting is the kernel's count of "
       "the time the thread was runnable but not running. On a virtual machine a pause may also "
       "be the hypervisor running something else, and other programs compete for the CPU too: "
       "the notes say when they did.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "measured-cpu", PTL_HEADLINE_RANGE);
  experiment_class->table_input = &ptl_sched_table_spec;

  experiment_class->validate = ptl_sched_real_experiment_validate;
  experiment_class->run = ptl_sched_real_experiment_run;
  experiment_class->count_tasks = ptl_sched_real_experiment_count_tasks;

  properties[PROP_WORKLOAD] =
    g_param_spec_string ("workload", N_("Workload"),
                         N_("A generator (cpu-bound, io-bound, mixed, convoy, many-short) or the path of "
                            "a CSV or JSON workload file, at most 8 processes; each becomes a thread. "
                            "A lower priority number means a higher priority, but here nice-step sets "
                            "the threads' priorities"),
                         DEFAULT_WORKLOAD, flags);
  properties[PROP_PROCESSES] =
    g_param_spec_uint ("processes", N_("Processes"),
                       N_("How many processes (threads) the generator makes (a workload file has its own)"),
                       1, MAX_THREADS, 5, flags);
  ptl_param_set_unit (properties[PROP_PROCESSES], N_("threads"));
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", N_("Seed"),
                       N_("The generator's random seed: the same seed always gives the same workload"),
                       0, G_MAXUINT32, 1, flags);
  properties[PROP_TIME_UNIT_MS] =
    g_param_spec_double ("time-unit-ms", N_("Time unit"),
                         N_("How long one time unit of the workload lasts: CPU work calibrated to take "
                            "this long on one core, or a sleep this long"),
                         0.1, 1000, 10, flags);
  ptl_param_set_unit (properties[PROP_TIME_UNIT_MS], "ms");
  properties[PROP_NICE_STEP] =
    g_param_spec_uint ("nice-step", N_("Nice step"),
                       N_("Thread i (from 0) runs at nice i × this, above this program's own nice "
                          "(at most 19): a higher nice value gets a smaller share of the CPU"),
                       0, 19, 0, flags);
  properties[PROP_AFFINITY] =
    g_param_spec_enum ("affinity", N_("Affinity"),
                       N_("one-core pins every thread to one CPU so they must share it; all-cores lets "
                          "the kernel place them"),
                       PTL_TYPE_SCHED_REAL_AFFINITY, PTL_SCHED_REAL_ONE_CORE, flags);
  properties[PROP_POLICY] =
    g_param_spec_enum ("policy", N_("Policy"),
                       N_("The Linux scheduling policy of the threads; fifo and rr are real time and "
                          "need CAP_SYS_NICE (root) or an rtprio limit"),
                       PTL_TYPE_SCHED_REAL_POLICY, PTL_SCHED_REAL_OTHER, flags);
  properties[PROP_MODEL] =
    g_param_spec_enum ("model", N_("Model"),
                       N_("The algorithm the simulator predicts with, on one CPU"),
                       PTL_TYPE_SCHED_ALGORITHM, PTL_SCHED_RR, flags);
  ptl_param_set_choice_labels (properties[PROP_MODEL], ptl_sched_algorithm_list_titles ());
  properties[PROP_MODEL_QUANTUM_MS] =
    g_param_spec_double ("model-quantum-ms", N_("Model quantum"),
                         N_("The model's time slice (rr, and the top MLFQ queue); Linux's fair scheduler "
                            "slices at about one timer tick, 4 ms at 250 Hz"),
                         0.01, 1000, 4, flags);
  ptl_param_set_unit (properties[PROP_MODEL_QUANTUM_MS], "ms");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_sched_real_experiment_init (PtlSchedRealExperiment *self)
{
  self->workload = g_strdup (DEFAULT_WORKLOAD);
  self->processes = 5;
  self->seed = 1;
  self->time_unit_ms = 10;
  self->nice_step = 0;
  self->affinity = PTL_SCHED_REAL_ONE_CORE;
  self->policy = PTL_SCHED_REAL_OTHER;
  self->model = PTL_SCHED_RR;
  self->model_quantum_ms = 4;
}

/* Public API */

void
ptl_sched_real_set_step_error (GError             **error,
                               PtlSchedRealStep     step,
                               PtlSchedRealPolicy   policy,
                               int                  value,
                               int                  errsv)
{
  gboolean refused = errsv == EPERM || errsv == EACCES;
  int code = refused ? PTL_ERROR_NOT_PERMITTED : PTL_ERROR_FAILED;

  g_return_if_fail ((guint) policy < G_N_ELEMENTS (policy_names));

  switch (step)
    {
    case PTL_SCHED_REAL_STEP_AFFINITY:
      g_set_error (error, PTL_ERROR, code, _("Could not pin the threads to CPU %d: %s"),
                   value, g_strerror (errsv));
      break;
    case PTL_SCHED_REAL_STEP_POLICY:
      if (refused && is_real_time (policy))
        g_set_error (error, PTL_ERROR, code,
                     _("The real-time policy %s was refused (%s): it needs the CAP_SYS_NICE capability "
                       "(run as root, or grant it with setcap cap_sys_nice+ep) or a real-time priority "
                       "limit of at least 1 (ulimit -r, the rtprio item of /etc/security/limits.conf)"),
                     policy_names[policy], g_strerror (errsv));
      else
        g_set_error (error, PTL_ERROR, code, _("Could not set the scheduling policy %s: %s"),
                     policy_names[policy], g_strerror (errsv));
      break;
    case PTL_SCHED_REAL_STEP_NICE:
      if (refused)
        g_set_error (error, PTL_ERROR, code,
                     _("Could not set nice %d on a thread (%s): lowering a nice value needs the "
                       "CAP_SYS_NICE capability (root) or an RLIMIT_NICE limit"),
                     value, g_strerror (errsv));
      else
        g_set_error (error, PTL_ERROR, code, _("Could not set nice %d on a thread: %s"),
                     value, g_strerror (errsv));
      break;
    default:
      g_return_if_reached ();
    }
}

GType
ptl_sched_real_affinity_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_SCHED_REAL_ALL_CORES, "PTL_SCHED_REAL_ALL_CORES", "all-cores" },
    { PTL_SCHED_REAL_ONE_CORE, "PTL_SCHED_REAL_ONE_CORE", "one-core" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlSchedRealAffinity", values);
}

GType
ptl_sched_real_policy_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_SCHED_REAL_OTHER, "PTL_SCHED_REAL_OTHER", "other" },
    { PTL_SCHED_REAL_BATCH, "PTL_SCHED_REAL_BATCH", "batch" },
    { PTL_SCHED_REAL_IDLE, "PTL_SCHED_REAL_IDLE", "idle" },
    { PTL_SCHED_REAL_FIFO, "PTL_SCHED_REAL_FIFO", "fifo" },
    { PTL_SCHED_REAL_RR, "PTL_SCHED_REAL_RR", "rr" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlSchedRealPolicy", values);
}
