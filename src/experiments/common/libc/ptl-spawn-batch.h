/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One batch of process creations, each timed from just before it is
 * created to just after it is reaped. Plain C and libc only: ptlab-helper
 * runs the same code inside a small process, and the "creation"
 * experiment runs it inside the lab for contrast. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum
{
  PTL_SPAWN_FORK,        /* fork (); the child calls _exit (0) */
  PTL_SPAWN_VFORK,       /* vfork (); the child calls _exit (0) */
  PTL_SPAWN_POSIX_SPAWN, /* posix_spawn () of a program that exits at once */
  PTL_SPAWN_FORK_EXEC,   /* fork () + execv () of that program */
  PTL_SPAWN_N_MECHANISMS
} PtlSpawnMechanism;

/* "fork", "vfork", "posix-spawn", "fork-exec": the helper's arguments. */
const char *ptl_spawn_mechanism_name      (PtlSpawnMechanism  mechanism);
/* 1 and sets @mechanism when @name is one of them, else 0. */
int         ptl_spawn_mechanism_parse     (const char        *name,
                                           PtlSpawnMechanism *mechanism);

typedef struct
{
  PtlSpawnMechanism mechanism;
  const char       *program;     /* posix-spawn, fork-exec: what the child runs */
  char * const     *argv;        /* its argv, argv[0] included */
  unsigned          concurrency; /* children created before the first is reaped */
  const int        *stop;        /* non-NULL: once it reads non-zero, nothing more is created */
} PtlSpawnPlan;

/* Why a batch ended early. */
typedef struct
{
  const char *call;      /* "fork", "vfork", "posix_spawn", "waitpid", "exit"; NULL: no failure */
  int         error;     /* errno of the call */
  unsigned    in_flight; /* children alive when it failed */
  int         status;    /* "exit": the wait status of a child that did not exit with 0 */
} PtlSpawnFailure;

/* Creates plan->concurrency children, then reaps each in creation order
 * (never another's child: the lab may have its own). Fills @latencies_ns
 * with the create-and-reap time of every child that exited cleanly, in
 * creation order, and @elapsed_ns with the whole batch's time. @starts_ns
 * and @pids are scratch arrays of plan->concurrency entries. Returns the
 * number of samples, fewer than plan->concurrency when stopped or when
 * @failure->call is set; every child created has been reaped either way. */
unsigned    ptl_spawn_batch               (const PtlSpawnPlan *plan,
                                           int64_t            *latencies_ns,
                                           int64_t            *starts_ns,
                                           pid_t              *pids,
                                           int64_t            *elapsed_ns,
                                           PtlSpawnFailure    *failure);

/* Maps @bytes of private memory and writes to every page, so that a
 * fork () has that many page-table entries to copy. NULL for 0 bytes
 * and on failure (errno set); when @stop is non-NULL and reads non-zero
 * it gives up part way (errno ECANCELED). Release with
 * ptl_spawn_untouch (). */
void       *ptl_spawn_touch               (size_t              bytes,
                                           const int          *stop);
void        ptl_spawn_untouch             (void               *memory,
                                           size_t              bytes);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t     ptl_spawn_now_ns              (void);
