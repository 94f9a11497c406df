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
/* Shows what @file holds: a result saved by the lab on its experiment's
 * page, as it was; a scheduling workload in the first experiment that
 * takes a workload file. FALSE, saying why, for anything else. */
gboolean   ptl_window_open_file      (PtlWindow      *self,
                                      GFile          *file,
                                      GError        **error);
/* The same for each file, a dialog saying what could not be opened. */
void       ptl_window_open_files     (PtlWindow      *self,
                                      GFile         **files,
                                      int            n_files);

G_END_DECLS
