/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmSeriesChart: values against time (dqm_plot_series) in a widget, for
 * the Runs page's EOT and trend plots. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-plot-series.h"

G_BEGIN_DECLS

#define DQM_TYPE_SERIES_CHART (dqm_series_chart_get_type ())
G_DECLARE_FINAL_TYPE (DqmSeriesChart, dqm_series_chart, DQM, SERIES_CHART, GtkWidget)

GtkWidget *dqm_series_chart_new (void);
/* What to draw, copied: as dqm_plot_series takes it. */
void       dqm_series_chart_set (DqmSeriesChart      *chart,
                                 const char          *titles,
                                 const DqmPlotSeries *series,
                                 guint                n_series,
                                 const DqmPlotLine   *lines,
                                 guint                n_lines,
                                 double               line_reach,
                                 const char          *empty);

G_END_DECLS
