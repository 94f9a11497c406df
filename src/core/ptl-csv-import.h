/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-result.h"

G_BEGIN_DECLS

typedef struct
{
  PtlChartKind  kind;    /* PTL_CHART_LINE, PTL_CHART_SCATTER or PTL_CHART_BAR (x as categories) */
  const char   *title;   /* NULL: none */
  const char   *x_label; /* NULL: the x column's name (a plain table) or none */
  const char   *y_label; /* NULL: none */
  gboolean      log_x;
  gboolean      log_y;
} PtlCsvImportOptions;

/* Reads a CSV table into a result for drawing, one row at a time: the
 * lab's own tidy CSV (header chart,series,x,x_unit,y,y_unit,low,high; a
 * chart per chart id, low/high as the band) or a plain table whose first
 * column is x and whose other columns are series named by the header row.
 * An empty y cell is a missing point. Errors are PTL_ERROR_INVALID_FILE
 * "NAME:LINE: reason". */
PtlResult *ptl_csv_import (GInputStream               *stream,
                           const char                 *display_name,
                           const PtlCsvImportOptions  *options,
                           GCancellable               *cancellable,
                           GError                    **error);

G_END_DECLS
