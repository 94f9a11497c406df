/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_PRODUCER_CONSUMER_EXPERIMENT (ptl_producer_consumer_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlProducerConsumerExperiment, ptl_producer_consumer_experiment, PTL, PRODUCER_CONSUMER_EXPERIMENT, PtlExperiment)

G_END_DECLS
