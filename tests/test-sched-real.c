/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <math.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ptl-sched-real-experiment.h"
#include "ptl-sched-trace.h"
#include "ptl-test-util.h"

/* The "sched-real" experiment: real threads play a small workload. The
 * threads' own record matches the work asked of them (within a wide
 * margin: the machine is shared), pinning puts everything on one CPU,
 * refused real-time policies give a clear error, and cancelling joins
 * every thread quickly. The recorder's logic is tested on made-up clocks. */

#define CANCEL_AFTER_MS       300
#define MAX_CANCEL_LATENCY_MS 200
#define SETTLE_MS             2000

/* 350 ms of CPU work at 5 ms a unit, with I/O, for three threads. */
#define SMALL_CSV \
  "name,arrival,bursts\n" \
  "A,0,30;4;10\n"         \
  "B,2,15\n"              \
  "C,4,10;3;5\n"

static const char * const table_columns[] = {
  "thread", "nice", "requested-cpu", "measured-cpu", "waiting", "turnaround", "cpu-switches",
};

static char *small_workload;

static int
first_allowed_cpu (void)
{
  cpu_set_t set;

  g_assert_cmpint (sched_getaffinity (0, sizeof set, &set), ==, 0);
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET (cpu, &set))
      return cpu;
  g_assert_not_reached ();
}

static double
cell (PtlTable   *table,
      guint       row,
      const char *column)
{
  int c = ptl_table_find_column (table, column);

  g_assert_cmpint (c, >=, 0);
  return ptl_table_get_number (table, row, c);
}

/* The shape every run has, and the threads' record against the work
 * they were given. Returns the number of CPU lanes. */
static guint
check_run (PtlResult *result)
{
  static const char * const threads[] = { "A", "B", "C" };
  static const double cpu_s[] = { 0.200, 0.075, 0.075 };
  PtlChart *measured = ptl_result_find_chart (result, "measured");
  PtlChart *prediction = ptl_result_find_chart (result, "prediction");
  PtlChart *turnaround = ptl_result_find_chart (result, "turnaround");
  PtlTable *table = ptl_result_get_summary (result);
  guint n_lanes, n_slices;
  const PtlSlice *slices;
  double cpu_lanes_time = 0, thread_lanes_time = 0;
  gboolean timing = ptl_test_checks_measured ("each thread busy and measured for 0.5–1.5 times its work");

  g_assert_nonnull (measured);
  g_assert_cmpint (ptl_chart_get_kind (measured), ==, PTL_CHART_TIMELINE);
  g_assert_cmpstr (ptl_chart_get_x_unit (measured), ==, "s");
  n_lanes = ptl_chart_get_n_lanes (measured);
  g_assert_cmpuint (n_lanes, >, G_N_ELEMENTS (threads));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      double busy = ptl_test_lane_time (measured, i, i);

      g_assert_cmpstr (ptl_chart_get_lane (measured, i), ==, threads[i]);
      g_assert_cmpstr (ptl_chart_get_key (measured, i), ==, threads[i]);
      g_test_message ("%s: busy %.1f ms for %.1f ms of work", threads[i], busy * 1e3, cpu_s[i] * 1e3);
      if (timing)
        {
          g_assert_cmpfloat (busy, >=, 0.5 * cpu_s[i]);
          g_assert_cmpfloat (busy, <=, 1.5 * cpu_s[i]);
        }
      thread_lanes_time += busy;
    }
  g_assert_cmpstr (ptl_chart_get_key (measured, 3), ==, "I/O");
  g_assert_true (ptl_chart_get_key_muted (measured, 3));
  /* A and C slept 20 and 15 ms. */
  g_assert_cmpfloat (ptl_test_lane_time (measured, 0, 3), >=, 0.020);
  g_assert_cmpfloat (ptl_test_lane_time (measured, 2, 3), >=, 0.015);

  /* The CPU lanes hold the same running time, keyed by thread. */
  slices = ptl_chart_get_slices (measured, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].lane >= G_N_ELEMENTS (threads))
      {
        g_assert_cmpuint (slices[i].key, <, G_N_ELEMENTS (threads));
        cpu_lanes_time += slices[i].end - slices[i].start;
      }
  g_assert_cmpfloat (fabs (cpu_lanes_time - thread_lanes_time), <, 1e-9);
  for (guint lane = G_N_ELEMENTS (threads); lane < n_lanes; lane++)
    g_assert_true (g_str_has_prefix (ptl_chart_get_lane (measured, lane), "CPU "));

  g_assert_nonnull (prediction);
  g_assert_cmpint (ptl_chart_get_kind (prediction), ==, PTL_CHART_TIMELINE);
  g_assert_cmpuint (ptl_chart_get_n_lanes (prediction), ==, G_N_ELEMENTS (threads) + 1);
  g_assert_cmpuint (ptl_chart_get_n_references (measured), ==, 1);
  g_assert_cmpuint (ptl_chart_get_n_references (prediction), ==, 1);
  g_assert_nonnull (turnaround);
  g_assert_cmpuint (ptl_chart_get_n_series (turnaround), ==, 2);

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (table_columns));
  for (guint c = 0; c < G_N_ELEMENTS (table_columns); c++)
    g_assert_cmpstr (ptl_table_get_column_id (table, c), ==, table_columns[c]);
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, G_N_ELEMENTS (threads));
  for (guint row = 0; row < G_N_ELEMENTS (threads); row++)
    {
      double measured_cpu = cell (table, row, "measured-cpu");

      g_assert_cmpfloat (fabs (cell (table, row, "requested-cpu") - cpu_s[row]), <, 1e-9);
      if (timing)
        {
          g_assert_cmpfloat (measured_cpu, >=, 0.5 * cpu_s[row]);
          g_assert_cmpfloat (measured_cpu, <=, 1.5 * cpu_s[row]);
          g_assert_cmpfloat (cell (table, row, "turnaround"), >=, 0.5 * cpu_s[row]);
        }
      g_assert_cmpfloat (measured_cpu, >, 0);
      g_assert_cmpfloat (cell (table, row, "waiting"), >=, 0);
      g_assert_cmpfloat (cell (table, row, "cpu-switches"), >=, 0);
    }
  return n_lanes - G_N_ELEMENTS (threads);
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlExperiment) experiment = ptl_registry_create ("sched-real", &error);
  const char *explanation;

  g_assert_no_error (error);
  g_assert_true (PTL_IS_SCHED_REAL_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_title (experiment), ==, "The real scheduler");
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Scheduling");
  explanation = ptl_experiment_get_explanation (experiment);
  g_assert_nonnull (strstr (explanation, "neither FCFS nor round robin"));
  g_assert_nonnull (strstr (explanation, "CAP_SYS_NICE"));
}

static void
test_validate (void)
{
  g_autofree char *nine = NULL;
  g_autoptr(GString) csv = g_string_new ("name,arrival,burst\n");
  const struct { const char *name; const char *value; } cases[] = {
    { "workload", "nosuch" },
    { "time-unit-ms", "1000" }, /* the default workload would need over a minute of CPU */
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *params[] = { cases[i].name, cases[i].value, NULL };
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched-real", params);

      g_assert_false (ptl_experiment_validate (experiment, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_test_message ("%s=%s: %s", cases[i].name, cases[i].value, error->message);
      g_clear_error (&error);
    }

  for (guint i = 0; i < 9; i++)
    g_string_append_printf (csv, "P%u,0,1\n", i + 1);
  nine = g_build_filename (g_get_tmp_dir (), "ptlab-nine-XXXXXX.csv", NULL);
  {
    int fd = g_mkstemp (nine);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (write (fd, csv->str, csv->len), ==, (gssize) csv->len);
    close (fd);
  }
  {
    const char *params[] = { "workload", nine, NULL };
    g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched-real", params);

    g_assert_false (ptl_experiment_validate (experiment, &error));
    g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
    g_assert_nonnull (strstr (error->message, "at most 8"));
  }
  g_assert_cmpint (g_remove (nine), ==, 0);
}

/* The recorder on a made-up clock: gaps split spans, a new CPU is a
 * migration (also across a sleep), a full array drops and says so. */
static void
test_trace (void)
{
  g_autoptr(PtlSchedTrace) trace = ptl_sched_trace_new (8, 50000);
  g_autoptr(PtlSchedTrace) small = ptl_sched_trace_new (2, 50000);
  static const PtlSchedSpan expected[] = {
    { 1000, 11000, 0 },
    { 105000, 112000, 1 },
    { 112000, 200000, PTL_SCHED_TRACE_IO },
    { 200500, 210000, 0 },
  };

  ptl_sched_trace_run_begin (trace, 1000, 0);
  ptl_sched_trace_run_note (trace, 6000, 0);
  ptl_sched_trace_run_note (trace, 11000, 0);
  /* 89 µs without a note: preempted. */
  ptl_sched_trace_run_note (trace, 100000, 0);
  /* Resumed, then moved at once: the one-note span is empty and dropped. */
  ptl_sched_trace_run_note (trace, 105000, 1);
  ptl_sched_trace_run_note (trace, 110000, 1);
  ptl_sched_trace_run_end (trace, 112000, 1);
  ptl_sched_trace_add_io (trace, 112000, 200000);
  /* Woken up on another CPU. */
  ptl_sched_trace_run_begin (trace, 200500, 0);
  ptl_sched_trace_run_end (trace, 210000, 0);

  g_assert_cmpuint (trace->n_spans, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpint (trace->spans[i].start, ==, expected[i].start);
      g_assert_cmpint (trace->spans[i].end, ==, expected[i].end);
      g_assert_cmpint (trace->spans[i].cpu, ==, expected[i].cpu);
    }
  g_assert_cmpuint (trace->migrations, ==, 2);
  g_assert_false (trace->overflowed);
  g_assert_cmpint (ptl_sched_trace_get_run_ns (trace), ==, 10000 + 7000 + 9500);
  g_assert_cmpint (ptl_sched_trace_get_io_ns (trace), ==, 88000);

  /* Five 1 µs spans 100 µs apart, room for two. */
  ptl_sched_trace_run_begin (small, 0, 0);
  ptl_sched_trace_run_note (small, 1000, 0);
  for (gint64 t = 100000; t <= 400000; t += 100000)
    {
      ptl_sched_trace_run_note (small, t, 0);
      ptl_sched_trace_run_note (small, t + 1000, 0);
    }
  ptl_sched_trace_run_end (small, 401000, 0);
  g_assert_cmpuint (small->n_spans, ==, 2);
  g_assert_cmpint (small->spans[1].start, ==, 100000);
  g_assert_true (small->overflowed);
}

/* Refused permissions become errors that say what would permit them. */
static void
test_errno_mapping (void)
{
  static const struct
  {
    PtlSchedRealStep   step;
    PtlSchedRealPolicy policy;
    int                value;
    int                errsv;
    int                code;
    const char        *needles[3];
  } cases[] = {
    { PTL_SCHED_REAL_STEP_POLICY, PTL_SCHED_REAL_FIFO, 0, EPERM, PTL_ERROR_NOT_PERMITTED,
      { "fifo", "CAP_SYS_NICE", "ulimit -r" } },
    { PTL_SCHED_REAL_STEP_POLICY, PTL_SCHED_REAL_RR, 0, EPERM, PTL_ERROR_NOT_PERMITTED,
      { "rr", "root", "rtprio" } },
    { PTL_SCHED_REAL_STEP_POLICY, PTL_SCHED_REAL_BATCH, 0, EINVAL, PTL_ERROR_FAILED,
      { "batch", NULL, NULL } },
    { PTL_SCHED_REAL_STEP_NICE, PTL_SCHED_REAL_OTHER, -5, EACCES, PTL_ERROR_NOT_PERMITTED,
      { "-5", "CAP_SYS_NICE", NULL } },
    { PTL_SCHED_REAL_STEP_AFFINITY, PTL_SCHED_REAL_OTHER, 3, EINVAL, PTL_ERROR_FAILED,
      { "CPU 3", NULL, NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      ptl_sched_real_set_step_error (&error, cases[i].step, cases[i].policy, cases[i].value, cases[i].errsv);
      g_assert_error (error, PTL_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, g_strerror (cases[i].errsv)));
      for (guint n = 0; n < G_N_ELEMENTS (cases[i].needles) && cases[i].needles[n] != NULL; n++)
        g_assert_nonnull (strstr (error->message, cases[i].needles[n]));
    }
}

static void
test_one_core (void)
{
  const char *params[] = { "workload", small_workload, "time-unit-ms", "5", "affinity", "one-core", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = ptl_test_run_full ("sched-real", params, NULL, NULL, &error);
  g_autofree char *cpu = g_strdup_printf ("CPU %d", first_allowed_cpu ());
  PtlChart *measured;

  g_assert_no_error (error);
  g_assert_cmpuint (check_run (result), ==, 1);
  measured = ptl_result_find_chart (result, "measured");
  g_assert_cmpstr (ptl_chart_get_lane (measured, 3), ==, cpu);
  /* Sharing one CPU, nobody moves. */
  for (guint row = 0; row < 3; row++)
    g_assert_cmpfloat (cell (ptl_result_get_summary (result), row, "cpu-switches"), ==, 0);
}

static void
test_all_cores (void)
{
  const char *params[] = { "workload", small_workload, "time-unit-ms", "5", "affinity", "all-cores",
                           "nice-step", "2", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = ptl_test_run_full ("sched-real", params, NULL, NULL, &error);
  PtlTable *table;

  g_assert_no_error (error);
  g_assert_cmpuint (check_run (result), >=, MIN (2, ptl_machine_get_n_cpus ()));
  table = ptl_result_get_summary (result);
  for (guint row = 0; row < 3; row++)
    g_assert_cmpfloat (cell (table, row, "nice"), >=, 2 * row);
}

static void
run_fifo_refused (void)
{
  /* A generator: the unprivileged subprocess has no workload file. */
  const char *params[] = { "workload", "many-short", "processes", "3", "policy", "fifo", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = ptl_test_run_full ("sched-real", params, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_NOT_PERMITTED);
  g_assert_nonnull (strstr (error->message, "CAP_SYS_NICE"));
  g_test_message ("%s", error->message);
}

/* SCHED_FIFO without the right: refused with the clear error. As root it
 * is permitted, so it runs, and a subprocess that gives up root and its
 * real-time limit checks the refusal. */
static void
test_fifo (void)
{
  struct rlimit rtprio;

  if (g_test_subprocess ())
    {
      struct rlimit none = { 0, 0 };

      g_assert_cmpint (setrlimit (RLIMIT_RTPRIO, &none), ==, 0);
      g_assert_cmpint (setgroups (0, NULL), ==, 0);
      g_assert_cmpint (setresgid (65534, 65534, 65534), ==, 0);
      g_assert_cmpint (setresuid (65534, 65534, 65534), ==, 0);
      run_fifo_refused ();
      return;
    }

  g_assert_cmpint (getrlimit (RLIMIT_RTPRIO, &rtprio), ==, 0);
  if (geteuid () == 0)
    {
      const char *params[] = { "workload", small_workload, "time-unit-ms", "1", "policy", "fifo", NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlResult) result = ptl_test_run_full ("sched-real", params, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);

      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
    }
  else if (rtprio.rlim_cur == 0)
    run_fifo_refused ();
  else
    g_test_skip ("the real-time priority limit permits SCHED_FIFO here");
}

static guint
count_threads (void)
{
  return ptl_test_count_entries ("/proc/self/task");
}

static gboolean
threads_back_cb (gpointer user_data)
{
  return count_threads () <= GPOINTER_TO_UINT (user_data);
}

static void
run_cancel_case (const char * const *params)
{
  const char *warm[] = { "workload", small_workload, "time-unit-ms", "0.5", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("sched-real", params);
  g_autoptr(PtlResult) warm_result = NULL;
  guint baseline;

  /* A complete run first, so GLib's own threads exist before counting. */
  warm_result = ptl_test_run ("sched-real", warm);
  baseline = count_threads ();

  /* Cancel in the middle of the threads' work. */
  ptl_test_assert_cancel_at (experiment, "Running", CANCEL_AFTER_MS, MAX_CANCEL_LATENCY_MS);

  /* The run's own threads are joined before it reports; GTask's worker
   * goes back to its pool just after the callback. */
  ptl_test_wait_until (threads_back_cb, GUINT_TO_POINTER (baseline), SETTLE_MS);
  g_assert_cmpuint (count_threads (), <=, baseline);
}

static void
test_cancel (void)
{
  /* Several seconds of work on one core, and on all of them with nice. */
  const char *one_core[] = { "workload", "cpu-bound", "processes", "6", "time-unit-ms", "10",
                             "affinity", "one-core", NULL };
  const char *all_cores[] = { "workload", "mixed", "processes", "8", "time-unit-ms", "10",
                              "affinity", "all-cores", "nice-step", "3", NULL };

  run_cancel_case (one_core);
  run_cancel_case (all_cores);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int fd, status;

  g_test_init (&argc, &argv, NULL);

  /* Not in the subprocess, which gives up the right to remove it. */
  if (!g_test_subprocess ())
    {
      fd = g_file_open_tmp ("ptlab-sched-real-XXXXXX.csv", &small_workload, &error);
      g_assert_no_error (error);
      g_assert_cmpint (write (fd, SMALL_CSV, strlen (SMALL_CSV)), ==, (gssize) strlen (SMALL_CSV));
      close (fd);
    }

  g_test_add_func ("/ptl/sched-real/registry", test_registry);
  g_test_add_func ("/ptl/sched-real/validate", test_validate);
  g_test_add_func ("/ptl/sched-real/trace", test_trace);
  g_test_add_func ("/ptl/sched-real/errno-mapping", test_errno_mapping);
  g_test_add_func ("/ptl/sched-real/one-core", test_one_core);
  g_test_add_func ("/ptl/sched-real/all-cores", test_all_cores);
  g_test_add_func ("/ptl/sched-real/fifo", test_fifo);
  g_test_add_func ("/ptl/sched-real/cancel", test_cancel);

  status = g_test_run ();
  if (small_workload != NULL)
    g_remove (small_workload);
  g_free (small_workload);
  return status;
}
