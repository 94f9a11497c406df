/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-csv-import"

#include "config.h"

#include "fuzz-common.h"
#include "ptl-core.h"

/* `ptlab plot`'s reader: the streaming CSV reader and the import that
 * makes a chart of the lab's tidy CSV or of a plain table. The first byte
 * picks the options (line or bar, logarithmic axes), the rest is the
 * file. A table that imports must be a result the exports can use. */

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
  PtlCsvImportOptions options = { PTL_CHART_LINE, NULL, NULL, NULL, FALSE, FALSE };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return 0;
  options.kind = data[0] & 1 ? PTL_CHART_BAR : PTL_CHART_LINE;
  options.log_x = (data[0] & 2) != 0;
  options.log_y = (data[0] & 4) != 0;
  stream = g_memory_input_stream_new_from_data (data + 1, (gssize) (size - 1), NULL);

  result = ptl_csv_import (stream, "fuzz.csv", &options, NULL, &error);
  g_assert ((result == NULL) == (error != NULL));
  if (result != NULL)
    {
      g_autofree char *json = ptl_result_to_json_string (result);
      g_autofree char *csv = ptl_result_to_csv (result);

      g_assert (json != NULL && csv != NULL);
    }
  return 0;
}
