/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-plain-locks"

#include "config.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <time.h>

#include "ptl-plain-locks.h"

/* CPU time of this thread: on a shared machine a loop of milliseconds is
 * often preempted, and wall time would count the time others ran. */
static double
seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double
ptl_plain_lock_loop_ns (PtlSyncKind kind,
                        guint       iterations)
{
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  pthread_spinlock_t spin;
  GRWLock rwlock;
  GRecMutex rec_mutex;
  sem_t sem;
  _Atomic guint64 counter = 0;
  double start, end;

  pthread_spin_init (&spin, PTHREAD_PROCESS_PRIVATE);
  g_rw_lock_init (&rwlock);
  g_rec_mutex_init (&rec_mutex);
  sem_init (&sem, 0, 1);

  start = seconds ();
  switch (kind)
    {
    case PTL_SYNC_MUTEX:
      for (guint i = 0; i < iterations; i++)
        {
          pthread_mutex_lock (&mutex);
          pthread_mutex_unlock (&mutex);
        }
      break;
    case PTL_SYNC_SPINLOCK:
      for (guint i = 0; i < iterations; i++)
        {
          pthread_spin_lock (&spin);
          pthread_spin_unlock (&spin);
        }
      break;
    case PTL_SYNC_RWLOCK_READ:
      for (guint i = 0; i < iterations; i++)
        {
          g_rw_lock_reader_lock (&rwlock);
          g_rw_lock_reader_unlock (&rwlock);
        }
      break;
    case PTL_SYNC_RWLOCK_WRITE:
      for (guint i = 0; i < iterations; i++)
        {
          g_rw_lock_writer_lock (&rwlock);
          g_rw_lock_writer_unlock (&rwlock);
        }
      break;
    case PTL_SYNC_SEMAPHORE:
      for (guint i = 0; i < iterations; i++)
        {
          sem_wait (&sem);
          sem_post (&sem);
        }
      break;
    case PTL_SYNC_REC_MUTEX:
      for (guint i = 0; i < iterations; i++)
        {
          g_rec_mutex_lock (&rec_mutex);
          g_rec_mutex_unlock (&rec_mutex);
        }
      break;
    case PTL_SYNC_ATOMIC:
      for (guint i = 0; i < iterations; i++)
        atomic_fetch_add_explicit (&counter, 1, memory_order_acq_rel);
      break;
    case PTL_SYNC_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  end = seconds ();

  pthread_mutex_destroy (&mutex);
  pthread_spin_destroy (&spin);
  g_rw_lock_clear (&rwlock);
  g_rec_mutex_clear (&rec_mutex);
  sem_destroy (&sem);
  return (end - start) * 1e9 / iterations;
}
