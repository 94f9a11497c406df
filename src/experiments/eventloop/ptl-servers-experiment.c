/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-servers-experiment"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ptl-proc-child.h"
#include "ptl-servers-experiment.h"

/* "Servers under load": each server model of ptlab-helper http-server
 * against ptlab-helper http-load, two processes of their own, on
 * 127.0.0.1. For every model and connection count the lab starts a fresh
 * server, lets the generator hold that many keep-alive connections busy
 * for warm-up-ms plus duration-ms, and samples the server's processes
 * meanwhile from /proc: resident memory, threads and open descriptors,
 * summed over its process group. The generator reports its counts and a
 * log-linear latency histogram, from which the percentiles come. */

struct _PtlServersExperiment
{
  PtlExperiment  parent_instance;

  /* parameters */
  PtlServerModel model;
  guint          connections;
  guint          compute_us;
  guint          wait_ms;
  guint          workers;
  guint          duration_ms;
  guint          warmup_ms;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_CONNECTIONS,
  PROP_COMPUTE_US,
  PROP_WAIT_MS,
  PROP_WORKERS,
  PROP_DURATION_MS,
  PROP_WARMUP_MS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlServersExperiment, ptl_servers_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define N_MODELS         PTL_SERVER_MODEL_ALL
#define SAMPLE_EVERY_MS  100
#define STOP_GRACE_US    (2 * G_USEC_PER_SEC)

static const guint sweep[] = { 1, 10, 100, 1000, 10000 };
static const char * const model_ids[] = { "iterative", "fork", "thread", "pool", "epoll", "reuseport" };
static const char * const model_labels[] = {
  N_("Iterative"),
  N_("Process per connection"),
  N_("Thread per connection"),
  N_("Thread pool"),
  N_("Event loop (epoll)"),
  N_("Event loop per core (SO_REUSEPORT)"),
};

enum {
  COLUMN_MODEL,
  COLUMN_CONNECTIONS,
  COLUMN_RATE,
  COLUMN_P50,
  COLUMN_P99,
  COLUMN_MAX,
  COLUMN_ERRORS,
  COLUMN_REFUSED,
  COLUMN_UNANSWERED,
  COLUMN_RSS,
  COLUMN_THREADS,
  COLUMN_FDS,
  COLUMN_CLIENT_CPU,
};

typedef struct
{
  guint64 connected, refused, errors, requests, unanswered;
  double  seconds, client_cpu;
  GArray *bucket_ns;    /* guint64 lower bounds */
  GArray *bucket_count; /* guint64 */
  double  rss, threads, fds; /* peaks over the window */
} Point;

/* The server's processes: its process group. */
static void
sample_server (GPid   group,
               Point *point)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  double rss = 0, threads = 0, fds = 0;
  long page = sysconf (_SC_PAGESIZE);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *stat = NULL;
      g_autofree char *fd_path = NULL;
      g_autoptr(GDir) fd_dir = NULL;
      const char *close_paren;
      int pgrp = 0;
      long n_threads = 0, rss_pages = 0;

      if (!g_ascii_isdigit (*name))
        continue;
      stat_path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL) ||
          (close_paren = strrchr (stat, ')')) == NULL ||
          sscanf (close_paren + 2, "%*c %*d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld %*d %*u %*u %ld",
                  &pgrp, &n_threads, &rss_pages) != 3 ||
          pgrp != group)
        continue;
      rss += (double) rss_pages * page;
      threads += n_threads;
      fd_path = g_strdup_printf ("/proc/%s/fd", name);
      if ((fd_dir = g_dir_open (fd_path, 0, NULL)) != NULL)
        while (g_dir_read_name (fd_dir) != NULL)
          fds++;
    }
  point->rss = MAX (point->rss, rss);
  point->threads = MAX (point->threads, threads);
  point->fds = MAX (point->fds, fds);
}

typedef struct
{
  GPid   group;
  Point *point;
} Sampler;

static gboolean
sample_cb (gpointer user_data)
{
  Sampler *sampler = user_data;

  sample_server (sampler->group, sampler->point);
  return G_SOURCE_CONTINUE;
}

/* The percentile @p of the histogram, at its buckets' lower bounds. */
static double
histogram_percentile (const Point *point,
                      double       p)
{
  guint64 rank = (guint64) ceil (p / 100 * point->requests);

  for (guint i = 0, seen = 0; i < point->bucket_ns->len; i++)
    {
      seen += g_array_index (point->bucket_count, guint64, i);
      if (seen >= MAX (rank, 1))
        return g_array_index (point->bucket_ns, guint64, i) / 1e9;
    }
  return NAN;
}

static gboolean
parse_generator (const char  *text,
                 Point       *point,
                 GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 ns, count;
      char name[16];
      double value;

      if (sscanf (lines[i], "latency %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &ns, &count) == 2)
        {
          g_array_append_val (point->bucket_ns, ns);
          g_array_append_val (point->bucket_count, count);
        }
      else if (sscanf (lines[i], "%15s %lf", name, &value) == 2)
        {
          if (strcmp (name, "connected") == 0) point->connected = (guint64) value;
          else if (strcmp (name, "refused") == 0) point->refused = (guint64) value;
          else if (strcmp (name, "errors") == 0) point->errors = (guint64) value;
          else if (strcmp (name, "requests") == 0) point->requests = (guint64) value;
          else if (strcmp (name, "unanswered") == 0) point->unanswered = (guint64) value;
          else if (strcmp (name, "seconds") == 0) point->seconds = value;
          else if (strcmp (name, "cpu") == 0) point->client_cpu = value;
        }
    }
  if (point->seconds <= 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("The load generator gave no result: %s"), text);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GMainLoop *loop;
  char      *out;
  char      *err;
  GError    *error;
  gboolean   done;
} Generator;

static void
generator_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Generator *generator = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &generator->out,
                                        &generator->err, &generator->error);
  generator->done = TRUE;
}

/* Stops the server and every process of its group, and reaps it. */
static void
stop_server (GSubprocess *server,
             GPid         group)
{
  gint64 deadline = g_get_monotonic_time () + STOP_GRACE_US;

  /* Closing stdin asks it to stop: its watcher kills its whole group.
   * GLib reaps it meanwhile; the identifier goes once it has. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
  while (g_subprocess_get_identifier (server) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  /* Whatever of the group is left (a stuck server, an orphaned child of
   * the fork model) goes now. */
  if (group > 0)
    kill (-group, SIGKILL);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

static gboolean
measure_point (PtlServersExperiment  *self,
               const char            *helper,
               PtlServerModel         model,
               guint                  connections,
               GCancellable          *cancellable,
               Point                 *point,
               GError               **error)
{
  g_autoptr(GSubprocessLauncher) server_launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocessLauncher) load_launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_auto(GStrv) envp = ptl_proc_dup_helper_environ ();
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GSubprocess) load = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *line = NULL;
  g_autofree char *workers = NULL, *compute = NULL, *wait = NULL;
  g_autofree char *port = NULL, *count = NULL, *warmup = NULL, *duration = NULL;
  g_autoptr(GSource) tick = NULL;
  Generator generator = { 0 };
  Sampler sampler = { 0, point };
  GPid group;
  guint port_number;
  gboolean ok = FALSE;

  workers = g_strdup_printf ("%u", model == PTL_SERVER_MODEL_REUSEPORT ? ptl_machine_get_n_cpus () : self->workers);
  compute = g_strdup_printf ("%u", self->compute_us);
  wait = g_strdup_printf ("%u", self->wait_ms * 1000);
  g_subprocess_launcher_set_environ (server_launcher, envp);
  g_subprocess_launcher_set_environ (load_launcher, envp);
  server = g_subprocess_launcher_spawn (server_launcher, error,
                                        helper, "http-server", model_ids[model], workers, compute, wait, NULL);
  if (server == NULL)
    return FALSE;
  server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (server_out, NULL, cancellable, error);
  if (line == NULL || sscanf (line, "PORT %u", &port_number) != 1)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("The %s server did not start (see its message above)"), model_ids[model]);
      stop_server (server, 0);
      return FALSE;
    }
  group = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);
  sampler.group = group;

  port = g_strdup_printf ("%u", port_number);
  count = g_strdup_printf ("%u", connections);
  warmup = g_strdup_printf ("%u", self->warmup_ms);
  duration = g_strdup_printf ("%u", self->duration_ms);
  load = g_subprocess_launcher_spawn (load_launcher, error,
                                      helper, "http-load", port, count, warmup, duration, NULL);
  if (load == NULL)
    {
      stop_server (server, group);
      return FALSE;
    }

  g_main_context_push_thread_default (context);
  g_subprocess_communicate_utf8_async (load, NULL, cancellable, generator_done_cb, &generator);
  /* One scan of /proc a period, not one per chunk the generator writes. */
  sample_server (group, point);
  tick = g_timeout_source_new (SAMPLE_EVERY_MS);
  g_source_set_callback (tick, sample_cb, &sampler, NULL);
  g_source_attach (tick, context);
  while (!generator.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  if (generator.error != NULL)
    {
      g_subprocess_force_exit (load);
      g_subprocess_wait (load, NULL, NULL);
    }
  /* What the cancelled communicate left pending holds its pipes. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  stop_server (server, group);
  if (generator.error != NULL)
    g_propagate_error (error, generator.error);
  else if (!g_subprocess_get_if_exited (load) || g_subprocess_get_exit_status (load) != 0)
    g_set_error (error, PTL_ERROR, g_subprocess_get_if_exited (load) && g_subprocess_get_exit_status (load) == 3
                                   ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                 _("The load generator failed: %s"), generator.err != NULL ? g_strstrip (generator.err) : "");
  else
    ok = parse_generator (generator.out, point, error);
  g_free (generator.out);
  g_free (generator.err);
  return ok;
}

/* Tasks a server holds with @connections: processes or threads. */
static guint
model_tasks (PtlServersExperiment *self,
             PtlServerModel        model,
             guint                 connections)
{
  switch (model)
    {
    case PTL_SERVER_MODEL_FORK:
    case PTL_SERVER_MODEL_THREAD:
      return connections + 2;
    case PTL_SERVER_MODEL_POOL:
      return self->workers + 2;
    case PTL_SERVER_MODEL_REUSEPORT:
      return ptl_machine_get_n_cpus () + 1;
    case PTL_SERVER_MODEL_ITERATIVE:
    case PTL_SERVER_MODEL_EPOLL:
    case PTL_SERVER_MODEL_ALL:
    default:
      return 2;
    }
}

static void
add_results (PtlServersExperiment *self,
             PtlResult            *result,
             const Point          *points,
             const PtlServerModel *models,
             const guint          *counts,
             guint                 n_points)
{
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *rate = ptl_result_add_chart (result, "requests", PTL_CHART_LINE, _("Requests per second"));
  PtlChart *p99 = ptl_result_add_chart (result, "p99", PTL_CHART_LINE, _("99th percentile latency"));
  PtlChart *memory = ptl_result_add_chart (result, "memory", PTL_CHART_LINE, _("Server memory (resident)"));
  PtlSeries *series[N_MODELS][3] = { { NULL } };

  ptl_chart_set_x_axis (rate, _("Connections"), NULL, TRUE);
  ptl_chart_set_y_axis (rate, _("Requests"), "ops/s", TRUE);
  ptl_chart_set_x_axis (p99, _("Connections"), NULL, TRUE);
  ptl_chart_set_y_axis (p99, _("Latency"), "s", TRUE);
  ptl_chart_set_x_axis (memory, _("Connections"), NULL, TRUE);
  ptl_chart_set_y_axis (memory, _("Resident memory"), "B", TRUE);

  ptl_table_add_column (table, _("Model"), NULL);
  ptl_table_add_column (table, _("Connections"), NULL);
  ptl_table_add_column (table, _("Requests"), "ops/s");
  ptl_table_add_column (table, _("p50"), "s");
  ptl_table_add_column (table, _("p99"), "s");
  ptl_table_add_column (table, _("Max"), "s");
  ptl_table_add_column (table, _("Errors"), NULL);
  ptl_table_add_column (table, _("Refused"), NULL);
  ptl_table_add_column (table, _("Unanswered"), NULL);
  ptl_table_add_column (table, _("Server RSS"), "B");
  ptl_table_add_column (table, _("Server threads"), NULL);
  ptl_table_add_column (table, _("Server descriptors"), NULL);
  ptl_table_add_column (table, _("Generator CPU"), "%");

  for (guint i = 0; i < n_points; i++)
    {
      const Point *point = &points[i];
      PtlServerModel model = models[i];
      guint row = ptl_table_add_row (table);
      double requests_per_s = point->requests / point->seconds;
      double latency_p99 = histogram_percentile (point, 99);

      if (series[model][0] == NULL)
        {
          series[model][0] = ptl_chart_add_series (rate, _(model_labels[model]));
          series[model][1] = ptl_chart_add_series (p99, _(model_labels[model]));
          series[model][2] = ptl_chart_add_series (memory, _(model_labels[model]));
        }
      if (requests_per_s > 0)
        ptl_series_add_point (series[model][0], counts[i], requests_per_s);
      if (isfinite (latency_p99))
        ptl_series_add_point (series[model][1], counts[i], latency_p99);
      ptl_series_add_point (series[model][2], counts[i], point->rss);

      ptl_table_set_text (table, row, COLUMN_MODEL, _(model_labels[model]));
      ptl_table_set_number (table, row, COLUMN_CONNECTIONS, counts[i]);
      ptl_table_set_number (table, row, COLUMN_RATE, requests_per_s);
      ptl_table_set_number (table, row, COLUMN_P50, histogram_percentile (point, 50));
      ptl_table_set_number (table, row, COLUMN_P99, latency_p99);
      ptl_table_set_number (table, row, COLUMN_MAX, histogram_percentile (point, 100));
      ptl_table_set_number (table, row, COLUMN_ERRORS, point->errors);
      ptl_table_set_number (table, row, COLUMN_REFUSED, point->refused);
      ptl_table_set_number (table, row, COLUMN_UNANSWERED, point->unanswered);
      ptl_table_set_number (table, row, COLUMN_RSS, point->rss);
      ptl_table_set_number (table, row, COLUMN_THREADS, point->threads);
      ptl_table_set_number (table, row, COLUMN_FDS, point->fds);
      ptl_table_set_number (table, row, COLUMN_CLIENT_CPU,
                            100 * point->client_cpu / (point->seconds + self->warmup_ms / 1000.0));
    }
}

static guint
plan (PtlServersExperiment *self,
      PtlServerModel       *models,
      guint                *counts,
      guint                *n_skipped)
{
  guint n = 0;

  *n_skipped = 0;
  for (guint m = 0; m < N_MODELS; m++)
    {
      if (self->model != PTL_SERVER_MODEL_ALL && self->model != m)
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (sweep); c++)
        {
          guint connections = self->connections > 0 ? self->connections : sweep[c];

          /* The user's limit on threads and processes caps the models
           * that need one per connection: the run skips those points. */
          if (model_tasks (self, m, connections) > ptl_experiment_get_max_tasks ())
            (*n_skipped)++;
          else
            {
              models[n] = m;
              counts[n] = connections;
              n++;
            }
          if (self->connections > 0)
            break;
        }
    }
  return n;
}

static gboolean
ptl_servers_experiment_run (PtlExperiment  *experiment,
                            PtlRun         *run,
                            GError        **error)
{
  PtlServersExperiment *self = PTL_SERVERS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_autofree char *helper = ptl_machine_find_helper (error);
  PtlServerModel models[N_MODELS * G_N_ELEMENTS (sweep)];
  guint counts[N_MODELS * G_N_ELEMENTS (sweep)];
  Point points[N_MODELS * G_N_ELEMENTS (sweep)] = { { 0 } };
  struct rlimit files;
  guint n_points, n_skipped, n_done = 0;
  gboolean ok = FALSE;

  if (helper == NULL)
    return FALSE;
  n_points = plan (self, models, counts, &n_skipped);

  for (; n_done < n_points; n_done++)
    {
      Point *point = &points[n_done];

      ptl_run_progress (run, n_done / (double) n_points, _("%s with %u connections"),
                        _(model_labels[models[n_done]]), counts[n_done]);
      point->bucket_ns = g_array_new (FALSE, FALSE, sizeof (guint64));
      point->bucket_count = g_array_new (FALSE, FALSE, sizeof (guint64));
      if (!measure_point (self, helper, models[n_done], counts[n_done], ptl_run_get_cancellable (run),
                          point, error))
        {
          n_done++;
          goto out;
        }
      if (ptl_run_set_error_if_cancelled (run, error))
        {
          n_done++;
          goto out;
        }
    }

  add_results (self, result, points, models, counts, n_points);
  if (n_skipped > 0)
    ptl_result_add_warning (result,
                            ngettext ("%u point was skipped: it needs a thread or process per connection, "
                                      "more than the limit of %u threads and processes (Preferences, or "
                                      "--max-tasks).",
                                      "%u points were skipped: they need a thread or process per connection, "
                                      "more than the limit of %u threads and processes (Preferences, or "
                                      "--max-tasks).", n_skipped),
                            n_skipped, ptl_experiment_get_max_tasks ());
  if (getrlimit (RLIMIT_NOFILE, &files) == 0)
    ptl_result_add_note (result,
                         _("Server and generator raise their descriptor limit to the hard limit, %llu here; a "
                           "connection count above it would be refused and counted."),
                         (unsigned long long) files.rlim_max);
  ptl_result_add_note (result,
                       _("Latency is timed by the generator from writing a request to reading its whole "
                         "answer. Each connection sends its next request only after the answer (a closed "
                         "loop), so time a stalled server made clients wait before sending is not in the "
                         "percentiles; it shows as fewer requests per second and as unanswered "
                         "connections. Each request computes %u µs and waits %u ms."),
                       self->compute_us, self->wait_ms);
  ok = TRUE;

out:
  for (guint i = 0; i < n_done; i++)
    {
      g_clear_pointer (&points[i].bucket_ns, g_array_unref);
      g_clear_pointer (&points[i].bucket_count, g_array_unref);
    }
  return ok;
}

static guint
ptl_servers_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlServersExperiment *self = PTL_SERVERS_EXPERIMENT (experiment);
  PtlServerModel models[N_MODELS * G_N_ELEMENTS (sweep)];
  guint counts[N_MODELS * G_N_ELEMENTS (sweep)];
  guint n_skipped, most = 1;
  guint n = plan (self, models, counts, &n_skipped);

  /* The server's tasks and the generator, for the points that will run. */
  for (guint i = 0; i < n; i++)
    most = MAX (most, model_tasks (self, models[i], counts[i]) + 1);
  return most;
}

static void
ptl_servers_experiment_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PtlServersExperiment *self = PTL_SERVERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_enum (value, self->model);
      break;
    case PROP_CONNECTIONS:
      g_value_set_uint (value, self->connections);
      break;
    case PROP_COMPUTE_US:
      g_value_set_uint (value, self->compute_us);
      break;
    case PROP_WAIT_MS:
      g_value_set_uint (value, self->wait_ms);
      break;
    case PROP_WORKERS:
      g_value_set_uint (value, self->workers);
      break;
    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;
    case PROP_WARMUP_MS:
      g_value_set_uint (value, self->warmup_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_servers_experiment_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PtlServersExperiment *self = PTL_SERVERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      ptl_param_store_enum (object, (int *) &self->model, value, pspec);
      break;
    case PROP_CONNECTIONS:
      ptl_param_store_uint (object, &self->connections, value, pspec);
      break;
    case PROP_COMPUTE_US:
      ptl_param_store_uint (object, &self->compute_us, value, pspec);
      break;
    case PROP_WAIT_MS:
      ptl_param_store_uint (object, &self->wait_ms, value, pspec);
      break;
    case PROP_WORKERS:
      ptl_param_store_uint (object, &self->workers, value, pspec);
      break;
    case PROP_DURATION_MS:
      ptl_param_store_uint (object, &self->duration_ms, value, pspec);
      break;
    case PROP_WARMUP_MS:
      ptl_param_store_uint (object, &self->warmup_ms, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_servers_experiment_class_init (PtlServersExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "requests", N_("Requests per second") },
    { "p99", N_("99th percentile latency") },
    { "memory", N_("Server memory (resident)") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_servers_experiment_get_property;
  object_class->set_property = ptl_servers_experiment_set_property;

  experiment_class->id = "servers";
  experiment_class->title = N_("Servers under load");
  experiment_class->category = N_("Event loop");
  experiment_class->summary =
    N_("Six ways to write a server — one connection at a time, a process or a thread per connection, a "
       "thread pool, one event loop, an event loop per core — under 1 to 10,000 keep-alive connections "
       "on loopback: requests per second, latency percentiles, and what each costs in memory, threads "
       "and descriptors.");
  experiment_class->explanation =
    N_("Every server here answers the same minimal HTTP/1.1 (keep-alive, pipelining allowed) with the "
       "same small page, after computing for compute-us and waiting wait-ms, as a handler that asks a "
       "database would. The blocking models wait by sleeping in their thread; the event loops wait "
       "on a timer and serve others meanwhile.\n\n"
       "Iterative: one connection at a time. With keep-alive, the first client keeps the server to "
       "itself and the others are never answered (the unanswered column). Process per connection "
       "(fork, like the old inetd and Apache's prefork) and thread per connection serve everyone, "
       "but each connection costs a process or a thread: memory, a stack, and a context switch on "
       "every wake-up. That is the C10K problem: ten thousand sleeping threads are possible, but "
       "every one of them is a scheduler entity and a stack. Thread pool: a fixed number of workers, "
       "each serving one connection until it closes, so with keep-alive only workers clients are "
       "served and the rest wait: why pools suit short requests, not long connections.\n\n"
       "Event loop (epoll): one thread watches every socket with one epoll set, reads what is ready, "
       "answers what it can, and keeps a timer heap for the waits. Its memory grows by a few "
       "kilobytes per connection, not by a thread stack, which is how nginx, Node.js and uvicorn "
       "hold ten thousand connections. One loop uses one core; event loop per core starts one "
       "process per core, each with its own socket on the same port (SO_REUSEPORT), as nginx's "
       "workers and uvicorn --workers do, and the kernel spreads the connections among them.\n\n"
       "How it is measured. For each model and connection count a fresh server process starts, and "
       "a load generator in its own process (one thread, one epoll set) opens all the connections, "
       "warms up for warmup-ms and then counts for duration-ms: each connection sends a request, "
       "reads the answer, and sends the next. Memory, threads and descriptors are the peaks of the "
       "server's whole process group, sampled from /proc every 100 ms; resident memory sums each "
       "process's pages, so pages shared after a fork count more than once. Both processes raise "
       "their descriptor limit to the hard limit. Points that would need more threads or processes "
       "than your limit are skipped, and the run says so.");

  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "Requests", PTL_HEADLINE_MAX);
  experiment_class->run = ptl_servers_experiment_run;
  experiment_class->count_tasks = ptl_servers_experiment_count_tasks;

  properties[PROP_MODEL] =
    g_param_spec_enum ("model", N_("Server model"),
                       N_("Which server to load, or all of them one after the other"),
                       PTL_TYPE_SERVER_MODEL, PTL_SERVER_MODEL_ALL, flags);
  {
    static const char * const labels[] = {
      N_("Iterative"), N_("Process per connection"), N_("Thread per connection"), N_("Thread pool"),
      N_("Event loop (epoll)"), N_("Event loop per core"), N_("All of them"), NULL
    };

    ptl_param_set_choice_labels (properties[PROP_MODEL], labels);
  }
  properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", N_("Connections"),
                       N_("Keep-alive connections the generator holds busy; 0 sweeps 1, 10, 100, 1000 and 10,000"),
                       0, 50000, 0, flags);
  properties[PROP_COMPUTE_US] =
    g_param_spec_uint ("compute-us", N_("Work per request"),
                       N_("How long each request computes in the server"),
                       0, 100000, 0, flags);
  ptl_param_set_unit (properties[PROP_COMPUTE_US], "µs");
  properties[PROP_WAIT_MS] =
    g_param_spec_uint ("wait-ms", N_("Wait per request"),
                       N_("How long each request waits, as for a database: a sleep in the blocking "
                          "models, a timer in the event loops"),
                       0, 1000, 1, flags);
  ptl_param_set_unit (properties[PROP_WAIT_MS], "ms");
  properties[PROP_WORKERS] =
    g_param_spec_uint ("workers", N_("Pool size"),
                       N_("Threads of the thread-pool model"),
                       1, 1024, 16, flags);
  ptl_param_set_unit (properties[PROP_WORKERS], N_("threads"));
  properties[PROP_DURATION_MS] =
    g_param_spec_uint ("duration-ms", N_("Duration"),
                       N_("How long each point is measured, after the warm-up"),
                       100, 60000, 1000, flags);
  ptl_param_set_unit (properties[PROP_DURATION_MS], "ms");
  properties[PROP_WARMUP_MS] =
    g_param_spec_uint ("warmup-ms", N_("Warm-up"),
                       N_("How long the connections run before counting starts"),
                       0, 10000, 300, flags);
  ptl_param_set_unit (properties[PROP_WARMUP_MS], "ms");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_servers_experiment_init (PtlServersExperiment *self)
{
  self->model = PTL_SERVER_MODEL_ALL;
  self->connections = 0;
  self->compute_us = 0;
  self->wait_ms = 1;
  self->workers = 16;
  self->duration_ms = 1000;
  self->warmup_ms = 300;
}

GType
ptl_server_model_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_SERVER_MODEL_ITERATIVE, "PTL_SERVER_MODEL_ITERATIVE", "iterative" },
    { PTL_SERVER_MODEL_FORK, "PTL_SERVER_MODEL_FORK", "fork" },
    { PTL_SERVER_MODEL_THREAD, "PTL_SERVER_MODEL_THREAD", "thread" },
    { PTL_SERVER_MODEL_POOL, "PTL_SERVER_MODEL_POOL", "pool" },
    { PTL_SERVER_MODEL_EPOLL, "PTL_SERVER_MODEL_EPOLL", "epoll" },
    { PTL_SERVER_MODEL_REUSEPORT, "PTL_SERVER_MODEL_REUSEPORT", "reuseport" },
    { PTL_SERVER_MODEL_ALL, "PTL_SERVER_MODEL_ALL", "all" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlServerModel", values);
}
