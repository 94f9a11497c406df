/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* Where the threads of "sched-real" may run. */
typedef enum
{
  PTL_SCHED_REAL_ALL_CORES, /* wherever the kernel puts them */
  PTL_SCHED_REAL_ONE_CORE,  /* all pinned to one CPU, so they must share it */
} PtlSchedRealAffinity;

#define PTL_TYPE_SCHED_REAL_AFFINITY (ptl_sched_real_affinity_get_type ())
GType ptl_sched_real_affinity_get_type (void) G_GNUC_CONST;

/* The Linux scheduling policy the threads run under. */
typedef enum
{
  PTL_SCHED_REAL_OTHER, /* SCHED_OTHER, the fair scheduler */
  PTL_SCHED_REAL_BATCH, /* SCHED_BATCH: fair, but never preempts on wake-up */
  PTL_SCHED_REAL_IDLE,  /* SCHED_IDLE: only what nobody else wants */
  PTL_SCHED_REAL_FIFO,  /* SCHED_FIFO: real time, runs until it blocks */
  PTL_SCHED_REAL_RR,    /* SCHED_RR: real time with a time slice */
} PtlSchedRealPolicy;

#define PTL_TYPE_SCHED_REAL_POLICY (ptl_sched_real_policy_get_type ())
GType ptl_sched_real_policy_get_type (void) G_GNUC_CONST;

/* What a thread sets on itself before the run starts. */
typedef enum
{
  PTL_SCHED_REAL_STEP_AFFINITY, /* sched_setaffinity (), @value the CPU */
  PTL_SCHED_REAL_STEP_POLICY,   /* sched_setscheduler () */
  PTL_SCHED_REAL_STEP_NICE,     /* setpriority (), @value the nice value */
} PtlSchedRealStep;

/* Turns @errsv, the errno of @step, into the error the user sees: EPERM
 * and EACCES become PTL_ERROR_NOT_PERMITTED saying what would permit it
 * (for fifo and rr: CAP_SYS_NICE, root, or an rtprio limit), anything
 * else PTL_ERROR_FAILED. */
void  ptl_sched_real_set_step_error (GError            **error,
                                     PtlSchedRealStep    step,
                                     PtlSchedRealPolicy  policy,
                                     int                 value,
                                     int                 errsv);

#define PTL_TYPE_SCHED_REAL_EXPERIMENT (ptl_sched_real_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlSchedRealExperiment, ptl_sched_real_experiment, PTL, SCHED_REAL_EXPERIMENT, PtlExperiment)

G_END_DECLS
