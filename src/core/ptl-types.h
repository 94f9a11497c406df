/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _PtlExperiment PtlExperiment;
typedef struct _PtlResult PtlResult;
typedef struct _PtlRun PtlRun;
typedef struct _PtlSeries PtlSeries;
typedef struct _PtlChart PtlChart;
typedef struct _PtlTable PtlTable;

#define PTL_ERROR (ptl_error_quark ())

typedef enum
{
  PTL_ERROR_FAILED,             /* the run itself failed (a syscall, a child) */
  PTL_ERROR_UNKNOWN_EXPERIMENT, /* no experiment with that id */
  PTL_ERROR_INVALID_PARAMETER,  /* unknown name, wrong type, out of range */
  PTL_ERROR_INVALID_FILE,       /* a malformed result, workload or other input file */
  PTL_ERROR_UNSUPPORTED_FORMAT, /* an export extension we do not write */
  PTL_ERROR_LIMIT,              /* a process/thread/memory limit was hit */
  PTL_ERROR_NOT_PERMITTED,      /* the system refused (e.g. SCHED_FIFO without CAP_SYS_NICE) */
} PtlError;

GQuark ptl_error_quark (void);

/* How a chart draws its series. */
typedef enum
{
  PTL_CHART_LINE,     /* numeric x, one polyline per series */
  PTL_CHART_BAR,      /* categorical x (the chart's categories), grouped bars per series */
  PTL_CHART_TIMELINE, /* lanes of slices on a time axis (Gantt); no series */
  PTL_CHART_GRAPH,    /* nodes and arrows (ptl-chart-graph.h); no series */
  PTL_CHART_SCATTER,  /* numeric x, a dot per point, no lines */
} PtlChartKind;

G_END_DECLS
