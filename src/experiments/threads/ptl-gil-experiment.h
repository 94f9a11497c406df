/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_GIL_EXPERIMENT (ptl_gil_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlGilExperiment, ptl_gil_experiment, PTL, GIL_EXPERIMENT, PtlExperiment)

G_END_DECLS
