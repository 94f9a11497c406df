/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Linked into every program of a ThreadSanitizer build (-Db_sanitize=thread,
 * ./build-aux/dev sanitize) and nowhere else.
 *
 * The distribution's GLib is not instrumented, and on Linux it builds
 * GMutex and GCond on futexes and hands work to GTask and GThreadPool
 * threads through its own queues: ThreadSanitizer sees none of that, so it
 * reports every access to data those locks and queues order as a race. The
 * functions below take precedence over libglib's for calls from our code:
 * each tells ThreadSanitizer what the call means (an acquire or a release
 * on the lock, task or pool) and then calls GLib's own. They order nothing
 * themselves, so a real race in our code is still reported. */

#define G_LOG_DOMAIN "ptl-tsan-glib"

#include <dlfcn.h>
#include <gio/gio.h>
#include <pthread.h>
#include <sanitizer/tsan_interface.h>
#include <semaphore.h>
#include <stdlib.h>

/* GLib's own function @name, past this program's definition. Found on
 * first use, as GLib's constructors already lock mutexes; an atomic slot
 * so that threads finding it together do not race. */
static void *
glib_function (void       **slot,
               const char  *name)
{
  void *symbol = __atomic_load_n (slot, __ATOMIC_ACQUIRE);

  if (symbol == NULL)
    {
      symbol = dlsym (RTLD_NEXT, name);
      if (symbol == NULL)
        abort ();
      __atomic_store_n (slot, symbol, __ATOMIC_RELEASE);
    }
  return symbol;
}

#define REAL(type, name) ((type) glib_function (&real_##name, #name))

static void *real_g_mutex_lock, *real_g_mutex_unlock, *real_g_mutex_trylock;
static void *real_g_cond_wait, *real_g_cond_wait_until;
static void *real_g_task_run_in_thread, *real_g_task_return_pointer;
static void *real_g_task_return_error, *real_g_task_propagate_pointer;
static void *real_g_thread_pool_new, *real_g_thread_pool_push, *real_g_thread_pool_free;
static void *real_g_async_queue_push, *real_g_async_queue_pop, *real_g_async_queue_timeout_pop;
static void *real_g_async_queue_lock, *real_g_async_queue_unlock, *real_g_async_queue_timeout_pop_unlocked;

void
g_mutex_lock (GMutex *mutex)
{
  REAL (void (*) (GMutex *), g_mutex_lock) (mutex);
  __tsan_acquire (mutex);
}

void
g_mutex_unlock (GMutex *mutex)
{
  __tsan_release (mutex);
  REAL (void (*) (GMutex *), g_mutex_unlock) (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  if (!REAL (gboolean (*) (GMutex *), g_mutex_trylock) (mutex))
    return FALSE;
  __tsan_acquire (mutex);
  return TRUE;
}

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  __tsan_release (mutex);
  REAL (void (*) (GCond *, GMutex *), g_cond_wait) (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  gboolean signalled;

  __tsan_release (mutex);
  signalled = REAL (gboolean (*) (GCond *, GMutex *, gint64), g_cond_wait_until) (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return signalled;
}

/* GTask: what the caller prepared before g_task_run_in_thread () is seen
 * by the thread; what the thread did before g_task_return_* () is seen by
 * whoever propagates the result. */

typedef struct
{
  GTaskThreadFunc func;
} TaskThread;

static void
task_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskThread *thread = g_object_get_data (G_OBJECT (task), "ptl-tsan-task-thread");

  __tsan_acquire (task);
  thread->func (task, source_object, task_data, cancellable);
}

void
g_task_run_in_thread (GTask           *task,
                      GTaskThreadFunc  task_func)
{
  TaskThread *thread = g_new0 (TaskThread, 1);

  thread->func = task_func;
  g_object_set_data_full (G_OBJECT (task), "ptl-tsan-task-thread", thread, g_free);
  __tsan_release (task);
  REAL (void (*) (GTask *, GTaskThreadFunc), g_task_run_in_thread) (task, task_thread);
}

void
g_task_return_pointer (GTask          *task,
                       gpointer        result,
                       GDestroyNotify  result_destroy)
{
  __tsan_release (task);
  REAL (void (*) (GTask *, gpointer, GDestroyNotify), g_task_return_pointer) (task, result, result_destroy);
}

void
g_task_return_error (GTask  *task,
                     GError *error)
{
  __tsan_release (task);
  REAL (void (*) (GTask *, GError *), g_task_return_error) (task, error);
}

gpointer
g_task_propagate_pointer (GTask   *task,
                          GError **error)
{
  __tsan_acquire (task);
  return REAL (gpointer (*) (GTask *, GError **), g_task_propagate_pointer) (task, error);
}

/* GThreadPool: each task's run sees everything before its push, and
 * g_thread_pool_free () that waits sees every task's run. The pool's own
 * function and data are replaced by a trampoline, whose data (the pool's
 * user_data) is the object of those releases and acquires. */

typedef struct
{
  GFunc    func;
  gpointer user_data;
} PoolThread;

static void
pool_thread (gpointer data,
             gpointer user_data)
{
  PoolThread *thread = user_data;

  __tsan_acquire (thread);
  thread->func (data, thread->user_data);
  __tsan_release (thread);
}

GThreadPool *
g_thread_pool_new (GFunc     func,
                   gpointer  user_data,
                   gint      max_threads,
                   gboolean  exclusive,
                   GError  **error)
{
  PoolThread *thread = g_new0 (PoolThread, 1);
  GThreadPool *pool;

  thread->func = func;
  thread->user_data = user_data;
  __tsan_release (thread);
  pool = REAL (GThreadPool *(*) (GFunc, gpointer, gint, gboolean, GError **), g_thread_pool_new) (pool_thread, thread, max_threads, exclusive, error);
  if (pool == NULL)
    g_free (thread);
  return pool;
}

gboolean
g_thread_pool_push (GThreadPool  *pool,
                    gpointer      data,
                    GError      **error)
{
  __tsan_release (pool->user_data);
  return REAL (gboolean (*) (GThreadPool *, gpointer, GError **), g_thread_pool_push) (pool, data, error);
}

void
g_thread_pool_free (GThreadPool *pool,
                    gboolean     immediate,
                    gboolean     wait_)
{
  PoolThread *thread = pool->user_data;

  REAL (void (*) (GThreadPool *, gboolean, gboolean), g_thread_pool_free) (pool, immediate, wait_);
  /* Without waiting, a thread may still be about to read it. */
  if (wait_)
    {
      __tsan_acquire (thread);
      g_free (thread);
    }
}

/* GAsyncQueue: a pop sees everything before the push it returns. */

void
g_async_queue_push (GAsyncQueue *queue,
                    gpointer     data)
{
  __tsan_release (queue);
  REAL (void (*) (GAsyncQueue *, gpointer), g_async_queue_push) (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  gpointer data;

  data = REAL (gpointer (*) (GAsyncQueue *), g_async_queue_pop) (queue);
  __tsan_acquire (queue);
  return data;
}

gpointer
g_async_queue_timeout_pop (GAsyncQueue *queue,
                           guint64      timeout)
{
  gpointer data;

  data = REAL (gpointer (*) (GAsyncQueue *, guint64), g_async_queue_timeout_pop) (queue, timeout);
  if (data != NULL)
    __tsan_acquire (queue);
  return data;
}

/* GAsyncQueue's own lock, taken by hand around the _unlocked calls: a
 * lock like a GMutex, released while a timed pop waits. */

void
g_async_queue_lock (GAsyncQueue *queue)
{
  REAL (void (*) (GAsyncQueue *), g_async_queue_lock) (queue);
  __tsan_acquire (queue);
}

void
g_async_queue_unlock (GAsyncQueue *queue)
{
  __tsan_release (queue);
  REAL (void (*) (GAsyncQueue *), g_async_queue_unlock) (queue);
}

gpointer
g_async_queue_timeout_pop_unlocked (GAsyncQueue *queue,
                                    guint64      timeout)
{
  gpointer data;

  __tsan_release (queue);
  data = REAL (gpointer (*) (GAsyncQueue *, guint64), g_async_queue_timeout_pop_unlocked) (queue, timeout);
  __tsan_acquire (queue);
  return data;
}

/* The abortable waits of ptl-thread-sync.c block in slices on
 * CLOCK_MONOTONIC; clang 14's ThreadSanitizer intercepts
 * pthread_cond_clockwait but not these two, so it would miss the lock
 * they take and the post they consume. Told here, as its interceptors
 * would: a lock attempt that may time out, and an acquire of the
 * semaphore that sem_post released. */
int
pthread_mutex_clocklock (pthread_mutex_t       *mutex,
                         clockid_t              clock,
                         const struct timespec *deadline)
{
  static void *slot;
  int (*real) (pthread_mutex_t *, clockid_t, const struct timespec *) =
    glib_function (&slot, "pthread_mutex_clocklock");
  int status;

  __tsan_mutex_pre_lock (mutex, __tsan_mutex_try_lock);
  status = real (mutex, clock, deadline);
  __tsan_mutex_post_lock (mutex, status == 0 ? __tsan_mutex_try_lock
                                             : __tsan_mutex_try_lock | __tsan_mutex_try_lock_failed, 0);
  return status;
}

int
sem_clockwait (sem_t                 *sem,
               clockid_t              clock,
               const struct timespec *deadline)
{
  static void *slot;
  int (*real) (sem_t *, clockid_t, const struct timespec *) = glib_function (&slot, "sem_clockwait");
  int status = real (sem, clock, deadline);

  if (status == 0)
    __tsan_acquire (sem);
  return status;
}
