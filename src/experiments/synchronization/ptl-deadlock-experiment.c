/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-deadlock-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-deadlock-experiment.h"
#include "ptl-thread-team.h"

/* "deadlock": T threads each take K of L instrumented mutexes, hold them
 * a moment and let go, round after round; in random order or in one
 * global order (sorted by lock number). Each repeat is a fresh table of
 * locks under a fresh deadlock watchdog; a repeat that locks up is
 * caught, aborted and counted, with how long the watchdog took from the
 * cycle's last edge to its report. Orders alternate repeat by repeat so
 * both see the same machine. */

struct _PtlDeadlockExperiment
{
  PtlExperiment     parent_instance;

  guint             threads;
  guint             locks;
  guint             take;
  PtlDeadlockOrders orders;
  guint             repeats;
  guint             rounds;
  guint             hold_us;
  guint             pause_us;
  guint             watchdog_ms;
  guint             seed;
};

enum {
  PROP_0,
  PROP_THREADS,
  PROP_LOCKS,
  PROP_TAKE,
  PROP_ORDERS,
  PROP_REPEATS,
  PROP_ROUNDS,
  PROP_HOLD_US,
  PROP_PAUSE_US,
  PROP_WATCHDOG_MS,
  PROP_SEED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlDeadlockExperiment, ptl_deadlock_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define MAX_THREADS 32
#define MAX_LOCKS   64
#define MAX_TAKE    8

typedef enum
{
  ORDER_RANDOM,
  ORDER_GLOBAL,
  N_ORDERS
} Order;

static const char * const order_names[] = {
  N_("Random order"),
  N_("Global order"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (order_names) == N_ORDERS);

static const char * const order_ids[] = { "random", "global" };

static const char * const orders_labels[] = {
  N_("Both, alternating"),
  N_("Random order only"),
  N_("Global order only"),
  NULL,
};

typedef struct
{
  PtlDeadlockExperiment *self;
  GCancellable          *cancellable;
  Order                  order;
  guint                  repeat;
  gint                   stop;
  PtlThreadTrack        *tracks[MAX_THREADS];
  PtlMutex               locks[MAX_LOCKS];
} Table;

static void
worker (guint    index,
        gpointer data)
{
  Table *table = data;
  PtlDeadlockExperiment *self = table->self;
  PtlThreadTrack *track = table->tracks[index];
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed * 7919u + table->repeat * 131u + index);
  guint pool[MAX_LOCKS];
  PtlHold holds[MAX_TAKE];

  ptl_thread_track_begin (track);
  for (guint round = 0; round < self->rounds; round++)
    {
      guint *pick = pool;
      guint n_held = 0;

      if (g_atomic_int_get (&table->stop) || ptl_thread_track_is_aborted (track))
        break;
      /* K distinct locks: the first K of a partial shuffle. */
      for (guint i = 0; i < self->locks; i++)
        pool[i] = i;
      for (guint i = 0; i < self->take; i++)
        {
          guint j = i + g_rand_int_range (rand, 0, (gint32) (self->locks - i));
          guint t = pool[i];

          pool[i] = pool[j];
          pool[j] = t;
        }
      if (table->order == ORDER_GLOBAL)
        for (guint i = 1; i < self->take; i++)
          for (guint j = i; j > 0 && pick[j - 1] > pick[j]; j--)
            {
              guint t = pick[j];

              pick[j] = pick[j - 1];
              pick[j - 1] = t;
            }

      for (; n_held < self->take; n_held++)
        {
          if (n_held > 0 && self->pause_us > 0)
            ptl_clock_sleep_ns ((gint64) self->pause_us * 1000, table->cancellable);
          if (!ptl_mutex_lock (&table->locks[pick[n_held]], track, &holds[n_held]))
            break;
        }
      if (n_held == self->take && self->hold_us > 0)
        ptl_clock_sleep_ns ((gint64) self->hold_us * 1000, table->cancellable);
      while (n_held > 0)
        {
          n_held--;
          ptl_mutex_unlock (&table->locks[pick[n_held]], track, &holds[n_held]);
        }
    }
  ptl_thread_track_finish (track);
}

/* One repeat; @watchdog out, the repeat's watchdog (stopped). */
static gboolean
run_repeat (PtlDeadlockExperiment  *self,
            Order                   order,
            guint                   repeat,
            GCancellable           *cancellable,
            PtlDeadlockWatchdog   **watchdog_out,
            GError                **error)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (256);
  g_autoptr(PtlDeadlockWatchdog) watchdog = ptl_deadlock_watchdog_new (recorder, self->watchdog_ms);
  g_autofree Table *table = g_new0 (Table, 1);
  gboolean ok;

  table->self = self;
  table->cancellable = cancellable;
  table->order = order;
  table->repeat = repeat;
  for (guint t = 0; t < self->threads; t++)
    {
      g_autofree char *name = g_strdup_printf (_("Thread %u"), t + 1);

      table->tracks[t] = ptl_thread_recorder_add_thread (recorder, name);
    }
  for (guint l = 0; l < self->locks; l++)
    {
      g_autofree char *name = g_strdup_printf (_("Lock %u"), l + 1);

      ptl_mutex_init (&table->locks[l], recorder, name);
      ptl_deadlock_watchdog_watch (watchdog, &table->locks[l].base);
    }

  ok = ptl_deadlock_watchdog_start (watchdog, cancellable, error);
  if (ok)
    {
      ok = ptl_thread_team_run (self->threads, worker, table, &table->stop, cancellable, error);
      ptl_deadlock_watchdog_stop (watchdog);
    }
  for (guint l = 0; l < self->locks; l++)
    ptl_mutex_clear (&table->locks[l]);
  if (ok)
    *watchdog_out = g_steal_pointer (&watchdog);
  return ok;
}

static gboolean
ptl_deadlock_experiment_run (PtlExperiment  *experiment,
                             PtlRun         *run,
                             GError        **error)
{
  PtlDeadlockExperiment *self = PTL_DEADLOCK_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  Order first = self->orders == PTL_DEADLOCK_ORDERS_GLOBAL ? ORDER_GLOBAL : ORDER_RANDOM;
  Order last = self->orders == PTL_DEADLOCK_ORDERS_RANDOM ? ORDER_RANDOM : ORDER_GLOBAL;
  g_autoptr(GArray) random_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) global_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *latencies[N_ORDERS] = { random_latencies, global_latencies };
  g_autoptr(PtlDeadlockWatchdog) example = NULL;
  guint deadlocks[N_ORDERS] = { 0 }, runs[N_ORDERS] = { 0 };
  gint64 cpu_ns = 0, wall_ns = 0;
  g_autoptr(GPtrArray) category_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) category_names = g_ptr_array_new ();
  PtlChart *share_chart, *latency_chart;
  PtlSeries *share_series;
  PtlTable *summary;
  guint columns[8];
  guint n_steps = self->repeats * (last - first + 1), step = 0;

  for (guint r = 0; r < self->repeats; r++)
    for (Order o = first; o <= last; o++)
      {
        g_autoptr(PtlDeadlockWatchdog) watchdog = NULL;

        ptl_run_progress (run, (double) step++ / n_steps, _("%s, repeat %u of %u"), _(order_names[o]), r + 1,
                          self->repeats);
        if (!run_repeat (self, o, r, cancellable, &watchdog, error))
          return FALSE;
        runs[o]++;
        cpu_ns += ptl_deadlock_watchdog_get_cpu_ns (watchdog);
        wall_ns += ptl_deadlock_watchdog_get_wall_ns (watchdog);
        if (ptl_deadlock_watchdog_found (watchdog))
          {
            double latency = (ptl_deadlock_watchdog_get_detected_ns (watchdog) -
                              ptl_deadlock_watchdog_get_formed_ns (watchdog)) / 1e9;

            deadlocks[o]++;
            g_array_append_val (latencies[o], latency);
            if (example == NULL)
              example = g_steal_pointer (&watchdog);
          }
      }

  share_chart = ptl_result_add_chart (result, "deadlocks", PTL_CHART_BAR, _("Runs that deadlocked, by lock order"));
  ptl_chart_set_y_axis (share_chart, _("Runs that deadlocked"), "%", FALSE);
  for (Order o = first; o <= last; o++)
    {
      g_ptr_array_add (category_ids, (gpointer) order_ids[o]);
      g_ptr_array_add (category_names, (gpointer) _(order_names[o]));
    }
  g_ptr_array_add (category_ids, NULL);
  g_ptr_array_add (category_names, NULL);
  ptl_chart_set_categories_with_ids (share_chart, (const char * const *) category_ids->pdata,
                                     (const char * const *) category_names->pdata);
  share_series = ptl_chart_add_series_with_id (share_chart, "deadlocked", _("Deadlocked"));

  latency_chart = ptl_result_add_chart (result, "latency", PTL_CHART_LINE,
                                        _("Detection latency: from the cycle's last edge to the report"));
  ptl_chart_set_x_axis (latency_chart, _("Latency"), "s", FALSE);
  ptl_chart_set_y_axis (latency_chart, _("Deadlocks detected within"), "%", FALSE);
  ptl_chart_add_reference (latency_chart, PTL_REFERENCE_VERTICAL, 0.1, _("100 ms"));

  summary = ptl_result_get_summary (result);
  columns[0] = ptl_table_add_column_with_id (summary, "order", _("Order"), NULL);
  columns[1] = ptl_table_add_column_with_id (summary, "runs", _("Runs"), NULL);
  columns[2] = ptl_table_add_column_with_id (summary, "deadlocked", _("Deadlocked"), NULL);
  columns[3] = ptl_table_add_column_with_id (summary, "share", _("Share"), "%");
  columns[4] = ptl_table_add_column_with_id (summary, "latency-median", _("Latency (median)"), "s");
  columns[5] = ptl_table_add_column_with_id (summary, "latency-p95", _("Latency (p95)"), "s");
  columns[6] = ptl_table_add_column_with_id (summary, "latency-max", _("Latency (max)"), "s");
  columns[7] = ptl_table_add_column_with_id (summary, "within-100ms", _("Within 100 ms"), "%");

  for (Order o = first; o <= last; o++)
    {
      GArray *l = latencies[o];
      guint row = ptl_table_add_row_with_id (summary, order_ids[o]);
      double share = runs[o] > 0 ? 100.0 * deadlocks[o] / runs[o] : NAN;

      ptl_series_add_point (share_series, o - first, share);
      ptl_table_set_text (summary, row, columns[0], _(order_names[o]));
      ptl_table_set_number (summary, row, columns[1], runs[o]);
      ptl_table_set_number (summary, row, columns[2], deadlocks[o]);
      ptl_table_set_number (summary, row, columns[3], share);
      if (l->len > 0)
        {
          g_autofree double *values = NULL, *percent = NULL;
          g_autofree char *samples_name = g_strdup_printf ("latency-%s", order_ids[o]);
          PtlSeries *series = ptl_chart_add_series_with_id (latency_chart, order_ids[o], _(order_names[o]));
          guint n_points = ptl_stats_cdf ((double *) (gpointer) l->data, l->len, 10, 1, &values, &percent);
          guint within = 0;
          PtlStats stats;

          ptl_stats_compute (&stats, (double *) (gpointer) l->data, l->len);
          for (guint i = 0; i < l->len; i++)
            within += g_array_index (l, double, i) < 0.1;
          for (guint i = 0; i < n_points; i++)
            ptl_series_add_point (series, values[i], percent[i]);
          ptl_table_set_number (summary, row, columns[4], stats.median);
          ptl_table_set_number (summary, row, columns[5], stats.p95);
          ptl_table_set_number (summary, row, columns[6], stats.max);
          ptl_table_set_number (summary, row, columns[7], 100.0 * within / l->len);
          ptl_result_add_samples (result, samples_name, "s", (double *) (gpointer) l->data, l->len);
        }
    }

  if (example != NULL)
    {
      g_autofree char *cycle = ptl_deadlock_watchdog_dup_description (example);

      ptl_deadlock_watchdog_add_chart (example, result, "wait-for", _("Wait-for graph of the first deadlock"));
      ptl_result_add_note (result, _("The first deadlock: %s."), cycle);
    }
  if (last == ORDER_GLOBAL && runs[ORDER_GLOBAL] > 0)
    ptl_result_add_note (result,
                         deadlocks[ORDER_GLOBAL] == 0
                         ? _("Global order: no run deadlocked, as none can: a thread waits only for a lock "
                             "numbered above every lock it holds, so no cycle of waits can close.")
                         : _("Global order: a run deadlocked, which a global order rules out; the lab has a bug."));
  ptl_result_add_note (result,
                       _("%u threads each took %u of %u locks, %u rounds a run, %u µs between two locks and "
                         "%u µs holding them. The watchdog looked every %u ms and used %.3f %% of one CPU "
                         "over all runs."),
                       self->threads, self->take, self->locks, self->rounds, self->pause_us, self->hold_us,
                       self->watchdog_ms, 100.0 * cpu_ns / MAX (wall_ns, 1));
  ptl_run_progress (run, 1, _("Done"));
  return TRUE;
}

static gboolean
ptl_deadlock_experiment_validate (PtlExperiment  *experiment,
                                  GError        **error)
{
  PtlDeadlockExperiment *self = PTL_DEADLOCK_EXPERIMENT (experiment);

  if (self->take > self->locks)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Each thread takes %u locks but there are only %u: set take to at most locks"),
                   self->take, self->locks);
      return FALSE;
    }
  return TRUE;
}

static guint
ptl_deadlock_experiment_count_tasks (PtlExperiment *experiment)
{
  /* The threads and the watchdog. */
  return PTL_DEADLOCK_EXPERIMENT (experiment)->threads + 1;
}

static void
ptl_deadlock_experiment_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PtlDeadlockExperiment *self = PTL_DEADLOCK_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_LOCKS:
      g_value_set_uint (value, self->locks);
      break;
    case PROP_TAKE:
      g_value_set_uint (value, self->take);
      break;
    case PROP_ORDERS:
      g_value_set_enum (value, self->orders);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    case PROP_ROUNDS:
      g_value_set_uint (value, self->rounds);
      break;
    case PROP_HOLD_US:
      g_value_set_uint (value, self->hold_us);
      break;
    case PROP_PAUSE_US:
      g_value_set_uint (value, self->pause_us);
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
ptl_deadlock_experiment_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PtlDeadlockExperiment *self = PTL_DEADLOCK_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_THREADS:
      ptl_param_store_uint (object, &self->threads, value, pspec);
      break;
    case PROP_LOCKS:
      ptl_param_store_uint (object, &self->locks, value, pspec);
      break;
    case PROP_TAKE:
      ptl_param_store_uint (object, &self->take, value, pspec);
      break;
    case PROP_ORDERS:
      ptl_param_store_enum (object, (int *) &self->orders, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    case PROP_ROUNDS:
      ptl_param_store_uint (object, &self->rounds, value, pspec);
      break;
    case PROP_HOLD_US:
      ptl_param_store_uint (object, &self->hold_us, value, pspec);
      break;
    case PROP_PAUSE_US:
      ptl_param_store_uint (object, &self->pause_us, value, pspec);
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
ptl_deadlock_experiment_class_init (PtlDeadlockExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "deadlocks", N_("Share of runs that deadlocked, by lock order") },
    { "latency", N_("Distribution of the detection latency") },
    { "wait-for", N_("Wait-for graph of the first deadlock") },
    { NULL },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_deadlock_experiment_get_property;
  object_class->set_property = ptl_deadlock_experiment_set_property;

  experiment_class->id = "deadlock";
  experiment_class->title = N_("Deadlock detection");
  experiment_class->category = N_("Synchronization");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "share", PTL_HEADLINE_MAX);
  experiment_class->summary =
    N_("Threads take several of a set of locks, in random order or in one global order, over many runs: "
       "how often each order deadlocks, how fast a watchdog catches it, and the wait-for graph of a "
       "cycle it caught.");
  experiment_class->explanation =
    N_("A deadlock needs four things at once: locks held exclusively, held while waiting for another, "
       "never taken away, and a cycle of waits (A waits for a lock B holds while B waits for one A "
       "holds). Threads that take their locks in any order they like can close such a cycle whenever "
       "their takes interleave badly; the pause between two takes makes that likelier. The first chart "
       "counts it over repeats.\n\n"
       "A global order breaks the cycle condition: number the locks and always take a lower number "
       "before a higher one. A thread then only ever waits for a lock numbered above all it holds, so "
       "following the waits from thread to thread the numbers only grow and can never come back to "
       "the start. The global-order bar stays at zero however long it runs.\n\n"
       "Detection. A watchdog thread builds the wait-for graph from the locks' owners and what each "
       "thread waits for, finds a cycle and confirms it with a second look. Latency is measured from "
       "the moment the cycle's last edge appeared (the start of the last wait, stamped by the waiting "
       "thread itself) to the confirmation; with the default 20 ms period half of them take about one "
       "period or less. Then every wait is aborted and every thread joined, and the next run starts "
       "clean. The wait-for graph shows the first cycle caught: threads as circles, locks as squares, "
       "the cycle highlighted; threads waiting outside the cycle hang off it.");

  experiment_class->validate = ptl_deadlock_experiment_validate;
  experiment_class->count_tasks = ptl_deadlock_experiment_count_tasks;
  experiment_class->run = ptl_deadlock_experiment_run;

  properties[PROP_THREADS] =
    g_param_spec_uint ("threads", N_("Threads"), N_("Threads taking locks at once"),
                       2, MAX_THREADS, 4, flags);
  ptl_param_set_unit (properties[PROP_THREADS], N_("threads"));
  properties[PROP_LOCKS] =
    g_param_spec_uint ("locks", N_("Locks"), N_("Mutexes to choose from"),
                       2, MAX_LOCKS, 6, flags);
  properties[PROP_TAKE] =
    g_param_spec_uint ("take", N_("Locks per thread"), N_("How many of the locks a thread holds at once"),
                       2, MAX_TAKE, 2, flags);
  properties[PROP_ORDERS] =
    g_param_spec_enum ("orders", N_("Lock order"),
                       N_("Random order, one global order, or both in alternating runs"),
                       PTL_TYPE_DEADLOCK_ORDERS, PTL_DEADLOCK_ORDERS_BOTH, flags);
  ptl_param_set_choice_labels (properties[PROP_ORDERS], orders_labels);
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"), N_("Runs of each order"),
                       1, 1000, 20, flags);
  properties[PROP_ROUNDS] =
    g_param_spec_uint ("rounds", N_("Rounds"), N_("Times each thread takes and releases its locks in a run"),
                       1, 100000, 200, flags);
  properties[PROP_HOLD_US] =
    g_param_spec_uint ("hold-us", N_("Hold time"), N_("How long a thread holds its locks"),
                       0, 100000, 200, flags);
  ptl_param_set_unit (properties[PROP_HOLD_US], N_("µs"));
  properties[PROP_PAUSE_US] =
    g_param_spec_uint ("pause-us", N_("Pause between locks"), N_("Time between taking one lock and the next"),
                       0, 100000, 200, flags);
  ptl_param_set_unit (properties[PROP_PAUSE_US], N_("µs"));
  properties[PROP_WATCHDOG_MS] =
    g_param_spec_uint ("watchdog-ms", N_("Watchdog period"),
                       N_("How often the deadlock watchdog looks at the wait-for graph"),
                       1, 1000, PTL_DEADLOCK_WATCHDOG_DEFAULT_PERIOD_MS, flags);
  ptl_param_set_unit (properties[PROP_WATCHDOG_MS], N_("ms"));
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", N_("Seed"), N_("Seed of the locks each thread picks"),
                       0, G_MAXUINT, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_deadlock_experiment_init (PtlDeadlockExperiment *self)
{
  self->threads = 4;
  self->locks = 6;
  self->take = 2;
  self->orders = PTL_DEADLOCK_ORDERS_BOTH;
  self->repeats = 20;
  self->rounds = 200;
  self->hold_us = 200;
  self->pause_us = 200;
  self->watchdog_ms = PTL_DEADLOCK_WATCHDOG_DEFAULT_PERIOD_MS;
  self->seed = 1;
}

GType
ptl_deadlock_orders_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_DEADLOCK_ORDERS_BOTH, "PTL_DEADLOCK_ORDERS_BOTH", "both" },
    { PTL_DEADLOCK_ORDERS_RANDOM, "PTL_DEADLOCK_ORDERS_RANDOM", "random" },
    { PTL_DEADLOCK_ORDERS_GLOBAL, "PTL_DEADLOCK_ORDERS_GLOBAL", "global" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlDeadlockOrders", values);
}
