/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated NA64 events: the trigger on a beam particle and the particles
 * sharing its readout window, then their deposits as MSADC waveforms and
 * Micromegas hits; random and LED triggers. The particles' physics is in
 * dqm-sim-physics.c. */
#include "dqm-sim.h"
#include "dqm-sim-private.h"

#include <math.h>
#include <string.h>

#include "dqm-random.h"
#include "dqm-sim-micromegas.h"

/* Micromegas see particles within this of the trigger (APV samples) [est]. */
#define MICROMEGAS_WINDOW_NS 100.0

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
  sim->time_in_spill_s = 1e3;
  sim->intensity_hz = setup->spill.beam_rate_hz;

  /* Pedestals and the LED light belong to the hardware, not to the run:
   * drawn from their own seed so every run of the same setup shows the
   * same ones. */
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmRandom hardware;
      DqmChannelInfo info;
      double even, odd;

      dqm_random_init (&hardware, (guint64) msadc->pedestal_seed * 100003u + dqm_channel_from_slot (slot));
      even = dqm_random_range (&hardware, msadc->pedestal_min, msadc->pedestal_max);
      sim->pedestal[slot][0] = even;
      odd = even + dqm_random_range (&hardware, -msadc->odd_even_difference_max, msadc->odd_even_difference_max);
      sim->pedestal[slot][1] = CLAMP (odd, 0, DQM_SAMPLE_MAX);
      dqm_channel_lookup (dqm_channel_from_slot (slot), &info);
      if (info.detector != DQM_DETECTOR_BEAM_COUNTER && info.detector != DQM_DETECTOR_UPSTREAM_VETO)
        sim->led_counts[slot] = setup->led.amplitude_counts
                                * fmax (0.1, 1 + setup->led.channel_spread * dqm_random_gauss (&hardware));
    }
  {
    double mean = 0;

    for (guint i = 0; i < DQM_SIM_NOISE_TABLE; i++)
      mean += sim->noise[i] = (float) dqm_random_gauss (&sim->rng);
    /* Centred: a table's mean (~1/64 sigma) summed over a calorimeter's
     * samples would bias its energy by a tenth of a GeV. */
    mean /= DQM_SIM_NOISE_TABLE;
    for (guint i = 0; i < DQM_SIM_NOISE_TABLE; i++)
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

void
dqm_sim_set_conditions (DqmSim *sim, guint spill, double time_in_spill_s, double intensity_hz)
{
  g_return_if_fail (sim != NULL);

  sim->spill = spill;
  sim->time_in_spill_s = time_in_spill_s;
  sim->intensity_hz = MAX (0, intensity_hz);
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

double
dqm_sim_led_counts (const DqmSim *sim, guint slot)
{
  g_return_val_if_fail (sim != NULL && slot < DQM_N_CHANNELS, 0);

  return sim->led_counts[slot];
}

double
dqm_sim_gain (const DqmSim *sim, guint slot)
{
  const DqmSetup *s = sim->setup;
  double gain = 1;

  g_return_val_if_fail (sim != NULL && slot < DQM_N_CHANNELS, 1);

  if (!dqm_sim_faults_active (sim))
    return 1;
  gain += sim->faults.gain_drift[slot] * (sim->spill - sim->faults.first_spill + 1);
  if (sim->faults.ecal_sag > 0
      && (int) slot == dqm_channel_slot (dqm_channel_ecal (1, s->ecal.beam_x, s->ecal.beam_y))
      && s->spill.beam_rate_hz > 0)
    gain *= 1 - sim->faults.ecal_sag * (sim->intensity_hz / s->spill.beam_rate_hz)
                * exp (-sim->time_in_spill_s / sim->faults.ecal_sag_s);
  return fmax (0, gain);
}

/* --- deposits ---------------------------------------------------------- */

/* @mev of deposit (counts for the beam counters, whose calibration is 1). */
static void
add_pulse (DqmSim *sim, guint pulse, guint channel, double mev, double offset_ns, double dt_ns)
{
  int slot = dqm_channel_slot (channel);
  const DqmMsadcSetup *msadc = &sim->setup->msadc;
  double counts = mev / sim->setup->mev_per_count[slot] * dqm_sim_gain (sim, slot);

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

        add_pulse (sim, pulse, channel_of (group, x, y), energy_gev * 1000 * share, offset_ns, dt_ns);
      }
}

static void
deposit_ecal (DqmSim *sim, guint pulse, const DqmSimParticle *p)
{
  const DqmEcalSetup *ecal = &sim->setup->ecal;
  double w = p->width_scale;

  for (guint section = 0; section < 2; section++)
    {
      /* The preshower sees the shower's start, narrower than its bulk. */
      double scale = section == 0 ? 0.7 * w : w;

      deposit_on_grid (sim, pulse, DQM_ECAL_NX, DQM_ECAL_NY, ecal->cell_pitch_mm, p->x_mm, p->y_mm,
                       ecal->core_width_mm * scale, ecal->halo_width_mm * scale, ecal->core_fraction,
                       (section == 0 ? p->ps_gev : p->main_gev) * p->ecal_scale, ecal->time_offset_ns, p->dt_ns,
                       dqm_channel_ecal, section);
    }
}

static void
deposit_hcal (DqmSim *sim, guint pulse, const DqmSimParticle *p)
{
  const DqmHcalSetup *hcal = &sim->setup->hcal;
  gboolean mip = p->process == DQM_PROCESS_MUON || p->process == DQM_PROCESS_DECAY;

  for (guint m = 0; m < DQM_HCAL_MODULES; m++)
    if (mip)
      add_pulse (sim, pulse, dqm_channel_hcal (m, 1, 1), p->hcal_gev[m] * 1000, hcal->time_offset_ns, p->dt_ns);
    else
      /* The beam hits the central cell (1,1), which the grid puts around 0. */
      deposit_on_grid (sim, pulse, DQM_HCAL_NX, DQM_HCAL_NY, hcal->cell_pitch_mm, p->x_mm, p->y_mm,
                       hcal->core_width_mm, hcal->halo_width_mm, hcal->core_fraction, p->hcal_gev[m],
                       hcal->time_offset_ns, p->dt_ns, dqm_channel_hcal, m);
}

/* The GeV a counter saw (0 when it missed the particle). */
static double
veto_hit (DqmSim *sim, guint pulse, guint counter, double mips, double dt_ns)
{
  const DqmVetoSetup *veto = &sim->setup->veto;
  double efficiency = veto->efficiency, energy_gev;

  if (dqm_sim_faults_active (sim) && sim->faults.veto_efficiency[counter] >= 0)
    efficiency = sim->faults.veto_efficiency[counter];
  if (mips <= 0 || !dqm_random_chance (&sim->rng, efficiency))
    return 0;
  if (mips < 1.5)
    energy_gev = veto->mip_gev * fmax (0.3, dqm_random_landau (&sim->rng, 1, 0.08));
  else
    energy_gev = veto->mip_gev * dqm_random_gamma (&sim->rng, 4 * mips, mips);
  for (guint p = 0; p < DQM_VETO_PMTS; p++)
    add_pulse (sim, pulse, dqm_channel_veto (counter, p),
               energy_gev * 1000 * fmax (0, 1 + veto->pmt_spread * dqm_random_gauss (&sim->rng)),
               veto->time_offset_ns, dt_ns);
  return energy_gev;
}

static void
beam_counters (DqmSim *sim, guint pulse, const DqmSimParticle *p)
{
  const DqmCounterSetup *counters = &sim->setup->counters;

  for (guint i = 0; i < DQM_BEAM_COUNTERS; i++)
    add_pulse (sim, pulse, dqm_channel_beam_counter (i),
               counters->mip_counts * fmax (0.2, dqm_random_landau (&sim->rng, 1, counters->mip_spread / 2)),
               counters->time_offset_ns, p->dt_ns);
  for (guint i = 0; i < DQM_UPSTREAM_VETOES; i++)
    if (p->upstream_veto[i])
      add_pulse (sim, pulse, dqm_channel_upstream_veto (i), counters->mip_counts, counters->time_offset_ns, p->dt_ns);
}

/* One particle through the whole setup as pulse @pulse; the truth of the
 * triggering one goes to @truth. */
static void
deposit_particle (DqmSim *sim, guint pulse, DqmSimParticle *p, DqmEvent *event, DqmSimTruth *truth)
{
  const DqmSetup *s = sim->setup;
  gboolean srd_off = dqm_sim_faults_active (sim) && sim->faults.srd_off;

  dqm_sim_particle_complete (sim, p);
  beam_counters (sim, pulse, p);
  if (fabs (p->dt_ns) < MICROMEGAS_WINDOW_NS)
    dqm_sim_micromegas_track (s, &sim->rng, p->momentum_gev, event);
  for (guint m = 0; m < DQM_SRD_MODULES && !srd_off; m++)
    add_pulse (sim, pulse, dqm_channel_srd (m), p->srd_mev[m], s->srd.time_offset_ns, p->dt_ns);
  deposit_ecal (sim, pulse, p);
  deposit_hcal (sim, pulse, p);
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      double gev = veto_hit (sim, pulse, c, p->veto_mips[c], p->dt_ns);

      if (truth)
        truth->veto_gev[c] += gev;
    }
  if (truth == NULL)
    return;
  truth->particle = p->particle;
  truth->process = p->process;
  truth->signal_like = p->process == DQM_PROCESS_SIGNAL;
  truth->low_energy_tail = p->process == DQM_PROCESS_TAIL;
  truth->energy_gev = p->energy_gev;
  truth->momentum_gev = p->momentum_gev;
  truth->impact_x_mm = p->x_mm;
  truth->impact_y_mm = p->y_mm;
  truth->ecal_ps_gev = p->ps_gev;
  truth->ecal_main_gev = p->main_gev;
  truth->ecal_gev = (p->ps_gev + p->main_gev) * p->ecal_scale;
  memcpy (truth->hcal_gev, p->hcal_gev, sizeof truth->hcal_gev);
  for (guint m = 0; m < DQM_SRD_MODULES; m++)
    truth->srd_mev[m] = srd_off ? 0 : p->srd_mev[m];
}

static void
add_noise_pulses (DqmSim *sim)
{
  const DqmSetup *s = sim->setup;
  double window_ns = s->msadc.samples * DQM_SAMPLE_NS;
  gboolean active = dqm_sim_faults_active (sim);

  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      double p = active && sim->faults.veto_noise[c] >= 0 ? sim->faults.veto_noise[c] : s->veto.noise_probability;

      if (dqm_random_chance (&sim->rng, p))
        veto_hit (sim, DQM_SIM_PULSE_NOISE, c, 1, dqm_random_range (&sim->rng, -0.3, 0.3) * window_ns);
    }
  if (!active)
    return;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    if (sim->faults.hot[slot] && dqm_random_chance (&sim->rng, 0.5))
      {
        sim->amplitude[DQM_SIM_PULSE_NOISE][slot] += dqm_random_range (&sim->rng, 300, 1500);
        sim->peak_ns[DQM_SIM_PULSE_NOISE][slot] = dqm_random_range (&sim->rng, 0.2, 0.8) * window_ns;
      }
}

/* The LED flashes every calorimeter and counter channel at the in-time peak. */
static void
add_led_pulses (DqmSim *sim)
{
  const DqmSetup *s = sim->setup;

  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    if (sim->led_counts[slot] > 0)
      {
        sim->amplitude[0][slot] = sim->led_counts[slot] * dqm_sim_gain (sim, slot)
                                  * fmax (0, 1 + s->led.pulse_spread * dqm_random_gauss (&sim->rng));
        sim->peak_ns[0][slot] = s->msadc.peak_time_ns + s->msadc.time_jitter_ns * dqm_random_gauss (&sim->rng);
      }
}

static void
synthesize_waveforms (DqmSim *sim, DqmEvent *event)
{
  const DqmMsadcSetup *msadc = &sim->setup->msadc;
  gboolean active = dqm_sim_faults_active (sim);

  event->n_samples = msadc->samples;
  event->n_sadc = DQM_N_CHANNELS;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmSadcRecord *record = &event->sadc[slot];
      gboolean dead = active && sim->faults.dead[slot];
      double drift = active ? sim->faults.pedestal_drift[slot] * (sim->spill - sim->faults.first_spill + 1) : 0;
      guint pulses[DQM_SIM_PULSES], n_pulses = 0;

      for (guint p = 0; p < DQM_SIM_PULSES && !dead; p++)
        if (sim->amplitude[p][slot] > 0)
          pulses[n_pulses++] = p;
      record->channel = dqm_channel_from_slot (slot);
      record->flags = 0;
      for (guint s = 0; s < msadc->samples; s++)
        {
          double t = s * DQM_SAMPLE_NS;
          double v = sim->pedestal[slot][s & 1] + drift
                     + msadc->noise_counts * sim->noise[dqm_random_next (&sim->rng) >> 52];
          long counts;

          for (guint i = 0; i < n_pulses; i++)
            v += sim->amplitude[pulses[i]][slot]
                 * dqm_pulse_shape_value (&sim->shape, t - (sim->peak_ns[pulses[i]][slot] - sim->shape.rise_ns));
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

/* --- trigger and readout ----------------------------------------------- */

/* Other beam particles in the readout window of one at time 0: from the
 * instantaneous rate, from those early enough that only their pulses'
 * tails reach in to the end of the window. Drawn apart from the particles
 * the run lets arrive: a Poisson stream has no memory. */
static void
draw_pileup (DqmSim *sim)
{
  const DqmSetup *s = sim->setup;
  double before = s->msadc.peak_time_ns + s->trigger.pileup_tail_ns;
  double after = s->msadc.samples * DQM_SAMPLE_NS - s->msadc.peak_time_ns;
  guint n = dqm_random_poisson (&sim->rng, sim->intensity_hz * (before + after) * 1e-9);

  sim->n_particles = 1;
  for (guint i = 0; i < MIN (n, DQM_SIM_MAX_PILEUP); i++)
    {
      DqmSimParticle *p = &sim->particles[sim->n_particles++];

      dqm_sim_beam_particle (sim, p);
      p->dt_ns = dqm_random_range (&sim->rng, -before, after);
    }
}

guint32
dqm_sim_trigger (DqmSim *sim, const DqmSimParticle *particle, gboolean prescaled)
{
  const DqmTriggerSetup *t;
  DqmSimParticle in_gate;
  guint32 bits = 0;

  g_return_val_if_fail (sim != NULL && particle != NULL, 0);

  t = &sim->setup->trigger;
  sim->particles[0] = *particle;
  sim->particles[0].dt_ns = 0;
  draw_pileup (sim);
  /* The trigger's sums see every particle within its gate. */
  in_gate = sim->particles[0];
  in_gate.ps_gev *= in_gate.ecal_scale;
  in_gate.main_gev *= in_gate.ecal_scale;
  in_gate.ecal_scale = 1;
  for (guint i = 1; i < sim->n_particles; i++)
    {
      const DqmSimParticle *p = &sim->particles[i];

      if (fabs (p->dt_ns) > t->gate_ns)
        continue;
      in_gate.ps_gev += p->ps_gev * p->ecal_scale;
      in_gate.main_gev += p->main_gev * p->ecal_scale;
      for (guint v = 0; v < DQM_UPSTREAM_VETOES; v++)
        in_gate.upstream_veto[v] |= p->upstream_veto[v];
    }
  if (dqm_sim_physics_condition (sim, &in_gate))
    bits |= DQM_TRIGGER_PHYSICS;
  if (prescaled)
    bits |= DQM_TRIGGER_BEAM;
  return bits;
}

static void
begin_event (DqmSim *sim, guint32 trigger, DqmEvent *event, DqmSimTruth *truth)
{
  memset (sim->amplitude, 0, sizeof sim->amplitude);
  memset (truth, 0, sizeof *truth);
  truth->particle = DQM_PARTICLE_NONE;
  truth->process = DQM_PROCESS_NONE;
  truth->trigger = trigger;
  event->trigger = trigger;
  event->n_hits = 0;
  memset (event->dropped, 0, sizeof event->dropped);
}

static void
end_event (DqmSim *sim, DqmEvent *event)
{
  add_noise_pulses (sim);
  synthesize_waveforms (sim, event);
  dqm_sim_micromegas_noise (sim->setup, &sim->rng, event);
}

void
dqm_sim_record (DqmSim *sim, guint32 trigger, DqmEvent *event, DqmSimTruth *truth)
{
  const DqmTriggerSetup *t;

  g_return_if_fail (sim != NULL && sim->n_particles > 0);

  t = &sim->setup->trigger;
  begin_event (sim, trigger, event, truth);
  for (guint i = 0; i < sim->n_particles; i++)
    {
      deposit_particle (sim, i, &sim->particles[i], event, i == 0 ? truth : NULL);
      if (i > 0)
        truth->pileup_in_gate |= fabs (sim->particles[i].dt_ns) <= t->gate_ns;
    }
  truth->n_pileup = sim->n_particles - 1;
  truth->pileup = truth->n_pileup > 0;
  end_event (sim, event);
}

void
dqm_sim_generate_particle (DqmSim *sim, guint spill, guint32 trigger, DqmParticle particle,
                           DqmEvent *event, DqmSimTruth *truth)
{
  g_return_if_fail (sim != NULL && particle < DQM_N_PARTICLES);

  sim->spill = spill;
  if (particle == DQM_PARTICLE_NONE)
    {
      sim->n_particles = 0;
      begin_event (sim, trigger, event, truth);
      if (trigger & DQM_TRIGGER_LED)
        add_led_pulses (sim);
      end_event (sim, event);
      return;
    }
  {
    DqmSimParticle p;

    dqm_sim_particle_of_kind (sim, particle, &p);
    dqm_sim_trigger (sim, &p, FALSE);
    dqm_sim_record (sim, trigger, event, truth);
  }
}

void
dqm_sim_generate (DqmSim *sim, guint spill, guint32 trigger, DqmEvent *event, DqmSimTruth *truth)
{
  g_return_if_fail (sim != NULL);

  sim->spill = spill;
  dqm_sim_generate_particle (sim, spill, trigger,
                             trigger & (DQM_TRIGGER_RANDOM | DQM_TRIGGER_LED) ? DQM_PARTICLE_NONE
                                                                             : dqm_sim_choose_particle (sim),
                             event, truth);
}
