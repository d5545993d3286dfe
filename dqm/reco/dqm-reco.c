/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Event reconstruction: channels, calorimeters, counters, shower shape. */
#include "dqm-reco.h"

#include <math.h>
#include <string.h>

#include "dqm-pulse-fit.h"
#include "dqm-selection.h"
#include "dqm-micromegas.h"

#define SHAPE_GRID 21 /* impact points tried across the maximum cell, per axis */

struct _DqmReco {
  const DqmSetup *setup;
  DqmPulseFit     fit;
  DqmDetector     detector[DQM_N_CHANNELS];
  double          to_energy[DQM_N_CHANNELS];  /* counts → the detector's unit */
  double          expected_ns[DQM_N_CHANNELS]; /* time against the master */
  double          expected_peak_ns[DQM_N_CHANNELS]; /* in the readout window */
  double          tracked[DQM_N_CHANNELS][2];
  guint64         random_triggers;
  /* The expected shares of the 3×3 cells around the maximum cell, for
   * impact points across it (core and halo of the electromagnetic profile),
   * normalised to 1. */
  double          shower_share[SHAPE_GRID][SHAPE_GRID][9];
  DqmMicromegas    *tracking;
};

const char *
dqm_event_class_name (DqmEventClass event_class)
{
  static const char *const names[DQM_N_CLASSES] = { "empty", "electron", "hadron", "muon" };
  return event_class < DQM_N_CLASSES ? names[event_class] : "?";
}

const char *
dqm_cut_name (DqmCut cut)
{
  static const char *const names[DQM_N_CUTS] = {
    "all", "timing", "max cell", "SRD", "momentum", "preshower", "ECAL", "VETO", "HCAL", "χ²",
  };
  return cut < DQM_N_CUTS ? names[cut] : "?";
}

static void
shares (double pitch, double offset, double sigma, double *out)
{
  for (int c = -1; c <= 1; c++)
    {
      double lo = (c - 0.5) * pitch, hi = lo + pitch;

      out[c + 1] = 0.5 * (erf ((hi - offset) / (sigma * G_SQRT2)) - erf ((lo - offset) / (sigma * G_SQRT2)));
    }
}

static void
shower_shares (const DqmEcalSetup *ecal, double share[SHAPE_GRID][SHAPE_GRID][9])
{
  double core[SHAPE_GRID][3], halo[SHAPE_GRID][3];

  for (guint g = 0; g < SHAPE_GRID; g++)
    {
      double offset = (g / (SHAPE_GRID - 1.0) - 0.5) * ecal->cell_pitch_mm;

      shares (ecal->cell_pitch_mm, offset, ecal->core_width_mm, core[g]);
      shares (ecal->cell_pitch_mm, offset, ecal->halo_width_mm, halo[g]);
    }
  for (guint gy = 0; gy < SHAPE_GRID; gy++)
    for (guint gx = 0; gx < SHAPE_GRID; gx++)
      {
        double *e = share[gy][gx], norm = 0;

        for (int j = 0; j < 3; j++)
          for (int i = 0; i < 3; i++)
            norm += e[3 * j + i] = ecal->core_fraction * core[gx][i] * core[gy][j]
                                   + (1 - ecal->core_fraction) * halo[gx][i] * halo[gy][j];
        for (int k = 0; k < 9; k++)
          e[k] /= norm;
      }
}

DqmReco *
dqm_reco_new (const DqmSetup *setup)
{
  g_return_val_if_fail (setup != NULL, NULL);

  DqmReco *reco = g_new0 (DqmReco, 1);
  double master = setup->counters.time_offset_ns;

  reco->setup = setup;
  dqm_pulse_fit_init (&reco->fit, setup->msadc.pulse_tau_ns, setup->msadc.pulse_power);
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmChannelInfo info;
      double offset = 0, to_energy = 1;

      dqm_channel_lookup (dqm_channel_from_slot (slot), &info);
      switch (info.detector)
        {
        case DQM_DETECTOR_ECAL:
          offset = setup->ecal.time_offset_ns;
          to_energy = setup->mev_per_count[slot] / 1000; /* GeV */
          break;
        case DQM_DETECTOR_HCAL:
          offset = setup->hcal.time_offset_ns;
          to_energy = setup->mev_per_count[slot] / 1000;
          break;
        case DQM_DETECTOR_VETO:
          offset = setup->veto.time_offset_ns;
          to_energy = setup->mev_per_count[slot] / 1000;
          break;
        case DQM_DETECTOR_SRD:
          offset = setup->srd.time_offset_ns;
          to_energy = setup->mev_per_count[slot]; /* MeV */
          break;
        case DQM_DETECTOR_BEAM_COUNTER:
        case DQM_DETECTOR_UPSTREAM_VETO:
        case DQM_N_DETECTORS:
        default:
          offset = setup->counters.time_offset_ns;
          break;
        }
      reco->detector[slot] = info.detector;
      reco->to_energy[slot] = to_energy;
      reco->expected_ns[slot] = offset - master;
      reco->expected_peak_ns[slot] = setup->msadc.peak_time_ns + offset;
    }
  shower_shares (&setup->ecal, reco->shower_share);
  reco->tracking = dqm_micromegas_new (setup);
  return reco;
}

void
dqm_reco_free (DqmReco *reco)
{
  if (reco == NULL)
    return;
  dqm_micromegas_free (reco->tracking);
  g_free (reco);
}

double
dqm_reco_tracked_pedestal (const DqmReco *reco, guint slot, guint parity)
{
  g_return_val_if_fail (slot < DQM_N_CHANNELS && parity < 2, 0);
  return reco->tracked[slot][parity];
}

guint64
dqm_reco_random_triggers (const DqmReco *reco)
{
  g_return_val_if_fail (reco != NULL, 0);

  return reco->random_triggers;
}

void
dqm_reco_get_tracking (const DqmReco *reco, double (*tracked)[2], guint64 *random_triggers)
{
  g_return_if_fail (reco != NULL);

  memcpy (tracked, reco->tracked, sizeof reco->tracked);
  *random_triggers = reco->random_triggers;
}

void
dqm_reco_set_tracking (DqmReco *reco, const double (*tracked)[2], guint64 random_triggers)
{
  g_return_if_fail (reco != NULL);

  memcpy (reco->tracked, tracked, sizeof reco->tracked);
  reco->random_triggers = random_triggers;
}

void
dqm_reco_sample_means (const DqmSadcRecord *record, guint n_samples, double means[2])
{
  g_return_if_fail (record != NULL && n_samples >= 2);

  dqm_pulse_fit_sample_means (record, 0, n_samples, means);
}

static void
track_pedestals (DqmReco *reco, const DqmEvent *event)
{
  double weight = reco->random_triggers == 0 ? 1 : reco->setup->reco.pedestal_tracking_weight;

  /* Early on, average plainly so the first triggers count fully. */
  if (reco->random_triggers > 0 && reco->random_triggers < 1 / weight)
    weight = 1.0 / (reco->random_triggers + 1);
  for (guint i = 0; i < event->n_sadc; i++)
    {
      int slot = dqm_channel_slot (event->sadc[i].channel);
      double mean[2];

      dqm_reco_sample_means (&event->sadc[i], event->n_samples, mean);
      for (guint p = 0; p < 2; p++)
        reco->tracked[slot][p] += weight * (mean[p] - reco->tracked[slot][p]);
    }
  reco->random_triggers++;
}

/* χ² of the observed 3×3 cells against the shower expected at the impact
 * point (@gx, @gy) of the grid across the maximum cell. */
static double
shower_chi2_at (const DqmReco *reco, const double observed[9], double sum, guint gx, guint gy)
{
  const DqmEcalSetup *ecal = &reco->setup->ecal;
  const double *share = reco->shower_share[gy][gx];
  double chi2 = 0;

  for (int k = 0; k < 9; k++)
    {
      double e = sum * share[k];
      /* stochastic, 3 % calibration and 50 MeV noise per cell */
      double variance = ecal->resolution_stochastic * ecal->resolution_stochastic * e + 0.03 * 0.03 * e * e
                        + 0.05 * 0.05;

      chi2 += (observed[k] - e) * (observed[k] - e) / variance;
    }
  return chi2;
}

/* The ECAL main section around the maximum cell against the expected
 * electromagnetic profile; the impact point is the one that fits best:
 * found on a coarse grid, then on the fine one around it (the χ² varies
 * smoothly with the impact point). */
static double
shower_chi2 (const DqmReco *reco, const DqmRecoEvent *out)
{
  const guint coarse = (SHAPE_GRID - 1) / 4;
  double observed[9] = { 0 }, sum = 0, best = G_MAXDOUBLE;
  guint best_x = 0, best_y = 0;

  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      {
        int x = (int) out->max_cell_x + dx, y = (int) out->max_cell_y + dy;

        if (x >= 0 && x < DQM_ECAL_NX && y >= 0 && y < DQM_ECAL_NY)
          sum += observed[3 * (dy + 1) + dx + 1] = out->ecal_cell_gev[1][y][x];
      }
  if (sum <= 0)
    return 0;
  for (guint gy = 0; gy < SHAPE_GRID; gy += coarse)
    for (guint gx = 0; gx < SHAPE_GRID; gx += coarse)
      {
        double chi2 = shower_chi2_at (reco, observed, sum, gx, gy);

        if (chi2 < best)
          {
            best = chi2;
            best_x = gx;
            best_y = gy;
          }
      }
  for (guint gy = best_y > coarse ? best_y - coarse + 1 : 0; gy < MIN (SHAPE_GRID, best_y + coarse); gy++)
    for (guint gx = best_x > coarse ? best_x - coarse + 1 : 0; gx < MIN (SHAPE_GRID, best_x + coarse); gx++)
      best = MIN (best, shower_chi2_at (reco, observed, sum, gx, gy));
  return best / 9;
}

static void
calorimeters (DqmReco *reco, DqmRecoEvent *out)
{
  const DqmSetup *s = reco->setup;
  double centroid_x = 0, centroid_y = 0, central = 0;

  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      const DqmChannelReco *c = &out->channel[slot];
      DqmChannelInfo info;

      double e = c->in_time_energy;

      if (reco->detector[slot] != DQM_DETECTOR_ECAL && reco->detector[slot] != DQM_DETECTOR_HCAL)
        continue;
      dqm_channel_lookup (dqm_channel_from_slot (slot), &info);
      if (info.detector == DQM_DETECTOR_ECAL)
        {
          /* Out-of-time signals are the "bad energy" of pile-up. */
          out->ecal_total_gev += c->signal ? c->energy : e;
          out->ecal_cell_gev[info.module][info.y][info.x] = e;
          if (info.module == 0)
            out->ecal_ps_gev += e;
          else
            {
              out->ecal_main_gev += e;
              centroid_x += e * s->ecal.cell_pitch_mm * ((double) info.x - s->ecal.beam_x);
              centroid_y += e * s->ecal.cell_pitch_mm * ((double) info.y - s->ecal.beam_y);
            }
        }
      else
        {
          out->hcal_bad_energy_gev += (c->signal ? c->energy : e) - e;
          out->hcal_module_gev[info.module] += e;
          if (info.module < 3 && info.x == 1 && info.y == 1)
            central += e;
        }
    }
  out->ecal_gev = out->ecal_ps_gev + out->ecal_main_gev;
  out->bad_energy_gev = out->ecal_total_gev - out->ecal_gev;
  if (out->ecal_main_gev > 0)
    {
      out->centroid_x_mm = centroid_x / out->ecal_main_gev;
      out->centroid_y_mm = centroid_y / out->ecal_main_gev;
    }

  /* The maximum cell: preshower and main section together [facts],
   * whatever its time, which the main section's pulse gives. */
  out->max_cell_gev = -1;
  for (guint y = 0; y < DQM_ECAL_NY; y++)
    for (guint x = 0; x < DQM_ECAL_NX; x++)
      {
        const DqmChannelReco *c = &out->channel[dqm_channel_slot (dqm_channel_ecal (1, x, y))];
        const DqmChannelReco *ps = &out->channel[dqm_channel_slot (dqm_channel_ecal (0, x, y))];
        double e = (c->signal ? c->energy : 0) + (ps->signal ? ps->energy : 0);

        if (e > out->max_cell_gev)
          {
            out->max_cell_gev = e;
            out->max_cell_x = x;
            out->max_cell_y = y;
            out->max_cell_time_ns = c->time_ns;
            out->max_cell_in_time = c->signal && c->in_time;
          }
      }
  out->shower_chi2 = shower_chi2 (reco, out);

  out->hcal_gev = out->hcal_module_gev[0] + out->hcal_module_gev[1] + out->hcal_module_gev[2];
  out->hcal_r = out->hcal_gev > 0.5 ? (out->hcal_gev - central) / out->hcal_gev : 0;
  /* More energy in time than one beam particle has, or some out of time. */
  out->pileup_in_time = out->ecal_gev + out->hcal_gev + out->hcal_module_gev[3]
                        > s->cuts.pileup_sum_fraction * s->beam.energy_gev;
  /* Every beam particle crosses S1 and S2: a second pulse there is one. */
  out->pileup = out->pileup_in_time || out->bad_energy_gev > s->cuts.pileup_out_of_time_gev
                || out->channel[dqm_channel_slot (dqm_channel_beam_counter (1))].n_pulses > 1
                || out->channel[dqm_channel_slot (dqm_channel_beam_counter (2))].n_pulses > 1;
}

static void
counters (DqmReco *reco, DqmRecoEvent *out)
{
  const DqmSetup *s = reco->setup;
  guint above_lower = 0;

  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      const DqmChannelReco *p0 = &out->channel[dqm_channel_slot (dqm_channel_veto (c, 0))];
      const DqmChannelReco *p1 = &out->channel[dqm_channel_slot (dqm_channel_veto (c, 1))];
      double a = p0->signal && p0->in_time ? p0->energy : 0;
      double b = p1->signal && p1->in_time ? p1->energy : 0;

      /* √(a·b) of the two PMTs, unless one reads under 0.3× the other:
       * then the larger one [facts]. */
      out->veto_gev[c] = MIN (a, b) < 0.3 * MAX (a, b) ? MAX (a, b) : sqrt (a * b);
      out->veto_mip[c] = out->veto_gev[c] / s->veto.mip_gev;
      out->veto_sum_gev += out->veto_gev[c];
      out->veto_fired += out->veto_mip[c] > s->cuts.veto_fired_mip;
    }
  for (guint m = 0; m < DQM_SRD_MODULES; m++)
    {
      const DqmChannelReco *c = &out->channel[dqm_channel_slot (dqm_channel_srd (m))];

      out->srd_mev[m] = c->signal && c->in_time ? c->energy : 0;
      out->srd_sum_mev += out->srd_mev[m];
      out->srd_in_window += out->srd_mev[m] >= s->cuts.srd_module_min_mev
                            && out->srd_mev[m] <= s->cuts.srd_module_max_mev;
      above_lower += out->srd_mev[m] >= s->cuts.srd_module_min_mev;
    }
  /* The 2022 logic: enough modules in range, the others above the lower
   * cut, and the sum in its window [facts]. */
  out->srd_tagged = out->srd_in_window >= s->cuts.srd_modules_required && above_lower == DQM_SRD_MODULES
                    && out->srd_sum_mev >= s->cuts.srd_sum_min_mev && out->srd_sum_mev <= s->cuts.srd_sum_max_mev;
  for (guint i = 0; i < DQM_BEAM_COUNTERS; i++)
    {
      const DqmChannelReco *c = &out->channel[dqm_channel_slot (dqm_channel_beam_counter (i))];

      out->counter_counts[i] = c->signal ? c->energy : 0;
    }
}

/* The master time: the mean of S0–S2, each counted only near the trigger's
 * nominal time (the triggering particle's, not a pile-up one's); without
 * them (random triggers, pile-up only) the nominal time stands in. */
static void
master_time (DqmReco *reco, DqmRecoEvent *out)
{
  const DqmSetup *s = reco->setup;
  double nominal = s->msadc.peak_time_ns + s->counters.time_offset_ns - reco->fit.shape.rise_ns + reco->fit.half_rise_ns;
  double sum = 0;
  guint n = 0;

  for (guint i = 0; i < 3; i++)
    {
      const DqmChannelReco *c = &out->channel[dqm_channel_slot (dqm_channel_beam_counter (i))];

      if (c->signal && fabs (c->time_ns - nominal) < s->reco.time_window_ns)
        {
          sum += c->time_ns;
          n++;
        }
    }
  out->have_master = n > 0;
  out->master_time_ns = n ? sum / n : nominal;
}

gboolean
dqm_reco_same_pedestals (const DqmReco *reco, const DqmEvent *event, const DqmRecoEvent *done)
{
  const DqmSetup *s;
  gboolean have_tracked;

  g_return_val_if_fail (reco != NULL && event != NULL && done != NULL, FALSE);

  s = reco->setup;
  have_tracked = reco->random_triggers > 0;
  for (guint i = 0; i < event->n_sadc; i++)
    {
      int slot = dqm_channel_slot (event->sadc[i].channel);
      double lead[2];

      if (done->channel[slot].tracked_pedestal
          || dqm_pulse_fit_uses_tracked (&event->sadc[i], event->n_samples, s->reco.pedestal_samples,
                                         s->reco.signal_threshold_counts, have_tracked ? reco->tracked[slot] : NULL,
                                         lead))
        return FALSE;
    }
  return TRUE;
}

void
dqm_reco_event (DqmReco *reco, guint32 run, const DqmEvent *event, DqmRecoEvent *out)
{
  g_return_if_fail (reco != NULL);

  const DqmSetup *s = reco->setup;
  gboolean have_tracked = reco->random_triggers > 0;
  DqmPulseWindow expected_pulse[DQM_N_DETECTORS];
  gboolean have_window[DQM_N_DETECTORS] = { FALSE };

  memset (out, 0, sizeof *out);
  out->run = run;
  out->spill = event->spill;
  out->event_in_spill = event->event_in_spill;
  out->event_id = event->event_id;
  out->time_ns = event->time_ns;
  out->trigger = event->trigger;

  for (guint i = 0; i < event->n_sadc; i++)
    {
      int slot = dqm_channel_slot (event->sadc[i].channel);
      DqmChannelReco *c = &out->channel[slot];

      dqm_pulse_fit_record (&reco->fit, &event->sadc[i], event->n_samples, s->reco.pedestal_samples,
                            s->reco.signal_threshold_counts, have_tracked ? reco->tracked[slot] : NULL,
                            reco->expected_peak_ns[slot], c);
      c->energy = c->amplitude * reco->to_energy[slot];
    }
  master_time (reco, out);
  for (guint i = 0; i < event->n_sadc; i++)
    {
      int slot = dqm_channel_slot (event->sadc[i].channel);
      DqmChannelReco *c = &out->channel[slot];
      DqmDetector detector = reco->detector[slot];
      double expected = out->master_time_ns + reco->expected_ns[slot];

      /* The SRD's window is narrow: a pile-up electron must not tag. */
      double window = reco->detector[slot] == DQM_DETECTOR_SRD ? s->reco.srd_time_window_ns : s->reco.time_window_ns;

      c->in_time = c->signal && fabs (c->time_ns - expected) < window;
      if (c->in_time)
        c->in_time_energy = c->energy;
      else
        {
          /* A detector's channels all expect their pulse at one time. */
          if (!have_window[detector])
            {
              dqm_pulse_fit_window_init (&reco->fit, event->n_samples, expected - reco->fit.half_rise_ns,
                                         &expected_pulse[detector]);
              have_window[detector] = TRUE;
            }
          c->in_time_energy = reco->to_energy[slot]
                              * dqm_pulse_fit_amplitude_in (&expected_pulse[detector], &event->sadc[i], c->pedestal);
        }
    }
  calorimeters (reco, out);
  counters (reco, out);
  dqm_micromegas_event (reco->tracking, event, out);
  dqm_selection_apply (s, out);

  if (event->trigger & DQM_TRIGGER_RANDOM)
    track_pedestals (reco, event);
}
