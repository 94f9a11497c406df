/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* Where the "creation" experiment creates processes from. */
typedef enum
{
  PTL_CREATION_FROM_HELPER, /* inside ptlab-helper, a process of about 1 MiB */
  PTL_CREATION_FROM_APP,    /* inside the lab itself, tens of MiB */
} PtlCreationFrom;

#define PTL_TYPE_CREATION_FROM (ptl_creation_from_get_type ())
GType ptl_creation_from_get_type (void);

/* Where the creating thread runs, and so where its children start. */
typedef enum
{
  PTL_CREATION_PLACEMENT_UNPINNED, /* wherever the kernel puts it */
  PTL_CREATION_PLACEMENT_SAME_CPU, /* pinned to one CPU, children and threads too */
} PtlCreationPlacement;

#define PTL_TYPE_CREATION_PLACEMENT (ptl_creation_placement_get_type ())
GType ptl_creation_placement_get_type (void);

#define PTL_TYPE_CREATION_EXPERIMENT (ptl_creation_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlCreationExperiment, ptl_creation_experiment, PTL, CREATION_EXPERIMENT, PtlExperiment)

G_END_DECLS
