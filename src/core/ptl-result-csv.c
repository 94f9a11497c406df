/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-result"

#include "config.h"

#include <math.h>

#include "ptl-file.h"
#include "ptl-result-private.h"
#include "ptl-stats.h"

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
