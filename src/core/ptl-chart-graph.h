/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ptl-types.h"

G_BEGIN_DECLS

/* The data of a PTL_CHART_GRAPH chart: nodes and arrows between them,
 * e.g. a wait-for graph (threads and locks; "holds" and "waits for"
 * arrows). Nodes and edges have kinds, which the legend names: a node
 * kind has a shape, an edge kind a line. Highlighted nodes and edges (a
 * deadlock's cycle) draw in a colour of their own, named by the
 * highlight label. A plain struct, built by one thread and then handed
 * to a chart (ptl_chart_set_graph ()). */

typedef enum
{
  PTL_GRAPH_SHAPE_ROUND, /* e.g. a thread */
  PTL_GRAPH_SHAPE_BOX,   /* e.g. a lock */
} PtlGraphShape;

typedef struct
{
  char          *name;
  PtlGraphShape  shape;
} PtlGraphNodeKind;

typedef struct
{
  char     *name;
  gboolean  dashed;
} PtlGraphEdgeKind;

typedef struct
{
  guint     kind;
  char     *name;
  gboolean  highlight;
} PtlGraphNode;

typedef struct
{
  guint     kind;
  guint     from;
  guint     to;
  gboolean  highlight;
} PtlGraphEdge;

typedef struct _PtlGraph PtlGraph;

PtlGraph               *ptl_graph_new                 (void);
void                    ptl_graph_free                (PtlGraph   *graph);
PtlGraph               *ptl_graph_copy                (PtlGraph   *graph);

guint                   ptl_graph_add_node_kind       (PtlGraph      *graph,
                                                       const char    *name,
                                                       PtlGraphShape  shape);
guint                   ptl_graph_add_edge_kind       (PtlGraph      *graph,
                                                       const char    *name,
                                                       gboolean       dashed);
/* What highlighted items are, for the legend ("Cycle"). */
void                    ptl_graph_set_highlight_label (PtlGraph      *graph,
                                                       const char    *label);
guint                   ptl_graph_add_node            (PtlGraph      *graph,
                                                       guint          kind,
                                                       const char    *name,
                                                       gboolean       highlight);
void                    ptl_graph_add_edge            (PtlGraph      *graph,
                                                       guint          kind,
                                                       guint          from,
                                                       guint          to,
                                                       gboolean       highlight);

guint                   ptl_graph_get_n_node_kinds    (PtlGraph   *graph);
const PtlGraphNodeKind *ptl_graph_get_node_kind       (PtlGraph   *graph,
                                                       guint       index);
guint                   ptl_graph_get_n_edge_kinds    (PtlGraph   *graph);
const PtlGraphEdgeKind *ptl_graph_get_edge_kind       (PtlGraph   *graph,
                                                       guint       index);
/* NULL when none was set. */
const char             *ptl_graph_get_highlight_label (PtlGraph   *graph);
guint                   ptl_graph_get_n_nodes         (PtlGraph   *graph);
const PtlGraphNode     *ptl_graph_get_node            (PtlGraph   *graph,
                                                       guint       index);
guint                   ptl_graph_get_n_edges         (PtlGraph   *graph);
const PtlGraphEdge     *ptl_graph_get_edge            (PtlGraph   *graph,
                                                       guint       index);

/* The "graph" member of a chart in a saved result, and back; loading
 * checks every index and names what is wrong after @where. */
JsonNode               *ptl_graph_to_json             (PtlGraph    *graph);
PtlGraph               *ptl_graph_new_from_json       (JsonNode    *node,
                                                       const char  *where,
                                                       GError     **error);
/* Tidy CSV rows (the result's header): a node is a row whose series is
 * its kind, x its name and y 1 when highlighted (else 0); an edge is a
 * row whose series is its kind, x "from → to" and y the same. */
void                    ptl_graph_append_csv          (PtlGraph    *graph,
                                                       const char  *chart_id,
                                                       GString     *out);

/* Hooks into the chart (ptl-result.c): @chart takes @graph; the graph is
 * borrowed from the chart, NULL for charts of other kinds. */
void                    ptl_chart_set_graph           (PtlChart    *chart,
                                                       PtlGraph    *graph);
PtlGraph               *ptl_chart_get_graph           (PtlChart    *chart);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlGraph, ptl_graph_free)

G_END_DECLS
