/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"
#include "ptl-thread-sync.h"

G_BEGIN_DECLS

/* Readers–writer locks that differ only in whom they let in first, made
 * of a mutex and a condition variable, beside GRWLock as it comes:
 *
 * - reader-preferring: a reader enters whenever no writer is inside, so a
 *   steady stream of overlapping readers keeps a writer out for good;
 * - writer-preferring: a reader also stays out while a writer waits;
 * - fair: every arrival takes a ticket and enters in ticket order;
 *   readers in a row share the lock, a writer waits only for those ahead.
 *
 * The three wait in slices of PTL_POLICY_RW_LOCK_SLICE_MS and give up
 * when *stop is raised; GRWLock waits as it does. Waits and holds are
 * recorded on the caller's track against the lock's object. */

#define PTL_POLICY_RW_LOCK_SLICE_MS 20

typedef enum
{
  PTL_RW_POLICY_READERS,
  PTL_RW_POLICY_WRITERS,
  PTL_RW_POLICY_FAIR,
  PTL_RW_POLICY_GRWLOCK,
  PTL_RW_POLICY_N_POLICIES
} PtlRwPolicy;

typedef struct
{
  PtlSyncObject   base;
  PtlRwPolicy     policy;
  const gint     *stop;

  pthread_mutex_t mutex;
  pthread_cond_t  cond;
  guint           n_readers;         /* inside */
  gboolean        writer;            /* inside */
  guint           n_waiting_writers;
  guint64         next_ticket;
  guint64         serving;

  GRWLock         grwlock;
} PtlPolicyRwLock;

void     ptl_policy_rw_lock_init    (PtlPolicyRwLock   *self,
                                     PtlRwPolicy        policy,
                                     PtlThreadRecorder *recorder,
                                     const char        *name,
                                     const gint        *stop);
void     ptl_policy_rw_lock_clear   (PtlPolicyRwLock   *self);
/* Takes the lock to read or to write. FALSE when *stop was raised while
 * waiting: the lock is not held. */
gboolean ptl_policy_rw_lock_acquire (PtlPolicyRwLock   *self,
                                     gboolean           write,
                                     PtlThreadTrack    *track,
                                     PtlHold           *hold);
void     ptl_policy_rw_lock_release (PtlPolicyRwLock   *self,
                                     gboolean           write,
                                     PtlThreadTrack    *track,
                                     const PtlHold     *hold);

G_END_DECLS
