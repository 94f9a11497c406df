/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Timing method. Each creation is stamped with CLOCK_MONOTONIC just
 * before the call that creates the child and each reaping just after
 * waitpid () returns, so a sample is the whole create-and-reap cost:
 * the kernel copying (or sharing) the address space, the child running
 * to _exit () or through exec (), its exit, and the parent hearing of it.
 * Nothing else happens between the stamps: arguments are prepared before
 * the batch, and the caller turns stamps into numbers afterwards. */

#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ptl-spawn-batch.h"
#include "ptl-waitpid.h"

static const char * const mechanism_names[PTL_SPAWN_N_MECHANISMS] = {
  [PTL_SPAWN_FORK] = "fork",
  [PTL_SPAWN_VFORK] = "vfork",
  [PTL_SPAWN_POSIX_SPAWN] = "posix-spawn",
  [PTL_SPAWN_FORK_EXEC] = "fork-exec",
};

const char *
ptl_spawn_mechanism_name (PtlSpawnMechanism mechanism)
{
  return mechanism < PTL_SPAWN_N_MECHANISMS ? mechanism_names[mechanism] : NULL;
}

int
ptl_spawn_mechanism_parse (const char        *name,
                           PtlSpawnMechanism *mechanism)
{
  for (int i = 0; i < PTL_SPAWN_N_MECHANISMS; i++)
    if (strcmp (name, mechanism_names[i]) == 0)
      {
        *mechanism = (PtlSpawnMechanism) i;
        return 1;
      }
  return 0;
}

int64_t
ptl_spawn_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Its own function, so that nothing of the caller's frame can be
 * clobbered by the child that borrows it until _exit (). */
static pid_t
create_vfork (void)
{
  pid_t pid = vfork ();

  if (pid == 0)
    _exit (0);
  return pid;
}

/* The child of fork () in a threaded parent may only make
 * async-signal-safe calls: execv () and _exit () are. */
static pid_t
create_fork_exec (const PtlSpawnPlan *plan)
{
  pid_t pid = fork ();

  if (pid == 0)
    {
      execv (plan->program, plan->argv);
      _exit (127);
    }
  return pid;
}

/* Returns 0 and sets @pid, or the errno of the failed call. */
static int
create_child (const PtlSpawnPlan *plan,
              pid_t              *pid)
{
  int rc;

  switch (plan->mechanism)
    {
    case PTL_SPAWN_FORK:
      *pid = fork ();
      if (*pid == 0)
        _exit (0);
      return *pid < 0 ? errno : 0;
    case PTL_SPAWN_VFORK:
      *pid = create_vfork ();
      return *pid < 0 ? errno : 0;
    case PTL_SPAWN_POSIX_SPAWN:
      rc = posix_spawn (pid, plan->program, NULL, NULL, plan->argv, environ);
      return rc;
    case PTL_SPAWN_FORK_EXEC:
      *pid = create_fork_exec (plan);
      return *pid < 0 ? errno : 0;
    case PTL_SPAWN_N_MECHANISMS:
    default:
      return EINVAL;
    }
}

static const char *
call_name (PtlSpawnMechanism mechanism)
{
  switch (mechanism)
    {
    case PTL_SPAWN_VFORK:
      return "vfork";
    case PTL_SPAWN_POSIX_SPAWN:
      return "posix_spawn";
    case PTL_SPAWN_FORK:
    case PTL_SPAWN_FORK_EXEC:
    case PTL_SPAWN_N_MECHANISMS:
    default:
      return "fork";
    }
}

unsigned
ptl_spawn_batch (const PtlSpawnPlan *plan,
                 int64_t            *latencies_ns,
                 int64_t            *starts_ns,
                 pid_t              *pids,
                 int64_t            *elapsed_ns,
                 PtlSpawnFailure    *failure)
{
  unsigned created = 0, reaped = 0;
  int64_t first = ptl_spawn_now_ns ();

  memset (failure, 0, sizeof *failure);

  while (created < plan->concurrency)
    {
      int rc;

      if (plan->stop != NULL && __atomic_load_n (plan->stop, __ATOMIC_RELAXED))
        break;
      starts_ns[created] = ptl_spawn_now_ns ();
      rc = create_child (plan, &pids[created]);
      if (rc != 0)
        {
          failure->call = call_name (plan->mechanism);
          failure->error = rc;
          failure->in_flight = created;
          break;
        }
      created++;
    }

  /* Children that were created are always reaped, even after a failure;
   * only those that ran to a clean exit count as samples. */
  for (unsigned i = 0; i < created; i++)
    {
      int status = 0;

      if (ptl_waitpid_retry (pids[i], &status) < 0)
        {
          if (failure->call == NULL)
            {
              failure->call = "waitpid";
              failure->error = errno;
              failure->in_flight = created - i;
            }
          continue;
        }
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        latencies_ns[reaped++] = ptl_spawn_now_ns () - starts_ns[i];
      else if (failure->call == NULL)
        {
          failure->call = "exit";
          failure->status = status;
          failure->in_flight = created - i;
        }
    }

  *elapsed_ns = ptl_spawn_now_ns () - first;
  return reaped;
}

void *
ptl_spawn_touch (size_t     bytes,
                 const int *stop)
{
  size_t page = (size_t) sysconf (_SC_PAGESIZE);
  char *memory;

  if (bytes == 0)
    return NULL;
  memory = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED)
    return NULL;

  /* A program's heap is small pages; with transparent huge pages a fork
   * would copy 512 times fewer entries and hide the effect measured. */
  madvise (memory, bytes, MADV_NOHUGEPAGE);
  for (size_t offset = 0; offset < bytes; offset += page)
    {
      /* Writing a GiB takes a while: a stop is seen every 4 MiB. */
      if (stop != NULL && offset % (4u << 20) == 0 && __atomic_load_n (stop, __ATOMIC_RELAXED))
        {
          munmap (memory, bytes);
          errno = ECANCELED;
          return NULL;
        }
      memory[offset] = 1;
    }
  return memory;
}

void
ptl_spawn_untouch (void   *memory,
                   size_t  bytes)
{
  if (memory != NULL)
    munmap (memory, bytes);
}
