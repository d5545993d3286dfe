/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values against time for the Runs page: the beamtime's accumulated EOT per
 * beam, the trends of a quantity per spill or per run, with horizontal
 * lines for targets and alarm limits. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "dqm-plot.h"

G_BEGIN_DECLS

typedef struct {
  const char   *label;         /* in the legend; NULL: none */
  const double *x, *y;         /* hours and values; NAN y: not drawn */
  guint         n;
  double        rgb[3];
  gboolean      steps;         /* a running sum: flat until the next point */
  double        max_gap;       /* points further apart in x are not joined; 0: all are */
} DqmPlotSeries;

typedef struct {
  double      value;
  const char *label;           /* drawn at its right end */
  double      rgb[3];
} DqmPlotLine;

/* @titles is "title;x axis;y axis". The x range covers the series, the y
 * range the series and the lines, except a line more than @line_reach
 * times above the data, which is said in words at the top instead of
 * flattening them (0: every line is drawn). Large values get a common
 * power of ten in the y title. @empty is said when there is nothing. */
void dqm_plot_series (cairo_t             *cr,
                      double               width,
                      double               height,
                      const char          *titles,
                      const DqmPlotSeries *series,
                      guint                n_series,
                      const DqmPlotLine   *lines,
                      guint                n_lines,
                      double               line_reach,
                      const char          *empty,
                      const DqmPlotStyle  *style);

/* A count as people read it: "48213", or "1.23·10⁷" from 10⁵ on. */
char *dqm_plot_format_count (double value);

G_END_DECLS
