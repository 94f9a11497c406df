/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-result"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-file.h"
#include "ptl-json.h"
#include "ptl-result-private.h"

#define RESULT_FORMAT  "ptlab-result"
#define RESULT_VERSION 1

static const char *chart_kind_names[] = { "line", "bar", "timeline", "graph", "scatter" };
static const char *reference_kind_names[] = { "horizontal", "vertical", "diagonal" };

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
    return invalid (error, where, _("has an unknown kind (line, bar, timeline, scatter or graph expected)"));
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
            GHashTable  *packed,
            GArray      *pairs,
            GError     **error)
{
  JsonArray *array = json_node_get_array (node);
  GArray *packed_pairs = packed ? g_hash_table_lookup (packed, array) : NULL;

  /* The parser checked these already. */
  if (packed_pairs != NULL)
    {
      g_array_append_vals (pairs, packed_pairs->data, packed_pairs->len);
      return TRUE;
    }

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
             GHashTable *packed,
             GError    **error)
{
  g_autofree char *where = g_strdup_printf ("series[%u]", index);
  g_autofree char *chart_id = NULL, *id = NULL, *name = NULL, *band_label = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) band = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) point_list = NULL;
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
  if (!load_pairs (points_node, where, packed, points, error))
    return FALSE;

  band_node = member_of_type (object, where, "band", JSON_NODE_ARRAY, FALSE, error);
  if (band_node == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (band_node != NULL && !load_pairs (band_node, where, packed, band, error))
    return FALSE;
  if (band->len != 0 && band->len != points->len)
    return invalid (error, where, _("has a band whose length differs from its points"));

  series = ptl_chart_add_series_with_id (chart, id, name);
  if (band_label != NULL)
    ptl_series_set_band_label (series, band_label);
  point_list = g_array_sized_new (FALSE, FALSE, sizeof (PtlPoint), points->len / 2);
  for (guint i = 0; i < points->len / 2; i++)
    {
      PtlPoint point = {
        g_array_index (points, double, 2 * i),
        g_array_index (points, double, 2 * i + 1),
        band->len ? g_array_index (band, double, 2 * i) : NAN,
        band->len ? g_array_index (band, double, 2 * i + 1) : NAN,
      };

      g_array_append_val (point_list, point);
    }
  ptl_series_add_points (series, (const PtlPoint *) (gpointer) point_list->data, point_list->len);
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

/* @packed: the point arrays ptl_json_parse () kept aside, or NULL. */
static PtlResult *
result_from_json (JsonNode    *node,
                  GHashTable  *packed,
                  GError     **error)
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
      g_autoptr(JsonObject) parameters = ptl_json_object_copy (json_node_get_object (member));
      ptl_result_set_parameters (self, parameters);
    }
  else if (error != NULL && *error != NULL)
    return NULL;

  if ((member = member_of_type (root, "result", "machine", JSON_NODE_OBJECT, FALSE, error)))
    {
      g_autoptr(JsonObject) machine = ptl_json_object_copy (json_node_get_object (member));
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
        if (!load_series (self, json_array_get_element (array, i), i, packed, error))
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

PtlResult *
ptl_result_new_from_json (JsonNode  *node,
                          GError   **error)
{
  return result_from_json (node, NULL, error);
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
  static const char *const packed_members[] = { "points", "band", NULL };
  g_autoptr(GHashTable) packed = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *data = NULL;
  gsize len, start = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!ptl_file_read_regular (path, &data, &len, error))
    return NULL;
  display = g_filename_display_name (path);
  while (start < len && g_ascii_isspace (data[start]))
    start++;
  if (start == len)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("%s is empty"), display);
      return NULL;
    }
  root = ptl_json_parse (data, len, "series", packed_members, &packed, &local_error);
  if (root == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("Could not read %s: %s"), display, local_error->message);
      return NULL;
    }
  /* The text is no longer needed: free it before the result's copy grows. */
  g_clear_pointer (&data, g_free);
  return result_from_json (root, packed, error);
}
