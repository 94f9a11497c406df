/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ptl-plot.h"
#include "ptl-registry.h"
#include "ptl-server.h"

/*
 * `ptlab serve`: the experiments as a small REST API on the loopback
 * addresses. Runs go through the same parameter parser and validation as
 * the command line (ptl_experiment_set_param, ptl_experiment_validate), so
 * an HTTP client gets the same messages. Only one run measures at a time:
 * two at once would take each other's CPUs and spoil both figures.
 */

/* Finished runs kept for GET; older ones are forgotten first. */
#define MAX_KEPT_RUNS 64
/* How often the run's threads and children are counted for /metrics. */
#define MONITOR_INTERVAL_MS 250

typedef enum
{
  RUN_QUEUED,
  RUN_RUNNING,
  RUN_DONE,
  RUN_FAILED,
  RUN_CANCELLED,
} RunState;

static const char * const run_state_names[] = { "queued", "running", "done", "failed", "cancelled" };

/* Buckets of the run duration histogram, in seconds. */
static const double duration_buckets[] = { 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300 };

typedef struct
{
  guint64 started;
  guint64 finished[3]; /* done, failed, cancelled */
  guint64 buckets[G_N_ELEMENTS (duration_buckets)];
  guint64 count;
  double  sum;
} ExperimentMetrics;

typedef struct
{
  guint          id;
  PtlExperiment *experiment;
  GCancellable  *cancellable;
  RunState       state;
  double         progress;
  char          *message;
  char          *error;
  PtlResult     *result;
  gint64         created_us;  /* real time, for clients */
  gint64         started_ns;  /* monotonic, for the duration */
  double         duration;    /* seconds, once finished */
  gint64         history_id;  /* its id in the run history, 0 when not saved */
  char          *history_error;
} ServerRun;

struct _PtlServer
{
  GObject          parent_instance;

  SoupServer      *soup;
  GHashTable      *runs;       /* id -> ServerRun, owned */
  GQueue           finished;   /* ServerRun ids in finishing order */
  GQueue           queue;      /* ServerRun waiting to start, borrowed */
  ServerRun       *current;    /* borrowed from runs */
  guint            next_id;
  GHashTable      *metrics;    /* experiment id -> ExperimentMetrics */
  GHashTable      *requests;   /* "METHOD CODE" -> guint64 count */
  PtlProcMonitor  *monitor;    /* counts the current run's threads and children */
  PtlStore        *store;      /* the run history, NULL when runs are not saved */
  char            *scratch;    /* private folder charts are drawn into */
  gboolean         stopping;
};

G_DEFINE_FINAL_TYPE (PtlServer, ptl_server, G_TYPE_OBJECT)

enum
{
  STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_next_run (PtlServer *self);

static void
server_run_free (gpointer data)
{
  ServerRun *run = data;

  g_clear_object (&run->experiment);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->result);
  g_free (run->message);
  g_free (run->error);
  g_free (run->history_error);
  g_free (run);
}

static ExperimentMetrics *
get_metrics (PtlServer  *self,
             const char *experiment_id)
{
  ExperimentMetrics *metrics = g_hash_table_lookup (self->metrics, experiment_id);

  if (metrics == NULL)
    {
      metrics = g_new0 (ExperimentMetrics, 1);
      g_hash_table_insert (self->metrics, g_strdup (experiment_id), metrics);
    }
  return metrics;
}

/* Responses */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  respond_json (msg, status, node);
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *allowed)
{
  g_autofree char *message = g_strdup_printf (_("Method not allowed here; use %s"), allowed);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, message);
}

/* Descriptions */

static JsonNode *
param_default_node (GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  const GValue *def = g_param_spec_get_default_value (pspec);

  if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = g_type_class_peek (type);
      GEnumValue *enum_value = g_enum_get_value (klass, g_value_get_enum (def));

      json_node_set_string (node, enum_value != NULL ? enum_value->value_nick : "");
      return node;
    }
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      json_node_set_boolean (node, g_value_get_boolean (def));
      break;
    case G_TYPE_STRING:
      json_node_set_string (node, g_value_get_string (def) != NULL ? g_value_get_string (def) : "");
      break;
    default:
      g_value_init (&value, G_TYPE_DOUBLE);
      if (g_value_transform (def, &value))
        json_node_set_double (node, g_value_get_double (&value));
      else
        json_node_init_null (node);
      break;
    }
  return node;
}

static void
add_param_range (JsonBuilder *builder,
                 GParamSpec  *pspec)
{
  double minimum, maximum;

  if (G_IS_PARAM_SPEC_UINT (pspec))
    minimum = G_PARAM_SPEC_UINT (pspec)->minimum, maximum = G_PARAM_SPEC_UINT (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_INT (pspec))
    minimum = G_PARAM_SPEC_INT (pspec)->minimum, maximum = G_PARAM_SPEC_INT (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    minimum = G_PARAM_SPEC_DOUBLE (pspec)->minimum, maximum = G_PARAM_SPEC_DOUBLE (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;

      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < klass->n_values; i++)
        json_builder_add_string_value (builder, klass->values[i].value_nick);
      json_builder_end_array (builder);
      return;
    }
  else
    return;

  json_builder_set_member_name (builder, "minimum");
  json_builder_add_double_value (builder, minimum);
  json_builder_set_member_name (builder, "maximum");
  json_builder_add_double_value (builder, maximum);
}

static void
add_experiment_brief (JsonBuilder   *builder,
                      PtlExperiment *experiment)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ptl_experiment_get_id (experiment));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, ptl_experiment_get_title (experiment));
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, ptl_experiment_get_category (experiment));
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, ptl_experiment_get_summary (experiment));
}

static JsonNode *
describe_experiment (PtlExperiment *experiment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree GParamSpec **params = NULL;
  guint n_params;

  json_builder_begin_object (builder);
  add_experiment_brief (builder, experiment);
  json_builder_set_member_name (builder, "explanation");
  json_builder_add_string_value (builder, ptl_experiment_get_explanation (experiment));
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_array (builder);
  params = ptl_experiment_list_params (experiment, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *type = ptl_param_describe_type (params[i]);
      g_autofree char *range = ptl_param_describe_range (params[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, params[i]->name);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
      json_builder_set_member_name (builder, "range");
      json_builder_add_string_value (builder, range);
      add_param_range (builder, params[i]);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, ptl_param_get_unit (params[i]));
      json_builder_set_member_name (builder, "default");
      json_builder_add_value (builder, param_default_node (params[i]));
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, g_param_spec_get_blurb (params[i]));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
describe_run (ServerRun *run,
              gboolean   with_result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (run->created_us / G_USEC_PER_SEC);
  g_autofree char *created_text = g_date_time_format_iso8601 (created);
  g_autofree char *url = g_strdup_printf ("/runs/%u", run->id);
  g_autoptr(JsonObject) params = ptl_experiment_dup_params_json (run->experiment);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, run->id);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "experiment");
  json_builder_add_string_value (builder, ptl_experiment_get_id (run->experiment));
  json_builder_set_member_name (builder, "parameters");
  /* init_object takes a reference of its own: ours goes with the scope. */
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), params));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, run_state_names[run->state]);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created_text);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, run->progress);
  if (run->message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, run->message);
    }
  if (run->state >= RUN_DONE)
    {
      json_builder_set_member_name (builder, "duration");
      json_builder_add_double_value (builder, run->duration);
    }
  if (run->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, run->error);
    }
  if (run->history_id > 0)
    {
      json_builder_set_member_name (builder, "history_id");
      json_builder_add_int_value (builder, run->history_id);
    }
  if (run->history_error != NULL)
    {
      json_builder_set_member_name (builder, "history_error");
      json_builder_add_string_value (builder, run->history_error);
    }
  if (with_result && run->result != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, ptl_result_to_json (run->result));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Runs */

static void
forget_old_runs (PtlServer *self)
{
  while (g_queue_get_length (&self->finished) > MAX_KEPT_RUNS)
    g_hash_table_remove (self->runs, g_queue_pop_head (&self->finished));
}

static void
finish_run (PtlServer *self,
            ServerRun *run,
            RunState   state)
{
  ExperimentMetrics *metrics = get_metrics (self, ptl_experiment_get_id (run->experiment));

  run->state = state;
  if (run->started_ns != 0)
    {
      run->duration = (g_get_monotonic_time () * 1000 - run->started_ns) / 1e9;
      metrics->count++;
      metrics->sum += run->duration;
      for (guint i = 0; i < G_N_ELEMENTS (duration_buckets); i++)
        if (run->duration <= duration_buckets[i])
          metrics->buckets[i]++;
    }
  metrics->finished[state - RUN_DONE]++;
  g_queue_push_tail (&self->finished, GUINT_TO_POINTER (run->id));
  forget_old_runs (self);
}

static void
run_progress_cb (PtlResult  *snapshot,
                 double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  ServerRun *run = user_data;

  run->progress = fraction;
  g_free (run->message);
  run->message = g_strdup (message);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PtlServer) self = user_data;
  g_autoptr(GError) error = NULL;
  ServerRun *run = self->current;

  g_assert (run != NULL);
  self->current = NULL;
  if (self->monitor != NULL)
    ptl_proc_monitor_stop (self->monitor);

  run->result = ptl_experiment_run_finish (PTL_EXPERIMENT (object), result, &error);
  if (run->result != NULL)
    {
      g_autoptr(GError) save_error = NULL;

      run->progress = 1;
      /* As `ptlab run` does: every finished run lands in the history; a
       * failed save is the client's to read, the result stands. */
      if (self->store != NULL &&
          (run->history_id = ptl_store_save (self->store, run->result, NULL, 0, &save_error)) <= 0)
        run->history_error = g_strdup (save_error->message);
      finish_run (self, run, RUN_DONE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish_run (self, run, RUN_CANCELLED);
  else
    {
      run->error = g_strdup (error->message);
      finish_run (self, run, RUN_FAILED);
    }

  if (self->stopping)
    g_signal_emit (self, signals[STOPPED], 0);
  else
    start_next_run (self);
}

static void
start_next_run (PtlServer *self)
{
  g_autoptr(GError) error = NULL;
  ServerRun *run;

  if (self->current != NULL || self->stopping || g_queue_is_empty (&self->queue))
    return;

  run = g_queue_pop_head (&self->queue);
  run->state = RUN_RUNNING;
  run->started_ns = g_get_monotonic_time () * 1000;
  get_metrics (self, ptl_experiment_get_id (run->experiment))->started++;
  self->current = run;

  /* Counting is a convenience for /metrics: a failure costs the gauges,
   * not the run. */
  if (!ptl_proc_monitor_start (self->monitor, &error))
    g_debug ("No thread counts for run %u: %s", run->id, error->message);

  ptl_experiment_run_async (run->experiment, run->cancellable,
                            run_progress_cb, run, NULL,
                            run_done_cb, g_object_ref (self));
}

static char *
json_value_to_param_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

/* The body's parameters, set through the same parser the CLI uses. */
static PtlExperiment *
experiment_from_body (const char         *experiment_id,
                      SoupMessageBody    *body,
                      guint              *status,
                      GError            **error)
{
  g_autoptr(PtlExperiment) experiment = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *params;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  experiment = ptl_registry_create (experiment_id, error);
  if (experiment == NULL)
    {
      *status = SOUP_STATUS_NOT_FOUND;
      return NULL;
    }

  *status = SOUP_STATUS_BAD_REQUEST;
  if (body->length == 0)
    return ptl_experiment_validate (experiment, error) ? g_steal_pointer (&experiment) : NULL;

  if (!g_utf8_validate (body->data, body->length, NULL) ||
      !ptl_json_check_depth (body->data, body->length, NULL) ||
      !json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("The body must be a JSON object of parameters, e.g. {\"tasks\": 8}"));
      return NULL;
    }

  params = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, params);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *text = json_value_to_param_text (value);

      if (text == NULL)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("Parameter “%s” must be a number, text, true or false"), name);
          return NULL;
        }
      if (!ptl_experiment_set_param (experiment, name, text, error))
        return NULL;
    }
  return ptl_experiment_validate (experiment, error) ? g_steal_pointer (&experiment) : NULL;
}

static void
handle_post_run (PtlServer         *self,
                 SoupServerMessage *msg,
                 const char        *experiment_id,
                 GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *location = NULL;
  PtlExperiment *experiment;
  gboolean queue = query != NULL && g_strcmp0 (g_hash_table_lookup (query, "queue"), "1") == 0;
  ServerRun *run;
  guint status;

  experiment = experiment_from_body (experiment_id, soup_server_message_get_request_body (msg),
                                     &status, &error);
  if (experiment == NULL)
    {
      respond_error (msg, status, error->message);
      return;
    }

  if (self->current != NULL && !queue)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *message =
        g_strdup_printf (_("Run %u is measuring; one run at a time keeps the figures honest. "
                           "Wait for it, or add ?queue=1 to run after it"), self->current->id);

      g_object_unref (experiment);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, message);
      json_builder_set_member_name (builder, "running");
      json_builder_add_int_value (builder, self->current->id);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      respond_json (msg, SOUP_STATUS_CONFLICT, node);
      return;
    }

  run = g_new0 (ServerRun, 1);
  run->id = self->next_id++;
  run->experiment = experiment;
  run->cancellable = g_cancellable_new ();
  run->state = RUN_QUEUED;
  run->created_us = g_get_real_time ();
  g_hash_table_insert (self->runs, GUINT_TO_POINTER (run->id), run);
  g_queue_push_tail (&self->queue, run);
  start_next_run (self);

  location = g_strdup_printf ("/runs/%u", run->id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  node = describe_run (run, FALSE);
  respond_json (msg, SOUP_STATUS_CREATED, node);
}

static void
handle_delete_run (PtlServer         *self,
                   SoupServerMessage *msg,
                   ServerRun         *run)
{
  g_autoptr(JsonNode) node = NULL;

  switch (run->state)
    {
    case RUN_QUEUED:
      g_queue_remove (&self->queue, run);
      finish_run (self, run, RUN_CANCELLED);
      break;
    case RUN_RUNNING:
      /* Reaped in run_done_cb; the client polls for "cancelled". */
      g_cancellable_cancel (run->cancellable);
      node = describe_run (run, FALSE);
      respond_json (msg, SOUP_STATUS_ACCEPTED, node);
      return;
    case RUN_DONE:
    case RUN_FAILED:
    case RUN_CANCELLED:
    default:
      break;
    }
  node = describe_run (run, FALSE);
  respond_json (msg, SOUP_STATUS_OK, node);
}

/* Draws through the export code into a private folder and sends the file:
 * the same sizes, styles and checks as `ptlab run --export`. */
static void
handle_chart (PtlServer         *self,
              SoupServerMessage *msg,
              ServerRun         *run,
              const char        *file_name)
{
  static const struct { const char *extension, *content_type; } types[] = {
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".pdf", "application/pdf" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *chart_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  const char *content_type = NULL;
  PtlExportOptions options = { 0 };
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (types) && content_type == NULL; i++)
    if (g_str_has_suffix (file_name, types[i].extension))
      {
        chart_id = g_strndup (file_name, strlen (file_name) - strlen (types[i].extension));
        content_type = types[i].content_type;
        path = g_strdup_printf ("%s/chart%s", self->scratch, types[i].extension);
      }
  if (content_type == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, _("Charts come as .svg, .png or .pdf"));
      return;
    }
  if (run->result == NULL)
    {
      respond_error (msg, SOUP_STATUS_CONFLICT, _("The run has no result yet"));
      return;
    }
  if (ptl_result_find_chart (run->result, chart_id) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The result has no chart “%s”"), chart_id);

      respond_error (msg, SOUP_STATUS_NOT_FOUND, message);
      return;
    }

  options.chart_id = chart_id;
  if (!ptl_export_to_file (run->result, path, &options, &error) ||
      !g_file_get_contents (path, &contents, &length, &error))
    {
      g_unlink (path);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  g_unlink (path);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&contents), length);
}

static void
handle_runs (PtlServer         *self,
             SoupServerMessage *msg,
             const char        *method,
             char             **parts)
{
  ServerRun *run;
  guint64 id;

  if (parts[1] == NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      if (strcmp (method, "GET") != 0)
        return respond_method_not_allowed (msg, "GET");
      for (guint i = 1; i < self->next_id; i++)
        if ((run = g_hash_table_lookup (self->runs, GUINT_TO_POINTER (i))) != NULL)
          json_array_add_element (array, describe_run (run, FALSE));
      json_node_take_array (node, array);
      respond_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (!g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT, &id, NULL) ||
      (run = g_hash_table_lookup (self->runs, GUINT_TO_POINTER ((guint) id))) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No run “%s”"), parts[1]);

      respond_error (msg, SOUP_STATUS_NOT_FOUND, message);
      return;
    }

  if (parts[2] == NULL)
    {
      g_autoptr(JsonNode) node = NULL;

      if (strcmp (method, "DELETE") == 0)
        return handle_delete_run (self, msg, run);
      if (strcmp (method, "GET") != 0)
        return respond_method_not_allowed (msg, "GET, DELETE");
      node = describe_run (run, TRUE);
      respond_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (strcmp (method, "GET") != 0)
    return respond_method_not_allowed (msg, "GET");
  if (strcmp (parts[2], "data.csv") == 0 && parts[3] == NULL)
    {
      char *csv;

      if (run->result == NULL)
        return respond_error (msg, SOUP_STATUS_CONFLICT, _("The run has no result yet"));
      csv = ptl_result_to_csv (run->result);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/csv; charset=utf-8", SOUP_MEMORY_TAKE, csv, strlen (csv));
      return;
    }
  if (strcmp (parts[2], "charts") == 0 && parts[3] != NULL && parts[4] == NULL)
    return handle_chart (self, msg, run, parts[3]);
  respond_error (msg, SOUP_STATUS_NOT_FOUND, _("No such resource"));
}

static void
handle_experiments (PtlServer         *self,
                    SoupServerMessage *msg,
                    const char        *method,
                    char             **parts,
                    GHashTable        *query)
{
  g_autoptr(PtlExperiment) experiment = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (parts[1] == NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      const GType *types;
      guint n_types;

      if (strcmp (method, "GET") != 0)
        return respond_method_not_allowed (msg, "GET");
      types = ptl_registry_list_types (&n_types);
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_types; i++)
        {
          g_autoptr(PtlExperiment) each = g_object_new (types[i], NULL);

          json_builder_begin_object (builder);
          add_experiment_brief (builder, each);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      node = json_builder_get_root (builder);
      respond_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (parts[2] == NULL)
    {
      if (strcmp (method, "GET") != 0)
        return respond_method_not_allowed (msg, "GET");
      experiment = ptl_registry_create (parts[1], &error);
      if (experiment == NULL)
        return respond_error (msg, SOUP_STATUS_NOT_FOUND, error->message);
      node = describe_experiment (experiment);
      respond_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  if (strcmp (parts[2], "runs") == 0 && parts[3] == NULL)
    {
      if (strcmp (method, "POST") != 0)
        return respond_method_not_allowed (msg, "POST");
      handle_post_run (self, msg, parts[1], query);
      return;
    }
  respond_error (msg, SOUP_STATUS_NOT_FOUND, _("No such resource"));
}

/* Metrics, in the Prometheus text exposition format (version 0.0.4) */

static void
append_family (GString    *out,
               const char *name,
               const char *type,
               const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Ten digits: exact enough for seconds and bytes, and no 0.05000000000000000277. */
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.10g", value));
  g_string_append_c (out, '\n');
}

static void
count_run_tasks (PtlServer *self,
                 guint     *threads,
                 guint     *children)
{
  const PtlProcEntity *lab;
  guint n = 0;

  *threads = *children = 0;
  if (self->current == NULL || (n = ptl_proc_monitor_get_n_entities (self->monitor)) == 0)
    return;

  /* The first sample is taken as the run starts: what it saw is the
   * server's own, what came later is the run's. */
  lab = ptl_proc_monitor_get_entity (self->monitor, 0);
  for (guint i = 1; i < n; i++)
    {
      const PtlProcEntity *entity = ptl_proc_monitor_get_entity (self->monitor, i);

      if (!ptl_proc_entity_get_alive (entity))
        continue;
      if (ptl_proc_entity_get_kind (entity) == PTL_PROC_KIND_PROCESS)
        (*children)++;
      else if (ptl_proc_entity_get_first_seen (entity) > ptl_proc_entity_get_first_seen (lab))
        (*threads)++;
    }
}

static char *
format_metrics (PtlServer *self)
{
  static const char * const outcomes[] = { "done", "failed", "cancelled" };
  GString *out = g_string_new (NULL);
  g_autoptr(GList) ids = g_list_sort (g_hash_table_get_keys (self->metrics), (GCompareFunc) strcmp);
  g_autofree char *statm = NULL;
  struct rusage usage;
  guint threads, children;
  unsigned long pages_total, pages_resident;

  append_family (out, "ptlab_runs_started_total", "counter", "Runs started, by experiment.");
  for (GList *l = ids; l != NULL; l = l->next)
    g_string_append_printf (out, "ptlab_runs_started_total{experiment=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            (char *) l->data, get_metrics (self, l->data)->started);

  append_family (out, "ptlab_runs_finished_total", "counter", "Runs finished, by experiment and outcome.");
  for (GList *l = ids; l != NULL; l = l->next)
    for (guint o = 0; o < G_N_ELEMENTS (outcomes); o++)
      g_string_append_printf (out, "ptlab_runs_finished_total{experiment=\"%s\",outcome=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              (char *) l->data, outcomes[o], get_metrics (self, l->data)->finished[o]);

  append_family (out, "ptlab_run_duration_seconds", "histogram", "Wall time of finished runs, by experiment.");
  for (GList *l = ids; l != NULL; l = l->next)
    {
      ExperimentMetrics *metrics = get_metrics (self, l->data);
      const char *id = l->data;

      for (guint b = 0; b < G_N_ELEMENTS (duration_buckets); b++)
        {
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (out, "ptlab_run_duration_seconds_bucket{experiment=\"%s\",le=\"%s\"} %" G_GUINT64_FORMAT "\n",
                                  id, g_ascii_formatd (le, sizeof le, "%g", duration_buckets[b]), metrics->buckets[b]);
        }
      g_string_append_printf (out, "ptlab_run_duration_seconds_bucket{experiment=\"%s\",le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
                              id, metrics->count);
      g_string_append_printf (out, "ptlab_run_duration_seconds_sum{experiment=\"%s\"} ", id);
      append_number (out, metrics->sum);
      g_string_append_printf (out, "ptlab_run_duration_seconds_count{experiment=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              id, metrics->count);
    }

  count_run_tasks (self, &threads, &children);
  append_family (out, "ptlab_run_active", "gauge", "1 while a run is measuring.");
  g_string_append_printf (out, "ptlab_run_active %d\n", self->current != NULL);
  append_family (out, "ptlab_runs_queued", "gauge", "Runs waiting for the current one.");
  g_string_append_printf (out, "ptlab_runs_queued %u\n", g_queue_get_length (&self->queue));
  append_family (out, "ptlab_run_threads", "gauge", "Threads the current run has started and not yet joined.");
  g_string_append_printf (out, "ptlab_run_threads %u\n", threads);
  append_family (out, "ptlab_run_child_processes", "gauge", "Child processes of the current run.");
  g_string_append_printf (out, "ptlab_run_child_processes %u\n", children);

  append_family (out, "ptlab_http_requests_total", "counter", "HTTP requests served, by method and status code.");
  {
    g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (self->requests), (GCompareFunc) strcmp);

    for (GList *l = keys; l != NULL; l = l->next)
      {
        g_auto(GStrv) method_code = g_strsplit (l->data, " ", 2);

        g_string_append_printf (out, "ptlab_http_requests_total{method=\"%s\",code=\"%s\"} %" G_GUINT64_FORMAT "\n",
                                method_code[0], method_code[1],
                                *(guint64 *) g_hash_table_lookup (self->requests, l->data));
      }
  }

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    {
      append_family (out, "process_cpu_seconds_total", "counter", "User and system CPU time of the lab process.");
      g_string_append (out, "process_cpu_seconds_total ");
      append_number (out, usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                          usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
    }
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) &&
      sscanf (statm, "%lu %lu", &pages_total, &pages_resident) == 2)
    {
      append_family (out, "process_resident_memory_bytes", "gauge", "Resident memory of the lab process.");
      g_string_append (out, "process_resident_memory_bytes ");
      append_number (out, (double) pages_resident * sysconf (_SC_PAGESIZE));
    }
  return g_string_free (out, FALSE);
}

/* Routing */

static void
count_request (PtlServer         *self,
               SoupServerMessage *msg)
{
  g_autofree char *key = g_strdup_printf ("%s %u", soup_server_message_get_method (msg),
                                          soup_server_message_get_status (msg));
  guint64 *count = g_hash_table_lookup (self->requests, key);

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->requests, g_steal_pointer (&key), count);
    }
  (*count)++;
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  count_request (PTL_SERVER (user_data), msg);
}

/* Refuses a large or unsized body before it is read. */
static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > PTL_SERVER_MAX_BODY)
        respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                       _("Request bodies are limited to 1 MiB"));
      break;
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
      respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED,
                     _("Send the body with a Content-Length (at most 1 MiB)"));
      break;
    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_UNRECOGNIZED:
    default:
      break;
    }
}

static void
handler_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PtlServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *trimmed = NULL;
  g_auto(GStrv) parts = NULL;

  if (self->stopping)
    return respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The server is stopping"));

  /* "/runs/3/charts/x.svg" -> { "runs", "3", "charts", "x.svg" }; a
   * trailing slash names the same resource. */
  trimmed = g_strdup (path + 1);
  if (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  parts = g_strsplit (trimmed, "/", 6);

  if (g_strcmp0 (parts[0], "experiments") == 0)
    handle_experiments (self, msg, method, parts, query);
  else if (g_strcmp0 (parts[0], "runs") == 0)
    handle_runs (self, msg, method, parts);
  else if (g_strcmp0 (path, "/metrics") == 0)
    {
      char *text;

      if (strcmp (method, "GET") != 0)
        return respond_method_not_allowed (msg, "GET");
      text = format_metrics (self);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain; version=0.0.4; charset=utf-8",
                                        SOUP_MEMORY_TAKE, text, strlen (text));
    }
  else if (g_strcmp0 (path, "/health") == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      if (strcmp (method, "GET") != 0)
        return respond_method_not_allowed (msg, "GET");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "ok");
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, PACKAGE_VERSION);
      json_builder_set_member_name (builder, "running");
      if (self->current != NULL)
        json_builder_add_int_value (builder, self->current->id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      respond_json (msg, SOUP_STATUS_OK, node);
    }
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND,
                   _("No such resource; try /experiments, /runs, /metrics or /health"));
}

static void
ptl_server_dispose (GObject *object)
{
  PtlServer *self = PTL_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ptl_server_parent_class)->dispose (object);
}

static void
ptl_server_finalize (GObject *object)
{
  PtlServer *self = PTL_SERVER (object);

  /* run_done_cb holds a reference, so no run is in flight here. */
  g_assert (self->current == NULL);
  g_queue_clear (&self->queue);
  g_queue_clear (&self->finished);
  g_hash_table_unref (self->runs);
  g_hash_table_unref (self->metrics);
  g_hash_table_unref (self->requests);
  if (self->scratch != NULL)
    g_rmdir (self->scratch);
  g_free (self->scratch);
  G_OBJECT_CLASS (ptl_server_parent_class)->finalize (object);
}

static void
ptl_server_class_init (PtlServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ptl_server_dispose;
  object_class->finalize = ptl_server_finalize;

  /* Emitted once after ptl_server_shutdown (), when no run is left. */
  signals[STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ptl_server_init (PtlServer *self)
{
  const GType *types;
  guint n_types;

  self->runs = g_hash_table_new_full (NULL, NULL, NULL, server_run_free);
  self->metrics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->monitor = ptl_proc_monitor_new (MONITOR_INTERVAL_MS);
  self->next_id = 1;
  g_queue_init (&self->queue);
  g_queue_init (&self->finished);

  /* Every experiment has its series from the start, at zero, so rates and
   * dashboards need no special case for "never ran". */
  types = ptl_registry_list_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(PtlExperiment) experiment = g_object_new (types[i], NULL);

      get_metrics (self, ptl_experiment_get_id (experiment));
    }
}

PtlServer *
ptl_server_new (void)
{
  return g_object_new (PTL_TYPE_SERVER, NULL);
}

gboolean
ptl_server_listen (PtlServer  *self,
                   guint       port,
                   guint      *bound_port,
                   GError    **error)
{
  g_autoptr(GSList) uris = NULL;

  g_return_val_if_fail (PTL_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  self->scratch = g_dir_make_tmp ("ptlab-serve-XXXXXX", error);
  if (self->scratch == NULL)
    return FALSE;

  self->soup = soup_server_new ("server-header", "ptlab/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);

  /* Loopback only: the API starts experiments that load the machine. */
  if (!soup_server_listen_local (self->soup, port, 0, error))
    {
      g_clear_object (&self->soup);
      return FALSE;
    }

  uris = soup_server_get_uris (self->soup);
  if (bound_port != NULL)
    *bound_port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

void
ptl_server_set_store (PtlServer *self,
                      PtlStore  *store)
{
  g_return_if_fail (PTL_IS_SERVER (self));
  g_return_if_fail (store == NULL || PTL_IS_STORE (store));

  g_set_object (&self->store, store);
}

char **
ptl_server_dup_uris (PtlServer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GSList *uris;

  g_return_val_if_fail (PTL_IS_SERVER (self), NULL);

  uris = self->soup != NULL ? soup_server_get_uris (self->soup) : NULL;
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      g_autofree char *uri = g_uri_to_string (l->data);

      g_strv_builder_add (builder, uri);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_strv_builder_end (builder);
}

void
ptl_server_shutdown (PtlServer *self)
{
  ServerRun *run;

  g_return_if_fail (PTL_IS_SERVER (self));

  if (self->stopping)
    return;
  self->stopping = TRUE;
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);

  while ((run = g_queue_pop_head (&self->queue)) != NULL)
    finish_run (self, run, RUN_CANCELLED);
  if (self->current != NULL)
    g_cancellable_cancel (self->current->cancellable);
  else
    g_signal_emit (self, signals[STOPPED], 0);
}
