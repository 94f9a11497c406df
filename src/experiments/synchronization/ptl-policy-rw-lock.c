/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-policy-rw-lock"

#include "config.h"

#include <string.h>

#include "ptl-policy-rw-lock.h"

void
ptl_policy_rw_lock_init (PtlPolicyRwLock   *self,
                         PtlRwPolicy        policy,
                         PtlThreadRecorder *recorder,
                         const char        *name,
                         const gint        *stop)
{
  pthread_condattr_t attr;

  g_return_if_fail (self != NULL && stop != NULL);
  g_return_if_fail (policy < PTL_RW_POLICY_N_POLICIES);

  memset (self, 0, sizeof *self);
  _ptl_sync_object_init (&self->base, recorder, name);
  self->policy = policy;
  self->stop = stop;
  pthread_mutex_init (&self->mutex, NULL);
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&self->cond, &attr);
  pthread_condattr_destroy (&attr);
  g_rw_lock_init (&self->grwlock);
}

void
ptl_policy_rw_lock_clear (PtlPolicyRwLock *self)
{
  g_return_if_fail (self != NULL);

  pthread_mutex_destroy (&self->mutex);
  pthread_cond_destroy (&self->cond);
  g_rw_lock_clear (&self->grwlock);
}

/* Under the mutex. */
static gboolean
can_enter (PtlPolicyRwLock *self,
           gboolean         write,
           guint64          ticket)
{
  if (self->writer)
    return FALSE;
  switch (self->policy)
    {
    case PTL_RW_POLICY_READERS:
      return !write || self->n_readers == 0;
    case PTL_RW_POLICY_WRITERS:
      return write ? self->n_readers == 0 : self->n_waiting_writers == 0;
    case PTL_RW_POLICY_FAIR:
      return self->serving == ticket && (!write || self->n_readers == 0);
    case PTL_RW_POLICY_GRWLOCK:
    case PTL_RW_POLICY_N_POLICIES:
    default:
      g_assert_not_reached ();
    }
}

static void
grwlock_acquire (PtlPolicyRwLock *self,
                 gboolean         write,
                 PtlThreadTrack  *track)
{
  PtlWait wait;

  if (write ? g_rw_lock_writer_trylock (&self->grwlock) : g_rw_lock_reader_trylock (&self->grwlock))
    return;
  _ptl_sync_wait_begin (&self->base, track, &wait);
  if (write)
    g_rw_lock_writer_lock (&self->grwlock);
  else
    g_rw_lock_reader_lock (&self->grwlock);
  _ptl_sync_wait_end (&self->base, track, &wait, PTL_THREAD_WAITING_LOCK);
}

gboolean
ptl_policy_rw_lock_acquire (PtlPolicyRwLock *self,
                            gboolean         write,
                            PtlThreadTrack  *track,
                            PtlHold         *hold)
{
  gboolean entered = TRUE, waited = FALSE;
  guint64 ticket = 0;
  PtlWait wait;

  g_return_val_if_fail (self != NULL && track != NULL && hold != NULL, FALSE);

  if (self->policy == PTL_RW_POLICY_GRWLOCK)
    {
      grwlock_acquire (self, write, track);
    }
  else
    {
      pthread_mutex_lock (&self->mutex);
      ticket = self->next_ticket++;
      if (write)
        self->n_waiting_writers++;
      while (!can_enter (self, write, ticket))
        {
          gint64 ns = ptl_clock_now_ns () + PTL_POLICY_RW_LOCK_SLICE_MS * G_GINT64_CONSTANT (1000000);
          struct timespec deadline = { ns / 1000000000, ns % 1000000000 };

          if (!waited)
            _ptl_sync_wait_begin (&self->base, track, &wait);
          waited = TRUE;
          /* Given up only when the run ends, so an abandoned ticket holds
           * up nobody who stays. */
          if (g_atomic_int_get (self->stop))
            {
              entered = FALSE;
              break;
            }
          pthread_cond_timedwait (&self->cond, &self->mutex, &deadline);
        }
      if (write)
        self->n_waiting_writers--;
      if (entered && write)
        self->writer = TRUE;
      else if (entered)
        self->n_readers++;
      /* A reader lets the next ticket in at once: readers in a row share. */
      if (entered && !write && self->policy == PTL_RW_POLICY_FAIR)
        self->serving++;
      if (!entered || (!write && self->policy == PTL_RW_POLICY_FAIR))
        pthread_cond_broadcast (&self->cond);
      pthread_mutex_unlock (&self->mutex);
      if (waited)
        _ptl_sync_wait_end (&self->base, track, &wait, PTL_THREAD_WAITING_LOCK);
      if (!entered)
        return FALSE;
    }

  hold->cpu = ptl_thread_current_cpu ();
  hold->start = ptl_thread_ticks ();
  hold->depth = 0;
  if (write)
    atomic_store_explicit (&self->base.owner, track, memory_order_relaxed);
  return TRUE;
}

void
ptl_policy_rw_lock_release (PtlPolicyRwLock *self,
                            gboolean         write,
                            PtlThreadTrack  *track,
                            const PtlHold   *hold)
{
  gint64 end = ptl_thread_ticks ();

  g_return_if_fail (self != NULL && track != NULL && hold != NULL);

  if (write)
    atomic_store_explicit (&self->base.owner, NULL, memory_order_relaxed);
  if (self->policy == PTL_RW_POLICY_GRWLOCK)
    {
      if (write)
        g_rw_lock_writer_unlock (&self->grwlock);
      else
        g_rw_lock_reader_unlock (&self->grwlock);
    }
  else
    {
      pthread_mutex_lock (&self->mutex);
      if (write)
        {
          self->writer = FALSE;
          if (self->policy == PTL_RW_POLICY_FAIR)
            self->serving++;
        }
      else
        {
          self->n_readers--;
        }
      if (write || self->n_readers == 0)
        pthread_cond_broadcast (&self->cond);
      pthread_mutex_unlock (&self->mutex);
    }
  ptl_thread_track_push (track, PTL_THREAD_HOLDING_LOCK, self->base.id, hold->start, end, hold->cpu);
}
