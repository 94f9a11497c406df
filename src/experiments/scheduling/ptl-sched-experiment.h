/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"
#include "ptl-sched-sim.h"

G_BEGIN_DECLS

/* The "sched" experiment's algorithm parameter: the simulator's
 * algorithms, with the same values and nicks, plus "all", which runs
 * every one of them on the same workload and compares them. */
#define PTL_SCHED_ALGORITHM_ALL ((PtlSchedAlgorithm) PTL_SCHED_N_ALGORITHMS)

#define PTL_TYPE_SCHED_ALGORITHM_CHOICE (ptl_sched_algorithm_choice_get_type ())
GType ptl_sched_algorithm_choice_get_type (void) G_GNUC_CONST;

#define PTL_TYPE_SCHED_EXPERIMENT (ptl_sched_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlSchedExperiment, ptl_sched_experiment, PTL, SCHED_EXPERIMENT, PtlExperiment)

G_END_DECLS
