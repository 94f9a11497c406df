/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-deadlock-watchdog"

/* Why two looks prove a deadlock. One look reads each thread's
 * (waiting_for, waiting_since) and each lock's owner one after another,
 * so it can stitch a cycle out of moments that never coexisted. The
 * confirming look reads the candidate's threads again, then its locks'
 * owners, then the threads once more. If every thread of the cycle shows
 * the same wait (same lock, same start) before and after, each was
 * blocked throughout the confirming look; a blocked thread cannot take
 * or release a lock, so each owner read then was the lock's owner for
 * the whole look, and at its end every thread of the cycle waited for a
 * lock held by the next one: a real cycle, and none of them can ever
 * move again. A wait that is long but progressing fails this: some
 * thread of any cycle it seems to be part of is not blocked. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <time.h>

#include "ptl-deadlock-watchdog.h"

typedef struct
{
  guint   thread;
  guint32 object;
  gint64  since;
} Link;

struct _PtlDeadlockWatchdog
{
  GObject            parent_instance;

  /* owned */
  PtlThreadRecorder *recorder;
  GPtrArray         *objects;   /* PtlSyncObject, borrowed from the run */
  GThread           *thread;
  GCancellable      *cancellable;
  gulong             cancelled_id;
  GMutex             mutex;
  GCond              cond;
  gboolean           stopping;
  guint              period_ms;

  /* written by the watching thread, read after the join */
  GArray            *cycle;      /* Link */
  GArray            *cycle_threads; /* guint, the lanes of cycle, for callers */
  GArray            *cycle_objects; /* guint32 */
  GArray            *waits;      /* Link: every waiting thread at confirmation */
  GArray            *holds;      /* Link: thread = owner of object */
  gint64             detected;   /* ticks */
  gint64             cpu_ns;
  gint64             wall_ns;
  guint64            n_looks;
};

G_DEFINE_FINAL_TYPE (PtlDeadlockWatchdog, ptl_deadlock_watchdog, G_TYPE_OBJECT)

/* The watched object with recorder id @id, or NULL. */
static PtlSyncObject *
find_object (PtlDeadlockWatchdog *self,
             guint32              id)
{
  for (guint i = 0; i < self->objects->len; i++)
    {
      PtlSyncObject *object = g_ptr_array_index (self->objects, i);

      if (object->id == id)
        return object;
    }
  return NULL;
}

/* What @track waits for among the watched objects, or FALSE. */
static gboolean
read_wait (PtlDeadlockWatchdog *self,
           PtlThreadTrack      *track,
           Link                *link)
{
  guint32 waiting_for = atomic_load_explicit (&track->waiting_for, memory_order_acquire);

  if (waiting_for == 0 || find_object (self, waiting_for - 1) == NULL)
    return FALSE;
  link->thread = track->index;
  link->object = waiting_for - 1;
  link->since = atomic_load_explicit (&track->waiting_since, memory_order_relaxed);
  /* The pair must belong to one wait: read the object again. */
  return atomic_load_explicit (&track->waiting_for, memory_order_acquire) == waiting_for;
}

/* The lane of @object's owner, or -1 when free or not a lane. */
static int
read_owner (PtlSyncObject *object)
{
  PtlThreadTrack *owner = atomic_load_explicit (&object->owner, memory_order_relaxed);

  return owner != NULL ? (int) owner->index : -1;
}

/* One look: a cycle of waits in @cycle (emptied when there is none). */
static void
find_cycle (PtlDeadlockWatchdog *self,
            GArray              *cycle)
{
  guint n = ptl_thread_recorder_get_n_threads (self->recorder);
  g_autofree Link *waits = g_new0 (Link, MAX (n, 1));
  g_autofree gboolean *waiting = g_new0 (gboolean, MAX (n, 1));
  g_autofree int *next = g_new (int, MAX (n, 1));
  g_autofree guint *mark = g_new0 (guint, MAX (n, 1));

  g_array_set_size (cycle, 0);
  for (guint t = 0; t < n; t++)
    {
      PtlSyncObject *object;

      next[t] = -1;
      waiting[t] = read_wait (self, ptl_thread_recorder_get_thread (self->recorder, t), &waits[t]);
      if (waiting[t] && (object = find_object (self, waits[t].object)) != NULL)
        next[t] = read_owner (object);
    }

  /* Each thread waits for one lock with one owner: following "next"
   * from every thread finds any cycle; marks tell this walk's threads
   * (start + 1) from earlier walks'. */
  for (guint start = 0; start < n; start++)
    {
      int t = (int) start;

      while (t >= 0 && (guint) t < n && mark[t] == 0)
        {
          mark[t] = start + 1;
          t = next[t];
        }
      if (t < 0 || (guint) t >= n || mark[t] != start + 1)
        continue;
      /* t is on a cycle: walk it once more to list it, from its lowest
       * lane, so two looks list one cycle alike. */
      for (int u = next[t]; u != t; u = next[u])
        if (u < t)
          t = u;
      for (int u = t;;)
        {
          g_array_append_val (cycle, waits[u]);
          u = next[u];
          if (u == t)
            break;
        }
      return;
    }
}

/* Whether every thread of @cycle still shows the same wait. */
static gboolean
same_waits (PtlDeadlockWatchdog *self,
            GArray              *cycle)
{
  for (guint i = 0; i < cycle->len; i++)
    {
      const Link *link = &g_array_index (cycle, Link, i);
      Link now;

      if (!read_wait (self, ptl_thread_recorder_get_thread (self->recorder, link->thread), &now) ||
          now.object != link->object || now.since != link->since)
        return FALSE;
    }
  return TRUE;
}

/* The confirming look (see the top of the file). */
static gboolean
confirm (PtlDeadlockWatchdog *self,
         GArray              *cycle)
{
  if (!same_waits (self, cycle))
    return FALSE;
  for (guint i = 0; i < cycle->len; i++)
    {
      const Link *link = &g_array_index (cycle, Link, i);
      const Link *next = &g_array_index (cycle, Link, (i + 1) % cycle->len);

      if (read_owner (find_object (self, link->object)) != (int) next->thread)
        return FALSE;
    }
  return same_waits (self, cycle);
}

/* Every wait and hold at confirmation, for the graph. */
static void
snapshot (PtlDeadlockWatchdog *self)
{
  guint n = ptl_thread_recorder_get_n_threads (self->recorder);

  for (guint t = 0; t < n; t++)
    {
      Link link;

      if (read_wait (self, ptl_thread_recorder_get_thread (self->recorder, t), &link))
        g_array_append_val (self->waits, link);
    }
  for (guint i = 0; i < self->objects->len; i++)
    {
      PtlSyncObject *object = g_ptr_array_index (self->objects, i);
      int owner = read_owner (object);
      Link link = { (guint) owner, object->id, 0 };

      if (owner >= 0)
        g_array_append_val (self->holds, link);
    }
}

static gboolean
same_cycle (GArray *a,
            GArray *b)
{
  if (a->len != b->len || a->len == 0)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const Link *x = &g_array_index (a, Link, i), *y = &g_array_index (b, Link, i);

      if (x->thread != y->thread || x->object != y->object || x->since != y->since)
        return FALSE;
    }
  return TRUE;
}

static gpointer
watch_thread (gpointer data)
{
  PtlDeadlockWatchdog *self = data;
  g_autoptr(GArray) candidate = g_array_new (FALSE, FALSE, sizeof (Link));
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (Link));
  gint64 start = ptl_clock_now_ns ();
  gint64 period_us = self->period_ms * G_TIME_SPAN_MILLISECOND;
  struct timespec cpu;

  g_mutex_lock (&self->mutex);
  while (!self->stopping)
    {
      /* A candidate is confirmed a quarter period later, not a period:
       * the proof does not depend on the gap, the latency does. */
      gint64 deadline = g_get_monotonic_time () + (candidate->len > 0 ? period_us / 4 : period_us);

      gboolean woken = g_cond_wait_until (&self->cond, &self->mutex, deadline);

      if (self->stopping)
        break;
      /* A cancel wakes the watch at once: blocked threads cannot see
       * the cancellable, only the abort. */
      if (g_cancellable_is_cancelled (self->cancellable))
        {
          ptl_thread_recorder_abort (self->recorder);
          break;
        }
      if (woken)
        continue;
      g_mutex_unlock (&self->mutex);

      self->n_looks++;
      find_cycle (self, seen);
      if (same_cycle (seen, candidate) && confirm (self, seen))
        {
          self->detected = ptl_thread_ticks ();
          g_array_append_vals (self->cycle, seen->data, seen->len);
          for (guint i = 0; i < seen->len; i++)
            {
              g_array_append_val (self->cycle_threads, g_array_index (seen, Link, i).thread);
              g_array_append_val (self->cycle_objects, g_array_index (seen, Link, i).object);
            }
          snapshot (self);
          ptl_thread_recorder_abort (self->recorder);
          g_mutex_lock (&self->mutex);
          break;
        }
      g_array_set_size (candidate, 0);
      g_array_append_vals (candidate, seen->data, seen->len);
      g_mutex_lock (&self->mutex);
    }
  g_mutex_unlock (&self->mutex);

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu);
  self->cpu_ns = (gint64) cpu.tv_sec * 1000000000 + cpu.tv_nsec;
  self->wall_ns = ptl_clock_now_ns () - start;
  return NULL;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  PtlDeadlockWatchdog *self = data;

  g_mutex_lock (&self->mutex);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
ptl_deadlock_watchdog_finalize (GObject *object)
{
  PtlDeadlockWatchdog *self = PTL_DEADLOCK_WATCHDOG (object);

  ptl_deadlock_watchdog_stop (self);
  g_clear_object (&self->recorder);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->objects);
  g_array_unref (self->cycle);
  g_array_unref (self->cycle_threads);
  g_array_unref (self->cycle_objects);
  g_array_unref (self->waits);
  g_array_unref (self->holds);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (ptl_deadlock_watchdog_parent_class)->finalize (object);
}

static void
ptl_deadlock_watchdog_class_init (PtlDeadlockWatchdogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_deadlock_watchdog_finalize;
}

static void
ptl_deadlock_watchdog_init (PtlDeadlockWatchdog *self)
{
  self->objects = g_ptr_array_new ();
  self->cycle = g_array_new (FALSE, FALSE, sizeof (Link));
  self->cycle_threads = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cycle_objects = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->waits = g_array_new (FALSE, FALSE, sizeof (Link));
  self->holds = g_array_new (FALSE, FALSE, sizeof (Link));
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

PtlDeadlockWatchdog *
ptl_deadlock_watchdog_new (PtlThreadRecorder *recorder,
                           guint              period_ms)
{
  PtlDeadlockWatchdog *self;

  g_return_val_if_fail (PTL_IS_THREAD_RECORDER (recorder), NULL);
  g_return_val_if_fail (period_ms > 0, NULL);

  self = g_object_new (PTL_TYPE_DEADLOCK_WATCHDOG, NULL);
  self->recorder = g_object_ref (recorder);
  self->period_ms = period_ms;
  return self;
}

void
ptl_deadlock_watchdog_watch (PtlDeadlockWatchdog *self,
                             PtlSyncObject       *object)
{
  g_return_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self));
  g_return_if_fail (object != NULL);
  g_return_if_fail (self->thread == NULL);

  g_ptr_array_add (self->objects, object);
}

gboolean
ptl_deadlock_watchdog_start (PtlDeadlockWatchdog  *self,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  g_set_object (&self->cancellable, cancellable);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
  self->thread = g_thread_try_new ("ptl-watchdog", watch_thread, self, &local_error);
  if (self->thread == NULL)
    {
      g_cancellable_disconnect (self->cancellable, self->cancelled_id);
      self->cancelled_id = 0;
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("Could not start the deadlock watchdog: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

void
ptl_deadlock_watchdog_stop (PtlDeadlockWatchdog *self)
{
  g_return_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (g_steal_pointer (&self->thread));
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
}

gboolean
ptl_deadlock_watchdog_found (PtlDeadlockWatchdog *self)
{
  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), FALSE);
  return self->thread == NULL && self->cycle->len > 0;
}

guint
ptl_deadlock_watchdog_get_cycle (PtlDeadlockWatchdog  *self,
                                 const guint         **threads,
                                 const guint32       **objects)
{
  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), 0);
  g_return_val_if_fail (self->thread == NULL, 0);

  if (threads != NULL)
    *threads = (const guint *) (gpointer) self->cycle_threads->data;
  if (objects != NULL)
    *objects = (const guint32 *) (gpointer) self->cycle_objects->data;
  return self->cycle->len;
}

double
ptl_deadlock_watchdog_get_formed_ns (PtlDeadlockWatchdog *self)
{
  gint64 formed = G_MININT64;

  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), NAN);

  if (self->cycle->len == 0)
    return NAN;
  for (guint i = 0; i < self->cycle->len; i++)
    formed = MAX (formed, g_array_index (self->cycle, Link, i).since);
  return ptl_thread_recorder_ticks_to_ns (self->recorder, formed);
}

double
ptl_deadlock_watchdog_get_detected_ns (PtlDeadlockWatchdog *self)
{
  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), NAN);
  return self->cycle->len > 0 ? ptl_thread_recorder_ticks_to_ns (self->recorder, self->detected) : NAN;
}

static const char *
thread_name (PtlDeadlockWatchdog *self,
             guint                thread)
{
  return ptl_thread_recorder_get_thread (self->recorder, thread)->name;
}

static const char *
object_name (PtlDeadlockWatchdog *self,
             guint32              object)
{
  return ptl_thread_recorder_get_object_name (self->recorder, object);
}

char *
ptl_deadlock_watchdog_dup_description (PtlDeadlockWatchdog *self)
{
  GString *text;

  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), NULL);

  if (self->thread != NULL || self->cycle->len == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < self->cycle->len; i++)
    {
      const Link *link = &g_array_index (self->cycle, Link, i);
      const Link *prev = &g_array_index (self->cycle, Link, (i + self->cycle->len - 1) % self->cycle->len);
      const Link *next = &g_array_index (self->cycle, Link, (i + 1) % self->cycle->len);

      if (i > 0)
        g_string_append (text, _("; "));
      /* TRANSLATORS: one link of a deadlock, e.g. "Philosopher 3 holds
       * Fork 3 and waits for Fork 4, held by Philosopher 4" */
      g_string_append_printf (text, _("%s holds %s and waits for %s, held by %s"),
                              thread_name (self, link->thread), object_name (self, prev->object),
                              object_name (self, link->object), thread_name (self, next->thread));
    }
  return g_string_free (text, FALSE);
}

/* The node of a thread or lock, added the first time it is asked for. */
static guint
graph_node (PtlGraph   *graph,
            GHashTable *nodes,
            guint       kind,
            guint64     key,
            const char *name,
            gboolean    highlight)
{
  gpointer value;

  if (g_hash_table_lookup_extended (nodes, &key, NULL, &value))
    return GPOINTER_TO_UINT (value);
  value = GUINT_TO_POINTER (ptl_graph_add_node (graph, kind, name, highlight));
  g_hash_table_insert (nodes, g_memdup2 (&key, sizeof key), value);
  return GPOINTER_TO_UINT (value);
}

static gboolean
link_in_cycle (GArray  *cycle,
               guint    thread,
               guint32  object,
               gboolean hold)
{
  for (guint i = 0; i < cycle->len; i++)
    {
      const Link *link = &g_array_index (cycle, Link, i);
      const Link *next = &g_array_index (cycle, Link, (i + 1) % cycle->len);

      if (link->object == object && (hold ? next->thread : link->thread) == thread)
        return TRUE;
    }
  return FALSE;
}

PtlGraph *
ptl_deadlock_watchdog_dup_graph (PtlDeadlockWatchdog *self)
{
  g_autoptr(GHashTable) nodes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  PtlGraph *graph;
  guint thread_kind, lock_kind, holds, waits;

  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), NULL);

  if (self->thread != NULL || self->cycle->len == 0)
    return NULL;

  graph = ptl_graph_new ();
  thread_kind = ptl_graph_add_node_kind (graph, _("Thread"), PTL_GRAPH_SHAPE_ROUND);
  lock_kind = ptl_graph_add_node_kind (graph, _("Lock"), PTL_GRAPH_SHAPE_BOX);
  holds = ptl_graph_add_edge_kind (graph, _("Held by (lock → thread)"), FALSE);
  waits = ptl_graph_add_edge_kind (graph, _("Waits for (thread → lock)"), TRUE);
  ptl_graph_set_highlight_label (graph, _("Deadlock cycle"));

  /* The cycle first, thread then the lock it waits for, so a drawing
   * that places nodes in order draws it as a ring. Keys: threads by
   * lane, locks by id above them. */
  for (guint i = 0; i < self->cycle->len; i++)
    {
      const Link *link = &g_array_index (self->cycle, Link, i);

      graph_node (graph, nodes, thread_kind, link->thread, thread_name (self, link->thread), TRUE);
      graph_node (graph, nodes, lock_kind, G_GUINT64_CONSTANT (1) << 32 | link->object,
                  object_name (self, link->object), TRUE);
    }
  for (guint i = 0; i < self->holds->len; i++)
    {
      const Link *link = &g_array_index (self->holds, Link, i);
      gboolean in_cycle = link_in_cycle (self->cycle, link->thread, link->object, TRUE);
      guint lock = graph_node (graph, nodes, lock_kind, G_GUINT64_CONSTANT (1) << 32 | link->object,
                               object_name (self, link->object), FALSE);
      guint thread = graph_node (graph, nodes, thread_kind, link->thread, thread_name (self, link->thread), FALSE);

      ptl_graph_add_edge (graph, holds, lock, thread, in_cycle);
    }
  for (guint i = 0; i < self->waits->len; i++)
    {
      const Link *link = &g_array_index (self->waits, Link, i);
      gboolean in_cycle = link_in_cycle (self->cycle, link->thread, link->object, FALSE);
      guint thread = graph_node (graph, nodes, thread_kind, link->thread, thread_name (self, link->thread), FALSE);
      guint lock = graph_node (graph, nodes, lock_kind, G_GUINT64_CONSTANT (1) << 32 | link->object,
                               object_name (self, link->object), FALSE);

      ptl_graph_add_edge (graph, waits, thread, lock, in_cycle);
    }
  return graph;
}

gboolean
ptl_deadlock_watchdog_add_chart (PtlDeadlockWatchdog *self,
                                 PtlResult           *result,
                                 const char          *id,
                                 const char          *title)
{
  PtlGraph *graph;

  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), FALSE);
  g_return_val_if_fail (PTL_IS_RESULT (result), FALSE);
  g_return_val_if_fail (id != NULL && title != NULL, FALSE);

  graph = ptl_deadlock_watchdog_dup_graph (self);
  if (graph == NULL)
    return FALSE;
  ptl_chart_set_graph (ptl_result_add_chart (result, id, PTL_CHART_GRAPH, title), graph);
  return TRUE;
}

gint64
ptl_deadlock_watchdog_get_cpu_ns (PtlDeadlockWatchdog *self)
{
  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), 0);
  return self->cpu_ns;
}

gint64
ptl_deadlock_watchdog_get_wall_ns (PtlDeadlockWatchdog *self)
{
  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), 0);
  return self->wall_ns;
}

guint64
ptl_deadlock_watchdog_get_n_looks (PtlDeadlockWatchdog *self)
{
  g_return_val_if_fail (PTL_IS_DEADLOCK_WATCHDOG (self), 0);
  return self->n_looks;
}
