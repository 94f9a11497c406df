/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-philosophers-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-philosophers-experiment.h"
#include "ptl-thread-team.h"

/* "philosophers": N real threads around a table of N instrumented
 * mutexes (the forks), each thinking, getting hungry, taking its two
 * forks by one strategy, eating and putting them down, for a set time.
 * The deadlock watchdog watches the forks; when the naive strategy locks
 * up, it names the cycle, aborts the waits and the run ends on its own
 * with the wait-for graph. Each philosopher stamps its own phases
 * (thinking, hungry, eating) with the recorder's ticks. */

struct _PtlPhilosophersExperiment
{
  PtlExperiment           parent_instance;

  guint                   philosophers;
  PtlPhilosophersStrategy strategy;
  PtlPhilosophersTimes    times;
  double                  think_ms;
  double                  eat_ms;
  double                  pause_ms;
  guint                   duration_ms;
  guint                   watchdog_ms;
  guint                   seed;
};

enum {
  PROP_0,
  PROP_PHILOSOPHERS,
  PROP_STRATEGY,
  PROP_TIMES,
  PROP_THINK_MS,
  PROP_EAT_MS,
  PROP_PAUSE_MS,
  PROP_DURATION_MS,
  PROP_WATCHDOG_MS,
  PROP_SEED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlPhilosophersExperiment, ptl_philosophers_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_PHILOSOPHERS 64

typedef enum
{
  PHASE_THINKING,
  PHASE_HUNGRY,
  PHASE_EATING,
  N_PHASES
} PhaseKind;

static const char * const phase_names[] = {
  N_("Thinking"),
  N_("Hungry"),
  N_("Eating"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (phase_names) == N_PHASES);

static const char * const strategy_labels[] = {
  N_("Naive: left fork, then right"),
  N_("Resource ordering: lower-numbered fork first"),
  N_("Arbitrator: a semaphore admits N − 1"),
  N_("Try-lock with random back-off"),
  N_("Chandy–Misra: clean and dirty forks"),
  NULL,
};

static const char * const strategy_names[] = {
  N_("Naive"),
  N_("Resource ordering"),
  N_("Arbitrator"),
  N_("Try-lock and back-off"),
  N_("Chandy–Misra"),
};

static const char * const times_labels[] = {
  N_("Fixed"),
  N_("Exponential around the mean"),
  NULL,
};

typedef struct
{
  gint64   start; /* ticks */
  gint64   end;
  guint    kind;  /* PhaseKind */
} Phase;

/* Chandy–Misra's fork state, guarded by the fork's mutex. */
typedef struct
{
  guint    owner;
  gboolean dirty;
} CmFork;

typedef struct
{
  /* borrowed parameters */
  PtlPhilosophersExperiment *self;
  GCancellable              *cancellable;
  guint                      n;
  gint64                     deadline; /* ptl_clock_now_ns () */
  gint                       stop;

  PtlThreadTrack            *tracks[MAX_PHILOSOPHERS];
  PtlMutex                   forks[MAX_PHILOSOPHERS];
  PtlCond                    fork_conds[MAX_PHILOSOPHERS];
  CmFork                     cm[MAX_PHILOSOPHERS];
  gboolean                   eating[MAX_PHILOSOPHERS]; /* Chandy–Misra: under both forks' mutexes */
  PtlSemaphore               waiter;

  /* per philosopher, written by its own thread */
  GArray                    *phases[MAX_PHILOSOPHERS];
  guint                      meals[MAX_PHILOSOPHERS];
  gint64                     longest_hunger[MAX_PHILOSOPHERS]; /* ticks */
  gint64                     total_hunger[MAX_PHILOSOPHERS];
  guint                      backoffs[MAX_PHILOSOPHERS];
} Table;

/* What one philosopher holds while eating. */
typedef struct
{
  PtlHold first;
  PtlHold second;
  PtlHold seat;
} Hands;

static guint
left_fork (guint p)
{
  return p;
}

static guint
right_fork (const Table *table,
            guint        p)
{
  return (p + 1) % table->n;
}

static gboolean
must_stop (Table          *table,
           PtlThreadTrack *track)
{
  return g_atomic_int_get (&table->stop) || ptl_thread_track_is_aborted (track) ||
         ptl_clock_now_ns () >= table->deadline;
}

static gint64
draw_ns (const Table *table,
         GRand       *rand,
         double       mean_ms)
{
  double ms = mean_ms;

  if (table->self->times == PTL_PHILOSOPHERS_EXPONENTIAL)
    ms = -mean_ms * log (1 - g_rand_double (rand));
  return (gint64) (ms * 1e6);
}

static gboolean
pause_between_forks (Table          *table,
                     PtlThreadTrack *track)
{
  if (table->self->pause_ms <= 0)
    return TRUE;
  return ptl_thread_track_sleep (track, (gint64) (table->self->pause_ms * 1e6), table->cancellable);
}

/* Takes @first, pauses, takes @second; on any failure holds nothing. */
static gboolean
take_two (Table          *table,
          guint           p,
          guint           first,
          guint           second,
          Hands          *hands)
{
  PtlThreadTrack *track = table->tracks[p];

  if (!ptl_mutex_lock (&table->forks[first], track, &hands->first))
    return FALSE;
  if (pause_between_forks (table, track) && ptl_mutex_lock (&table->forks[second], track, &hands->second))
    return TRUE;
  ptl_mutex_unlock (&table->forks[first], track, &hands->first);
  return FALSE;
}

/* Chandy–Misra: wait until @p owns fork @f, taking it from a neighbour
 * who holds it dirty and is not eating (a dirty fork is given up on
 * request; a clean one is kept until its holder has eaten). */
static gboolean
cm_acquire (Table *table,
            guint  p,
            guint  f)
{
  PtlThreadTrack *track = table->tracks[p];
  gboolean ok = TRUE;
  PtlHold hold;

  if (!ptl_mutex_lock (&table->forks[f], track, &hold))
    return FALSE;
  while (ok && table->cm[f].owner != p)
    {
      if (table->cm[f].dirty && !table->eating[table->cm[f].owner])
        {
          table->cm[f].owner = p;
          table->cm[f].dirty = FALSE;
          ptl_cond_broadcast (&table->fork_conds[f]);
        }
      /* Checked under the fork's mutex before every wait, not only after
       * one: a neighbour that left raised stop before its goodbye
       * broadcast (philosopher ()), so a wait that would begin after
       * that broadcast, for a clean fork nobody will hand over, is not
       * begun. The wait itself only ends on a broadcast or an abort. */
      else if (must_stop (table, track))
        ok = FALSE;
      else
        ok = ptl_cond_wait (&table->fork_conds[f], &table->forks[f], track, &hold);
    }
  ptl_mutex_unlock (&table->forks[f], track, &hold);
  return ok;
}

/* Chandy–Misra: owns both forks now? Then starts eating, atomically with
 * the check (both forks' mutexes, taken in order). */
static gboolean
cm_start_eating (Table *table,
                 guint  p,
                 Hands *hands)
{
  PtlThreadTrack *track = table->tracks[p];
  guint a = MIN (left_fork (p), right_fork (table, p)), b = MAX (left_fork (p), right_fork (table, p));
  gboolean both;

  if (!ptl_mutex_lock (&table->forks[a], track, &hands->first))
    return FALSE;
  if (!ptl_mutex_lock (&table->forks[b], track, &hands->second))
    {
      ptl_mutex_unlock (&table->forks[a], track, &hands->first);
      return FALSE;
    }
  both = table->cm[a].owner == p && table->cm[b].owner == p;
  table->eating[p] = both;
  ptl_mutex_unlock (&table->forks[b], track, &hands->second);
  ptl_mutex_unlock (&table->forks[a], track, &hands->first);
  return both;
}

static void
cm_stop_eating (Table *table,
                guint  p)
{
  PtlThreadTrack *track = table->tracks[p];
  guint a = MIN (left_fork (p), right_fork (table, p)), b = MAX (left_fork (p), right_fork (table, p));
  Hands hands;

  /* Taken even after an abort: a free mutex is taken on the fast path,
   * and these two are never held for long. */
  while (!ptl_mutex_lock (&table->forks[a], track, &hands.first))
    ;
  while (!ptl_mutex_lock (&table->forks[b], track, &hands.second))
    ;
  table->eating[p] = FALSE;
  table->cm[a].dirty = table->cm[b].dirty = TRUE;
  ptl_cond_broadcast (&table->fork_conds[a]);
  ptl_cond_broadcast (&table->fork_conds[b]);
  ptl_mutex_unlock (&table->forks[b], track, &hands.second);
  ptl_mutex_unlock (&table->forks[a], track, &hands.first);
}

/* Gets both forks by the strategy; FALSE (holding nothing) when the run
 * stops first. */
static gboolean
pick_up (Table *table,
         guint  p,
         GRand *rand,
         Hands *hands)
{
  PtlThreadTrack *track = table->tracks[p];
  guint left = left_fork (p), right = right_fork (table, p);

  switch (table->self->strategy)
    {
    case PTL_PHILOSOPHERS_NAIVE:
      return take_two (table, p, left, right, hands);
    case PTL_PHILOSOPHERS_ORDERED:
      return take_two (table, p, MIN (left, right), MAX (left, right), hands);
    case PTL_PHILOSOPHERS_ARBITRATOR:
      if (!ptl_semaphore_wait (&table->waiter, track, &hands->seat))
        return FALSE;
      if (take_two (table, p, left, right, hands))
        return TRUE;
      ptl_semaphore_post (&table->waiter, track, &hands->seat);
      return FALSE;
    case PTL_PHILOSOPHERS_TRYLOCK:
      while (!must_stop (table, track))
        {
          gint64 backoff;

          if (!ptl_mutex_lock (&table->forks[left], track, &hands->first))
            return FALSE;
          if (pause_between_forks (table, track) &&
              ptl_mutex_trylock (&table->forks[right], track, &hands->second))
            return TRUE;
          ptl_mutex_unlock (&table->forks[left], track, &hands->first);
          table->backoffs[p]++;
          /* Random, so two neighbours do not retry in step for ever. */
          backoff = (gint64) (g_rand_double (rand) * (2 * table->self->pause_ms + 1) * 1e6);
          if (!ptl_thread_track_sleep (track, backoff, table->cancellable))
            return FALSE;
        }
      return FALSE;
    case PTL_PHILOSOPHERS_CHANDY_MISRA:
      while (!must_stop (table, track))
        {
          if (!cm_acquire (table, p, left) || !pause_between_forks (table, track) ||
              !cm_acquire (table, p, right))
            return FALSE;
          if (cm_start_eating (table, p, hands))
            return TRUE;
        }
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

static void
put_down (Table *table,
          guint  p,
          Hands *hands)
{
  PtlThreadTrack *track = table->tracks[p];
  guint left = left_fork (p), right = right_fork (table, p);
  guint first = table->self->strategy == PTL_PHILOSOPHERS_ORDERED ? MIN (left, right) : left;
  guint second = table->self->strategy == PTL_PHILOSOPHERS_ORDERED ? MAX (left, right) : right;

  if (table->self->strategy == PTL_PHILOSOPHERS_CHANDY_MISRA)
    {
      cm_stop_eating (table, p);
      return;
    }
  ptl_mutex_unlock (&table->forks[second], track, &hands->second);
  ptl_mutex_unlock (&table->forks[first], track, &hands->first);
  if (table->self->strategy == PTL_PHILOSOPHERS_ARBITRATOR)
    ptl_semaphore_post (&table->waiter, track, &hands->seat);
}

static void
add_phase (Table     *table,
           guint      p,
           PhaseKind  kind,
           gint64     start,
           gint64     end)
{
  Phase phase = { start, end, kind };

  g_array_append_val (table->phases[p], phase);
}

static void
philosopher (guint    p,
             gpointer data)
{
  Table *table = data;
  PtlThreadTrack *track = table->tracks[p];
  g_autoptr(GRand) rand = g_rand_new_with_seed (table->self->seed * 7919u + p);
  gint64 start;

  ptl_thread_track_begin (track);
  start = ptl_thread_ticks ();
  while (!must_stop (table, track))
    {
      Hands hands;
      gint64 now;
      gboolean fed;

      /* Thinking may be cut short by a cancel; the phase still ends. */
      ptl_clock_sleep_ns (draw_ns (table, rand, table->self->think_ms), table->cancellable);
      now = ptl_thread_ticks ();
      add_phase (table, p, PHASE_THINKING, start, now);
      start = now;
      if (must_stop (table, track))
        break;

      fed = pick_up (table, p, rand, &hands);
      now = ptl_thread_ticks ();
      add_phase (table, p, PHASE_HUNGRY, start, now);
      table->longest_hunger[p] = MAX (table->longest_hunger[p], now - start);
      table->total_hunger[p] += now - start;
      start = now;
      if (!fed)
        break;

      ptl_clock_sleep_ns (draw_ns (table, rand, table->self->eat_ms), table->cancellable);
      put_down (table, p, &hands);
      now = ptl_thread_ticks ();
      add_phase (table, p, PHASE_EATING, start, now);
      table->meals[p]++;
      start = now;
    }
  /* A Chandy–Misra neighbour may be waiting for a fork of ours, which we
   * keep: the run is over for everyone once one of us leaves (we leave
   * only when it ends, is cancelled or aborted). Raised before the
   * goodbye broadcasts, so a neighbour not yet waiting sees it under the
   * fork's mutex (cm_acquire) instead of waiting for a wake-up already
   * gone; the deadline alone would not do, as a neighbour may have read
   * its clock just before it. */
  if (table->self->strategy == PTL_PHILOSOPHERS_CHANDY_MISRA)
    {
      g_atomic_int_set (&table->stop, 1);
      for (guint i = 0; i < 2; i++)
        {
          guint f = i == 0 ? left_fork (p) : right_fork (table, p);
          PtlHold hold;

          while (!ptl_mutex_lock (&table->forks[f], track, &hold))
            ;
          ptl_cond_broadcast (&table->fork_conds[f]);
          ptl_mutex_unlock (&table->forks[f], track, &hold);
        }
    }
  ptl_thread_track_finish (track);
}

static double
ticks_to_s (PtlThreadRecorder *recorder,
            gint64             ticks)
{
  return ptl_thread_recorder_ticks_to_ns (recorder, ticks) / 1e9;
}

static void
add_charts (PtlPhilosophersExperiment *self,
            Table                     *table,
            PtlThreadRecorder         *recorder,
            PtlDeadlockWatchdog       *watchdog,
            PtlResult                 *result)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *meals = g_new (double, table->n);
  g_autofree char *meals_title = NULL;
  PtlChart *timeline, *meals_chart, *hunger_chart;
  PtlSeries *meals_series, *longest_series, *mean_series;
  guint keys[N_PHASES];
  double jain;

  timeline = ptl_result_add_chart (result, "timeline", PTL_CHART_TIMELINE,
                                   _("What each philosopher did: thinking, hungry, eating"));
  ptl_chart_set_x_axis (timeline, _("Time"), "s", FALSE);
  for (guint k = 0; k < N_PHASES; k++)
    keys[k] = ptl_chart_add_key (timeline, _(phase_names[k]), k == PHASE_THINKING);
  for (guint p = 0; p < table->n; p++)
    {
      g_ptr_array_add (names, g_strdup (table->tracks[p]->name));
      ptl_chart_add_lane (timeline, table->tracks[p]->name);
      for (guint i = 0; i < table->phases[p]->len; i++)
        {
          const Phase *phase = &g_array_index (table->phases[p], Phase, i);

          ptl_chart_add_slice (timeline, p, keys[phase->kind], ticks_to_s (recorder, phase->start),
                               ticks_to_s (recorder, phase->end));
        }
      meals[p] = table->meals[p];
    }
  g_ptr_array_add (names, NULL);
  if (ptl_deadlock_watchdog_found (watchdog))
    {
      ptl_chart_add_reference (timeline, PTL_REFERENCE_VERTICAL,
                               ptl_deadlock_watchdog_get_formed_ns (watchdog) / 1e9, _("Deadlock"));
      ptl_chart_add_reference (timeline, PTL_REFERENCE_VERTICAL,
                               ptl_deadlock_watchdog_get_detected_ns (watchdog) / 1e9, _("Detected"));
    }

  jain = ptl_jain_index (meals, table->n);
  meals_title = g_strdup_printf (_("Meals per philosopher (Jain's fairness index %.3f)"), jain);
  meals_chart = ptl_result_add_chart (result, "meals", PTL_CHART_BAR, meals_title);
  ptl_chart_set_categories (meals_chart, (const char * const *) names->pdata);
  ptl_chart_set_y_axis (meals_chart, _("Meals"), NULL, FALSE);
  meals_series = ptl_chart_add_series (meals_chart, _("Meals"));

  hunger_chart = ptl_result_add_chart (result, "hunger", PTL_CHART_BAR, _("How long each philosopher went hungry"));
  ptl_chart_set_categories (hunger_chart, (const char * const *) names->pdata);
  ptl_chart_set_y_axis (hunger_chart, _("Hunger"), "s", FALSE);
  longest_series = ptl_chart_add_series (hunger_chart, _("Longest hunger"));
  mean_series = ptl_chart_add_series (hunger_chart, _("Mean hunger"));
  for (guint p = 0; p < table->n; p++)
    {
      guint n_hungry = table->meals[p] + (table->phases[p]->len > 0 &&
                                          g_array_index (table->phases[p], Phase, table->phases[p]->len - 1).kind == PHASE_HUNGRY);

      ptl_series_add_point (meals_series, p, table->meals[p]);
      ptl_series_add_point (longest_series, p, table->longest_hunger[p] / ptl_thread_ticks_per_ns () / 1e9);
      ptl_series_add_point (mean_series, p, n_hungry > 0 ? table->total_hunger[p] / ptl_thread_ticks_per_ns () / 1e9 / n_hungry : 0);
    }

  ptl_deadlock_watchdog_add_chart (watchdog, result, "wait-for", _("Wait-for graph of the deadlock"));
}

static void
add_summary (PtlPhilosophersExperiment *self,
             Table                     *table,
             PtlDeadlockWatchdog       *watchdog,
             PtlResult                 *result)
{
  PtlTable *summary = ptl_result_get_summary (result);
  g_autofree double *meals = g_new (double, table->n);
  gboolean found = ptl_deadlock_watchdog_found (watchdog);
  double longest = 0, total = 0, backoffs = 0;
  double cpu_share = 100.0 * ptl_deadlock_watchdog_get_cpu_ns (watchdog) /
                     MAX (ptl_deadlock_watchdog_get_wall_ns (watchdog), 1);
  guint columns[9], row;

  for (guint p = 0; p < table->n; p++)
    {
      meals[p] = table->meals[p];
      total += meals[p];
      backoffs += table->backoffs[p];
      longest = MAX (longest, table->longest_hunger[p] / ptl_thread_ticks_per_ns () / 1e9);
    }

  columns[0] = ptl_table_add_column_with_id (summary, "strategy", _("Strategy"), NULL);
  columns[1] = ptl_table_add_column_with_id (summary, "philosophers", _("Philosophers"), NULL);
  columns[2] = ptl_table_add_column_with_id (summary, "meals", _("Meals"), NULL);
  columns[3] = ptl_table_add_column_with_id (summary, "jain", _("Jain's index"), NULL);
  columns[4] = ptl_table_add_column_with_id (summary, "longest-hunger", _("Longest hunger"), "s");
  columns[5] = ptl_table_add_column_with_id (summary, "backoffs", _("Back-offs"), NULL);
  columns[6] = ptl_table_add_column_with_id (summary, "deadlock", _("Deadlock"), NULL);
  columns[7] = ptl_table_add_column_with_id (summary, "latency", _("Detection latency"), "s");
  columns[8] = ptl_table_add_column_with_id (summary, "watchdog-cpu", _("Watchdog CPU"), "%");
  row = ptl_table_add_row (summary);
  ptl_table_set_text (summary, row, columns[0], _(strategy_names[self->strategy]));
  ptl_table_set_number (summary, row, columns[1], table->n);
  ptl_table_set_number (summary, row, columns[2], total);
  ptl_table_set_number (summary, row, columns[3], ptl_jain_index (meals, table->n));
  ptl_table_set_number (summary, row, columns[4], longest);
  ptl_table_set_number (summary, row, columns[5], backoffs);
  ptl_table_set_text (summary, row, columns[6], found ? _("yes") : _("no"));
  if (found)
    ptl_table_set_number (summary, row, columns[7],
                          (ptl_deadlock_watchdog_get_detected_ns (watchdog) -
                           ptl_deadlock_watchdog_get_formed_ns (watchdog)) / 1e9);
  ptl_table_set_number (summary, row, columns[8], cpu_share);

  if (found)
    {
      g_autofree char *cycle = ptl_deadlock_watchdog_dup_description (watchdog);

      ptl_result_add_note (result,
                           _("Deadlock %.3f s into the run, detected %.1f ms later and recovered (every "
                             "wait aborted, every thread joined): %s."),
                           ptl_deadlock_watchdog_get_formed_ns (watchdog) / 1e9,
                           (ptl_deadlock_watchdog_get_detected_ns (watchdog) -
                            ptl_deadlock_watchdog_get_formed_ns (watchdog)) / 1e6, cycle);
    }
  ptl_result_add_note (result,
                       _("The deadlock watchdog looked every %u ms (%u looks) and used "
                         "%.3f ms of CPU over %.2f s: %.3f %% of one CPU."),
                       self->watchdog_ms, (guint) ptl_deadlock_watchdog_get_n_looks (watchdog),
                       ptl_deadlock_watchdog_get_cpu_ns (watchdog) / 1e6,
                       ptl_deadlock_watchdog_get_wall_ns (watchdog) / 1e9, cpu_share);
  ptl_result_add_note (result,
                       _("Thinking %.1f ms and eating %.1f ms on average (%s), %.1f ms between the first "
                         "fork and the second; hunger is the time from wanting both forks to having them."),
                       self->think_ms, self->eat_ms, _(times_labels[self->times]), self->pause_ms);
}

static gboolean
ptl_philosophers_experiment_run (PtlExperiment  *experiment,
                                 PtlRun         *run,
                                 GError        **error)
{
  PtlPhilosophersExperiment *self = PTL_PHILOSOPHERS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (1024);
  g_autoptr(PtlDeadlockWatchdog) watchdog = ptl_deadlock_watchdog_new (recorder, self->watchdog_ms);
  g_autofree Table *table = g_new0 (Table, 1);
  gboolean have_waiter = FALSE, ok;

  table->self = self;
  table->cancellable = cancellable;
  table->n = self->philosophers;
  for (guint p = 0; p < table->n; p++)
    {
      g_autofree char *name = g_strdup_printf (_("Philosopher %u"), p + 1);
      g_autofree char *fork = g_strdup_printf (_("Fork %u"), p + 1);

      table->tracks[p] = ptl_thread_recorder_add_thread (recorder, name);
      ptl_mutex_init (&table->forks[p], recorder, fork);
      ptl_cond_init (&table->fork_conds[p], recorder, fork);
      ptl_deadlock_watchdog_watch (watchdog, &table->forks[p].base);
      table->phases[p] = g_array_new (FALSE, FALSE, sizeof (Phase));
      /* Chandy–Misra starts acyclic: each fork with the lower-numbered
       * of its two philosophers (fork p is p's left and p − 1's right),
       * dirty. The last fork once went to philosopher 0, who never uses
       * it: a neighbour finding it there while 0 ate waited for a
       * broadcast on it that 0 never makes. */
      table->cm[p].owner = MIN (p, (p + table->n - 1) % table->n);
      table->cm[p].dirty = TRUE;
    }

  ok = have_waiter = ptl_semaphore_init (&table->waiter, recorder, _("Seats"), table->n - 1, error);
  ok = ok && ptl_deadlock_watchdog_start (watchdog, cancellable, error);
  if (ok)
    {
      ptl_run_progress (run, 0, _("%u philosophers at the table"), table->n);
      table->deadline = ptl_clock_now_ns () + (gint64) self->duration_ms * 1000000;
      ok = ptl_thread_team_run (table->n, philosopher, table, &table->stop, cancellable, error);
      ptl_deadlock_watchdog_stop (watchdog);
    }
  if (ok)
    {
      add_charts (self, table, recorder, watchdog, result);
      add_summary (self, table, watchdog, result);
      ptl_run_progress (run, 1, _("Done"));
    }

  if (have_waiter)
    ptl_semaphore_clear (&table->waiter);
  for (guint p = 0; p < table->n; p++)
    {
      ptl_mutex_clear (&table->forks[p]);
      ptl_cond_clear (&table->fork_conds[p]);
      g_array_unref (table->phases[p]);
    }
  return ok;
}

static guint
ptl_philosophers_experiment_count_tasks (PtlExperiment *experiment)
{
  /* The philosophers and the watchdog. */
  return PTL_PHILOSOPHERS_EXPERIMENT (experiment)->philosophers + 1;
}

static void
ptl_philosophers_experiment_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  PtlPhilosophersExperiment *self = PTL_PHILOSOPHERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_PHILOSOPHERS:
      g_value_set_uint (value, self->philosophers);
      break;
    case PROP_STRATEGY:
      g_value_set_enum (value, self->strategy);
      break;
    case PROP_TIMES:
      g_value_set_enum (value, self->times);
      break;
    case PROP_THINK_MS:
      g_value_set_double (value, self->think_ms);
      break;
    case PROP_EAT_MS:
      g_value_set_double (value, self->eat_ms);
      break;
    case PROP_PAUSE_MS:
      g_value_set_double (value, self->pause_ms);
      break;
    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;
    case PROP_WATCHDOG_MS:
      g_value_set_uint (value, self->watchdog_ms);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_philosophers_experiment_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  PtlPhilosophersExperiment *self = PTL_PHILOSOPHERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_PHILOSOPHERS:
      ptl_param_store_uint (object, &self->philosophers, value, pspec);
      break;
    case PROP_STRATEGY:
      ptl_param_store_enum (object, (int *) &self->strategy, value, pspec);
      break;
    case PROP_TIMES:
      ptl_param_store_enum (object, (int *) &self->times, value, pspec);
      break;
    case PROP_THINK_MS:
      ptl_param_store_double (object, &self->think_ms, value, pspec);
      break;
    case PROP_EAT_MS:
      ptl_param_store_double (object, &self->eat_ms, value, pspec);
      break;
    case PROP_PAUSE_MS:
      ptl_param_store_double (object, &self->pause_ms, value, pspec);
      break;
    case PROP_DURATION_MS:
      ptl_param_store_uint (object, &self->duration_ms, value, pspec);
      break;
    case PROP_WATCHDOG_MS:
      ptl_param_store_uint (object, &self->watchdog_ms, value, pspec);
      break;
    case PROP_SEED:
      ptl_param_store_uint (object, &self->seed, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_philosophers_experiment_class_init (PtlPhilosophersExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "timeline", N_("What each philosopher did: thinking, hungry, eating") },
    { "meals", N_("Meals per philosopher, with Jain's fairness index") },
    { "hunger", N_("Longest and mean hunger per philosopher") },
    { "wait-for", N_("Wait-for graph of a detected deadlock (threads, forks, the cycle)") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_philosophers_experiment_get_property;
  object_class->set_property = ptl_philosophers_experiment_set_property;

  experiment_class->id = "philosophers";
  experiment_class->title = N_("Dining philosophers");
  experiment_class->category = N_("Synchronization");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "jain", PTL_HEADLINE_FIRST);
  experiment_class->summary =
    N_("N threads around a table of N mutexes, each needing its two neighbouring forks to eat: the naive "
       "order deadlocks, and a watchdog catches it, draws the wait-for graph and recovers; four other "
       "strategies never deadlock, at different costs in fairness.");
  experiment_class->explanation =
    N_("The problem. Each philosopher thinks, gets hungry, takes the fork on the left and the fork on "
       "the right (two mutexes shared with the neighbours), eats and puts them down. Taken naively, "
       "left then right, the table can reach a state where every philosopher holds a left fork and waits "
       "for a right one held by the next: a cycle of waits, a deadlock. Nothing moves again, and nothing "
       "says so. The pause between the two forks widens the window in which it can happen.\n\n"
       "Catching it. A watchdog thread looks at the forks' owners and at what each thread waits for, "
       "builds the wait-for graph (thread → lock it waits for → thread that holds it) and looks for a "
       "cycle. It confirms a cycle with a second look that finds every thread of it still in the same "
       "wait, so a long but progressing wait is never reported. The run then stops: every wait is "
       "aborted, every thread joined. The wait-for graph chart draws threads (circles) and forks "
       "(squares), hold and wait arrows, and the cycle highlighted; the notes say the cycle in words and "
       "how long detection took after the last edge formed.\n\n"
       "The cures. Resource ordering numbers the forks and takes the lower one first: one philosopher "
       "then reaches across in the other order and no cycle can close. An arbitrator (a semaphore with "
       "N − 1 seats) lets at most N − 1 philosophers reach at once, so one always gets both forks. "
       "Try-lock with random back-off puts the left fork down when the right one is taken and retries "
       "later: no deadlock, but busy retries (the back-offs column counts them). Chandy–Misra marks "
       "forks clean or dirty: a philosopher must hand over a dirty fork when asked unless eating, and "
       "keeps a clean one until it has eaten, which also makes it fair.\n\n"
       "Fairness. The meals chart shows starvation: Jain's index is 1 when everyone ate equally and "
       "1/N when one philosopher ate alone. The hunger chart shows the longest wait for forks of each "
       "philosopher.");

  experiment_class->count_tasks = ptl_philosophers_experiment_count_tasks;
  experiment_class->run = ptl_philosophers_experiment_run;

  properties[PROP_PHILOSOPHERS] =
    g_param_spec_uint ("philosophers", N_("Philosophers"),
                       N_("Threads at the table, and forks between them"),
                       2, MAX_PHILOSOPHERS, 5, flags);
  ptl_param_set_unit (properties[PROP_PHILOSOPHERS], N_("threads"));
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", N_("Strategy"),
                       N_("How a hungry philosopher takes its two forks"),
                       PTL_TYPE_PHILOSOPHERS_STRATEGY, PTL_PHILOSOPHERS_NAIVE, flags);
  ptl_param_set_choice_labels (properties[PROP_STRATEGY], strategy_labels);
  properties[PROP_TIMES] =
    g_param_spec_enum ("times", N_("Thinking and eating times"),
                       N_("Each time fixed at its mean, or drawn from an exponential distribution"),
                       PTL_TYPE_PHILOSOPHERS_TIMES, PTL_PHILOSOPHERS_EXPONENTIAL, flags);
  ptl_param_set_choice_labels (properties[PROP_TIMES], times_labels);
  properties[PROP_THINK_MS] =
    g_param_spec_double ("think-ms", N_("Thinking time"),
                         N_("Mean time a philosopher thinks between meals"),
                         0, 1000, 5, flags);
  ptl_param_set_unit (properties[PROP_THINK_MS], N_("ms"));
  properties[PROP_EAT_MS] =
    g_param_spec_double ("eat-ms", N_("Eating time"),
                         N_("Mean time a philosopher eats, holding both forks"),
                         0, 1000, 5, flags);
  ptl_param_set_unit (properties[PROP_EAT_MS], N_("ms"));
  properties[PROP_PAUSE_MS] =
    g_param_spec_double ("pause-ms", N_("Pause between forks"),
                         N_("Time between taking the first fork and reaching for the second"),
                         0, 100, 2, flags);
  ptl_param_set_unit (properties[PROP_PAUSE_MS], N_("ms"));
  properties[PROP_DURATION_MS] =
    g_param_spec_uint ("duration-ms", N_("Duration"),
                       N_("How long the philosophers dine, unless a deadlock ends it first"),
                       100, 600000, 10000, flags);
  ptl_param_set_unit (properties[PROP_DURATION_MS], N_("ms"));
  properties[PROP_WATCHDOG_MS] =
    g_param_spec_uint ("watchdog-ms", N_("Watchdog period"),
                       N_("How often the deadlock watchdog looks at the wait-for graph"),
                       1, 1000, PTL_DEADLOCK_WATCHDOG_DEFAULT_PERIOD_MS, flags);
  ptl_param_set_unit (properties[PROP_WATCHDOG_MS], N_("ms"));
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", N_("Seed"),
                       N_("Seed of the random thinking and eating times and back-offs"),
                       0, G_MAXUINT, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_philosophers_experiment_init (PtlPhilosophersExperiment *self)
{
  self->philosophers = 5;
  self->strategy = PTL_PHILOSOPHERS_NAIVE;
  self->times = PTL_PHILOSOPHERS_EXPONENTIAL;
  self->think_ms = 5;
  self->eat_ms = 5;
  self->pause_ms = 2;
  self->duration_ms = 10000;
  self->watchdog_ms = PTL_DEADLOCK_WATCHDOG_DEFAULT_PERIOD_MS;
  self->seed = 1;
}

GType
ptl_philosophers_strategy_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_PHILOSOPHERS_NAIVE, "PTL_PHILOSOPHERS_NAIVE", "naive" },
    { PTL_PHILOSOPHERS_ORDERED, "PTL_PHILOSOPHERS_ORDERED", "ordered" },
    { PTL_PHILOSOPHERS_ARBITRATOR, "PTL_PHILOSOPHERS_ARBITRATOR", "arbitrator" },
    { PTL_PHILOSOPHERS_TRYLOCK, "PTL_PHILOSOPHERS_TRYLOCK", "trylock" },
    { PTL_PHILOSOPHERS_CHANDY_MISRA, "PTL_PHILOSOPHERS_CHANDY_MISRA", "chandy-misra" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlPhilosophersStrategy", values);
}

GType
ptl_philosophers_times_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_PHILOSOPHERS_FIXED, "PTL_PHILOSOPHERS_FIXED", "fixed" },
    { PTL_PHILOSOPHERS_EXPONENTIAL, "PTL_PHILOSOPHERS_EXPONENTIAL", "exponential" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlPhilosophersTimes", values);
}
