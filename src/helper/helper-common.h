/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the subcommands of ptlab-helper share. Plain C and libc only:
 * the helper must stay a small process. */

#include <stdint.h>

/* ptl_die_with_spawner (): if ptlab dies (or the thread that started us
 * exits) a helper must not go on unseen; ptlab reaps it in every normal
 * case. */
#include "ptl-parent.h"

/* One subcommand: argv[0] is its name. Returns the exit status. */
typedef int (*HelperMain) (int argc, char **argv);

/* A decimal unsigned integer, nothing else; 0 on failure. */
int  helper_parse_u64     (const char *text,
                           uint64_t   *value);
/* Peak resident set (VmHWM) in bytes; 0 on failure. */
int  helper_read_peak_rss (long long  *bytes);
/* User + system CPU time of this process in nanoseconds. */
long long helper_cpu_ns   (void);
void helper_sleep_ns      (uint64_t    ns);

int  helper_work_main     (int argc, char **argv);
int  helper_create_main   (int argc, char **argv);
int  helper_exit_main     (int argc, char **argv);
int  helper_serve_main    (int argc, char **argv);
int  helper_crash_main    (int argc, char **argv);
int  helper_crash_threads_main (int argc, char **argv);
int  helper_idle_main     (int argc, char **argv);
int  helper_idle_threads_main (int argc, char **argv);
int  helper_idle_fork_main (int argc, char **argv);
int  helper_http_server_main (int argc, char **argv);
int  helper_http_load_main (int argc, char **argv);
