/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ptl-plot.h"
#include "ptl-test-util.h"

/* The deadlock watchdog on real threads (a cycle found and recovered
 * from, long but progressing waits never reported), the graph chart's
 * data and drawing, and the philosophers and deadlock experiments. */

/* Two threads, two mutexes, taken in opposite orders after a barrier:
 * a deadlock every time. */
typedef struct
{
  PtlThreadRecorder *recorder;
  PtlMutex           locks[2];
  PtlThreadTrack    *tracks[2];
  pthread_barrier_t  barrier;
  gboolean           second_taken[2];
} Crossing;

static gpointer
crossing_thread (gpointer data)
{
  Crossing *c = ((gpointer *) data)[0];
  guint i = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  PtlHold first, second;

  ptl_thread_track_begin (c->tracks[i]);
  g_assert_true (ptl_mutex_lock (&c->locks[i], c->tracks[i], &first));
  pthread_barrier_wait (&c->barrier);
  c->second_taken[i] = ptl_mutex_lock (&c->locks[1 - i], c->tracks[i], &second);
  if (c->second_taken[i])
    ptl_mutex_unlock (&c->locks[1 - i], c->tracks[i], &second);
  ptl_mutex_unlock (&c->locks[i], c->tracks[i], &first);
  ptl_thread_track_finish (c->tracks[i]);
  return NULL;
}

static void
test_watchdog_cycle (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  g_autoptr(PtlDeadlockWatchdog) watchdog = ptl_deadlock_watchdog_new (recorder, PTL_DEADLOCK_WATCHDOG_DEFAULT_PERIOD_MS);
  g_autoptr(PtlGraph) graph = NULL;
  g_autofree char *text = NULL;
  guint tasks_before = ptl_test_count_entries ("/proc/self/task");
  gpointer args[2][2];
  GThread *threads[2];
  const guint *cycle_threads;
  const guint32 *cycle_objects;
  Crossing c = { recorder };
  guint highlighted = 0;
  double latency_ms;

  pthread_barrier_init (&c.barrier, NULL, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("T%u", i + 1);
      g_autofree char *lock = g_strdup_printf ("L%u", i + 1);

      c.tracks[i] = ptl_thread_recorder_add_thread (recorder, name);
      ptl_mutex_init (&c.locks[i], recorder, lock);
      ptl_deadlock_watchdog_watch (watchdog, &c.locks[i].base);
    }
  g_assert_true (ptl_deadlock_watchdog_start (watchdog, NULL, NULL));
  for (guint i = 0; i < 2; i++)
    {
      args[i][0] = &c;
      args[i][1] = GUINT_TO_POINTER (i);
      threads[i] = g_thread_new ("crossing", crossing_thread, args[i]);
    }
  /* Recovery: the watchdog aborts the waits by itself; both come back. */
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  ptl_deadlock_watchdog_stop (watchdog);
  g_assert_cmpuint (ptl_test_count_entries ("/proc/self/task"), ==, tasks_before);
  /* The abort broke the cycle: the first to give up released its lock
   * (which the other may then have got). */
  g_assert_false (c.second_taken[0] && c.second_taken[1]);

  g_assert_true (ptl_deadlock_watchdog_found (watchdog));
  g_assert_true (ptl_thread_recorder_is_aborted (recorder));
  g_assert_cmpuint (ptl_deadlock_watchdog_get_cycle (watchdog, &cycle_threads, &cycle_objects), ==, 2);
  /* Link i: thread i waits for the lock the other took first. */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (cycle_objects[i], ==, c.locks[1 - cycle_threads[i]].base.id);
  text = ptl_deadlock_watchdog_dup_description (watchdog);
  g_assert_nonnull (strstr (text, "T1 holds L1 and waits for L2, held by T2"));
  g_assert_nonnull (strstr (text, "T2 holds L2 and waits for L1, held by T1"));

  /* Formed when the later of the two waits began; reported after it,
   * well within the 100 ms aimed at (a wide margin: the machine is shared). */
  latency_ms = (ptl_deadlock_watchdog_get_detected_ns (watchdog) - ptl_deadlock_watchdog_get_formed_ns (watchdog)) / 1e6;
  g_test_message ("detection latency %.1f ms", latency_ms);
  g_assert_cmpfloat (latency_ms, >, 0);
  g_assert_cmpfloat (latency_ms, <, 1000);

  graph = ptl_deadlock_watchdog_dup_graph (watchdog);
  g_assert_cmpuint (ptl_graph_get_n_nodes (graph), ==, 4);
  g_assert_cmpuint (ptl_graph_get_n_edges (graph), ==, 4);
  for (guint i = 0; i < ptl_graph_get_n_edges (graph); i++)
    highlighted += ptl_graph_get_edge (graph, i)->highlight;
  g_assert_cmpuint (highlighted, ==, 4);

  pthread_barrier_destroy (&c.barrier);
  for (guint i = 0; i < 2; i++)
    ptl_mutex_clear (&c.locks[i]);
}

/* Long waits that progress: a chain (C waits for B's lock, B for A's, A
 * sleeps holding it) and heavy churn in one global order. Neither is a
 * cycle, and the watchdog, looking every millisecond, must never say so. */
typedef struct
{
  PtlThreadRecorder *recorder;
  PtlMutex           locks[3];
  PtlThreadTrack    *tracks[4];
  pthread_barrier_t  round_end;
  gint               next;
} Busy;

static gpointer
chain_thread (gpointer data)
{
  Busy *b = ((gpointer *) data)[0];
  guint i = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  PtlThreadTrack *track = b->tracks[i];

  for (guint round = 0; round < 3; round++)
    {
      PtlHold hold, other;

      /* A holds lock 0 for 150 ms; B holds lock 1 and waits for lock 0;
       * C waits for lock 1. */
      if (i == 0)
        {
          g_assert_true (ptl_mutex_lock (&b->locks[0], track, &hold));
          g_atomic_int_set (&b->next, 1);
          g_usleep (150000);
          ptl_mutex_unlock (&b->locks[0], track, &hold);
        }
      else if (i == 1)
        {
          while (g_atomic_int_get (&b->next) < 1)
            g_usleep (1000);
          g_assert_true (ptl_mutex_lock (&b->locks[1], track, &hold));
          g_atomic_int_set (&b->next, 2);
          g_assert_true (ptl_mutex_lock (&b->locks[0], track, &other));
          ptl_mutex_unlock (&b->locks[0], track, &other);
          ptl_mutex_unlock (&b->locks[1], track, &hold);
        }
      else
        {
          while (g_atomic_int_get (&b->next) < 2)
            g_usleep (1000);
          g_assert_true (ptl_mutex_lock (&b->locks[1], track, &hold));
          ptl_mutex_unlock (&b->locks[1], track, &hold);
        }
      pthread_barrier_wait (&b->round_end);
      if (i == 0)
        g_atomic_int_set (&b->next, 0);
      pthread_barrier_wait (&b->round_end);
    }
  return NULL;
}

static gpointer
churn_thread (gpointer data)
{
  Busy *b = ((gpointer *) data)[0];
  guint i = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  g_autoptr(GRand) rand = g_rand_new_with_seed (i);
  gint64 end = ptl_clock_now_ns () + 500 * G_GINT64_CONSTANT (1000000);

  while (ptl_clock_now_ns () < end)
    {
      guint first = g_rand_int_range (rand, 0, 2);
      guint second = g_rand_int_range (rand, first + 1, 3);
      PtlHold h1, h2;

      g_assert_true (ptl_mutex_lock (&b->locks[first], b->tracks[i], &h1));
      g_assert_true (ptl_mutex_lock (&b->locks[second], b->tracks[i], &h2));
      ptl_mutex_unlock (&b->locks[second], b->tracks[i], &h2);
      ptl_mutex_unlock (&b->locks[first], b->tracks[i], &h1);
    }
  return NULL;
}

static void
run_busy (GThreadFunc func,
          guint       n_threads)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  g_autoptr(PtlDeadlockWatchdog) watchdog = ptl_deadlock_watchdog_new (recorder, 1);
  g_autofree Busy *b = g_new0 (Busy, 1);
  gpointer args[4][2];
  GThread *threads[4];

  b->recorder = recorder;
  pthread_barrier_init (&b->round_end, NULL, n_threads);
  for (guint i = 0; i < n_threads; i++)
    b->tracks[i] = ptl_thread_recorder_add_thread (recorder, "worker");
  for (guint l = 0; l < 3; l++)
    {
      ptl_mutex_init (&b->locks[l], recorder, "lock");
      ptl_deadlock_watchdog_watch (watchdog, &b->locks[l].base);
    }
  g_assert_true (ptl_deadlock_watchdog_start (watchdog, NULL, NULL));
  for (guint i = 0; i < n_threads; i++)
    {
      args[i][0] = b;
      args[i][1] = GUINT_TO_POINTER (i);
      threads[i] = g_thread_new ("busy", func, args[i]);
    }
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  ptl_deadlock_watchdog_stop (watchdog);
  g_test_message ("%" G_GUINT64_FORMAT " looks", ptl_deadlock_watchdog_get_n_looks (watchdog));
  g_assert_cmpuint (ptl_deadlock_watchdog_get_n_looks (watchdog), >, 10);
  g_assert_false (ptl_deadlock_watchdog_found (watchdog));
  g_assert_false (ptl_thread_recorder_is_aborted (recorder));
  for (guint l = 0; l < 3; l++)
    ptl_mutex_clear (&b->locks[l]);
  pthread_barrier_destroy (&b->round_end);
}

static void
test_watchdog_no_false_positive (void)
{
  run_busy (chain_thread, 3);
  run_busy (churn_thread, 4);
}

/* The graph chart: JSON and CSV round trips, a bad file, drawing. */
static PtlResult *
graph_result (void)
{
  PtlResult *result = ptl_result_new ("test", "Graph");
  PtlGraph *graph = ptl_graph_new ();
  guint thread = ptl_graph_add_node_kind (graph, "Thread", PTL_GRAPH_SHAPE_ROUND);
  guint lock = ptl_graph_add_node_kind (graph, "Lock", PTL_GRAPH_SHAPE_BOX);
  guint holds = ptl_graph_add_edge_kind (graph, "Holds", FALSE);
  guint waits = ptl_graph_add_edge_kind (graph, "Waits for", TRUE);
  guint a = ptl_graph_add_node (graph, thread, "A", TRUE);
  guint x = ptl_graph_add_node (graph, lock, "X", TRUE);
  guint b = ptl_graph_add_node (graph, thread, "B", TRUE);
  guint y = ptl_graph_add_node (graph, lock, "Y", TRUE);
  guint c = ptl_graph_add_node (graph, thread, "C", FALSE);

  ptl_graph_set_highlight_label (graph, "Cycle");
  ptl_graph_add_edge (graph, waits, a, x, TRUE);
  ptl_graph_add_edge (graph, holds, x, b, TRUE);
  ptl_graph_add_edge (graph, waits, b, y, TRUE);
  ptl_graph_add_edge (graph, holds, y, a, TRUE);
  ptl_graph_add_edge (graph, waits, c, y, FALSE);
  ptl_chart_set_graph (ptl_result_add_chart (result, "g", PTL_CHART_GRAPH, "Wait-for"), graph);
  return result;
}

static void
test_graph_files (void)
{
  g_autoptr(PtlResult) result = graph_result ();
  g_autoptr(JsonNode) node = ptl_result_to_json (result);
  g_autoptr(PtlResult) loaded = ptl_result_new_from_json (node, NULL);
  g_autofree char *csv = ptl_result_to_csv (result);
  g_autoptr(GError) error = NULL;
  JsonObject *chart;
  JsonArray *edges;
  PtlGraph *graph;

  g_assert_nonnull (loaded);
  graph = ptl_chart_get_graph (ptl_result_find_chart (loaded, "g"));
  g_assert_nonnull (graph);
  g_assert_cmpuint (ptl_graph_get_n_nodes (graph), ==, 5);
  g_assert_cmpuint (ptl_graph_get_n_edges (graph), ==, 5);
  g_assert_cmpstr (ptl_graph_get_node (graph, 4)->name, ==, "C");
  g_assert_false (ptl_graph_get_node (graph, 4)->highlight);
  g_assert_true (ptl_graph_get_edge_kind (graph, ptl_graph_get_edge (graph, 0)->kind)->dashed);
  g_assert_cmpint (ptl_graph_get_node_kind (graph, 1)->shape, ==, PTL_GRAPH_SHAPE_BOX);
  g_assert_cmpstr (ptl_graph_get_highlight_label (graph), ==, "Cycle");

  g_assert_nonnull (strstr (csv, "g,Thread,A,,1,Cycle,,\r\n"));
  g_assert_nonnull (strstr (csv, "g,Thread,C,,0,Cycle,,\r\n"));
  g_assert_nonnull (strstr (csv, "g,Waits for,C → Y,,0,Cycle,,\r\n"));
  g_assert_nonnull (strstr (csv, "g,Holds,X → B,,1,Cycle,,\r\n"));

  /* An arrow to a node that does not exist is refused with one error. */
  chart = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "charts"), 0);
  edges = json_object_get_array_member (json_object_get_object_member (chart, "graph"), "edges");
  json_array_remove_element (json_array_get_array_element (edges, 4), 1);
  json_array_add_int_element (json_array_get_array_element (edges, 4), 9);
  g_assert_null (ptl_result_new_from_json (node, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "charts[0].graph.edges[4]"));
}

static void
test_graph_draw (void)
{
  g_autoptr(PtlResult) result = graph_result ();
  PtlChart *chart = ptl_result_find_chart (result, "g");
  const char *styles[] = { "light", "dark", "report" };

  for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
      cairo_t *cr = cairo_create (surface);
      const PtlRgba *cycle;
      PtlPlotStyle style;
      PtlChartHit hit;
      guint cycle_pixels = 0;
      guchar *data;
      int stride;

      if (s == 0)
        ptl_plot_style_init_light (&style);
      else if (s == 1)
        ptl_plot_style_init_dark (&style);
      else
        ptl_plot_style_init_report (&style);
      cycle = &style.series[1];
      ptl_chart_draw (chart, cr, &style, 600, 400);
      cairo_surface_flush (surface);
      data = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      /* The cycle draws in its own colour. */
      for (int y = 0; y < 400; y++)
        for (int x = 0; x < 600; x++)
          {
            guint32 pixel = *(guint32 *) (gpointer) (data + y * stride + x * 4);

            cycle_pixels += fabs (((pixel >> 16) & 0xff) - cycle->red * 255) < 2 &&
                            fabs (((pixel >> 8) & 0xff) - cycle->green * 255) < 2 &&
                            fabs ((pixel & 0xff) - cycle->blue * 255) < 2;
          }
      g_test_message ("%s: %u pixels of the cycle's colour", styles[s], cycle_pixels);
      g_assert_cmpuint (cycle_pixels, >, 500);
      /* Nothing under the top-left corner; a node somewhere. */
      g_assert_false (ptl_chart_hit_test (chart, &style, 600, 400, 1, 1, &hit));
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

static void
test_graph_svg (void)
{
  g_autoptr(PtlResult) result = graph_result ();
  g_autofree char *dir = g_dir_make_tmp ("ptl-graph-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename (dir, "g.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "g.pdf", NULL);
  g_autofree char *contents = NULL;
  PtlExportOptions options = { "g", 500, 300, 1, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (ptl_export_to_file (result, svg, &options, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "width=\"500"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (ptl_export_to_file (result, pdf, &options, &error));
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

/* Experiments */

static void
test_philosophers_naive (void)
{
  /* A long pause between the forks makes the deadlock come at once. */
  const char *params[] = { "strategy", "naive", "pause-ms", "20", "duration-ms", "60000", NULL };
  const char *warm[] = { "strategy", "ordered", "duration-ms", "100", NULL };
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("philosophers", warm);
  g_autoptr(PtlResult) result = ptl_test_run ("philosophers", params);
  PtlChart *chart = ptl_result_find_chart (result, "wait-for");
  PtlGraph *graph;
  guint highlighted = 0;

  g_assert_cmpstr (ptl_test_text_cell (result, "Naive", "deadlock"), ==, "yes");
  g_assert_cmpfloat (ptl_test_cell (result, "Naive", "latency"), <, 1.0);
  g_assert_nonnull (chart);
  graph = ptl_chart_get_graph (chart);
  /* Five philosophers and five forks, every one of them on the cycle. */
  g_assert_cmpuint (ptl_graph_get_n_nodes (graph), ==, 10);
  for (guint i = 0; i < ptl_graph_get_n_nodes (graph); i++)
    highlighted += ptl_graph_get_node (graph, i)->highlight;
  g_assert_cmpuint (highlighted, ==, 10);
  g_assert_nonnull (strstr (ptl_result_get_note (result, 0), "holds Fork"));
  g_assert_nonnull (ptl_result_find_chart (result, "timeline"));
  /* The run ended on its own, long before its 60 s. */
  ptl_test_leaks_assert_none (&before, 2000);
}

static void
test_philosophers_strategies (void)
{
  const char *strategies[][2] = {
    { "ordered", "Resource ordering" },
    { "arbitrator", "Arbitrator" },
    { "trylock", "Try-lock and back-off" },
    { "chandy-misra", "Chandy–Misra" },
  };

  for (guint s = 0; s < G_N_ELEMENTS (strategies); s++)
    {
      const char *params[] = { "strategy", strategies[s][0], "pause-ms", "5", "think-ms", "1", "eat-ms", "2",
                               "philosophers", "6", "duration-ms", "1500", NULL };
      g_autoptr(PtlResult) result = ptl_test_run ("philosophers", params);
      const char *row = strategies[s][1];

      g_assert_cmpstr (ptl_test_text_cell (result, row, "deadlock"), ==, "no");
      g_assert_null (ptl_result_find_chart (result, "wait-for"));
      g_assert_cmpfloat (ptl_test_cell (result, row, "meals"), >=, 6);
      g_assert_cmpfloat (ptl_test_cell (result, row, "watchdog-cpu"), <, 5);
    }
}

/* Chandy–Misra at the end of its time. A philosopher that reached for a
 * clean fork after its neighbour had left the table (and broadcast its
 * goodbye) waited for it for ever: about one short run in six hung. Many
 * short runs bring that end often; in a child, so a hang is killed by the
 * guard and fails the test instead of stalling the suite. */
static void
test_philosophers_chandy_misra_end (void)
{
  if (g_test_subprocess ())
    {
      for (guint seed = 1; seed <= 40; seed++)
        {
          g_autofree char *seed_text = g_strdup_printf ("%u", seed);
          const char *params[] = { "strategy", "chandy-misra", "philosophers", "6", "pause-ms", "5",
                                   "think-ms", "1", "eat-ms", "2", "duration-ms", "100",
                                   "seed", seed_text, NULL };
          g_autoptr(PtlResult) result = ptl_test_run ("philosophers", params);

          g_assert_cmpstr (ptl_test_text_cell (result, "Chandy–Misra", "deadlock"), ==, "no");
        }
      return;
    }
  /* 40 runs take about 5 s (three times that under sanitizers). */
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_assert_false (g_test_trap_reached_timeout ());
  g_test_trap_assert_passed ();
}

static void
test_deadlock_experiment (void)
{
  const char *params[] = { "repeats", "4", "rounds", "100", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("deadlock", params);

  g_assert_cmpfloat (ptl_test_cell (result, "global", "deadlocked"), ==, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "random", "deadlocked"), >=, 1);
  g_assert_cmpfloat (ptl_test_cell (result, "random", "latency-median"), <, 1.0);
  g_assert_nonnull (ptl_result_find_chart (result, "wait-for"));
  g_assert_nonnull (ptl_result_find_chart (result, "latency"));
}

static void
test_cancel (void)
{
  const char *ordered[] = { "strategy", "ordered", "duration-ms", "60000", NULL };
  /* Deadlocked (a 20 ms pause) but not yet caught (one look a second). */
  const char *stuck[] = { "strategy", "naive", "pause-ms", "20", "watchdog-ms", "1000", "duration-ms", "60000", NULL };
  const char *chandy[] = { "strategy", "chandy-misra", "duration-ms", "60000", NULL };
  const char *locks[] = { "repeats", "50", "rounds", "2000", NULL };
  const char *warm[] = { "strategy", "ordered", "duration-ms", "100", NULL };
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("philosophers", warm);
  g_autoptr(PtlExperiment) dining = ptl_test_new_experiment ("philosophers", ordered);
  g_autoptr(PtlExperiment) deadlocked = ptl_test_new_experiment ("philosophers", stuck);
  g_autoptr(PtlExperiment) cm = ptl_test_new_experiment ("philosophers", chandy);
  g_autoptr(PtlExperiment) deadlock = ptl_test_new_experiment ("deadlock", locks);

  ptl_test_assert_cancel_before_start (dining);
  ptl_test_assert_cancel_at (dining, "5 philosophers", 200, 1000);
  ptl_test_assert_cancel_at (deadlocked, "5 philosophers", 400, 1000);
  ptl_test_assert_cancel_at (cm, "5 philosophers", 200, 1000);
  ptl_test_assert_cancel_before_start (deadlock);
  ptl_test_assert_cancel_at (deadlock, "Random order, repeat 1", 5, 1000);
  ptl_test_assert_cancel_at (deadlock, "Global order, repeat 2", 5, 1000);
  ptl_test_leaks_assert_none (&before, 2000);
}

static void
test_params (void)
{
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("deadlock", NULL);
  g_autoptr(GError) error = NULL;
  const char *many[] = { "philosophers", "64", NULL };

  g_assert_true (ptl_experiment_set_param (experiment, "take", "5", &error));
  g_assert_true (ptl_experiment_set_param (experiment, "locks", "4", &error));
  g_assert_false (ptl_experiment_validate (experiment, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  /* The philosophers and the watchdog count against the user's limit. */
  ptl_test_assert_count_tasks ("philosophers", many, 65);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/deadlock/watchdog/cycle", test_watchdog_cycle);
  g_test_add_func ("/ptl/deadlock/watchdog/no-false-positive", test_watchdog_no_false_positive);
  g_test_add_func ("/ptl/deadlock/graph/files", test_graph_files);
  g_test_add_func ("/ptl/deadlock/graph/draw", test_graph_draw);
  g_test_add_func ("/ptl/deadlock/graph/svg-pdf", test_graph_svg);
  g_test_add_func ("/ptl/deadlock/philosophers/naive", test_philosophers_naive);
  g_test_add_func ("/ptl/deadlock/philosophers/strategies", test_philosophers_strategies);
  g_test_add_func ("/ptl/deadlock/philosophers/chandy-misra-end", test_philosophers_chandy_misra_end);
  g_test_add_func ("/ptl/deadlock/experiment", test_deadlock_experiment);
  g_test_add_func ("/ptl/deadlock/cancel", test_cancel);
  g_test_add_func ("/ptl/deadlock/params", test_params);

  return g_test_run ();
}
