/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-bar-plot"

#include "config.h"

#include <string.h>

#include "ptl-plot-private.h"

/* Bars of a group share this much of the category's width; the rest
 * separates groups. */
#define GROUP_FILL 0.8

/* Wrapped category labels give up (and turn) past this many lines. */
#define MAX_LABEL_LINES 3

/* sin (45°) = cos (45°), for labels turned to 45°. */
#define DIAGONAL (G_SQRT2 / 2)

typedef struct
{
  PangoContext *context;
  PangoLayout  *title;
  PtlLegend     legend;
  PangoLayout  *x_title;
  PangoLayout  *y_title;
  GPtrArray    *y_ticks;
  GPtrArray    *labels;         /* PangoLayout per category */
  PtlAxis       y_axis;
  PtlPlotArea   area;
  guint         n_categories;
  GArray       *index;          /* per series × category: point index or -1 */
  double        title_y;
  double        legend_y;
  double        labels_y;
  double        labels_height;
  double        x_title_y;
  gboolean      rotated;        /* labels turned to 45° */
  gboolean      has_data;
} BarLayout;

static inline gboolean
plottable (double   value,
           gboolean log_scale)
{
  return isfinite (value) && (!log_scale || value > 0);
}

/* Which point draws each bar: the first whose x is that category's index.
 * Fills @layout->index and the number of categories. */
static void
index_points (BarLayout *layout,
              PtlChart  *chart)
{
  guint n_series = ptl_chart_get_n_series (chart);
  guint n_categories = ptl_chart_get_n_categories (chart);

  for (guint i = 0; i < n_series; i++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (chart, i), &n_points);

      for (guint j = 0; j < n_points; j++)
        if (points[j].x >= 0 && points[j].x < G_MAXUINT16 && points[j].x == floor (points[j].x))
          n_categories = MAX (n_categories, (guint) points[j].x + 1);
    }

  layout->n_categories = n_categories;
  layout->index = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_set_size (layout->index, n_series * n_categories);
  /* A loop, not memset: an empty chart's array has no data pointer, and
   * memset (NULL, …, 0) is undefined. */
  for (guint k = 0; k < layout->index->len; k++)
    g_array_index (layout->index, int, k) = -1;

  for (guint i = 0; i < n_series; i++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (chart, i), &n_points);

      for (guint j = 0; j < n_points; j++)
        {
          int *slot;

          if (!(points[j].x >= 0 && points[j].x < n_categories && points[j].x == floor (points[j].x)))
            continue;
          slot = &g_array_index (layout->index, int, i * n_categories + (guint) points[j].x);
          if (*slot < 0)
            *slot = (int) j;
        }
    }
}

static const PtlPoint *
bar_point (BarLayout *layout,
           PtlChart  *chart,
           guint      series,
           guint      category)
{
  int index = g_array_index (layout->index, int, series * layout->n_categories + category);
  const PtlPoint *points;

  if (index < 0)
    return NULL;
  points = ptl_series_get_points (ptl_chart_get_series (chart, series), NULL);
  return &points[index];
}

/* Error bars may stretch the scale past the tallest bar (or reference)
 * by this factor at most; a longer one is cut at the plot's edge with an
 * arrowhead. One odd repeat must not flatten every bar (a 0 B bar with a
 * 16 MiB error bar once set a whole memory chart's scale). */
#define MAX_BAND_STRETCH 1.5
#define MAX_LOG_BAND_STRETCH 10.0

static void
measure_values (BarLayout *layout,
                PtlChart  *chart,
                double    *min,
                double    *max)
{
  gboolean log_scale = ptl_chart_get_y_log (chart);
  double bars_min = INFINITY, bars_max = -INFINITY;
  double bands_min = INFINITY, bands_max = -INFINITY;

  layout->has_data = FALSE;

  for (guint i = 0; i < ptl_chart_get_n_series (chart); i++)
    for (guint c = 0; c < layout->n_categories; c++)
      {
        const PtlPoint *point = bar_point (layout, chart, i, c);

        if (point == NULL || !plottable (point->y, log_scale))
          continue;
        layout->has_data = TRUE;
        bars_min = MIN (bars_min, point->y);
        bars_max = MAX (bars_max, point->y);
        if (plottable (point->lo, log_scale) && plottable (point->hi, log_scale))
          {
            bands_min = MIN (bands_min, MIN (point->lo, point->hi));
            bands_max = MAX (bands_max, MAX (point->lo, point->hi));
          }
      }

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);

      if (reference->kind == PTL_REFERENCE_HORIZONTAL && plottable (reference->value, log_scale))
        {
          bars_min = MIN (bars_min, reference->value);
          bars_max = MAX (bars_max, reference->value);
        }
    }

  *min = bars_min;
  *max = bars_max;
  if (isfinite (bands_max))
    {
      /* Stretched from the bars' own extent, which for bars growing from
       * zero starts at zero. */
      double base = log_scale ? 0 : MIN (bars_min, 0);

      if (log_scale)
        {
          *max = MAX (*max, MIN (bands_max, bars_max * MAX_LOG_BAND_STRETCH));
          *min = MIN (*min, MAX (bands_min, bars_min / MAX_LOG_BAND_STRETCH));
        }
      else if (bars_max > base)
        {
          *max = MAX (*max, MIN (bands_max, base + (bars_max - base) * MAX_BAND_STRETCH));
          *min = MIN (*min, bands_min >= base ? bands_min : MAX (bands_min, bars_min - (bars_max - base) * MAX_BAND_STRETCH));
        }
      else
        {
          /* All bars at zero: only the error bars give a scale. */
          *max = MAX (*max, bands_max);
          *min = MIN (*min, bands_min);
        }
    }

  /* Head room for the value labels above the tallest bar. */
  if (isfinite (*max) && !log_scale)
    *max += (*max - MIN (*min, 0)) * 0.08;
  else if (isfinite (*max))
    *max *= 1.6;
}

/* Whether every line of wrapped @label after the first starts after a
 * space or a punctuation mark: Pango also breaks Hangul between
 * syllables, which reads as a word cut in two ("이벤트 루" over "프"). */
static gboolean
breaks_between_words (PangoLayout *label)
{
  const char *text = pango_layout_get_text (label);

  for (GSList *l = pango_layout_get_lines_readonly (label); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      gunichar before;

      if (line->start_index == 0)
        continue;
      before = g_utf8_get_char (g_utf8_prev_char (text + line->start_index));
      if (!g_unichar_isspace (before) && !g_unichar_ispunct (before))
        return FALSE;
    }
  return TRUE;
}

/* Category labels for groups @group_width wide: on one line if they fit,
 * wrapped on words if that fits, else turned to 45° and shortened to
 * @max_length. Sets labels_height and rotated; returns how far the first
 * label reaches left of its group's centre. */
static double
fit_labels (BarLayout          *layout,
            PtlChart           *chart,
            const PtlPlotStyle *style,
            double              group_width,
            double              max_length)
{
  const char * const *categories = ptl_chart_get_categories (chart);
  double room = MAX (group_width - style->font_size * 0.3, 1);
  gboolean fits = TRUE;
  double reach = 0;

  g_clear_pointer (&layout->labels, g_ptr_array_unref);
  layout->labels = g_ptr_array_new_with_free_func (g_object_unref);
  layout->labels_height = 0;
  layout->rotated = FALSE;

  for (guint c = 0; c < layout->n_categories; c++)
    {
      g_autofree char *fallback = NULL;
      const char *text = NULL;
      PangoLayout *label;
      double width, height;

      if (categories != NULL && c < ptl_chart_get_n_categories (chart))
        text = categories[c];
      else
        text = fallback = g_strdup_printf ("%u", c + 1);

      label = _ptl_plot_layout_new (layout->context, style, PTL_TEXT_SMALL, text);
      pango_layout_set_alignment (label, PANGO_ALIGN_CENTER);
      _ptl_plot_layout_get_size (label, &width, &height);
      if (width > room)
        {
          pango_layout_set_width (label, (int) (room * PANGO_SCALE));
          pango_layout_set_wrap (label, PANGO_WRAP_WORD);
          _ptl_plot_layout_get_size (label, &width, &height);
          if (pango_layout_get_line_count (label) > MAX_LABEL_LINES || width > room + 0.5 ||
              !breaks_between_words (label))
            fits = FALSE;
        }
      layout->labels_height = MAX (layout->labels_height, height);
      g_ptr_array_add (layout->labels, label);
    }

  if (fits)
    return 0;

  layout->rotated = TRUE;
  layout->labels_height = 0;
  for (guint c = 0; c < layout->labels->len; c++)
    {
      PangoLayout *label = g_ptr_array_index (layout->labels, c);
      double width, height;

      pango_layout_set_width (label, -1);
      _ptl_plot_layout_get_size (label, &width, NULL);
      if (width > max_length)
        {
          pango_layout_set_width (label, (int) (max_length * PANGO_SCALE));
          pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
        }
      _ptl_plot_layout_get_size (label, &width, &height);
      /* The turned box: its right end hangs at the group's centre. */
      layout->labels_height = MAX (layout->labels_height, (width + height) * DIAGONAL);
      if (c == 0)
        reach = (width + height / 2) * DIAGONAL;
    }
  return reach;
}

static void
bar_layout_init (BarLayout          *layout,
                 PtlChart           *chart,
                 PangoContext       *context,
                 const PtlPlotStyle *style,
                 double              width,
                 double              height)
{
  double s = style->font_size;
  double pad = _ptl_plot_padding (style);
  double content_width = MAX (width - 2 * pad, 1);
  g_autofree char *x_title = _ptl_axis_title (ptl_chart_get_x_label (chart), NULL);
  g_autofree char *y_title = _ptl_axis_title (ptl_chart_get_y_label (chart), ptl_chart_get_y_unit (chart));
  g_autoptr(PangoLayout) sample = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, "0");
  gboolean y_log = ptl_chart_get_y_log (chart);
  double top, bottom, left_edge, right, tick_height, text_height, min, max;
  double reach = 0;

  memset (layout, 0, sizeof *layout);
  layout->context = g_object_ref (context);
  index_points (layout, chart);
  measure_values (layout, chart, &min, &max);
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
  _ptl_legend_add_series (&layout->legend, chart, context, style, FALSE);
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

  left_edge = pad;
  if (y_title != NULL)
    {
      layout->y_title = _ptl_plot_layout_new (context, style, PTL_TEXT_BODY, y_title);
      _ptl_plot_layout_get_size (layout->y_title, NULL, &text_height);
      left_edge += text_height + s * 0.4;
    }

  /* Reference labels sit right of the bars, not over their values. */
  right = width - pad - MIN (_ptl_reference_labels_width (chart, context, style), width / 4);

  /* The label height sets the plot's height, which sets the y ticks and so
   * the left margin, which sets the group width the labels must fit: go
   * round until nothing moves (twice or three times in practice). */
  layout->labels_height = tick_height;
  for (guint round = 0; round < 4; round++)
    {
      double previous_height = layout->labels_height;
      double previous_left = layout->area.left;
      double tick_width, left, group_width;

      layout->area.top = top;
      layout->area.height = MAX (bottom - s * 0.35 - layout->labels_height - top, 1);

      g_clear_pointer (&layout->y_ticks, g_ptr_array_unref);
      if (layout->y_axis.ticks != NULL)
        ptl_axis_clear (&layout->y_axis);
      ptl_axis_init (&layout->y_axis, layout->has_data ? min : NAN, max, y_log,
                     ptl_chart_get_y_unit (chart),
                     PTL_AXIS_EXTEND | (y_log ? PTL_AXIS_NONE : PTL_AXIS_INCLUDE_ZERO),
                     _ptl_plot_max_labels (layout->area.height, tick_height * 2.2));
      layout->y_ticks = _ptl_tick_layouts_new (&layout->y_axis, context, style, &tick_width);

      left = left_edge + tick_width + s * 0.45;
      group_width = (right - left) / MAX (layout->n_categories, 1);
      /* A first label turned to 45° must not run off the left edge. */
      left = MAX (left, pad + reach - group_width / 2);
      layout->area.left = left;
      layout->area.width = MAX (right - left, 1);
      group_width = layout->area.width / MAX (layout->n_categories, 1);

      reach = fit_labels (layout, chart, style, group_width, MAX (MIN (s * 12, height * 0.3), s));
      if (layout->labels_height == previous_height && layout->area.left == previous_left)
        break;
    }
  layout->labels_y = layout->area.top + layout->area.height + s * 0.35;
}

static void
bar_layout_clear (BarLayout *layout)
{
  g_clear_object (&layout->context);
  g_clear_object (&layout->title);
  _ptl_legend_clear (&layout->legend);
  g_clear_object (&layout->x_title);
  g_clear_object (&layout->y_title);
  g_clear_pointer (&layout->y_ticks, g_ptr_array_unref);
  g_clear_pointer (&layout->labels, g_ptr_array_unref);
  g_clear_pointer (&layout->index, g_array_unref);
  ptl_axis_clear (&layout->y_axis);
}

typedef struct
{
  double left;
  double width;
  double value;  /* y of the bar's end */
  double base;   /* y where it grows from */
} BarGeometry;

static gboolean
bar_geometry (BarLayout      *layout,
              guint           n_series,
              guint           series,
              guint           category,
              const PtlPoint *point,
              BarGeometry    *bar)
{
  const PtlPlotArea *area = &layout->area;
  double group_width = area->width / MAX (layout->n_categories, 1);
  double bar_width = group_width * GROUP_FILL / MAX (n_series, 1);
  double f = ptl_axis_normalize (&layout->y_axis, point->y);
  double base = layout->y_axis.log_scale ? 0 : ptl_axis_normalize (&layout->y_axis, 0);

  if (!isfinite (f))
    return FALSE;
  bar->left = area->left + category * group_width + group_width * (1 - GROUP_FILL) / 2 + series * bar_width;
  bar->width = bar_width;
  bar->value = area->top + (1 - CLAMP (f, 0, 1)) * area->height;
  bar->base = area->top + (1 - CLAMP (base, 0, 1)) * area->height;
  return TRUE;
}

static void
draw_categories (cairo_t            *cr,
                 const PtlPlotStyle *style,
                 BarLayout          *layout)
{
  double group_width = layout->area.width / MAX (layout->n_categories, 1);

  for (guint c = 0; c < layout->labels->len; c++)
    {
      PangoLayout *label = g_ptr_array_index (layout->labels, c);
      double x = layout->area.left + (c + 0.5) * group_width;
      double height;

      if (!layout->rotated)
        {
          _ptl_plot_show_layout (cr, label, &style->foreground, x, layout->labels_y, 0.5, 0);
          continue;
        }

      _ptl_plot_layout_get_size (label, NULL, &height);
      cairo_save (cr);
      cairo_translate (cr, x, layout->labels_y + height / 2 * DIAGONAL);
      cairo_rotate (cr, -G_PI / 4);
      pango_cairo_update_layout (cr, label);
      _ptl_plot_show_layout (cr, label, &style->foreground, 0, 0, 1, 0.5);
      cairo_restore (cr);
      pango_cairo_update_layout (cr, label);
    }
}

/* The value over a bar: three significant digits, with the axis' unit. */
static char *
format_bar_value (double      value,
                  const char *unit)
{
  double resolution = value != 0 ? pow (10, floor (log10 (fabs (value))) - 2) : 1;

  return ptl_axis_format_tick (value, resolution, unit);
}

/* Where @point's error bar ends, in chart coordinates, and whether it
 * runs on past the plot's top (cut); FALSE without one. */
static gboolean
error_bar_extent (BarLayout      *layout,
                  const PtlPoint *point,
                  double         *y_lo,
                  double         *y_hi,
                  gboolean       *cut)
{
  double lo = ptl_axis_normalize (&layout->y_axis, point->lo);
  double hi = ptl_axis_normalize (&layout->y_axis, point->hi);

  if (!isfinite (lo) || !isfinite (hi))
    return FALSE;
  *y_lo = layout->area.top + (1 - CLAMP (lo, 0, 1)) * layout->area.height;
  *y_hi = layout->area.top + (1 - CLAMP (hi, 0, 1)) * layout->area.height;
  if (cut != NULL)
    *cut = hi > 1;
  return TRUE;
}

static void
draw_bars (cairo_t            *cr,
           const PtlPlotStyle *style,
           BarLayout          *layout,
           PtlChart           *chart,
           PtlLabelPlacer     *placer)
{
  guint n_series = ptl_chart_get_n_series (chart);

  for (guint i = 0; i < n_series; i++)
    for (guint c = 0; c < layout->n_categories; c++)
      {
        const PtlPoint *point = bar_point (layout, chart, i, c);
        double gap, top, bottom, y_lo, y_hi;
        gboolean cut;
        BarGeometry bar;

        if (point == NULL || !bar_geometry (layout, n_series, i, c, point, &bar))
          continue;

        /* A hairline between neighbouring bars of a group. */
        gap = MIN (bar.width * 0.08, 2);
        top = MIN (bar.value, bar.base);
        bottom = MAX (bar.value, bar.base);
        _ptl_plot_set_source (cr, _ptl_plot_series_color (style, i), 1);
        cairo_rectangle (cr, bar.left + gap / 2, top, bar.width - gap, bottom - top);
        cairo_fill (cr);
        _ptl_label_placer_add_mark (placer, bar.left + gap / 2, top, bar.left + bar.width - gap / 2, bottom);

        if (error_bar_extent (layout, point, &y_lo, &y_hi, &cut))
          {
            double x = bar.left + bar.width / 2;
            double cap = bar.width * 0.18;
            double half = MAX (1, style->line_width * 0.6) / 2;

            _ptl_label_placer_add_mark (placer, x - cap - half, y_lo + half, x + cap + half, y_hi - half);
            _ptl_plot_set_source (cr, &style->foreground, 0.85);
            cairo_set_line_width (cr, half * 2);
            cairo_move_to (cr, x, y_lo);
            cairo_line_to (cr, x, y_hi);
            cairo_move_to (cr, x - cap, y_lo);
            cairo_line_to (cr, x + cap, y_lo);
            /* Cut at the plot's edge: an arrowhead says it goes on. */
            cairo_move_to (cr, x - cap, y_hi + (cut ? cap : 0));
            cairo_line_to (cr, x, y_hi);
            cairo_line_to (cr, x + cap, y_hi + (cut ? cap : 0));
            cairo_stroke (cr);
          }
      }
}

/* How far a value label may be pushed off its bar's end (in label
 * heights) to clear a reference line or a neighbour's error bar, before
 * it would read as another bar's. */
#define MAX_VALUE_NUDGE 2.0

/* The value over each bar (under it when negative), past its error bar,
 * nudged off reference lines and neighbours' error bars; a value with no
 * free place is left out (the bar's tooltip still has it). If any value
 * is wider than its bar, none is shown: a chart where only some bars
 * carry their value reads as if the others had none. */
static void
draw_value_labels (cairo_t            *cr,
                   const PtlPlotStyle *style,
                   BarLayout          *layout,
                   PtlChart           *chart,
                   PtlLabelPlacer     *placer)
{
  guint n_series = ptl_chart_get_n_series (chart);
  double group_width = layout->area.width / MAX (layout->n_categories, 1);
  const char *unit = ptl_chart_get_y_unit (chart);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_object_unref);
  PtlBox bounds = { layout->area.left, layout->area.top, layout->area.width, layout->area.height };
  guint next = 0;

  for (guint i = 0; i < n_series; i++)
    for (guint c = 0; c < layout->n_categories; c++)
      {
        const PtlPoint *point = bar_point (layout, chart, i, c);
        g_autofree char *text = NULL;
        PangoLayout *label;
        double width;
        BarGeometry bar;

        if (point == NULL || !bar_geometry (layout, n_series, i, c, point, &bar))
          continue;
        text = format_bar_value (point->y, unit);
        label = _ptl_plot_layout_new (layout->context, style, PTL_TEXT_SMALL, text);
        g_ptr_array_add (labels, label);
        _ptl_plot_layout_get_size (label, &width, NULL);
        if (width > (n_series == 1 ? group_width : bar.width) - 2)
          return;
      }

  for (guint i = 0; i < n_series; i++)
    for (guint c = 0; c < layout->n_categories; c++)
      {
        const PtlPoint *point = bar_point (layout, chart, i, c);
        PtlLabelAnchor anchors[16];
        guint n_anchors = 0;
        double y, y_lo, y_hi, width, height, x;
        PangoLayout *label;
        gboolean above;
        BarGeometry bar;
        PtlBox box;

        if (point == NULL || !bar_geometry (layout, n_series, i, c, point, &bar))
          continue;
        label = g_ptr_array_index (labels, next++);
        above = bar.value <= bar.base;
        y = bar.value;
        if (error_bar_extent (layout, point, &y_lo, &y_hi, NULL))
          y = above ? MIN (y_lo, y_hi) : MAX (y_lo, y_hi);

        _ptl_plot_layout_get_size (label, &width, &height);
        x = bar.left + bar.width / 2;
        /* Past the error bar's end, then a little further in small steps;
         * then beside the error bar at the bar's own end (an error bar cut
         * at the plot's top leaves no room above). */
        for (double nudge = 0; nudge <= MAX_VALUE_NUDGE * height && n_anchors + 2 < G_N_ELEMENTS (anchors);
             nudge += height / 4)
          anchors[n_anchors++] = above ? (PtlLabelAnchor) { x, y - 2 - nudge, 0.5, 1 }
                                       : (PtlLabelAnchor) { x, y + 2 + nudge, 0.5, 0 };
        anchors[n_anchors++] = (PtlLabelAnchor) { x + bar.width * 0.18 + 3, bar.value + (above ? -2 : 2), 0, above ? 1 : 0 };
        anchors[n_anchors++] = (PtlLabelAnchor) { x - bar.width * 0.18 - 3, bar.value + (above ? -2 : 2), 1, above ? 1 : 0 };
        if (_ptl_label_placer_place (placer, &bounds, width, height, anchors, n_anchors, &box))
          _ptl_plot_show_layout (cr, label, &style->foreground, box.x, box.y, 0, 0);
      }
}

void
_ptl_bar_plot_draw (PtlChart           *chart,
                    cairo_t            *cr,
                    const PtlPlotStyle *style,
                    double              width,
                    double              height,
                    PtlLabelPlacer     *placer)
{
  PangoContext *context = _ptl_plot_context_new (cr);
  double pad = _ptl_plot_padding (style);
  BarLayout layout;

  bar_layout_init (&layout, chart, context, style, width, height);

  _ptl_plot_set_source (cr, &style->background, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  if (layout.title != NULL)
    _ptl_plot_show_layout (cr, layout.title, &style->foreground, pad, layout.title_y, 0, 0);
  _ptl_legend_draw (&layout.legend, cr, style, pad, layout.legend_y);

  _ptl_draw_y_axis (cr, style, &layout.y_axis, layout.y_ticks, &layout.area);
  if (layout.y_title != NULL)
    _ptl_draw_y_title (cr, style, layout.y_title, pad, &layout.area);
  draw_categories (cr, style, &layout);
  if (layout.x_title != NULL)
    _ptl_plot_show_layout (cr, layout.x_title, &style->muted,
                           layout.area.left + layout.area.width / 2, layout.x_title_y, 0.5, 0);

  draw_bars (cr, style, &layout, chart, placer);
  _ptl_draw_reference_lines (cr, style, chart, NULL, &layout.y_axis, &layout.area, placer);
  _ptl_draw_reference_labels (cr, context, style, chart, NULL, &layout.y_axis, &layout.area, TRUE, placer);
  draw_value_labels (cr, style, &layout, chart, placer);

  if (!layout.has_data)
    _ptl_draw_no_data (cr, context, style, &layout.area);

  bar_layout_clear (&layout);
  g_object_unref (context);
}

gboolean
_ptl_bar_plot_hit_test (PtlChart           *chart,
                        const PtlPlotStyle *style,
                        double              width,
                        double              height,
                        double              px,
                        double              py,
                        PtlChartHit        *hit)
{
  PangoContext *context = _ptl_plot_context_new (NULL);
  guint n_series = ptl_chart_get_n_series (chart);
  gboolean found = FALSE;
  BarLayout layout;

  bar_layout_init (&layout, chart, context, style, width, height);

  /* Anywhere in a bar's column counts, so short bars are easy to point at. */
  if (py >= layout.area.top && py <= layout.area.top + layout.area.height)
    for (guint i = 0; i < n_series && !found; i++)
      for (guint c = 0; c < layout.n_categories && !found; c++)
        {
          const PtlPoint *point = bar_point (&layout, chart, i, c);
          BarGeometry bar;

          if (point == NULL || !bar_geometry (&layout, n_series, i, c, point, &bar))
            continue;
          if (px < bar.left || px >= bar.left + bar.width)
            continue;
          found = TRUE;
          if (hit != NULL)
            *hit = (PtlChartHit) {
              i,
              (guint) g_array_index (layout.index, int, i * layout.n_categories + c),
              bar.left + bar.width / 2,
              bar.value,
            };
        }

  bar_layout_clear (&layout);
  g_object_unref (context);
  return found;
}
