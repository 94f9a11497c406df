/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sched-sim"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-sched-sim.h"

#define MAX_PROCS 8

/* One hand-worked example. The workload is inline CSV; the timeline is
 * written "name start-end" with "idle" and "cs" (switch) slices. */
typedef struct
{
  const char *path;
  const char *algorithm;
  const char *workload;
  gint64      quantum;        /* 0: default */
  gint64      aging;
  gint64      switch_cost;
  guint       mlfq_levels;    /* 0: default */
  gint64      mlfq_quanta[PTL_SCHED_MLFQ_MAX_LEVELS];
  gint64      mlfq_boost;
  const char *slices;
  gint64      waiting[MAX_PROCS];
  gint64      turnaround[MAX_PROCS];   /* all 0: not checked */
  double      avg_waiting;             /* 0: not checked */
  guint64     switches;
} SimCase;

#define SILBERSCHATZ_FCFS "name,arrival,burst\nP1,0,24\nP2,0,3\nP3,0,3\n"
#define SILBERSCHATZ_SJF "name,arrival,burst\nP1,0,6\nP2,0,8\nP3,0,7\nP4,0,3\n"
#define SILBERSCHATZ_SRTF "name,arrival,burst\nP1,0,8\nP2,1,4\nP3,2,9\nP4,3,5\n"
#define SILBERSCHATZ_PRIORITY \
  "name,arrival,burst,priority\nP1,0,10,3\nP2,0,1,1\nP3,0,2,4\nP4,0,1,5\nP5,0,5,2\n"
#define MLFQ_DEMOTE "name,arrival,burst\nA,0,30\nB,0,5\nC,10,20\n"
#define MLFQ_STREAM \
  "name,arrival,burst\nA,0,6\nX1,2,2\nX2,4,2\nX3,6,2\nX4,8,2\nX5,10,2\n"
#define AGING_STREAM \
  "name,arrival,burst,priority\nH1,0,4,1\nL,0,2,10\nH2,3,4,1\nH3,7,4,1\n" \
  "H4,11,4,1\nH5,15,4,1\nH6,19,4,1\n"

static const SimCase cases[] = {
  /* Silberschatz, Operating System Concepts, 6.3: the textbook examples. */
  { "/ptl/sched/fcfs/silberschatz", "fcfs", SILBERSCHATZ_FCFS,
    .slices = "P1 0-24, P2 24-27, P3 27-30",
    .waiting = { 0, 24, 27 }, .turnaround = { 24, 27, 30 }, .avg_waiting = 17, .switches = 2 },
  { "/ptl/sched/fcfs/short-first", "fcfs", "name,arrival,burst\nP2,0,3\nP3,0,3\nP1,0,24\n",
    .slices = "P2 0-3, P3 3-6, P1 6-30",
    .waiting = { 0, 3, 6 }, .avg_waiting = 3, .switches = 2 },
  { "/ptl/sched/sjf/silberschatz", "sjf", SILBERSCHATZ_SJF,
    .slices = "P4 0-3, P1 3-9, P3 9-16, P2 16-24",
    .waiting = { 3, 16, 9, 0 }, .turnaround = { 9, 24, 16, 3 }, .avg_waiting = 7, .switches = 3 },
  { "/ptl/sched/sjf/arrivals", "sjf", SILBERSCHATZ_SRTF,
    .slices = "P1 0-8, P2 8-12, P4 12-17, P3 17-26",
    .waiting = { 0, 7, 15, 9 }, .avg_waiting = 7.75, .switches = 3 },
  { "/ptl/sched/srtf/silberschatz", "srtf", SILBERSCHATZ_SRTF,
    .slices = "P1 0-1, P2 1-5, P4 5-10, P1 10-17, P3 17-26",
    .waiting = { 9, 0, 15, 2 }, .turnaround = { 17, 4, 24, 7 }, .avg_waiting = 6.5, .switches = 4 },
  { "/ptl/sched/rr/silberschatz", "rr", SILBERSCHATZ_FCFS, .quantum = 4,
    .slices = "P1 0-4, P2 4-7, P3 7-10, P1 10-30",
    .waiting = { 6, 4, 7 }, .turnaround = { 30, 7, 10 }, .avg_waiting = 17.0 / 3, .switches = 3 },
  { "/ptl/sched/priority/silberschatz", "priority", SILBERSCHATZ_PRIORITY,
    .slices = "P2 0-1, P5 1-6, P1 6-16, P3 16-18, P4 18-19",
    .waiting = { 6, 0, 16, 18, 1 }, .turnaround = { 16, 1, 18, 19, 6 }, .avg_waiting = 8.2,
    .switches = 4 },
  { "/ptl/sched/priority-preemptive/arrivals", "priority-preemptive",
    "name,arrival,burst,priority\nP1,0,10,3\nP2,1,1,1\nP3,2,2,4\nP4,3,1,5\nP5,4,5,2\n",
    .slices = "P1 0-1, P2 1-2, P1 2-4, P5 4-9, P1 9-16, P3 16-18, P4 18-19",
    .waiting = { 6, 0, 14, 15, 0 }, .turnaround = { 16, 1, 16, 16, 5 }, .avg_waiting = 7,
    .switches = 6 },

  /* Ties. A quantum ends as a process arrives: the arrival goes first. */
  { "/ptl/sched/rr/arrival-before-expired", "rr", "name,arrival,burst\nP1,0,8\nP2,4,2\n",
    .quantum = 4,
    .slices = "P1 0-4, P2 4-6, P1 6-10", .waiting = { 2, 0 }, .switches = 2 },
  { "/ptl/sched/rr/arrival-queue-order", "rr", "name,arrival,burst\nP1,0,6\nP2,0,4\nP3,4,2\n",
    .quantum = 4,
    .slices = "P1 0-4, P2 4-8, P3 8-10, P1 10-12", .waiting = { 6, 4, 4 }, .switches = 3 },
  /* An I/O return and an arrival at one instant: lower index first. */
  { "/ptl/sched/fcfs/io-return-before-arrival", "fcfs",
    "name,arrival,bursts\nP1,0,1;4;1\nP2,0,4\nP3,5,1\n",
    .slices = "P1 0-1, P2 1-5, P1 5-6, P3 6-7", .waiting = { 0, 1, 1 }, .switches = 3 },
  { "/ptl/sched/fcfs/arrival-before-io-return", "fcfs",
    "name,arrival,bursts\nP1,5,1\nP2,0,1;4;1\nP3,0,4\n",
    .slices = "P2 0-1, P3 1-5, P1 5-6, P2 6-7", .waiting = { 0, 1, 1 }, .switches = 3 },
  /* Same burst: the earlier arrival into the ready queue, then the index. */
  { "/ptl/sched/sjf/ties", "sjf", "name,arrival,burst\nA,1,3\nB,0,5\nC,1,3\nD,0,3\n",
    .slices = "D 0-3, A 3-6, C 6-9, B 9-14", .waiting = { 2, 9, 5, 0 }, .switches = 3 },

  /* I/O in parallel, idle CPU while everyone is blocked. */
  { "/ptl/sched/fcfs/io", "fcfs", "name,arrival,bursts\nP1,0,4;5;3\nP2,1,2\n",
    .slices = "P1 0-4, P2 4-6, idle 6-9, P1 9-12",
    .waiting = { 0, 3 }, .turnaround = { 12, 5 }, .switches = 2 },
  { "/ptl/sched/rr/io", "rr", "name,arrival,bursts\nP1,0,6;2;2\nP2,0,3;1;3\n", .quantum = 4,
    /* P1 0-4; P2 4-7 then I/O to 8; P1 7-9 then I/O to 11; P2 back at 8
     * runs 9-12; P1 back at 11 runs 12-14. */
    .slices = "P1 0-4, P2 4-7, P1 7-9, P2 9-12, P1 12-14",
    .waiting = { 4, 5 }, .turnaround = { 14, 12 }, .switches = 4 },
  { "/ptl/sched/fcfs/one-process", "fcfs", "name,arrival,burst\nP1,3,5\n",
    .slices = "P1 3-8", .waiting = { 0 }, .turnaround = { 5 }, .switches = 0 },
  { "/ptl/sched/fcfs/idle-gap", "fcfs", "name,arrival,burst\nP1,0,2\nP2,5,3\n",
    .slices = "P1 0-2, idle 2-5, P2 5-8", .waiting = { 0, 0 }, .switches = 1 },

  /* Context-switch cost: switch slices, counted in the waiting time. */
  { "/ptl/sched/fcfs/switch-cost", "fcfs", SILBERSCHATZ_FCFS, .switch_cost = 1,
    .slices = "P1 0-24, cs 24-25, P2 25-28, cs 28-29, P3 29-32",
    .waiting = { 0, 25, 29 }, .turnaround = { 24, 28, 32 }, .switches = 2 },
  { "/ptl/sched/rr/switch-cost", "rr", SILBERSCHATZ_FCFS, .quantum = 4, .switch_cost = 1,
    .slices = "P1 0-4, cs 4-5, P2 5-8, cs 8-9, P3 9-12, cs 12-13, P1 13-33",
    .waiting = { 9, 5, 9 }, .switches = 3 },
  /* P3 arrives during the switch to P2, which is preempted the instant
   * it would start: two switches back to back. */
  { "/ptl/sched/srtf/switch-cost", "srtf", "name,arrival,burst\nP1,0,10\nP2,1,8\nP3,2,1\n",
    .switch_cost = 2,
    .slices = "P1 0-1, cs 1-3, cs 3-5, P3 5-6, cs 6-8, P2 8-16, cs 16-18, P1 18-27",
    .waiting = { 17, 7, 3 }, .turnaround = { 27, 15, 4 }, .switches = 4 },
  { "/ptl/sched/fcfs/switch-cost-same-process", "fcfs", "name,arrival,bursts\nP1,0,2;3;2\n",
    .switch_cost = 5,
    .slices = "P1 0-2, idle 2-5, P1 5-7", .waiting = { 0 }, .switches = 0 },

  /* MLFQ: 3 levels, slices 8, 16, FCFS (the defaults). A uses up its
   * slices and sinks to the bottom; C too, one level. */
  { "/ptl/sched/mlfq/demotion", "mlfq", MLFQ_DEMOTE,
    .slices = "A 0-8, B 8-13, C 13-21, A 21-37, C 37-49, A 49-55",
    .waiting = { 25, 8, 19 }, .switches = 5 },
  /* D arrives on level 0 while A runs on level 1: A is preempted, goes
   * behind C keeping 12 of its 16 units, uses them, sinks and ends. */
  { "/ptl/sched/mlfq/preemption", "mlfq", MLFQ_DEMOTE "D,25,3\n",
    .slices = "A 0-8, B 8-13, C 13-21, A 21-25, D 25-28, C 28-40, A 40-58",
    .waiting = { 28, 8, 10, 0 }, .switches = 6 },
  /* An I/O-bound process that blocks before its slice ends stays on top. */
  { "/ptl/sched/mlfq/io-stays", "mlfq", "name,arrival,bursts\nA,0,20\nB,0,2;1;2;1;2\n",
    .mlfq_levels = 2, .mlfq_quanta = { 4, 8 },
    /* A 0-4 drops; B 4-6 blocks, back at 7 on level 0 preempts A at 7;
     * B 7-9 blocks to 10, preempts again at 10; A has 14 units left. */
    .slices = "A 0-4, B 4-6, A 6-7, B 7-9, A 9-10, B 10-12, A 12-26",
    .waiting = { 6, 4 }, .switches = 6 },
  /* A starves on level 1 behind a stream of short jobs ... */
  { "/ptl/sched/mlfq/no-boost", "mlfq", MLFQ_STREAM,
    .mlfq_levels = 2, .mlfq_quanta = { 2, 0 },
    .slices = "A 0-2, X1 2-4, X2 4-6, X3 6-8, X4 8-10, X5 10-12, A 12-16",
    .waiting = { 10, 0, 0, 0, 0, 0 }, .switches = 6 },
  /* ... unless boosts (at 5 and 10) lift it to the top again. */
  { "/ptl/sched/mlfq/boost", "mlfq", MLFQ_STREAM,
    .mlfq_levels = 2, .mlfq_quanta = { 2, 0 }, .mlfq_boost = 5,
    .slices = "A 0-2, X1 2-4, X2 4-6, A 6-8, X3 8-10, X4 10-12, A 12-14, X5 14-16",
    .waiting = { 8, 0, 0, 2, 2, 4 }, .switches = 7 },
  /* A boost during a slice restarts it on level 0 (A 8-14: 2 units on
   * level 1, then a fresh 4 after the boost at 10). */
  { "/ptl/sched/mlfq/boost-restarts-slice", "mlfq", "name,arrival,burst\nA,0,20\nB,0,20\n",
    .mlfq_levels = 2, .mlfq_quanta = { 4, 8 }, .mlfq_boost = 10,
    .slices = "A 0-4, B 4-8, A 8-14, B 14-18, A 18-24, B 24-28, A 28-32, B 32-40",
    .waiting = { 12, 20 }, .switches = 7 },

  /* Aging: L (priority 10) waits behind a stream of priority-1 jobs ... */
  { "/ptl/sched/priority/starvation", "priority", AGING_STREAM,
    .slices = "H1 0-4, H2 4-8, H3 8-12, H4 12-16, H5 16-20, H6 20-24, L 24-26",
    .waiting = { 0, 24, 1, 1, 1, 1, 1 }, .switches = 6 },
  /* ... and with one step per unit waited it overtakes them at 12. */
  { "/ptl/sched/priority/aging", "priority", AGING_STREAM, .aging = 1,
    .slices = "H1 0-4, H2 4-8, H3 8-12, L 12-14, H4 14-18, H5 18-22, H6 22-26",
    .waiting = { 0, 12, 1, 1, 3, 3, 3 }, .switches = 6 },
  /* W (priority 6) ages past the running Pa (priority 2) at 11, when
   * 6 - floor (10 / 2) = 1 < 2: a preemption at no arrival. */
  { "/ptl/sched/priority-preemptive/aging", "priority-preemptive",
    "name,arrival,burst,priority\nPa,0,20,2\nW,1,3,6\n", .aging = 2,
    .slices = "Pa 0-11, W 11-14, Pa 14-23", .waiting = { 3, 10 }, .switches = 2 },
  { "/ptl/sched/priority-preemptive/no-aging", "priority-preemptive",
    "name,arrival,burst,priority\nPa,0,20,2\nW,1,3,6\n",
    .slices = "Pa 0-20, W 20-23", .waiting = { 0, 19 }, .switches = 1 },
};

static PtlSchedWorkload *
workload_from_csv (const char *csv)
{
  g_autoptr(GError) error = NULL;
  PtlSchedWorkload *workload = ptl_sched_workload_new_from_csv (csv, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (workload);
  return workload;
}

static char *
format_slices (PtlSchedWorkload      *workload,
               const PtlSchedOutcome *outcome)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < outcome->n_slices; i++)
    {
      const PtlSchedSlice *slice = &outcome->slices[i];
      const char *name;

      if (slice->process == PTL_SCHED_SLICE_IDLE)
        name = "idle";
      else if (slice->process == PTL_SCHED_SLICE_SWITCH)
        name = "cs";
      else
        name = ptl_sched_workload_get_name (workload, slice->process);
      g_string_append_printf (out, "%s%s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                              i > 0 ? ", " : "", name, slice->start, slice->end);
    }
  return g_string_free (out, FALSE);
}

/* What must hold for any workload and policy. */
static void
check_invariants (PtlSchedWorkload      *workload,
                  const PtlSchedConfig  *config,
                  const PtlSchedOutcome *outcome)
{
  const PtlSchedTotals *totals = &outcome->totals;
  guint n = ptl_sched_workload_get_n_processes (workload);
  g_autofree gint64 *cpu_seen = g_new0 (gint64, n);
  g_autofree gint64 *last_end = g_new0 (gint64, n);
  g_autofree guint *pieces = g_new0 (guint, n);
  gint64 busy = 0;
  gint64 idle = 0;
  gint64 switching = 0;
  guint64 transitions = 0;
  guint64 switch_slices = 0;
  int previous = -1;

  g_assert_cmpuint (outcome->n_processes, ==, n);

  for (guint i = 0; i < outcome->n_slices; i++)
    {
      const PtlSchedSlice *slice = &outcome->slices[i];
      gint64 length = slice->end - slice->start;

      g_assert_cmpint (length, >, 0);
      g_assert_cmpint (slice->start, ==, i == 0 ? totals->start : outcome->slices[i - 1].end);
      if (slice->process == PTL_SCHED_SLICE_IDLE)
        idle += length;
      else if (slice->process == PTL_SCHED_SLICE_SWITCH)
        {
          switching += length;
          switch_slices++;
          g_assert_cmpint (length, ==, config->switch_cost);
        }
      else
        {
          g_assert_cmpint (slice->process, >=, 0);
          g_assert_cmpint (slice->process, <, (int) n);
          /* Back-to-back pieces of one process are merged. */
          if (i > 0)
            g_assert_cmpint (outcome->slices[i - 1].process, !=, slice->process);
          g_assert_cmpint (slice->start, >=, ptl_sched_workload_get_arrival (workload, slice->process));
          busy += length;
          cpu_seen[slice->process] += length;
          last_end[slice->process] = slice->end;
          pieces[slice->process]++;
          if (previous >= 0 && previous != slice->process)
            transitions++;
          previous = slice->process;
        }
    }
  if (outcome->n_slices > 0)
    g_assert_cmpint (outcome->slices[outcome->n_slices - 1].end, ==, totals->start + totals->makespan);

  g_assert_cmpint (busy, ==, totals->busy_time);
  g_assert_cmpint (idle, ==, totals->idle_time);
  g_assert_cmpint (switching, ==, totals->switch_time);
  g_assert_cmpint (busy + idle + switching, ==, totals->makespan);
  if (config->switch_cost > 0)
    g_assert_cmpuint (switch_slices, ==, totals->context_switches);
  else
    /* Without a switch window nothing is preempted before it runs. */
    g_assert_cmpuint (transitions, ==, totals->context_switches);

  for (guint i = 0; i < n; i++)
    {
      const PtlSchedProcessStats *stats = &outcome->processes[i];
      guint n_bursts;
      const gint64 *bursts = ptl_sched_workload_get_bursts (workload, i, &n_bursts);
      gint64 cpu = 0;
      gint64 io = 0;

      for (guint b = 0; b < n_bursts; b++)
        {
          if (b % 2 == 0)
            cpu += bursts[b];
          else
            io += bursts[b];
        }
      g_assert_cmpint (stats->arrival, ==, ptl_sched_workload_get_arrival (workload, i));
      g_assert_cmpint (stats->cpu_time, ==, cpu);
      g_assert_cmpint (cpu_seen[i], ==, cpu);
      g_assert_cmpint (stats->io_time, ==, io);
      g_assert_cmpint (stats->completion, ==, last_end[i]);
      g_assert_cmpint (stats->turnaround, ==, stats->completion - stats->arrival);
      g_assert_cmpint (stats->turnaround, ==, stats->waiting + cpu + io);
      g_assert_cmpint (stats->first_run, >=, stats->arrival);
      g_assert_cmpint (stats->response, ==, stats->first_run - stats->arrival);
      g_assert_cmpint (stats->response, <=, stats->waiting);
      /* Non-preemptive policies run each CPU burst in one piece. */
      if (config->algorithm == PTL_SCHED_FCFS || config->algorithm == PTL_SCHED_SJF ||
          config->algorithm == PTL_SCHED_PRIORITY)
        g_assert_cmpuint (pieces[i], ==, (n_bursts + 1) / 2);
    }

  if (n > 0)
    {
      g_assert_cmpfloat_with_epsilon (totals->cpu_utilisation,
                                      (double) busy / totals->makespan, 1e-12);
      g_assert_cmpfloat_with_epsilon (totals->throughput, (double) n / totals->makespan, 1e-12);
    }
}

static void
config_for_case (const SimCase  *tc,
                 PtlSchedConfig *config)
{
  PtlSchedAlgorithm algorithm;
  g_autoptr(GError) error = NULL;

  g_assert_true (ptl_sched_algorithm_from_nick (tc->algorithm, &algorithm, &error));
  g_assert_no_error (error);
  ptl_sched_config_init (config, algorithm);
  if (tc->quantum > 0)
    config->quantum = tc->quantum;
  config->aging_interval = tc->aging;
  config->switch_cost = tc->switch_cost;
  if (tc->mlfq_levels > 0)
    {
      config->mlfq_levels = tc->mlfq_levels;
      for (guint l = 0; l < PTL_SCHED_MLFQ_MAX_LEVELS; l++)
        config->mlfq_quanta[l] = tc->mlfq_quanta[l];
    }
  config->mlfq_boost_interval = tc->mlfq_boost;
}

static void
test_case (gconstpointer data)
{
  const SimCase *tc = data;
  g_autoptr(PtlSchedWorkload) workload = workload_from_csv (tc->workload);
  g_autoptr(PtlSchedOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *slices = NULL;
  PtlSchedConfig config;
  gboolean check_turnaround = FALSE;
  guint n = ptl_sched_workload_get_n_processes (workload);

  config_for_case (tc, &config);
  outcome = ptl_sched_simulate (workload, &config, &error);
  g_assert_no_error (error);

  slices = format_slices (workload, outcome);
  g_assert_cmpstr (slices, ==, tc->slices);
  check_invariants (workload, &config, outcome);

  for (guint i = 0; i < n; i++)
    check_turnaround |= tc->turnaround[i] != 0;
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (outcome->processes[i].waiting, ==, tc->waiting[i]);
      if (check_turnaround)
        g_assert_cmpint (outcome->processes[i].turnaround, ==, tc->turnaround[i]);
    }
  if (tc->avg_waiting != 0)
    g_assert_cmpfloat_with_epsilon (outcome->totals.avg_waiting, tc->avg_waiting, 1e-9);
  g_assert_cmpuint (outcome->totals.context_switches, ==, tc->switches);
  g_assert_finalize_object (g_steal_pointer (&workload));
}

static void
test_totals (void)
{
  g_autoptr(PtlSchedWorkload) workload = workload_from_csv ("name,arrival,burst\nP1,0,2\nP2,5,3\n");
  g_autoptr(PtlSchedOutcome) outcome = NULL;
  PtlSchedConfig config;

  ptl_sched_config_init (&config, PTL_SCHED_FCFS);
  outcome = ptl_sched_simulate (workload, &config, NULL);
  g_assert_cmpint (outcome->totals.start, ==, 0);
  g_assert_cmpint (outcome->totals.makespan, ==, 8);
  g_assert_cmpint (outcome->totals.busy_time, ==, 5);
  g_assert_cmpint (outcome->totals.idle_time, ==, 3);
  g_assert_cmpfloat_with_epsilon (outcome->totals.cpu_utilisation, 5.0 / 8, 1e-12);
  g_assert_cmpfloat_with_epsilon (outcome->totals.throughput, 2.0 / 8, 1e-12);
  g_assert_cmpfloat_with_epsilon (outcome->totals.avg_turnaround, 2.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (outcome->totals.avg_response, 0, 1e-12);
}

static void
test_one_process_late (void)
{
  g_autoptr(PtlSchedWorkload) workload = workload_from_csv ("name,arrival,burst\nP1,3,5\n");
  g_autoptr(PtlSchedOutcome) outcome = NULL;
  PtlSchedConfig config;

  ptl_sched_config_init (&config, PTL_SCHED_RR);
  config.quantum = 1;
  outcome = ptl_sched_simulate (workload, &config, NULL);
  /* The timeline starts at the first arrival; a lone job is one slice. */
  g_assert_cmpuint (outcome->n_slices, ==, 1);
  g_assert_cmpint (outcome->totals.start, ==, 3);
  g_assert_cmpint (outcome->totals.makespan, ==, 5);
  g_assert_cmpfloat (outcome->totals.cpu_utilisation, ==, 1.0);
  g_assert_cmpint (outcome->processes[0].response, ==, 0);
}

static void
test_empty (void)
{
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_new ();

  for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
    {
      g_autoptr(PtlSchedOutcome) outcome = NULL;
      g_autoptr(GError) error = NULL;
      PtlSchedConfig config;

      ptl_sched_config_init (&config, a);
      outcome = ptl_sched_simulate (workload, &config, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (outcome->n_slices, ==, 0);
      g_assert_cmpuint (outcome->n_processes, ==, 0);
      g_assert_cmpint (outcome->totals.makespan, ==, 0);
      g_assert_cmpuint (outcome->totals.context_switches, ==, 0);
      g_assert_true (isnan (outcome->totals.avg_waiting));
      g_assert_true (isnan (outcome->totals.throughput));
      g_assert_true (isnan (outcome->totals.cpu_utilisation));
    }
}

/* Every generator kind under every policy and a spread of settings. */
static void
test_generated_invariants (void)
{
  const char * const *kinds = ptl_sched_workload_list_kinds ();
  static const gint64 switch_costs[] = { 0, 2 };

  for (guint k = 0; kinds[k] != NULL; k++)
    for (guint32 seed = 1; seed <= 3; seed++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_generate (kinds[k], 60, seed, &error);

        g_assert_no_error (error);
        for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
          for (guint c = 0; c < G_N_ELEMENTS (switch_costs); c++)
            for (guint variant = 0; variant < 3; variant++)
              {
                g_autoptr(PtlSchedOutcome) first = NULL;
                g_autoptr(PtlSchedOutcome) again = NULL;
                PtlSchedConfig config;

                ptl_sched_config_init (&config, a);
                config.switch_cost = switch_costs[c];
                config.quantum = 1 + 3 * variant;
                config.aging_interval = variant * 5;
                config.mlfq_boost_interval = variant * 40;
                if (variant == 2)
                  {
                    config.mlfq_levels = 4;
                    config.mlfq_quanta[0] = 2;
                    config.mlfq_quanta[1] = 5;
                    config.mlfq_quanta[2] = 11;
                    config.mlfq_quanta[3] = 30;
                  }

                first = ptl_sched_simulate (workload, &config, &error);
                g_assert_no_error (error);
                check_invariants (workload, &config, first);

                /* Deterministic: the same run gives the same bytes. */
                again = ptl_sched_simulate (workload, &config, &error);
                g_assert_no_error (error);
                g_assert_cmpuint (again->n_slices, ==, first->n_slices);
                /* Field by field: a slice has padding bytes. */
                for (guint i = 0; i < first->n_slices; i++)
                  {
                    g_assert_cmpint (again->slices[i].process, ==, first->slices[i].process);
                    g_assert_cmpint (again->slices[i].start, ==, first->slices[i].start);
                    g_assert_cmpint (again->slices[i].end, ==, first->slices[i].end);
                  }
                g_assert_cmpmem (again->processes, again->n_processes * sizeof (PtlSchedProcessStats),
                                 first->processes, first->n_processes * sizeof (PtlSchedProcessStats));
              }
      }
}

/* SJF minimises the average waiting time among non-preemptive policies
 * for jobs that are all there at 0; SRTF is no worse than SJF. */
static void
test_sjf_optimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_new ();
      double avg[PTL_SCHED_N_ALGORITHMS];

      for (guint i = 0; i < 12; i++)
        {
          g_autofree char *name = g_strdup_printf ("P%u", i + 1);
          gint64 burst = g_rand_int_range (rand, 1, 30);

          ptl_sched_workload_add_process (workload, name, 0, g_rand_int_range (rand, 0, 5), &burst, 1);
        }
      for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
        {
          g_autoptr(PtlSchedOutcome) outcome = NULL;
          PtlSchedConfig config;

          ptl_sched_config_init (&config, a);
          outcome = ptl_sched_simulate (workload, &config, NULL);
          avg[a] = outcome->totals.avg_waiting;
        }
      for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
        g_assert_cmpfloat (avg[PTL_SCHED_SJF], <=, avg[a] + 1e-9);
      g_assert_cmpfloat_with_epsilon (avg[PTL_SCHED_SRTF], avg[PTL_SCHED_SJF], 1e-9);
    }
}

/* With aging, the lowest-priority process under a flood of urgent work
 * finishes; without it, it waits for the flood to end. */
static void
test_aging_bounds_wait (void)
{
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_new ();
  gint64 burst = 3;

  ptl_sched_workload_add_process (workload, "low", 0, 100, &burst, 1);
  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *name = g_strdup_printf ("H%u", i + 1);

      ptl_sched_workload_add_process (workload, name, i * 3, 0, &burst, 1);
    }

  for (guint preemptive = 0; preemptive < 2; preemptive++)
    {
      g_autoptr(PtlSchedOutcome) starved = NULL;
      g_autoptr(PtlSchedOutcome) aged = NULL;
      PtlSchedConfig config;

      ptl_sched_config_init (&config, preemptive ? PTL_SCHED_PRIORITY_PREEMPTIVE : PTL_SCHED_PRIORITY);
      starved = ptl_sched_simulate (workload, &config, NULL);
      config.aging_interval = 2;
      aged = ptl_sched_simulate (workload, &config, NULL);

      g_assert_cmpint (starved->processes[0].completion, ==, 1203);
      /* Its key 0 + 100 * 2 beats a new arrival's 3k from k = 67 on. */
      g_assert_cmpint (aged->processes[0].first_run, ==, 201);
      /* Preempted, the waiting jobs go on aging past the priority it was
       * dispatched with, so it runs in pieces, but still finishes early. */
      if (preemptive)
        g_assert_cmpint (aged->processes[0].completion, <, 1203 / 2);
      else
        g_assert_cmpint (aged->processes[0].completion, ==, 204);
      check_invariants (workload, &config, aged);
    }
}

static void
test_lone_long_job (void)
{
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_new ();
  gint64 burst = PTL_SCHED_TIME_MAX;

  ptl_sched_workload_add_process (workload, "long", 0, 0, &burst, 1);
  for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
    {
      g_autoptr(PtlSchedOutcome) outcome = NULL;
      PtlSchedConfig config;

      ptl_sched_config_init (&config, a);
      config.quantum = 1;
      config.mlfq_boost_interval = 1;
      /* RR does not stop for slice ends nobody waits for, and a boost
       * period shorter than the top slice means no slice ever ends:
       * a billion units take a handful of events, not a billion. */
      outcome = ptl_sched_simulate (workload, &config, NULL);
      g_assert_cmpuint (outcome->n_slices, ==, 1);
      g_assert_cmpint (outcome->totals.makespan, ==, PTL_SCHED_TIME_MAX);
    }
}

/* Two processes with long bursts and a slice of one unit alternate every
 * unit; an MLFQ slice of one unit at every level ends every unit even for
 * a lone job. Both stop at the step limit with an error naming it, in
 * bounded memory, instead of taking gigabytes. */
static void
test_step_limit (void)
{
  g_autoptr(PtlSchedWorkload) pair = ptl_sched_workload_new ();
  g_autoptr(PtlSchedWorkload) lone = ptl_sched_workload_new ();
  g_autofree char *limit = g_strdup_printf ("%u", PTL_SCHED_STEPS_MAX);
  gint64 burst = 100000000;
  struct
  {
    PtlSchedWorkload *workload;
    PtlSchedAlgorithm algorithm;
  } cases[] = {
    { pair, PTL_SCHED_RR },
    { lone, PTL_SCHED_MLFQ },
  };

  ptl_sched_workload_add_process (pair, "P1", 0, 0, &burst, 1);
  ptl_sched_workload_add_process (pair, "P2", 0, 0, &burst, 1);
  ptl_sched_workload_add_process (lone, "P1", 0, 0, &burst, 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PtlSchedConfig config;

      ptl_sched_config_init (&config, cases[i].algorithm);
      config.quantum = 1;
      for (guint l = 0; l < config.mlfq_levels; l++)
        config.mlfq_quanta[l] = 1;
      g_assert_null (ptl_sched_simulate (cases[i].workload, &config, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_LIMIT);
      g_assert_nonnull (strstr (error->message, limit));
    }
}

/* A tick-by-tick reference that follows the documented rules literally:
 * linear scans instead of heaps, boosts applied to every process at every
 * multiple of S, slices ended one tick at a time. The simulator's lazy
 * epochs, computed slice ends and aging keys must agree with it exactly. */
typedef enum
{
  REF_NEW,
  REF_READY,
  REF_CPU, /* switching in or running */
  REF_IO,
  REF_DONE,
} RefState;

typedef struct
{
  RefState state;
  guint    burst;
  gint64   remaining;
  gint64   io_end;
  gint64   ready_since;
  guint64  seq;
  guint    level;
  gint64   quantum_left;
  gint64   first_run;
  gint64   completion;
  gint64   waiting;
} RefProc;

typedef struct
{
  const PtlSchedConfig *config;
  PtlSchedWorkload     *workload;
  RefProc              *procs;
  guint                 n;
  guint64               counter;
} Ref;

static gint64
ref_quantum (const PtlSchedConfig *config,
             guint                 level)
{
  return config->mlfq_quanta[level] > 0 ? config->mlfq_quanta[level] : G_MAXINT64;
}

static gint64
ref_effective (Ref    *ref,
               guint   i,
               gint64  t)
{
  gint64 base = ptl_sched_workload_get_priority (ref->workload, i);
  gint64 aging = ref->config->aging_interval;

  return aging > 0 ? base - (t - ref->procs[i].ready_since) / aging : base;
}

/* Whether ready process @a goes before ready process @b at @t. */
static gboolean
ref_before (Ref    *ref,
            guint   a,
            guint   b,
            gint64  t)
{
  const RefProc *pa = &ref->procs[a];
  const RefProc *pb = &ref->procs[b];
  gint64 ka = 0;
  gint64 kb = 0;

  switch (ref->config->algorithm)
    {
    case PTL_SCHED_SJF:
    case PTL_SCHED_SRTF:
      ka = pa->remaining;
      kb = pb->remaining;
      break;
    case PTL_SCHED_PRIORITY:
    case PTL_SCHED_PRIORITY_PREEMPTIVE:
      ka = ref_effective (ref, a, t);
      kb = ref_effective (ref, b, t);
      if (ka == kb && ref->config->aging_interval > 0)
        {
          /* Equal effective priority: who reached it first. */
          ka = pa->ready_since + ptl_sched_workload_get_priority (ref->workload, a) * ref->config->aging_interval;
          kb = pb->ready_since + ptl_sched_workload_get_priority (ref->workload, b) * ref->config->aging_interval;
        }
      break;
    case PTL_SCHED_MLFQ:
      ka = pa->level;
      kb = pb->level;
      break;
    default:
      break;
    }
  return ka < kb || (ka == kb && pa->seq < pb->seq);
}

static int
ref_best (Ref    *ref,
          gint64  t)
{
  int best = -1;

  for (guint i = 0; i < ref->n; i++)
    if (ref->procs[i].state == REF_READY && (best < 0 || ref_before (ref, i, best, t)))
      best = i;
  return best;
}

static void
ref_enqueue (Ref    *ref,
             guint   i,
             gint64  t)
{
  ref->procs[i].state = REF_READY;
  ref->procs[i].ready_since = t;
  ref->procs[i].seq = ref->counter++;
}

static int
compare_level_seq (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const RefProc *procs = user_data;
  const RefProc *pa = &procs[*(const guint *) a];
  const RefProc *pb = &procs[*(const guint *) b];

  if (pa->level != pb->level)
    return pa->level < pb->level ? -1 : 1;
  return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

static void
ref_add_slice (GArray *slices,
               int     process,
               gint64  start,
               gint64  end)
{
  PtlSchedSlice slice = { process, start, end };

  if (slices->len > 0 && process != PTL_SCHED_SLICE_SWITCH)
    {
      PtlSchedSlice *last = &g_array_index (slices, PtlSchedSlice, slices->len - 1);

      if (last->process == process && last->end == start)
        {
          last->end = end;
          return;
        }
    }
  g_array_append_val (slices, slice);
}

static PtlSchedOutcome *
reference_simulate (PtlSchedWorkload     *workload,
                    const PtlSchedConfig *config)
{
  const PtlSchedAlgorithm algorithm = config->algorithm;
  PtlSchedOutcome *outcome = g_new0 (PtlSchedOutcome, 1);
  GArray *slices = g_array_new (FALSE, TRUE, sizeof (PtlSchedSlice));
  Ref ref = { config, workload, NULL, ptl_sched_workload_get_n_processes (workload), 0 };
  enum { IDLE, SWITCH, RUN } cpu = IDLE;
  int cur = -1;
  int last = -1;
  gint64 switch_end = 0;
  gint64 used = 0;
  gint64 run_priority = 0;
  gint64 t = G_MAXINT64;
  guint done = 0;

  ref.procs = g_new0 (RefProc, ref.n);
  for (guint i = 0; i < ref.n; i++)
    {
      ref.procs[i].first_run = -1;
      t = MIN (t, ptl_sched_workload_get_arrival (workload, i));
    }

  while (done < ref.n)
    {
      int stopped = -1;

      if (cpu == RUN)
        {
          RefProc *p = &ref.procs[cur];
          guint n_bursts;
          const gint64 *bursts = ptl_sched_workload_get_bursts (workload, cur, &n_bursts);

          if (p->remaining == 0)
            {
              cpu = IDLE;
              if (++p->burst < n_bursts)
                {
                  p->io_end = t + bursts[p->burst];
                  p->remaining = bursts[++p->burst];
                  p->state = REF_IO;
                  p->quantum_left = ref_quantum (config, p->level);
                }
              else
                {
                  p->state = REF_DONE;
                  p->completion = t;
                  done++;
                }
            }
          else if (algorithm == PTL_SCHED_RR && used == config->quantum)
            {
              cpu = IDLE;
              stopped = cur;
            }
          else if (algorithm == PTL_SCHED_MLFQ && p->quantum_left == 0)
            {
              cpu = IDLE;
              stopped = cur;
              p->level = MIN (p->level + 1, config->mlfq_levels - 1);
              p->quantum_left = ref_quantum (config, p->level);
            }
        }

      if (algorithm == PTL_SCHED_MLFQ && config->mlfq_boost_interval > 0 &&
          t > 0 && t % config->mlfq_boost_interval == 0)
        {
          g_autoptr(GArray) ready = g_array_new (FALSE, FALSE, sizeof (guint));

          for (guint i = 0; i < ref.n; i++)
            if (ref.procs[i].state == REF_READY)
              g_array_append_val (ready, i);
          g_array_sort_with_data (ready, compare_level_seq, ref.procs);
          for (guint k = 0; k < ready->len; k++)
            ref.procs[g_array_index (ready, guint, k)].seq = ref.counter++;
          for (guint i = 0; i < ref.n; i++)
            {
              ref.procs[i].level = 0;
              ref.procs[i].quantum_left = ref_quantum (config, 0);
            }
        }

      if (cpu == SWITCH && switch_end == t)
        {
          cpu = RUN;
          used = 0;
        }

      for (guint i = 0; i < ref.n; i++)
        {
          RefProc *p = &ref.procs[i];

          if (p->state == REF_NEW && ptl_sched_workload_get_arrival (workload, i) == t)
            {
              p->remaining = ptl_sched_workload_get_bursts (workload, i, NULL)[0];
              p->level = 0;
              p->quantum_left = ref_quantum (config, 0);
              ref_enqueue (&ref, i, t);
            }
          else if (p->state == REF_IO && p->io_end == t)
            ref_enqueue (&ref, i, t);
        }

      if (cpu == RUN)
        {
          int best = ref_best (&ref, t);
          gboolean preempt = FALSE;

          if (best >= 0)
            switch (algorithm)
              {
              case PTL_SCHED_SRTF:
                preempt = ref.procs[best].remaining < ref.procs[cur].remaining;
                break;
              case PTL_SCHED_PRIORITY_PREEMPTIVE:
                preempt = ref_effective (&ref, best, t) < run_priority;
                break;
              case PTL_SCHED_MLFQ:
                preempt = ref.procs[best].level < ref.procs[cur].level;
                break;
              default:
                break;
              }
          if (preempt)
            {
              cpu = IDLE;
              stopped = cur;
            }
        }

      if (stopped >= 0)
        ref_enqueue (&ref, stopped, t);

      if (cpu == IDLE)
        {
          int best = ref_best (&ref, t);

          if (best >= 0)
            {
              ref.procs[best].state = REF_CPU;
              cur = best;
              run_priority = ref_effective (&ref, best, t);
              cpu = RUN;
              used = 0;
              if (last >= 0 && last != best)
                {
                  outcome->totals.context_switches++;
                  if (config->switch_cost > 0)
                    {
                      cpu = SWITCH;
                      switch_end = t + config->switch_cost;
                      ref_add_slice (slices, PTL_SCHED_SLICE_SWITCH, t, switch_end);
                    }
                }
              last = best;
            }
        }

      if (done == ref.n)
        break;

      /* One tick. */
      for (guint i = 0; i < ref.n; i++)
        if (ref.procs[i].state == REF_READY || (cpu == SWITCH && (int) i == cur))
          ref.procs[i].waiting++;
      if (cpu == RUN)
        {
          RefProc *p = &ref.procs[cur];

          ref_add_slice (slices, cur, t, t + 1);
          if (p->first_run < 0)
            p->first_run = t;
          p->remaining--;
          used++;
          if (p->quantum_left != G_MAXINT64)
            p->quantum_left--;
        }
      else if (cpu == IDLE)
        ref_add_slice (slices, PTL_SCHED_SLICE_IDLE, t, t + 1);
      t++;
    }

  outcome->n_processes = ref.n;
  outcome->processes = g_new0 (PtlSchedProcessStats, ref.n);
  for (guint i = 0; i < ref.n; i++)
    {
      outcome->processes[i].first_run = ref.procs[i].first_run;
      outcome->processes[i].completion = ref.procs[i].completion;
      outcome->processes[i].waiting = ref.procs[i].waiting;
    }
  outcome->n_slices = slices->len;
  outcome->slices = (PtlSchedSlice *) (gpointer) g_array_free (slices, FALSE);
  g_free (ref.procs);
  return outcome;
}

static void
test_reference (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint rounds = g_test_slow () ? 3000 : 400;

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_new ();
      guint n = g_rand_int_range (rand, 1, 9);
      gint64 bursts[7];

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = g_strdup_printf ("P%u", i + 1);
          guint n_bursts = 2 * g_rand_int_range (rand, 0, 4) + 1;

          for (guint b = 0; b < n_bursts; b++)
            bursts[b] = g_rand_int_range (rand, 1, b % 2 ? 11 : 13);
          ptl_sched_workload_add_process (workload, name, g_rand_int_range (rand, 0, 30),
                                          g_rand_int_range (rand, 0, 6), bursts, n_bursts);
        }

      for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
        {
          g_autoptr(PtlSchedOutcome) outcome = NULL;
          g_autoptr(PtlSchedOutcome) expected = NULL;
          g_autofree char *got = NULL;
          g_autofree char *want = NULL;
          PtlSchedConfig config;

          ptl_sched_config_init (&config, a);
          config.quantum = g_rand_int_range (rand, 1, 6);
          config.aging_interval = g_rand_int_range (rand, 0, 4);
          config.switch_cost = g_rand_int_range (rand, 0, 3);
          config.mlfq_levels = g_rand_int_range (rand, 1, 5);
          for (guint l = 0; l < config.mlfq_levels; l++)
            config.mlfq_quanta[l] = g_rand_int_range (rand, 1, 9);
          if (g_rand_boolean (rand))
            config.mlfq_quanta[config.mlfq_levels - 1] = 0;
          config.mlfq_boost_interval = g_rand_boolean (rand) ? g_rand_int_range (rand, 1, 20) : 0;

          outcome = ptl_sched_simulate (workload, &config, NULL);
          expected = reference_simulate (workload, &config);
          got = format_slices (workload, outcome);
          want = format_slices (workload, expected);
          if (g_strcmp0 (got, want) != 0)
            {
              g_autofree char *csv = ptl_sched_workload_to_csv (workload);

              g_test_message ("%s q=%" G_GINT64_FORMAT " aging=%" G_GINT64_FORMAT " cost=%" G_GINT64_FORMAT
                              " levels=%u quanta=%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                              ",%" G_GINT64_FORMAT " boost=%" G_GINT64_FORMAT "\n%s",
                              ptl_sched_algorithm_to_nick (a), config.quantum, config.aging_interval,
                              config.switch_cost, config.mlfq_levels, config.mlfq_quanta[0],
                              config.mlfq_quanta[1], config.mlfq_quanta[2], config.mlfq_quanta[3],
                              config.mlfq_boost_interval, csv);
            }
          g_assert_cmpstr (got, ==, want);
          g_assert_cmpuint (outcome->totals.context_switches, ==, expected->totals.context_switches);
          for (guint i = 0; i < n; i++)
            {
              g_assert_cmpint (outcome->processes[i].first_run, ==, expected->processes[i].first_run);
              g_assert_cmpint (outcome->processes[i].completion, ==, expected->processes[i].completion);
              g_assert_cmpint (outcome->processes[i].waiting, ==, expected->processes[i].waiting);
            }
        }
    }
}

static void
test_nicks (void)
{
  const char * const *nicks = ptl_sched_algorithm_list_nicks ();
  g_autoptr(GEnumClass) klass = g_type_class_ref (PTL_TYPE_SCHED_ALGORITHM);
  g_autoptr(GError) error = NULL;
  PtlSchedAlgorithm algorithm;

  g_assert_cmpuint (g_strv_length ((char **) nicks), ==, PTL_SCHED_N_ALGORITHMS);
  g_assert_cmpstr (nicks[0], ==, "fcfs");
  for (guint i = 0; nicks[i] != NULL; i++)
    {
      GEnumValue *value = g_enum_get_value_by_nick (klass, nicks[i]);

      g_assert_true (ptl_sched_algorithm_from_nick (nicks[i], &algorithm, &error));
      g_assert_no_error (error);
      g_assert_cmpint (algorithm, ==, i);
      g_assert_cmpstr (ptl_sched_algorithm_to_nick (algorithm), ==, nicks[i]);
      g_assert_nonnull (value);
      g_assert_cmpint (value->value, ==, i);
      g_assert_cmpstr (ptl_sched_algorithm_get_title (algorithm), !=, "");
    }
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "priority-preemptive")->value, ==,
                   PTL_SCHED_PRIORITY_PREEMPTIVE);

  g_assert_false (ptl_sched_algorithm_from_nick ("lottery", &algorithm, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "“lottery”"));
  g_assert_nonnull (strstr (error->message, "fcfs, sjf, srtf, rr, priority, priority-preemptive, mlfq"));
}

typedef struct
{
  PtlSchedAlgorithm algorithm;
  glong             offset; /* of a gint64 field, or of mlfq_levels */
  gint64            value;
  const char       *message;
} BadConfig;

static void
test_config_validation (void)
{
  static const BadConfig bad[] = {
    { PTL_SCHED_RR, G_STRUCT_OFFSET (PtlSchedConfig, quantum), 0, "round-robin quantum" },
    { PTL_SCHED_FCFS, G_STRUCT_OFFSET (PtlSchedConfig, switch_cost), -1, "context-switch cost" },
    { PTL_SCHED_PRIORITY, G_STRUCT_OFFSET (PtlSchedConfig, aging_interval), PTL_SCHED_TIME_MAX + 1, "aging interval" },
    { PTL_SCHED_MLFQ, G_STRUCT_OFFSET (PtlSchedConfig, mlfq_levels), PTL_SCHED_MLFQ_MAX_LEVELS + 1, "from 1 to 8, not 9" },
    { PTL_SCHED_MLFQ, G_STRUCT_OFFSET (PtlSchedConfig, mlfq_levels), 0, "MLFQ levels" },
    { PTL_SCHED_MLFQ, G_STRUCT_OFFSET (PtlSchedConfig, mlfq_quanta), 0, "level 0" },
    { PTL_SCHED_MLFQ, G_STRUCT_OFFSET (PtlSchedConfig, mlfq_boost_interval), -5, "boost interval" },
  };
  PtlSchedConfig config;
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_new ();

  for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
    {
      ptl_sched_config_init (&config, a);
      g_assert_true (ptl_sched_config_validate (&config, NULL));
    }
  /* Fields a policy does not use are not checked. */
  ptl_sched_config_init (&config, PTL_SCHED_FCFS);
  config.quantum = 0;
  g_assert_true (ptl_sched_config_validate (&config, NULL));
  /* Only the bottom MLFQ level may go without a slice. */
  ptl_sched_config_init (&config, PTL_SCHED_MLFQ);
  config.mlfq_levels = 1;
  config.mlfq_quanta[0] = 0;
  g_assert_true (ptl_sched_config_validate (&config, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      ptl_sched_config_init (&config, bad[i].algorithm);
      if (bad[i].offset == G_STRUCT_OFFSET (PtlSchedConfig, mlfq_levels))
        G_STRUCT_MEMBER (guint, &config, bad[i].offset) = (guint) bad[i].value;
      else
        G_STRUCT_MEMBER (gint64, &config, bad[i].offset) = bad[i].value;
      g_assert_false (ptl_sched_config_validate (&config, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, bad[i].message));
      g_clear_error (&error);
      g_assert_null (ptl_sched_simulate (workload, &config, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
    }
}

static void
test_bench (void)
{
  const char * const *nicks = ptl_sched_algorithm_list_nicks ();
  g_autoptr(GError) error = NULL;
  PtlStats seconds;

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      g_assert_true (ptl_sched_bench (300, 3001, nicks[i], &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (seconds.n, ==, PTL_SCHED_BENCH_RUNS);
      g_assert_cmpfloat (seconds.min, >, 0);
      g_assert_cmpfloat (seconds.min, <=, seconds.median);
      /* Milliseconds in fact; a loose bound for a noisy shared machine. */
      g_assert_cmpfloat (seconds.median, <, 2);
    }

  g_assert_false (ptl_sched_bench (10, 100, "lottery", &seconds, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (ptl_sched_bench (0, 100, "fcfs", &seconds, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (ptl_sched_bench (10, 5, "fcfs", &seconds, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/ptl/sched/totals", test_totals);
  g_test_add_func ("/ptl/sched/one-process-late", test_one_process_late);
  g_test_add_func ("/ptl/sched/empty", test_empty);
  g_test_add_func ("/ptl/sched/generated-invariants", test_generated_invariants);
  g_test_add_func ("/ptl/sched/sjf-optimal", test_sjf_optimal);
  g_test_add_func ("/ptl/sched/aging-bounds-wait", test_aging_bounds_wait);
  g_test_add_func ("/ptl/sched/lone-long-job", test_lone_long_job);
  g_test_add_func ("/ptl/sched/step-limit", test_step_limit);
  g_test_add_func ("/ptl/sched/reference", test_reference);
  g_test_add_func ("/ptl/sched/nicks", test_nicks);
  g_test_add_func ("/ptl/sched/config-validation", test_config_validation);
  g_test_add_func ("/ptl/sched/bench", test_bench);

  return g_test_run ();
}
