/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-application.h"
#include "ptl-core.h"

/* ptlab-window, in LIBEXECDIR: the window, started by ptlab (which checked
 * for a display and passes its own arguments) or by the desktop file. */
int
main (int   argc,
      char *argv[])
{
  g_autoptr(PtlApplication) app = NULL;

  ptl_i18n_init ();
  /* Named as the command users know, whichever path started it: the X11
   * window class and GApplication's own messages say ptlab. */
  g_set_prgname ("ptlab");
  app = ptl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
