/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-bankers-state.h"

G_BEGIN_DECLS

/* The safety algorithm's trace. The convention (the one whose sequences
 * the textbooks print): scan the processes in index order; each whose
 * need ≤ work when the scan reaches it finishes there and then, adding
 * its allocation to work, and the scan goes on with the next process,
 * wrapping round, until a whole round finds no process that can finish.
 * Silberschatz's example gives <P1, P3, P4, P0, P2> this way; restarting
 * from P0 after each finish would give <P1, P3, P0, P2, P4>, also safe. */
typedef struct
{
  gboolean safe;       /* every process could finish */
  guint    n_finished; /* order[0 … n_finished−1] */
  guint    order[PTL_BANKERS_MAX_PROCESSES];
  /* work[k × m + r]: resource r of the work vector after k processes
   * finished (k = 0 is the available vector). */
  gint64   work[(PTL_BANKERS_MAX_PROCESSES + 1) * PTL_BANKERS_MAX_RESOURCES];
} PtlBankersSafety;

void                ptl_bankers_check_safety         (const PtlBankersState *state,
                                                      PtlBankersSafety      *safety);

typedef enum
{
  PTL_BANKERS_GRANTED,             /* the state changed */
  PTL_BANKERS_EXCEEDS_NEED,        /* an error: more than its declared claim */
  PTL_BANKERS_EXCEEDS_AVAILABLE,   /* must wait until others release */
  PTL_BANKERS_UNSAFE,              /* must wait: granting would leave the state unsafe */
} PtlBankersOutcome;

typedef struct
{
  guint  process;
  gint64 amount[PTL_BANKERS_MAX_RESOURCES];
} PtlBankersRequest;

/* The resource-request algorithm. Grants @request by changing @state, or
 * leaves @state as it was. @safety (may be NULL) gets the safety check
 * of the state the request would lead to, when it came to that check
 * (granted or PTL_BANKERS_UNSAFE). */
PtlBankersOutcome   ptl_bankers_request              (PtlBankersState         *state,
                                                      const PtlBankersRequest *request,
                                                      PtlBankersSafety        *safety);
/* "granted", "exceeds its need", … (translated). */
const char         *ptl_bankers_outcome_describe     (PtlBankersOutcome        outcome);

/* Parses "P1:1,0,2; P4:3,3,0" against @state: requests separated by ';'
 * (or new lines), each a process name, ':' and one amount per resource.
 * Blank text is no requests. Errors are PTL_ERROR_INVALID_PARAMETER
 * naming the column (characters from 1) and what was expected. An array
 * of PtlBankersRequest. */
GArray             *ptl_bankers_parse_requests       (const PtlBankersState   *state,
                                                      const char              *text,
                                                      GError                 **error);
/* "P1 (1, 0, 2)" */
char               *ptl_bankers_request_describe     (const PtlBankersState   *state,
                                                      const PtlBankersRequest *request);

G_END_DECLS
