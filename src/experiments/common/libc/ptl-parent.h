/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Plain C and libc only: ptlab-helper builds it too. */

#include <sys/types.h>

/* The environment variable through which the lab tells the helpers it
 * starts its process id (ptl_spawn_dup_helper_environ ()). */
#define PTL_PARENT_PID_ENV "PTLAB_PARENT_PID"

/* Children die with the process that started them: PR_SET_PDEATHSIG
 * (SIGKILL), then _exit (1) if @parent is no longer the parent. It may
 * have died between the fork and the prctl (), and then the signal never
 * comes. Async-signal-safe, for a child between fork () and exec (). */
void ptl_die_with_parent (pid_t parent);

/* The same for a program the lab started: the parent is the one named by
 * $PTLAB_PARENT_PID. Without it (a helper run by hand) only the prctl (). */
void ptl_die_with_spawner (void);
