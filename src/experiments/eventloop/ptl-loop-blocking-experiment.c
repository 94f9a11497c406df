/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-loop-blocking-experiment"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <math.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "ptl-kernel.h"
#include "ptl-kernel-calibrate.h"
#include "ptl-loop-blocking-experiment.h"

/* "Blocking the loop": one GLib main loop serves a steady stream of short
 * requests while one request handler in every few misbehaves, and a probe
 * measures how late the loop answers.
 *
 * Method. The loop thread owns a private GMainContext with three sources:
 * the probe, a timerfd firing every probe-us on an absolute CLOCK_MONOTONIC
 * grid (a file descriptor, so its wake-ups are not rounded to GLib's
 * millisecond timeouts), whose lateness against its grid is the loop lag;
 * the server end of a UNIX socket pair; and the run's cancellable. A client
 * thread sends 16-byte requests at request-rate on a fixed schedule (open
 * loop: it never waits for replies before sending), marks one every
 * bad-every-ms as the bad one, and times each reply from the moment its
 * request was scheduled, so requests that queued behind a stalled loop
 * count their whole wait (no coordinated omission). */

struct _PtlLoopBlockingExperiment
{
  PtlExperiment  parent_instance;

  /* parameters */
  PtlLoopHandler handler;
  guint          block_ms;
  guint          bad_every_ms;
  guint          request_rate;
  guint          duration_ms;
  guint          probe_us;
};

enum {
  PROP_0,
  PROP_HANDLER,
  PROP_BLOCK_MS,
  PROP_BAD_EVERY_MS,
  PROP_REQUEST_RATE,
  PROP_DURATION_MS,
  PROP_PROBE_US,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlLoopBlockingExperiment, ptl_loop_blocking_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define N_HANDLERS           PTL_LOOP_HANDLER_ALL
#define NS_PER_MS            G_GINT64_CONSTANT (1000000)
#define NS_PER_S             G_GINT64_CONSTANT (1000000000)
#define IDLE_PROBE_NS        (300 * NS_PER_MS)
/* After the last request: how long late replies may take to come back. */
#define DRAIN_GRACE_NS       (1000 * NS_PER_MS)
#define THROUGHPUT_BIN_NS    (100 * NS_PER_MS)
#define PROGRESS_EVERY_MS    100
#define CALIBRATION_TRIALS   6
#define CALIBRATION_TRIAL_NS (5 * NS_PER_MS)
#define KERNEL_SEED          G_GUINT64_CONSTANT (0x1009)
#define FLAG_BAD             1u
#define FLAG_END             2u

static const char * const handler_ids[] = { "await", "sleep", "compute", "thread" };
static const char * const handler_labels[] = {
  N_("Awaits a timer"),
  N_("Sleeps in the loop"),
  N_("Computes in the loop"),
  N_("Computes in a thread"),
};

enum {
  COLUMN_HANDLER,
  COLUMN_LAG_P50,
  COLUMN_LAG_P99,
  COLUMN_LAG_MAX,
  COLUMN_MISSED,
  COLUMN_LATENCY_P50,
  COLUMN_LATENCY_P99,
  COLUMN_COMPLETED,
  COLUMN_BAD_LATENCY,
  COLUMN_LOOP_CPU,
};

/* On the wire, both ways. */
typedef struct
{
  guint32 id;
  guint32 flags;
  gint64  scheduled_ns; /* when the client meant to send it */
} Message;

/* What one handler's turn measured. */
typedef struct
{
  GArray *lag_t;       /* double seconds since the turn began */
  GArray *lag;         /* double seconds */
  GArray *latency;     /* double seconds, good requests */
  GArray *bad_latency; /* double seconds, the misbehaving ones */
  GArray *completed;   /* double replies per second, per THROUGHPUT_BIN_NS */
  guint64 missed_ticks;
  guint   sent;
  double  loop_cpu_s;
  double  client_cpu_s;
  double  seconds;
} Turn;

typedef struct
{
  /* borrowed */
  PtlRun         *run;
  GCancellable   *stop;

  /* fixed for the run */
  PtlLoopHandler  handler;
  gint64          block_ns;
  gint64          bad_every_ns;
  gint64          send_every_ns;
  gint64          duration_ns;
  gint64          probe_ns;
  double          steps_per_ms;
  guint64         kernel_state; /* kept so the arithmetic is not optimised away */

  /* this turn, on the loop thread */
  GMainContext   *context;
  int             server_fd;
  int             client_fd;
  int             timer_fd;
  gint64          timer_start_ns;
  guint64         ticks_seen;
  GByteArray     *in;
  GByteArray     *out;
  GSource        *out_source;
  guint           owed;          /* bad requests awaiting their reply */
  guint           in_flight;     /* of which computing in a worker thread */
  gboolean        client_done;
  gboolean        cancelled;
  Turn           *turn;
  gint64          turn_start_ns;
  double          progress_base;
  double          progress_span;
} Lab;

static void
turn_init (Turn *turn)
{
  turn->lag_t = g_array_new (FALSE, FALSE, sizeof (double));
  turn->lag = g_array_new (FALSE, FALSE, sizeof (double));
  turn->latency = g_array_new (FALSE, FALSE, sizeof (double));
  turn->bad_latency = g_array_new (FALSE, FALSE, sizeof (double));
  turn->completed = g_array_new (FALSE, TRUE, sizeof (double));
}

static void
turn_clear (Turn *turn)
{
  g_clear_pointer (&turn->lag_t, g_array_unref);
  g_clear_pointer (&turn->lag, g_array_unref);
  g_clear_pointer (&turn->latency, g_array_unref);
  g_clear_pointer (&turn->bad_latency, g_array_unref);
  g_clear_pointer (&turn->completed, g_array_unref);
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* The arithmetic kernel for @ns of one core's time; FALSE when stopped. */
static gboolean
compute_for (Lab          *lab,
             gint64        ns,
             GCancellable *cancellable)
{
  guint64 left = MAX (1, (guint64) llround (lab->steps_per_ms * ns / (double) NS_PER_MS));
  guint64 state = KERNEL_SEED;

  while (left > 0)
    {
      guint64 n = MIN (left, (guint64) PTL_KERNEL_BLOCK * 16);

      state = ptl_kernel_run (state, n);
      left -= n;
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
    }
  /* Any use of the result keeps the loop; this one is cheap. */
  lab->kernel_state ^= state;
  return TRUE;
}

/* The loop's side */

static gboolean out_ready_cb (int fd, GIOCondition condition, gpointer user_data);

static void
flush_out (Lab *lab)
{
  while (lab->out->len > 0)
    {
      /* MSG_NOSIGNAL: a client gone at cancel is an error, not SIGPIPE. */
      ssize_t n = send (lab->server_fd, lab->out->data, lab->out->len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_byte_array_remove_range (lab->out, 0, (guint) n);
    }

  /* A full socket buffer waits for the client, without blocking the loop. */
  if (lab->out->len > 0 && lab->out_source == NULL)
    {
      lab->out_source = g_unix_fd_source_new (lab->server_fd, G_IO_OUT);
      g_source_set_callback (lab->out_source, G_SOURCE_FUNC (out_ready_cb), lab, NULL);
      g_source_attach (lab->out_source, lab->context);
    }
}

static gboolean
out_ready_cb (int          fd,
              GIOCondition condition,
              gpointer     user_data)
{
  Lab *lab = user_data;

  g_clear_pointer (&lab->out_source, g_source_unref);
  flush_out (lab);
  return G_SOURCE_REMOVE;
}

static void
reply (Lab           *lab,
       const Message *request)
{
  g_byte_array_append (lab->out, (const guint8 *) request, sizeof *request);
  if (lab->out_source == NULL)
    flush_out (lab);
}

typedef struct
{
  Lab     *lab;
  Message  request;
} Pending;

static gboolean
timer_reply_cb (gpointer user_data)
{
  Pending *pending = user_data;

  pending->lab->owed--;
  reply (pending->lab, &pending->request);
  return G_SOURCE_REMOVE;
}

static void
thread_compute (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Pending *pending = task_data;

  g_task_return_boolean (task, compute_for (pending->lab, pending->lab->block_ns, cancellable));
}

static void
thread_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Pending *pending = g_task_get_task_data (G_TASK (result));

  pending->lab->in_flight--;
  pending->lab->owed--;
  if (g_task_propagate_boolean (G_TASK (result), NULL))
    reply (pending->lab, &pending->request);
}

/* The misbehaving handler, in each of its ways. */
static void
handle_bad (Lab           *lab,
            const Message *request)
{
  Pending *pending;

  switch (lab->handler)
    {
    case PTL_LOOP_HANDLER_AWAIT:
      pending = g_new (Pending, 1);
      pending->lab = lab;
      pending->request = *request;
      {
        g_autoptr(GSource) timer = g_timeout_source_new ((guint) (lab->block_ns / NS_PER_MS));

        g_source_set_callback (timer, timer_reply_cb, pending, g_free);
        g_source_attach (timer, lab->context);
        lab->owed++;
      }
      break;

    case PTL_LOOP_HANDLER_SLEEP:
      /* Wakes early only to cancel; the loop stands still meanwhile. */
      if (ptl_clock_sleep_ns (lab->block_ns, lab->stop))
        reply (lab, request);
      break;

    case PTL_LOOP_HANDLER_COMPUTE:
      if (compute_for (lab, lab->block_ns, lab->stop))
        reply (lab, request);
      break;

    case PTL_LOOP_HANDLER_THREAD:
      {
        g_autoptr(GTask) task = g_task_new (NULL, lab->stop, thread_done_cb, NULL);

        pending = g_new (Pending, 1);
        pending->lab = lab;
        pending->request = *request;
        g_task_set_task_data (task, pending, g_free);
        lab->in_flight++;
        lab->owed++;
        g_task_run_in_thread (task, thread_compute);
      }
      break;

    case PTL_LOOP_HANDLER_ALL:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
requests_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Lab *lab = user_data;
  guint8 buffer[4096];
  ssize_t n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_byte_array_append (lab->in, buffer, (guint) n);
  if (n == 0)
    lab->client_done = TRUE;

  /* A stream may split a message: whole ones only. */
  while (lab->in->len >= sizeof (Message) && !lab->cancelled)
    {
      Message request;

      memcpy (&request, lab->in->data, sizeof request);
      g_byte_array_remove_range (lab->in, 0, sizeof request);
      if (request.flags & FLAG_END)
        lab->client_done = TRUE;
      else if (request.flags & FLAG_BAD)
        handle_bad (lab, &request);
      else
        reply (lab, &request);
    }
  return lab->client_done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* Lag is measured against the oldest expiry not yet served: a loop that
 * missed several ticks is as late as the first of them. */
static gboolean
probe_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  Lab *lab = user_data;
  gint64 now = ptl_clock_now_ns ();
  gint64 due = lab->timer_start_ns + (gint64) lab->ticks_seen * lab->probe_ns;
  guint64 expirations = 0;
  double t, lag;

  if (read (fd, &expirations, sizeof expirations) != sizeof expirations || expirations == 0)
    return G_SOURCE_CONTINUE;
  lab->ticks_seen += expirations;
  lab->turn->missed_ticks += expirations - 1;

  t = (now - lab->turn_start_ns) / (double) NS_PER_S;
  lag = MAX (0, now - due) / (double) NS_PER_S;
  g_array_append_val (lab->turn->lag_t, t);
  g_array_append_val (lab->turn->lag, lag);
  return G_SOURCE_CONTINUE;
}

static gboolean
progress_cb (gpointer user_data)
{
  Lab *lab = user_data;
  double done = (ptl_clock_now_ns () - lab->turn_start_ns) / (double) lab->duration_ns;

  ptl_run_progress (lab->run, lab->progress_base + lab->progress_span * MIN (done, 1.0),
                    _("Handler: %s"), _(handler_labels[lab->handler]));
  return G_SOURCE_CONTINUE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Lab *lab = user_data;

  lab->cancelled = TRUE;
  return G_SOURCE_REMOVE;
}

/* The client */

typedef struct
{
  Lab     *lab;
  Turn    *turn;
  gboolean send;        /* FALSE: the idle probe, no requests */
  gint64   start_ns;
  gint64   duration_ns;
  guint8   partial[sizeof (Message)]; /* a reply split by the stream */
  gsize    partial_len;
} Client;

static gboolean
write_all (int         fd,
           const void *data,
           gsize       length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      ssize_t n = send (fd, p, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static void
account_reply (Client        *client,
               const Message *message,
               guint         *replied)
{
  gint64 now = ptl_clock_now_ns ();
  double latency = (now - message->scheduled_ns) / (double) NS_PER_S;
  guint bin = (guint) ((now - client->start_ns) / THROUGHPUT_BIN_NS);

  if (message->flags & FLAG_BAD)
    g_array_append_val (client->turn->bad_latency, latency);
  else
    g_array_append_val (client->turn->latency, latency);
  if (bin >= client->turn->completed->len)
    g_array_set_size (client->turn->completed, bin + 1);
  g_array_index (client->turn->completed, double, bin) += 1;
  (*replied)++;
}

/* Reads the replies that are there, waiting at most until @until_ns. */
static void
read_replies (Client *client,
              gint64  until_ns,
              guint  *replied)
{
  Lab *lab = client->lab;
  struct pollfd pfd = { lab->client_fd, POLLIN, 0 };
  gint64 wait_ns = MAX (0, until_ns - ptl_clock_now_ns ());
  struct timespec timeout = { wait_ns / NS_PER_S, wait_ns % NS_PER_S };
  guint8 buffer[64 * sizeof (Message)];
  ssize_t n;

  if (ppoll (&pfd, 1, &timeout, NULL) <= 0)
    return;
  n = read (lab->client_fd, buffer, sizeof buffer);
  for (ssize_t i = 0; i < n; i++)
    {
      client->partial[client->partial_len++] = buffer[i];
      if (client->partial_len == sizeof (Message))
        {
          Message message;

          memcpy (&message, client->partial, sizeof message);
          client->partial_len = 0;
          account_reply (client, &message, replied);
        }
    }
}

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  Lab *lab = client->lab;
  gint64 cpu_start = ptl_clock_thread_cpu_ns ();
  gint64 end = client->start_ns + client->duration_ns;
  gint64 next_bad = client->start_ns + lab->bad_every_ns / 2;
  guint replied = 0;
  guint32 id = 0;
  Message end_message = { 0, FLAG_END, 0 };

  while (client->send && !g_cancellable_is_cancelled (lab->stop))
    {
      gint64 scheduled = client->start_ns + (gint64) id * lab->send_every_ns;
      Message request = { id, 0, scheduled };

      if (scheduled >= end)
        break;
      while (ptl_clock_now_ns () < scheduled && !g_cancellable_is_cancelled (lab->stop))
        read_replies (client, scheduled, &replied);
      if (scheduled >= next_bad)
        {
          request.flags = FLAG_BAD;
          next_bad += lab->bad_every_ns;
        }
      if (!write_all (lab->client_fd, &request, sizeof request))
        break;
      id++;
    }
  client->turn->sent = id;

  if (!client->send)
    ptl_clock_sleep_ns (end - ptl_clock_now_ns (), lab->stop);
  write_all (lab->client_fd, &end_message, sizeof end_message);

  /* Late replies, up to the slowest handler's time and a grace. */
  end = ptl_clock_now_ns () + lab->block_ns + DRAIN_GRACE_NS;
  while (replied < id && ptl_clock_now_ns () < end && !g_cancellable_is_cancelled (lab->stop))
    read_replies (client, end, &replied);

  client->turn->client_cpu_s = (ptl_clock_thread_cpu_ns () - cpu_start) / (double) NS_PER_S;
  return NULL;
}

/* One turn of one handler (or, without requests, the idle probe). */
static gboolean
run_turn (Lab      *lab,
          Turn     *turn,
          gboolean  send,
          gint64    duration_ns,
          GError  **error)
{
  struct itimerspec grid = { { 0, 0 }, { 0, 0 } };
  g_autoptr(GSource) probe = NULL;
  g_autoptr(GSource) requests = NULL;
  g_autoptr(GSource) progress = NULL;
  g_autoptr(GSource) cancel = NULL;
  GThread *thread = NULL;
  Client client = { lab, turn, send, 0, duration_ns, { 0 }, 0 };
  int fds[2];
  gint64 cpu_start;
  gboolean ok = FALSE;

  lab->turn = turn;
  lab->server_fd = lab->client_fd = lab->timer_fd = -1;
  lab->ticks_seen = 0;
  lab->owed = 0;
  lab->client_done = FALSE;
  lab->in = g_byte_array_new ();
  lab->out = g_byte_array_new ();
  lab->context = g_main_context_new ();
  g_main_context_push_thread_default (lab->context);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make the socket pair the requests travel on: %s"), g_strerror (saved));
      goto out;
    }
  lab->server_fd = fds[0];
  lab->client_fd = fds[1];
  if (!g_unix_set_fd_nonblocking (lab->server_fd, TRUE, error))
    goto out;

  lab->timer_fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (lab->timer_fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make the probe's timer: %s"), g_strerror (saved));
      goto out;
    }

  probe = g_unix_fd_source_new (lab->timer_fd, G_IO_IN);
  g_source_set_callback (probe, G_SOURCE_FUNC (probe_cb), lab, NULL);
  /* The probe outranks requests, so it measures the loop, not the queue. */
  g_source_set_priority (probe, G_PRIORITY_HIGH);
  g_source_attach (probe, lab->context);
  requests = g_unix_fd_source_new (lab->server_fd, G_IO_IN);
  g_source_set_callback (requests, G_SOURCE_FUNC (requests_cb), lab, NULL);
  g_source_attach (requests, lab->context);
  progress = g_timeout_source_new (PROGRESS_EVERY_MS);
  g_source_set_callback (progress, progress_cb, lab, NULL);
  g_source_attach (progress, lab->context);
  cancel = ptl_cancellable_source_new (lab->stop);
  g_source_set_callback (cancel, G_SOURCE_FUNC (cancelled_cb), lab, NULL);
  g_source_attach (cancel, lab->context);

  lab->turn_start_ns = ptl_clock_now_ns ();
  lab->timer_start_ns = lab->turn_start_ns + lab->probe_ns;
  grid.it_value.tv_sec = lab->timer_start_ns / NS_PER_S;
  grid.it_value.tv_nsec = lab->timer_start_ns % NS_PER_S;
  grid.it_interval.tv_sec = lab->probe_ns / NS_PER_S;
  grid.it_interval.tv_nsec = lab->probe_ns % NS_PER_S;
  if (timerfd_settime (lab->timer_fd, TFD_TIMER_ABSTIME, &grid, NULL) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not start the probe's timer: %s"), g_strerror (saved));
      goto out;
    }

  client.start_ns = lab->turn_start_ns;
  thread = g_thread_try_new ("ptl-loop-client", client_thread, &client, error);
  if (thread == NULL)
    goto out;

  cpu_start = ptl_clock_thread_cpu_ns ();
  while (!lab->cancelled && (!lab->client_done || lab->owed > 0))
    g_main_context_iteration (lab->context, TRUE);
  turn->loop_cpu_s = (ptl_clock_thread_cpu_ns () - cpu_start) / (double) NS_PER_S;
  turn->seconds = (ptl_clock_now_ns () - lab->turn_start_ns) / (double) NS_PER_S;
  ok = !g_cancellable_set_error_if_cancelled (lab->stop, error);

out:
  if (thread != NULL)
    {
      /* Unblocks a client stuck writing to a loop that stopped reading. */
      shutdown (lab->server_fd, SHUT_RDWR);
      g_thread_join (thread);
    }
  /* Worker threads stop at the cancellable; their callbacks must run
   * before the Lab they point to goes. */
  while (lab->in_flight > 0)
    g_main_context_iteration (lab->context, TRUE);
  if (lab->out_source != NULL)
    g_source_destroy (lab->out_source);
  g_clear_pointer (&lab->out_source, g_source_unref);
  if (probe != NULL)
    g_source_destroy (probe);
  if (requests != NULL)
    g_source_destroy (requests);
  if (progress != NULL)
    g_source_destroy (progress);
  if (cancel != NULL)
    g_source_destroy (cancel);
  /* Unreffing the context drops awaited timers that never fired. */
  g_main_context_pop_thread_default (lab->context);
  g_clear_pointer (&lab->context, g_main_context_unref);
  close_fd (&lab->timer_fd);
  close_fd (&lab->server_fd);
  close_fd (&lab->client_fd);
  g_clear_pointer (&lab->in, g_byte_array_unref);
  g_clear_pointer (&lab->out, g_byte_array_unref);
  lab->turn = NULL;
  return ok;
}

/* Results */

/* NAN everywhere for no samples, so the table shows a dash. */
static PtlStats
stats_of (GArray *values)
{
  PtlStats stats = { 0 };

  if (values->len == 0)
    stats.median = stats.p99 = stats.max = NAN;
  else
    ptl_stats_compute (&stats, (const double *) values->data, values->len);
  return stats;
}

static void
set_seconds (PtlTable *table,
             guint     row,
             guint     column,
             double    value)
{
  if (isnan (value))
    ptl_table_set_text (table, row, column, "–");
  else
    ptl_table_set_number (table, row, column, value);
}

static void
add_results (PtlResult   *result,
             Lab         *lab,
             const Turn  *turns,
             const guint *handlers,
             guint        n_handlers)
{
  const char *categories[N_HANDLERS + 1] = { NULL };
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *lag_chart, *latency_chart, *throughput_chart;
  PtlSeries *p50, *p99;
  double rate = NS_PER_S / (double) lab->send_every_ns;

  lag_chart = ptl_result_add_chart (result, "loop-lag", PTL_CHART_LINE, _("Loop lag: how late the probe's tick fired"));
  ptl_chart_set_x_axis (lag_chart, _("Time"), "s", FALSE);
  ptl_chart_set_y_axis (lag_chart, _("Lag"), "s", FALSE);
  ptl_chart_add_reference (lag_chart, PTL_REFERENCE_HORIZONTAL, lab->block_ns / (double) NS_PER_S,
                           _("Block length"));

  latency_chart = ptl_result_add_chart (result, "latency", PTL_CHART_BAR,
                                        _("Latency of the other requests"));
  ptl_chart_set_y_axis (latency_chart, _("Latency"), "s", TRUE);
  p50 = ptl_chart_add_series (latency_chart, _("Median"));
  p99 = ptl_chart_add_series (latency_chart, _("99th percentile"));

  throughput_chart = ptl_result_add_chart (result, "throughput", PTL_CHART_LINE,
                                           _("Requests completed per second"));
  ptl_chart_set_x_axis (throughput_chart, _("Time"), "s", FALSE);
  ptl_chart_set_y_axis (throughput_chart, _("Completed"), "ops/s", FALSE);
  ptl_chart_add_reference (throughput_chart, PTL_REFERENCE_HORIZONTAL, rate, _("Requests sent"));

  ptl_table_add_column (table, _("Handler"), NULL);
  ptl_table_add_column (table, _("Lag p50"), "s");
  ptl_table_add_column (table, _("Lag p99"), "s");
  ptl_table_add_column (table, _("Lag max"), "s");
  ptl_table_add_column (table, _("Missed ticks"), NULL);
  ptl_table_add_column (table, _("Latency p50"), "s");
  ptl_table_add_column (table, _("Latency p99"), "s");
  ptl_table_add_column (table, _("Completed"), "ops/s");
  ptl_table_add_column (table, _("Slow request"), "s");
  ptl_table_add_column (table, _("Loop CPU"), "s");

  for (guint i = 0; i < n_handlers; i++)
    {
      const Turn *turn = &turns[i];
      const char *label = _(handler_labels[handlers[i]]);
      PtlSeries *lag = ptl_chart_add_series (lag_chart, label);
      PtlSeries *completed = ptl_chart_add_series (throughput_chart, label);
      PtlStats lag_stats = stats_of (turn->lag);
      PtlStats latency_stats = stats_of (turn->latency);
      PtlStats bad_stats = stats_of (turn->bad_latency);
      guint row = ptl_table_add_row (table);
      g_autofree char *lag_name = g_strdup_printf ("lag-%s", handler_ids[handlers[i]]);
      g_autofree char *latency_name = g_strdup_printf ("latency-%s", handler_ids[handlers[i]]);

      categories[i] = label;
      for (guint k = 0; k < turn->lag->len; k++)
        ptl_series_add_point (lag, g_array_index (turn->lag_t, double, k), g_array_index (turn->lag, double, k));
      for (guint k = 0; k < turn->completed->len; k++)
        ptl_series_add_point (completed, (k + 0.5) * THROUGHPUT_BIN_NS / (double) NS_PER_S,
                              g_array_index (turn->completed, double, k) * NS_PER_S / THROUGHPUT_BIN_NS);
      ptl_series_add_point (p50, i, latency_stats.median);
      ptl_series_add_point (p99, i, latency_stats.p99);

      ptl_table_set_text (table, row, COLUMN_HANDLER, label);
      set_seconds (table, row, COLUMN_LAG_P50, lag_stats.median);
      set_seconds (table, row, COLUMN_LAG_P99, lag_stats.p99);
      set_seconds (table, row, COLUMN_LAG_MAX, lag_stats.max);
      ptl_table_set_number (table, row, COLUMN_MISSED, turn->missed_ticks);
      set_seconds (table, row, COLUMN_LATENCY_P50, latency_stats.median);
      set_seconds (table, row, COLUMN_LATENCY_P99, latency_stats.p99);
      ptl_table_set_number (table, row, COLUMN_COMPLETED,
                            (turn->latency->len + turn->bad_latency->len) / MAX (turn->seconds, 1e-9));
      set_seconds (table, row, COLUMN_BAD_LATENCY, bad_stats.median);
      ptl_table_set_number (table, row, COLUMN_LOOP_CPU, turn->loop_cpu_s);

      ptl_result_add_samples (result, lag_name, "s", (const double *) turn->lag->data, turn->lag->len);
      ptl_result_add_samples (result, latency_name, "s", (const double *) turn->latency->data, turn->latency->len);
    }
  ptl_chart_set_categories (latency_chart, categories);
}

static void
note_idle_probe (PtlResult  *result,
                 Lab        *lab,
                 const Turn *idle)
{
  PtlStats stats = stats_of (idle->lag);
  g_autofree char *p50 = ptl_format_value (stats.median, "s");
  g_autofree char *p99 = ptl_format_value (stats.p99, "s");
  g_autofree char *cost = ptl_format_value (idle->lag->len > 0 ? idle->loop_cpu_s / idle->lag->len : NAN, "s");
  g_autofree char *period = ptl_format_value (lab->probe_ns / (double) NS_PER_S, "s");

  ptl_result_add_note (result,
                       _("The probe on an idle loop, measured first: ticks every %s fired a median %s "
                         "late (p99 %s), and each tick cost the loop %s of CPU. Lag below that is the "
                         "probe's own resolution, not the handlers' doing."),
                       period, p50, p99, cost);
}

static gboolean
ptl_loop_blocking_experiment_run (PtlExperiment  *experiment,
                                  PtlRun         *run,
                                  GError        **error)
{
  PtlLoopBlockingExperiment *self = PTL_LOOP_BLOCKING_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  Lab lab = { 0 };
  Turn idle = { 0 };
  Turn turns[N_HANDLERS] = { { 0 } };
  guint handlers[N_HANDLERS];
  guint n_handlers = 0;
  guint n_done = 0;
  gboolean ok = FALSE;

  if (self->handler == PTL_LOOP_HANDLER_ALL)
    for (guint h = 0; h < N_HANDLERS; h++)
      handlers[n_handlers++] = h;
  else
    handlers[n_handlers++] = self->handler;

  lab.run = run;
  lab.stop = ptl_run_get_cancellable (run);
  lab.block_ns = self->block_ms * NS_PER_MS;
  lab.bad_every_ns = self->bad_every_ms * NS_PER_MS;
  lab.send_every_ns = MAX (1, NS_PER_S / self->request_rate);
  lab.duration_ns = self->duration_ms * NS_PER_MS;
  lab.probe_ns = self->probe_us * G_GINT64_CONSTANT (1000);

  ptl_run_progress (run, 0, _("Calibrating the arithmetic"));
  lab.kernel_state = KERNEL_SEED;
  if (!ptl_kernel_calibrate (&lab.kernel_state, CALIBRATION_TRIALS, CALIBRATION_TRIAL_NS,
                             lab.stop, &lab.steps_per_ms, error))
    return FALSE;

  ptl_run_progress (run, 0, _("Measuring the probe on an idle loop"));
  turn_init (&idle);
  lab.handler = PTL_LOOP_HANDLER_AWAIT;
  lab.progress_base = 0;
  lab.progress_span = 0;
  if (!run_turn (&lab, &idle, FALSE, IDLE_PROBE_NS, error))
    goto out;
  note_idle_probe (result, &lab, &idle);

  for (; n_done < n_handlers; n_done++)
    {
      turn_init (&turns[n_done]);
      lab.handler = handlers[n_done];
      lab.progress_base = n_done / (double) n_handlers;
      lab.progress_span = 1.0 / n_handlers;
      if (!run_turn (&lab, &turns[n_done], TRUE, lab.duration_ns, error))
        {
          turn_clear (&turns[n_done]);
          goto out;
        }
    }

  add_results (result, &lab, turns, handlers, n_handlers);
  ptl_result_add_note (result,
                       _("Latency is timed from the moment each request was due to be sent, not from when "
                         "the client got round to sending it, so requests that queued behind a stalled loop "
                         "count their whole wait. %u requests a second, one slow one every %u ms."),
                       self->request_rate, self->bad_every_ms);
  ptl_result_add_note (result,
                       _("The client thread used %.0f %% of a CPU to send and time the requests."),
                       100 * turns[0].client_cpu_s / MAX (turns[0].seconds, 1e-9));
  ok = TRUE;

out:
  turn_clear (&idle);
  for (guint i = 0; i < n_done; i++)
    turn_clear (&turns[i]);
  return ok;
}

static guint
ptl_loop_blocking_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlLoopBlockingExperiment *self = PTL_LOOP_BLOCKING_EXPERIMENT (experiment);
  guint workers = 0;

  /* The loop, the client, and the slow requests computing in worker
   * threads at once. */
  if (self->handler == PTL_LOOP_HANDLER_THREAD || self->handler == PTL_LOOP_HANDLER_ALL)
    workers = self->block_ms / MAX (self->bad_every_ms, 1) + 1;
  return 2 + workers;
}

static void
ptl_loop_blocking_experiment_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  PtlLoopBlockingExperiment *self = PTL_LOOP_BLOCKING_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_HANDLER:
      g_value_set_enum (value, self->handler);
      break;
    case PROP_BLOCK_MS:
      g_value_set_uint (value, self->block_ms);
      break;
    case PROP_BAD_EVERY_MS:
      g_value_set_uint (value, self->bad_every_ms);
      break;
    case PROP_REQUEST_RATE:
      g_value_set_uint (value, self->request_rate);
      break;
    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;
    case PROP_PROBE_US:
      g_value_set_uint (value, self->probe_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_loop_blocking_experiment_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  PtlLoopBlockingExperiment *self = PTL_LOOP_BLOCKING_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_HANDLER:
      ptl_param_store_enum (object, (int *) &self->handler, value, pspec);
      break;
    case PROP_BLOCK_MS:
      ptl_param_store_uint (object, &self->block_ms, value, pspec);
      break;
    case PROP_BAD_EVERY_MS:
      ptl_param_store_uint (object, &self->bad_every_ms, value, pspec);
      break;
    case PROP_REQUEST_RATE:
      ptl_param_store_uint (object, &self->request_rate, value, pspec);
      break;
    case PROP_DURATION_MS:
      ptl_param_store_uint (object, &self->duration_ms, value, pspec);
      break;
    case PROP_PROBE_US:
      ptl_param_store_uint (object, &self->probe_us, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_loop_blocking_experiment_class_init (PtlLoopBlockingExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "loop-lag", N_("Loop lag: how late the probe's tick fired") },
    { "latency", N_("Latency of the other requests") },
    { "throughput", N_("Requests completed per second") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_loop_blocking_experiment_get_property;
  object_class->set_property = ptl_loop_blocking_experiment_set_property;

  experiment_class->id = "loop-blocking";
  experiment_class->title = N_("Blocking the event loop");
  experiment_class->category = N_("Event loop");
  experiment_class->summary =
    N_("One GLib main loop serves a steady stream of short requests while one handler in every few "
       "takes a long time: awaiting a timer, sleeping, computing in the loop, or computing in a worker "
       "thread. A probe ticking every millisecond shows how late the loop answers, beside the latency "
       "and throughput of every other request.");
  experiment_class->explanation =
    N_("An event loop is one thread taking turns: it waits until some source is ready (a socket has "
       "data, a timer is due), runs that source's handler to its end, and waits again. The GLib main "
       "loop plays here the part asyncio's loop plays in Python, or libuv's in Node.js and uvicorn. "
       "The promise is that one thread serves thousands of connections, because a handler that waits "
       "for something hands the thread back to the loop instead of holding it. The catch is that "
       "nothing can take the thread away from a handler that does not hand it back.\n\n"
       "The four handlers. awaits: the slow request waits on a timer, as await asyncio.sleep () or an "
       "awaited database call does; the loop serves everyone else meanwhile and the lag stays flat. "
       "sleeps: the same wait as a blocking call in the loop thread, like time.sleep () or a "
       "synchronous HTTP client inside an async def; for block-ms nothing else runs, and every "
       "request that arrives meanwhile waits for it. computes: the handler does block-ms of "
       "arithmetic in the loop; the effect is the same, because an event loop has no preemption. "
       "thread: the arithmetic goes to a worker thread (g_task_run_in_thread, as loop.run_in_executor "
       "does, and as FastAPI does by itself for a plain def endpoint); the loop stays free, and only "
       "the slow request waits for its result.\n\n"
       "What to look at. Loop lag: a probe timer is due every probe-us; its lateness is how long the "
       "loop was busy with something else. An idle or well-behaved loop answers within tens of "
       "microseconds; a blocked one shows spikes as tall as block-ms. Latency of the other "
       "requests: their median barely moves when the slow handler sleeps (most requests miss the "
       "stall), but the 99th percentile jumps to about block-ms, which is what users of a busy "
       "service notice. Completed per second: the line dips to zero during each stall and catches up "
       "afterwards.\n\n"
       "How it is measured. A client thread sends 16-byte requests over a UNIX socket pair on a fixed "
       "schedule and times each reply from the moment its request was due (so a stall's backlog "
       "counts in full). The probe is a timerfd on an absolute grid, read by the loop at a higher "
       "priority than the requests; its resolution and cost on an idle loop are measured first and "
       "given in the notes. The computing handlers run the lab's arithmetic kernel, calibrated at the "
       "start of the run to take block-ms on one core. On a machine with one core the worker thread "
       "competes with the loop for the CPU, and the thread handler helps less.");

  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Lag max", PTL_HEADLINE_MAX);
  experiment_class->run = ptl_loop_blocking_experiment_run;
  experiment_class->count_tasks = ptl_loop_blocking_experiment_count_tasks;

  properties[PROP_HANDLER] =
    g_param_spec_enum ("handler", N_("Slow handler"),
                       N_("What the slow request's handler does for block-ms: await a timer, sleep in the "
                          "loop, compute in the loop, compute in a worker thread, or each in turn"),
                       PTL_TYPE_LOOP_HANDLER, PTL_LOOP_HANDLER_ALL, flags);
  {
    static const char * const labels[] = {
      N_("Awaits a timer"), N_("Sleeps in the loop"), N_("Computes in the loop"),
      N_("Computes in a thread"), N_("Each in turn"), NULL
    };

    ptl_param_set_choice_labels (properties[PROP_HANDLER], labels);
  }
  properties[PROP_BLOCK_MS] =
    g_param_spec_uint ("block-ms", N_("Slow request"),
                       N_("How long the slow request's handler waits or computes"),
                       1, 2000, 50, flags);
  ptl_param_set_unit (properties[PROP_BLOCK_MS], "ms");
  properties[PROP_BAD_EVERY_MS] =
    g_param_spec_uint ("bad-every-ms", N_("Slow request every"),
                       N_("How often a slow request arrives among the short ones"),
                       10, 10000, 250, flags);
  ptl_param_set_unit (properties[PROP_BAD_EVERY_MS], "ms");
  properties[PROP_REQUEST_RATE] =
    g_param_spec_uint ("request-rate", N_("Request rate"),
                       N_("Short requests the client sends a second, on a fixed schedule"),
                       10, 100000, 1000, flags);
  ptl_param_set_unit (properties[PROP_REQUEST_RATE], N_("requests/s"));
  properties[PROP_DURATION_MS] =
    g_param_spec_uint ("duration-ms", N_("Duration"),
                       N_("How long each handler is measured"),
                       200, 60000, 2000, flags);
  ptl_param_set_unit (properties[PROP_DURATION_MS], "ms");
  properties[PROP_PROBE_US] =
    g_param_spec_uint ("probe-us", N_("Probe period"),
                       N_("How often the probe timer is due; its lateness is the loop lag"),
                       100, 100000, 1000, flags);
  ptl_param_set_unit (properties[PROP_PROBE_US], "µs");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_loop_blocking_experiment_init (PtlLoopBlockingExperiment *self)
{
  self->handler = PTL_LOOP_HANDLER_ALL;
  self->block_ms = 50;
  self->bad_every_ms = 250;
  self->request_rate = 1000;
  self->duration_ms = 2000;
  self->probe_us = 1000;
}

GType
ptl_loop_handler_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_LOOP_HANDLER_AWAIT, "PTL_LOOP_HANDLER_AWAIT", "await" },
    { PTL_LOOP_HANDLER_SLEEP, "PTL_LOOP_HANDLER_SLEEP", "sleep" },
    { PTL_LOOP_HANDLER_COMPUTE, "PTL_LOOP_HANDLER_COMPUTE", "compute" },
    { PTL_LOOP_HANDLER_THREAD, "PTL_LOOP_HANDLER_THREAD", "thread" },
    { PTL_LOOP_HANDLER_ALL, "PTL_LOOP_HANDLER_ALL", "all" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlLoopHandler", values);
}
