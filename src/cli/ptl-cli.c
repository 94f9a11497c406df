/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
/* PRId64 rather than G_GINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ptl-cli.h"
#include "ptl-plain-locks.h"
#include "ptl-plot.h"
#include "ptl-registry.h"
#include "ptl-sched-sim.h"

enum
{
  EXIT_DONE = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_INTERRUPTED = 130,
};

typedef struct
{
  const char *name;
  const char *synopsis;
  const char *description;
  int (*main) (int argc, char *argv[]);
} Command;

static int cmd_list (int argc, char *argv[]);
static int cmd_describe (int argc, char *argv[]);
static int cmd_run (int argc, char *argv[]);
static int cmd_export (int argc, char *argv[]);
static int cmd_bench (int argc, char *argv[]);
static int cmd_serve (int argc, char *argv[]);
static int cmd_history (int argc, char *argv[]);
static int cmd_plot (int argc, char *argv[]);
static int cmd_compare (int argc, char *argv[]);
static int cmd_report (int argc, char *argv[]);
static int cmd_help (int argc, char *argv[]);

static const Command commands[] = {
  { "list", "list", N_("Print the experiments, one a line: id, category, title"), cmd_list },
  { "describe", "describe ID", N_("Explain an experiment and its parameters"), cmd_describe },
  { "run", "run ID [--param NAME=VALUE]… [--export FILE]… [--json] [--max-tasks N] [--monitor-ms MS] [--no-save] [--label TEXT] [EXPORT OPTIONS]",
    N_("Run an experiment, print its summary, write exports, save it in the history"), cmd_run },
  { "export", "export RESULT.json FILE… [EXPORT OPTIONS]", N_("Draw a saved result again, to PNG, SVG, PDF, CSV or JSON"), cmd_export },
  { "history", "history list [--experiment ID] | show ID | label ID TEXT | delete ID | export ID FILE… [EXPORT OPTIONS] | import RESULT.json [--label TEXT]",
    N_("The saved runs: list, show, label, delete, export them, or import a result"), cmd_history },
  { "plot", "plot FILE.csv --export FILE… [--kind line|bar] [--title T] [--x-label L] [--y-label L] [--log-x] [--log-y] [EXPORT OPTIONS]",
    N_("Draw any CSV table (x then series, or the lab’s own CSV) with the lab’s charts"), cmd_plot },
  { "compare", "compare RUN-OR-FILE… [--export FILE]… [EXPORT OPTIONS]",
    N_("Set 2 to 8 runs of one experiment (history ids or result files) side by side"), cmd_compare },
  { "report", "report RUN-OR-FILE… --export FILE.pdf",
    N_("Write a multi-page PDF report of a run, or of 2 to 8 runs of one experiment compared"), cmd_report },
  { "serve", "serve [--port N] [--no-save]", N_("Offer the experiments over HTTP on 127.0.0.1 and ::1, with Prometheus metrics"), cmd_serve },
  { "bench", "bench NAME [OPTIONS]", N_("Run one of the lab's own performance benchmarks (history, plot, sched, threads)"), cmd_bench },
  { "help", "help", N_("Show this help"), cmd_help },
};

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("ptlab: %s\n", message);
  return EXIT_USAGE;
}

static int
cmd_help (int   argc,
          char *argv[])
{
  g_print (_("Process Thread Lab %s — measure concurrency on this machine\n\n"), PACKAGE_VERSION);
  g_print (_("Usage:\n  ptlab                 open the window\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  ptlab %s\n      %s\n", commands[i].synopsis, _(commands[i].description));
  g_print (_("\nExit status: 0 done, 1 the run or an export failed, 2 bad usage or input, "
             "130 interrupted (Ctrl-C).\n"
             "Export formats come from the extension: .png .svg .pdf .csv .json\n"
             "Export options: --chart ID (one chart; ids in “ptlab describe ID”), --width W, "
             "--height H, --scale S\n"));
  return EXIT_DONE;
}

/* printf pads by bytes; a translated category (Korean: 3 bytes and two
 * columns a syllable) must be padded by the columns a terminal shows. */
static char *
pad_to_columns (const char *text,
                guint       columns)
{
  GString *out = g_string_new (text);

  for (guint used = ptl_text_get_columns (text); used < columns; used++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static int
cmd_list (int   argc,
          char *argv[])
{
  const GType *types;
  guint n_types;

  if (argc > 1)
    return usage_error (_("“list” takes no arguments"));

  types = ptl_registry_list_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(PtlExperiment) experiment = g_object_new (types[i], NULL);
      g_autofree char *category = pad_to_columns (ptl_experiment_get_category (experiment), 16);

      g_print ("%-17s %s %s\n", ptl_experiment_get_id (experiment), category,
               ptl_experiment_get_title (experiment));
    }
  return EXIT_DONE;
}

static int
cmd_describe (int   argc,
              char *argv[])
{
  g_autoptr(PtlExperiment) experiment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree GParamSpec **params = NULL;
  guint n_params;

  if (argc != 2)
    return usage_error (_("Usage: ptlab describe ID (see “ptlab list”)"));

  experiment = ptl_registry_create (argv[1], &error);
  if (experiment == NULL)
    return usage_error ("%s", error->message);

  g_print ("%s (%s) — %s\n\n%s\n\n%s\n\n", ptl_experiment_get_title (experiment),
           ptl_experiment_get_id (experiment), ptl_experiment_get_category (experiment),
           ptl_experiment_get_summary (experiment), ptl_experiment_get_explanation (experiment));

  params = ptl_experiment_list_params (experiment, &n_params);
  g_print (_("Parameters (--param NAME=VALUE):\n"));
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *type = ptl_param_describe_type (params[i]);
      g_autofree char *range = ptl_param_describe_range (params[i]);
      g_autofree char *def = ptl_param_dup_default_text (params[i]);
      const char *unit = ptl_param_get_unit (params[i]);

      /* TRANSLATORS: one parameter in “ptlab describe”: its name, type, range,
       * a space and its unit (or nothing), default value, then its description */
      g_print (_("  %-20s %s, %s%s%s, default %s\n      %s\n"), params[i]->name, type, range,
               *unit ? " " : "", *unit ? _(unit) : "", def,
               _(g_param_spec_get_blurb (params[i])));  /* marked N_() by each experiment */
    }

  g_print (_("\nCharts (--chart ID):\n"));
  for (guint i = 0; i < ptl_experiment_get_n_charts (experiment); i++)
    g_print ("  %-26s %s\n", ptl_experiment_get_chart_id (experiment, i),
             ptl_experiment_get_chart_title (experiment, i));
  return EXIT_DONE;
}

/* --chart, --width, --height and --scale, shared by run and export. */
typedef struct
{
  char   *chart_id;
  double  width;
  double  height;
  double  scale;
} ExportArgs;

static void
export_args_clear (ExportArgs *args)
{
  g_clear_pointer (&args->chart_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportArgs, export_args_clear)

/* Main entries, so `ptlab run --help` and `ptlab export --help` list them. */
static void
add_export_options (GOptionContext *context,
                    ExportArgs     *args)
{
  const GOptionEntry entries[] = {
    { "chart", 0, 0, G_OPTION_ARG_STRING, &args->chart_id, N_("Export only this chart (default: all of them; ids in “ptlab describe ID”)"), N_("ID") },
    { "width", 0, 0, G_OPTION_ARG_DOUBLE, &args->width, N_("Export width in pixels/points"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_DOUBLE, &args->height, N_("Export height in pixels/points"), N_("H") },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &args->scale, N_("PNG pixels per point (2 for HiDPI)"), N_("S") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static int
check_size_arg (const char *option,
                double      value,
                double      maximum)
{
  /* Written so NaN, which GOption parses from "nan", fails too. */
  if (value >= 0 && value <= maximum)
    return EXIT_DONE;
  return usage_error (_("%s must be from 0 to %g (0: the default), not %g"),
                      option, maximum, value);
}

/* Everything an export needs to be checked before a long run starts, so a
 * typo in a path or a size fails in a second, not after the experiment. */
static int
check_exports (char * const     *paths,
               const ExportArgs *args)
{
  PtlExportOptions options = { NULL, args->width, args->height, args->scale, NULL };
  int status;

  if ((status = check_size_arg ("--width", args->width, PTL_EXPORT_MAX_SIDE)) != EXIT_DONE ||
      (status = check_size_arg ("--height", args->height, PTL_EXPORT_MAX_SIDE)) != EXIT_DONE ||
      (status = check_size_arg ("--scale", args->scale, PTL_EXPORT_MAX_SCALE)) != EXIT_DONE)
    return status;

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!ptl_export_check_options (paths[i], &options, &error) ||
          !ptl_file_check_replaceable (paths[i], &error))
        return usage_error ("%s", error->message);
    }
  return EXIT_DONE;
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  PtlResult    *result;
  GError       *error;
  gboolean      show_progress;
  gboolean      interrupted;
  gint64        last_progress_us;
} RunState;

static gboolean
interrupt_cb (gpointer user_data)
{
  RunState *state = user_data;

  state->interrupted = TRUE;
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Until catch_interrupts () (parsing, the limit checks and opening the
 * history come first and take tens of milliseconds), SIGINT and SIGTERM
 * end the command at once with the interrupt's status: nothing has been
 * started or written yet. The message is translated beforehand, as only
 * write () and _exit () may run in a signal handler. */
static const char *early_interrupt_message;

static void
early_interrupt_handler (int signum)
{
  ssize_t written = write (STDERR_FILENO, early_interrupt_message, strlen (early_interrupt_message));

  (void) written;
  _exit (EXIT_INTERRUPTED);
}

/* The first thing a command that promises exit 130 on an interrupt does. */
static void
catch_early_interrupts (const char *message)
{
  struct sigaction action = { .sa_handler = early_interrupt_handler };
  sigset_t signals;

  early_interrupt_message = message;
  sigemptyset (&action.sa_mask);
  sigemptyset (&signals);
  sigaddset (&signals, SIGINT);
  sigaddset (&signals, SIGTERM);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  /* Started with them blocked (as some launchers do), the promise would
   * not hold at all; one already pending is handled here. */
  sigprocmask (SIG_UNBLOCK, &signals, NULL);
}

/* SIGINT and SIGTERM only set state->interrupted (and cancel the run)
 * until the returned ids are removed, so the exports that follow a run
 * are covered too. */
static void
catch_interrupts (RunState *state,
                  guint     ids[2])
{
  ids[0] = g_unix_signal_add (SIGINT, interrupt_cb, state);
  ids[1] = g_unix_signal_add (SIGTERM, interrupt_cb, state);
}

static void
release_interrupts (guint ids[2])
{
  g_source_remove (ids[0]);
  g_source_remove (ids[1]);
}

/* Dispatches a signal that arrived while the main loop was not running. */
static gboolean
was_interrupted (RunState *state)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return state->interrupted;
}

/* Writes every export to its temporary first and renames them over their
 * targets only when all are written: an interrupt until then leaves each
 * target as it was, as the README promises. */
static int
write_exports (PtlResult        *result,
               char * const     *exports,
               const ExportArgs *args,
               RunState         *state)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) ptl_atomic_file_free);
  PtlExportOptions options = { args->chart_id, args->width, args->height, args->scale, NULL };
  int status = EXIT_DONE;

  for (guint i = 0; exports != NULL && exports[i] != NULL && !was_interrupted (state); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PtlAtomicFile) file = ptl_atomic_file_new (exports[i], &error);

      if (file == NULL || !ptl_export_write (result, file, &options, &error))
        {
          g_printerr ("ptlab: %s\n", error->message);
          /* What only the result could tell (a PNG side that follows the
           * figure's shape) is still bad input, not a failed write. */
          status = MAX (status, g_error_matches (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER)
                                ? EXIT_USAGE : EXIT_FAILED);
        }
      else
        g_ptr_array_add (files, g_steal_pointer (&file));
    }

  if (was_interrupted (state))
    {
      /* Freeing the files removes their temporaries. */
      g_printerr (_("ptlab: interrupted; no file was written\n"));
      return EXIT_INTERRUPTED;
    }

  for (guint i = 0; i < files->len; i++)
    {
      PtlAtomicFile *file = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;

      if (!ptl_atomic_file_commit (file, &error))
        {
          g_printerr ("ptlab: %s\n", error->message);
          status = EXIT_FAILED;
        }
      else if (isatty (STDERR_FILENO))
        g_printerr (_("Wrote %s\n"), ptl_atomic_file_get_path (file));
    }
  return status;
}

static void
progress_cb (PtlResult  *snapshot,
             double      fraction,
             const char *message,
             gpointer    user_data)
{
  RunState *state = user_data;
  gint64 now = g_get_monotonic_time ();
  char bar[31];
  guint filled;

  if (!state->show_progress || now - state->last_progress_us < 100000)
    return;
  state->last_progress_us = now;

  filled = (guint) (fraction * 30 + 0.5);
  memset (bar, '#', filled);
  memset (bar + filled, ' ', 30 - filled);
  bar[30] = '\0';
  /* \r and erase-line keep it to one line on a terminal. */
  g_printerr ("\r\033[K[%s] %3.0f%%  %s", bar, fraction * 100, message ? message : "");
}

/* The summary table, then the warnings and notes: what `run` prints. */
static void
print_summary (PtlResult *result)
{
  g_autofree char *table = ptl_table_format_text (ptl_result_get_summary (result));

  g_print ("%s", table);
  for (guint i = 0; i < ptl_result_get_n_warnings (result); i++)
    g_print (_("warning: %s\n"), ptl_result_get_warning (result, i));
  for (guint i = 0; i < ptl_result_get_n_notes (result); i++)
    g_print (_("note: %s\n"), ptl_result_get_note (result, i));
}

/* A history or a file that cannot be opened or written is not bad
 * input: exit 1. */
static int
store_failed (GError *error)
{
  g_printerr ("ptlab: %s\n", error->message);
  return EXIT_FAILED;
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunState *state = user_data;

  state->result = ptl_experiment_run_finish (PTL_EXPERIMENT (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static int
cmd_run (int   argc,
         char *argv[])
{
  g_auto(GStrv) params = NULL;
  g_auto(GStrv) exports = NULL;
  g_auto(ExportArgs) export_args = { 0 };
  g_autofree char *label = NULL;
  gboolean as_json = FALSE;
  gboolean quiet = FALSE;
  gboolean no_save = FALSE;
  int monitor_ms = 0;
  int max_tasks = PTL_MAX_TASKS_DEFAULT;
  GOptionEntry entries[] = {
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params, N_("Set a parameter (see “ptlab describe ID”)"), N_("NAME=VALUE") },
    { "export", 'e', 0, G_OPTION_ARG_FILENAME_ARRAY, &exports, N_("Write the result; format from the extension"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the whole result as JSON instead of the summary"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress line"), NULL },
    { "no-save", 0, 0, G_OPTION_ARG_NONE, &no_save, N_("Do not save the run in the history"), NULL },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("Label the saved run (see “ptlab history”)"), N_("TEXT") },
    { "max-tasks", 0, 0, G_OPTION_ARG_INT, &max_tasks, N_("Refuse parameters that would have more than N threads and processes at once (default 4096)"), N_("N") },
    { "monitor-ms", 0, 0, G_OPTION_ARG_INT, &monitor_ms, N_("Sample the lab’s threads and child processes every MS ms (10 – 2000; 0, the default, is off) and, when the run lasts five samples or more, add the CPU and memory charts of the run’s threads and children"), N_("MS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID — run an experiment"));
  g_autoptr(PtlExperiment) experiment = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PtlProcMonitor) monitor = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(PtlStore) store = NULL;
  RunState state = { 0 };
  guint signal_ids[2];
  int status, save_status = EXIT_DONE;

  catch_early_interrupts (_("ptlab: cancelled; nothing was left running\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_export_options (context, &export_args);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 2)
    return usage_error (_("Usage: ptlab run ID [--param NAME=VALUE]… [--export FILE]… [--json] (see “ptlab list”)"));
  if (monitor_ms != 0 &&
      (monitor_ms < PTL_PROC_MONITOR_MIN_INTERVAL_MS || monitor_ms > PTL_PROC_MONITOR_MAX_INTERVAL_MS))
    return usage_error (_("--monitor-ms must be %d – %d (or 0 for no monitor), not %d"),
                        PTL_PROC_MONITOR_MIN_INTERVAL_MS, PTL_PROC_MONITOR_MAX_INTERVAL_MS, monitor_ms);
  if (max_tasks < 1 || max_tasks > PTL_MAX_TASKS_LIMIT)
    return usage_error (_("--max-tasks must be 1 – %d, not %d"), PTL_MAX_TASKS_LIMIT, max_tasks);
  ptl_experiment_set_max_tasks (max_tasks);

  experiment = ptl_registry_create (argv[1], &error);
  if (experiment == NULL)
    return usage_error ("%s", error->message);

  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (params[i], "=", 2);

      if (pair[0] == NULL || pair[1] == NULL || *pair[0] == '\0')
        return usage_error (_("--param takes NAME=VALUE, not “%s”"), params[i]);
      if (!ptl_experiment_set_param (experiment, g_strstrip (pair[0]), pair[1], &error))
        return usage_error ("%s", error->message);
    }
  if (!ptl_experiment_validate (experiment, &error))
    return usage_error ("%s", error->message);

  /* The monitor's charts exist only when it samples. */
  if (export_args.chart_id != NULL &&
      !(monitor_ms > 0 && (g_str_equal (export_args.chart_id, PTL_PROC_MONITOR_CPU_CHART) ||
                           g_str_equal (export_args.chart_id, PTL_PROC_MONITOR_RSS_CHART))) &&
      !ptl_experiment_check_chart (experiment, export_args.chart_id, &error))
    return usage_error ("%s", error->message);
  if ((status = check_exports (exports, &export_args)) != EXIT_DONE)
    return status;
  if (no_save && label != NULL)
    return usage_error (_("--label names the saved run; it cannot go with --no-save"));

  /* GLib aborts when it cannot make the loop's wake-up descriptor or a
   * thread, fontconfig when it lacks memory: name the limit first. */
  if (!ptl_machine_check_limits (PTL_MACHINE_RUN_TASKS + (exports != NULL ? PTL_MACHINE_DRAW_TASKS : 0),
                                 &error))
    {
      g_printerr ("ptlab: %s\n", error->message);
      return EXIT_FAILED;
    }

  /* Opened before the run, so a history that cannot take it says so in a
   * second rather than after the experiment. */
  if (!no_save && (store = ptl_store_open (NULL, &error)) == NULL)
    return store_failed (error);

  /* The monitor samples /proc on the main loop below while the run goes. */
  if (monitor_ms > 0)
    {
      monitor = ptl_proc_monitor_new (monitor_ms);
      if (!ptl_proc_monitor_start (monitor, &error))
        {
          g_printerr ("ptlab: %s\n", error->message);
          return EXIT_FAILED;
        }
    }

  state.loop = g_main_loop_new (NULL, FALSE);
  state.cancellable = cancellable;
  state.show_progress = !quiet && isatty (STDERR_FILENO);
  catch_interrupts (&state, signal_ids);

  ptl_experiment_run_async (experiment, cancellable, progress_cb, &state, NULL, run_done_cb, &state);
  g_main_loop_run (state.loop);
  if (monitor != NULL)
    ptl_proc_monitor_stop (monitor);
  g_main_loop_unref (state.loop);
  if (state.show_progress)
    g_printerr ("\r\033[K");

  result = g_steal_pointer (&state.result);
  if (result == NULL)
    {
      int code = state.interrupted ? EXIT_INTERRUPTED : EXIT_FAILED;

      if (g_error_matches (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr (_("ptlab: cancelled; nothing was left running\n"));
      else
        g_printerr ("ptlab: %s\n", state.error->message);
      g_clear_error (&state.error);
      release_interrupts (signal_ids);
      return code;
    }

  if (monitor != NULL)
    ptl_proc_monitor_add_to_result (monitor, result);

  if (as_json)
    {
      g_autofree char *json = ptl_result_to_json_string (result);
      g_print ("%s\n", json);
    }
  else
    print_summary (result);

  if (store != NULL)
    {
      gint64 id = ptl_store_save (store, result, label, 0, &error);

      if (id == 0)
        save_status = store_failed (error);
      else if (isatty (STDERR_FILENO))
        g_printerr (_("Saved as run %" PRId64 " (ptlab history show %" PRId64 ")\n"), id, id);
      g_clear_error (&error);
    }

  /* A declared chart that these parameters did not produce (the sweep
   * switched off, a monitor with too few samples). */
  if (export_args.chart_id != NULL && ptl_result_find_chart (result, export_args.chart_id) == NULL)
    {
      g_printerr (_("ptlab: the result has no chart “%s” with these parameters; nothing exported\n"),
                  export_args.chart_id);
      release_interrupts (signal_ids);
      return EXIT_USAGE;
    }
  status = write_exports (result, exports, &export_args, &state);
  release_interrupts (signal_ids);
  return status == EXIT_DONE ? save_status : status;
}

/* The ids a saved result holds, for a wrong --chart. */
static char *
dup_chart_ids (PtlResult *result)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "",
                            ptl_chart_get_id (ptl_result_get_chart (result, i)));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* Writes a result read back from @source (a file, a run) to @files. */
static int
export_saved (PtlResult        *result,
              const char       *source,
              char * const     *files,
              const ExportArgs *args,
              RunState         *state)
{
  if (args->chart_id != NULL && ptl_result_find_chart (result, args->chart_id) == NULL)
    {
      g_autofree char *ids = dup_chart_ids (result);

      return usage_error (_("%s has no chart “%s”; its charts are: %s"), source, args->chart_id, ids);
    }
  return write_exports (result, files, args, state);
}

static int
cmd_export (int   argc,
            char *argv[])
{
  g_auto(ExportArgs) export_args = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("RESULT.json FILE… — draw a saved result again"));
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RunState state = { 0 };
  guint signal_ids[2];
  int status;

  catch_early_interrupts (_("ptlab: interrupted; no file was written\n"));
  /* Options may come anywhere: GOption takes them out and leaves the
   * file names in order. */
  add_export_options (context, &export_args);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc < 3)
    return usage_error (_("Usage: ptlab export RESULT.json FILE… [--chart ID] [--width W] [--height H] [--scale S] "
                          "(formats: .png .svg .pdf .csv .json)"));
  if ((status = check_exports (argv + 2, &export_args)) != EXIT_DONE)
    return status;

  catch_interrupts (&state, signal_ids);
  result = ptl_result_load_json (argv[1], &error);
  if (result == NULL)
    status = usage_error ("%s", error->message);
  else if (!ptl_machine_check_limits (PTL_MACHINE_DRAW_TASKS, &error))
    {
      g_printerr ("ptlab: %s\n", error->message);
      status = EXIT_FAILED;
    }
  else
    status = export_saved (result, argv[1], argv + 2, &export_args, &state);
  release_interrupts (signal_ids);
  return status;
}

/* A run id as typed: a whole number from 1 up. */
static gboolean
parse_run_id (const char *text,
              gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      usage_error (_("A run id is a number from “ptlab history list”, not “%s”"), text);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

/* A run that is not there is bad input; anything else the history says
 * is a failure. */
static int
history_failed (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return usage_error ("%s", error->message);
  return store_failed (error);
}

static int
history_list (int   argc,
              char *argv[])
{
  g_autofree char *experiment = NULL;
  GOptionEntry entries[] = {
    { "experiment", 0, 0, G_OPTION_ARG_STRING, &experiment, N_("Only the runs of this experiment"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— the saved runs, newest first"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(GPtrArray) entries_found = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error (_("Usage: ptlab history list [--experiment ID]"));
  if ((store = ptl_store_open (NULL, &error)) == NULL ||
      (entries_found = ptl_store_list (store, experiment, &error)) == NULL)
    return store_failed (error);
  for (guint i = 0; i < entries_found->len; i++)
    {
      PtlStoreEntry *entry = g_ptr_array_index (entries_found, i);
      g_autofree char *date = ptl_store_format_created (entry->created);

      g_print ("%6" G_GINT64_FORMAT "  %s  %-14s  %-20s  %s\n", entry->id, date,
               entry->experiment, entry->label, entry->headline);
    }
  return EXIT_DONE;
}

/* What `history show|label|delete` begin with: the argument count, the
 * run id and the open history. EXIT_DONE, or the status to exit with. */
static int
open_history_run (int          argc,
                  char        *argv[],
                  int          expected_argc,
                  const char  *usage,
                  PtlStore   **store,
                  gint64      *id)
{
  g_autoptr(GError) error = NULL;

  if (argc != expected_argc)
    return usage_error ("%s", usage);
  if (!parse_run_id (argv[1], id))
    return EXIT_USAGE;
  if ((*store = ptl_store_open (NULL, &error)) == NULL)
    return store_failed (error);
  return EXIT_DONE;
}

static int
history_show (int   argc,
              char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(PtlResult) result = NULL;
  gint64 id;
  int status;

  if ((status = open_history_run (argc, argv, 2, _("Usage: ptlab history show ID"), &store, &id)) != EXIT_DONE)
    return status;
  if ((result = ptl_store_load (store, id, &error)) == NULL)
    return history_failed (error);
  print_summary (result);
  return EXIT_DONE;
}

static int
history_label (int   argc,
               char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  gint64 id;
  int status;

  if ((status = open_history_run (argc, argv, 3, _("Usage: ptlab history label ID TEXT (\"\" removes the label)"), &store, &id)) != EXIT_DONE)
    return status;
  if (!ptl_store_set_label (store, id, argv[2], &error))
    return history_failed (error);
  return EXIT_DONE;
}

static int
history_delete (int   argc,
                char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  gint64 id;
  int status;

  if ((status = open_history_run (argc, argv, 2, _("Usage: ptlab history delete ID"), &store, &id)) != EXIT_DONE)
    return status;
  if (!ptl_store_delete (store, id, &error))
    return history_failed (error);
  return EXIT_DONE;
}

static int
history_export (int   argc,
                char *argv[])
{
  g_auto(ExportArgs) export_args = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID FILE… — draw a saved run again"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autofree char *source = NULL;
  RunState state = { 0 };
  guint signal_ids[2];
  int status;
  gint64 id;

  catch_early_interrupts (_("ptlab: interrupted; no file was written\n"));
  add_export_options (context, &export_args);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc < 3)
    return usage_error (_("Usage: ptlab history export ID FILE… [--chart ID] [--width W] [--height H] [--scale S] "
                          "(formats: .png .svg .pdf .csv .json)"));
  if (!parse_run_id (argv[1], &id))
    return EXIT_USAGE;
  if ((status = check_exports (argv + 2, &export_args)) != EXIT_DONE)
    return status;
  if ((store = ptl_store_open (NULL, &error)) == NULL)
    return store_failed (error);
  if ((result = ptl_store_load (store, id, &error)) == NULL)
    return history_failed (error);

  source = g_strdup_printf (_("Run %" PRId64), id);
  catch_interrupts (&state, signal_ids);
  status = export_saved (result, source, argv + 2, &export_args, &state);
  release_interrupts (signal_ids);
  return status;
}

static int
history_import (int   argc,
                char *argv[])
{
  g_autofree char *label = NULL;
  GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("Label the imported run"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("RESULT.json — add a saved result to the history"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(PtlResult) result = NULL;
  gint64 id;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 2)
    return usage_error (_("Usage: ptlab history import RESULT.json [--label TEXT]"));
  if ((result = ptl_result_load_json (argv[1], &error)) == NULL)
    return usage_error ("%s", error->message);
  /* The store finds the headline each experiment declares among the
   * registered experiment types. */
  ptl_registry_list_types (NULL);
  if ((store = ptl_store_open (NULL, &error)) == NULL ||
      (id = ptl_store_save (store, result, label, 0, &error)) == 0)
    return store_failed (error);
  /* The new id, alone, for scripts. */
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_DONE;
}

static int
cmd_history (int   argc,
             char *argv[])
{
  static const struct { const char *name; int (*main) (int, char **); } subcommands[] = {
    { "list", history_list },
    { "show", history_show },
    { "label", history_label },
    { "delete", history_delete },
    { "export", history_export },
    { "import", history_import },
  };

  if (argc < 2)
    return usage_error (_("Usage: ptlab history list | show | label | delete | export | import (see “ptlab --help”)"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_strcmp0 (argv[1], subcommands[i].name) == 0)
      return subcommands[i].main (argc - 1, argv + 1);
  return usage_error (_("No history command “%s”; they are: list, show, label, delete, export, import"), argv[1]);
}

static int
cmd_plot (int   argc,
          char *argv[])
{
  g_auto(ExportArgs) export_args = { 0 };
  g_auto(GStrv) exports = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *title = NULL, *x_label = NULL, *y_label = NULL;
  gboolean log_x = FALSE, log_y = FALSE;
  GOptionEntry entries[] = {
    { "export", 'e', 0, G_OPTION_ARG_FILENAME_ARRAY, &exports, N_("Write the chart; format from the extension"), N_("FILE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("line (default), scatter, or bar (x names categories)"), N_("KIND") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The chart’s title"), N_("T") },
    { "x-label", 0, 0, G_OPTION_ARG_STRING, &x_label, N_("The x axis’ label (default: the x column’s name)"), N_("L") },
    { "y-label", 0, 0, G_OPTION_ARG_STRING, &y_label, N_("The y axis’ label"), N_("L") },
    { "log-x", 0, 0, G_OPTION_ARG_NONE, &log_x, N_("Logarithmic x axis"), NULL },
    { "log-y", 0, 0, G_OPTION_ARG_NONE, &log_y, N_("Logarithmic y axis"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.csv — draw a CSV table"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(PtlResult) result = NULL;
  g_autofree char *display = NULL;
  PtlCsvImportOptions options = { PTL_CHART_LINE, NULL, NULL, NULL, FALSE, FALSE };
  RunState state = { 0 };
  guint signal_ids[2];
  int status;

  catch_early_interrupts (_("ptlab: interrupted; no file was written\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_export_options (context, &export_args);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 2 || exports == NULL)
    return usage_error (_("Usage: ptlab plot FILE.csv --export FILE… [--kind line|bar|scatter] [--title T] "
                          "[--x-label L] [--y-label L] [--log-x] [--log-y]"));
  if (kind == NULL || g_str_equal (kind, "line"))
    options.kind = PTL_CHART_LINE;
  else if (g_str_equal (kind, "bar"))
    options.kind = PTL_CHART_BAR;
  else if (g_str_equal (kind, "scatter"))
    options.kind = PTL_CHART_SCATTER;
  else
    return usage_error (_("--kind must be line, bar or scatter, not “%s”"), kind);
  if ((status = check_exports (exports, &export_args)) != EXIT_DONE)
    return status;

  /* Streamed, so only a regular file will do: a FIFO would block. */
  file = g_file_new_for_commandline_arg (argv[1]);
  display = g_file_get_parse_name (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    return usage_error ("%s", error->message);
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return usage_error (_("%s is not a regular file"), display);
  if ((stream = g_file_read (file, NULL, &error)) == NULL)
    return usage_error ("%s", error->message);

  options.title = title;
  options.x_label = x_label;
  options.y_label = y_label;
  options.log_x = log_x;
  options.log_y = log_y;
  state.cancellable = g_cancellable_new ();
  catch_interrupts (&state, signal_ids);
  result = ptl_csv_import (G_INPUT_STREAM (stream), display, &options, state.cancellable, &error);
  if (result == NULL)
    status = was_interrupted (&state) ? EXIT_INTERRUPTED : usage_error ("%s", error->message);
  else
    status = export_saved (result, display, exports, &export_args, &state);
  release_interrupts (signal_ids);
  g_object_unref (state.cancellable);
  return status;
}

/* A compare argument: an existing file is a result; a number, a run. */
static int
load_compared (const char  *arg,
               PtlStore   **store,
               PtlResult  **result,
               char       **name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *fallback = NULL;
  gint64 id;

  if (g_file_test (arg, G_FILE_TEST_EXISTS) || !g_ascii_isdigit (arg[0]))
    {
      if ((*result = ptl_result_load_json (arg, &error)) == NULL)
        return usage_error ("%s", error->message);
      fallback = g_path_get_basename (arg);
      *name = ptl_compare_dup_run_name (*result, NULL, fallback);
      return EXIT_DONE;
    }
  if (!parse_run_id (arg, &id))
    return EXIT_USAGE;
  if (*store == NULL && (*store = ptl_store_open (NULL, &error)) == NULL)
    return store_failed (error);
  if ((*result = ptl_store_load (*store, id, &error)) == NULL ||
      (label = ptl_store_dup_label (*store, id, &error)) == NULL)
    return history_failed (error);
  fallback = g_strdup_printf (_("run %" PRId64), id);
  *name = ptl_compare_dup_run_name (*result, label, fallback);
  return EXIT_DONE;
}

static int
cmd_compare (int   argc,
             char *argv[])
{
  g_auto(ExportArgs) export_args = { 0 };
  g_auto(GStrv) exports = NULL;
  GOptionEntry entries[] = {
    { "export", 'e', 0, G_OPTION_ARG_FILENAME_ARRAY, &exports, N_("Write the comparison; format from the extension"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("RUN-OR-FILE… — compare runs of one experiment"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PtlResult) compare = NULL;
  g_autofree char *table = NULL;
  RunState state = { 0 };
  guint signal_ids[2];
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_export_options (context, &export_args);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc < 1 + PTL_COMPARE_MIN_RUNS || argc > 1 + PTL_COMPARE_MAX_RUNS)
    return usage_error (_("Usage: ptlab compare RUN-OR-FILE… [--export FILE]… (%d to %d history ids or result files)"),
                        PTL_COMPARE_MIN_RUNS, PTL_COMPARE_MAX_RUNS);
  if ((status = check_exports (exports, &export_args)) != EXIT_DONE)
    return status;

  for (int i = 1; i < argc; i++)
    {
      PtlResult *result = NULL;
      char *name = NULL;

      if ((status = load_compared (argv[i], &store, &result, &name)) != EXIT_DONE)
        return status;
      g_ptr_array_add (results, result);
      g_ptr_array_add (names, name);
    }
  compare = ptl_compare_results ((PtlResult * const *) results->pdata, (const char * const *) names->pdata,
                                 results->len, &error);
  if (compare == NULL)
    return usage_error ("%s", error->message);

  table = ptl_table_format_text (ptl_result_get_summary (compare));
  g_print ("%s", table);
  for (guint i = 0; i < ptl_result_get_n_notes (compare); i++)
    g_print (_("note: %s\n"), ptl_result_get_note (compare, i));

  catch_interrupts (&state, signal_ids);
  status = export_saved (compare, _("The comparison"), exports, &export_args, &state);
  release_interrupts (signal_ids);
  return status;
}

/* The experiment's own words for a report, when this lab knows it. */
static void
get_report_text (PtlResult   *result,
                 PtlExperiment **experiment,
                 const char  **summary,
                 const char  **explanation)
{
  *experiment = ptl_registry_create (ptl_result_get_experiment_id (result), NULL);
  *summary = *experiment != NULL ? ptl_experiment_get_summary (*experiment) : NULL;
  *explanation = *experiment != NULL ? ptl_experiment_get_explanation (*experiment) : NULL;
}

static int
cmd_report (int   argc,
            char *argv[])
{
  g_autofree char *path = NULL;
  GOptionEntry entries[] = {
    { "export", 'e', 0, G_OPTION_ARG_FILENAME, &path, N_("The PDF file to write"), N_("FILE.pdf") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("RUN-OR-FILE… — write a PDF report"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlStore) store = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PtlExperiment) experiment = NULL;
  g_autoptr(PtlAtomicFile) file = NULL;
  PtlExportFormat format;
  const char *summary, *explanation;
  RunState state = { 0 };
  guint signal_ids[2];
  int status = EXIT_DONE;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc < 2 || argc > 1 + PTL_COMPARE_MAX_RUNS || path == NULL)
    return usage_error (_("Usage: ptlab report RUN-OR-FILE… --export FILE.pdf (1 to %d history ids or result files)"),
                        PTL_COMPARE_MAX_RUNS);
  if (!ptl_export_format_from_path (path, &format, NULL) || format != PTL_EXPORT_PDF)
    return usage_error (_("A report is a PDF: --export must name a .pdf file, not “%s”"), path);
  if (!ptl_file_check_replaceable (path, &error))
    return usage_error ("%s", error->message);

  for (int i = 1; i < argc; i++)
    {
      PtlResult *result = NULL;
      char *name = NULL;

      if ((status = load_compared (argv[i], &store, &result, &name)) != EXIT_DONE)
        return status;
      g_ptr_array_add (results, result);
      g_ptr_array_add (names, name);
    }
  get_report_text (g_ptr_array_index (results, 0), &experiment, &summary, &explanation);
  if (!ptl_machine_check_limits (PTL_MACHINE_DRAW_TASKS, &error))
    {
      g_printerr ("ptlab: %s\n", error->message);
      return EXIT_FAILED;
    }

  /* Written to a temporary and renamed only when whole: a failure or an
   * interrupt leaves no partial PDF and the old file, if any, as it was. */
  catch_interrupts (&state, signal_ids);
  if ((file = ptl_atomic_file_new (path, &error)) == NULL)
    status = store_failed (error);
  else if (!ptl_report_write_pdf ((PtlResult * const *) results->pdata, (const char * const *) names->pdata,
                                  results->len, summary, explanation, file, &error))
    status = g_error_matches (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER)
             ? usage_error ("%s", error->message) : store_failed (error);
  else if (was_interrupted (&state))
    {
      g_printerr (_("ptlab: interrupted; no file was written\n"));
      status = EXIT_INTERRUPTED;
    }
  else if (!ptl_atomic_file_commit (file, &error))
    status = store_failed (error);
  else if (isatty (STDERR_FILENO))
    g_printerr (_("Wrote %s\n"), path);
  release_interrupts (signal_ids);
  return status;
}

static void
print_render_stats (const char     *what,
                    const PtlStats *stats)
{
  g_autofree char *median = ptl_format_value (stats->median, "s");
  g_autofree char *p5 = ptl_format_value (stats->p5, "s");
  g_autofree char *p95 = ptl_format_value (stats->p95, "s");

  /* TRANSLATORS: the first %s is e.g. "1000000-point line chart" */
  g_print (_("plot: %s at 1200×800: median %s per render (p5 %s, p95 %s, %u renders)\n"),
           what, median, p5, p95, (guint) stats->n);
}

static int
bench_plot (int   argc,
            char *argv[])
{
  int points = 1000000;
  int slices = 100000;
  int spans = 1000000;
  int repeats = 20;
  GOptionEntry entries[] = {
    { "points", 'n', 0, G_OPTION_ARG_INT, &points, N_("Points in the line chart (default 1000000)"), N_("N") },
    { "slices", 's', 0, G_OPTION_ARG_INT, &slices, N_("Slices in the Gantt chart (default 100000)"), N_("S") },
    { "repeats", 'r', 0, G_OPTION_ARG_INT, &repeats, N_("Renders to time (default 20)"), N_("R") },
    { "spans", 't', 0, G_OPTION_ARG_INT, &spans, N_("Spans in the thread-state timeline (default 1000000)"), N_("T") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— time rendering an N-point line chart, an S-slice Gantt chart and a T-span thread-state timeline"));
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL, *gantt = NULL, *states = NULL;
  PtlStats line_stats, gantt_stats, states_stats;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error (_("Usage: ptlab bench plot [--points N] [--slices S] [--spans T] [--repeats R]"));
  if (points < 1 || points > 100000000 || slices < 1 || slices > 100000000 || repeats < 1 || repeats > 10000 ||
      spans < 1 || spans > 100000000)
    return usage_error (_("--points, --slices and --spans must be 1 – 100000000 and --repeats 1 – 10000"));

  if (!ptl_plot_bench_line (points, repeats, &line_stats, &error) ||
      !ptl_plot_bench_timeline (slices, repeats, &gantt_stats, &error) ||
      !ptl_plot_bench_thread_states (spans, repeats, &states_stats, &error))
    {
      g_printerr ("ptlab: %s\n", error->message);
      return EXIT_FAILED;
    }

  line = g_strdup_printf (_("%d-point line chart"), points);
  gantt = g_strdup_printf (_("%d-slice Gantt chart"), slices);
  print_render_stats (line, &line_stats);
  print_render_stats (gantt, &gantt_stats);
  states = g_strdup_printf (_("%d-span thread-state timeline"), spans);
  print_render_stats (states, &states_stats);
  return EXIT_DONE;
}

/* A run such as a History view lists: a small sweep, a summary table,
 * machine facts from one of a few hosts. */
static PtlResult *
make_bench_run (guint       index,
                JsonObject *machine_facts)
{
  static const char *experiments[] = { "models", "pool", "ipc", "creation", "memory", "sched", "locks", "race" };
  g_autoptr(PtlResult) result = ptl_result_new (experiments[index % G_N_ELEMENTS (experiments)], "Bench run");
  g_autoptr(JsonObject) machine = ptl_json_object_copy (machine_facts);
  g_autofree char *host = g_strdup_printf ("host-%u", index % 7);
  PtlSeries *series;
  PtlTable *table;
  guint row;

  json_object_set_string_member (machine, "hostname", host);
  ptl_result_set_machine (result, machine);
  series = ptl_chart_add_series (ptl_result_add_chart (result, "sweep", PTL_CHART_LINE, "Sweep"), "Time");
  for (guint i = 1; i <= 50; i++)
    ptl_series_add_point (series, i, 1.0 / i + index * 1e-6);
  table = ptl_result_get_summary (result);
  ptl_table_add_column (table, "Variant", "");
  ptl_table_add_column (table, "Time", "s");
  for (guint i = 0; i < 3; i++)
    {
      row = ptl_table_add_row (table);
      ptl_table_set_text (table, row, 0, i == 0 ? "Threads" : "Processes");
      ptl_table_set_number (table, row, 1, 0.001 * (index % 1000 + i));
    }
  return g_steal_pointer (&result);
}

static int
bench_history (int   argc,
               char *argv[])
{
  int runs = 10000;
  int repeats = 20;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, N_("Runs in the history (default 10000)"), N_("N") },
    { "repeats", 'r', 0, G_OPTION_ARG_INT, &repeats, N_("Times each query runs (default 20)"), N_("R") },
    { NULL }
  };
  static const struct { const char *what, *experiment, *search; } queries[] = {
    { N_("open"), NULL, NULL },
    { N_("list all"), NULL, NULL },
    { N_("filter by experiment"), "pool", NULL },
    { N_("search text"), NULL, "host-3" },
    { N_("filter and search"), "pool", "host-3" },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— time a History view’s queries on N runs"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) machine = ptl_machine_collect ();
  g_autoptr(PtlStore) store = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  g_autofree double *samples = NULL;
  gint64 start;
  int status = EXIT_DONE;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error (_("Usage: ptlab bench history [--runs N] [--repeats R]"));
  if (runs < 1 || runs > 1000000 || repeats < 1 || repeats > 10000)
    return usage_error (_("--runs must be 1 – 1000000 and --repeats 1 – 10000"));

  if ((dir = g_dir_make_tmp ("ptlab-bench-history-XXXXXX", &error)) == NULL)
    return usage_error ("%s", error->message);
  path = g_build_filename (dir, "runs.db", NULL);
  start = g_get_monotonic_time ();
  store = ptl_store_open (path, &error);
  for (int i = 0; store != NULL && i < runs; i++)
    {
      g_autoptr(PtlResult) result = make_bench_run (i, machine);

      if (ptl_store_save (store, result, i % 10 == 0 ? "labelled" : NULL, 1767225600 + i * 60, &error) == 0)
        g_clear_object (&store);
    }
  if (store == NULL)
    {
      g_printerr ("ptlab: %s\n", error->message);
      status = EXIT_FAILED;
      goto out;
    }
  g_clear_object (&store);
  /* TRANSLATORS: %d runs, %.1f seconds */
  g_print (_("history: saved %d runs in %.1f s\n"), runs, (g_get_monotonic_time () - start) / 1e6);

  samples = g_new (double, repeats);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      PtlStats stats;
      g_autofree char *median = NULL, *p5 = NULL, *p95 = NULL;
      guint found = 0;

      for (int r = 0; r < repeats; r++)
        {
          g_autoptr(GPtrArray) rows = NULL;
          gint64 t0 = g_get_monotonic_time ();

          /* "open" is what a History view does first: open (integrity
           * check included) and list everything. */
          if (q == 0 || store == NULL)
            {
              g_clear_object (&store);
              store = ptl_store_open (path, &error);
            }
          if (store != NULL)
            rows = ptl_store_find (store, queries[q].experiment, queries[q].search, &error);
          if (rows == NULL)
            {
              g_printerr ("ptlab: %s\n", error->message);
              status = EXIT_FAILED;
              goto out;
            }
          samples[r] = (g_get_monotonic_time () - t0) / 1e6;
          found = rows->len;
        }
      ptl_stats_compute (&stats, samples, repeats);
      median = ptl_format_value (stats.median, "s");
      p5 = ptl_format_value (stats.p5, "s");
      p95 = ptl_format_value (stats.p95, "s");
      /* TRANSLATORS: history: QUERY (N runs found): median TIME (p5 TIME, p95 TIME) */
      g_print (_("history: %s (%u runs found): median %s (p5 %s, p95 %s)\n"),
               _(queries[q].what), found, median, p5, p95);
    }

out:
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
  return status;
}

static int
bench_sched (int   argc,
             char *argv[])
{
  int processes = 10000;
  int bursts = 100000;
  GOptionEntry entries[] = {
    { "processes", 'n', 0, G_OPTION_ARG_INT, &processes, N_("Processes in the workload (default 10000)"), N_("N") },
    { "bursts", 'b', 0, G_OPTION_ARG_INT, &bursts, N_("CPU and I/O bursts in all (default 100000)"), N_("B") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— time the scheduler simulator under every algorithm"));
  g_autoptr(GError) error = NULL;
  const char * const *nicks = ptl_sched_algorithm_list_nicks ();

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error (_("Usage: ptlab bench sched [--processes N] [--bursts B]"));
  if (processes < 1 || bursts < processes)
    return usage_error (_("--processes must be at least 1 and --bursts at least --processes"));

  g_print (_("sched: one simulation of %d processes with %d bursts, median of %d runs (p5 – p95)\n"),
           processes, bursts, PTL_SCHED_BENCH_RUNS);
  for (guint i = 0; nicks[i] != NULL; i++)
    {
      g_autofree char *median = NULL, *p5 = NULL, *p95 = NULL;
      PtlStats stats;

      if (!ptl_sched_bench (processes, bursts, nicks[i], &stats, &error))
        {
          g_printerr ("ptlab: %s\n", error->message);
          return EXIT_FAILED;
        }
      median = ptl_format_value (stats.median, "s");
      p5 = ptl_format_value (stats.p5, "s");
      p95 = ptl_format_value (stats.p95, "s");
      g_print ("  %-20s %10s   (%s – %s)\n", nicks[i], median, p5, p95);
    }
  return EXIT_DONE;
}

/* Uncontended lock costs three ways, in one process and one run: the
 * lab's own measurement (what the locks experiment reports), a plain C
 * loop written apart from it, and the instrumented primitive. A worker
 * thread exists first, as in any run, since glibc takes a cheaper path
 * for locks while a process has one thread. */
static gpointer
idle_thread (gpointer data)
{
  return data;
}

static int
bench_threads (int   argc,
               char *argv[])
{
  int runs = 5;
  GOptionEntry entries[] = {
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, N_("Plain loops per primitive, median taken (default 5)"), N_("R") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— uncontended lock costs: the lab's measurement, a plain C loop, and recorded"));
  g_autoptr(GError) error = NULL;
  double *plain;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc != 1)
    return usage_error (_("Usage: ptlab bench threads [--runs R]"));
  if (runs < 1 || runs > 1000)
    return usage_error (_("--runs must be 1 – 1000"));

  g_thread_join (g_thread_new ("idle", idle_thread, NULL));
  plain = g_new (double, runs);
  g_print (_("threads: one lock+unlock pair alone on one thread, ns (lab: median of 21 batches of 20,000; "
             "plain C loop: median of %d loops of 1,000,000)\n"), runs);
  g_print ("  %-16s %9s %9s %7s %9s %7s\n", _("primitive"), _("lab"), _("plain C"), _("ratio"),
           _("recorded"), _("×bare"));
  for (PtlSyncKind kind = 0; kind < PTL_SYNC_N_KINDS; kind++)
    {
      PtlSyncCost cost;

      if (!ptl_sync_measure_cost (kind, 21, 20000, &cost, NULL, &error))
        {
          g_printerr ("ptlab: %s\n", error->message);
          g_free (plain);
          return EXIT_FAILED;
        }
      for (int r = 0; r < runs; r++)
        plain[r] = ptl_plain_lock_loop_ns (kind, 1000000);
      g_print ("  %-16s %9.1f %9.1f %6.2f× %9.1f %6.2f×\n", ptl_sync_kind_get_label (kind), cost.bare_ns,
               ptl_stats_median (plain, runs), cost.bare_ns / ptl_stats_median (plain, runs),
               cost.recorded_ns, cost.recorded_ns / cost.bare_ns);
    }
  g_free (plain);
  return EXIT_DONE;
}

static int
cmd_bench (int   argc,
           char *argv[])
{
  static const struct { const char *name; int (*main) (int, char **); } benches[] = {
    { "history", bench_history },
    { "plot", bench_plot },
    { "sched", bench_sched },
    { "threads", bench_threads },
  };

  if (argc < 2)
    return usage_error (_("Usage: ptlab bench NAME; benchmarks: history, plot, sched, threads"));
  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    if (g_strcmp0 (argv[1], benches[i].name) == 0)
      return benches[i].main (argc - 1, argv + 1);
  return usage_error (_("No benchmark “%s”; benchmarks: history, plot, sched, threads"), argv[1]);
}

/* The server is ptlab-serve, which links libsoup: see serve-main.c. */
static int
cmd_serve (int   argc,
           char *argv[])
{
  g_autoptr(GError) error = NULL;

  ptl_machine_exec_program (PTL_SERVE_NAME, "PTLAB_SERVE", argv, &error);
  g_printerr ("ptlab: %s\n", error->message);
  return EXIT_FAILED;
}

gboolean
ptl_cli_is_command (const char *word)
{
  g_return_val_if_fail (word != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (word, commands[i].name) == 0)
      return TRUE;
  if (g_strcmp0 (word, "--help") == 0 || g_strcmp0 (word, "-h") == 0 ||
      g_strcmp0 (word, "--version") == 0)
    return TRUE;
  /* Options go to the window (GApplication has its own) and so do files
   * (it opens them); any other word is a mistyped command, which must
   * fail here with a message rather than open the window. */
  return word[0] != '-' && !g_file_test (word, G_FILE_TEST_EXISTS);
}

int
ptl_cli_main (int   argc,
              char *argv[])
{
  g_return_val_if_fail (argc > 1, EXIT_USAGE);

  if (g_strcmp0 (argv[1], "--version") == 0)
    {
      g_print ("ptlab %s\n", PACKAGE_VERSION);
      return EXIT_DONE;
    }
  if (g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0)
    return cmd_help (argc - 1, argv + 1);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[1], commands[i].name) == 0)
      return commands[i].main (argc - 1, argv + 1);

  {
    g_autoptr(GString) names = g_string_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", commands[i].name);
    return usage_error (_("Unknown command “%s” (and no such file); commands: %s (see “ptlab --help”)"),
                        argv[1], names->str);
  }
}
