/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Facts that change the numbers, read once per run: cpu_model, cores,
 * kernel, memory_bytes, glib_version, date (ISO 8601 UTC),
 * virtualization ("none", "kvm", ... or "unknown"), governor (or
 * "unknown"), load_average_1m. New object, caller owns it. */
JsonObject *ptl_machine_collect      (void);

/* The translated label of one of those facts ("cpu_model" → "CPU model"),
 * for reports; NULL for a name it does not know (a newer result's). */
const char *ptl_machine_get_fact_label (const char *name);

/* The virtualization a machine shows, from its DMI sys_vendor and
 * product_name (NULL when absent) and the text of /proc/cpuinfo (NULL
 * when unreadable): a hypervisor's own firmware names ("kvm", "qemu",
 * "vmware", "microsoft" for Hyper-V, …), else "vm" for the CPU's
 * hypervisor flag, else "none"; "unknown" without cpuinfo. Pure: the
 * tests feed it recorded samples. */
char       *ptl_machine_classify_virtualization (const char *sys_vendor,
                                                 const char *product_name,
                                                 const char *cpuinfo);
/* Whether @machine (from ptl_machine_collect ()) is a virtual machine,
 * and its virtualization name in @name (may be NULL). */
gboolean    ptl_machine_is_virtual   (JsonObject  *machine,
                                      const char **name);

/* Online CPUs this process may run on (sched_getaffinity), at least 1. */
guint       ptl_machine_get_n_cpus   (void);

/* Busy and total time of all CPUs since boot, from /proc/stat; steal
 * counts as busy (another guest had the vCPU). In ticks of 1/_SC_CLK_TCK
 * (10 ms), converted to ns. FALSE where /proc/stat is unreadable. */
gboolean    ptl_machine_read_cpu_times (gint64 *busy_ns,
                                        gint64 *total_ns);

/* The path of one of ptlab's programs in LIBEXECDIR: $ENV_VAR if set,
 * else NAME beside the running executable (a build tree, or LIBEXECDIR
 * itself for a program there), else LIBEXECDIR/NAME. NULL and an error
 * when none is executable. */
char       *ptl_machine_find_program (const char  *name,
                                      const char  *env_var,
                                      GError     **error);

/* Replaces this process with that program, given @argv (argv[0] kept):
 * returns only on failure, FALSE with an error saying why. */
gboolean    ptl_machine_exec_program (const char  *name,
                                      const char  *env_var,
                                      char       **argv,
                                      GError     **error);

/* The small helper executable (children for experiments), ptlab-helper,
 * found as ptl_machine_find_program () finds it, named by $PTLAB_HELPER. */
char       *ptl_machine_find_helper  (GError **error);

/* Tasks (processes and threads) that belong to user @uid, from
 * /proc/<pid>/status: what RLIMIT_NPROC counts. */
guint       ptl_machine_count_user_tasks (guint   uid);

/* What ptlab needs beyond what this process already holds: room for
 * @tasks more threads under RLIMIT_NPROC (a run's worker,
 * PTL_MACHINE_RUN_TASKS; drawing adds Pango's font threads,
 * PTL_MACHINE_DRAW_TASKS), PTL_MACHINE_MIN_FDS free descriptors (GLib's
 * wake-up, the experiments' pipes) and PTL_MACHINE_MIN_ADDRESS_SPACE under
 * RLIMIT_AS (thread stacks, malloc arenas, fonts: a run and a PNG export
 * failed below about 400 MiB). GLib aborts, and fontconfig crashes, when
 * these run out, so callers check first: FALSE with PTL_ERROR_LIMIT naming
 * the limit that is too low. Experiments that create threads and
 * processes meet RLIMIT_NPROC themselves, with a partial result. */
#define PTL_MACHINE_RUN_TASKS         1
#define PTL_MACHINE_DRAW_TASKS        2
#define PTL_MACHINE_MIN_FDS           16
#define PTL_MACHINE_MIN_ADDRESS_SPACE (G_GUINT64_CONSTANT (512) << 20)

gboolean    ptl_machine_check_limits (guint    tasks,
                                      GError **error);

G_END_DECLS
