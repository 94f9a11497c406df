/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-thread-recorder"

/* The thread-state recorder: what each thread of an experiment did, as
 * spans (waiting for a lock, holding it, blocked, sleeping) with the CPU
 * it was on. Each thread owns a ring of spans that only it writes, so
 * recording takes no lock and touches no shared cache line; the rings are
 * read after the threads are joined. When a ring is full the oldest spans
 * are overwritten and counted, and the result carries a warning. Running
 * is not recorded: it is the time between the other spans. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-result.h"
#include "ptl-thread-recorder.h"

struct _PtlThreadRecorder
{
  GObject    parent_instance;

  GMutex     mutex;      /* registration only, never the recording path */
  guint      capacity;
  gint64     origin;     /* ticks */
  GPtrArray *tracks;     /* PtlThreadTrack */
  GPtrArray *objects;    /* names */
  _Atomic gint abort;
};

G_DEFINE_FINAL_TYPE (PtlThreadRecorder, ptl_thread_recorder, G_TYPE_OBJECT)

/* Far below a scheduler time slice (4 ms at HZ 250). */
#define CPU_GAP_LIMIT_S 100e-6

gboolean ptl_thread_ticks_are_tsc;
static double ticks_per_ns = 1;

static const char * const state_labels[] = {
  N_("Running"),
  N_("Waiting for a lock"),
  N_("Holding a lock"),
  N_("Blocked on a condition"),
  N_("Sleeping"),
  N_("Waiting for I/O"),
  N_("Finished"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_labels) == PTL_THREAD_N_STATES);

/* How a span on object X reads in a hover. */
static char *
dup_state_object_label (PtlThreadState  state,
                        const char     *object)
{
  switch (state)
    {
    case PTL_THREAD_WAITING_LOCK:
      return g_strdup_printf (_("Waiting for “%s”"), object);
    case PTL_THREAD_HOLDING_LOCK:
      return g_strdup_printf (_("Holding “%s”"), object);
    case PTL_THREAD_BLOCKED_COND:
      return g_strdup_printf (_("Blocked on “%s”"), object);
    case PTL_THREAD_RUNNING:
    case PTL_THREAD_SLEEPING:
    case PTL_THREAD_WAITING_IO:
    case PTL_THREAD_FINISHED:
    case PTL_THREAD_N_STATES:
    default:
      return g_strdup (_(state_labels[MIN (state, PTL_THREAD_FINISHED)]));
    }
}

static gboolean
cpu_has_invariant_tsc (void)
{
  g_autofree char *cpuinfo = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    return FALSE;
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "flags"))
      return strstr (lines[i], " constant_tsc") != NULL && strstr (lines[i], " nonstop_tsc") != NULL;
  return FALSE;
}

/* The counter's rate against CLOCK_MONOTONIC over 20 ms, once a process:
 * each end is the counter read between two clock reads. */
static void
calibrate_ticks (void)
{
#if defined(__x86_64__) || defined(__i386__)
  gint64 m0a, m0b, m1a, m1b, c0, c1;

  if (!cpu_has_invariant_tsc ())
    return;
  m0a = ptl_clock_now_ns ();
  c0 = (gint64) __rdtsc ();
  m0b = ptl_clock_now_ns ();
  g_usleep (20000);
  m1a = ptl_clock_now_ns ();
  c1 = (gint64) __rdtsc ();
  m1b = ptl_clock_now_ns ();
  if (c1 <= c0)
    return;
  ticks_per_ns = (double) (c1 - c0) / ((m1a + m1b) / 2.0 - (m0a + m0b) / 2.0);
  ptl_thread_ticks_are_tsc = TRUE;
#endif
}

double
ptl_thread_ticks_per_ns (void)
{
  static gsize calibrated;

  if (g_once_init_enter (&calibrated))
    {
      calibrate_ticks ();
      g_once_init_leave (&calibrated, 1);
    }
  return ticks_per_ns;
}

int
ptl_thread_current_cpu (void)
{
  return sched_getcpu ();
}

static void
track_free (gpointer data)
{
  PtlThreadTrack *track = data;

  g_free (track->spans);
  g_free (track->name);
  g_free (track);
}

static void
ptl_thread_recorder_finalize (GObject *object)
{
  PtlThreadRecorder *self = PTL_THREAD_RECORDER (object);

  g_ptr_array_unref (self->tracks);
  g_ptr_array_unref (self->objects);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ptl_thread_recorder_parent_class)->finalize (object);
}

static void
ptl_thread_recorder_class_init (PtlThreadRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ptl_thread_recorder_finalize;
  ptl_thread_ticks_per_ns ();
}

static void
ptl_thread_recorder_init (PtlThreadRecorder *self)
{
  g_mutex_init (&self->mutex);
  self->tracks = g_ptr_array_new_with_free_func (track_free);
  self->objects = g_ptr_array_new_with_free_func (g_free);
}

PtlThreadRecorder *
ptl_thread_recorder_new (guint capacity)
{
  PtlThreadRecorder *self;

  g_return_val_if_fail (capacity > 0 && capacity <= (1u << 30), NULL);

  self = g_object_new (PTL_TYPE_THREAD_RECORDER, NULL);
  self->capacity = 1;
  while (self->capacity < capacity)
    self->capacity <<= 1;
  self->origin = ptl_thread_ticks ();
  return self;
}

guint
ptl_thread_recorder_get_capacity (PtlThreadRecorder *self)
{
  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), 0);
  return self->capacity;
}

PtlThreadTrack *
ptl_thread_recorder_add_thread (PtlThreadRecorder *self,
                                const char        *name)
{
  PtlThreadTrack *track;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  track = g_new0 (PtlThreadTrack, 1);
  track->spans = g_new (PtlThreadSpan, self->capacity);
  track->mask = self->capacity - 1;
  track->name = g_strdup (name);
  track->begin_cpu = -1;
  track->origin = self->origin;
  track->abort = &self->abort;
  g_mutex_lock (&self->mutex);
  track->index = self->tracks->len;
  g_ptr_array_add (self->tracks, track);
  g_mutex_unlock (&self->mutex);
  return track;
}

guint
ptl_thread_recorder_get_n_threads (PtlThreadRecorder *self)
{
  guint n;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->tracks->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

PtlThreadTrack *
ptl_thread_recorder_get_thread (PtlThreadRecorder *self,
                                guint              index)
{
  PtlThreadTrack *track;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), NULL);

  g_mutex_lock (&self->mutex);
  track = index < self->tracks->len ? g_ptr_array_index (self->tracks, index) : NULL;
  g_mutex_unlock (&self->mutex);
  return track;
}

void
ptl_thread_recorder_abort (PtlThreadRecorder *self)
{
  g_return_if_fail (PTL_IS_THREAD_RECORDER (self));
  atomic_store (&self->abort, 1);
}

gboolean
ptl_thread_recorder_is_aborted (PtlThreadRecorder *self)
{
  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), FALSE);
  return atomic_load (&self->abort) != 0;
}

guint32
ptl_thread_recorder_add_object (PtlThreadRecorder *self,
                                const char        *name)
{
  guint32 id;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), PTL_THREAD_NO_OBJECT);
  g_return_val_if_fail (name != NULL, PTL_THREAD_NO_OBJECT);

  g_mutex_lock (&self->mutex);
  id = self->objects->len;
  g_ptr_array_add (self->objects, g_strdup (name));
  g_mutex_unlock (&self->mutex);
  return id;
}

const char *
ptl_thread_recorder_get_object_name (PtlThreadRecorder *self,
                                     guint32            object)
{
  const char *name;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), NULL);

  g_mutex_lock (&self->mutex);
  name = object < self->objects->len ? g_ptr_array_index (self->objects, object) : NULL;
  g_mutex_unlock (&self->mutex);
  return name;
}

double
ptl_thread_recorder_ticks_to_ns (PtlThreadRecorder *self,
                                 gint64             ticks)
{
  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), NAN);
  return (double) (ticks - self->origin) / ticks_per_ns;
}

void
ptl_thread_track_begin (PtlThreadTrack *track)
{
  g_return_if_fail (track != NULL);

  track->begin_cpu = ptl_thread_current_cpu ();
  track->begin = ptl_thread_ticks ();
}

void
ptl_thread_track_finish (PtlThreadTrack *track)
{
  g_return_if_fail (track != NULL);

  track->end = ptl_thread_ticks ();
}

gboolean
ptl_thread_track_sleep (PtlThreadTrack *track,
                        gint64          ns,
                        GCancellable   *cancellable)
{
  int cpu = ptl_thread_current_cpu ();
  gint64 start = ptl_thread_ticks ();
  gboolean slept = ptl_clock_sleep_ns (ns, cancellable);

  ptl_thread_track_push (track, PTL_THREAD_SLEEPING, PTL_THREAD_NO_OBJECT, start, ptl_thread_ticks (), cpu);
  return slept;
}

guint64
ptl_thread_track_get_n_lost (const PtlThreadTrack *track)
{
  g_return_val_if_fail (track != NULL, 0);
  return track->n_written > track->mask + 1 ? track->n_written - (track->mask + 1) : 0;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const PtlThreadSpan *x = a, *y = b;

  /* By start; of two spans starting together the longer (outer) first,
   * so a nested span draws over the one around it. */
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end > y->end ? -1 : 1;
  return 0;
}

static double
ticks_to_ns (gint64 ticks,
             gint64 origin)
{
  return (double) (ticks - origin) / ticks_per_ns;
}

/* Spans in ticks relative to nothing, oldest first. */
static PtlThreadSpan *
copy_raw_spans (const PtlThreadTrack *track,
                gsize                *n_spans)
{
  guint64 capacity = track->mask + 1;
  guint64 n = MIN (track->n_written, capacity);
  guint64 first = track->n_written - n;
  PtlThreadSpan *spans = g_new (PtlThreadSpan, MAX (n, 1));

  for (guint64 i = 0; i < n; i++)
    spans[i] = track->spans[(first + i) & track->mask];
  /* A hold is pushed when it ends, after the waits inside it; most
   * recordings have none and need no sort. */
  for (guint64 i = 1; i < n; i++)
    if (compare_spans (&spans[i - 1], &spans[i]) > 0)
      {
        qsort (spans, n, sizeof *spans, compare_spans);
        break;
      }
  *n_spans = n;
  return spans;
}

PtlThreadSpan *
ptl_thread_track_copy_spans (const PtlThreadTrack *track,
                             gsize                *n_spans)
{
  PtlThreadSpan *spans;

  g_return_val_if_fail (track != NULL, NULL);
  g_return_val_if_fail (n_spans != NULL, NULL);

  spans = copy_raw_spans (track, n_spans);
  for (gsize i = 0; i < *n_spans; i++)
    {
      spans[i].start = (gint64) ticks_to_ns (spans[i].start, track->origin);
      spans[i].end = (gint64) ticks_to_ns (spans[i].end, track->origin);
    }
  return spans;
}

guint64
ptl_thread_recorder_get_n_spans (PtlThreadRecorder *self)
{
  guint64 n = 0;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), 0);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->tracks->len; i++)
    {
      PtlThreadTrack *track = g_ptr_array_index (self->tracks, i);

      n += MIN (track->n_written, track->mask + 1);
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

guint64
ptl_thread_recorder_get_n_lost (PtlThreadRecorder *self)
{
  guint64 n = 0;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (self), 0);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->tracks->len; i++)
    n += ptl_thread_track_get_n_lost (g_ptr_array_index (self->tracks, i));
  g_mutex_unlock (&self->mutex);
  return n;
}

/* Where a lane starts and ends, in ticks: its begin and finish, or its
 * first and last kept span when those were not marked (or were lost). */
static void
track_bounds (const PtlThreadTrack *track,
              const PtlThreadSpan  *spans,
              gsize                 n_spans,
              gint64               *start,
              gint64               *end)
{
  *start = track->begin != 0 && ptl_thread_track_get_n_lost (track) == 0 ? track->begin
           : n_spans > 0 ? spans[0].start : track->begin;
  *end = track->end;
  for (gsize i = 0; i < n_spans; i++)
    *end = MAX (*end, spans[i].end);
  if (n_spans > 0)
    *start = MIN (*start, spans[0].start);
}

/* Walks @spans (sorted) and calls @func for each, and for each running
 * gap between top-level spans, with the state the time counts for: a span
 * inside another takes its time from the outer one. */
typedef void (*SpanFunc) (const PtlThreadSpan *span,
                          gboolean             nested,
                          gpointer             user_data);

static void
walk_spans (const PtlThreadSpan *spans,
            gsize                n_spans,
            gint64               start,
            gint64               end,
            int                  begin_cpu,
            SpanFunc             func,
            gpointer             user_data)
{
  gint64 cursor = start;
  int cpu = begin_cpu;

  /* A gap's CPU is known only when the spans on both sides of it started
   * on the same one; otherwise it is -1. */
  for (gsize i = 0; i < n_spans; i++)
    {
      if (spans[i].start > cursor)
        {
          PtlThreadSpan gap = { cursor, spans[i].start, PTL_THREAD_NO_OBJECT, PTL_THREAD_RUNNING,
                                (gint16) (cpu == spans[i].cpu ? cpu : -1) };

          func (&gap, FALSE, user_data);
        }
      func (&spans[i], spans[i].start < cursor, user_data);
      cursor = MAX (cursor, spans[i].end);
      cpu = spans[i].cpu;
    }
  if (end > cursor)
    {
      PtlThreadSpan gap = { cursor, end, PTL_THREAD_NO_OBJECT, PTL_THREAD_RUNNING, -1 };

      func (&gap, FALSE, user_data);
    }
}

typedef struct
{
  double          *times; /* PTL_THREAD_N_STATES, ns */
  PtlThreadState   outer;
} TimesWalk;

static void
add_time_cb (const PtlThreadSpan *span,
             gboolean             nested,
             gpointer             user_data)
{
  TimesWalk *walk = user_data;
  double length = (double) (span->end - span->start);

  walk->times[span->state] += length;
  if (nested)
    walk->times[walk->outer] -= length;
  else
    walk->outer = span->state;
}

double *
ptl_thread_recorder_dup_state_times (PtlThreadRecorder *self)
{
  guint n_threads = ptl_thread_recorder_get_n_threads (self);
  double *times = g_new0 (double, MAX (n_threads, 1) * PTL_THREAD_N_STATES);

  for (guint t = 0; t < n_threads; t++)
    {
      PtlThreadTrack *track = ptl_thread_recorder_get_thread (self, t);
      gsize n_spans;
      g_autofree PtlThreadSpan *spans = copy_raw_spans (track, &n_spans);
      TimesWalk walk = { &times[t * PTL_THREAD_N_STATES], PTL_THREAD_RUNNING };
      gint64 start, end;

      track_bounds (track, spans, n_spans, &start, &end);
      walk_spans (spans, n_spans, start, end, track->begin_cpu, add_time_cb, &walk);
      for (guint s = 0; s < PTL_THREAD_N_STATES; s++)
        walk.times[s] = MAX (walk.times[s], 0) / ticks_per_ns / 1e9;
    }
  return times;
}

typedef struct
{
  PtlThreadRecorder *self;
  PtlChart          *chart;
  PtlChart          *cpu_chart;
  GHashTable        *keys;      /* (state << 32 | object) + 1 -> key + 1 */
  guint              state_keys[PTL_THREAD_N_STATES];
  guint              lane;
  guint              cpu_key;
  GArray            *cpu_lanes; /* guint lane + 1 per CPU */
} ChartWalk;

static guint
span_key (ChartWalk           *walk,
          const PtlThreadSpan *span)
{
  guint64 id = ((guint64) span->state << 32 | span->object) + 1;
  gpointer key;
  const char *object;

  if (span->object == PTL_THREAD_NO_OBJECT)
    return walk->state_keys[span->state];
  key = g_hash_table_lookup (walk->keys, &id);
  if (key == NULL)
    {
      g_autofree char *name = NULL;
      guint64 *stored = g_new (guint64, 1);

      object = ptl_thread_recorder_get_object_name (walk->self, span->object);
      name = dup_state_object_label (span->state, object != NULL ? object : "?");
      key = GUINT_TO_POINTER (ptl_chart_add_key_like (walk->chart, name, walk->state_keys[span->state]) + 1);
      *stored = id;
      g_hash_table_insert (walk->keys, stored, key);
    }
  return GPOINTER_TO_UINT (key) - 1;
}

static void
add_slice_cb (const PtlThreadSpan *span,
              gboolean             nested,
              gpointer             user_data)
{
  ChartWalk *walk = user_data;
  double start = ticks_to_ns (span->start, walk->self->origin) / 1e9;
  double end = ticks_to_ns (span->end, walk->self->origin) / 1e9;

  ptl_chart_add_slice (walk->chart, walk->lane, span_key (walk, span), start, end);

  /* On the CPU lanes: where the thread was while it held a lock (the CPU
   * read when it took it) or ran between two spans started on one CPU,
   * when that gap is short: over a longer one the thread may have left
   * the CPU and come back, which the recorder cannot see. */
  if (walk->cpu_chart != NULL && span->cpu >= 0 && !nested &&
      (span->state == PTL_THREAD_HOLDING_LOCK ||
       (span->state == PTL_THREAD_RUNNING && end - start < CPU_GAP_LIMIT_S)))
    {
      guint cpu = (guint) span->cpu;

      if (cpu >= walk->cpu_lanes->len)
        g_array_set_size (walk->cpu_lanes, cpu + 1);
      if (g_array_index (walk->cpu_lanes, guint, cpu) == 0)
        {
          g_autofree char *name = g_strdup_printf (_("CPU %u"), cpu);

          g_array_index (walk->cpu_lanes, guint, cpu) = ptl_chart_add_lane (walk->cpu_chart, name) + 1;
        }
      ptl_chart_add_slice (walk->cpu_chart, g_array_index (walk->cpu_lanes, guint, cpu) - 1,
                           walk->cpu_key, start, end);
    }
}

void
ptl_thread_recorder_add_charts (PtlThreadRecorder *self,
                                PtlResult         *result,
                                const char        *id,
                                const char        *title,
                                gboolean           cpu_lanes)
{
  g_autofree char *cpu_id = g_strconcat (id, "-cpus", NULL);
  g_autofree char *shares_id = g_strconcat (id, "-shares", NULL);
  g_autofree char *cpu_title = NULL;
  g_autofree char *shares_title = NULL;
  g_autofree double *times = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) cpu_lane_map = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n_threads = ptl_thread_recorder_get_n_threads (self);
  ChartWalk walk = { self, NULL, NULL, keys, { 0 }, 0, 0, cpu_lane_map };
  PtlChart *shares;
  gint64 last_end = 0;
  guint64 lost;

  g_return_if_fail (PTL_IS_THREAD_RECORDER (self));
  g_return_if_fail (PTL_IS_RESULT (result));
  g_return_if_fail (id != NULL && title != NULL);

  walk.chart = ptl_result_add_chart (result, id, PTL_CHART_TIMELINE, title);
  ptl_chart_set_x_axis (walk.chart, _("Time"), "s", FALSE);
  for (guint s = 0; s < PTL_THREAD_N_STATES; s++)
    walk.state_keys[s] = ptl_chart_add_key (walk.chart, _(state_labels[s]), s == PTL_THREAD_FINISHED);
  if (cpu_lanes)
    {
      cpu_title = g_strdup_printf (_("%s: CPUs"), title);
      walk.cpu_chart = ptl_result_add_chart (result, cpu_id, PTL_CHART_TIMELINE, cpu_title);
      ptl_chart_set_x_axis (walk.cpu_chart, _("Time"), "s", FALSE);
    }

  for (guint t = 0; t < n_threads; t++)
    {
      PtlThreadTrack *track = ptl_thread_recorder_get_thread (self, t);

      last_end = MAX (last_end, track->end);
      if (walk.cpu_chart != NULL)
        ptl_chart_add_key (walk.cpu_chart, track->name, FALSE);
    }

  for (guint t = 0; t < n_threads; t++)
    {
      PtlThreadTrack *track = ptl_thread_recorder_get_thread (self, t);
      gsize n_spans;
      g_autofree PtlThreadSpan *spans = copy_raw_spans (track, &n_spans);
      gint64 start, end;

      g_ptr_array_add (names, track->name);
      walk.lane = ptl_chart_add_lane (walk.chart, track->name);
      walk.cpu_key = t;
      track_bounds (track, spans, n_spans, &start, &end);
      walk_spans (spans, n_spans, start, end, track->begin_cpu, add_slice_cb, &walk);
      /* Finished while others went on: its lane says so to the end. */
      if (track->end != 0 && track->end < last_end)
        ptl_chart_add_slice (walk.chart, walk.lane, walk.state_keys[PTL_THREAD_FINISHED],
                             ticks_to_ns (track->end, self->origin) / 1e9,
                             ticks_to_ns (last_end, self->origin) / 1e9);
    }
  g_ptr_array_add (names, NULL);

  /* Shares: per thread, each state's part of its lifetime. */
  shares_title = g_strdup_printf (_("%s: share of time"), title);
  shares = ptl_result_add_chart (result, shares_id, PTL_CHART_BAR, shares_title);
  ptl_chart_set_categories (shares, (const char * const *) names->pdata);
  ptl_chart_set_y_axis (shares, _("Share of the thread's time"), "%", FALSE);
  times = ptl_thread_recorder_dup_state_times (self);
  /* Every state, even unused, so the bars take the timeline's colours. */
  for (guint s = 0; s < PTL_THREAD_FINISHED; s++)
    {
      PtlSeries *series = ptl_chart_add_series (shares, _(state_labels[s]));

      for (guint t = 0; t < n_threads; t++)
        {
          double total = 0;

          for (guint u = 0; u < PTL_THREAD_FINISHED; u++)
            total += times[t * PTL_THREAD_N_STATES + u];
          ptl_series_add_point (series, t, total > 0 ? 100 * times[t * PTL_THREAD_N_STATES + s] / total : 0);
        }
    }

  lost = ptl_thread_recorder_get_n_lost (self);
  if (lost > 0)
    ptl_result_add_warning (result,
                            _("%" G_GUINT64_FORMAT " thread-state spans did not fit in the recorder "
                              "(%u a thread) and are missing from “%s”: each lane shows its latest spans"),
                            lost, self->capacity, title);
}

const char *
ptl_thread_state_get_label (PtlThreadState state)
{
  g_return_val_if_fail (state < PTL_THREAD_N_STATES, NULL);
  return _(state_labels[state]);
}
