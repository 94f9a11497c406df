/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ptl-creation-experiment.h"
#include "ptl-test-util.h"

/* The "creation" experiment at small sizes: every chart, series, unit and
 * column is there; relations that hold on any machine hold, with wide
 * margins for a noisy 2-core VM; bad parameters are refused; a lowered
 * RLIMIT_NPROC ends the run with a message that names it; cancelling
 * leaves no child, thread or descriptor behind. */

static const char * const mechanisms[] = {
  "thread", "pthread", "fork", "vfork", "posix-spawn", "fork-exec", "gsubprocess", NULL,
};

#define CANCEL_AFTER_MS 300
#define MAX_LATENCY_MS  500
#define SETTLE_MS       2000

/* The mean of the raw samples @name kept in the result. */
static double
samples_mean (PtlResult  *result,
              const char *name)
{
  g_autoptr(JsonNode) root = ptl_result_to_json (result);
  JsonArray *samples = json_object_get_array_member (json_node_get_object (root), "samples");

  for (guint i = 0; i < json_array_get_length (samples); i++)
    {
      JsonObject *entry = json_array_get_object_element (samples, i);
      JsonArray *values;
      double sum = 0;

      if (g_strcmp0 (json_object_get_string_member (entry, "name"), name) != 0)
        continue;
      values = json_object_get_array_member (entry, "values");
      g_assert_cmpuint (json_array_get_length (values), >, 0);
      for (guint k = 0; k < json_array_get_length (values); k++)
        sum += json_array_get_double_element (values, k);
      return sum / json_array_get_length (values);
    }
  g_assert_not_reached ();
}

static void
check_bar_chart (PtlResult  *result,
                 const char *id,
                 const char *unit,
                 guint       n_series)
{
  PtlChart *chart = ptl_result_find_chart (result, id);
  const PtlPoint *points;
  guint n_points;

  g_assert_nonnull (chart);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_BAR);
  g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, unit);
  g_assert_true (ptl_chart_get_y_log (chart));
  g_assert_true (g_strv_equal (ptl_chart_get_category_ids (chart), mechanisms));
  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, n_series);

  points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
  g_assert_cmpuint (n_points, ==, g_strv_length ((char **) mechanisms));
  for (guint i = 0; i < n_points; i++)
    {
      g_assert_cmpfloat (points[i].x, ==, i);
      g_assert_cmpfloat (points[i].y, >, 0);
    }
}

static void
check_shape (PtlResult *result)
{
  static const struct { const char *name; const char *unit; } columns[] = {
    { "mechanism", "" }, { "median", "s" }, { "p5", "s" }, { "p95", "s" }, { "p99", "s" },
    { "rate", "ops/s" }, { "cpu", "s" }, { "where", "" },
  };
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *cost = ptl_result_find_chart (result, "cost");
  PtlChart *distribution = ptl_result_find_chart (result, "distribution");
  PtlChart *histogram = ptl_result_find_chart (result, "histogram");
  PtlSeries *wall;
  const PtlPoint *points;
  guint n_points;

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_assert_cmpint (ptl_table_find_column (table, columns[i].name), ==, i);
      g_assert_cmpstr (ptl_table_get_column_unit (table, i), ==, columns[i].unit);
    }
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, g_strv_length ((char **) mechanisms));
  for (guint row = 0; mechanisms[row] != NULL; row++)
    {
      const char *m = mechanisms[row];

      g_assert_cmpint (ptl_table_find_row (table, m), ==, row);
      g_assert_cmpfloat (ptl_test_cell (result, m, "p5"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, m, "p5"), <=, ptl_test_cell (result, m, "median"));
      g_assert_cmpfloat (ptl_test_cell (result, m, "median"), <=, ptl_test_cell (result, m, "p95"));
      g_assert_cmpfloat (ptl_test_cell (result, m, "p95"), <=, ptl_test_cell (result, m, "p99"));
      g_assert_cmpfloat (ptl_test_cell (result, m, "rate"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, m, "cpu"), >, 0);
    }

  check_bar_chart (result, "cost", "s", 2);
  check_bar_chart (result, "rate", "ops/s", 1);
  wall = ptl_chart_get_series (cost, 0);
  g_assert_true (ptl_series_has_band (wall));
  points = ptl_series_get_points (wall, &n_points);
  for (guint i = 0; i < n_points; i++)
    {
      g_assert_cmpfloat (points[i].lo, <=, points[i].y);
      g_assert_cmpfloat (points[i].hi, >=, points[i].y);
    }

  g_assert_nonnull (distribution);
  g_assert_cmpint (ptl_chart_get_kind (distribution), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_x_unit (distribution), ==, "s");
  g_assert_true (ptl_chart_get_x_log (distribution));
  g_assert_cmpstr (ptl_chart_get_y_unit (distribution), ==, "%");
  g_assert_cmpuint (ptl_chart_get_n_series (distribution), ==, g_strv_length ((char **) mechanisms));
  for (guint s = 0; mechanisms[s] != NULL; s++)
    {
      PtlSeries *series = ptl_chart_find_series (distribution, mechanisms[s]);

      g_assert_nonnull (series);
      points = ptl_series_get_points (series, &n_points);
      g_assert_cmpuint (n_points, >, 10);
      g_assert_cmpfloat (points[0].y, ==, 0);
      g_assert_cmpfloat (points[n_points - 1].y, ==, 100);
      for (guint i = 1; i < n_points; i++)
        {
          g_assert_cmpfloat (points[i].x, >=, points[i - 1].x);
          g_assert_cmpfloat (points[i].y, >, points[i - 1].y);
        }
    }

  /* The histogram: every creation in one bin, the line back at 0 at both ends. */
  g_assert_cmpint (ptl_chart_get_kind (histogram), ==, PTL_CHART_LINE);
  g_assert_true (ptl_chart_get_x_log (histogram));
  g_assert_cmpstr (ptl_chart_get_y_unit (histogram), ==, "%");
  for (guint s = 0; mechanisms[s] != NULL; s++)
    {
      PtlSeries *series = ptl_chart_find_series (histogram, mechanisms[s]);
      double total = 0;

      g_assert_nonnull (series);
      points = ptl_series_get_points (series, &n_points);
      g_assert_cmpuint (n_points, >=, 3);
      g_assert_cmpfloat (points[0].y, ==, 0);
      g_assert_cmpfloat (points[n_points - 1].y, ==, 0);
      for (guint i = 0; i < n_points; i++)
        total += points[i].y;
      g_assert_cmpfloat_with_epsilon (total, 100, 1e-6);
      /* Its bins hold the median. */
      g_assert_cmpfloat (points[0].x, <, ptl_test_cell (result, mechanisms[s], "median"));
      g_assert_cmpfloat (points[n_points - 1].x, >, ptl_test_cell (result, mechanisms[s], "median"));
    }

  g_assert_cmpuint (ptl_result_get_n_notes (result), >, 0);
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("creation", &error);

  g_assert_no_error (error);
  g_assert_true (PTL_IS_CREATION_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_id (experiment), ==, "creation");
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Processes");
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "Creation cost");
  g_assert_cmpuint (strlen (ptl_experiment_get_explanation (experiment)), >, 500);
}

static void
test_params (void)
{
  static const struct { const char *name; const char *unit; const char *default_text; } expected[] = {
    { "iterations", "creations", "300" },
    { "concurrency", "in flight", "1" },
    { "parent-mib", "MiB", "0" },
    { "from", "", "helper" },
    { "size-sweep", "", "true" },
    { "placement", "", "unpinned" },
  };
  static const struct { const char *name; const char *text; } invalid[] = {
    { "iterations", "9" },
    { "iterations", "100001" },
    { "concurrency", "0" },
    { "concurrency", "1025" },
    { "parent-mib", "65537" },
    { "parent-mib", "-1" },
    { "from", "kernel" },
    { "size-sweep", "maybe" },
    { "placement", "other-cpu" },
    { "mechanism", "fork" },
  };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("creation", NULL);
  g_autoptr(PtlExperiment) too_many = ptl_test_new_experiment ("creation", (const char *[]) { "iterations", "10", "concurrency", "11", NULL });
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = NULL;
  guint n_params;

  params = ptl_experiment_list_params (experiment, &n_params);
  g_assert_cmpuint (n_params, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *default_text = ptl_param_dup_default_text (params[i]);
      g_autofree char *current = ptl_experiment_dup_param_text (experiment, params[i]->name);

      g_assert_cmpstr (params[i]->name, ==, expected[i].name);
      g_assert_cmpstr (ptl_param_get_unit (params[i]), ==, expected[i].unit);
      g_assert_cmpstr (default_text, ==, expected[i].default_text);
      g_assert_cmpstr (current, ==, expected[i].default_text);
      g_assert_nonnull (g_param_spec_get_blurb (params[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (ptl_experiment_set_param (experiment, invalid[i].name, invalid[i].text, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_test_message ("%s=%s: %s", invalid[i].name, invalid[i].text, error->message);
      g_clear_error (&error);
    }

  /* A batch larger than the whole run. */
  result = ptl_experiment_run_sync (too_many, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

/* One at a time from the helper: the default shape. */
static void
test_helper (void)
{
  const char *params[] = { "iterations", "60", "size-sweep", "false", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("creation", params);

  check_shape (result);
  g_assert_null (ptl_result_find_chart (result, "parent-size"));
  g_assert_cmpstr (ptl_test_text_cell (result, "fork", "where"), ==, "helper");
  g_assert_cmpstr (ptl_test_text_cell (result, "thread", "where"), ==, "lab");
  g_assert_cmpstr (ptl_test_text_cell (result, "gsubprocess", "where"), ==, "lab");

  /* exec loads a program; a thread is a stack and a task. */
  g_assert_cmpfloat (ptl_test_cell (result, "fork-exec", "median"), >, ptl_test_cell (result, "thread", "median"));
  g_assert_cmpfloat (ptl_test_cell (result, "fork-exec", "median"), >, ptl_test_cell (result, "pthread", "median"));
  /* fork copies a process (page tables, descriptors) that a thread shares. */
  g_assert_cmpfloat (ptl_test_cell (result, "pthread", "median"), >, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "pthread", "median"), <, ptl_test_cell (result, "fork", "median"));
  /* GSubprocess spawns the same program with more around it. */
  g_assert_cmpfloat (ptl_test_cell (result, "gsubprocess", "median"), >, ptl_test_cell (result, "fork", "median"));

  /* One at a time, the rate is 1 / the mean time; a tail of slow
   * creations (a busy machine) can pull the mean far above the median. */
  for (guint i = 0; mechanisms[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("create/%s", mechanisms[i]);
      double rate = ptl_test_cell (result, mechanisms[i], "rate");
      double median = ptl_test_cell (result, mechanisms[i], "median");
      double mean = samples_mean (result, name);

      g_test_message ("%s: rate × median = %.2f, rate × mean = %.2f", mechanisms[i], rate * median, rate * mean);
      g_assert_cmpfloat (rate * median, >, 0.02);
      g_assert_cmpfloat (rate * median, <, 3.0);
      g_assert_cmpfloat (rate * mean, >, 0.7);
      g_assert_cmpfloat (rate * mean, <, 1.3);
    }
}

/* From the lab, several at once, pinned, with the parent-size sweep. */
static void
test_app_sweep (void)
{
  const char *params[] = { "iterations", "20", "concurrency", "4", "from", "app",
                           "placement", "same-cpu", "size-sweep", "true", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("creation", params);
  PtlChart *sweep = ptl_result_find_chart (result, "parent-size");
  JsonObject *parameters = ptl_result_get_parameters (result);
  const PtlPoint *fork_points, *spawn_points;
  guint n_fork, n_spawn;

  check_shape (result);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    g_assert_cmpstr (ptl_test_text_cell (result, mechanisms[i], "where"), ==, "lab");
  g_assert_cmpint (json_object_get_int_member (parameters, "placement-cpu"), >=, 0);
  g_assert_cmpstr (json_object_get_string_member (parameters, "placement"), ==, "same-cpu");

  g_assert_nonnull (sweep);
  g_assert_cmpint (ptl_chart_get_kind (sweep), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_x_unit (sweep), ==, "B");
  g_assert_cmpstr (ptl_chart_get_y_unit (sweep), ==, "s");
  g_assert_cmpuint (ptl_chart_get_n_series (sweep), ==, 3);
  fork_points = ptl_series_get_points (ptl_chart_find_series (sweep, "fork"), &n_fork);
  spawn_points = ptl_series_get_points (ptl_chart_find_series (sweep, "posix-spawn"), &n_spawn);
  g_assert_nonnull (ptl_chart_find_series (sweep, "vfork"));
  g_assert_cmpuint (n_fork, ==, 4);
  g_assert_cmpuint (n_spawn, ==, 4);
  g_assert_cmpfloat (fork_points[0].x, ==, 0);
  g_assert_cmpfloat (fork_points[3].x, ==, 256.0 * 1024 * 1024);

  /* 256 MiB of page tables to copy and tear down, against none. */
  g_assert_cmpfloat (fork_points[3].y, >, 2 * fork_points[0].y);
  g_assert_cmpfloat (spawn_points[3].y, <, fork_points[3].y);
}

typedef struct
{
  guint       room;        /* tasks the user may still start */
  const char *concurrency;
  const char *expected;    /* what the child prints */
} LimitCase;

/* Four threads at once cannot start: nothing is measured, an error. */
static const LimitCase limit_threads = { 2, "4", "error: *RLIMIT_NPROC is*" };
/* Threads one at a time can, but the helper cannot fork beside itself:
 * the threads' figures stand, with a note. */
static const LimitCase limit_partial = { 1, "1", "*note: The run stopped early at a limit: fork failed*RLIMIT_NPROC is*" };

/* In a child test process: as an ordinary user (root ignores the limit),
 * with room for only @room more tasks. */
static void
limit_child (const LimitCase *limit_case)
{
  const char *warm[] = { "iterations", "10", "size-sweep", "false", NULL };
  const char *params[] = { "iterations", "20", "concurrency", limit_case->concurrency, "size-sweep", "false", NULL };
  g_autoptr(PtlResult) result = ptl_test_run_with_task_room ("creation", warm, params, limit_case->room);

  if (result != NULL)
    g_assert_cmpuint (ptl_table_get_n_rows (ptl_result_get_summary (result)), >, 0);
}

static void
test_limit (gconstpointer data)
{
  const LimitCase *limit_case = data;

  if (g_test_subprocess ())
    {
      limit_child (limit_case);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* A sanitizer runtime's own threads take tasks of the room, so there
   * the limit may stop another phase: any message naming it will do. */
  g_test_trap_assert_stdout (PTL_TEST_SANITIZED ? "*RLIMIT_NPROC is*" : limit_case->expected);
}

/* Cancelling */

/* A complete run first, so that what GLib keeps for the whole process
 * (GTask's workers, the worker thread that watches children) exists
 * before counting. */
static PtlTestLeaks baseline;

static void
take_baseline (void)
{
  const char *tiny[] = { "iterations", "10", "size-sweep", "false", NULL };

  if (baseline.threads == 0)
    baseline = ptl_test_leaks_snapshot_after_run ("creation", tiny);
}

typedef struct
{
  const char *prefix;
  guint       delay_ms;
  const char *params[13];
} CancelCase;

/* Every phase lasts well beyond its delay with these sizes. */
static const CancelCase cancel_cases[] = {
  { "thread:", CANCEL_AFTER_MS, { "iterations", "100000", "concurrency", "8", "size-sweep", "false", NULL } },
  { "fork:", CANCEL_AFTER_MS, { "iterations", "100000", "concurrency", "8", "size-sweep", "false", NULL } },
  { "fork:", CANCEL_AFTER_MS, { "iterations", "100000", "concurrency", "8", "from", "app",
                                "size-sweep", "false", NULL } },
  { "gsubprocess:", CANCEL_AFTER_MS, { "iterations", "100000", "concurrency", "8", "size-sweep", "false", NULL } },
  { "sweep: fork with 256 MiB", 0, { "iterations", "10", NULL } },
  /* 40 forks of a 256 MiB parent: some 100 ms even on a fast machine. */
  { "sweep: fork with 256 MiB", 30, { "iterations", "40", "from", "app", NULL } },
};

static void
test_cancel (gconstpointer data)
{
  const CancelCase *cancel_case = data;
  g_autoptr(PtlExperiment) experiment = NULL;

  /* The gsubprocess phase comes after some 100,000 creations by the other
   * mechanisms: seconds here, but beyond the test's timeout when every
   * helper spawned starts a sanitizer runtime. */
  if (PTL_TEST_SANITIZED && g_str_equal (cancel_case->prefix, "gsubprocess:"))
    {
      g_test_skip ("too slow in a sanitizer build: 100,000 creations come first");
      return;
    }

  take_baseline ();
  experiment = ptl_test_new_experiment ("creation", cancel_case->params);
  ptl_test_assert_cancel_at (experiment, cancel_case->prefix, cancel_case->delay_ms, MAX_LATENCY_MS);
  /* Threads that were joined may take a moment to leave /proc. */
  ptl_test_leaks_assert_none (&baseline, SETTLE_MS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/creation/registry", test_registry);
  g_test_add_func ("/ptl/creation/params", test_params);
  g_test_add_func ("/ptl/creation/helper", test_helper);
  g_test_add_func ("/ptl/creation/app-sweep", test_app_sweep);
  g_test_add_data_func ("/ptl/creation/limit/threads", &limit_threads, test_limit);
  g_test_add_data_func ("/ptl/creation/limit/partial", &limit_partial, test_limit);
  for (guint i = 0; i < G_N_ELEMENTS (cancel_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/creation/cancel/%u", i);

      g_test_add_data_func (path, &cancel_cases[i], test_cancel);
    }

  return g_test_run ();
}
