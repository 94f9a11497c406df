/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PTL_TYPE_APPLICATION (ptl_application_get_type ())
G_DECLARE_FINAL_TYPE (PtlApplication, ptl_application, PTL, APPLICATION, AdwApplication)

PtlApplication *ptl_application_new (void);

G_END_DECLS
