/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-result"

#include "config.h"

#include <math.h>

#include "ptl-result-private.h"
#include "ptl-stats.h"

static void
cell_clear (gpointer data)
{
  Cell *cell = data;

  g_free (cell->text);
}

GArray *
_ptl_table_row_new (guint n_columns)
{
  GArray *row = g_array_sized_new (FALSE, TRUE, sizeof (Cell), n_columns);

  g_array_set_clear_func (row, cell_clear);
  g_array_set_size (row, n_columns);
  for (guint i = 0; i < n_columns; i++)
    g_array_index (row, Cell, i).number = NAN;
  return row;
}

PtlTable *
_ptl_table_new (PtlResult *owner)
{
  PtlTable *table = g_new0 (PtlTable, 1);

  table->owner = owner;
  table->column_names = g_ptr_array_new_with_free_func (g_free);
  table->column_ids = g_ptr_array_new_with_free_func (g_free);
  table->row_ids = g_ptr_array_new_with_free_func (g_free);
  table->column_units = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  return table;
}

void
_ptl_table_free (PtlTable *table)
{
  g_ptr_array_unref (table->column_names);
  g_ptr_array_unref (table->column_ids);
  g_ptr_array_unref (table->row_ids);
  g_ptr_array_unref (table->column_units);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

guint
ptl_table_add_column (PtlTable   *table,
                      const char *name,
                      const char *unit)
{
  return ptl_table_add_column_with_id (table, name, name, unit);
}

guint
ptl_table_add_column_with_id (PtlTable   *table,
                              const char *id,
                              const char *name,
                              const char *unit)
{
  guint column;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (id != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&table->owner->mutex);
  column = table->column_names->len;
  g_ptr_array_add (table->column_ids, g_strdup (id));
  g_ptr_array_add (table->column_names, g_strdup (name));
  g_ptr_array_add (table->column_units, g_strdup (unit ? unit : ""));
  for (guint i = 0; i < table->rows->len; i++)
    {
      GArray *row = g_ptr_array_index (table->rows, i);
      Cell cell = { FALSE, NAN, NULL };

      g_array_append_val (row, cell);
    }
  g_mutex_unlock (&table->owner->mutex);
  return column;
}

guint
ptl_table_add_row (PtlTable *table)
{
  return ptl_table_add_row_with_id (table, "");
}

guint
ptl_table_add_row_with_id (PtlTable   *table,
                           const char *id)
{
  guint row;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (id != NULL, 0);

  g_mutex_lock (&table->owner->mutex);
  row = table->rows->len;
  g_ptr_array_add (table->rows, _ptl_table_row_new (table->column_names->len));
  g_ptr_array_add (table->row_ids, g_strdup (id));
  g_mutex_unlock (&table->owner->mutex);
  return row;
}

static Cell *
table_cell (PtlTable *table,
            guint     row,
            guint     column)
{
  if (row >= table->rows->len || column >= table->column_names->len)
    return NULL;
  return &g_array_index ((GArray *) g_ptr_array_index (table->rows, row), Cell, column);
}

int
ptl_table_find_row (PtlTable   *table,
                    const char *id)
{
  g_return_val_if_fail (table != NULL, -1);
  g_return_val_if_fail (id != NULL, -1);

  for (guint i = 0; i < table->rows->len; i++)
    {
      const char *row_id = g_ptr_array_index (table->row_ids, i);
      const Cell *first = table->column_names->len > 0 ? table_cell (table, i, 0) : NULL;

      if (*row_id != '\0' ? strcmp (row_id, id) == 0 : (first != NULL && g_strcmp0 (first->text, id) == 0))
        return i;
    }
  return -1;
}

void
ptl_table_set_text (PtlTable   *table,
                    guint       row,
                    guint       column,
                    const char *text)
{
  Cell *cell;

  g_return_if_fail (table != NULL);

  g_mutex_lock (&table->owner->mutex);
  cell = table_cell (table, row, column);
  if (cell != NULL)
    {
      g_free (cell->text);
      cell->text = g_strdup (text);
      cell->is_number = FALSE;
      cell->number = NAN;
    }
  g_mutex_unlock (&table->owner->mutex);
  g_return_if_fail (cell != NULL);
}

void
ptl_table_set_number (PtlTable *table,
                      guint     row,
                      guint     column,
                      double    value)
{
  Cell *cell;

  g_return_if_fail (table != NULL);

  g_mutex_lock (&table->owner->mutex);
  cell = table_cell (table, row, column);
  if (cell != NULL)
    {
      g_clear_pointer (&cell->text, g_free);
      cell->is_number = TRUE;
      cell->number = value;
    }
  g_mutex_unlock (&table->owner->mutex);
  g_return_if_fail (cell != NULL);
}

guint
ptl_table_get_n_rows (PtlTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->rows->len;
}

guint
ptl_table_get_n_columns (PtlTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->column_names->len;
}

int
ptl_table_find_column (PtlTable   *table,
                       const char *id)
{
  g_return_val_if_fail (table != NULL, -1);

  for (guint i = 0; i < table->column_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (table->column_ids, i), id) == 0)
      return i;
  return -1;
}

const char *
ptl_table_get_column_id (PtlTable *table,
                         guint     column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->column_ids->len, NULL);
  return g_ptr_array_index (table->column_ids, column);
}

const char *
ptl_table_get_column_name (PtlTable *table,
                           guint     column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->column_names->len, NULL);
  return g_ptr_array_index (table->column_names, column);
}

const char *
ptl_table_get_column_unit (PtlTable *table,
                           guint     column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->column_units->len, NULL);
  return g_ptr_array_index (table->column_units, column);
}

gboolean
ptl_table_cell_is_number (PtlTable *table,
                          guint     row,
                          guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, FALSE);
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, FALSE);
  return cell->is_number;
}

double
ptl_table_get_number (PtlTable *table,
                      guint     row,
                      guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, NAN);
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, NAN);
  return cell->number;
}

const char *
ptl_table_get_text (PtlTable *table,
                    guint     row,
                    guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, NULL);
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, NULL);
  return cell->text;
}

char *
ptl_table_format_cell (PtlTable *table,
                       guint     row,
                       guint     column)
{
  Cell *cell;

  g_return_val_if_fail (table != NULL, g_strdup (""));
  cell = table_cell (table, row, column);
  g_return_val_if_fail (cell != NULL, g_strdup (""));

  if (cell->is_number)
    return ptl_format_value (cell->number, ptl_table_get_column_unit (table, column));
  return g_strdup (cell->text ? cell->text : "");
}

guint
ptl_text_get_columns (const char *text)
{
  guint columns = 0;

  g_return_val_if_fail (text != NULL, 0);

  /* A terminal shows Hangul and other wide characters in two columns and
   * combining marks in none, so bytes and characters both misalign them. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        columns += g_unichar_iswide (c) ? 2 : 1;
    }
  return columns;
}

char *
ptl_table_format_text (PtlTable *table)
{
  guint n_columns, n_rows;
  g_autofree guint *widths = NULL;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (table != NULL, NULL);

  n_columns = ptl_table_get_n_columns (table);
  n_rows = ptl_table_get_n_rows (table);
  widths = g_new0 (guint, MAX (n_columns, 1));

  for (guint c = 0; c < n_columns; c++)
    widths[c] = ptl_text_get_columns (ptl_table_get_column_name (table, c));
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        char *text = ptl_table_format_cell (table, r, c);

        widths[c] = MAX (widths[c], ptl_text_get_columns (text));
        g_ptr_array_add (cells, text);
      }

  for (guint r = 0; r <= n_rows; r++)
    {
      gsize line_start = out->len;

      for (guint c = 0; c < n_columns; c++)
        {
          const char *text = r == 0 ? ptl_table_get_column_name (table, c)
                                    : g_ptr_array_index (cells, (r - 1) * n_columns + c);
          guint pad = widths[c] - ptl_text_get_columns (text);
          gboolean numeric = FALSE;

          /* Numeric columns (header included) right-aligned, text left. */
          for (guint i = 0; i < n_rows && !numeric; i++)
            numeric = ptl_table_cell_is_number (table, i, c);

          if (c > 0)
            g_string_append (out, "  ");
          if (numeric)
            for (guint i = 0; i < pad; i++)
              g_string_append_c (out, ' ');
          g_string_append (out, text);
          if (!numeric)
            for (guint i = 0; i < pad; i++)
              g_string_append_c (out, ' ');
        }
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}
