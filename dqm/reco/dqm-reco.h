/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Event reconstruction: MSADC waveforms to pedestals, amplitudes, times and
 * energies, then the NA64 event quantities (calorimeter sums, shower shape,
 * VETO and SRD energies, beam counters, tracker clusters and momentum), the
 * selection's cut flow and the particle class. */
#pragma once

#include <glib.h>

#include "dqm-channel.h"
#include "dqm-setup.h"
#include "dqm-stream.h"

G_BEGIN_DECLS

typedef struct {
  gboolean present;     /* the event carried this channel */
  gboolean signal;      /* amplitude above the threshold */
  gboolean overflow;    /* the front end flagged it, or a sample hit 4095 */
  gboolean in_time;     /* time within the detector's window */
  gboolean tracked_pedestal; /* leading samples were busy: tracked (or, before
                              * any random trigger, trailing) pedestals used */
  guint    n_pulses;    /* separate pulses in the window (pile-up: > 1) */
  double   pedestal[2]; /* even, odd ADC, counts */
  double   amplitude;   /* counts above pedestal at the pulse peak (the fit's);
                         * for a channel too low to fit, its largest sample */
  double   time_ns;     /* half-maximum crossing of the rising edge; for a
                         * channel too low to fit, where it would be */
  double   energy;      /* GeV for ECAL, HCAL, VETO; MeV for SRD; counts for S and V */
  double   in_time_energy; /* the energy of an in-time signal, or else the
                            * (unbiased, noisy) amplitude at the expected time:
                            * what calorimeter sums add up */
} DqmChannelReco;

typedef enum {
  DQM_CLASS_EMPTY,     /* random trigger or no beam particle */
  DQM_CLASS_ELECTRON,  /* SRD-tagged with a preshower signal */
  DQM_CLASS_HADRON,
  DQM_CLASS_MUON,      /* MIP-like everywhere */
  DQM_N_CLASSES
} DqmEventClass;

/* The selection steps in cut-flow order; DQM_CUT_ALL counts every beam event. */
typedef enum {
  DQM_CUT_ALL,
  DQM_CUT_TIMING,
  DQM_CUT_MAX_CELL,
  DQM_CUT_SRD,
  DQM_CUT_MOMENTUM,
  DQM_CUT_PRESHOWER,
  DQM_CUT_ECAL,
  DQM_CUT_VETO,
  DQM_CUT_HCAL,
  DQM_CUT_CHI2,
  DQM_N_CUTS
} DqmCut;

typedef struct {
  guint32  run, spill, event_in_spill;
  guint64  event_id, time_ns;
  guint32  trigger;
  DqmChannelReco channel[DQM_N_CHANNELS];  /* by slot */

  gboolean have_master;
  double   master_time_ns;                 /* mean of S0–S2 */

  double   ecal_ps_gev, ecal_main_gev, ecal_gev; /* in time */
  double   ecal_total_gev, bad_energy_gev;       /* all, and out of time */
  gboolean pileup_in_time;                  /* a second particle in time */
  gboolean pileup;                          /* in time, a second pulse in S1 or S2,
                                             * or ECAL energy out of time */
  double   ecal_cell_gev[2][DQM_ECAL_NY][DQM_ECAL_NX];
  guint    max_cell_x, max_cell_y;
  double   max_cell_gev, max_cell_time_ns;
  gboolean max_cell_in_time;
  double   centroid_x_mm, centroid_y_mm;    /* Σ E·pitch·(x−3) / Σ E, main section */
  double   shower_chi2;                     /* per cell, 3×3 around the maximum */

  double   hcal_module_gev[DQM_HCAL_MODULES];
  double   hcal_gev;                        /* modules 0–2 */
  double   hcal_bad_energy_gev;             /* out of time, all modules */
  double   hcal_r;                          /* (E − E_central)/E, modules 0–2 */
  double   veto_gev[DQM_VETO_COUNTERS];
  double   veto_mip[DQM_VETO_COUNTERS];
  double   veto_sum_gev;
  guint    veto_fired;                      /* counters above veto_fired_mip */
  double   srd_mev[DQM_SRD_MODULES];
  double   srd_sum_mev;
  guint    srd_in_window;                   /* modules within the per-module cuts */
  gboolean srd_tagged;                      /* the SRD cut of the selection */
  double   counter_counts[DQM_BEAM_COUNTERS];

  guint    n_clusters[DQM_TRACKER_PLANES];
  double   cluster_mm[DQM_TRACKER_PLANES];  /* the largest cluster's position */
  gboolean have_momentum;
  gboolean one_track;                       /* no upstream X plane with two clusters */
  double   momentum_gev;

  DqmEventClass event_class;
  guint    cuts_passed;                     /* steps survived: 1 … DQM_N_CUTS */
  gboolean candidate;                       /* passed the whole selection */
} DqmRecoEvent;

typedef struct _DqmReco DqmReco;

/* @setup must outlive the reconstruction. */
DqmReco     *dqm_reco_new              (const DqmSetup     *setup);
void         dqm_reco_free             (DqmReco            *reco);
void         dqm_reco_event            (DqmReco            *reco,
                                        guint32             run,
                                        const DqmEvent     *event,
                                        DqmRecoEvent       *out);
/* Pedestals tracked on random triggers (counts), and how many fed them. */
double       dqm_reco_tracked_pedestal (const DqmReco      *reco,
                                        guint               slot,
                                        guint               parity);
guint64      dqm_reco_random_triggers  (const DqmReco      *reco);
/* The mean of the even and of the odd samples of @record (the two
 * interleaved ADCs), each half counted on its own: @n_samples may be odd. */
void         dqm_reco_sample_means     (const DqmSadcRecord *record,
                                        guint               n_samples,
                                        double              means[2]);
/* The tracked pedestals (by slot, even/odd) and how many random triggers
 * fed them: handed from the reconstruction that sees the random triggers to
 * those reconstructing in other threads. */
void         dqm_reco_get_tracking     (const DqmReco      *reco,
                                        double            (*tracked)[2],
                                        guint64            *random_triggers);
void         dqm_reco_set_tracking     (DqmReco            *reco,
                                        const double      (*tracked)[2],
                                        guint64             random_triggers);
/* Whether @done, reconstructed elsewhere with other tracked pedestals,
 * is exactly what @reco would make of @event: no channel used tracked
 * pedestals, and none would with @reco's. */
gboolean     dqm_reco_same_pedestals   (const DqmReco      *reco,
                                        const DqmEvent     *event,
                                        const DqmRecoEvent *done);
const char  *dqm_event_class_name      (DqmEventClass       event_class);
const char  *dqm_cut_name              (DqmCut              cut);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmReco, dqm_reco_free)

G_END_DECLS
