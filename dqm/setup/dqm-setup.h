/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The detector and beam setup read from a DqmConfig: geometry, calibration,
 * timing and the simulator's physics parameters, checked once at load. */
#pragma once

#include <glib.h>

#include "dqm-channel.h"
#include "dqm-config.h"
#include "dqm-stream.h"

G_BEGIN_DECLS

typedef enum {
  DQM_PARTICLE_ELECTRON,
  DQM_PARTICLE_POSITRON,
  DQM_PARTICLE_MUON,
  DQM_PARTICLE_HADRON,
  DQM_PARTICLE_NONE, /* random trigger: no beam particle */
  DQM_N_PARTICLES
} DqmParticle;

typedef struct {
  char       *name;              /* "e-", "e+", "mu-", "pi-" */
  DqmParticle primary;
  DqmBeam     code;              /* sor beam field */
  double      energy_gev;
  double      energy_spread;
  double      electron_fraction, hadron_fraction, muon_fraction;
  double      low_energy_tail_fraction;
  double      signal_fraction;
  double      decay_probability;
  double      upstream_interaction_probability;
  double      field_integral_tm;
  double      beam_spot_mm;
  double      divergence_mrad;
} DqmBeamSetup;

typedef struct {
  double length_s, gap_s;
  double beam_rate_hz;       /* beam particles a second during the spill */
  double intensity_spread;
  double calibration_s;      /* after the beam: random and LED triggers */
} DqmSpillSetup;

typedef struct {
  double physics_preshower_min_gev, physics_ecal_max_gev;
  double gate_ns;
  guint  beam_prescale;
  guint  random_per_spill, led_per_spill;
  double live_fraction;
  double pileup_tail_ns;
} DqmTriggerSetup;

typedef struct {
  guint  samples;
  double pedestal_min, pedestal_max, odd_even_difference_max;
  guint  pedestal_seed;
  double noise_counts;
  double pulse_tau_ns;
  guint  pulse_power;
  double peak_time_ns, time_jitter_ns;
} DqmMsadcSetup;

typedef struct {
  double cell_pitch_mm;
  guint  beam_x, beam_y;
  double resolution_stochastic, resolution_constant;
  double preshower_fraction, preshower_fraction_spread;
  double core_width_mm, halo_width_mm, core_fraction;
  double preshower_mev_per_count, main_mev_per_count;
  double hcal_leak_mean_gev;
  double mip_energy_gev;
  double interaction_lengths, preshower_interaction_lengths;
  double charge_exchange_probability;
  double hadron_response;
  double electronuclear_probability;
  double time_offset_ns;
} DqmEcalSetup;

typedef struct {
  double cell_pitch_mm;
  double resolution_stochastic, resolution_constant;
  double core_width_mm, halo_width_mm, core_fraction;
  double mev_per_count;
  double module_share[4];
  double module_share_shape;
  double muon_module_gev;
  double time_offset_ns;
} DqmHcalSetup;

typedef struct {
  double mip_gev, mev_per_count, pmt_spread;
  double efficiency, noise_probability;
  double shower_leak_mips;
  double time_offset_ns;
} DqmVetoSetup;

typedef struct {
  double electron_mean_mev, electron_shape, other_mean_mev;
  double other_hit_probability;
  double mev_per_count;
  double time_offset_ns;
} DqmSrdSetup;

typedef struct {
  double mip_counts, mip_spread;
  double upstream_veto_probability;
  double upstream_interaction_veto_probability;
  double time_offset_ns;
} DqmCounterSetup;

typedef struct {
  double station_z_m[DQM_TRACKER_STATIONS];
  double kick_z_m;
  double resolution_mm;
  guint  cluster_strips;
  double strip_amplitude;
  double noise_hits_per_plane;
  double scattering_mrad;    /* at 100 GeV, across the magnets */
  double dead_strip_fraction;
} DqmTrackerSetup;

typedef struct {
  double amplitude_counts, channel_spread, pulse_spread;
} DqmLedSetup;

typedef struct {
  guint  pedestal_samples;
  double pedestal_tracking_weight;
  double signal_threshold_counts;
  double time_window_ns;
  double srd_time_window_ns;
  double cluster_min_charge;
} DqmRecoSetup;

typedef struct {
  double srd_module_min_mev, srd_module_max_mev;
  guint  srd_modules_required;
  double srd_sum_min_mev, srd_sum_max_mev;
  double momentum_window;
  double preshower_min_gev;
  double ecal_max_fraction;         /* of the configured year: the signal box */
  double bad_energy_max_gev, hcal_bad_energy_max_gev;
  double pileup_sum_fraction, pileup_out_of_time_gev;
  double veto_counter_max_gev, veto_central_max_gev, veto_sum_max_gev;
  double hcal_max_gev;
  double hcal_module_max_gev[3];
  double shower_chi2_max;
  double ecal_mip_max_gev;
  double muon_hcal_central_min_gev, muon_hcal_max_gev;
  double veto_fired_mip;
} DqmCutSetup;

/* A limit pair: WARNING and ALARM; "below" limits are bad when the value
 * falls under them. */
typedef struct {
  double warning, alarm;
} DqmLimits;

typedef struct {
  guint     clear_spills;
  double    hysteresis;
  guint     min_events, min_beam_events;
  DqmLimits purity, hadron, veto_efficiency, veto_noise;
  double    dead_seen_share, hot_random_share;
  DqmLimits pedestal_drift, gain_drift, central_cell, trigger_ratio, bad, lost, dropped;
} DqmAlarmSetup;

typedef struct {
  guint  history_spills;
  guint  candidates_kept;   /* signal-box candidates listed a run, the newest */
  int    reference_test; /* 0 Kolmogorov–Smirnov, 1 chi2 */
  double reference_min_probability;
  double reference_min_entries;
  DqmLimits reference_flagged;
  double eot_target;        /* the beamtime's goal, particles on target; 0: none */
} DqmDqmSetup;

typedef struct {
  char           *setup_tag;
  guint           year;
  DqmBeamSetup    beam;
  DqmSpillSetup   spill;
  DqmTriggerSetup trigger;
  DqmMsadcSetup   msadc;
  DqmEcalSetup    ecal;
  DqmHcalSetup    hcal;
  DqmVetoSetup    veto;
  DqmSrdSetup     srd;
  DqmCounterSetup counters;
  DqmTrackerSetup tracker;
  DqmLedSetup     led;
  DqmRecoSetup    reco;
  DqmCutSetup     cuts;
  DqmAlarmSetup   alarms;
  DqmDqmSetup     dqm;
  /* MeV per ADC count of each channel (by slot): its detector's value or a
   * [calibration] override; 1 for the counters, read in counts. */
  double          mev_per_count[DQM_N_CHANNELS];
} DqmSetup;

/* @beam_name: "e-", "e+", "mu-", "pi-" or NULL for the configured default. */
DqmSetup    *dqm_setup_load           (DqmConfig   *config,
                                       const char  *beam_name,
                                       GError     **error);
void         dqm_setup_free           (DqmSetup    *setup);
/* Which [beam-*] group describes a sor beam code: "e-", "e+", "mu-", "pi-". */
const char  *dqm_beam_name            (DqmBeam      beam);
const char  *dqm_particle_name        (DqmParticle  particle);
/* Bending angle of the magnets for momentum @p_gev, radians. */
double       dqm_setup_bend_angle     (const DqmSetup *setup,
                                       double          p_gev);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSetup, dqm_setup_free)

G_END_DECLS
