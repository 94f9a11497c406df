/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_LOCKS_EXPERIMENT (ptl_locks_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlLocksExperiment, ptl_locks_experiment, PTL, LOCKS_EXPERIMENT, PtlExperiment)

G_END_DECLS
