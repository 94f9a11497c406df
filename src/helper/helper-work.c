/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper work ITERATIONS SLEEP_NS SEED
 *
 * runs ITERATIONS steps of the lab's arithmetic kernel from SEED, sleeps
 * SLEEP_NS nanoseconds, then prints what it cost, one "key=value" a line:
 * cpu_ns (user + system CPU time), maxrss_bytes (peak resident set) and
 * checksum (the kernel's final state, for the parent to check). */

#include <stdio.h>

#include "helper-common.h"
#include "ptl-kernel.h"

int
helper_work_main (int    argc,
                  char **argv)
{
  uint64_t iterations, sleep_for, seed, checksum;
  long long peak_rss = 0;
  long long cpu_ns;

  if (argc != 4 || !helper_parse_u64 (argv[1], &iterations) ||
      !helper_parse_u64 (argv[2], &sleep_for) || !helper_parse_u64 (argv[3], &seed))
    {
      fputs ("usage: ptlab-helper work ITERATIONS SLEEP_NS SEED\n", stderr);
      return 2;
    }

  ptl_die_with_spawner ();

  checksum = ptl_kernel_run (seed, iterations);
  if (sleep_for > 0)
    helper_sleep_ns (sleep_for);

  cpu_ns = helper_cpu_ns ();
  if (cpu_ns < 0)
    {
      perror ("ptlab-helper: getrusage");
      return 1;
    }
  if (!helper_read_peak_rss (&peak_rss))
    {
      fputs ("ptlab-helper: no VmHWM in /proc/self/status\n", stderr);
      return 1;
    }

  printf ("cpu_ns=%lld\nmaxrss_bytes=%lld\nchecksum=%llu\n",
          cpu_ns, peak_rss, (unsigned long long) checksum);
  return fflush (stdout) == 0 ? 0 : 1;
}
