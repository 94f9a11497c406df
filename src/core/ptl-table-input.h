/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ptl-types.h"

G_BEGIN_DECLS

/* A table an experiment takes as input (a scheduling workload, a banker's
 * state), declared by the experiment class (PtlExperimentClass.table_input)
 * so the window can build an editor for it as it builds the form from the
 * properties. The table is one or more sheets of text cells; the columns'
 * types and ranges are checked here, the rules across cells and the file
 * formats by the experiment's callbacks. One string parameter names the
 * input: a preset (a generator, a textbook example) or a file's path. */

typedef enum
{
  PTL_TABLE_COLUMN_TEXT,     /* non-empty, no control characters */
  PTL_TABLE_COLUMN_INTEGER,  /* a whole number in [minimum, maximum] */
  PTL_TABLE_COLUMN_INTEGERS, /* whole numbers in [minimum, maximum], split by separator */
} PtlTableColumnType;

typedef struct
{
  const char         *id;          /* as in the file formats; the cell widget's name */
  const char         *title;       /* N_() */
  const char         *tooltip;     /* N_(): what a cell may hold */
  PtlTableColumnType  type;
  gint64              minimum;
  gint64              maximum;
  char                separator;   /* INTEGERS: between items; ' ' also takes ',' */
  int                 width_chars;
  gboolean            expand;
  gboolean            read_only;   /* derived from the others, shown only */
  /* INTEGERS: a vector of the spec's items (dup_item_names), edited as
   * one small cell per item under the column's title; the file formats
   * and the checks still see one cell. */
  gboolean            split;
} PtlTableColumn;

typedef struct
{
  const char           *id;
  const char           *title;        /* N_() */
  const PtlTableColumn *columns;
  guint                 n_columns;
  /* Rows can be added and removed (else the loader decides how many). */
  gboolean              resizable;
  const char           *add_label;    /* N_(), with a mnemonic: "_Add Process" */
  const char           *remove_label; /* N_(): "Remove this process" */
} PtlTableSheet;

/* A value the parameter may take instead of a path: a generator, an example. */
typedef struct
{
  const char *value;
  const char *label;   /* N_() */
  const char *tooltip; /* N_() */
} PtlTablePreset;

typedef struct
{
  guint sheet;
  guint row;
  guint column;
} PtlTableCell;

typedef struct _PtlTableSpec PtlTableSpec;

#define PTL_TYPE_TABLE_INPUT (ptl_table_input_get_type ())
G_DECLARE_FINAL_TYPE (PtlTableInput, ptl_table_input, PTL, TABLE_INPUT, GObject)

struct _PtlTableSpec
{
  const char           *param;         /* the string parameter naming the input */
  const char           *title;         /* N_(): "Workload" */
  const char           *file_stem;     /* "workload": edits go to <experiment id>-workload.csv */
  const char           *help;          /* N_(): a caption under the sheets, or NULL */
  const PtlTableSheet  *sheets;
  guint                 n_sheets;
  const char           *presets_title; /* N_(): "New from a Generator" */
  const PtlTablePreset *presets;       /* ending with { NULL } */

  /* What the experiment's parameters name now. */
  PtlTableInput *(*resolve)          (PtlExperiment        *experiment,
                                      GError              **error);
  /* Whether @value is one of the presets and it can make it now. */
  gboolean       (*is_preset)        (PtlExperiment        *experiment,
                                      const char           *value);
  /* What the presets take from the other parameters, for the window; optional. */
  char          *(*describe_presets) (PtlExperiment        *experiment);
  /* A file (CSV or JSON by extension); errors name the line and column. */
  PtlTableInput *(*load)             (const char           *path,
                                      GError              **error);
  /* @input has passed ptl_table_input_validate (). */
  gboolean       (*save)             (PtlTableInput        *input,
                                      const char           *path,
                                      GError              **error);
  /* Rules across cells, once every cell has its type: on failure sets
   * @at to the cell to blame. Optional. */
  gboolean       (*check)            (PtlTableInput        *input,
                                      PtlTableCell         *at,
                                      GError              **error);
  /* Fills the read-only columns of a valid input. Optional. */
  void           (*derive)           (PtlTableInput        *input);
  /* Fills the cells of the new last row of @sheet. */
  void           (*fill_new_row)     (PtlTableInput        *input,
                                      guint                 sheet);
  /* The names of the items of the split columns' vectors in @input
   * ("A", "B", "C" for three resource types), as many as each split
   * cell holds. Required when a column is split. */
  char         **(*dup_item_names)   (PtlTableInput        *input);
};

PtlTableInput      *ptl_table_input_new           (const PtlTableSpec *spec);
PtlTableInput      *ptl_table_input_copy          (PtlTableInput      *self);
const PtlTableSpec *ptl_table_input_get_spec      (PtlTableInput      *self);
guint               ptl_table_input_get_n_rows    (PtlTableInput      *self,
                                                   guint               sheet);
const char         *ptl_table_input_get_text      (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column);
void                ptl_table_input_set_text      (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column,
                                                   const char         *text);
void                ptl_table_input_set_integer   (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column,
                                                   gint64              value);
void                ptl_table_input_set_integers  (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column,
                                                   const gint64       *values,
                                                   guint               n_values);
/* Appends a row of empty cells, filled by the spec's fill_new_row when
 * @fill; returns its index. */
guint               ptl_table_input_append_row    (PtlTableInput      *self,
                                                   guint               sheet,
                                                   gboolean            fill);
void                ptl_table_input_remove_row    (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row);
/* What identifies a row to a reader: its first text cell, else the
 * sheet's title. */
const char         *ptl_table_input_get_row_label (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row);

/* The names of the split columns' items for what @self holds now, or
 * NULL when the spec splits no column. */
char              **ptl_table_input_dup_item_names (PtlTableInput  *self);
/* Item @item of an INTEGERS cell as typed, or "" past its last item. */
char               *ptl_table_input_dup_item      (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column,
                                                   guint               item);
/* Replaces item @item (at most the cell's number of items, which
 * appends) of an INTEGERS cell with @text, when @text is a whole number
 * the column takes; otherwise the cell is unchanged and the error
 * (PTL_ERROR_INVALID_PARAMETER) says what was expected. */
gboolean            ptl_table_input_set_item      (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column,
                                                   guint               item,
                                                   const char         *text,
                                                   GError            **error);

/* Every editable cell against its column, then the spec's check; then
 * the read-only columns are filled. On failure @at (may be NULL) names
 * the cell and the error (PTL_ERROR_INVALID_PARAMETER) what was expected. */
gboolean            ptl_table_input_validate      (PtlTableInput      *self,
                                                   PtlTableCell       *at,
                                                   GError            **error);
/* The value of a cell of a validated input. */
gint64              ptl_table_input_get_integer   (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column);
/* The values of an INTEGERS cell of a validated input, as gint64. */
GArray             *ptl_table_input_dup_integers  (PtlTableInput      *self,
                                                   guint               sheet,
                                                   guint               row,
                                                   guint               column);

G_END_DECLS
