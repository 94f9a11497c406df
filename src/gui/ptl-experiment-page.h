/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_EXPERIMENT_PAGE (ptl_experiment_page_get_type ())
G_DECLARE_FINAL_TYPE (PtlExperimentPage, ptl_experiment_page, PTL, EXPERIMENT_PAGE, GtkWidget)

GtkWidget     *ptl_experiment_page_new            (void);
/* Showing another experiment cancels the run in progress and clears the
 * results. */
void           ptl_experiment_page_set_experiment (PtlExperimentPage *self,
                                                   PtlExperiment     *experiment);
PtlExperiment *ptl_experiment_page_get_experiment (PtlExperimentPage *self);
/* The latest snapshot or the finished result; NULL before a run. */
PtlResult     *ptl_experiment_page_get_result     (PtlExperimentPage *self);
gboolean       ptl_experiment_page_get_running    (PtlExperimentPage *self);
gboolean       ptl_experiment_page_get_can_run    (PtlExperimentPage *self);
gboolean       ptl_experiment_page_get_can_cancel (PtlExperimentPage *self);
gboolean       ptl_experiment_page_get_can_export (PtlExperimentPage *self);
void           ptl_experiment_page_run            (PtlExperimentPage *self);
void           ptl_experiment_page_cancel         (PtlExperimentPage *self);
/* Asks for a file name and writes the whole figure (or data) there. */
void           ptl_experiment_page_export         (PtlExperimentPage *self);

G_END_DECLS
