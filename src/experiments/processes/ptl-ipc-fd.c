/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc-fd"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "ptl-ipc-private.h"

/* The descriptor family: pipe, unix stream and datagram sockets, TCP over
 * 127.0.0.1. Each side owns its descriptors; closing them is the abort,
 * because the other side then reads end of file or gets EPIPE (datagram
 * sockets need a little more help, see below). */

/* A datagram carries at most this much: well under the default socket
 * buffer (net.core.wmem_default, 208 KiB), so no tuning is needed. */
#define DGRAM_UNIT (64 * 1024)

static gsize
stream_unit (gsize max_message)
{
  return G_MAXSIZE;
}

static gsize
dgram_unit (gsize max_message)
{
  return MIN (max_message, DGRAM_UNIT);
}

/* Sockets use send (MSG_NOSIGNAL), so a gone peer is EPIPE and not a
 * signal; pipes cannot, and the lab blocks SIGPIPE instead. */
static int
write_all (int           fd,
           gboolean      is_socket,
           const guint8 *data,
           gsize         size)
{
  while (size > 0)
    {
      ssize_t n = is_socket ? send (fd, data, size, MSG_NOSIGNAL) : write (fd, data, size);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return errno == ECONNRESET ? -EPIPE : -errno;
        }
      data += n;
      size -= (gsize) n;
    }
  return 0;
}

static int
read_all (int     fd,
          guint8 *data,
          gsize   size)
{
  while (size > 0)
    {
      ssize_t n = read (fd, data, size);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return errno == ECONNRESET ? -EPIPE : -errno;
        }
      if (n == 0)
        return -EPIPE;
      data += n;
      size -= (gsize) n;
    }
  return 0;
}

static int
pipe_send (PtlIpcChannel *channel,
           guint          side,
           const guint8  *data,
           gsize          size)
{
  return write_all (channel->end[side].out, FALSE, data, size);
}

static int
socket_send (PtlIpcChannel *channel,
             guint          side,
             const guint8  *data,
             gsize          size)
{
  return write_all (channel->end[side].out, TRUE, data, size);
}

static int
stream_receive (PtlIpcChannel *channel,
                guint          side,
                guint8        *data,
                gsize          size)
{
  return read_all (channel->end[side].in, data, size);
}

/* A message larger than the unit goes as several datagrams; both sides
 * cut it the same way, so each receive expects an exact length. */
static int
dgram_send (PtlIpcChannel *channel,
            guint          side,
            const guint8  *data,
            gsize          size)
{
  while (size > 0)
    {
      gsize piece = MIN (size, channel->unit);
      ssize_t n = send (channel->end[side].out, data, piece, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return errno == ECONNREFUSED || errno == ECONNRESET ? -EPIPE : -errno;
        }
      data += piece;
      size -= piece;
    }
  return 0;
}

static int
dgram_receive (PtlIpcChannel *channel,
               guint          side,
               guint8        *data,
               gsize          size)
{
  while (size > 0)
    {
      gsize piece = MIN (size, channel->unit);
      ssize_t n = recv (channel->end[side].in, data, piece, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      /* The empty datagram is the other side's abort. */
      if (n == 0)
        return -EPIPE;
      if ((gsize) n != piece)
        return -EPROTO;
      data += piece;
      size -= piece;
    }
  return 0;
}

static void
close_abort (PtlIpcChannel *channel,
             guint          side)
{
  _ptl_ipc_close_end (channel, side);
}

/* Closing a datagram socket does not wake its peer's receive (only a
 * stream's): an empty datagram does. It waits its turn behind what the
 * peer has not read yet, for a while; a peer blocked sending to us instead
 * is woken by the close and gets ECONNREFUSED. */
static void
dgram_abort (PtlIpcChannel *channel,
             guint          side)
{
  struct timeval patience = { 0, 100000 };
  int fd = channel->end[side].out;

  if (fd >= 0 && setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience) == 0)
    send (fd, "", 0, MSG_NOSIGNAL);
  _ptl_ipc_close_end (channel, side);
}

/* A dead peer's datagram socket does not wake ours: shutting ours down
 * does (its receive returns 0), and keeps the descriptor open, since the
 * lab may be using it right now. */
static void
dgram_interrupt (PtlIpcChannel *channel)
{
  if (channel->end[0].in >= 0)
    shutdown (channel->end[0].in, SHUT_RDWR);
}

static gboolean
pipe_open (PtlIpcChannel  *channel,
           GError        **error)
{
  int to_peer[2], to_lab[2];

  if (pipe2 (to_peer, O_CLOEXEC) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not create a pipe"));
      return FALSE;
    }
  if (pipe2 (to_lab, O_CLOEXEC) != 0)
    {
      int saved = errno;

      close (to_peer[0]);
      close (to_peer[1]);
      _ptl_ipc_set_errno_error (error, saved, _("Could not create a pipe"));
      return FALSE;
    }
  channel->end[0].in = to_lab[0];
  channel->end[0].out = to_peer[1];
  channel->end[1].in = to_peer[0];
  channel->end[1].out = to_lab[1];
  return TRUE;
}

static gboolean
socketpair_open (PtlIpcChannel  *channel,
                 int             type,
                 GError        **error)
{
  int sv[2];

  if (socketpair (AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not create a pair of unix sockets"));
      return FALSE;
    }
  channel->end[0].in = channel->end[0].out = sv[0];
  channel->end[1].in = channel->end[1].out = sv[1];
  return TRUE;
}

static gboolean
unix_stream_open (PtlIpcChannel  *channel,
                  GError        **error)
{
  return socketpair_open (channel, SOCK_STREAM, error);
}

static gboolean
unix_dgram_open (PtlIpcChannel  *channel,
                 GError        **error)
{
  return socketpair_open (channel, SOCK_DGRAM, error);
}

/* Small messages must leave at once, as a latency-minded program asks. */
static gboolean
set_nodelay (int      fd,
             GError **error)
{
  int one = 1;

  if (setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not set TCP_NODELAY"));
      return FALSE;
    }
  return TRUE;
}

/* Strangers a TCP set-up turns away before it gives up. */
#define MAX_STRANGERS 16

int
_ptl_ipc_accept_own_client (int      listener,
                            int      client,
                            GError **error)
{
  struct sockaddr_in own = { 0 };
  socklen_t own_length = sizeof own;

  if (getsockname (client, (struct sockaddr *) &own, &own_length) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not read the TCP client's address"));
      return -1;
    }
  for (guint i = 0; i <= MAX_STRANGERS; i++)
    {
      struct sockaddr_in peer = { 0 };
      socklen_t peer_length = sizeof peer;
      int server = accept4 (listener, (struct sockaddr *) &peer, &peer_length, SOCK_CLOEXEC);

      if (server < 0)
        {
          _ptl_ipc_set_errno_error (error, errno, _("Could not accept a connection on 127.0.0.1"));
          return -1;
        }
      if (peer_length == own_length && peer.sin_port == own.sin_port &&
          peer.sin_addr.s_addr == own.sin_addr.s_addr)
        return server;
      g_debug ("turned away a connection from port %u", ntohs (peer.sin_port));
      close (server);
    }
  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
               _("Other programs made %d connections to the lab's TCP port before its own client; "
                 "gave up"), MAX_STRANGERS + 1);
  return -1;
}

/* The lab makes both ends: it listens on an ephemeral port of 127.0.0.1,
 * connects and accepts (the backlog completes the handshake), and closes
 * the listener. */
static gboolean
tcp_open (PtlIpcChannel  *channel,
          GError        **error)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int listener, client = -1, server = -1;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  address.sin_port = 0;

  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not create a TCP socket"));
      return FALSE;
    }
  if (bind (listener, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (listener, MAX_STRANGERS + 1) != 0 ||
      getsockname (listener, (struct sockaddr *) &address, &length) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not listen on 127.0.0.1"));
      close (listener);
      return FALSE;
    }

  client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (client < 0 || connect (client, (struct sockaddr *) &address, sizeof address) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not connect to 127.0.0.1"));
      if (client >= 0)
        close (client);
      close (listener);
      return FALSE;
    }
  server = _ptl_ipc_accept_own_client (listener, client, error);
  if (server < 0)
    {
      close (client);
      close (listener);
      return FALSE;
    }
  close (listener);

  channel->end[0].in = channel->end[0].out = client;
  channel->end[1].in = channel->end[1].out = server;
  return set_nodelay (client, error) && set_nodelay (server, error);
}

const PtlIpcMechanism ptl_ipc_pipe = {
  .name = "pipe",
  .label = N_("Pipe"),
  .carries_data = TRUE,
  .get_unit = stream_unit,
  .open = pipe_open,
  .send = pipe_send,
  .receive = stream_receive,
  .abort = close_abort,
};

const PtlIpcMechanism ptl_ipc_unix_stream = {
  .name = "unix-stream",
  .label = N_("UNIX stream"),
  .carries_data = TRUE,
  .get_unit = stream_unit,
  .open = unix_stream_open,
  .send = socket_send,
  .receive = stream_receive,
  .abort = close_abort,
};

const PtlIpcMechanism ptl_ipc_unix_dgram = {
  .name = "unix-dgram",
  .label = N_("UNIX datagram"),
  .carries_data = TRUE,
  .get_unit = dgram_unit,
  .open = unix_dgram_open,
  .send = dgram_send,
  .receive = dgram_receive,
  .abort = dgram_abort,
  .interrupt = dgram_interrupt,
};

const PtlIpcMechanism ptl_ipc_tcp = {
  .name = "tcp",
  .label = N_("TCP loopback"),
  .carries_data = TRUE,
  .get_unit = stream_unit,
  .open = tcp_open,
  .send = socket_send,
  .receive = stream_receive,
  .abort = close_abort,
};
