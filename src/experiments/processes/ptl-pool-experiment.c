/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-pool-experiment"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ptl-kernel.h"
#include "ptl-kernel-calibrate.h"
#include "ptl-pool-experiment.h"
#include "ptl-spawn-util.h"

/* "Pool vs spawn-per-task": short tasks run four ways, over task sizes.
 *
 * Timing method. A task is arithmetic (the lab's kernel, calibrated at
 * the start to take task-us on one core). Every strategy keeps at most
 * `workers` tasks in flight: a new task is handed out as soon as one
 * finishes. A task's latency runs from just before it is handed out
 * (the spawn, the write to a pool worker's pipe, the thread creation,
 * the push onto the pool's queue) to just after its result is back in
 * the coordinating thread (the child reaped, the answer read, the thread
 * joined, the completion popped); throughput is tasks over the wall time
 * of the whole batch. Every answer carries the kernel's checksum, which
 * must match the lab's. Both pools are started once, before any timing,
 * and their start-up cost is reported apart. Task sizes take turns:
 * at each size every strategy runs, after a few untimed tasks. CPU time
 * is this process's and its children's getrusage () plus what the pool
 * workers report about themselves. */

struct _PtlPoolExperiment
{
  PtlExperiment parent_instance;

  /* parameters */
  guint         task_us;
  guint         tasks;
  guint         workers;
  gboolean      sweep;
};

enum {
  PROP_0,
  PROP_TASK_US,
  PROP_TASKS,
  PROP_WORKERS,
  PROP_SWEEP,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlPoolExperiment, ptl_pool_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

typedef enum
{
  STRATEGY_PROCESS_PER_TASK,
  STRATEGY_PROCESS_POOL,
  STRATEGY_THREAD_PER_TASK,
  STRATEGY_THREAD_POOL,
  N_STRATEGIES
} Strategy;

/* Identifiers, like the parameter names: not translated. */
static const char * const strategy_names[N_STRATEGIES + 1] = {
  "process-per-task", "process-pool", "thread-per-task", "thread-pool", NULL,
};

/* What charts and the table show for each. */
static const char * const strategy_labels[N_STRATEGIES] = {
  N_("Process per task"), N_("Process pool"), N_("Thread per task"), N_("Thread pool"),
};

/* The sweep's task sizes, 10 µs to 10 ms in 1-3-10 steps. */
static const guint sweep_us[] = { 10, 30, 100, 300, 1000, 3000, 10000 };

#define POOL_SEED            G_GUINT64_CONSTANT (0x9001)
#define BUDGET_US            100000 /* arithmetic per point and strategy */
#define MIN_TASKS            20
#define CALIBRATION_TRIALS   20
#define CALIBRATION_TRIAL_NS G_GINT64_CONSTANT (1000000)
#define POLL_INTERVAL_MS     100

typedef struct _Lab Lab;

/* One task in flight, or a process-pool worker. */
typedef struct
{
  Lab          *lab;
  gboolean      busy;
  gint64        start_ns;
  /* process strategies */
  PtlSpawnChild child;
  GString      *output;
  gint64        cpu_ns;   /* process pool: the worker's CPU time at its last answer */
  /* thread strategies */
  GThread      *thread;
  guint64       checksum;
} Slot;

struct _Lab
{
  /* borrowed */
  PtlRun       *run;
  GCancellable *cancellable;

  /* owned */
  char         *helper;
  gulong        cancelled_id;
  int           stop;        /* set from the cancellable: tasks end early */
  guint         n_workers;
  Slot         *slots;       /* tasks in flight of the other strategies */
  Slot         *pool;        /* process-pool workers, alive for the whole run */
  GThreadPool  *thread_pool;
  GAsyncQueue  *done;        /* Slot *: thread tasks that have finished */
  sigset_t      saved_mask;

  /* the task size being measured; changed only with nothing in flight */
  guint64       iterations;
  guint64       expected;
  guint64       calibration_state; /* kept so the calibration's work is not optimised away */
};

typedef struct
{
  GArray *latencies; /* double, seconds */
  gint64  wall_ns;
  gint64  cpu_ns;
} Batch;

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  Lab *lab = user_data;

  g_atomic_int_set (&lab->stop, 1);
}

static void
slots_init (Slot  *slots,
            guint  n,
            Lab   *lab)
{
  for (guint i = 0; i < n; i++)
    {
      slots[i] = (Slot) { lab, FALSE, 0, PTL_SPAWN_CHILD_INIT, g_string_new (NULL), 0, NULL, 0 };
    }
}

/* Kills what still runs, then frees. Thread tasks are gone by now: every
 * strategy waits for its threads before it returns. */
static void
slots_free (Slot  *slots,
            guint  n)
{
  for (guint i = 0; i < n; i++)
    {
      ptl_spawn_child_kill (&slots[i].child);
      g_string_free (slots[i].output, TRUE);
    }
  g_free (slots);
}

static void
lab_free (Lab *lab)
{
  sigset_t pipe_signal;
  struct timespec zero = { 0, 0 };

  /* GThreadPool joins nothing, but waits for the tasks it was given. */
  if (lab->thread_pool != NULL)
    g_thread_pool_free (lab->thread_pool, FALSE, TRUE);
  slots_free (lab->slots, lab->n_workers);
  slots_free (lab->pool, lab->n_workers);
  g_async_queue_unref (lab->done);
  g_cancellable_disconnect (lab->cancellable, lab->cancelled_id);
  g_free (lab->helper);

  /* A write to a dead worker left a SIGPIPE pending on this thread:
   * take it before the signal is unblocked again. */
  sigemptyset (&pipe_signal);
  sigaddset (&pipe_signal, SIGPIPE);
  while (sigtimedwait (&pipe_signal, NULL, &zero) == SIGPIPE)
    ;
  pthread_sigmask (SIG_SETMASK, &lab->saved_mask, NULL);
  g_free (lab);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lab, lab_free)

static Lab *
lab_new (PtlRun   *run,
         guint     n_workers,
         GError  **error)
{
  g_autofree char *helper = ptl_machine_find_helper (error);
  sigset_t pipe_signal;
  Lab *lab;

  if (helper == NULL)
    return NULL;

  lab = g_new0 (Lab, 1);
  lab->run = run;
  lab->cancellable = ptl_run_get_cancellable (run);
  lab->helper = g_steal_pointer (&helper);
  lab->n_workers = n_workers;
  lab->slots = g_new0 (Slot, n_workers);
  lab->pool = g_new0 (Slot, n_workers);
  slots_init (lab->slots, n_workers, lab);
  slots_init (lab->pool, n_workers, lab);
  lab->done = g_async_queue_new ();
  lab->cancelled_id = g_cancellable_connect (lab->cancellable, G_CALLBACK (run_cancelled_cb), lab, NULL);

  /* Writing to a pool worker that died must fail with EPIPE, not kill
   * the lab (the CLI does not ignore SIGPIPE). */
  sigemptyset (&pipe_signal);
  sigaddset (&pipe_signal, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_signal, &lab->saved_mask);
  return lab;
}

/* The arithmetic of one task in a lab thread, stopping early when the
 * run is cancelled. */
static guint64
compute (Lab *lab)
{
  guint64 state = POOL_SEED;
  guint64 done = 0;

  while (done < lab->iterations)
    {
      guint64 n = MIN (PTL_KERNEL_BLOCK, lab->iterations - done);

      state = ptl_kernel_run (state, n);
      done += n;
      if (g_atomic_int_get (&lab->stop))
        break;
    }
  return state;
}

static gboolean
check_checksum (Lab      *lab,
                guint64   checksum,
                guint64   expected,
                GError  **error)
{
  if (checksum == expected)
    return TRUE;
  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
               _("A task computed a different result than the lab; is %s from another version of ptlab?"),
               lab->helper);
  return FALSE;
}

static void
add_latency (GArray *latencies,
             gint64  start_ns)
{
  double seconds = (ptl_clock_now_ns () - start_ns) / 1e9;

  g_array_append_val (latencies, seconds);
}

/* Reads what is ready on @slot's stdout: 1 at end of file, 0 when more
 * is to come, -1 with an error. */
static int
read_slot (Slot    *slot,
           GError **error)
{
  char buffer[256];
  gssize n;

  do
    n = read (slot->child.out_fd, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not read from a helper process: %s"), g_strerror (saved));
      return -1;
    }
  g_string_append_len (slot->output, buffer, n);
  return n == 0 ? 1 : 0;
}

/* Waits up to POLL_INTERVAL_MS for output from the busy slots' children
 * (or the cancellable); returns the number of descriptors in @pfds and
 * fills @owners with the slot of each. */
static gboolean
poll_slots (Lab            *lab,
            Slot           *slots,
            struct pollfd  *pfds,
            Slot          **owners,
            guint          *n_polled,
            GError        **error)
{
  GPollFD cancel_fd = { -1, G_IO_IN, 0 };
  gboolean have_cancel_fd;
  guint n = 0;
  int ready;

  for (guint i = 0; i < lab->n_workers; i++)
    if (slots[i].busy)
      {
        pfds[n] = (struct pollfd) { slots[i].child.out_fd, POLLIN, 0 };
        owners[n++] = &slots[i];
      }
  have_cancel_fd = g_cancellable_make_pollfd (lab->cancellable, &cancel_fd);
  if (have_cancel_fd)
    pfds[n] = (struct pollfd) { cancel_fd.fd, POLLIN, 0 };

  ready = poll (pfds, n + (have_cancel_fd ? 1 : 0), POLL_INTERVAL_MS);
  if (have_cancel_fd)
    g_cancellable_release_fd (lab->cancellable);
  *n_polled = n;

  if (ready < 0 && errno != EINTR)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not wait for helper processes: %s"), g_strerror (saved));
      return FALSE;
    }
  if (ready <= 0)
    *n_polled = 0;
  return !g_cancellable_set_error_if_cancelled (lab->cancellable, error);
}

/* process-per-task: `ptlab-helper work ITERATIONS 0 SEED` for every task. */

static gboolean
finish_work_child (Lab     *lab,
                   Slot    *slot,
                   GArray  *latencies,
                   GError **error)
{
  const char *line;
  guint64 checksum;

  slot->busy = FALSE;
  if (!ptl_spawn_child_finish (&slot->child, lab->helper, error))
    return FALSE;
  add_latency (latencies, slot->start_ns);

  line = strstr (slot->output->str, "checksum=");
  if (line == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("The helper program %s did not report what it computed; is it from another version of ptlab?"),
                   lab->helper);
      return FALSE;
    }
  checksum = g_ascii_strtoull (line + strlen ("checksum="), NULL, 10);
  return check_checksum (lab, checksum, lab->expected, error);
}

static gboolean
run_process_per_task (Lab     *lab,
                      guint    n_tasks,
                      GArray  *latencies,
                      GError **error)
{
  g_autofree char *iterations = g_strdup_printf ("%" G_GUINT64_FORMAT, lab->iterations);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, POOL_SEED);
  const char *argv[] = { lab->helper, "work", iterations, "0", seed, NULL };
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, lab->n_workers + 1);
  g_autofree Slot **owners = g_new0 (Slot *, lab->n_workers);
  guint started = 0, finished = 0;
  gboolean ok = TRUE;

  while (ok && finished < n_tasks)
    {
      guint n_polled;

      for (guint i = 0; ok && i < lab->n_workers && started < n_tasks; i++)
        if (!lab->slots[i].busy)
          {
            Slot *slot = &lab->slots[i];

            g_string_truncate (slot->output, 0);
            slot->start_ns = ptl_clock_now_ns ();
            ok = ptl_spawn_child_start (argv, FALSE, &slot->child, error);
            slot->busy = ok;
            started += ok;
          }
      if (!ok || !poll_slots (lab, lab->slots, pfds, owners, &n_polled, error))
        {
          ok = FALSE;
          break;
        }

      for (guint i = 0; ok && i < n_polled; i++)
        {
          int state;

          if (pfds[i].revents == 0)
            continue;
          state = read_slot (owners[i], error);
          if (state < 0)
            ok = FALSE;
          else if (state > 0)
            {
              ok = finish_work_child (lab, owners[i], latencies, error);
              finished++;
            }
        }
    }

  if (!ok)
    for (guint i = 0; i < lab->n_workers; i++)
      {
        ptl_spawn_child_kill (&lab->slots[i].child);
        lab->slots[i].busy = FALSE;
      }
  return ok;
}

/* process-pool: long-lived `ptlab-helper serve` workers fed over pipes. */

static gboolean
send_task (Lab      *lab,
           Slot     *worker,
           guint64   iterations,
           GError  **error)
{
  char line[64];
  gsize length = g_snprintf (line, sizeof line, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                             iterations, POOL_SEED);
  gssize n;

  do
    n = write (worker->child.in_fd, line, length);
  while (n < 0 && errno == EINTR);
  /* A line this short goes into an empty pipe at once and whole. */
  if (n == (gssize) length)
    {
      worker->busy = TRUE;
      return TRUE;
    }
  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
               _("Could not hand a task to a pool worker (%s serve): %s"), lab->helper,
               n < 0 ? g_strerror (errno) : _("short write"));
  return FALSE;
}

/* A worker's answer is complete: "CHECKSUM CPU_NS\n". FALSE in @complete
 * while only part of it has arrived. */
static gboolean
take_answer (Lab       *lab,
             Slot      *worker,
             gboolean  *complete,
             guint64   *checksum,
             GError   **error)
{
  char *newline = strchr (worker->output->str, '\n');
  char *end;

  *complete = newline != NULL;
  if (newline == NULL)
    return TRUE;

  *checksum = g_ascii_strtoull (worker->output->str, &end, 10);
  if (end == worker->output->str || *end != ' ')
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("A pool worker (%s serve) answered something the lab cannot read; "
                     "is it from another version of ptlab?"), lab->helper);
      return FALSE;
    }
  worker->cpu_ns = g_ascii_strtoll (end + 1, NULL, 10);
  g_string_erase (worker->output, 0, newline + 1 - worker->output->str);
  worker->busy = FALSE;
  return TRUE;
}

/* Feeds @n_tasks of @iterations to the pool workers, at most one each at
 * a time. */
static gboolean
run_process_pool_tasks (Lab      *lab,
                        guint     n_tasks,
                        guint64   iterations,
                        guint64   expected,
                        GArray   *latencies,
                        GError  **error)
{
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, lab->n_workers + 1);
  g_autofree Slot **owners = g_new0 (Slot *, lab->n_workers);
  guint started = 0, finished = 0;

  while (finished < n_tasks)
    {
      guint n_polled;

      for (guint i = 0; i < lab->n_workers && started < n_tasks; i++)
        if (!lab->pool[i].busy)
          {
            lab->pool[i].start_ns = ptl_clock_now_ns ();
            if (!send_task (lab, &lab->pool[i], iterations, error))
              return FALSE;
            started++;
          }
      if (!poll_slots (lab, lab->pool, pfds, owners, &n_polled, error))
        return FALSE;

      for (guint i = 0; i < n_polled; i++)
        {
          gboolean complete;
          guint64 checksum;
          int state;

          if (pfds[i].revents == 0)
            continue;
          state = read_slot (owners[i], error);
          if (state < 0)
            return FALSE;
          if (!take_answer (lab, owners[i], &complete, &checksum, error))
            return FALSE;
          if (complete)
            {
              if (latencies != NULL)
                add_latency (latencies, owners[i]->start_ns);
              if (!check_checksum (lab, checksum, expected, error))
                return FALSE;
              finished++;
            }
          else if (state > 0)
            {
              g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                           _("A pool worker (%s serve) exited in the middle of a task"), lab->helper);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static gint64
pool_cpu_ns (Lab *lab)
{
  gint64 total = 0;

  for (guint i = 0; i < lab->n_workers; i++)
    total += lab->pool[i].cpu_ns;
  return total;
}

/* Starts every worker and has each answer an empty task, so that what
 * is timed later finds them loaded and waiting. */
static gboolean
start_process_pool (Lab      *lab,
                    double   *startup_s,
                    GError  **error)
{
  const char *argv[] = { lab->helper, "serve", NULL };
  gint64 start = ptl_clock_now_ns ();

  for (guint i = 0; i < lab->n_workers; i++)
    if (!ptl_spawn_child_start (argv, TRUE, &lab->pool[i].child, error))
      return FALSE;
  if (!run_process_pool_tasks (lab, lab->n_workers, 0, ptl_kernel_run (POOL_SEED, 0), NULL, error))
    return FALSE;
  *startup_s = (ptl_clock_now_ns () - start) / 1e9;
  return TRUE;
}

/* Closing their stdin ends the workers; each must exit cleanly. */
static gboolean
stop_process_pool (Lab     *lab,
                   GError **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < lab->n_workers; i++)
    if (lab->pool[i].child.pid > 0)
      {
        if (ok)
          ok = ptl_spawn_child_finish (&lab->pool[i].child, lab->helper, error);
        else
          ptl_spawn_child_kill (&lab->pool[i].child);
      }
  return ok;
}

/* thread-per-task and thread-pool. */

static gpointer
task_thread (gpointer data)
{
  Slot *slot = data;

  slot->checksum = compute (slot->lab);
  g_async_queue_push (slot->lab->done, slot);
  return NULL;
}

static void
pool_task_cb (gpointer data,
              gpointer user_data)
{
  task_thread (data);
}

/* Hands a task to a thread: a new one, or the pool's queue. */
static gboolean
start_thread_task (Lab      *lab,
                   Slot     *slot,
                   gboolean  pooled,
                   guint     in_flight,
                   GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;

  slot->start_ns = ptl_clock_now_ns ();
  if (pooled)
    {
      if (g_thread_pool_push (lab->thread_pool, slot, &local_error))
        {
          slot->busy = TRUE;
          return TRUE;
        }
      message = ptl_spawn_describe_failure ("g_thread_pool_push", EAGAIN, in_flight);
    }
  else
    {
      slot->thread = g_thread_try_new ("ptl-task", task_thread, slot, &local_error);
      if (slot->thread != NULL)
        {
          slot->busy = TRUE;
          return TRUE;
        }
      /* GLib's only thread error is pthread_create's EAGAIN. */
      message = ptl_spawn_describe_failure ("g_thread_try_new", EAGAIN, in_flight);
    }
  g_set_error_literal (error, PTL_ERROR, PTL_ERROR_LIMIT, message);
  return FALSE;
}

static gboolean
run_thread_tasks (Lab      *lab,
                  gboolean  pooled,
                  guint     n_tasks,
                  GArray   *latencies,
                  GError  **error)
{
  guint started = 0, finished = 0, running = 0;
  gboolean ok = TRUE;

  while (ok && finished < n_tasks)
    {
      Slot *slot;

      for (guint i = 0; ok && i < lab->n_workers && started < n_tasks; i++)
        if (!lab->slots[i].busy)
          {
            ok = start_thread_task (lab, &lab->slots[i], pooled, running, error);
            started += ok;
            running += ok;
          }
      if (!ok)
        break;

      slot = g_async_queue_timeout_pop (lab->done, POLL_INTERVAL_MS * 1000);
      if (slot == NULL)
        {
          ok = !g_cancellable_set_error_if_cancelled (lab->cancellable, error);
          continue;
        }
      if (!pooled)
        g_thread_join (g_steal_pointer (&slot->thread));
      add_latency (latencies, slot->start_ns);
      slot->busy = FALSE;
      running--;
      finished++;
      /* A cancelled task stops early with a wrong checksum: not an error. */
      if (g_cancellable_set_error_if_cancelled (lab->cancellable, error) ||
          !check_checksum (lab, slot->checksum, lab->expected, error))
        ok = FALSE;
    }

  /* Whatever still runs ends soon (a task, or at once when cancelled). */
  for (; running > 0; running--)
    {
      Slot *slot = g_async_queue_pop (lab->done);

      if (!pooled)
        g_thread_join (g_steal_pointer (&slot->thread));
      slot->busy = FALSE;
    }
  return ok;
}

/* Measuring */

static gboolean
run_strategy (Lab       *lab,
              Strategy   strategy,
              guint      n_tasks,
              GArray    *latencies,
              GError   **error)
{
  switch (strategy)
    {
    case STRATEGY_PROCESS_PER_TASK:
      return run_process_per_task (lab, n_tasks, latencies, error);
    case STRATEGY_PROCESS_POOL:
      return run_process_pool_tasks (lab, n_tasks, lab->iterations, lab->expected, latencies, error);
    case STRATEGY_THREAD_PER_TASK:
      return run_thread_tasks (lab, FALSE, n_tasks, latencies, error);
    case STRATEGY_THREAD_POOL:
      return run_thread_tasks (lab, TRUE, n_tasks, latencies, error);
    case N_STRATEGIES:
    default:
      g_assert_not_reached ();
    }
}

/* A few untimed tasks (one per worker), then @n_tasks timed. */
static gboolean
measure (Lab       *lab,
         Strategy   strategy,
         guint      n_tasks,
         Batch     *batch,
         GError   **error)
{
  g_autoptr(GArray) warmup = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 cpu_start, start;

  if (!run_strategy (lab, strategy, lab->n_workers, warmup, error))
    return FALSE;

  cpu_start = ptl_clock_process_cpu_ns () + ptl_clock_children_cpu_ns () + pool_cpu_ns (lab);
  start = ptl_clock_now_ns ();
  if (!run_strategy (lab, strategy, n_tasks, batch->latencies, error))
    return FALSE;
  batch->wall_ns = ptl_clock_now_ns () - start;
  batch->cpu_ns = ptl_clock_process_cpu_ns () + ptl_clock_children_cpu_ns () + pool_cpu_ns (lab) - cpu_start;
  return TRUE;
}

/* Output */

typedef struct
{
  PtlSeries *throughput[N_STRATEGIES];
  PtlSeries *latency[N_STRATEGIES];
  PtlTable  *summary;
} Output;

enum {
  COLUMN_STRATEGY,
  COLUMN_RATE,
  COLUMN_MEDIAN,
  COLUMN_P95,
  COLUMN_OVERHEAD,
  COLUMN_CPU,
  COLUMN_STARTUP,
};

static void
create_output (PtlResult *result,
               guint      n_workers,
               Output    *out)
{
  g_autofree char *throughput_title = NULL;
  PtlChart *chart;

  throughput_title = g_strdup_printf (ngettext ("Tasks per second by task size (%u in flight)",
                                                "Tasks per second by task size (%u in flight)", n_workers),
                                      n_workers);
  chart = ptl_result_add_chart (result, "throughput", PTL_CHART_LINE, throughput_title);
  ptl_chart_set_x_axis (chart, _("Task size (arithmetic on one core)"), "s", TRUE);
  ptl_chart_set_y_axis (chart, _("Tasks per second"), "ops/s", TRUE);
  for (guint s = 0; s < N_STRATEGIES; s++)
    out->throughput[s] = ptl_chart_add_series_with_id (chart, strategy_names[s], _(strategy_labels[s]));

  chart = ptl_result_add_chart (result, "latency", PTL_CHART_LINE,
                                _("Latency per task by task size (median, p5–p95)"));
  ptl_chart_set_x_axis (chart, _("Task size (arithmetic on one core)"), "s", TRUE);
  ptl_chart_set_y_axis (chart, _("Latency per task"), "s", TRUE);
  ptl_chart_add_reference (chart, PTL_REFERENCE_DIAGONAL, 1, _("The task alone"));
  for (guint s = 0; s < N_STRATEGIES; s++)
    {
      out->latency[s] = ptl_chart_add_series_with_id (chart, strategy_names[s], _(strategy_labels[s]));
      ptl_series_set_band_label (out->latency[s], _("p5–p95"));
    }

  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "strategy", _("Strategy"), NULL);
  ptl_table_add_column_with_id (out->summary, "rate", _("Rate"), "ops/s");
  ptl_table_add_column_with_id (out->summary, "median", _("Median latency"), "s");
  ptl_table_add_column_with_id (out->summary, "p95", _("p95 latency"), "s");
  ptl_table_add_column_with_id (out->summary, "overhead", _("Overhead"), "s");
  ptl_table_add_column_with_id (out->summary, "cpu", _("CPU time"), "s");
  ptl_table_add_column_with_id (out->summary, "startup", _("Start-up"), "s");
}

/* One strategy at one size: its points, its raw samples, and its row in
 * the table when the size is task-us. Returns the throughput. */
static double
publish (PtlResult   *result,
         Output      *out,
         Strategy     strategy,
         guint        task_us,
         gboolean     summary_row,
         const Batch *batch,
         double       startup_s,
         PtlStats    *stats)
{
  g_autofree char *name = g_strdup_printf ("latency/%s/%u-us", strategy_names[strategy], task_us);
  double task_s = task_us / 1e6;
  double rate = batch->latencies->len / (batch->wall_ns / 1e9);
  double cpu = batch->cpu_ns / 1e9 / batch->latencies->len;
  guint row;

  ptl_stats_compute (stats, (const double *) (gpointer) batch->latencies->data, batch->latencies->len);
  ptl_series_add_point (out->throughput[strategy], task_s, rate);
  ptl_series_add_point_band (out->latency[strategy], task_s, stats->median, stats->p5, stats->p95);
  ptl_result_add_samples (result, name, "s", (const double *) (gpointer) batch->latencies->data,
                          batch->latencies->len);

  if (summary_row)
    {
      row = ptl_table_add_row_with_id (out->summary, strategy_names[strategy]);
      ptl_table_set_text (out->summary, row, COLUMN_STRATEGY, _(strategy_labels[strategy]));
      ptl_table_set_number (out->summary, row, COLUMN_RATE, rate);
      ptl_table_set_number (out->summary, row, COLUMN_MEDIAN, stats->median);
      ptl_table_set_number (out->summary, row, COLUMN_P95, stats->p95);
      ptl_table_set_number (out->summary, row, COLUMN_OVERHEAD, stats->median - task_s);
      ptl_table_set_number (out->summary, row, COLUMN_CPU, cpu);
      ptl_table_set_number (out->summary, row, COLUMN_STARTUP, startup_s);
    }
  return rate;
}

static GArray *
list_sizes (PtlPoolExperiment *self)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean have_default = FALSE;

  if (self->sweep)
    for (guint i = 0; i < G_N_ELEMENTS (sweep_us); i++)
      {
        if (!have_default && self->task_us < sweep_us[i])
          {
            g_array_append_val (sizes, self->task_us);
            have_default = TRUE;
          }
        have_default |= sweep_us[i] == self->task_us;
        g_array_append_val (sizes, sweep_us[i]);
      }
  if (!have_default)
    g_array_append_val (sizes, self->task_us);
  return sizes;
}

static void
note_ratios (PtlResult    *result,
             const guint  *sizes,
             guint         n_sizes,
             const double *rates)
{
  const guint last = n_sizes - 1;
  g_autofree char *first_text = NULL;
  g_autofree char *last_text = NULL;

  if (n_sizes < 2)
    return;
  first_text = ptl_format_value (sizes[0] / 1e6, "s");
  last_text = ptl_format_value (sizes[last] / 1e6, "s");
  ptl_result_add_note (result,
                       _("Tasks per second, pool over one per task: the process pool ran %.1f× as many "
                         "%s tasks as a process per task, and %.1f× as many %s tasks; the thread pool "
                         "%.1f× and %.1f× as many as a thread per task. Spawning dominates short tasks "
                         "and fades behind long ones."),
                       rates[STRATEGY_PROCESS_POOL] / rates[STRATEGY_PROCESS_PER_TASK], first_text,
                       rates[last * N_STRATEGIES + STRATEGY_PROCESS_POOL] /
                         rates[last * N_STRATEGIES + STRATEGY_PROCESS_PER_TASK], last_text,
                       rates[STRATEGY_THREAD_POOL] / rates[STRATEGY_THREAD_PER_TASK],
                       rates[last * N_STRATEGIES + STRATEGY_THREAD_POOL] /
                         rates[last * N_STRATEGIES + STRATEGY_THREAD_PER_TASK]);
}

static gboolean
check_limits (guint     n_workers,
              GError  **error)
{
  guint64 nproc;

  if (ptl_spawn_get_nproc_limit (&nproc) && n_workers >= nproc)
    {
      g_autofree char *limit = ptl_spawn_dup_nproc_limit ();

      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("%u workers need that many processes or threads at once besides the lab itself — %s"),
                   n_workers, limit);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ptl_pool_experiment_run (PtlExperiment  *experiment,
                         PtlRun         *run,
                         GError        **error)
{
  PtlPoolExperiment *self = PTL_POOL_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  guint n_workers = self->workers != 0 ? self->workers : ptl_machine_get_n_cpus ();
  g_autoptr(GArray) sizes = list_sizes (self);
  g_autofree double *rates = g_new0 (double, sizes->len * N_STRATEGIES);
  g_autoptr(GString) noisy = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(Lab) lab = NULL;
  double startup_s[N_STRATEGIES] = { NAN, NAN, NAN, NAN };
  guint n_steps = sizes->len * N_STRATEGIES, step = 0, n_done = 0;
  double per_us;
  Output out = { { NULL } };

  if (!check_limits (n_workers, error))
    return FALSE;
  lab = lab_new (run, n_workers, error);
  if (lab == NULL)
    return FALSE;
  ptl_spawn_record_string (result, "placement", "unpinned");
  ptl_spawn_record_int (result, "workers-used", n_workers);

  ptl_run_progress (run, 0, _("Calibrating the arithmetic"));
  lab->calibration_state = POOL_SEED;
  if (!ptl_kernel_calibrate (&lab->calibration_state, CALIBRATION_TRIALS, CALIBRATION_TRIAL_NS,
                             lab->cancellable, &per_us, error))
    return FALSE;
  per_us /= 1000;

  ptl_run_progress (run, 0, _("Starting the pools"));
  {
    gint64 start = ptl_clock_now_ns ();

    lab->thread_pool = g_thread_pool_new (pool_task_cb, lab, (int) n_workers, TRUE, &local_error);
    if (lab->thread_pool == NULL)
      {
        g_autofree char *message = ptl_spawn_describe_failure ("g_thread_pool_new", EAGAIN, 0);

        g_set_error_literal (error, PTL_ERROR, PTL_ERROR_LIMIT, message);
        return FALSE;
      }
    startup_s[STRATEGY_THREAD_POOL] = (ptl_clock_now_ns () - start) / 1e9;
  }
  if (!start_process_pool (lab, &startup_s[STRATEGY_PROCESS_POOL], error))
    return FALSE;

  create_output (result, n_workers, &out);

  /* Sizes take turns; at each, every strategy runs. */
  for (guint i = 0; i < sizes->len && local_error == NULL; i++)
    {
      guint task_us = g_array_index (sizes, guint, i);
      guint n_tasks = MIN (self->tasks, MAX (MIN_TASKS, BUDGET_US / task_us));
      g_autofree char *size_text = ptl_format_value (task_us / 1e6, "s");

      lab->iterations = MAX (1, (guint64) llround (per_us * task_us));
      lab->expected = ptl_kernel_run (POOL_SEED, lab->iterations);

      for (guint s = 0; s < N_STRATEGIES && local_error == NULL; s++)
        {
          Batch batch = { g_array_new (FALSE, FALSE, sizeof (double)), 0, 0 };
          PtlStats stats;

          ptl_run_progress (run, (double) step / n_steps, _("%s: %u tasks of %s"),
                            strategy_names[s], n_tasks, size_text);
          if (measure (lab, s, n_tasks, &batch, &local_error))
            {
              rates[i * N_STRATEGIES + s] = publish (result, &out, s, task_us, task_us == self->task_us,
                                                     &batch, startup_s[s], &stats);
              if (ptl_stats_is_noisy (&stats) && task_us == self->task_us)
                g_string_append_printf (noisy, "%s%s", noisy->len ? ", " : "", _(strategy_labels[s]));
              n_done++;
            }
          g_array_unref (batch.latencies);
          step++;
        }
    }

  /* Ending the workers fails only with a broken helper, never at a limit. */
  if (local_error == NULL)
    stop_process_pool (lab, &local_error);
  if (local_error != NULL)
    {
      /* A limit after some measurements: they stand, with the reason. */
      if (!g_error_matches (local_error, PTL_ERROR, PTL_ERROR_LIMIT) || n_done == 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      ptl_result_add_note (result, _("The run stopped early at a limit: %s. What is shown was measured before."),
                           local_error->message);
      ptl_run_warn_if_virtual (run);
      return TRUE;
    }

  {
    g_autofree char *process_text = ptl_format_value (startup_s[STRATEGY_PROCESS_POOL], "s");
    g_autofree char *thread_text = ptl_format_value (startup_s[STRATEGY_THREAD_POOL], "s");

    ptl_result_add_note (result,
                         _("A task of 1 µs is %.0f steps of the lab's arithmetic, calibrated at the start "
                           "of the run on one core; every task's result is checked."), per_us);
    ptl_result_add_note (result,
                         ngettext ("Every strategy keeps at most %u task in flight: a new one is handed out "
                                   "when one finishes. Latency runs from handing a task out to having its "
                                   "result back in the coordinating thread.",
                                   "Every strategy keeps at most %u tasks in flight: a new one is handed out "
                                   "when one finishes. Latency runs from handing a task out to having its "
                                   "result back in the coordinating thread.", n_workers),
                         n_workers);
    ptl_result_add_note (result,
                         _("The pools were started once, before any timing: the process pool (“ptlab-helper "
                           "serve” workers, each answering a first empty task) in %s, the thread pool in %s. "
                           "A short-lived program pays that once; it is in the startup column, not in the "
                           "tasks."), process_text, thread_text);
  }
  note_ratios (result, (const guint *) (gpointer) sizes->data, sizes->len, rates);
  if (noisy->len > 0)
    ptl_result_add_warning (result,
                            _("Wide spread for %s: p95 − p5 is more than %.0f × the median (other work or "
                              "wake-ups across CPUs); compare medians, and run again on a quiet machine."),
                            noisy->str, PTL_NOISY_SPREAD);
  ptl_run_warn_if_virtual (run);
  return TRUE;
}

static guint
ptl_pool_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlPoolExperiment *self = PTL_POOL_EXPERIMENT (experiment);

  return self->workers != 0 ? self->workers : ptl_machine_get_n_cpus ();
}

static void
ptl_pool_experiment_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PtlPoolExperiment *self = PTL_POOL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_TASK_US:
      g_value_set_uint (value, self->task_us);
      break;
    case PROP_TASKS:
      g_value_set_uint (value, self->tasks);
      break;
    case PROP_WORKERS:
      g_value_set_uint (value, self->workers);
      break;
    case PROP_SWEEP:
      g_value_set_boolean (value, self->sweep);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_pool_experiment_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PtlPoolExperiment *self = PTL_POOL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_TASK_US:
      ptl_param_store_uint (object, &self->task_us, value, pspec);
      break;
    case PROP_TASKS:
      ptl_param_store_uint (object, &self->tasks, value, pspec);
      break;
    case PROP_WORKERS:
      ptl_param_store_uint (object, &self->workers, value, pspec);
      break;
    case PROP_SWEEP:
      ptl_param_store_boolean (object, &self->sweep, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_pool_experiment_class_init (PtlPoolExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "throughput", N_("Tasks per second by task size") },
    { "latency", N_("Latency per task by task size") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_pool_experiment_get_property;
  object_class->set_property = ptl_pool_experiment_set_property;

  experiment_class->id = "pool";
  experiment_class->title = N_("Pool vs spawn-per-task");
  experiment_class->category = N_("Processes");
  experiment_class->summary =
    N_("Short tasks run by a new process per task, by a pool of long-lived worker processes fed "
       "over pipes, by a new thread per task and by a thread pool: tasks per second and latency "
       "per task, over task sizes from 10 µs to 10 ms.");
  experiment_class->explanation =
    N_("Starting a worker costs something: a process tens to hundreds of microseconds (see "
       "“Creation cost”), a thread a few to tens of microseconds. A pool pays that once and then only hands "
       "tasks over, which costs a few microseconds. Whether that matters depends on how long the "
       "task is, and this experiment shows where the line falls on your machine.\n\n"
       "The strategies. process-per-task starts ptlab-helper for every task, reads its answer and "
       "reaps it, like a shell script or a CGI server. process-pool keeps one helper process per "
       "worker alive and writes each task to its stdin; the answer comes back on its stdout, like "
       "multiprocessing.Pool or a PHP-FPM pool. thread-per-task creates and joins a thread for "
       "every task. thread-pool hands tasks to a GThreadPool whose threads wait on a queue. All of "
       "them run the same arithmetic, and at most `workers` tasks are in flight at once: a new "
       "task starts as soon as one finishes.\n\n"
       "What to look for. On the throughput chart the pools stay near the ceiling (workers ÷ task "
       "size, while there are enough cores), and the per-task strategies fall away from it as "
       "tasks get short: with 10 µs tasks a process per task spends almost all of its time "
       "starting processes. The two thread strategies come close: creating a thread costs about "
       "what waking a pool thread asleep on its queue costs (more on a virtual machine, where "
       "waking an idle CPU goes through the hypervisor), so either may come out ahead. As tasks grow, every curve meets the same line, because the task "
       "itself dominates. On the latency chart the dashed diagonal is the task alone; the gap "
       "above it is each strategy's overhead per task, which the table shows for the default size "
       "(overhead = median latency − task time). The pools' own start-up cost is in the startup "
       "column: paid once, it matters only for a program that runs a handful of tasks.\n\n"
       "How it is measured: the arithmetic is calibrated at the start so a task takes task-us on "
       "one core; at each size every strategy runs a few untimed tasks, then enough timed ones "
       "for about 100 ms of arithmetic (at least 20, at most `tasks`); latencies are taken by the "
       "coordinating thread with the monotonic clock and kept in the result.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "rate", PTL_HEADLINE_MAX);

  experiment_class->run = ptl_pool_experiment_run;
  experiment_class->count_tasks = ptl_pool_experiment_count_tasks;

  properties[PROP_TASK_US] =
    g_param_spec_uint ("task-us", N_("Task size"),
                       N_("Arithmetic per task, calibrated to take this long on one core: the size the "
                          "summary table reports"),
                       1, 100000, 100, flags);
  ptl_param_set_unit (properties[PROP_TASK_US], "µs");
  properties[PROP_TASKS] =
    g_param_spec_uint ("tasks", N_("Tasks per point"),
                       N_("The most tasks measured per strategy and size; sizes whose arithmetic adds "
                          "up to more than 100 ms run fewer (at least 20)"),
                       1, 100000, 400, flags);
  ptl_param_set_unit (properties[PROP_TASKS], N_("tasks"));
  properties[PROP_WORKERS] =
    g_param_spec_uint ("workers", N_("Workers"),
                       N_("Pool size, and the most tasks in flight for every strategy; 0 means one per core"),
                       0, 256, 0, flags);
  ptl_param_set_unit (properties[PROP_WORKERS], N_("workers"));
  properties[PROP_SWEEP] =
    g_param_spec_boolean ("sweep", N_("Task size sweep"),
                          N_("Measure task sizes from 10 µs to 10 ms, not only task-us"),
                          TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_pool_experiment_init (PtlPoolExperiment *self)
{
  self->task_us = 100;
  self->tasks = 400;
  self->workers = 0;
  self->sweep = TRUE;
}
