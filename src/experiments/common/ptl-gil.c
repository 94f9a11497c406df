/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-gil"

#include "config.h"

#include "ptl-gil.h"

/* take_gil () and drop_gil () below follow CPython's ceval_gil.c step by
 * step (with FORCE_SWITCHING), so the emulation keeps its behaviour:
 * the convoy effect after a wait, and the cost of hand-overs. */

struct _PtlGil
{
  gint64   interval_us;

  /* Guards locked and switch_number; cond is signalled on every release. */
  GMutex   mutex;
  GCond    cond;
  gboolean locked;
  guint64  switch_number;

  /* Forced switching: guards last_holder; switch_cond is signalled on
   * every take, waking a holder that yielded. */
  GMutex   switch_mutex;
  GCond    switch_cond;
  gconstpointer last_holder;

  /* CPython's gil_drop_request: set by a waiter, read by the holder
   * without a lock. */
  gint     drop_request;

  /* Only the holder writes it, and hand-overs go through the mutexes. */
  guint64  n_forced;
};

PtlGil *
ptl_gil_new (double switch_interval_ms)
{
  PtlGil *gil;

  g_return_val_if_fail (switch_interval_ms > 0, NULL);

  gil = g_new0 (PtlGil, 1);
  /* CPython waits at least one microsecond. */
  gil->interval_us = MAX (1, (gint64) (switch_interval_ms * 1000.0));
  g_mutex_init (&gil->mutex);
  g_cond_init (&gil->cond);
  g_mutex_init (&gil->switch_mutex);
  g_cond_init (&gil->switch_cond);
  return gil;
}

void
ptl_gil_free (PtlGil *gil)
{
  if (gil == NULL)
    return;

  g_mutex_clear (&gil->mutex);
  g_cond_clear (&gil->cond);
  g_mutex_clear (&gil->switch_mutex);
  g_cond_clear (&gil->switch_cond);
  g_free (gil);
}

void
ptl_gil_take (PtlGil        *gil,
              gconstpointer  thread)
{
  g_return_if_fail (gil != NULL);
  g_return_if_fail (thread != NULL);

  g_mutex_lock (&gil->mutex);

  while (gil->locked)
    {
      guint64 saved_switch_number = gil->switch_number;
      gint64 deadline = g_get_monotonic_time () + gil->interval_us;
      gboolean timed_out = !g_cond_wait_until (&gil->cond, &gil->mutex, deadline);

      /* A whole interval went by and nobody else got the lock: ask the
       * holder to let go. */
      if (timed_out && gil->locked && gil->switch_number == saved_switch_number)
        g_atomic_int_set (&gil->drop_request, 1);
    }

  /* last_holder changes only under switch_mutex: see ptl_gil_drop (). */
  g_mutex_lock (&gil->switch_mutex);
  gil->locked = TRUE;
  if (gil->last_holder != thread)
    {
      gil->last_holder = thread;
      gil->switch_number++;
    }
  g_cond_signal (&gil->switch_cond);
  g_mutex_unlock (&gil->switch_mutex);

  g_atomic_int_set (&gil->drop_request, 0);

  g_mutex_unlock (&gil->mutex);
}

void
ptl_gil_drop (PtlGil        *gil,
              gconstpointer  thread)
{
  g_return_if_fail (gil != NULL);
  g_return_if_fail (thread != NULL);

  g_mutex_lock (&gil->mutex);
  gil->locked = FALSE;
  g_cond_signal (&gil->cond);
  g_mutex_unlock (&gil->mutex);

  /* Someone asked for the lock: wait until they have it, or we would
   * most likely take it back before the waiter is even scheduled. The
   * requester stays in ptl_gil_take () until it succeeds, so this wait
   * always ends. */
  if (g_atomic_int_get (&gil->drop_request))
    {
      g_mutex_lock (&gil->switch_mutex);
      if (gil->last_holder == thread)
        {
          g_atomic_int_set (&gil->drop_request, 0);
          g_cond_wait (&gil->switch_cond, &gil->switch_mutex);
        }
      g_mutex_unlock (&gil->switch_mutex);
    }
}

gboolean
ptl_gil_drop_requested (PtlGil *gil)
{
  g_return_val_if_fail (gil != NULL, FALSE);

  return g_atomic_int_get (&gil->drop_request) != 0;
}

void
ptl_gil_yield (PtlGil        *gil,
               gconstpointer  thread)
{
  g_return_if_fail (gil != NULL);

  gil->n_forced++;
  ptl_gil_drop (gil, thread);
  ptl_gil_take (gil, thread);
}

guint64
ptl_gil_get_n_switches (PtlGil *gil)
{
  guint64 n;

  g_return_val_if_fail (gil != NULL, 0);

  g_mutex_lock (&gil->mutex);
  n = gil->switch_number;
  g_mutex_unlock (&gil->mutex);
  return n;
}

guint64
ptl_gil_get_n_forced (PtlGil *gil)
{
  guint64 n;

  g_return_val_if_fail (gil != NULL, 0);

  g_mutex_lock (&gil->mutex);
  n = gil->n_forced;
  g_mutex_unlock (&gil->mutex);
  return n;
}
