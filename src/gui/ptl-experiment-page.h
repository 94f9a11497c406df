/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_EXPERIMENT_PAGE (ptl_experiment_page_get_type ())
G_DECLARE_FINAL_TYPE (PtlExperimentPage, ptl_experiment_page, PTL, EXPERIMENT_PAGE, GtkWidget)

GtkWidget     *ptl_experiment_page_new            (void);
/* Showing another experiment cancels the run in progress and clears the
 * results (the window keeps a page per experiment and sets it once). */
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
/* Opens the export dialog for the whole figure (or data). */
void           ptl_experiment_page_export         (PtlExperimentPage *self);
/* Asks for a PDF file name and writes the run's report there. */
void           ptl_experiment_page_export_report  (PtlExperimentPage *self);
/* Shows @result, saved earlier from this page's experiment, as that run
 * left it: its parameters go into the form and it can be exported again.
 * Refused while a run goes on, or when the parameters no longer apply;
 * then nothing changes. @name (the file's) is shown as its origin. */
gboolean       ptl_experiment_page_open_result    (PtlExperimentPage  *self,
                                                   PtlResult          *result,
                                                   const char         *name,
                                                   GError            **error);
/* Makes the table in @file (a workload, a banker's state) the
 * experiment's own copy, as its table editor's Import does; FALSE when the
 * experiment takes no table or the file is refused (with the loader's
 * line and column). */
gboolean       ptl_experiment_page_import_table   (PtlExperimentPage  *self,
                                                   GFile              *file,
                                                   GError            **error);

/* Whether the result shown came from a run on this page and has been kept
 * neither in the run history nor in a file: closing would lose it. */
gboolean       ptl_experiment_page_get_unsaved    (PtlExperimentPage *self);
void           ptl_experiment_page_mark_saved     (PtlExperimentPage *self);

G_END_DECLS
