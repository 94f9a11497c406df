/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* Every experiment type the lab knows, in display order. */
const GType   *ptl_registry_list_types (guint       *n_types);
/* 0 when no experiment has @id. */
GType          ptl_registry_lookup     (const char  *id);
PtlExperiment *ptl_registry_create     (const char  *id,
                                        GError     **error);

G_END_DECLS
