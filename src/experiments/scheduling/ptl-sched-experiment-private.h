/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-sched-sim.h"
#include "ptl-sched-workload.h"

G_BEGIN_DECLS

/* What the "sched" and "sched-real" experiments share: the workload
 * parameter and the simulator's timeline as a chart. */

/* @spec is a generator kind (then @n processes from @seed) or the path of
 * a .csv or .json file (the loader's error names its line and column).
 * Anything else, and a workload without processes, fail with
 * PTL_ERROR_INVALID_PARAMETER naming the allowed kinds. */
PtlSchedWorkload *_ptl_sched_workload_resolve (const char       *spec,
                                               guint             n,
                                               guint32           seed,
                                               GError          **error);

/* A one-line description of every process ("P1: arrives at 0 s, priority
 * 3, CPU 24 ms, I/O 5 ms, CPU 3 ms"), one unit being @seconds_per_unit. */
char             *_ptl_sched_workload_describe (PtlSchedWorkload *workload,
                                                double            seconds_per_unit);

/* The lanes of a simulated timeline: one per process in workload order,
 * then "idle / switch". */
#define PTL_SCHED_IDLE_LANE_NAME N_("Idle / switch")

/* Adds @outcome as a timeline chart: a lane per process (its CPU slices
 * keyed by the process, its I/O in a muted "I/O" key, an arrival marker),
 * and the idle/switch lane (muted "idle" and, with @with_switch_key,
 * "switch" keys). Time is in seconds, one unit being @seconds_per_unit.
 * With @end_unit > 0 the chart spans the time up to it, so charts compared
 * side by side share one time axis. Returns the chart. */
PtlChart         *_ptl_sched_add_outcome_chart (PtlResult              *result,
                                                const char             *id,
                                                const char             *title,
                                                PtlSchedWorkload       *workload,
                                                const PtlSchedOutcome  *outcome,
                                                gboolean                with_switch_key,
                                                double                  seconds_per_unit,
                                                gint64                  end_unit);

G_END_DECLS
