/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ptl-core.h"

G_BEGIN_DECLS

/* Fills @grid (emptied first) with @table: a row of headings that wrap, a
 * rule, then one row per table row; columns holding numbers align right
 * with tabular figures. Shared by the experiment page and Compare. */
void ptl_summary_grid_fill (GtkGrid  *grid,
                            PtlTable *table);

G_END_DECLS
