/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-decimate"

/* Decimation per pixel column. A million points on a 1000-pixel-wide plot
 * put a thousand points in every column; stroking them all costs far more
 * than a frame and draws nothing more. So points are mapped to chart
 * coordinates in one pass and, while consecutive points fall in the same
 * column, only four are kept: the first, the lowest, the highest and the
 * last, emitted in their original order. The stroked polyline therefore
 * has the same vertical extent in every column and joins its neighbours
 * exactly as the full line would, with at most four vertices a column.
 * Bands keep their envelope: the lowest lo and the highest hi a column.
 * Unsorted x still draws correctly, only with less reduction. */

#include "config.h"

#include "ptl-decimate.h"

/* cairo's fixed-point coordinates overflow near ±8 million units; data far
 * outside the plot (clipped anyway) must not reach them. */
#define COORDINATE_LIMIT 1e6

/* Indices of the points a column keeps; their coordinates are mapped
 * again when the column is emitted, so the per-point loop is scalar
 * compares only. */
typedef struct
{
  guint  count;
  double column_start; /* the bucket's column, [start, end) in chart units */
  double column_end;
  guint  first;
  guint  low;          /* y grows downwards: the lowest value has the largest y */
  guint  high;
  guint  last;
  double low_y;
  double high_y;
} LineBucket;

/* An axis as one multiply-add into chart coordinates (after a log on a
 * log axis), held by value so the per-point loop chases no pointers. */
typedef struct
{
  gboolean log_scale;
  double   origin; /* half the axis' origin, as PtlAxis keeps it */
  double   scale;
  double   offset;
} Mapping;

static Mapping
mapping_new (const PtlAxis *axis,
             double         start,
             double         length)
{
  Mapping mapping = { axis->log_scale, axis->half_origin, length * axis->inv_half_span, start };

  return mapping;
}

/* Unclamped: good enough to find columns and extremes. */
static inline double
map_value (Mapping mapping,
           double  value)
{
  if (mapping.log_scale)
    {
      if (!(value > 0))
        return NAN;
      value = log (value);
    }
  /* Halved as in ptl_axis_normalize (): no finite value overflows. */
  return mapping.offset + (value * 0.5 - mapping.origin) * mapping.scale;
}

static inline gboolean
map_point (Mapping    x_mapping,
           Mapping    y_mapping,
           double     x,
           double     y,
           PtlVertex *vertex)
{
  vertex->x = map_value (x_mapping, x);
  vertex->y = map_value (y_mapping, y);
  return isfinite (vertex->x) && isfinite (vertex->y);
}

/* What reaches cairo: clamped to coordinates it can hold. */
static inline gboolean
map_vertex (Mapping    x_mapping,
            Mapping    y_mapping,
            double     x,
            double     y,
            PtlVertex *vertex)
{
  if (!map_point (x_mapping, y_mapping, x, y, vertex))
    return FALSE;
  vertex->x = CLAMP (vertex->x, -COORDINATE_LIMIT, COORDINATE_LIMIT);
  vertex->y = CLAMP (vertex->y, -COORDINATE_LIMIT, COORDINATE_LIMIT);
  return TRUE;
}

static void
append_gap (GArray *out)
{
  static const PtlVertex gap = { NAN, NAN };

  if (out->len > 0 && !isnan (g_array_index (out, PtlVertex, out->len - 1).x))
    g_array_append_val (out, gap);
}

static void
flush_line (LineBucket     *bucket,
            const PtlPoint *points,
            Mapping         x_mapping,
            Mapping         y_mapping,
            GArray         *out)
{
  guint kept[4];

  if (bucket->count == 0)
    return;

  kept[0] = bucket->first;
  kept[1] = bucket->low;
  kept[2] = bucket->high;
  kept[3] = bucket->last;

  /* Back into original order (four items: insertion sort), skipping the
   * same point kept twice. */
  for (guint i = 1; i < G_N_ELEMENTS (kept); i++)
    for (guint j = i; j > 0 && kept[j - 1] > kept[j]; j--)
      {
        guint swap = kept[j];

        kept[j] = kept[j - 1];
        kept[j - 1] = swap;
      }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (i == 0 || kept[i] != kept[i - 1])
      {
        PtlVertex vertex;

        map_vertex (x_mapping, y_mapping, points[kept[i]].x, points[kept[i]].y, &vertex);
        g_array_append_val (out, vertex);
      }

  bucket->count = 0;
}

GArray *
ptl_decimate_line (const PtlPoint    *points,
                   guint              n_points,
                   const PtlAxis     *x_axis,
                   const PtlAxis     *y_axis,
                   const PtlPlotArea *area,
                   double             column_width)
{
  LineBucket bucket = { 0 };
  Mapping x_mapping, y_mapping;
  GArray *out;

  g_return_val_if_fail (points != NULL || n_points == 0, NULL);
  g_return_val_if_fail (x_axis != NULL && y_axis != NULL && area != NULL, NULL);
  g_return_val_if_fail (column_width > 0, NULL);

  /* y grows downwards: the axis' 0 is the area's bottom. */
  x_mapping = mapping_new (x_axis, area->left, area->width);
  y_mapping = mapping_new (y_axis, area->top + area->height, -area->height);
  out = g_array_sized_new (FALSE, FALSE, sizeof (PtlVertex),
                           MIN (n_points, 4 * (guint) (area->width / column_width + 2)));

  for (guint i = 0; i < n_points; i++)
    {
      PtlVertex vertex;

      if (!map_point (x_mapping, y_mapping, points[i].x, points[i].y, &vertex))
        {
          flush_line (&bucket, points, x_mapping, y_mapping, out);
          append_gap (out);
          continue;
        }

      if (bucket.count > 0 && (vertex.x < bucket.column_start || vertex.x >= bucket.column_end))
        flush_line (&bucket, points, x_mapping, y_mapping, out);

      if (bucket.count == 0)
        {
          bucket.column_start = floor (vertex.x / column_width) * column_width;
          bucket.column_end = bucket.column_start + column_width;
          bucket.first = bucket.low = bucket.high = i;
          bucket.low_y = bucket.high_y = vertex.y;
        }
      else if (vertex.y > bucket.low_y)
        {
          bucket.low = i;
          bucket.low_y = vertex.y;
        }
      else if (vertex.y < bucket.high_y)
        {
          bucket.high = i;
          bucket.high_y = vertex.y;
        }
      bucket.last = i;
      bucket.count++;
    }
  flush_line (&bucket, points, x_mapping, y_mapping, out);

  return out;
}

typedef struct
{
  guint  count;
  double column_start;
  double column_end;
  double first_x;
  double last_x;
  double lo; /* y grows downwards: the lowest value has the largest y */
  double hi;
} BandBucket;

/* Emits the column's envelope at its first and last x, so a band of a few
 * points keeps its exact corners. */
static void
flush_band (BandBucket *bucket,
            GArray     *out)
{
  PtlBandVertex vertex = { bucket->first_x, bucket->lo, bucket->hi };

  if (bucket->count == 0)
    return;

  g_array_append_val (out, vertex);
  if (bucket->last_x != bucket->first_x)
    {
      vertex.x = bucket->last_x;
      g_array_append_val (out, vertex);
    }
  bucket->count = 0;
}

GArray *
ptl_decimate_band (const PtlPoint    *points,
                   guint              n_points,
                   const PtlAxis     *x_axis,
                   const PtlAxis     *y_axis,
                   const PtlPlotArea *area,
                   double             column_width)
{
  static const PtlBandVertex gap = { NAN, NAN, NAN };
  BandBucket bucket = { 0 };
  Mapping x_mapping, y_mapping;
  GArray *out;

  g_return_val_if_fail (points != NULL || n_points == 0, NULL);
  g_return_val_if_fail (x_axis != NULL && y_axis != NULL && area != NULL, NULL);
  g_return_val_if_fail (column_width > 0, NULL);

  x_mapping = mapping_new (x_axis, area->left, area->width);
  y_mapping = mapping_new (y_axis, area->top + area->height, -area->height);
  out = g_array_new (FALSE, FALSE, sizeof (PtlBandVertex));

  for (guint i = 0; i < n_points; i++)
    {
      PtlVertex low, high;

      if (!map_vertex (x_mapping, y_mapping, points[i].x, points[i].lo, &low) ||
          !map_vertex (x_mapping, y_mapping, points[i].x, points[i].hi, &high))
        {
          flush_band (&bucket, out);
          if (out->len > 0 && !isnan (g_array_index (out, PtlBandVertex, out->len - 1).x))
            g_array_append_val (out, gap);
          continue;
        }

      if (bucket.count > 0 && (low.x < bucket.column_start || low.x >= bucket.column_end))
        flush_band (&bucket, out);

      if (bucket.count == 0)
        {
          bucket.column_start = floor (low.x / column_width) * column_width;
          bucket.column_end = bucket.column_start + column_width;
          bucket.first_x = low.x;
          bucket.lo = -G_MAXDOUBLE;
          bucket.hi = G_MAXDOUBLE;
        }
      bucket.lo = MAX (bucket.lo, MAX (low.y, high.y));
      bucket.hi = MIN (bucket.hi, MIN (low.y, high.y));
      bucket.last_x = low.x;
      bucket.count++;
    }
  flush_band (&bucket, out);

  return out;
}
