/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"
#include "ptl-sched-workload.h"

G_BEGIN_DECLS

typedef enum
{
  PTL_SCHED_FCFS,
  PTL_SCHED_SJF,
  PTL_SCHED_SRTF,
  PTL_SCHED_RR,
  PTL_SCHED_PRIORITY,
  PTL_SCHED_PRIORITY_PREEMPTIVE,
  PTL_SCHED_MLFQ,
} PtlSchedAlgorithm;

#define PTL_SCHED_N_ALGORITHMS (PTL_SCHED_MLFQ + 1)

/* The enum as a GType with the nicks above, for GParamSpecEnum properties. */
#define PTL_TYPE_SCHED_ALGORITHM (ptl_sched_algorithm_get_type ())
GType               ptl_sched_algorithm_get_type       (void) G_GNUC_CONST;

const char         *ptl_sched_algorithm_to_nick        (PtlSchedAlgorithm  algorithm);
/* Translated display name, e.g. "Round robin". */
const char         *ptl_sched_algorithm_get_title      (PtlSchedAlgorithm  algorithm);
/* Translated short name for chart axes, e.g. "RR". */
const char         *ptl_sched_algorithm_get_abbreviation (PtlSchedAlgorithm algorithm);
/* Untranslated titles (N_()), NULL-terminated, in enum order. */
const char * const *ptl_sched_algorithm_list_titles (void);
/* NULL-terminated, in enum order. */
const char * const *ptl_sched_algorithm_list_nicks     (void);
/* PTL_ERROR_INVALID_PARAMETER naming the allowed nicks when unknown. */
gboolean            ptl_sched_algorithm_from_nick      (const char         *nick,
                                                        PtlSchedAlgorithm  *algorithm,
                                                        GError            **error);

#define PTL_SCHED_MLFQ_MAX_LEVELS 8

typedef struct
{
  PtlSchedAlgorithm algorithm;
  /* Round robin time slice, >= 1. */
  gint64            quantum;
  /* Priority algorithms: every aging_interval units a process waits in
   * the ready queue raise its priority by one step; 0 = no aging. */
  gint64            aging_interval;
  /* MLFQ: levels (1 … PTL_SCHED_MLFQ_MAX_LEVELS, level 0 on top), the
   * time slice of each level (>= 1; the last level may use 0 for "no
   * slice": it then runs each burst to its end, FCFS), and the boost
   * period S: at S, 2S, … every process moves to level 0; 0 = no boost. */
  guint             mlfq_levels;
  gint64            mlfq_quanta[PTL_SCHED_MLFQ_MAX_LEVELS];
  gint64            mlfq_boost_interval;
  /* Time to switch to a different process; shown as switch slices. */
  gint64            switch_cost;
} PtlSchedConfig;

/* Defaults: quantum 4; no aging; MLFQ as in Silberschatz (3 levels with
 * slices 8, 16 and FCFS at the bottom) with no boost; no switch cost. */
void                ptl_sched_config_init              (PtlSchedConfig     *config,
                                                        PtlSchedAlgorithm   algorithm);
/* PTL_ERROR_INVALID_PARAMETER naming the bad field. Only the fields the
 * algorithm uses are checked (plus the switch cost). */
gboolean            ptl_sched_config_validate          (const PtlSchedConfig *config,
                                                        GError            **error);

/* In a slice, process is an index into the workload or one of these. */
#define PTL_SCHED_SLICE_IDLE   (-1)
#define PTL_SCHED_SLICE_SWITCH (-2)

typedef struct
{
  int    process;
  gint64 start;
  gint64 end;
} PtlSchedSlice;

typedef struct
{
  gint64 arrival;
  gint64 first_run;  /* when it first executed */
  gint64 completion; /* end of its last CPU burst */
  gint64 waiting;    /* time ready but not running, switch-in slices included */
  gint64 turnaround; /* completion - arrival = waiting + cpu_time + io_time */
  gint64 response;   /* first_run - arrival */
  gint64 cpu_time;
  gint64 io_time;
} PtlSchedProcessStats;

typedef struct
{
  double  avg_waiting;     /* NAN without processes */
  double  avg_turnaround;
  double  avg_response;
  double  throughput;      /* processes per time unit, NAN without processes */
  double  cpu_utilisation; /* busy_time / makespan in [0, 1], NAN without processes */
  guint64 context_switches;
  gint64  start;           /* earliest arrival; the timeline starts here */
  gint64  makespan;        /* last completion - start */
  gint64  busy_time;       /* running processes */
  gint64  idle_time;
  gint64  switch_time;     /* busy + idle + switch = makespan */
} PtlSchedTotals;

typedef struct
{
  PtlSchedSlice        *slices;    /* in time order, back to back from start */
  guint                 n_slices;
  PtlSchedProcessStats *processes; /* in workload order */
  guint                 n_processes;
  PtlSchedTotals        totals;
} PtlSchedOutcome;

void                ptl_sched_outcome_free             (PtlSchedOutcome    *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlSchedOutcome, ptl_sched_outcome_free)

/* Most steps (dispatches, time-slice ends, idle gaps) one simulation may
 * take beyond one per arrival and burst end, and most slices its timeline
 * may hold: a bound on its time and memory (slices take 24 bytes each).
 * Without it two processes with bursts of 1e8 and a quantum of 1 take
 * gigabytes. */
#define PTL_SCHED_STEPS_MAX 4000000u

/* Runs @workload under @config. Fails for an invalid config, and with
 * PTL_ERROR_LIMIT naming PTL_SCHED_STEPS_MAX when the workload needs more
 * steps than that. Pure and deterministic: the same input always gives
 * the same outcome. */
PtlSchedOutcome    *ptl_sched_simulate                 (PtlSchedWorkload   *workload,
                                                        const PtlSchedConfig *config,
                                                        GError            **error);

/* Times ptl_sched_simulate on a generated workload of @n_processes with
 * @n_bursts_total bursts (CPU and I/O; rounded down by one when needed so
 * each process has an odd count) under @algorithm's defaults: one
 * warm-up, then PTL_SCHED_BENCH_RUNS timed runs summarised in @seconds. */
#define PTL_SCHED_BENCH_RUNS 9

gboolean            ptl_sched_bench                    (guint               n_processes,
                                                        guint               n_bursts_total,
                                                        const char         *algorithm,
                                                        PtlStats           *seconds,
                                                        GError            **error);

G_END_DECLS
