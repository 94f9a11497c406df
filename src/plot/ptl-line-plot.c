/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-line-plot"

#include "config.h"

#include <string.h>

#include "ptl-line-mask.h"
#include "ptl-plot-private.h"

/* Series this short get a marker on every point: with few points the
 * points are the data and the lines only guide the eye. */
#define MAX_MARKED_POINTS 50

typedef struct
{
  double min;
  double max;
} Range;

/* Everything measured before drawing; hit tests lay out the same way. */
typedef struct
{
  PangoContext *context;
  PangoLayout  *title;
  PtlLegend     legend;
  PangoLayout  *x_title;
  PangoLayout  *y_title;
  GPtrArray    *x_ticks;
  GPtrArray    *y_ticks;
  PtlAxis       x_axis;
  PtlAxis       y_axis;
  PtlPlotArea   area;
  double        title_y;
  double        legend_y;
  double        x_ticks_y;
  double        x_title_y;
  gboolean      has_data;
  gboolean      markers;
} LineLayout;

static inline void
range_add (Range    *range,
           double    value,
           gboolean  log_scale)
{
  if (!isfinite (value) || (log_scale && value <= 0))
    return;
  if (value < range->min)
    range->min = value;
  if (value > range->max)
    range->max = value;
}

static inline gboolean
plottable (double   value,
           gboolean log_scale)
{
  return isfinite (value) && (!log_scale || value > 0);
}

/* The data's extent, bands and straight references included (diagonals
 * would squash the data, so they are clipped instead). Not inlined: in
 * the large layout function GCC kept the running extremes on the stack,
 * a third slower over a million points. */
static G_GNUC_NO_INLINE gboolean
measure_data (PtlChart *chart,
              Range    *x_range,
              Range    *y_range,
              guint    *max_points)
{
  gboolean x_log = ptl_chart_get_x_log (chart);
  gboolean y_log = ptl_chart_get_y_log (chart);
  gboolean has_data = FALSE;

  *x_range = *y_range = (Range) { INFINITY, -INFINITY };
  *max_points = 0;

  for (guint i = 0; i < ptl_chart_get_n_series (chart); i++)
    {
      PtlSeries *series = ptl_chart_get_series (chart, i);
      gboolean band = ptl_series_has_band (series);
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (series, &n_points);

      /* Plain locals, not the ranges behind the pointers, so the
       * compiler can keep them in registers. */
      double x_min = x_range->min, x_max = x_range->max;
      double y_min = y_range->min, y_max = y_range->max;
      guint n_plottable = 0;

      *max_points = MAX (*max_points, n_points);
      for (guint j = 0; j < n_points; j++)
        {
          double x = points[j].x;
          double y = points[j].y;

          if (!plottable (x, x_log) || !plottable (y, y_log))
            continue;
          n_plottable++;
          x_min = x < x_min ? x : x_min;
          x_max = x > x_max ? x : x_max;
          y_min = y < y_min ? y : y_min;
          y_max = y > y_max ? y : y_max;
        }
      x_range->min = x_min;
      x_range->max = x_max;
      y_range->min = y_min;
      y_range->max = y_max;

      if (band)
        for (guint j = 0; j < n_points; j++)
          if (plottable (points[j].x, x_log) && plottable (points[j].y, y_log))
            {
              range_add (y_range, points[j].lo, y_log);
              range_add (y_range, points[j].hi, y_log);
            }
      has_data |= n_plottable > 0;
    }

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);

      if (reference->kind == PTL_REFERENCE_HORIZONTAL)
        range_add (y_range, reference->value, y_log);
      else if (reference->kind == PTL_REFERENCE_VERTICAL)
        range_add (x_range, reference->value, x_log);
    }
  _ptl_plot_extend_to_x_range (chart, &x_range->min, &x_range->max);

  return has_data;
}

/* Whether x counts something: a unit the ticks do not scale (workers,
 * none) and only whole values. Such an axis gets whole ticks. */
static gboolean
x_is_count (PtlChart *chart)
{
  double range_min, range_max;

  if (ptl_axis_unit_in_ticks (ptl_chart_get_x_unit (chart)))
    return FALSE;
  if (ptl_chart_get_x_range (chart, &range_min, &range_max) &&
      ((isfinite (range_min) && range_min != floor (range_min)) ||
       (isfinite (range_max) && range_max != floor (range_max))))
    return FALSE;
  for (guint i = 0; i < ptl_chart_get_n_series (chart); i++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (chart, i), &n_points);

      for (guint j = 0; j < n_points; j++)
        /* A cast, not floor (): no libm call per point. Past 2^53 every
         * double is whole anyway. */
        if (isfinite (points[j].x) && fabs (points[j].x) < 9e15 && points[j].x != (double) (gint64) points[j].x)
          return FALSE;
    }
  return TRUE;
}

static void
line_layout_init (LineLayout         *layout,
                  PtlChart           *chart,
                  PangoContext       *context,
                  const PtlPlotStyle *style,
                  double              width,
                  double              height)
{
  double s = style->font_size;
  double pad = _ptl_plot_padding (style);
  double content_width = MAX (width - 2 * pad, 1);
  g_autofree char *x_title = _ptl_axis_title (ptl_chart_get_x_label (chart), ptl_chart_get_x_unit (chart));
  g_autofree char *y_title = _ptl_axis_title (ptl_chart_get_y_label (chart), ptl_chart_get_y_unit (chart));
  g_autoptr(PangoLayout) sample = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, "0");
  gboolean y_log = ptl_chart_get_y_log (chart);
  PtlAxisFlags y_flags = PTL_AXIS_EXTEND;
  PtlAxisFlags x_flags;
  Range x_range, y_range;
  guint max_points, max_labels;
  double top, bottom, left, right, tick_height, text_height, tick_width;

  memset (layout, 0, sizeof *layout);
  layout->context = g_object_ref (context);
  layout->has_data = measure_data (chart, &x_range, &y_range, &max_points);
  layout->markers = max_points <= MAX_MARKED_POINTS;
  _ptl_plot_layout_get_size (sample, NULL, &tick_height);

  top = pad;
  layout->title = _ptl_chart_title_new (chart, context, style, content_width);
  if (layout->title != NULL)
    {
      _ptl_plot_layout_get_size (layout->title, NULL, &text_height);
      layout->title_y = top;
      top += text_height + s * 0.4;
    }
  /* The legend shows what the chart draws: lines (with their markers) or
   * a scatter chart's markers or dots. */
  if (ptl_chart_get_kind (chart) != PTL_CHART_SCATTER)
    _ptl_legend_init (&layout->legend, PTL_SWATCH_LINE);
  else
    _ptl_legend_init (&layout->legend, layout->markers ? PTL_SWATCH_MARKER : PTL_SWATCH_DOT);
  _ptl_legend_add_series (&layout->legend, chart, context, style, layout->markers);
  _ptl_legend_flow (&layout->legend, style, content_width);
  layout->legend_y = top;
  top += layout->legend.height + s * 0.6;

  bottom = height - pad;
  if (x_title != NULL)
    {
      layout->x_title = _ptl_plot_layout_new (context, style, PTL_TEXT_BODY, x_title);
      _ptl_plot_layout_get_size (layout->x_title, NULL, &text_height);
      layout->x_title_y = bottom - text_height;
      bottom = layout->x_title_y - s * 0.25;
    }
  layout->x_ticks_y = bottom - tick_height;
  bottom = layout->x_ticks_y - s * 0.35;

  left = pad;
  if (y_title != NULL)
    {
      layout->y_title = _ptl_plot_layout_new (context, style, PTL_TEXT_BODY, y_title);
      _ptl_plot_layout_get_size (layout->y_title, NULL, &text_height);
      left += text_height + s * 0.4;
    }

  layout->area.top = top;
  layout->area.height = MAX (bottom - top, 1);

  /* A linear axis starts at zero when the data is not far from it: bars
   * of time read wrong from a cut-off axis, a narrow band near 1000 reads
   * better zoomed in. */
  if (!y_log && layout->has_data && y_range.min >= 0 && y_range.min < y_range.max / 2)
    y_flags |= PTL_AXIS_INCLUDE_ZERO;
  ptl_axis_init (&layout->y_axis, y_range.min, y_range.max, y_log,
                 ptl_chart_get_y_unit (chart), y_flags,
                 _ptl_plot_max_labels (layout->area.height, tick_height * 2.2));
  layout->y_ticks = _ptl_tick_layouts_new (&layout->y_axis, context, style, &tick_width);
  left += tick_width + s * 0.45;

  /* Room for half of the last x label past the plot's right edge. */
  right = width - pad - s * 1.2;
  layout->area.left = left;
  layout->area.width = MAX (right - left, 1);

  /* Fewer x labels until the widest one fits between its neighbours. */
  max_labels = _ptl_plot_max_labels (layout->area.width, s * 4);
  /* Only a range narrow enough for steps below 1 needs to know; a wide
   * one (a million samples) is spared the scan. */
  x_flags = x_range.max - x_range.min < 2.0 * max_labels && x_is_count (chart) ? PTL_AXIS_INTEGER : PTL_AXIS_NONE;
  for (;;)
    {
      ptl_axis_init (&layout->x_axis, x_range.min, x_range.max, ptl_chart_get_x_log (chart),
                     ptl_chart_get_x_unit (chart), x_flags, max_labels);
      layout->x_ticks = _ptl_tick_layouts_new (&layout->x_axis, context, style, &tick_width);
      if (max_labels <= 3 || _ptl_x_labels_fit (&layout->x_axis, layout->area.width, tick_width, s * 0.8))
        break;
      /* An axis without labels must not wrap 0 - 1 round to 4 billion. */
      max_labels = MIN (max_labels, MAX (ptl_axis_get_n_labels (&layout->x_axis), 1)) - 1;
      g_clear_pointer (&layout->x_ticks, g_ptr_array_unref);
      ptl_axis_clear (&layout->x_axis);
    }
}

static void
line_layout_clear (LineLayout *layout)
{
  g_clear_object (&layout->context);
  g_clear_object (&layout->title);
  _ptl_legend_clear (&layout->legend);
  g_clear_object (&layout->x_title);
  g_clear_object (&layout->y_title);
  g_clear_pointer (&layout->x_ticks, g_ptr_array_unref);
  g_clear_pointer (&layout->y_ticks, g_ptr_array_unref);
  ptl_axis_clear (&layout->x_axis);
  ptl_axis_clear (&layout->y_axis);
}

static void
draw_band (cairo_t        *cr,
           GArray         *vertices,
           PtlLabelPlacer *placer)
{
  guint start = 0;

  /* One closed shape per run: along the top edge, back along the bottom. */
  while (start < vertices->len)
    {
      guint end = start;

      while (end < vertices->len && !isnan (g_array_index (vertices, PtlBandVertex, end).x))
        end++;
      if (end > start)
        {
          for (guint i = start; i < end; i++)
            {
              const PtlBandVertex *v = &g_array_index (vertices, PtlBandVertex, i);

              cairo_line_to (cr, v->x, v->hi);
              if (i > start)
                {
                  const PtlBandVertex *u = v - 1;

                  _ptl_label_placer_add_mark (placer, u->x, MIN (u->hi, v->hi), v->x, MAX (u->lo, v->lo));
                }
            }
          for (guint i = end; i > start; i--)
            {
              const PtlBandVertex *v = &g_array_index (vertices, PtlBandVertex, i - 1);

              cairo_line_to (cr, v->x, v->lo);
            }
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      start = end + 1;
    }
}

/* Each segment's box, widened by half the line, is a mark. */
static void
add_line_marks (PtlLabelPlacer *placer,
                GArray         *vertices,
                double          half_width)
{
  for (guint i = 0; i < vertices->len; i++)
    {
      const PtlVertex *v = &g_array_index (vertices, PtlVertex, i);
      const PtlVertex *u = i > 0 ? v - 1 : v;

      if (isnan (v->x))
        continue;
      if (isnan (u->x))
        u = v;
      _ptl_label_placer_add_mark (placer, MIN (u->x, v->x) - half_width, MIN (u->y, v->y) - half_width,
                                  MAX (u->x, v->x) + half_width, MAX (u->y, v->y) + half_width);
    }
}

/* Segments a dense line's path is cut after on PDF and SVG, see
 * line_drawing (). */
#define PIECE_SEGMENTS 64

/* Strokes @vertices as one path, or with @piece > 0 as paths of at most
 * @piece segments each. */
static void
stroke_line (cairo_t *cr,
             GArray  *vertices,
             guint    piece)
{
  gboolean drawing = FALSE;
  guint segments = 0;

  for (guint i = 0; i < vertices->len; i++)
    {
      const PtlVertex *v = &g_array_index (vertices, PtlVertex, i);

      if (isnan (v->x))
        drawing = FALSE;
      else if (drawing)
        {
          cairo_line_to (cr, v->x, v->y);
          if (piece > 0 && ++segments == piece)
            {
              cairo_stroke (cr);
              cairo_move_to (cr, v->x, v->y);
              segments = 0;
            }
        }
      else
        {
          cairo_move_to (cr, v->x, v->y);
          /* A lone point still shows as a dot with round caps. */
          cairo_line_to (cr, v->x, v->y);
          drawing = TRUE;
        }
    }
  cairo_stroke (cr);
}

typedef enum
{
  LINE_PATH,   /* one stroked path */
  LINE_PIECES, /* stroked in pieces of PIECE_SEGMENTS */
  LINE_MASK,   /* through a coverage mask, see ptl-line-mask.c */
} LineDrawing;

/* A line keeping more vertices than one sorted by x can (four a column)
 * went back and forth, and one path of its many crossing segments is the
 * worst case of cairo's rasterizer (minutes for 200,000 points), and of
 * viewers that rasterize with cairo (librsvg, poppler's cairo backend).
 * Targets that rasterize get a mask; PDF and SVG keep the vectors, cut in
 * pieces whose crossings a rasterizer handles one piece at a time. */
static LineDrawing
line_drawing (cairo_t           *cr,
              GArray            *line,
              const PtlPlotArea *area,
              double             column_width)
{
  if (line->len <= 4 * (area->width / column_width + 2))
    return LINE_PATH;
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PS:
      return LINE_PIECES;
    default:
      return LINE_MASK;
    }
}

/* Fills the current clip with the current source through @line's mask,
 * computed at the resolution columns are (a pixel, or half a unit on a
 * recording the screen replays at any scale). */
static void
fill_line_mask (cairo_t *cr,
                GArray  *line,
                double   line_width,
                double   column_width)
{
  double dx = 1, dy = 0;
  double x0, y0, x1, y1, pixels_per_device;
  double corners[4][2];
  double left = G_MAXDOUBLE, top = G_MAXDOUBLE, right = -G_MAXDOUBLE, bottom = -G_MAXDOUBLE;
  cairo_matrix_t to_mask, scale;
  cairo_surface_t *mask;

  cairo_user_to_device_distance (cr, &dx, &dy);
  pixels_per_device = 1 / (column_width * MAX (hypot (dx, dy), 1e-3));
  cairo_get_matrix (cr, &to_mask);
  cairo_matrix_init_scale (&scale, pixels_per_device, pixels_per_device);
  cairo_matrix_multiply (&to_mask, &to_mask, &scale);

  cairo_clip_extents (cr, &x0, &y0, &x1, &y1);
  corners[0][0] = corners[3][0] = x0;
  corners[1][0] = corners[2][0] = x1;
  corners[0][1] = corners[1][1] = y0;
  corners[2][1] = corners[3][1] = y1;
  for (guint i = 0; i < G_N_ELEMENTS (corners); i++)
    {
      cairo_matrix_transform_point (&to_mask, &corners[i][0], &corners[i][1]);
      left = MIN (left, corners[i][0]);
      right = MAX (right, corners[i][0]);
      top = MIN (top, corners[i][1]);
      bottom = MAX (bottom, corners[i][1]);
    }
  left = floor (left);
  top = floor (top);
  right = ceil (right);
  bottom = ceil (bottom);
  if (!(right > left && bottom > top))
    return;
  /* Pixel (0, 0) of the mask at the clip's top left corner. */
  to_mask.x0 -= left;
  to_mask.y0 -= top;

  mask = ptl_line_mask_new (line, &to_mask, line_width / column_width,
                            (int) (right - left), (int) (bottom - top));
  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_scale (cr, 1 / pixels_per_device, 1 / pixels_per_device);
  cairo_mask_surface (cr, mask, left, top);
  cairo_restore (cr);
  cairo_surface_destroy (mask);
}

/* Where @point falls, as fractions of the plot area from its top left;
 * FALSE when it cannot be placed on the axes (NaN, ≤ 0 on a log axis). */
static gboolean
place_point (LineLayout     *layout,
             const PtlPoint *point,
             double         *fx,
             double         *fy)
{
  *fx = ptl_axis_normalize (&layout->x_axis, point->x);
  *fy = 1 - ptl_axis_normalize (&layout->y_axis, point->y);
  return isfinite (*fx) && isfinite (*fy);
}

static void
draw_markers (cairo_t            *cr,
              const PtlPlotStyle *style,
              LineLayout         *layout,
              const PtlPoint     *points,
              guint               n_points,
              const PtlRgba      *color,
              PtlLabelPlacer     *placer)
{
  double radius = style->line_width * 1.75;

  for (guint i = 0; i < n_points; i++)
    {
      double fx, fy, x, y;

      if (!place_point (layout, &points[i], &fx, &fy))
        continue;
      x = layout->area.left + fx * layout->area.width;
      y = layout->area.top + fy * layout->area.height;
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
      /* With its ring of background. */
      _ptl_label_placer_add_mark (placer, x - radius - 0.5, y - radius - 0.5, x + radius + 0.5, y + radius + 0.5);
    }
  /* A ring of background keeps crossing series' markers apart. */
  _ptl_plot_set_source (cr, color, 1);
  cairo_fill_preserve (cr);
  _ptl_plot_set_source (cr, &style->background, 1);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* A scatter chart of many points: a dot per pixel that holds any, so a
 * million points cost one pass and at most as many dots as the plot has
 * pixels (and an SVG stays small). */
static void
draw_dots (cairo_t            *cr,
           const PtlPlotStyle *style,
           LineLayout         *layout,
           const PtlPoint     *points,
           guint               n_points,
           const PtlRgba      *color,
           PtlLabelPlacer     *placer)
{
  const PtlPlotArea *area = &layout->area;
  guint columns = (guint) ceil (area->width) + 1;
  guint rows = (guint) ceil (area->height) + 1;
  g_autofree guint8 *taken = g_malloc0 ((gsize) columns * rows);
  double radius = style->line_width;

  for (guint i = 0; i < n_points; i++)
    {
      double fx, fy, x, y;
      gsize cell;

      if (!place_point (layout, &points[i], &fx, &fy) || fx < 0 || fx > 1 || fy < 0 || fy > 1)
        continue;
      x = fx * area->width;
      y = fy * area->height;
      cell = (gsize) y * columns + (gsize) x;
      if (taken[cell])
        continue;
      taken[cell] = 1;
      x += area->left;
      y += area->top;
      cairo_rectangle (cr, x - radius, y - radius, 2 * radius, 2 * radius);
      _ptl_label_placer_add_mark (placer, x - radius, y - radius, x + radius, y + radius);
    }
  _ptl_plot_set_source (cr, color, 1);
  cairo_fill (cr);
}

void
_ptl_line_plot_draw (PtlChart           *chart,
                     cairo_t            *cr,
                     const PtlPlotStyle *style,
                     double              width,
                     double              height,
                     PtlLabelPlacer     *placer)
{
  PangoContext *context = _ptl_plot_context_new (cr);
  double pad = _ptl_plot_padding (style);
  double column_width = _ptl_plot_column_width (cr);
  guint n_series = ptl_chart_get_n_series (chart);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gboolean scatter = ptl_chart_get_kind (chart) == PTL_CHART_SCATTER;
  LineLayout layout;

  line_layout_init (&layout, chart, context, style, width, height);

  /* Every line's marks are known before any reference label is placed. */
  for (guint i = 0; i < n_series && !scatter; i++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (chart, i), &n_points);
      GArray *line = ptl_decimate_line (points, n_points, &layout.x_axis, &layout.y_axis,
                                        &layout.area, column_width);

      add_line_marks (placer, line, style->line_width / 2);
      g_ptr_array_add (lines, line);
    }

  _ptl_plot_set_source (cr, &style->background, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  if (layout.title != NULL)
    _ptl_plot_show_layout (cr, layout.title, &style->foreground, pad, layout.title_y, 0, 0);
  _ptl_legend_draw (&layout.legend, cr, style, pad, layout.legend_y);

  _ptl_draw_y_axis (cr, style, &layout.y_axis, layout.y_ticks, &layout.area);
  if (layout.y_title != NULL)
    _ptl_draw_y_title (cr, style, layout.y_title, pad, &layout.area);
  _ptl_draw_x_axis (cr, style, &layout.x_axis, layout.x_ticks, &layout.area, layout.x_ticks_y);
  if (layout.x_title != NULL)
    _ptl_plot_show_layout (cr, layout.x_title, &style->muted,
                           layout.area.left + layout.area.width / 2, layout.x_title_y, 0.5, 0);

  cairo_save (cr);
  /* Lines along the edges of the range show whole, not cut in half. */
  cairo_rectangle (cr, layout.area.left - style->line_width, layout.area.top - style->line_width,
                   layout.area.width + 2 * style->line_width, layout.area.height + 2 * style->line_width);
  cairo_clip (cr);

  for (guint i = 0; i < n_series; i++)
    {
      PtlSeries *series = ptl_chart_get_series (chart, i);
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (series, &n_points);
      g_autoptr(GArray) band = NULL;

      if (!ptl_series_has_band (series))
        continue;
      band = ptl_decimate_band (points, n_points, &layout.x_axis, &layout.y_axis,
                                &layout.area, column_width);
      _ptl_plot_set_source (cr, _ptl_plot_series_color (style, i), 0.22);
      draw_band (cr, band, placer);
    }
  cairo_restore (cr);

  _ptl_draw_reference_lines (cr, style, chart, &layout.x_axis, &layout.y_axis, &layout.area, placer);

  cairo_save (cr);
  cairo_rectangle (cr, layout.area.left - style->line_width * 2, layout.area.top - style->line_width * 2,
                   layout.area.width + 4 * style->line_width, layout.area.height + 4 * style->line_width);
  cairo_clip (cr);
  cairo_set_line_width (cr, style->line_width);
  for (guint i = 0; i < n_series; i++)
    {
      PtlSeries *series = ptl_chart_get_series (chart, i);
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (series, &n_points);
      LineDrawing drawing;
      GArray *line;

      if (scatter)
        {
          if (layout.markers)
            draw_markers (cr, style, &layout, points, n_points, _ptl_plot_series_color (style, i), placer);
          else
            draw_dots (cr, style, &layout, points, n_points, _ptl_plot_series_color (style, i), placer);
          continue;
        }
      line = g_ptr_array_index (lines, i);
      _ptl_plot_set_source (cr, _ptl_plot_series_color (style, i), 1);
      drawing = line_drawing (cr, line, &layout.area, column_width);
      if (drawing == LINE_MASK)
        /* Undashed: on a line this dense dashes could not be told apart
         * anyway. */
        fill_line_mask (cr, line, style->line_width, column_width);
      else
        {
          /* A decimated line is a wall of short vertical strokes: round
           * joins and fine antialiasing cost four times as much there and
           * look the same, so they are kept for lines drawn point by point. */
          if (line->len * 2 < n_points)
            {
              cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
              cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
              cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
            }
          else
            {
              cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
              cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
              cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
            }
          _ptl_plot_set_series_dash (cr, style, i);
          stroke_line (cr, line, drawing == LINE_PIECES ? PIECE_SEGMENTS : 0);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      if (layout.markers)
        {
          draw_markers (cr, style, &layout, points, n_points, _ptl_plot_series_color (style, i), placer);
          cairo_set_line_width (cr, style->line_width);
        }
    }
  cairo_restore (cr);

  _ptl_draw_reference_labels (cr, context, style, chart, &layout.x_axis, &layout.y_axis, &layout.area,
                              FALSE, placer);

  if (!layout.has_data)
    _ptl_draw_no_data (cr, context, style, &layout.area);

  line_layout_clear (&layout);
  g_object_unref (context);
}

gboolean
_ptl_line_plot_hit_test (PtlChart           *chart,
                         const PtlPlotStyle *style,
                         double              width,
                         double              height,
                         double              px,
                         double              py,
                         PtlChartHit        *hit)
{
  PangoContext *context = _ptl_plot_context_new (NULL);
  /* Close enough: within about a finger's width of text. */
  double best = style->font_size * 1.2;
  gboolean found = FALSE;
  LineLayout layout;

  best *= best;
  line_layout_init (&layout, chart, context, style, width, height);

  for (guint i = 0; i < ptl_chart_get_n_series (chart); i++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (chart, i), &n_points);

      for (guint j = 0; j < n_points; j++)
        {
          double fx = ptl_axis_normalize (&layout.x_axis, points[j].x);
          double fy = ptl_axis_normalize (&layout.y_axis, points[j].y);
          double x, y, distance;

          if (!isfinite (fx) || !isfinite (fy))
            continue;
          x = layout.area.left + fx * layout.area.width;
          y = layout.area.top + (1 - fy) * layout.area.height;
          distance = (x - px) * (x - px) + (y - py) * (y - py);
          if (distance <= best)
            {
              best = distance;
              found = TRUE;
              if (hit != NULL)
                *hit = (PtlChartHit) { i, j, x, y };
            }
        }
    }

  line_layout_clear (&layout);
  g_object_unref (context);
  return found;
}
