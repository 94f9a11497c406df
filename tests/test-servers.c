/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "ptl-test-util.h"

static const char * const models[] = { "iterative", "fork", "thread", "pool", "epoll", "reuseport" };

/* Starts `ptlab-helper http-server MODEL 2 0 0` and returns its port. */
static GSubprocess *
start_server (const char *model,
              guint      *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                          g_getenv ("PTLAB_HELPER"), "http-server", model, "2", "0", "0", NULL);

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (line, "PORT %u", port), ==, 1);
  return server;
}

static char *
exchange (guint       port,
          const char *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  /* Every exchange ends in Connection: close, so the server closes. */
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (reply, buffer, n);
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&reply), FALSE);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* Every model answers pipelined requests in order, one answer each, and
 * a malformed one with 400 and a close. */
static void
test_models_answer (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(GSubprocess) server = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *pipelined = NULL, *malformed = NULL;
      guint port;

      g_test_message ("model %s", models[i]);
      server = start_server (models[i], &port);
      pipelined = exchange (port, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                                  "GET /3 HTTP/1.1\r\nConnection: close\r\n\r\n");
      g_assert_cmpuint (count (pipelined, "HTTP/1.1 200 OK\r\n"), ==, 3);
      g_assert_cmpuint (count (pipelined, "Hello, world\n"), ==, 3);
      g_assert_true (g_str_has_suffix (pipelined, "Connection: close\r\n\r\nHello, world\n"));
      malformed = exchange (port, "GET /1 HTTP/1.1\r\n\r\nNONSENSE\r\n\r\n");
      g_assert_cmpuint (count (malformed, "HTTP/1.1 200 OK\r\n"), ==, 1);
      g_assert_true (g_str_has_suffix (malformed, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));

      /* Closing its stdin stops it. */
      g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
      g_subprocess_wait (server, NULL, &error);
      g_assert_no_error (error);
    }
}

/* The generator's accounting through the experiment: every connection of
 * a concurrent model is answered, the iterative server answers one. */
static void
test_experiment (void)
{
  const char * const params[] = {
    "connections", "4", "duration-ms", "200", "warmup-ms", "50", "wait-ms", "0", "workers", "2", NULL
  };
  g_autoptr(PtlResult) result = ptl_test_run ("servers", params);

  g_assert_cmpfloat (ptl_test_cell (result, "Iterative", "Unanswered"), ==, 3);
  g_assert_cmpfloat (ptl_test_cell (result, "Thread pool", "Unanswered"), ==, 2);
  g_assert_cmpfloat (ptl_test_cell (result, "Event loop (epoll)", "Unanswered"), ==, 0);
  g_assert_cmpfloat (ptl_test_cell (result, "Thread per connection", "Unanswered"), ==, 0);
  for (guint i = 0; i < ptl_table_get_n_rows (ptl_result_get_summary (result)); i++)
    {
      const char *model = ptl_table_get_text (ptl_result_get_summary (result), i, 0);

      g_assert_cmpfloat (ptl_test_cell (result, model, "Requests"), >, 0);
      g_assert_cmpfloat (ptl_test_cell (result, model, "Errors"), ==, 0);
      g_assert_cmpfloat (ptl_test_cell (result, model, "Refused"), ==, 0);
      g_assert_cmpfloat (ptl_test_cell (result, model, "p50"), <=, ptl_test_cell (result, model, "p99"));
      g_assert_cmpfloat (ptl_test_cell (result, model, "Server descriptors"), >=, 1);
    }
  /* A thread per connection: at least one thread for each. */
  g_assert_cmpfloat (ptl_test_cell (result, "Thread per connection", "Server threads"), >=, 4);
  /* ThreadSanitizer's runtime runs a thread of its own in the server. */
  g_assert_cmpfloat (ptl_test_cell (result, "Event loop (epoll)", "Server threads"), <=, PTL_TEST_SANITIZED ? 3 : 2);
}

/* Points over the user's task limit are skipped, with a warning. */
static void
test_task_limit (void)
{
  const char * const params[] = {
    "model", "thread", "connections", "100", "duration-ms", "100", "warmup-ms", "0", NULL
  };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("servers", params);
  g_autoptr(GError) error = NULL;

  ptl_experiment_set_max_tasks (50);
  g_assert_cmpuint (PTL_EXPERIMENT_GET_CLASS (experiment)->count_tasks (experiment), <=, 50);
  {
    g_autoptr(PtlResult) result = ptl_test_run ("servers", params);

    g_assert_cmpuint (ptl_table_get_n_rows (ptl_result_get_summary (result)), ==, 0);
    g_assert_cmpuint (ptl_result_get_n_warnings (result), >=, 1);
  }
  ptl_experiment_set_max_tasks (PTL_MAX_TASKS_DEFAULT);
}

static void
test_cancel (void)
{
  const char * const params[] = { "connections", "50", "duration-ms", "2000", "warmup-ms", "100", NULL };
  g_autoptr(PtlExperiment) experiment = ptl_test_new_experiment ("servers", params);
  const char * const warm[] = { "model", "epoll", "connections", "2", "duration-ms", "100", "warmup-ms", "0", NULL };
  PtlTestLeaks before = ptl_test_leaks_snapshot_after_run ("servers", warm);

  ptl_test_assert_cancel_before_start (experiment);
  ptl_test_assert_cancel_at (experiment, "Thread per connection", 500, 1000);
  ptl_test_assert_cancel_at (experiment, "Event loop (epoll)", 300, 1000);
  ptl_test_leaks_assert_none (&before, 2000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/servers/models-answer", test_models_answer);
  g_test_add_func ("/ptl/servers/experiment", test_experiment);
  g_test_add_func ("/ptl/servers/task-limit", test_task_limit);
  g_test_add_func ("/ptl/servers/cancel", test_cancel);

  return g_test_run ();
}
