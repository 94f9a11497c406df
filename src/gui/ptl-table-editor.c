/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-table-editor"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ptl-sideways-scroller.h"
#include "ptl-table-editor.h"

/* The table an experiment takes as input (a scheduling workload, a
 * banker's state), edited in place and built from what the experiment
 * class declares (PtlTableSpec): one list per sheet, one entry per cell
 * (per item of a split vector, under the column's title and the items'
 * names), the columns' titles, tooltips and widths, and buttons for the
 * presets. A sheet wider than the sidebar scrolls sideways.
 * The experiment's parameter stays the one truth: the sheets show what it
 * names (a preset or a file), and every accepted edit is saved to the
 * user's own file and the parameter pointed at it, so the CLI, the saved
 * settings and the result's parameters all describe what ran. A refused
 * cell keeps its text with the error style until it loses the focus; the
 * table does not change. */

/* More rows than this make the sidebar slow to build and to scroll, and
 * nobody edits them by hand: the rest are counted, not shown. */
#define MAX_ROWS 100

/* Where the shown table came from, for the group's description. */
typedef enum
{
  SOURCE_NONE,
  SOURCE_PRESET,
  SOURCE_FILE,
  SOURCE_OWN_FILE,
} Source;

/* The widgets of one sheet. */
typedef struct
{
  GtkWidget  *scroller;   /* the header and the list, scrolled sideways */
  GtkWidget  *header_box;
  GtkListBox *list;
  /* one per column, then one for the remove buttons */
  GPtrArray  *size_groups;
} Sheet;

struct _PtlTableEditor
{
  AdwBin              parent_instance;

  /* template widgets */
  GtkLabel            *source_label;
  GtkBox              *sheets_box;
  GtkLabel            *message_label;
  GtkLabel            *help_label;
  GtkLabel            *presets_title_label;
  GtkLabel            *presets_label;
  GtkFlowBox          *presets_box;

  /* owned */
  PtlExperiment       *experiment;
  PtlTableInput       *input;
  GArray              *sheets;   /* of Sheet, one per sheet of spec */
  GtkNativeDialog     *dialog;   /* the open import or export chooser */
  char                *message;
  char               **item_names; /* of the split columns, as the rows show them */

  /* borrowed: static, the experiment class's */
  const PtlTableSpec  *spec;

  Source               source;
  guint                syncing;  /* > 0 while cells are filled from the input */
  guint                applying; /* > 0 while the editor sets the parameter */
};

enum {
  PROP_0,
  PROP_EXPERIMENT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlTableEditor, ptl_table_editor, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void ptl_table_editor_rebuild_rows (PtlTableEditor *self);

static void
sheet_clear (Sheet *sheet)
{
  g_clear_pointer (&sheet->size_groups, g_ptr_array_unref);
}

static char *
dup_display_path (const char *path)
{
  g_autofree char *display = g_filename_display_name (path);
  const char *home = g_get_home_dir ();
  gsize home_len = strlen (home);

  if (home_len > 1 && g_str_has_prefix (display, home) && display[home_len] == G_DIR_SEPARATOR)
    return g_strconcat ("~", display + home_len, NULL);
  return g_steal_pointer (&display);
}

/* Import and export go through the loaders and savers, which take paths. */
static char *
dup_local_path (GFile   *file,
                GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("“%s” is not a local file"), uri);
    }
  return path;
}

static const char *
find_preset_label (const PtlTableSpec *spec,
                   const char         *value)
{
  for (const PtlTablePreset *preset = spec->presets; preset->value != NULL; preset++)
    if (g_str_equal (preset->value, value))
      return _(preset->label);
  return value;
}

/* Messages */

static void
ptl_table_editor_toast (PtlTableEditor *self,
                        const char     *message)
{
  g_autofree char *escaped = NULL;
  GtkWidget *overlay;
  AdwToast *toast;

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
ptl_table_editor_set_message (PtlTableEditor *self,
                              const char     *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* Under the table, where it stays, and in a toast, which is seen. */
static void
ptl_table_editor_show_error (PtlTableEditor *self,
                             const char     *heading,
                             const GError   *error)
{
  /* TRANSLATORS: a heading and an error message, e.g. "Could not import: line 3, column 2 …" */
  g_autofree char *text = g_strdup_printf (_("%s: %s"), heading, error->message);

  ptl_table_editor_set_message (self, text);
  ptl_table_editor_toast (self, text);
}

/* State shown around the table */

static void
ptl_table_editor_update_actions (PtlTableEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.add", self->input != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.remove", self->input != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.preset", self->experiment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.import", self->experiment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.export", self->input != NULL);
}

static void
ptl_table_editor_update_description (PtlTableEditor *self)
{
  g_autofree char *value = NULL;
  g_autofree char *display = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->source_label), self->input != NULL);
  if (self->input == NULL)
    return;

  value = ptl_experiment_dup_param_text (self->experiment, self->spec->param);
  switch (self->source)
    {
    case SOURCE_PRESET:
      /* TRANSLATORS: %s is a preset, such as "Convoy" or "Silberschatz" */
      text = g_strdup_printf (_("From %s. Edit a cell to make it your own."),
                              find_preset_label (self->spec, value));
      break;
    case SOURCE_FILE:
      display = dup_display_path (value);
      text = g_strdup_printf (_("From %s. Edits are saved to a copy of your own."), display);
      break;
    case SOURCE_OWN_FILE:
      display = dup_display_path (value);
      text = g_strdup_printf (_("Your own, saved in %s."), display);
      break;
    case SOURCE_NONE:
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (self->source_label, text);
}

static void
ptl_table_editor_update_presets_label (PtlTableEditor *self)
{
  g_autofree char *text = NULL;

  if (self->spec != NULL && self->spec->describe_presets != NULL && self->experiment != NULL)
    text = self->spec->describe_presets (self->experiment);
  gtk_label_set_text (self->presets_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->presets_label), text != NULL);
}

/* Applying edits */

/* Saves @input to the user's own file and points the parameter at it.
 * The sheets are left as they are: a cell being typed in keeps its
 * cursor. */
static gboolean
ptl_table_editor_apply (PtlTableEditor  *self,
                        PtlTableInput   *input,
                        GError         **error)
{
  g_autofree char *path = ptl_table_editor_dup_path (self);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *before = NULL;
  gboolean changed;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  if (!self->spec->save (input, path, error))
    return FALSE;

  before = ptl_experiment_dup_param_text (self->experiment, self->spec->param);
  changed = g_strcmp0 (before, path) != 0;

  self->applying++;
  ok = ptl_experiment_set_param (self->experiment, self->spec->param, path, error);
  /* Same path, new contents: whoever checks the parameter (the form's
   * validation) must look again. */
  if (ok && !changed)
    g_object_notify (G_OBJECT (self->experiment), self->spec->param);
  self->applying--;
  if (!ok)
    return FALSE;

  g_set_object (&self->input, input);
  self->source = SOURCE_OWN_FILE;
  ptl_table_editor_update_description (self);
  ptl_table_editor_update_actions (self);
  return TRUE;
}

/* Shows what the parameter names now. */
static void
ptl_table_editor_reload (PtlTableEditor *self)
{
  g_autoptr(PtlTableInput) input = NULL;
  g_autoptr(GError) error = NULL;
  Source source = SOURCE_NONE;

  if (self->experiment != NULL)
    {
      g_autofree char *value = ptl_experiment_dup_param_text (self->experiment, self->spec->param);
      g_autofree char *own_path = ptl_table_editor_dup_path (self);

      input = self->spec->resolve (self->experiment, &error);
      /* What a file holds is checked as it loads; a table made by a
       * preset is checked here so the read-only columns are filled. */
      if (input != NULL && !ptl_table_input_validate (input, NULL, &error))
        g_clear_object (&input);
      if (self->spec->is_preset (self->experiment, value))
        source = SOURCE_PRESET;
      else
        source = g_strcmp0 (value, own_path) == 0 ? SOURCE_OWN_FILE : SOURCE_FILE;
    }

  g_set_object (&self->input, input);
  self->source = input != NULL ? source : SOURCE_NONE;

  /* The form says what is wrong with the parameter; the editor says why
   * its table is empty. */
  if (error != NULL)
    ptl_table_editor_show_error (self, _("Nothing to show"), error);
  else
    ptl_table_editor_set_message (self, NULL);

  ptl_table_editor_rebuild_rows (self);
  ptl_table_editor_update_description (self);
  ptl_table_editor_update_actions (self);
}

/* Cells */

static guint
cell_get_sheet (GtkWidget *cell)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "ptl-sheet"));
}

static guint
cell_get_column (GtkWidget *cell)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "ptl-column"));
}

/* TRUE for the entry of one item of a split vector, setting @item. */
static gboolean
cell_get_item (GtkWidget *cell,
               guint     *item)
{
  guint stored = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "ptl-item"));

  /* Stored one up: 0 is a whole cell. */
  if (stored == 0)
    return FALSE;
  *item = stored - 1;
  return TRUE;
}

/* What the input holds for @cell, a whole cell or one item. */
static char *
cell_dup_input_text (PtlTableEditor *self,
                     GtkWidget      *cell,
                     guint           row)
{
  guint sheet = cell_get_sheet (cell);
  guint column = cell_get_column (cell);
  guint item;

  if (cell_get_item (cell, &item))
    return ptl_table_input_dup_item (self->input, sheet, row, column, item);
  return g_strdup (ptl_table_input_get_text (self->input, sheet, row, column));
}

/* "Allocation" or, for an item, "Allocation B". */
static char *
cell_dup_title (PtlTableEditor *self,
                GtkWidget      *cell)
{
  const char *title = _(self->spec->sheets[cell_get_sheet (cell)].columns[cell_get_column (cell)].title);
  guint item;

  if (cell_get_item (cell, &item) && self->item_names != NULL && item < g_strv_length (self->item_names))
    return g_strdup_printf ("%s %s", title, self->item_names[item]);
  return g_strdup (title);
}

/* FALSE for a cell whose row was removed: it still emits (the focus
 * leaves it after removal) but stands for no row any more, and its row's
 * position is stale (GTK 4.8 keeps the freed list position). */
static gboolean
cell_get_row (PtlTableEditor *self,
              GtkWidget      *cell,
              guint          *index)
{
  GtkWidget *row = gtk_widget_get_ancestor (cell, GTK_TYPE_LIST_BOX_ROW);
  guint sheet = cell_get_sheet (cell);

  if (row == NULL || self->input == NULL || sheet >= self->sheets->len ||
      gtk_widget_get_parent (row) != GTK_WIDGET (g_array_index (self->sheets, Sheet, sheet).list))
    return FALSE;
  *index = (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  return *index < ptl_table_input_get_n_rows (self->input, sheet);
}

static void
cell_set_error (GtkWidget  *cell,
                const char *message)
{
  if (message != NULL)
    gtk_widget_add_css_class (cell, "error");
  else
    gtk_widget_remove_css_class (cell, "error");
  gtk_widget_set_tooltip_text (cell, message);
}

static void
ptl_table_editor_sync_read_only_in (PtlTableEditor *self,
                                    GtkWidget      *box,
                                    guint           row)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (box); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    if (GTK_IS_EDITABLE (cell) && !gtk_editable_get_editable (GTK_EDITABLE (cell)))
      {
        g_autofree char *text = cell_dup_input_text (self, cell, row);

        self->syncing++;
        gtk_editable_set_text (GTK_EDITABLE (cell), text);
        self->syncing--;
      }
    else if (GTK_IS_BOX (cell))
      /* A split vector's items. */
      ptl_table_editor_sync_read_only_in (self, cell, row);
}

/* The cells of read-only columns follow the others after every accepted
 * edit, without rebuilding the rows (which would take the focus). */
static void
ptl_table_editor_sync_read_only (PtlTableEditor *self)
{
  for (guint s = 0; s < self->sheets->len; s++)
    {
      GtkListBox *list = g_array_index (self->sheets, Sheet, s).list;
      guint n = MIN (ptl_table_input_get_n_rows (self->input, s), MAX_ROWS);

      for (guint r = 0; r < n; r++)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) r);

          ptl_table_editor_sync_read_only_in (self, gtk_list_box_row_get_child (row), r);
        }
    }
}

static void
ptl_table_editor_cell_changed_cb (PtlTableEditor *self,
                                  GtkEditable    *cell)
{
  g_autoptr(PtlTableInput) input = NULL;
  g_autoptr(GError) error = NULL;
  PtlTableCell at = { 0 };
  guint sheet, column, row, item;

  if (self->syncing > 0 || !cell_get_row (self, GTK_WIDGET (cell), &row))
    return;

  sheet = cell_get_sheet (GTK_WIDGET (cell));
  column = cell_get_column (GTK_WIDGET (cell));
  input = ptl_table_input_copy (self->input);
  if (cell_get_item (GTK_WIDGET (cell), &item))
    {
      if (!ptl_table_input_set_item (input, sheet, row, column, item, gtk_editable_get_text (cell), &error))
        {
          g_autofree char *title = cell_dup_title (self, GTK_WIDGET (cell));
          g_autofree char *message = g_strdup_printf (_("%s, %s: %s"),
                                                      ptl_table_input_get_row_label (input, sheet, row),
                                                      title, error->message);

          cell_set_error (GTK_WIDGET (cell), message);
          ptl_table_editor_set_message (self, message);
          return;
        }
    }
  else
    ptl_table_input_set_text (input, sheet, row, column, gtk_editable_get_text (cell));
  if (!ptl_table_input_validate (input, &at, &error))
    {
      const PtlTableSheet *info = &self->spec->sheets[at.sheet];
      const char *label = at.row < ptl_table_input_get_n_rows (input, at.sheet)
                          ? ptl_table_input_get_row_label (input, at.sheet, at.row) : _(info->title);
      /* TRANSLATORS: a row (a process's name), a column title and what
       * was expected, e.g. "P3, Arrival: expected a whole number…" */
      g_autofree char *message = g_strdup_printf (_("%s, %s: %s"), label,
                                                  _(info->columns[at.column].title), error->message);

      cell_set_error (GTK_WIDGET (cell), message);
      ptl_table_editor_set_message (self, message);
      return;
    }

  if (!ptl_table_editor_apply (self, input, &error))
    {
      cell_set_error (GTK_WIDGET (cell), error->message);
      ptl_table_editor_show_error (self, _("Could not save the table"), error);
      return;
    }
  cell_set_error (GTK_WIDGET (cell), NULL);
  ptl_table_editor_set_message (self, NULL);
  ptl_table_editor_sync_read_only (self);
}

/* Enter on a refused cell, or leaving it, puts the value that counts
 * back, so the table never shows what will not run, and says once more
 * why the text was refused, where it is seen. */
static void
ptl_table_editor_settle_cell (PtlTableEditor *self,
                              GtkWidget      *cell)
{
  g_autofree char *text = NULL;
  guint row;

  if (!gtk_widget_has_css_class (cell, "error") || !cell_get_row (self, cell, &row))
    return;

  if (self->message != NULL)
    ptl_table_editor_toast (self, self->message);

  text = cell_dup_input_text (self, cell, row);
  self->syncing++;
  gtk_editable_set_text (GTK_EDITABLE (cell), text);
  self->syncing--;
  cell_set_error (cell, NULL);
  ptl_table_editor_set_message (self, NULL);
}

static void
ptl_table_editor_cell_activate_cb (PtlTableEditor *self,
                                   GtkEntry       *cell)
{
  ptl_table_editor_settle_cell (self, GTK_WIDGET (cell));
}

static void
ptl_table_editor_cell_leave_cb (PtlTableEditor          *self,
                                GtkEventControllerFocus *focus)
{
  ptl_table_editor_settle_cell (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus)));
}

/* An entry for a whole cell (@item 0) or for item @item − 1 of a split
 * vector. */
static GtkWidget *
ptl_table_editor_create_entry (PtlTableEditor *self,
                               guint           sheet,
                               guint           row,
                               guint           column,
                               guint           item)
{
  const PtlTableColumn *info = &self->spec->sheets[sheet].columns[column];
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  GtkEventController *focus;
  GtkWidget *cell;

  cell = gtk_entry_new ();
  gtk_widget_set_name (cell, info->id);
  g_object_set_data (G_OBJECT (cell), "ptl-sheet", GUINT_TO_POINTER (sheet));
  g_object_set_data (G_OBJECT (cell), "ptl-column", GUINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (cell), "ptl-item", GUINT_TO_POINTER (item));
  text = item > 0 ? ptl_table_input_dup_item (self->input, sheet, row, column, item - 1)
                  : g_strdup (ptl_table_input_get_text (self->input, sheet, row, column));
  gtk_editable_set_text (GTK_EDITABLE (cell), text);
  gtk_editable_set_width_chars (GTK_EDITABLE (cell), info->width_chars);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (cell), info->width_chars);
  gtk_widget_set_tooltip_text (cell, _(info->tooltip));
  if (info->type != PTL_TABLE_COLUMN_TEXT)
    {
      gtk_widget_add_css_class (cell, "numeric");
      gtk_entry_set_input_purpose (GTK_ENTRY (cell), info->type == PTL_TABLE_COLUMN_INTEGER || item > 0
                                                     ? GTK_INPUT_PURPOSE_NUMBER
                                                     : GTK_INPUT_PURPOSE_FREE_FORM);
    }
  if (item > 0)
    gtk_editable_set_alignment (GTK_EDITABLE (cell), 0.5);
  title = cell_dup_title (self, cell);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  if (info->read_only)
    {
      /* Shown, selectable, not typed in: derived from the other cells. */
      gtk_editable_set_editable (GTK_EDITABLE (cell), FALSE);
      gtk_widget_set_can_focus (cell, FALSE);
      gtk_widget_add_css_class (cell, "dim-label");
      return cell;
    }

  g_signal_connect_object (cell, "changed",
                           G_CALLBACK (ptl_table_editor_cell_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cell, "activate",
                           G_CALLBACK (ptl_table_editor_cell_activate_cb), self,
                           G_CONNECT_SWAPPED);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave",
                           G_CALLBACK (ptl_table_editor_cell_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (cell, focus);
  return cell;
}

/* A split vector's items side by side, joined like one field; its
 * heading (ptl_table_editor_fill_header ()) spaces the names alike. */
static GtkWidget *
new_items_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_widget_add_css_class (box, "ptl-table-items");
  return box;
}

static GtkWidget *
ptl_table_editor_create_cell (PtlTableEditor *self,
                              guint           sheet,
                              guint           row,
                              guint           column)
{
  const PtlTableColumn *info = &self->spec->sheets[sheet].columns[column];
  Sheet *widgets = &g_array_index (self->sheets, Sheet, sheet);
  GtkWidget *cell;

  if (info->split)
    {
      guint n_items = self->item_names != NULL ? g_strv_length (self->item_names) : 0;

      cell = new_items_box ();
      gtk_widget_add_css_class (cell, "linked");
      gtk_widget_set_name (cell, info->id);
      for (guint i = 0; i < n_items; i++)
        gtk_box_append (GTK_BOX (cell), ptl_table_editor_create_entry (self, sheet, row, column, i + 1));
    }
  else
    cell = ptl_table_editor_create_entry (self, sheet, row, column, 0);
  gtk_widget_set_hexpand (cell, info->expand);
  gtk_size_group_add_widget (g_ptr_array_index (widgets->size_groups, column), cell);
  return cell;
}

/* The columns' titles; over a split column, the items' names under its
 * title. Rebuilt with the rows: the number of items may change. */
static void
ptl_table_editor_fill_header (PtlTableEditor *self,
                              guint           sheet)
{
  const PtlTableSheet *info = &self->spec->sheets[sheet];
  Sheet *widgets = &g_array_index (self->sheets, Sheet, sheet);
  gboolean any_split = FALSE;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widgets->header_box)) != NULL)
    gtk_box_remove (GTK_BOX (widgets->header_box), child);

  for (guint c = 0; c < info->n_columns; c++)
    any_split |= info->columns[c].split;

  for (guint c = 0; c <= info->n_columns; c++)
    {
      const PtlTableColumn *column = c < info->n_columns ? &info->columns[c] : NULL;
      GtkWidget *heading = gtk_label_new (column != NULL ? _(column->title) : NULL);
      GtkWidget *cell = heading;

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "caption-heading");
      if (column != NULL && column->split && self->item_names != NULL)
        {
          GtkWidget *names = new_items_box ();

          gtk_label_set_xalign (GTK_LABEL (heading), 0.5);
          for (guint i = 0; self->item_names[i] != NULL; i++)
            {
              GtkWidget *name = gtk_label_new (self->item_names[i]);

              gtk_widget_add_css_class (name, "caption");
              gtk_widget_add_css_class (name, "dim-label");
              gtk_box_append (GTK_BOX (names), name);
            }
          cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
          gtk_box_append (GTK_BOX (cell), heading);
          gtk_box_append (GTK_BOX (cell), names);
        }
      else if (any_split)
        /* On the items' line, under the split columns' titles. */
        gtk_widget_set_valign (heading, GTK_ALIGN_END);
      if (column != NULL)
        {
          gtk_widget_set_hexpand (cell, column->expand);
          gtk_widget_set_tooltip_text (cell, _(column->tooltip));
        }
      gtk_size_group_add_widget (g_ptr_array_index (widgets->size_groups, c), cell);
      gtk_widget_set_visible (cell, column != NULL || info->resizable);
      gtk_box_append (GTK_BOX (widgets->header_box), cell);
    }
}

static GtkWidget *
ptl_table_editor_create_row (PtlTableEditor *self,
                             guint           sheet,
                             guint           index)
{
  const PtlTableSheet *info = &self->spec->sheets[sheet];
  Sheet *widgets = &g_array_index (self->sheets, Sheet, sheet);
  GtkWidget *row;
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  for (guint c = 0; c < info->n_columns; c++)
    gtk_box_append (GTK_BOX (box), ptl_table_editor_create_cell (self, sheet, index, c));

  if (info->resizable)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _(info->remove_label));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->remove_label),
                                      -1);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "table.remove");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "(uu)", sheet, index);
      gtk_size_group_add_widget (g_ptr_array_index (widgets->size_groups, info->n_columns), remove);
      gtk_box_append (GTK_BOX (box), remove);
    }

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
ptl_table_editor_rebuild_rows (PtlTableEditor *self)
{
  g_clear_pointer (&self->item_names, g_strfreev);
  if (self->input != NULL)
    self->item_names = ptl_table_input_dup_item_names (self->input);

  for (guint s = 0; s < self->sheets->len; s++)
    {
      Sheet *widgets = &g_array_index (self->sheets, Sheet, s);
      guint n = self->input ? ptl_table_input_get_n_rows (self->input, s) : 0;
      GtkWidget *child;

      ptl_table_editor_fill_header (self, s);

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (widgets->list))) != NULL)
        gtk_list_box_remove (widgets->list, child);

      self->syncing++;
      for (guint i = 0; i < MIN (n, MAX_ROWS); i++)
        gtk_list_box_append (widgets->list, ptl_table_editor_create_row (self, s, i));
      self->syncing--;

      if (n > MAX_ROWS)
        {
          g_autofree char *text = g_strdup_printf (ngettext ("…and %u more row. Export the table to edit it all.",
                                                             "…and %u more rows. Export the table to edit them all.",
                                                             n - MAX_ROWS),
                                                   n - MAX_ROWS);
          GtkWidget *label = gtk_label_new (text);
          GtkWidget *row = gtk_list_box_row_new ();

          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_set_margin_top (label, 12);
          gtk_widget_set_margin_bottom (label, 12);
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_end (label, 12);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
          gtk_widget_set_focusable (row, FALSE);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
          gtk_list_box_append (widgets->list, row);
        }
      gtk_widget_set_visible (widgets->scroller, n > 0);
    }
}

/* The sheets' headings, lists and add buttons, and the presets' buttons,
 * from the declaration. */
static void
ptl_table_editor_build (PtlTableEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sheets_box))) != NULL)
    gtk_box_remove (self->sheets_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->presets_box))) != NULL)
    gtk_flow_box_remove (self->presets_box, child);
  g_array_set_size (self->sheets, 0);

  /* The bin's child, not bound: AdwBin unparents it after the template
   * is disposed. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (adw_bin_get_child (ADW_BIN (self))), self->spec ? _(self->spec->title) : "");
  gtk_label_set_text (self->help_label, self->spec && self->spec->help ? _(self->spec->help) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->help_label), self->spec && self->spec->help);
  gtk_label_set_text (self->presets_title_label,
                      self->spec && self->spec->presets_title ? _(self->spec->presets_title) : "");
  if (self->spec == NULL)
    return;

  for (guint s = 0; s < self->spec->n_sheets; s++)
    {
      const PtlTableSheet *info = &self->spec->sheets[s];
      Sheet widgets = { 0 };
      GtkWidget *sheet_box;
      GtkWidget *list;

      widgets.size_groups = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint c = 0; c <= info->n_columns; c++)
        g_ptr_array_add (widgets.size_groups, gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL));

      /* Headings line up with the cells below: the rows' margin plus the
       * list's border. Filled with the rows (ptl_table_editor_fill_header ()). */
      widgets.header_box = g_object_new (GTK_TYPE_BOX,
                                         "spacing", 6,
                                         "margin-start", 7,
                                         "margin-end", 7,
                                         "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                         NULL);

      list = gtk_list_box_new ();
      widgets.list = GTK_LIST_BOX (list);
      gtk_widget_set_name (list, info->id);
      gtk_list_box_set_selection_mode (widgets.list, GTK_SELECTION_NONE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->title),
                                      -1);
      gtk_widget_add_css_class (list, "boxed-list");

      /* A heading per sheet only when there are several. */
      if (self->spec->n_sheets > 1)
        {
          GtkWidget *title = gtk_label_new (_(info->title));

          gtk_label_set_xalign (GTK_LABEL (title), 0);
          gtk_widget_add_css_class (title, "heading");
          gtk_widget_set_margin_top (title, s > 0 ? 6 : 0);
          gtk_box_append (self->sheets_box, title);
        }
      /* Sideways, so that a wide table (many resource types) does not
       * widen the sidebar. */
      sheet_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_box_append (GTK_BOX (sheet_box), widgets.header_box);
      gtk_box_append (GTK_BOX (sheet_box), list);
      widgets.scroller = ptl_sideways_scroller_new ();
      ptl_sideways_scroller_set_child (PTL_SIDEWAYS_SCROLLER (widgets.scroller), sheet_box);
      gtk_box_append (self->sheets_box, widgets.scroller);
      if (info->resizable)
        {
          GtkWidget *button = gtk_button_new ();
          GtkWidget *content = adw_button_content_new ();

          adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
          adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(info->add_label));
          adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
          gtk_button_set_child (GTK_BUTTON (button), content);
          gtk_widget_set_halign (button, GTK_ALIGN_START);
          gtk_widget_add_css_class (button, "flat");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "table.add");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", s);
          gtk_box_append (self->sheets_box, button);
        }
      g_array_append_val (self->sheets, widgets);
    }

  for (const PtlTablePreset *preset = self->spec->presets; preset->value != NULL; preset++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(preset->label));

      gtk_widget_set_tooltip_text (button, _(preset->tooltip));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "table.preset");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", preset->value);
      gtk_flow_box_append (self->presets_box, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->presets_title_label), self->spec->presets[0].value != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->presets_box), self->spec->presets[0].value != NULL);
}

/* Actions */

/* A row added or removed: checked (a count may be out of bounds),
 * applied and shown; on failure nothing changes and the editor says why. */
static gboolean
ptl_table_editor_replace (PtlTableEditor *self,
                          PtlTableInput  *input,
                          const char     *heading)
{
  g_autoptr(GError) error = NULL;

  if (!ptl_table_input_validate (input, NULL, &error) || !ptl_table_editor_apply (self, input, &error))
    {
      ptl_table_editor_show_error (self, heading, error);
      return FALSE;
    }
  ptl_table_editor_set_message (self, NULL);
  ptl_table_editor_rebuild_rows (self);
  return TRUE;
}

static void
ptl_table_editor_add_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (widget);
  g_autoptr(PtlTableInput) input = NULL;
  guint sheet = g_variant_get_uint32 (parameter);
  GtkListBoxRow *row;
  guint index;

  if (self->input == NULL || sheet >= self->spec->n_sheets || !self->spec->sheets[sheet].resizable)
    return;

  input = ptl_table_input_copy (self->input);
  index = ptl_table_input_append_row (input, sheet, TRUE);
  if (!ptl_table_editor_replace (self, input, _("Could not add a row")))
    return;

  /* Ready to type the new row's first cell. */
  row = gtk_list_box_get_row_at_index (g_array_index (self->sheets, Sheet, sheet).list, (int) index);
  if (row != NULL && index < MAX_ROWS)
    gtk_widget_grab_focus (gtk_widget_get_first_child (gtk_list_box_row_get_child (row)));
}

static void
ptl_table_editor_remove_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (widget);
  g_autoptr(PtlTableInput) input = NULL;
  guint sheet, index;

  g_variant_get (parameter, "(uu)", &sheet, &index);
  if (self->input == NULL || sheet >= self->spec->n_sheets ||
      index >= ptl_table_input_get_n_rows (self->input, sheet))
    return;

  input = ptl_table_input_copy (self->input);
  ptl_table_input_remove_row (input, sheet, index);
  ptl_table_editor_replace (self, input, _("Could not remove the row"));
}

/* A preset is a parameter value of its own: the experiment makes the
 * table from it (and the other parameters), and so do the sheets. */
static void
ptl_table_editor_preset_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->experiment == NULL)
    return;

  if (!ptl_experiment_set_param (self->experiment, self->spec->param,
                                 g_variant_get_string (parameter, NULL), &error))
    ptl_table_editor_show_error (self, _("Could not use the preset"), error);
}

static void
ptl_table_editor_add_filters (GtkFileChooser *chooser,
                              gboolean        saving)
{
  static const struct
  {
    const char *name;
    const char *suffix;
  } filters[] = {
    { N_("CSV File"), "csv" },
    { N_("JSON File"), "json" },
  };

  /* Opening takes either format at once; saving picks one. */
  if (!saving)
    {
      g_autoptr(GtkFileFilter) both = gtk_file_filter_new ();

      gtk_file_filter_set_name (both, _("CSV or JSON Files"));
      for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
        gtk_file_filter_add_suffix (both, filters[i].suffix);
      gtk_file_chooser_add_filter (chooser, both);
    }

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(filters[i].name));
      gtk_file_filter_add_suffix (filter, filters[i].suffix);
      g_object_set_data (G_OBJECT (filter), "ptl-suffix", (gpointer) filters[i].suffix);
      gtk_file_chooser_add_filter (chooser, filter);
    }
}

static void
ptl_table_editor_chooser_response_cb (PtlTableEditor       *self,
                                      int                   response,
                                      GtkFileChooserNative *dialog)
{
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->dialog);
  if (file == NULL)
    return;

  if (!saving)
    {
      ptl_table_editor_import (self, file, NULL);
      return;
    }

  /* A name typed without an extension gets the chosen filter's. */
  {
    g_autofree char *basename = g_file_get_basename (file);

    if (basename != NULL && strchr (basename, '.') == NULL)
      {
        GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
        const char *suffix = filter ? g_object_get_data (G_OBJECT (filter), "ptl-suffix") : NULL;
        g_autofree char *with_suffix = g_strconcat (basename, ".", suffix ? suffix : "csv", NULL);
        g_autoptr(GFile) parent = g_file_get_parent (file);

        g_object_unref (file);
        file = g_file_get_child (parent, with_suffix);
      }
  }
  ptl_table_editor_export (self, file, NULL);
}

static void
ptl_table_editor_open_chooser (PtlTableEditor *self,
                               gboolean        saving)
{
  GtkFileChooserNative *dialog;
  GtkRoot *root;

  if (self->dialog != NULL || self->experiment == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = gtk_file_chooser_native_new (saving ? _("Export Table") : _("Import Table"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        saving ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        saving ? _("_Export") : _("_Import"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  ptl_table_editor_add_filters (GTK_FILE_CHOOSER (dialog), saving);
  if (saving)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s.csv", ptl_experiment_get_id (self->experiment),
                                               self->spec->file_stem);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }

  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (ptl_table_editor_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->dialog = GTK_NATIVE_DIALOG (dialog);
  gtk_native_dialog_show (self->dialog);
}

static void
ptl_table_editor_import_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ptl_table_editor_open_chooser (PTL_TABLE_EDITOR (widget), FALSE);
}

static void
ptl_table_editor_export_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ptl_table_editor_open_chooser (PTL_TABLE_EDITOR (widget), TRUE);
}

/* Following the experiment */

static void
ptl_table_editor_experiment_notify_cb (PtlTableEditor *self,
                                       GParamSpec     *pspec,
                                       PtlExperiment  *experiment)
{
  g_autofree char *value = NULL;

  if (g_strcmp0 (pspec->name, self->spec->param) == 0)
    {
      if (self->applying == 0)
        ptl_table_editor_reload (self);
      return;
    }
  /* Any other parameter may be one a preset takes (a count, a seed). */
  ptl_table_editor_update_presets_label (self);
  value = ptl_experiment_dup_param_text (experiment, self->spec->param);
  if (self->source == SOURCE_PRESET && self->spec->is_preset (experiment, value))
    ptl_table_editor_reload (self);
}

static void
ptl_table_editor_dispose (GObject *object)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (object);

  if (self->dialog != NULL)
    gtk_native_dialog_destroy (self->dialog);
  g_clear_object (&self->dialog);

  if (self->experiment != NULL)
    g_signal_handlers_disconnect_by_data (self->experiment, self);
  g_clear_object (&self->experiment);
  g_clear_object (&self->input);

  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_TABLE_EDITOR);

  G_OBJECT_CLASS (ptl_table_editor_parent_class)->dispose (object);
}

static void
ptl_table_editor_finalize (GObject *object)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (object);

  g_free (self->message);
  g_strfreev (self->item_names);
  g_array_unref (self->sheets);

  G_OBJECT_CLASS (ptl_table_editor_parent_class)->finalize (object);
}

static void
ptl_table_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      g_value_set_object (value, self->experiment);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_table_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PtlTableEditor *self = PTL_TABLE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      ptl_table_editor_set_experiment (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_table_editor_class_init (PtlTableEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_table_editor_dispose;
  object_class->finalize = ptl_table_editor_finalize;
  object_class->get_property = ptl_table_editor_get_property;
  object_class->set_property = ptl_table_editor_set_property;

  properties[PROP_EXPERIMENT] =
    g_param_spec_object ("experiment", NULL, NULL,
                         PTL_TYPE_EXPERIMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-table-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, source_label);
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, sheets_box);
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, help_label);
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, presets_title_label);
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, presets_label);
  gtk_widget_class_bind_template_child (widget_class, PtlTableEditor, presets_box);

  gtk_widget_class_install_action (widget_class, "table.add", "u",
                                   ptl_table_editor_add_action);
  gtk_widget_class_install_action (widget_class, "table.remove", "(uu)",
                                   ptl_table_editor_remove_action);
  gtk_widget_class_install_action (widget_class, "table.preset", "s",
                                   ptl_table_editor_preset_action);
  gtk_widget_class_install_action (widget_class, "table.import", NULL,
                                   ptl_table_editor_import_action);
  gtk_widget_class_install_action (widget_class, "table.export", NULL,
                                   ptl_table_editor_export_action);
}

static void
ptl_table_editor_init (PtlTableEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sheets = g_array_new (FALSE, TRUE, sizeof (Sheet));
  g_array_set_clear_func (self->sheets, (GDestroyNotify) sheet_clear);
  ptl_table_editor_build (self);
  ptl_table_editor_update_actions (self);
}

GtkWidget *
ptl_table_editor_new (void)
{
  return g_object_new (PTL_TYPE_TABLE_EDITOR, NULL);
}

gboolean
ptl_table_editor_can_edit (PtlExperiment *experiment)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (experiment), FALSE);

  return ptl_experiment_get_table_spec (experiment) != NULL;
}

void
ptl_table_editor_set_experiment (PtlTableEditor *self,
                                 PtlExperiment  *experiment)
{
  const PtlTableSpec *spec;

  g_return_if_fail (PTL_IS_TABLE_EDITOR (self));
  g_return_if_fail (experiment == NULL || ptl_table_editor_can_edit (experiment));

  if (self->experiment == experiment)
    return;

  if (self->experiment != NULL)
    g_signal_handlers_disconnect_by_data (self->experiment, self);
  g_set_object (&self->experiment, experiment);
  if (experiment != NULL)
    g_signal_connect_object (experiment, "notify",
                             G_CALLBACK (ptl_table_editor_experiment_notify_cb), self,
                             G_CONNECT_SWAPPED);

  spec = experiment != NULL ? ptl_experiment_get_table_spec (experiment) : NULL;
  if (spec != self->spec)
    {
      /* The old rows refer to the old declaration's sheets. */
      g_clear_object (&self->input);
      self->spec = spec;
      ptl_table_editor_build (self);
    }
  ptl_table_editor_update_presets_label (self);
  ptl_table_editor_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPERIMENT]);
}

PtlExperiment *
ptl_table_editor_get_experiment (PtlTableEditor *self)
{
  g_return_val_if_fail (PTL_IS_TABLE_EDITOR (self), NULL);

  return self->experiment;
}

PtlTableInput *
ptl_table_editor_get_input (PtlTableEditor *self)
{
  g_return_val_if_fail (PTL_IS_TABLE_EDITOR (self), NULL);

  return self->input;
}

char *
ptl_table_editor_dup_path (PtlTableEditor *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (PTL_IS_TABLE_EDITOR (self), NULL);

  if (self->experiment == NULL)
    return NULL;

  name = g_strdup_printf ("%s-%s.csv", ptl_experiment_get_id (self->experiment), self->spec->file_stem);
  return g_build_filename (g_get_user_data_dir (), "ptlab", name, NULL);
}

gboolean
ptl_table_editor_import (PtlTableEditor  *self,
                         GFile           *file,
                         GError         **error)
{
  g_autoptr(PtlTableInput) input = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (PTL_IS_TABLE_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->experiment == NULL)
    {
      g_set_error_literal (&local_error, PTL_ERROR, PTL_ERROR_FAILED,
                           _("There is no experiment to import a table into"));
      goto failed;
    }

  path = dup_local_path (file, &local_error);
  if (path == NULL)
    goto failed;

  /* The loader's errors name the file, the line and the column. */
  input = self->spec->load (path, &local_error);
  if (input == NULL || !ptl_table_input_validate (input, NULL, &local_error) ||
      !ptl_table_editor_apply (self, input, &local_error))
    goto failed;

  ptl_table_editor_set_message (self, NULL);
  ptl_table_editor_rebuild_rows (self);
  basename = g_file_get_basename (file);
  /* TRANSLATORS: %s is a file name */
  message = g_strdup_printf (_("Imported %s"), basename);
  ptl_table_editor_toast (self, message);
  return TRUE;

failed:
  ptl_table_editor_show_error (self, _("Could not import the table"), local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
ptl_table_editor_export (PtlTableEditor  *self,
                         GFile           *file,
                         GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (PTL_IS_TABLE_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->input == NULL)
    g_set_error_literal (&local_error, PTL_ERROR, PTL_ERROR_FAILED,
                         _("There is no table to export"));
  else if ((path = dup_local_path (file, &local_error)) != NULL)
    self->spec->save (self->input, path, &local_error);

  if (local_error != NULL)
    {
      ptl_table_editor_show_error (self, _("Could not export the table"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  basename = g_file_get_basename (file);
  /* TRANSLATORS: %s is a file name */
  message = g_strdup_printf (_("Saved %s"), basename);
  ptl_table_editor_toast (self, message);
  return TRUE;
}

const char *
ptl_table_editor_get_message (PtlTableEditor *self)
{
  g_return_val_if_fail (PTL_IS_TABLE_EDITOR (self), NULL);

  return self->message;
}
