/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-result"

#include "config.h"

#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ptl-result-private.h"

/* Past this size a series' points are kept in memory advised for
 * transparent huge pages (the kernel often gives them only when asked):
 * a million points read from a CSV are 32 MB, which in 4 KiB pages cost
 * 8,000 page faults to fill and as many pages to free, a tenth of
 * `ptlab plot`'s time. */
#define HUGE_POINTS_BYTES (4 << 20)

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

void
_ptl_chart_free (PtlChart *chart)
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
  g_clear_pointer (&chart->series_colors, g_array_unref);
  g_clear_pointer (&chart->series_dashes, g_array_unref);
  g_free (chart);
}

PtlChart *
_ptl_chart_new (PtlResult    *owner,
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

PtlSeries *
_ptl_series_new (PtlResult  *owner,
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
ptl_chart_set_series_looks (PtlChart    *chart,
                            const guint *colors,
                            const guint *dashes,
                            guint        n_series)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (n_series == 0 || (colors != NULL && dashes != NULL));

  g_mutex_lock (&chart->owner->mutex);
  g_clear_pointer (&chart->series_colors, g_array_unref);
  g_clear_pointer (&chart->series_dashes, g_array_unref);
  if (n_series > 0)
    {
      chart->series_colors = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_series);
      g_array_append_vals (chart->series_colors, colors, n_series);
      chart->series_dashes = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_series);
      g_array_append_vals (chart->series_dashes, dashes, n_series);
    }
  g_mutex_unlock (&chart->owner->mutex);
}

gboolean
ptl_chart_get_series_looks (PtlChart     *chart,
                            const guint **colors,
                            const guint **dashes,
                            guint        *n_series)
{
  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (colors != NULL && dashes != NULL && n_series != NULL, FALSE);

  if (chart->series_colors == NULL)
    return FALSE;
  *colors = (const guint *) chart->series_colors->data;
  *dashes = (const guint *) chart->series_dashes->data;
  *n_series = chart->series_colors->len;
  return TRUE;
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

  series = _ptl_series_new (chart->owner, id, name);
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

/* Advises the whole pages @size bytes at @data span for transparent huge
 * pages. For a block this big they are all of malloc's own mapping:
 * advising only a part would split the mapping, and the next growth could
 * no longer be a remap but a copy. A failure (no THP here) leaves the
 * small pages. */
static void
advise_huge_pages (gpointer data,
                   gsize    size)
{
#ifdef MADV_HUGEPAGE
  guintptr page = sysconf (_SC_PAGESIZE);
  guintptr start = (guintptr) data & ~(page - 1);
  guintptr end = ((guintptr) data + size + page - 1) & ~(page - 1);

  madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

/* Makes room for @n_more points, doubling. GArray has no reserve call:
 * growing it and shrinking it back allocates without touching the memory,
 * so the pages are first touched after the advice. */
static void
reserve_points (PtlSeries *series,
                guint      n_more)
{
  GArray *points = series->points;
  guint len = points->len;
  gsize size;

  if (G_LIKELY (len + n_more <= series->capacity))
    return;
  series->capacity = MAX (len + n_more, series->capacity * 2);
  g_array_set_size (points, series->capacity);
  g_array_set_size (points, len);
  size = (gsize) series->capacity * sizeof (PtlPoint);
  if (size >= HUGE_POINTS_BYTES)
    advise_huge_pages (points->data, size);
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
  reserve_points (series, 1);
  g_array_append_val (series->points, point);
  g_mutex_unlock (&series->owner->mutex);
}

void
ptl_series_add_points (PtlSeries      *series,
                       const PtlPoint *points,
                       guint           n_points)
{
  g_return_if_fail (series != NULL);
  g_return_if_fail (points != NULL || n_points == 0);

  g_mutex_lock (&series->owner->mutex);
  reserve_points (series, n_points);
  g_array_append_vals (series->points, points, n_points);
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
