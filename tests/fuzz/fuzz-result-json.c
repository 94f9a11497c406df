/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-result-json"

#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "ptl-core.h"

/* The result JSON loader, through its public entry point
 * ptl_result_load_json (a path), so the checks it makes before json-glib
 * sees the text are fuzzed too. Each input is written into one memfd and
 * loaded through /proc/self/fd: no file system traffic per run. */

static int input_fd = -1;
static char *input_path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_glib_warnings_fatal ();
  input_fd = memfd_create ("fuzz-result-json", MFD_CLOEXEC);
  g_assert (input_fd >= 0);
  input_path = g_strdup_printf ("/proc/self/fd/%d", input_fd);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (ftruncate (input_fd, 0) != 0 ||
      (size > 0 && pwrite (input_fd, data, size, 0) != (ssize_t) size))
    g_error ("memfd: %s", g_strerror (errno));

  result = ptl_result_load_json (input_path, &error);
  g_assert ((result == NULL) == (error != NULL));
  if (result != NULL)
    {
      /* A loaded result must be usable as the CLI's export uses it. */
      g_autofree char *csv = ptl_result_to_csv (result);

      g_assert (csv != NULL);
    }
  return 0;
}
