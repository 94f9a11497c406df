/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-result"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-chart-graph.h"
#include "ptl-file.h"
#include "ptl-json.h"
#include "ptl-result.h"
#include "ptl-stats.h"

#define RESULT_FORMAT  "ptlab-result"
#define RESULT_VERSION 1

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

G_DEFINE_FINAL_TYPE (PtlResult, ptl_result, G_TYPE_OBJECT)

G_DEFINE_QUARK (ptl-error-quark, ptl_error)

static const char *chart_kind_names[] = { "line", "bar", "timeline", "graph" };
static const char *reference_kind_names[] = { "horizontal", "vertical", "diagonal" };

static void
series_free (PtlSeries *series)
{
  g_free (series->id);
  g_free (series->name);
  g_free (series->band_label);
  g_array_unref (series->points);
  g_free (series);
}

static void
reference_clear (gpointer data)
{
  PtlReference *reference = data;

  g_free (reference->label);
}

static void
chart_free (PtlChart *chart)
{
  g_free (chart->id);
  g_free (chart->title);
  g_free (chart->x_label);
  g_free (chart->x_unit);
  g_free (chart->y_label);
  g_free (chart->y_unit);
  g_strfreev (chart->categories);
  g_strfreev (chart->category_ids);
  g_array_unref (chart->references);
  g_ptr_array_unref (chart->series);
  g_ptr_array_unref (chart->lanes);
  g_ptr_array_unref (chart->keys);
  g_array_unref (chart->key_muted);
  g_array_unref (chart->key_like);
  g_array_unref (chart->slices);
  g_array_unref (chart->markers);
  g_clear_pointer (&chart->graph, ptl_graph_free);
  g_free (chart);
}

static void
cell_clear (gpointer data)
{
  Cell *cell = data;

  g_free (cell->text);
}

static GArray *
row_new (guint n_columns)
{
  GArray *row = g_array_sized_new (FALSE, TRUE, sizeof (Cell), n_columns);

  g_array_set_clear_func (row, cell_clear);
  g_array_set_size (row, n_columns);
  for (guint i = 0; i < n_columns; i++)
    g_array_index (row, Cell, i).number = NAN;
  return row;
}

static PtlTable *
table_new (PtlResult *owner)
{
  PtlTable *table = g_new0 (PtlTable, 1);

  table->owner = owner;
  table->column_names = g_ptr_array_new_with_free_func (g_free);
  table->column_ids = g_ptr_array_new_with_free_func (g_free);
  table->row_ids = g_ptr_array_new_with_free_func (g_free);
  table->column_units = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  return table;
}

static void
table_free (PtlTable *table)
{
  g_ptr_array_unref (table->column_names);
  g_ptr_array_unref (table->column_ids);
  g_ptr_array_unref (table->row_ids);
  g_ptr_array_unref (table->column_units);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

static void
samples_free (Samples *samples)
{
  g_free (samples->name);
  g_free (samples->unit);
  g_array_unref (samples->values);
  g_free (samples);
}

static PtlChart *
chart_new (PtlResult    *owner,
           const char   *id,
           PtlChartKind  kind,
           const char   *title)
{
  PtlChart *chart = g_new0 (PtlChart, 1);

  chart->owner = owner;
  chart->id = g_strdup (id);
  chart->kind = kind;
  chart->title = g_strdup (title);
  chart->x_label = g_strdup ("");
  chart->x_unit = g_strdup ("");
  chart->y_label = g_strdup ("");
  chart->y_unit = g_strdup ("");
  chart->x_min = NAN;
  chart->x_max = NAN;
  chart->references = g_array_new (FALSE, TRUE, sizeof (PtlReference));
  g_array_set_clear_func (chart->references, reference_clear);
  chart->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  chart->lanes = g_ptr_array_new_with_free_func (g_free);
  chart->keys = g_ptr_array_new_with_free_func (g_free);
  chart->key_muted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  chart->key_like = g_array_new (FALSE, FALSE, sizeof (guint));
  chart->slices = g_array_new (FALSE, FALSE, sizeof (PtlSlice));
  chart->slice_min = INFINITY;
  chart->slice_max = -INFINITY;
  chart->markers = g_array_new (FALSE, FALSE, sizeof (PtlMarker));
  return chart;
}

static PtlSeries *
series_new (PtlResult  *owner,
            const char *id,
            const char *name)
{
  PtlSeries *series = g_new0 (PtlSeries, 1);

  series->owner = owner;
  series->id = g_strdup (id);
  series->name = g_strdup (name);
  series->points = g_array_new (FALSE, FALSE, sizeof (PtlPoint));
  return series;
}

static void
ptl_result_finalize (GObject *object)
{
  PtlResult *self = (PtlResult *) object;

  g_free (self->experiment_id);
  g_free (self->title);
  g_clear_pointer (&self->parameters, json_object_unref);
  g_clear_pointer (&self->machine, json_object_unref);
  g_ptr_array_unref (self->warnings);
  g_free (self->partial);
  g_ptr_array_unref (self->notes);
  g_ptr_array_unref (self->charts);
  table_free (self->summary);
  g_ptr_array_unref (self->samples);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ptl_result_parent_class)->finalize (object);
}

static void
ptl_result_class_init (PtlResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_result_finalize;
}

static void
ptl_result_init (PtlResult *self)
{
  g_mutex_init (&self->mutex);
  self->parameters = json_object_new ();
  self->machine = json_object_new ();
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  self->charts = g_ptr_array_new_with_free_func ((GDestroyNotify) chart_free);
  self->summary = table_new (self);
  self->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) samples_free);
}

PtlResult *
ptl_result_new (const char *experiment_id,
                const char *title)
{
  PtlResult *self;

  g_return_val_if_fail (experiment_id != NULL, NULL);

  self = g_object_new (PTL_TYPE_RESULT, NULL);
  self->experiment_id = g_strdup (experiment_id);
  self->title = g_strdup (title ? title : experiment_id);
  return self;
}

static JsonObject *json_object_copy (JsonObject *object);

/* json_node_copy () shares objects, arrays and values by reference, and
 * json-glib's reference counts are not atomic: a copy handed to another
 * thread (a progress snapshot) must share nothing with the original. */
static JsonNode *
json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_copy (json_node_get_object (node));

        return json_node_init_object (json_node_alloc (), object);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) elements = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (elements, json_node_deep_copy (json_array_get_element (array, i)));
        return json_node_init_array (json_node_alloc (), elements);
      }
    case JSON_NODE_VALUE:
      copy = json_node_alloc ();
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return json_node_init_int (copy, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return json_node_init_double (copy, json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return json_node_init_boolean (copy, json_node_get_boolean (node));
        default:
          return json_node_init_string (copy, json_node_get_string (node));
        }
    case JSON_NODE_NULL:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

static JsonObject *
json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, json_node_deep_copy (member));
  return copy;
}

PtlResult *
ptl_result_copy (PtlResult *self)
{
  PtlResult *copy;

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  copy = ptl_result_new (self->experiment_id, self->title);

  g_mutex_lock (&self->mutex);

  json_object_unref (copy->parameters);
  copy->parameters = json_object_copy (self->parameters);
  json_object_unref (copy->machine);
  copy->machine = json_object_copy (self->machine);

  for (guint i = 0; i < self->warnings->len; i++)
    g_ptr_array_add (copy->warnings, g_strdup (g_ptr_array_index (self->warnings, i)));
  copy->partial = g_strdup (self->partial);
  for (guint i = 0; i < self->notes->len; i++)
    g_ptr_array_add (copy->notes, g_strdup (g_ptr_array_index (self->notes, i)));

  for (guint i = 0; i < self->charts->len; i++)
    {
      PtlChart *chart = g_ptr_array_index (self->charts, i);
      PtlChart *chart_copy = chart_new (copy, chart->id, chart->kind, chart->title);

      g_free (chart_copy->x_label);
      chart_copy->x_label = g_strdup (chart->x_label);
      g_free (chart_copy->x_unit);
      chart_copy->x_unit = g_strdup (chart->x_unit);
      g_free (chart_copy->y_label);
      chart_copy->y_label = g_strdup (chart->y_label);
      g_free (chart_copy->y_unit);
      chart_copy->y_unit = g_strdup (chart->y_unit);
      chart_copy->x_log = chart->x_log;
      chart_copy->x_min = chart->x_min;
      chart_copy->x_max = chart->x_max;
      chart_copy->y_log = chart->y_log;
      chart_copy->categories = g_strdupv (chart->categories);
      chart_copy->category_ids = g_strdupv (chart->category_ids);

      for (guint j = 0; j < chart->references->len; j++)
        {
          PtlReference reference = g_array_index (chart->references, PtlReference, j);

          reference.label = g_strdup (reference.label);
          g_array_append_val (chart_copy->references, reference);
        }

      for (guint j = 0; j < chart->series->len; j++)
        {
          PtlSeries *series = g_ptr_array_index (chart->series, j);
          PtlSeries *series_copy = series_new (copy, series->id, series->name);

          series_copy->band_label = g_strdup (series->band_label);
          g_array_append_vals (series_copy->points, series->points->data, series->points->len);
          g_ptr_array_add (chart_copy->series, series_copy);
        }

      for (guint j = 0; j < chart->lanes->len; j++)
        g_ptr_array_add (chart_copy->lanes, g_strdup (g_ptr_array_index (chart->lanes, j)));
      for (guint j = 0; j < chart->keys->len; j++)
        g_ptr_array_add (chart_copy->keys, g_strdup (g_ptr_array_index (chart->keys, j)));
      g_array_append_vals (chart_copy->key_muted, chart->key_muted->data, chart->key_muted->len);
      g_array_append_vals (chart_copy->key_like, chart->key_like->data, chart->key_like->len);
      g_array_append_vals (chart_copy->slices, chart->slices->data, chart->slices->len);
      chart_copy->slice_min = chart->slice_min;
      chart_copy->slice_max = chart->slice_max;
      g_array_append_vals (chart_copy->markers, chart->markers->data, chart->markers->len);
      if (chart->graph != NULL)
        chart_copy->graph = ptl_graph_copy (chart->graph);

      g_ptr_array_add (copy->charts, chart_copy);
    }

  for (guint i = 0; i < self->summary->column_names->len; i++)
    {
      g_ptr_array_add (copy->summary->column_names,
                       g_strdup (g_ptr_array_index (self->summary->column_names, i)));
      g_ptr_array_add (copy->summary->column_ids,
                       g_strdup (g_ptr_array_index (self->summary->column_ids, i)));
      g_ptr_array_add (copy->summary->column_units,
                       g_strdup (g_ptr_array_index (self->summary->column_units, i)));
    }
  for (guint i = 0; i < self->summary->rows->len; i++)
    {
      GArray *row = g_ptr_array_index (self->summary->rows, i);
      GArray *row_copy = row_new (row->len);

      g_ptr_array_add (copy->summary->row_ids, g_strdup (g_ptr_array_index (self->summary->row_ids, i)));

      for (guint j = 0; j < row->len; j++)
        {
          const Cell *cell = &g_array_index (row, Cell, j);
          Cell *cell_copy = &g_array_index (row_copy, Cell, j);

          cell_copy->is_number = cell->is_number;
          cell_copy->number = cell->number;
          cell_copy->text = g_strdup (cell->text);
        }
      g_ptr_array_add (copy->summary->rows, row_copy);
    }

  for (guint i = 0; i < self->samples->len; i++)
    {
      Samples *samples = g_ptr_array_index (self->samples, i);
      Samples *samples_copy = g_new0 (Samples, 1);

      samples_copy->name = g_strdup (samples->name);
      samples_copy->unit = g_strdup (samples->unit);
      samples_copy->values = g_array_copy (samples->values);
      g_ptr_array_add (copy->samples, samples_copy);
    }

  g_mutex_unlock (&self->mutex);

  return copy;
}

const char *
ptl_result_get_experiment_id (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->experiment_id;
}

const char *
ptl_result_get_title (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->title;
}

JsonObject *
ptl_result_get_parameters (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->parameters;
}

void
ptl_result_set_parameters (PtlResult  *self,
                           JsonObject *parameters)
{
  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (parameters != NULL);

  g_mutex_lock (&self->mutex);
  json_object_ref (parameters);
  json_object_unref (self->parameters);
  self->parameters = parameters;
  g_mutex_unlock (&self->mutex);
}

JsonObject *
ptl_result_get_machine (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->machine;
}

void
ptl_result_set_machine (PtlResult  *self,
                        JsonObject *machine)
{
  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (machine != NULL);

  g_mutex_lock (&self->mutex);
  json_object_ref (machine);
  json_object_unref (self->machine);
  self->machine = machine;
  g_mutex_unlock (&self->mutex);
}

static void
add_text (PtlResult  *self,
          GPtrArray  *texts,
          const char *format,
          va_list     args)
{
  char *text = g_strdup_vprintf (format, args);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (texts, text);
  g_mutex_unlock (&self->mutex);
}

void
ptl_result_add_warning (PtlResult  *self,
                        const char *format,
                        ...)
{
  va_list args;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  add_text (self, self->warnings, format, args);
  va_end (args);
}

void
ptl_result_mark_partial (PtlResult  *self,
                         const char *reason)
{
  char *warning;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (self->partial == NULL);

  /* TRANSLATORS: %s says how the run ended, e.g. "cancelled after 3.2 s" */
  warning = g_strdup_printf (_("Partial result — %s: the run did not finish, so some cases are "
                               "missing and the last may have fewer repeats."), reason);
  g_mutex_lock (&self->mutex);
  self->partial = g_strdup (reason);
  g_ptr_array_insert (self->warnings, 0, warning);
  g_mutex_unlock (&self->mutex);
}

const char *
ptl_result_get_partial (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  return self->partial;
}

guint
ptl_result_get_n_warnings (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), 0);
  return self->warnings->len;
}

const char *
ptl_result_get_warning (PtlResult *self,
                        guint      index)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (index < self->warnings->len, NULL);
  return g_ptr_array_index (self->warnings, index);
}

void
ptl_result_add_note (PtlResult  *self,
                     const char *format,
                     ...)
{
  va_list args;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  add_text (self, self->notes, format, args);
  va_end (args);
}

guint
ptl_result_get_n_notes (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), 0);
  return self->notes->len;
}

const char *
ptl_result_get_note (PtlResult *self,
                     guint      index)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (index < self->notes->len, NULL);
  return g_ptr_array_index (self->notes, index);
}

void
ptl_result_add_samples (PtlResult    *self,
                        const char   *name,
                        const char   *unit,
                        const double *values,
                        gsize         n_values)
{
  Samples *samples;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (values != NULL || n_values == 0);

  samples = g_new0 (Samples, 1);
  samples->name = g_strdup (name);
  samples->unit = g_strdup (unit ? unit : "");
  samples->values = g_array_sized_new (FALSE, FALSE, sizeof (double), n_values);
  g_array_append_vals (samples->values, values, n_values);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->samples, samples);
  g_mutex_unlock (&self->mutex);
}

PtlChart *
ptl_result_add_chart (PtlResult    *self,
                      const char   *id,
                      PtlChartKind  kind,
                      const char   *title)
{
  PtlChart *chart;

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (ptl_result_find_chart (self, id) == NULL, NULL);

  chart = chart_new (self, id, kind, title ? title : id);
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->charts, chart);
  g_mutex_unlock (&self->mutex);
  return chart;
}

guint
ptl_result_get_n_charts (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), 0);
  return self->charts->len;
}

PtlChart *
ptl_result_get_chart (PtlResult *self,
                      guint      index)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (index < self->charts->len, NULL);
  return g_ptr_array_index (self->charts, index);
}

PtlChart *
ptl_result_find_chart (PtlResult  *self,
                       const char *id)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->charts->len; i++)
    {
      PtlChart *chart = g_ptr_array_index (self->charts, i);

      if (g_strcmp0 (chart->id, id) == 0)
        return chart;
    }
  return NULL;
}

static void
set_axis (PtlChart   *chart,
          char      **label_field,
          char      **unit_field,
          gboolean   *log_field,
          const char *label,
          const char *unit,
          gboolean    log_scale)
{
  g_mutex_lock (&chart->owner->mutex);
  g_free (*label_field);
  *label_field = g_strdup (label ? label : "");
  g_free (*unit_field);
  *unit_field = g_strdup (unit ? unit : "");
  *log_field = log_scale;
  g_mutex_unlock (&chart->owner->mutex);
}

void
ptl_chart_set_x_axis (PtlChart   *chart,
                      const char *label,
                      const char *unit,
                      gboolean    log_scale)
{
  g_return_if_fail (chart != NULL);
  set_axis (chart, &chart->x_label, &chart->x_unit, &chart->x_log, label, unit, log_scale);
}

void
ptl_chart_set_y_axis (PtlChart   *chart,
                      const char *label,
                      const char *unit,
                      gboolean    log_scale)
{
  g_return_if_fail (chart != NULL);
  set_axis (chart, &chart->y_label, &chart->y_unit, &chart->y_log, label, unit, log_scale);
}

void
ptl_chart_set_x_range (PtlChart *chart,
                       double    min,
                       double    max)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (isnan (min) || isnan (max) || min <= max);

  g_mutex_lock (&chart->owner->mutex);
  chart->x_min = min;
  chart->x_max = max;
  g_mutex_unlock (&chart->owner->mutex);
}

gboolean
ptl_chart_get_x_range (PtlChart *chart,
                       double   *min,
                       double   *max)
{
  g_return_val_if_fail (chart != NULL, FALSE);

  if (min != NULL)
    *min = chart->x_min;
  if (max != NULL)
    *max = chart->x_max;
  return !isnan (chart->x_min) || !isnan (chart->x_max);
}

void
ptl_chart_set_categories (PtlChart           *chart,
                          const char * const *categories)
{
  ptl_chart_set_categories_with_ids (chart, NULL, categories);
}

void
ptl_chart_set_categories_with_ids (PtlChart           *chart,
                                   const char * const *ids,
                                   const char * const *names)
{
  GStrv new_names, new_ids;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (ids == NULL || names == NULL ||
                    g_strv_length ((char **) ids) == g_strv_length ((char **) names));

  /* Copied before the old ones go: @names may be the chart's own. */
  new_names = g_strdupv ((char **) names);
  new_ids = names != NULL ? g_strdupv ((char **) ids) : NULL;
  g_mutex_lock (&chart->owner->mutex);
  g_strfreev (chart->categories);
  g_strfreev (chart->category_ids);
  chart->categories = new_names;
  chart->category_ids = new_ids;
  g_mutex_unlock (&chart->owner->mutex);
}

void
ptl_chart_add_reference (PtlChart         *chart,
                         PtlReferenceKind  kind,
                         double            value,
                         const char       *label)
{
  PtlReference reference = { kind, value, g_strdup (label ? label : "") };

  g_return_if_fail (chart != NULL);
  g_return_if_fail (kind <= PTL_REFERENCE_DIAGONAL);

  g_mutex_lock (&chart->owner->mutex);
  g_array_append_val (chart->references, reference);
  g_mutex_unlock (&chart->owner->mutex);
}

PtlSeries *
ptl_chart_add_series (PtlChart   *chart,
                      const char *name)
{
  return ptl_chart_add_series_with_id (chart, name, name);
}

PtlSeries *
ptl_chart_add_series_with_id (PtlChart   *chart,
                              const char *id,
                              const char *name)
{
  PtlSeries *series;

  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  series = series_new (chart->owner, id, name);
  g_mutex_lock (&chart->owner->mutex);
  g_ptr_array_add (chart->series, series);
  g_mutex_unlock (&chart->owner->mutex);
  return series;
}

const char *
ptl_chart_get_id (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->id;
}

const char *
ptl_chart_get_title (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->title;
}

PtlChartKind
ptl_chart_get_kind (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, PTL_CHART_LINE);
  return chart->kind;
}

const char *
ptl_chart_get_x_label (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->x_label;
}

const char *
ptl_chart_get_x_unit (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->x_unit;
}

gboolean
ptl_chart_get_x_log (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, FALSE);
  return chart->x_log;
}

const char *
ptl_chart_get_y_label (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->y_label;
}

const char *
ptl_chart_get_y_unit (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->y_unit;
}

gboolean
ptl_chart_get_y_log (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, FALSE);
  return chart->y_log;
}

const char * const *
ptl_chart_get_categories (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return (const char * const *) chart->categories;
}

const char * const *
ptl_chart_get_category_ids (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return (const char * const *) (chart->category_ids ? chart->category_ids : chart->categories);
}

guint
ptl_chart_get_n_categories (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->categories ? g_strv_length (chart->categories) : 0;
}

guint
ptl_chart_get_n_references (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->references->len;
}

const PtlReference *
ptl_chart_get_reference (PtlChart *chart,
                         guint     index)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (index < chart->references->len, NULL);
  return &g_array_index (chart->references, PtlReference, index);
}

guint
ptl_chart_get_n_series (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->series->len;
}

PtlSeries *
ptl_chart_get_series (PtlChart *chart,
                      guint     index)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (index < chart->series->len, NULL);
  return g_ptr_array_index (chart->series, index);
}

PtlSeries *
ptl_chart_find_series (PtlChart   *chart,
                       const char *id)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < chart->series->len; i++)
    {
      PtlSeries *series = g_ptr_array_index (chart->series, i);

      if (g_strcmp0 (series->id, id) == 0)
        return series;
    }
  return NULL;
}

void
ptl_series_add_point_band (PtlSeries *series,
                           double     x,
                           double     y,
                           double     lo,
                           double     hi)
{
  PtlPoint point = { x, y, lo, hi };

  g_return_if_fail (series != NULL);

  g_mutex_lock (&series->owner->mutex);
  g_array_append_val (series->points, point);
  g_mutex_unlock (&series->owner->mutex);
}

void
ptl_series_add_point (PtlSeries *series,
                      double     x,
                      double     y)
{
  ptl_series_add_point_band (series, x, y, NAN, NAN);
}

void
ptl_series_set_band_label (PtlSeries  *series,
                           const char *label)
{
  g_return_if_fail (series != NULL);

  g_mutex_lock (&series->owner->mutex);
  g_free (series->band_label);
  series->band_label = g_strdup (label);
  g_mutex_unlock (&series->owner->mutex);
}

const char *
ptl_series_get_id (PtlSeries *series)
{
  g_return_val_if_fail (series != NULL, NULL);
  return series->id;
}

const char *
ptl_series_get_name (PtlSeries *series)
{
  g_return_val_if_fail (series != NULL, NULL);
  return series->name;
}

const char *
ptl_series_get_band_label (PtlSeries *series)
{
  g_return_val_if_fail (series != NULL, NULL);
  return series->band_label;
}

gboolean
ptl_series_has_band (PtlSeries *series)
{
  g_return_val_if_fail (series != NULL, FALSE);
  return series->band_label != NULL;
}

const PtlPoint *
ptl_series_get_points (PtlSeries *series,
                       guint     *n_points)
{
  g_return_val_if_fail (series != NULL, NULL);

  if (n_points != NULL)
    *n_points = series->points->len;
  return (const PtlPoint *) (gpointer) series->points->data;
}

/* Timeline */

guint
ptl_chart_add_lane (PtlChart   *chart,
                    const char *name)
{
  guint lane;

  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&chart->owner->mutex);
  lane = chart->lanes->len;
  g_ptr_array_add (chart->lanes, g_strdup (name));
  g_mutex_unlock (&chart->owner->mutex);
  return lane;
}

guint
ptl_chart_add_key (PtlChart   *chart,
                   const char *name,
                   gboolean    muted)
{
  guint key;

  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&chart->owner->mutex);
  key = chart->keys->len;
  g_ptr_array_add (chart->keys, g_strdup (name));
  muted = !!muted;
  g_array_append_val (chart->key_muted, muted);
  g_array_append_val (chart->key_like, key);
  g_mutex_unlock (&chart->owner->mutex);
  return key;
}

void
ptl_chart_add_slice (PtlChart *chart,
                     guint     lane,
                     guint     key,
                     double    start,
                     double    end)
{
  PtlSlice slice = { lane, key, start, end };

  g_return_if_fail (chart != NULL);
  g_return_if_fail (lane < chart->lanes->len);
  g_return_if_fail (key < chart->keys->len);

  g_mutex_lock (&chart->owner->mutex);
  g_array_append_val (chart->slices, slice);
  if (isfinite (start) && isfinite (end))
    {
      chart->slice_min = MIN (chart->slice_min, MIN (start, end));
      chart->slice_max = MAX (chart->slice_max, MAX (start, end));
    }
  g_mutex_unlock (&chart->owner->mutex);
}

void
ptl_chart_set_graph (PtlChart *chart,
                     PtlGraph *graph)
{
  g_return_if_fail (chart != NULL && graph != NULL);
  g_return_if_fail (chart->kind == PTL_CHART_GRAPH);

  g_mutex_lock (&chart->owner->mutex);
  g_clear_pointer (&chart->graph, ptl_graph_free);
  chart->graph = graph;
  g_mutex_unlock (&chart->owner->mutex);
}

PtlGraph *
ptl_chart_get_graph (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);
  return chart->graph;
}

gboolean
ptl_chart_get_slice_extent (PtlChart *chart,
                            double   *min,
                            double   *max)
{
  g_return_val_if_fail (chart != NULL, FALSE);

  *min = chart->slice_min;
  *max = chart->slice_max;
  return chart->slice_min <= chart->slice_max;
}

void
ptl_chart_add_marker (PtlChart *chart,
                      guint     lane,
                      double    x)
{
  PtlMarker marker = { lane, x };

  g_return_if_fail (chart != NULL);
  g_return_if_fail (lane < chart->lanes->len);

  g_mutex_lock (&chart->owner->mutex);
  g_array_append_val (chart->markers, marker);
  g_mutex_unlock (&chart->owner->mutex);
}

guint
ptl_chart_get_n_lanes (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->lanes->len;
}

const char *
ptl_chart_get_lane (PtlChart *chart,
                    guint     lane)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (lane < chart->lanes->len, NULL);
  return g_ptr_array_index (chart->lanes, lane);
}

guint
ptl_chart_get_n_keys (PtlChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->keys->len;
}

const char *
ptl_chart_get_key (PtlChart *chart,
                   guint     key)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (key < chart->keys->len, NULL);
  return g_ptr_array_index (chart->keys, key);
}

gboolean
ptl_chart_get_key_muted (PtlChart *chart,
                         guint     key)
{
  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (key < chart->key_muted->len, FALSE);
  return g_array_index (chart->key_muted, gboolean, key);
}

guint
ptl_chart_add_key_like (PtlChart   *chart,
                        const char *name,
                        guint       like)
{
  gboolean muted;
  guint key, owner;

  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (like < chart->keys->len, 0);

  g_mutex_lock (&chart->owner->mutex);
  key = chart->keys->len;
  g_ptr_array_add (chart->keys, g_strdup (name));
  muted = g_array_index (chart->key_muted, gboolean, like);
  g_array_append_val (chart->key_muted, muted);
  /* Chains collapse to the key that owns the colour. */
  owner = g_array_index (chart->key_like, guint, like);
  g_array_append_val (chart->key_like, owner);
  g_mutex_unlock (&chart->owner->mutex);
  return key;
}

guint
ptl_chart_get_key_like (PtlChart *chart,
                        guint     key)
{
  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (key < chart->key_like->len, 0);
  return g_array_index (chart->key_like, guint, key);
}

const PtlSlice *
ptl_chart_get_slices (PtlChart *chart,
                      guint    *n_slices)
{
  g_return_val_if_fail (chart != NULL, NULL);

  if (n_slices != NULL)
    *n_slices = chart->slices->len;
  return (const PtlSlice *) (gpointer) chart->slices->data;
}

const PtlMarker *
ptl_chart_get_markers (PtlChart *chart,
                       guint    *n_markers)
{
  g_return_val_if_fail (chart != NULL, NULL);

  if (n_markers != NULL)
    *n_markers = chart->markers->len;
  return (const PtlMarker *) (gpointer) chart->markers->data;
}

/* Table */

PtlTable *
ptl_result_get_summary (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->summary;
}

guint
ptl_table_add_column (PtlTable   *table,
                      const char *name,
                      const char *unit)
{
  return ptl_table_add_column_with_id (table, name, name, unit);
}

guint
ptl_table_add_column_with_id (PtlTable   *table,
                              const char *id,
                              const char *name,
                              const char *unit)
{
  guint column;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (id != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&table->owner->mutex);
  column = table->column_names->len;
  g_ptr_array_add (table->column_ids, g_strdup (id));
  g_ptr_array_add (table->column_names, g_strdup (name));
  g_ptr_array_add (table->column_units, g_strdup (unit ? unit : ""));
  for (guint i = 0; i < table->rows->len; i++)
    {
      GArray *row = g_ptr_array_index (table->rows, i);
      Cell cell = { FALSE, NAN, NULL };

      g_array_append_val (row, cell);
    }
  g_mutex_unlock (&table->owner->mutex);
  return column;
}

guint
ptl_table_add_row (PtlTable *table)
{
  return ptl_table_add_row_with_id (table, "");
}

guint
ptl_table_add_row_with_id (PtlTable   *table,
                           const char *id)
{
  guint row;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (id != NULL, 0);

  g_mutex_lock (&table->owner->mutex);
  row = table->rows->len;
  g_ptr_array_add (table->rows, row_new (table->column_names->len));
  g_ptr_array_add (table->row_ids, g_strdup (id));
  g_mutex_unlock (&table->owner->mutex);
  return row;
}

static Cell *
table_cell (PtlTable *table,
            guint     row,
            guint     column)
{
  if (row >= table->rows->len || column >= table->column_names->len)
    return NULL;
  return &g_array_index ((GArray *) g_ptr_array_index (table->rows, row), Cell, column);
}

int
ptl_table_find_row (PtlTable   *table,
                    const char *id)
{
  g_return_val_if_fail (table != NULL, -1);
  g_return_val_if_fail (id != NULL, -1);

  for (guint i = 0; i < table->rows->len; i++)
    {
      const char *row_id = g_ptr_array_index (table->row_ids, i);
      const Cell *first = table->column_names->len > 0 ? table_cell (table, i, 0) : NULL;

      if (*row_id != '\0' ? strcmp (row_id, id) == 0 : (first != NULL && g_strcmp0 (first->text, id) == 0))
        return i;
    }
  return -1;
}

void
ptl_table_set_text (PtlTable   *table,
                    guint       row,
                    guint       column,
                    const char *text)
{
  Cell *cell;

  g_return_if_fail (table != NULL);

  g_mutex_lock (&table->owner->mutex);
  cell = table_cell (table, row, column);
  if (cell != NULL)
    {
      g_free (cell->text);
      cell->text = g_strdup (text);
      cell->is_number = FALSE;
      cell->number = NAN;
    }
  g_mutex_unlock (&table->owner->mutex);
  g_return_if_fail (cell != NULL);
}

void
ptl_table_set_number (PtlTable *table,
                      guint     row,
                      guint     column,
                      double    value)
{
  Cell *cell;

  g_return_if_fail (table != NULL);

  g_mutex_lock (&table->owner->mutex);
  cell = table_cell (table, row, column);
  if (cell != NULL)
    {
      g_clear_pointer (&cell->text, g_free);
      cell->is_number = TRUE;
      cell->number = value;
    }
  g_mutex_unlock (&table->owner->mutex);
  g_return_if_fail (cell != NULL);
}

guint
ptl_table_get_n_rows (PtlTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->rows->len;
}

guint
ptl_table_get_n_columns (PtlTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->column_names->len;
}

int
ptl_table_find_column (PtlTable   *table,
                       const char *id)
{
  g_return_val_if_fail (table != NULL, -1);

  for (guint i = 0; i < table->column_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (table->column_ids, i), id) == 0)
      return i;
  return -1;
}

const char *
ptl_table_get_column_id (PtlTable *table,
                         guint     column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->column_ids->len, NULL);
  return g_ptr_array_index (table->column_ids, column);
}

const char *
ptl_table_get_column_name (PtlTable *table,
                           guint     column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->column_names->len, NULL);
  return g_ptr_array_index (table->column_names, column);
}

const char *
ptl_table_get_column_unit (PtlTable *table,
                           guint     column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->column_units->len, NULL);
  return g_ptr_array_index (table->column_units, column);
}

gboolean
ptl_table_cell_is_number (PtlTable *table,
                          guint     row,
                          guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, FALSE);
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, FALSE);
  return cell->is_number;
}

double
ptl_table_get_number (PtlTable *table,
                      guint     row,
                      guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, NAN);
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, NAN);
  return cell->number;
}

const char *
ptl_table_get_text (PtlTable *table,
                    guint     row,
                    guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, NULL);
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, NULL);
  return cell->text;
}

char *
ptl_table_format_cell (PtlTable *table,
                       guint     row,
                       guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, g_strdup (""));
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, g_strdup (""));

  if (cell->is_number)
    return ptl_format_value (cell->number, ptl_table_get_column_unit (table, column));
  return g_strdup (cell->text ? cell->text : "");
}

guint
ptl_text_get_columns (const char *text)
{
  guint columns = 0;

  g_return_val_if_fail (text != NULL, 0);

  /* A terminal shows Hangul and other wide characters in two columns and
   * combining marks in none, so bytes and characters both misalign them. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        columns += g_unichar_iswide (c) ? 2 : 1;
    }
  return columns;
}

char *
ptl_table_format_text (PtlTable *table)
{
  guint n_columns, n_rows;
  g_autofree guint *widths = NULL;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (table != NULL, NULL);

  n_columns = ptl_table_get_n_columns (table);
  n_rows = ptl_table_get_n_rows (table);
  widths = g_new0 (guint, MAX (n_columns, 1));

  for (guint c = 0; c < n_columns; c++)
    widths[c] = ptl_text_get_columns (ptl_table_get_column_name (table, c));
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        char *text = ptl_table_format_cell (table, r, c);

        widths[c] = MAX (widths[c], ptl_text_get_columns (text));
        g_ptr_array_add (cells, text);
      }

  for (guint r = 0; r <= n_rows; r++)
    {
      gsize line_start = out->len;

      for (guint c = 0; c < n_columns; c++)
        {
          const char *text = r == 0 ? ptl_table_get_column_name (table, c)
                                    : g_ptr_array_index (cells, (r - 1) * n_columns + c);
          guint pad = widths[c] - ptl_text_get_columns (text);
          gboolean numeric = FALSE;

          /* Numeric columns (header included) right-aligned, text left. */
          for (guint i = 0; i < n_rows && !numeric; i++)
            numeric = ptl_table_cell_is_number (table, i, c);

          if (c > 0)
            g_string_append (out, "  ");
          if (numeric)
            for (guint i = 0; i < pad; i++)
              g_string_append_c (out, ' ');
          g_string_append (out, text);
          if (!numeric)
            for (guint i = 0; i < pad; i++)
              g_string_append_c (out, ' ');
        }
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

/* JSON */

static JsonNode *
number_node (double value)
{
  /* JSON has no NaN: a missing measurement is null. */
  if (isnan (value) || isinf (value))
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
string_array_node (GPtrArray *strings)
{
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  /* init_array takes a reference of its own: ours goes with the scope. */
  return json_node_init_array (json_node_alloc (), array);
}

JsonNode *
ptl_result_to_json (PtlResult *self)
{
  g_autoptr(PtlResult) copy = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonObject *root;
  JsonArray *charts, *series_list, *rows, *samples_list;
  JsonObject *summary;
  JsonNode *node;

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  /* Work on a copy so a running experiment can go on filling @self. */
  copy = ptl_result_copy (self);

  root = json_object_new ();
  json_object_set_string_member (root, "format", RESULT_FORMAT);
  json_object_set_int_member (root, "version", RESULT_VERSION);
  json_object_set_string_member (root, "experiment", copy->experiment_id);
  json_object_set_string_member (root, "title", copy->title);
  json_object_set_object_member (root, "parameters", json_object_ref (copy->parameters));
  json_object_set_object_member (root, "machine", json_object_ref (copy->machine));
  json_object_set_member (root, "warnings", string_array_node (copy->warnings));
  if (copy->partial != NULL)
    json_object_set_string_member (root, "partial", copy->partial);
  json_object_set_member (root, "notes", string_array_node (copy->notes));

  charts = json_array_new ();
  series_list = json_array_new ();
  for (guint i = 0; i < copy->charts->len; i++)
    {
      PtlChart *chart = g_ptr_array_index (copy->charts, i);
      JsonObject *object = json_object_new ();
      JsonArray *references = json_array_new ();

      json_object_set_string_member (object, "id", chart->id);
      json_object_set_string_member (object, "title", chart->title);
      json_object_set_string_member (object, "kind", chart_kind_names[chart->kind]);
      json_object_set_string_member (object, "x_label", chart->x_label);
      json_object_set_string_member (object, "x_unit", chart->x_unit);
      json_object_set_boolean_member (object, "x_log", chart->x_log);
      if (ptl_chart_get_x_range (chart, NULL, NULL))
        {
          JsonArray *range = json_array_new ();

          json_array_add_element (range, number_node (chart->x_min));
          json_array_add_element (range, number_node (chart->x_max));
          json_object_set_array_member (object, "x_range", range);
        }
      json_object_set_string_member (object, "y_label", chart->y_label);
      json_object_set_string_member (object, "y_unit", chart->y_unit);
      json_object_set_boolean_member (object, "y_log", chart->y_log);
      if (chart->categories != NULL)
        {
          JsonArray *categories = json_array_new ();

          for (guint j = 0; chart->categories[j] != NULL; j++)
            json_array_add_string_element (categories, chart->categories[j]);
          json_object_set_array_member (object, "categories", categories);
        }
      if (chart->category_ids != NULL)
        {
          JsonArray *ids = json_array_new ();

          for (guint j = 0; chart->category_ids[j] != NULL; j++)
            json_array_add_string_element (ids, chart->category_ids[j]);
          json_object_set_array_member (object, "category_ids", ids);
        }
      for (guint j = 0; j < chart->references->len; j++)
        {
          const PtlReference *reference = &g_array_index (chart->references, PtlReference, j);
          JsonObject *ref_object = json_object_new ();

          json_object_set_string_member (ref_object, "kind", reference_kind_names[reference->kind]);
          json_object_set_member (ref_object, "value", number_node (reference->value));
          json_object_set_string_member (ref_object, "label", reference->label);
          json_array_add_object_element (references, ref_object);
        }
      json_object_set_array_member (object, "references", references);
      if (chart->kind == PTL_CHART_TIMELINE)
        {
          JsonArray *keys = json_array_new ();
          JsonArray *slices = json_array_new ();
          JsonArray *markers = json_array_new ();

          json_object_set_member (object, "lanes", string_array_node (chart->lanes));
          for (guint j = 0; j < chart->keys->len; j++)
            {
              JsonObject *key = json_object_new ();

              json_object_set_string_member (key, "name", g_ptr_array_index (chart->keys, j));
              json_object_set_boolean_member (key, "muted", g_array_index (chart->key_muted, gboolean, j));
              if (g_array_index (chart->key_like, guint, j) != j)
                json_object_set_int_member (key, "like", g_array_index (chart->key_like, guint, j));
              json_array_add_object_element (keys, key);
            }
          for (guint j = 0; j < chart->slices->len; j++)
            {
              const PtlSlice *slice = &g_array_index (chart->slices, PtlSlice, j);
              JsonArray *item = json_array_new ();

              json_array_add_int_element (item, slice->lane);
              json_array_add_int_element (item, slice->key);
              json_array_add_element (item, number_node (slice->start));
              json_array_add_element (item, number_node (slice->end));
              json_array_add_array_element (slices, item);
            }
          for (guint j = 0; j < chart->markers->len; j++)
            {
              const PtlMarker *marker = &g_array_index (chart->markers, PtlMarker, j);
              JsonArray *item = json_array_new ();

              json_array_add_int_element (item, marker->lane);
              json_array_add_element (item, number_node (marker->x));
              json_array_add_array_element (markers, item);
            }
          json_object_set_array_member (object, "keys", keys);
          json_object_set_array_member (object, "slices", slices);
          json_object_set_array_member (object, "markers", markers);
        }
      if (chart->graph != NULL)
        json_object_set_member (object, "graph", ptl_graph_to_json (chart->graph));
      json_array_add_object_element (charts, object);

      for (guint j = 0; j < chart->series->len; j++)
        {
          PtlSeries *series = g_ptr_array_index (chart->series, j);
          JsonObject *series_object = json_object_new ();
          JsonArray *points = json_array_new ();
          JsonArray *band = series->band_label ? json_array_new () : NULL;

          json_object_set_string_member (series_object, "chart", chart->id);
          json_object_set_string_member (series_object, "id", series->id);
          json_object_set_string_member (series_object, "name", series->name);
          json_object_set_string_member (series_object, "unit", chart->y_unit);
          json_object_set_string_member (series_object, "x_unit", chart->x_unit);
          for (guint k = 0; k < series->points->len; k++)
            {
              const PtlPoint *point = &g_array_index (series->points, PtlPoint, k);
              JsonArray *pair = json_array_new ();

              json_array_add_element (pair, number_node (point->x));
              json_array_add_element (pair, number_node (point->y));
              json_array_add_array_element (points, pair);
              if (band != NULL)
                {
                  JsonArray *range = json_array_new ();

                  json_array_add_element (range, number_node (point->lo));
                  json_array_add_element (range, number_node (point->hi));
                  json_array_add_array_element (band, range);
                }
            }
          json_object_set_array_member (series_object, "points", points);
          if (band != NULL)
            {
              json_object_set_string_member (series_object, "band_label", series->band_label);
              json_object_set_array_member (series_object, "band", band);
            }
          json_array_add_object_element (series_list, series_object);
        }
    }
  json_object_set_array_member (root, "charts", charts);
  json_object_set_array_member (root, "series", series_list);

  summary = json_object_new ();
  json_object_set_member (summary, "column_ids", string_array_node (copy->summary->column_ids));
  json_object_set_member (summary, "columns", string_array_node (copy->summary->column_names));
  json_object_set_member (summary, "units", string_array_node (copy->summary->column_units));
  rows = json_array_new ();
  for (guint i = 0; i < copy->summary->rows->len; i++)
    {
      GArray *row = g_ptr_array_index (copy->summary->rows, i);
      JsonArray *cells = json_array_new ();

      for (guint j = 0; j < row->len; j++)
        {
          const Cell *cell = &g_array_index (row, Cell, j);

          if (cell->is_number)
            json_array_add_element (cells, number_node (cell->number));
          else if (cell->text != NULL)
            json_array_add_string_element (cells, cell->text);
          else
            json_array_add_null_element (cells);
        }
      json_array_add_array_element (rows, cells);
    }
  json_object_set_array_member (summary, "rows", rows);
  /* "" for a row without an id; left out when no row has one. */
  for (guint i = 0; i < copy->summary->row_ids->len; i++)
    if (*(const char *) g_ptr_array_index (copy->summary->row_ids, i) != '\0')
      {
        json_object_set_member (summary, "row_ids", string_array_node (copy->summary->row_ids));
        break;
      }
  json_object_set_object_member (root, "summary", summary);

  samples_list = json_array_new ();
  for (guint i = 0; i < copy->samples->len; i++)
    {
      Samples *samples = g_ptr_array_index (copy->samples, i);
      JsonObject *object = json_object_new ();
      JsonArray *values = json_array_new ();

      json_object_set_string_member (object, "name", samples->name);
      json_object_set_string_member (object, "unit", samples->unit);
      for (guint j = 0; j < samples->values->len; j++)
        json_array_add_element (values, number_node (g_array_index (samples->values, double, j)));
      json_object_set_array_member (object, "values", values);
      json_array_add_object_element (samples_list, object);
    }
  json_object_set_array_member (root, "samples", samples_list);

  node = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return node;
}

/* Loading: every member is checked before it is read, since json-glib's
 * accessors only warn on a wrong type and a file may be anything. */

static gboolean
invalid (GError    **error,
         const char *where,
         const char *what)
{
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
               _("Not a valid result: %s %s"), where, what);
  return FALSE;
}

static JsonNode *
member_of_type (JsonObject  *object,
                const char  *where,
                const char  *name,
                JsonNodeType type,
                gboolean     required,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = g_strdup_printf ("%s.%s", where, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        invalid (error, path, _("is missing"));
      return NULL;
    }
  if (JSON_NODE_TYPE (node) != type)
    {
      invalid (error, path, type == JSON_NODE_ARRAY ? _("must be a list") :
                            type == JSON_NODE_OBJECT ? _("must be an object") :
                            _("must be a number, text or true/false"));
      return NULL;
    }
  return node;
}

static gboolean
read_string (JsonObject  *object,
             const char  *where,
             const char  *name,
             gboolean     required,
             const char  *fallback,
             char       **out,
             GError     **error)
{
  JsonNode *node = member_of_type (object, where, name, JSON_NODE_VALUE, required, error);

  if (node == NULL)
    {
      if (required)
        return FALSE;
      *out = g_strdup (fallback);
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s", where, name);
      return invalid (error, path, _("must be text"));
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_number (JsonNode   *node,
             const char *where,
             double     *out,
             GError    **error)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return invalid (error, where, _("must be a number"));
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return invalid (error, where, _("must be a number"));
  *out = json_node_get_double (node);
  /* json-glib reads 1e999 as infinity, which no axis can show. */
  if (!isfinite (*out))
    return invalid (error, where, _("must be a finite number"));
  return TRUE;
}

static gboolean
read_boolean (JsonObject *object,
              const char *name,
              gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_VALUE &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
  return TRUE;
}

static int
lookup_name (const char  *name,
             const char **names,
             guint        n_names)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return i;
  return -1;
}

static gboolean load_string_list (JsonNode   *node,
                                  const char *where,
                                  GPtrArray  *out,
                                  GError    **error);

/* A list of small integer/number tuples, e.g. slices [lane, key, start, end]. */
static gboolean
load_tuples (JsonObject  *object,
             const char  *where,
             const char  *name,
             guint        width,
             GArray      *values,
             GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", where, name);
  JsonNode *node = member_of_type (object, where, name, JSON_NODE_ARRAY, FALSE, error);
  JsonArray *array;

  if (node == NULL)
    return error == NULL || *error == NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_TYPE (element) != JSON_NODE_ARRAY ||
          json_array_get_length (json_node_get_array (element)) != width)
        return invalid (error, path, _("has an item of the wrong length"));
      for (guint j = 0; j < width; j++)
        {
          double value;

          if (!read_number (json_array_get_element (json_node_get_array (element), j), path, &value, error))
            return FALSE;
          g_array_append_val (values, value);
        }
    }
  return TRUE;
}

static gboolean
load_timeline (PtlChart    *chart,
               JsonObject  *object,
               const char  *where,
               GError     **error)
{
  g_autoptr(GPtrArray) lanes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) markers = g_array_new (FALSE, FALSE, sizeof (double));
  JsonNode *lanes_node, *keys_node;

  lanes_node = member_of_type (object, where, "lanes", JSON_NODE_ARRAY, TRUE, error);
  if (lanes_node == NULL || !load_string_list (lanes_node, where, lanes, error))
    return FALSE;
  for (guint i = 0; i < lanes->len; i++)
    ptl_chart_add_lane (chart, g_ptr_array_index (lanes, i));

  keys_node = member_of_type (object, where, "keys", JSON_NODE_ARRAY, TRUE, error);
  if (keys_node == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (keys_node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (keys_node), i);
      g_autofree char *name = NULL;
      gboolean muted;

      if (JSON_NODE_TYPE (element) != JSON_NODE_OBJECT)
        return invalid (error, where, _("has a key that is not an object"));
      if (!read_string (json_node_get_object (element), where, "name", TRUE, NULL, &name, error))
        return FALSE;
      read_boolean (json_node_get_object (element), "muted", &muted);
      if (json_object_has_member (json_node_get_object (element), "like"))
        {
          gint64 like = json_object_get_int_member (json_node_get_object (element), "like");

          if (like < 0 || (guint64) like >= i)
            return invalid (error, where, _("has a key like one that does not come before it"));
          ptl_chart_add_key_like (chart, name, (guint) like);
        }
      else
        ptl_chart_add_key (chart, name, muted);
    }

  if (!load_tuples (object, where, "slices", 4, slices, error) ||
      !load_tuples (object, where, "markers", 2, markers, error))
    return FALSE;

  for (guint i = 0; i < slices->len; i += 4)
    {
      double lane = g_array_index (slices, double, i);
      double key = g_array_index (slices, double, i + 1);

      if (!(lane >= 0 && lane < chart->lanes->len && lane == floor (lane) &&
            key >= 0 && key < chart->keys->len && key == floor (key)))
        return invalid (error, where, _("has a slice whose lane or key does not exist"));
      ptl_chart_add_slice (chart, (guint) lane, (guint) key,
                           g_array_index (slices, double, i + 2), g_array_index (slices, double, i + 3));
    }
  for (guint i = 0; i < markers->len; i += 2)
    {
      double lane = g_array_index (markers, double, i);

      if (!(lane >= 0 && lane < chart->lanes->len && lane == floor (lane)))
        return invalid (error, where, _("has a marker whose lane does not exist"));
      ptl_chart_add_marker (chart, (guint) lane, g_array_index (markers, double, i + 1));
    }
  return TRUE;
}

static gboolean
load_chart (PtlResult  *self,
            JsonNode   *node,
            guint       index,
            GError    **error)
{
  g_autofree char *where = g_strdup_printf ("charts[%u]", index);
  g_autofree char *id = NULL, *title = NULL, *kind_name = NULL;
  g_autofree char *x_label = NULL, *x_unit = NULL, *y_label = NULL, *y_unit = NULL;
  JsonObject *object;
  JsonNode *categories, *category_ids, *references, *range;
  PtlChart *chart;
  gboolean x_log, y_log;
  int kind;

  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return invalid (error, where, _("must be an object"));
  object = json_node_get_object (node);

  if (!read_string (object, where, "id", TRUE, NULL, &id, error) ||
      !read_string (object, where, "title", FALSE, id, &title, error) ||
      !read_string (object, where, "kind", TRUE, NULL, &kind_name, error) ||
      !read_string (object, where, "x_label", FALSE, "", &x_label, error) ||
      !read_string (object, where, "x_unit", FALSE, "", &x_unit, error) ||
      !read_string (object, where, "y_label", FALSE, "", &y_label, error) ||
      !read_string (object, where, "y_unit", FALSE, "", &y_unit, error))
    return FALSE;

  kind = lookup_name (kind_name, chart_kind_names, G_N_ELEMENTS (chart_kind_names));
  if (kind < 0)
    return invalid (error, where, _("has an unknown kind (line, bar, timeline or graph expected)"));
  if (ptl_result_find_chart (self, id) != NULL)
    return invalid (error, where, _("repeats a chart id"));

  read_boolean (object, "x_log", &x_log);
  read_boolean (object, "y_log", &y_log);

  chart = ptl_result_add_chart (self, id, kind, title);
  ptl_chart_set_x_axis (chart, x_label, x_unit, x_log);
  ptl_chart_set_y_axis (chart, y_label, y_unit, y_log);

  range = member_of_type (object, where, "x_range", JSON_NODE_ARRAY, FALSE, error);
  if (range == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (range != NULL)
    {
      JsonArray *array = json_node_get_array (range);
      double min, max;

      /* read_number () reports a bad element itself; only a wrong length
       * is left for this message (setting an error twice is a bug). */
      if (json_array_get_length (array) != 2)
        return invalid (error, where, _("has an x_range that is not a pair of numbers"));
      if (!read_number (json_array_get_element (array, 0), where, &min, error) ||
          !read_number (json_array_get_element (array, 1), where, &max, error))
        return FALSE;
      if (!isnan (min) && !isnan (max) && min > max)
        return invalid (error, where, _("has an x_range whose start is after its end"));
      ptl_chart_set_x_range (chart, min, max);
    }

  categories = member_of_type (object, where, "categories", JSON_NODE_ARRAY, FALSE, error);
  if (categories == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (categories != NULL)
    {
      JsonArray *array = json_node_get_array (categories);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_TYPE (element) != JSON_NODE_VALUE ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            return invalid (error, where, _("has a category that is not text"));
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      strv = g_strv_builder_end (builder);
      ptl_chart_set_categories (chart, (const char * const *) strv);
    }

  /* Results saved before names and ids were told apart have names only. */
  category_ids = member_of_type (object, where, "category_ids", JSON_NODE_ARRAY, FALSE, error);
  if (category_ids == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (category_ids != NULL)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *ids_where = g_strdup_printf ("%s.category_ids", where);

      if (!load_string_list (category_ids, ids_where, ids, error))
        return FALSE;
      if (ids->len != ptl_chart_get_n_categories (chart))
        return invalid (error, ids_where, _("must name one id per category"));
      g_ptr_array_add (ids, NULL);
      ptl_chart_set_categories_with_ids (chart, (const char * const *) ids->pdata,
                                         ptl_chart_get_categories (chart));
    }

  references = member_of_type (object, where, "references", JSON_NODE_ARRAY, FALSE, error);
  if (references == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (references != NULL)
    {
      JsonArray *array = json_node_get_array (references);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *ref_where = g_strdup_printf ("%s.references[%u]", where, i);
          g_autofree char *ref_kind = NULL, *label = NULL;
          JsonObject *ref_object;
          double value;
          int ref_kind_index;

          if (JSON_NODE_TYPE (element) != JSON_NODE_OBJECT)
            return invalid (error, ref_where, _("must be an object"));
          ref_object = json_node_get_object (element);
          if (!read_string (ref_object, ref_where, "kind", TRUE, NULL, &ref_kind, error) ||
              !read_string (ref_object, ref_where, "label", FALSE, "", &label, error) ||
              !read_number (json_object_get_member (ref_object, "value"), ref_where, &value, error))
            return FALSE;
          ref_kind_index = lookup_name (ref_kind, reference_kind_names, G_N_ELEMENTS (reference_kind_names));
          if (ref_kind_index < 0)
            return invalid (error, ref_where, _("has an unknown kind"));
          ptl_chart_add_reference (chart, ref_kind_index, value, label);
        }
    }

  if (kind == PTL_CHART_TIMELINE && !load_timeline (chart, object, where, error))
    return FALSE;
  if (kind == PTL_CHART_GRAPH)
    {
      PtlGraph *graph = ptl_graph_new_from_json (json_object_get_member (object, "graph"), where, error);

      if (graph == NULL)
        return FALSE;
      ptl_chart_set_graph (chart, graph);
    }

  return TRUE;
}

static gboolean
load_pairs (JsonNode    *node,
            const char  *where,
            GArray      *pairs,
            GError     **error)
{
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *item = g_strdup_printf ("%s[%u]", where, i);
      JsonArray *pair;
      double values[2];

      if (JSON_NODE_TYPE (element) != JSON_NODE_ARRAY ||
          json_array_get_length (json_node_get_array (element)) != 2)
        return invalid (error, item, _("must be a pair [a, b]"));
      pair = json_node_get_array (element);
      if (!read_number (json_array_get_element (pair, 0), item, &values[0], error) ||
          !read_number (json_array_get_element (pair, 1), item, &values[1], error))
        return FALSE;
      g_array_append_vals (pairs, values, 2);
    }
  return TRUE;
}

static gboolean
load_series (PtlResult  *self,
             JsonNode   *node,
             guint       index,
             GError    **error)
{
  g_autofree char *where = g_strdup_printf ("series[%u]", index);
  g_autofree char *chart_id = NULL, *id = NULL, *name = NULL, *band_label = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) band = g_array_new (FALSE, FALSE, sizeof (double));
  JsonObject *object;
  JsonNode *points_node, *band_node;
  PtlChart *chart;
  PtlSeries *series;

  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return invalid (error, where, _("must be an object"));
  object = json_node_get_object (node);

  if (!read_string (object, where, "chart", TRUE, NULL, &chart_id, error) ||
      !read_string (object, where, "name", TRUE, NULL, &name, error) ||
      !read_string (object, where, "id", FALSE, name, &id, error) ||
      !read_string (object, where, "band_label", FALSE, NULL, &band_label, error))
    return FALSE;

  chart = ptl_result_find_chart (self, chart_id);
  if (chart == NULL)
    return invalid (error, where, _("names a chart that is not in “charts”"));

  points_node = member_of_type (object, where, "points", JSON_NODE_ARRAY, TRUE, error);
  if (points_node == NULL)
    return FALSE;
  if (!load_pairs (points_node, where, points, error))
    return FALSE;

  band_node = member_of_type (object, where, "band", JSON_NODE_ARRAY, FALSE, error);
  if (band_node == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (band_node != NULL && !load_pairs (band_node, where, band, error))
    return FALSE;
  if (band->len != 0 && band->len != points->len)
    return invalid (error, where, _("has a band whose length differs from its points"));

  series = ptl_chart_add_series_with_id (chart, id, name);
  if (band_label != NULL)
    ptl_series_set_band_label (series, band_label);
  for (guint i = 0; i < points->len / 2; i++)
    ptl_series_add_point_band (series,
                               g_array_index (points, double, 2 * i),
                               g_array_index (points, double, 2 * i + 1),
                               band->len ? g_array_index (band, double, 2 * i) : NAN,
                               band->len ? g_array_index (band, double, 2 * i + 1) : NAN);
  return TRUE;
}

static gboolean
load_string_list (JsonNode   *node,
                  const char *where,
                  GPtrArray  *out,
                  GError    **error)
{
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_TYPE (element) != JSON_NODE_VALUE ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        return invalid (error, where, _("must hold only text"));
      g_ptr_array_add (out, g_strdup (json_node_get_string (element)));
    }
  return TRUE;
}

static gboolean
load_summary (PtlResult  *self,
              JsonObject *summary,
              GError    **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) row_ids = g_ptr_array_new_with_free_func (g_free);
  JsonNode *columns_node, *units_node, *ids_node, *rows_node, *row_ids_node;
  JsonArray *rows;

  columns_node = member_of_type (summary, "summary", "columns", JSON_NODE_ARRAY, TRUE, error);
  if (columns_node == NULL || !load_string_list (columns_node, "summary.columns", columns, error))
    return FALSE;
  units_node = member_of_type (summary, "summary", "units", JSON_NODE_ARRAY, FALSE, error);
  if (units_node == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (units_node != NULL && !load_string_list (units_node, "summary.units", units, error))
    return FALSE;
  if (units->len != 0 && units->len != columns->len)
    return invalid (error, "summary.units", _("must name one unit per column"));

  /* Results saved before names and ids were told apart have names only. */
  ids_node = member_of_type (summary, "summary", "column_ids", JSON_NODE_ARRAY, FALSE, error);
  if (ids_node == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (ids_node != NULL && !load_string_list (ids_node, "summary.column_ids", ids, error))
    return FALSE;
  if (ids->len != 0 && ids->len != columns->len)
    return invalid (error, "summary.column_ids", _("must name one id per column"));

  for (guint i = 0; i < columns->len; i++)
    ptl_table_add_column_with_id (self->summary,
                                  g_ptr_array_index (ids->len ? ids : columns, i),
                                  g_ptr_array_index (columns, i),
                                  units->len ? g_ptr_array_index (units, i) : "");

  rows_node = member_of_type (summary, "summary", "rows", JSON_NODE_ARRAY, TRUE, error);
  if (rows_node == NULL)
    return FALSE;
  rows = json_node_get_array (rows_node);
  row_ids_node = member_of_type (summary, "summary", "row_ids", JSON_NODE_ARRAY, FALSE, error);
  if (row_ids_node == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (row_ids_node != NULL && !load_string_list (row_ids_node, "summary.row_ids", row_ids, error))
    return FALSE;
  if (row_ids->len != 0 && row_ids->len != json_array_get_length (rows))
    return invalid (error, "summary.row_ids", _("must name one id per row"));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      g_autofree char *where = g_strdup_printf ("summary.rows[%u]", i);
      JsonArray *cells;
      guint row;

      if (JSON_NODE_TYPE (row_node) != JSON_NODE_ARRAY ||
          json_array_get_length (json_node_get_array (row_node)) != columns->len)
        return invalid (error, where, _("must be a list with one value per column"));
      cells = json_node_get_array (row_node);
      row = ptl_table_add_row_with_id (self->summary, row_ids->len ? g_ptr_array_index (row_ids, i) : "");
      for (guint j = 0; j < columns->len; j++)
        {
          JsonNode *cell = json_array_get_element (cells, j);
          GType type;

          if (JSON_NODE_HOLDS_NULL (cell))
            continue;
          if (JSON_NODE_TYPE (cell) != JSON_NODE_VALUE)
            return invalid (error, where, _("must hold numbers or text"));
          type = json_node_get_value_type (cell);
          if (type == G_TYPE_STRING)
            ptl_table_set_text (self->summary, row, j, json_node_get_string (cell));
          else if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
            ptl_table_set_number (self->summary, row, j, json_node_get_double (cell));
          else
            return invalid (error, where, _("must hold numbers or text"));
        }
    }
  return TRUE;
}

PtlResult *
ptl_result_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(PtlResult) self = NULL;
  g_autofree char *format = NULL, *experiment = NULL, *title = NULL;
  JsonObject *root;
  JsonNode *member;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    {
      invalid (error, _("the top level"), _("must be an object"));
      return NULL;
    }
  root = json_node_get_object (node);

  if (!read_string (root, "result", "format", FALSE, RESULT_FORMAT, &format, error) ||
      !read_string (root, "result", "experiment", TRUE, NULL, &experiment, error) ||
      !read_string (root, "result", "title", FALSE, experiment, &title, error))
    return NULL;
  if (g_strcmp0 (format, RESULT_FORMAT) != 0)
    {
      invalid (error, "result.format", _("is not “ptlab-result”"));
      return NULL;
    }

  self = ptl_result_new (experiment, title);

  if ((member = member_of_type (root, "result", "parameters", JSON_NODE_OBJECT, FALSE, error)))
    {
      g_autoptr(JsonObject) parameters = json_object_copy (json_node_get_object (member));
      ptl_result_set_parameters (self, parameters);
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "machine", JSON_NODE_OBJECT, FALSE, error)))
    {
      g_autoptr(JsonObject) machine = json_object_copy (json_node_get_object (member));
      ptl_result_set_machine (self, machine);
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "warnings", JSON_NODE_ARRAY, FALSE, error)))
    {
      if (!load_string_list (member, "result.warnings", self->warnings, error))
        return NULL;
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  /* Its warning is among the warnings just read. */
  if (!read_string (root, "result", "partial", FALSE, NULL, &self->partial, error))
    return NULL;

  if ((member = member_of_type (root, "result", "notes", JSON_NODE_ARRAY, FALSE, error)))
    {
      if (!load_string_list (member, "result.notes", self->notes, error))
        return NULL;
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "charts", JSON_NODE_ARRAY, FALSE, error)))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!load_chart (self, json_array_get_element (array, i), i, error))
          return NULL;
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "series", JSON_NODE_ARRAY, FALSE, error)))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!load_series (self, json_array_get_element (array, i), i, error))
          return NULL;
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "summary", JSON_NODE_OBJECT, FALSE, error)))
    {
      if (!load_summary (self, json_node_get_object (member), error))
        return NULL;
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "samples", JSON_NODE_ARRAY, FALSE, error)))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *where = g_strdup_printf ("samples[%u]", i);
          g_autofree char *name = NULL, *unit = NULL;
          g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
          JsonNode *values_node;
          JsonObject *object;

          if (JSON_NODE_TYPE (element) != JSON_NODE_OBJECT)
            {
              invalid (error, where, _("must be an object"));
              return NULL;
            }
          object = json_node_get_object (element);
          if (!read_string (object, where, "name", TRUE, NULL, &name, error) ||
              !read_string (object, where, "unit", FALSE, "", &unit, error))
            return NULL;
          values_node = member_of_type (object, where, "values", JSON_NODE_ARRAY, TRUE, error);
          if (values_node == NULL)
            return NULL;
          for (guint j = 0; j < json_array_get_length (json_node_get_array (values_node)); j++)
            {
              double value;

              if (!read_number (json_array_get_element (json_node_get_array (values_node), j),
                                where, &value, error))
                return NULL;
              g_array_append_val (values, value);
            }
          ptl_result_add_samples (self, name, unit, (const double *) (gpointer) values->data, values->len);
        }
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  return g_steal_pointer (&self);
}

char *
ptl_result_to_json_string (PtlResult *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  node = ptl_result_to_json (self);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

gboolean
ptl_result_save_json (PtlResult   *self,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (PTL_IS_RESULT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = ptl_result_to_json_string (self);
  return ptl_file_replace_contents (path, data, strlen (data), error);
}

PtlResult *
ptl_result_load_json (const char  *path,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!ptl_file_read_regular (path, &data, &len, error))
    return NULL;
  display = g_filename_display_name (path);
  if (!ptl_json_check_depth (data, len, &local_error) ||
      !json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("Could not read %s: %s"), display, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("%s is empty"), display);
      return NULL;
    }
  return ptl_result_new_from_json (json_parser_get_root (parser), error);
}

/* CSV */

/* RFC 4180: quote a field holding a comma, quote or line break, doubling
 * the quotes inside; also a field with surrounding blanks or a leading '#',
 * which lenient readers (ours among them) trim or skip as a comment. The
 * one place the lab writes CSV fields. */
void
ptl_csv_append_field (GString    *out,
                      const char *field)
{
  gsize len;

  g_return_if_fail (out != NULL);

  if (field == NULL)
    field = "";
  len = strlen (field);
  if (strpbrk (field, ",\"\r\n") == NULL && field[0] != '#' &&
      (len == 0 || (!g_ascii_isspace (field[0]) && !g_ascii_isspace (field[len - 1]))))
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_number (GString *out,
                   double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return;
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.10g", value));
}

char *
ptl_result_to_csv (PtlResult *self)
{
  g_autoptr(PtlResult) copy = NULL;
  GString *out;

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  copy = ptl_result_copy (self);
  out = g_string_new ("chart,series,x,x_unit,y,y_unit,low,high\r\n");

  for (guint i = 0; i < copy->charts->len; i++)
    {
      PtlChart *chart = g_ptr_array_index (copy->charts, i);
      guint n_categories = ptl_chart_get_n_categories (chart);

      if (chart->graph != NULL)
        ptl_graph_append_csv (chart->graph, chart->id, out);
      for (guint j = 0; j < chart->slices->len; j++)
        {
          const PtlSlice *slice = &g_array_index (chart->slices, PtlSlice, j);
          const char *lane = g_ptr_array_index (chart->lanes, slice->lane);
          const char *key = g_ptr_array_index (chart->keys, slice->key);
          g_autofree char *series = g_strcmp0 (lane, key) == 0 ? g_strdup (lane)
                                                                 : g_strdup_printf ("%s: %s", lane, key);

          ptl_csv_append_field (out, chart->id);
          g_string_append_c (out, ',');
          ptl_csv_append_field (out, series);
          g_string_append_c (out, ',');
          append_csv_number (out, slice->start);
          g_string_append_c (out, ',');
          ptl_csv_append_field (out, chart->x_unit);
          g_string_append_c (out, ',');
          append_csv_number (out, slice->end);
          g_string_append_c (out, ',');
          ptl_csv_append_field (out, chart->x_unit);
          g_string_append (out, ",,\r\n");
        }

      for (guint j = 0; j < chart->series->len; j++)
        {
          PtlSeries *series = g_ptr_array_index (chart->series, j);

          for (guint k = 0; k < series->points->len; k++)
            {
              const PtlPoint *point = &g_array_index (series->points, PtlPoint, k);
              /* A bar chart's x is a category: write its id, not its index. */
              gboolean categorical = chart->kind == PTL_CHART_BAR && point->x >= 0 &&
                                     point->x < n_categories && point->x == floor (point->x);

              ptl_csv_append_field (out, chart->id);
              g_string_append_c (out, ',');
              ptl_csv_append_field (out, series->id);
              g_string_append_c (out, ',');
              if (categorical)
                ptl_csv_append_field (out, ptl_chart_get_category_ids (chart)[(guint) point->x]);
              else
                append_csv_number (out, point->x);
              g_string_append_c (out, ',');
              ptl_csv_append_field (out, categorical ? "" : chart->x_unit);
              g_string_append_c (out, ',');
              append_csv_number (out, point->y);
              g_string_append_c (out, ',');
              ptl_csv_append_field (out, chart->y_unit);
              g_string_append_c (out, ',');
              append_csv_number (out, point->lo);
              g_string_append_c (out, ',');
              append_csv_number (out, point->hi);
              g_string_append (out, "\r\n");
            }
        }
    }

  return g_string_free (out, FALSE);
}

gboolean
ptl_result_save_csv (PtlResult   *self,
                     const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (PTL_IS_RESULT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = ptl_result_to_csv (self);
  return ptl_file_replace_contents (path, data, strlen (data), error);
}
