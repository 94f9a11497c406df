/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"
#include "ptl-sched-workload.h"

G_BEGIN_DECLS

#define PTL_TYPE_WORKLOAD_EDITOR (ptl_workload_editor_get_type ())
G_DECLARE_FINAL_TYPE (PtlWorkloadEditor, ptl_workload_editor, PTL, WORKLOAD_EDITOR, AdwBin)

GtkWidget        *ptl_workload_editor_new            (void);
/* Whether @experiment has a string "workload" parameter (a generator name
 * or the path of a workload file) for the editor to edit. */
gboolean          ptl_workload_editor_can_edit       (PtlExperiment     *experiment);
/* Shows the workload the experiment's parameter names, and follows it.
 * Every accepted edit is saved to ptl_workload_editor_dup_path () and the
 * parameter set to that path, through ptl_experiment_set_param (). */
void              ptl_workload_editor_set_experiment (PtlWorkloadEditor *self,
                                                      PtlExperiment     *experiment);
PtlExperiment    *ptl_workload_editor_get_experiment (PtlWorkloadEditor *self);
/* Borrowed: what the table shows; NULL when the parameter names nothing
 * that loads (the editor then says why). */
PtlSchedWorkload *ptl_workload_editor_get_workload   (PtlWorkloadEditor *self);
/* g_get_user_data_dir ()/ptlab/<experiment id>-workload.csv */
char             *ptl_workload_editor_dup_path       (PtlWorkloadEditor *self);
/* Loads @file (CSV or JSON) and makes it the editor's workload. On
 * failure nothing changes, and the loader's error (naming the line and
 * column) is shown under the table and in a toast as well as returned. */
gboolean          ptl_workload_editor_import         (PtlWorkloadEditor *self,
                                                      GFile             *file,
                                                      GError           **error);
/* Saves the workload to @file in the format its extension names; errors
 * are shown as for an import. */
gboolean          ptl_workload_editor_export         (PtlWorkloadEditor *self,
                                                      GFile             *file,
                                                      GError           **error);
/* The message shown under the table for the latest refused edit or failed
 * import or export; NULL when there is none. */
const char       *ptl_workload_editor_get_message    (PtlWorkloadEditor *self);

G_END_DECLS
