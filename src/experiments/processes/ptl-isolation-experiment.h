/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* How the victim of the "isolation" experiment crashes. */
typedef enum
{
  PTL_ISOLATION_CRASH_SEGFAULT,  /* writes through a null pointer: SIGSEGV */
  PTL_ISOLATION_CRASH_ABORT,     /* abort (): SIGABRT */
  PTL_ISOLATION_CRASH_EXIT_CODE, /* exit (3) */
  PTL_ISOLATION_CRASH_NONE,      /* no crash: the control case */
} PtlIsolationCrash;

#define PTL_TYPE_ISOLATION_CRASH (ptl_isolation_crash_get_type ())
GType ptl_isolation_crash_get_type (void);

#define PTL_TYPE_ISOLATION_EXPERIMENT (ptl_isolation_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlIsolationExperiment, ptl_isolation_experiment, PTL, ISOLATION_EXPERIMENT, PtlExperiment)

G_END_DECLS
