/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-csv-import"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-csv-import.h"
#include "ptl-csv-reader.h"
#include "ptl-number.h"

/* The lab's tidy CSV, as ptl_result_to_csv () writes it. */
static const char * const tidy_header[] = {
  "chart", "series", "x", "x_unit", "y", "y_unit", "low", "high",
};
enum { TIDY_CHART, TIDY_SERIES, TIDY_X, TIDY_X_UNIT, TIDY_Y, TIDY_Y_UNIT, TIDY_LOW, TIDY_HIGH };

/* A chart being filled: its series by name and, for bars, its categories. */
typedef struct
{
  PtlChart   *chart;      /* borrowed from the result */
  gboolean    is_bar;     /* x names a category */
  GHashTable *series;     /* name -> PtlSeries *, borrowed */
  GHashTable *categories; /* text -> index + 1 */
  GPtrArray  *category_names;
} Builder;

static void
builder_free (Builder *builder)
{
  g_hash_table_unref (builder->series);
  g_hash_table_unref (builder->categories);
  g_ptr_array_unref (builder->category_names);
  g_free (builder);
}

static Builder *
builder_new (PtlResult                 *result,
             const char                *id,
             const char                *title,
             const char                *x_label,
             const char                *x_unit,
             const char                *y_unit,
             const PtlCsvImportOptions *options)
{
  Builder *builder = g_new0 (Builder, 1);

  builder->chart = ptl_result_add_chart (result, id, options->kind, title);
  builder->is_bar = options->kind == PTL_CHART_BAR;
  ptl_chart_set_x_axis (builder->chart, options->x_label ? options->x_label : x_label, x_unit, options->log_x);
  ptl_chart_set_y_axis (builder->chart, options->y_label ? options->y_label : "", y_unit, options->log_y);
  builder->series = g_hash_table_new (g_str_hash, g_str_equal);
  builder->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder->category_names = g_ptr_array_new ();
  return builder;
}

static PtlSeries *
builder_get_series (Builder    *builder,
                    const char *name)
{
  PtlSeries *series = g_hash_table_lookup (builder->series, name);

  if (series == NULL)
    {
      series = ptl_chart_add_series (builder->chart, name);
      /* The series owns a copy of its name: the key lives as long. */
      g_hash_table_insert (builder->series, (gpointer) ptl_series_get_name (series), series);
    }
  return series;
}

/* Categories are set on the chart once every row is read. */
static void
builder_finish (Builder *builder)
{
  if (builder->category_names->len == 0)
    return;
  g_ptr_array_add (builder->category_names, NULL);
  ptl_chart_set_categories (builder->chart, (const char * const *) builder->category_names->pdata);
}

/* The x of a row: a number, or for a bar chart the category's index. */
static gboolean
read_x (Builder       *builder,
        PtlCsvReader  *reader,
        const char    *text,
        double        *x,
        GError       **error)
{
  gpointer index;

  if (!builder->is_bar)
    {
      if (!ptl_number_parse (text, x))
        return ptl_csv_reader_set_error (reader, error,
                                         _("x “%s” is not a number (with --kind bar it names a category)"), text);
      return TRUE;
    }
  index = g_hash_table_lookup (builder->categories, text);
  if (index == NULL)
    {
      char *name = g_strdup (text);

      g_ptr_array_add (builder->category_names, name);
      index = GUINT_TO_POINTER (builder->category_names->len);
      g_hash_table_insert (builder->categories, name, index);
    }
  *x = GPOINTER_TO_UINT (index) - 1;
  return TRUE;
}

/* FALSE with @error set for text that is not a number; an empty cell is
 * NaN, a missing value. */
static gboolean
read_y (PtlCsvReader  *reader,
        const char    *column,
        const char    *text,
        double        *y,
        GError       **error)
{
  if (*text == '\0')
    {
      *y = NAN;
      return TRUE;
    }
  if (!ptl_number_parse (text, y))
    return ptl_csv_reader_set_error (reader, error, _("%s “%s” is not a number"), column, text);
  return TRUE;
}

static gboolean
check_width (PtlCsvReader  *reader,
             guint          expected,
             GError       **error)
{
  guint n = ptl_csv_reader_get_n_fields (reader);

  if (n != expected)
    return ptl_csv_reader_set_error (reader, error, _("%u fields, but the header has %u"), n, expected);
  return TRUE;
}

static gboolean
is_tidy_header (PtlCsvReader *reader)
{
  if (ptl_csv_reader_get_n_fields (reader) != G_N_ELEMENTS (tidy_header))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tidy_header); i++)
    if (g_strcmp0 (ptl_csv_reader_get_field (reader, i), tidy_header[i]) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
read_tidy (PtlResult                 *result,
           PtlCsvReader              *reader,
           const PtlCsvImportOptions *options,
           GCancellable              *cancellable,
           GError                   **error)
{
  g_autoptr(GHashTable) builders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) builder_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint rows = 0;

  while (ptl_csv_reader_next (reader, cancellable, error))
    {
      const char *chart_id = ptl_csv_reader_get_field (reader, TIDY_CHART);
      Builder *builder;
      PtlSeries *series;
      double x, y, low, high;

      if (!check_width (reader, G_N_ELEMENTS (tidy_header), error))
        return FALSE;
      builder = g_hash_table_lookup (builders, chart_id);
      if (builder == NULL)
        {
          builder = builder_new (result, chart_id, chart_id, "",
                                 ptl_csv_reader_get_field (reader, TIDY_X_UNIT),
                                 ptl_csv_reader_get_field (reader, TIDY_Y_UNIT), options);
          g_hash_table_insert (builders, g_strdup (chart_id), builder);
          g_ptr_array_add (order, builder);
        }
      if (!read_x (builder, reader, ptl_csv_reader_get_field (reader, TIDY_X), &x, error) ||
          !read_y (reader, "y", ptl_csv_reader_get_field (reader, TIDY_Y), &y, error) ||
          !read_y (reader, "low", ptl_csv_reader_get_field (reader, TIDY_LOW), &low, error) ||
          !read_y (reader, "high", ptl_csv_reader_get_field (reader, TIDY_HIGH), &high, error))
        return FALSE;
      rows++;
      if (isnan (y))
        continue;
      series = builder_get_series (builder, ptl_csv_reader_get_field (reader, TIDY_SERIES));
      if ((!isnan (low) || !isnan (high)) && !ptl_series_has_band (series))
        ptl_series_set_band_label (series, "low–high");
      ptl_series_add_point_band (series, x, y, low, high);
    }
  if (*error != NULL)
    return FALSE;
  if (rows == 0)
    return ptl_csv_reader_set_error (reader, error, _("has a header but no rows"));
  for (guint i = 0; i < order->len; i++)
    builder_finish (g_ptr_array_index (order, i));
  return TRUE;
}

/* Points are gathered per series in batches this long, then moved into
 * the series: one lock per series and batch rather than per point, and a
 * batch (128 KiB) small enough to still be in the cache when it is copied. */
#define BATCH 4096

/* Moves the points read so far (@counts[i] of series i, in @pending from
 * i × BATCH) into their series. */
static void
flush_points (GPtrArray *series,
              PtlPoint  *pending,
              guint     *counts)
{
  for (guint i = 0; i < series->len; i++)
    {
      ptl_series_add_points (g_ptr_array_index (series, i), pending + (gsize) i * BATCH, counts[i]);
      counts[i] = 0;
    }
}

static gboolean
read_plain (PtlResult                 *result,
            PtlCsvReader              *reader,
            const PtlCsvImportOptions *options,
            GCancellable              *cancellable,
            GError                   **error)
{
  guint n_columns = ptl_csv_reader_get_n_fields (reader);
  g_autoptr(GPtrArray) series = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree PtlPoint *pending = NULL;
  g_autofree guint *counts = NULL;
  Builder *builder;
  guint rows = 0;

  if (n_columns < 2)
    return ptl_csv_reader_set_error (reader, error,
                                     _("expected a header naming x and at least one series, or the lab’s "
                                       "chart,series,x,x_unit,y,y_unit,low,high"));
  for (guint i = 0; i < n_columns; i++)
    {
      const char *name = ptl_csv_reader_get_field (reader, i);

      g_ptr_array_add (names, *name ? g_strdup (name) : g_strdup_printf (_("column %u"), i + 1));
    }
  builder = builder_new (result, "csv", options->title ? options->title : "",
                         g_ptr_array_index (names, 0), "", "", options);
  for (guint i = 1; i < n_columns; i++)
    g_ptr_array_add (series, builder_get_series (builder, g_ptr_array_index (names, i)));
  pending = g_new (PtlPoint, (gsize) series->len * BATCH);
  counts = g_new0 (guint, series->len);

  while (ptl_csv_reader_next (reader, cancellable, error))
    {
      double x;

      if (!check_width (reader, n_columns, error) ||
          !read_x (builder, reader, ptl_csv_reader_get_field (reader, 0), &x, error))
        goto failed;
      for (guint i = 1; i < n_columns; i++)
        {
          double y;

          if (!read_y (reader, g_ptr_array_index (names, i), ptl_csv_reader_get_field (reader, i), &y, error))
            goto failed;
          if (!isnan (y))
            pending[(gsize) (i - 1) * BATCH + counts[i - 1]++] = (PtlPoint) { x, y, NAN, NAN };
        }
      if (++rows % BATCH == 0)
        flush_points (series, pending, counts);
    }
  if (*error != NULL)
    goto failed;
  if (rows == 0)
    {
      ptl_csv_reader_set_error (reader, error, _("has a header but no rows"));
      goto failed;
    }
  flush_points (series, pending, counts);
  builder_finish (builder);
  builder_free (builder);
  return TRUE;

failed:
  builder_free (builder);
  return FALSE;
}

PtlResult *
ptl_csv_import (GInputStream               *stream,
                const char                 *display_name,
                const PtlCsvImportOptions  *options,
                GCancellable               *cancellable,
                GError                    **error)
{
  g_autoptr(PtlCsvReader) reader = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean tidy;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->kind == PTL_CHART_LINE || options->kind == PTL_CHART_BAR ||
                        options->kind == PTL_CHART_SCATTER, NULL);

  reader = ptl_csv_reader_new (stream, display_name);
  if (!ptl_csv_reader_next (reader, cancellable, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                     _("%s: is empty; expected a header row"), display_name);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* The tidy file names its charts; a plain table's one chart takes the title. */
  tidy = is_tidy_header (reader);
  result = ptl_result_new ("csv", tidy && options->title ? options->title : "");
  /* A local error: the readers tell the end of the input from a failure
   * by whether it is set. */
  if (!(tidy ? read_tidy : read_plain) (result, reader, options, cancellable, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&result);
}
