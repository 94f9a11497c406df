/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bankers"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ptl-bankers-sim.h"
#include "ptl-bankers-state.h"

/* The banker's algorithm against the textbooks' worked examples and
 * their published answers, the loaders against malformed files, and the
 * safety check against its definition on random states. */

static char *
describe_order (const PtlBankersState  *state,
                const PtlBankersSafety *safety)
{
  GString *out = g_string_new ("<");

  for (guint k = 0; k < safety->n_finished; k++)
    g_string_append_printf (out, "%s%s", k > 0 ? ", " : "", state->names[safety->order[k]]);
  g_string_append_c (out, '>');
  return g_string_free (out, FALSE);
}

static void
assert_vector (const gint64 *values,
               guint         m,
               const char   *expected)
{
  GString *out = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint r = 0; r < m; r++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, r > 0 ? "," : "", values[r]);
  text = g_string_free (out, FALSE);
  g_assert_cmpstr (text, ==, expected);
}

/* What the definition of a safe state demands of a trace: each process
 * in the order could finish with the work vector before it, work grows by
 * its allocation, and when the state is called unsafe no process left
 * could finish with the final work vector. */
static void
assert_trace_valid (const PtlBankersState  *state,
                    const PtlBankersSafety *safety)
{
  guint m = state->n_resources;
  gboolean finished[PTL_BANKERS_MAX_PROCESSES] = { FALSE };
  const gint64 *last = &safety->work[safety->n_finished * m];

  for (guint k = 0; k < safety->n_finished; k++)
    {
      guint p = safety->order[k];

      g_assert_false (finished[p]);
      finished[p] = TRUE;
      for (guint r = 0; r < m; r++)
        {
          g_assert_cmpint (ptl_bankers_state_get_need (state, p, r), <=, safety->work[k * m + r]);
          g_assert_cmpint (safety->work[(k + 1) * m + r], ==, safety->work[k * m + r] + state->allocation[p * m + r]);
        }
    }
  g_assert_cmpint (safety->safe, ==, safety->n_finished == state->n_processes);
  for (guint p = 0; p < state->n_processes; p++)
    if (!finished[p])
      {
        gboolean fits = TRUE;

        for (guint r = 0; r < m; r++)
          fits &= ptl_bankers_state_get_need (state, p, r) <= last[r];
        g_assert_false (fits);
      }
}

typedef struct
{
  const char *example;
  gboolean    safe;
  const char *order;
  const char *final_work;
} SafetyCase;

/* Published answers: Silberschatz prints <P1, P3, P4, P0, P2>; Tanenbaum
 * lets D run first, then A or E; for fig. 6-9 he gives B, C, A, and for
 * (b) only B can finish. The circular index-order scan picks E before A
 * (E comes right after D). */
static const SafetyCase safety_cases[] = {
  { "silberschatz", TRUE, "<P1, P3, P4, P0, P2>", "10,5,7" },
  { "tanenbaum", TRUE, "<D, E, A, B, C>", "6,3,4,2" },
  { "single", TRUE, "<B, C, A>", "10" },
  { "unsafe", FALSE, "<B>", "4" },
};

static void
test_examples_safety (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (safety_cases); i++)
    {
      const SafetyCase *c = &safety_cases[i];
      g_autoptr(PtlBankersState) state = ptl_bankers_state_new_example (c->example, NULL);
      g_autofree char *order = NULL;
      PtlBankersSafety safety;

      ptl_bankers_check_safety (state, &safety);
      order = describe_order (state, &safety);
      g_assert_cmpint (safety.safe, ==, c->safe);
      g_assert_cmpstr (order, ==, c->order);
      assert_vector (&safety.work[safety.n_finished * state->n_resources], state->n_resources, c->final_work);
      assert_trace_valid (state, &safety);
    }
}

static void
test_silberschatz_need (void)
{
  static const char * const needs[] = { "7,4,3", "1,2,2", "6,0,0", "0,1,1", "4,3,1" };
  g_autoptr(PtlBankersState) state = ptl_bankers_state_new_example ("silberschatz", NULL);

  for (guint p = 0; p < state->n_processes; p++)
    {
      gint64 need[PTL_BANKERS_MAX_RESOURCES];

      for (guint r = 0; r < state->n_resources; r++)
        need[r] = ptl_bankers_state_get_need (state, p, r);
      assert_vector (need, state->n_resources, needs[p]);
    }
}

typedef struct
{
  const char        *example;
  const char        *requests;
  PtlBankersOutcome  outcomes[4];
  const char        *available_after; /* once every request was tried */
  const char        *last_safe_order; /* of the last request that reached the check */
} RequestCase;

static const RequestCase request_cases[] = {
  /* Silberschatz §7.5.3.3: P1's (1,0,2) is granted, the state stays safe
   * with <P1, P3, P4, P0, P2>; then P4's (3,3,0) cannot be granted (not
   * available) and P0's (0,2,0) would leave it unsafe. */
  { "silberschatz", "P1:1,0,2; P4:3,3,0; P0:0,2,0",
    { PTL_BANKERS_GRANTED, PTL_BANKERS_EXCEEDS_AVAILABLE, PTL_BANKERS_UNSAFE },
    "2,3,0", "<>" },
  { "silberschatz", "P1:1,0,2",
    { PTL_BANKERS_GRANTED }, "2,3,0", "<P1, P3, P4, P0, P2>" },
  /* P1 needs (1,2,2): asking for 2 of A breaks its declared claim. */
  { "silberschatz", "P1:2,0,0", { PTL_BANKERS_EXCEEDS_NEED }, "3,3,2", NULL },
  /* Tanenbaum: B gets a printer; E's request for the last one is deferred. */
  { "tanenbaum", "B:0,0,1,0; E:0,0,1,0",
    { PTL_BANKERS_GRANTED, PTL_BANKERS_UNSAFE }, "1,0,1,0", "<>" },
  { "single", "A:1", { PTL_BANKERS_UNSAFE }, "3", "<B>" },
};

static void
test_requests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (request_cases); i++)
    {
      const RequestCase *c = &request_cases[i];
      g_autoptr(PtlBankersState) state = ptl_bankers_state_new_example (c->example, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) requests = ptl_bankers_parse_requests (state, c->requests, &error);
      g_autofree char *last_order = NULL;

      g_assert_no_error (error);
      for (guint k = 0; k < requests->len; k++)
        {
          g_autoptr(PtlBankersState) before = ptl_bankers_state_copy (state);
          PtlBankersSafety safety = { 0 };
          PtlBankersOutcome outcome;

          outcome = ptl_bankers_request (state, &g_array_index (requests, PtlBankersRequest, k), &safety);
          g_assert_cmpint (outcome, ==, c->outcomes[k]);
          /* A refused request leaves the state as it was. */
          g_assert_cmpint (ptl_bankers_state_equal (before, state), ==, outcome != PTL_BANKERS_GRANTED);
          if (outcome == PTL_BANKERS_GRANTED || outcome == PTL_BANKERS_UNSAFE)
            {
              g_clear_pointer (&last_order, g_free);
              last_order = describe_order (state, &safety);
            }
        }
      assert_vector (state->available, state->n_resources, c->available_after);
      g_assert_cmpstr (last_order, ==, c->last_safe_order);
    }
}

typedef struct
{
  const char *text;
  const char *message; /* NULL: accepted */
  guint       n_requests;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "", NULL, 0 },
  { " ; \n", NULL, 0 },
  { "P1:1,0,2; P4 : 3, 3, 0\nP0:0,2,0;", NULL, 3 },
  { "P9:1,0,2", "Requests, column 1: no process “P9”; the state has P0, P1, P2, P3, P4", 0 },
  { "P1 1,0,2", "Requests, column 1: expected a process name, “:” and one amount per resource, as in “P0:1,0,2”", 0 },
  { "P1:1,0", "Requests, column 7: expected 3 amounts, one per resource, found 2", 0 },
  { "P1:1,0,2,4", "Requests, column 10: expected 3 amounts, one per resource, found more", 0 },
  { "P1:1,x,2", "Requests, column 6: expected a whole number from 0 to 1000000000", 0 },
  { "P1:1,-1,2", "Requests, column 6: expected a whole number from 0 to 1000000000", 0 },
  { "P1:1,0,2; P2:1,0,1000000001", "Requests, column 18: expected a whole number from 0 to 1000000000", 0 },
  { "P1:1 0,2", "Requests, column 6: expected “,” between amounts", 0 },
};

static void
test_parse_requests (void)
{
  g_autoptr(PtlBankersState) state = ptl_bankers_state_new_example ("silberschatz", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) requests = ptl_bankers_parse_requests (state, c->text, &error);

      if (c->message == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (requests->len, ==, c->n_requests);
          continue;
        }
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_assert_null (requests);
      g_assert_cmpstr (error->message, ==, c->message);
    }
}

static void
test_csv_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlBankersState) expected = ptl_bankers_state_new_example ("silberschatz", NULL);
  g_autoptr(PtlBankersState) state = NULL;

  state = ptl_bankers_state_new_from_csv ("\xef\xbb\xbf# Silberschatz\r\n"
                                          "Available, 3, 3, 2\r\n"
                                          "\r\n"
                                          "P0,7,5,3,0,1,0\r\n"
                                          "P1,3,2,2,2,0,0\n"
                                          "  # a comment\n"
                                          "P2,9,0,2,3,0,2\n"
                                          "P3,2,2,2,2,1,1\n"
                                          "P4, 4,3,3, 0,0,2", -1, &error);
  g_assert_no_error (error);
  g_assert_true (ptl_bankers_state_equal (state, expected));
}

typedef struct
{
  const char *text;
  const char *message;
} BadFile;

static const BadFile bad_csv[] = {
  { "", "line 1, column 1: expected a line “available,…” with the available amount of each resource" },
  { "# nothing\n", "line 2, column 1: expected a line “available,…” with the available amount of each resource" },
  { "P0,1,1\n", "line 1, column 1: expected “available” and the available amount of each resource first, as in “available,3,3,2”" },
  { "available\n", "line 1, column 10: expected 1 to 16 resources after “available”, found 0" },
  { "available,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1\n", "line 1, column 43: expected 1 to 16 resources after “available”, found 17" },
  { "available,3,3,2\n", "line 2, column 1: expected at least one process line after “available”" },
  { "available,3,x,2\nP0,1,1,1,0,0,0\n", "line 1, column 13: expected a whole number from 0 to 1000000000, found “x”" },
  { "available,3,3,2\nP0,7,5,3,0,1\n", "line 2, column 13: expected 6 numbers after the name (the maximum claim of each of the 3 resources, then what it holds of each), found 5" },
  { "available,3,3,2\nP0,7,5,3,0,1,0,9\n", "line 2, column 16: expected 6 numbers after the name (the maximum claim of each of the 3 resources, then what it holds of each), found 7" },
  { "available,3,3,2\n\nP0,7,-5,3,0,1,0\n", "line 3, column 6: expected a whole number from 0 to 1000000000, found “-5”" },
  { "available,3,3,2\nP0,7,5,3,0,1,0\nP1,3,2,2,2,3,0\n", "line 3, column 12: P1 holds 3 of resource B but claims at most 2" },
  { "available,3,3,2\nP0,7,5,1000000001,0,1,0\n", "line 2, column 8: expected a whole number from 0 to 1000000000, found “1000000001”" },
  { "available,3,3,2\nP0,7,5,3,0,1,0\nP0,1,1,1,0,0,0\n", "line 3, column 1: process “P0” appears twice" },
  { "available,1\nP 0,1,0\n", "line 2, column 1: expected a process name: a name of 1 to 32 letters, digits, “_”, “-” or “.”, other than “available”" },
  { "available,1\navailable,1,0\n", "line 2, column 1: “available” may come only once, first; expected a process line: a name of 1 to 32 letters, digits, “_”, “-” or “.”, other than “available”" },
  { "available,1\n,1,0\n", "line 2, column 1: expected a process name: a name of 1 to 32 letters, digits, “_”, “-” or “.”, other than “available”" },
  { "available,1\nP0,1,\n", "line 2, column 6: expected a whole number from 0 to 1000000000, found “”" },
  { "available,1\nP1,1,0,x\n", "line 2, column 8: expected 2 numbers after the name (the maximum claim of each of the 1 resources, then what it holds of each), found 3" },
  { "available,1\nP\xff,1,0\n", "line 2: expected UTF-8 text without NUL bytes" },
};

static void
test_csv_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_csv); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlBankersState) state = ptl_bankers_state_new_from_csv (bad_csv[i].text, -1, &error);

      g_assert_null (state);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      g_assert_cmpstr (error->message, ==, bad_csv[i].message);
    }
}

static void
test_too_many_processes (void)
{
  g_autoptr(GString) text = g_string_new ("available,1\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlBankersState) state = NULL;

  for (guint i = 0; i <= PTL_BANKERS_MAX_PROCESSES; i++)
    g_string_append_printf (text, "P%u,1,0\n", i);
  state = ptl_bankers_state_new_from_csv (text->str, -1, &error);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_cmpstr (error->message, ==, "line 66, column 1: expected at most 64 processes");
}

static const BadFile bad_json[] = {
  { "[1]", "$: expected an object with “available” and “processes”" },
  { "{\"processes\": []}", "$.available: expected an array of numbers, one per resource" },
  { "{\"available\": []}", "$.available: expected 1 to 16 resources, found 0" },
  { "{\"available\": [1, -1]}", "$.available[1]: expected a whole number from 0 to 1000000000" },
  { "{\"available\": [1, 1.5]}", "$.available[1]: expected a whole number from 0 to 1000000000" },
  { "{\"available\": [1]}", "$.processes: expected an array of processes" },
  { "{\"available\": [1], \"processes\": []}", "$.processes: expected 1 to 64 processes, found 0" },
  { "{\"available\": [1], \"processes\": [3]}", "$.processes[0]: expected an object with name, max and allocation" },
  { "{\"available\": [1], \"processes\": [{\"max\": [1], \"allocation\": [0]}]}",
    "$.processes[0].name: expected a name of 1 to 32 letters, digits, “_”, “-” or “.”, other than “available”" },
  /* Found by fuzzing: a GLib critical, fatal here, before. */
  { "{\"available\": [1], \"processes\": [{\"name\": [\"P0\"], \"max\": [1], \"allocation\": [0]}]}",
    "$.processes[0].name: expected a name of 1 to 32 letters, digits, “_”, “-” or “.”, other than “available”" },
  { "{\"available\": [1], \"processes\": [{\"name\": 7, \"max\": [1], \"allocation\": [0]}]}",
    "$.processes[0].name: expected a name of 1 to 32 letters, digits, “_”, “-” or “.”, other than “available”" },
  { "{\"available\": [1], \"processes\": [{\"name\": \"P0\", \"max\": [1, 2], \"allocation\": [0]}]}",
    "$.processes[0].max: expected 1 numbers (one per resource, as in “available”), found 2" },
  { "{\"available\": [1], \"processes\": [{\"name\": \"P0\", \"max\": [1]}]}",
    "$.processes[0].allocation: expected an array of numbers, one per resource" },
  { "{\"available\": [1], \"processes\": [{\"name\": \"P0\", \"max\": [1], \"allocation\": [2]}]}",
    "$.processes[0].allocation[0]: P0 holds 2 of resource A but claims at most 1" },
  { "{\"available\": [1], \"processes\": [{\"name\": \"X\", \"max\": [1], \"allocation\": [0]},"
    " {\"name\": \"X\", \"max\": [1], \"allocation\": [0]}]}",
    "$.processes[1].name: process “X” appears twice" },
};

static void
test_json_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_json); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlBankersState) state = ptl_bankers_state_new_from_json (bad_json[i].text, -1, &error);

      g_assert_null (state);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      g_assert_cmpstr (error->message, ==, bad_json[i].message);
    }
}

static void
test_json_syntax (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlBankersState) state = NULL;

  /* json-glib names line and column of a syntax error. */
  state = ptl_bankers_state_new_from_json ("{\"available\": [1],\n \"processes\": [,]}", -1, &error);
  g_assert_null (state);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_true (g_str_has_prefix (error->message, "expected JSON: <data>:2:16: "));
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-bankers-XXXXXX", &error);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) ptl_bankers_state_free);
  static const char * const extensions[] = { "csv", "json", "CSV" };

  g_assert_no_error (error);
  for (const char * const *name = ptl_bankers_list_examples (); *name != NULL; name++)
    g_ptr_array_add (states, ptl_bankers_state_new_example (*name, NULL));
  g_ptr_array_add (states, ptl_bankers_state_generate (PTL_BANKERS_MAX_PROCESSES, PTL_BANKERS_MAX_RESOURCES, 7, NULL));

  for (guint i = 0; i < states->len; i++)
    for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
      {
        PtlBankersState *state = g_ptr_array_index (states, i);
        g_autofree char *file = g_strdup_printf ("state-%u.%s", i, extensions[e]);
        g_autofree char *path = g_build_filename (dir, file, NULL);
        g_autoptr(PtlBankersState) loaded = NULL;

        g_assert_true (ptl_bankers_state_save (state, path, &error));
        g_assert_no_error (error);
        loaded = ptl_bankers_state_load (path, &error);
        g_assert_no_error (error);
        g_assert_true (ptl_bankers_state_equal (state, loaded));
        g_assert_cmpint (g_unlink (path), ==, 0);
      }

  {
    g_autofree char *path = g_build_filename (dir, "state.txt", NULL);
    g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
    g_autoptr(PtlBankersState) loaded = NULL;

    g_assert_false (ptl_bankers_state_save (g_ptr_array_index (states, 0), path, &error));
    g_assert_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT);
    g_clear_error (&error);

    /* Loading names the file before the line. */
    g_assert_true (g_file_set_contents (bad, "available,1\nP0,1,2\n", -1, NULL));
    loaded = ptl_bankers_state_load (bad, &error);
    g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
    g_assert_true (g_str_has_suffix (error->message, "bad.csv: line 2, column 6: P0 holds 2 of resource A but claims at most 1"));
    g_clear_error (&error);
    g_assert_cmpint (g_unlink (bad), ==, 0);

    /* Only regular files. */
    loaded = ptl_bankers_state_load (dir, &error);
    g_assert_null (loaded);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_generate (void)
{
  guint outcomes[PTL_BANKERS_UNSAFE + 1] = { 0 };

  for (guint32 seed = 0; seed < 200; seed++)
    {
      guint n = 1 + seed % 8, m = 1 + seed % 5;
      g_autofree char *requests_text = NULL;
      g_autofree char *again_text = NULL;
      g_autoptr(PtlBankersState) state = ptl_bankers_state_generate (n, m, seed, &requests_text);
      g_autoptr(PtlBankersState) again = ptl_bankers_state_generate (n, m, seed, &again_text);
      g_autoptr(GArray) requests = NULL;
      g_autoptr(GError) error = NULL;
      PtlBankersSafety safety;

      g_assert_true (ptl_bankers_state_equal (state, again));
      g_assert_cmpstr (requests_text, ==, again_text);
      for (guint i = 0; i < n * m; i++)
        g_assert_cmpint (state->allocation[i], <=, state->maximum[i]);

      /* The banker made it, so it is safe. */
      ptl_bankers_check_safety (state, &safety);
      assert_trace_valid (state, &safety);
      g_assert_true (safety.safe);

      /* Generated requests stay within need, so none is an error. */
      requests = ptl_bankers_parse_requests (state, requests_text, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (requests->len, <=, MIN (n, 3));
      for (guint k = 0; k < requests->len; k++)
        {
          const PtlBankersRequest *request = &g_array_index (requests, PtlBankersRequest, k);
          g_autoptr(PtlBankersState) before = ptl_bankers_state_copy (state);
          PtlBankersOutcome outcome = ptl_bankers_request (state, request, &safety);

          g_assert_cmpint (outcome, !=, PTL_BANKERS_EXCEEDS_NEED);
          outcomes[outcome]++;
          if (outcome == PTL_BANKERS_GRANTED || outcome == PTL_BANKERS_UNSAFE)
            {
              /* The trace is of the tentative state. */
              g_autoptr(PtlBankersState) tentative = ptl_bankers_state_copy (before);

              for (guint r = 0; r < m; r++)
                {
                  tentative->available[r] -= request->amount[r];
                  tentative->allocation[request->process * m + r] += request->amount[r];
                }
              assert_trace_valid (tentative, &safety);
              g_assert_cmpint (safety.safe, ==, outcome == PTL_BANKERS_GRANTED);
            }
        }
    }
  /* The generator is meant to show every kind of wait. */
  g_assert_cmpuint (outcomes[PTL_BANKERS_GRANTED], >, 20);
  g_assert_cmpuint (outcomes[PTL_BANKERS_EXCEEDS_AVAILABLE], >, 20);
  g_assert_cmpuint (outcomes[PTL_BANKERS_UNSAFE], >, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/bankers/examples/safety", test_examples_safety);
  g_test_add_func ("/ptl/bankers/examples/need", test_silberschatz_need);
  g_test_add_func ("/ptl/bankers/requests", test_requests);
  g_test_add_func ("/ptl/bankers/requests/parse", test_parse_requests);
  g_test_add_func ("/ptl/bankers/csv/load", test_csv_load);
  g_test_add_func ("/ptl/bankers/csv/malformed", test_csv_malformed);
  g_test_add_func ("/ptl/bankers/csv/too-many-processes", test_too_many_processes);
  g_test_add_func ("/ptl/bankers/json/malformed", test_json_malformed);
  g_test_add_func ("/ptl/bankers/json/syntax", test_json_syntax);
  g_test_add_func ("/ptl/bankers/round-trip", test_round_trip);
  g_test_add_func ("/ptl/bankers/generate", test_generate);

  return g_test_run ();
}
