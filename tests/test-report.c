/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-report"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ptl-core.h"
#include "ptl-plot.h"

/* The multi-page PDF report, read back with poppler's tools (pdfinfo,
 * pdftotext, pdffonts; `build-aux/dev test` installs them): pages, their
 * text and order, a long table over pages with its heading repeated,
 * embedded fonts, and `ptlab report`'s answers to bad input. */

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
run_argv (Outcome            *outcome,
          const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "DISPLAY");
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &outcome->out, &outcome->err, &wait_status, &error);
  g_assert_no_error (error);
  outcome->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
}

/* Whether poppler's tools are here; the test is skipped, saying why,
 * when they are not. */
static gboolean
have_poppler (void)
{
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdffonts = g_find_program_in_path ("pdffonts");

  if (pdfinfo != NULL && pdftotext != NULL && pdffonts != NULL)
    return TRUE;
  g_test_skip ("pdfinfo, pdftotext or pdffonts missing (Debian: poppler-utils)");
  return FALSE;
}

static guint
count_pages (const char *pdf)
{
  const char *argv[] = { "pdfinfo", pdf, NULL };
  g_auto(Outcome) outcome = { 0 };
  const char *pages;

  run_argv (&outcome, argv);
  g_assert_cmpint (outcome.status, ==, 0);
  pages = strstr (outcome.out, "Pages:");
  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages + strlen ("Pages:") + strspn (pages + strlen ("Pages:"), " "), NULL, 10);
}

/* The text of page @page (from 1), or of all pages when 0. */
static char *
page_text (const char *pdf,
           guint       page)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *one[] = { "pdftotext", "-f", number, "-l", number, pdf, "-", NULL };
  const char *all[] = { "pdftotext", pdf, "-", NULL };
  g_auto(Outcome) outcome = { 0 };

  run_argv (&outcome, page > 0 ? one : all);
  g_assert_cmpint (outcome.status, ==, 0);
  return g_steal_pointer (&outcome.out);
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* Every page says "Page k of N", N being the document's page count; the
 * fonts are all embedded. */
static void
assert_pages_numbered (const char *pdf)
{
  const char *argv[] = { "pdffonts", pdf, NULL };
  g_auto(Outcome) fonts = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_pages = count_pages (pdf);

  for (guint page = 1; page <= n_pages; page++)
    {
      g_autofree char *text = page_text (pdf, page);
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", page, n_pages);

      g_assert_nonnull (strstr (text, footer));
    }

  run_argv (&fonts, argv);
  g_assert_cmpint (fonts.status, ==, 0);
  lines = g_strsplit (fonts.out, "\n", -1);
  /* Two heading lines, then a font a line: the "emb" column says yes. */
  g_assert_cmpuint (g_strv_length (lines), >, 3);
  for (guint i = 2; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        g_auto(GStrv) words = g_strsplit_set (lines[i], " ", -1);
        guint n = 0;
        const char *emb = NULL;

        /* name type… encoding emb sub uni object ID: emb is 5th from the end. */
        for (guint k = 0; words[k] != NULL; k++)
          if (*words[k] != '\0')
            n++;
        for (guint k = 0, seen = 0; words[k] != NULL; k++)
          if (*words[k] != '\0' && ++seen == n - 4)
            emb = words[k];
        g_assert_cmpstr (emb, ==, "yes");
      }
}

static char *
write_report (const char         *dir,
              const char         *name,
              PtlResult * const  *results,
              const char * const *names,
              guint               n_runs,
              const char         *explanation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlAtomicFile) file = NULL;
  char *path = g_build_filename (dir, name, NULL);

  file = ptl_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (ptl_report_write_pdf (results, names, n_runs, "One line about it.", explanation, file, &error));
  g_assert_no_error (error);
  g_assert_true (ptl_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  return path;
}

static PtlResult *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "results", name, NULL);
  g_autoptr(GError) error = NULL;
  PtlResult *result = ptl_result_load_json (path, &error);

  g_assert_no_error (error);
  return result;
}

static const char explanation[] =
  "A first paragraph of prose that has no heading of its own.\n\n"
  "What to look for. The bars and where they stand.";

/* One run: title page, then every chart, summary, parameters, notes and
 * How It Works with its section heading, in that order. */
static void
test_single (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ptlab-report-XXXXXX", NULL);
  g_autoptr(PtlResult) result = load_fixture ("models.json");
  const char *names[] = { "Lab sheet · AMD EPYC · 2026-12-07 17:32" };
  g_autofree char *pdf = NULL;
  g_autofree char *first = NULL;
  g_autofree char *all = NULL;
  g_autofree char *last = NULL;
  const char *order[] = { "Concurrency models", "Run: Lab sheet", "Machine", "CPU model",
                          "Wall time", "Summary", "Parameters", "Notes", "How It Works",
                          "What to look for", "where they stand" };
  const char *at;
  guint n_pages;

  if (!have_poppler ())
    return;
  pdf = write_report (dir, "single.pdf", &result, names, 1, explanation);
  n_pages = count_pages (pdf);
  /* The title page, at least one page of charts, the explanation's. */
  g_assert_cmpuint (n_pages, >=, 3);
  assert_pages_numbered (pdf);

  first = page_text (pdf, 1);
  g_assert_nonnull (strstr (first, "One line about it."));
  g_assert_nonnull (strstr (first, "⚠ "));
  g_assert_null (strstr (first, "Speedup over sequential"));

  /* Real text, in reading order; each chart once, at the page's width. */
  all = page_text (pdf, 0);
  at = all;
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *next = strstr (at, order[i]);

      if (next == NULL)
        g_error ("“%s” missing or out of order", order[i]);
      at = next;
    }
  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    g_assert_cmpuint (count_occurrences (all, ptl_chart_get_title (ptl_result_get_chart (result, i))), >=, 1);
  /* How It Works begins a page of its own. */
  last = page_text (pdf, n_pages);
  g_assert_nonnull (strstr (last, "How It Works"));
  g_remove (pdf);
  g_rmdir (dir);
}

/* Two runs of one experiment: the comparison's overlays and side-by-side
 * table come before either run. */
static void
test_compare (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ptlab-report-XXXXXX", NULL);
  PtlResult *results[] = { load_fixture ("sched.json"), load_fixture ("sched.json") };
  const char *names[] = { "Before", "After" };
  g_autofree char *pdf = NULL;
  g_autofree char *all = NULL;
  g_autofree char *single = NULL;
  const char *comparison, *side, *run1, *run2;

  if (!have_poppler ())
    {
      g_object_unref (results[0]);
      g_object_unref (results[1]);
      return;
    }
  pdf = write_report (dir, "compare.pdf", results, names, 2, NULL);
  single = write_report (dir, "single.pdf", results, names, 1, NULL);
  assert_pages_numbered (pdf);
  /* Both runs and the comparison: more pages than one run's report. */
  g_assert_cmpuint (count_pages (pdf), >, count_pages (single));

  all = page_text (pdf, 0);
  g_assert_nonnull (strstr (all, "comparison"));
  g_assert_nonnull (strstr (all, "1. Before"));
  comparison = strstr (all, "Comparison");
  side = strstr (all, "Side by side");
  run1 = strstr (all, "Run 1: Before");
  run2 = strstr (all, "Run 2: After");
  g_assert_nonnull (comparison);
  g_assert_nonnull (side);
  g_assert_nonnull (run1);
  g_assert_nonnull (run2);
  g_assert_true (comparison < side && side < run1 && run1 < run2);
  /* The side-by-side table's ratio column. */
  g_assert_nonnull (strstr (all, "1.00×"));

  g_remove (pdf);
  g_remove (single);
  g_rmdir (dir);
  g_object_unref (results[0]);
  g_object_unref (results[1]);
}

/* A table longer than a page goes on over pages, its heading row on
 * each; every row is there exactly once. */
static void
test_table_split (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ptlab-report-XXXXXX", NULL);
  g_autoptr(PtlResult) result = ptl_result_new ("long", "Long table");
  PtlTable *table = ptl_result_get_summary (result);
  PtlSeries *series;
  const char *names[] = { "Long run" };
  g_autofree char *pdf = NULL;
  guint n_rows = 150, pages_with_rows = 0, n_pages;

  if (!have_poppler ())
    return;
  ptl_table_add_column (table, "Case name", NULL);
  ptl_table_add_column (table, "Figure value", "s");
  for (guint r = 0; r < n_rows; r++)
    {
      g_autofree char *text = g_strdup_printf ("Row %03u", r);
      guint row = ptl_table_add_row (table);

      ptl_table_set_text (table, row, 0, text);
      ptl_table_set_number (table, row, 1, (r + 1) * 1e-3);
    }
  series = ptl_chart_add_series (ptl_result_add_chart (result, "line", PTL_CHART_LINE, "A line"), "Points");
  for (guint i = 0; i < 10; i++)
    ptl_series_add_point (series, i, i * i);

  pdf = write_report (dir, "table.pdf", &result, names, 1, NULL);
  n_pages = count_pages (pdf);
  assert_pages_numbered (pdf);
  for (guint page = 1; page <= n_pages; page++)
    {
      g_autofree char *text = page_text (pdf, page);

      if (strstr (text, "Row ") == NULL)
        continue;
      pages_with_rows++;
      g_assert_nonnull (strstr (text, "Case name"));
      g_assert_nonnull (strstr (text, "Figure value"));
    }
  g_assert_cmpuint (pages_with_rows, >=, 2);
  {
    g_autofree char *all = page_text (pdf, 0);

    for (guint r = 0; r < n_rows; r++)
      {
        g_autofree char *text = g_strdup_printf ("Row %03u", r);

        g_assert_cmpuint (count_occurrences (all, text), ==, 1);
      }
  }
  g_remove (pdf);
  g_rmdir (dir);
}

/* `ptlab report`: files and history ids; bad input exits 2 with a clear
 * message and writes nothing. */
static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ptlab-report-XXXXXX", NULL);
  g_autofree char *models = g_test_build_filename (G_TEST_DIST, "data", "results", "models.json", NULL);
  g_autofree char *sched = g_test_build_filename (G_TEST_DIST, "data", "results", "sched.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *cmp = g_build_filename (dir, "cmp.pdf", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "no", "such", "report.pdf", NULL);
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  const char *ptlab = g_getenv ("PTLAB");
  g_auto(Outcome) import = { 0 };
  g_auto(Outcome) good = { 0 };
  g_auto(Outcome) by_id = { 0 };
  const struct { const char *args[4]; const char *message_part; } cases[] = {
    { { models, NULL }, "Usage: ptlab report" },
    { { models, "--export", "x.svg", NULL }, "must name a .pdf" },
    { { "999999", "--export", pdf, NULL }, "No run 999999" },
    { { bad, "--export", pdf, NULL }, "bad.json" },
    { { models, sched, "--export", pdf }, "Runs of different experiments" },
    { { models, "--export", missing_dir, NULL }, "does not exist" },
  };
  const char *import_argv[] = { ptlab, "history", "import", models, "--label", "Saved sheet", NULL };

  g_assert_true (g_file_set_contents (bad, "{\"experiment\": ", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[] = { ptlab, "report", cases[i].args[0], cases[i].args[1], cases[i].args[2],
                             cases[i].args[3], NULL };
      g_auto(Outcome) outcome = { 0 };

      run_argv (&outcome, argv);
      if (outcome.status != 2)
        g_error ("case %u: exit status %d, not 2; stderr “%s”", i, outcome.status, outcome.err);
      if (strstr (outcome.err, cases[i].message_part) == NULL)
        g_error ("case %u: stderr “%s” lacks “%s”", i, outcome.err, cases[i].message_part);
      /* No PDF, whole or partial, and no temporary left beside it. */
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      g_assert_cmpstr (name, ==, "bad.json");
  }

  {
    const char *argv[] = { ptlab, "report", models, "--export", pdf, NULL };

    run_argv (&good, argv);
    g_assert_cmpint (good.status, ==, 0);
    if (have_poppler ())
      {
        text = page_text (pdf, 1);
        g_assert_nonnull (strstr (text, "Concurrency models"));
        g_clear_pointer (&text, g_free);
      }
  }

  /* A history id and a file together: a comparison, the run named by
   * its label. */
  run_argv (&import, import_argv);
  g_assert_cmpint (import.status, ==, 0);
  id = g_strstrip (g_strdup (import.out));
  {
    const char *argv[] = { ptlab, "report", id, models, "--export", cmp, NULL };

    run_argv (&by_id, argv);
    g_assert_cmpint (by_id.status, ==, 0);
    if (have_poppler ())
      {
        text = page_text (cmp, 0);
        g_assert_nonnull (strstr (text, "Run 1: Saved sheet"));
        g_assert_nonnull (strstr (text, "Side by side"));
      }
  }

  g_remove (pdf);
  g_remove (cmp);
  g_remove (bad);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("ptlab-report-data-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A history of its own, for `ptlab history import` and report by id. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_add_func ("/ptl/report/single", test_single);
  g_test_add_func ("/ptl/report/compare", test_compare);
  g_test_add_func ("/ptl/report/table-split", test_table_split);
  g_test_add_func ("/ptl/report/cli", test_cli);

  status = g_test_run ();
  {
    g_autofree char *ptlab_dir = g_build_filename (data_home, "ptlab", NULL);
    g_autoptr(GDir) handle = g_dir_open (ptlab_dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (ptlab_dir, name, NULL);

        g_remove (path);
      }
    g_rmdir (ptlab_dir);
    g_rmdir (data_home);
  }
  return status;
}
