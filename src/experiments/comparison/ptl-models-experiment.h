/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"
#include "ptl-workload.h"

G_BEGIN_DECLS

#define PTL_TYPE_MODELS_EXPERIMENT (ptl_models_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlModelsExperiment, ptl_models_experiment, PTL, MODELS_EXPERIMENT, PtlExperiment)

G_END_DECLS
