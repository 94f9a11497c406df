/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-bankers"

#include "config.h"

#include "fuzz-common.h"
#include "ptl-bankers-state.h"

/* The banker's state loaders, built twice: FUZZ_BANKERS_JSON picks the
 * JSON loader, otherwise the CSV one. Besides not crashing, a state that
 * loads must keep the loader's promises (allocation within maximum,
 * values within range) and save and load again equal, as the state
 * editor does with the user's files. */

#ifdef FUZZ_BANKERS_JSON
# define load_state ptl_bankers_state_new_from_json
# define save_state ptl_bankers_state_to_json
#else
# define load_state ptl_bankers_state_new_from_csv
# define save_state ptl_bankers_state_to_csv
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
  g_autoptr(PtlBankersState) state = NULL;
  g_autoptr(PtlBankersState) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  guint m;

  if (size > G_MAXSSIZE)
    return 0;
  state = load_state ((const char *) data, (gssize) size, &error);
  g_assert ((state == NULL) == (error != NULL));
  if (state == NULL)
    return 0;

  m = state->n_resources;
  g_assert_cmpuint (state->n_processes, >=, 1);
  g_assert_cmpuint (state->n_processes, <=, PTL_BANKERS_MAX_PROCESSES);
  g_assert_cmpuint (m, >=, 1);
  g_assert_cmpuint (m, <=, PTL_BANKERS_MAX_RESOURCES);
  for (guint r = 0; r < m; r++)
    g_assert (state->available[r] >= 0 && state->available[r] <= PTL_BANKERS_VALUE_MAX);
  for (guint p = 0; p < state->n_processes; p++)
    for (guint r = 0; r < m; r++)
      {
        g_assert (state->allocation[p * m + r] >= 0);
        g_assert (state->allocation[p * m + r] <= state->maximum[p * m + r]);
        g_assert (state->maximum[p * m + r] <= PTL_BANKERS_VALUE_MAX);
      }

  saved = save_state (state);
  again = load_state (saved, -1, &error);
  if (again == NULL)
    g_error ("a loaded state does not load again once saved: %s\n%s", error->message, saved);
  g_assert (ptl_bankers_state_equal (again, state));
  return 0;
}
