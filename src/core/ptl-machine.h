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

/* Online CPUs this process may run on (sched_getaffinity), at least 1. */
guint       ptl_machine_get_n_cpus   (void);

/* Busy and total time of all CPUs since boot, from /proc/stat; steal
 * counts as busy (another guest had the vCPU). In ticks of 1/_SC_CLK_TCK
 * (10 ms), converted to ns. FALSE where /proc/stat is unreadable. */
gboolean    ptl_machine_read_cpu_times (gint64 *busy_ns,
                                        gint64 *total_ns);

/* The path of the small helper executable (children for experiments):
 * $PTLAB_HELPER if set, else ptlab-helper beside the running executable
 * (build tree), else LIBEXECDIR/ptlab-helper. NULL and an error when
 * none is executable. */
char       *ptl_machine_find_helper  (GError **error);

G_END_DECLS
