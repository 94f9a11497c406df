/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The double nearest to @mantissa × 10^@exponent10 in *@out, when it can
 * be had fast and exactly; FALSE otherwise (then use g_ascii_strtod). */
gboolean ptl_decimal_to_double (guint64  mantissa,
                                int      exponent10,
                                double  *out);

/* Whether all of @text is a number as g_ascii_strtod () reads one ("nan"
 * and "inf" included, no blanks), with the value in *@value: the same
 * nearest double, found without strtod for plain decimals. */
gboolean ptl_number_parse      (const char *text,
                                double     *value);

G_END_DECLS
