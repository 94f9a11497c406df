/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ptl-types.h"
#include "ptl-clock.h"
#include "ptl-stats.h"
#include "ptl-file.h"
#include "ptl-json.h"
#include "ptl-result.h"
#include "ptl-run.h"
#include "ptl-experiment.h"
#include "ptl-machine.h"
#include "ptl-proc-monitor.h"
#include "ptl-thread-recorder.h"
#include "ptl-thread-sync.h"
#include "ptl-store.h"
#include "ptl-csv-reader.h"
#include "ptl-csv-import.h"
#include "ptl-compare.h"
