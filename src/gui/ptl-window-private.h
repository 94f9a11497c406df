/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-compare-view.h"
#include "ptl-experiment-page.h"
#include "ptl-history-view.h"
#include "ptl-window.h"

G_BEGIN_DECLS

/* For the tests: the parts they drive or inspect. The page is the one
 * shown; each experiment has its own. */
PtlExperimentPage *_ptl_window_get_page            (PtlWindow *self);
GtkListBox        *_ptl_window_get_experiment_list (PtlWindow *self);
GtkEditable       *_ptl_window_get_search_entry    (PtlWindow *self);

PtlHistoryView    *_ptl_window_get_history         (PtlWindow *self);
PtlCompareView    *_ptl_window_get_compare         (PtlWindow *self);
/* What Ctrl+O's file chooser does with the file the user accepted. */
void               _ptl_window_open_chosen         (PtlWindow    *self,
                                                    GFile        *file);
/* What dropping @value (a GdkFileList) on the window does. */
gboolean           _ptl_window_drop                (PtlWindow    *self,
                                                    const GValue *value);
/* The close question's answers: "save" (asks for a folder), "discard"
 * (also "Stop and Close" when runs are going), "cancel". */
void               _ptl_window_close_response      (PtlWindow    *self,
                                                    const char   *response);
/* What "Save to Files…" does with the folder chosen: each unsaved run as
 * EXPERIMENT-DATE.json there. */
gboolean           _ptl_window_save_unsaved        (PtlWindow    *self,
                                                    GFile        *folder,
                                                    GError      **error);

G_END_DECLS
