/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-serve"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ptl-core.h"
#include "ptl-server.h"

/* ptlab-serve, in LIBEXECDIR: `ptlab serve`, which ptlab execs with the
 * command's arguments ("serve" first). The HTTP server needs libsoup and
 * the dozen libraries under it (Kerberos, HTTP/2, brotli, IDN…); in a
 * program of its own, every other command starts without loading them.
 * Exit status as ptlab's: 0 done, 1 failed, 2 bad usage. */

static void
server_stopped_cb (PtlServer *server,
                   gpointer   user_data)
{
  g_main_loop_quit (user_data);
}

static gboolean
stop_server_cb (gpointer user_data)
{
  ptl_server_shutdown (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  int port = 8470;
  gboolean no_save = FALSE;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port on 127.0.0.1 and ::1 (default 8470; 0 picks a free one)"), N_("N") },
    { "no-save", 0, 0, G_OPTION_ARG_NONE, &no_save, N_("Do not save finished runs in the run history"), NULL },
    { NULL }
  };
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) uris = NULL;
  guint sigint_id, sigterm_id, bound_port;

  ptl_i18n_init ();
  context = g_option_context_new (_("— offer the experiments over HTTP"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ptlab: %s\n", error->message);
      return 2;
    }
  if (argc != 1)
    {
      g_printerr ("ptlab: %s\n", _("Usage: ptlab serve [--port N]"));
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_autofree char *message = g_strdup_printf (_("--port must be 0 – 65535, not %d"), port);

      g_printerr ("ptlab: %s\n", message);
      return 2;
    }

  if (!no_save && (store = ptl_store_open (NULL, &error)) == NULL)
    {
      g_printerr ("ptlab: %s\n", error->message);
      return 1;
    }

  server = ptl_server_new ();
  ptl_server_set_store (server, store);
  if (!ptl_server_listen (server, port, &bound_port, &error))
    {
      g_printerr (_("ptlab: cannot listen on port %d: %s\n"), port, error->message);
      return 1;
    }

  /* The first line names the port, for scripts that asked for port 0. */
  uris = ptl_server_dup_uris (server);
  g_print (_("Listening on port %u: %s\n"), bound_port, uris[0] != NULL ? uris[0] : "");
  for (guint i = 1; uris[i] != NULL; i++)
    g_print (_("Also on %s\n"), uris[i]);
  g_print (_("Ctrl-C stops the server, cancelling a run in progress.\n"));

  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (server, "stopped", G_CALLBACK (server_stopped_cb), loop);
  sigint_id = g_unix_signal_add (SIGINT, stop_server_cb, server);
  sigterm_id = g_unix_signal_add (SIGTERM, stop_server_cb, server);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return 0;
}
