/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-placement"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "ptl-placement.h"

/* The CPUs the process may use, in order. The main thread's mask, not the
 * caller's: the caller may be a worker this module pinned already. */
static guint
list_cpus (int   *cpus,
           guint  max_cpus)
{
  cpu_set_t set;
  guint n = 0;

  if (sched_getaffinity (getpid (), sizeof set, &set) != 0)
    return 0;
  for (int cpu = 0; cpu < CPU_SETSIZE && n < max_cpus; cpu++)
    if (CPU_ISSET (cpu, &set))
      cpus[n++] = cpu;
  return n;
}

GType
ptl_placement_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_PLACEMENT_UNPINNED, "PTL_PLACEMENT_UNPINNED", "unpinned" },
    { PTL_PLACEMENT_SAME_CPU, "PTL_PLACEMENT_SAME_CPU", "same-cpu" },
    { PTL_PLACEMENT_DIFFERENT_CPUS, "PTL_PLACEMENT_DIFFERENT_CPUS", "different-cpus" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlPlacement", values);
}

const char *
ptl_placement_get_nick (PtlPlacement placement)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PTL_TYPE_PLACEMENT);
  GEnumValue *value = g_enum_get_value (klass, placement);

  g_return_val_if_fail (value != NULL, NULL);
  return value->value_nick;
}

gboolean
ptl_placement_check (PtlPlacement   placement,
                     GError       **error)
{
  int cpus[2];

  if (placement == PTL_PLACEMENT_DIFFERENT_CPUS && list_cpus (cpus, 2) < 2)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("Placement different-cpus needs two CPUs, but this process may use only one "
                     "(see its affinity, e.g. taskset -p %d)"), (int) getpid ());
      return FALSE;
    }
  return TRUE;
}

int
ptl_placement_get_cpu (PtlPlacement placement,
                       guint        side)
{
  int cpus[2];
  guint n;

  g_return_val_if_fail (side < 2, -1);

  if (placement == PTL_PLACEMENT_UNPINNED)
    return -1;
  n = list_cpus (cpus, 2);
  if (n == 0)
    return -1;
  if (placement == PTL_PLACEMENT_DIFFERENT_CPUS && side == 1)
    return n > 1 ? cpus[1] : -1;
  return cpus[0];
}

gboolean
ptl_placement_apply (PtlPlacement   placement,
                     guint          side,
                     pid_t          tid,
                     cpu_set_t     *previous,
                     GError       **error)
{
  cpu_set_t set;
  int cpu;

  g_return_val_if_fail (side < 2, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (previous != NULL && sched_getaffinity (tid, sizeof *previous, previous) != 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not read the CPU affinity of task %d: %s"), (int) tid, g_strerror (saved));
      return FALSE;
    }
  if (placement == PTL_PLACEMENT_UNPINNED)
    return TRUE;
  if (!ptl_placement_check (placement, error))
    return FALSE;

  cpu = ptl_placement_get_cpu (placement, side);
  if (cpu < 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not read which CPUs this process may use"));
      return FALSE;
    }
  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  if (sched_setaffinity (tid, sizeof set, &set) != 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR, saved == EPERM ? PTL_ERROR_NOT_PERMITTED : PTL_ERROR_FAILED,
                   _("Could not pin task %d to CPU %d: %s"), (int) tid, cpu, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
ptl_placement_restore (pid_t            tid,
                       const cpu_set_t *previous)
{
  g_return_if_fail (previous != NULL);

  /* It only fails when @tid is gone, and then nothing is left to restore. */
  if (sched_setaffinity (tid, sizeof *previous, previous) != 0)
    g_debug ("Could not restore the affinity of task %d: %s", (int) tid, g_strerror (errno));
}

char *
ptl_placement_describe (PtlPlacement placement)
{
  int first = ptl_placement_get_cpu (placement, 0);
  int second = ptl_placement_get_cpu (placement, 1);

  switch (placement)
    {
    case PTL_PLACEMENT_SAME_CPU:
      return g_strdup_printf (_("Placement same-cpu: both sides were pinned to CPU %d."), first);
    case PTL_PLACEMENT_DIFFERENT_CPUS:
      return g_strdup_printf (_("Placement different-cpus: one side was pinned to CPU %d, the other to CPU %d."),
                              first, second);
    case PTL_PLACEMENT_UNPINNED:
    default:
      return g_strdup (_("Placement unpinned: the scheduler placed both sides and may have moved them "
                         "during the run, so figures may land near either the same-CPU or the "
                         "different-CPUs value, and change from run to run."));
    }
}
