/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-step-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-step-engine.h"

/* The step engine behind "you are the scheduler". A thread's state is its
 * program counter, its one register and whether it sleeps on a condition
 * variable or, woken, still has to take its lock back: a WAIT is two
 * steps (release and sleep; wake up holding the lock again), as in
 * pthread_cond_wait. Signals wake the longest sleeper and are lost when
 * nobody sleeps. Everything is plain data, so the hint's search copies
 * the whole engine at each choice. */

/* Every ready scenario ends in far fewer steps; the bound keeps a
 * schedule that loops from growing without end. */
#define MAX_STEPS 128

typedef enum
{
  THREAD_READY,
  THREAD_ASLEEP,
  THREAD_WOKEN,
} ThreadState;

struct _PtlStepEngine
{
  const PtlStepScenario *scenario;
  int                    vars[PTL_STEP_MAX_VARS];
  int                    regs[PTL_STEP_MAX_THREADS];
  guint                  pc[PTL_STEP_MAX_THREADS];
  ThreadState            state[PTL_STEP_MAX_THREADS];
  int                    owner[PTL_STEP_MAX_LOCKS];
  guint                  sleepers[PTL_STEP_MAX_CONDS][PTL_STEP_MAX_THREADS];
  guint                  n_sleepers[PTL_STEP_MAX_CONDS];
  gboolean               invariant_broken;
  /* Last: the search's state key (state_key ()) stops before the steps
   * taken, which say how a state was reached, not what it is. */
  guint                  n_steps;
  guint                  history[MAX_STEPS];
};

/* Scenarios. Consumers of the condition-variable scenarios are
 *   lock m; load items; if (items != 0) goto take; wait (cv, m);
 *   [while: goto load]; take: load items; add −1; store items; unlock m */

#define STEP(op, a, b, value) { PTL_STEP_##op, a, b, value }

static const PtlStepInstr counter_thread[] = {
  STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, 1), STEP (STORE, 0, 0, 0),
};

static const PtlStepInstr lock_ab_thread[] = {
  STEP (LOCK, 0, 0, 0), STEP (LOCK, 1, 0, 0),
  STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, 1), STEP (STORE, 0, 0, 0),
  STEP (UNLOCK, 1, 0, 0), STEP (UNLOCK, 0, 0, 0),
};

static const PtlStepInstr lock_ba_thread[] = {
  STEP (LOCK, 1, 0, 0), STEP (LOCK, 0, 0, 0),
  STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, 1), STEP (STORE, 0, 0, 0),
  STEP (UNLOCK, 0, 0, 0), STEP (UNLOCK, 1, 0, 0),
};

static const PtlStepInstr producer_thread[] = {
  STEP (LOCK, 0, 0, 0), STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, 1), STEP (STORE, 0, 0, 0),
  STEP (SIGNAL, 0, 0, 0), STEP (UNLOCK, 0, 0, 0),
  STEP (LOCK, 0, 0, 0), STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, 1), STEP (STORE, 0, 0, 0),
  STEP (SIGNAL, 0, 0, 0), STEP (UNLOCK, 0, 0, 0),
};

static const PtlStepInstr consumer_if_thread[] = {
  STEP (LOCK, 0, 0, 0), STEP (LOAD, 0, 0, 0), STEP (JUMP_IF_NONZERO, 4, 0, 0), STEP (WAIT, 0, 0, 0),
  STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, -1), STEP (STORE, 0, 0, 0), STEP (UNLOCK, 0, 0, 0),
};

static const PtlStepInstr consumer_while_thread[] = {
  STEP (LOCK, 0, 0, 0), STEP (LOAD, 0, 0, 0), STEP (JUMP_IF_NONZERO, 5, 0, 0), STEP (WAIT, 0, 0, 0),
  STEP (JUMP, 1, 0, 0),
  STEP (LOAD, 0, 0, 0), STEP (ADD, 0, 0, -1), STEP (STORE, 0, 0, 0), STEP (UNLOCK, 0, 0, 0),
};

/* Ids of the experiments each scenario is a hand-stepped miniature of. */
static const char * const race_experiments[] = { "race", NULL };
static const char * const deadlock_experiments[] = { "deadlock", "philosophers", NULL };
static const char * const condvar_experiments[] = { "producer-consumer", NULL };

/* The condition-variable scenarios' one condition and cast. */
#define CONDVAR_CAST \
  1, { "not_empty" }, { N_("waiting for an item") }, \
  { N_("Producer"), N_("Consumer 1"), N_("Consumer 2") }

static const PtlStepScenario scenarios[] = {
  { "counter", N_("Two threads increment a counter without a lock"), 2,
    { counter_thread, counter_thread }, { G_N_ELEMENTS (counter_thread), G_N_ELEMENTS (counter_thread) },
    1, { "counter" }, { 0 }, 0, 0, 2, FALSE, 0,
    N_("Each thread adds 1 to the counter, so it should end at 2. Make one update vanish."), race_experiments },
  { "two-locks", N_("Two threads take locks A and B in opposite orders"), 2,
    { lock_ab_thread, lock_ba_thread }, { G_N_ELEMENTS (lock_ab_thread), G_N_ELEMENTS (lock_ba_thread) },
    1, { "counter" }, { 0 }, 2, 0, 2, FALSE, 0,
    N_("Each thread takes both locks to add 1 to the counter. Bring both threads to a halt."), deadlock_experiments },
  { "condvar-if", N_("Consumers wait on a condition variable under if"), 3,
    { producer_thread, consumer_if_thread, consumer_if_thread },
    { G_N_ELEMENTS (producer_thread), G_N_ELEMENTS (consumer_if_thread), G_N_ELEMENTS (consumer_if_thread) },
    1, { "items" }, { 0 }, 1, 0, 0, TRUE, 0,
    N_("The producer adds two items; each consumer sleeps while there are none, checked with if. "
       "Make a consumer take an item that is not there (items below 0)."), condvar_experiments,
    CONDVAR_CAST },
  { "condvar-while", N_("Consumers wait on a condition variable under while"), 3,
    { producer_thread, consumer_while_thread, consumer_while_thread },
    { G_N_ELEMENTS (producer_thread), G_N_ELEMENTS (consumer_while_thread), G_N_ELEMENTS (consumer_while_thread) },
    1, { "items" }, { 0 }, 1, 0, 0, TRUE, 0,
    N_("The same with while: a woken consumer checks again. Try to break it: no order can."), NULL,
    CONDVAR_CAST },
};

static const char * const scenario_ids[] = { "counter", "two-locks", "condvar-if", "condvar-while", NULL };

static const char * const lock_names[PTL_STEP_MAX_LOCKS] = { "A", "B" };

static const PtlStepInstr *
next_instr (const PtlStepEngine *self,
            guint                thread)
{
  if (self->pc[thread] >= self->scenario->lengths[thread])
    return NULL;
  return &self->scenario->programs[thread][self->pc[thread]];
}

static gboolean
all_finished (const PtlStepEngine *self)
{
  for (guint t = 0; t < self->scenario->n_threads; t++)
    if (next_instr (self, t) != NULL)
      return FALSE;
  return TRUE;
}

/* NULL when @thread can step, else why not (translated). */
static char *
why_blocked (const PtlStepEngine *self,
             guint                thread)
{
  const PtlStepInstr *instr = next_instr (self, thread);

  if (instr == NULL)
    return g_strdup (_("it has finished"));
  if (self->state[thread] == THREAD_ASLEEP)
    /* TRANSLATORS: %s is a condition variable, "not_empty" */
    return g_strdup_printf (_("it sleeps on %s until signalled"), self->scenario->cond_names[instr->a]);
  if (self->state[thread] == THREAD_WOKEN && self->owner[instr->b] >= 0)
    return g_strdup_printf (_("it was woken but lock %s, which it must take back, is held by thread %d"),
                            lock_names[instr->b], self->owner[instr->b] + 1);
  if (self->state[thread] == THREAD_READY && instr->op == PTL_STEP_LOCK && self->owner[instr->a] >= 0)
    return g_strdup_printf (_("lock %s is held by thread %d"), lock_names[instr->a], self->owner[instr->a] + 1);
  return NULL;
}

const char * const *
ptl_step_list_scenarios (void)
{
  return scenario_ids;
}

const PtlStepScenario *
ptl_step_find_scenario (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_str_equal (scenarios[i].id, id))
      return &scenarios[i];
  return NULL;
}

const PtlStepScenario *
ptl_step_find_scenario_for_experiment (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (scenarios[i].experiments != NULL && g_strv_contains (scenarios[i].experiments, id))
      return &scenarios[i];
  return NULL;
}

const char *
ptl_step_lock_name (guint lock)
{
  g_return_val_if_fail (lock < PTL_STEP_MAX_LOCKS, NULL);

  return lock_names[lock];
}

char *
ptl_step_dup_thread_name (const PtlStepScenario *scenario,
                          guint                  thread)
{
  g_return_val_if_fail (scenario != NULL && thread < scenario->n_threads, NULL);

  if (scenario->thread_roles[thread] == NULL)
    /* TRANSLATORS: inside a sentence, "held by thread 2" */
    return g_strdup_printf (_("thread %u"), thread + 1);
  /* TRANSLATORS: a thread's role and number, "Consumer 1 (thread 2)" */
  return g_strdup_printf (_("%s (thread %u)"), _(scenario->thread_roles[thread]), thread + 1);
}

char *
ptl_step_describe_instr (const PtlStepScenario *scenario,
                         guint                  thread,
                         guint                  index)
{
  const PtlStepInstr *instr;

  g_return_val_if_fail (scenario != NULL && thread < scenario->n_threads, NULL);
  g_return_val_if_fail (index < scenario->lengths[thread], NULL);

  instr = &scenario->programs[thread][index];
  switch (instr->op)
    {
    case PTL_STEP_LOAD:
      return g_strdup_printf ("r = %s", scenario->var_names[instr->a]);
    case PTL_STEP_ADD:
      return g_strdup_printf ("r = r %s %d", instr->value < 0 ? "−" : "+", ABS (instr->value));
    case PTL_STEP_STORE:
      return g_strdup_printf ("%s = r", scenario->var_names[instr->a]);
    case PTL_STEP_LOCK:
      return g_strdup_printf ("lock (%s)", lock_names[instr->a]);
    case PTL_STEP_UNLOCK:
      return g_strdup_printf ("unlock (%s)", lock_names[instr->a]);
    case PTL_STEP_WAIT:
      return g_strdup_printf ("wait (%s, %s)", scenario->cond_names[instr->a], lock_names[instr->b]);
    case PTL_STEP_SIGNAL:
      return g_strdup_printf ("signal (%s)", scenario->cond_names[instr->a]);
    case PTL_STEP_JUMP_IF_NONZERO:
      return g_strdup_printf ("if (r != 0) goto %u", instr->a + 1);
    case PTL_STEP_JUMP:
      return g_strdup_printf ("goto %u", instr->a + 1);
    default:
      g_assert_not_reached ();
    }
}

static void
engine_reset (PtlStepEngine         *self,
              const PtlStepScenario *scenario)
{
  memset (self, 0, sizeof *self);
  self->scenario = scenario;
  memcpy (self->vars, scenario->initial, sizeof self->vars);
  for (guint l = 0; l < PTL_STEP_MAX_LOCKS; l++)
    self->owner[l] = -1;
}

PtlStepEngine *
ptl_step_engine_new (const PtlStepScenario *scenario)
{
  PtlStepEngine *self;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (scenario->n_threads >= 1 && scenario->n_threads <= PTL_STEP_MAX_THREADS, NULL);

  self = g_new0 (PtlStepEngine, 1);
  engine_reset (self, scenario);
  return self;
}

/* Replays every step but the last from the start: the state is small
 * and a WAIT's two halves make stepping backwards error-prone. */
gboolean
ptl_step_engine_undo (PtlStepEngine *self)
{
  guint history[MAX_STEPS];
  guint n_steps;

  g_return_val_if_fail (self != NULL, FALSE);

  n_steps = self->n_steps;
  if (n_steps == 0)
    return FALSE;
  memcpy (history, self->history, n_steps * sizeof (guint));
  engine_reset (self, self->scenario);
  for (guint i = 0; i + 1 < n_steps; i++)
    {
      gboolean stepped = ptl_step_engine_step (self, history[i], NULL);

      g_assert (stepped);
    }
  return TRUE;
}

const PtlStepScenario *
ptl_step_engine_get_scenario (const PtlStepEngine *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->scenario;
}

char *
ptl_step_engine_dup_blocked_reason (const PtlStepEngine *self,
                                    guint                thread)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (thread < self->scenario->n_threads, NULL);

  return why_blocked (self, thread);
}

char *
ptl_step_engine_describe_verdict (const PtlStepEngine *self)
{
  const PtlStepScenario *scenario;
  const char *var;
  GString *text;

  g_return_val_if_fail (self != NULL, NULL);

  scenario = self->scenario;
  var = scenario->var_names[scenario->check_var];
  switch (ptl_step_engine_get_verdict (self))
    {
    case PTL_STEP_RUNNING:
      return NULL;
    case PTL_STEP_CORRECT:
      return g_strdup_printf (_("Every thread finished and %s is %d, as it should be."),
                              var, self->vars[scenario->check_var]);
    case PTL_STEP_LOST_UPDATE:
      return g_strdup_printf (_("Lost update! Every thread finished, but %s is %d instead of %d: "
                                "a thread stored a value computed from an old one, over another's update."),
                              var, self->vars[scenario->check_var], scenario->expected_final);
    case PTL_STEP_INVARIANT:
      return g_strdup_printf (_("Broken invariant! %s fell to %d, below %d: a woken thread acted on a check "
                                "that was no longer true."),
                              var, self->vars[scenario->check_var], scenario->minimum);
    case PTL_STEP_DEADLOCK:
      text = g_string_new (_("Deadlock! No thread can take another step."));
      for (guint t = 0; t < scenario->n_threads; t++)
        {
          g_autofree char *why = NULL;

          if (next_instr (self, t) == NULL)
            continue;
          why = why_blocked (self, t);
          g_string_append_c (text, ' ');
          /* TRANSLATORS: "Thread 1 waits: lock B is held by thread 2." */
          g_string_append_printf (text, _("Thread %u waits: %s."), t + 1, why);
        }
      return g_string_free (text, FALSE);
    default:
      g_assert_not_reached ();
    }
}

PtlStepEngine *
ptl_step_engine_copy (const PtlStepEngine *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
ptl_step_engine_free (PtlStepEngine *self)
{
  g_free (self);
}

gboolean
ptl_step_engine_can_step (const PtlStepEngine *self,
                          guint                thread)
{
  g_autofree char *why = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (thread < self->scenario->n_threads, FALSE);

  if (self->invariant_broken || self->n_steps == MAX_STEPS)
    return FALSE;
  why = why_blocked (self, thread);
  return why == NULL;
}

gboolean
ptl_step_engine_step (PtlStepEngine  *self,
                      guint           thread,
                      GError        **error)
{
  const PtlStepScenario *scenario;
  const PtlStepInstr *instr;
  g_autofree char *why = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  scenario = self->scenario;
  if (thread >= scenario->n_threads)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("No thread %u: this scenario has threads 1 to %u"), thread + 1, scenario->n_threads);
      return FALSE;
    }
  if (ptl_step_engine_get_verdict (self) != PTL_STEP_RUNNING)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER, _("The run is over"));
      return FALSE;
    }
  if (self->n_steps == MAX_STEPS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER, _("A run takes at most %d steps"), MAX_STEPS);
      return FALSE;
    }
  why = why_blocked (self, thread);
  if (why != NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER, _("Thread %u cannot step: %s"), thread + 1, why);
      return FALSE;
    }

  instr = next_instr (self, thread);
  self->history[self->n_steps++] = thread;
  self->pc[thread]++;
  switch (instr->op)
    {
    case PTL_STEP_LOAD:
      self->regs[thread] = self->vars[instr->a];
      break;
    case PTL_STEP_ADD:
      self->regs[thread] += instr->value;
      break;
    case PTL_STEP_STORE:
      self->vars[instr->a] = self->regs[thread];
      if (scenario->has_minimum && instr->a == scenario->check_var && self->vars[instr->a] < scenario->minimum)
        self->invariant_broken = TRUE;
      break;
    case PTL_STEP_LOCK:
      self->owner[instr->a] = (int) thread;
      break;
    case PTL_STEP_UNLOCK:
      g_assert (self->owner[instr->a] == (int) thread);
      self->owner[instr->a] = -1;
      break;
    case PTL_STEP_WAIT:
      if (self->state[thread] == THREAD_READY)
        {
          /* First step: let go of the lock and sleep; stay on the WAIT. */
          g_assert (self->owner[instr->b] == (int) thread);
          self->owner[instr->b] = -1;
          self->state[thread] = THREAD_ASLEEP;
          self->sleepers[instr->a][self->n_sleepers[instr->a]++] = thread;
          self->pc[thread]--;
        }
      else
        {
          /* Second step, once signalled: the lock is back. */
          self->owner[instr->b] = (int) thread;
          self->state[thread] = THREAD_READY;
        }
      break;
    case PTL_STEP_SIGNAL:
      if (self->n_sleepers[instr->a] > 0)
        {
          guint woken = self->sleepers[instr->a][0];

          self->state[woken] = THREAD_WOKEN;
          memmove (&self->sleepers[instr->a][0], &self->sleepers[instr->a][1],
                   --self->n_sleepers[instr->a] * sizeof (guint));
        }
      break;
    case PTL_STEP_JUMP_IF_NONZERO:
      if (self->regs[thread] != 0)
        self->pc[thread] = instr->a;
      break;
    case PTL_STEP_JUMP:
      self->pc[thread] = instr->a;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

PtlStepVerdict
ptl_step_engine_get_verdict (const PtlStepEngine *self)
{
  const PtlStepScenario *scenario;

  g_return_val_if_fail (self != NULL, PTL_STEP_RUNNING);

  scenario = self->scenario;
  if (self->invariant_broken)
    return PTL_STEP_INVARIANT;
  if (all_finished (self))
    return self->vars[scenario->check_var] == scenario->expected_final ? PTL_STEP_CORRECT : PTL_STEP_LOST_UPDATE;
  for (guint t = 0; t < scenario->n_threads; t++)
    if (ptl_step_engine_can_step (self, t))
      return PTL_STEP_RUNNING;
  return PTL_STEP_DEADLOCK;
}

int
ptl_step_engine_get_var (const PtlStepEngine *self,
                         guint                var)
{
  g_return_val_if_fail (self != NULL && var < self->scenario->n_vars, 0);

  return self->vars[var];
}

int
ptl_step_engine_get_register (const PtlStepEngine *self,
                              guint                thread)
{
  g_return_val_if_fail (self != NULL && thread < self->scenario->n_threads, 0);

  return self->regs[thread];
}

guint
ptl_step_engine_get_pc (const PtlStepEngine *self,
                        guint                thread)
{
  g_return_val_if_fail (self != NULL && thread < self->scenario->n_threads, 0);

  return self->pc[thread];
}

int
ptl_step_engine_get_owner (const PtlStepEngine *self,
                           guint                lock)
{
  g_return_val_if_fail (self != NULL && lock < self->scenario->n_locks, -1);

  return self->owner[lock];
}

const guint *
ptl_step_engine_get_sleepers (const PtlStepEngine *self,
                              guint                cond,
                              guint               *n_sleepers)
{
  g_return_val_if_fail (self != NULL && cond < self->scenario->n_conds, NULL);
  g_return_val_if_fail (n_sleepers != NULL, NULL);

  *n_sleepers = self->n_sleepers[cond];
  return self->sleepers[cond];
}

guint
ptl_step_engine_get_lock_waiters (const PtlStepEngine *self,
                                  guint                lock,
                                  guint               *threads)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL && lock < self->scenario->n_locks, 0);
  g_return_val_if_fail (threads != NULL, 0);

  if (self->owner[lock] < 0)
    return 0;
  for (guint t = 0; t < self->scenario->n_threads; t++)
    {
      const PtlStepInstr *instr = next_instr (self, t);

      if (instr == NULL)
        continue;
      if ((self->state[t] == THREAD_READY && instr->op == PTL_STEP_LOCK && instr->a == lock) ||
          (self->state[t] == THREAD_WOKEN && instr->b == lock))
        threads[n++] = t;
    }
  return n;
}

/* "Consumer 1 (thread 2), Consumer 2 (thread 3)". */
static char *
join_thread_names (const PtlStepScenario *scenario,
                   const guint           *threads,
                   guint                  n_threads)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n_threads; i++)
    {
      g_autofree char *name = ptl_step_dup_thread_name (scenario, threads[i]);

      if (i > 0)
        /* TRANSLATORS: between the names in a list of threads */
        g_string_append (text, _(", "));
      g_string_append (text, name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
ptl_step_engine_describe_condition (const PtlStepEngine *self,
                                    guint                cond)
{
  const PtlStepScenario *scenario;
  g_autofree char *names = NULL;
  guint n;

  g_return_val_if_fail (self != NULL && cond < self->scenario->n_conds, NULL);

  scenario = self->scenario;
  n = self->n_sleepers[cond];
  if (n == 0)
    /* TRANSLATORS: %s is a condition variable, "not_empty" */
    return g_strdup_printf (_("%s: nobody sleeps on it"), scenario->cond_names[cond]);
  names = join_thread_names (scenario, self->sleepers[cond], n);
  if (n == 1)
    /* TRANSLATORS: "not_empty: Consumer 1 (thread 2) sleeps, waiting for an item" */
    return g_strdup_printf (_("%s: %s sleeps, %s"),
                            scenario->cond_names[cond], names, _(scenario->cond_reasons[cond]));
  /* Not a plural form: a different sentence, which says whom a signal
   * wakes. */
  /* TRANSLATORS: "not_empty: Consumer 1 (thread 2), Consumer 2 (thread 3)
   * sleep, waiting for an item; a signal wakes the first" */
  return g_strdup_printf (_("%s: %s sleep, %s; a signal wakes the first"),
                          scenario->cond_names[cond], names, _(scenario->cond_reasons[cond]));
}

char *
ptl_step_engine_describe_lock (const PtlStepEngine *self,
                               guint                lock)
{
  const PtlStepScenario *scenario;
  g_autofree char *owner = NULL;
  GString *text;
  guint waiters[PTL_STEP_MAX_THREADS];
  guint n;

  g_return_val_if_fail (self != NULL && lock < self->scenario->n_locks, NULL);

  scenario = self->scenario;
  if (self->owner[lock] < 0)
    /* TRANSLATORS: %s is a lock's name, A or B */
    return g_strdup_printf (_("Lock %s: free"), lock_names[lock]);

  owner = ptl_step_dup_thread_name (scenario, (guint) self->owner[lock]);
  text = g_string_new (NULL);
  /* TRANSLATORS: "Lock A: held by Producer (thread 1)" */
  g_string_printf (text, _("Lock %s: held by %s"), lock_names[lock], owner);
  n = ptl_step_engine_get_lock_waiters (self, lock, waiters);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = ptl_step_dup_thread_name (scenario, waiters[i]);

      g_string_append (text, "; ");
      if (self->state[waiters[i]] == THREAD_WOKEN)
        /* TRANSLATORS: after "Lock A: held by …; ", %s is a thread */
        g_string_append_printf (text, _("%s was woken and waits to take it back"), name);
      else
        /* TRANSLATORS: after "Lock A: held by …; ", %s is a thread */
        g_string_append_printf (text, _("%s waits to take it"), name);
    }
  return g_string_free (text, FALSE);
}

const guint *
ptl_step_engine_get_history (const PtlStepEngine *self,
                             guint               *n_steps)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_steps != NULL)
    *n_steps = self->n_steps;
  return self->history;
}

/* The part of an engine that decides what can happen next. */
static GBytes *
state_key (const PtlStepEngine *engine)
{
  return g_bytes_new (engine, G_STRUCT_OFFSET (PtlStepEngine, n_steps));
}

/* Depth-first, remembering the states already explored: the interleavings
 * of three threads of ten steps number in the billions, their distinct
 * states in the thousands. */
static gboolean
search (const PtlStepEngine  *engine,
        GHashTable           *seen,
        PtlStepEngine       **found)
{
  PtlStepVerdict verdict = ptl_step_engine_get_verdict (engine);
  GBytes *key;

  if (verdict != PTL_STEP_RUNNING)
    {
      if (verdict == PTL_STEP_CORRECT)
        return FALSE;
      *found = ptl_step_engine_copy (engine);
      return TRUE;
    }
  key = state_key (engine);
  if (!g_hash_table_add (seen, key))
    return FALSE;
  for (guint t = 0; t < engine->scenario->n_threads; t++)
    {
      PtlStepEngine next;

      memcpy (&next, engine, sizeof next);
      if (ptl_step_engine_can_step (&next, t) &&
          ptl_step_engine_step (&next, t, NULL) &&
          search (&next, seen, found))
        return TRUE;
    }
  return FALSE;
}

GArray *
ptl_step_engine_find_breaking_continuation (const PtlStepEngine *self)
{
  g_autoptr(PtlStepEngine) found = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GArray *schedule;

  g_return_val_if_fail (self != NULL, NULL);

  if (ptl_step_engine_get_verdict (self) != PTL_STEP_RUNNING)
    return NULL;
  seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  if (!search (self, seen, &found))
    return NULL;
  schedule = g_array_sized_new (FALSE, FALSE, sizeof (guint), found->n_steps - self->n_steps);
  g_array_append_vals (schedule, found->history + self->n_steps, found->n_steps - self->n_steps);
  return schedule;
}

GArray *
ptl_step_find_breaking_schedule (const PtlStepScenario *scenario)
{
  g_autoptr(PtlStepEngine) start = NULL;

  g_return_val_if_fail (scenario != NULL, NULL);

  start = ptl_step_engine_new (scenario);
  return ptl_step_engine_find_breaking_continuation (start);
}
