/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-plot"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-plot-private.h"

/* Samples along a diagonal reference: straight on lin-lin and log-log
 * axes, a curve on mixed ones. */
#define DIAGONAL_SAMPLES 256

PangoContext *
_ptl_plot_context_new (cairo_t *cr)
{
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoContext *context;

  if (cr != NULL)
    context = pango_cairo_create_context (cr);
  else
    context = pango_font_map_create_context (pango_cairo_font_map_get_default ());

  /* Unhinted metrics and unrounded positions: text measures the same in a
   * PNG, a PDF, on screen and in a hit test without any surface. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (context, FALSE);
  return context;
}

PangoLayout *
_ptl_plot_layout_new (PangoContext       *context,
                      const PtlPlotStyle *style,
                      PtlTextRole         role,
                      const char         *text)
{
  static const double scales[] = {
    [PTL_TEXT_HEADING] = 1.45,
    [PTL_TEXT_TITLE] = 1.15,
    [PTL_TEXT_BODY] = 1.0,
    [PTL_TEXT_SMALL] = 0.88,
  };
  PangoFontDescription *description = pango_font_description_new ();
  g_autofree char *family = NULL;
  PangoLayout *layout;

  g_assert (role < G_N_ELEMENTS (scales));

  /* A family list: Cantarell is in the GNOME runtime and here; fontconfig
   * still picks a fallback per missing glyph. */
  family = g_strdup_printf ("%s,Cantarell,sans-serif",
                            style->font_family != NULL ? style->font_family : "Cantarell");
  pango_font_description_set_family (description, family);
  pango_font_description_set_absolute_size (description, style->font_size * scales[role] * PANGO_SCALE);
  if (role == PTL_TEXT_HEADING || role == PTL_TEXT_TITLE)
    pango_font_description_set_weight (description, PANGO_WEIGHT_BOLD);

  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_font_description_free (description);
  return layout;
}

void
_ptl_plot_layout_get_size (PangoLayout *layout,
                           double      *width,
                           double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

void
_ptl_plot_show_layout (cairo_t       *cr,
                       PangoLayout   *layout,
                       const PtlRgba *color,
                       double         x,
                       double         y,
                       double         xalign,
                       double         yalign)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  cairo_save (cr);
  _ptl_plot_set_source (cr, color, 1);
  cairo_move_to (cr,
                 x - xalign * logical.width / PANGO_SCALE - (double) logical.x / PANGO_SCALE,
                 y - yalign * logical.height / PANGO_SCALE - (double) logical.y / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
_ptl_plot_set_source (cairo_t       *cr,
                      const PtlRgba *color,
                      double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

const PtlRgba *
_ptl_plot_series_color (const PtlPlotStyle *style,
                        guint               index)
{
  if (style->series_colors != NULL && index < style->n_series_looks)
    index = style->series_colors[index];
  return &style->series[index % PTL_PLOT_N_SERIES_COLORS];
}

/* Line styles in line widths: as many as Compare takes runs, each told
 * apart from its neighbours also in a small legend swatch. */
static const double dash_patterns[][4] = {
  { 0 },
  { 4, 2 },
  { 1, 2 },
  { 6, 2, 1, 2 },
  { 2, 2 },
  { 8, 3 },
  { 4, 2, 1, 2 },
  { 1, 1 },
};

void
_ptl_plot_set_dash (cairo_t            *cr,
                    const PtlPlotStyle *style,
                    guint               dash)
{
  const double *pattern = dash_patterns[dash % G_N_ELEMENTS (dash_patterns)];
  double scaled[4];
  int n = 0;

  for (; n < 4 && pattern[n] > 0; n++)
    scaled[n] = pattern[n] * style->line_width;
  cairo_set_dash (cr, scaled, n, 0);
}

void
_ptl_plot_set_series_dash (cairo_t            *cr,
                           const PtlPlotStyle *style,
                           guint               index)
{
  _ptl_plot_set_dash (cr, style,
                      style->series_dashes != NULL && index < style->n_series_looks ? style->series_dashes[index] : 0);
}

void
_ptl_plot_extend_to_x_range (PtlChart *chart,
                             double   *min,
                             double   *max)
{
  double range_min, range_max;

  if (!ptl_chart_get_x_range (chart, &range_min, &range_max))
    return;
  if (isfinite (range_min))
    *min = MIN (*min, range_min);
  if (isfinite (range_max))
    *max = MAX (*max, range_max);
}

double
_ptl_plot_padding (const PtlPlotStyle *style)
{
  return style->font_size * 0.75;
}

guint
_ptl_plot_max_labels (double length,
                      double label_size)
{
  if (!(label_size > 0) || !(length > 0))
    return 2;
  return (guint) MAX (2, floor (length / label_size));
}

gboolean
_ptl_x_labels_fit (const PtlAxis *axis,
                   double         plot_width,
                   double         label_width,
                   double         gap)
{
  double previous = -INFINITY;

  for (guint i = 0; i < ptl_axis_get_n_ticks (axis); i++)
    {
      const PtlAxisTick *tick = ptl_axis_get_tick (axis, i);
      double x;

      if (tick->label == NULL)
        continue;
      x = ptl_axis_normalize (axis, tick->value) * plot_width;
      if (x - previous < label_width + gap)
        return FALSE;
      previous = x;
    }
  return TRUE;
}

cairo_pattern_t *
_ptl_hatch_pattern_new (const PtlPlotStyle *style)
{
  double size = MAX (style->font_size * 0.5, 4);
  cairo_rectangle_t extents = { 0, 0, size, size };
  cairo_surface_t *tile = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  cairo_t *cr = cairo_create (tile);
  cairo_pattern_t *pattern;

  /* A recording, not an image: PDF and SVG keep the stripes as vectors.
   * Three strokes so the diagonal runs on across tile edges. */
  _ptl_plot_set_source (cr, &style->muted, 0.12);
  cairo_paint (cr);
  _ptl_plot_set_source (cr, &style->muted, 0.9);
  cairo_set_line_width (cr, MAX (1, size * 0.22));
  cairo_move_to (cr, 0, size);
  cairo_line_to (cr, size, 0);
  cairo_move_to (cr, -size / 2, size / 2);
  cairo_line_to (cr, size / 2, -size / 2);
  cairo_move_to (cr, size / 2, size * 1.5);
  cairo_line_to (cr, size * 1.5, size / 2);
  cairo_stroke (cr);
  cairo_destroy (cr);

  pattern = cairo_pattern_create_for_surface (tile);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  cairo_surface_destroy (tile);
  return pattern;
}

static void
clear_legend_entry (gpointer data)
{
  PtlLegendEntry *entry = data;

  g_clear_object (&entry->layout);
  g_clear_pointer (&entry->pattern, cairo_pattern_destroy);
}

void
_ptl_legend_init (PtlLegend *legend,
                  PtlSwatch  swatch)
{
  legend->swatch = swatch;
  legend->entries = g_array_new (FALSE, TRUE, sizeof (PtlLegendEntry));
  g_array_set_clear_func (legend->entries, clear_legend_entry);
  legend->height = 0;
}

void
_ptl_legend_add (PtlLegend          *legend,
                 PangoContext       *context,
                 const PtlPlotStyle *style,
                 const char         *text,
                 const PtlRgba      *color,
                 gboolean            band,
                 gboolean            marker)
{
  PtlLegendEntry entry = { 0 };

  entry.layout = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, text);
  pango_layout_set_ellipsize (entry.layout, PANGO_ELLIPSIZE_END);
  entry.color = *color;
  entry.band = band;
  entry.marker = marker;
  g_array_append_val (legend->entries, entry);
}

void
_ptl_legend_add_series (PtlLegend          *legend,
                        PtlChart           *chart,
                        PangoContext       *context,
                        const PtlPlotStyle *style,
                        gboolean            markers)
{
  for (guint i = 0; i < ptl_chart_get_n_series (chart); i++)
    {
      PtlSeries *series = ptl_chart_get_series (chart, i);
      const char *band_label = ptl_series_get_band_label (series);
      g_autofree char *text = NULL;

      /* The band's meaning goes with the series it belongs to. */
      if (band_label != NULL && *band_label != '\0')
        /* Translators: a legend entry, "fork (p5–p95)" */
        text = g_strdup_printf (_("%s (%s)"), ptl_series_get_name (series), band_label);
      else
        text = g_strdup (ptl_series_get_name (series));

      _ptl_legend_add (legend, context, style, text, _ptl_plot_series_color (style, i),
                       ptl_series_has_band (series), markers);
      if (style->series_dashes != NULL && i < style->n_series_looks)
        g_array_index (legend->entries, PtlLegendEntry, legend->entries->len - 1).dash = style->series_dashes[i];
    }
}

void
_ptl_legend_flow (PtlLegend          *legend,
                  const PtlPlotStyle *style,
                  double              width)
{
  double s = style->font_size;
  double swatch_width = s * 1.6;
  double gap = s * 0.4;
  double spacing = s * 1.2;
  double x = 0, y = 0, row_height = 0;

  for (guint i = 0; i < legend->entries->len; i++)
    {
      PtlLegendEntry *entry = &g_array_index (legend->entries, PtlLegendEntry, i);
      double text_width, text_height, entry_width;

      /* Nothing wider than the legend: long names end in an ellipsis. */
      pango_layout_set_width (entry->layout, (int) (MAX (width - swatch_width - gap, s) * PANGO_SCALE));
      _ptl_plot_layout_get_size (entry->layout, &text_width, &text_height);
      entry_width = swatch_width + gap + text_width;
      if (x > 0 && x + entry_width > width)
        {
          x = 0;
          y += row_height + s * 0.3;
          row_height = 0;
        }
      entry->x = x;
      entry->y = y;
      x += entry_width + spacing;
      row_height = MAX (row_height, text_height);
    }

  legend->height = legend->entries->len > 0 ? y + row_height : 0;
}

void
_ptl_legend_draw (PtlLegend          *legend,
                  cairo_t            *cr,
                  const PtlPlotStyle *style,
                  double              x,
                  double              y)
{
  double s = style->font_size;
  double swatch_width = s * 1.6;

  cairo_save (cr);
  for (guint i = 0; i < legend->entries->len; i++)
    {
      PtlLegendEntry *entry = &g_array_index (legend->entries, PtlLegendEntry, i);
      const PtlRgba *color = &entry->color;
      double ex = x + entry->x;
      double ey = y + entry->y;
      double height, cy;

      _ptl_plot_layout_get_size (entry->layout, NULL, &height);
      cy = ey + height / 2;

      if (legend->swatch == PTL_SWATCH_BAR)
        {
          double side = height * 0.7;

          if (entry->pattern != NULL)
            cairo_set_source (cr, entry->pattern);
          else
            _ptl_plot_set_source (cr, color, 1);
          cairo_rectangle (cr, ex + (swatch_width - side) / 2, cy - side / 2, side, side);
          cairo_fill (cr);
          if (entry->band)
            {
              /* An error bar through the swatch. */
              _ptl_plot_set_source (cr, &style->foreground, 0.8);
              cairo_set_line_width (cr, MAX (1, style->line_width * 0.6));
              cairo_move_to (cr, ex + swatch_width / 2, cy - height / 2);
              cairo_line_to (cr, ex + swatch_width / 2, cy + height / 2);
              cairo_stroke (cr);
            }
        }
      else if (legend->swatch == PTL_SWATCH_MARKER)
        {
          /* As the chart draws it, ring of background included. The
           * text before leaves a current point the arc would join. */
          cairo_new_path (cr);
          cairo_arc (cr, ex + swatch_width / 2, cy, style->line_width * 1.75, 0, 2 * G_PI);
          _ptl_plot_set_source (cr, color, 1);
          cairo_fill_preserve (cr);
          _ptl_plot_set_source (cr, &style->background, 1);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
        }
      else if (legend->swatch == PTL_SWATCH_DOT)
        {
          /* The chart's square dot, grown to a marker's size: at its two
           * line widths it would be a speck beside the text. */
          double side = style->line_width * 3.5;

          _ptl_plot_set_source (cr, color, 1);
          cairo_rectangle (cr, ex + (swatch_width - side) / 2, cy - side / 2, side, side);
          cairo_fill (cr);
        }
      else
        {
          if (entry->band)
            {
              _ptl_plot_set_source (cr, color, 0.22);
              cairo_rectangle (cr, ex, cy - height * 0.35, swatch_width, height * 0.7);
              cairo_fill (cr);
            }
          _ptl_plot_set_source (cr, color, 1);
          cairo_set_line_width (cr, style->line_width);
          _ptl_plot_set_dash (cr, style, entry->dash);
          cairo_move_to (cr, ex, cy);
          cairo_line_to (cr, ex + swatch_width, cy);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          if (entry->marker)
            {
              cairo_arc (cr, ex + swatch_width / 2, cy, style->line_width * 1.75, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }

      _ptl_plot_show_layout (cr, entry->layout, &style->foreground,
                             ex + swatch_width + s * 0.4, ey, 0, 0);
    }
  cairo_restore (cr);
}

void
_ptl_legend_clear (PtlLegend *legend)
{
  g_clear_pointer (&legend->entries, g_array_unref);
}

PangoLayout *
_ptl_chart_title_new (PtlChart           *chart,
                      PangoContext       *context,
                      const PtlPlotStyle *style,
                      double              width)
{
  const char *title = ptl_chart_get_title (chart);
  PangoLayout *layout;

  if (title == NULL || *title == '\0')
    return NULL;

  layout = _ptl_plot_layout_new (context, style, PTL_TEXT_TITLE, title);
  pango_layout_set_width (layout, (int) (MAX (width, 1) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (layout, -2);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

char *
_ptl_axis_title (const char *label,
                 const char *unit)
{
  gboolean has_label = label != NULL && *label != '\0';
  gboolean has_unit = unit != NULL && *unit != '\0' && !ptl_axis_unit_in_ticks (unit);

  if (has_label && has_unit)
    /* Translators: an axis title, "Workers (threads)" */
    return g_strdup_printf (_("%s (%s)"), label, unit);
  if (has_label)
    return g_strdup (label);
  if (has_unit)
    return g_strdup (unit);
  return NULL;
}

static void
unref_layout (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

GPtrArray *
_ptl_tick_layouts_new (const PtlAxis      *axis,
                       PangoContext       *context,
                       const PtlPlotStyle *style,
                       double             *width)
{
  GPtrArray *layouts = g_ptr_array_new_with_free_func (unref_layout);

  *width = 0;
  for (guint i = 0; i < ptl_axis_get_n_ticks (axis); i++)
    {
      const PtlAxisTick *tick = ptl_axis_get_tick (axis, i);
      PangoLayout *layout = NULL;

      if (tick->label != NULL)
        {
          double tick_width;

          layout = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, tick->label);
          _ptl_plot_layout_get_size (layout, &tick_width, NULL);
          *width = MAX (*width, tick_width);
        }
      g_ptr_array_add (layouts, layout);
    }
  return layouts;
}

void
_ptl_draw_y_axis (cairo_t            *cr,
                  const PtlPlotStyle *style,
                  const PtlAxis      *y_axis,
                  GPtrArray          *tick_layouts,
                  const PtlPlotArea  *area)
{
  double right = area->left + area->width;
  double bottom = area->top + area->height;

  cairo_save (cr);
  cairo_set_line_width (cr, 1);

  for (guint i = 0; i < ptl_axis_get_n_ticks (y_axis); i++)
    {
      const PtlAxisTick *tick = ptl_axis_get_tick (y_axis, i);
      PangoLayout *layout = g_ptr_array_index (tick_layouts, i);
      double f = ptl_axis_normalize (y_axis, tick->value);
      double y;

      if (!(f >= -1e-6 && f <= 1 + 1e-6))
        continue;
      y = area->top + (1 - f) * area->height;

      _ptl_plot_set_source (cr, &style->grid, layout != NULL ? 1 : 0.5);
      cairo_move_to (cr, area->left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);

      if (layout != NULL)
        _ptl_plot_show_layout (cr, layout, &style->foreground,
                               area->left - style->font_size * 0.45, y, 1, 0.5);
    }

  _ptl_plot_set_source (cr, &style->muted, 1);
  cairo_move_to (cr, area->left, area->top);
  cairo_line_to (cr, area->left, bottom);
  cairo_line_to (cr, right, bottom);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
_ptl_draw_x_axis (cairo_t            *cr,
                  const PtlPlotStyle *style,
                  const PtlAxis      *x_axis,
                  GPtrArray          *tick_layouts,
                  const PtlPlotArea  *area,
                  double              labels_y)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < ptl_axis_get_n_ticks (x_axis); i++)
    {
      const PtlAxisTick *tick = ptl_axis_get_tick (x_axis, i);
      PangoLayout *label = g_ptr_array_index (tick_layouts, i);
      double f = ptl_axis_normalize (x_axis, tick->value);
      double x;

      if (!(f >= -1e-6 && f <= 1 + 1e-6))
        continue;
      x = area->left + f * area->width;
      _ptl_plot_set_source (cr, &style->grid, label != NULL ? 1 : 0.5);
      cairo_move_to (cr, x, area->top);
      cairo_line_to (cr, x, area->top + area->height);
      cairo_stroke (cr);
      if (label != NULL)
        _ptl_plot_show_layout (cr, label, &style->foreground, x, labels_y, 0.5, 0);
    }
  cairo_restore (cr);
}

void
_ptl_draw_y_title (cairo_t            *cr,
                   const PtlPlotStyle *style,
                   PangoLayout        *title,
                   double              x,
                   const PtlPlotArea  *area)
{
  /* No longer than the plot is tall: at report size a long title would
   * run on into the legend above. */
  pango_layout_set_width (title, (int) (MAX (area->height, 1) * PANGO_SCALE));
  pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);

  cairo_save (cr);
  cairo_translate (cr, x, area->top + area->height / 2);
  cairo_rotate (cr, -G_PI / 2);
  /* Hinting follows the rotated matrix, then goes back for the rest. */
  pango_cairo_update_layout (cr, title);
  _ptl_plot_show_layout (cr, title, &style->muted, 0, 0, 0.5, 0);
  cairo_restore (cr);
  pango_cairo_update_layout (cr, title);
}

/* Room around a reference label's text: its background box. */
#define LABEL_MARGIN 2

/* A reference label on a background-coloured box filling @box, so it
 * stays legible over grid lines. */
static void
show_reference_label (cairo_t            *cr,
                      const PtlPlotStyle *style,
                      PangoLayout        *layout,
                      const PtlBox       *box)
{
  _ptl_plot_set_source (cr, &style->background, 0.85);
  cairo_rectangle (cr, box->x, box->y, box->width, box->height);
  cairo_fill (cr);
  _ptl_plot_show_layout (cr, layout, &style->reference,
                         box->x + LABEL_MARGIN, box->y + LABEL_MARGIN / 2.0, 0, 0);
}

/* The diagonal y = slope × x sampled across the plot, in chart
 * coordinates; inside[i] when sample i lies within the plot. Returns
 * the last sample inside, or -1. */
static int
sample_diagonal (double             slope,
                 const PtlAxis     *x_axis,
                 const PtlAxis     *y_axis,
                 const PtlPlotArea *area,
                 PtlVertex         *samples,
                 gboolean          *inside,
                 gboolean          *finite)
{
  int exit = -1;

  for (guint i = 0; i <= DIAGONAL_SAMPLES; i++)
    {
      double fx = (double) i / DIAGONAL_SAMPLES;
      double fy = ptl_axis_normalize (y_axis, slope * ptl_axis_denormalize (x_axis, fx));

      finite[i] = isfinite (fy);
      inside[i] = finite[i] && fy >= 0 && fy <= 1;
      samples[i].x = area->left + fx * area->width;
      samples[i].y = area->top + (1 - CLAMP (finite[i] ? fy : 0, -10, 10)) * area->height;
      if (inside[i])
        exit = i;
    }
  return exit;
}

static void
draw_diagonal (cairo_t            *cr,
               const PtlPlotStyle *style,
               double              slope,
               const PtlAxis      *x_axis,
               const PtlAxis      *y_axis,
               const PtlPlotArea  *area,
               PtlLabelPlacer     *placer)
{
  PtlVertex samples[DIAGONAL_SAMPLES + 1];
  gboolean inside[DIAGONAL_SAMPLES + 1];
  gboolean finite[DIAGONAL_SAMPLES + 1];
  double half = cairo_get_line_width (cr) / 2;
  gboolean drawing = FALSE;

  sample_diagonal (slope, x_axis, y_axis, area, samples, inside, finite);
  for (guint i = 0; i <= DIAGONAL_SAMPLES; i++)
    {
      if (!finite[i])
        {
          drawing = FALSE;
          continue;
        }
      if (drawing)
        {
          cairo_line_to (cr, samples[i].x, samples[i].y);
          /* Segment by segment: one box round a slanted line would cover
           * the whole plot. */
          if (inside[i] || inside[i - 1])
            _ptl_label_placer_add_mark (placer,
                                        MIN (samples[i - 1].x, samples[i].x) - half,
                                        CLAMP (MIN (samples[i - 1].y, samples[i].y), area->top, area->top + area->height) - half,
                                        MAX (samples[i - 1].x, samples[i].x) + half,
                                        CLAMP (MAX (samples[i - 1].y, samples[i].y), area->top, area->top + area->height) + half);
        }
      else
        cairo_move_to (cr, samples[i].x, samples[i].y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
}

/* A label beside the plot wraps rather than take the plot's width. */
static PangoLayout *
reference_label_new (PangoContext       *context,
                     const PtlPlotStyle *style,
                     const PtlReference *reference,
                     gboolean            outside)
{
  PangoLayout *label = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, reference->label);

  if (outside)
    {
      pango_layout_set_width (label, (int) (style->font_size * 7 * PANGO_SCALE));
      pango_layout_set_wrap (label, PANGO_WRAP_WORD);
    }
  return label;
}

/* Where @reference's line lies: its y (horizontal) or x (vertical) in
 * chart coordinates; FALSE when the plot does not show it. */
static gboolean
reference_position (const PtlReference *reference,
                    const PtlAxis      *x_axis,
                    const PtlAxis      *y_axis,
                    const PtlPlotArea  *area,
                    double             *position)
{
  double f;

  switch (reference->kind)
    {
    case PTL_REFERENCE_HORIZONTAL:
      if (y_axis == NULL)
        return FALSE;
      f = ptl_axis_normalize (y_axis, reference->value);
      *position = area->top + (1 - f) * area->height;
      return f >= 0 && f <= 1;

    case PTL_REFERENCE_VERTICAL:
      if (x_axis == NULL)
        return FALSE;
      f = ptl_axis_normalize (x_axis, reference->value);
      *position = area->left + f * area->width;
      return f >= 0 && f <= 1;

    case PTL_REFERENCE_DIAGONAL:
      *position = NAN;
      return x_axis != NULL && y_axis != NULL;

    default:
      g_assert_not_reached ();
    }
}

void
_ptl_draw_reference_lines (cairo_t            *cr,
                           const PtlPlotStyle *style,
                           PtlChart           *chart,
                           const PtlAxis      *x_axis,
                           const PtlAxis      *y_axis,
                           const PtlPlotArea  *area,
                           PtlLabelPlacer     *placer)
{
  double dashes[] = { style->font_size * 0.5, style->font_size * 0.35 };
  double right = area->left + area->width;
  double bottom = area->top + area->height;
  double half = MAX (1, style->line_width * 0.75) / 2;

  cairo_save (cr);
  cairo_rectangle (cr, area->left, area->top, area->width, area->height);
  cairo_clip (cr);
  _ptl_plot_set_source (cr, &style->reference, 1);
  cairo_set_line_width (cr, half * 2);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);
      double position;

      if (!reference_position (reference, x_axis, y_axis, area, &position))
        continue;
      switch (reference->kind)
        {
        case PTL_REFERENCE_HORIZONTAL:
          cairo_move_to (cr, area->left, position);
          cairo_line_to (cr, right, position);
          cairo_stroke (cr);
          _ptl_label_placer_add_mark (placer, area->left, position - half, right, position + half);
          break;

        case PTL_REFERENCE_VERTICAL:
          cairo_move_to (cr, position, area->top);
          cairo_line_to (cr, position, bottom);
          cairo_stroke (cr);
          _ptl_label_placer_add_mark (placer, position - half, area->top, position + half, bottom);
          break;

        case PTL_REFERENCE_DIAGONAL:
          draw_diagonal (cr, style, reference->value, x_axis, y_axis, area, placer);
          break;

        default:
          g_assert_not_reached ();
        }
    }
  cairo_restore (cr);
}

/* Candidates along a horizontal line at @y: above it, then below, from
 * its right end leftwards (the right end is where a reader looks for a
 * line's name). */
static guint
horizontal_anchors (PtlLabelAnchor    *anchors,
                    guint              max_anchors,
                    const PtlPlotArea *area,
                    double             y,
                    double             width)
{
  double step = MAX (width / 2, 4);
  guint n = 0;

  for (double x = area->left + area->width - 4; x - width >= area->left && n + 2 <= max_anchors; x -= step)
    {
      anchors[n++] = (PtlLabelAnchor) { x, y - 3, 1, 1 };
      anchors[n++] = (PtlLabelAnchor) { x, y + 3, 1, 0 };
    }
  return n;
}

/* Along a vertical line at @x: right of it, then left, from the top down. */
static guint
vertical_anchors (PtlLabelAnchor    *anchors,
                  guint              max_anchors,
                  const PtlPlotArea *area,
                  double             x,
                  double             height)
{
  double step = MAX (height / 2, 4);
  guint n = 0;

  for (double y = area->top + 2; y + height <= area->top + area->height && n + 2 <= max_anchors; y += step)
    {
      anchors[n++] = (PtlLabelAnchor) { x + 4, y, 0, 0 };
      anchors[n++] = (PtlLabelAnchor) { x - 4, y, 1, 0 };
    }
  return n;
}

/* Beside a diagonal, from where it leaves the plot backwards: above and
 * left of it (for a rising line that side is empty), then below and
 * right. */
static guint
diagonal_anchors (PtlLabelAnchor    *anchors,
                  guint              max_anchors,
                  double             slope,
                  const PtlAxis     *x_axis,
                  const PtlAxis     *y_axis,
                  const PtlPlotArea *area)
{
  PtlVertex samples[DIAGONAL_SAMPLES + 1];
  gboolean inside[DIAGONAL_SAMPLES + 1];
  gboolean finite[DIAGONAL_SAMPLES + 1];
  int exit = sample_diagonal (slope, x_axis, y_axis, area, samples, inside, finite);
  guint n = 0;

  for (int i = exit; i >= 0 && n + 2 <= max_anchors; i -= 4)
    if (inside[i])
      {
        anchors[n++] = (PtlLabelAnchor) { samples[i].x - 4, samples[i].y - 4, 1, 1 };
        anchors[n++] = (PtlLabelAnchor) { samples[i].x + 4, samples[i].y + 4, 0, 0 };
      }
  return n;
}

/* Beside the plot: level with the line, else nudged up or down. */
static guint
outside_anchors (PtlLabelAnchor    *anchors,
                 guint              max_anchors,
                 double             x,
                 double             y,
                 double             height)
{
  guint n = 0;

  anchors[n++] = (PtlLabelAnchor) { x, y, 0, 0.5 };
  for (guint k = 1; n + 2 <= max_anchors; k++)
    {
      anchors[n++] = (PtlLabelAnchor) { x, y - k * height / 4, 0, 0.5 };
      anchors[n++] = (PtlLabelAnchor) { x, y + k * height / 4, 0, 0.5 };
    }
  return n;
}

/* Enough candidates to walk a 4000-unit plot in half-label steps. */
#define MAX_ANCHORS 512

void
_ptl_draw_reference_labels (cairo_t            *cr,
                            PangoContext       *context,
                            const PtlPlotStyle *style,
                            PtlChart           *chart,
                            const PtlAxis      *x_axis,
                            const PtlAxis      *y_axis,
                            const PtlPlotArea  *area,
                            gboolean            labels_outside,
                            PtlLabelPlacer     *placer)
{
  g_autofree PtlLabelAnchor *anchors = g_new (PtlLabelAnchor, MAX_ANCHORS);
  double right = area->left + area->width;
  PtlBox inside = { area->left, area->top, area->width, area->height };

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);
      gboolean outside = labels_outside && reference->kind == PTL_REFERENCE_HORIZONTAL;
      g_autoptr(PangoLayout) label = NULL;
      double position, width, height;
      guint n_anchors = 0;
      PtlBox box;

      if (reference->label == NULL || *reference->label == '\0' ||
          !reference_position (reference, x_axis, y_axis, area, &position))
        continue;
      label = reference_label_new (context, style, reference, outside);
      _ptl_plot_layout_get_size (label, &width, &height);

      if (outside)
        {
          /* In the margin the caller kept, from the plot's top to its
           * bottom and a line beyond. */
          PtlBox margin = { right + 4, area->top - height, G_MAXDOUBLE / 4, area->height + 2 * height };

          n_anchors = outside_anchors (anchors, 16, right + 4, position, height);
          if (_ptl_label_placer_place (placer, &margin, width, height, anchors, n_anchors, &box))
            _ptl_plot_show_layout (cr, label, &style->reference, box.x, box.y, 0, 0);
          continue;
        }

      width += 2 * LABEL_MARGIN;
      height += LABEL_MARGIN;
      switch (reference->kind)
        {
        case PTL_REFERENCE_HORIZONTAL:
          n_anchors = horizontal_anchors (anchors, MAX_ANCHORS, area, position, width);
          break;
        case PTL_REFERENCE_VERTICAL:
          n_anchors = vertical_anchors (anchors, MAX_ANCHORS, area, position, height);
          break;
        case PTL_REFERENCE_DIAGONAL:
          n_anchors = diagonal_anchors (anchors, MAX_ANCHORS, reference->value, x_axis, y_axis, area);
          break;
        default:
          g_assert_not_reached ();
        }
      /* Nowhere free: left out rather than written over the data. */
      if (_ptl_label_placer_place (placer, &inside, width, height, anchors, n_anchors, &box))
        show_reference_label (cr, style, label, &box);
    }
}

double
_ptl_reference_labels_width (PtlChart           *chart,
                             PangoContext       *context,
                             const PtlPlotStyle *style)
{
  double widest = 0;

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);
      g_autoptr(PangoLayout) label = NULL;
      double width;

      if (reference->kind != PTL_REFERENCE_HORIZONTAL || reference->label == NULL || *reference->label == '\0')
        continue;
      label = reference_label_new (context, style, reference, TRUE);
      _ptl_plot_layout_get_size (label, &width, NULL);
      widest = MAX (widest, width);
    }
  return widest > 0 ? widest + 4 : 0;
}

void
_ptl_draw_no_data (cairo_t            *cr,
                   PangoContext       *context,
                   const PtlPlotStyle *style,
                   const PtlPlotArea  *area)
{
  g_autoptr(PangoLayout) layout = _ptl_plot_layout_new (context, style, PTL_TEXT_BODY, _("No data"));

  _ptl_plot_show_layout (cr, layout, &style->muted,
                         area->left + area->width / 2, area->top + area->height / 2, 0.5, 0.5);
}

double
_ptl_plot_column_width (cairo_t *cr)
{
  double dx = 1, dy = 0;
  double pixels;

  cairo_user_to_device_distance (cr, &dx, &dy);
  pixels = hypot (dx, dy);

  /* Vector and recording surfaces have no pixels of their own: half a unit
   * stays sharp when a PDF is zoomed or a HiDPI screen replays it. */
  if (cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    pixels = MAX (pixels, 2);
  return 1 / MAX (pixels, 1e-3);
}
