/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator: reproducible, structured like the DAQ's runs, and its
 * waveforms and hits encode the truth it reports. Faults do what they say. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-error.h"
#include "dqm-pulse.h"
#include "dqm-sim-run.h"
#include "dqm-sim-micromegas.h"
#include "test-chain.h"

#define START_NS 1790000000000000000ull


static const char *const short_spills[] = {
  "spill", "length_s", "0.5", "spill", "gap_s", "0.7", NULL,
};

static GPtrArray *
run_bodies (const DqmSetup *setup, const DqmSimFaults *faults, guint spills, guint64 seed)
{
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, faults, 4, spills, seed, START_NS);
  GPtrArray *bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  DqmSimMessage message;

  while (dqm_sim_run_next (run, &message))
    g_ptr_array_add (bodies, g_bytes_new (message.body->data, message.body->len));
  return bodies;
}

static void
test_same_seed_same_stream (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (short_spills);
  g_autoptr(GPtrArray) a = run_bodies (setup, NULL, 2, 11);
  g_autoptr(GPtrArray) b = run_bodies (setup, NULL, 2, 11);
  g_autoptr(GPtrArray) c = run_bodies (setup, NULL, 2, 12);
  guint differing = 0;

  g_assert_cmpuint (a->len, >, 1000);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_true (g_bytes_equal (a->pdata[i], b->pdata[i]));
  for (guint i = 0; i < MIN (a->len, c->len); i++)
    differing += !g_bytes_equal (a->pdata[i], c->pdata[i]);
  g_assert_cmpuint (differing, >, a->len / 2);
}

/* sor, then per spill sos / evt… / eos, eor; heartbeats each second; every
 * counter and time consistent. */
static void
test_run_structure (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (short_spills);
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, NULL, 4, 3, 5, START_NS);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmSimMessage sim_message;
  DqmMsgType expect = DQM_MSG_SOR;
  guint64 last_time = 0, last_hbt = START_NS, last_id = 0, in_spill = 0, total = 0, sos_time = 0, eos_time = 0;
  guint64 physics_in_spill = 0;
  /* The beam's 0.5 s, then the calibration triggers before eos. */
  guint64 spill_ns = 500000000ull + (guint64) (setup->spill.calibration_s * 1e9);
  guint spill = 0, hbts = 0;

  while (dqm_sim_run_next (run, &sim_message))
    {
      g_autoptr(GError) error = NULL;
      DqmMessage m;

      g_assert_true (dqm_stream_decode_message (sim_message.topic, 3, sim_message.body->data,
                                                sim_message.body->len, &m, storage, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (m.run, ==, 4);
      g_assert_cmpuint (sim_message.time_ns, >=, last_time);
      last_time = sim_message.time_ns;
      if (m.type == DQM_MSG_HBT)
        {
          g_assert_cmpuint (m.hbt.time_ns - last_hbt, ==, 1000000000ull);
          g_assert_cmpuint (m.hbt.events_sent, ==, total);
          last_hbt = m.hbt.time_ns;
          hbts++;
          continue;
        }
      if (expect == DQM_MSG_EVT && m.type != DQM_MSG_EVT)
        expect = DQM_MSG_EOS;
      if (expect == DQM_MSG_SOS && m.type == DQM_MSG_EOR)
        expect = DQM_MSG_EOR;
      g_assert_cmpint (m.type, ==, expect);
      switch (m.type)
        {
        case DQM_MSG_SOR:
          g_assert_cmpuint (m.sor.beam, ==, DQM_BEAM_ELECTRON);
          g_assert_cmpuint (m.sor.beam_energy_gev, ==, 100);
          g_assert_cmpstr (m.sor.tag, ==, setup->setup_tag);
          g_assert_cmpuint (m.sor.time_ns, ==, START_NS);
          expect = DQM_MSG_SOS;
          break;
        case DQM_MSG_SOS:
          g_assert_cmpuint (m.sos.spill, ==, ++spill);
          if (spill > 1)
            g_assert_cmpuint (m.sos.time_ns - eos_time, ==, 700000000ull);
          sos_time = m.sos.time_ns;
          in_spill = physics_in_spill = 0;
          expect = DQM_MSG_EVT;
          break;
        case DQM_MSG_EVT:
          g_assert_cmpuint (m.evt->event_id, ==, last_id + 1);
          g_assert_cmpuint (m.evt->event_in_spill, ==, ++in_spill);
          g_assert_cmpuint (m.evt->spill, ==, spill);
          g_assert_cmpuint (m.evt->time_ns, >=, sos_time);
          g_assert_cmpuint (m.evt->time_ns, <, sos_time + spill_ns);
          physics_in_spill += (m.evt->trigger & DQM_TRIGGER_PHYSICS) != 0;
          g_assert_cmpuint (m.evt->n_sadc, ==, DQM_N_CHANNELS);
          g_assert_cmpuint (m.evt->n_samples, ==, 32);
          for (guint r = 0; r < DQM_N_DROP_REASONS; r++)
            g_assert_cmpuint (m.evt->dropped[r], ==, 0);
          last_id = m.evt->event_id;
          total++;
          break;
        case DQM_MSG_EOS:
          g_assert_cmpuint (m.eos.spill, ==, spill);
          g_assert_cmpuint (m.eos.time_ns - sos_time, ==, spill_ns);
          g_assert_cmpuint (m.eos.events_sent, ==, in_spill);
          g_assert_cmpuint (m.eos.triggers, >=, physics_in_spill);
          g_assert_cmpuint (m.eos.triggers, <=, physics_in_spill / setup->trigger.live_fraction * 1.2 + 10);
          eos_time = m.eos.time_ns;
          expect = DQM_MSG_SOS;
          break;
        case DQM_MSG_EOR:
          g_assert_cmpuint (m.eor.events_sent, ==, total);
          g_assert_cmpuint (spill, ==, 3);
          expect = 0;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_cmpint (expect, ==, 0);
  /* 3 × 0.7 s + 2 × 0.7 s + margins ≈ 3.9 s */
  g_assert_cmpuint (hbts, ==, 3);
  g_assert_cmpuint (dqm_sim_run_events_sent (run), ==, total);
}

static gboolean
within_sigmas (double observed, double expected, double sigma, double n_sigma)
{
  return fabs (observed - expected) <= n_sigma * sigma;
}

/* The trigger decides what is recorded: the eos scalers count the beam
 * (S1·S2) and the physics triggers fired; the DAQ reads out its live share
 * of them and of the prescaled beam triggers, and exactly the configured
 * random and LED triggers after the beam. */
static void
test_rates (void)
{
  const char *const overrides[] = { "spill", "length_s", "1", "spill", "intensity_spread", "0",
                                    "trigger", "beam_prescale", "2000", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, NULL, 1, 3, 99, START_NS);
  DqmSimMessage sim_message;
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  guint64 events = 0, by_bit[4] = { 0 }, triggers = 0, on_target = 0, sent = 0;
  guint64 spill_end_ns = 0, beam_end_ns = 0;
  double live = setup->trigger.live_fraction, beam_expected, physics_expected;

  while (dqm_sim_run_next (run, &sim_message))
    {
      DqmMessage m;

      g_assert_true (dqm_stream_decode (sim_message.body->data, sim_message.body->len, &m, storage, NULL));
      if (m.type == DQM_MSG_SOS)
        beam_end_ns = m.sos.time_ns + (guint64) (setup->spill.length_s * 1e9);
      if (m.type == DQM_MSG_EVT)
        {
          events++;
          for (guint b = 0; b < 4; b++)
            by_bit[b] += (m.evt->trigger >> b) & 1;
          /* Calibration triggers come after the beam, beam ones during it. */
          if (m.evt->trigger & (DQM_TRIGGER_RANDOM | DQM_TRIGGER_LED))
            g_assert_cmpuint (m.evt->time_ns, >=, beam_end_ns);
          else
            g_assert_cmpuint (m.evt->time_ns, <, beam_end_ns);
        }
      else if (m.type == DQM_MSG_EOS)
        {
          triggers += m.eos.triggers;
          on_target += m.eos.beam_counts;
          sent += m.eos.events_sent;
          spill_end_ns = m.eos.time_ns;
          g_assert_cmpuint (spill_end_ns, >=, beam_end_ns + (guint64) (setup->spill.calibration_s * 1e9));
        }
    }
  g_test_message ("per spill: %.0f on target, %.0f physics triggers, %.0f events", on_target / 3.0, triggers / 3.0,
                  events / 3.0);
  /* A Poisson beam at the configured rate: ≥ 10⁶ a 4.8 s spill. */
  g_assert_true (within_sigmas (on_target, 3 * setup->spill.beam_rate_hz, sqrt (3 * setup->spill.beam_rate_hz), 5));
  g_assert_cmpuint (sent, ==, events);
  g_assert_cmpuint (by_bit[1], ==, 3 * setup->trigger.random_per_spill);
  g_assert_cmpuint (by_bit[2], ==, 3 * setup->trigger.led_per_spill);
  beam_expected = live * (on_target / 2000);
  g_assert_true (within_sigmas (by_bit[3], beam_expected, sqrt (beam_expected), 5));
  physics_expected = live * triggers;
  g_assert_true (within_sigmas (by_bit[0], physics_expected, sqrt (physics_expected * (1 - live)) + 1, 5));
  /* The physics trigger keeps a small part of the beam: a few kHz. */
  g_assert_cmpfloat (triggers / 3.0, >, 1000);
  g_assert_cmpfloat (triggers / 3.0, <, 10000);
}

/* The physics trigger records what fills the diagonal, below the beam
 * peak; the beam trigger records the beam as it is. Pile-up follows the
 * instantaneous rate. */
static void
test_trigger_classes (void)
{
  const char *const overrides[] = { "spill", "length_s", "1", "trigger", "beam_prescale", "1000", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, NULL, 1, 2, 17, START_NS);
  DqmSimMessage m;
  guint64 physics = 0, below = 0, beam = 0, on_peak = 0, beam_electrons = 0, pileup = 0, beam_particles = 0;
  guint64 processes[DQM_N_PROCESSES] = { 0 };

  while (dqm_sim_run_next (run, &m))
    {
      const DqmSimTruth *t = m.truth;
      double hcal;

      if (m.type != DQM_MSG_EVT || m.truth->particle == DQM_PARTICLE_NONE)
        continue;
      hcal = t->hcal_gev[0] + t->hcal_gev[1] + t->hcal_gev[2] + t->hcal_gev[3];
      beam_particles++;
      pileup += t->pileup;
      if (m.event->trigger & DQM_TRIGGER_PHYSICS)
        {
          physics++;
          below += t->ecal_gev < setup->trigger.physics_ecal_max_gev || t->pileup_in_gate;
          processes[t->process]++;
        }
      if ((m.event->trigger & DQM_TRIGGER_BEAM) && t->particle == DQM_PARTICLE_ELECTRON)
        {
          beam_electrons++;
          on_peak += fabs (t->ecal_gev + hcal - 100) < 5;
        }
      beam += (m.event->trigger & DQM_TRIGGER_BEAM) != 0;
    }
  for (guint p = 0; p < DQM_N_PROCESSES; p++)
    if (processes[p])
      g_test_message ("physics trigger: %-22s %.4f", dqm_sim_process_name (p), (double) processes[p] / physics);
  g_test_message ("pile-up in %.3f of the events", (double) pileup / beam_particles);
  g_assert_cmpuint (below, ==, physics);
  /* What fills the diagonal: electro-nuclear events, hadrons, the tail. */
  g_assert_cmpuint (processes[DQM_PROCESS_ELECTRONUCLEAR], >, 0.05 * physics);
  g_assert_cmpuint (processes[DQM_PROCESS_HADRON_SHOWER], >, 0.05 * physics);
  g_assert_cmpuint (processes[DQM_PROCESS_TAIL], >, 0.05 * physics);
  g_assert_cmpuint (processes[DQM_PROCESS_SHOWER], <, 0.01 * physics);
  /* The beam trigger: mostly full-energy electrons. */
  g_assert_cmpuint (beam, >, 800);
  g_assert_cmpuint (beam_electrons, >, 0.98 * beam);
  g_assert_cmpuint (on_peak, >, 0.97 * beam_electrons);
  /* 625 kHz over the ~500 ns a pulse can reach the window: 15–30 %. */
  g_assert_cmpfloat ((double) pileup / beam_particles, >, 0.15);
  g_assert_cmpfloat ((double) pileup / beam_particles, <, 0.30);
}

static void
test_composition (void)
{
  const char *const overrides[] = { "beam-e-", "hadron_fraction", "0.1", "beam-e-", "muon_fraction", "0.05", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 3);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  guint counts[DQM_N_PARTICLES] = { 0 };
  const guint n = 20000;
  DqmSimTruth truth;

  for (guint i = 0; i < n; i++)
    {
      dqm_sim_generate (sim, 1, DQM_TRIGGER_PHYSICS, event, &truth);
      counts[truth.particle]++;
    }
  g_assert_true (within_sigmas (counts[DQM_PARTICLE_HADRON], 0.1 * n, sqrt (0.1 * 0.9 * n), 5));
  g_assert_true (within_sigmas (counts[DQM_PARTICLE_MUON], 0.05 * n, sqrt (0.05 * 0.95 * n), 5));
  g_assert_cmpuint (counts[DQM_PARTICLE_ELECTRON] + counts[DQM_PARTICLE_HADRON] + counts[DQM_PARTICLE_MUON], ==, n);

  /* A random trigger has no particle: only pedestals and noise. */
  dqm_sim_generate (sim, 1, DQM_TRIGGER_RANDOM, event, &truth);
  g_assert_cmpint (truth.particle, ==, DQM_PARTICLE_NONE);
  g_assert_cmpfloat (truth.ecal_gev, ==, 0);
}

/* Energy a channel's waveform carries: the pulse integral above the
 * even/odd pedestals, in units of the calibration. */
static double
waveform_energy_gev (const DqmSim        *sim,
                     const DqmSetup      *setup,
                     const DqmSadcRecord *record,
                     double               mev_per_count)
{
  static DqmPulseShape shape;
  double integral = 0, sum = 0;

  dqm_pulse_shape_init (&shape, setup->msadc.pulse_tau_ns, setup->msadc.pulse_power);
  for (guint i = 0; i < DQM_PULSE_TABLE_SIZE; i++)
    integral += shape.table[i] * DQM_PULSE_TABLE_STEP_NS;
  for (guint s = 0; s < setup->msadc.samples; s++)
    sum += record->samples[s] - dqm_sim_pedestal (sim, record->channel, s & 1, 1);
  return sum * DQM_SAMPLE_NS / integral * mev_per_count / 1000;
}

static void
detector_energies (const DqmSim   *sim,
                   const DqmSetup *setup,
                   const DqmEvent *event,
                   double         *ecal,
                   double         *hcal)
{
  *ecal = *hcal = 0;
  for (guint i = 0; i < event->n_sadc; i++)
    {
      DqmChannelInfo info;

      dqm_channel_lookup (event->sadc[i].channel, &info);
      if (info.detector == DQM_DETECTOR_ECAL)
        *ecal += waveform_energy_gev (sim, setup, &event->sadc[i],
                                      info.module ? setup->ecal.main_mev_per_count : setup->ecal.preshower_mev_per_count);
      else if (info.detector == DQM_DETECTOR_HCAL)
        *hcal += waveform_energy_gev (sim, setup, &event->sadc[i], setup->hcal.mev_per_count);
    }
}

/* Closing the loop inside the simulator: its waveforms carry the energies
 * its truth reports, and the electrons' showers have the resolution the
 * configuration asks for. */
static void
test_waveforms_encode_truth (void)
{
  const char *const overrides[] = { "spill", "beam_rate_hz", "0", "beam-e-", "low_energy_tail_fraction", "0",
                                    "beam-e-", "signal_fraction", "0", "ecal", "electronuclear_probability", "0",
                                    "beam-e-", "upstream_interaction_probability", "0", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 8);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  double ratio_sum = 0, truth_sum = 0, truth_sq = 0, ps_sum = 0, hcal_difference = 0;
  const guint n = 400;

  for (guint i = 0; i < n; i++)
    {
      DqmSimTruth truth;
      double ecal, hcal;

      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
      detector_energies (sim, setup, event, &ecal, &hcal);
      ratio_sum += ecal / truth.ecal_gev;
      g_assert_cmpfloat (fabs (ecal / truth.ecal_gev - 1), <, 0.05);
      /* 36 channels of noise integrated: ~0.6 GeV rms around the leak. */
      g_assert_cmpfloat (fabs (hcal - truth.hcal_gev[0]), <, 3);
      hcal_difference += hcal - truth.hcal_gev[0];
      truth_sum += truth.ecal_gev + truth.hcal_gev[0];
      truth_sq += pow (truth.ecal_gev + truth.hcal_gev[0], 2);
      ps_sum += truth.ecal_ps_gev;
    }
  g_assert_cmpfloat (fabs (ratio_sum / n - 1), <, 0.01);
  g_test_message ("HCAL energy in the waveforms against the truth: %+.3f GeV", hcal_difference / n);
  /* ~0.6 GeV rms an event: the mean of 400 within ±0.03 GeV (1σ). */
  g_assert_cmpfloat (fabs (hcal_difference / n), <, 0.1);
  {
    double mean = truth_sum / n, rms = sqrt (truth_sq / n - mean * mean);
    double expected = 100 * hypot (hypot (0.10 / sqrt (100), 0.01), setup->beam.energy_spread);

    g_assert_cmpfloat (fabs (mean - 100), <, 0.5);
    g_assert_cmpfloat (fabs (rms / expected - 1), <, 0.15);
  }
  /* "a few GeV" in the preshower */
  g_assert_cmpfloat (ps_sum / n, >, 2);
  g_assert_cmpfloat (ps_sum / n, <, 8);
}

/* All three SRD modules lit: what an electron does and a hadron or muon
 * almost never (a knock-on electron lights one module in a few %). */
static gboolean
srd_all_lit (const DqmSetup *setup, const DqmSimTruth *truth)
{
  for (guint m = 0; m < DQM_SRD_MODULES; m++)
    if (truth->srd_mev[m] < setup->cuts.srd_module_min_mev)
      return FALSE;
  return TRUE;
}

static void
test_particles_look_like_themselves (void)
{
  const char *const overrides[] = { "spill", "beam_rate_hz", "0", "beam-e-", "decay_probability", "0",
                                    "beam-e-", "upstream_interaction_probability", "0", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 21);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  guint srd_electrons = 0, srd_others = 0, muon_vetoes = 0, muon_hcal = 0, hadron_hcal = 0;
  const guint n = 500;
  DqmSimTruth truth;

  for (guint i = 0; i < n; i++)
    {
      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
      srd_electrons += srd_all_lit (setup, &truth);
      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_HADRON, event, &truth);
      srd_others += srd_all_lit (setup, &truth);
      /* Mostly in the HCAL, unless a charge exchange made a π⁰ shower. */
      hadron_hcal += truth.hcal_gev[0] + truth.hcal_gev[1] + truth.hcal_gev[2] + truth.hcal_gev[3] > 10;
      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_MUON, event, &truth);
      srd_others += srd_all_lit (setup, &truth);
      muon_vetoes += truth.veto_gev[0] > 0 && truth.veto_gev[1] > 0 && truth.veto_gev[2] > 0;
      muon_hcal += truth.hcal_gev[0] > 1.2 && truth.hcal_gev[1] > 1.2 && truth.hcal_gev[2] > 1.2;
      g_assert_cmpfloat (truth.ecal_gev, <, 3);
    }
  g_assert_cmpuint (srd_electrons, >=, n * 0.99);
  g_assert_cmpuint (srd_others, ==, 0);
  g_assert_cmpuint (muon_vetoes, >=, n * 0.99);
  g_assert_cmpuint (muon_hcal, >=, n * 0.95);
  g_assert_cmpuint (hadron_hcal, >=, n * 0.9);
}

static void
test_signal_like_events (void)
{
  const char *const overrides[] = { "beam-e-", "signal_fraction", "1", "spill", "beam_rate_hz", "0",
                                    "beam-e-", "low_energy_tail_fraction", "0",
                                    "beam-e-", "upstream_interaction_probability", "0", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 5);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmSimTruth truth;

  for (guint i = 0; i < 200; i++)
    {
      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
      g_assert_true (truth.signal_like);
      g_assert_cmpfloat (truth.ecal_gev, <, 0.5 * truth.energy_gev * 1.2);
      g_assert_cmpfloat (truth.hcal_gev[0] + truth.hcal_gev[1] + truth.hcal_gev[2] + truth.hcal_gev[3], ==, 0);
      g_assert_cmpfloat (truth.veto_gev[0] + truth.veto_gev[1] + truth.veto_gev[2], ==, 0);
      g_assert_cmpfloat (truth.srd_mev[0] + truth.srd_mev[1] + truth.srd_mev[2], >, 0);
    }
}

/* Downstream Micromegas see the track where the magnets' deflection of its
 * momentum puts it. */
static void
test_tracker_hits (void)
{
  const char *const overrides[] = { "tracker", "noise_hits_per_plane", "0", "spill", "beam_rate_hz", "0",
                                    "tracker", "dead_strip_fraction", "0", "tracker", "scattering_mrad", "0",
                                    "beam-e-", "upstream_interaction_probability", "0",
                                    "beam-e-", "energy_spread", "0", "beam-e-", "low_energy_tail_fraction", "0", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 2);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmSimTruth truth;
  double centroid[DQM_TRACKER_PLANES] = { 0 }, weight[DQM_TRACKER_PLANES] = { 0 };
  const guint n = 200;

  g_assert_cmpfloat (dqm_sim_micromegas_offset_mm (setup, 7, 100), ==, 0);
  g_assert_cmpfloat (dqm_sim_micromegas_offset_mm (setup, 0, 90), ==, 0);
  /* 0.2998·7 T·m·(1/90 − 1/100) GeV⁻¹ over the 14 m from the kick to MM8 */
  g_assert_cmpfloat (fabs (dqm_sim_micromegas_offset_mm (setup, 7, 90) - 0.299792458 * 7 * (1 / 90.0 - 1 / 100.0) * 14000), <, 1e-6);

  for (guint i = 0; i < n; i++)
    {
      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
      g_assert_cmpuint (event->n_hits, ==, DQM_TRACKER_PLANES * setup->tracker.cluster_strips);
      for (guint h = 0; h < event->n_hits; h++)
        {
          centroid[event->hits[h].plane] += event->hits[h].amp[1] * (event->hits[h].strip + 0.5);
          weight[event->hits[h].plane] += event->hits[h].amp[1];
        }
    }
  for (guint plane = 0; plane < DQM_TRACKER_PLANES; plane++)
    g_assert_cmpfloat (fabs (centroid[plane] / weight[plane] - DQM_STRIPS_PER_PLANE / 2.0), <, 4);
}

/* Every strip hit is within the spec's ranges, even in the tails of the
 * amplitude fluctuations (a CLAMP once drew its random number thrice and
 * let -1 through as 65535, about once in 10⁷ hits). */
static void
test_tracker_hits_in_range (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmRandom rng;
  guint64 hits = 0;

  dqm_random_init (&rng, 31);
  for (guint track = 0; track < 300000; track++)
    {
      event->n_hits = 0;
      dqm_sim_micromegas_track (setup, &rng, setup->beam.energy_gev * dqm_random_range (&rng, 0.2, 1.05), event);
      dqm_sim_micromegas_noise (setup, &rng, event);
      for (guint h = 0; h < event->n_hits; h++)
        {
          const DqmStripHit *hit = &event->hits[h];

          g_assert_cmpuint (hit->plane, <, DQM_TRACKER_PLANES);
          g_assert_cmpuint (hit->strip, <, DQM_STRIPS_PER_PLANE);
          g_assert_cmpuint (MAX (hit->amp[0], MAX (hit->amp[1], hit->amp[2])), <=, DQM_SAMPLE_MAX);
        }
      hits += event->n_hits;
    }
  g_assert_cmpuint (hits, >, 5000000);
}

/* --- faults ------------------------------------------------------------- */

static double
max_above_pedestal (const DqmSim *sim, const DqmSadcRecord *record, guint spill)
{
  double highest = -1e9;

  for (guint s = 0; s < 32; s++)
    highest = MAX (highest, record->samples[s] - dqm_sim_pedestal (sim, record->channel, s & 1, spill));
  return highest;
}

static void
test_fault_channels (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmSimFaults faults;
  g_autoptr(DqmSim) sim = NULL;
  guint beam_cell = dqm_channel_ecal (1, 3, 3), hot = dqm_channel_hcal (2, 0, 0), drifting = dqm_channel_srd (1);
  guint hot_events = 0;
  double mean_spill1 = 0, mean_spill3 = 0;
  DqmSimTruth truth;

  dqm_sim_faults_init (&faults);
  g_assert_true (dqm_sim_faults_parse (&faults, "dead-channel", "ecal-main:3,3", NULL));
  g_assert_true (dqm_sim_faults_parse (&faults, "hot-channel", "hcal2:0,0", NULL));
  g_assert_true (dqm_sim_faults_parse (&faults, "pedestal-drift", "srd1:10", NULL));
  g_assert_true (dqm_sim_faults_parse (&faults, "faults-from-spill", "2", NULL));
  sim = dqm_sim_new (setup, &faults, 1);

  /* Spill 1: no fault yet; the beam cell sees the shower. */
  dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
  g_assert_cmpfloat (max_above_pedestal (sim, &event->sadc[dqm_channel_slot (beam_cell)], 1), >, 1000);
  for (guint i = 0; i < 200; i++)
    {
      dqm_sim_generate (sim, 1, DQM_TRIGGER_RANDOM, event, &truth);
      for (guint s = 0; s < 32; s++)
        mean_spill1 += event->sadc[dqm_channel_slot (drifting)].samples[s] / (200.0 * 32);
    }
  for (guint i = 0; i < 200; i++)
    {
      dqm_sim_generate_particle (sim, 3, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
      g_assert_cmpfloat (max_above_pedestal (sim, &event->sadc[dqm_channel_slot (beam_cell)], 3), <, 15);
      hot_events += max_above_pedestal (sim, &event->sadc[dqm_channel_slot (hot)], 3) > 200;
      dqm_sim_generate (sim, 3, DQM_TRIGGER_RANDOM, event, &truth);
      for (guint s = 0; s < 32; s++)
        mean_spill3 += event->sadc[dqm_channel_slot (drifting)].samples[s] / (200.0 * 32);
    }
  g_assert_cmpuint (hot_events, >, 60);
  /* Drift of 10 counts a spill, counted from spill 2: +20 in spill 3. */
  g_assert_cmpfloat (fabs (mean_spill3 - mean_spill1 - 20), <, 1);
}

static void
test_fault_beam_and_vetoes (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmSimFaults faults;
  g_autoptr(DqmSim) sim = NULL;
  guint hadrons = 0, veto_missing = 0, veto_noise = 0, srd_signals = 0;
  const guint n = 4000;
  DqmSimTruth truth;

  dqm_sim_faults_init (&faults);
  g_assert_true (dqm_sim_faults_parse (&faults, "veto-inefficiency", "1:0.3", NULL));
  g_assert_true (dqm_sim_faults_parse (&faults, "veto-noise", "2:0.2", NULL));
  g_assert_true (dqm_sim_faults_parse (&faults, "hadron-fraction", "0.08", NULL));
  faults.srd_off = TRUE;
  sim = dqm_sim_new (setup, &faults, 4);
  for (guint i = 0; i < n; i++)
    {
      dqm_sim_generate (sim, 1, DQM_TRIGGER_PHYSICS, event, &truth);
      hadrons += truth.particle == DQM_PARTICLE_HADRON;
      srd_signals += truth.srd_mev[0] + truth.srd_mev[1] + truth.srd_mev[2] > 0;
      if (truth.particle == DQM_PARTICLE_ELECTRON && !truth.pileup)
        veto_noise += max_above_pedestal (sim, &event->sadc[dqm_channel_slot (dqm_channel_veto (2, 0))], 1) > 50;
      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_MUON, event, &truth);
      veto_missing += truth.veto_gev[1] == 0;
    }
  g_assert_true (within_sigmas (hadrons, 0.08 * n, sqrt (0.08 * 0.92 * n), 5));
  g_assert_true (within_sigmas (veto_missing, 0.3 * n, sqrt (0.3 * 0.7 * n), 5));
  g_assert_cmpuint (veto_noise, >, 0.1 * n);
  g_assert_cmpuint (srd_signals, ==, 0);
}

/* Corrupted messages come in the share asked for, and each fails decoding
 * (or loses exactly one record) the way its kind says. */
static void
test_fault_corruption (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (short_spills);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmSimFaults faults;
  g_autoptr(DqmSimRun) run = NULL;
  DqmSimMessage sim_message;
  guint events = 0, corrupted = 0, kinds[DQM_N_CORRUPTIONS] = { 0 };

  dqm_sim_faults_init (&faults);
  g_assert_true (dqm_sim_faults_parse (&faults, "corrupt-fraction", "0.2", NULL));
  run = dqm_sim_run_new (setup, &faults, 1, 2, 6, START_NS);
  while (dqm_sim_run_next (run, &sim_message))
    {
      g_autoptr(GError) error = NULL;
      DqmMessage m;
      gboolean ok = dqm_stream_decode_message (sim_message.topic, 3, sim_message.body->data, sim_message.body->len,
                                               &m, storage, &error);

      if (sim_message.type != DQM_MSG_EVT)
        {
          g_assert_true (ok);
          continue;
        }
      events++;
      kinds[sim_message.corruption]++;
      if (sim_message.corruption == DQM_CORRUPTION_NONE)
        {
          g_assert_true (ok);
          continue;
        }
      corrupted++;
      g_assert_cmpint (ok, ==, !dqm_corruption_is_fatal (sim_message.corruption));
      if (ok)
        g_assert_cmpuint (storage->n_sadc, ==, DQM_N_CHANNELS - 1);
    }
  g_assert_true (within_sigmas (corrupted, 0.2 * events, sqrt (0.2 * 0.8 * events), 5));
  for (guint k = 1; k < DQM_N_CORRUPTIONS; k++)
    g_assert_cmpuint (kinds[k], >, 0);
}

static void
test_fault_parse_errors (void)
{
  const char *const bad[][2] = {
    { "dead-channel", "ecal-main:9,9" }, { "pedestal-drift", "ecal-main:3,3" }, { "pedestal-drift", "s1:x" },
    { "veto-inefficiency", "3:0.5" }, { "veto-noise", "1:1.5" }, { "hadron-fraction", "2" },
    { "stall", "2" }, { "stall", "0:5" }, { "restart", "0" }, { "corrupt-fraction", "" }, { "melt-down", "1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      DqmSimFaults faults;
      g_autoptr(GError) error = NULL;

      dqm_sim_faults_init (&faults);
      g_assert_false (dqm_sim_faults_parse (&faults, bad[i][0], bad[i][1], &error));
      g_assert_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT);
    }
  {
    DqmSimFaults faults;

    dqm_sim_faults_init (&faults);
    g_assert_true (dqm_sim_faults_parse (&faults, "stall", "2:7.5", NULL));
    g_assert_cmpuint (faults.stall_spill, ==, 2);
    g_assert_cmpfloat (faults.stall_s, ==, 7.5);
    g_assert_true (dqm_sim_faults_parse (&faults, "pedestal-drift", "hcal0:1,1:-4", NULL));
    g_assert_cmpfloat (faults.pedestal_drift[dqm_channel_slot (dqm_channel_hcal (0, 1, 1))], ==, -4);
    g_assert_true (dqm_sim_faults_parse (&faults, "dead-channel", "57", NULL));
    g_assert_true (faults.dead[57]);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/same-seed-same-stream", test_same_seed_same_stream);
  g_test_add_func ("/sim/run-structure", test_run_structure);
  g_test_add_func ("/sim/rates", test_rates);
  g_test_add_func ("/sim/trigger-classes", test_trigger_classes);
  g_test_add_func ("/sim/composition", test_composition);
  g_test_add_func ("/sim/waveforms-encode-truth", test_waveforms_encode_truth);
  g_test_add_func ("/sim/particles-look-like-themselves", test_particles_look_like_themselves);
  g_test_add_func ("/sim/signal-like-events", test_signal_like_events);
  g_test_add_func ("/sim/tracker-hits", test_tracker_hits);
  g_test_add_func ("/sim/tracker-hits-in-range", test_tracker_hits_in_range);
  g_test_add_func ("/sim/fault/channels", test_fault_channels);
  g_test_add_func ("/sim/fault/beam-and-vetoes", test_fault_beam_and_vetoes);
  g_test_add_func ("/sim/fault/corruption", test_fault_corruption);
  g_test_add_func ("/sim/fault/parse-errors", test_fault_parse_errors);
  return g_test_run ();
}
