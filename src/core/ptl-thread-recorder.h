/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <stdatomic.h>

#include "ptl-clock.h"
#include "ptl-types.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

G_BEGIN_DECLS

/* What a thread is doing. The order is the legend's order. */
typedef enum
{
  PTL_THREAD_RUNNING,       /* on its own work: the gaps between other spans */
  PTL_THREAD_WAITING_LOCK,  /* waiting to acquire lock X */
  PTL_THREAD_HOLDING_LOCK,  /* inside lock X */
  PTL_THREAD_BLOCKED_COND,  /* blocked on condition (barrier, …) X */
  PTL_THREAD_SLEEPING,
  PTL_THREAD_WAITING_IO,
  PTL_THREAD_FINISHED,
  PTL_THREAD_N_STATES
} PtlThreadState;

/* No lock or condition: sleeping, I/O. */
#define PTL_THREAD_NO_OBJECT G_MAXUINT32

/* One span of one thread. While recording, times are raw ticks
 * (ptl_thread_ticks ()); ptl_thread_track_copy_spans () gives nanoseconds. */
typedef struct
{
  gint64  start;
  gint64  end;
  guint32 object; /* from ptl_thread_recorder_add_object (), or PTL_THREAD_NO_OBJECT */
  guint16 state;  /* PtlThreadState */
  gint16  cpu;    /* sched_getcpu () at the start, -1 unknown */
} PtlThreadSpan;

/* One thread's ring. Only its own thread writes it (no lock, no atomic
 * on the recording path); it is read once that thread has been joined.
 * waiting_for and waiting_since are the exception: other threads (a
 * deadlock watchdog) may read them at any time, so they are atomic; a
 * wait's start also tells one wait from the next on the same object.
 * abort points at the recorder's flag, which blocking calls poll. */
typedef struct
{
  PtlThreadSpan   *spans;
  guint64          mask;      /* capacity - 1; capacity is a power of two */
  guint64          n_written; /* all spans ever pushed; beyond capacity the oldest were overwritten */
  gint64           begin;     /* ticks; 0 until ptl_thread_track_begin () */
  gint64           end;       /* ticks; 0 until ptl_thread_track_finish () */
  gint64           origin;    /* the recorder's, in ticks */
  int              begin_cpu;
  guint            index;     /* lane */
  char            *name;
  _Atomic guint32  waiting_for;   /* object id + 1 the thread waits for, 0 when none */
  _Atomic gint64   waiting_since; /* ticks when that wait began */
  const _Atomic gint *abort;
} PtlThreadTrack;

/* Raw time stamps for the recording path. Where the CPU has an invariant
 * time-stamp counter, reading it costs a fraction of clock_gettime
 * (CLOCK_MONOTONIC): an uncontended mutex pair is ~15 ns here and two
 * clock reads would triple it. The recorder converts ticks to
 * CLOCK_MONOTONIC nanoseconds with a rate calibrated against that clock,
 * so spans still sit on the monotonic clock. Elsewhere ticks are
 * CLOCK_MONOTONIC nanoseconds already. */
extern gboolean ptl_thread_ticks_are_tsc;

static inline gint64
ptl_thread_ticks (void)
{
#if defined(__x86_64__) || defined(__i386__)
  if (G_LIKELY (ptl_thread_ticks_are_tsc))
    return (gint64) __rdtsc ();
#endif
  return ptl_clock_now_ns ();
}

/* The tick rate (1 where ticks are nanoseconds); calibrates once. */
double ptl_thread_ticks_per_ns (void);
int    ptl_thread_current_cpu  (void);

/* Busy for @ns on the CPU (the lab's stand-in for useful work). */
static inline void
ptl_thread_spin_ns (double ns)
{
  gint64 start = ptl_thread_ticks ();
  gint64 ticks = (gint64) (ns * ptl_thread_ticks_per_ns ());

  while (ptl_thread_ticks () - start < ticks)
    ;
}

/* Records one span on the calling thread's own track. */
static inline void
ptl_thread_track_push (PtlThreadTrack *track,
                       PtlThreadState  state,
                       guint32         object,
                       gint64          start,
                       gint64          end,
                       int             cpu)
{
  PtlThreadSpan *span = &track->spans[track->n_written & track->mask];

  span->start = start;
  span->end = end;
  span->object = object;
  span->state = (guint16) state;
  span->cpu = (gint16) cpu;
  track->n_written++;
}

/* The thread starts and ends its lane (running fills the gaps). */
void      ptl_thread_track_begin        (PtlThreadTrack *track);
void      ptl_thread_track_finish       (PtlThreadTrack *track);
/* A sleep or I/O wait of the calling thread, recorded around @ns of
 * ptl_clock_sleep_ns (); FALSE when @cancellable fired. */
gboolean  ptl_thread_track_sleep        (PtlThreadTrack *track,
                                         gint64          ns,
                                         GCancellable   *cancellable);
/* Spans that did not fit (the oldest, overwritten). */
guint64   ptl_thread_track_get_n_lost   (const PtlThreadTrack *track);
/* The spans kept, oldest first, in nanoseconds since the recorder's
 * origin. Only once the thread has stopped recording. */
PtlThreadSpan *ptl_thread_track_copy_spans (const PtlThreadTrack *track,
                                            gsize                *n_spans);

#define PTL_TYPE_THREAD_RECORDER (ptl_thread_recorder_get_type ())
G_DECLARE_FINAL_TYPE (PtlThreadRecorder, ptl_thread_recorder, PTL, THREAD_RECORDER, GObject)

/* @capacity spans per thread, rounded up to a power of two. The origin
 * (time 0 of every span) is now. */
PtlThreadRecorder *ptl_thread_recorder_new          (guint              capacity);
guint              ptl_thread_recorder_get_capacity (PtlThreadRecorder *self);
/* A lane for one thread; borrowed, lives as long as @self. Thread-safe,
 * but meant to be called before the thread starts. */
PtlThreadTrack    *ptl_thread_recorder_add_thread   (PtlThreadRecorder *self,
                                                     const char        *name);
guint              ptl_thread_recorder_get_n_threads (PtlThreadRecorder *self);
PtlThreadTrack    *ptl_thread_recorder_get_thread   (PtlThreadRecorder *self,
                                                     guint              index);
/* Tells every blocking call of the instrumented primitives on this
 * recorder's tracks to give up (they return FALSE within
 * PTL_SYNC_ABORT_POLL_MS): how a deadlocked or cancelled run gets its
 * threads back. Thread-safe; for good. */
void               ptl_thread_recorder_abort        (PtlThreadRecorder *self);
gboolean           ptl_thread_recorder_is_aborted   (PtlThreadRecorder *self);

static inline gboolean
ptl_thread_track_is_aborted (const PtlThreadTrack *track)
{
  return atomic_load_explicit (track->abort, memory_order_relaxed) != 0;
}

/* A named lock or condition; its id goes into spans. Thread-safe. */
guint32            ptl_thread_recorder_add_object   (PtlThreadRecorder *self,
                                                     const char        *name);
const char        *ptl_thread_recorder_get_object_name (PtlThreadRecorder *self,
                                                        guint32            object);
/* Ticks to nanoseconds since the origin. */
double             ptl_thread_recorder_ticks_to_ns  (PtlThreadRecorder *self,
                                                     gint64             ticks);
guint64            ptl_thread_recorder_get_n_spans  (PtlThreadRecorder *self);
guint64            ptl_thread_recorder_get_n_lost   (PtlThreadRecorder *self);

/* Time each thread spent per state, in seconds: @times[thread *
 * PTL_THREAD_N_STATES + state]. Running is the lifetime minus the other
 * spans (a wait inside a hold counts once, as the wait). */
double            *ptl_thread_recorder_dup_state_times (PtlThreadRecorder *self);

/* Charts of a finished recording, added to @result:
 * "<id>": the thread-state timeline, one lane per thread, one colour per
 *   state; a lock's spans are keys named after it ("waiting for “counter”")
 *   drawn in their state's colour, so a hover names state, lock and length.
 * "<id>-cpus" when @cpu_lanes: one lane per CPU, which thread was there.
 * "<id>-shares": each thread's share of time per state.
 * A warning names the spans that did not fit. */
void               ptl_thread_recorder_add_charts   (PtlThreadRecorder *self,
                                                     PtlResult         *result,
                                                     const char        *id,
                                                     const char        *title,
                                                     gboolean           cpu_lanes);

const char        *ptl_thread_state_get_label       (PtlThreadState     state);

G_END_DECLS
