/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper crash WORKER WORK_MS HOW
 *   ptlab-helper crash-threads N WORK_MS VICTIM HOW
 *
 * Workers for the "isolation" experiment. A worker computes for WORK_MS
 * of wall time and returns; with HOW other than "none" it crashes halfway
 * instead: "segfault" writes through a null pointer, "abort" calls
 * abort (), "exit-code" calls exit (3). crash is one worker in its own
 * process; crash-threads runs workers 0 … N-1 as threads of one process,
 * worker VICTIM crashing as HOW says, so the crash takes all of them.
 *
 * Each worker reports on standard output with one write () a line (a
 * thread's lines do not interleave with its siblings'): "WORKER start NS"
 * when it begins and "WORKER done NS" when it finished, NS being
 * CLOCK_MONOTONIC, the clock the lab reads too. A worker thread that
 * cannot be created is reported as "WORKER failed ERRNO" before the
 * process exits with status 1. Core dumps are turned
 * off: with the common core_pattern "core" every run would leave a file
 * behind. */

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "helper-common.h"
#include "ptl-kernel.h"

#define EXIT_CODE 3

typedef enum
{
  HOW_NONE,
  HOW_SEGFAULT,
  HOW_ABORT,
  HOW_EXIT_CODE,
} How;

static const char * const how_names[] = { "none", "segfault", "abort", "exit-code" };

/* NULL, but the compiler cannot know it: a store through it is a real
 * invalid access (SIGSEGV), not a trap instruction put in its place. */
static int *volatile nowhere;

/* Keeps the arithmetic from being optimised away. Atomic: every worker
 * thread stores into it, and a volatile store from two threads is a data
 * race (ThreadSanitizer reported it). */
static _Atomic uint64_t sink;

typedef struct
{
  uint64_t  worker;
  uint64_t  work_ns;
  How       how;
  pthread_t thread;
} Worker;

static int
parse_how (const char *text,
           How        *how)
{
  for (size_t i = 0; i < sizeof how_names / sizeof how_names[0]; i++)
    if (strcmp (text, how_names[i]) == 0)
      {
        *how = (How) i;
        return 1;
      }
  return 0;
}

static uint64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static void
report (uint64_t    worker,
        const char *what,
        uint64_t    ns)
{
  char line[96];
  int n = snprintf (line, sizeof line, "%llu %s %llu\n",
                    (unsigned long long) worker, what, (unsigned long long) ns);

  /* A lab that stopped listening kills us anyway; nothing to do here. */
  if (write (STDOUT_FILENO, line, (size_t) n) != n)
    return;
}

static void
compute_until (uint64_t deadline_ns)
{
  uint64_t state = 1;

  while (now_ns () < deadline_ns)
    state = ptl_kernel_run (state, PTL_KERNEL_BLOCK);
  atomic_store_explicit (&sink, state, memory_order_relaxed);
}

/* The null store is the point: UndefinedBehaviorSanitizer must let it
 * through in sanitizer builds. */
__attribute__ ((no_sanitize ("null")))
static void
crash_now (How how)
{
  switch (how)
    {
    case HOW_SEGFAULT:
      /* AddressSanitizer catches SIGSEGV to report it, then aborts: the
       * experiment must see the signal itself, so the default comes back. */
      signal (SIGSEGV, SIG_DFL);
      *nowhere = 1;
      break;
    case HOW_ABORT:
      abort ();
    case HOW_EXIT_CODE:
      /* From a thread this ends the whole process too: exit () is exit_group (). */
      exit (EXIT_CODE);
    case HOW_NONE:
    default:
      break;
    }
}

static void *
run_worker (void *data)
{
  Worker *worker = data;
  uint64_t start = now_ns ();

  report (worker->worker, "start", start);
  if (worker->how != HOW_NONE)
    {
      compute_until (start + worker->work_ns / 2);
      crash_now (worker->how);
    }
  compute_until (start + worker->work_ns);
  report (worker->worker, "done", now_ns ());
  return NULL;
}

static void
no_core_dumps (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_CORE, &limit) == 0)
    {
      limit.rlim_cur = 0;
      setrlimit (RLIMIT_CORE, &limit);
    }
}

int
helper_crash_main (int    argc,
                   char **argv)
{
  Worker worker;
  uint64_t work_ms;

  if (argc != 4 || !helper_parse_u64 (argv[1], &worker.worker) ||
      !helper_parse_u64 (argv[2], &work_ms) || work_ms > UINT64_MAX / 1000000u ||
      !parse_how (argv[3], &worker.how))
    {
      fputs ("usage: ptlab-helper crash WORKER WORK_MS none|segfault|abort|exit-code\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();
  no_core_dumps ();
  worker.work_ns = work_ms * 1000000u;
  run_worker (&worker);
  return 0;
}

int
helper_crash_threads_main (int    argc,
                           char **argv)
{
  uint64_t n_workers, work_ms, victim;
  Worker *workers;
  How how;

  if (argc != 5 || !helper_parse_u64 (argv[1], &n_workers) || n_workers == 0 ||
      n_workers > 1024 || !helper_parse_u64 (argv[2], &work_ms) ||
      work_ms > UINT64_MAX / 1000000u || !helper_parse_u64 (argv[3], &victim) ||
      victim >= n_workers || !parse_how (argv[4], &how))
    {
      fputs ("usage: ptlab-helper crash-threads N WORK_MS VICTIM none|segfault|abort|exit-code\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();
  no_core_dumps ();

  workers = calloc (n_workers, sizeof (Worker));
  if (workers == NULL)
    {
      perror ("ptlab-helper: calloc");
      return 1;
    }
  for (uint64_t i = 0; i < n_workers; i++)
    {
      int rc;

      workers[i].worker = i;
      workers[i].work_ns = work_ms * 1000000u;
      workers[i].how = i == victim ? how : HOW_NONE;
      rc = pthread_create (&workers[i].thread, NULL, run_worker, &workers[i]);
      if (rc != 0)
        {
          /* The lab must not read the exit that follows as a crash's
           * outcome: say which worker could not start, and why. */
          report (i, "failed", (uint64_t) rc);
          fprintf (stderr, "ptlab-helper: pthread_create: %s\n", strerror (rc));
          return 1;
        }
    }
  for (uint64_t i = 0; i < n_workers; i++)
    pthread_join (workers[i].thread, NULL);
  free (workers);
  return 0;
}
