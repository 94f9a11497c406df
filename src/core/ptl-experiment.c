/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-experiment"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-clock.h"
#include "ptl-experiment.h"
#include "ptl-machine.h"
#include "ptl-proc-monitor.h"

G_DEFINE_ABSTRACT_TYPE (PtlExperiment, ptl_experiment, G_TYPE_OBJECT)

static GQuark
ptl_param_unit_quark (void)
{
  return g_quark_from_static_string ("ptl-param-unit");
}

static GQuark
ptl_param_labels_quark (void)
{
  return g_quark_from_static_string ("ptl-param-choice-labels");
}

static GQuark
ptl_param_list_quark (void)
{
  return g_quark_from_static_string ("ptl-param-list-choices");
}

static void
ptl_experiment_class_init (PtlExperimentClass *klass)
{
}

static void
ptl_experiment_init (PtlExperiment *self)
{
}

static const char *
translate (const char *text)
{
  return text ? g_dgettext (GETTEXT_PACKAGE, text) : "";
}

const char *
ptl_experiment_get_id (PtlExperiment *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  return PTL_EXPERIMENT_GET_CLASS (self)->id;
}

const char *
ptl_experiment_get_title (PtlExperiment *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  return translate (PTL_EXPERIMENT_GET_CLASS (self)->title);
}

const char *
ptl_experiment_get_category (PtlExperiment *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  return translate (PTL_EXPERIMENT_GET_CLASS (self)->category);
}

const char *
ptl_experiment_get_summary (PtlExperiment *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  return translate (PTL_EXPERIMENT_GET_CLASS (self)->summary);
}

const char *
ptl_experiment_get_explanation (PtlExperiment *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  return translate (PTL_EXPERIMENT_GET_CLASS (self)->explanation);
}

const PtlTableSpec *
ptl_experiment_get_table_spec (PtlExperiment *self)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  return PTL_EXPERIMENT_GET_CLASS (self)->table_input;
}

void
ptl_experiment_class_set_headline (PtlExperimentClass *klass,
                                   const char         *column,
                                   PtlHeadlineRow      row)
{
  g_return_if_fail (PTL_IS_EXPERIMENT_CLASS (klass));
  g_return_if_fail (column != NULL);

  klass->headline_column = column;
  klass->headline_row = row;
}

/* By the registered subclasses, not the registry: the core (the run
 * history) must not depend on the experiments. */
gboolean
ptl_experiment_lookup_headline (const char      *experiment_id,
                                const char     **column,
                                PtlHeadlineRow  *row)
{
  g_autofree GType *types = NULL;
  guint n_types;

  g_return_val_if_fail (experiment_id != NULL, FALSE);
  g_return_val_if_fail (column != NULL && row != NULL, FALSE);

  types = g_type_children (PTL_TYPE_EXPERIMENT, &n_types);
  for (guint i = 0; i < n_types; i++)
    {
      PtlExperimentClass *klass = g_type_class_ref (types[i]);
      gboolean found = g_strcmp0 (klass->id, experiment_id) == 0 && klass->headline_column != NULL;

      if (found)
        {
          *column = klass->headline_column;
          *row = klass->headline_row;
        }
      g_type_class_unref (klass);
      if (found)
        return TRUE;
    }
  return FALSE;
}

/* Longer first sentences are prose and stay in the text. */
#define EXPLANATION_HEADING_MAX_CHARS 40

char **
ptl_explanation_split_sections (const char *explanation)
{
  g_auto(GStrv) paragraphs = NULL;
  GPtrArray *sections = g_ptr_array_new ();

  g_return_val_if_fail (explanation != NULL, NULL);

  paragraphs = g_strsplit (explanation, "\n\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      const char *text = paragraphs[i];
      const char *end = text;

      /* The lead sentence ends at the first ". " or ": ". */
      while (*end != '\0' && !((*end == '.' || *end == ':') && end[1] == ' '))
        end++;

      if (i > 0 && *end != '\0' && g_utf8_strlen (text, end - text) <= EXPLANATION_HEADING_MAX_CHARS)
        {
          g_ptr_array_add (sections, g_strndup (text, end - text));
          text = end + 2;
        }
      else
        g_ptr_array_add (sections, g_strdup (""));
      g_ptr_array_add (sections, g_strdup (text));
    }
  g_ptr_array_add (sections, NULL);
  return (char **) g_ptr_array_free (sections, FALSE);
}

/* Charts */

guint
ptl_experiment_get_n_charts (PtlExperiment *self)
{
  const PtlChartInfo *charts;
  guint n = 0;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), 0);

  charts = PTL_EXPERIMENT_GET_CLASS (self)->charts;
  while (charts != NULL && charts[n].id != NULL)
    n++;
  return n;
}

const char *
ptl_experiment_get_chart_id (PtlExperiment *self,
                             guint          index)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  g_return_val_if_fail (index < ptl_experiment_get_n_charts (self), NULL);

  return PTL_EXPERIMENT_GET_CLASS (self)->charts[index].id;
}

const char *
ptl_experiment_get_chart_title (PtlExperiment *self,
                                guint          index)
{
  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  g_return_val_if_fail (index < ptl_experiment_get_n_charts (self), NULL);

  return translate (PTL_EXPERIMENT_GET_CLASS (self)->charts[index].title);
}

gboolean
ptl_experiment_check_chart (PtlExperiment  *self,
                            const char     *chart_id,
                            GError        **error)
{
  g_autoptr(GString) known = g_string_new (NULL);
  guint n_charts;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), FALSE);
  g_return_val_if_fail (chart_id != NULL, FALSE);

  n_charts = ptl_experiment_get_n_charts (self);
  for (guint i = 0; i < n_charts; i++)
    {
      const char *id = ptl_experiment_get_chart_id (self, i);

      if (strcmp (id, chart_id) == 0)
        return TRUE;
      g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", id);
    }
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
               _("No chart “%s” in %s; its charts are: %s"),
               chart_id, ptl_experiment_get_id (self), known->str);
  return FALSE;
}

/* Parameters */

static int
compare_param_ids (gconstpointer a,
                   gconstpointer b)
{
  const GParamSpec *x = *(GParamSpec * const *) a;
  const GParamSpec *y = *(GParamSpec * const *) b;

  if (x->owner_type != y->owner_type)
    return g_type_depth (x->owner_type) - g_type_depth (y->owner_type);
  return (x->param_id > y->param_id) - (x->param_id < y->param_id);
}

GParamSpec **
ptl_experiment_list_params (PtlExperiment *self,
                            guint         *n_params)
{
  g_autofree GParamSpec **all = NULL;
  GParamSpec **params;
  guint n_all, n = 0;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);

  all = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n_all);
  params = g_new0 (GParamSpec *, n_all + 1);
  for (guint i = 0; i < n_all; i++)
    if ((all[i]->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE &&
        g_type_is_a (all[i]->owner_type, PTL_TYPE_EXPERIMENT) &&
        all[i]->owner_type != PTL_TYPE_EXPERIMENT)
      params[n++] = all[i];

  /* Declaration order (the PROP_ enum), which is the order a form shows. */
  qsort (params, n, sizeof (GParamSpec *), compare_param_ids);

  if (n_params != NULL)
    *n_params = n;
  return params;
}

GParamSpec *
ptl_experiment_find_param (PtlExperiment *self,
                           const char    *name)
{
  g_autofree GParamSpec **params = NULL;
  guint n_params;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  params = ptl_experiment_list_params (self, &n_params);
  for (guint i = 0; i < n_params; i++)
    if (g_strcmp0 (params[i]->name, name) == 0)
      return params[i];
  return NULL;
}

void
ptl_param_set_unit (GParamSpec *pspec,
                    const char *unit)
{
  g_return_if_fail (G_IS_PARAM_SPEC (pspec));
  g_param_spec_set_qdata (pspec, ptl_param_unit_quark (), (gpointer) unit);
}

const char *
ptl_param_get_unit (GParamSpec *pspec)
{
  const char *unit;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);
  unit = g_param_spec_get_qdata (pspec, ptl_param_unit_quark ());
  return unit ? unit : "";
}

void
ptl_param_set_choice_labels (GParamSpec         *pspec,
                             const char * const *labels)
{
  g_return_if_fail (G_IS_PARAM_SPEC_ENUM (pspec));
  g_return_if_fail (labels == NULL ||
                    g_strv_length ((char **) labels) == G_PARAM_SPEC_ENUM (pspec)->enum_class->n_values);
  g_param_spec_set_qdata (pspec, ptl_param_labels_quark (), (gpointer) labels);
}

const char *
ptl_param_get_choice_label (GParamSpec *pspec,
                            guint       index)
{
  const char * const *labels;
  GEnumClass *klass;

  g_return_val_if_fail (G_IS_PARAM_SPEC_ENUM (pspec), NULL);
  klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
  g_return_val_if_fail (index < klass->n_values, NULL);

  labels = g_param_spec_get_qdata (pspec, ptl_param_labels_quark ());
  if (labels == NULL)
    return klass->values[index].value_nick;
  return g_dgettext (GETTEXT_PACKAGE, labels[index]);
}

void
ptl_param_set_list_choices (GParamSpec         *pspec,
                            const char * const *choices)
{
  g_return_if_fail (G_IS_PARAM_SPEC_STRING (pspec));
  g_return_if_fail (choices == NULL || choices[0] != NULL);
  g_param_spec_set_qdata (pspec, ptl_param_list_quark (), (gpointer) choices);
}

const char * const *
ptl_param_get_list_choices (GParamSpec *pspec)
{
  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);
  return g_param_spec_get_qdata (pspec, ptl_param_list_quark ());
}

void
ptl_param_store_uint (GObject      *object,
                      guint        *field,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (field != NULL);

  if (*field == g_value_get_uint (value))
    return;
  *field = g_value_get_uint (value);
  g_object_notify_by_pspec (object, pspec);
}

void
ptl_param_store_int (GObject      *object,
                     int          *field,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (field != NULL);

  if (*field == g_value_get_int (value))
    return;
  *field = g_value_get_int (value);
  g_object_notify_by_pspec (object, pspec);
}

void
ptl_param_store_double (GObject      *object,
                        double       *field,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (field != NULL);

  if (*field == g_value_get_double (value))
    return;
  *field = g_value_get_double (value);
  g_object_notify_by_pspec (object, pspec);
}

void
ptl_param_store_boolean (GObject      *object,
                         gboolean     *field,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (field != NULL);

  if (*field == g_value_get_boolean (value))
    return;
  *field = g_value_get_boolean (value);
  g_object_notify_by_pspec (object, pspec);
}

GType
ptl_enum_register_once (gsize            *type_id,
                        const char       *name,
                        const GEnumValue *values)
{
  if (g_once_init_enter (type_id))
    g_once_init_leave (type_id, g_enum_register_static (g_intern_static_string (name), values));
  return *type_id;
}

void
ptl_param_store_enum (GObject      *object,
                      int          *field,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (field != NULL);

  if (*field == g_value_get_enum (value))
    return;
  *field = g_value_get_enum (value);
  g_object_notify_by_pspec (object, pspec);
}

void
ptl_param_store_string (GObject       *object,
                        char         **field,
                        const GValue  *value,
                        GParamSpec    *pspec)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (field != NULL);

  if (g_strcmp0 (*field, g_value_get_string (value)) == 0)
    return;
  g_free (*field);
  *field = g_value_dup_string (value);
  g_object_notify_by_pspec (object, pspec);
}

static char *
format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g", value));
}

static char *
value_to_text (const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      GEnumValue *enum_value = g_enum_get_value (klass, g_value_get_enum (value));

      return g_strdup (enum_value ? enum_value->value_nick : "");
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
    case G_TYPE_DOUBLE:
      return format_double (g_value_get_double (value));
    case G_TYPE_STRING:
      return g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
    default:
      return g_strdup_value_contents (value);
    }
}

char *
ptl_param_describe_type (GParamSpec *pspec)
{
  GType type;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);

  type = pspec->value_type;
  if (G_TYPE_IS_ENUM (type))
    return g_strdup (_("choice"));
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (_("boolean"));
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      return g_strdup (_("integer"));
    case G_TYPE_DOUBLE:
      return g_strdup (_("number"));
    case G_TYPE_STRING:
      return g_strdup (_("text"));
    default:
      return g_strdup (g_type_name (type));
    }
}

char *
ptl_param_describe_range (GParamSpec *pspec)
{
  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);

  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      GString *out = g_string_new (NULL);

      for (guint i = 0; i < klass->n_values; i++)
        g_string_append_printf (out, "%s%s", i ? " | " : "", klass->values[i].value_nick);
      return g_string_free (out, FALSE);
    }
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    return g_strdup ("true | false");
  if (G_IS_PARAM_SPEC_INT (pspec))
    return g_strdup_printf ("%d – %d", G_PARAM_SPEC_INT (pspec)->minimum, G_PARAM_SPEC_INT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_UINT (pspec))
    return g_strdup_printf ("%u – %u", G_PARAM_SPEC_UINT (pspec)->minimum, G_PARAM_SPEC_UINT (pspec)->maximum);
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return g_strdup_printf ("%" G_GINT64_FORMAT " – %" G_GINT64_FORMAT,
                            G_PARAM_SPEC_INT64 (pspec)->minimum, G_PARAM_SPEC_INT64 (pspec)->maximum);
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return g_strdup_printf ("%" G_GUINT64_FORMAT " – %" G_GUINT64_FORMAT,
                            G_PARAM_SPEC_UINT64 (pspec)->minimum, G_PARAM_SPEC_UINT64 (pspec)->maximum);
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      g_autofree char *min = format_double (G_PARAM_SPEC_DOUBLE (pspec)->minimum);
      g_autofree char *max = format_double (G_PARAM_SPEC_DOUBLE (pspec)->maximum);

      return g_strdup_printf ("%s – %s", min, max);
    }
  return g_strdup (_("any text"));
}

char *
ptl_param_dup_default_text (GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);

  g_value_init (&value, pspec->value_type);
  g_param_value_set_default (pspec, &value);
  return value_to_text (&value);
}

static gboolean
range_error (GParamSpec  *pspec,
             const char  *text,
             GError     **error)
{
  g_autofree char *range = ptl_param_describe_range (pspec);

  if (G_IS_PARAM_SPEC_ENUM (pspec))
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                 _("Parameter “%s” must be one of %s, not “%s”"), pspec->name, range, text);
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                 _("Parameter “%s” must be true or false, not “%s”"), pspec->name, text);
  /* Whole sentences per type: an English article chosen in code cannot
   * be translated (Korean has none, and reorders the sentence). */
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                 _("Parameter “%s” must be a number in %s, not “%s”"), pspec->name, range, text);
  else
    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                 _("Parameter “%s” must be an integer in %s, not “%s”"), pspec->name, range, text);
  return FALSE;
}

gboolean
ptl_param_check_value (GParamSpec    *pspec,
                       const GValue  *value,
                       GError       **error)
{
  g_auto(GValue) copy = G_VALUE_INIT;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);

  g_value_init (&copy, pspec->value_type);
  if (!g_value_transform (value, &copy))
    return range_error (pspec, G_VALUE_TYPE_NAME (value), error);
  /* g_param_value_validate clamps an out-of-range value and says so: we
   * refuse instead of silently clamping what the user typed. */
  if (g_param_value_validate (pspec, &copy) ||
      (G_IS_PARAM_SPEC_DOUBLE (pspec) && !isfinite (g_value_get_double (&copy))))
    {
      g_autofree char *text = value_to_text (value);
      return range_error (pspec, text, error);
    }
  return TRUE;
}

static gboolean
parse_param_text (GParamSpec  *pspec,
                  const char  *text,
                  GValue      *value,
                  GError     **error)
{
  GType type = pspec->value_type;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_value_init (value, type);

  if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      GEnumValue *enum_value = g_enum_get_value_by_nick (klass, stripped);

      if (enum_value == NULL)
        return range_error (pspec, text, error);
      g_value_set_enum (value, enum_value->value);
      return TRUE;
    }

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN:
      {
        static const char *yes[] = { "true", "yes", "on", "1" };
        static const char *no[] = { "false", "no", "off", "0" };

        for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
          {
            if (g_ascii_strcasecmp (stripped, yes[i]) == 0)
              {
                g_value_set_boolean (value, TRUE);
                return TRUE;
              }
            if (g_ascii_strcasecmp (stripped, no[i]) == 0)
              {
                g_value_set_boolean (value, FALSE);
                return TRUE;
              }
          }
        return range_error (pspec, text, error);
      }

    case G_TYPE_INT:
    case G_TYPE_INT64:
      {
        gint64 number;

        if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, &number, NULL))
          return range_error (pspec, text, error);
        if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_INT)
          {
            if (number < G_MININT || number > G_MAXINT)
              return range_error (pspec, text, error);
            g_value_set_int (value, (int) number);
          }
        else
          g_value_set_int64 (value, number);
        break;
      }

    case G_TYPE_UINT:
    case G_TYPE_UINT64:
      {
        guint64 number;

        if (!g_ascii_string_to_unsigned (stripped, 10, 0, G_MAXUINT64, &number, NULL))
          return range_error (pspec, text, error);
        if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_UINT)
          {
            if (number > G_MAXUINT)
              return range_error (pspec, text, error);
            g_value_set_uint (value, (guint) number);
          }
        else
          g_value_set_uint64 (value, number);
        break;
      }

    case G_TYPE_DOUBLE:
      {
        char *end = NULL;
        double number;

        errno = 0;
        number = g_ascii_strtod (stripped, &end);
        if (*stripped == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite (number))
          return range_error (pspec, text, error);
        g_value_set_double (value, number);
        break;
      }

    case G_TYPE_STRING:
      g_value_set_string (value, text);
      break;

    default:
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Parameter “%s” has a type the lab cannot set from text"), pspec->name);
      return FALSE;
    }

  return ptl_param_check_value (pspec, value, error);
}

static gboolean
unknown_param_error (PtlExperiment  *self,
                     const char     *name,
                     GError        **error)
{
  g_autofree GParamSpec **params = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  guint n_params;

  params = ptl_experiment_list_params (self, &n_params);
  for (guint i = 0; i < n_params; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", params[i]->name);
  g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
               _("Experiment “%s” has no parameter “%s”; its parameters are: %s"),
               ptl_experiment_get_id (self), name, n_params ? names->str : _("none"));
  return FALSE;
}

gboolean
ptl_experiment_set_param (PtlExperiment  *self,
                          const char     *name,
                          const char     *text,
                          GError        **error)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  pspec = ptl_experiment_find_param (self, name);
  if (pspec == NULL)
    return unknown_param_error (self, name, error);
  if (!parse_param_text (pspec, text, &value, error))
    return FALSE;
  g_object_set_property (G_OBJECT (self), pspec->name, &value);
  return TRUE;
}

char *
ptl_experiment_dup_param_text (PtlExperiment *self,
                               const char    *name)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  pspec = ptl_experiment_find_param (self, name);
  g_return_val_if_fail (pspec != NULL, NULL);

  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (self), pspec->name, &value);
  return value_to_text (&value);
}

JsonObject *
ptl_experiment_dup_params_json (PtlExperiment *self)
{
  g_autofree GParamSpec **params = NULL;
  JsonObject *object;
  guint n_params;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);

  object = json_object_new ();
  params = ptl_experiment_list_params (self, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      GType fundamental = G_TYPE_FUNDAMENTAL (params[i]->value_type);

      g_value_init (&value, params[i]->value_type);
      g_object_get_property (G_OBJECT (self), params[i]->name, &value);

      /* Numbers stay numbers in JSON; enums are their nick. */
      if (fundamental == G_TYPE_BOOLEAN)
        json_object_set_boolean_member (object, params[i]->name, g_value_get_boolean (&value));
      else if (fundamental == G_TYPE_DOUBLE)
        json_object_set_double_member (object, params[i]->name, g_value_get_double (&value));
      else if (fundamental == G_TYPE_INT || fundamental == G_TYPE_UINT ||
               fundamental == G_TYPE_INT64 || fundamental == G_TYPE_UINT64)
        {
          g_auto(GValue) wide = G_VALUE_INIT;

          g_value_init (&wide, G_TYPE_INT64);
          g_value_transform (&value, &wide);
          json_object_set_int_member (object, params[i]->name, g_value_get_int64 (&wide));
        }
      else
        {
          g_autofree char *text = value_to_text (&value);
          json_object_set_string_member (object, params[i]->name, text);
        }
    }
  return object;
}

gboolean
ptl_experiment_set_params_from_json (PtlExperiment  *self,
                                     JsonObject     *params,
                                     GError        **error)
{
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  members = json_object_get_members (params);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (params, name);
      g_autofree char *text = NULL;

      if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("Parameter “%s” must be a number, text or true/false"), name);
          return FALSE;
        }
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          text = g_strdup (json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          text = format_double (json_node_get_double (node));
          break;
        default:
          text = g_strdup (json_node_get_string (node));
          break;
        }
      if (!ptl_experiment_set_param (self, name, text, error))
        return FALSE;
    }
  return TRUE;
}

static guint max_tasks = PTL_MAX_TASKS_DEFAULT;

void
ptl_experiment_set_max_tasks (guint limit)
{
  g_return_if_fail (limit >= 1 && limit <= PTL_MAX_TASKS_LIMIT);
  g_atomic_int_set (&max_tasks, limit);
}

guint
ptl_experiment_get_max_tasks (void)
{
  return g_atomic_int_get (&max_tasks);
}

gboolean
ptl_experiment_validate (PtlExperiment  *self,
                         GError        **error)
{
  PtlExperimentClass *klass;
  guint n_tasks, limit;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), FALSE);

  klass = PTL_EXPERIMENT_GET_CLASS (self);
  if (klass->validate != NULL && !klass->validate (self, error))
    return FALSE;

  n_tasks = klass->count_tasks != NULL ? klass->count_tasks (self) : 0;
  limit = ptl_experiment_get_max_tasks ();
  if (n_tasks > limit)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("These parameters would have up to %u threads and processes at once, more than "
                     "your limit of %u (Preferences in the window, --max-tasks on the command line)"),
                   n_tasks, limit);
      return FALSE;
    }
  return TRUE;
}

PtlExperiment *
ptl_experiment_dup (PtlExperiment *self)
{
  g_autofree GParamSpec **params = NULL;
  g_autofree const char **names = NULL;
  GValue *values;
  PtlExperiment *copy;
  guint n_params;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);

  params = ptl_experiment_list_params (self, &n_params);
  names = g_new0 (const char *, n_params + 1);
  values = g_new0 (GValue, n_params + 1);
  for (guint i = 0; i < n_params; i++)
    {
      names[i] = params[i]->name;
      g_value_init (&values[i], params[i]->value_type);
      g_object_get_property (G_OBJECT (self), params[i]->name, &values[i]);
    }
  copy = (PtlExperiment *) g_object_new_with_properties (G_OBJECT_TYPE (self), n_params, names, values);
  for (guint i = 0; i < n_params; i++)
    g_value_unset (&values[i]);
  g_free (values);
  return copy;
}

/* Running */

typedef struct
{
  PtlExperiment *copy;
  PtlRun        *run;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->copy);
  g_clear_object (&data->run);
  g_free (data);
}

/* Other programs' share of all CPUs above which a run is flagged. */
#define OTHER_WORK_LIMIT  0.15
/* /proc/stat counts in 10 ms ticks: over less CPU time the share is noise. */
#define OTHER_WORK_MIN_NS (G_GINT64_CONSTANT (1000000000))

/* CPU time this process and the children it reaped have used. */
static gint64
own_cpu_ns (void)
{
  return ptl_clock_process_cpu_ns () + ptl_clock_children_cpu_ns ();
}

/* Every experiment's figures suffer when something else keeps the CPUs
 * busy: the machine's busy time minus our own tells. */
static void
warn_about_other_work (PtlResult *result,
                       gint64     busy_ns,
                       gint64     total_ns,
                       gint64     own_ns)
{
  double share;

  if (total_ns < OTHER_WORK_MIN_NS)
    return;
  share = MAX (0, busy_ns - own_ns) / (double) total_ns;
  if (share > OTHER_WORK_LIMIT)
    ptl_result_add_warning (result,
                            _("Other programs kept the CPUs %.0f %% busy while this ran (the machine's CPU "
                              "time minus this program's and its children's): figures may be slower and "
                              "noisier than on a quiet machine."),
                            share * 100);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  PtlResult *result = ptl_run_get_result (data->run);
  g_autoptr(JsonObject) parameters = ptl_experiment_dup_params_json (data->copy);
  g_autoptr(JsonObject) machine = ptl_machine_collect ();
  g_autoptr(GError) error = NULL;
  gint64 busy_start = 0, total_start = 0, busy_end, total_end, own_start;
  gboolean have_times;
  gboolean ok;

  /* Made here, so no other thread holds a reference: json-glib's counts
   * are not atomic, and experiments replace the parameters as they run. */
  ptl_result_set_parameters (result, parameters);
  ptl_result_set_machine (result, machine);

  have_times = ptl_machine_read_cpu_times (&busy_start, &total_start);
  own_start = own_cpu_ns ();

  /* A pooled thread may predate the run: tell the live monitor it is the run's. */
  ptl_proc_monitor_mark_run_thread (TRUE);
  ok = PTL_EXPERIMENT_GET_CLASS (data->copy)->run (data->copy, data->run, &error);
  ptl_proc_monitor_mark_run_thread (FALSE);
  if (!ok)
    {
      if (error == NULL)
        g_set_error (&error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("The experiment “%s” failed without saying why"),
                     ptl_experiment_get_id (data->copy));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (have_times && ptl_machine_read_cpu_times (&busy_end, &total_end))
    warn_about_other_work (result, busy_end - busy_start, total_end - total_start,
                           own_cpu_ns () - own_start);
  g_task_return_pointer (task, g_object_ref (result), g_object_unref);
}

void
ptl_experiment_run_async (PtlExperiment       *self,
                          GCancellable        *cancellable,
                          PtlProgressFunc      progress,
                          gpointer             progress_data,
                          GDestroyNotify       progress_notify,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(PtlResult) result = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;

  g_return_if_fail (PTL_IS_EXPERIMENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (PTL_EXPERIMENT_GET_CLASS (self)->run != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ptl_experiment_run_async);
  /* Report only when the worker has really stopped: a cancelled run must
   * not leave a thread behind when the caller hears back. */
  g_task_set_return_on_cancel (task, FALSE);

  /* The worker gets its own copy, so the caller may edit parameters (the
   * GUI form) while the run goes on. */
  data = g_new0 (RunData, 1);
  data->copy = ptl_experiment_dup (self);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  /* GLib aborts when it cannot start the worker thread: say which limit
   * is in the way instead. */
  if (!ptl_experiment_validate (data->copy, &error) ||
      !ptl_machine_check_limits (PTL_MACHINE_RUN_TASKS, &error))
    {
      if (progress_notify != NULL)
        progress_notify (progress_data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = ptl_result_new (ptl_experiment_get_id (data->copy), ptl_experiment_get_title (data->copy));
  data->run = ptl_run_new (result, g_task_get_cancellable (task), NULL,
                           progress, progress_data, progress_notify);
  g_task_run_in_thread (task, run_in_thread);
}

PtlResult *
ptl_experiment_run_finish (PtlExperiment  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  RunData *data;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ptl_experiment_run_async, NULL);

  /* Drop the run now, not when the worker thread lets go of the task: the
   * caller then holds the only reference to the result. */
  data = g_task_get_task_data (G_TASK (result));
  if (data->run != NULL)
    ptl_run_close (data->run);
  g_clear_object (&data->run);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GAsyncResult *result;
} SyncData;

static void
run_sync_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
}

PtlResult *
ptl_experiment_run_sync (PtlExperiment    *self,
                         GCancellable     *cancellable,
                         PtlProgressFunc   progress,
                         gpointer          progress_data,
                         GError          **error)
{
  g_autoptr(GMainContext) context = NULL;
  SyncData data = { NULL };
  PtlResult *result;

  g_return_val_if_fail (PTL_IS_EXPERIMENT (self), NULL);

  /* Before the context, whose wake-up descriptor GLib cannot do without. */
  if (!ptl_machine_check_limits (PTL_MACHINE_RUN_TASKS, error))
    return NULL;
  context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  ptl_experiment_run_async (self, cancellable, progress, progress_data, NULL, run_sync_cb, &data);
  while (data.result == NULL)
    g_main_context_iteration (context, TRUE);
  result = ptl_experiment_run_finish (self, data.result, error);
  g_object_unref (data.result);
  /* Deliveries still queued belong to a closed run: let them drain. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  return result;
}
