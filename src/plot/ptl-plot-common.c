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
  return &style->series[index % PTL_PLOT_N_SERIES_COLORS];
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

static void
clear_legend_entry (gpointer data)
{
  PtlLegendEntry *entry = data;

  g_clear_object (&entry->layout);
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
          cairo_move_to (cr, ex, cy);
          cairo_line_to (cr, ex + swatch_width, cy);
          cairo_stroke (cr);
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
  cairo_save (cr);
  cairo_translate (cr, x, area->top + area->height / 2);
  cairo_rotate (cr, -G_PI / 2);
  /* Hinting follows the rotated matrix, then goes back for the rest. */
  pango_cairo_update_layout (cr, title);
  _ptl_plot_show_layout (cr, title, &style->muted, 0, 0, 0.5, 0);
  cairo_restore (cr);
  pango_cairo_update_layout (cr, title);
}

/* A reference label on a background-coloured box, so it stays legible
 * over grid lines and data. */
static void
show_reference_label (cairo_t            *cr,
                      const PtlPlotStyle *style,
                      PangoLayout        *layout,
                      double              x,
                      double              y,
                      double              xalign,
                      double              yalign)
{
  double width, height, margin = 2;

  _ptl_plot_layout_get_size (layout, &width, &height);
  _ptl_plot_set_source (cr, &style->background, 0.85);
  cairo_rectangle (cr, x - xalign * width - margin, y - yalign * height - margin / 2,
                   width + 2 * margin, height + margin);
  cairo_fill (cr);
  _ptl_plot_show_layout (cr, layout, &style->reference, x, y, xalign, yalign);
}

/* Writes @label along the middle of the longest visible stretch of a
 * sampled line, just above it: ends of lines are where other reference
 * labels sit. FALSE when no stretch is long enough. */
static gboolean
label_along_line (cairo_t            *cr,
                  const PtlPlotStyle *style,
                  PangoLayout        *label,
                  const PtlVertex    *samples,
                  const gboolean     *inside,
                  double              label_width)
{
  guint best_start = 0, best_end = 0;
  double best_length = 0, half, walked = 0;

  for (guint start = 0; start <= DIAGONAL_SAMPLES; )
    {
      guint end = start;
      double length = 0;

      if (!inside[start])
        {
          start++;
          continue;
        }
      while (end < DIAGONAL_SAMPLES && inside[end + 1])
        {
          length += hypot (samples[end + 1].x - samples[end].x, samples[end + 1].y - samples[end].y);
          end++;
        }
      if (length > best_length)
        {
          best_length = length;
          best_start = start;
          best_end = end;
        }
      start = end + 1;
    }

  if (best_length < label_width + 4 * style->font_size)
    return FALSE;

  half = best_length / 2;
  for (guint i = best_start; i < best_end; i++)
    {
      const PtlVertex *a = &samples[i];
      const PtlVertex *b = &samples[i + 1];
      double step = hypot (b->x - a->x, b->y - a->y);

      if (walked + step >= half && step > 0)
        {
          double t = (half - walked) / step;

          cairo_save (cr);
          cairo_translate (cr, a->x + t * (b->x - a->x), a->y + t * (b->y - a->y));
          /* Samples run left to right, so the text is never upside down. */
          cairo_rotate (cr, atan2 (b->y - a->y, b->x - a->x));
          pango_cairo_update_layout (cr, label);
          show_reference_label (cr, style, label, 0, -4, 0.5, 1);
          cairo_restore (cr);
          pango_cairo_update_layout (cr, label);
          return TRUE;
        }
      walked += step;
    }
  return FALSE;
}

static void
draw_diagonal (cairo_t            *cr,
               const PtlPlotStyle *style,
               PangoLayout        *label,
               double              slope,
               const PtlAxis      *x_axis,
               const PtlAxis      *y_axis,
               const PtlPlotArea  *area)
{
  PtlVertex samples[DIAGONAL_SAMPLES + 1];
  gboolean inside[DIAGONAL_SAMPLES + 1];
  gboolean drawing = FALSE;
  int exit = -1;
  double label_width, label_height;

  for (guint i = 0; i <= DIAGONAL_SAMPLES; i++)
    {
      double fx = (double) i / DIAGONAL_SAMPLES;
      double fy = ptl_axis_normalize (y_axis, slope * ptl_axis_denormalize (x_axis, fx));

      inside[i] = isfinite (fy) && fy >= 0 && fy <= 1;
      samples[i].x = area->left + fx * area->width;
      samples[i].y = area->top + (1 - CLAMP (isfinite (fy) ? fy : 0, -10, 10)) * area->height;
      if (!isfinite (fy))
        {
          drawing = FALSE;
          continue;
        }
      if (drawing)
        cairo_line_to (cr, samples[i].x, samples[i].y);
      else
        cairo_move_to (cr, samples[i].x, samples[i].y);
      drawing = TRUE;
      if (inside[i])
        exit = i;
    }
  cairo_stroke (cr);

  if (label == NULL || exit < 0)
    return;

  _ptl_plot_layout_get_size (label, &label_width, &label_height);
  if (label_along_line (cr, style, label, samples, inside, label_width))
    return;

  /* Too little of the line shows to write along it: above and left of
   * where it leaves the plot, walking back until the label's box clears
   * the top of the plot (for a rising line that side is empty). */
  for (int i = exit; i >= 0 && inside[i]; i--)
    {
      double bx = samples[i].x - 4;
      double by = samples[i].y - 4;

      if (by - label_height >= area->top && bx - label_width >= area->left)
        {
          show_reference_label (cr, style, label, bx, by, 1, 1);
          return;
        }
    }
  show_reference_label (cr, style, label, samples[exit].x - 4, samples[exit].y + 4, 1, 0);
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

void
_ptl_draw_references (cairo_t            *cr,
                      PangoContext       *context,
                      const PtlPlotStyle *style,
                      PtlChart           *chart,
                      const PtlAxis      *x_axis,
                      const PtlAxis      *y_axis,
                      const PtlPlotArea  *area,
                      gboolean            labels_outside)
{
  double dashes[] = { style->font_size * 0.5, style->font_size * 0.35 };
  double right = area->left + area->width;
  double bottom = area->top + area->height;

  for (guint i = 0; i < ptl_chart_get_n_references (chart); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (chart, i);
      g_autoptr(PangoLayout) label = NULL;
      double f, position, label_width;
      double outside_y = NAN;

      if (reference->label != NULL && *reference->label != '\0')
        label = reference_label_new (context, style, reference,
                                     labels_outside && reference->kind == PTL_REFERENCE_HORIZONTAL);

      cairo_save (cr);
      cairo_rectangle (cr, area->left, area->top, area->width, area->height);
      cairo_clip (cr);
      _ptl_plot_set_source (cr, &style->reference, 1);
      cairo_set_line_width (cr, MAX (1, style->line_width * 0.75));
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);

      switch (reference->kind)
        {
        case PTL_REFERENCE_HORIZONTAL:
          if (y_axis == NULL)
            break;
          f = ptl_axis_normalize (y_axis, reference->value);
          if (!(f >= 0 && f <= 1))
            break;
          position = area->top + (1 - f) * area->height;
          cairo_move_to (cr, area->left, position);
          cairo_line_to (cr, right, position);
          cairo_stroke (cr);
          if (label == NULL)
            break;
          /* In the margin the caller kept, past the line's end, once the
           * clip is gone; or above the line, or below it when it runs
           * along the top. */
          if (labels_outside)
            outside_y = position;
          else if (position - area->top > style->font_size * 1.5)
            show_reference_label (cr, style, label, right - 4, position - 3, 1, 1);
          else
            show_reference_label (cr, style, label, right - 4, position + 3, 1, 0);
          break;

        case PTL_REFERENCE_VERTICAL:
          if (x_axis == NULL)
            break;
          f = ptl_axis_normalize (x_axis, reference->value);
          if (!(f >= 0 && f <= 1))
            break;
          position = area->left + f * area->width;
          cairo_move_to (cr, position, area->top);
          cairo_line_to (cr, position, bottom);
          cairo_stroke (cr);
          if (label == NULL)
            break;
          /* Right of the line unless that runs out of the plot. */
          _ptl_plot_layout_get_size (label, &label_width, NULL);
          if (position + 4 + label_width <= right)
            show_reference_label (cr, style, label, position + 4, area->top + 4, 0, 0);
          else
            show_reference_label (cr, style, label, position - 4, area->top + 4, 1, 0);
          break;

        case PTL_REFERENCE_DIAGONAL:
          if (x_axis != NULL && y_axis != NULL)
            draw_diagonal (cr, style, label, reference->value, x_axis, y_axis, area);
          break;

        default:
          g_assert_not_reached ();
        }
      cairo_restore (cr);

      if (!isnan (outside_y))
        _ptl_plot_show_layout (cr, label, &style->reference, right + 4, outside_y, 0, 0.5);
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
