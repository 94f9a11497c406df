/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sys/resource.h>

#include "ptl-registry.h"
#include "ptl-test-sanitized.h"

G_BEGIN_DECLS

/* Harness shared by the experiment tests. Every helper asserts on what
 * is the test's own fault (an unknown experiment, a refused parameter, a
 * missing column), so a test keeps only the assertions it is about. */


/* Running */

/* A new experiment @id with each NAME, VALUE pair of the NULL-terminated
 * @params (NULL for none) set; asserts each one is accepted. */
PtlExperiment *ptl_test_new_experiment     (const char          *id,
                                            const char * const  *params);
/* Runs @id with @params synchronously (progress to @progress, may be NULL)
 * and logs the summary table and notes; NULL with @error set on failure. */
PtlResult     *ptl_test_run_full           (const char          *id,
                                            const char * const  *params,
                                            PtlProgressFunc      progress,
                                            gpointer             progress_data,
                                            GError             **error);
/* ptl_test_run_full () without progress, asserting that the run succeeds. */
PtlResult     *ptl_test_run                (const char          *id,
                                            const char * const  *params);
/* Runs @experiment on the default main context until its callback, with
 * @cancellable (NULL: a new one); the result, or NULL with @error set. */
PtlResult     *ptl_test_run_async          (PtlExperiment       *experiment,
                                            GCancellable        *cancellable,
                                            GError             **error);

/* Parameters */

/* One parameter as the experiment should declare it; unit "" for none. */
typedef struct
{
  const char *name;
  const char *unit;
  const char *default_text;
} PtlTestParam;

/* Asserts that @id has exactly the @n_expected parameters of @expected,
 * in order, each with a description, and that the NULL-terminated
 * NAME, VALUE pairs of @invalid are each refused with
 * PTL_ERROR_INVALID_PARAMETER. */
void           ptl_test_assert_params      (const char          *id,
                                            const PtlTestParam  *expected,
                                            guint                n_expected,
                                            const char * const  *invalid);
/* Asserts that ptl_experiment_validate () accepts @id with @params under
 * a user limit of @n_tasks threads and processes, and refuses it under
 * @n_tasks - 1; the limit is restored afterwards. */
void           ptl_test_assert_count_tasks (const char          *id,
                                            const char * const  *params,
                                            guint                n_tasks);

/* Reading results */

/* The number in @column of the summary row whose first cell is @row;
 * asserts that both exist. */
double         ptl_test_cell               (PtlResult           *result,
                                            const char          *row,
                                            const char          *column);
/* The text in @column of the summary row whose first cell is @row. */
const char    *ptl_test_text_cell          (PtlResult           *result,
                                            const char          *row,
                                            const char          *column);
/* Total length of the timeline @chart's slices in @lane with @key. */
double         ptl_test_lane_time          (PtlChart            *chart,
                                            guint                lane,
                                            guint                key);

/* Cancelling */

/* Runs @experiment with a cancellable cancelled beforehand and asserts it
 * came back with G_IO_ERROR_CANCELLED and no result. The cancellable is
 * gone when this returns (it may hold a descriptor a leak count sees). */
void           ptl_test_assert_cancel_before_start (PtlExperiment *experiment);

/* Runs @experiment on the default main context, cancels it @delay_ms after
 * the first progress message that starts with @prefix, and asserts that it
 * came back with G_IO_ERROR_CANCELLED, no result, and a callback less than
 * @max_latency_ms after the cancel. */
void           ptl_test_assert_cancel_at   (PtlExperiment       *experiment,
                                            const char          *prefix,
                                            guint                delay_ms,
                                            guint                max_latency_ms);

/* Nothing left behind */

/* What a run may leave in this process, counted before it. */
typedef struct
{
  guint threads; /* entries of /proc/self/task */
  guint fds;     /* entries of /proc/self/fd */
} PtlTestLeaks;

typedef gboolean (*PtlTestCondition) (gpointer user_data);
typedef void     (*PtlTestProcessFunc) (const char *pid,
                                        const char *text,
                                        gpointer    user_data);

/* Calls @func for every process in /proc with the text of its @file
 * ("stat", "status"); processes that end meanwhile are skipped. */
void           ptl_test_foreach_process    (const char          *file,
                                            PtlTestProcessFunc   func,
                                            gpointer             user_data);
/* The state letter and parent pid in the text of /proc/<pid>/stat. */
gboolean       ptl_test_parse_stat         (const char          *stat,
                                            char                *state,
                                            int                 *ppid);
/* Entries of the folder @path (asserts it opens). */
guint          ptl_test_count_entries      (const char          *path);
/* Processes whose parent is this one, zombies included, from /proc. */
guint          ptl_test_count_children     (void);
/* Runs the default main context and checks @condition every 10 ms until
 * it holds or @timeout_ms have passed; returns whether it held. */
gboolean       ptl_test_wait_until         (PtlTestCondition     condition,
                                            gpointer             user_data,
                                            guint                timeout_ms);
/* This process's threads and descriptors now. */
PtlTestLeaks   ptl_test_leaks_snapshot     (void);
/* The snapshot after a complete run of @id with @warm_params on the
 * default main context, so what GLib keeps for the whole process (GTask's
 * workers, the context's wakeup descriptor) is already counted. */
PtlTestLeaks   ptl_test_leaks_snapshot_after_run (const char          *id,
                                                  const char * const  *warm_params);
/* Waits up to @settle_ms for threads and descriptors to come back to
 * @before (pool threads exit just after their pool is freed), then asserts
 * they did and that no child process is left: none in /proc, none for
 * waitpid (). */
void           ptl_test_leaks_assert_none  (const PtlTestLeaks  *before,
                                            guint                settle_ms);

/* Limits, in a g_test_trap_subprocess () child */

/* Runs @experiment and prints "error: …" for its PTL_ERROR_LIMIT or
 * "note: …" per note, for the parent to match; NULL after the error. */
PtlResult     *ptl_test_run_and_report     (PtlExperiment       *experiment);
/* Runs @id with @warm_params (so GLib's own threads exist), becomes a
 * user of its own when root (root ignores the limit; that user runs its
 * own copy of the helper, which a private clone keeps out of its reach),
 * lowers RLIMIT_NPROC to leave room for @room more tasks, then runs
 * @params with ptl_test_run_and_report (). */
PtlResult     *ptl_test_run_with_task_room (const char          *id,
                                            const char * const  *warm_params,
                                            const char * const  *params,
                                            guint                room);

/* In a fresh g_test_trap_subprocess () child (no run before it): sets
 * @resource (RLIMIT_NPROC, RLIMIT_NOFILE or RLIMIT_AS) to what is in use
 * now plus @room — the user's tasks, this process's descriptors, its
 * address space in bytes — as a user of its own when root for
 * RLIMIT_NPROC, then runs @id with @params through
 * ptl_test_run_and_report (). */
PtlResult     *ptl_test_run_with_limit     (const char          *id,
                                            const char * const  *params,
                                            int                  resource,
                                            rlim_t               room);

G_END_DECLS
