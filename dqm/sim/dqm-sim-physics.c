/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The physics of one beam particle at the level of detector modules: the
 * beam's composition and energy; what happens in the ECAL (showers, the
 * bremsstrahlung tail, electro-nuclear interactions, hadron showers with
 * their starting depth, charge exchange, punch-through, muons, decays in
 * flight, upstream interactions); then what reaches the HCAL, the VETO
 * and the SRD. Waveforms are made from this in dqm-sim.c. */
#include "dqm-sim-private.h"

#include <math.h>

/* The bremsstrahlung tail: radiated shares from 2 % (below, the electron
 * stays in the beam peak) to 95 %. */
#define TAIL_Y_MIN 0.02
#define TAIL_Y_MAX 0.95
/* Electro-nuclear interactions: the hadrons' share of the energy. */
#define ELECTRONUCLEAR_Y_MIN 0.05

static const char *const process_names[] = {
  "none", "shower", "tail", "electro-nuclear", "signal", "hadron shower", "charge exchange",
  "punch-through", "muon", "decay in flight", "upstream interaction",
};

G_STATIC_ASSERT (G_N_ELEMENTS (process_names) == DQM_N_PROCESSES);

const char *
dqm_sim_process_name (DqmSimProcess process)
{
  return process < DQM_N_PROCESSES ? process_names[process] : "?";
}

double
dqm_sim_smear (DqmSim *sim, double energy_gev, double stochastic, double constant)
{
  double relative;

  if (energy_gev <= 0)
    return 0;
  relative = sqrt (stochastic * stochastic / energy_gev + constant * constant);
  return energy_gev * fmax (0.05, 1 + relative * dqm_random_gauss (&sim->rng));
}

DqmParticle
dqm_sim_choose_particle (DqmSim *sim)
{
  const DqmBeamSetup *beam = &sim->setup->beam;
  double hadrons = beam->hadron_fraction;
  double u = dqm_random_uniform (&sim->rng);

  if (dqm_sim_faults_active (sim) && sim->faults.hadron_fraction >= 0)
    hadrons = sim->faults.hadron_fraction;
  if (u < hadrons)
    return DQM_PARTICLE_HADRON;
  u -= hadrons;
  if (u < beam->muon_fraction)
    return DQM_PARTICLE_MUON;
  u -= beam->muon_fraction;
  if (u < beam->electron_fraction)
    return DQM_PARTICLE_ELECTRON;
  return beam->primary;
}

static double
mip_gev (DqmSim *sim)
{
  double mip = sim->setup->ecal.mip_energy_gev;

  return fmax (0, dqm_random_landau (&sim->rng, mip, 0.1 * mip));
}

/* A MIP through the ECAL: a muon, or a hadron that does not interact. */
static void
ecal_mip (DqmSim *sim, DqmSimParticle *p)
{
  double mip = mip_gev (sim);

  p->ps_gev = 0.15 * mip;
  p->main_gev = 0.85 * mip;
  p->width_scale = 0.3;
}

/* An electromagnetic shower of @visible GeV, of a particle of @incident GeV. */
static void
em_shower (DqmSim *sim, DqmSimParticle *p, double incident, double visible, gboolean leaks)
{
  const DqmEcalSetup *ecal = &sim->setup->ecal;
  double shape = 1 / (ecal->preshower_fraction_spread * ecal->preshower_fraction_spread);
  /* The shower starts in the preshower before any energy goes missing: its
   * share is of the incident energy, bounded by what stays visible. */
  double ps = fmin (0.5 * visible, incident * dqm_random_gamma (&sim->rng, shape, ecal->preshower_fraction));
  double leak = leaks ? fmin (0.5 * visible, dqm_random_exponential (&sim->rng, ecal->hcal_leak_mean_gev * incident / 100))
                      : 0;

  p->ps_gev = ps;
  p->main_gev = visible - ps - leak;
  p->hcal_in_gev = leak;
  p->width_scale = 1;
}

static void
electron (DqmSim *sim, DqmSimParticle *p, gboolean may_be_rare)
{
  const DqmSetup *s = sim->setup;
  double u = may_be_rare ? dqm_random_uniform (&sim->rng) : 1;
  double tail = s->beam.low_energy_tail_fraction, signal = s->beam.signal_fraction;

  p->process = DQM_PROCESS_SHOWER;
  if (u < tail)
    {
      /* Radiated in the beam line before the trackers, which see it. */
      p->energy_gev *= 1 - TAIL_Y_MIN * pow (TAIL_Y_MAX / TAIL_Y_MIN, dqm_random_uniform (&sim->rng));
      p->momentum_gev = p->energy_gev;
      p->process = DQM_PROCESS_TAIL;
    }
  else if (u < tail + signal)
    p->process = DQM_PROCESS_SIGNAL;
  else if (u < tail + signal + s->ecal.electronuclear_probability)
    p->process = DQM_PROCESS_ELECTRONUCLEAR;

  switch (p->process)
    {
    case DQM_PROCESS_SIGNAL:
      em_shower (sim, p, p->energy_gev, p->energy_gev * dqm_random_range (&sim->rng, 0.1, 0.48), FALSE);
      break;
    case DQM_PROCESS_ELECTRONUCLEAR:
      {
        double hadronic = p->energy_gev * ELECTRONUCLEAR_Y_MIN
                          * pow (1 / ELECTRONUCLEAR_Y_MIN, dqm_random_uniform (&sim->rng));
        double out = hadronic * dqm_random_range (&sim->rng, 0.2, 0.9);

        em_shower (sim, p, p->energy_gev, p->energy_gev - hadronic, TRUE);
        p->main_gev += (hadronic - out) * s->ecal.hadron_response;
        p->hcal_in_gev += out;
        p->width_scale = 1.5;
        break;
      }
    default:
      em_shower (sim, p, p->energy_gev, p->energy_gev, TRUE);
      break;
    }
}

static void
muon (DqmSim *sim, DqmSimParticle *p)
{
  p->process = DQM_PROCESS_MUON;
  ecal_mip (sim, p);
}

static void
hadron (DqmSim *sim, DqmSimParticle *p)
{
  const DqmEcalSetup *ecal = &sim->setup->ecal;
  double depth, e = p->energy_gev;

  if (dqm_random_chance (&sim->rng, sim->setup->beam.decay_probability))
    {
      /* π → μν after the magnets: the trackers saw the pion. */
      p->process = DQM_PROCESS_DECAY;
      p->energy_gev *= dqm_random_range (&sim->rng, 0.57, 1);
      ecal_mip (sim, p);
      return;
    }
  depth = dqm_random_exponential (&sim->rng, 1); /* interaction lengths */
  if (depth > ecal->interaction_lengths)
    {
      p->process = DQM_PROCESS_PUNCH_THROUGH;
      ecal_mip (sim, p);
      p->hcal_in_gev = fmax (0, e - p->ps_gev - p->main_gev);
      return;
    }
  if (dqm_random_chance (&sim->rng, ecal->charge_exchange_probability))
    {
      /* The π⁰ takes most of the energy into an electromagnetic shower. */
      double em = e * dqm_random_range (&sim->rng, 0.6, 0.95), rest = e - em;
      double out = rest * dqm_random_range (&sim->rng, 0.5, 1);

      p->process = DQM_PROCESS_CHARGE_EXCHANGE;
      em_shower (sim, p, em, em, FALSE);
      if (depth > ecal->preshower_interaction_lengths)
        {
          /* Started behind the preshower, which saw a MIP. */
          double mip = mip_gev (sim);

          p->main_gev += p->ps_gev;
          p->ps_gev = 0.15 * mip;
        }
      p->main_gev += (rest - out) * ecal->hadron_response;
      p->hcal_in_gev = out;
      p->width_scale = 1.3;
      return;
    }
  {
    /* A hadron shower from @depth: the ECAL holds what the remaining
     * depth contains, fluctuating shower to shower. */
    double contained = (1 - exp (-(ecal->interaction_lengths - depth) / 1.2))
                       * dqm_random_range (&sim->rng, 0.7, 1.3);
    double in_ecal;

    contained = CLAMP (contained, 0.02, 0.8);
    in_ecal = contained * e;
    p->process = DQM_PROCESS_HADRON_SHOWER;
    if (depth < ecal->preshower_interaction_lengths)
      p->ps_gev = e * dqm_random_range (&sim->rng, 0.003, 0.05) * ecal->hadron_response;
    else
      p->ps_gev = 0.15 * mip_gev (sim);
    p->main_gev = fmax (0, in_ecal * ecal->hadron_response - p->ps_gev);
    p->hcal_in_gev = e - in_ecal;
    p->width_scale = 2;
  }
}

/* Large-angle hadrons from an interaction upstream: off-centre in the
 * ECAL, usually seen by the upstream vetoes. */
static void
upstream (DqmSim *sim, DqmSimParticle *p)
{
  const DqmSetup *s = sim->setup;
  double half = s->ecal.cell_pitch_mm * DQM_ECAL_NX / 2;
  double in_ecal = p->energy_gev * dqm_random_range (&sim->rng, 0.05, 0.5);

  p->process = DQM_PROCESS_UPSTREAM;
  for (guint i = 0; i < DQM_UPSTREAM_VETOES; i++)
    p->upstream_veto[i] |= dqm_random_chance (&sim->rng, s->counters.upstream_interaction_veto_probability);
  p->x_mm = dqm_random_range (&sim->rng, -half, half);
  p->y_mm = dqm_random_range (&sim->rng, -half, half);
  p->ps_gev = in_ecal * dqm_random_range (&sim->rng, 0, 0.15);
  p->main_gev = in_ecal - p->ps_gev;
  p->hcal_in_gev = p->energy_gev * dqm_random_range (&sim->rng, 0, 0.4);
  p->width_scale = 2.5;
}

void
dqm_sim_particle_of_kind (DqmSim *sim, DqmParticle particle, DqmSimParticle *p)
{
  const DqmSetup *s = sim->setup;
  double pitch = s->ecal.cell_pitch_mm;

  memset (p, 0, sizeof *p);
  p->particle = particle;
  p->energy_gev = p->momentum_gev = s->beam.energy_gev * (1 + s->beam.energy_spread * dqm_random_gauss (&sim->rng));
  p->x_mm = (s->ecal.beam_x + 0.5 - DQM_ECAL_NX / 2.0) * pitch + s->beam.beam_spot_mm * dqm_random_gauss (&sim->rng);
  p->y_mm = (s->ecal.beam_y + 0.5 - DQM_ECAL_NY / 2.0) * pitch + s->beam.beam_spot_mm * dqm_random_gauss (&sim->rng);
  for (guint i = 0; i < DQM_UPSTREAM_VETOES; i++)
    p->upstream_veto[i] = dqm_random_chance (&sim->rng, s->counters.upstream_veto_probability);

  if (dqm_random_chance (&sim->rng, s->beam.upstream_interaction_probability))
    upstream (sim, p);
  else
    switch (particle)
      {
      case DQM_PARTICLE_ELECTRON:
      case DQM_PARTICLE_POSITRON:
        electron (sim, p, TRUE);
        break;
      case DQM_PARTICLE_HADRON:
        hadron (sim, p);
        break;
      case DQM_PARTICLE_MUON:
        muon (sim, p);
        break;
      case DQM_PARTICLE_NONE:
      case DQM_N_PARTICLES:
      default:
        g_assert_not_reached ();
      }
  {
    double deposited = p->ps_gev + p->main_gev;

    p->ecal_scale = deposited > 0
      ? dqm_sim_smear (sim, deposited, s->ecal.resolution_stochastic, s->ecal.resolution_constant) / deposited
      : 1;
  }
}

void
dqm_sim_beam_particle (DqmSim *sim, DqmSimParticle *p)
{
  g_return_if_fail (sim != NULL && p != NULL);

  dqm_sim_particle_of_kind (sim, dqm_sim_choose_particle (sim), p);
}

gboolean
dqm_sim_physics_condition (const DqmSim *sim, const DqmSimParticle *p)
{
  const DqmTriggerSetup *t = &sim->setup->trigger;

  g_return_val_if_fail (sim != NULL && p != NULL, FALSE);

  return !p->upstream_veto[0] && !p->upstream_veto[1]
         && p->ps_gev * p->ecal_scale > t->physics_preshower_min_gev
         && (p->ps_gev + p->main_gev) * p->ecal_scale < t->physics_ecal_max_gev;
}

static double
veto_mips (DqmSim *sim, const DqmSimParticle *p)
{
  double leak = sim->setup->veto.shower_leak_mips;

  switch (p->process)
    {
    case DQM_PROCESS_ELECTRONUCLEAR:
      return p->hcal_in_gev > 1 ? 1 + dqm_random_poisson (&sim->rng, leak) : 0;
    case DQM_PROCESS_HADRON_SHOWER:
    case DQM_PROCESS_CHARGE_EXCHANGE:
      return 1 + dqm_random_poisson (&sim->rng, leak);
    case DQM_PROCESS_UPSTREAM:
      return 1 + dqm_random_poisson (&sim->rng, 2 * leak);
    case DQM_PROCESS_PUNCH_THROUGH:
    case DQM_PROCESS_MUON:
    case DQM_PROCESS_DECAY:
      return 1;
    case DQM_PROCESS_NONE:
    case DQM_PROCESS_SHOWER:
    case DQM_PROCESS_TAIL:
    case DQM_PROCESS_SIGNAL:
    case DQM_N_PROCESSES:
    default:
      return 0;
    }
}

void
dqm_sim_particle_complete (DqmSim *sim, DqmSimParticle *p)
{
  const DqmSetup *s = sim->setup;
  gboolean radiates = p->particle == DQM_PARTICLE_ELECTRON || p->particle == DQM_PARTICLE_POSITRON;

  if (p->complete)
    return;
  p->complete = TRUE;
  if (p->process == DQM_PROCESS_MUON || p->process == DQM_PROCESS_DECAY)
    for (guint m = 0; m < DQM_HCAL_MODULES; m++)
      p->hcal_gev[m] = fmax (0, dqm_random_landau (&sim->rng, s->hcal.muon_module_gev, 0.1 * s->hcal.muon_module_gev));
  else if (p->process == DQM_PROCESS_SHOWER || p->process == DQM_PROCESS_TAIL)
    p->hcal_gev[0] = p->hcal_in_gev; /* the tail of an electron's shower */
  else if (p->hcal_in_gev > 0)
    {
      double measured = dqm_sim_smear (sim, p->hcal_in_gev, s->hcal.resolution_stochastic, s->hcal.resolution_constant);
      double share[DQM_HCAL_MODULES], total = 0;

      /* Longitudinal fluctuations: each module's share varies shower to shower. */
      for (guint m = 0; m < DQM_HCAL_MODULES; m++)
        total += share[m] = dqm_random_gamma (&sim->rng, s->hcal.module_share_shape, s->hcal.module_share[m]);
      for (guint m = 0; m < DQM_HCAL_MODULES && total > 0; m++)
        p->hcal_gev[m] = measured * share[m] / total;
    }
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    p->veto_mips[c] = veto_mips (sim, p);
  for (guint m = 0; m < DQM_SRD_MODULES; m++)
    {
      /* Synchrotron power grows as E² and falls as (m_e/m)⁴: nothing from
       * hadrons and muons, but a knock-on electron sometimes lights a module. */
      if (radiates)
        p->srd_mev[m] = dqm_random_gamma (&sim->rng, s->srd.electron_shape,
                                          s->srd.electron_mean_mev * pow (p->momentum_gev / 100, 2));
      else if (dqm_random_chance (&sim->rng, s->srd.other_hit_probability))
        p->srd_mev[m] = dqm_random_range (&sim->rng, 2, 30);
      else
        p->srd_mev[m] = dqm_random_exponential (&sim->rng, s->srd.other_mean_mev);
    }
}
