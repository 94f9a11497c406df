/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sched-workload"

#include "config.h"

#include <glib/gstdio.h>

#include "ptl-sched-sim.h"
#include "ptl-sched-workload.h"

static PtlSchedWorkload *
load_csv (const char *text)
{
  g_autoptr(GError) error = NULL;
  PtlSchedWorkload *workload = ptl_sched_workload_new_from_csv (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (workload);
  return workload;
}

static void
assert_process (PtlSchedWorkload *workload,
                guint             index,
                const char       *name,
                gint64            arrival,
                int               priority,
                const char       *bursts)
{
  GString *text = g_string_new (NULL);
  guint n_bursts;
  const gint64 *values = ptl_sched_workload_get_bursts (workload, index, &n_bursts);
  g_autofree char *joined = NULL;

  for (guint i = 0; i < n_bursts; i++)
    g_string_append_printf (text, i > 0 ? ";%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, values[i]);
  joined = g_string_free (text, FALSE);

  g_assert_cmpstr (ptl_sched_workload_get_name (workload, index), ==, name);
  g_assert_cmpint (ptl_sched_workload_get_arrival (workload, index), ==, arrival);
  g_assert_cmpint (ptl_sched_workload_get_priority (workload, index), ==, priority);
  g_assert_cmpstr (joined, ==, bursts);
}

static void
assert_same (PtlSchedWorkload *a,
             PtlSchedWorkload *b)
{
  g_autofree char *csv_a = ptl_sched_workload_to_csv (a);
  g_autofree char *csv_b = ptl_sched_workload_to_csv (b);

  g_assert_cmpuint (ptl_sched_workload_get_n_processes (a), ==, ptl_sched_workload_get_n_processes (b));
  g_assert_cmpstr (csv_a, ==, csv_b);
}

static void
test_csv_simple (void)
{
  g_autoptr(PtlSchedWorkload) workload = load_csv ("name,arrival,burst,priority\n"
                                                   "P1,0,10,3\n"
                                                   "P2,2,1,-1\n");
  g_autoptr(PtlSchedWorkload) no_priority = load_csv ("name,arrival,burst\nP1,0,24\nP2,0,3");
  g_autoptr(PtlSchedWorkload) header_only = load_csv ("name,arrival,burst\n");

  g_assert_cmpuint (ptl_sched_workload_get_n_processes (workload), ==, 2);
  assert_process (workload, 0, "P1", 0, 3, "10");
  assert_process (workload, 1, "P2", 2, -1, "1");
  /* No priority column: 0; no final line break: fine. */
  assert_process (no_priority, 1, "P2", 0, 0, "3");
  g_assert_cmpuint (ptl_sched_workload_get_n_processes (header_only), ==, 0);
  g_assert_cmpuint (ptl_sched_workload_get_n_bursts (workload), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&workload));
}

static void
test_csv_lenient (void)
{
  /* BOM, CRLF, any column order and case, blanks around fields, comments,
   * blank lines, quoted names with commas and quotes, a quoted number. */
  g_autoptr(PtlSchedWorkload) workload =
    load_csv ("\xef\xbb\xbf" "Burst , NAME,Arrival\r\n"
              "# a comment line\r\n"
              "\r\n"
              "  5 , \"P, \"\"one\"\"\" ,  7\r\n"
              "   \r\n"
              "\"3\", \" spaced \",0\r\n"
              "  # indented comment\n"
              "4,\"#hash\",\"1\n\"\n");

  g_assert_cmpuint (ptl_sched_workload_get_n_processes (workload), ==, 3);
  assert_process (workload, 0, "P, \"one\"", 7, 0, "5");
  assert_process (workload, 1, " spaced ", 0, 0, "3");
  assert_process (workload, 2, "#hash", 1, 0, "4");
}

static void
test_csv_bursts (void)
{
  g_autoptr(PtlSchedWorkload) workload = load_csv ("name,arrival,priority,bursts\n"
                                                   "A,0,2,5;3;4\n"
                                                   "B,1,,2\n"
                                                   "C,4,1, 6 ; 10 ; 1 ; 2 ; 3 \n");

  assert_process (workload, 0, "A", 0, 2, "5;3;4");
  assert_process (workload, 1, "B", 1, 0, "2");
  assert_process (workload, 2, "C", 4, 1, "6;10;1;2;3");
  g_assert_cmpuint (ptl_sched_workload_get_n_bursts (workload), ==, 9);
}

static void
test_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlSchedWorkload) workload =
    ptl_sched_workload_new_from_json ("{\"title\": \"ignored\", \"processes\": ["
                                      "{\"name\": \"A\", \"arrival\": 0, \"priority\": 2, \"bursts\": [5, 3, 4]},"
                                      "{\"name\": \"B\", \"arrival\": 1, \"burst\": 2},"
                                      "{\"name\": \"C\", \"arrival\": 4.0, \"bursts\": [6.0]}]}",
                                      -1, &error);
  g_autoptr(PtlSchedWorkload) empty =
    ptl_sched_workload_new_from_json ("{\"processes\": []}", -1, &error);

  g_assert_no_error (error);
  assert_process (workload, 0, "A", 0, 2, "5;3;4");
  assert_process (workload, 1, "B", 1, 0, "2");
  assert_process (workload, 2, "C", 4, 0, "6");
  g_assert_cmpuint (ptl_sched_workload_get_n_processes (empty), ==, 0);
}

typedef struct
{
  const char *input;
  const char *expected[3]; /* substrings of the message */
} BadInput;

static const BadInput bad_csv[] = {
  { "", { "line 1", "header" } },
  { "# only a comment\n\n  \n", { "line 1", "empty file" } },
  { "name,arrival\nP1,0\n", { "line 1", "burst" } },
  { "name,arrival,burst,bursts\n", { "line 1", "exactly one" } },
  { "name,arrival,burst,color\n", { "line 1, column 4", "“color”", "name, arrival, burst, bursts, priority" } },
  { "P1,0,5\n", { "line 1, column 1", "“P1”" } },
  { "name,arrival,burst,Name\n", { "line 1, column 4", "twice" } },
  { "name,arrival,burst\nP1,x,5\n", { "line 2, column 2 (arrival)", "“x”", "from 0" } },
  { "name,arrival,burst\nP1,-1,5\n", { "line 2, column 2 (arrival)", "“-1”" } },
  { "name,arrival,burst\nP1,0,0\n", { "line 2, column 3 (burst)", "from 1" } },
  { "name,arrival,burst\nP1,0,2.5\n", { "line 2, column 3 (burst)", "whole number" } },
  { "name,arrival,burst\nP1,0,99999999999\n", { "line 2, column 3 (burst)", "1000000000" } },
  { "name,arrival,burst\nP1,0,\n", { "line 2, column 3 (burst)", "“”" } },
  { "name,arrival,burst,priority\nP1,0,5,high\n", { "line 2, column 4 (priority)", "“high”" } },
  { "name,arrival,burst,priority\nP1,0,5,5000\n", { "line 2, column 4 (priority)", "-1000 to 1000" } },
  { "name,arrival,burst\n,0,5\n", { "line 2, column 1 (name)", "non-empty" } },
  { "name,arrival,burst\n\"a\tb\",0,5\n", { "line 2, column 1 (name)", "control" } },
  { "name,arrival,burst\nP1,0,5,7\n", { "line 2", "expected 3 fields", "found 4" } },
  { "name,arrival,burst\nP1,0\n", { "line 2", "found 2" } },
  { "name,arrival,bursts\nP1,0,5;3\n", { "line 2, column 3 (bursts)", "odd number", "found 2" } },
  { "name,arrival,bursts\nP1,0,5;;4\n", { "line 2, column 3 (bursts)", "burst 2 (I/O)" } },
  { "name,arrival,bursts\nP1,0,5;3;x\n", { "burst 3 (CPU)", "“x”" } },
  { "name,arrival,bursts\nP1,0,\n", { "line 2, column 3 (bursts)", "found nothing" } },
  { "name,arrival,burst\n\"P1,0,5\n", { "line 2, column 1", "closing quote" } },
  { "name,arrival,burst\n\"P1\"x,0,5\n", { "line 2, column 1", "after a closing quote" } },
  { "name,arrival,burst\nP\"1,0,5\n", { "line 2, column 1", "no quote inside" } },
  { "name,arrival,burst\n\n# note\n\nP1,0,z\n", { "line 5, column 3 (burst)" } },
  /* Line numbers go on counting inside a quoted field. */
  { "name,arrival,burst,priority\nA,0,5,\"1\n\"\nB,0,x,1\n", { "line 4, column 3 (burst)" } },
  { "name,arrival,burst\r\nP1,0,1\r\nP2,0,-\r\n", { "line 3, column 3 (burst)" } },
  { "name,arrival,burst\nP\xff,0,5\n", { "line 2", "UTF-8" } },
};

static const BadInput bad_json[] = {
  { "", { "$", "expected an object" } },
  { "   ", { "$", "expected an object" } },
  { "[1, 2]", { "$", "expected an object" } },
  { "{\"processes\": [", { "expected JSON" } },
  { "{}", { "$.processes", "expected an array" } },
  { "{\"processes\": {}}", { "$.processes", "expected an array" } },
  { "{\"processes\": [1]}", { "$.processes[0]", "expected an object" } },
  { "{\"processes\": [{\"arrival\": 0, \"burst\": 1}]}", { "$.processes[0]", "“name”" } },
  { "{\"processes\": [{\"name\": 5, \"arrival\": 0, \"burst\": 1}]}", { "$.processes[0]", "“name”" } },
  { "{\"processes\": [{\"name\": \"\", \"arrival\": 0, \"burst\": 1}]}", { "$.processes[0]", "non-empty" } },
  { "{\"processes\": [{\"name\": \"P\", \"burst\": 1}]}", { "$.processes[0]", "arrival" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": \"0\", \"burst\": 1}]}", { "arrival", "whole number" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": -1, \"burst\": 1}]}", { "arrival", "from 0" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 1.5, \"burst\": 1}]}", { "arrival" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 1e300, \"burst\": 1}]}", { "arrival" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"burst\": 1, \"color\": 1}]}",
    { "$.processes[0]", "“color”", "name, arrival, priority, burst, bursts" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"burst\": 1, \"bursts\": [1]}]}", { "exactly one" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0}]}", { "exactly one" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"burst\": 0}]}", { "burst", "from 1" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"bursts\": 5}]}", { "bursts", "array" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"bursts\": []}]}", { "bursts", "at least one" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"bursts\": [5, 3]}]}", { "bursts", "odd number" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"bursts\": [5, \"x\", 4]}]}", { "$.processes[0].bursts[1]" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"bursts\": [5, null, 4]}]}", { "$.processes[0].bursts[1]" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"burst\": 1, \"priority\": 2000}]}", { "priority", "-1000 to 1000" } },
  { "{\"processes\": [{\"name\": \"P\", \"arrival\": 0, \"burst\": 1},"
    " {\"name\": \"Q\", \"arrival\": 0, \"burst\": true}]}", { "$.processes[1]", "burst" } },
  { "{\"processes\": [{\"name\": \"P\xc3\", \"arrival\": 0, \"burst\": 1}]}", { "line 1", "UTF-8" } },
  /* Lone surrogates: json-glib refuses some, decodes others to non-UTF-8. */
  { "{\"processes\": [{\"name\": \"P\\ud800\", \"arrival\": 0, \"burst\": 1}]}", { "expected JSON" } },
  { "{\"processes\": [{\"name\": \"x\\ud800y\", \"arrival\": 0, \"burst\": 1}]}", { "$.processes[0]", "name", "UTF-8" } },
  { "{\"processes\": [{\"name\": \"P\\u0007\", \"arrival\": 0, \"burst\": 1}]}", { "$.processes[0]", "control" } },
};

static void
check_bad (const BadInput *bad,
           gsize           n_bad,
           gboolean        json)
{
  for (gsize i = 0; i < n_bad; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlSchedWorkload) workload = NULL;
      g_autofree char *escaped = g_strescape (bad[i].input, NULL);

      g_test_message ("input: %s", escaped);
      workload = json
        ? ptl_sched_workload_new_from_json (bad[i].input, -1, &error)
        : ptl_sched_workload_new_from_csv (bad[i].input, -1, &error);
      g_assert_null (workload);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_test_message ("error: %s", error->message);
      for (guint j = 0; j < G_N_ELEMENTS (bad[i].expected) && bad[i].expected[j] != NULL; j++)
        if (strstr (error->message, bad[i].expected[j]) == NULL)
          g_error ("“%s” lacks “%s”", error->message, bad[i].expected[j]);
    }
}

static void
test_csv_malformed (void)
{
  g_autoptr(GError) error = NULL;
  /* A NUL byte inside the given length. */
  static const char with_nul[] = "name,arrival,burst\nP1\0,0,5\n";

  check_bad (bad_csv, G_N_ELEMENTS (bad_csv), FALSE);

  g_assert_null (ptl_sched_workload_new_from_csv (with_nul, sizeof with_nul - 1, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  g_assert_null (ptl_sched_workload_new_from_csv (NULL, 0, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
}

static void
test_json_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = NULL;
  GString *long_name = g_string_new ("name,arrival,burst\n");

  check_bad (bad_json, G_N_ELEMENTS (bad_json), TRUE);

  /* json-glib recurses per level: deep nesting must be refused before it
   * reaches the parser, not overflow the stack. */
  deep = g_strnfill (1000000, '[');
  g_assert_null (ptl_sched_workload_new_from_json (deep, -1, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  /* Long garbage is quoted back in short. */
  for (guint i = 0; i < 1000; i++)
    g_string_append (long_name, "x");
  g_string_append (long_name, ",0,5\nP2,zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz,1\n");
  g_assert_null (ptl_sched_workload_new_from_csv (long_name->str, long_name->len, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_assert_nonnull (strstr (error->message, "…”"));
  g_string_free (long_name, TRUE);
}

/* Whatever the bytes, a loader returns a valid workload or an
 * PTL_ERROR_INVALID_FILE, and a workload it returns survives a round trip. */
static void
check_survives (const char *data,
                gsize       len)
{
  for (guint json = 0; json < 2; json++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlSchedWorkload) workload = json
        ? ptl_sched_workload_new_from_json (data, len, &error)
        : ptl_sched_workload_new_from_csv (data, len, &error);

      if (workload == NULL)
        {
          g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
      else
        {
          g_autofree char *csv = ptl_sched_workload_to_csv (workload);
          g_autoptr(PtlSchedWorkload) again = ptl_sched_workload_new_from_csv (csv, -1, &error);

          g_assert_no_error (error);
          assert_same (workload, again);
        }
    }
}

static void
test_fuzz (void)
{
  static const char alphabet[] = ",;\"\n\r# \t{}[]:0123456789-.eabnP\xff\xc3\\";
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  const char *valid[2];

  {
    g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_generate ("mixed", 6, 3, NULL);

    csv = ptl_sched_workload_to_csv (workload);
    json = ptl_sched_workload_to_json (workload);
  }
  valid[0] = csv;
  valid[1] = json;

  /* Every truncation of valid files. */
  for (guint v = 0; v < G_N_ELEMENTS (valid); v++)
    for (gsize len = 0; len <= strlen (valid[v]); len++)
      check_survives (valid[v], len);

  /* Random mutations of valid files. */
  for (guint round = 0; round < 3000; round++)
    {
      const char *source = valid[round % 2];
      g_autofree char *copy = g_strdup (source);
      gsize len = strlen (copy);
      guint n_changes = g_rand_int_range (rand, 1, 5);

      for (guint c = 0; c < n_changes; c++)
        copy[g_rand_int_range (rand, 0, len)] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      check_survives (copy, len);
    }

  /* Random bytes, some from the format's own alphabet. */
  for (guint round = 0; round < 3000; round++)
    {
      guint len = g_rand_int_range (rand, 0, 200);
      g_autofree char *bytes = g_malloc (len + 1);

      for (guint i = 0; i < len; i++)
        bytes[i] = round % 2 ? (char) g_rand_int_range (rand, 0, 256)
                             : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      bytes[len] = '\0';
      check_survives (bytes, len);
    }
}

static void
test_round_trip (void)
{
  g_autoptr(PtlSchedWorkload) simple = ptl_sched_workload_new ();
  g_autoptr(PtlSchedWorkload) multi = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const names[] = { "plain", "with, comma", "with \"quotes\"", " spaced ", "#hash", "ünïcødé" };
  gint64 burst = 1;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      burst += i * 7;
      ptl_sched_workload_add_process (simple, names[i], i * 3, (int) i - 2, &burst, 1);
    }
  multi = ptl_sched_workload_copy (simple);
  {
    const gint64 bursts[] = { 4, 1, 2, PTL_SCHED_TIME_MAX, 9 };

    ptl_sched_workload_add_process (multi, "io", PTL_SCHED_TIME_MAX, PTL_SCHED_PRIORITY_MIN,
                                    bursts, G_N_ELEMENTS (bursts));
  }

  for (guint w = 0; w < 2; w++)
    {
      PtlSchedWorkload *workload = w == 0 ? simple : multi;
      g_autofree char *csv = ptl_sched_workload_to_csv (workload);
      g_autofree char *json = ptl_sched_workload_to_json (workload);
      g_autoptr(PtlSchedWorkload) from_csv = ptl_sched_workload_new_from_csv (csv, -1, &error);
      g_autoptr(PtlSchedWorkload) from_json = NULL;

      g_assert_no_error (error);
      from_json = ptl_sched_workload_new_from_json (json, -1, &error);
      g_assert_no_error (error);
      assert_same (workload, from_csv);
      assert_same (workload, from_json);
      /* The simple form when it can, so files stay textbook-shaped. */
      g_assert_true (g_str_has_prefix (csv, w == 0 ? "name,arrival,burst,priority\n"
                                                   : "name,arrival,priority,bursts\n"));
    }
  assert_process (multi, 6, "io", PTL_SCHED_TIME_MAX, PTL_SCHED_PRIORITY_MIN, "4;1;2;1000000000;9");
  assert_process (multi, 1, "with, comma", 3, -1, "8");
}

static void
test_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ptl-sched-XXXXXX", &error);
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_generate ("io-bound", 20, 9, NULL);
  static const char * const names[] = { "w.csv", "w.json", "W.JSON", "w.txt" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(PtlSchedWorkload) loaded = NULL;

      if (g_str_has_suffix (names[i], ".txt"))
        {
          g_autofree char *json = ptl_sched_workload_to_json (workload);
          g_autofree char *csv = ptl_sched_workload_to_csv (workload);

          g_assert_false (ptl_sched_workload_save (workload, path, &error));
          g_assert_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT);
          g_clear_error (&error);
          g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

          /* Without a known extension the content decides. */
          g_assert_true (g_file_set_contents (path, json, -1, NULL));
          loaded = ptl_sched_workload_load (path, &error);
          g_assert_no_error (error);
          assert_same (workload, loaded);
          g_clear_object (&loaded);
          g_assert_true (g_file_set_contents (path, csv, -1, NULL));
          loaded = ptl_sched_workload_load (path, &error);
          g_assert_no_error (error);
          assert_same (workload, loaded);
        }
      else
        {
          g_assert_true (ptl_sched_workload_save (workload, path, &error));
          g_assert_no_error (error);
          loaded = ptl_sched_workload_load (path, &error);
          g_assert_no_error (error);
          assert_same (workload, loaded);
        }
      g_assert_cmpint (g_remove (path), ==, 0);
    }

  {
    g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);

    g_assert_null (ptl_sched_workload_load (missing, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_clear_error (&error);
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* Saving into a folder that does not exist fails cleanly. */
  {
    g_autofree char *bad = g_build_filename (dir, "gone", "w.csv", NULL);

    g_assert_false (ptl_sched_workload_save_csv (workload, bad, &error));
    g_assert_nonnull (error);
  }
}

static void
test_data_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sjf_path = g_test_build_filename (G_TEST_DIST, "data", "sched", "silberschatz-sjf.csv", NULL);
  g_autofree char *priority_path = g_test_build_filename (G_TEST_DIST, "data", "sched", "silberschatz-priority.csv", NULL);
  g_autofree char *mix_csv_path = g_test_build_filename (G_TEST_DIST, "data", "sched", "io-mix.csv", NULL);
  g_autofree char *mix_json_path = g_test_build_filename (G_TEST_DIST, "data", "sched", "io-mix.json", NULL);
  g_autofree char *bad_csv_path = g_test_build_filename (G_TEST_DIST, "data", "sched", "bad-arrival.csv", NULL);
  g_autofree char *bad_json_path = g_test_build_filename (G_TEST_DIST, "data", "sched", "bad-bursts.json", NULL);
  g_autoptr(PtlSchedWorkload) sjf = ptl_sched_workload_load (sjf_path, &error);
  g_autoptr(PtlSchedWorkload) priority = NULL;
  g_autoptr(PtlSchedWorkload) mix_csv = NULL;
  g_autoptr(PtlSchedWorkload) mix_json = NULL;
  g_autoptr(PtlSchedOutcome) outcome = NULL;
  PtlSchedConfig config;

  g_assert_no_error (error);
  priority = ptl_sched_workload_load (priority_path, &error);
  g_assert_no_error (error);
  mix_csv = ptl_sched_workload_load (mix_csv_path, &error);
  g_assert_no_error (error);
  mix_json = ptl_sched_workload_load (mix_json_path, &error);
  g_assert_no_error (error);

  /* The textbook averages, from the files as printed in the book. */
  ptl_sched_config_init (&config, PTL_SCHED_SJF);
  outcome = ptl_sched_simulate (sjf, &config, NULL);
  g_assert_cmpfloat_with_epsilon (outcome->totals.avg_waiting, 7.0, 1e-12);
  g_clear_pointer (&outcome, ptl_sched_outcome_free);
  ptl_sched_config_init (&config, PTL_SCHED_PRIORITY);
  outcome = ptl_sched_simulate (priority, &config, NULL);
  g_assert_cmpfloat_with_epsilon (outcome->totals.avg_waiting, 8.2, 1e-12);

  assert_same (mix_csv, mix_json);
  assert_process (mix_csv, 0, "editor, main", 0, 1, "2;10;2;10;2");
  assert_process (mix_csv, 2, "backup", 3, 7, "10;50;10");

  g_assert_null (ptl_sched_workload_load (bad_csv_path, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "bad-arrival.csv: line 3, column 2 (arrival)"));
  g_assert_nonnull (strstr (error->message, "“soon”"));
  g_clear_error (&error);
  g_assert_null (ptl_sched_workload_load (bad_json_path, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "bad-bursts.json: $.processes[1]: bursts"));
}

static void
test_generate (void)
{
  const char * const *kinds = ptl_sched_workload_list_kinds ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_strv_length ((char **) kinds), ==, 5);
  for (guint k = 0; kinds[k] != NULL; k++)
    {
      g_autoptr(PtlSchedWorkload) a = ptl_sched_workload_generate (kinds[k], 40, 11, &error);
      g_autoptr(PtlSchedWorkload) b = ptl_sched_workload_generate (kinds[k], 40, 11, &error);
      g_autoptr(PtlSchedWorkload) c = ptl_sched_workload_generate (kinds[k], 40, 12, &error);
      g_autoptr(PtlSchedWorkload) none = ptl_sched_workload_generate (kinds[k], 0, 11, &error);
      g_autofree char *csv_a = ptl_sched_workload_to_csv (a);
      g_autofree char *csv_c = ptl_sched_workload_to_csv (c);
      gint64 previous_arrival = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (ptl_sched_workload_get_n_processes (a), ==, 40);
      g_assert_cmpuint (ptl_sched_workload_get_n_processes (none), ==, 0);
      assert_same (a, b);
      g_assert_cmpstr (csv_a, !=, csv_c);

      for (guint i = 0; i < 40; i++)
        {
          g_autofree char *name = g_strdup_printf ("P%u", i + 1);
          guint n_bursts;
          const gint64 *bursts = ptl_sched_workload_get_bursts (a, i, &n_bursts);
          gint64 arrival = ptl_sched_workload_get_arrival (a, i);

          g_assert_cmpstr (ptl_sched_workload_get_name (a, i), ==, name);
          g_assert_cmpint (arrival, >=, previous_arrival);
          previous_arrival = arrival;
          g_assert_cmpuint (n_bursts % 2, ==, 1);

          if (g_str_equal (kinds[k], "cpu-bound"))
            g_assert_cmpint (bursts[0], >=, 20);
          else if (g_str_equal (kinds[k], "io-bound"))
            {
              g_assert_cmpint (bursts[0], <=, 5);
              g_assert_cmpuint (n_bursts, >=, 5);
              g_assert_cmpint (bursts[1], >=, 10);
            }
          else if (g_str_equal (kinds[k], "convoy"))
            {
              g_assert_cmpuint (n_bursts, ==, 1);
              if (i == 0)
                g_assert_cmpint (bursts[0], >=, 50);
              else
                g_assert_cmpint (bursts[0], <=, 5);
            }
          else if (g_str_equal (kinds[k], "many-short"))
            {
              g_assert_cmpuint (n_bursts, ==, 1);
              g_assert_cmpint (bursts[0], <=, 5);
            }
        }
    }

  g_assert_null (ptl_sched_workload_generate ("bursty", 10, 1, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "cpu-bound, io-bound, mixed, convoy, many-short"));
  g_clear_error (&error);
  g_assert_null (ptl_sched_workload_generate ("mixed", PTL_SCHED_GENERATE_MAX + 1, 1, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

/* The convoy effect the generator is named for: under FCFS the short jobs
 * wait behind the long one; RR and SJF let them through. */
static void
test_convoy_effect (void)
{
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_generate ("convoy", 10, 5, NULL);
  double avg[PTL_SCHED_N_ALGORITHMS];

  for (guint a = 0; a < PTL_SCHED_N_ALGORITHMS; a++)
    {
      g_autoptr(PtlSchedOutcome) outcome = NULL;
      PtlSchedConfig config;

      ptl_sched_config_init (&config, a);
      outcome = ptl_sched_simulate (workload, &config, NULL);
      avg[a] = outcome->totals.avg_waiting;
    }
  g_assert_cmpfloat (avg[PTL_SCHED_RR] * 2, <, avg[PTL_SCHED_FCFS]);
  g_assert_cmpfloat (avg[PTL_SCHED_SJF] * 4, <, avg[PTL_SCHED_FCFS]);
  g_assert_cmpfloat (avg[PTL_SCHED_MLFQ] * 2, <, avg[PTL_SCHED_FCFS]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/sched-workload/csv/simple", test_csv_simple);
  g_test_add_func ("/ptl/sched-workload/csv/lenient", test_csv_lenient);
  g_test_add_func ("/ptl/sched-workload/csv/bursts", test_csv_bursts);
  g_test_add_func ("/ptl/sched-workload/csv/malformed", test_csv_malformed);
  g_test_add_func ("/ptl/sched-workload/json/load", test_json);
  g_test_add_func ("/ptl/sched-workload/json/malformed", test_json_malformed);
  g_test_add_func ("/ptl/sched-workload/fuzz", test_fuzz);
  g_test_add_func ("/ptl/sched-workload/round-trip", test_round_trip);
  g_test_add_func ("/ptl/sched-workload/files", test_files);
  g_test_add_func ("/ptl/sched-workload/data-files", test_data_files);
  g_test_add_func ("/ptl/sched-workload/generate", test_generate);
  g_test_add_func ("/ptl/sched-workload/convoy-effect", test_convoy_effect);

  return g_test_run ();
}
