/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-kernel-calibrate"

#include "config.h"

#include "ptl-clock.h"
#include "ptl-kernel.h"
#include "ptl-kernel-calibrate.h"

gboolean
ptl_kernel_calibrate (guint64       *state,
                      guint          n_trials,
                      gint64         trial_ns,
                      GCancellable  *cancellable,
                      double        *steps_per_ms,
                      GError       **error)
{
  guint64 n = PTL_KERNEL_BLOCK;
  double best = 0;
  guint trials = 0;

  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (n_trials > 0 && trial_ns > 0, FALSE);
  g_return_val_if_fail (steps_per_ms != NULL, FALSE);

  while (trials < n_trials)
    {
      gint64 start = ptl_clock_thread_cpu_ns ();
      gint64 elapsed;

      *state = ptl_kernel_run (*state, n);
      elapsed = ptl_clock_thread_cpu_ns () - start;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (elapsed < trial_ns)
        {
          n *= 2;
          continue;
        }
      best = MAX (best, n * 1e6 / elapsed);
      trials++;
    }

  *steps_per_ms = best;
  return TRUE;
}
