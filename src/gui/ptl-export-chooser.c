/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-export-chooser"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ptl-export-chooser.h"

/* GtkFileChooserNative (a portal in Flatpak) tells only which filter was
 * current when the user accepted, not when it changed, so the name cannot
 * follow the filter while the dialog is open: the rule is applied on
 * accept instead, in ptl_export_chooser_decide_path (). */

typedef struct
{
  const char *name;
  const char *suffix;
  gboolean    image;
} ExportFormat;

static const ExportFormat export_formats[] = {
  { N_("PNG Image"), "png", TRUE },
  { N_("SVG Image"), "svg", TRUE },
  { N_("PDF Document"), "pdf", TRUE },
  { N_("CSV Table"), "csv", FALSE },
  { N_("JSON Data"), "json", FALSE },
};

#define SUFFIX_KEY  "ptl-suffix"
#define INITIAL_KEY "ptl-initial-filter"

/* A save dialog offering every format (the images only with
 * @images_only), or only that of @only_suffix; the first is current. */
static GtkFileChooserNative *
chooser_new (GtkWidget  *parent,
             const char *title,
             const char *name,
             gboolean    images_only,
             const char *only_suffix)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root;
  gboolean first = TRUE;

  root = gtk_widget_get_root (parent);
  chooser = gtk_file_chooser_native_new (title,
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    {
      g_autoptr(GtkFileFilter) filter = NULL;

      if ((images_only && !export_formats[i].image) ||
          (only_suffix != NULL && g_strcmp0 (only_suffix, export_formats[i].suffix) != 0))
        continue;

      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _(export_formats[i].name));
      gtk_file_filter_add_suffix (filter, export_formats[i].suffix);
      g_object_set_data (G_OBJECT (filter), SUFFIX_KEY, (gpointer) export_formats[i].suffix);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      if (first)
        {
          gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
          /* A format chosen before the file chooser is the user's choice:
           * it is never "the filter left alone". */
          if (only_suffix == NULL)
            g_object_set_data_full (G_OBJECT (chooser), INITIAL_KEY, g_object_ref (filter), g_object_unref);
          first = FALSE;
        }
    }

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  return chooser;
}

GtkFileChooserNative *
ptl_export_chooser_new (GtkWidget  *parent,
                        const char *title,
                        const char *name,
                        gboolean    images_only)
{
  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return chooser_new (parent, title, name, images_only, NULL);
}

GtkFileChooserNative *
ptl_export_chooser_new_for_suffix (GtkWidget  *parent,
                                   const char *title,
                                   const char *name,
                                   const char *suffix)
{
  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (suffix != NULL, NULL);

  return chooser_new (parent, title, name, FALSE, suffix);
}

guint
ptl_export_chooser_get_n_formats (void)
{
  return G_N_ELEMENTS (export_formats);
}

const char *
ptl_export_chooser_get_format_name (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (export_formats), NULL);

  return _(export_formats[index].name);
}

const char *
ptl_export_chooser_get_format_suffix (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (export_formats), NULL);

  return export_formats[index].suffix;
}

gboolean
ptl_export_chooser_get_format_is_image (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (export_formats), FALSE);

  return export_formats[index].image;
}

const char *
ptl_export_chooser_get_suffix (GtkFileChooserNative *chooser,
                               gboolean             *changed)
{
  GtkFileFilter *filter;

  g_return_val_if_fail (GTK_IS_FILE_CHOOSER_NATIVE (chooser), NULL);
  g_return_val_if_fail (changed != NULL, NULL);

  filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
  *changed = filter != NULL && filter != g_object_get_data (G_OBJECT (chooser), INITIAL_KEY);
  return filter != NULL ? g_object_get_data (G_OBJECT (filter), SUFFIX_KEY) : NULL;
}

/* The format of @basename's extension in the table, or NULL. */
static const ExportFormat *
find_format (const char *basename)
{
  const char *dot = strrchr (basename, '.');

  if (dot == NULL || dot == basename)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (g_ascii_strcasecmp (dot + 1, export_formats[i].suffix) == 0)
      return &export_formats[i];
  return NULL;
}

char *
ptl_export_chooser_decide_path (const char *path,
                                const char *suffix,
                                gboolean    filter_changed)
{
  g_autofree char *basename = NULL;
  const ExportFormat *typed;

  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);
  typed = find_format (basename);

  if (suffix == NULL || (typed != NULL && !filter_changed))
    return g_strdup (path);
  if (typed != NULL && g_ascii_strcasecmp (typed->suffix, suffix) == 0)
    return g_strdup (path);
  if (typed != NULL)
    {
      /* "models.png" with PDF picked: "models.pdf". */
      gsize stem = strlen (path) - strlen (typed->suffix);

      return g_strdup_printf ("%.*s%s", (int) stem, path, suffix);
    }
  return g_strdup_printf ("%s.%s", path, suffix);
}

char *
ptl_export_chooser_dup_path (GFile       *file,
                             const char  *suffix,
                             gboolean     filter_changed,
                             GError     **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_peek_path (file) == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("“%s” is not a local file"), uri);
      return NULL;
    }
  return ptl_export_chooser_decide_path (g_file_peek_path (file), suffix, filter_changed);
}

void
ptl_export_chooser_fill_options (GSettings        *settings,
                                 PtlResult        *result,
                                 const char       *chart_id,
                                 PtlPlotStyle     *style,
                                 PtlExportOptions *options)
{
  double natural_width;
  double natural_height;
  double height;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (PTL_IS_RESULT (result));
  g_return_if_fail (style != NULL);
  g_return_if_fail (options != NULL);

  /* The settings give the width; the height keeps the proportions the
   * plot library lays the figure out at, so nothing is squeezed. A whole
   * figure is at least the settings' height. */
  ptl_plot_style_init_report (style);
  ptl_figure_get_default_size (result, chart_id, style, &natural_width, &natural_height);
  *options = (PtlExportOptions) { 0 };
  options->chart_id = chart_id;
  options->width = g_settings_get_int (settings, "export-width");
  height = ceil (natural_height * options->width / natural_width);
  options->height = chart_id == NULL ? MAX (g_settings_get_int (settings, "export-height"), height) : height;
  options->scale = g_settings_get_double (settings, "export-scale");
  options->style = style;
}
