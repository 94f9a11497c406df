/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-isolation-experiment"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-isolation-experiment.h"
#include "ptl-proc-child.h"
#include "ptl-spawn-util.h"

/* "Isolation": what one crashing worker does to its siblings.
 *
 * Method. Each variant starts N workers that compute for work-ms of wall
 * time; the victim crashes halfway instead. processes: N ptlab-helper
 * children (crash), each with its own report pipe. threads: one
 * sacrificial ptlab-helper child (crash-threads) whose N threads are the
 * workers, so the crash that takes its process down never touches the
 * lab. Workers stamp their start and finish with CLOCK_MONOTONIC, which
 * the lab shares; a process's end is when its pipe reaches end of file
 * (the kernel closes it as the process dies), and waitpid () then says
 * how it ended. */

struct _PtlIsolationExperiment
{
  PtlExperiment     parent_instance;

  /* parameters */
  guint             workers;
  PtlIsolationCrash crash;
  guint             victim;
  guint             work_ms;
};

enum {
  PROP_0,
  PROP_WORKERS,
  PROP_CRASH,
  PROP_VICTIM,
  PROP_WORK_MS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlIsolationExperiment, ptl_isolation_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

typedef enum
{
  VARIANT_PROCESSES,
  VARIANT_THREADS,
  N_VARIANTS
} Variant;

/* Identifiers, like parameter names: not translated. */
static const char * const variant_names[N_VARIANTS] = { "processes", "threads" };
/* What the table shows for each. */
static const char * const variant_labels[N_VARIANTS] = { N_("Processes"), N_("Threads") };

/* The helper's names for PtlIsolationCrash, in its order. */
static const char * const crash_args[] = { "segfault", "abort", "exit-code", "none" };

#define MAX_WORKERS    16
#define POLL_MS        100
#define NS_PER_MS      G_GINT64_CONSTANT (1000000)
/* Far beyond any run: on a loaded machine a worker may wait for a core. */
#define DEADLINE_NS(work_ms) ((work_ms) * 8 * NS_PER_MS + 20 * G_GINT64_CONSTANT (1000000000))

/* A child process and its report pipe. */
typedef struct
{
  GPid     pid;     /* 0 once reaped */
  int      fd;      /* read end of its stdout, -1 once at end of file */
  GString *pending; /* a partial line */
  gint64   died_ns; /* when its pipe reached end of file */
  int      status;  /* from waitpid () */
} Child;

/* What one worker did, from its reports and its process's fate. */
typedef struct
{
  gint64 start_ns;     /* 0: never reported starting */
  gint64 done_ns;      /* 0: never finished */
  int    failed_errno; /* 0, or why its thread could not be created */
} Report;

static void
child_close (Child *child)
{
  if (child->fd >= 0)
    close (child->fd);
  child->fd = -1;
  if (child->pending != NULL)
    g_string_free (child->pending, TRUE);
  child->pending = NULL;
}

/* For cancellation and errors: every child still running is killed and
 * reaped, every pipe closed. */
static void
children_kill (Child *children,
               guint  n_children)
{
  g_autoptr(GArray) running = g_array_new (FALSE, FALSE, sizeof (GPid));

  for (guint i = 0; i < n_children; i++)
    {
      if (children[i].pid > 0)
        g_array_append_val (running, children[i].pid);
      children[i].pid = 0;
      child_close (&children[i]);
    }
  ptl_proc_kill_and_reap (running);
}

static gboolean
spawn_child (const char * const  *argv,
             Child               *child,
             GError             **error)
{
  int fds[2];
  int rc;

  /* Close-on-exec, so a sibling started meanwhile does not hold our write
   * end open and hide this child's death. */
  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR,
                   saved == EMFILE || saved == ENFILE ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                   _("Could not create a pipe to a worker: %s"), g_strerror (saved));
      return FALSE;
    }

  rc = ptl_proc_spawn (argv, -1, fds[1], &child->pid);
  close (fds[1]);
  if (rc != 0)
    {
      g_autofree char *name = ptl_proc_dup_errno_name (rc);

      close (fds[0]);
      child->pid = 0;
      g_set_error (error, PTL_ERROR,
                   rc == EAGAIN || rc == ENOMEM ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                   _("Could not start the helper program %s: %s (%s)"), argv[0], name, g_strerror (rc));
      return FALSE;
    }
  child->fd = fds[0];
  child->pending = g_string_new (NULL);
  return TRUE;
}

/* "WORKER start NS", "WORKER done NS" or "WORKER failed ERRNO". */
static void
parse_report (const char *line,
              Report     *reports,
              guint       n_workers)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);
  guint64 worker, ns;

  if (g_strv_length (fields) != 3 ||
      !g_ascii_string_to_unsigned (fields[0], 10, 0, n_workers - 1, &worker, NULL) ||
      !g_ascii_string_to_unsigned (fields[2], 10, 1, G_MAXINT64, &ns, NULL))
    return;
  if (strcmp (fields[1], "start") == 0)
    reports[worker].start_ns = (gint64) ns;
  else if (strcmp (fields[1], "done") == 0)
    reports[worker].done_ns = (gint64) ns;
  else if (strcmp (fields[1], "failed") == 0 && ns <= G_MAXINT)
    reports[worker].failed_errno = (int) ns;
}

/* Reads reports until every child has died and been reaped. */
static gboolean
watch_children (Child         *children,
                guint          n_children,
                Report        *reports,
                guint          n_workers,
                guint          work_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GPollFD cancel_fd = { -1, G_IO_IN, 0 };
  gboolean have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);
  gint64 deadline = ptl_clock_now_ns () + DEADLINE_NS (work_ms);
  struct pollfd pfds[MAX_WORKERS + 1];
  guint n_open = n_children;
  gboolean ok = TRUE;

  while (ok && n_open > 0)
    {
      guint n_polled = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (ptl_clock_now_ns () > deadline)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("The workers were still running after %.0f s"), DEADLINE_NS (work_ms) / 1e9);
          ok = FALSE;
          break;
        }

      for (guint i = 0; i < n_children; i++)
        if (children[i].fd >= 0)
          pfds[n_polled++] = (struct pollfd) { children[i].fd, POLLIN, 0 };
      if (have_cancel_fd)
        pfds[n_polled] = (struct pollfd) { cancel_fd.fd, POLLIN, 0 };
      if (poll (pfds, n_polled + (have_cancel_fd ? 1 : 0), POLL_MS) <= 0)
        continue;

      for (guint i = 0, p = 0; ok && i < n_children; i++)
        {
          Child *child = &children[i];
          int state;

          if (child->fd < 0)
            continue;
          if (pfds[p++].revents == 0)
            continue;

          state = ptl_proc_read_lines (child->fd, child->pending, lines);
          for (guint l = 0; l < lines->len; l++)
            parse_report (g_ptr_array_index (lines, l), reports, n_workers);
          g_ptr_array_set_size (lines, 0);

          if (state < 0)
            {
              int saved = errno;

              g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                           _("Could not read from a worker: %s"), g_strerror (saved));
              ok = FALSE;
            }
          else if (state > 0)
            {
              /* The kernel closed the pipe as the process died: reaping it
               * now waits at most for the rest of its exit. */
              child->died_ns = ptl_clock_now_ns ();
              child_close (child);
              n_open--;
              if (ptl_proc_wait (child->pid, &child->status, 0) != child->pid)
                {
                  int saved = errno;

                  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                               _("Could not wait for a worker process: %s"), g_strerror (saved));
                  ok = FALSE;
                }
              child->pid = 0;
            }
        }
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  if (!ok)
    children_kill (children, n_children);
  return ok;
}

/* Output */

typedef struct
{
  PtlChart *timeline;
  PtlTable *summary;
  gint64    origin_ns[N_VARIANTS]; /* when each variant started its first child */
} Output;

enum {
  COLUMN_VARIANT,
  COLUMN_WORKER,
  COLUMN_ENDED,
  COLUMN_RAN,
  COLUMN_SIBLINGS_FINISHED,
};

/* The legend entry @name, added the first time it is needed. */
static guint
key_for (PtlChart   *chart,
         const char *name)
{
  for (guint i = 0; i < ptl_chart_get_n_keys (chart); i++)
    if (strcmp (ptl_chart_get_key (chart, i), name) == 0)
      return i;
  return ptl_chart_add_key (chart, name, FALSE);
}

/* The legend's name for how a worker ended: "Exit 0", "SIGSEGV". */
static char *
dup_status_key (int status)
{
  if (WIFSIGNALED (status))
    return ptl_proc_dup_signal_name (WTERMSIG (status));
  if (WIFEXITED (status))
    /* TRANSLATORS: a legend entry, how a worker ended, e.g. "Exit 3" */
    return g_strdup_printf (_("Exit %d"), WEXITSTATUS (status));
  return ptl_proc_describe_status (status);
}

static void
create_output (PtlResult *result,
               guint      n_workers,
               Output    *out)
{
  out->timeline = ptl_result_add_chart (result, "timeline", PTL_CHART_TIMELINE,
                                        _("Workers over time, and how each ended"));
  ptl_chart_set_x_axis (out->timeline, _("Time since the workers were started"), "s", FALSE);
  for (guint variant = 0; variant < N_VARIANTS; variant++)
    for (guint w = 0; w < n_workers; w++)
      {
        g_autofree char *lane = variant == VARIANT_PROCESSES
                                ? g_strdup_printf (_("Process %u"), w)
                                : g_strdup_printf (_("Thread %u"), w);
        ptl_chart_add_lane (out->timeline, lane);
      }


  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "variant", _("Workers are"), NULL);
  ptl_table_add_column_with_id (out->summary, "worker", _("Worker"), NULL);
  ptl_table_add_column_with_id (out->summary, "ended", _("Ended"), NULL);
  ptl_table_add_column_with_id (out->summary, "ran", _("Ran for"), "s");
  ptl_table_add_column_with_id (out->summary, "siblings-finished", _("Siblings finished"), NULL);
}

/* How one worker ended, for the table (@ended) and the legend (@key). */
typedef struct
{
  char  *ended;
  char  *key;
  gint64 end_ns;
  gboolean finished;
} Fate;

static void
fate_clear (Fate *fate)
{
  g_clear_pointer (&fate->ended, g_free);
  g_clear_pointer (&fate->key, g_free);
}

/* A worker of the processes variant ends as its own process did. */
static void
process_fate (const Child  *child,
              const Report *report,
              Fate         *fate)
{
  fate->ended = ptl_proc_describe_status (child->status);
  fate->key = dup_status_key (child->status);
  fate->finished = report->done_ns != 0 && WIFEXITED (child->status) && WEXITSTATUS (child->status) == 0;
  fate->end_ns = report->done_ns != 0 ? report->done_ns : child->died_ns;
}

/* A worker of the threads variant: the victim's crash is its process's
 * fate; a sibling either finished first or was killed with the process. */
static void
thread_fate (const Child  *process,
             const Report *report,
             gboolean      is_crashing_victim,
             Fate         *fate)
{
  gboolean clean_exit = WIFEXITED (process->status) && WEXITSTATUS (process->status) == 0;

  if (is_crashing_victim || (report->done_ns != 0 && clean_exit))
    {
      fate->ended = ptl_proc_describe_status (process->status);
      fate->key = dup_status_key (process->status);
      fate->finished = !is_crashing_victim;
      fate->end_ns = report->done_ns != 0 ? report->done_ns : process->died_ns;
    }
  else if (report->done_ns != 0)
    {
      fate->ended = g_strdup (_("finished before the crash"));
      fate->key = g_strdup (_("Finished before the crash"));
      fate->finished = TRUE;
      fate->end_ns = report->done_ns;
    }
  else
    {
      fate->ended = g_strdup (_("killed with its process"));
      fate->key = g_strdup (_("Killed with its process"));
      fate->finished = FALSE;
      fate->end_ns = process->died_ns;
    }
}

/* One sentence per variant on how it ended. */
static void
note_variant (PtlResult   *result,
              Variant      variant,
              const Child *children,
              guint        n_workers,
              guint        victim,
              gboolean     crashes,
              guint        n_finished)
{
  const Child *victim_process = &children[variant == VARIANT_PROCESSES ? victim : 0];
  g_autofree char *how = ptl_proc_describe_status (victim_process->status);

  if (!crashes)
    ptl_result_add_note (result, _("%s: no worker crashed; %u of %u workers finished."),
                         variant_names[variant], n_finished, n_workers);
  else if (variant == VARIANT_PROCESSES)
    ptl_result_add_note (result, _("processes: worker %u's process ended with %s; %u of its %u siblings "
                                   "finished, and the lab (pid %d) went on running."),
                         victim, how, n_finished, n_workers - 1, (int) getpid ());
  else
    ptl_result_add_note (result, _("threads: worker %u's crash ended the whole sacrificial process "
                                   "(%s); %u of its %u siblings finished. The lab only watched it die."),
                         victim, how, n_finished, n_workers - 1);
}

static void
publish_variant (PtlResult    *result,
                 Output       *out,
                 Variant       variant,
                 const Child  *children,
                 const Report *reports,
                 guint         n_workers,
                 guint         victim,
                 gboolean      crashes)
{
  g_autofree double *ran = g_new0 (double, n_workers);
  g_autofree char *samples_name = g_strdup_printf ("ran/%s", variant_names[variant]);
  g_autofree Fate *fates = g_new0 (Fate, n_workers);
  guint n_finished = 0;

  for (guint w = 0; w < n_workers; w++)
    {
      if (variant == VARIANT_PROCESSES)
        process_fate (&children[w], &reports[w], &fates[w]);
      else
        thread_fate (&children[0], &reports[w], crashes && w == victim, &fates[w]);
      n_finished += fates[w].finished ? 1 : 0;
    }

  for (guint w = 0; w < n_workers; w++)
    {
      const Child *process = variant == VARIANT_PROCESSES ? &children[w] : &children[0];
      guint lane = variant * n_workers + w;
      gboolean died_badly = !WIFEXITED (process->status) || WEXITSTATUS (process->status) != 0;
      double start = (reports[w].start_ns - out->origin_ns[variant]) / 1e9;
      double end = (fates[w].end_ns - out->origin_ns[variant]) / 1e9;
      guint row;

      /* A thread the crash killed before it ever ran has no slice. */
      if (reports[w].start_ns != 0)
        {
          ran[w] = MAX (0, end - start);
          ptl_chart_add_slice (out->timeline, lane, key_for (out->timeline, fates[w].key), start, end);
        }
      if (died_badly)
        ptl_chart_add_marker (out->timeline, lane, (process->died_ns - out->origin_ns[variant]) / 1e9);

      row = ptl_table_add_row (out->summary);
      ptl_table_set_text (out->summary, row, COLUMN_VARIANT, _(variant_labels[variant]));
      ptl_table_set_number (out->summary, row, COLUMN_WORKER, w);
      ptl_table_set_text (out->summary, row, COLUMN_ENDED, fates[w].ended);
      ptl_table_set_number (out->summary, row, COLUMN_RAN, ran[w]);
      ptl_table_set_number (out->summary, row, COLUMN_SIBLINGS_FINISHED,
                            n_finished - (fates[w].finished ? 1 : 0));
    }
  ptl_result_add_samples (result, samples_name, "s", ran, n_workers);

  note_variant (result, variant, children, n_workers, victim, crashes, n_finished);

  for (guint w = 0; w < n_workers; w++)
    fate_clear (&fates[w]);
}

/* Runs one variant to its end: every child reaped, every pipe closed. */
static gboolean
run_variant (PtlIsolationExperiment  *self,
             const char              *helper,
             Variant                  variant,
             GCancellable            *cancellable,
             Child                   *children,
             Report                  *reports,
             gint64                  *origin_ns,
             GError                 **error)
{
  char work[16], count[16], victim[16], worker[16];
  guint n_children = variant == VARIANT_PROCESSES ? self->workers : 1;

  g_snprintf (work, sizeof work, "%u", self->work_ms);
  g_snprintf (count, sizeof count, "%u", self->workers);
  g_snprintf (victim, sizeof victim, "%u", self->victim);

  *origin_ns = ptl_clock_now_ns ();
  for (guint i = 0; i < n_children; i++)
    {
      const char *how = crash_args[i == self->victim ? self->crash : PTL_ISOLATION_CRASH_NONE];
      const char * const process_argv[] = { helper, "crash", worker, work, how, NULL };
      const char * const threads_argv[] = { helper, "crash-threads", count, work, victim,
                                            crash_args[self->crash], NULL };

      g_snprintf (worker, sizeof worker, "%u", i);
      if (!spawn_child (variant == VARIANT_PROCESSES ? process_argv : threads_argv, &children[i], error))
        {
          children_kill (children, i);
          return FALSE;
        }
    }

  if (!watch_children (children, n_children, reports, self->workers, self->work_ms, cancellable, error))
    return FALSE;

  /* Its process then exited 1, which is no crash's outcome: the variant
   * did not run as asked. */
  for (guint w = 0; w < self->workers; w++)
    if (reports[w].failed_errno != 0)
      {
        g_autofree char *why = ptl_spawn_describe_failure ("pthread_create", reports[w].failed_errno, w);

        g_set_error (error, PTL_ERROR,
                     ptl_spawn_errno_is_limit (reports[w].failed_errno) ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                     _("Worker %u of the %s variant could not start: %s"), w, variant_names[variant], why);
        return FALSE;
      }

  /* A helper that never reported is broken (another version, a usage
   * error), and its figures would mean nothing. */
  for (guint w = 0; w < self->workers; w++)
    if (reports[w].start_ns == 0 && (variant == VARIANT_PROCESSES || w == self->victim))
      {
        const Child *child = &children[variant == VARIANT_PROCESSES ? w : 0];
        g_autofree char *how = ptl_proc_describe_status (child->status);

        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("Worker %u of the %s variant never reported starting (its process ended with %s); "
                       "is %s from another version of ptlab?"),
                     w, variant_names[variant], how, helper);
        return FALSE;
      }
  return TRUE;
}

static gboolean
ptl_isolation_experiment_run (PtlExperiment  *experiment,
                              PtlRun         *run,
                              GError        **error)
{
  PtlIsolationExperiment *self = PTL_ISOLATION_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  GCancellable *cancellable = ptl_run_get_cancellable (run);
  g_autofree char *helper = ptl_machine_find_helper (error);
  gboolean crashes = self->crash != PTL_ISOLATION_CRASH_NONE;
  Output out = { NULL };

  if (helper == NULL)
    return FALSE;

  create_output (result, self->workers, &out);

  for (guint variant = 0; variant < N_VARIANTS; variant++)
    {
      Child children[MAX_WORKERS];
      Report reports[MAX_WORKERS];

      memset (children, 0, sizeof children);
      memset (reports, 0, sizeof reports);
      for (guint i = 0; i < MAX_WORKERS; i++)
        children[i].fd = -1;

      if (crashes)
        ptl_run_progress (run, (double) variant / N_VARIANTS, _("%s: %u workers, worker %u crashing with %s"),
                          variant_names[variant], self->workers, self->victim, crash_args[self->crash]);
      else
        ptl_run_progress (run, (double) variant / N_VARIANTS, _("%s: %u workers, none crashing"),
                          variant_names[variant], self->workers);
      /* A variant whose workers could not all start fails the run: the
       * other variant alone would read as the answer to a comparison that
       * never ran. */
      if (!run_variant (self, helper, variant, cancellable, children, reports,
                        &out.origin_ns[variant], error))
        return FALSE;

      publish_variant (result, &out, variant, children, reports, self->workers, self->victim, crashes);
    }

  ptl_result_add_note (result, _("Times come from the workers' own CLOCK_MONOTONIC stamps; a crashed "
                                 "worker's end is when the lab saw its process's pipe close. Each run "
                                 "is one measurement."));
  ptl_run_warn_if_virtual (run);
  return TRUE;
}

static gboolean
ptl_isolation_experiment_validate (PtlExperiment  *experiment,
                                   GError        **error)
{
  PtlIsolationExperiment *self = PTL_ISOLATION_EXPERIMENT (experiment);

  if (self->victim >= self->workers)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("victim (%u) must be below workers (%u): workers are numbered from 0"),
                   self->victim, self->workers);
      return FALSE;
    }
  return TRUE;
}

static guint
ptl_isolation_experiment_count_tasks (PtlExperiment *experiment)
{
  return PTL_ISOLATION_EXPERIMENT (experiment)->workers;
}

static void
ptl_isolation_experiment_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PtlIsolationExperiment *self = PTL_ISOLATION_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKERS:
      g_value_set_uint (value, self->workers);
      break;
    case PROP_CRASH:
      g_value_set_enum (value, self->crash);
      break;
    case PROP_VICTIM:
      g_value_set_uint (value, self->victim);
      break;
    case PROP_WORK_MS:
      g_value_set_uint (value, self->work_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_isolation_experiment_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PtlIsolationExperiment *self = PTL_ISOLATION_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_WORKERS:
      ptl_param_store_uint (object, &self->workers, value, pspec);
      break;
    case PROP_CRASH:
      ptl_param_store_enum (object, (int *) &self->crash, value, pspec);
      break;
    case PROP_VICTIM:
      ptl_param_store_uint (object, &self->victim, value, pspec);
      break;
    case PROP_WORK_MS:
      ptl_param_store_uint (object, &self->work_ms, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_isolation_experiment_class_init (PtlIsolationExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "timeline", N_("Workers over time, and how each ended") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_isolation_experiment_get_property;
  object_class->set_property = ptl_isolation_experiment_set_property;

  experiment_class->id = "isolation";
  experiment_class->title = N_("Isolation");
  experiment_class->category = N_("Processes");
  experiment_class->summary =
    N_("What happens when a worker crashes: N workers run as processes and then as threads, one of "
       "them segfaults, aborts or exits with an error halfway, and the timeline shows who else "
       "survived it.");
  experiment_class->explanation =
    N_("Processes isolate faults; threads share one fate. This experiment shows it with a real "
       "crash, safely.\n\n"
       "The variants. processes: the lab starts N small helper processes; each computes for work-ms, "
       "but the victim crashes halfway. threads: the lab starts one sacrificial helper process whose "
       "N threads do the same work, the victim thread crashing the same way. The lab itself never "
       "crashes: it only watches, and waitpid () tells it how each process ended.\n\n"
       "What to look for. In the processes lanes the victim's bar stops halfway, marked with its "
       "signal or exit code, and its siblings run on to the end: the kernel gave each process its "
       "own address space, so a bad pointer in one cannot reach the others, and a process that "
       "dies takes only itself. In the threads lanes every bar stops at the same moment: a thread "
       "has no address space of its own, so the kernel ends the whole process, with all its "
       "threads, when one of them faults (SIGSEGV) or aborts (SIGABRT). Even a clean exit (3) from "
       "one thread is exit_group (): it ends every thread. The siblings' work is lost, and so would "
       "be the process's open files, connections and unsaved state. crash = none is the control: "
       "everybody finishes.\n\n"
       "Why it matters. A web server whose workers are processes (PostgreSQL's backends, Apache's "
       "prefork, Chrome's renderers) loses one request when one crashes; one whose workers are "
       "threads loses every request in flight. Threads buy cheap sharing and cheap creation with "
       "that shared fate; processes buy isolation with copies and IPC. A segmentation fault is not "
       "an exception a thread can catch and survive: the memory it corrupted first is everyone's.\n\n"
       "How ends are read. A process's wait status decodes into an exit code (WEXITSTATUS) or the "
       "signal that killed it (WTERMSIG, named here as SIGSEGV, SIGABRT); “core dumped” appears "
       "when the kernel wrote a core file. The helper switches core files off (RLIMIT_CORE = 0) so "
       "a run leaves nothing behind.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "siblings-finished", PTL_HEADLINE_MIN);

  experiment_class->validate = ptl_isolation_experiment_validate;
  experiment_class->count_tasks = ptl_isolation_experiment_count_tasks;
  experiment_class->run = ptl_isolation_experiment_run;

  properties[PROP_WORKERS] =
    g_param_spec_uint ("workers", N_("Workers"),
                       N_("How many workers each variant runs: processes, or threads of one process"),
                       2, MAX_WORKERS, 4, flags);
  ptl_param_set_unit (properties[PROP_WORKERS], N_("workers"));
  properties[PROP_CRASH] =
    g_param_spec_enum ("crash", N_("Crash"),
                       N_("How the victim ends halfway through its work: segfault writes through a null "
                          "pointer, abort calls abort (), exit-code calls exit (3), none lets it finish"),
                       PTL_TYPE_ISOLATION_CRASH, PTL_ISOLATION_CRASH_SEGFAULT, flags);
  properties[PROP_VICTIM] =
    g_param_spec_uint ("victim", N_("Victim"),
                       N_("Which worker crashes, counting from 0"),
                       0, MAX_WORKERS - 1, 1, flags);
  properties[PROP_WORK_MS] =
    g_param_spec_uint ("work-ms", N_("Work per worker"),
                       N_("How long each worker computes; the victim crashes after half of it"),
                       20, 10000, 400, flags);
  ptl_param_set_unit (properties[PROP_WORK_MS], "ms");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_isolation_experiment_init (PtlIsolationExperiment *self)
{
  self->workers = 4;
  self->crash = PTL_ISOLATION_CRASH_SEGFAULT;
  self->victim = 1;
  self->work_ms = 400;
}

GType
ptl_isolation_crash_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_ISOLATION_CRASH_SEGFAULT, "PTL_ISOLATION_CRASH_SEGFAULT", "segfault" },
    { PTL_ISOLATION_CRASH_ABORT, "PTL_ISOLATION_CRASH_ABORT", "abort" },
    { PTL_ISOLATION_CRASH_EXIT_CODE, "PTL_ISOLATION_CRASH_EXIT_CODE", "exit-code" },
    { PTL_ISOLATION_CRASH_NONE, "PTL_ISOLATION_CRASH_NONE", "none" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlIsolationCrash", values);
}
