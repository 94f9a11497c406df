/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-axis.h"
#include "ptl-result.h"

G_BEGIN_DECLS

/* Where the data goes in chart coordinates (y grows downwards). */
typedef struct
{
  double left;
  double top;
  double width;
  double height;
} PtlPlotArea;

/* A polyline vertex; a vertex with x = NAN separates runs (a NAN point,
 * or one a log axis cannot show). */
typedef struct
{
  double x;
  double y;
} PtlVertex;

/* A band edge pair at one x; x = NAN separates runs. */
typedef struct
{
  double x;
  double lo;
  double hi;
} PtlBandVertex;

/* Returns a GArray of PtlVertex: @points mapped into @area, at most four
 * vertices per column of @column_width. */
GArray  *ptl_decimate_line (const PtlPoint    *points,
                            guint              n_points,
                            const PtlAxis     *x_axis,
                            const PtlAxis     *y_axis,
                            const PtlPlotArea *area,
                            double             column_width);

/* Returns a GArray of PtlBandVertex: the envelope of the points' lo–hi
 * band, at most two vertices per column of @column_width. */
GArray  *ptl_decimate_band (const PtlPoint    *points,
                            guint              n_points,
                            const PtlAxis     *x_axis,
                            const PtlAxis     *y_axis,
                            const PtlPlotArea *area,
                            double             column_width);

G_END_DECLS
