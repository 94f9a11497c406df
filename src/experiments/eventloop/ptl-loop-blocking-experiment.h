/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* What the one misbehaving request handler does for block-ms. */
typedef enum
{
  PTL_LOOP_HANDLER_AWAIT,   /* waits on a timer: the loop serves others meanwhile */
  PTL_LOOP_HANDLER_SLEEP,   /* sleeps in the loop thread: everyone waits */
  PTL_LOOP_HANDLER_COMPUTE, /* computes in the loop thread: everyone waits */
  PTL_LOOP_HANDLER_THREAD,  /* computes in a worker thread (g_task_run_in_thread) */
  PTL_LOOP_HANDLER_ALL,     /* each of the above in turn */
} PtlLoopHandler;

#define PTL_TYPE_LOOP_HANDLER (ptl_loop_handler_get_type ())
GType ptl_loop_handler_get_type (void) G_GNUC_CONST;

#define PTL_TYPE_LOOP_BLOCKING_EXPERIMENT (ptl_loop_blocking_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlLoopBlockingExperiment, ptl_loop_blocking_experiment, PTL, LOOP_BLOCKING_EXPERIMENT, PtlExperiment)

G_END_DECLS
