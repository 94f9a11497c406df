/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A distribution summarised the way the lab reports every measurement. */
typedef struct
{
  gsize  n;
  double min;
  double max;
  double mean;
  double stddev; /* sample standard deviation (n - 1) */
  double p1;
  double p5;
  double p25;
  double median;
  double p75;
  double p95;
  double p99;
} PtlStats;

/* Fills @stats from @n samples (need not be sorted; not modified).
 * With n == 0 every field is NAN and n is 0. */
void   ptl_stats_compute    (PtlStats     *stats,
                             const double *samples,
                             gsize         n);

double ptl_stats_mean       (const double *samples,
                             gsize         n);
double ptl_stats_stddev     (const double *samples,
                             gsize         n);
double ptl_stats_median     (const double *samples,
                             gsize         n);
/* @p in [0, 100]; linear interpolation between closest ranks (type 7,
 * as numpy's default), on an array that is already sorted ascending. */
double ptl_stats_percentile_sorted (const double *sorted,
                                    gsize         n,
                                    double        p);

/* Spread of a distribution relative to its median: (p95 - p5) / median. */
double ptl_stats_relative_spread (const PtlStats *stats);

/* The one definition of a noisy measurement, for every experiment: its
 * middle 90 % (p5 to p95) spans more than PTL_NOISY_SPREAD times its
 * median. Fewer than three samples cannot tell. */
#define PTL_NOISY_SPREAD 1.0
gboolean ptl_stats_is_noisy      (const PtlStats *stats);

/* A histogram on a logarithmic grid of @bins_per_decade bins a decade,
 * aligned on powers of ten so histograms of different samples share bins.
 * Fills @centers (geometric middle of each bin) and @percent (share of the
 * positive samples in it), from the bin before the smallest sample to the
 * one after the largest, empty bins included, so a line through the points
 * starts and ends at 0. Returns the number of bins (0 without positive
 * samples); the caller frees both arrays. */
guint  ptl_stats_log_histogram (const double  *samples,
                                gsize          n,
                                guint          bins_per_decade,
                                double       **centers,
                                double       **percent);

/* The cumulative distribution of @n samples (any order, not modified):
 * at percents from 0 to 100, the value below which that share of them
 * lies (as ptl_stats_percentile_sorted). Percents step by @step tenths of
 * a percent up to 99 % and by @tail_step above, so the tail can be drawn
 * finer. Fills @values and @percent; returns the number of points (0
 * without samples); the caller frees both arrays. */
guint  ptl_stats_cdf        (const double  *samples,
                             gsize          n,
                             guint          step,
                             guint          tail_step,
                             double       **values,
                             double       **percent);

/* Human formatting by magnitude. Units are base units:
 * "s" -> ns/µs/ms/s, "B" -> B/KiB/MiB/GiB, "B/s" -> B/s ... GiB/s,
 * "ops/s" -> ops/s, k ops/s, M ops/s, "x" -> "1.95×", "%" -> "12.5 %",
 * anything else -> "%.3g unit". NAN prints as "–". */
char  *ptl_format_value     (double       value,
                             const char  *unit);

G_END_DECLS
