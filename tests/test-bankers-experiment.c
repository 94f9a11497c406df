/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "ptl-test-util.h"

/* The "bankers" experiment through the shared harness: the summary and
 * charts of the textbook example, the state table without requests, an
 * unsafe state drawn as such, a state file, and bad parameters refused
 * with the loader's or the parser's own message before any run. */

static void
test_silberschatz_requests (void)
{
  static const char * const params[] = { "state", "silberschatz", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("bankers", params);
  PtlChart *safety, *work, *requests;
  const PtlPoint *points;
  guint n_points;

  g_assert_cmpstr (ptl_test_text_cell (result, "1. P1 (1, 0, 2)", "outcome"), ==, "granted");
  g_assert_cmpstr (ptl_test_text_cell (result, "1. P1 (1, 0, 2)", "safe sequence"), ==, "<P1, P3, P4, P0, P2>");
  g_assert_cmpstr (ptl_test_text_cell (result, "2. P4 (3, 3, 0)", "outcome"), ==,
                   "refused: exceeds what is available (must wait)");
  g_assert_cmpstr (ptl_test_text_cell (result, "3. P0 (0, 2, 0)", "outcome"), ==,
                   "refused: would leave the state unsafe (must wait)");
  g_assert_cmpstr (ptl_test_text_cell (result, "3. P0 (0, 2, 0)", "available after"), ==, "2 3 0");

  /* Lanes P0 … P4, keys waiting (0) and finishing (1): P1 finishes
   * first, P2 last, after waiting four steps. */
  safety = ptl_result_find_chart (result, "safety");
  g_assert_nonnull (safety);
  g_assert_cmpuint (ptl_chart_get_n_lanes (safety), ==, 5);
  g_assert_cmpfloat (ptl_test_lane_time (safety, 1, 0), ==, 0);
  g_assert_cmpfloat (ptl_test_lane_time (safety, 1, 1), ==, 1);
  g_assert_cmpfloat (ptl_test_lane_time (safety, 2, 0), ==, 4);
  g_assert_cmpfloat (ptl_test_lane_time (safety, 0, 0), ==, 3);

  /* Work of A: 3, then +2 (P1), +2 (P3), +0 (P4), +0 (P0), +3 (P2). */
  work = ptl_result_find_chart (result, "work");
  g_assert_nonnull (work);
  g_assert_cmpuint (ptl_chart_get_n_categories (work), ==, 6);
  points = ptl_series_get_points (ptl_chart_find_series (work, "A"), &n_points);
  g_assert_cmpuint (n_points, ==, 6);
  g_assert_cmpfloat (points[0].y, ==, 3);
  g_assert_cmpfloat (points[2].y, ==, 7);
  g_assert_cmpfloat (points[5].y, ==, 10);

  /* One slice per request in the requester's lane; a key per outcome
   * that occurs, in order of first occurrence. */
  requests = ptl_result_find_chart (result, "requests");
  g_assert_nonnull (requests);
  g_assert_cmpuint (ptl_chart_get_n_keys (requests), ==, 3);
  g_assert_cmpstr (ptl_chart_get_key (requests, 2), ==, "Waits: would be unsafe");
  g_assert_cmpfloat (ptl_test_lane_time (requests, 1, 0), ==, 1);
  g_assert_cmpfloat (ptl_test_lane_time (requests, 4, 1), ==, 1);
  g_assert_cmpfloat (ptl_test_lane_time (requests, 0, 2), ==, 1);
}

static void
test_unsafe_state (void)
{
  static const char * const params[] = { "state", "unsafe", NULL };
  g_autoptr(PtlResult) result = ptl_test_run ("bankers", params);
  PtlChart *safety = ptl_result_find_chart (result, "safety");

  /* No requests: the summary is the state, with the need column. */
  g_assert_cmpstr (ptl_test_text_cell (result, "A", "need"), ==, "5");
  g_assert_cmpstr (ptl_test_text_cell (result, "A", "finishes"), ==, "Cannot finish");
  g_assert_cmpfloat (ptl_test_cell (result, "B", "finishes"), ==, 1);
  g_assert_null (ptl_result_find_chart (result, "requests"));
  /* B finishes first, so nothing waits: keys are finishing and stuck. */
  g_assert_cmpuint (ptl_chart_get_n_keys (safety), ==, 2);
  g_assert_cmpstr (ptl_chart_get_key (safety, 1), ==, "Cannot finish");
  g_assert_cmpfloat (ptl_test_lane_time (safety, 0, 1), ==, 2);
  g_assert_cmpfloat (ptl_test_lane_time (safety, 1, 0), ==, 1);
  g_assert_cmpfloat (ptl_test_lane_time (safety, 2, 1), ==, 2);
}

static void
test_state_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ptlab-bankers-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autoptr(PtlResult) result = NULL;
  const char *params[] = { "state", path, "requests", "X:1,1; Y:0,3", NULL };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path,
                                      "{\"available\": [1, 2],\n"
                                      " \"processes\": [{\"name\": \"X\", \"max\": [2, 2], \"allocation\": [1, 0]},\n"
                                      "               {\"name\": \"Y\", \"max\": [1, 2], \"allocation\": [0, 0]}]}\n",
                                      -1, NULL));
  result = ptl_test_run ("bankers", params);
  g_assert_cmpstr (ptl_test_text_cell (result, "1. X (1, 1)", "outcome"), ==, "granted");
  g_assert_cmpstr (ptl_test_text_cell (result, "1. X (1, 1)", "safe sequence"), ==, "<X, Y>");
  g_assert_cmpstr (ptl_test_text_cell (result, "2. Y (0, 3)", "outcome"), ==,
                   "refused: exceeds its declared need (an error)");
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_generated (void)
{
  static const char * const params[] = { "state", "random", "processes", "8", "resources", "4", "seed", "5", NULL };
  g_autoptr(PtlResult) first = ptl_test_run ("bankers", params);
  g_autoptr(PtlResult) second = ptl_test_run ("bankers", params);
  g_autofree char *first_table = ptl_table_format_text (ptl_result_get_summary (first));
  g_autofree char *second_table = ptl_table_format_text (ptl_result_get_summary (second));

  g_assert_cmpstr (first_table, ==, second_table);
  g_assert_cmpuint (ptl_chart_get_n_lanes (ptl_result_find_chart (first, "safety")), ==, 8);
  g_assert_nonnull (ptl_chart_find_series (ptl_result_find_chart (first, "work"), "D"));
}

typedef struct
{
  const char *state_file; /* written to a temporary file when set */
  const char *params[5];
  int         code;
  const char *message_end;
} BadCase;

static const BadCase bad_cases[] = {
  { NULL, { "state", "silbershatz", NULL }, PTL_ERROR_INVALID_PARAMETER,
    "Unknown state “silbershatz”: expected an example (silberschatz, tanenbaum, single, unsafe), random, "
    "or the path of a .csv or .json file" },
  { NULL, { "requests", "P1:1,0", NULL }, PTL_ERROR_INVALID_PARAMETER,
    "Requests, column 7: expected 3 amounts, one per resource, found 2" },
  { NULL, { "state", "tanenbaum", "requests", "P1:1,0,2", NULL }, PTL_ERROR_INVALID_PARAMETER,
    "Requests, column 1: no process “P1”; the state has A, B, C, D, E" },
  { "available,3,3,2\nP0,7,5,3,0,1\n", { NULL }, PTL_ERROR_INVALID_FILE,
    ".csv: line 2, column 13: expected 6 numbers after the name (the maximum claim of each of the 3 "
    "resources, then what it holds of each), found 5" },
  { "available,3,3,2\n\nP0,7,5,3,0,9,0\n", { NULL }, PTL_ERROR_INVALID_FILE,
    ".csv: line 3, column 12: P0 holds 9 of resource B but claims at most 5" },
};

static void
test_bad_parameters (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("ptlab-bankers-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "state.csv", NULL);
      g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("bankers", c->params);

      g_assert_no_error (error);
      if (c->state_file != NULL)
        {
          g_assert_true (g_file_set_contents (path, c->state_file, -1, NULL));
          g_assert_true (ptl_experiment_set_param (experiment, "state", path, &error));
        }
      g_assert_false (ptl_experiment_validate (experiment, &error));
      g_assert_error (error, PTL_ERROR, c->code);
      if (!g_str_has_suffix (error->message, c->message_end))
        g_error ("case %u: “%s” does not end in “%s”", i, error->message, c->message_end);
      g_unlink (path);
      g_assert_cmpint (g_rmdir (dir), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/bankers-experiment/silberschatz", test_silberschatz_requests);
  g_test_add_func ("/ptl/bankers-experiment/unsafe", test_unsafe_state);
  g_test_add_func ("/ptl/bankers-experiment/state-file", test_state_file);
  g_test_add_func ("/ptl/bankers-experiment/generated", test_generated);
  g_test_add_func ("/ptl/bankers-experiment/bad-parameters", test_bad_parameters);

  return g_test_run ();
}
