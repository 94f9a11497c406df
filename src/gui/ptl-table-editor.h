/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_TABLE_EDITOR (ptl_table_editor_get_type ())
G_DECLARE_FINAL_TYPE (PtlTableEditor, ptl_table_editor, PTL, TABLE_EDITOR, AdwBin)

GtkWidget        *ptl_table_editor_new            (void);
/* Whether @experiment declares a table input (PtlExperimentClass.table_input). */
gboolean          ptl_table_editor_can_edit       (PtlExperiment   *experiment);
/* Shows the table the experiment's parameter names (the declaration's
 * param), and follows it. Every accepted edit is saved to
 * ptl_table_editor_dup_path () and the parameter set to that path,
 * through ptl_experiment_set_param (). */
void              ptl_table_editor_set_experiment (PtlTableEditor  *self,
                                                   PtlExperiment   *experiment);
PtlExperiment    *ptl_table_editor_get_experiment (PtlTableEditor  *self);
/* Borrowed: what the sheets show, valid; NULL when the parameter names
 * nothing that loads (the editor then says why). */
PtlTableInput    *ptl_table_editor_get_input      (PtlTableEditor  *self);
/* g_get_user_data_dir ()/ptlab/<experiment id>-<file stem>.csv */
char             *ptl_table_editor_dup_path       (PtlTableEditor  *self);
/* Loads @file (CSV or JSON) and makes it the editor's table. On failure
 * nothing changes, and the loader's error (naming the line and column)
 * is shown under the table and in a toast as well as returned. */
gboolean          ptl_table_editor_import         (PtlTableEditor  *self,
                                                   GFile           *file,
                                                   GError         **error);
/* Saves the table to @file in the format its extension names; errors are
 * shown as for an import. */
gboolean          ptl_table_editor_export         (PtlTableEditor  *self,
                                                   GFile           *file,
                                                   GError         **error);
/* The message shown under the table for the latest refused edit or
 * failed import or export; NULL when there is none. */
const char       *ptl_table_editor_get_message    (PtlTableEditor  *self);

G_END_DECLS
