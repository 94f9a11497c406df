/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads CSV (RFC 4180) from a stream one record at a time, holding only
 * the current record: LF, CRLF or CR line ends, quoted fields with ""
 * for a quote and line breaks inside, unquoted fields trimmed of blanks,
 * blank lines and lines starting with '#' skipped (ptl_csv_append_field ()
 * quotes fields that would read otherwise). Errors name the file and the
 * line: "FILE:LINE: reason"; without a file name (@display_name NULL, for
 * text the caller names itself) "line L, column C: reason" for errors in
 * the CSV and "line L: reason" from ptl_csv_reader_set_error (). */
typedef struct _PtlCsvReader PtlCsvReader;

PtlCsvReader *ptl_csv_reader_new           (GInputStream  *stream,
                                            const char    *display_name);
/* Reads the next record. FALSE at the end of the input (@error unset) or
 * on failure. */
gboolean      ptl_csv_reader_next          (PtlCsvReader  *self,
                                            GCancellable  *cancellable,
                                            GError       **error);
guint         ptl_csv_reader_get_n_fields  (PtlCsvReader  *self);
/* Borrowed, valid until the next ptl_csv_reader_next (). */
const char   *ptl_csv_reader_get_field     (PtlCsvReader  *self,
                                            guint          index);
/* The line the current record starts on, from 1. */
guint         ptl_csv_reader_get_line      (PtlCsvReader  *self);
/* The line field @index starts on: later than the record's after a quoted
 * field with line breaks. */
guint         ptl_csv_reader_get_field_line (PtlCsvReader *self,
                                             guint         index);
/* Sets @error to PTL_ERROR_INVALID_FILE "FILE:LINE: message" for the
 * current record; returns FALSE. */
gboolean      ptl_csv_reader_set_error     (PtlCsvReader  *self,
                                            GError       **error,
                                            const char    *format,
                                            ...) G_GNUC_PRINTF (3, 4);
void          ptl_csv_reader_free          (PtlCsvReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlCsvReader, ptl_csv_reader_free)

G_END_DECLS
