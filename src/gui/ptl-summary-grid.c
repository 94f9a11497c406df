/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-summary-grid"

#include "config.h"

#include "ptl-summary-grid.h"

static GtkWidget *
create_cell (const char *text,
             gboolean    numeric,
             gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  if (heading)
    {
      /* Headings are longer than their numbers ("average turnaround"
       * over "20.2 ms"): they wrap, so the columns are as narrow as the
       * data, and stand on the bottom line like one-line ones. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
      gtk_label_set_justify (GTK_LABEL (label), numeric ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
      gtk_widget_add_css_class (label, "heading");
    }
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

void
ptl_summary_grid_fill (GtkGrid  *grid,
                       PtlTable *table)
{
  guint n_rows = table ? ptl_table_get_n_rows (table) : 0;
  guint n_columns = table ? ptl_table_get_n_columns (table) : 0;
  GtkWidget *child;

  g_return_if_fail (GTK_IS_GRID (grid));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);

  for (guint column = 0; column < n_columns; column++)
    {
      gboolean numeric = FALSE;

      /* Cells are already formatted with their unit, so the heading is the
       * column's name alone; numbers line up on the right. */
      for (guint row = 0; row < n_rows && !numeric; row++)
        numeric = ptl_table_cell_is_number (table, row, column);

      gtk_grid_attach (grid, create_cell (ptl_table_get_column_name (table, column), numeric, TRUE),
                       column, 0, 1, 1);

      for (guint row = 0; row < n_rows; row++)
        {
          g_autofree char *text = ptl_table_format_cell (table, row, column);

          gtk_grid_attach (grid, create_cell (text, numeric, FALSE), column, row + 2, 1, 1);
        }
    }

  if (n_columns > 0)
    gtk_grid_attach (grid, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, 1, n_columns, 1);
}
