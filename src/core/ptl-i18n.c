/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-i18n"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ptl-i18n.h"

/* Run from a meson build tree (BUILD/src/ptlab, or ptlab-window, beside
 * BUILD/meson-private), ptlab reads the catalogs that build compiled
 * (BUILD/po/LANG/LC_MESSAGES), so translations work before `meson install`
 * and tests see the current .po. Found from the executable's own path, so
 * no build path is baked into the binary; an installed ptlab always uses
 * LOCALEDIR. */
static char *
dup_uninstalled_localedir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = NULL;
  g_autofree char *builddir = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *catalogs = NULL;

  if (exe == NULL)
    return NULL;
  bindir = g_path_get_dirname (exe);
  builddir = g_path_get_dirname (bindir);
  marker = g_build_filename (builddir, "meson-private", NULL);
  catalogs = g_build_filename (builddir, "po", NULL);
  if (!g_file_test (marker, G_FILE_TEST_IS_DIR) || !g_file_test (catalogs, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&catalogs);
}

void
ptl_i18n_init (void)
{
  g_autofree char *uninstalled_localedir = dup_uninstalled_localedir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, uninstalled_localedir ? uninstalled_localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
