/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-chart-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ptl-chart-view.h"
#include "ptl-export-chooser.h"
#include "ptl-export-dialog.h"
#include "ptl-plot.h"

/* A thin widget: the chart is drawn by ptl_chart_draw (), the same code
 * that exports it. The drawing is kept as a render node and only the
 * hover marker is drawn anew while the pointer moves. Its menu (a button
 * in the top right corner) exports the chart alone or copies it;
 * what came of that is told through "message", for the page to show. */

#define MIN_WIDTH   300
#define MIN_HEIGHT  300
#define NAT_WIDTH   560
#define NAT_HEIGHT  340
#define MARKER_SIZE 5.0
#define MENU_MARGIN 6

struct _PtlChartView
{
  GtkWidget      parent_instance;

  /* children */
  GtkWidget     *menu_button;

  /* owned */
  PtlResult     *result;
  char          *chart_id;
  GskRenderNode *cache;
  int            cache_width;
  int            cache_height;

  /* the point under the pointer, for the marker */
  PtlChartHit    hit;
  gboolean       has_hit;
};

enum {
  MESSAGE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PtlChartView, ptl_chart_view, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static void
ptl_chart_view_init_style (PtlChartView *self,
                           PtlPlotStyle *style)
{
  if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
    ptl_plot_style_init_dark (style);
  else
    ptl_plot_style_init_light (style);

  /* The card around the chart paints the background, so the chart
   * blends with the theme in both styles. */
  style->background.alpha = 0.0;
}

static void
ptl_chart_view_invalidate (PtlChartView *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
ptl_chart_view_hit_test (PtlChartView *self,
                         double        x,
                         double        y,
                         PtlChartHit  *hit)
{
  PtlPlotStyle style;
  PtlChart *chart;

  chart = ptl_chart_view_get_chart (self);
  if (chart == NULL)
    return FALSE;

  ptl_chart_view_init_style (self, &style);
  return ptl_chart_hit_test (chart, &style,
                             gtk_widget_get_width (GTK_WIDGET (self)),
                             gtk_widget_get_height (GTK_WIDGET (self)),
                             x, y, hit);
}

static char *
ptl_chart_view_format_x (PtlChart *chart,
                         double    x)
{
  const char * const *categories = ptl_chart_get_categories (chart);

  if (ptl_chart_get_kind (chart) == PTL_CHART_BAR && categories != NULL &&
      x >= 0 && x < ptl_chart_get_n_categories (chart))
    return g_strdup (categories[(guint) x]);

  return ptl_format_value (x, ptl_chart_get_x_unit (chart));
}

static void G_GNUC_PRINTF (2, 3)
append_escaped (GString    *text,
                const char *format,
                ...)
{
  g_autofree char *escaped = NULL;
  va_list args;

  va_start (args, format);
  escaped = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (text, escaped);
}

/* A timeline hit is a slice (hit->point indexes the chart's slices, on
 * lane hit->series): what ran there, when, and for how long. */
static char *
ptl_chart_view_dup_slice_tooltip (PtlChart          *chart,
                                  const PtlChartHit *hit)
{
  const char *unit = ptl_chart_get_x_unit (chart);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *length = NULL;
  const PtlSlice *slices;
  const PtlSlice *slice;
  const char *lane;
  const char *key;
  GString *text;
  guint n_slices;

  slices = ptl_chart_get_slices (chart, &n_slices);
  if (hit->point >= n_slices)
    return NULL;
  slice = &slices[hit->point];
  if (slice->lane >= ptl_chart_get_n_lanes (chart) || slice->key >= ptl_chart_get_n_keys (chart))
    return NULL;

  lane = ptl_chart_get_lane (chart, slice->lane);
  key = ptl_chart_get_key (chart, slice->key);
  start = ptl_format_value (slice->start, unit);
  end = ptl_format_value (slice->end, unit);
  length = ptl_format_value (slice->end - slice->start, unit);

  /* A lane named after its key (a process running on its own lane) says
   * it once; otherwise both, e.g. "P2: I/O" or "CPU 1: P3". */
  text = g_string_new (NULL);
  if (g_strcmp0 (lane, key) == 0)
    append_escaped (text, "<b>%s</b>", key);
  else
    /* TRANSLATORS: a timeline lane and what occupied it, e.g. "P2: I/O" */
    append_escaped (text, _("<b>%s</b>: %s"), lane, key);
  /* TRANSLATORS: a timeline slice in a chart tooltip; times such as "12 ms" */
  append_escaped (text, _("\nFrom %s to %s\nLength: %s"), start, end, length);
  return g_string_free (text, FALSE);
}

/* A graph hit is a node (hit->series): its name, its kind, and every
 * arrow from or to it, e.g. "Waits for (thread → lock): Fork 4". */
static char *
ptl_chart_view_dup_node_tooltip (PtlChart          *chart,
                                 const PtlChartHit *hit)
{
  PtlGraph *graph = ptl_chart_get_graph (chart);
  const PtlGraphNode *node;
  GString *text;

  if (graph == NULL || hit->series >= ptl_graph_get_n_nodes (graph))
    return NULL;
  node = ptl_graph_get_node (graph, hit->series);
  text = g_string_new (NULL);
  append_escaped (text, "<b>%s</b>\n%s", node->name, ptl_graph_get_node_kind (graph, node->kind)->name);
  if (node->highlight && ptl_graph_get_highlight_label (graph) != NULL)
    append_escaped (text, " · %s", ptl_graph_get_highlight_label (graph));
  for (guint i = 0; i < ptl_graph_get_n_edges (graph); i++)
    {
      const PtlGraphEdge *edge = ptl_graph_get_edge (graph, i);

      if (edge->from == hit->series || edge->to == hit->series)
        append_escaped (text, "\n%s: %s → %s", ptl_graph_get_edge_kind (graph, edge->kind)->name,
                        ptl_graph_get_node (graph, edge->from)->name, ptl_graph_get_node (graph, edge->to)->name);
    }
  return g_string_free (text, FALSE);
}

static char *
ptl_chart_view_dup_tooltip (PtlChart          *chart,
                            const PtlChartHit *hit)
{
  PtlSeries *series;
  const PtlPoint *points;
  const PtlPoint *point;
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  const char *x_label;
  const char *y_label;
  GString *text;
  guint n_points;

  if (ptl_chart_get_kind (chart) == PTL_CHART_TIMELINE)
    return ptl_chart_view_dup_slice_tooltip (chart, hit);
  if (ptl_chart_get_kind (chart) == PTL_CHART_GRAPH)
    return ptl_chart_view_dup_node_tooltip (chart, hit);

  if (hit->series >= ptl_chart_get_n_series (chart))
    return NULL;
  series = ptl_chart_get_series (chart, hit->series);
  points = ptl_series_get_points (series, &n_points);
  if (hit->point >= n_points)
    return NULL;
  point = &points[hit->point];

  x_text = ptl_chart_view_format_x (chart, point->x);
  y_text = ptl_format_value (point->y, ptl_chart_get_y_unit (chart));

  x_label = ptl_chart_get_x_label (chart);
  y_label = ptl_chart_get_y_label (chart);

  /* Names and labels come from experiments: escape them for markup. */
  text = g_string_new (NULL);
  append_escaped (text, "<b>%s</b>\n%s: %s\n%s: %s",
                  ptl_series_get_name (series),
                  x_label ? x_label : "x", x_text,
                  y_label ? y_label : "y", y_text);

  if (ptl_series_has_band (series) && !isnan (point->lo) && !isnan (point->hi))
    {
      g_autofree char *lo_text = ptl_format_value (point->lo, ptl_chart_get_y_unit (chart));
      g_autofree char *hi_text = ptl_format_value (point->hi, ptl_chart_get_y_unit (chart));
      const char *band = ptl_series_get_band_label (series);

      /* TRANSLATORS: a range in a chart tooltip, e.g. "p5–p95: 1.2 ms – 3.4 ms" */
      append_escaped (text, _("\n%s: %s – %s"), band ? band : _("Range"), lo_text, hi_text);
    }

  return g_string_free (text, FALSE);
}

/* The marker takes the colour of what it marks: a series, or a slice's key
 * as the plot library colours it. */
static PtlRgba
ptl_chart_view_hit_color (PtlChart           *chart,
                          const PtlPlotStyle *style,
                          const PtlChartHit  *hit)
{
  const PtlSlice *slices;
  guint n_slices;

  if (ptl_chart_get_kind (chart) == PTL_CHART_GRAPH)
    return style->foreground;
  if (ptl_chart_get_kind (chart) != PTL_CHART_TIMELINE)
    return style->series[hit->series % PTL_PLOT_N_SERIES_COLORS];

  slices = ptl_chart_get_slices (chart, &n_slices);
  if (hit->point >= n_slices || slices[hit->point].key >= ptl_chart_get_n_keys (chart))
    return style->muted;
  return ptl_chart_get_key_color (chart, style, slices[hit->point].key);
}

static void
ptl_chart_view_motion_cb (PtlChartView             *self,
                          double                    x,
                          double                    y,
                          GtkEventControllerMotion *motion)
{
  PtlChartHit hit;
  gboolean has_hit;

  has_hit = ptl_chart_view_hit_test (self, x, y, &hit);
  if (has_hit == self->has_hit &&
      (!has_hit || (hit.series == self->hit.series && hit.point == self->hit.point)))
    return;

  self->has_hit = has_hit;
  self->hit = hit;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ptl_chart_view_leave_cb (PtlChartView             *self,
                         GtkEventControllerMotion *motion)
{
  if (!self->has_hit)
    return;

  self->has_hit = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ptl_chart_view_message (PtlChartView *self,
                        const char   *text,
                        const GError *error)
{
  g_signal_emit (self, signals[MESSAGE], 0, text, error);
}

static void
ptl_chart_view_dialog_message_cb (PtlChartView    *self,
                                  const char      *text,
                                  const GError    *error,
                                  PtlExportDialog *dialog)
{
  ptl_chart_view_message (self, text, error);
}

/* The export dialog, this chart chosen. */
static void
ptl_chart_view_export_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PtlChartView *self = PTL_CHART_VIEW (widget);
  PtlExportDialog *dialog;

  if (ptl_chart_view_get_chart (self) == NULL)
    return;

  dialog = ptl_export_dialog_new (widget, self->result, self->chart_id);
  g_signal_connect_object (dialog, "message",
                           G_CALLBACK (ptl_chart_view_dialog_message_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ptl_chart_view_copy_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PtlChartView *self = PTL_CHART_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (ptl_chart_view_copy (self, &error))
    ptl_chart_view_message (self, _("Chart copied"), NULL);
  else
    ptl_chart_view_message (self, _("Could not copy the chart"), error);
}

static void
ptl_chart_view_dark_changed_cb (PtlChartView    *self,
                                GParamSpec      *pspec,
                                AdwStyleManager *manager)
{
  ptl_chart_view_invalidate (self);
}

static gboolean
ptl_chart_view_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  PtlChartView *self = PTL_CHART_VIEW (widget);
  g_autofree char *markup = NULL;
  PtlChartHit hit;

  if (keyboard_mode || !ptl_chart_view_hit_test (self, x, y, &hit))
    return FALSE;

  markup = ptl_chart_view_dup_tooltip (ptl_chart_view_get_chart (self), &hit);
  if (markup == NULL)
    return FALSE;

  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
ptl_chart_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

/* The menu button sits in the top right corner, over the chart's margin. */
static void
ptl_chart_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  PtlChartView *self = PTL_CHART_VIEW (widget);
  GtkRequisition size;

  gtk_widget_get_preferred_size (self->menu_button, NULL, &size);
  gtk_widget_size_allocate (self->menu_button,
                            &(GtkAllocation) { MAX (width - size.width - MENU_MARGIN, 0), MENU_MARGIN,
                                               size.width, size.height },
                            -1);
}

static void
ptl_chart_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PtlChartView *self = PTL_CHART_VIEW (widget);
  PtlChart *chart;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  chart = ptl_chart_view_get_chart (self);
  if (chart == NULL || width <= 0 || height <= 0)
    return;

  if (self->cache == NULL || self->cache_width != width || self->cache_height != height)
    {
      g_autoptr(GtkSnapshot) layer = gtk_snapshot_new ();
      PtlPlotStyle style;
      cairo_t *cr;

      ptl_chart_view_init_style (self, &style);
      cr = gtk_snapshot_append_cairo (layer, &GRAPHENE_RECT_INIT (0, 0, width, height));
      ptl_chart_draw (chart, cr, &style, width, height);
      cairo_destroy (cr);

      g_clear_pointer (&self->cache, gsk_render_node_unref);
      self->cache = gtk_snapshot_free_to_node (g_steal_pointer (&layer));
      self->cache_width = width;
      self->cache_height = height;
    }

  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);

  if (self->has_hit)
    {
      PtlPlotStyle style;
      PtlRgba color;
      cairo_t *cr;

      ptl_chart_view_init_style (self, &style);
      color = ptl_chart_view_hit_color (chart, &style, &self->hit);
      cr = gtk_snapshot_append_cairo (snapshot,
                                      &GRAPHENE_RECT_INIT (self->hit.px - 2 * MARKER_SIZE,
                                                           self->hit.py - 2 * MARKER_SIZE,
                                                           4 * MARKER_SIZE,
                                                           4 * MARKER_SIZE));
      cairo_arc (cr, self->hit.px, self->hit.py, MARKER_SIZE, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, style.foreground.red, style.foreground.green,
                             style.foreground.blue, style.foreground.alpha);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }

  gtk_widget_snapshot_child (widget, self->menu_button, snapshot);
}

static void
ptl_chart_view_dispose (GObject *object)
{
  PtlChartView *self = PTL_CHART_VIEW (object);

  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (ptl_chart_view_parent_class)->dispose (object);
}

static void
ptl_chart_view_finalize (GObject *object)
{
  PtlChartView *self = PTL_CHART_VIEW (object);

  g_free (self->chart_id);

  G_OBJECT_CLASS (ptl_chart_view_parent_class)->finalize (object);
}

static void
ptl_chart_view_class_init (PtlChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_chart_view_dispose;
  object_class->finalize = ptl_chart_view_finalize;

  widget_class->measure = ptl_chart_view_measure;
  widget_class->size_allocate = ptl_chart_view_size_allocate;
  widget_class->snapshot = ptl_chart_view_snapshot;
  widget_class->query_tooltip = ptl_chart_view_query_tooltip;

  /* Emitted with a text to show ("Saved x.png") and, for a failure, the
   * error under that heading. */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "chart.export", NULL, ptl_chart_view_export_action);
  gtk_widget_class_install_action (widget_class, "chart.copy", NULL, ptl_chart_view_copy_action);

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ptl_chart_view_init (PtlChartView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkEventController *motion;

  g_menu_append (menu, _("_Export Chart…"), "chart.export");
  g_menu_append (menu, _("_Copy Chart"), "chart.copy");

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (self->menu_button, _("Chart Menu"));
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "motion",
                           G_CALLBACK (ptl_chart_view_motion_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave",
                           G_CALLBACK (ptl_chart_view_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (ptl_chart_view_dark_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
ptl_chart_view_new (void)
{
  return g_object_new (PTL_TYPE_CHART_VIEW, NULL);
}

void
ptl_chart_view_set_chart (PtlChartView *self,
                          PtlResult    *result,
                          const char   *chart_id)
{
  PtlChart *chart;

  g_return_if_fail (PTL_IS_CHART_VIEW (self));
  g_return_if_fail (result == NULL || PTL_IS_RESULT (result));

  g_set_object (&self->result, result);
  if (g_strcmp0 (self->chart_id, chart_id) != 0)
    {
      g_free (self->chart_id);
      self->chart_id = g_strdup (chart_id);
    }

  /* The marker's point may not exist in the new data. */
  self->has_hit = FALSE;

  chart = ptl_chart_view_get_chart (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  chart ? ptl_chart_get_title (chart) : "",
                                  -1);
  ptl_chart_view_invalidate (self);
}

PtlChart *
ptl_chart_view_get_chart (PtlChartView *self)
{
  g_return_val_if_fail (PTL_IS_CHART_VIEW (self), NULL);

  if (self->result == NULL || self->chart_id == NULL)
    return NULL;
  return ptl_result_find_chart (self->result, self->chart_id);
}

void
ptl_chart_view_set_exportable (PtlChartView *self,
                               gboolean      exportable)
{
  g_return_if_fail (PTL_IS_CHART_VIEW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.export", exportable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.copy", exportable);
}

gboolean
ptl_chart_view_copy (PtlChartView  *self,
                     GError       **error)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  PtlExportOptions options;
  PtlPlotStyle style;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  g_return_val_if_fail (PTL_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ptl_chart_view_get_chart (self) == NULL)
    {
      g_set_error_literal (error, PTL_ERROR, PTL_ERROR_FAILED, _("There is no chart to copy"));
      return FALSE;
    }

  /* The same figure as a PNG export, at the same size. */
  settings = g_settings_new (APPLICATION_ID);
  ptl_export_chooser_fill_options (settings, self->result, self->chart_id, &style, &options);
  width = (int) ceil (options.width * options.scale);
  height = (int) ceil (options.height * options.scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_scale (cr, options.scale, options.scale);
  ptl_figure_draw (self->result, self->chart_id, cr, &style, options.width, options.height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("Could not draw the chart: %s"),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }

  /* Cairo's ARGB32 is premultiplied BGRA in memory on little-endian
   * machines, ARGB on big-endian ones: GDK_MEMORY_DEFAULT names exactly
   * that. The bytes keep the surface alive. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  return TRUE;
}
