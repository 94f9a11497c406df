/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-test-util.h"

/* The producer–consumer experiment: the buffer's invariants (occupancy
 * within 0 and the size, every item consumed exactly once) under each
 * guard, a full and an empty buffer where the rates say so, the charts,
 * parameters, the task limit, cancelling with nothing left behind. */

/* Row ids, and the names progress messages give. */
static const char * const methods[] = { "condition", "semaphores", "async-queue" };
static const char * const method_names[] = { "Condition variables", "Semaphores", "GAsyncQueue" };

static void
assert_invariants (PtlResult *result,
                   guint      expected_items,
                   guint      buffer_size)
{
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_assert_cmpstr (ptl_test_text_cell (result, methods[i], "Invariants"), ==, "Held");
      g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Items consumed"), ==, expected_items);
      g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Lost or repeated items"), ==, 0);
      g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Lowest occupancy"), >=, 0);
      g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Highest occupancy"), <=, buffer_size);
      g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Throughput"), >, 0);
    }
}

/* No work at all and a buffer of 2 between 3 + 3 threads: every put and
 * take contends, the buffer flips between full and empty thousands of
 * times, and still no item is lost or repeated and the count stays in
 * range. */
static void
test_exactly_once (void)
{
  const char *params[] = { "producers", "3", "consumers", "3", "buffer-size", "2", "produce-us", "0",
                           "consume-us", "0", "items", "20000", "repeats", "2", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("producer-consumer", params);

  PtlChart *occupancy = ptl_result_find_chart (result, "occupancy");
  guint n_points;

  assert_invariants (result, 40000, 2);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Highest occupancy"), >=, 1);
  /* A long run draws its first 200 items only (two points a change). */
  ptl_series_get_points (ptl_chart_get_series (occupancy, 0), &n_points);
  g_assert_cmpuint (n_points, ==, 2 * 400 + 1);
}

/* A buffer of one slot among eight threads. */
static void
test_one_slot (void)
{
  const char *params[] = { "producers", "4", "consumers", "4", "buffer-size", "1", "produce-us", "50",
                           "consume-us", "50", "items", "2000", "repeats", "1", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("producer-consumer", params);

  assert_invariants (result, 2000, 1);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_assert_cmpfloat (ptl_test_cell (result, methods[i], "Highest occupancy"), ==, 1);
}

/* Producers ten times faster: the buffer sits full and producers wait
 * far longer than consumers; the other way round, it sits empty. */
static void
test_full_and_empty (void)
{
  const char *fast_producers[] = { "buffer-size", "4", "produce-us", "100", "consume-us", "1000",
                                   "timing", "fixed", "items", "300", "repeats", "1", NULL };
  const char *fast_consumers[] = { "buffer-size", "4", "produce-us", "1000", "consume-us", "100",
                                   "timing", "fixed", "items", "300", "repeats", "1", NULL };
  g_autoptr(PtlResult) full = ptl_test_run ("producer-consumer", fast_producers);
  g_autoptr(PtlResult) empty = ptl_test_run ("producer-consumer", fast_consumers);

  assert_invariants (full, 300, 4);
  assert_invariants (empty, 300, 4);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_assert_cmpfloat (ptl_test_cell (full, methods[i], "Time full"), >, 50);
      g_assert_cmpfloat (ptl_test_cell (full, methods[i], "Highest occupancy"), ==, 4);
      g_assert_cmpfloat (ptl_test_cell (full, methods[i], "Producer wait p50"), >,
                         10 * ptl_test_cell (full, methods[i], "Consumer wait p50"));
      g_assert_cmpfloat (ptl_test_cell (empty, methods[i], "Time empty"), >, 50);
      g_assert_cmpfloat (ptl_test_cell (empty, methods[i], "Consumer wait p50"), >,
                         10 * ptl_test_cell (empty, methods[i], "Producer wait p50"));
    }
}

static void
test_charts (void)
{
  const char *params[] = { "producers", "2", "consumers", "3", "buffer-size", "5", "produce-us", "200",
                           "consume-us", "200", "items", "150", "repeats", "2", NULL };
  const char *one[] = { "methods", "semaphores", "items", "100", "repeats", "1", "produce-us", "100",
                        "consume-us", "100", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("producer-consumer", params);
  g_autoptr(PtlResult) single = ptl_test_run ("producer-consumer", one);
  PtlChart *occupancy = ptl_result_find_chart (result, "occupancy");
  PtlChart *timeline = ptl_result_find_chart (result, "threads");
  const PtlPoint *points;
  guint n_points;

  g_assert_nonnull (occupancy);
  g_assert_cmpuint (ptl_chart_get_n_series (occupancy), ==, 3);
  points = ptl_series_get_points (ptl_chart_get_series (occupancy, 0), &n_points);
  /* Two points a change: each item in and out, from and back to 0. */
  g_assert_cmpuint (n_points, ==, 2 * 2 * 150 + 2);
  for (guint i = 0; i < n_points; i++)
    {
      g_assert_cmpfloat (points[i].y, >=, 0);
      g_assert_cmpfloat (points[i].y, <=, 5);
    }
  g_assert_cmpfloat (points[n_points - 1].y, ==, 0);
  g_assert_cmpuint (ptl_chart_get_n_categories (ptl_result_find_chart (result, "throughput")), ==, 3);
  g_assert_cmpuint (ptl_chart_get_n_series (ptl_result_find_chart (result, "producer-wait")), ==, 3);
  g_assert_cmpuint (ptl_chart_get_n_series (ptl_result_find_chart (result, "consumer-wait")), ==, 3);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (ptl_chart_get_n_lanes (timeline), ==, 5);
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 0), ==, "Producer 1");
  g_assert_cmpstr (ptl_chart_get_lane (timeline, 4), ==, "Consumer 3");
  g_assert_nonnull (ptl_result_find_chart (result, "threads-shares"));

  g_assert_cmpuint (ptl_table_get_n_rows (ptl_result_get_summary (single)), ==, 1);
  g_assert_cmpstr (ptl_test_text_cell (single, "semaphores", "Invariants"), ==, "Held");
  g_assert_cmpuint (ptl_chart_get_n_series (ptl_result_find_chart (single, "occupancy")), ==, 1);
}

static void
test_params (void)
{
  static const PtlTestParam expected[] = {
    { "producers", "threads", "2" },
    { "consumers", "threads", "2" },
    { "buffer-size", "items", "8" },
    { "produce-us", "µs", "1000" },
    { "consume-us", "µs", "1000" },
    { "timing", "", "exponential" },
    { "items", "", "1000" },
    { "methods", "", "all" },
    { "repeats", "", "3" },
  };
  static const char * const invalid[] = {
    "producers", "0", "producers", "33", "consumers", "0", "buffer-size", "0", "buffer-size", "4097",
    "produce-us", "100001", "consume-us", "-1", "timing", "uniform", "items", "0", "items", "100001", "methods", "spinlock",
    "repeats", "0", "repeats", "21", NULL,
  };

  ptl_test_assert_params ("producer-consumer", expected, G_N_ELEMENTS (expected), invalid);
}

static void
test_count_tasks (void)
{
  const char *params[] = { "producers", "3", "consumers", "4", NULL };

  ptl_test_assert_count_tasks ("producer-consumer", params, 7);
}

/* Cancelled while producers wait on a full buffer (slow consumers) and
 * while consumers wait on an empty one (slow producers), in each guard. */
static void
test_cancel (void)
{
  const char *warm[] = { "items", "20", "repeats", "1", "produce-us", "10", "consume-us", "10", NULL };
  const char *slow_consumers[] = { "producers", "4", "consumers", "1", "buffer-size", "2", "produce-us", "10",
                                   "consume-us", "50000", "items", "100000", NULL };
  const char *slow_producers[] = { "producers", "1", "consumers", "4", "produce-us", "100000",
                                   "consume-us", "10", "items", "100000", NULL };
  g_autoptr(PtlExperiment) full = ptl_test_new_experiment ("producer-consumer", slow_consumers);
  g_autoptr(PtlExperiment) empty = ptl_test_new_experiment ("producer-consumer", slow_producers);
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("producer-consumer", warm);

  ptl_test_assert_cancel_before_start (full);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s, repeat 1", method_names[i]);

      g_object_set (full, "methods", i + 1, NULL);
      g_object_set (empty, "methods", i + 1, NULL);
      ptl_test_assert_cancel_at (full, prefix, 150, 1000);
      ptl_test_assert_cancel_at (empty, prefix, 150, 1000);
    }
  ptl_test_leaks_assert_none (&before, 2000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/producer-consumer/exactly-once", test_exactly_once);
  g_test_add_func ("/ptl/producer-consumer/one-slot", test_one_slot);
  g_test_add_func ("/ptl/producer-consumer/full-and-empty", test_full_and_empty);
  g_test_add_func ("/ptl/producer-consumer/charts", test_charts);
  g_test_add_func ("/ptl/producer-consumer/params", test_params);
  g_test_add_func ("/ptl/producer-consumer/count-tasks", test_count_tasks);
  g_test_add_func ("/ptl/producer-consumer/cancel", test_cancel);

  return g_test_run ();
}
