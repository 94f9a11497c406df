/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-gil-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-gil.h"
#include "ptl-gil-experiment.h"
#include "ptl-kernel.h"
#include "ptl-thread-recorder.h"
#include "ptl-thread-team.h"

/* "Inside the GIL": CPU-bound threads under the emulated global
 * interpreter lock (ptl-gil.h, the one "models" uses), alone and with an
 * I/O-bound thread beside them, over switch intervals; the same threads
 * without the lock are the reference.
 *
 * Method. The threads of a run start together (ptl-thread-team.h) and
 * work until a common end (the run's length, at least ten switch
 * intervals). A CPU-bound thread computes the lab's arithmetic in blocks
 * of a few microseconds, checking between blocks for a drop request as
 * the interpreter checks its eval breaker between bytecodes. The
 * I/O-bound thread repeats a request: it drops the lock, waits io-ms (a
 * sleep standing for a socket read), and then must take the lock back to
 * handle the answer (one block of arithmetic). Its response time runs
 * from the end of the wait to the end of that handling, stamped by the
 * thread itself. Each thread records on its own lane when it waits for
 * the lock and when it holds it (ptl-thread-recorder.h): the per-thread
 * shares are those spans over the thread's time between start and end. */

struct _PtlGilExperiment
{
  PtlExperiment parent_instance;

  /* parameters */
  guint         cpu_threads;
  guint         io_ms;
  double        switch_interval_ms;
  guint         duration_ms;
  gboolean      sweep;
};

enum {
  PROP_0,
  PROP_CPU_THREADS,
  PROP_IO_MS,
  PROP_SWITCH_INTERVAL_MS,
  PROP_DURATION_MS,
  PROP_SWEEP,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlGilExperiment, ptl_gil_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

/* The four runs at each interval; identifiers, not translated. */
typedef enum
{
  SETUP_GIL_CPU,  /* CPU-bound threads under the lock */
  SETUP_GIL_IO,   /* … with the I/O-bound thread */
  SETUP_FREE_CPU, /* no lock: the reference */
  SETUP_FREE_IO,
  N_SETUPS
} Setup;

/* Identifiers (row ids, lookups): not translated. */
static const char * const setup_names[N_SETUPS] = { "gil-cpu", "gil-io", "free-cpu", "free-io" };
/* What readers see for each (table rows, progress). */
static const char * const setup_labels[N_SETUPS] = {
  N_("GIL, CPU-bound only"), N_("GIL, with I/O"), N_("No lock, CPU-bound only"), N_("No lock, with I/O"),
};

#define SETUP_HAS_GIL(setup) ((setup) == SETUP_GIL_CPU || (setup) == SETUP_GIL_IO)
#define SETUP_HAS_IO(setup)  ((setup) == SETUP_GIL_IO || (setup) == SETUP_FREE_IO)

/* The sweep, in the 1-2-5 steps of CPython's sys.setswitchinterval ()
 * range worth trying; CPython's default is 5 ms. */
static const double sweep_ms[] = { 1, 2, 5, 10, 20, 50, 100 };

#define GIL_SEED           G_GUINT64_CONSTANT (0x6111)
#define MIN_INTERVALS      10
#define WARMUP_MS          50
/* Spans per switch interval or request a thread may write, and slack. */
#define SPANS_PER_EVENT    4
#define SPANS_SLACK        256

typedef struct _Lab Lab;

typedef struct
{
  Lab            *lab;
  PtlThreadTrack *track;
  gboolean        io;
  gint64          hold_start;  /* ticks */
  guint64         steps;       /* arithmetic done */
  guint64         state;       /* the arithmetic's result, kept so it is not optimised away */
  GArray         *responses;   /* io: double, seconds */
} Worker;

struct _Lab
{
  /* borrowed */
  GCancellable      *cancellable;

  /* owned, per run */
  PtlGil            *gil;       /* NULL: no lock */
  PtlThreadRecorder *recorder;
  guint32            gil_object;
  gint64             duration_ns;
  _Atomic gint64     end_ns;    /* 0 until the first thread runs */
  gint64             io_ns;
  int                stop;      /* raised by the team on a cancel */
};

/* What one run gave. */
typedef struct
{
  double  *hold;      /* per thread: share of its time holding the lock, % */
  double  *wait;      /* … waiting for it, % */
  guint    n_threads; /* CPU threads, then the I/O thread when there is one */
  double   switches;  /* hand-overs per second */
  double   work;      /* arithmetic steps per second, all CPU threads */
  GArray  *responses; /* double, seconds; empty without the I/O thread */
  PtlThreadRecorder *recorder;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->hold, g_free);
  g_clear_pointer (&outcome->wait, g_free);
  g_clear_pointer (&outcome->responses, g_array_unref);
  g_clear_object (&outcome->recorder);
}

/* Recorded lock operations: the wait for the lock and the hold that
 * follows are spans on the thread's own lane. */

static void
gil_take (Worker *worker)
{
  Lab *lab = worker->lab;
  int cpu = ptl_thread_current_cpu ();
  gint64 start = ptl_thread_ticks ();

  ptl_gil_take (lab->gil, worker);
  worker->hold_start = ptl_thread_ticks ();
  ptl_thread_track_push (worker->track, PTL_THREAD_WAITING_LOCK, lab->gil_object, start,
                         worker->hold_start, cpu);
}

static void
gil_drop (Worker *worker)
{
  Lab *lab = worker->lab;

  ptl_thread_track_push (worker->track, PTL_THREAD_HOLDING_LOCK, lab->gil_object, worker->hold_start,
                         ptl_thread_ticks (), ptl_thread_current_cpu ());
  ptl_gil_drop (lab->gil, worker);
}

/* A drop request: let go, and wait until another thread has had it. */
static void
gil_yield (Worker *worker)
{
  Lab *lab = worker->lab;
  int cpu = ptl_thread_current_cpu ();
  gint64 end = ptl_thread_ticks ();

  ptl_thread_track_push (worker->track, PTL_THREAD_HOLDING_LOCK, lab->gil_object, worker->hold_start, end, cpu);
  ptl_gil_yield (lab->gil, worker);
  worker->hold_start = ptl_thread_ticks ();
  ptl_thread_track_push (worker->track, PTL_THREAD_WAITING_LOCK, lab->gil_object, end, worker->hold_start,
                         ptl_thread_current_cpu ());
}

static gboolean
keep_going (Lab *lab)
{
  return !g_atomic_int_get (&lab->stop) && ptl_clock_now_ns () < atomic_load (&lab->end_ns);
}

/* One block of arithmetic, and the interpreter's check between
 * bytecodes. */
static void
compute_block (Worker *worker)
{
  worker->state = ptl_kernel_run (worker->state, PTL_KERNEL_BLOCK);
  worker->steps += PTL_KERNEL_BLOCK;
  if (worker->lab->gil != NULL && ptl_gil_drop_requested (worker->lab->gil))
    gil_yield (worker);
}

static void
worker_func (guint    index,
             gpointer data)
{
  Worker *worker = &((Worker *) data)[index];
  Lab *lab = worker->lab;
  gint64 no_end = 0;

  /* The team releases its threads together: the first to run opens the
   * run's window for all. */
  atomic_compare_exchange_strong (&lab->end_ns, &no_end, ptl_clock_now_ns () + lab->duration_ns);
  ptl_thread_track_begin (worker->track);
  /* A Python thread needs the lock before its first bytecode. */
  if (lab->gil != NULL)
    gil_take (worker);

  while (keep_going (lab))
    {
      if (!worker->io)
        {
          compute_block (worker);
          continue;
        }

      /* A blocking read releases the lock around the wait. */
      {
        int cpu = ptl_thread_current_cpu ();
        gint64 start, ready;
        double response;

        if (lab->gil != NULL)
          gil_drop (worker);
        start = ptl_thread_ticks ();
        ptl_clock_sleep_ns (lab->io_ns, lab->cancellable);
        ptl_thread_track_push (worker->track, PTL_THREAD_WAITING_IO, PTL_THREAD_NO_OBJECT, start,
                               ptl_thread_ticks (), cpu);
        ready = ptl_clock_now_ns ();
        if (lab->gil != NULL)
          gil_take (worker);
        worker->state = ptl_kernel_run (worker->state, PTL_KERNEL_BLOCK);
        response = (ptl_clock_now_ns () - ready) / 1e9;
        if (!g_atomic_int_get (&lab->stop))
          g_array_append_val (worker->responses, response);
      }
    }

  if (lab->gil != NULL)
    gil_drop (worker);
  ptl_thread_track_finish (worker->track);
}

/* One run: @n_cpu CPU-bound threads, and the I/O-bound one when
 * @with_io, for @duration_ns, under @interval_ms (0: no lock). */
static gboolean
run_once (GCancellable  *cancellable,
          guint          n_cpu,
          gboolean       with_io,
          double         interval_ms,
          gint64         duration_ns,
          gint64         io_ns,
          Outcome       *outcome,
          GError       **error)
{
  guint n_threads = n_cpu + (with_io ? 1 : 0);
  g_autofree Worker *workers = g_new0 (Worker, n_threads);
  double events = duration_ns / 1e6 / MIN (interval_ms > 0 ? interval_ms : io_ns / 1e6, io_ns / 1e6);
  g_autofree double *times = NULL;
  guint64 steps = 0;
  gboolean ok;
  Lab lab = { 0 };

  lab.cancellable = cancellable;
  lab.gil = interval_ms > 0 ? ptl_gil_new (interval_ms) : NULL;
  /* Enough room for every switch and request: a full ring drops the
   * oldest spans and the shares would be wrong. */
  lab.recorder = ptl_thread_recorder_new ((guint) MIN (1u << 24, SPANS_PER_EVENT * events + SPANS_SLACK));
  lab.gil_object = ptl_thread_recorder_add_object (lab.recorder, "GIL");
  lab.io_ns = io_ns;
  lab.duration_ns = duration_ns;

  outcome->responses = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n_threads; i++)
    {
      gboolean io = i == n_cpu;
      g_autofree char *name = io ? g_strdup (_("I/O thread")) : g_strdup_printf (_("CPU thread %u"), i + 1);

      workers[i] = (Worker) { &lab, ptl_thread_recorder_add_thread (lab.recorder, name), io, 0, 0,
                              GIL_SEED + i, outcome->responses };
    }
  ok = ptl_thread_team_run (n_threads, worker_func, workers, &lab.stop, cancellable, error);

  if (ok)
    {
      times = ptl_thread_recorder_dup_state_times (lab.recorder);
      outcome->n_threads = n_threads;
      outcome->hold = g_new0 (double, n_threads);
      outcome->wait = g_new0 (double, n_threads);
      for (guint i = 0; i < n_threads; i++)
        {
          double *row = &times[i * PTL_THREAD_N_STATES];
          double total = 0;

          for (guint s = 0; s < PTL_THREAD_N_STATES; s++)
            total += row[s];
          outcome->hold[i] = 100 * row[PTL_THREAD_HOLDING_LOCK] / total;
          outcome->wait[i] = 100 * row[PTL_THREAD_WAITING_LOCK] / total;
          steps += workers[i].steps;
        }
      outcome->switches = lab.gil != NULL ? ptl_gil_get_n_switches (lab.gil) / (duration_ns / 1e9) : 0;
      outcome->work = steps / (duration_ns / 1e9);
      outcome->recorder = g_steal_pointer (&lab.recorder);
    }

  g_clear_pointer (&lab.gil, ptl_gil_free);
  g_clear_object (&lab.recorder);
  return ok;
}

/* Output */

typedef struct
{
  PtlSeries *response;
  PtlChart  *time[2];   /* alone, with the I/O thread */
  PtlSeries **hold[2];  /* per thread */
  PtlSeries **wait[2];
  PtlTable  *summary;
} Output;

enum {
  COLUMN_RUN,
  COLUMN_HOLD,
  COLUMN_WAIT,
  COLUMN_SWITCHES,
  COLUMN_WORK,
  COLUMN_IO_P50,
  COLUMN_IO_P99,
};

static void
output_clear (Output *out)
{
  for (guint c = 0; c < 2; c++)
    {
      g_clear_pointer (&out->hold[c], g_free);
      g_clear_pointer (&out->wait[c], g_free);
    }
}

static void
create_output (PtlResult *result,
               guint      n_cpu,
               Output    *out)
{
  static const char * const titles[2] = {
    N_("Time holding and waiting for the GIL, CPU-bound threads alone"),
    N_("Time holding and waiting for the GIL, with an I/O-bound thread"),
  };
  static const char * const ids[2] = { "gil-time-cpu", "gil-time-io" };
  PtlChart *chart;

  chart = ptl_result_add_chart (result, "response", PTL_CHART_LINE,
                                _("I/O thread's response time by switch interval (p50, band to p99)"));
  ptl_chart_set_x_axis (chart, _("Switch interval"), "s", TRUE);
  ptl_chart_set_y_axis (chart, _("Response time"), "s", TRUE);
  ptl_chart_add_reference (chart, PTL_REFERENCE_DIAGONAL, 1, _("One switch interval"));
  out->response = ptl_chart_add_series_with_id (chart, "gil-io", _("Under the GIL"));
  ptl_series_set_band_label (out->response, _("p50–p99"));

  for (guint c = 0; c < 2; c++)
    {
      guint n_threads = n_cpu + c;

      out->time[c] = ptl_result_add_chart (result, ids[c], PTL_CHART_LINE, _(titles[c]));
      ptl_chart_set_x_axis (out->time[c], _("Switch interval"), "s", TRUE);
      ptl_chart_set_y_axis (out->time[c], _("Share of the thread's time"), "%", FALSE);
      out->hold[c] = g_new0 (PtlSeries *, n_threads);
      out->wait[c] = g_new0 (PtlSeries *, n_threads);
      for (guint i = 0; i < n_threads; i++)
        {
          /* Ids stay lowercase ("cpu 1 holding"); names read "CPU thread 1 holding"
           * (not "CPU 1", which the CPU lanes of the timeline call a processor). */
          g_autofree char *thread_id = i == n_cpu ? g_strdup ("io") : g_strdup_printf ("cpu %u", i + 1);
          g_autofree char *thread = i == n_cpu ? g_strdup (_("I/O thread")) : g_strdup_printf (_("CPU thread %u"), i + 1);
          g_autofree char *hold_id = g_strdup_printf ("%s holding", thread_id);
          g_autofree char *wait_id = g_strdup_printf ("%s waiting", thread_id);
          g_autofree char *hold = g_strdup_printf (_("%s holding"), thread);
          g_autofree char *wait = g_strdup_printf (_("%s waiting"), thread);

          out->hold[c][i] = ptl_chart_add_series_with_id (out->time[c], hold_id, hold);
          out->wait[c][i] = ptl_chart_add_series_with_id (out->time[c], wait_id, wait);
        }
    }

  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "run", _("Run"), NULL);
  ptl_table_add_column_with_id (out->summary, "hold", _("Holding"), "%");
  ptl_table_add_column_with_id (out->summary, "wait", _("Waiting"), "%");
  ptl_table_add_column_with_id (out->summary, "switches", _("Switches"), "ops/s");
  ptl_table_add_column_with_id (out->summary, "work", _("Work"), "ops/s");
  ptl_table_add_column_with_id (out->summary, "io-p50", _("I/O p50"), "s");
  ptl_table_add_column_with_id (out->summary, "io-p99", _("I/O p99"), "s");
}

static void
add_row (Output        *out,
         Setup          setup,
         guint          n_cpu,
         const Outcome *outcome,
         PtlStats      *io_stats)
{
  guint row = ptl_table_add_row_with_id (out->summary, setup_names[setup]);

  /* Hold, wait: the mean over the CPU-bound threads. */
  ptl_stats_compute (io_stats, (const double *) (gpointer) outcome->responses->data, outcome->responses->len);
  ptl_table_set_text (out->summary, row, COLUMN_RUN, _(setup_labels[setup]));
  ptl_table_set_number (out->summary, row, COLUMN_HOLD, SETUP_HAS_GIL (setup) ? ptl_stats_mean (outcome->hold, n_cpu) : NAN);
  ptl_table_set_number (out->summary, row, COLUMN_WAIT, SETUP_HAS_GIL (setup) ? ptl_stats_mean (outcome->wait, n_cpu) : NAN);
  ptl_table_set_number (out->summary, row, COLUMN_SWITCHES, SETUP_HAS_GIL (setup) ? outcome->switches : NAN);
  ptl_table_set_number (out->summary, row, COLUMN_WORK, outcome->work);
  ptl_table_set_number (out->summary, row, COLUMN_IO_P50, io_stats->median);
  ptl_table_set_number (out->summary, row, COLUMN_IO_P99, io_stats->p99);
}

static void
add_sweep_points (Output        *out,
                  Setup          setup,
                  double         interval_ms,
                  const Outcome *outcome)
{
  guint c = SETUP_HAS_IO (setup) ? 1 : 0;
  double x = interval_ms / 1e3;

  for (guint i = 0; i < outcome->n_threads; i++)
    {
      ptl_series_add_point (out->hold[c][i], x, outcome->hold[i]);
      ptl_series_add_point (out->wait[c][i], x, outcome->wait[i]);
    }
  if (SETUP_HAS_IO (setup) && outcome->responses->len > 0)
    {
      PtlStats stats;

      ptl_stats_compute (&stats, (const double *) (gpointer) outcome->responses->data, outcome->responses->len);
      ptl_series_add_point_band (out->response, x, stats.median, stats.median, stats.p99);
    }
}

static GArray *
list_intervals (PtlGilExperiment *self)
{
  GArray *intervals = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean have_chosen = FALSE;

  if (self->sweep)
    for (guint i = 0; i < G_N_ELEMENTS (sweep_ms); i++)
      {
        if (!have_chosen && self->switch_interval_ms < sweep_ms[i])
          {
            g_array_append_val (intervals, self->switch_interval_ms);
            have_chosen = TRUE;
          }
        have_chosen |= sweep_ms[i] == self->switch_interval_ms;
        g_array_append_val (intervals, sweep_ms[i]);
      }
  if (!have_chosen)
    g_array_append_val (intervals, self->switch_interval_ms);
  return intervals;
}

/* The reference, without the lock (the interval means nothing there):
 * run before and after the sweep, keeping for each setup the run that did
 * the most arithmetic, since other programs on the machine only ever slow
 * a run down. */
static gboolean
run_reference (PtlRun            *run,
               PtlGilExperiment  *self,
               guint             *step,
               guint              n_steps,
               Outcome           *chosen,
               GError           **error)
{
  for (Setup setup = SETUP_FREE_CPU; setup <= SETUP_FREE_IO; setup++)
    {
      Outcome outcome = { 0 };

      ptl_run_progress (run, (double) (*step)++ / n_steps, _("%s: reference run"),
                        _(setup_labels[setup]));
      if (!run_once (ptl_run_get_cancellable (run), self->cpu_threads, SETUP_HAS_IO (setup), 0,
                     self->duration_ms * G_GINT64_CONSTANT (1000000), self->io_ms * G_GINT64_CONSTANT (1000000),
                     &outcome, error))
        {
          outcome_clear (&outcome);
          return FALSE;
        }
      if (chosen[setup].recorder == NULL || outcome.work > chosen[setup].work)
        {
          outcome_clear (&chosen[setup]);
          chosen[setup] = outcome;
        }
      else
        outcome_clear (&outcome);
    }
  return TRUE;
}

/* vfuncs */

static gboolean
ptl_gil_experiment_run (PtlExperiment  *experiment,
                        PtlRun         *run,
                        GError        **error)
{
  PtlGilExperiment *self = PTL_GIL_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  g_autoptr(GArray) intervals = list_intervals (self);
  gint64 io_ns = self->io_ms * G_GINT64_CONSTANT (1000000);
  gint64 base_ns = self->duration_ms * G_GINT64_CONSTANT (1000000);
  guint n_cpu = self->cpu_threads;
  guint n_steps = 4 + 2 * intervals->len, step = 0;
  Outcome chosen[N_SETUPS] = { { 0 } };
  Outcome warmup = { 0 };
  Output out = { 0 };
  PtlStats io_stats[N_SETUPS];
  gboolean ok;

  /* Untimed: the threads' stacks, the allocator and the CPUs' clocks. */
  ptl_run_progress (run, 0, _("Warming up"));
  ok = run_once (cancellable, n_cpu, TRUE, self->switch_interval_ms, WARMUP_MS * G_GINT64_CONSTANT (1000000),
                 io_ns, &warmup, error);
  outcome_clear (&warmup);
  if (!ok)
    return FALSE;

  create_output (result, n_cpu, &out);

  ok = run_reference (run, self, &step, n_steps, chosen, error);
  for (guint i = 0; ok && i < intervals->len; i++)
    for (Setup setup = SETUP_GIL_CPU; ok && setup <= SETUP_GIL_IO; setup++)
      {
        double interval_ms = g_array_index (intervals, double, i);
        gint64 duration_ns = MAX (base_ns, (gint64) (MIN_INTERVALS * interval_ms * 1e6));
        g_autofree char *interval_text = ptl_format_value (interval_ms / 1e3, "s");
        Outcome outcome = { 0 };

        ptl_run_progress (run, (double) step++ / n_steps, _("%s: switch interval %s"),
                          _(setup_labels[setup]), interval_text);
        ok = run_once (cancellable, n_cpu, SETUP_HAS_IO (setup), interval_ms, duration_ns, io_ns, &outcome, error);
        if (ok)
          add_sweep_points (&out, setup, interval_ms, &outcome);
        if (ok && interval_ms == self->switch_interval_ms)
          chosen[setup] = outcome;
        else
          outcome_clear (&outcome);
      }

  if (ok)
    ok = run_reference (run, self, &step, n_steps, chosen, error);
  if (ok)
    {
      g_autofree char *interval_text = ptl_format_value (self->switch_interval_ms / 1e3, "s");
      g_autofree char *title = g_strdup_printf (_("Who holds the GIL: %u CPU-bound threads and one I/O-bound, "
                                                  "switch interval %s"), n_cpu, interval_text);
      g_autofree char *gil_p50 = NULL, *free_p50 = NULL, *free_text = NULL;

      for (Setup setup = 0; setup < N_SETUPS; setup++)
        add_row (&out, setup, n_cpu, &chosen[setup], &io_stats[setup]);
      free_text = g_strdup_printf (_("Without the lock (p50 %s)"),
                                   (free_p50 = ptl_format_value (io_stats[SETUP_FREE_IO].median, "s")));
      ptl_chart_add_reference (ptl_result_find_chart (result, "response"), PTL_REFERENCE_HORIZONTAL,
                               io_stats[SETUP_FREE_IO].median, free_text);
      gil_p50 = ptl_format_value (io_stats[SETUP_GIL_IO].median, "s");

      ptl_result_add_note (result,
                           _("With a switch interval of %s the I/O thread's answers waited %s (p50) for the "
                             "GIL after each %u ms read, against %s with no lock in the same run: %.0f× longer."),
                           interval_text, gil_p50, self->io_ms, free_p50,
                           io_stats[SETUP_GIL_IO].median / io_stats[SETUP_FREE_IO].median);
      ptl_result_add_note (result,
                           _("Arithmetic done per second by the %u CPU-bound threads under the GIL: %.0f %% of "
                             "what they did without it (%u cores); the lock changed hands %.0f times a second."),
                           n_cpu, 100 * chosen[SETUP_GIL_CPU].work / chosen[SETUP_FREE_CPU].work,
                           ptl_machine_get_n_cpus (), chosen[SETUP_GIL_CPU].switches);
      ptl_result_add_note (result,
                           _("Each run lasts %u ms, or ten switch intervals when that is longer; every "
                             "thread starts at one instant after all are created; the runs without the lock "
                             "ran before and after the sweep, and of each pair the one that did more arithmetic "
                             "is shown. The lock follows CPython's "
                             "ceval_gil.c: a waiter asks for it after a whole interval without a change of "
                             "holder, and the holder then waits until someone else has taken it."),
                           self->duration_ms);
      ptl_thread_recorder_add_charts (chosen[SETUP_GIL_IO].recorder, result, "timeline", title, TRUE);
    }

  for (Setup setup = 0; setup < N_SETUPS; setup++)
    outcome_clear (&chosen[setup]);
  output_clear (&out);
  return ok;
}

static guint
ptl_gil_experiment_count_tasks (PtlExperiment *experiment)
{
  /* The CPU-bound threads and the I/O-bound one. */
  return PTL_GIL_EXPERIMENT (experiment)->cpu_threads + 1;
}

static void
ptl_gil_experiment_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PtlGilExperiment *self = PTL_GIL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_CPU_THREADS:
      g_value_set_uint (value, self->cpu_threads);
      break;
    case PROP_IO_MS:
      g_value_set_uint (value, self->io_ms);
      break;
    case PROP_SWITCH_INTERVAL_MS:
      g_value_set_double (value, self->switch_interval_ms);
      break;
    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;
    case PROP_SWEEP:
      g_value_set_boolean (value, self->sweep);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_gil_experiment_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PtlGilExperiment *self = PTL_GIL_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_CPU_THREADS:
      ptl_param_store_uint (object, &self->cpu_threads, value, pspec);
      break;
    case PROP_IO_MS:
      ptl_param_store_uint (object, &self->io_ms, value, pspec);
      break;
    case PROP_SWITCH_INTERVAL_MS:
      ptl_param_store_double (object, &self->switch_interval_ms, value, pspec);
      break;
    case PROP_DURATION_MS:
      ptl_param_store_uint (object, &self->duration_ms, value, pspec);
      break;
    case PROP_SWEEP:
      ptl_param_store_boolean (object, &self->sweep, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_gil_experiment_class_init (PtlGilExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "response", N_("The I/O thread's response time by switch interval, beside one interval and no lock") },
    { "gil-time-cpu", N_("Each CPU-bound thread's time holding and waiting for the GIL, alone") },
    { "gil-time-io", N_("Each thread's time holding and waiting for the GIL, with the I/O-bound thread") },
    { "timeline", N_("Thread-state timeline: who holds the GIL at the chosen interval") },
    { "timeline-cpus", N_("Which thread ran on each CPU") },
    { "timeline-shares", N_("Each thread's share of time per state") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_gil_experiment_get_property;
  object_class->set_property = ptl_gil_experiment_set_property;

  experiment_class->id = "gil";
  experiment_class->title = N_("Inside the GIL");
  experiment_class->category = N_("Threads");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "work", PTL_HEADLINE_RANGE);
  experiment_class->summary =
    N_("CPU-bound threads under an emulated Python global interpreter lock, alone and with an I/O-bound "
       "thread beside them, over switch intervals from 1 to 100 ms: each thread's time holding and "
       "waiting for the lock, the I/O thread's response time (the convoy effect), and a timeline of who "
       "holds it; the same threads without the lock are the reference.");
  experiment_class->explanation =
    /* xgettext:no-c-format (a literal “%”, never printf’d) */
    N_("CPython runs Python code in one thread at a time: a thread must hold the global interpreter lock "
       "(GIL) to run bytecode. A thread that computes keeps it until another asks; a thread that waits "
       "for a whole switch interval (sys.setswitchinterval (), 5 ms by default) without the lock changing "
       "hands sets a drop request, and the holder lets go at its next check and waits until the other "
       "has taken it. A thread that blocks on I/O releases the lock for the wait. The lab emulates that "
       "lock step by step after CPython's ceval_gil.c (the “Concurrency models” experiment uses the same "
       "one) so you can watch it in C, without Python.\n\n"
       "What to look for. With CPU-bound threads alone, each holds the lock for about 1/N of the time "
       "and waits the rest: on the shares chart the holding lines sit near 100/N % at every interval, "
       "and together the threads do about one core's worth of arithmetic however many cores there are "
       "(compare the work column with the free-cpu row). The switch interval only sets how often the "
       "lock changes hands.\n\n"
       "The convoy effect. Add a thread that reads from a socket and then handles the answer. Its read "
       "releases the lock; when the data is there it must take the lock back, but the holder is "
       "computing and only lets go after a waiter has asked for a whole interval. So every answer waits "
       "about one switch interval: on the response chart the gil-io line follows the diagonal (one "
       "interval) from 1 to 100 ms, while the same thread without the lock answers in microseconds (the "
       "horizontal line). A server thread doing 1 ms reads next to a busy computation is slowed down "
       "not by the work it does but by the queue it joins. Shorter intervals cut the wait and cost more "
       "hand-overs (the switches column); longer ones do the opposite.\n\n"
       "The timeline shows one run with the I/O thread at the chosen interval: the CPU threads take "
       "turns holding the GIL, and the io lane waits for I/O, then waits for the GIL, holds it briefly, "
       "and waits for I/O again. Its CPU lanes show whether the waiting threads really stay off the CPUs.\n\n"
       "How it is measured: every thread starts at one instant after all are created and works for "
       "duration-ms (or ten intervals when longer); the I/O thread stamps each answer from the end of "
       "its wait to the end of its handling, with the monotonic clock; holding and waiting come from "
       "each thread's own recording, over its time in the run. One untimed run comes first; the runs "
       "without the lock come before and after the sweep, and the one of each pair that did more "
       "arithmetic counts, since other programs only ever slow a run down.");

  experiment_class->run = ptl_gil_experiment_run;
  experiment_class->count_tasks = ptl_gil_experiment_count_tasks;

  properties[PROP_CPU_THREADS] =
    g_param_spec_uint ("cpu-threads", N_("CPU-bound threads"),
                       N_("Threads that only compute, taking turns with the lock"),
                       1, 64, 2, flags);
  ptl_param_set_unit (properties[PROP_CPU_THREADS], N_("threads"));
  properties[PROP_IO_MS] =
    g_param_spec_uint ("io-ms", N_("I/O wait"),
                       N_("How long each read of the I/O-bound thread waits, without the lock, before it "
                          "handles the answer"),
                       1, 1000, 1, flags);
  ptl_param_set_unit (properties[PROP_IO_MS], "ms");
  properties[PROP_SWITCH_INTERVAL_MS] =
    g_param_spec_double ("switch-interval-ms", N_("Switch interval"),
                         N_("The interval the table and the timeline show (CPython's default is 5 ms); the "
                            "sweep adds 1 to 100 ms"),
                         0.1, 100, 5, flags);
  ptl_param_set_unit (properties[PROP_SWITCH_INTERVAL_MS], "ms");
  properties[PROP_DURATION_MS] =
    g_param_spec_uint ("duration-ms", N_("Run length"),
                       N_("How long each run lasts; runs last at least ten switch intervals"),
                       50, 10000, 400, flags);
  ptl_param_set_unit (properties[PROP_DURATION_MS], "ms");
  properties[PROP_SWEEP] =
    g_param_spec_boolean ("sweep", N_("Interval sweep"),
                          N_("Measure switch intervals from 1 to 100 ms, not only the chosen one"),
                          TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_gil_experiment_init (PtlGilExperiment *self)
{
  self->cpu_threads = 2;
  self->io_ms = 1;
  self->switch_interval_ms = 5;
  self->duration_ms = 400;
  self->sweep = TRUE;
}
