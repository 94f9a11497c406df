/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ptl-core.h"
#include "ptl-test-sanitized.h"

/* The command line as a user runs it: the real ptlab binary, its exit
 * status, what it prints and what it leaves on disk. */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_free (outcome->out);
  g_free (outcome->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
run_ptlab_va (Outcome    *outcome,
              char      **envp,
              const char *first,
              va_list     ap)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status;

  g_ptr_array_add (args, (gpointer) g_getenv ("PTLAB"));
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &outcome->out, &outcome->err, &wait_status, &error);
  g_assert_no_error (error);
  outcome->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
}

static char **
environ_without_display (void)
{
  char **envp = g_get_environ ();

  envp = g_environ_unsetenv (envp, "DISPLAY");
  return g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
}

static void
run_ptlab (Outcome    *outcome,
           const char *first,
           ...)
{
  /* No display: a word the command line wrongly left to the window fails
   * at once ("No display") instead of opening one. */
  g_auto(GStrv) envp = environ_without_display ();
  va_list ap;

  va_start (ap, first);
  run_ptlab_va (outcome, envp, first, ap);
  va_end (ap);
}

static void
run_ptlab_env (Outcome    *outcome,
               char      **envp,
               const char *first,
               ...)
{
  va_list ap;

  va_start (ap, first);
  run_ptlab_va (outcome, envp, first, ap);
  va_end (ap);
}

/* ptlab with a display (a name only: nothing here opens it) and the window
 * program that $PTLAB_WINDOW names. */
static void
run_ptlab_with_window (Outcome    *outcome,
                       const char *window,
                       const char *first,
                       ...)
{
  g_auto(GStrv) envp = environ_without_display ();
  va_list ap;

  envp = g_environ_setenv (envp, "DISPLAY", ":ptlab-test", TRUE);
  envp = g_environ_setenv (envp, "PTLAB_WINDOW", window, TRUE);
  va_start (ap, first);
  run_ptlab_va (outcome, envp, first, ap);
  va_end (ap);
}

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ptlab-cli-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tmp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle && g_dir_read_name (handle))
    n++;
  return n;
}

static void
test_list_and_describe (void)
{
  g_auto(Outcome) list = { 0 };
  g_auto(Outcome) describe = { 0 };
  g_auto(Outcome) help = { 0 };

  run_ptlab (&list, "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, "models"));
  g_assert_nonnull (strstr (list.out, "Comparison"));

  run_ptlab (&describe, "describe", "models", NULL);
  g_assert_cmpint (describe.status, ==, 0);
  g_assert_nonnull (strstr (describe.out, "workload"));
  g_assert_nonnull (strstr (describe.out, "cpu | io | mixed"));
  g_assert_nonnull (strstr (describe.out, "default"));
  g_assert_nonnull (strstr (describe.out, "Charts (--chart ID):"));
  g_assert_nonnull (strstr (describe.out, "speedup"));
  g_assert_nonnull (strstr (describe.out, "Speedup over sequential"));

  run_ptlab (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "ptlab run"));
}

static void
test_bad_input (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv = g_build_filename (dir, "x.csv", NULL);
  g_autofree char *docx = g_build_filename (dir, "x.docx", NULL);
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "x.svg", NULL);
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autofree char *long_svg = g_strdup_printf ("%s/%s.svg", dir, long_name);
  g_autofree char *fifo = g_build_filename (dir, "workload.csv", NULL);
  g_autofree char *fifo_workload = g_strdup_printf ("workload=%s", fifo);
  g_autofree char *fifo_svg = g_build_filename (dir, "fifo.svg", NULL);
  g_autofree char *deep = g_build_filename (dir, "deep.json", NULL);
  g_autofree char *open = g_strnfill (100000, '[');
  g_autofree char *close = g_strnfill (100000, ']');
  g_autofree char *deep_text = g_strconcat (open, close, NULL);
  g_autofree char *bad_state = g_build_filename (dir, "state.csv", NULL);
  g_autofree char *bad_state_param = g_strdup_printf ("state=%s", bad_state);
  /* sched runs in milliseconds: a check that came only after the run
   * would show as a summary on stdout. */
  const struct { const char *args[9]; const char *message_part; } cases[] = {
    { { "run", "nosuch", NULL }, "No experiment “nosuch”; known: models" },
    { { "run", "models", "--param", "bogus=1", NULL }, "its parameters are: workload" },
    { { "run", "models", "--param", "tasks=100000", NULL }, "0 – 1000" },
    { { "run", "models", "--param", "tasks=many", NULL }, "“many”" },
    { { "run", "models", "--param", "workload=gpu", NULL }, "cpu | io | mixed" },
    { { "run", "models", "--param", "tasks", NULL }, "NAME=VALUE" },
    { { "run", "models", "--export", "/nonexistent-dir/a.svg", NULL }, "does not exist" },
    { { "run", "models", "--frobnicate", NULL }, "frobnicate" },
    { { "run", "memory", "--max-tasks", "10", NULL }, "up to 1000 threads and processes at once, more than your limit of 10" },
    { { "run", "memory", "--max-tasks", "0", NULL }, "--max-tasks must be 1 – 1000000" },
    { { "run", "sched", "--export", svg, "--width", "nan", NULL }, "--width must be from 0 to 20000 (0: the default), not nan" },
    { { "run", "sched", "--export", png, "--scale", "nan", NULL }, "--scale must be from 0 to 8" },
    { { "run", "sched", "--chart", "nosuch", "--export", svg, NULL }, "its charts are: gantt-fcfs, gantt-sjf" },
    { { "run", "sched", "--chart", "monitor-cpu", NULL }, "No chart “monitor-cpu”" },
    { { "run", "sched", "--export", png, "--width", "20000", "--scale", "2", NULL }, "32767" },
    { { "run", "sched", "--export", long_svg, NULL }, "too long" },
    { { "run", "sched", "--param", fifo_workload, NULL }, "FIFO" },
    { { "run", "sched", "--export", fifo_svg, NULL }, "not a regular file" },
    { { "export", deep, svg, NULL }, "nested" },
    { { "run", "bankers", "--param", bad_state_param, NULL }, "state.csv: line 2, column 6: P0 holds 2 of resource A but claims at most 1" },
    { { "run", "bankers", "--param", "requests=P1:1,x,2", NULL }, "Requests, column 6: expected a whole number" },
    { { "describe", NULL }, "Usage" },
    { { "bench", "nosuch", NULL }, "No benchmark" },
    { { "frob", NULL }, "Unknown command “frob”" },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (mkfifo (fifo_svg, 0600), ==, 0);
  g_assert_true (g_file_set_contents (deep, deep_text, -1, NULL));
  g_assert_true (g_file_set_contents (bad_state, "available,1\nP0,1,2\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };
      const char * const *args = cases[i].args;

      run_ptlab (&outcome, args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8], NULL);
      if (outcome.status != 2)
        g_error ("case %u: exit status %d, not 2; stderr “%s”", i, outcome.status, outcome.err);
      if (strstr (outcome.err, cases[i].message_part) == NULL)
        g_error ("case %u: stderr “%s” lacks “%s”", i, outcome.err, cases[i].message_part);
      g_assert_cmpstr (outcome.out, ==, "");
      /* One line, no stack of warnings. */
      g_assert_cmpint (strchr (outcome.err, '\n') - outcome.err, ==, strlen (outcome.err) - 1);
      /* Nothing written (the two FIFOs, the deep file and the bad state
       * were there before); the FIFOs are still FIFOs. */
      g_assert_cmpuint (count_entries (dir), ==, 4);
      g_assert_true (g_file_test (fifo_svg, G_FILE_TEST_EXISTS) && !g_file_test (fifo_svg, G_FILE_TEST_IS_REGULAR));
    }

  {
    g_auto(Outcome) outcome = { 0 };

    run_ptlab (&outcome, "run", "models", "--export", csv, "--export", docx, NULL);
    g_assert_cmpint (outcome.status, ==, 2);
    g_assert_nonnull (strstr (outcome.err, ".png"));
    /* Checked before running: nothing was written, not even the good one. */
    g_assert_cmpuint (count_entries (dir), ==, 4);
  }

  remove_tmp_dir (dir);
}

static void
test_run_and_export (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *svg = g_build_filename (dir, "models.svg", NULL);
  g_autofree char *png = g_build_filename (dir, "models.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "models.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "models.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "models.json", NULL);
  g_autofree char *again = g_build_filename (dir, "again.svg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(PtlResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Outcome) run = { 0 };
  g_auto(Outcome) as_json = { 0 };
  g_auto(Outcome) reexport = { 0 };

  run_ptlab (&run, "run", "models", "-p", "workload=io", "-p", "tasks=4", "-p", "io-ms=5",
             "-p", "repeats=1", "-p", "sweep=false",
             "--export", svg, "--export", png, "--export", pdf, "--export", csv, "--export", json, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Mode"));
  g_assert_nonnull (strstr (run.out, "Speedup"));
  g_assert_nonnull (strstr (run.out, "Event loop"));
  /* stderr is not a terminal here: no progress line. */
  g_assert_cmpstr (run.err, ==, "");

  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (png, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\x89PNG"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "chart,series,x,x_unit,y,y_unit,low,high\r\nwall,"));
  g_clear_pointer (&contents, g_free);

  loaded = ptl_result_load_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ptl_result_get_experiment_id (loaded), ==, "models");
  g_assert_cmpint (json_object_get_int_member (ptl_result_get_parameters (loaded), "tasks"), ==, 4);
  g_assert_cmpint (ptl_table_find_column (ptl_result_get_summary (loaded), "speedup"), >=, 0);

  run_ptlab (&reexport, "export", json, again, NULL);
  g_assert_cmpint (reexport.status, ==, 0);
  g_assert_true (g_file_test (again, G_FILE_TEST_IS_REGULAR));

  /* Options anywhere, even between the file names; a re-export keeps the
   * target's mode. */
  {
    g_auto(Outcome) one_chart = { 0 };
    g_auto(Outcome) no_chart = { 0 };
    g_autofree char *nosuch = g_build_filename (dir, "nosuch.svg", NULL);
    struct stat st;

    g_assert_cmpint (g_chmod (again, 0600), ==, 0);
    run_ptlab (&one_chart, "export", json, "--chart", "speedup", again, "--width", "300", NULL);
    g_assert_cmpint (one_chart.status, ==, 0);
    g_assert_cmpstr (one_chart.err, ==, "");
    g_assert_true (g_file_get_contents (again, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "width=\"300"));
    g_clear_pointer (&contents, g_free);
    g_assert_cmpint (stat (again, &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 07777, ==, 0600);

    run_ptlab (&no_chart, "export", json, nosuch, "--chart", "averages", NULL);
    g_assert_cmpint (no_chart.status, ==, 2);
    g_assert_nonnull (strstr (no_chart.err, "no chart “averages”; its charts are: wall, speedup"));
    g_assert_false (g_file_test (nosuch, G_FILE_TEST_EXISTS));
    /* A side that follows the chart's shape (960 × 640) is checked once
     * the result is there: 36,000 pixels wide is bad input too. */
    {
      g_auto(Outcome) too_wide = { 0 };
      g_autofree char *wide = g_build_filename (dir, "wide.png", NULL);

      run_ptlab (&too_wide, "export", json, wide, "--chart", "speedup", "--height", "12000", "--scale", "2", NULL);
      g_assert_cmpint (too_wide.status, ==, 2);
      g_assert_nonnull (strstr (too_wide.err, "36000 × 24000 pixels is larger than 32767"));
    }
    /* The six files written above, and not one named "--chart". */
    g_assert_cmpuint (count_entries (dir), ==, 6);
  }

  run_ptlab (&as_json, "run", "models", "-p", "workload=io", "-p", "tasks=2", "-p", "io-ms=2",
             "-p", "repeats=1", "-p", "sweep=false", "--json", NULL);
  g_assert_cmpint (as_json.status, ==, 0);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root;

    g_assert_true (json_parser_load_from_data (parser, as_json.out, -1, &error));
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (root, "experiment"), ==, "models");
    g_assert_true (json_object_has_member (root, "machine"));
    g_assert_true (json_object_has_member (root, "series"));
    g_assert_true (json_object_has_member (json_object_get_object_member (root, "summary"), "rows"));
  }

  remove_tmp_dir (dir);
}

static void
test_interrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *svg = g_build_filename (dir, "never.svg", NULL);
  gint64 start;

  /* A run of minutes, interrupted after half a second like Ctrl-C. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("PTLAB"), "run", "models", "-p", "workload=io", "-p", "tasks=1000",
                              "-p", "io-ms=1000", "-p", "repeats=20", "--export", svg, NULL);
  g_assert_no_error (error);
  g_usleep (500 * 1000);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));
  remove_tmp_dir (dir);
}

static void
block_interrupts (gpointer user_data)
{
  sigset_t signals;

  sigemptyset (&signals);
  sigaddset (&signals, SIGINT);
  sigaddset (&signals, SIGTERM);
  sigprocmask (SIG_BLOCK, &signals, NULL);
}

/* Ctrl-C at the first moment: exit 130, nothing written, nothing printed
 * on stdout. A signal sent right after the spawn mostly lands while the
 * dynamic loader still runs (no program can catch it there), so the
 * child starts with both signals blocked: the signal waits, pending, for
 * the lab's first instruction, the earliest moment it can act. Before
 * the handlers were installed first, the run ignored it and exited 0. */
static void
test_interrupt_at_start (void)
{
  static const int signals[] = { SIGINT, SIGTERM };
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *svg = g_build_filename (dir, "never.svg", NULL);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;

      g_subprocess_launcher_set_child_setup (launcher, block_interrupts, NULL, NULL);
      process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PTLAB"), "run", "sched",
                                             "--no-save", "--export", svg, NULL);
      g_assert_no_error (error);
      g_subprocess_send_signal (process, signals[i % G_N_ELEMENTS (signals)]);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
      g_assert_cmpstr (out, ==, "");
      g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));
    }
  remove_tmp_dir (dir);
}

/* A result heavy enough that writing its exports takes a while. */
static void
write_heavy_result (const char *path)
{
  g_autoptr(PtlResult) result = ptl_result_new ("models", "Heavy");
  g_autoptr(GError) error = NULL;
  PtlChart *chart = ptl_result_add_chart (result, "wall", PTL_CHART_LINE, "Many points");

  for (guint s = 0; s < 4; s++)
    {
      g_autofree char *name = g_strdup_printf ("series %u", s);
      PtlSeries *series = ptl_chart_add_series (chart, name);

      for (guint i = 0; i < 50000; i++)
        ptl_series_add_point (series, i, (i * 7919 + s) % 1000);
    }
  g_assert_true (ptl_result_save_json (result, path, &error));
  g_assert_no_error (error);
}

/* Ctrl-C while the exports are being written: exit 130, no temporary left,
 * no export written, and a file that was already there kept as it was. */
static void
test_interrupt_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *json = g_build_filename (dir, "heavy.json", NULL);
  g_autofree char *kept = g_build_filename (dir, "kept.svg", NULL);
  g_autofree char *contents = NULL;
  gint64 deadline;

  write_heavy_result (json);
  g_assert_true (g_file_set_contents (kept, "old", -1, NULL));
  g_ptr_array_add (args, g_strdup (g_getenv ("PTLAB")));
  g_ptr_array_add (args, g_strdup ("export"));
  g_ptr_array_add (args, g_strdup (json));
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (args, g_strdup_printf ("%s/out%u.csv", dir, i));
  g_ptr_array_add (args, g_strdup (kept));
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  /* Interrupt as soon as the first export's file appears. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (count_entries (dir) == 2 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpuint (count_entries (dir), >, 2);
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_cmpuint (count_entries (dir), ==, 2);
  g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
}

/* Runs `sh -c "ulimit ULIMIT && exec ptlab ARGS…"`. */
static void
run_ptlab_limited (Outcome    *outcome,
                   const char *ulimit,
                   const char *args)
{
  g_autofree char *script = g_strdup_printf ("ulimit %s && exec \"$0\" %s", ulimit, args);
  const char *argv[] = { "/bin/sh", "-c", script, g_getenv ("PTLAB"), NULL };
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &outcome->out, &outcome->err, &wait_status, &error);
  g_assert_no_error (error);
  outcome->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
}

/* GLib aborted without a wake-up descriptor, fontconfig crashed in 80 MB:
 * now one line names the limit, exit 1. */
static void
test_limit_files (void)
{
  g_auto(Outcome) files = { 0 };

  run_ptlab_limited (&files, "-n 4", "run sched");
  g_assert_cmpint (files.status, ==, 1);
  g_assert_true (g_str_has_prefix (files.err, "ptlab: RLIMIT_NOFILE (ulimit -n) is 4"));
}

static void
test_limit_address_space (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;
  g_autofree char *export_args = NULL;
  g_auto(Outcome) saved = { 0 };
  g_auto(Outcome) memory = { 0 };

  if (ptl_test_skip_address_space_limit ())
    return;
  dir = make_tmp_dir ();
  json = g_build_filename (dir, "sched.json", NULL);
  export_args = g_strdup_printf ("export %s %s/sched.png", json, dir);
  run_ptlab (&saved, "run", "sched", "--export", json, NULL);
  g_assert_cmpint (saved.status, ==, 0);

  run_ptlab_limited (&memory, "-v 80000", export_args);
  g_assert_cmpint (memory.status, ==, 1);
  g_assert_true (g_str_has_prefix (memory.err, "ptlab: RLIMIT_AS (ulimit -v) is 80000 KiB"));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  remove_tmp_dir (dir);
}

/* Runs are saved unless --no-save, and every history command keeps the
 * exit-status contract. */
static void
test_history (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *svg = g_build_filename (dir, "run.svg", NULL);
  g_autofree char *json = g_build_filename (dir, "run.json", NULL);
  g_autofree char *shared_home = g_strdup (g_getenv ("XDG_DATA_HOME"));
  g_autofree char *db = g_build_filename (dir, "ptlab", "runs.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *imported_id = NULL;
  g_auto(Outcome) run = { 0 };
  g_auto(Outcome) unsaved = { 0 };
  g_auto(Outcome) list = { 0 };
  g_auto(Outcome) show = { 0 };
  g_auto(Outcome) export = { 0 };
  g_auto(Outcome) import = { 0 };
  g_auto(Outcome) labelled = { 0 };
  g_auto(Outcome) after_delete = { 0 };
  g_auto(Outcome) damaged_list = { 0 };
  g_auto(Outcome) damaged_run = { 0 };
  const struct { const char *args[7]; int status; const char *message_part; } cases[] = {
    { { "history", "label", "1", "baseline", NULL }, 0, NULL },
    { { "history", "show", "999", NULL }, 2, "No run 999" },
    { { "history", "show", "x1", NULL }, 2, "not “x1”" },
    { { "history", "delete", "0", NULL }, 2, "not “0”" },
    { { "history", "export", "1", "run.docx", NULL }, 2, ".png" },
    { { "history", "export", "1", "run.svg", "--chart", "nosuch" }, 2, "Run 1 has no chart “nosuch”" },
    { { "history", "import", "/nonexistent.json", NULL }, 2, "nonexistent" },
    { { "history", "frob", NULL }, 2, "No history command “frob”" },
    { { "run", "sched", "--no-save", "--label", "x" }, 2, "--no-save" },
  };

  /* A history of its own, so run ids start at 1. */
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  run_ptlab (&run, "run", "sched", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_ptlab (&unsaved, "run", "sched", "--no-save", NULL);
  g_assert_cmpint (unsaved.status, ==, 0);
  run_ptlab (&list, "history", "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, "     1  "));
  g_assert_nonnull (strstr (list.out, "sched"));
  g_assert_nonnull (strstr (list.out, "Average waiting"));
  /* One line: the --no-save run is not there. */
  g_assert_cmpint (strchr (list.out, '\n') - list.out, ==, strlen (list.out) - 1);

  run_ptlab (&show, "history", "show", "1", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (show.out, ==, run.out);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };
      const char * const *args = cases[i].args;
      g_autofree char *cwd = g_get_current_dir ();

      /* Relative export paths land in the temporary folder. */
      g_assert_cmpint (g_chdir (dir), ==, 0);
      run_ptlab (&outcome, args[0], args[1], args[2], args[3], args[4], args[5], args[6], NULL);
      g_assert_cmpint (g_chdir (cwd), ==, 0);
      if (outcome.status != cases[i].status)
        g_error ("case %u: exit status %d, not %d; stderr “%s”", i, outcome.status, cases[i].status, outcome.err);
      if (cases[i].message_part != NULL && strstr (outcome.err, cases[i].message_part) == NULL)
        g_error ("case %u: stderr “%s” lacks “%s”", i, outcome.err, cases[i].message_part);
    }

  run_ptlab (&export, "history", "export", "1", svg, json, NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml") || g_str_has_prefix (contents, "<svg"));

  run_ptlab (&import, "history", "import", json, "--label", "copy", NULL);
  g_assert_cmpint (import.status, ==, 0);
  imported_id = g_strstrip (g_strdup (import.out));
  g_assert_cmpstr (imported_id, ==, "2");

  run_ptlab (&labelled, "history", "list", "--experiment", "sched", NULL);
  g_assert_nonnull (strstr (labelled.out, "baseline"));
  g_assert_nonnull (strstr (labelled.out, "copy"));

  {
    g_auto(Outcome) deleted = { 0 };

    run_ptlab (&deleted, "history", "delete", "1", NULL);
    g_assert_cmpint (deleted.status, ==, 0);
  }
  run_ptlab (&after_delete, "history", "list", NULL);
  g_assert_null (strstr (after_delete.out, "baseline"));
  g_assert_nonnull (strstr (after_delete.out, "copy"));

  /* A damaged history: a clear line and exit 1, before any run starts. */
  g_assert_true (g_file_set_contents (db, "this is not a database, just words ................"
                                          "..............................................", -1, NULL));
  run_ptlab (&damaged_list, "history", "list", NULL);
  g_assert_cmpint (damaged_list.status, ==, 1);
  g_assert_nonnull (strstr (damaged_list.err, "Move it aside"));
  run_ptlab (&damaged_run, "run", "sched", NULL);
  g_assert_cmpint (damaged_run.status, ==, 1);
  g_assert_cmpstr (damaged_run.out, ==, "");
  g_assert_nonnull (strstr (damaged_run.err, "damaged"));
  g_remove (db);
  g_setenv ("XDG_DATA_HOME", shared_home, TRUE);

  {
    g_autofree char *folder = g_build_filename (dir, "ptlab", NULL);

    remove_tmp_dir (folder);
  }
  remove_tmp_dir (dir);
}

/* `ptlab bench history` fills a history of its own and finds in it what
 * the filters select: of 30 runs, experiments cycle by 8 and hosts by 7. */
static void
test_bench_history (void)
{
  g_auto(Outcome) outcome = { 0 };

  run_ptlab (&outcome, "bench", "history", "--runs", "30", "--repeats", "2", NULL);
  g_assert_cmpint (outcome.status, ==, 0);
  g_assert_nonnull (strstr (outcome.out, "history: list all (30 runs found)"));
  g_assert_nonnull (strstr (outcome.out, "history: filter by experiment (4 runs found)"));
  g_assert_nonnull (strstr (outcome.out, "history: search text (4 runs found)"));
  g_assert_nonnull (strstr (outcome.out, "history: filter and search (1 runs found)"));
}

/* `ptlab plot`: a table drawn to each format; bad rows named by line,
 * exit 2, and nothing written. */
static void
test_plot (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *csv = g_build_filename (dir, "t.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.csv", NULL);
  g_autofree char *svg = g_build_filename (dir, "t.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "t.pdf", NULL);
  g_autofree char *png = g_build_filename (dir, "t.png", NULL);
  g_autofree char *bad_message = g_strdup_printf ("ptlab: %s:3: b “oops” is not a number\n", bad);
  g_autofree char *contents = NULL;
  g_auto(Outcome) good = { 0 };
  const struct { const char *args[6]; const char *message_part; } cases[] = {
    { { bad, "--export", svg, NULL }, bad_message },
    { { empty, "--export", svg, NULL }, "is empty" },
    { { csv, "--kind", "pie", "--export", svg }, "--kind must be line, bar or scatter" },
    { { csv, NULL }, "Usage: ptlab plot" },
    { { csv, "--export", "t.docx", NULL }, ".png" },
    { { dir, "--export", svg, NULL }, "not a regular file" },
  };

  g_assert_true (g_file_set_contents (csv, "n,\"a, b\",c\n1,1,2\n2,4,3\n4,9,5\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "n,b\n1,2\n2,oops\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };
      const char * const *args = cases[i].args;

      run_ptlab (&outcome, "plot", args[0], args[1], args[2], args[3], args[4], args[5], NULL);
      if (outcome.status != 2)
        g_error ("case %u: exit status %d, not 2; stderr “%s”", i, outcome.status, outcome.err);
      if (strstr (outcome.err, cases[i].message_part) == NULL)
        g_error ("case %u: stderr “%s” lacks “%s”", i, outcome.err, cases[i].message_part);
      g_assert_cmpuint (count_entries (dir), ==, 3);
    }

  run_ptlab (&good, "plot", csv, "--title", "Squares", "--log-y", "--export", svg, "--export", pdf,
             "--export", png, "--width", "400", "--height", "300", NULL);
  g_assert_cmpint (good.status, ==, 0);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "width=\"400\""));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (png, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\x89PNG"));
  g_clear_pointer (&contents, g_free);

  {
    g_auto(Outcome) scatter = { 0 };

    run_ptlab (&scatter, "plot", csv, "--kind", "scatter", "--x-label", "Tasks", "--y-label", "Time",
               "--log-x", "--export", svg, NULL);
    g_assert_cmpint (scatter.status, ==, 0);
    g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "<svg"));
  }
  remove_tmp_dir (dir);
}

/* `ptlab compare`: runs from files and the history, of one experiment. */
static void
test_compare (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *other = g_build_filename (dir, "other.json", NULL);
  g_autofree char *svg = g_build_filename (dir, "cmp.svg", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) renamed = NULL;
  g_auto(Outcome) run = { 0 };
  g_auto(Outcome) import = { 0 };
  g_auto(Outcome) good = { 0 };
  g_autofree char *id = NULL;
  const struct { const char *args[4]; const char *message_part; } cases[] = {
    { { a, NULL }, "Usage: ptlab compare" },
    { { a, other, NULL }, "Runs of different experiments cannot be compared" },
    { { a, "999999", NULL }, "No run 999999" },
    { { a, missing, NULL }, "missing.json" },
    { { a, a, "--export", "cmp.docx" }, ".png" },
  };

  run_ptlab (&run, "run", "sched", "--no-save", "--export", a, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (a, &contents, NULL, NULL));
  renamed = g_string_new (contents);
  g_string_replace (renamed, "\"experiment\" : \"sched\"", "\"experiment\" : \"pool\"", 1);
  g_assert_true (g_file_set_contents (other, renamed->str, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };
      const char * const *args = cases[i].args;

      run_ptlab (&outcome, "compare", args[0], args[1], args[2], args[3], NULL);
      if (outcome.status != 2)
        g_error ("case %u: exit status %d, not 2; stderr “%s”", i, outcome.status, outcome.err);
      if (strstr (outcome.err, cases[i].message_part) == NULL)
        g_error ("case %u: stderr “%s” lacks “%s”", i, outcome.err, cases[i].message_part);
    }

  run_ptlab (&import, "history", "import", a, "--label", "again", NULL);
  g_assert_cmpint (import.status, ==, 0);
  id = g_strstrip (g_strdup (import.out));
  run_ptlab (&good, "compare", a, id, "--export", svg, NULL);
  g_assert_cmpint (good.status, ==, 0);
  g_assert_nonnull (strstr (good.out, "Average waiting"));
  g_assert_nonnull (strstr (good.out, "again · "));
  g_assert_nonnull (strstr (good.out, "1.00×"));
  g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
  remove_tmp_dir (dir);
}

/* ptlab is the command line only; what is not a command goes to the window
 * program, which ptlab becomes with the same arguments, or, without a
 * display, to a message that points to the command line. Here a stand-in
 * window that prints its arguments. */
static void
test_window_launch (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *stand_in = g_build_filename (dir, "window", NULL);
  g_autofree char *result = g_build_filename (dir, "result.json", NULL);
  g_autofree char *with_file = NULL;
  g_auto(Outcome) no_display = { 0 };
  g_auto(Outcome) file_no_display = { 0 };
  g_auto(Outcome) bare = { 0 };
  g_auto(Outcome) file = { 0 };
  g_auto(Outcome) option = { 0 };
  g_auto(Outcome) missing = { 0 };

  g_assert_true (g_file_set_contents (stand_in, "#!/bin/sh\necho \"window: $*\"\n", -1, NULL));
  g_assert_cmpint (g_chmod (stand_in, 0755), ==, 0);
  g_assert_true (g_file_set_contents (result, "{}", -1, NULL));

  run_ptlab (&no_display, NULL);
  if (strstr (no_display.err, "built without the window") != NULL)
    {
      g_test_skip ("ptlab was built without the window (-Dgui=disabled)");
      remove_tmp_dir (dir);
      return;
    }
  g_assert_cmpint (no_display.status, ==, 1);
  g_assert_nonnull (strstr (no_display.err, "No display"));
  g_assert_nonnull (strstr (no_display.err, "ptlab list"));
  g_assert_cmpstr (no_display.out, ==, "");
  run_ptlab (&file_no_display, result, NULL);
  g_assert_cmpint (file_no_display.status, ==, 1);
  g_assert_nonnull (strstr (file_no_display.err, "No display"));

  run_ptlab_with_window (&bare, stand_in, NULL);
  g_assert_cmpint (bare.status, ==, 0);
  g_assert_cmpstr (bare.out, ==, "window: \n");
  run_ptlab_with_window (&file, stand_in, result, NULL);
  g_assert_cmpint (file.status, ==, 0);
  with_file = g_strdup_printf ("window: %s\n", result);
  g_assert_cmpstr (file.out, ==, with_file);
  run_ptlab_with_window (&option, stand_in, "--gapplication-service", NULL);
  g_assert_cmpstr (option.out, ==, "window: --gapplication-service\n");

  /* A broken install: one line that names the cause, exit 1. */
  run_ptlab_with_window (&missing, "/nonexistent/ptlab-window", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "PTLAB_WINDOW"));
  remove_tmp_dir (dir);
}

/* `ptlab serve` is ptlab-serve (only it loads libsoup), found as the
 * window is, named by $PTLAB_SERVE here. An out-of-range port, which
 * ptlab itself would refuse, shows that the arguments reach it. */
static void
test_serve_launch (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *stand_in = g_build_filename (dir, "serve", NULL);
  g_auto(GStrv) envp = environ_without_display ();
  g_auto(Outcome) served = { 0 };
  g_auto(Outcome) missing = { 0 };

  g_assert_true (g_file_set_contents (stand_in, "#!/bin/sh\necho \"serve: $*\"\n", -1, NULL));
  g_assert_cmpint (g_chmod (stand_in, 0755), ==, 0);

  envp = g_environ_setenv (envp, "PTLAB_SERVE", stand_in, TRUE);
  run_ptlab_env (&served, envp, "serve", "--port", "99999", NULL);
  g_assert_cmpint (served.status, ==, 0);
  g_assert_cmpstr (served.out, ==, "serve: --port 99999\n");

  /* A broken install: one line that names the cause, exit 1. */
  envp = g_environ_setenv (envp, "PTLAB_SERVE", "/nonexistent/ptlab-serve", TRUE);
  run_ptlab_env (&missing, envp, "serve", "--port", "99999", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "PTLAB_SERVE"));
  remove_tmp_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/cli/list-describe", test_list_and_describe);
  g_test_add_func ("/ptl/cli/bad-input", test_bad_input);
  g_test_add_func ("/ptl/cli/run-export", test_run_and_export);
  g_test_add_func ("/ptl/cli/interrupt", test_interrupt);
  g_test_add_func ("/ptl/cli/interrupt-export", test_interrupt_export);
  g_test_add_func ("/ptl/cli/interrupt-at-start", test_interrupt_at_start);
  g_test_add_func ("/ptl/cli/limits/files", test_limit_files);
  g_test_add_func ("/ptl/cli/limits/address-space", test_limit_address_space);
  g_test_add_func ("/ptl/cli/history", test_history);
  g_test_add_func ("/ptl/cli/bench-history", test_bench_history);
  g_test_add_func ("/ptl/cli/plot", test_plot);
  g_test_add_func ("/ptl/cli/compare", test_compare);
  g_test_add_func ("/ptl/cli/window-launch", test_window_launch);
  g_test_add_func ("/ptl/cli/serve-launch", test_serve_launch);

  /* Every ptlab started here saves its runs in this folder, never in the
   * user's history. */
  data_home = make_tmp_dir ();
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  status = g_test_run ();
  {
    g_autofree char *folder = g_build_filename (data_home, "ptlab", NULL);

    remove_tmp_dir (folder);
    remove_tmp_dir (data_home);
  }
  return status;
}
