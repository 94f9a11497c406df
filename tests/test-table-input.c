/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-table-input"

#include "config.h"

#include <string.h>

#include "ptl-bankers-table.h"
#include "ptl-registry.h"
#include "ptl-sched-table.h"

/* The table inputs experiments declare, without a window: cells are
 * checked against their columns and the declaration's rules, the cell at
 * fault is named, the read-only need follows, a new row gets a free name,
 * and the domain objects survive the trip through the table. */

typedef struct
{
  guint       sheet;
  guint       row;
  const char *column;
  const char *text;
  const char *expected; /* in the message; NULL when accepted */
  const char *blamed;   /* the cell named, when not the edited one: */
  guint       blamed_sheet;
  guint       blamed_row;
} CellCase;

static guint
find_column (const PtlTableSpec *spec,
             guint               sheet,
             const char         *id)
{
  for (guint c = 0; c < spec->sheets[sheet].n_columns; c++)
    if (g_str_equal (spec->sheets[sheet].columns[c].id, id))
      return c;
  g_assert_not_reached ();
}

static void
check_cells (PtlTableInput  *input,
             const CellCase *cases,
             guint           n_cases)
{
  const PtlTableSpec *spec = ptl_table_input_get_spec (input);

  for (guint i = 0; i < n_cases; i++)
    {
      const CellCase *c = &cases[i];
      g_autoptr(PtlTableInput) edited = ptl_table_input_copy (input);
      g_autoptr(GError) error = NULL;
      guint column = find_column (spec, c->sheet, c->column);
      PtlTableCell at = { 0 };

      g_test_message ("%s = “%s”", c->column, c->text);
      ptl_table_input_set_text (edited, c->sheet, c->row, column, c->text);
      if (c->expected == NULL)
        {
          g_assert_true (ptl_table_input_validate (edited, &at, &error));
          g_assert_no_error (error);
          continue;
        }
      g_assert_false (ptl_table_input_validate (edited, &at, &error));
      g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, c->expected));
      if (c->blamed == NULL)
        {
          g_assert_cmpuint (at.sheet, ==, c->sheet);
          g_assert_cmpuint (at.row, ==, c->row);
          g_assert_cmpuint (at.column, ==, column);
          continue;
        }
      g_assert_cmpuint (at.sheet, ==, c->blamed_sheet);
      g_assert_cmpuint (at.row, ==, c->blamed_row);
      g_assert_cmpuint (at.column, ==, find_column (spec, c->blamed_sheet, c->blamed));
    }
}

static const CellCase sched_cases[] = {
  { 0, 1, "arrival", "12", NULL, NULL },
  { 0, 1, "arrival", " 3 ", NULL, NULL },
  { 0, 1, "arrival", "-1", "expected a whole number from 0 to 1000000000, found “-1”", NULL },
  { 0, 1, "arrival", "abc", "found “abc”", NULL },
  { 0, 0, "name", "  ", "expected a non-empty text", NULL },
  { 0, 0, "name", "a\tb", "without control characters", NULL },
  { 0, 2, "priority", "1001", "from -1000 to 1000", NULL },
  { 0, 2, "bursts", "5;3;4", NULL, NULL },
  { 0, 2, "bursts", "5;0;4", "item 2: expected a whole number from 1", NULL },
  { 0, 2, "bursts", "5;3", "expected an odd number of bursts", NULL },
  { 0, 2, "bursts", "", "expected at least one whole number", NULL },
};

static void
test_sched (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlSchedWorkload) workload = ptl_sched_workload_generate ("mixed", 4, 7, &error);
  g_autoptr(PtlTableInput) input = NULL;
  g_autoptr(PtlSchedWorkload) back = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint row;

  g_assert_no_error (error);
  input = ptl_sched_table_from_workload (workload);
  g_assert_true (ptl_table_input_validate (input, NULL, &error));
  g_assert_no_error (error);
  back = ptl_sched_table_to_workload (input);
  before = ptl_sched_workload_to_csv (workload);
  after = ptl_sched_workload_to_csv (back);
  g_assert_cmpstr (after, ==, before);

  check_cells (input, sched_cases, G_N_ELEMENTS (sched_cases));

  /* A new process: the next free name, arriving with the last. */
  ptl_table_input_set_text (input, 0, 3, 0, "P5");
  row = ptl_table_input_append_row (input, 0, TRUE);
  g_assert_cmpuint (row, ==, 4);
  g_assert_cmpstr (ptl_table_input_get_text (input, 0, row, 0), ==, "P6");
  g_assert_true (ptl_table_input_validate (input, NULL, &error));
  g_assert_no_error (error);
}

static const CellCase bankers_cases[] = {
  { 1, 0, "allocation", "1 1 0", NULL, NULL },
  { 1, 0, "allocation", "1,1,0", NULL, NULL },
  { 1, 0, "allocation", "8 1 0", "P0 holds 8 of resource A but claims at most 7", NULL },
  { 1, 0, "allocation", "1 1", "expected 3 numbers, one per resource type, found 2", NULL },
  { 1, 2, "maximum", "9 0", "expected 3 numbers", NULL },
  { 1, 0, "maximum", "7 x 3", "item 2: expected a whole number from 0 to 1000000000", NULL },
  { 1, 3, "name", "P1", "process “P1” appears twice", NULL },
  { 1, 3, "name", "available", "other than “available”", NULL },
  { 1, 3, "name", "P 3", "expected a name of 1 to 32 letters", NULL },
  /* A fourth resource in the available vector: every row is now short. */
  { 0, 0, "available", "3 3 2 1", "expected 4 numbers", "maximum", 1, 0 },
  { 0, 0, "available", "", "expected at least one whole number", NULL },
};

static void
test_bankers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlBankersState) state = ptl_bankers_state_new_example ("silberschatz", NULL);
  g_autoptr(PtlTableInput) input = ptl_bankers_table_from_state (state);
  g_autoptr(PtlBankersState) back = NULL;
  guint need = find_column (&ptl_bankers_table_spec, 1, "need");
  guint allocation = find_column (&ptl_bankers_table_spec, 1, "allocation");
  guint row;

  /* The need is derived, and follows an edit. */
  g_assert_cmpstr (ptl_table_input_get_text (input, 1, 0, need), ==, "7 4 3");
  g_assert_true (ptl_table_input_validate (input, NULL, &error));
  g_assert_no_error (error);
  back = ptl_bankers_table_to_state (input);
  g_assert_true (ptl_bankers_state_equal (back, state));
  ptl_table_input_set_text (input, 1, 0, allocation, "1 1 0");
  g_assert_true (ptl_table_input_validate (input, NULL, &error));
  g_assert_cmpstr (ptl_table_input_get_text (input, 1, 0, need), ==, "6 4 3");
  g_assert_true (ptl_bankers_table_spec.sheets[1].columns[need].read_only);

  check_cells (input, bankers_cases, G_N_ELEMENTS (bankers_cases));

  /* A new process: P5, claiming and holding nothing of each resource. */
  row = ptl_table_input_append_row (input, 1, TRUE);
  g_assert_cmpstr (ptl_table_input_get_row_label (input, 1, row), ==, "P5");
  g_assert_cmpstr (ptl_table_input_get_text (input, 1, row, allocation), ==, "0 0 0");
  g_assert_true (ptl_table_input_validate (input, NULL, &error));
  g_assert_no_error (error);

  /* No process at all is refused. */
  while (ptl_table_input_get_n_rows (input, 1) > 0)
    ptl_table_input_remove_row (input, 1, 0);
  g_assert_false (ptl_table_input_validate (input, NULL, &error));
  g_assert_nonnull (strstr (error->message, "expected 1 to 64 processes"));
}

/* A banker's vector edited one resource type at a time: the items are
 * named after the state's resource types, an item is checked alone (a
 * blank or two numbers would move the others), the cross-cell checks
 * still blame one cell, and the need follows item by item. */
static void
test_bankers_items (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PtlBankersState) state = ptl_bankers_state_new_example ("silberschatz", NULL);
  g_autoptr(PtlBankersState) four = ptl_bankers_state_new_example ("tanenbaum", NULL);
  g_autoptr(PtlTableInput) input = ptl_bankers_table_from_state (state);
  g_autoptr(PtlTableInput) wide = ptl_bankers_table_from_state (four);
  g_auto(GStrv) names = ptl_table_input_dup_item_names (input);
  g_auto(GStrv) wide_names = ptl_table_input_dup_item_names (wide);
  g_autoptr(PtlTableInput) sched = ptl_table_input_new (&ptl_sched_table_spec);
  guint maximum = find_column (&ptl_bankers_table_spec, 1, "maximum");
  guint allocation = find_column (&ptl_bankers_table_spec, 1, "allocation");
  guint need = find_column (&ptl_bankers_table_spec, 1, "need");
  g_autofree char *item = NULL;
  g_autofree char *past = NULL;
  PtlTableCell at = { 0 };

  for (guint s = 0; s < ptl_bankers_table_spec.n_sheets; s++)
    for (guint c = 0; c < ptl_bankers_table_spec.sheets[s].n_columns; c++)
      g_assert_true (ptl_bankers_table_spec.sheets[s].columns[c].split ==
                     (ptl_bankers_table_spec.sheets[s].columns[c].type == PTL_TABLE_COLUMN_INTEGERS));
  g_assert_cmpstrv (names, ((const char * const[]) { "A", "B", "C", NULL }));
  g_assert_cmpstrv (wide_names, ((const char * const[]) { "A", "B", "C", "D", NULL }));
  g_assert_null (ptl_table_input_dup_item_names (sched));

  /* P0 claims 7 5 3. */
  item = ptl_table_input_dup_item (input, 1, 0, maximum, 1);
  g_assert_cmpstr (item, ==, "5");
  past = ptl_table_input_dup_item (input, 1, 0, maximum, 3);
  g_assert_cmpstr (past, ==, "");

  /* B's claim raised: the cell keeps A and C, the need follows. */
  g_assert_true (ptl_table_input_set_item (input, 1, 0, maximum, 1, " 6 ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ptl_table_input_get_text (input, 1, 0, maximum), ==, "7 6 3");
  g_assert_true (ptl_table_input_validate (input, NULL, &error));
  g_assert_cmpstr (ptl_table_input_get_text (input, 1, 0, need), ==, "7 5 3");

  /* One item holds one number in range; refused items change nothing. */
  g_assert_false (ptl_table_input_set_item (input, 1, 0, maximum, 1, "", &error));
  g_assert_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "expected a whole number from 0 to 1000000000, found “”"));
  g_clear_error (&error);
  g_assert_false (ptl_table_input_set_item (input, 1, 0, maximum, 1, "6 1", &error));
  g_assert_nonnull (strstr (error->message, "found “6 1”"));
  g_clear_error (&error);
  g_assert_false (ptl_table_input_set_item (input, 1, 0, maximum, 2, "-1", &error));
  g_clear_error (&error);
  g_assert_cmpstr (ptl_table_input_get_text (input, 1, 0, maximum), ==, "7 6 3");

  /* P1 (maximum 3 2 2) holding 3 of B: the allocation cell is blamed. */
  g_assert_true (ptl_table_input_set_item (input, 1, 1, allocation, 1, "3", &error));
  g_assert_false (ptl_table_input_validate (input, &at, &error));
  g_assert_nonnull (strstr (error->message, "P1 holds 3 of resource B but claims at most 2"));
  g_assert_cmpuint (at.sheet, ==, 1);
  g_assert_cmpuint (at.row, ==, 1);
  g_assert_cmpuint (at.column, ==, allocation);
  g_clear_error (&error);

  /* The available vector's items name the types, so a fourth type only
   * comes in whole (as an import would bring it). */
  g_assert_true (ptl_table_input_set_item (input, 0, 0, 0, 3, "1", &error));
  g_assert_cmpstr (ptl_table_input_get_text (input, 0, 0, 0), ==, "3 3 2 1");
  g_strfreev (names);
  names = ptl_table_input_dup_item_names (input);
  g_assert_cmpuint (g_strv_length (names), ==, 4);
}

/* Every experiment that declares a table resolves its default into a
 * valid one, and says which of its values are presets. */
static void
test_declared (void)
{
  guint n_types;
  const GType *types = ptl_registry_list_types (&n_types);
  guint n_declared = 0;

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(PtlExperiment) experiment = g_object_new (types[i], NULL);
      const PtlTableSpec *spec = ptl_experiment_get_table_spec (experiment);
      g_autoptr(PtlTableInput) input = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      if (spec == NULL)
        continue;
      n_declared++;
      g_test_message ("%s", ptl_experiment_get_id (experiment));
      g_assert_nonnull (ptl_experiment_find_param (experiment, spec->param));
      value = ptl_experiment_dup_param_text (experiment, spec->param);
      g_assert_true (spec->is_preset (experiment, value));
      g_assert_false (spec->is_preset (experiment, "/tmp/x.csv"));
      for (const PtlTablePreset *preset = spec->presets; preset->value != NULL; preset++)
        g_assert_true (spec->is_preset (experiment, preset->value));
      input = spec->resolve (experiment, &error);
      g_assert_no_error (error);
      g_assert_true (ptl_table_input_validate (input, NULL, &error));
      g_assert_no_error (error);
    }
  /* sched, sched-real and bankers. */
  g_assert_cmpuint (n_declared, >=, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/table-input/sched", test_sched);
  g_test_add_func ("/ptl/table-input/bankers", test_bankers);
  g_test_add_func ("/ptl/table-input/bankers/items", test_bankers_items);
  g_test_add_func ("/ptl/table-input/declared", test_declared);

  return g_test_run ();
}
