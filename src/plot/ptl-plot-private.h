/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

#include "ptl-axis.h"
#include "ptl-decimate.h"
#include "ptl-plot.h"

G_BEGIN_DECLS

/* What sibling renderers share: text, legend, y axis, references. All
 * sizes derive from the style's font size, so a chart scales as a whole. */

/* Label placement (ptl-label-placer.c): data marks registered as drawn,
 * labels placed at the first free anchor. */
typedef struct
{
  GArray *marks;  /* PtlBox */
  GArray *labels; /* PtlBox */
} PtlLabelPlacer;

/* A candidate position: the label's (@xalign, @yalign) fraction at (@x, @y). */
typedef struct
{
  double x;
  double y;
  double xalign;
  double yalign;
} PtlLabelAnchor;

void            _ptl_label_placer_init       (PtlLabelPlacer       *placer);
void            _ptl_label_placer_clear      (PtlLabelPlacer       *placer);
/* The box spanned by two corners, in any order. */
void            _ptl_label_placer_add_mark   (PtlLabelPlacer       *placer,
                                              double                x0,
                                              double                y0,
                                              double                x1,
                                              double                y1);
/* Whether @box stays inside @bounds (NULL: anywhere) and overlaps no
 * mark and no placed label. */
gboolean        _ptl_label_placer_is_free    (PtlLabelPlacer       *placer,
                                              const PtlBox         *box,
                                              const PtlBox         *bounds);
/* Places a @width × @height label at the first free anchor, records it
 * and returns its box in @placed; FALSE (nothing recorded) when none is
 * free. */
gboolean        _ptl_label_placer_place      (PtlLabelPlacer       *placer,
                                              const PtlBox         *bounds,
                                              double                width,
                                              double                height,
                                              const PtlLabelAnchor *anchors,
                                              guint                 n_anchors,
                                              PtlBox               *placed);

typedef enum
{
  PTL_TEXT_HEADING, /* a figure's title */
  PTL_TEXT_TITLE,   /* a chart's title */
  PTL_TEXT_BODY,    /* axis titles, notes */
  PTL_TEXT_SMALL,   /* tick labels, legend, value labels */
} PtlTextRole;

/* @cr may be NULL: a context for measuring only (hit tests), laid out
 * exactly as drawing would be. */
PangoContext   *_ptl_plot_context_new        (cairo_t            *cr);
PangoLayout    *_ptl_plot_layout_new         (PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              PtlTextRole         role,
                                              const char         *text);
void            _ptl_plot_layout_get_size    (PangoLayout        *layout,
                                              double             *width,
                                              double             *height);
/* Draws @layout with its (@xalign, @yalign) fraction at (@x, @y). */
void            _ptl_plot_show_layout        (cairo_t            *cr,
                                              PangoLayout        *layout,
                                              const PtlRgba      *color,
                                              double              x,
                                              double              y,
                                              double              xalign,
                                              double              yalign);

void            _ptl_plot_set_source         (cairo_t            *cr,
                                              const PtlRgba      *color,
                                              double              alpha);
/* Sets series @index's line style (style->series_dashes) on @cr; solid
 * for a series without one. */
void            _ptl_plot_set_series_dash    (cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              guint               index);
void            _ptl_plot_set_dash           (cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              guint               dash);
const PtlRgba  *_ptl_plot_series_color       (const PtlPlotStyle *style,
                                              guint               index);

/* Widens [*min, *max] to the chart's fixed x range, if it has one. */
void            _ptl_plot_extend_to_x_range (PtlChart *chart,
                                             double   *min,
                                             double   *max);
/* Margins and gaps, in user units. */
double          _ptl_plot_padding            (const PtlPlotStyle *style);

/* Tick labels that fit in @length units along an axis. */
guint           _ptl_plot_max_labels         (double              length,
                                              double              label_size);

/* Whether labels @label_width wide at @axis' labelled ticks keep @gap
 * between them along @plot_width. */
gboolean        _ptl_x_labels_fit            (const PtlAxis      *axis,
                                              double              plot_width,
                                              double              label_width,
                                              double              gap);

typedef enum
{
  PTL_SWATCH_LINE,
  PTL_SWATCH_BAR,
  PTL_SWATCH_MARKER, /* a scatter chart's round marker (few points) */
  PTL_SWATCH_DOT,    /* a scatter chart's square dot (many points) */
} PtlSwatch;

typedef struct
{
  PangoLayout *layout;
  PtlRgba      color;
  gboolean     band;   /* a translucent box behind the swatch */
  gboolean     marker;
  guint        dash;   /* a line swatch's style, see _ptl_plot_set_dash () */
  cairo_pattern_t *pattern; /* fills a bar swatch instead of @color */
  double       x;      /* top-left, relative to the legend */
  double       y;
} PtlLegendEntry;

typedef struct
{
  PtlSwatch  swatch;
  GArray    *entries; /* PtlLegendEntry */
  double     height;
} PtlLegend;

void            _ptl_legend_init             (PtlLegend          *legend,
                                              PtlSwatch           swatch);
void            _ptl_legend_add              (PtlLegend          *legend,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              const char         *text,
                                              const PtlRgba      *color,
                                              gboolean            band,
                                              gboolean            marker);
/* One entry per series of @chart, in the series' colours. */
void            _ptl_legend_add_series       (PtlLegend          *legend,
                                              PtlChart           *chart,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              gboolean            markers);
/* Diagonal stripes in the style's muted colour, repeating: a fill that
 * stays apart from every flat colour and grey, for any colour vision and
 * in black-and-white print. */
cairo_pattern_t *_ptl_hatch_pattern_new      (const PtlPlotStyle *style);

/* Places the entries in rows across @width and sets the height. */
void            _ptl_legend_flow             (PtlLegend          *legend,
                                              const PtlPlotStyle *style,
                                              double              width);
void            _ptl_legend_draw             (PtlLegend          *legend,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              x,
                                              double              y);
void            _ptl_legend_clear            (PtlLegend          *legend);

/* The chart's title (NULL when it has none) wrapped to @width. */
PangoLayout    *_ptl_chart_title_new         (PtlChart           *chart,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              double              width);

/* An axis title: "Label" when ticks carry the unit, else "Label (unit)".
 * NULL when there is nothing to say. */
char           *_ptl_axis_title              (const char         *label,
                                              const char         *unit);

/* The y tick labels, widest width in *@width. */
GPtrArray      *_ptl_tick_layouts_new        (const PtlAxis      *axis,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              double             *width);

/* Horizontal grid lines at @y_axis' ticks, tick labels to the left of
 * @area, and the left and bottom axis lines. */
void            _ptl_draw_y_axis             (cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              const PtlAxis      *y_axis,
                                              GPtrArray          *tick_layouts,
                                              const PtlPlotArea  *area);
/* Vertical grid lines at @x_axis' ticks, their labels' tops at
 * @labels_y. */
void            _ptl_draw_x_axis             (cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              const PtlAxis      *x_axis,
                                              GPtrArray          *tick_layouts,
                                              const PtlPlotArea  *area,
                                              double              labels_y);
/* The y axis title, rotated, its top edge at @x. */
void            _ptl_draw_y_title            (cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              PangoLayout        *title,
                                              double              x,
                                              const PtlPlotArea  *area);

/* Dashed reference lines, clipped to @area, registered as marks. @x_axis
 * is NULL for bar charts, which draw horizontal references only; @y_axis
 * for timelines, which draw vertical ones only. */
void            _ptl_draw_reference_lines    (cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              PtlChart           *chart,
                                              const PtlAxis      *x_axis,
                                              const PtlAxis      *y_axis,
                                              const PtlPlotArea  *area,
                                              PtlLabelPlacer     *placer);
/* Their labels, placed once every mark is known: in @area clear of the
 * data, or with @labels_outside (horizontal lines) right of @area, in a
 * margin _ptl_reference_labels_width () wide. */
void            _ptl_draw_reference_labels   (cairo_t            *cr,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              PtlChart           *chart,
                                              const PtlAxis      *x_axis,
                                              const PtlAxis      *y_axis,
                                              const PtlPlotArea  *area,
                                              gboolean            labels_outside,
                                              PtlLabelPlacer     *placer);
double          _ptl_reference_labels_width  (PtlChart           *chart,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style);

/* A table laid out @width wide (ptl-report.c): drawn as its heading row
 * and then body rows [@first, @end), so a long table can go on over
 * pages with its heading repeated. */
typedef struct _PtlReportTable PtlReportTable;

PtlReportTable *_ptl_report_table_new        (PtlTable           *table,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              double              width);
guint           _ptl_report_table_get_n_rows (PtlReportTable     *self);
double          _ptl_report_table_get_header_height (PtlReportTable *self);
double          _ptl_report_table_get_row_height (PtlReportTable *self,
                                                  guint           row);
void            _ptl_report_table_draw       (PtlReportTable     *self,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              x,
                                              double              y,
                                              guint               first,
                                              guint               end);
void            _ptl_report_table_free       (PtlReportTable     *self);

/* A titled list of names and values (parameters, machine facts; the
 * latter with their translated labels), @width wide; nothing (height 0)
 * for an empty @object. */
typedef struct _PtlReportFacts PtlReportFacts;

PtlReportFacts *_ptl_report_facts_new        (JsonObject         *object,
                                              gboolean            machine,
                                              const char         *title,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              double              width);
double          _ptl_report_facts_get_height (PtlReportFacts     *self);
void            _ptl_report_facts_draw       (PtlReportFacts     *self,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              x,
                                              double              y);
void            _ptl_report_facts_free       (PtlReportFacts     *self);

/* The summary table, parameters and machine facts of a whole-figure
 * export (ptl-report.c), laid out @width wide. */
typedef struct _PtlReport PtlReport;

PtlReport      *_ptl_report_new              (PtlResult          *result,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              double              width);
double          _ptl_report_get_height       (PtlReport          *report);
void            _ptl_report_draw             (PtlReport          *report,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              x,
                                              double              y);
void            _ptl_report_free             (PtlReport          *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlReport, _ptl_report_free)

/* cairo writes files through a PtlExportWriter into an atomic file
 * (ptl-export.c); the first failed write is kept for the message. */
typedef struct
{
  PtlAtomicFile *file;
  GError        *error;
} PtlExportWriter;

/* A PDF surface writing to @writer, with @title (may be NULL) and the
 * lab as its creator in the metadata. */
cairo_surface_t *_ptl_export_pdf_surface_new (PtlExportWriter  *writer,
                                              const char       *title,
                                              double            width,
                                              double            height);
/* Finishes and destroys @surface; FALSE with the write's own error, or
 * with @status or the surface's, when anything failed. */
gboolean        _ptl_export_finish           (cairo_surface_t  *surface,
                                              cairo_status_t    status,
                                              PtlExportWriter  *writer,
                                              GError          **error);

/* "No data", centred in @area. */
void            _ptl_draw_no_data            (cairo_t            *cr,
                                              PangoContext       *context,
                                              const PtlPlotStyle *style,
                                              const PtlPlotArea  *area);

/* Chart units per device pixel column along x, for decimation. */
double          _ptl_plot_column_width       (cairo_t            *cr);

/* The renderers behind ptl_chart_draw () and ptl_chart_hit_test (). */
void            _ptl_line_plot_draw          (PtlChart           *chart,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              PtlLabelPlacer     *placer);
gboolean        _ptl_line_plot_hit_test      (PtlChart           *chart,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              double              px,
                                              double              py,
                                              PtlChartHit        *hit);
void            _ptl_graph_plot_draw         (PtlChart           *chart,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              PtlLabelPlacer     *placer);
/* A hit is a node: its index in hit->series. */
gboolean        _ptl_graph_plot_hit_test     (PtlChart           *chart,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              double              px,
                                              double              py,
                                              PtlChartHit        *hit);
void            _ptl_timeline_plot_draw      (PtlChart           *chart,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              PtlLabelPlacer     *placer);
gboolean        _ptl_timeline_plot_hit_test  (PtlChart           *chart,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              double              px,
                                              double              py,
                                              PtlChartHit        *hit);
void            _ptl_bar_plot_draw           (PtlChart           *chart,
                                              cairo_t            *cr,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              PtlLabelPlacer     *placer);
gboolean        _ptl_bar_plot_hit_test       (PtlChart           *chart,
                                              const PtlPlotStyle *style,
                                              double              width,
                                              double              height,
                                              double              px,
                                              double              py,
                                              PtlChartHit        *hit);

G_END_DECLS
