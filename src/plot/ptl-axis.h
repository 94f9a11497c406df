/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>

#include <glib.h>

G_BEGIN_DECLS

/* Pure axis maths, no cairo: a data range becomes a drawn range, ticks
 * and labels, and values become fractions in [0, 1] of the axis length.
 * Renderers turn fractions into pixels at draw time. */

typedef enum
{
  PTL_AXIS_NONE         = 0,
  PTL_AXIS_INCLUDE_ZERO = 1 << 0, /* bars grow from 0 (linear only) */
  PTL_AXIS_EXTEND       = 1 << 1, /* widen the range out to the outer ticks */
  PTL_AXIS_INTEGER      = 1 << 2, /* whole values (a count): no fractional ticks */
} PtlAxisFlags;

typedef struct
{
  double  value;
  char   *label; /* NULL for a minor tick: a grid line without a label */
} PtlAxisTick;

typedef struct
{
  double    min;       /* the drawn range, min < max (> 0 on a log axis) */
  double    max;
  gboolean  log_scale;
  char     *unit;
  GArray   *ticks;     /* PtlAxisTick, ascending */

  /* normalize (v) = (f (v) / 2 - half_origin) * inv_half_span, f = log
   * or identity. Halved, so that no finite range overflows: -1e308 to
   * 1e308 spans more than a double holds, half of it does not. */
  double    half_origin;
  double    inv_half_span;
} PtlAxis;

/* Fills @axis for data in [@data_min, @data_max] (NAN: no data) with at
 * most @max_labels labelled ticks (at least 3 are allowed). Any finite
 * range takes bounded work; a range narrower than doubles can resolve
 * draws as a single value; non-finite ends count as no data. */
void      ptl_axis_init            (PtlAxis      *axis,
                                    double        data_min,
                                    double        data_max,
                                    gboolean      log_scale,
                                    const char   *unit,
                                    PtlAxisFlags  flags,
                                    guint         max_labels);
void      ptl_axis_clear           (PtlAxis      *axis);

guint     ptl_axis_get_n_ticks     (const PtlAxis *axis);
const PtlAxisTick *ptl_axis_get_tick (const PtlAxis *axis,
                                      guint          index);
/* Labelled ticks only. */
guint     ptl_axis_get_n_labels    (const PtlAxis *axis);

/* The smallest "nice" step that is at least @raw: 1, 2 or 5 × 10^k, or
 * for byte units above one byte a power of two. */
double    ptl_axis_nice_step       (double        raw,
                                    const char   *unit);

/* Tick label for @value on an axis whose labels are @step apart (0 on a
 * log axis). Scaled units go through ptl_format_value () with trailing
 * zeros dropped ("1.50 ms" -> "1.5 ms"); plain numbers get as many
 * decimals as @step needs. */
char     *ptl_axis_format_tick     (double        value,
                                    double        step,
                                    const char   *unit);

/* Whether tick labels carry @unit themselves ("1.5 ms", "2×"), so the axis
 * title need not repeat it. */
gboolean  ptl_axis_unit_in_ticks   (const char   *unit);

/* Whether @unit counts bytes, whose scales step by 1024. */
gboolean  ptl_axis_unit_is_bytes   (const char   *unit);

/* Fraction of the axis length for @value: 0 at min, 1 at max, outside
 * [0, 1] beyond the range, NAN where the axis cannot show it (a value
 * <= 0 on a log axis, NAN). Inline: the decimator calls it per point. */
static inline double
ptl_axis_normalize (const PtlAxis *axis,
                    double         value)
{
  if (axis->log_scale)
    {
      if (!(value > 0))
        return NAN;
      value = log (value);
    }
  return (value * 0.5 - axis->half_origin) * axis->inv_half_span;
}

/* The inverse of ptl_axis_normalize (). */
double    ptl_axis_denormalize     (const PtlAxis *axis,
                                    double         fraction);

G_END_DECLS
