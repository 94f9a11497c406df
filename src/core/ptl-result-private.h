/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of PtlResult share: the result with its charts, series and
 * summary table is one object (one mutex guards all of it), split across
 * ptl-result.c, ptl-chart.c, ptl-table.c, ptl-result-json.c and
 * ptl-result-csv.c. */

#include "ptl-chart-graph.h"
#include "ptl-result.h"

G_BEGIN_DECLS

/* Series, categories and summary columns have a name, what a reader sees
 * (translated, capitalised), and an id, the stable key that lookups, CSV
 * and JSON use ("gil-threads"); the id is the name unless given. */
struct _PtlSeries
{
  PtlResult *owner;
  char      *id;
  char      *name;
  char      *band_label;
  GArray    *points;
  guint      capacity;   /* points @points has room for */
};

struct _PtlChart
{
  PtlResult    *owner;
  char         *id;
  char         *title;
  PtlChartKind  kind;
  char         *x_label;
  char         *x_unit;
  char         *y_label;
  char         *y_unit;
  gboolean      x_log;
  gboolean      y_log;
  double        x_min;      /* fixed range, NAN when unset */
  double        x_max;
  GStrv         categories;
  GStrv         category_ids; /* NULL: the names */
  GArray       *references;
  GPtrArray    *series;
  GPtrArray    *lanes;      /* timeline: lane names */
  GPtrArray    *keys;       /* timeline: key names */
  GArray       *key_muted;  /* timeline: gboolean per key */
  GArray       *key_like;   /* timeline: guint per key, the key whose colour it takes */
  GArray       *slices;
  double        slice_min;  /* timeline: extent of the finite slice ends, */
  double        slice_max;  /* kept as slices come so a draw need not scan */
  GArray       *markers;
  PtlGraph     *graph;      /* graph: ptl-chart-graph.c */
  GArray       *series_colors; /* guint per series, NULL: the palette's order */
  GArray       *series_dashes; /* guint per series, with series_colors */
};

typedef struct
{
  gboolean  is_number;
  double    number;
  char     *text;
} Cell;

struct _PtlTable
{
  PtlResult *owner;
  GPtrArray *column_names;
  GPtrArray *column_ids;
  GPtrArray *row_ids;   /* "" for a row without one */
  GPtrArray *column_units;
  GPtrArray *rows; /* of GArray of Cell */
};

typedef struct
{
  char   *name;
  char   *unit;
  GArray *values;
} Samples;

struct _PtlResult
{
  GObject     parent_instance;

  /* Taken by every mutator and by copy, so a worker can fill the result
   * while the main thread snapshots it. */
  GMutex      mutex;

  char       *experiment_id;
  char       *title;
  JsonObject *parameters;
  JsonObject *machine;
  GPtrArray  *warnings;
  char       *partial;
  GPtrArray  *notes;
  GPtrArray  *charts;
  PtlTable   *summary;
  GPtrArray  *samples;
};

PtlChart  *_ptl_chart_new       (PtlResult    *owner,
                                 const char   *id,
                                 PtlChartKind  kind,
                                 const char   *title);
void       _ptl_chart_free      (PtlChart     *chart);
PtlSeries *_ptl_series_new      (PtlResult    *owner,
                                 const char   *id,
                                 const char   *name);
PtlTable  *_ptl_table_new       (PtlResult    *owner);
void       _ptl_table_free      (PtlTable     *table);
GArray    *_ptl_table_row_new   (guint         n_columns);

G_END_DECLS
