/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-graph-plot"

/* The graph renderer (PTL_CHART_GRAPH): nodes on rings, arrows between
 * them. Highlighted nodes (a deadlock's cycle, listed in its order) go on
 * the inner ring in the order they were added, so a cycle draws as a
 * ring of arrows; the other nodes go on an outer ring next to a
 * neighbour of theirs on the inner one. Node labels go inside the nodes
 * when the ring has room for them, otherwise outside, where they are left
 * out if they would overlap (a hover still names every node). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-plot-private.h"

typedef struct
{
  double       x;
  double       y;
  double       half_width;  /* a round node's radius is its half width */
  double       half_height;
  PtlGraphShape shape;
  PangoLayout *label;
} NodePlace;

typedef struct
{
  PangoLayout *layout;
  int          what;   /* 0 node kind, 1 edge kind, 2 highlight */
  guint        index;
  double       x;
  double       y;
} LegendItem;

typedef struct
{
  PtlGraph    *graph;
  PangoLayout *title;
  double       title_y;
  GArray      *legend;      /* LegendItem */
  double       legend_y;
  PtlPlotArea  area;
  NodePlace   *nodes;
  gboolean     labels_inside;
} GraphLayout;

#define SWATCH_WIDTH(s) ((s) * 1.8)

static const PtlRgba *
highlight_color (const PtlPlotStyle *style)
{
  /* Vermillion on light, orange on dark: the palette's second colour,
   * the one that stands out most from the first (the node kinds'). */
  return _ptl_plot_series_color (style, 1);
}

static const PtlRgba *
kind_color (const PtlPlotStyle *style,
            guint               kind)
{
  return _ptl_plot_series_color (style, kind == 0 ? 0 : kind + 1);
}

static void
legend_add (GraphLayout        *layout,
            PangoContext       *context,
            const PtlPlotStyle *style,
            const char         *text,
            int                 what,
            guint               index)
{
  LegendItem item = { _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, text), what, index, 0, 0 };

  g_array_append_val (layout->legend, item);
}

/* Places the legend items in rows across @width; returns its height. */
static double
legend_flow (GraphLayout        *layout,
             const PtlPlotStyle *style,
             double              width)
{
  double s = style->font_size;
  double x = 0, y = 0, row_height = 0;

  for (guint i = 0; i < layout->legend->len; i++)
    {
      LegendItem *item = &g_array_index (layout->legend, LegendItem, i);
      double text_width, text_height, item_width;

      _ptl_plot_layout_get_size (item->layout, &text_width, &text_height);
      item_width = SWATCH_WIDTH (s) + s * 0.4 + text_width;
      if (x > 0 && x + item_width > width)
        {
          x = 0;
          y += row_height + s * 0.3;
          row_height = 0;
        }
      item->x = x;
      item->y = y;
      x += item_width + s * 1.2;
      row_height = MAX (row_height, text_height);
    }
  return layout->legend->len > 0 ? y + row_height : 0;
}

/* Angles of the nodes: the highlighted ones evenly round the inner ring
 * in order, every other one next to its first placed neighbour. */
static void
place_nodes (GraphLayout *layout,
             double      *angle,
             gboolean    *inner)
{
  PtlGraph *graph = layout->graph;
  guint n = ptl_graph_get_n_nodes (graph), n_inner = 0, i_inner = 0, n_left;
  g_autofree gboolean *placed = g_new0 (gboolean, MAX (n, 1));
  g_autofree guint *around = g_new0 (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    n_inner += ptl_graph_get_node (graph, i)->highlight;
  /* Without a highlight every node goes on the one ring. */
  for (guint i = 0; i < n; i++)
    {
      inner[i] = n_inner == 0 || ptl_graph_get_node (graph, i)->highlight;
      if (inner[i])
        {
          angle[i] = -G_PI / 2 + 2 * G_PI * i_inner++ / MAX (n_inner == 0 ? n : n_inner, 1);
          placed[i] = TRUE;
        }
    }
  n_left = n - i_inner;
  /* Each pass places the nodes next to one already placed. */
  while (n_left > 0)
    {
      guint before = n_left;

      for (guint e = 0; e < ptl_graph_get_n_edges (graph); e++)
        {
          const PtlGraphEdge *edge = ptl_graph_get_edge (graph, e);
          guint from = edge->from, to = edge->to;

          if (placed[from] == placed[to])
            continue;
          if (placed[to])
            {
              guint t = from;

              from = to;
              to = t;
            }
          /* Fanned out round the neighbour, alternating sides. */
          angle[to] = angle[from] + 0.22 * ((around[from] + 2) / 2) * (around[from] % 2 == 0 ? 1 : -1);
          around[from]++;
          placed[to] = TRUE;
          n_left--;
        }
      if (n_left == before)
        for (guint i = 0; i < n; i++)
          if (!placed[i])
            {
              /* Not connected to anything placed: spread at the bottom. */
              angle[i] = G_PI / 2 + 0.3 * (double) (n_left--);
              placed[i] = TRUE;
              break;
            }
    }
}

static void
graph_layout_init (GraphLayout        *layout,
                   PtlChart           *chart,
                   PangoContext       *context,
                   const PtlPlotStyle *style,
                   double              width,
                   double              height)
{
  double s = style->font_size;
  double pad = _ptl_plot_padding (style);
  double content_width = MAX (width - 2 * pad, 1);
  double top = pad, text_height, max_w = 0, max_h = 0, outer, inner_r, spacing, stretch;
  g_autofree double *angle = NULL;
  g_autofree gboolean *inner = NULL;
  gboolean any_outer = FALSE;
  guint n, n_inner = 0;

  memset (layout, 0, sizeof *layout);
  layout->graph = ptl_chart_get_graph (chart);
  layout->legend = g_array_new (FALSE, FALSE, sizeof (LegendItem));

  layout->title = _ptl_chart_title_new (chart, context, style, content_width);
  if (layout->title != NULL)
    {
      _ptl_plot_layout_get_size (layout->title, NULL, &text_height);
      layout->title_y = top;
      top += text_height + s * 0.4;
    }
  if (layout->graph != NULL)
    {
      for (guint k = 0; k < ptl_graph_get_n_node_kinds (layout->graph); k++)
        legend_add (layout, context, style, ptl_graph_get_node_kind (layout->graph, k)->name, 0, k);
      for (guint k = 0; k < ptl_graph_get_n_edge_kinds (layout->graph); k++)
        legend_add (layout, context, style, ptl_graph_get_edge_kind (layout->graph, k)->name, 1, k);
      if (ptl_graph_get_highlight_label (layout->graph) != NULL)
        legend_add (layout, context, style, ptl_graph_get_highlight_label (layout->graph), 2, 0);
    }
  layout->legend_y = top;
  top += legend_flow (layout, style, content_width) + s * 0.6;
  layout->area = (PtlPlotArea) { pad, top, content_width, MAX (height - pad - top, 1) };

  n = layout->graph != NULL ? ptl_graph_get_n_nodes (layout->graph) : 0;
  if (n == 0)
    return;
  layout->nodes = g_new0 (NodePlace, n);
  angle = g_new (double, n);
  inner = g_new (gboolean, n);
  place_nodes (layout, angle, inner);

  for (guint i = 0; i < n; i++)
    {
      const PtlGraphNode *node = ptl_graph_get_node (layout->graph, i);
      double w, h;

      layout->nodes[i].label = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, node->name);
      layout->nodes[i].shape = ptl_graph_get_node_kind (layout->graph, node->kind)->shape;
      _ptl_plot_layout_get_size (layout->nodes[i].label, &w, &h);
      max_w = MAX (max_w, w);
      max_h = MAX (max_h, h);
      n_inner += inner[i];
      any_outer |= !inner[i];
    }

  /* Room round the rings for a node and, outside, its label. */
  outer = MIN (layout->area.width, layout->area.height) / 2 - (max_h + s * 0.8);
  if (layout->area.width > layout->area.height)
    outer = MIN (layout->area.width / 2 - (max_w + s), layout->area.height / 2 - (max_h + s * 0.8));
  outer = MAX (outer, s);
  /* A wide, short area (a figure above its notes, at report size) would
   * squeeze the rings into its height, their labels colliding: small
   * rings stretch sideways into an ellipse (up to 2.5 times, and no wider
   * than a ring of eight lines of text), so nodes and labels spread out. */
  stretch = MIN ((layout->area.width / 2 - (max_w + s)) / outer, CLAMP (s * 8 / outer, 1, 2.5));
  stretch = MAX (stretch, 1);
  inner_r = any_outer ? outer * 0.6 : outer;
  spacing = 2 * G_PI * inner_r / MAX (n_inner, 1);
  layout->labels_inside = max_w + s * 0.8 < spacing * 0.85 && max_h + s * 0.5 < inner_r * 0.5;

  for (guint i = 0; i < n; i++)
    {
      NodePlace *place = &layout->nodes[i];
      double r = inner[i] ? inner_r : outer;
      double w, h;

      _ptl_plot_layout_get_size (place->label, &w, &h);
      place->x = layout->area.left + layout->area.width / 2 + r * stretch * cos (angle[i]);
      place->y = layout->area.top + layout->area.height / 2 + r * sin (angle[i]);
      if (layout->labels_inside)
        {
          place->half_width = (w + s * 0.8) / 2;
          place->half_height = (h + s * 0.5) / 2;
          if (place->shape == PTL_GRAPH_SHAPE_ROUND)
            place->half_width = place->half_height = MAX (place->half_width, place->half_height);
        }
      else
        place->half_width = place->half_height = CLAMP (spacing * 0.3, s * 0.25, s * 0.6);
    }
}

static void
graph_layout_clear (GraphLayout *layout)
{
  guint n = layout->graph != NULL && layout->nodes != NULL ? ptl_graph_get_n_nodes (layout->graph) : 0;

  for (guint i = 0; i < n; i++)
    g_clear_object (&layout->nodes[i].label);
  g_free (layout->nodes);
  for (guint i = 0; i < layout->legend->len; i++)
    g_object_unref (g_array_index (layout->legend, LegendItem, i).layout);
  g_array_unref (layout->legend);
  g_clear_object (&layout->title);
}

static void
shape_path (cairo_t       *cr,
            PtlGraphShape  shape,
            double         x,
            double         y,
            double         half_width,
            double         half_height)
{
  if (shape == PTL_GRAPH_SHAPE_ROUND)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, half_width, 0, 2 * G_PI);
    }
  else
    cairo_rectangle (cr, x - half_width, y - half_height, 2 * half_width, 2 * half_height);
}

/* How far from a node's centre its outline is, towards (dx, dy). */
static double
outline_distance (const NodePlace *place,
                  double           dx,
                  double           dy)
{
  double length = hypot (dx, dy);

  if (length == 0)
    return 0;
  if (place->shape == PTL_GRAPH_SHAPE_ROUND)
    return place->half_width;
  return length * MIN (fabs (dx) > 0 ? place->half_width / fabs (dx) : G_MAXDOUBLE,
                       fabs (dy) > 0 ? place->half_height / fabs (dy) : G_MAXDOUBLE);
}

/* Arrows are not registered as marks: the box around a slanted arrow
 * covers the ring's middle and would push every label out. */
static void
draw_edge (cairo_t            *cr,
           const PtlPlotStyle *style,
           const GraphLayout  *layout,
           const PtlGraphEdge *edge)
{
  const NodePlace *a = &layout->nodes[edge->from], *b = &layout->nodes[edge->to];
  double dx = b->x - a->x, dy = b->y - a->y, length = hypot (dx, dy);
  double s = style->font_size, head = s * 0.7, ux, uy, x0, y0, x1, y1;
  const PtlRgba *color = edge->highlight ? highlight_color (style) : &style->muted;
  double width = edge->highlight ? style->line_width * 1.5 : style->line_width * 0.75;
  double dash[] = { s * 0.4, s * 0.3 };

  if (length <= 0)
    return;
  ux = dx / length;
  uy = dy / length;
  x0 = a->x + ux * outline_distance (a, dx, dy);
  y0 = a->y + uy * outline_distance (a, dx, dy);
  x1 = b->x - ux * outline_distance (b, dx, dy);
  y1 = b->y - uy * outline_distance (b, dx, dy);

  cairo_save (cr);
  _ptl_plot_set_source (cr, color, 1);
  cairo_set_line_width (cr, width);
  if (ptl_graph_get_edge_kind (layout->graph, edge->kind)->dashed)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - ux * head - uy * head * 0.45, y1 - uy * head + ux * head * 0.45);
  cairo_line_to (cr, x1 - ux * head + uy * head * 0.45, y1 - uy * head - ux * head * 0.45);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_legend (cairo_t            *cr,
             const PtlPlotStyle *style,
             const GraphLayout  *layout)
{
  double s = style->font_size, pad = _ptl_plot_padding (style);

  for (guint i = 0; i < layout->legend->len; i++)
    {
      const LegendItem *item = &g_array_index (layout->legend, LegendItem, i);
      double x = pad + item->x, text_height, cy;

      _ptl_plot_layout_get_size (item->layout, NULL, &text_height);
      cy = layout->legend_y + item->y + text_height / 2;
      cairo_save (cr);
      if (item->what == 0)
        {
          const PtlRgba *color = kind_color (style, item->index);

          shape_path (cr, ptl_graph_get_node_kind (layout->graph, item->index)->shape,
                      x + SWATCH_WIDTH (s) / 2, cy, s * 0.45, s * 0.4);
          _ptl_plot_set_source (cr, color, 0.25);
          cairo_fill_preserve (cr);
          _ptl_plot_set_source (cr, color, 1);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
      else
        {
          double dash[] = { s * 0.3, s * 0.2 };

          _ptl_plot_set_source (cr, item->what == 2 ? highlight_color (style) : &style->muted, 1);
          cairo_set_line_width (cr, item->what == 2 ? style->line_width * 1.5 : style->line_width * 0.75);
          if (item->what == 1 && ptl_graph_get_edge_kind (layout->graph, item->index)->dashed)
            cairo_set_dash (cr, dash, 2, 0);
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + SWATCH_WIDTH (s) - s * 0.4, cy);
          cairo_stroke (cr);
          cairo_move_to (cr, x + SWATCH_WIDTH (s), cy);
          cairo_line_to (cr, x + SWATCH_WIDTH (s) - s * 0.5, cy - s * 0.25);
          cairo_line_to (cr, x + SWATCH_WIDTH (s) - s * 0.5, cy + s * 0.25);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      cairo_restore (cr);
      _ptl_plot_show_layout (cr, item->layout, &style->muted, x + SWATCH_WIDTH (s) + s * 0.4,
                             layout->legend_y + item->y, 0, 0);
    }
}

void
_ptl_graph_plot_draw (PtlChart           *chart,
                      cairo_t            *cr,
                      const PtlPlotStyle *style,
                      double              width,
                      double              height,
                      PtlLabelPlacer     *placer)
{
  PangoContext *context = _ptl_plot_context_new (cr);
  double pad = _ptl_plot_padding (style);
  PtlBox bounds;
  GraphLayout layout;
  guint n;

  graph_layout_init (&layout, chart, context, style, width, height);
  bounds = (PtlBox) { 0, layout.area.top, width, height - layout.area.top };

  _ptl_plot_set_source (cr, &style->background, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (layout.title != NULL)
    _ptl_plot_show_layout (cr, layout.title, &style->foreground, pad, layout.title_y, 0, 0);

  n = layout.nodes != NULL ? ptl_graph_get_n_nodes (layout.graph) : 0;
  if (n == 0)
    {
      _ptl_draw_no_data (cr, context, style, &layout.area);
      graph_layout_clear (&layout);
      g_object_unref (context);
      return;
    }
  draw_legend (cr, style, &layout);

  /* Plain arrows first, so the cycle's draw over them. */
  for (int pass = 0; pass < 2; pass++)
    for (guint e = 0; e < ptl_graph_get_n_edges (layout.graph); e++)
      {
        const PtlGraphEdge *edge = ptl_graph_get_edge (layout.graph, e);

        if (edge->highlight == (pass == 1))
          draw_edge (cr, style, &layout, edge);
      }

  for (guint i = 0; i < n; i++)
    {
      const PtlGraphNode *node = ptl_graph_get_node (layout.graph, i);
      const NodePlace *place = &layout.nodes[i];
      const PtlRgba *color = kind_color (style, node->kind);

      cairo_save (cr);
      shape_path (cr, place->shape, place->x, place->y, place->half_width, place->half_height);
      _ptl_plot_set_source (cr, &style->background, 1);
      cairo_fill_preserve (cr);
      _ptl_plot_set_source (cr, color, 0.22);
      cairo_fill_preserve (cr);
      _ptl_plot_set_source (cr, node->highlight ? highlight_color (style) : color, 1);
      cairo_set_line_width (cr, node->highlight ? style->line_width * 1.5 : style->line_width * 0.75);
      cairo_stroke (cr);
      cairo_restore (cr);
      _ptl_label_placer_add_mark (placer, place->x - place->half_width, place->y - place->half_height,
                                  place->x + place->half_width, place->y + place->half_height);
    }

  for (guint i = 0; i < n; i++)
    {
      const NodePlace *place = &layout.nodes[i];
      double cx = layout.area.left + layout.area.width / 2, cy = layout.area.top + layout.area.height / 2;
      double w, h, dx = place->x - cx, dy = place->y - cy, d = hypot (dx, dy);
      double reach = hypot (place->half_width, place->half_height) + style->font_size * 0.25;
      double ux = d > 0 ? dx / d : 0, uy = d > 0 ? dy / d : 1;
      PtlLabelAnchor anchors[3];
      PtlBox placed;

      if (layout.labels_inside)
        {
          _ptl_plot_show_layout (cr, place->label, &style->foreground, place->x, place->y, 0.5, 0.5);
          continue;
        }
      /* Outside, away from the centre (clear of the node's corners),
       * else beside it. */
      _ptl_plot_layout_get_size (place->label, &w, &h);
      anchors[0] = (PtlLabelAnchor) { place->x + ux * reach, place->y + uy * reach, 0.5 - 0.5 * ux, 0.5 - 0.5 * uy };
      anchors[1] = (PtlLabelAnchor) { place->x + reach, place->y, 0, 0.5 };
      anchors[2] = (PtlLabelAnchor) { place->x - reach, place->y, 1, 0.5 };
      if (_ptl_label_placer_place (placer, &bounds, w, h, anchors, G_N_ELEMENTS (anchors), &placed))
        _ptl_plot_show_layout (cr, place->label, &style->foreground, placed.x, placed.y, 0, 0);
    }

  graph_layout_clear (&layout);
  g_object_unref (context);
}

gboolean
_ptl_graph_plot_hit_test (PtlChart           *chart,
                          const PtlPlotStyle *style,
                          double              width,
                          double              height,
                          double              px,
                          double              py,
                          PtlChartHit        *hit)
{
  PangoContext *context = _ptl_plot_context_new (NULL);
  gboolean found = FALSE;
  GraphLayout layout;

  graph_layout_init (&layout, chart, context, style, width, height);
  for (guint i = 0; layout.nodes != NULL && i < ptl_graph_get_n_nodes (layout.graph); i++)
    {
      const NodePlace *place = &layout.nodes[i];

      if (fabs (px - place->x) <= place->half_width + 2 && fabs (py - place->y) <= place->half_height + 2)
        {
          if (hit != NULL)
            *hit = (PtlChartHit) { i, 0, place->x, place->y };
          found = TRUE;
          break;
        }
    }
  graph_layout_clear (&layout);
  g_object_unref (context);
  return found;
}
