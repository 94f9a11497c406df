/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pthread.h>
#include <semaphore.h>

#include "ptl-result.h"
#include "ptl-thread-recorder.h"

G_BEGIN_DECLS

/* Instrumented synchronisation: the real primitives (pthread mutex and
 * spinlock, GRWLock, GRecMutex, POSIX semaphore, pthread condition and
 * barrier, a C11 atomic), each named in a recorder, recording on the
 * calling thread's track how long it waited and how long it held them.
 *
 * The uncontended path is a try-lock, then one CPU read and one tick
 * read; only a failed try-lock takes the slow path, which records the
 * wait. Each object keeps its owner and each track the object it waits
 * for and since when (atomic, read by nobody on the recording path):
 * enough for a watchdog (ptl-deadlock-watchdog.h) to find a cycle of
 * waits, a deadlock.
 *
 * Every wait can be given up: the slow path blocks in slices of
 * PTL_SYNC_ABORT_POLL_MS (a timed lock, on CLOCK_MONOTONIC but for the
 * rwlock) and between slices looks at the recorder's abort flag
 * (ptl_thread_recorder_abort ()); a spinlock's waiter looks between
 * tries. The calls return FALSE when they gave up, having taken nothing.
 * The fast path does not look at the flag: a free lock is still taken
 * after an abort, so callers check ptl_thread_track_is_aborted () in
 * their loops too. */

/* How long an aborted waiter may go on waiting: what a deadlocked run
 * takes to get its threads back once told to. */
#define PTL_SYNC_ABORT_POLL_MS 20

/* What every instrumented object has. */
typedef struct
{
  guint32                   id;        /* ptl_thread_recorder_add_object () */
  _Atomic(PtlThreadTrack *) owner;     /* who holds it (last acquirer for a semaphore), NULL when free */
  _Atomic guint             n_waiters;
} PtlSyncObject;

/* Handed from lock to unlock by the caller: when the hold began. Readers
 * of an rwlock each have their own, so nothing is shared to record. */
typedef struct
{
  gint64 start;
  int    cpu;
  int    depth; /* re-entries of a recursive mutex */
} PtlHold;

/* Slow paths, shared by the inline fast paths below. */
typedef struct
{
  gint64 start;
  int    cpu;
} PtlWait;

static inline void
_ptl_sync_wait_begin (PtlSyncObject  *object,
                      PtlThreadTrack *track,
                      PtlWait        *wait)
{
  wait->cpu = ptl_thread_current_cpu ();
  wait->start = ptl_thread_ticks ();
  atomic_fetch_add_explicit (&object->n_waiters, 1, memory_order_relaxed);
  /* Since when first: a watchdog that sees the object sees its wait's start. */
  atomic_store_explicit (&track->waiting_since, wait->start, memory_order_relaxed);
  atomic_store_explicit (&track->waiting_for, object->id + 1, memory_order_release);
}

static inline void
_ptl_sync_wait_end (PtlSyncObject  *object,
                    PtlThreadTrack *track,
                    const PtlWait  *wait,
                    PtlThreadState  state)
{
  atomic_store_explicit (&track->waiting_for, 0, memory_order_relaxed);
  atomic_fetch_sub_explicit (&object->n_waiters, 1, memory_order_relaxed);
  ptl_thread_track_push (track, state, object->id, wait->start, ptl_thread_ticks (), wait->cpu);
}

static inline void
_ptl_sync_acquired (PtlSyncObject  *object,
                    PtlThreadTrack *track,
                    PtlHold        *hold)
{
  hold->cpu = ptl_thread_current_cpu ();
  hold->start = ptl_thread_ticks ();
  hold->depth = 0;
  atomic_store_explicit (&object->owner, track, memory_order_relaxed);
}

/* The end of the hold is read before the release, the span pushed after
 * it, so recording does not lengthen the critical section for others. */
#define _PTL_SYNC_RELEASE(object, track, hold, release)                    \
  G_STMT_START {                                                           \
    gint64 _end = ptl_thread_ticks ();                                     \
    atomic_store_explicit (&(object)->owner, NULL, memory_order_relaxed);  \
    release;                                                               \
    ptl_thread_track_push ((track), PTL_THREAD_HOLDING_LOCK, (object)->id, \
                           (hold)->start, _end, (hold)->cpu);              \
  } G_STMT_END

void _ptl_sync_object_init (PtlSyncObject     *object,
                            PtlThreadRecorder *recorder,
                            const char        *name);

/* Mutex (pthread_mutex_t, default type). */
typedef struct
{
  PtlSyncObject   base;
  pthread_mutex_t mutex;
} PtlMutex;

void     ptl_mutex_init       (PtlMutex *self, PtlThreadRecorder *recorder, const char *name);
void     ptl_mutex_clear      (PtlMutex *self);
gboolean _ptl_mutex_lock_slow (PtlMutex *self, PtlThreadTrack *track);

/* FALSE when the wait was aborted (the mutex is not held). */
static inline gboolean
ptl_mutex_lock (PtlMutex       *self,
                PtlThreadTrack *track,
                PtlHold        *hold)
{
  if (G_UNLIKELY (pthread_mutex_trylock (&self->mutex) != 0) && !_ptl_mutex_lock_slow (self, track))
    {
      *hold = (PtlHold) { 0, -1, 0 }; /* nothing held: an unlock would be a bug */
      return FALSE;
    }
  _ptl_sync_acquired (&self->base, track, hold);
  return TRUE;
}

/* Takes the mutex only if it is free: FALSE (nothing recorded) if not. */
static inline gboolean
ptl_mutex_trylock (PtlMutex       *self,
                   PtlThreadTrack *track,
                   PtlHold        *hold)
{
  if (pthread_mutex_trylock (&self->mutex) != 0)
    return FALSE;
  _ptl_sync_acquired (&self->base, track, hold);
  return TRUE;
}

static inline void
ptl_mutex_unlock (PtlMutex       *self,
                  PtlThreadTrack *track,
                  const PtlHold  *hold)
{
  _PTL_SYNC_RELEASE (&self->base, track, hold, pthread_mutex_unlock (&self->mutex));
}

/* Spinlock (pthread_spinlock_t): waits by spinning on the CPU. */
typedef struct
{
  PtlSyncObject      base;
  pthread_spinlock_t spin;
} PtlSpinlock;

void     ptl_spinlock_init       (PtlSpinlock *self, PtlThreadRecorder *recorder, const char *name);
void     ptl_spinlock_clear      (PtlSpinlock *self);
gboolean _ptl_spinlock_lock_slow (PtlSpinlock *self, PtlThreadTrack *track);

/* FALSE when the wait was aborted (the spinlock is not held). */
static inline gboolean
ptl_spinlock_lock (PtlSpinlock    *self,
                   PtlThreadTrack *track,
                   PtlHold        *hold)
{
  if (G_UNLIKELY (pthread_spin_trylock (&self->spin) != 0) && !_ptl_spinlock_lock_slow (self, track))
    {
      *hold = (PtlHold) { 0, -1, 0 };
      return FALSE;
    }
  _ptl_sync_acquired (&self->base, track, hold);
  return TRUE;
}

static inline void
ptl_spinlock_unlock (PtlSpinlock    *self,
                     PtlThreadTrack *track,
                     const PtlHold  *hold)
{
  _PTL_SYNC_RELEASE (&self->base, track, hold, pthread_spin_unlock (&self->spin));
}

/* Readers–writer lock (pthread_rwlock_t with default attributes, what
 * GRWLock is on Linux, which has no timed lock). The owner is the writer. */
typedef struct
{
  PtlSyncObject    base;
  pthread_rwlock_t lock;
} PtlRWLock;

void     ptl_rw_lock_init              (PtlRWLock *self, PtlThreadRecorder *recorder, const char *name);
void     ptl_rw_lock_clear             (PtlRWLock *self);
gboolean _ptl_rw_lock_reader_lock_slow (PtlRWLock *self, PtlThreadTrack *track);
gboolean _ptl_rw_lock_writer_lock_slow (PtlRWLock *self, PtlThreadTrack *track);

/* FALSE when the wait was aborted (the lock is not held). */
static inline gboolean
ptl_rw_lock_reader_lock (PtlRWLock      *self,
                         PtlThreadTrack *track,
                         PtlHold        *hold)
{
  if (G_UNLIKELY (pthread_rwlock_tryrdlock (&self->lock) != 0) && !_ptl_rw_lock_reader_lock_slow (self, track))
    {
      *hold = (PtlHold) { 0, -1, 0 };
      return FALSE;
    }
  hold->cpu = ptl_thread_current_cpu ();
  hold->start = ptl_thread_ticks ();
  hold->depth = 0;
  return TRUE;
}

static inline void
ptl_rw_lock_reader_unlock (PtlRWLock      *self,
                           PtlThreadTrack *track,
                           const PtlHold  *hold)
{
  gint64 end = ptl_thread_ticks ();

  pthread_rwlock_unlock (&self->lock);
  ptl_thread_track_push (track, PTL_THREAD_HOLDING_LOCK, self->base.id, hold->start, end, hold->cpu);
}

/* FALSE when the wait was aborted (the lock is not held). */
static inline gboolean
ptl_rw_lock_writer_lock (PtlRWLock      *self,
                         PtlThreadTrack *track,
                         PtlHold        *hold)
{
  if (G_UNLIKELY (pthread_rwlock_trywrlock (&self->lock) != 0) && !_ptl_rw_lock_writer_lock_slow (self, track))
    {
      *hold = (PtlHold) { 0, -1, 0 };
      return FALSE;
    }
  _ptl_sync_acquired (&self->base, track, hold);
  return TRUE;
}

static inline void
ptl_rw_lock_writer_unlock (PtlRWLock      *self,
                           PtlThreadTrack *track,
                           const PtlHold  *hold)
{
  _PTL_SYNC_RELEASE (&self->base, track, hold, pthread_rwlock_unlock (&self->lock));
}

/* Recursive mutex (a PTHREAD_MUTEX_RECURSIVE pthread mutex, what
 * GRecMutex is on Linux, which has no timed lock): a re-entry records
 * nothing; the hold is the outermost lock to its unlock. */
typedef struct
{
  PtlSyncObject   base;
  pthread_mutex_t mutex;
} PtlRecMutex;

void     ptl_rec_mutex_init       (PtlRecMutex *self, PtlThreadRecorder *recorder, const char *name);
void     ptl_rec_mutex_clear      (PtlRecMutex *self);
gboolean _ptl_rec_mutex_lock_slow (PtlRecMutex *self, PtlThreadTrack *track);

/* FALSE when the wait was aborted (nothing more is held; a re-entry
 * never waits). */
static inline gboolean
ptl_rec_mutex_lock (PtlRecMutex    *self,
                    PtlThreadTrack *track,
                    PtlHold        *hold)
{
  /* Only the owner can see itself as owner, so this read needs no order. */
  if (atomic_load_explicit (&self->base.owner, memory_order_relaxed) == track)
    {
      pthread_mutex_lock (&self->mutex);
      hold->depth++;
      return TRUE;
    }
  if (G_UNLIKELY (pthread_mutex_trylock (&self->mutex) != 0) && !_ptl_rec_mutex_lock_slow (self, track))
    {
      *hold = (PtlHold) { 0, -1, 0 };
      return FALSE;
    }
  _ptl_sync_acquired (&self->base, track, hold);
  return TRUE;
}

static inline void
ptl_rec_mutex_unlock (PtlRecMutex    *self,
                      PtlThreadTrack *track,
                      PtlHold        *hold)
{
  if (hold->depth > 0)
    {
      hold->depth--;
      pthread_mutex_unlock (&self->mutex);
      return;
    }
  _PTL_SYNC_RELEASE (&self->base, track, hold, pthread_mutex_unlock (&self->mutex));
}

/* Counting semaphore (POSIX sem_t) used as a lock with @value permits:
 * the hold is from wait to post on the same thread. */
typedef struct
{
  PtlSyncObject base;
  sem_t         sem;
} PtlSemaphore;

gboolean ptl_semaphore_init       (PtlSemaphore *self, PtlThreadRecorder *recorder, const char *name,
                                   guint value, GError **error);
void     ptl_semaphore_clear      (PtlSemaphore *self);
gboolean _ptl_semaphore_wait_slow (PtlSemaphore *self, PtlThreadTrack *track);

/* FALSE when the wait was aborted (no permit taken). */
static inline gboolean
ptl_semaphore_wait (PtlSemaphore   *self,
                    PtlThreadTrack *track,
                    PtlHold        *hold)
{
  if (G_UNLIKELY (sem_trywait (&self->sem) != 0) && !_ptl_semaphore_wait_slow (self, track))
    {
      *hold = (PtlHold) { 0, -1, 0 };
      return FALSE;
    }
  _ptl_sync_acquired (&self->base, track, hold);
  return TRUE;
}

static inline void
ptl_semaphore_post (PtlSemaphore   *self,
                    PtlThreadTrack *track,
                    const PtlHold  *hold)
{
  _PTL_SYNC_RELEASE (&self->base, track, hold, sem_post (&self->sem));
}

/* Condition variable (pthread_cond_t) over a PtlMutex. A wait ends the
 * caller's hold of @mutex, records the time blocked (waking included),
 * and starts a new hold in @hold. It returns FALSE when aborted, still
 * holding @mutex (in @hold), as a timed-out pthread wait does. Like a
 * pthread wait it may also return TRUE with nothing changed for the
 * caller (after another thread's wake-up): wait in a loop on the
 * condition, under @mutex. */
typedef struct
{
  PtlSyncObject  base;
  pthread_cond_t cond;
  _Atomic guint  wakeups; /* signals and broadcasts so far */
} PtlCond;

void     ptl_cond_init      (PtlCond *self, PtlThreadRecorder *recorder, const char *name);
void     ptl_cond_clear     (PtlCond *self);
gboolean ptl_cond_wait      (PtlCond *self, PtlMutex *mutex, PtlThreadTrack *track, PtlHold *hold);
void     ptl_cond_signal    (PtlCond *self);
void     ptl_cond_broadcast (PtlCond *self);

/* Barrier of @count threads (a mutex, a condition and a round counter:
 * pthread_barrier_t has no timed wait); the wait is recorded as blocked
 * on it. FALSE when the wait was aborted: that thread leaves its round,
 * which the others then wait for until they too are aborted. */
typedef struct
{
  PtlSyncObject   base;
  pthread_mutex_t mutex;
  pthread_cond_t  cond;
  guint           count;
  guint           n_arrived; /* under mutex, this round */
  guint64         round;     /* under mutex */
} PtlBarrier;

gboolean ptl_barrier_init  (PtlBarrier *self, PtlThreadRecorder *recorder, const char *name,
                            guint count, GError **error);
void     ptl_barrier_clear (PtlBarrier *self);
gboolean ptl_barrier_wait  (PtlBarrier *self, PtlThreadTrack *track);

/* A C11 atomic counter added to with compare-and-swap: a CAS that fails
 * because another CPU changed the value first is a wait, recorded from
 * the first try to the one that succeeds. */
typedef struct
{
  PtlSyncObject   base;
  _Atomic gint64  value;
} PtlAtomic;

void   ptl_atomic_init (PtlAtomic *self, PtlThreadRecorder *recorder, const char *name);
gint64 _ptl_atomic_add_slow (PtlAtomic *self, PtlThreadTrack *track, gint64 expected, gint64 delta);

static inline gint64
ptl_atomic_add (PtlAtomic      *self,
                PtlThreadTrack *track,
                gint64          delta)
{
  gint64 expected = atomic_load_explicit (&self->value, memory_order_relaxed);

  if (G_LIKELY (atomic_compare_exchange_weak_explicit (&self->value, &expected, expected + delta,
                                                       memory_order_acq_rel, memory_order_relaxed)))
    return expected;
  return _ptl_atomic_add_slow (self, track, expected, delta);
}

/* Uncontended costs: one lock+release pair of each primitive, alone on
 * the calling thread, bare and instrumented. */
typedef enum
{
  PTL_SYNC_MUTEX,
  PTL_SYNC_SPINLOCK,
  PTL_SYNC_RWLOCK_READ,
  PTL_SYNC_RWLOCK_WRITE,
  PTL_SYNC_SEMAPHORE,
  PTL_SYNC_REC_MUTEX,
  PTL_SYNC_ATOMIC,
  PTL_SYNC_N_KINDS
} PtlSyncKind;

const char *ptl_sync_kind_get_label (PtlSyncKind kind);

typedef struct
{
  double bare_ns;     /* median ns per pair over the batches */
  double recorded_ns;
} PtlSyncCost;

/* Times @batches batches of @pairs pairs each, bare and recorded batches
 * interleaved (so both see the same machine), after one warm-up batch of
 * each. FALSE with @error when @cancellable fired or a primitive could
 * not be made. */
gboolean ptl_sync_measure_cost   (PtlSyncKind    kind,
                                  guint          batches,
                                  guint          pairs,
                                  PtlSyncCost   *cost,
                                  GCancellable  *cancellable,
                                  GError       **error);

/* Adds the note every run that records threads carries: what one
 * recorded mutex lock/unlock costs against the bare pthread pair, measured
 * now (~20 ms). FALSE only when cancelled. */
gboolean ptl_sync_add_overhead_note (PtlResult     *result,
                                     GCancellable  *cancellable,
                                     GError       **error);

G_END_DECLS
