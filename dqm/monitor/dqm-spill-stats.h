/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What one spill says about the beam and the detector: composition and
 * purity, VETO efficiency and noise, channels that stay silent when their
 * neighbours fire (dead) or fire on random triggers (hot), pedestals, and
 * the scalers of the eos. Accumulated event by event, summed up at eos. */
#pragma once

#include <glib.h>

#include "dqm-histogram.h"
#include "dqm-reco.h"
#include "dqm-stream-counters.h"

G_BEGIN_DECLS

typedef struct {
  guint32 run, spill;
  guint64 start_ns, end_ns;
  gboolean complete;       /* its sos and eos were both seen */
  guint64 events, random_triggers, led_triggers;
  guint64 physics_events;  /* physics trigger: the cut flow */
  guint64 beam_events;     /* beam trigger with a particle: the unbiased sample */
  guint64 beam_pileup;     /* of them, with a second particle seen */
  double  out_of_time_gev; /* per beam-trigger event, mean ECAL energy out of time */
  double  pileup_share;    /* of beam-trigger events; NAN when unknown */
  guint64 by_class[DQM_N_CLASSES];      /* every event */
  guint64 beam_by_class[DQM_N_CLASSES]; /* beam triggers without pile-up: purity, contamination */
  guint64 cut_flow[DQM_N_CUTS];         /* physics triggers */
  /* Candidates of any trigger, as the analysis lists them. */
  guint64 candidates;
  guint64 beam_counts, triggers, events_sent;  /* eos scalers */
  double  trigger_rate_hz;
  double  purity;          /* SRD-tagged electrons / beam-trigger events; NAN when unknown */
  double  hadron_share;
  /* Muons and showering hadrons of any trigger (the physics trigger does
   * not look at the VETO, so it does not bias its efficiency): the VETO
   * must fire. Full-energy electrons of the beam trigger: it must not. */
  guint64 penetrating;
  guint64 clean_electrons;
  double  veto_efficiency[DQM_VETO_COUNTERS]; /* NAN when too few penetrating */
  double  veto_noise[DQM_VETO_COUNTERS];      /* NAN when too few clean electrons */
  /* The aimed ECAL cell's energy for beam-trigger electrons: its mean and
   * its change across the spill (slope · length / mean), NAN when unknown. */
  guint64 central_cell_events;
  double  central_cell_gev, central_cell_change, central_cell_change_error;
  guint64 messages, bad, lost, dropped;       /* during the spill */
  double  pedestal_drift_adc; /* the worst channel's from the run's first spill, as the alarm
                               * judged it at the spill's end; NAN when unknown */
} DqmSpillSummary;

/* What one spill says channel by channel: judged at its end (dead, hot,
 * pedestal and gain drift), then dropped, so the run's list of spills stays
 * small. */
typedef struct {
  guint64 expected[DQM_N_CHANNELS], seen[DQM_N_CHANNELS];
  guint64 random_signals[DQM_N_CHANNELS];
  double  pedestal[DQM_N_CHANNELS][2];        /* from random triggers; NAN without */
  double  led_counts[DQM_N_CHANNELS];         /* mean LED amplitude; NAN without */
} DqmSpillChannels;

typedef struct {
  DqmSpillSummary summary;
  DqmSpillChannels channels;
  double out_of_time_sum;
  double led_sum[DQM_N_CHANNELS];
  double cell_t, cell_tt, cell_e, cell_ee, cell_te; /* sums for the central cell's slope */
  double pedestal_sum[DQM_N_CHANNELS][2];
  guint64 veto_hits_penetrating[DQM_VETO_COUNTERS];
  guint64 veto_hits_clean[DQM_VETO_COUNTERS];
  DqmStreamCounters counters_at_start;
} DqmSpillStats;

void dqm_spill_stats_begin (DqmSpillStats           *stats,
                            guint32                  run,
                            guint32                  spill,
                            guint64                  start_ns,
                            const DqmStreamCounters *counters);
void dqm_spill_stats_add   (DqmSpillStats           *stats,
                            const DqmSetup          *setup,
                            const DqmEvent          *raw,
                            const DqmRecoEvent      *event);
/* Whether @event is a single beam-trigger electron centred on the aimed
 * cell, and that cell's energy: what the central cell's stability is
 * watched on. */
gboolean dqm_spill_stats_central_cell (const DqmSetup     *setup,
                                       const DqmRecoEvent *event,
                                       double             *gev);
/* Pipeline drops happen outside the stream counters. */
void dqm_spill_stats_dropped (DqmSpillStats         *stats,
                              guint64                n);
/* @eos may be NULL when the spill ended without one. */
void dqm_spill_stats_end   (DqmSpillStats           *stats,
                            const DqmSetup          *setup,
                            const DqmEos            *eos,
                            const DqmStreamCounters *counters);

/* "cut_flow_spills": the share of each spill's physics triggers surviving each
 * selection step, one row per spill (y = spill number), the last @max_rows
 * spills of @spills (DqmSpillSummary) and then @current (may be NULL). */
DqmHistogram *dqm_spill_cut_flow_history (const GPtrArray       *spills,
                                          const DqmSpillSummary *current,
                                          guint                  max_rows);

G_END_DECLS
