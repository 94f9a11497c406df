/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-bankers-sim"

#include "config.h"

#include <glib/gi18n.h>
/* PRId64 rather than G_GINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>
#include <string.h>

#include "ptl-bankers-sim.h"

/* Dijkstra's banker's algorithm, as the textbooks state it: the safety
 * algorithm (can every process, in some order, get its whole remaining
 * claim and finish?) and the resource-request algorithm on top of it
 * (grant a request only if the state it leads to is safe). Pure and
 * deterministic; the scan order is documented in the header. */

static gboolean
need_fits (const PtlBankersState *state,
           guint                  process,
           const gint64          *work)
{
  for (guint r = 0; r < state->n_resources; r++)
    if (ptl_bankers_state_get_need (state, process, r) > work[r])
      return FALSE;
  return TRUE;
}

void
ptl_bankers_check_safety (const PtlBankersState *state,
                          PtlBankersSafety      *safety)
{
  gboolean finished[PTL_BANKERS_MAX_PROCESSES] = { FALSE };
  guint n, m, i, since_last = 0;
  gint64 *work;

  g_return_if_fail (state != NULL);
  g_return_if_fail (safety != NULL);

  n = state->n_processes;
  m = state->n_resources;
  memset (safety, 0, sizeof *safety);
  work = safety->work;
  memcpy (work, state->available, m * sizeof (gint64));

  /* One circular scan: stop after n consecutive processes that could not
   * finish (a whole round without progress) or when all have. */
  for (i = 0; since_last < n && safety->n_finished < n; i = (i + 1) % n)
    {
      gint64 *next;

      if (finished[i] || !need_fits (state, i, work))
        {
          since_last++;
          continue;
        }
      next = work + m;
      for (guint r = 0; r < m; r++)
        next[r] = work[r] + state->allocation[i * m + r];
      work = next;
      finished[i] = TRUE;
      safety->order[safety->n_finished++] = i;
      since_last = 0;
    }
  safety->safe = safety->n_finished == n;
}

PtlBankersOutcome
ptl_bankers_request (PtlBankersState         *state,
                     const PtlBankersRequest *request,
                     PtlBankersSafety        *safety)
{
  PtlBankersSafety local;
  guint m, p;

  g_return_val_if_fail (state != NULL, PTL_BANKERS_EXCEEDS_NEED);
  g_return_val_if_fail (request != NULL && request->process < state->n_processes, PTL_BANKERS_EXCEEDS_NEED);

  m = state->n_resources;
  p = request->process;
  if (safety == NULL)
    safety = &local;

  for (guint r = 0; r < m; r++)
    if (request->amount[r] > ptl_bankers_state_get_need (state, p, r))
      return PTL_BANKERS_EXCEEDS_NEED;
  for (guint r = 0; r < m; r++)
    if (request->amount[r] > state->available[r])
      return PTL_BANKERS_EXCEEDS_AVAILABLE;

  /* Pretend to grant, check, and undo when the result is unsafe. */
  for (guint r = 0; r < m; r++)
    {
      state->available[r] -= request->amount[r];
      state->allocation[p * m + r] += request->amount[r];
    }
  ptl_bankers_check_safety (state, safety);
  if (safety->safe)
    return PTL_BANKERS_GRANTED;

  for (guint r = 0; r < m; r++)
    {
      state->available[r] += request->amount[r];
      state->allocation[p * m + r] -= request->amount[r];
    }
  return PTL_BANKERS_UNSAFE;
}

const char *
ptl_bankers_outcome_describe (PtlBankersOutcome outcome)
{
  switch (outcome)
    {
    case PTL_BANKERS_GRANTED:
      return _("granted");
    case PTL_BANKERS_EXCEEDS_NEED:
      return _("refused: exceeds its declared need (an error)");
    case PTL_BANKERS_EXCEEDS_AVAILABLE:
      return _("refused: exceeds what is available (must wait)");
    case PTL_BANKERS_UNSAFE:
      return _("refused: would leave the state unsafe (must wait)");
    default:
      g_return_val_if_reached (NULL);
    }
}

static G_GNUC_PRINTF (4, 5) void
set_request_error (GError     **error,
                   const char  *text,
                   const char  *at,
                   const char  *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER, _("Requests, column %ld: %s"),
               g_utf8_pointer_to_offset (text, at) + 1, message);
}

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

static gboolean
parse_one_request (const PtlBankersState  *state,
                   const char             *text,
                   const char             *start,
                   const char             *end,
                   PtlBankersRequest      *request,
                   GError                **error)
{
  const char *colon = memchr (start, ':', end - start);
  const char *name_end, *p;
  g_autofree char *name = NULL;
  int process;
  guint m = state->n_resources;
  guint r = 0;

  if (colon == NULL)
    {
      set_request_error (error, text, start, _("expected a process name, “:” and one amount per resource, "
                                               "as in “%s:1,0,2”"), state->names[0]);
      return FALSE;
    }
  name_end = colon;
  while (name_end > start && (name_end[-1] == ' ' || name_end[-1] == '\t'))
    name_end--;
  name = g_strndup (start, name_end - start);
  process = ptl_bankers_state_find_process (state, name);
  if (process < 0)
    {
      g_autofree char *known = g_strjoinv (", ", state->names);

      set_request_error (error, text, start, _("no process “%s”; the state has %s"), name, known);
      return FALSE;
    }

  memset (request, 0, sizeof *request);
  request->process = (guint) process;
  p = colon + 1;
  for (;;)
    {
      const char *field = skip_blanks (p, end);
      gint64 value = 0;
      const char *q = field;

      while (q < end && g_ascii_isdigit (*q) && value <= PTL_BANKERS_VALUE_MAX)
        value = value * 10 + (*q++ - '0');
      if (q == field || value > PTL_BANKERS_VALUE_MAX || (q < end && !g_ascii_isspace (*q) && *q != ','))
        {
          set_request_error (error, text, field,
                             _("expected a whole number from 0 to %" PRId64),
                             PTL_BANKERS_VALUE_MAX);
          return FALSE;
        }
      if (r == m)
        {
          set_request_error (error, text, field, _("expected %u amounts, one per resource, found more"), m);
          return FALSE;
        }
      request->amount[r++] = value;
      q = skip_blanks (q, end);
      if (q == end)
        break;
      if (*q != ',')
        {
          set_request_error (error, text, q, _("expected “,” between amounts"));
          return FALSE;
        }
      p = q + 1;
    }
  if (r < m)
    {
      set_request_error (error, text, end, _("expected %u amounts, one per resource, found %u"), m, r);
      return FALSE;
    }
  return TRUE;
}

GArray *
ptl_bankers_parse_requests (const PtlBankersState  *state,
                            const char             *text,
                            GError                **error)
{
  g_autoptr(GArray) requests = NULL;
  const char *p;

  g_return_val_if_fail (state != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  requests = g_array_new (FALSE, FALSE, sizeof (PtlBankersRequest));
  p = text;
  while (*p != '\0')
    {
      const char *end = p + strcspn (p, ";\n");
      const char *start = p;
      const char *trimmed_end = end;

      while (start < end && g_ascii_isspace (*start))
        start++;
      while (trimmed_end > start && g_ascii_isspace (trimmed_end[-1]))
        trimmed_end--;
      if (start < trimmed_end)
        {
          PtlBankersRequest request;

          if (!parse_one_request (state, text, start, trimmed_end, &request, error))
            return NULL;
          g_array_append_val (requests, request);
        }
      p = *end != '\0' ? end + 1 : end;
    }
  return g_steal_pointer (&requests);
}

char *
ptl_bankers_request_describe (const PtlBankersState   *state,
                              const PtlBankersRequest *request)
{
  GString *out;

  g_return_val_if_fail (state != NULL, NULL);
  g_return_val_if_fail (request != NULL && request->process < state->n_processes, NULL);

  out = g_string_new (state->names[request->process]);
  g_string_append (out, " (");
  for (guint r = 0; r < state->n_resources; r++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, r > 0 ? ", " : "", request->amount[r]);
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}
