/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The one way the lab writes a file a user named: the bytes go to a
 * temporary beside it, renamed over it on commit, so readers never see
 * half a file and a failure or an interrupt leaves nothing behind. An
 * existing target keeps its permission bits; a target that exists and is
 * not a regular file (a folder, FIFO, device, socket or symbolic link) is
 * refused rather than replaced. */
typedef struct _PtlAtomicFile PtlAtomicFile;

/* What ptl_atomic_file_new () would refuse, checked without writing: the
 * folder exists and is writable, @path is absent or a regular file, and
 * its name fits the file system. For checking user input up front. */
gboolean       ptl_file_check_replaceable (const char     *path,
                                           GError        **error);

PtlAtomicFile *ptl_atomic_file_new        (const char     *path,
                                           GError        **error);
const char    *ptl_atomic_file_get_path   (PtlAtomicFile  *self);
gboolean       ptl_atomic_file_write      (PtlAtomicFile  *self,
                                           const void     *data,
                                           gsize           len,
                                           GError        **error);
/* Flushes, closes and renames the temporary over the target. On failure
 * the target is untouched (the temporary goes with ptl_atomic_file_free ()).
 * Once only. */
gboolean       ptl_atomic_file_commit     (PtlAtomicFile  *self,
                                           GError        **error);
/* Removes the temporary unless committed. */
void           ptl_atomic_file_free       (PtlAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlAtomicFile, ptl_atomic_file_free)

/* Writes @len bytes to @path through a PtlAtomicFile. */
gboolean       ptl_file_replace_contents  (const char     *path,
                                           const char     *contents,
                                           gsize           len,
                                           GError        **error);

/* Reads a whole file, refusing anything but a regular file, so a FIFO or
 * a device named as input fails at once instead of blocking or never
 * ending. */
gboolean       ptl_file_read_regular      (const char     *path,
                                           char          **contents,
                                           gsize          *len,
                                           GError        **error);

/* Input files a user wrote by hand (workloads, states). */

/* PTL_ERROR_INVALID_FILE naming the line of the first byte that is not
 * UTF-8 (or is NUL), so loaders can then scan the text safely. */
gboolean       ptl_file_check_text        (const char     *data,
                                           gsize           len,
                                           GError        **error);
/* The length of a UTF-8 byte-order mark at the start of @data, or 0. */
gsize          ptl_file_skip_bom          (const char     *data,
                                           gsize           len);
/* Whether a loader should read @data from @path as JSON rather than CSV:
 * by the extension (.json or .csv), otherwise when the text (after a BOM
 * and blanks) starts with '{'. */
gboolean       ptl_file_looks_like_json   (const char     *path,
                                           const char     *data,
                                           gsize           len);

G_END_DECLS
