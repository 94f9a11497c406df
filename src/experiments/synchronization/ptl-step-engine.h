/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* "You are the scheduler": two or three tiny threads written as steps,
 * run one step at a time in an order someone chooses. Each thread has one
 * register; variables, locks and condition variables are shared. */

#define PTL_STEP_MAX_THREADS 3
#define PTL_STEP_MAX_VARS    2
#define PTL_STEP_MAX_LOCKS   2
#define PTL_STEP_MAX_CONDS   2

typedef enum
{
  PTL_STEP_LOAD,            /* register = variable[a] */
  PTL_STEP_ADD,             /* register += value */
  PTL_STEP_STORE,           /* variable[a] = register */
  PTL_STEP_LOCK,            /* take lock a; cannot step while another holds it */
  PTL_STEP_UNLOCK,          /* release lock a (the thread holds it) */
  PTL_STEP_WAIT,            /* release lock b, sleep on condition a until signalled,
                             * then take lock b again before going on */
  PTL_STEP_SIGNAL,          /* wake the longest sleeper on condition a, if any */
  PTL_STEP_JUMP_IF_NONZERO, /* to step a when the register is not 0 */
  PTL_STEP_JUMP,            /* to step a */
} PtlStepOp;

typedef struct
{
  PtlStepOp op;
  guint     a;
  guint     b;
  int       value;
} PtlStepInstr;

typedef struct
{
  const char         *id;
  const char         *title;
  guint               n_threads;
  const PtlStepInstr *programs[PTL_STEP_MAX_THREADS];
  guint               lengths[PTL_STEP_MAX_THREADS];
  guint               n_vars;
  const char         *var_names[PTL_STEP_MAX_VARS];
  int                 initial[PTL_STEP_MAX_VARS];
  guint               n_locks;
  /* What a correct run guarantees of variable check_var: its value at the
   * end, and (when has_minimum) that it never goes below minimum. */
  guint               check_var;
  int                 expected_final;
  gboolean            has_minimum;
  int                 minimum;
  /* What to try, for the window (N_()). */
  const char         *goal;
  /* The experiments it steps through by hand ("race"), whose pages offer
   * it; NULL-terminated, NULL for none. */
  const char * const *experiments;
  /* Condition variables: their names in the code ("not_empty") and what
   * a thread asleep on one waits for (N_(): "waiting for an item"). */
  guint               n_conds;
  const char         *cond_names[PTL_STEP_MAX_CONDS];
  const char         *cond_reasons[PTL_STEP_MAX_CONDS];
  /* What each thread plays (N_(): "Producer"), or NULL: "Thread 2". */
  const char         *thread_roles[PTL_STEP_MAX_THREADS];
} PtlStepScenario;

/* Ready scenarios:
 *   counter      two threads each do counter = counter + 1 as load, add,
 *                store, with no lock: an update can be lost
 *   two-locks    two threads take locks A and B in opposite orders: they
 *                can deadlock
 *   condvar-if   a producer adds two items, two consumers each take one,
 *                waiting on a condition variable under `if (items == 0)`:
 *                a woken consumer can find the item already taken
 *   condvar-while  the same with `while`: correct in every order */
const char * const    *ptl_step_list_scenarios  (void);
const PtlStepScenario *ptl_step_find_scenario   (const char *id);
/* The first scenario that steps through experiment @id, or NULL. */
const PtlStepScenario *ptl_step_find_scenario_for_experiment (const char *id);
/* "A", "B". */
const char            *ptl_step_lock_name       (guint       lock);
/* Who @thread is, inside sentences about it (translated): "Consumer 1
 * (thread 2)" when the scenario gives it a role, else "thread 2". */
char                  *ptl_step_dup_thread_name (const PtlStepScenario *scenario,
                                                 guint                  thread);
/* Step @index of @thread as a line of code: "r = counter", "lock (A)",
 * "if (r != 0) goto 5" (steps count from 1). */
char                  *ptl_step_describe_instr  (const PtlStepScenario *scenario,
                                                 guint                  thread,
                                                 guint                  index);

typedef enum
{
  PTL_STEP_RUNNING,      /* some thread can still step */
  PTL_STEP_CORRECT,      /* every thread finished and the checks hold */
  PTL_STEP_LOST_UPDATE,  /* every thread finished, the final value is wrong */
  PTL_STEP_INVARIANT,    /* the checked variable went below its minimum */
  PTL_STEP_DEADLOCK,     /* no thread can step, some have not finished */
} PtlStepVerdict;

typedef struct _PtlStepEngine PtlStepEngine;

PtlStepEngine   *ptl_step_engine_new          (const PtlStepScenario *scenario);
PtlStepEngine   *ptl_step_engine_copy         (const PtlStepEngine   *self);
void             ptl_step_engine_free         (PtlStepEngine         *self);
/* Whether @thread could take its next step now. */
gboolean         ptl_step_engine_can_step     (const PtlStepEngine   *self,
                                               guint                  thread);
/* Takes @thread's next step; PTL_ERROR_INVALID_PARAMETER saying why when
 * it cannot (finished, blocked on a lock, asleep on a condition), or when
 * the run is over. */
gboolean         ptl_step_engine_step         (PtlStepEngine         *self,
                                               guint                  thread,
                                               GError               **error);
/* Takes the last step back; FALSE when none was taken. */
gboolean         ptl_step_engine_undo         (PtlStepEngine         *self);
const PtlStepScenario *ptl_step_engine_get_scenario (const PtlStepEngine *self);
PtlStepVerdict   ptl_step_engine_get_verdict  (const PtlStepEngine   *self);
/* What the verdict means here, for people (translated): which variable
 * is wrong and by how much, or who holds and waits for what; NULL while
 * running. */
char            *ptl_step_engine_describe_verdict (const PtlStepEngine *self);
/* NULL when @thread can step, else why not (translated). */
char            *ptl_step_engine_dup_blocked_reason (const PtlStepEngine *self,
                                                     guint                thread);
int              ptl_step_engine_get_var      (const PtlStepEngine   *self,
                                               guint                  var);
int              ptl_step_engine_get_register (const PtlStepEngine   *self,
                                               guint                  thread);
guint            ptl_step_engine_get_pc       (const PtlStepEngine   *self,
                                               guint                  thread);
/* The thread holding @lock, or -1. */
int              ptl_step_engine_get_owner    (const PtlStepEngine   *self,
                                               guint                  lock);
/* The threads asleep on condition @cond, the one a signal wakes first
 * first; @n_sleepers is set to how many. */
const guint     *ptl_step_engine_get_sleepers (const PtlStepEngine   *self,
                                               guint                  cond,
                                               guint                 *n_sleepers);
/* The threads that cannot go on until @lock is released: those whose
 * next step takes it and those woken that must take it back. Fills
 * @threads (room for PTL_STEP_MAX_THREADS) in thread order; returns how
 * many. */
guint            ptl_step_engine_get_lock_waiters (const PtlStepEngine *self,
                                                   guint                lock,
                                                   guint               *threads);
/* The shared panel's line for condition @cond or @lock (translated):
 * "not_empty: Consumer 1 (thread 2) sleeps, waiting for an item",
 * "Lock A: held by Producer (thread 1); Consumer 2 (thread 3) waits to
 * take it". */
char            *ptl_step_engine_describe_condition (const PtlStepEngine *self,
                                                     guint                cond);
char            *ptl_step_engine_describe_lock (const PtlStepEngine   *self,
                                               guint                  lock);
/* The threads' steps so far, in order. */
const guint     *ptl_step_engine_get_history  (const PtlStepEngine   *self,
                                               guint                 *n_steps);

/* The hint: the first schedule, in a depth-first search that tries lower
 * thread numbers first, that ends in anything but PTL_STEP_CORRECT (a
 * lost update, a broken invariant or a deadlock), or NULL when every
 * interleaving is correct. An array of guint thread indices. */
GArray          *ptl_step_find_breaking_schedule (const PtlStepScenario *scenario);
/* The same search from where @self is: the steps still to take, or NULL
 * when every way on from here is correct (or the run is over). */
GArray          *ptl_step_engine_find_breaking_continuation (const PtlStepEngine *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlStepEngine, ptl_step_engine_free)

G_END_DECLS
