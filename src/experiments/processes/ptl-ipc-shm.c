/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc-shm"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ptl-ipc-private.h"

/* POSIX shared memory: a byte ring per direction in a shm_open ()
 * segment, unlinked as soon as it is mapped (a forked peer inherits the
 * mapping), so nothing is left in /dev/shm even if the lab is killed.
 *
 * The ring never spins. A side that finds its ring empty (or full)
 * announces it and sleeps on a futex; the other side, after moving the
 * head (or tail), bumps the futex word and wakes it only if it announced.
 * So a ping-pong costs one futex wake and one futex wait per message, and
 * the CPU time it reports is honest: a spinning ring would look faster
 * while burning a whole CPU on each side.
 *
 * Why no wake-up is lost: the sleeper reads the futex word, announces,
 * re-checks the ring and only then waits for the word to change; the
 * other side moves the ring, bumps the word and reads the announcement.
 * All of it is sequentially consistent, so either the re-check sees the
 * move or the mover sees the announcement (and the bumped word makes a
 * late futex_wait return at once). */

#define RING_BYTES (256 * 1024)

typedef struct
{
  /* written by the producer */
  _Alignas (64) atomic_uint_least64_t head;   /* bytes ever written */
  atomic_uint                         data_word;
  atomic_uint                         producer_asleep;
  /* written by the consumer */
  _Alignas (64) atomic_uint_least64_t tail;   /* bytes ever read */
  atomic_uint                         space_word;
  atomic_uint                         consumer_asleep;
  _Alignas (64) guint8                data[RING_BYTES];
} Ring;

G_STATIC_ASSERT (sizeof (atomic_uint) == sizeof (guint32));

/* Side 0 sends on ring 0 and receives on ring 1. */
static inline Ring *
ring_of (PtlIpcChannel *channel,
         guint          index)
{
  return &((Ring *) channel->shared)[index];
}

static gsize
shm_unit (gsize max_message)
{
  return G_MAXSIZE;
}

/* Not process-private: the word may be shared with a forked peer. */
static void
futex_wait (atomic_uint *word,
            guint        expected)
{
  syscall (SYS_futex, (guint32 *) word, FUTEX_WAIT, expected, NULL, NULL, 0);
}

static void
futex_wake (atomic_uint *word,
            int          n_waiters)
{
  syscall (SYS_futex, (guint32 *) word, FUTEX_WAKE, n_waiters, NULL, NULL, 0);
}

/* Sleeps while *@watched is still @seen (and no abort came). Spurious
 * returns are fine: the caller looks again. */
static void
ring_sleep (PtlIpcChannel         *channel,
            atomic_uint           *word,
            atomic_uint           *asleep,
            atomic_uint_least64_t *watched,
            guint64                seen)
{
  guint expected = atomic_load (word);

  if (atomic_load (watched) != seen || _ptl_ipc_stopped (channel))
    return;
  atomic_store (asleep, 1);
  if (atomic_load (watched) == seen && !_ptl_ipc_stopped (channel))
    futex_wait (word, expected);
  atomic_store (asleep, 0);
}

static void
ring_wake (atomic_uint *word,
           atomic_uint *asleep)
{
  atomic_fetch_add (word, 1);
  if (atomic_load (asleep))
    futex_wake (word, 1);
}

static int
shm_send (PtlIpcChannel *channel,
          guint          side,
          const guint8  *data,
          gsize          size)
{
  Ring *ring = ring_of (channel, side);

  while (size > 0)
    {
      guint64 head = atomic_load_explicit (&ring->head, memory_order_relaxed);
      guint64 tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
      gsize space = RING_BYTES - (gsize) (head - tail);
      gsize offset = (gsize) (head % RING_BYTES);
      gsize piece;

      if (_ptl_ipc_stopped (channel))
        return -ECANCELED;
      if (space == 0)
        {
          ring_sleep (channel, &ring->space_word, &ring->producer_asleep, &ring->tail, tail);
          continue;
        }
      piece = MIN (MIN (size, space), RING_BYTES - offset);
      memcpy (ring->data + offset, data, piece);
      atomic_store (&ring->head, head + piece);
      ring_wake (&ring->data_word, &ring->consumer_asleep);
      data += piece;
      size -= piece;
    }
  return 0;
}

static int
shm_receive (PtlIpcChannel *channel,
             guint          side,
             guint8        *data,
             gsize          size)
{
  Ring *ring = ring_of (channel, 1 - side);

  while (size > 0)
    {
      guint64 tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
      guint64 head = atomic_load (&ring->head);
      gsize offset = (gsize) (tail % RING_BYTES);
      gsize piece;

      if (_ptl_ipc_stopped (channel))
        return -ECANCELED;
      if (head == tail)
        {
          ring_sleep (channel, &ring->data_word, &ring->consumer_asleep, &ring->head, head);
          continue;
        }
      piece = MIN (MIN (size, (gsize) (head - tail)), RING_BYTES - offset);
      memcpy (data, ring->data + offset, piece);
      atomic_store (&ring->tail, tail + piece);
      ring_wake (&ring->space_word, &ring->producer_asleep);
      data += piece;
      size -= piece;
    }
  return 0;
}

/* Wakes everyone on both rings; each sees the flag when it looks again. */
static void
shm_interrupt (PtlIpcChannel *channel)
{
  atomic_store (&channel->control->stop, 1);
  for (guint i = 0; i < 2; i++)
    {
      Ring *ring = ring_of (channel, i);

      atomic_fetch_add (&ring->data_word, 1);
      atomic_fetch_add (&ring->space_word, 1);
      futex_wake (&ring->data_word, INT_MAX);
      futex_wake (&ring->space_word, INT_MAX);
    }
}

static void
shm_abort (PtlIpcChannel *channel,
           guint          side)
{
  shm_interrupt (channel);
}

static gboolean
shm_open_channel (PtlIpcChannel  *channel,
                  GError        **error)
{
  g_autofree char *name = _ptl_ipc_dup_name ("rings");
  gsize size = 2 * sizeof (Ring);
  gpointer mapping;
  int fd;

  fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not create a shared memory segment"));
      return FALSE;
    }
  /* Mapped or not, the name goes now: the mapping keeps the memory. */
  shm_unlink (name);
  if (ftruncate (fd, (off_t) size) != 0)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not size a shared memory segment"));
      close (fd);
      return FALSE;
    }
  mapping = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close (fd);
  if (mapping == MAP_FAILED)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not map a shared memory segment"));
      return FALSE;
    }
  /* A new segment reads as zeros: both rings start empty. */
  channel->shared = mapping;
  channel->shared_size = size;
  return TRUE;
}

static void
shm_release (PtlIpcChannel *channel)
{
  if (channel->shared != NULL)
    munmap (channel->shared, channel->shared_size);
  channel->shared = NULL;
}

const PtlIpcMechanism ptl_ipc_shm = {
  .name = "shm",
  .label = N_("Shared memory"),
  .carries_data = TRUE,
  .get_unit = shm_unit,
  .open = shm_open_channel,
  .send = shm_send,
  .receive = shm_receive,
  .abort = shm_abort,
  .interrupt = shm_interrupt,
  .release = shm_release,
};
