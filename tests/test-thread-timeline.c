/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ptl-plot.h"

/* The thread-state timeline as drawn: spans far narrower than a pixel
 * merge into the colour of the state that filled most of each column, a
 * lock's keys take their state's colour, and both survive a JSON trip. */

#define WIDTH  600
#define HEIGHT 300

static guint
count_pixels (cairo_surface_t *surface,
              const PtlRgba   *color)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 want = 0xff000000u | (guint32) lround (color->red * 255) << 16 |
                 (guint32) lround (color->green * 255) << 8 | (guint32) lround (color->blue * 255);
  guint n = 0;

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      n += *(const guint32 *) (gconstpointer) (data + y * stride + 4 * x) == want;
  return n;
}

/* One thread alternating 70 % holding "L" and 30 % waiting for it, in
 * 100,000 spans: a few hundred per pixel column. */
static PtlResult *
alternating_result (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (1u << 17);
  PtlResult *result = ptl_result_new ("test", "Test");
  PtlThreadTrack *track = ptl_thread_recorder_add_thread (recorder, "T1");
  guint32 lock = ptl_thread_recorder_add_object (recorder, "L");
  gint64 t = ptl_thread_ticks ();

  track->begin = t;
  for (guint i = 0; i < 50000; i++)
    {
      ptl_thread_track_push (track, PTL_THREAD_WAITING_LOCK, lock, t, t + 300, 0);
      ptl_thread_track_push (track, PTL_THREAD_HOLDING_LOCK, lock, t + 300, t + 1000, 0);
      t += 1000;
    }
  track->end = t;
  ptl_thread_recorder_add_charts (recorder, result, "threads", "Alternating", FALSE);
  return result;
}

static guint
find_key (PtlChart   *chart,
          const char *name)
{
  for (guint k = 0; k < ptl_chart_get_n_keys (chart); k++)
    if (g_strcmp0 (ptl_chart_get_key (chart, k), name) == 0)
      return k;
  g_assert_not_reached ();
}

static void
test_merge_by_state (void)
{
  g_autoptr(PtlResult) result = alternating_result ();
  PtlChart *chart = ptl_result_find_chart (result, "threads");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  guint holding = find_key (chart, "holding “L”");
  guint waiting = find_key (chart, "waiting for “L”");
  PtlRgba holding_color, waiting_color, state_color;
  PtlPlotStyle style;
  guint n_slices;

  ptl_chart_get_slices (chart, &n_slices);
  g_assert_cmpuint (n_slices, ==, 100000);
  ptl_plot_style_init_report (&style);
  holding_color = ptl_chart_get_key_color (chart, &style, holding);
  waiting_color = ptl_chart_get_key_color (chart, &style, waiting);
  /* A lock's key is drawn in its state's colour, and states differ. */
  state_color = ptl_chart_get_key_color (chart, &style, PTL_THREAD_HOLDING_LOCK);
  g_assert_true (memcmp (&holding_color, &state_color, sizeof holding_color) == 0);
  g_assert_false (memcmp (&holding_color, &waiting_color, sizeof holding_color) == 0);

  ptl_chart_draw (chart, cr, &style, WIDTH, HEIGHT);
  cairo_surface_flush (surface);
  /* The lane is holding's colour end to end; waiting shows only in the
   * legend's swatch. */
  g_assert_cmpuint (count_pixels (surface, &holding_color), >, 20 * count_pixels (surface, &waiting_color));
  g_assert_cmpuint (count_pixels (surface, &holding_color), >, WIDTH * 5);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_json (void)
{
  g_autoptr(PtlResult) result = alternating_result ();
  g_autoptr(JsonNode) node = ptl_result_to_json (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) loaded = ptl_result_new_from_json (node, &error);
  PtlChart *chart, *loaded_chart;

  g_assert_no_error (error);
  chart = ptl_result_find_chart (result, "threads");
  loaded_chart = ptl_result_find_chart (loaded, "threads");
  g_assert_cmpuint (ptl_chart_get_n_keys (loaded_chart), ==, ptl_chart_get_n_keys (chart));
  for (guint k = 0; k < ptl_chart_get_n_keys (chart); k++)
    {
      g_assert_cmpstr (ptl_chart_get_key (loaded_chart, k), ==, ptl_chart_get_key (chart, k));
      g_assert_cmpuint (ptl_chart_get_key_like (loaded_chart, k), ==, ptl_chart_get_key_like (chart, k));
      g_assert_cmpint (ptl_chart_get_key_muted (loaded_chart, k), ==, ptl_chart_get_key_muted (chart, k));
    }
  g_assert_nonnull (ptl_result_find_chart (loaded, "threads-shares"));
}

/* The extent a draw reads instead of scanning every slice: kept as
 * slices come, through copies, ignoring what is not finite. */
static void
test_extent (void)
{
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Test");
  g_autoptr(PtlResult) copy = NULL;
  PtlChart *chart = ptl_result_add_chart (result, "c", PTL_CHART_TIMELINE, "C");
  guint lane = ptl_chart_add_lane (chart, "a");
  guint key = ptl_chart_add_key (chart, "k", FALSE);
  double min, max;

  g_assert_false (ptl_chart_get_slice_extent (chart, &min, &max));
  ptl_chart_add_slice (chart, lane, key, 2, 3);
  ptl_chart_add_slice (chart, lane, key, 9, -1);
  ptl_chart_add_slice (chart, lane, key, NAN, 100);
  g_assert_true (ptl_chart_get_slice_extent (chart, &min, &max));
  g_assert_cmpfloat (min, ==, -1);
  g_assert_cmpfloat (max, ==, 9);
  copy = ptl_result_copy (result);
  g_assert_true (ptl_chart_get_slice_extent (ptl_result_find_chart (copy, "c"), &min, &max));
  g_assert_cmpfloat (min, ==, -1);
  g_assert_cmpfloat (max, ==, 9);
}

static void
test_bad_like (void)
{
  const char *json =
    "{\"format\":\"ptlab-result\",\"version\":1,\"experiment\":\"t\",\"title\":\"T\",\"charts\":[{\"id\":\"c\","
    "\"kind\":\"timeline\",\"title\":\"C\",\"lanes\":[\"a\"],\"keys\":[{\"name\":\"k\",\"like\":3}],"
    "\"slices\":[],\"markers\":[]}]}";
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = NULL;

  g_assert_nonnull (node);
  result = ptl_result_new_from_json (node, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/thread-timeline/merge-by-state", test_merge_by_state);
  g_test_add_func ("/ptl/thread-timeline/json", test_json);
  g_test_add_func ("/ptl/thread-timeline/bad-like", test_bad_like);
  g_test_add_func ("/ptl/thread-timeline/extent", test_extent);

  return g_test_run ();
}
