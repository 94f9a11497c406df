/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-core.h"
#include "ptl-registry.h"

/* The run history: what goes in comes back equal, refused files stay as
 * they were, and a save cut short leaves no trace. */

static char *data_home;

static char *
dup_db_path (const char *name)
{
  return g_build_filename (data_home, name, NULL);
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* Every kind of content a result holds, NaN and a band included. */
static PtlResult *
make_result (const char *experiment,
             guint       n_points)
{
  PtlResult *result = ptl_result_new (experiment, "A test result");
  g_autoptr(JsonObject) parameters = json_object_new ();
  g_autoptr(JsonObject) machine = json_object_new ();
  const char * const categories[] = { "fork", "thread", NULL };
  const double samples[] = { 1.5, NAN, -2.25e-9 };
  PtlChart *line, *bar, *gantt;
  PtlSeries *banded, *plain;
  PtlTable *table;
  guint lane, key, row;

  json_object_set_int_member (parameters, "tasks", 8);
  json_object_set_string_member (parameters, "workload", "cpu");
  json_object_set_double_member (parameters, "ratio", 0.1);
  ptl_result_set_parameters (result, parameters);
  json_object_set_string_member (machine, "cpu_model", "Test CPU");
  json_object_set_string_member (machine, "date", "2026-01-02T03:04:05Z");
  ptl_result_set_machine (result, machine);
  ptl_result_add_warning (result, "ran in a VM");
  ptl_result_add_note (result, "a note with “quotes”");

  line = ptl_result_add_chart (result, "latency", PTL_CHART_LINE, "Latency");
  ptl_chart_set_x_axis (line, "tasks", "", TRUE);
  ptl_chart_set_y_axis (line, "time", "s", FALSE);
  ptl_chart_set_x_range (line, 1, NAN);
  ptl_chart_add_reference (line, PTL_REFERENCE_DIAGONAL, 1, "ideal");
  banded = ptl_chart_add_series (line, "p50");
  ptl_series_set_band_label (banded, "p5–p95");
  plain = ptl_chart_add_series (line, "mean");
  for (guint i = 0; i < n_points; i++)
    {
      ptl_series_add_point_band (banded, i + 1, 1.0 / (i + 3), 0.5 / (i + 3), i == 2 ? NAN : 2.0 / (i + 3));
      ptl_series_add_point (plain, i + 1, i * 1e-7);
    }

  bar = ptl_result_add_chart (result, "cost", PTL_CHART_BAR, "Cost");
  ptl_chart_set_categories (bar, categories);
  ptl_series_add_point (ptl_chart_add_series (bar, "time"), 0, 3e-5);
  ptl_series_add_point (ptl_chart_get_series (bar, 0), 1, 1e-6);

  gantt = ptl_result_add_chart (result, "gantt", PTL_CHART_TIMELINE, "Gantt");
  lane = ptl_chart_add_lane (gantt, "CPU 0");
  key = ptl_chart_add_key (gantt, "P1", FALSE);
  ptl_chart_add_key (gantt, "idle", TRUE);
  ptl_chart_add_slice (gantt, lane, key, 0, 1.5);
  ptl_chart_add_slice (gantt, lane, 1, 1.5, 2);
  ptl_chart_add_marker (gantt, lane, 0.25);

  table = ptl_result_get_summary (result);
  ptl_table_add_column (table, "model", NULL);
  ptl_table_add_column (table, "time", "s");
  row = ptl_table_add_row (table);
  ptl_table_set_text (table, row, 0, "threads");
  ptl_table_set_number (table, row, 1, 0.0025);

  ptl_result_add_samples (result, "latency", "s", samples, G_N_ELEMENTS (samples));
  ptl_result_add_samples (result, "empty", "", NULL, 0);
  return result;
}

static void
test_round_trip (void)
{
  g_autofree char *path = ptl_store_dup_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (NULL, &error);
  g_autoptr(PtlResult) result = make_result ("models", 1000);
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *expected = NULL, *actual = NULL;
  PtlStoreEntry *entry;
  gint64 id;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, data_home));
  g_assert_cmpstr (ptl_store_get_path (store), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  id = ptl_store_save (store, result, "first", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  loaded = ptl_store_load (store, id, &error);
  g_assert_no_error (error);
  expected = ptl_result_to_json_string (result);
  actual = ptl_result_to_json_string (loaded);
  g_assert_cmpstr (actual, ==, expected);

  entries = ptl_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->id, ==, id);
  g_assert_cmpstr (entry->experiment, ==, "models");
  g_assert_cmpstr (entry->label, ==, "first");
  g_assert_cmpstr (entry->headline, ==, "time 2.50 ms");
  /* The machine's date, 2026-01-02T03:04:05Z. */
  g_assert_cmpint (entry->created, ==, 1767323045);

  g_assert_true (ptl_store_delete (store, id, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_db (path);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static void
test_label_delete_filter (void)
{
  g_autofree char *path = dup_db_path ("labels.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (path, &error);
  g_autoptr(PtlResult) a = make_result ("models", 10);
  g_autoptr(PtlResult) b = make_result ("pool", 10);
  g_autoptr(GPtrArray) all = NULL, pools = NULL, left = NULL;
  g_autoptr(PtlResult) gone = NULL;
  gint64 id_a, id_b;

  g_assert_no_error (error);
  id_a = ptl_store_save (store, a, NULL, 100, &error);
  g_assert_no_error (error);
  id_b = ptl_store_save (store, b, NULL, 200, &error);
  g_assert_no_error (error);

  all = ptl_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  /* Newest first. */
  g_assert_cmpint (((PtlStoreEntry *) g_ptr_array_index (all, 0))->id, ==, id_b);
  g_assert_cmpstr (((PtlStoreEntry *) g_ptr_array_index (all, 1))->label, ==, "");

  g_assert_true (ptl_store_set_label (store, id_b, "on the server", &error));
  g_assert_no_error (error);
  pools = ptl_store_list (store, "pool", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pools->len, ==, 1);
  g_assert_cmpstr (((PtlStoreEntry *) g_ptr_array_index (pools, 0))->label, ==, "on the server");

  g_assert_true (ptl_store_delete (store, id_a, &error));
  g_assert_no_error (error);
  left = ptl_store_list (store, NULL, &error);
  g_assert_cmpuint (left->len, ==, 1);
  /* Its numbers went with it. */
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM series_points WHERE run NOT IN (SELECT id FROM runs)"), ==, 0);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM timeline_slices WHERE run NOT IN (SELECT id FROM runs)"), ==, 0);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM samples WHERE run NOT IN (SELECT id FROM runs)"), ==, 0);

  gone = ptl_store_load (store, id_a, &error);
  g_assert_null (gone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ptl_store_delete (store, id_a, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ptl_store_set_label (store, id_a, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_db (path);
}

static void
exec_on (const char *path,
         const char *sql)
{
  sqlite3 *db;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static const char *
entry_field (GPtrArray *entries,
             guint      index,
             guint      field)
{
  PtlStoreEntry *entry = g_ptr_array_index (entries, index);
  const char *fields[] = { entry->experiment, entry->title, entry->label, entry->machine, entry->headline };

  return fields[field];
}

/* What a History view lists: every column, filters and searches. */
static void
test_find (void)
{
  g_autofree char *path = dup_db_path ("find.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (path, &error);
  g_autoptr(PtlResult) a = make_result ("models", 10);
  g_autoptr(PtlResult) b = make_result ("pool", 10);
  g_autoptr(JsonObject) machine = json_object_new ();
  static const struct { const char *experiment, *search; guint n; } cases[] = {
    { NULL, NULL, 3 }, { NULL, "", 3 }, { "models", NULL, 2 }, { "pool", NULL, 1 }, { "none", NULL, 0 },
    { NULL, "SERVER", 1 },       /* a label, any case */
    { NULL, "pool", 1 },         /* an experiment id */
    { "models", "pool", 0 },     /* ... not searched within one experiment */
    { NULL, "bench-host", 1 },   /* a machine */
    { NULL, "test cpu", 2 },     /* the processor, for a result without a host name */
    { NULL, "2.50 ms", 3 },      /* the headline */
    { NULL, "test result", 3 },  /* the title */
    { NULL, "ÉTÉ", 1 },          /* case folded beyond ASCII, composed or not */
    { NULL, "e\xcc\x81te\xcc\x81", 1 },
    { NULL, "\xff", 0 },
  };

  g_assert_no_error (error);
  json_object_set_string_member (machine, "hostname", "bench-host");
  ptl_result_set_machine (b, machine);
  g_assert_cmpint (ptl_store_save (store, a, "été", 100, &error), >, 0);
  g_assert_cmpint (ptl_store_save (store, b, NULL, 200, &error), >, 0);
  g_assert_cmpint (ptl_store_save (store, a, "on the server", 300, &error), >, 0);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) entries = ptl_store_find (store, cases[i].experiment, cases[i].search, &error);

      g_assert_no_error (error);
      if (entries->len != cases[i].n)
        g_error ("case %u: %u runs, expected %u", i, entries->len, cases[i].n);
    }

  {
    g_autoptr(GPtrArray) entries = ptl_store_find (store, NULL, NULL, &error);
    const char *expected[3][5] = {
      { "models", "A test result", "on the server", "Test CPU", "time 2.50 ms" },
      { "pool", "A test result", "", "bench-host", "time 2.50 ms" },
      { "models", "A test result", "été", "Test CPU", "time 2.50 ms" },
    };

    for (guint i = 0; i < 3; i++)
      for (guint field = 0; field < 5; field++)
        g_assert_cmpstr (entry_field (entries, i, field), ==, expected[i][field]);
    g_assert_cmpint (((PtlStoreEntry *) g_ptr_array_index (entries, 0))->created, ==, 300);
  }

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_db (path);
}

/* A history of schema 1 (before the machine name and the list indexes) is
 * migrated on open with its runs intact. The v1 file is made from a v2
 * one by undoing migration 2, which leaves exactly the v1 schema. */
static void
test_migrate_from_1 (void)
{
  g_autofree char *path = dup_db_path ("v1.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (path, &error);
  g_autoptr(PtlResult) result = make_result ("models", 100);
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *expected = NULL, *actual = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = ptl_store_save (store, result, "old run", 0, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  exec_on (path, "DROP INDEX runs_list; DROP INDEX runs_list_by_experiment;"
                 "ALTER TABLE runs DROP COLUMN machine_name;"
                 "CREATE INDEX runs_by_experiment ON runs (experiment, created);"
                 "PRAGMA user_version = 1");
  g_assert_cmpint (count_rows (path, "PRAGMA user_version"), ==, 1);

  store = ptl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (path, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM sqlite_master WHERE name = 'runs_by_experiment'"), ==, 0);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'runs_list%'"), ==, 2);
  loaded = ptl_store_load (store, id, &error);
  g_assert_no_error (error);
  expected = ptl_result_to_json_string (result);
  actual = ptl_result_to_json_string (loaded);
  g_assert_cmpstr (actual, ==, expected);
  /* The machine name is filled in from the stored facts. */
  entries = ptl_store_find (store, "models", "test cpu", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((PtlStoreEntry *) g_ptr_array_index (entries, 0))->machine, ==, "Test CPU");
  g_assert_cmpstr (((PtlStoreEntry *) g_ptr_array_index (entries, 0))->label, ==, "old run");
  /* Opening again migrates nothing more. */
  g_assert_finalize_object (g_steal_pointer (&store));
  store = ptl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_db (path);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
test_newer_schema_refused (void)
{
  g_autofree char *path = dup_db_path ("newer.db");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL, after = NULL;
  PtlStore *store;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (path);

  store = ptl_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "newer ptlab (schema 3; this one reads up to 2)"));
  g_assert_nonnull (strstr (error->message, "left as it is"));

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  remove_db (path);
}

/* Another program's database (schema version 0, tables of its own). */
static void
test_foreign_refused (void)
{
  g_autofree char *path = dup_db_path ("foreign.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL, after = NULL;
  PtlStore *store;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE runs (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (path);

  store = ptl_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "another program"));
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  remove_db (path);
}

static void
test_corrupt_refused (void)
{
  g_autofree char *path = dup_db_path ("corrupt.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(GBytes) before = NULL, after = NULL;
  guint8 noise[8192];
  PtlStore *store;

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (path, (const char *) noise, sizeof noise, NULL));
  before = read_bytes (path);

  store = ptl_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "Move it aside"));

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  remove_db (path);
}

/* A child begins a save and dies before its commit: the history still
 * opens, holds the runs saved before, and nothing of the lost one. */
static void
test_crash_during_save (void)
{
  g_autofree char *path = dup_db_path ("crash.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = ptl_store_open (path, &error);
  g_autoptr(PtlResult) kept = make_result ("models", 10);
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *expected = NULL, *actual = NULL;
  gint64 id;
  pid_t pid;
  int status;

  g_assert_no_error (error);
  id = ptl_store_save (store, kept, "kept", 0, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(PtlResult) lost = make_result ("models", 200000);
      PtlStore *child_store = ptl_store_open (path, NULL);

      g_setenv (PTL_STORE_TEST_EXIT_BEFORE_COMMIT, "1", TRUE);
      if (child_store != NULL)
        ptl_store_save (child_store, lost, "lost", 0, NULL);
      /* Reached only when the save did not stop before its commit. */
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 3);

  store = ptl_store_open (path, &error);
  g_assert_no_error (error);
  entries = ptl_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((PtlStoreEntry *) g_ptr_array_index (entries, 0))->label, ==, "kept");
  loaded = ptl_store_load (store, id, &error);
  g_assert_no_error (error);
  expected = ptl_result_to_json_string (kept);
  actual = ptl_result_to_json_string (loaded);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM series_points"), ==, 3);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM samples"), ==, 2);
  remove_db (path);
}

/* A summary of @experiment: a text case and two figures per row. */
static PtlResult *
make_summary (const char *experiment,
              const char *figure_id,
              const char *figure,
              const char *unit,
              const char * const *cases,
              const double *values,
              guint       n_rows)
{
  PtlResult *result = ptl_result_new (experiment, "Headline");
  PtlTable *table = ptl_result_get_summary (result);

  ptl_table_add_column_with_id (table, "case", "Case", NULL);
  ptl_table_add_column_with_id (table, "count", "Count", NULL);
  if (figure_id != NULL)
    ptl_table_add_column_with_id (table, figure_id, figure, unit);
  else
    ptl_table_add_column (table, figure, unit);
  for (guint i = 0; i < n_rows; i++)
    {
      guint row = ptl_table_add_row (table);

      ptl_table_set_text (table, row, 0, cases[i]);
      ptl_table_set_number (table, row, 1, 5);
      ptl_table_set_number (table, row, 2, values[i]);
    }
  return result;
}

/* A summary of words only, as the banker's requests give: no figure at
 * all, declared or first. */
static PtlResult *
make_words_summary (void)
{
  PtlResult *result = ptl_result_new ("bankers", "Headline");
  PtlTable *table = ptl_result_get_summary (result);
  guint row;

  ptl_table_add_column_with_id (table, "request", "Request", NULL);
  ptl_table_add_column_with_id (table, "outcome", "Outcome", NULL);
  row = ptl_table_add_row (table);
  ptl_table_set_text (table, row, 0, "1. P1 (1, 0, 2)");
  ptl_table_set_text (table, row, 1, "granted");
  return result;
}

/* Each experiment's declared headline figure (not the first figure, which
 * is often a parameter such as "Count 5"); results of an experiment this
 * lab does not know keep the first figure. */
static void
test_headline (void)
{
  g_autofree char *path = dup_db_path ("headline.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char * const modes[] = { "sequential", "threads", "processes" };
  const double speedups[] = { 1, 1.9, 1.7 };
  const char * const mechanisms[] = { "thread", "fork", "vfork" };
  const double medians[] = { 25e-6, 250e-6, 80e-6 };
  const char * const methods[] = { "none", "mutex" };
  const double lost[] = { 1200, 0 };
  const struct { PtlResult *result; const char *headline; } cases[] = {
    { make_summary ("models", "speedup", "Speedup", "x", modes, speedups, 3), "Speedup 1.90× (threads)" },
    { make_summary ("creation", "median", "Median", "s", mechanisms, medians, 3),
      "Median 25.0 µs (thread) – 250 µs (fork)" },
    /* Declared by a column's name: it has no id of its own. */
    { make_summary ("race", NULL, "Lost (max)", NULL, methods, lost, 2), "Lost (max) 1200 (none)" },
    { make_summary ("elsewhere", "speedup", "Speedup", "x", modes, speedups, 3), "Count 5" },
    { make_words_summary (), "1. P1 (1, 0, 2) granted" },
  };

  /* What the window and the command line do before they save. */
  ptl_registry_list_types (NULL);
  store = ptl_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ptl_store_save (store, cases[i].result, NULL, 100 + i, &error), >, 0);
  g_assert_no_error (error);

  entries = ptl_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (cases));
  /* Newest first. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlStoreEntry *entry = g_ptr_array_index (entries, G_N_ELEMENTS (cases) - 1 - i);

      g_assert_cmpstr (entry->experiment, ==, ptl_result_get_experiment_id (cases[i].result));
      g_assert_cmpstr (entry->headline, ==, cases[i].headline);
      g_object_unref (cases[i].result);
    }
  g_clear_object (&store);
  remove_db (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Never the user's own history. */
  data_home = g_dir_make_tmp ("ptlab-store-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_add_func ("/ptl/store/round-trip", test_round_trip);
  g_test_add_func ("/ptl/store/label-delete-filter", test_label_delete_filter);
  g_test_add_func ("/ptl/store/find", test_find);
  g_test_add_func ("/ptl/store/migrate-from-1", test_migrate_from_1);
  g_test_add_func ("/ptl/store/newer-schema", test_newer_schema_refused);
  g_test_add_func ("/ptl/store/corrupt", test_corrupt_refused);
  g_test_add_func ("/ptl/store/foreign", test_foreign_refused);
  g_test_add_func ("/ptl/store/crash-during-save", test_crash_during_save);
  g_test_add_func ("/ptl/store/headline", test_headline);

  status = g_test_run ();
  {
    g_autofree char *folder = g_build_filename (data_home, "ptlab", NULL);

    g_rmdir (folder);
    g_rmdir (data_home);
  }
  g_free (data_home);
  return status;
}
