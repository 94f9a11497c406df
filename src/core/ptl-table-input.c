/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-table-input"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ptl-table-input.h"

/* Cells are kept as the text the user typed, so an editor shows back
 * exactly what was entered; numbers are parsed on validation. */

struct _PtlTableInput
{
  GObject             parent_instance;

  /* borrowed: static */
  const PtlTableSpec *spec;
  /* owned: per sheet, a GPtrArray of rows, each a GStrv of n_columns */
  GPtrArray          *sheets;
};

G_DEFINE_FINAL_TYPE (PtlTableInput, ptl_table_input, G_TYPE_OBJECT)

static char **
row_get (PtlTableInput *self,
         guint          sheet,
         guint          row)
{
  GPtrArray *rows = g_ptr_array_index (self->sheets, sheet);

  return g_ptr_array_index (rows, row);
}

/* Splits an INTEGERS cell into its items; ' ' as separator also takes
 * ',' and runs of blanks. */
static char **
split_items (const PtlTableColumn *column,
             const char           *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;

  if (column->separator != ' ')
    {
      char separator[2] = { column->separator, '\0' };

      return g_strsplit (text, separator, -1);
    }
  items = g_strsplit_set (text, " ,\t", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (items[i][0] != '\0')
      g_strv_builder_add (builder, items[i]);
  return g_strv_builder_end (builder);
}

static gboolean
parse_integer (const PtlTableColumn  *column,
               const char            *text,
               gint64                *value,
               GError               **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  char minimum[32], maximum[32];

  if (g_ascii_string_to_signed (stripped, 10, column->minimum, column->maximum, value, NULL))
    return TRUE;
  g_snprintf (minimum, sizeof minimum, "%" PRId64, column->minimum);
  g_snprintf (maximum, sizeof maximum, "%" PRId64, column->maximum);
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
               _("expected a whole number from %s to %s, found “%s”"), minimum, maximum, text);
  return FALSE;
}

static gboolean
check_cell (const PtlTableColumn  *column,
            const char            *text,
            GError               **error)
{
  g_auto(GStrv) items = NULL;
  gint64 value;

  switch (column->type)
    {
    case PTL_TABLE_COLUMN_TEXT:
      {
        g_autofree char *stripped = g_strstrip (g_strdup (text));

        if (*stripped == '\0')
          {
            g_set_error_literal (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                                 _("expected a non-empty text"));
            return FALSE;
          }
        for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
          if (g_unichar_iscntrl (g_utf8_get_char (p)))
            {
              g_set_error_literal (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                                   _("expected a text without control characters or line breaks"));
              return FALSE;
            }
        return TRUE;
      }
    case PTL_TABLE_COLUMN_INTEGER:
      return parse_integer (column, text, &value, error);
    case PTL_TABLE_COLUMN_INTEGERS:
      items = split_items (column, text);
      if (items[0] == NULL)
        {
          g_set_error_literal (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                               _("expected at least one whole number"));
          return FALSE;
        }
      for (guint i = 0; items[i] != NULL; i++)
        {
          g_autoptr(GError) item_error = NULL;

          if (!parse_integer (column, items[i], &value, &item_error))
            {
              /* TRANSLATORS: "item 2: expected a whole number from 1 to …" */
              g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                           _("item %u: %s"), i + 1, item_error->message);
              return FALSE;
            }
        }
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static void
ptl_table_input_finalize (GObject *object)
{
  PtlTableInput *self = PTL_TABLE_INPUT (object);

  g_clear_pointer (&self->sheets, g_ptr_array_unref);

  G_OBJECT_CLASS (ptl_table_input_parent_class)->finalize (object);
}

static void
ptl_table_input_class_init (PtlTableInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_table_input_finalize;
}

static void
ptl_table_input_init (PtlTableInput *self)
{
  self->sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

PtlTableInput *
ptl_table_input_new (const PtlTableSpec *spec)
{
  PtlTableInput *self;

  g_return_val_if_fail (spec != NULL && spec->n_sheets > 0, NULL);

  self = g_object_new (PTL_TYPE_TABLE_INPUT, NULL);
  self->spec = spec;
  for (guint s = 0; s < spec->n_sheets; s++)
    g_ptr_array_add (self->sheets, g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev));
  return self;
}

PtlTableInput *
ptl_table_input_copy (PtlTableInput *self)
{
  PtlTableInput *copy;

  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), NULL);

  copy = ptl_table_input_new (self->spec);
  for (guint s = 0; s < self->spec->n_sheets; s++)
    {
      GPtrArray *rows = g_ptr_array_index (self->sheets, s);

      for (guint r = 0; r < rows->len; r++)
        g_ptr_array_add (g_ptr_array_index (copy->sheets, s), g_strdupv (g_ptr_array_index (rows, r)));
    }
  return copy;
}

const PtlTableSpec *
ptl_table_input_get_spec (PtlTableInput *self)
{
  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), NULL);

  return self->spec;
}

guint
ptl_table_input_get_n_rows (PtlTableInput *self,
                            guint          sheet)
{
  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), 0);
  g_return_val_if_fail (sheet < self->spec->n_sheets, 0);

  return ((GPtrArray *) g_ptr_array_index (self->sheets, sheet))->len;
}

const char *
ptl_table_input_get_text (PtlTableInput *self,
                          guint          sheet,
                          guint          row,
                          guint          column)
{
  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), NULL);
  g_return_val_if_fail (row < ptl_table_input_get_n_rows (self, sheet), NULL);
  g_return_val_if_fail (column < self->spec->sheets[sheet].n_columns, NULL);

  return row_get (self, sheet, row)[column];
}

void
ptl_table_input_set_text (PtlTableInput *self,
                          guint          sheet,
                          guint          row,
                          guint          column,
                          const char    *text)
{
  char **cells;

  g_return_if_fail (PTL_IS_TABLE_INPUT (self));
  g_return_if_fail (row < ptl_table_input_get_n_rows (self, sheet));
  g_return_if_fail (column < self->spec->sheets[sheet].n_columns);
  g_return_if_fail (text != NULL);

  cells = row_get (self, sheet, row);
  g_free (cells[column]);
  cells[column] = g_strdup (text);
}

void
ptl_table_input_set_integer (PtlTableInput *self,
                             guint          sheet,
                             guint          row,
                             guint          column,
                             gint64         value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" PRId64, value);
  ptl_table_input_set_text (self, sheet, row, column, text);
}

void
ptl_table_input_set_integers (PtlTableInput *self,
                              guint          sheet,
                              guint          row,
                              guint          column,
                              const gint64  *values,
                              guint          n_values)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char separator;

  g_return_if_fail (PTL_IS_TABLE_INPUT (self));
  g_return_if_fail (sheet < self->spec->n_sheets && column < self->spec->sheets[sheet].n_columns);

  separator = self->spec->sheets[sheet].columns[column].separator;
  for (guint i = 0; i < n_values; i++)
    {
      if (i > 0)
        g_string_append_c (text, separator);
      g_string_append_printf (text, "%" PRId64, values[i]);
    }
  ptl_table_input_set_text (self, sheet, row, column, text->str);
}

guint
ptl_table_input_append_row (PtlTableInput *self,
                            guint          sheet,
                            gboolean       fill)
{
  GPtrArray *rows;
  guint n_columns;
  char **cells;

  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), 0);
  g_return_val_if_fail (sheet < self->spec->n_sheets, 0);

  n_columns = self->spec->sheets[sheet].n_columns;
  cells = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    cells[c] = g_strdup ("");
  rows = g_ptr_array_index (self->sheets, sheet);
  g_ptr_array_add (rows, cells);
  if (fill && self->spec->fill_new_row != NULL)
    self->spec->fill_new_row (self, sheet);
  return rows->len - 1;
}

void
ptl_table_input_remove_row (PtlTableInput *self,
                            guint          sheet,
                            guint          row)
{
  g_return_if_fail (PTL_IS_TABLE_INPUT (self));
  g_return_if_fail (row < ptl_table_input_get_n_rows (self, sheet));

  g_ptr_array_remove_index (g_ptr_array_index (self->sheets, sheet), row);
}

const char *
ptl_table_input_get_row_label (PtlTableInput *self,
                               guint          sheet,
                               guint          row)
{
  const PtlTableSheet *info;

  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), NULL);
  g_return_val_if_fail (row < ptl_table_input_get_n_rows (self, sheet), NULL);

  info = &self->spec->sheets[sheet];
  for (guint c = 0; c < info->n_columns; c++)
    if (info->columns[c].type == PTL_TABLE_COLUMN_TEXT)
      return row_get (self, sheet, row)[c];
  return _(info->title);
}

gboolean
ptl_table_input_validate (PtlTableInput  *self,
                          PtlTableCell   *at,
                          GError        **error)
{
  PtlTableCell local_at = { 0 };

  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (at == NULL)
    at = &local_at;
  for (guint s = 0; s < self->spec->n_sheets; s++)
    {
      const PtlTableSheet *sheet = &self->spec->sheets[s];
      guint n_rows = ptl_table_input_get_n_rows (self, s);

      for (guint r = 0; r < n_rows; r++)
        for (guint c = 0; c < sheet->n_columns; c++)
          if (!sheet->columns[c].read_only &&
              !check_cell (&sheet->columns[c], row_get (self, s, r)[c], error))
            {
              *at = (PtlTableCell) { s, r, c };
              return FALSE;
            }
    }
  if (self->spec->check != NULL && !self->spec->check (self, at, error))
    return FALSE;
  if (self->spec->derive != NULL)
    self->spec->derive (self);
  return TRUE;
}

char **
ptl_table_input_dup_item_names (PtlTableInput *self)
{
  g_return_val_if_fail (PTL_IS_TABLE_INPUT (self), NULL);

  if (self->spec->dup_item_names == NULL)
    return NULL;
  return self->spec->dup_item_names (self);
}

char *
ptl_table_input_dup_item (PtlTableInput *self,
                          guint          sheet,
                          guint          row,
                          guint          column,
                          guint          item)
{
  const char *text = ptl_table_input_get_text (self, sheet, row, column);
  const PtlTableColumn *info;
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  info = &self->spec->sheets[sheet].columns[column];
  g_return_val_if_fail (info->type == PTL_TABLE_COLUMN_INTEGERS, NULL);

  items = split_items (info, text);
  if (item >= g_strv_length (items))
    return g_strdup ("");
  return g_strstrip (g_strdup (items[item]));
}

gboolean
ptl_table_input_set_item (PtlTableInput  *self,
                          guint           sheet,
                          guint           row,
                          guint           column,
                          guint           item,
                          const char     *text,
                          GError        **error)
{
  const char *cell = ptl_table_input_get_text (self, sheet, row, column);
  const PtlTableColumn *info;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) items = NULL;
  g_auto(GStrv) joined_items = NULL;
  g_autofree char *joined = NULL;
  char separator[2];
  guint n_items;
  gint64 value;

  g_return_val_if_fail (cell != NULL && text != NULL, FALSE);
  info = &self->spec->sheets[sheet].columns[column];
  g_return_val_if_fail (info->type == PTL_TABLE_COLUMN_INTEGERS, FALSE);
  items = split_items (info, cell);
  n_items = g_strv_length (items);
  g_return_val_if_fail (item <= n_items, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One item, one number: a blank or a separator here would shift the
   * items after it into other resources' places. */
  if (!parse_integer (info, text, &value, error))
    return FALSE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < MAX (n_items, item + 1); i++)
    {
      g_autofree char *number = i == item ? g_strdup_printf ("%" PRId64, value) : NULL;

      g_strv_builder_add (builder, number != NULL ? number : g_strstrip (items[i]));
    }
  joined_items = g_strv_builder_end (builder);
  separator[0] = info->separator;
  separator[1] = '\0';
  joined = g_strjoinv (separator, joined_items);
  ptl_table_input_set_text (self, sheet, row, column, joined);
  return TRUE;
}

gint64
ptl_table_input_get_integer (PtlTableInput *self,
                             guint          sheet,
                             guint          row,
                             guint          column)
{
  const char *text = ptl_table_input_get_text (self, sheet, row, column);

  g_return_val_if_fail (text != NULL, 0);

  return g_ascii_strtoll (text, NULL, 10);
}

GArray *
ptl_table_input_dup_integers (PtlTableInput *self,
                              guint          sheet,
                              guint          row,
                              guint          column)
{
  const char *text = ptl_table_input_get_text (self, sheet, row, column);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (text != NULL, values);

  items = split_items (&self->spec->sheets[sheet].columns[column], text);
  for (guint i = 0; items[i] != NULL; i++)
    {
      gint64 value = g_ascii_strtoll (items[i], NULL, 10);

      g_array_append_val (values, value);
    }
  return values;
}
