/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-axis"

#include "config.h"

#include <float.h>
#include <locale.h>
#include <string.h>

#include "ptl-axis.h"
#include "ptl-stats.h"

/* Relative slack when comparing tick positions with the range ends, so
 * that 0.1 + 0.2 still counts as 0.3. */
#define EPSILON 1e-9

/* Unit-scaled labels stop here (about 900,000 TiB). */
#define MAX_SCALED 1e18

/* Enough to leave any loop over candidate steps; a double has 2098
 * binary exponents, nice steps advance by at least ×2. */
#define MAX_STEP_TRIES 2200

/* The finest linear step, in units in the last place of the range's
 * larger end; ranges narrower than MIN_SPAN_ULPS of them draw as one
 * value. */
#define MIN_STEP_ULPS 8
#define MIN_SPAN_ULPS 64

gboolean
ptl_axis_unit_is_bytes (const char *unit)
{
  return g_strcmp0 (unit, "B") == 0 || g_strcmp0 (unit, "B/s") == 0;
}

gboolean
ptl_axis_unit_in_ticks (const char *unit)
{
  /* The units ptl_format_value () scales or marks by itself; any other unit
   * would repeat on every tick ("4 workers") so it goes in the title. */
  static const char * const units[] = { "s", "B", "B/s", "ops/s", "x", "%" };

  if (unit == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (unit, units[i]) == 0)
      return TRUE;
  return FALSE;
}

static double
decimal_nice_ceil (double raw)
{
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;

  if (fraction <= 1 + EPSILON)
    return magnitude;
  if (fraction <= 2 + EPSILON)
    return 2 * magnitude;
  if (fraction <= 5 + EPSILON)
    return 5 * magnitude;
  return 10 * magnitude;
}

double
ptl_axis_nice_step (double      raw,
                    const char *unit)
{
  g_return_val_if_fail (raw > 0 && isfinite (raw), 1);

  /* Bytes step by powers of two, so ticks land on whole KiB and MiB
   * (256 KiB, 512 KiB, 768 KiB) where decimal steps would print
   * "488 KiB" or "1.46 MiB". */
  if (ptl_axis_unit_is_bytes (unit) && raw > 1)
    return exp2 (ceil (log2 (raw) - EPSILON));
  return decimal_nice_ceil (raw);
}

/* The nice step before @step. */
static double
nice_step_below (double      step,
                 const char *unit)
{
  double mantissa;

  if (ptl_axis_unit_is_bytes (unit) && step > 1)
    return step / 2;
  mantissa = step / pow (10, floor (log10 (step) + EPSILON));
  /* 1 -> 0.5, 2 -> 1, 5 -> 2 */
  return step * (mantissa > 4 ? 0.4 : 0.5);
}

/* Drops the zeros ptl_format_value () pads with: "1.50 ms" -> "1.5 ms",
 * "2.00×" -> "2×". Only the first number in @text is touched. */
static char *
trim_zeros (char *text)
{
  const char *point = localeconv ()->decimal_point;
  gsize point_len = strlen (point);
  char *start = point_len > 0 ? strstr (text, point) : NULL;
  char *end, *cut;

  if (start == NULL || start == text || !g_ascii_isdigit (start[-1]))
    return text;

  end = start + point_len;
  while (g_ascii_isdigit (*end))
    end++;
  cut = end;
  while (cut > start + point_len && cut[-1] == '0')
    cut--;
  if (cut == start + point_len)
    cut = start;
  memmove (cut, end, strlen (end) + 1);
  return text;
}

/* A plain number with the decimals @step needs (0.25 apart: two), or by
 * its own magnitude when @step is 0 (log axes). */
static char *
format_plain (double value,
              double step)
{
  double magnitude = fabs (value);
  double resolution = step > 0 ? step : magnitude;
  int decimals;

  if (magnitude == 0 && step == 0)
    return g_strdup ("0");

  if (magnitude >= 1e7 || (magnitude < 1e-4 && magnitude > 0))
    {
      int digits = (int) (floor (log10 (magnitude) + EPSILON) - floor (log10 (resolution) + EPSILON));

      return trim_zeros (g_strdup_printf ("%.*e", CLAMP (digits, 0, 6), value));
    }

  decimals = (int) -floor (log10 (resolution) + EPSILON);
  return g_strdup_printf ("%.*f", CLAMP (decimals, 0, 10), value);
}

/* When three significant digits cannot tell two ticks apart (1.000 s and
 * 1.001 s), print base units with the decimals the step needs. */
static char *
format_precise (double      value,
                double      step,
                const char *unit)
{
  g_autofree char *number = format_plain (value, step);

  if (g_strcmp0 (unit, "x") == 0)
    return g_strconcat (number, "×", NULL);
  return g_strdup_printf ("%s %s", number, unit);
}

char *
ptl_axis_format_tick (double      value,
                      double      step,
                      const char *unit)
{
  if (!ptl_axis_unit_in_ticks (unit))
    return format_plain (value, step);
  /* Past every scale ptl_format_value () knows, its fixed notation would
   * print all 309 digits of 1e308 s. */
  if (fabs (value) >= MAX_SCALED)
    return format_precise (value, step, unit);
  return trim_zeros (ptl_format_value (value, unit));
}

static void
clear_tick (gpointer data)
{
  PtlAxisTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static void
add_tick (PtlAxis  *axis,
          double    value,
          gboolean  labelled)
{
  /* The label is filled in once all ticks are known. */
  PtlAxisTick tick = { value, labelled ? g_strdup ("") : NULL };

  g_array_append_val (axis->ticks, tick);
}

static int
compare_ticks (gconstpointer a,
               gconstpointer b)
{
  const PtlAxisTick *x = a;
  const PtlAxisTick *y = b;

  return (x->value > y->value) - (x->value < y->value);
}

static void
label_ticks (PtlAxis *axis,
             double   step)
{
  const char *previous = NULL;
  gboolean collided = FALSE;

  g_array_sort (axis->ticks, compare_ticks);

  for (guint i = 0; i < axis->ticks->len; i++)
    {
      PtlAxisTick *tick = &g_array_index (axis->ticks, PtlAxisTick, i);

      if (tick->label == NULL)
        continue;
      g_free (tick->label);
      tick->label = ptl_axis_format_tick (tick->value, step, axis->unit);
      if (previous != NULL && strcmp (previous, tick->label) == 0)
        collided = TRUE;
      previous = tick->label;
    }

  if (!collided || !ptl_axis_unit_in_ticks (axis->unit))
    return;

  for (guint i = 0; i < axis->ticks->len; i++)
    {
      PtlAxisTick *tick = &g_array_index (axis->ticks, PtlAxisTick, i);

      if (tick->label == NULL)
        continue;
      g_free (tick->label);
      tick->label = format_precise (tick->value, step, axis->unit);
    }
}

/* How many multiples of @step lie in [min, max] (or cover it, extended);
 * a double, as the count of a step far too fine does not fit an integer. */
static double
count_steps (double   min,
             double   max,
             double   step,
             gboolean extend,
             double  *first,
             double  *last)
{
  *first = extend ? floor (min / step + EPSILON) : ceil (min / step - EPSILON);
  *last = extend ? ceil (max / step - EPSILON) : floor (max / step + EPSILON);
  return *last >= *first ? *last - *first + 1 : 0;
}

/* Evenly spaced nice ticks in [min, max]: the linear axis, and the
 * fallback of a log axis too narrow to hold two powers. Returns the step. */
static double
add_linear_ticks (PtlAxis  *axis,
                  double    min,
                  double    max,
                  gboolean  extend,
                  gboolean  integer,
                  guint     max_labels)
{
  /* From a step surely too fine, up to the first that fits: as many
   * labels as the room allows. Never finer than a few units in the last
   * place of the range's ends: tick indices then stay below 2^50, where
   * doubles still count in ones (past 2^53, k++ leaves k unchanged). */
  double magnitude = MAX (fabs (min), fabs (max));
  double raw = MAX ((max * 0.5 - min * 0.5) / max_labels, magnitude * (MIN_STEP_ULPS * DBL_EPSILON));
  double step;
  double first, last, n;

  /* A count steps by whole numbers: "1.5 workers" does not exist. */
  if (integer)
    raw = MAX (raw, 1);
  step = ptl_axis_nice_step (raw, axis->unit);

  for (guint i = 0; i < MAX_STEP_TRIES; i++)
    {
      double next;

      if (count_steps (min, max, step, extend, &first, &last) <= max_labels)
        break;
      next = ptl_axis_nice_step (step * (1 + 1e-6), axis->unit);
      /* Near the largest double the next nice step is infinite: the
       * widest finite one leaves five labels at most. */
      if (!isfinite (next))
        break;
      step = next;
    }

  /* A step wider than the range may miss every multiple (0.001 to 997 in
   * steps of 1000): one label is better than none. */
  for (guint i = 0; i < MAX_STEP_TRIES; i++)
    {
      if (count_steps (min, max, step, extend, &first, &last) > 0 || (integer && step <= 1))
        break;
      step = nice_step_below (step, axis->unit);
    }

  n = count_steps (min, max, step, extend, &first, &last);
  for (double i = 0; i < n; i++)
    {
      double value = (first + i) * step;

      /* Extended past the largest double: no tick there. */
      if (!isfinite (value))
        continue;
      /* k * step can land a hair off zero; "-0" or "1e-17 s" reads badly. */
      if (fabs (value) < step * EPSILON)
        value = 0;
      add_tick (axis, value, TRUE);
    }

  /* An outer tick beyond the largest double cannot be an end: the data's
   * end stays the axis' end there. */
  if (extend && isfinite (first * step))
    axis->min = first * step;
  if (extend && isfinite (last * step))
    axis->max = last * step;
  return step;
}

static void
init_linear (PtlAxis      *axis,
             double        min,
             double        max,
             PtlAxisFlags  flags,
             guint         max_labels)
{
  double step;

  if (flags & PTL_AXIS_INCLUDE_ZERO)
    {
      min = MIN (min, 0);
      max = MAX (max, 0);
    }

  /* Values doubles cannot tell apart (1e15 and 1e15 + 0.125) are one
   * value; so is a span whose inverse would overflow. */
  if (!(max * 0.5 - min * 0.5 >= MAX (fabs (min), fabs (max)) * (MIN_SPAN_ULPS * DBL_EPSILON / 2)) ||
      max * 0.5 - min * 0.5 < DBL_MIN)
    {
      double pad = fabs (min) * 0.1 >= DBL_MIN ? fabs (min) * 0.1 : 1;

      /* One count (4 workers) shows its neighbours, not 3.6 to 4.4. */
      if (flags & PTL_AXIS_INTEGER)
        pad = MAX (pad, 1);

      /* A single value sits in the middle, unless zero must stay the edge. */
      if ((flags & PTL_AXIS_INCLUDE_ZERO) && min == 0)
        max = pad;
      else
        {
          /* Halves first: min + pad may pass the largest double. */
          double middle = min * 0.5 + max * 0.5;

          min = MAX (middle - pad, -DBL_MAX);
          max = MIN (middle + pad, DBL_MAX);
        }
    }

  axis->min = min;
  axis->max = max;
  step = add_linear_ticks (axis, min, max, flags & PTL_AXIS_EXTEND, flags & PTL_AXIS_INTEGER, max_labels);
  label_ticks (axis, step);
}

/* Exponent steps a log axis may label every so many powers of its base:
 * decades for most units, octaves for bytes, where multiples of 10
 * land on KiB/MiB/GiB. */
static const int decade_steps[] = { 1, 2, 3, 4, 5, 6, 10, 20, 50, 100, 200 };
static const int octave_steps[] = { 1, 2, 5, 10, 20, 30, 40, 50, 100, 200, 500, 1000 };

static void
init_log (PtlAxis      *axis,
          double        min,
          double        max,
          PtlAxisFlags  flags,
          guint         max_labels)
{
  gboolean bytes = ptl_axis_unit_is_bytes (axis->unit);
  double base = bytes ? 2 : 10;
  const int *steps = bytes ? octave_steps : decade_steps;
  guint n_steps = bytes ? G_N_ELEMENTS (octave_steps) : G_N_ELEMENTS (decade_steps);
  gboolean extend = (flags & PTL_AXIS_EXTEND) != 0;
  double log_base = log (base);
  double lo = log (min) / log_base;
  double hi = log (max) / log_base;
  double e_first = 0, e_last = -1;
  int step = steps[n_steps - 1];
  guint n_labels = 0;

  if (extend)
    {
      lo = floor (lo + EPSILON);
      hi = ceil (hi - EPSILON);
      if (hi == lo)
        hi = lo + 1;
    }

  for (guint i = 0; i < n_steps; i++)
    {
      step = steps[i];
      e_first = extend ? step * floor (lo / step) : step * ceil (lo / step - EPSILON);
      e_last = extend ? step * ceil (hi / step) : step * floor (hi / step + EPSILON);
      if ((e_last - e_first) / step + 1 <= max_labels)
        break;
    }

  if (extend)
    {
      /* Powers past what a double holds (10^-400, 10^309) stay ends of
       * the data instead. */
      if (pow (base, e_first) >= DBL_MIN)
        min = pow (base, e_first);
      if (pow (base, e_last) <= DBL_MAX)
        max = pow (base, e_last);
    }
  axis->min = min;
  axis->max = max;

  for (double e = e_first; e <= e_last; e += step)
    {
      double value = pow (base, e);

      /* An extended end past what a double holds was kept at the data. */
      if (!isfinite (value) || value < min * (1 - EPSILON) || value > max * (1 + EPSILON))
        continue;
      add_tick (axis, value, TRUE);
      n_labels++;
    }

  if (!bytes && step == 1)
    {
      /* 2 and 5 between decades: labelled when there is room for three
       * labels a decade, else bare grid lines. */
      gboolean room = n_labels * 3 <= max_labels || n_labels < 2;

      for (double e = floor (lo + EPSILON) - 1; e <= hi; e++)
        for (guint m = 2; m <= 5; m += 3)
          {
            double value = m * pow (10, e);

            if (!isfinite (value) || value < min * (1 - EPSILON) || value > max * (1 + EPSILON))
              continue;
            add_tick (axis, value, room);
            n_labels += room;
          }
    }
  else if (step > 1)
    {
      /* The powers skipped between labels, as bare grid lines; past ten
       * octaves only every ten (KiB, MiB, …). */
      int minor = bytes && step > 10 ? 10 : 1;
      double e_min = ceil (log (min) / log_base - EPSILON);
      double e_max = floor (log (max) / log_base + EPSILON);

      for (double e = e_min; e <= e_max; e++)
        /* The slack above may round 2^1023.99… up to 2^1024 = inf. */
        if (fmod (e, minor) == 0 && fmod (e, step) != 0 && pow (base, e) <= max)
          add_tick (axis, pow (base, e), FALSE);
    }

  if (n_labels < 2)
    {
      double linear_step;

      /* Less than two powers in range (say 3 to 7): nice linear values,
       * still placed on the log scale. */
      for (guint i = 0; i < axis->ticks->len; i++)
        clear_tick (&g_array_index (axis->ticks, PtlAxisTick, i));
      g_array_set_size (axis->ticks, 0);
      linear_step = add_linear_ticks (axis, min, max, FALSE, flags & PTL_AXIS_INTEGER, max_labels);
      label_ticks (axis, linear_step);
      return;
    }

  label_ticks (axis, 0);
}

void
ptl_axis_init (PtlAxis      *axis,
               double        data_min,
               double        data_max,
               gboolean      log_scale,
               const char   *unit,
               PtlAxisFlags  flags,
               guint         max_labels)
{
  g_return_if_fail (axis != NULL);

  memset (axis, 0, sizeof *axis);
  axis->log_scale = log_scale;
  axis->unit = g_strdup (unit);
  axis->ticks = g_array_new (FALSE, FALSE, sizeof (PtlAxisTick));
  g_array_set_clear_func (axis->ticks, clear_tick);
  /* Three labels always fit an extended range, even one around zero. */
  max_labels = MAX (max_labels, 3);

  if (log_scale)
    {
      /* Only positive values exist on a log axis; no data shows 1 to 10. */
      if (!(data_min > 0) || !isfinite (data_min) || !isfinite (data_max) || data_max < data_min)
        data_min = data_max = NAN;
      if (isnan (data_min))
        {
          data_min = 1;
          data_max = 10;
        }
      else if (!(log (data_max) - log (data_min) > 1e-9))
        {
          /* One value (or a few ulps): a factor of three around it. */
          data_min = MAX (data_min / 3, DBL_MIN);
          data_max = MIN (data_max * 3, DBL_MAX);
        }
      init_log (axis, data_min, data_max, flags, max_labels);
      axis->half_origin = log (axis->min) * 0.5;
      axis->inv_half_span = 1 / (log (axis->max) * 0.5 - axis->half_origin);
    }
  else
    {
      if (!isfinite (data_min) || !isfinite (data_max) || data_max < data_min)
        {
          data_min = 0;
          data_max = 1;
        }
      init_linear (axis, data_min, data_max, flags, max_labels);
      axis->half_origin = axis->min * 0.5;
      axis->inv_half_span = 1 / (axis->max * 0.5 - axis->half_origin);
    }
}

void
ptl_axis_clear (PtlAxis *axis)
{
  g_return_if_fail (axis != NULL);

  g_clear_pointer (&axis->unit, g_free);
  g_clear_pointer (&axis->ticks, g_array_unref);
}

guint
ptl_axis_get_n_ticks (const PtlAxis *axis)
{
  g_return_val_if_fail (axis != NULL, 0);
  return axis->ticks != NULL ? axis->ticks->len : 0;
}

const PtlAxisTick *
ptl_axis_get_tick (const PtlAxis *axis,
                   guint          index)
{
  g_return_val_if_fail (axis != NULL, NULL);
  g_return_val_if_fail (index < ptl_axis_get_n_ticks (axis), NULL);
  return &g_array_index (axis->ticks, PtlAxisTick, index);
}

guint
ptl_axis_get_n_labels (const PtlAxis *axis)
{
  guint n = 0;

  g_return_val_if_fail (axis != NULL, 0);

  for (guint i = 0; i < ptl_axis_get_n_ticks (axis); i++)
    n += g_array_index (axis->ticks, PtlAxisTick, i).label != NULL;
  return n;
}

double
ptl_axis_denormalize (const PtlAxis *axis,
                      double         fraction)
{
  double value;

  g_return_val_if_fail (axis != NULL, NAN);

  value = 2 * (axis->half_origin + fraction / axis->inv_half_span);
  return axis->log_scale ? exp (value) : value;
}
