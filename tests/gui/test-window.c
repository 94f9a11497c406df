/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "ptl-chart-view.h"
#include "ptl-core.h"
#include "ptl-experiment-page-private.h"
#include "ptl-export-chooser.h"
#include "ptl-export-dialog.h"
#include "ptl-monitor-panel.h"
#include "../ptl-test-sanitized.h"
#include "ptl-param-form.h"
#include "ptl-preferences-window.h"
#include "ptl-plot.h"
#include "ptl-registry.h"
#include "ptl-bankers-table.h"
#include "ptl-sched-sim.h"
#include "ptl-window-private.h"
#include "ptl-sched-table.h"
#include "ptl-step-window.h"
#include "ptl-table-editor.h"

/* The window against the real core, experiments and plot library, under
 * a display (Xvfb in CI). Runs use small parameters so each takes well
 * under a second; waits are bounded so a hang fails instead of stalling. */

#define RESOURCE_BASE   "/io/github/ptlab/ProcessThreadLab"
#define RUN_TIMEOUT_S   60
/* How long to wait for what comes soon (a typing delay, a frame, a size):
 * much longer in a sanitizer build, where this test's leak check unwinds
 * whole stacks at every allocation (tests/meson.build). */
#define WAIT_S          (PTL_TEST_SANITIZED ? 60 : 5)
#define CANCEL_LIMIT_S  10

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @page is idle; fails past @timeout_s. */
static void
wait_until_idle (PtlExperimentPage *page,
                 guint              timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (ptl_experiment_page_get_running (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
count_visible_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
      n++;
  return n;
}

typedef struct
{
  const char *text;
  gboolean    seen;
} SearchWait;

static void
search_changed_cb (GtkSearchEntry *entry,
                   SearchWait     *wait)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), wait->text) == 0)
    wait->seen = TRUE;
}

/* Types @text into the search entry and waits for the search-changed
 * signal that carries it, which is what filters the list. (Replacing the
 * text first clears it, and an empty search is announced at once; the
 * new text only after a typing delay.) */
static void
set_search (GtkEditable *search,
            const char  *text)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  SearchWait wait = { text, FALSE };
  gulong handler;

  handler = g_signal_connect (search, "search-changed", G_CALLBACK (search_changed_cb), &wait);
  gtk_editable_set_text (search, text);
  while (!wait.seen)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (search, handler);
  iterate_pending ();
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first of @widget and its descendants, depth first, that @match takes. */
static GtkWidget *
find_widget (GtkWidget     *widget,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
match_action (GtkWidget     *widget,
              gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
match_label_text (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return find_widget (widget, match_type, GSIZE_TO_POINTER (type));
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  return find_widget (widget, match_action, action);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  return find_widget (widget, match_name, name);
}

static GtkWidget *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  return find_widget (widget, match_label_text, text);
}

/* Whether @action is enabled, as the header bar button bound to it shows. */
static gboolean
action_enabled (GtkWidget  *window,
                const char *action)
{
  GtkWidget *button = find_actionable (window, action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* A shown window on the "models" experiment with small parameters, set
 * through the form's own experiment (the path the form's edits take). */
static PtlWindow *
open_models_window (void)
{
  static const char *params[][2] = {
    { "tasks", "4" },
    { "cpu-ms", "10" },
    { "io-ms", "5" },
    { "repeats", "1" },
    { "sweep", "false" },
    { "workload", "io" },
  };
  PtlWindow *window;
  PtlExperimentPage *page;
  PtlExperiment *experiment;

  window = ptl_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "models"));

  page = _ptl_window_get_page (window);
  experiment = ptl_param_form_get_experiment (_ptl_experiment_page_get_form (page));
  g_assert_nonnull (experiment);
  g_assert_true (experiment == ptl_experiment_page_get_experiment (page));
  g_assert_cmpstr (ptl_experiment_get_id (experiment), ==, "models");

  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      g_autoptr(GError) error = NULL;

      ptl_experiment_set_param (experiment, params[i][0], params[i][1], &error);
      g_assert_no_error (error);
    }
  iterate_pending ();
  return window;
}

static void
run_to_completion (PtlWindow *window)
{
  PtlExperimentPage *page = _ptl_window_get_page (window);

  g_assert_true (ptl_experiment_page_get_can_run (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (ptl_experiment_page_get_running (page));
  wait_until_idle (page, RUN_TIMEOUT_S);
  iterate_pending ();
}

/* Every template in the bundle builds: a 1.4 widget in a .ui would only
 * fail here, at run time. */
static void
test_templates (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  /* Registered here so g_type_from_name () finds them by the file name. */
  g_type_ensure (PTL_TYPE_WINDOW);
  g_type_ensure (PTL_TYPE_EXPERIMENT_PAGE);
  g_type_ensure (PTL_TYPE_PARAM_FORM);
  g_type_ensure (PTL_TYPE_MONITOR_PANEL);
  g_type_ensure (PTL_TYPE_PREFERENCES_WINDOW);
  g_type_ensure (PTL_TYPE_STEP_WINDOW);
  g_type_ensure (PTL_TYPE_HISTORY_VIEW);
  g_type_ensure (PTL_TYPE_COMPARE_VIEW);

  names = g_resources_enumerate_children (RESOURCE_BASE "/ui", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), >=, 3);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GString) type_name = g_string_new (NULL);
      g_auto(GStrv) words = NULL;
      GtkWidget *widget;
      GType type;

      /* "ptl-param-form.ui" holds the template of PtlParamForm. */
      g_assert_true (g_str_has_suffix (names[i], ".ui"));
      words = g_strsplit (names[i], "-", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          char *dot = strchr (words[w], '.');

          if (dot != NULL)
            *dot = '\0';
          g_string_append_c (type_name, g_ascii_toupper (words[w][0]));
          g_string_append (type_name, words[w] + 1);
        }

      type = g_type_from_name (type_name->str);
      g_test_message ("%s → %s", names[i], type_name->str);
      g_assert_true (type != G_TYPE_INVALID);

      widget = g_object_ref_sink (g_object_new (type, NULL));
      if (GTK_IS_WINDOW (widget))
        gtk_window_destroy (GTK_WINDOW (widget));
      g_assert_finalize_object (widget);
    }

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_sidebar (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  GtkListBox *list = _ptl_window_get_experiment_list (window);
  GtkEditable *search = _ptl_window_get_search_entry (window);
  PtlExperiment *experiment;
  GtkListBoxRow *selected;
  guint n_types;

  gtk_window_present (GTK_WINDOW (window));
  ptl_registry_list_types (&n_types);
  g_assert_cmpuint (n_types, >, 0);
  g_assert_cmpuint (count_visible_rows (list), ==, n_types);

  /* Something is selected at start, and the page shows it. */
  selected = gtk_list_box_get_selected_row (list);
  g_assert_nonnull (selected);
  g_assert_nonnull (ptl_experiment_page_get_experiment (_ptl_window_get_page (window)));

  /* Search matches title words, case-insensitively. */
  experiment = ptl_experiment_page_get_experiment (_ptl_window_get_page (window));
  {
    g_autofree char *upper = g_utf8_strup (ptl_experiment_get_title (experiment), -1);

    set_search (search, upper);
    g_assert_cmpuint (count_visible_rows (list), >=, 1);
    g_assert_cmpuint (count_visible_rows (list), <=, n_types);
  }

  set_search (search, "no experiment is called this qqxz");
  g_assert_cmpuint (count_visible_rows (list), ==, 0);

  set_search (search, "");
  g_assert_cmpuint (count_visible_rows (list), ==, n_types);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The user's task limit (Preferences) takes part in the form's check:
 * the models window asks for 4 tasks, so a limit of 3 refuses it. The
 * application hands the setting to the core; without one here, the test
 * does. */
static void
test_max_tasks (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkLabel *label;

  g_assert_true (ptl_experiment_page_get_can_run (page));

  ptl_experiment_set_max_tasks (3);
  g_settings_set_int (settings, "max-tasks", 3);
  iterate_pending ();
  g_assert_false (ptl_experiment_page_get_can_run (page));
  label = GTK_LABEL (find_label_containing (GTK_WIDGET (page), "more than your limit of 3"));
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (label)));

  ptl_experiment_set_max_tasks (PTL_MAX_TASKS_DEFAULT);
  g_settings_reset (settings, "max-tasks");
  iterate_pending ();
  g_assert_true (ptl_experiment_page_get_can_run (page));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_run (void)
{
  static const char *monitor_charts[][2] = {
    { "monitor-cpu", "%" },
    { "monitor-rss", "B" },
  };
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  PtlMonitorPanel *panel;
  PtlProcMonitor *monitor;
  GtkGrid *summary;
  PtlResult *result;
  PtlTable *table;

  /* The monitor's interval comes from the settings, through the panel;
   * the shortest, so this short run has enough samples for charts. */
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (window), PTL_TYPE_MONITOR_PANEL));
  g_assert_nonnull (panel);
  g_settings_set_int (settings, "monitor-interval-ms", PTL_PROC_MONITOR_MIN_INTERVAL_MS);
  g_assert_cmpint (ptl_monitor_panel_get_interval (panel), ==, PTL_PROC_MONITOR_MIN_INTERVAL_MS);
  /* Long enough (about 0.3 s) for many samples even when timeouts come
   * late; five times that in a sanitizer build, whose slow allocations
   * delay them more. */
  {
    g_autoptr(GError) error = NULL;

    ptl_experiment_set_param (ptl_experiment_page_get_experiment (page), "io-ms",
                              PTL_TEST_SANITIZED ? "200" : "40", &error);
    g_assert_no_error (error);
  }

  g_assert_false (ptl_experiment_page_get_can_export (page));
  run_to_completion (window);

  result = ptl_experiment_page_get_result (page);
  g_assert_nonnull (result);
  g_assert_true (ptl_experiment_page_get_can_export (page));
  g_assert_true (ptl_experiment_page_get_can_run (page));
  g_assert_cmpuint (ptl_result_get_n_charts (result), >, 0);

  /* One card per chart, each with a view drawing that chart. */
  {
    GtkFlowBox *charts = _ptl_experiment_page_get_charts (page);
    GtkFlowBoxChild *first = gtk_flow_box_get_child_at_index (charts, 0);
    GtkWidget *view;

    g_assert_nonnull (first);
    g_assert_null (gtk_flow_box_get_child_at_index (charts, ptl_result_get_n_charts (result)));
    view = find_descendant (GTK_WIDGET (first), PTL_TYPE_CHART_VIEW);
    g_assert_nonnull (view);
    g_assert_true (ptl_chart_view_get_chart (PTL_CHART_VIEW (view)) ==
                   ptl_result_get_chart (result, 0));
  }

  /* The table: a heading row, a rule, then one row per case. */
  table = ptl_result_get_summary (result);
  g_assert_cmpuint (ptl_table_get_n_rows (table), >, 0);
  summary = _ptl_experiment_page_get_summary (page);
  for (guint column = 0; column < ptl_table_get_n_columns (table); column++)
    {
      g_autofree char *expected = ptl_table_format_cell (table, 0, column);
      GtkWidget *heading = gtk_grid_get_child_at (summary, column, 0);
      GtkWidget *cell = gtk_grid_get_child_at (summary, column, 2);

      g_assert_true (GTK_IS_LABEL (heading));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==,
                       ptl_table_get_column_name (table, column));
      g_assert_true (GTK_IS_LABEL (cell));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, expected);
      if (ptl_table_cell_is_number (table, 0, column))
        g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (cell)), ==, 1.0);
    }
  g_assert_nonnull (gtk_grid_get_child_at (summary, 0, 1 + ptl_table_get_n_rows (table)));

  /* The live monitor watched the run, stopped with it, and its charts
   * became part of the result. */
  monitor = ptl_monitor_panel_get_monitor (panel);
  g_assert_nonnull (monitor);
  g_assert_false (ptl_proc_monitor_get_running (monitor));
  g_assert_cmpuint (ptl_proc_monitor_get_interval (monitor), ==, PTL_PROC_MONITOR_MIN_INTERVAL_MS);
  g_assert_cmpuint (ptl_monitor_panel_get_n_rows (panel), >, 0);
  g_test_message ("the monitor took %u samples", ptl_proc_monitor_get_n_samples (monitor));
  g_assert_cmpuint (ptl_proc_monitor_get_n_samples (monitor), >=, PTL_PROC_MONITOR_MIN_CHART_SAMPLES);
  for (guint i = 0; i < G_N_ELEMENTS (monitor_charts); i++)
    {
      PtlChart *chart = ptl_result_find_chart (result, monitor_charts[i][0]);

      g_assert_nonnull (chart);
      g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, monitor_charts[i][1]);
      g_assert_cmpuint (ptl_chart_get_n_series (chart), >=, 1);
    }
  g_settings_reset (settings, "monitor-interval-ms");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  PtlExperiment *experiment = ptl_experiment_page_get_experiment (page);
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;

  /* Long enough that it is still going when cancelled. */
  ptl_experiment_set_param (experiment, "tasks", "200", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (experiment, "io-ms", "100", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (experiment, "repeats", "20", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (experiment, "sweep", "true", &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (ptl_experiment_page_get_running (page));
  g_assert_true (ptl_experiment_page_get_can_cancel (page));
  g_assert_false (ptl_experiment_page_get_can_run (page));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.cancel"));
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.run"));

  /* Let it start for real. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
    guint wake = g_timeout_add (20, wake_cb, NULL);

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (wake);
  }
  g_assert_true (ptl_experiment_page_get_running (page));

  cancelled_at = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_false (ptl_experiment_page_get_can_cancel (page));
  wait_until_idle (page, CANCEL_LIMIT_S);
  g_test_message ("cancelled run stopped after %.0f ms",
                  (g_get_monotonic_time () - cancelled_at) / 1000.0);

  /* What was measured before the cancel can be exported (see
   * test_export_partial); a new run may start. */
  g_assert_false (ptl_experiment_page_get_running (page));
  g_assert_true (ptl_experiment_page_get_can_export (page) == (ptl_experiment_page_get_result (page) != NULL));
  g_assert_true (ptl_experiment_page_get_can_run (page));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.run"));
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.cancel"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
assert_file_starts_with (const char *path,
                         const char *prefix,
                         gsize       prefix_len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, prefix_len);
  g_assert_cmpmem (contents, prefix_len, prefix, prefix_len);
}

/* The export dialog an action opened, or NULL. */
static PtlExportDialog *
find_export_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  iterate_pending ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (PTL_IS_EXPORT_DIALOG (window))
        return PTL_EXPORT_DIALOG (window);
    }
  return NULL;
}

static void
dialog_message_cb (PtlExportDialog *dialog,
                   const char      *text,
                   const GError    *error,
                   char           **out)
{
  g_free (*out);
  *out = error != NULL ? g_strdup_printf ("%s: %s", text, error->message) : g_strdup (text);
}

/* Opens the dialog with @action on @widget; its messages go to @message. */
static PtlExportDialog *
open_export_dialog (GtkWidget   *widget,
                    const char  *action,
                    char       **message)
{
  PtlExportDialog *dialog;

  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
  dialog = find_export_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "message", G_CALLBACK (dialog_message_cb), message);
  return dialog;
}

static void
set_spin (PtlExportDialog *dialog,
          const char      *row,
          double           value)
{
  GtkWidget *spin = find_descendant (find_named (GTK_WIDGET (dialog), row), GTK_TYPE_SPIN_BUTTON);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static void
set_combo (PtlExportDialog *dialog,
           const char      *row,
           guint            index)
{
  GtkWidget *combo = find_named (GTK_WIDGET (dialog), row);

  g_assert_true (ADW_IS_COMBO_ROW (combo));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), index);
}

/* The index of @suffix among the dialog's formats. */
static guint
format_index (const char *suffix)
{
  for (guint i = 0; i < ptl_export_chooser_get_n_formats (); i++)
    if (g_str_equal (ptl_export_chooser_get_format_suffix (i), suffix))
      return i;
  g_assert_not_reached ();
}

/* The export dialog: the format and size chosen decide the file, and are
 * remembered; a PNG past its pixel limit cannot be exported. */
static void
test_export (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) png_file = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GFile) report_file = NULL;
  g_autoptr(GFile) nowhere_file = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *report = NULL;
  g_autofree char *nowhere = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *message = NULL;
  g_autofree char *format = NULL;
  PtlExportDialog *dialog;
  GtkWidget *problem;

  dir = g_dir_make_tmp ("ptlab-export-XXXXXX", &error);
  g_assert_no_error (error);
  png = g_build_filename (dir, "models.png", NULL);
  csv = g_build_filename (dir, "models.csv", NULL);
  bad = g_build_filename (dir, "models.xyz", NULL);
  png_file = g_file_new_for_path (png);
  csv_file = g_file_new_for_path (csv);
  bad_file = g_file_new_for_path (bad);
  report = g_build_filename (dir, "report", NULL);
  nowhere = g_build_filename (dir, "no", "such", "report.pdf", NULL);
  report_file = g_file_new_for_path (report);
  nowhere_file = g_file_new_for_path (nowhere);
  g_free (report);
  report = g_build_filename (dir, "report.pdf", NULL);

  /* Nothing to export before a run: the action is off. */
  g_assert_false (ptl_experiment_page_get_can_export (page));
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.export"));
  _ptl_experiment_page_export_report_chosen (page, report_file, "pdf", TRUE);
  g_assert_false (g_file_test (report, G_FILE_TEST_EXISTS));

  run_to_completion (window);
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.export"));

  /* PNG, 800 × 500 at scale 1.5. */
  dialog = open_export_dialog (GTK_WIDGET (window), "win.export", &message);
  set_combo (dialog, "format", format_index ("png"));
  set_spin (dialog, "width", 800);
  set_spin (dialog, "height", 500);
  set_spin (dialog, "scale", 1.5);
  ptl_export_dialog_export_chosen (dialog, png_file, "png", TRUE);
  g_assert_cmpstr (message, ==, "Saved models.png");
  g_assert_null (find_export_dialog ());
  pixbuf = gdk_pixbuf_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 1200);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 750);
  g_assert_cmpint (g_settings_get_int (settings, "export-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "export-height"), ==, 500);
  g_assert_cmpfloat (g_settings_get_double (settings, "export-scale"), ==, 1.5);
  format = g_settings_get_string (settings, "export-format");
  g_assert_cmpstr (format, ==, "png");

  /* The next dialog starts from those choices; CSV is the whole result. */
  dialog = open_export_dialog (GTK_WIDGET (window), "win.export", &message);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_named (GTK_WIDGET (dialog), "format"))), ==,
                    format_index ("png"));
  set_combo (dialog, "format", format_index ("csv"));
  g_assert_false (gtk_widget_get_sensitive (find_named (GTK_WIDGET (dialog), "width")));
  ptl_export_dialog_export_chosen (dialog, csv_file, "csv", TRUE);
  g_file_get_contents (csv, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strchr (contents, ','));
  g_clear_pointer (&format, g_free);
  format = g_settings_get_string (settings, "export-format");
  g_assert_cmpstr (format, ==, "csv");

  /* A PNG larger than an image holds: said, and Export is off. */
  dialog = open_export_dialog (GTK_WIDGET (window), "win.export", &message);
  set_combo (dialog, "format", format_index ("png"));
  set_spin (dialog, "width", 20000);
  set_spin (dialog, "scale", 8);
  problem = find_label_containing (GTK_WIDGET (dialog), "32767");
  g_assert_nonnull (problem);
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_false (gtk_widget_is_sensitive (find_label_containing (GTK_WIDGET (dialog), "Export…")));
  set_spin (dialog, "scale", 1);
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_true (gtk_widget_is_sensitive (find_label_containing (GTK_WIDGET (dialog), "Export…")));

  /* An unknown extension is an error, told, and leaves no file. */
  ptl_export_dialog_export_chosen (dialog, bad_file, NULL, FALSE);
  g_assert_true (g_str_has_prefix (message, "Could not export: "));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  /* Export Report…: the run's PDF report, or nothing where it cannot
   * be written. */
  _ptl_experiment_page_export_report_chosen (page, report_file, "pdf", TRUE);
  assert_file_starts_with (report, "%PDF", 4);
  _ptl_experiment_page_export_report_chosen (page, nowhere_file, "pdf", TRUE);
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));

  g_unlink (png);
  g_unlink (csv);
  g_unlink (report);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The rule that turns what the user accepted in the export dialog into a
 * path: the filter the user picked decides, else a known typed extension,
 * else the filter's. */
static void
test_export_decide_path (void)
{
  static const struct
  {
    const char *path;
    const char *suffix;
    gboolean    changed;
    const char *expected;
  } cases[] = {
    { "/d/models.png", "pdf", TRUE, "/d/models.pdf" },   /* picked PDF, kept the offered name */
    { "/d/models.PNG", "svg", TRUE, "/d/models.svg" },
    { "/d/models.pdf", "pdf", TRUE, "/d/models.pdf" },
    { "/d/report", "pdf", TRUE, "/d/report.pdf" },
    { "/d/v1.2", "pdf", TRUE, "/d/v1.2.pdf" },           /* not a known extension */
    { "/d/models.svg", "png", FALSE, "/d/models.svg" },  /* typed, filter left alone */
    { "/d/models.json", "png", FALSE, "/d/models.json" },
    { "/d/report", "png", FALSE, "/d/report.png" },
    { "/d/.png", "pdf", TRUE, "/d/.png.pdf" },            /* a hidden file, no extension */
    { "/d/models.csv", NULL, FALSE, "/d/models.csv" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = ptl_export_chooser_decide_path (cases[i].path, cases[i].suffix, cases[i].changed);

      g_assert_cmpstr (path, ==, cases[i].expected);
    }
}

/* The export dialog's filters and its accept path: PDF picked while the
 * offered name says .png writes a real PDF named .pdf, and no PNG. */
static void
test_export_chooser (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GtkFileChooserNative) chooser = NULL;
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) offered = NULL;
  g_autoptr(GFile) typed = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *message = NULL;
  PtlExportDialog *dialog;
  const char *suffix;
  gboolean changed;

  run_to_completion (window);

  /* Five formats, PNG first and current: not a change by the user. */
  chooser = ptl_export_chooser_new (GTK_WIDGET (page), "Export", "models.png", FALSE);
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 5);
  suffix = ptl_export_chooser_get_suffix (chooser, &changed);
  g_assert_cmpstr (suffix, ==, "png");
  g_assert_false (changed);
  for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      if (g_strcmp0 (gtk_file_filter_get_name (filter), "PDF Document") == 0)
        gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  suffix = ptl_export_chooser_get_suffix (chooser, &changed);
  g_assert_cmpstr (suffix, ==, "pdf");
  g_assert_true (changed);

  dir = g_dir_make_tmp ("ptlab-export-XXXXXX", &error);
  g_assert_no_error (error);
  png = g_build_filename (dir, "models.png", NULL);
  pdf = g_build_filename (dir, "models.pdf", NULL);
  svg = g_build_filename (dir, "typed.svg", NULL);

  offered = g_file_new_for_path (png);
  dialog = open_export_dialog (GTK_WIDGET (window), "win.export", &message);
  ptl_export_dialog_export_chosen (dialog, offered, suffix, changed);
  assert_file_starts_with (pdf, "%PDF", 4);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  /* A typed known extension decides when the filter was left alone. */
  typed = g_file_new_for_path (svg);
  dialog = open_export_dialog (GTK_WIDGET (window), "win.export", &message);
  ptl_export_dialog_export_chosen (dialog, typed, "png", FALSE);
  g_assert_true (g_file_test (svg, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  /* A chooser for the format the dialog chose: that filter only, and
   * it decides over a typed extension. */
  g_clear_object (&chooser);
  g_clear_object (&filters);
  chooser = ptl_export_chooser_new_for_suffix (GTK_WIDGET (page), "Export", "models.svg", "pdf");
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 1);
  suffix = ptl_export_chooser_get_suffix (chooser, &changed);
  g_assert_cmpstr (suffix, ==, "pdf");
  g_assert_true (changed);

  g_unlink (pdf);
  g_unlink (svg);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
message_cb (PtlChartView *view,
            const char   *text,
            const GError *error,
            char        **out)
{
  g_assert_no_error (error);
  g_free (*out);
  *out = g_strdup (text);
}

/* Each chart's menu: export that chart alone, copy it as an image. */
static void
test_chart_menu (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *message = NULL;
  g_autofree char *size = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkFlowBoxChild *card;
  PtlChartView *view;
  PtlChart *chart;
  GdkContentProvider *content;
  GdkTexture *texture;
  GtkWidget *button;
  PtlExportDialog *dialog;
  double width, height;

  run_to_completion (window);
  card = gtk_flow_box_get_child_at_index (_ptl_experiment_page_get_charts (page), 1);
  g_assert_nonnull (card);
  view = PTL_CHART_VIEW (find_descendant (GTK_WIDGET (card), PTL_TYPE_CHART_VIEW));
  chart = ptl_chart_view_get_chart (view);
  g_assert_nonnull (chart);
  g_signal_connect (view, "message", G_CALLBACK (message_cb), &message);

  /* The menu is a button on the card. */
  button = find_descendant (GTK_WIDGET (view), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)));

  /* Export: this chart alone, at the size of one chart, the format the
   * picked filter says. */
  dir = g_dir_make_tmp ("ptlab-chart-XXXXXX", &error);
  g_assert_no_error (error);
  png = g_build_filename (dir, "chart.png", NULL);
  svg = g_build_filename (dir, "chart.svg", NULL);
  file = g_file_new_for_path (png);
  dialog = open_export_dialog (GTK_WIDGET (view), "chart.export", &message);
  /* The dialog opens on this chart. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_named (GTK_WIDGET (dialog), "chart"))), ==, 2);
  set_spin (dialog, "width", g_settings_get_int (settings, "export-width"));
  set_spin (dialog, "height", 0);
  ptl_export_dialog_export_chosen (dialog, file, "svg", TRUE);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_file_get_contents (svg, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_cmpstr (message, ==, "Saved chart.svg");
  ptl_figure_get_default_size (ptl_experiment_page_get_result (page), ptl_chart_get_id (chart), NULL,
                               &width, &height);
  size = g_strdup_printf ("width=\"%d", g_settings_get_int (settings, "export-width"));
  g_assert_nonnull (strstr (contents, size));

  /* Copy: an image on the clipboard, the export's size in pixels. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "chart.copy", NULL));
  g_assert_cmpstr (message, ==, "Chart copied");
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (view)));
  g_assert_nonnull (content);
  g_value_init (&value, GDK_TYPE_TEXTURE);
  gdk_content_provider_get_value (content, &value, &error);
  g_assert_no_error (error);
  texture = g_value_get_object (&value);
  g_assert_cmpint (gdk_texture_get_width (texture), ==,
                   (int) ceil (g_settings_get_int (settings, "export-width") *
                               g_settings_get_double (settings, "export-scale")));
  g_assert_cmpint (gdk_texture_get_height (texture), ==,
                   (int) ceil (ceil (height * g_settings_get_int (settings, "export-width") / width) *
                               g_settings_get_double (settings, "export-scale")));

  g_unlink (svg);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* After a cancel, what was measured can be exported, marked as partial. */
static void
test_export_partial (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  PtlExperiment *experiment = ptl_experiment_page_get_experiment (page);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;
  gint64 deadline = g_get_monotonic_time () + RUN_TIMEOUT_S * G_USEC_PER_SEC;
  guint wake;
  JsonObject *root;
  PtlResult *result;
  GtkWidget *view;
  PtlExportDialog *dialog;
  g_autofree char *message = NULL;

  /* Rounds of well under a second, many of them. */
  ptl_experiment_set_param (experiment, "tasks", "10", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (experiment, "repeats", "20", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (experiment, "sweep", "true", &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_false (ptl_experiment_page_get_can_export (page));
  wake = g_timeout_add (20, wake_cb, NULL);
  while (ptl_experiment_page_get_result (page) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  g_assert_true (ptl_experiment_page_get_running (page));
  g_assert_false (ptl_experiment_page_get_can_export (page));
  /* While it runs, no chart exports or copies alone either. */
  view = find_descendant (GTK_WIDGET (_ptl_experiment_page_get_charts (page)), PTL_TYPE_CHART_VIEW);
  g_assert_nonnull (view);
  g_signal_connect (view, "message", G_CALLBACK (message_cb), &message);
  gtk_widget_activate_action (view, "chart.copy", NULL);
  g_assert_null (message);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  wait_until_idle (page, CANCEL_LIMIT_S);

  result = ptl_experiment_page_get_result (page);
  g_assert_nonnull (result);
  g_assert_true (g_str_has_prefix (ptl_result_get_partial (result), "cancelled after "));
  g_assert_true (g_str_has_prefix (ptl_result_get_warning (result, 0), "Partial result — cancelled after "));
  g_assert_true (ptl_experiment_page_get_can_export (page));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.export"));
  view = find_descendant (GTK_WIDGET (_ptl_experiment_page_get_charts (page)), PTL_TYPE_CHART_VIEW);
  g_signal_connect (view, "message", G_CALLBACK (message_cb), &message);
  g_assert_true (gtk_widget_activate_action (view, "chart.copy", NULL));
  g_assert_cmpstr (message, ==, "Chart copied");

  dir = g_dir_make_tmp ("ptlab-partial-XXXXXX", &error);
  g_assert_no_error (error);
  json = g_build_filename (dir, "partial.json", NULL);
  file = g_file_new_for_path (json);
  dialog = open_export_dialog (GTK_WIDGET (window), "win.export", &message);
  ptl_export_dialog_export_chosen (dialog, file, "json", TRUE);
  json_parser_load_from_file (parser, json, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "partial"), ==, ptl_result_get_partial (result));

  g_unlink (json);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The monitor's charts: only for runs long enough to sample, only the
 * run's threads and children, and off when the user says so. */
static void
test_monitor_charts (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  PtlMonitorPanel *panel;
  PtlProcMonitor *monitor;
  PtlChart *cpu;
  PtlResult *result;

  /* A simulation of a few ms is too short to sample (two samples at the
   * default interval, unless the machine is starved): no monitor charts. */
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  page = _ptl_window_get_page (window);
  /* Each experiment's page has its own monitor panel. */
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (page), PTL_TYPE_MONITOR_PANEL));
  run_to_completion (window);
  monitor = ptl_monitor_panel_get_monitor (panel);
  g_test_message ("sched: %u samples", ptl_proc_monitor_get_n_samples (monitor));
  for (guint i = 0; i < 2; i++)
    g_assert_true ((ptl_result_find_chart (ptl_experiment_page_get_result (page),
                                           i == 0 ? "monitor-cpu" : "monitor-rss") == NULL) ==
                   (ptl_proc_monitor_get_n_samples (monitor) < PTL_PROC_MONITOR_MIN_CHART_SAMPLES));

  /* A longer run, sampled often. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  page = _ptl_window_get_page (window);
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (page), PTL_TYPE_MONITOR_PANEL));
  ptl_experiment_set_param (ptl_experiment_page_get_experiment (page), "io-ms", "100", &error);
  g_assert_no_error (error);
  g_settings_set_int (settings, "monitor-interval-ms", PTL_PROC_MONITOR_MIN_INTERVAL_MS);
  run_to_completion (window);
  result = ptl_experiment_page_get_result (page);
  monitor = ptl_monitor_panel_get_monitor (panel);
  g_test_message ("models: %u samples every %u ms over %.3f s, %u charts", ptl_proc_monitor_get_n_samples (monitor), ptl_proc_monitor_get_interval (monitor), ptl_proc_monitor_get_elapsed (monitor), ptl_result_get_n_charts (result));
  cpu = ptl_result_find_chart (result, "monitor-cpu");
  g_assert_nonnull (cpu);
  g_assert_cmpuint (ptl_chart_get_n_series (cpu), >=, 1);

  /* Every line is the run's: the window's main thread and the lab's
   * process (which sums the window's threads) are not among them, nor
   * any thread the window had before the run. */
  for (guint i = 0; i < ptl_proc_monitor_get_n_entities (monitor); i++)
    {
      const PtlProcEntity *entity = ptl_proc_monitor_get_entity (monitor, i);
      g_autofree char *label = ptl_proc_entity_dup_label (entity);

      if (!ptl_proc_entity_get_is_run (entity))
        g_assert_null (ptl_chart_find_series (cpu, label));
      if (ptl_proc_entity_get_kind (entity) == PTL_PROC_KIND_THREAD && ptl_proc_entity_get_id (entity) == getpid ())
        g_assert_false (ptl_proc_entity_get_is_run (entity));
    }
  for (guint i = 0; i < ptl_chart_get_n_series (cpu); i++)
    {
      const char *name = ptl_series_get_name (ptl_chart_get_series (cpu, i));
      g_autofree char *self_pid = g_strdup_printf ("(PID %d)", getpid ());
      g_autofree char *main_tid = g_strdup_printf ("(TID %d)", getpid ());

      g_assert_null (strstr (name, self_pid));
      g_assert_null (strstr (name, main_tid));
    }

  /* Kept out of results (and so out of exports) on request. */
  g_settings_set_boolean (settings, "monitor-charts", FALSE);
  run_to_completion (window);
  g_assert_cmpuint (ptl_proc_monitor_get_n_samples (ptl_monitor_panel_get_monitor (panel)), >=,
                    PTL_PROC_MONITOR_MIN_CHART_SAMPLES);
  g_assert_null (ptl_result_find_chart (ptl_experiment_page_get_result (page), "monitor-cpu"));
  g_assert_null (ptl_result_find_chart (ptl_experiment_page_get_result (page), "monitor-rss"));

  g_settings_reset (settings, "monitor-charts");
  g_settings_reset (settings, "monitor-interval-ms");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Typing a value the rule refuses: shown as an error, not applied. */
static void
test_param_form (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  PtlParamForm *form = _ptl_experiment_page_get_form (page);
  PtlExperiment *experiment = ptl_param_form_get_experiment (form);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *saved_text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *tasks_default = NULL;
  GtkSpinButton *spin;
  GParamSpec *tasks;

  /* The first numeric row: "tasks" leads the models form. */
  spin = GTK_SPIN_BUTTON (find_descendant (GTK_WIDGET (form), GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin);
  tasks = ptl_experiment_find_param (experiment, "tasks");
  g_assert_nonnull (tasks);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 4);

  before = ptl_experiment_dup_param_text (experiment, "tasks");
  gtk_editable_set_text (GTK_EDITABLE (spin), "not a number");
  gtk_spin_button_update (spin);
  after = ptl_experiment_dup_param_text (experiment, "tasks");
  g_assert_cmpstr (before, ==, after);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (spin)));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 4);
  /* The spin button shows the applied value again, so it may run. */
  g_assert_true (ptl_param_form_get_valid (form));

  /* Out of range is refused the same way. */
  {
    g_autofree char *too_big = g_strdup_printf ("%u", G_PARAM_SPEC_UINT (tasks)->maximum + 1);

    gtk_editable_set_text (GTK_EDITABLE (spin), too_big);
    gtk_spin_button_update (spin);
    g_clear_pointer (&after, g_free);
    after = ptl_experiment_dup_param_text (experiment, "tasks");
    g_assert_cmpstr (before, ==, after);
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));
  }

  /* A valid value is applied and clears the error. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "3");
  gtk_spin_button_update (spin);
  g_clear_pointer (&after, g_free);
  after = ptl_experiment_dup_param_text (experiment, "tasks");
  g_assert_cmpstr (after, ==, "3");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));
  g_assert_true (ptl_param_form_get_valid (form));
  g_assert_true (ptl_experiment_page_get_can_run (page));

  /* Values last used are saved per experiment... */
  saved = g_settings_get_value (settings, "parameters");
  g_assert_true (g_variant_lookup (saved, "models", "s", &saved_text));
  g_assert_nonnull (strstr (saved_text, "\"tasks\":\"3\""));

  /* ...and restored into a new window. */
  {
    PtlWindow *other = ptl_window_new (NULL);
    PtlExperiment *restored;
    g_autofree char *text = NULL;

    g_assert_true (ptl_window_show_experiment (other, "models"));
    restored = ptl_experiment_page_get_experiment (_ptl_window_get_page (other));
    text = ptl_experiment_dup_param_text (restored, "tasks");
    g_assert_cmpstr (text, ==, "3");
    gtk_window_destroy (GTK_WINDOW (other));
  }

  /* Reset brings the defaults back, in the widget too. */
  ptl_param_form_reset (form);
  tasks_default = ptl_param_dup_default_text (tasks);
  g_clear_pointer (&after, g_free);
  after = ptl_experiment_dup_param_text (experiment, "tasks");
  g_assert_cmpstr (after, ==, tasks_default);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, g_ascii_strtod (tasks_default, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The widget named @column ("name", "arrival", …) in row @row of sheet
 * @sheet ("processes", "available") of a table editor. */
static GtkWidget *
find_in_sheet (PtlTableEditor *editor,
               const char     *sheet,
               guint           row,
               const char     *column)
{
  GtkWidget *list = find_named (GTK_WIDGET (editor), sheet);
  GtkListBoxRow *list_row;

  g_assert_true (GTK_IS_LIST_BOX (list));
  list_row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) row);
  g_assert_nonnull (list_row);
  return find_named (GTK_WIDGET (list_row), column);
}

/* A whole cell. */
static GtkEditable *
find_sheet_cell (PtlTableEditor *editor,
                 const char     *sheet,
                 guint           row,
                 const char     *column)
{
  GtkWidget *cell = find_in_sheet (editor, sheet, row, column);

  g_assert_true (GTK_IS_EDITABLE (cell));
  return GTK_EDITABLE (cell);
}

/* The box of a split vector's items. */
static GtkWidget *
find_items_box (PtlTableEditor *editor,
                const char     *sheet,
                guint           row,
                const char     *column)
{
  GtkWidget *box = find_in_sheet (editor, sheet, row, column);

  g_assert_true (GTK_IS_BOX (box));
  return box;
}

/* Item @item (0 for resource type A) of a split vector's cell. */
static GtkEditable *
find_sheet_item (PtlTableEditor *editor,
                 const char     *sheet,
                 guint           row,
                 const char     *column,
                 guint           item)
{
  GtkWidget *cell = gtk_widget_get_first_child (find_items_box (editor, sheet, row, column));

  for (guint i = 0; i < item && cell != NULL; i++)
    cell = gtk_widget_get_next_sibling (cell);
  g_assert_true (GTK_IS_EDITABLE (cell));
  return GTK_EDITABLE (cell);
}

/* A split vector's items as shown, joined by spaces: "7 5 3". */
static char *
dup_sheet_items (PtlTableEditor *editor,
                 const char     *sheet,
                 guint           row,
                 const char     *column)
{
  GtkWidget *box = find_items_box (editor, sheet, row, column);
  GString *text = g_string_new (NULL);

  for (GtkWidget *cell = gtk_widget_get_first_child (box); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", gtk_editable_get_text (GTK_EDITABLE (cell)));
  return g_string_free (text, FALSE);
}

#define check_items(editor, sheet, row, column, expected) \
  G_STMT_START { \
    g_autofree char *shown_ = dup_sheet_items (editor, sheet, row, column); \
    g_assert_cmpstr (shown_, ==, expected); \
  } G_STMT_END

/* The cell of the workload table in row @row and column @column
 * ("name", "arrival", "bursts" or "priority"). */
static GtkEditable *
find_cell (PtlTableEditor *editor,
           guint           row,
           const char     *column)
{
  return find_sheet_cell (editor, "processes", row, column);
}

/* New widgets get their size on the next frame. */
static void
wait_for_size (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* The scheduling workload in the window: the table follows the
 * parameter, edits are saved and become the parameter, refusals change
 * nothing, and a run of every algorithm shows its Gantt charts. */
static void
test_sched_workload (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  PtlExperimentPage *page;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlSchedWorkload) saved = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GFile) good_file = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PtlTableEditor *editor;
  PtlExperiment *experiment;
  g_autoptr(PtlSchedWorkload) workload = NULL;
  PtlTableInput *input;
  GtkEditable *cell;
  gint64 arrival;
  guint n;

  gtk_window_present (GTK_WINDOW (window));

  /* "models" has a workload parameter too, but a choice, not a file. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  page = _ptl_window_get_page (window);
  editor = PTL_TABLE_EDITOR (find_descendant (GTK_WIDGET (page), PTL_TYPE_TABLE_EDITOR));
  g_assert_nonnull (editor);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (ptl_window_show_experiment (window, "sched-real"));
  page = _ptl_window_get_page (window);
  editor = PTL_TABLE_EDITOR (find_descendant (GTK_WIDGET (page), PTL_TYPE_TABLE_EDITOR));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));

  g_assert_true (ptl_window_show_experiment (window, "sched"));
  page = _ptl_window_get_page (window);
  editor = PTL_TABLE_EDITOR (find_descendant (GTK_WIDGET (page), PTL_TYPE_TABLE_EDITOR));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  experiment = ptl_experiment_page_get_experiment (page);
  g_assert_true (ptl_table_editor_get_experiment (editor) == experiment);

  /* The table shows what the parameter names: a generator at first. */
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_true (g_strv_contains (ptl_sched_workload_list_kinds (), spec));
  input = ptl_table_editor_get_input (editor);
  g_assert_nonnull (input);
  workload = ptl_sched_table_to_workload (input);
  n = ptl_sched_workload_get_n_processes (workload);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (gtk_editable_get_text (find_cell (editor, 0, "name")), ==,
                   ptl_sched_workload_get_name (workload, 0));

  /* Adding a process saves the workload in the user's data folder and
   * makes that file the parameter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "table.add", "u", 0));
  path = ptl_table_editor_dup_path (editor);
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (spec, ==, path);
  input = ptl_table_editor_get_input (editor);
  g_clear_object (&workload);
  workload = ptl_sched_table_to_workload (input);
  g_assert_cmpuint (ptl_sched_workload_get_n_processes (workload), ==, n + 1);
  saved = ptl_sched_workload_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ptl_sched_workload_get_n_processes (saved), ==, n + 1);
  g_assert_cmpstr (gtk_editable_get_text (find_cell (editor, n, "name")), ==,
                   ptl_sched_workload_get_name (saved, n));

  /* An arrival the format refuses: the cell says why, nothing changes. */
  arrival = ptl_sched_workload_get_arrival (workload, 0);
  before = read_file (path);
  cell = find_cell (editor, 0, "arrival");
  for (guint i = 0; i < 2; i++)
    {
      static const char *refused[] = { "abc", "-1" };

      gtk_editable_set_text (cell, refused[i]);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
      g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (cell)));
      g_assert_nonnull (ptl_table_editor_get_message (editor));
      g_assert_true (ptl_table_editor_get_input (editor) == input);
      g_assert_cmpint (ptl_sched_workload_get_arrival (workload, 0), ==, arrival);
      after = read_file (path);
      g_assert_cmpstr (after, ==, before);
      g_clear_pointer (&after, g_free);
    }

  /* A valid one is applied and saved. */
  gtk_editable_set_text (cell, "3");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
  g_assert_null (ptl_table_editor_get_message (editor));
  input = ptl_table_editor_get_input (editor);
  g_clear_object (&workload);
  workload = ptl_sched_table_to_workload (input);
  g_assert_cmpint (ptl_sched_workload_get_arrival (workload, 0), ==, 3);
  g_clear_object (&saved);
  saved = ptl_sched_workload_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ptl_sched_workload_get_arrival (saved, 0), ==, 3);
  g_assert_true (ptl_param_form_get_valid (_ptl_experiment_page_get_form (page)));

  /* A malformed file is refused with the loader's line, and nothing
   * changes. */
  bad_file = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", "sched", "bad-arrival.csv", NULL));
  g_assert_false (ptl_table_editor_import (editor, bad_file, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (ptl_table_editor_get_message (editor), "line 3"));
  g_clear_error (&error);
  g_assert_true (ptl_table_editor_get_input (editor) == input);
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (spec, ==, path);

  /* A good one becomes the user's own copy. */
  good_file = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", "sched", "io-mix.csv", NULL));
  g_assert_true (ptl_table_editor_import (editor, good_file, &error));
  g_assert_no_error (error);
  g_assert_null (ptl_table_editor_get_message (editor));
  input = ptl_table_editor_get_input (editor);
  g_clear_object (&workload);
  workload = ptl_sched_table_to_workload (input);
  g_assert_cmpuint (ptl_sched_workload_get_n_processes (workload), ==, 3);
  g_assert_cmpstr (gtk_editable_get_text (find_cell (editor, 0, "bursts")), ==, "2;10;2;10;2");

  /* Export writes the format the name asks for, and only a known one. */
  {
    g_autofree char *dir = g_dir_make_tmp ("ptlab-workload-XXXXXX", &error);
    g_autofree char *json = g_build_filename (dir, "workload.json", NULL);
    g_autofree char *text = g_build_filename (dir, "workload.txt", NULL);
    g_autoptr(GFile) json_file = g_file_new_for_path (json);
    g_autoptr(GFile) text_file = g_file_new_for_path (text);
    g_autoptr(PtlSchedWorkload) exported = NULL;

    g_assert_no_error (error);
    g_assert_true (ptl_table_editor_export (editor, json_file, &error));
    g_assert_no_error (error);
    exported = ptl_sched_workload_load (json, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ptl_sched_workload_get_n_processes (exported), ==, 3);

    g_assert_false (ptl_table_editor_export (editor, text_file, &error));
    g_assert_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT);
    g_clear_error (&error);
    g_assert_nonnull (ptl_table_editor_get_message (editor));
    g_assert_false (g_file_test (text, G_FILE_TEST_EXISTS));

    g_unlink (json);
    g_rmdir (dir);
  }

  /* A generator: the parameter names it, and the table shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "table.preset", "s", "convoy"));
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (spec, ==, "convoy");
  {
    g_autofree char *processes = ptl_experiment_dup_param_text (experiment, "processes");

    input = ptl_table_editor_get_input (editor);
  g_clear_object (&workload);
  workload = ptl_sched_table_to_workload (input);
    g_assert_cmpuint (ptl_sched_workload_get_n_processes (workload), ==, g_ascii_strtoull (processes, NULL, 10));
  }

  /* Every algorithm: a Gantt chart each, and the summary. */
  ptl_experiment_set_param (experiment, "algorithm", "all", &error);
  g_assert_no_error (error);
  iterate_pending ();
  run_to_completion (window);
  {
    PtlResult *result = ptl_experiment_page_get_result (page);
    GtkFlowBox *charts = _ptl_experiment_page_get_charts (page);
    GtkWidget *gantt_view = NULL;
    guint n_gantt = 0;

    g_assert_nonnull (result);
    for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
      {
        GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (charts, (int) i);
        GtkWidget *view;
        PtlChart *chart;

        g_assert_nonnull (child);
        view = find_descendant (GTK_WIDGET (child), PTL_TYPE_CHART_VIEW);
        chart = ptl_chart_view_get_chart (PTL_CHART_VIEW (view));
        g_assert_nonnull (chart);
        if (g_str_has_prefix (ptl_chart_get_id (chart), "gantt-"))
          {
            g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_TIMELINE);
            if (gantt_view == NULL)
              gantt_view = view;
            n_gantt++;
          }
      }
    g_assert_cmpuint (n_gantt, ==, PTL_SCHED_N_ALGORITHMS);
    g_assert_cmpuint (ptl_table_get_n_rows (ptl_result_get_summary (result)), ==, PTL_SCHED_N_ALGORITHMS);
    g_assert_true (gtk_widget_is_visible (GTK_WIDGET (_ptl_experiment_page_get_summary (page))));
    g_assert_true (GTK_IS_LABEL (gtk_grid_get_child_at (_ptl_experiment_page_get_summary (page),
                                                        0, 1 + PTL_SCHED_N_ALGORITHMS)));

    /* Hovering a Gantt chart: some point hits a slice of the lane under
     * it, and the view has a tooltip for it. */
    {
      PtlChart *chart = ptl_chart_view_get_chart (PTL_CHART_VIEW (gantt_view));
      const PtlSlice *slices;
      PtlPlotStyle style;
      PtlChartHit hit = { 0 };
      gboolean found = FALSE;
      gboolean has_tooltip = FALSE;
      guint n_slices;
      int hit_x = 0;
      int hit_y = 0;
      int width;
      int height;

      wait_for_size (gantt_view);
      width = gtk_widget_get_width (gantt_view);
      height = gtk_widget_get_height (gantt_view);
      ptl_plot_style_init_light (&style);
      for (int y = 0; y < height && !found; y += 2)
        for (int x = 0; x < width && !found; x += 4)
          if (ptl_chart_hit_test (chart, &style, width, height, x, y, &hit))
            {
              found = TRUE;
              hit_x = x;
              hit_y = y;
            }
      g_assert_true (found);
      slices = ptl_chart_get_slices (chart, &n_slices);
      g_assert_cmpuint (hit.point, <, n_slices);
      g_assert_cmpuint (slices[hit.point].lane, ==, hit.series);

      {
        GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);

        g_signal_emit_by_name (gantt_view, "query-tooltip", hit_x, hit_y, FALSE, tooltip, &has_tooltip);
        g_object_unref (tooltip);
      }
      g_assert_true (has_tooltip);
    }
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Item 1 of issue 8: a number field being edited when the user picks
 * another experiment. Focus leaving the spin button makes it parse its
 * text ("input") after the form dropped the row behind it; this went
 * through freed memory. The text is typed and the +/- buttons clicked
 * as GTK delivers them, then the sidebar row is activated. */
static void
test_switch_while_editing (void)
{
  PtlWindow *window = open_models_window ();
  GtkListBox *list = _ptl_window_get_experiment_list (window);
  PtlExperimentPage *page = _ptl_window_get_page (window);
  PtlParamForm *form = _ptl_experiment_page_get_form (page);
  PtlExperiment *models = ptl_param_form_get_experiment (form);
  GtkSpinButton *spin;
  GtkListBoxRow *row = NULL;
  g_autofree char *tasks = NULL;

  spin = GTK_SPIN_BUTTON (find_descendant (GTK_WIDGET (form), GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (spin)));
  iterate_pending ();

  /* What a click on "+" does: applied at once. */
  gtk_spin_button_spin (spin, GTK_SPIN_STEP_FORWARD, 1);
  iterate_pending ();
  tasks = ptl_experiment_dup_param_text (models, "tasks");
  g_assert_cmpstr (tasks, ==, "5");

  /* Typed, not yet parsed: the focus change will parse it. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "6");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (spin)) ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), GTK_WIDGET (spin)));

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (ptl_experiment_get_id (g_object_get_data (G_OBJECT (row), "ptl-experiment")), "sched") == 0)
      break;
  g_assert_nonnull (row);
  /* As a click does: the row is selected, and only then takes the focus. */
  gtk_list_box_select_row (list, row);
  g_signal_emit_by_name (list, "row-activated", row);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  iterate_pending ();

  page = _ptl_window_get_page (window);
  g_assert_cmpstr (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)), ==, "sched");
  /* The typed value went to models, where it was typed, or nowhere. */
  g_clear_pointer (&tasks, g_free);
  tasks = ptl_experiment_dup_param_text (models, "tasks");
  g_assert_cmpstr (tasks, ==, "6");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The same with the form itself given another experiment (the edit is
 * dropped), and with the window closed, while a number is being typed:
 * nothing runs on the rows the form let go, nor reaches the other
 * experiment. */
static void
test_form_switch_while_editing (void)
{
  g_autoptr(PtlExperiment) models = ptl_registry_create ("models", NULL);
  g_autoptr(PtlExperiment) pool = ptl_registry_create ("pool", NULL);
  g_autoptr(JsonObject) pool_before = NULL;
  g_autoptr(JsonObject) pool_after = NULL;
  g_autoptr(JsonNode) before_node = NULL;
  g_autoptr(JsonNode) after_node = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *tasks_before = NULL;
  g_autofree char *tasks_after = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *form = ptl_param_form_new ();
  GtkWidget *spin;

  gtk_window_set_child (GTK_WINDOW (window), form);
  ptl_param_form_set_experiment (PTL_PARAM_FORM (form), models);
  gtk_window_present (GTK_WINDOW (window));
  iterate_pending ();

  for (guint round = 0; round < 2; round++)
    {
      spin = find_descendant (form, GTK_TYPE_SPIN_BUTTON);
      g_assert_nonnull (spin);
      g_assert_true (gtk_widget_grab_focus (spin));
      tasks_before = ptl_experiment_dup_param_text (models, "tasks");
      pool_before = ptl_experiment_dup_params_json (pool);
      gtk_editable_set_text (GTK_EDITABLE (spin), "7");

      if (round == 0)
        {
          ptl_param_form_set_experiment (PTL_PARAM_FORM (form), pool);
          iterate_pending ();
          /* Back to models for the second round. */
          ptl_param_form_set_experiment (PTL_PARAM_FORM (form), models);
          iterate_pending ();
        }
      else
        {
          gtk_window_destroy (GTK_WINDOW (window));
          iterate_pending ();
        }

      /* Closing the window moves the focus first, which applies the
       * edit while the form still holds models: either is right there. */
      tasks_after = ptl_experiment_dup_param_text (models, "tasks");
      if (round == 0)
        g_assert_cmpstr (tasks_after, ==, tasks_before);
      pool_after = ptl_experiment_dup_params_json (pool);
      before_node = json_node_init_object (json_node_alloc (), pool_before);
      after_node = json_node_init_object (json_node_alloc (), pool_after);
      before_text = json_to_string (before_node, FALSE);
      after_text = json_to_string (after_node, FALSE);
      g_assert_cmpstr (after_text, ==, before_text);

      g_clear_pointer (&tasks_before, g_free);
      g_clear_pointer (&tasks_after, g_free);
      g_clear_pointer (&pool_before, json_object_unref);
      g_clear_pointer (&pool_after, json_object_unref);
      g_clear_pointer (&before_node, json_node_unref);
      g_clear_pointer (&after_node, json_node_unref);
      g_clear_pointer (&before_text, g_free);
      g_clear_pointer (&after_text, g_free);
    }
}

/* A refused cell of the workload table keeps the focus while the table
 * is rebuilt (a generator chosen): the focus leaves it only once its row
 * is gone, and nothing may be looked up for that row. */
static void
test_workload_rebuild_while_editing (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  PtlTableEditor *editor;
  GtkEditable *cell;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  editor = PTL_TABLE_EDITOR (find_descendant (GTK_WIDGET (_ptl_window_get_page (window)),
                                                 PTL_TYPE_TABLE_EDITOR));
  g_assert_nonnull (editor);
  iterate_pending ();

  cell = find_cell (editor, 0, "arrival");
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (cell)));
  gtk_editable_set_text (cell, "abc");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));

  /* Another generator than the one shown, so the table is rebuilt. */
  {
    PtlExperiment *experiment = ptl_table_editor_get_experiment (editor);
    g_autofree char *shown = ptl_experiment_dup_param_text (experiment, "workload");
    const char * const *kinds = ptl_sched_workload_list_kinds ();
    const char *other = g_strcmp0 (kinds[0], shown) != 0 ? kinds[0] : kinds[1];

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "table.preset", "s", other));
  }
  iterate_pending ();
  g_assert_null (ptl_table_editor_get_message (editor));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_cell (editor, 0, "arrival")), "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
match_css_class (GtkWidget     *widget,
                 gconstpointer  name)
{
  return gtk_widget_has_css_class (widget, name);
}

/* Whether the sidebar marks @id's row as running. */
static gboolean
sidebar_shows_running (PtlWindow  *window,
                       const char *id)
{
  GtkListBox *list = _ptl_window_get_experiment_list (window);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      PtlExperiment *experiment = g_object_get_data (G_OBJECT (row), "ptl-experiment");

      if (g_strcmp0 (ptl_experiment_get_id (experiment), id) == 0)
        {
          GtkWidget *mark = find_widget (GTK_WIDGET (row), match_css_class, "ptl-running");

          g_assert_nonnull (mark);
          return gtk_widget_get_visible (mark);
        }
    }
  g_assert_not_reached ();
}

static void
set_params (PtlExperiment     *experiment,
            const char * const params[][2],
            guint              n_params)
{
  for (guint i = 0; i < n_params; i++)
    {
      g_autoptr(GError) error = NULL;

      ptl_experiment_set_param (experiment, params[i][0], params[i][1], &error);
      g_assert_no_error (error);
    }
}

/* Item 2 of issue 8: each experiment keeps its result and parameters while
 * others are shown, and a run goes on behind another page, marked in the
 * sidebar; the window's actions follow the page shown. */
static void
test_pages_keep_results (void)
{
  static const char * const long_models[][2] = {
    { "tasks", "200" }, { "io-ms", "100" }, { "repeats", "20" }, { "sweep", "true" },
  };
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *models_page = _ptl_window_get_page (window);
  PtlExperimentPage *sched_page;
  PtlResult *sched_result;
  g_autofree char *quantum = NULL;
  GtkGrid *summary;

  g_assert_true (ptl_window_show_experiment (window, "sched"));
  sched_page = _ptl_window_get_page (window);
  g_assert_true (sched_page != models_page);
  set_params (ptl_experiment_page_get_experiment (sched_page),
              (const char * const[][2]) { { "quantum", "3" } }, 1);
  run_to_completion (window);
  sched_result = ptl_experiment_page_get_result (sched_page);
  g_assert_nonnull (sched_result);
  g_assert_true (ptl_experiment_page_get_can_export (sched_page));
  /* Item 5: a run of milliseconds is too short to judge the window's
   * share of a CPU, and gets no warning about it. */
  if (ptl_test_checks_measured ("a run of milliseconds gets no warning about the window's CPU"))
    for (guint i = 0; i < ptl_result_get_n_warnings (sched_result); i++)
      g_assert_null (strstr (ptl_result_get_warning (sched_result, i), "The window itself"));

  /* Away to models and back: the same result, table and parameters. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  g_assert_true (_ptl_window_get_page (window) == models_page);
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.export"));
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  g_assert_true (_ptl_window_get_page (window) == sched_page);
  g_assert_true (ptl_experiment_page_get_result (sched_page) == sched_result);
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.export"));
  summary = _ptl_experiment_page_get_summary (sched_page);
  g_assert_nonnull (gtk_grid_get_child_at (summary, 0, 2));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (summary)));
  quantum = ptl_experiment_dup_param_text (ptl_experiment_page_get_experiment (sched_page), "quantum");
  g_assert_cmpstr (quantum, ==, "3");

  /* A long models run, then sched shown while it goes on. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  set_params (ptl_experiment_page_get_experiment (models_page), long_models, G_N_ELEMENTS (long_models));
  iterate_pending ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (ptl_experiment_page_get_running (models_page));
  g_assert_true (sidebar_shows_running (window, "models"));
  g_assert_false (sidebar_shows_running (window, "sched"));

  g_assert_true (ptl_window_show_experiment (window, "sched"));
  iterate_pending ();
  g_assert_true (ptl_experiment_page_get_running (models_page));
  g_assert_true (sidebar_shows_running (window, "models"));
  /* The actions are sched's: it may run and export, nothing to cancel. */
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.run"));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.export"));
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.cancel"));
  /* Escape here does not stop the run behind. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_true (ptl_experiment_page_get_can_cancel (models_page));

  /* Back to models: still going, and its Cancel stops it. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.cancel"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  wait_until_idle (models_page, CANCEL_LIMIT_S);
  iterate_pending ();
  g_assert_false (sidebar_shows_running (window, "models"));
  g_assert_true (ptl_experiment_page_get_result (sched_page) == sched_result);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A run that finishes while another page is shown lands on its own page. */
static void
test_run_behind_other_page (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *models_page = _ptl_window_get_page (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  g_assert_true (sidebar_shows_running (window, "models"));
  wait_until_idle (models_page, RUN_TIMEOUT_S);
  iterate_pending ();

  g_assert_false (sidebar_shows_running (window, "models"));
  g_assert_nonnull (ptl_experiment_page_get_result (models_page));
  g_assert_true (ptl_experiment_page_get_can_export (models_page));
  g_assert_null (ptl_experiment_page_get_result (_ptl_window_get_page (window)));
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.export"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Item 3 of issue 8: the summary table never takes the mouse wheel from
 * the page (no scroll handling for vertical motion between the table and
 * the page's own scroller), shows every row, and when wider than the
 * page has a visible scrollbar of its own. */
static void
test_summary_table (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  PtlExperimentPage *page;
  GtkWidget *grid;
  GtkWidget *scroller = NULL;
  GtkWidget *page_scroller = NULL;
  GtkAdjustment *hadjustment;
  g_autoptr(GError) error = NULL;
  int min_height;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  page = _ptl_window_get_page (window);
  ptl_experiment_set_param (ptl_experiment_page_get_experiment (page), "algorithm", "all", &error);
  g_assert_no_error (error);
  iterate_pending ();
  run_to_completion (window);
  grid = GTK_WIDGET (_ptl_experiment_page_get_summary (page));
  wait_for_size (grid);

  for (GtkWidget *widget = grid; widget != GTK_WIDGET (page); widget = gtk_widget_get_parent (widget))
    {
      g_autoptr(GListModel) controllers = NULL;

      /* The page's own scroller, the first that scrolls vertically, is
       * where the wheel belongs. */
      if (GTK_IS_SCROLLED_WINDOW (widget))
        {
          GtkPolicyType vpolicy;

          gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (widget), NULL, &vpolicy);
          if (vpolicy != GTK_POLICY_NEVER)
            {
              page_scroller = widget;
              break;
            }
          scroller = widget;
        }

      controllers = gtk_widget_observe_controllers (widget);
      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller) &&
              gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_NONE)
            g_assert_false (gtk_event_controller_scroll_get_flags (GTK_EVENT_CONTROLLER_SCROLL (controller)) &
                            GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
        }
    }
  g_assert_nonnull (page_scroller);
  g_assert_nonnull (scroller);

  /* Every row in sight, vertically. */
  gtk_widget_measure (grid, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (grid),
                      &min_height, NULL, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_height (scroller), >=, min_height);

  /* Sideways: either all of it fits, or a scrollbar shows. */
  hadjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  if (gtk_adjustment_get_upper (hadjustment) > gtk_adjustment_get_page_size (hadjustment))
    {
      /* Below the table, not the scrolled window's own (overlaid on the
       * last row). */
      GtkWidget *scrollbar = gtk_widget_get_next_sibling (scroller);

      g_assert_true (GTK_IS_SCROLLBAR (scrollbar));
      /* Shown from the allocation that found the table too wide: a
       * frame later. */
      {
        gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
        guint wake = g_timeout_add (20, wake_cb, NULL);

        while (!gtk_widget_get_mapped (scrollbar) && g_get_monotonic_time () < deadline)
          g_main_context_iteration (NULL, TRUE);
        g_source_remove (wake);
      }
      g_assert_true (gtk_widget_get_mapped (scrollbar));
      g_assert_true (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (scrollbar)) == hadjustment);
    }
  else
    g_assert_cmpint (gtk_widget_get_width (scroller), >=, gtk_widget_get_width (grid));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_message_dialog_of (GtkWindow *dialog,
                      GtkWindow *parent)
{
  return ADW_IS_MESSAGE_DIALOG (dialog) && gtk_window_get_transient_for (dialog) == parent;
}

/* Item 10 of issue 8: `ptlab FILE` opens a saved result as it was, a
 * scheduling workload in the scheduling experiment, and says what is
 * wrong with anything else, in the window. */
static void
test_open_files (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  g_autoptr(PtlExperiment) sched = ptl_registry_create ("sched", NULL);
  g_autoptr(PtlResult) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) result_file = NULL;
  g_autoptr(GFile) workload_file = NULL;
  g_autoptr(GFile) bad_workload = NULL;
  g_autoptr(GFile) garbage_file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *result_path = NULL;
  g_autofree char *garbage_path = NULL;
  g_autofree char *quantum = NULL;
  g_autofree char *spec = NULL;
  PtlExperimentPage *page;
  PtlResult *shown;
  gboolean dialog_shown = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "models"));

  /* A result saved from a run with a quantum of 5. */
  dir = g_dir_make_tmp ("ptlab-open-XXXXXX", &error);
  g_assert_no_error (error);
  ptl_experiment_set_param (sched, "quantum", "5", &error);
  g_assert_no_error (error);
  saved = ptl_experiment_run_sync (sched, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  result_path = g_build_filename (dir, "sched-result.json", NULL);
  g_assert_true (ptl_result_save_json (saved, result_path, &error));
  g_assert_no_error (error);

  result_file = g_file_new_for_path (result_path);
  g_assert_true (ptl_window_open_file (window, result_file, &error));
  g_assert_no_error (error);
  iterate_pending ();
  page = _ptl_window_get_page (window);
  g_assert_cmpstr (ptl_experiment_get_id (ptl_experiment_page_get_experiment (page)), ==, "sched");
  shown = ptl_experiment_page_get_result (page);
  g_assert_nonnull (shown);
  g_assert_cmpuint (ptl_result_get_n_charts (shown), ==, ptl_result_get_n_charts (saved));
  g_assert_true (ptl_experiment_page_get_can_export (page));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.export"));
  quantum = ptl_experiment_dup_param_text (ptl_experiment_page_get_experiment (page), "quantum");
  g_assert_cmpstr (quantum, ==, "5");
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "sched-result.json"));

  /* A workload: the scheduling page, with the file as its own copy. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  workload_file = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", "sched", "io-mix.csv", NULL));
  g_assert_true (ptl_window_open_file (window, workload_file, &error));
  g_assert_no_error (error);
  page = _ptl_window_get_page (window);
  g_assert_true (ptl_table_editor_can_edit (ptl_experiment_page_get_experiment (page)));
  spec = ptl_experiment_dup_param_text (ptl_experiment_page_get_experiment (page), "workload");
  g_assert_true (g_str_has_prefix (spec, g_get_user_data_dir ()));

  /* A malformed workload: the loader's line. */
  bad_workload = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", "sched", "bad-arrival.csv", NULL));
  g_assert_false (ptl_window_open_file (window, bad_workload, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  /* Neither: both readings are explained, in a dialog over the window. */
  garbage_path = g_build_filename (dir, "notes.json", NULL);
  g_assert_true (g_file_set_contents (garbage_path, "{\"hello\": 1}", -1, &error));
  garbage_file = g_file_new_for_path (garbage_path);
  g_assert_false (ptl_window_open_file (window, garbage_file, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "notes.json"));
  g_clear_error (&error);

  ptl_window_open_files (window, &garbage_file, 1);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (is_message_dialog_of (toplevel, GTK_WINDOW (window)))
          {
            dialog_shown = TRUE;
            gtk_window_destroy (toplevel);
          }
      }
  }
  g_assert_true (dialog_shown);

  g_unlink (result_path);
  g_unlink (garbage_path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* From item 9 of issue 8: the Live Monitor's list starts folded in a
 * short window, open in a tall one, and then as the user left it, in
 * every page and the next window. */
static void
test_monitor_expanded (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  PtlWindow *window;
  PtlMonitorPanel *panel;
  PtlMonitorPanel *other_panel;

  g_settings_set_int (settings, "window-height", 650);
  window = ptl_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "models"));
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (_ptl_window_get_page (window)), PTL_TYPE_MONITOR_PANEL));
  g_assert_false (ptl_monitor_panel_get_expanded (panel));
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_set_int (settings, "window-height", 900);
  window = ptl_window_new (NULL);
  g_assert_true (ptl_window_show_experiment (window, "models"));
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (_ptl_window_get_page (window)), PTL_TYPE_MONITOR_PANEL));
  g_assert_true (ptl_monitor_panel_get_expanded (panel));

  /* The user folds it: remembered, and other pages follow. */
  g_assert_true (ptl_window_show_experiment (window, "sched"));
  other_panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (_ptl_window_get_page (window)), PTL_TYPE_MONITOR_PANEL));
  g_assert_true (other_panel != panel);
  ptl_monitor_panel_set_expanded (panel, FALSE);
  g_assert_false (ptl_monitor_panel_get_expanded (other_panel));
  {
    g_autofree char *choice = g_settings_get_string (settings, "monitor-expanded");

    g_assert_cmpstr (choice, ==, "collapsed");
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* Opened again by the user in a short window: it stays open. */
  g_settings_set_int (settings, "window-height", 650);
  window = ptl_window_new (NULL);
  g_assert_true (ptl_window_show_experiment (window, "models"));
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (_ptl_window_get_page (window)), PTL_TYPE_MONITOR_PANEL));
  g_assert_false (ptl_monitor_panel_get_expanded (panel));
  ptl_monitor_panel_set_expanded (panel, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  window = ptl_window_new (NULL);
  g_assert_true (ptl_window_show_experiment (window, "models"));
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (_ptl_window_get_page (window)), PTL_TYPE_MONITOR_PANEL));
  g_assert_true (ptl_monitor_panel_get_expanded (panel));
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "monitor-expanded");
}

/* From item 9 of issue 8: "How It Works" opens in a window of its own,
 * sections under headings, rather than a long block in the side pane. */
static void
test_explanation (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  GtkWidget *button = NULL;
  GtkWindow *explanation = NULL;
  GListModel *toplevels;
  GtkWidget *heading;

  for (GtkWidget *label = find_label_containing (GTK_WIDGET (page), "How It Works");
       label != NULL && button == NULL;
       label = gtk_widget_get_parent (label))
    if (GTK_IS_BUTTON (label))
      button = label;
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  g_signal_emit_by_name (button, "clicked");
  iterate_pending ();

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && explanation == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        explanation = toplevel;
    }
  g_assert_nonnull (explanation);
  /* Wider than the side pane's 360 px, and the models text has sections. */
  wait_for_size (GTK_WIDGET (explanation));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (explanation)), >, 360);
  heading = find_widget (GTK_WIDGET (explanation), match_css_class, "heading");
  g_assert_nonnull (heading);
  g_assert_true (GTK_IS_LABEL (heading));
  g_assert_cmpuint (g_utf8_strlen (gtk_label_get_text (GTK_LABEL (heading)), -1), <=, 40);
  g_assert_false (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (heading)), "."));

  gtk_window_destroy (explanation);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* From item 9 of issue 8: a parameter listing some of a set of choices
 * ("Mechanisms: all") gets one check per choice the parameter declares;
 * every check is "all", an empty list cannot run. */
static void
test_list_param (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  PtlParamForm *form;
  PtlExperiment *ipc;
  GtkWidget *expander;
  GtkWidget *checks[32];
  const char * const *choices;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "ipc"));
  form = _ptl_experiment_page_get_form (_ptl_window_get_page (window));
  ipc = ptl_param_form_get_experiment (form);
  choices = ptl_param_get_list_choices (ptl_experiment_find_param (ipc, "mechanisms"));
  g_assert_nonnull (choices);
  ptl_experiment_set_param (ipc, "mechanisms", "all", &error);
  g_assert_no_error (error);

  expander = find_descendant (GTK_WIDGET (form), ADW_TYPE_EXPANDER_ROW);
  g_assert_nonnull (expander);
  for (GtkWidget *check = find_descendant (expander, GTK_TYPE_CHECK_BUTTON);
       check != NULL && n < G_N_ELEMENTS (checks);
       check = NULL)
    {
      /* Every check, in order, below the expander. */
      GtkWidget *list = gtk_widget_get_ancestor (check, GTK_TYPE_LIST_BOX);

      for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
        checks[n++] = find_descendant (row, GTK_TYPE_CHECK_BUTTON);
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) choices));
  for (guint i = 0; i < n; i++)
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (checks[i])));

  /* One off: the others, in the declared order. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (checks[1]), FALSE);
  text = ptl_experiment_dup_param_text (ipc, "mechanisms");
  g_assert_false (g_str_equal (text, "all"));
  g_assert_null (strstr (text, choices[1]));
  g_assert_true (g_str_has_prefix (text, choices[0]));
  g_clear_pointer (&text, g_free);

  /* All on again is "all". */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (checks[1]), TRUE);
  text = ptl_experiment_dup_param_text (ipc, "mechanisms");
  g_assert_cmpstr (text, ==, "all");
  g_clear_pointer (&text, g_free);

  /* None: the experiment's check says why, and it cannot run. */
  for (guint i = 0; i < n; i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (checks[i]), FALSE);
  g_assert_false (ptl_param_form_get_valid (form));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (form), "No IPC mechanism"));

  /* Set elsewhere (reset, the command line's value): the checks follow. */
  ptl_experiment_set_param (ipc, "mechanisms", choices[0], &error);
  g_assert_no_error (error);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (checks[0])));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (checks[1])));
  g_assert_true (ptl_param_form_get_valid (form));

  ptl_experiment_set_param (ipc, "mechanisms", "all", &error);
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

/* Issue 10, the generic table editor: the banker's state is edited in
 * the window like the scheduling workload. A refused cell says why in
 * place and changes nothing; an accepted one updates the need shown,
 * becomes the state parameter, and the run uses it. */
static void
test_bankers_table (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  g_autoptr(PtlBankersState) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bad_path = NULL;
  g_autoptr(GFile) bad_file = NULL;
  PtlExperimentPage *page;
  PtlExperiment *experiment;
  PtlTableEditor *editor;
  PtlTableInput *input;
  GtkEditable *cell;
  PtlTable *summary;
  int row;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "bankers"));
  page = _ptl_window_get_page (window);
  experiment = ptl_experiment_page_get_experiment (page);
  editor = PTL_TABLE_EDITOR (find_descendant (GTK_WIDGET (page), PTL_TYPE_TABLE_EDITOR));
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (ptl_table_editor_get_experiment (editor) == experiment);

  /* Silberschatz's example: the available vector, five processes, and
   * the need computed, shown read-only. */
  input = ptl_table_editor_get_input (editor);
  g_assert_nonnull (input);
  g_assert_cmpuint (ptl_table_input_get_n_rows (input, 1), ==, 5);
  check_items (editor, "available", 0, "available", "3 3 2");
  check_items (editor, "processes", 0, "maximum", "7 5 3");
  check_items (editor, "processes", 0, "need", "7 4 3");
  cell = find_sheet_item (editor, "processes", 0, "need", 0);
  g_assert_false (gtk_editable_get_editable (cell));

  /* More held than claimed: refused in place, naming the process and
   * the column, and the parameter stays. */
  cell = find_sheet_item (editor, "processes", 0, "allocation", 0);
  gtk_editable_set_text (cell, "8");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (cell)), "claims at most 7"));
  g_assert_true (g_str_has_prefix (ptl_table_editor_get_message (editor), "P0, Allocation: "));
  g_assert_true (ptl_table_editor_get_input (editor) == input);
  gtk_editable_set_text (cell, "1");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
  check_items (editor, "processes", 0, "need", "6 4 3");
  /* One number per resource type: a word, a blank or two numbers are
   * refused in the item's cell, named by its resource type. */
  cell = find_sheet_item (editor, "processes", 0, "allocation", 1);
  gtk_editable_set_text (cell, "x");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
  g_assert_true (g_str_has_prefix (ptl_table_editor_get_message (editor), "P0, Allocation B: expected a whole number"));
  gtk_editable_set_text (cell, "");
  g_assert_nonnull (strstr (ptl_table_editor_get_message (editor), "found “”"));
  gtk_editable_set_text (cell, "1 1");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));

  /* Accepted: saved as the user's own state, the need follows. */
  gtk_editable_set_text (cell, "1");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
  g_assert_null (ptl_table_editor_get_message (editor));
  check_items (editor, "processes", 0, "need", "6 4 3");
  path = ptl_table_editor_dup_path (editor);
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "state");
  g_assert_cmpstr (spec, ==, path);
  saved = ptl_bankers_state_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (saved->allocation[0], ==, 1);
  g_assert_cmpint (saved->allocation[1], ==, 1);
  g_assert_true (ptl_param_form_get_valid (_ptl_experiment_page_get_form (page)));

  /* The run uses the edited state: P0 now holds 1 1 0. */
  run_to_completion (window);
  g_assert_nonnull (ptl_experiment_page_get_result (page));
  summary = ptl_result_get_summary (ptl_experiment_page_get_result (page));
  row = ptl_table_find_row (summary, "P0");
  g_assert_cmpint (row, >=, 0);
  g_assert_cmpstr (ptl_table_get_text (summary, row, ptl_table_find_column (summary, "allocation")), ==, "1 1 0");
  g_assert_cmpstr (ptl_table_get_text (summary, row, ptl_table_find_column (summary, "need")), ==, "6 4 3");

  /* A malformed state file: the loader's line and column, nothing changes. */
  dir = g_dir_make_tmp ("ptlab-bankers-XXXXXX", &error);
  g_assert_no_error (error);
  bad_path = g_build_filename (dir, "bad.csv", NULL);
  g_assert_true (g_file_set_contents (bad_path, "available,3,3,2\nP0,7,5,x,0,1,0\n", -1, &error));
  bad_file = g_file_new_for_path (bad_path);
  g_assert_false (ptl_table_editor_import (editor, bad_file, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (ptl_table_editor_get_message (editor), "line 2"));
  g_clear_error (&error);
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "state");
  g_assert_cmpstr (spec, ==, path);

  /* A preset puts the example back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "table.preset", "s", "tanenbaum"));
  check_items (editor, "available", 0, "available", "1 0 2 0");

  g_unlink (bad_path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static PtlStepWindow *
find_step_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (PTL_IS_STEP_WINDOW (toplevel))
        return PTL_STEP_WINDOW (toplevel);
    }
  return NULL;
}

static void
wait_for_hint (PtlStepWindow *step)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (ptl_step_window_get_playing (step))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate_pending ();
}

/* Clicks thread @thread's Step button. */
static void
click_step (PtlStepWindow *step,
            guint          thread)
{
  GtkWidget *box = find_named (GTK_WIDGET (step), "steps");
  GtkWidget *card;
  GtkWidget *button;

  g_assert_nonnull (box);
  card = gtk_widget_get_parent (box);
  for (guint t = 0; t < thread; t++)
    card = gtk_widget_get_next_sibling (card);
  button = find_named (card, "step");
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  iterate_pending ();
}

/* Presses @keyval (no modifier) in @widget: runs the shortcut bound to
 * it, as a key press would. */
static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean pressed = FALSE;

  /* The class's bindings live in a shortcut controller, a list of them. */
  for (guint c = 0; c < g_list_model_get_n_items (controllers) && !pressed; c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !pressed; i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            pressed = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                    gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_assert_true (pressed);
  iterate_pending ();
}

/* Issue 10, step mode: opened from the race experiment's page on its
 * scenario; the user's steps (buttons, the 1/2/3 actions) reach a lost
 * update, undo and reset take them back, and the hint plays an order
 * that deadlocks the two locks, each announced. */
static void
test_step_mode (void)
{
  PtlWindow *window = ptl_window_new (NULL);
  GtkWidget *step_button;
  PtlStepWindow *step;
  const PtlStepEngine *engine;
  guint n_steps;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_window_show_experiment (window, "bankers"));
  step_button = find_actionable (GTK_WIDGET (window), "win.step-through");
  g_assert_nonnull (step_button);
  g_assert_false (gtk_widget_get_visible (step_button));
  g_assert_true (ptl_window_show_experiment (window, "race"));
  g_assert_true (gtk_widget_get_visible (step_button));
  g_signal_emit_by_name (step_button, "clicked");
  iterate_pending ();
  step = find_step_window ();
  g_assert_nonnull (step);
  g_assert_cmpstr (ptl_step_window_get_scenario (step), ==, "counter");

  /* Both threads load 0 before either stores: one update is lost. */
  click_step (step, 0);
  click_step (step, 1);
  press_key (GTK_WIDGET (step), GDK_KEY_1);
  press_key (GTK_WIDGET (step), GDK_KEY_KP_1);
  engine = ptl_step_window_get_engine (step);
  g_assert_cmpint (ptl_step_engine_get_var (engine, 0), ==, 1);
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_RUNNING);
  click_step (step, 1);
  click_step (step, 1);
  engine = ptl_step_window_get_engine (step);
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_LOST_UPDATE);
  g_assert_true (g_str_has_prefix (ptl_step_window_get_announcement (step), "Lost update!"));

  /* A finished thread refuses a step, and says why. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step), "step.undo", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step), "step.thread", "u", 0));
  g_assert_nonnull (strstr (ptl_step_window_get_announcement (step), "it has finished"));
  engine = ptl_step_window_get_engine (step);
  ptl_step_engine_get_history (engine, &n_steps);
  g_assert_cmpuint (n_steps, ==, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step), "step.reset", NULL));
  engine = ptl_step_window_get_engine (step);
  ptl_step_engine_get_history (engine, &n_steps);
  g_assert_cmpuint (n_steps, ==, 0);

  /* Three threads: the key 3 steps the third. */
  g_assert_true (ptl_step_window_set_scenario (step, "condvar-while"));
  press_key (GTK_WIDGET (step), GDK_KEY_3);
  g_assert_cmpuint (ptl_step_engine_get_pc (ptl_step_window_get_engine (step), 2), ==, 1);

  /* Two locks in opposite orders: mid-way, then the hint's deadlock. */
  g_assert_true (ptl_step_window_set_scenario (step, "two-locks"));
  g_assert_false (ptl_step_window_set_scenario (step, "no-such-scenario"));
  click_step (step, 0);
  g_assert_cmpint (ptl_step_engine_get_owner (ptl_step_window_get_engine (step), 0), ==, 0);
  press_key (GTK_WIDGET (step), GDK_KEY_h);
  g_assert_true (ptl_step_window_get_playing (step));
  wait_for_hint (step);
  engine = ptl_step_window_get_engine (step);
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_DEADLOCK);
  g_assert_true (g_str_has_prefix (ptl_step_window_get_announcement (step), "Deadlock!"));

  /* The condition variable under if: the hint breaks it; under while
   * there is no hint to play. */
  g_assert_true (ptl_step_window_set_scenario (step, "condvar-if"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step), "step.hint", NULL));
  wait_for_hint (step);
  g_assert_cmpint (ptl_step_engine_get_verdict (ptl_step_window_get_engine (step)), ==, PTL_STEP_INVARIANT);
  g_assert_true (g_str_has_prefix (ptl_step_window_get_announcement (step), "Broken invariant!"));
  g_assert_true (ptl_step_window_set_scenario (step, "condvar-while"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (step), "step.hint", NULL));
  g_assert_false (ptl_step_window_get_playing (step));
  g_assert_true (g_str_has_prefix (ptl_step_window_get_announcement (step), "No order of steps breaks"));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_pending ();
  g_assert_null (find_step_window ());
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

  /* The workload editor saves into the user's data folder: a private one,
   * set before anything asks GLib for it. */
  data_home = g_dir_make_tmp ("ptlab-test-window-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* Without a display there is nothing to test, but each test still
   * reports itself skipped (not the program as one SKIP): GTest skips by
   * prefix only as asked on its command line, so ask before g_test_init. */
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  if (!gtk_init_check ())
    {
      g_printerr ("No display: skipping the window tests\n");
      g_ptr_array_add (args, (char *) "--skip-prefix");
      g_ptr_array_add (args, (char *) "/ptl/gui");
    }
  g_ptr_array_add (args, NULL);
  test_argv = (char **) args->pdata;
  test_argc = (int) args->len - 1;
  g_test_init (&test_argc, &test_argv, NULL);
  if (gdk_display_get_default () != NULL)
    adw_init ();

  g_test_add_func ("/ptl/gui/templates", test_templates);
  g_test_add_func ("/ptl/gui/sidebar", test_sidebar);
  g_test_add_func ("/ptl/gui/param-form", test_param_form);
  g_test_add_func ("/ptl/gui/switch-while-editing", test_switch_while_editing);
  g_test_add_func ("/ptl/gui/form-switch-while-editing", test_form_switch_while_editing);
  g_test_add_func ("/ptl/gui/max-tasks", test_max_tasks);
  g_test_add_func ("/ptl/gui/run", test_run);
  g_test_add_func ("/ptl/gui/cancel", test_cancel);
  g_test_add_func ("/ptl/gui/pages-keep-results", test_pages_keep_results);
  g_test_add_func ("/ptl/gui/run-behind-other-page", test_run_behind_other_page);
  g_test_add_func ("/ptl/gui/export", test_export);
  g_test_add_func ("/ptl/gui/sched-workload", test_sched_workload);
  g_test_add_func ("/ptl/gui/summary-table", test_summary_table);
  g_test_add_func ("/ptl/gui/open-files", test_open_files);
  g_test_add_func ("/ptl/gui/monitor-expanded", test_monitor_expanded);
  g_test_add_func ("/ptl/gui/explanation", test_explanation);
  g_test_add_func ("/ptl/gui/list-param", test_list_param);
  g_test_add_func ("/ptl/gui/workload-rebuild-while-editing", test_workload_rebuild_while_editing);
  g_test_add_func ("/ptl/gui/export-decide-path", test_export_decide_path);
  g_test_add_func ("/ptl/gui/export-chooser", test_export_chooser);
  g_test_add_func ("/ptl/gui/chart-menu", test_chart_menu);
  g_test_add_func ("/ptl/gui/export-partial", test_export_partial);
  g_test_add_func ("/ptl/gui/monitor-charts", test_monitor_charts);
  g_test_add_func ("/ptl/gui/bankers-table", test_bankers_table);
  g_test_add_func ("/ptl/gui/step-mode", test_step_mode);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
