/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-stats"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-stats.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double *
sorted_copy (const double *samples,
             gsize         n)
{
  double *copy = g_memdup2 (samples, n * sizeof (double));

  qsort (copy, n, sizeof (double), compare_doubles);
  return copy;
}

double
ptl_stats_mean (const double *samples,
                gsize         n)
{
  double sum = 0;

  if (n == 0)
    return NAN;
  for (gsize i = 0; i < n; i++)
    sum += samples[i];
  return sum / n;
}

double
ptl_stats_stddev (const double *samples,
                  gsize         n)
{
  double mean, sum = 0;

  if (n < 2)
    return n == 1 ? 0.0 : NAN;
  mean = ptl_stats_mean (samples, n);
  for (gsize i = 0; i < n; i++)
    sum += (samples[i] - mean) * (samples[i] - mean);
  return sqrt (sum / (n - 1));
}

double
ptl_stats_percentile_sorted (const double *sorted,
                             gsize         n,
                             double        p)
{
  double rank;
  gsize lower;

  if (n == 0)
    return NAN;
  p = CLAMP (p, 0.0, 100.0);
  rank = p / 100.0 * (n - 1);
  lower = (gsize) floor (rank);
  if (lower + 1 >= n)
    return sorted[n - 1];
  return sorted[lower] + (rank - lower) * (sorted[lower + 1] - sorted[lower]);
}

double
ptl_stats_median (const double *samples,
                  gsize         n)
{
  g_autofree double *sorted = NULL;

  if (n == 0)
    return NAN;
  sorted = sorted_copy (samples, n);
  return ptl_stats_percentile_sorted (sorted, n, 50);
}

void
ptl_stats_compute (PtlStats     *stats,
                   const double *samples,
                   gsize         n)
{
  g_autofree double *sorted = NULL;

  g_return_if_fail (stats != NULL);
  g_return_if_fail (samples != NULL || n == 0);

  stats->n = n;
  if (n == 0)
    {
      stats->min = stats->max = stats->mean = stats->stddev = NAN;
      stats->p1 = stats->p5 = stats->p25 = stats->median = NAN;
      stats->p75 = stats->p95 = stats->p99 = NAN;
      return;
    }

  sorted = sorted_copy (samples, n);
  stats->min = sorted[0];
  stats->max = sorted[n - 1];
  stats->mean = ptl_stats_mean (sorted, n);
  stats->stddev = ptl_stats_stddev (sorted, n);
  stats->p1 = ptl_stats_percentile_sorted (sorted, n, 1);
  stats->p5 = ptl_stats_percentile_sorted (sorted, n, 5);
  stats->p25 = ptl_stats_percentile_sorted (sorted, n, 25);
  stats->median = ptl_stats_percentile_sorted (sorted, n, 50);
  stats->p75 = ptl_stats_percentile_sorted (sorted, n, 75);
  stats->p95 = ptl_stats_percentile_sorted (sorted, n, 95);
  stats->p99 = ptl_stats_percentile_sorted (sorted, n, 99);
}

double
ptl_stats_relative_spread (const PtlStats *stats)
{
  g_return_val_if_fail (stats != NULL, NAN);

  if (stats->n == 0 || stats->median == 0)
    return NAN;
  return (stats->p95 - stats->p5) / fabs (stats->median);
}

gboolean
ptl_stats_is_noisy (const PtlStats *stats)
{
  g_return_val_if_fail (stats != NULL, FALSE);

  return stats->n >= 3 && ptl_stats_relative_spread (stats) > PTL_NOISY_SPREAD;
}

guint
ptl_stats_log_histogram (const double  *samples,
                         gsize          n,
                         guint          bins_per_decade,
                         double       **centers,
                         double       **percent)
{
  gint64 first = G_MAXINT64, last = G_MININT64;
  gsize n_positive = 0;
  guint n_bins;
  double *counts;

  g_return_val_if_fail (samples != NULL || n == 0, 0);
  g_return_val_if_fail (bins_per_decade > 0, 0);
  g_return_val_if_fail (centers != NULL && percent != NULL, 0);

  *centers = NULL;
  *percent = NULL;

  /* Bin k holds [10^(k/b), 10^((k+1)/b)). */
  for (gsize i = 0; i < n; i++)
    if (samples[i] > 0 && isfinite (samples[i]))
      {
        gint64 bin = (gint64) floor (log10 (samples[i]) * bins_per_decade);

        first = MIN (first, bin);
        last = MAX (last, bin);
        n_positive++;
      }
  if (n_positive == 0)
    return 0;

  /* One empty bin each side. */
  first--;
  last++;
  n_bins = (guint) (last - first + 1);
  counts = g_new0 (double, n_bins);
  for (gsize i = 0; i < n; i++)
    if (samples[i] > 0 && isfinite (samples[i]))
      {
        gint64 bin = (gint64) floor (log10 (samples[i]) * bins_per_decade);

        counts[bin - first]++;
      }

  *centers = g_new (double, n_bins);
  for (guint i = 0; i < n_bins; i++)
    {
      (*centers)[i] = pow (10, (first + i + 0.5) / bins_per_decade);
      counts[i] *= 100.0 / n_positive;
    }
  *percent = counts;
  return n_bins;
}

guint
ptl_stats_cdf (const double  *samples,
               gsize          n,
               guint          step,
               guint          tail_step,
               double       **values,
               double       **percent)
{
  g_autofree double *sorted = NULL;
  guint n_points = 0;

  g_return_val_if_fail (samples != NULL || n == 0, 0);
  g_return_val_if_fail (step > 0 && tail_step > 0, 0);
  g_return_val_if_fail (values != NULL && percent != NULL, 0);

  *values = NULL;
  *percent = NULL;
  if (n == 0)
    return 0;

  sorted = sorted_copy (samples, n);
  /* Enough for every point: the grid is counted in whole tenths, so
   * 0.5 % steps land exactly on 0.5, 1.0, ... */
  *values = g_new (double, 1000 / MIN (step, tail_step) + 2);
  *percent = g_new (double, 1000 / MIN (step, tail_step) + 2);
  for (guint tenths = 0; tenths <= 1000; tenths += tenths < 990 ? step : tail_step)
    {
      (*percent)[n_points] = tenths / 10.0;
      (*values)[n_points] = ptl_stats_percentile_sorted (sorted, n, tenths / 10.0);
      n_points++;
    }
  return n_points;
}

typedef struct
{
  double      factor;
  const char *suffix;
} Scale;

/* Picks the largest scale whose factor is <= |value|, so 0.0042 s prints
 * as "4.20 ms"; three significant digits throughout. */
static char *
format_scaled (double       value,
               const Scale *scales,
               gsize        n_scales)
{
  double magnitude = fabs (value);
  const Scale *scale = &scales[0];
  double scaled;

  for (gsize i = 0; i < n_scales; i++)
    if (magnitude >= scales[i].factor)
      scale = &scales[i];

  if (value == 0)
    for (gsize i = 0; i < n_scales; i++)
      if (scales[i].factor == 1)
        return g_strdup_printf ("0 %s", scales[i].suffix);

  scaled = value / scale->factor;
  if (fabs (scaled) >= 100)
    return g_strdup_printf ("%.0f %s", scaled, scale->suffix);
  if (fabs (scaled) >= 10)
    return g_strdup_printf ("%.1f %s", scaled, scale->suffix);
  return g_strdup_printf ("%.2f %s", scaled, scale->suffix);
}

char *
ptl_format_value (double      value,
                  const char *unit)
{
  static const Scale seconds[] = {
    { 1e-9, "ns" }, { 1e-6, "µs" }, { 1e-3, "ms" }, { 1, "s" },
  };
  static const Scale bytes[] = {
    { 1, "B" }, { 1024.0, "KiB" }, { 1048576.0, "MiB" },
    { 1073741824.0, "GiB" }, { 1099511627776.0, "TiB" },
  };
  static const Scale byte_rates[] = {
    { 1, "B/s" }, { 1024.0, "KiB/s" }, { 1048576.0, "MiB/s" },
    { 1073741824.0, "GiB/s" },
  };
  static const Scale rates[] = {
    { 1, "ops/s" }, { 1e3, "k ops/s" }, { 1e6, "M ops/s" }, { 1e9, "G ops/s" },
  };

  if (isnan (value))
    return g_strdup ("–");
  /* Counts (workers, switches) print whole: 1000, not 1e+03. */
  if ((unit == NULL || *unit == '\0') && value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f", value);
  if (unit == NULL || *unit == '\0')
    return g_strdup_printf ("%.3g", value);
  if (strcmp (unit, "s") == 0)
    return format_scaled (value, seconds, G_N_ELEMENTS (seconds));
  if (strcmp (unit, "B") == 0)
    return format_scaled (value, bytes, G_N_ELEMENTS (bytes));
  if (strcmp (unit, "B/s") == 0)
    return format_scaled (value, byte_rates, G_N_ELEMENTS (byte_rates));
  if (strcmp (unit, "ops/s") == 0)
    return format_scaled (value, rates, G_N_ELEMENTS (rates));
  if (strcmp (unit, "x") == 0)
    return g_strdup_printf (fabs (value) >= 100 ? "%.0f×" : fabs (value) >= 10 ? "%.1f×" : "%.2f×", value);
  if (strcmp (unit, "%") == 0)
    return g_strdup_printf ("%.1f %%", value);
  if (value == floor (value) && fabs (value) < 1e15)
    return g_strdup_printf ("%.0f %s", value, unit);
  return g_strdup_printf ("%.3g %s", value, unit);
}
