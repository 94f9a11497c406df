/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-clock"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/resource.h>

#include "ptl-clock.h"

static gint64
rusage_cpu_ns (int who)
{
  struct rusage usage;

  if (getrusage (who, &usage) != 0)
    return 0;
  return ((gint64) usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_GINT64_CONSTANT (1000000000) +
         ((gint64) usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

gint64
ptl_clock_process_cpu_ns (void)
{
  return rusage_cpu_ns (RUSAGE_SELF);
}

gint64
ptl_clock_children_cpu_ns (void)
{
  return rusage_cpu_ns (RUSAGE_CHILDREN);
}

gboolean
ptl_clock_sleep_ns (gint64        ns,
                    GCancellable *cancellable)
{
  gint64 deadline = ptl_clock_now_ns () + ns;
  GPollFD cancel_fd = { -1, G_IO_IN, 0 };
  gboolean have_fd;

  have_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd);

  for (;;)
    {
      gint64 left = deadline - ptl_clock_now_ns ();
      struct timespec ts;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (left <= 0)
        break;

      if (have_fd)
        {
          struct pollfd pfd = { cancel_fd.fd, POLLIN, 0 };

          ts.tv_sec = left / 1000000000;
          ts.tv_nsec = left % 1000000000;
          if (ppoll (&pfd, 1, &ts, NULL) > 0)
            break;
        }
      else
        {
          ts.tv_sec = left / 1000000000;
          ts.tv_nsec = left % 1000000000;
          nanosleep (&ts, NULL);
        }
    }

  if (have_fd)
    g_cancellable_release_fd (cancellable);

  return !g_cancellable_is_cancelled (cancellable);
}

typedef struct
{
  GSource       source;
  GCancellable *cancellable;
  gboolean      has_fd;
} CancelSource;

/* Without a descriptor (none left) the loop looks every 10 ms. */
#define CANCEL_SOURCE_POLL_MS 10

static gboolean
cancel_source_prepare (GSource *source,
                       gint    *timeout)
{
  CancelSource *self = (CancelSource *) source;

  *timeout = self->has_fd ? -1 : CANCEL_SOURCE_POLL_MS;
  return g_cancellable_is_cancelled (self->cancellable);
}

static gboolean
cancel_source_check (GSource *source)
{
  return g_cancellable_is_cancelled (((CancelSource *) source)->cancellable);
}

static gboolean
cancel_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  CancelSource *self = (CancelSource *) source;

  if (callback == NULL)
    return G_SOURCE_REMOVE;
  return ((GCancellableSourceFunc) (void (*) (void)) callback) (self->cancellable, user_data);
}

static void
cancel_source_finalize (GSource *source)
{
  CancelSource *self = (CancelSource *) source;

  if (self->has_fd)
    g_cancellable_release_fd (self->cancellable);
  g_object_unref (self->cancellable);
}

GSource *
ptl_cancellable_source_new (GCancellable *cancellable)
{
  static GSourceFuncs funcs = {
    cancel_source_prepare, cancel_source_check, cancel_source_dispatch, cancel_source_finalize, NULL, NULL,
  };
  GSource *source;
  CancelSource *self;
  int fd;

  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);

  source = g_source_new (&funcs, sizeof (CancelSource));
  g_source_set_static_name (source, "PtlCancellableSource");
  self = (CancelSource *) source;
  self->cancellable = g_object_ref (cancellable);
  fd = g_cancellable_get_fd (cancellable);
  self->has_fd = fd >= 0;
  if (self->has_fd)
    g_source_add_unix_fd (source, fd, G_IO_IN);
  return source;
}
