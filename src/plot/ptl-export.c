/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-export"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <png.h>
#include <string.h>

#include "ptl-plot-private.h"

/* cairo's image surfaces stop at 32767 pixels a side. */
#define MAX_PIXELS PTL_EXPORT_MAX_PIXELS

/* Exports at a report size get twice the pixels, sharp when zoomed. */
#define DEFAULT_SCALE 2

static const struct
{
  const char      *extension;
  PtlExportFormat  format;
} formats[] = {
  { "png", PTL_EXPORT_PNG },
  { "svg", PTL_EXPORT_SVG },
  { "pdf", PTL_EXPORT_PDF },
  { "csv", PTL_EXPORT_CSV },
  { "json", PTL_EXPORT_JSON },
};

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  PtlExportWriter *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!ptl_atomic_file_write (writer->file, data, length, &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
_ptl_export_pdf_surface_new (PtlExportWriter *writer,
                             const char      *title,
                             double           width,
                             double           height)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_cb, writer, width, height);

  if (title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  return surface;
}

gboolean
_ptl_export_finish (cairo_surface_t  *surface,
                    cairo_status_t    status,
                    PtlExportWriter  *writer,
                    GError          **error)
{
  /* Vector surfaces write their last pages only when finished, and only
   * then report a failed write. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&writer->error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("Could not export to %s: %s"),
                   ptl_atomic_file_get_path (writer->file), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static void
png_write_cb (png_structp  png,
              png_bytep    data,
              png_size_t   length)
{
  PtlExportWriter *writer = png_get_io_ptr (png);

  if (!ptl_atomic_file_write (writer->file, data, length, &writer->error))
    png_error (png, "write failed");
}

static void
png_flush_cb (png_structp png)
{
}

/* cairo_surface_write_to_png () tries five filters on every row at zlib's
 * default level: 25 ms for a 1200×800 chart, more than drawing a million
 * points. A chart is mostly flat colour, which a fast level compresses
 * nearly as well, and best unfiltered: runs of one pixel are matches
 * for zlib as they are, and filtering cost a tenth more instructions for
 * 10–20 % larger files (a line chart, a bar chart, a Gantt figure).
 * Opaque images (every export has a background) are written as RGB. */
static cairo_status_t
write_png (cairo_surface_t *surface,
           PtlExportWriter *writer)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  g_autofree guint8 *row = g_malloc ((gsize) width * 4);
  png_structp png;
  png_infop info;
  gboolean opaque = TRUE;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height && opaque; y++)
    {
      const guint32 *pixels = (const guint32 *) (gconstpointer) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        if ((pixels[x] >> 24) != 0xff)
          {
            opaque = FALSE;
            break;
          }
    }

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  info = png ? png_create_info_struct (png) : NULL;
  if (info == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      return CAIRO_STATUS_NO_MEMORY;
    }
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      return CAIRO_STATUS_WRITE_ERROR;
    }
  png_set_write_fn (png, writer, png_write_cb, png_flush_cb);
  png_set_IHDR (png, info, width, height, 8, opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level (png, 3);
  png_write_info (png, info);
  if (opaque && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      /* An opaque pixel needs no unpremultiplying: cairo's rows go to
       * libpng as they are, blue-green-red-alpha bytes it reorders and
       * drops the alpha of itself. */
      png_set_bgr (png);
      png_set_filler (png, 0, PNG_FILLER_AFTER);
      for (int y = 0; y < height; y++)
        png_write_row (png, data + (gsize) y * stride);
      png_write_end (png, info);
      png_destroy_write_struct (&png, &info);
      return CAIRO_STATUS_SUCCESS;
    }
  for (int y = 0; y < height; y++)
    {
      const guint32 *pixels = (const guint32 *) (gconstpointer) (data + (gsize) y * stride);
      guint8 *out = row;

      /* cairo's pixels are premultiplied ARGB in native words. */
      for (int x = 0; x < width; x++)
        {
          guint32 pixel = pixels[x];
          guint alpha = pixel >> 24;
          guint channels[3] = { (pixel >> 16) & 0xff, (pixel >> 8) & 0xff, pixel & 0xff };

          for (int c = 0; c < 3; c++)
            *out++ = alpha == 0xff || alpha == 0 ? channels[c] : (channels[c] * 255 + alpha / 2) / alpha;
          if (!opaque)
            *out++ = alpha;
        }
      png_write_row (png, row);
    }
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
render (PtlResult          *result,
        const char         *chart_id,
        PtlExportFormat     format,
        const PtlPlotStyle *style,
        double              width,
        double              height,
        double              scale,
        PtlExportWriter    *writer,
        GError            **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  switch (format)
    {
    case PTL_EXPORT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) ceil (width * scale), (int) ceil (height * scale));
      break;

    case PTL_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, writer, width, height);
      break;

    case PTL_EXPORT_PDF:
      surface = _ptl_export_pdf_surface_new (writer, ptl_result_get_title (result), width, height);
      break;

    case PTL_EXPORT_CSV:
    case PTL_EXPORT_JSON:
    default:
      g_assert_not_reached ();
    }

  cr = cairo_create (surface);
  if (format == PTL_EXPORT_PNG)
    cairo_scale (cr, scale, scale);
  ptl_figure_draw (result, chart_id, cr, style, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == PTL_EXPORT_PNG)
    status = write_png (surface, writer);
  return _ptl_export_finish (surface, status, writer, error);
}

gboolean
ptl_export_format_from_path (const char       *path,
                             PtlExportFormat  *format,
                             GError          **error)
{
  g_autofree char *basename = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  basename = g_path_get_basename (path);
  dot = strrchr (basename, '.');
  if (dot != NULL)
    {
      g_autofree char *extension = g_ascii_strdown (dot + 1, -1);

      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        if (strcmp (extension, formats[i].extension) == 0)
          {
            if (format != NULL)
              *format = formats[i].format;
            return TRUE;
          }
    }

  g_set_error (error, PTL_ERROR, PTL_ERROR_UNSUPPORTED_FORMAT,
               _("Cannot export to %s: unknown file type; use .png, .svg, .pdf, .csv or .json"),
               path);
  return FALSE;
}

static gboolean
png_side_fits (double side,
               double scale)
{
  return ceil (side * scale) <= MAX_PIXELS;
}

gboolean
ptl_export_check_options (const char              *path,
                          const PtlExportOptions  *options,
                          GError                 **error)
{
  PtlExportFormat format;
  double scale;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (!ptl_export_format_from_path (path, &format, error))
    return FALSE;
  /* isfinite () refuses NaN and infinities (a test like x < 0 lets NaN by). */
  if (!(isfinite (options->width) && options->width >= 0) ||
      !(isfinite (options->height) && options->height >= 0) ||
      !(isfinite (options->scale) && options->scale >= 0))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Could not export to %s: sizes and scales must be numbers, not negative"), path);
      return FALSE;
    }
  /* A side left at 0 follows the result's shape and is checked when
   * written; a side given is checked now, before any run. */
  scale = options->scale > 0 ? options->scale : 1;
  if (format == PTL_EXPORT_PNG &&
      (!png_side_fits (options->width, scale) || !png_side_fits (options->height, scale)))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Could not export to %s: a PNG is at most %d pixels a side (width or height times scale)"),
                   path, MAX_PIXELS);
      return FALSE;
    }
  return TRUE;
}

void
ptl_export_get_size (PtlResult              *result,
                     const PtlExportOptions *options,
                     double                 *width,
                     double                 *height,
                     double                 *scale)
{
  double default_width, default_height;

  g_return_if_fail (PTL_IS_RESULT (result));
  g_return_if_fail (options != NULL);

  *width = options->width;
  *height = options->height;
  *scale = options->scale > 0 ? options->scale : 1;
  if (*width > 0 && *height > 0)
    return;

  /* One side given keeps the report shape; none gives the report size,
   * where PNGs get twice the pixels unless a scale was asked. */
  ptl_figure_get_default_size (result, options->chart_id, options->style, &default_width, &default_height);
  if (*width > 0)
    *height = *width * default_height / default_width;
  else if (*height > 0)
    *width = *height * default_width / default_height;
  else
    {
      *width = default_width;
      *height = default_height;
      if (options->scale == 0)
        *scale = DEFAULT_SCALE;
    }
}

gboolean
ptl_export_write (PtlResult               *result,
                  PtlAtomicFile           *file,
                  const PtlExportOptions  *options,
                  GError                 **error)
{
  static const PtlExportOptions defaults = { 0 };
  const char *path;
  PtlPlotStyle report;
  const PtlPlotStyle *style;
  PtlExportFormat format;
  PtlExportWriter writer = { file, NULL };
  double width, height, scale;

  g_return_val_if_fail (PTL_IS_RESULT (result), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  path = ptl_atomic_file_get_path (file);
  if (options == NULL)
    options = &defaults;
  if (!ptl_export_check_options (path, options, error))
    return FALSE;
  ptl_export_format_from_path (path, &format, NULL);
  if (format == PTL_EXPORT_CSV || format == PTL_EXPORT_JSON)
    {
      g_autofree char *data = format == PTL_EXPORT_CSV ? ptl_result_to_csv (result)
                                                       : ptl_result_to_json_string (result);

      return ptl_atomic_file_write (file, data, strlen (data), error);
    }

  if (options->chart_id != NULL && ptl_result_find_chart (result, options->chart_id) == NULL)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Could not export to %s: the result has no chart “%s”"),
                   path, options->chart_id);
      return FALSE;
    }

  if (options->style != NULL)
    style = options->style;
  else
    {
      ptl_plot_style_init_report (&report);
      style = &report;
    }

  ptl_export_get_size (result, options, &width, &height, &scale);
  if (format == PTL_EXPORT_PNG && (!png_side_fits (width, scale) || !png_side_fits (height, scale)))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Could not export to %s: %.0f × %.0f pixels is larger than %d a side"),
                   path, ceil (width * scale), ceil (height * scale), MAX_PIXELS);
      return FALSE;
    }

  return render (result, options->chart_id, format, style, width, height, scale, &writer, error);
}

gboolean
ptl_export_to_file (PtlResult               *result,
                    const char              *path,
                    const PtlExportOptions  *options,
                    GError                 **error)
{
  static const PtlExportOptions defaults = { 0 };
  g_autoptr(PtlAtomicFile) file = NULL;

  g_return_val_if_fail (PTL_IS_RESULT (result), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Bad options fail before a temporary is made. */
  if (!ptl_export_check_options (path, options != NULL ? options : &defaults, error))
    return FALSE;
  file = ptl_atomic_file_new (path, error);
  return file != NULL &&
         ptl_export_write (result, file, options, error) &&
         ptl_atomic_file_commit (file, error);
}
