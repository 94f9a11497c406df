/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>

#include "ptl-core.h"
#include "ptl-placement.h"

G_BEGIN_DECLS

/* Inter-process communication mechanisms, measured in pairs: the lab's
 * side (side 0) talks to a peer (side 1) that is a forked child or a
 * thread. Each mechanism family lives in its own ptl-ipc-*.c behind one
 * table of functions (ptl-ipc-private.h). */

typedef enum
{
  PTL_IPC_PEER_PROCESS, /* a child forked from the lab */
  PTL_IPC_PEER_THREAD,  /* a thread of the lab */
} PtlIpcPeerKind;

#define PTL_TYPE_IPC_PEER_KIND (ptl_ipc_peer_kind_get_type ())
GType        ptl_ipc_peer_kind_get_type (void);

typedef struct _PtlIpcMechanism PtlIpcMechanism;
typedef struct _PtlIpcPair PtlIpcPair;
typedef struct _PtlIpcStream PtlIpcStream;

/* Every mechanism, in display order; NULL-terminated. */
const PtlIpcMechanism * const *ptl_ipc_list_mechanisms (guint *n_mechanisms);
/* NULL when no mechanism has @name. */
const PtlIpcMechanism *ptl_ipc_lookup               (const char *name);
/* "pipe", "unix-stream", …: identifiers, as the parameter spells them. */
const char  *ptl_ipc_mechanism_get_name             (const PtlIpcMechanism *mechanism);
/* What charts and tables show: "Pipe", "UNIX stream", …, translated. */
const char  *ptl_ipc_mechanism_get_label            (const PtlIpcMechanism *mechanism);
/* FALSE for a mechanism that only signals (eventfd): no bandwidth. */
gboolean     ptl_ipc_mechanism_carries_data         (const PtlIpcMechanism *mechanism);
/* The largest piece one send carries (a datagram, a queue message) when
 * @max_message bytes are asked for; G_MAXSIZE for a byte stream. */
gsize        ptl_ipc_mechanism_get_unit             (const PtlIpcMechanism *mechanism,
                                                     gsize                  max_message);

/* "all" or a comma-separated list of names, in the order given, without
 * duplicates. NULL and PTL_ERROR_INVALID_PARAMETER, listing the names
 * allowed, on anything else. Free the array with g_ptr_array_unref (). */
GPtrArray   *ptl_ipc_parse_mechanisms               (const char  *text,
                                                     GError     **error);

/* A writer to a pipe whose reader is gone gets SIGPIPE, which would kill
 * the lab: the thread that drives pairs blocks it, and on restore any
 * SIGPIPE left pending is consumed first. */
void         ptl_ipc_block_sigpipe                  (sigset_t    *previous);
void         ptl_ipc_restore_sigpipe                (const sigset_t *previous);

/* Where bandwidth transfers take their data from and put it: two buffers
 * of @size bytes (make it larger than the cache), walked message by
 * message, so the data comes from memory and goes to memory as fresh data
 * would, and a memcpy between the same two buffers is the ceiling. The
 * sink is a shared mapping, so every peer, forked or not, writes the same
 * pages. Both are touched here. */
PtlIpcStream *ptl_ipc_stream_new                    (gsize        size,
                                                     GError     **error);
gsize        ptl_ipc_stream_get_size                (PtlIpcStream *stream);
/* memcpy of part @part of @n_parts of the source into the sink (several
 * CPUs can copy one part each), stamped at its start and end. */
void         ptl_ipc_stream_copy                    (PtlIpcStream *stream,
                                                     guint         part,
                                                     guint         n_parts,
                                                     gint64       *start_ns,
                                                     gint64       *end_ns);
void         ptl_ipc_stream_free                    (PtlIpcStream *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlIpcStream, ptl_ipc_stream_free)

/* Opens a channel of @mechanism for round trips of up to @max_message
 * bytes and transfers of up to @stream's size, and starts its peer,
 * placed as side 1 of @placement (the caller places itself as side 0
 * beforehand: a forked peer starts where its parent is). @stream, which
 * must outlive the pair, may be NULL when no transfer will be asked for.
 * @cancellable, when cancelled, kills a process peer at once so no
 * call waits for it; a thread peer is stopped by the caller between
 * commands. NULL and an error (PTL_ERROR_LIMIT for fork, thread or
 * queue limits) on failure, leaving nothing behind. */
PtlIpcPair  *ptl_ipc_pair_new                       (const PtlIpcMechanism  *mechanism,
                                                     PtlIpcPeerKind          peer,
                                                     PtlPlacement            placement,
                                                     gsize                   max_message,
                                                     PtlIpcStream           *stream,
                                                     GCancellable           *cancellable,
                                                     GError                **error);
const PtlIpcMechanism *ptl_ipc_pair_get_mechanism   (PtlIpcPair  *pair);

/* @n_round_trips ping-pongs of @size bytes, each timed on its own into
 * @round_trip_ns (CLOCK_MONOTONIC; the first one also absorbs the peer
 * waking for the command). @cpu_ns receives the CPU time both sides spent
 * on them (each side's CLOCK_THREAD_CPUTIME_ID). */
gboolean     ptl_ipc_pair_echo                      (PtlIpcPair  *pair,
                                                     gsize        size,
                                                     guint        n_round_trips,
                                                     gint64      *round_trip_ns,
                                                     gint64      *cpu_ns,
                                                     GError     **error);
/* @n_messages messages of @size bytes from the lab to the peer, from
 * and into the stream's buffers, each message where the last one ended;
 * @elapsed_ns runs from before the first send to when the peer had the
 * last byte (it stamps that itself: no reply latency is counted). */
/* The CPUs the lab's side and the peer ended the last echo on, -1 when
 * unknown: where the sides really ran, whatever the placement asked. */
void         ptl_ipc_pair_get_cpus                  (PtlIpcPair  *pair,
                                                     int         *lab_cpu,
                                                     int         *peer_cpu);
gboolean     ptl_ipc_pair_sink                      (PtlIpcPair  *pair,
                                                     gsize        size,
                                                     guint64      n_messages,
                                                     gint64      *elapsed_ns,
                                                     GError     **error);
/* The orderly end: tells the peer to stop, waits for it and checks that it
 * ended well, closes everything. Frees @pair whatever happens. */
gboolean     ptl_ipc_pair_close                     (PtlIpcPair  *pair,
                                                     GError     **error);
/* Any time (cancel, error): wakes the peer for good, kills a process,
 * joins a thread, reaps, closes every descriptor, unmaps. */
void         ptl_ipc_pair_free                      (PtlIpcPair  *pair);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlIpcPair, ptl_ipc_pair_free)

G_END_DECLS
