/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sched.h>
#include <sys/types.h>

#include "ptl-core.h"

G_BEGIN_DECLS

/* Where the two sides of a pair (a ping-pong, a producer and its
 * consumer) run. On a VM this moves round trips tenfold: across vCPUs
 * every wake-up of a halted vCPU is a virtual interrupt. */
typedef enum
{
  PTL_PLACEMENT_UNPINNED,       /* the scheduler decides, and may change its mind */
  PTL_PLACEMENT_SAME_CPU,       /* both sides on the first CPU we may use */
  PTL_PLACEMENT_DIFFERENT_CPUS, /* side 0 on the first, side 1 on the second */
} PtlPlacement;

#define PTL_TYPE_PLACEMENT (ptl_placement_get_type ())
GType        ptl_placement_get_type  (void);

/* The enum's nick ("same-cpu"), for notes and results. */
const char  *ptl_placement_get_nick  (PtlPlacement   placement);

/* FALSE with PTL_ERROR_LIMIT when @placement cannot be had here
 * (different-cpus with one usable CPU). */
gboolean     ptl_placement_check     (PtlPlacement   placement,
                                      GError       **error);

/* The CPU side @side (0 or 1) runs on, or -1 when unpinned; chosen among
 * the CPUs the process may use (its main thread's affinity), so a
 * `taskset` around ptlab is honoured. */
int          ptl_placement_get_cpu   (PtlPlacement   placement,
                                      guint          side);

/* Pins thread or process @tid (0: the calling thread) as side @side.
 * Unpinned leaves it alone. When @previous is not NULL it receives the
 * affinity before, for ptl_placement_restore (): a pool thread must not
 * stay pinned after the run. */
gboolean     ptl_placement_apply     (PtlPlacement   placement,
                                      guint          side,
                                      pid_t          tid,
                                      cpu_set_t     *previous,
                                      GError       **error);
void         ptl_placement_restore   (pid_t          tid,
                                      const cpu_set_t *previous);

/* One sentence for a result's notes: where both sides ran. */
char        *ptl_placement_describe  (PtlPlacement   placement);

G_END_DECLS
