/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-run DQM snapshots: DIR/run-NNNNNN/ with histograms.json (a ROOT TList
 * in TBufferJSON layout), summary.json and PNG and SVG pictures of the
 * standard plots. Written in a hidden directory and renamed into place, so
 * a reader never sees half a snapshot; an existing one is never replaced. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

/* Draws the histogram @name of @state as a @format ("png", "svg") picture.
 * The monitor layer draws nothing itself: the plot layer's
 * dqm_plot_render_snapshot is the one the programs pass. */
typedef GBytes *(*DqmSnapshotRenderFunc) (const DqmState *state,
                                          const char     *name,
                                          gboolean        log_scale,
                                          const char     *format,
                                          GError        **error);

/* @label: NULL for the run's end, else appended ("spill-0004"); @render:
 * NULL for no plots/. Returns the directory written, or NULL with @error
 * (nothing is left behind then). */
char    *dqm_snapshot_write          (const DqmState        *state,
                                      const char            *dir,
                                      const char            *label,
                                      DqmSnapshotRenderFunc  render,
                                      GError               **error);
/* The summary.json text alone. */
char    *dqm_snapshot_summary_json   (const DqmState  *state);
/* Tests: make every file write fail as on a full disk. */
void     dqm_snapshot_simulate_full_disk (gboolean     full);

G_END_DECLS
