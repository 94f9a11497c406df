/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ptl-gil.h"
#include "ptl-kernel.h"
#include "ptl-models-experiment.h"
#include "ptl-test-util.h"

/* The "models" experiment at small sizes: its output has every mode, chart
 * and unit; the relations every concurrency guide states hold, with wide
 * margins for a noisy 2-core VM; parameters are validated; failures of
 * the helper program become clear errors. */

static const char * const modes[] = {
  "sequential", "threads", "thread-pool", "processes", "event-loop", "gil-threads", NULL,
};

typedef struct
{
  guint  n_calls;
  double last_fraction;
  gboolean saw_points;
} Progress;

static void
progress_cb (PtlResult  *snapshot,
             double      fraction,
             const char *message,
             gpointer    user_data)
{
  Progress *progress = user_data;
  PtlChart *chart = ptl_result_find_chart (snapshot, "wall");

  g_assert_cmpfloat (fraction, >=, progress->last_fraction);
  progress->last_fraction = fraction;
  progress->n_calls++;
  if (chart != NULL && ptl_chart_get_n_series (chart) > 0)
    {
      guint n_points;

      ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
      progress->saw_points |= n_points > 0;
    }
}

/* A run that must succeed, watching its progress. */
static PtlResult *
run_models (const char * const *params,
            Progress           *progress)
{
  g_autoptr(GError) error = NULL;
  PtlResult *result = ptl_test_run_full ("models", params, progress_cb, progress, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* The fastest of the repeats of @mode (the low end of its wall-time bar):
 * on a shared two-core machine the best run is the one that had both
 * cores, which is what a speedup relation is about. */
static double
best_wall (PtlResult  *result,
           const char *mode)
{
  PtlChart *chart = ptl_result_find_chart (result, "wall");
  const char * const *categories = ptl_chart_get_category_ids (chart);
  const PtlPoint *points;
  guint n_points;

  points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
  for (guint i = 0; i < n_points; i++)
    if (g_strcmp0 (categories[(guint) points[i].x], mode) == 0)
      return points[i].lo;
  g_assert_not_reached ();
}

static void
check_mode_chart (PtlResult  *result,
                  const char *id,
                  const char *unit,
                  guint       repeats)
{
  PtlChart *chart = ptl_result_find_chart (result, id);
  const char * const *categories;
  const PtlPoint *points;
  PtlSeries *series;
  guint n_points;

  g_assert_nonnull (chart);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_BAR);
  g_assert_cmpstr (ptl_chart_get_y_unit (chart), ==, unit);
  categories = ptl_chart_get_category_ids (chart);
  g_assert_nonnull (categories);
  g_assert_true (g_strv_equal ((const char * const *) categories, modes));

  g_assert_cmpuint (ptl_chart_get_n_series (chart), ==, 1);
  series = ptl_chart_get_series (chart, 0);
  g_assert_cmpint (ptl_series_has_band (series), ==, repeats > 1);
  points = ptl_series_get_points (series, &n_points);
  g_assert_cmpuint (n_points, ==, g_strv_length ((char **) modes));
  for (guint i = 0; i < n_points; i++)
    {
      g_assert_cmpfloat (points[i].x, ==, i);
      g_assert_cmpfloat (points[i].y, >=, 0);
      if (repeats > 1)
        {
          g_assert_cmpfloat (points[i].lo, <=, points[i].y + 1e-12);
          g_assert_cmpfloat (points[i].hi, >=, points[i].y - 1e-12);
        }
    }
}

static void
check_shape (PtlResult *result,
             guint      repeats)
{
  static const struct { const char *name; const char *unit; } columns[] = {
    { "mode", "" }, { "wall", "s" }, { "speedup", "x" }, { "cpu", "s" }, { "memory", "B" },
  };
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *speedup;
  guint n_cpus = ptl_machine_get_n_cpus ();
  gboolean have_one = FALSE, have_cores = FALSE;

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_assert_cmpint (ptl_table_find_column (table, columns[i].name), ==, i);
      g_assert_cmpstr (ptl_table_get_column_unit (table, i), ==, columns[i].unit);
    }

  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, g_strv_length ((char **) modes));
  for (guint row = 0; modes[row] != NULL; row++)
    {
      g_assert_cmpint (ptl_table_find_row (table, modes[row]), ==, row);
      g_assert_cmpfloat (ptl_test_cell (result, modes[row], "wall"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, modes[row], "speedup"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, modes[row], "cpu"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, modes[row], "memory"), >=, 0);
    }
  g_assert_cmpfloat (ptl_test_cell (result, "sequential", "speedup"), ==, 1.0);

  check_mode_chart (result, "wall", "s", repeats);
  check_mode_chart (result, "speedup", "x", repeats);
  check_mode_chart (result, "cpu", "s", repeats);
  check_mode_chart (result, "memory", "B", repeats);

  speedup = ptl_result_find_chart (result, "speedup");
  for (guint i = 0; i < ptl_chart_get_n_references (speedup); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (speedup, i);

      g_assert_cmpint (reference->kind, ==, PTL_REFERENCE_HORIZONTAL);
      have_one |= reference->value == 1;
      have_cores |= reference->value == n_cpus;
    }
  g_assert_true (have_one);
  g_assert_true (have_cores);

  g_assert_cmpuint (ptl_result_get_n_notes (result), >, 0);
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("models", &error);

  g_assert_no_error (error);
  g_assert_true (PTL_IS_MODELS_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_id (experiment), ==, "models");
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Comparison");
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "Concurrency models");
  g_assert_cmpuint (strlen (ptl_experiment_get_explanation (experiment)), >, 500);
}

static void
test_params (void)
{
  static const struct { const char *name; const char *unit; const char *default_text; } expected[] = {
    { "workload", "", "cpu" },
    { "tasks", "tasks", "0" },
    { "cpu-ms", "ms", "50" },
    { "io-ms", "ms", "10" },
    { "workers", "threads", "0" },
    { "switch-interval-ms", "ms", "5" },
    { "repeats", "runs", "3" },
    { "sweep", "", "true" },
  };
  static const struct { const char *name; const char *text; } invalid[] = {
    { "workload", "disk" },
    { "workload", "" },
    { "tasks", "1001" },
    { "tasks", "-1" },
    { "cpu-ms", "0" },
    { "cpu-ms", "10001" },
    { "io-ms", "0" },
    { "workers", "257" },
    { "switch-interval-ms", "0.05" },
    { "switch-interval-ms", "100.5" },
    { "repeats", "0" },
    { "repeats", "21" },
    { "sweep", "maybe" },
    { "threads", "4" },
  };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("models", NULL);
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
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

  /* Each row is refused for its own parameter, naming it and the value,
   * and leaves that parameter as it was ("threads" is no parameter). */
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      gboolean exists = g_object_class_find_property (G_OBJECT_GET_CLASS (experiment), invalid[i].name) != NULL;
      g_autofree char *before = exists ? ptl_experiment_dup_param_text (experiment, invalid[i].name) : NULL;
      g_autofree char *quoted_name = g_strdup_printf ("“%s”", invalid[i].name);
      g_autofree char *quoted_text = g_strdup_printf ("“%s”", invalid[i].text);

      g_assert_false (ptl_experiment_set_param (experiment, invalid[i].name, invalid[i].text, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_test_message ("%s=%s: %s", invalid[i].name, invalid[i].text, error->message);
      g_assert_nonnull (strstr (error->message, quoted_name));
      if (exists)
        {
          g_assert_nonnull (strstr (error->message, quoted_text));
          text = ptl_experiment_dup_param_text (experiment, invalid[i].name);
          g_assert_cmpstr (text, ==, before);
          g_clear_pointer (&text, g_free);
        }
      g_clear_error (&error);
    }

  g_assert_true (ptl_experiment_set_param (experiment, "workload", "mixed", &error));
  g_assert_no_error (error);
  text = ptl_experiment_dup_param_text (experiment, "workload");
  g_assert_cmpstr (text, ==, "mixed");
  g_assert_true (ptl_experiment_set_param (experiment, "switch-interval-ms", "0.1", &error));
  g_assert_no_error (error);
}

typedef struct
{
  PtlGil  *gil;
  gint    *holders;
  gint64   run_ns;
  gboolean overlapped;
} GilThread;

static gpointer
gil_thread (gpointer data)
{
  GilThread *self = data;
  gint64 end = ptl_clock_now_ns () + self->run_ns;
  guint64 state = 1;

  ptl_gil_take (self->gil, self);
  self->overlapped |= g_atomic_int_add (self->holders, 1) != 0;
  while (ptl_clock_now_ns () < end)
    {
      state = ptl_kernel_run (state, PTL_KERNEL_BLOCK);
      if (ptl_gil_drop_requested (self->gil))
        {
          g_atomic_int_add (self->holders, -1);
          ptl_gil_yield (self->gil, self);
          self->overlapped |= g_atomic_int_add (self->holders, 1) != 0;
        }
    }
  g_atomic_int_add (self->holders, -1);
  ptl_gil_drop (self->gil, self);
  return GSIZE_TO_POINTER ((gsize) (state & 1));
}

/* Three threads computing under the emulated GIL: never two holders at
 * once, and with a 1 ms interval the lock is handed over many times. */
static void
test_gil (void)
{
  g_autoptr(PtlGil) gil = ptl_gil_new (1.0);
  GilThread threads[3];
  GThread *handles[G_N_ELEMENTS (threads)];
  gint holders = 0;
  gint64 start = ptl_clock_now_ns ();
  double elapsed_ms;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      threads[i] = (GilThread) { gil, &holders, 60 * G_GINT64_CONSTANT (1000000), FALSE };
      handles[i] = g_thread_new ("gil-test", gil_thread, &threads[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (handles[i]);
      g_assert_false (threads[i].overlapped);
    }
  elapsed_ms = (ptl_clock_now_ns () - start) / 1e6;

  g_test_message ("switches %" G_GUINT64_FORMAT ", forced %" G_GUINT64_FORMAT ", %.1f ms",
                  ptl_gil_get_n_switches (gil), ptl_gil_get_n_forced (gil), elapsed_ms);
  g_assert_cmpint (holders, ==, 0);
  if (ptl_test_checks_measured ("at least 10 handovers forced by the 1 ms interval"))
    {
      g_assert_cmpuint (ptl_gil_get_n_forced (gil), >=, 10);
      g_assert_cmpuint (ptl_gil_get_n_switches (gil), >=, 10);
    }
}

static void
test_cpu (void)
{
  const char *params[] = { "workload", "cpu", "tasks", "4", "cpu-ms", "50",
                           "repeats", "3", "sweep", "false", NULL };
  Progress progress = { 0 };
  g_autoptr(PtlResult) result = run_models (params, &progress);
  double sequential = ptl_test_cell (result, "sequential", "wall");

  check_shape (result, 3);
  g_assert_cmpuint (progress.n_calls, >, 0);

  /* 4 × 50 ms of arithmetic. Wide margins: the calibration itself runs
   * on a shared machine, and a busy moment during it shrinks the work. */
  g_assert_cmpfloat (sequential, >, 0.05);
  g_assert_cmpfloat (sequential, <, 1.0);
  /* Processes take one child's peak RSS each. */
  g_assert_cmpfloat (ptl_test_cell (result, "processes", "memory"), >, 4 * 256 * 1024);

  if (ptl_machine_get_n_cpus () < 2)
    {
      g_test_skip ("one CPU: no parallel speedup to check");
      return;
    }
  if (ptl_test_checks_measured ("threads at least 1.3 times faster than sequential"))
    g_assert_cmpfloat (best_wall (result, "sequential") / best_wall (result, "threads"), >=, 1.3);
  g_assert_cmpfloat (best_wall (result, "sequential") / best_wall (result, "gil-threads"), <=, 1.3);
}

static void
test_io (void)
{
  const char *params[] = { "workload", "io", "tasks", "20", "io-ms", "20",
                           "repeats", "1", "sweep", "false", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("models", params);
  double sequential = ptl_test_cell (result, "sequential", "wall");

  check_shape (result, 1);
  g_assert_cmpfloat (sequential, >=, 20 * 0.020);
  g_assert_cmpfloat (ptl_test_cell (result, "event-loop", "speedup"), >=, 3);
  g_assert_cmpfloat (ptl_test_cell (result, "threads", "speedup"), >=, 3);
  /* Waits release the GIL. */
  g_assert_cmpfloat (ptl_test_cell (result, "gil-threads", "speedup"), >=, 3);
}

static void
test_mixed_sweep (void)
{
  const char *params[] = { "workload", "mixed", "tasks", "4", "cpu-ms", "20", "io-ms", "10",
                           "repeats", "2", "sweep", "true", NULL };
  Progress progress = { 0 };
  g_autoptr(PtlResult) result = run_models (params, &progress);
  PtlChart *sweep = ptl_result_find_chart (result, "sweep");
  guint n_cpus = ptl_machine_get_n_cpus ();
  gboolean have_ideal = FALSE, have_cores = FALSE;

  check_shape (result, 2);
  g_assert_true (progress.saw_points);
  g_assert_cmpfloat (progress.last_fraction, <=, 1.0);

  g_assert_nonnull (sweep);
  g_assert_cmpint (ptl_chart_get_kind (sweep), ==, PTL_CHART_LINE);
  g_assert_cmpstr (ptl_chart_get_y_unit (sweep), ==, "x");
  g_assert_cmpuint (ptl_chart_get_n_series (sweep), ==, 3);
  g_assert_nonnull (ptl_chart_find_series (sweep, "thread-pool"));
  g_assert_nonnull (ptl_chart_find_series (sweep, "processes"));
  g_assert_nonnull (ptl_chart_find_series (sweep, "gil-threads"));
  for (guint s = 0; s < 3; s++)
    {
      guint n_points;
      const PtlPoint *points = ptl_series_get_points (ptl_chart_get_series (sweep, s), &n_points);

      g_assert_cmpuint (n_points, ==, 2 * n_cpus);
      for (guint i = 0; i < n_points; i++)
        {
          g_assert_cmpfloat (points[i].x, ==, i + 1);
          g_assert_cmpfloat (points[i].y, >, 0);
        }
    }
  for (guint i = 0; i < ptl_chart_get_n_references (sweep); i++)
    {
      const PtlReference *reference = ptl_chart_get_reference (sweep, i);

      have_ideal |= reference->kind == PTL_REFERENCE_DIAGONAL && reference->value == 1;
      have_cores |= reference->kind == PTL_REFERENCE_VERTICAL && reference->value == n_cpus;
    }
  g_assert_true (have_ideal);
  g_assert_true (have_cores);
}

/* Failures of the helper program a user can cause (a broken install, a
 * wrong PTLAB_HELPER) end the run with an error that names the cause. */
static void
test_helper_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *not_a_program = NULL;
  int fd = g_file_open_tmp ("ptlab-not-a-program-XXXXXX", &not_a_program, &error);
  const struct { const char *helper; const char *needle; } cases[] = {
    { "/nonexistent/ptlab-helper", "PTLAB_HELPER" },
    { not_a_program, "Could not start the helper program" },
    { "/bin/true", "did not report" },
    { "/bin/false", "exit status 1" },
  };
  const char *params[] = { "workload", "io", "tasks", "2", "io-ms", "1",
                           "repeats", "1", "sweep", "false", NULL };
  g_autofree char *saved = g_strdup (g_getenv ("PTLAB_HELPER"));

  /* Executable, but not a program: exec fails inside posix_spawn (). */
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, "garbage\n", 8), ==, 8);
  close (fd);
  g_assert_cmpint (g_chmod (not_a_program, 0755), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("models", params);
      g_autoptr(PtlResult) result = NULL;

      g_setenv ("PTLAB_HELPER", cases[i].helper, TRUE);
      result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_FAILED);
      g_test_message ("%s: %s", cases[i].helper, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      g_clear_error (&error);
    }
  g_unlink (not_a_program);

  if (saved != NULL)
    g_setenv ("PTLAB_HELPER", saved, TRUE);
  else
    g_unsetenv ("PTLAB_HELPER");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/models/registry", test_registry);
  g_test_add_func ("/ptl/models/params", test_params);
  g_test_add_func ("/ptl/models/gil", test_gil);
  g_test_add_func ("/ptl/models/cpu", test_cpu);
  g_test_add_func ("/ptl/models/io", test_io);
  g_test_add_func ("/ptl/models/mixed-sweep", test_mixed_sweep);
  g_test_add_func ("/ptl/models/helper-errors", test_helper_errors);

  return g_test_run ();
}
