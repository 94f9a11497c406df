/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-result"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ptl-json.h"
#include "ptl-result-private.h"

G_DEFINE_FINAL_TYPE (PtlResult, ptl_result, G_TYPE_OBJECT)

G_DEFINE_QUARK (ptl-error-quark, ptl_error)

static void
samples_free (Samples *samples)
{
  g_free (samples->name);
  g_free (samples->unit);
  g_array_unref (samples->values);
  g_free (samples);
}

static void
ptl_result_finalize (GObject *object)
{
  PtlResult *self = (PtlResult *) object;

  g_free (self->experiment_id);
  g_free (self->title);
  g_clear_pointer (&self->parameters, json_object_unref);
  g_clear_pointer (&self->machine, json_object_unref);
  g_ptr_array_unref (self->warnings);
  g_free (self->partial);
  g_ptr_array_unref (self->notes);
  g_ptr_array_unref (self->charts);
  _ptl_table_free (self->summary);
  g_ptr_array_unref (self->samples);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ptl_result_parent_class)->finalize (object);
}

static void
ptl_result_class_init (PtlResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ptl_result_finalize;
}

static void
ptl_result_init (PtlResult *self)
{
  g_mutex_init (&self->mutex);
  self->parameters = json_object_new ();
  self->machine = json_object_new ();
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  self->charts = g_ptr_array_new_with_free_func ((GDestroyNotify) _ptl_chart_free);
  self->summary = _ptl_table_new (self);
  self->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) samples_free);
}

PtlResult *
ptl_result_new (const char *experiment_id,
                const char *title)
{
  PtlResult *self;

  g_return_val_if_fail (experiment_id != NULL, NULL);

  self = g_object_new (PTL_TYPE_RESULT, NULL);
  self->experiment_id = g_strdup (experiment_id);
  self->title = g_strdup (title ? title : experiment_id);
  return self;
}

PtlResult *
ptl_result_copy (PtlResult *self)
{
  PtlResult *copy;

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  copy = ptl_result_new (self->experiment_id, self->title);

  g_mutex_lock (&self->mutex);

  json_object_unref (copy->parameters);
  copy->parameters = ptl_json_object_copy (self->parameters);
  json_object_unref (copy->machine);
  copy->machine = ptl_json_object_copy (self->machine);

  for (guint i = 0; i < self->warnings->len; i++)
    g_ptr_array_add (copy->warnings, g_strdup (g_ptr_array_index (self->warnings, i)));
  copy->partial = g_strdup (self->partial);
  for (guint i = 0; i < self->notes->len; i++)
    g_ptr_array_add (copy->notes, g_strdup (g_ptr_array_index (self->notes, i)));

  for (guint i = 0; i < self->charts->len; i++)
    {
      PtlChart *chart = g_ptr_array_index (self->charts, i);
      PtlChart *chart_copy = _ptl_chart_new (copy, chart->id, chart->kind, chart->title);

      g_free (chart_copy->x_label);
      chart_copy->x_label = g_strdup (chart->x_label);
      g_free (chart_copy->x_unit);
      chart_copy->x_unit = g_strdup (chart->x_unit);
      g_free (chart_copy->y_label);
      chart_copy->y_label = g_strdup (chart->y_label);
      g_free (chart_copy->y_unit);
      chart_copy->y_unit = g_strdup (chart->y_unit);
      chart_copy->x_log = chart->x_log;
      chart_copy->x_min = chart->x_min;
      chart_copy->x_max = chart->x_max;
      chart_copy->y_log = chart->y_log;
      chart_copy->categories = g_strdupv (chart->categories);
      if (chart->series_colors != NULL)
        {
          chart_copy->series_colors = g_array_copy (chart->series_colors);
          chart_copy->series_dashes = g_array_copy (chart->series_dashes);
        }
      chart_copy->category_ids = g_strdupv (chart->category_ids);

      for (guint j = 0; j < chart->references->len; j++)
        {
          PtlReference reference = g_array_index (chart->references, PtlReference, j);

          reference.label = g_strdup (reference.label);
          g_array_append_val (chart_copy->references, reference);
        }

      for (guint j = 0; j < chart->series->len; j++)
        {
          PtlSeries *series = g_ptr_array_index (chart->series, j);
          PtlSeries *series_copy = _ptl_series_new (copy, series->id, series->name);

          series_copy->band_label = g_strdup (series->band_label);
          g_array_append_vals (series_copy->points, series->points->data, series->points->len);
          g_ptr_array_add (chart_copy->series, series_copy);
        }

      for (guint j = 0; j < chart->lanes->len; j++)
        g_ptr_array_add (chart_copy->lanes, g_strdup (g_ptr_array_index (chart->lanes, j)));
      for (guint j = 0; j < chart->keys->len; j++)
        g_ptr_array_add (chart_copy->keys, g_strdup (g_ptr_array_index (chart->keys, j)));
      g_array_append_vals (chart_copy->key_muted, chart->key_muted->data, chart->key_muted->len);
      g_array_append_vals (chart_copy->key_like, chart->key_like->data, chart->key_like->len);
      g_array_append_vals (chart_copy->slices, chart->slices->data, chart->slices->len);
      chart_copy->slice_min = chart->slice_min;
      chart_copy->slice_max = chart->slice_max;
      g_array_append_vals (chart_copy->markers, chart->markers->data, chart->markers->len);
      if (chart->graph != NULL)
        chart_copy->graph = ptl_graph_copy (chart->graph);

      g_ptr_array_add (copy->charts, chart_copy);
    }

  for (guint i = 0; i < self->summary->column_names->len; i++)
    {
      g_ptr_array_add (copy->summary->column_names,
                       g_strdup (g_ptr_array_index (self->summary->column_names, i)));
      g_ptr_array_add (copy->summary->column_ids,
                       g_strdup (g_ptr_array_index (self->summary->column_ids, i)));
      g_ptr_array_add (copy->summary->column_units,
                       g_strdup (g_ptr_array_index (self->summary->column_units, i)));
    }
  for (guint i = 0; i < self->summary->rows->len; i++)
    {
      GArray *row = g_ptr_array_index (self->summary->rows, i);
      GArray *row_copy = _ptl_table_row_new (row->len);

      g_ptr_array_add (copy->summary->row_ids, g_strdup (g_ptr_array_index (self->summary->row_ids, i)));

      for (guint j = 0; j < row->len; j++)
        {
          const Cell *cell = &g_array_index (row, Cell, j);
          Cell *cell_copy = &g_array_index (row_copy, Cell, j);

          cell_copy->is_number = cell->is_number;
          cell_copy->number = cell->number;
          cell_copy->text = g_strdup (cell->text);
        }
      g_ptr_array_add (copy->summary->rows, row_copy);
    }

  for (guint i = 0; i < self->samples->len; i++)
    {
      Samples *samples = g_ptr_array_index (self->samples, i);
      Samples *samples_copy = g_new0 (Samples, 1);

      samples_copy->name = g_strdup (samples->name);
      samples_copy->unit = g_strdup (samples->unit);
      samples_copy->values = g_array_copy (samples->values);
      g_ptr_array_add (copy->samples, samples_copy);
    }

  g_mutex_unlock (&self->mutex);

  return copy;
}

const char *
ptl_result_get_experiment_id (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->experiment_id;
}

const char *
ptl_result_get_title (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->title;
}

JsonObject *
ptl_result_get_parameters (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->parameters;
}

void
ptl_result_set_parameters (PtlResult  *self,
                           JsonObject *parameters)
{
  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (parameters != NULL);

  g_mutex_lock (&self->mutex);
  json_object_ref (parameters);
  json_object_unref (self->parameters);
  self->parameters = parameters;
  g_mutex_unlock (&self->mutex);
}

JsonObject *
ptl_result_get_machine (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->machine;
}

void
ptl_result_set_machine (PtlResult  *self,
                        JsonObject *machine)
{
  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (machine != NULL);

  g_mutex_lock (&self->mutex);
  json_object_ref (machine);
  json_object_unref (self->machine);
  self->machine = machine;
  g_mutex_unlock (&self->mutex);
}

static void
add_text (PtlResult  *self,
          GPtrArray  *texts,
          const char *format,
          va_list     args)
{
  char *text = g_strdup_vprintf (format, args);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (texts, text);
  g_mutex_unlock (&self->mutex);
}

void
ptl_result_add_warning (PtlResult  *self,
                        const char *format,
                        ...)
{
  va_list args;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  add_text (self, self->warnings, format, args);
  va_end (args);
}

void
ptl_result_mark_partial (PtlResult  *self,
                         const char *reason)
{
  char *warning;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (self->partial == NULL);

  /* TRANSLATORS: %s says how the run ended, e.g. "cancelled after 3.2 s" */
  warning = g_strdup_printf (_("Partial result — %s: the run did not finish, so some cases are "
                               "missing and the last may have fewer repeats."), reason);
  g_mutex_lock (&self->mutex);
  self->partial = g_strdup (reason);
  g_ptr_array_insert (self->warnings, 0, warning);
  g_mutex_unlock (&self->mutex);
}

const char *
ptl_result_get_partial (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);

  return self->partial;
}

guint
ptl_result_get_n_warnings (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), 0);
  return self->warnings->len;
}

const char *
ptl_result_get_warning (PtlResult *self,
                        guint      index)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (index < self->warnings->len, NULL);
  return g_ptr_array_index (self->warnings, index);
}

void
ptl_result_add_note (PtlResult  *self,
                     const char *format,
                     ...)
{
  va_list args;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  add_text (self, self->notes, format, args);
  va_end (args);
}

guint
ptl_result_get_n_notes (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), 0);
  return self->notes->len;
}

const char *
ptl_result_get_note (PtlResult *self,
                     guint      index)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (index < self->notes->len, NULL);
  return g_ptr_array_index (self->notes, index);
}

void
ptl_result_add_samples (PtlResult    *self,
                        const char   *name,
                        const char   *unit,
                        const double *values,
                        gsize         n_values)
{
  Samples *samples;

  g_return_if_fail (PTL_IS_RESULT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (values != NULL || n_values == 0);

  samples = g_new0 (Samples, 1);
  samples->name = g_strdup (name);
  samples->unit = g_strdup (unit ? unit : "");
  samples->values = g_array_sized_new (FALSE, FALSE, sizeof (double), n_values);
  g_array_append_vals (samples->values, values, n_values);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->samples, samples);
  g_mutex_unlock (&self->mutex);
}

PtlChart *
ptl_result_add_chart (PtlResult    *self,
                      const char   *id,
                      PtlChartKind  kind,
                      const char   *title)
{
  PtlChart *chart;

  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (ptl_result_find_chart (self, id) == NULL, NULL);

  chart = _ptl_chart_new (self, id, kind, title ? title : id);
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->charts, chart);
  g_mutex_unlock (&self->mutex);
  return chart;
}

guint
ptl_result_get_n_charts (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), 0);
  return self->charts->len;
}

PtlChart *
ptl_result_get_chart (PtlResult *self,
                      guint      index)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (index < self->charts->len, NULL);
  return g_ptr_array_index (self->charts, index);
}

PtlChart *
ptl_result_find_chart (PtlResult  *self,
                       const char *id)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->charts->len; i++)
    {
      PtlChart *chart = g_ptr_array_index (self->charts, i);

      if (g_strcmp0 (chart->id, id) == 0)
        return chart;
    }
  return NULL;
}

PtlTable *
ptl_result_get_summary (PtlResult *self)
{
  g_return_val_if_fail (PTL_IS_RESULT (self), NULL);
  return self->summary;
}
