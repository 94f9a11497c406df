/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-store"

#include "config.h"

/* The run history: one SQLite database in WAL mode. A run is one row of
 * `runs` holding its JSON parts as text (parameters, machine, warnings,
 * notes, summary, and the charts and series without their numbers), plus
 * the numbers as BLOBs of little-endian doubles in side tables: a series'
 * points as x,y pairs (and its band as lo,hi pairs), a timeline's slices
 * as (u32 lane, u32 key, f64 start, f64 end) records, raw samples as plain
 * doubles. Loading goes through ptl_result_new_from_json () for the
 * declarations, so the store checks what a JSON file would, then appends
 * the numbers. Each save is one transaction: a crash leaves either the
 * whole run or none of it. */

#include <errno.h>
#include <glib/gi18n.h>
/* PRId64 rather than G_GINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ptl-experiment.h"
#include "ptl-store.h"

struct _PtlStore
{
  GObject parent_instance;

  /* owned */
  sqlite3 *db;
  char    *path;
};

G_DEFINE_FINAL_TYPE (PtlStore, ptl_store, G_TYPE_OBJECT)

static void matches_cb (sqlite3_context  *context,
                        int               n_args,
                        sqlite3_value   **args);

/* migrations[v] brings a database from version v to v + 1. */
static const char * const migrations[PTL_STORE_SCHEMA_VERSION] = {
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY,"
  "  experiment TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  headline TEXT NOT NULL DEFAULT '',"
  "  parameters TEXT NOT NULL,"
  "  machine TEXT NOT NULL,"
  "  warnings TEXT NOT NULL,"
  "  notes TEXT NOT NULL,"
  "  summary TEXT NOT NULL,"
  "  charts TEXT NOT NULL,"
  "  series TEXT NOT NULL);"
  "CREATE INDEX runs_by_experiment ON runs (experiment, created);"
  "CREATE TABLE series_points ("
  "  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  points BLOB NOT NULL,"
  "  band BLOB,"
  "  PRIMARY KEY (run, position));"
  "CREATE TABLE timeline_slices ("
  "  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  chart INTEGER NOT NULL,"
  "  slices BLOB NOT NULL,"
  "  PRIMARY KEY (run, chart));"
  "CREATE TABLE samples ("
  "  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  unit TEXT NOT NULL,"
  "  vals BLOB NOT NULL,"
  "  PRIMARY KEY (run, position));",
  /* 2: the machine's name for lists, and indexes holding every column a
   * list shows, so listing 10,000 runs reads neither the runs' JSON nor
   * the table itself. */
  "ALTER TABLE runs ADD COLUMN machine_name TEXT NOT NULL DEFAULT '';"
  "UPDATE runs SET machine_name = coalesce (machine ->> '$.hostname', machine ->> '$.cpu_model', '')"
  "  WHERE json_valid (machine);"
  "DROP INDEX runs_by_experiment;"
  "CREATE INDEX runs_list ON runs (created, id, experiment, title, label, machine_name, headline);"
  "CREATE INDEX runs_list_by_experiment ON runs (experiment, created, id, title, label, machine_name, headline);",
};

#define SLICE_RECORD_SIZE (4 + 4 + 8 + 8)

static gboolean
set_sqlite_error (PtlStore    *self,
                  GError     **error,
                  const char  *what)
{
  int code = sqlite3_errcode (self->db) & 0xff;
  g_autofree char *display = g_filename_display_name (self->path);
  GQuark domain = G_IO_ERROR;
  int error_code;

  switch (code)
    {
    case SQLITE_FULL:
      error_code = G_IO_ERROR_NO_SPACE;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      error_code = G_IO_ERROR_BUSY;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      error_code = G_IO_ERROR_PERMISSION_DENIED;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      domain = PTL_ERROR;
      error_code = PTL_ERROR_INVALID_FILE;
      break;
    default:
      domain = PTL_ERROR;
      error_code = PTL_ERROR_FAILED;
      break;
    }
  g_set_error (error, domain, error_code, _("Run history %s: %s: %s"),
               display, what, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec_sql (PtlStore    *self,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, _("could not update"));
  return TRUE;
}

static sqlite3_stmt *
prepare (PtlStore    *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, _("could not read"));
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean
read_user_version (PtlStore  *self,
                   int       *version,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (self, error, _("could not read"));
  *version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
damaged (PtlStore    *self,
         const char  *reason,
         GError     **error)
{
  g_autofree char *display = g_filename_display_name (self->path);

  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
               _("Run history %s is damaged or not a ptlab history (%s); it was left as it is. "
                 "Move it aside to start a new history, or restore it from a backup"),
               display, reason);
  return FALSE;
}

/* Read-only checks first, so a file we refuse is never written to (WAL
 * mode and migrations write). */
static gboolean
check_and_migrate (PtlStore  *self,
                   GError   **error)
{
  g_autofree char *display = g_filename_display_name (self->path);
  g_autoptr(sqlite3_stmt) check = NULL;
  const char *verdict;
  int version;

  if (!read_user_version (self, &version, NULL))
    return damaged (self, sqlite3_errmsg (self->db), error);
  if (version > PTL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Run history %s was written by a newer ptlab (schema %d; this one reads up to %d); "
                     "it was left as it is. Use a newer ptlab, or another history"),
                   display, version, PTL_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* Version 0 with tables is another program's database: migrating
   * would add ours beside its own. */
  if (version == 0)
    {
      g_autoptr(sqlite3_stmt) tables = prepare (self, "SELECT count(*) FROM sqlite_master", NULL);

      if (tables == NULL || sqlite3_step (tables) != SQLITE_ROW)
        return damaged (self, sqlite3_errmsg (self->db), error);
      if (sqlite3_column_int64 (tables, 0) > 0)
        return damaged (self, _("an SQLite database of another program"), error);
    }

  check = prepare (self, "PRAGMA quick_check", NULL);
  if (check == NULL || sqlite3_step (check) != SQLITE_ROW)
    return damaged (self, sqlite3_errmsg (self->db), error);
  verdict = (const char *) sqlite3_column_text (check, 0);
  if (g_strcmp0 (verdict, "ok") != 0)
    return damaged (self, verdict ? verdict : "?", error);
  g_clear_pointer (&check, sqlite3_finalize);

  if (!exec_sql (self, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", error))
    return FALSE;
  if (version == PTL_STORE_SCHEMA_VERSION)
    return TRUE;

  /* IMMEDIATE takes the write lock now; another ptlab may have migrated
   * meanwhile, so read the version again under it. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_user_version (self, &version, error))
    goto rollback;
  for (; version < PTL_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      g_debug ("migrating %s from schema %d", self->path, version);
      if (!exec_sql (self, migrations[version], error) || !exec_sql (self, set_version, error))
        goto rollback;
    }
  return exec_sql (self, "COMMIT", error);

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Little-endian on disk, so a history copied between machines reads the same. */
static void
put_double (guint8 *out,
            double  value)
{
  guint64 bits;

  memcpy (&bits, &value, sizeof bits);
  bits = GUINT64_TO_LE (bits);
  memcpy (out, &bits, sizeof bits);
}

static double
get_double (const guint8 *in)
{
  guint64 bits;
  double value;

  memcpy (&bits, in, sizeof bits);
  bits = GUINT64_FROM_LE (bits);
  memcpy (&value, &bits, sizeof value);
  return value;
}

static void
put_uint32 (guint8  *out,
            guint32  value)
{
  value = GUINT32_TO_LE (value);
  memcpy (out, &value, sizeof value);
}

static guint32
get_uint32 (const guint8 *in)
{
  guint32 value;

  memcpy (&value, in, sizeof value);
  return GUINT32_FROM_LE (value);
}

static char *
member_to_text (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert (node != NULL);
  return json_to_string (node, FALSE);
}

/* A summary column by id, or by the name the experiment declared it
 * under: columns added without an id carry their translated name as id. */
static int
find_headline_column (PtlTable   *summary,
                      const char *declared)
{
  int column = ptl_table_find_column (summary, declared);

  return column >= 0 ? column : ptl_table_find_column (summary, g_dgettext (GETTEXT_PACKAGE, declared));
}

/* "value (case)": the case is the row's first text, e.g. "fork". */
static char *
dup_headline_figure (PtlTable *summary,
                     guint     row,
                     guint     column)
{
  g_autofree char *value = ptl_table_format_cell (summary, row, column);

  for (guint other = 0; other < ptl_table_get_n_columns (summary); other++)
    {
      const char *text = ptl_table_cell_is_number (summary, row, other) ? NULL
                                                                       : ptl_table_get_text (summary, row, other);

      if (text != NULL && *text != '\0')
        return g_strdup_printf ("%s (%s)", value, text);
    }
  return g_steal_pointer (&value);
}

/* "Column figure" for lists: the figure the experiment declared its
 * headline (e.g. "Speedup 1.93× (processes)"), or for an experiment this
 * lab does not know, the first figure of the first row ("Tasks 8"). */
static char *
dup_headline (PtlResult *result)
{
  PtlTable *summary = ptl_result_get_summary (result);
  PtlHeadlineRow rule;
  const char *declared;
  g_autofree char *figure = NULL;
  g_autofree char *highest = NULL;
  int column = -1, first = -1, low = -1, high = -1;

  if (ptl_table_get_n_rows (summary) == 0)
    return g_strdup ("");
  if (!ptl_experiment_lookup_headline (ptl_result_get_experiment_id (result), &declared, &rule) ||
      (column = find_headline_column (summary, declared)) < 0)
    {
      g_autoptr(GPtrArray) texts = g_ptr_array_new ();

      for (guint other = 0; other < ptl_table_get_n_columns (summary); other++)
        if (ptl_table_cell_is_number (summary, 0, other))
          {
            figure = ptl_table_format_cell (summary, 0, other);
            return g_strdup_printf ("%s %s", ptl_table_get_column_name (summary, other), figure);
          }
      /* A table of words only (the banker's requests and their
       * outcomes): its first row's first two cells say most. */
      for (guint other = 0; other < ptl_table_get_n_columns (summary) && texts->len < 2; other++)
        {
          const char *text = ptl_table_get_text (summary, 0, other);

          if (text != NULL && *text != '\0')
            g_ptr_array_add (texts, (gpointer) text);
        }
      g_ptr_array_add (texts, NULL);
      return g_strjoinv (" ", (char **) texts->pdata);
    }

  for (guint row = 0; row < ptl_table_get_n_rows (summary); row++)
    {
      double value;

      if (!ptl_table_cell_is_number (summary, row, column) || isnan (value = ptl_table_get_number (summary, row, column)))
        continue;
      if (first < 0)
        first = row;
      if (low < 0 || value < ptl_table_get_number (summary, low, column))
        low = row;
      if (high < 0 || value > ptl_table_get_number (summary, high, column))
        high = row;
    }
  if (first < 0)
    return g_strdup ("");

  if (rule == PTL_HEADLINE_RANGE && low != high)
    {
      figure = dup_headline_figure (summary, low, column);
      highest = dup_headline_figure (summary, high, column);
      return g_strdup_printf ("%s %s – %s", ptl_table_get_column_name (summary, column), figure, highest);
    }
  if (rule == PTL_HEADLINE_MAX)
    first = high;
  else if (rule == PTL_HEADLINE_MIN || rule == PTL_HEADLINE_RANGE)
    first = low;
  figure = dup_headline_figure (summary, first, column);
  return g_strdup_printf ("%s %s", ptl_table_get_column_name (summary, column), figure);
}

static gint64
created_from_machine (PtlResult *result)
{
  JsonObject *machine = ptl_result_get_machine (result);
  g_autoptr(GDateTime) date = NULL;
  const char *text;

  text = machine ? json_object_get_string_member_with_default (machine, "date", NULL) : NULL;
  if (text != NULL)
    date = g_date_time_new_from_iso8601 (text, NULL);
  return date ? g_date_time_to_unix (date) : g_get_real_time () / G_USEC_PER_SEC;
}

/* What lists call the machine: its host name, or for results from before
 * ptlab recorded it, the processor. */
static const char *
machine_name (PtlResult *result)
{
  JsonObject *machine = ptl_result_get_machine (result);
  const char *name = json_object_get_string_member_with_default (machine, "hostname", NULL);

  if (name == NULL)
    name = json_object_get_string_member_with_default (machine, "cpu_model", "");
  return name;
}

static gboolean
step_done (PtlStore     *self,
           sqlite3_stmt *stmt,
           GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, error, _("could not save the run"));
  return TRUE;
}

static gboolean
save_series (PtlStore   *self,
             PtlResult  *copy,
             gint64      id,
             JsonArray  *series_list,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO series_points (run, position, points, band) VALUES (?, ?, ?, ?)", error);
  guint position = 0;

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ptl_result_get_n_charts (copy); i++)
    {
      PtlChart *chart = ptl_result_get_chart (copy, i);

      for (guint j = 0; j < ptl_chart_get_n_series (chart); j++, position++)
        {
          PtlSeries *series = ptl_chart_get_series (chart, j);
          JsonObject *object = json_array_get_object_element (series_list, position);
          gboolean banded = ptl_series_has_band (series);
          guint n;
          const PtlPoint *points = ptl_series_get_points (series, &n);
          g_autofree guint8 *xy = g_malloc (MAX (n, 1) * 16);
          g_autofree guint8 *band = banded ? g_malloc (MAX (n, 1) * 16) : NULL;

          for (guint k = 0; k < n; k++)
            {
              put_double (xy + 16 * k, points[k].x);
              put_double (xy + 16 * k + 8, points[k].y);
              if (banded)
                {
                  put_double (band + 16 * k, points[k].lo);
                  put_double (band + 16 * k + 8, points[k].hi);
                }
            }
          /* The numbers live here; the JSON keeps the declaration. */
          json_object_set_array_member (object, "points", json_array_new ());
          json_object_remove_member (object, "band");

          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int (stmt, 2, position);
          sqlite3_bind_blob64 (stmt, 3, xy, (sqlite3_uint64) n * 16, SQLITE_STATIC);
          if (banded)
            sqlite3_bind_blob64 (stmt, 4, band, (sqlite3_uint64) n * 16, SQLITE_STATIC);
          else
            sqlite3_bind_null (stmt, 4);
          if (!step_done (self, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
save_slices (PtlStore   *self,
             PtlResult  *copy,
             gint64      id,
             JsonArray  *charts,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO timeline_slices (run, chart, slices) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ptl_result_get_n_charts (copy); i++)
    {
      PtlChart *chart = ptl_result_get_chart (copy, i);
      g_autofree guint8 *blob = NULL;
      const PtlSlice *slices;
      guint n;

      if (ptl_chart_get_kind (chart) != PTL_CHART_TIMELINE)
        continue;
      slices = ptl_chart_get_slices (chart, &n);
      blob = g_malloc (MAX (n, 1) * SLICE_RECORD_SIZE);
      for (guint k = 0; k < n; k++)
        {
          guint8 *record = blob + (gsize) k * SLICE_RECORD_SIZE;

          put_uint32 (record, slices[k].lane);
          put_uint32 (record + 4, slices[k].key);
          put_double (record + 8, slices[k].start);
          put_double (record + 16, slices[k].end);
        }
      json_object_set_array_member (json_array_get_object_element (charts, i), "slices", json_array_new ());

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_blob64 (stmt, 3, blob, (sqlite3_uint64) n * SLICE_RECORD_SIZE, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Samples have no getter on PtlResult, so they come from its JSON. */
static gboolean
save_samples (PtlStore   *self,
              gint64      id,
              JsonArray  *samples,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "INSERT INTO samples (run, position, name, unit, vals) VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (samples); i++)
    {
      JsonObject *object = json_array_get_object_element (samples, i);
      JsonArray *values = json_object_get_array_member (object, "values");
      guint n = json_array_get_length (values);
      g_autofree guint8 *blob = g_malloc (MAX (n, 1) * 8);

      for (guint k = 0; k < n; k++)
        {
          JsonNode *value = json_array_get_element (values, k);

          put_double (blob + 8 * k, JSON_NODE_HOLDS_NULL (value) ? NAN : json_node_get_double (value));
        }
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, json_object_get_string_member (object, "name"), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, json_object_get_string_member (object, "unit"), -1, SQLITE_STATIC);
      sqlite3_bind_blob64 (stmt, 5, blob, (sqlite3_uint64) n * 8, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
no_such_run (PtlStore    *self,
             gint64       id,
             GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("No run %" PRId64 " in the history (see “ptlab history list”)"), id);
  return FALSE;
}

static PtlResult *
run_damaged (gint64   id,
             GError **error)
{
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
               _("Run %" PRId64 " in the history is damaged: its numbers do not match its charts"), id);
  return NULL;
}

static gboolean
load_points (PtlStore   *self,
             PtlResult  *result,
             gint64      id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT position, points, band FROM series_points WHERE run = ? ORDER BY position", error);
  g_autoptr(GPtrArray) all_series = g_ptr_array_new ();
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    {
      PtlChart *chart = ptl_result_get_chart (result, i);

      for (guint j = 0; j < ptl_chart_get_n_series (chart); j++)
        g_ptr_array_add (all_series, ptl_chart_get_series (chart, j));
    }

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 position = sqlite3_column_int64 (stmt, 0);
      const guint8 *xy = sqlite3_column_blob (stmt, 1);
      gsize xy_len = sqlite3_column_bytes (stmt, 1);
      const guint8 *band = sqlite3_column_blob (stmt, 2);
      gsize band_len = sqlite3_column_bytes (stmt, 2);
      PtlSeries *series;

      if (position < 0 || position >= all_series->len || xy_len % 16 != 0 ||
          (sqlite3_column_type (stmt, 2) != SQLITE_NULL && band_len != xy_len))
        return run_damaged (id, error) != NULL;
      series = g_ptr_array_index (all_series, position);
      for (gsize k = 0; k < xy_len / 16; k++)
        ptl_series_add_point_band (series, get_double (xy + 16 * k), get_double (xy + 16 * k + 8),
                                   band_len ? get_double (band + 16 * k) : NAN,
                                   band_len ? get_double (band + 16 * k + 8) : NAN);
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, _("could not read"));
  return TRUE;
}

static gboolean
load_slices (PtlStore   *self,
             PtlResult  *result,
             gint64      id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT chart, slices FROM timeline_slices WHERE run = ? ORDER BY chart", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 index = sqlite3_column_int64 (stmt, 0);
      const guint8 *blob = sqlite3_column_blob (stmt, 1);
      gsize len = sqlite3_column_bytes (stmt, 1);
      PtlChart *chart;

      if (index < 0 || index >= ptl_result_get_n_charts (result) || len % SLICE_RECORD_SIZE != 0)
        return run_damaged (id, error) != NULL;
      chart = ptl_result_get_chart (result, index);
      if (ptl_chart_get_kind (chart) != PTL_CHART_TIMELINE)
        return run_damaged (id, error) != NULL;
      for (gsize k = 0; k < len / SLICE_RECORD_SIZE; k++)
        {
          const guint8 *record = blob + k * SLICE_RECORD_SIZE;
          guint32 lane = get_uint32 (record), key = get_uint32 (record + 4);

          if (lane >= ptl_chart_get_n_lanes (chart) || key >= ptl_chart_get_n_keys (chart))
            return run_damaged (id, error) != NULL;
          ptl_chart_add_slice (chart, lane, key, get_double (record + 8), get_double (record + 16));
        }
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, _("could not read"));
  return TRUE;
}

static gboolean
load_samples (PtlStore   *self,
              PtlResult  *result,
              gint64      id,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT name, unit, vals FROM samples WHERE run = ? ORDER BY position", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const guint8 *blob = sqlite3_column_blob (stmt, 2);
      gsize len = sqlite3_column_bytes (stmt, 2);
      g_autofree double *values = NULL;

      if (len % 8 != 0)
        return run_damaged (id, error) != NULL;
      values = g_new (double, MAX (len / 8, 1));
      for (gsize k = 0; k < len / 8; k++)
        values[k] = get_double (blob + 8 * k);
      ptl_result_add_samples (result, (const char *) sqlite3_column_text (stmt, 0),
                              (const char *) sqlite3_column_text (stmt, 1), values, len / 8);
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, _("could not read"));
  return TRUE;
}

static void
ptl_store_finalize (GObject *object)
{
  PtlStore *self = (PtlStore *) object;

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ptl_store_parent_class)->finalize (object);
}

static void
ptl_store_class_init (PtlStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_store_finalize;
}

static void
ptl_store_init (PtlStore *self)
{
}

/* localtime_r, not GDateTime: GLib 2.74 looks the local time zone up
 * again (a stat and a readlink of /etc/localtime) for every date, which
 * was a quarter of the time to list 10,000 runs in the window. */
char *
ptl_store_format_created (gint64 created)
{
  time_t seconds = (time_t) created;
  struct tm local;
  char text[32];

  if (localtime_r (&seconds, &local) == NULL || strftime (text, sizeof text, "%Y-%m-%d %H:%M", &local) == 0)
    return g_strdup ("?");
  return g_strdup (text);
}

void
ptl_store_entry_free (PtlStoreEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->experiment);
  g_free (entry->title);
  g_free (entry->label);
  g_free (entry->machine);
  g_free (entry->headline);
  g_free (entry);
}

char *
ptl_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ptlab", "runs.db", NULL);
}

PtlStore *
ptl_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(PtlStore) self = g_object_new (PTL_TYPE_STORE, NULL);
  g_autofree char *folder = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->path = path ? g_strdup (path) : ptl_store_dup_default_path ();
  display = g_filename_display_name (self->path);
  folder = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder of the run history %s: %s"),
                   display, g_strerror (saved_errno));
      return NULL;
    }
  if (g_file_test (self->path, G_FILE_TEST_EXISTS) &&
      !g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("Run history %s is not a regular file"), display);
      return NULL;
    }
  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, _("could not open"));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_create_function (self->db, "ptl_matches", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                           matches_cb, NULL, NULL);
  /* Another ptlab (the window, a CLI run) may be saving at the same time. */
  sqlite3_busy_timeout (self->db, 10000);
  if (!check_and_migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
ptl_store_get_path (PtlStore *self)
{
  g_return_val_if_fail (PTL_IS_STORE (self), NULL);

  return self->path;
}

gint64
ptl_store_save (PtlStore    *self,
                PtlResult   *result,
                const char  *label,
                gint64       created,
                GError     **error)
{
  g_autoptr(PtlResult) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *headline = NULL;
  JsonObject *root;
  gint64 id;
  static const char * const text_members[] = {
    "parameters", "machine", "warnings", "notes", "summary",
  };
  char *texts[G_N_ELEMENTS (text_members)];

  g_return_val_if_fail (PTL_IS_STORE (self), 0);
  g_return_val_if_fail (PTL_IS_RESULT (result), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* One snapshot for both the JSON and the numbers. */
  copy = ptl_result_copy (result);
  node = ptl_result_to_json (copy);
  root = json_node_get_object (node);
  headline = dup_headline (copy);
  if (created == 0)
    created = created_from_machine (copy);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return 0;

  stmt = prepare (self,
                  "INSERT INTO runs (experiment, title, created, label, headline, parameters, machine,"
                  " warnings, notes, summary, charts, series, machine_name)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?)",
                  error);
  if (stmt == NULL)
    goto rollback;
  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    texts[i] = member_to_text (root, text_members[i]);
  sqlite3_bind_text (stmt, 1, ptl_result_get_experiment_id (copy), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, ptl_result_get_title (copy), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, created);
  sqlite3_bind_text (stmt, 4, label ? label : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, headline, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    sqlite3_bind_text (stmt, 6 + i, texts[i], -1, g_free);
  sqlite3_bind_text (stmt, 6 + G_N_ELEMENTS (text_members), machine_name (copy), -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    goto rollback;
  id = sqlite3_last_insert_rowid (self->db);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The side tables take the numbers out of the JSON, which then holds
   * only the declarations. */
  if (!save_series (self, copy, id, json_object_get_array_member (root, "series"), error) ||
      !save_slices (self, copy, id, json_object_get_array_member (root, "charts"), error) ||
      !save_samples (self, id, json_object_get_array_member (root, "samples"), error))
    goto rollback;

  {
    g_autofree char *charts = member_to_text (root, "charts");
    g_autofree char *series = member_to_text (root, "series");

    stmt = prepare (self, "UPDATE runs SET charts = ?, series = ? WHERE id = ?", error);
    if (stmt == NULL)
      goto rollback;
    sqlite3_bind_text (stmt, 1, charts, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, series, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, id);
    if (!step_done (self, stmt, error))
      goto rollback;
    g_clear_pointer (&stmt, sqlite3_finalize);
  }

  if (g_getenv (PTL_STORE_TEST_EXIT_BEFORE_COMMIT) != NULL)
    _exit (3);

  if (!exec_sql (self, "COMMIT", error))
    goto rollback;
  return id;

rollback:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return 0;
}

PtlResult *
ptl_store_load (PtlStore  *self,
                gint64     id,
                GError   **error)
{
  static const char * const members[] = {
    "experiment", "title", "parameters", "machine", "warnings", "notes", "summary", "charts", "series",
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(PtlResult) result = NULL;
  int rc;

  g_return_val_if_fail (PTL_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A read transaction, so a delete in another process cannot split the
   * run between its rows. */
  if (!exec_sql (self, "BEGIN", error))
    return NULL;
  stmt = prepare (self, "SELECT experiment, title, parameters, machine, warnings, notes, summary,"
                        " charts, series FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      no_such_run (self, id, error);
      goto out;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, error, _("could not read"));
      goto out;
    }

  json_object_set_string_member (root, "experiment", (const char *) sqlite3_column_text (stmt, 0));
  json_object_set_string_member (root, "title", (const char *) sqlite3_column_text (stmt, 1));
  for (guint i = 2; i < G_N_ELEMENTS (members); i++)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, i);
      JsonNode *member = text ? json_from_string (text, NULL) : NULL;

      if (member == NULL)
        {
          run_damaged (id, error);
          goto out;
        }
      json_object_set_member (root, members[i], member);
    }
  node = json_node_init_object (json_node_alloc (), root);
  result = ptl_result_new_from_json (node, error);
  if (result == NULL ||
      !load_points (self, result, id, error) ||
      !load_slices (self, result, id, error) ||
      !load_samples (self, result, id, error))
    g_clear_object (&result);

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  return g_steal_pointer (&result);
}

/* Text as searches compare it: one normalization, case folded in every
 * script (SQL's LIKE folds only ASCII). NULL for invalid UTF-8. */
static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);

  return normalized ? g_utf8_casefold (normalized, -1) : NULL;
}

/* ptl_matches (NEEDLE, TEXT…): whether any folded TEXT holds NEEDLE
 * (folded already). */
static void
matches_cb (sqlite3_context  *context,
            int               n_args,
            sqlite3_value   **args)
{
  const char *needle = (const char *) sqlite3_value_text (args[0]);

  for (int i = 1; i < n_args && needle != NULL; i++)
    {
      const char *text = (const char *) sqlite3_value_text (args[i]);
      g_autofree char *folded = text ? fold (text) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL)
        {
          sqlite3_result_int (context, 1);
          return;
        }
    }
  sqlite3_result_int (context, 0);
}

GPtrArray *
ptl_store_find (PtlStore    *self,
                const char  *experiment,
                const char  *search,
                GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ptl_store_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *needle = NULL;
  int rc;

  g_return_val_if_fail (PTL_IS_STORE (self), NULL);

  if (search != NULL && *search != '\0')
    {
      needle = fold (search);
      /* Invalid UTF-8 matches nothing rather than everything. */
      if (needle == NULL)
        return g_steal_pointer (&entries);
    }
  /* Two statements so that each has its covering index; ?2 NULL matches
   * every run. */
  stmt = prepare (self,
                  experiment != NULL
                  ? "SELECT id, created, experiment, title, label, machine_name, headline"
                    " FROM runs INDEXED BY runs_list_by_experiment WHERE experiment = ?1"
                    " AND (?2 IS NULL OR ptl_matches (?2, title, label, machine_name, headline))"
                    " ORDER BY created DESC, id DESC"
                  : "SELECT id, created, experiment, title, label, machine_name, headline"
                    " FROM runs INDEXED BY runs_list"
                    " WHERE ?2 IS NULL OR ptl_matches (?2, experiment, title, label, machine_name, headline)"
                    " ORDER BY created DESC, id DESC",
                  error);
  if (stmt == NULL)
    return NULL;
  if (experiment != NULL)
    sqlite3_bind_text (stmt, 1, experiment, -1, SQLITE_STATIC);
  if (needle != NULL)
    sqlite3_bind_text (stmt, 2, needle, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PtlStoreEntry *entry = g_new0 (PtlStoreEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->created = sqlite3_column_int64 (stmt, 1);
      entry->experiment = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->title = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->label = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->machine = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->headline = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, _("could not read"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

GPtrArray *
ptl_store_list (PtlStore    *self,
                const char  *experiment,
                GError     **error)
{
  return ptl_store_find (self, experiment, NULL, error);
}

/* Runs @sql with (@text, @id) and fails when no run has that id. */
static gboolean
change_run (PtlStore    *self,
            const char  *sql,
            gint64       id,
            const char  *text,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, error, _("could not update"));
  if (sqlite3_changes (self->db) == 0)
    return no_such_run (self, id, error);
  return TRUE;
}

char *
ptl_store_dup_label (PtlStore    *self,
                     gint64       id,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PTL_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT label FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc == SQLITE_DONE)
    no_such_run (self, id, error);
  else
    set_sqlite_error (self, error, _("could not read"));
  return NULL;
}

gboolean
ptl_store_set_label (PtlStore    *self,
                     gint64       id,
                     const char  *label,
                     GError     **error)
{
  g_return_val_if_fail (PTL_IS_STORE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  return change_run (self, "UPDATE runs SET label = ?2 WHERE id = ?1", id, label, error);
}

gboolean
ptl_store_delete (PtlStore    *self,
                  gint64       id,
                  GError     **error)
{
  g_return_val_if_fail (PTL_IS_STORE (self), FALSE);

  /* The side tables follow through ON DELETE CASCADE. */
  return change_run (self, "DELETE FROM runs WHERE id = ?1", id, NULL, error);
}
