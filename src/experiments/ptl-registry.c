/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-registry"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-async-patterns-experiment.h"
#include "ptl-bankers-experiment.h"
#include "ptl-creation-experiment.h"
#include "ptl-deadlock-experiment.h"
#include "ptl-gil-experiment.h"
#include "ptl-ipc-experiment.h"
#include "ptl-isolation-experiment.h"
#include "ptl-lifecycle-experiment.h"
#include "ptl-locks-experiment.h"
#include "ptl-loop-blocking-experiment.h"
#include "ptl-memory-experiment.h"
#include "ptl-models-experiment.h"
#include "ptl-philosophers-experiment.h"
#include "ptl-pool-experiment.h"
#include "ptl-producer-consumer-experiment.h"
#include "ptl-race-experiment.h"
#include "ptl-readers-writers-experiment.h"
#include "ptl-registry.h"
#include "ptl-sched-experiment.h"
#include "ptl-sched-real-experiment.h"
#include "ptl-servers-experiment.h"
#include "ptl-thread-pool-experiment.h"

/* Adding an experiment: include its header and add one line below. */

typedef GType (*PtlGetType) (void);

static const PtlGetType experiment_get_types[] = {
  ptl_models_experiment_get_type,
  ptl_creation_experiment_get_type,
  ptl_pool_experiment_get_type,
  ptl_isolation_experiment_get_type,
  ptl_memory_experiment_get_type,
  ptl_ipc_experiment_get_type,
  ptl_lifecycle_experiment_get_type,
  ptl_race_experiment_get_type,
  ptl_locks_experiment_get_type,
  ptl_thread_pool_experiment_get_type,
  ptl_gil_experiment_get_type,
  ptl_producer_consumer_experiment_get_type,
  ptl_philosophers_experiment_get_type,
  ptl_deadlock_experiment_get_type,
  ptl_readers_writers_experiment_get_type,
  ptl_bankers_experiment_get_type,
  ptl_sched_experiment_get_type,
  ptl_sched_real_experiment_get_type,
  ptl_async_patterns_experiment_get_type,
  ptl_loop_blocking_experiment_get_type,
  ptl_servers_experiment_get_type,
};

const GType *
ptl_registry_list_types (guint *n_types)
{
  static GType *types;
  static guint count;

  if (g_once_init_enter (&types))
    {
      GType *list = g_new0 (GType, G_N_ELEMENTS (experiment_get_types) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (experiment_get_types); i++)
        list[count++] = experiment_get_types[i] ();
      g_once_init_leave (&types, list);
    }

  if (n_types != NULL)
    *n_types = count;
  return types;
}

GType
ptl_registry_lookup (const char *id)
{
  const GType *types;
  guint n_types;

  g_return_val_if_fail (id != NULL, 0);

  types = ptl_registry_list_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);

      if (g_strcmp0 (PTL_EXPERIMENT_CLASS (klass)->id, id) == 0)
        return types[i];
    }
  return 0;
}

PtlExperiment *
ptl_registry_create (const char  *id,
                     GError     **error)
{
  GType type;

  g_return_val_if_fail (id != NULL, NULL);

  type = ptl_registry_lookup (id);
  if (type == 0)
    {
      g_autoptr(GString) known = g_string_new (NULL);
      const GType *types;
      guint n_types;

      types = ptl_registry_list_types (&n_types);
      for (guint i = 0; i < n_types; i++)
        {
          g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);
          g_string_append_printf (known, "%s%s", i ? ", " : "",
                                  PTL_EXPERIMENT_CLASS (klass)->id);
        }
      g_set_error (error, PTL_ERROR, PTL_ERROR_UNKNOWN_EXPERIMENT,
                   _("No experiment “%s”; known: %s"), id, known->str);
      return NULL;
    }

  return g_object_new (type, NULL);
}
