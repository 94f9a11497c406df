/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/resource.h>

#include "ptl-core.h"
#include "ptl-preferences-window.h"

/* The settings that are the user's, not an experiment's: the cap on
 * threads and processes one run may have (PtlApplication applies it to
 * the core whenever it changes), whether results carry the live
 * monitor's charts, and whether runs go into the run history. */

struct _PtlPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template */
  AdwActionRow   *max_tasks_row;
  GtkAdjustment  *max_tasks_adjustment;
  GtkSwitch      *monitor_charts_switch;
  GtkSwitch      *save_runs_switch;

  /* owned */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (PtlPreferencesWindow, ptl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The other limits the row's cap sits on top of, as they are now. */
static char *
ptl_preferences_window_describe_limits (void)
{
  struct rlimit nproc;

  if (getrlimit (RLIMIT_NPROC, &nproc) != 0 || nproc.rlim_cur == RLIM_INFINITY)
    return g_strdup (_("Runs whose parameters need more are refused before they start. Here "
                       "RLIMIT_NPROC is unlimited; free memory still limits runs."));
  return g_strdup_printf (_("Runs whose parameters need more are refused before they start. Here "
                            "RLIMIT_NPROC is %llu; free memory limits runs too."),
                          (unsigned long long) nproc.rlim_cur);
}

static void
ptl_preferences_window_dispose (GObject *object)
{
  PtlPreferencesWindow *self = PTL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PTL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (ptl_preferences_window_parent_class)->dispose (object);
}

static void
ptl_preferences_window_class_init (PtlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ptl_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ptlab/ProcessThreadLab/ui/ptl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtlPreferencesWindow, max_tasks_row);
  gtk_widget_class_bind_template_child (widget_class, PtlPreferencesWindow, max_tasks_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PtlPreferencesWindow, monitor_charts_switch);
  gtk_widget_class_bind_template_child (widget_class, PtlPreferencesWindow, save_runs_switch);
}

static void
ptl_preferences_window_init (PtlPreferencesWindow *self)
{
  g_autofree char *limits = ptl_preferences_window_describe_limits ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_adjustment_set_lower (self->max_tasks_adjustment, 1);
  gtk_adjustment_set_upper (self->max_tasks_adjustment, PTL_MAX_TASKS_LIMIT);
  adw_action_row_set_subtitle (self->max_tasks_row, limits);

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "max-tasks", self->max_tasks_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "monitor-charts", self->monitor_charts_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "save-runs", self->save_runs_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

GtkWidget *
ptl_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (PTL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
