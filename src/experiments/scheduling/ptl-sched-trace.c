/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sched-trace"

#include "config.h"

#include "ptl-sched-trace.h"

static void
push (PtlSchedTrace      *trace,
      const PtlSchedSpan *span)
{
  if (span->end <= span->start && span->cpu != PTL_SCHED_TRACE_IO)
    return;
  if (trace->n_spans == trace->capacity)
    {
      trace->overflowed = TRUE;
      return;
    }
  trace->spans[trace->n_spans++] = *span;
}

PtlSchedTrace *
ptl_sched_trace_new (guint  capacity,
                     gint64 gap_ns)
{
  PtlSchedTrace *trace;

  g_return_val_if_fail (capacity > 0, NULL);
  g_return_val_if_fail (gap_ns > 0, NULL);

  trace = g_new0 (PtlSchedTrace, 1);
  trace->spans = g_new (PtlSchedSpan, capacity);
  trace->capacity = capacity;
  trace->gap_ns = gap_ns;
  trace->last_cpu = -1;
  trace->current.cpu = PTL_SCHED_TRACE_IO;
  return trace;
}

void
ptl_sched_trace_free (PtlSchedTrace *trace)
{
  if (trace == NULL)
    return;
  g_free (trace->spans);
  g_free (trace);
}

void
ptl_sched_trace_run_begin (PtlSchedTrace *trace,
                           gint64         now_ns,
                           int            cpu)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (cpu >= 0);

  /* Waking up on another CPU than the one it slept on is a migration
   * too, the kernel's most common one. */
  if (trace->last_cpu >= 0 && cpu != trace->last_cpu)
    trace->migrations++;
  trace->last_cpu = cpu;
  trace->current = (PtlSchedSpan) { now_ns, now_ns, cpu };
}

void
_ptl_sched_trace_resume (PtlSchedTrace *trace,
                         gint64         now_ns,
                         int            cpu)
{
  g_assert (trace->current.cpu >= 0);

  push (trace, &trace->current);
  if (cpu != trace->current.cpu)
    trace->migrations++;
  trace->last_cpu = cpu;
  trace->current = (PtlSchedSpan) { now_ns, now_ns, cpu };
}

void
ptl_sched_trace_run_end (PtlSchedTrace *trace,
                         gint64         now_ns,
                         int            cpu)
{
  g_return_if_fail (trace != NULL);
  g_return_if_fail (trace->current.cpu >= 0);

  ptl_sched_trace_run_note (trace, now_ns, cpu);
  push (trace, &trace->current);
  trace->current.cpu = PTL_SCHED_TRACE_IO;
}

void
ptl_sched_trace_add_io (PtlSchedTrace *trace,
                        gint64         start_ns,
                        gint64         end_ns)
{
  PtlSchedSpan span = { start_ns, end_ns, PTL_SCHED_TRACE_IO };

  g_return_if_fail (trace != NULL);
  g_return_if_fail (end_ns >= start_ns);

  push (trace, &span);
}

static gint64
sum_spans (PtlSchedTrace *trace,
           gboolean       io)
{
  gint64 sum = 0;

  for (guint i = 0; i < trace->n_spans; i++)
    if ((trace->spans[i].cpu == PTL_SCHED_TRACE_IO) == io)
      sum += trace->spans[i].end - trace->spans[i].start;
  return sum;
}

gint64
ptl_sched_trace_get_run_ns (PtlSchedTrace *trace)
{
  g_return_val_if_fail (trace != NULL, 0);

  return sum_spans (trace, FALSE);
}

gint64
ptl_sched_trace_get_io_ns (PtlSchedTrace *trace)
{
  g_return_val_if_fail (trace != NULL, 0);

  return sum_spans (trace, TRUE);
}
