/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-producer-consumer-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-bounded-buffer.h"
#include "ptl-producer-consumer-experiment.h"
#include "ptl-sync-timing.h"
#include "ptl-thread-team.h"

/* "producer-consumer": P producer and C consumer threads pass a fixed
 * number of numbered items through a bounded buffer, guarded each of
 * three ways (ptl-bounded-buffer.c), each method run `repeats` times,
 * methods interleaved. Producing and consuming are sleeps of the drawn
 * length, so the rates do not depend on how many CPUs there are; the
 * timeline shows them as running (the thread's own work). Every put and
 * take is timed from asking to having a slot (an item), every item is
 * counted when consumed, and the buffer checks its occupancy as it goes;
 * the first repeat of each method is recorded for the timeline and the
 * occupancy chart. */

struct _PtlProducerConsumerExperiment
{
  PtlExperiment parent_instance;

  guint producers;
  guint consumers;
  guint buffer_size;
  guint produce_us;
  guint consume_us;
  PtlSyncTiming timing;
  guint items;
  int methods;
  guint repeats;
};

enum {
  PROP_0,
  PROP_PRODUCERS,
  PROP_CONSUMERS,
  PROP_BUFFER_SIZE,
  PROP_PRODUCE_US,
  PROP_CONSUME_US,
  PROP_TIMING,
  PROP_ITEMS,
  PROP_METHODS,
  PROP_REPEATS,
  N_PROPS
};

typedef enum
{
  METHODS_ALL,
  METHODS_CONDITION,
  METHODS_SEMAPHORES,
  METHODS_ASYNC_QUEUE,
} Methods;

G_DEFINE_FINAL_TYPE (PtlProducerConsumerExperiment, ptl_producer_consumer_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_THREADS 64
/* Spans a thread may leave in the recorded run: a put or take records a
 * hold, perhaps a wait for the mutex and a block on the buffer. */
#define SPANS_PER_ITEM 4
/* The occupancy chart draws the first changes only: over a whole run the
 * three methods' steps blur into one block of colour. */
#define OCCUPANCY_CHANGES 400
#define WARM_UP_ITEMS     50
#define WARM_UP_MS        50

static const char * const method_ids[] = { "condition", "semaphores", "async-queue" };
static const char * const method_names[] = {
  N_("Condition variables"),
  N_("Semaphores"),
  N_("GAsyncQueue"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (method_ids) == PTL_BUFFER_N_GUARDS);
G_STATIC_ASSERT (G_N_ELEMENTS (method_names) == PTL_BUFFER_N_GUARDS);

static const char * const methods_choice_labels[] = {
  N_("All three"),
  N_("Mutex + two condition variables"),
  N_("Two semaphores + mutex"),
  N_("GAsyncQueue, bounded by slot tokens"),
  NULL,
};

/* One run of one method. */
typedef struct
{
  PtlProducerConsumerExperiment *self;
  PtlBoundedBuffer *buffer;
  GCancellable     *cancellable;
  gint              stop;
  PtlThreadTrack   *tracks[MAX_THREADS];
  gboolean          first_phase;
  gboolean          last_phase;
  guint             repeat;

  gint              next_item;   /* the next sequence number to produce */
  gint              n_taken;
  gint             *seen;        /* [items]: times consumed */
  gint              n_bad_items; /* taken but never made */
  double           *put_waits;   /* [items], ticks, by sequence number */
  double           *take_waits;  /* [items], ticks, in the order taken */
  gint64            starts[MAX_THREADS];
  gint64            ends[MAX_THREADS];  /* the end of the thread's last item */
  gint64            work_ns[MAX_THREADS];
  guint             n_work[MAX_THREADS];
} Run;

/* What one run measured. */
typedef struct
{
  double   throughput;
  double   share_full;
  double   share_empty;
  gint     min_occupancy;
  gint     max_occupancy;
  guint64  violations;
  guint    n_consumed;
  guint    missing;
  guint    duplicates;
  double   produce_ns;
  double   consume_ns;
} RunResult;

static gboolean
method_selected (PtlProducerConsumerExperiment *self,
                 PtlBufferGuard                 guard)
{
  return self->methods == METHODS_ALL || self->methods == (int) guard + 1;
}

/* Producers first, then consumers, as the team numbers them. */
static char *
dup_thread_name (PtlProducerConsumerExperiment *self,
                 guint                          index)
{
  return index < self->producers ? g_strdup_printf (_("Producer %u"), index + 1)
                                 : g_strdup_printf (_("Consumer %u"), index - self->producers + 1);
}

static gboolean
do_work (Run     *run,
         guint    index,
         double   mean_ns,
         guint64 *random)
{
  gint64 ns = ptl_sync_timing_draw_ns (run->self->timing, mean_ns, random);
  gint64 start = ptl_clock_now_ns ();
  gboolean ok = ns <= 0 || ptl_clock_sleep_ns (ns, run->cancellable);

  run->work_ns[index] += ptl_clock_now_ns () - start;
  run->n_work[index]++;
  return ok;
}

static void
producer (Run   *run,
          guint  index)
{
  PtlThreadTrack *track = run->tracks[index];
  guint64 random = 0x5eed0000u + run->repeat * 1000 + index;
  guint items = run->self->items;

  while (!g_atomic_int_get (&run->stop))
    {
      gint seq = g_atomic_int_add (&run->next_item, 1);
      gint64 wait;

      if (seq >= (gint) items ||
          !do_work (run, index, run->self->produce_us * 1e3, &random) ||
          !ptl_bounded_buffer_put (run->buffer, track, (guint64) seq + 1, &wait))
        break;
      run->put_waits[seq] = wait;
      run->ends[index] = ptl_thread_ticks ();
    }
}

static void
consumer (Run   *run,
          guint  index)
{
  PtlThreadTrack *track = run->tracks[index];
  guint64 random = 0xc0ffee00u + run->repeat * 1000 + index;
  guint items = run->self->items;
  guint64 item;
  gint64 wait;

  while (!g_atomic_int_get (&run->stop) && ptl_bounded_buffer_take (run->buffer, track, &item, &wait))
    {
      gint taken = g_atomic_int_add (&run->n_taken, 1);

      if (taken < (gint) items)
        run->take_waits[taken] = wait;
      if (item >= 1 && item <= items)
        g_atomic_int_inc (&run->seen[item - 1]);
      else
        g_atomic_int_inc (&run->n_bad_items);
      /* The last item: the others stop waiting for more. */
      if (taken + 1 == (gint) items)
        ptl_bounded_buffer_close (run->buffer);
      if (!do_work (run, index, run->self->consume_us * 1e3, &random))
        break;
      run->ends[index] = ptl_thread_ticks ();
    }
}

static void
member (guint    index,
        gpointer data)
{
  Run *run = data;

  if (run->first_phase)
    ptl_thread_track_begin (run->tracks[index]);
  run->starts[index] = ptl_thread_ticks ();
  run->ends[index] = run->starts[index];
  if (index < run->self->producers)
    producer (run, index);
  else
    consumer (run, index);
  if (run->last_phase)
    ptl_thread_track_finish (run->tracks[index]);
}

/* Shares of the run's time with the buffer full and empty, from the
 * trace (occupancy holds from one change to the next). */
static void
occupancy_shares (const PtlBufferSample *trace,
                  gsize                  n,
                  guint                  capacity,
                  gint64                 start,
                  gint64                 end,
                  double                *full,
                  double                *empty)
{
  gint64 at = start, in_full = 0, in_empty = 0;
  gint occupancy = 0;

  for (gsize i = 0; i <= n; i++)
    {
      gint64 next = i < n ? CLAMP (trace[i].ticks, start, end) : end;

      if (occupancy == 0)
        in_empty += next - at;
      else if (occupancy == (gint) capacity)
        in_full += next - at;
      at = next;
      if (i < n)
        occupancy = trace[i].occupancy;
    }
  *full = end > start ? (double) in_full / (end - start) : NAN;
  *empty = end > start ? (double) in_empty / (end - start) : NAN;
}

static gboolean
run_method (PtlProducerConsumerExperiment *self,
            PtlBufferGuard                 guard,
            guint                          repeat,
            PtlThreadRecorder             *recorder,
            gboolean                       first_phase,
            gboolean                       last_phase,
            PtlChart                      *occupancy_chart,
            GCancellable                  *cancellable,
            RunResult                     *out,
            GArray                        *put_waits_s,
            GArray                        *take_waits_s,
            GError                       **error)
{
  guint n_threads = self->producers + self->consumers;
  /* Unrecorded repeats still need tracks: a small ring they overwrite. */
  g_autoptr(PtlThreadRecorder) scratch = recorder == NULL ? ptl_thread_recorder_new (64) : NULL;
  PtlThreadRecorder *names = recorder != NULL ? recorder : scratch;
  g_autofree Run *run = g_new0 (Run, 1);
  g_autofree gint *seen = g_new0 (gint, self->items);
  g_autofree double *put_waits = g_new0 (double, self->items);
  g_autofree double *take_waits = g_new0 (double, self->items);
  double ticks_per_ns = ptl_thread_ticks_per_ns ();
  gint64 start = G_MAXINT64, end = G_MININT64, produce_ns = 0, consume_ns = 0;
  guint n_produce = 0, n_consume = 0, n_taken;
  const PtlBufferSample *trace;
  gsize n_trace;
  gboolean ok;

  run->self = self;
  run->cancellable = cancellable;
  run->repeat = repeat;
  run->first_phase = recorder == NULL || first_phase;
  run->last_phase = recorder == NULL || last_phase;
  run->seen = seen;
  run->put_waits = put_waits;
  run->take_waits = take_waits;
  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = recorder == NULL ? dup_thread_name (self, t) : NULL;

      run->tracks[t] = recorder != NULL ? ptl_thread_recorder_get_thread (recorder, t)
                                        : ptl_thread_recorder_add_thread (scratch, name);
    }
  run->buffer = ptl_bounded_buffer_new (guard, self->buffer_size, names, &run->stop,
                                        2 * (gsize) self->items + 2, error);
  if (run->buffer == NULL)
    return FALSE;

  ok = ptl_thread_team_run (n_threads, member, run, &run->stop, cancellable, error);
  if (!ok)
    {
      ptl_bounded_buffer_free (run->buffer);
      return FALSE;
    }

  for (guint t = 0; t < n_threads; t++)
    {
      start = MIN (start, run->starts[t]);
      end = MAX (end, run->ends[t]);
      if (t < self->producers)
        produce_ns += run->work_ns[t], n_produce += run->n_work[t];
      else
        consume_ns += run->work_ns[t], n_consume += run->n_work[t];
    }
  n_taken = MIN ((guint) run->n_taken, self->items);
  out->n_consumed = run->n_taken;
  out->throughput = run->n_taken / ((end - start) / ticks_per_ns * 1e-9);
  out->produce_ns = n_produce > 0 ? (double) produce_ns / n_produce : NAN;
  out->consume_ns = n_consume > 0 ? (double) consume_ns / n_consume : NAN;
  out->violations = ptl_bounded_buffer_get_n_violations (run->buffer) + run->n_bad_items;
  out->min_occupancy = ptl_bounded_buffer_get_min_occupancy (run->buffer);
  out->max_occupancy = ptl_bounded_buffer_get_max_occupancy (run->buffer);
  out->missing = out->duplicates = 0;
  for (guint i = 0; i < self->items; i++)
    {
      out->missing += seen[i] == 0;
      out->duplicates += seen[i] > 1 ? seen[i] - 1 : 0;
    }
  for (guint i = 0; i < self->items; i++)
    {
      double s = put_waits[i] / ticks_per_ns * 1e-9;

      g_array_append_val (put_waits_s, s);
    }
  for (guint i = 0; i < n_taken; i++)
    {
      double s = take_waits[i] / ticks_per_ns * 1e-9;

      g_array_append_val (take_waits_s, s);
    }

  trace = ptl_bounded_buffer_get_trace (run->buffer, &n_trace);
  occupancy_shares (trace, n_trace, self->buffer_size, start, end, &out->share_full, &out->share_empty);
  if (occupancy_chart != NULL)
    {
      PtlSeries *series = ptl_chart_add_series_with_id (occupancy_chart, method_ids[guard],
                                                        _(method_names[guard]));
      gint occupancy = 0;

      gsize n_drawn = MIN (n_trace, OCCUPANCY_CHANGES);

      /* Steps: the old level up to the change, then the new one. */
      ptl_series_add_point (series, 0, 0);
      for (gsize i = 0; i < n_drawn; i++)
        {
          double x = (trace[i].ticks - start) / ticks_per_ns * 1e-9;

          ptl_series_add_point (series, x, occupancy);
          occupancy = trace[i].occupancy;
          ptl_series_add_point (series, x, occupancy);
        }
      if (n_drawn == n_trace)
        ptl_series_add_point (series, (end - start) / ticks_per_ns * 1e-9, occupancy);
    }
  ptl_bounded_buffer_free (run->buffer);
  return TRUE;
}

/* A short run first, not counted: threads, stacks, the buffer's pages and
 * the tick calibration warm. About WARM_UP_MS at the slower side's rate,
 * at most WARM_UP_ITEMS items. */
static gboolean
warm_up (PtlProducerConsumerExperiment  *self,
         PtlBufferGuard                  guard,
         GCancellable                   *cancellable,
         GError                        **error)
{
  g_autoptr(PtlExperiment) warm = ptl_experiment_dup (PTL_EXPERIMENT (self));
  g_autoptr(GArray) puts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) takes = g_array_new (FALSE, FALSE, sizeof (double));
  double item_us = MAX (MAX ((double) self->produce_us / self->producers,
                             (double) self->consume_us / self->consumers), 1.0);
  RunResult scratch;

  g_object_set (warm, "items", (guint) CLAMP (WARM_UP_MS * 1e3 / item_us, 1, MIN (self->items, WARM_UP_ITEMS)),
                NULL);
  return run_method (PTL_PRODUCER_CONSUMER_EXPERIMENT (warm), guard, 0, NULL, TRUE, TRUE, NULL, cancellable,
                     &scratch, puts, takes, error);
}

static gboolean
ptl_producer_consumer_experiment_run (PtlExperiment  *experiment,
                                      PtlRun         *ptl_run,
                                      GError        **error)
{
  PtlProducerConsumerExperiment *self = PTL_PRODUCER_CONSUMER_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (ptl_run);
  GCancellable *cancellable = ptl_run_get_cancellable (ptl_run);
  guint n_threads = self->producers + self->consumers;
  guint per_thread = (self->items / MIN (self->producers, self->consumers) + 1) * SPANS_PER_ITEM;
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (MIN (per_thread * PTL_BUFFER_N_GUARDS, 1u << 18));
  g_autofree RunResult *runs = g_new0 (RunResult, (gsize) PTL_BUFFER_N_GUARDS * self->repeats);
  g_autoptr(GPtrArray) put_waits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) take_waits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree double *values = g_new (double, self->repeats);
  const char *categories[PTL_BUFFER_N_GUARDS + 1] = { NULL };
  const char *category_ids[PTL_BUFFER_N_GUARDS + 1] = { NULL };
  PtlBufferGuard guards[PTL_BUFFER_N_GUARDS];
  PtlChart *occupancy_chart, *throughput_chart, *put_chart, *take_chart;
  PtlSeries *throughput_series;
  g_autofree char *occupancy_title = NULL;
  g_autofree char *produce_text = NULL, *consume_text = NULL, *ideal_text = NULL;
  double produce_ns = 0, consume_ns = 0, ideal;
  guint n_guards = 0, done = 0, n_runs;
  gboolean all_held = TRUE;
  PtlTable *table;
  guint columns[13];

  for (PtlBufferGuard g = 0; g < PTL_BUFFER_N_GUARDS; g++)
    if (method_selected (self, g))
      guards[n_guards++] = g;
  n_runs = n_guards * self->repeats;
  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = dup_thread_name (self, t);

      ptl_thread_recorder_add_thread (recorder, name);
    }
  for (guint i = 0; i < n_guards; i++)
    {
      g_ptr_array_add (put_waits, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (take_waits, g_array_new (FALSE, FALSE, sizeof (double)));
    }

  occupancy_title = g_strdup_printf (_("Buffer occupancy over the first %u items"),
                                     MIN (self->items, OCCUPANCY_CHANGES / 2));
  occupancy_chart = ptl_result_add_chart (result, "occupancy", PTL_CHART_LINE, occupancy_title);
  ptl_chart_set_x_axis (occupancy_chart, _("Time since the run started"), "s", FALSE);
  ptl_chart_set_y_axis (occupancy_chart, _("Items in the buffer"), NULL, FALSE);
  ptl_chart_add_reference (occupancy_chart, PTL_REFERENCE_HORIZONTAL, self->buffer_size, _("Full"));

  ptl_run_progress (ptl_run, 0, _("Warming up"));
  if (!warm_up (self, guards[0], cancellable, error))
    return FALSE;

  /* Methods interleaved, so a change in the machine's load touches all. */
  for (guint r = 0; r < self->repeats; r++)
    for (guint i = 0; i < n_guards; i++)
      {
        ptl_run_progress (ptl_run, (double) done++ / n_runs, _("%s, repeat %u of %u"),
                          _(method_names[guards[i]]), r + 1, self->repeats);
        if (!run_method (self, guards[i], r, r == 0 ? recorder : NULL, i == 0, i + 1 == n_guards,
                         r == 0 ? occupancy_chart : NULL, cancellable,
                         &runs[guards[i] * self->repeats + r],
                         g_ptr_array_index (put_waits, i), g_ptr_array_index (take_waits, i), error))
          return FALSE;
      }

  throughput_chart = ptl_result_add_chart (result, "throughput", PTL_CHART_BAR, _("Throughput per method"));
  for (guint i = 0; i < n_guards; i++)
    {
      categories[i] = _(method_names[guards[i]]);
      category_ids[i] = method_ids[guards[i]];
    }
  ptl_chart_set_categories_with_ids (throughput_chart, category_ids, categories);
  ptl_chart_set_y_axis (throughput_chart, _("Items consumed per second"), "ops/s", FALSE);
  throughput_series = ptl_chart_add_series (throughput_chart, _("Throughput"));
  ptl_series_set_band_label (throughput_series, _("min–max"));

  put_chart = ptl_result_add_chart (result, "producer-wait", PTL_CHART_LINE,
                                    _("Producer wait for a free slot (buffer full)"));
  ptl_chart_set_x_axis (put_chart, _("Wait"), "s", TRUE);
  ptl_chart_set_y_axis (put_chart, _("Puts that waited at most this long"), "%", FALSE);
  take_chart = ptl_result_add_chart (result, "consumer-wait", PTL_CHART_LINE,
                                     _("Consumer wait for an item (buffer empty)"));
  ptl_chart_set_x_axis (take_chart, _("Wait"), "s", TRUE);
  ptl_chart_set_y_axis (take_chart, _("Takes that waited at most this long"), "%", FALSE);

  table = ptl_result_get_summary (result);
  columns[0] = ptl_table_add_column (table, _("Method"), NULL);
  columns[1] = ptl_table_add_column (table, _("Throughput"), "ops/s");
  columns[2] = ptl_table_add_column (table, _("Producer wait p50"), "s");
  columns[3] = ptl_table_add_column (table, _("Producer wait p99"), "s");
  columns[4] = ptl_table_add_column (table, _("Consumer wait p50"), "s");
  columns[5] = ptl_table_add_column (table, _("Consumer wait p99"), "s");
  columns[6] = ptl_table_add_column (table, _("Time full"), "%");
  columns[7] = ptl_table_add_column (table, _("Time empty"), "%");
  columns[8] = ptl_table_add_column (table, _("Lowest occupancy"), NULL);
  columns[9] = ptl_table_add_column (table, _("Highest occupancy"), NULL);
  columns[10] = ptl_table_add_column (table, _("Items consumed"), NULL);
  columns[11] = ptl_table_add_column (table, _("Lost or repeated items"), NULL);
  columns[12] = ptl_table_add_column (table, _("Invariants"), NULL);

  for (guint i = 0; i < n_guards; i++)
    {
      PtlBufferGuard g = guards[i];
      const RunResult *rr = &runs[g * self->repeats];
      GArray *puts = g_ptr_array_index (put_waits, i);
      GArray *takes = g_ptr_array_index (take_waits, i);
      g_autofree char *put_id = g_strconcat (method_ids[g], "-producer", NULL);
      g_autofree char *take_id = g_strconcat (method_ids[g], "-consumer", NULL);
      gint min_occupancy = G_MAXINT, max_occupancy = G_MININT;
      guint64 consumed = 0, wrong = 0, violations = 0;
      PtlStats throughput, put_stats, take_stats, full, empty;
      gboolean held;
      guint row;

      for (guint r = 0; r < self->repeats; r++)
        {
          min_occupancy = MIN (min_occupancy, rr[r].min_occupancy);
          max_occupancy = MAX (max_occupancy, rr[r].max_occupancy);
          consumed += rr[r].n_consumed;
          wrong += rr[r].missing + rr[r].duplicates;
          violations += rr[r].violations;
          produce_ns += rr[r].produce_ns / n_runs;
          consume_ns += rr[r].consume_ns / n_runs;
        }
      held = violations == 0 && wrong == 0 && min_occupancy >= 0 && max_occupancy <= (gint) self->buffer_size;
      all_held &= held;

#define COLLECT(stats, field) \
      G_STMT_START { for (guint r = 0; r < self->repeats; r++) values[r] = rr[r].field; \
                     ptl_stats_compute (&(stats), values, self->repeats); } G_STMT_END
      COLLECT (throughput, throughput);
      COLLECT (full, share_full);
      COLLECT (empty, share_empty);
#undef COLLECT
      ptl_stats_compute (&put_stats, (const double *) (gpointer) puts->data, puts->len);
      ptl_stats_compute (&take_stats, (const double *) (gpointer) takes->data, takes->len);

      ptl_series_add_point_band (throughput_series, i, throughput.median, throughput.min, throughput.max);
      ptl_sync_add_wait_cdf (put_chart, method_ids[g], _(method_names[g]),
                             (const double *) (gpointer) puts->data, puts->len);
      ptl_sync_add_wait_cdf (take_chart, method_ids[g], _(method_names[g]),
                             (const double *) (gpointer) takes->data, takes->len);
      ptl_result_add_samples (result, put_id, "s", (const double *) (gpointer) puts->data, puts->len);
      ptl_result_add_samples (result, take_id, "s", (const double *) (gpointer) takes->data, takes->len);

      row = ptl_table_add_row_with_id (table, method_ids[g]);
      ptl_table_set_text (table, row, columns[0], _(method_names[g]));
      ptl_table_set_number (table, row, columns[1], throughput.median);
      ptl_table_set_number (table, row, columns[2], put_stats.median);
      ptl_table_set_number (table, row, columns[3], put_stats.p99);
      ptl_table_set_number (table, row, columns[4], take_stats.median);
      ptl_table_set_number (table, row, columns[5], take_stats.p99);
      ptl_table_set_number (table, row, columns[6], 100 * full.median);
      ptl_table_set_number (table, row, columns[7], 100 * empty.median);
      ptl_table_set_number (table, row, columns[8], min_occupancy);
      ptl_table_set_number (table, row, columns[9], max_occupancy);
      ptl_table_set_number (table, row, columns[10], consumed);
      ptl_table_set_number (table, row, columns[11], wrong);
      ptl_table_set_text (table, row, columns[12], held ? _("Held") : _("Broken"));

      if (ptl_stats_is_noisy (&throughput))
        {
          g_autofree char *low = ptl_format_value (throughput.min, "ops/s");
          g_autofree char *high = ptl_format_value (throughput.max, "ops/s");

          ptl_result_add_warning (result, _("The throughput of “%s” varied widely between repeats "
                                            "(%s to %s): the machine was busy"),
                                  _(method_names[g]), low, high);
        }
      if (!held)
        ptl_result_add_warning (result, _("“%s” broke an invariant: %.0f occupancy or slot check(s) "
                                          "failed, %.0f item(s) lost or repeated"),
                                _(method_names[g]), (double) violations, (double) wrong);
    }

  /* What the slower side alone allows, from the work times as measured. */
  ideal = MIN (self->producers / (produce_ns * 1e-9), self->consumers / (consume_ns * 1e-9));
  if (isfinite (ideal))
    ptl_chart_add_reference (throughput_chart, PTL_REFERENCE_HORIZONTAL, ideal, _("Slower side's rate"));

  ptl_thread_recorder_add_charts (recorder, result, "threads",
                                  _("Thread states, the first repeat of each method in turn"), FALSE);
  produce_text = ptl_format_value (produce_ns * 1e-9, "s");
  consume_text = ptl_format_value (consume_ns * 1e-9, "s");
  ideal_text = ptl_format_value (ideal, "ops/s");
  ptl_result_add_note (result,
                       _("%u producers and %u consumers, a buffer of %u, %u items per run, %u repeats, methods "
                         "interleaved. Producing took %s and consuming %s on average as measured (asked: %u µs "
                         "and %u µs, %s): the slower side allows %s. Waits are timed from asking for a slot "
                         "(an item) to having it, so a wait that never blocked shows as tens to hundreds of nanoseconds."),
                       self->producers, self->consumers, self->buffer_size, self->items, self->repeats,
                       produce_text, consume_text, self->produce_us, self->consume_us,
                       ptl_sync_timing_describe (self->timing), ideal_text);
  ptl_result_add_note (result,
                       all_held ? _("Invariants held in every run: the occupancy stayed within 0 and the buffer "
                                    "size after every put and take, and every item was consumed exactly once.")
                                : _("An invariant broke: see the warnings."));
  ptl_run_progress (ptl_run, 1, _("Done"));
  return TRUE;
}

static guint
ptl_producer_consumer_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlProducerConsumerExperiment *self = PTL_PRODUCER_CONSUMER_EXPERIMENT (experiment);

  return self->producers + self->consumers;
}

static void
ptl_producer_consumer_experiment_get_property (GObject    *object,
                                               guint       prop_id,
                                               GValue     *value,
                                               GParamSpec *pspec)
{
  PtlProducerConsumerExperiment *self = PTL_PRODUCER_CONSUMER_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_PRODUCERS:
      g_value_set_uint (value, self->producers);
      break;
    case PROP_CONSUMERS:
      g_value_set_uint (value, self->consumers);
      break;
    case PROP_BUFFER_SIZE:
      g_value_set_uint (value, self->buffer_size);
      break;
    case PROP_PRODUCE_US:
      g_value_set_uint (value, self->produce_us);
      break;
    case PROP_CONSUME_US:
      g_value_set_uint (value, self->consume_us);
      break;
    case PROP_TIMING:
      g_value_set_enum (value, self->timing);
      break;
    case PROP_ITEMS:
      g_value_set_uint (value, self->items);
      break;
    case PROP_METHODS:
      g_value_set_enum (value, self->methods);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_producer_consumer_experiment_set_property (GObject      *object,
                                               guint         prop_id,
                                               const GValue *value,
                                               GParamSpec   *pspec)
{
  PtlProducerConsumerExperiment *self = PTL_PRODUCER_CONSUMER_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_PRODUCERS:
      ptl_param_store_uint (object, &self->producers, value, pspec);
      break;
    case PROP_CONSUMERS:
      ptl_param_store_uint (object, &self->consumers, value, pspec);
      break;
    case PROP_BUFFER_SIZE:
      ptl_param_store_uint (object, &self->buffer_size, value, pspec);
      break;
    case PROP_PRODUCE_US:
      ptl_param_store_uint (object, &self->produce_us, value, pspec);
      break;
    case PROP_CONSUME_US:
      ptl_param_store_uint (object, &self->consume_us, value, pspec);
      break;
    case PROP_TIMING:
      ptl_param_store_enum (object, (int *) &self->timing, value, pspec);
      break;
    case PROP_ITEMS:
      ptl_param_store_uint (object, &self->items, value, pspec);
      break;
    case PROP_METHODS:
      ptl_param_store_enum (object, &self->methods, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GType
methods_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { METHODS_ALL, "PTL_PRODUCER_CONSUMER_METHODS_ALL", "all" },
    { METHODS_CONDITION, "PTL_PRODUCER_CONSUMER_METHODS_CONDITION", "condition" },
    { METHODS_SEMAPHORES, "PTL_PRODUCER_CONSUMER_METHODS_SEMAPHORES", "semaphores" },
    { METHODS_ASYNC_QUEUE, "PTL_PRODUCER_CONSUMER_METHODS_ASYNC_QUEUE", "async-queue" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlProducerConsumerMethods", values);
}

static void
ptl_producer_consumer_experiment_class_init (PtlProducerConsumerExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "occupancy", N_("Items in the buffer over the first items of each method's first repeat") },
    { "throughput", N_("Items consumed per second, per method") },
    { "producer-wait", N_("How long producers waited for a free slot (buffer full)") },
    { "consumer-wait", N_("How long consumers waited for an item (buffer empty)") },
    { "threads", N_("Thread-state timeline of the first repeat of each method") },
    { "threads-shares", N_("Each thread's share of time per state") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_producer_consumer_experiment_get_property;
  object_class->set_property = ptl_producer_consumer_experiment_set_property;

  experiment_class->id = "producer-consumer";
  experiment_class->title = N_("Producer–consumer");
  experiment_class->category = N_("Synchronization");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Throughput", PTL_HEADLINE_MAX);
  experiment_class->summary =
    N_("Producer threads hand numbered items to consumer threads through a bounded buffer guarded by a "
       "mutex and two condition variables, by two semaphores and a mutex, or by GAsyncQueue: how full the "
       "buffer runs, the throughput, and how long each side waits; every run checks that the buffer never "
       "holds fewer than 0 or more than its size and that every item is consumed exactly once.");
  experiment_class->explanation =
    N_("How it works. Producers make items (numbered 1, 2, 3, …) and put them into a buffer of a fixed "
       "size; consumers take them out. Making and using an item takes time, fixed or drawn at random "
       "(exponential, as arrivals at a queue), simulated by sleeping so that the number of CPUs does not "
       "matter. When the buffer is full a producer must wait for a free slot; when it is empty a consumer "
       "must wait for an item. The run ends when every item has been consumed.\n\n"
       "Three guards. Condition variables: the buffer is a ring under one mutex; a producer that "
       "finds it full waits on “not full”, a consumer that finds it empty waits on “not empty”, each "
       "signalling the other after its change (always in a while loop: a woken thread checks again). "
       "Semaphores: “free slots” starts at the size and “items” at 0; a producer takes a free slot, "
       "puts under the mutex, and posts an item; a consumer does the reverse. The mutex only guards the "
       "ring; the semaphores do the counting. GAsyncQueue: GLib's queue does the locking and the waiting "
       "for items, but it has no size limit; here a second GAsyncQueue holds one token per free slot, and "
       "a producer must take a token before it pushes, a consumer give one back after it pops.\n\n"
       "What to look for. The occupancy chart shows the buffer filling and draining: flat at the top while "
       "it is full (producers wait), flat at 0 while it is empty (consumers wait). When producing is faster "
       "the buffer sits full and throughput is the consumers' rate; when consuming is faster it sits empty. "
       "With equal rates and random times it wanders between both: a larger buffer absorbs the bursts and "
       "cuts both waits. The three guards give the same throughput within the noise, because here the "
       "work, not the lock, is the bottleneck; the waits' charts show how often each side had to block "
       "(the jump at tens to hundreds of nanoseconds is the share that never did).\n\n"
       "The checks. Every put and take updates a count of items where the guard is held and checks it "
       "stays within 0 and the size; a ring slot must be empty when filled and full when emptied; each "
       "consumed number is ticked off, and at the end every number must have been ticked exactly once. "
       "The summary says whether they held.\n\n"
       "Cancelling. Every wait is timed in 20 ms slices and gives up when the run is stopped, so a "
       "cancelled run joins all its threads within a slice.");

  experiment_class->count_tasks = ptl_producer_consumer_experiment_count_tasks;
  experiment_class->run = ptl_producer_consumer_experiment_run;

  properties[PROP_PRODUCERS] =
    g_param_spec_uint ("producers", N_("Producers"), N_("Threads that make items"),
                       1, MAX_THREADS / 2, 2, flags);
  ptl_param_set_unit (properties[PROP_PRODUCERS], N_("threads"));
  properties[PROP_CONSUMERS] =
    g_param_spec_uint ("consumers", N_("Consumers"), N_("Threads that take and use items"),
                       1, MAX_THREADS / 2, 2, flags);
  ptl_param_set_unit (properties[PROP_CONSUMERS], N_("threads"));
  properties[PROP_BUFFER_SIZE] =
    g_param_spec_uint ("buffer-size", N_("Buffer size"), N_("Items the buffer holds at most"),
                       1, 4096, 8, flags);
  ptl_param_set_unit (properties[PROP_BUFFER_SIZE], N_("items"));
  properties[PROP_PRODUCE_US] =
    g_param_spec_uint ("produce-us", N_("Time to produce"), N_("Mean time a producer takes to make one item"),
                       0, 100000, 1000, flags);
  ptl_param_set_unit (properties[PROP_PRODUCE_US], "µs");
  properties[PROP_CONSUME_US] =
    g_param_spec_uint ("consume-us", N_("Time to consume"), N_("Mean time a consumer takes to use one item"),
                       0, 100000, 1000, flags);
  ptl_param_set_unit (properties[PROP_CONSUME_US], "µs");
  properties[PROP_TIMING] =
    g_param_spec_enum ("timing", N_("Times"), N_("Every item takes the mean, or a random time around it"),
                       PTL_TYPE_SYNC_TIMING, PTL_SYNC_TIMING_EXPONENTIAL, flags);
  ptl_param_set_choice_labels (properties[PROP_TIMING], ptl_sync_timing_labels);
  properties[PROP_ITEMS] =
    g_param_spec_uint ("items", N_("Items per run"), N_("Items passed through the buffer in one run"),
                       1, 100000, 1000, flags);
  properties[PROP_METHODS] =
    g_param_spec_enum ("methods", N_("Methods"), N_("Every guard in turn, or one of them alone"),
                       methods_get_type (), METHODS_ALL, flags);
  ptl_param_set_choice_labels (properties[PROP_METHODS], methods_choice_labels);
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"), N_("Runs of every method"),
                       1, 20, 3, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_producer_consumer_experiment_init (PtlProducerConsumerExperiment *self)
{
  self->producers = 2;
  self->consumers = 2;
  self->buffer_size = 8;
  self->produce_us = 1000;
  self->consume_us = 1000;
  self->timing = PTL_SYNC_TIMING_EXPONENTIAL;
  self->items = 1000;
  self->methods = METHODS_ALL;
  self->repeats = 3;
}
