/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper idle TOUCH_KIB
 *   ptlab-helper idle-threads N STACK_KIB TOUCH_KIB
 *   ptlab-helper idle-fork N PARENT_MIB TOUCH_KIB
 *
 * Idle workers for the "memory" experiment, whose resident memory the lab
 * reads from /proc. Every worker touches TOUCH_KIB of its stack (so that
 * much of it becomes resident) and then blocks until standard input
 * reaches end of file.
 *
 * idle is one exec'd worker. idle-threads is a host process that starts
 * N threads with STACK_KIB stacks. idle-fork is a host that first writes
 * to PARENT_MIB of heap, then forks N children, which share those pages
 * copy-on-write. N may be 0: the host alone is the baseline.
 *
 * On standard output, one write () a line (stdout may be a pipe shared
 * by many workers, and such writes do not interleave): "worker PID" from
 * each worker once it is idle, "ready" from a host once all its workers
 * are, or "failed CREATED ERRNO" from a host whose creation failed. */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper-common.h"

#define PAGE_STRIDE 4096

static int
say (const char *line)
{
  size_t length = strlen (line);

  return write (STDOUT_FILENO, line, length) == (ssize_t) length;
}

static int
say_worker (long long id)
{
  char line[64];

  snprintf (line, sizeof line, "worker %lld\n", id);
  return say (line);
}

static int
say_failed (uint64_t created,
            int      errsv)
{
  char line[64];

  snprintf (line, sizeof line, "failed %llu %d\n", (unsigned long long) created, errsv);
  return say (line);
}

/* Writes to every page of a TOUCH-byte frame below the caller's, so those
 * pages become resident. The frame is gone on return, the pages stay. */
static void __attribute__ ((noinline))
touch_stack (size_t bytes)
{
  volatile char *frame;

  if (bytes == 0)
    return;
  frame = __builtin_alloca (bytes);
  for (size_t i = 0; i < bytes; i += PAGE_STRIDE)
    frame[i] = 1;
  frame[bytes - 1] = 1;
}

/* Blocks until the lab closes our standard input (or kills us). */
static void
wait_for_end_of_input (void)
{
  char buffer[64];
  ssize_t n;

  do
    n = read (STDIN_FILENO, buffer, sizeof buffer);
  while (n > 0 || (n < 0 && errno == EINTR));
}

static int
parse_kib (const char *text,
           size_t     *bytes)
{
  uint64_t kib;

  if (!helper_parse_u64 (text, &kib) || kib > SIZE_MAX / 1024)
    return 0;
  *bytes = (size_t) kib * 1024;
  return 1;
}

int
helper_idle_main (int    argc,
                  char **argv)
{
  size_t touch;

  if (argc != 2 || !parse_kib (argv[1], &touch))
    {
      fputs ("usage: ptlab-helper idle TOUCH_KIB\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();
  touch_stack (touch);
  if (!say_worker (getpid ()))
    return 1;
  wait_for_end_of_input ();
  return 0;
}

/* idle-threads */

typedef struct
{
  pthread_mutex_t lock;
  pthread_cond_t  all_idle;
  uint64_t        n_threads;
  uint64_t        n_idle;
  size_t          touch;
} Host;

static void *
idle_thread (void *data)
{
  Host *host = data;

  touch_stack (host->touch);
  say_worker (gettid ());

  /* Only the last one wakes the main thread: a wake-up per thread would
   * cost a thousand threads half a million wake-ups. */
  pthread_mutex_lock (&host->lock);
  if (++host->n_idle == host->n_threads)
    pthread_cond_signal (&host->all_idle);
  pthread_mutex_unlock (&host->lock);

  /* Blocked for good: the process ends under us. */
  for (;;)
    pause ();
  return NULL;
}

int
helper_idle_threads_main (int    argc,
                          char **argv)
{
  Host host = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };
  size_t stack;
  pthread_attr_t attr;
  int rc;

  if (argc != 4 || !helper_parse_u64 (argv[1], &host.n_threads) ||
      !parse_kib (argv[2], &stack) || !parse_kib (argv[3], &host.touch))
    {
      fputs ("usage: ptlab-helper idle-threads N STACK_KIB TOUCH_KIB\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();

  pthread_attr_init (&attr);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_attr_setstacksize (&attr, stack);
  if (rc != 0)
    {
      fprintf (stderr, "ptlab-helper: stack size %zu: %s\n", stack, strerror (rc));
      return 2;
    }

  for (uint64_t i = 0; i < host.n_threads; i++)
    {
      pthread_t thread;

      rc = pthread_create (&thread, &attr, idle_thread, &host);
      if (rc != 0)
        {
          say_failed (i, rc);
          return 1;
        }
    }
  pthread_attr_destroy (&attr);

  pthread_mutex_lock (&host.lock);
  while (host.n_idle < host.n_threads)
    pthread_cond_wait (&host.all_idle, &host.lock);
  pthread_mutex_unlock (&host.lock);

  if (!say ("ready\n"))
    return 1;
  wait_for_end_of_input ();
  return 0;
}

/* idle-fork */

static void
kill_and_reap (const pid_t *children,
               uint64_t     n_children)
{
  for (uint64_t i = 0; i < n_children; i++)
    kill (children[i], SIGKILL);
  for (uint64_t i = 0; i < n_children; i++)
    while (waitpid (children[i], NULL, 0) < 0 && errno == EINTR)
      ;
}

static void
forked_worker (pid_t  host,
               int    idle_fd,
               size_t touch)
{
  ptl_die_with_parent (host);

  touch_stack (touch);
  say_worker (getpid ());
  if (write (idle_fd, "", 1) != 1)
    _exit (1);
  close (idle_fd);
  wait_for_end_of_input ();
  _exit (0);
}

int
helper_idle_fork_main (int    argc,
                       char **argv)
{
  uint64_t n_children, parent_mib;
  size_t touch;
  pid_t *children;
  char *heap;
  int idle[2];
  pid_t self = getpid ();

  if (argc != 4 || !helper_parse_u64 (argv[1], &n_children) ||
      !helper_parse_u64 (argv[2], &parent_mib) || parent_mib > SIZE_MAX / (1024 * 1024) ||
      !parse_kib (argv[3], &touch))
    {
      fputs ("usage: ptlab-helper idle-fork N PARENT_MIB TOUCH_KIB\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();

  /* Written, not only allocated: untouched pages would all map the one
   * zero page, and a fork would have nothing to share. */
  heap = malloc (parent_mib * 1024 * 1024 + 1);
  children = calloc (n_children + 1, sizeof (pid_t));
  if (heap == NULL || children == NULL || pipe (idle) != 0)
    {
      say_failed (0, errno);
      return 1;
    }
  for (size_t i = 0; i < parent_mib * 1024 * 1024; i += PAGE_STRIDE)
    heap[i] = (char) (i / PAGE_STRIDE + 1);

  for (uint64_t i = 0; i < n_children; i++)
    {
      pid_t pid = fork ();

      if (pid == 0)
        {
          close (idle[0]);
          forked_worker (self, idle[1], touch);
        }
      if (pid < 0)
        {
          int saved = errno;

          kill_and_reap (children, i);
          say_failed (i, saved);
          return 1;
        }
      children[i] = pid;
    }
  close (idle[1]);

  /* One byte from each child once it is idle. */
  for (uint64_t n_idle = 0; n_idle < n_children;)
    {
      char bytes[256];
      ssize_t n = read (idle[0], bytes, sizeof bytes);

      if (n > 0)
        n_idle += (uint64_t) n;
      else if (n == 0 || errno != EINTR)
        {
          kill_and_reap (children, n_children);
          say_failed (n_idle, n == 0 ? ECHILD : errno);
          return 1;
        }
    }
  close (idle[0]);

  if (!say ("ready\n"))
    {
      kill_and_reap (children, n_children);
      return 1;
    }
  wait_for_end_of_input ();
  kill_and_reap (children, n_children);
  free (children);
  free (heap);
  return 0;
}
