/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-number"

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "ptl-number.h"

/* With x87 long doubles (64-bit significands) a 19-digit mantissa and
 * 10^±27 are exact; the one rounding to 64 bits then decides the nearest
 * double unless it left the value next to a halfway point between two
 * doubles, which is checked. */
static gboolean
decimal_to_double_slow (guint64  mantissa,
                        int      exponent10,
                        double  *out)
{
#if LDBL_MANT_DIG == 64 && (defined (__x86_64__) || defined (__i386__))
  if (exponent10 >= -27 && exponent10 <= 27)
    {
      static const long double long_powers[] = {
        1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
        1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L,
        1e26L, 1e27L,  /* exact: 5^27 < 2^64 */
      };
      long double power = long_powers[ABS (exponent10)], value;
      guint64 bits;

      value = exponent10 < 0 ? (long double) mantissa / power : (long double) mantissa * power;
      /* x87 keeps the 64-bit significand in the first eight bytes. */
      memcpy (&bits, &value, sizeof bits);
      /* The 11 bits below a double's 53: 0x400 is halfway. */
      if ((bits & 0x7ff) >= 0x3ff && (bits & 0x7ff) <= 0x401)
        return FALSE;
      *out = (double) value;
      return isfinite (*out) && fabs (*out) >= DBL_MIN;
    }
#endif
  return FALSE;
}

/* The double nearest to the decimal @mantissa × 10^@exponent10, or FALSE
 * when it cannot be had exactly here (the caller then uses strtod). Up to
 * 2^53 and 10^±22 both factors are exact doubles, so one rounded operation
 * gives the nearest double (Clinger's fast path), inline for
 * ptl_number_parse ()'s million calls; beyond, decimal_to_double_slow (). */
static inline gboolean
decimal_to_double (guint64  mantissa,
                   int      exponent10,
                   double  *out)
{
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };

  if (mantissa == 0)
    {
      *out = 0.0;
      return TRUE;
    }
  if (mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exponent10 >= -22 && exponent10 <= 22)
    {
      *out = exponent10 < 0 ? (double) mantissa / powers[-exponent10]
                            : (double) mantissa * powers[exponent10];
      return TRUE;
    }
  return decimal_to_double_slow (mantissa, exponent10, out);
}

gboolean
ptl_decimal_to_double (guint64  mantissa,
                       int      exponent10,
                       double  *out)
{
  return decimal_to_double (mantissa, exponent10, out);
}

/* Adds the digits at *@p to the first 19 significant ones in @mantissa
 * (@digits of them so far), each one kept in a fraction lowering
 * @exponent10, each one dropped from the integer part raising it; leading
 * zeros are not significant. Returns how many digits it read. */
static inline int
read_digits (const char **p,
             gboolean     fraction,
             guint64     *mantissa,
             int         *digits,
             int         *exponent10,
             gboolean    *truncated)
{
  const char *start = *p, *q = start;
  guint64 m = *mantissa;
  int room = 19 - *digits, kept;

  if (m == 0)
    for (; *q == '0'; q++)
      *exponent10 -= fraction;
  /* The significant digits, in a loop with nothing else to decide. */
  for (; room > 0; q++, room--)
    {
      guint digit = (guint8) *q - '0';

      if (digit > 9)
        break;
      m = m * 10 + digit;
    }
  kept = 19 - *digits - room;
  *digits += kept;
  *exponent10 -= fraction ? kept : 0;
  *mantissa = m;
  for (; *q >= '0' && *q <= '9'; q++)
    {
      *exponent10 += !fraction;
      *truncated |= *q != '0';
    }
  *p = q;
  return q - start;
}

/* The commonest form on its own: an optional minus, at most 19 digits
 * with an optional point, nothing else. One loop a part, with no count
 * of significant digits or exponent to keep: at 19 digits or fewer the
 * mantissa cannot overflow and equals what read_digits () builds, so the
 * value is the same. FALSE for anything else, left to the general path. */
static inline gboolean
parse_plain_decimal (const char *p,
                     double     *value)
{
  gboolean negative = *p == '-';
  const char *digits;
  guint64 mantissa = 0;
  int n_digits, n_fraction = 0;

  p += negative;
  for (digits = p;; p++)
    {
      guint digit = (guint8) *p - '0';

      if (digit > 9)
        break;
      mantissa = mantissa * 10 + digit;
    }
  n_digits = p - digits;
  if (*p == '.')
    {
      const char *fraction = ++p;

      for (;; p++)
        {
          guint digit = (guint8) *p - '0';

          if (digit > 9)
            break;
          mantissa = mantissa * 10 + digit;
        }
      n_fraction = p - fraction;
      n_digits += n_fraction;
    }
  if (*p != '\0' || n_digits == 0 || n_digits > 19 || !decimal_to_double (mantissa, -n_fraction, value))
    return FALSE;
  if (negative)
    *value = -*value;
  return TRUE;
}

gboolean
ptl_number_parse (const char *text,
                  double     *value)
{
  const char *p = text;
  gboolean negative = FALSE, truncated = FALSE;
  guint64 mantissa = 0;
  int digits = 0, n_digits, exponent10 = 0;
  char *end;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (parse_plain_decimal (text, value))
    return TRUE;
  /* Any decimal form without strtod; anything else (20+ digits,
   * "nan", hex, blanks) the way g_ascii_strtod () reads it. The integer
   * part and the fraction each in a loop of its own, where a million
   * numbers spend their time. */
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  n_digits = read_digits (&p, FALSE, &mantissa, &digits, &exponent10, &truncated);
  if (*p == '.')
    {
      p++;
      n_digits += read_digits (&p, TRUE, &mantissa, &digits, &exponent10, &truncated);
    }
  if (n_digits > 0 && (*p == 'e' || *p == 'E'))
    {
      const char *q = p + 1;
      int sign = 1, exponent = 0;

      if (*q == '-' || *q == '+')
        sign = *q++ == '-' ? -1 : 1;
      if (*q >= '0' && *q <= '9')
        {
          for (; *q >= '0' && *q <= '9'; q++)
            if (exponent < 100000)
              exponent = exponent * 10 + (*q - '0');
          exponent10 += sign * exponent;
          p = q;
        }
    }
  if (n_digits > 0 && *p == '\0' && !truncated && decimal_to_double (mantissa, exponent10, value))
    {
      if (negative)
        *value = -*value;
      return TRUE;
    }
  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return *end == '\0';
}
