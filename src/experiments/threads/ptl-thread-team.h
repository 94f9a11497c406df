/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A team of worker threads for the Threads experiments: @n threads run
 * @func (index, data), all released at once from a start line, while the
 * calling thread watches @cancellable. On a cancel it raises *stop (which
 * @func polls) and still joins every thread before returning FALSE with
 * G_IO_ERROR_CANCELLED. A thread that cannot be made stops the others the
 * same way and gives PTL_ERROR_LIMIT. */
typedef void (*PtlThreadTeamFunc) (guint    index,
                                   gpointer data);

gboolean ptl_thread_team_run (guint               n,
                              PtlThreadTeamFunc   func,
                              gpointer            data,
                              gint               *stop,
                              GCancellable       *cancellable,
                              GError            **error);

/* Jain's fairness index of @n shares: 1 when equal, 1/n when one thread
 * got everything. */
double   ptl_jain_index      (const double *shares,
                              guint         n);

G_END_DECLS
