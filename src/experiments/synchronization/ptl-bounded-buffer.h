/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"
#include "ptl-thread-recorder.h"

G_BEGIN_DECLS

/* A bounded buffer of @capacity items shared by producer and consumer
 * threads, guarded one of three ways, recording on the callers' tracks:
 *
 * - a mutex and two condition variables ("not full", "not empty") over
 *   a ring of slots;
 * - two counting semaphores (free slots, items) and a mutex over the ring;
 * - GAsyncQueue, which has no bound of its own: a second GAsyncQueue
 *   holds one token per free slot, a producer takes a token before it
 *   pushes and a consumer gives one back after it pops.
 *
 * Every blocking wait is timed in slices of PTL_BOUNDED_BUFFER_SLICE_MS
 * and gives up when *stop is raised, so a cancelled run never leaves a
 * thread waiting for an item that will not come.
 *
 * The buffer checks itself as it goes: the occupancy (items put minus
 * items taken, counted where the guard is held) must stay within
 * [0, capacity], and a ring slot must be empty when filled and full when
 * emptied. Each change of occupancy is kept with its time. */

#define PTL_BOUNDED_BUFFER_SLICE_MS 20

typedef enum
{
  PTL_BUFFER_CONDITION,  /* mutex + two condition variables */
  PTL_BUFFER_SEMAPHORES, /* two counting semaphores + mutex */
  PTL_BUFFER_ASYNC_QUEUE,/* GAsyncQueue bounded by a queue of slot tokens */
  PTL_BUFFER_N_GUARDS
} PtlBufferGuard;

/* One change of occupancy. */
typedef struct
{
  gint64 ticks; /* ptl_thread_ticks () */
  gint   occupancy;
} PtlBufferSample;

typedef struct _PtlBoundedBuffer PtlBoundedBuffer;

/* @stop is polled by every wait; @recorder names the buffer's objects.
 * @expected_changes sizes the occupancy trace (it grows beyond). */
PtlBoundedBuffer *ptl_bounded_buffer_new      (PtlBufferGuard      guard,
                                               guint               capacity,
                                               PtlThreadRecorder  *recorder,
                                               const gint         *stop,
                                               gsize               expected_changes,
                                               GError            **error);
void              ptl_bounded_buffer_free     (PtlBoundedBuffer   *self);

/* Puts @item (not 0), waiting while the buffer is full; @wait_ticks gets
 * the time from asking to having a free slot. FALSE when *stop was
 * raised first (nothing was put). */
gboolean          ptl_bounded_buffer_put      (PtlBoundedBuffer   *self,
                                               PtlThreadTrack     *track,
                                               guint64             item,
                                               gint64             *wait_ticks);
/* Takes the oldest item, waiting while the buffer is empty. FALSE when
 * *stop was raised or the buffer was closed while empty. */
gboolean          ptl_bounded_buffer_take     (PtlBoundedBuffer   *self,
                                               PtlThreadTrack     *track,
                                               guint64            *item,
                                               gint64             *wait_ticks);
/* No item will come any more: consumers waiting for one give up. */
void              ptl_bounded_buffer_close    (PtlBoundedBuffer   *self);

/* Once every thread has stopped: the trace of occupancy changes, oldest
 * first, and how many times a check failed. */
const PtlBufferSample *ptl_bounded_buffer_get_trace (PtlBoundedBuffer *self,
                                                     gsize            *n_samples);
guint64           ptl_bounded_buffer_get_n_violations (PtlBoundedBuffer *self);
gint              ptl_bounded_buffer_get_min_occupancy (PtlBoundedBuffer *self);
gint              ptl_bounded_buffer_get_max_occupancy (PtlBoundedBuffer *self);

G_END_DECLS
