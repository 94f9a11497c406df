/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ptl-core.h"

/* The strict JSON reader (ptl_json_parse) and the result loader built on
 * it: errors with line and column, exact numbers, packed point arrays, and
 * agreement with json-glib on every file of the fuzz corpus and on
 * mutations of them. Runs under G_DEBUG=fatal-warnings. */

static JsonNode *
parse (const char  *text,
       GError     **error)
{
  return ptl_json_parse (text, strlen (text), NULL, NULL, NULL, error);
}

static void
test_parse_errors (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "", "line 1, column 1: expected a value" },
    { "{\"a\": 1,\n \"b\" 2}", "line 2, column 6: expected “:”" },
    { "[1, 2", "line 1, column 6: expected “,” or “]”" },
    { "[1 2]", "line 1, column 4: expected “,” or “]”" },
    { "{\"a\": 1 \"b\": 2}", "line 1, column 9: expected “,” or “}”" },
    { "{1: 2}", "line 1, column 2: expected a member name" },
    { "[1,]", "line 1, column 4: expected a value" },
    { "[01]", "line 1, column 3: expected “,” or “]”" },
    { "[-]", "line 1, column 3: expected a digit" },
    { "[1.]", "line 1, column 4: expected a digit after" },
    { "[1e+]", "line 1, column 5: expected a digit in the exponent" },
    { "[tru]", "line 1, column 2: expected a value" },
    { "[nan]", "line 1, column 2: expected a value" },
    { "[\"ab", "line 1, column 2: a string is not closed" },
    { "[\"a\tb\"]", "line 1, column 4: a control character" },
    { "[\"\\x\"]", "line 1, column 3: unknown escape" },
    { "[\"\\u12\"]", "line 1, column 7: expected four hexadecimal digits" },
    { "[\"\\ud800\"]", "line 1, column 3: a UTF-16 surrogate" },
    { "[\"\\udc00\"]", "line 1, column 3: a UTF-16 surrogate" },
    { "[\"\\u0000\"]", "line 1, column 3: a string holds" },
    { "[\"\xff\"]", "line 1, column 3: a string is not UTF-8" },
    { "{} {}", "line 1, column 4: text after the end" },
    { "1{}", "line 1, column 2: text after the end" },
    { "[\"é\", x]", "line 1, column 7: expected a value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = parse (cases[i].json, &error);

      g_assert_null (node);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u (%s): “%s” does not start with “%s”", i, cases[i].json, error->message,
                 cases[i].message);
    }
}

static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static void
test_parse_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *deepest = nested (PTL_JSON_MAX_DEPTH);
  g_autofree char *too_deep = nested (PTL_JSON_MAX_DEPTH + 1);
  JsonObject *object;

  node = parse (" {\"s\": \"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"i\": -9223372036854775808,"
                " \"j\": 9223372036854775807, \"big\": 9223372036854775808, \"d\": 2.5e-3,"
                " \"t\": true, \"f\": false, \"n\": null, \"a\": [], \"o\": {}, \"s\": \"last\" } ",
                &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  /* The later of two members of one name wins, as in json-glib. */
  g_assert_cmpstr (json_object_get_string_member (object, "s"), ==, "last");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "i")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "i"), ==, G_MININT64);
  g_assert_cmpint (json_object_get_int_member (object, "j"), ==, G_MAXINT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "big")), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (object, "big"), ==, 9223372036854775808.0);
  g_assert_cmpfloat (json_object_get_double_member (object, "d"), ==, 2.5e-3);
  g_assert_true (json_object_get_boolean_member (object, "t"));
  g_assert_false (json_object_get_boolean_member (object, "f"));
  g_assert_true (json_object_get_null_member (object, "n"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "a")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "o")), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  node = parse ("[\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==,
                   "a\"\\/\b\f\n\r\té\xf0\x9f\x98\x80");
  g_clear_pointer (&node, json_node_unref);

  node = parse (deepest, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_assert_null (parse (too_deep, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "column 65"));
  g_assert_nonnull (strstr (error->message, "nested"));
}

static void
assert_same_double (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (text, &error);
  double theirs = g_ascii_strtod (text, NULL);
  double ours;

  g_assert_no_error (error);
  ours = json_node_get_double (node);
  /* Integers are int64 nodes, where -0 is 0. */
  if (json_node_get_value_type (node) == G_TYPE_INT64 ? ours != theirs
                                                      : memcmp (&ours, &theirs, sizeof ours) != 0)
    g_error ("%s: read %.17g, strtod %.17g", text, ours, theirs);
}

/* Every number reads as the nearest double, whichever path it takes: the
 * fast ones must agree with strtod bit for bit. */
static void
test_numbers_exact (void)
{
  static const char *edges[] = {
    "0", "-0", "0.0", "-0.0", "1", "1.5", "9007199254740992", "9007199254740993",
    "9007199254740993.0", "18446744073709551615", "18446744073709551616", "1e23", "8.5e-23",
    "0.1", "0.3", "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "1e-400",
    "1.7976931348623157e308", "1e400", "-1e400", "123456789012345678901234567890",
    "0.000000000000000000000000000001", "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124", "7.3177701707893310e+15",
    "89255.0e-22", "4.35679265e-6", "3.14159265358979323846", "1e-5", "12345.6789e10",
  };
  GRand *rand = g_rand_new_with_seed (2026);
  char buffer[64];

  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    assert_same_double (edges[i]);

  for (guint i = 0; i < 200000; i++)
    {
      union { guint64 bits; double value; } random;

      random.bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      if (!isfinite (random.value))
        continue;
      /* Also values of ordinary size, as measurements are. */
      if (i % 2)
        random.value = ldexp (random.value, -ilogb (random.value) + g_rand_int_range (rand, -40, 40));
      switch (i % 5)
        {
        case 0: g_snprintf (buffer, sizeof buffer, "%.17g", random.value); break;
        case 1: g_snprintf (buffer, sizeof buffer, "%.16g", random.value); break;
        case 2: g_snprintf (buffer, sizeof buffer, "%.15g", random.value); break;
        case 3: g_snprintf (buffer, sizeof buffer, "%.6g", random.value); break;
        default: g_snprintf (buffer, sizeof buffer, "%.19e", random.value); break;
        }
      assert_same_double (buffer);
      g_snprintf (buffer, sizeof buffer, "%d.%d", g_rand_int_range (rand, 0, 1000000),
                  g_rand_int_range (rand, 0, 1000000));
      assert_same_double (buffer);
    }
  g_rand_free (rand);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* Point arrays are kept aside only where the result keeps points, and only
 * when every element is a pair; anything else reads (and fails) as before. */
static void
test_packed (void)
{
  static const char *const members[] = { "points", "band", NULL };
  g_autofree char *dir = g_dir_make_tmp ("ptlab-json-XXXXXX", NULL);
  g_autoptr(GHashTable) packed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autofree char *mixed = NULL;
  const char *text =
    "{\"parameters\": {\"points\": [[1, 2]]}, \"series\": [{\"points\": [[1, 2], [null, 3.5]],"
    " \"band\": [[0, 1], [2, 3]], \"other\": [[1, 2]]}, {\"points\": [[1, 2], [3]]}]}";
  JsonArray *series;
  GArray *pairs;

  node = ptl_json_parse (text, strlen (text), "series", members, &packed, &error);
  g_assert_no_error (error);
  series = json_object_get_array_member (json_node_get_object (node), "series");
  g_assert_cmpuint (g_hash_table_size (packed), ==, 2);
  pairs = g_hash_table_lookup (packed, json_object_get_array_member (json_array_get_object_element (series, 0), "points"));
  g_assert_nonnull (pairs);
  g_assert_cmpuint (pairs->len, ==, 4);
  g_assert_cmpfloat (g_array_index (pairs, double, 0), ==, 1);
  g_assert_true (isnan (g_array_index (pairs, double, 2)));
  g_assert_cmpfloat (g_array_index (pairs, double, 3), ==, 3.5);
  g_assert_nonnull (g_hash_table_lookup (packed, json_object_get_array_member (json_array_get_object_element (series, 0), "band")));
  /* Elsewhere, and in an array with a non-pair, nodes as json-glib makes them. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (series, 0), "other")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_node_get_object (node), "parameters"), "points")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (series, 1), "points")), ==, 2);

  /* The loader's messages for a bad element after good pairs stay. */
  mixed = write_file (dir, "mixed.json",
                      "{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\", \"kind\": \"line\"}],\n"
                      " \"series\": [{\"chart\": \"a\", \"name\": \"s\", \"points\": [[1, 2], [2, 1e999]]}]}");
  result = ptl_result_load_json (mixed, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "finite"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (mixed, "{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\", \"kind\": \"line\"}],\n"
                                      " \"series\": [{\"chart\": \"a\", \"name\": \"s\", \"points\": [[1, 2], [2, 3] [4, 5]]}]}",
                                      -1, NULL));
  result = ptl_result_load_json (mixed, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "line 2, column 67: expected “,” or “]”"));
  g_assert_nonnull (strstr (error->message, mixed));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (mixed, " \n\t", -1, NULL));
  result = ptl_result_load_json (mixed, &error);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "is empty"));

  g_remove (mixed);
  g_rmdir (dir);
}

/* What json-glib and ptl_result_new_from_json () make of @data: the
 * result's JSON, or NULL where either refuses it. */
static char *
load_with_json_glib (const char *data,
                     gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!ptl_json_check_depth (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  result = ptl_result_new_from_json (json_parser_get_root (parser), &error);
  return result ? ptl_result_to_json_string (result) : NULL;
}

static void
compare_loaders (const char *path,
                 const char *data,
                 gsize       len,
                 gboolean    must_load)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *ours = NULL;

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  result = ptl_result_load_json (path, &error);
  g_assert_true ((result == NULL) == (error != NULL));
  if (must_load)
    g_assert_no_error (error);
  if (result == NULL)
    return;
  /* Stricter than json-glib is allowed; more lenient, or different, not. */
  theirs = load_with_json_glib (data, len);
  ours = ptl_result_to_json_string (result);
  if (theirs == NULL)
    g_error ("json-glib refuses what the reader took: %.*s", (int) MIN (len, 400), data);
  g_assert_cmpstr (ours, ==, theirs);
}

static void
compare_directory (const char *dir,
                   const char *tmp_path,
                   GRand      *rand,
                   guint      *n_files)
{
  static const char noise[] = "[]{},:\"0-e.5 \nnul\\";
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      compare_loaders (tmp_path, data, len, g_str_has_suffix (name, ".json"));
      (*n_files)++;

      for (guint i = 0; i < 100 && len > 0; i++)
        {
          g_autofree char *mutant = g_memdup2 (data, len + 1);
          gsize at = g_rand_int_range (rand, 0, len);
          gsize mutant_len = len;

          switch (i % 3)
            {
            case 0:
              mutant[at] = noise[g_rand_int_range (rand, 0, sizeof noise - 1)];
              break;
            case 1:
              memmove (mutant + at, mutant + at + 1, len - at);
              mutant_len--;
              break;
            default:
              mutant_len = at;
              break;
            }
          compare_loaders (tmp_path, mutant, mutant_len, FALSE);
        }
    }
}

/* The fuzz corpus of the result loader and the lab's own result files,
 * each as it is and mutated 100 ways: what the reader loads, json-glib
 * loads the same. */
static void
test_result_matches_json_glib (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ptlab-json-XXXXXX", NULL);
  g_autofree char *tmp_path = g_build_filename (dir, "input.json", NULL);
  g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "result-json", NULL);
  g_autofree char *results = g_test_build_filename (G_TEST_DIST, "data", "results", NULL);
  GRand *rand = g_rand_new_with_seed (12);
  guint n_files = 0;

  compare_directory (corpus, tmp_path, rand, &n_files);
  compare_directory (results, tmp_path, rand, &n_files);
  g_assert_cmpuint (n_files, >=, 10);
  g_rand_free (rand);
  g_remove (tmp_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/json/parse-errors", test_parse_errors);
  g_test_add_func ("/ptl/json/parse-values", test_parse_values);
  g_test_add_func ("/ptl/json/numbers-exact", test_numbers_exact);
  g_test_add_func ("/ptl/json/packed", test_packed);
  g_test_add_func ("/ptl/json/result-matches-json-glib", test_result_matches_json_glib);

  return g_test_run ();
}
