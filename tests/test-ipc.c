/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ptl-ipc-experiment.h"
#include "ptl-ipc-private.h"
#include "ptl-test-util.h"

/* The "ipc" experiment and its mechanisms at small sizes: every mechanism
 * carries bytes intact (pieces, ring wrap-around and all), in both kinds
 * of peer; a run has every mechanism's latency and (but eventfd)
 * bandwidth; bandwidth grows with the message size; a same-CPU pipe round
 * trip is well under a millisecond; bad mechanism lists are refused. */

static const char * const all_names[] = {
  "pipe", "unix-stream", "unix-dgram", "tcp", "shm", "mqueue", "eventfd", NULL,
};

/* Transport: a plain thread echoes whatever comes, the test checks it. */

/* Sizes around every boundary: a byte, the datagram and queue units, and
 * enough in total to wrap the shm ring (256 KiB) several times. */
static const gsize transport_sizes[] = {
  1, 7, 64, 8191, 8192, 8193, 65535, 65536, 65537, 200000, 300000, 1, 262144, 5,
};

#define TRANSPORT_MAX 300000

static gpointer
echo_thread (gpointer data)
{
  PtlIpcChannel *channel = data;
  const PtlIpcMechanism *mechanism = channel->mechanism;
  g_autofree guint8 *buffer = g_malloc (TRANSPORT_MAX);

  for (guint i = 0; i < G_N_ELEMENTS (transport_sizes); i++)
    {
      gsize size = transport_sizes[i];

      if (mechanism->receive (channel, 1, buffer, size) < 0 ||
          mechanism->send (channel, 1, buffer, size) < 0)
        return GINT_TO_POINTER (1);
    }
  return NULL;
}

static void
test_transport (gconstpointer data)
{
  const PtlIpcMechanism *mechanism = ptl_ipc_lookup (data);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *out = g_malloc (TRANSPORT_MAX);
  g_autofree guint8 *in = g_malloc (TRANSPORT_MAX);
  PtlIpcChannel *channel;
  GThread *thread;

  g_assert_nonnull (mechanism);
  channel = _ptl_ipc_channel_open (mechanism, TRANSPORT_MAX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (channel);
  thread = g_thread_new ("echo", echo_thread, channel);

  for (guint i = 0; i < G_N_ELEMENTS (transport_sizes); i++)
    {
      gsize size = transport_sizes[i];

      for (gsize b = 0; b < size; b++)
        out[b] = (guint8) (b * 31 + i * 7 + size);
      memset (in, 0, size);
      g_assert_cmpint (mechanism->send (channel, 0, out, size), ==, 0);
      g_assert_cmpint (mechanism->receive (channel, 0, in, size), ==, 0);
      if (ptl_ipc_mechanism_carries_data (mechanism))
        g_assert_cmpmem (in, size, out, size);
    }

  g_assert_null (g_thread_join (thread));
  _ptl_ipc_channel_free (channel);
}

/* An abort on either side wakes the other for good. */
static gpointer
blocked_receive_thread (gpointer data)
{
  PtlIpcChannel *channel = data;
  guint8 byte;

  return GINT_TO_POINTER (channel->mechanism->receive (channel, 1, &byte, 1));
}

static void
test_abort (gconstpointer data)
{
  const PtlIpcMechanism *mechanism = ptl_ipc_lookup (data);
  g_autoptr(GError) error = NULL;
  PtlIpcChannel *channel;
  GThread *thread;
  int rc;

  channel = _ptl_ipc_channel_open (mechanism, 64, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("blocked", blocked_receive_thread, channel);
  g_usleep (20000);
  mechanism->abort (channel, 0);
  rc = GPOINTER_TO_INT (g_thread_join (thread));
  g_assert_true (rc == -EPIPE || rc == -ECANCELED);
  _ptl_ipc_channel_free (channel);
}

/* Pairs: the protocol with both kinds of peer. */

static void
test_pair (gconstpointer data)
{
  PtlIpcPeerKind kind = GPOINTER_TO_INT (data);
  g_autoptr(PtlIpcStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint n_mechanisms;
  const PtlIpcMechanism * const *mechanisms = ptl_ipc_list_mechanisms (&n_mechanisms);
  sigset_t mask;

  g_assert_cmpuint (n_mechanisms, ==, g_strv_length ((char **) all_names));
  stream = ptl_ipc_stream_new (1024 * 1024, &error);
  g_assert_no_error (error);
  for (guint part = 0; part < 2; part++)
    {
      gint64 start = 0, end = 0;

      ptl_ipc_stream_copy (stream, part, 2, &start, &end);
      g_assert_cmpint (end, >=, start);
      g_assert_cmpint (start, >, 0);
    }

  ptl_ipc_block_sigpipe (&mask);
  for (guint m = 0; m < n_mechanisms; m++)
    {
      g_autoptr(PtlIpcPair) pair = NULL;
      gint64 round_trips[50];
      gint64 cpu_ns = 0, elapsed = 0;

      g_assert_cmpstr (ptl_ipc_mechanism_get_name (mechanisms[m]), ==, all_names[m]);
      pair = ptl_ipc_pair_new (mechanisms[m], kind, PTL_PLACEMENT_SAME_CPU, 64, stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ptl_ipc_pair_get_mechanism (pair) == mechanisms[m]);

      g_assert_true (ptl_ipc_pair_echo (pair, 64, G_N_ELEMENTS (round_trips), round_trips, &cpu_ns, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
        g_assert_cmpint (round_trips[i], >, 0);
      g_assert_cmpint (cpu_ns, >, 0);

      if (ptl_ipc_mechanism_carries_data (mechanisms[m]))
        {
          g_assert_true (ptl_ipc_pair_sink (pair, 256 * 1024, 9, &elapsed, &error));
          g_assert_no_error (error);
          g_assert_cmpint (elapsed, >, 0);
        }

      g_assert_true (ptl_ipc_pair_close (g_steal_pointer (&pair), &error));
      g_assert_no_error (error);
    }
  ptl_ipc_restore_sigpipe (&mask);
}

/* Parameters */

static int
tcp_socket_to (const struct sockaddr_in *address)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (connect (fd, (const struct sockaddr *) address, sizeof *address), ==, 0);
  return fd;
}

/* Another local program that connects to the TCP mechanism's port before
 * the lab's own client is turned away; a flood of them is an error. */
static void
test_tcp_stranger (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int strangers[18];
  int client, server;
  char byte;
  g_autoptr(GError) error = NULL;
  struct sockaddr_in own = { 0 }, peer = { 0 };
  socklen_t own_length = sizeof own, peer_length = sizeof peer;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (listener, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (listener, G_N_ELEMENTS (strangers) + 1), ==, 0);
  g_assert_cmpint (getsockname (listener, (struct sockaddr *) &address, &length), ==, 0);

  strangers[0] = tcp_socket_to (&address);
  client = tcp_socket_to (&address);
  server = _ptl_ipc_accept_own_client (listener, client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (getsockname (client, (struct sockaddr *) &own, &own_length), ==, 0);
  g_assert_cmpint (getpeername (server, (struct sockaddr *) &peer, &peer_length), ==, 0);
  g_assert_cmpuint (peer.sin_port, ==, own.sin_port);
  /* The stranger was hung up on. */
  g_assert_cmpint (recv (strangers[0], &byte, 1, 0), <=, 0);
  close (strangers[0]);
  close (client);
  close (server);

  for (guint i = 0; i < G_N_ELEMENTS (strangers); i++)
    strangers[i] = tcp_socket_to (&address);
  client = tcp_socket_to (&address);
  g_assert_cmpint (_ptl_ipc_accept_own_client (listener, client, &error), ==, -1);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_FAILED);
  for (guint i = 0; i < G_N_ELEMENTS (strangers); i++)
    close (strangers[i]);
  close (client);
  close (listener);
}

static void
test_parse (void)
{
  static const struct { const char *text; const char *first; guint n; } good[] = {
    { "all", "pipe", 7 },
    { "pipe,unix-stream", "pipe", 2 },
    { " eventfd , shm ", "eventfd", 2 },
    { "tcp", "tcp", 1 },
  };
  static const char * const bad[] = {
    "", "pipes", "pipe,pipe", "all,pipe", "pipe,", "unix",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = ptl_ipc_parse_mechanisms (good[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, good[i].n);
      g_assert_cmpstr (ptl_ipc_mechanism_get_name (g_ptr_array_index (list, 0)), ==, good[i].first);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = ptl_ipc_parse_mechanisms (bad[i], &error);

      g_assert_null (list);
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
    }
}

static void
test_validate (void)
{
  static const char * const unknown[] = { "mechanisms", "pipe,carrier-pigeon", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("ipc", unknown);
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlResult) result = NULL;

  g_assert_true (PTL_IS_IPC_EXPERIMENT (experiment));
  g_assert_cmpstr (ptl_experiment_get_category (experiment), ==, "Processes");
  g_assert_cmpuint (strlen (ptl_experiment_get_explanation (experiment)), >, 1000);

  g_assert_false (ptl_experiment_validate (experiment, &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  /* The message names what is allowed. */
  for (guint i = 0; all_names[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, all_names[i]));
  g_assert_nonnull (strstr (error->message, "carrier-pigeon"));
  g_clear_error (&error);

  result = ptl_experiment_run_sync (experiment, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* Ranges come from the pspecs. */
  g_assert_false (ptl_experiment_set_param (experiment, "message-size", "0", &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (ptl_experiment_set_param (experiment, "placement", "next-door", &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
}

/* Runs */

static double
bandwidth_at (PtlResult  *result,
              const char *mechanism,
              double      size)
{
  PtlChart *chart = ptl_result_find_chart (result, "bandwidth");
  PtlSeries *series = ptl_chart_find_series (chart, mechanism);
  const PtlPoint *points;
  guint n_points;

  g_assert_nonnull (series);
  points = ptl_series_get_points (series, &n_points);
  for (guint i = 0; i < n_points; i++)
    if (points[i].x == size)
      return points[i].y;
  g_assert_not_reached ();
}

static void
test_run_process (void)
{
  static const char * const params[] = {
    "round-trips", "400", "bandwidth-mib", "2", NULL,
  };
  static const char * const columns[] = {
    "mechanism", "median", "p5", "p95", "p99", "mean", "cpu", "bandwidth",
  };
  g_autoptr(PtlResult) result = ptl_test_run ("ipc", params);
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *round_trip = ptl_result_find_chart (result, "round-trip");
  PtlChart *distribution = ptl_result_find_chart (result, "distribution");
  PtlChart *bandwidth = ptl_result_find_chart (result, "bandwidth");
  g_autofree char *json = ptl_result_to_json_string (result);
  const PtlReference *memcpy_line;
  const PtlPoint *points;
  guint n_points;

  g_assert_cmpuint (ptl_table_get_n_columns (table), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_assert_cmpint (ptl_table_find_column (table, columns[i]), ==, i);
  g_assert_cmpuint (ptl_table_get_n_rows (table), ==, g_strv_length ((char **) all_names));

  for (guint i = 0; all_names[i] != NULL; i++)
    {
      const char *name = all_names[i];
      g_autofree char *samples = g_strdup_printf ("\"round-trip/%s\"", name);

      g_assert_cmpfloat (ptl_test_cell (result, name, "p5"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, name, "p5"), <=, ptl_test_cell (result, name, "median"));
      g_assert_cmpfloat (ptl_test_cell (result, name, "median"), <=, ptl_test_cell (result, name, "p95"));
      g_assert_cmpfloat (ptl_test_cell (result, name, "p95"), <=, ptl_test_cell (result, name, "p99"));
      g_assert_cmpfloat (ptl_test_cell (result, name, "mean"), >=, ptl_test_cell (result, name, "p5"));
      g_assert_cmpfloat (ptl_test_cell (result, name, "cpu"), >, 0);
      if (g_str_equal (name, "eventfd"))
        g_assert_true (isnan (ptl_test_cell (result, name, "bandwidth")));
      else
        g_assert_cmpfloat (ptl_test_cell (result, name, "bandwidth"), >, 0);
      g_assert_nonnull (strstr (json, samples));
    }

  g_assert_nonnull (round_trip);
  g_assert_cmpint (ptl_chart_get_kind (round_trip), ==, PTL_CHART_BAR);
  g_assert_true (g_strv_equal (ptl_chart_get_category_ids (round_trip), all_names));
  g_assert_cmpuint (ptl_chart_get_n_series (round_trip), ==, 2);
  g_assert_true (ptl_series_has_band (ptl_chart_get_series (round_trip, 0)));
  points = ptl_series_get_points (ptl_chart_get_series (round_trip, 0), &n_points);
  g_assert_cmpuint (n_points, ==, 7);
  for (guint i = 0; i < n_points; i++)
    g_assert_true (points[i].lo <= points[i].y && points[i].y <= points[i].hi);

  g_assert_nonnull (distribution);
  g_assert_true (ptl_chart_get_x_log (distribution));
  g_assert_cmpuint (ptl_chart_get_n_series (distribution), ==, 7);
  points = ptl_series_get_points (ptl_chart_get_series (distribution, 0), &n_points);
  g_assert_cmpfloat (points[0].y, ==, 0);
  g_assert_cmpfloat (points[n_points - 1].y, ==, 100);
  for (guint i = 1; i < n_points; i++)
    g_assert_cmpfloat (points[i].x, >=, points[i - 1].x);

  g_assert_nonnull (bandwidth);
  g_assert_true (ptl_chart_get_x_log (bandwidth));
  g_assert_true (ptl_chart_get_y_log (bandwidth));
  g_assert_cmpstr (ptl_chart_get_y_unit (bandwidth), ==, "B/s");
  g_assert_cmpuint (ptl_chart_get_n_series (bandwidth), ==, 6);
  g_assert_null (ptl_chart_find_series (bandwidth, "eventfd"));
  for (guint s = 0; s < ptl_chart_get_n_series (bandwidth); s++)
    {
      points = ptl_series_get_points (ptl_chart_get_series (bandwidth, s), &n_points);
      g_assert_cmpuint (n_points, ==, 8);
      g_assert_cmpfloat (points[0].x, ==, 64);
      g_assert_cmpfloat (points[7].x, ==, 1024 * 1024);
    }
  g_assert_cmpuint (ptl_chart_get_n_references (bandwidth), ==, 1);
  memcpy_line = ptl_chart_get_reference (bandwidth, 0);
  g_assert_cmpstr (memcpy_line->label, ==, "memcpy ()");
  g_assert_cmpfloat (memcpy_line->value, >, 0);

  /* Per-call costs dominate small messages, copying large ones: wide
   * margins for a noisy two-core VM (typically 15× here). */
  g_assert_cmpfloat (bandwidth_at (result, "pipe", 65536), >=, 4 * bandwidth_at (result, "pipe", 64));
  for (guint s = 0; s < ptl_chart_get_n_series (bandwidth); s++)
    {
      const char *name = ptl_series_get_id (ptl_chart_get_series (bandwidth, s));

      g_assert_cmpfloat (bandwidth_at (result, name, 65536), >, bandwidth_at (result, name, 64));
    }

  /* A same-CPU pipe round trip is microseconds; a millisecond would mean
   * something waits for a timer or a tick. */
  g_assert_cmpfloat (ptl_test_cell (result, "pipe", "median"), <, 1e-3);
}

static void
test_run_thread (void)
{
  static const char * const params[] = {
    "peer", "thread", "round-trips", "200", "bandwidth", "false", "mechanisms", "pipe,shm,eventfd", NULL,
  };
  g_autoptr(PtlResult) result = ptl_test_run ("ipc", params);

  g_assert_cmpuint (ptl_table_get_n_rows (ptl_result_get_summary (result)), ==, 3);
  g_assert_null (ptl_result_find_chart (result, "bandwidth"));
  g_assert_cmpfloat (ptl_test_cell (result, "pipe", "median"), <, 1e-3);
  g_assert_cmpfloat (ptl_test_cell (result, "shm", "median"), >, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "eventfd", "cpu"), >, 0);
}

static void
test_run_different_cpus (void)
{
  static const char * const params[] = {
    "placement", "different-cpus", "round-trips", "200", "bandwidth", "false", "mechanisms", "pipe", NULL,
  };
  g_autoptr(PtlResult) result = NULL;
  g_auto(GStrv) cpus = NULL;

  if (ptl_machine_get_n_cpus () < 2)
    {
      g_test_skip ("needs two CPUs");
      return;
    }
  result = ptl_test_run ("ipc", params);
  g_assert_cmpfloat (ptl_test_cell (result, "pipe", "median"), >, 0);
  /* The lab's side and the peer, as each saw itself at the end. */
  cpus = g_strsplit (json_object_get_string_member (ptl_result_get_parameters (result), "cpus-pipe"), ",", -1);
  g_assert_cmpuint (g_strv_length (cpus), ==, 2);
  g_assert_cmpint (atoi (cpus[0]), >=, 0);
  g_assert_cmpint (atoi (cpus[1]), >=, 0);
  g_assert_cmpint (atoi (cpus[0]), !=, atoi (cpus[1]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; all_names[i] != NULL; i++)
    {
      g_autofree char *transport = g_strdup_printf ("/ptl/ipc/transport/%s", all_names[i]);
      g_autofree char *abort_path = g_strdup_printf ("/ptl/ipc/abort/%s", all_names[i]);

      g_test_add_data_func (transport, all_names[i], test_transport);
      g_test_add_data_func (abort_path, all_names[i], test_abort);
    }
  g_test_add_data_func ("/ptl/ipc/pair/process", GINT_TO_POINTER (PTL_IPC_PEER_PROCESS), test_pair);
  g_test_add_data_func ("/ptl/ipc/pair/thread", GINT_TO_POINTER (PTL_IPC_PEER_THREAD), test_pair);
  g_test_add_func ("/ptl/ipc/tcp-stranger", test_tcp_stranger);
  g_test_add_func ("/ptl/ipc/parse", test_parse);
  g_test_add_func ("/ptl/ipc/validate", test_validate);
  g_test_add_func ("/ptl/ipc/run/process", test_run_process);
  g_test_add_func ("/ptl/ipc/run/thread", test_run_thread);
  g_test_add_func ("/ptl/ipc/run/different-cpus", test_run_different_cpus);

  return g_test_run ();
}
