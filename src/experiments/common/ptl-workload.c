/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-workload"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-experiment.h"
#include "ptl-workload.h"

const char * const ptl_workload_labels[] = {
  N_("CPU-bound: compute"), N_("I/O-bound: wait"), N_("Mixed: compute, then wait"), NULL,
};

GType
ptl_workload_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_WORKLOAD_CPU, "PTL_WORKLOAD_CPU", "cpu" },
    { PTL_WORKLOAD_IO, "PTL_WORKLOAD_IO", "io" },
    { PTL_WORKLOAD_MIXED, "PTL_WORKLOAD_MIXED", "mixed" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlWorkload", values);
}
