/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-core.h"

G_BEGIN_DECLS

#define PTL_TYPE_PARAM_FORM (ptl_param_form_get_type ())
G_DECLARE_FINAL_TYPE (PtlParamForm, ptl_param_form, PTL, PARAM_FORM, AdwBin)

GtkWidget     *ptl_param_form_new            (void);
/* Builds one row per parameter of @experiment, after restoring the values
 * last used with it from the settings. Every edit goes through
 * ptl_experiment_set_param (); accepted values are saved again. */
void           ptl_param_form_set_experiment (PtlParamForm  *self,
                                              PtlExperiment *experiment);
PtlExperiment *ptl_param_form_get_experiment (PtlParamForm  *self);
/* FALSE while a row holds refused input or the experiment's cross-checks
 * fail: the experiment must not run then. */
gboolean       ptl_param_form_get_valid      (PtlParamForm  *self);
void           ptl_param_form_reset          (PtlParamForm  *self);

G_END_DECLS
