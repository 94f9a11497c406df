/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_LIFECYCLE_EXPERIMENT (ptl_lifecycle_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlLifecycleExperiment, ptl_lifecycle_experiment, PTL, LIFECYCLE_EXPERIMENT, PtlExperiment)

G_END_DECLS
