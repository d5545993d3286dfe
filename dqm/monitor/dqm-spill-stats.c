/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-spill accumulation for the alarms and the histories. */
#include "dqm-spill-stats.h"

#include <math.h>

/* Electromagnetic showers above this in the maximum cell light up its
 * neighbours (the halo carries ~2 % of the energy per neighbour) [est]. */
#define SHOWER_MIN_GEV 20.0
/* A hadron shower above this in an HCAL module lights the whole module. */
#define HCAL_SHOWER_MIN_GEV 20.0
/* An HCAL module above this makes an event "penetrating" for the VETO. */
#define PENETRATING_HCAL_GEV 10.0

void
dqm_spill_stats_begin (DqmSpillStats *stats, guint32 run, guint32 spill, guint64 start_ns,
                       const DqmStreamCounters *counters)
{
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);
  stats->summary.run = run;
  stats->summary.spill = spill;
  stats->summary.start_ns = start_ns;
  stats->counters_at_start = *counters;
}

static void
expect (DqmSpillStats *stats, const DqmRecoEvent *e, guint channel)
{
  int slot = dqm_channel_slot (channel);

  stats->channels.expected[slot]++;
  stats->channels.seen[slot] += e->channel[slot].signal;
}

/* Channels that must have a signal in this event, given their neighbours. */
/* The 3×3 ECAL cells around (@cx, @cy) must see an electromagnetic shower
 * centred there; the preshower ones too when it has a few GeV. */
static void
expect_ecal_block (DqmSpillStats *stats, const DqmRecoEvent *e, guint cx, guint cy)
{
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      {
        int x = (int) cx + dx, y = (int) cy + dy;

        if (x < 0 || y < 0 || x >= DQM_ECAL_NX || y >= DQM_ECAL_NY)
          continue;
        expect (stats, e, dqm_channel_ecal (1, x, y));
        if (e->ecal_ps_gev > 1)
          expect (stats, e, dqm_channel_ecal (0, x, y));
      }
}

/* Channels that must have a signal in this event, given the others. */
static void
expectations (DqmSpillStats *stats, const DqmSetup *setup, const DqmRecoEvent *e)
{
  gboolean beam_cell_is_max = e->max_cell_x == setup->ecal.beam_x && e->max_cell_y == setup->ecal.beam_y;

  /* A tagged electron showers around the aimed cell, even if that cell is
   * dead and the maximum moved next door. */
  if (e->event_class == DQM_CLASS_ELECTRON && e->srd_sum_mev > 0)
    expect_ecal_block (stats, e, setup->ecal.beam_x, setup->ecal.beam_y);
  if (e->max_cell_gev > SHOWER_MIN_GEV && !(beam_cell_is_max && e->event_class == DQM_CLASS_ELECTRON))
    expect_ecal_block (stats, e, e->max_cell_x, e->max_cell_y);
  for (guint m = 0; m < DQM_HCAL_MODULES; m++)
    if (e->hcal_module_gev[m] > HCAL_SHOWER_MIN_GEV)
      for (guint y = 0; y < DQM_HCAL_NY; y++)
        for (guint x = 0; x < DQM_HCAL_NX; x++)
          expect (stats, e, dqm_channel_hcal (m, x, y));
  /* A MIP through everything: the central HCAL cells must see it. */
  if (e->veto_fired >= 2 && e->ecal_gev < setup->cuts.ecal_mip_max_gev)
    for (guint m = 0; m < DQM_HCAL_MODULES; m++)
      expect (stats, e, dqm_channel_hcal (m, 1, 1));
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    for (guint p = 0; p < DQM_VETO_PMTS; p++)
      {
        const DqmChannelReco *partner = &e->channel[dqm_channel_slot (dqm_channel_veto (c, 1 - p))];

        if (partner->in_time && partner->energy > 0.5 * setup->veto.mip_gev)
          expect (stats, e, dqm_channel_veto (c, p));
      }
  /* An electron shower whatever the SRD says: with a dead module the SRD
   * cut tags no electron at all. */
  if (e->ecal_ps_gev > setup->cuts.preshower_min_gev && e->ecal_gev > 0.8 * setup->beam.energy_gev
      && e->hcal_gev < 0.1 * setup->beam.energy_gev)
    for (guint m = 0; m < DQM_SRD_MODULES; m++)
      {
        gboolean others = TRUE;

        for (guint o = 0; o < DQM_SRD_MODULES; o++)
          others &= o == m || e->srd_mev[o] >= setup->cuts.srd_module_min_mev;
        if (others)
          expect (stats, e, dqm_channel_srd (m));
      }
  for (guint i = 0; i < DQM_BEAM_COUNTERS; i++)
    {
      guint others = 0;

      for (guint o = 0; o < DQM_BEAM_COUNTERS; o++)
        others += o != i && e->counter_counts[o] > 0;
      if (others >= 3)
        expect (stats, e, dqm_channel_beam_counter (i));
    }
}

static void
random_trigger (DqmSpillStats *stats, const DqmEvent *raw, const DqmRecoEvent *e)
{
  stats->summary.random_triggers++;
  for (guint i = 0; i < raw->n_sadc; i++)
    {
      int slot = dqm_channel_slot (raw->sadc[i].channel);
      double mean[2];

      dqm_reco_sample_means (&raw->sadc[i], raw->n_samples, mean);
      stats->pedestal_sum[slot][0] += mean[0];
      stats->pedestal_sum[slot][1] += mean[1];
      stats->channels.random_signals[slot] += e->channel[slot].signal;
    }
}

gboolean
dqm_spill_stats_central_cell (const DqmSetup *setup, const DqmRecoEvent *e, double *gev)
{
  g_return_val_if_fail (setup != NULL && e != NULL, FALSE);

  if (!(e->trigger & DQM_TRIGGER_BEAM) || e->event_class != DQM_CLASS_ELECTRON || e->pileup
      || e->max_cell_x != setup->ecal.beam_x || e->max_cell_y != setup->ecal.beam_y)
    return FALSE;
  *gev = e->ecal_cell_gev[1][e->max_cell_y][e->max_cell_x];
  return TRUE;
}

void
dqm_spill_stats_add (DqmSpillStats *stats, const DqmSetup *setup, const DqmEvent *raw, const DqmRecoEvent *e)
{
  g_return_if_fail (stats != NULL);

  DqmSpillSummary *s = &stats->summary;
  double cell;

  s->events++;
  s->by_class[e->event_class]++;
  if (e->trigger & DQM_TRIGGER_RANDOM)
    {
      random_trigger (stats, raw, e);
      return;
    }
  if (e->trigger & DQM_TRIGGER_LED)
    {
      s->led_triggers++;
      for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
        stats->led_sum[slot] += e->channel[slot].amplitude;
      return;
    }
  if (e->event_class == DQM_CLASS_EMPTY)
    return;
  /* Each quantity from the trigger that does not bias it. */
  if (e->trigger & DQM_TRIGGER_PHYSICS)
    {
      s->physics_events++;
      for (guint step = 0; step < e->cuts_passed; step++)
        s->cut_flow[step]++;
    }
  s->candidates += e->candidate;
  if (e->trigger & DQM_TRIGGER_BEAM)
    {
      s->beam_events++;
      s->beam_pileup += e->pileup;
      stats->out_of_time_sum += e->bad_energy_gev;
      if (!e->pileup)
        s->beam_by_class[e->event_class]++;
      if (dqm_spill_stats_central_cell (setup, e, &cell) && e->time_ns >= s->start_ns)
        {
          double t = (e->time_ns - s->start_ns) / 1e9;

          s->central_cell_events++;
          stats->cell_t += t;
          stats->cell_tt += t * t;
          stats->cell_e += cell;
          stats->cell_ee += cell * cell;
          stats->cell_te += t * cell;
        }
    }
  expectations (stats, setup, e);

  if (e->event_class == DQM_CLASS_MUON || e->hcal_gev > PENETRATING_HCAL_GEV)
    {
      s->penetrating++;
      for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
        stats->veto_hits_penetrating[c] += e->veto_mip[c] > setup->cuts.veto_fired_mip;
    }
  else if ((e->trigger & DQM_TRIGGER_BEAM) && e->event_class == DQM_CLASS_ELECTRON
           && e->hcal_gev < setup->cuts.hcal_max_gev && e->bad_energy_gev < 1)
    {
      s->clean_electrons++;
      for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
        stats->veto_hits_clean[c] += e->veto_mip[c] > setup->cuts.veto_fired_mip;
    }
}

void
dqm_spill_stats_dropped (DqmSpillStats *stats, guint64 n)
{
  g_return_if_fail (stats != NULL);

  stats->summary.dropped += n;
}

void
dqm_spill_stats_end (DqmSpillStats *stats, const DqmSetup *setup, const DqmEos *eos,
                     const DqmStreamCounters *counters)
{
  g_return_if_fail (stats != NULL);

  DqmSpillSummary *s = &stats->summary;
  const DqmStreamCounters *start = &stats->counters_at_start;
  guint min_events = setup->alarms.min_events;
  guint64 single;  /* beam triggers without pile-up */
  gboolean electron_beam = setup->beam.primary == DQM_PARTICLE_ELECTRON
                           || setup->beam.primary == DQM_PARTICLE_POSITRON;

  if (eos)
    {
      s->complete = TRUE;
      s->end_ns = eos->time_ns;
      s->beam_counts = eos->beam_counts;
      s->triggers = eos->triggers;
      s->events_sent = eos->events_sent;
      if (eos->time_ns > s->start_ns)
        s->trigger_rate_hz = s->events_sent / ((eos->time_ns - s->start_ns) / 1e9);
    }
  /* The composition of single particles: with two in the window, which is
   * which (a second electron near in time spoils the SRD's tag)? */
  single = s->beam_events - s->beam_pileup;
  s->purity = electron_beam && single >= setup->alarms.min_beam_events
              ? (double) s->beam_by_class[DQM_CLASS_ELECTRON] / single : NAN;
  s->hadron_share = single >= setup->alarms.min_beam_events ? (double) s->beam_by_class[DQM_CLASS_HADRON] / single : NAN;
  s->pileup_share = s->beam_events >= min_events ? (double) s->beam_pileup / s->beam_events : NAN;
  s->out_of_time_gev = s->beam_events >= min_events ? stats->out_of_time_sum / s->beam_events : NAN;
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      /* Twenty of each are enough to tell 0.9995 from 0.7 [est]. */
      s->veto_efficiency[c] = s->penetrating >= 20 ? (double) stats->veto_hits_penetrating[c] / s->penetrating : NAN;
      s->veto_noise[c] = s->clean_electrons >= min_events ? (double) stats->veto_hits_clean[c] / s->clean_electrons : NAN;
    }
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      for (guint p = 0; p < 2; p++)
        stats->channels.pedestal[slot][p] = s->random_triggers ? stats->pedestal_sum[slot][p] / s->random_triggers : NAN;
      stats->channels.led_counts[slot] = s->led_triggers ? stats->led_sum[slot] / s->led_triggers : NAN;
    }
  s->central_cell_gev = s->central_cell_change = s->central_cell_change_error = NAN;
  if (s->central_cell_events >= min_events)
    {
      double n = s->central_cell_events, mean_t = stats->cell_t / n, mean_e = stats->cell_e / n;
      double var_t = stats->cell_tt / n - mean_t * mean_t, var_e = stats->cell_ee / n - mean_e * mean_e;

      s->central_cell_gev = mean_e;
      /* A least-squares line through (time in spill, energy), and the
       * standard error of its slope from the residuals. */
      if (var_t > 0 && mean_e > 0)
        {
          double slope = (stats->cell_te / n - mean_t * mean_e) / var_t;
          double residual = fmax (0, var_e - slope * slope * var_t);

          s->central_cell_change = slope * setup->spill.length_s / mean_e;
          s->central_cell_change_error = sqrt (residual / (n * var_t)) * setup->spill.length_s / mean_e;
        }
    }
  s->messages = counters->messages - start->messages;
  s->bad = counters->bad - start->bad;
  s->lost = counters->lost_events - start->lost_events;
}

DqmHistogram *
dqm_spill_cut_flow_history (const GPtrArray *spills, const DqmSpillSummary *current, guint max_rows)
{
  const DqmSpillSummary *rows[64];
  const char *labels[DQM_N_CUTS + 1];
  guint n = 0, first;
  DqmHistogram *h;
  gboolean with_current = current && current->physics_events > 0;
  guint previous;

  g_return_val_if_fail (spills != NULL, NULL);

  max_rows = CLAMP (max_rows, 1, G_N_ELEMENTS (rows));
  previous = max_rows - with_current;
  first = spills->len > previous ? spills->len - previous : 0;
  for (guint i = first; i < spills->len; i++)
    rows[n++] = spills->pdata[i];
  if (with_current)
    rows[n++] = current;
  if (n == 0)
    return NULL;
  h = dqm_histogram_new_2d ("cut_flow_spills", "Cut flow by spill, physics trigger;;surviving share of physics triggers", DQM_N_CUTS, 0,
                            DQM_N_CUTS, n, rows[0]->spill - 0.5, rows[0]->spill - 0.5 + n);
  for (guint c = 0; c < DQM_N_CUTS; c++)
    labels[c] = dqm_cut_name (c);
  labels[DQM_N_CUTS] = NULL;
  dqm_histogram_set_x_labels (h, labels);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < DQM_N_CUTS && rows[r]->cut_flow[0] > 0; c++)
      dqm_histogram_set (h, c + 1, r + 1, (double) rows[r]->cut_flow[c] / rows[r]->cut_flow[0]);
  h->entries = n;
  return h;
}
