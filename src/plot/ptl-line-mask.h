/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "ptl-decimate.h"

G_BEGIN_DECLS

/* Returns a new A8 surface of @width × @height pixels holding the
 * coverage of @vertices (PtlVertex, x = NAN separating runs) stroked
 * @line_width pixels wide with round joins and caps, each vertex first
 * mapped through @matrix into the mask's pixels. */
cairo_surface_t *ptl_line_mask_new (GArray               *vertices,
                                    const cairo_matrix_t *matrix,
                                    double                line_width,
                                    int                   width,
                                    int                   height);

G_END_DECLS
