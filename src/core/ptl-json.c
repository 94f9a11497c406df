/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-json"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ptl-json.h"
#include "ptl-number.h"
#include "ptl-types.h"

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

gboolean
ptl_json_check_depth (const char  *data,
                      gsize        len,
                      GError     **error)
{
  gboolean in_string = FALSE;
  /* Inside a top-level number, true, false or null. */
  gboolean in_scalar = FALSE;
  /* The top-level value has ended: only blanks and comments may follow. */
  gboolean ended = FALSE;
  guint depth = 0;
  guint line = 1;
  guint column = 0;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  /* json-glib skips a UTF-8 byte order mark. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  for (; i < len; i++)
    {
      char c = data[i];

      /* Columns count characters: UTF-8 continuation bytes add none. */
      if (c == '\n')
        {
          line++;
          column = 0;
        }
      else if (((guchar) c & 0xC0) != 0x80)
        column++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              ended = depth == 0;
            }
          continue;
        }
      /* json-glib takes C comments for blanks, but its scanner ends them
       * where a reader would not, and then leaked (found by fuzzing): JSON
       * has no comments, and the lab's files none. */
      if (c == '/')
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                       _("line %u, column %u: comments are not JSON"), line, column);
          return FALSE;
        }
      if (in_scalar && (is_blank (c) || c == '[' || c == '{' || c == '"' || c == ']' || c == '}' || c == ','))
        {
          in_scalar = FALSE;
          ended = TRUE;
        }
      if (is_blank (c))
        continue;
      /* json-glib 1.6 leaks the first value when text follows it (`1{}`),
       * and the text would be ignored or misread anyway. */
      if (ended)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                       _("line %u, column %u: unexpected text after the end of the JSON value"),
                       line, column);
          return FALSE;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PTL_JSON_MAX_DEPTH)
            {
              g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_FILE,
                           _("line %u: expected at most %u nested arrays and objects"),
                           line, PTL_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
          ended = depth == 0;
        }
      else if (depth == 0)
        in_scalar = TRUE;
    }
  return TRUE;
}

/* json_node_copy () shares objects, arrays and values by reference, and
 * json-glib's reference counts are not atomic: a copy handed to another
 * thread (a progress snapshot) must share nothing with the original. */
static JsonNode *
json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) object = ptl_json_object_copy (json_node_get_object (node));

        return json_node_init_object (json_node_alloc (), object);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) elements = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (elements, json_node_deep_copy (json_array_get_element (array, i)));
        return json_node_init_array (json_node_alloc (), elements);
      }
    case JSON_NODE_VALUE:
      copy = json_node_alloc ();
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return json_node_init_int (copy, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return json_node_init_double (copy, json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return json_node_init_boolean (copy, json_node_get_boolean (node));
        default:
          return json_node_init_string (copy, json_node_get_string (node));
        }
    case JSON_NODE_NULL:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

JsonObject *
ptl_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, json_node_deep_copy (member));
  return copy;
}

/* A strict reader for RFC 8259 JSON, built for result files of a million
 * points: json-glib's parser goes through GScanner and a node per number
 * (2.3 s for such a file), this one reads it in a tenth of that. It builds
 * json-glib nodes for everything but the arrays of [x, y] pairs the caller
 * names, which it keeps as plain doubles in a side table. Nesting is
 * limited to PTL_JSON_MAX_DEPTH, so recursion is bounded; every error
 * names its line and column. */

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  const char *root_key;        /* the root member being read */
  const char *pack_list;
  const char *const *pack_members;
  GHashTable *packed;
  GString *text;               /* scratch for strings with escapes */
  GError **error;
} Parser;

static JsonNode *parse_value (Parser     *parser,
                              const char *key,
                              guint       depth);

static gboolean
parse_error (Parser     *parser,
             const char *at,
             const char *message)
{
  guint line = 1;
  const char *line_start = parser->start;

  for (const char *q = parser->start; q < at; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }
  /* TRANSLATORS: where a JSON file is wrong; the last %s says what */
  g_set_error (parser->error, PTL_ERROR, PTL_ERROR_INVALID_FILE, _("line %u, column %ld: %s"),
               line, g_utf8_pointer_to_offset (line_start, at) + 1, message);
  return FALSE;
}

static inline void
skip_blanks (Parser *parser)
{
  const char *p = parser->p;

  while (p < parser->end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
    p++;
  parser->p = p;
}

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* A number per RFC 8259. Integers that fit are int64 nodes, as json-glib
 * makes them; others doubles (1e999 becomes infinity, for the caller to
 * refuse). */
static gboolean
parse_number (Parser   *parser,
              double   *out_double,
              gint64   *out_int,
              gboolean *is_int)
{
  const char *p = parser->p, *begin = p, *end = parser->end;
  gboolean negative = FALSE, truncated = FALSE, integral = TRUE;
  guint64 mantissa = 0;
  int digits = 0, exponent10 = 0;

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end || !is_digit (*p))
    return parse_error (parser, p, _("expected a digit"));
  if (*p == '0')
    p++;
  else
    for (; p < end && is_digit (*p); p++)
      {
        if (digits < 19)
          {
            mantissa = mantissa * 10 + (guint64) (*p - '0');
            digits++;
          }
        else
          {
            exponent10++;
            truncated |= *p != '0';
          }
      }
  if (p < end && *p == '.')
    {
      integral = FALSE;
      p++;
      if (p >= end || !is_digit (*p))
        return parse_error (parser, p, _("expected a digit after “.”"));
      for (; p < end && is_digit (*p); p++)
        {
          if (mantissa == 0 && *p == '0')
            exponent10--;
          else if (digits < 19)
            {
              mantissa = mantissa * 10 + (guint64) (*p - '0');
              digits++;
              exponent10--;
            }
          else
            truncated |= *p != '0';
        }
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      int sign = 1, exponent = 0;

      integral = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        sign = *p++ == '-' ? -1 : 1;
      if (p >= end || !is_digit (*p))
        return parse_error (parser, p, _("expected a digit in the exponent"));
      for (; p < end && is_digit (*p); p++)
        if (exponent < 100000)
          exponent = exponent * 10 + (*p - '0');
      exponent10 += sign * exponent;
    }
  parser->p = p;

  if (integral && !truncated && (mantissa <= G_MAXINT64 || (negative && mantissa == (guint64) G_MAXINT64 + 1)) &&
      exponent10 == 0)
    {
      *is_int = TRUE;
      *out_int = negative ? (gint64) (0 - mantissa) : (gint64) mantissa;
      *out_double = (double) *out_int;
      return TRUE;
    }
  *is_int = FALSE;
  if (truncated || !ptl_decimal_to_double (mantissa, exponent10, out_double))
    {
      g_autofree char *copy = g_strndup (begin, p - begin);

      *out_double = g_ascii_strtod (copy, NULL);
      return TRUE;
    }
  if (negative)
    *out_double = -*out_double;
  return TRUE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
parse_hex4 (Parser   *parser,
            const char *p,
            gunichar *out)
{
  gunichar value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = p + i < parser->end ? hex_value (p[i]) : -1;

      if (digit < 0)
        return parse_error (parser, p + i, _("expected four hexadecimal digits after “\\u”"));
      value = value * 16 + (gunichar) digit;
    }
  *out = value;
  return TRUE;
}

/* A string's text, UTF-8 checked, escapes decoded; NULL on error. */
static char *
parse_string (Parser *parser)
{
  const char *p = parser->p + 1, *run = p, *end = parser->end;

  g_assert (*parser->p == '"');
  g_string_truncate (parser->text, 0);
  for (;;)
    {
      while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      if (p >= end)
        {
          parse_error (parser, parser->p, _("a string is not closed"));
          return NULL;
        }
      if (!g_utf8_validate_len (run, p - run, NULL))
        {
          parse_error (parser, run, _("a string is not UTF-8 text"));
          return NULL;
        }
      g_string_append_len (parser->text, run, p - run);
      if (*p == '"')
        break;
      if (*p != '\\')
        {
          parse_error (parser, p, _("a control character in a string must be escaped"));
          return NULL;
        }
      if (p + 1 >= end)
        {
          parse_error (parser, parser->p, _("a string is not closed"));
          return NULL;
        }
      switch (p[1])
        {
        case '"': case '\\': case '/':
          g_string_append_c (parser->text, p[1]);
          p += 2;
          break;
        case 'b': g_string_append_c (parser->text, '\b'); p += 2; break;
        case 'f': g_string_append_c (parser->text, '\f'); p += 2; break;
        case 'n': g_string_append_c (parser->text, '\n'); p += 2; break;
        case 'r': g_string_append_c (parser->text, '\r'); p += 2; break;
        case 't': g_string_append_c (parser->text, '\t'); p += 2; break;
        case 'u':
          {
            gunichar c, low;

            if (!parse_hex4 (parser, p + 2, &c))
              return NULL;
            if (c >= 0xd800 && c <= 0xdbff)
              {
                if (p + 7 >= end || p[6] != '\\' || p[7] != 'u' ||
                    !parse_hex4 (parser, p + 8, &low) || low < 0xdc00 || low > 0xdfff)
                  {
                    g_clear_error (parser->error);
                    parse_error (parser, p, _("a UTF-16 surrogate in a string is not paired"));
                    return NULL;
                  }
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
              }
            else if (c >= 0xdc00 && c <= 0xdfff)
              {
                parse_error (parser, p, _("a UTF-16 surrogate in a string is not paired"));
                return NULL;
              }
            /* C strings end at NUL: the text would be cut short unseen. */
            if (c == 0)
              {
                parse_error (parser, p, _("a string holds “\\u0000”"));
                return NULL;
              }
            g_string_append_unichar (parser->text, c);
            p += 6;
            break;
          }
        default:
          parse_error (parser, p, _("unknown escape in a string"));
          return NULL;
        }
      run = p;
    }
  parser->p = p + 1;
  return g_strndup (parser->text->str, parser->text->len);
}

static gboolean
expect_word (Parser     *parser,
             const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (parser->end - parser->p) < len || memcmp (parser->p, word, len) != 0)
    return parse_error (parser, parser->p, _("expected a value"));
  parser->p += len;
  return TRUE;
}

/* One [x, y] of numbers or nulls (NAN), both finite, in @pair; FALSE, with
 * the position unchanged and no error, for anything else. */
static gboolean
parse_pair (Parser *parser,
            double *pair)
{
  const char *start = parser->p;

  if (parser->p >= parser->end || *parser->p != '[')
    return FALSE;
  parser->p++;
  for (int i = 0; i < 2; i++)
    {
      skip_blanks (parser);
      if (parser->p < parser->end && *parser->p == 'n' &&
          parser->end - parser->p >= 4 && memcmp (parser->p, "null", 4) == 0)
        {
          pair[i] = NAN;
          parser->p += 4;
        }
      else
        {
          GError **error = parser->error;
          gint64 integer;
          gboolean is_int;

          parser->error = NULL;
          if (parser->p >= parser->end || (*parser->p != '-' && !is_digit (*parser->p)) ||
              !parse_number (parser, &pair[i], &integer, &is_int) || !isfinite (pair[i]))
            {
              parser->error = error;
              parser->p = start;
              return FALSE;
            }
          parser->error = error;
        }
      skip_blanks (parser);
      if (parser->p >= parser->end || *parser->p != (i == 0 ? ',' : ']'))
        {
          parser->p = start;
          return FALSE;
        }
      parser->p++;
    }
  return TRUE;
}

static JsonNode *
pair_node (const double *pair)
{
  JsonArray *array = json_array_sized_new (2);
  JsonNode *node;

  for (int i = 0; i < 2; i++)
    json_array_add_element (array, isnan (pair[i]) ? json_node_new (JSON_NODE_NULL)
                                                   : json_node_init_double (json_node_alloc (), pair[i]));
  /* The node takes a reference of its own. */
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return node;
}

static gboolean
should_pack (Parser     *parser,
             const char *key,
             guint       depth)
{
  /* depth 4: root object, the list, its object, this array. */
  return depth == 4 && key != NULL && parser->pack_list != NULL &&
         g_strcmp0 (parser->root_key, parser->pack_list) == 0 &&
         g_strv_contains (parser->pack_members, key);
}

static JsonNode *
parse_array (Parser     *parser,
             const char *key,
             guint       depth)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GArray) pairs = NULL;

  parser->p++;
  skip_blanks (parser);
  if (parser->p < parser->end && *parser->p == ']')
    {
      parser->p++;
      return json_node_init_array (json_node_alloc (), array);
    }
  if (should_pack (parser, key, depth))
    {
      double pair[2];

      pairs = g_array_new (FALSE, FALSE, sizeof (double));
      while (parse_pair (parser, pair))
        {
          g_array_append_vals (pairs, pair, 2);
          skip_blanks (parser);
          if (parser->p < parser->end && *parser->p == ']')
            {
              JsonNode *node = json_node_init_array (json_node_alloc (), array);

              parser->p++;
              g_hash_table_insert (parser->packed, array, g_steal_pointer (&pairs));
              return node;
            }
          if (parser->p >= parser->end || *parser->p != ',')
            {
              parse_error (parser, parser->p, _("expected “,” or “]”"));
              return NULL;
            }
          parser->p++;
          skip_blanks (parser);
        }
      /* An element that is not such a pair: the array is read the
       * general way from there, errors included, after what was packed. */
      for (guint i = 0; i < pairs->len; i += 2)
        json_array_add_element (array, pair_node (&g_array_index (pairs, double, i)));
    }
  for (;;)
    {
      JsonNode *element = parse_value (parser, NULL, depth);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);
      skip_blanks (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (parser->p < parser->end && *parser->p == ']')
        {
          parser->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      parse_error (parser, parser->p, _("expected “,” or “]”"));
      return NULL;
    }
}

static JsonNode *
parse_object (Parser *parser,
              guint   depth)
{
  g_autoptr(JsonObject) object = json_object_new ();

  parser->p++;
  skip_blanks (parser);
  if (parser->p < parser->end && *parser->p == '}')
    {
      parser->p++;
      return json_node_init_object (json_node_alloc (), object);
    }
  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *member;

      skip_blanks (parser);
      if (parser->p >= parser->end || *parser->p != '"')
        {
          parse_error (parser, parser->p, _("expected a member name in quotes"));
          return NULL;
        }
      if ((name = parse_string (parser)) == NULL)
        return NULL;
      skip_blanks (parser);
      if (parser->p >= parser->end || *parser->p != ':')
        {
          parse_error (parser, parser->p, _("expected “:”"));
          return NULL;
        }
      parser->p++;
      if (depth == 1)
        parser->root_key = name;
      member = parse_value (parser, name, depth);
      if (depth == 1)
        parser->root_key = NULL;
      if (member == NULL)
        return NULL;
      json_object_set_member (object, name, member);
      skip_blanks (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (parser->p < parser->end && *parser->p == '}')
        {
          parser->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      parse_error (parser, parser->p, _("expected “,” or “}”"));
      return NULL;
    }
}

/* @depth: containers around the value; @key: its member name, if any. */
static JsonNode *
parse_value (Parser     *parser,
             const char *key,
             guint       depth)
{
  skip_blanks (parser);
  if (parser->p >= parser->end)
    {
      parse_error (parser, parser->p, _("expected a value"));
      return NULL;
    }
  switch (*parser->p)
    {
    case '[':
    case '{':
      if (depth + 1 > PTL_JSON_MAX_DEPTH)
        {
          g_autofree char *message =
            g_strdup_printf (_("expected at most %u nested arrays and objects"), PTL_JSON_MAX_DEPTH);

          parse_error (parser, parser->p, message);
          return NULL;
        }
      return *parser->p == '[' ? parse_array (parser, key, depth + 1) : parse_object (parser, depth + 1);
    case '"':
      {
        g_autofree char *text = parse_string (parser);

        if (text == NULL)
          return NULL;
        return json_node_init_string (json_node_alloc (), text);
      }
    case 't':
      return expect_word (parser, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return expect_word (parser, "false") ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return expect_word (parser, "null") ? json_node_new (JSON_NODE_NULL) : NULL;
    default:
      {
        double number;
        gint64 integer;
        gboolean is_int;

        if (*parser->p != '-' && !is_digit (*parser->p))
          {
            parse_error (parser, parser->p, _("expected a value"));
            return NULL;
          }
        if (!parse_number (parser, &number, &integer, &is_int))
          return NULL;
        return is_int ? json_node_init_int (json_node_alloc (), integer)
                      : json_node_init_double (json_node_alloc (), number);
      }
    }
}

JsonNode *
ptl_json_parse (const char         *data,
                gsize               len,
                const char         *pack_list,
                const char * const *pack_members,
                GHashTable        **packed,
                GError            **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(JsonNode) root = NULL;
  Parser parser = { 0, };

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  table = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  parser.start = parser.p = data;
  parser.end = data + len;
  /* Without a table to put them in, nothing is packed. */
  parser.pack_list = packed != NULL ? pack_list : NULL;
  parser.pack_members = pack_members;
  parser.packed = table;
  parser.text = text;
  parser.error = error;

  root = parse_value (&parser, NULL, 0);
  if (root == NULL)
    return NULL;
  skip_blanks (&parser);
  if (parser.p < parser.end)
    {
      parse_error (&parser, parser.p, _("text after the end of the JSON value"));
      return NULL;
    }
  if (packed != NULL)
    *packed = g_steal_pointer (&table);
  return g_steal_pointer (&root);
}
