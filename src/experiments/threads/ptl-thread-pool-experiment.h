/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_THREAD_POOL_EXPERIMENT (ptl_thread_pool_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlThreadPoolExperiment, ptl_thread_pool_experiment, PTL, THREAD_POOL_EXPERIMENT, PtlExperiment)

G_END_DECLS
