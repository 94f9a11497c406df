/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ptl-core.h"

G_BEGIN_DECLS

/* Request bodies above this are refused with 413. */
#define PTL_SERVER_MAX_BODY (1024 * 1024)

#define PTL_TYPE_SERVER (ptl_server_get_type ())
G_DECLARE_FINAL_TYPE (PtlServer, ptl_server, PTL, SERVER, GObject)

/* The experiments over HTTP on the loopback addresses only, one run at a
 * time, with Prometheus metrics. Runs in the thread-default main context
 * of the caller of ptl_server_listen (). */
PtlServer *ptl_server_new         (void);
/* Listens on 127.0.0.1 and ::1 (::1 only where the machine has IPv6) at
 * @port, 0 for one the kernel picks; returns the port in @bound_port. */
gboolean   ptl_server_listen      (PtlServer   *self,
                                   guint        port,
                                   guint       *bound_port,
                                   GError     **error);
/* Finished runs are saved to @store (NULL: not saved), as `ptlab run`
 * saves them; their description then carries "history_id". */
void       ptl_server_set_store   (PtlServer   *self,
                                   PtlStore    *store);
/* "http://127.0.0.1:PORT/" and, with IPv6, "http://[::1]:PORT/". */
char     **ptl_server_dup_uris    (PtlServer   *self);
/* Stops accepting requests, cancels queued runs and the running one, and
 * emits "stopped" once the running one has been reaped (at once when
 * none runs). */
void       ptl_server_shutdown    (PtlServer   *self);

G_END_DECLS
