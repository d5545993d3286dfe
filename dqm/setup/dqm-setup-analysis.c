/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The [reco], [cuts], [alarms] and [dqm] groups of the configuration. */
#include "dqm-setup.h"
#include "dqm-setup-private.h"

#include "dqm-error.h"

#define D(group, key, min, max, field) \
  if (!dqm_config_get_double (config, group, key, min, max, &(field), error)) return FALSE
#define U(group, key, min, max, field) \
  if (!dqm_config_get_uint (config, group, key, min, max, &(field), error)) return FALSE

/* A WARNING/ALARM pair; for "below" limits the alarm is the lower one. */
static gboolean
limits (DqmConfig   *config,
        const char  *name,
        gboolean     below,
        double       min,
        double       max,
        DqmLimits   *out,
        GError     **error)
{
  g_autofree char *warning = g_strconcat (name, "_warning", NULL);
  g_autofree char *alarm = g_strconcat (name, "_alarm", NULL);

  D ("alarms", warning, min, max, out->warning);
  D ("alarms", alarm, min, max, out->alarm);
  if (below ? out->alarm > out->warning : out->alarm < out->warning)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "[alarms] %s must be %s %s", alarm,
                   below ? "at most" : "at least", warning);
      return FALSE;
    }
  return TRUE;
}

gboolean
dqm_setup_load_analysis (DqmConfig *config, DqmSetup *s, GError **error)
{
  static const char *const tests[] = { "ks", "chi2", NULL };
  DqmAlarmSetup *a = &s->alarms;
  double from_2023;

  g_return_val_if_fail (config != NULL, FALSE);

  U ("reco", "pedestal_samples", 2, 16, s->reco.pedestal_samples);
  D ("reco", "pedestal_tracking_weight", 0.0001, 1, s->reco.pedestal_tracking_weight);
  D ("reco", "signal_threshold_counts", 0, 4095, s->reco.signal_threshold_counts);
  D ("reco", "time_window_ns", 1, 400, s->reco.time_window_ns);
  D ("reco", "srd_time_window_ns", 0.5, 400, s->reco.srd_time_window_ns);
  D ("reco", "cluster_min_charge", 0, 1e6, s->reco.cluster_min_charge);

  D ("cuts", "srd_module_min_mev", 0, 1e4, s->cuts.srd_module_min_mev);
  D ("cuts", "srd_module_max_mev", 0, 1e4, s->cuts.srd_module_max_mev);
  U ("cuts", "srd_modules_required", 1, 3, s->cuts.srd_modules_required);
  D ("cuts", "srd_sum_min_mev", 0, 1e4, s->cuts.srd_sum_min_mev);
  D ("cuts", "srd_sum_max_mev", 0, 1e4, s->cuts.srd_sum_max_mev);
  D ("cuts", "momentum_window", 0, 1, s->cuts.momentum_window);
  D ("cuts", "preshower_min_gev", 0, 100, s->cuts.preshower_min_gev);
  D ("cuts", "ecal_max_fraction", 0, 2, s->cuts.ecal_max_fraction);
  D ("cuts", "ecal_max_fraction_from_2023", 0, 2, from_2023);
  U ("run", "year", 2016, 2100, s->year);
  if (s->year >= 2023)
    s->cuts.ecal_max_fraction = from_2023;
  D ("cuts", "bad_energy_max_gev", 0, 1000, s->cuts.bad_energy_max_gev);
  D ("cuts", "hcal_bad_energy_max_gev", 0, 1000, s->cuts.hcal_bad_energy_max_gev);
  D ("cuts", "pileup_sum_fraction", 1, 10, s->cuts.pileup_sum_fraction);
  D ("cuts", "pileup_out_of_time_gev", 0, 1000, s->cuts.pileup_out_of_time_gev);
  D ("cuts", "veto_counter_max_gev", 0, 10, s->cuts.veto_counter_max_gev);
  D ("cuts", "veto_central_max_gev", 0, 10, s->cuts.veto_central_max_gev);
  D ("cuts", "veto_sum_max_gev", 0, 10, s->cuts.veto_sum_max_gev);
  D ("cuts", "hcal_max_gev", 0, 1000, s->cuts.hcal_max_gev);
  if (!dqm_config_get_doubles (config, "cuts", "hcal_module_max_gev", 3, 0, 1000, s->cuts.hcal_module_max_gev, error))
    return FALSE;
  D ("cuts", "shower_chi2_max", 0, 1e6, s->cuts.shower_chi2_max);
  D ("cuts", "ecal_mip_max_gev", 0, 100, s->cuts.ecal_mip_max_gev);
  D ("cuts", "muon_hcal_central_min_gev", 0, 100, s->cuts.muon_hcal_central_min_gev);
  D ("cuts", "muon_hcal_max_gev", 0, 1000, s->cuts.muon_hcal_max_gev);
  D ("cuts", "veto_fired_mip", 0, 100, s->cuts.veto_fired_mip);
  if (s->cuts.srd_module_min_mev >= s->cuts.srd_module_max_mev)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "[cuts] srd_module_min_mev must be below srd_module_max_mev");
      return FALSE;
    }

  U ("alarms", "clear_spills", 1, 100, a->clear_spills);
  D ("alarms", "hysteresis", 0, 1, a->hysteresis);
  U ("alarms", "min_events", 1, 1000000, a->min_events);
  U ("alarms", "min_beam_events", 1, 1000000, a->min_beam_events);
  D ("alarms", "dead_seen_share", 0, 1, a->dead_seen_share);
  D ("alarms", "hot_random_share", 0, 1, a->hot_random_share);
  if (!limits (config, "purity", TRUE, 0, 1, &a->purity, error)
      || !limits (config, "hadron", FALSE, 0, 1, &a->hadron, error)
      || !limits (config, "veto_efficiency", TRUE, 0, 1, &a->veto_efficiency, error)
      || !limits (config, "veto_noise", FALSE, 0, 1, &a->veto_noise, error)
      || !limits (config, "pedestal_drift", FALSE, 0, 4095, &a->pedestal_drift, error)
      || !limits (config, "gain_drift", FALSE, 0, 1, &a->gain_drift, error)
      || !limits (config, "central_cell", FALSE, 0, 1, &a->central_cell, error)
      || !limits (config, "trigger_ratio", FALSE, 0, 100, &a->trigger_ratio, error)
      || !limits (config, "bad", FALSE, 0, 1, &a->bad, error)
      || !limits (config, "lost", FALSE, 0, 1, &a->lost, error)
      || !limits (config, "dropped", FALSE, 0, 1, &a->dropped, error))
    return FALSE;

  U ("dqm", "history_spills", 2, 100000, s->dqm.history_spills);
  U ("dqm", "candidates_kept", 1, 1000000, s->dqm.candidates_kept);
  if ((s->dqm.reference_test = dqm_config_get_choice (config, "dqm", "reference_test", tests, error)) < 0)
    return FALSE;
  D ("dqm", "reference_min_probability", 0, 1, s->dqm.reference_min_probability);
  D ("dqm", "reference_min_entries", 0, 1e12, s->dqm.reference_min_entries);
  D ("dqm", "eot_target", 0, 1e15, s->dqm.eot_target);
  D ("dqm", "reference_flagged_warning", 1, 1000, s->dqm.reference_flagged.warning);
  D ("dqm", "reference_flagged_alarm", 1, 1000, s->dqm.reference_flagged.alarm);
  return TRUE;
}
