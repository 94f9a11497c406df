/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The locale and ptlab's message catalogs, first thing in each of its
 * programs' main (): the command line and the window. */
void ptl_i18n_init (void);

G_END_DECLS
