/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sched-bench"

/* `meson test --benchmark -v sched-10k`: how long one simulation of a
 * generated workload takes under each policy (10,000 processes with
 * 100,000 bursts unless told otherwise). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ptl-sched-sim.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  const char * const *nicks = ptl_sched_algorithm_list_nicks ();
  int n_processes = 10000;
  int n_bursts = 100000;
  const GOptionEntry entries[] = {
    { "processes", 'n', 0, G_OPTION_ARG_INT, &n_processes, "Processes in the workload", "N" },
    { "bursts", 'b', 0, G_OPTION_ARG_INT, &n_bursts, "CPU and I/O bursts in all", "N" },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_processes < 1 || n_bursts < 1)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "counts must be positive");
      return EXIT_FAILURE;
    }

  printf ("# scheduler simulation, %d processes, %d bursts, median of %d runs (p5–p95)\n",
          n_processes, n_bursts, PTL_SCHED_BENCH_RUNS);
  for (guint i = 0; nicks[i] != NULL; i++)
    {
      g_autofree char *median = NULL;
      g_autofree char *p5 = NULL;
      g_autofree char *p95 = NULL;
      PtlStats seconds;

      if (!ptl_sched_bench (n_processes, n_bursts, nicks[i], &seconds, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return EXIT_FAILURE;
        }
      median = ptl_format_value (seconds.median, "s");
      p5 = ptl_format_value (seconds.p5, "s");
      p95 = ptl_format_value (seconds.p95, "s");
      printf ("%-20s %10s   (%s – %s)\n", nicks[i], median, p5, p95);
    }
  return EXIT_SUCCESS;
}
