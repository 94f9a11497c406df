/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-step-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-step-window.h"

/* The engine holds the whole run; the window only draws it after every
 * change (ptl_step_window_sync ()). The hint is played on a timer so the
 * steps can be followed; any step, undo or reset by the user stops it. */

/* Slow enough to follow each step, quick enough for a dozen. */
#define HINT_STEP_MS 450

typedef struct
{
  GtkWidget  *card;
  GtkLabel   *register_label;
  GtkLabel   *status_label;
  GtkListBox *steps;
  GtkWidget  *button;
} ThreadView;

struct _PtlStepWindow
{
  AdwWindow      parent_instance;

  /* template widgets */
  GtkDropDown   *scenario_dropdown;
  GtkLabel      *goal_label;
  GtkLabel      *verdict_label;
  GtkBox        *threads_box;
  GtkLabel      *shared_label;
  GtkLabel      *history_label;

  /* owned */
  PtlStepEngine *engine;
  GArray        *hint;      /* of guint threads, being played */
  char          *refusal;   /* why the latest step was refused, until the next change */

  ThreadView     threads[PTL_STEP_MAX_THREADS];
  guint          hint_position;
  guint          hint_source;
};

G_DEFINE_FINAL_TYPE (PtlStepWindow, ptl_step_window, ADW_TYPE_WINDOW)

static void
ptl_step_window_stop_hint (PtlStepWindow *self)
{
  g_clear_handle_id (&self->hint_source, g_source_remove);
  g_clear_pointer (&self->hint, g_array_unref);
}

static void
ptl_step_window_sync (PtlStepWindow *self)
{
  const PtlStepScenario *scenario = ptl_step_engine_get_scenario (self->engine);
  PtlStepVerdict verdict = ptl_step_engine_get_verdict (self->engine);
  g_autoptr(GString) shared = g_string_new (NULL);
  g_autoptr(GString) order = g_string_new (NULL);
  g_autofree char *announcement = NULL;
  const guint *history;
  guint n_steps;

  for (guint t = 0; t < scenario->n_threads; t++)
    {
      ThreadView *view = &self->threads[t];
      guint pc = ptl_step_engine_get_pc (self->engine, t);
      gboolean finished = pc >= scenario->lengths[t];
      g_autofree char *why = ptl_step_engine_dup_blocked_reason (self->engine, t);
      g_autofree char *reg = g_strdup_printf ("r = %d", ptl_step_engine_get_register (self->engine, t));
      g_autofree char *status = NULL;

      for (guint i = 0; i < scenario->lengths[t]; i++)
        {
          GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (view->steps, (int) i));

          if (i == pc)
            gtk_widget_add_css_class (row, "ptl-step-current");
          else
            gtk_widget_remove_css_class (row, "ptl-step-current");
        }
      gtk_label_set_text (view->register_label, reg);
      if (finished)
        status = g_strdup (_("Finished"));
      else if (why != NULL)
        /* TRANSLATORS: why a thread cannot take its next step, e.g. "Cannot step: lock B is held by thread 2" */
        status = g_strdup_printf (_("Cannot step: %s"), why);
      else
        status = g_strdup (_("Ready to step"));
      gtk_label_set_text (view->status_label, status);
      if (why != NULL && !finished)
        gtk_widget_add_css_class (view->card, "ptl-step-blocked");
      else
        gtk_widget_remove_css_class (view->card, "ptl-step-blocked");
      gtk_widget_set_sensitive (view->button, ptl_step_engine_can_step (self->engine, t));
    }

  /* Variables as in the code; who holds, waits and sleeps in words. */
  for (guint v = 0; v < scenario->n_vars; v++)
    {
      g_autofree char *line = g_markup_printf_escaped ("<tt>%s = %d</tt>\n", scenario->var_names[v],
                                                       ptl_step_engine_get_var (self->engine, v));

      g_string_append (shared, line);
    }
  /* Who holds each lock and who waits for it, who sleeps on each
   * condition: what a thread's own card cannot say about the others. */
  for (guint l = 0; l < scenario->n_locks; l++)
    {
      g_autofree char *text = ptl_step_engine_describe_lock (self->engine, l);
      g_autofree char *line = g_markup_printf_escaped ("%s\n", text);

      g_string_append (shared, line);
    }
  for (guint c = 0; c < scenario->n_conds; c++)
    {
      g_autofree char *text = ptl_step_engine_describe_condition (self->engine, c);
      g_autofree char *line = g_markup_printf_escaped ("%s\n", text);

      g_string_append (shared, line);
    }
  if (shared->len > 0)
    g_string_truncate (shared, shared->len - 1);
  gtk_label_set_markup (self->shared_label, shared->str);

  history = ptl_step_engine_get_history (self->engine, &n_steps);
  for (guint i = 0; i < n_steps; i++)
    g_string_append_printf (order, "%s%u", i > 0 ? " " : "", history[i] + 1);
  if (n_steps == 0)
    gtk_label_set_text (self->history_label, _("No step taken yet."));
  else
    {
      /* TRANSLATORS: the threads that took each step so far, e.g. "Order so far: 1 1 2 2" */
      g_autofree char *text = g_strdup_printf (_("Order so far: %s"), order->str);

      gtk_label_set_text (self->history_label, text);
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "success");
  if (verdict != PTL_STEP_RUNNING)
    {
      announcement = ptl_step_engine_describe_verdict (self->engine);
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label),
                                verdict == PTL_STEP_CORRECT ? "success" : "error");
    }
  else if (self->refusal != NULL)
    announcement = g_strdup (self->refusal);
  else if (self->hint != NULL)
    announcement = g_strdup (_("Playing the hint…"));
  else
    announcement = g_strdup (_("Pick the thread that takes the next step: its Step button, or the keys 1, 2 and 3."));
  gtk_label_set_text (self->verdict_label, announcement);
  /* Read out by screen readers as it changes. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, announcement,
                                  -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.undo", n_steps > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.reset", n_steps > 0 || self->hint != NULL);
}

static void
ptl_step_window_set_refusal (PtlStepWindow *self,
                             const char    *refusal)
{
  g_free (self->refusal);
  self->refusal = g_strdup (refusal);
}

/* The threads' columns for the engine's scenario. */
static void
ptl_step_window_build (PtlStepWindow *self)
{
  const PtlStepScenario *scenario = ptl_step_engine_get_scenario (self->engine);
  g_autofree char *goal = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->threads_box))) != NULL)
    gtk_box_remove (self->threads_box, child);
  memset (self->threads, 0, sizeof self->threads);

  goal = g_strdup_printf ("%s. %s", _(scenario->title), _(scenario->goal));
  gtk_label_set_text (self->goal_label, goal);

  for (guint t = 0; t < scenario->n_threads; t++)
    {
      ThreadView *view = &self->threads[t];
      g_autofree char *title = g_strdup_printf (_("Thread %u"), t + 1);
      /* TRANSLATORS: a button; %u is a thread number, also its key */
      g_autofree char *button_label = g_strdup_printf (_("Step Thread _%u"), t + 1);
      GtkWidget *heading = gtk_label_new (title);
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *header;
      GtkWidget *names;

      view->card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (view->card, "card");
      gtk_widget_add_css_class (view->card, "ptl-step-thread");
      gtk_widget_set_valign (view->card, GTK_ALIGN_START);

      /* The button beside the name, so it stays in sight above a long
       * program. */
      header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_hexpand (names, TRUE);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "title-4");
      gtk_box_append (GTK_BOX (names), heading);
      if (scenario->thread_roles[t] != NULL)
        {
          GtkWidget *role = gtk_label_new (_(scenario->thread_roles[t]));

          gtk_label_set_xalign (GTK_LABEL (role), 0);
          gtk_widget_add_css_class (role, "dim-label");
          gtk_box_append (GTK_BOX (names), role);
        }
      gtk_box_append (GTK_BOX (header), names);
      view->button = gtk_button_new_with_mnemonic (button_label);
      gtk_widget_set_name (view->button, "step");
      gtk_widget_set_valign (view->button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (view->button), "step.thread");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (view->button), "u", t);
      gtk_box_append (GTK_BOX (header), view->button);
      gtk_box_append (GTK_BOX (view->card), header);

      view->steps = GTK_LIST_BOX (list);
      gtk_list_box_set_selection_mode (view->steps, GTK_SELECTION_NONE);
      gtk_widget_set_name (list, "steps");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
      for (guint i = 0; i < scenario->lengths[t]; i++)
        {
          g_autofree char *code = ptl_step_describe_instr (scenario, t, i);
          g_autofree char *line = g_strdup_printf ("%2u  %s", i + 1, code);
          GtkWidget *label = gtk_label_new (line);
          GtkWidget *row = gtk_list_box_row_new ();

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "monospace");
          gtk_widget_set_margin_start (label, 6);
          gtk_widget_set_margin_end (label, 6);
          gtk_widget_set_margin_top (label, 1);
          gtk_widget_set_margin_bottom (label, 1);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
          gtk_widget_set_focusable (row, FALSE);
          gtk_list_box_append (view->steps, row);
        }
      gtk_box_append (GTK_BOX (view->card), list);

      view->register_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (view->register_label, 0);
      gtk_widget_add_css_class (GTK_WIDGET (view->register_label), "monospace");
      gtk_box_append (GTK_BOX (view->card), GTK_WIDGET (view->register_label));

      view->status_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (view->status_label, 0);
      gtk_label_set_wrap (view->status_label, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (view->status_label), "dim-label");
      gtk_box_append (GTK_BOX (view->card), GTK_WIDGET (view->status_label));

      gtk_box_append (self->threads_box, view->card);
    }
}

static void
ptl_step_window_restart (PtlStepWindow         *self,
                         const PtlStepScenario *scenario)
{
  ptl_step_window_stop_hint (self);
  ptl_step_window_set_refusal (self, NULL);
  g_clear_pointer (&self->engine, ptl_step_engine_free);
  self->engine = ptl_step_engine_new (scenario);
}

/* Callbacks */

static void
ptl_step_window_scenario_selected_cb (PtlStepWindow *self,
                                      GParamSpec    *pspec,
                                      GtkDropDown   *dropdown)
{
  const char * const *ids = ptl_step_list_scenarios ();
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected >= g_strv_length ((char **) ids))
    return;
  ptl_step_window_set_scenario (self, ids[selected]);
}

static gboolean
ptl_step_window_hint_tick_cb (gpointer user_data)
{
  PtlStepWindow *self = user_data;
  guint thread = g_array_index (self->hint, guint, self->hint_position++);
  gboolean stepped;

  stepped = ptl_step_engine_step (self->engine, thread, NULL);
  g_assert (stepped);
  if (self->hint_position == self->hint->len)
    {
      self->hint_source = 0;
      g_clear_pointer (&self->hint, g_array_unref);
      ptl_step_window_sync (self);
      return G_SOURCE_REMOVE;
    }
  ptl_step_window_sync (self);
  return G_SOURCE_CONTINUE;
}

/* Actions */

static void
ptl_step_window_thread_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  PtlStepWindow *self = PTL_STEP_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  ptl_step_window_stop_hint (self);
  if (ptl_step_engine_step (self->engine, g_variant_get_uint32 (parameter), &error))
    ptl_step_window_set_refusal (self, NULL);
  else
    {
      gtk_widget_error_bell (widget);
      ptl_step_window_set_refusal (self, error->message);
    }
  ptl_step_window_sync (self);
}

static void
ptl_step_window_undo_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PtlStepWindow *self = PTL_STEP_WINDOW (widget);

  ptl_step_window_stop_hint (self);
  ptl_step_window_set_refusal (self, NULL);
  ptl_step_engine_undo (self->engine);
  ptl_step_window_sync (self);
}

static void
ptl_step_window_reset_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PtlStepWindow *self = PTL_STEP_WINDOW (widget);

  ptl_step_window_restart (self, ptl_step_engine_get_scenario (self->engine));
  ptl_step_window_sync (self);
}

/* From where the user is when the run can still break; from the start
 * when it cannot any more (or is over). */
static void
ptl_step_window_hint_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PtlStepWindow *self = PTL_STEP_WINDOW (widget);
  g_autoptr(GArray) hint = NULL;

  ptl_step_window_stop_hint (self);
  ptl_step_window_set_refusal (self, NULL);
  hint = ptl_step_engine_find_breaking_continuation (self->engine);
  if (hint == NULL)
    {
      ptl_step_window_restart (self, ptl_step_engine_get_scenario (self->engine));
      hint = ptl_step_engine_find_breaking_continuation (self->engine);
    }
  if (hint == NULL)
    ptl_step_window_set_refusal (self, _("No order of steps breaks this scenario: every interleaving ends correct."));
  else
    {
      self->hint = g_steal_pointer (&hint);
      self->hint_position = 0;
      self->hint_source = g_timeout_add (HINT_STEP_MS, ptl_step_window_hint_tick_cb, self);
    }
  ptl_step_window_sync (self);
}

static void
ptl_step_window_dispose (GObject *object)
{
  PtlStepWindow *self = PTL_STEP_WINDOW (object);

  ptl_step_window_stop_hint (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_STEP_WINDOW);

  G_OBJECT_CLASS (ptl_step_window_parent_class)->dispose (object);
}

static void
ptl_step_window_finalize (GObject *object)
{
  PtlStepWindow *self = PTL_STEP_WINDOW (object);

  g_clear_pointer (&self->engine, ptl_step_engine_free);
  g_free (self->refusal);

  G_OBJECT_CLASS (ptl_step_window_parent_class)->finalize (object);
}

static void
ptl_step_window_class_init (PtlStepWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const guint digit_keys[][2] = {
    { GDK_KEY_1, GDK_KEY_KP_1 }, { GDK_KEY_2, GDK_KEY_KP_2 }, { GDK_KEY_3, GDK_KEY_KP_3 },
  };

  object_class->dispose = ptl_step_window_dispose;
  object_class->finalize = ptl_step_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-step-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlStepWindow, scenario_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PtlStepWindow, goal_label);
  gtk_widget_class_bind_template_child (widget_class, PtlStepWindow, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, PtlStepWindow, threads_box);
  gtk_widget_class_bind_template_child (widget_class, PtlStepWindow, shared_label);
  gtk_widget_class_bind_template_child (widget_class, PtlStepWindow, history_label);
  gtk_widget_class_bind_template_callback (widget_class, ptl_step_window_scenario_selected_cb);

  gtk_widget_class_install_action (widget_class, "step.thread", "u", ptl_step_window_thread_action);
  gtk_widget_class_install_action (widget_class, "step.undo", NULL, ptl_step_window_undo_action);
  gtk_widget_class_install_action (widget_class, "step.reset", NULL, ptl_step_window_reset_action);
  gtk_widget_class_install_action (widget_class, "step.hint", NULL, ptl_step_window_hint_action);

  /* 1, 2, 3 step a thread, on the main keys and the keypad. */
  for (guint t = 0; t < G_N_ELEMENTS (digit_keys); t++)
    for (guint k = 0; k < 2; k++)
      gtk_widget_class_add_binding_action (widget_class, digit_keys[t][k], 0, "step.thread", "u", t);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "step.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "step.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "step.hint", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ptl_step_window_init (PtlStepWindow *self)
{
  const char * const *ids = ptl_step_list_scenarios ();
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; ids[i] != NULL; i++)
    gtk_string_list_append (titles, _(ptl_step_find_scenario (ids[i])->title));
  self->engine = ptl_step_engine_new (ptl_step_find_scenario (ids[0]));
  ptl_step_window_build (self);
  ptl_step_window_sync (self);
  /* Last: selecting the first item notifies, and the engine is there. */
  gtk_drop_down_set_model (self->scenario_dropdown, G_LIST_MODEL (titles));
}

PtlStepWindow *
ptl_step_window_new (void)
{
  return g_object_new (PTL_TYPE_STEP_WINDOW, NULL);
}

gboolean
ptl_step_window_set_scenario (PtlStepWindow *self,
                              const char    *id)
{
  const char * const *ids = ptl_step_list_scenarios ();
  const PtlStepScenario *scenario;

  g_return_val_if_fail (PTL_IS_STEP_WINDOW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  scenario = ptl_step_find_scenario (id);
  if (scenario == NULL)
    return FALSE;
  if (scenario != ptl_step_engine_get_scenario (self->engine))
    {
      ptl_step_window_restart (self, scenario);
      ptl_step_window_build (self);
      ptl_step_window_sync (self);
    }
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id) && gtk_drop_down_get_selected (self->scenario_dropdown) != i)
      gtk_drop_down_set_selected (self->scenario_dropdown, i);
  return TRUE;
}

const char *
ptl_step_window_get_scenario (PtlStepWindow *self)
{
  g_return_val_if_fail (PTL_IS_STEP_WINDOW (self), NULL);

  return ptl_step_engine_get_scenario (self->engine)->id;
}

const PtlStepEngine *
ptl_step_window_get_engine (PtlStepWindow *self)
{
  g_return_val_if_fail (PTL_IS_STEP_WINDOW (self), NULL);

  return self->engine;
}

gboolean
ptl_step_window_get_playing (PtlStepWindow *self)
{
  g_return_val_if_fail (PTL_IS_STEP_WINDOW (self), FALSE);

  return self->hint != NULL;
}

const char *
ptl_step_window_get_announcement (PtlStepWindow *self)
{
  g_return_val_if_fail (PTL_IS_STEP_WINDOW (self), NULL);

  return gtk_label_get_text (self->verdict_label);
}
