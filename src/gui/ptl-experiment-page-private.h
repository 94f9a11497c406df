/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-experiment-page.h"
#include "ptl-param-form.h"

G_BEGIN_DECLS

/* What the report's file chooser does with the PDF the user accepted
 * (see ptl_export_chooser_decide_path ()): writes the report, then says
 * so in a toast or shows the error. The tests drive it, as a file
 * chooser cannot be clicked headless. */
void          _ptl_experiment_page_export_report_chosen (PtlExperimentPage *self,
                                                         GFile             *file,
                                                         const char        *suffix,
                                                         gboolean           filter_changed);
PtlParamForm *_ptl_experiment_page_get_form       (PtlExperimentPage  *self);
GtkGrid      *_ptl_experiment_page_get_summary    (PtlExperimentPage  *self);
GtkFlowBox   *_ptl_experiment_page_get_charts     (PtlExperimentPage  *self);

G_END_DECLS
