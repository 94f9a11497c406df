/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-bankers-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-bankers-experiment.h"
#include "ptl-bankers-sim.h"
#include "ptl-bankers-table.h"

/* "The banker's algorithm": a resource-allocation state (a textbook
 * example, a generated one or a file) run through the simulator of
 * ptl-bankers-sim.c: is it safe, in which order can the processes
 * finish, and what becomes of a sequence of requests. Nothing is
 * measured, so the result is the same on every machine. */

struct _PtlBankersExperiment
{
  PtlExperiment parent_instance;

  /* parameters */
  char         *state;
  char         *requests;
  guint         processes;
  guint         resources;
  guint         seed;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_REQUESTS,
  PROP_PROCESSES,
  PROP_RESOURCES,
  PROP_SEED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlBankersExperiment, ptl_bankers_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define DEFAULT_STATE     "silberschatz"
#define GENERATOR_NAME    "random"
/* The requests parameter's default: the ones the example's book makes. */
#define EXAMPLE_REQUESTS  "example"

/* A state and the requests to make of it, from the parameters. */
typedef struct
{
  PtlBankersState *state;
  GArray          *requests; /* of PtlBankersRequest */
} Setup;

static void
setup_clear (Setup *setup)
{
  g_clear_pointer (&setup->state, ptl_bankers_state_free);
  g_clear_pointer (&setup->requests, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

PtlBankersState *
ptl_bankers_experiment_dup_state (PtlBankersExperiment  *self,
                                  const char           **example_requests,
                                  char                 **generated_requests,
                                  GError               **error)
{
  const char * const *examples = ptl_bankers_list_examples ();
  g_autofree char *lower = NULL;
  g_autofree char *generated = NULL;
  PtlBankersState *state;

  g_return_val_if_fail (PTL_IS_BANKERS_EXPERIMENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strv_contains (examples, self->state))
    {
      const char *requests = "";

      state = ptl_bankers_state_new_example (self->state, &requests);
      if (example_requests != NULL)
        *example_requests = requests;
      return state;
    }
  if (g_str_equal (self->state, GENERATOR_NAME))
    {
      state = ptl_bankers_state_generate (self->processes, self->resources, self->seed, &generated);
      if (generated_requests != NULL)
        *generated_requests = g_steal_pointer (&generated);
      return state;
    }

  /* A misspelt example name should not read "no such file". */
  lower = g_ascii_strdown (self->state, -1);
  if (strchr (self->state, G_DIR_SEPARATOR) == NULL && !g_str_has_suffix (lower, ".csv") &&
      !g_str_has_suffix (lower, ".json") && !g_file_test (self->state, G_FILE_TEST_EXISTS))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) examples);

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Unknown state “%s”: expected an example (%s), %s, or the path of a .csv or .json file"),
                   self->state, allowed, GENERATOR_NAME);
      return NULL;
    }
  return ptl_bankers_state_load (self->state, error);
}

static gboolean
resolve (PtlBankersExperiment  *self,
         Setup                 *setup,
         GError               **error)
{
  g_autofree char *generated_requests = NULL;
  const char *own_requests = NULL;

  setup->state = ptl_bankers_experiment_dup_state (self, &own_requests, &generated_requests, error);
  if (setup->state == NULL)
    return FALSE;
  if (generated_requests != NULL)
    own_requests = generated_requests;
  setup->requests = ptl_bankers_parse_requests (setup->state,
                                                g_str_equal (self->requests, EXAMPLE_REQUESTS)
                                                ? (own_requests != NULL ? own_requests : "") : self->requests,
                                                error);
  return setup->requests != NULL;
}

static char *
format_vector (const gint64 *values,
               guint         m)
{
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < m; r++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, r > 0 ? " " : "", values[r]);
  return g_string_free (out, FALSE);
}

static char *
format_order (const PtlBankersState  *state,
              const PtlBankersSafety *safety)
{
  GString *out = g_string_new ("<");

  for (guint k = 0; k < safety->n_finished; k++)
    g_string_append_printf (out, "%s%s", k > 0 ? ", " : "", state->names[safety->order[k]]);
  g_string_append_c (out, '>');
  return g_string_free (out, FALSE);
}

static const char **
resource_names (guint m)
{
  const char **names = g_new0 (const char *, m + 1);

  for (guint r = 0; r < m; r++)
    names[r] = ptl_bankers_resource_name (r);
  return names;
}

/* One lane per process: waiting until the scan reaches it with enough
 * work, then one step in which it finishes and releases what it holds;
 * in an unsafe state the ones left cannot finish at all. */
static void
add_safety_chart (PtlResult              *result,
                  const PtlBankersState  *state,
                  const PtlBankersSafety *safety)
{
  PtlChart *chart = ptl_result_add_chart (result, "safety", PTL_CHART_TIMELINE,
                                          _("Safety algorithm: when each process can finish"));
  guint end = safety->n_finished + (safety->safe ? 0 : 1);
  guint waiting, finishes, stuck = 0;
  int step[PTL_BANKERS_MAX_PROCESSES];

  ptl_chart_set_x_axis (chart, _("Step of the safety algorithm"), NULL, FALSE);
  for (guint p = 0; p < state->n_processes; p++)
    {
      ptl_chart_add_lane (chart, state->names[p]);
      step[p] = -1;
    }
  /* Keys only for what is drawn: the first to finish never waits. */
  waiting = safety->n_finished > 1 ? ptl_chart_add_key (chart, _("Waiting for enough work"), TRUE) : 0;
  finishes = ptl_chart_add_key (chart, _("Finishes and releases"), FALSE);
  if (!safety->safe)
    stuck = ptl_chart_add_key (chart, _("Cannot finish"), FALSE);
  for (guint k = 0; k < safety->n_finished; k++)
    step[safety->order[k]] = (int) k;

  for (guint p = 0; p < state->n_processes; p++)
    {
      if (step[p] < 0)
        ptl_chart_add_slice (chart, p, stuck, 0, end);
      else
        {
          if (step[p] > 0)
            ptl_chart_add_slice (chart, p, waiting, 0, step[p]);
          ptl_chart_add_slice (chart, p, finishes, step[p], step[p] + 1);
        }
    }
  ptl_chart_set_x_range (chart, 0, MAX (end, 1));
}

/* The work vector before the first finish and after each. */
static void
add_work_chart (PtlResult              *result,
                const PtlBankersState  *state,
                const PtlBankersSafety *safety)
{
  g_autofree const char **names = resource_names (state->n_resources);
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  PtlChart *chart;
  guint m = state->n_resources;

  g_ptr_array_add (categories, g_strdup (_("Available")));
  for (guint k = 0; k < safety->n_finished; k++)
    g_ptr_array_add (categories, g_strdup_printf (_("After %s"), state->names[safety->order[k]]));
  g_ptr_array_add (categories, NULL);

  chart = ptl_result_add_chart (result, "work", PTL_CHART_BAR,
                                _("Work vector as processes finish and release"));
  ptl_chart_set_x_axis (chart, _("Step of the safety algorithm"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Units free"), NULL, FALSE);
  ptl_chart_set_categories (chart, (const char * const *) categories->pdata);
  for (guint r = 0; r < m; r++)
    {
      PtlSeries *series = ptl_chart_add_series (chart, names[r]);

      for (guint k = 0; k <= safety->n_finished; k++)
        ptl_series_add_point (series, k, safety->work[k * m + r]);
    }
}

static void
add_state_table (PtlResult              *result,
                 const PtlBankersState  *state,
                 const PtlBankersSafety *safety)
{
  PtlTable *table = ptl_result_get_summary (result);
  guint m = state->n_resources;
  int step[PTL_BANKERS_MAX_PROCESSES];

  ptl_table_add_column_with_id (table, "process", _("Process"), NULL);
  ptl_table_add_column_with_id (table, "maximum", _("Maximum"), NULL);
  ptl_table_add_column_with_id (table, "allocation", _("Allocation"), NULL);
  ptl_table_add_column_with_id (table, "need", _("Need"), NULL);
  ptl_table_add_column_with_id (table, "finishes", _("Finishes"), NULL);

  for (guint p = 0; p < state->n_processes; p++)
    step[p] = -1;
  for (guint k = 0; k < safety->n_finished; k++)
    step[safety->order[k]] = (int) k;

  for (guint p = 0; p < state->n_processes; p++)
    {
      guint row = ptl_table_add_row (table);
      gint64 need[PTL_BANKERS_MAX_RESOURCES];
      g_autofree char *maximum = format_vector (&state->maximum[p * m], m);
      g_autofree char *allocation = format_vector (&state->allocation[p * m], m);
      g_autofree char *need_text = NULL;

      for (guint r = 0; r < m; r++)
        need[r] = ptl_bankers_state_get_need (state, p, r);
      need_text = format_vector (need, m);
      ptl_table_set_text (table, row, 0, state->names[p]);
      ptl_table_set_text (table, row, 1, maximum);
      ptl_table_set_text (table, row, 2, allocation);
      ptl_table_set_text (table, row, 3, need_text);
      if (step[p] >= 0)
        ptl_table_set_number (table, row, 4, step[p] + 1);
      else
        ptl_table_set_text (table, row, 4, _("Cannot finish"));
    }
}

/* Makes the requests in order on @state; one table row each and one
 * slice in the requester's lane, coloured by the outcome. */
static void
run_requests (PtlResult       *result,
              PtlBankersState *state,
              GArray          *requests)
{
  PtlTable *table = ptl_result_get_summary (result);
  PtlChart *chart;
  static const char * const key_names[PTL_BANKERS_UNSAFE + 1] = {
    [PTL_BANKERS_GRANTED] = N_("Granted"),
    [PTL_BANKERS_EXCEEDS_NEED] = N_("Error: exceeds need"),
    [PTL_BANKERS_EXCEEDS_AVAILABLE] = N_("Waits: not available"),
    [PTL_BANKERS_UNSAFE] = N_("Waits: would be unsafe"),
  };
  guint keys[PTL_BANKERS_UNSAFE + 1];
  guint counts[PTL_BANKERS_UNSAFE + 1] = { 0 };

  ptl_table_add_column_with_id (table, "request", _("Request"), NULL);
  ptl_table_add_column_with_id (table, "outcome", _("Outcome"), NULL);
  ptl_table_add_column_with_id (table, "available after", _("Available after"), NULL);
  ptl_table_add_column_with_id (table, "safe sequence", _("Safe sequence"), NULL);

  chart = ptl_result_add_chart (result, "requests", PTL_CHART_TIMELINE, _("Requests, in order, and their outcomes"));
  ptl_chart_set_x_axis (chart, _("Request"), NULL, FALSE);
  for (guint p = 0; p < state->n_processes; p++)
    ptl_chart_add_lane (chart, state->names[p]);

  for (guint k = 0; k < requests->len; k++)
    {
      const PtlBankersRequest *request = &g_array_index (requests, PtlBankersRequest, k);
      g_autofree char *described = ptl_bankers_request_describe (state, request);
      g_autofree char *label = g_strdup_printf ("%u. %s", k + 1, described);
      g_autofree char *available = NULL;
      PtlBankersSafety safety;
      PtlBankersOutcome outcome;
      guint row;

      outcome = ptl_bankers_request (state, request, &safety);
      /* A key for each outcome that occurs, in the order they first do. */
      if (counts[outcome]++ == 0)
        keys[outcome] = ptl_chart_add_key (chart, _(key_names[outcome]), FALSE);
      available = format_vector (state->available, state->n_resources);
      row = ptl_table_add_row (table);
      ptl_table_set_text (table, row, 0, label);
      ptl_table_set_text (table, row, 1, ptl_bankers_outcome_describe (outcome));
      ptl_table_set_text (table, row, 2, available);
      if (outcome == PTL_BANKERS_GRANTED)
        {
          g_autofree char *order = format_order (state, &safety);

          ptl_table_set_text (table, row, 3, order);
        }
      else
        ptl_table_set_text (table, row, 3, outcome == PTL_BANKERS_UNSAFE ? _("none") : "");
      ptl_chart_add_slice (chart, request->process, keys[outcome], k, k + 1);
    }
  ptl_chart_set_x_range (chart, 0, requests->len);

  ptl_result_add_note (result, _("Requests: %u granted, %u waiting for resources, %u waiting because "
                                 "granting would be unsafe, %u refused as errors."),
                       counts[PTL_BANKERS_GRANTED], counts[PTL_BANKERS_EXCEEDS_AVAILABLE],
                       counts[PTL_BANKERS_UNSAFE], counts[PTL_BANKERS_EXCEEDS_NEED]);
}

static void
add_state_notes (PtlBankersExperiment   *self,
                 PtlResult              *result,
                 const PtlBankersState  *state,
                 const PtlBankersSafety *safety)
{
  g_autofree char *available = format_vector (state->available, state->n_resources);
  g_autofree char *order = format_order (state, safety);
  g_autofree const char **names = resource_names (state->n_resources);
  g_autofree char *resources = g_strjoinv (" ", (char **) names);

  if (g_str_equal (self->state, GENERATOR_NAME))
    ptl_result_add_note (result, _("State: generated, %u processes, %u resource types, seed %u."),
                         state->n_processes, state->n_resources, self->seed);
  else if (g_strv_contains (ptl_bankers_list_examples (), self->state))
    ptl_result_add_note (result, _("State: the “%s” example."), self->state);
  else
    {
      g_autofree char *display = g_filename_display_name (self->state);

      ptl_result_add_note (result, _("State: %s."), display);
    }
  ptl_result_add_note (result, _("Resources %s; available %s."), resources, available);
  if (safety->safe)
    ptl_result_add_note (result, _("The state is safe: safe sequence %s."), order);
  else if (safety->n_finished > 0)
    ptl_result_add_note (result, _("The state is unsafe: after %s no other process can get its whole need."),
                         order);
  else
    ptl_result_add_note (result, _("The state is unsafe: no process can get its whole need."));
  ptl_result_add_note (result, _("The safety check scans the processes in index order and lets each that "
                                 "can finish do so when reached, going on with the next and wrapping "
                                 "round, as the textbooks' worked examples do."));
}

static gboolean
ptl_bankers_experiment_validate (PtlExperiment  *experiment,
                                 GError        **error)
{
  g_auto(Setup) setup = { 0 };

  return resolve (PTL_BANKERS_EXPERIMENT (experiment), &setup, error);
}

static gboolean
ptl_bankers_experiment_run (PtlExperiment  *experiment,
                            PtlRun         *run,
                            GError        **error)
{
  PtlBankersExperiment *self = PTL_BANKERS_EXPERIMENT (experiment);
  PtlResult *result = ptl_run_get_result (run);
  g_auto(Setup) setup = { 0 };
  PtlBankersSafety safety;

  if (!resolve (self, &setup, error) || ptl_run_set_error_if_cancelled (run, error))
    return FALSE;

  ptl_run_progress (run, 0, _("Checking the state"));
  ptl_bankers_check_safety (setup.state, &safety);
  add_safety_chart (result, setup.state, &safety);
  add_work_chart (result, setup.state, &safety);
  add_state_notes (self, result, setup.state, &safety);

  /* The summary holds the requests when there are any, else the state;
   * the state's figures are in the charts and notes either way. */
  if (setup.requests->len > 0)
    run_requests (result, setup.state, setup.requests);
  else
    add_state_table (result, setup.state, &safety);

  ptl_run_progress (run, 1, _("Checked the state and %u requests"), setup.requests->len);
  return TRUE;
}

static void
ptl_bankers_experiment_finalize (GObject *object)
{
  PtlBankersExperiment *self = PTL_BANKERS_EXPERIMENT (object);

  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->requests, g_free);

  G_OBJECT_CLASS (ptl_bankers_experiment_parent_class)->finalize (object);
}

static void
ptl_bankers_experiment_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PtlBankersExperiment *self = PTL_BANKERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_REQUESTS:
      g_value_set_string (value, self->requests);
      break;
    case PROP_PROCESSES:
      g_value_set_uint (value, self->processes);
      break;
    case PROP_RESOURCES:
      g_value_set_uint (value, self->resources);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_bankers_experiment_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PtlBankersExperiment *self = PTL_BANKERS_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      ptl_param_store_string (object, &self->state, value, pspec);
      break;
    case PROP_REQUESTS:
      ptl_param_store_string (object, &self->requests, value, pspec);
      break;
    case PROP_PROCESSES:
      ptl_param_store_uint (object, &self->processes, value, pspec);
      break;
    case PROP_RESOURCES:
      ptl_param_store_uint (object, &self->resources, value, pspec);
      break;
    case PROP_SEED:
      ptl_param_store_uint (object, &self->seed, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_bankers_experiment_class_init (PtlBankersExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "safety", N_("Safety algorithm: when each process can finish") },
    { "work", N_("Work vector as processes finish and release") },
    { "requests", N_("Requests, in order, and their outcomes") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ptl_bankers_experiment_finalize;
  object_class->get_property = ptl_bankers_experiment_get_property;
  object_class->set_property = ptl_bankers_experiment_set_property;

  experiment_class->id = "bankers";
  experiment_class->title = N_("The banker's algorithm");
  experiment_class->category = N_("Synchronization");
  experiment_class->summary =
    N_("Dijkstra's banker's algorithm on a resource-allocation state from the textbooks, a file or "
       "a generator: the need matrix, whether the state is safe and in which order the processes "
       "can finish, and a sequence of requests each granted or refused with the reason.");
  experiment_class->explanation =
    N_("Processes hold some units of each resource type and have declared, up front, the most of "
       "each they will ever hold (their maximum claim). What a process may still ask for is its "
       "need: maximum minus what it holds. The banker, like a cautious lender, grants a request "
       "only if it can still see a way for everyone to finish.\n\n"
       "Safe. A state is safe when there is an order of the processes (a safe sequence) in which "
       "each can get its whole need from what is free plus what the processes before it give back "
       "when they finish. The safety algorithm looks for one: it starts with work = available, "
       "finds a process whose need fits in work, lets it finish and adds what it held to work, "
       "and repeats. Here it scans the processes in index order and lets each that fits finish as "
       "soon as it is reached, going on with the next one and wrapping round: this is how the "
       "textbooks work their examples, and it gives Silberschatz's <P1, P3, P4, P0, P2>. Other "
       "scan orders give other safe sequences; any one proves the state safe. The safety chart "
       "has a lane per process (waiting until work is enough, then finishing and releasing), the "
       "work chart how work grows at each step.\n\n"
       "Requests. A request is refused as an error when it asks for more than the process's "
       "declared need; it must wait when it asks for more than is available; and it must also "
       "wait when granting it would leave the state unsafe, even though the units are there. "
       "Otherwise it is granted and the state changes. The requests chart shows each in order in "
       "its process's lane, coloured by the outcome.\n\n"
       "Unsafe is not deadlock. In an unsafe state no process is stuck yet: processes may release "
       "units early or never ask for their whole claim, and then all finish. Unsafe means only "
       "that the banker can no longer guarantee it: if every process does ask for its whole need, "
       "some will wait for each other for ever. The banker avoids deadlock by never leaving the "
       "safe states, at the price of sometimes making a process wait when it could have gone "
       "on.\n\n"
       "Why real systems rarely use it. It needs every process to declare its maximum claim in "
       "advance, a fixed number of processes and of resource units, and a safety check (n² × m "
       "steps) on every request. Operating systems know none of these for ordinary programs, so "
       "they prevent deadlock by design instead (a global lock order, timeouts, try-locks), or "
       "detect it and recover, or leave it to the programmer. The banker's idea lives on where "
       "claims are known: admission control, some database and real-time schedulers.\n\n"
       "Input. A state file is CSV (a line “available,3,3,2”, then a line per process: its name, "
       "its maximum claim of each resource, then what it holds of each) or JSON "
       "({\"available\": […], \"processes\": [{\"name\": …, \"max\": […], \"allocation\": […]}]}); "
       "at most 64 processes and 16 resource types, values up to 10⁹. Requests are written "
       "“P1:1,0,2; P4:3,3,0”.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "finishes", PTL_HEADLINE_MAX);
  experiment_class->table_input = &ptl_bankers_table_spec;

  experiment_class->validate = ptl_bankers_experiment_validate;
  experiment_class->run = ptl_bankers_experiment_run;

  properties[PROP_STATE] =
    g_param_spec_string ("state", N_("State"),
                         N_("A textbook example (silberschatz, tanenbaum, single, unsafe), random for "
                            "a generated state, or the path of a CSV or JSON state file"),
                         DEFAULT_STATE, flags);
  properties[PROP_REQUESTS] =
    g_param_spec_string ("requests", N_("Requests"),
                         N_("Requests made in order, such as “P1:1,0,2; P4:3,3,0” (a process, then one "
                            "amount per resource); example for the ones the example's book makes (random "
                            "ones for a generated state, none for a file); empty for none"),
                         EXAMPLE_REQUESTS, flags);
  properties[PROP_PROCESSES] =
    g_param_spec_uint ("processes", N_("Processes"),
                       N_("How many processes the generator makes (state random)"),
                       1, PTL_BANKERS_MAX_PROCESSES, 5, flags);
  ptl_param_set_unit (properties[PROP_PROCESSES], N_("processes"));
  properties[PROP_RESOURCES] =
    g_param_spec_uint ("resources", N_("Resource types"),
                       N_("How many resource types the generator makes (state random)"),
                       1, PTL_BANKERS_MAX_RESOURCES, 3, flags);
  ptl_param_set_unit (properties[PROP_RESOURCES], N_("types"));
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", N_("Seed"),
                       N_("The generator's random seed: the same seed always gives the same state"),
                       0, G_MAXUINT32, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_bankers_experiment_init (PtlBankersExperiment *self)
{
  self->state = g_strdup (DEFAULT_STATE);
  self->requests = g_strdup (EXAMPLE_REQUESTS);
  self->processes = 5;
  self->resources = 3;
  self->seed = 1;
}
