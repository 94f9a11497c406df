/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-timeline-plot"

/* Timelines (Gantt charts): one lane per CPU or thread, a slice per run.
 * A scheduler simulation makes far more slices than a lane has pixels, so
 * slices narrower than a pixel column are merged: each such column gets
 * one box in the colour of the key that filled most of it, as a wider
 * slice would show. Slices a column wide or more are drawn exactly. */

#include "config.h"

#include <string.h>

#include "ptl-plot-private.h"

/* A column remembers this many keys beyond the direct ones; more in one
 * pixel is noise. */
#define COLUMN_KEYS 4
#define DIRECT_KEYS 8

typedef struct
{
  PangoContext *context;
  PangoLayout  *title;
  PtlLegend     legend;
  PangoLayout  *x_title;
  GPtrArray    *x_ticks;
  GPtrArray    *lanes;       /* PangoLayout per named lane */
  guint         lane_step;   /* lanes from one name to the next */
  GArray       *key_fills;   /* KeyFill per key */
  guint        *key_like;    /* per key, the key whose colour it takes */
  cairo_pattern_t *hatch;    /* for hatched keys */
  PtlAxis       x_axis;
  PtlPlotArea   area;
  double        title_y;
  double        legend_y;
  double        x_ticks_y;
  double        x_title_y;
  double        lanes_top;   /* below a strip for reference labels */
  double        lane_height;
  double        bar_height;
  guint         n_lanes;
  gboolean      has_data;
} TimelineLayout;

/* Narrow slices of one lane waiting for their pixel column to end, and
 * the box last drawn on the lane, held back so that neighbours of one
 * colour become one rectangle: a million slices end up as a few thousand
 * fills. */
typedef struct
{
  double column_start;
  double column_end;
  gboolean open;
  /* The first DIRECT_KEYS keys (every state of a thread-state chart)
   * add up by index, with no search; later ones share a few slots. */
  guint  direct_mask;
  double direct[DIRECT_KEYS];
  guint  n_keys;
  guint  keys[COLUMN_KEYS];
  double widths[COLUMN_KEYS];
  gboolean has_box;
  guint    box_key;
  double   box_x0;
  double   box_x1;
} Column;

/* How a key's slices are filled. */
typedef struct
{
  PtlRgba  color;
  gboolean hatched;
} KeyFill;

/* The fill of @key: the palette in order for keys that matter; muted
 * ones (I/O, idle, switching) in neutral fills that differ by more than
 * lightness, which two greys alone did not: a light grey, then stripes,
 * then a dark grey. A key added "like" another takes that one's fill and
 * no place of its own. */
static KeyFill
key_fill (PtlChart           *chart,
          const PtlPlotStyle *style,
          guint               key)
{
  static const double muted_alphas[] = { 0.25, 0, 0.65 };
  KeyFill fill = { { 0 }, FALSE };
  guint n_plain = 0, n_muted = 0;

  key = ptl_chart_get_key_like (chart, key);
  for (guint k = 0; k < key; k++)
    if (ptl_chart_get_key_like (chart, k) == k)
      {
        if (ptl_chart_get_key_muted (chart, k))
          n_muted++;
        else
          n_plain++;
      }
  if (ptl_chart_get_key_muted (chart, key))
    {
      guint which = n_muted % G_N_ELEMENTS (muted_alphas);

      fill.color = style->muted;
      fill.hatched = which == 1;
      fill.color.alpha *= fill.hatched ? 0.5 : muted_alphas[which];
    }
  else
    fill.color = *_ptl_plot_series_color (style, n_plain);
  return fill;
}

PtlRgba
ptl_chart_get_key_color (PtlChart           *chart,
                         const PtlPlotStyle *style,
                         guint               key)
{
  g_return_val_if_fail (chart != NULL && style != NULL, style->muted);
  g_return_val_if_fail (key < ptl_chart_get_n_keys (chart), style->muted);

  return key_fill (chart, style, key).color;
}

static GArray *
key_fills_new (PtlChart           *chart,
               const PtlPlotStyle *style)
{
  guint n_keys = ptl_chart_get_n_keys (chart);
  GArray *fills = g_array_sized_new (FALSE, FALSE, sizeof (KeyFill), n_keys);

  for (guint k = 0; k < n_keys; k++)
    {
      KeyFill fill = key_fill (chart, style, k);

      g_array_append_val (fills, fill);
    }
  return fills;
}

static gboolean
measure_time (PtlChart *chart,
              double   *min,
              double   *max)
{
  guint n_markers;
  const PtlMarker *markers = ptl_chart_get_markers (chart, &n_markers);

  /* The chart keeps its slices' extent: a million need no pass here. */
  if (!ptl_chart_get_slice_extent (chart, min, max))
    {
      *min = INFINITY;
      *max = -INFINITY;
    }
  for (guint i = 0; i < n_markers; i++)
    if (isfinite (markers[i].x))
      {
        *min = MIN (*min, markers[i].x);
        *max = MAX (*max, markers[i].x);
      }
  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);

      if (reference->kind == PTL_REFERENCE_VERTICAL && isfinite (reference->value))
        {
          *min = MIN (*min, reference->value);
          *max = MAX (*max, reference->value);
        }
    }
  _ptl_plot_extend_to_x_range (chart, min, max);
  return *min <= *max;
}

static void
timeline_layout_init (TimelineLayout     *layout,
                      PtlChart           *chart,
                      PangoContext       *context,
                      const PtlPlotStyle *style,
                      double              width,
                      double              height)
{
  double s = style->font_size;
  double pad = _ptl_plot_padding (style);
  double content_width = MAX (width - 2 * pad, 1);
  double max_lane_width = MAX (width * 0.3, s);
  g_autofree char *x_title = _ptl_axis_title (ptl_chart_get_x_label (chart), ptl_chart_get_x_unit (chart));
  g_autoptr(PangoLayout) sample = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, "0");
  double top, bottom, left, min, max, tick_height, text_height, lanes_width = 0, tick_width;
  guint max_labels;

  memset (layout, 0, sizeof *layout);
  layout->context = g_object_ref (context);
  layout->n_lanes = ptl_chart_get_n_lanes (chart);
  layout->has_data = measure_time (chart, &min, &max) && layout->n_lanes > 0;
  layout->key_fills = key_fills_new (chart, style);
  layout->key_like = g_new (guint, MAX (ptl_chart_get_n_keys (chart), 1));
  for (guint k = 0; k < ptl_chart_get_n_keys (chart); k++)
    layout->key_like[k] = ptl_chart_get_key_like (chart, k);
  layout->hatch = _ptl_hatch_pattern_new (style);
  _ptl_plot_layout_get_size (sample, NULL, &tick_height);

  top = pad;
  layout->title = _ptl_chart_title_new (chart, context, style, content_width);
  if (layout->title != NULL)
    {
      _ptl_plot_layout_get_size (layout->title, NULL, &text_height);
      layout->title_y = top;
      top += text_height + s * 0.4;
    }
  _ptl_legend_init (&layout->legend, PTL_SWATCH_BAR);
  for (guint k = 0; k < ptl_chart_get_n_keys (chart); k++)
    {
      const KeyFill *fill = &g_array_index (layout->key_fills, KeyFill, k);

      if (layout->key_like[k] != k)
        continue;
      _ptl_legend_add (&layout->legend, context, style, ptl_chart_get_key (chart, k),
                       &fill->color, FALSE, FALSE);
      if (fill->hatched)
        g_array_index (layout->legend.entries, PtlLegendEntry, layout->legend.entries->len - 1).pattern =
          cairo_pattern_reference (layout->hatch);
    }
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

  layout->area.top = top;
  layout->area.height = MAX (bottom - top, 1);
  /* Labelled vertical references ("predicted end") get a strip of their
   * own above the lanes, so their labels never sit on a slice. */
  layout->lanes_top = layout->area.top;
  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);

      if (reference->kind == PTL_REFERENCE_VERTICAL && reference->label != NULL && *reference->label != '\0')
        {
          layout->lanes_top = layout->area.top + MIN (tick_height + 6, layout->area.height / 3);
          break;
        }
    }
  layout->lane_height = (layout->area.top + layout->area.height - layout->lanes_top) / MAX (layout->n_lanes, 1);

  /* With more lanes than lines of text fit, name every second (third…)
   * lane rather than print names over each other; only the named lanes
   * get a layout, so a million lanes cost what the names drawn cost. The
   * MIN keeps the ratio in a guint. */
  layout->lane_step = (guint) MAX (1, MIN (ceil (tick_height * 1.1 / layout->lane_height), layout->n_lanes));
  layout->lanes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint l = 0; l < layout->n_lanes; l += layout->lane_step)
    {
      PangoLayout *label = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, ptl_chart_get_lane (chart, l));
      double label_width;

      pango_layout_set_width (label, (int) (max_lane_width * PANGO_SCALE));
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      _ptl_plot_layout_get_size (label, &label_width, NULL);
      lanes_width = MAX (lanes_width, label_width);
      g_ptr_array_add (layout->lanes, label);
    }

  left = pad + lanes_width + (lanes_width > 0 ? s * 0.5 : 0);
  layout->area.left = left;
  layout->area.width = MAX (width - pad - s * 1.2 - left, 1);
  /* Bars thick enough to see a colour, thin enough to read as lanes. */
  layout->bar_height = MIN (layout->lane_height * 0.7, s * 2);

  max_labels = _ptl_plot_max_labels (layout->area.width, s * 4);
  for (;;)
    {
      ptl_axis_init (&layout->x_axis, layout->has_data ? min : NAN, max, FALSE,
                     ptl_chart_get_x_unit (chart), PTL_AXIS_NONE, max_labels);
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
timeline_layout_clear (TimelineLayout *layout)
{
  g_clear_object (&layout->context);
  g_clear_object (&layout->title);
  _ptl_legend_clear (&layout->legend);
  g_clear_object (&layout->x_title);
  g_clear_pointer (&layout->x_ticks, g_ptr_array_unref);
  g_clear_pointer (&layout->lanes, g_ptr_array_unref);
  g_clear_pointer (&layout->key_fills, g_array_unref);
  g_clear_pointer (&layout->key_like, g_free);
  g_clear_pointer (&layout->hatch, cairo_pattern_destroy);
  ptl_axis_clear (&layout->x_axis);
}

/* Top of @lane's bar. */
static double
bar_top (const TimelineLayout *layout,
         guint                 lane)
{
  return layout->lanes_top + (lane + 0.5) * layout->lane_height - layout->bar_height / 2;
}

static void
fill_box (cairo_t              *cr,
          const TimelineLayout *layout,
          guint                 lane,
          guint                 key,
          double                x0,
          double                x1,
          PtlLabelPlacer       *placer)
{
  const KeyFill *fill;

  if (key >= layout->key_fills->len)
    return;
  fill = &g_array_index (layout->key_fills, KeyFill, key);
  if (fill->hatched)
    cairo_set_source (cr, layout->hatch);
  else
    _ptl_plot_set_source (cr, &fill->color, 1);
  cairo_rectangle (cr, x0, bar_top (layout, lane), x1 - x0, layout->bar_height);
  cairo_fill (cr);
  _ptl_label_placer_add_mark (placer, x0, bar_top (layout, lane), x1, bar_top (layout, lane) + layout->bar_height);
}

static void
flush_box (cairo_t              *cr,
           const TimelineLayout *layout,
           guint                 lane,
           Column               *column,
           PtlLabelPlacer       *placer)
{
  if (column->has_box)
    fill_box (cr, layout, lane, column->box_key, column->box_x0, column->box_x1, placer);
  column->has_box = FALSE;
}

/* Draws [x0, x1) in @key, extending the held-back box when it touches it
 * in the same colour. */
static void
add_box (cairo_t              *cr,
         const TimelineLayout *layout,
         guint                 lane,
         Column               *column,
         guint                 key,
         double                x0,
         double                x1,
         PtlLabelPlacer       *placer)
{
  if (column->has_box && column->box_key == key && x0 <= column->box_x1 + 1e-9 && x0 >= column->box_x0)
    {
      column->box_x1 = MAX (column->box_x1, x1);
      return;
    }
  flush_box (cr, layout, lane, column, placer);
  column->has_box = TRUE;
  column->box_key = key;
  column->box_x0 = x0;
  column->box_x1 = x1;
}

static void
flush_column (cairo_t              *cr,
              const TimelineLayout *layout,
              guint                 lane,
              Column               *column,
              PtlLabelPlacer       *placer)
{
  guint best_key = G_MAXUINT;
  double best = -1;

  if (!column->open)
    return;
  for (guint mask = column->direct_mask; mask != 0; mask &= mask - 1)
    {
      guint key = __builtin_ctz (mask);

      if (column->direct[key] > best)
        {
          best = column->direct[key];
          best_key = key;
        }
      column->direct[key] = 0;
    }
  for (guint i = 0; i < column->n_keys; i++)
    if (column->widths[i] > best)
      {
        best = column->widths[i];
        best_key = column->keys[i];
      }
  add_box (cr, layout, lane, column, best_key, column->column_start, column->column_end, placer);
  column->direct_mask = 0;
  column->n_keys = 0;
  column->open = FALSE;
}

/* Adds a slice narrower than a column to its lane's column, starting a
 * new column when it lies in another. */
static inline void
add_to_column (cairo_t              *cr,
               const TimelineLayout *layout,
               guint                 lane,
               Column               *column,
               guint                 key,
               double                x0,
               double                x1,
               double                column_width,
               PtlLabelPlacer       *placer)
{
  guint slot;

  if (G_UNLIKELY (!column->open || x0 < column->column_start || x0 >= column->column_end))
    {
      flush_column (cr, layout, lane, column, placer);
      column->column_start = floor (x0 / column_width) * column_width;
      column->column_end = column->column_start + column_width;
      column->open = TRUE;
    }

  /* A thread's states alternate at random: adding by index keeps a
   * mispredicted search out of the loop that sees every slice. */
  if (G_LIKELY (key < DIRECT_KEYS))
    {
      column->direct[key] += x1 - x0;
      column->direct_mask |= 1u << key;
      return;
    }

  for (slot = 0; slot < column->n_keys; slot++)
    if (column->keys[slot] == key)
      break;
  if (slot == column->n_keys)
    {
      if (column->n_keys < COLUMN_KEYS)
        column->n_keys++;
      else
        {
          /* Full: the key with the least time so far makes room. */
          slot = 0;
          for (guint i = 1; i < COLUMN_KEYS; i++)
            if (column->widths[i] < column->widths[slot])
              slot = i;
        }
      column->keys[slot] = key;
      column->widths[slot] = 0;
    }
  column->widths[slot] += x1 - x0;
}

static void
draw_slices (cairo_t              *cr,
             const TimelineLayout *layout,
             PtlChart             *chart,
             double                column_width,
             PtlLabelPlacer       *placer)
{
  guint n_slices;
  const PtlSlice *slices = ptl_chart_get_slices (chart, &n_slices);
  g_autofree Column *columns = g_new0 (Column, layout->n_lanes);
  double left = layout->area.left;
  double right = layout->area.left + layout->area.width;
  guint n_keys = ptl_chart_get_n_keys (chart);
  gboolean linear = !layout->x_axis.log_scale;
  /* On a linear axis x = offset + t * scale: no call per slice. Halves,
   * so that a range of -1e308 to 1e308 does not overflow. */
  double scale = layout->area.width * 0.5 / (layout->x_axis.max * 0.5 - layout->x_axis.min * 0.5);
  double offset = left - layout->x_axis.min * scale;

  for (guint i = 0; i < n_slices; i++)
    {
      const PtlSlice *slice = &slices[i];
      double t0 = slice->start;
      double t1 = slice->end;
      double x0, x1;
      guint key;

      if (G_UNLIKELY (t1 < t0))
        {
          t0 = slice->end;
          t1 = slice->start;
        }

      if (slice->lane >= layout->n_lanes || slice->key >= n_keys)
        continue;
      /* Columns and boxes go by colour: a thread waiting for lock A then
       * lock B is one colour, one box. */
      key = layout->key_like[slice->key];
      if (linear)
        {
          x0 = offset + t0 * scale;
          x1 = offset + t1 * scale;
          /* Inside the area and narrower than a column: no checks left. */
          if (x0 >= left && x1 <= right && x1 - x0 < column_width)
            {
              add_to_column (cr, layout, slice->lane, &columns[slice->lane], key, x0, x1, column_width, placer);
              continue;
            }
        }
      else
        {
          x0 = left + ptl_axis_normalize (&layout->x_axis, t0) * layout->area.width;
          x1 = left + ptl_axis_normalize (&layout->x_axis, t1) * layout->area.width;
        }
      if (!isfinite (x0) || !isfinite (x1))
        continue;
      x0 = CLAMP (x0, left, right);
      x1 = CLAMP (x1, left, right);

      if (x1 - x0 >= column_width)
        {
          flush_column (cr, layout, slice->lane, &columns[slice->lane], placer);
          add_box (cr, layout, slice->lane, &columns[slice->lane], key, x0, x1, placer);
        }
      else
        add_to_column (cr, layout, slice->lane, &columns[slice->lane], key, x0, x1, column_width, placer);
    }

  for (guint l = 0; l < layout->n_lanes; l++)
    {
      flush_column (cr, layout, l, &columns[l], placer);
      flush_box (cr, layout, l, &columns[l], placer);
    }
}

static void
draw_markers (cairo_t              *cr,
              const PtlPlotStyle   *style,
              const TimelineLayout *layout,
              PtlChart             *chart,
              PtlLabelPlacer       *placer)
{
  guint n_markers;
  const PtlMarker *markers = ptl_chart_get_markers (chart, &n_markers);
  double size = style->font_size * 0.4;

  /* Small triangles pointing down at the top of the lane's bar. */
  for (guint i = 0; i < n_markers; i++)
    {
      double f = ptl_axis_normalize (&layout->x_axis, markers[i].x);
      double x, y;

      if (markers[i].lane >= layout->n_lanes || !(f >= 0 && f <= 1))
        continue;
      x = layout->area.left + f * layout->area.width;
      y = bar_top (layout, markers[i].lane);
      cairo_move_to (cr, x - size, y - size * 1.4);
      cairo_line_to (cr, x + size, y - size * 1.4);
      cairo_line_to (cr, x, y);
      cairo_close_path (cr);
      _ptl_label_placer_add_mark (placer, x - size, y - size * 1.4, x + size, y);
    }
  _ptl_plot_set_source (cr, &style->foreground, 1);
  cairo_fill (cr);
}

void
_ptl_timeline_plot_draw (PtlChart           *chart,
                         cairo_t            *cr,
                         const PtlPlotStyle *style,
                         double              width,
                         double              height,
                         PtlLabelPlacer     *placer)
{
  PangoContext *context = _ptl_plot_context_new (cr);
  double pad = _ptl_plot_padding (style);
  TimelineLayout layout;

  timeline_layout_init (&layout, chart, context, style, width, height);

  _ptl_plot_set_source (cr, &style->background, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  if (layout.title != NULL)
    _ptl_plot_show_layout (cr, layout.title, &style->foreground, pad, layout.title_y, 0, 0);
  _ptl_legend_draw (&layout.legend, cr, style, pad, layout.legend_y);

  _ptl_draw_x_axis (cr, style, &layout.x_axis, layout.x_ticks, &layout.area, layout.x_ticks_y);
  if (layout.x_title != NULL)
    _ptl_plot_show_layout (cr, layout.x_title, &style->muted,
                           layout.area.left + layout.area.width / 2, layout.x_title_y, 0.5, 0);

  for (guint k = 0; k < layout.lanes->len; k++)
    {
      double center = layout.lanes_top + (k * layout.lane_step + 0.5) * layout.lane_height;

      _ptl_plot_show_layout (cr, g_ptr_array_index (layout.lanes, k), &style->foreground,
                             layout.area.left - style->font_size * 0.5, center, 1, 0.5);
    }

  cairo_save (cr);
  cairo_rectangle (cr, layout.area.left, layout.area.top, layout.area.width, layout.area.height);
  cairo_clip (cr);
  if (layout.has_data)
    {
      draw_slices (cr, &layout, chart, _ptl_plot_column_width (cr), placer);
      draw_markers (cr, style, &layout, chart, placer);
    }
  cairo_restore (cr);

  _ptl_draw_reference_lines (cr, style, chart, &layout.x_axis, NULL, &layout.area, placer);
  _ptl_draw_reference_labels (cr, context, style, chart, &layout.x_axis, NULL, &layout.area, FALSE, placer);

  cairo_save (cr);
  _ptl_plot_set_source (cr, &style->muted, 1);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, layout.area.left, layout.area.top);
  cairo_line_to (cr, layout.area.left, layout.area.top + layout.area.height);
  cairo_line_to (cr, layout.area.left + layout.area.width, layout.area.top + layout.area.height);
  cairo_stroke (cr);
  cairo_restore (cr);

  if (!layout.has_data)
    _ptl_draw_no_data (cr, context, style, &layout.area);

  timeline_layout_clear (&layout);
  g_object_unref (context);
}

gboolean
_ptl_timeline_plot_hit_test (PtlChart           *chart,
                             const PtlPlotStyle *style,
                             double              width,
                             double              height,
                             double              px,
                             double              py,
                             PtlChartHit        *hit)
{
  PangoContext *context = _ptl_plot_context_new (NULL);
  guint n_slices;
  const PtlSlice *slices = ptl_chart_get_slices (chart, &n_slices);
  /* A slice too thin to aim at is found within a few units. */
  double best = 3;
  gboolean found = FALSE;
  TimelineLayout layout;
  double lane_y, top;
  guint lane;

  timeline_layout_init (&layout, chart, context, style, width, height);

  lane_y = (py - layout.lanes_top) / layout.lane_height;
  if (!layout.has_data || px < layout.area.left || px > layout.area.left + layout.area.width ||
      lane_y < 0 || lane_y >= layout.n_lanes)
    goto out;
  lane = (guint) lane_y;
  top = bar_top (&layout, lane);
  if (py < top || py > top + layout.bar_height)
    goto out;

  for (guint i = 0; i < n_slices; i++)
    {
      double f0, f1, x0, x1, distance;

      if (slices[i].lane != lane)
        continue;
      f0 = ptl_axis_normalize (&layout.x_axis, MIN (slices[i].start, slices[i].end));
      f1 = ptl_axis_normalize (&layout.x_axis, MAX (slices[i].start, slices[i].end));
      if (!isfinite (f0) || !isfinite (f1))
        continue;
      x0 = layout.area.left + f0 * layout.area.width;
      x1 = layout.area.left + f1 * layout.area.width;
      distance = px < x0 ? x0 - px : px > x1 ? px - x1 : 0;
      if (distance <= best)
        {
          best = distance;
          found = TRUE;
          if (hit != NULL)
            *hit = (PtlChartHit) {
              lane,
              i,
              CLAMP ((x0 + x1) / 2, layout.area.left, layout.area.left + layout.area.width),
              top + layout.bar_height / 2,
            };
          if (distance == 0)
            break;
        }
    }

out:
  timeline_layout_clear (&layout);
  g_object_unref (context);
  return found;
}
