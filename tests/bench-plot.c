/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-plot"

#include "config.h"

#include <locale.h>

#include "ptl-plot.h"

/* `meson test --benchmark plot-1m`: how long one 1200 × 800 render of a
 * 1,000,000-point line chart takes, to hold decimation to its promise of
 * well under a 60 Hz frame. */

#define N_POINTS 1000000
#define REPEATS 40
#define FRAME_SECONDS (1.0 / 60)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  PtlStats stats;

  setlocale (LC_ALL, "");

  if (!ptl_plot_bench_line (N_POINTS, REPEATS, &stats, &error))
    {
      g_printerr ("plot-1m: %s\n", error->message);
      return 1;
    }

  g_print ("plot-1m: %d points, 1200x800 ARGB32, report style, %zu renders\n", N_POINTS, stats.n);
  g_print ("plot-1m: median %.2f ms, p95 %.2f ms, min %.2f ms, max %.2f ms, mean %.2f ms\n",
           stats.median * 1e3, stats.p95 * 1e3, stats.min * 1e3, stats.max * 1e3, stats.mean * 1e3);
  g_print ("plot-1m: median is %.0f %% of a 60 Hz frame\n", 100 * stats.median / FRAME_SECONDS);
  return 0;
}
