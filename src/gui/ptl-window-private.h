/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-experiment-page.h"
#include "ptl-window.h"

G_BEGIN_DECLS

/* For the tests: the parts they drive or inspect. The page is the one
 * shown; each experiment has its own. */
PtlExperimentPage *_ptl_window_get_page            (PtlWindow *self);
GtkListBox        *_ptl_window_get_experiment_list (PtlWindow *self);
GtkEditable       *_ptl_window_get_search_entry    (PtlWindow *self);

G_END_DECLS
