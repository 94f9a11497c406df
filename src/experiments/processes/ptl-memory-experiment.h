/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_MEMORY_EXPERIMENT (ptl_memory_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlMemoryExperiment, ptl_memory_experiment, PTL, MEMORY_EXPERIMENT, PtlExperiment)

/* The worker counts the sweep measures: 1, 2, 5, 10, 20, 50 … (the
 * 1-2-5 series) below @max_workers, then @max_workers itself. Returns
 * the number of sizes written to @sizes (at most @n_sizes). */
guint ptl_memory_sweep_sizes (guint  max_workers,
                              guint *sizes,
                              guint  n_sizes);

G_END_DECLS
