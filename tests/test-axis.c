/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-axis"

#include "config.h"

#include <float.h>
#include <locale.h>
#include <string.h>

#include "ptl-axis.h"

static void
test_nice_step (void)
{
  static const struct
  {
    double      raw;
    const char *unit;
    double      expected;
  } cases[] = {
    { 0.7, NULL, 1 },
    { 1.0, NULL, 1 },
    { 1.2, NULL, 2 },
    { 2.1, NULL, 5 },
    { 5.5, NULL, 10 },
    { 0.013, "s", 0.02 },
    { 340, "ops/s", 500 },
    { 1500, "B", 2048 },
    { 1e6, "B", 1048576 },
    { 3e8, "B/s", 536870912 },
    { 0.3, "B", 0.5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double step = ptl_axis_nice_step (cases[i].raw, cases[i].unit);

      g_test_message ("nice step of %g %s", cases[i].raw, cases[i].unit ? cases[i].unit : "");
      g_assert_cmpfloat_with_epsilon (step, cases[i].expected, cases[i].expected * 1e-12);
    }
}

static char *
join_labels (const PtlAxis *axis)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < ptl_axis_get_n_ticks (axis); i++)
    {
      const PtlAxisTick *tick = ptl_axis_get_tick (axis, i);

      if (tick->label == NULL)
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, '|');
      g_string_append (joined, tick->label);
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
test_ticks (void)
{
  static const struct
  {
    double        min;
    double        max;
    gboolean      log_scale;
    const char   *unit;
    PtlAxisFlags  flags;
    guint         max_labels;
    const char   *labels;
    guint         n_ticks;   /* labelled and minor */
    double        axis_min;
    double        axis_max;
  } cases[] = {
    /* linear */
    { 0, 1, FALSE, NULL, PTL_AXIS_EXTEND, 6, "0.0|0.2|0.4|0.6|0.8|1.0", 6, 0, 1 },
    { 0.3, 9.7, FALSE, NULL, PTL_AXIS_NONE, 6, "2|4|6|8", 4, 0.3, 9.7 },
    { -3, 7, FALSE, NULL, PTL_AXIS_EXTEND, 6, "-5|0|5|10", 4, -5, 10 },
    { 5, 5, FALSE, "workers", PTL_AXIS_EXTEND | PTL_AXIS_INCLUDE_ZERO, 6, "0|1|2|3|4|5", 6, 0, 5 },
    { NAN, NAN, FALSE, NULL, PTL_AXIS_EXTEND, 6, "0.0|0.2|0.4|0.6|0.8|1.0", 6, 0, 1 },
    { 2e7, 6e7, FALSE, NULL, PTL_AXIS_EXTEND, 5, "2e+07|3e+07|4e+07|5e+07|6e+07", 5, 2e7, 6e7 },
    /* counts: whole ticks only, a lone count with its neighbours */
    { 1, 4, FALSE, NULL, PTL_AXIS_INTEGER, 8, "1|2|3|4", 4, 1, 4 },
    { 1, 4, FALSE, NULL, PTL_AXIS_NONE, 8, "1.0|1.5|2.0|2.5|3.0|3.5|4.0", 7, 1, 4 },
    { 4, 4, FALSE, "workers", PTL_AXIS_INTEGER, 8, "3|4|5", 3, 3, 5 },
    { 0, 2, FALSE, NULL, PTL_AXIS_INTEGER | PTL_AXIS_EXTEND, 10, "0|1|2", 3, 0, 2 },
    /* seconds by magnitude, trailing zeros dropped */
    { 0, 0.0042, FALSE, "s", PTL_AXIS_EXTEND | PTL_AXIS_INCLUDE_ZERO, 6,
      "0 s|1 ms|2 ms|3 ms|4 ms|5 ms", 6, 0, 0.005 },
    { 0, 1.5e-3, FALSE, "s", PTL_AXIS_EXTEND, 4, "0 s|500 µs|1 ms|1.5 ms", 4, 0, 1.5e-3 },
    /* three digits cannot tell these apart: base units, more decimals */
    { 1.0, 1.004, FALSE, "s", PTL_AXIS_NONE, 5,
      "1.000 s|1.001 s|1.002 s|1.003 s|1.004 s", 5, 1.0, 1.004 },
    /* bytes step by powers of two */
    { 0, 1048576, FALSE, "B", PTL_AXIS_EXTEND, 6, "0 B|256 KiB|512 KiB|768 KiB|1 MiB", 5, 0, 1048576 },
    { 0, 3000, FALSE, "B", PTL_AXIS_EXTEND, 6, "0 B|1 KiB|2 KiB|3 KiB", 4, 0, 3072 },
    /* ratios */
    { 0, 2.1, FALSE, "x", PTL_AXIS_EXTEND | PTL_AXIS_INCLUDE_ZERO, 6, "0×|0.5×|1×|1.5×|2×|2.5×", 6, 0, 2.5 },
    /* log: decades, 2 and 5 as minor ticks or labels */
    { 1e-6, 3e-3, TRUE, "s", PTL_AXIS_NONE, 10, "1 µs|10 µs|100 µs|1 ms", 11, 1e-6, 3e-3 },
    { 3, 7, TRUE, NULL, PTL_AXIS_EXTEND, 8, "1|2|5|10", 4, 1, 10 },
    { 1, 1e12, TRUE, NULL, PTL_AXIS_EXTEND, 5, "1|1000|1000000|1e+09|1e+12", 13, 1, 1e12 },
    /* log too narrow for two powers: linear values on the log scale */
    { 3, 7, TRUE, NULL, PTL_AXIS_NONE, 8, "3|4|5|6|7", 5, 3, 7 },
    /* log of bytes: octaves, labelled every second one here */
    { 64, 1048576, TRUE, "B", PTL_AXIS_NONE, 8,
      "64 B|256 B|1 KiB|4 KiB|16 KiB|64 KiB|256 KiB|1 MiB", 15, 64, 1048576 },
    /* no positive data on a log axis */
    { -1, 0, TRUE, NULL, PTL_AXIS_EXTEND, 6, "1|2|5|10", 4, 1, 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *labels = NULL;
      PtlAxis axis;

      g_test_message ("case %u: %g to %g%s", i, cases[i].min, cases[i].max,
                      cases[i].log_scale ? " (log)" : "");
      ptl_axis_init (&axis, cases[i].min, cases[i].max, cases[i].log_scale,
                     cases[i].unit, cases[i].flags, cases[i].max_labels);
      labels = join_labels (&axis);
      g_assert_cmpstr (labels, ==, cases[i].labels);
      g_assert_cmpuint (ptl_axis_get_n_ticks (&axis), ==, cases[i].n_ticks);
      g_assert_cmpuint (ptl_axis_get_n_labels (&axis), <=, cases[i].max_labels);
      g_assert_cmpfloat_with_epsilon (axis.min, cases[i].axis_min, fabs (cases[i].axis_min) * 1e-9 + 1e-15);
      g_assert_cmpfloat_with_epsilon (axis.max, cases[i].axis_max, fabs (cases[i].axis_max) * 1e-9 + 1e-15);

      /* Ticks ascend and stay inside the drawn range. */
      for (guint j = 0; j < ptl_axis_get_n_ticks (&axis); j++)
        {
          double f = ptl_axis_normalize (&axis, ptl_axis_get_tick (&axis, j)->value);

          g_assert_cmpfloat (f, >=, -1e-9);
          g_assert_cmpfloat (f, <=, 1 + 1e-9);
          if (j > 0)
            g_assert_cmpfloat (ptl_axis_get_tick (&axis, j - 1)->value, <, ptl_axis_get_tick (&axis, j)->value);
        }
      ptl_axis_clear (&axis);
    }
}

static void
test_max_labels (void)
{
  /* However little room, never more labels than asked for, never none. */
  static const guint budgets[] = { 3, 4, 5, 7, 10, 15 };
  static const struct
  {
    double      min;
    double      max;
    gboolean    log_scale;
    const char *unit;
  } ranges[] = {
    { 0, 1, FALSE, NULL },
    { 0.001, 997, FALSE, "s" },
    { -42, 17, FALSE, NULL },
    { 0, 5e9, FALSE, "B/s" },
    { 1e-9, 10, TRUE, "s" },
    { 1, 1 << 30, TRUE, "B" },
    { 0.5, 2, TRUE, "x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    for (guint j = 0; j < G_N_ELEMENTS (budgets); j++)
      for (guint extend = 0; extend < 2; extend++)
        {
          PtlAxis axis;

          ptl_axis_init (&axis, ranges[i].min, ranges[i].max, ranges[i].log_scale, ranges[i].unit,
                         extend ? PTL_AXIS_EXTEND : PTL_AXIS_NONE, budgets[j]);
          g_test_message ("range %u, %u labels, extend %u: %u labels", i, budgets[j], extend,
                          ptl_axis_get_n_labels (&axis));
          g_assert_cmpuint (ptl_axis_get_n_labels (&axis), <=, budgets[j]);
          g_assert_cmpuint (ptl_axis_get_n_labels (&axis), >=, 1);
          if (extend)
            {
              g_assert_cmpfloat (axis.min, <=, ranges[i].min);
              g_assert_cmpfloat (axis.max, >=, ranges[i].max);
            }
          ptl_axis_clear (&axis);
        }
}

static void
test_normalize (void)
{
  static const struct
  {
    double   min;
    double   max;
    gboolean log_scale;
    double   value;
    double   expected;
  } cases[] = {
    { 0, 10, FALSE, 5, 0.5 },
    { 0, 10, FALSE, 0, 0 },
    { 0, 10, FALSE, 10, 1 },
    { 0, 10, FALSE, 15, 1.5 },
    { -10, 10, FALSE, -5, 0.25 },
    { 1, 100, TRUE, 10, 0.5 },
    { 1, 100, TRUE, 1, 0 },
    { 1, 1000, TRUE, 10, 1.0 / 3 },
    { 1, 100, TRUE, 0, NAN },
    { 1, 100, TRUE, -5, NAN },
    { 0, 10, FALSE, NAN, NAN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlAxis axis;
      double f;

      /* A budget big enough that the range is not rounded. */
      ptl_axis_init (&axis, cases[i].min, cases[i].max, cases[i].log_scale, NULL, PTL_AXIS_NONE, 100);
      f = ptl_axis_normalize (&axis, cases[i].value);
      if (isnan (cases[i].expected))
        g_assert_true (isnan (f));
      else
        {
          g_assert_cmpfloat_with_epsilon (f, cases[i].expected, 1e-12);
          g_assert_cmpfloat_with_epsilon (ptl_axis_denormalize (&axis, f), cases[i].value,
                                          fabs (cases[i].value) * 1e-12 + 1e-12);
        }
      ptl_axis_clear (&axis);
    }
}

static void
test_format_tick (void)
{
  static const struct
  {
    double      value;
    double      step;
    const char *unit;
    const char *expected;
  } cases[] = {
    { 1.5e-3, 5e-4, "s", "1.5 ms" },
    { 2e-9, 1e-9, "s", "2 ns" },
    { 90, 30, "s", "90 s" },
    { 0.25, 0.05, NULL, "0.25" },
    { 0, 0.2, NULL, "0.0" },
    { -0.4, 0.2, NULL, "-0.4" },
    { 1200, 200, NULL, "1200" },
    { 3e7, 1e7, NULL, "3e+07" },
    { 2.5e-5, 5e-6, NULL, "2.5e-05" },
    { 1e-3, 0, NULL, "0.001" },
    { 5, 1, "workers", "5" },
    { 2, 0.5, "x", "2×" },
    { 1.95, 0.05, "x", "1.95×" },
    { 12.5, 2.5, "%", "12.5 %" },
    { 1048576, 0, "B", "1 MiB" },
    { 786432, 262144, "B", "768 KiB" },
    { 2e6, 1e6, "ops/s", "2 M ops/s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = ptl_axis_format_tick (cases[i].value, cases[i].step, cases[i].unit);

      g_assert_cmpstr (label, ==, cases[i].expected);
    }
}

static void
test_units (void)
{
  static const struct
  {
    const char *unit;
    gboolean    in_ticks;
    gboolean    bytes;
  } cases[] = {
    { "s", TRUE, FALSE },
    { "B", TRUE, TRUE },
    { "B/s", TRUE, TRUE },
    { "ops/s", TRUE, FALSE },
    { "x", TRUE, FALSE },
    { "%", TRUE, FALSE },
    { "workers", FALSE, FALSE },
    { "", FALSE, FALSE },
    { NULL, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (ptl_axis_unit_in_ticks (cases[i].unit), ==, cases[i].in_ticks);
      g_assert_cmpint (ptl_axis_unit_is_bytes (cases[i].unit), ==, cases[i].bytes);
    }
}

/* Hostile but finite ranges finish in bounded work (the tick loop once
 * stalled where k++ no longer changes k past 2^53, or ran to infinity),
 * with finite ticks and short labels; non-finite ones count as no data. */
static void
test_extreme_ranges (void)
{
  static const struct
  {
    double      min;
    double      max;
    gboolean    log_scale;
    const char *unit;
  } cases[] = {
    { -1e308, 1e308, FALSE, "s" },
    { -DBL_MAX, DBL_MAX, FALSE, "x" },
    { DBL_MAX, DBL_MAX, FALSE, NULL },
    { -DBL_MAX, -DBL_MAX / 2, FALSE, "B" },
    { 1e15, 1e15 + 0.125, FALSE, "s" },
    { 1e15, 1e15 + 4, FALSE, NULL },
    { 9007199254740992.0, 9007199254740994.0, FALSE, NULL },
    { 1e300, 1e300 * (1 + 1e-15), FALSE, "B" },
    { 0, 1e-320, FALSE, NULL },
    { 5e-324, 1e308, FALSE, NULL },
    { 5e-324, 1e308, TRUE, "s" },
    { 5e-324, DBL_MAX, TRUE, "B" },
    { 1e300, 1e300 * (1 + 1e-15), TRUE, NULL },
    { DBL_MAX, DBL_MAX, TRUE, "x" },
    { -INFINITY, INFINITY, FALSE, "s" },
    { 0, INFINITY, TRUE, NULL },
    { NAN, 1, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint extend = 0; extend < 2; extend++)
      for (guint budget = 3; budget <= 12; budget += 9)
        {
          PtlAxis axis;

          g_test_message ("case %u: %g to %g%s, extend %u, %u labels", i, cases[i].min, cases[i].max,
                          cases[i].log_scale ? " (log)" : "", extend, budget);
          ptl_axis_init (&axis, cases[i].min, cases[i].max, cases[i].log_scale, cases[i].unit,
                         extend ? PTL_AXIS_EXTEND : PTL_AXIS_NONE, budget);

          g_assert_true (isfinite (axis.min) && isfinite (axis.max));
          g_assert_cmpfloat (axis.min, <, axis.max);
          g_assert_cmpfloat_with_epsilon (ptl_axis_normalize (&axis, axis.min), 0, 1e-9);
          g_assert_cmpfloat_with_epsilon (ptl_axis_normalize (&axis, axis.max), 1, 1e-9);
          g_assert_cmpuint (ptl_axis_get_n_labels (&axis), >=, 1);
          /* The widest nice step still leaves five labels at most. */
          g_assert_cmpuint (ptl_axis_get_n_labels (&axis), <=, MAX (budget, 5));
          g_assert_cmpuint (ptl_axis_get_n_ticks (&axis), <=, 4000);
          for (guint j = 0; j < ptl_axis_get_n_ticks (&axis); j++)
            {
              const PtlAxisTick *tick = ptl_axis_get_tick (&axis, j);

              g_assert_true (isfinite (tick->value));
              g_assert_true (isfinite (ptl_axis_normalize (&axis, tick->value)) || cases[i].log_scale);
              if (tick->label != NULL)
                g_assert_cmpuint (strlen (tick->label), <, 32);
              if (j > 0)
                g_assert_cmpfloat (ptl_axis_get_tick (&axis, j - 1)->value, <, tick->value);
            }
          ptl_axis_clear (&axis);
        }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/axis/nice-step", test_nice_step);
  g_test_add_func ("/ptl/axis/nice-ticks", test_ticks);
  g_test_add_func ("/ptl/axis/max-labels", test_max_labels);
  g_test_add_func ("/ptl/axis/normalize", test_normalize);
  g_test_add_func ("/ptl/axis/format-tick", test_format_tick);
  g_test_add_func ("/ptl/axis/units", test_units);
  g_test_add_func ("/ptl/axis/extreme-ranges", test_extreme_ranges);

  return g_test_run ();
}
