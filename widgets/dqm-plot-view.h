/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A widget that draws one histogram of the newest DqmState with the same
 * Cairo code as the snapshots (dqm-plot.c), overlays included: the E0
 * diagonal and signal box, the aimed ECAL cell, dead and hot cells. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-state.h"

G_BEGIN_DECLS

#define DQM_TYPE_PLOT_VIEW (dqm_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (DqmPlotView, dqm_plot_view, DQM, PLOT_VIEW, GtkWidget)

GtkWidget  *dqm_plot_view_new            (const char  *histogram);
const char *dqm_plot_view_get_histogram  (DqmPlotView *view);
void        dqm_plot_view_set_histogram  (DqmPlotView *view,
                                          const char  *histogram);
void        dqm_plot_view_set_state      (DqmPlotView *view,
                                          DqmState    *state);
void        dqm_plot_view_set_log_scale  (DqmPlotView *view,
                                          gboolean     log_scale);
gboolean    dqm_plot_view_get_log_scale  (DqmPlotView *view);
void        dqm_plot_view_set_font_scale (DqmPlotView *view,
                                          double       scale);
/* Show @histogram (taken) instead of the state's: one event's map. NULL
 * goes back to the state. */
void        dqm_plot_view_set_data       (DqmPlotView  *view,
                                          DqmHistogram *histogram);
/* Offer "Reset this plot" (the win.reset-histogram action). */
void        dqm_plot_view_set_resettable (DqmPlotView *view,
                                          gboolean     resettable);
/* Outline cell (@x, @y), 0-based, instead of the aimed ECAL cell. */
void        dqm_plot_view_mark_cell      (DqmPlotView *view,
                                          gboolean     mark,
                                          guint        x,
                                          guint        y);
/* Plots follow the state at most this often, and only when what they show
 * changed; between, the last drawing is replayed. */
#define DQM_PLOT_VIEW_DEFAULT_REFRESH_MS 250
void        dqm_plot_view_set_refresh_interval (DqmPlotView *view,
                                                guint        milliseconds);
/* The stream time of the newest message in the state the plot last drew
 * (0 before any), and when it drew it (monotonic µs): for latency. */
guint64     dqm_plot_view_get_drawn_stream_ns (DqmPlotView *view);
gint64      dqm_plot_view_get_drawn_us   (DqmPlotView *view);
/* The plot as a document (.png, .svg or .pdf by the name's extension). */
gboolean    dqm_plot_view_export         (DqmPlotView *view,
                                          const char  *path,
                                          GError     **error);

G_END_DECLS
