/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_BANKERS_EXPERIMENT (ptl_bankers_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlBankersExperiment, ptl_bankers_experiment, PTL, BANKERS_EXPERIMENT, PtlExperiment)

G_END_DECLS
