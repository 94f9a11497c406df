/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sched.h>

#include "ptl-core.h"

G_BEGIN_DECLS

/* What the "creation" and "pool" experiments share: children with pipes
 * that are always reaped, the limits a creation can hit, pinning, and
 * notes about how far to trust a run. */

/* A child process with its standard input and/or output on pipes. */
typedef struct
{
  GPid pid;    /* 0 when not running */
  int  in_fd;  /* write end of its stdin, -1 without */
  int  out_fd; /* read end of its stdout, -1 without */
} PtlSpawnChild;

#define PTL_SPAWN_CHILD_INIT { 0, -1, -1 }

/* Starts @argv[0] (a path) with stdout on a pipe, and stdin on a pipe
 * when @pipe_stdin (else /dev/null), with default signal handling and
 * mask whatever the calling thread has. Our pipe ends are close-on-exec.
 * PTL_ERROR_LIMIT when a process or descriptor limit was hit. */
gboolean ptl_spawn_child_start       (const char * const *argv,
                                      gboolean            pipe_stdin,
                                      PtlSpawnChild      *child,
                                      GError            **error);
/* Closes the pipes and waits for the child to exit; FALSE with an error
 * unless it exited with status 0. */
gboolean ptl_spawn_child_finish      (PtlSpawnChild      *child,
                                      const char         *name,
                                      GError            **error);
/* SIGKILL, reap, close: for cancellation and errors. Does nothing for a
 * child that is not running. */
void     ptl_spawn_child_kill        (PtlSpawnChild      *child);

/* Runs `HELPER ARGS…` to its end and returns what it printed. Checks
 * @cancellable at least every 100 ms and kills and reaps the helper when
 * it fires. */
gboolean ptl_spawn_run_helper        (const char         *helper,
                                      const char * const *args,
                                      GCancellable       *cancellable,
                                      char              **output,
                                      GError            **error);

/* Limits. "RLIMIT_NPROC is 512", "RLIMIT_NPROC is unlimited" or
 * "RLIMIT_NPROC is 512 but does not apply to root". */
char    *ptl_spawn_dup_nproc_limit   (void);
/* TRUE and the limit when RLIMIT_NPROC is finite and applies to us. */
gboolean ptl_spawn_get_nproc_limit   (guint64            *limit);
/* MemAvailable from /proc/meminfo in bytes, -1 when unknown. */
gint64   ptl_spawn_get_mem_available (void);
/* Is @errsv what a process, thread or memory limit makes a creation fail
 * with (EAGAIN, ENOMEM)? */
gboolean ptl_spawn_errno_is_limit    (int                 errsv);
/* "fork failed with 3 created and not yet reaped: Resource temporarily
 * unavailable (EAGAIN); RLIMIT_NPROC is 7": the note or error a limit
 * leaves. */
char    *ptl_spawn_describe_failure  (const char         *call,
                                      int                 errsv,
                                      guint               in_flight);

/* Pins the calling thread (and so whatever it creates afterwards) to the
 * CPU it is running on; @saved receives the mask to restore. */
gboolean ptl_spawn_pin_thread        (cpu_set_t          *saved,
                                      int                *cpu,
                                      GError            **error);
void     ptl_spawn_unpin_thread      (const cpu_set_t    *saved);

/* Peak resident set of this process (VmHWM) in bytes, -1 when unknown. */
gint64   ptl_spawn_get_peak_rss      (void);
/* Memory mappings of this process (lines of /proc/self/maps), -1 when
 * unknown: fork () copies each, so they count as much as its size. */
gint64   ptl_spawn_count_mappings    (void);

/* Adds a member to the result's parameters (placement and the like). */
void     ptl_spawn_record_string     (PtlResult          *result,
                                      const char         *name,
                                      const char         *value);
void     ptl_spawn_record_int        (PtlResult          *result,
                                      const char         *name,
                                      gint64              value);

G_END_DECLS
