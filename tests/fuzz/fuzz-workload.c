/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-workload"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ptl-sched-workload.h"

/* The scheduler's workload loaders, built twice: FUZZ_WORKLOAD_JSON picks
 * the JSON loader, otherwise the CSV one. Besides not crashing, a workload
 * that loads must save and load again unchanged, as the workload editor
 * does with the user's files. */

#ifdef FUZZ_WORKLOAD_JSON
# define load_workload ptl_sched_workload_new_from_json
# define save_workload ptl_sched_workload_to_json
#else
# define load_workload ptl_sched_workload_new_from_csv
# define save_workload ptl_sched_workload_to_csv
#endif

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_glib_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  g_autoptr(PtlSchedWorkload) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  guint n;

  if (size > G_MAXSSIZE)
    return 0;
  workload = load_workload ((const char *) data, (gssize) size, &error);
  g_assert ((workload == NULL) == (error != NULL));
  if (workload == NULL)
    return 0;

  saved = save_workload (workload);
  again = load_workload (saved, -1, &error);
  if (again == NULL)
    g_error ("a loaded workload does not load again once saved: %s\n%s", error->message, saved);

  n = ptl_sched_workload_get_n_processes (workload);
  g_assert_cmpuint (ptl_sched_workload_get_n_processes (again), ==, n);
  for (guint i = 0; i < n; i++)
    {
      guint n_bursts, n_bursts_again;
      const gint64 *bursts = ptl_sched_workload_get_bursts (workload, i, &n_bursts);
      const gint64 *bursts_again = ptl_sched_workload_get_bursts (again, i, &n_bursts_again);

      g_assert_cmpstr (ptl_sched_workload_get_name (again, i), ==, ptl_sched_workload_get_name (workload, i));
      g_assert_cmpint (ptl_sched_workload_get_arrival (again, i), ==, ptl_sched_workload_get_arrival (workload, i));
      g_assert_cmpint (ptl_sched_workload_get_priority (again, i), ==, ptl_sched_workload_get_priority (workload, i));
      g_assert_cmpuint (n_bursts_again, ==, n_bursts);
      g_assert (memcmp (bursts_again, bursts, n_bursts * sizeof *bursts) == 0);
    }
  return 0;
}
