/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_CHART_VIEW (ptl_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (PtlChartView, ptl_chart_view, PTL, CHART_VIEW, GtkWidget)

GtkWidget  *ptl_chart_view_new       (void);
/* Shows the chart @chart_id of @result (a finished result or a snapshot
 * the caller will not change); keeps a reference to @result. */
void        ptl_chart_view_set_chart (PtlChartView *self,
                                      PtlResult    *result,
                                      const char   *chart_id);
/* Borrowed; NULL before set_chart or when @result has no such chart. */
PtlChart   *ptl_chart_view_get_chart (PtlChartView *self);

/* Whether the chart's menu may export and copy: not while the run that
 * fills it goes on (its figures are not final, nor marked partial). */
void        ptl_chart_view_set_exportable (PtlChartView  *self,
                                           gboolean       exportable);
/* Puts the chart alone on the clipboard as an image: at the export size
 * of the settings, in the report style, with the result's title and
 * warnings (so a partial result says so). */
gboolean    ptl_chart_view_copy           (PtlChartView  *self,
                                           GError       **error);

G_END_DECLS
