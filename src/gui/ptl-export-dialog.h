/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

/* The export dialog: which chart (or the whole figure), the format, the
 * size and scale (within the CLI's limits), the light print style, and a
 * preview of what will be written; then the file chooser. Its choices
 * start from the export-* settings and are written back on a successful
 * export. What came of it is told through "message" (a text, and for a
 * failure the error), for the owner to show in a toast. Its rows are
 * named (gtk_widget_get_name ()) "chart", "format", "width", "height",
 * "scale" and "print-style", for tests and tools. */

#define PTL_TYPE_EXPORT_DIALOG (ptl_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PtlExportDialog, ptl_export_dialog, PTL, EXPORT_DIALOG, AdwWindow)

/* Modal over @parent's window; @chart_id (NULL: the whole figure) is
 * chosen first. @result must be finished. */
PtlExportDialog *ptl_export_dialog_new           (GtkWidget       *parent,
                                                  PtlResult       *result,
                                                  const char      *chart_id);
/* What accepting @file in the file chooser does, with the extension of
 * its filter then (see ptl_export_chooser_decide_path ()): writes the
 * export atomically, remembers the choices, emits "message" and closes
 * the dialog. The tests drive it, as a file chooser cannot be clicked
 * headless. */
void             ptl_export_dialog_export_chosen (PtlExportDialog *self,
                                                  GFile           *file,
                                                  const char      *suffix,
                                                  gboolean         filter_changed);

G_END_DECLS
