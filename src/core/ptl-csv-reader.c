/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-csv-reader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-csv-reader.h"
#include "ptl-types.h"

/* Big reads: a million short lines go through the buffer, not read (). */
#define CHUNK_SIZE (256 * 1024)

/* Records are split in the buffer they were read into, NULs written over
 * the commas: only a record with a quote is copied (into @quoted), since
 * its fields lose their quotes and may span lines. Lines are found with
 * memchr, so a million-row table costs little beyond its own numbers. */
struct _PtlCsvReader
{
  /* owned */
  GInputStream *input;
  char         *display_name;
  char         *buffer;
  gsize         size;        /* allocated, one more for a NUL */
  gsize         start;       /* first byte not yet taken */
  gsize         end;         /* bytes held */
  gboolean      at_eof;
  gboolean      has_cr;      /* a CR was read: lines may end in CR */
  gsize         clean_end;   /* bytes from @start to here are ASCII without NUL */
  GString      *quoted;      /* a quoted record's fields, each ending in '\0' */
  GArray       *offsets;     /* gsize: where each field of @quoted starts */
  GArray       *lines;       /* guint: the line each field of @quoted starts on */
  /* The current record's fields: a plain array, as a million records
   * would spend more in GPtrArray's calls than in splitting themselves. */
  char        **fields;
  guint         n_fields;
  guint         fields_size; /* allocated */
  gboolean      is_quoted;   /* the current record went through @quoted */

  guint         line;        /* lines read so far */
  guint         record_line; /* where the current record starts */
  gsize         line_length; /* of the line read_line () returned last */
};

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static inline gboolean
is_clean (char c)
{
  /* c - 1, modulo 256, is below 0x7f for 1 … 0x7f only. */
  return (guint8) ((guint8) c - 1) < 0x7f;
}

/* How many of the @len bytes at @p, from the first, are ASCII without
 * NUL: UTF-8 for sure. Each chunk read is checked this way, in blocks the
 * compiler vectorizes, rather than calling g_utf8_validate_len () for each
 * of a million short lines; only lines with another byte go there. */
static gsize
clean_prefix (const char *p,
              gsize       len)
{
  gsize i = 0;

  for (; i + 64 <= len; i += 64)
    {
      gboolean bad = FALSE;

      for (gsize j = 0; j < 64; j++)
        bad |= !is_clean (p[i + j]);
      if (bad)
        break;
    }
  while (i < len && is_clean (p[i]))
    i++;
  return i;
}

/* Reads more input after what is held, moving the unread part to the
 * front first; FALSE at the end of the input or on error. */
static gboolean
fill (PtlCsvReader  *self,
      GCancellable  *cancellable,
      GError       **error)
{
  gssize n;

  if (self->at_eof)
    return FALSE;
  if (self->start > 0)
    {
      memmove (self->buffer, self->buffer + self->start, self->end - self->start);
      self->end -= self->start;
      self->clean_end -= self->start;
      self->start = 0;
    }
  if (self->size - self->end < CHUNK_SIZE)
    {
      self->size = MAX (self->size * 2, self->end + CHUNK_SIZE);
      self->buffer = g_realloc (self->buffer, self->size + 1);
    }
  n = g_input_stream_read (self->input, self->buffer + self->end, self->size - self->end, cancellable, error);
  if (n <= 0)
    {
      self->at_eof = TRUE;
      return FALSE;
    }
  self->has_cr |= memchr (self->buffer + self->end, '\r', n) != NULL;
  if (self->clean_end == self->end)
    self->clean_end += clean_prefix (self->buffer + self->end, n);
  self->end += n;
  return TRUE;
}

/* The first line end (LF, or CR if any was read) in @len bytes at @p, or NULL. */
static char *
find_line_end (PtlCsvReader *self,
               char         *p,
               gsize         len)
{
  char *newline = memchr (p, '\n', len);
  char *cr = self->has_cr ? memchr (p, '\r', newline ? (gsize) (newline - p) : len) : NULL;

  return cr ? cr : newline;
}

/* The next line, NUL-terminated in place without its line end, or NULL
 * at the end of the input or on error. Valid until the next call. */
static char *
read_line (PtlCsvReader  *self,
           GCancellable  *cancellable,
           GError       **error)
{
  gsize scanned = 0;
  char *line, *eol;
  gsize held;
  gboolean clean;

  for (;;)
    {
      line = self->buffer + self->start;
      held = self->end - self->start;
      eol = find_line_end (self, line + scanned, held - scanned);
      /* A CR last in the buffer may be the first half of a CRLF. */
      if (eol != NULL && (*eol == '\n' || eol + 1 < line + held || self->at_eof))
        break;
      if (eol == NULL && self->at_eof)
        {
          if (held == 0)
            return NULL;
          eol = line + held;  /* the last line has no line end */
          break;
        }
      scanned = eol ? (gsize) (eol - line) : held;
      if (!fill (self, cancellable, error) && error != NULL && *error != NULL)
        return NULL;
    }

  clean = eol <= self->buffer + self->clean_end;
  self->start += eol - line;
  if (eol < line + held)
    {
      self->start++;
      if (*eol == '\r' && eol + 1 < line + held && eol[1] == '\n')
        self->start++;
    }
  *eol = '\0';
  /* Past a byte that is not plain ASCII, lines are checked one by one
   * up to the next clean run. */
  if (self->clean_end < self->start)
    self->clean_end = self->start + clean_prefix (self->buffer + self->start, self->end - self->start);
  self->line++;
  if (!clean && !g_utf8_validate_len (line, eol - line, NULL))
    {
      if (self->display_name != NULL)
        g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("%s:%u: is not UTF-8 text"),
                     self->display_name, self->line);
      else
        g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("line %u: is not UTF-8 text"), self->line);
      return NULL;
    }
  self->line_length = eol - line;
  return line;
}

/* An error in the CSV itself at field @column (from 1) starting on @line:
 * "FILE:LINE: message" for a named file (the record's line), else
 * "line L, column C: message". */
static gboolean
syntax_error (PtlCsvReader  *self,
              GError       **error,
              guint          line,
              guint          column,
              const char    *message)
{
  if (self->display_name != NULL)
    return ptl_csv_reader_set_error (self, error, "%s", message);
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("line %u, column %u: %s"), line, column, message);
  return FALSE;
}

static inline void
add_field (PtlCsvReader *self,
           char         *field)
{
  if (G_UNLIKELY (self->n_fields == self->fields_size))
    {
      self->fields_size *= 2;
      self->fields = g_renew (char *, self->fields, self->fields_size);
    }
  self->fields[self->n_fields++] = field;
}

/* A record without quotes: fields split and trimmed where they are.
 * FALSE, with no field kept, at the first quote. The commas and a quote
 * are found in one pass over the line's bytes: on the short lines of a
 * numeric table three memchr () calls a line took more time than the
 * loop, though fewer instructions. Only then are the fields cut, each by
 * one NUL, so a record with a quote is left as it was for
 * split_quoted (). @line holds no NUL before its end (read_line ()
 * refused any). */
static gboolean
split_plain (PtlCsvReader *self,
             char         *line,
             gsize         length)
{
  char *end = line + length;
  guint n;

  add_field (self, line);
  for (char *p = line; p < end; p++)
    {
      /* One test a byte: ',' and '"' are below the digits, '.', '-'
       * and letters that fill a numeric table, as only blanks, '+' and
       * a few punctuation marks are. */
      if ((guint8) *p > ',')
        continue;
      if (*p == ',')
        add_field (self, p + 1);
      else if (*p == '"')
        {
          self->n_fields = 0;
          return FALSE;
        }
    }
  n = self->n_fields;
  for (guint i = 0; i < n; i++)
    {
      char *start = self->fields[i];
      /* The comma after the field, or the line's NUL after the last. */
      char *trim = i + 1 < n ? self->fields[i + 1] - 1 : end;

      while (is_blank (*start))
        start++;
      while (trim > start && is_blank (trim[-1]))
        trim--;
      *trim = '\0';
      self->fields[i] = start;
    }
  return TRUE;
}

static void
end_field (PtlCsvReader *self,
           gsize         start,
           guint         line)
{
  g_string_append_c (self->quoted, '\0');
  g_array_append_val (self->offsets, start);
  g_array_append_val (self->lines, line);
}

/* Splits @line (and the lines a quoted field runs on to) into fields. */
static gboolean
split_quoted (PtlCsvReader  *self,
              const char    *line,
              GCancellable  *cancellable,
              GError       **error)
{
  const char *p = line;

  g_string_truncate (self->quoted, 0);
  g_array_set_size (self->offsets, 0);
  g_array_set_size (self->lines, 0);
  self->is_quoted = TRUE;
  for (;;)
    {
      gsize start = self->quoted->len;
      guint field_line = self->line;
      guint column = self->offsets->len + 1;

      while (is_blank (*p))
        p++;
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              const char *quote = strchr (p, '"');

              if (quote == NULL)
                {
                  /* The field goes on past this line's end. */
                  g_string_append (self->quoted, p);
                  g_string_append_c (self->quoted, '\n');
                  p = read_line (self, cancellable, error);
                  if (p == NULL)
                    {
                      if (error != NULL && *error != NULL)
                        return FALSE;
                      return syntax_error (self, error, field_line, column,
                                           _("expected a closing quote for the field that starts here"));
                    }
                  continue;
                }
              g_string_append_len (self->quoted, p, quote - p);
              p = quote + 1;
              if (*p != '"')
                break;
              g_string_append_c (self->quoted, '"');
              p++;
            }
          while (is_blank (*p))
            p++;
          if (*p != ',' && *p != '\0')
            return syntax_error (self, error, self->line, column,
                                 _("expected a comma or the end of the line after a closing quote"));
        }
      else
        {
          const char *end = p + strcspn (p, ",\"");

          if (*end == '"')
            return syntax_error (self, error, field_line, column,
                                 _("expected no quote inside an unquoted field (quote the whole field and double the quotes inside)"));
          while (end > p && is_blank (end[-1]))
            end--;
          g_string_append_len (self->quoted, p, end - p);
          p += strcspn (p, ",");
        }
      end_field (self, start, field_line);
      if (*p == '\0')
        break;
      p++; /* the comma */
    }
  /* Pointers only now that @quoted no longer moves. */
  for (guint i = 0; i < self->offsets->len; i++)
    add_field (self, self->quoted->str + g_array_index (self->offsets, gsize, i));
  return TRUE;
}

PtlCsvReader *
ptl_csv_reader_new (GInputStream *stream,
                    const char   *display_name)
{
  PtlCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (PtlCsvReader, 1);
  self->input = g_object_ref (stream);
  self->display_name = g_strdup (display_name);
  self->size = CHUNK_SIZE;
  self->buffer = g_malloc (self->size + 1);
  self->quoted = g_string_new (NULL);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  self->fields_size = 16;
  self->fields = g_new (char *, self->fields_size);
  return self;
}

gboolean
ptl_csv_reader_next (PtlCsvReader  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  char *line;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->n_fields = 0;
  self->is_quoted = FALSE;
  for (;;)
    {
      const char *p;

      line = read_line (self, cancellable, error);
      if (line == NULL)
        return FALSE;
      for (p = line; is_blank (*p); p++)
        ;
      if (*p != '\0' && *p != '#')
        break;
    }
  self->record_line = self->line;
  if (split_plain (self, line, self->line_length))
    return TRUE;
  return split_quoted (self, line, cancellable, error);
}

guint
ptl_csv_reader_get_n_fields (PtlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_fields;
}

const char *
ptl_csv_reader_get_field (PtlCsvReader *self,
                          guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_fields, NULL);

  return self->fields[index];
}

guint
ptl_csv_reader_get_field_line (PtlCsvReader *self,
                               guint         index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->n_fields, 0);

  return self->is_quoted ? g_array_index (self->lines, guint, index) : self->record_line;
}

guint
ptl_csv_reader_get_line (PtlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->record_line;
}

gboolean
ptl_csv_reader_set_error (PtlCsvReader  *self,
                          GError       **error,
                          const char    *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_val_if_fail (self != NULL, FALSE);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (self->display_name != NULL)
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, "%s:%u: %s",
                 self->display_name, self->record_line, message);
  else
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("line %u: %s"), self->record_line, message);
  return FALSE;
}

void
ptl_csv_reader_free (PtlCsvReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->input);
  g_free (self->display_name);
  g_free (self->buffer);
  g_string_free (self->quoted, TRUE);
  g_array_unref (self->offsets);
  g_array_unref (self->lines);
  g_free (self->fields);
  g_free (self);
}
