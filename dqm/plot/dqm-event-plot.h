/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One event as the inspector shows it, without GTK: its calorimeter maps as
 * histograms (drawn by dqm_plot), one channel's waveform with pedestals,
 * peak and time marked, and the tracker hits with the fitted track. */
#pragma once

#include <cairo.h>

#include "dqm-plot.h"
#include "dqm-reco.h"

G_BEGIN_DECLS

typedef enum {
  DQM_EVENT_MAP_ECAL_PS,
  DQM_EVENT_MAP_ECAL_MAIN,
  DQM_EVENT_MAP_HCAL,      /* four 3×3 modules side by side */
  DQM_N_EVENT_MAPS
} DqmEventMap;

/* This event's in-time energies (GeV) cell by cell. */
DqmHistogram *dqm_event_map_new           (const DqmRecoEvent *event,
                                           DqmEventMap         map);
/* The channel number behind a bin (1-based) of such a map. */
guint         dqm_event_map_channel       (DqmEventMap         map,
                                           guint               ix,
                                           guint               iy);
/* The record of @channel in @event, or NULL when the event did not carry it. */
const DqmSadcRecord *dqm_event_find_record (const DqmEvent     *event,
                                           guint               channel);
/* @record may be NULL (the channel was not read out: said so). */
void          dqm_event_plot_waveform     (cairo_t            *cr,
                                           double              width,
                                           double              height,
                                           const DqmEvent     *event,
                                           guint               channel,
                                           const DqmRecoEvent *reco,
                                           const DqmSetup     *setup,
                                           const DqmPlotStyle *style);
void          dqm_event_plot_tracker      (cairo_t            *cr,
                                           double              width,
                                           double              height,
                                           const DqmEvent     *event,
                                           const DqmRecoEvent *reco,
                                           const DqmSetup     *setup,
                                           const DqmPlotStyle *style);

G_END_DECLS
