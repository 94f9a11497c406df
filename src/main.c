/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ptl-cli.h"
#include "ptl-core.h"

/* ptlab is the command line, built without GTK so that its commands start
 * without loading it; the window is its own program in LIBEXECDIR, which
 * ptlab becomes (execv, same arguments) for what is not a command: no
 * arguments, a result file, GApplication's options. */

#ifdef PTL_HAVE_GUI
static int
exec_window (char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr (_("No display: the window cannot open here. The command line works without one:\n"
                    "  ptlab list            the experiments\n"
                    "  ptlab run models      run one, print its summary\n"
                    "  ptlab --help          everything else\n"));
      return 1;
    }

  ptl_machine_exec_program (PTL_WINDOW_NAME, "PTLAB_WINDOW", argv, &error);
  g_printerr ("ptlab: %s\n", error->message);
  return 1;
}
#endif

int
main (int   argc,
      char *argv[])
{
  ptl_i18n_init ();

  if (argc > 1 && ptl_cli_is_command (argv[1]))
    return ptl_cli_main (argc, argv);

#ifdef PTL_HAVE_GUI
  return exec_window (argv);
#else
  g_printerr (_("This ptlab was built without the window; use the command line (ptlab --help).\n"));
  return 1;
#endif
}
