/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-file.h"
#include "ptl-types.h"

/* The temporary's name keeps at most this much of the target's, so a
 * target whose name just fits the file system still gets a temporary. */
#define TEMPORARY_NAME_PREFIX 32

struct _PtlAtomicFile
{
  char     *path;
  char     *temporary;
  int       fd;
  gboolean  committed;
};

static const char *
describe_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a FIFO");
  if (S_ISLNK (mode))
    return _("a symbolic link");
  if (S_ISSOCK (mode))
    return _("a socket");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  return _("a special file");
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write %s: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

/* Fills @existing when @path exists; fails when it cannot be replaced. */
static gboolean
check_target (const char   *path,
              struct stat  *existing,
              gboolean     *exists,
              GError      **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_display = g_filename_display_name (dir);
  struct stat dir_stat;

  *exists = FALSE;
  if (lstat (path, existing) == 0)
    {
      if (S_ISDIR (existing->st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       _("Cannot write %s: it is a folder"), display);
          return FALSE;
        }
      if (!S_ISREG (existing->st_mode))
        {
          /* Replacing it would turn a FIFO or device into a plain file
           * (and a link into a copy): refuse. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _("Cannot write %s: it exists and is %s, not a regular file"),
                       display, describe_kind (existing->st_mode));
          return FALSE;
        }
      *exists = TRUE;
    }
  else if (errno == ENOTDIR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("Cannot write %s: %s is not a folder"), display, dir_display);
      return FALSE;
    }
  else if (errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (stat (dir, &dir_stat) != 0 || !S_ISDIR (dir_stat.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Cannot write %s: the folder %s does not exist"), display, dir_display);
      return FALSE;
    }
  if (access (dir, W_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: the folder %s is not writable (%s)"),
                   display, dir_display, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
ptl_file_check_replaceable (const char  *path,
                            GError     **error)
{
  struct stat existing;
  gboolean exists;

  g_return_val_if_fail (path != NULL, FALSE);

  return check_target (path, &existing, &exists, error);
}

PtlAtomicFile *
ptl_atomic_file_new (const char  *path,
                     GError     **error)
{
  g_autoptr(PtlAtomicFile) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  struct stat existing;
  gboolean exists;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_target (path, &existing, &exists, error))
    return NULL;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf (".%.*s.XXXXXX", TEMPORARY_NAME_PREFIX, base);
  self = g_new0 (PtlAtomicFile, 1);
  self->path = g_strdup (path);
  self->temporary = g_build_filename (dir, template, NULL);
  self->fd = g_mkstemp_full (self->temporary, O_RDWR | O_CLOEXEC, 0666);
  if (self->fd < 0)
    {
      set_errno_error (error, errno, path);
      g_clear_pointer (&self->temporary, g_free);
      return NULL;
    }
  /* A re-export keeps what the user set (a private 0600 stays private). */
  if (exists && fchmod (self->fd, existing.st_mode & 07777) != 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
ptl_atomic_file_get_path (PtlAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

gboolean
ptl_atomic_file_write (PtlAtomicFile  *self,
                       const void     *data,
                       gsize           len,
                       GError        **error)
{
  const char *bytes = data;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);

  while (len > 0)
    {
      gssize written = write (self->fd, bytes, len);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return set_errno_error (error, errno, self->path);
        }
      bytes += written;
      len -= (gsize) written;
    }
  return TRUE;
}

gboolean
ptl_atomic_file_commit (PtlAtomicFile  *self,
                        GError        **error)
{
  struct stat existing;
  gboolean exists;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->fd >= 0, FALSE);

  fd = self->fd;
  self->fd = -1;
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, self->path);
    }
  if (close (fd) != 0)
    return set_errno_error (error, errno, self->path);
  /* The target may have become something else since the temporary was
   * made; rename () would replace it whatever it is. */
  if (!check_target (self->path, &existing, &exists, error))
    return FALSE;
  if (g_rename (self->temporary, self->path) != 0)
    return set_errno_error (error, errno, self->path);
  self->committed = TRUE;
  return TRUE;
}

void
ptl_atomic_file_free (PtlAtomicFile *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  if (!self->committed && self->temporary != NULL)
    g_unlink (self->temporary);
  g_free (self->temporary);
  g_free (self->path);
  g_free (self);
}

gboolean
ptl_file_replace_contents (const char  *path,
                           const char  *contents,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(PtlAtomicFile) file = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || len == 0, FALSE);

  file = ptl_atomic_file_new (path, error);
  return file != NULL &&
         ptl_atomic_file_write (file, contents, len, error) &&
         ptl_atomic_file_commit (file, error);
}

/* Closes @fd. */
static gboolean
set_read_error (GError     **error,
                int          saved_errno,
                const char  *display,
                int          fd)
{
  close (fd);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Could not read %s: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

gboolean
ptl_file_read_regular (const char  *path,
                       char       **contents,
                       gsize       *len,
                       GError     **error)
{
  g_autofree char *display = NULL;
  g_autoptr(GByteArray) data = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  display = g_filename_display_name (path);
  /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not open %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    return set_read_error (error, errno, display, fd);
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                   _("Could not read %s: it is %s, not a regular file"),
                   display, describe_kind (st.st_mode));
      close (fd);
      return FALSE;
    }

  data = g_byte_array_sized_new (st.st_size + 1);
  for (;;)
    {
      guint8 buffer[65536];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_read_error (error, errno, display, fd);
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, n);
    }
  close (fd);

  if (len != NULL)
    *len = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  *contents = (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
  return TRUE;
}

gboolean
ptl_file_check_text (const char  *data,
                     gsize        len,
                     GError     **error)
{
  const char *end = NULL;
  guint line = 1;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len == 0 || g_utf8_validate_len (data, len, &end))
    return TRUE;

  for (const char *p = data; p < end; p++)
    if (*p == '\n')
      line++;
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
               _("line %u: expected UTF-8 text without NUL bytes"), line);
  return FALSE;
}

gsize
ptl_file_skip_bom (const char *data,
                   gsize       len)
{
  g_return_val_if_fail (data != NULL || len == 0, 0);

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return 3;
  return 0;
}

gboolean
ptl_file_looks_like_json (const char *path,
                          const char *data,
                          gsize       len)
{
  g_autofree char *lower = NULL;
  gsize i;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".json"))
    return TRUE;
  if (g_str_has_suffix (lower, ".csv"))
    return FALSE;
  i = ptl_file_skip_bom (data, len);
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '{';
}
