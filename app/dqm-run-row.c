/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A registry row in a GObject, for GListStore. */
#include "dqm-run-row.h"

struct _DqmRunRow {
  GObject        parent_instance;
  DqmRegistryRun run;
};

G_DEFINE_FINAL_TYPE (DqmRunRow, dqm_run_row, G_TYPE_OBJECT)

static void
dqm_run_row_class_init (DqmRunRowClass *klass)
{
}

static void
dqm_run_row_init (DqmRunRow *self)
{
}

DqmRunRow *
dqm_run_row_new (const DqmRegistryRun *run)
{
  DqmRunRow *self = g_object_new (DQM_TYPE_RUN_ROW, NULL);

  self->run = *run;
  return self;
}

const DqmRegistryRun *
dqm_run_row_get (DqmRunRow *self)
{
  g_return_val_if_fail (DQM_IS_RUN_ROW (self), NULL);

  return &self->run;
}
