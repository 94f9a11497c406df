/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-compare-view.h"
#include "ptl-experiment-page.h"
#include "ptl-history-view.h"
#include "ptl-registry.h"
#include "ptl-step-window.h"
#include "ptl-window-private.h"

struct _PtlWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwLeaflet          *leaflet;
  GtkSearchEntry      *search_entry;
  GtkListBox          *experiment_list;
  GtkToggleButton     *params_button;
  AdwWindowTitle      *content_title;
  GtkStack            *run_stack;
  GtkStack            *pages;
  GtkWidget           *step_button;
  PtlHistoryView      *history_view;
  PtlCompareView      *compare_view;

  /* owned */
  PtlStore            *store;        /* opened when first needed */
  GtkNativeDialog     *open_dialog;
  GtkNativeDialog     *save_dialog;
  gboolean             close_confirmed;
  GSettings           *settings;
  char               **search_words; /* casefolded, NULL when not searching */
  GBinding            *folded_binding;   /* the visible page's, to the params button */
  GBinding            *revealed_binding;

  /* borrowed: weak, the step mode window while it is open */
  PtlStepWindow       *step_window;
};

G_DEFINE_FINAL_TYPE (PtlWindow, ptl_window, ADW_TYPE_APPLICATION_WINDOW)

/* Each page lives as long as the window, named after its experiment's
 * id, so its parameters and latest result stay while another is shown and
 * its run goes on. A page is made when its experiment is first shown. */

#define ROW_EXPERIMENT "ptl-experiment"
#define ROW_RUNNING    "ptl-running"

static PtlExperiment *
row_get_experiment (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), ROW_EXPERIMENT);
}

static PtlExperimentPage *
ptl_window_get_visible_page (PtlWindow *self)
{
  GtkWidget *child;

  /* The template is torn down before the pages stop notifying. */
  if (self->pages == NULL)
    return NULL;
  child = gtk_stack_get_visible_child (self->pages);
  return PTL_IS_EXPERIMENT_PAGE (child) ? PTL_EXPERIMENT_PAGE (child) : NULL;
}

static GtkListBoxRow *
ptl_window_find_row (PtlWindow  *self,
                     const char *id)
{
  GtkListBoxRow *row;

  if (self->experiment_list == NULL)
    return NULL;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->experiment_list, i)) != NULL; i++)
    if (g_strcmp0 (ptl_experiment_get_id (row_get_experiment (row)), id) == 0)
      return row;
  return NULL;
}

static GtkWidget *
ptl_window_create_row (PtlExperiment *experiment)
{
  GtkWidget *row;
  GtkWidget *hbox;
  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *summary;
  GtkWidget *running;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  title = gtk_label_new (ptl_experiment_get_title (experiment));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), title);

  summary = gtk_label_new (ptl_experiment_get_summary (experiment));
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_lines (GTK_LABEL (summary), 2);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (summary), 30);
  gtk_widget_add_css_class (summary, "caption");
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_box_append (GTK_BOX (box), summary);

  /* A still mark, not a spinner: an animation would take CPU time from
   * the run it reports. */
  running = gtk_image_new_from_icon_name ("media-playback-start-symbolic");
  gtk_widget_set_valign (running, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (running, FALSE);
  gtk_widget_set_tooltip_text (running, _("Running"));
  gtk_widget_add_css_class (running, "ptl-running");
  gtk_accessible_update_property (GTK_ACCESSIBLE (running),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Running"),
                                  -1);

  hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (hbox), box);
  gtk_box_append (GTK_BOX (hbox), running);

  /* No tooltip: the summary is on the row already, and a tooltip of it
   * covered the rows below. */
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), hbox);
  g_object_set_data_full (G_OBJECT (row), ROW_EXPERIMENT,
                          g_object_ref (experiment), g_object_unref);
  g_object_set_data (G_OBJECT (row), ROW_RUNNING, running);
  return row;
}

/* Rows in the registry's order, but grouped by category (in the order the
 * categories first appear) so each category gets one header. */
static void
ptl_window_populate (PtlWindow *self)
{
  g_autoptr(GPtrArray) experiments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) categories = g_ptr_array_new ();
  const GType *types;
  guint n_types;

  types = ptl_registry_list_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      PtlExperiment *experiment = g_object_new (types[i], NULL);
      const char *category = ptl_experiment_get_category (experiment);

      g_ptr_array_add (experiments, experiment);
      if (!g_ptr_array_find_with_equal_func (categories, category, g_str_equal, NULL))
        g_ptr_array_add (categories, (gpointer) category);
    }

  for (guint c = 0; c < categories->len; c++)
    for (guint i = 0; i < experiments->len; i++)
      {
        PtlExperiment *experiment = g_ptr_array_index (experiments, i);

        if (g_str_equal (ptl_experiment_get_category (experiment),
                         g_ptr_array_index (categories, c)))
          gtk_list_box_append (self->experiment_list, ptl_window_create_row (experiment));
      }
}

static void
ptl_window_header_func (GtkListBoxRow *row,
                        GtkListBoxRow *before,
                        gpointer       user_data)
{
  const char *category = ptl_experiment_get_category (row_get_experiment (row));
  GtkWidget *header;

  if (before != NULL &&
      g_strcmp0 (category, ptl_experiment_get_category (row_get_experiment (before))) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (category);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "ptl-sidebar-heading");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
contains_casefolded (const char *haystack,
                     const char *word)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, word) != NULL;
}

/* Every word of the search must appear in the title, the summary or the
 * category. */
static gboolean
ptl_window_filter_func (GtkListBoxRow *row,
                        gpointer       user_data)
{
  PtlWindow *self = user_data;
  PtlExperiment *experiment = row_get_experiment (row);

  if (self->search_words == NULL)
    return TRUE;

  for (guint i = 0; self->search_words[i] != NULL; i++)
    {
      const char *word = self->search_words[i];

      if (!contains_casefolded (ptl_experiment_get_title (experiment), word) &&
          !contains_casefolded (ptl_experiment_get_summary (experiment), word) &&
          !contains_casefolded (ptl_experiment_get_category (experiment), word))
        return FALSE;
    }
  return TRUE;
}

static GtkListBoxRow *
ptl_window_first_visible_row (PtlWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->experiment_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
ptl_window_search_changed_cb (PtlWindow      *self,
                              GtkSearchEntry *entry)
{
  g_autofree char *folded = NULL;

  g_clear_pointer (&self->search_words, g_strfreev);
  folded = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
  g_strstrip (folded);
  if (*folded != '\0')
    self->search_words = g_strsplit_set (folded, " \t", -1);

  /* Splitting on runs of blanks leaves empty words; they match anything
   * and are harmless. */
  gtk_list_box_invalidate_filter (self->experiment_list);
  gtk_list_box_invalidate_headers (self->experiment_list);
}

static void
ptl_window_search_activate_cb (PtlWindow      *self,
                               GtkSearchEntry *entry)
{
  GtkListBoxRow *row = ptl_window_first_visible_row (self);

  if (row != NULL)
    {
      gtk_list_box_select_row (self->experiment_list, row);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
    }
}

static void
ptl_window_stop_search_cb (PtlWindow      *self,
                           GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
ptl_window_page_notify_cb (PtlWindow         *self,
                           GParamSpec        *pspec,
                           PtlExperimentPage *page)
{
  /* Pages behind the visible one run on; the sidebar shows which. */
  if (g_strcmp0 (pspec->name, "running") == 0)
    {
      PtlExperiment *experiment = ptl_experiment_page_get_experiment (page);
      GtkListBoxRow *row = experiment ? ptl_window_find_row (self, ptl_experiment_get_id (experiment)) : NULL;

      if (row != NULL)
        gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), ROW_RUNNING),
                                ptl_experiment_page_get_running (page));
    }

  if (page == ptl_window_get_visible_page (self))
    ptl_window_update_actions (self);
}

/* The run history, opened on first use (a save or History) and then
 * shared with History; NULL with @error when it cannot be. */
static PtlStore *
ptl_window_get_store (PtlWindow  *self,
                      GError    **error)
{
  if (self->store == NULL && (self->store = ptl_store_open (NULL, error)) != NULL)
    ptl_history_view_set_store (self->history_view, self->store, NULL);
  return self->store;
}

static void
ptl_window_show_error (PtlWindow    *self,
                       const char   *heading,
                       const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every run that ends with a result goes into the history unless the
 * user turned that off; what could not be saved stays marked unsaved,
 * and closing the window asks about it. */
static void
ptl_window_run_finished_cb (PtlWindow         *self,
                            PtlResult         *result,
                            PtlExperimentPage *page)
{
  g_autoptr(GError) error = NULL;
  PtlStore *store;

  if (!g_settings_get_boolean (self->settings, "save-runs"))
    return;
  if ((store = ptl_window_get_store (self, &error)) == NULL ||
      ptl_store_save (store, result, NULL, 0, &error) == 0)
    {
      ptl_window_show_error (self, _("The Run Was Not Saved in the History"), error);
      return;
    }
  ptl_experiment_page_mark_saved (page);
  ptl_history_view_invalidate (self->history_view);
}

static PtlExperimentPage *
ptl_window_ensure_page (PtlWindow     *self,
                        PtlExperiment *experiment)
{
  const char *id = ptl_experiment_get_id (experiment);
  GtkWidget *page = gtk_stack_get_child_by_name (self->pages, id);

  if (page != NULL)
    return PTL_EXPERIMENT_PAGE (page);

  page = ptl_experiment_page_new ();
  ptl_experiment_page_set_experiment (PTL_EXPERIMENT_PAGE (page), experiment);
  gtk_stack_add_named (self->pages, page, id);
  g_signal_connect_object (page, "notify",
                           G_CALLBACK (ptl_window_page_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "run-finished",
                           G_CALLBACK (ptl_window_run_finished_cb), self,
                           G_CONNECT_SWAPPED);
  return PTL_EXPERIMENT_PAGE (page);
}

static void
ptl_window_row_selected_cb (PtlWindow     *self,
                            GtkListBoxRow *row,
                            GtkListBox    *list)
{
  PtlExperimentPage *page;
  PtlExperiment *experiment;

  /* Filtering can drop the selection; the page keeps what it shows. */
  if (row == NULL)
    return;

  experiment = row_get_experiment (row);
  page = ptl_window_ensure_page (self, experiment);
  gtk_stack_set_visible_child (self->pages, GTK_WIDGET (page));

  g_clear_pointer (&self->folded_binding, g_binding_unbind);
  g_clear_pointer (&self->revealed_binding, g_binding_unbind);
  self->folded_binding = g_object_bind_property (page, "params-folded", self->params_button, "visible",
                                                 G_BINDING_SYNC_CREATE);
  self->revealed_binding = g_object_bind_property (page, "params-revealed", self->params_button, "active",
                                                   G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  adw_window_title_set_title (self->content_title, ptl_experiment_get_title (experiment));
  adw_window_title_set_subtitle (self->content_title, ptl_experiment_get_category (experiment));
  g_settings_set_string (self->settings, "last-experiment", ptl_experiment_get_id (experiment));
  ptl_window_update_actions (self);
}

static void
ptl_window_row_activated_cb (PtlWindow     *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
ptl_window_back_cb (PtlWindow *self,
                    GtkButton *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
ptl_window_run_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PtlExperimentPage *page = ptl_window_get_visible_page (PTL_WINDOW (widget));

  if (page != NULL)
    ptl_experiment_page_run (page);
}

static void
ptl_window_cancel_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PtlExperimentPage *page = ptl_window_get_visible_page (PTL_WINDOW (widget));

  if (page != NULL)
    ptl_experiment_page_cancel (page);
}

static void
ptl_window_export_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PtlExperimentPage *page = ptl_window_get_visible_page (PTL_WINDOW (widget));

  if (page != NULL)
    ptl_experiment_page_export (page);
}

/* Opens step mode (or brings it up) on scenario @parameter; "" for the
 * one of the experiment shown, else the first. */
static void
ptl_window_step_through_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PtlWindow *self = PTL_WINDOW (widget);
  PtlExperimentPage *page = ptl_window_get_visible_page (self);
  const char *id = g_variant_get_string (parameter, NULL);
  const PtlStepScenario *scenario = NULL;

  if (*id == '\0' && page != NULL && ptl_experiment_page_get_experiment (page) != NULL)
    scenario = ptl_step_find_scenario_for_experiment (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)));
  if (*id == '\0')
    id = scenario != NULL ? scenario->id : ptl_step_list_scenarios ()[0];

  if (self->step_window == NULL)
    {
      self->step_window = ptl_step_window_new ();
      g_object_add_weak_pointer (G_OBJECT (self->step_window), (gpointer *) &self->step_window);
      gtk_window_set_transient_for (GTK_WINDOW (self->step_window), GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->step_window), TRUE);
    }
  ptl_step_window_set_scenario (self->step_window, id);
  gtk_window_present (GTK_WINDOW (self->step_window));
}

/* History and Compare take the content's place; the sidebar loses its
 * selection so that any experiment, the last one too, brings its page
 * back. */
static void
ptl_window_show_view (PtlWindow  *self,
                      const char *name,
                      const char *title,
                      const char *subtitle)
{
  gtk_list_box_unselect_all (self->experiment_list);
  g_clear_pointer (&self->folded_binding, g_binding_unbind);
  g_clear_pointer (&self->revealed_binding, g_binding_unbind);
  gtk_widget_set_visible (GTK_WIDGET (self->params_button), FALSE);
  gtk_stack_set_visible_child_name (self->pages, name);
  adw_window_title_set_title (self->content_title, title);
  adw_window_title_set_subtitle (self->content_title, subtitle);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  ptl_window_update_actions (self);
}

static void
ptl_window_history_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PtlWindow *self = PTL_WINDOW (widget);

  /* A history that failed to open is tried again next time; History
   * says why meanwhile. */
  if (self->store == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (ptl_window_get_store (self, &error) == NULL)
        ptl_history_view_set_store (self->history_view, NULL, error);
    }
  /* Read again on each showing: `ptlab run` may have saved meanwhile. */
  else if (!gtk_widget_get_mapped (GTK_WIDGET (self->history_view)))
    ptl_history_view_invalidate (self->history_view);
  ptl_window_show_view (self, "history", _("History"), _("Saved runs"));
  ptl_history_view_focus_search (self->history_view);
}

static void
ptl_window_compare_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ptl_window_show_view (PTL_WINDOW (widget), "compare", _("Compare Runs"), NULL);
}

static void
ptl_window_history_open_cb (PtlWindow      *self,
                            PtlResult      *result,
                            const char     *name,
                            PtlHistoryView *view)
{
  g_autoptr(GError) error = NULL;

  if (!ptl_window_show_experiment (self, ptl_result_get_experiment_id (result)))
    g_set_error (&error, PTL_ERROR, PTL_ERROR_UNKNOWN_EXPERIMENT,
                 _("“%s” is a result of “%s”, an experiment this version of the lab does not have"),
                 name, ptl_result_get_experiment_id (result));
  else
    ptl_experiment_page_open_result (ptl_window_get_visible_page (self), result, name, &error);
  if (error != NULL)
    ptl_window_show_error (self, _("Could Not Open the Run"), error);
}

static void
ptl_window_history_compare_cb (PtlWindow      *self,
                               GPtrArray      *results,
                               char          **names,
                               PtlHistoryView *view)
{
  g_autoptr(GError) error = NULL;

  if (!ptl_compare_view_set_runs (self->compare_view, results, (const char * const *) names, &error))
    {
      ptl_window_show_error (self, _("Could Not Compare the Runs"), error);
      return;
    }
  ptl_window_compare_action (GTK_WIDGET (self), "win.compare", NULL);
}

void
_ptl_window_open_chosen (PtlWindow *self,
                         GFile     *file)
{
  g_return_if_fail (PTL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  ptl_window_open_files (self, &file, 1);
}

static void
ptl_window_open_response_cb (PtlWindow            *self,
                             int                   response,
                             GtkFileChooserNative *dialog)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->open_dialog);
  if (file != NULL)
    _ptl_window_open_chosen (self, file);
}

static void
ptl_window_open_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PtlWindow *self = PTL_WINDOW (widget);
  g_autoptr(GtkFileFilter) results = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->open_dialog != NULL)
    return;
  self->open_dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Open a Saved Result"), GTK_WINDOW (self),
                                                                      GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                      _("_Open"), _("_Cancel")));
  gtk_file_filter_set_name (results, _("Results (JSON)"));
  gtk_file_filter_add_suffix (results, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->open_dialog), results);
  /* Workloads open too, as `ptlab FILE` does. */
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->open_dialog), all);
  gtk_native_dialog_set_modal (self->open_dialog, TRUE);
  g_signal_connect_object (self->open_dialog, "response", G_CALLBACK (ptl_window_open_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->open_dialog);
}

gboolean
_ptl_window_drop (PtlWindow    *self,
                  const GValue *value)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  GSList *list;

  g_return_val_if_fail (PTL_IS_WINDOW (self), FALSE);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  g_slist_free (list);
  if (files->len == 0)
    return FALSE;
  ptl_window_open_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

static gboolean
ptl_window_drop_cb (PtlWindow     *self,
                    const GValue  *value,
                    double         x,
                    double         y,
                    GtkDropTarget *target)
{
  return _ptl_window_drop (self, value);
}

/* The pages whose result would be lost with the window: @running, those
 * whose run goes on (closing stops it), else those with a result kept
 * nowhere. */
static GPtrArray *
ptl_window_dup_pages (PtlWindow *self,
                      gboolean   running)
{
  GPtrArray *pages = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->pages));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PtlExperimentPage *page = PTL_IS_EXPERIMENT_PAGE (child) ? PTL_EXPERIMENT_PAGE (child) : NULL;

      if (page != NULL && (running ? ptl_experiment_page_get_running (page)
                                   : ptl_experiment_page_get_unsaved (page)))
        g_ptr_array_add (pages, page);
    }
  return pages;
}

/* "\n• Title" for each page. */
static char *
ptl_window_list_pages (GPtrArray *pages)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < pages->len; i++)
    g_string_append_printf (list, "\n• %s",
                            ptl_experiment_get_title (ptl_experiment_page_get_experiment (g_ptr_array_index (pages, i))));
  return g_string_free (list, FALSE);
}

gboolean
_ptl_window_save_unsaved (PtlWindow  *self,
                          GFile      *folder,
                          GError    **error)
{
  g_autoptr(GPtrArray) unsaved = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (PTL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (folder), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((path = g_file_get_path (folder)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local folder"), g_file_peek_path (folder));
      return FALSE;
    }
  unsaved = ptl_window_dup_pages (self, FALSE);
  for (guint i = 0; i < unsaved->len; i++)
    {
      PtlExperimentPage *page = g_ptr_array_index (unsaved, i);
      PtlResult *result = ptl_experiment_page_get_result (page);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *file = NULL;

      /* Never over an earlier save. */
      for (guint n = 1; file == NULL || g_file_test (file, G_FILE_TEST_EXISTS); n++)
        {
          g_autofree char *name = n == 1
            ? g_strdup_printf ("%s-%s.json", ptl_result_get_experiment_id (result), stamp)
            : g_strdup_printf ("%s-%s-%u.json", ptl_result_get_experiment_id (result), stamp, n);

          g_free (file);
          file = g_build_filename (path, name, NULL);
        }
      if (!ptl_result_save_json (result, file, error))
        return FALSE;
      ptl_experiment_page_mark_saved (page);
    }
  return TRUE;
}

static void
ptl_window_save_response_cb (PtlWindow            *self,
                             int                   response,
                             GtkFileChooserNative *dialog)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->save_dialog);
  if (folder == NULL)
    return;
  if (!_ptl_window_save_unsaved (self, folder, &error))
    {
      ptl_window_show_error (self, _("Could Not Save the Runs"), error);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

void
_ptl_window_close_response (PtlWindow  *self,
                            const char *response)
{
  g_return_if_fail (PTL_IS_WINDOW (self));

  if (g_str_equal (response, "discard"))
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (g_str_equal (response, "save") && self->save_dialog == NULL)
    {
      self->save_dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Save the Runs in a Folder"),
                                                                          GTK_WINDOW (self),
                                                                          GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                                          _("_Save"), _("_Cancel")));
      gtk_native_dialog_set_modal (self->save_dialog, TRUE);
      g_signal_connect_object (self->save_dialog, "response", G_CALLBACK (ptl_window_save_response_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_native_dialog_show (self->save_dialog);
    }
}

static void
ptl_window_close_dialog_response_cb (PtlWindow        *self,
                                     const char       *response,
                                     AdwMessageDialog *dialog)
{
  _ptl_window_close_response (self, response);
}

static gboolean
ptl_window_close_request (GtkWindow *window)
{
  PtlWindow *self = PTL_WINDOW (window);
  g_autoptr(GPtrArray) unsaved = ptl_window_dup_pages (self, FALSE);
  g_autoptr(GPtrArray) running = ptl_window_dup_pages (self, TRUE);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if ((unsaved->len == 0 && running->len == 0) || self->close_confirmed)
    return GTK_WINDOW_CLASS (ptl_window_parent_class)->close_request (window);

  if (unsaved->len > 0)
    {
      g_autofree char *list = ptl_window_list_pages (unsaved);

      g_string_append_printf (body, ngettext ("This run is in no history and no file; closing loses it:%s",
                                              "These runs are in no history and no file; closing loses them:%s",
                                              unsaved->len),
                              list);
    }
  /* A run still going has no result to save yet: waiting is the way to
   * keep it. */
  if (running->len > 0)
    {
      g_autofree char *list = ptl_window_list_pages (running);

      if (body->len > 0)
        g_string_append (body, "\n\n");
      g_string_append_printf (body, ngettext ("This run is still going; closing stops it and keeps nothing of it:%s",
                                              "These runs are still going; closing stops them and keeps nothing of them:%s",
                                              running->len),
                              list);
    }

  if (unsaved->len > 0)
    dialog = adw_message_dialog_new (window, ngettext ("Save the Run Before Closing?",
                                                       "Save the Runs Before Closing?", unsaved->len), body->str);
  else
    dialog = adw_message_dialog_new (window, ngettext ("Stop the Run and Close?",
                                                       "Stop the Runs and Close?", running->len), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", unsaved->len > 0 ? _("_Discard") : _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (unsaved->len > 0)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "save", _("_Save to Files…"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (ptl_window_close_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
ptl_window_export_report_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  PtlExperimentPage *page = ptl_window_get_visible_page (PTL_WINDOW (widget));

  if (page != NULL)
    ptl_experiment_page_export_report (page);
}

static void
ptl_window_search_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PtlWindow *self = PTL_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
ptl_window_dispose (GObject *object)
{
  PtlWindow *self = PTL_WINDOW (object);

  /* Unbinding also drops the bindings' references. Each page cancels its
   * run when disposed with the template; the run holds the application
   * until its children are reaped and its threads joined. */
  g_clear_pointer (&self->folded_binding, g_binding_unbind);
  g_clear_pointer (&self->revealed_binding, g_binding_unbind);
  if (self->step_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->step_window), (gpointer *) &self->step_window);
  self->step_window = NULL;
  if (self->open_dialog != NULL)
    gtk_native_dialog_destroy (self->open_dialog);
  g_clear_object (&self->open_dialog);
  if (self->save_dialog != NULL)
    gtk_native_dialog_destroy (self->save_dialog);
  g_clear_object (&self->save_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ptl_window_parent_class)->dispose (object);
}

static void
ptl_window_finalize (GObject *object)
{
  PtlWindow *self = PTL_WINDOW (object);

  g_clear_object (&self->settings);
  g_strfreev (self->search_words);

  G_OBJECT_CLASS (ptl_window_parent_class)->finalize (object);
}

static void
ptl_window_class_init (PtlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_window_dispose;
  object_class->finalize = ptl_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = ptl_window_close_request;

  g_type_ensure (PTL_TYPE_EXPERIMENT_PAGE);
  g_type_ensure (PTL_TYPE_HISTORY_VIEW);
  g_type_ensure (PTL_TYPE_COMPARE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, step_button);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, experiment_list);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, params_button);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, run_stack);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, history_view);
  gtk_widget_class_bind_template_child (widget_class, PtlWindow, compare_view);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_history_open_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_history_compare_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_window_back_cb);

  gtk_widget_class_install_action (widget_class, "win.run", NULL, ptl_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, ptl_window_cancel_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, ptl_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, ptl_window_export_report_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, ptl_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.step-through", "s", ptl_window_step_through_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, ptl_window_history_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, ptl_window_compare_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, ptl_window_open_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
}

static void
ptl_window_init (PtlWindow *self)
{
  g_autofree char *last = NULL;
  GtkListBoxRow *row;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A result or workload file dropped anywhere on the window opens. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (ptl_window_drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  gtk_list_box_set_header_func (self->experiment_list, ptl_window_header_func, NULL, NULL);
  gtk_list_box_set_filter_func (self->experiment_list, ptl_window_filter_func, self, NULL);
  gtk_list_box_set_placeholder (self->experiment_list,
                                g_object_new (GTK_TYPE_LABEL,
                                              "label", _("No matching experiments"),
                                              "margin-top", 24,
                                              "margin-bottom", 24,
                                              "css-classes", (const char *[]) { "dim-label", NULL },
                                              NULL));
  ptl_window_populate (self);

  last = g_settings_get_string (self->settings, "last-experiment");
  if (!ptl_window_show_experiment (self, last) &&
      (row = gtk_list_box_get_row_at_index (self->experiment_list, 0)) != NULL)
    gtk_list_box_select_row (self->experiment_list, row);

  /* Start on the list, so the arrow keys switch experiments; Ctrl+F
   * searches. */
  row = gtk_list_box_get_selected_row (self->experiment_list);
  if (row != NULL)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (row));

  ptl_window_update_actions (self);
}

PtlWindow *
ptl_window_new (PtlApplication *application)
{
  g_return_val_if_fail (application == NULL || PTL_IS_APPLICATION (application), NULL);

  return g_object_new (PTL_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

gboolean
ptl_window_show_experiment (PtlWindow  *self,
                            const char *id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PTL_IS_WINDOW (self), FALSE);

  if (id == NULL || (row = ptl_window_find_row (self, id)) == NULL)
    return FALSE;

  gtk_list_box_select_row (self->experiment_list, row);
  return TRUE;
}

void
ptl_window_update_actions (PtlWindow *self)
{
  PtlExperimentPage *page;
  gboolean running;

  g_return_if_fail (PTL_IS_WINDOW (self));

  /* Pages still notify while the window's template is torn down. */
  if (self->run_stack == NULL)
    return;

  /* Run, cancel and export act on the page shown. */
  page = ptl_window_get_visible_page (self);
  running = page != NULL && ptl_experiment_page_get_running (page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run",
                                 page != NULL && ptl_experiment_page_get_can_run (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel",
                                 page != NULL && ptl_experiment_page_get_can_cancel (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 page != NULL && ptl_experiment_page_get_can_export (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report",
                                 page != NULL && ptl_experiment_page_get_can_export (page));
  gtk_stack_set_visible_child_name (self->run_stack, running ? "cancel" : "run");
  /* Step mode is one click away from the experiments it steps through. */
  gtk_widget_set_visible (self->step_button,
                          page != NULL && ptl_experiment_page_get_experiment (page) != NULL &&
                          ptl_step_find_scenario_for_experiment (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page))) != NULL);
  /* History and Compare have nothing to run. */
  gtk_widget_set_visible (GTK_WIDGET (self->run_stack), page != NULL);
}

PtlExperimentPage *
_ptl_window_get_page (PtlWindow *self)
{
  g_return_val_if_fail (PTL_IS_WINDOW (self), NULL);

  return ptl_window_get_visible_page (self);
}

GtkListBox *
_ptl_window_get_experiment_list (PtlWindow *self)
{
  g_return_val_if_fail (PTL_IS_WINDOW (self), NULL);

  return self->experiment_list;
}

PtlHistoryView *
_ptl_window_get_history (PtlWindow *self)
{
  g_return_val_if_fail (PTL_IS_WINDOW (self), NULL);

  return self->history_view;
}

PtlCompareView *
_ptl_window_get_compare (PtlWindow *self)
{
  g_return_val_if_fail (PTL_IS_WINDOW (self), NULL);

  return self->compare_view;
}

GtkEditable *
_ptl_window_get_search_entry (PtlWindow *self)
{
  g_return_val_if_fail (PTL_IS_WINDOW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

/* A file is a result when the result loader takes it, else the input
 * table of the first experiment in the sidebar whose loader takes it (a
 * scheduling workload, a banker's state); a CSV file can only be a table. */
gboolean
ptl_window_open_file (PtlWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) result_error = NULL;
  g_autoptr(GString) table_errors = g_string_new (NULL);
  g_autoptr(GPtrArray) tried = g_ptr_array_new ();
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  GtkListBoxRow *row;

  g_return_val_if_fail (PTL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), g_file_peek_path (file));
      return FALSE;
    }

  if (!g_str_has_suffix (path, ".csv"))
    result = ptl_result_load_json (path, &result_error);
  if (result != NULL)
    {
      const char *id = ptl_result_get_experiment_id (result);

      if (!ptl_window_show_experiment (self, id))
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_UNKNOWN_EXPERIMENT,
                       _("“%s” is a result of “%s”, an experiment this version of the lab does not have"),
                       name, id);
          return FALSE;
        }
      return ptl_experiment_page_open_result (ptl_window_get_visible_page (self), result, name, error);
    }

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->experiment_list, i)) != NULL; i++)
    {
      PtlExperiment *experiment = row_get_experiment (row);
      const PtlTableSpec *spec = experiment ? ptl_experiment_get_table_spec (experiment) : NULL;
      g_autoptr(PtlTableInput) input = NULL;
      g_autoptr(GError) table_error = NULL;

      /* Experiments sharing a declaration share its loader: try it once. */
      if (spec == NULL || g_ptr_array_find (tried, spec, NULL))
        continue;
      g_ptr_array_add (tried, (gpointer) spec);
      input = spec->load (path, &table_error);
      if (input != NULL)
        {
          gtk_list_box_select_row (self->experiment_list, row);
          return ptl_experiment_page_import_table (ptl_window_get_visible_page (self), file, error);
        }
      /* TRANSLATORS: a table's title and why the file is not one, e.g.
       * "As “Workload”: line 3, column 2: …" */
      g_string_append_printf (table_errors, _("\n\nAs “%s”: %s"),
                              _(spec->title), table_error->message);
    }

  if (result_error == NULL)
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                 _("“%s” is not a table any experiment here takes.%s"), name, table_errors->str);
  else
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                 _("“%s” is neither a result saved by Process Thread Lab nor a table an experiment takes.\n\n"
                   "As a result: %s%s"),
                 name, result_error->message, table_errors->str);
  return FALSE;
}

void
ptl_window_open_files (PtlWindow  *self,
                       GFile     **files,
                       int         n_files)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  int n_failed = 0;

  g_return_if_fail (PTL_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  for (int i = 0; i < n_files; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!ptl_window_open_file (self, files[i], &error))
        {
          g_string_append_printf (problems, "%s%s", n_failed > 0 ? "\n\n" : "", error->message);
          n_failed++;
        }
    }

  if (n_failed > 0)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  ngettext ("Could Not Open the File",
                                                            "Could Not Open the Files", n_failed),
                                                  problems->str);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}
