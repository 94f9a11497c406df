/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An emulation of CPython's global interpreter lock, the "new GIL" of
 * Python/ceval_gil.c (3.2 and later). A thread may compute only while it
 * holds the lock. A thread that waits longer than the switch interval
 * without seeing the lock change hands sets a drop request; the holder
 * polls it (ptl_gil_drop_requested (), as the interpreter polls its eval
 * breaker between bytecodes) and yields; a yielding holder waits until
 * another thread has taken the lock (forced switching), so it cannot
 * take it straight back.
 *
 * Each participating thread passes a token unique to it (any non-NULL
 * address, like CPython's PyThreadState). */
typedef struct _PtlGil PtlGil;

PtlGil  *ptl_gil_new                 (double         switch_interval_ms);
void     ptl_gil_free                (PtlGil        *gil);

/* Blocks until the calling thread holds the lock. */
void     ptl_gil_take                (PtlGil        *gil,
                                      gconstpointer  thread);
/* Releases it, as around a blocking call or at thread exit. */
void     ptl_gil_drop                (PtlGil        *gil,
                                      gconstpointer  thread);
/* Cheap (one atomic load): is a waiter asking the holder to let go? */
gboolean ptl_gil_drop_requested      (PtlGil        *gil);
/* What the holder does on a drop request: drop, then take again once
 * another thread has had the lock. */
void     ptl_gil_yield               (PtlGil        *gil,
                                      gconstpointer  thread);

/* How many times a thread other than the last holder took the lock (the
 * first take counts), and how many yields a drop request forced. Read
 * once the threads are done. */
guint64  ptl_gil_get_n_switches      (PtlGil        *gil);
guint64  ptl_gil_get_n_forced        (PtlGil        *gil);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlGil, ptl_gil_free)

G_END_DECLS
