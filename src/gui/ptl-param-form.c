/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-param-form"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-param-form.h"

/* The form is generated from the experiment's parameter pspecs and holds
 * no rules of its own: every edit is handed to ptl_experiment_set_param ()
 * as text, and what it refuses is shown and not applied. The widgets
 * follow the experiment's notify signals, so values set elsewhere (reset,
 * restored settings, tests) show up too. */

typedef struct
{
  GParamSpec *pspec;  /* borrowed from the experiment's class */
  GtkWidget  *row;    /* AdwActionRow, AdwComboRow or AdwEntryRow */
  GtkWidget  *editor; /* the row's GtkSpinButton or GtkSwitch, else NULL */
  GPtrArray  *checks; /* a list parameter's GtkCheckButton per choice, else NULL */
  char       *error;  /* why the input the row still shows was refused */
} PtlParamRow;

struct _PtlParamForm
{
  AdwBin               parent_instance;

  /* template widgets */
  AdwPreferencesGroup *group;
  GtkLabel            *validation_label;

  /* owned */
  PtlExperiment       *experiment;
  GPtrArray           *rows;
  GSettings           *settings;

  guint                syncing;     /* > 0 while widgets follow the experiment */
  guint                revalidate_id;
  gboolean             valid;
};

enum {
  PROP_0,
  PROP_EXPERIMENT,
  PROP_VALID,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlParamForm, ptl_param_form, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
ptl_param_row_free (PtlParamRow *row)
{
  g_clear_pointer (&row->checks, g_ptr_array_unref);
  g_free (row->error);
  g_free (row);
}

static gboolean
pspec_get_range (GParamSpec *pspec,
                 double     *minimum,
                 double     *maximum,
                 gboolean   *integral)
{
  *integral = TRUE;

#define RANGE_OF(TYPE_CHECK, CAST)                            \
  if (TYPE_CHECK (pspec))                                     \
    {                                                         \
      *minimum = (double) CAST (pspec)->minimum;              \
      *maximum = (double) CAST (pspec)->maximum;              \
      return TRUE;                                            \
    }
  RANGE_OF (G_IS_PARAM_SPEC_INT, G_PARAM_SPEC_INT)
  RANGE_OF (G_IS_PARAM_SPEC_UINT, G_PARAM_SPEC_UINT)
  RANGE_OF (G_IS_PARAM_SPEC_LONG, G_PARAM_SPEC_LONG)
  RANGE_OF (G_IS_PARAM_SPEC_ULONG, G_PARAM_SPEC_ULONG)
  RANGE_OF (G_IS_PARAM_SPEC_INT64, G_PARAM_SPEC_INT64)
  RANGE_OF (G_IS_PARAM_SPEC_UINT64, G_PARAM_SPEC_UINT64)
  *integral = FALSE;
  RANGE_OF (G_IS_PARAM_SPEC_DOUBLE, G_PARAM_SPEC_DOUBLE)
  RANGE_OF (G_IS_PARAM_SPEC_FLOAT, G_PARAM_SPEC_FLOAT)
#undef RANGE_OF

  return FALSE;
}

static double
ptl_param_form_get_number (PtlParamForm *self,
                           GParamSpec   *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) number = G_VALUE_INIT;

  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_value_init (&number, G_TYPE_DOUBLE);
  g_object_get_property (G_OBJECT (self->experiment), pspec->name, &value);
  if (!g_value_transform (&value, &number))
    return NAN;
  return g_value_get_double (&number);
}

static char *
format_number (double   value,
               gboolean integral)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (integral)
    return g_strdup_printf ("%.0f", round (value));

  /* Enough digits for what a spin button shows, without the binary noise
   * of 0.1 steps (0.30000000000000004). */
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", value));
}

static void
ptl_param_form_toast (PtlParamForm *self,
                      const char   *message)
{
  GtkWidget *overlay;
  g_autofree char *escaped = NULL;

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static void
ptl_param_form_revalidate (PtlParamForm *self)
{
  g_autoptr(GError) error = NULL;
  const char *message = NULL;
  gboolean valid;

  valid = self->experiment != NULL;

  /* A spin button puts the applied value back when its text is refused,
   * so only rows still holding refused text (entries) make the form
   * invalid; the spin button keeps its error style as feedback. */
  for (guint i = 0; valid && i < self->rows->len; i++)
    {
      PtlParamRow *row = g_ptr_array_index (self->rows, i);

      if (row->error != NULL && !GTK_IS_SPIN_BUTTON (row->editor))
        {
          message = row->error;
          valid = FALSE;
        }
    }

  if (valid && !ptl_experiment_validate (self->experiment, &error))
    {
      message = error->message;
      valid = FALSE;
    }

  gtk_label_set_text (self->validation_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->validation_label), message != NULL);

  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
ptl_param_row_set_error (PtlParamRow *row,
                         const char  *message)
{
  GtkWidget *target = row->editor ? row->editor : row->row;

  g_free (row->error);
  row->error = g_strdup (message);

  if (message != NULL)
    gtk_widget_add_css_class (target, "error");
  else
    gtk_widget_remove_css_class (target, "error");
  gtk_widget_set_tooltip_text (target, message);
}

/* Hands @text to the one rule; a refusal is shown on the row and in a
 * toast, and the experiment keeps its previous value. */
static gboolean
ptl_param_form_apply (PtlParamForm *self,
                      PtlParamRow  *row,
                      const char   *text,
                      gboolean      toast)
{
  g_autoptr(GError) error = NULL;

  if (!ptl_experiment_set_param (self->experiment, row->pspec->name, text, &error))
    {
      ptl_param_row_set_error (row, error->message);
      if (toast)
        ptl_param_form_toast (self, error->message);
      ptl_param_form_revalidate (self);
      return FALSE;
    }

  ptl_param_row_set_error (row, NULL);
  ptl_param_form_revalidate (self);
  return TRUE;
}

static PtlParamRow *
ptl_param_form_find_row (PtlParamForm *self,
                         const char   *name)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      PtlParamRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->pspec->name, name) == 0)
        return row;
    }
  return NULL;
}

/* Shows the experiment's current value in @row's widget. */
static void
ptl_param_form_sync_row (PtlParamForm *self,
                         PtlParamRow  *row)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (row->pspec);

  self->syncing++;

  if (GTK_IS_SPIN_BUTTON (row->editor))
    {
      double value = ptl_param_form_get_number (self, row->pspec);

      if (value != gtk_spin_button_get_value (GTK_SPIN_BUTTON (row->editor)))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->editor), value);
    }
  else if (GTK_IS_SWITCH (row->editor))
    {
      gboolean active;

      g_object_get (self->experiment, row->pspec->name, &active, NULL);
      gtk_switch_set_active (GTK_SWITCH (row->editor), active);
    }
  else if (ADW_IS_COMBO_ROW (row->row) && G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, type);
      g_object_get_property (G_OBJECT (self->experiment), row->pspec->name, &value);
      for (guint i = 0; i < klass->n_values; i++)
        if (klass->values[i].value == g_value_get_enum (&value))
          adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), i);
    }
  else if (row->checks != NULL)
    {
      const char * const *choices = ptl_param_get_list_choices (row->pspec);
      g_autofree char *text = ptl_experiment_dup_param_text (self->experiment, row->pspec->name);
      g_auto(GStrv) listed = g_strsplit (text ? text : "", ",", -1);
      gboolean all = g_strcmp0 (text, PTL_PARAM_LIST_ALL) == 0;
      g_autofree char *subtitle = NULL;

      for (guint i = 0; listed[i] != NULL; i++)
        g_strstrip (listed[i]);
      for (guint i = 0; i < row->checks->len; i++)
        gtk_check_button_set_active (g_ptr_array_index (row->checks, i),
                                     all || g_strv_contains ((const char * const *) listed, choices[i]));
      {
        g_autofree char *shown = g_strjoinv (", ", listed);

        subtitle = g_markup_escape_text (all ? _("All") : shown, -1);
      }
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->row), subtitle);
    }
  else
    {
      g_autofree char *text = ptl_experiment_dup_param_text (self->experiment,
                                                             row->pspec->name);

      /* Only replace differing text, so typing keeps its cursor. */
      if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (row->row))) != 0)
        gtk_editable_set_text (GTK_EDITABLE (row->row), text ? text : "");
    }

  self->syncing--;
  ptl_param_row_set_error (row, NULL);
}

static void
ptl_param_form_sync_all (PtlParamForm *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    ptl_param_form_sync_row (self, g_ptr_array_index (self->rows, i));
  ptl_param_form_revalidate (self);
}

static void
ptl_param_form_save (PtlParamForm *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GVariant) old = NULL;
  g_autofree char *text = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *id;
  const char *key;
  const char *value;

  for (guint i = 0; i < self->rows->len; i++)
    {
      PtlParamRow *row = g_ptr_array_index (self->rows, i);
      g_autofree char *param = ptl_experiment_dup_param_text (self->experiment,
                                                              row->pspec->name);

      json_object_set_string_member (params, row->pspec->name, param ? param : "");
    }
  node = json_node_init_object (json_node_alloc (), params);
  text = json_to_string (node, FALSE);

  id = ptl_experiment_get_id (self->experiment);
  old = g_settings_get_value (self->settings, "parameters");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (key, id) != 0)
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", id, text);
  g_settings_set_value (self->settings, "parameters", g_variant_builder_end (&builder));
}

static void
ptl_param_form_restore (PtlParamForm *self)
{
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) names = NULL;
  g_autofree char *text = NULL;
  JsonObject *params;

  saved = g_settings_get_value (self->settings, "parameters");
  if (!g_variant_lookup (saved, ptl_experiment_get_id (self->experiment), "s", &text))
    return;

  /* Saved values that no longer parse or fit (the experiment changed
   * since) are dropped one by one: the defaults stand in for them and the
   * form shows what will run. */
  node = json_from_string (text, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_debug ("Ignoring saved parameters of %s: %s",
               ptl_experiment_get_id (self->experiment),
               error ? error->message : "not an object");
      return;
    }

  params = json_node_get_object (node);
  names = json_object_get_members (params);
  for (const GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (params, l->data);
      g_autofree char *value = NULL;
      g_autoptr(GError) param_error = NULL;

      if (!JSON_NODE_HOLDS_VALUE (member))
        continue;
      if (json_node_get_value_type (member) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (member));
      else
        value = json_to_string (member, FALSE);

      if (!ptl_experiment_set_param (self->experiment, l->data, value, &param_error))
        g_debug ("Ignoring saved %s=%s: %s", (const char *) l->data, value,
                 param_error->message);
    }
}

static char *
escape_markup_text (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
ptl_param_form_dup_subtitle (GParamSpec *pspec,
                             gboolean    with_range)
{
  g_autofree char *range = NULL;
  const char *unit = ptl_param_get_unit (pspec);
  const char *blurb = g_param_spec_get_blurb (pspec);
  const char *nick = g_param_spec_get_nick (pspec);
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (with_range)
    {
      range = ptl_param_describe_range (pspec);
      g_string_append (subtitle, range);
      if (unit != NULL && *unit != '\0')
        g_string_append_printf (subtitle, " %s", _(unit));
    }

  if (blurb != NULL && *blurb != '\0' && g_strcmp0 (blurb, nick) != 0)
    {
      if (subtitle->len > 0)
        /* TRANSLATORS: separates a parameter's range from its description */
        g_string_append (subtitle, _(" · "));
      g_string_append (subtitle, _(blurb));
    }

  /* Subtitles may be taken as markup: escape what markup would read, but
   * not apostrophes and quotes, which a row that shows plain text would
   * print as "&apos;". */
  return escape_markup_text (subtitle->str);
}

static void
ptl_param_form_experiment_notify_cb (PtlParamForm  *self,
                                     GParamSpec    *pspec,
                                     PtlExperiment *experiment)
{
  PtlParamRow *row = ptl_param_form_find_row (self, pspec->name);

  if (row == NULL)
    return;

  ptl_param_form_sync_row (self, row);
  ptl_param_form_revalidate (self);
  ptl_param_form_save (self);
}

static int
ptl_param_form_spin_input_cb (GtkSpinButton *spin,
                              double        *new_value,
                              PtlParamForm  *self)
{
  PtlParamRow *row = g_object_get_data (G_OBJECT (spin), "ptl-param-row");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *normalized = NULL;
  gboolean integral;
  double minimum;
  double maximum;
  double value;
  char *end = NULL;

  /* The spin button shows numbers the locale's way; the rule parses them
   * the C way. Numbers are converted, anything else goes through as typed
   * so the rule's own message explains the refusal. */
  value = g_strtod (text, &end);
  pspec_get_range (row->pspec, &minimum, &maximum, &integral);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end != text && end != NULL && *end == '\0')
    normalized = format_number (value, integral && value == round (value));
  else
    normalized = g_strdup (text);

  if (!ptl_param_form_apply (self, row, normalized, TRUE))
    return GTK_INPUT_ERROR;

  *new_value = ptl_param_form_get_number (self, row->pspec);
  return TRUE;
}

static void
ptl_param_form_spin_changed_cb (GtkSpinButton *spin,
                                PtlParamForm  *self)
{
  PtlParamRow *row = g_object_get_data (G_OBJECT (spin), "ptl-param-row");
  g_autofree char *text = NULL;
  double minimum;
  double maximum;
  gboolean integral;

  /* Also emitted when refused text is replaced by the applied value:
   * nothing to apply then, and the refusal stays visible. */
  if (self->syncing ||
      gtk_spin_button_get_value (spin) == ptl_param_form_get_number (self, row->pspec))
    return;

  pspec_get_range (row->pspec, &minimum, &maximum, &integral);
  text = format_number (gtk_spin_button_get_value (spin), integral);
  ptl_param_form_apply (self, row, text, TRUE);
}

static void
ptl_param_form_switch_cb (GtkSwitch    *widget,
                          GParamSpec   *pspec,
                          PtlParamForm *self)
{
  PtlParamRow *row = g_object_get_data (G_OBJECT (widget), "ptl-param-row");

  if (self->syncing)
    return;

  ptl_param_form_apply (self, row, gtk_switch_get_active (widget) ? "true" : "false", TRUE);
}

static void
ptl_param_form_combo_cb (AdwComboRow  *combo,
                         GParamSpec   *pspec,
                         PtlParamForm *self)
{
  PtlParamRow *row = g_object_get_data (G_OBJECT (combo), "ptl-param-row");
  g_autoptr(GEnumClass) klass = NULL;
  guint selected;

  if (self->syncing)
    return;

  klass = g_type_class_ref (G_PARAM_SPEC_VALUE_TYPE (row->pspec));
  selected = adw_combo_row_get_selected (combo);
  if (selected >= klass->n_values)
    return;

  ptl_param_form_apply (self, row, klass->values[selected].value_nick, TRUE);
}

/* A list parameter gets every choice checked as PTL_PARAM_LIST_ALL,
 * otherwise the checked ones in the declared order. */
static void
ptl_param_form_check_cb (GtkCheckButton *check,
                         PtlParamForm   *self)
{
  PtlParamRow *row = g_object_get_data (G_OBJECT (check), "ptl-param-row");
  const char * const *choices = ptl_param_get_list_choices (row->pspec);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean all = TRUE;

  if (self->syncing)
    return;

  for (guint i = 0; i < row->checks->len; i++)
    {
      if (!gtk_check_button_get_active (g_ptr_array_index (row->checks, i)))
        {
          all = FALSE;
          continue;
        }
      g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "", choices[i]);
    }

  ptl_param_form_apply (self, row, all ? PTL_PARAM_LIST_ALL : text->str, TRUE);
}

static void
ptl_param_form_entry_cb (GtkEditable  *editable,
                         PtlParamForm *self)
{
  PtlParamRow *row = g_object_get_data (G_OBJECT (editable), "ptl-param-row");

  if (self->syncing)
    return;

  /* Typing is in progress: show the refusal on the row, not in a toast
   * per keystroke. */
  ptl_param_form_apply (self, row, gtk_editable_get_text (editable), FALSE);
}

static GtkWidget *
ptl_param_form_create_spin (PtlParamForm *self,
                            PtlParamRow  *row)
{
  GtkAdjustment *adjustment;
  GtkWidget *spin;
  gboolean integral;
  double minimum;
  double maximum;
  double step;
  double value;
  guint digits;

  pspec_get_range (row->pspec, &minimum, &maximum, &integral);
  value = ptl_param_form_get_number (self, row->pspec);

  if (integral)
    {
      step = 1;
      digits = 0;
    }
  else
    {
      /* About a hundred steps across small ranges, whole units on
       * large ones; two decimals always allow typing finer values. */
      step = maximum - minimum >= 100 ? 1 : maximum - minimum >= 10 ? 0.1 : 0.01;
      digits = 2;
    }

  adjustment = gtk_adjustment_new (value, minimum, maximum, step, step * 10, 0);
  spin = gtk_spin_button_new (adjustment, step, digits);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 7);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(g_param_spec_get_nick (row->pspec)),
                                  -1);

  g_object_set_data (G_OBJECT (spin), "ptl-param-row", row);
  g_signal_connect_object (spin, "input",
                           G_CALLBACK (ptl_param_form_spin_input_cb), self, 0);
  g_signal_connect_object (spin, "value-changed",
                           G_CALLBACK (ptl_param_form_spin_changed_cb), self, 0);
  return spin;
}

/* A combo row gives its subtitle the room and shrinks the chosen value to
 * its minimum ("CPU-bound: compute" becomes "CPU…"): ask for the widest
 * label's width, up to half the form's, on the list inside that
 * shows the value. */
#define CHOICE_MAX_WIDTH 160

static void
ptl_param_form_fit_choices (GtkWidget  *widget,
                            GListModel *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        {
          int widest = 0;

          for (guint i = 0; i < g_list_model_get_n_items (labels); i++)
            {
              const char *text = gtk_string_list_get_string (GTK_STRING_LIST (labels), i);
              g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (child, text);
              int width;

              pango_layout_get_pixel_size (layout, &width, NULL);
              widest = MAX (widest, width);
            }
          /* The list's row adds a few pixels of padding around the label. */
          gtk_widget_set_size_request (child, MIN (widest + 8, CHOICE_MAX_WIDTH), -1);
          return;
        }
      ptl_param_form_fit_choices (child, labels);
    }
}

static PtlParamRow *
ptl_param_form_create_row (PtlParamForm *self,
                           GParamSpec   *pspec)
{
  PtlParamRow *row = g_new0 (PtlParamRow, 1);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  /* Experiments mark their nicks, blurbs and units with N_(). */
  const char *title = _(g_param_spec_get_nick (pspec));
  double minimum;
  double maximum;
  gboolean integral;

  row->pspec = pspec;

  if (pspec_get_range (pspec, &minimum, &maximum, &integral))
    {
      g_autofree char *subtitle = ptl_param_form_dup_subtitle (pspec, TRUE);

      row->editor = ptl_param_form_create_spin (self, row);
      row->row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->row), row->editor);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      g_autofree char *subtitle = ptl_param_form_dup_subtitle (pspec, FALSE);

      row->editor = gtk_switch_new ();
      gtk_widget_set_valign (row->editor, GTK_ALIGN_CENTER);
      row->row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->row), row->editor);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
      g_object_set_data (G_OBJECT (row->editor), "ptl-param-row", row);
      g_signal_connect_object (row->editor, "notify::active",
                               G_CALLBACK (ptl_param_form_switch_cb), self, 0);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autofree char *subtitle = ptl_param_form_dup_subtitle (pspec, FALSE);

      /* Readable labels in the list; the subtitle keeps the nicks the
       * command line takes. */
      for (guint i = 0; i < klass->n_values; i++)
        gtk_string_list_append (labels, ptl_param_get_choice_label (pspec, i));

      row->row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row->row), G_LIST_MODEL (labels));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
      ptl_param_form_fit_choices (row->row, G_LIST_MODEL (labels));
      g_object_set_data (G_OBJECT (row->row), "ptl-param-row", row);
      g_signal_connect_object (row->row, "notify::selected",
                               G_CALLBACK (ptl_param_form_combo_cb), self, 0);
    }
  else if (ptl_param_get_list_choices (pspec) != NULL)
    {
      const char * const *choices = ptl_param_get_list_choices (pspec);

      /* One check per choice, folded: the subtitle says what is chosen. */
      row->row = adw_expander_row_new ();
      row->checks = g_ptr_array_new ();
      for (guint i = 0; choices[i] != NULL; i++)
        {
          GtkWidget *choice = adw_action_row_new ();
          GtkWidget *check = gtk_check_button_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (choice), choices[i]);
          adw_action_row_add_prefix (ADW_ACTION_ROW (choice), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (choice), check);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row->row), choice);
          g_object_set_data (G_OBJECT (check), "ptl-param-row", row);
          g_signal_connect_object (check, "toggled",
                                   G_CALLBACK (ptl_param_form_check_cb), self, 0);
          g_ptr_array_add (row->checks, check);
        }
    }
  else
    {
      /* Strings, and any other type the rule can parse from text. */
      row->row = adw_entry_row_new ();
      gtk_widget_set_tooltip_text (row->row, _(g_param_spec_get_blurb (pspec)));
      g_object_set_data (G_OBJECT (row->row), "ptl-param-row", row);
      g_signal_connect_object (row->row, "changed",
                               G_CALLBACK (ptl_param_form_entry_cb), self, 0);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
  return row;
}

/* A removed widget can still emit: a spin button that had the focus
 * parses its text ("input") when the focus leaves it, which happens after
 * removal. Its handlers use the row, freed below, so they go first. */
static void
ptl_param_form_clear (PtlParamForm *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      PtlParamRow *row = g_ptr_array_index (self->rows, i);

      if (row->editor != NULL)
        g_signal_handlers_disconnect_by_data (row->editor, self);
      for (guint c = 0; row->checks != NULL && c < row->checks->len; c++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (row->checks, c), self);
      g_signal_handlers_disconnect_by_data (row->row, self);
      adw_preferences_group_remove (self->group, row->row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
ptl_param_form_reset_cb (PtlParamForm *self,
                         GtkButton    *button)
{
  ptl_param_form_reset (self);
}

static gboolean
ptl_param_form_revalidate_cb (gpointer data)
{
  PtlParamForm *self = data;

  self->revalidate_id = 0;
  ptl_param_form_revalidate (self);
  return G_SOURCE_REMOVE;
}

/* The user's task limit takes part in validation. PtlApplication hands
 * the new value to the core from its own handler of this change; an idle
 * revalidation comes after it, whatever order the handlers run in. */
static void
ptl_param_form_max_tasks_changed_cb (PtlParamForm *self,
                                     const char   *key,
                                     GSettings    *settings)
{
  if (self->revalidate_id == 0)
    self->revalidate_id = g_idle_add (ptl_param_form_revalidate_cb, self);
}

static void
ptl_param_form_dispose (GObject *object)
{
  PtlParamForm *self = PTL_PARAM_FORM (object);

  if (self->experiment != NULL)
    g_signal_handlers_disconnect_by_data (self->experiment, self);
  /* Before the experiment goes: a focused row's handlers would use it. */
  ptl_param_form_clear (self);
  g_clear_object (&self->experiment);
  g_clear_handle_id (&self->revalidate_id, g_source_remove);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_PARAM_FORM);

  G_OBJECT_CLASS (ptl_param_form_parent_class)->dispose (object);
}

static void
ptl_param_form_finalize (GObject *object)
{
  PtlParamForm *self = PTL_PARAM_FORM (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (ptl_param_form_parent_class)->finalize (object);
}

static void
ptl_param_form_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PtlParamForm *self = PTL_PARAM_FORM (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      g_value_set_object (value, self->experiment);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_param_form_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PtlParamForm *self = PTL_PARAM_FORM (object);

  switch (prop_id)
    {
    case PROP_EXPERIMENT:
      ptl_param_form_set_experiment (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_param_form_class_init (PtlParamFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_param_form_dispose;
  object_class->finalize = ptl_param_form_finalize;
  object_class->get_property = ptl_param_form_get_property;
  object_class->set_property = ptl_param_form_set_property;

  properties[PROP_EXPERIMENT] =
    g_param_spec_object ("experiment", NULL, NULL,
                         PTL_TYPE_EXPERIMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-param-form.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlParamForm, group);
  gtk_widget_class_bind_template_child (widget_class, PtlParamForm, validation_label);
  gtk_widget_class_bind_template_callback (widget_class, ptl_param_form_reset_cb);
}

static void
ptl_param_form_init (PtlParamForm *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ptl_param_row_free);
  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::max-tasks",
                           G_CALLBACK (ptl_param_form_max_tasks_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ptl_param_form_new (void)
{
  return g_object_new (PTL_TYPE_PARAM_FORM, NULL);
}

void
ptl_param_form_set_experiment (PtlParamForm  *self,
                               PtlExperiment *experiment)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  g_return_if_fail (PTL_IS_PARAM_FORM (self));
  g_return_if_fail (experiment == NULL || PTL_IS_EXPERIMENT (experiment));

  if (self->experiment == experiment)
    return;

  if (self->experiment != NULL)
    g_signal_handlers_disconnect_by_data (self->experiment, self);
  ptl_param_form_clear (self);
  g_set_object (&self->experiment, experiment);

  if (experiment != NULL)
    {
      ptl_param_form_restore (self);

      pspecs = ptl_experiment_list_params (experiment, &n_pspecs);
      for (guint i = 0; i < n_pspecs; i++)
        {
          PtlParamRow *row = ptl_param_form_create_row (self, pspecs[i]);

          g_ptr_array_add (self->rows, row);
          adw_preferences_group_add (self->group, row->row);
        }

      ptl_param_form_sync_all (self);
      g_signal_connect_object (experiment, "notify",
                               G_CALLBACK (ptl_param_form_experiment_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else
    ptl_param_form_revalidate (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPERIMENT]);
}

PtlExperiment *
ptl_param_form_get_experiment (PtlParamForm *self)
{
  g_return_val_if_fail (PTL_IS_PARAM_FORM (self), NULL);

  return self->experiment;
}

gboolean
ptl_param_form_get_valid (PtlParamForm *self)
{
  g_return_val_if_fail (PTL_IS_PARAM_FORM (self), FALSE);

  return self->valid;
}

void
ptl_param_form_reset (PtlParamForm *self)
{
  g_return_if_fail (PTL_IS_PARAM_FORM (self));

  if (self->experiment == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      PtlParamRow *row = g_ptr_array_index (self->rows, i);
      g_autofree char *text = ptl_param_dup_default_text (row->pspec);
      g_autoptr(GError) error = NULL;

      /* A default the rule refuses is a bug in the experiment: the row
       * says so rather than hiding it. */
      if (ptl_experiment_set_param (self->experiment, row->pspec->name, text, &error))
        /* Also for unchanged values (no notify): the row may still show
         * refused text. */
        ptl_param_form_sync_row (self, row);
      else
        ptl_param_row_set_error (row, error->message);
    }

  ptl_param_form_revalidate (self);
  ptl_param_form_save (self);
}
