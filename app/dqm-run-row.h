/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmRunRow: one run of the registry as a row of the Runs page's table. */
#pragma once

#include <glib-object.h>

#include "dqm-registry-rows.h"

G_BEGIN_DECLS

#define DQM_TYPE_RUN_ROW (dqm_run_row_get_type ())
G_DECLARE_FINAL_TYPE (DqmRunRow, dqm_run_row, DQM, RUN_ROW, GObject)

DqmRunRow            *dqm_run_row_new (const DqmRegistryRun *run);
const DqmRegistryRun *dqm_run_row_get (DqmRunRow            *row);

G_END_DECLS
