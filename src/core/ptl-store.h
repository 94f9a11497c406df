/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-result.h"

G_BEGIN_DECLS

/* The schema this build writes; PRAGMA user_version holds it. A database
 * with a higher version is refused unchanged. */
#define PTL_STORE_SCHEMA_VERSION 2

/* Test hook: when the environment has PTLAB_TEST_STORE_EXIT_BEFORE_COMMIT
 * set, ptl_store_save () _exit()s with status 3 after writing every row of
 * the run and before committing, as a crash or a power cut would. */
#define PTL_STORE_TEST_EXIT_BEFORE_COMMIT "PTLAB_TEST_STORE_EXIT_BEFORE_COMMIT"

/* One line of the history, without the run's charts: what a list of runs
 * shows. Every field is set; texts may be "". */
typedef struct
{
  gint64  id;         /* for ptl_store_load () and the others */
  gint64  created;    /* Unix time, seconds: when the run was made */
  char   *experiment; /* the experiment's id ("models") */
  char   *title;      /* the result's title */
  char   *label;      /* the user's label, "" when none */
  char   *machine;    /* the host name, or the processor for runs saved before ptlab recorded it */
  char   *headline;   /* the figure the experiment declares telling, "Column value unit (row)" */
} PtlStoreEntry;

void ptl_store_entry_free (PtlStoreEntry *entry);

/* @created (Unix seconds) as the history shows it, local time to the
 * minute ("2026-12-08 01:28"); "?" if it cannot be. */
char *ptl_store_format_created (gint64 created);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlStoreEntry, ptl_store_entry_free)

#define PTL_TYPE_STORE (ptl_store_get_type ())
G_DECLARE_FINAL_TYPE (PtlStore, ptl_store, PTL, STORE, GObject)

/* g_get_user_data_dir ()/ptlab/runs.db. */
char          *ptl_store_dup_default_path (void);

/* Opens (creating it and its folder when absent) the run history at @path,
 * NULL for the default path, in WAL mode, migrating an older schema. Fails
 * without writing anything on a file that is not an SQLite database, is
 * damaged, or comes from a newer ptlab. */
PtlStore      *ptl_store_open             (const char     *path,
                                           GError        **error);
const char    *ptl_store_get_path         (PtlStore       *self);

/* Saves @result in one transaction and returns its id, or 0 on failure
 * (then nothing of it is in the database). @created is Unix time, 0 for
 * the date in the result's machine facts (or now when it has none). */
gint64         ptl_store_save             (PtlStore       *self,
                                           PtlResult      *result,
                                           const char     *label,
                                           gint64          created,
                                           GError        **error);
PtlResult     *ptl_store_load             (PtlStore       *self,
                                           gint64          id,
                                           GError        **error);
/* The runs for a History view, newest first, as a GPtrArray of
 * PtlStoreEntry (free with g_ptr_array_unref): those of @experiment (NULL:
 * all) whose experiment id, title, label, machine or headline holds
 * @search (NULL or "": every run), case and Unicode normalization aside.
 * Reads only an index: 10,000 runs list in milliseconds (`ptlab bench
 * history`), so a view may call it again on each key press. */
GPtrArray     *ptl_store_find             (PtlStore       *self,
                                           const char     *experiment,
                                           const char     *search,
                                           GError        **error);
/* ptl_store_find () without a search. */
GPtrArray     *ptl_store_list             (PtlStore       *self,
                                           const char     *experiment,
                                           GError        **error);
/* The run's label, "" when it has none. */
char          *ptl_store_dup_label        (PtlStore       *self,
                                           gint64          id,
                                           GError        **error);
gboolean       ptl_store_set_label        (PtlStore       *self,
                                           gint64          id,
                                           const char     *label,
                                           GError        **error);
gboolean       ptl_store_delete           (PtlStore       *self,
                                           gint64          id,
                                           GError        **error);

G_END_DECLS
