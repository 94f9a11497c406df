/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-history-item.h"
#include "ptl-history-view.h"

G_BEGIN_DECLS

/* For the tests, which cannot click a confirmation dialog headless. */
/* The rows shown (PtlHistoryItem), after the search and the filter. */
GtkSelectionModel *_ptl_history_view_get_selection  (PtlHistoryView *self);
GtkEditable       *_ptl_history_view_get_search     (PtlHistoryView *self);
/* Shows only @experiment's runs (NULL: every run); FALSE when no listed
 * run is of @experiment. */
gboolean           _ptl_history_view_set_experiment (PtlHistoryView *self,
                                                     const char     *experiment);
/* What the delete confirmation's "Delete" does. */
void               _ptl_history_view_delete_selected (PtlHistoryView *self);
/* What the label dialog's "Save" does for @item. */
void               _ptl_history_view_set_label      (PtlHistoryView *self,
                                                     PtlHistoryItem *item,
                                                     const char     *label);
/* Milliseconds the latest reload took, store to model. */
double             _ptl_history_view_get_load_ms    (PtlHistoryView *self);

G_END_DECLS
