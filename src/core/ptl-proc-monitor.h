/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ptl-types.h"
#include "ptl-result.h"

G_BEGIN_DECLS

#define PTL_PROC_MONITOR_MIN_INTERVAL_MS     10
#define PTL_PROC_MONITOR_MAX_INTERVAL_MS     2000
#define PTL_PROC_MONITOR_DEFAULT_INTERVAL_MS 100

typedef enum
{
  PTL_PROC_KIND_THREAD,  /* a thread of the lab itself */
  PTL_PROC_KIND_PROCESS, /* the lab, or any process descending from it */
} PtlProcKind;

/* One observation of one entity. @cpu is the percentage of one core used
 * since the previous sample (NAN on the first sample of the monitor,
 * which has no interval behind it); @rss is in bytes (NAN for threads,
 * which share their process's memory). */
typedef struct
{
  double t;   /* seconds since ptl_proc_monitor_start () */
  double cpu;
  double rss;
} PtlProcSample;

/* A thread or process the monitor has seen; owned by the monitor and
 * valid until it is started again or finalized. */
typedef struct _PtlProcEntity PtlProcEntity;

#define PTL_TYPE_PROC_MONITOR (ptl_proc_monitor_get_type ())
G_DECLARE_FINAL_TYPE (PtlProcMonitor, ptl_proc_monitor, PTL, PROC_MONITOR, GObject)

/* Samples the threads of this process and every process descending from
 * it from /proc, on a timeout in the thread-default main context of the
 * caller of ptl_proc_monitor_start (); emits "sampled" after each sample. */
PtlProcMonitor      *ptl_proc_monitor_new            (guint           interval_ms);
guint                ptl_proc_monitor_get_interval   (PtlProcMonitor *self);
/* Takes effect at once when running; clamped to the MIN/MAX above. */
void                 ptl_proc_monitor_set_interval   (PtlProcMonitor *self,
                                                      guint           interval_ms);
/* Forgets earlier samples, takes the first sample now and starts the
 * timeout. Fails when /proc cannot be read. */
gboolean             ptl_proc_monitor_start          (PtlProcMonitor *self,
                                                      GError        **error);
/* Takes a last sample (so a run shorter than the interval still has one)
 * and removes the timeout. Samples stay readable. */
void                 ptl_proc_monitor_stop           (PtlProcMonitor *self);
gboolean             ptl_proc_monitor_get_running    (PtlProcMonitor *self);
guint                ptl_proc_monitor_get_n_samples  (PtlProcMonitor *self);
/* Seconds from the start to the latest sample. */
double               ptl_proc_monitor_get_elapsed    (PtlProcMonitor *self);
/* CPU time the sampling itself took, in nanoseconds. */
gint64               ptl_proc_monitor_get_cost_ns    (PtlProcMonitor *self);

/* Every entity seen since the start, in the order first seen (the lab
 * process first); gone ones included. */
guint                ptl_proc_monitor_get_n_entities (PtlProcMonitor *self);
const PtlProcEntity *ptl_proc_monitor_get_entity     (PtlProcMonitor *self,
                                                      guint           index);

/* The ids of the charts ptl_proc_monitor_add_to_result () adds. */
#define PTL_PROC_MONITOR_CPU_CHART "monitor-cpu"
#define PTL_PROC_MONITOR_RSS_CHART "monitor-rss"

/* Adds two line charts to @result: "monitor-cpu" (CPU % by time) and
 * "monitor-rss" (resident memory by time), one series per entity, the
 * busiest few only, and a note saying how many entities were seen and
 * what the sampling cost. Does nothing before the first sample. */
void                 ptl_proc_monitor_add_to_result  (PtlProcMonitor *self,
                                                      PtlResult      *result);

PtlProcKind          ptl_proc_entity_get_kind        (const PtlProcEntity *entity);
/* The TID of a thread, the PID of a process. */
int                  ptl_proc_entity_get_id          (const PtlProcEntity *entity);
/* The kernel's name for it (comm), at most 15 bytes. */
const char          *ptl_proc_entity_get_name        (const PtlProcEntity *entity);
/* "name (TID 123)" or "name (PID 123)": unique within a monitor. */
char                *ptl_proc_entity_dup_label       (const PtlProcEntity *entity);
/* The state letter of the latest sample (R, S, D, Z, T, …). */
char                 ptl_proc_entity_get_state       (const PtlProcEntity *entity);
/* TRUE for the lab's own process. */
gboolean             ptl_proc_entity_get_is_self     (const PtlProcEntity *entity);
/* Whether it was present in the latest sample. */
gboolean             ptl_proc_entity_get_alive       (const PtlProcEntity *entity);
double               ptl_proc_entity_get_first_seen  (const PtlProcEntity *entity);
double               ptl_proc_entity_get_last_seen   (const PtlProcEntity *entity);
/* CPU seconds used while watched, and the largest RSS seen (NAN for
 * threads). */
double               ptl_proc_entity_get_cpu_seconds (const PtlProcEntity *entity);
double               ptl_proc_entity_get_peak_rss    (const PtlProcEntity *entity);
const PtlProcSample *ptl_proc_entity_get_samples     (const PtlProcEntity *entity,
                                                      guint               *n_samples);
/* The latest sample, or NULL before the first. */
const PtlProcSample *ptl_proc_entity_get_last_sample (const PtlProcEntity *entity);

G_END_DECLS
