/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Children of the "isolation" and "memory" experiments: ptlab-helper
 * started with its standard input and output on descriptors the lab
 * chose, and their wait statuses put into words. */

/* Starts @argv[0] (a path) with @stdin_fd as standard input (-1:
 * /dev/null) and @stdout_fd as standard output, with default signal
 * handling and an empty signal mask whatever the calling thread has.
 * Returns 0, or the errno of the failure (EAGAIN, ENOMEM at a limit). */
int      ptl_proc_spawn            (const char * const *argv,
                                    int                 stdin_fd,
                                    int                 stdout_fd,
                                    GPid               *pid);
/* The environment for ptlab-helper: this process's, plus its process id
 * in $PTLAB_PARENT_PID, so a helper that asked to die with its parent
 * (ptl_die_with_spawner ()) can tell that the parent died before it
 * asked. Every spawn of the helper passes it. */
char   **ptl_proc_dup_helper_environ (void);
/* waitpid () that retries on EINTR. */
GPid     ptl_proc_wait             (GPid                pid,
                                    int                *status,
                                    int                 options);
/* SIGKILL every process in @pids (GPid), then reap each; empties @pids.
 * Use only on our own children not yet reaped, so no pid can have been
 * reused. */
void     ptl_proc_kill_and_reap    (GArray             *pids);

/* "SIGSEGV", or "signal 40" when the signal has no name. */
char    *ptl_proc_dup_signal_name  (int                 signo);
/* "EAGAIN", or "error 512". */
char    *ptl_proc_dup_errno_name   (int                 errsv);
/* A wait status as the parent sees it: "exit 0", "exit 3",
 * "signal SIGSEGV", "signal SIGABRT (core dumped)". */
char    *ptl_proc_describe_status  (int                 status);

/* Reads what is ready on @fd and appends each complete line (without
 * its '\n') to @lines, keeping a partial one in @pending. Returns 1 at
 * end of file, 0 when more may come, -1 (errno set) on error. */
int      ptl_proc_read_lines       (int                 fd,
                                    GString            *pending,
                                    GPtrArray          *lines);

G_END_DECLS
