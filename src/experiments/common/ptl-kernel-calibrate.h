/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How many steps of the lab's arithmetic kernel (ptl-kernel.h) one core
 * does per millisecond of CPU time. Runs @n_trials trials of at least
 * @trial_ns each, timed by the calling thread's CPU clock so preemption
 * does not count, and keeps the fastest (a cold cache or a busy sibling
 * hyperthread only ever slow a trial down); this also warms up the CPU
 * before the first measurement. @state is the kernel's state in and out,
 * so the work cannot be optimised away. FALSE when cancelled. */
gboolean ptl_kernel_calibrate (guint64       *state,
                               guint          n_trials,
                               gint64         trial_ns,
                               GCancellable  *cancellable,
                               double        *steps_per_ms,
                               GError       **error);

G_END_DECLS
