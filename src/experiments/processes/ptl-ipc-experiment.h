/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_IPC_EXPERIMENT (ptl_ipc_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlIpcExperiment, ptl_ipc_experiment, PTL, IPC_EXPERIMENT, PtlExperiment)

G_END_DECLS
