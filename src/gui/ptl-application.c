/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-application.h"
#include "ptl-core.h"
#include "ptl-preferences-window.h"
#include "ptl-window.h"

/* AdwApplication loads style.css from the resource base path and
 * GtkApplication picks up gtk/help-overlay.ui (Ctrl+?) from there, so both
 * only need to be in the bundle. */

struct _PtlApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (PtlApplication, ptl_application, ADW_TYPE_APPLICATION)

static void
ptl_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  PtlApplication *self = user_data;
  GList *windows;

  /* Closing through the windows lets each page cancel its run first, and
   * a window with unsaved runs ask about them. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
ptl_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  PtlApplication *self = user_data;
  GtkWindow *parent;
  GtkWidget *about;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Process Thread Lab"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("Process Thread Lab contributors"),
                        "comments", _("Run real concurrency experiments — processes, threads, "
                                      "scheduling and I/O — and watch the measurements arrive "
                                      "as live charts."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", PACKAGE_URL,
                        "issue-url", PACKAGE_BUGREPORT,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
ptl_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  PtlApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (ptl_preferences_window_new (parent)));
}

static const GActionEntry app_entries[] = {
  { "quit", ptl_application_quit_action },
  { "about", ptl_application_about_action },
  { "preferences", ptl_application_preferences_action },
};

/* The core checks every run against the user's cap; the setting is its
 * only source in the window. */
static void
ptl_application_max_tasks_changed_cb (PtlApplication *self,
                                      const char     *key,
                                      GSettings      *settings)
{
  ptl_experiment_set_max_tasks ((guint) CLAMP (g_settings_get_int (settings, "max-tasks"), 1, PTL_MAX_TASKS_LIMIT));
}

static void
ptl_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (ptl_window_new (PTL_APPLICATION (app)));
  gtk_window_present (window);
}

/* `ptlab result.json`, or files dropped on the launcher. */
static void
ptl_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (ptl_window_new (PTL_APPLICATION (app)));
  gtk_window_present (window);
  ptl_window_open_files (PTL_WINDOW (window), files, n_files);
}

static void
ptl_application_startup (GApplication *app)
{
  PtlApplication *self = PTL_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (ptl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_entries, G_N_ELEMENTS (app_entries),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::max-tasks",
                           G_CALLBACK (ptl_application_max_tasks_changed_cb), self, G_CONNECT_SWAPPED);
  ptl_application_max_tasks_changed_cb (self, "max-tasks", self->settings);
}

static void
ptl_application_dispose (GObject *object)
{
  g_clear_object (&PTL_APPLICATION (object)->settings);
  G_OBJECT_CLASS (ptl_application_parent_class)->dispose (object);
}

static void
ptl_application_class_init (PtlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ptl_application_dispose;

  app_class->activate = ptl_application_activate;
  app_class->open = ptl_application_open;
  app_class->startup = ptl_application_startup;
}

static void
ptl_application_init (PtlApplication *self)
{
  g_set_application_name (_("Process Thread Lab"));
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

/* Without a GPU render node, GTK's GL renderer draws in software on the
 * very CPUs the experiments measure: half a core during a run on a
 * 2-vCPU VM, enough to bend a CPU-bound speedup from 1.8× to 1.4×. The
 * cairo renderer costs a few percent. GSK_RENDERER still wins. */
static void
ptl_application_choose_renderer (void)
{
  g_autoptr(GDir) dri = NULL;
  const char *name;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  dri = g_dir_open ("/dev/dri", 0, NULL);
  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return;
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

PtlApplication *
ptl_application_new (void)
{
  ptl_application_choose_renderer ();
  return g_object_new (PTL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/ptlab/ProcessThreadLab",
                       NULL);
}
