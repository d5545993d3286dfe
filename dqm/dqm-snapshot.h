/* Per-run DQM snapshots: DIR/run-NNNNNN/ with histograms.json (a ROOT TList
 * in TBufferJSON layout), summary.json and PNG and SVG pictures of the
 * standard plots. Written in a hidden directory and renamed into place, so
 * a reader never sees half a snapshot; an existing one is never replaced. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

/* @label: NULL for the run's end, else appended ("spill-0004"). Returns the
 * directory written, or NULL with @error (nothing is left behind then). */
char    *dqm_snapshot_write          (const DqmState  *state,
                                      const char      *dir,
                                      const char      *label,
                                      GError         **error);
/* The summary.json text alone. */
char    *dqm_snapshot_summary_json   (const DqmState  *state);
/* Tests: make every file write fail as on a full disk. */
void     dqm_snapshot_simulate_full_disk (gboolean     full);

G_END_DECLS
