/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-race-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pthread.h>
#include <stdalign.h>

#include "ptl-race-experiment.h"
#include "ptl-thread-team.h"

/* "race": T threads each add 1 to one counter M times, first with no
 * guard at all, then with each way of making it correct. The unguarded
 * counter is read and written through a volatile pointer, so each
 * increment really is a load, an add and a store to memory, as in the
 * textbook interleaving (an optimising compiler would otherwise keep the
 * counter in a register for the whole loop and lose updates by the
 * million, for a different reason). Every worker stamps its own start and
 * end; throughput is all increments over the first start to the last end.
 * The timeline comes from a separate, shorter run with the instrumented
 * mutex and atomic, so recording never slows the measured runs. */

struct _PtlRaceExperiment
{
  PtlExperiment parent_instance;

  PtlRaceMethods methods;
  guint threads;
  guint increments;
  guint repeats;
  guint record_increments;
  gboolean cpu_lanes;
};

enum {
  PROP_0,
  PROP_METHODS,
  PROP_THREADS,
  PROP_INCREMENTS,
  PROP_REPEATS,
  PROP_RECORD_INCREMENTS,
  PROP_CPU_LANES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlRaceExperiment, ptl_race_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_THREADS 64
/* Workers look at the stop flag once per this many increments + 1. */
#define CHECK_MASK  0xffff
/* Two lines apart: the adjacent-line prefetcher pairs 64-byte lines. */
#define PAD_BYTES   128

typedef enum
{
  METHOD_UNGUARDED,
  METHOD_MUTEX,
  METHOD_SPINLOCK,
  METHOD_ATOMIC,
  METHOD_SHARDED,
  METHOD_PACKED,
  N_METHODS
} Method;

static const char * const method_names[] = {
  N_("Unguarded"),
  N_("Mutex"),
  N_("Spinlock"),
  N_("Atomic add"),
  N_("Sharded"),
  N_("Sharded, one cache line"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (method_names) == N_METHODS);

static const char * const method_choice_labels[] = {
  N_("All of them"),
  N_("Unguarded"),
  N_("Mutex"),
  N_("Spinlock"),
  N_("Atomic add"),
  N_("Sharded (padded)"),
  N_("Sharded on one cache line"),
  NULL,
};

typedef struct
{
  alignas (PAD_BYTES) volatile guint64 value;
} PaddedSlot;

/* What the workers of one cell share. Each contended word on its own
 * lines, so methods do not disturb each other. */
typedef struct
{
  alignas (PAD_BYTES) volatile guint64 plain;
  alignas (PAD_BYTES) pthread_mutex_t  mutex;
  alignas (PAD_BYTES) pthread_spinlock_t spin;
  alignas (PAD_BYTES) _Atomic guint64  atomic;
  PaddedSlot                           padded[MAX_THREADS];
  alignas (PAD_BYTES) volatile guint64 packed[MAX_THREADS];
} Counters;

typedef struct
{
  Method    method;
  guint64   increments;
  Counters *counters;
  gint      stop;
  gint64    starts[MAX_THREADS];
  gint64    ends[MAX_THREADS];
} Cell;

/* Recorded run */
typedef struct
{
  PtlThreadTrack *tracks[MAX_THREADS];
  PtlMutex        mutex;
  PtlAtomic       atomic;
  gboolean        atomic_phase;
  guint64         counter;
  guint           increments;
  gint            stop;
} Recording;

static guint
resolve_threads (PtlRaceExperiment *self)
{
  return self->threads > 0 ? self->threads : MIN (2 * ptl_machine_get_n_cpus (), MAX_THREADS);
}

/* The lesson's lost updates: a plain read-modify-write from every
 * thread. ThreadSanitizer would rightly stop the run here, so this one
 * race, made on purpose, is not instrumented. */
__attribute__ ((no_sanitize ("thread")))
static void
increment_unguarded (Cell     *cell,
                     Counters *c,
                     guint64   m)
{
  for (guint64 i = 0; i < m; i++)
    {
      c->plain = c->plain + 1;
      if ((i & CHECK_MASK) == 0 && g_atomic_int_get (&cell->stop))
        break;
    }
}

static void
race_worker (guint    index,
             gpointer data)
{
  Cell *cell = data;
  Counters *c = cell->counters;
  guint64 m = cell->increments;
  gint64 start = ptl_clock_now_ns ();

  switch (cell->method)
    {
    case METHOD_UNGUARDED:
      increment_unguarded (cell, c, m);
      break;
    case METHOD_MUTEX:
      for (guint64 i = 0; i < m; i++)
        {
          pthread_mutex_lock (&c->mutex);
          c->plain = c->plain + 1;
          pthread_mutex_unlock (&c->mutex);
          if ((i & CHECK_MASK) == 0 && g_atomic_int_get (&cell->stop))
            break;
        }
      break;
    case METHOD_SPINLOCK:
      for (guint64 i = 0; i < m; i++)
        {
          pthread_spin_lock (&c->spin);
          c->plain = c->plain + 1;
          pthread_spin_unlock (&c->spin);
          if ((i & CHECK_MASK) == 0 && g_atomic_int_get (&cell->stop))
            break;
        }
      break;
    case METHOD_ATOMIC:
      for (guint64 i = 0; i < m; i++)
        {
          atomic_fetch_add_explicit (&c->atomic, 1, memory_order_relaxed);
          if ((i & CHECK_MASK) == 0 && g_atomic_int_get (&cell->stop))
            break;
        }
      break;
    case METHOD_SHARDED:
      for (guint64 i = 0; i < m; i++)
        {
          c->padded[index].value = c->padded[index].value + 1;
          if ((i & CHECK_MASK) == 0 && g_atomic_int_get (&cell->stop))
            break;
        }
      break;
    case METHOD_PACKED:
      for (guint64 i = 0; i < m; i++)
        {
          c->packed[index] = c->packed[index] + 1;
          if ((i & CHECK_MASK) == 0 && g_atomic_int_get (&cell->stop))
            break;
        }
      break;
    case N_METHODS:
    default:
      g_assert_not_reached ();
    }

  cell->starts[index] = start;
  cell->ends[index] = ptl_clock_now_ns ();
}

static guint64
final_count (const Cell *cell,
             guint       n_threads)
{
  const Counters *c = cell->counters;
  guint64 sum = 0;

  switch (cell->method)
    {
    case METHOD_UNGUARDED:
    case METHOD_MUTEX:
    case METHOD_SPINLOCK:
      return c->plain;
    case METHOD_ATOMIC:
      return atomic_load (&c->atomic);
    case METHOD_SHARDED:
      for (guint t = 0; t < n_threads; t++)
        sum += c->padded[t].value;
      return sum;
    case METHOD_PACKED:
      for (guint t = 0; t < n_threads; t++)
        sum += c->packed[t];
      return sum;
    case N_METHODS:
    default:
      g_assert_not_reached ();
    }
}

/* One cell: @n_threads threads, one method, once. */
static gboolean
run_cell (PtlRaceExperiment *self,
          Method             method,
          guint              n_threads,
          GCancellable      *cancellable,
          double            *lost,
          double            *throughput,
          GError           **error)
{
  g_autofree Counters *counters = g_malloc0 (sizeof (Counters) + PAD_BYTES);
  g_autofree Cell *cell = g_new0 (Cell, 1);
  gint64 first = G_MAXINT64, last = G_MININT64;
  gboolean ok;

  /* g_malloc0 gives 16-byte alignment; the pads need their own. */
  Counters *aligned = (Counters *) (((guintptr) counters + PAD_BYTES - 1) & ~(guintptr) (PAD_BYTES - 1));

  pthread_mutex_init (&aligned->mutex, NULL);
  pthread_spin_init (&aligned->spin, PTHREAD_PROCESS_PRIVATE);
  atomic_init (&aligned->atomic, 0);
  cell->method = method;
  cell->increments = self->increments;
  cell->counters = aligned;

  ok = ptl_thread_team_run (n_threads, race_worker, cell, &cell->stop, cancellable, error);
  if (ok)
    {
      for (guint t = 0; t < n_threads; t++)
        {
          first = MIN (first, cell->starts[t]);
          last = MAX (last, cell->ends[t]);
        }
      *lost = (double) ((guint64) n_threads * self->increments - final_count (cell, n_threads));
      *throughput = (double) n_threads * self->increments / MAX (last - first, 1) * 1e9;
    }
  pthread_mutex_destroy (&aligned->mutex);
  pthread_spin_destroy (&aligned->spin);
  return ok;
}

static void
record_worker (guint    index,
               gpointer data)
{
  Recording *rec = data;
  PtlThreadTrack *track = rec->tracks[index];

  if (!rec->atomic_phase)
    ptl_thread_track_begin (track);
  for (guint i = 0; i < rec->increments && !g_atomic_int_get (&rec->stop); i++)
    {
      if (rec->atomic_phase)
        ptl_atomic_add (&rec->atomic, track, 1);
      else
        {
          PtlHold hold;

          ptl_mutex_lock (&rec->mutex, track, &hold);
          rec->counter++;
          ptl_mutex_unlock (&rec->mutex, track, &hold);
        }
    }
  if (rec->atomic_phase)
    ptl_thread_track_finish (track);
}

/* The timeline: every thread through the mutex, then the atomic. */
static gboolean
record_timeline (PtlRaceExperiment *self,
                 PtlResult         *result,
                 guint              n_threads,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (2 * self->record_increments + 16);
  g_autofree Recording *rec = g_new0 (Recording, 1);
  g_autofree char *title = NULL;
  gboolean ok;

  ptl_mutex_init (&rec->mutex, recorder, _("counter mutex"));
  ptl_atomic_init (&rec->atomic, recorder, _("atomic counter"));
  rec->increments = self->record_increments;
  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = g_strdup_printf (_("Thread %u"), t + 1);

      rec->tracks[t] = ptl_thread_recorder_add_thread (recorder, name);
    }

  ok = ptl_thread_team_run (n_threads, record_worker, rec, &rec->stop, cancellable, error);
  if (ok)
    {
      rec->atomic_phase = TRUE;
      ok = ptl_thread_team_run (n_threads, record_worker, rec, &rec->stop, cancellable, error);
    }
  ptl_mutex_clear (&rec->mutex);
  if (!ok)
    return FALSE;

  title = g_strdup_printf (_("%u threads, %u increments each: mutex, then atomic add"),
                           n_threads, self->record_increments);
  ptl_thread_recorder_add_charts (recorder, result, "threads", title, self->cpu_lanes);
  return TRUE;
}

static gboolean
ptl_race_experiment_run (PtlExperiment  *experiment,
                         PtlRun         *run,
                         GError        **error)
{
  PtlRaceExperiment *self = PTL_RACE_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  guint max_threads = resolve_threads (self);
  guint n_cpus = ptl_machine_get_n_cpus ();
  Method first_method = self->methods == PTL_RACE_METHODS_ALL ? 0 : (Method) (self->methods - 1);
  Method end_method = self->methods == PTL_RACE_METHODS_ALL ? N_METHODS : first_method + 1;
  guint n_cells = (end_method - first_method) * max_threads * self->repeats, done = 0;
  g_autofree double *lost = g_new0 (double, (gsize) N_METHODS * max_threads * self->repeats);
  g_autofree double *rate = g_new0 (double, (gsize) N_METHODS * max_threads * self->repeats);
  PtlChart *lost_chart, *rate_chart, *sharing_chart;
  PtlTable *table;
  guint columns[8];

  /* Methods interleaved inside each repeat, so a burst of other work on
   * the machine hits them all alike. */
  for (guint r = 0; r < self->repeats; r++)
    for (guint t = 1; t <= max_threads; t++)
      for (Method m = first_method; m < end_method; m++)
        {
          gsize i = ((gsize) m * max_threads + (t - 1)) * self->repeats + r;

          ptl_run_progress (run, (double) done++ / (n_cells + 1), _("%s with %u threads, repeat %u of %u"),
                            _(method_names[m]), t, r + 1, self->repeats);
          if (!run_cell (self, m, t, cancellable, &lost[i], &rate[i], error))
            return FALSE;
        }

  ptl_run_progress (run, (double) done / (n_cells + 1), _("Recording the timeline"));
  if (!record_timeline (self, result, max_threads, cancellable, error) ||
      !ptl_sync_add_overhead_note (result, cancellable, error))
    return FALSE;

  lost_chart = ptl_result_add_chart (result, "lost", PTL_CHART_LINE, _("Lost updates"));
  ptl_chart_set_x_axis (lost_chart, _("Threads"), NULL, FALSE);
  ptl_chart_set_y_axis (lost_chart, _("Increments lost"), "%", FALSE);
  rate_chart = ptl_result_add_chart (result, "throughput", PTL_CHART_LINE, _("Increments per second"));
  ptl_chart_set_x_axis (rate_chart, _("Threads"), NULL, FALSE);
  ptl_chart_set_y_axis (rate_chart, _("Throughput"), "ops/s", TRUE);
  ptl_chart_add_reference (rate_chart, PTL_REFERENCE_VERTICAL, n_cpus, _("CPUs"));
  sharing_chart = ptl_result_add_chart (result, "false-sharing", PTL_CHART_LINE,
                                        _("False sharing: per-thread counters"));
  ptl_chart_set_x_axis (sharing_chart, _("Threads"), NULL, FALSE);
  ptl_chart_set_y_axis (sharing_chart, _("Throughput"), "ops/s", TRUE);
  ptl_chart_add_reference (sharing_chart, PTL_REFERENCE_VERTICAL, n_cpus, _("CPUs"));

  table = ptl_result_get_summary (result);
  columns[0] = ptl_table_add_column (table, _("Method"), NULL);
  columns[1] = ptl_table_add_column (table, _("Threads"), NULL);
  columns[2] = ptl_table_add_column (table, _("Expected"), NULL);
  columns[3] = ptl_table_add_column (table, _("Lost (median)"), NULL);
  columns[4] = ptl_table_add_column (table, _("Lost (max)"), NULL);
  columns[5] = ptl_table_add_column (table, _("Correct"), NULL);
  columns[6] = ptl_table_add_column (table, _("Throughput"), "ops/s");
  columns[7] = ptl_table_add_column (table, _("Speed-up over 1 thread"), "x");

  for (Method m = first_method; m < end_method; m++)
    {
      PtlSeries *lost_series = ptl_chart_add_series (lost_chart, _(method_names[m]));
      PtlSeries *rate_series = ptl_chart_add_series (m >= METHOD_SHARDED ? sharing_chart : rate_chart,
                                                     _(method_names[m]));
      double one_thread = NAN, max_lost = 0, expected = 0, median_lost = 0, median_rate = 0;
      gboolean correct = TRUE;
      guint row;

      ptl_series_set_band_label (lost_series, _("min–max"));
      ptl_series_set_band_label (rate_series, _("min–max"));
      for (guint t = 1; t <= max_threads; t++)
        {
          const double *l = &lost[((gsize) m * max_threads + (t - 1)) * self->repeats];
          const double *v = &rate[((gsize) m * max_threads + (t - 1)) * self->repeats];
          double total = (double) t * self->increments;
          PtlStats ls, vs;

          ptl_stats_compute (&ls, l, self->repeats);
          ptl_stats_compute (&vs, v, self->repeats);
          ptl_series_add_point_band (lost_series, t, 100 * ls.median / total, 100 * ls.min / total,
                                     100 * ls.max / total);
          ptl_series_add_point_band (rate_series, t, vs.median, vs.min, vs.max);
          if (t == 1)
            one_thread = vs.median;
          correct &= ls.max == 0;
          if (t == max_threads)
            {
              max_lost = ls.max;
              median_lost = ls.median;
              median_rate = vs.median;
              expected = total;
            }
        }

      row = ptl_table_add_row (table);
      ptl_table_set_text (table, row, columns[0], _(method_names[m]));
      ptl_table_set_number (table, row, columns[1], max_threads);
      ptl_table_set_number (table, row, columns[2], expected);
      ptl_table_set_number (table, row, columns[3], median_lost);
      ptl_table_set_number (table, row, columns[4], max_lost);
      ptl_table_set_text (table, row, columns[5], correct ? _("yes") : _("no"));
      ptl_table_set_number (table, row, columns[6], median_rate);
      ptl_table_set_number (table, row, columns[7], median_rate / one_thread);
    }

  ptl_result_add_note (result,
                       _("%u CPUs; %u increments per thread; %u repeats per cell, methods interleaved. "
                         "Lost = threads × increments − the final count; “correct” means no repeat at any "
                         "thread count lost one. Throughput counts every increment from the first worker's "
                         "start to the last one's end, each stamped by the worker itself."),
                       n_cpus, self->increments, self->repeats);
  if (n_cpus < 2)
    ptl_result_add_warning (result,
                            _("This run had one CPU: unguarded threads lose updates only when the "
                              "scheduler preempts one between its load and its store, so losses are rare."));
  ptl_run_progress (run, 1, _("Done"));
  return TRUE;
}

static guint
ptl_race_experiment_count_tasks (PtlExperiment *experiment)
{
  return resolve_threads (PTL_RACE_EXPERIMENT (experiment));
}

static void
ptl_race_experiment_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PtlRaceExperiment *self = PTL_RACE_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_METHODS:
      g_value_set_enum (value, self->methods);
      break;
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_INCREMENTS:
      g_value_set_uint (value, self->increments);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    case PROP_RECORD_INCREMENTS:
      g_value_set_uint (value, self->record_increments);
      break;
    case PROP_CPU_LANES:
      g_value_set_boolean (value, self->cpu_lanes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_race_experiment_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PtlRaceExperiment *self = PTL_RACE_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_METHODS:
      ptl_param_store_enum (object, (int *) &self->methods, value, pspec);
      break;
    case PROP_THREADS:
      ptl_param_store_uint (object, &self->threads, value, pspec);
      break;
    case PROP_INCREMENTS:
      ptl_param_store_uint (object, &self->increments, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    case PROP_RECORD_INCREMENTS:
      ptl_param_store_uint (object, &self->record_increments, value, pspec);
      break;
    case PROP_CPU_LANES:
      ptl_param_store_boolean (object, &self->cpu_lanes, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_race_experiment_class_init (PtlRaceExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "threads", N_("Thread-state timeline of a recorded run: mutex, then atomic add") },
    { "threads-cpus", N_("Which thread held the lock on each CPU") },
    { "threads-shares", N_("Each thread's share of time per state") },
    { "lost", N_("Lost updates against the thread count") },
    { "throughput", N_("Increments per second against the thread count") },
    { "false-sharing", N_("Per-thread counters padded apart or on one cache line") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_race_experiment_get_property;
  object_class->set_property = ptl_race_experiment_set_property;

  experiment_class->id = "race";
  experiment_class->title = N_("Race condition");
  experiment_class->category = N_("Threads");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Lost (max)", PTL_HEADLINE_MAX);
  experiment_class->summary =
    N_("Threads add 1 to one shared counter, unguarded and then guarded by a mutex, a spinlock, an "
       "atomic add or per-thread counters: how many updates are lost, and what being correct costs.");
  experiment_class->explanation =
    N_("Why updates get lost. “counter = counter + 1” is three steps for the CPU: load the value "
       "into a register, add 1, store it back. Two threads can interleave them:\n"
       "  thread A loads 41\n"
       "  thread B loads 41\n"
       "  thread A adds 1 and stores 42\n"
       "  thread B adds 1 and stores 42\n"
       "Two increments ran, the counter moved by one: B's store wrote over A's. Nothing crashes and "
       "nothing warns; the total is simply short. The lost-updates chart counts it: expected "
       "(threads × increments) minus the final count, over several repeats. With one thread nothing "
       "is lost; with two threads on two CPUs the loss is large, because both run the three steps at "
       "the same moment all the time. With more threads than CPUs, losses need a preemption between "
       "a load and its store, so they are rarer but never gone.\n\n"
       "The cures, and their price. A mutex or a spinlock makes the three steps one critical section: "
       "correct, but threads now take turns, and each turn moves the counter's cache line from one "
       "CPU to the other. An atomic add (C11 atomic_fetch_add, one locked instruction) is correct "
       "and cheaper, yet still contends for that one line. Sharded counters give every thread its "
       "own counter and sum them at the end: no sharing, so they scale with the CPUs. The throughput "
       "chart shows it: guarded methods get slower per increment when a second thread arrives, "
       "sharded ones get faster.\n\n"
       "False sharing. Per-thread counters only help when they sit on different cache lines. Packed "
       "side by side, they share one 64-byte line, and each write by one CPU takes the line away from "
       "the other: correct, but about as slow as the contended cases. Padding each counter to its own "
       "line (128 bytes here, since CPUs fetch lines in pairs) brings the scaling back.\n\n"
       "The timeline. A shorter run with the lab's instrumented mutex, then its atomic, recorded per "
       "thread: with the mutex the lanes alternate holding and waiting; with the atomic there is "
       "almost no waiting, only the occasional lost compare-and-swap race. A long wait for the mutex "
       "usually means its holder was preempted: the others sleep until it runs again. Running is "
       "everything between recorded waits and holds, preempted time included. The notes say what "
       "recording costs per lock.");

  experiment_class->count_tasks = ptl_race_experiment_count_tasks;
  experiment_class->run = ptl_race_experiment_run;

  properties[PROP_METHODS] =
    g_param_spec_enum ("methods", N_("Methods"),
                       N_("Every way of counting, or one of them alone (for long runs of it)"),
                       PTL_TYPE_RACE_METHODS, PTL_RACE_METHODS_ALL, flags);
  ptl_param_set_choice_labels (properties[PROP_METHODS], method_choice_labels);
  properties[PROP_THREADS] =
    g_param_spec_uint ("threads", N_("Most threads"),
                       N_("Runs go from 1 thread to this many; 0 means twice the CPUs"),
                       0, MAX_THREADS, 0, flags);
  ptl_param_set_unit (properties[PROP_THREADS], N_("threads"));
  properties[PROP_INCREMENTS] =
    g_param_spec_uint ("increments", N_("Increments per thread"),
                       N_("How many times each thread adds 1"),
                       1000, 50000000, 2000000, flags);
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"),
                       N_("Runs of every method at every thread count"),
                       1, 50, 3, flags);
  properties[PROP_RECORD_INCREMENTS] =
    g_param_spec_uint ("record-increments", N_("Recorded increments"),
                       N_("Increments per thread in the recorded run drawn as the timeline"),
                       10, 200000, 20000, flags);

  properties[PROP_CPU_LANES] =
    g_param_spec_boolean ("cpu-lanes", N_("Lanes per CPU"),
                          N_("Also draw which thread held a lock or ran on each CPU"),
                          TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_race_experiment_init (PtlRaceExperiment *self)
{
  self->threads = 0;
  self->increments = 2000000;
  self->repeats = 3;
  self->record_increments = 20000;
  self->cpu_lanes = TRUE;
}

GType
ptl_race_methods_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_RACE_METHODS_ALL, "PTL_RACE_METHODS_ALL", "all" },
    { PTL_RACE_METHODS_UNGUARDED, "PTL_RACE_METHODS_UNGUARDED", "unguarded" },
    { PTL_RACE_METHODS_MUTEX, "PTL_RACE_METHODS_MUTEX", "mutex" },
    { PTL_RACE_METHODS_SPINLOCK, "PTL_RACE_METHODS_SPINLOCK", "spinlock" },
    { PTL_RACE_METHODS_ATOMIC, "PTL_RACE_METHODS_ATOMIC", "atomic" },
    { PTL_RACE_METHODS_SHARDED, "PTL_RACE_METHODS_SHARDED", "sharded" },
    { PTL_RACE_METHODS_PACKED, "PTL_RACE_METHODS_PACKED", "packed" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlRaceMethods", values);
}
