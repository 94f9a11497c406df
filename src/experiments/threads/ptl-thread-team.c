/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-thread-team"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sched.h>

#include "ptl-core.h"
#include "ptl-thread-team.h"

/* How often the caller looks at the cancellable while the team runs. */
#define WATCH_MS 20

typedef struct
{
  GMutex            mutex;
  GCond             cond;
  gboolean          go;
  gint              n_arrived;
  guint             n_members;
  guint             n_done;
  PtlThreadTeamFunc func;
  gpointer          data;
} Team;

typedef struct
{
  Team  *team;
  guint  index;
} Member;

static gpointer
member_thread (gpointer user_data)
{
  Member *member = user_data;
  Team *team = member->team;

  g_mutex_lock (&team->mutex);
  while (!team->go)
    g_cond_wait (&team->cond, &team->mutex);
  g_mutex_unlock (&team->mutex);

  /* Woken one by one, a loaded machine would let the first finish a
   * short run before the last one starts; a spinning line lets them go
   * together (yielding, in case there are more of them than CPUs). */
  g_atomic_int_inc (&team->n_arrived);
  while ((guint) g_atomic_int_get (&team->n_arrived) < team->n_members)
    sched_yield ();

  team->func (member->index, team->data);

  g_mutex_lock (&team->mutex);
  team->n_done++;
  g_cond_broadcast (&team->cond);
  g_mutex_unlock (&team->mutex);
  return NULL;
}

gboolean
ptl_thread_team_run (guint               n,
                     PtlThreadTeamFunc   func,
                     gpointer            data,
                     gint               *stop,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autofree GThread **threads = g_new0 (GThread *, MAX (n, 1));
  g_autofree Member *members = g_new0 (Member, MAX (n, 1));
  g_autoptr(GError) spawn_error = NULL;
  gboolean cancelled = FALSE;
  guint n_started = 0;
  Team team = { 0 };

  g_return_val_if_fail (n > 0 && func != NULL && stop != NULL, FALSE);

  g_mutex_init (&team.mutex);
  g_cond_init (&team.cond);
  team.func = func;
  team.data = data;

  for (; n_started < n; n_started++)
    {
      g_autofree char *name = g_strdup_printf ("ptl-team-%u", n_started);

      members[n_started] = (Member) { &team, n_started };
      threads[n_started] = g_thread_try_new (name, member_thread, &members[n_started], &spawn_error);
      if (threads[n_started] == NULL)
        break;
    }
  /* Those made run even after a failure, told to stop at once, so that
   * each is joined the one way. */
  if (n_started < n)
    g_atomic_int_set (stop, 1);

  g_mutex_lock (&team.mutex);
  team.n_members = n_started;
  team.go = TRUE;
  g_cond_broadcast (&team.cond);
  while (team.n_done < n_started)
    {
      gint64 deadline = g_get_monotonic_time () + WATCH_MS * G_TIME_SPAN_MILLISECOND;

      if (!cancelled && g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          g_atomic_int_set (stop, 1);
        }
      g_cond_wait_until (&team.cond, &team.mutex, deadline);
    }
  g_mutex_unlock (&team.mutex);

  for (guint i = 0; i < n_started; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&team.mutex);
  g_cond_clear (&team.cond);

  if (n_started < n)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("Could not start thread %u of %u: %s"), n_started + 1, n, spawn_error->message);
      return FALSE;
    }
  if (cancelled || g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return FALSE;
    }
  return TRUE;
}

double
ptl_jain_index (const double *shares,
                guint         n)
{
  double sum = 0, squares = 0;

  for (guint i = 0; i < n; i++)
    {
      sum += shares[i];
      squares += shares[i] * shares[i];
    }
  return squares > 0 ? sum * sum / (n * squares) : NAN;
}
