/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_READERS_WRITERS_EXPERIMENT (ptl_readers_writers_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlReadersWritersExperiment, ptl_readers_writers_experiment, PTL, READERS_WRITERS_EXPERIMENT, PtlExperiment)

G_END_DECLS
