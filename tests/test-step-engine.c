/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-step-engine"

#include "config.h"

#include <string.h>

#include "ptl-step-engine.h"

/* The step engine's ready scenarios: a good schedule of each ends
 * correct, the hint finds one that breaks it (and replaying it breaks it
 * again), a deadlock is detected, and the fixed condition-variable
 * consumer survives every interleaving. */

static PtlStepEngine *
replay (const char  *scenario,
        const guint *schedule,
        guint        n_steps)
{
  PtlStepEngine *engine = ptl_step_engine_new (ptl_step_find_scenario (scenario));

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(GError) error = NULL;

      ptl_step_engine_step (engine, schedule[i], &error);
      g_assert_no_error (error);
    }
  return engine;
}

typedef struct
{
  const char     *scenario;
  guint           good[32];
  guint           n_good;
  int             good_final;
  PtlStepVerdict  hint_verdict; /* PTL_STEP_CORRECT: no hint exists */
  int             hint_value;   /* of the checked variable when it breaks */
} ScenarioCase;

static const ScenarioCase scenario_cases[] = {
  { "counter", { 0, 0, 0, 1, 1, 1 }, 6, 2, PTL_STEP_LOST_UPDATE, 1 },
  { "two-locks", { 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, 14, 2, PTL_STEP_DEADLOCK, 0 },
  /* The producer's two items first, then each consumer takes one. */
  { "condvar-if", { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2 }, 26, 0,
    PTL_STEP_INVARIANT, -1 },
  /* Consumer 1 waits, is woken by the first item, checks again (while)
   * and takes it; consumer 2 finds the second. */
  { "condvar-while", { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2 },
    31, 0, PTL_STEP_CORRECT, 0 },
};

static void
test_scenarios (void)
{
  g_assert_cmpuint (g_strv_length ((char **) ptl_step_list_scenarios ()), ==, G_N_ELEMENTS (scenario_cases));

  for (guint i = 0; i < G_N_ELEMENTS (scenario_cases); i++)
    {
      const ScenarioCase *c = &scenario_cases[i];
      const PtlStepScenario *scenario = ptl_step_find_scenario (c->scenario);
      g_autoptr(PtlStepEngine) good = replay (c->scenario, c->good, c->n_good);
      g_autoptr(GArray) hint = ptl_step_find_breaking_schedule (scenario);

      g_test_message ("%s", c->scenario);
      g_assert_cmpint (ptl_step_engine_get_verdict (good), ==, PTL_STEP_CORRECT);
      g_assert_cmpint (ptl_step_engine_get_var (good, scenario->check_var), ==, c->good_final);

      if (c->hint_verdict == PTL_STEP_CORRECT)
        {
          g_assert_null (hint);
          continue;
        }
      g_assert_nonnull (hint);
      {
        g_autoptr(PtlStepEngine) bad = replay (c->scenario, (const guint *) hint->data, hint->len);
        guint n_steps;
        const guint *history = ptl_step_engine_get_history (bad, &n_steps);

        g_assert_cmpint (ptl_step_engine_get_verdict (bad), ==, c->hint_verdict);
        g_assert_cmpint (ptl_step_engine_get_var (bad, scenario->check_var), ==, c->hint_value);
        g_assert_cmpmem (history, n_steps * sizeof (guint), hint->data, hint->len * sizeof (guint));
      }
    }
}

/* The classic lost update: both load 0 before either stores. */
static void
test_counter_lost_update (void)
{
  static const guint schedule[] = { 0, 1, 0, 0, 1, 1 };
  g_autoptr(PtlStepEngine) engine = replay ("counter", schedule, 3);

  g_assert_cmpint (ptl_step_engine_get_register (engine, 0), ==, 1);
  g_assert_cmpint (ptl_step_engine_get_register (engine, 1), ==, 0);
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_RUNNING);
  for (guint i = 3; i < G_N_ELEMENTS (schedule); i++)
    g_assert_true (ptl_step_engine_step (engine, schedule[i], NULL));
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_LOST_UPDATE);
  g_assert_cmpint (ptl_step_engine_get_var (engine, 0), ==, 1);
}

static void
test_deadlock (void)
{
  static const guint schedule[] = { 0, 1 };
  g_autoptr(PtlStepEngine) engine = replay ("two-locks", schedule, G_N_ELEMENTS (schedule));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ptl_step_engine_get_owner (engine, 0), ==, 0);
  g_assert_cmpint (ptl_step_engine_get_owner (engine, 1), ==, 1);
  g_assert_false (ptl_step_engine_can_step (engine, 0));
  g_assert_false (ptl_step_engine_can_step (engine, 1));
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_DEADLOCK);
  g_assert_false (ptl_step_engine_step (engine, 0, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "The run is over");
}

typedef struct
{
  const char *scenario;
  guint       before[12];
  guint       n_before;
  guint       thread;
  const char *message;
} RefusedCase;

static const RefusedCase refused_cases[] = {
  { "two-locks", { 0, 0 }, 2, 1, "Thread 2 cannot step: lock B is held by thread 1" },
  { "counter", { 0, 0, 0 }, 3, 0, "Thread 1 cannot step: it has finished" },
  { "counter", { 0 }, 0, 4, "No thread 5: this scenario has threads 1 to 2" },
  /* Consumer 1 finds no item and waits (two steps: lock, load, test, wait). */
  { "condvar-if", { 1, 1, 1, 1 }, 4, 1, "Thread 2 cannot step: it sleeps on not_empty until signalled" },
  /* The producer signals it while holding the lock: woken, not yet running. */
  { "condvar-if", { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, 9, 1,
    "Thread 2 cannot step: it was woken but lock A, which it must take back, is held by thread 1" },
};

static void
test_refused_steps (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      const RefusedCase *c = &refused_cases[i];
      g_autoptr(PtlStepEngine) engine = replay (c->scenario, c->before, c->n_before);
      g_autoptr(GError) error = NULL;
      guint n_steps;

      g_assert_false (ptl_step_engine_step (engine, c->thread, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_assert_cmpstr (error->message, ==, c->message);
      ptl_step_engine_get_history (engine, &n_steps);
      g_assert_cmpuint (n_steps, ==, c->n_before);
    }
}

/* Undo replays all but the last step: the state is the one before it,
 * including a WAIT taken back to before its first half. */
static void
test_undo (void)
{
  static const guint schedule[] = { 1, 1, 1, 1 };
  g_autoptr(PtlStepEngine) engine = replay ("condvar-if", schedule, G_N_ELEMENTS (schedule));
  g_autoptr(PtlStepEngine) fresh = ptl_step_engine_new (ptl_step_find_scenario ("condvar-if"));
  guint n_steps;

  g_assert_false (ptl_step_engine_can_step (engine, 1));
  g_assert_cmpint (ptl_step_engine_get_owner (engine, 0), ==, -1);
  g_assert_true (ptl_step_engine_undo (engine));
  ptl_step_engine_get_history (engine, &n_steps);
  g_assert_cmpuint (n_steps, ==, 3);
  g_assert_true (ptl_step_engine_can_step (engine, 1));
  g_assert_cmpint (ptl_step_engine_get_owner (engine, 0), ==, 1);
  g_assert_cmpuint (ptl_step_engine_get_pc (engine, 1), ==, 3);

  while (ptl_step_engine_undo (engine))
    ;
  for (guint t = 0; t < 3; t++)
    {
      g_assert_cmpuint (ptl_step_engine_get_pc (engine, t), ==, ptl_step_engine_get_pc (fresh, t));
      g_assert_cmpint (ptl_step_engine_get_register (engine, t), ==, 0);
    }
  g_assert_cmpint (ptl_step_engine_get_owner (engine, 0), ==, -1);
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_RUNNING);
}

/* The hint from where the user is: a deadlock is still reachable after
 * thread 1 takes lock A, and no longer once it holds both. */
static void
test_continuation (void)
{
  static const guint one_lock[] = { 0 };
  static const guint both_locks[] = { 0, 0 };
  g_autoptr(PtlStepEngine) engine = replay ("two-locks", one_lock, 1);
  g_autoptr(PtlStepEngine) later = replay ("two-locks", both_locks, 2);
  g_autoptr(GArray) rest = ptl_step_engine_find_breaking_continuation (engine);
  g_autoptr(GArray) none = ptl_step_engine_find_breaking_continuation (later);

  g_assert_nonnull (rest);
  for (guint i = 0; i < rest->len; i++)
    g_assert_true (ptl_step_engine_step (engine, g_array_index (rest, guint, i), NULL));
  g_assert_cmpint (ptl_step_engine_get_verdict (engine), ==, PTL_STEP_DEADLOCK);
  g_assert_null (ptl_step_engine_find_breaking_continuation (engine));
  g_assert_null (none);
}

typedef struct
{
  const char *scenario;
  guint       thread;
  guint       index;
  const char *text;
} InstrCase;

static const InstrCase instr_cases[] = {
  { "counter", 0, 0, "r = counter" },
  { "counter", 1, 1, "r = r + 1" },
  { "counter", 1, 2, "counter = r" },
  { "two-locks", 1, 0, "lock (B)" },
  { "two-locks", 0, 6, "unlock (A)" },
  { "condvar-if", 0, 4, "signal (not_empty)" },
  { "condvar-if", 1, 2, "if (r != 0) goto 5" },
  { "condvar-if", 2, 3, "wait (not_empty, A)" },
  { "condvar-if", 2, 5, "r = r − 1" },
  { "condvar-while", 1, 4, "goto 2" },
};

static void
test_describe (void)
{
  static const guint lost[] = { 0, 1, 0, 0, 1, 1 };
  static const guint deadlock[] = { 0, 1 };
  g_autoptr(PtlStepEngine) running = ptl_step_engine_new (ptl_step_find_scenario ("counter"));
  g_autoptr(PtlStepEngine) lost_update = replay ("counter", lost, G_N_ELEMENTS (lost));
  g_autoptr(PtlStepEngine) stuck = replay ("two-locks", deadlock, G_N_ELEMENTS (deadlock));
  g_autofree char *lost_text = ptl_step_engine_describe_verdict (lost_update);
  g_autofree char *stuck_text = ptl_step_engine_describe_verdict (stuck);
  g_autofree char *blocked = ptl_step_engine_dup_blocked_reason (stuck, 0);

  for (guint i = 0; i < G_N_ELEMENTS (instr_cases); i++)
    {
      const InstrCase *c = &instr_cases[i];
      g_autofree char *text = ptl_step_describe_instr (ptl_step_find_scenario (c->scenario), c->thread, c->index);

      g_assert_cmpstr (text, ==, c->text);
    }

  g_assert_null (ptl_step_engine_describe_verdict (running));
  g_assert_null (ptl_step_engine_dup_blocked_reason (running, 0));
  g_assert_nonnull (strstr (lost_text, "counter is 1 instead of 2"));
  g_assert_true (g_str_has_prefix (stuck_text, "Deadlock!"));
  g_assert_nonnull (strstr (stuck_text, "Thread 1 waits: lock B is held by thread 2."));
  g_assert_nonnull (strstr (stuck_text, "Thread 2 waits: lock A is held by thread 1."));
  g_assert_cmpstr (blocked, ==, "lock B is held by thread 2");

  g_assert_true (ptl_step_find_scenario_for_experiment ("race") == ptl_step_find_scenario ("counter"));
  g_assert_true (ptl_step_find_scenario_for_experiment ("deadlock") == ptl_step_find_scenario ("two-locks"));
  g_assert_true (ptl_step_find_scenario_for_experiment ("philosophers") == ptl_step_find_scenario ("two-locks"));
  g_assert_true (ptl_step_find_scenario_for_experiment ("producer-consumer") == ptl_step_find_scenario ("condvar-if"));
  g_assert_null (ptl_step_find_scenario_for_experiment ("bankers"));
}

/* The shared panel's view of the waits: who sleeps on the condition, in
 * the order a signal wakes them, and who waits for a lock, whether to
 * take it or, woken, to take it back. */
static void
test_waiters (void)
{
  /* Consumer 1 (thread 2) locks, sees no item and sleeps; consumer 2
   * does the same; the producer locks. */
  static const guint asleep[] = { 1, 1, 1, 1, 2, 2, 2, 2, 0 };
  /* Then it adds an item and signals: consumer 1 is woken but the
   * producer still holds A; consumer 2 sleeps on. */
  static const guint woken[] = { 0, 0, 0, 0 };
  g_autoptr(PtlStepEngine) engine = replay ("condvar-if", asleep, G_N_ELEMENTS (asleep));
  g_autoptr(PtlStepEngine) plain = ptl_step_engine_new (ptl_step_find_scenario ("two-locks"));
  g_autofree char *cond_two = ptl_step_engine_describe_condition (engine, 0);
  g_autofree char *lock_held = ptl_step_engine_describe_lock (engine, 0);
  g_autofree char *cond_one = NULL;
  g_autofree char *lock_woken = NULL;
  g_autofree char *plain_lock = ptl_step_engine_describe_lock (plain, 1);
  g_autofree char *plain_name = ptl_step_dup_thread_name (ptl_step_engine_get_scenario (plain), 1);
  g_autofree char *idle = NULL;
  const guint *sleepers;
  guint waiters[PTL_STEP_MAX_THREADS];
  guint n;

  sleepers = ptl_step_engine_get_sleepers (engine, 0, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (sleepers[0], ==, 1);
  g_assert_cmpuint (sleepers[1], ==, 2);
  g_assert_cmpuint (ptl_step_engine_get_lock_waiters (engine, 0, waiters), ==, 0);
  g_assert_cmpstr (cond_two, ==,
                   "not_empty: Consumer 1 (thread 2), Consumer 2 (thread 3) sleep, waiting for an item; "
                   "a signal wakes the first");
  g_assert_cmpstr (lock_held, ==, "Lock A: held by Producer (thread 1)");

  for (guint i = 0; i < G_N_ELEMENTS (woken); i++)
    g_assert_true (ptl_step_engine_step (engine, woken[i], NULL));
  sleepers = ptl_step_engine_get_sleepers (engine, 0, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (sleepers[0], ==, 2);
  g_assert_cmpuint (ptl_step_engine_get_lock_waiters (engine, 0, waiters), ==, 1);
  g_assert_cmpuint (waiters[0], ==, 1);
  cond_one = ptl_step_engine_describe_condition (engine, 0);
  lock_woken = ptl_step_engine_describe_lock (engine, 0);
  g_assert_cmpstr (cond_one, ==, "not_empty: Consumer 2 (thread 3) sleeps, waiting for an item");
  g_assert_cmpstr (lock_woken, ==,
                   "Lock A: held by Producer (thread 1); Consumer 1 (thread 2) was woken and waits to take it back");

  /* The producer lets go: the woken consumer can go on, nobody waits. */
  g_assert_true (ptl_step_engine_step (engine, 0, NULL));
  g_assert_cmpuint (ptl_step_engine_get_lock_waiters (engine, 0, waiters), ==, 0);
  g_assert_true (ptl_step_engine_can_step (engine, 1));

  /* Threads without a role; a thread about to take a held lock. */
  g_assert_cmpstr (plain_name, ==, "thread 2");
  g_assert_cmpstr (plain_lock, ==, "Lock B: free");
  g_assert_true (ptl_step_engine_step (plain, 1, NULL));
  g_assert_true (ptl_step_engine_step (plain, 0, NULL));
  g_clear_pointer (&plain_lock, g_free);
  plain_lock = ptl_step_engine_describe_lock (plain, 1);
  g_assert_cmpstr (plain_lock, ==, "Lock B: held by thread 2; thread 1 waits to take it");

  /* A scenario's condition nobody sleeps on. */
  g_clear_pointer (&engine, ptl_step_engine_free);
  engine = ptl_step_engine_new (ptl_step_find_scenario ("condvar-while"));
  idle = ptl_step_engine_describe_condition (engine, 0);
  g_assert_cmpstr (idle, ==, "not_empty: nobody sleeps on it");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/step-engine/scenarios", test_scenarios);
  g_test_add_func ("/ptl/step-engine/counter/lost-update", test_counter_lost_update);
  g_test_add_func ("/ptl/step-engine/two-locks/deadlock", test_deadlock);
  g_test_add_func ("/ptl/step-engine/refused", test_refused_steps);
  g_test_add_func ("/ptl/step-engine/undo", test_undo);
  g_test_add_func ("/ptl/step-engine/continuation", test_continuation);
  g_test_add_func ("/ptl/step-engine/describe", test_describe);
  g_test_add_func ("/ptl/step-engine/waiters", test_waiters);

  return g_test_run ();
}
