/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What one thread records about itself while it plays a process of a
 * workload: when it computed and on which CPU, and when it slept (its
 * I/O). The thread notes the time and its CPU every few microseconds of
 * work; when its clock jumped by more than the gap since the last note,
 * it was off the CPU in between (preempted), and a change of CPU is a
 * migration. Everything goes into an array allocated beforehand: no
 * lock, no allocation and no system call while recording. Times are
 * CLOCK_MONOTONIC nanoseconds, passed in, so the logic is testable with
 * made-up clocks. */

#define PTL_SCHED_TRACE_IO (-1)

typedef struct
{
  gint64 start;
  gint64 end;
  int    cpu;   /* the CPU it ran on, or PTL_SCHED_TRACE_IO for a sleep */
} PtlSchedSpan;

typedef struct
{
  PtlSchedSpan *spans;      /* closed spans, in time order */
  guint         n_spans;
  guint         capacity;
  gint64        gap_ns;
  guint         migrations; /* CPU changes, across sleeps too */
  gboolean      overflowed; /* spans were dropped for want of room */
  PtlSchedSpan  current;    /* the run span being extended */
  int           last_cpu;   /* -1 before the first run */
} PtlSchedTrace;

PtlSchedTrace *ptl_sched_trace_new        (guint          capacity,
                                           gint64         gap_ns);
void           ptl_sched_trace_free       (PtlSchedTrace *trace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlSchedTrace, ptl_sched_trace_free)

/* A CPU burst starts, ends, and is noted between blocks of its work. */
void           ptl_sched_trace_run_begin  (PtlSchedTrace *trace,
                                           gint64         now_ns,
                                           int            cpu);
void           ptl_sched_trace_run_end    (PtlSchedTrace *trace,
                                           gint64         now_ns,
                                           int            cpu);
/* The slow path of ptl_sched_trace_run_note (): a gap or a new CPU. */
void           _ptl_sched_trace_resume    (PtlSchedTrace *trace,
                                           gint64         now_ns,
                                           int            cpu);

static inline void
ptl_sched_trace_run_note (PtlSchedTrace *trace,
                          gint64         now_ns,
                          int            cpu)
{
  if (G_LIKELY (now_ns - trace->current.end <= trace->gap_ns && cpu == trace->current.cpu))
    trace->current.end = now_ns;
  else
    _ptl_sched_trace_resume (trace, now_ns, cpu);
}

void           ptl_sched_trace_add_io     (PtlSchedTrace *trace,
                                           gint64         start_ns,
                                           gint64         end_ns);

/* Sums of the recorded run spans and sleep spans. */
gint64         ptl_sched_trace_get_run_ns (PtlSchedTrace *trace);
gint64         ptl_sched_trace_get_io_ns  (PtlSchedTrace *trace);

G_END_DECLS
