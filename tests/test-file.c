/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-core.h"
#include "ptl-bankers-state.h"
#include "ptl-sched-workload.h"

/* Reading and writing the files users name: the atomic writer, the
 * regular-file reader, the JSON depth check and the result JSON reader
 * and writer. Runs under G_DEBUG=fatal-warnings (tests/meson.build). */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ptlab-file-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (handle);
  while (g_dir_read_name (handle))
    n++;
  return n;
}

static void
remove_tmp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_rmdir (path) != 0)
        g_remove (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static mode_t
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return st.st_mode;
}

static void
test_replace_keeps_mode (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "private.csv", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_umask = umask (022);

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (ptl_file_replace_contents (path, "new", 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path) & 07777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new");

  /* A new file gets what the umask allows, as any program's would. */
  g_assert_true (ptl_file_replace_contents (fresh, "x", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (fresh) & 07777, ==, 0644);
  g_assert_cmpuint (count_entries (dir), ==, 2);

  umask (old_umask);
  remove_tmp_dir (dir);
}

static void
test_refuses_non_regular (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *fifo = g_build_filename (dir, "fifo.svg", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.svg", NULL);
  g_autofree char *link = g_build_filename (dir, "link.svg", NULL);
  const struct { const char *path; int code; mode_t kind; } cases[] = {
    { fifo, G_IO_ERROR_NOT_REGULAR_FILE, S_IFIFO },
    { folder, G_IO_ERROR_IS_DIRECTORY, S_IFDIR },
    { link, G_IO_ERROR_NOT_REGULAR_FILE, S_IFLNK },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (symlink ("elsewhere.svg", link), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ptl_file_check_replaceable (cases[i].path, &error));
      g_assert_error (error, G_IO_ERROR, cases[i].code);
      g_clear_error (&error);
      g_assert_false (ptl_file_replace_contents (cases[i].path, "x", 1, &error));
      g_assert_error (error, G_IO_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].path));
      /* Untouched, and no temporary beside it. */
      g_assert_cmpuint (file_mode (cases[i].path) & S_IFMT, ==, cases[i].kind);
      g_assert_cmpuint (count_entries (dir), ==, G_N_ELEMENTS (cases));
    }

  remove_tmp_dir (dir);
}

static void
test_long_names (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *fits_name = g_strnfill (250, 'a');
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autofree char *fits = g_build_filename (dir, fits_name, NULL);
  g_autofree char *too_long = g_build_filename (dir, long_name, NULL);
  g_autoptr(GError) error = NULL;

  /* A name that fits gets a temporary that fits too. */
  g_assert_true (ptl_file_replace_contents (fits, "x", 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_assert_false (ptl_file_check_replaceable (too_long, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  remove_tmp_dir (dir);
}

static void
test_uncommitted_leaves_nothing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "kept.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  PtlAtomicFile *file;

  g_assert_true (g_file_set_contents (path, "before", -1, NULL));
  file = ptl_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (ptl_atomic_file_write (file, "after", 5, &error));
  g_assert_cmpuint (count_entries (dir), ==, 2);
  ptl_atomic_file_free (file);

  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "before");
  remove_tmp_dir (dir);
}

static void
test_read_regular (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *fifo = g_build_filename (dir, "workload.csv", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  /* A FIFO with no writer: opening it for reading would wait forever. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (ptl_file_read_regular (fifo, &contents, &len, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);

  g_assert_false (ptl_file_read_regular (missing, &contents, &len, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (plain, "a\0b", 3, NULL));
  g_assert_true (ptl_file_read_regular (plain, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 3);
  g_assert_cmpmem (contents, len, "a\0b", 3);
  g_assert_cmpint (contents[len], ==, '\0');

  g_remove (fifo);
  g_remove (plain);
  g_rmdir (dir);
}

static char *
nested (guint depth)
{
  g_autofree char *open = g_strnfill (depth, '[');
  g_autofree char *close = g_strnfill (depth, ']');

  return g_strconcat (open, close, NULL);
}

static void
test_json_depth (void)
{
  g_autofree char *deepest = nested (PTL_JSON_MAX_DEPTH);
  g_autofree char *too_deep = nested (PTL_JSON_MAX_DEPTH + 1);
  g_autofree char *in_string = g_strdup_printf ("{\"a\": \"%s \\\" %s\"}", too_deep, too_deep);
  g_autoptr(GError) error = NULL;

  g_assert_true (ptl_json_check_depth (deepest, strlen (deepest), &error));
  g_assert_no_error (error);
  g_assert_true (ptl_json_check_depth (in_string, strlen (in_string), &error));
  g_assert_no_error (error);
  g_assert_false (ptl_json_check_depth (too_deep, strlen (too_deep), &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "nested"));
}

/* Text after the top-level value: json-glib 1.6 leaks the value it
 * parsed when an object follows a number (`1{}`, found by fuzzing), so
 * the check refuses any such text first, naming where it starts. */
static void
test_json_trailing_text (void)
{
  static const struct { const char *json; const char *where; } refused[] = {
    { "1{}", "line 1, column 2" },
    { "{} {}", "line 1, column 4" },
    { "[1]\n  2", "line 2, column 3" },
    { "\"é\"x", "line 1, column 4" },
    { "{}\n/*", "line 2, column 1" },
    /* Comments: json-glib's scanner ended this one early, then leaked. */
    { "/*=*[[[/[]]", "line 1, column 1" },
    { "{}]", "line 1, column 3" },
  };
  static const char * const accepted[] = {
    "1", " {\"a\": [1, {}]} \n", "\xEF\xBB\xBF{}", "\"/* a string */\"", "-1.5e3\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ptl_json_check_depth (refused[i].json, strlen (refused[i].json), &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      if (strstr (error->message, refused[i].where) == NULL)
        g_error ("“%s”: “%s” lacks “%s”", refused[i].json, error->message, refused[i].where);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (ptl_json_check_depth (accepted[i], strlen (accepted[i]), &error));
      g_assert_no_error (error);
    }
}

/* Every JSON loader goes through the check. */
static void
test_loaders_refuse_trailing_text (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "trailing.json", NULL);
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(PtlBankersState) state = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "1{}", -1, NULL));

  result = ptl_result_load_json (path, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "column 2"));
  g_clear_error (&error);

  workload = ptl_sched_workload_load (path, &error);
  g_assert_null (workload);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "column 2"));
  g_clear_error (&error);

  state = ptl_bankers_state_load (path, &error);
  g_assert_null (state);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "column 2"));

  g_remove (path);
  g_rmdir (dir);
}

/* 100,000 levels overflowed json-glib's recursive parser (SIGSEGV); both
 * loaders go through the one depth check first. */
static void
test_loaders_refuse_deep_files (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *result_path = g_build_filename (dir, "result.json", NULL);
  g_autofree char *workload_path = g_build_filename (dir, "workload.json", NULL);
  g_autofree char *deep = nested (100000);
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (result_path, deep, -1, NULL));
  g_assert_true (g_file_set_contents (workload_path, deep, -1, NULL));

  result = ptl_result_load_json (result_path, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_assert_nonnull (strstr (error->message, result_path));
  g_clear_error (&error);

  workload = ptl_sched_workload_load (workload_path, &error);
  g_assert_null (workload);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "nested"));

  g_remove (result_path);
  g_remove (workload_path);
  g_rmdir (dir);
}

static void
test_result_bad_x_range (void)
{
  static const struct { const char *range; const char *message_part; } cases[] = {
    { "[\"a\", \"b\"]", "must be a number" },
    { "[1, {}]", "must be a number" },
    { "[1]", "not a pair of numbers" },
    { "[2, 1]", "start is after its end" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"experiment\": \"x\", \"charts\": [{\"id\": \"a\", "
                                               "\"kind\": \"line\", \"x_range\": %s}]}", cases[i].range);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(PtlResult) result = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      /* An error set twice is a GLib warning, fatal here. */
      result = ptl_result_new_from_json (json_parser_get_root (parser), &error);
      g_assert_null (result);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].message_part);
    }
}

/* Heap bytes in use, from malloc itself. */
static gsize
heap_in_use (void)
{
  return mallinfo2 ().uordblks;
}

/* The writer must give back everything it allocates. A leak of a few
 * hundred bytes per call (an array's extra reference in every string
 * list) grows the heap by megabytes over these calls; caches and
 * allocator slack stay far below the bound. */
static void
test_result_to_json_frees_all (void)
{
  g_autoptr(PtlResult) result = ptl_result_new ("sched", "Everything");
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *chart = ptl_result_add_chart (result, "gantt", PTL_CHART_TIMELINE, "Gantt");
  const char * const categories[] = { "one", "two", NULL };
  PtlChart *bars = ptl_result_add_chart (result, "bars", PTL_CHART_BAR, "Bars");
  gsize before;

  ptl_result_add_warning (result, "a warning");
  ptl_result_add_note (result, "a note");
  ptl_table_add_column (table, "name", NULL);
  ptl_table_add_column (table, "time", "s");
  ptl_table_set_text (table, ptl_table_add_row (table), 0, "P1");
  ptl_chart_add_slice (chart, ptl_chart_add_lane (chart, "CPU 0"), ptl_chart_add_key (chart, "P1", FALSE), 0, 1);
  ptl_chart_set_categories (bars, categories);
  ptl_series_add_point (ptl_chart_add_series (bars, "s"), 0, 1);

  for (guint i = 0; i < 50; i++)
    json_node_unref (ptl_result_to_json (result));
  before = heap_in_use ();
  for (guint i = 0; i < 5000; i++)
    json_node_unref (ptl_result_to_json (result));
  g_test_message ("heap grew by %" G_GSIZE_FORMAT " bytes over 5000 calls", heap_in_use () - before);
  g_assert_cmpuint (heap_in_use (), <, before + 64 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/file/replace-keeps-mode", test_replace_keeps_mode);
  g_test_add_func ("/ptl/file/refuses-non-regular", test_refuses_non_regular);
  g_test_add_func ("/ptl/file/long-names", test_long_names);
  g_test_add_func ("/ptl/file/uncommitted-leaves-nothing", test_uncommitted_leaves_nothing);
  g_test_add_func ("/ptl/file/read-regular", test_read_regular);
  g_test_add_func ("/ptl/json/depth", test_json_depth);
  g_test_add_func ("/ptl/json/loaders-refuse-deep-files", test_loaders_refuse_deep_files);
  g_test_add_func ("/ptl/json/trailing-text", test_json_trailing_text);
  g_test_add_func ("/ptl/json/loaders-refuse-trailing-text", test_loaders_refuse_trailing_text);
  g_test_add_func ("/ptl/result/bad-x-range", test_result_bad_x_range);
  g_test_add_func ("/ptl/result/to-json-frees-all", test_result_to_json_frees_all);

  return g_test_run ();
}
