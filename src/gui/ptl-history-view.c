/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-history-view"

#include "config.h"

#include <glib/gi18n.h>
/* PRId64 in translatable strings: xgettext knows only <inttypes.h>. */
#include <inttypes.h>

#include "ptl-compare.h"
#include "ptl-history-view-private.h"
#include "ptl-registry.h"

/* The list is a GListStore of small items read in one query, under a filter model for the search and the experiment
 * and a multi-selection; the column view makes widgets only for the rows
 * on screen, so ten thousand runs cost ten thousand small objects and no
 * more. Nothing of a run's charts is read until it is opened. */

struct _PtlHistoryView
{
  GtkWidget          parent_instance;

  /* template widgets */
  AdwToastOverlay   *toast_overlay;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *experiment_dropdown;
  GtkStack          *stack;
  GtkColumnView     *column_view;
  AdwStatusPage     *status_page;
  GtkLabel          *count_label;

  /* owned */
  PtlStore          *store;
  GListStore        *items;      /* PtlHistoryItem, newest first */
  GtkFilterListModel *filtered;
  GtkMultiSelection *selection;
  GtkCustomFilter   *filter;
  GPtrArray         *experiment_ids; /* the dropdown's, index 0 (all) is NULL */
  GHashTable        *titles;     /* experiment id → title */
  char             **search_words;
  char              *store_error;
  double             load_ms;
  gboolean           stale;
  gboolean           filling;    /* the experiment filter's choices change */
};

G_DEFINE_FINAL_TYPE (PtlHistoryView, ptl_history_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_RESULT,
  SIGNAL_COMPARE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ptl_history_view_toast (PtlHistoryView *self,
                        const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
ptl_history_view_show_error (PtlHistoryView *self,
                             const char     *heading,
                             const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The selected rows, in the order shown (newest first). */
static GPtrArray *
ptl_history_view_dup_selected (PtlHistoryView *self)
{
  GPtrArray *selected = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, set, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (selected, g_list_model_get_item (G_LIST_MODEL (self->filtered), position));
  return selected;
}

static void
ptl_history_view_update_actions (PtlHistoryView *self)
{
  g_autoptr(GPtrArray) selected = ptl_history_view_dup_selected (self);
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  g_autofree char *count = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.open", selected->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.rename", selected->len == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.delete", selected->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.compare",
                                 selected->len >= PTL_COMPARE_MIN_RUNS && selected->len <= PTL_COMPARE_MAX_RUNS);

  if (selected->len > 0)
    count = g_strdup_printf (ngettext ("%u of %u run selected", "%u of %u runs selected", n_shown),
                             selected->len, n_shown);
  else if (n_shown < n_all)
    count = g_strdup_printf (ngettext ("%u of %u run shown", "%u of %u runs shown", n_all), n_shown, n_all);
  else
    count = g_strdup_printf (ngettext ("%u run", "%u runs", n_all), n_all);
  gtk_label_set_text (self->count_label, count);

  if (self->store_error != NULL)
    {
      adw_status_page_set_title (self->status_page, _("The Run History Could Not Be Opened"));
      adw_status_page_set_description (self->status_page, self->store_error);
    }
  else if (n_all == 0)
    {
      adw_status_page_set_title (self->status_page, _("No Saved Runs Yet"));
      adw_status_page_set_description (self->status_page,
                                       _("Every run made in this window or with “ptlab run” is saved here."));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("No Matching Runs"));
      adw_status_page_set_description (self->status_page, _("Try other words or every experiment."));
    }
  gtk_stack_set_visible_child_name (self->stack, n_shown > 0 ? "list" : "empty");
}

static gboolean
ptl_history_view_filter_func (gpointer item,
                              gpointer user_data)
{
  PtlHistoryView *self = user_data;
  guint chosen = gtk_drop_down_get_selected (self->experiment_dropdown);
  const char *experiment = NULL;

  if (chosen != GTK_INVALID_LIST_POSITION && chosen < self->experiment_ids->len)
    experiment = g_ptr_array_index (self->experiment_ids, chosen);
  if (experiment != NULL && g_strcmp0 (ptl_history_item_get_experiment (item), experiment) != 0)
    return FALSE;
  return ptl_history_item_matches (item, self->search_words);
}

static const char *
ptl_history_view_title_of (PtlHistoryView *self,
                           const char     *experiment)
{
  const char *title = g_hash_table_lookup (self->titles, experiment);

  return title ? title : experiment;
}

/* Every experiment that has runs, in the registry's order, then any this
 * lab does not know. The drop-down is left alone when they are the same,
 * and its changes filter nothing: the caller's new rows are filtered
 * once, as they come. */
static void
ptl_history_view_fill_experiments (PtlHistoryView *self,
                                   GHashTable     *present)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const GType *types;
  guint n_types;
  guint chosen = gtk_drop_down_get_selected (self->experiment_dropdown);
  g_autofree char *keep = NULL;
  guint chosen_index = 0;
  GHashTableIter iter;
  gpointer key;

  /* The filter chosen stays while its experiment has runs. */
  if (chosen < self->experiment_ids->len)
    keep = g_strdup (g_ptr_array_index (self->experiment_ids, chosen));

  g_ptr_array_add (ids, NULL);
  gtk_string_list_append (names, _("All experiments"));

  types = ptl_registry_list_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(PtlExperiment) experiment = g_object_new (types[i], NULL);
      const char *id = ptl_experiment_get_id (experiment);

      if (!g_hash_table_remove (present, id))
        continue;
      g_ptr_array_add (ids, g_strdup (id));
      gtk_string_list_append (names, ptl_experiment_get_title (experiment));
    }
  g_hash_table_iter_init (&iter, present);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (ids, g_strdup (key));
      gtk_string_list_append (names, key);
    }

  if (ids->len == self->experiment_ids->len)
    {
      guint same = 0;

      while (same < ids->len &&
             g_strcmp0 (g_ptr_array_index (ids, same), g_ptr_array_index (self->experiment_ids, same)) == 0)
        same++;
      if (same == ids->len)
        return;
    }

  for (guint i = 1; keep != NULL && i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), keep))
      chosen_index = i;
  g_ptr_array_unref (self->experiment_ids);
  self->experiment_ids = g_steal_pointer (&ids);
  self->filling = TRUE;
  gtk_drop_down_set_model (self->experiment_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->experiment_dropdown, chosen_index);
  self->filling = FALSE;
}

static void
ptl_history_view_reload (PtlHistoryView *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 started = g_get_monotonic_time ();

  self->stale = FALSE;
  if (self->store == NULL)
    {
      g_list_store_remove_all (self->items);
      ptl_history_view_update_actions (self);
      return;
    }

  if ((entries = ptl_store_list (self->store, NULL, &error)) == NULL)
    {
      g_free (self->store_error);
      self->store_error = g_strdup (error->message);
      g_list_store_remove_all (self->items);
      ptl_history_view_update_actions (self);
      return;
    }
  g_clear_pointer (&self->store_error, g_free);

  for (guint i = 0; i < entries->len; i++)
    {
      PtlStoreEntry *entry = g_ptr_array_index (entries, i);

      g_hash_table_add (present, entry->experiment);
      g_ptr_array_add (items, ptl_history_item_new (entry->id, entry->created, entry->experiment,
                                                    ptl_history_view_title_of (self, entry->experiment),
                                                    entry->label, entry->machine,
                                                    entry->headline));
    }
  /* The filter's choices first, then one splice, one items-changed: the
   * rows are filtered once and the view binds only those shown. */
  ptl_history_view_fill_experiments (self, present);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  self->load_ms = (g_get_monotonic_time () - started) / 1000.0;
  g_debug ("listed %u runs in %.1f ms", items->len, self->load_ms);
  ptl_history_view_update_actions (self);
}

static void
ptl_history_view_refilter (PtlHistoryView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  ptl_history_view_update_actions (self);
}

static void
ptl_history_view_search_changed_cb (PtlHistoryView *self,
                                    GtkSearchEntry *entry)
{
  g_autofree char *folded = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);

  g_clear_pointer (&self->search_words, g_strfreev);
  g_strstrip (folded);
  /* Runs of blanks leave empty words, which match anything. */
  if (*folded != '\0')
    self->search_words = g_strsplit_set (folded, " \t", -1);
  ptl_history_view_refilter (self);
}

static void
ptl_history_view_experiment_changed_cb (PtlHistoryView *self,
                                        GParamSpec     *pspec,
                                        GtkDropDown    *dropdown)
{
  if (!self->filling)
    ptl_history_view_refilter (self);
}

static void
ptl_history_view_selection_changed_cb (PtlHistoryView *self,
                                       guint           position,
                                       guint           n_items,
                                       GtkSelectionModel *model)
{
  ptl_history_view_update_actions (self);
}

static void
ptl_history_view_items_changed_cb (PtlHistoryView    *self,
                                   guint              position,
                                   guint              removed,
                                   guint              added,
                                   GtkSelectionModel *model)
{
  ptl_history_view_update_actions (self);
}

static void
ptl_history_view_open_item (PtlHistoryView *self,
                            PtlHistoryItem *item)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *date = ptl_history_item_dup_date (item);
  const char *label = ptl_history_item_get_label (item);

  if ((result = ptl_store_load (self->store, ptl_history_item_get_id (item), &error)) == NULL)
    {
      ptl_history_view_show_error (self, _("Could Not Open the Run"), error);
      return;
    }
  /* TRANSLATORS: where an opened run came from: "run 12 (label) of 2026-12-07 20:15" */
  name = *label != '\0'
    ? g_strdup_printf (_("run %" PRId64 " (%s) of %s"), ptl_history_item_get_id (item), label, date)
    : g_strdup_printf (_("run %" PRId64 " of %s"), ptl_history_item_get_id (item), date);
  g_signal_emit (self, signals[SIGNAL_OPEN_RESULT], 0, result, name);
}

static void
ptl_history_view_activate_cb (PtlHistoryView *self,
                              guint           position,
                              GtkColumnView  *view)
{
  g_autoptr(PtlHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item != NULL)
    ptl_history_view_open_item (self, item);
}

static void
ptl_history_view_open_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (widget);
  g_autoptr(GPtrArray) selected = ptl_history_view_dup_selected (self);

  if (selected->len == 1)
    ptl_history_view_open_item (self, g_ptr_array_index (selected, 0));
}

static void
ptl_history_view_compare_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (widget);
  g_autoptr(GPtrArray) selected = ptl_history_view_dup_selected (self);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (selected->len < PTL_COMPARE_MIN_RUNS || selected->len > PTL_COMPARE_MAX_RUNS)
    return;

  /* Said before anything is read: the oldest run comes first, as the
   * baseline the ratios divide by. */
  for (guint i = 1; i < selected->len; i++)
    {
      PtlHistoryItem *first = g_ptr_array_index (selected, 0);
      PtlHistoryItem *other = g_ptr_array_index (selected, i);

      if (!g_str_equal (ptl_history_item_get_experiment (first), ptl_history_item_get_experiment (other)))
        {
          g_autofree char *message =
            g_strdup_printf (_("Only runs of one experiment can be compared: the selection has “%s” and “%s”"),
                             ptl_history_item_get_title (first), ptl_history_item_get_title (other));

          ptl_history_view_toast (self, message);
          return;
        }
    }
  for (guint i = selected->len; i-- > 0;)
    {
      PtlHistoryItem *item = g_ptr_array_index (selected, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *fallback = g_strdup_printf (_("Run %" PRId64), ptl_history_item_get_id (item));
      PtlResult *result = ptl_store_load (self->store, ptl_history_item_get_id (item), &error);
      g_autofree char *name = NULL;

      if (result == NULL)
        {
          ptl_history_view_show_error (self, _("Could Not Open the Run"), error);
          return;
        }
      name = ptl_compare_dup_run_name (result, ptl_history_item_get_label (item), fallback);
      g_ptr_array_add (results, result);
      g_strv_builder_add (names, name);
    }
  strv = g_strv_builder_end (names);
  g_signal_emit (self, signals[SIGNAL_COMPARE], 0, results, strv);
}

void
_ptl_history_view_set_label (PtlHistoryView *self,
                             PtlHistoryItem *item,
                             const char     *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;
  guint position;

  g_return_if_fail (PTL_IS_HISTORY_VIEW (self));
  g_return_if_fail (PTL_IS_HISTORY_ITEM (item));
  g_return_if_fail (label != NULL);

  stripped = g_strstrip (g_strdup (label));
  if (!ptl_store_set_label (self->store, ptl_history_item_get_id (item), stripped, &error))
    {
      ptl_history_view_show_error (self, _("Could Not Change the Label"), error);
      return;
    }
  ptl_history_item_set_label (item, stripped);
  /* Putting the item back in its place makes the rows show the new label. */
  if (g_list_store_find (self->items, item, &position))
    g_list_store_splice (self->items, position, 1, (gpointer *) &item, 1);
}

static void
ptl_history_view_rename_response_cb (AdwMessageDialog *dialog,
                                     const char       *response,
                                     gpointer          user_data)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (g_object_get_data (G_OBJECT (dialog), "ptl-view"));
  PtlHistoryItem *item = g_object_get_data (G_OBJECT (dialog), "ptl-item");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_str_equal (response, "save"))
    _ptl_history_view_set_label (self, item, gtk_editable_get_text (entry));
}

static void
ptl_history_view_rename_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (widget);
  g_autoptr(GPtrArray) selected = ptl_history_view_dup_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  PtlHistoryItem *item;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (selected->len != 1)
    return;
  item = g_ptr_array_index (selected, 0);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Label the Run"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), ptl_history_item_get_label (item));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("e.g. before the fix, lab PC 3"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ptl-view", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "ptl-item", g_object_ref (item), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (ptl_history_view_rename_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_ptl_history_view_delete_selected (PtlHistoryView *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  g_autofree char *message = NULL;
  guint deleted = 0;

  g_return_if_fail (PTL_IS_HISTORY_VIEW (self));

  selected = ptl_history_view_dup_selected (self);
  for (guint i = 0; i < selected->len; i++)
    {
      PtlHistoryItem *item = g_ptr_array_index (selected, i);
      g_autoptr(GError) error = NULL;
      guint position;

      if (!ptl_store_delete (self->store, ptl_history_item_get_id (item), &error))
        {
          ptl_history_view_show_error (self, _("Could Not Delete the Run"), error);
          break;
        }
      if (g_list_store_find (self->items, item, &position))
        g_list_store_remove (self->items, position);
      deleted++;
    }
  if (deleted == 0)
    return;
  message = g_strdup_printf (ngettext ("Deleted %u run", "Deleted %u runs", deleted), deleted);
  ptl_history_view_toast (self, message);
  ptl_history_view_update_actions (self);
}

static void
ptl_history_view_delete_response_cb (PtlHistoryView   *self,
                                     const char       *response,
                                     AdwMessageDialog *dialog)
{
  if (g_str_equal (response, "delete"))
    _ptl_history_view_delete_selected (self);
}

static void
ptl_history_view_delete_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (widget);
  g_autoptr(GPtrArray) selected = ptl_history_view_dup_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (selected->len == 0)
    return;
  heading = g_strdup_printf (ngettext ("Delete %u Run?", "Delete %u Runs?", selected->len), selected->len);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Their charts, figures and notes leave the history for good. "
                                     "Export a run first to keep a copy."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (ptl_history_view_delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Columns: a plain label per cell, filled in bind, so only the rows on
 * screen do any work. */
typedef char *(*TextGetter) (PtlHistoryItem *item);

static char *
get_title (PtlHistoryItem *item)
{
  return g_strdup (ptl_history_item_get_title (item));
}

static char *
get_label (PtlHistoryItem *item)
{
  return g_strdup (ptl_history_item_get_label (item));
}

static char *
get_machine (PtlHistoryItem *item)
{
  return g_strdup (ptl_history_item_get_machine (item));
}

static char *
get_headline (PtlHistoryItem *item)
{
  return g_strdup (ptl_history_item_get_headline (item));
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  TextGetter getter = user_data;
  g_autofree char *text = getter (gtk_list_item_get_item (list_item));
  GtkWidget *label = gtk_list_item_get_child (list_item);

  /* No tooltip: setting one asks the X server where the pointer is, a
   * round trip per cell that took most of the time to show 10,000 runs. */
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
ptl_history_view_add_column (PtlHistoryView *self,
                             const char     *title,
                             TextGetter      getter,
                             gboolean        expand,
                             int             fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), getter);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

static void
ptl_history_view_map (GtkWidget *widget)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (widget);

  GTK_WIDGET_CLASS (ptl_history_view_parent_class)->map (widget);
  if (self->stale)
    ptl_history_view_reload (self);
}

static void
ptl_history_view_dispose (GObject *object)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_HISTORY_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ptl_history_view_parent_class)->dispose (object);
}

static void
ptl_history_view_finalize (GObject *object)
{
  PtlHistoryView *self = PTL_HISTORY_VIEW (object);

  g_ptr_array_unref (self->experiment_ids);
  g_hash_table_unref (self->titles);
  g_strfreev (self->search_words);
  g_free (self->store_error);

  G_OBJECT_CLASS (ptl_history_view_parent_class)->finalize (object);
}

static void
ptl_history_view_class_init (PtlHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_history_view_dispose;
  object_class->finalize = ptl_history_view_finalize;
  widget_class->map = ptl_history_view_map;

  signals[SIGNAL_OPEN_RESULT] =
    g_signal_new ("open-result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PTL_TYPE_RESULT, G_TYPE_STRING);
  signals[SIGNAL_COMPARE] =
    g_signal_new ("compare", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_STRV);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, experiment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, column_view);
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, status_page);
  gtk_widget_class_bind_template_child (widget_class, PtlHistoryView, count_label);
  gtk_widget_class_bind_template_callback (widget_class, ptl_history_view_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_history_view_experiment_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_history_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "history.open", NULL, ptl_history_view_open_action);
  gtk_widget_class_install_action (widget_class, "history.compare", NULL, ptl_history_view_compare_action);
  gtk_widget_class_install_action (widget_class, "history.rename", NULL, ptl_history_view_rename_action);
  gtk_widget_class_install_action (widget_class, "history.delete", NULL, ptl_history_view_delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "history.delete", NULL);
}

static void
ptl_history_view_init (PtlHistoryView *self)
{
  const GType *types;
  guint n_types;

  self->experiment_ids = g_ptr_array_new_with_free_func (g_free);
  self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  types = ptl_registry_list_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(PtlExperiment) experiment = g_object_new (types[i], NULL);

      g_hash_table_insert (self->titles, g_strdup (ptl_experiment_get_id (experiment)),
                           g_strdup (ptl_experiment_get_title (experiment)));
    }

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (PTL_TYPE_HISTORY_ITEM);
  self->filter = gtk_custom_filter_new (ptl_history_view_filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (ptl_history_view_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (ptl_history_view_items_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  ptl_history_view_add_column (self, _("Experiment"), get_title, FALSE, 170);
  ptl_history_view_add_column (self, _("Date"), ptl_history_item_dup_date, FALSE, 130);
  ptl_history_view_add_column (self, _("Label"), get_label, FALSE, 130);
  ptl_history_view_add_column (self, _("Machine"), get_machine, FALSE, 130);
  ptl_history_view_add_column (self, _("Headline figure"), get_headline, TRUE, -1);

  ptl_history_view_update_actions (self);
}

GtkWidget *
ptl_history_view_new (void)
{
  return g_object_new (PTL_TYPE_HISTORY_VIEW, NULL);
}

void
ptl_history_view_set_store (PtlHistoryView *self,
                            PtlStore       *store,
                            const GError   *error)
{
  g_return_if_fail (PTL_IS_HISTORY_VIEW (self));
  g_return_if_fail (store == NULL || PTL_IS_STORE (store));
  g_return_if_fail (store != NULL || error != NULL);

  g_set_object (&self->store, store);
  g_free (self->store_error);
  self->store_error = error ? g_strdup (error->message) : NULL;
  ptl_history_view_invalidate (self);
}

void
ptl_history_view_invalidate (PtlHistoryView *self)
{
  g_return_if_fail (PTL_IS_HISTORY_VIEW (self));

  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ptl_history_view_reload (self);
}

void
ptl_history_view_focus_search (PtlHistoryView *self)
{
  g_return_if_fail (PTL_IS_HISTORY_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkSelectionModel *
_ptl_history_view_get_selection (PtlHistoryView *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_VIEW (self), NULL);

  if (self->stale)
    ptl_history_view_reload (self);
  return GTK_SELECTION_MODEL (self->selection);
}

GtkEditable *
_ptl_history_view_get_search (PtlHistoryView *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_VIEW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

gboolean
_ptl_history_view_set_experiment (PtlHistoryView *self,
                                  const char     *experiment)
{
  g_return_val_if_fail (PTL_IS_HISTORY_VIEW (self), FALSE);

  for (guint i = 0; i < self->experiment_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->experiment_ids, i), experiment) == 0)
      {
        gtk_drop_down_set_selected (self->experiment_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

double
_ptl_history_view_get_load_ms (PtlHistoryView *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_VIEW (self), 0);

  return self->load_ms;
}
