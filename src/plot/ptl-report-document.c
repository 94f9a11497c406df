/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-report-document"

/* The multi-page PDF report. Everything on the pages is first made into
 * a list of blocks (text, a chart, a table, a fact list, a page break),
 * each a run of pieces it may be broken between: a text's lines, a
 * table's rows (its heading row repeated on every page it covers), a
 * chart or fact list whole. Pagination places the pieces on A4 pages,
 * keeping a heading with what follows it; then each page is drawn, with
 * a footer that knows the page count. The charts, tables and fact lists
 * are the plot library's own (ptl_chart_draw (), ptl-report.c). */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-plot-private.h"

/* A4 portrait in points, 2 cm margins. */
#define PAGE_WIDTH   595.276
#define PAGE_HEIGHT  841.89
#define MARGIN       56.69
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
/* The body's font size in points, print-sized; the charts at the page's
 * width draw with it too, and with lines of print weight. */
#define FONT_SIZE    9.0
#define LINE_WIDTH   1.3
/* Charts read best about 3:2, as in figures. */
#define CHART_ASPECT 1.5
/* Room under the content for the footer. */
#define FOOTER_HEIGHT (FONT_SIZE * 2.2)

typedef enum
{
  BLOCK_TEXT,
  BLOCK_CHART,
  BLOCK_TABLE,
  BLOCK_FACTS,
  BLOCK_PAGE_BREAK,
} BlockKind;

typedef struct
{
  double top;      /* the line's top in its layout */
  double baseline; /* in its layout */
  double x;        /* its left, for alignment */
  PangoLayoutLine *line;
} Line;

typedef struct
{
  BlockKind       kind;
  double          space_before;
  gboolean        keep_with_next; /* headings */
  gboolean        muted;
  PangoLayout    *layout;         /* BLOCK_TEXT */
  GArray         *lines;          /* Line, BLOCK_TEXT */
  PtlChart       *chart;          /* borrowed, BLOCK_CHART */
  PtlReportTable *table;          /* BLOCK_TABLE */
  PtlReportFacts *facts;          /* BLOCK_FACTS */
  GArray         *units;          /* double: the pieces' heights */
  double          header;         /* repeated over each piece's run */
} Block;

typedef struct
{
  guint  page;
  guint  block;
  guint  first;
  guint  end;
  double y;
} Placement;

typedef struct
{
  PangoContext *context;
  PtlPlotStyle  style;
  PtlPlotStyle  title_style; /* the title page's larger heading */
  GArray       *blocks;      /* Block */
} Document;

static void
block_clear (gpointer data)
{
  Block *block = data;

  if (block->lines != NULL)
    for (guint i = 0; i < block->lines->len; i++)
      pango_layout_line_unref (g_array_index (block->lines, Line, i).line);
  g_clear_pointer (&block->lines, g_array_unref);
  g_clear_object (&block->layout);
  g_clear_pointer (&block->table, _ptl_report_table_free);
  g_clear_pointer (&block->facts, _ptl_report_facts_free);
  g_clear_pointer (&block->units, g_array_unref);
}

static Block *
add_block (Document  *doc,
           BlockKind  kind,
           double     space_before)
{
  Block block = { kind, space_before };

  block.units = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_val (doc->blocks, block);
  return &g_array_index (doc->blocks, Block, doc->blocks->len - 1);
}

static void
add_unit (Block  *block,
          double  height)
{
  g_array_append_val (block->units, height);
}

/* Text wrapped to the page's width, breakable between its lines. */
static Block *
add_text_styled (Document           *doc,
                 const PtlPlotStyle *style,
                 PtlTextRole         role,
                 const char         *text,
                 double              space_before)
{
  Block *block = add_block (doc, BLOCK_TEXT, space_before);
  PangoLayoutIter *iter;

  block->layout = _ptl_plot_layout_new (doc->context, style, role, text);
  pango_layout_set_width (block->layout, (int) (CONTENT_WIDTH * PANGO_SCALE));
  pango_layout_set_wrap (block->layout, PANGO_WRAP_WORD_CHAR);
  block->lines = g_array_new (FALSE, FALSE, sizeof (Line));

  iter = pango_layout_get_iter (block->layout);
  do
    {
      PangoRectangle logical;
      Line line;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      line.top = (double) logical.y / PANGO_SCALE;
      line.x = (double) logical.x / PANGO_SCALE;
      line.baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      line.line = pango_layout_line_ref (pango_layout_iter_get_line_readonly (iter));
      g_array_append_val (block->lines, line);
      add_unit (block, (double) logical.height / PANGO_SCALE);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  /* Each line's share runs to the next line's top (the line spacing). */
  for (guint i = 0; i + 1 < block->lines->len; i++)
    g_array_index (block->units, double, i) =
      g_array_index (block->lines, Line, i + 1).top - g_array_index (block->lines, Line, i).top;
  return block;
}

static Block *
add_text (Document    *doc,
          PtlTextRole  role,
          const char  *text,
          double       space_before)
{
  return add_text_styled (doc, &doc->style, role, text, space_before);
}

/* A heading stays on the page of what follows it. */
static void
add_heading (Document    *doc,
             PtlTextRole  role,
             const char  *text)
{
  double s = doc->style.font_size;
  Block *block = add_text (doc, role, text, role == PTL_TEXT_HEADING ? s * 1.6 : s * 1.1);

  block->keep_with_next = TRUE;
}

static void
add_page_break (Document *doc)
{
  add_block (doc, BLOCK_PAGE_BREAK, 0);
}

static void
add_chart (Document *doc,
           PtlChart *chart)
{
  Block *block = add_block (doc, BLOCK_CHART, doc->style.font_size);

  block->chart = chart;
  add_unit (block, CONTENT_WIDTH / CHART_ASPECT);
}

static void
add_facts (Document   *doc,
           JsonObject *object,
           gboolean    machine,
           const char *title)
{
  PtlReportFacts *facts = _ptl_report_facts_new (object, machine, title, doc->context, &doc->style, CONTENT_WIDTH);
  Block *block;

  if (_ptl_report_facts_get_height (facts) <= 0)
    {
      _ptl_report_facts_free (facts);
      return;
    }
  block = add_block (doc, BLOCK_FACTS, doc->style.font_size * 1.1);
  block->facts = facts;
  add_unit (block, _ptl_report_facts_get_height (facts));
}

static void
add_table (Document   *doc,
           PtlTable   *table,
           const char *title)
{
  Block *block;

  if (table == NULL || ptl_table_get_n_columns (table) == 0 || ptl_table_get_n_rows (table) == 0)
    return;
  add_heading (doc, PTL_TEXT_TITLE, title);
  block = add_block (doc, BLOCK_TABLE, doc->style.font_size * 0.3);
  block->table = _ptl_report_table_new (table, doc->context, &doc->style, CONTENT_WIDTH);
  block->header = _ptl_report_table_get_header_height (block->table);
  for (guint r = 0; r < _ptl_report_table_get_n_rows (block->table); r++)
    add_unit (block, _ptl_report_table_get_row_height (block->table, r));
}

/* @n items of @result (warnings or notes), each a paragraph behind
 * @mark, under @heading: one text, so pages break between its lines. */
static void
add_list (Document    *doc,
          const char  *heading,
          const char  *mark,
          PtlResult   *result,
          guint        n,
          const char *(*get) (PtlResult *result, guint index))
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s %s", i > 0 ? "\n" : "", mark, get (result, i));
  add_heading (doc, PTL_TEXT_TITLE, heading);
  add_text (doc, PTL_TEXT_BODY, text->str, doc->style.font_size * 0.3);
}

static void
add_warnings (Document   *doc,
              PtlResult  *result,
              const char *heading)
{
  add_list (doc, heading, "⚠", result, ptl_result_get_n_warnings (result), ptl_result_get_warning);
}

static void
add_notes (Document  *doc,
           PtlResult *result)
{
  add_list (doc, _("Notes"), "•", result, ptl_result_get_n_notes (result), ptl_result_get_note);
}

static void
add_charts (Document  *doc,
            PtlResult *result)
{
  for (guint i = 0; i < ptl_result_get_n_charts (result); i++)
    add_chart (doc, ptl_result_get_chart (result, i));
}

/* One run's charts, summary, parameters and notes; its warnings and
 * machine too when the title page does not show them. */
static void
add_run (Document   *doc,
         PtlResult  *result,
         gboolean    with_machine)
{
  if (with_machine)
    add_warnings (doc, result, _("Warnings"));
  add_charts (doc, result);
  add_table (doc, ptl_result_get_summary (result), _("Summary"));
  add_facts (doc, ptl_result_get_parameters (result), FALSE, _("Parameters"));
  if (with_machine)
    add_facts (doc, ptl_result_get_machine (result), TRUE, _("Machine"));
  add_notes (doc, result);
}

static void
add_explanation (Document   *doc,
                 const char *explanation)
{
  g_auto(GStrv) sections = NULL;

  if (explanation == NULL || *explanation == '\0')
    return;
  add_page_break (doc);
  add_heading (doc, PTL_TEXT_HEADING, _("How It Works"));
  sections = ptl_explanation_split_sections (explanation);
  for (guint i = 0; sections[i] != NULL; i += 2)
    {
      if (*sections[i] != '\0')
        add_heading (doc, PTL_TEXT_TITLE, sections[i]);
      add_text (doc, PTL_TEXT_BODY, sections[i + 1], doc->style.font_size * 0.6);
    }
}

static void
add_title_page (Document           *doc,
                PtlResult * const  *results,
                const char * const *names,
                guint               n_runs,
                const char         *summary)
{
  double s = doc->style.font_size;
  const char *title = ptl_result_get_title (results[0]);
  g_autofree char *heading = NULL;
  Block *block;

  block = add_text (doc, PTL_TEXT_BODY, _("Process Thread Lab · Report"), 0);
  block->muted = TRUE;
  /* TRANSLATORS: the title of a report comparing runs; %s is the experiment's title */
  heading = n_runs > 1 ? g_strdup_printf (_("%s — comparison"), title) : g_strdup (title);
  add_text_styled (doc, &doc->title_style, PTL_TEXT_HEADING, heading, s * 0.8);
  if (summary != NULL && *summary != '\0')
    add_text (doc, PTL_TEXT_BODY, summary, s * 0.6);

  if (n_runs == 1)
    {
      g_autofree char *run = g_strdup_printf (_("Run: %s"), names[0]);

      add_text (doc, PTL_TEXT_BODY, run, s * 1.2);
      add_warnings (doc, results[0], _("Warnings"));
      add_facts (doc, ptl_result_get_machine (results[0]), TRUE, _("Machine"));
      return;
    }

  add_heading (doc, PTL_TEXT_TITLE, _("Runs"));
  for (guint i = 0; i < n_runs; i++)
    {
      /* TRANSLATORS: a run in a list: its number and its name */
      g_autofree char *line = g_strdup_printf (_("%u. %s"), i + 1, names[i]);

      add_text (doc, PTL_TEXT_BODY, line, s * 0.3);
    }
  for (guint i = 0; i < n_runs; i++)
    {
      g_autofree char *warnings = g_strdup_printf (_("Warnings of run %u"), i + 1);

      add_warnings (doc, results[i], warnings);
    }
}

/* A table starts on a page only with this many rows, a text with this
 * many lines (or all it has). */
#define MIN_TABLE_ROWS 3
#define MIN_TEXT_LINES 2

/* How much a block needs at the bottom of a page to start there: its
 * first pieces, and for a heading all of it and what it keeps with. */
static double
block_start_height (Document *doc,
                    guint     index)
{
  Block *block = &g_array_index (doc->blocks, Block, index);
  guint pieces = block->kind == BLOCK_TABLE ? MIN_TABLE_ROWS : block->kind == BLOCK_TEXT ? MIN_TEXT_LINES : 1;
  double height = block->header;

  for (guint i = 0; i < MIN (pieces, block->units->len); i++)
    height += g_array_index (block->units, double, i);

  if (block->keep_with_next && index + 1 < doc->blocks->len)
    {
      Block *next = &g_array_index (doc->blocks, Block, index + 1);

      for (guint i = pieces; i < block->units->len; i++)
        height += g_array_index (block->units, double, i);
      if (next->kind != BLOCK_PAGE_BREAK)
        height += next->space_before + block_start_height (doc, index + 1);
    }
  return height;
}

static GArray *
paginate (Document *doc,
          guint    *n_pages)
{
  GArray *placements = g_array_new (FALSE, FALSE, sizeof (Placement));
  double top = MARGIN, bottom = PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT;
  double y = top;
  guint page = 0;

  for (guint b = 0; b < doc->blocks->len; b++)
    {
      Block *block = &g_array_index (doc->blocks, Block, b);
      guint first = 0;

      if (block->kind == BLOCK_PAGE_BREAK)
        {
          if (y > top)
            {
              page++;
              y = top;
            }
          continue;
        }
      if (y > top)
        y += block->space_before;
      /* What does not fit at the bottom starts the next page (unless it
       * is already at the top: a piece taller than a page is cut). */
      if (y > top && y + MIN (block_start_height (doc, b), bottom - top) > bottom)
        {
          page++;
          y = top;
        }
      while (first < block->units->len)
        {
          Placement placement = { page, b, first, first, y };
          guint n = block->units->len, least = block->kind == BLOCK_TABLE ? MIN_TABLE_ROWS : MIN_TEXT_LINES;
          double height = block->header;

          while (placement.end < n &&
                 (placement.end == first ||
                  y + height + g_array_index (block->units, double, placement.end) <= bottom))
            height += g_array_index (block->units, double, placement.end++);
          /* No last line or two alone on the next page. */
          if (placement.end < n && n - placement.end < least && placement.end - first > least)
            while (n - placement.end < least)
              height -= g_array_index (block->units, double, --placement.end);
          g_array_append_val (placements, placement);
          y += height;
          first = placement.end;
          if (first < block->units->len)
            {
              page++;
              y = top;
            }
        }
    }
  *n_pages = page + 1;
  return placements;
}

static void
draw_text_lines (cairo_t            *cr,
                 const PtlRgba      *color,
                 Block              *block,
                 guint               first,
                 guint               end,
                 double              y)
{
  double origin = g_array_index (block->lines, Line, first).top;

  cairo_save (cr);
  _ptl_plot_set_source (cr, color, 1);
  for (guint i = first; i < end; i++)
    {
      Line *line = &g_array_index (block->lines, Line, i);

      cairo_move_to (cr, MARGIN + line->x, y + line->baseline - origin);
      pango_cairo_show_layout_line (cr, line->line);
    }
  cairo_restore (cr);
}

static void
draw_placement (Document        *doc,
                cairo_t         *cr,
                const Placement *placement)
{
  Block *block = &g_array_index (doc->blocks, Block, placement->block);

  switch (block->kind)
    {
    case BLOCK_TEXT:
      draw_text_lines (cr, block->muted ? &doc->style.muted : &doc->style.foreground,
                       block, placement->first, placement->end, placement->y);
      break;

    case BLOCK_CHART:
      cairo_save (cr);
      cairo_translate (cr, MARGIN, placement->y);
      ptl_chart_draw (block->chart, cr, &doc->style, CONTENT_WIDTH, g_array_index (block->units, double, 0));
      cairo_restore (cr);
      break;

    case BLOCK_TABLE:
      _ptl_report_table_draw (block->table, cr, &doc->style, MARGIN, placement->y,
                              placement->first, placement->end);
      break;

    case BLOCK_FACTS:
      _ptl_report_facts_draw (block->facts, cr, &doc->style, MARGIN, placement->y);
      break;

    case BLOCK_PAGE_BREAK:
    default:
      g_assert_not_reached ();
    }
}

static void
draw_footer (Document   *doc,
             cairo_t    *cr,
             const char *title,
             guint       page,
             guint       n_pages)
{
  g_autofree char *number = NULL;
  g_autoptr(PangoLayout) left = NULL;
  g_autoptr(PangoLayout) right = NULL;
  double y = PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT * 0.5;

  /* TRANSLATORS: a report's page footer, e.g. "Page 2 of 7" */
  number = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  left = _ptl_plot_layout_new (doc->context, &doc->style, PTL_TEXT_SMALL, title);
  pango_layout_set_width (left, (int) (CONTENT_WIDTH * 0.7 * PANGO_SCALE));
  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  right = _ptl_plot_layout_new (doc->context, &doc->style, PTL_TEXT_SMALL, number);

  cairo_save (cr);
  _ptl_plot_set_source (cr, &doc->style.muted, 0.6);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, PAGE_WIDTH - MARGIN, y);
  cairo_stroke (cr);
  cairo_restore (cr);
  _ptl_plot_show_layout (cr, left, &doc->style.muted, MARGIN, y + FONT_SIZE * 0.4, 0, 0);
  _ptl_plot_show_layout (cr, right, &doc->style.muted, PAGE_WIDTH - MARGIN, y + FONT_SIZE * 0.4, 1, 0);
}

gboolean
ptl_report_write_pdf (PtlResult * const   *results,
                      const char * const  *names,
                      guint                n_runs,
                      const char          *summary,
                      const char          *explanation,
                      PtlAtomicFile       *file,
                      GError             **error)
{
  g_autoptr(PtlResult) comparison = NULL;
  g_autoptr(GArray) placements = NULL;
  g_autofree char *footer = NULL;
  PtlExportWriter writer = { file, NULL };
  Document doc = { 0 };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint n_pages, next = 0;
  const char *title;

  g_return_val_if_fail (results != NULL && names != NULL, FALSE);
  g_return_val_if_fail (n_runs >= 1, FALSE);
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_runs > 1 && (comparison = ptl_compare_results (results, names, n_runs, error)) == NULL)
    return FALSE;

  ptl_plot_style_init_report (&doc.style);
  doc.style.font_size = FONT_SIZE;
  doc.style.line_width = LINE_WIDTH;
  doc.title_style = doc.style;
  doc.title_style.font_size = FONT_SIZE * 1.6;
  doc.blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (doc.blocks, block_clear);

  surface = _ptl_export_pdf_surface_new (&writer, ptl_result_get_title (results[0]), PAGE_WIDTH, PAGE_HEIGHT);
  cr = cairo_create (surface);
  doc.context = _ptl_plot_context_new (cr);

  add_title_page (&doc, results, names, n_runs, summary);
  if (comparison != NULL)
    {
      add_page_break (&doc);
      add_heading (&doc, PTL_TEXT_HEADING, _("Comparison"));
      add_charts (&doc, comparison);
      add_table (&doc, ptl_result_get_summary (comparison), _("Side by side"));
      add_notes (&doc, comparison);
      for (guint i = 0; i < n_runs; i++)
        {
          /* TRANSLATORS: a report's heading for one of the compared runs: its number and name */
          g_autofree char *heading = g_strdup_printf (_("Run %u: %s"), i + 1, names[i]);

          add_page_break (&doc);
          add_heading (&doc, PTL_TEXT_HEADING, heading);
          add_run (&doc, results[i], TRUE);
        }
    }
  else
    {
      add_page_break (&doc);
      add_run (&doc, results[0], FALSE);
    }
  add_explanation (&doc, explanation);

  placements = paginate (&doc, &n_pages);
  title = ptl_result_get_title (results[0]);
  /* TRANSLATORS: a report's footer: the app, then the experiment's title */
  footer = g_strdup_printf (_("Process Thread Lab · %s"), title);

  for (guint page = 0; page < n_pages; page++)
    {
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, PAGE_WIDTH, PAGE_HEIGHT);
      _ptl_plot_set_source (cr, &doc.style.background, 1);
      cairo_fill (cr);
      cairo_restore (cr);
      for (; next < placements->len && g_array_index (placements, Placement, next).page == page; next++)
        draw_placement (&doc, cr, &g_array_index (placements, Placement, next));
      draw_footer (&doc, cr, footer, page, n_pages);
      cairo_show_page (cr);
    }

  status = cairo_status (cr);
  g_array_unref (doc.blocks);
  g_object_unref (doc.context);
  cairo_destroy (cr);
  return _ptl_export_finish (surface, status, &writer, error);
}
