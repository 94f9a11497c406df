/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-workload-editor"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ptl-workload-editor.h"

/* The processes of a scheduling experiment's workload as a table to edit
 * in place. The experiment's "workload" parameter stays the one truth:
 * the table shows what it names (a generator or a file), and every
 * accepted edit is saved to the user's own workload file and the
 * parameter pointed at it, so the CLI, the saved settings and the
 * result's parameters all describe what ran. A refused cell keeps its
 * text with the error style until it loses the focus; the workload does
 * not change. */

/* More rows than this make the sidebar slow to build and to scroll, and
 * nobody edits them by hand: the rest are counted, not shown. */
#define MAX_ROWS 100

typedef enum
{
  COLUMN_NAME,
  COLUMN_ARRIVAL,
  COLUMN_BURSTS,
  COLUMN_PRIORITY,
  N_COLUMNS
} Column;

typedef struct
{
  const char *id;          /* the cell widget's name, as in the file formats */
  const char *title;
  int         width_chars;
  gboolean    expand;
} ColumnInfo;

static const ColumnInfo column_info[N_COLUMNS] = {
  [COLUMN_NAME] = { "name", N_("Name"), 4, TRUE },
  [COLUMN_ARRIVAL] = { "arrival", N_("Arrival"), 3, FALSE },
  [COLUMN_BURSTS] = { "bursts", N_("Bursts"), 5, TRUE },
  [COLUMN_PRIORITY] = { "priority", N_("Priority"), 3, FALSE },
};

/* Where the shown workload came from, for the group's description. */
typedef enum
{
  SOURCE_NONE,
  SOURCE_GENERATOR,
  SOURCE_FILE,
  SOURCE_OWN_FILE,
} Source;

/* One process as ptl_sched_workload_add_process () takes it. */
typedef struct
{
  const char   *name;
  gint64        arrival;
  int           priority;
  const gint64 *bursts;
  guint         n_bursts;
} Process;

struct _PtlWorkloadEditor
{
  AdwBin               parent_instance;

  /* template widgets */
  GtkLabel            *source_label;
  GtkWidget           *header_box;
  GtkListBox          *list;
  GtkLabel            *message_label;
  GtkLabel            *generator_label;
  GtkSizeGroup        *name_group;
  GtkSizeGroup        *arrival_group;
  GtkSizeGroup        *bursts_group;
  GtkSizeGroup        *priority_group;
  GtkSizeGroup        *remove_group;

  /* owned */
  PtlExperiment       *experiment;
  PtlSchedWorkload    *workload;
  GtkNativeDialog     *dialog;   /* the open import or export chooser */
  char                *message;

  Source               source;
  guint                syncing;  /* > 0 while cells are filled from the workload */
  guint                applying; /* > 0 while the editor sets the parameter */
};

enum {
  PROP_0,
  PROP_EXPERIMENT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlWorkloadEditor, ptl_workload_editor, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void ptl_workload_editor_rebuild_rows (PtlWorkloadEditor *self);

static GtkSizeGroup *
ptl_workload_editor_get_size_group (PtlWorkloadEditor *self,
                                    Column             column)
{
  switch (column)
    {
    case COLUMN_NAME:
      return self->name_group;
    case COLUMN_ARRIVAL:
      return self->arrival_group;
    case COLUMN_BURSTS:
      return self->bursts_group;
    case COLUMN_PRIORITY:
      return self->priority_group;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
has_uint_param (PtlExperiment *experiment,
                const char    *name)
{
  GParamSpec *pspec = ptl_experiment_find_param (experiment, name);

  return pspec != NULL && G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_UINT;
}

static guint
get_uint_param (PtlExperiment *experiment,
                const char    *name)
{
  guint value;

  g_object_get (experiment, name, &value, NULL);
  return value;
}

/* The generators need the experiment's count and seed. */
static gboolean
ptl_workload_editor_can_generate (PtlWorkloadEditor *self)
{
  return self->experiment != NULL &&
         has_uint_param (self->experiment, "processes") &&
         has_uint_param (self->experiment, "seed");
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

static Process
get_process (PtlSchedWorkload *workload,
             guint             index)
{
  Process process;

  process.name = ptl_sched_workload_get_name (workload, index);
  process.arrival = ptl_sched_workload_get_arrival (workload, index);
  process.priority = ptl_sched_workload_get_priority (workload, index);
  process.bursts = ptl_sched_workload_get_bursts (workload, index, &process.n_bursts);
  return process;
}

static void
add_process (PtlSchedWorkload *workload,
             const Process    *process)
{
  ptl_sched_workload_add_process (workload, process->name, process->arrival,
                                  process->priority, process->bursts, process->n_bursts);
}

static char *
format_cell (PtlSchedWorkload *workload,
             guint             index,
             Column            column)
{
  Process process = get_process (workload, index);
  GString *text;

  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (process.name);
    case COLUMN_ARRIVAL:
      return g_strdup_printf ("%" G_GINT64_FORMAT, process.arrival);
    case COLUMN_PRIORITY:
      return g_strdup_printf ("%d", process.priority);
    case COLUMN_BURSTS:
      text = g_string_new (NULL);
      for (guint b = 0; b < process.n_bursts; b++)
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT, b > 0 ? ";" : "", process.bursts[b]);
      return g_string_free (text, FALSE);
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* Cell parsing. The rules are the workload format's (ptl-sched-workload.h);
 * each returns what was expected, or NULL when @text is fine. */

static char *
expect_name (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return g_strdup (_("expected a non-empty name"));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return g_strdup (_("expected a name without control characters or line breaks"));
  return NULL;
}

static char *
expect_time (const char *text,
             gint64      minimum,
             gint64     *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *maximum = NULL;

  if (g_ascii_string_to_signed (stripped, 10, minimum, PTL_SCHED_TIME_MAX, value, NULL))
    return NULL;
  maximum = g_strdup_printf ("%" G_GINT64_FORMAT, PTL_SCHED_TIME_MAX);
  return g_strdup_printf (_("expected a whole number of time units from %d to %s, found “%s”"),
                          (int) minimum, maximum, text);
}

static char *
expect_priority (const char *text,
                 int        *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gint64 number;

  if (g_ascii_string_to_signed (stripped, 10, PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX,
                                &number, NULL))
    {
      *value = (int) number;
      return NULL;
    }
  return g_strdup_printf (_("expected a whole number from %d to %d (a lower number means a higher priority), found “%s”"),
                          PTL_SCHED_PRIORITY_MIN, PTL_SCHED_PRIORITY_MAX, text);
}

static char *
expect_bursts (const char *text,
               GArray     *bursts)
{
  g_auto(GStrv) items = g_strsplit (text, ";", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *problem = NULL;
      gint64 value;

      problem = expect_time (items[i], 1, &value);
      if (problem != NULL)
        /* TRANSLATORS: "burst 2 (I/O): expected a whole number…" */
        return g_strdup_printf (_("burst %u (%s): %s"), i + 1,
                                i % 2 == 0 ? _("CPU") : _("I/O"), problem);
      g_array_append_val (bursts, value);
    }
  if (bursts->len % 2 == 0)
    return g_strdup_printf (_("expected an odd number of bursts alternating CPU and I/O, such as “5;3;4”, found %u"),
                            bursts->len);
  return NULL;
}

/* The workload with the cell (@index, @column) set to @text, or NULL and
 * what was expected. */
static PtlSchedWorkload *
ptl_workload_editor_with_cell (PtlWorkloadEditor  *self,
                               guint               index,
                               Column              column,
                               const char         *text,
                               char              **problem)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GArray) bursts = g_array_new (FALSE, FALSE, sizeof (gint64));
  Process edited;
  guint n;

  n = ptl_sched_workload_get_n_processes (self->workload);
  g_assert (index < n);
  edited = get_process (self->workload, index);

  switch (column)
    {
    case COLUMN_NAME:
      *problem = expect_name (text);
      edited.name = text;
      break;
    case COLUMN_ARRIVAL:
      *problem = expect_time (text, 0, &edited.arrival);
      break;
    case COLUMN_BURSTS:
      *problem = expect_bursts (text, bursts);
      edited.bursts = (const gint64 *) bursts->data;
      edited.n_bursts = bursts->len;
      break;
    case COLUMN_PRIORITY:
      *problem = expect_priority (text, &edited.priority);
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
  if (*problem != NULL)
    return NULL;

  workload = ptl_sched_workload_new ();
  for (guint i = 0; i < n; i++)
    {
      Process process = i == index ? edited : get_process (self->workload, i);

      add_process (workload, &process);
    }
  return g_steal_pointer (&workload);
}

/* Messages */

static void
ptl_workload_editor_toast (PtlWorkloadEditor *self,
                           const char        *message)
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
ptl_workload_editor_set_message (PtlWorkloadEditor *self,
                                 const char        *message)
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
ptl_workload_editor_show_error (PtlWorkloadEditor *self,
                                const char        *heading,
                                const GError      *error)
{
  /* TRANSLATORS: a heading and an error message, e.g. "Could not import: line 3, column 2 …" */
  g_autofree char *text = g_strdup_printf (_("%s: %s"), heading, error->message);

  ptl_workload_editor_set_message (self, text);
  ptl_workload_editor_toast (self, text);
}

/* State shown around the table */

static void
ptl_workload_editor_update_actions (PtlWorkloadEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workload.add", self->experiment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workload.remove", self->workload != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workload.generate",
                                 ptl_workload_editor_can_generate (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workload.import", self->experiment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workload.export", self->workload != NULL);
}

static void
ptl_workload_editor_update_description (PtlWorkloadEditor *self)
{
  g_autofree char *spec = NULL;
  g_autofree char *display = NULL;
  g_autofree char *text = NULL;
  guint n;

  gtk_widget_set_visible (GTK_WIDGET (self->source_label), self->workload != NULL);
  if (self->workload == NULL)
    return;

  n = ptl_sched_workload_get_n_processes (self->workload);
  spec = ptl_experiment_dup_param_text (self->experiment, "workload");
  switch (self->source)
    {
    case SOURCE_GENERATOR:
      text = g_strdup_printf (ngettext ("%u process from the %s generator (seed %u). Edit a cell to make it your own.",
                                        "%u processes from the %s generator (seed %u). Edit a cell to make them your own.",
                                        n),
                              n, spec, get_uint_param (self->experiment, "seed"));
      break;
    case SOURCE_FILE:
      display = dup_display_path (spec);
      text = g_strdup_printf (ngettext ("%u process from %s. Edits are saved to a copy of your own.",
                                        "%u processes from %s. Edits are saved to a copy of your own.",
                                        n),
                              n, display);
      break;
    case SOURCE_OWN_FILE:
      display = dup_display_path (spec);
      text = g_strdup_printf (ngettext ("Your workload of %u process, saved in %s.",
                                        "Your workload of %u processes, saved in %s.",
                                        n),
                              n, display);
      break;
    case SOURCE_NONE:
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (self->source_label, text);
}

static void
ptl_workload_editor_update_generator_label (PtlWorkloadEditor *self)
{
  g_autofree char *text = NULL;

  if (!ptl_workload_editor_can_generate (self))
    {
      gtk_label_set_text (self->generator_label, "");
      return;
    }

  text = g_strdup_printf (_("With Processes (%u) and Seed (%u) from the parameters above."),
                          get_uint_param (self->experiment, "processes"),
                          get_uint_param (self->experiment, "seed"));
  gtk_label_set_text (self->generator_label, text);
}

/* Applying edits */

/* Saves @workload to the user's workload file and points the parameter at
 * it. The table is left as it is: a cell being typed in keeps its cursor. */
static gboolean
ptl_workload_editor_apply (PtlWorkloadEditor  *self,
                           PtlSchedWorkload   *workload,
                           GError            **error)
{
  g_autofree char *path = ptl_workload_editor_dup_path (self);
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
  if (!ptl_sched_workload_save_csv (workload, path, error))
    return FALSE;

  before = ptl_experiment_dup_param_text (self->experiment, "workload");
  changed = g_strcmp0 (before, path) != 0;

  self->applying++;
  ok = ptl_experiment_set_param (self->experiment, "workload", path, error);
  /* Same path, new contents: whoever checks the parameter (the form's
   * validation) must look again. */
  if (ok && !changed)
    g_object_notify (G_OBJECT (self->experiment), "workload");
  self->applying--;
  if (!ok)
    return FALSE;

  g_set_object (&self->workload, workload);
  self->source = SOURCE_OWN_FILE;
  ptl_workload_editor_update_description (self);
  ptl_workload_editor_update_actions (self);
  return TRUE;
}

/* Shows what the parameter names now. */
static void
ptl_workload_editor_reload (PtlWorkloadEditor *self)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *own_path = NULL;
  Source source = SOURCE_NONE;

  if (self->experiment != NULL)
    {
      spec = ptl_experiment_dup_param_text (self->experiment, "workload");
      own_path = ptl_workload_editor_dup_path (self);

      if (g_strv_contains (ptl_sched_workload_list_kinds (), spec) &&
          ptl_workload_editor_can_generate (self))
        {
          workload = ptl_sched_workload_generate (spec,
                                                  get_uint_param (self->experiment, "processes"),
                                                  get_uint_param (self->experiment, "seed"),
                                                  &error);
          source = SOURCE_GENERATOR;
        }
      else
        {
          workload = ptl_sched_workload_load (spec, &error);
          source = g_strcmp0 (spec, own_path) == 0 ? SOURCE_OWN_FILE : SOURCE_FILE;
        }
    }

  g_set_object (&self->workload, workload);
  self->source = workload != NULL ? source : SOURCE_NONE;

  /* The form says what is wrong with the parameter; the editor says why
   * its table is empty. */
  if (error != NULL)
    ptl_workload_editor_show_error (self, _("No workload to show"), error);
  else
    ptl_workload_editor_set_message (self, NULL);

  ptl_workload_editor_rebuild_rows (self);
  ptl_workload_editor_update_description (self);
  ptl_workload_editor_update_actions (self);
}

/* Cells */

static Column
cell_get_column (GtkWidget *cell)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "ptl-column"));
}

/* FALSE for a cell whose row was removed: it still emits (the focus
 * leaves it after removal) but stands for no process any more, and its
 * row's position is stale (GTK 4.8 keeps the freed list position). */
static gboolean
cell_get_index (PtlWorkloadEditor *self,
                GtkWidget         *cell,
                guint             *index)
{
  GtkWidget *row = gtk_widget_get_ancestor (cell, GTK_TYPE_LIST_BOX_ROW);

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->list))
    return FALSE;
  *index = (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  return TRUE;
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
ptl_workload_editor_cell_changed_cb (PtlWorkloadEditor *self,
                                     GtkEditable       *cell)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  Column column;
  guint index;

  if (self->syncing > 0 || self->workload == NULL || !cell_get_index (self, GTK_WIDGET (cell), &index))
    return;

  column = cell_get_column (GTK_WIDGET (cell));
  workload = ptl_workload_editor_with_cell (self, index, column,
                                            gtk_editable_get_text (cell), &problem);
  if (workload == NULL)
    {
      /* TRANSLATORS: a process name, a column title and what was expected,
       * e.g. "P3, Arrival: expected a whole number…" */
      g_autofree char *message = g_strdup_printf (_("%s, %s: %s"),
                                                  ptl_sched_workload_get_name (self->workload, index),
                                                  _(column_info[column].title), problem);

      cell_set_error (GTK_WIDGET (cell), problem);
      ptl_workload_editor_set_message (self, message);
      return;
    }

  if (!ptl_workload_editor_apply (self, workload, &error))
    {
      cell_set_error (GTK_WIDGET (cell), error->message);
      ptl_workload_editor_show_error (self, _("Could not save the workload"), error);
      return;
    }
  cell_set_error (GTK_WIDGET (cell), NULL);
  ptl_workload_editor_set_message (self, NULL);
}

/* Enter on a refused cell, or leaving it, puts the value that counts
 * back, so the table never shows what will not run, and says once more
 * why the text was refused, where it is seen. */
static void
ptl_workload_editor_settle_cell (PtlWorkloadEditor *self,
                                 GtkWidget         *cell)
{
  g_autofree char *text = NULL;
  guint index;

  if (!gtk_widget_has_css_class (cell, "error") || self->workload == NULL ||
      !cell_get_index (self, cell, &index))
    return;

  if (self->message != NULL)
    ptl_workload_editor_toast (self, self->message);

  text = format_cell (self->workload, index, cell_get_column (cell));
  self->syncing++;
  gtk_editable_set_text (GTK_EDITABLE (cell), text);
  self->syncing--;
  cell_set_error (cell, NULL);
  ptl_workload_editor_set_message (self, NULL);
}

static void
ptl_workload_editor_cell_activate_cb (PtlWorkloadEditor *self,
                                      GtkEntry          *cell)
{
  ptl_workload_editor_settle_cell (self, GTK_WIDGET (cell));
}

static void
ptl_workload_editor_cell_leave_cb (PtlWorkloadEditor       *self,
                                   GtkEventControllerFocus *focus)
{
  ptl_workload_editor_settle_cell (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus)));
}

static GtkWidget *
ptl_workload_editor_create_cell (PtlWorkloadEditor *self,
                                 guint              index,
                                 Column             column)
{
  const ColumnInfo *info = &column_info[column];
  g_autofree char *text = format_cell (self->workload, index, column);
  GtkEventController *focus;
  GtkWidget *cell;

  cell = gtk_entry_new ();
  gtk_widget_set_name (cell, info->id);
  gtk_editable_set_text (GTK_EDITABLE (cell), text);
  gtk_editable_set_width_chars (GTK_EDITABLE (cell), info->width_chars);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (cell), info->width_chars);
  gtk_widget_set_hexpand (cell, info->expand);
  if (column != COLUMN_NAME)
    {
      gtk_widget_add_css_class (cell, "numeric");
      gtk_entry_set_input_purpose (GTK_ENTRY (cell), column == COLUMN_BURSTS
                                                     ? GTK_INPUT_PURPOSE_FREE_FORM
                                                     : GTK_INPUT_PURPOSE_NUMBER);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->title),
                                  -1);
  gtk_size_group_add_widget (ptl_workload_editor_get_size_group (self, column), cell);
  g_object_set_data (G_OBJECT (cell), "ptl-column", GUINT_TO_POINTER (column));

  g_signal_connect_object (cell, "changed",
                           G_CALLBACK (ptl_workload_editor_cell_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cell, "activate",
                           G_CALLBACK (ptl_workload_editor_cell_activate_cb), self,
                           G_CONNECT_SWAPPED);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave",
                           G_CALLBACK (ptl_workload_editor_cell_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (cell, focus);
  return cell;
}

static GtkWidget *
ptl_workload_editor_create_row (PtlWorkloadEditor *self,
                                guint              index)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *remove;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  for (guint c = 0; c < N_COLUMNS; c++)
    gtk_box_append (GTK_BOX (box), ptl_workload_editor_create_cell (self, index, c));

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove this process"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this process"),
                                  -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "workload.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", index);
  gtk_size_group_add_widget (self->remove_group, remove);
  gtk_box_append (GTK_BOX (box), remove);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
ptl_workload_editor_rebuild_rows (PtlWorkloadEditor *self)
{
  GtkWidget *child;
  guint n = self->workload ? ptl_sched_workload_get_n_processes (self->workload) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  self->syncing++;
  for (guint i = 0; i < MIN (n, MAX_ROWS); i++)
    gtk_list_box_append (self->list, ptl_workload_editor_create_row (self, i));
  self->syncing--;

  if (n > MAX_ROWS)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("…and %u more process. Export the workload to edit it all.",
                                                         "…and %u more processes. Export the workload to edit them all.",
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
      gtk_list_box_append (self->list, row);
    }
  gtk_widget_set_visible (self->header_box, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), n > 0);
}

/* Actions */

/* "P6", or the next free "Pn" when that name is taken. */
static char *
dup_new_name (PtlSchedWorkload *workload)
{
  guint n = ptl_sched_workload_get_n_processes (workload);

  for (guint k = n + 1;; k++)
    {
      g_autofree char *name = g_strdup_printf ("P%u", k);
      gboolean taken = FALSE;

      for (guint i = 0; i < n && !taken; i++)
        taken = g_strcmp0 (ptl_sched_workload_get_name (workload, i), name) == 0;
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
ptl_workload_editor_add_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (widget);
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  /* A short CPU burst arriving with the last process: the textbook's
   * "one more job" case. */
  const gint64 burst = 4;
  gint64 arrival = 0;
  GtkListBoxRow *row;
  guint n;

  workload = self->workload ? ptl_sched_workload_copy (self->workload) : ptl_sched_workload_new ();
  n = ptl_sched_workload_get_n_processes (workload);
  for (guint i = 0; i < n; i++)
    arrival = MAX (arrival, ptl_sched_workload_get_arrival (workload, i));
  name = dup_new_name (workload);
  ptl_sched_workload_add_process (workload, name, arrival, 0, &burst, 1);

  if (!ptl_workload_editor_apply (self, workload, &error))
    {
      ptl_workload_editor_show_error (self, _("Could not add a process"), error);
      return;
    }
  ptl_workload_editor_set_message (self, NULL);
  ptl_workload_editor_rebuild_rows (self);

  /* Ready to type the new process's name. */
  row = gtk_list_box_get_row_at_index (self->list, (int) n);
  if (row != NULL && n < MAX_ROWS)
    {
      GtkWidget *cell = gtk_widget_get_first_child (gtk_list_box_row_get_child (row));

      gtk_widget_grab_focus (cell);
    }
}

static void
ptl_workload_editor_remove_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (widget);
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GError) error = NULL;
  guint index = g_variant_get_uint32 (parameter);
  guint n;

  if (self->workload == NULL)
    return;
  n = ptl_sched_workload_get_n_processes (self->workload);
  if (index >= n)
    return;

  workload = ptl_sched_workload_new ();
  for (guint i = 0; i < n; i++)
    if (i != index)
      {
        Process process = get_process (self->workload, i);

        add_process (workload, &process);
      }

  if (!ptl_workload_editor_apply (self, workload, &error))
    {
      ptl_workload_editor_show_error (self, _("Could not remove the process"), error);
      return;
    }
  ptl_workload_editor_set_message (self, NULL);
  ptl_workload_editor_rebuild_rows (self);
}

/* A generator is a parameter value of its own: the experiment makes the
 * workload from the form's Processes and Seed, and so does the table. */
static void
ptl_workload_editor_generate_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->experiment == NULL)
    return;

  if (!ptl_experiment_set_param (self->experiment, "workload",
                                 g_variant_get_string (parameter, NULL), &error))
    ptl_workload_editor_show_error (self, _("Could not generate a workload"), error);
}

static void
ptl_workload_editor_add_filters (GtkFileChooser *chooser,
                                 gboolean        saving)
{
  static const struct
  {
    const char *name;
    const char *suffix;
  } filters[] = {
    { N_("CSV Workload"), "csv" },
    { N_("JSON Workload"), "json" },
  };

  /* Opening takes either format at once; saving picks one. */
  if (!saving)
    {
      g_autoptr(GtkFileFilter) both = gtk_file_filter_new ();

      gtk_file_filter_set_name (both, _("Workloads (CSV or JSON)"));
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
ptl_workload_editor_chooser_response_cb (PtlWorkloadEditor    *self,
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
      ptl_workload_editor_import (self, file, NULL);
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
  ptl_workload_editor_export (self, file, NULL);
}

static void
ptl_workload_editor_open_chooser (PtlWorkloadEditor *self,
                                  gboolean           saving)
{
  GtkFileChooserNative *dialog;
  GtkRoot *root;

  if (self->dialog != NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = gtk_file_chooser_native_new (saving ? _("Export Workload") : _("Import Workload"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        saving ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        saving ? _("_Export") : _("_Import"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  ptl_workload_editor_add_filters (GTK_FILE_CHOOSER (dialog), saving);
  if (saving)
    {
      g_autofree char *name = g_strdup_printf ("%s-workload.csv", ptl_experiment_get_id (self->experiment));

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }

  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (ptl_workload_editor_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->dialog = GTK_NATIVE_DIALOG (dialog);
  gtk_native_dialog_show (self->dialog);
}

static void
ptl_workload_editor_import_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ptl_workload_editor_open_chooser (PTL_WORKLOAD_EDITOR (widget), FALSE);
}

static void
ptl_workload_editor_export_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ptl_workload_editor_open_chooser (PTL_WORKLOAD_EDITOR (widget), TRUE);
}

/* Following the experiment */

static void
ptl_workload_editor_experiment_notify_cb (PtlWorkloadEditor *self,
                                          GParamSpec        *pspec,
                                          PtlExperiment     *experiment)
{
  if (g_strcmp0 (pspec->name, "workload") == 0)
    {
      if (self->applying == 0)
        ptl_workload_editor_reload (self);
    }
  else if (g_strcmp0 (pspec->name, "processes") == 0 || g_strcmp0 (pspec->name, "seed") == 0)
    {
      ptl_workload_editor_update_generator_label (self);
      if (self->source == SOURCE_GENERATOR)
        ptl_workload_editor_reload (self);
    }
}

static void
ptl_workload_editor_dispose (GObject *object)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (object);

  if (self->dialog != NULL)
    gtk_native_dialog_destroy (self->dialog);
  g_clear_object (&self->dialog);

  if (self->experiment != NULL)
    g_signal_handlers_disconnect_by_data (self->experiment, self);
  g_clear_object (&self->experiment);
  g_clear_object (&self->workload);

  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_WORKLOAD_EDITOR);

  G_OBJECT_CLASS (ptl_workload_editor_parent_class)->dispose (object);
}

static void
ptl_workload_editor_finalize (GObject *object)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (object);

  g_free (self->message);

  G_OBJECT_CLASS (ptl_workload_editor_parent_class)->finalize (object);
}

static void
ptl_workload_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (object);

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
ptl_workload_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PtlWorkloadEditor *self = PTL_WORKLOAD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      ptl_workload_editor_set_experiment (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_workload_editor_class_init (PtlWorkloadEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_workload_editor_dispose;
  object_class->finalize = ptl_workload_editor_finalize;
  object_class->get_property = ptl_workload_editor_get_property;
  object_class->set_property = ptl_workload_editor_set_property;

  properties[PROP_EXPERIMENT] =
    g_param_spec_object ("experiment", NULL, NULL,
                         PTL_TYPE_EXPERIMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-workload-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, source_label);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, header_box);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, list);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, generator_label);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, name_group);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, arrival_group);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, bursts_group);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, priority_group);
  gtk_widget_class_bind_template_child (widget_class, PtlWorkloadEditor, remove_group);

  gtk_widget_class_install_action (widget_class, "workload.add", NULL,
                                   ptl_workload_editor_add_action);
  gtk_widget_class_install_action (widget_class, "workload.remove", "u",
                                   ptl_workload_editor_remove_action);
  gtk_widget_class_install_action (widget_class, "workload.generate", "s",
                                   ptl_workload_editor_generate_action);
  gtk_widget_class_install_action (widget_class, "workload.import", NULL,
                                   ptl_workload_editor_import_action);
  gtk_widget_class_install_action (widget_class, "workload.export", NULL,
                                   ptl_workload_editor_export_action);
}

static void
ptl_workload_editor_init (PtlWorkloadEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  ptl_workload_editor_rebuild_rows (self);
  ptl_workload_editor_update_actions (self);
}

GtkWidget *
ptl_workload_editor_new (void)
{
  return g_object_new (PTL_TYPE_WORKLOAD_EDITOR, NULL);
}

gboolean
ptl_workload_editor_can_edit (PtlExperiment *experiment)
{
  GParamSpec *pspec;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (experiment), FALSE);

  pspec = ptl_experiment_find_param (experiment, "workload");
  return pspec != NULL && G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRING;
}

void
ptl_workload_editor_set_experiment (PtlWorkloadEditor *self,
                                    PtlExperiment     *experiment)
{
  g_return_if_fail (PTL_IS_WORKLOAD_EDITOR (self));
  g_return_if_fail (experiment == NULL || ptl_workload_editor_can_edit (experiment));

  if (self->experiment == experiment)
    return;

  if (self->experiment != NULL)
    g_signal_handlers_disconnect_by_data (self->experiment, self);
  g_set_object (&self->experiment, experiment);
  if (experiment != NULL)
    g_signal_connect_object (experiment, "notify",
                             G_CALLBACK (ptl_workload_editor_experiment_notify_cb), self,
                             G_CONNECT_SWAPPED);

  ptl_workload_editor_update_generator_label (self);
  ptl_workload_editor_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPERIMENT]);
}

PtlExperiment *
ptl_workload_editor_get_experiment (PtlWorkloadEditor *self)
{
  g_return_val_if_fail (PTL_IS_WORKLOAD_EDITOR (self), NULL);

  return self->experiment;
}

PtlSchedWorkload *
ptl_workload_editor_get_workload (PtlWorkloadEditor *self)
{
  g_return_val_if_fail (PTL_IS_WORKLOAD_EDITOR (self), NULL);

  return self->workload;
}

char *
ptl_workload_editor_dup_path (PtlWorkloadEditor *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (PTL_IS_WORKLOAD_EDITOR (self), NULL);

  if (self->experiment == NULL)
    return NULL;

  name = g_strdup_printf ("%s-workload.csv", ptl_experiment_get_id (self->experiment));
  return g_build_filename (g_get_user_data_dir (), "ptlab", name, NULL);
}

gboolean
ptl_workload_editor_import (PtlWorkloadEditor  *self,
                            GFile              *file,
                            GError            **error)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (PTL_IS_WORKLOAD_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->experiment == NULL)
    {
      g_set_error_literal (&local_error, PTL_ERROR, PTL_ERROR_FAILED,
                           _("There is no experiment to import a workload into"));
      goto failed;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), uri);
      goto failed;
    }

  /* The loader's errors name the file, the line and the column. */
  workload = ptl_sched_workload_load (path, &local_error);
  if (workload == NULL || !ptl_workload_editor_apply (self, workload, &local_error))
    goto failed;

  ptl_workload_editor_set_message (self, NULL);
  ptl_workload_editor_rebuild_rows (self);
  basename = g_file_get_basename (file);
  /* TRANSLATORS: %s is a file name */
  message = g_strdup_printf (_("Imported %s"), basename);
  ptl_workload_editor_toast (self, message);
  return TRUE;

failed:
  ptl_workload_editor_show_error (self, _("Could not import the workload"), local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
ptl_workload_editor_export (PtlWorkloadEditor  *self,
                            GFile              *file,
                            GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (PTL_IS_WORKLOAD_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (self->workload == NULL)
    g_set_error_literal (&local_error, PTL_ERROR, PTL_ERROR_FAILED,
                         _("There is no workload to export"));
  else if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), uri);
    }
  else
    ptl_sched_workload_save (self->workload, path, &local_error);

  if (local_error != NULL)
    {
      ptl_workload_editor_show_error (self, _("Could not export the workload"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  basename = g_file_get_basename (file);
  /* TRANSLATORS: %s is a file name */
  message = g_strdup_printf (_("Saved %s"), basename);
  ptl_workload_editor_toast (self, message);
  return TRUE;
}

const char *
ptl_workload_editor_get_message (PtlWorkloadEditor *self)
{
  g_return_val_if_fail (PTL_IS_WORKLOAD_EDITOR (self), NULL);

  return self->message;
}
