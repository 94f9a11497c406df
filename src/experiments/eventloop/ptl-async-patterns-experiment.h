/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* The asyncio patterns, played on a GLib main loop. */
typedef enum
{
  PTL_ASYNC_PATTERN_GATHER,      /* asyncio.gather: wait for all */
  PTL_ASYNC_PATTERN_FIRST,       /* asyncio.wait (FIRST_COMPLETED), then cancel the rest */
  PTL_ASYNC_PATTERN_BOUNDED,     /* a Semaphore (N) around each task */
  PTL_ASYNC_PATTERN_TIMEOUT,     /* asyncio.wait_for with a timeout on each task */
  PTL_ASYNC_PATTERN_CANCEL_TREE, /* cancelling a TaskGroup's tree of tasks */
  PTL_ASYNC_PATTERN_QUEUE,       /* asyncio.Queue: a producer and N consumers */
  PTL_ASYNC_PATTERN_ALL,
} PtlAsyncPattern;

#define PTL_TYPE_ASYNC_PATTERN (ptl_async_pattern_get_type ())
GType ptl_async_pattern_get_type (void) G_GNUC_CONST;

#define PTL_TYPE_ASYNC_PATTERNS_EXPERIMENT (ptl_async_patterns_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlAsyncPatternsExperiment, ptl_async_patterns_experiment, PTL, ASYNC_PATTERNS_EXPERIMENT, PtlExperiment)

G_END_DECLS
