/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A child wider than its place scrolls sideways, by a scrollbar below it
 * (shown only then, so it covers no row) or a sideways swipe, and is as
 * tall as it is; the wheel goes on to the page around it. The summary
 * table of a result and the sheets of a table editor sit in one. */

#define PTL_TYPE_SIDEWAYS_SCROLLER (ptl_sideways_scroller_get_type ())
G_DECLARE_FINAL_TYPE (PtlSidewaysScroller, ptl_sideways_scroller, PTL, SIDEWAYS_SCROLLER, GtkWidget)

GtkWidget *ptl_sideways_scroller_new       (void);
GtkWidget *ptl_sideways_scroller_get_child (PtlSidewaysScroller *self);
void       ptl_sideways_scroller_set_child (PtlSidewaysScroller *self,
                                            GtkWidget           *child);

G_END_DECLS
