/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-locks-experiment"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>

#include "ptl-locks-experiment.h"
#include "ptl-thread-team.h"

/* "locks": threads take one lock over and over, doing critical-ns of work
 * inside and outside-ns outside, for cell-ms. Every worker counts its own
 * acquisitions (fairness), times each acquisition (the wait) and stamps
 * its own start and end (throughput). Work is a spin on the time-stamp
 * counter, so it takes the same time whatever the CPU does meanwhile.
 * The measured cells use the bare primitives; the timeline comes from a
 * separate short run with the instrumented ones. Uncontended costs come
 * from ptl_sync_measure_cost (), bare and instrumented in one loop. */

struct _PtlLocksExperiment
{
  PtlExperiment parent_instance;

  guint threads;
  guint critical_ns;
  guint outside_ns;
  guint read_share;
  guint cell_ms;
  guint repeats;
  guint record_ms;
  gboolean cpu_lanes;
};

enum {
  PROP_0,
  PROP_THREADS,
  PROP_CRITICAL_NS,
  PROP_OUTSIDE_NS,
  PROP_READ_SHARE,
  PROP_CELL_MS,
  PROP_REPEATS,
  PROP_RECORD_MS,
  PROP_CPU_LANES,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlLocksExperiment, ptl_locks_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_THREADS      64
/* Waits kept per thread per cell: enough for a p99, bounded memory. */
#define WAITS_PER_THREAD 20000

typedef enum
{
  LOCK_MUTEX,
  LOCK_SPINLOCK,
  LOCK_RWLOCK,
  LOCK_SEMAPHORE,
  LOCK_REC_MUTEX,
  N_LOCKS
} LockKind;

static const char * const lock_names[] = {
  N_("Mutex"),
  N_("Spinlock"),
  N_("RW lock"),
  N_("Semaphore"),
  N_("Recursive mutex"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (lock_names) == N_LOCKS);

/* The critical-section sweep, at the most threads. */
static const guint critical_sweep_ns[] = { 50, 500, 5000, 50000 };

typedef struct
{
  guint64 ops;
  gint64  start;
  gint64  end;
  guint   n_waits;
  float  *waits;  /* ticks */
} WorkerStats;

typedef struct
{
  LockKind            kind;
  double              critical_ns;
  double              outside_ns;
  guint               read_share;
  gint64              duration_ticks;
  gint                stop;
  pthread_mutex_t     mutex;
  pthread_spinlock_t  spin;
  GRWLock             rwlock;
  sem_t               sem;
  GRecMutex           rec_mutex;
  WorkerStats         stats[MAX_THREADS];

  /* recorded runs only */
  PtlThreadTrack     *tracks[MAX_THREADS];
  PtlMutex            r_mutex;
  PtlSpinlock         r_spin;
  PtlRWLock           r_rwlock;
  PtlSemaphore        r_sem;
  PtlRecMutex         r_rec_mutex;
  gboolean            recorded;
  gboolean            first_phase;
  gboolean            last_phase;
} Cell;

typedef struct
{
  double throughput;
  double jain;
  double wait_p50;
  double wait_p99;
} CellResult;

static guint
resolve_threads (PtlLocksExperiment *self)
{
  return self->threads > 0 ? self->threads : MIN (2 * ptl_machine_get_n_cpus (), MAX_THREADS);
}

/* A cheap per-thread generator for the reader/writer choice. */
static inline guint32
next_random (guint32 *state)
{
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8;
}

static inline void
take_bare (Cell    *cell,
           gboolean read)
{
  switch (cell->kind)
    {
    case LOCK_MUTEX:
      pthread_mutex_lock (&cell->mutex);
      break;
    case LOCK_SPINLOCK:
      pthread_spin_lock (&cell->spin);
      break;
    case LOCK_RWLOCK:
      if (read)
        g_rw_lock_reader_lock (&cell->rwlock);
      else
        g_rw_lock_writer_lock (&cell->rwlock);
      break;
    case LOCK_SEMAPHORE:
      while (sem_wait (&cell->sem) != 0)
        ;
      break;
    case LOCK_REC_MUTEX:
      /* Taken twice, as a function calling another that locks would. */
      g_rec_mutex_lock (&cell->rec_mutex);
      g_rec_mutex_lock (&cell->rec_mutex);
      break;
    case N_LOCKS:
    default:
      g_assert_not_reached ();
    }
}

static inline void
release_bare (Cell    *cell,
              gboolean read)
{
  switch (cell->kind)
    {
    case LOCK_MUTEX:
      pthread_mutex_unlock (&cell->mutex);
      break;
    case LOCK_SPINLOCK:
      pthread_spin_unlock (&cell->spin);
      break;
    case LOCK_RWLOCK:
      if (read)
        g_rw_lock_reader_unlock (&cell->rwlock);
      else
        g_rw_lock_writer_unlock (&cell->rwlock);
      break;
    case LOCK_SEMAPHORE:
      sem_post (&cell->sem);
      break;
    case LOCK_REC_MUTEX:
      g_rec_mutex_unlock (&cell->rec_mutex);
      g_rec_mutex_unlock (&cell->rec_mutex);
      break;
    case N_LOCKS:
    default:
      g_assert_not_reached ();
    }
}

static inline void
take_recorded (Cell           *cell,
               PtlThreadTrack *track,
               PtlHold        *hold,
               gboolean        read)
{
  switch (cell->kind)
    {
    case LOCK_MUTEX:
      ptl_mutex_lock (&cell->r_mutex, track, hold);
      break;
    case LOCK_SPINLOCK:
      ptl_spinlock_lock (&cell->r_spin, track, hold);
      break;
    case LOCK_RWLOCK:
      if (read)
        ptl_rw_lock_reader_lock (&cell->r_rwlock, track, hold);
      else
        ptl_rw_lock_writer_lock (&cell->r_rwlock, track, hold);
      break;
    case LOCK_SEMAPHORE:
      ptl_semaphore_wait (&cell->r_sem, track, hold);
      break;
    case LOCK_REC_MUTEX:
      ptl_rec_mutex_lock (&cell->r_rec_mutex, track, hold);
      ptl_rec_mutex_lock (&cell->r_rec_mutex, track, hold);
      break;
    case N_LOCKS:
    default:
      g_assert_not_reached ();
    }
}

static inline void
release_recorded (Cell           *cell,
                  PtlThreadTrack *track,
                  PtlHold        *hold,
                  gboolean        read)
{
  switch (cell->kind)
    {
    case LOCK_MUTEX:
      ptl_mutex_unlock (&cell->r_mutex, track, hold);
      break;
    case LOCK_SPINLOCK:
      ptl_spinlock_unlock (&cell->r_spin, track, hold);
      break;
    case LOCK_RWLOCK:
      if (read)
        ptl_rw_lock_reader_unlock (&cell->r_rwlock, track, hold);
      else
        ptl_rw_lock_writer_unlock (&cell->r_rwlock, track, hold);
      break;
    case LOCK_SEMAPHORE:
      ptl_semaphore_post (&cell->r_sem, track, hold);
      break;
    case LOCK_REC_MUTEX:
      ptl_rec_mutex_unlock (&cell->r_rec_mutex, track, hold);
      ptl_rec_mutex_unlock (&cell->r_rec_mutex, track, hold);
      break;
    case N_LOCKS:
    default:
      g_assert_not_reached ();
    }
}

static void
lock_worker (guint    index,
             gpointer data)
{
  Cell *cell = data;
  WorkerStats *stats = &cell->stats[index];
  PtlThreadTrack *track = cell->tracks[index];
  guint32 random = 0x9e3779b9u * (index + 1);
  gint64 start = ptl_thread_ticks ();
  gint64 deadline = start + cell->duration_ticks;
  gint64 now = start;

  if (cell->recorded && cell->first_phase)
    ptl_thread_track_begin (track);
  stats->start = ptl_clock_now_ns ();
  while (now < deadline && !g_atomic_int_get (&cell->stop))
    {
      gboolean read = cell->kind == LOCK_RWLOCK && next_random (&random) % 100 < cell->read_share;
      gint64 asked = now;

      if (cell->recorded)
        {
          PtlHold hold = { 0 };

          take_recorded (cell, track, &hold, read);
          ptl_thread_spin_ns (cell->critical_ns);
          release_recorded (cell, track, &hold, read);
        }
      else
        {
          take_bare (cell, read);
          if (stats->n_waits < WAITS_PER_THREAD)
            stats->waits[stats->n_waits++] = (float) (ptl_thread_ticks () - asked);
          ptl_thread_spin_ns (cell->critical_ns);
          release_bare (cell, read);
        }
      stats->ops++;
      ptl_thread_spin_ns (cell->outside_ns);
      now = ptl_thread_ticks ();
    }
  stats->end = ptl_clock_now_ns ();
  if (cell->recorded && cell->last_phase)
    ptl_thread_track_finish (track);
}

static gboolean
cell_init (Cell     *cell,
           GError  **error)
{
  if (sem_init (&cell->sem, 0, 1) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make a semaphore: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  pthread_mutex_init (&cell->mutex, NULL);
  pthread_spin_init (&cell->spin, PTHREAD_PROCESS_PRIVATE);
  g_rw_lock_init (&cell->rwlock);
  g_rec_mutex_init (&cell->rec_mutex);
  return TRUE;
}

static void
cell_clear (Cell *cell)
{
  sem_destroy (&cell->sem);
  pthread_mutex_destroy (&cell->mutex);
  pthread_spin_destroy (&cell->spin);
  g_rw_lock_clear (&cell->rwlock);
  g_rec_mutex_clear (&cell->rec_mutex);
  for (guint t = 0; t < MAX_THREADS; t++)
    g_clear_pointer (&cell->stats[t].waits, g_free);
}

static gboolean
run_cell (PtlLocksExperiment *self,
          LockKind            kind,
          guint               n_threads,
          guint               critical_ns,
          GCancellable       *cancellable,
          CellResult         *out,
          GError            **error)
{
  g_autofree Cell *cell = g_new0 (Cell, 1);
  g_autofree double *ops = g_new (double, n_threads);
  g_autoptr(GArray) waits = NULL;
  double ticks_per_ns = ptl_thread_ticks_per_ns ();
  gint64 first = G_MAXINT64, last = G_MININT64;
  double total = 0;
  PtlStats stats;
  gboolean ok;

  if (!cell_init (cell, error))
    return FALSE;
  cell->kind = kind;
  cell->critical_ns = critical_ns;
  cell->outside_ns = self->outside_ns;
  cell->read_share = self->read_share;
  cell->duration_ticks = (gint64) (self->cell_ms * 1e6 * ticks_per_ns);
  for (guint t = 0; t < n_threads; t++)
    cell->stats[t].waits = g_new (float, WAITS_PER_THREAD);

  ok = ptl_thread_team_run (n_threads, lock_worker, cell, &cell->stop, cancellable, error);
  if (ok)
    {
      waits = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint t = 0; t < n_threads; t++)
        {
          WorkerStats *w = &cell->stats[t];

          first = MIN (first, w->start);
          last = MAX (last, w->end);
          ops[t] = w->ops;
          total += w->ops;
          for (guint i = 0; i < w->n_waits; i++)
            {
              double ns = w->waits[i] / ticks_per_ns * 1e-9;

              g_array_append_val (waits, ns);
            }
        }
      ptl_stats_compute (&stats, (const double *) (gpointer) waits->data, waits->len);
      out->throughput = total / MAX (last - first, 1) * 1e9;
      out->jain = ptl_jain_index (ops, n_threads);
      out->wait_p50 = stats.median;
      out->wait_p99 = stats.p99;
    }
  cell_clear (cell);
  return ok;
}

/* The timeline: the most threads through each lock in turn, instrumented. */
static gboolean
record_timeline (PtlLocksExperiment *self,
                 PtlResult          *result,
                 guint               n_threads,
                 GCancellable       *cancellable,
                 GError            **error)
{
  /* Room for a wait and a hold per turn, a turn taking at least the work
   * in and out of the lock plus ~100 ns; beyond that the ring keeps the
   * latest and the warning says how many fell out. */
  double turns = self->record_ms * 1e6 / (self->critical_ns + self->outside_ns + 100.0);
  guint capacity = (guint) MIN (turns * 2 * N_LOCKS + 64, 1u << 20);
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (capacity);
  g_autofree Cell *cell = g_new0 (Cell, 1);
  g_autofree char *title = NULL;
  gboolean have_semaphore, ok;

  if (!cell_init (cell, error))
    return FALSE;
  ptl_mutex_init (&cell->r_mutex, recorder, _("mutex"));
  ptl_spinlock_init (&cell->r_spin, recorder, _("spinlock"));
  ptl_rw_lock_init (&cell->r_rwlock, recorder, _("rwlock"));
  ptl_rec_mutex_init (&cell->r_rec_mutex, recorder, _("recursive mutex"));
  have_semaphore = ptl_semaphore_init (&cell->r_sem, recorder, _("semaphore"), 1, error);
  ok = have_semaphore;
  cell->recorded = TRUE;
  cell->critical_ns = self->critical_ns;
  cell->outside_ns = self->outside_ns;
  cell->read_share = self->read_share;
  cell->duration_ticks = (gint64) (self->record_ms * 1e6 * ptl_thread_ticks_per_ns ());
  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = g_strdup_printf (_("Thread %u"), t + 1);

      cell->tracks[t] = ptl_thread_recorder_add_thread (recorder, name);
    }

  for (LockKind kind = 0; ok && kind < N_LOCKS; kind++)
    {
      cell->kind = kind;
      cell->first_phase = kind == 0;
      cell->last_phase = kind == N_LOCKS - 1;
      ok = ptl_thread_team_run (n_threads, lock_worker, cell, &cell->stop, cancellable, error);
    }

  if (have_semaphore)
    ptl_semaphore_clear (&cell->r_sem);
  ptl_mutex_clear (&cell->r_mutex);
  ptl_spinlock_clear (&cell->r_spin);
  ptl_rw_lock_clear (&cell->r_rwlock);
  ptl_rec_mutex_clear (&cell->r_rec_mutex);
  cell_clear (cell);
  if (!ok)
    return FALSE;

  title = g_strdup_printf (_("%u threads, %u ms on each lock in turn: mutex, spinlock, rwlock, semaphore, "
                             "recursive mutex"), n_threads, self->record_ms);
  ptl_thread_recorder_add_charts (recorder, result, "threads", title, self->cpu_lanes);
  return TRUE;
}

static gboolean
ptl_locks_experiment_run (PtlExperiment  *experiment,
                          PtlRun         *run,
                          GError        **error)
{
  PtlLocksExperiment *self = PTL_LOCKS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  guint max_threads = resolve_threads (self);
  guint n_cpus = ptl_machine_get_n_cpus ();
  guint n_sweep = G_N_ELEMENTS (critical_sweep_ns);
  guint n_cells = N_LOCKS * (max_threads + n_sweep) * self->repeats, done = 0;
  /* [lock][threads - 1][repeat] and [lock][sweep][repeat] */
  g_autofree CellResult *by_threads = g_new0 (CellResult, (gsize) N_LOCKS * max_threads * self->repeats);
  g_autofree CellResult *by_critical = g_new0 (CellResult, (gsize) N_LOCKS * n_sweep * self->repeats);
  g_autofree double *values = g_new (double, self->repeats);
  PtlSyncCost costs[PTL_SYNC_N_KINDS];
  PtlChart *rate_chart, *fair_chart, *wait_chart, *critical_chart, *cost_chart;
  PtlSeries *bare_series, *recorded_series;
  const char *cost_categories[PTL_SYNC_N_KINDS + 1];
  PtlTable *table;
  guint columns[9];

  for (guint r = 0; r < self->repeats; r++)
    {
      for (guint t = 1; t <= max_threads; t++)
        for (LockKind k = 0; k < N_LOCKS; k++)
          {
            ptl_run_progress (run, (double) done++ / (n_cells + 2), _("%s with %u threads, repeat %u of %u"),
                              _(lock_names[k]), t, r + 1, self->repeats);
            if (!run_cell (self, k, t, self->critical_ns, cancellable,
                           &by_threads[((gsize) k * max_threads + t - 1) * self->repeats + r], error))
              return FALSE;
          }
      for (guint c = 0; c < n_sweep; c++)
        for (LockKind k = 0; k < N_LOCKS; k++)
          {
            ptl_run_progress (run, (double) done++ / (n_cells + 2),
                              _("%s with a %u ns critical section, repeat %u of %u"),
                              _(lock_names[k]), critical_sweep_ns[c], r + 1, self->repeats);
            if (!run_cell (self, k, max_threads, critical_sweep_ns[c], cancellable,
                           &by_critical[((gsize) k * n_sweep + c) * self->repeats + r], error))
              return FALSE;
          }
    }

  ptl_run_progress (run, (double) done / (n_cells + 2), _("Uncontended costs"));
  for (PtlSyncKind kind = 0; kind < PTL_SYNC_N_KINDS; kind++)
    if (!ptl_sync_measure_cost (kind, 21, 20000, &costs[kind], cancellable, error))
      return FALSE;

  ptl_run_progress (run, (double) (done + 1) / (n_cells + 2), _("Recording the timeline"));
  if (!record_timeline (self, result, max_threads, cancellable, error) ||
      !ptl_sync_add_overhead_note (result, cancellable, error))
    return FALSE;

  rate_chart = ptl_result_add_chart (result, "throughput", PTL_CHART_LINE, _("Lock acquisitions per second"));
  ptl_chart_set_x_axis (rate_chart, _("Threads"), NULL, FALSE);
  ptl_chart_set_y_axis (rate_chart, _("Throughput"), "ops/s", TRUE);
  ptl_chart_add_reference (rate_chart, PTL_REFERENCE_VERTICAL, n_cpus, _("CPUs"));
  fair_chart = ptl_result_add_chart (result, "fairness", PTL_CHART_LINE, _("Fairness (Jain's index)"));
  ptl_chart_set_x_axis (fair_chart, _("Threads"), NULL, FALSE);
  ptl_chart_set_y_axis (fair_chart, _("Jain's index (1 = equal shares)"), NULL, FALSE);
  ptl_chart_add_reference (fair_chart, PTL_REFERENCE_VERTICAL, n_cpus, _("CPUs"));
  wait_chart = ptl_result_add_chart (result, "wait", PTL_CHART_LINE, _("Time to acquire"));
  ptl_chart_set_x_axis (wait_chart, _("Threads"), NULL, FALSE);
  ptl_chart_set_y_axis (wait_chart, _("Wait (median, band to p99)"), "s", TRUE);
  ptl_chart_add_reference (wait_chart, PTL_REFERENCE_VERTICAL, n_cpus, _("CPUs"));
  critical_chart = ptl_result_add_chart (result, "critical", PTL_CHART_LINE,
                                         _("Throughput against critical-section length"));
  ptl_chart_set_x_axis (critical_chart, _("Critical section"), "s", TRUE);
  ptl_chart_set_y_axis (critical_chart, _("Throughput"), "ops/s", TRUE);

  table = ptl_result_get_summary (result);
  columns[0] = ptl_table_add_column (table, _("Lock"), NULL);
  columns[1] = ptl_table_add_column (table, _("Threads"), NULL);
  columns[2] = ptl_table_add_column (table, _("Throughput"), "ops/s");
  columns[3] = ptl_table_add_column (table, _("Share of the best"), "x");
  columns[4] = ptl_table_add_column (table, _("Jain's index"), NULL);
  columns[5] = ptl_table_add_column (table, _("Wait p50"), "s");
  columns[6] = ptl_table_add_column (table, _("Wait p99"), "s");
  columns[7] = ptl_table_add_column (table, _("Uncontended"), "s");
  columns[8] = ptl_table_add_column (table, _("Uncontended, recorded"), "s");

  for (LockKind k = 0; k < N_LOCKS; k++)
    {
      PtlSeries *rate = ptl_chart_add_series (rate_chart, _(lock_names[k]));
      PtlSeries *fair = ptl_chart_add_series (fair_chart, _(lock_names[k]));
      PtlSeries *wait = ptl_chart_add_series (wait_chart, _(lock_names[k]));
      PtlSeries *critical = ptl_chart_add_series (critical_chart, _(lock_names[k]));
      /* The PtlSyncKind of each lock (rwlock: its write side). */
      static const PtlSyncKind sync_kinds[] = {
        PTL_SYNC_MUTEX, PTL_SYNC_SPINLOCK, PTL_SYNC_RWLOCK_WRITE, PTL_SYNC_SEMAPHORE, PTL_SYNC_REC_MUTEX,
      };
      double best = 0, last_rate = 0, last_jain = 0, last_p50 = 0, last_p99 = 0;
      guint row;

      ptl_series_set_band_label (rate, _("min–max"));
      ptl_series_set_band_label (wait, _("p50–p99"));
      ptl_series_set_band_label (critical, _("min–max"));
      for (guint t = 1; t <= max_threads; t++)
        {
          const CellResult *cells = &by_threads[((gsize) k * max_threads + t - 1) * self->repeats];
          PtlStats s;

#define COLLECT(field) \
          G_STMT_START { for (guint r = 0; r < self->repeats; r++) values[r] = cells[r].field; \
                         ptl_stats_compute (&s, values, self->repeats); } G_STMT_END
          COLLECT (throughput);
          ptl_series_add_point_band (rate, t, s.median, s.min, s.max);
          best = MAX (best, s.median);
          last_rate = s.median;
          COLLECT (jain);
          ptl_series_add_point (fair, t, s.median);
          last_jain = s.median;
          COLLECT (wait_p50);
          last_p50 = s.median;
          COLLECT (wait_p99);
          last_p99 = s.median;
          ptl_series_add_point_band (wait, t, MAX (last_p50, 1e-9), MAX (last_p50, 1e-9), MAX (last_p99, 1e-9));
        }
      for (guint c = 0; c < n_sweep; c++)
        {
          const CellResult *cells = &by_critical[((gsize) k * n_sweep + c) * self->repeats];
          PtlStats s;

          COLLECT (throughput);
          ptl_series_add_point_band (critical, critical_sweep_ns[c] * 1e-9, s.median, s.min, s.max);
        }
#undef COLLECT

      row = ptl_table_add_row (table);
      ptl_table_set_text (table, row, columns[0], _(lock_names[k]));
      ptl_table_set_number (table, row, columns[1], max_threads);
      ptl_table_set_number (table, row, columns[2], last_rate);
      ptl_table_set_number (table, row, columns[3], last_rate / best);
      ptl_table_set_number (table, row, columns[4], last_jain);
      ptl_table_set_number (table, row, columns[5], last_p50);
      ptl_table_set_number (table, row, columns[6], last_p99);
      ptl_table_set_number (table, row, columns[7], costs[sync_kinds[k]].bare_ns * 1e-9);
      ptl_table_set_number (table, row, columns[8], costs[sync_kinds[k]].recorded_ns * 1e-9);
    }
  /* Uncontended only: the rwlock's read side, and an atomic add for scale. */
  for (guint i = 0; i < 2; i++)
    {
      PtlSyncKind kind = i == 0 ? PTL_SYNC_RWLOCK_READ : PTL_SYNC_ATOMIC;
      guint row = ptl_table_add_row (table);

      ptl_table_set_text (table, row, columns[0], ptl_sync_kind_get_label (kind));
      ptl_table_set_number (table, row, columns[7], costs[kind].bare_ns * 1e-9);
      ptl_table_set_number (table, row, columns[8], costs[kind].recorded_ns * 1e-9);
    }

  cost_chart = ptl_result_add_chart (result, "uncontended", PTL_CHART_BAR,
                                     _("Uncontended lock + unlock, one thread"));
  for (PtlSyncKind kind = 0; kind < PTL_SYNC_N_KINDS; kind++)
    cost_categories[kind] = ptl_sync_kind_get_label (kind);
  cost_categories[PTL_SYNC_N_KINDS] = NULL;
  ptl_chart_set_categories (cost_chart, cost_categories);
  ptl_chart_set_y_axis (cost_chart, _("Time per pair"), "s", FALSE);
  bare_series = ptl_chart_add_series (cost_chart, _("Bare primitive"));
  recorded_series = ptl_chart_add_series (cost_chart, _("Instrumented (recorded)"));
  for (PtlSyncKind kind = 0; kind < PTL_SYNC_N_KINDS; kind++)
    {
      ptl_series_add_point (bare_series, kind, costs[kind].bare_ns * 1e-9);
      ptl_series_add_point (recorded_series, kind, costs[kind].recorded_ns * 1e-9);
    }

  ptl_result_add_note (result,
                       _("%u CPUs; each cell %u ms, %u repeats; %u ns of work inside the lock and %u ns "
                         "outside; rwlock takes the read side %u %% of the time; the semaphore starts at 1; "
                         "the recursive mutex is taken twice per turn. Wait = from asking for the lock to "
                         "holding it, timed by each thread; throughput and fairness from each thread's own "
                         "count and clock."),
                       n_cpus, self->cell_ms, self->repeats, self->critical_ns, self->outside_ns,
                       self->read_share);
  ptl_run_progress (run, 1, _("Done"));
  return TRUE;
}

static guint
ptl_locks_experiment_count_tasks (PtlExperiment *experiment)
{
  return resolve_threads (PTL_LOCKS_EXPERIMENT (experiment));
}

static void
ptl_locks_experiment_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PtlLocksExperiment *self = PTL_LOCKS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_CRITICAL_NS:
      g_value_set_uint (value, self->critical_ns);
      break;
    case PROP_OUTSIDE_NS:
      g_value_set_uint (value, self->outside_ns);
      break;
    case PROP_READ_SHARE:
      g_value_set_uint (value, self->read_share);
      break;
    case PROP_CELL_MS:
      g_value_set_uint (value, self->cell_ms);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    case PROP_RECORD_MS:
      g_value_set_uint (value, self->record_ms);
      break;
    case PROP_CPU_LANES:
      g_value_set_boolean (value, self->cpu_lanes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_locks_experiment_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PtlLocksExperiment *self = PTL_LOCKS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_THREADS:
      ptl_param_store_uint (object, &self->threads, value, pspec);
      break;
    case PROP_CRITICAL_NS:
      ptl_param_store_uint (object, &self->critical_ns, value, pspec);
      break;
    case PROP_OUTSIDE_NS:
      ptl_param_store_uint (object, &self->outside_ns, value, pspec);
      break;
    case PROP_READ_SHARE:
      ptl_param_store_uint (object, &self->read_share, value, pspec);
      break;
    case PROP_CELL_MS:
      ptl_param_store_uint (object, &self->cell_ms, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    case PROP_RECORD_MS:
      ptl_param_store_uint (object, &self->record_ms, value, pspec);
      break;
    case PROP_CPU_LANES:
      ptl_param_store_boolean (object, &self->cpu_lanes, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_locks_experiment_class_init (PtlLocksExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "threads", N_("Thread-state timeline of a recorded run through each lock") },
    { "threads-cpus", N_("Which thread held a lock on each CPU") },
    { "threads-shares", N_("Each thread's share of time per state") },
    { "throughput", N_("Lock acquisitions per second against the thread count") },
    { "fairness", N_("Jain's fairness index against the thread count") },
    { "wait", N_("Time to acquire, median to p99, against the thread count") },
    { "critical", N_("Throughput against the critical-section length") },
    { "uncontended", N_("Uncontended lock + unlock, bare and recorded") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_locks_experiment_get_property;
  object_class->set_property = ptl_locks_experiment_set_property;

  experiment_class->id = "locks";
  experiment_class->title = N_("Locks under contention");
  experiment_class->category = N_("Threads");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Throughput", PTL_HEADLINE_MAX);
  experiment_class->summary =
    N_("Threads fight over one mutex, spinlock, readers–writer lock, semaphore or recursive mutex: "
       "throughput, fairness and time to acquire against the thread count and the critical section, "
       "and what one uncontended lock and unlock costs.");
  experiment_class->explanation =
    N_("What is measured. Each thread loops: take the lock, work critical-ns inside, release, work "
       "outside-ns, again, for cell-ms. It counts its turns and times how long each acquisition "
       "took. Throughput is all turns per second; fairness is Jain's index of the threads' turn "
       "counts (1 when all got the same, 1/n when one got them all); the wait is the time from "
       "asking to holding, median and 99th percentile.\n\n"
       "What to look for. With one thread every lock is cheap: the uncontended chart shows a pair "
       "costs a few to a few tens of nanoseconds, close to an atomic add, because taking a free "
       "lock is one atomic instruction and no system call. With two threads on two CPUs the lock's "
       "cache line travels between CPUs and threads start to wait. With more threads than CPUs the "
       "locks part ways. A mutex puts a waiter to sleep in the kernel (futex), so the CPU goes to the "
       "thread holding the lock: throughput holds up. A spinlock waiter keeps the CPU busy asking; "
       "when the holder is preempted, every spinner burns its whole time slice waiting for a thread "
       "that cannot run, and throughput collapses (see “vs best” in the table). Spinlocks are for "
       "short sections on as many threads as CPUs, in kernels, not for applications.\n\n"
       "Fairness and tails. A mutex is not a queue: the thread that just released it often takes it "
       "right back while the woken waiter is still getting up, so throughput stays high and turns "
       "are uneven (Jain below 1, long p99 waits). The semaphore, used here as a lock with one "
       "permit, behaves like the mutex. The readers–writer lock lets readers share it: with a high "
       "read share it beats the mutex; writers may wait long behind the readers. The recursive mutex "
       "costs a little more than the mutex, for counting its owner's depth.\n\n"
       "The critical-section chart. Long sections make every lock look alike: the time inside "
       "dominates and only one thread can be there. Short ones expose the lock's own cost.\n\n"
       "The timeline. A short recorded run through each lock in turn: waiting in orange, holding in "
       "green. Look for the spinlock's long waits while a holder is off its CPU. Running is everything "
       "between the recorded waits and holds, including time a thread was preempted.");

  experiment_class->count_tasks = ptl_locks_experiment_count_tasks;
  experiment_class->run = ptl_locks_experiment_run;

  properties[PROP_THREADS] =
    g_param_spec_uint ("threads", N_("Most threads"),
                       N_("Runs go from 1 thread to this many; 0 means twice the CPUs"),
                       0, MAX_THREADS, 0, flags);
  ptl_param_set_unit (properties[PROP_THREADS], N_("threads"));
  properties[PROP_CRITICAL_NS] =
    g_param_spec_uint ("critical-ns", N_("Critical section"),
                       N_("Work done while holding the lock"),
                       0, 1000000, 500, flags);
  ptl_param_set_unit (properties[PROP_CRITICAL_NS], "ns");
  properties[PROP_OUTSIDE_NS] =
    g_param_spec_uint ("outside-ns", N_("Work outside"),
                       N_("Work done between two turns, without the lock"),
                       0, 1000000, 500, flags);
  ptl_param_set_unit (properties[PROP_OUTSIDE_NS], "ns");
  properties[PROP_READ_SHARE] =
    g_param_spec_uint ("read-share", N_("Read share"),
                       N_("How often the rwlock is taken for reading rather than writing"),
                       0, 100, 80, flags);
  ptl_param_set_unit (properties[PROP_READ_SHARE], "%");
  properties[PROP_CELL_MS] =
    g_param_spec_uint ("cell-ms", N_("Time per case"),
                       N_("How long the threads take turns on one lock"),
                       10, 10000, 120, flags);
  ptl_param_set_unit (properties[PROP_CELL_MS], "ms");
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"),
                       N_("Runs of every case"),
                       1, 20, 2, flags);
  properties[PROP_RECORD_MS] =
    g_param_spec_uint ("record-ms", N_("Recorded time per lock"),
                       N_("How long the timeline's recorded run spends on each lock"),
                       1, 1000, 5, flags);
  ptl_param_set_unit (properties[PROP_RECORD_MS], "ms");

  properties[PROP_CPU_LANES] =
    g_param_spec_boolean ("cpu-lanes", N_("Lanes per CPU"),
                          N_("Also draw which thread held a lock or ran on each CPU"),
                          TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_locks_experiment_init (PtlLocksExperiment *self)
{
  self->threads = 0;
  self->critical_ns = 500;
  self->outside_ns = 500;
  self->read_share = 80;
  self->cell_ms = 120;
  self->repeats = 2;
  self->record_ms = 5;
  self->cpu_lanes = TRUE;
}
