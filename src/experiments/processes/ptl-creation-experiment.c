/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-creation-experiment"

#include "config.h"

/* PRId64 rather than G_GINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "ptl-creation-experiment.h"
#include "ptl-spawn-batch.h"
#include "ptl-spawn-util.h"

/* "Creation cost": what it costs to create a thread or a process and
 * wait for its end, seven ways.
 *
 * Timing method. Every creation is stamped with CLOCK_MONOTONIC just
 * before the call that creates it and just after the join or waitpid ()
 * that reaps it; nothing else runs in between (arguments are prepared
 * before, numbers made after). With concurrency N, N are created, then
 * all are reaped in creation order, so a sample also holds the wait for
 * the ones created before it; the rate is creations per second over
 * whole batches. fork, vfork, posix-spawn and fork-exec run by default
 * inside ptlab-helper (`create`), which times itself the same way and
 * prints its samples, because forking the lab would measure the lab's
 * size (see the size sweep). The work is split into rounds in which
 * every mechanism takes its turn, so a slow spell of the shared machine
 * hits them all; each round starts with a few untimed creations.
 * CPU time is getrusage () of the creating process and of its reaped
 * children over the timed batches. */

struct _PtlCreationExperiment
{
  PtlExperiment        parent_instance;

  /* parameters */
  guint                iterations;
  guint                concurrency;
  guint                parent_mib;
  PtlCreationFrom      from;
  gboolean             size_sweep;
  PtlCreationPlacement placement;
};

enum {
  PROP_0,
  PROP_ITERATIONS,
  PROP_CONCURRENCY,
  PROP_PARENT_MIB,
  PROP_FROM,
  PROP_SIZE_SWEEP,
  PROP_PLACEMENT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlCreationExperiment, ptl_creation_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

typedef enum
{
  MECH_THREAD,
  MECH_PTHREAD,
  MECH_FORK,
  MECH_VFORK,
  MECH_POSIX_SPAWN,
  MECH_FORK_EXEC,
  MECH_GSUBPROCESS,
  N_MECHS
} Mechanism;

/* Identifiers, like the parameter names: not translated. */
static const char * const mechanism_names[N_MECHS + 1] = {
  "thread", "pthread", "fork", "vfork", "posix-spawn", "fork-exec", "gsubprocess", NULL,
};

/* What charts and the table show for each. */
static const char * const mechanism_labels[N_MECHS] = {
  N_("GThread"), N_("POSIX thread"), N_("fork ()"), N_("vfork ()"), N_("posix_spawn ()"),
  N_("fork () + exec ()"), N_("GSubprocess"),
};

/* The parent-size sweep's series, in this order. */
static const Mechanism sweep_mechanisms[] = { MECH_FORK, MECH_VFORK, MECH_POSIX_SPAWN };
static const guint sweep_mib[] = { 0, 16, 64, 256 };

#define ROUNDS           3
#define WARMUP_CREATIONS 8
#define SWEEP_CREATIONS  40
#define HISTOGRAM_BINS_PER_DECADE 20
#define CDF_STEP_TENTHS  5
#define MEMORY_MARGIN    (G_GINT64_CONSTANT (64) << 20)
#define MIB              (G_GINT64_CONSTANT (1) << 20)

/* The creating process, as fork () sees it. */
typedef struct
{
  gint64 rss;      /* peak resident set, bytes; -1 unknown */
  gint64 mappings; /* memory mappings; -1 unknown */
} Parent;

/* What one mechanism measured, over all its rounds. */
typedef struct
{
  GArray *samples;    /* double, seconds */
  gint64  elapsed_ns; /* complete timed batches */
  guint64 rated;      /* creations in those batches */
  gint64  cpu_ns;     /* creating process + children over those batches */
} Tally;

typedef struct
{
  /* borrowed */
  PtlRun       *run;
  GCancellable *cancellable;

  /* owned */
  char         *helper;
  char         *exit_argv[3]; /* `ptlab-helper exit`: what the exec mechanisms run */
  gulong        cancelled_id;
  int           stop;         /* set from the cancellable: no further creation */
  guint         capacity;     /* of the scratch arrays */
  gint64       *latencies;
  gint64       *starts;
  pid_t        *pids;
  pthread_t    *pthreads;
  GThread     **gthreads;
  GSubprocess **subprocesses;
  void         *touched;      /* parent-mib, written in the lab (from=app) */
  gsize         touched_bytes;
  gboolean      pinned;
  cpu_set_t     saved_affinity;
} Lab;

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  Lab *lab = user_data;

  g_atomic_int_set (&lab->stop, 1);
}

static Lab *
lab_new (PtlRun   *run,
         guint     capacity,
         GError  **error)
{
  g_autofree char *helper = ptl_machine_find_helper (error);
  Lab *lab;

  if (helper == NULL)
    return NULL;

  lab = g_new0 (Lab, 1);
  lab->run = run;
  lab->cancellable = ptl_run_get_cancellable (run);
  lab->helper = g_steal_pointer (&helper);
  lab->exit_argv[0] = lab->helper;
  lab->exit_argv[1] = (char *) "exit";
  lab->capacity = capacity;
  lab->latencies = g_new0 (gint64, capacity);
  lab->starts = g_new0 (gint64, capacity);
  lab->pids = g_new0 (pid_t, capacity);
  lab->pthreads = g_new0 (pthread_t, capacity);
  lab->gthreads = g_new0 (GThread *, capacity);
  lab->subprocesses = g_new0 (GSubprocess *, capacity);
  lab->cancelled_id = g_cancellable_connect (lab->cancellable, G_CALLBACK (run_cancelled_cb), lab, NULL);
  return lab;
}

static void
lab_free (Lab *lab)
{
  g_cancellable_disconnect (lab->cancellable, lab->cancelled_id);
  if (lab->pinned)
    ptl_spawn_unpin_thread (&lab->saved_affinity);
  ptl_spawn_untouch (lab->touched, lab->touched_bytes);
  g_free (lab->helper);
  g_free (lab->latencies);
  g_free (lab->starts);
  g_free (lab->pids);
  g_free (lab->pthreads);
  g_free (lab->gthreads);
  g_free (lab->subprocesses);
  g_free (lab);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lab, lab_free)

static void
tally_clear (Tally *tally)
{
  g_clear_pointer (&tally->samples, g_array_unref);
}

static void
tally_init (Tally *tally)
{
  memset (tally, 0, sizeof *tally);
  tally->samples = g_array_new (FALSE, FALSE, sizeof (double));
}

static gboolean
is_thread (Mechanism mechanism)
{
  return mechanism == MECH_THREAD || mechanism == MECH_PTHREAD;
}

static PtlSpawnMechanism
spawn_mechanism (Mechanism mechanism)
{
  switch (mechanism)
    {
    case MECH_FORK:
      return PTL_SPAWN_FORK;
    case MECH_VFORK:
      return PTL_SPAWN_VFORK;
    case MECH_POSIX_SPAWN:
      return PTL_SPAWN_POSIX_SPAWN;
    case MECH_FORK_EXEC:
      return PTL_SPAWN_FORK_EXEC;
    case MECH_THREAD:
    case MECH_PTHREAD:
    case MECH_GSUBPROCESS:
    case N_MECHS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_failure (GError     **error,
             const char  *call,
             int          errsv,
             guint        in_flight)
{
  g_autofree char *message = ptl_spawn_describe_failure (call, errsv, in_flight);

  g_set_error_literal (error, PTL_ERROR,
                       ptl_spawn_errno_is_limit (errsv) ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED, message);
}

/* Batches in the lab. Each creates up to @n, reaps all it created, puts
 * their samples in lab->latencies and returns how many, with an error
 * when a creation failed; fewer without an error when stopped. */

static gpointer
empty_gthread (gpointer data)
{
  return data;
}

static void *
empty_pthread (void *data)
{
  return data;
}

static guint
thread_batch (Lab       *lab,
              gboolean   raw,
              guint      n,
              gint64    *elapsed_ns,
              GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 first = ptl_clock_now_ns ();
  guint created = 0;
  int rc = 0;

  while (created < n && !g_atomic_int_get (&lab->stop))
    {
      lab->starts[created] = ptl_clock_now_ns ();
      if (raw)
        rc = pthread_create (&lab->pthreads[created], NULL, empty_pthread, NULL);
      else
        lab->gthreads[created] = g_thread_try_new ("ptl-create", empty_gthread, NULL, &local_error);
      if (rc != 0 || local_error != NULL)
        break;
      created++;
    }

  for (guint i = 0; i < created; i++)
    {
      if (raw)
        pthread_join (lab->pthreads[i], NULL);
      else
        g_thread_join (lab->gthreads[i]);
      lab->latencies[i] = ptl_clock_now_ns () - lab->starts[i];
    }
  *elapsed_ns = ptl_clock_now_ns () - first;

  /* GLib reports only G_THREAD_ERROR_AGAIN, which is pthread_create's
   * EAGAIN: a thread or process limit. */
  if (rc != 0)
    set_failure (error, "pthread_create", rc, created);
  else if (local_error != NULL)
    set_failure (error, "g_thread_try_new", EAGAIN, created);
  return created;
}

static guint
process_batch (Lab       *lab,
               Mechanism  mechanism,
               guint      n,
               gint64    *elapsed_ns,
               GError   **error)
{
  PtlSpawnPlan plan = { spawn_mechanism (mechanism), lab->helper, lab->exit_argv, n, &lab->stop };
  PtlSpawnFailure failure;
  gint64 elapsed;
  guint done;

  done = ptl_spawn_batch (&plan, lab->latencies, lab->starts, lab->pids, &elapsed, &failure);
  *elapsed_ns = elapsed;

  if (failure.call == NULL)
    return done;
  if (g_str_equal (failure.call, "exit"))
    g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                 _("A child running %s exit did not exit cleanly (wait status %d)"),
                 lab->helper, failure.status);
  else
    set_failure (error, failure.call, failure.error, failure.in_flight);
  return done;
}

static guint
subprocess_batch (Lab     *lab,
                  guint    n,
                  gint64  *elapsed_ns,
                  GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 first = ptl_clock_now_ns ();
  guint created = 0, done = 0;
  gboolean cancelled = FALSE;

  while (created < n && !g_atomic_int_get (&lab->stop))
    {
      lab->starts[created] = ptl_clock_now_ns ();
      lab->subprocesses[created] = g_subprocess_newv ((const char * const *) lab->exit_argv,
                                                      G_SUBPROCESS_FLAGS_NONE, &local_error);
      if (lab->subprocesses[created] == NULL)
        break;
      created++;
    }

  for (guint i = 0; i < created; i++)
    {
      GSubprocess *subprocess = lab->subprocesses[i];

      if (!cancelled && g_subprocess_wait (subprocess, lab->cancellable, NULL))
        {
          if (g_subprocess_get_successful (subprocess))
            lab->latencies[done++] = ptl_clock_now_ns () - lab->starts[i];
        }
      else
        {
          /* Cancelled: the rest are ended and reaped without waiting. */
          cancelled = TRUE;
          g_subprocess_force_exit (subprocess);
          g_subprocess_wait (subprocess, NULL, NULL);
        }
      g_clear_object (&lab->subprocesses[i]);
    }
  *elapsed_ns = ptl_clock_now_ns () - first;

  if (local_error != NULL)
    {
      int errsv = EINVAL;

      if (g_error_matches (local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOMEM))
        errsv = ENOMEM;
      else if (g_error_matches (local_error, G_SPAWN_ERROR, G_SPAWN_ERROR_FORK))
        errsv = EAGAIN;
      if (errsv != EINVAL)
        set_failure (error, "g_subprocess_newv", errsv, created);
      else
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED, _("Could not start %s exit: %s"),
                     lab->helper, local_error->message);
    }
  else if (!cancelled && done < created)
    g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                 _("A child running %s exit did not exit cleanly"), lab->helper);
  return done;
}

static guint
lab_batch (Lab       *lab,
           Mechanism  mechanism,
           guint      n,
           gint64    *elapsed_ns,
           GError   **error)
{
  switch (mechanism)
    {
    case MECH_THREAD:
      return thread_batch (lab, FALSE, n, elapsed_ns, error);
    case MECH_PTHREAD:
      return thread_batch (lab, TRUE, n, elapsed_ns, error);
    case MECH_GSUBPROCESS:
      return subprocess_batch (lab, n, elapsed_ns, error);
    case MECH_FORK:
    case MECH_VFORK:
    case MECH_POSIX_SPAWN:
    case MECH_FORK_EXEC:
      return process_batch (lab, mechanism, n, elapsed_ns, error);
    case N_MECHS:
    default:
      g_assert_not_reached ();
    }
}

/* @n_batches timed batches of @concurrency in the lab, after a few
 * untimed creations. Samples of a batch cut short by a failure are kept;
 * its time does not count towards the rate. */
static gboolean
measure_in_lab (Lab        *lab,
                Mechanism   mechanism,
                guint       n_batches,
                guint       concurrency,
                Tally      *tally,
                GError    **error)
{
  gint64 cpu_start;

  g_assert (concurrency <= lab->capacity);

  for (guint warm = 0; warm < WARMUP_CREATIONS; warm += concurrency)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 elapsed;

      lab_batch (lab, mechanism, concurrency, &elapsed, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
        return FALSE;
    }

  cpu_start = ptl_clock_process_cpu_ns () + ptl_clock_children_cpu_ns ();
  for (guint b = 0; b < n_batches; b++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 elapsed;
      guint done;

      if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
        return FALSE;
      done = lab_batch (lab, mechanism, concurrency, &elapsed, &local_error);
      for (guint i = 0; i < done; i++)
        {
          double seconds = lab->latencies[i] / 1e9;
          g_array_append_val (tally->samples, seconds);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (done < concurrency)
        return !g_cancellable_set_error_if_cancelled (lab->cancellable, error);
      tally->elapsed_ns += elapsed;
      tally->rated += done;
    }
  tally->cpu_ns += ptl_clock_process_cpu_ns () + ptl_clock_children_cpu_ns () - cpu_start;
  return TRUE;
}

static gboolean
parse_i64 (const char *text,
           gint64     *value)
{
  char *end;

  *value = g_ascii_strtoll (text, &end, 10);
  return end != text && *end == '\0';
}

/* Runs `ptlab-helper create` and adds what it printed to @tally. */
static gboolean
measure_in_helper (Lab        *lab,
                   Mechanism   mechanism,
                   guint       creations,
                   guint       concurrency,
                   guint       touch_mib,
                   Tally      *tally,
                   Parent     *parent,
                   GError    **error)
{
  g_autofree char *n_text = g_strdup_printf ("%u", creations);
  g_autofree char *concurrency_text = g_strdup_printf ("%u", concurrency);
  g_autofree char *mib_text = g_strdup_printf ("%u", touch_mib);
  const char *args[] = { "create", ptl_spawn_mechanism_name (spawn_mechanism (mechanism)),
                         n_text, concurrency_text, mib_text, NULL };
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 elapsed = -1, rated = -1, cpu = -1, children_cpu = -1;
  const char *failed = NULL;

  if (!ptl_spawn_run_helper (lab->helper, args, lab->cancellable, &output, error))
    return FALSE;

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gint64 value;

      if (g_str_has_prefix (line, "sample_ns=") && parse_i64 (line + strlen ("sample_ns="), &value))
        {
          double seconds = value / 1e9;
          g_array_append_val (tally->samples, seconds);
        }
      else if (g_str_has_prefix (line, "elapsed_ns="))
        parse_i64 (line + strlen ("elapsed_ns="), &elapsed);
      else if (g_str_has_prefix (line, "rated="))
        parse_i64 (line + strlen ("rated="), &rated);
      else if (g_str_has_prefix (line, "cpu_ns="))
        parse_i64 (line + strlen ("cpu_ns="), &cpu);
      else if (g_str_has_prefix (line, "children_cpu_ns="))
        parse_i64 (line + strlen ("children_cpu_ns="), &children_cpu);
      else if (g_str_has_prefix (line, "parent_rss_bytes=") && parent != NULL)
        parse_i64 (line + strlen ("parent_rss_bytes="), &parent->rss);
      else if (g_str_has_prefix (line, "parent_mappings=") && parent != NULL)
        parse_i64 (line + strlen ("parent_mappings="), &parent->mappings);
      else if (g_str_has_prefix (line, "failed="))
        failed = line + strlen ("failed=");
    }

  if (elapsed < 0 || rated < 0 || cpu < 0 || children_cpu < 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("The helper program %s did not report what it measured; is it from another version of ptlab?"),
                   lab->helper);
      return FALSE;
    }
  tally->elapsed_ns += elapsed;
  tally->rated += rated;
  tally->cpu_ns += cpu + children_cpu;

  if (failed != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (failed, " ", -1);
      gint64 errsv = 0, in_flight = 0, status = 0;

      if (g_strv_length (fields) != 4 || !parse_i64 (fields[1], &errsv) ||
          !parse_i64 (fields[2], &in_flight) || !parse_i64 (fields[3], &status))
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("The helper program %s reported a failure the lab cannot read: %s"), lab->helper, failed);
      else if (g_str_equal (fields[0], "exit"))
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("A child running %s exit did not exit cleanly (wait status %d)"),
                     lab->helper, (int) status);
      else
        set_failure (error, fields[0], (int) errsv, (guint) in_flight);
      return FALSE;
    }
  return TRUE;
}

/* Output */

typedef struct
{
  PtlSeries *median;
  PtlSeries *cpu;
  PtlSeries *rate;
  PtlSeries *cdf[N_MECHS];
  PtlSeries *histogram[N_MECHS];
  PtlSeries *sweep[G_N_ELEMENTS (sweep_mechanisms)];
  PtlTable  *summary;
} Output;

enum {
  COLUMN_MECHANISM,
  COLUMN_MEDIAN,
  COLUMN_P5,
  COLUMN_P95,
  COLUMN_P99,
  COLUMN_RATE,
  COLUMN_CPU,
  COLUMN_WHERE,
};

static void
create_output (PtlResult  *result,
               guint       concurrency,
               gboolean    size_sweep,
               const char *placement,
               Output     *out)
{
  g_autofree char *cost_title = NULL;
  g_autofree char *rate_title = NULL;
  const char *labels[N_MECHS + 1] = { NULL };
  PtlChart *chart;

  for (guint m = 0; m < N_MECHS; m++)
    labels[m] = _(mechanism_labels[m]);

  cost_title = g_strdup_printf (_("Create-and-reap time (median, p5–p95; %s)"), placement);
  chart = ptl_result_add_chart (result, "cost", PTL_CHART_BAR, cost_title);
  ptl_chart_set_x_axis (chart, _("Mechanism"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Time per creation"), "s", TRUE);
  ptl_chart_set_categories_with_ids (chart, mechanism_names, labels);
  out->median = ptl_chart_add_series_with_id (chart, "wall", _("Wall time"));
  ptl_series_set_band_label (out->median, _("p5–p95"));
  out->cpu = ptl_chart_add_series_with_id (chart, "cpu", _("CPU time"));

  rate_title = g_strdup_printf (ngettext ("Creations per second, %u at a time (%s)",
                                          "Creations per second, %u at a time (%s)", concurrency),
                                concurrency, placement);
  chart = ptl_result_add_chart (result, "rate", PTL_CHART_BAR, rate_title);
  ptl_chart_set_x_axis (chart, _("Mechanism"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Creations per second"), "ops/s", TRUE);
  ptl_chart_set_categories_with_ids (chart, mechanism_names, labels);
  out->rate = ptl_chart_add_series_with_id (chart, "rate", _("Creations per second"));

  chart = ptl_result_add_chart (result, "distribution", PTL_CHART_LINE,
                                _("Distribution of create-and-reap times"));
  ptl_chart_set_x_axis (chart, _("Create-and-reap time"), "s", TRUE);
  ptl_chart_set_y_axis (chart, _("Creations at most this long"), "%", FALSE);
  ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, 50, _("Median"));
  ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, 95, _("p95"));
  for (guint m = 0; m < N_MECHS; m++)
    out->cdf[m] = ptl_chart_add_series_with_id (chart, mechanism_names[m], labels[m]);

  chart = ptl_result_add_chart (result, "histogram", PTL_CHART_LINE,
                                _("Histogram of create-and-reap times"));
  ptl_chart_set_x_axis (chart, _("Create-and-reap time"), "s", TRUE);
  ptl_chart_set_y_axis (chart, _("Share of creations"), "%", FALSE);
  for (guint m = 0; m < N_MECHS; m++)
    out->histogram[m] = ptl_chart_add_series_with_id (chart, mechanism_names[m], labels[m]);

  if (size_sweep)
    {
      chart = ptl_result_add_chart (result, "parent-size", PTL_CHART_LINE,
                                    _("Creation cost by memory the parent has written"));
      ptl_chart_set_x_axis (chart, _("Memory written by the parent"), "B", FALSE);
      ptl_chart_set_y_axis (chart, _("Create-and-reap time"), "s", FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (sweep_mechanisms); i++)
        {
          out->sweep[i] = ptl_chart_add_series_with_id (chart, mechanism_names[sweep_mechanisms[i]],
                                                        labels[sweep_mechanisms[i]]);
          ptl_series_set_band_label (out->sweep[i], _("p5–p95"));
        }
    }

  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "mechanism", _("Mechanism"), NULL);
  ptl_table_add_column_with_id (out->summary, "median", _("Median"), "s");
  ptl_table_add_column_with_id (out->summary, "p5", _("p5"), "s");
  ptl_table_add_column_with_id (out->summary, "p95", _("p95"), "s");
  ptl_table_add_column_with_id (out->summary, "p99", _("p99"), "s");
  ptl_table_add_column_with_id (out->summary, "rate", _("Rate"), "ops/s");
  ptl_table_add_column_with_id (out->summary, "cpu", _("CPU time"), "s");
  ptl_table_add_column_with_id (out->summary, "where", _("Run from"), NULL);
}

/* The cumulative distribution, a point every CDF_STEP_TENTHS of a percent
 * whatever the number of samples. */
static void
add_cdf (PtlSeries    *series,
         const double *samples,
         gsize         n)
{
  g_autofree double *values = NULL;
  g_autofree double *percent = NULL;
  guint n_points = ptl_stats_cdf (samples, n, CDF_STEP_TENTHS, CDF_STEP_TENTHS, &values, &percent);

  for (guint i = 0; i < n_points; i++)
    ptl_series_add_point (series, values[i], percent[i]);
}

/* Bins of 12 % (20 a decade): each mechanism's peak stands apart, and a
 * second mode (wake-ups across CPUs) shows as a second hump. An empty bin
 * between two empty ones adds nothing to the line but a marker: left out. */
static void
add_histogram (PtlSeries    *series,
               const double *samples,
               gsize         n)
{
  g_autofree double *centers = NULL;
  g_autofree double *percent = NULL;
  guint n_bins = ptl_stats_log_histogram (samples, n, HISTOGRAM_BINS_PER_DECADE, &centers, &percent);

  for (guint i = 0; i < n_bins; i++)
    if (percent[i] > 0 || i == 0 || i + 1 == n_bins || percent[i - 1] > 0 || percent[i + 1] > 0)
      ptl_series_add_point (series, centers[i], percent[i]);
}

static void
publish_mechanism (PtlResult  *result,
                   Output     *out,
                   Mechanism   mechanism,
                   Tally      *tally,
                   const char *where,
                   PtlStats   *stats)
{
  g_autofree char *name = g_strdup_printf ("create/%s", mechanism_names[mechanism]);
  const double *samples = (const double *) (gpointer) tally->samples->data;
  gsize n = tally->samples->len;
  double rate = tally->elapsed_ns > 0 ? tally->rated / (tally->elapsed_ns / 1e9) : NAN;
  double cpu = tally->rated > 0 ? tally->cpu_ns / 1e9 / tally->rated : NAN;
  guint row;

  ptl_stats_compute (stats, samples, n);
  if (n == 0)
    return;

  ptl_series_add_point_band (out->median, mechanism, stats->median, stats->p5, stats->p95);
  if (!isnan (cpu))
    ptl_series_add_point (out->cpu, mechanism, cpu);
  if (!isnan (rate))
    ptl_series_add_point (out->rate, mechanism, rate);
  add_cdf (out->cdf[mechanism], samples, n);
  add_histogram (out->histogram[mechanism], samples, n);

  row = ptl_table_add_row_with_id (out->summary, mechanism_names[mechanism]);
  ptl_table_set_text (out->summary, row, COLUMN_MECHANISM, _(mechanism_labels[mechanism]));
  ptl_table_set_number (out->summary, row, COLUMN_MEDIAN, stats->median);
  ptl_table_set_number (out->summary, row, COLUMN_P5, stats->p5);
  ptl_table_set_number (out->summary, row, COLUMN_P95, stats->p95);
  ptl_table_set_number (out->summary, row, COLUMN_P99, stats->p99);
  ptl_table_set_number (out->summary, row, COLUMN_RATE, rate);
  ptl_table_set_number (out->summary, row, COLUMN_CPU, cpu);
  ptl_table_set_text (out->summary, row, COLUMN_WHERE, where);

  ptl_result_add_samples (result, name, "s", (const double *) (gpointer) tally->samples->data, n);
}

/* Least-squares slope of @y over @x: seconds per byte. */
static double
slope (const double *x,
       const double *y,
       guint         n)
{
  double mean_x = ptl_stats_mean (x, n), mean_y = ptl_stats_mean (y, n);
  double sxy = 0, sxx = 0;

  for (guint i = 0; i < n; i++)
    {
      sxy += (x[i] - mean_x) * (y[i] - mean_y);
      sxx += (x[i] - mean_x) * (x[i] - mean_x);
    }
  return sxx > 0 ? sxy / sxx : NAN;
}

static void
note_where (PtlResult    *result,
            gboolean      from_app,
            guint         parent_mib,
            const Parent *helper,
            const Parent *lab)
{
  g_autofree char *lab_text = ptl_format_value (lab->rss, "B");
  g_autofree char *helper_text = ptl_format_value (helper->rss, "B");

  if (from_app)
    ptl_result_add_note (result,
                         _("Every mechanism ran inside the lab process (peak resident set %s with "
                           "parent-mib = %u MiB written, %" PRId64 " memory mappings): fork "
                           "copies the page tables of all of it and every mapping, which is what the "
                           "default from = helper avoids."),
                         lab_text, parent_mib, lab->mappings);
  else
    ptl_result_add_note (result,
                         _("fork, vfork, posix-spawn and fork-exec ran inside ptlab-helper, a small "
                           "process (peak resident set %s with parent-mib = %u MiB written, "
                           "%" PRId64 " memory mappings); thread, pthread and gsubprocess ran "
                           "in the lab itself (peak resident set %s, %" PRId64 " mappings). "
                           "fork copies every mapping, and each shared library adds several: from = app "
                           "measures all of them from the lab for contrast."),
                         helper_text, parent_mib, helper->mappings, lab_text, lab->mappings);
  ptl_result_add_note (result,
                       _("posix-spawn, fork-exec and gsubprocess run “ptlab-helper exit”, which only "
                         "loads libc and exits: their cost includes exec and the dynamic loader. "
                         "fork and vfork children call _exit (0) at once."));
}

static void
note_subprocess (PtlResult      *result,
                 const PtlStats *subprocess,
                 const PtlStats *bare)
{
  g_autofree char *subprocess_text = ptl_format_value (subprocess->median, "s");
  g_autofree char *bare_text = ptl_format_value (bare->median, "s");
  g_autofree char *extra_text = ptl_format_value (subprocess->median - bare->median, "s");

  if (subprocess->n == 0 || bare->n == 0)
    return;
  ptl_result_add_note (result,
                       _("gsubprocess took %s (median) where a bare posix_spawn () of the same program "
                         "from the same lab process, measured in the same rounds, took %s: the %s "
                         "difference is GLib's bookkeeping (its own pipe to report exec errors, "
                         "closing inherited descriptors in the child, and a child watch on GLib's "
                         "worker thread that reaps the child and wakes the waiting thread)."),
                       subprocess_text, bare_text, extra_text);
}

static void
note_noise (PtlResult      *result,
            const PtlStats *stats)
{
  g_autoptr(GString) noisy = g_string_new (NULL);

  for (guint m = 0; m < N_MECHS; m++)
    if (ptl_stats_is_noisy (&stats[m]))
      g_string_append_printf (noisy, "%s%s", noisy->len ? ", " : "", _(mechanism_labels[m]));

  if (noisy->len > 0)
    ptl_result_add_warning (result,
                            _("Wide spread for %s: p95 − p5 is more than %.0f × the median (other work "
                              "or wake-ups across CPUs); compare medians, and run again on a quiet machine."),
                            noisy->str, PTL_NOISY_SPREAD);
}

static gboolean
check_limits (PtlCreationExperiment  *self,
              GError                **error)
{
  gint64 available = ptl_spawn_get_mem_available ();
  guint64 nproc;

  if (ptl_spawn_get_nproc_limit (&nproc) && self->concurrency >= nproc)
    {
      g_autofree char *limit = ptl_spawn_dup_nproc_limit ();

      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("concurrency = %u needs that many processes or threads at once besides the lab "
                     "itself — %s"), self->concurrency, limit);
      return FALSE;
    }
  if (available >= 0 && self->parent_mib * MIB + MEMORY_MARGIN > available)
    {
      g_autofree char *text = ptl_format_value (available, "B");

      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("parent-mib = %u MiB is more than this machine can spare: MemAvailable is %s"),
                   self->parent_mib, text);
      return FALSE;
    }
  return TRUE;
}

/* One mechanism's share of a round, where the parameters say. */
static gboolean
measure_round (Lab                    *lab,
               PtlCreationExperiment  *self,
               Mechanism               mechanism,
               guint                   n_batches,
               Tally                  *tally,
               Parent                 *helper,
               GError                **error)
{
  if (self->from == PTL_CREATION_FROM_HELPER && !is_thread (mechanism) && mechanism != MECH_GSUBPROCESS)
    return measure_in_helper (lab, mechanism, n_batches * self->concurrency, self->concurrency,
                              self->parent_mib, tally, helper, error);
  return measure_in_lab (lab, mechanism, n_batches, self->concurrency, tally, error);
}

/* The parent-size sweep: one curve per mechanism, one at a time. */
static gboolean
run_sweep (Lab                    *lab,
           PtlCreationExperiment  *self,
           Output                 *out,
           guint                  *step,
           guint                   n_steps,
           GError                **error)
{
  PtlResult *result = ptl_run_get_result (lab->run);
  guint creations = MIN (self->iterations, SWEEP_CREATIONS);
  double x[G_N_ELEMENTS (sweep_mib)], medians[G_N_ELEMENTS (sweep_mechanisms)][G_N_ELEMENTS (sweep_mib)];
  gint64 available = ptl_spawn_get_mem_available ();
  guint n_sizes = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sweep_mib); s++)
    {
      gsize bytes = sweep_mib[s] * MIB;
      void *touched = NULL;

      if (available >= 0 && (gint64) bytes + MEMORY_MARGIN > available)
        {
          g_autofree char *text = ptl_format_value (available, "B");

          ptl_result_add_note (result, _("The size sweep stopped before %u MiB: MemAvailable is %s."),
                               sweep_mib[s], text);
          break;
        }
      if (self->from == PTL_CREATION_FROM_APP && bytes > 0)
        {
          touched = ptl_spawn_touch (bytes, &lab->stop);
          if (touched == NULL)
            {
              int saved = errno;

              if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
                return FALSE;
              g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("Could not write %u MiB in the lab: %s"),
                           sweep_mib[s], g_strerror (saved));
              return FALSE;
            }
        }

      for (guint i = 0; i < G_N_ELEMENTS (sweep_mechanisms); i++)
        {
          Mechanism mechanism = sweep_mechanisms[i];
          g_autofree char *name = g_strdup_printf ("size-sweep/%s/%u-MiB", mechanism_names[mechanism],
                                                   sweep_mib[s]);
          Tally tally;
          PtlStats stats;
          gboolean ok;

          ptl_run_progress (lab->run, (double) *step / n_steps, _("sweep: %s with %u MiB written"),
                            mechanism_names[mechanism], sweep_mib[s]);
          tally_init (&tally);
          if (self->from == PTL_CREATION_FROM_APP)
            ok = measure_in_lab (lab, mechanism, creations, 1, &tally, error);
          else
            ok = measure_in_helper (lab, mechanism, creations, 1, sweep_mib[s], &tally, NULL, error);
          if (!ok)
            {
              tally_clear (&tally);
              ptl_spawn_untouch (touched, bytes);
              return FALSE;
            }

          ptl_stats_compute (&stats, (const double *) (gpointer) tally.samples->data, tally.samples->len);
          ptl_series_add_point_band (out->sweep[i], bytes, stats.median, stats.p5, stats.p95);
          ptl_result_add_samples (result, name, "s", (const double *) (gpointer) tally.samples->data,
                                  tally.samples->len);
          medians[i][s] = stats.median;
          tally_clear (&tally);
          (*step)++;
        }
      ptl_spawn_untouch (touched, bytes);
      x[s] = sweep_mib[s];
      n_sizes++;
    }

  if (n_sizes >= 2)
    {
      g_autoptr(GString) slopes = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (sweep_mechanisms); i++)
        {
          g_autofree char *per_mib = ptl_format_value (slope (x, medians[i], n_sizes), "s");

          g_string_append_printf (slopes, "%s%s %s", i > 0 ? ", " : "",
                                  mechanism_names[sweep_mechanisms[i]], per_mib);
        }
      ptl_result_add_note (result, _("Size sweep: the cost grows per MiB the parent has written by %s "
                                     "(least-squares slope of the medians, %u creations a point, one at a time)."),
                           slopes->str, creations);
    }
  return TRUE;
}

static gboolean
ptl_creation_experiment_run (PtlExperiment  *experiment,
                             PtlRun         *run,
                             GError        **error)
{
  PtlCreationExperiment *self = PTL_CREATION_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_autoptr(Lab) lab = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *placement_text = NULL;
  gboolean from_app = self->from == PTL_CREATION_FROM_APP;
  Tally tallies[N_MECHS], bare;
  PtlStats stats[N_MECHS], bare_stats;
  guint n_batches = (self->iterations + self->concurrency - 1) / self->concurrency;
  guint rounds = MIN (ROUNDS, n_batches);
  guint batches_per_round = (n_batches + rounds - 1) / rounds;
  guint n_steps = rounds * N_MECHS + (self->size_sweep ? G_N_ELEMENTS (sweep_mib) * G_N_ELEMENTS (sweep_mechanisms) : 0);
  guint step = 0;
  Parent helper = { -1, -1 }, parent = { -1, -1 };
  int cpu = -1;
  Output out = { NULL };
  gboolean ok = TRUE;

  if (!check_limits (self, error))
    return FALSE;
  lab = lab_new (run, MAX (self->concurrency, WARMUP_CREATIONS), error);
  if (lab == NULL)
    return FALSE;

  if (self->placement == PTL_CREATION_PLACEMENT_SAME_CPU)
    {
      if (!ptl_spawn_pin_thread (&lab->saved_affinity, &cpu, error))
        return FALSE;
      lab->pinned = TRUE;
      placement_text = g_strdup_printf (_("all on CPU %d"), cpu);
    }
  else
    placement_text = g_strdup (_("unpinned"));
  ptl_spawn_record_int (result, "placement-cpu", cpu);

  if (from_app && self->parent_mib > 0)
    {
      lab->touched_bytes = self->parent_mib * MIB;
      lab->touched = ptl_spawn_touch (lab->touched_bytes, &lab->stop);
      if (lab->touched == NULL)
        {
          int saved = errno;

          if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
            return FALSE;
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("Could not write %u MiB in the lab: %s"),
                       self->parent_mib, g_strerror (saved));
          return FALSE;
        }
    }

  create_output (result, self->concurrency, self->size_sweep, placement_text, &out);
  for (guint m = 0; m < N_MECHS; m++)
    tally_init (&tallies[m]);
  tally_init (&bare);

  /* Rounds: every mechanism takes its turn in each. */
  for (guint r = 0; r < rounds && ok; r++)
    for (guint m = 0; m < N_MECHS && ok; m++)
      {
        ptl_run_progress (run, (double) step / n_steps, _("%s: round %u of %u"), mechanism_names[m], r + 1, rounds);
        ok = measure_round (lab, self, m, batches_per_round, &tallies[m], &helper, &failure);
        /* GSubprocess against a bare posix_spawn () from the same process. */
        if (ok && m == MECH_GSUBPROCESS && !from_app)
          ok = measure_in_lab (lab, MECH_POSIX_SPAWN, batches_per_round, self->concurrency, &bare, &failure);
        step++;
      }

  /* A limit ends the run but what was measured before stands. */
  if (failure == NULL || g_error_matches (failure, PTL_ERROR, PTL_ERROR_LIMIT))
    {
      for (guint m = 0; m < N_MECHS; m++)
        {
          const char *where = from_app || is_thread (m) || m == MECH_GSUBPROCESS ? "lab" : "helper";

          publish_mechanism (result, &out, m, &tallies[m], where, &stats[m]);
        }
      ptl_stats_compute (&bare_stats, (const double *) (gpointer) bare.samples->data, bare.samples->len);
      if (bare.samples->len > 0)
        ptl_result_add_samples (result, "create/posix-spawn-from-lab", "s",
                                (const double *) (gpointer) bare.samples->data, bare.samples->len);
    }
  for (guint m = 0; m < N_MECHS; m++)
    tally_clear (&tallies[m]);
  tally_clear (&bare);
  if (failure != NULL && !g_error_matches (failure, PTL_ERROR, PTL_ERROR_LIMIT))
    {
      g_propagate_error (error, g_steal_pointer (&failure));
      return FALSE;
    }

  if (failure != NULL)
    {
      /* A limit: what was measured so far stands, with the reason. */
      guint measured = 0;

      for (guint m = 0; m < N_MECHS; m++)
        measured += stats[m].n;
      if (measured == 0)
        {
          g_propagate_error (error, g_steal_pointer (&failure));
          return FALSE;
        }
      ptl_result_add_note (result, _("The run stopped early at a limit: %s. What is shown was measured "
                                     "before; the size sweep did not run."),
                           failure->message);
    }

  parent.rss = ptl_spawn_get_peak_rss ();
  parent.mappings = ptl_spawn_count_mappings ();
  ptl_spawn_record_int (result, "lab-peak-rss-bytes", parent.rss);
  ptl_spawn_record_int (result, "lab-mappings", parent.mappings);
  if (!from_app)
    {
      ptl_spawn_record_int (result, "helper-peak-rss-bytes", helper.rss);
      ptl_spawn_record_int (result, "helper-mappings", helper.mappings);
    }
  note_where (result, from_app, self->parent_mib, &helper, &parent);
  note_subprocess (result, &stats[MECH_GSUBPROCESS], from_app ? &stats[MECH_POSIX_SPAWN] : &bare_stats);
  if (self->concurrency > 1)
    ptl_result_add_note (result,
                         _("%u created at once, then all reaped in order: a sample is one child's time "
                           "from its creation to its reaping, so it includes the creation of the ones "
                           "after it; the rate counts whole batches. vfork () and posix_spawn () return "
                           "only once the child has left the parent's memory, so their children start "
                           "one after another however many are in flight."),
                         self->concurrency);
  else
    ptl_result_add_note (result, _("One creation at a time: the rate is about 1 / the mean time."));
  ptl_result_add_note (result,
                       _("CPU time per creation is getrusage () of the creating process and of its "
                         "reaped children over the timed batches; for what ran in the lab that includes "
                         "the lab's other threads."));
  if (cpu >= 0)
    ptl_result_add_note (result,
                         _("The measuring thread was pinned to CPU %d, so every thread and child it "
                           "created started there too (no wake-ups across CPUs)."), cpu);
  else
    ptl_result_add_note (result,
                         _("Unpinned: the kernel may start each thread or child on another CPU, and "
                           "waking an idle CPU costs extra here; placement = same-cpu removes that."));
  note_noise (result, stats);
  ptl_run_warn_if_virtual (lab->run);

  if (self->size_sweep && failure == NULL)
    {
      /* The sweep's sizes replace parent-mib: release it first. */
      ptl_spawn_untouch (lab->touched, lab->touched_bytes);
      lab->touched = NULL;
      if (!run_sweep (lab, self, &out, &step, n_steps, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ptl_creation_experiment_validate (PtlExperiment  *experiment,
                                  GError        **error)
{
  PtlCreationExperiment *self = PTL_CREATION_EXPERIMENT (experiment);

  if (self->concurrency > self->iterations)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("concurrency (%u) cannot exceed iterations (%u): one batch creates concurrency at once"),
                   self->concurrency, self->iterations);
      return FALSE;
    }
  return TRUE;
}

static guint
ptl_creation_experiment_count_tasks (PtlExperiment *experiment)
{
  return PTL_CREATION_EXPERIMENT (experiment)->concurrency;
}

static void
ptl_creation_experiment_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PtlCreationExperiment *self = PTL_CREATION_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_ITERATIONS:
      g_value_set_uint (value, self->iterations);
      break;
    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case PROP_PARENT_MIB:
      g_value_set_uint (value, self->parent_mib);
      break;
    case PROP_FROM:
      g_value_set_enum (value, self->from);
      break;
    case PROP_SIZE_SWEEP:
      g_value_set_boolean (value, self->size_sweep);
      break;
    case PROP_PLACEMENT:
      g_value_set_enum (value, self->placement);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_creation_experiment_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PtlCreationExperiment *self = PTL_CREATION_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_ITERATIONS:
      ptl_param_store_uint (object, &self->iterations, value, pspec);
      break;
    case PROP_CONCURRENCY:
      ptl_param_store_uint (object, &self->concurrency, value, pspec);
      break;
    case PROP_PARENT_MIB:
      ptl_param_store_uint (object, &self->parent_mib, value, pspec);
      break;
    case PROP_FROM:
      ptl_param_store_enum (object, (int *) &self->from, value, pspec);
      break;
    case PROP_SIZE_SWEEP:
      ptl_param_store_boolean (object, &self->size_sweep, value, pspec);
      break;
    case PROP_PLACEMENT:
      ptl_param_store_enum (object, (int *) &self->placement, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_creation_experiment_class_init (PtlCreationExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "cost", N_("Create-and-reap time per mechanism") },
    { "rate", N_("Creations per second per mechanism") },
    { "distribution", N_("Distribution of create-and-reap times") },
    { "histogram", N_("Histogram of create-and-reap times") },
    { "parent-size", N_("Creation cost by memory the parent has written (with the size sweep)") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_creation_experiment_get_property;
  object_class->set_property = ptl_creation_experiment_set_property;

  experiment_class->id = "creation";
  experiment_class->title = N_("Creation cost");
  experiment_class->category = N_("Processes");
  experiment_class->summary =
    N_("What it costs to create a thread or a process and wait for its end: GThread, pthread, "
       "fork, vfork, posix_spawn, fork + exec and GSubprocess, as a distribution of times, as "
       "creations per second, and as fork's growth with the size of the parent.");
  experiment_class->explanation =
    N_("Every thread pool, process pool and server that starts a worker per request pays a "
       "creation cost, and the difference between the ways to pay it spans two orders of "
       "magnitude. This experiment creates a thread or a child that ends at once, waits for it, and "
       "times the pair.\n\n"
       "The mechanisms. thread is g_thread_try_new () + g_thread_join (); pthread is the raw "
       "pthread_create () + pthread_join () underneath it. A thread shares everything with its "
       "creator, so the kernel only makes a task and glibc a stack (usually a cached one): a few "
       "to tens of microseconds, most of it waking the new thread and then its creator. fork copies the parent: not its memory (that "
       "is shared copy-on-write) but its page tables, one entry for every page it has written, and "
       "the description of each of its memory mappings (every shared library adds several); all "
       "of it is torn down again when the child exits. vfork lends the parent's memory to the "
       "child and suspends the parent until the child exits or execs: nothing is copied. "
       "posix-spawn is how glibc starts a program today: a vfork-like clone, then exec. fork-exec "
       "is the classic fork () followed by execv (), which pays fork's copy only to throw it away. "
       "gsubprocess is GLib's GSubprocess, which spawns the same program and adds its own "
       "bookkeeping; a note shows how much.\n\n"
       "Where it runs. A fork costs more the more memory the parent has written, so by default "
       "the process mechanisms run inside ptlab-helper, a process of about a megabyte; from = app "
       "runs them inside the lab (tens of MiB, more for the window) and shows what a large program "
       "pays. The size sweep writes 0, 16, 64 and 256 MiB in the parent first: fork grows "
       "with the memory written, while vfork and posix-spawn stay flat; a note gives the growth "
       "per MiB. That is why large programs (and Python's multiprocessing since 3.14) start children with "
       "posix_spawn or a fork server instead of forking themselves.\n\n"
       "What to look for. The bars show the median with p5–p95; the y axis is logarithmic because "
       "the mechanisms differ by 10–100×. The distribution chart shows the whole spread: the "
       "median is where a curve crosses 50 %, and a long right tail means occasional slow "
       "creations (another program, an idle CPU waking up). Unpinned, a curve often climbs in two "
       "steps: creations whose thread or child ran on the creator's CPU, and those that woke the "
       "other one; placement = same-cpu keeps only the first kind. The histogram shows the same "
       "as humps: one per mechanism, and a second hump where creations fall into two kinds. CPU time beside wall time shows how "
       "much of the cost is work and how much is waiting. With concurrency above 1, several are "
       "created before any is reaped: the rate shows whether creations overlap on several CPUs.\n\n"
       "How it is measured: every creation is timed alone with the monotonic clock, from just "
       "before the call that creates it to just after the call that reaps it, after a few untimed "
       "ones; the mechanisms take turns in three rounds so a busy moment hits them all; the raw "
       "times are kept in the result.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "median", PTL_HEADLINE_RANGE);

  experiment_class->validate = ptl_creation_experiment_validate;
  experiment_class->run = ptl_creation_experiment_run;
  experiment_class->count_tasks = ptl_creation_experiment_count_tasks;

  properties[PROP_ITERATIONS] =
    g_param_spec_uint ("iterations", N_("Creations"),
                       N_("How many creations each mechanism makes (rounded up to whole batches)"),
                       10, 100000, 300, flags);
  ptl_param_set_unit (properties[PROP_ITERATIONS], N_("creations"));
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", N_("At once"),
                       N_("How many threads or children are created before the first is reaped"),
                       1, 1024, 1, flags);
  ptl_param_set_unit (properties[PROP_CONCURRENCY], N_("in flight"));
  properties[PROP_PARENT_MIB] =
    g_param_spec_uint ("parent-mib", N_("Parent memory"),
                       N_("Memory the creating process writes before it creates anything, which fork "
                          "has to copy page tables for"),
                       0, 65536, 0, flags);
  ptl_param_set_unit (properties[PROP_PARENT_MIB], "MiB");
  properties[PROP_FROM] =
    g_param_spec_enum ("from", N_("Create from"),
                       N_("Where the process mechanisms run: helper is a small process, app is the lab "
                          "itself (threads and GSubprocess always run in the lab)"),
                       PTL_TYPE_CREATION_FROM, PTL_CREATION_FROM_HELPER, flags);
  properties[PROP_SIZE_SWEEP] =
    g_param_spec_boolean ("size-sweep", N_("Parent size sweep"),
                          N_("Also measure fork, vfork and posix_spawn with 0, 16, 64 and 256 MiB "
                             "written in the parent"),
                          TRUE, flags);
  properties[PROP_PLACEMENT] =
    g_param_spec_enum ("placement", N_("Placement"),
                       N_("unpinned lets the kernel start each thread or child on any CPU; same-cpu "
                          "pins the creator, and so what it creates, to one CPU"),
                       PTL_TYPE_CREATION_PLACEMENT, PTL_CREATION_PLACEMENT_UNPINNED, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_creation_experiment_init (PtlCreationExperiment *self)
{
  self->iterations = 300;
  self->concurrency = 1;
  self->parent_mib = 0;
  self->from = PTL_CREATION_FROM_HELPER;
  self->size_sweep = TRUE;
  self->placement = PTL_CREATION_PLACEMENT_UNPINNED;
}

GType
ptl_creation_from_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_CREATION_FROM_HELPER, "PTL_CREATION_FROM_HELPER", "helper" },
    { PTL_CREATION_FROM_APP, "PTL_CREATION_FROM_APP", "app" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlCreationFrom", values);
}

GType
ptl_creation_placement_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_CREATION_PLACEMENT_UNPINNED, "PTL_CREATION_PLACEMENT_UNPINNED", "unpinned" },
    { PTL_CREATION_PLACEMENT_SAME_CPU, "PTL_CREATION_PLACEMENT_SAME_CPU", "same-cpu" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlCreationPlacement", values);
}
