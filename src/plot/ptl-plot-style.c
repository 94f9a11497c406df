/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-plot-style"

#include "config.h"

#include "ptl-plot.h"

#define FONT_FAMILY "Cantarell"

static PtlRgba
rgb (guint32 hex)
{
  PtlRgba color = {
    ((hex >> 16) & 0xff) / 255.0,
    ((hex >> 8) & 0xff) / 255.0,
    (hex & 0xff) / 255.0,
    1.0,
  };

  return color;
}

static PtlRgba
rgba (guint32 hex,
      double  alpha)
{
  PtlRgba color = rgb (hex);

  color.alpha = alpha;
  return color;
}

/* Okabe–Ito, ordered so the first colours have the most contrast against
 * the background: on white the light yellow comes last, on dark grey the
 * deep blue does, and black gives way to light grey. */
static const guint32 light_palette[PTL_PLOT_N_SERIES_COLORS] = {
  0x0072b2, /* blue */
  0xd55e00, /* vermillion */
  0x009e73, /* bluish green */
  0xe69f00, /* orange */
  0xcc79a7, /* reddish purple */
  0x56b4e9, /* sky blue */
  0x000000, /* black */
  0xf0e442, /* yellow */
};

static const guint32 dark_palette[PTL_PLOT_N_SERIES_COLORS] = {
  0x56b4e9, /* sky blue */
  0xe69f00, /* orange */
  0x009e73, /* bluish green */
  0xf0e442, /* yellow */
  0xcc79a7, /* reddish purple */
  0xd55e00, /* vermillion */
  0xdeddda, /* light grey in place of black */
  0x0072b2, /* blue */
};

/* Also forgets any per-series looks a caller set before. */
static void
set_palette (PtlPlotStyle  *style,
             const guint32 *palette)
{
  for (guint i = 0; i < PTL_PLOT_N_SERIES_COLORS; i++)
    style->series[i] = rgb (palette[i]);
  style->series_colors = NULL;
  style->series_dashes = NULL;
  style->n_series_looks = 0;
}

void
ptl_plot_style_init_light (PtlPlotStyle *style)
{
  g_return_if_fail (style != NULL);

  /* libadwaita's light view colours. */
  style->background = rgb (0xffffff);
  style->foreground = rgb (0x241f31);
  style->muted = rgb (0x5e5c64);
  style->grid = rgba (0x000000, 0.10);
  style->reference = rgb (0x5e5c64);
  set_palette (style, light_palette);
  style->font_family = FONT_FAMILY;
  style->font_size = 13;
  style->line_width = 2;
  style->dark = FALSE;
}

void
ptl_plot_style_init_dark (PtlPlotStyle *style)
{
  g_return_if_fail (style != NULL);

  /* libadwaita's dark view colours. */
  style->background = rgb (0x1e1e1e);
  style->foreground = rgb (0xffffff);
  style->muted = rgb (0xc0bfbc);
  style->grid = rgba (0xffffff, 0.12);
  style->reference = rgb (0xc0bfbc);
  set_palette (style, dark_palette);
  style->font_family = FONT_FAMILY;
  style->font_size = 13;
  style->line_width = 2;
  style->dark = TRUE;
}

void
ptl_plot_style_init_report (PtlPlotStyle *style)
{
  g_return_if_fail (style != NULL);

  /* Pure white and black print cleanly; text a little larger than on
   * screen because reports are read zoomed out. */
  style->background = rgb (0xffffff);
  style->foreground = rgb (0x000000);
  style->muted = rgb (0x3d3846);
  style->grid = rgba (0x000000, 0.12);
  style->reference = rgb (0x3d3846);
  set_palette (style, light_palette);
  style->font_family = FONT_FAMILY;
  style->font_size = 14;
  style->line_width = 2;
  style->dark = FALSE;
}
