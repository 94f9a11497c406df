/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ptl-plot.h"

G_BEGIN_DECLS

/* The file chooser every export in the window goes through (the whole
 * result from the page, one chart from a chart's menu), and the rule that
 * turns what the user chose into a path and a format. */

/* A save dialog for @parent's window with one filter per format (images
 * only when @images_only), the first selected, and @name offered. Not
 * shown yet. */
GtkFileChooserNative *ptl_export_chooser_new          (GtkWidget            *parent,
                                                       const char           *title,
                                                       const char           *name,
                                                       gboolean              images_only);
/* The same offering only the format of @suffix ("pdf"), chosen before:
 * it decides the extension as a filter the user picked does. */
GtkFileChooserNative *ptl_export_chooser_new_for_suffix (GtkWidget          *parent,
                                                         const char         *title,
                                                         const char         *name,
                                                         const char         *suffix);
/* The formats, in the order the chooser offers them: a translated name
 * ("PDF Document"), the extension, and whether it is an image (drawn at
 * a size) rather than data. */
guint                 ptl_export_chooser_get_n_formats       (void);
const char           *ptl_export_chooser_get_format_name     (guint index);
const char           *ptl_export_chooser_get_format_suffix   (guint index);
gboolean              ptl_export_chooser_get_format_is_image (guint index);
/* The extension of the chooser's current filter ("pdf"), or NULL; sets
 * @changed when the user picked another filter than the first. */
const char           *ptl_export_chooser_get_suffix   (GtkFileChooserNative *chooser,
                                                       gboolean             *changed);
/* The path to write when the user accepted @path with the filter of
 * @suffix (NULL: none). A filter the user picked decides the format: a
 * known extension of another format is replaced, any other name gets the
 * filter's extension. With the filter left alone, a known extension the
 * user typed decides, and a name without one gets the filter's. */
char                 *ptl_export_chooser_decide_path  (const char           *path,
                                                       const char           *suffix,
                                                       gboolean              filter_changed);
/* The same for the file the user accepted: its decided path, or an error
 * when it is not a local file. */
char                 *ptl_export_chooser_dup_path     (GFile                *file,
                                                       const char           *suffix,
                                                       gboolean              filter_changed,
                                                       GError              **error);
/* Export options from the window's settings for @chart_id of @result
 * (NULL: the whole figure): the settings' width, the height the plot
 * library's layout needs at that width (at least the settings' height for
 * a whole figure), the settings' scale, and the report @style, which
 * must outlive @options. */
void                  ptl_export_chooser_fill_options (GSettings            *settings,
                                                       PtlResult            *result,
                                                       const char           *chart_id,
                                                       PtlPlotStyle         *style,
                                                       PtlExportOptions     *options);

G_END_DECLS
