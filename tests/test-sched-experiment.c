/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ptl-sched-experiment.h"
#include "ptl-sched-sim.h"
#include "ptl-test-util.h"

/* The "sched" experiment on tiny workloads: a timeline per algorithm with
 * the right lanes, keys and slices; a summary whose averages are the
 * simulator's; the workload parameter validated with the loader's own
 * message; generated workloads reproducible from their seed. */

/* Two processes with I/O, one without, different priorities. */
#define TINY_CSV \
  "name,arrival,bursts,priority\n" \
  "A,0,5;3;2,2\n"                  \
  "B,1,3,0\n"                      \
  "C,2,2;1;4,1\n"

static const char * const summary_columns[] = {
  "algorithm", "average-waiting", "average-turnaround", "average-response",
  "throughput", "cpu-utilisation", "context-switches", "makespan",
};

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ptlab-sched-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gboolean
close_to (double a,
          double b)
{
  return fabs (a - b) <= 1e-9 * MAX (1, fabs (b));
}

static double
chart_end (PtlChart *chart)
{
  guint n_slices;
  const PtlSlice *slices = ptl_chart_get_slices (chart, &n_slices);
  double end = -INFINITY;

  for (guint i = 0; i < n_slices; i++)
    end = MAX (end, slices[i].end);
  return end;
}

static int
find_key (PtlChart   *chart,
          const char *name)
{
  for (guint k = 0; k < ptl_chart_get_n_keys (chart); k++)
    if (g_strcmp0 (ptl_chart_get_key (chart, k), name) == 0)
      return (int) k;
  return -1;
}

/* One algorithm's timeline against the workload and the simulator. */
static void
check_timeline (PtlChart               *chart,
                PtlSchedWorkload       *workload,
                const PtlSchedOutcome  *outcome,
                double                  seconds_per_unit,
                gboolean                with_switch)
{
  guint n = ptl_sched_workload_get_n_processes (workload);
  guint n_slices, n_markers;
  const PtlSlice *slices = ptl_chart_get_slices (chart, &n_slices);
  const PtlMarker *markers = ptl_chart_get_markers (chart, &n_markers);
  int io_key = find_key (chart, "I/O");
  int idle_key = find_key (chart, "Idle");
  int switch_key = find_key (chart, "Context switch");
  double idle = 0, switching = 0;

  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_TIMELINE);
  g_assert_cmpstr (ptl_chart_get_x_label (chart), ==, "Time");
  g_assert_cmpstr (ptl_chart_get_x_unit (chart), ==, "s");

  /* A lane and a key per process in workload order, then the CPU's lane. */
  g_assert_cmpuint (ptl_chart_get_n_lanes (chart), ==, n + 1);
  for (guint p = 0; p < n; p++)
    {
      g_assert_cmpstr (ptl_chart_get_lane (chart, p), ==, ptl_sched_workload_get_name (workload, p));
      g_assert_cmpstr (ptl_chart_get_key (chart, p), ==, ptl_sched_workload_get_name (workload, p));
      g_assert_false (ptl_chart_get_key_muted (chart, p));
    }
  g_assert_cmpstr (ptl_chart_get_lane (chart, n), ==, "Idle / switch");
  g_assert_cmpint (io_key, ==, (int) n);
  g_assert_cmpint (idle_key, ==, (int) n + 1);
  g_assert_true (ptl_chart_get_key_muted (chart, io_key));
  g_assert_true (ptl_chart_get_key_muted (chart, idle_key));
  if (with_switch)
    {
      g_assert_cmpint (switch_key, ==, (int) n + 2);
      g_assert_true (ptl_chart_get_key_muted (chart, switch_key));
    }
  else
    g_assert_cmpint (switch_key, ==, -1);
  g_assert_cmpuint (ptl_chart_get_n_keys (chart), ==, n + (with_switch ? 3 : 2));

  /* Each process runs exactly its CPU bursts and waits exactly its I/O. */
  for (guint p = 0; p < n; p++)
    {
      guint n_bursts;
      const gint64 *bursts = ptl_sched_workload_get_bursts (workload, p, &n_bursts);
      gint64 cpu = 0, io = 0;

      for (guint b = 0; b < n_bursts; b++)
        *(b % 2 == 0 ? &cpu : &io) += bursts[b];
      g_assert_true (close_to (ptl_test_lane_time (chart, p, p), cpu * seconds_per_unit));
      g_assert_true (close_to (ptl_test_lane_time (chart, p, io_key), io * seconds_per_unit));
    }

  for (guint i = 0; i < n_slices; i++)
    {
      g_assert_cmpfloat (slices[i].start, <, slices[i].end);
      if (slices[i].lane < n)
        g_assert_true (slices[i].key == slices[i].lane || slices[i].key == (guint) io_key);
      else if (slices[i].key == (guint) idle_key)
        idle += slices[i].end - slices[i].start;
      else
        {
          g_assert_cmpuint (slices[i].key, ==, switch_key);
          switching += slices[i].end - slices[i].start;
        }
    }
  g_assert_true (close_to (switching, outcome->totals.switch_time * seconds_per_unit));
  g_assert_true (close_to (idle, outcome->totals.idle_time * seconds_per_unit));

  g_assert_cmpuint (n_markers, ==, n);
  for (guint p = 0; p < n; p++)
    {
      g_assert_cmpuint (markers[p].lane, ==, p);
      g_assert_true (close_to (markers[p].x, ptl_sched_workload_get_arrival (workload, p) * seconds_per_unit));
    }
}

static void
check_columns (PtlTable *table)
{
  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (summary_columns));
  for (guint c = 0; c < G_N_ELEMENTS (summary_columns); c++)
    g_assert_cmpstr (ptl_table_get_column_id (table, c), ==, summary_columns[c]);
  g_assert_cmpstr (ptl_table_get_column_unit (table, 1), ==, "s");
  g_assert_cmpstr (ptl_table_get_column_unit (table, 5), ==, "%");
  g_assert_cmpstr (ptl_table_get_column_unit (table, 7), ==, "s");
}

static double
cell (PtlTable   *table,
      guint       row,
      const char *column)
{
  int c = ptl_table_find_column (table, column);

  g_assert_cmpint (c, >=, 0);
  g_assert_true (ptl_table_cell_is_number (table, row, c));
  return ptl_table_get_number (table, row, c);
}

/* The summary row against the simulator's totals. */
static void
check_row (PtlTable              *table,
           guint                  row,
           PtlSchedAlgorithm      algorithm,
           const PtlSchedOutcome *outcome,
           double                 seconds_per_unit)
{
  const PtlSchedTotals *totals = &outcome->totals;

  g_assert_cmpint (ptl_table_find_row (table, ptl_sched_algorithm_to_nick (algorithm)), ==, row);
  g_assert_cmpstr (ptl_table_get_text (table, row, 0), ==, ptl_sched_algorithm_get_title (algorithm));
  g_assert_true (close_to (cell (table, row, "average-waiting"), totals->avg_waiting * seconds_per_unit));
  g_assert_true (close_to (cell (table, row, "average-turnaround"), totals->avg_turnaround * seconds_per_unit));
  g_assert_true (close_to (cell (table, row, "average-response"), totals->avg_response * seconds_per_unit));
  g_assert_true (close_to (cell (table, row, "throughput"), totals->throughput / seconds_per_unit));
  g_assert_true (close_to (cell (table, row, "cpu-utilisation"), totals->cpu_utilisation * 100));
  g_assert_true (close_to (cell (table, row, "context-switches"), totals->context_switches));
  g_assert_true (close_to (cell (table, row, "makespan"), totals->makespan * seconds_per_unit));
}

static PtlSchedOutcome *
simulate (PtlSchedWorkload  *workload,
          PtlSchedAlgorithm  algorithm,
          gint64             switch_cost)
{
  g_autoptr(GError) error = NULL;
  PtlSchedOutcome *outcome;
  PtlSchedConfig config;

  /* The experiment's defaults are the simulator's (quantum 4, MLFQ 8, 16,
   * FCFS, no aging, no boost). */
  ptl_sched_config_init (&config, algorithm);
  config.switch_cost = switch_cost;
  outcome = ptl_sched_simulate (workload, &config, &error);
  g_assert_no_error (error);
  return outcome;
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("sched", &error);
  const char *explanation;

  g_assert_no_error (error);
  g_assert_true (PTL_IS_SCHED_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "CPU scheduling");
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Scheduling");
  explanation = ptl_experiment_get_explanation (experiment);
  g_assert_nonnull (strstr (explanation, "convoy effect"));
  g_assert_nonnull (strstr (explanation, "lower number means a higher priority"));
  g_assert_nonnull (strstr (explanation, "aging"));
  g_assert_nonnull (strstr (explanation, "priority inversion"));
  g_assert_nonnull (strstr (g_param_spec_get_blurb (ptl_experiment_find_param (experiment, "workload")),
                            "lower number means a higher priority"));
}

static void
test_params (void)
{
  static const struct { const char *name; const char *unit; const char *default_text; } expected[] = {
    { "algorithm", "", "all" },
    { "workload", "", "convoy" },
    { "processes", "processes", "5" },
    { "seed", "", "1" },
    { "quantum", "units", "4" },
    { "aging", "units", "0" },
    { "mlfq-levels", "queues", "3" },
    { "mlfq-quantum", "units", "8" },
    { "mlfq-boost", "units", "0" },
    { "switch-cost", "units", "0" },
    { "time-unit-ms", "ms", "1" },
  };
  static const struct { const char *name; const char *text; } invalid[] = {
    { "algorithm", "lottery" },
    { "processes", "0" },
    { "quantum", "0" },
    { "mlfq-levels", "9" },
    { "mlfq-quantum", "0" },
    { "time-unit-ms", "0" },
  };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched", NULL);
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GError) error = NULL;
  guint n_params;

  params = ptl_experiment_list_params (experiment, &n_params);
  g_assert_cmpuint (n_params, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *default_text = ptl_param_dup_default_text (params[i]);

      g_assert_cmpstr (params[i]->name, ==, expected[i].name);
      g_assert_cmpstr (ptl_param_get_unit (params[i]), ==, expected[i].unit);
      g_assert_cmpstr (default_text, ==, expected[i].default_text);
    }

  /* Every simulator algorithm by its own nick, and "all". */
  for (const char * const *nick = ptl_sched_algorithm_list_nicks (); *nick != NULL; nick++)
    {
      g_autofree char *text = NULL;

      g_assert_true (ptl_experiment_set_param (experiment, "algorithm", *nick, &error));
      g_assert_no_error (error);
      text = ptl_experiment_dup_param_text (experiment, "algorithm");
      g_assert_cmpstr (text, ==, *nick);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (ptl_experiment_set_param (experiment, invalid[i].name, invalid[i].text, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_clear_error (&error);
    }
}

/* Each algorithm alone, with a time unit of 2 ms. */
static void
test_each_algorithm (void)
{
  g_autofree char *path = write_temp ("tiny.csv", TINY_CSV);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_load (path, &error);
  const char * const *nicks = ptl_sched_algorithm_list_nicks ();

  g_assert_no_error (error);
  for (guint a = 0; nicks[a] != NULL; a++)
    for (guint switch_cost = 0; switch_cost <= 1; switch_cost++)
      {
        g_autofree char *cost = g_strdup_printf ("%u", switch_cost);
        const char *params[] = { "algorithm", nicks[a], "workload", path, "time-unit-ms", "2",
                                 "switch-cost", cost, NULL };
        g_autoptr(PtlResult) result = ptl_test_run ("sched", params);
        g_autoptr(PtlSchedOutcome) outcome = simulate (workload, a, switch_cost);
        g_autofree char *id = g_strdup_printf ("gantt-%s", nicks[a]);
        PtlTable *table = ptl_result_get_summary (result);
        PtlChart *chart = ptl_result_find_chart (result, id);
        PtlChart *averages = ptl_result_find_chart (result, "averages");
        PtlChart *waiting = ptl_result_find_chart (result, "waiting");
        const PtlPoint *points;
        guint n_points, n_timelines = 0;

        g_test_message ("%s, switch cost %u", nicks[a], switch_cost);
        for (guint c = 0; c < ptl_result_get_n_charts (result); c++)
          n_timelines += ptl_chart_get_kind (ptl_result_get_chart (result, c)) == PTL_CHART_TIMELINE;
        g_assert_cmpuint (n_timelines, ==, 1);
        g_assert_nonnull (chart);
        g_assert_cmpstr (ptl_chart_get_title (chart), ==, ptl_sched_algorithm_get_title (a));
        check_timeline (chart, workload, outcome, 0.002, switch_cost > 0);
        /* Alone, the timeline ends where the schedule does. */
        g_assert_true (close_to (chart_end (chart),
                                 (outcome->totals.start + outcome->totals.makespan) * 0.002));

        check_columns (table);
        g_assert_cmpuint (ptl_table_get_n_rows (table), ==, 1);
        check_row (table, 0, a, outcome, 0.002);

        g_assert_nonnull (averages);
        g_assert_cmpuint (ptl_chart_get_n_series (averages), ==, 3);
        g_assert_cmpuint (ptl_chart_get_n_categories (averages), ==, 1);
        points = ptl_series_get_points (ptl_chart_find_series (averages, "average-waiting"), &n_points);
        g_assert_cmpuint (n_points, ==, 1);
        g_assert_true (close_to (points[0].y, outcome->totals.avg_waiting * 0.002));

        g_assert_nonnull (waiting);
        g_assert_cmpuint (ptl_chart_get_n_categories (waiting), ==, 3);
        g_assert_cmpstr (ptl_chart_get_categories (waiting)[1], ==, "B");
        points = ptl_series_get_points (ptl_chart_find_series (waiting, nicks[a]), &n_points);
        g_assert_cmpuint (n_points, ==, 3);
        for (guint p = 0; p < 3; p++)
          g_assert_true (close_to (points[p].y, outcome->processes[p].waiting * 0.002));
      }
  remove_temp (path);
}

/* "all": seven timelines in the simulator's order, one time range. */
static void
test_all (void)
{
  g_autofree char *path = write_temp ("tiny.json",
                                      "{\"processes\": ["
                                      "{\"name\": \"A\", \"arrival\": 0, \"bursts\": [5, 3, 2], \"priority\": 2},"
                                      "{\"name\": \"B\", \"arrival\": 1, \"burst\": 3},"
                                      "{\"name\": \"C\", \"arrival\": 2, \"bursts\": [2, 1, 4], \"priority\": 1}]}");
  const char *params[] = { "algorithm", "all", "workload", path, NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("sched", params);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_load (path, &error);
  const char * const *nicks = ptl_sched_algorithm_list_nicks ();
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *averages = ptl_result_find_chart (result, "averages");
  PtlChart *waiting = ptl_result_find_chart (result, "waiting");
  double end = -INFINITY;
  guint n_timelines = 0;

  g_assert_no_error (error);
  for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
    {
      g_autoptr(PtlSchedOutcome) outcome = simulate (workload, a, 0);

      end = MAX (end, (outcome->totals.start + outcome->totals.makespan) * 0.001);
    }

  for (guint c = 0; c < ptl_result_get_n_charts (result); c++)
    {
      PtlChart *chart = ptl_result_get_chart (result, c);
      g_autofree char *id = NULL;
      g_autoptr(PtlSchedOutcome) outcome = NULL;

      if (ptl_chart_get_kind (chart) != PTL_CHART_TIMELINE)
        continue;
      g_assert_cmpuint (n_timelines, <, PTL_SCHED_N_ALGORITHMS);
      id = g_strdup_printf ("gantt-%s", nicks[n_timelines]);
      outcome = simulate (workload, n_timelines, 0);
      g_assert_cmpstr (ptl_chart_get_id (chart), ==, id);
      check_timeline (chart, workload, outcome, 0.001, FALSE);
      /* Every timeline spans up to the longest schedule's end. */
      {
        double range_min, range_max;

        g_assert_true (ptl_chart_get_x_range (chart, &range_min, &range_max));
        g_assert_true (close_to (range_max, end));
        g_assert_cmpfloat (chart_end (chart), <=, end + 1e-12);
      }
      check_row (table, n_timelines, n_timelines, outcome, 0.001);
      n_timelines++;
    }
  g_assert_cmpuint (n_timelines, ==, PTL_SCHED_N_ALGORITHMS);

  check_columns (table);
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, PTL_SCHED_N_ALGORITHMS);
  g_assert_true (g_strv_equal (ptl_chart_get_category_ids (averages), nicks));
  g_assert_nonnull (ptl_chart_find_series (averages, "average-waiting"));
  g_assert_nonnull (ptl_chart_find_series (averages, "average-turnaround"));
  g_assert_nonnull (ptl_chart_find_series (averages, "average-response"));
  g_assert_cmpuint (ptl_chart_get_n_series (waiting), ==, PTL_SCHED_N_ALGORITHMS);
  for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
    g_assert_cmpstr (ptl_series_get_id (ptl_chart_get_series (waiting, a)), ==, nicks[a]);

  remove_temp (path);
}

/* The workload parameter fails in validate, before any run, with the
 * loader's line and column for a malformed file. */
static void
test_bad_workload (void)
{
  static const struct { const char *name; const char *contents; GQuark domain; int code; const char *needle; } cases[] = {
    { "bad.csv", "name,arrival,burst\nP1,0,5\nP2,zero,3\n", 0, PTL_ERROR_INVALID_FILE, "line 3, column 2" },
    { "even.json", "{\"processes\": [{\"name\": \"P1\", \"arrival\": 0, \"bursts\": [1, 2]}]}", 0,
      PTL_ERROR_INVALID_FILE, "odd" },
    { "empty.csv", "name,arrival,burst\n", 0, PTL_ERROR_INVALID_FILE, "no processes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp (cases[i].name, cases[i].contents);
      const char *params[] = { "workload", path, NULL };
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched", params);
      g_autoptr(PtlResult) result = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_false (ptl_experiment_validate (experiment, &error));
      g_assert_error (error, PTL_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].name, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_clear_error (&error);

      result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, PTL_ERROR, cases[i].code);
      remove_temp (path);
    }

  {
    const char *params[] = { "workload", "convoi", NULL };
    g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched", params);
    g_autoptr(GError) error = NULL;

    g_assert_false (ptl_experiment_validate (experiment, &error));
    g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
    for (const char * const *kind = ptl_sched_workload_list_kinds (); *kind != NULL; kind++)
      g_assert_nonnull (strstr (error->message, *kind));
  }
  {
    const char *params[] = { "workload", "/nonexistent/workload.csv", NULL };
    g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched", params);
    g_autoptr(GError) error = NULL;

    g_assert_false (ptl_experiment_validate (experiment, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

static char *
dup_timelines_text (PtlResult *result)
{
  GString *out = g_string_new (NULL);

  for (guint c = 0; c < ptl_result_get_n_charts (result); c++)
    {
      PtlChart *chart = ptl_result_get_chart (result, c);
      guint n_slices;
      const PtlSlice *slices = ptl_chart_get_slices (chart, &n_slices);

      for (guint i = 0; i < n_slices; i++)
        g_string_append_printf (out, "%u %u %u %.9g %.9g\n", c, slices[i].lane, slices[i].key,
                                slices[i].start, slices[i].end);
    }
  return g_string_free (out, FALSE);
}

/* A generator name with a seed gives the same run every time; another
 * seed another workload. */
static void
test_deterministic (void)
{
  for (const char * const *kind = ptl_sched_workload_list_kinds (); *kind != NULL; kind++)
    {
      const char *first[] = { "workload", *kind, "processes", "6", "seed", "42", NULL };
      const char *other[] = { "workload", *kind, "processes", "6", "seed", "43", NULL };
      g_autoptr(PtlResult) a = ptl_test_run ("sched", first);
      g_autoptr(PtlResult) b = ptl_test_run ("sched", first);
      g_autoptr(PtlResult) c = ptl_test_run ("sched", other);
      g_autofree char *table_a = ptl_table_format_text (ptl_result_get_summary (a));
      g_autofree char *table_b = ptl_table_format_text (ptl_result_get_summary (b));
      g_autofree char *slices_a = dup_timelines_text (a);
      g_autofree char *slices_b = dup_timelines_text (b);
      g_autofree char *slices_c = dup_timelines_text (c);

      g_test_message ("%s, seed 42:\n%s", *kind, table_a);
      g_assert_cmpstr (table_a, ==, table_b);
      g_assert_cmpstr (slices_a, ==, slices_b);
      g_assert_cmpstr (slices_a, !=, slices_c);
      g_assert_cmpuint (ptl_chart_get_n_lanes (ptl_result_find_chart (a, "gantt-rr")), ==, 7);
    }
}

/* The default run is the convoy effect: FCFS makes the short jobs wait
 * for the long one, SRTF and RR do not. */
static void
test_default_convoy (void)
{
  g_autoptr(PtlResult) result = ptl_test_run ("sched", NULL);
  PtlTable *table = ptl_result_get_summary (result);
  guint fcfs = PTL_SCHED_FCFS, srtf = PTL_SCHED_SRTF, rr = PTL_SCHED_RR;

  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, PTL_SCHED_N_ALGORITHMS);
  g_assert_cmpfloat (cell (table, fcfs, "average-waiting"), >, 4 * cell (table, srtf, "average-waiting"));
  g_assert_cmpfloat (cell (table, fcfs, "average-waiting"), >, 4 * cell (table, rr, "average-waiting"));
  for (guint row = 0; row < PTL_SCHED_N_ALGORITHMS; row++)
    g_assert_cmpfloat (cell (table, srtf, "average-waiting"), <=, cell (table, row, "average-waiting"));
  g_assert_cmpuint (ptl_result_get_n_notes (result), >=, 4);
}

typedef struct
{
  int         resource;
  rlim_t      room;     /* beyond what the child uses */
  const char *expected; /* what the child prints */
} LimitCase;

/* With no room left, GLib would abort for want of a worker thread or a
 * wake-up descriptor; with 64 MiB of address space to spare the run would
 * pass, and the export after it crash in fontconfig. The run refuses
 * first, naming the limit. */
static const LimitCase limit_cases[] = {
  { RLIMIT_NPROC, 0, "error: RLIMIT_NPROC (ulimit -u) is *ptlab needs*" },
  { RLIMIT_NOFILE, 0, "error: RLIMIT_NOFILE (ulimit -n) is *" },
  { RLIMIT_AS, 64 << 20, "error: RLIMIT_AS (ulimit -v) is *" },
};

static void
test_limit (gconstpointer data)
{
  const LimitCase *limit_case = data;

  if (limit_case->resource == RLIMIT_AS && ptl_test_skip_address_space_limit ())
    return;
  if (g_test_subprocess ())
    {
      g_autoptr(PtlResult) result = ptl_test_run_with_limit ("sched", NULL, limit_case->resource,
                                                                   limit_case->room);

      g_assert_null (result);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout (limit_case->expected);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/sched-experiment/registry", test_registry);
  g_test_add_func ("/ptl/sched-experiment/params", test_params);
  g_test_add_func ("/ptl/sched-experiment/each-algorithm", test_each_algorithm);
  g_test_add_func ("/ptl/sched-experiment/all", test_all);
  g_test_add_func ("/ptl/sched-experiment/bad-workload", test_bad_workload);
  g_test_add_func ("/ptl/sched-experiment/deterministic", test_deterministic);
  g_test_add_func ("/ptl/sched-experiment/default-convoy", test_default_convoy);
  g_test_add_data_func ("/ptl/sched-experiment/limit/nproc", &limit_cases[0], test_limit);
  g_test_add_data_func ("/ptl/sched-experiment/limit/nofile", &limit_cases[1], test_limit);
  g_test_add_data_func ("/ptl/sched-experiment/limit/as", &limit_cases[2], test_limit);

  return g_test_run ();
}
