/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-result.h"

G_BEGIN_DECLS

#define PTL_COMPARE_MIN_RUNS 2
#define PTL_COMPARE_MAX_RUNS 8

/* "label · CPU model · date", from what is known of a run; @label may be
 * NULL or empty (then @fallback, e.g. "run 12" or a file name, is used). */
char      *ptl_compare_dup_run_name (PtlResult         *result,
                                     const char        *label,
                                     const char        *fallback);

/* One result holding @n_runs runs of one experiment side by side: every
 * line chart of any run with each run's series overlaid (named "NAME" for
 * a chart of one series, "SERIES — NAME" otherwise; a colour per series
 * and a line style per run, ptl_chart_get_series_looks ()), and a summary with a
 * row per case and figure, a column per run and a ratio column of each
 * later run against the first. Cases match by their text cells, figures
 * by column name; a note names the parameters that differ. Fails with
 * PTL_ERROR_INVALID_PARAMETER for runs of different experiments or a
 * count outside 2 … 8. */
PtlResult *ptl_compare_results      (PtlResult * const *results,
                                     const char * const *names,
                                     guint              n_runs,
                                     GError           **error);

G_END_DECLS
