/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc-eventfd"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ptl-ipc-private.h"

/* eventfd: a kernel counter, one per direction. A send adds 1, a receive
 * takes 1 (EFD_SEMAPHORE: two signals sent before the first is read stay
 * two, as two messages would): a pure wake-up that carries no data, so
 * the message size is ignored. Each side holds its own duplicates of both
 * counters, which keeps the rule that a side closes only its own
 * descriptors. An eventfd has no end of file: abort and interrupt raise
 * the stop flag and then signal, and every receive checks the flag. */

static gsize
eventfd_unit (gsize max_message)
{
  return sizeof (guint64);
}

static int
eventfd_send (PtlIpcChannel *channel,
              guint          side,
              const guint8  *data,
              gsize          size)
{
  guint64 one = 1;

  if (_ptl_ipc_stopped (channel))
    return -ECANCELED;
  while (write (channel->end[side].out, &one, sizeof one) < 0)
    if (errno != EINTR)
      return -errno;
  return 0;
}

static int
eventfd_receive (PtlIpcChannel *channel,
                 guint          side,
                 guint8        *data,
                 gsize          size)
{
  guint64 value;

  while (read (channel->end[side].in, &value, sizeof value) < 0)
    if (errno != EINTR)
      return -errno;
  return _ptl_ipc_stopped (channel) ? -ECANCELED : 0;
}

/* A failure leaves only the stop flag, which the next receive sees. */
static void
add_one (int fd)
{
  guint64 one = 1;

  if (fd >= 0)
    while (write (fd, &one, sizeof one) < 0 && errno == EINTR)
      ;
}

static void
eventfd_abort (PtlIpcChannel *channel,
               guint          side)
{
  atomic_store (&channel->control->stop, 1);
  add_one (channel->end[side].out);
}

/* Signals side 0's own counter, through side 0's duplicate. */
static void
eventfd_interrupt (PtlIpcChannel *channel)
{
  atomic_store (&channel->control->stop, 1);
  add_one (channel->end[0].in);
}

static gboolean
eventfd_open (PtlIpcChannel  *channel,
              GError        **error)
{
  int to_peer = eventfd (0, EFD_CLOEXEC | EFD_SEMAPHORE);
  int to_lab = to_peer >= 0 ? eventfd (0, EFD_CLOEXEC | EFD_SEMAPHORE) : -1;

  if (to_lab < 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not create an eventfd"));
      if (to_peer >= 0)
        close (to_peer);
      return FALSE;
    }
  channel->end[0].out = to_peer;
  channel->end[1].out = to_lab;
  channel->end[0].in = fcntl (to_lab, F_DUPFD_CLOEXEC, 0);
  channel->end[1].in = fcntl (to_peer, F_DUPFD_CLOEXEC, 0);
  if (channel->end[0].in < 0 || channel->end[1].in < 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not duplicate an eventfd"));
      return FALSE;
    }
  return TRUE;
}

const PtlIpcMechanism ptl_ipc_eventfd = {
  .name = "eventfd",
  .label = N_("eventfd ()"),
  .carries_data = FALSE,
  .get_unit = eventfd_unit,
  .open = eventfd_open,
  .send = eventfd_send,
  .receive = eventfd_receive,
  .abort = eventfd_abort,
  .interrupt = eventfd_interrupt,
};
