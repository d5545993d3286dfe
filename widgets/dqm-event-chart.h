/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A chart of one event for the inspector: a channel's waveform or the
 * tracker, drawn by dqm-event-plot.c. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-event-plot.h"

G_BEGIN_DECLS

typedef enum {
  DQM_EVENT_CHART_WAVEFORM,
  DQM_EVENT_CHART_TRACKER,
} DqmEventChartKind;

#define DQM_TYPE_EVENT_CHART (dqm_event_chart_get_type ())
G_DECLARE_FINAL_TYPE (DqmEventChart, dqm_event_chart, DQM, EVENT_CHART, GtkWidget)

GtkWidget *dqm_event_chart_new       (DqmEventChartKind  kind);
/* Borrowed: the caller keeps them alive until it sets others or NULL. */
void       dqm_event_chart_set_event (DqmEventChart     *chart,
                                      const DqmEvent    *event,
                                      const DqmRecoEvent *reco,
                                      const DqmSetup    *setup);
void       dqm_event_chart_set_channel (DqmEventChart   *chart,
                                        guint            channel);
guint      dqm_event_chart_get_channel (DqmEventChart   *chart);

G_END_DECLS
