/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-report"

/* What a report reader needs besides the charts, below them in a
 * whole-figure export: the summary table, the parameters the run used
 * and the machine it ran on. Drawn as Pango text, so PDF and SVG keep
 * it as text. Columns wider than the page wrap rather than overflow. */

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-plot-private.h"

struct _PtlReport
{
  PangoLayout *table_title;
  GPtrArray   *cells;        /* PangoLayout, header row first, row-major */
  guint        n_columns;
  guint        n_rows;       /* with the header */
  double      *column_x;     /* left of each column, relative */
  double      *column_width;
  gboolean    *numeric;      /* right-aligned columns */
  double      *row_y;        /* top of each row, relative, n_rows + 1 */
  double       table_top;
  PangoLayout *facts_title[2];
  GPtrArray   *facts[2];     /* PangoLayout pairs: name, value */
  double       facts_top;
  double       facts_x[2];
  double       facts_name_width[2];
  double       height;
};

/* Gap between columns and between the two fact lists. */
static double
column_gap (const PtlPlotStyle *style)
{
  return style->font_size * 1.2;
}

static PangoLayout *
cell_new (PangoContext       *context,
          const PtlPlotStyle *style,
          const char         *text,
          gboolean            bold)
{
  PangoLayout *layout = _ptl_plot_layout_new (context, style, PTL_TEXT_SMALL, text);

  if (bold)
    {
      PangoFontDescription *description = pango_font_description_copy (pango_layout_get_font_description (layout));

      pango_font_description_set_weight (description, PANGO_WEIGHT_BOLD);
      pango_layout_set_font_description (layout, description);
      pango_font_description_free (description);
    }
  return layout;
}

/* A JSON value as a reader wants it: strings as they are, byte counts
 * (members named *_bytes) in KiB/MiB/GiB, other numbers as short as they
 * go. */
static char *
format_fact (const char *name,
             JsonNode   *node)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("–");
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return json_to_string (node, FALSE);
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (g_str_has_suffix (name, "_bytes"))
    return ptl_format_value (json_node_get_double (node), "B");
  return ptl_format_value (json_node_get_double (node), NULL);
}

static GPtrArray *
facts_new (JsonObject         *object,
           PangoContext       *context,
           const PtlPlotStyle *style)
{
  GPtrArray *facts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) members = object != NULL ? json_object_get_members (object) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *value = format_fact (name, json_object_get_member (object, name));
      g_autofree char *label = g_strdelimit (g_strdup (name), "_", ' ');

      g_ptr_array_add (facts, cell_new (context, style, label, FALSE));
      g_ptr_array_add (facts, cell_new (context, style, value, FALSE));
    }
  return facts;
}

static void
layout_table (PtlReport          *report,
              PtlTable           *table,
              PangoContext       *context,
              const PtlPlotStyle *style,
              double              width)
{
  double gap = column_gap (style);
  double natural = 0, x = 0, y = 0;
  g_autofree double *widest = NULL;

  report->n_columns = ptl_table_get_n_columns (table);
  report->n_rows = ptl_table_get_n_rows (table) + 1;
  report->cells = g_ptr_array_new_with_free_func (g_object_unref);
  report->column_x = g_new0 (double, report->n_columns);
  report->column_width = g_new0 (double, report->n_columns);
  report->numeric = g_new0 (gboolean, report->n_columns);
  report->row_y = g_new0 (double, report->n_rows + 1);
  widest = g_new0 (double, report->n_columns);

  for (guint r = 0; r < report->n_rows; r++)
    for (guint c = 0; c < report->n_columns; c++)
      {
        g_autofree char *text = NULL;
        PangoLayout *cell;
        double cell_width;

        if (r == 0)
          text = g_strdup (ptl_table_get_column_name (table, c));
        else
          {
            text = ptl_table_format_cell (table, r - 1, c);
            report->numeric[c] |= ptl_table_cell_is_number (table, r - 1, c);
          }
        cell = cell_new (context, style, text, r == 0);
        _ptl_plot_layout_get_size (cell, &cell_width, NULL);
        widest[c] = MAX (widest[c], cell_width);
        g_ptr_array_add (report->cells, cell);
      }

  for (guint c = 0; c < report->n_columns; c++)
    natural += widest[c];
  natural += gap * (report->n_columns > 0 ? report->n_columns - 1 : 0);

  /* Too wide for the page: every column gives up the same share, and
   * its cells wrap. */
  for (guint c = 0; c < report->n_columns; c++)
    {
      double share = natural > width ? (width - gap * (report->n_columns - 1)) / (natural - gap * (report->n_columns - 1)) : 1;

      report->column_width[c] = MAX (widest[c] * share, style->font_size * 2);
      report->column_x[c] = x;
      x += report->column_width[c] + gap;
    }

  for (guint r = 0; r < report->n_rows; r++)
    {
      double row_height = 0;

      for (guint c = 0; c < report->n_columns; c++)
        {
          PangoLayout *cell = g_ptr_array_index (report->cells, r * report->n_columns + c);
          double cell_height;

          if (report->column_width[c] < widest[c])
            {
              pango_layout_set_width (cell, (int) (report->column_width[c] * PANGO_SCALE));
              pango_layout_set_wrap (cell, PANGO_WRAP_WORD_CHAR);
            }
          _ptl_plot_layout_get_size (cell, NULL, &cell_height);
          row_height = MAX (row_height, cell_height);
        }
      report->row_y[r] = y;
      y += row_height + style->font_size * 0.3;
    }
  report->row_y[report->n_rows] = y;
}

PtlReport *
_ptl_report_new (PtlResult          *result,
                 PangoContext       *context,
                 const PtlPlotStyle *style,
                 double              width)
{
  PtlReport *report = g_new0 (PtlReport, 1);
  PtlTable *table = ptl_result_get_summary (result);
  JsonObject *objects[2] = { ptl_result_get_parameters (result), ptl_result_get_machine (result) };
  const char *titles[2] = { _("Parameters"), _("Machine") };
  double s = style->font_size;
  double y = 0, facts_height = 0;

  if (table != NULL && ptl_table_get_n_columns (table) > 0 && ptl_table_get_n_rows (table) > 0)
    {
      double title_height;

      report->table_title = _ptl_plot_layout_new (context, style, PTL_TEXT_TITLE, _("Summary"));
      _ptl_plot_layout_get_size (report->table_title, NULL, &title_height);
      report->table_top = title_height + s * 0.3;
      layout_table (report, table, context, style, width);
      y = report->table_top + report->row_y[report->n_rows] + s * 0.6;
    }

  /* Parameters and machine side by side, each half the width. */
  report->facts_top = y;
  for (guint i = 0; i < 2; i++)
    {
      double half = (width - column_gap (style)) / 2;
      double column_y, name_width = 0;

      report->facts[i] = facts_new (objects[i], context, style);
      if (report->facts[i]->len == 0)
        continue;
      report->facts_title[i] = _ptl_plot_layout_new (context, style, PTL_TEXT_TITLE, titles[i]);
      _ptl_plot_layout_get_size (report->facts_title[i], NULL, &column_y);
      column_y += s * 0.3;
      for (guint k = 0; k < report->facts[i]->len; k += 2)
        {
          double w;

          _ptl_plot_layout_get_size (g_ptr_array_index (report->facts[i], k), &w, NULL);
          name_width = MIN (MAX (name_width, w), half * 0.45);
        }
      report->facts_name_width[i] = name_width;
      report->facts_x[i] = i * (half + column_gap (style));
      for (guint k = 0; k < report->facts[i]->len; k += 2)
        {
          PangoLayout *name = g_ptr_array_index (report->facts[i], k);
          PangoLayout *value = g_ptr_array_index (report->facts[i], k + 1);
          double name_height, value_height;

          pango_layout_set_width (name, (int) (name_width * PANGO_SCALE));
          pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
          pango_layout_set_width (value, (int) (MAX (half - name_width - s, s) * PANGO_SCALE));
          pango_layout_set_wrap (value, PANGO_WRAP_WORD_CHAR);
          _ptl_plot_layout_get_size (name, NULL, &name_height);
          _ptl_plot_layout_get_size (value, NULL, &value_height);
          column_y += MAX (name_height, value_height) + s * 0.15;
        }
      facts_height = MAX (facts_height, column_y);
    }
  report->height = y + facts_height;
  return report;
}

double
_ptl_report_get_height (PtlReport *report)
{
  return report->height;
}

void
_ptl_report_draw (PtlReport          *report,
                  cairo_t            *cr,
                  const PtlPlotStyle *style,
                  double              x,
                  double              y)
{
  double s = style->font_size;

  cairo_save (cr);
  if (report->table_title != NULL)
    {
      double top = y + report->table_top;
      double right = x + report->column_x[report->n_columns - 1] + report->column_width[report->n_columns - 1];

      _ptl_plot_show_layout (cr, report->table_title, &style->foreground, x, y, 0, 0);
      for (guint r = 0; r < report->n_rows; r++)
        for (guint c = 0; c < report->n_columns; c++)
          {
            PangoLayout *cell = g_ptr_array_index (report->cells, r * report->n_columns + c);
            double left = x + report->column_x[c];

            /* Numbers right-aligned under their heading, text left. */
            if (report->numeric[c])
              _ptl_plot_show_layout (cr, cell, r == 0 ? &style->muted : &style->foreground,
                                     left + report->column_width[c], top + report->row_y[r], 1, 0);
            else
              _ptl_plot_show_layout (cr, cell, r == 0 ? &style->muted : &style->foreground,
                                     left, top + report->row_y[r], 0, 0);
          }
      /* A rule under the heading row. */
      _ptl_plot_set_source (cr, &style->muted, 0.6);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, top + report->row_y[1] - s * 0.15);
      cairo_line_to (cr, right, top + report->row_y[1] - s * 0.15);
      cairo_stroke (cr);
    }

  for (guint i = 0; i < 2; i++)
    {
      double left = x + report->facts_x[i];
      double row_y = y + report->facts_top;
      double title_height;

      if (report->facts_title[i] == NULL)
        continue;
      _ptl_plot_show_layout (cr, report->facts_title[i], &style->foreground, left, row_y, 0, 0);
      _ptl_plot_layout_get_size (report->facts_title[i], NULL, &title_height);
      row_y += title_height + s * 0.3;
      for (guint k = 0; k < report->facts[i]->len; k += 2)
        {
          PangoLayout *name = g_ptr_array_index (report->facts[i], k);
          PangoLayout *value = g_ptr_array_index (report->facts[i], k + 1);
          double name_height, value_height;

          _ptl_plot_show_layout (cr, name, &style->muted, left, row_y, 0, 0);
          _ptl_plot_show_layout (cr, value, &style->foreground, left + report->facts_name_width[i] + s, row_y, 0, 0);
          _ptl_plot_layout_get_size (name, NULL, &name_height);
          _ptl_plot_layout_get_size (value, NULL, &value_height);
          row_y += MAX (name_height, value_height) + s * 0.15;
        }
    }
  cairo_restore (cr);
}

void
_ptl_report_free (PtlReport *report)
{
  if (report == NULL)
    return;
  g_clear_object (&report->table_title);
  g_clear_pointer (&report->cells, g_ptr_array_unref);
  g_free (report->column_x);
  g_free (report->column_width);
  g_free (report->numeric);
  g_free (report->row_y);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&report->facts_title[i]);
      g_clear_pointer (&report->facts[i], g_ptr_array_unref);
    }
  g_free (report);
}
