/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ptl-types.h"
#include "ptl-result.h"
#include "ptl-run.h"
#include "ptl-table-input.h"

G_BEGIN_DECLS

/* A chart an experiment's runs may produce: the id its results and
 * `--chart` use, and a title saying what it shows (untranslated, N_()). */
typedef struct
{
  const char *id;
  const char *title;
} PtlChartInfo;

/* Which row of a summary column lists of saved runs show as a run's
 * headline figure (ptl_experiment_class_set_headline ()). */
typedef enum
{
  PTL_HEADLINE_FIRST, /* the first row's, e.g. the one measure */
  PTL_HEADLINE_MAX,   /* the largest, e.g. the best speedup */
  PTL_HEADLINE_MIN,   /* the smallest, e.g. the least waiting */
  PTL_HEADLINE_RANGE, /* the smallest and the largest, e.g. thread against fork */
} PtlHeadlineRow;

#define PTL_TYPE_EXPERIMENT (ptl_experiment_get_type ())
G_DECLARE_DERIVABLE_TYPE (PtlExperiment, ptl_experiment, PTL, EXPERIMENT, GObject)

struct _PtlExperimentClass
{
  GObjectClass parent_class;

  /* Class data, set in class_init. Strings are untranslated (N_()); the
   * accessors translate them. */
  const char *id;          /* "models": the CLI name, no spaces */
  const char *title;       /* "Concurrency models" */
  const char *category;    /* "Comparison" */
  const char *summary;     /* one paragraph */
  const char *explanation; /* what to look for and the theory behind it */
  /* Every chart a run may produce, ending with { NULL }, so a chart can be
   * chosen (and a wrong id refused) before anything runs. A run with
   * some parameters may leave some out; it produces no other. */
  const PtlChartInfo *charts;
  /* The table the experiment takes as input, for the window's editor;
   * NULL for none. Static. */
  const PtlTableSpec *table_input;
  /* The summary figure that tells most about a run, for the History:
   * a column id, or the untranslated name of a column whose id is its
   * name; NULL: the first figure of the first row. */
  const char     *headline_column;
  PtlHeadlineRow  headline_row;

  /* Cross-parameter checks the pspec ranges cannot express. Optional. */
  gboolean (*validate) (PtlExperiment  *self,
                        GError        **error);

  /* Runs in a worker thread on a private copy of the experiment (so the
   * caller may edit parameters meanwhile). Fills ptl_run_get_result (run),
   * reports with ptl_run_progress (), checks the cancellable at least every
   * 100 ms and, when cancelled, reaps every child, joins every thread and
   * closes every descriptor it made before returning FALSE. */
  gboolean (*run)      (PtlExperiment  *self,
                        PtlRun         *run,
                        GError        **error);

  /* The most threads and child processes a run with these parameters has
   * at once, for the user's limit (ptl_experiment_set_max_tasks ()).
   * Optional: without it a run counts as small. */
  guint    (*count_tasks) (PtlExperiment *self);

  gpointer padding[6];
};

const char   *ptl_experiment_get_id          (PtlExperiment        *self);
const char   *ptl_experiment_get_title       (PtlExperiment        *self);
const char   *ptl_experiment_get_category    (PtlExperiment        *self);
const char   *ptl_experiment_get_summary     (PtlExperiment        *self);
const char   *ptl_experiment_get_explanation (PtlExperiment        *self);
/* An explanation's sections, for the window and reports: paragraphs are
 * "\n\n" apart, and a paragraph after the first that starts with a short
 * lead sentence ("The modes.", "What to look for:") has it as heading.
 * Pairs of heading ("" for none) and text, NULL-terminated. */
char        **ptl_explanation_split_sections (const char         *explanation);

/* The charts the class declares (PtlExperimentClass.charts), titles
 * translated. */
guint         ptl_experiment_get_n_charts    (PtlExperiment        *self);
const char   *ptl_experiment_get_chart_id    (PtlExperiment        *self,
                                              guint                 index);
const char   *ptl_experiment_get_chart_title (PtlExperiment        *self,
                                              guint                 index);
/* PTL_ERROR_INVALID_PARAMETER listing the declared ids unless @chart_id
 * is one of them. */
gboolean      ptl_experiment_check_chart     (PtlExperiment        *self,
                                              const char           *chart_id,
                                              GError              **error);

/* Declares the headline figure (PtlExperimentClass.headline_column). */
void          ptl_experiment_class_set_headline (PtlExperimentClass *klass,
                                                 const char         *column,
                                                 PtlHeadlineRow      row);
/* The headline an experiment of @experiment_id declared; FALSE when it
 * declared none or no such experiment type is registered (results from
 * another lab). */
gboolean      ptl_experiment_lookup_headline (const char           *experiment_id,
                                              const char          **column,
                                              PtlHeadlineRow       *row);

/* PtlExperimentClass.table_input: NULL when the experiment takes no table. */
const PtlTableSpec *ptl_experiment_get_table_spec (PtlExperiment    *self);

/* The experiment's parameters: its own readable and writable properties,
 * in declaration order. Free the array with g_free (). */
GParamSpec  **ptl_experiment_list_params     (PtlExperiment        *self,
                                              guint                *n_params);
GParamSpec   *ptl_experiment_find_param      (PtlExperiment        *self,
                                              const char           *name);
/* Parses @text by the property's type (number, boolean, enum nick,
 * string) and checks its range: the one rule the CLI, the GUI form, the
 * settings and JSON loaders all go through. */
gboolean      ptl_experiment_set_param       (PtlExperiment        *self,
                                              const char           *name,
                                              const char           *text,
                                              GError              **error);
/* Checks @value against @pspec's range without setting it. */
gboolean      ptl_param_check_value          (GParamSpec           *pspec,
                                              const GValue         *value,
                                              GError              **error);
char         *ptl_experiment_dup_param_text  (PtlExperiment        *self,
                                              const char           *name);
JsonObject   *ptl_experiment_dup_params_json (PtlExperiment        *self);
gboolean      ptl_experiment_set_params_from_json (PtlExperiment   *self,
                                              JsonObject           *params,
                                              GError              **error);
/* Class checks, then the user's task limit. */
gboolean      ptl_experiment_validate        (PtlExperiment        *self,
                                              GError              **error);

/* The user's cap on threads and child processes one run may have at once,
 * on top of RLIMIT_NPROC and free memory (which runs check as they go):
 * the window's preference, the command line's --max-tasks. Process-wide;
 * PTL_MAX_TASKS_DEFAULT until set. */
#define PTL_MAX_TASKS_DEFAULT 4096
#define PTL_MAX_TASKS_LIMIT   1000000
void          ptl_experiment_set_max_tasks   (guint                 max_tasks);
guint         ptl_experiment_get_max_tasks   (void);
/* A new experiment of the same type with the same parameter values. */
PtlExperiment *ptl_experiment_dup            (PtlExperiment        *self);

/* Parameter metadata kept on the pspec: the unit shown beside the value
 * ("ms", "MiB", "tasks"). */
void          ptl_param_set_unit             (GParamSpec           *pspec,
                                              const char           *unit);
const char   *ptl_param_get_unit             (GParamSpec           *pspec);
/* For an enum parameter: what the form shows for each value, in the
 * enum's value order (e.g. "First come, first served" for fcfs).
 * @labels is a static NULL-terminated array, not copied. */
void          ptl_param_set_choice_labels    (GParamSpec           *pspec,
                                              const char * const   *labels);
/* The label of the @index-th value, translated, or its nick when the
 * experiment gave none. */
const char   *ptl_param_get_choice_label     (GParamSpec           *pspec,
                                              guint                 index);
/* For a string parameter holding PTL_PARAM_LIST_ALL or a comma-separated
 * list of some of @choices (a static NULL-terminated array, not copied):
 * what may be listed, so the form can offer one check per choice. The
 * experiment's own rule still decides what it accepts. */
#define PTL_PARAM_LIST_ALL "all"
void          ptl_param_set_list_choices     (GParamSpec           *pspec,
                                              const char * const   *choices);
/* NULL for a parameter that is not such a list. */
const char * const *ptl_param_get_list_choices (GParamSpec         *pspec);
/* "1 – 1000", "cpu | io | mixed", "true | false", "any text". */
char         *ptl_param_describe_range       (GParamSpec           *pspec);
char         *ptl_param_describe_type        (GParamSpec           *pspec);
char         *ptl_param_dup_default_text     (GParamSpec           *pspec);

/* For set_property: store @value in @field and notify only when it changed
 * (parameters are G_PARAM_EXPLICIT_NOTIFY). An enum field is passed as an
 * int pointer; a string field is owned (the old one is freed). */
void          ptl_param_store_uint           (GObject              *object,
                                              guint                *field,
                                              const GValue         *value,
                                              GParamSpec           *pspec);
void          ptl_param_store_int            (GObject              *object,
                                              int                  *field,
                                              const GValue         *value,
                                              GParamSpec           *pspec);
void          ptl_param_store_double         (GObject              *object,
                                              double               *field,
                                              const GValue         *value,
                                              GParamSpec           *pspec);
void          ptl_param_store_boolean        (GObject              *object,
                                              gboolean             *field,
                                              const GValue         *value,
                                              GParamSpec           *pspec);
/* Registers the enum type @name from @values (ending in { 0 }) on the
 * first call, thread-safely, and returns it: the body of an enum's
 * get_type (), with @type_id its static slot. */
GType         ptl_enum_register_once         (gsize                *type_id,
                                              const char           *name,
                                              const GEnumValue     *values);
void          ptl_param_store_enum           (GObject              *object,
                                              int                  *field,
                                              const GValue         *value,
                                              GParamSpec           *pspec);
void          ptl_param_store_string         (GObject              *object,
                                              char                **field,
                                              const GValue         *value,
                                              GParamSpec           *pspec);

void          ptl_experiment_run_async       (PtlExperiment        *self,
                                              GCancellable         *cancellable,
                                              PtlProgressFunc       progress,
                                              gpointer              progress_data,
                                              GDestroyNotify        progress_notify,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
PtlResult    *ptl_experiment_run_finish      (PtlExperiment        *self,
                                              GAsyncResult         *result,
                                              GError              **error);
/* Runs on a private main context until done; progress arrives on the
 * calling thread. For tests and simple tools. */
PtlResult    *ptl_experiment_run_sync        (PtlExperiment        *self,
                                              GCancellable         *cancellable,
                                              PtlProgressFunc       progress,
                                              gpointer              progress_data,
                                              GError              **error);

G_END_DECLS
