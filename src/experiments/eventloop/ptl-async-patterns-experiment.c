/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-async-patterns-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-async-patterns-experiment.h"

/* "Async patterns": the ways asyncio code combines coroutines, played by
 * tasks on one GLib main loop in a private context. A task runs a little
 * on the loop (cpu-us of busy work, its "running"), awaits a timer that
 * stands for a network or disk wait (its "waiting"), runs a little again
 * and completes, unless it is cancelled while it waits. Each task has its
 * own GCancellable; in the cancel-tree pattern a child's cancellable is
 * connected to its parent's, as structured concurrency ties a task
 * group's children to it. Every state change is stamped with
 * CLOCK_MONOTONIC on the loop thread, which is the only thread. */

struct _PtlAsyncPatternsExperiment
{
  PtlExperiment   parent_instance;

  /* parameters */
  PtlAsyncPattern pattern;
  guint           tasks;
  guint           concurrency;
  guint           wait_min_ms;
  guint           wait_max_ms;
  guint           timeout_ms;
  guint           cpu_us;
  guint           seed;
};

enum {
  PROP_0,
  PROP_PATTERN,
  PROP_TASKS,
  PROP_CONCURRENCY,
  PROP_WAIT_MIN_MS,
  PROP_WAIT_MAX_MS,
  PROP_TIMEOUT_MS,
  PROP_CPU_US,
  PROP_SEED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlAsyncPatternsExperiment, ptl_async_patterns_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define N_PATTERNS PTL_ASYNC_PATTERN_ALL
#define NS_PER_MS  G_GINT64_CONSTANT (1000000)
#define NS_PER_S   G_GINT64_CONSTANT (1000000000)

static const char * const pattern_ids[] = { "gather", "first", "bounded", "timeout", "cancel-tree", "queue" };
static const char * const pattern_titles[] = {
  N_("Wait for all (asyncio.gather)"),
  N_("First completed, then cancel the rest (asyncio.wait)"),
  N_("Bounded concurrency (asyncio.Semaphore)"),
  N_("A timeout on each task (asyncio.wait_for)"),
  N_("Cancelling a tree of tasks (TaskGroup)"),
  N_("Producer and consumers (asyncio.Queue)"),
};
static const char * const pattern_labels[] = {
  N_("Gather"), N_("First completed"), N_("Bounded"), N_("Timeout"), N_("Cancel tree"), N_("Queue"),
};

typedef enum
{
  KEY_RUNNING,
  KEY_WAITING,
  KEY_QUEUED,
  KEY_CANCELLED,
  KEY_TIMED_OUT,
  N_KEYS
} Key;

static const char * const key_names[] = {
  N_("Running on the loop"),
  N_("Awaiting I/O"),
  N_("Awaiting a slot or an item"),
  N_("Cancelled while awaiting"),
  N_("Timed out while awaiting"),
};

typedef enum
{
  OUTCOME_PENDING,
  OUTCOME_DONE,
  OUTCOME_CANCELLED,
  OUTCOME_TIMED_OUT,
} Outcome;

enum {
  COLUMN_PATTERN,
  COLUMN_TASKS,
  COLUMN_DONE,
  COLUMN_CANCELLED,
  COLUMN_TIMED_OUT,
  COLUMN_WALL,
  COLUMN_SUM,
  COLUMN_LONGEST,
  COLUMN_RATIO,
};

typedef struct
{
  guint  lane;
  Key    key;
  gint64 start;
  gint64 end;
} Slice;

typedef struct _Play Play;

typedef struct
{
  Play         *play;
  guint         lane;
  gint64        wait_ns;
  GCancellable *cancellable;
  GSource      *timer;      /* the pending await */
  GSource      *deadline;   /* wait_for's timer */
  Outcome       outcome;
  gboolean      started;
  Key           state;
  gint64        since;
  gboolean      deadline_hit;
} Task;

/* A consumer of the queue pattern. */
typedef struct
{
  Play    *play;
  guint    lane;
  GSource *timer;
  gint     item;     /* -1 when idle */
  gint64   idle_since;
} Consumer;

struct _Play
{
  /* borrowed */
  GMainContext    *context;
  GRand           *rand;
  const PtlAsyncPatternsExperiment *params;

  PtlAsyncPattern  pattern;
  gint64           t0;
  gint64           end;
  GArray          *slices;   /* Slice */
  GArray          *markers;  /* Slice with start == end: a cancel */
  GPtrArray       *lanes;    /* char *, lane 0 the loop */

  Task            *tasks;
  guint            n_tasks;
  guint            n_settled;
  guint            in_flight;
  guint            max_in_flight;
  guint            next_queued;
  gboolean         first_done;
  gint64           cancel_sent;     /* cancel-tree: when the root was cancelled */
  gint64           last_cancelled;  /* … and when its last descendant was */
  gint64           wait_sum;
  gint64           wait_longest;

  /* queue */
  Consumer        *consumers;
  guint            n_consumers;
  GQueue           items;           /* GINT_TO_POINTER (item + 1) */
  guint           *taken;           /* per item: how often consumed */
  guint            produced;
  guint            consumed;
  GSource         *producer_timer;

  gboolean         stopped;
};

static void
record (Play   *play,
        guint   lane,
        Key     key,
        gint64  start,
        gint64  end)
{
  Slice slice = { lane, key, start - play->t0, end - play->t0 };

  if (end > start)
    g_array_append_val (play->slices, slice);
}

/* Busy work on the loop thread, recorded on the task's lane and the
 * loop's own. */
static void
run_on_loop (Play  *play,
             guint  lane)
{
  gint64 start = ptl_clock_now_ns ();
  gint64 until = start + play->params->cpu_us * G_GINT64_CONSTANT (1000);

  while (ptl_clock_now_ns () < until)
    ;
  record (play, lane, KEY_RUNNING, start, ptl_clock_now_ns ());
  record (play, 0, KEY_RUNNING, start, ptl_clock_now_ns ());
}

static gint64
draw_wait (Play *play)
{
  return g_rand_int_range (play->rand, play->params->wait_min_ms, play->params->wait_max_ms + 1) * NS_PER_MS;
}

static GSource *
attach_timer (Play        *play,
              gint64       ns,
              GSourceFunc  func,
              gpointer     data)
{
  GSource *source = g_timeout_source_new ((guint) (ns / NS_PER_MS));

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, play->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Tasks */

static void task_start (Task *task);

static void
task_settle (Task    *task,
             Outcome  outcome)
{
  Play *play = task->play;
  gint64 now = ptl_clock_now_ns ();
  Key last = outcome == OUTCOME_CANCELLED ? KEY_CANCELLED : outcome == OUTCOME_TIMED_OUT ? KEY_TIMED_OUT : task->state;

  if (task->outcome != OUTCOME_PENDING)
    return;
  record (play, task->lane, last, task->since, now);
  if (outcome != OUTCOME_DONE)
    {
      Slice marker = { task->lane, last, now - play->t0, now - play->t0 };

      g_array_append_val (play->markers, marker);
    }
  task->outcome = outcome;
  clear_source (&task->timer);
  clear_source (&task->deadline);
  play->n_settled++;
  if (task->started)
    play->in_flight--;
  if (outcome == OUTCOME_CANCELLED)
    play->last_cancelled = MAX (play->last_cancelled, now);

  switch (play->pattern)
    {
    case PTL_ASYNC_PATTERN_FIRST:
      /* asyncio.wait (FIRST_COMPLETED) returns; the caller cancels the
       * pending ones. */
      if (outcome == OUTCOME_DONE && !play->first_done)
        {
          play->first_done = TRUE;
          for (guint i = 0; i < play->n_tasks; i++)
            g_cancellable_cancel (play->tasks[i].cancellable);
        }
      break;
    case PTL_ASYNC_PATTERN_BOUNDED:
      /* The semaphore's slot goes to the next waiting task. */
      if (play->next_queued < play->n_tasks && !play->stopped)
        task_start (&play->tasks[play->next_queued++]);
      break;
    case PTL_ASYNC_PATTERN_GATHER:
    case PTL_ASYNC_PATTERN_TIMEOUT:
    case PTL_ASYNC_PATTERN_CANCEL_TREE:
    case PTL_ASYNC_PATTERN_QUEUE:
    case PTL_ASYNC_PATTERN_ALL:
    default:
      break;
    }
}

static gboolean
task_wait_done_cb (gpointer user_data)
{
  Task *task = user_data;
  Play *play = task->play;
  gint64 now = ptl_clock_now_ns ();

  g_clear_pointer (&task->timer, g_source_unref);
  record (play, task->lane, KEY_WAITING, task->since, now);
  task->since = now;
  run_on_loop (play, task->lane);
  task->state = KEY_RUNNING;
  task->since = ptl_clock_now_ns ();
  task_settle (task, OUTCOME_DONE);
  return G_SOURCE_REMOVE;
}

static gboolean
task_deadline_cb (gpointer user_data)
{
  Task *task = user_data;

  g_clear_pointer (&task->deadline, g_source_unref);
  task->deadline_hit = TRUE;
  g_cancellable_cancel (task->cancellable);
  return G_SOURCE_REMOVE;
}

/* Runs in the loop thread: every cancel here comes from the loop. */
static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  Task *task = user_data;

  task_settle (task, task->deadline_hit ? OUTCOME_TIMED_OUT : OUTCOME_CANCELLED);
}

static void
task_start (Task *task)
{
  Play *play = task->play;
  gint64 now = ptl_clock_now_ns ();

  if (task->outcome != OUTCOME_PENDING)
    return;
  record (play, task->lane, KEY_QUEUED, task->since, now);
  task->started = TRUE;
  play->in_flight++;
  play->max_in_flight = MAX (play->max_in_flight, play->in_flight);
  run_on_loop (play, task->lane);

  task->state = KEY_WAITING;
  task->since = ptl_clock_now_ns ();
  play->wait_sum += task->wait_ns;
  play->wait_longest = MAX (play->wait_longest, task->wait_ns);
  task->timer = attach_timer (play, task->wait_ns, task_wait_done_cb, task);
  if (play->pattern == PTL_ASYNC_PATTERN_TIMEOUT)
    task->deadline = attach_timer (play, play->params->timeout_ms * NS_PER_MS, task_deadline_cb, task);
}

/* A child's cancellable follows its parent's: cancelling the root
 * reaches every descendant. */
static void
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
cancel_root_cb (gpointer user_data)
{
  Play *play = user_data;

  play->cancel_sent = ptl_clock_now_ns ();
  g_cancellable_cancel (play->tasks[0].cancellable);
  return G_SOURCE_REMOVE;
}

/* The queue */

static void consumer_take (Consumer *consumer);

static gboolean
consumer_done_cb (gpointer user_data)
{
  Consumer *consumer = user_data;
  Play *play = consumer->play;
  gint64 now = ptl_clock_now_ns ();

  g_clear_pointer (&consumer->timer, g_source_unref);
  record (play, consumer->lane, KEY_WAITING, consumer->idle_since, now);
  run_on_loop (play, consumer->lane);
  play->taken[consumer->item]++;
  play->consumed++;
  consumer->item = -1;
  consumer->idle_since = ptl_clock_now_ns ();
  consumer_take (consumer);
  return G_SOURCE_REMOVE;
}

/* await queue.get (): an item if there is one, else stay idle until the
 * producer hands one over. */
static void
consumer_take (Consumer *consumer)
{
  Play *play = consumer->play;
  gint64 now = ptl_clock_now_ns ();
  gint64 wait;

  if (consumer->item >= 0 || g_queue_is_empty (&play->items) || play->stopped)
    return;
  record (play, consumer->lane, KEY_QUEUED, consumer->idle_since, now);
  consumer->item = GPOINTER_TO_INT (g_queue_pop_head (&play->items)) - 1;
  run_on_loop (play, consumer->lane);
  wait = draw_wait (play);
  play->wait_sum += wait;
  play->wait_longest = MAX (play->wait_longest, wait);
  consumer->idle_since = ptl_clock_now_ns ();
  consumer->timer = attach_timer (play, wait, consumer_done_cb, consumer);
}

static gboolean
producer_cb (gpointer user_data)
{
  Play *play = user_data;

  g_clear_pointer (&play->producer_timer, g_source_unref);
  run_on_loop (play, 1);
  g_queue_push_tail (&play->items, GINT_TO_POINTER (play->produced + 1));
  play->produced++;
  for (guint i = 0; i < play->n_consumers; i++)
    consumer_take (&play->consumers[i]);
  /* The producer makes items at the rate of the shortest wait. */
  if (play->produced < play->n_tasks)
    play->producer_timer = attach_timer (play, play->params->wait_min_ms * NS_PER_MS, producer_cb, play);
  return G_SOURCE_REMOVE;
}

/* Playing one pattern */

static gboolean
stop_cb (GCancellable *cancellable,
         gpointer      user_data)
{
  Play *play = user_data;

  play->stopped = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
play_finished (Play *play)
{
  if (play->pattern == PTL_ASYNC_PATTERN_QUEUE)
    return play->consumed == play->n_tasks;
  return play->n_settled == play->n_tasks;
}

static void
play_setup (Play *play)
{
  const PtlAsyncPatternsExperiment *params = play->params;
  gint64 now = ptl_clock_now_ns ();

  g_ptr_array_add (play->lanes, g_strdup (_("Event loop")));
  if (play->pattern == PTL_ASYNC_PATTERN_QUEUE)
    {
      g_ptr_array_add (play->lanes, g_strdup (_("Producer")));
      play->n_tasks = params->tasks;
      play->taken = g_new0 (guint, params->tasks);
      play->n_consumers = params->concurrency;
      play->consumers = g_new0 (Consumer, play->n_consumers);
      for (guint i = 0; i < play->n_consumers; i++)
        {
          play->consumers[i].play = play;
          play->consumers[i].lane = play->lanes->len;
          play->consumers[i].item = -1;
          play->consumers[i].idle_since = now;
          g_ptr_array_add (play->lanes, g_strdup_printf (_("Consumer %u"), i + 1));
        }
      play->producer_timer = attach_timer (play, 0, producer_cb, play);
      return;
    }

  play->n_tasks = params->tasks;
  play->tasks = g_new0 (Task, play->n_tasks);
  for (guint i = 0; i < play->n_tasks; i++)
    {
      Task *task = &play->tasks[i];

      task->play = play;
      task->lane = play->lanes->len;
      task->cancellable = g_cancellable_new ();
      task->since = now;
      task->state = KEY_QUEUED;
      /* The tree's tasks wait longest, so the cancel finds them all
       * waiting. */
      task->wait_ns = play->pattern == PTL_ASYNC_PATTERN_CANCEL_TREE
                      ? params->wait_max_ms * NS_PER_MS : draw_wait (play);
      g_cancellable_connect (task->cancellable, G_CALLBACK (task_cancelled_cb), task, NULL);
      if (play->pattern == PTL_ASYNC_PATTERN_CANCEL_TREE && i > 0)
        {
          /* Task i's parent is (i - 1) / 2: a binary tree under task 1. */
          g_ptr_array_add (play->lanes, g_strdup_printf (_("Task %u (child of %u)"), i + 1, (i - 1) / 2 + 1));
          g_cancellable_connect (play->tasks[(i - 1) / 2].cancellable, G_CALLBACK (parent_cancelled_cb),
                                 g_object_ref (task->cancellable), g_object_unref);
        }
      else
        g_ptr_array_add (play->lanes, g_strdup_printf (_("Task %u"), i + 1));
    }

  if (play->pattern == PTL_ASYNC_PATTERN_BOUNDED)
    {
      for (play->next_queued = 0; play->next_queued < MIN (params->concurrency, play->n_tasks); )
        task_start (&play->tasks[play->next_queued++]);
    }
  else
    for (guint i = 0; i < play->n_tasks; i++)
      task_start (&play->tasks[i]);

  if (play->pattern == PTL_ASYNC_PATTERN_CANCEL_TREE)
    g_source_unref (attach_timer (play, params->timeout_ms * NS_PER_MS, cancel_root_cb, play));
}

static void
play_clear (Play *play)
{
  for (guint i = 0; i < play->n_tasks && play->tasks != NULL; i++)
    {
      clear_source (&play->tasks[i].timer);
      clear_source (&play->tasks[i].deadline);
    }
  for (guint i = 0; i < play->n_consumers; i++)
    clear_source (&play->consumers[i].timer);
  clear_source (&play->producer_timer);
  /* Parents hold references to their children's cancellables through
   * their handlers: drop the tree from the root down. */
  for (guint i = 0; i < play->n_tasks && play->tasks != NULL; i++)
    g_object_unref (play->tasks[i].cancellable);
  g_free (play->tasks);
  g_free (play->consumers);
  g_free (play->taken);
  g_queue_clear (&play->items);
  g_clear_pointer (&play->slices, g_array_unref);
  g_clear_pointer (&play->markers, g_array_unref);
  g_clear_pointer (&play->lanes, g_ptr_array_unref);
}

static void
add_timeline (PtlResult *result,
              Play      *play)
{
  g_autofree char *id = g_strdup_printf ("timeline-%s", pattern_ids[play->pattern]);
  PtlChart *chart = ptl_result_add_chart (result, id, PTL_CHART_TIMELINE, _(pattern_titles[play->pattern]));

  ptl_chart_set_x_axis (chart, _("Time"), "s", FALSE);
  for (guint i = 0; i < play->lanes->len; i++)
    ptl_chart_add_lane (chart, g_ptr_array_index (play->lanes, i));
  for (guint k = 0; k < N_KEYS; k++)
    ptl_chart_add_key (chart, _(key_names[k]), k == KEY_QUEUED);
  for (guint i = 0; i < play->slices->len; i++)
    {
      const Slice *slice = &g_array_index (play->slices, Slice, i);

      ptl_chart_add_slice (chart, slice->lane, slice->key,
                           slice->start / (double) NS_PER_S, slice->end / (double) NS_PER_S);
    }
  for (guint i = 0; i < play->markers->len; i++)
    {
      const Slice *marker = &g_array_index (play->markers, Slice, i);

      ptl_chart_add_marker (chart, marker->lane, marker->start / (double) NS_PER_S);
    }
}

typedef struct
{
  guint  done, cancelled, timed_out;
  double wall, wait_sum, wait_longest;
  guint  max_in_flight;
  double cancel_spread; /* cancel-tree: root cancel to last descendant */
  gboolean each_once;   /* queue: every item consumed exactly once */
} Outcomes;

static void
count_outcomes (Play     *play,
                Outcomes *out)
{
  out->wall = (play->end - play->t0) / (double) NS_PER_S;
  out->wait_sum = play->wait_sum / (double) NS_PER_S;
  out->wait_longest = play->wait_longest / (double) NS_PER_S;
  out->max_in_flight = play->max_in_flight;
  out->cancel_spread = play->cancel_sent > 0 ? (play->last_cancelled - play->cancel_sent) / (double) NS_PER_S : NAN;
  if (play->pattern == PTL_ASYNC_PATTERN_QUEUE)
    {
      out->done = play->consumed;
      out->each_once = TRUE;
      for (guint i = 0; i < play->n_tasks; i++)
        out->each_once &= play->taken[i] == 1;
      return;
    }
  for (guint i = 0; i < play->n_tasks; i++)
    {
      out->done += play->tasks[i].outcome == OUTCOME_DONE;
      out->cancelled += play->tasks[i].outcome == OUTCOME_CANCELLED;
      out->timed_out += play->tasks[i].outcome == OUTCOME_TIMED_OUT;
    }
}

static gboolean
play_pattern (PtlAsyncPatternsExperiment  *self,
              PtlAsyncPattern              pattern,
              GCancellable                *cancellable,
              GRand                       *rand,
              PtlResult                   *result,
              Outcomes                    *outcomes,
              GError                     **error)
{
  Play play = { 0 };
  g_autoptr(GSource) stop = ptl_cancellable_source_new (cancellable);

  play.context = g_main_context_new ();
  play.rand = rand;
  play.params = self;
  play.pattern = pattern;
  play.slices = g_array_new (FALSE, FALSE, sizeof (Slice));
  play.markers = g_array_new (FALSE, FALSE, sizeof (Slice));
  play.lanes = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&play.items);
  g_main_context_push_thread_default (play.context);
  g_source_set_callback (stop, G_SOURCE_FUNC (stop_cb), &play, NULL);
  g_source_attach (stop, play.context);

  play.t0 = ptl_clock_now_ns ();
  play_setup (&play);
  while (!play_finished (&play) && !play.stopped)
    g_main_context_iteration (play.context, TRUE);
  play.end = ptl_clock_now_ns ();

  if (!play.stopped)
    {
      add_timeline (result, &play);
      count_outcomes (&play, outcomes);
    }
  g_source_destroy (stop);
  play_clear (&play);
  g_main_context_pop_thread_default (play.context);
  g_main_context_unref (play.context);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
ptl_async_patterns_experiment_validate (PtlExperiment  *experiment,
                                        GError        **error)
{
  PtlAsyncPatternsExperiment *self = PTL_ASYNC_PATTERNS_EXPERIMENT (experiment);

  if (self->wait_min_ms > self->wait_max_ms)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("wait-min-ms (%u) must not be above wait-max-ms (%u)"),
                   self->wait_min_ms, self->wait_max_ms);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ptl_async_patterns_experiment_run (PtlExperiment  *experiment,
                                   PtlRun         *run,
                                   GError        **error)
{
  PtlAsyncPatternsExperiment *self = PTL_ASYNC_PATTERNS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  PtlTable *table = ptl_result_get_summary (result);
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed);
  const char *categories[N_PATTERNS + 1] = { NULL };
  const char *category_ids[N_PATTERNS + 1] = { NULL };
  PtlAsyncPattern patterns[N_PATTERNS];
  Outcomes outcomes[N_PATTERNS] = { { 0 } };
  PtlChart *chart;
  PtlSeries *wall, *sum, *longest;
  guint n_patterns = 0;

  if (self->pattern == PTL_ASYNC_PATTERN_ALL)
    for (guint p = 0; p < N_PATTERNS; p++)
      patterns[n_patterns++] = p;
  else
    patterns[n_patterns++] = self->pattern;

  for (guint i = 0; i < n_patterns; i++)
    {
      ptl_run_progress (run, i / (double) n_patterns, _("Pattern: %s"), _(pattern_labels[patterns[i]]));
      if (!play_pattern (self, patterns[i], ptl_run_get_cancellable (run), rand, result, &outcomes[i], error))
        return FALSE;
    }

  ptl_table_add_column (table, _("Pattern"), NULL);
  ptl_table_add_column (table, _("Tasks"), NULL);
  ptl_table_add_column (table, _("Done"), NULL);
  ptl_table_add_column (table, _("Cancelled"), NULL);
  ptl_table_add_column (table, _("Timed out"), NULL);
  ptl_table_add_column (table, _("Wall time"), "s");
  ptl_table_add_column (table, _("Sum of waits"), "s");
  ptl_table_add_column (table, _("Longest wait"), "s");
  ptl_table_add_column (table, _("Wall / sum"), "x");

  chart = ptl_result_add_chart (result, "wall-vs-waits", PTL_CHART_BAR,
                                _("Wall time against the waits it overlapped"));
  ptl_chart_set_y_axis (chart, _("Time"), "s", FALSE);
  wall = ptl_chart_add_series (chart, _("Wall time"));
  sum = ptl_chart_add_series (chart, _("Sum of waits"));
  longest = ptl_chart_add_series (chart, _("Longest wait"));

  for (guint i = 0; i < n_patterns; i++)
    {
      const Outcomes *o = &outcomes[i];
      guint row = ptl_table_add_row_with_id (table, pattern_ids[patterns[i]]);

      categories[i] = _(pattern_labels[patterns[i]]);
      category_ids[i] = pattern_ids[patterns[i]];
      ptl_table_set_text (table, row, COLUMN_PATTERN, categories[i]);
      ptl_table_set_number (table, row, COLUMN_TASKS, self->tasks);
      ptl_table_set_number (table, row, COLUMN_DONE, o->done);
      ptl_table_set_number (table, row, COLUMN_CANCELLED, o->cancelled);
      ptl_table_set_number (table, row, COLUMN_TIMED_OUT, o->timed_out);
      ptl_table_set_number (table, row, COLUMN_WALL, o->wall);
      ptl_table_set_number (table, row, COLUMN_SUM, o->wait_sum);
      ptl_table_set_number (table, row, COLUMN_LONGEST, o->wait_longest);
      ptl_table_set_number (table, row, COLUMN_RATIO, o->wait_sum > 0 ? o->wall / o->wait_sum : NAN);
      ptl_series_add_point (wall, i, o->wall);
      ptl_series_add_point (sum, i, o->wait_sum);
      ptl_series_add_point (longest, i, o->wait_longest);

      switch (patterns[i])
        {
        case PTL_ASYNC_PATTERN_BOUNDED:
          ptl_result_add_note (result, _("Bounded: at most %u of %u tasks were in flight at once (the "
                                         "semaphore allows %u)."),
                               o->max_in_flight, self->tasks, self->concurrency);
          break;
        case PTL_ASYNC_PATTERN_CANCEL_TREE:
          {
            g_autofree char *spread = ptl_format_value (o->cancel_spread, "s");

            ptl_result_add_note (result, _("Cancel tree: cancelling the root had cancelled %u tasks of the "
                                           "tree %s later, on the loop thread, before it ran anything "
                                           "else."),
                                 o->cancelled, spread);
          }
          break;
        case PTL_ASYNC_PATTERN_QUEUE:
          ptl_result_add_note (result, o->each_once
                               ? _("Queue: all %u items were consumed, each exactly once.")
                               : _("Queue: %u items were consumed, but not each exactly once: a defect "
                                   "in the lab."),
                               o->done);
          break;
        case PTL_ASYNC_PATTERN_GATHER:
        case PTL_ASYNC_PATTERN_FIRST:
        case PTL_ASYNC_PATTERN_TIMEOUT:
        case PTL_ASYNC_PATTERN_ALL:
        default:
          break;
        }
    }
  ptl_chart_set_categories_with_ids (chart, category_ids, categories);
  return TRUE;
}

static guint
ptl_async_patterns_experiment_count_tasks (PtlExperiment *experiment)
{
  /* Every task is a few structures on one loop thread. */
  return 1;
}

static void
ptl_async_patterns_experiment_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  PtlAsyncPatternsExperiment *self = PTL_ASYNC_PATTERNS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_PATTERN:
      g_value_set_enum (value, self->pattern);
      break;
    case PROP_TASKS:
      g_value_set_uint (value, self->tasks);
      break;
    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case PROP_WAIT_MIN_MS:
      g_value_set_uint (value, self->wait_min_ms);
      break;
    case PROP_WAIT_MAX_MS:
      g_value_set_uint (value, self->wait_max_ms);
      break;
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_CPU_US:
      g_value_set_uint (value, self->cpu_us);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_async_patterns_experiment_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  PtlAsyncPatternsExperiment *self = PTL_ASYNC_PATTERNS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_PATTERN:
      ptl_param_store_enum (object, (int *) &self->pattern, value, pspec);
      break;
    case PROP_TASKS:
      ptl_param_store_uint (object, &self->tasks, value, pspec);
      break;
    case PROP_CONCURRENCY:
      ptl_param_store_uint (object, &self->concurrency, value, pspec);
      break;
    case PROP_WAIT_MIN_MS:
      ptl_param_store_uint (object, &self->wait_min_ms, value, pspec);
      break;
    case PROP_WAIT_MAX_MS:
      ptl_param_store_uint (object, &self->wait_max_ms, value, pspec);
      break;
    case PROP_TIMEOUT_MS:
      ptl_param_store_uint (object, &self->timeout_ms, value, pspec);
      break;
    case PROP_CPU_US:
      ptl_param_store_uint (object, &self->cpu_us, value, pspec);
      break;
    case PROP_SEED:
      ptl_param_store_uint (object, &self->seed, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_async_patterns_experiment_class_init (PtlAsyncPatternsExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "timeline-gather", N_("Wait for all (asyncio.gather)") },
    { "timeline-first", N_("First completed, then cancel the rest (asyncio.wait)") },
    { "timeline-bounded", N_("Bounded concurrency (asyncio.Semaphore)") },
    { "timeline-timeout", N_("A timeout on each task (asyncio.wait_for)") },
    { "timeline-cancel-tree", N_("Cancelling a tree of tasks (TaskGroup)") },
    { "timeline-queue", N_("Producer and consumers (asyncio.Queue)") },
    { "wall-vs-waits", N_("Wall time against the waits it overlapped") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_async_patterns_experiment_get_property;
  object_class->set_property = ptl_async_patterns_experiment_set_property;

  experiment_class->id = "async-patterns";
  experiment_class->title = N_("Async patterns");
  experiment_class->category = N_("Event loop");
  experiment_class->summary =
    N_("The ways asyncio code combines coroutines, played by tasks on one GLib main loop: wait for all, "
       "first completed, a semaphore, timeouts, cancelling a tree of tasks, and a producer with "
       "consumers. A timeline per pattern shows every task running, awaiting, cancelled or timed out, "
       "beside the loop's own lane.");
  experiment_class->explanation =
    N_("Every task here does what a request handler in an async web service does: it runs briefly "
       "on the loop (cpu-us of work), awaits something slow (a timer of wait-min-ms to wait-max-ms "
       "standing in for a database or network call), runs briefly again and completes. The loop "
       "has one thread; while a task awaits, the thread runs the others. The timelines show it: "
       "the loop's lane is mostly empty, and the tasks' waits overlap.\n\n"
       "gather (asyncio.gather): all tasks start at once and the caller resumes when the last one "
       "completes. Wall time is about the longest wait, not the sum of them: the table puts the two "
       "side by side.\n\n"
       "first completed (asyncio.wait with FIRST_COMPLETED): the caller resumes with the first task "
       "that completes and cancels the others, as a client racing two mirrors does. Wall time is "
       "the shortest wait.\n\n"
       "bounded (an asyncio.Semaphore of concurrency): only that many tasks may be in flight; the "
       "others wait for a slot (the muted colour), as a crawler limits its connections to one host. "
       "Wall time grows to about the sum of the waits divided by the concurrency.\n\n"
       "timeout (asyncio.wait_for): each task is cancelled if it has not completed after timeout-ms; "
       "those that would have waited longer end in the timed-out colour.\n\n"
       "cancel tree (a TaskGroup's children, or cancelling a parent task in Trio or asyncio): the "
       "tasks form a binary tree, each child's GCancellable connected to its parent's; cancelling "
       "the root after timeout-ms cancels every descendant at once, in the same turn of the loop. "
       "Structured concurrency rests on that: no child outlives its parent.\n\n"
       "queue (asyncio.Queue): a producer puts an item every wait-min-ms; concurrency consumers "
       "take items, each handling one with a wait. Idle consumers await the next item; every item "
       "is consumed exactly once.\n\n"
       "In GLib the same parts have other names: a coroutine is a chain of callbacks (or a GTask), "
       "await is returning to the loop with a source attached, and cancellation is a GCancellable "
       "whose handlers run where it is cancelled. Times are measured on the loop thread with a "
       "monotonic clock; the waits are GLib timeouts, which fire to the millisecond.");

  experiment_class->validate = ptl_async_patterns_experiment_validate;
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Wall / sum", PTL_HEADLINE_MIN);
  experiment_class->run = ptl_async_patterns_experiment_run;
  experiment_class->count_tasks = ptl_async_patterns_experiment_count_tasks;

  properties[PROP_PATTERN] =
    g_param_spec_enum ("pattern", N_("Pattern"),
                       N_("Which pattern to play, or all of them one after the other"),
                       PTL_TYPE_ASYNC_PATTERN, PTL_ASYNC_PATTERN_ALL, flags);
  {
    static const char * const labels[] = {
      N_("Wait for all (gather)"), N_("First completed (wait)"), N_("Bounded (Semaphore)"),
      N_("Timeouts (wait_for)"), N_("Cancel a tree (TaskGroup)"), N_("Producer and consumers (Queue)"),
      N_("All of them"), NULL
    };

    ptl_param_set_choice_labels (properties[PROP_PATTERN], labels);
  }
  properties[PROP_TASKS] =
    g_param_spec_uint ("tasks", N_("Tasks"),
                       N_("Tasks in each pattern (items, in the queue pattern)"),
                       2, 200, 10, flags);
  ptl_param_set_unit (properties[PROP_TASKS], N_("tasks"));
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", N_("Concurrency"),
                       N_("Tasks in flight at once under the semaphore, and consumers of the queue"),
                       1, 100, 3, flags);
  properties[PROP_WAIT_MIN_MS] =
    g_param_spec_uint ("wait-min-ms", N_("Shortest wait"),
                       N_("The shortest a task awaits its slow operation"),
                       1, 5000, 20, flags);
  ptl_param_set_unit (properties[PROP_WAIT_MIN_MS], "ms");
  properties[PROP_WAIT_MAX_MS] =
    g_param_spec_uint ("wait-max-ms", N_("Longest wait"),
                       N_("The longest a task awaits its slow operation; waits are drawn evenly in between"),
                       1, 10000, 200, flags);
  ptl_param_set_unit (properties[PROP_WAIT_MAX_MS], "ms");
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", N_("Timeout"),
                       N_("wait_for's timeout on each task, and when the tree's root is cancelled"),
                       1, 10000, 120, flags);
  ptl_param_set_unit (properties[PROP_TIMEOUT_MS], "ms");
  properties[PROP_CPU_US] =
    g_param_spec_uint ("cpu-us", N_("Work on the loop"),
                       N_("How long a task runs on the loop before and after its wait"),
                       0, 100000, 500, flags);
  ptl_param_set_unit (properties[PROP_CPU_US], "µs");
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", N_("Seed"),
                       N_("The random seed of the waits: the same seed gives the same waits"),
                       0, G_MAXUINT32, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_async_patterns_experiment_init (PtlAsyncPatternsExperiment *self)
{
  self->pattern = PTL_ASYNC_PATTERN_ALL;
  self->tasks = 10;
  self->concurrency = 3;
  self->wait_min_ms = 20;
  self->wait_max_ms = 200;
  self->timeout_ms = 120;
  self->cpu_us = 500;
  self->seed = 1;
}

GType
ptl_async_pattern_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_ASYNC_PATTERN_GATHER, "PTL_ASYNC_PATTERN_GATHER", "gather" },
    { PTL_ASYNC_PATTERN_FIRST, "PTL_ASYNC_PATTERN_FIRST", "first" },
    { PTL_ASYNC_PATTERN_BOUNDED, "PTL_ASYNC_PATTERN_BOUNDED", "bounded" },
    { PTL_ASYNC_PATTERN_TIMEOUT, "PTL_ASYNC_PATTERN_TIMEOUT", "timeout" },
    { PTL_ASYNC_PATTERN_CANCEL_TREE, "PTL_ASYNC_PATTERN_CANCEL_TREE", "cancel-tree" },
    { PTL_ASYNC_PATTERN_QUEUE, "PTL_ASYNC_PATTERN_QUEUE", "queue" },
    { PTL_ASYNC_PATTERN_ALL, "PTL_ASYNC_PATTERN_ALL", "all" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlAsyncPattern", values);
}
