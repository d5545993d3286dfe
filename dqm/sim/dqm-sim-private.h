/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Between the simulator's particle physics (dqm-sim-physics.c) and its
 * readout (dqm-sim.c): the simulator's state. */
#pragma once

#include "dqm-pulse.h"
#include "dqm-sim.h"

G_BEGIN_DECLS

/* Particles sharing a readout window beside the triggering one: at 1 MHz
 * and 500 ns the chance of more than this many is ~10⁻⁶. */
#define DQM_SIM_MAX_PILEUP 6
/* Pulse slots: the triggering particle, the pile-up, then noise. */
#define DQM_SIM_PULSES (DQM_SIM_MAX_PILEUP + 2)
#define DQM_SIM_PULSE_NOISE (DQM_SIM_PULSES - 1)
#define DQM_SIM_NOISE_TABLE 4096

struct _DqmSim {
  const DqmSetup *setup;
  DqmSimFaults    faults;
  DqmRandom       rng;
  DqmPulseShape   shape;
  double          pedestal[DQM_N_CHANNELS][2];
  double          led_counts[DQM_N_CHANNELS];    /* at nominal gain */
  float           noise[DQM_SIM_NOISE_TABLE];   /* unit Gaussians */
  double          amplitude[DQM_SIM_PULSES][DQM_N_CHANNELS]; /* ADC counts */
  double          peak_ns[DQM_SIM_PULSES][DQM_N_CHANNELS];
  guint           spill;                        /* of the event being made */
  double          time_in_spill_s, intensity_hz;
  /* The event dqm_sim_trigger decided: its particles, in pulse order. */
  DqmSimParticle  particles[DQM_SIM_MAX_PILEUP + 1];
  guint           n_particles;
};

static inline gboolean
dqm_sim_faults_active (const DqmSim *sim)
{
  return sim->spill >= sim->faults.first_spill;
}

/* A kind of particle from the beam's composition (and the hadron fault). */
DqmParticle dqm_sim_choose_particle (DqmSim *sim);
/* A beam particle of kind @particle (its process and trigger quantities). */
void dqm_sim_particle_of_kind (DqmSim *sim, DqmParticle particle, DqmSimParticle *p);
/* Draws the rest of @p: HCAL, VETO, SRD. */
void dqm_sim_particle_complete (DqmSim *sim, DqmSimParticle *p);
/* The energy-scaled smearing of a calorimeter: relative, ≥ 0.05. */
double dqm_sim_smear (DqmSim *sim, double energy_gev, double stochastic, double constant);

G_END_DECLS
