/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* Times are whole "time units" (the experiment may show 1 unit as 1 ms).
 * Each arrival and each burst is at most PTL_SCHED_TIME_MAX, so sums over
 * any workload that fits in memory stay far from gint64 overflow. */
#define PTL_SCHED_TIME_MAX      G_GINT64_CONSTANT (1000000000)
/* Lower number = higher priority, as in the common OS textbooks. */
#define PTL_SCHED_PRIORITY_MIN  (-1000)
#define PTL_SCHED_PRIORITY_MAX  1000
/* Most processes a generator makes. */
#define PTL_SCHED_GENERATE_MAX  1000000

#define PTL_TYPE_SCHED_WORKLOAD (ptl_sched_workload_get_type ())
G_DECLARE_FINAL_TYPE (PtlSchedWorkload, ptl_sched_workload, PTL, SCHED_WORKLOAD, GObject)

/* A workload is a list of processes. Each has a name, an arrival time, a
 * priority and an odd number of bursts alternating CPU, I/O, CPU, …,
 * starting and ending with CPU; every burst is at least one unit long. */
PtlSchedWorkload   *ptl_sched_workload_new              (void);
PtlSchedWorkload   *ptl_sched_workload_copy             (PtlSchedWorkload  *self);
/* Returns the new process's index. The values must be valid (see above):
 * loaders check user input and report GErrors before calling this. */
guint               ptl_sched_workload_add_process      (PtlSchedWorkload  *self,
                                                         const char        *name,
                                                         gint64             arrival,
                                                         int                priority,
                                                         const gint64      *bursts,
                                                         guint              n_bursts);
guint               ptl_sched_workload_get_n_processes  (PtlSchedWorkload  *self);
const char         *ptl_sched_workload_get_name         (PtlSchedWorkload  *self,
                                                         guint              index);
gint64              ptl_sched_workload_get_arrival      (PtlSchedWorkload  *self,
                                                         guint              index);
int                 ptl_sched_workload_get_priority     (PtlSchedWorkload  *self,
                                                         guint              index);
/* Borrowed; CPU bursts at even positions, I/O bursts at odd ones. */
const gint64       *ptl_sched_workload_get_bursts       (PtlSchedWorkload  *self,
                                                         guint              index,
                                                         guint             *n_bursts);
/* Bursts of all processes, CPU and I/O. */
gsize               ptl_sched_workload_get_n_bursts     (PtlSchedWorkload  *self);

/* Files.
 *
 * CSV: a header line, then one process per line (RFC 4180 quoting, CRLF or
 * LF, optional UTF-8 BOM; blank lines and lines starting with '#' are
 * skipped). Columns, in any order, names case-insensitive:
 *   name      required, non-empty text
 *   arrival   required, whole units >= 0
 *   burst     one CPU burst, or
 *   bursts    alternating CPU and I/O bursts separated by ';': "5;3;4" is
 *             CPU 5, I/O 3, CPU 4 (an odd count) — exactly one of the two
 *   priority  optional (0 when absent or empty)
 * So the textbook form "name,arrival,burst,priority" loads as it is.
 *
 * JSON: {"processes": [{"name": "P1", "arrival": 0, "priority": 3,
 *                       "bursts": [5, 3, 4]}, …]}
 * with the same rules ("burst": 5 may stand for "bursts": [5]; "priority"
 * may be left out). Other top-level members (a title, a source) are ignored.
 *
 * Malformed input gives PTL_ERROR_INVALID_FILE naming the line and column
 * (CSV) or the JSON path, and what was expected. */
PtlSchedWorkload   *ptl_sched_workload_new_from_csv     (const char        *data,
                                                         gssize             len,
                                                         GError           **error);
PtlSchedWorkload   *ptl_sched_workload_new_from_json    (const char        *data,
                                                         gssize             len,
                                                         GError           **error);
/* By extension (.csv or .json); otherwise JSON if the text starts with '{'. */
PtlSchedWorkload   *ptl_sched_workload_load             (const char        *path,
                                                         GError           **error);
/* The simple CSV form when every process has one burst, else the bursts form. */
char               *ptl_sched_workload_to_csv           (PtlSchedWorkload  *self);
char               *ptl_sched_workload_to_json          (PtlSchedWorkload  *self);
/* Atomic saves; ptl_sched_workload_save picks the format by extension
 * and fails with PTL_ERROR_UNSUPPORTED_FORMAT for any other. */
gboolean            ptl_sched_workload_save_csv         (PtlSchedWorkload  *self,
                                                         const char        *path,
                                                         GError           **error);
gboolean            ptl_sched_workload_save_json        (PtlSchedWorkload  *self,
                                                         const char        *path,
                                                         GError           **error);
gboolean            ptl_sched_workload_save             (PtlSchedWorkload  *self,
                                                         const char        *path,
                                                         GError           **error);

/* Generators, deterministic for a given (kind, n, seed) on every machine:
 *   cpu-bound   long CPU bursts with short I/O between
 *   io-bound    short CPU bursts with long I/O between
 *   mixed       each process CPU- or I/O-bound at random
 *   convoy      one long job at time 0, then short ones right behind it
 *   many-short  single short bursts arriving close together
 * Processes are named P1 … Pn. */
const char * const *ptl_sched_workload_list_kinds       (void);
PtlSchedWorkload   *ptl_sched_workload_generate         (const char        *kind,
                                                         guint              n,
                                                         guint32            seed,
                                                         GError           **error);

G_END_DECLS
