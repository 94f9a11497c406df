/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-bankers-state.h"
#include "ptl-core.h"

G_BEGIN_DECLS

/* The banker's state as tables the window edits: the available vector,
 * then one row per process with its maximum claim and allocation (each a
 * vector such as "7 5 3") and its need, shown read-only. */
extern const PtlTableSpec ptl_bankers_table_spec;

PtlTableInput   *ptl_bankers_table_from_state (const PtlBankersState *state);
/* @input has passed ptl_table_input_validate (). */
PtlBankersState *ptl_bankers_table_to_state   (PtlTableInput         *input);

G_END_DECLS
