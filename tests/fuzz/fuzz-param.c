/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-param"

#include "config.h"

#include "fuzz-common.h"
#include "ptl-registry.h"

/* The `--param NAME=VALUE` parser, fed as `ptlab run` feeds it. The input
 * is text: the first line an experiment id, each further line one
 * NAME=VALUE. Whatever was accepted must survive the two round trips the
 * lab relies on: a value's text (the GUI form, the settings) and the
 * parameters' JSON (saved results) must set a fresh experiment again. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_glib_warnings_fatal ();
  return 0;
}

static void
check_round_trips (PtlExperiment *experiment,
                   const char    *id)
{
  g_autoptr(PtlExperiment) by_text = ptl_registry_create (id, NULL);
  g_autoptr(PtlExperiment) by_json = ptl_registry_create (id, NULL);
  g_autoptr(JsonObject) params = ptl_experiment_dup_params_json (experiment);
  g_autofree GParamSpec **pspecs = NULL;
  g_autoptr(GError) error = NULL;
  guint n_pspecs;

  pspecs = ptl_experiment_list_params (experiment, &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_autofree char *text = ptl_experiment_dup_param_text (experiment, pspecs[i]->name);
      g_autofree char *again = NULL;

      if (!ptl_experiment_set_param (by_text, pspecs[i]->name, text, &error))
        g_error ("%s=%s does not set again: %s", pspecs[i]->name, text, error->message);
      again = ptl_experiment_dup_param_text (by_text, pspecs[i]->name);
      g_assert_cmpstr (again, ==, text);
    }

  if (!ptl_experiment_set_params_from_json (by_json, params, &error))
    g_error ("the parameters' JSON does not set again: %s", error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(PtlExperiment) experiment = NULL;
  g_autoptr(GError) error = NULL;

  /* The command line hands over NUL-terminated UTF-8-or-not strings;
   * g_strndup stops at the first NUL as argv would. */
  experiment = ptl_registry_create (lines[0] != NULL ? lines[0] : "", &error);
  if (experiment == NULL)
    return 0;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (lines[i], "=", 2);

      /* The same checks and the same call as ptlab run's --param. */
      if (pair[0] == NULL || pair[1] == NULL || *pair[0] == '\0')
        continue;
      if (!ptl_experiment_set_param (experiment, g_strstrip (pair[0]), pair[1], &error))
        g_clear_error (&error);
    }

  /* Cross-parameter rules and the task limit: refusals are fine here. */
  if (!ptl_experiment_validate (experiment, &error))
    g_clear_error (&error);
  check_round_trips (experiment, lines[0]);
  return 0;
}
