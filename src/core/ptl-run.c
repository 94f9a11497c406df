/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-run"

#include "config.h"

#include <glib/gi18n.h>

#include "ptl-machine.h"
#include "ptl-run.h"

/* A run is shared by the worker (which reports) and the caller's main
 * context (which receives). Progress is coalesced: while one delivery is
 * pending, newer reports only replace the fraction and message. A new
 * message (a new phase) goes out at once; reports that only move the
 * fraction come at most every DELIVERY_INTERVAL_US: each delivery copies
 * the result and makes a window redraw, CPU time taken from the very
 * experiment being measured. */
#define DELIVERY_INTERVAL_US (100 * G_TIME_SPAN_MILLISECOND)

struct _PtlRun
{
  GObject          parent_instance;

  /* owned */
  PtlResult       *result;
  GCancellable    *cancellable;
  GMainContext    *context;

  /* guarded by mutex */
  GMutex           mutex;
  PtlProgressFunc  progress;
  gpointer         progress_data;
  GDestroyNotify   progress_notify;
  double           fraction;
  char            *message;
  GSource         *pending;       /* the delivery on its way, if any */
  gint64           last_delivery_us;
};

G_DEFINE_FINAL_TYPE (PtlRun, ptl_run, G_TYPE_OBJECT)

static gboolean
deliver_cb (gpointer data)
{
  PtlRun *self = data;
  g_autoptr(PtlResult) snapshot = NULL;
  g_autofree char *message = NULL;
  PtlProgressFunc progress;
  gpointer progress_data;
  double fraction;

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->pending, g_source_unref);
  self->last_delivery_us = g_get_monotonic_time ();
  progress = self->progress;
  progress_data = self->progress_data;
  fraction = self->fraction;
  message = g_strdup (self->message);
  g_mutex_unlock (&self->mutex);

  if (progress == NULL || self->result == NULL)
    return G_SOURCE_REMOVE;

  snapshot = ptl_result_copy (self->result);
  progress (snapshot, fraction, message, progress_data);
  return G_SOURCE_REMOVE;
}

static void
schedule_delivery (PtlRun   *self,
                   gboolean  new_message)
{
  g_autoptr(GSource) source = NULL;
  g_autoptr(GSource) hasten = NULL;
  gint64 wait_us = 0;

  g_mutex_lock (&self->mutex);
  if (self->progress != NULL && self->pending == NULL)
    {
      if (!new_message && self->last_delivery_us != 0)
        wait_us = self->last_delivery_us + DELIVERY_INTERVAL_US - g_get_monotonic_time ();
      source = g_timeout_source_new ((guint) ((MAX (wait_us, 0) + 999) / 1000));
      self->pending = g_source_ref (source);
    }
  else if (new_message && self->pending != NULL)
    {
      hasten = g_source_ref (self->pending);
    }
  g_mutex_unlock (&self->mutex);

  if (source != NULL)
    {
      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, deliver_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[ptlab] run progress");
      g_source_attach (source, self->context);
    }
  /* A new phase does not wait for the interval. */
  if (hasten != NULL)
    g_source_set_ready_time (hasten, 0);
}

static void
ptl_run_finalize (GObject *object)
{
  PtlRun *self = (PtlRun *) object;

  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  g_clear_pointer (&self->pending, g_source_unref);
  g_clear_object (&self->result);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->message);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ptl_run_parent_class)->finalize (object);
}

static void
ptl_run_class_init (PtlRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_run_finalize;
}

static void
ptl_run_init (PtlRun *self)
{
  g_mutex_init (&self->mutex);
}

PtlRun *
ptl_run_new (PtlResult       *result,
             GCancellable    *cancellable,
             GMainContext    *context,
             PtlProgressFunc  progress,
             gpointer         progress_data,
             GDestroyNotify   progress_notify)
{
  PtlRun *self;

  g_return_val_if_fail (PTL_IS_RESULT (result), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (PTL_TYPE_RUN, NULL);
  self->result = g_object_ref (result);
  self->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  self->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  self->progress = progress;
  self->progress_data = progress_data;
  self->progress_notify = progress_notify;
  return self;
}

PtlResult *
ptl_run_get_result (PtlRun *self)
{
  g_return_val_if_fail (PTL_IS_RUN (self), NULL);
  return self->result;
}

GCancellable *
ptl_run_get_cancellable (PtlRun *self)
{
  g_return_val_if_fail (PTL_IS_RUN (self), NULL);
  return self->cancellable;
}

gboolean
ptl_run_is_cancelled (PtlRun *self)
{
  g_return_val_if_fail (PTL_IS_RUN (self), TRUE);
  return g_cancellable_is_cancelled (self->cancellable);
}

gboolean
ptl_run_set_error_if_cancelled (PtlRun  *self,
                                GError **error)
{
  g_return_val_if_fail (PTL_IS_RUN (self), TRUE);
  return g_cancellable_set_error_if_cancelled (self->cancellable, error);
}

void
ptl_run_progress (PtlRun     *self,
                  double      fraction,
                  const char *format,
                  ...)
{
  char *message = NULL;
  gboolean new_message;

  g_return_if_fail (PTL_IS_RUN (self));

  if (format != NULL)
    {
      va_list args;

      va_start (args, format);
      message = g_strdup_vprintf (format, args);
      va_end (args);
    }

  g_mutex_lock (&self->mutex);
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  new_message = message != NULL && g_strcmp0 (message, self->message) != 0;
  if (message != NULL)
    {
      g_free (self->message);
      self->message = message;
    }
  g_mutex_unlock (&self->mutex);

  schedule_delivery (self, new_message);
}

void
ptl_run_close (PtlRun *self)
{
  GDestroyNotify notify;
  gpointer data;

  g_return_if_fail (PTL_IS_RUN (self));

  g_mutex_lock (&self->mutex);
  notify = self->progress_notify;
  data = self->progress_data;
  self->progress = NULL;
  self->progress_notify = NULL;
  self->progress_data = NULL;
  g_mutex_unlock (&self->mutex);

  /* Deliveries still queued hold the run, not the result: the caller of
   * finish owns the result alone. */
  g_clear_object (&self->result);

  if (notify != NULL)
    notify (data);
}

void
ptl_run_warn_if_virtual (PtlRun *self)
{
  const char *name;

  g_return_if_fail (PTL_IS_RUN (self));

  if (self->result == NULL || !ptl_machine_is_virtual (ptl_result_get_machine (self->result), &name))
    return;
  ptl_result_add_warning (self->result,
                          _("This ran in a virtual machine (%s). An idle virtual CPU halts, and waking it "
                            "(for a message, a new thread or child, a thread's turn) is a virtual interrupt "
                            "through the hypervisor, which may also run something else on that CPU: "
                            "wake-ups across CPUs, creation costs and pauses are larger and vary more than "
                            "on bare metal."),
                          name);
}
