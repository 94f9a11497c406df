/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ptl-types.h"

G_BEGIN_DECLS

/* One measured point. lo/hi carry an optional band (p5–p95, min–max) or
 * error bar; they are NAN when the series has none. */
typedef struct
{
  double x;
  double y;
  double lo;
  double hi;
} PtlPoint;

typedef enum
{
  PTL_REFERENCE_HORIZONTAL, /* y = value, e.g. "2 cores" on a speedup axis */
  PTL_REFERENCE_VERTICAL,   /* x = value, e.g. "cores" on a worker-count axis */
  PTL_REFERENCE_DIAGONAL,   /* y = value * x, e.g. "ideal speedup" (value 1) */
} PtlReferenceKind;

/* A timeline slice: lane @lane was busy with @key from @start to @end (x
 * axis units). Keys are the legend: a process, a thread, "idle". */
typedef struct
{
  guint  lane;
  guint  key;
  double start;
  double end;
} PtlSlice;

/* A point event on a lane, e.g. an arrival. */
typedef struct
{
  guint  lane;
  double x;
} PtlMarker;

typedef struct
{
  PtlReferenceKind kind;
  double value;
  char *label;
} PtlReference;

#define PTL_TYPE_RESULT (ptl_result_get_type ())
G_DECLARE_FINAL_TYPE (PtlResult, ptl_result, PTL, RESULT, GObject)

/* A PtlResult is safe to fill from one worker thread while other threads
 * copy it: every mutator and ptl_result_copy () take the result's lock.
 * Readers (plot, GUI, CLI) must work on a copy or on a finished result. */
PtlResult       *ptl_result_new                (const char       *experiment_id,
                                                const char       *title);
PtlResult       *ptl_result_copy               (PtlResult        *self);
const char      *ptl_result_get_experiment_id  (PtlResult        *self);
const char      *ptl_result_get_title          (PtlResult        *self);

/* name -> value of every parameter used, and machine facts. Borrowed;
 * setters take a reference. */
JsonObject      *ptl_result_get_parameters     (PtlResult        *self);
void             ptl_result_set_parameters     (PtlResult        *self,
                                                JsonObject       *parameters);
JsonObject      *ptl_result_get_machine        (PtlResult        *self);
void             ptl_result_set_machine        (PtlResult        *self,
                                                JsonObject       *machine);

/* What casts doubt on the figures ("ran in a VM", "noisy"): shown first
 * and marked. */
void             ptl_result_add_warning        (PtlResult        *self,
                                                const char       *format,
                                                ...) G_GNUC_PRINTF (2, 3);
guint            ptl_result_get_n_warnings     (PtlResult        *self);
const char      *ptl_result_get_warning        (PtlResult        *self,
                                                guint             index);

/* A result cut short says so. @reason says how, e.g. "cancelled after
 * 3.2 s"; marking puts "Partial result — REASON: …" first among the
 * warnings (so every view and figure shows it) and JSON carries the
 * reason as "partial". A result is marked once. */
void             ptl_result_mark_partial       (PtlResult        *self,
                                                const char       *reason);
/* The reason, or NULL for a complete result. */
const char      *ptl_result_get_partial        (PtlResult        *self);

/* What a reader needs to read the figures right: method, limits, causes. */
void             ptl_result_add_note           (PtlResult        *self,
                                                const char       *format,
                                                ...) G_GNUC_PRINTF (2, 3);
guint            ptl_result_get_n_notes        (PtlResult        *self);
const char      *ptl_result_get_note           (PtlResult        *self,
                                                guint             index);

/* Raw samples kept for re-analysis (exported in JSON only). */
void             ptl_result_add_samples        (PtlResult        *self,
                                                const char       *name,
                                                const char       *unit,
                                                const double     *values,
                                                gsize             n_values);

/* Charts. The returned pointers are borrowed and live as long as @self. */
PtlChart        *ptl_result_add_chart          (PtlResult        *self,
                                                const char       *id,
                                                PtlChartKind      kind,
                                                const char       *title);
guint            ptl_result_get_n_charts       (PtlResult        *self);
PtlChart        *ptl_result_get_chart          (PtlResult        *self,
                                                guint             index);
PtlChart        *ptl_result_find_chart         (PtlResult        *self,
                                                const char       *id);

void             ptl_chart_set_x_axis          (PtlChart         *chart,
                                                const char       *label,
                                                const char       *unit,
                                                gboolean          log_scale);
void             ptl_chart_set_y_axis          (PtlChart         *chart,
                                                const char       *label,
                                                const char       *unit,
                                                gboolean          log_scale);
/* A fixed x range the chart spans at least, so charts compared side by
 * side share one axis; NAN for either end means "from the data". */
void             ptl_chart_set_x_range         (PtlChart         *chart,
                                                double            min,
                                                double            max);
/* FALSE when no range was set. */
gboolean         ptl_chart_get_x_range         (PtlChart         *chart,
                                                double           *min,
                                                double           *max);
/* How to tell overlaid runs apart (Compare): line series i takes palette
 * colour @colors[i] and line style @dashes[i] (0 solid, then dashed,
 * dotted …), wherever the chart is drawn. Copied; n_series 0 clears. */
void             ptl_chart_set_series_looks    (PtlChart         *chart,
                                                const guint      *colors,
                                                const guint      *dashes,
                                                guint             n_series);
/* FALSE when none were set; the arrays stay the chart's. */
gboolean         ptl_chart_get_series_looks    (PtlChart         *chart,
                                                const guint     **colors,
                                                const guint     **dashes,
                                                guint            *n_series);
/* For PTL_CHART_BAR: the x categories; a point's x is the category index.
 * Like series and summary columns, categories have names, what readers
 * see (capitalised, translated), and ids, the stable keys CSV and JSON
 * carry and lookups use ("gil-threads"); without ids the names are both. */
void             ptl_chart_set_categories      (PtlChart         *chart,
                                                const char * const *categories);
/* @ids and @names have the same length. */
void             ptl_chart_set_categories_with_ids (PtlChart     *chart,
                                                const char * const *ids,
                                                const char * const *names);
void             ptl_chart_add_reference       (PtlChart         *chart,
                                                PtlReferenceKind  kind,
                                                double            value,
                                                const char       *label);
/* A series whose id is its name. */
PtlSeries       *ptl_chart_add_series          (PtlChart         *chart,
                                                const char       *name);
PtlSeries       *ptl_chart_add_series_with_id  (PtlChart         *chart,
                                                const char       *id,
                                                const char       *name);

const char      *ptl_chart_get_id              (PtlChart         *chart);
const char      *ptl_chart_get_title           (PtlChart         *chart);
PtlChartKind     ptl_chart_get_kind            (PtlChart         *chart);
const char      *ptl_chart_get_x_label         (PtlChart         *chart);
const char      *ptl_chart_get_x_unit          (PtlChart         *chart);
gboolean         ptl_chart_get_x_log           (PtlChart         *chart);
const char      *ptl_chart_get_y_label         (PtlChart         *chart);
const char      *ptl_chart_get_y_unit          (PtlChart         *chart);
gboolean         ptl_chart_get_y_log           (PtlChart         *chart);
/* The names, NULL-terminated, NULL when the chart has none. */
const char * const *ptl_chart_get_categories   (PtlChart         *chart);
const char * const *ptl_chart_get_category_ids (PtlChart         *chart);
guint            ptl_chart_get_n_categories    (PtlChart         *chart);
guint            ptl_chart_get_n_references    (PtlChart         *chart);
const PtlReference *ptl_chart_get_reference    (PtlChart         *chart,
                                                guint             index);
guint            ptl_chart_get_n_series        (PtlChart         *chart);
PtlSeries       *ptl_chart_get_series          (PtlChart         *chart,
                                                guint             index);
/* By id. */
PtlSeries       *ptl_chart_find_series         (PtlChart         *chart,
                                                const char       *id);

/* For PTL_CHART_TIMELINE. Lanes draw top to bottom in the order added;
 * a muted key (idle, context switch) draws in a neutral colour. Indices
 * returned are what slices and markers refer to. */
guint            ptl_chart_add_lane            (PtlChart         *chart,
                                                const char       *name);
guint            ptl_chart_add_key             (PtlChart         *chart,
                                                const char       *name,
                                                gboolean          muted);
/* A key drawn in @like's colour and not listed in the legend on its own:
 * a detail of that key (the lock a "waiting" slice waited for) that a
 * hover names. */
guint            ptl_chart_add_key_like        (PtlChart         *chart,
                                                const char       *name,
                                                guint             like);
/* The key whose colour @key takes: itself unless added with
 * ptl_chart_add_key_like (). */
guint            ptl_chart_get_key_like        (PtlChart         *chart,
                                                guint             key);
void             ptl_chart_add_slice           (PtlChart         *chart,
                                                guint             lane,
                                                guint             key,
                                                double            start,
                                                double            end);
void             ptl_chart_add_marker          (PtlChart         *chart,
                                                guint             lane,
                                                double            x);
guint            ptl_chart_get_n_lanes         (PtlChart         *chart);
const char      *ptl_chart_get_lane            (PtlChart         *chart,
                                                guint             lane);
guint            ptl_chart_get_n_keys          (PtlChart         *chart);
const char      *ptl_chart_get_key             (PtlChart         *chart,
                                                guint             key);
gboolean         ptl_chart_get_key_muted       (PtlChart         *chart,
                                                guint             key);
const PtlSlice  *ptl_chart_get_slices          (PtlChart         *chart,
                                                guint            *n_slices);
/* The earliest and latest finite slice ends; FALSE without any. */
gboolean         ptl_chart_get_slice_extent    (PtlChart         *chart,
                                                double           *min,
                                                double           *max);
const PtlMarker *ptl_chart_get_markers         (PtlChart         *chart,
                                                guint            *n_markers);

void             ptl_series_add_point          (PtlSeries        *series,
                                                double            x,
                                                double            y);
void             ptl_series_add_point_band     (PtlSeries        *series,
                                                double            x,
                                                double            y,
                                                double            lo,
                                                double            hi);
/* Appends @n_points points under one lock: for loaders and importers. */
void             ptl_series_add_points         (PtlSeries        *series,
                                                const PtlPoint   *points,
                                                guint             n_points);
/* What the band means, e.g. "p5–p95"; setting it marks the series as banded. */
void             ptl_series_set_band_label     (PtlSeries        *series,
                                                const char       *label);
const char      *ptl_series_get_id             (PtlSeries        *series);
const char      *ptl_series_get_name           (PtlSeries        *series);
const char      *ptl_series_get_band_label     (PtlSeries        *series);
gboolean         ptl_series_has_band           (PtlSeries        *series);
const PtlPoint  *ptl_series_get_points         (PtlSeries        *series,
                                                guint            *n_points);

/* The summary table: one row per case, typed cells, units per column. */
PtlTable        *ptl_result_get_summary        (PtlResult        *self);
/* A column whose id is its name. */
guint            ptl_table_add_column          (PtlTable         *table,
                                                const char       *name,
                                                const char       *unit);
guint            ptl_table_add_column_with_id  (PtlTable         *table,
                                                const char       *id,
                                                const char       *name,
                                                const char       *unit);
guint            ptl_table_add_row             (PtlTable         *table);
/* A row with an id for lookups and JSON ("gil-threads") while its cells
 * show names. */
guint            ptl_table_add_row_with_id     (PtlTable         *table,
                                                const char       *id);
/* The row of that id, or else whose first cell's text it is; -1 when
 * there is none. */
int              ptl_table_find_row            (PtlTable         *table,
                                                const char       *id);
void             ptl_table_set_text            (PtlTable         *table,
                                                guint             row,
                                                guint             column,
                                                const char       *text);
void             ptl_table_set_number          (PtlTable         *table,
                                                guint             row,
                                                guint             column,
                                                double            value);
guint            ptl_table_get_n_rows          (PtlTable         *table);
guint            ptl_table_get_n_columns       (PtlTable         *table);
/* By id; -1 when there is none. */
int              ptl_table_find_column         (PtlTable         *table,
                                                const char       *id);
const char      *ptl_table_get_column_id       (PtlTable         *table,
                                                guint             column);
const char      *ptl_table_get_column_name     (PtlTable         *table,
                                                guint             column);
const char      *ptl_table_get_column_unit     (PtlTable         *table,
                                                guint             column);
gboolean         ptl_table_cell_is_number      (PtlTable         *table,
                                                guint             row,
                                                guint             column);
double           ptl_table_get_number          (PtlTable         *table,
                                                guint             row,
                                                guint             column);
const char      *ptl_table_get_text            (PtlTable         *table,
                                                guint             row,
                                                guint             column);
/* A number formatted by its column's unit, or the text; never NULL. */
char            *ptl_table_format_cell         (PtlTable         *table,
                                                guint             row,
                                                guint             column);
/* The whole table as aligned plain text, for the CLI. */
guint            ptl_text_get_columns          (const char       *text);
char            *ptl_table_format_text         (PtlTable         *table);

/* Files. Saves are atomic: a failed save leaves no partial file. */
JsonNode        *ptl_result_to_json            (PtlResult        *self);
PtlResult       *ptl_result_new_from_json      (JsonNode         *node,
                                                GError          **error);
char            *ptl_result_to_json_string     (PtlResult        *self);
gboolean         ptl_result_save_json          (PtlResult        *self,
                                                const char       *path,
                                                GError          **error);
PtlResult       *ptl_result_load_json          (const char       *path,
                                                GError          **error);
/* Tidy CSV: one row per (chart, series, x) with y and the band. A
 * timeline slice is a row whose series is its lane (with ": key" when the
 * key differs), x its start and y its end. */
char            *ptl_result_to_csv             (PtlResult        *self);
gboolean         ptl_result_save_csv           (PtlResult        *self,
                                                const char       *path,
                                                GError          **error);

/* Appends one CSV field, quoted as RFC 4180 requires (and when it has
 * surrounding blanks or starts with '#'). */
void             ptl_csv_append_field          (GString          *out,
                                                const char       *field);

G_END_DECLS
