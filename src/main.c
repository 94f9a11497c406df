/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ptl-cli.h"
#ifdef PTL_HAVE_GUI
# include "ptl-application.h"
#endif

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && ptl_cli_is_command (argv[1]))
    return ptl_cli_main (argc, argv);

#ifdef PTL_HAVE_GUI
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr (_("No display: the window cannot open here. The command line works without one:\n"
                    "  ptlab list            the experiments\n"
                    "  ptlab run models      run one, print its summary\n"
                    "  ptlab --help          everything else\n"));
      return 1;
    }
  {
    g_autoptr(PtlApplication) app = ptl_application_new ();
    return g_application_run (G_APPLICATION (app), argc, argv);
  }
#else
  g_printerr (_("This ptlab was built without the window; use the command line (ptlab --help).\n"));
  return 1;
#endif
}
