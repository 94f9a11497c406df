/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What each task of an experiment does, for experiments that offer the
 * choice ("models", "thread-pool"); the nicks are the parameter values. */
typedef enum
{
  PTL_WORKLOAD_CPU,   /* arithmetic only */
  PTL_WORKLOAD_IO,    /* a wait only */
  PTL_WORKLOAD_MIXED, /* arithmetic, then a wait */
} PtlWorkload;

#define PTL_TYPE_WORKLOAD (ptl_workload_get_type ())
GType ptl_workload_get_type (void);

/* What a parameter form shows for each value (untranslated, N_()), for
 * ptl_param_set_choice_labels (). */
extern const char * const ptl_workload_labels[];

G_END_DECLS
