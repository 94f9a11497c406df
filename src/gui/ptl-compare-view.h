/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_COMPARE_VIEW (ptl_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (PtlCompareView, ptl_compare_view, PTL, COMPARE_VIEW, GtkWidget)

/* 2 … 8 runs of one experiment side by side, as `ptlab compare` puts
 * them (ptl_compare_results ()): every line chart with the runs overlaid,
 * the legend naming each run, and the summaries in one table with ratio
 * columns against the first run. Runs come from History or from result
 * files, and can be removed one by one. */
GtkWidget *ptl_compare_view_new        (void);
/* Shows @results (PtlResult) named @names; FALSE, changing nothing, when
 * they cannot be compared (another experiment, too many). */
gboolean   ptl_compare_view_set_runs   (PtlCompareView      *self,
                                        GPtrArray           *results,
                                        const char * const  *names,
                                        GError             **error);
/* Adds the result saved in @file (JSON), as the file chooser of "Add
 * Result File…" does. */
gboolean   ptl_compare_view_add_file   (PtlCompareView      *self,
                                        GFile               *file,
                                        GError             **error);
guint      ptl_compare_view_get_n_runs (PtlCompareView      *self);
/* The comparison shown; NULL with fewer than two runs. */
PtlResult *ptl_compare_view_get_result (PtlCompareView      *self);

G_END_DECLS
