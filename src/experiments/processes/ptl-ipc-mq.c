/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc-mq"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <mqueue.h>
#include <string.h>
#include <sys/resource.h>

#include "ptl-ipc-private.h"

/* POSIX message queues, one per direction. Unprivileged queues are small
 * (fs.mqueue.msg_max messages of at most fs.mqueue.msgsize_max bytes,
 * 10 × 8 KiB by default), so a larger message goes as several queue
 * messages. The names are unlinked as soon as both sides have opened
 * them: nothing is left in /dev/mqueue even if the lab is killed.
 *
 * On Linux an mqd_t is a descriptor; mq_send and mq_receive are plain
 * system calls, as safe in a forked child as write (). A queue has no end
 * of file: abort and interrupt raise the stop flag and then post to (and
 * take from) the queues so that a blocked side returns and sees it. */

#define DEFAULT_MSGSIZE_MAX 8192
#define DEFAULT_MSG_MAX     10

static long
read_limit (const char *path,
            long        fallback)
{
  g_autofree char *text = NULL;
  gint64 value;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return fallback;
  value = g_ascii_strtoll (text, NULL, 10);
  return value > 0 ? (long) value : fallback;
}

static gsize
mq_unit (gsize max_message)
{
  return MIN (max_message, (gsize) read_limit ("/proc/sys/fs/mqueue/msgsize_max", DEFAULT_MSGSIZE_MAX));
}

static int
mq_channel_send (PtlIpcChannel *channel,
                 guint          side,
                 const guint8  *data,
                 gsize          size)
{
  while (size > 0)
    {
      gsize piece = MIN (size, channel->unit);

      /* Checked before, not after: a message that went out counts, even
       * if the peer took it and stopped at once. */
      if (_ptl_ipc_stopped (channel))
        return -ECANCELED;
      if (mq_send (channel->end[side].out, (const char *) data, piece, 0) != 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      data += piece;
      size -= piece;
    }
  return 0;
}

/* mq_receive wants room for the largest message the queue allows: a
 * smaller tail goes through the side's scratch buffer. */
static int
mq_channel_receive (PtlIpcChannel *channel,
                    guint          side,
                    guint8        *data,
                    gsize          size)
{
  PtlIpcEnd *end = &channel->end[side];

  while (size > 0)
    {
      gsize piece = MIN (size, channel->unit);
      guint8 *into = size >= channel->unit ? data : end->scratch;
      ssize_t n = mq_receive (end->in, (char *) into, channel->unit, NULL);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      /* What woke us may be the empty message of an abort. */
      if (_ptl_ipc_stopped (channel))
        return -ECANCELED;
      if ((gsize) n != piece)
        return -EPROTO;
      if (into != data)
        memcpy (data, into, piece);
      data += piece;
      size -= piece;
    }
  return 0;
}

/* Never blocks: an expired deadline makes a full queue (or an empty one)
 * fail at once, and then nobody waits on it in that direction. */
static void
poke (mqd_t   post_to,
      mqd_t   take_from,
      guint8 *room,
      gsize   unit)
{
  struct timespec past = { 0, 0 };

  if (post_to >= 0)
    mq_timedsend (post_to, "", 0, 0, &past);
  if (take_from >= 0)
    mq_timedreceive (take_from, (char *) room, unit, NULL, &past);
}

static void
mq_abort (PtlIpcChannel *channel,
          guint          side)
{
  atomic_store (&channel->control->stop, 1);
  poke (channel->end[side].out, channel->end[side].in, channel->end[side].scratch, channel->unit);
}

/* Side 0's descriptors are read-write, so the lab can post to its own
 * incoming queue and take from its outgoing one. */
static void
mq_interrupt (PtlIpcChannel *channel)
{
  atomic_store (&channel->control->stop, 1);
  poke (channel->end[0].in, channel->end[0].out, channel->spare, channel->unit);
}

static mqd_t
open_queue (const char      *name,
            int              flags,
            struct mq_attr  *attr,
            GError         **error)
{
  mqd_t queue = mq_open (name, O_RDWR | flags, 0600, attr);

  if (queue == (mqd_t) -1)
    {
      int saved = errno;
      struct rlimit limit;

      if ((saved == EMFILE || saved == ENOMEM || saved == ENOSPC) &&
          getrlimit (RLIMIT_MSGQUEUE, &limit) == 0)
        g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                     _("Could not create a message queue of %ld × %ld B: %s — RLIMIT_MSGQUEUE is %llu B, "
                       "fs.mqueue.queues_max is %ld"),
                     attr ? attr->mq_maxmsg : 0, attr ? attr->mq_msgsize : 0, g_strerror (saved),
                     (unsigned long long) limit.rlim_cur,
                     read_limit ("/proc/sys/fs/mqueue/queues_max", 0));
      else
        _ptl_ipc_set_errno_error (error, saved, _("Could not open a message queue"));
    }
  return queue;
}

static gboolean
mq_channel_open (PtlIpcChannel  *channel,
                 GError        **error)
{
  g_autofree char *to_peer = _ptl_ipc_dup_name ("to-peer");
  g_autofree char *to_lab = _ptl_ipc_dup_name ("to-lab");
  struct mq_attr attr = { 0 };
  gboolean ok = FALSE;

  attr.mq_maxmsg = read_limit ("/proc/sys/fs/mqueue/msg_max", DEFAULT_MSG_MAX);
  attr.mq_maxmsg = MIN (attr.mq_maxmsg, DEFAULT_MSG_MAX);
  attr.mq_msgsize = (long) channel->unit;

  channel->end[0].out = open_queue (to_peer, O_CREAT | O_EXCL, &attr, error);
  if (channel->end[0].out >= 0)
    {
      channel->end[0].in = open_queue (to_lab, O_CREAT | O_EXCL, &attr, error);
      if (channel->end[0].in >= 0)
        {
          channel->end[1].in = open_queue (to_peer, 0, NULL, error);
          if (channel->end[1].in >= 0)
            channel->end[1].out = open_queue (to_lab, 0, NULL, error);
          ok = channel->end[1].out >= 0;
          mq_unlink (to_lab);
        }
      mq_unlink (to_peer);
    }

  channel->end[0].scratch = g_malloc (channel->unit);
  channel->end[1].scratch = g_malloc (channel->unit);
  channel->spare = g_malloc (channel->unit);
  return ok;
}

const PtlIpcMechanism ptl_ipc_mqueue = {
  .name = "mqueue",
  .label = N_("Message queue"),
  .carries_data = TRUE,
  .get_unit = mq_unit,
  .open = mq_channel_open,
  .send = mq_channel_send,
  .receive = mq_channel_receive,
  .abort = mq_abort,
  .interrupt = mq_interrupt,
};
