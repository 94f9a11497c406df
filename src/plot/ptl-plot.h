/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "ptl-core.h"

G_BEGIN_DECLS

typedef struct
{
  double red, green, blue, alpha;
} PtlRgba;

#define PTL_PLOT_N_SERIES_COLORS 8

/* Everything a renderer needs to know about looks. The GUI fills it from
 * the theme (light or dark); exports use the report style. Series colours
 * are a colour-blind-safe palette (Okabe–Ito order). */
typedef struct
{
  PtlRgba     background;
  PtlRgba     foreground;  /* titles, axis lines, tick labels */
  PtlRgba     muted;       /* axis labels, legend text, notes */
  PtlRgba     grid;
  PtlRgba     reference;   /* reference lines ("ideal", "2 cores") */
  PtlRgba     series[PTL_PLOT_N_SERIES_COLORS];
  const char *font_family; /* "Cantarell" */
  double      font_size;   /* in user-space units at scale 1 */
  double      line_width;
  gboolean    dark;
  /* Optional looks per series, for runs overlaid (Compare): line series i
   * takes palette colour series_colors[i] and line style series_dashes[i]
   * (0 solid, then dashed, dotted, dash-dot …). Series past
   * n_series_looks take colour i, solid. Borrowed; the init functions
   * set none. */
  const guint *series_colors;
  const guint *series_dashes;
  guint        n_series_looks;
} PtlPlotStyle;

void      ptl_plot_style_init_light  (PtlPlotStyle       *style);
void      ptl_plot_style_init_dark   (PtlPlotStyle       *style);
/* White background, print-friendly weights: the default for exports. */
void      ptl_plot_style_init_report (PtlPlotStyle       *style);

/* Draws one chart into (0, 0, width, height) of @cr, dispatching on the
 * chart's kind (line, bar, timeline or graph). Never changes @cr's state for the
 * caller. */
void      ptl_chart_draw             (PtlChart           *chart,
                                      cairo_t            *cr,
                                      const PtlPlotStyle *style,
                                      double              width,
                                      double              height);

/* A figure: the result's title, every chart (or only @chart_id) tiled in
 * a grid, and the result's notes underneath, as a report would show it. */
void      ptl_figure_draw            (PtlResult          *result,
                                      const char         *chart_id,
                                      cairo_t            *cr,
                                      const PtlPlotStyle *style,
                                      double              width,
                                      double              height);

/* What lies under a pointer at (@px, @py) in a chart drawn at
 * @width × @height: the nearest point of a line chart, or the bar,
 * timeline slice or graph node under the pointer, for tooltips. FALSE when nothing is
 * close enough. */
typedef struct
{
  guint  series; /* index into the chart's series (a timeline: the lane;
                  * a graph: the node) */
  guint  point;  /* index into that series' points (a timeline: into
                  * ptl_chart_get_slices ()) */
  double px;     /* where to put a marker, in the chart's coordinates */
  double py;
} PtlChartHit;

gboolean  ptl_chart_hit_test         (PtlChart           *chart,
                                      const PtlPlotStyle *style,
                                      double              width,
                                      double              height,
                                      double              px,
                                      double              py,
                                      PtlChartHit        *hit);

/* The colour a timeline draws @key in: the palette in key order,
 * muted keys in a neutral tint, keys added "like" another in its colour. */
PtlRgba   ptl_chart_get_key_color    (PtlChart           *chart,
                                      const PtlPlotStyle *style,
                                      guint               key);

/* A box in a chart's coordinates (y grows downwards). */
typedef struct
{
  double x;
  double y;
  double width;
  double height;
} PtlBox;

/* Whether @a and @b share some area (touching edges do not count). */
gboolean  ptl_boxes_overlap          (const PtlBox       *a,
                                      const PtlBox       *b);

/* What ptl_chart_draw () at @width × @height puts where, for tests and
 * tools: in *@marks the box of every data mark (bars, error bars, line
 * segments, markers, bands, timeline slices, reference lines), in
 * *@labels the box of every label placed among them (bar values,
 * reference labels), each a GArray of PtlBox to unref. The renderers
 * place each label where it overlaps no mark and no other label, or
 * leave it out (its value stays in the tooltip). */
void      ptl_chart_get_boxes        (PtlChart           *chart,
                                      const PtlPlotStyle *style,
                                      double              width,
                                      double              height,
                                      GArray            **marks,
                                      GArray            **labels);

typedef enum
{
  PTL_EXPORT_PNG,
  PTL_EXPORT_SVG,
  PTL_EXPORT_PDF,
  PTL_EXPORT_CSV,
  PTL_EXPORT_JSON,
} PtlExportFormat;

typedef struct
{
  const char         *chart_id; /* NULL: the whole figure */
  double              width;    /* logical size; 0 picks a report size */
  double              height;
  double              scale;    /* PNG pixels per unit; 0 means 1, or 2
                                 * when width and height are 0 too */
  const PtlPlotStyle *style;    /* NULL: the report style */
} PtlExportOptions;

/* What the CLI and the export dialog accept: sides in pixels (points
 * for SVG and PDF), and PNG pixels per unit. A PNG is further held to
 * PTL_EXPORT_MAX_PIXELS a side (width or height times scale). */
#define PTL_EXPORT_MAX_SIDE   20000
#define PTL_EXPORT_MAX_SCALE  8
#define PTL_EXPORT_MAX_PIXELS 32767

/* Format from the file name's extension (case-insensitive). */
gboolean  ptl_export_format_from_path (const char        *path,
                                       PtlExportFormat   *format,
                                       GError           **error);
/* Checks what can be checked of an export to @path before there is a
 * result: the format from the extension, sizes and scale finite and not
 * negative, and for PNG each side given within what an image holds. The
 * chart id and a side left to the figure's shape are checked on writing. */
gboolean  ptl_export_check_options    (const char              *path,
                                       const PtlExportOptions  *options,
                                       GError                 **error);
/* The size and scale an image export of @result with @options (not
 * NULL) draws at: a side left at 0 keeps the figure's shape (see
 * ptl_figure_get_default_size ()), both at 0 give its report size with
 * twice the pixels unless a scale was asked; @style NULL: the report
 * style. */
void      ptl_export_get_size         (PtlResult              *result,
                                       const PtlExportOptions *options,
                                       double                 *width,
                                       double                 *height,
                                       double                 *scale);
/* Writes @result into @file in the format its path names, without
 * committing it, so a caller can write several files and then commit
 * them all, or none when interrupted. @options may be NULL. */
gboolean  ptl_export_write            (PtlResult              *result,
                                       PtlAtomicFile          *file,
                                       const PtlExportOptions *options,
                                       GError                **error);
/* Writes @result to @path in the format its extension names. Atomic: on
 * failure no file (and no partial file) is left at @path. @options may be
 * NULL. */
gboolean  ptl_export_to_file          (PtlResult              *result,
                                       const char             *path,
                                       const PtlExportOptions *options,
                                       GError                **error);

/* A report of @n_runs results as a multi-page A4 portrait PDF written
 * into @file (not committed): a title page (experiment, date, machine,
 * warnings), each chart at the page's width, the summary table (over
 * several pages when long, its heading repeated), the parameters, the
 * notes, and @explanation (How It Works; may be NULL) under the
 * experiment's one-line @summary (may be NULL). Two or more runs of one
 * experiment make a comparison report: the overlaid charts and the
 * side-by-side table first, then each run. @names name the runs (see
 * ptl_compare_dup_run_name ()). Text is text, fonts embedded; every page
 * has a footer with its number. Fails with PTL_ERROR_INVALID_PARAMETER
 * for runs of different experiments or more than PTL_COMPARE_MAX_RUNS. */
gboolean  ptl_report_write_pdf        (PtlResult * const      *results,
                                       const char * const     *names,
                                       guint                   n_runs,
                                       const char             *summary,
                                       const char             *explanation,
                                       PtlAtomicFile          *file,
                                       GError                **error);

/* The size ptl_export_to_file () picks when none is given: 960 × 640 for
 * one chart, a grid two charts wide for more, with room for the title and
 * the notes as laid out in @style (NULL: the report style). */
void      ptl_figure_get_default_size (PtlResult          *result,
                                       const char         *chart_id,
                                       const PtlPlotStyle *style,
                                       double             *width,
                                       double             *height);

/* Times ptl_chart_draw () of an @n_points noisy line chart on a 1200 × 800
 * ARGB32 image with the report style, @repeats times after one untimed
 * warm-up; the data is built outside the timed region. Fills
 * @seconds_per_render. */
gboolean  ptl_plot_bench_line         (guint                   n_points,
                                       guint                   repeats,
                                       PtlStats               *seconds_per_render,
                                       GError                **error);
/* The same for a Gantt chart of @n_slices slices: a round robin of 10
 * processes on one CPU, with a context switch between quanta. */
gboolean  ptl_plot_bench_timeline     (guint                   n_slices,
                                       guint                   repeats,
                                       PtlStats               *seconds_per_render,
                                       GError                **error);

/* The same for a thread-state timeline of @n_spans recorded spans: 8
 * threads waiting for and holding two locks in turn. */
gboolean  ptl_plot_bench_thread_states (guint                  n_spans,
                                        guint                  repeats,
                                        PtlStats              *seconds_per_render,
                                        GError               **error);

G_END_DECLS
