/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* Which ways of counting a run compares. */
typedef enum
{
  PTL_RACE_METHODS_ALL,
  PTL_RACE_METHODS_UNGUARDED,
  PTL_RACE_METHODS_MUTEX,
  PTL_RACE_METHODS_SPINLOCK,
  PTL_RACE_METHODS_ATOMIC,
  PTL_RACE_METHODS_SHARDED,
  PTL_RACE_METHODS_PACKED,
} PtlRaceMethods;

#define PTL_TYPE_RACE_METHODS (ptl_race_methods_get_type ())
GType ptl_race_methods_get_type (void);

#define PTL_TYPE_RACE_EXPERIMENT (ptl_race_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlRaceExperiment, ptl_race_experiment, PTL, RACE_EXPERIMENT, PtlExperiment)

G_END_DECLS
