/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-plot-private.h"

/* Charts read best about 3:2; the figure grid aims for that. */
#define CELL_ASPECT 1.5

/* Report sizes: one chart, and each chart of a grid two wide. */
#define SINGLE_WIDTH 960.0
#define SINGLE_HEIGHT 640.0
#define GRID_WIDTH 1200.0
#define GRID_COLUMNS 2

/* The charts keep at least this share of a figure's height; a report
 * that would take more is left out of a figure drawn that small. */
#define MIN_CHARTS_SHARE 0.4

typedef struct
{
  PangoLayout *heading;
  PangoLayout *notes;
  PtlReport   *report;
  double       notes_y;
  double       report_y;
  double       charts_top;
  double       charts_height;
} FigureLayout;

/* With @with_report (the whole figure), the summary table, parameters
 * and machine facts go under the notes. */
static void
figure_layout_init (FigureLayout       *layout,
                    PtlResult          *result,
                    PangoContext       *context,
                    const PtlPlotStyle *style,
                    double              width,
                    double              height,
                    gboolean            limit_notes,
                    gboolean            with_report)
{
  double s = style->font_size;
  double pad = _ptl_plot_padding (style);
  double content_width = MAX (width - 2 * pad, 1);
  const char *title = ptl_result_get_title (result);
  guint n_warnings = ptl_result_get_n_warnings (result);
  guint n_notes = ptl_result_get_n_notes (result);
  double top = pad, bottom = height, text_height;

  memset (layout, 0, sizeof *layout);

  if (title != NULL && *title != '\0')
    {
      layout->heading = _ptl_plot_layout_new (context, style, PTL_TEXT_HEADING, title);
      pango_layout_set_width (layout->heading, (int) (content_width * PANGO_SCALE));
      pango_layout_set_wrap (layout->heading, PANGO_WRAP_WORD_CHAR);
      _ptl_plot_layout_get_size (layout->heading, NULL, &text_height);
      top += text_height + s * 0.25;
    }

  if (with_report)
    {
      double report_height;

      layout->report = _ptl_report_new (result, context, style, content_width);
      report_height = _ptl_report_get_height (layout->report);
      if (report_height <= 0 || (limit_notes && report_height > height * (1 - MIN_CHARTS_SHARE)))
        g_clear_pointer (&layout->report, _ptl_report_free);
      else
        {
          layout->report_y = height - pad - report_height;
          bottom = layout->report_y - s * 0.8;
        }
    }

  if (n_warnings + n_notes > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      /* Warnings first, so a report cannot cut them off. */
      for (guint i = 0; i < n_warnings; i++)
        g_string_append_printf (text, "%s⚠ %s", text->len > 0 ? "\n" : "", ptl_result_get_warning (result, i));
      for (guint i = 0; i < n_notes; i++)
        g_string_append_printf (text, "%s• %s", text->len > 0 ? "\n" : "", ptl_result_get_note (result, i));
      layout->notes = _ptl_plot_layout_new (context, style, PTL_TEXT_BODY, text->str);
      pango_layout_set_width (layout->notes, (int) (content_width * PANGO_SCALE));
      pango_layout_set_wrap (layout->notes, PANGO_WRAP_WORD_CHAR);
      /* Notes matter, but must leave the charts most of the page. */
      if (limit_notes)
        {
          pango_layout_set_height (layout->notes, (int) (height * 0.3 * PANGO_SCALE));
          pango_layout_set_ellipsize (layout->notes, PANGO_ELLIPSIZE_END);
        }
      _ptl_plot_layout_get_size (layout->notes, NULL, &text_height);
      layout->notes_y = (layout->report != NULL ? bottom : height - pad) - text_height;
      bottom = layout->notes_y - s * 0.25;
    }

  layout->charts_top = top;
  layout->charts_height = MAX (bottom - top, 1);
}

static void
figure_layout_clear (FigureLayout *layout)
{
  g_clear_object (&layout->heading);
  g_clear_object (&layout->notes);
  g_clear_pointer (&layout->report, _ptl_report_free);
}

/* Columns and rows for @n charts in @width × @height: cells closest to
 * 3:2, a little against empty cells. */
static void
figure_grid (guint   n,
             double  width,
             double  height,
             guint  *columns,
             guint  *rows)
{
  double best = -G_MAXDOUBLE;

  *columns = *rows = 1;
  for (guint c = 1; c <= n; c++)
    {
      guint r = (n + c - 1) / c;
      double aspect = (width / c) / (height / r);
      double score = MIN (aspect / CELL_ASPECT, CELL_ASPECT / aspect) - 0.05 * (c * r - n);

      if (score > best)
        {
          best = score;
          *columns = c;
          *rows = r;
        }
    }
}

/* Draws @chart, recording its marks and labels in @placer. */
static void
chart_draw (PtlChart           *chart,
            cairo_t            *cr,
            const PtlPlotStyle *style,
            double              width,
            double              height,
            PtlLabelPlacer     *placer)
{
  PtlPlotStyle with_looks;
  const guint *colors, *dashes;
  guint n_looks;

  /* Runs overlaid by Compare carry their colours and line styles, so the
   * window, its export dialog, `ptlab compare --export` and reports all
   * draw them alike; a style's own looks still win. */
  if (style->n_series_looks == 0 && ptl_chart_get_series_looks (chart, &colors, &dashes, &n_looks))
    {
      with_looks = *style;
      with_looks.series_colors = colors;
      with_looks.series_dashes = dashes;
      with_looks.n_series_looks = n_looks;
      style = &with_looks;
    }

  cairo_save (cr);
  switch (ptl_chart_get_kind (chart))
    {
    case PTL_CHART_LINE:
    case PTL_CHART_SCATTER:
      _ptl_line_plot_draw (chart, cr, style, width, height, placer);
      break;

    case PTL_CHART_BAR:
      _ptl_bar_plot_draw (chart, cr, style, width, height, placer);
      break;

    case PTL_CHART_TIMELINE:
      _ptl_timeline_plot_draw (chart, cr, style, width, height, placer);
      break;

    case PTL_CHART_GRAPH:
      _ptl_graph_plot_draw (chart, cr, style, width, height, placer);
      break;

    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);
}

void
ptl_chart_draw (PtlChart           *chart,
                cairo_t            *cr,
                const PtlPlotStyle *style,
                double              width,
                double              height)
{
  PtlLabelPlacer placer;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  if (!(width > 0) || !(height > 0))
    return;

  _ptl_label_placer_init (&placer);
  chart_draw (chart, cr, style, width, height, &placer);
  _ptl_label_placer_clear (&placer);
}

void
ptl_chart_get_boxes (PtlChart           *chart,
                     const PtlPlotStyle *style,
                     double              width,
                     double              height,
                     GArray            **marks,
                     GArray            **labels)
{
  cairo_rectangle_t extents = { 0, 0, width, height };
  cairo_surface_t *surface;
  PtlLabelPlacer placer;
  cairo_t *cr;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (marks != NULL && labels != NULL);

  _ptl_label_placer_init (&placer);
  if (width > 0 && height > 0)
    {
      /* Drawn for real, into a recording nobody replays: the boxes are the
       * ones a screen or a file gets. */
      surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
      cr = cairo_create (surface);
      chart_draw (chart, cr, style, width, height, &placer);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  *marks = g_steal_pointer (&placer.marks);
  *labels = g_steal_pointer (&placer.labels);
}

void
ptl_figure_draw (PtlResult          *result,
                 const char         *chart_id,
                 cairo_t            *cr,
                 const PtlPlotStyle *style,
                 double              width,
                 double              height)
{
  PangoContext *context = NULL;
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  double pad;
  FigureLayout layout;
  guint columns, rows;

  g_return_if_fail (PTL_IS_RESULT (result));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  if (!(width > 0) || !(height > 0))
    return;

  if (chart_id != NULL)
    {
      PtlChart *chart = ptl_result_find_chart (result, chart_id);

      if (chart != NULL)
        g_ptr_array_add (charts, chart);
    }
  else
    for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
      g_ptr_array_add (charts, ptl_result_get_chart (result, i));

  cairo_save (cr);
  context = _ptl_plot_context_new (cr);
  pad = _ptl_plot_padding (style);
  figure_layout_init (&layout, result, context, style, width, height, TRUE, chart_id == NULL);

  _ptl_plot_set_source (cr, &style->background, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  if (layout.heading != NULL)
    _ptl_plot_show_layout (cr, layout.heading, &style->foreground, pad, pad, 0, 0);
  if (layout.notes != NULL)
    _ptl_plot_show_layout (cr, layout.notes, &style->muted, pad, layout.notes_y, 0, 0);
  if (layout.report != NULL)
    _ptl_report_draw (layout.report, cr, style, pad, layout.report_y);

  if (charts->len == 0)
    {
      PtlPlotArea area = { 0, layout.charts_top, width, layout.charts_height };

      _ptl_draw_no_data (cr, context, style, &area);
    }
  else
    {
      double cell_width, cell_height;

      figure_grid (charts->len, width, layout.charts_height, &columns, &rows);
      cell_width = width / columns;
      cell_height = layout.charts_height / rows;
      for (guint i = 0; i < charts->len; i++)
        {
          cairo_save (cr);
          cairo_translate (cr, (i % columns) * cell_width, layout.charts_top + (i / columns) * cell_height);
          ptl_chart_draw (g_ptr_array_index (charts, i), cr, style, cell_width, cell_height);
          cairo_restore (cr);
        }
    }

  figure_layout_clear (&layout);
  g_object_unref (context);
  cairo_restore (cr);
}

void
ptl_figure_get_default_size (PtlResult          *result,
                             const char         *chart_id,
                             const PtlPlotStyle *style,
                             double             *width,
                             double             *height)
{
  PangoContext *context = NULL;
  PtlPlotStyle report;
  FigureLayout layout;
  guint n_charts, rows;
  double cell_height, probe;

  g_return_if_fail (PTL_IS_RESULT (result));
  g_return_if_fail (width != NULL && height != NULL);

  n_charts = chart_id != NULL ? 1 : ptl_result_get_n_charts (result);
  *width = SINGLE_WIDTH;
  *height = SINGLE_HEIGHT;
  if (chart_id != NULL)
    return;

  if (style == NULL)
    {
      ptl_plot_style_init_report (&report);
      style = &report;
    }

  if (n_charts <= 1)
    {
      /* One chart at its report size, and the summary, parameters and
       * machine below it. */
      context = _ptl_plot_context_new (NULL);
      figure_layout_init (&layout, result, context, style, SINGLE_WIDTH, SINGLE_HEIGHT, FALSE, TRUE);
      if (layout.report != NULL)
        *height = ceil (SINGLE_HEIGHT + _ptl_report_get_height (layout.report) + style->font_size * 0.8);
      figure_layout_clear (&layout);
      g_object_unref (context);
      return;
    }

  /* Every chart of a grid as large as it would be alone at this width,
   * plus whatever the title and the notes take. */
  rows = (n_charts + GRID_COLUMNS - 1) / GRID_COLUMNS;
  cell_height = GRID_WIDTH / GRID_COLUMNS / CELL_ASPECT;
  probe = rows * cell_height + SINGLE_HEIGHT;
  context = _ptl_plot_context_new (NULL);
  figure_layout_init (&layout, result, context, style, GRID_WIDTH, probe, FALSE, chart_id == NULL);
  *width = GRID_WIDTH;
  *height = ceil (probe - layout.charts_height + rows * cell_height);
  figure_layout_clear (&layout);
  g_object_unref (context);
}

gboolean
ptl_chart_hit_test (PtlChart           *chart,
                    const PtlPlotStyle *style,
                    double              width,
                    double              height,
                    double              px,
                    double              py,
                    PtlChartHit        *hit)
{
  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  if (!(width > 0) || !(height > 0))
    return FALSE;

  switch (ptl_chart_get_kind (chart))
    {
    case PTL_CHART_LINE:
    case PTL_CHART_SCATTER:
      return _ptl_line_plot_hit_test (chart, style, width, height, px, py, hit);

    case PTL_CHART_BAR:
      return _ptl_bar_plot_hit_test (chart, style, width, height, px, py, hit);

    case PTL_CHART_TIMELINE:
      return _ptl_timeline_plot_hit_test (chart, style, width, height, px, py, hit);

    case PTL_CHART_GRAPH:
      return _ptl_graph_plot_hit_test (chart, style, width, height, px, py, hit);

    default:
      g_assert_not_reached ();
    }
}
