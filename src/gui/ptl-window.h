/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-application.h"

G_BEGIN_DECLS

#define PTL_TYPE_WINDOW (ptl_window_get_type ())
G_DECLARE_FINAL_TYPE (PtlWindow, ptl_window, PTL, WINDOW, AdwApplicationWindow)

PtlWindow *ptl_window_new            (PtlApplication *application);
/* Selects the experiment with @id in the sidebar; FALSE when none has it. */
gboolean   ptl_window_show_experiment (PtlWindow      *self,
                                       const char     *id);
void       ptl_window_update_actions (PtlWindow      *self);

G_END_DECLS
