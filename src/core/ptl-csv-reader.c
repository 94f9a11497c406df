/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-csv-reader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-csv-reader.h"
#include "ptl-types.h"

/* Big reads: a million short lines go through the buffer, not read (). */
#define BUFFER_SIZE (256 * 1024)

struct _PtlCsvReader
{
  /* owned */
  GDataInputStream *input;
  char             *display_name;
  GString          *fields;  /* the record's fields, each ending in '\0' */
  GArray           *offsets; /* guint: where each field starts in fields */

  guint             line;        /* lines read so far */
  guint             record_line; /* where the current record starts */
};

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static char *
read_line (PtlCsvReader  *self,
           GCancellable  *cancellable,
           GError       **error)
{
  gsize len;
  char *line = g_data_input_stream_read_line (self->input, &len, cancellable, error);

  if (line == NULL)
    return NULL;
  self->line++;
  if (!g_utf8_validate (line, len, NULL))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("%s:%u: is not UTF-8 text"),
                   self->display_name, self->line);
      g_free (line);
      return NULL;
    }
  return line;
}

static void
end_field (PtlCsvReader *self,
           guint         start)
{
  g_string_append_c (self->fields, '\0');
  g_array_append_val (self->offsets, start);
}

/* Splits @line (and the lines a quoted field runs on to) into fields. */
static gboolean
split_record (PtlCsvReader  *self,
              char          *line,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *owned = line;
  const char *p = line;

  for (;;)
    {
      guint start = self->fields->len;

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
                  g_string_append (self->fields, p);
                  g_string_append_c (self->fields, '\n');
                  g_free (owned);
                  p = owned = read_line (self, cancellable, error);
                  if (p == NULL)
                    {
                      if (error != NULL && *error != NULL)
                        return FALSE;
                      return ptl_csv_reader_set_error (self, error,
                                                       _("expected a closing quote for the field that starts here"));
                    }
                  continue;
                }
              g_string_append_len (self->fields, p, quote - p);
              p = quote + 1;
              if (*p != '"')
                break;
              g_string_append_c (self->fields, '"');
              p++;
            }
          while (is_blank (*p))
            p++;
          if (*p != ',' && *p != '\0')
            return ptl_csv_reader_set_error (self, error,
                                             _("expected a comma or the end of the line after a closing quote"));
        }
      else
        {
          const char *end = p + strcspn (p, ",\"");

          if (*end == '"')
            return ptl_csv_reader_set_error (self, error,
                                             _("a quote inside an unquoted field (quote the whole field and double the quotes inside)"));
          while (end > p && is_blank (end[-1]))
            end--;
          g_string_append_len (self->fields, p, end - p);
          p += strcspn (p, ",");
        }
      end_field (self, start);
      if (*p == '\0')
        return TRUE;
      p++; /* the comma */
    }
}

PtlCsvReader *
ptl_csv_reader_new (GInputStream *stream,
                    const char   *display_name)
{
  PtlCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  self = g_new0 (PtlCsvReader, 1);
  self->input = g_data_input_stream_new (stream);
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (self->input), BUFFER_SIZE);
  g_data_input_stream_set_newline_type (self->input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  self->display_name = g_strdup (display_name);
  self->fields = g_string_new (NULL);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
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

  g_string_truncate (self->fields, 0);
  g_array_set_size (self->offsets, 0);
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
      g_free (line);
    }
  self->record_line = self->line;
  return split_record (self, line, cancellable, error);
}

guint
ptl_csv_reader_get_n_fields (PtlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->offsets->len;
}

const char *
ptl_csv_reader_get_field (PtlCsvReader *self,
                          guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->offsets->len, NULL);

  return self->fields->str + g_array_index (self->offsets, guint, index);
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
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE, "%s:%u: %s",
               self->display_name, self->record_line, message);
  return FALSE;
}

void
ptl_csv_reader_free (PtlCsvReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->input);
  g_free (self->display_name);
  g_string_free (self->fields, TRUE);
  g_array_unref (self->offsets);
  g_free (self);
}
