/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-plot-bench"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-plot.h"

#define BENCH_WIDTH 1200
#define BENCH_HEIGHT 800

/* A fixed seed: every run draws the same chart. */
#define BENCH_SEED 20240601

static PtlResult *
noisy_line_result (guint n_points)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  PtlResult *result = ptl_result_new ("plot-bench", _("Plot benchmark"));
  PtlChart *chart = ptl_result_add_chart (result, "line", PTL_CHART_LINE, _("Noisy latency"));
  PtlSeries *series;
  double level = 1e-3;

  ptl_chart_set_x_axis (chart, _("Sample"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Latency"), "s", FALSE);
  series = ptl_chart_add_series (chart, _("Random walk"));

  /* A random walk with jitter on top: every pixel column holds a real
   * spread, the worst case for decimation. */
  for (guint i = 0; i < n_points; i++)
    {
      level = MAX (level + g_rand_double_range (rand, -1, 1) * 2e-6, 1e-4);
      ptl_series_add_point (series, i, level + g_rand_double_range (rand, 0, 1) * 5e-5);
    }
  return result;
}

/* A round-robin schedule of BENCH_LANES processes on one CPU, with a
 * context switch between quanta of random length: n_slices slices in all,
 * most far narrower than a pixel, which the renderer must merge. */
#define BENCH_LANES 10

static PtlResult *
schedule_result (guint n_slices)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  PtlResult *result = ptl_result_new ("plot-bench", _("Plot benchmark"));
  PtlChart *chart = ptl_result_add_chart (result, "gantt", PTL_CHART_TIMELINE, _("Round robin"));
  guint lanes[BENCH_LANES + 1], keys[BENCH_LANES + 1];
  double t = 0;

  ptl_chart_set_x_axis (chart, _("Time"), "s", FALSE);
  for (guint l = 0; l < BENCH_LANES; l++)
    {
      g_autofree char *name = g_strdup_printf ("P%u", l + 1);

      lanes[l] = ptl_chart_add_lane (chart, name);
      keys[l] = ptl_chart_add_key (chart, name, FALSE);
      ptl_chart_add_marker (chart, lanes[l], 0);
    }
  lanes[BENCH_LANES] = ptl_chart_add_lane (chart, _("idle / switch"));
  keys[BENCH_LANES] = ptl_chart_add_key (chart, _("switch"), TRUE);

  for (guint i = 0; i < n_slices; i++)
    {
      guint lane = i % 2 == 1 ? BENCH_LANES : (i / 2) % BENCH_LANES;
      double length = i % 2 == 1 ? 1e-6 : g_rand_double_range (rand, 1e-5, 1e-3);

      ptl_chart_add_slice (chart, lanes[lane], keys[lane], t, t + length);
      t += length;
    }
  return result;
}

/* A recording of BENCH_THREADS threads taking two locks in turn: waits
 * and holds of 0.2–5 µs with short runs between, n_spans spans in all,
 * built through the recorder as an experiment's would be. */
#define BENCH_THREADS 8

static PtlResult *
thread_states_result (guint n_spans)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (n_spans / BENCH_THREADS + 1);
  PtlResult *result = ptl_result_new ("plot-bench", _("Plot benchmark"));
  guint32 locks[2];
  /* Ticks per ns, from the recorder's own (linear) conversion. */
  double rate = 1e9 / (ptl_thread_recorder_ticks_to_ns (recorder, 1000000000) -
                       ptl_thread_recorder_ticks_to_ns (recorder, 0));

  locks[0] = ptl_thread_recorder_add_object (recorder, "A");
  locks[1] = ptl_thread_recorder_add_object (recorder, "B");
  for (guint t = 0; t < BENCH_THREADS; t++)
    {
      g_autofree char *name = g_strdup_printf ("T%u", t + 1);
      PtlThreadTrack *track = ptl_thread_recorder_add_thread (recorder, name);
      guint n = n_spans / BENCH_THREADS + (t < n_spans % BENCH_THREADS);
      double ns = 0;

      track->begin = (gint64) (ptl_thread_recorder_ticks_to_ns (recorder, 0) * -rate);
      for (guint i = 0; i < n; i++)
        {
          PtlThreadState state = i % 2 == 0 ? PTL_THREAD_WAITING_LOCK : PTL_THREAD_HOLDING_LOCK;
          double length = g_rand_double_range (rand, 200, 5000);

          ns += i % 2 == 0 ? g_rand_double_range (rand, 0, 1000) : 0;
          ptl_thread_track_push (track, state, locks[(i / 2) % 2], track->begin + (gint64) (ns * rate),
                                 track->begin + (gint64) ((ns + length) * rate), (int) (t % 2));
          ns += length;
        }
      track->end = track->begin + (gint64) (ns * rate);
    }
  ptl_thread_recorder_add_charts (recorder, result, "threads", _("Two locks"), FALSE);
  return result;
}

/* Times ptl_chart_draw () of @chart after one untimed warm-up render. */
static gboolean
time_renders (PtlChart  *chart,
              guint      repeats,
              PtlStats  *seconds_per_render,
              GError   **error)
{
  g_autofree double *samples = NULL;
  cairo_surface_t *surface;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  PtlPlotStyle style;

  ptl_plot_style_init_report (&style);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, BENCH_WIDTH, BENCH_HEIGHT);
  samples = g_new (double, repeats);

  /* Render number 0 is a warm-up: it loads fonts and fills caches. */
  for (guint i = 0; i <= repeats && status == CAIRO_STATUS_SUCCESS; i++)
    {
      cairo_t *cr = cairo_create (surface);
      gint64 start, end;

      start = ptl_clock_now_ns ();
      ptl_chart_draw (chart, cr, &style, BENCH_WIDTH, BENCH_HEIGHT);
      cairo_surface_flush (surface);
      end = ptl_clock_now_ns ();

      status = cairo_status (cr);
      cairo_destroy (cr);
      if (i > 0)
        samples[i - 1] = (end - start) / 1e9;
    }

  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Rendering the plot benchmark failed: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  ptl_stats_compute (seconds_per_render, samples, repeats);
  return TRUE;
}

gboolean
ptl_plot_bench_line (guint      n_points,
                     guint      repeats,
                     PtlStats  *seconds_per_render,
                     GError   **error)
{
  g_autoptr(PtlResult) result = NULL;

  g_return_val_if_fail (seconds_per_render != NULL, FALSE);

  if (n_points == 0 || repeats == 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("The plot benchmark needs at least one point and one repeat"));
      return FALSE;
    }

  result = noisy_line_result (n_points);
  return time_renders (ptl_result_get_chart (result, 0), repeats, seconds_per_render, error);
}

gboolean
ptl_plot_bench_timeline (guint      n_slices,
                         guint      repeats,
                         PtlStats  *seconds_per_render,
                         GError   **error)
{
  g_autoptr(PtlResult) result = NULL;

  g_return_val_if_fail (seconds_per_render != NULL, FALSE);

  if (n_slices == 0 || repeats == 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("The Gantt benchmark needs at least one slice and one repeat"));
      return FALSE;
    }

  result = schedule_result (n_slices);
  return time_renders (ptl_result_get_chart (result, 0), repeats, seconds_per_render, error);
}

gboolean
ptl_plot_bench_thread_states (guint      n_spans,
                              guint      repeats,
                              PtlStats  *seconds_per_render,
                              GError   **error)
{
  g_autoptr(PtlResult) result = NULL;

  g_return_val_if_fail (seconds_per_render != NULL, FALSE);

  if (n_spans == 0 || repeats == 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("The thread-state benchmark needs at least one span and one repeat"));
      return FALSE;
    }

  result = thread_states_result (n_spans);
  return time_renders (ptl_result_find_chart (result, "threads"), repeats, seconds_per_render, error);
}
