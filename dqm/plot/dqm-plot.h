/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Draws a histogram with Cairo and Pango: axes with round ticks, titles,
 * a statistics box, log scales, 2D maps with a colour bar and, for the
 * ECAL-vs-HCAL plot, the E0 diagonal and the signal box. No display needed:
 * snapshots use it for PNG/SVG, and the GTK widgets for the screen. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "dqm-histogram.h"

G_BEGIN_DECLS

typedef struct {
  gboolean log_scale;       /* y for 1D, colour for 2D */
  gboolean show_stats;
  gboolean show_values;     /* numbers in the cells of 2D maps, when they fit */
  double   font_scale;      /* 1 for documents; larger for a wall screen */
  gboolean dark;            /* light text on a dark background */
  /* ECAL vs HCAL overlays, drawn when beam_energy_gev > 0 */
  double   beam_energy_gev;
  double   box_ecal_max_gev, box_hcal_max_gev;
  /* A cell to outline (the aimed ECAL cell), when mark_cell */
  gboolean mark_cell;
  guint    mark_x, mark_y;
  /* Cells to outline in the alarm colour (bins, 1-based), x + 100·y; 0 ends */
  const guint *alarm_cells;
  /* Points to mark with rings (signal-box candidates on ECAL vs HCAL): the
   * i-th at marker_x[i·stride], marker_y[i·stride], stride in doubles, so
   * they can point into an array of records. */
  const double *marker_x, *marker_y;
  gsize        marker_stride;
  guint        n_markers;
  /* A 1D histogram's reference (same binning), drawn over it scaled to the
   * same integral, with what it is ("run 1234") in the corner. */
  const DqmHistogram *reference;
  char         reference_label[64];
} DqmPlotStyle;

typedef struct {
  double x0, y0, w, h; /* the data frame, in device units */
} DqmPlotFrame;

void     dqm_plot_style_init  (DqmPlotStyle       *style);
void     dqm_plot_draw        (cairo_t            *cr,
                               double              width,
                               double              height,
                               const DqmHistogram *histogram,
                               const DqmPlotStyle *style);
/* The bin (1-based) of a 2D map under the point (@x, @y) of a plot drawn
 * @width × @height; FALSE outside the data. */
gboolean dqm_plot_bin_at      (double              width,
                               double              height,
                               const DqmHistogram *histogram,
                               const DqmPlotStyle *style,
                               double              x,
                               double              y,
                               guint              *ix,
                               guint              *iy);
/* Background, title and axes of a chart of other things than histograms
 * (waveforms, tracks); @titles is "title;x axis;y axis". Fills @frame with
 * where the data go; FALSE when too small to draw. */
gboolean dqm_plot_draw_chart  (cairo_t            *cr,
                               double              width,
                               double              height,
                               const char         *titles,
                               double              xmin,
                               double              xmax,
                               double              ymin,
                               double              ymax,
                               const DqmPlotStyle *style,
                               DqmPlotFrame       *frame);
double   dqm_plot_frame_x     (const DqmPlotFrame *frame,
                               double              xmin,
                               double              xmax,
                               double              value);
double   dqm_plot_frame_y     (const DqmPlotFrame *frame,
                               double              ymin,
                               double              ymax,
                               double              value);
/* Pango markup in the plot's font, anchored at (ax, ay) ∈ [0, 1]². */
void     dqm_plot_text        (cairo_t            *cr,
                               const DqmPlotStyle *style,
                               double              size,
                               const char         *markup,
                               double              x,
                               double              y,
                               double              ax,
                               double              ay);
/* The viridis colour of @t in [0, 1]. */
void     dqm_plot_colormap    (double              t,
                               double             *r,
                               double             *g,
                               double             *b);
/* ROOT's TLatex-like titles ("E_{ECAL}", "#chi^{2}") as Pango markup. */
char    *dqm_plot_markup      (const char         *root_text);
gboolean dqm_plot_write_png   (const DqmHistogram *histogram,
                               const DqmPlotStyle *style,
                               const char         *path,
                               int                 width,
                               int                 height,
                               GError            **error);
gboolean dqm_plot_write_pdf   (const DqmHistogram *histogram,
                               const DqmPlotStyle *style,
                               const char         *path,
                               int                 width,
                               int                 height,
                               GError            **error);
/* By the file name's extension: .png, .svg or .pdf. */
gboolean dqm_plot_write_file  (const DqmHistogram *histogram,
                               const DqmPlotStyle *style,
                               const char         *path,
                               int                 width,
                               int                 height,
                               GError            **error);
/* The picture in memory: @format "png" or "svg". */
GBytes  *dqm_plot_render      (const DqmHistogram *histogram,
                               const DqmPlotStyle *style,
                               const char         *format,
                               int                 width,
                               int                 height,
                               GError            **error);
gboolean dqm_plot_write_svg   (const DqmHistogram *histogram,
                               const DqmPlotStyle *style,
                               const char         *path,
                               int                 width,
                               int                 height,
                               GError            **error);

G_END_DECLS
