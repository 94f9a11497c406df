/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_HISTORY_VIEW (ptl_history_view_get_type ())
G_DECLARE_FINAL_TYPE (PtlHistoryView, ptl_history_view, PTL, HISTORY_VIEW, GtkWidget)

/* The run history as a table: experiment, date, label, machine and the
 * headline figure of each saved run, newest first, searchable and
 * filtered by experiment. Opening a run emits "open-result" (the run's
 * result and a name for it); comparing 2 … 8 runs of one experiment emits
 * "compare" (a GPtrArray of PtlResult and their names as a GStrv). */
GtkWidget *ptl_history_view_new        (void);
/* The history to list, or NULL with the @error that kept it closed
 * (shown instead of the list). */
void       ptl_history_view_set_store  (PtlHistoryView *self,
                                        PtlStore       *store,
                                        const GError   *error);
/* Reads the list again now if the view is on screen, else the next time
 * it is shown: a run was saved or changed elsewhere. */
void       ptl_history_view_invalidate (PtlHistoryView *self);
void       ptl_history_view_focus_search (PtlHistoryView *self);

G_END_DECLS
