/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"
#include "ptl-sched-workload.h"

G_BEGIN_DECLS

/* The scheduling workload as a table the window edits (one row per
 * process: name, arrival, bursts, priority), for the experiments whose
 * "workload" parameter names a generator or a file and that have
 * "processes" and "seed" parameters for the generators. */
extern const PtlTableSpec ptl_sched_table_spec;

PtlTableInput    *ptl_sched_table_from_workload (PtlSchedWorkload *workload);
/* @input has passed ptl_table_input_validate (). */
PtlSchedWorkload *ptl_sched_table_to_workload   (PtlTableInput    *input);

G_END_DECLS
