/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-core.h"

G_BEGIN_DECLS

/* How a server handles its connections. */
typedef enum
{
  PTL_SERVER_MODEL_ITERATIVE, /* one connection at a time */
  PTL_SERVER_MODEL_FORK,      /* a child process per connection */
  PTL_SERVER_MODEL_THREAD,    /* a thread per connection */
  PTL_SERVER_MODEL_POOL,      /* a fixed pool of threads */
  PTL_SERVER_MODEL_EPOLL,     /* one event loop */
  PTL_SERVER_MODEL_REUSEPORT, /* one event loop per core, SO_REUSEPORT */
  PTL_SERVER_MODEL_ALL,
} PtlServerModel;

#define PTL_TYPE_SERVER_MODEL (ptl_server_model_get_type ())
GType ptl_server_model_get_type (void) G_GNUC_CONST;

#define PTL_TYPE_SERVERS_EXPERIMENT (ptl_servers_experiment_get_type ())
G_DECLARE_FINAL_TYPE (PtlServersExperiment, ptl_servers_experiment, PTL, SERVERS_EXPERIMENT, PtlExperiment)

G_END_DECLS
