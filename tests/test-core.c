/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ptl-core.h"

/* A minimal experiment to drive the base class: counts to `steps`,
 * adding a point and reporting progress at each step. */

typedef enum { TEST_FLAVOUR_PLAIN, TEST_FLAVOUR_FANCY } TestFlavour;

#define TEST_TYPE_EXPERIMENT (test_experiment_get_type ())
G_DECLARE_FINAL_TYPE (TestExperiment, test_experiment, TEST, EXPERIMENT, PtlExperiment)

struct _TestExperiment
{
  PtlExperiment parent_instance;
  int           steps;
  double        delay_ms;
  gboolean      fail;
  TestFlavour   flavour;
  char         *label;
};

enum { PROP_0, PROP_STEPS, PROP_DELAY_MS, PROP_FAIL, PROP_FLAVOUR, PROP_LABEL, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TestExperiment, test_experiment, PTL_TYPE_EXPERIMENT)

static GType
test_flavour_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    { TEST_FLAVOUR_PLAIN, "TEST_FLAVOUR_PLAIN", "plain" },
    { TEST_FLAVOUR_FANCY, "TEST_FLAVOUR_FANCY", "fancy" },
    { 0, NULL, NULL },
  };

  if (type == 0)
    type = g_enum_register_static ("TestFlavour", values);
  return type;
}

static gboolean
test_experiment_run (PtlExperiment  *experiment,
                     PtlRun         *run,
                     GError        **error)
{
  TestExperiment *self = TEST_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  PtlChart *chart = ptl_result_add_chart (result, "count", PTL_CHART_LINE, "Count");
  PtlSeries *series = ptl_chart_add_series (chart, "steps");
  PtlTable *table = ptl_result_get_summary (result);
  guint row;

  ptl_chart_set_x_axis (chart, "step", "", FALSE);
  ptl_chart_set_y_axis (chart, "time", "s", FALSE);

  for (int i = 0; i < self->steps; i++)
    {
      if (!ptl_clock_sleep_ns ((gint64) (self->delay_ms * 1e6), ptl_run_get_cancellable (run)))
        return !ptl_run_set_error_if_cancelled (run, error);
      ptl_series_add_point (series, i, i * 0.001);
      ptl_run_progress (run, (i + 1.0) / self->steps, "step %d", i + 1);
    }

  if (self->fail)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, "asked to fail");
      return FALSE;
    }

  ptl_table_add_column (table, "mode", NULL);
  ptl_table_add_column (table, "steps", "");
  row = ptl_table_add_row (table);
  ptl_table_set_text (table, row, 0, self->label);
  ptl_table_set_number (table, row, 1, self->steps);
  return TRUE;
}

/* One task a step: enough to drive the user's limit. */
static guint
test_experiment_count_tasks (PtlExperiment *experiment)
{
  return (guint) MAX (TEST_EXPERIMENT (experiment)->steps, 0);
}

static void
test_experiment_finalize (GObject *object)
{
  g_free (TEST_EXPERIMENT (object)->label);
  G_OBJECT_CLASS (test_experiment_parent_class)->finalize (object);
}

static void
test_experiment_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TestExperiment *self = TEST_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_STEPS: g_value_set_int (value, self->steps); break;
    case PROP_DELAY_MS: g_value_set_double (value, self->delay_ms); break;
    case PROP_FAIL: g_value_set_boolean (value, self->fail); break;
    case PROP_FLAVOUR: g_value_set_enum (value, self->flavour); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_experiment_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TestExperiment *self = TEST_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_STEPS: ptl_param_store_int (object, &self->steps, value, pspec); break;
    case PROP_DELAY_MS: ptl_param_store_double (object, &self->delay_ms, value, pspec); break;
    case PROP_FAIL: ptl_param_store_boolean (object, &self->fail, value, pspec); break;
    case PROP_FLAVOUR: ptl_param_store_enum (object, (int *) &self->flavour, value, pspec); break;
    case PROP_LABEL: ptl_param_store_string (object, &self->label, value, pspec); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_experiment_class_init (TestExperimentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = test_experiment_finalize;
  object_class->get_property = test_experiment_get_property;
  object_class->set_property = test_experiment_set_property;
  experiment_class->id = "test";
  experiment_class->title = "Test";
  experiment_class->category = "Testing";
  experiment_class->run = test_experiment_run;
  experiment_class->count_tasks = test_experiment_count_tasks;

  properties[PROP_STEPS] = g_param_spec_int ("steps", "Steps", "How many", 1, 1000, 5, flags);
  properties[PROP_DELAY_MS] = g_param_spec_double ("delay-ms", "Delay", "Per step", 0, 1000, 1, flags);
  properties[PROP_FAIL] = g_param_spec_boolean ("fail", "Fail", "Fail at the end", FALSE, flags);
  properties[PROP_FLAVOUR] = g_param_spec_enum ("flavour", "Flavour", "Which", test_flavour_get_type (),
                                                TEST_FLAVOUR_PLAIN, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", "Label", "A name", "plain, \"quoted\"", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  ptl_param_set_unit (properties[PROP_DELAY_MS], "ms");
}

static void
test_experiment_init (TestExperiment *self)
{
  self->steps = 5;
  self->delay_ms = 1;
  self->label = g_strdup ("plain, \"quoted\"");
}

/* Tests */

static void
test_stats_log_histogram (void)
{
  /* Bins of a decade each: [1, 10), [10, 100), [100, 1000). */
  const double samples[] = { 2, 3, 50, 0, -1, 500, 20, 30 };
  g_autofree double *centers = NULL;
  g_autofree double *percent = NULL;
  guint n_bins;

  n_bins = ptl_stats_log_histogram (samples, G_N_ELEMENTS (samples), 1, &centers, &percent);
  /* An empty bin each side of the three used: 0.1–1 and 1000–10000. */
  g_assert_cmpuint (n_bins, ==, 5);
  g_assert_cmpfloat_with_epsilon (centers[0], sqrt (0.1 * 1), 1e-9);
  g_assert_cmpfloat_with_epsilon (centers[2], sqrt (10 * 100.0), 1e-9);
  /* Zero and negative samples are left out: 6 positive ones. */
  g_assert_cmpfloat (percent[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (percent[1], 100.0 * 2 / 6, 1e-9);
  g_assert_cmpfloat_with_epsilon (percent[2], 100.0 * 3 / 6, 1e-9);
  g_assert_cmpfloat_with_epsilon (percent[3], 100.0 * 1 / 6, 1e-9);
  g_assert_cmpfloat (percent[4], ==, 0);

  g_clear_pointer (&centers, g_free);
  g_clear_pointer (&percent, g_free);
  g_assert_cmpuint (ptl_stats_log_histogram (samples + 3, 2, 10, &centers, &percent), ==, 0);
  g_assert_null (centers);
  g_assert_null (percent);
}

static void
test_stats_cdf (void)
{
  /* 0 … 100 in any order: the value at p % is p. */
  double samples[101];
  g_autofree double *values = NULL;
  g_autofree double *percent = NULL;
  guint n_points;

  for (guint i = 0; i <= 100; i++)
    samples[i] = (i * 37) % 101;

  /* Steps of 10 %: 90 % is below 99 %, so the next step is still 10 %. */
  n_points = ptl_stats_cdf (samples, G_N_ELEMENTS (samples), 100, 5, &values, &percent);
  g_assert_cmpuint (n_points, ==, 11);
  for (guint i = 0; i < n_points; i++)
    {
      g_assert_cmpfloat_with_epsilon (percent[i], 10.0 * i, 1e-12);
      g_assert_cmpfloat_with_epsilon (values[i], 10.0 * i, 1e-9);
    }
  g_clear_pointer (&values, g_free);
  g_clear_pointer (&percent, g_free);

  /* Every 1 % up to 99 %, then every 0.1 % to 100 %: 100 + 10 points,
   * increasing in both. */
  n_points = ptl_stats_cdf (samples, G_N_ELEMENTS (samples), 10, 1, &values, &percent);
  g_assert_cmpuint (n_points, ==, 110);
  g_assert_cmpfloat (percent[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (percent[100], 99.1, 1e-12);
  g_assert_cmpfloat (percent[n_points - 1], ==, 100);
  g_assert_cmpfloat (values[n_points - 1], ==, 100);
  for (guint i = 1; i < n_points; i++)
    {
      g_assert_cmpfloat (percent[i], >, percent[i - 1]);
      g_assert_cmpfloat (values[i], >=, values[i - 1]);
    }
  /* The input is left as it was. */
  g_assert_cmpfloat (samples[1], ==, 37);
  g_clear_pointer (&values, g_free);
  g_clear_pointer (&percent, g_free);

  g_assert_cmpuint (ptl_stats_cdf (NULL, 0, 10, 1, &values, &percent), ==, 0);
  g_assert_null (values);
  g_assert_null (percent);
}

static void
test_stats_percentiles (void)
{
  static const struct { double p; double expected; } cases[] = {
    { 0, 1 }, { 25, 2 }, { 50, 3 }, { 75, 4 }, { 100, 5 }, { 10, 1.4 }, { 95, 4.8 },
  };
  const double sorted[] = { 1, 2, 3, 4, 5 };
  const double unsorted[] = { 5, 1, 4, 2, 3 };
  PtlStats stats;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat_with_epsilon (ptl_stats_percentile_sorted (sorted, 5, cases[i].p),
                                    cases[i].expected, 1e-12);

  ptl_stats_compute (&stats, unsorted, 5);
  g_assert_cmpuint (stats.n, ==, 5);
  g_assert_cmpfloat (stats.min, ==, 1);
  g_assert_cmpfloat (stats.max, ==, 5);
  g_assert_cmpfloat (stats.median, ==, 3);
  g_assert_cmpfloat (stats.mean, ==, 3);
  g_assert_cmpfloat_with_epsilon (stats.stddev, sqrt (2.5), 1e-12);
  g_assert_cmpfloat (unsorted[0], ==, 5); /* input untouched */
  g_assert_cmpfloat_with_epsilon (ptl_stats_median ((double[]) { 4, 1, 3, 2 }, 4), 2.5, 1e-12);

  ptl_stats_compute (&stats, NULL, 0);
  g_assert_cmpuint (stats.n, ==, 0);
  g_assert_true (isnan (stats.median));
  g_assert_true (isnan (ptl_stats_mean (NULL, 0)));
}

/* The one definition of noise every experiment uses. */
static void
test_stats_noisy (void)
{
  static const struct
  {
    double   samples[5];
    gsize    n;
    gboolean noisy;
  } cases[] = {
    { { 1.0, 1.1, 0.9, 1.05, 0.95 }, 5, FALSE },
    { { 1.0, 1.0, 1.0, 1.0, 10.0 }, 5, TRUE },
    { { 1.0, 3.0, 1.0 }, 3, TRUE },
    { { 1.0, 1.9, 1.0 }, 3, FALSE },
    /* Two samples cannot tell. */
    { { 1.0, 100.0 }, 2, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlStats stats;

      ptl_stats_compute (&stats, cases[i].samples, cases[i].n);
      g_assert_cmpint (ptl_stats_is_noisy (&stats), ==, cases[i].noisy);
    }
}

static void
test_stats_format (void)
{
  static const struct { double value; const char *unit; const char *expected; } cases[] = {
    { 0.0000000234, "s", "23.4 ns" },
    { 0.0000052, "s", "5.20 µs" },
    { 0.0123, "s", "12.3 ms" },
    { 2.5, "s", "2.50 s" },
    { 0, "s", "0 s" },
    { 512, "B", "512 B" },
    { 1536, "B", "1.50 KiB" },
    { 3.5 * 1048576, "B", "3.50 MiB" },
    { 11e9, "B/s", "10.2 GiB/s" },
    { 1500000, "ops/s", "1.50 M ops/s" },
    { 1.953, "x", "1.95×" },
    { 12.34, "%", "12.3 %" },
    { 42, "tasks", "42 tasks" },
    { NAN, "s", "–" },
    { 7, "", "7" },
    { 1000, "", "1000" },
    { 1234.5, "", "1.23e+03" },
    { 12000, "tasks", "12000 tasks" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ptl_format_value (cases[i].value, cases[i].unit);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_params_validation (void)
{
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  static const struct { const char *name; const char *text; gboolean ok; const char *message_part; } cases[] = {
    { "steps", "10", TRUE, NULL },
    { "steps", " 7 ", TRUE, NULL },
    { "steps", "0", FALSE, "1 – 1000" },
    { "steps", "1001", FALSE, "1 – 1000" },
    { "steps", "ten", FALSE, "integer" },
    { "steps", "1.5", FALSE, "integer" },
    { "steps", "99999999999", FALSE, "steps" },
    { "delay-ms", "2.5", TRUE, NULL },
    { "delay-ms", "-1", FALSE, "0 – 1000" },
    { "delay-ms", "nan", FALSE, "number" },
    { "delay-ms", "", FALSE, "number" },
    { "fail", "yes", TRUE, NULL },
    { "fail", "maybe", FALSE, "true or false" },
    { "flavour", "fancy", TRUE, NULL },
    { "flavour", "spicy", FALSE, "plain | fancy" },
    { "label", "anything at all", TRUE, NULL },
    { "nope", "1", FALSE, "steps, delay-ms, fail, flavour, label" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = ptl_experiment_set_param (experiment, cases[i].name, cases[i].text, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
          g_assert_nonnull (strstr (error->message, cases[i].message_part));
        }
    }

  {
    g_autofree char *steps = ptl_experiment_dup_param_text (experiment, "steps");
    g_autofree char *flavour = ptl_experiment_dup_param_text (experiment, "flavour");
    g_autofree char *delay = ptl_experiment_dup_param_text (experiment, "delay-ms");
    g_assert_cmpstr (steps, ==, "7");
    g_assert_cmpstr (flavour, ==, "fancy");
    g_assert_cmpstr (delay, ==, "2.5");
  }
}

static void
test_params_metadata (void)
{
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  g_autofree GParamSpec **params = NULL;
  g_autoptr(PtlExperiment) copy = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  guint n_params;

  params = ptl_experiment_list_params (experiment, &n_params);
  g_assert_cmpuint (n_params, ==, 5);
  g_assert_cmpstr (params[0]->name, ==, "steps");
  g_assert_cmpstr (params[4]->name, ==, "label");
  g_assert_cmpstr (ptl_param_get_unit (params[1]), ==, "ms");
  g_assert_cmpstr (ptl_param_get_unit (params[0]), ==, "");
  {
    g_autofree char *range = ptl_param_describe_range (params[0]);
    g_autofree char *def = ptl_param_dup_default_text (params[3]);
    g_assert_cmpstr (range, ==, "1 – 1000");
    g_assert_cmpstr (def, ==, "plain");
  }

  g_assert_true (ptl_experiment_set_param (experiment, "steps", "42", NULL));
  copy = ptl_experiment_dup (experiment);
  g_assert_cmpint (TEST_EXPERIMENT (copy)->steps, ==, 42);

  json = ptl_experiment_dup_params_json (experiment);
  g_assert_cmpint (json_object_get_int_member (json, "steps"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (json, "flavour"), ==, "plain");
  json_object_set_int_member (json, "steps", 3);
  json_object_set_string_member (json, "flavour", "fancy");
  g_assert_true (ptl_experiment_set_params_from_json (copy, json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (TEST_EXPERIMENT (copy)->steps, ==, 3);
  g_assert_cmpint (TEST_EXPERIMENT (copy)->flavour, ==, TEST_FLAVOUR_FANCY);

  json_object_set_int_member (json, "steps", 5000);
  g_assert_false (ptl_experiment_set_params_from_json (copy, json, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);

  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GPtrArray *notified = user_data;

  g_ptr_array_add (notified, (gpointer) pspec->name);
}

/* Parameters are G_PARAM_EXPLICIT_NOTIFY: the ptl_param_store_* helpers
 * notify once when a value changes and not at all when it is set again. */
static void
test_params_notify (void)
{
  static const struct {
    const char *name;
    const char *new_text;
  } cases[] = {
    { "steps", "7" },
    { "delay-ms", "2.5" },
    { "fail", "true" },
    { "flavour", "fancy" },
    { "label", "another label" },
  };
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  g_autoptr(GPtrArray) notified = g_ptr_array_new ();

  g_signal_connect (experiment, "notify", G_CALLBACK (count_notify_cb), notified);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *current = ptl_experiment_dup_param_text (experiment, cases[i].name);
      g_autoptr(GError) error = NULL;

      g_ptr_array_set_size (notified, 0);
      g_assert_true (ptl_experiment_set_param (experiment, cases[i].name, current, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (notified->len, ==, 0);

      g_assert_true (ptl_experiment_set_param (experiment, cases[i].name, cases[i].new_text, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (notified->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (notified, 0), ==, cases[i].name);

      g_assert_true (ptl_experiment_set_param (experiment, cases[i].name, cases[i].new_text, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (notified->len, ==, 1);
    }

  /* A string may also change to and from NULL. */
  g_ptr_array_set_size (notified, 0);
  g_object_set (experiment, "label", NULL, NULL);
  g_assert_cmpuint (notified->len, ==, 1);
  g_object_set (experiment, "label", NULL, NULL);
  g_assert_cmpuint (notified->len, ==, 1);
  g_assert_null (TEST_EXPERIMENT (experiment)->label);

  g_signal_handlers_disconnect_by_func (experiment, count_notify_cb, notified);
  g_assert_finalize_object (g_steal_pointer (&experiment));
}

static PtlResult *
make_result (void)
{
  PtlResult *result = ptl_result_new ("test", "A \"test\", result");
  PtlChart *bars = ptl_result_add_chart (result, "wall", PTL_CHART_BAR, "Wall time");
  PtlChart *line = ptl_result_add_chart (result, "sweep", PTL_CHART_LINE, "Sweep");
  PtlSeries *series;
  PtlTable *table = ptl_result_get_summary (result);
  g_autoptr(JsonObject) params = json_object_new ();
  const double samples[] = { 1e-6, 2e-6, NAN };
  guint row;

  json_object_set_int_member (params, "tasks", 4);
  ptl_result_set_parameters (result, params);
  ptl_result_add_note (result, "ran on %d cores", 2);
  ptl_result_add_warning (result, "ran in a %s", "VM");
  ptl_result_add_samples (result, "latency", "s", samples, 3);

  ptl_chart_set_categories (bars, (const char *[]) { "sequential", "threads, many", NULL });
  ptl_chart_set_y_axis (bars, "wall time", "s", FALSE);
  ptl_chart_add_reference (bars, PTL_REFERENCE_HORIZONTAL, 1, "one second");
  series = ptl_chart_add_series (bars, "wall");
  ptl_series_set_band_label (series, "min–max");
  ptl_series_add_point_band (series, 0, 0.8, 0.75, 0.9);
  ptl_series_add_point_band (series, 1, 0.4, NAN, NAN);

  ptl_chart_set_x_axis (line, "workers", "", FALSE);
  ptl_chart_set_y_axis (line, "speedup", "x", TRUE);
  ptl_chart_add_reference (line, PTL_REFERENCE_DIAGONAL, 1, "ideal");
  ptl_chart_set_x_range (line, 0, 4);
  series = ptl_chart_add_series (line, "thread-pool");
  ptl_series_add_point (series, 1, 1.0);
  ptl_series_add_point (series, 2, 1.96);

  ptl_table_add_column (table, "mode", NULL);
  ptl_table_add_column (table, "wall", "s");
  row = ptl_table_add_row (table);
  ptl_table_set_text (table, row, 0, "sequential");
  ptl_table_set_number (table, row, 1, 0.8);
  row = ptl_table_add_row (table);
  ptl_table_set_text (table, row, 0, "threads");
  return result;
}

static void
assert_results_equal (PtlResult *a,
                      PtlResult *b)
{
  g_autofree char *json_a = ptl_result_to_json_string (a);
  g_autofree char *json_b = ptl_result_to_json_string (b);

  g_assert_cmpstr (json_a, ==, json_b);
}

static void
test_result_json_round_trip (void)
{
  g_autoptr(PtlResult) result = make_result ();
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(PtlResult) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ptlab-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "result.json", NULL);
  PtlChart *chart;
  const PtlPoint *points;
  guint n_points;

  g_assert_true (ptl_result_save_json (result, path, &error));
  g_assert_no_error (error);
  loaded = ptl_result_load_json (path, &error);
  g_assert_no_error (error);
  assert_results_equal (result, loaded);

  chart = ptl_result_find_chart (loaded, "wall");
  g_assert_nonnull (chart);
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_BAR);
  g_assert_cmpuint (ptl_chart_get_n_categories (chart), ==, 2);
  g_assert_cmpstr (ptl_series_get_band_label (ptl_chart_get_series (chart, 0)), ==, "min–max");
  points = ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
  g_assert_cmpuint (n_points, ==, 2);
  g_assert_cmpfloat (points[0].hi, ==, 0.9);
  g_assert_true (isnan (points[1].lo));
  g_assert_true (ptl_chart_get_y_log (ptl_result_find_chart (loaded, "sweep")));
  {
    double min, max;

    g_assert_true (ptl_chart_get_x_range (ptl_result_find_chart (loaded, "sweep"), &min, &max));
    g_assert_cmpfloat (min, ==, 0);
    g_assert_cmpfloat (max, ==, 4);
    g_assert_false (ptl_chart_get_x_range (ptl_result_find_chart (loaded, "wall"), NULL, NULL));
  }
  g_assert_cmpuint (ptl_result_get_n_notes (loaded), ==, 1);
  g_assert_cmpstr (ptl_result_get_note (loaded, 0), ==, "ran on 2 cores");
  g_assert_cmpuint (ptl_result_get_n_warnings (loaded), ==, 1);
  g_assert_cmpstr (ptl_result_get_warning (loaded, 0), ==, "ran in a VM");
  g_assert_false (ptl_table_cell_is_number (ptl_result_get_summary (loaded), 1, 1));

  copy = ptl_result_copy (result);
  assert_results_equal (result, copy);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&loaded));
}

static void
test_result_json_malformed (void)
{
  static const struct { const char *json; const char *message_part; } cases[] = {
    { "[]", "top level" },
    { "{}", "experiment" },
    { "{\"experiment\": 3}", "must be text" },
    { "{\"experiment\": \"x\", \"format\": \"other\"}", "format" },
    { "{\"experiment\": \"x\", \"charts\": {}}", "must be a list" },
    { "{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\"}]}", "kind" },
    { "{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\", \"kind\": \"pie\"}]}", "unknown kind" },
    { "{\"experiment\": \"x\", \"series\": [{\"chart\": \"a\", \"name\": \"s\", \"points\": []}]}", "not in" },
    { "{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\", \"kind\": \"line\"}],"
      " \"series\": [{\"chart\": \"a\", \"name\": \"s\", \"points\": [[1]]}]}", "pair" },
    { "{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\", \"kind\": \"line\"}],"
      " \"series\": [{\"chart\": \"a\", \"name\": \"s\", \"points\": [[1, \"y\"]]}]}", "number" },
    { "{\"experiment\": \"x\", \"summary\": {\"columns\": [\"a\"], \"rows\": [[1, 2]]}}", "one value per column" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(PtlResult) result = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, cases[i].json, -1, NULL));
      result = ptl_result_new_from_json (json_parser_get_root (parser), &error);
      g_assert_null (result);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].message_part);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("ptlab-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "garbage.json", NULL);

    g_assert_true (g_file_set_contents (path, "{\"experiment\": \"x\", \x01", -1, NULL));
    g_assert_null (ptl_result_load_json (path, &error));
    g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
    g_assert_nonnull (strstr (error->message, path));
    g_remove (path);
    g_rmdir (dir);
  }
}

static void
test_result_csv (void)
{
  g_autoptr(PtlResult) result = make_result ();
  g_autofree char *csv = ptl_result_to_csv (result);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpstr (lines[0], ==, "chart,series,x,x_unit,y,y_unit,low,high");
  g_assert_cmpstr (lines[1], ==, "wall,wall,sequential,,0.8,s,0.75,0.9");
  g_assert_cmpstr (lines[2], ==, "wall,wall,\"threads, many\",,0.4,s,,");
  g_assert_cmpstr (lines[3], ==, "sweep,thread-pool,1,,1,x,,");
  g_assert_cmpstr (lines[4], ==, "sweep,thread-pool,2,,1.96,x,,");
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_null (lines[6]);
}

/* Readers see names; lookups, CSV and JSON keep the ids. */
static void
test_result_ids (void)
{
  static const char *ids[] = { "gil-threads", "thread-pool", NULL };
  static const char *names[] = { "Threads under a GIL", "Thread pool", NULL };
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Ids");
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  PtlChart *chart;
  PtlSeries *series;
  PtlTable *table;

  chart = ptl_result_add_chart (result, "wall", PTL_CHART_BAR, "Wall time");
  ptl_chart_set_categories_with_ids (chart, ids, names);
  series = ptl_chart_add_series_with_id (chart, "wall", "Wall time");
  ptl_series_add_point (series, 1, 2.5);
  table = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (table, "pss-per-worker", "PSS per worker", "B");
  ptl_table_set_text (table, ptl_table_add_row_with_id (table, "gil-threads"), 0, "Threads under a GIL");
  ptl_table_set_text (table, ptl_table_add_row (table), 0, "plain");

  g_assert_true (ptl_chart_find_series (chart, "wall") == series);
  g_assert_null (ptl_chart_find_series (chart, "Wall time"));
  g_assert_cmpstr (ptl_series_get_name (series), ==, "Wall time");
  g_assert_true (g_strv_equal (ptl_chart_get_categories (chart), names));
  g_assert_true (g_strv_equal (ptl_chart_get_category_ids (chart), ids));
  g_assert_cmpint (ptl_table_find_column (table, "pss-per-worker"), ==, 0);
  g_assert_cmpstr (ptl_table_get_column_name (table, 0), ==, "PSS per worker");
  g_assert_cmpint (ptl_table_find_row (table, "gil-threads"), ==, 0);
  g_assert_cmpint (ptl_table_find_row (table, "Threads under a GIL"), ==, -1);
  g_assert_cmpint (ptl_table_find_row (table, "plain"), ==, 1);

  csv = ptl_result_to_csv (result);
  g_assert_nonnull (strstr (csv, "wall,wall,thread-pool,"));
  g_assert_null (strstr (csv, "Thread pool"));

  node = ptl_result_to_json (result);
  loaded = ptl_result_new_from_json (node, &error);
  g_assert_no_error (error);
  chart = ptl_result_find_chart (loaded, "wall");
  g_assert_cmpstr (ptl_series_get_name (ptl_chart_find_series (chart, "wall")), ==, "Wall time");
  g_assert_true (g_strv_equal (ptl_chart_get_categories (chart), names));
  g_assert_true (g_strv_equal (ptl_chart_get_category_ids (chart), ids));
  table = ptl_result_get_summary (loaded);
  g_assert_cmpint (ptl_table_find_column (table, "pss-per-worker"), ==, 0);
  g_assert_cmpstr (ptl_table_get_column_name (table, 0), ==, "PSS per worker");
  g_assert_cmpint (ptl_table_find_row (table, "gil-threads"), ==, 0);
  g_assert_cmpint (ptl_table_find_row (table, "plain"), ==, 1);
}

/* A cancelled run's result says so first, in copies and in JSON. */
static void
test_result_partial (void)
{
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Partial");
  g_autoptr(PtlResult) copy = NULL;
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  ptl_result_add_warning (result, "noisy");
  g_assert_null (ptl_result_get_partial (result));
  node = ptl_result_to_json (result);
  g_assert_false (json_object_has_member (json_node_get_object (node), "partial"));
  g_clear_pointer (&node, json_node_unref);

  ptl_result_mark_partial (result, "cancelled after 1 s");
  g_assert_cmpstr (ptl_result_get_partial (result), ==, "cancelled after 1 s");
  g_assert_cmpuint (ptl_result_get_n_warnings (result), ==, 2);
  g_assert_true (g_str_has_prefix (ptl_result_get_warning (result, 0), "Partial result — cancelled after 1 s"));
  g_assert_cmpstr (ptl_result_get_warning (result, 1), ==, "noisy");

  copy = ptl_result_copy (result);
  g_assert_cmpstr (ptl_result_get_partial (copy), ==, "cancelled after 1 s");

  node = ptl_result_to_json (result);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "partial"), ==,
                   "cancelled after 1 s");
  loaded = ptl_result_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ptl_result_get_partial (loaded), ==, "cancelled after 1 s");
  g_assert_cmpuint (ptl_result_get_n_warnings (loaded), ==, 2);
}

static void
test_result_timeline (void)
{
  g_autoptr(PtlResult) result = ptl_result_new ("sched", "Timeline");
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  PtlChart *chart = ptl_result_add_chart (result, "gantt", PTL_CHART_TIMELINE, "FCFS");
  guint p1, cpu, k1, idle, n_slices, n_markers;
  const PtlSlice *slices;
  const PtlMarker *markers;

  ptl_chart_set_x_axis (chart, "time", "s", FALSE);
  p1 = ptl_chart_add_lane (chart, "P1");
  cpu = ptl_chart_add_lane (chart, "CPU 0");
  k1 = ptl_chart_add_key (chart, "P1", FALSE);
  idle = ptl_chart_add_key (chart, "idle", TRUE);
  ptl_chart_add_slice (chart, p1, k1, 0, 0.5);
  ptl_chart_add_slice (chart, cpu, idle, 0.5, 0.75);
  ptl_chart_add_marker (chart, p1, 0);

  node = ptl_result_to_json (result);
  loaded = ptl_result_new_from_json (node, &error);
  g_assert_no_error (error);
  assert_results_equal (result, loaded);
  chart = ptl_result_find_chart (loaded, "gantt");
  g_assert_cmpint (ptl_chart_get_kind (chart), ==, PTL_CHART_TIMELINE);
  g_assert_cmpuint (ptl_chart_get_n_lanes (chart), ==, 2);
  g_assert_cmpstr (ptl_chart_get_key (chart, 1), ==, "idle");
  g_assert_true (ptl_chart_get_key_muted (chart, 1));
  slices = ptl_chart_get_slices (chart, &n_slices);
  g_assert_cmpuint (n_slices, ==, 2);
  g_assert_cmpfloat (slices[1].end, ==, 0.75);
  markers = ptl_chart_get_markers (chart, &n_markers);
  g_assert_cmpuint (n_markers, ==, 1);
  g_assert_cmpuint (markers[0].lane, ==, 0);

  csv = ptl_result_to_csv (result);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[1], ==, "gantt,P1,0,s,0.5,s,,");
  g_assert_cmpstr (lines[2], ==, "gantt,CPU 0: idle,0.5,s,0.75,s,,");

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(PtlResult) bad = NULL;

    g_assert_true (json_parser_load_from_data (parser,
      "{\"experiment\": \"x\", \"charts\": [{\"id\": \"g\", \"kind\": \"timeline\", \"lanes\": [\"a\"],"
      " \"keys\": [{\"name\": \"a\"}], \"slices\": [[0, 5, 0, 1]]}]}", -1, NULL));
    bad = ptl_result_new_from_json (json_parser_get_root (parser), &error);
    g_assert_null (bad);
    g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  }
}

/* A copy goes to another thread (progress snapshots) while the worker
 * replaces the parameters: json-glib's reference counts are not atomic,
 * so the copy must share no object, array or value with the original. */
static void
test_result_copy_shares_nothing (void)
{
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Test");
  g_autoptr(PtlResult) copy = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) original = NULL;
  g_autoptr(JsonNode) copied = NULL;
  JsonObject *parameters;
  JsonObject *copied_parameters;

  g_assert_true (json_parser_load_from_data (parser, "{\"n\": 3, \"x\": 0.5, \"on\": true, \"s\": \"a\", "
                                                     "\"none\": null, \"list\": [1, {\"k\": \"v\"}]}", -1, NULL));
  parameters = json_node_get_object (json_parser_get_root (parser));
  ptl_result_set_parameters (result, parameters);
  copy = ptl_result_copy (result);
  copied_parameters = ptl_result_get_parameters (copy);

  g_assert_true (copied_parameters != parameters);
  g_assert_true (json_object_get_array_member (copied_parameters, "list")
                 != json_object_get_array_member (parameters, "list"));
  g_assert_true (json_object_get_member (copied_parameters, "n") != json_object_get_member (parameters, "n"));
  original = json_node_init_object (json_node_alloc (), parameters);
  copied = json_node_init_object (json_node_alloc (), copied_parameters);
  g_assert_true (json_node_equal (original, copied));
}

static void
test_result_save_unwritable (void)
{
  g_autoptr(PtlResult) result = make_result ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ptl_result_save_csv (result, "/nonexistent-dir/x.csv", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/x.csv"));
  g_assert_false (g_file_test ("/nonexistent-dir", G_FILE_TEST_EXISTS));
}

static void
test_table_text (void)
{
  g_autoptr(PtlResult) result = make_result ();
  g_autofree char *text = ptl_table_format_text (ptl_result_get_summary (result));

  g_assert_cmpstr (text, ==,
                   "mode          wall\n"
                   "sequential  800 ms\n"
                   "threads\n");
}

typedef struct
{
  GMainLoop *loop;
  PtlResult *result;
  GError    *error;
  guint      n_progress;
  double     last_fraction;
  guint      last_points;
  gboolean   notified;
} RunState;

static void
progress_cb (PtlResult  *snapshot,
             double      fraction,
             const char *message,
             gpointer    user_data)
{
  RunState *state = user_data;
  PtlChart *chart = ptl_result_find_chart (snapshot, "count");
  guint n_points = 0;

  if (chart != NULL && ptl_chart_get_n_series (chart) > 0)
    ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
  g_assert_cmpfloat (fraction, >=, state->last_fraction);
  g_assert_cmpuint (n_points, >=, state->last_points);
  state->last_fraction = fraction;
  state->last_points = n_points;
  state->n_progress++;
}

static void
progress_notify (gpointer user_data)
{
  RunState *state = user_data;

  state->notified = TRUE;
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunState *state = user_data;

  state->result = ptl_experiment_run_finish (PTL_EXPERIMENT (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_run_async_progress (void)
{
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  RunState state = { g_main_loop_new (NULL, FALSE) };
  PtlChart *chart;
  guint n_points;

  g_assert_true (ptl_experiment_set_param (experiment, "steps", "20", NULL));
  ptl_experiment_run_async (experiment, NULL, progress_cb, &state, progress_notify, run_done_cb, &state);
  /* The worker has its own copy: editing now does not change this run. */
  g_assert_true (ptl_experiment_set_param (experiment, "steps", "3", NULL));
  g_main_loop_run (state.loop);

  g_assert_no_error (state.error);
  g_assert_nonnull (state.result);
  g_assert_true (state.notified);
  g_assert_cmpuint (state.n_progress, >=, 1);
  chart = ptl_result_find_chart (state.result, "count");
  ptl_series_get_points (ptl_chart_get_series (chart, 0), &n_points);
  g_assert_cmpuint (n_points, ==, 20);
  g_assert_cmpint (json_object_get_int_member (ptl_result_get_parameters (state.result), "steps"), ==, 20);
  g_assert_true (json_object_has_member (ptl_result_get_machine (state.result), "cpu_model"));
  g_assert_cmpint (json_object_get_int_member (ptl_result_get_machine (state.result), "cores"), >=, 1);

  g_main_loop_unref (state.loop);
  g_assert_finalize_object (state.result);
}

/* The user's cap on tasks at once refuses a run before it starts, in the
 * same check the CLI and the form use. */
static void
test_run_max_tasks (void)
{
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = NULL;

  g_assert_cmpuint (ptl_experiment_get_max_tasks (), ==, PTL_MAX_TASKS_DEFAULT);
  g_assert_true (ptl_experiment_set_param (experiment, "steps", "20", NULL));
  g_assert_true (ptl_experiment_validate (experiment, NULL));

  ptl_experiment_set_max_tasks (19);
  g_assert_false (ptl_experiment_validate (experiment, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "up to 20 threads and processes"));
  g_assert_nonnull (strstr (error->message, "limit of 19"));
  g_clear_error (&error);

  /* A run refuses the same, before starting anything. */
  result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  ptl_experiment_set_max_tasks (20);
  g_assert_true (ptl_experiment_validate (experiment, NULL));
  ptl_experiment_set_max_tasks (PTL_MAX_TASKS_DEFAULT);
}

/* Programs burning every CPU beside a run: the result must say so. One
 * busy loop alone is 1/N of the machine, under the 15 % threshold on more
 * than six CPUs. */
static void
test_run_other_work (void)
{
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  g_autoptr(GPtrArray) burners = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean warned = FALSE;

  for (guint i = 0; i < ptl_machine_get_n_cpus (); i++)
    {
      GSubprocess *burner = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                              "/bin/sh", "-c", "while :; do :; done", NULL);

      g_assert_no_error (error);
      g_ptr_array_add (burners, burner);
    }

  /* 1.5 s of sleeping: past the CPU-second a share needs, even on one CPU. */
  g_assert_true (ptl_experiment_set_param (experiment, "steps", "15", NULL));
  g_assert_true (ptl_experiment_set_param (experiment, "delay-ms", "100", NULL));
  result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
  for (guint i = 0; i < burners->len; i++)
    {
      g_subprocess_force_exit (g_ptr_array_index (burners, i));
      g_assert_true (g_subprocess_wait (g_ptr_array_index (burners, i), NULL, NULL));
    }
  g_assert_no_error (error);

  for (guint i = 0; i < ptl_result_get_n_warnings (result); i++)
    warned |= strstr (ptl_result_get_warning (result, i), "Other programs kept the CPUs") != NULL;
  g_assert_true (warned);
}

static gpointer
cancel_later_thread (gpointer data)
{
  g_usleep (50 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_run_cancel_and_fail (void)
{
  g_autoptr(PtlExperiment) experiment = g_object_new (TEST_TYPE_EXPERIMENT, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = NULL;
  GThread *canceller;
  gint64 start;

  /* 1000 steps of 100 ms would take minutes: cancel after 50 ms. */
  g_assert_true (ptl_experiment_set_param (experiment, "steps", "1000", NULL));
  g_assert_true (ptl_experiment_set_param (experiment, "delay-ms", "100", NULL));
  start = g_get_monotonic_time ();
  /* run_sync iterates a private context: cancel from another thread. */
  canceller = g_thread_new ("canceller", cancel_later_thread, cancellable);
  result = ptl_experiment_run_sync (experiment, cancellable, NULL, NULL, &error);
  g_thread_join (canceller);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  g_assert_true (ptl_experiment_set_param (experiment, "steps", "2", NULL));
  g_assert_true (ptl_experiment_set_param (experiment, "fail", "true", NULL));
  result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_FAILED);
}

static void
test_machine_facts (void)
{
  g_autoptr(JsonObject) machine = ptl_machine_collect ();
  static const char *keys[] = { "cpu_model", "cores", "kernel", "memory_bytes", "glib_version",
                                "date", "virtualization", "governor", "load_average_1m" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!json_object_has_member (machine, keys[i]))
      g_error ("machine facts lack %s", keys[i]);
  g_assert_cmpuint (ptl_machine_get_n_cpus (), >=, 1);
}

/* Recorded and typical DMI names and cpuinfo flags: hypervisors are told
 * by their own firmware names or the CPU's hypervisor flag, never by a
 * vendor name that laptops carry too. */
static void
test_machine_virtualization (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "machine", NULL);
  g_autoptr(GDir) samples = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (samples);
  while ((name = g_dir_read_name (samples)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GKeyFile) sample = g_key_file_new ();
      g_autofree char *vendor = NULL;
      g_autofree char *product = NULL;
      g_autofree char *cpuinfo = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *found = NULL;

      g_assert_true (g_key_file_load_from_file (sample, path, G_KEY_FILE_NONE, NULL));
      vendor = g_key_file_get_string (sample, "machine", "sys_vendor", NULL);
      product = g_key_file_get_string (sample, "machine", "product_name", NULL);
      cpuinfo = g_key_file_get_string (sample, "machine", "cpuinfo", NULL);
      expected = g_key_file_get_string (sample, "machine", "expected", NULL);
      found = ptl_machine_classify_virtualization (vendor, product, cpuinfo);
      g_test_message ("%s: %s", name, found);
      g_assert_cmpstr (found, ==, expected);
      n++;
    }
  g_assert_cmpuint (n, >=, 10);

  {
    g_autofree char *unreadable = ptl_machine_classify_virtualization (NULL, NULL, NULL);

    g_assert_cmpstr (unreadable, ==, "unknown");
  }
}

/* ptl_cancellable_source_new (): a worker's loop that ends at the cancel
 * and drops its source while the cancelling thread is still emitting
 * ::cancelled (a slow handler connected after it). GLib 2.74's own
 * source leaked itself there (LeakSanitizer, dev sanitize). */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *seen;
  gboolean      attached;
} CancelWorker;

static gboolean
cancel_worker_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  CancelWorker *worker = user_data;

  worker->seen = cancellable;
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_worker_thread (gpointer data)
{
  CancelWorker *worker = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) source = ptl_cancellable_source_new (worker->cancellable);

  g_source_set_callback (source, G_SOURCE_FUNC (cancel_worker_cb), worker, NULL);
  g_source_attach (source, context);
  /* Nothing to dispatch before the cancel. */
  g_assert_false (g_main_context_iteration (context, FALSE));
  g_atomic_int_set (&worker->attached, TRUE);
  while (worker->seen == NULL)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (source);
  return NULL;
}

static void
slow_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_usleep (100 * 1000);
}

static void
test_cancellable_source (void)
{
  CancelWorker worker = { g_cancellable_new (), NULL, FALSE };
  GThread *thread = g_thread_new ("cancel-worker", cancel_worker_thread, &worker);

  while (!g_atomic_int_get (&worker.attached))
    g_usleep (1000);
  g_signal_connect (worker.cancellable, "cancelled", G_CALLBACK (slow_cancelled_cb), NULL);
  g_cancellable_cancel (worker.cancellable);
  g_thread_join (thread);
  g_assert_true (worker.seen == worker.cancellable);
  g_object_unref (worker.cancellable);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/stats/percentiles", test_stats_percentiles);
  g_test_add_func ("/ptl/stats/log-histogram", test_stats_log_histogram);
  g_test_add_func ("/ptl/stats/cdf", test_stats_cdf);
  g_test_add_func ("/ptl/stats/format", test_stats_format);
  g_test_add_func ("/ptl/stats/noisy", test_stats_noisy);
  g_test_add_func ("/ptl/params/validation", test_params_validation);
  g_test_add_func ("/ptl/params/metadata", test_params_metadata);
  g_test_add_func ("/ptl/params/notify", test_params_notify);
  g_test_add_func ("/ptl/result/json-round-trip", test_result_json_round_trip);
  g_test_add_func ("/ptl/result/json-malformed", test_result_json_malformed);
  g_test_add_func ("/ptl/result/csv", test_result_csv);
  g_test_add_func ("/ptl/result/timeline", test_result_timeline);
  g_test_add_func ("/ptl/result/partial", test_result_partial);
  g_test_add_func ("/ptl/result/ids", test_result_ids);
  g_test_add_func ("/ptl/result/copy-shares-nothing", test_result_copy_shares_nothing);
  g_test_add_func ("/ptl/result/save-unwritable", test_result_save_unwritable);
  g_test_add_func ("/ptl/result/table-text", test_table_text);
  g_test_add_func ("/ptl/run/async-progress", test_run_async_progress);
  g_test_add_func ("/ptl/run/cancel-and-fail", test_run_cancel_and_fail);
  g_test_add_func ("/ptl/run/other-work", test_run_other_work);
  g_test_add_func ("/ptl/run/max-tasks", test_run_max_tasks);
  g_test_add_func ("/ptl/machine/facts", test_machine_facts);
  g_test_add_func ("/ptl/machine/virtualization", test_machine_virtualization);
  g_test_add_func ("/ptl/core/cancellable-source", test_cancellable_source);

  return g_test_run ();
}
