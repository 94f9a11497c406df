/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>

/* `ptlab serve` as a client sees it: a real server process on a port the
 * kernel picked, driven over HTTP. */

typedef struct
{
  GSubprocess *server;
  SoupSession *session;
  char        *base;
  char        *data_home; /* the server's own run history */
} Fixture;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  guint port = 0;

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  /* A failed assertion aborts this process: the server must not outlive it
   * (and keep meson waiting on its output). */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fixture->data_home = g_dir_make_tmp ("ptlab-serve-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  fixture->server = g_subprocess_launcher_spawn (launcher, &error,
                                                 g_getenv ("PTLAB"), "serve", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "Listening on port %u", &port), ==, 1);
  g_assert_cmpuint (port, >, 0);
  fixture->base = g_strdup_printf ("http://127.0.0.1:%u", port);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (g_subprocess_get_identifier (fixture->server) != NULL)
    {
      g_subprocess_send_signal (fixture->server, SIGTERM);
      g_subprocess_wait (fixture->server, NULL, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->session);
  g_free (fixture->base);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", fixture->data_home);

    g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  }
  g_free (fixture->data_home);
}

/* Sends @method @path with @body (NULL: none); returns the body and
 * stores the status. The bytes end in an extra NUL (not counted), so text
 * replies can be read as strings. */
static GBytes *
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *body,
         guint      *status)
{
  g_autofree char *uri = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  {
    gsize length;
    const char *data = g_bytes_get_data (reply, &length);
    char *text = g_malloc (length + 1);

    memcpy (text, data, length);
    text[length] = '\0';
    g_bytes_unref (reply);
    return g_bytes_new_with_free_func (text, length, g_free, text);
  }
}

static JsonNode *
request_json (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *body,
              guint       expected_status)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status;
  gsize length;
  const char *data;

  reply = request (fixture, method, path, body, &status);
  data = g_bytes_get_data (reply, &length);
  if (status != expected_status)
    g_test_message ("%s %s: %.*s", method, path, (int) length, data);
  g_assert_cmpuint (status, ==, expected_status);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member (json_node_get_object (node), name);
}

/* Polls the run until it leaves @state; returns the last description. */
static JsonNode *
wait_while (Fixture    *fixture,
            guint       id,
            const char *state)
{
  g_autofree char *path = g_strdup_printf ("/runs/%u", id);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      JsonNode *node = request_json (fixture, "GET", path, NULL, SOUP_STATUS_OK);

      if (g_strcmp0 (member_string (node, "state"), state) != 0)
        return node;
      json_node_unref (node);
      g_usleep (50000);
    }
  g_assert_not_reached ();
}

static void
test_experiments (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) list = request_json (fixture, "GET", "/experiments", NULL, SOUP_STATUS_OK);
  g_autoptr(JsonNode) models = request_json (fixture, "GET", "/experiments/models", NULL, SOUP_STATUS_OK);
  g_autoptr(JsonNode) missing = request_json (fixture, "GET", "/experiments/nosuch", NULL, SOUP_STATUS_NOT_FOUND);
  g_autoptr(JsonNode) health = request_json (fixture, "GET", "/health", NULL, SOUP_STATUS_OK);
  JsonArray *params;
  gboolean found = FALSE;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    found |= g_strcmp0 (member_string (json_array_get_element (json_node_get_array (list), i), "id"), "sched") == 0;
  g_assert_true (found);

  g_assert_cmpstr (member_string (models, "id"), ==, "models");
  params = json_object_get_array_member (json_node_get_object (models), "parameters");
  g_assert_cmpuint (json_array_get_length (params), >, 0);
  for (guint i = 0; i < json_array_get_length (params); i++)
    {
      JsonObject *param = json_array_get_object_element (params, i);

      g_assert_true (json_object_has_member (param, "name"));
      g_assert_true (json_object_has_member (param, "default"));
      g_assert_true (json_object_has_member (param, "range"));
    }

  g_assert_nonnull (strstr (member_string (missing, "error"), "nosuch"));
  g_assert_cmpstr (member_string (health, "status"), ==, "ok");
}

/* The server's message for a bad parameter is the command line's. */
static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonNode) range = NULL;
  g_autofree char *cli_err = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;
  static const struct { const char *method, *path, *body; guint status; } cases[] = {
    { "POST", "/experiments/sched/runs", "{bad", SOUP_STATUS_BAD_REQUEST },
    { "POST", "/experiments/sched/runs", "[1, 2]", SOUP_STATUS_BAD_REQUEST },
    /* Leaked by json-glib unless refused first (ptl_json_check_depth). */
    { "POST", "/experiments/sched/runs", "1{}", SOUP_STATUS_BAD_REQUEST },
    { "POST", "/experiments/sched/runs", "{} {}", SOUP_STATUS_BAD_REQUEST },
    { "POST", "/experiments/sched/runs", "{\"quantum\": [4]}", SOUP_STATUS_BAD_REQUEST },
    { "POST", "/experiments/sched/runs", "{\"nosuch\": 1}", SOUP_STATUS_BAD_REQUEST },
    { "POST", "/experiments/nosuch/runs", "{}", SOUP_STATUS_NOT_FOUND },
    { "GET", "/experiments/sched/runs", NULL, SOUP_STATUS_METHOD_NOT_ALLOWED },
    { "DELETE", "/experiments", NULL, SOUP_STATUS_METHOD_NOT_ALLOWED },
    { "POST", "/metrics", "{}", SOUP_STATUS_METHOD_NOT_ALLOWED },
    { "GET", "/runs/999", NULL, SOUP_STATUS_NOT_FOUND },
    { "GET", "/runs/abc", NULL, SOUP_STATUS_NOT_FOUND },
    { "GET", "/nowhere", NULL, SOUP_STATUS_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = request_json (fixture, cases[i].method, cases[i].path,
                                               cases[i].body, cases[i].status);

      g_assert_nonnull (member_string (node, "error"));
    }

  range = request_json (fixture, "POST", "/experiments/sched/runs", "{\"quantum\": 0}",
                        SOUP_STATUS_BAD_REQUEST);
  g_spawn_sync (NULL, (char *[]) { (char *) g_getenv ("PTLAB"), "run", "sched", "--param", "quantum=0", NULL },
                NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &cli_err, &wait_status, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("ptlab: %s\n", member_string (range, "error"));
  g_assert_cmpstr (cli_err, ==, expected);

  /* Over the 1 MiB limit: refused from the headers, before the body. */
  big = g_strnfill (2 * 1024 * 1024, ' ');
  {
    g_autoptr(JsonNode) node = request_json (fixture, "POST", "/experiments/sched/runs", big,
                                             SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

    g_assert_nonnull (member_string (node, "error"));
  }
}

static void
test_run (Fixture       *fixture,
          gconstpointer  data)
{
  static const struct { const char *suffix, *magic; } charts[] = {
    { ".svg", "<?xml" },
    { ".png", "\x89PNG" },
    { ".pdf", "%PDF" },
  };
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(GBytes) csv = NULL;
  JsonObject *result;
  const char *chart_id;
  guint status, id;

  created = request_json (fixture, "POST", "/experiments/sched/runs",
                          "{\"algorithm\": \"rr\", \"quantum\": 4, \"time-unit-ms\": 0.5}",
                          SOUP_STATUS_CREATED);
  id = json_object_get_int_member (json_node_get_object (created), "id");
  done = wait_while (fixture, id, "running");
  g_assert_cmpstr (member_string (done, "state"), ==, "done");
  /* Saved in the run history, as `ptlab run` saves. */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (done), "history_id"), ==, 1);
  result = json_object_get_object_member (json_node_get_object (done), "result");
  g_assert_cmpstr (json_object_get_string_member (result, "experiment"), ==, "sched");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "parameters"), "quantum"), ==, 4);

  chart_id = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (result, "charts"), 0), "id");
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/runs/%u/charts/%s%s", id, chart_id, charts[i].suffix);
      g_autoptr(GBytes) body = request (fixture, "GET", path, NULL, &status);
      gsize length;
      const char *bytes = g_bytes_get_data (body, &length);

      g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
      g_assert_cmpuint (length, >, strlen (charts[i].magic));
      g_assert_cmpmem (bytes, strlen (charts[i].magic), charts[i].magic, strlen (charts[i].magic));
    }

  {
    g_autofree char *path = g_strdup_printf ("/runs/%u/charts/nosuch.svg", id);
    g_autoptr(JsonNode) missing = request_json (fixture, "GET", path, NULL, SOUP_STATUS_NOT_FOUND);
  }
  {
    g_autofree char *path = g_strdup_printf ("/runs/%u/data.csv", id);
    gsize length;

    csv = request (fixture, "GET", path, NULL, &status);
    g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
    g_assert_true (g_str_has_prefix (g_bytes_get_data (csv, &length), "chart,series,x,x_unit,y,y_unit,low,high\r\n"));
  }
}

/* A default `models` run measures for many seconds: long enough to meet
 * it running. */
#define LONG_RUN "/experiments/models/runs"

static void
test_one_run_at_a_time (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) first = request_json (fixture, "POST", LONG_RUN, "{}", SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) refused = request_json (fixture, "POST", "/experiments/sched/runs", NULL, SOUP_STATUS_CONFLICT);
  g_autoptr(JsonNode) queued = request_json (fixture, "POST", "/experiments/sched/runs?queue=1", NULL, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) cancel = NULL;
  g_autoptr(JsonNode) cancelled = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *path = NULL;
  guint first_id = json_object_get_int_member (json_node_get_object (first), "id");
  guint queued_id = json_object_get_int_member (json_node_get_object (queued), "id");

  g_assert_cmpstr (member_string (first, "state"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (refused), "running"), ==, first_id);
  g_assert_cmpstr (member_string (queued, "state"), ==, "queued");

  path = g_strdup_printf ("/runs/%u", first_id);
  cancel = request_json (fixture, "DELETE", path, NULL, SOUP_STATUS_ACCEPTED);
  cancelled = wait_while (fixture, first_id, "running");
  g_assert_cmpstr (member_string (cancelled, "state"), ==, "cancelled");

  /* The queued run starts once the first is reaped, and finishes. */
  after = wait_while (fixture, queued_id, "queued");
  if (g_strcmp0 (member_string (after, "state"), "running") == 0)
    {
      json_node_unref (after);
      after = wait_while (fixture, queued_id, "running");
    }
  g_assert_cmpstr (member_string (after, "state"), ==, "done");
}

static void
test_metrics (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonNode) created = request_json (fixture, "POST", "/experiments/sched/runs", NULL, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) done = wait_while (fixture, json_object_get_int_member (json_node_get_object (created), "id"), "running");
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GRegex) sample = g_regex_new ("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? [-+0-9.eEInf]+$", 0, 0, NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *promtool = g_find_program_in_path ("promtool");
  guint status;
  gsize length;

  text = request (fixture, "GET", "/metrics", NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  lines = g_strsplit (g_bytes_get_data (text, &length), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && *lines[i] != '#')
      {
        if (!g_regex_match (sample, lines[i], 0, NULL))
          g_error ("not a Prometheus sample: %s", lines[i]);
      }
  g_assert_nonnull (strstr (g_bytes_get_data (text, NULL), "ptlab_runs_started_total{experiment=\"sched\"} 1\n"));
  g_assert_nonnull (strstr (g_bytes_get_data (text, NULL),
                            "ptlab_runs_finished_total{experiment=\"sched\",outcome=\"done\"} 1\n"));
  g_assert_nonnull (strstr (g_bytes_get_data (text, NULL), "ptlab_run_duration_seconds_count{experiment=\"sched\"} 1\n"));
  g_assert_nonnull (strstr (g_bytes_get_data (text, NULL), "process_resident_memory_bytes "));

  if (promtool != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) check = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                                       promtool, "check", "metrics", NULL);
      g_autofree char *out = NULL;

      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (check, g_bytes_get_data (text, NULL), NULL, &out, NULL, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_successful (check))
        g_error ("promtool check metrics: %s", out);
    }
  else
    g_test_message ("promtool is not installed; checked the sample syntax only");
}

static GArray *
list_descendants (GPid root)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *found = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  const char *name;
  gboolean grew = TRUE;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char *close;
      int pid = atoi (name), ppid;

      if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL) ||
          (close = strrchr (stat, ')')) == NULL || sscanf (close + 2, "%*c %d", &ppid) != 1)
        continue;
      g_hash_table_insert (parents, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
    }
  g_array_append_val (found, root);
  while (grew)
    {
      GHashTableIter iter;
      gpointer pid, ppid;

      grew = FALSE;
      g_hash_table_iter_init (&iter, parents);
      while (g_hash_table_iter_next (&iter, &pid, &ppid))
        for (guint i = 0; i < found->len; i++)
          if (g_array_index (found, GPid, i) == GPOINTER_TO_INT (ppid))
            {
              GPid child = GPOINTER_TO_INT (pid);

              g_array_append_val (found, child);
              g_hash_table_iter_remove (&iter);
              grew = TRUE;
              break;
            }
    }
  g_array_remove_index (found, 0);
  return found;
}

static guint
run_children (Fixture *fixture)
{
  g_autoptr(GBytes) text = NULL;
  const char *line;
  guint status, children = 0;

  text = request (fixture, "GET", "/metrics", NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  line = strstr (g_bytes_get_data (text, NULL), "\nptlab_run_child_processes ");
  g_assert_nonnull (line);
  sscanf (line, "\nptlab_run_child_processes %u", &children);
  return children;
}

/* SIGTERM while a run has children: the run is cancelled and reaped, the
 * server exits 0, and none of its descendants outlives it. */
static void
test_shutdown_during_run (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) created = request_json (fixture, "POST", "/experiments/memory/runs", "{}",
                                              SOUP_STATUS_CREATED);
  g_autoptr(GArray) children = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid = atoi (g_subprocess_get_identifier (fixture->server));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 stop_start;

  while (run_children (fixture) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  /* The gauge saw children; catch some alive here too. */
  while ((children = list_descendants (pid))->len == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_pointer (&children, g_array_unref);
      g_usleep (5000);
    }

  stop_start = g_get_monotonic_time ();
  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (fixture->server));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
  g_test_message ("stopped in %.0f ms with %u descendants at the signal",
                  (g_get_monotonic_time () - stop_start) / 1e3, children->len);
  for (guint i = 0; i < children->len; i++)
    g_assert_cmpint (kill (g_array_index (children, GPid, i), 0), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ptl/serve/experiments", test_experiments);
  ADD ("/ptl/serve/bad-input", test_bad_input);
  ADD ("/ptl/serve/run", test_run);
  ADD ("/ptl/serve/one-run-at-a-time", test_one_run_at_a_time);
  ADD ("/ptl/serve/metrics", test_metrics);
  ADD ("/ptl/serve/shutdown-during-run", test_shutdown_during_run);
#undef ADD

  return g_test_run ();
}
