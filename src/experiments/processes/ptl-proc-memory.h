/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What /proc says about one process's memory, in bytes. */
typedef struct
{
  gint64 rss;         /* resident pages, shared ones counted in full */
  gint64 pss;         /* resident pages, each shared one divided among its sharers */
  gint64 page_tables; /* VmPTE: kernel memory neither figure includes */
} PtlProcMemory;

/* The value of a "Key:   123 kB" line (smaps_rollup, status, meminfo)
 * in bytes, or -1 when @text has no such line. @key is without ':'. */
gint64   ptl_proc_parse_kib_field      (const char     *text,
                                        const char     *key);
/* Rss and Pss from the text of /proc/PID/smaps_rollup; FALSE when one is
 * missing. */
gboolean ptl_proc_parse_smaps_rollup   (const char     *text,
                                        PtlProcMemory  *memory);
/* Reads /proc/@pid/smaps_rollup (Linux 4.14) and VmPTE from its status. */
gboolean ptl_proc_read_memory          (GPid            pid,
                                        PtlProcMemory  *memory,
                                        GError        **error);
/* MemAvailable from /proc/meminfo in bytes, -1 when unknown. */
gint64   ptl_proc_read_mem_available   (void);

/* What limits how many more tasks (processes and threads) may start. */
typedef struct
{
  guint64  nproc_limit;  /* soft RLIMIT_NPROC, G_MAXUINT64 when unlimited */
  gboolean nproc_exempt; /* we are root: the kernel does not enforce it */
  guint64  user_tasks;   /* tasks of our real user now, which the limit counts */
  guint64  threads_max;  /* kernel.threads-max, G_MAXUINT64 when unknown */
  guint64  system_tasks; /* tasks on the whole system now */
} PtlProcTaskLimits;

void     ptl_proc_read_task_limits     (PtlProcTaskLimits       *limits);
/* How many more tasks may start before RLIMIT_NPROC or threads-max is
 * reached, keeping @reserve for the rest of the session; sets @limit_name
 * to "RLIMIT_NPROC" or "kernel.threads-max" (static strings). */
guint64  ptl_proc_task_headroom        (const PtlProcTaskLimits *limits,
                                        guint64                  reserve,
                                        const char             **limit_name);
/* "RLIMIT_NPROC is 512 (your user runs 498 tasks); kernel.threads-max is
 * 192731": the limits a failed creation may have hit, for notes. */
char    *ptl_proc_describe_task_limits (const PtlProcTaskLimits *limits);

G_END_DECLS
