/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-chart-graph"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-chart-graph.h"
#include "ptl-result.h"

struct _PtlGraph
{
  GArray *node_kinds; /* PtlGraphNodeKind */
  GArray *edge_kinds; /* PtlGraphEdgeKind */
  GArray *nodes;      /* PtlGraphNode */
  GArray *edges;      /* PtlGraphEdge */
  char   *highlight_label;
};

static const char * const shape_names[] = { "round", "box" };

static void
node_kind_clear (gpointer data)
{
  g_free (((PtlGraphNodeKind *) data)->name);
}

static void
edge_kind_clear (gpointer data)
{
  g_free (((PtlGraphEdgeKind *) data)->name);
}

static void
node_clear (gpointer data)
{
  g_free (((PtlGraphNode *) data)->name);
}

PtlGraph *
ptl_graph_new (void)
{
  PtlGraph *graph = g_new0 (PtlGraph, 1);

  graph->node_kinds = g_array_new (FALSE, FALSE, sizeof (PtlGraphNodeKind));
  g_array_set_clear_func (graph->node_kinds, node_kind_clear);
  graph->edge_kinds = g_array_new (FALSE, FALSE, sizeof (PtlGraphEdgeKind));
  g_array_set_clear_func (graph->edge_kinds, edge_kind_clear);
  graph->nodes = g_array_new (FALSE, FALSE, sizeof (PtlGraphNode));
  g_array_set_clear_func (graph->nodes, node_clear);
  graph->edges = g_array_new (FALSE, FALSE, sizeof (PtlGraphEdge));
  return graph;
}

void
ptl_graph_free (PtlGraph *graph)
{
  if (graph == NULL)
    return;
  g_array_unref (graph->node_kinds);
  g_array_unref (graph->edge_kinds);
  g_array_unref (graph->nodes);
  g_array_unref (graph->edges);
  g_free (graph->highlight_label);
  g_free (graph);
}

PtlGraph *
ptl_graph_copy (PtlGraph *graph)
{
  PtlGraph *copy;

  g_return_val_if_fail (graph != NULL, NULL);

  copy = ptl_graph_new ();
  for (guint i = 0; i < graph->node_kinds->len; i++)
    {
      const PtlGraphNodeKind *kind = &g_array_index (graph->node_kinds, PtlGraphNodeKind, i);

      ptl_graph_add_node_kind (copy, kind->name, kind->shape);
    }
  for (guint i = 0; i < graph->edge_kinds->len; i++)
    {
      const PtlGraphEdgeKind *kind = &g_array_index (graph->edge_kinds, PtlGraphEdgeKind, i);

      ptl_graph_add_edge_kind (copy, kind->name, kind->dashed);
    }
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const PtlGraphNode *node = &g_array_index (graph->nodes, PtlGraphNode, i);

      ptl_graph_add_node (copy, node->kind, node->name, node->highlight);
    }
  g_array_append_vals (copy->edges, graph->edges->data, graph->edges->len);
  copy->highlight_label = g_strdup (graph->highlight_label);
  return copy;
}

guint
ptl_graph_add_node_kind (PtlGraph      *graph,
                         const char    *name,
                         PtlGraphShape  shape)
{
  PtlGraphNodeKind kind = { g_strdup (name), shape };

  g_return_val_if_fail (graph != NULL && name != NULL, 0);
  g_return_val_if_fail (shape <= PTL_GRAPH_SHAPE_BOX, 0);

  g_array_append_val (graph->node_kinds, kind);
  return graph->node_kinds->len - 1;
}

guint
ptl_graph_add_edge_kind (PtlGraph   *graph,
                         const char *name,
                         gboolean    dashed)
{
  PtlGraphEdgeKind kind = { g_strdup (name), !!dashed };

  g_return_val_if_fail (graph != NULL && name != NULL, 0);

  g_array_append_val (graph->edge_kinds, kind);
  return graph->edge_kinds->len - 1;
}

void
ptl_graph_set_highlight_label (PtlGraph   *graph,
                               const char *label)
{
  g_return_if_fail (graph != NULL);

  g_free (graph->highlight_label);
  graph->highlight_label = g_strdup (label);
}

guint
ptl_graph_add_node (PtlGraph   *graph,
                    guint       kind,
                    const char *name,
                    gboolean    highlight)
{
  PtlGraphNode node = { kind, g_strdup (name), !!highlight };

  g_return_val_if_fail (graph != NULL && name != NULL, 0);
  g_return_val_if_fail (kind < graph->node_kinds->len, 0);

  g_array_append_val (graph->nodes, node);
  return graph->nodes->len - 1;
}

void
ptl_graph_add_edge (PtlGraph *graph,
                    guint     kind,
                    guint     from,
                    guint     to,
                    gboolean  highlight)
{
  PtlGraphEdge edge = { kind, from, to, !!highlight };

  g_return_if_fail (graph != NULL);
  g_return_if_fail (kind < graph->edge_kinds->len);
  g_return_if_fail (from < graph->nodes->len && to < graph->nodes->len);

  g_array_append_val (graph->edges, edge);
}

guint
ptl_graph_get_n_node_kinds (PtlGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->node_kinds->len;
}

const PtlGraphNodeKind *
ptl_graph_get_node_kind (PtlGraph *graph,
                         guint     index)
{
  g_return_val_if_fail (graph != NULL && index < graph->node_kinds->len, NULL);
  return &g_array_index (graph->node_kinds, PtlGraphNodeKind, index);
}

guint
ptl_graph_get_n_edge_kinds (PtlGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->edge_kinds->len;
}

const PtlGraphEdgeKind *
ptl_graph_get_edge_kind (PtlGraph *graph,
                         guint     index)
{
  g_return_val_if_fail (graph != NULL && index < graph->edge_kinds->len, NULL);
  return &g_array_index (graph->edge_kinds, PtlGraphEdgeKind, index);
}

const char *
ptl_graph_get_highlight_label (PtlGraph *graph)
{
  g_return_val_if_fail (graph != NULL, NULL);
  return graph->highlight_label;
}

guint
ptl_graph_get_n_nodes (PtlGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->nodes->len;
}

const PtlGraphNode *
ptl_graph_get_node (PtlGraph *graph,
                    guint     index)
{
  g_return_val_if_fail (graph != NULL && index < graph->nodes->len, NULL);
  return &g_array_index (graph->nodes, PtlGraphNode, index);
}

guint
ptl_graph_get_n_edges (PtlGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->edges->len;
}

const PtlGraphEdge *
ptl_graph_get_edge (PtlGraph *graph,
                    guint     index)
{
  g_return_val_if_fail (graph != NULL && index < graph->edges->len, NULL);
  return &g_array_index (graph->edges, PtlGraphEdge, index);
}

/* JSON */

JsonNode *
ptl_graph_to_json (PtlGraph *graph)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (graph != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "node_kinds");
  json_builder_begin_array (builder);
  for (guint i = 0; i < graph->node_kinds->len; i++)
    {
      const PtlGraphNodeKind *kind = &g_array_index (graph->node_kinds, PtlGraphNodeKind, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, kind->name);
      json_builder_set_member_name (builder, "shape");
      json_builder_add_string_value (builder, shape_names[kind->shape]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "edge_kinds");
  json_builder_begin_array (builder);
  for (guint i = 0; i < graph->edge_kinds->len; i++)
    {
      const PtlGraphEdgeKind *kind = &g_array_index (graph->edge_kinds, PtlGraphEdgeKind, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, kind->name);
      json_builder_set_member_name (builder, "dashed");
      json_builder_add_boolean_value (builder, kind->dashed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (graph->highlight_label != NULL)
    {
      json_builder_set_member_name (builder, "highlight_label");
      json_builder_add_string_value (builder, graph->highlight_label);
    }

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const PtlGraphNode *node = &g_array_index (graph->nodes, PtlGraphNode, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_int_value (builder, node->kind);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, node->name);
      json_builder_set_member_name (builder, "highlight");
      json_builder_add_boolean_value (builder, node->highlight);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* [kind, from, to, highlight] each, as timeline slices are tuples. */
  json_builder_set_member_name (builder, "edges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const PtlGraphEdge *edge = &g_array_index (graph->edges, PtlGraphEdge, i);

      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, edge->kind);
      json_builder_add_int_value (builder, edge->from);
      json_builder_add_int_value (builder, edge->to);
      json_builder_add_boolean_value (builder, edge->highlight);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
invalid (GError    **error,
         const char *where,
         const char *what)
{
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("Not a valid result: %s %s"), where, what);
  return FALSE;
}

/* Member @name of @object as a list of objects; NULL (and @error) when it
 * is something else, an empty list when missing and not @required. */
static JsonArray *
object_list (JsonObject  *object,
             const char  *name,
             const char  *where,
             gboolean     required,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *path = g_strdup_printf ("%s.graph.%s", where, name);
  JsonArray *array;

  if (node == NULL && !required)
    return json_array_new ();
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    {
      invalid (error, path, _("must be a list"));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (JSON_NODE_TYPE (json_array_get_element (array, i)) != (g_str_equal (name, "edges") ? JSON_NODE_ARRAY
                                                                                            : JSON_NODE_OBJECT))
      {
        invalid (error, path, g_str_equal (name, "edges") ? _("must hold [kind, from, to, highlight] lists")
                                                          : _("must hold objects"));
        return NULL;
      }
  return json_array_ref (array);
}

/* A string member, or NULL with @error. */
static const char *
string_member (JsonObject  *object,
               const char  *name,
               const char  *where,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s", where, name);

      invalid (error, path, _("must be text"));
      return NULL;
    }
  return json_node_get_string (node);
}

/* An index member or tuple element in [0, @limit), or -1 with @error. */
static gint64
index_value (JsonNode    *node,
             guint        limit,
             const char  *where,
             GError     **error)
{
  gint64 value;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      invalid (error, where, _("must be a whole number"));
      return -1;
    }
  value = json_node_get_int (node);
  if (value < 0 || value >= limit)
    {
      invalid (error, where, _("refers to an item that does not exist"));
      return -1;
    }
  return value;
}

static gboolean
boolean_value (JsonNode *node)
{
  return node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_VALUE &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

PtlGraph *
ptl_graph_new_from_json (JsonNode    *node,
                         const char  *where,
                         GError     **error)
{
  g_autoptr(PtlGraph) graph = ptl_graph_new ();
  g_autoptr(JsonArray) node_kinds = NULL, edge_kinds = NULL, nodes = NULL, edges = NULL;
  g_autofree char *path = g_strdup_printf ("%s.graph", where);
  JsonObject *object;
  JsonNode *label;

  g_return_val_if_fail (where != NULL, NULL);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    {
      invalid (error, path, _("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if ((node_kinds = object_list (object, "node_kinds", where, TRUE, error)) == NULL ||
      (edge_kinds = object_list (object, "edge_kinds", where, TRUE, error)) == NULL ||
      (nodes = object_list (object, "nodes", where, TRUE, error)) == NULL ||
      (edges = object_list (object, "edges", where, FALSE, error)) == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (node_kinds); i++)
    {
      JsonObject *kind = json_array_get_object_element (node_kinds, i);
      g_autofree char *item = g_strdup_printf ("%s.node_kinds[%u]", path, i);
      const char *name = string_member (kind, "name", item, error);
      const char *shape = name != NULL ? string_member (kind, "shape", item, error) : NULL;
      guint s = 0;

      if (shape == NULL)
        return NULL;
      while (s < G_N_ELEMENTS (shape_names) && !g_str_equal (shape, shape_names[s]))
        s++;
      if (s == G_N_ELEMENTS (shape_names))
        {
          invalid (error, item, _("has an unknown shape (round or box expected)"));
          return NULL;
        }
      ptl_graph_add_node_kind (graph, name, s);
    }
  for (guint i = 0; i < json_array_get_length (edge_kinds); i++)
    {
      JsonObject *kind = json_array_get_object_element (edge_kinds, i);
      g_autofree char *item = g_strdup_printf ("%s.edge_kinds[%u]", path, i);
      const char *name = string_member (kind, "name", item, error);

      if (name == NULL)
        return NULL;
      ptl_graph_add_edge_kind (graph, name, boolean_value (json_object_get_member (kind, "dashed")));
    }
  label = json_object_get_member (object, "highlight_label");
  if (label != NULL && !JSON_NODE_HOLDS_NULL (label))
    {
      const char *text = string_member (object, "highlight_label", path, error);

      if (text == NULL)
        return NULL;
      ptl_graph_set_highlight_label (graph, text);
    }
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *item_object = json_array_get_object_element (nodes, i);
      g_autofree char *item = g_strdup_printf ("%s.nodes[%u]", path, i);
      g_autofree char *kind_where = g_strdup_printf ("%s.kind", item);
      const char *name = string_member (item_object, "name", item, error);
      gint64 kind = name != NULL ? index_value (json_object_get_member (item_object, "kind"),
                                                graph->node_kinds->len, kind_where, error) : -1;

      if (kind < 0)
        return NULL;
      ptl_graph_add_node (graph, (guint) kind, name, boolean_value (json_object_get_member (item_object, "highlight")));
    }
  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonArray *tuple = json_array_get_array_element (edges, i);
      g_autofree char *item = g_strdup_printf ("%s.edges[%u]", path, i);
      gint64 kind, from, to;

      if (json_array_get_length (tuple) != 4)
        {
          invalid (error, item, _("must be [kind, from, to, highlight]"));
          return NULL;
        }
      if ((kind = index_value (json_array_get_element (tuple, 0), graph->edge_kinds->len, item, error)) < 0 ||
          (from = index_value (json_array_get_element (tuple, 1), graph->nodes->len, item, error)) < 0 ||
          (to = index_value (json_array_get_element (tuple, 2), graph->nodes->len, item, error)) < 0)
        return NULL;
      ptl_graph_add_edge (graph, (guint) kind, (guint) from, (guint) to,
                          boolean_value (json_array_get_element (tuple, 3)));
    }
  return g_steal_pointer (&graph);
}

/* CSV */

static void
append_row (GString    *out,
            const char *chart_id,
            const char *series,
            const char *x,
            gboolean    highlight,
            const char *highlight_label)
{
  ptl_csv_append_field (out, chart_id);
  g_string_append_c (out, ',');
  ptl_csv_append_field (out, series);
  g_string_append_c (out, ',');
  ptl_csv_append_field (out, x);
  g_string_append (out, ",,");
  g_string_append_c (out, highlight ? '1' : '0');
  g_string_append_c (out, ',');
  ptl_csv_append_field (out, highlight_label != NULL ? highlight_label : "");
  g_string_append (out, ",,\r\n");
}

void
ptl_graph_append_csv (PtlGraph   *graph,
                      const char *chart_id,
                      GString    *out)
{
  g_return_if_fail (graph != NULL && chart_id != NULL && out != NULL);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const PtlGraphNode *node = &g_array_index (graph->nodes, PtlGraphNode, i);

      append_row (out, chart_id, g_array_index (graph->node_kinds, PtlGraphNodeKind, node->kind).name,
                  node->name, node->highlight, graph->highlight_label);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const PtlGraphEdge *edge = &g_array_index (graph->edges, PtlGraphEdge, i);
      /* TRANSLATORS: an arrow of a graph in CSV, e.g. "Fork 3 → Philosopher 3" */
      g_autofree char *x = g_strdup_printf (_("%s → %s"), g_array_index (graph->nodes, PtlGraphNode, edge->from).name,
                                            g_array_index (graph->nodes, PtlGraphNode, edge->to).name);

      append_row (out, chart_id, g_array_index (graph->edge_kinds, PtlGraphEdgeKind, edge->kind).name,
                  x, edge->highlight, graph->highlight_label);
    }
}
