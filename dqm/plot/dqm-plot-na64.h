/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the NA64 DQM state is drawn, for the screen and snapshots alike:
 * which overlays a histogram of the run gets, and the snapshot's pictures. */
#pragma once

#include <glib.h>

#include "dqm-plot.h"
#include "dqm-state.h"

G_BEGIN_DECLS

/* How @histogram is drawn from @state: its overlays (E0 diagonal, signal
 * box and candidates; the aimed cell; dead and hot cells into @cells, which
 * holds DQM_N_CHANNELS + 1), numbers in map cells, statistics box. The
 * style points into @state. */
void    dqm_plot_style_for_state  (const DqmState     *state,
                                   const DqmHistogram *histogram,
                                   gboolean            log_scale,
                                   guint              *cells,
                                   DqmPlotStyle       *style);
/* The reference to overlay on @histogram (the run scope's for a spill's
 * plot), or NULL: 1D spectra of the same binning only. */
const DqmHistogram *dqm_plot_reference_for  (const DqmState     *state,
                                             const DqmHistogram *histogram);
/* The short name of the reference @label describes: "run 1234". */
void    dqm_plot_reference_name   (const char         *label,
                                   char               *out,
                                   gsize               size);
/* What the wall screen's live page shows, in rows of DQM_WALL_COLUMNS. */
typedef struct {
  const char *histogram;
  gboolean    log_scale;
} DqmWallPlot;
#define DQM_N_WALL_PLOTS 9
#define DQM_WALL_COLUMNS 3
extern const DqmWallPlot dqm_wall_plots[DQM_N_WALL_PLOTS];
/* Those plots of @state in their grid, @width × @height, as "png" or
 * "pdf": the view of a monitor that has no screen (an e-log entry). */
GBytes *dqm_plot_render_wall      (const DqmState     *state,
                                   const char         *format,
                                   int                 width,
                                   int                 height,
                                   GError            **error);
/* A DqmSnapshotRenderFunc: the histogram @name of @state as @format
 * ("png" or "svg"), 800 × 600, drawn as on the screen. */
GBytes *dqm_plot_render_snapshot  (const DqmState     *state,
                                   const char         *name,
                                   gboolean            log_scale,
                                   const char         *format,
                                   GError            **error);

G_END_DECLS
