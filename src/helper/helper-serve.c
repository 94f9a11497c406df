/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper serve
 *
 * a worker of a process pool: reads tasks from stdin, one
 * "ITERATIONS SEED" a line, runs ITERATIONS steps of the lab's arithmetic
 * kernel from SEED for each and answers "CHECKSUM CPU_NS" at once (the
 * kernel's final state, and this process's user + system CPU time so
 * far). It exits with 0 at the end of its input. */

#include <stdio.h>

#include "helper-common.h"
#include "ptl-kernel.h"

int
helper_serve_main (int    argc,
                   char **argv)
{
  unsigned long long iterations, seed;
  char line[128];

  if (argc != 1)
    {
      fputs ("usage: ptlab-helper serve < TASKS\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      uint64_t checksum;

      if (sscanf (line, "%llu %llu", &iterations, &seed) != 2)
        {
          fprintf (stderr, "ptlab-helper serve: not a task: %s", line);
          return 2;
        }
      checksum = ptl_kernel_run (seed, iterations);
      /* Answered at once: the pool measures the round trip of every task. */
      if (printf ("%llu %lld\n", (unsigned long long) checksum, helper_cpu_ns ()) < 0 ||
          fflush (stdout) != 0)
        return 1;
    }
  return ferror (stdin) ? 1 : 0;
}
