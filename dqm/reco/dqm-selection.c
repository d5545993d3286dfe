/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cut flow and classification. */
#include "dqm-selection.h"

#include <math.h>

gboolean
dqm_selection_passes (const DqmSetup *s, const DqmRecoEvent *e, DqmCut cut)
{
  g_return_val_if_fail (s != NULL, FALSE);

  const DqmCutSetup *c = &s->cuts;
  double e0 = s->beam.energy_gev;

  switch (cut)
    {
    case DQM_CUT_ALL:
      return TRUE;
    case DQM_CUT_TIMING:
      /* A second particle in the window (pile-up) brings a second track and
       * energy that is not the triggering electron's: no candidate. */
      return e->max_cell_in_time && e->bad_energy_gev < c->bad_energy_max_gev
             && e->hcal_bad_energy_gev < c->hcal_bad_energy_max_gev && !e->pileup;
    case DQM_CUT_MAX_CELL:
      return e->max_cell_x == s->ecal.beam_x && e->max_cell_y == s->ecal.beam_y;
    case DQM_CUT_SRD:
      return e->srd_tagged;
    case DQM_CUT_MOMENTUM:
      return e->have_momentum && e->one_track && fabs (e->momentum_gev / e0 - 1) < c->momentum_window;
    case DQM_CUT_PRESHOWER:
      return e->ecal_ps_gev > c->preshower_min_gev;
    case DQM_CUT_ECAL:
      return e->ecal_gev < c->ecal_max_fraction * e0;
    case DQM_CUT_VETO:
      for (guint i = 0; i < DQM_VETO_COUNTERS; i++)
        if (e->veto_gev[i] > (i == 1 ? c->veto_central_max_gev : c->veto_counter_max_gev))
          return FALSE;
      return e->veto_sum_gev < c->veto_sum_max_gev;
    case DQM_CUT_HCAL:
      for (guint m = 0; m < 3; m++)
        if (e->hcal_module_gev[m] > c->hcal_module_max_gev[m])
          return FALSE;
      return e->hcal_gev < c->hcal_max_gev;
    case DQM_CUT_CHI2:
      return e->shower_chi2 < c->shower_chi2_max;
    case DQM_N_CUTS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static DqmEventClass
classify (const DqmSetup *s, const DqmRecoEvent *e)
{
  const DqmCutSetup *c = &s->cuts;
  gboolean beam = FALSE;

  for (guint i = 0; i < DQM_BEAM_COUNTERS; i++)
    beam |= e->counter_counts[i] > 0;
  if ((e->trigger & (DQM_TRIGGER_RANDOM | DQM_TRIGGER_LED)) || !beam)
    return DQM_CLASS_EMPTY;
  if (e->srd_tagged && e->ecal_ps_gev > c->preshower_min_gev)
    return DQM_CLASS_ELECTRON;
  if (e->ecal_gev < c->ecal_mip_max_gev && e->veto_fired >= 2
      && e->hcal_gev + e->hcal_module_gev[3] < c->muon_hcal_max_gev)
    {
      gboolean mip_in_each = TRUE;

      for (guint m = 0; m < 3; m++)
        mip_in_each &= e->channel[dqm_channel_slot (dqm_channel_hcal (m, 1, 1))].energy > c->muon_hcal_central_min_gev;
      if (mip_in_each)
        return DQM_CLASS_MUON;
    }
  return DQM_CLASS_HADRON;
}

void
dqm_selection_apply (const DqmSetup *s, DqmRecoEvent *e)
{
  g_return_if_fail (s != NULL);

  e->event_class = classify (s, e);
  e->cuts_passed = 0;
  e->candidate = FALSE;
  if (e->event_class == DQM_CLASS_EMPTY)
    return;
  while (e->cuts_passed < DQM_N_CUTS && dqm_selection_passes (s, e, e->cuts_passed))
    e->cuts_passed++;
  e->candidate = e->cuts_passed == DQM_N_CUTS;
}
