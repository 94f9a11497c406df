/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ptl-step-engine.h"

G_BEGIN_DECLS

#define PTL_TYPE_STEP_WINDOW (ptl_step_window_get_type ())
G_DECLARE_FINAL_TYPE (PtlStepWindow, ptl_step_window, PTL, STEP_WINDOW, AdwWindow)

/* Step mode, "you are the scheduler": the threads of a ready scenario
 * (ptl-step-engine.h) side by side, stepped one at a time by the user
 * (buttons, or the keys 1, 2, 3), with undo, reset and a hint that plays
 * an order of steps that breaks the scenario. */
PtlStepWindow       *ptl_step_window_new              (void);
/* FALSE (and nothing changes) for an unknown id. */
gboolean             ptl_step_window_set_scenario     (PtlStepWindow *self,
                                                       const char    *id);
const char          *ptl_step_window_get_scenario     (PtlStepWindow *self);
/* Borrowed: the run shown. */
const PtlStepEngine *ptl_step_window_get_engine       (PtlStepWindow *self);
/* Whether the hint is being played, one step at a time. */
gboolean             ptl_step_window_get_playing      (PtlStepWindow *self);
/* What the window says about the run: the verdict, a refused step or
 * what to do next. */
const char          *ptl_step_window_get_announcement (PtlStepWindow *self);

G_END_DECLS
