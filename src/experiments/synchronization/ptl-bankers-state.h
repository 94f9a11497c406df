/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* Sizes a state may have: enough for every textbook example and for a
 * chart with one lane per process, small enough that every sum of
 * values stays far from gint64 overflow (64 × 1e9). */
#define PTL_BANKERS_MAX_PROCESSES 64
#define PTL_BANKERS_MAX_RESOURCES 16
#define PTL_BANKERS_VALUE_MAX     G_GINT64_CONSTANT (1000000000)
/* Longest process name, in bytes. */
#define PTL_BANKERS_NAME_MAX      32

/* A resource-allocation state of the banker's algorithm: n processes and
 * m resource types (named A, B, C, … in order). Matrices are row-major,
 * one row of m per process. Need is maximum − allocation, never stored.
 * Every value is in [0, PTL_BANKERS_VALUE_MAX] and allocation ≤ maximum:
 * the loaders check user input and report errors before building one. */
typedef struct
{
  guint   n_processes;
  guint   n_resources;
  char  **names;      /* n_processes, NULL-terminated */
  gint64 *available;  /* m */
  gint64 *maximum;    /* n × m */
  gint64 *allocation; /* n × m */
} PtlBankersState;

/* All zero, processes named P0 … Pn−1 as in Silberschatz. */
PtlBankersState    *ptl_bankers_state_new          (guint                   n_processes,
                                                    guint                   n_resources);
PtlBankersState    *ptl_bankers_state_copy         (const PtlBankersState  *self);
void                ptl_bankers_state_free         (PtlBankersState        *self);
gboolean            ptl_bankers_state_equal        (const PtlBankersState  *a,
                                                    const PtlBankersState  *b);
gint64              ptl_bankers_state_get_need     (const PtlBankersState  *self,
                                                    guint                   process,
                                                    guint                   resource);
/* The index of the process called @name, or -1. */
int                 ptl_bankers_state_find_process (const PtlBankersState  *self,
                                                    const char             *name);
/* Whether @name may name a process (letters, digits, '_', '-', '.', at
 * most PTL_BANKERS_NAME_MAX bytes, not "available"); the error says the
 * rule. */
gboolean            ptl_bankers_check_name         (const char             *name,
                                                    GError                **error);
/* "A" … "P". */
const char         *ptl_bankers_resource_name      (guint                   resource);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlBankersState, ptl_bankers_state_free)

/* Files.
 *
 * CSV (LF or CRLF, optional UTF-8 BOM; blank lines and lines starting
 * with '#' are skipped; spaces around fields are ignored):
 *   available,3,3,2          the available vector: m numbers, first
 *   P0,7,5,3,0,1,0           one line per process: its name, its maximum
 *   …                        claim of each resource, then what it holds
 * Names are letters, digits, '_', '-' or '.', unique, not "available".
 *
 * JSON: {"available": [3, 3, 2],
 *        "processes": [{"name": "P0", "max": [7, 5, 3], "allocation": [0, 1, 0]}, …]}
 * Other top-level members are ignored.
 *
 * Malformed input (wrong counts, negative or non-numbers, values above
 * PTL_BANKERS_VALUE_MAX, allocation above maximum, a missing section,
 * too many processes or resources) gives PTL_ERROR_INVALID_FILE naming
 * the line and column (CSV; columns count characters from 1) or the JSON
 * path (json-glib names line and column of a syntax error). */
PtlBankersState    *ptl_bankers_state_new_from_csv  (const char            *data,
                                                     gssize                 len,
                                                     GError               **error);
PtlBankersState    *ptl_bankers_state_new_from_json (const char            *data,
                                                     gssize                 len,
                                                     GError               **error);
/* By extension (.csv or .json); otherwise JSON if the text starts with
 * '{'. Regular files only. Errors start with the file's name. */
PtlBankersState    *ptl_bankers_state_load          (const char            *path,
                                                     GError               **error);
char               *ptl_bankers_state_to_csv        (const PtlBankersState *self);
char               *ptl_bankers_state_to_json       (const PtlBankersState *self);
/* Atomic save, the format by extension; PTL_ERROR_UNSUPPORTED_FORMAT for
 * a name ending neither in .csv nor .json. */
gboolean            ptl_bankers_state_save          (const PtlBankersState *self,
                                                     const char            *path,
                                                     GError               **error);

/* Built-in examples from the common textbooks, each with the requests its
 * book makes of it (a text for ptl_bankers_parse_requests (), "" for
 * none):
 *   silberschatz  Silberschatz, Galvin & Gagne, Operating System Concepts,
 *                 §7.5.3: 5 processes, 3 resources
 *   tanenbaum     Tanenbaum, Modern Operating Systems, fig. 6-12 (6-21 in
 *                 later editions): 5 processes A–E, 4 resources
 *   single        Tanenbaum's one-resource example, fig. 6-9 (a): safe
 *   unsafe        the same after one more unit goes to A, fig. 6-9 (b) */
const char * const *ptl_bankers_list_examples       (void);
PtlBankersState    *ptl_bankers_state_new_example   (const char            *name,
                                                     const char           **requests);
/* A random state, the same for the same (n, m, seed) on every machine:
 * maxima 0–9 per resource, and allocations the banker granted to random
 * requests from the empty state, so the state is safe. @requests gets up
 * to three random requests, none of nothing, that together stay within
 * each requester's need (free with g_free ()). */
PtlBankersState    *ptl_bankers_state_generate      (guint                  n_processes,
                                                     guint                  n_resources,
                                                     guint32                seed,
                                                     char                 **requests);

G_END_DECLS
