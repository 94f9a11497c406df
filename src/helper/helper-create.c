/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper create MECHANISM ITERATIONS CONCURRENCY TOUCH_MIB
 *
 * measures what it costs this small process to create and reap a child,
 * ITERATIONS times, CONCURRENCY children at once (all created, then all
 * reaped), after writing to TOUCH_MIB MiB of its own memory. MECHANISM is
 * fork, vfork, posix-spawn or fork-exec; the last two run
 * `ptlab-helper exit`. A few untimed batches come first. It prints, one
 * "key=value" a line:
 *   parent_rss_bytes  its peak resident set when it started creating
 *   parent_mappings   its number of memory mappings then (fork copies each)
 *   elapsed_ns        the time of all complete timed batches together
 *   rated             how many creations those batches made
 *   cpu_ns            its own CPU time during them (user + system)
 *   children_cpu_ns   its children's CPU time during them
 *   failed            "CALL ERRNO IN_FLIGHT STATUS" when a creation failed
 *                     (a limit); what was measured before is still printed
 *   sample_ns         one line per create-and-reap, in order
 * The lab runs it so that the cost measured is that of a small process,
 * not of forking a GUI of tens of MiB. */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "helper-common.h"
#include "ptl-spawn-batch.h"

/* Creations before timing starts: page cache, allocator and the dynamic
 * loader's caches warm up. */
#define WARMUP_CREATIONS 8

static long long
children_cpu_ns (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_CHILDREN, &usage) != 0)
    return 0;
  return ((long long) usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL +
         ((long long) usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
}

/* Lines of /proc/self/maps; -1 when it cannot be read. */
static long
count_mappings (void)
{
  FILE *maps = fopen ("/proc/self/maps", "re");
  long n = 0;
  int c;

  if (maps == NULL)
    return -1;
  while ((c = getc (maps)) != EOF)
    n += c == '\n';
  fclose (maps);
  return n;
}

static void
print_failure (const PtlSpawnFailure *failure)
{
  printf ("failed=%s %d %u %d\n", failure->call, failure->error, failure->in_flight, failure->status);
}

int
helper_create_main (int    argc,
                    char **argv)
{
  static char exit_name[] = "ptlab-helper", exit_command[] = "exit";
  char *exit_argv[] = { exit_name, exit_command, NULL };
  char self[PATH_MAX];
  PtlSpawnPlan plan = { 0 };
  PtlSpawnFailure failure = { 0 };
  uint64_t iterations, concurrency, touch_mib;
  long long peak_rss = 0, cpu_start, children_start;
  int64_t *latencies, *starts, *samples, elapsed = 0;
  pid_t *pids;
  void *touched = NULL;
  uint64_t done = 0, rated = 0;
  ssize_t length;

  if (argc != 5 || !ptl_spawn_mechanism_parse (argv[1], &plan.mechanism) ||
      !helper_parse_u64 (argv[2], &iterations) || !helper_parse_u64 (argv[3], &concurrency) ||
      !helper_parse_u64 (argv[4], &touch_mib) || iterations == 0 || concurrency == 0 ||
      concurrency > 65536 || touch_mib > 1024 * 1024)
    {
      fputs ("usage: ptlab-helper create fork|vfork|posix-spawn|fork-exec ITERATIONS CONCURRENCY TOUCH_MIB\n",
             stderr);
      return 2;
    }

  ptl_die_with_spawner ();

  /* The exec mechanisms run this very program, which exits at once. */
  length = readlink ("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0)
    {
      perror ("ptlab-helper: /proc/self/exe");
      return 1;
    }
  self[length] = '\0';
  plan.program = self;
  plan.argv = exit_argv;
  plan.concurrency = (unsigned) concurrency;

  latencies = calloc (concurrency, sizeof *latencies);
  starts = calloc (concurrency, sizeof *starts);
  pids = calloc (concurrency, sizeof *pids);
  /* Whole batches: up to CONCURRENCY - 1 more than ITERATIONS. */
  samples = calloc (iterations + concurrency, sizeof *samples);
  if (latencies == NULL || starts == NULL || pids == NULL || samples == NULL)
    {
      fputs ("ptlab-helper: out of memory\n", stderr);
      return 1;
    }

  if (touch_mib > 0)
    {
      touched = ptl_spawn_touch (touch_mib * 1024 * 1024, NULL);
      if (touched == NULL)
        {
          perror ("ptlab-helper: mmap");
          return 1;
        }
    }
  helper_read_peak_rss (&peak_rss);
  printf ("parent_rss_bytes=%lld\nparent_mappings=%ld\n", peak_rss, count_mappings ());

  for (uint64_t warm = 0; warm < WARMUP_CREATIONS && failure.call == NULL; warm += concurrency)
    ptl_spawn_batch (&plan, latencies, starts, pids, &elapsed, &failure);

  cpu_start = helper_cpu_ns ();
  children_start = children_cpu_ns ();
  elapsed = 0;
  while (done < iterations && failure.call == NULL)
    {
      int64_t batch_ns;
      unsigned n = ptl_spawn_batch (&plan, latencies, starts, pids, &batch_ns, &failure);

      /* Kept until the end: printing now would add pipe writes to the
       * CPU time measured. */
      memcpy (samples + done, latencies, n * sizeof *latencies);
      /* A batch cut short by a failure has no meaningful rate. */
      if (failure.call == NULL)
        {
          elapsed += batch_ns;
          rated += n;
        }
      done += n;
    }

  printf ("elapsed_ns=%lld\nrated=%llu\ncpu_ns=%lld\nchildren_cpu_ns=%lld\n", (long long) elapsed,
          (unsigned long long) rated, helper_cpu_ns () - cpu_start, children_cpu_ns () - children_start);
  if (failure.call != NULL)
    print_failure (&failure);
  for (uint64_t i = 0; i < done; i++)
    printf ("sample_ns=%lld\n", (long long) samples[i]);

  ptl_spawn_untouch (touched, touch_mib * 1024 * 1024);
  free (latencies);
  free (starts);
  free (pids);
  free (samples);
  return fflush (stdout) == 0 ? 0 : 1;
}
