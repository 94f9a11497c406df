/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-experiment-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-chart-view.h"
#include "ptl-experiment-page-private.h"
#include "ptl-export-chooser.h"
#include "ptl-export-dialog.h"
#include "ptl-monitor-panel.h"
#include "ptl-param-form.h"
#include "ptl-plot.h"
#include "ptl-sideways-scroller.h"
#include "ptl-summary-grid.h"
#include "ptl-table-editor.h"

/* One experiment: its description and parameter form beside the results
 * of its latest run. Runs are numbered; progress and completions carry the
 * number they belong to, and anything from a run that was replaced or
 * cancelled meanwhile is dropped, so a late snapshot never overwrites newer
 * results. The core delivers both in the main context: no widget is ever
 * touched from a worker thread. */

/* Messages longer than this read badly in a toast. */
#define TOAST_MAX_CHARS 100

/* Until the user chooses, windows shorter than this start with the Live
 * Monitor's list folded: open, it left 150 px for the charts at 650. */
#define MONITOR_EXPANDED_MIN_HEIGHT 760

struct _PtlExperimentPage
{
  GtkWidget        parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  AdwFlap         *flap;
  GtkLabel        *category_label;
  GtkLabel        *title_label;
  GtkLabel        *summary_label;
  GtkWidget       *explanation_button;
  PtlParamForm    *form;
  GtkStack        *results_stack;
  GtkScrolledWindow *results_scroller;
  GtkProgressBar  *progress_bar;
  GtkLabel        *progress_label;
  GtkWidget       *warnings_box;
  GtkLabel        *warnings_label;
  GtkWidget       *notes_box;
  GtkLabel        *notes_label;
  GtkFlowBox      *charts_box;
  GtkWidget       *summary_box;
  GtkGrid         *summary_grid;
  PtlMonitorPanel *monitor_panel;
  PtlTableEditor    *table_editor;

  /* owned */
  PtlExperiment   *experiment;
  PtlResult       *result;
  GCancellable    *cancellable;
  GPtrArray       *chart_views; /* PtlChartView, in the result's chart order */
  GSettings       *settings;
  GtkWindow       *export_dialog;  /* weak */
  GtkNativeDialog *report_chooser;
  PtlProcMonitor  *monitor;     /* of the latest run */
  char            *summary_shown; /* the table in the grid, as text */

  gint64           run_started;
  gint64           run_ui_cpu_ns; /* the main thread's CPU time at the start */
  guint            run_serial;
  guint            syncing_monitor; /* > 0 while the panel follows the setting */
  gboolean         running;
  gboolean         run_shown;  /* result is a snapshot of the current run */
  gboolean         unsaved;    /* result came from a run here and is kept nowhere yet */
};

enum {
  PROP_0,
  PROP_EXPERIMENT,
  PROP_RUNNING,
  PROP_CAN_RUN,
  PROP_CAN_CANCEL,
  PROP_CAN_EXPORT,
  PROP_PARAMS_FOLDED,
  PROP_PARAMS_REVEALED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlExperimentPage, ptl_experiment_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RUN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GWeakRef      page;
  guint         serial;
  GApplication *application; /* held so the process outlives the run */
} RunData;

static RunData *
run_data_new (PtlExperimentPage *self,
              gboolean           hold_application)
{
  RunData *data = g_new0 (RunData, 1);

  g_weak_ref_init (&data->page, self);
  data->serial = self->run_serial;

  /* Closing the window must not end the process while a cancelled run
   * is still reaping its children and joining its threads. */
  if (hold_application && g_application_get_default () != NULL)
    {
      data->application = g_object_ref (g_application_get_default ());
      g_application_hold (data->application);
    }
  return data;
}

static void
run_data_free (gpointer user_data)
{
  RunData *data = user_data;

  g_weak_ref_clear (&data->page);
  if (data->application != NULL)
    {
      g_application_release (data->application);
      g_object_unref (data->application);
    }
  g_free (data);
}

/* The page of @data if its run is still the current one, else NULL. */
static PtlExperimentPage *
run_data_dup_page (RunData *data)
{
  PtlExperimentPage *self = g_weak_ref_get (&data->page);

  if (self != NULL && self->run_serial != data->serial)
    g_clear_object (&self);
  return self;
}

static void
ptl_experiment_page_notify_state (PtlExperimentPage *self)
{
  /* Charts export alone when the whole result may. */
  for (guint i = 0; self->chart_views != NULL && i < self->chart_views->len; i++)
    ptl_chart_view_set_exportable (g_ptr_array_index (self->chart_views, i),
                                   ptl_experiment_page_get_can_export (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RUN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CANCEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_EXPORT]);
}

static void
ptl_experiment_page_toast (PtlExperimentPage *self,
                           const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Short errors become a toast, long ones a dialog that can be read at
 * leisure. */
static void
ptl_experiment_page_show_error (PtlExperimentPage *self,
                                const char        *heading,
                                const GError      *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (g_utf8_strlen (error->message, -1) <= TOAST_MAX_CHARS &&
      strchr (error->message, '\n') == NULL)
    {
      /* TRANSLATORS: a heading and an error message, e.g. "Could not export: Permission denied" */
      g_autofree char *text = g_strdup_printf (_("%s: %s"), heading, error->message);

      ptl_experiment_page_toast (self, text);
      return;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ptl_experiment_page_remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (parent))
        gtk_flow_box_remove (GTK_FLOW_BOX (parent), child);
      else if (GTK_IS_GRID (parent))
        gtk_grid_remove (GTK_GRID (parent), child);
      else
        gtk_box_remove (GTK_BOX (parent), child);
    }
}

/* One label per box, paragraphs apart: GTK 4.8's GtkBox keeps the size
 * request mode it computed while empty, so wrapping labels added to it
 * later get too little height. */
static void
ptl_experiment_page_fill_texts (GtkWidget  *box,
                                GtkLabel   *label,
                                PtlResult  *result,
                                guint     (*get_n) (PtlResult *),
                                const char *(*get) (PtlResult *, guint))
{
  guint n = result ? get_n (result) : 0;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n\n" : "", get (result, i));
  /* Setting a long wrapping text again would lay out the page again. */
  if (g_strcmp0 (gtk_label_get_text (label), text->str) != 0)
    gtk_label_set_text (label, text->str);
  gtk_widget_set_visible (box, n > 0);
}

/* Warnings go above the charts, where nobody can miss them; notes below,
 * once the run is over: some change with every snapshot (the monitor's
 * counts), and laying out a long text ten times a second takes a good
 * part of a core from the experiment. */
static void
ptl_experiment_page_update_notes (PtlExperimentPage *self)
{
  ptl_experiment_page_fill_texts (self->warnings_box, self->warnings_label, self->result,
                                  ptl_result_get_n_warnings, ptl_result_get_warning);
  ptl_experiment_page_fill_texts (self->notes_box, self->notes_label, self->running ? NULL : self->result,
                                  ptl_result_get_n_notes, ptl_result_get_note);
}

static gboolean
ptl_experiment_page_same_charts (PtlExperimentPage *self)
{
  guint n_charts = ptl_result_get_n_charts (self->result);

  if (n_charts != self->chart_views->len)
    return FALSE;

  for (guint i = 0; i < n_charts; i++)
    {
      PtlChartView *view = g_ptr_array_index (self->chart_views, i);
      PtlChart *shown = ptl_chart_view_get_chart (view);

      if (shown == NULL ||
          g_strcmp0 (ptl_chart_get_id (shown),
                     ptl_chart_get_id (ptl_result_get_chart (self->result, i))) != 0)
        return FALSE;
    }
  return TRUE;
}

/* A chart's menu or the export dialog exported or copied, or failed to. */
static void
ptl_experiment_page_message_cb (PtlExperimentPage *self,
                                const char        *text,
                                const GError      *error,
                                GObject           *sender)
{
  if (error != NULL)
    ptl_experiment_page_show_error (self, text, error);
  else
    ptl_experiment_page_toast (self, text);
}

static GtkWidget *
ptl_experiment_page_create_chart_card (PtlExperimentPage *self,
                                       PtlChart          *chart)
{
  GtkWidget *card;
  GtkWidget *view;

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "ptl-chart-card");

  view = ptl_chart_view_new ();
  gtk_widget_set_vexpand (view, TRUE);
  ptl_chart_view_set_chart (PTL_CHART_VIEW (view), self->result, ptl_chart_get_id (chart));
  ptl_chart_view_set_exportable (PTL_CHART_VIEW (view), ptl_experiment_page_get_can_export (self));
  g_signal_connect_object (view, "message",
                           G_CALLBACK (ptl_experiment_page_message_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (card), view);

  g_ptr_array_add (self->chart_views, view);
  return card;
}

static void
ptl_experiment_page_update_charts (PtlExperimentPage *self)
{
  guint n_charts = ptl_result_get_n_charts (self->result);

  /* Snapshots of one run normally keep their charts: only the data is
   * swapped, so the views keep their size and the page does not jump. */
  if (ptl_experiment_page_same_charts (self))
    {
      for (guint i = 0; i < n_charts; i++)
        {
          PtlChart *chart = ptl_result_get_chart (self->result, i);

          ptl_chart_view_set_chart (g_ptr_array_index (self->chart_views, i),
                                    self->result, ptl_chart_get_id (chart));
        }
      return;
    }

  ptl_experiment_page_remove_children (GTK_WIDGET (self->charts_box));
  g_ptr_array_set_size (self->chart_views, 0);
  for (guint i = 0; i < n_charts; i++)
    {
      GtkWidget *card = ptl_experiment_page_create_chart_card (self,
                                                               ptl_result_get_chart (self->result, i));

      gtk_flow_box_append (self->charts_box, card);
      gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->charts_box), n_charts > 0);
}

static void
ptl_experiment_page_update_summary (PtlExperimentPage *self)
{
  PtlTable *table = ptl_result_get_summary (self->result);
  guint n_rows = table ? ptl_table_get_n_rows (table) : 0;
  guint n_columns = table ? ptl_table_get_n_columns (table) : 0;
  g_autofree char *table_text = table ? ptl_table_format_text (table) : NULL;

  /* Progress comes ten times a second; rebuilding an unchanged grid would
   * lay out the whole window each time, CPU time taken from the run. */
  if (g_strcmp0 (table_text, self->summary_shown) == 0)
    return;
  g_free (self->summary_shown);
  self->summary_shown = g_steal_pointer (&table_text);

  ptl_summary_grid_fill (self->summary_grid, table);
  gtk_widget_set_visible (self->summary_box, n_rows > 0 && n_columns > 0);
}

static void
ptl_experiment_page_show_result (PtlExperimentPage *self,
                                 PtlResult         *result)
{
  g_set_object (&self->result, result);

  gtk_stack_set_visible_child_name (self->results_stack, "results");
  ptl_experiment_page_update_notes (self);
  ptl_experiment_page_update_charts (self);
  ptl_experiment_page_update_summary (self);
}

static void
ptl_experiment_page_clear_results (PtlExperimentPage *self)
{
  g_clear_object (&self->result);
  self->run_shown = FALSE;

  ptl_experiment_page_remove_children (GTK_WIDGET (self->charts_box));
  g_ptr_array_set_size (self->chart_views, 0);
  ptl_experiment_page_remove_children (GTK_WIDGET (self->summary_grid));
  g_clear_pointer (&self->summary_shown, g_free);
  ptl_experiment_page_update_notes (self);
  gtk_widget_set_visible (self->summary_box, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->progress_label, "");
  gtk_stack_set_visible_child_name (self->results_stack, "empty");
}

static void
ptl_experiment_page_stop_monitor (PtlExperimentPage *self)
{
  if (self->monitor != NULL)
    ptl_proc_monitor_stop (self->monitor);
}

/* Each run gets a fresh monitor, so its charts start with the run. It
 * samples /proc in this (the main) context and never touches the run. */
static void
ptl_experiment_page_start_monitor (PtlExperimentPage *self)
{
  g_autoptr(PtlProcMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;

  ptl_experiment_page_stop_monitor (self);
  monitor = ptl_proc_monitor_new (ptl_monitor_panel_get_interval (self->monitor_panel));
  if (!ptl_proc_monitor_start (monitor, &error))
    {
      g_clear_object (&monitor);
      ptl_experiment_page_show_error (self, _("The live monitor is off"), error);
    }
  g_set_object (&self->monitor, monitor);
  ptl_monitor_panel_set_monitor (self->monitor_panel, monitor);
}

/* The monitor's charts go into a run's result unless the user keeps them
 * out of results and exports (the "monitor-charts" setting); the monitor
 * itself leaves out runs too short to sample. */
static void
ptl_experiment_page_add_monitor_charts (PtlExperimentPage *self,
                                        PtlResult         *result)
{
  if (self->monitor != NULL && g_settings_get_boolean (self->settings, "monitor-charts"))
    ptl_proc_monitor_add_to_result (self->monitor, result);
}

static void
ptl_experiment_page_progress_cb (PtlResult  *snapshot,
                                 double      fraction,
                                 const char *message,
                                 gpointer    user_data)
{
  g_autoptr(PtlExperimentPage) self = run_data_dup_page (user_data);

  if (self == NULL || !self->running)
    return;

  /* The snapshot is a private copy: the monitor's charts so far go in,
   * so the chart grid already has the shape of the final result. */
  ptl_experiment_page_add_monitor_charts (self, snapshot);
  ptl_experiment_page_show_result (self, snapshot);
  self->run_shown = TRUE;
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  if (message != NULL)
    gtk_label_set_text (self->progress_label, message);
}

/* The window's own share of a CPU (drawing, the live monitor) above which
 * a run says so: it came out of the figures' CPUs. Runs shorter than
 * WINDOW_CPU_MIN_RUN_S are not judged: laying out their charts once is a
 * fixed cost of tens of milliseconds, most of a 10 ms run, and says
 * nothing about what drawing took from the experiment. */
#define WINDOW_CPU_LIMIT     0.10
#define WINDOW_CPU_MIN_RUN_S 1.0

/* The main thread's CPU time is the window's: experiments run in workers
 * and children. The core's check for other programs counts it as the
 * lab's own, so it is reported here. */
static void
ptl_experiment_page_warn_about_window (PtlExperimentPage *self,
                                       PtlResult         *result,
                                       double             wall_s)
{
  double share = (ptl_clock_thread_cpu_ns () - self->run_ui_cpu_ns) / 1e9 / MAX (wall_s, 1e-3);

  if (wall_s >= WINDOW_CPU_MIN_RUN_S && share > WINDOW_CPU_LIMIT)
    ptl_result_add_warning (result,
                            _("The window itself used %.0f %% of a CPU while this ran (live charts and the "
                              "monitor), time the experiment could not have. For the cleanest figures run it "
                              "from the command line: ptlab run %s"),
                            share * 100, ptl_experiment_get_id (self->experiment));
}

/* What a run that did not finish measured stays on the page, marked as
 * partial so exports say so too. When no snapshot came, the page still
 * shows the previous, complete run. */
static gboolean
ptl_experiment_page_keep_partial (PtlExperimentPage *self,
                                  gboolean           cancelled)
{
  g_autoptr(PtlResult) partial = NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *reason = NULL;

  if (self->result != NULL && self->run_shown)
    {
      elapsed = ptl_format_value ((g_get_monotonic_time () - self->run_started) / (double) G_USEC_PER_SEC, "s");
      /* TRANSLATORS: how a partial result ended; %s is a duration such as "3.2 s" */
      reason = g_strdup_printf (cancelled ? _("cancelled after %s") : _("failed after %s"), elapsed);
      /* The views hold the snapshot: mark a copy. */
      partial = ptl_result_copy (self->result);
      ptl_result_mark_partial (partial, reason);
      ptl_experiment_page_show_result (self, partial);
    }
  ptl_experiment_page_update_notes (self);
  return partial != NULL;
}

static void
ptl_experiment_page_run_cb (GObject      *object,
                            GAsyncResult *async_result,
                            gpointer      user_data)
{
  RunData *data = user_data;
  g_autoptr(PtlExperimentPage) self = run_data_dup_page (data);
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean kept = TRUE;

  result = ptl_experiment_run_finish (PTL_EXPERIMENT (object), async_result, &error);
  run_data_free (data);

  if (self == NULL)
    return;

  self->running = FALSE;
  g_clear_object (&self->cancellable);
  ptl_experiment_page_stop_monitor (self);

  if (result != NULL)
    {
      double seconds = (g_get_monotonic_time () - self->run_started) / (double) G_USEC_PER_SEC;
      g_autofree char *elapsed = ptl_format_value (seconds, "s");
      /* TRANSLATORS: %s is a duration such as "4.2 s" */
      g_autofree char *message = g_strdup_printf (_("Finished in %s"), elapsed);

      ptl_experiment_page_add_monitor_charts (self, result);
      ptl_experiment_page_warn_about_window (self, result, seconds);
      ptl_experiment_page_show_result (self, result);
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_label_set_text (self->progress_label, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->progress_label, _("Cancelled: the results shown are incomplete"));
      kept = ptl_experiment_page_keep_partial (self, TRUE);
    }
  else
    {
      gtk_label_set_text (self->progress_label, _("Failed"));
      kept = ptl_experiment_page_keep_partial (self, FALSE);
      ptl_experiment_page_show_error (self, _("The run failed"), error);
    }

  ptl_experiment_page_notify_state (self);
  if (kept)
    {
      self->unsaved = TRUE;
      g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, self->result);
    }
}

static void
ptl_experiment_page_form_valid_cb (PtlExperimentPage *self,
                                   GParamSpec        *pspec,
                                   PtlParamForm      *form)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RUN]);
}

static void
ptl_experiment_page_apply_monitor_expanded (PtlExperimentPage *self)
{
  g_autofree char *choice = g_settings_get_string (self->settings, "monitor-expanded");
  gboolean expanded;

  if (g_str_equal (choice, "auto"))
    expanded = g_settings_get_int (self->settings, "window-height") >= MONITOR_EXPANDED_MIN_HEIGHT;
  else
    expanded = g_str_equal (choice, "expanded");

  self->syncing_monitor++;
  ptl_monitor_panel_set_expanded (self->monitor_panel, expanded);
  self->syncing_monitor--;
}

/* The user's choice, for every page and the next start. */
static void
ptl_experiment_page_monitor_expanded_cb (PtlExperimentPage *self,
                                         GParamSpec        *pspec,
                                         PtlMonitorPanel   *panel)
{
  if (self->syncing_monitor > 0)
    return;

  g_settings_set_string (self->settings, "monitor-expanded",
                         ptl_monitor_panel_get_expanded (panel) ? "expanded" : "collapsed");
}

static void
ptl_experiment_page_monitor_setting_cb (PtlExperimentPage *self,
                                        const char        *key,
                                        GSettings         *settings)
{
  ptl_experiment_page_apply_monitor_expanded (self);
}

static GtkWidget *
ptl_experiment_page_create_paragraph (const char *text,
                                      gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  gtk_widget_add_css_class (label, heading ? "heading" : "ptl-explanation");
  if (heading)
    gtk_widget_set_margin_top (label, 6);
  return label;
}

static GtkWidget *
ptl_experiment_page_create_explanation (const char *explanation)
{
  g_auto(GStrv) sections = ptl_explanation_split_sections (explanation);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  for (guint i = 0; sections[i] != NULL; i += 2)
    {
      if (*sections[i] != '\0')
        gtk_box_append (GTK_BOX (box), ptl_experiment_page_create_paragraph (sections[i], TRUE));
      gtk_box_append (GTK_BOX (box), ptl_experiment_page_create_paragraph (sections[i + 1], FALSE));
    }
  return box;
}

static void
ptl_experiment_page_explain_cb (PtlExperimentPage *self,
                                GtkButton         *button)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkEventController *shortcuts;
  GtkWidget *window;
  GtkWidget *header;
  GtkWidget *title;
  GtkWidget *content;
  GtkWidget *scroller;
  GtkWidget *clamp;
  GtkWidget *text;

  if (self->experiment == NULL)
    return;

  title = adw_window_title_new (_("How It Works"), ptl_experiment_get_title (self->experiment));
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);

  text = ptl_experiment_page_create_explanation (ptl_experiment_get_explanation (self->experiment));
  gtk_widget_set_margin_top (text, 18);
  gtk_widget_set_margin_bottom (text, 24);
  gtk_widget_set_margin_start (text, 18);
  gtk_widget_set_margin_end (text, 18);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), text);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), scroller);

  window = g_object_new (ADW_TYPE_WINDOW,
                         "title", _("How It Works"),
                         "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                         "destroy-with-parent", TRUE,
                         "default-width", 760,
                         "default-height", 640,
                         "content", content,
                         NULL);

  /* Read, then gone: Escape closes it as it does a dialog. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);
  /* The text scrolls by keyboard from the start; the first paragraph
   * would otherwise take the focus and show all selected. */
  gtk_widget_set_focusable (scroller, TRUE);
  gtk_window_set_focus (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));
}

static void
ptl_experiment_page_flap_notify_cb (PtlExperimentPage *self,
                                    GParamSpec        *pspec,
                                    AdwFlap           *flap)
{
  if (g_strcmp0 (pspec->name, "folded") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMS_FOLDED]);
  else if (g_strcmp0 (pspec->name, "reveal-flap") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMS_REVEALED]);
}

static void
ptl_experiment_page_report_response_cb (PtlExperimentPage    *self,
                                        int                   response,
                                        GtkFileChooserNative *dialog)
{
  g_autoptr(GFile) file = NULL;
  const char *suffix;
  gboolean changed;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  suffix = ptl_export_chooser_get_suffix (dialog, &changed);
  g_clear_object (&self->report_chooser);
  if (file != NULL)
    _ptl_experiment_page_export_report_chosen (self, file, suffix, changed);
}

static void
ptl_experiment_page_dispose (GObject *object)
{
  PtlExperimentPage *self = PTL_EXPERIMENT_PAGE (object);

  /* A run outliving its page is pointless: stop it. Its callbacks find
   * the page gone through their weak reference. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->export_dialog != NULL)
    gtk_window_destroy (self->export_dialog);
  g_clear_weak_pointer (&self->export_dialog);
  if (self->report_chooser != NULL)
    gtk_native_dialog_destroy (self->report_chooser);
  g_clear_object (&self->report_chooser);

  ptl_experiment_page_stop_monitor (self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->summary_shown, g_free);
  g_clear_object (&self->experiment);
  g_clear_object (&self->result);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->chart_views, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_EXPERIMENT_PAGE);

  G_OBJECT_CLASS (ptl_experiment_page_parent_class)->dispose (object);
}

static void
ptl_experiment_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PtlExperimentPage *self = PTL_EXPERIMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      g_value_set_object (value, self->experiment);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_CAN_RUN:
      g_value_set_boolean (value, ptl_experiment_page_get_can_run (self));
      break;

    case PROP_CAN_CANCEL:
      g_value_set_boolean (value, ptl_experiment_page_get_can_cancel (self));
      break;

    case PROP_CAN_EXPORT:
      g_value_set_boolean (value, ptl_experiment_page_get_can_export (self));
      break;

    case PROP_PARAMS_FOLDED:
      g_value_set_boolean (value, adw_flap_get_folded (self->flap));
      break;

    case PROP_PARAMS_REVEALED:
      g_value_set_boolean (value, adw_flap_get_reveal_flap (self->flap));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_experiment_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PtlExperimentPage *self = PTL_EXPERIMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      ptl_experiment_page_set_experiment (self, g_value_get_object (value));
      break;

    case PROP_PARAMS_REVEALED:
      adw_flap_set_reveal_flap (self->flap, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_experiment_page_class_init (PtlExperimentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_experiment_page_dispose;
  object_class->get_property = ptl_experiment_page_get_property;
  object_class->set_property = ptl_experiment_page_set_property;

  properties[PROP_EXPERIMENT] =
    g_param_spec_object ("experiment", NULL, NULL,
                         PTL_TYPE_EXPERIMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_RUN] =
    g_param_spec_boolean ("can-run", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_CANCEL] =
    g_param_spec_boolean ("can-cancel", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_EXPORT] =
    g_param_spec_boolean ("can-export", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PARAMS_FOLDED] =
    g_param_spec_boolean ("params-folded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PARAMS_REVEALED] =
    g_param_spec_boolean ("params-revealed", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A run ended with a result to keep (finished, or cancelled or failed
   * after a first snapshot, then marked partial); the page has it
   * unsaved until told otherwise. */
  signals[SIGNAL_RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PTL_TYPE_RESULT);

  g_type_ensure (PTL_TYPE_PARAM_FORM);
  g_type_ensure (PTL_TYPE_MONITOR_PANEL);
  g_type_ensure (PTL_TYPE_TABLE_EDITOR);
  g_type_ensure (PTL_TYPE_SIDEWAYS_SCROLLER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-experiment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, flap);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, category_label);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, explanation_button);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, form);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, notes_box);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, summary_box);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, summary_grid);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, monitor_panel);
  gtk_widget_class_bind_template_child (widget_class, PtlExperimentPage, table_editor);
  gtk_widget_class_bind_template_callback (widget_class, ptl_experiment_page_form_valid_cb);
  gtk_widget_class_bind_template_callback (widget_class, ptl_experiment_page_explain_cb);
}

static void
ptl_experiment_page_init (PtlExperimentPage *self)
{
  self->chart_views = g_ptr_array_new ();
  self->settings = g_settings_new (APPLICATION_ID);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_settings_bind (self->settings, "monitor-interval-ms",
                   self->monitor_panel, "interval-ms",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->flap, "notify",
                           G_CALLBACK (ptl_experiment_page_flap_notify_cb), self,
                           G_CONNECT_SWAPPED);

  ptl_experiment_page_apply_monitor_expanded (self);
  g_signal_connect_object (self->monitor_panel, "notify::expanded",
                           G_CALLBACK (ptl_experiment_page_monitor_expanded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::monitor-expanded",
                           G_CALLBACK (ptl_experiment_page_monitor_setting_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::window-height",
                           G_CALLBACK (ptl_experiment_page_monitor_setting_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
ptl_experiment_page_new (void)
{
  return g_object_new (PTL_TYPE_EXPERIMENT_PAGE, NULL);
}

void
ptl_experiment_page_set_experiment (PtlExperimentPage *self,
                                    PtlExperiment     *experiment)
{
  const char *explanation;
  gboolean can_edit_table;

  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));
  g_return_if_fail (experiment == NULL || PTL_IS_EXPERIMENT (experiment));

  if (self->experiment == experiment)
    return;

  /* Bumping the serial orphans the old run's late callbacks. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  ptl_experiment_page_stop_monitor (self);
  self->run_serial++;
  self->running = FALSE;

  g_set_object (&self->experiment, experiment);
  ptl_experiment_page_clear_results (self);

  explanation = experiment ? ptl_experiment_get_explanation (experiment) : NULL;
  gtk_label_set_text (self->category_label, experiment ? ptl_experiment_get_category (experiment) : "");
  gtk_label_set_text (self->title_label, experiment ? ptl_experiment_get_title (experiment) : "");
  gtk_label_set_text (self->summary_label, experiment ? ptl_experiment_get_summary (experiment) : "");
  gtk_widget_set_visible (self->explanation_button, explanation != NULL && *explanation != '\0');
  ptl_param_form_set_experiment (self->form, experiment);
  /* After the form, which restores the saved parameter naming the table. */
  can_edit_table = experiment != NULL && ptl_table_editor_can_edit (experiment);
  ptl_table_editor_set_experiment (self->table_editor, can_edit_table ? experiment : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->table_editor), can_edit_table);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPERIMENT]);
  ptl_experiment_page_notify_state (self);
}

PtlExperiment *
ptl_experiment_page_get_experiment (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), NULL);

  return self->experiment;
}

PtlResult *
ptl_experiment_page_get_result (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), NULL);

  return self->result;
}

gboolean
ptl_experiment_page_get_running (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);

  return self->running;
}

gboolean
ptl_experiment_page_get_can_run (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);

  /* The form is gone while the page is disposed. */
  return self->experiment != NULL && !self->running &&
         self->form != NULL && ptl_param_form_get_valid (self->form);
}

gboolean
ptl_experiment_page_get_can_cancel (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);

  return self->running && self->cancellable != NULL &&
         !g_cancellable_is_cancelled (self->cancellable);
}

gboolean
ptl_experiment_page_get_can_export (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);

  /* A run that did not finish leaves a result marked as partial. */
  return self->result != NULL && !self->running;
}

void
ptl_experiment_page_run (PtlExperimentPage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));

  if (!ptl_experiment_page_get_can_run (self))
    return;

  /* The form checks as the user types; this catches a value set behind
   * its back. */
  if (!ptl_experiment_validate (self->experiment, &error))
    {
      ptl_experiment_page_show_error (self, _("Cannot run"), error);
      return;
    }

  self->run_serial++;
  self->running = TRUE;
  self->run_shown = FALSE;
  self->run_started = g_get_monotonic_time ();
  self->run_ui_cpu_ns = ptl_clock_thread_cpu_ns ();
  self->cancellable = g_cancellable_new ();

  /* Keep the old results on screen until the first snapshot replaces them,
   * but say they are about to go. */
  gtk_stack_set_visible_child_name (self->results_stack, "results");
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->progress_label, _("Starting…"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_scroller), 0);

  /* Sampling starts before the run, so its first threads are seen. */
  ptl_experiment_page_start_monitor (self);
  ptl_experiment_run_async (self->experiment,
                            self->cancellable,
                            ptl_experiment_page_progress_cb,
                            run_data_new (self, FALSE),
                            run_data_free,
                            ptl_experiment_page_run_cb,
                            run_data_new (self, TRUE));

  ptl_experiment_page_notify_state (self);
}

void
ptl_experiment_page_cancel (PtlExperimentPage *self)
{
  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));

  if (!ptl_experiment_page_get_can_cancel (self))
    return;

  /* The run stays "running" until the experiment has cleaned up (within
   * about 100 ms), so a new run never overlaps its children. */
  g_cancellable_cancel (self->cancellable);
  gtk_label_set_text (self->progress_label, _("Cancelling…"));
  ptl_experiment_page_notify_state (self);
}

void
ptl_experiment_page_export (PtlExperimentPage *self)
{
  PtlExportDialog *dialog;

  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));

  if (!ptl_experiment_page_get_can_export (self) || self->export_dialog != NULL)
    return;

  dialog = ptl_export_dialog_new (GTK_WIDGET (self), self->result, NULL);
  g_signal_connect_object (dialog, "message",
                           G_CALLBACK (ptl_experiment_page_message_cb), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->export_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ptl_experiment_page_export_report (PtlExperimentPage *self)
{
  g_autofree char *name = NULL;

  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));

  if (!ptl_experiment_page_get_can_export (self) || self->report_chooser != NULL)
    return;

  name = g_strdup_printf ("%s-report.pdf", ptl_experiment_get_id (self->experiment));
  self->report_chooser = GTK_NATIVE_DIALOG (ptl_export_chooser_new_for_suffix (GTK_WIDGET (self), _("Export Report"),
                                                                               name, "pdf"));
  g_signal_connect_object (self->report_chooser, "response",
                           G_CALLBACK (ptl_experiment_page_report_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->report_chooser);
}

void
_ptl_experiment_page_export_report_chosen (PtlExperimentPage *self,
                                           GFile             *file,
                                           const char        *suffix,
                                           gboolean           filter_changed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlAtomicFile) atomic = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!ptl_experiment_page_get_can_export (self))
    return;

  /* The run as the report names it: its machine and date. */
  name = ptl_compare_dup_run_name (self->result, NULL, _("This run"));
  path = ptl_export_chooser_dup_path (file, suffix, filter_changed, &error);
  if (path == NULL ||
      (atomic = ptl_atomic_file_new (path, &error)) == NULL ||
      !ptl_report_write_pdf (&self->result, (const char * const *) &name, 1,
                             ptl_experiment_get_summary (self->experiment),
                             ptl_experiment_get_explanation (self->experiment), atomic, &error) ||
      !ptl_atomic_file_commit (atomic, &error))
    ptl_experiment_page_show_error (self, _("Could not export the report"), error);
  else
    {
      g_autofree char *basename = g_path_get_basename (path);
      /* TRANSLATORS: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Saved %s"), basename);

      ptl_experiment_page_toast (self, message);
    }
}

gboolean
ptl_experiment_page_open_result (PtlExperimentPage  *self,
                                 PtlResult          *result,
                                 const char         *name,
                                 GError            **error)
{
  g_autoptr(PtlExperiment) check = NULL;
  g_autofree char *message = NULL;
  JsonObject *params;

  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);
  g_return_val_if_fail (PTL_IS_RESULT (result), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->experiment != NULL, FALSE);

  if (g_strcmp0 (ptl_result_get_experiment_id (result), ptl_experiment_get_id (self->experiment)) != 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("“%s” is a result of “%s”, not of “%s”"), name,
                   ptl_result_get_experiment_id (result), ptl_experiment_get_id (self->experiment));
      return FALSE;
    }
  if (self->running)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("“%s” is running: open “%s” once it has finished or been cancelled"),
                   ptl_experiment_get_title (self->experiment), name);
      return FALSE;
    }

  /* All the parameters or none: a copy takes them first. Members that
   * name no parameter are facts the run recorded beside them (creation's
   * "helper-mappings", pool's "workers-used"), not settings to restore. */
  params = ptl_result_get_parameters (result);
  if (params != NULL)
    {
      g_autoptr(JsonObject) settings = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (params);

      for (GList *l = members; l != NULL; l = l->next)
        if (ptl_experiment_find_param (self->experiment, l->data) != NULL)
          json_object_set_member (settings, l->data, json_object_dup_member (params, l->data));
      check = ptl_experiment_dup (self->experiment);
      if (!ptl_experiment_set_params_from_json (check, settings, error))
        return FALSE;
      ptl_experiment_set_params_from_json (self->experiment, settings, NULL);
    }

  /* Late callbacks of an earlier run must not replace it. */
  self->run_serial++;
  ptl_experiment_page_show_result (self, result);
  self->run_shown = FALSE;
  /* It is kept where it came from. */
  self->unsaved = FALSE;
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  /* TRANSLATORS: %s is a file name */
  message = g_strdup_printf (_("Opened from %s"), name);
  gtk_label_set_text (self->progress_label, message);
  ptl_experiment_page_notify_state (self);
  return TRUE;
}

gboolean
ptl_experiment_page_import_table (PtlExperimentPage  *self,
                                  GFile              *file,
                                  GError            **error)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ptl_table_editor_get_experiment (self->table_editor) == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("“%s” takes no table file"),
                   self->experiment ? ptl_experiment_get_title (self->experiment) : "");
      return FALSE;
    }
  return ptl_table_editor_import (self->table_editor, file, error);
}

gboolean
ptl_experiment_page_get_unsaved (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), FALSE);

  return self->unsaved && self->result != NULL;
}

void
ptl_experiment_page_mark_saved (PtlExperimentPage *self)
{
  g_return_if_fail (PTL_IS_EXPERIMENT_PAGE (self));

  self->unsaved = FALSE;
}

PtlParamForm *
_ptl_experiment_page_get_form (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), NULL);

  return self->form;
}

GtkGrid *
_ptl_experiment_page_get_summary (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), NULL);

  return self->summary_grid;
}

GtkFlowBox *
_ptl_experiment_page_get_charts (PtlExperimentPage *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT_PAGE (self), NULL);

  return self->charts_box;
}
