/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-readers-writers-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-policy-rw-lock.h"
#include "ptl-readers-writers-experiment.h"
#include "ptl-sync-timing.h"
#include "ptl-thread-team.h"

/* "readers-writers": R reader and W writer threads share one lock for
 * duration-ms: each thinks, asks for the lock, holds it, lets go, again.
 * The locks (ptl-policy-rw-lock.c) differ only in whom they let in first;
 * GRWLock runs as GLib made it. Thinking and holding are sleeps, so the
 * number of CPUs does not matter. Every acquisition is timed by its
 * thread, from asking to holding. A thread stops asking at the end of the
 * run but still finishes the wait it is in: a writer starved for the
 * whole run shows a wait as long as the run. Locks are interleaved over
 * the repeats; the first repeat of one lock is recorded as the timeline. */

struct _PtlReadersWritersExperiment
{
  PtlExperiment parent_instance;

  guint readers;
  guint writers;
  guint read_us;
  guint write_us;
  guint read_think_us;
  guint write_think_us;
  PtlSyncTiming timing;
  guint duration_ms;
  int locks;
  int timeline_lock;
  guint repeats;
};

enum {
  PROP_0,
  PROP_READERS,
  PROP_WRITERS,
  PROP_READ_US,
  PROP_WRITE_US,
  PROP_READ_THINK_US,
  PROP_WRITE_THINK_US,
  PROP_TIMING,
  PROP_DURATION_MS,
  PROP_LOCKS,
  PROP_TIMELINE_LOCK,
  PROP_REPEATS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlReadersWritersExperiment, ptl_readers_writers_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_READERS 48
#define MAX_WRITERS 16
#define MAX_THREADS (MAX_READERS + MAX_WRITERS)
#define MIN_DURATION_MS 50
/* The uncounted warm-up run: the shortest a run may be. */
#define WARM_UP_MS      MIN_DURATION_MS
/* "all" comes first in the locks parameter, before the policies. */
#define LOCKS_ALL 0

static const char * const lock_ids[] = { "readers", "writers", "fair", "grwlock" };
static const char * const lock_names[] = {
  N_("Reader-preferring"),
  N_("Writer-preferring"),
  N_("Fair (ticket)"),
  N_("GRWLock"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (lock_ids) == PTL_RW_POLICY_N_POLICIES);
G_STATIC_ASSERT (G_N_ELEMENTS (lock_names) == PTL_RW_POLICY_N_POLICIES);

static const char * const locks_choice_labels[] = {
  N_("All four"),
  N_("Reader-preferring"),
  N_("Writer-preferring"),
  N_("Fair (ticket)"),
  N_("GRWLock"),
  NULL,
};

/* Waits kept per thread per run: enough for a p99, bounded memory when
 * holds and thinks are 0. The longest is kept apart, always exact. */
#define WAITS_PER_THREAD 20000

typedef struct
{
  guint64  ops;
  gint64   start;
  gint64   end;     /* the end of its last hold */
  GArray  *waits;   /* double, ticks */
  double   longest; /* ticks */
} Worker;

/* One run of one lock. */
typedef struct
{
  PtlReadersWritersExperiment *self;
  PtlPolicyRwLock  lock;
  GCancellable    *cancellable;
  gint             stop;
  gint64           deadline;
  guint            repeat;
  PtlThreadTrack  *tracks[MAX_THREADS];
  Worker           workers[MAX_THREADS];

  /* The lock's promise, checked by every holder: a writer alone. */
  gint             readers_in;
  gint             writers_in;
  gint             n_violations;
} Run;

typedef struct
{
  double reads_per_s;
  double writes_per_s;
  double longest_writer_wait;
  double run_s;
  guint  violations;
} RunResult;

static gboolean
lock_selected (PtlReadersWritersExperiment *self,
               PtlRwPolicy                  policy)
{
  return self->locks == LOCKS_ALL || self->locks == (int) policy + 1;
}

static void
enter (Run     *run,
       gboolean write)
{
  gboolean broken;

  if (write)
    broken = g_atomic_int_add (&run->writers_in, 1) != 0 || g_atomic_int_get (&run->readers_in) != 0;
  else
    {
      g_atomic_int_inc (&run->readers_in);
      broken = g_atomic_int_get (&run->writers_in) != 0;
    }
  if (broken)
    g_atomic_int_inc (&run->n_violations);
}

static void
member (guint    index,
        gpointer data)
{
  Run *run = data;
  PtlReadersWritersExperiment *self = run->self;
  PtlThreadTrack *track = run->tracks[index];
  Worker *worker = &run->workers[index];
  gboolean write = index >= self->readers;
  double hold_ns = (write ? self->write_us : self->read_us) * 1e3;
  double think_ns = (write ? self->write_think_us : self->read_think_us) * 1e3;
  guint64 random = 0x77eade00u + run->repeat * 1000 + index;

  ptl_thread_track_begin (track);
  worker->start = ptl_thread_ticks ();
  worker->end = worker->start;
  while (!g_atomic_int_get (&run->stop))
    {
      gint64 think = ptl_sync_timing_draw_ns (self->timing, think_ns, &random);
      gint64 hold_for = ptl_sync_timing_draw_ns (self->timing, hold_ns, &random);
      gint64 asked;
      double wait;
      PtlHold hold;
      gboolean held;

      if ((think > 0 && !ptl_thread_track_sleep (track, think, run->cancellable)) ||
          ptl_thread_ticks () >= run->deadline)
        break;
      asked = ptl_thread_ticks ();
      if (!ptl_policy_rw_lock_acquire (&run->lock, write, track, &hold))
        break;
      wait = hold.start - asked;
      worker->longest = MAX (worker->longest, wait);
      if (worker->waits->len < WAITS_PER_THREAD)
        g_array_append_val (worker->waits, wait);
      enter (run, write);
      held = hold_for <= 0 || ptl_clock_sleep_ns (hold_for, run->cancellable);
      g_atomic_int_add (write ? &run->writers_in : &run->readers_in, -1);
      ptl_policy_rw_lock_release (&run->lock, write, track, &hold);
      if (!held)
        break;
      worker->ops++;
      worker->end = ptl_thread_ticks ();
    }
  ptl_thread_track_finish (track);
}

static gboolean
run_lock (PtlReadersWritersExperiment *self,
          PtlRwPolicy                  policy,
          guint                        repeat,
          PtlThreadRecorder           *recorder,
          GCancellable                *cancellable,
          RunResult                   *out,
          GArray                      *reader_waits_s,
          GArray                      *writer_waits_s,
          GError                     **error)
{
  guint n_threads = self->readers + self->writers;
  double ticks_per_ns = ptl_thread_ticks_per_ns ();
  g_autofree Run *run = g_new0 (Run, 1);
  gint64 start = G_MAXINT64, end = G_MININT64;
  guint64 reads = 0, writes = 0;
  double longest = 0;
  gboolean ok;

  run->self = self;
  run->cancellable = cancellable;
  run->repeat = repeat;
  ptl_policy_rw_lock_init (&run->lock, policy, recorder, _("the lock"), &run->stop);
  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = t < self->readers ? g_strdup_printf (_("Reader %u"), t + 1)
                                                : g_strdup_printf (_("Writer %u"), t - self->readers + 1);

      run->tracks[t] = ptl_thread_recorder_add_thread (recorder, name);
      run->workers[t].waits = g_array_new (FALSE, FALSE, sizeof (double));
    }
  /* Set before the threads start; they are released together. */
  run->deadline = ptl_thread_ticks () + (gint64) (self->duration_ms * 1e6 * ticks_per_ns);

  ok = ptl_thread_team_run (n_threads, member, run, &run->stop, cancellable, error);
  for (guint t = 0; ok && t < n_threads; t++)
    {
      Worker *worker = &run->workers[t];
      gboolean write = t >= self->readers;

      start = MIN (start, worker->start);
      end = MAX (end, worker->end);
      if (write)
        writes += worker->ops;
      else
        reads += worker->ops;
      for (guint i = 0; i < worker->waits->len; i++)
        {
          double s = g_array_index (worker->waits, double, i) / ticks_per_ns * 1e-9;

          g_array_append_val (write ? writer_waits_s : reader_waits_s, s);
        }
      if (write)
        longest = MAX (longest, worker->longest / ticks_per_ns * 1e-9);
    }
  for (guint t = 0; t < n_threads; t++)
    g_array_unref (run->workers[t].waits);
  ptl_policy_rw_lock_clear (&run->lock);
  if (!ok)
    return FALSE;

  out->run_s = MAX (end - start, 1) / ticks_per_ns * 1e-9;
  out->reads_per_s = reads / out->run_s;
  out->writes_per_s = writes / out->run_s;
  out->longest_writer_wait = longest;
  out->violations = run->n_violations;
  return TRUE;
}

static double
median_of (const RunResult *runs,
           guint            n,
           gsize            offset,
           PtlStats        *stats)
{
  g_autofree double *values = g_new (double, n);

  for (guint r = 0; r < n; r++)
    values[r] = G_STRUCT_MEMBER (double, &runs[r], offset);
  ptl_stats_compute (stats, values, n);
  return stats->median;
}

/* Which of the three policies GRWLock's longest writer wait came closest
 * to, on a log scale (waits span decades). */
static PtlRwPolicy
closest_policy (const double *longest)
{
  PtlRwPolicy best = PTL_RW_POLICY_READERS;
  double best_distance = INFINITY;

  for (PtlRwPolicy p = PTL_RW_POLICY_READERS; p <= PTL_RW_POLICY_FAIR; p++)
    {
      double distance = fabs (log (MAX (longest[p], 1e-9)) - log (MAX (longest[PTL_RW_POLICY_GRWLOCK], 1e-9)));

      if (distance < best_distance)
        {
          best_distance = distance;
          best = p;
        }
    }
  return best;
}

/* A short run first, not counted: threads, stacks and the tick
 * calibration warm. */
static gboolean
warm_up (PtlReadersWritersExperiment  *self,
         PtlRwPolicy                   policy,
         GCancellable                 *cancellable,
         GError                      **error)
{
  g_autoptr(PtlExperiment) warm = ptl_experiment_dup (PTL_EXPERIMENT (self));
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  g_autoptr(GArray) readers = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) writers = g_array_new (FALSE, FALSE, sizeof (double));
  RunResult scratch;

  g_object_set (warm, "duration-ms", WARM_UP_MS, NULL);
  return run_lock (PTL_READERS_WRITERS_EXPERIMENT (warm), policy, 0, recorder, cancellable, &scratch,
                   readers, writers, error);
}

static gboolean
ptl_readers_writers_experiment_run (PtlExperiment  *experiment,
                                    PtlRun         *ptl_run,
                                    GError        **error)
{
  PtlReadersWritersExperiment *self = PTL_READERS_WRITERS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (ptl_run);
  GCancellable *cancellable = ptl_run_get_cancellable (ptl_run);
  double cycle_us = MIN (self->read_us + self->read_think_us, self->write_us + self->write_think_us);
  /* A turn records a sleep, perhaps a wait, and a hold. */
  guint capacity = (guint) MIN (3 * self->duration_ms * 1e3 / MAX (cycle_us, 1.0) + 64, 1u << 18);
  g_autofree RunResult *runs = g_new0 (RunResult, (gsize) PTL_RW_POLICY_N_POLICIES * self->repeats);
  g_autoptr(GPtrArray) reader_waits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) writer_waits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(PtlThreadRecorder) timeline = NULL;
  const char *categories[PTL_RW_POLICY_N_POLICIES + 1] = { NULL };
  const char *category_ids[PTL_RW_POLICY_N_POLICIES + 1] = { NULL };
  double longest[PTL_RW_POLICY_N_POLICIES] = { NAN, NAN, NAN, NAN };
  double run_s[PTL_RW_POLICY_N_POLICIES] = { NAN, NAN, NAN, NAN };
  PtlRwPolicy policies[PTL_RW_POLICY_N_POLICIES], recorded;
  PtlChart *reader_chart, *writer_chart, *longest_chart, *throughput_chart;
  PtlSeries *longest_series, *reads_series, *writes_series;
  g_autofree char *timeline_title = NULL;
  guint n_policies = 0, done = 0, n_runs;
  PtlTable *table;
  guint columns[10];

  for (PtlRwPolicy p = 0; p < PTL_RW_POLICY_N_POLICIES; p++)
    if (lock_selected (self, p))
      policies[n_policies++] = p;
  n_runs = n_policies * self->repeats;
  recorded = lock_selected (self, self->timeline_lock) ? (PtlRwPolicy) self->timeline_lock : policies[0];
  for (guint i = 0; i < n_policies; i++)
    {
      g_ptr_array_add (reader_waits, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (writer_waits, g_array_new (FALSE, FALSE, sizeof (double)));
    }

  ptl_run_progress (ptl_run, 0, _("Warming up"));
  if (!warm_up (self, policies[0], cancellable, error))
    return FALSE;

  for (guint r = 0; r < self->repeats; r++)
    for (guint i = 0; i < n_policies; i++)
      {
        PtlRwPolicy p = policies[i];
        gboolean record = r == 0 && p == recorded;
        /* Unrecorded runs still need tracks: a small ring they overwrite. */
        g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (record ? capacity : 64);

        ptl_run_progress (ptl_run, (double) done++ / n_runs, _("%s, repeat %u of %u"),
                          _(lock_names[p]), r + 1, self->repeats);
        if (!run_lock (self, p, r, recorder, cancellable, &runs[p * self->repeats + r],
                       g_ptr_array_index (reader_waits, i), g_ptr_array_index (writer_waits, i), error))
          return FALSE;
        if (record)
          timeline = g_steal_pointer (&recorder);
      }

  reader_chart = ptl_result_add_chart (result, "reader-wait", PTL_CHART_LINE, _("Reader wait for the lock"));
  ptl_chart_set_x_axis (reader_chart, _("Wait"), "s", TRUE);
  ptl_chart_set_y_axis (reader_chart, _("Reads that waited at most this long"), "%", FALSE);
  writer_chart = ptl_result_add_chart (result, "writer-wait", PTL_CHART_LINE, _("Writer wait for the lock"));
  ptl_chart_set_x_axis (writer_chart, _("Wait"), "s", TRUE);
  ptl_chart_set_y_axis (writer_chart, _("Writes that waited at most this long"), "%", FALSE);
  ptl_chart_add_reference (writer_chart, PTL_REFERENCE_VERTICAL, self->duration_ms * 1e-3, _("Run length"));

  for (guint i = 0; i < n_policies; i++)
    {
      categories[i] = _(lock_names[policies[i]]);
      category_ids[i] = lock_ids[policies[i]];
    }
  longest_chart = ptl_result_add_chart (result, "longest-writer-wait", PTL_CHART_BAR,
                                        _("Longest writer wait per lock"));
  ptl_chart_set_categories_with_ids (longest_chart, category_ids, categories);
  ptl_chart_set_y_axis (longest_chart, _("Longest wait of any writer"), "s", TRUE);
  ptl_chart_add_reference (longest_chart, PTL_REFERENCE_HORIZONTAL, self->duration_ms * 1e-3, _("Run length"));
  longest_series = ptl_chart_add_series (longest_chart, _("Longest writer wait"));
  ptl_series_set_band_label (longest_series, _("min–max"));
  throughput_chart = ptl_result_add_chart (result, "throughput", PTL_CHART_BAR, _("Reads and writes per second"));
  ptl_chart_set_categories_with_ids (throughput_chart, category_ids, categories);
  /* Log: starved writers manage a few a second beside thousands of reads. */
  ptl_chart_set_y_axis (throughput_chart, _("Operations per second"), "ops/s", TRUE);
  reads_series = ptl_chart_add_series_with_id (throughput_chart, "reads", _("Reads"));
  writes_series = ptl_chart_add_series_with_id (throughput_chart, "writes", _("Writes"));

  table = ptl_result_get_summary (result);
  columns[0] = ptl_table_add_column (table, _("Lock"), NULL);
  columns[1] = ptl_table_add_column (table, _("Reads"), "ops/s");
  columns[2] = ptl_table_add_column (table, _("Writes"), "ops/s");
  columns[3] = ptl_table_add_column (table, _("Reader wait p50"), "s");
  columns[4] = ptl_table_add_column (table, _("Reader wait p99"), "s");
  columns[5] = ptl_table_add_column (table, _("Writer wait p50"), "s");
  columns[6] = ptl_table_add_column (table, _("Writer wait p99"), "s");
  columns[7] = ptl_table_add_column (table, _("Longest writer wait"), "s");
  columns[8] = ptl_table_add_column (table, _("Longest writer wait, share of the run"), "%");
  columns[9] = ptl_table_add_column (table, _("Exclusion"), NULL);

  for (guint i = 0; i < n_policies; i++)
    {
      PtlRwPolicy p = policies[i];
      const RunResult *rr = &runs[p * self->repeats];
      GArray *readers = g_ptr_array_index (reader_waits, i);
      GArray *writers = g_ptr_array_index (writer_waits, i);
      g_autofree char *reader_id = g_strconcat (lock_ids[p], "-reader", NULL);
      g_autofree char *writer_id = g_strconcat (lock_ids[p], "-writer", NULL);
      PtlStats reads, writes, long_stats, run_stats, reader_stats, writer_stats;
      guint violations = 0, row;

      median_of (rr, self->repeats, G_STRUCT_OFFSET (RunResult, reads_per_s), &reads);
      median_of (rr, self->repeats, G_STRUCT_OFFSET (RunResult, writes_per_s), &writes);
      longest[p] = median_of (rr, self->repeats, G_STRUCT_OFFSET (RunResult, longest_writer_wait), &long_stats);
      run_s[p] = median_of (rr, self->repeats, G_STRUCT_OFFSET (RunResult, run_s), &run_stats);
      ptl_stats_compute (&reader_stats, (const double *) (gpointer) readers->data, readers->len);
      ptl_stats_compute (&writer_stats, (const double *) (gpointer) writers->data, writers->len);

      ptl_sync_add_wait_cdf (reader_chart, lock_ids[p], _(lock_names[p]),
                             (const double *) (gpointer) readers->data, readers->len);
      ptl_sync_add_wait_cdf (writer_chart, lock_ids[p], _(lock_names[p]),
                             (const double *) (gpointer) writers->data, writers->len);
      ptl_series_add_point_band (longest_series, i, MAX (longest[p], 1e-9), MAX (long_stats.min, 1e-9),
                                 MAX (long_stats.max, 1e-9));
      ptl_series_add_point (reads_series, i, reads.median);
      ptl_series_add_point (writes_series, i, writes.median);
      ptl_result_add_samples (result, reader_id, "s", (const double *) (gpointer) readers->data, readers->len);
      ptl_result_add_samples (result, writer_id, "s", (const double *) (gpointer) writers->data, writers->len);

      row = ptl_table_add_row_with_id (table, lock_ids[p]);
      ptl_table_set_text (table, row, columns[0], _(lock_names[p]));
      ptl_table_set_number (table, row, columns[1], reads.median);
      ptl_table_set_number (table, row, columns[2], writes.median);
      ptl_table_set_number (table, row, columns[3], reader_stats.median);
      ptl_table_set_number (table, row, columns[4], reader_stats.p99);
      ptl_table_set_number (table, row, columns[5], writer_stats.median);
      ptl_table_set_number (table, row, columns[6], writer_stats.p99);
      ptl_table_set_number (table, row, columns[7], longest[p]);
      ptl_table_set_number (table, row, columns[8], 100 * longest[p] / run_s[p]);
      for (guint r = 0; r < self->repeats; r++)
        violations += rr[r].violations;
      ptl_table_set_text (table, row, columns[9], violations == 0 ? _("Held") : _("Broken"));
      if (violations > 0)
        ptl_result_add_warning (result, _("“%s” let a writer in beside another holder %u time(s)"),
                                _(lock_names[p]), violations);

      /* Reads and writes both, for a lock a role can starve on. */
      if (ptl_stats_is_noisy (&reads) || ptl_stats_is_noisy (&writes))
        ptl_result_add_warning (result, _("The throughput under “%s” varied widely between repeats: the "
                                          "machine was busy, or starvation came and went"),
                                _(lock_names[p]));
    }

  /* The headline: how long reader preference kept a writer out, against
   * the fair lock. */
  if (lock_selected (self, PTL_RW_POLICY_READERS) && lock_selected (self, PTL_RW_POLICY_FAIR))
    {
      g_autofree char *starved = ptl_format_value (longest[PTL_RW_POLICY_READERS], "s");
      g_autofree char *fair = ptl_format_value (longest[PTL_RW_POLICY_FAIR], "s");

      ptl_result_add_note (result,
                           _("Writer starvation: under reader preference a writer waited up to %s (%.0f %% of "
                             "the run), %.0f× the longest wait under the fair lock (%s)."),
                           starved, 100 * longest[PTL_RW_POLICY_READERS] / run_s[PTL_RW_POLICY_READERS],
                           longest[PTL_RW_POLICY_READERS] / MAX (longest[PTL_RW_POLICY_FAIR], 1e-9), fair);
    }
  if (n_policies == PTL_RW_POLICY_N_POLICIES)
    {
      g_autofree char *grwlock = ptl_format_value (longest[PTL_RW_POLICY_GRWLOCK], "s");
      g_autofree char *readers = ptl_format_value (longest[PTL_RW_POLICY_READERS], "s");
      g_autofree char *writers = ptl_format_value (longest[PTL_RW_POLICY_WRITERS], "s");
      g_autofree char *fair = ptl_format_value (longest[PTL_RW_POLICY_FAIR], "s");

      ptl_result_add_note (result,
                           _("GRWLock behaved like “%s” here: its longest writer wait was %s, against %s "
                             "(reader-preferring), %s (writer-preferring) and %s (fair)."),
                           _(lock_names[closest_policy (longest)]), grwlock, readers, writers, fair);
    }
  ptl_result_add_note (result,
                       _("%u readers (hold %u µs, think %u µs) and %u writers (hold %u µs, think %u µs), %s "
                         "times, %u ms per run, %u repeats, locks interleaved. A wait runs from asking for the "
                         "lock to holding it; a thread stops asking at the end of the run but finishes the "
                         "wait it is in."),
                       self->readers, self->read_us, self->read_think_us, self->writers, self->write_us,
                       self->write_think_us, ptl_sync_timing_describe (self->timing), self->duration_ms,
                       self->repeats);

  timeline_title = g_strdup_printf (_("Thread states under “%s”, first repeat"), _(lock_names[recorded]));
  ptl_thread_recorder_add_charts (timeline, result, "threads", timeline_title, FALSE);
  ptl_run_progress (ptl_run, 1, _("Done"));
  return TRUE;
}

static guint
ptl_readers_writers_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlReadersWritersExperiment *self = PTL_READERS_WRITERS_EXPERIMENT (experiment);

  return self->readers + self->writers;
}

static void
ptl_readers_writers_experiment_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  PtlReadersWritersExperiment *self = PTL_READERS_WRITERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_READERS:
      g_value_set_uint (value, self->readers);
      break;
    case PROP_WRITERS:
      g_value_set_uint (value, self->writers);
      break;
    case PROP_READ_US:
      g_value_set_uint (value, self->read_us);
      break;
    case PROP_WRITE_US:
      g_value_set_uint (value, self->write_us);
      break;
    case PROP_READ_THINK_US:
      g_value_set_uint (value, self->read_think_us);
      break;
    case PROP_WRITE_THINK_US:
      g_value_set_uint (value, self->write_think_us);
      break;
    case PROP_TIMING:
      g_value_set_enum (value, self->timing);
      break;
    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;
    case PROP_LOCKS:
      g_value_set_enum (value, self->locks);
      break;
    case PROP_TIMELINE_LOCK:
      g_value_set_enum (value, self->timeline_lock);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_readers_writers_experiment_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  PtlReadersWritersExperiment *self = PTL_READERS_WRITERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_READERS:
      ptl_param_store_uint (object, &self->readers, value, pspec);
      break;
    case PROP_WRITERS:
      ptl_param_store_uint (object, &self->writers, value, pspec);
      break;
    case PROP_READ_US:
      ptl_param_store_uint (object, &self->read_us, value, pspec);
      break;
    case PROP_WRITE_US:
      ptl_param_store_uint (object, &self->write_us, value, pspec);
      break;
    case PROP_READ_THINK_US:
      ptl_param_store_uint (object, &self->read_think_us, value, pspec);
      break;
    case PROP_WRITE_THINK_US:
      ptl_param_store_uint (object, &self->write_think_us, value, pspec);
      break;
    case PROP_TIMING:
      ptl_param_store_enum (object, (int *) &self->timing, value, pspec);
      break;
    case PROP_DURATION_MS:
      ptl_param_store_uint (object, &self->duration_ms, value, pspec);
      break;
    case PROP_LOCKS:
      ptl_param_store_enum (object, &self->locks, value, pspec);
      break;
    case PROP_TIMELINE_LOCK:
      ptl_param_store_enum (object, &self->timeline_lock, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GType
locks_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { LOCKS_ALL, "PTL_READERS_WRITERS_LOCKS_ALL", "all" },
    { PTL_RW_POLICY_READERS + 1, "PTL_READERS_WRITERS_LOCKS_READERS", "readers" },
    { PTL_RW_POLICY_WRITERS + 1, "PTL_READERS_WRITERS_LOCKS_WRITERS", "writers" },
    { PTL_RW_POLICY_FAIR + 1, "PTL_READERS_WRITERS_LOCKS_FAIR", "fair" },
    { PTL_RW_POLICY_GRWLOCK + 1, "PTL_READERS_WRITERS_LOCKS_GRWLOCK", "grwlock" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlReadersWritersLocks", values);
}

static GType
policy_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_RW_POLICY_READERS, "PTL_RW_POLICY_READERS", "readers" },
    { PTL_RW_POLICY_WRITERS, "PTL_RW_POLICY_WRITERS", "writers" },
    { PTL_RW_POLICY_FAIR, "PTL_RW_POLICY_FAIR", "fair" },
    { PTL_RW_POLICY_GRWLOCK, "PTL_RW_POLICY_GRWLOCK", "grwlock" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlRwPolicy", values);
}

static void
ptl_readers_writers_experiment_class_init (PtlReadersWritersExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "reader-wait", N_("How long readers waited for the lock, per lock") },
    { "writer-wait", N_("How long writers waited for the lock, per lock") },
    { "longest-writer-wait", N_("The longest wait of any writer, per lock") },
    { "throughput", N_("Reads and writes per second, per lock") },
    { "threads", N_("Thread-state timeline of one lock's run") },
    { "threads-shares", N_("Each thread's share of time per state") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_readers_writers_experiment_get_property;
  object_class->set_property = ptl_readers_writers_experiment_set_property;

  experiment_class->id = "readers-writers";
  experiment_class->title = N_("Readers–writers");
  experiment_class->category = N_("Synchronization");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Longest writer wait", PTL_HEADLINE_MAX);
  experiment_class->summary =
    N_("Reader and writer threads share one readers–writer lock that prefers readers, prefers writers, "
       "serves everyone in order of arrival, or is GLib's GRWLock: how long each role waits, the longest "
       "any writer waited, and the throughput, showing how reader preference starves writers.");
  experiment_class->explanation =
    N_("How it works. Readers may hold the lock together; a writer holds it alone. Each thread loops: "
       "think (sleep), ask for the lock, hold it for a while (sleep), let go. The wait is the time from "
       "asking to holding, timed by the thread. Thinking and holding are sleeps, so the number of CPUs "
       "does not matter. At the end of the run threads stop asking but finish the wait they are in, so a "
       "writer kept out for the whole run shows a wait as long as the run. Every holder also checks the lock's "
       "promise (a writer alone, readers only beside readers); the Exclusion column says whether it held.\n\n"
       "Four locks. Reader-preferring: a reader comes in whenever no writer is inside, even while a writer "
       "waits. With enough readers whose holds overlap, the lock never becomes free of readers and a "
       "writer waits until they happen to leave all at once, or until the run ends: starvation. "
       "Writer-preferring: a reader also stays out while a writer waits, so writers go first and readers "
       "can starve when writes are frequent. Fair (ticket): every arrival takes a number and enters in "
       "order; readers in a row share the lock, a writer waits only for those who came before it. Nobody "
       "starves; the price is that readers lose some of their sharing, and on a busy machine a thread in line "
       "that is off its CPU holds up everyone behind it. GRWLock: GLib's lock as it comes, "
       "a pthread readers–writer lock with its default settings; the run says which of the others it "
       "behaved like (glibc's default prefers readers).\n\n"
       "What to look for. The longest-writer-wait chart: under reader preference it reaches a large part "
       "of the run, under the fair lock a few hold times. The writers' wait distribution shows the same as "
       "a long tail. The throughput chart shows the trade: reader preference gets the most reads and the "
       "fewest writes. The timeline (one lock's first repeat) shows readers' holds overlapping while a "
       "writer's lane stays orange (waiting).\n\n"
       "The three hand-made locks are a mutex and a condition variable with counters; they wait in "
       "20 ms slices so a cancelled run stops at once. GRWLock waits as it does, so a cancel waits for "
       "the holds in progress.");

  experiment_class->count_tasks = ptl_readers_writers_experiment_count_tasks;
  experiment_class->run = ptl_readers_writers_experiment_run;

  properties[PROP_READERS] =
    g_param_spec_uint ("readers", N_("Readers"), N_("Threads that take the lock to read"),
                       0, MAX_READERS, 8, flags);
  ptl_param_set_unit (properties[PROP_READERS], N_("threads"));
  properties[PROP_WRITERS] =
    g_param_spec_uint ("writers", N_("Writers"), N_("Threads that take the lock to write"),
                       1, MAX_WRITERS, 2, flags);
  ptl_param_set_unit (properties[PROP_WRITERS], N_("threads"));
  properties[PROP_READ_US] =
    g_param_spec_uint ("read-us", N_("Read hold"), N_("Mean time a reader holds the lock"),
                       0, 100000, 3000, flags);
  ptl_param_set_unit (properties[PROP_READ_US], "µs");
  properties[PROP_WRITE_US] =
    g_param_spec_uint ("write-us", N_("Write hold"), N_("Mean time a writer holds the lock"),
                       0, 100000, 1000, flags);
  ptl_param_set_unit (properties[PROP_WRITE_US], "µs");
  properties[PROP_READ_THINK_US] =
    g_param_spec_uint ("read-think-us", N_("Reader think time"), N_("Mean time a reader spends between two reads"),
                       0, 1000000, 1000, flags);
  ptl_param_set_unit (properties[PROP_READ_THINK_US], "µs");
  properties[PROP_WRITE_THINK_US] =
    g_param_spec_uint ("write-think-us", N_("Writer think time"), N_("Mean time a writer spends between two writes"),
                       0, 1000000, 10000, flags);
  ptl_param_set_unit (properties[PROP_WRITE_THINK_US], "µs");
  properties[PROP_TIMING] =
    g_param_spec_enum ("timing", N_("Times"), N_("Every hold and think takes the mean, or a random time around it"),
                       PTL_TYPE_SYNC_TIMING, PTL_SYNC_TIMING_EXPONENTIAL, flags);
  ptl_param_set_choice_labels (properties[PROP_TIMING], ptl_sync_timing_labels);
  properties[PROP_DURATION_MS] =
    g_param_spec_uint ("duration-ms", N_("Time per run"), N_("How long the threads take turns on one lock"),
                       MIN_DURATION_MS, 60000, 800, flags);
  ptl_param_set_unit (properties[PROP_DURATION_MS], "ms");
  properties[PROP_LOCKS] =
    g_param_spec_enum ("locks", N_("Locks"), N_("Every lock in turn, or one of them alone"),
                       locks_get_type (), LOCKS_ALL, flags);
  ptl_param_set_choice_labels (properties[PROP_LOCKS], locks_choice_labels);
  properties[PROP_TIMELINE_LOCK] =
    g_param_spec_enum ("timeline-lock", N_("Lock on the timeline"),
                       N_("Whose first run the timeline shows (the first lock run when it is not among them)"),
                       policy_get_type (), PTL_RW_POLICY_READERS, flags);
  ptl_param_set_choice_labels (properties[PROP_TIMELINE_LOCK], locks_choice_labels + 1);
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"), N_("Runs of every lock"),
                       1, 20, 3, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_readers_writers_experiment_init (PtlReadersWritersExperiment *self)
{
  self->readers = 8;
  self->writers = 2;
  self->read_us = 3000;
  self->write_us = 1000;
  self->read_think_us = 1000;
  self->write_think_us = 10000;
  self->timing = PTL_SYNC_TIMING_EXPONENTIAL;
  self->duration_ms = 800;
  self->locks = LOCKS_ALL;
  self->timeline_lock = PTL_RW_POLICY_READERS;
  self->repeats = 3;
}
