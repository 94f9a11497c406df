/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PTL_TYPE_PREFERENCES_WINDOW (ptl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PtlPreferencesWindow, ptl_preferences_window, PTL, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *ptl_preferences_window_new (GtkWindow *parent);

G_END_DECLS
