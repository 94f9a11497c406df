/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ptl-chart-view.h"
#include "ptl-core.h"
#include "ptl-experiment-page-private.h"
#include "ptl-monitor-panel.h"
#include "ptl-param-form.h"
#include "ptl-preferences-window.h"
#include "ptl-plot.h"
#include "ptl-registry.h"
#include "ptl-sched-sim.h"
#include "ptl-window-private.h"
#include "ptl-workload-editor.h"

/* The window against the real core, experiments and plot library, under
 * a display (Xvfb in CI). Runs use small parameters so each takes well
 * under a second; waits are bounded so a hang fails instead of stalling. */

#define RESOURCE_BASE   "/io/github/ptlab/ProcessThreadLab"
#define RUN_TIMEOUT_S   60
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
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
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

  /* The monitor's interval comes from the settings, through the panel. */
  panel = PTL_MONITOR_PANEL (find_descendant (GTK_WIDGET (window), PTL_TYPE_MONITOR_PANEL));
  g_assert_nonnull (panel);
  g_settings_set_int (settings, "monitor-interval-ms", 50);
  g_assert_cmpint (ptl_monitor_panel_get_interval (panel), ==, 50);

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
  g_assert_cmpuint (ptl_proc_monitor_get_interval (monitor), ==, 50);
  g_assert_cmpuint (ptl_monitor_panel_get_n_rows (panel), >, 0);
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

  /* A cancelled run is not a result to export; a new run may start. */
  g_assert_false (ptl_experiment_page_get_running (page));
  g_assert_false (ptl_experiment_page_get_can_export (page));
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

static void
test_export (void)
{
  PtlWindow *window = open_models_window ();
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *contents = NULL;

  dir = g_dir_make_tmp ("ptlab-export-XXXXXX", &error);
  g_assert_no_error (error);
  png = g_build_filename (dir, "models.png", NULL);
  csv = g_build_filename (dir, "models.csv", NULL);
  bad = g_build_filename (dir, "models.xyz", NULL);

  /* Nothing to export before a run: refused, and the action is off. */
  g_assert_false (_ptl_experiment_page_export_to_path (page, png, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_assert_false (ptl_experiment_page_get_can_export (page));
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.export"));

  run_to_completion (window);

  g_assert_true (action_enabled (GTK_WIDGET (window), "win.export"));
  g_assert_true (_ptl_experiment_page_export_to_path (page, png, &error));
  g_assert_no_error (error);
  assert_file_starts_with (png, "\x89PNG\r\n\x1a\n", 8);

  g_assert_true (_ptl_experiment_page_export_to_path (page, csv, &error));
  g_assert_no_error (error);
  g_file_get_contents (csv, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strchr (contents, ','));
  g_assert_nonnull (strchr (contents, '\n'));

  /* An unknown extension is an error and leaves no file. */
  g_assert_false (_ptl_experiment_page_export_to_path (page, bad, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_unlink (png);
  g_unlink (csv);
  g_rmdir (dir);
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

/* The cell of the workload table in row @row and column @column
 * ("name", "arrival", "bursts" or "priority"). */
static GtkEditable *
find_cell (PtlWorkloadEditor *editor,
           guint              row,
           const char        *column)
{
  GtkWidget *list = find_named (GTK_WIDGET (editor), "processes");
  GtkListBoxRow *list_row;
  GtkWidget *cell;

  g_assert_true (GTK_IS_LIST_BOX (list));
  list_row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) row);
  g_assert_nonnull (list_row);
  cell = find_named (GTK_WIDGET (list_row), column);
  g_assert_true (GTK_IS_EDITABLE (cell));
  return GTK_EDITABLE (cell);
}

/* New widgets get their size on the next frame. */
static void
wait_for_size (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
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
  PtlExperimentPage *page = _ptl_window_get_page (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlSchedWorkload) saved = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GFile) good_file = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PtlWorkloadEditor *editor;
  PtlExperiment *experiment;
  PtlSchedWorkload *workload;
  GtkEditable *cell;
  gint64 arrival;
  guint n;

  gtk_window_present (GTK_WINDOW (window));
  editor = PTL_WORKLOAD_EDITOR (find_descendant (GTK_WIDGET (page), PTL_TYPE_WORKLOAD_EDITOR));
  g_assert_nonnull (editor);

  /* "models" has a workload parameter too, but a choice, not a file. */
  g_assert_true (ptl_window_show_experiment (window, "models"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (ptl_window_show_experiment (window, "sched-real"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));

  g_assert_true (ptl_window_show_experiment (window, "sched"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  experiment = ptl_experiment_page_get_experiment (page);
  g_assert_true (ptl_workload_editor_get_experiment (editor) == experiment);

  /* The table shows what the parameter names: a generator at first. */
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_true (g_strv_contains (ptl_sched_workload_list_kinds (), spec));
  workload = ptl_workload_editor_get_workload (editor);
  g_assert_nonnull (workload);
  n = ptl_sched_workload_get_n_processes (workload);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (gtk_editable_get_text (find_cell (editor, 0, "name")), ==,
                   ptl_sched_workload_get_name (workload, 0));

  /* Adding a process saves the workload in the user's data folder and
   * makes that file the parameter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "workload.add", NULL));
  path = ptl_workload_editor_dup_path (editor);
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (spec, ==, path);
  workload = ptl_workload_editor_get_workload (editor);
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
      g_assert_nonnull (ptl_workload_editor_get_message (editor));
      g_assert_true (ptl_workload_editor_get_workload (editor) == workload);
      g_assert_cmpint (ptl_sched_workload_get_arrival (workload, 0), ==, arrival);
      after = read_file (path);
      g_assert_cmpstr (after, ==, before);
      g_clear_pointer (&after, g_free);
    }

  /* A valid one is applied and saved. */
  gtk_editable_set_text (cell, "3");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cell), "error"));
  g_assert_null (ptl_workload_editor_get_message (editor));
  workload = ptl_workload_editor_get_workload (editor);
  g_assert_cmpint (ptl_sched_workload_get_arrival (workload, 0), ==, 3);
  g_clear_object (&saved);
  saved = ptl_sched_workload_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ptl_sched_workload_get_arrival (saved, 0), ==, 3);
  g_assert_true (ptl_param_form_get_valid (_ptl_experiment_page_get_form (page)));

  /* A malformed file is refused with the loader's line, and nothing
   * changes. */
  bad_file = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", "sched", "bad-arrival.csv", NULL));
  g_assert_false (ptl_workload_editor_import (editor, bad_file, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (ptl_workload_editor_get_message (editor), "line 3"));
  g_clear_error (&error);
  g_assert_true (ptl_workload_editor_get_workload (editor) == workload);
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (spec, ==, path);

  /* A good one becomes the user's own copy. */
  good_file = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "data", "sched", "io-mix.csv", NULL));
  g_assert_true (ptl_workload_editor_import (editor, good_file, &error));
  g_assert_no_error (error);
  g_assert_null (ptl_workload_editor_get_message (editor));
  workload = ptl_workload_editor_get_workload (editor);
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
    g_assert_true (ptl_workload_editor_export (editor, json_file, &error));
    g_assert_no_error (error);
    exported = ptl_sched_workload_load (json, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ptl_sched_workload_get_n_processes (exported), ==, 3);

    g_assert_false (ptl_workload_editor_export (editor, text_file, &error));
    g_assert_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT);
    g_clear_error (&error);
    g_assert_nonnull (ptl_workload_editor_get_message (editor));
    g_assert_false (g_file_test (text, G_FILE_TEST_EXISTS));

    g_unlink (json);
    g_rmdir (dir);
  }

  /* A generator: the parameter names it, and the table shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "workload.generate", "s", "convoy"));
  g_clear_pointer (&spec, g_free);
  spec = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (spec, ==, "convoy");
  {
    g_autofree char *processes = ptl_experiment_dup_param_text (experiment, "processes");

    workload = ptl_workload_editor_get_workload (editor);
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
  g_test_add_func ("/ptl/gui/max-tasks", test_max_tasks);
  g_test_add_func ("/ptl/gui/run", test_run);
  g_test_add_func ("/ptl/gui/cancel", test_cancel);
  g_test_add_func ("/ptl/gui/export", test_export);
  g_test_add_func ("/ptl/gui/sched-workload", test_sched_workload);

  status = g_test_run ();
  remove_tree (data_home);
  return status;
}
