/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-monitor-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-monitor-panel.h"

/* The live monitor's list: one row per thread or process alive in the
 * latest sample, updated in place (rows are keyed by kind and id, so a row
 * survives while its entity lives), with a CPU sparkline drawn by cairo
 * from the monitor's own series. Everything here runs in the main context,
 * where the monitor samples /proc; no worker thread of an experiment ever
 * reaches a widget.
 *
 * Sampling and drawing are decoupled: the monitor samples at the chosen
 * interval, the list redraws at most every REFRESH_MS. Each change costs
 * GTK about three frames, and with software GL (llvmpipe, no GPU) a frame
 * of this window costs ~15 ms: redrawn every 100 ms the panel took half a
 * core from the experiment it watches. */

#define REFRESH_MS    500

/* Samples a sparkline shows, newest at the right edge. */
#define SPARK_SAMPLES 60
#define SPARK_WIDTH   64
#define SPARK_HEIGHT  18

struct _PtlMonitorPanel
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkButton       *expand_button;
  GtkImage        *expand_icon;
  GtkRevealer     *revealer;
  GtkLabel        *status_label;
  GtkAdjustment   *interval_adjustment;
  GtkListBox      *list;
  GtkSizeGroup    *kind_group;
  GtkSizeGroup    *id_group;
  GtkSizeGroup    *state_group;
  GtkSizeGroup    *cpu_group;
  GtkSizeGroup    *rss_group;
  GtkSizeGroup    *history_group;

  /* owned */
  PtlProcMonitor  *monitor;
  GHashTable      *rows; /* row key -> GtkListBoxRow, borrowed from the list */

  int              interval_ms;
  guint            serial;
  guint            refresh_id;   /* a pending redraw */
  gint64           refreshed_at; /* monotonic µs of the latest redraw */
};

/* What a row shows; owned by its GtkListBoxRow. */
typedef struct
{
  const PtlProcEntity *entity; /* refreshed after every sample */
  PtlProcKind          kind;
  gboolean             is_self;
  int                  id;
  guint                serial;
  GtkLabel            *kind_label;
  GtkLabel            *id_label;
  GtkLabel            *name_label;
  GtkLabel            *state_label;
  GtkLabel            *cpu_label;
  GtkLabel            *rss_label;
  GtkWidget           *spark;
} Row;

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_INTERVAL_MS,
  PROP_EXPANDED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlMonitorPanel, ptl_monitor_panel, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* Threads and processes share the id space (the main thread's TID is the
 * PID), so processes take the negative keys. */
static gpointer
row_key (PtlProcKind kind,
         int         id)
{
  return GINT_TO_POINTER (kind == PTL_PROC_KIND_PROCESS ? -id : id);
}

static Row *
row_get (GtkListBoxRow *widget)
{
  return g_object_get_data (G_OBJECT (widget), "ptl-monitor-row");
}

/* The lab first, then its children, then its threads, each by id. */
static int
row_rank (const Row *row)
{
  if (row->is_self)
    return 0;
  return row->kind == PTL_PROC_KIND_PROCESS ? 1 : 2;
}

static int
sort_rows_cb (GtkListBoxRow *a,
              GtkListBoxRow *b,
              gpointer       user_data)
{
  const Row *ra = row_get (a);
  const Row *rb = row_get (b);

  if (row_rank (ra) != row_rank (rb))
    return row_rank (ra) - row_rank (rb);
  return (ra->id > rb->id) - (ra->id < rb->id);
}

static const char *
state_description (char state)
{
  switch (state)
    {
    case 'R':
      return _("Running or ready to run");
    case 'S':
      return _("Sleeping: waiting for an event");
    case 'D':
      return _("Waiting for the disk, uninterruptibly");
    case 'Z':
      return _("Exited, not yet reaped by its parent");
    case 'T':
      return _("Stopped by a signal");
    case 't':
      return _("Stopped by a debugger");
    case 'I':
      return _("Idle kernel thread");
    case 'X':
      return _("Dead");
    default:
      return _("Unknown state");
    }
}

static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void
spark_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  const Row *row = user_data;
  const PtlProcSample *samples;
  GtkStyleContext *context;
  GdkRGBA color;
  guint n_samples, first;
  double top = 100;
  double step = width / (double) (SPARK_SAMPLES - 1);
  gboolean drawing = FALSE;
  double start_x = 0, last_x = 0;

  if (row->entity == NULL)
    return;

  samples = ptl_proc_entity_get_samples (row->entity, &n_samples);
  first = n_samples > SPARK_SAMPLES ? n_samples - SPARK_SAMPLES : 0;

  /* A thread tops out at one core; a process with several busy threads
   * may go beyond, and then the scale grows with it. */
  for (guint i = first; i < n_samples; i++)
    if (isfinite (samples[i].cpu))
      top = MAX (top, samples[i].cpu);

  context = gtk_widget_get_style_context (GTK_WIDGET (area));
  if (!gtk_style_context_lookup_color (context, "accent_color", &color))
    gtk_style_context_get_color (context, &color);

  /* The baseline, so an idle entity still shows a (flat) history. */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.3);
  cairo_move_to (cr, 0, height - 0.5);
  cairo_line_to (cr, width, height - 0.5);
  cairo_stroke (cr);

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = first; i <= n_samples; i++)
    {
      double x = width - (n_samples - 1 - (double) i) * step;
      double y;

      /* A gap (the first sample has no CPU figure) or the end closes the
       * area drawn so far. */
      if (i == n_samples || !isfinite (samples[i].cpu))
        {
          if (drawing)
            {
              cairo_path_t *line = cairo_copy_path (cr);

              cairo_line_to (cr, last_x, height);
              cairo_line_to (cr, start_x, height);
              cairo_close_path (cr);
              cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.25);
              cairo_fill (cr);

              cairo_append_path (cr, line);
              cairo_path_destroy (line);
              cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1);
              cairo_stroke (cr);
            }
          drawing = FALSE;
          continue;
        }

      y = 1 + (height - 2) * (1 - samples[i].cpu / top);
      if (!drawing)
        {
          cairo_move_to (cr, x, y);
          start_x = x;
          drawing = TRUE;
        }
      else
        cairo_line_to (cr, x, y);
      last_x = x;
    }
}

static GtkLabel *
row_add_label (GtkWidget    *box,
               GtkSizeGroup *group,
               float         xalign,
               int           width_chars,
               gboolean      numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (width_chars > 0)
    gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (group != NULL)
    gtk_size_group_add_widget (group, label);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static GtkWidget *
ptl_monitor_panel_create_row (PtlMonitorPanel     *self,
                              const PtlProcEntity *entity)
{
  GtkWidget *widget = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  Row *row = g_new0 (Row, 1);
  const char *kind_text;

  row->kind = ptl_proc_entity_get_kind (entity);
  row->id = ptl_proc_entity_get_id (entity);
  row->is_self = ptl_proc_entity_get_is_self (entity);
  g_object_set_data_full (G_OBJECT (widget), "ptl-monitor-row", row, g_free);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);

  row->kind_label = row_add_label (box, self->kind_group, 0, -1, FALSE);
  row->id_label = row_add_label (box, self->id_group, 1, 5, TRUE);
  row->name_label = row_add_label (box, NULL, 0, -1, FALSE);
  row->state_label = row_add_label (box, self->state_group, 0.5, 1, FALSE);
  row->cpu_label = row_add_label (box, self->cpu_group, 1, 7, TRUE);
  row->rss_label = row_add_label (box, self->rss_group, 1, 8, TRUE);

  if (row->is_self)
    kind_text = _("Lab");
  else if (row->kind == PTL_PROC_KIND_PROCESS)
    kind_text = _("Process");
  else
    kind_text = _("Thread");
  gtk_label_set_text (row->kind_label, kind_text);
  gtk_widget_add_css_class (GTK_WIDGET (row->kind_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->kind_label), "dim-label");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->kind_label),
                               row->is_self ? _("The lab’s own process: its CPU use is that of all its threads")
                                            : row->kind == PTL_PROC_KIND_PROCESS ? _("A process started by the lab, or by one of its children")
                                                                                 : _("A thread of the lab"));

  gtk_widget_set_hexpand (GTK_WIDGET (row->name_label), TRUE);
  gtk_label_set_ellipsize (row->name_label, PANGO_ELLIPSIZE_END);
  if (row->is_self)
    gtk_widget_add_css_class (GTK_WIDGET (row->name_label), "heading");

  row->spark = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (row->spark), SPARK_WIDTH);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (row->spark), SPARK_HEIGHT);
  gtk_widget_set_valign (row->spark, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (row->spark), spark_draw_cb, row, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->spark),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("CPU use over the latest samples"),
                                  -1);
  gtk_size_group_add_widget (self->history_group, row->spark);
  gtk_box_append (GTK_BOX (box), row->spark);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (widget), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (widget), FALSE);
  gtk_widget_set_focusable (widget, FALSE);
  return widget;
}

static void
ptl_monitor_panel_update_row (PtlMonitorPanel     *self,
                              Row                 *row,
                              const PtlProcEntity *entity)
{
  const PtlProcSample *last = ptl_proc_entity_get_last_sample (entity);
  g_autofree char *id = g_strdup_printf ("%d", ptl_proc_entity_get_id (entity));
  g_autofree char *cpu = ptl_format_value (last ? last->cpu : NAN, "%");
  g_autofree char *rss = ptl_format_value (last ? last->rss : NAN, "B");
  char state[2] = { ptl_proc_entity_get_state (entity), '\0' };

  row->entity = entity;
  row->serial = self->serial;
  set_label_text (row->id_label, id);
  set_label_text (row->name_label, ptl_proc_entity_get_name (entity));
  set_label_text (row->cpu_label, cpu);
  set_label_text (row->rss_label, rss);
  if (g_strcmp0 (gtk_label_get_text (row->state_label), state) != 0)
    {
      gtk_label_set_text (row->state_label, state);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->state_label), state_description (state[0]));
    }
  gtk_widget_queue_draw (row->spark);
}

static void
ptl_monitor_panel_clear_rows (PtlMonitorPanel *self)
{
  GHashTableIter iter;
  gpointer widget;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &widget))
    {
      gtk_list_box_remove (self->list, widget);
      g_hash_table_iter_remove (&iter);
    }
}

/* The label ellipsizes in a narrow window; the tooltip keeps it whole. */
static void
ptl_monitor_panel_set_status (PtlMonitorPanel *self,
                              const char      *text)
{
  if (g_strcmp0 (gtk_label_get_text (self->status_label), text) == 0)
    return;
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
}

static void
ptl_monitor_panel_update_status (PtlMonitorPanel *self)
{
  g_autofree char *threads = NULL;
  g_autofree char *processes = NULL;
  g_autofree char *text = NULL;
  guint n_threads = 0, n_processes = 0;
  double cpu = 0;
  gboolean running;

  if (self->monitor == NULL || ptl_proc_monitor_get_n_samples (self->monitor) == 0)
    {
      ptl_monitor_panel_set_status (self, _("Samples the lab’s threads and child processes during each run"));
      return;
    }

  running = ptl_proc_monitor_get_running (self->monitor);
  for (guint i = 0; i < ptl_proc_monitor_get_n_entities (self->monitor); i++)
    {
      const PtlProcEntity *entity = ptl_proc_monitor_get_entity (self->monitor, i);
      const PtlProcSample *last = ptl_proc_entity_get_last_sample (entity);
      gboolean counted = running ? ptl_proc_entity_get_alive (entity) : TRUE;

      if (!counted)
        continue;
      if (ptl_proc_entity_get_kind (entity) == PTL_PROC_KIND_THREAD)
        n_threads++;
      else
        n_processes++;
      /* The lab's figure covers its threads; children are separate. */
      if (ptl_proc_entity_get_kind (entity) == PTL_PROC_KIND_PROCESS &&
          ptl_proc_entity_get_alive (entity) && last != NULL && isfinite (last->cpu))
        cpu += last->cpu;
    }

  threads = g_strdup_printf (ngettext ("%u thread", "%u threads", n_threads), n_threads);
  processes = g_strdup_printf (ngettext ("%u process", "%u processes", n_processes), n_processes);
  if (running)
    {
      g_autofree char *cpu_text = ptl_format_value (cpu, "%");

      /* TRANSLATORS: "12 threads · 3 processes · 150.0 % CPU" */
      text = g_strdup_printf (_("%s · %s · %s CPU"), threads, processes, cpu_text);
    }
  else
    {
      double elapsed = ptl_proc_monitor_get_elapsed (self->monitor);
      g_autofree char *elapsed_text = ptl_format_value (elapsed, "s");
      g_autofree char *cost_text =
        ptl_format_value (elapsed > 0 ? 100.0 * ptl_proc_monitor_get_cost_ns (self->monitor) / 1e9 / elapsed : NAN, "%");

      /* TRANSLATORS: "Last run: 12 threads · 3 processes · 4.20 s · sampling cost 0.4 % of one core" */
      text = g_strdup_printf (_("Last run: %s · %s · %s · sampling cost %s of one core"),
                              threads, processes, elapsed_text, cost_text);
    }
  ptl_monitor_panel_set_status (self, text);
}

static void
ptl_monitor_panel_refresh (PtlMonitorPanel *self)
{
  PtlProcMonitor *monitor = self->monitor;
  GHashTableIter iter;
  gpointer widget;

  g_assert (monitor != NULL);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refreshed_at = g_get_monotonic_time ();
  self->serial++;

  for (guint i = 0; i < ptl_proc_monitor_get_n_entities (monitor); i++)
    {
      const PtlProcEntity *entity = ptl_proc_monitor_get_entity (monitor, i);
      gpointer key;

      if (!ptl_proc_entity_get_alive (entity))
        continue;

      key = row_key (ptl_proc_entity_get_kind (entity), ptl_proc_entity_get_id (entity));
      widget = g_hash_table_lookup (self->rows, key);
      if (widget == NULL)
        {
          widget = ptl_monitor_panel_create_row (self, entity);
          g_hash_table_insert (self->rows, key, widget);
          gtk_list_box_append (self->list, widget);
        }
      ptl_monitor_panel_update_row (self, row_get (widget), entity);
    }

  /* Rows of threads that ended and children that were reaped go. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &widget))
    if (row_get (widget)->serial != self->serial)
      {
        gtk_list_box_remove (self->list, widget);
        g_hash_table_iter_remove (&iter);
      }

  ptl_monitor_panel_update_status (self);
}

static gboolean
ptl_monitor_panel_refresh_cb (gpointer user_data)
{
  PtlMonitorPanel *self = user_data;

  self->refresh_id = 0;
  ptl_monitor_panel_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
ptl_monitor_panel_sampled_cb (PtlMonitorPanel *self,
                              PtlProcMonitor  *monitor)
{
  gint64 due = self->refreshed_at + REFRESH_MS * 1000;
  gint64 now = g_get_monotonic_time ();

  /* The first and the last sample of a run show at once. */
  if (now >= due || !ptl_proc_monitor_get_running (monitor))
    ptl_monitor_panel_refresh (self);
  else if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add ((due - now + 999) / 1000, ptl_monitor_panel_refresh_cb, self);
}

static void
ptl_monitor_panel_sync_expanded (PtlMonitorPanel *self)
{
  gboolean expanded = gtk_revealer_get_reveal_child (self->revealer);

  gtk_image_set_from_icon_name (self->expand_icon, expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->expand_button),
                               GTK_ACCESSIBLE_STATE_EXPANDED, expanded,
                               -1);
}

/* A plain flat button, not a toggle: a checked toggle would look pressed
 * whenever the list is shown. */
static void
ptl_monitor_panel_expand_cb (PtlMonitorPanel *self,
                             GtkButton       *button)
{
  ptl_monitor_panel_set_expanded (self, !gtk_revealer_get_reveal_child (self->revealer));
}

static void
ptl_monitor_panel_dispose (GObject *object)
{
  PtlMonitorPanel *self = PTL_MONITOR_PANEL (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_MONITOR_PANEL);
  /* The header box is a child too, but not a bound one. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ptl_monitor_panel_parent_class)->dispose (object);
}

static void
ptl_monitor_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PtlMonitorPanel *self = PTL_MONITOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_INTERVAL_MS:
      g_value_set_int (value, self->interval_ms);
      break;

    case PROP_EXPANDED:
      g_value_set_boolean (value, ptl_monitor_panel_get_expanded (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_monitor_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PtlMonitorPanel *self = PTL_MONITOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      ptl_monitor_panel_set_monitor (self, g_value_get_object (value));
      break;

    case PROP_INTERVAL_MS:
      ptl_monitor_panel_set_interval (self, g_value_get_int (value));
      break;

    case PROP_EXPANDED:
      ptl_monitor_panel_set_expanded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_monitor_panel_class_init (PtlMonitorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_monitor_panel_dispose;
  object_class->get_property = ptl_monitor_panel_get_property;
  object_class->set_property = ptl_monitor_panel_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         PTL_TYPE_PROC_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INTERVAL_MS] =
    g_param_spec_int ("interval-ms", NULL, NULL,
                      PTL_PROC_MONITOR_MIN_INTERVAL_MS,
                      PTL_PROC_MONITOR_MAX_INTERVAL_MS,
                      PTL_PROC_MONITOR_DEFAULT_INTERVAL_MS,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-monitor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, expand_button);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, expand_icon);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, revealer);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, list);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, kind_group);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, id_group);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, state_group);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, cpu_group);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, rss_group);
  gtk_widget_class_bind_template_child (widget_class, PtlMonitorPanel, history_group);
  gtk_widget_class_bind_template_callback (widget_class, ptl_monitor_panel_expand_cb);
}

static void
ptl_monitor_panel_init (PtlMonitorPanel *self)
{
  self->interval_ms = PTL_PROC_MONITOR_DEFAULT_INTERVAL_MS;
  self->rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_list_box_set_sort_func (self->list, sort_rows_cb, NULL, NULL);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->expand_button),
                                  GTK_ACCESSIBLE_RELATION_CONTROLS, self->revealer, NULL,
                                  -1);
  ptl_monitor_panel_sync_expanded (self);
  g_object_bind_property (self, "interval-ms", self->interval_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  ptl_monitor_panel_update_status (self);
}

GtkWidget *
ptl_monitor_panel_new (void)
{
  return g_object_new (PTL_TYPE_MONITOR_PANEL, NULL);
}

void
ptl_monitor_panel_set_monitor (PtlMonitorPanel *self,
                               PtlProcMonitor  *monitor)
{
  g_return_if_fail (PTL_IS_MONITOR_PANEL (self));
  g_return_if_fail (monitor == NULL || PTL_IS_PROC_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  ptl_monitor_panel_clear_rows (self);
  g_set_object (&self->monitor, monitor);

  if (monitor != NULL)
    {
      ptl_proc_monitor_set_interval (monitor, self->interval_ms);
      g_signal_connect_object (monitor, "sampled",
                               G_CALLBACK (ptl_monitor_panel_sampled_cb), self,
                               G_CONNECT_SWAPPED);
      ptl_monitor_panel_refresh (self);
    }
  else
    {
      ptl_monitor_panel_update_status (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

PtlProcMonitor *
ptl_monitor_panel_get_monitor (PtlMonitorPanel *self)
{
  g_return_val_if_fail (PTL_IS_MONITOR_PANEL (self), NULL);

  return self->monitor;
}

int
ptl_monitor_panel_get_interval (PtlMonitorPanel *self)
{
  g_return_val_if_fail (PTL_IS_MONITOR_PANEL (self), PTL_PROC_MONITOR_DEFAULT_INTERVAL_MS);

  return self->interval_ms;
}

void
ptl_monitor_panel_set_interval (PtlMonitorPanel *self,
                                int              interval_ms)
{
  g_return_if_fail (PTL_IS_MONITOR_PANEL (self));

  interval_ms = CLAMP (interval_ms, PTL_PROC_MONITOR_MIN_INTERVAL_MS, PTL_PROC_MONITOR_MAX_INTERVAL_MS);
  if (self->interval_ms == interval_ms)
    return;

  self->interval_ms = interval_ms;
  if (self->monitor != NULL)
    ptl_proc_monitor_set_interval (self->monitor, interval_ms);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MS]);
}

guint
ptl_monitor_panel_get_n_rows (PtlMonitorPanel *self)
{
  g_return_val_if_fail (PTL_IS_MONITOR_PANEL (self), 0);

  return g_hash_table_size (self->rows);
}

/* Whether the list of threads and processes shows, under the header. */
gboolean
ptl_monitor_panel_get_expanded (PtlMonitorPanel *self)
{
  g_return_val_if_fail (PTL_IS_MONITOR_PANEL (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

void
ptl_monitor_panel_set_expanded (PtlMonitorPanel *self,
                                gboolean         expanded)
{
  g_return_if_fail (PTL_IS_MONITOR_PANEL (self));

  expanded = !!expanded;
  if (expanded == gtk_revealer_get_reveal_child (self->revealer))
    return;

  gtk_revealer_set_reveal_child (self->revealer, expanded);
  ptl_monitor_panel_sync_expanded (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}
