/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reconstruction against the simulator's truth, and its pieces on
 * waveforms whose answer is known. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-pulse.h"
#include "dqm-reco.h"
#include "dqm-selection.h"
#include "dqm-sim.h"
#include "dqm-sim-run.h"
#include "test-chain.h"


/* Clean single particles: no pile-up, no low-energy tail, no signal, no
 * rare process (electro-nuclear, decay in flight, upstream interaction). */
static const char *const clean[] = {
  "spill", "beam_rate_hz", "0", "beam-e-", "low_energy_tail_fraction", "0",
  "beam-e-", "signal_fraction", "0", "beam-e-", "decay_probability", "0",
  "beam-e-", "upstream_interaction_probability", "0", "ecal", "electronuclear_probability", "0", NULL,
};

/* A record holding one pulse of @amplitude counts whose peak is at @peak_ns. */
static void
make_record (DqmSadcRecord  *record,
             guint           channel,
             double          pedestal_even,
             double          pedestal_odd,
             double          amplitude,
             double          peak_ns,
             const DqmSetup *setup)
{
  DqmPulseShape shape;

  dqm_pulse_shape_init (&shape, setup->msadc.pulse_tau_ns, setup->msadc.pulse_power);
  record->channel = channel;
  record->flags = 0;
  for (guint s = 0; s < 32; s++)
    record->samples[s] = (guint16) lround ((s & 1 ? pedestal_odd : pedestal_even)
                                           + amplitude * dqm_pulse_shape_value (&shape, s * DQM_SAMPLE_NS - (peak_ns - shape.rise_ns)));
}

static void
test_pulse_fit (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  double first_time = 0;

  event->n_samples = 32;
  event->n_sadc = 1;
  event->spill = event->event_in_spill = 1;
  /* Ten phases across a 12.5 ns sample: height and time come out right. */
  for (guint k = 0; k < 10; k++)
    {
      double peak = 150 + k * 1.25;
      const DqmChannelReco *c;

      make_record (&event->sadc[0], dqm_channel_ecal (1, 3, 3), 210, 190, 2000, peak, setup);
      dqm_reco_event (reco, 1, event, out);
      c = &out->channel[dqm_channel_slot (dqm_channel_ecal (1, 3, 3))];
      g_assert_true (c->signal);
      g_assert_cmpfloat (fabs (c->pedestal[0] - 210), <, 0.6);
      g_assert_cmpfloat (fabs (c->pedestal[1] - 190), <, 0.6);
      g_assert_cmpfloat (fabs (c->amplitude / 2000 - 1), <, 0.005);
      g_assert_cmpfloat (fabs (c->energy - 2000 * setup->ecal.main_mev_per_count / 1000), <, 0.5);
      if (k == 0)
        first_time = c->time_ns;
      /* The time follows the pulse within a fraction of a ns. */
      g_assert_cmpfloat (fabs (c->time_ns - first_time - k * 1.25), <, 0.3);
    }
}

/* A pulse just above the threshold is a signal at any phase, though its
 * samples may all lie at or below the threshold (its peak between two);
 * one well below is not. */
static void
test_pulse_near_threshold (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  double threshold = setup->reco.signal_threshold_counts;
  guint at_or_below = 0;

  event->n_samples = 32;
  event->n_sadc = 1;
  event->spill = event->event_in_spill = 1;
  for (guint k = 0; k < 20; k++)
    {
      const DqmChannelReco *c = &out->channel[dqm_channel_slot (dqm_channel_ecal (1, 3, 3))];
      guint16 highest = 0;

      make_record (&event->sadc[0], dqm_channel_ecal (1, 3, 3), 210, 190, 1.1 * threshold, 150 + k * 0.625, setup);
      for (guint i = 0; i < 32; i++)
        highest = MAX (highest, event->sadc[0].samples[i] - (i & 1 ? 190 : 210));
      at_or_below += highest <= threshold;
      dqm_reco_event (reco, 1, event, out);
      g_test_message ("phase %.3f ns: largest sample %u, amplitude %.2f, %s", k * 0.625, highest, c->amplitude,
                      c->signal ? "signal" : "none");
      g_assert_true (c->signal);
      g_assert_cmpfloat (fabs (c->amplitude / (1.1 * threshold) - 1), <, 0.1);
      make_record (&event->sadc[0], dqm_channel_ecal (1, 3, 3), 210, 190, 0.8 * threshold, 150 + k * 0.625, setup);
      dqm_reco_event (reco, 1, event, out);
      g_assert_false (c->signal);
    }
  /* The case that matters was there: no sample above the threshold. */
  g_assert_cmpuint (at_or_below, >, 0);
}

/* Both VETO PMTs: √(a·b), unless one is under 0.3× the other [facts]. */
static void
test_veto_pairing (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  double peak = setup->msadc.peak_time_ns + setup->veto.time_offset_ns;
  double mip_counts = setup->veto.mip_gev * 1000 / setup->veto.mev_per_count;
  double master = setup->msadc.peak_time_ns + setup->counters.time_offset_ns;

  event->n_samples = 32;
  event->n_sadc = 6;
  event->spill = event->event_in_spill = 1;
  make_record (&event->sadc[0], dqm_channel_veto (0, 0), 200, 200, mip_counts, peak, setup);
  make_record (&event->sadc[1], dqm_channel_veto (0, 1), 200, 200, 0.5 * mip_counts, peak, setup);
  make_record (&event->sadc[2], dqm_channel_veto (1, 0), 200, 200, mip_counts, peak, setup);
  make_record (&event->sadc[3], dqm_channel_veto (1, 1), 200, 200, 0.1 * mip_counts, peak, setup);
  make_record (&event->sadc[4], dqm_channel_beam_counter (0), 200, 200, 400, master, setup);
  make_record (&event->sadc[5], dqm_channel_beam_counter (1), 200, 200, 400, master, setup);
  dqm_reco_event (reco, 1, event, out);
  g_assert_true (out->have_master);
  g_assert_cmpfloat (fabs (out->veto_mip[0] - sqrt (0.5)), <, 0.02);
  g_assert_cmpfloat (fabs (out->veto_mip[1] - 1), <, 0.02);
  g_assert_cmpfloat (out->veto_mip[2], ==, 0);
  g_assert_cmpuint (out->veto_fired, ==, 2);
}

/* The HCAL cuts of the analysis: the sum of modules 0–2, each module on
 * its own, and the HCAL's energy out of time in the timing cut. */
static void
test_hcal_cuts (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmRecoEvent *e = g_new0 (DqmRecoEvent, 1);

  e->max_cell_in_time = TRUE;
  g_assert_true (dqm_selection_passes (setup, e, DQM_CUT_TIMING));
  g_assert_true (dqm_selection_passes (setup, e, DQM_CUT_HCAL));
  e->hcal_module_gev[1] = e->hcal_gev = 0.8; /* under the sum's 1 GeV, over a module's 0.7 */
  g_assert_false (dqm_selection_passes (setup, e, DQM_CUT_HCAL));
  e->hcal_module_gev[1] = 0.4;
  e->hcal_module_gev[2] = 0.4;
  g_assert_true (dqm_selection_passes (setup, e, DQM_CUT_HCAL));
  e->hcal_bad_energy_gev = 60;
  g_assert_false (dqm_selection_passes (setup, e, DQM_CUT_TIMING));
}

typedef struct {
  guint n;
  guint right_class;
  double sum, sum_sq;             /* E_ECAL + E_HCAL, within ±5σ of the peak */
  double truth_sum, truth_sum_sq; /* what the simulator put in */
  guint  in_core;
  double p_sum;
  guint  with_momentum;
  guint  candidates;
  guint  stopped_at[DQM_N_CUTS + 1];
} Closure;

static void
close_loop (DqmSetup      *setup,
            DqmParticle    particle,
            DqmEventClass  expected,
            guint          n,
            guint64        seed,
            Closure       *c)
{
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, seed);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  g_autofree double *sums = g_new (double, n);
  double median_guess = 0;

  memset (c, 0, sizeof *c);
  /* A few random triggers first, as in a spill, for the pedestals. */
  for (guint i = 0; i < 20; i++)
    {
      DqmSimTruth truth;

      dqm_sim_generate (sim, 1, DQM_TRIGGER_RANDOM, event, &truth);
      event->spill = event->event_in_spill = 1;
      dqm_reco_event (reco, 1, event, out);
    }
  for (guint i = 0; i < n; i++)
    {
      DqmSimTruth truth;
      double truth_total;

      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, particle, event, &truth);
      event->spill = 1;
      event->event_in_spill = i + 1;
      event->event_id = i + 1;
      dqm_reco_event (reco, 1, event, out);
      c->n++;
      c->right_class += out->event_class == expected;
      c->candidates += out->candidate;
      c->stopped_at[out->cuts_passed]++;
      sums[i] = out->ecal_gev + out->hcal_gev + out->hcal_module_gev[3];
      truth_total = truth.ecal_gev + truth.hcal_gev[0] + truth.hcal_gev[1] + truth.hcal_gev[2] + truth.hcal_gev[3];
      c->truth_sum += truth_total;
      c->truth_sum_sq += truth_total * truth_total;
      if (out->have_momentum)
        {
          c->with_momentum++;
          c->p_sum += out->momentum_gev;
        }
      median_guess += sums[i] / n;
    }
  for (guint i = 0; i < n; i++)
    if (fabs (sums[i] - median_guess) < 0.1 * median_guess)
      {
        c->in_core++;
        c->sum += sums[i];
        c->sum_sq += sums[i] * sums[i];
      }
}

static void
test_closure_electrons (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (clean);
  Closure c;
  double mean, rms, truth_mean, truth_rms, put_in;

  close_loop (setup, DQM_PARTICLE_ELECTRON, DQM_CLASS_ELECTRON, 3000, 17, &c);
  mean = c.sum / c.in_core;
  rms = sqrt (c.sum_sq / c.in_core - mean * mean);
  truth_mean = c.truth_sum / c.n;
  truth_rms = sqrt (c.truth_sum_sq / c.n - truth_mean * truth_mean);
  /* What the configuration put in: 10 %/√E ⊕ 1 % and the 1 % beam spread. */
  put_in = 100 * sqrt (pow (0.10 / sqrt (100), 2) + 0.01 * 0.01 + 0.01 * 0.01);
  g_test_message ("E_ECAL+E_HCAL %.2f GeV, rms %.2f GeV (truth %.2f, configured %.2f); p %.2f GeV; class %.4f",
                  mean, rms, truth_rms, put_in, c.p_sum / c.with_momentum, (double) c.right_class / c.n);
  /* What the README says, with the precision 3000 events give: the mean
   * to ±0.033 GeV and the width to ±1.3 % (1σ), asserted at about 3σ. */
  g_assert_cmpuint (c.in_core, >, 0.99 * c.n);
  g_assert_cmpfloat (fabs (mean - 100), <, 0.1);
  g_assert_cmpfloat (fabs (rms / put_in - 1), <, 0.05);
  g_assert_cmpfloat (fabs (rms / truth_rms - 1), <, 0.05);
  g_assert_cmpuint (c.with_momentum, >, 0.99 * c.n);
  g_assert_cmpfloat (fabs (c.p_sum / c.with_momentum - 100), <, 0.1);
  g_assert_cmpuint (c.right_class, >=, 0.998 * c.n);
  g_assert_cmpuint (c.candidates, <, 0.001 * c.n + 1);
}

/* A channel whose gain differs: with its calibration in the configuration
 * the energy comes out right; without it, the beam cell is off by the
 * ratio of the gains. */
static void
test_channel_calibration (void)
{
  const char *const different[] = { "spill", "beam_rate_hz", "0", "beam-e-", "low_energy_tail_fraction", "0",
                                     "beam-e-", "signal_fraction", "0", "calibration", "ecal-main:3,3", "20", NULL };
  g_autoptr(DqmSetup) hardware = test_setup_with (different);
  g_autoptr(DqmSetup) unaware = test_setup_with (clean);
  g_autoptr(DqmSim) sim = dqm_sim_new (hardware, NULL, 47);
  g_autoptr(DqmReco) right = dqm_reco_new (hardware);
  g_autoptr(DqmReco) wrong = dqm_reco_new (unaware);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  double sum_right = 0, sum_wrong = 0, cell_right = 0, cell_wrong = 0;
  const guint n = 300;

  for (guint i = 0; i < n; i++)
    {
      DqmSimTruth truth;

      dqm_sim_generate_particle (sim, 1, DQM_TRIGGER_PHYSICS, DQM_PARTICLE_ELECTRON, event, &truth);
      event->spill = event->event_in_spill = 1;
      dqm_reco_event (right, 1, event, out);
      sum_right += out->ecal_gev + out->hcal_gev;
      cell_right += out->ecal_cell_gev[1][3][3];
      dqm_reco_event (wrong, 1, event, out);
      sum_wrong += out->ecal_gev + out->hcal_gev;
      cell_wrong += out->ecal_cell_gev[1][3][3];
    }
  g_assert_cmpfloat (fabs (sum_right / n / 100 - 1), <, 0.01);
  g_assert_cmpfloat (fabs (cell_wrong / cell_right - 25.0 / 20.0), <, 0.002);
  g_assert_cmpfloat (sum_wrong / n, >, 110);
}

static void
test_closure_hadrons_and_muons (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (clean);
  Closure hadrons, muons;

  close_loop (setup, DQM_PARTICLE_HADRON, DQM_CLASS_HADRON, 1500, 23, &hadrons);
  close_loop (setup, DQM_PARTICLE_MUON, DQM_CLASS_MUON, 1500, 29, &muons);
  g_test_message ("hadrons %.4f, muons %.4f right", (double) hadrons.right_class / hadrons.n,
                  (double) muons.right_class / muons.n);
  /* The README: every hadron and every muon. */
  g_assert_cmpuint (hadrons.right_class, ==, hadrons.n);
  g_assert_cmpuint (muons.right_class, ==, muons.n);
  g_assert_cmpuint (hadrons.candidates + muons.candidates, ==, 0);
}

/* Signal-like events (E_ECAL < E0/2, nothing in VETO and HCAL) end as
 * signal-box candidates. */
static void
test_signal_candidates (void)
{
  const char *const overrides[] = { "spill", "beam_rate_hz", "0", "beam-e-", "low_energy_tail_fraction", "0",
                                    "beam-e-", "signal_fraction", "1", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  Closure c;

  close_loop (setup, DQM_PARTICLE_ELECTRON, DQM_CLASS_ELECTRON, 500, 31, &c);
  g_test_message ("candidates %u of %u", c.candidates, c.n);
  for (guint step = 0; step < DQM_N_CUTS; step++)
    if (c.stopped_at[step])
      g_test_message ("  %u stopped at the %s cut", c.stopped_at[step], dqm_cut_name (step));
  g_assert_cmpuint (c.candidates, >, 0.95 * c.n);
}

static void
test_cut_flow_order (void)
{
  /* Without pile-up, whose out-of-time energy stops some at the timing cut. */
  const char *const overrides[] = { "spill", "beam_rate_hz", "0", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 41);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  guint reached[DQM_N_CUTS + 1] = { 0 };

  for (guint i = 0; i < 2000; i++)
    {
      DqmSimTruth truth;

      dqm_sim_generate (sim, 1, DQM_TRIGGER_PHYSICS, event, &truth);
      event->spill = event->event_in_spill = 1;
      dqm_reco_event (reco, 1, event, out);
      g_assert_cmpuint (out->cuts_passed, <=, DQM_N_CUTS);
      for (guint step = 0; step < out->cuts_passed; step++)
        g_assert_true (dqm_selection_passes (setup, out, step));
      if (out->cuts_passed < DQM_N_CUTS)
        g_assert_false (dqm_selection_passes (setup, out, out->cuts_passed));
      reached[out->cuts_passed]++;
    }
  /* Ordinary electrons survive to the ECAL cut and stop there. */
  g_assert_cmpuint (reached[DQM_CUT_ECAL], >, 1800);
}

/* Random triggers track the pedestals the simulator gives each channel. */
static void
test_pedestal_tracking (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autoptr(DqmSim) sim = dqm_sim_new (setup, NULL, 43);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  DqmSimTruth truth;

  for (guint i = 0; i < 200; i++)
    {
      dqm_sim_generate (sim, 1, DQM_TRIGGER_RANDOM, event, &truth);
      event->spill = event->event_in_spill = 1;
      dqm_reco_event (reco, 1, event, out);
    }
  g_assert_cmpuint (dqm_reco_random_triggers (reco), ==, 200);
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    for (guint p = 0; p < 2; p++)
      g_assert_cmpfloat (fabs (dqm_reco_tracked_pedestal (reco, slot, p)
                               - dqm_sim_pedestal (sim, dqm_channel_from_slot (slot), p, 1)), <, 0.5);
}

/* Each ADC's pedestal is the mean of its own samples, whatever the count:
 * with 9 samples the even ADC has 5 and the odd one 4. */
static void
test_pedestal_odd_samples (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  const guint counts[] = { 8, 9, 63, 64 };

  for (gsize c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      g_autoptr(DqmReco) reco = dqm_reco_new (setup);
      double means[2];

      event->trigger = DQM_TRIGGER_RANDOM;
      event->spill = event->event_in_spill = 1;
      event->n_samples = counts[c];
      event->n_sadc = 1;
      event->sadc[0].channel = dqm_channel_from_slot (0);
      for (guint s = 0; s < counts[c]; s++)
        event->sadc[0].samples[s] = s % 2 ? 300 : 200;
      dqm_reco_sample_means (&event->sadc[0], counts[c], means);
      g_assert_cmpfloat (means[0], ==, 200);
      g_assert_cmpfloat (means[1], ==, 300);
      dqm_reco_event (reco, 1, event, out);
      g_assert_cmpfloat (dqm_reco_tracked_pedestal (reco, 0, 0), ==, 200);
      g_assert_cmpfloat (dqm_reco_tracked_pedestal (reco, 0, 1), ==, 300);
    }
}

/* The realistic stream, reconstructed in order: the share of beam-trigger
 * electrons (truth) classified right, and the candidates. */
static void
reconstruct_stream (double signal_fraction, double *beam_electrons_right, double *peak_gev, guint *candidates,
                    guint *signal_like)
{
  const char *const overrides[] = { "spill", "length_s", "1", "trigger", "beam_prescale", "1000", NULL };
  g_autoptr(DqmSetup) setup = test_setup_with (overrides);
  g_autoptr(DqmSimRun) run = NULL;
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmRecoEvent *out = g_new (DqmRecoEvent, 1);
  DqmSimMessage m;
  guint electrons = 0, right = 0, in_peak = 0;
  double peak_sum = 0;
  guint classes[DQM_N_PROCESSES][DQM_N_CLASSES] = { { 0 } };

  setup->beam.signal_fraction = signal_fraction;
  run = dqm_sim_run_new (setup, NULL, 1, 2, 17, 1790000000000000000ull);
  *candidates = *signal_like = 0;
  while (dqm_sim_run_next (run, &m))
    {
      if (m.type != DQM_MSG_EVT)
        continue;
      dqm_reco_event (reco, 1, m.event, out);
      *candidates += out->candidate;
      if (m.event->trigger & DQM_TRIGGER_PHYSICS)
        classes[m.truth->process][out->event_class]++;
      *signal_like += m.truth->signal_like && (m.event->trigger & DQM_TRIGGER_PHYSICS);
      if ((m.event->trigger & DQM_TRIGGER_BEAM) && m.truth->particle == DQM_PARTICLE_ELECTRON && !out->pileup)
        {
          electrons++;
          right += out->event_class == DQM_CLASS_ELECTRON;
          /* The calibration peak: E_ECAL within ±10 GeV of the beam energy. */
          if (fabs (out->ecal_gev - setup->beam.energy_gev) < 10)
            {
              in_peak++;
              peak_sum += out->ecal_gev;
            }
        }
    }
  *beam_electrons_right = (double) right / electrons;
  *peak_gev = peak_sum / in_peak;
  g_test_message ("physics triggers: truth process -> reconstructed class (empty, electron, hadron, muon)");
  for (guint p = 0; p < DQM_N_PROCESSES; p++)
    {
      guint n = 0;

      for (guint c = 0; c < DQM_N_CLASSES; c++)
        n += classes[p][c];
      if (n)
        g_test_message ("  %-22s %6u: %.3f %.3f %.3f %.3f", dqm_sim_process_name (p), n, (double) classes[p][0] / n,
                        (double) classes[p][1] / n, (double) classes[p][2] / n, (double) classes[p][3] / n);
    }
}

/* A real run is background-free: the physics trigger's tail electrons,
 * electro-nuclear events, hadrons and pile-up make no candidate; signal
 * events put in are found. Beam-trigger electrons without pile-up are
 * classified right, and their calibration peak sits within 1 % of E0. */
static void
test_realistic_stream (void)
{
  double right, peak;
  guint candidates, signal_like;

  reconstruct_stream (0, &right, &peak, &candidates, &signal_like);
  g_test_message ("no signal: %u candidates; beam-trigger electrons %.4f right, their E_ECAL peak %.2f GeV",
                  candidates, right, peak);
  g_assert_cmpuint (candidates, ==, 0);
  g_assert_cmpfloat (right, >, 0.99);
  /* The calibration peak within 1 % (0.3 GeV of the shower leaks into the HCAL). */
  g_assert_cmpfloat (fabs (peak / 100 - 1), <, 0.01);
  reconstruct_stream (2e-5, &right, &peak, &candidates, &signal_like);
  g_test_message ("signal put in: %u candidates of %u signal-like physics triggers", candidates, signal_like);
  g_assert_cmpuint (signal_like, >, 10);
  g_assert_cmpuint (candidates, >=, 0.8 * signal_like);
  g_assert_cmpuint (candidates, <=, signal_like);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reco/pulse-fit", test_pulse_fit);
  g_test_add_func ("/reco/pulse-near-threshold", test_pulse_near_threshold);
  g_test_add_func ("/reco/veto-pairing", test_veto_pairing);
  g_test_add_func ("/reco/hcal-cuts", test_hcal_cuts);
  g_test_add_func ("/reco/pedestal-tracking", test_pedestal_tracking);
  g_test_add_func ("/reco/pedestal-odd-samples", test_pedestal_odd_samples);
  g_test_add_func ("/reco/cut-flow-order", test_cut_flow_order);
  g_test_add_func ("/reco/closure/electrons", test_closure_electrons);
  g_test_add_func ("/reco/closure/hadrons-and-muons", test_closure_hadrons_and_muons);
  g_test_add_func ("/reco/closure/signal-candidates", test_signal_candidates);
  g_test_add_func ("/reco/closure/realistic-stream", test_realistic_stream);
  g_test_add_func ("/reco/channel-calibration", test_channel_calibration);
  return g_test_run ();
}
