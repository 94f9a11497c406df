/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-label-placer"

/* Where labels go. A renderer registers the box of every data mark it
 * draws (bars, error bars, line segments, markers, slices, reference
 * lines), then asks for each label in turn, offering anchors in order of
 * preference (above, below, left, right of what it labels, or slid along
 * it). The first anchor whose box stays in bounds and overlaps no mark
 * and no label placed before wins; with none, the label is dropped and
 * its value stays in the tooltip. Screen and files draw through the same
 * renderers, so they place alike, and ptl_chart_get_boxes () lets tests
 * check the outcome. */

#include "config.h"

#include "ptl-plot-private.h"

/* Boxes that merely touch do not overlap: a label sits 2 units off its
 * bar, and rounding must not count that as a collision. */
#define TOUCH 1e-6

static inline gboolean
boxes_overlap (const PtlBox *a,
               const PtlBox *b)
{
  return a->x < b->x + b->width - TOUCH && b->x < a->x + a->width - TOUCH &&
         a->y < b->y + b->height - TOUCH && b->y < a->y + a->height - TOUCH;
}

gboolean
ptl_boxes_overlap (const PtlBox *a,
                   const PtlBox *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return boxes_overlap (a, b);
}

void
_ptl_label_placer_init (PtlLabelPlacer *placer)
{
  placer->marks = g_array_new (FALSE, FALSE, sizeof (PtlBox));
  placer->labels = g_array_new (FALSE, FALSE, sizeof (PtlBox));
}

void
_ptl_label_placer_clear (PtlLabelPlacer *placer)
{
  g_clear_pointer (&placer->marks, g_array_unref);
  g_clear_pointer (&placer->labels, g_array_unref);
}

void
_ptl_label_placer_add_mark (PtlLabelPlacer *placer,
                            double          x0,
                            double          y0,
                            double          x1,
                            double          y1)
{
  PtlBox box = { MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0) };

  if (!isfinite (box.x) || !isfinite (box.y) || !isfinite (box.width) || !isfinite (box.height))
    return;
  g_array_append_val (placer->marks, box);
}

gboolean
_ptl_label_placer_is_free (PtlLabelPlacer *placer,
                           const PtlBox   *box,
                           const PtlBox   *bounds)
{
  const PtlBox *marks = (const PtlBox *) (gconstpointer) placer->marks->data;
  const PtlBox *labels = (const PtlBox *) (gconstpointer) placer->labels->data;

  if (bounds != NULL &&
      (box->x < bounds->x - TOUCH || box->y < bounds->y - TOUCH ||
       box->x + box->width > bounds->x + bounds->width + TOUCH ||
       box->y + box->height > bounds->y + bounds->height + TOUCH))
    return FALSE;
  for (guint i = 0; i < placer->labels->len; i++)
    if (boxes_overlap (box, &labels[i]))
      return FALSE;
  for (guint i = 0; i < placer->marks->len; i++)
    if (boxes_overlap (box, &marks[i]))
      return FALSE;
  return TRUE;
}

gboolean
_ptl_label_placer_place (PtlLabelPlacer       *placer,
                         const PtlBox         *bounds,
                         double                width,
                         double                height,
                         const PtlLabelAnchor *anchors,
                         guint                 n_anchors,
                         PtlBox               *placed)
{
  for (guint i = 0; i < n_anchors; i++)
    {
      PtlBox box = {
        anchors[i].x - anchors[i].xalign * width,
        anchors[i].y - anchors[i].yalign * height,
        width,
        height,
      };

      if (!_ptl_label_placer_is_free (placer, &box, bounds))
        continue;
      g_array_append_val (placer->labels, box);
      if (placed != NULL)
        *placed = box;
      return TRUE;
    }
  return FALSE;
}
