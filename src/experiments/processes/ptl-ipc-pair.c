/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc-pair"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-ipc-private.h"
#include "ptl-parent.h"

/* A pair: a channel, the peer at its far end, and the protocol between
 * them.
 *
 * The protocol. The lab writes a command (echo, sink or stop, a size and
 * a count) into the channel's control page, then rings: a 1-byte message.
 * echo: the peer sends back each of count messages of size bytes as it
 * receives it. sink: the peer receives count messages, stamps the time,
 * and answers with 1 byte; the lab sends them from the stream's source,
 * the peer receives them into the stream's sink, each where the last one
 * ended. The peer measures its own CPU time and leaves it in the control
 * page before its last message of the command.
 *
 * The peer. A process peer is forked from the lab's thread and inherits
 * its pinning; until it exits it runs only serve () and other
 * async-signal-safe code. A watcher thread waits on its pidfd and on the
 * cancellable: when the run is cancelled it kills the child, and when the
 * child is gone it wakes the lab's side of a mechanism that has no end of
 * file (shm, mqueue, eventfd). A thread peer cannot die alone; the caller
 * stops it between commands. */

struct _PtlIpcStream
{
  guint8 *source; /* private to the lab */
  guint8 *sink;   /* shared with every peer */
  gsize   size;
};

enum
{
  OP_ECHO = 1,
  OP_SINK,
  OP_STOP,
};

struct _PtlIpcPair
{
  /* owned */
  PtlIpcChannel  *channel;
  guint8         *lab_out;
  guint8         *lab_in;
  guint8         *peer_buffer;
  gsize           buffer_size;
  GCancellable   *cancellable;

  /* borrowed */
  PtlIpcStream   *stream;
  gsize           stream_offset; /* where the lab's next message starts */

  PtlIpcPeerKind  kind;
  PtlPlacement    placement;
  int             cpus[2];  /* where each side ended the last echo, -1 unknown */

  /* process peer */
  pid_t           pid;       /* 0 once reaped */
  int             pidfd;
  int             quit_fd;   /* an eventfd that ends the watcher */
  GThread        *watcher;

  /* thread peer */
  GThread        *thread;
  GError         *thread_error; /* set (atomically) before the thread aborts */
};

/* Where a message of @size bytes goes in a stream buffer: where the last
 * one ended, or back at the start when it would not fit. */
static inline guint8 *
stream_next (guint8 *buffer,
             gsize   buffer_size,
             gsize  *offset,
             gsize   size)
{
  guint8 *at;

  if (*offset + size > buffer_size)
    *offset = 0;
  at = buffer + *offset;
  *offset += size;
  return at;
}

/* The peer's side of the protocol. Async-signal-safe. 0 after a stop,
 * else a negative errno. */
static int
serve (PtlIpcPair *pair)
{
  PtlIpcChannel *channel = pair->channel;
  const PtlIpcMechanism *mechanism = channel->mechanism;
  PtlIpcControl *control = channel->control;
  guint8 *buffer = pair->peer_buffer;
  gsize sink_offset = 0;

  for (;;)
    {
      guint64 size, count;
      guint32 op;
      gint64 cpu_start;
      int rc;

      rc = mechanism->receive (channel, 1, buffer, 1);
      if (rc < 0)
        return rc;
      op = PTL_IPC_GET (control->op);
      size = PTL_IPC_GET (control->size);
      count = PTL_IPC_GET (control->count);
      if ((op == OP_ECHO && (size > pair->buffer_size || count == 0)) ||
          (op == OP_SINK && (pair->stream == NULL || size > pair->stream->size || count == 0)))
        return -EPROTO;
      cpu_start = ptl_clock_thread_cpu_ns ();

      switch (op)
        {
        case OP_ECHO:
          for (guint64 i = 0; i < count; i++)
            {
              rc = mechanism->receive (channel, 1, buffer, size);
              if (rc < 0)
                return rc;
              if (i + 1 == count)
                {
                  PTL_IPC_SET (control->peer_cpu_ns, ptl_clock_thread_cpu_ns () - cpu_start);
                  PTL_IPC_SET (control->peer_cpu, sched_getcpu ());
                }
              rc = mechanism->send (channel, 1, buffer, size);
              if (rc < 0)
                return rc;
            }
          break;

        case OP_SINK:
          for (guint64 i = 0; i < count; i++)
            {
              guint8 *into = stream_next (pair->stream->sink, pair->stream->size, &sink_offset, size);

              rc = mechanism->receive (channel, 1, into, size);
              if (rc < 0)
                return rc;
            }
          PTL_IPC_SET (control->peer_end_ns, ptl_clock_now_ns ());
          PTL_IPC_SET (control->peer_cpu_ns, ptl_clock_thread_cpu_ns () - cpu_start);
          rc = mechanism->send (channel, 1, buffer, 1);
          if (rc < 0)
            return rc;
          break;

        case OP_STOP:
          return 0;

        default:
          return -EPROTO;
        }
    }
}

/* Wherever the peer runs: serve, and on failure leave the errno for the
 * lab and wake it. */
static int
peer_main (PtlIpcPair *pair)
{
  int rc = serve (pair);

  if (rc < 0)
    {
      PTL_IPC_SET (pair->channel->control->peer_error, -rc);
      pair->channel->mechanism->abort (pair->channel, 1);
    }
  return rc;
}

static gpointer
peer_thread (gpointer data)
{
  PtlIpcPair *pair = data;
  g_autoptr(GError) error = NULL;
  sigset_t ignored;

  /* A SIGPIPE for this thread is dropped with it when it ends. */
  ptl_ipc_block_sigpipe (&ignored);
  if (!ptl_placement_apply (pair->placement, 1, 0, NULL, &error))
    {
      g_atomic_pointer_set (&pair->thread_error, g_steal_pointer (&error));
      pair->channel->mechanism->abort (pair->channel, 1);
      return NULL;
    }
  peer_main (pair);
  return NULL;
}

/* The child keeps only stdio and its own side's descriptors: it must not
 * hold open a pipe of some other part of the lab (or of another
 * experiment running beside this one), whose reader would then wait for an
 * end of file that never comes. Async-signal-safe. */
static void
keep_only (int first,
           int second)
{
  int keep[2] = { MIN (first, second), MAX (first, second) };
  unsigned int from = 3;

  for (guint i = 0; i < 2; i++)
    {
      if (keep[i] < (int) from)
        continue;
      if (keep[i] > (int) from)
        close_range (from, (unsigned int) keep[i] - 1, 0);
      from = (unsigned int) keep[i] + 1;
    }
  close_range (from, ~0U, 0);
}

G_GNUC_NORETURN static void
child_main (PtlIpcPair *pair,
            pid_t       parent)
{
  PtlIpcEnd *end = &pair->channel->end[1];

  keep_only (end->in, end->out);
  /* Die with the lab's thread rather than linger. */
  ptl_die_with_parent (parent);
  /* A child maps its parent's shared pages only when it first touches
   * them: take those faults now rather than while timed (Linux 5.14; on
   * older kernels they stay in the first transfers). */
  if (pair->stream != NULL)
    madvise (pair->stream->sink, pair->stream->size, MADV_POPULATE_WRITE);
  _exit (peer_main (pair) == 0 ? 0 : 1);
}

static gpointer
watcher_thread (gpointer data)
{
  PtlIpcPair *pair = data;
  GPollFD cancel = { -1, 0, 0 };
  gboolean have_cancel = g_cancellable_make_pollfd (pair->cancellable, &cancel);
  gboolean killed = FALSE;

  for (;;)
    {
      struct pollfd fds[3] = {
        { pair->pidfd, POLLIN, 0 },
        { pair->quit_fd, POLLIN, 0 },
        { have_cancel && !killed ? cancel.fd : -1, POLLIN, 0 },
      };

      if (poll (fds, G_N_ELEMENTS (fds), -1) < 0)
        {
          if (errno == EINTR)
            continue;
          g_critical ("Could not watch an IPC peer: %s", g_strerror (errno));
          break;
        }
      if (fds[0].revents != 0)
        {
          if (pair->channel->mechanism->interrupt != NULL)
            pair->channel->mechanism->interrupt (pair->channel);
          break;
        }
      if (fds[1].revents != 0)
        break;
      if (fds[2].revents != 0)
        {
          pidfd_send_signal (pair->pidfd, SIGKILL, NULL, 0);
          killed = TRUE;
        }
    }

  if (have_cancel)
    g_cancellable_release_fd (pair->cancellable);
  return NULL;
}

static gboolean
start_process (PtlIpcPair  *pair,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  pid_t parent = getpid ();
  int saved;

  pair->quit_fd = eventfd (0, EFD_CLOEXEC);
  if (pair->quit_fd < 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not create an eventfd"));
      return FALSE;
    }

  pair->pid = fork ();
  if (pair->pid < 0)
    {
      struct rlimit limit;

      saved = errno;
      pair->pid = 0;
      if ((saved == EAGAIN || saved == ENOMEM) && getrlimit (RLIMIT_NPROC, &limit) == 0)
        g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                     _("fork failed: %s — RLIMIT_NPROC is %llu"), g_strerror (saved),
                     (unsigned long long) limit.rlim_cur);
      else
        _ptl_ipc_set_errno_error (error, saved, _("fork failed"));
      return FALSE;
    }
  if (pair->pid == 0)
    child_main (pair, parent);

  /* The child's side is the child's now. */
  _ptl_ipc_close_end (pair->channel, 1);

  pair->pidfd = pidfd_open (pair->pid, 0);
  if (pair->pidfd < 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not open a pidfd for the peer process"));
      return FALSE;
    }
  if (!ptl_placement_apply (pair->placement, 1, pair->pid, NULL, error))
    return FALSE;

  pair->watcher = g_thread_try_new ("ptl-ipc-watch", watcher_thread, pair, &local_error);
  if (pair->watcher == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("Could not start a thread to watch the peer process: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_thread (PtlIpcPair  *pair,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  pair->thread = g_thread_try_new ("ptl-ipc-peer", peer_thread, pair, &local_error);
  if (pair->thread == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("Could not start the peer thread: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

PtlIpcPair *
ptl_ipc_pair_new (const PtlIpcMechanism  *mechanism,
                  PtlIpcPeerKind          peer,
                  PtlPlacement            placement,
                  gsize                   max_message,
                  PtlIpcStream           *stream,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autoptr(PtlIpcPair) pair = NULL;

  g_return_val_if_fail (mechanism != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pair = g_new0 (PtlIpcPair, 1);
  pair->kind = peer;
  pair->placement = placement;
  pair->cpus[0] = pair->cpus[1] = -1;
  pair->pidfd = -1;
  pair->quit_fd = -1;
  pair->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  pair->buffer_size = MAX (max_message, 1);
  pair->stream = stream;

  /* Touched now, so neither side takes page faults while timed (a forked
   * peer shares them until it writes). */
  pair->lab_out = g_malloc (pair->buffer_size);
  pair->lab_in = g_malloc (pair->buffer_size);
  pair->peer_buffer = g_malloc (pair->buffer_size);
  memset (pair->lab_out, 0x5a, pair->buffer_size);
  memset (pair->lab_in, 0, pair->buffer_size);
  memset (pair->peer_buffer, 0, pair->buffer_size);

  pair->channel = _ptl_ipc_channel_open (mechanism,
                                         MAX (pair->buffer_size, stream != NULL ? stream->size : 0), error);
  if (pair->channel == NULL)
    return NULL;

  if (peer == PTL_IPC_PEER_PROCESS ? !start_process (pair, error) : !start_thread (pair, error))
    return NULL;
  return g_steal_pointer (&pair);
}

const PtlIpcMechanism *
ptl_ipc_pair_get_mechanism (PtlIpcPair *pair)
{
  g_return_val_if_fail (pair != NULL, NULL);

  return pair->channel->mechanism;
}

/* Reaps the child: blocking, it has been told to stop or killed. */
static int
reap (PtlIpcPair *pair)
{
  int status = 0;

  while (waitpid (pair->pid, &status, 0) < 0 && errno == EINTR)
    ;
  pair->pid = 0;
  return status;
}

static void
stop_watcher (PtlIpcPair *pair)
{
  guint64 one = 1;

  if (pair->watcher == NULL)
    return;
  while (write (pair->quit_fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
  g_thread_join (g_steal_pointer (&pair->watcher));
}

void
ptl_ipc_pair_free (PtlIpcPair *pair)
{
  if (pair == NULL)
    return;

  if (pair->channel != NULL)
    {
      /* The watcher goes first: it may touch the lab's descriptors, which
       * the abort may close. */
      stop_watcher (pair);
      /* Wake the peer for good: it leaves whatever it waits for. */
      pair->channel->mechanism->abort (pair->channel, 0);
      if (pair->pid > 0)
        {
          if (pair->pidfd >= 0)
            pidfd_send_signal (pair->pidfd, SIGKILL, NULL, 0);
          else
            kill (pair->pid, SIGKILL);
        }
      if (pair->pid > 0)
        reap (pair);
      if (pair->thread != NULL)
        g_thread_join (g_steal_pointer (&pair->thread));
      _ptl_ipc_channel_free (pair->channel);
    }

  if (pair->pidfd >= 0)
    close (pair->pidfd);
  if (pair->quit_fd >= 0)
    close (pair->quit_fd);
  g_clear_error (&pair->thread_error);
  g_clear_object (&pair->cancellable);
  g_free (pair->lab_out);
  g_free (pair->lab_in);
  g_free (pair->peer_buffer);
  g_free (pair);
}

/* Why a call on the lab's side failed, most telling reason first. */
static void
set_call_error (PtlIpcPair  *pair,
                int          rc,
                const char  *what,
                GError     **error)
{
  const char *name = pair->channel->mechanism->name;
  int peer_error = PTL_IPC_GET (pair->channel->control->peer_error);
  GError *thread_error = g_atomic_pointer_get (&pair->thread_error);
  siginfo_t info = { 0 };

  if (g_cancellable_set_error_if_cancelled (pair->cancellable, error))
    return;
  if (thread_error != NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("%s: the peer thread failed: %s"),
                   name, thread_error->message);
      return;
    }
  if (peer_error != 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("%s: the peer failed during %s: %s"),
                   name, what, g_strerror (peer_error));
      return;
    }
  /* A dead child: peek at how it died without reaping it yet. Its
   * descriptors close before it is a zombie, so give it a moment. */
  if (pair->pid > 0 && pair->pidfd >= 0)
    {
      struct pollfd exited = { pair->pidfd, POLLIN, 0 };

      poll (&exited, 1, 100);
    }
  if (pair->pid > 0 &&
      waitid (P_PID, (id_t) pair->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
      info.si_pid == pair->pid && (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("%s: the peer process was killed by signal %d (%s) during %s"),
                   name, info.si_status, g_strsignal (info.si_status), what);
      return;
    }
  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("%s: %s failed: %s"), name, what,
               rc == -EPIPE ? _("the peer went away") : g_strerror (-rc));
}

static int
ring_bell (PtlIpcPair *pair,
           guint32     op,
           guint64     size,
           guint64     count)
{
  PtlIpcControl *control = pair->channel->control;

  PTL_IPC_SET (control->size, size);
  PTL_IPC_SET (control->count, count);
  PTL_IPC_SET (control->peer_cpu_ns, 0);
  PTL_IPC_SET (control->peer_end_ns, 0);
  PTL_IPC_SET (control->peer_cpu, -1);
  PTL_IPC_SET (control->op, op);
  return pair->channel->mechanism->send (pair->channel, 0, pair->lab_out, 1);
}

gboolean
ptl_ipc_pair_echo (PtlIpcPair  *pair,
                   gsize        size,
                   guint        n_round_trips,
                   gint64      *round_trip_ns,
                   gint64      *cpu_ns,
                   GError     **error)
{
  const PtlIpcMechanism *mechanism;
  PtlIpcChannel *channel;
  gint64 cpu_start, before;
  int rc;

  g_return_val_if_fail (pair != NULL, FALSE);
  g_return_val_if_fail (size > 0 && size <= pair->buffer_size, FALSE);
  g_return_val_if_fail (n_round_trips > 0, FALSE);
  g_return_val_if_fail (round_trip_ns != NULL && cpu_ns != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  channel = pair->channel;
  mechanism = channel->mechanism;
  rc = ring_bell (pair, OP_ECHO, size, n_round_trips);
  if (rc < 0)
    {
      set_call_error (pair, rc, _("a command"), error);
      return FALSE;
    }

  /* One clock read per round trip: each one ends a round trip and starts
   * the next. */
  cpu_start = ptl_clock_thread_cpu_ns ();
  before = ptl_clock_now_ns ();
  for (guint i = 0; i < n_round_trips; i++)
    {
      gint64 after;

      rc = mechanism->send (channel, 0, pair->lab_out, size);
      if (rc == 0)
        rc = mechanism->receive (channel, 0, pair->lab_in, size);
      if (rc < 0)
        {
          set_call_error (pair, rc, _("a round trip"), error);
          return FALSE;
        }
      after = ptl_clock_now_ns ();
      round_trip_ns[i] = after - before;
      before = after;
    }
  *cpu_ns = ptl_clock_thread_cpu_ns () - cpu_start + PTL_IPC_GET (channel->control->peer_cpu_ns);
  pair->cpus[0] = sched_getcpu ();
  pair->cpus[1] = PTL_IPC_GET (channel->control->peer_cpu);
  return TRUE;
}

void
ptl_ipc_pair_get_cpus (PtlIpcPair *pair,
                       int        *lab_cpu,
                       int        *peer_cpu)
{
  g_return_if_fail (pair != NULL && lab_cpu != NULL && peer_cpu != NULL);

  *lab_cpu = pair->cpus[0];
  *peer_cpu = pair->cpus[1];
}

gboolean
ptl_ipc_pair_sink (PtlIpcPair  *pair,
                   gsize        size,
                   guint64      n_messages,
                   gint64      *elapsed_ns,
                   GError     **error)
{
  const PtlIpcMechanism *mechanism;
  PtlIpcChannel *channel;
  gint64 start;
  int rc;

  g_return_val_if_fail (pair != NULL, FALSE);
  g_return_val_if_fail (ptl_ipc_mechanism_carries_data (pair->channel->mechanism), FALSE);
  g_return_val_if_fail (pair->stream != NULL, FALSE);
  g_return_val_if_fail (size > 0 && size <= pair->stream->size, FALSE);
  g_return_val_if_fail (n_messages > 0, FALSE);
  g_return_val_if_fail (elapsed_ns != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  channel = pair->channel;
  mechanism = channel->mechanism;
  rc = ring_bell (pair, OP_SINK, size, n_messages);
  if (rc < 0)
    {
      set_call_error (pair, rc, _("a command"), error);
      return FALSE;
    }

  start = ptl_clock_now_ns ();
  for (guint64 i = 0; i < n_messages && rc == 0; i++)
    rc = mechanism->send (channel, 0,
                          stream_next (pair->stream->source, pair->stream->size, &pair->stream_offset, size),
                          size);
  if (rc == 0)
    rc = mechanism->receive (channel, 0, pair->lab_in, 1);
  if (rc < 0)
    {
      set_call_error (pair, rc, _("a transfer"), error);
      return FALSE;
    }
  *elapsed_ns = PTL_IPC_GET (channel->control->peer_end_ns) - start;
  return TRUE;
}

gboolean
ptl_ipc_pair_close (PtlIpcPair  *pair,
                    GError     **error)
{
  g_autoptr(PtlIpcPair) owned = pair;
  const char *name;
  int peer_error;
  int rc;

  g_return_val_if_fail (pair != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = pair->channel->mechanism->name;
  rc = ring_bell (pair, OP_STOP, 0, 0);
  if (rc < 0)
    {
      set_call_error (pair, rc, _("the stop command"), error);
      return FALSE;
    }

  if (pair->kind == PTL_IPC_PEER_THREAD)
    {
      g_thread_join (g_steal_pointer (&pair->thread));
      if (pair->thread_error != NULL)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("%s: the peer thread failed: %s"),
                       name, pair->thread_error->message);
          return FALSE;
        }
    }
  else
    {
      int status;

      stop_watcher (pair);
      status = reap (pair);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          if (WIFSIGNALED (status))
            g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                         _("%s: the peer process was killed by signal %d (%s)"),
                         name, WTERMSIG (status), g_strsignal (WTERMSIG (status)));
          else
            g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                         _("%s: the peer process failed (%s)"), name,
                         g_strerror (PTL_IPC_GET (pair->channel->control->peer_error)));
          return FALSE;
        }
    }

  peer_error = PTL_IPC_GET (pair->channel->control->peer_error);
  if (peer_error != 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("%s: the peer failed: %s"),
                   name, g_strerror (peer_error));
      return FALSE;
    }
  return TRUE;
}

PtlIpcStream *
ptl_ipc_stream_new (gsize    size,
                    GError **error)
{
  g_autoptr(PtlIpcStream) stream = g_new0 (PtlIpcStream, 1);
  gpointer sink;

  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sink = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sink == MAP_FAILED)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not map a shared buffer"));
      return NULL;
    }
  stream->sink = sink;
  stream->size = size;
  stream->source = g_try_malloc (size);
  if (stream->source == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("Could not allocate %zu bytes"), size);
      return NULL;
    }
  memset (stream->source, 0x5a, size);
  memset (stream->sink, 0, size);
  return g_steal_pointer (&stream);
}

gsize
ptl_ipc_stream_get_size (PtlIpcStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  return stream->size;
}

void
ptl_ipc_stream_copy (PtlIpcStream *stream,
                     guint         part,
                     guint         n_parts,
                     gint64       *start_ns,
                     gint64       *end_ns)
{
  gsize begin, end;

  g_return_if_fail (stream != NULL);
  g_return_if_fail (part < n_parts);
  g_return_if_fail (start_ns != NULL && end_ns != NULL);

  begin = stream->size / n_parts * part;
  end = part + 1 == n_parts ? stream->size : stream->size / n_parts * (part + 1);
  *start_ns = ptl_clock_now_ns ();
  memcpy (stream->sink + begin, stream->source + begin, end - begin);
  *end_ns = ptl_clock_now_ns ();
}

void
ptl_ipc_stream_free (PtlIpcStream *stream)
{
  if (stream == NULL)
    return;
  if (stream->sink != NULL)
    munmap (stream->sink, stream->size);
  g_free (stream->source);
  g_free (stream);
}
