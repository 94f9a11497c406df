/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-compare-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-chart-view.h"
#include "ptl-compare-view.h"
#include "ptl-compare.h"
#include "ptl-summary-grid.h"

#define COMPARE_CHART_MIN_HEIGHT 460

struct _PtlCompareView
{
  GtkWidget        parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkLabel        *title_label;
  GtkListBox      *runs_list;
  GtkLabel        *notes_label;
  GtkFlowBox      *charts_box;
  GtkGrid         *summary_grid;

  /* owned */
  GPtrArray       *results; /* PtlResult, the first is the baseline */
  GPtrArray       *names;   /* char *, one per result */
  PtlResult       *compare;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (PtlCompareView, ptl_compare_view, GTK_TYPE_WIDGET)

static void
ptl_compare_view_toast (PtlCompareView *self,
                        const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The runs shown as new arrays to change: results, and names ending in
 * NULL once the caller adds it. */
static void
ptl_compare_view_copy_runs (PtlCompareView  *self,
                            GPtrArray      **results,
                            GPtrArray      **names)
{
  *results = g_ptr_array_new_with_free_func (g_object_unref);
  *names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->results->len; i++)
    {
      g_ptr_array_add (*results, g_object_ref (g_ptr_array_index (self->results, i)));
      g_ptr_array_add (*names, g_strdup (g_ptr_array_index (self->names, i)));
    }
}

static void
ptl_compare_view_remove_cb (PtlCompareView *self,
                            GtkButton      *button)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "ptl-index"));
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) names = NULL;

  ptl_compare_view_copy_runs (self, &results, &names);
  g_ptr_array_remove_index (results, index);
  g_ptr_array_remove_index (names, index);
  g_ptr_array_add (names, NULL);
  /* Fewer runs of one experiment always compare. */
  ptl_compare_view_set_runs (self, results, (const char * const *) names->pdata, NULL);
}

static void
ptl_compare_view_fill_runs (PtlCompareView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list))) != NULL)
    gtk_list_box_remove (self->runs_list, child);

  for (guint i = 0; i < self->results->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *place = i == 0
        /* TRANSLATORS: the first run of a comparison, the one the ratios divide by */
        ? g_strdup (_("1, the baseline"))
        : g_strdup_printf ("%u", i + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_ptr_array_index (self->names, i));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), place);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Leave This Run Out"));
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data (G_OBJECT (remove), "ptl-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (ptl_compare_view_remove_cb), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->runs_list, row);
    }
}

static void
ptl_compare_view_fill_results (PtlCompareView *self)
{
  g_autoptr(GString) notes = g_string_new (NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box))) != NULL)
    gtk_flow_box_remove (self->charts_box, child);

  if (self->compare == NULL)
    {
      gtk_label_set_text (self->title_label, self->results->len > 0
                          ? ptl_result_get_title (g_ptr_array_index (self->results, 0)) : "");
      gtk_label_set_text (self->notes_label, _("Add another run of the same experiment to compare."));
      gtk_widget_set_visible (GTK_WIDGET (self->notes_label), TRUE);
      ptl_summary_grid_fill (self->summary_grid, NULL);
      return;
    }

  gtk_label_set_text (self->title_label, ptl_result_get_title (self->compare));
  for (guint i = 0; i < ptl_result_get_n_notes (self->compare); i++)
    g_string_append_printf (notes, "%s%s", i > 0 ? "\n\n" : "", ptl_result_get_note (self->compare, i));
  gtk_label_set_text (self->notes_label, notes->str);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), notes->len > 0);

  for (guint i = 0; i < ptl_result_get_n_charts (self->compare); i++)
    {
      PtlChart *chart = ptl_result_get_chart (self->compare, i);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *view = ptl_chart_view_new ();

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "ptl-chart-card");
      gtk_widget_set_vexpand (view, TRUE);
      /* Two to eight runs' legends take room a single run's chart does
       * not need: the plot keeps its height under them. */
      gtk_widget_set_size_request (view, -1, COMPARE_CHART_MIN_HEIGHT);
      ptl_chart_view_set_chart (PTL_CHART_VIEW (view), self->compare, ptl_chart_get_id (chart));
      ptl_chart_view_set_exportable (PTL_CHART_VIEW (view), TRUE);
      gtk_box_append (GTK_BOX (card), view);
      gtk_flow_box_append (self->charts_box, card);
      gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
    }
  ptl_summary_grid_fill (self->summary_grid, ptl_result_get_summary (self->compare));
}

static void
ptl_compare_view_chooser_response_cb (PtlCompareView       *self,
                                      int                   response,
                                      GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL && !ptl_compare_view_add_file (self, file, &error))
    ptl_compare_view_toast (self, error->message);
}

static void
ptl_compare_view_add_file_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  PtlCompareView *self = PTL_COMPARE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Add a Result to Compare"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Results (JSON)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (ptl_compare_view_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
ptl_compare_view_dispose (GObject *object)
{
  PtlCompareView *self = PTL_COMPARE_VIEW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_COMPARE_VIEW);
  g_clear_object (&self->compare);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);

  G_OBJECT_CLASS (ptl_compare_view_parent_class)->dispose (object);
}

static void
ptl_compare_view_class_init (PtlCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_compare_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, stack);
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, title_label);
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, runs_list);
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, notes_label);
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, charts_box);
  gtk_widget_class_bind_template_child (widget_class, PtlCompareView, summary_grid);

  gtk_widget_class_install_action (widget_class, "compare.add-file", NULL, ptl_compare_view_add_file_action);
}

static void
ptl_compare_view_init (PtlCompareView *self)
{
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
  self->names = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ptl_compare_view_new (void)
{
  return g_object_new (PTL_TYPE_COMPARE_VIEW, NULL);
}

gboolean
ptl_compare_view_set_runs (PtlCompareView      *self,
                           GPtrArray           *results,
                           const char * const  *names,
                           GError             **error)
{
  g_autoptr(PtlResult) compare = NULL;

  g_return_val_if_fail (PTL_IS_COMPARE_VIEW (self), FALSE);
  g_return_val_if_fail (results != NULL && names != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One run waits for a second; the comparison itself checks the rest. */
  if (results->len >= PTL_COMPARE_MIN_RUNS)
    {
      compare = ptl_compare_results ((PtlResult * const *) results->pdata, names, results->len, error);
      if (compare == NULL)
        return FALSE;
    }

  g_ptr_array_set_size (self->results, 0);
  g_ptr_array_set_size (self->names, 0);
  for (guint i = 0; i < results->len; i++)
    {
      g_ptr_array_add (self->results, g_object_ref (g_ptr_array_index (results, i)));
      g_ptr_array_add (self->names, g_strdup (names[i]));
    }
  g_set_object (&self->compare, compare);

  ptl_compare_view_fill_runs (self);
  ptl_compare_view_fill_results (self);
  gtk_stack_set_visible_child_name (self->stack, results->len > 0 ? "results" : "empty");
  return TRUE;
}

gboolean
ptl_compare_view_add_file (PtlCompareView  *self,
                           GFile           *file,
                           GError         **error)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (PTL_IS_COMPARE_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  basename = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), g_file_peek_path (file));
      return FALSE;
    }
  if ((result = ptl_result_load_json (path, error)) == NULL)
    return FALSE;

  ptl_compare_view_copy_runs (self, &results, &names);
  g_ptr_array_add (results, g_steal_pointer (&result));
  g_ptr_array_add (names, ptl_compare_dup_run_name (g_ptr_array_index (results, results->len - 1), NULL, basename));
  if (results->len >= 2)
    {
      /* Before the comparison says it, in the words of a file. */
      PtlResult *first = g_ptr_array_index (results, 0);
      PtlResult *added = g_ptr_array_index (results, results->len - 1);

      if (g_strcmp0 (ptl_result_get_experiment_id (first), ptl_result_get_experiment_id (added)) != 0)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("“%s” is a result of “%s”; the runs compared here are of “%s”"),
                       basename, ptl_result_get_experiment_id (added), ptl_result_get_experiment_id (first));
          return FALSE;
        }
    }
  g_ptr_array_add (names, NULL);
  return ptl_compare_view_set_runs (self, results, (const char * const *) names->pdata, error);
}

guint
ptl_compare_view_get_n_runs (PtlCompareView *self)
{
  g_return_val_if_fail (PTL_IS_COMPARE_VIEW (self), 0);

  return self->results->len;
}

PtlResult *
ptl_compare_view_get_result (PtlCompareView *self)
{
  g_return_val_if_fail (PTL_IS_COMPARE_VIEW (self), NULL);

  return self->compare;
}
