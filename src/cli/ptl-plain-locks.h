/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* The reference for `ptlab bench threads`: the most plain C loop over one
 * uncontended primitive, written apart from the lab's own measuring code
 * (no batches, no interleaving, no recorder), timed with the thread's CPU
 * clock around @iterations lock+unlock pairs. Nanoseconds per pair. */
double ptl_plain_lock_loop_ns (PtlSyncKind kind,
                               guint       iterations);

G_END_DECLS
