/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* In which order threads take their locks. */
typedef enum
{
  PTL_DEADLOCK_ORDERS_BOTH,
  PTL_DEADLOCK_ORDERS_RANDOM,
  PTL_DEADLOCK_ORDERS_GLOBAL,
} PtlDeadlockOrders;

#define PTL_TYPE_DEADLOCK_ORDERS (ptl_deadlock_orders_get_type ())
GType ptl_deadlock_orders_get_type (void);

#define PTL_TYPE_DEADLOCK_EXPERIMENT (ptl_deadlock_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlDeadlockExperiment, ptl_deadlock_experiment, PTL, DEADLOCK_EXPERIMENT, PtlExperiment)

G_END_DECLS
