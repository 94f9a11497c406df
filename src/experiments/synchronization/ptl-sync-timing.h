/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>

#include "ptl-core.h"

G_BEGIN_DECLS

/* What the Synchronization experiments that run real threads share: how
 * a worker draws the length of its next piece of work, and how a wait
 * distribution is drawn. */

typedef enum
{
  PTL_SYNC_TIMING_FIXED,       /* every piece takes the mean */
  PTL_SYNC_TIMING_EXPONENTIAL, /* memoryless, as arrivals at a queue */
} PtlSyncTiming;

#define PTL_TYPE_SYNC_TIMING (ptl_sync_timing_get_type ())
GType ptl_sync_timing_get_type (void);

/* The form's labels for the enum, in value order. */
extern const char * const ptl_sync_timing_labels[];
/* The timing as a word inside a sentence ("exponential"), translated. */
const char *ptl_sync_timing_describe (PtlSyncTiming timing);

/* A generator of its own per thread (splitmix64), seeded from @seed. */
static inline guint64
ptl_sync_random_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* The length of the next piece, in ns, around @mean_ns. */
static inline gint64
ptl_sync_timing_draw_ns (PtlSyncTiming timing,
                         double        mean_ns,
                         guint64      *state)
{
  /* In (0, 1]: the logarithm never sees 0. */
  double u = ((ptl_sync_random_next (state) >> 11) + 1) * (1.0 / 9007199254740992.0);

  if (timing == PTL_SYNC_TIMING_FIXED)
    return (gint64) mean_ns;
  return (gint64) (-mean_ns * log (u));
}

/* Adds to @chart a series @name: the cumulative distribution of @n waits
 * in seconds. On the chart's log axis a wait of 0 cannot show, so waits
 * are drawn from 1 ns. */
void ptl_sync_add_wait_cdf (PtlChart     *chart,
                            const char   *id,
                            const char   *name,
                            const double *waits_s,
                            gsize         n);

G_END_DECLS
