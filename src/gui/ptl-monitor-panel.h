/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_MONITOR_PANEL (ptl_monitor_panel_get_type ())
G_DECLARE_FINAL_TYPE (PtlMonitorPanel, ptl_monitor_panel, PTL, MONITOR_PANEL, GtkWidget)

GtkWidget      *ptl_monitor_panel_new          (void);
/* Shows @monitor's threads and processes, one row each, updated after
 * every sample; the panel's interval applies to it. NULL empties the
 * list. Keeps a reference. */
void            ptl_monitor_panel_set_monitor  (PtlMonitorPanel *self,
                                                PtlProcMonitor  *monitor);
PtlProcMonitor *ptl_monitor_panel_get_monitor  (PtlMonitorPanel *self);
/* The sampling interval chosen in the panel, in milliseconds. */
int             ptl_monitor_panel_get_interval (PtlMonitorPanel *self);
void            ptl_monitor_panel_set_interval (PtlMonitorPanel *self,
                                                int              interval_ms);
/* Rows shown, one per live thread or process of the latest sample. */
guint           ptl_monitor_panel_get_n_rows   (PtlMonitorPanel *self);
/* Whether the list shows below the header (the user's toggle). */
gboolean        ptl_monitor_panel_get_expanded (PtlMonitorPanel *self);
void            ptl_monitor_panel_set_expanded (PtlMonitorPanel *self,
                                                gboolean         expanded);

G_END_DECLS
