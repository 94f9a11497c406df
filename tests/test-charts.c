/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-test-util.h"

/* Each experiment declares its charts up front (`ptlab describe`, the
 * CLI's --chart check before a run): a run must produce no chart it did
 * not declare. Quick parameters, with every optional chart switched on. */

typedef struct
{
  const char *id;
  const char *params[16];
} QuickRun;

static const QuickRun quick_runs[] = {
  { "models", { "workload", "io", "tasks", "2", "io-ms", "2", "repeats", "1", "sweep", "true", NULL } },
  { "creation", { "iterations", "20", "concurrency", "2", "size-sweep", "true", NULL } },
  { "pool", { "task-us", "10", "tasks", "20", "workers", "2", "sweep", "false", NULL } },
  { "isolation", { "workers", "2", "work-ms", "20", NULL } },
  { "memory", { "max-workers", "2", "repeats", "1", NULL } },
  { "ipc", { "round-trips", "200", "bandwidth", "true", "bandwidth-mib", "1", "mechanisms", "pipe,shm", NULL } },
  { "sched", { "algorithm", "all", NULL } },
  { "sched-real", { "workload", "many-short", "processes", "3", "time-unit-ms", "1", NULL } },
  { "loop-blocking", { "block-ms", "10", "bad-every-ms", "50", "duration-ms", "200", NULL } },
  { "async-patterns", { "tasks", "3", "wait-max-ms", "30", "timeout-ms", "20", NULL } },
  { "servers", { "connections", "2", "duration-ms", "100", "warmup-ms", "0", NULL } },
  { "thread-lifecycle", { "threads", "2", "work-ms", "1", "sleep-ms", "1", "repeats", "1", "cpu-lanes", "true", NULL } },
  { "race", { "threads", "2", "increments", "1000", "repeats", "1", "record-increments", "100", NULL } },
  { "locks", { "threads", "2", "cell-ms", "10", "repeats", "1", "record-ms", "1", NULL } },
  { "thread-pool", { "workload", "mixed", "task-us", "200", "tasks", "10", "max-workers", "2", "repeats", "1", NULL } },
  { "gil", { "cpu-threads", "1", "duration-ms", "50", "sweep", "false", NULL } },
  { "bankers", { "state", "silberschatz", "requests", "example", NULL } },
  { "philosophers", { "strategy", "naive", "pause-ms", "20", "duration-ms", "5000", NULL } },
  { "deadlock", { "repeats", "1", "rounds", "20", NULL } },
  { "producer-consumer", { "items", "50", "repeats", "1", "produce-us", "50", "consume-us", "50", NULL } },
  { "readers-writers", { "readers", "2", "writers", "1", "duration-ms", "50", "repeats", "1", NULL } },
};

static void
test_every_experiment_listed (void)
{
  guint n_types;
  const GType *types = ptl_registry_list_types (&n_types);

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(PtlExperiment) experiment = g_object_new (types[i], NULL);
      const char *id = ptl_experiment_get_id (experiment);
      guint n_charts = ptl_experiment_get_n_charts (experiment);
      gboolean listed = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (quick_runs); j++)
        listed |= g_str_equal (quick_runs[j].id, id);
      if (!listed)
        g_error ("experiment %s has no quick run in this test", id);
      if (n_charts == 0)
        g_error ("experiment %s declares no charts", id);
      for (guint j = 0; j < n_charts; j++)
        {
          g_assert_cmpstr (ptl_experiment_get_chart_title (experiment, j), !=, "");
          for (guint k = j + 1; k < n_charts; k++)
            g_assert_cmpstr (ptl_experiment_get_chart_id (experiment, j), !=,
                             ptl_experiment_get_chart_id (experiment, k));
        }
    }
}

static void
test_only_declared_charts (gconstpointer data)
{
  const QuickRun *quick = data;
  g_autoptr(PtlResult) result = ptl_test_run (quick->id, quick->params);
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment (quick->id, NULL);

  g_assert_cmpuint (ptl_result_get_n_charts (result), >, 0);
  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *chart_id = ptl_chart_get_id (ptl_result_get_chart (result, i));

      if (!ptl_experiment_check_chart (experiment, chart_id, &error))
        g_error ("%s produced an undeclared chart: %s", quick->id, error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/charts/every-experiment", test_every_experiment_listed);
  for (guint i = 0; i < G_N_ELEMENTS (quick_runs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ptl/charts/declared/%s", quick_runs[i].id);

      g_test_add_data_func (path, &quick_runs[i], test_only_declared_charts);
    }

  return g_test_run ();
}
