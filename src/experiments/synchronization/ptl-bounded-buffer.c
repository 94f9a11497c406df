/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-bounded-buffer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <pthread.h>
#include <semaphore.h>

#include "ptl-bounded-buffer.h"
#include "ptl-thread-sync.h"

struct _PtlBoundedBuffer
{
  PtlBufferGuard  guard;
  guint           capacity;
  const gint     *stop;
  gint            closed;

  /* The ring (condition variables, semaphores): head is the next slot to
   * empty, tail the next to fill; 0 marks an empty slot. */
  guint64        *slots;
  guint           head;
  guint           tail;
  PtlMutex        mutex;

  PtlSyncObject   not_full_object;
  PtlSyncObject   not_empty_object;
  pthread_cond_t  not_full;
  pthread_cond_t  not_empty;

  PtlSyncObject   free_object;
  PtlSyncObject   items_object;
  sem_t           free_slots;
  sem_t           items;
  gboolean        have_semaphores;

  PtlSyncObject   queue_object;
  PtlSyncObject   tokens_object;
  GAsyncQueue    *queue;
  GAsyncQueue    *tokens;

  /* The checks, changed only where the guard is held. */
  gint64          occupancy;
  gint            min_occupancy;
  gint            max_occupancy;
  guint64         n_violations;
  GArray         *trace;
};

static struct timespec
slice_deadline (void)
{
  gint64 ns = ptl_clock_now_ns () + PTL_BOUNDED_BUFFER_SLICE_MS * G_GINT64_CONSTANT (1000000);

  return (struct timespec) { ns / 1000000000, ns % 1000000000 };
}

static gboolean
should_give_up (PtlBoundedBuffer *self,
                gboolean          taking)
{
  return g_atomic_int_get (self->stop) || (taking && g_atomic_int_get (&self->closed));
}

/* Where the guard is held: one more (+1) or one fewer (-1) item. */
static void
note_change (PtlBoundedBuffer *self,
             int               delta)
{
  PtlBufferSample sample;

  self->occupancy += delta;
  if (self->occupancy < 0 || self->occupancy > self->capacity)
    self->n_violations++;
  self->min_occupancy = MIN (self->min_occupancy, self->occupancy);
  self->max_occupancy = MAX (self->max_occupancy, self->occupancy);
  sample.ticks = ptl_thread_ticks ();
  sample.occupancy = (gint) self->occupancy;
  g_array_append_val (self->trace, sample);
}

static void
ring_put (PtlBoundedBuffer *self,
          guint64           item)
{
  if (self->slots[self->tail] != 0)
    self->n_violations++;
  self->slots[self->tail] = item;
  self->tail = (self->tail + 1) % self->capacity;
  note_change (self, +1);
}

static guint64
ring_take (PtlBoundedBuffer *self)
{
  guint64 item = self->slots[self->head];

  if (item == 0)
    self->n_violations++;
  self->slots[self->head] = 0;
  self->head = (self->head + 1) % self->capacity;
  note_change (self, -1);
  return item;
}

/* A condition wait in slices, the mutex held around it; like
 * ptl_cond_wait () it ends the hold, records the time blocked and starts
 * a new hold. FALSE when giving up (the mutex is still held). */
static gboolean
cond_wait_while (PtlBoundedBuffer *self,
                 pthread_cond_t   *cond,
                 PtlSyncObject    *object,
                 gboolean          taking,
                 PtlThreadTrack   *track,
                 PtlHold          *hold)
{
  gboolean ok = TRUE;
  PtlWait wait;

  ptl_thread_track_push (track, PTL_THREAD_HOLDING_LOCK, self->mutex.base.id, hold->start,
                         ptl_thread_ticks (), hold->cpu);
  atomic_store_explicit (&self->mutex.base.owner, NULL, memory_order_relaxed);
  _ptl_sync_wait_begin (object, track, &wait);
  while (taking ? self->occupancy == 0 : self->occupancy == self->capacity)
    {
      struct timespec deadline = slice_deadline ();

      if (should_give_up (self, taking))
        {
          ok = FALSE;
          break;
        }
      pthread_cond_timedwait (cond, &self->mutex.mutex, &deadline);
    }
  _ptl_sync_wait_end (object, track, &wait, PTL_THREAD_BLOCKED_COND);
  _ptl_sync_acquired (&self->mutex.base, track, hold);
  return ok;
}

/* sem_wait in slices; FALSE when giving up. */
static gboolean
sem_wait_sliced (PtlBoundedBuffer *self,
                 sem_t            *sem,
                 PtlSyncObject    *object,
                 gboolean          taking,
                 PtlThreadTrack   *track)
{
  gboolean ok = TRUE;
  PtlWait wait;

  if (sem_trywait (sem) == 0)
    return TRUE;
  _ptl_sync_wait_begin (object, track, &wait);
  for (;;)
    {
      struct timespec deadline = slice_deadline ();

      if (should_give_up (self, taking))
        {
          ok = FALSE;
          break;
        }
      if (sem_clockwait (sem, CLOCK_MONOTONIC, &deadline) == 0)
        break;
    }
  _ptl_sync_wait_end (object, track, &wait, PTL_THREAD_BLOCKED_COND);
  return ok;
}

/* g_async_queue_timeout_pop in slices; NULL when giving up. With
 * @locked the queue's lock is held around the wait (and stays held). */
static gpointer
queue_pop_sliced (PtlBoundedBuffer *self,
                  GAsyncQueue      *queue,
                  PtlSyncObject    *object,
                  gboolean          taking,
                  gboolean          locked,
                  PtlThreadTrack   *track)
{
  gpointer data = locked ? g_async_queue_try_pop_unlocked (queue) : g_async_queue_try_pop (queue);
  PtlWait wait;

  if (data != NULL)
    return data;
  _ptl_sync_wait_begin (object, track, &wait);
  while (data == NULL && !should_give_up (self, taking))
    {
      guint64 timeout_us = PTL_BOUNDED_BUFFER_SLICE_MS * 1000;

      data = locked ? g_async_queue_timeout_pop_unlocked (queue, timeout_us)
                    : g_async_queue_timeout_pop (queue, timeout_us);
    }
  _ptl_sync_wait_end (object, track, &wait, PTL_THREAD_BLOCKED_COND);
  return data;
}

gboolean
ptl_bounded_buffer_put (PtlBoundedBuffer *self,
                        PtlThreadTrack   *track,
                        guint64           item,
                        gint64           *wait_ticks)
{
  gint64 asked = ptl_thread_ticks ();
  PtlHold hold;

  g_return_val_if_fail (self != NULL && track != NULL && item != 0, FALSE);

  switch (self->guard)
    {
    case PTL_BUFFER_CONDITION:
      ptl_mutex_lock (&self->mutex, track, &hold);
      if (self->occupancy == self->capacity &&
          !cond_wait_while (self, &self->not_full, &self->not_full_object, FALSE, track, &hold))
        {
          ptl_mutex_unlock (&self->mutex, track, &hold);
          return FALSE;
        }
      *wait_ticks = ptl_thread_ticks () - asked;
      ring_put (self, item);
      pthread_cond_signal (&self->not_empty);
      ptl_mutex_unlock (&self->mutex, track, &hold);
      return TRUE;

    case PTL_BUFFER_SEMAPHORES:
      if (!sem_wait_sliced (self, &self->free_slots, &self->free_object, FALSE, track))
        return FALSE;
      *wait_ticks = ptl_thread_ticks () - asked;
      ptl_mutex_lock (&self->mutex, track, &hold);
      ring_put (self, item);
      ptl_mutex_unlock (&self->mutex, track, &hold);
      sem_post (&self->items);
      return TRUE;

    case PTL_BUFFER_ASYNC_QUEUE:
      if (queue_pop_sliced (self, self->tokens, &self->tokens_object, FALSE, FALSE, track) == NULL)
        return FALSE;
      *wait_ticks = ptl_thread_ticks () - asked;
      g_async_queue_lock (self->queue);
      g_async_queue_push_unlocked (self->queue, GSIZE_TO_POINTER ((gsize) item));
      note_change (self, +1);
      g_async_queue_unlock (self->queue);
      return TRUE;

    case PTL_BUFFER_N_GUARDS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
ptl_bounded_buffer_take (PtlBoundedBuffer *self,
                         PtlThreadTrack   *track,
                         guint64          *item,
                         gint64           *wait_ticks)
{
  gint64 asked = ptl_thread_ticks ();
  gpointer data;
  PtlHold hold;

  g_return_val_if_fail (self != NULL && track != NULL && item != NULL, FALSE);

  switch (self->guard)
    {
    case PTL_BUFFER_CONDITION:
      ptl_mutex_lock (&self->mutex, track, &hold);
      if (self->occupancy == 0 &&
          !cond_wait_while (self, &self->not_empty, &self->not_empty_object, TRUE, track, &hold))
        {
          ptl_mutex_unlock (&self->mutex, track, &hold);
          return FALSE;
        }
      *wait_ticks = ptl_thread_ticks () - asked;
      *item = ring_take (self);
      pthread_cond_signal (&self->not_full);
      ptl_mutex_unlock (&self->mutex, track, &hold);
      return TRUE;

    case PTL_BUFFER_SEMAPHORES:
      if (!sem_wait_sliced (self, &self->items, &self->items_object, TRUE, track))
        return FALSE;
      *wait_ticks = ptl_thread_ticks () - asked;
      ptl_mutex_lock (&self->mutex, track, &hold);
      *item = ring_take (self);
      ptl_mutex_unlock (&self->mutex, track, &hold);
      sem_post (&self->free_slots);
      return TRUE;

    case PTL_BUFFER_ASYNC_QUEUE:
      g_async_queue_lock (self->queue);
      data = queue_pop_sliced (self, self->queue, &self->queue_object, TRUE, TRUE, track);
      if (data != NULL)
        {
          *wait_ticks = ptl_thread_ticks () - asked;
          note_change (self, -1);
        }
      g_async_queue_unlock (self->queue);
      if (data == NULL)
        return FALSE;
      *item = GPOINTER_TO_SIZE (data);
      g_async_queue_push (self->tokens, GINT_TO_POINTER (1));
      return TRUE;

    case PTL_BUFFER_N_GUARDS:
    default:
      g_assert_not_reached ();
    }
}

void
ptl_bounded_buffer_close (PtlBoundedBuffer *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->closed, 1);
  /* Wake the waiters now rather than at the end of their slice. */
  if (self->guard == PTL_BUFFER_CONDITION)
    {
      pthread_mutex_lock (&self->mutex.mutex);
      pthread_cond_broadcast (&self->not_empty);
      pthread_mutex_unlock (&self->mutex.mutex);
    }
}

PtlBoundedBuffer *
ptl_bounded_buffer_new (PtlBufferGuard      guard,
                        guint               capacity,
                        PtlThreadRecorder  *recorder,
                        const gint         *stop,
                        gsize               expected_changes,
                        GError            **error)
{
  PtlBoundedBuffer *self;
  pthread_condattr_t attr;

  g_return_val_if_fail (guard < PTL_BUFFER_N_GUARDS, NULL);
  g_return_val_if_fail (capacity > 0, NULL);
  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (recorder), NULL);
  g_return_val_if_fail (stop != NULL, NULL);

  self = g_new0 (PtlBoundedBuffer, 1);
  self->guard = guard;
  self->capacity = capacity;
  self->stop = stop;
  self->slots = g_new0 (guint64, capacity);
  self->trace = g_array_sized_new (FALSE, FALSE, sizeof (PtlBufferSample), expected_changes);
  ptl_mutex_init (&self->mutex, recorder, _("buffer mutex"));

  switch (guard)
    {
    case PTL_BUFFER_CONDITION:
      _ptl_sync_object_init (&self->not_full_object, recorder, _("not full"));
      _ptl_sync_object_init (&self->not_empty_object, recorder, _("not empty"));
      /* Timed waits on the monotonic clock, as every wait in the lab. */
      pthread_condattr_init (&attr);
      pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
      pthread_cond_init (&self->not_full, &attr);
      pthread_cond_init (&self->not_empty, &attr);
      pthread_condattr_destroy (&attr);
      break;

    case PTL_BUFFER_SEMAPHORES:
      _ptl_sync_object_init (&self->free_object, recorder, _("free slots"));
      _ptl_sync_object_init (&self->items_object, recorder, _("items"));
      if (sem_init (&self->free_slots, 0, capacity) != 0 || sem_init (&self->items, 0, 0) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not make a semaphore: %s"), g_strerror (saved_errno));
          ptl_bounded_buffer_free (self);
          return NULL;
        }
      self->have_semaphores = TRUE;
      break;

    case PTL_BUFFER_ASYNC_QUEUE:
      _ptl_sync_object_init (&self->queue_object, recorder, _("item queue"));
      _ptl_sync_object_init (&self->tokens_object, recorder, _("slot tokens"));
      self->queue = g_async_queue_new ();
      self->tokens = g_async_queue_new ();
      for (guint i = 0; i < capacity; i++)
        g_async_queue_push (self->tokens, GINT_TO_POINTER (1));
      break;

    case PTL_BUFFER_N_GUARDS:
    default:
      g_assert_not_reached ();
    }
  return self;
}

void
ptl_bounded_buffer_free (PtlBoundedBuffer *self)
{
  if (self == NULL)
    return;

  switch (self->guard)
    {
    case PTL_BUFFER_CONDITION:
      pthread_cond_destroy (&self->not_full);
      pthread_cond_destroy (&self->not_empty);
      break;
    case PTL_BUFFER_SEMAPHORES:
      if (self->have_semaphores)
        {
          sem_destroy (&self->free_slots);
          sem_destroy (&self->items);
        }
      break;
    case PTL_BUFFER_ASYNC_QUEUE:
      g_async_queue_unref (self->queue);
      g_async_queue_unref (self->tokens);
      break;
    case PTL_BUFFER_N_GUARDS:
    default:
      g_assert_not_reached ();
    }
  ptl_mutex_clear (&self->mutex);
  g_array_unref (self->trace);
  g_free (self->slots);
  g_free (self);
}

const PtlBufferSample *
ptl_bounded_buffer_get_trace (PtlBoundedBuffer *self,
                              gsize            *n_samples)
{
  g_return_val_if_fail (self != NULL && n_samples != NULL, NULL);

  *n_samples = self->trace->len;
  return (const PtlBufferSample *) (gpointer) self->trace->data;
}

guint64
ptl_bounded_buffer_get_n_violations (PtlBoundedBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_violations;
}

gint
ptl_bounded_buffer_get_min_occupancy (PtlBoundedBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->min_occupancy;
}

gint
ptl_bounded_buffer_get_max_occupancy (PtlBoundedBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_occupancy;
}
