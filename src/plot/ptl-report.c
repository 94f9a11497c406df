/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-report"

/* What a report reader needs besides the charts, below them in a
 * whole-figure export: the summary table, the parameters the run used
 * and the machine it ran on. Drawn as Pango text, so PDF and SVG keep
 * it as text. Columns wider than the page wrap rather than overflow.
 * The table and the fact lists are pieces of their own, which the
 * multi-page PDF report (ptl-report-document.c) places page by page. */

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-machine.h"
#include "ptl-plot-private.h"

/* A summary table laid out for a page width: a heading row and the body
 * rows, each row as high as its tallest (wrapped) cell. */
struct _PtlReportTable
{
  GPtrArray   *cells;        /* PangoLayout, header row first, row-major */
  guint        n_columns;
  guint        n_rows;       /* with the header */
  double      *column_x;     /* left of each column, relative */
  double      *column_width;
  gboolean    *numeric;      /* right-aligned columns */
  double      *row_y;        /* top of each row, relative, n_rows + 1 */
};

/* Name and value pairs under a title (parameters, machine facts). */
struct _PtlReportFacts
{
  PangoLayout *title;
  GPtrArray   *pairs;        /* PangoLayout pairs: name, value */
  double       name_width;
  double       height;
};

struct _PtlReport
{
  PangoLayout    *table_title;
  PtlReportTable *table;
  double          table_top;
  PtlReportFacts *facts[2];
  double          facts_top;
  double          facts_x[2];
  double          height;
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

PtlReportTable *
_ptl_report_table_new (PtlTable           *table,
                       PangoContext       *context,
                       const PtlPlotStyle *style,
                       double              width)
{
  PtlReportTable *self = g_new0 (PtlReportTable, 1);
  double gap = column_gap (style);
  double natural = 0, x = 0, y = 0, cap = G_MAXDOUBLE;
  g_autofree double *widest = NULL;

  self->n_columns = ptl_table_get_n_columns (table);
  self->n_rows = ptl_table_get_n_rows (table) + 1;
  self->cells = g_ptr_array_new_with_free_func (g_object_unref);
  self->column_x = g_new0 (double, self->n_columns);
  self->column_width = g_new0 (double, self->n_columns);
  self->numeric = g_new0 (gboolean, self->n_columns);
  self->row_y = g_new0 (double, self->n_rows + 1);
  widest = g_new0 (double, self->n_columns);

  for (guint r = 0; r < self->n_rows; r++)
    for (guint c = 0; c < self->n_columns; c++)
      {
        g_autofree char *text = NULL;
        PangoLayout *cell;
        double cell_width;

        if (r == 0)
          text = g_strdup (ptl_table_get_column_name (table, c));
        else
          {
            text = ptl_table_format_cell (table, r - 1, c);
            self->numeric[c] |= ptl_table_cell_is_number (table, r - 1, c);
          }
        cell = cell_new (context, style, text, r == 0);
        _ptl_plot_layout_get_size (cell, &cell_width, NULL);
        widest[c] = MAX (widest[c], cell_width);
        g_ptr_array_add (self->cells, cell);
      }

  for (guint c = 0; c < self->n_columns; c++)
    natural += widest[c];
  natural += gap * (self->n_columns > 0 ? self->n_columns - 1 : 0);

  /* Too wide for the page: the widest columns narrow to one cap, found
   * by bisection, and their cells wrap; narrow ones (numbers) keep their
   * width. */
  if (natural > width)
    {
      double available = width - gap * (self->n_columns - 1);
      double low = 0, high = 0;

      for (guint c = 0; c < self->n_columns; c++)
        high = MAX (high, widest[c]);
      for (guint round = 0; round < 40; round++)
        {
          double middle = (low + high) / 2, used = 0;

          for (guint c = 0; c < self->n_columns; c++)
            used += MIN (widest[c], middle);
          if (used > available)
            high = middle;
          else
            low = middle;
        }
      cap = low;
    }
  for (guint c = 0; c < self->n_columns; c++)
    {
      self->column_width[c] = MAX (MIN (widest[c], cap), style->font_size * 2);
      self->column_x[c] = x;
      x += self->column_width[c] + gap;
    }

  for (guint r = 0; r < self->n_rows; r++)
    {
      double row_height = 0;

      for (guint c = 0; c < self->n_columns; c++)
        {
          PangoLayout *cell = g_ptr_array_index (self->cells, r * self->n_columns + c);
          double cell_height;

          if (self->column_width[c] < widest[c])
            {
              pango_layout_set_width (cell, (int) (self->column_width[c] * PANGO_SCALE));
              pango_layout_set_wrap (cell, PANGO_WRAP_WORD_CHAR);
            }
          _ptl_plot_layout_get_size (cell, NULL, &cell_height);
          row_height = MAX (row_height, cell_height);
        }
      self->row_y[r] = y;
      y += row_height + style->font_size * 0.3;
    }
  self->row_y[self->n_rows] = y;
  return self;
}

guint
_ptl_report_table_get_n_rows (PtlReportTable *self)
{
  return self->n_rows - 1;
}

double
_ptl_report_table_get_header_height (PtlReportTable *self)
{
  return self->row_y[1];
}

double
_ptl_report_table_get_row_height (PtlReportTable *self,
                                  guint           row)
{
  g_assert (row + 1 < self->n_rows);
  return self->row_y[row + 2] - self->row_y[row + 1];
}

void
_ptl_report_table_draw (PtlReportTable     *self,
                        cairo_t            *cr,
                        const PtlPlotStyle *style,
                        double              x,
                        double              y,
                        guint               first,
                        guint               end)
{
  double right = x + self->column_x[self->n_columns - 1] + self->column_width[self->n_columns - 1];
  double header_height = self->row_y[1];

  g_assert (first <= end && end < self->n_rows);

  cairo_save (cr);
  for (guint r = 0; r < self->n_rows; r++)
    {
      /* The heading row, then the body rows asked for right under it. */
      double top;

      if (r > 0 && (r - 1 < first || r - 1 >= end))
        continue;
      top = r == 0 ? y : y + header_height + self->row_y[r] - self->row_y[first + 1];
      for (guint c = 0; c < self->n_columns; c++)
        {
          PangoLayout *cell = g_ptr_array_index (self->cells, r * self->n_columns + c);
          double left = x + self->column_x[c];

          /* Numbers right-aligned under their heading, text left. */
          if (self->numeric[c])
            _ptl_plot_show_layout (cr, cell, r == 0 ? &style->muted : &style->foreground,
                                   left + self->column_width[c], top, 1, 0);
          else
            _ptl_plot_show_layout (cr, cell, r == 0 ? &style->muted : &style->foreground,
                                   left, top, 0, 0);
        }
    }
  /* A rule under the heading row. */
  _ptl_plot_set_source (cr, &style->muted, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, y + header_height - style->font_size * 0.15);
  cairo_line_to (cr, right, y + header_height - style->font_size * 0.15);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
_ptl_report_table_free (PtlReportTable *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_free (self->column_x);
  g_free (self->column_width);
  g_free (self->numeric);
  g_free (self->row_y);
  g_free (self);
}

/* Machine facts get their translated labels; parameters keep their names,
 * which are what --param and the JSON take. Names take at most 45 % of
 * @width; values wrap in the rest. */
PtlReportFacts *
_ptl_report_facts_new (JsonObject         *object,
                       gboolean            machine,
                       const char         *title,
                       PangoContext       *context,
                       const PtlPlotStyle *style,
                       double              width)
{
  PtlReportFacts *self = g_new0 (PtlReportFacts, 1);
  g_autoptr(GList) members = object != NULL ? json_object_get_members (object) : NULL;
  double s = style->font_size;
  double y;

  self->pairs = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *value = format_fact (name, json_object_get_member (object, name));
      const char *known = machine ? ptl_machine_get_fact_label (name) : NULL;
      g_autofree char *label = known ? g_strdup (known) : g_strdelimit (g_strdup (name), "_", ' ');
      PangoLayout *name_layout = cell_new (context, style, label, FALSE);
      double name_width;

      _ptl_plot_layout_get_size (name_layout, &name_width, NULL);
      self->name_width = MIN (MAX (self->name_width, name_width), width * 0.45);
      g_ptr_array_add (self->pairs, name_layout);
      g_ptr_array_add (self->pairs, cell_new (context, style, value, FALSE));
    }
  if (self->pairs->len == 0)
    return self;

  self->title = _ptl_plot_layout_new (context, style, PTL_TEXT_TITLE, title);
  _ptl_plot_layout_get_size (self->title, NULL, &y);
  y += s * 0.3;
  for (guint k = 0; k < self->pairs->len; k += 2)
    {
      PangoLayout *name = g_ptr_array_index (self->pairs, k);
      PangoLayout *value = g_ptr_array_index (self->pairs, k + 1);
      double name_height, value_height;

      pango_layout_set_width (name, (int) (self->name_width * PANGO_SCALE));
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (value, (int) (MAX (width - self->name_width - s, s) * PANGO_SCALE));
      pango_layout_set_wrap (value, PANGO_WRAP_WORD_CHAR);
      _ptl_plot_layout_get_size (name, NULL, &name_height);
      _ptl_plot_layout_get_size (value, NULL, &value_height);
      y += MAX (name_height, value_height) + s * 0.15;
    }
  self->height = y;
  return self;
}

double
_ptl_report_facts_get_height (PtlReportFacts *self)
{
  return self->height;
}

void
_ptl_report_facts_draw (PtlReportFacts     *self,
                        cairo_t            *cr,
                        const PtlPlotStyle *style,
                        double              x,
                        double              y)
{
  double s = style->font_size;
  double title_height;

  if (self->title == NULL)
    return;
  _ptl_plot_show_layout (cr, self->title, &style->foreground, x, y, 0, 0);
  _ptl_plot_layout_get_size (self->title, NULL, &title_height);
  y += title_height + s * 0.3;
  for (guint k = 0; k < self->pairs->len; k += 2)
    {
      PangoLayout *name = g_ptr_array_index (self->pairs, k);
      PangoLayout *value = g_ptr_array_index (self->pairs, k + 1);
      double name_height, value_height;

      _ptl_plot_show_layout (cr, name, &style->muted, x, y, 0, 0);
      _ptl_plot_show_layout (cr, value, &style->foreground, x + self->name_width + s, y, 0, 0);
      _ptl_plot_layout_get_size (name, NULL, &name_height);
      _ptl_plot_layout_get_size (value, NULL, &value_height);
      y += MAX (name_height, value_height) + s * 0.15;
    }
}

void
_ptl_report_facts_free (PtlReportFacts *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->title);
  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  g_free (self);
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
  double half = (width - column_gap (style)) / 2;
  double y = 0, facts_height = 0;

  if (table != NULL && ptl_table_get_n_columns (table) > 0 && ptl_table_get_n_rows (table) > 0)
    {
      double title_height;

      report->table_title = _ptl_plot_layout_new (context, style, PTL_TEXT_TITLE, _("Summary"));
      _ptl_plot_layout_get_size (report->table_title, NULL, &title_height);
      report->table_top = title_height + s * 0.3;
      report->table = _ptl_report_table_new (table, context, style, width);
      y = report->table_top + report->table->row_y[report->table->n_rows] + s * 0.6;
    }

  /* Parameters and machine side by side, each half the width. */
  report->facts_top = y;
  for (guint i = 0; i < 2; i++)
    {
      report->facts[i] = _ptl_report_facts_new (objects[i], i == 1, titles[i], context, style, half);
      report->facts_x[i] = i * (half + column_gap (style));
      facts_height = MAX (facts_height, report->facts[i]->height);
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
  if (report->table != NULL)
    {
      _ptl_plot_show_layout (cr, report->table_title, &style->foreground, x, y, 0, 0);
      _ptl_report_table_draw (report->table, cr, style, x, y + report->table_top,
                              0, _ptl_report_table_get_n_rows (report->table));
    }
  for (guint i = 0; i < 2; i++)
    _ptl_report_facts_draw (report->facts[i], cr, style, x + report->facts_x[i], y + report->facts_top);
}

void
_ptl_report_free (PtlReport *report)
{
  if (report == NULL)
    return;
  g_clear_object (&report->table_title);
  g_clear_pointer (&report->table, _ptl_report_table_free);
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&report->facts[i], _ptl_report_facts_free);
  g_free (report);
}
