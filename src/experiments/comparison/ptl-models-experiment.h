/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* What each task of the "models" experiment does. */
typedef enum
{
  PTL_MODELS_WORKLOAD_CPU,   /* arithmetic only */
  PTL_MODELS_WORKLOAD_IO,    /* a wait only */
  PTL_MODELS_WORKLOAD_MIXED, /* arithmetic, then a wait */
} PtlModelsWorkload;

#define PTL_TYPE_MODELS_WORKLOAD (ptl_models_workload_get_type ())
GType ptl_models_workload_get_type (void);

#define PTL_TYPE_MODELS_EXPERIMENT (ptl_models_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlModelsExperiment, ptl_models_experiment, PTL, MODELS_EXPERIMENT, PtlExperiment)

G_END_DECLS
