/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What every child computes: `HELPER work ITERATIONS SLEEP_NS SEED`. */
typedef struct
{
  const char *helper;            /* path of ptlab-helper */
  guint64     iterations;        /* steps of the arithmetic kernel */
  gint64      sleep_ns;          /* wait after computing */
  guint64     seed;
  guint64     expected_checksum; /* what ptl_kernel_run (seed, iterations) gives */
} PtlChildJob;

/* What the children reported, summed. */
typedef struct
{
  gint64 cpu_ns;       /* user + system CPU time, start-up included */
  gint64 maxrss_bytes; /* sum of each child's peak resident set */
} PtlChildTotals;

/* Starts @n_children helpers running @job, at most @max_running at once
 * (a new one as soon as one exits), and waits for all of them, reading
 * their reports through pipes. Checks @cancellable at least every 100 ms.
 * On cancellation or any failure it kills and reaps every child it
 * started and closes every pipe before returning FALSE. */
gboolean ptl_child_pool_run (const PtlChildJob  *job,
                             guint               n_children,
                             guint               max_running,
                             GCancellable       *cancellable,
                             PtlChildTotals     *totals,
                             GError            **error);

G_END_DECLS
