/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ptl-core.h"
#include "ptl-test-sanitized.h"

#define HOLD_NS (30 * G_GINT64_CONSTANT (1000000))

/* Spans of @track in @state on @object. */
static guint
count_spans (PtlThreadTrack *track,
             PtlThreadState  state,
             guint32         object,
             double         *longest_ns)
{
  gsize n_spans;
  g_autofree PtlThreadSpan *spans = ptl_thread_track_copy_spans (track, &n_spans);
  guint n = 0;

  if (longest_ns != NULL)
    *longest_ns = 0;
  for (gsize i = 0; i < n_spans; i++)
    if (spans[i].state == state && spans[i].object == object)
      {
        n++;
        if (longest_ns != NULL)
          *longest_ns = MAX (*longest_ns, (double) (spans[i].end - spans[i].start));
      }
  return n;
}

static void
test_ordering (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (1000);
  PtlThreadTrack *track = ptl_thread_recorder_add_thread (recorder, "T1");
  guint32 lock = ptl_thread_recorder_add_object (recorder, "lock");
  g_autofree PtlThreadSpan *spans = NULL;
  gsize n_spans;

  g_assert_cmpuint (ptl_thread_recorder_get_capacity (recorder), ==, 1024);
  ptl_thread_track_begin (track);
  for (guint i = 0; i < 500; i++)
    {
      gint64 start = ptl_thread_ticks ();
      gint64 end = ptl_thread_ticks ();

      ptl_thread_track_push (track, i % 2 ? PTL_THREAD_HOLDING_LOCK : PTL_THREAD_WAITING_LOCK,
                             lock, start, end, ptl_thread_current_cpu ());
    }
  ptl_thread_track_finish (track);

  spans = ptl_thread_track_copy_spans (track, &n_spans);
  g_assert_cmpuint (n_spans, ==, 500);
  g_assert_cmpuint (ptl_thread_track_get_n_lost (track), ==, 0);
  for (gsize i = 0; i < n_spans; i++)
    {
      g_assert_cmpint (spans[i].start, <=, spans[i].end);
      g_assert_cmpint (spans[i].start, >=, 0);
      g_assert_cmpuint (spans[i].state, ==, i % 2 ? PTL_THREAD_HOLDING_LOCK : PTL_THREAD_WAITING_LOCK);
      g_assert_cmpint (spans[i].cpu, >=, 0);
      if (i > 0)
        g_assert_cmpint (spans[i].start, >=, spans[i - 1].end);
    }
}

static void
test_overflow (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (16);
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Test");
  PtlThreadTrack *track = ptl_thread_recorder_add_thread (recorder, "T1");
  g_autofree PtlThreadSpan *spans = NULL;
  gsize n_spans;

  ptl_thread_track_begin (track);
  for (gint64 i = 0; i < 100; i++)
    ptl_thread_track_push (track, PTL_THREAD_SLEEPING, PTL_THREAD_NO_OBJECT,
                           track->begin + 10 * i, track->begin + 10 * i + 5, 0);
  ptl_thread_track_finish (track);

  g_assert_cmpuint (ptl_thread_track_get_n_lost (track), ==, 84);
  g_assert_cmpuint (ptl_thread_recorder_get_n_lost (recorder), ==, 84);
  g_assert_cmpuint (ptl_thread_recorder_get_n_spans (recorder), ==, 16);
  spans = ptl_thread_track_copy_spans (track, &n_spans);
  g_assert_cmpuint (n_spans, ==, 16);
  /* The latest are kept: the first kept is push number 84. */
  g_assert_cmpfloat (spans[1].start - spans[0].start, >, 0);

  ptl_thread_recorder_add_charts (recorder, result, "threads", "Threads", FALSE);
  g_assert_cmpuint (ptl_result_get_n_warnings (result), ==, 1);
  g_assert_nonnull (strstr (ptl_result_get_warning (result, 0), "84"));
}

/* No lost events under contention, and the holds of one mutex by four
 * threads never overlap: what the recorder says is mutual exclusion. */
#define CONTENTION_THREADS 4
#define CONTENTION_PAIRS 20000

typedef struct
{
  PtlMutex       *mutex;
  PtlThreadTrack *track;
  guint64        *counter;
} ContentionWorker;

static gpointer
contention_thread (gpointer data)
{
  ContentionWorker *worker = data;

  ptl_thread_track_begin (worker->track);
  for (guint i = 0; i < CONTENTION_PAIRS; i++)
    {
      PtlHold hold;

      ptl_mutex_lock (worker->mutex, worker->track, &hold);
      (*worker->counter)++;
      ptl_mutex_unlock (worker->mutex, worker->track, &hold);
    }
  ptl_thread_track_finish (worker->track);
  return NULL;
}

static int
compare_start (gconstpointer a,
               gconstpointer b)
{
  const PtlThreadSpan *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static void
test_contention (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (2 * CONTENTION_PAIRS + 16);
  g_autoptr(GArray) holds = g_array_new (FALSE, FALSE, sizeof (PtlThreadSpan));
  ContentionWorker workers[CONTENTION_THREADS];
  GThread *threads[CONTENTION_THREADS];
  guint64 counter = 0;
  guint overlaps = 0;
  PtlMutex mutex;

  ptl_mutex_init (&mutex, recorder, "counter");
  for (guint t = 0; t < CONTENTION_THREADS; t++)
    {
      g_autofree char *name = g_strdup_printf ("T%u", t + 1);

      workers[t] = (ContentionWorker) { &mutex, ptl_thread_recorder_add_thread (recorder, name), &counter };
      threads[t] = g_thread_new (name, contention_thread, &workers[t]);
    }
  for (guint t = 0; t < CONTENTION_THREADS; t++)
    g_thread_join (threads[t]);
  ptl_mutex_clear (&mutex);

  g_assert_cmpuint (counter, ==, CONTENTION_THREADS * CONTENTION_PAIRS);
  g_assert_cmpuint (ptl_thread_recorder_get_n_lost (recorder), ==, 0);
  for (guint t = 0; t < CONTENTION_THREADS; t++)
    {
      gsize n_spans;
      g_autofree PtlThreadSpan *spans = ptl_thread_track_copy_spans (workers[t].track, &n_spans);

      g_assert_cmpuint (count_spans (workers[t].track, PTL_THREAD_HOLDING_LOCK, mutex.base.id, NULL),
                        ==, CONTENTION_PAIRS);
      for (gsize i = 0; i < n_spans; i++)
        if (spans[i].state == PTL_THREAD_HOLDING_LOCK)
          g_array_append_val (holds, spans[i]);
    }

  g_array_sort (holds, compare_start);
  /* Time stamps come from each CPU's counter; allow them a microsecond of
   * disagreement, far less than a hold a context switch would cause. */
  for (guint i = 1; i < holds->len; i++)
    if (g_array_index (holds, PtlThreadSpan, i).start + 1000 < g_array_index (holds, PtlThreadSpan, i - 1).end)
      overlaps++;
  g_assert_cmpuint (overlaps, ==, 0);
}

/* Each primitive: a holder takes it and keeps it HOLD_NS; a second thread
 * that tries meanwhile records a wait of about that long, and while it
 * waits the watchdog fields name the owner and what it waits for. */
typedef enum
{
  PRIM_MUTEX,
  PRIM_SPINLOCK,
  PRIM_RWLOCK,
  PRIM_REC_MUTEX,
  PRIM_SEMAPHORE,
} PrimKind;

typedef struct
{
  PrimKind       kind;
  PtlMutex       mutex;
  PtlSpinlock    spinlock;
  PtlRWLock      rwlock;
  PtlRecMutex    rec_mutex;
  PtlSemaphore   semaphore;
  PtlSyncObject *object;
  PtlThreadTrack *holder;
  PtlThreadTrack *waiter;
  gint           held;
} Prim;

static void
prim_lock (Prim           *prim,
           PtlThreadTrack *track,
           PtlHold        *hold,
           gboolean        reader)
{
  switch (prim->kind)
    {
    case PRIM_MUTEX:
      ptl_mutex_lock (&prim->mutex, track, hold);
      break;
    case PRIM_SPINLOCK:
      ptl_spinlock_lock (&prim->spinlock, track, hold);
      break;
    case PRIM_RWLOCK:
      if (reader)
        ptl_rw_lock_reader_lock (&prim->rwlock, track, hold);
      else
        ptl_rw_lock_writer_lock (&prim->rwlock, track, hold);
      break;
    case PRIM_REC_MUTEX:
      ptl_rec_mutex_lock (&prim->rec_mutex, track, hold);
      break;
    case PRIM_SEMAPHORE:
      ptl_semaphore_wait (&prim->semaphore, track, hold);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
prim_unlock (Prim           *prim,
             PtlThreadTrack *track,
             PtlHold        *hold,
             gboolean        reader)
{
  switch (prim->kind)
    {
    case PRIM_MUTEX:
      ptl_mutex_unlock (&prim->mutex, track, hold);
      break;
    case PRIM_SPINLOCK:
      ptl_spinlock_unlock (&prim->spinlock, track, hold);
      break;
    case PRIM_RWLOCK:
      if (reader)
        ptl_rw_lock_reader_unlock (&prim->rwlock, track, hold);
      else
        ptl_rw_lock_writer_unlock (&prim->rwlock, track, hold);
      break;
    case PRIM_REC_MUTEX:
      ptl_rec_mutex_unlock (&prim->rec_mutex, track, hold);
      break;
    case PRIM_SEMAPHORE:
      ptl_semaphore_post (&prim->semaphore, track, hold);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gpointer
holder_thread (gpointer data)
{
  Prim *prim = data;
  PtlHold hold;

  ptl_thread_track_begin (prim->holder);
  prim_lock (prim, prim->holder, &hold, FALSE);
  /* A recursive mutex taken again by its owner records one hold. */
  if (prim->kind == PRIM_REC_MUTEX)
    prim_lock (prim, prim->holder, &hold, FALSE);
  g_atomic_int_set (&prim->held, 1);
  g_usleep (HOLD_NS / 1000);
  if (prim->kind == PRIM_REC_MUTEX)
    prim_unlock (prim, prim->holder, &hold, FALSE);
  prim_unlock (prim, prim->holder, &hold, FALSE);
  ptl_thread_track_finish (prim->holder);
  return NULL;
}

static gpointer
waiter_thread (gpointer data)
{
  Prim *prim = data;
  PtlHold hold;

  ptl_thread_track_begin (prim->waiter);
  while (!g_atomic_int_get (&prim->held))
    g_usleep (100);
  /* A reader waits for the writer the holder is. */
  prim_lock (prim, prim->waiter, &hold, TRUE);
  prim_unlock (prim, prim->waiter, &hold, TRUE);
  ptl_thread_track_finish (prim->waiter);
  return NULL;
}

static void
test_wait_hold (gconstpointer data)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  g_autoptr(GError) error = NULL;
  Prim prim = { .kind = GPOINTER_TO_INT (data) };
  GThread *holder, *waiter;
  gboolean seen_waiting = FALSE;
  double longest;

  switch (prim.kind)
    {
    case PRIM_MUTEX:
      ptl_mutex_init (&prim.mutex, recorder, "lock");
      prim.object = &prim.mutex.base;
      break;
    case PRIM_SPINLOCK:
      ptl_spinlock_init (&prim.spinlock, recorder, "lock");
      prim.object = &prim.spinlock.base;
      break;
    case PRIM_RWLOCK:
      ptl_rw_lock_init (&prim.rwlock, recorder, "lock");
      prim.object = &prim.rwlock.base;
      break;
    case PRIM_REC_MUTEX:
      ptl_rec_mutex_init (&prim.rec_mutex, recorder, "lock");
      prim.object = &prim.rec_mutex.base;
      break;
    case PRIM_SEMAPHORE:
      g_assert_true (ptl_semaphore_init (&prim.semaphore, recorder, "lock", 1, &error));
      g_assert_no_error (error);
      prim.object = &prim.semaphore.base;
      break;
    default:
      g_assert_not_reached ();
    }
  prim.holder = ptl_thread_recorder_add_thread (recorder, "holder");
  prim.waiter = ptl_thread_recorder_add_thread (recorder, "waiter");

  holder = g_thread_new ("holder", holder_thread, &prim);
  waiter = g_thread_new ("waiter", waiter_thread, &prim);
  /* What a deadlock watchdog reads while they run. */
  for (guint i = 0; i < 2000 && !seen_waiting; i++)
    {
      if (atomic_load (&prim.waiter->waiting_for) == prim.object->id + 1)
        {
          g_assert_true (atomic_load (&prim.object->owner) == prim.holder);
          g_assert_cmpuint (atomic_load (&prim.object->n_waiters), ==, 1);
          seen_waiting = TRUE;
        }
      g_usleep (50);
    }
  g_thread_join (holder);
  g_thread_join (waiter);
  g_assert_true (seen_waiting);
  g_assert_null (atomic_load (&prim.object->owner));
  g_assert_cmpuint (atomic_load (&prim.waiter->waiting_for), ==, 0);

  g_assert_cmpuint (count_spans (prim.holder, PTL_THREAD_HOLDING_LOCK, prim.object->id, &longest), ==, 1);
  g_assert_cmpfloat (longest, >=, HOLD_NS * 0.9);
  g_assert_cmpuint (count_spans (prim.holder, PTL_THREAD_WAITING_LOCK, prim.object->id, NULL), ==, 0);
  g_assert_cmpuint (count_spans (prim.waiter, PTL_THREAD_WAITING_LOCK, prim.object->id, &longest), ==, 1);
  /* It started waiting after the holder took the lock and stopped when
   * it was let go: most of the hold. */
  if (ptl_test_checks_measured ("the wait lasts 0.5–20 times the hold"))
    {
      g_assert_cmpfloat (longest, >=, HOLD_NS * 0.5);
      g_assert_cmpfloat (longest, <=, HOLD_NS * 20);
    }
  g_assert_cmpuint (count_spans (prim.waiter, PTL_THREAD_HOLDING_LOCK, prim.object->id, NULL), ==, 1);

  switch (prim.kind)
    {
    case PRIM_MUTEX:
      ptl_mutex_clear (&prim.mutex);
      break;
    case PRIM_SPINLOCK:
      ptl_spinlock_clear (&prim.spinlock);
      break;
    case PRIM_RWLOCK:
      ptl_rw_lock_clear (&prim.rwlock);
      break;
    case PRIM_REC_MUTEX:
      ptl_rec_mutex_clear (&prim.rec_mutex);
      break;
    case PRIM_SEMAPHORE:
      ptl_semaphore_clear (&prim.semaphore);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Condition and barrier: the sleeper is blocked until the other acts. */
typedef struct
{
  PtlMutex        mutex;
  PtlCond         cond;
  PtlBarrier      barrier;
  PtlThreadTrack *sleeper;
  PtlThreadTrack *waker;
  gboolean        ready;
} Blocking;

static gpointer
cond_sleeper_thread (gpointer data)
{
  Blocking *b = data;
  PtlHold hold;

  ptl_thread_track_begin (b->sleeper);
  ptl_mutex_lock (&b->mutex, b->sleeper, &hold);
  while (!b->ready)
    ptl_cond_wait (&b->cond, &b->mutex, b->sleeper, &hold);
  ptl_mutex_unlock (&b->mutex, b->sleeper, &hold);
  ptl_barrier_wait (&b->barrier, b->sleeper);
  ptl_thread_track_finish (b->sleeper);
  return NULL;
}

static void
test_cond_barrier (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  g_autoptr(GError) error = NULL;
  Blocking b = { 0 };
  PtlHold hold;
  GThread *sleeper;
  double longest;

  ptl_mutex_init (&b.mutex, recorder, "mutex");
  ptl_cond_init (&b.cond, recorder, "ready");
  g_assert_true (ptl_barrier_init (&b.barrier, recorder, "barrier", 2, &error));
  b.sleeper = ptl_thread_recorder_add_thread (recorder, "sleeper");
  b.waker = ptl_thread_recorder_add_thread (recorder, "waker");

  ptl_thread_track_begin (b.waker);
  sleeper = g_thread_new ("sleeper", cond_sleeper_thread, &b);
  g_assert_true (ptl_thread_track_sleep (b.waker, HOLD_NS, NULL));
  ptl_mutex_lock (&b.mutex, b.waker, &hold);
  b.ready = TRUE;
  ptl_cond_signal (&b.cond);
  ptl_mutex_unlock (&b.mutex, b.waker, &hold);
  g_assert_true (ptl_thread_track_sleep (b.waker, HOLD_NS, NULL));
  ptl_barrier_wait (&b.barrier, b.waker);
  ptl_thread_track_finish (b.waker);
  g_thread_join (sleeper);

  g_assert_cmpuint (count_spans (b.sleeper, PTL_THREAD_BLOCKED_COND, b.cond.base.id, &longest), >=, 1);
  g_assert_cmpfloat (longest, >=, HOLD_NS * 0.5);
  g_assert_cmpuint (count_spans (b.sleeper, PTL_THREAD_BLOCKED_COND, b.barrier.base.id, &longest), ==, 1);
  g_assert_cmpfloat (longest, >=, HOLD_NS * 0.5);
  /* The hold before the wait and the one after it. */
  g_assert_cmpuint (count_spans (b.sleeper, PTL_THREAD_HOLDING_LOCK, b.mutex.base.id, NULL), >=, 2);
  g_assert_cmpuint (count_spans (b.waker, PTL_THREAD_SLEEPING, PTL_THREAD_NO_OBJECT, &longest), ==, 2);
  g_assert_cmpfloat (longest, >=, HOLD_NS * 0.9);

  ptl_mutex_clear (&b.mutex);
  ptl_cond_clear (&b.cond);
  ptl_barrier_clear (&b.barrier);
}

/* A wake-up that reaches a condition wait as one of its slices times out.
 * glibc then returns the time-out and counts the wake-up as taken, and a
 * wait that slept again on it missed it for good (a lifecycle thread
 * stayed blocked on "go" after the broadcast). Each round, broadcasts aim
 * at the end of the waiters' first slice, a few µs later round by round
 * (the waiters, having begun apart, each see a different moment); a waiter
 * not back within 5 s fails the test, and an abort frees it so the test
 * still ends. */
#define WAKE_ROUNDS  200
#define WAKE_WAITERS 4

typedef struct
{
  PtlMutex        mutex;
  PtlCond         cond;
  PtlThreadTrack *tracks[WAKE_WAITERS];
  guint           posted;  /* under mutex */
  guint           waiting; /* under mutex: waiters in the round being posted */
  gint64          since;   /* under mutex: when the last of them began to wait */
  gint            seen[WAKE_WAITERS];
} Wake;

static gpointer
wake_waiter_thread (gpointer data)
{
  Wake *w = ((gpointer *) data)[0];
  guint i = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  PtlHold hold;

  ptl_mutex_lock (&w->mutex, w->tracks[i], &hold);
  for (guint r = 1; r <= WAKE_ROUNDS; r++)
    {
      w->waiting++;
      w->since = ptl_clock_now_ns ();
      while (w->posted < r)
        if (!ptl_cond_wait (&w->cond, &w->mutex, w->tracks[i], &hold))
          {
            ptl_mutex_unlock (&w->mutex, w->tracks[i], &hold);
            return NULL;
          }
      g_atomic_int_set (&w->seen[i], r);
    }
  ptl_mutex_unlock (&w->mutex, w->tracks[i], &hold);
  return NULL;
}

static gboolean
wake_all_waiting (Wake *w)
{
  PtlHold hold;
  gboolean all;

  ptl_mutex_lock (&w->mutex, w->tracks[0], &hold);
  all = w->waiting == WAKE_WAITERS;
  ptl_mutex_unlock (&w->mutex, w->tracks[0], &hold);
  return all;
}

static void
test_cond_wakeup_at_timeout (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  PtlThreadTrack *waker = ptl_thread_recorder_add_thread (recorder, "waker");
  gpointer args[WAKE_WAITERS][2];
  GThread *threads[WAKE_WAITERS];
  Wake w = { 0 };
  guint lost = 0;

  ptl_mutex_init (&w.mutex, recorder, "mutex");
  ptl_cond_init (&w.cond, recorder, "posted");
  for (guint i = 0; i < WAKE_WAITERS; i++)
    {
      w.tracks[i] = ptl_thread_recorder_add_thread (recorder, "waiter");
      args[i][0] = &w;
      args[i][1] = GUINT_TO_POINTER (i);
      threads[i] = g_thread_new ("waiter", wake_waiter_thread, args[i]);
    }
  for (guint r = 1; r <= WAKE_ROUNDS && lost == 0; r++)
    {
      /* 0 … 150 µs after the slice's end, 10 µs apart: where its timer,
       * with the kernel's 50 µs of slack, fires and the waiter wakes. */
      gint64 offset_ns = (gint64) (r % 16) * 10000;
      gint64 limit;
      PtlHold hold;

      while (!wake_all_waiting (&w))
        g_usleep (50);
      ptl_clock_sleep_ns (w.since + PTL_SYNC_ABORT_POLL_MS * G_GINT64_CONSTANT (1000000) + offset_ns -
                          ptl_clock_now_ns (), NULL);
      g_assert_true (ptl_mutex_lock (&w.mutex, waker, &hold));
      w.posted = r;
      w.waiting = 0;
      ptl_cond_broadcast (&w.cond);
      ptl_mutex_unlock (&w.mutex, waker, &hold);

      limit = ptl_clock_now_ns () + G_GINT64_CONSTANT (5000000000);
      for (guint i = 0; i < WAKE_WAITERS; i++)
        {
          while (g_atomic_int_get (&w.seen[i]) != (gint) r && ptl_clock_now_ns () < limit)
            g_usleep (100);
          if (g_atomic_int_get (&w.seen[i]) != (gint) r)
            lost = r;
        }
    }
  /* Frees a waiter that missed its wake-up, so the test ends either way. */
  ptl_thread_recorder_abort (recorder);
  for (guint i = 0; i < WAKE_WAITERS; i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (lost, ==, 0);

  ptl_mutex_clear (&w.mutex);
  ptl_cond_clear (&w.cond);
}

/* Every wait gives up on an abort: a waiter blocked behind a holder that
 * never lets go (a barrier that one thread never reaches) returns FALSE
 * soon after the recorder is aborted, and the lock still works after. */
typedef enum
{
  ABORT_SPINLOCK,
  ABORT_RW_READ,
  ABORT_RW_WRITE,
  ABORT_REC_MUTEX,
  ABORT_BARRIER,
} AbortKind;

typedef struct
{
  AbortKind       kind;
  PtlSpinlock     spinlock;
  PtlRWLock       rwlock;
  PtlRecMutex     rec_mutex;
  PtlBarrier      barrier;
  PtlThreadTrack *track;
  gint            result; /* -1 while waiting, then whether it got through */
} AbortCase;

static gpointer
abort_waiter_thread (gpointer data)
{
  AbortCase *c = data;
  PtlHold hold = { 0 };
  gboolean taken = FALSE;

  switch (c->kind)
    {
    case ABORT_SPINLOCK:
      if ((taken = ptl_spinlock_lock (&c->spinlock, c->track, &hold)))
        ptl_spinlock_unlock (&c->spinlock, c->track, &hold);
      break;
    case ABORT_RW_READ:
      if ((taken = ptl_rw_lock_reader_lock (&c->rwlock, c->track, &hold)))
        ptl_rw_lock_reader_unlock (&c->rwlock, c->track, &hold);
      break;
    case ABORT_RW_WRITE:
      if ((taken = ptl_rw_lock_writer_lock (&c->rwlock, c->track, &hold)))
        ptl_rw_lock_writer_unlock (&c->rwlock, c->track, &hold);
      break;
    case ABORT_REC_MUTEX:
      if ((taken = ptl_rec_mutex_lock (&c->rec_mutex, c->track, &hold)))
        ptl_rec_mutex_unlock (&c->rec_mutex, c->track, &hold);
      break;
    case ABORT_BARRIER:
      taken = ptl_barrier_wait (&c->barrier, c->track);
      break;
    default:
      g_assert_not_reached ();
    }
  g_atomic_int_set (&c->result, taken);
  return NULL;
}

/* The holder's side: takes (@take) or lets go of what blocks the waiter. */
static void
abort_hold (AbortCase      *c,
            PtlThreadTrack *holder,
            PtlHold        *hold,
            gboolean        take)
{
  switch (c->kind)
    {
    case ABORT_SPINLOCK:
      if (take)
        g_assert_true (ptl_spinlock_lock (&c->spinlock, holder, hold));
      else
        ptl_spinlock_unlock (&c->spinlock, holder, hold);
      break;
    case ABORT_RW_READ:
      if (take)
        g_assert_true (ptl_rw_lock_writer_lock (&c->rwlock, holder, hold));
      else
        ptl_rw_lock_writer_unlock (&c->rwlock, holder, hold);
      break;
    case ABORT_RW_WRITE:
      if (take)
        g_assert_true (ptl_rw_lock_reader_lock (&c->rwlock, holder, hold));
      else
        ptl_rw_lock_reader_unlock (&c->rwlock, holder, hold);
      break;
    case ABORT_REC_MUTEX:
      if (take)
        g_assert_true (ptl_rec_mutex_lock (&c->rec_mutex, holder, hold));
      else
        ptl_rec_mutex_unlock (&c->rec_mutex, holder, hold);
      break;
    case ABORT_BARRIER:
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_abort (gconstpointer data)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  PtlThreadTrack *holder = ptl_thread_recorder_add_thread (recorder, "holder");
  g_autofree AbortCase *c = g_new0 (AbortCase, 1);
  const PtlSyncObject *objects[] = { &c->spinlock.base, &c->rwlock.base, &c->rwlock.base,
                                     &c->rec_mutex.base, &c->barrier.base };
  PtlHold hold = { 0 };
  gint64 aborted, limit;
  GThread *thread;

  c->kind = GPOINTER_TO_INT (data);
  c->result = -1;
  c->track = ptl_thread_recorder_add_thread (recorder, "waiter");
  ptl_spinlock_init (&c->spinlock, recorder, "spinlock");
  ptl_rw_lock_init (&c->rwlock, recorder, "rwlock");
  ptl_rec_mutex_init (&c->rec_mutex, recorder, "recursive mutex");
  g_assert_true (ptl_barrier_init (&c->barrier, recorder, "barrier", 2, NULL));

  abort_hold (c, holder, &hold, TRUE);
  thread = g_thread_new ("waiter", abort_waiter_thread, c);
  /* Seen waiting (a loaded machine may start it late), and still waiting
   * a slice later. */
  limit = ptl_clock_now_ns () + G_GINT64_CONSTANT (5000000000);
  while (atomic_load (&c->track->waiting_for) != objects[c->kind]->id + 1 && ptl_clock_now_ns () < limit)
    g_usleep (1000);
  g_assert_cmpuint (atomic_load (&c->track->waiting_for), ==, objects[c->kind]->id + 1);
  g_usleep (PTL_SYNC_ABORT_POLL_MS * 2000);
  g_assert_cmpint (g_atomic_int_get (&c->result), ==, -1);

  ptl_thread_recorder_abort (recorder);
  aborted = ptl_clock_now_ns ();
  limit = aborted + G_GINT64_CONSTANT (5000000000);
  while (g_atomic_int_get (&c->result) == -1 && ptl_clock_now_ns () < limit)
    g_usleep (1000);
  /* Let go in any case, so a wait that ignored the abort still ends. */
  abort_hold (c, holder, &hold, FALSE);
  g_thread_join (thread);
  g_test_message ("gave up %.1f ms after the abort", (ptl_clock_now_ns () - aborted) / 1e6);
  g_assert_cmpint (c->result, ==, FALSE);
  g_assert_cmpuint (atomic_load (&c->track->waiting_for), ==, 0);

  /* The lock still works; the barrier's round is whole again. */
  abort_hold (c, holder, &hold, TRUE);
  abort_hold (c, holder, &hold, FALSE);
  if (c->kind == ABORT_BARRIER)
    {
      c->result = -1;
      thread = g_thread_new ("waiter", abort_waiter_thread, c);
      g_assert_true (ptl_barrier_wait (&c->barrier, holder));
      g_thread_join (thread);
      g_assert_cmpint (c->result, ==, TRUE);
    }

  ptl_spinlock_clear (&c->spinlock);
  ptl_rw_lock_clear (&c->rwlock);
  ptl_rec_mutex_clear (&c->rec_mutex);
  ptl_barrier_clear (&c->barrier);
}

/* Atomic adds from two threads sum exactly; a lone thread never waits. */
typedef struct
{
  PtlAtomic      *atomic;
  PtlThreadTrack *track;
} AtomicWorker;

static gpointer
atomic_thread (gpointer data)
{
  AtomicWorker *worker = data;

  for (guint i = 0; i < 100000; i++)
    ptl_atomic_add (worker->atomic, worker->track, 1);
  return NULL;
}

static void
test_atomic (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (1u << 18);
  PtlAtomic atomic;
  AtomicWorker workers[2];
  GThread *threads[2];

  ptl_atomic_init (&atomic, recorder, "counter");
  workers[0] = (AtomicWorker) { &atomic, ptl_thread_recorder_add_thread (recorder, "alone") };
  atomic_thread (&workers[0]);
  g_assert_cmpint (atomic_load (&atomic.value), ==, 100000);
  g_assert_cmpuint (ptl_thread_recorder_get_n_spans (recorder), ==, 0);

  for (guint t = 0; t < 2; t++)
    {
      workers[t] = (AtomicWorker) { &atomic, ptl_thread_recorder_add_thread (recorder, "together") };
      threads[t] = g_thread_new ("atomic", atomic_thread, &workers[t]);
    }
  for (guint t = 0; t < 2; t++)
    g_thread_join (threads[t]);
  g_assert_cmpint (atomic_load (&atomic.value), ==, 300000);
  /* Whatever was recorded is a wait for the counter (a lost CAS race). */
  for (guint t = 0; t < 2; t++)
    {
      gsize n_spans;
      g_autofree PtlThreadSpan *spans = ptl_thread_track_copy_spans (workers[t].track, &n_spans);

      g_assert_cmpuint (count_spans (workers[t].track, PTL_THREAD_WAITING_LOCK, atomic.base.id, NULL), ==, n_spans);
    }
}

/* The chart: one lane per thread, keys per lock in their state's colour,
 * running in the gaps, shares adding up to the lifetime. */
static void
test_charts (void)
{
  g_autoptr(PtlThreadRecorder) recorder = ptl_thread_recorder_new (64);
  g_autoptr(PtlResult) result = ptl_result_new ("test", "Test");
  PtlThreadTrack *a = ptl_thread_recorder_add_thread (recorder, "A");
  PtlThreadTrack *b = ptl_thread_recorder_add_thread (recorder, "B");
  guint32 lock = ptl_thread_recorder_add_object (recorder, "counter");
  g_autofree double *times = NULL;
  PtlChart *chart, *shares;
  guint n_slices, waiting_key = G_MAXUINT;
  const PtlSlice *slices;
  gint64 t0 = ptl_thread_ticks ();
  gint64 unit = 1000000;

  /* A: begin, run 1, wait 2 (inside a hold of 4), sleep 1, end. */
  a->begin = t0;
  ptl_thread_track_push (a, PTL_THREAD_WAITING_LOCK, lock, t0 + 2 * unit, t0 + 4 * unit, 0);
  ptl_thread_track_push (a, PTL_THREAD_HOLDING_LOCK, lock, t0 + 1 * unit, t0 + 5 * unit, 0);
  ptl_thread_track_push (a, PTL_THREAD_SLEEPING, PTL_THREAD_NO_OBJECT, t0 + 5 * unit, t0 + 6 * unit, 1);
  a->end = t0 + 6 * unit;
  b->begin = t0;
  b->end = t0 + 10 * unit;

  ptl_thread_recorder_add_charts (recorder, result, "threads", "Threads", TRUE);
  chart = ptl_result_find_chart (result, "threads");
  g_assert_nonnull (chart);
  g_assert_cmpuint (ptl_chart_get_n_lanes (chart), ==, 2);
  for (guint k = 0; k < ptl_chart_get_n_keys (chart); k++)
    if (g_strcmp0 (ptl_chart_get_key (chart, k), "Waiting for “counter”") == 0)
      waiting_key = k;
  g_assert_cmpuint (waiting_key, !=, G_MAXUINT);
  g_assert_cmpuint (ptl_chart_get_key_like (chart, waiting_key), ==, PTL_THREAD_WAITING_LOCK);
  g_assert_cmpuint (ptl_chart_get_key_like (chart, PTL_THREAD_RUNNING), ==, PTL_THREAD_RUNNING);

  /* A: running, hold, wait inside it, sleep, then finished until B ends. */
  slices = ptl_chart_get_slices (chart, &n_slices);
  g_assert_cmpuint (n_slices, ==, 6);
  g_assert_cmpuint (slices[0].key, ==, PTL_THREAD_RUNNING);
  g_assert_cmpuint (ptl_chart_get_key_like (chart, slices[1].key), ==, PTL_THREAD_HOLDING_LOCK);
  g_assert_cmpuint (slices[2].key, ==, waiting_key);
  g_assert_cmpuint (slices[3].key, ==, PTL_THREAD_SLEEPING);
  g_assert_cmpuint (slices[4].key, ==, PTL_THREAD_FINISHED);
  g_assert_cmpuint (slices[5].lane, ==, 1);
  g_assert_cmpuint (slices[5].key, ==, PTL_THREAD_RUNNING);
  g_assert_nonnull (ptl_result_find_chart (result, "threads-cpus"));

  /* Wait counted once: holding is 4 - 2. */
  times = ptl_thread_recorder_dup_state_times (recorder);
  g_assert_cmpfloat_with_epsilon (times[PTL_THREAD_HOLDING_LOCK] / times[PTL_THREAD_WAITING_LOCK], 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (times[PTL_THREAD_RUNNING] / times[PTL_THREAD_SLEEPING], 1.0, 1e-6);
  shares = ptl_result_find_chart (result, "threads-shares");
  g_assert_nonnull (shares);
  g_assert_cmpuint (ptl_chart_get_n_categories (shares), ==, 2);
  g_assert_cmpuint (ptl_result_get_n_warnings (result), ==, 0);
}

static void
test_cost (void)
{
  g_autoptr(GError) error = NULL;

  for (PtlSyncKind kind = 0; kind < PTL_SYNC_N_KINDS; kind++)
    {
      PtlSyncCost cost;

      g_assert_true (ptl_sync_measure_cost (kind, 3, 2000, &cost, NULL, &error));
      g_assert_no_error (error);
      g_test_message ("%s: bare %.1f ns, recorded %.1f ns", ptl_sync_kind_get_label (kind),
                      cost.bare_ns, cost.recorded_ns);
      g_assert_cmpfloat (cost.bare_ns, >, 0);
      g_assert_cmpfloat (cost.recorded_ns, >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *path; PrimKind kind; } prims[] = {
    { "/ptl/thread-sync/wait-hold/mutex", PRIM_MUTEX },
    { "/ptl/thread-sync/wait-hold/spinlock", PRIM_SPINLOCK },
    { "/ptl/thread-sync/wait-hold/rwlock", PRIM_RWLOCK },
    { "/ptl/thread-sync/wait-hold/rec-mutex", PRIM_REC_MUTEX },
    { "/ptl/thread-sync/wait-hold/semaphore", PRIM_SEMAPHORE },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/thread-recorder/ordering", test_ordering);
  g_test_add_func ("/ptl/thread-recorder/overflow", test_overflow);
  g_test_add_func ("/ptl/thread-recorder/contention", test_contention);
  g_test_add_func ("/ptl/thread-recorder/charts", test_charts);
  for (guint i = 0; i < G_N_ELEMENTS (prims); i++)
    g_test_add_data_func (prims[i].path, GINT_TO_POINTER (prims[i].kind), test_wait_hold);
  g_test_add_func ("/ptl/thread-sync/cond-barrier", test_cond_barrier);
  g_test_add_func ("/ptl/thread-sync/cond-wakeup-at-timeout", test_cond_wakeup_at_timeout);
  g_test_add_data_func ("/ptl/thread-sync/abort/spinlock", GINT_TO_POINTER (ABORT_SPINLOCK), test_abort);
  g_test_add_data_func ("/ptl/thread-sync/abort/rwlock-read", GINT_TO_POINTER (ABORT_RW_READ), test_abort);
  g_test_add_data_func ("/ptl/thread-sync/abort/rwlock-write", GINT_TO_POINTER (ABORT_RW_WRITE), test_abort);
  g_test_add_data_func ("/ptl/thread-sync/abort/recursive-mutex", GINT_TO_POINTER (ABORT_REC_MUTEX), test_abort);
  g_test_add_data_func ("/ptl/thread-sync/abort/barrier", GINT_TO_POINTER (ABORT_BARRIER), test_abort);
  g_test_add_func ("/ptl/thread-sync/atomic", test_atomic);
  g_test_add_func ("/ptl/thread-sync/cost", test_cost);

  return g_test_run ();
}
