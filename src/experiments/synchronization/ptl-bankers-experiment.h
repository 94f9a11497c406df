/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-bankers-state.h"
#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_BANKERS_EXPERIMENT (ptl_bankers_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlBankersExperiment, ptl_bankers_experiment, PTL, BANKERS_EXPERIMENT, PtlExperiment)

/* The state the "state" parameter names (an example, the generator's, a
 * file's), or NULL and why not. */
PtlBankersState *ptl_bankers_experiment_dup_state (PtlBankersExperiment  *self,
                                                   const char           **example_requests,
                                                   char                 **generated_requests,
                                                   GError               **error);

G_END_DECLS
