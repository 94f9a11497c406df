/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-line-mask"

/* A line whose x goes back and forth (random order, a parametric curve)
 * cannot be decimated per column: every point lands in a new column. Its
 * hundreds of thousands of long, crossing segments are also the worst case
 * of cairo's rasterizer: one stroked path took over ten minutes for 200,000
 * points (its scan converter keeps every crossing edge active on every
 * sub-row), and a stroke per segment still about 25 µs a segment. So the
 * line is rasterized here into a coverage mask, one pass over the
 * segments: each segment covers the pixels within half the line width of
 * it (a capsule, which is what round caps and joins draw), with a one-pixel
 * ramp for antialiasing, composited over what the segments before left
 * (as drawing every segment does). The cost is the pixels the segments touch; a
 * tile of pixels all fully covered is stepped over whole, so a dense line
 * stops costing much once the plot fills up. */

#include "config.h"

#include "ptl-line-mask.h"

/* Tiles of 2^TILE_SHIFT pixels a side. */
#define TILE_SHIFT 3
#define TILE_SIZE (1 << TILE_SHIFT)

typedef struct
{
  guint8 *data;
  int     stride;
  int     width;
  int     height;
  double  reach;     /* half the line plus the half pixel of the ramp */
  int     tiles_wide;
  guint8 *full;      /* per tile: how many of its pixels are fully covered */
} Mask;

static inline guint8 *
tile_at (Mask *mask,
         int   x,
         int   y)
{
  return &mask->full[(y >> TILE_SHIFT) * mask->tiles_wide + (x >> TILE_SHIFT)];
}

static inline gboolean
tile_full (Mask *mask,
           int   x,
           int   y)
{
  int tile_width = MIN (TILE_SIZE, mask->width - (x & ~(TILE_SIZE - 1)));
  int tile_height = MIN (TILE_SIZE, mask->height - (y & ~(TILE_SIZE - 1)));

  return *tile_at (mask, x, y) == tile_width * tile_height;
}

/* Whether every tile under pixels [u0, u1] × [v0, v1] (major, minor) is
 * full; u0 and u1 lie in one tile column. */
static gboolean
tiles_full (Mask     *mask,
            gboolean  steep,
            int       u,
            int       v0,
            int       v1)
{
  for (int v = v0 & ~(TILE_SIZE - 1); v <= v1; v += TILE_SIZE)
    if (!(steep ? tile_full (mask, v, u) : tile_full (mask, u, v)))
      return FALSE;
  return TRUE;
}

static void
cover_segment (Mask  *mask,
               double ax,
               double ay,
               double bx,
               double by)
{
  /* Walk the major axis (u) a pixel at a time and cover, across it (v),
   * the pixels whose centres lie within reach of the infinite line; the
   * exact distance to the segment then gives the coverage, caps included. */
  gboolean steep = fabs (by - ay) > fabs (bx - ax);
  double au = steep ? ay : ax, av = steep ? ax : ay;
  double bu = steep ? by : bx, bv = steep ? bx : by;
  int n_major = steep ? mask->height : mask->width;
  int n_minor = steep ? mask->width : mask->height;
  gssize major_step = steep ? mask->stride : 1;
  gssize minor_step = steep ? 1 : mask->stride;
  double reach = mask->reach;
  double du, dv, slope, half, length2;
  int u0, u1;

  if (au > bu)
    {
      double swap_u = au, swap_v = av;

      au = bu;
      av = bv;
      bu = swap_u;
      bv = swap_v;
    }
  du = bu - au;
  dv = bv - av;
  length2 = du * du + dv * dv;
  slope = du > 0 ? dv / du : 0;
  half = reach * sqrt (1 + slope * slope);

  u0 = (int) MAX (floor (au - reach), 0);
  u1 = (int) MIN (ceil (bu + reach), n_major - 1);
  for (int u = u0; u <= u1; u++)
    {
      double cu = u + 0.5;
      int block_end = MIN (u | (TILE_SIZE - 1), u1);

      /* At a tile column's start: step over it if everything this
       * segment could touch there is covered already. */
      if (u == u0 || (u & (TILE_SIZE - 1)) == 0)
        {
          double first = av + (cu - au) * slope, last = av + (block_end + 0.5 - au) * slope;
          double low = MIN (first, last) - half, high = MAX (first, last) + half;

          if (high < 0 || low > n_minor ||
              tiles_full (mask, steep, u, (int) MAX (floor (low), 0), (int) MIN (ceil (high), n_minor - 1)))
            {
              u = block_end;
              continue;
            }
        }

      double vc = av + (cu - au) * slope;
      double pu = cu - au;
      int v0, v1;
      guint8 *p;

      if (vc + half < 0 || vc - half > n_minor)
        continue;
      v0 = (int) MAX (floor (vc - half), 0);
      v1 = (int) MIN (ceil (vc + half), n_minor - 1);
      p = mask->data + u * major_step + v0 * minor_step;
      for (int v = v0; v <= v1; v++, p += minor_step)
        {
          double pv, t, eu, ev, cover;
          guint8 value;

          if (*p == 255)
            continue;
          pv = v + 0.5 - av;
          t = length2 > 0 ? CLAMP ((pu * du + pv * dv) / length2, 0, 1) : 0;
          eu = pu - t * du;
          ev = pv - t * dv;
          cover = reach - sqrt (eu * eu + ev * ev);
          if (cover <= 0)
            continue;
          value = cover >= 1 ? 255 : (guint8) (cover * 255 + 0.5);
          /* Over what is there, as a stroke per segment composites;
           * rounded up, so that faint coverage piling up reaches 255
           * (and lets its tile be skipped) rather than sticking at 254. */
          value = *p + value - (*p * value) / 255;
          if (value == *p)
            continue;
          *p = value;
          if (value == 255)
            (*(steep ? tile_at (mask, v, u) : tile_at (mask, u, v)))++;
        }
    }
}

cairo_surface_t *
ptl_line_mask_new (GArray               *vertices,
                   const cairo_matrix_t *matrix,
                   double                line_width,
                   int                   width,
                   int                   height)
{
  cairo_surface_t *surface;
  gboolean have_previous = FALSE;
  double px = 0, py = 0;
  g_autofree guint8 *full = NULL;
  int tiles_wide;
  Mask mask;

  g_return_val_if_fail (vertices != NULL && matrix != NULL, NULL);
  g_return_val_if_fail (line_width >= 0 && width > 0 && height > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  tiles_wide = (width + TILE_SIZE - 1) >> TILE_SHIFT;
  full = g_malloc0 ((gsize) tiles_wide * ((height + TILE_SIZE - 1) >> TILE_SHIFT));
  mask = (Mask) {
    cairo_image_surface_get_data (surface),
    cairo_image_surface_get_stride (surface),
    width,
    height,
    line_width / 2 + 0.5,
    tiles_wide,
    full,
  };

  for (guint i = 0; i < vertices->len; i++)
    {
      const PtlVertex *vertex = &g_array_index (vertices, PtlVertex, i);
      const PtlVertex *next = i + 1 < vertices->len ? vertex + 1 : NULL;
      double x = vertex->x, y = vertex->y;

      if (isnan (x))
        {
          have_previous = FALSE;
          continue;
        }
      cairo_matrix_transform_point (matrix, &x, &y);
      if (have_previous)
        cover_segment (&mask, px, py, x, y);
      else if (next == NULL || isnan (next->x))
        /* A lone point still shows as a dot, as round caps draw it. */
        cover_segment (&mask, x, y, x, y);
      px = x;
      py = y;
      have_previous = TRUE;
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}
