/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PTL_TYPE_HISTORY_ITEM (ptl_history_item_get_type ())
G_DECLARE_FINAL_TYPE (PtlHistoryItem, ptl_history_item, PTL, HISTORY_ITEM, GObject)

/* One saved run as the History view lists it: what the store's listing
 * gives, nothing of the run's charts. @title is the experiment's title
 * (its id when this lab does not know it). */
PtlHistoryItem *ptl_history_item_new            (gint64          id,
                                                 gint64          created,
                                                 const char     *experiment,
                                                 const char     *title,
                                                 const char     *label,
                                                 const char     *machine,
                                                 const char     *headline);
gint64          ptl_history_item_get_id         (PtlHistoryItem *self);
gint64          ptl_history_item_get_created    (PtlHistoryItem *self);
const char     *ptl_history_item_get_experiment (PtlHistoryItem *self);
const char     *ptl_history_item_get_title      (PtlHistoryItem *self);
const char     *ptl_history_item_get_label      (PtlHistoryItem *self);
const char     *ptl_history_item_get_machine    (PtlHistoryItem *self);
const char     *ptl_history_item_get_headline   (PtlHistoryItem *self);
/* "2026-12-07 20:15", local time. */
char           *ptl_history_item_dup_date       (PtlHistoryItem *self);
void            ptl_history_item_set_label      (PtlHistoryItem *self,
                                                 const char     *label);
/* Whether every one of @words (casefolded) is in the title, label,
 * machine, headline or date. */
gboolean        ptl_history_item_matches        (PtlHistoryItem *self,
                                                 char          **words);

G_END_DECLS
