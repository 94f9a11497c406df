/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sched-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-sched-table.h"
#include "ptl-sched-experiment.h"
#include "ptl-sched-experiment-private.h"

/* "CPU scheduling": the textbook algorithms on one workload, run through
 * the simulator of ptl-sched-sim.c (exact and deterministic), drawn as
 * Gantt charts on one time axis and compared by their averages. Nothing
 * is measured, so the result is the same on every machine. */

struct _PtlSchedExperiment
{
  PtlExperiment     parent_instance;

  /* parameters */
  PtlSchedAlgorithm algorithm; /* or PTL_SCHED_ALGORITHM_ALL */
  char             *workload;
  guint             processes;
  guint             seed;
  guint             quantum;
  guint             aging;
  guint             mlfq_levels;
  guint             mlfq_quantum;
  guint             mlfq_boost;
  guint             switch_cost;
  double            time_unit_ms;
};

enum {
  PROP_0,
  PROP_ALGORITHM,
  PROP_WORKLOAD,
  PROP_PROCESSES,
  PROP_SEED,
  PROP_QUANTUM,
  PROP_AGING,
  PROP_MLFQ_LEVELS,
  PROP_MLFQ_QUANTUM,
  PROP_MLFQ_BOOST,
  PROP_SWITCH_COST,
  PROP_TIME_UNIT_MS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlSchedExperiment, ptl_sched_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

/* The default is the convoy generator's classic picture: one long job at
 * time 0 and four short ones arriving just behind it (seed 1). */
#define DEFAULT_WORKLOAD  "convoy"
#define DEFAULT_PROCESSES 5
#define DEFAULT_SEED      1
#define MAX_TIME_PARAM    1000000
/* Workloads up to this size are spelled out in a note. */
#define DESCRIBE_MAX      12

/* Summary columns: identifiers, like the parameter names. */
enum {
  COLUMN_ALGORITHM,
  COLUMN_WAITING,
  COLUMN_TURNAROUND,
  COLUMN_RESPONSE,
  COLUMN_THROUGHPUT,
  COLUMN_UTILISATION,
  COLUMN_SWITCHES,
  COLUMN_MAKESPAN,
};

/* Shared with "sched-real" (ptl-sched-experiment-private.h) */

PtlSchedWorkload *
_ptl_sched_workload_resolve (const char  *spec,
                             guint        n,
                             guint32      seed,
                             GError     **error)
{
  const char * const *kinds = ptl_sched_workload_list_kinds ();
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autofree char *lower = NULL;
  gboolean looks_like_path;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strv_contains (kinds, spec))
    return ptl_sched_workload_generate (spec, n, seed, error);

  /* A misspelt generator name should not read "no such file". */
  lower = g_ascii_strdown (spec, -1);
  looks_like_path = strchr (spec, G_DIR_SEPARATOR) != NULL ||
                    g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".json") ||
                    g_file_test (spec, G_FILE_TEST_EXISTS);
  if (*spec == '\0' || !looks_like_path)
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) kinds);

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Unknown workload “%s”: expected a generator (%s) or the path of a .csv or .json file"),
                   spec, allowed);
      return NULL;
    }

  workload = ptl_sched_workload_load (spec, error);
  if (workload == NULL)
    return NULL;
  if (ptl_sched_workload_get_n_processes (workload) == 0)
    {
      g_autofree char *display = g_filename_display_name (spec);

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("%s: the workload has no processes"), display);
      return NULL;
    }
  return g_steal_pointer (&workload);
}

char *
_ptl_sched_workload_describe (PtlSchedWorkload *workload,
                              double            seconds_per_unit)
{
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (workload), NULL);

  n = ptl_sched_workload_get_n_processes (workload);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *arrival = NULL;
      const gint64 *bursts;
      guint n_bursts;

      bursts = ptl_sched_workload_get_bursts (workload, i, &n_bursts);
      arrival = ptl_format_value (ptl_sched_workload_get_arrival (workload, i) * seconds_per_unit, "s");
      g_string_append_printf (out, _("%s%s (arrives at %s, priority %d): "),
                              i > 0 ? "; " : "", ptl_sched_workload_get_name (workload, i),
                              arrival, ptl_sched_workload_get_priority (workload, i));
      for (guint b = 0; b < n_bursts; b++)
        {
          g_autofree char *length = ptl_format_value (bursts[b] * seconds_per_unit, "s");

          g_string_append_printf (out, b % 2 == 0 ? _("%sCPU %s") : _("%sI/O %s"),
                                  b > 0 ? ", " : "", length);
        }
    }
  return g_string_free (out, FALSE);
}

PtlChart *
_ptl_sched_add_outcome_chart (PtlResult             *result,
                              const char            *id,
                              const char            *title,
                              PtlSchedWorkload      *workload,
                              const PtlSchedOutcome *outcome,
                              gboolean               with_switch_key,
                              double                 seconds_per_unit,
                              gint64                 end_unit)
{
  g_autofree guint *burst = NULL; /* per process: the CPU burst it is in */
  g_autofree gint64 *left = NULL; /* what remains of that burst */
  PtlChart *chart;
  guint n, idle_lane, idle_key;
  guint io_key = G_MAXUINT, switch_key = G_MAXUINT;
  gboolean has_io = FALSE;

  g_return_val_if_fail (PTL_IS_RESULT (result), NULL);
  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (workload), NULL);
  g_return_val_if_fail (outcome != NULL, NULL);

  n = ptl_sched_workload_get_n_processes (workload);
  g_return_val_if_fail (outcome->n_processes == n, NULL);

  chart = ptl_result_add_chart (result, id, PTL_CHART_TIMELINE, title);
  ptl_chart_set_x_axis (chart, _("Time"), "s", FALSE);

  burst = g_new0 (guint, n);
  left = g_new0 (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      const char *name = ptl_sched_workload_get_name (workload, i);
      const gint64 *bursts;
      guint n_bursts;

      /* Lane i and key i are process i. */
      ptl_chart_add_lane (chart, name);
      ptl_chart_add_key (chart, name, FALSE);
      bursts = ptl_sched_workload_get_bursts (workload, i, &n_bursts);
      left[i] = bursts[0];
      has_io |= n_bursts > 1;
    }
  idle_lane = ptl_chart_add_lane (chart, _(PTL_SCHED_IDLE_LANE_NAME));
  if (has_io)
    io_key = ptl_chart_add_key (chart, _("I/O"), TRUE);
  idle_key = ptl_chart_add_key (chart, _("Idle"), TRUE);
  if (with_switch_key)
    switch_key = ptl_chart_add_key (chart, _("Context switch"), TRUE);

  for (guint i = 0; i < n; i++)
    ptl_chart_add_marker (chart, i, ptl_sched_workload_get_arrival (workload, i) * seconds_per_unit);

  for (guint s = 0; s < outcome->n_slices; s++)
    {
      const PtlSchedSlice *slice = &outcome->slices[s];
      double start = slice->start * seconds_per_unit;
      double end = slice->end * seconds_per_unit;
      guint p;
      const gint64 *bursts;
      guint n_bursts;

      if (slice->process == PTL_SCHED_SLICE_IDLE)
        {
          ptl_chart_add_slice (chart, idle_lane, idle_key, start, end);
          continue;
        }
      if (slice->process == PTL_SCHED_SLICE_SWITCH)
        {
          /* Switch slices exist only with a switch cost, which the caller
           * passes as with_switch_key. */
          g_assert (switch_key != G_MAXUINT);
          ptl_chart_add_slice (chart, idle_lane, switch_key, start, end);
          continue;
        }

      p = (guint) slice->process;
      ptl_chart_add_slice (chart, p, p, start, end);

      /* The simulator's I/O takes exactly its burst from the end of the
       * CPU burst before it, so it can be drawn from the CPU slices. */
      left[p] -= slice->end - slice->start;
      g_assert (left[p] >= 0);
      bursts = ptl_sched_workload_get_bursts (workload, p, &n_bursts);
      if (left[p] == 0 && burst[p] + 1 < n_bursts)
        {
          gint64 io = bursts[burst[p] + 1];

          ptl_chart_add_slice (chart, p, io_key, end, (slice->end + io) * seconds_per_unit);
          burst[p] += 2;
          left[p] = bursts[burst[p]];
        }
    }

  if (end_unit > 0)
    ptl_chart_set_x_range (chart, outcome->totals.start * seconds_per_unit, end_unit * seconds_per_unit);
  return chart;
}

/* Running */

static void
fill_config (PtlSchedExperiment *self,
             PtlSchedAlgorithm   algorithm,
             PtlSchedConfig     *config)
{
  ptl_sched_config_init (config, algorithm);
  config->quantum = self->quantum;
  config->aging_interval = self->aging;
  config->mlfq_levels = self->mlfq_levels;
  /* Each level's slice doubles; the bottom one of several runs bursts to
   * their end (Silberschatz's three queues are 8, 16 and FCFS). */
  for (guint l = 0; l < self->mlfq_levels; l++)
    config->mlfq_quanta[l] = l + 1 == self->mlfq_levels && l > 0 ? 0 : (gint64) self->mlfq_quantum << l;
  config->mlfq_boost_interval = self->mlfq_boost;
  config->switch_cost = self->switch_cost;
}

static gboolean
uses_priorities (PtlSchedAlgorithm algorithm)
{
  return algorithm == PTL_SCHED_PRIORITY || algorithm == PTL_SCHED_PRIORITY_PREEMPTIVE ||
         algorithm == PTL_SCHED_ALGORITHM_ALL;
}

static void
add_table (PtlResult               *result,
           const PtlSchedAlgorithm *algorithms,
           GPtrArray               *outcomes,
           double                   seconds_per_unit)
{
  PtlTable *table = ptl_result_get_summary (result);

  ptl_table_add_column_with_id (table, "algorithm", _("Algorithm"), NULL);
  ptl_table_add_column_with_id (table, "average-waiting", _("Average waiting"), "s");
  ptl_table_add_column_with_id (table, "average-turnaround", _("Average turnaround"), "s");
  ptl_table_add_column_with_id (table, "average-response", _("Average response"), "s");
  ptl_table_add_column_with_id (table, "throughput", _("Throughput"), _("processes/s"));
  ptl_table_add_column_with_id (table, "cpu-utilisation", _("CPU utilisation"), "%");
  ptl_table_add_column_with_id (table, "context-switches", _("Context switches"), NULL);
  ptl_table_add_column_with_id (table, "makespan", _("Makespan"), "s");

  for (guint i = 0; i < outcomes->len; i++)
    {
      const PtlSchedTotals *totals = &((PtlSchedOutcome *) g_ptr_array_index (outcomes, i))->totals;
      guint row = ptl_table_add_row_with_id (table, ptl_sched_algorithm_to_nick (algorithms[i]));

      ptl_table_set_text (table, row, COLUMN_ALGORITHM, ptl_sched_algorithm_get_title (algorithms[i]));
      ptl_table_set_number (table, row, COLUMN_WAITING, totals->avg_waiting * seconds_per_unit);
      ptl_table_set_number (table, row, COLUMN_TURNAROUND, totals->avg_turnaround * seconds_per_unit);
      ptl_table_set_number (table, row, COLUMN_RESPONSE, totals->avg_response * seconds_per_unit);
      ptl_table_set_number (table, row, COLUMN_THROUGHPUT, totals->throughput / seconds_per_unit);
      ptl_table_set_number (table, row, COLUMN_UTILISATION, totals->cpu_utilisation * 100);
      ptl_table_set_number (table, row, COLUMN_SWITCHES, totals->context_switches);
      ptl_table_set_number (table, row, COLUMN_MAKESPAN, totals->makespan * seconds_per_unit);
    }
}

static void
add_bar_charts (PtlResult               *result,
                PtlSchedWorkload        *workload,
                const PtlSchedAlgorithm *algorithms,
                GPtrArray               *outcomes,
                double                   seconds_per_unit)
{
  guint n = ptl_sched_workload_get_n_processes (workload);
  g_autofree const char **nicks = g_new0 (const char *, outcomes->len + 1);
  g_autofree const char **abbreviations = g_new0 (const char *, outcomes->len + 1);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  PtlSeries *waiting, *turnaround, *response;
  PtlChart *chart;

  for (guint i = 0; i < outcomes->len; i++)
    {
      nicks[i] = ptl_sched_algorithm_to_nick (algorithms[i]);
      abbreviations[i] = ptl_sched_algorithm_get_abbreviation (algorithms[i]);
    }
  for (guint p = 0; p < n; p++)
    names[p] = ptl_sched_workload_get_name (workload, p);

  chart = ptl_result_add_chart (result, "averages", PTL_CHART_BAR, _("Average times per algorithm"));
  ptl_chart_set_x_axis (chart, _("Algorithm"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Time"), "s", FALSE);
  ptl_chart_set_categories_with_ids (chart, nicks, abbreviations);
  waiting = ptl_chart_add_series_with_id (chart, "average-waiting", _("Average waiting"));
  turnaround = ptl_chart_add_series_with_id (chart, "average-turnaround", _("Average turnaround"));
  response = ptl_chart_add_series_with_id (chart, "average-response", _("Average response"));
  for (guint i = 0; i < outcomes->len; i++)
    {
      const PtlSchedTotals *totals = &((PtlSchedOutcome *) g_ptr_array_index (outcomes, i))->totals;

      ptl_series_add_point (waiting, i, totals->avg_waiting * seconds_per_unit);
      ptl_series_add_point (turnaround, i, totals->avg_turnaround * seconds_per_unit);
      ptl_series_add_point (response, i, totals->avg_response * seconds_per_unit);
    }

  chart = ptl_result_add_chart (result, "waiting", PTL_CHART_BAR, _("Waiting time per process"));
  ptl_chart_set_x_axis (chart, _("Process"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Waiting time"), "s", FALSE);
  ptl_chart_set_categories (chart, names);
  for (guint i = 0; i < outcomes->len; i++)
    {
      const PtlSchedOutcome *outcome = g_ptr_array_index (outcomes, i);
      PtlSeries *series = ptl_chart_add_series_with_id (chart, nicks[i], abbreviations[i]);

      for (guint p = 0; p < n; p++)
        ptl_series_add_point (series, p, outcome->processes[p].waiting * seconds_per_unit);
    }
}

/* The lowest value of a column, for the reader's note. */
static guint
best_row (PtlTable *table,
          guint     column)
{
  guint best = 0;

  for (guint row = 1; row < ptl_table_get_n_rows (table); row++)
    if (ptl_table_get_number (table, row, column) < ptl_table_get_number (table, best, column))
      best = row;
  return best;
}

static void
add_notes (PtlSchedExperiment *self,
           PtlResult          *result,
           PtlSchedWorkload   *workload)
{
  guint n = ptl_sched_workload_get_n_processes (workload);
  double seconds_per_unit = self->time_unit_ms / 1000;

  if (g_strv_contains (ptl_sched_workload_list_kinds (), self->workload))
    ptl_result_add_note (result,
                         ngettext ("Workload: the %s generator, %u process, seed %u.",
                                   "Workload: the %s generator, %u processes, seed %u.", n),
                         self->workload, n, self->seed);
  else
    {
      g_autofree char *display = g_filename_display_name (self->workload);

      ptl_result_add_note (result, ngettext ("Workload: %s, %u process.", "Workload: %s, %u processes.", n),
                           display, n);
    }
  if (n <= DESCRIBE_MAX)
    {
      g_autofree char *description = _ptl_sched_workload_describe (workload, seconds_per_unit);

      ptl_result_add_note (result, "%s.", description);
    }
  ptl_result_add_note (result, _("One time unit of the workload stands for %g ms (time-unit-ms); "
                                 "the simulator counts whole units."),
                       self->time_unit_ms);
  if (uses_priorities (self->algorithm))
    ptl_result_add_note (result, _("A lower priority number means a higher priority (0 runs before 7), "
                                   "as in the common textbooks."));

  if (self->algorithm == PTL_SCHED_ALGORITHM_ALL)
    {
      PtlTable *table = ptl_result_get_summary (result);
      guint waiting = best_row (table, COLUMN_WAITING);
      guint response = best_row (table, COLUMN_RESPONSE);
      g_autofree char *waiting_text = ptl_table_format_cell (table, waiting, COLUMN_WAITING);
      g_autofree char *response_text = ptl_table_format_cell (table, response, COLUMN_RESPONSE);

      ptl_result_add_note (result, _("Lowest average waiting time: %s (%s). Lowest average response time: %s (%s)."),
                           ptl_table_get_text (table, waiting, COLUMN_ALGORITHM), waiting_text,
                           ptl_table_get_text (table, response, COLUMN_ALGORITHM), response_text);
    }
}

static gboolean
ptl_sched_experiment_validate (PtlExperiment  *experiment,
                               GError        **error)
{
  PtlSchedExperiment *self = PTL_SCHED_EXPERIMENT (experiment);
  g_autoptr(PtlSchedWorkload) workload = NULL;

  workload = _ptl_sched_workload_resolve (self->workload, self->processes, self->seed, error);
  return workload != NULL;
}

static gboolean
ptl_sched_experiment_run (PtlExperiment  *experiment,
                          PtlRun         *run,
                          GError        **error)
{
  PtlSchedExperiment *self = PTL_SCHED_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) ptl_sched_outcome_free);
  PtlSchedAlgorithm algorithms[PTL_SCHED_N_ALGORITHMS];
  double seconds_per_unit = self->time_unit_ms / 1000;
  guint n_algorithms = 0;
  gint64 end = 0;

  workload = _ptl_sched_workload_resolve (self->workload, self->processes, self->seed, error);
  if (workload == NULL)
    return FALSE;

  if (self->algorithm == PTL_SCHED_ALGORITHM_ALL)
    for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
      algorithms[n_algorithms++] = (PtlSchedAlgorithm) a;
  else
    algorithms[n_algorithms++] = self->algorithm;

  for (guint i = 0; i < n_algorithms; i++)
    {
      PtlSchedOutcome *outcome;
      PtlSchedConfig config;

      if (ptl_run_set_error_if_cancelled (run, error))
        return FALSE;
      ptl_run_progress (run, (double) i / n_algorithms, _("Simulating %s"),
                        ptl_sched_algorithm_get_title (algorithms[i]));
      fill_config (self, algorithms[i], &config);
      outcome = ptl_sched_simulate (workload, &config, error);
      if (outcome == NULL)
        return FALSE;
      g_ptr_array_add (outcomes, outcome);
      end = MAX (end, outcome->totals.start + outcome->totals.makespan);
    }

  for (guint i = 0; i < n_algorithms; i++)
    {
      const PtlSchedOutcome *outcome = g_ptr_array_index (outcomes, i);
      g_autofree char *id = g_strdup_printf ("gantt-%s", ptl_sched_algorithm_to_nick (algorithms[i]));

      _ptl_sched_add_outcome_chart (result, id, ptl_sched_algorithm_get_title (algorithms[i]), workload,
                                    outcome, self->switch_cost > 0, seconds_per_unit, end);
    }
  add_bar_charts (result, workload, algorithms, outcomes, seconds_per_unit);
  add_table (result, algorithms, outcomes, seconds_per_unit);
  add_notes (self, result, workload);

  ptl_run_progress (run, 1, _("Simulated %u algorithms"), n_algorithms);
  return TRUE;
}

static void
ptl_sched_experiment_finalize (GObject *object)
{
  PtlSchedExperiment *self = PTL_SCHED_EXPERIMENT (object);

  g_clear_pointer (&self->workload, g_free);

  G_OBJECT_CLASS (ptl_sched_experiment_parent_class)->finalize (object);
}

static void
ptl_sched_experiment_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PtlSchedExperiment *self = PTL_SCHED_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_ALGORITHM:
      g_value_set_enum (value, self->algorithm);
      break;
    case PROP_WORKLOAD:
      g_value_set_string (value, self->workload);
      break;
    case PROP_PROCESSES:
      g_value_set_uint (value, self->processes);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_QUANTUM:
      g_value_set_uint (value, self->quantum);
      break;
    case PROP_AGING:
      g_value_set_uint (value, self->aging);
      break;
    case PROP_MLFQ_LEVELS:
      g_value_set_uint (value, self->mlfq_levels);
      break;
    case PROP_MLFQ_QUANTUM:
      g_value_set_uint (value, self->mlfq_quantum);
      break;
    case PROP_MLFQ_BOOST:
      g_value_set_uint (value, self->mlfq_boost);
      break;
    case PROP_SWITCH_COST:
      g_value_set_uint (value, self->switch_cost);
      break;
    case PROP_TIME_UNIT_MS:
      g_value_set_double (value, self->time_unit_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_sched_experiment_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PtlSchedExperiment *self = PTL_SCHED_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_ALGORITHM:
      ptl_param_store_enum (object, (int *) &self->algorithm, value, pspec);
      break;
    case PROP_WORKLOAD:
      ptl_param_store_string (object, &self->workload, value, pspec);
      break;
    case PROP_PROCESSES:
      ptl_param_store_uint (object, &self->processes, value, pspec);
      break;
    case PROP_SEED:
      ptl_param_store_uint (object, &self->seed, value, pspec);
      break;
    case PROP_QUANTUM:
      ptl_param_store_uint (object, &self->quantum, value, pspec);
      break;
    case PROP_AGING:
      ptl_param_store_uint (object, &self->aging, value, pspec);
      break;
    case PROP_MLFQ_LEVELS:
      ptl_param_store_uint (object, &self->mlfq_levels, value, pspec);
      break;
    case PROP_MLFQ_QUANTUM:
      ptl_param_store_uint (object, &self->mlfq_quantum, value, pspec);
      break;
    case PROP_MLFQ_BOOST:
      ptl_param_store_uint (object, &self->mlfq_boost, value, pspec);
      break;
    case PROP_SWITCH_COST:
      ptl_param_store_uint (object, &self->switch_cost, value, pspec);
      break;
    case PROP_TIME_UNIT_MS:
      ptl_param_store_double (object, &self->time_unit_ms, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_sched_experiment_class_init (PtlSchedExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "gantt-fcfs", N_("Gantt chart: first come, first served") },
    { "gantt-sjf", N_("Gantt chart: shortest job first") },
    { "gantt-srtf", N_("Gantt chart: shortest remaining time first") },
    { "gantt-rr", N_("Gantt chart: round robin") },
    { "gantt-priority", N_("Gantt chart: priority") },
    { "gantt-priority-preemptive", N_("Gantt chart: priority (preemptive)") },
    { "gantt-mlfq", N_("Gantt chart: multilevel feedback queue") },
    { "averages", N_("Average times per algorithm") },
    { "waiting", N_("Waiting time per process") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ptl_sched_experiment_finalize;
  object_class->get_property = ptl_sched_experiment_get_property;
  object_class->set_property = ptl_sched_experiment_set_property;

  experiment_class->id = "sched";
  experiment_class->title = N_("CPU scheduling");
  experiment_class->category = N_("Scheduling");
  experiment_class->summary =
    N_("The textbook CPU-scheduling algorithms (FCFS, SJF, SRTF, round robin, priority with and "
       "without preemption, MLFQ) run on one workload in a simulator of a single CPU: a Gantt "
       "chart for each on one time axis, and their average waiting, turnaround and response "
       "times side by side.");
  experiment_class->explanation =
    N_("A scheduler decides which ready process the CPU runs next. This experiment simulates one "
       "CPU exactly, so every algorithm sees the same workload and the differences are the "
       "algorithms' alone. Each Gantt chart has a lane per process (coloured while it runs, grey "
       "while it does I/O, a mark where it arrives) and a lane for the time the CPU is idle or "
       "switching.\n\n"
       "The measures. Waiting time is the time a process spends ready but not running; "
       "turnaround runs from its arrival to its completion; response from its arrival to the "
       "first time it runs, which is what an interactive user feels. Throughput counts processes "
       "finished per second, utilisation the share of the time the CPU ran a process, and every "
       "dispatch of a different process is a context switch.\n\n"
       "FCFS (first come, first served) runs processes in arrival order, each burst to its end. "
       "It is simple, but one long job at the head of the queue makes every short job behind it "
       "wait: the convoy effect. The default workload is made to show it, with a long job first "
       "and short ones arriving right behind it.\n\n"
       "SJF (shortest job first) runs the ready process with the shortest next CPU burst, and "
       "SRTF (shortest remaining time first) is its preemptive form, which switches as soon as "
       "an arrival needs less than what the running process has left. Putting a short job before "
       "a long one saves the short one more than it costs the long one, so SJF gives the lowest "
       "average waiting time of all non-preemptive schedules, and SRTF of all. But a real "
       "scheduler does not know the next burst (it can only predict it, for example from an "
       "exponential average of the past ones), and a steady stream of short jobs can postpone a "
       "long one forever: starvation. Note in the default workload how non-preemptive SJF cannot "
       "help the short jobs, because the long one is already running when they arrive.\n\n"
       "RR (round robin) gives each process a time slice, the quantum, then sends it to the back "
       "of the queue. A small quantum gives quick responses and shares the CPU evenly but costs "
       "a context switch every quantum (set switch-cost to see the price); a quantum longer than "
       "every burst turns RR into FCFS. The textbook rule of thumb: most CPU bursts (about 80 %) "
       "should fit in one quantum.\n\n"
       "Priority scheduling runs the ready process with the best priority. Here, as in the "
       "common textbooks, a lower number means a higher priority: 0 runs before 7. A low-priority "
       "process can starve while higher ones keep arriving; aging cures that by raising the "
       "priority of a waiting process one step every aging interval. With preemption and shared "
       "locks comes priority inversion: a high-priority process waiting for a lock that a "
       "low-priority one holds is held up by every medium-priority process that preempts the "
       "holder, until priority inheritance lends the holder the waiter's priority (this "
       "simulator has no locks, so that part is told, not shown).\n\n"
       "MLFQ (multilevel feedback queue) approximates SJF without knowing any burst. Every "
       "process starts in the top queue with a short slice; one that uses its whole slice drops "
       "a level, because it looks CPU-bound, and one that blocks for I/O before its slice ends "
       "stays, because it looks interactive. Short and interactive jobs finish near the top and "
       "long ones sink. A periodic boost (mlfq-boost) lifts every process back to the top, so "
       "that sinking is not for ever and a job that changes its behaviour is judged again.\n\n"
       "Linux uses none of these as such: its fair scheduler shares the CPU in proportion to "
       "weights set by nice values (see the experiment “The real scheduler”).\n\n"
       "Time. The simulator counts whole time units; time-unit-ms says what one unit is in the "
       "charts and the table (1 ms by default). A workload comes from a generator (processes and "
       "seed set its size and its random draw) or from a CSV or JSON file: one process per line "
       "with the columns name, arrival, burst (or bursts: CPU and I/O alternating, separated by "
       "“;”) and an optional priority.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "average-waiting", PTL_HEADLINE_MIN);
  experiment_class->table_input = &ptl_sched_table_spec;

  experiment_class->validate = ptl_sched_experiment_validate;
  experiment_class->run = ptl_sched_experiment_run;

  properties[PROP_ALGORITHM] =
    g_param_spec_enum ("algorithm", N_("Algorithm"),
                       N_("The scheduling algorithm to simulate; all runs every one of them on the same "
                          "workload and compares them"),
                       PTL_TYPE_SCHED_ALGORITHM_CHOICE, PTL_SCHED_ALGORITHM_ALL, flags);
  {
    static const char *choice_labels[PTL_SCHED_N_ALGORITHMS + 2];

    for (guint i = 0; i < PTL_SCHED_N_ALGORITHMS; i++)
      choice_labels[i] = ptl_sched_algorithm_list_titles ()[i];
    choice_labels[PTL_SCHED_N_ALGORITHMS] = N_("All of them, compared");
    ptl_param_set_choice_labels (properties[PROP_ALGORITHM], choice_labels);
  }
  properties[PROP_WORKLOAD] =
    g_param_spec_string ("workload", N_("Workload"),
                         N_("A generator (cpu-bound, io-bound, mixed, convoy, many-short) or the path of "
                            "a CSV or JSON file with the columns name, arrival, burst or bursts, and "
                            "priority (a lower number means a higher priority)"),
                         DEFAULT_WORKLOAD, flags);
  properties[PROP_PROCESSES] =
    g_param_spec_uint ("processes", N_("Processes"),
                       N_("How many processes the generator makes (a workload file has its own)"),
                       1, 1000, DEFAULT_PROCESSES, flags);
  ptl_param_set_unit (properties[PROP_PROCESSES], N_("processes"));
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", N_("Seed"),
                       N_("The generator's random seed: the same seed always gives the same workload"),
                       0, G_MAXUINT32, DEFAULT_SEED, flags);
  properties[PROP_QUANTUM] =
    g_param_spec_uint ("quantum", N_("Round-robin quantum"),
                       N_("The time slice of round robin"),
                       1, MAX_TIME_PARAM, 4, flags);
  ptl_param_set_unit (properties[PROP_QUANTUM], N_("units"));
  properties[PROP_AGING] =
    g_param_spec_uint ("aging", N_("Aging interval"),
                       N_("Priority algorithms: a waiting process gains one priority step every this "
                          "many units; 0 turns aging off"),
                       0, MAX_TIME_PARAM, 0, flags);
  ptl_param_set_unit (properties[PROP_AGING], N_("units"));
  properties[PROP_MLFQ_LEVELS] =
    g_param_spec_uint ("mlfq-levels", N_("MLFQ levels"),
                       N_("How many queues the multilevel feedback queue has"),
                       1, PTL_SCHED_MLFQ_MAX_LEVELS, 3, flags);
  ptl_param_set_unit (properties[PROP_MLFQ_LEVELS], N_("queues"));
  properties[PROP_MLFQ_QUANTUM] =
    g_param_spec_uint ("mlfq-quantum", N_("MLFQ top quantum"),
                       N_("The time slice of the top MLFQ queue; each queue below gets twice its upper "
                          "neighbour's, and the bottom one of several runs each burst to its end "
                          "(8 with 3 levels gives Silberschatz's 8, 16, FCFS)"),
                       1, MAX_TIME_PARAM, 8, flags);
  ptl_param_set_unit (properties[PROP_MLFQ_QUANTUM], N_("units"));
  properties[PROP_MLFQ_BOOST] =
    g_param_spec_uint ("mlfq-boost", N_("MLFQ boost interval"),
                       N_("Every this many units every process moves back to the top MLFQ queue; "
                          "0 never"),
                       0, MAX_TIME_PARAM, 0, flags);
  ptl_param_set_unit (properties[PROP_MLFQ_BOOST], N_("units"));
  properties[PROP_SWITCH_COST] =
    g_param_spec_uint ("switch-cost", N_("Context-switch cost"),
                       N_("Time the CPU spends switching to a different process, drawn in the "
                          "idle / switch lane and counted as waiting"),
                       0, 1000, 0, flags);
  ptl_param_set_unit (properties[PROP_SWITCH_COST], N_("units"));
  properties[PROP_TIME_UNIT_MS] =
    g_param_spec_double ("time-unit-ms", N_("Time unit"),
                         N_("What one time unit of the workload stands for in the charts and the table"),
                         0.001, 60000, 1, flags);
  ptl_param_set_unit (properties[PROP_TIME_UNIT_MS], "ms");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_sched_experiment_init (PtlSchedExperiment *self)
{
  self->algorithm = PTL_SCHED_ALGORITHM_ALL;
  self->workload = g_strdup (DEFAULT_WORKLOAD);
  self->processes = DEFAULT_PROCESSES;
  self->seed = DEFAULT_SEED;
  self->quantum = 4;
  self->aging = 0;
  self->mlfq_levels = 3;
  self->mlfq_quantum = 8;
  self->mlfq_boost = 0;
  self->switch_cost = 0;
  self->time_unit_ms = 1;
}

GType
ptl_sched_algorithm_choice_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      /* The simulator's own values and nicks, then "all". GType keeps the
       * table for the life of the process, hence static. */
      static GEnumValue values[PTL_SCHED_N_ALGORITHMS + 2];
      GEnumClass *algorithms = g_type_class_ref (PTL_TYPE_SCHED_ALGORITHM);
      GType type;

      for (guint i = 0; i < PTL_SCHED_N_ALGORITHMS; i++)
        values[i] = *g_enum_get_value (algorithms, (int) i);
      values[PTL_SCHED_N_ALGORITHMS] =
        (GEnumValue) { PTL_SCHED_ALGORITHM_ALL, "PTL_SCHED_ALGORITHM_ALL", "all" };
      g_type_class_unref (algorithms);

      type = g_enum_register_static (g_intern_static_string ("PtlSchedAlgorithmChoice"), values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}
