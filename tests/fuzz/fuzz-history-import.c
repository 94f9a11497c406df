/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-history-import"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "ptl-core.h"

/* `ptlab history import`: the result file read as the CLI reads it (a
 * path: through a memfd, as fuzz-result-json does), saved into a run
 * history and loaded back, which must give the same result (compared
 * as JSON values, json_node_equal (): the history keeps an object's
 * members in an order of its own). The history is one SQLite file in a private folder under /dev/shm (memory, so its
 * syncs cost little); each run is deleted after its check. */

static int input_fd = -1;
static char *input_path;
static char *store_dir;
static PtlStore *store;

static void
remove_store (void)
{
  g_autoptr(GDir) dir = g_dir_open (store_dir, 0, NULL);
  const char *name;

  g_clear_object (&store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (store_dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (store_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_make_glib_warnings_fatal ();
  input_fd = memfd_create ("fuzz-history-import", MFD_CLOEXEC);
  g_assert (input_fd >= 0);
  input_path = g_strdup_printf ("/proc/self/fd/%d", input_fd);
  store_dir = g_strdup ("/dev/shm/fuzz-history-XXXXXX");
  if (g_mkdtemp (store_dir) == NULL)
    g_error ("%s: %s", store_dir, g_strerror (errno));
  path = g_build_filename (store_dir, "runs.db", NULL);
  store = ptl_store_open (path, &error);
  g_assert_no_error (error);
  atexit (remove_store);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) actual = NULL;
  gint64 id;

  if (ftruncate (input_fd, 0) != 0 ||
      (size > 0 && pwrite (input_fd, data, size, 0) != (ssize_t) size))
    g_error ("memfd: %s", g_strerror (errno));

  result = ptl_result_load_json (input_path, &error);
  g_assert ((result == NULL) == (error != NULL));
  if (result == NULL)
    return 0;

  id = ptl_store_save (store, result, "fuzz", 0, &error);
  if (id == 0)
    g_error ("a loaded result could not be saved: %s", error->message);
  loaded = ptl_store_load (store, id, &error);
  if (loaded == NULL)
    g_error ("a saved result could not be loaded: %s", error->message);
  expected = ptl_result_to_json (result);
  actual = ptl_result_to_json (loaded);
  if (!json_node_equal (actual, expected))
    {
      g_autofree char *text = ptl_result_to_json_string (result);
      g_autofree char *text_again = ptl_result_to_json_string (loaded);

      g_error ("a result came back from the history changed:\n%s\n%s", text, text_again);
    }
  if (!ptl_store_delete (store, id, &error))
    g_error ("a saved run could not be deleted: %s", error->message);
  return 0;
}
