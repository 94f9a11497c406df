/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-history-item"

#include "config.h"

#include <string.h>

#include "ptl-history-item.h"
#include "ptl-store.h"

struct _PtlHistoryItem
{
  GObject parent_instance;

  /* owned */
  gint64  id;
  gint64  created;
  char   *experiment;
  char   *title;
  char   *label;
  char   *machine;
  char   *headline;
  char   *haystack; /* casefolded text the search looks in, made on the first search */
};

G_DEFINE_FINAL_TYPE (PtlHistoryItem, ptl_history_item, G_TYPE_OBJECT)

/* Made once per item on the first search, so listing ten thousand runs
 * formats and casefolds nothing, and typing casefolds nothing again. */
static const char *
ptl_history_item_get_haystack (PtlHistoryItem *self)
{
  if (self->haystack == NULL)
    {
      g_autofree char *date = ptl_history_item_dup_date (self);
      g_autofree char *text = g_strjoin ("\n", self->title, self->experiment, self->label, self->machine,
                                         self->headline, date, NULL);

      self->haystack = g_utf8_casefold (text, -1);
    }
  return self->haystack;
}

static void
ptl_history_item_finalize (GObject *object)
{
  PtlHistoryItem *self = PTL_HISTORY_ITEM (object);

  g_free (self->experiment);
  g_free (self->title);
  g_free (self->label);
  g_free (self->machine);
  g_free (self->headline);
  g_free (self->haystack);

  G_OBJECT_CLASS (ptl_history_item_parent_class)->finalize (object);
}

static void
ptl_history_item_class_init (PtlHistoryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_history_item_finalize;
}

static void
ptl_history_item_init (PtlHistoryItem *self)
{
}

PtlHistoryItem *
ptl_history_item_new (gint64      id,
                      gint64      created,
                      const char *experiment,
                      const char *title,
                      const char *label,
                      const char *machine,
                      const char *headline)
{
  PtlHistoryItem *self;

  g_return_val_if_fail (experiment != NULL, NULL);

  self = g_object_new (PTL_TYPE_HISTORY_ITEM, NULL);
  self->id = id;
  self->created = created;
  self->experiment = g_strdup (experiment);
  self->title = g_strdup (title ? title : experiment);
  self->label = g_strdup (label ? label : "");
  self->machine = g_strdup (machine ? machine : "");
  self->headline = g_strdup (headline ? headline : "");
  return self;
}

gint64
ptl_history_item_get_id (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), 0);
  return self->id;
}

gint64
ptl_history_item_get_created (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), 0);
  return self->created;
}

const char *
ptl_history_item_get_experiment (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), NULL);
  return self->experiment;
}

const char *
ptl_history_item_get_title (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), NULL);
  return self->title;
}

const char *
ptl_history_item_get_label (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), NULL);
  return self->label;
}

const char *
ptl_history_item_get_machine (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), NULL);
  return self->machine;
}

const char *
ptl_history_item_get_headline (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), NULL);
  return self->headline;
}

char *
ptl_history_item_dup_date (PtlHistoryItem *self)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), NULL);

  return ptl_store_format_created (self->created);
}

void
ptl_history_item_set_label (PtlHistoryItem *self,
                            const char     *label)
{
  g_return_if_fail (PTL_IS_HISTORY_ITEM (self));
  g_return_if_fail (label != NULL);

  g_free (self->label);
  self->label = g_strdup (label);
  g_clear_pointer (&self->haystack, g_free);
}

gboolean
ptl_history_item_matches (PtlHistoryItem  *self,
                          char           **words)
{
  g_return_val_if_fail (PTL_IS_HISTORY_ITEM (self), FALSE);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (strstr (ptl_history_item_get_haystack (self), words[i]) == NULL)
      return FALSE;
  return TRUE;
}
