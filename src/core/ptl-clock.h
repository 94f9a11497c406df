/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <time.h>

G_BEGIN_DECLS

/* CLOCK_MONOTONIC in nanoseconds: ~23 ns a call here, unlike
 * g_get_monotonic_time () which only resolves microseconds. */
static inline gint64
ptl_clock_now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* CPU time of the calling thread only. */
static inline gint64
ptl_clock_thread_cpu_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* User + system CPU time of this process (all threads), and separately of
 * its reaped children. */
gint64 ptl_clock_process_cpu_ns (void);
gint64 ptl_clock_children_cpu_ns (void);

/* Sleep that wakes early when @cancellable fires; returns FALSE if it did. */
gboolean ptl_clock_sleep_ns (gint64 ns, GCancellable *cancellable);

/* What g_cancellable_source_new () makes, with the same callback type
 * (GCancellableSourceFunc), for a loop that waits on @cancellable. GLib
 * 2.74's own source leaks itself when its last reference goes in one
 * thread while another is still emitting ::cancelled (a worker's loop
 * that ends at the cancel does just that); this one watches the
 * cancellable's descriptor and connects no handler. */
GSource *ptl_cancellable_source_new (GCancellable *cancellable);

G_END_DECLS
