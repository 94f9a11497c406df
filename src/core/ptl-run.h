/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ptl-types.h"
#include "ptl-result.h"

G_BEGIN_DECLS

/* Called in the main context that started the run, with a private copy of
 * the partial result (the caller may keep a reference). Updates are
 * coalesced, at most ten a second: a slow receiver sees fewer, never
 * stale-ordered, calls. */
typedef void (*PtlProgressFunc) (PtlResult  *snapshot,
                                 double      fraction,
                                 const char *message,
                                 gpointer    user_data);

#define PTL_TYPE_RUN (ptl_run_get_type ())
G_DECLARE_FINAL_TYPE (PtlRun, ptl_run, PTL, RUN, GObject)

PtlRun       *ptl_run_new                    (PtlResult       *result,
                                              GCancellable    *cancellable,
                                              GMainContext    *context,
                                              PtlProgressFunc  progress,
                                              gpointer         progress_data,
                                              GDestroyNotify   progress_notify);
/* Borrowed: the result the experiment fills. */
PtlResult    *ptl_run_get_result             (PtlRun          *self);
GCancellable *ptl_run_get_cancellable        (PtlRun          *self);
gboolean      ptl_run_is_cancelled           (PtlRun          *self);
/* Sets G_IO_ERROR_CANCELLED and returns TRUE when cancelled. */
gboolean      ptl_run_set_error_if_cancelled (PtlRun          *self,
                                              GError         **error);
/* Thread-safe. @fraction in [0, 1]; sends a snapshot of the result too. */
void          ptl_run_progress               (PtlRun          *self,
                                              double           fraction,
                                              const char      *format,
                                              ...) G_GNUC_PRINTF (3, 4);
/* The one virtual-machine warning every measuring experiment gives, when
 * the result's machine facts say it ran in one (ptl_machine_is_virtual). */
void          ptl_run_warn_if_virtual        (PtlRun          *self);
/* Drops the progress callback (calling its notify) and the result: after
 * this no further call reaches the receiver. ptl_experiment_run_finish () calls it in the
 * caller's context, so late deliveries of a finished run are dropped. */
void          ptl_run_close                  (PtlRun          *self);

G_END_DECLS
