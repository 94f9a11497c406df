/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdatomic.h>
#include <stdint.h>

#include "ptl-ipc.h"

G_BEGIN_DECLS

/* What the mechanism families share.
 *
 * Async-signal safety. A process peer is forked from the lab, which has
 * other threads: until it exits it may only make async-signal-safe calls.
 * So send, receive and abort below, and everything the peer runs, use
 * system calls, memcpy and atomics only: no GLib, no malloc, no locks.
 * Their errors are negative errno values. */

/* One side's descriptors. A side's descriptors are closed only by the
 * thread (or process) that owns that side, or by the lab once that owner
 * has been joined or reaped: no descriptor is closed under a thread
 * that is blocked on it. */
typedef struct
{
  int     in;      /* what this side receives from; -1 when closed */
  int     out;     /* what it sends to (the same descriptor for a socket) */
  guint8 *scratch; /* room for one whole piece (message queues) */
} PtlIpcEnd;

/* The lab's orders and the peer's report, in an anonymous shared page so
 * that a forked peer sees it too. The command is written before the
 * doorbell message and the report before the peer's last message of a
 * command. The mechanism's messages already order them (a system call,
 * or release and acquire in the ring), but only through the kernel for
 * most: every field is atomic, stored with release and loaded with
 * acquire, so the order is the program's own and a thread sanitizer sees
 * it. They are lock-free (x86-64, arm64), hence also valid across the
 * fork; a release store and an acquire load cost a plain one there. */
typedef struct
{
  atomic_int       stop;        /* set by abort (): every call fails from then on */
  _Atomic guint32  op;
  _Atomic guint64  size;
  _Atomic guint64  count;
  _Atomic gint64   peer_cpu_ns; /* CPU time the peer spent on the last command */
  _Atomic gint64   peer_end_ns; /* when the peer received the last byte of a sink */
  atomic_int       peer_error;  /* errno of the peer's failure, 0 if none */
  atomic_int       peer_cpu;    /* the CPU the peer ended the last echo on, -1 unknown */
} PtlIpcControl;

/* The only ways PtlIpcControl's fields are written and read. */
#define PTL_IPC_SET(field, value) atomic_store_explicit (&(field), (value), memory_order_release)
#define PTL_IPC_GET(field)        atomic_load_explicit (&(field), memory_order_acquire)

typedef struct
{
  const PtlIpcMechanism *mechanism;
  PtlIpcControl         *control;
  PtlIpcEnd              end[2];
  gsize                  unit;    /* largest piece per send; G_MAXSIZE for a stream */
  gpointer               shared;  /* the mechanism's own shared mapping */
  gsize                  shared_size;
  guint8                *spare;   /* for interrupt (), which may run beside receive () */
} PtlIpcChannel;

struct _PtlIpcMechanism
{
  const char *name;
  const char *label;  /* untranslated */
  gboolean    carries_data;
  /* The largest piece one call carries, given the largest message. */
  gsize     (*get_unit)   (gsize           max_message);
  /* Fills both ends (the channel's unit and control page are set). */
  gboolean  (*open)       (PtlIpcChannel  *channel,
                           GError        **error);
  /* Async-signal-safe. The whole of @size bytes or an error: -EPIPE when
   * the other side has gone, -ECANCELED after an abort. */
  int       (*send)       (PtlIpcChannel  *channel,
                           guint           side,
                           const guint8   *data,
                           gsize           size);
  int       (*receive)    (PtlIpcChannel  *channel,
                           guint           side,
                           guint8         *data,
                           gsize           size);
  /* Async-signal-safe, by @side's owner when it gives up: wakes the other
   * side, blocked or not, so that its calls fail from then on. May close
   * @side's descriptors. */
  void      (*abort)      (PtlIpcChannel  *channel,
                           guint           side);
  /* From any thread of the lab: wakes side 0 for good, because a process
   * peer died. NULL when its death alone wakes side 0 (end of file). */
  void      (*interrupt)  (PtlIpcChannel  *channel);
  /* Unmaps and frees what open () made beyond descriptors. Optional. */
  void      (*release)    (PtlIpcChannel  *channel);
};

extern const PtlIpcMechanism ptl_ipc_pipe;
extern const PtlIpcMechanism ptl_ipc_unix_stream;
extern const PtlIpcMechanism ptl_ipc_unix_dgram;
extern const PtlIpcMechanism ptl_ipc_tcp;
extern const PtlIpcMechanism ptl_ipc_shm;
extern const PtlIpcMechanism ptl_ipc_mqueue;
extern const PtlIpcMechanism ptl_ipc_eventfd;

/* Opens a channel (control page, both ends) and frees one: closes both
 * ends' descriptors, then release (). */
PtlIpcChannel *_ptl_ipc_channel_open      (const PtlIpcMechanism *mechanism,
                                           gsize                  max_message,
                                           GError               **error);
void           _ptl_ipc_channel_free      (PtlIpcChannel         *channel);
/* Async-signal-safe: closes @side's descriptors and marks them closed. */
void           _ptl_ipc_close_end         (PtlIpcChannel         *channel,
                                           guint                  side);
/* Async-signal-safe: TRUE once abort () or interrupt () ran. */
static inline gboolean
_ptl_ipc_stopped (PtlIpcChannel *channel)
{
  return atomic_load (&channel->control->stop) != 0;
}

/* A name for shm_open () and mq_open () no other channel, run or process
 * uses: "/ptlab-ipc-PID-N-SUFFIX". */
char          *_ptl_ipc_dup_name          (const char            *suffix);

/* An error from a failed set-up call: PTL_ERROR_LIMIT for the errno
 * values that mean a limit (EMFILE, ENFILE, ENOMEM, ENOSPC, EAGAIN). */
void           _ptl_ipc_set_errno_error   (GError               **error,
                                           int                    saved_errno,
                                           const char            *what);

/* Accepts from @listener the connection @client made, closing any other
 * that came first: on 127.0.0.1 any local user may connect to the port
 * before our own client does. Gives up after a few strangers. The TCP
 * mechanism's set-up; tests connect strangers first through it. */
int            _ptl_ipc_accept_own_client (int                    listener,
                                           int                    client,
                                           GError               **error);

G_END_DECLS
