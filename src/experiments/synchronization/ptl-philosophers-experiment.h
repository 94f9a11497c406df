/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

typedef enum
{
  PTL_PHILOSOPHERS_NAIVE,
  PTL_PHILOSOPHERS_ORDERED,
  PTL_PHILOSOPHERS_ARBITRATOR,
  PTL_PHILOSOPHERS_TRYLOCK,
  PTL_PHILOSOPHERS_CHANDY_MISRA,
} PtlPhilosophersStrategy;

#define PTL_TYPE_PHILOSOPHERS_STRATEGY (ptl_philosophers_strategy_get_type ())
GType ptl_philosophers_strategy_get_type (void);

/* How thinking and eating times are drawn around their means. */
typedef enum
{
  PTL_PHILOSOPHERS_FIXED,
  PTL_PHILOSOPHERS_EXPONENTIAL,
} PtlPhilosophersTimes;

#define PTL_TYPE_PHILOSOPHERS_TIMES (ptl_philosophers_times_get_type ())
GType ptl_philosophers_times_get_type (void);

#define PTL_TYPE_PHILOSOPHERS_EXPERIMENT (ptl_philosophers_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlPhilosophersExperiment, ptl_philosophers_experiment, PTL, PHILOSOPHERS_EXPERIMENT,
                      PtlExperiment)

G_END_DECLS
