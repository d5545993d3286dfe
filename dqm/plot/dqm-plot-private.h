/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the plot library share: text, axes and frames, and
 * the drawings dqm_plot_draw picks from. Not for other libraries. */
#pragma once

#include <cairo.h>

#include "dqm-plot.h"

G_BEGIN_DECLS

/* A drawing of @width × @height as "png", "svg" or "pdf" in memory;
 * @what names it in an error. */
typedef void (*DqmPlotDrawFunc) (cairo_t *cr, double width, double height, gconstpointer data);
GBytes  *dqm_plot_render_drawing       (const char         *format,
                                        int                 width,
                                        int                 height,
                                        DqmPlotDrawFunc     draw,
                                        gconstpointer       data,
                                        const char         *what,
                                        GError            **error);

/* Text */
void     dqm_plot_set_text_colour      (cairo_t            *cr,
                                        const DqmPlotStyle *style);
/* Draws @markup with its anchor (ax, ay ∈ {0, 0.5, 1}) at (x, y), turned by
 * @angle, cut with an ellipsis at @max_width pixels when that is > 0. */
void     dqm_plot_text_within          (cairo_t            *cr,
                                        const DqmPlotStyle *style,
                                        double              size,
                                        gboolean            bold,
                                        const char         *markup,
                                        double              x,
                                        double              y,
                                        double              ax,
                                        double              ay,
                                        double              angle,
                                        double              max_width);
void     dqm_plot_text_at              (cairo_t            *cr,
                                        const DqmPlotStyle *style,
                                        double              size,
                                        gboolean            bold,
                                        const char         *markup,
                                        double              x,
                                        double              y,
                                        double              ax,
                                        double              ay,
                                        double              angle);
double   dqm_plot_text_width           (cairo_t            *cr,
                                        const DqmPlotStyle *style,
                                        double              size,
                                        const char         *markup);

/* Axes and frames */
void     dqm_plot_format_tick          (char               *buffer,
                                        gsize               size,
                                        double              value,
                                        double              step);
double   dqm_plot_map_y                (const DqmPlotFrame *frame,
                                        double              value,
                                        double              low,
                                        double              high,
                                        gboolean            log_scale);
/* @titles: title, x axis, y axis. */
void     dqm_plot_axes                 (cairo_t            *cr,
                                        const DqmPlotStyle *style,
                                        const DqmPlotFrame *frame,
                                        const DqmHistogram *histogram,
                                        double              ylow,
                                        double              yhigh,
                                        gboolean            log_y,
                                        gboolean            y_is_axis,
                                        char              **titles);
/* Where the data go inside a plot of @width × @height; FALSE when too small. */
gboolean dqm_plot_frame_for            (double              width,
                                        double              height,
                                        const DqmHistogram *histogram,
                                        const DqmPlotStyle *style,
                                        DqmPlotFrame       *frame);
/* Fills only its own rectangle: several charts may share one surface. */
void     dqm_plot_background_and_title (cairo_t            *cr,
                                        double              width,
                                        double              height,
                                        const DqmPlotStyle *style,
                                        const char         *markup);

/* The drawings */
void     dqm_plot_draw_1d              (cairo_t            *cr,
                                        const DqmPlotFrame *frame,
                                        const DqmHistogram *histogram,
                                        const DqmPlotStyle *style,
                                        char              **titles);
void     dqm_plot_draw_grouped_bars    (cairo_t            *cr,
                                        const DqmPlotFrame *frame,
                                        const DqmHistogram *histogram,
                                        const DqmPlotStyle *style,
                                        char              **titles);
void     dqm_plot_draw_2d              (cairo_t            *cr,
                                        const DqmPlotFrame *frame,
                                        const DqmHistogram *histogram,
                                        const DqmPlotStyle *style,
                                        char              **titles);
/* The E0 diagonal, the signal box and the candidates on ECAL vs HCAL. */
void     dqm_plot_ecal_hcal_overlays   (cairo_t            *cr,
                                        const DqmPlotFrame *frame,
                                        const DqmHistogram *histogram,
                                        const DqmPlotStyle *style);

G_END_DECLS
