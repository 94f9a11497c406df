/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the command line handles `ptlab WORD …` (so the window is not
 * opened): a subcommand, --help, --version, or a word that is neither an
 * option nor an existing file, which the command line reports as an
 * unknown command. */
gboolean ptl_cli_is_command (const char *word);
/* Runs `ptlab SUBCOMMAND ...`; returns the exit status: 0 done, 1 the run
 * or an export failed, 2 bad usage or bad input, 130 interrupted. */
int      ptl_cli_main       (int         argc,
                             char       *argv[]);

G_END_DECLS
