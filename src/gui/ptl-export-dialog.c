/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ptl-export-chooser.h"
#include "ptl-export-dialog.h"
#include "ptl-plot.h"

/* The preview draws with ptl_figure_draw (), as the export does, at the
 * chosen size scaled into its box: what it shows is the file's layout. */

#define PREVIEW_WIDTH   420
#define PREVIEW_HEIGHT  340
/* Lines of a CSV or JSON export shown as its preview. */
#define DATA_PREVIEW_LINES 24

struct _PtlExportDialog
{
  AdwWindow        parent_instance;

  /* children */
  AdwComboRow     *chart_row;
  AdwComboRow     *format_row;
  GtkWidget       *width_row;
  GtkWidget       *height_row;
  GtkWidget       *scale_row;
  GtkWidget       *style_row;
  GtkSpinButton   *width_spin;
  GtkSpinButton   *height_spin;
  GtkSpinButton   *scale_spin;
  GtkSwitch       *style_switch;
  GtkStack        *preview_stack;
  GtkWidget       *preview;
  GtkLabel        *data_preview;
  GtkWidget       *data_scroller;
  GtkLabel        *problem_label;
  GtkWidget       *export_button;

  /* owned */
  PtlResult       *result;
  GSettings       *settings;
  GtkNativeDialog *chooser;
};

enum {
  MESSAGE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PtlExportDialog, ptl_export_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static guint
ptl_export_dialog_get_format (PtlExportDialog *self)
{
  return adw_combo_row_get_selected (self->format_row);
}

/* NULL: the whole figure. */
static const char *
ptl_export_dialog_get_chart_id (PtlExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->chart_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return ptl_chart_get_id (ptl_result_get_chart (self->result, selected - 1));
}

/* The options of the choices made; @style must outlive them. */
static void
ptl_export_dialog_get_options (PtlExportDialog  *self,
                               PtlPlotStyle     *style,
                               PtlExportOptions *options)
{
  if (gtk_switch_get_active (self->style_switch))
    ptl_plot_style_init_report (style);
  else if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
    ptl_plot_style_init_dark (style);
  else
    ptl_plot_style_init_light (style);

  *options = (PtlExportOptions) { 0 };
  options->chart_id = ptl_export_dialog_get_chart_id (self);
  options->width = gtk_spin_button_get_value (self->width_spin);
  options->height = gtk_spin_button_get_value (self->height_spin);
  options->scale = gtk_spin_button_get_value (self->scale_spin);
  options->style = style;
}

static void
ptl_export_dialog_preview_draw (GtkDrawingArea *area,
                                cairo_t        *cr,
                                int             area_width,
                                int             area_height,
                                gpointer        user_data)
{
  PtlExportDialog *self = user_data;
  PtlExportOptions options;
  PtlPlotStyle style;
  double width, height, scale, fit;

  ptl_export_dialog_get_options (self, &style, &options);
  ptl_export_get_size (self->result, &options, &width, &height, &scale);
  fit = MIN (area_width / width, area_height / height);
  cairo_translate (cr, (area_width - width * fit) / 2, (area_height - height * fit) / 2);
  cairo_scale (cr, fit, fit);
  ptl_figure_draw (self->result, options.chart_id, cr, &style, width, height);
}

/* The first lines of a data export, as they will be in the file. */
static void
ptl_export_dialog_update_data_preview (PtlExportDialog *self,
                                       const char      *suffix)
{
  g_autofree char *data = g_str_equal (suffix, "csv") ? ptl_result_to_csv (self->result)
                                                      : ptl_result_to_json_string (self->result);
  char *end = data;

  for (guint line = 0; end != NULL && line < DATA_PREVIEW_LINES; line++)
    if ((end = strchr (end, '\n')) != NULL)
      end++;
  if (end != NULL)
    *end = '\0';
  gtk_label_set_text (self->data_preview, data);
}

/* Rows that apply to the format, the size check, and the preview. */
static void
ptl_export_dialog_update (PtlExportDialog *self)
{
  guint format = ptl_export_dialog_get_format (self);
  const char *suffix = ptl_export_chooser_get_format_suffix (format);
  gboolean image = ptl_export_chooser_get_format_is_image (format);
  gboolean png = g_str_equal (suffix, "png");
  g_autofree char *problem = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->chart_row), image);
  gtk_widget_set_sensitive (self->width_row, image);
  gtk_widget_set_sensitive (self->height_row, image);
  gtk_widget_set_sensitive (self->style_row, image);
  gtk_widget_set_sensitive (self->scale_row, png);

  if (png)
    {
      PtlExportOptions options;
      PtlPlotStyle style;
      double width, height, scale;

      ptl_export_dialog_get_options (self, &style, &options);
      ptl_export_get_size (self->result, &options, &width, &height, &scale);
      if (ceil (width * scale) > PTL_EXPORT_MAX_PIXELS || ceil (height * scale) > PTL_EXPORT_MAX_PIXELS)
        /* TRANSLATORS: %.0f × %.0f is the image's size in pixels */
        problem = g_strdup_printf (_("A PNG is at most %d pixels a side: this one would be %.0f × %.0f. "
                                     "Make it smaller or lower the scale."),
                                   PTL_EXPORT_MAX_PIXELS, ceil (width * scale), ceil (height * scale));
    }
  gtk_label_set_text (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  gtk_widget_set_sensitive (self->export_button, problem == NULL);

  if (image)
    {
      gtk_stack_set_visible_child (self->preview_stack, self->preview);
      gtk_widget_queue_draw (self->preview);
    }
  else
    {
      ptl_export_dialog_update_data_preview (self, suffix);
      gtk_stack_set_visible_child (self->preview_stack, self->data_scroller);
    }
}

static void
ptl_export_dialog_changed_cb (PtlExportDialog *self)
{
  ptl_export_dialog_update (self);
}

/* 0 is "let the figure's shape decide". */
static gboolean
ptl_export_dialog_height_output_cb (GtkSpinButton *spin,
                                    gpointer       user_data)
{
  if (gtk_spin_button_get_value (spin) != 0)
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (spin), _("Automatic"));
  return TRUE;
}

static int
ptl_export_dialog_height_input_cb (GtkSpinButton *spin,
                                   double        *value,
                                   gpointer       user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));

  if (g_strcmp0 (text, _("Automatic")) != 0)
    return FALSE;
  *value = 0;
  return TRUE;
}

static void
ptl_export_dialog_save_settings (PtlExportDialog *self)
{
  guint format = ptl_export_dialog_get_format (self);

  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "export-format", ptl_export_chooser_get_format_suffix (format));
  g_settings_set_int (self->settings, "export-width", (int) gtk_spin_button_get_value (self->width_spin));
  g_settings_set_int (self->settings, "export-height", (int) gtk_spin_button_get_value (self->height_spin));
  g_settings_set_double (self->settings, "export-scale", gtk_spin_button_get_value (self->scale_spin));
  g_settings_set_boolean (self->settings, "export-print-style", gtk_switch_get_active (self->style_switch));
  g_settings_apply (self->settings);
}

static void
ptl_export_dialog_chooser_response_cb (PtlExportDialog      *self,
                                       int                   response,
                                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  const char *suffix;
  gboolean changed;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  suffix = ptl_export_chooser_get_suffix (chooser, &changed);
  g_clear_object (&self->chooser);
  if (file != NULL)
    ptl_export_dialog_export_chosen (self, file, suffix, changed);
}

static void
ptl_export_dialog_export_clicked_cb (PtlExportDialog *self)
{
  const char *suffix = ptl_export_chooser_get_format_suffix (ptl_export_dialog_get_format (self));
  const char *chart_id = ptl_export_dialog_get_chart_id (self);
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    return;
  if (chart_id != NULL && ptl_export_chooser_get_format_is_image (ptl_export_dialog_get_format (self)))
    name = g_strdup_printf ("%s-%s.%s", ptl_result_get_experiment_id (self->result), chart_id, suffix);
  else
    name = g_strdup_printf ("%s.%s", ptl_result_get_experiment_id (self->result), suffix);
  self->chooser = GTK_NATIVE_DIALOG (ptl_export_chooser_new_for_suffix (GTK_WIDGET (self), _("Export"), name, suffix));
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (ptl_export_dialog_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static GtkWidget *
spin_row_new (const char     *name,
              const char     *title,
              const char     *subtitle,
              double          minimum,
              double          maximum,
              double          step,
              guint           digits,
              GtkSpinButton **spin)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  *spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (minimum, maximum, step));
  gtk_spin_button_set_digits (*spin, digits);
  gtk_widget_set_valign (GTK_WIDGET (*spin), GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (*spin, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (*spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (*spin));
  return row;
}

static void
ptl_export_dialog_dispose (GObject *object)
{
  PtlExportDialog *self = PTL_EXPORT_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->result);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ptl_export_dialog_parent_class)->dispose (object);
}

static void
ptl_export_dialog_class_init (PtlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ptl_export_dialog_dispose;

  /* Emitted with a text to show ("Saved x.png") and, for a failure, the
   * error under that heading. */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
ptl_export_dialog_init (PtlExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  GtkWidget *content, *header, *cancel, *body, *group, *scroller, *frame, *area;

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_title (GTK_WINDOW (self), _("Export"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 560);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (gtk_window_close), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->export_button = gtk_button_new_with_mnemonic (_("_Export…"));
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  g_signal_connect_object (self->export_button, "clicked",
                           G_CALLBACK (ptl_export_dialog_export_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  gtk_box_append (GTK_BOX (content), header);

  body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  gtk_widget_set_margin_top (body, 18);
  gtk_widget_set_margin_bottom (body, 18);
  gtk_widget_set_margin_start (body, 18);
  gtk_widget_set_margin_end (body, 18);
  gtk_widget_set_vexpand (body, TRUE);

  group = adw_preferences_group_new ();
  gtk_widget_set_size_request (group, 380, -1);
  self->chart_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->chart_row), "chart");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->chart_row), _("Chart"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->chart_row));

  for (guint i = 0; i < ptl_export_chooser_get_n_formats (); i++)
    gtk_string_list_append (formats, ptl_export_chooser_get_format_name (i));
  self->format_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->format_row), "format");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->format_row), _("Format"));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->format_row));

  self->width_row = spin_row_new ("width", _("Width"), _("Pixels; points for SVG and PDF"),
                                  1, PTL_EXPORT_MAX_SIDE, 10, 0, &self->width_spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->width_row);
  self->height_row = spin_row_new ("height", _("Height"), _("Automatic follows the chart’s shape"),
                                   0, PTL_EXPORT_MAX_SIDE, 10, 0, &self->height_spin);
  /* Room for "Automatic" in the entry. */
  gtk_editable_set_width_chars (GTK_EDITABLE (self->height_spin), 9);
  g_signal_connect (self->height_spin, "output", G_CALLBACK (ptl_export_dialog_height_output_cb), NULL);
  g_signal_connect (self->height_spin, "input", G_CALLBACK (ptl_export_dialog_height_input_cb), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->height_row);
  self->scale_row = spin_row_new ("scale", _("Scale"), _("PNG pixels per point, 2 for sharp print"),
                                  0.25, PTL_EXPORT_MAX_SCALE, 0.25, 2, &self->scale_spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->scale_row);

  self->style_row = adw_action_row_new ();
  gtk_widget_set_name (self->style_row, "print-style");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->style_row), _("Light Style for Print"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->style_row), _("Off: the window’s own look"));
  self->style_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->style_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->style_row), GTK_WIDGET (self->style_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->style_row), GTK_WIDGET (self->style_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->style_row);

  self->problem_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem_label, TRUE);
  gtk_label_set_xalign (self->problem_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->problem_label), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->problem_label));
  gtk_box_append (GTK_BOX (body), group);

  self->preview_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->preview_stack), TRUE);
  area = gtk_drawing_area_new ();
  gtk_widget_set_name (area, "preview");
  gtk_widget_set_size_request (area, PREVIEW_WIDTH, PREVIEW_HEIGHT);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), ptl_export_dialog_preview_draw, self, NULL);
  self->preview = area;
  gtk_stack_add_child (self->preview_stack, area);
  self->data_preview = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->data_preview, 0);
  gtk_label_set_yalign (self->data_preview, 0);
  gtk_label_set_selectable (self->data_preview, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->data_preview), "monospace");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->data_preview));
  gtk_stack_add_child (self->preview_stack, scroller);
  self->data_scroller = scroller;
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->preview_stack));
  gtk_box_append (GTK_BOX (body), frame);
  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (self), content);

}

PtlExportDialog *
ptl_export_dialog_new (GtkWidget  *parent,
                       PtlResult  *result,
                       const char *chart_id)
{
  g_autoptr(GtkStringList) charts = gtk_string_list_new (NULL);
  g_autofree char *format = NULL;
  PtlExportDialog *self;
  GtkRoot *root;
  guint selected = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (PTL_IS_RESULT (result), NULL);

  self = g_object_new (PTL_TYPE_EXPORT_DIALOG, NULL);
  root = gtk_widget_get_root (parent);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  self->result = g_object_ref (result);

  gtk_string_list_append (charts, _("Whole Figure"));
  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    {
      PtlChart *chart = ptl_result_get_chart (result, i);

      gtk_string_list_append (charts, ptl_chart_get_title (chart));
      if (g_strcmp0 (chart_id, ptl_chart_get_id (chart)) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->chart_row, G_LIST_MODEL (charts));
  adw_combo_row_set_selected (self->chart_row, selected);

  /* The last choices. */
  format = g_settings_get_string (self->settings, "export-format");
  for (guint i = 0; i < ptl_export_chooser_get_n_formats (); i++)
    if (g_str_equal (format, ptl_export_chooser_get_format_suffix (i)))
      adw_combo_row_set_selected (self->format_row, i);
  gtk_spin_button_set_value (self->width_spin, g_settings_get_int (self->settings, "export-width"));
  gtk_spin_button_set_value (self->height_spin, g_settings_get_int (self->settings, "export-height"));
  gtk_spin_button_set_value (self->scale_spin, g_settings_get_double (self->settings, "export-scale"));
  gtk_switch_set_active (self->style_switch, g_settings_get_boolean (self->settings, "export-print-style"));

  g_signal_connect_object (self->chart_row, "notify::selected",
                           G_CALLBACK (ptl_export_dialog_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->format_row, "notify::selected",
                           G_CALLBACK (ptl_export_dialog_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->width_spin, "value-changed",
                           G_CALLBACK (ptl_export_dialog_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->height_spin, "value-changed",
                           G_CALLBACK (ptl_export_dialog_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scale_spin, "value-changed",
                           G_CALLBACK (ptl_export_dialog_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->style_switch, "notify::active",
                           G_CALLBACK (ptl_export_dialog_changed_cb), self, G_CONNECT_SWAPPED);
  ptl_export_dialog_update (self);
  return self;
}

void
ptl_export_dialog_export_chosen (PtlExportDialog *self,
                                 GFile           *file,
                                 const char      *suffix,
                                 gboolean         filter_changed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PtlExportOptions options;
  PtlPlotStyle style;

  g_return_if_fail (PTL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  ptl_export_dialog_get_options (self, &style, &options);
  path = ptl_export_chooser_dup_path (file, suffix, filter_changed, &error);
  if (path == NULL || !ptl_export_to_file (self->result, path, &options, &error))
    g_signal_emit (self, signals[MESSAGE], 0, _("Could not export"), error);
  else
    {
      g_autofree char *basename = g_path_get_basename (path);
      /* TRANSLATORS: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Saved %s"), basename);

      ptl_export_dialog_save_settings (self);
      g_signal_emit (self, signals[MESSAGE], 0, message, NULL);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}
