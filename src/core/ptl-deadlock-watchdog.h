/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ptl-chart-graph.h"
#include "ptl-result.h"
#include "ptl-thread-recorder.h"
#include "ptl-thread-sync.h"

G_BEGIN_DECLS

/* A deadlock watchdog: a thread that looks, every period, at the
 * instrumented locks a run watches (their owner) and at the recorder's
 * threads (what each waits for and since when), follows the wait-for
 * graph thread → lock → owner and reports a cycle. A cycle seen once is
 * only a candidate (the fields are read one by one while threads move);
 * it is confirmed by a second look a quarter period later that finds
 * every thread of it still in the very same wait (same object, same
 * start), which no progressing wait survives. On confirmation, and when
 * the run's cancellable fires, it aborts the recorder, so every blocked
 * instrumented call returns and the run gets its threads back. */

#define PTL_DEADLOCK_WATCHDOG_DEFAULT_PERIOD_MS 20

#define PTL_TYPE_DEADLOCK_WATCHDOG (ptl_deadlock_watchdog_get_type ())
G_DECLARE_FINAL_TYPE (PtlDeadlockWatchdog, ptl_deadlock_watchdog, PTL, DEADLOCK_WATCHDOG, GObject)

/* Watches the threads of @recorder, looking every @period_ms. */
PtlDeadlockWatchdog *ptl_deadlock_watchdog_new          (PtlThreadRecorder   *recorder,
                                                         guint                period_ms);
/* A lock whose owner field counts (a mutex); before start. */
void                 ptl_deadlock_watchdog_watch        (PtlDeadlockWatchdog *self,
                                                         PtlSyncObject       *object);
/* Starts the watching thread; FALSE when it could not be made. Once. */
gboolean             ptl_deadlock_watchdog_start        (PtlDeadlockWatchdog *self,
                                                         GCancellable        *cancellable,
                                                         GError             **error);
/* Stops and joins the watching thread (also when nothing was found). */
void                 ptl_deadlock_watchdog_stop         (PtlDeadlockWatchdog *self);

/* After stop: whether a cycle was confirmed, and which. Link i: thread
 * @threads[i] (a recorder lane) waits for lock @objects[i] (a recorder
 * object), held by @threads[i + 1] (the first after the last). */
gboolean             ptl_deadlock_watchdog_found        (PtlDeadlockWatchdog *self);
guint                ptl_deadlock_watchdog_get_cycle    (PtlDeadlockWatchdog *self,
                                                         const guint        **threads,
                                                         const guint32      **objects);
/* When the cycle formed (the latest start among its waits: the last edge
 * added) and when it was confirmed, in ns since the recorder's origin. */
double               ptl_deadlock_watchdog_get_formed_ns   (PtlDeadlockWatchdog *self);
double               ptl_deadlock_watchdog_get_detected_ns (PtlDeadlockWatchdog *self);
/* "Philosopher 3 holds Fork 3 and waits for Fork 4, held by Philosopher
 * 4; …", from the recorder's names; NULL when nothing was found. */
char                *ptl_deadlock_watchdog_dup_description (PtlDeadlockWatchdog *self);
/* The wait-for graph as it stood at confirmation: every waiting thread
 * and every held watched lock, the cycle highlighted. NULL when nothing
 * was found. */
PtlGraph            *ptl_deadlock_watchdog_dup_graph    (PtlDeadlockWatchdog *self);

/* Adds that graph to @result as chart @id; FALSE (nothing added) when
 * nothing was found. */
gboolean             ptl_deadlock_watchdog_add_chart    (PtlDeadlockWatchdog *self,
                                                         PtlResult           *result,
                                                         const char          *id,
                                                         const char          *title);

/* The watching thread's own cost: CPU time (CLOCK_THREAD_CPUTIME_ID) and
 * how long it lived, in ns, and how many looks it took. After stop. */
gint64               ptl_deadlock_watchdog_get_cpu_ns   (PtlDeadlockWatchdog *self);
gint64               ptl_deadlock_watchdog_get_wall_ns  (PtlDeadlockWatchdog *self);
guint64              ptl_deadlock_watchdog_get_n_looks  (PtlDeadlockWatchdog *self);

G_END_DECLS
