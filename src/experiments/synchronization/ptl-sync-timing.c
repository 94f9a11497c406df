/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sync-timing"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-sync-timing.h"

/* A point every half percent, every tenth in the last one. */
#define CDF_STEP_TENTHS 5
#define CDF_TAIL_TENTHS 1

const char * const ptl_sync_timing_labels[] = {
  N_("Fixed"),
  N_("Exponential"),
  NULL,
};

GType
ptl_sync_timing_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_SYNC_TIMING_FIXED, "PTL_SYNC_TIMING_FIXED", "fixed" },
    { PTL_SYNC_TIMING_EXPONENTIAL, "PTL_SYNC_TIMING_EXPONENTIAL", "exponential" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlSyncTiming", values);
}

const char *
ptl_sync_timing_describe (PtlSyncTiming timing)
{
  return timing == PTL_SYNC_TIMING_FIXED ? _("fixed") : _("exponential");
}

void
ptl_sync_add_wait_cdf (PtlChart     *chart,
                       const char   *id,
                       const char   *name,
                       const double *waits_s,
                       gsize         n)
{
  g_autofree double *values = NULL;
  g_autofree double *percent = NULL;
  PtlSeries *series;
  guint n_points;

  g_return_if_fail (chart != NULL && id != NULL && name != NULL);

  series = ptl_chart_add_series_with_id (chart, id, name);
  n_points = ptl_stats_cdf (waits_s, n, CDF_STEP_TENTHS, CDF_TAIL_TENTHS, &values, &percent);
  for (guint i = 0; i < n_points; i++)
    ptl_series_add_point (series, MAX (values[i], 1e-9), percent[i]);
}
