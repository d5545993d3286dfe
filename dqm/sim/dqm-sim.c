/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated NA64 events: particles to deposits to MSADC waveforms. */
#include "dqm-sim.h"

#include <math.h>
#include <string.h>

#include "dqm-pulse.h"
#include "dqm-random.h"
#include "dqm-sim-micromegas.h"

/* Pulse 0 comes from the triggering particle, 1 from a pile-up particle,
 * 2 from noise (hot channels, noisy vetoes). */
#define N_PULSES 3
#define NOISE_TABLE_SIZE 4096

struct _DqmSim {
  const DqmSetup *setup;
  DqmSimFaults    faults;
  DqmRandom       rng;
  DqmPulseShape   shape;
  double          pedestal[DQM_N_CHANNELS][2];
  float           noise[NOISE_TABLE_SIZE]; /* unit Gaussians */
  double          amplitude[N_PULSES][DQM_N_CHANNELS]; /* ADC counts */
  double          peak_ns[N_PULSES][DQM_N_CHANNELS];
  guint           spill;                   /* of the event being made */
};

static gboolean
faults_active (const DqmSim *sim)
{
  return sim->spill >= sim->faults.first_spill;
}

DqmSim *
dqm_sim_new (const DqmSetup *setup, const DqmSimFaults *faults, guint64 seed)
{
  DqmSim *sim;
  const DqmMsadcSetup *msadc;

  g_return_val_if_fail (setup != NULL, NULL);

  sim = g_new0 (DqmSim, 1);
  msadc = &setup->msadc;

  sim->setup = setup;
  if (faults)
    sim->faults = *faults;
  else
    dqm_sim_faults_init (&sim->faults);
  dqm_random_init (&sim->rng, seed);
  dqm_pulse_shape_init (&sim->shape, msadc->pulse_tau_ns, msadc->pulse_power);

  /* Pedestals belong to the hardware, not to the run: drawn from their own
   * seed so every run of the same setup shows the same ones. */
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmRandom pedestal_rng;
      double even, odd;

      dqm_random_init (&pedestal_rng, (guint64) msadc->pedestal_seed * 100003u + dqm_channel_from_slot (slot));
      even = dqm_random_range (&pedestal_rng, msadc->pedestal_min, msadc->pedestal_max);
      sim->pedestal[slot][0] = even;
      odd = even + dqm_random_range (&pedestal_rng, -msadc->odd_even_difference_max,
                                     msadc->odd_even_difference_max);
      sim->pedestal[slot][1] = CLAMP (odd, 0, DQM_SAMPLE_MAX);
    }
  {
    double mean = 0;

    for (guint i = 0; i < NOISE_TABLE_SIZE; i++)
      mean += sim->noise[i] = (float) dqm_random_gauss (&sim->rng);
    /* Centred: a table's own mean (~1/64 sigma) summed over a calorimeter's
     * samples biased its energy by a tenth of a GeV. */
    mean /= NOISE_TABLE_SIZE;
    for (guint i = 0; i < NOISE_TABLE_SIZE; i++)
      sim->noise[i] -= (float) mean;
  }
  return sim;
}

void
dqm_sim_free (DqmSim *sim)
{
  g_free (sim);
}

DqmRandom *
dqm_sim_get_random (DqmSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);

  return &sim->rng;
}

double
dqm_sim_pedestal (const DqmSim *sim, guint channel, guint parity, guint spill)
{
  int slot = dqm_channel_slot (channel);
  double drift = 0;

  g_return_val_if_fail (slot >= 0 && parity < 2, 0);
  if (spill >= sim->faults.first_spill)
    drift = sim->faults.pedestal_drift[slot] * (spill - sim->faults.first_spill + 1);
  return sim->pedestal[slot][parity] + drift;
}

/* --- deposits ---------------------------------------------------------- */

/* @mev of deposit (counts for the beam counters, whose calibration is 1). */
static void
add_pulse (DqmSim *sim, guint pulse, guint channel, double mev, double offset_ns, double dt_ns)
{
  int slot = dqm_channel_slot (channel);
  const DqmMsadcSetup *msadc = &sim->setup->msadc;
  double counts = mev / sim->setup->mev_per_count[slot];

  if (counts <= 0.05)
    return;
  sim->amplitude[pulse][slot] += counts;
  sim->peak_ns[pulse][slot] = msadc->peak_time_ns + offset_ns + dt_ns
                              + msadc->time_jitter_ns * dqm_random_gauss (&sim->rng);
}

/* Share of a Gaussian of width @sigma centred at @x0 that falls in each of
 * @n cells of @pitch, the grid centred on 0. */
static void
cell_shares (guint n, double pitch, double x0, double sigma, double *share)
{
  for (guint i = 0; i < n; i++)
    {
      double lo = (i - n / 2.0) * pitch, hi = lo + pitch;

      share[i] = 0.5 * (erf ((hi - x0) / (sigma * G_SQRT2)) - erf ((lo - x0) / (sigma * G_SQRT2)));
    }
}

/* Spreads @energy_gev over an @nx × @ny grid with a core+halo profile and
 * adds the pulses; @channel_of maps a cell to its channel number. */
static void
deposit_on_grid (DqmSim *sim, guint pulse, guint nx, guint ny, double pitch, double x0, double y0,
                 double core, double halo, double core_fraction, double energy_gev,
                 double offset_ns, double dt_ns, guint (*channel_of) (guint, guint, guint), guint group)
{
  double cx[8], cy[8], hx[8], hy[8];

  if (energy_gev <= 0)
    return;
  cell_shares (nx, pitch, x0, core, cx);
  cell_shares (ny, pitch, y0, core, cy);
  cell_shares (nx, pitch, x0, halo, hx);
  cell_shares (ny, pitch, y0, halo, hy);
  for (guint y = 0; y < ny; y++)
    for (guint x = 0; x < nx; x++)
      {
        double share = core_fraction * cx[x] * cy[y] + (1 - core_fraction) * hx[x] * hy[y];

        add_pulse (sim, pulse, channel_of (group, x, y), energy_gev * 1000 * share,
                   offset_ns, dt_ns);
      }
}

static void
deposit_ecal (DqmSim *sim,
              guint   pulse,
              guint   section,
              double  energy_gev,
              double  x,
              double  y,
              double  width_scale,
              double  dt_ns)
{
  const DqmEcalSetup *ecal = &sim->setup->ecal;

  deposit_on_grid (sim, pulse, DQM_ECAL_NX, DQM_ECAL_NY, ecal->cell_pitch_mm, x, y,
                   ecal->core_width_mm * width_scale, ecal->halo_width_mm * width_scale, ecal->core_fraction,
                   energy_gev, ecal->time_offset_ns, dt_ns, dqm_channel_ecal, section);
}

static void
deposit_hcal (DqmSim *sim,
              guint   pulse,
              guint   module,
              double  energy_gev,
              double  x,
              double  y,
              double  dt_ns)
{
  const DqmHcalSetup *hcal = &sim->setup->hcal;

  /* The beam hits the central cell (1,1), which the grid puts around 0. */
  deposit_on_grid (sim, pulse, DQM_HCAL_NX, DQM_HCAL_NY, hcal->cell_pitch_mm, x, y,
                   hcal->core_width_mm, hcal->halo_width_mm, hcal->core_fraction, energy_gev,
                   hcal->time_offset_ns, dt_ns, dqm_channel_hcal, module);
}

static double
smear (DqmSim *sim, double energy_gev, double stochastic, double constant)
{
  double relative;

  if (energy_gev <= 0)
    return 0;
  relative = sqrt (stochastic * stochastic / energy_gev + constant * constant);
  return energy_gev * fmax (0.05, 1 + relative * dqm_random_gauss (&sim->rng));
}

static void
hadron_in_hcal (DqmSim      *sim,
                guint        pulse,
                double       energy_gev,
                double       x,
                double       y,
                double       dt_ns,
                DqmSimTruth *truth)
{
  const DqmHcalSetup *hcal = &sim->setup->hcal;
  double share[DQM_HCAL_MODULES], total = 0;
  double measured = smear (sim, energy_gev, hcal->resolution_stochastic, hcal->resolution_constant);

  /* Longitudinal fluctuations: each module's share varies shower to shower. */
  for (guint m = 0; m < DQM_HCAL_MODULES; m++)
    total += share[m] = hcal->module_share[m] * dqm_random_gamma (&sim->rng, 4, 1);
  for (guint m = 0; m < DQM_HCAL_MODULES && total > 0; m++)
    {
      double e = measured * share[m] / total;

      deposit_hcal (sim, pulse, m, e, x, y, dt_ns);
      truth->hcal_gev[m] += e;
    }
}

static void
veto_hit (DqmSim *sim, guint pulse, guint counter, double mips, double dt_ns, DqmSimTruth *truth)
{
  const DqmVetoSetup *veto = &sim->setup->veto;
  double efficiency = veto->efficiency, energy_gev;

  if (faults_active (sim) && sim->faults.veto_efficiency[counter] >= 0)
    efficiency = sim->faults.veto_efficiency[counter];
  if (mips <= 0 || !dqm_random_chance (&sim->rng, efficiency))
    return;
  if (mips < 1.5)
    energy_gev = veto->mip_gev * fmax (0.3, dqm_random_landau (&sim->rng, 1, 0.08));
  else
    energy_gev = veto->mip_gev * dqm_random_gamma (&sim->rng, 4 * mips, mips);
  for (guint p = 0; p < DQM_VETO_PMTS; p++)
    add_pulse (sim, pulse, dqm_channel_veto (counter, p),
               energy_gev * 1000 * fmax (0, 1 + veto->pmt_spread * dqm_random_gauss (&sim->rng)),
               veto->time_offset_ns, dt_ns);
  if (truth)
    truth->veto_gev[counter] += energy_gev;
}

static void
srd_signal (DqmSim      *sim,
            guint        pulse,
            DqmParticle  particle,
            double       energy_gev,
            double       dt_ns,
            DqmSimTruth *truth)
{
  const DqmSrdSetup *srd = &sim->setup->srd;
  gboolean radiates = particle == DQM_PARTICLE_ELECTRON || particle == DQM_PARTICLE_POSITRON;

  if (faults_active (sim) && sim->faults.srd_off)
    return;
  for (guint s = 0; s < DQM_SRD_MODULES; s++)
    {
      /* Synchrotron power grows as E²; hadrons and muons are ~m_e/m too heavy. */
      double mev = radiates
        ? dqm_random_gamma (&sim->rng, srd->electron_shape, srd->electron_mean_mev * pow (energy_gev / 100, 2))
        : dqm_random_exponential (&sim->rng, srd->other_mean_mev);

      add_pulse (sim, pulse, dqm_channel_srd (s), mev, srd->time_offset_ns, dt_ns);
      if (truth)
        truth->srd_mev[s] += mev;
    }
}

static void
beam_counters (DqmSim *sim, guint pulse, double dt_ns)
{
  const DqmCounterSetup *counters = &sim->setup->counters;

  for (guint i = 0; i < DQM_BEAM_COUNTERS; i++)
    add_pulse (sim, pulse, dqm_channel_beam_counter (i),
               counters->mip_counts * fmax (0.2, dqm_random_landau (&sim->rng, 1, counters->mip_spread / 2)),
               counters->time_offset_ns, dt_ns);
  for (guint i = 0; i < DQM_UPSTREAM_VETOES; i++)
    if (dqm_random_chance (&sim->rng, counters->upstream_veto_probability))
      add_pulse (sim, pulse, dqm_channel_upstream_veto (i), counters->mip_counts, counters->time_offset_ns, dt_ns);
}

static void
electron_shower (DqmSim      *sim,
                 guint        pulse,
                 double       energy_gev,
                 gboolean     signal,
                 double       x,
                 double       y,
                 double       dt_ns,
                 DqmSimTruth *truth)
{
  const DqmEcalSetup *ecal = &sim->setup->ecal;
  double shape = 1 / (ecal->preshower_fraction_spread * ecal->preshower_fraction_spread);
  double visible = signal ? energy_gev * dqm_random_range (&sim->rng, 0.1, 0.48) : energy_gev;
  /* The shower starts in the preshower before an A′ takes energy away: its
   * share is of the incident energy, bounded by what stays visible. */
  double ps = fmin (0.5 * visible, energy_gev * dqm_random_gamma (&sim->rng, shape, ecal->preshower_fraction));
  double leak = signal ? 0 : fmin (0.5 * visible, dqm_random_exponential (&sim->rng, ecal->hcal_leak_mean_gev * energy_gev / 100));
  double main = visible - ps - leak;
  double scale = smear (sim, visible - leak, ecal->resolution_stochastic, ecal->resolution_constant)
                 / (visible - leak);

  deposit_ecal (sim, pulse, 0, ps * scale, x, y, 0.7, dt_ns);
  deposit_ecal (sim, pulse, 1, main * scale, x, y, 1.0, dt_ns);
  deposit_hcal (sim, pulse, 0, leak, 0, 0, dt_ns);
  truth->ecal_ps_gev += ps;
  truth->ecal_main_gev += main;
  truth->ecal_gev += (ps + main) * scale;
  truth->hcal_gev[0] += leak;
}

static void
hadron_shower (DqmSim      *sim,
               guint        pulse,
               double       energy_gev,
               double       x,
               double       y,
               double       dt_ns,
               DqmSimTruth *truth)
{
  const DqmSetup *s = sim->setup;

  if (dqm_random_chance (&sim->rng, s->ecal.hadron_interaction_probability))
    {
      double in_ecal = energy_gev * dqm_random_range (&sim->rng, 0.05, 0.6);
      double ps = in_ecal * dqm_random_range (&sim->rng, 0, 0.15);

      deposit_ecal (sim, pulse, 0, ps, x, y, 2.0, dt_ns);
      deposit_ecal (sim, pulse, 1, in_ecal - ps, x, y, 2.0, dt_ns);
      truth->ecal_ps_gev += ps;
      truth->ecal_main_gev += in_ecal - ps;
      truth->ecal_gev += in_ecal;
      for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
        veto_hit (sim, pulse, c, 1 + dqm_random_poisson (&sim->rng, s->veto.shower_leak_mips), dt_ns, truth);
      hadron_in_hcal (sim, pulse, energy_gev - in_ecal, x, y, dt_ns, truth);
    }
  else
    {
      double mip = fmax (0, dqm_random_landau (&sim->rng, s->ecal.mip_energy_gev, 0.1 * s->ecal.mip_energy_gev));

      deposit_ecal (sim, pulse, 0, 0.15 * mip, x, y, 0.3, dt_ns);
      deposit_ecal (sim, pulse, 1, 0.85 * mip, x, y, 0.3, dt_ns);
      truth->ecal_ps_gev += 0.15 * mip;
      truth->ecal_main_gev += 0.85 * mip;
      truth->ecal_gev += mip;
      for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
        veto_hit (sim, pulse, c, 1, dt_ns, truth);
      hadron_in_hcal (sim, pulse, energy_gev - mip, x, y, dt_ns, truth);
    }
}

static void
muon_track (DqmSim *sim, guint pulse, double x, double y, double dt_ns, DqmSimTruth *truth)
{
  const DqmSetup *s = sim->setup;
  double mip = fmax (0, dqm_random_landau (&sim->rng, s->ecal.mip_energy_gev, 0.1 * s->ecal.mip_energy_gev));

  deposit_ecal (sim, pulse, 0, 0.15 * mip, x, y, 0.3, dt_ns);
  deposit_ecal (sim, pulse, 1, 0.85 * mip, x, y, 0.3, dt_ns);
  truth->ecal_ps_gev += 0.15 * mip;
  truth->ecal_main_gev += 0.85 * mip;
  truth->ecal_gev += mip;
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    veto_hit (sim, pulse, c, 1, dt_ns, truth);
  for (guint m = 0; m < DQM_HCAL_MODULES; m++)
    {
      double e = fmax (0, dqm_random_landau (&sim->rng, s->hcal.muon_module_gev, 0.1 * s->hcal.muon_module_gev));

      add_pulse (sim, pulse, dqm_channel_hcal (m, 1, 1), e * 1000, s->hcal.time_offset_ns, dt_ns);
      truth->hcal_gev[m] += e;
    }
}

static DqmParticle
choose_particle (DqmSim *sim)
{
  const DqmBeamSetup *beam = &sim->setup->beam;
  double hadrons = beam->hadron_fraction;
  double u = dqm_random_uniform (&sim->rng);

  if (faults_active (sim) && sim->faults.hadron_fraction >= 0)
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

/* One beam particle through the whole setup, as pulse @pulse, @dt_ns after
 * the trigger time. The triggering particle may be a low-energy-tail or a
 * signal-like electron; a pile-up one is always ordinary. */
static void
add_particle (DqmSim      *sim,
              guint        pulse,
              DqmParticle  particle,
              double       dt_ns,
              gboolean     triggering,
              DqmEvent    *event,
              DqmSimTruth *truth)
{
  const DqmSetup *s = sim->setup;
  double pitch = s->ecal.cell_pitch_mm;
  double energy = s->beam.energy_gev * (1 + s->beam.energy_spread * dqm_random_gauss (&sim->rng));
  double x = (s->ecal.beam_x + 0.5 - DQM_ECAL_NX / 2.0) * pitch + s->beam.beam_spot_mm * dqm_random_gauss (&sim->rng);
  double y = (s->ecal.beam_y + 0.5 - DQM_ECAL_NY / 2.0) * pitch + s->beam.beam_spot_mm * dqm_random_gauss (&sim->rng);
  gboolean electron = particle == DQM_PARTICLE_ELECTRON || particle == DQM_PARTICLE_POSITRON;

  if (triggering && electron && dqm_random_chance (&sim->rng, s->beam.low_energy_tail_fraction))
    {
      energy = s->beam.energy_gev * dqm_random_range (&sim->rng, 0.2, 0.9);
      truth->low_energy_tail = TRUE;
    }
  truth->particle = particle;
  truth->energy_gev = energy;
  truth->impact_x_mm = x;
  truth->impact_y_mm = y;

  beam_counters (sim, pulse, dt_ns);
  dqm_sim_micromegas_track (s, &sim->rng, energy, event);
  srd_signal (sim, pulse, particle, energy, dt_ns, truth);
  /* HCAL positions are relative to the central cell, ECAL's to the matrix. */
  switch (particle)
    {
    case DQM_PARTICLE_ELECTRON:
    case DQM_PARTICLE_POSITRON:
      truth->signal_like = triggering && dqm_random_chance (&sim->rng, s->beam.signal_fraction);
      electron_shower (sim, pulse, energy, truth->signal_like, x, y, dt_ns, truth);
      break;
    case DQM_PARTICLE_HADRON:
      hadron_shower (sim, pulse, energy, x, y, dt_ns, truth);
      break;
    case DQM_PARTICLE_MUON:
      muon_track (sim, pulse, x, y, dt_ns, truth);
      break;
    case DQM_PARTICLE_NONE:
    case DQM_N_PARTICLES:
    default:
      g_assert_not_reached ();
    }
}

static void
add_noise_pulses (DqmSim *sim)
{
  const DqmSetup *s = sim->setup;
  double window_ns = s->msadc.samples * DQM_SAMPLE_NS;
  gboolean active = faults_active (sim);

  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      double p = active && sim->faults.veto_noise[c] >= 0 ? sim->faults.veto_noise[c] : s->veto.noise_probability;

      if (dqm_random_chance (&sim->rng, p))
        veto_hit (sim, 2, c, 1, dqm_random_range (&sim->rng, -0.3, 0.3) * window_ns, NULL);
    }
  if (!active)
    return;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    if (sim->faults.hot[slot] && dqm_random_chance (&sim->rng, 0.5))
      {
        sim->amplitude[2][slot] += dqm_random_range (&sim->rng, 300, 1500);
        sim->peak_ns[2][slot] = dqm_random_range (&sim->rng, 0.2, 0.8) * window_ns;
      }
}

static void
synthesize_waveforms (DqmSim *sim, DqmEvent *event)
{
  const DqmMsadcSetup *msadc = &sim->setup->msadc;
  gboolean active = faults_active (sim);

  event->n_samples = msadc->samples;
  event->n_sadc = DQM_N_CHANNELS;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmSadcRecord *record = &event->sadc[slot];
      gboolean dead = active && sim->faults.dead[slot];
      double drift = active ? sim->faults.pedestal_drift[slot] * (sim->spill - sim->faults.first_spill + 1) : 0;

      record->channel = dqm_channel_from_slot (slot);
      record->flags = 0;
      for (guint s = 0; s < msadc->samples; s++)
        {
          double t = s * DQM_SAMPLE_NS;
          double v = sim->pedestal[slot][s & 1] + drift
                     + msadc->noise_counts * sim->noise[dqm_random_next (&sim->rng) >> 52];
          long counts;

          for (guint p = 0; p < N_PULSES && !dead; p++)
            if (sim->amplitude[p][slot] > 0)
              v += sim->amplitude[p][slot]
                   * dqm_pulse_shape_value (&sim->shape, t - (sim->peak_ns[p][slot] - sim->shape.rise_ns));
          counts = lround (v);
          if (counts > DQM_SAMPLE_MAX)
            {
              counts = DQM_SAMPLE_MAX;
              record->flags |= DQM_SADC_FLAG_OVERFLOW;
            }
          record->samples[s] = (guint16) MAX (0, counts);
        }
    }
}

void
dqm_sim_generate_particle (DqmSim *sim, guint spill, guint32 trigger, DqmParticle particle,
                           DqmEvent *event, DqmSimTruth *truth)
{
  const DqmSpillSetup *spill_setup = &sim->setup->spill;

  g_return_if_fail (particle < DQM_N_PARTICLES);

  sim->spill = spill;
  memset (sim->amplitude, 0, sizeof sim->amplitude);
  memset (truth, 0, sizeof *truth);
  truth->particle = DQM_PARTICLE_NONE;
  truth->trigger = trigger;
  event->trigger = trigger;
  event->n_hits = 0;
  memset (event->dropped, 0, sizeof event->dropped);

  if (particle != DQM_PARTICLE_NONE)
    {
      add_particle (sim, 0, particle, 0, TRUE, event, truth);
      if (dqm_random_chance (&sim->rng, spill_setup->pileup_probability))
        {
          DqmSimTruth other = { 0 };
          double dt = dqm_random_range (&sim->rng, -1, 1) * spill_setup->pileup_window_ns;

          add_particle (sim, 1, choose_particle (sim), dt, FALSE, event, &other);
          truth->pileup = TRUE;
        }
    }
  add_noise_pulses (sim);
  synthesize_waveforms (sim, event);
  dqm_sim_micromegas_noise (sim->setup, &sim->rng, event);
}

void
dqm_sim_generate (DqmSim *sim, guint spill, guint32 trigger, DqmEvent *event, DqmSimTruth *truth)
{
  DqmParticle particle = DQM_PARTICLE_NONE;

  g_return_if_fail (sim != NULL);

  sim->spill = spill;
  if (!(trigger & DQM_TRIGGER_RANDOM))
    particle = choose_particle (sim);
  dqm_sim_generate_particle (sim, spill, trigger, particle, event, truth);
}
