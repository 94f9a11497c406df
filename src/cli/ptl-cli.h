/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @word is a subcommand or option the command line handles
 * (so the window is not opened). */
gboolean ptl_cli_is_command (const char *word);
/* Runs `ptlab SUBCOMMAND ...`; returns the exit status: 0 done, 1 the run
 * or an export failed, 2 bad usage or bad input, 130 interrupted. */
int      ptl_cli_main       (int         argc,
                             char       *argv[]);

G_END_DECLS
