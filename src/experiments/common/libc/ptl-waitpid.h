/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Plain C and libc only: ptlab-helper builds it too. */

#include <sys/types.h>

/* waitpid (@pid, @status, 0), retried when a signal interrupts it.
 * Returns what waitpid () returned (-1 with errno set on failure). */
pid_t ptl_waitpid_retry (pid_t  pid,
                         int   *status);
