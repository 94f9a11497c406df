/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-memory-experiment"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-memory-experiment.h"
#include "ptl-proc-child.h"
#include "ptl-proc-memory.h"

/* "Memory per worker": what N idle workers really occupy, as threads, as
 * forked processes and as exec'd processes.
 *
 * Method. Every measurement starts fresh helpers (ptlab-helper), waits
 * until each worker has touched a little of its stack and blocked, and
 * reads Rss and Pss from /proc/PID/smaps_rollup of every process of the
 * family, and VmPTE from its status:
 *   threads  one host process with N threads (idle-threads);
 *   forked   one host that has written to parent-mib of heap, and its N
 *            forked children (idle-fork);
 *   exec'd   N processes the lab starts itself (idle).
 * A worker's cost is what the family grows by: the family with N workers
 * minus the same host with none, measured in the same repeat, divided by
 * N. Threads are measured in a small host rather than in the lab itself,
 * whose own memory moves all the time (the GUI draws, glibc keeps freed
 * thread stacks in a cache) by more than a few idle threads occupy.
 *
 * Limits. Before each size the lab checks that the tasks it needs fit
 * under RLIMIT_NPROC and kernel.threads-max, and the memory it expects
 * (twice the last measured cost per worker) under half of MemAvailable;
 * a size that does not fit ends that kind's sweep. A creation that fails
 * anyway (EAGAIN, ENOMEM) ends it too; what was measured is kept. */

struct _PtlMemoryExperiment
{
  PtlExperiment parent_instance;

  /* parameters */
  guint         max_workers;
  guint         stack_kib;
  guint         touch_kib;
  guint         parent_mib;
  guint         repeats;
};

enum {
  PROP_0,
  PROP_MAX_WORKERS,
  PROP_STACK_KIB,
  PROP_TOUCH_KIB,
  PROP_PARENT_MIB,
  PROP_REPEATS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlMemoryExperiment, ptl_memory_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

typedef enum
{
  KIND_THREADS,
  KIND_FORKED,
  KIND_EXECD,
  N_KINDS
} Kind;

/* Identifiers, like parameter names: not translated. */
static const char * const kind_names[N_KINDS] = { "threads", "forked", "exec'd" };

/* What charts and the table show for each. */
static const char * const kind_labels[N_KINDS] = {
  N_("Threads"), N_("Forked processes"), N_("Exec’d processes"),
};

#define MAX_SIZES        32
/* Tasks left free for the rest of the session (the lab's own threads, a shell). */
#define RESERVE_TASKS    64
/* Before a kind's first measurement: a generous guess per worker. */
#define PRIOR_WORKER_BYTES (1024 * 1024)
/* Kernel memory of a task no /proc figure shows (kernel stack, task struct). */
#define TASK_KERNEL_BYTES (32 * 1024)
#define MIB              (1024.0 * 1024.0)
#define POLL_MS          100
#define IDLE_TIMEOUT_NS  (10 * G_GINT64_CONSTANT (1000000000))
#define IDLE_NS_PER_WORKER (20 * G_GINT64_CONSTANT (1000000))
#define READS_PER_CHECK  100
/* Repeats that differ by a few pages in all differ by granularity, not noise. */
#define NOISE_FLOOR_BYTES (64 * 1024)

typedef struct
{
  double pss;
  double rss;
  double page_tables;
} Sample;

/* One measurement's processes and pipes, so every exit path can end them. */
typedef struct
{
  /* borrowed */
  PtlRun       *run;
  GCancellable *cancellable;

  /* owned */
  char         *helper;
  GArray       *children;      /* GPid: hosts or exec'd workers, ours to reap */
  GArray       *grandchildren; /* GPid: forked workers, the host's to reap */
  int           stop_read;     /* every worker's stdin: end of file ends it */
  int           stop_write;
  int           report_read;   /* every worker's stdout */
  int           report_write;

  /* the run's shape */
  guint         stack_kib;
  guint         touch_kib;
  guint         parent_mib;
} Lab;

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* Kills and reaps everything the measurement started, closes its pipes. */
static void
lab_stop_workers (Lab *lab)
{
  /* Forked workers die with their host anyway (PR_SET_PDEATHSIG); killing
   * them first just does not wait for that. The host reaps them, or init
   * once the host is gone. */
  for (guint i = 0; i < lab->grandchildren->len; i++)
    kill (g_array_index (lab->grandchildren, GPid, i), SIGKILL);
  g_array_set_size (lab->grandchildren, 0);
  ptl_proc_kill_and_reap (lab->children);
  close_fd (&lab->stop_read);
  close_fd (&lab->stop_write);
  close_fd (&lab->report_read);
  close_fd (&lab->report_write);
}

static Lab *
lab_new (PtlMemoryExperiment  *self,
         PtlRun               *run,
         GError              **error)
{
  g_autofree char *helper = ptl_machine_find_helper (error);
  Lab *lab;

  if (helper == NULL)
    return NULL;

  lab = g_new0 (Lab, 1);
  lab->run = run;
  lab->cancellable = ptl_run_get_cancellable (run);
  lab->helper = g_steal_pointer (&helper);
  lab->children = g_array_new (FALSE, FALSE, sizeof (GPid));
  lab->grandchildren = g_array_new (FALSE, FALSE, sizeof (GPid));
  lab->stop_read = lab->stop_write = lab->report_read = lab->report_write = -1;
  lab->stack_kib = self->stack_kib;
  lab->touch_kib = self->touch_kib;
  lab->parent_mib = self->parent_mib;
  return lab;
}

static void
lab_free (Lab *lab)
{
  lab_stop_workers (lab);
  g_array_unref (lab->children);
  g_array_unref (lab->grandchildren);
  g_free (lab->helper);
  g_free (lab);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lab, lab_free)

/* Measuring */

static gboolean
open_pipes (Lab     *lab,
            GError **error)
{
  int stop[2], report[2];

  /* Close-on-exec: only the dup2 () copies reach the workers. */
  if (pipe2 (stop, O_CLOEXEC) != 0)
    goto failed;
  if (pipe2 (report, O_CLOEXEC) != 0)
    {
      close (stop[0]);
      close (stop[1]);
      goto failed;
    }
  lab->stop_read = stop[0];
  lab->stop_write = stop[1];
  lab->report_read = report[0];
  lab->report_write = report[1];
  return TRUE;

failed:
  {
    int saved = errno;

    g_set_error (error, PTL_ERROR,
                 saved == EMFILE || saved == ENFILE ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                 _("Could not create a pipe to the workers: %s"), g_strerror (saved));
    return FALSE;
  }
}

/* "fork failed at 412 of 1000 children: EAGAIN (Resource temporarily
 * unavailable) — RLIMIT_NPROC is 512 …". */
static void
set_creation_error (GError     **error,
                    const char  *what,
                    guint        created,
                    guint        wanted,
                    int          errsv)
{
  g_autofree char *name = ptl_proc_dup_errno_name (errsv);
  g_autofree char *limits_text = NULL;
  PtlProcTaskLimits limits;

  ptl_proc_read_task_limits (&limits);
  limits_text = ptl_proc_describe_task_limits (&limits);
  g_set_error (error, PTL_ERROR,
               errsv == EAGAIN || errsv == ENOMEM ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
               /* Translators: "fork failed at 412 of 1000: EAGAIN (Resource …) — RLIMIT_NPROC is 512 …" */
               _("%s failed at %u of %u: %s (%s) — %s"),
               what, created, wanted, name, g_strerror (errsv), limits_text);
}

static gboolean
start_workers (Lab      *lab,
               Kind      kind,
               guint     n,
               GError  **error)
{
  char count[16], stack[16], touch[16], parent[16];
  GPid pid;
  int rc;

  g_snprintf (count, sizeof count, "%u", n);
  g_snprintf (stack, sizeof stack, "%u", lab->stack_kib);
  g_snprintf (touch, sizeof touch, "%u", lab->touch_kib);
  g_snprintf (parent, sizeof parent, "%u", lab->parent_mib);

  if (kind == KIND_EXECD)
    {
      const char * const argv[] = { lab->helper, "idle", touch, NULL };

      for (guint i = 0; i < n; i++)
        {
          if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
            return FALSE;
          rc = ptl_proc_spawn (argv, lab->stop_read, lab->report_write, &pid);
          if (rc != 0)
            {
              set_creation_error (error, "posix_spawn", i, n, rc);
              return FALSE;
            }
          g_array_append_val (lab->children, pid);
        }
    }
  else
    {
      const char * const threads_argv[] = { lab->helper, "idle-threads", count, stack, touch, NULL };
      const char * const fork_argv[] = { lab->helper, "idle-fork", count, parent, touch, NULL };

      rc = ptl_proc_spawn (kind == KIND_THREADS ? threads_argv : fork_argv,
                           lab->stop_read, lab->report_write, &pid);
      if (rc != 0)
        {
          set_creation_error (error, "posix_spawn", 0, 1, rc);
          return FALSE;
        }
      g_array_append_val (lab->children, pid);
    }

  /* Only the workers hold these now: end of file on the report pipe means
   * they are all gone, and closing stop_write ends them. */
  close_fd (&lab->stop_read);
  close_fd (&lab->report_write);
  return TRUE;
}

/* A host reported "failed CREATED ERRNO". */
static void
set_host_failure (GError     **error,
                  Kind         kind,
                  const char  *line,
                  guint        n)
{
  guint64 created = 0, errsv = 0;
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);

  if (g_strv_length (fields) == 3)
    {
      g_ascii_string_to_unsigned (fields[1], 10, 0, G_MAXUINT, &created, NULL);
      g_ascii_string_to_unsigned (fields[2], 10, 0, G_MAXINT, &errsv, NULL);
    }
  set_creation_error (error, kind == KIND_THREADS ? "pthread_create" : "fork",
                      (guint) created, n, (int) errsv);
}

/* A worker or host ended before all were idle: say how. */
static void
set_early_exit_error (Lab     *lab,
                      GError **error)
{
  for (guint i = 0; i < lab->children->len; i++)
    {
      GPid pid = g_array_index (lab->children, GPid, i);
      int status;

      if (ptl_proc_wait (pid, &status, WNOHANG) == pid)
        {
          g_autofree char *how = ptl_proc_describe_status (status);

          g_array_remove_index_fast (lab->children, i);
          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("A helper process (%s) ended before its workers were idle: %s"),
                       lab->helper, how);
          return;
        }
    }
  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
               _("The workers closed their output before they were all idle"));
}

/* Reads the workers' reports until all @n are idle (and the host says
 * "ready"), a creation failed, or the run is cancelled. */
static gboolean
wait_until_idle (Lab      *lab,
                 Kind      kind,
                 guint     n,
                 GError  **error)
{
  g_autoptr(GString) pending = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GPollFD cancel_fd = { -1, G_IO_IN, 0 };
  gboolean have_cancel_fd = g_cancellable_make_pollfd (lab->cancellable, &cancel_fd);
  gint64 deadline = ptl_clock_now_ns () + IDLE_TIMEOUT_NS + n * IDLE_NS_PER_WORKER;
  gboolean need_ready = kind != KIND_EXECD;
  gboolean ready = FALSE;
  gboolean ok = TRUE;
  guint n_idle = 0;

  while (ok && (n_idle < n || (need_ready && !ready)))
    {
      struct pollfd pfds[2] = { { lab->report_read, POLLIN, 0 }, { cancel_fd.fd, POLLIN, 0 } };
      int state;

      if (g_cancellable_set_error_if_cancelled (lab->cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (ptl_clock_now_ns () > deadline)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("Only %u of %u workers became idle within %.0f s"),
                       n_idle, n, (IDLE_TIMEOUT_NS + n * IDLE_NS_PER_WORKER) / 1e9);
          ok = FALSE;
          break;
        }
      if (poll (pfds, have_cancel_fd ? 2 : 1, POLL_MS) <= 0)
        continue;
      if (pfds[0].revents == 0)
        continue;

      state = ptl_proc_read_lines (lab->report_read, pending, lines);
      for (guint i = 0; ok && i < lines->len; i++)
        {
          const char *line = g_ptr_array_index (lines, i);

          if (g_str_has_prefix (line, "worker "))
            {
              guint64 pid;

              n_idle++;
              if (kind == KIND_FORKED &&
                  g_ascii_string_to_unsigned (line + strlen ("worker "), 10, 1, G_MAXINT, &pid, NULL))
                {
                  GPid worker = (GPid) pid;
                  g_array_append_val (lab->grandchildren, worker);
                }
            }
          else if (strcmp (line, "ready") == 0)
            ready = TRUE;
          else if (g_str_has_prefix (line, "failed "))
            {
              set_host_failure (error, kind, line, n);
              ok = FALSE;
            }
        }
      g_ptr_array_set_size (lines, 0);

      if (ok && state < 0)
        {
          int saved = errno;

          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("Could not read from the workers: %s"), g_strerror (saved));
          ok = FALSE;
        }
      else if (ok && state > 0 && (n_idle < n || (need_ready && !ready)))
        {
          set_early_exit_error (lab, error);
          ok = FALSE;
        }
    }

  if (have_cancel_fd)
    g_cancellable_release_fd (lab->cancellable);
  return ok;
}

static gboolean
add_memory (GPid     pid,
            Sample  *sample,
            GError **error)
{
  PtlProcMemory memory;

  if (!ptl_proc_read_memory (pid, &memory, error))
    return FALSE;
  sample->pss += memory.pss;
  sample->rss += memory.rss;
  sample->page_tables += memory.page_tables;
  return TRUE;
}

/* Sums the memory of every process of the family: the host and its
 * forked workers, or every exec'd worker. */
static gboolean
read_family (Lab     *lab,
             Sample  *sample,
             GError **error)
{
  GArray *groups[] = { lab->children, lab->grandchildren };
  guint n_read = 0;

  sample->pss = sample->rss = sample->page_tables = 0;
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    for (guint i = 0; i < groups[g]->len; i++)
      {
        if (++n_read % READS_PER_CHECK == 0 &&
            g_cancellable_set_error_if_cancelled (lab->cancellable, error))
          return FALSE;
        if (!add_memory (g_array_index (groups[g], GPid, i), sample, error))
          return FALSE;
      }
  return TRUE;
}

/* One family of @n idle workers of @kind (@n = 0: the host alone). */
static gboolean
measure (Lab     *lab,
         Kind     kind,
         guint    n,
         Sample  *sample,
         GError **error)
{
  gboolean ok;

  ok = open_pipes (lab, error) &&
       start_workers (lab, kind, n, error) &&
       wait_until_idle (lab, kind, n, error) &&
       read_family (lab, sample, error);
  lab_stop_workers (lab);
  return ok;
}

/* Caps */

/* Whether @n workers of @kind fit under the task and memory limits; when
 * not, @reason says which limit and by how much. */
static gboolean
fits (Lab         *lab,
      Kind         kind,
      guint        n,
      double       bytes_per_worker,
      char       **reason)
{
  guint64 tasks = (guint64) n + (kind == KIND_EXECD ? 0 : 1);
  double host = kind == KIND_FORKED ? lab->parent_mib * MIB : 0;
  double bytes = 2 * (n * (bytes_per_worker + TASK_KERNEL_BYTES) + host);
  gint64 available = ptl_proc_read_mem_available ();
  PtlProcTaskLimits limits;
  const char *limit_name;
  guint64 room;

  ptl_proc_read_task_limits (&limits);
  room = ptl_proc_task_headroom (&limits, RESERVE_TASKS, &limit_name);
  if (tasks > room)
    {
      g_autofree char *text = ptl_proc_describe_task_limits (&limits);

      *reason = g_strdup_printf (ngettext ("%u worker needs %llu tasks, but %s leaves room for %llu more "
                                           "(keeping %u free): %s",
                                           "%u workers need %llu tasks, but %s leaves room for %llu more "
                                           "(keeping %u free): %s", n),
                                 n, (unsigned long long) tasks, limit_name,
                                 (unsigned long long) room, RESERVE_TASKS, text);
      return FALSE;
    }

  if (available >= 0 && bytes > available / 2.0)
    {
      g_autofree char *need = ptl_format_value (bytes / 2, "B");
      g_autofree char *have = ptl_format_value (available, "B");

      *reason = g_strdup_printf (ngettext ("%u worker would occupy about %s, and the lab uses at most "
                                           "half of the %s that MemAvailable reports",
                                           "%u workers would occupy about %s, and the lab uses at most "
                                           "half of the %s that MemAvailable reports", n),
                                 n, need, have);
      return FALSE;
    }
  return TRUE;
}

/* Output */

typedef struct
{
  PtlSeries *total_pss[N_KINDS];
  PtlSeries *pss_per_worker[N_KINDS];
  PtlSeries *rss_per_worker[N_KINDS];
  PtlTable  *summary;
} Output;

enum {
  COLUMN_KIND,
  COLUMN_WORKERS,
  COLUMN_PSS_PER_WORKER,
  COLUMN_RSS_PER_WORKER,
  COLUMN_TOTAL_PSS,
};

static PtlChart *
add_chart (PtlResult  *result,
           const char *id,
           const char *title,
           const char *y_label)
{
  PtlChart *chart = ptl_result_add_chart (result, id, PTL_CHART_LINE, title);

  ptl_chart_set_x_axis (chart, _("Idle workers"), NULL, TRUE);
  ptl_chart_set_y_axis (chart, y_label, "B", TRUE);
  return chart;
}

static void
create_output (PtlResult *result,
               Lab       *lab,
               guint      repeats,
               Output    *out)
{
  g_autofree char *stack = ptl_format_value (lab->stack_kib * 1024.0, "B");
  g_autofree char *stack_label = g_strdup_printf (_("Thread stack reserved: %s"), stack);
  g_autofree char *parent = ptl_format_value (lab->parent_mib * MIB, "B");
  g_autofree char *parent_label = g_strdup_printf (_("Written by the forking parent: %s"), parent);
  PtlChart *total, *pss, *rss;

  total = add_chart (result, "total-pss", _("Total PSS of the workers"), _("Total PSS"));
  pss = add_chart (result, "pss-per-worker", _("PSS per worker (the honest cost)"), _("PSS per worker"));
  rss = add_chart (result, "rss-per-worker", _("RSS per worker (what top and ps add up)"), _("RSS per worker"));

  /* The guesses the measurements replace: a thread "costs its stack". */
  ptl_chart_add_reference (pss, PTL_REFERENCE_HORIZONTAL, lab->stack_kib * 1024.0, stack_label);
  ptl_chart_add_reference (rss, PTL_REFERENCE_HORIZONTAL, lab->stack_kib * 1024.0, stack_label);
  if (lab->parent_mib > 0)
    ptl_chart_add_reference (rss, PTL_REFERENCE_HORIZONTAL, lab->parent_mib * MIB, parent_label);

  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      out->total_pss[kind] = ptl_chart_add_series_with_id (total, kind_names[kind], _(kind_labels[kind]));
      out->pss_per_worker[kind] = ptl_chart_add_series_with_id (pss, kind_names[kind], _(kind_labels[kind]));
      out->rss_per_worker[kind] = ptl_chart_add_series_with_id (rss, kind_names[kind], _(kind_labels[kind]));
      if (repeats > 1)
        {
          ptl_series_set_band_label (out->total_pss[kind], _("min–max"));
          ptl_series_set_band_label (out->pss_per_worker[kind], _("min–max"));
          ptl_series_set_band_label (out->rss_per_worker[kind], _("min–max"));
        }
    }

  out->summary = ptl_result_get_summary (result);
  ptl_table_add_column_with_id (out->summary, "kind", _("Kind"), NULL);
  ptl_table_add_column_with_id (out->summary, "workers", _("Workers"), NULL);
  ptl_table_add_column_with_id (out->summary, "pss-per-worker", _("PSS per worker"), "B");
  ptl_table_add_column_with_id (out->summary, "rss-per-worker", _("RSS per worker"), "B");
  ptl_table_add_column_with_id (out->summary, "total-pss", _("Total PSS"), "B");
}

static void
add_point (PtlSeries    *series,
           double        x,
           const double *values,
           guint         n)
{
  PtlStats stats;

  ptl_stats_compute (&stats, values, n);
  if (n > 1)
    ptl_series_add_point_band (series, x, stats.median, stats.min, stats.max);
  else
    ptl_series_add_point (series, x, stats.median);
}

/* Every state of one kind's sweep. */
typedef struct
{
  gboolean stopped;
  double   bytes_per_worker; /* the last measured cost, for the memory cap */
  Sample  *baseline;         /* per repeat: the host alone (zero for exec'd) */
  double  *pss;              /* per repeat, at the current size: the family's growth */
  double  *rss;
  double  *page_tables;
  guint    last_n;           /* largest size fully measured, 0 for none */
  double   last_pss;         /* medians there */
  double   last_rss;
  double   last_page_tables;
  gboolean noisy;
} KindState;

static void
kind_states_clear (KindState *states)
{
  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      g_clear_pointer (&states[kind].baseline, g_free);
      g_clear_pointer (&states[kind].pss, g_free);
      g_clear_pointer (&states[kind].rss, g_free);
      g_clear_pointer (&states[kind].page_tables, g_free);
    }
}

/* A size all repeats of which are in: points, samples, and the figures
 * the summary shows if it stays the largest. */
static void
publish_size (PtlResult *result,
              Output    *out,
              Kind       kind,
              KindState *state,
              guint      n,
              guint      repeats)
{
  g_autofree double *pss_each = g_new (double, repeats);
  g_autofree double *rss_each = g_new (double, repeats);
  g_autofree char *pss_name = g_strdup_printf ("total-pss/%s/%u", kind_names[kind], n);
  g_autofree char *rss_name = g_strdup_printf ("total-rss/%s/%u", kind_names[kind], n);
  PtlStats stats;

  for (guint r = 0; r < repeats; r++)
    {
      pss_each[r] = state->pss[r] / n;
      rss_each[r] = state->rss[r] / n;
    }
  add_point (out->total_pss[kind], n, state->pss, repeats);
  add_point (out->pss_per_worker[kind], n, pss_each, repeats);
  add_point (out->rss_per_worker[kind], n, rss_each, repeats);
  ptl_result_add_samples (result, pss_name, "B", state->pss, repeats);
  ptl_result_add_samples (result, rss_name, "B", state->rss, repeats);

  ptl_stats_compute (&stats, pss_each, repeats);
  state->noisy |= ptl_stats_is_noisy (&stats) && (stats.max - stats.min) * n > NOISE_FLOOR_BYTES;
  state->last_n = n;
  state->last_pss = ptl_stats_median (state->pss, repeats);
  state->last_rss = ptl_stats_median (state->rss, repeats);
  state->last_page_tables = ptl_stats_median (state->page_tables, repeats);
  state->bytes_per_worker = MAX (stats.median, 0) + state->last_page_tables / n;
}

static void
publish_summary (PtlResult *result,
                 Output    *out,
                 KindState *states)
{
  g_autoptr(GString) tables = g_string_new (NULL);
  g_autoptr(GString) noisy = g_string_new (NULL);

  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      KindState *state = &states[kind];
      g_autofree char *per_worker = NULL;
      guint row;

      if (state->last_n == 0)
        continue;
      row = ptl_table_add_row_with_id (out->summary, kind_names[kind]);
      ptl_table_set_text (out->summary, row, COLUMN_KIND, _(kind_labels[kind]));
      ptl_table_set_number (out->summary, row, COLUMN_WORKERS, state->last_n);
      ptl_table_set_number (out->summary, row, COLUMN_PSS_PER_WORKER, state->last_pss / state->last_n);
      ptl_table_set_number (out->summary, row, COLUMN_RSS_PER_WORKER, state->last_rss / state->last_n);
      ptl_table_set_number (out->summary, row, COLUMN_TOTAL_PSS, state->last_pss);

      per_worker = ptl_format_value (state->last_page_tables / state->last_n, "B");
      g_string_append_printf (tables, "%s%s %s (at %u)", tables->len ? ", " : "",
                              kind_names[kind], per_worker, state->last_n);
      if (state->noisy)
        g_string_append_printf (noisy, "%s%s", noisy->len ? ", " : "", _(kind_labels[kind]));
    }

  if (tables->len > 0)
    ptl_result_add_note (result, _("Not in PSS or RSS: page tables (VmPTE) per worker, at the largest "
                                   "size measured: %s. Every thread and process also has a kernel stack "
                                   "(16 KiB on x86-64) and task structures that no /proc figure shows."),
                         tables->str);
  if (noisy->len > 0)
    ptl_result_add_warning (result, _("The repeats of %s were noisy at some size: p5 to p95 spans more than "
                                      "%.0f %% of the median (other processes came and went, and shared pages "
                                      "were divided differently); trust the medians."),
                            noisy->str, PTL_NOISY_SPREAD * 100);
}

/* The hosts alone, once per repeat, so each measurement has a baseline
 * from its own repeat. FALSE only for errors that end the run. */
static gboolean
measure_baselines (Lab        *lab,
                   PtlResult  *result,
                   KindState  *states,
                   guint       repeats,
                   GError    **limit_error,
                   GError    **error)
{
  for (guint kind = 0; kind < N_KINDS; kind++)
    for (guint r = 0; kind != KIND_EXECD && r < repeats; r++)
      {
        g_autoptr(GError) local_error = NULL;

        if (measure (lab, kind, 0, &states[kind].baseline[r], &local_error))
          continue;
        if (!g_error_matches (local_error, PTL_ERROR, PTL_ERROR_LIMIT))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        ptl_result_add_note (result, _("No %s could be measured: %s"), kind_names[kind], local_error->message);
        g_clear_error (limit_error);
        g_propagate_error (limit_error, g_steal_pointer (&local_error));
        states[kind].stopped = TRUE;
        break;
      }
  return TRUE;
}

/* Runs everything; also the place where the reader's notes are written. */
static gboolean
ptl_memory_experiment_run (PtlExperiment  *experiment,
                           PtlRun         *run,
                           GError        **error)
{
  PtlMemoryExperiment *self = PTL_MEMORY_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_autoptr(Lab) lab = NULL;
  g_autoptr(GError) limit_error = NULL;
  KindState states[N_KINDS] = { { 0 } };
  guint sizes[MAX_SIZES];
  guint n_sizes = ptl_memory_sweep_sizes (self->max_workers, sizes, MAX_SIZES);
  guint repeats = self->repeats;
  double total_weight = 0, done_weight = 0;
  gboolean measured = FALSE;
  gboolean ok = FALSE;
  Output out = { { NULL } };

  lab = lab_new (self, run, error);
  if (lab == NULL)
    return FALSE;

  create_output (result, lab, repeats, &out);
  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      states[kind].bytes_per_worker = PRIOR_WORKER_BYTES;
      states[kind].baseline = g_new0 (Sample, repeats);
      states[kind].pss = g_new0 (double, repeats);
      states[kind].rss = g_new0 (double, repeats);
      states[kind].page_tables = g_new0 (double, repeats);
    }
  /* Starting workers takes most of the time, so progress counts workers. */
  for (guint i = 0; i < n_sizes; i++)
    total_weight += (double) sizes[i] * repeats * N_KINDS;

  ptl_run_progress (run, 0, _("Measuring the hosts alone"));
  if (!measure_baselines (lab, result, states, repeats, &limit_error, error))
    goto out;

  for (guint s = 0; s < n_sizes; s++)
    for (guint r = 0; r < repeats; r++)
      for (guint kind = 0; kind < N_KINDS; kind++)
        {
          KindState *state = &states[kind];
          guint n = sizes[s];
          g_autoptr(GError) local_error = NULL;
          g_autofree char *reason = NULL;
          Sample sample;

          if (state->stopped)
            continue;
          if (r == 0 && !fits (lab, kind, n, state->bytes_per_worker, &reason))
            {
              g_autofree char *note = g_strdup_printf (_("The %s sweep stopped before %u: %s."),
                                                       kind_names[kind], n, reason);

              ptl_result_add_note (result, "%s", note);
              g_clear_error (&limit_error);
              g_set_error_literal (&limit_error, PTL_ERROR, PTL_ERROR_LIMIT, note);
              state->stopped = TRUE;
              continue;
            }

          ptl_run_progress (run, done_weight / total_weight,
                            ngettext ("%s: %u worker (repeat %u of %u)",
                                      "%s: %u workers (repeat %u of %u)", n),
                            kind_names[kind], n, r + 1, repeats);
          if (!measure (lab, kind, n, &sample, &local_error))
            {
              if (!g_error_matches (local_error, PTL_ERROR, PTL_ERROR_LIMIT))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  goto out;
                }
              g_autofree char *note = g_strdup_printf (_("The %s sweep stopped at %u: %s"),
                                                       kind_names[kind], n, local_error->message);

              ptl_result_add_note (result, "%s", note);
              g_clear_error (&limit_error);
              g_set_error_literal (&limit_error, PTL_ERROR, PTL_ERROR_LIMIT, note);
              state->stopped = TRUE;
              continue;
            }

          state->pss[r] = sample.pss - state->baseline[r].pss;
          state->rss[r] = sample.rss - state->baseline[r].rss;
          state->page_tables[r] = sample.page_tables - state->baseline[r].page_tables;
          done_weight += n;
          if (r + 1 == repeats)
            {
              g_autofree char *text = NULL;

              publish_size (result, &out, kind, state, n, repeats);
              measured = TRUE;
              text = ptl_format_value (state->last_pss / n, "B");
              ptl_run_progress (run, done_weight / total_weight,
                                ngettext ("%s: %u worker, %s PSS each",
                                          "%s: %u workers, %s PSS each", n),
                                kind_names[kind], n, text);
            }
        }

  if (!measured)
    {
      if (limit_error != NULL)
        g_propagate_error (error, g_steal_pointer (&limit_error));
      else
        g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT, _("No size of the sweep could be measured"));
      goto out;
    }

  publish_summary (result, &out, states);
  ptl_run_warn_if_virtual (run);
  if (repeats > 1)
    ptl_result_add_note (result, _("Each point is the median of %u measurements, each with freshly started "
                                   "workers; the bands show min–max."),
                         repeats);
  if (lab->parent_mib > 0 && states[KIND_FORKED].last_n > 0)
    {
      g_autofree char *parent = ptl_format_value (lab->parent_mib * MIB, "B");

      ptl_result_add_note (result, _("The forking parent had written to %s before it forked: every child "
                                     "shares those pages copy-on-write, so each child's RSS counts all of "
                                     "them, while PSS divides them among the %u processes that share them."),
                           parent, states[KIND_FORKED].last_n + 1);
    }
  ok = TRUE;

out:
  kind_states_clear (states);
  return ok;
}

static gboolean
ptl_memory_experiment_validate (PtlExperiment  *experiment,
                                GError        **error)
{
  PtlMemoryExperiment *self = PTL_MEMORY_EXPERIMENT (experiment);
  long stack_min = sysconf (_SC_THREAD_STACK_MIN);

  if (stack_min > 0 && (guint64) self->stack_kib * 1024 < (guint64) stack_min)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("stack-kib must be at least %ld here (PTHREAD_STACK_MIN)"), stack_min / 1024);
      return FALSE;
    }
  /* The rest of the stack holds the thread's own frames and its TLS. */
  if (self->touch_kib > self->stack_kib / 2)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("touch-kib (%u) must be at most half of stack-kib (%u)"),
                   self->touch_kib, self->stack_kib);
      return FALSE;
    }
  return TRUE;
}

static guint
ptl_memory_experiment_count_tasks (PtlExperiment *experiment)
{
  return PTL_MEMORY_EXPERIMENT (experiment)->max_workers;
}

static void
ptl_memory_experiment_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PtlMemoryExperiment *self = PTL_MEMORY_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_MAX_WORKERS:
      g_value_set_uint (value, self->max_workers);
      break;
    case PROP_STACK_KIB:
      g_value_set_uint (value, self->stack_kib);
      break;
    case PROP_TOUCH_KIB:
      g_value_set_uint (value, self->touch_kib);
      break;
    case PROP_PARENT_MIB:
      g_value_set_uint (value, self->parent_mib);
      break;
    case PROP_REPEATS:
      g_value_set_uint (value, self->repeats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_memory_experiment_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PtlMemoryExperiment *self = PTL_MEMORY_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_MAX_WORKERS:
      ptl_param_store_uint (object, &self->max_workers, value, pspec);
      break;
    case PROP_STACK_KIB:
      ptl_param_store_uint (object, &self->stack_kib, value, pspec);
      break;
    case PROP_TOUCH_KIB:
      ptl_param_store_uint (object, &self->touch_kib, value, pspec);
      break;
    case PROP_PARENT_MIB:
      ptl_param_store_uint (object, &self->parent_mib, value, pspec);
      break;
    case PROP_REPEATS:
      ptl_param_store_uint (object, &self->repeats, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_memory_experiment_class_init (PtlMemoryExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "total-pss", N_("Total PSS of the workers") },
    { "pss-per-worker", N_("PSS per worker") },
    { "rss-per-worker", N_("RSS per worker") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = ptl_memory_experiment_get_property;
  object_class->set_property = ptl_memory_experiment_set_property;

  experiment_class->id = "memory";
  experiment_class->title = N_("Memory per worker");
  experiment_class->category = N_("Processes");
  experiment_class->summary =
    N_("What idle workers really occupy: 1 to max-workers threads, forked processes and exec'd "
       "processes, their resident (RSS) and proportional (PSS) memory read from /proc, per worker "
       "and in total.");
  experiment_class->explanation =
    N_("“A thread costs 8 MB, a process 50 MB”: guesses like these decide designs. This experiment "
       "replaces them with what /proc reports for idle workers on your machine.\n\n"
       "The kinds. threads: one small host process starts N threads, each with a stack of stack-kib. "
       "forked: a small host writes to parent-mib of memory, then forks N children, which share "
       "those pages copy-on-write. exec'd: the lab starts N copies of a small helper program. Every "
       "worker writes to touch-kib of its stack and then blocks. A worker's cost is what its family "
       "grows by: the host with N workers minus the same host with none, divided by N.\n\n"
       "Virtual is not resident. A thread's stack is reserved address space (8 MiB by default, "
       "RLIMIT_STACK), but the kernel gives it a page of memory only when the thread first writes "
       "to that page. An idle thread that used 16 KiB of its stack occupies about that, plus the "
       "pages holding its thread descriptor and first frames: tens of KiB, not 8 MiB. The horizontal "
       "line marks the reserved stack, the guess the measurement replaces.\n\n"
       "Why PSS. RSS counts every page a process has in memory, including the pages it shares: the C "
       "library's code, or a forked parent's data that neither side has written since the fork. Add "
       "up the RSS of a hundred forked children of a 16 MiB parent and you get 1.6 GB that do not "
       "exist: RSS overcounts, and top, ps and most monitors add it up. PSS (proportional set size) "
       "divides each shared page among the processes that map it, so the PSS of all processes sums "
       "to the memory really used: it is the honest figure for what a worker costs. Watch the "
       "forked series: RSS per worker stays at the parent's size, PSS per worker falls to the few "
       "pages each child wrote.\n\n"
       "What to look for. Threads are the cheapest: their cost is the stack they touched. An exec'd "
       "process costs its own private pages (stack, heap, the program's writable data, relocations) "
       "plus its share of the libraries: even a tiny C program is a hundred KiB or more; an idle Python "
       "interpreter is about ten MiB. A forked child costs only the pages it writes after the fork, "
       "until it writes to the shared ones. Per-worker figures settle as N grows, as fixed costs are "
       "divided among more workers.\n\n"
       "Not in the figures: page tables (VmPTE, shown in a note) and each task's kernel stack; "
       "both are kernel memory. Limits: the sweep stops before it would exceed RLIMIT_NPROC, "
       "kernel.threads-max or half of MemAvailable, and when a creation fails anyway the run keeps "
       "what it measured and says which limit was hit.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "pss-per-worker", PTL_HEADLINE_RANGE);

  experiment_class->validate = ptl_memory_experiment_validate;
  experiment_class->run = ptl_memory_experiment_run;
  experiment_class->count_tasks = ptl_memory_experiment_count_tasks;

  properties[PROP_MAX_WORKERS] =
    g_param_spec_uint ("max-workers", N_("Most workers"),
                       N_("The largest number of idle workers of each kind; the sweep measures 1, 2, 5, "
                          "10, 20, 50 … up to it, and stops earlier at RLIMIT_NPROC or when memory runs short"),
                       1, 100000, 1000, flags);
  ptl_param_set_unit (properties[PROP_MAX_WORKERS], N_("workers"));
  properties[PROP_STACK_KIB] =
    g_param_spec_uint ("stack-kib", N_("Thread stack size"),
                       N_("The stack each thread reserves (pthread_attr_setstacksize); glibc's default "
                          "is RLIMIT_STACK, usually 8192 KiB"),
                       16, 1048576, 8192, flags);
  ptl_param_set_unit (properties[PROP_STACK_KIB], "KiB");
  properties[PROP_TOUCH_KIB] =
    g_param_spec_uint ("touch-kib", N_("Stack written"),
                       N_("How much of its stack each worker writes to before it blocks"),
                       0, 65536, 16, flags);
  ptl_param_set_unit (properties[PROP_TOUCH_KIB], "KiB");
  properties[PROP_PARENT_MIB] =
    g_param_spec_uint ("parent-mib", N_("Forking parent's memory"),
                       N_("How much memory the host of the forked workers writes to before it forks; "
                          "its children share it copy-on-write"),
                       0, 4096, 16, flags);
  ptl_param_set_unit (properties[PROP_PARENT_MIB], "MiB");
  properties[PROP_REPEATS] =
    g_param_spec_uint ("repeats", N_("Repeats"),
                       N_("How many times each size is measured with fresh workers; the charts show "
                          "the median with min–max bands"),
                       1, 10, 3, flags);
  ptl_param_set_unit (properties[PROP_REPEATS], N_("runs"));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_memory_experiment_init (PtlMemoryExperiment *self)
{
  self->max_workers = 1000;
  self->stack_kib = 8192;
  self->touch_kib = 16;
  self->parent_mib = 16;
  self->repeats = 3;
}

guint
ptl_memory_sweep_sizes (guint  max_workers,
                        guint *sizes,
                        guint  n_sizes)
{
  static const guint steps[] = { 1, 2, 5 };
  guint n = 0;

  g_return_val_if_fail (sizes != NULL || n_sizes == 0, 0);

  for (guint64 decade = 1; n < n_sizes; decade *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (steps) && n < n_sizes; i++)
      {
        guint64 size = decade * steps[i];

        if (size >= max_workers)
          {
            sizes[n++] = max_workers;
            return n;
          }
        sizes[n++] = (guint) size;
      }
  return n;
}
