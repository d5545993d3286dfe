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

/* Writes one file of a snapshot, whole and synced, or fails with @error. */
typedef gboolean (*DqmSnapshotFileFunc) (const char  *path,
                                         const char  *data,
                                         gsize        length,
                                         gpointer     user_data,
                                         GError     **error);

/* How a snapshot is put on disk. @write_file is a seam for tests (a disk
 * that fills part-way); NULL is dqm_snapshot_write_file. */
typedef struct {
  DqmSnapshotRenderFunc render;     /* plots/; NULL: none */
  DqmSnapshotFileFunc   write_file;
  gpointer              user_data;
} DqmSnapshotWriter;

/* @label: NULL for the run's end, else appended ("spill-0004"); @writer:
 * NULL for no plots and the real disk. Returns the directory written, or
 * NULL with @error (nothing is left behind then). */
char    *dqm_snapshot_write          (const DqmState          *state,
                                      const char              *dir,
                                      const char              *label,
                                      const DqmSnapshotWriter *writer,
                                      GError                 **error);
/* The real file writer: create (never replace), write, fsync. */
gboolean dqm_snapshot_write_file     (const char              *path,
                                      const char              *data,
                                      gsize                    length,
                                      gpointer                 unused,
                                      GError                 **error);
/* The summary.json text alone. */
char    *dqm_snapshot_summary_json   (const DqmState          *state);

G_END_DECLS
