/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads every DqmSetup field from the configuration with its allowed range. */
#include "dqm-setup.h"
#include "dqm-setup-private.h"

#include <string.h>

#include "dqm-channel.h"
#include "dqm-error.h"

static const char *const particle_names[] = { "electron", "positron", "muon", "hadron", NULL };

const char *
dqm_particle_name (DqmParticle particle)
{
  return particle < DQM_PARTICLE_NONE ? particle_names[particle] : "none";
}

const char *
dqm_beam_name (DqmBeam beam)
{
  switch (beam)
    {
    case DQM_BEAM_POSITRON: return "e+";
    case DQM_BEAM_MUON: return "mu-";
    case DQM_BEAM_HADRON: return "pi-";
    case DQM_BEAM_ELECTRON:
    default: return "e-";
    }
}

double
dqm_setup_bend_angle (const DqmSetup *setup, double p_gev)
{
  g_return_val_if_fail (setup != NULL, 0);

  /* θ = 0.2998 · ∫B dl [T·m] / p [GeV/c] */
  return 0.299792458 * setup->beam.field_integral_tm / p_gev;
}

#define D(group, key, min, max, field) \
  if (!dqm_config_get_double (config, group, key, min, max, &(field), error)) return FALSE
#define U(group, key, min, max, field) \
  if (!dqm_config_get_uint (config, group, key, min, max, &(field), error)) return FALSE

static gboolean
load_beam (DqmConfig *config, const char *group, DqmBeamSetup *beam, GError **error)
{
  static const DqmBeam codes[] = { DQM_BEAM_ELECTRON, DQM_BEAM_POSITRON, DQM_BEAM_MUON, DQM_BEAM_HADRON };
  int primary = dqm_config_get_choice (config, group, "primary", particle_names, error);

  if (primary < 0)
    return FALSE;
  beam->primary = primary;
  beam->code = codes[primary];
  D (group, "energy_gev", 1, 1000, beam->energy_gev);
  D (group, "energy_spread", 0, 0.2, beam->energy_spread);
  D (group, "electron_fraction", 0, 1, beam->electron_fraction);
  D (group, "hadron_fraction", 0, 1, beam->hadron_fraction);
  D (group, "muon_fraction", 0, 1, beam->muon_fraction);
  D (group, "low_energy_tail_fraction", 0, 1, beam->low_energy_tail_fraction);
  D (group, "signal_fraction", 0, 1, beam->signal_fraction);
  D (group, "decay_probability", 0, 1, beam->decay_probability);
  D (group, "upstream_interaction_probability", 0, 1, beam->upstream_interaction_probability);
  D (group, "field_integral_tm", 0.01, 100, beam->field_integral_tm);
  D (group, "beam_spot_mm", 0, 50, beam->beam_spot_mm);
  D (group, "divergence_mrad", 0, 10, beam->divergence_mrad);
  if (beam->electron_fraction + beam->hadron_fraction + beam->muon_fraction > 1)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG,
                   "[%s] electron_fraction + hadron_fraction + muon_fraction exceed 1", group);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_detectors (DqmConfig *config, DqmSetup *s, GError **error)
{
  double beam_cell[2];

  D ("spill", "length_s", 0.01, 60, s->spill.length_s);
  D ("spill", "gap_s", 0, 600, s->spill.gap_s);
  /* Up to where six pile-up particles a window are plenty (DQM_SIM_MAX_PILEUP). */
  D ("spill", "beam_rate_hz", 0, 2e6, s->spill.beam_rate_hz);
  D ("spill", "intensity_spread", 0, 0.9, s->spill.intensity_spread);
  D ("spill", "calibration_s", 0, 60, s->spill.calibration_s);

  D ("trigger", "physics_preshower_min_gev", 0, 1000, s->trigger.physics_preshower_min_gev);
  D ("trigger", "physics_ecal_max_gev", 0, 10000, s->trigger.physics_ecal_max_gev);
  D ("trigger", "gate_ns", 0, 400, s->trigger.gate_ns);
  U ("trigger", "beam_prescale", 1, G_MAXUINT, s->trigger.beam_prescale);
  U ("trigger", "random_per_spill", 0, 100000, s->trigger.random_per_spill);
  U ("trigger", "led_per_spill", 0, 100000, s->trigger.led_per_spill);
  D ("trigger", "live_fraction", 0.01, 1, s->trigger.live_fraction);
  D ("trigger", "pileup_tail_ns", 0, 1000, s->trigger.pileup_tail_ns);

  U ("msadc", "samples", DQM_MIN_SAMPLES, DQM_MAX_SAMPLES, s->msadc.samples);
  D ("msadc", "pedestal_min", 0, 4000, s->msadc.pedestal_min);
  D ("msadc", "pedestal_max", 0, 4000, s->msadc.pedestal_max);
  D ("msadc", "odd_even_difference_max", 0, 500, s->msadc.odd_even_difference_max);
  U ("msadc", "pedestal_seed", 0, G_MAXUINT, s->msadc.pedestal_seed);
  D ("msadc", "noise_counts", 0, 100, s->msadc.noise_counts);
  D ("msadc", "pulse_tau_ns", 1, 100, s->msadc.pulse_tau_ns);
  U ("msadc", "pulse_power", 1, 6, s->msadc.pulse_power);
  D ("msadc", "peak_time_ns", 0, DQM_MAX_SAMPLES * DQM_SAMPLE_NS, s->msadc.peak_time_ns);
  D ("msadc", "time_jitter_ns", 0, 50, s->msadc.time_jitter_ns);
  if (s->msadc.pedestal_min > s->msadc.pedestal_max)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "[msadc] pedestal_min is above pedestal_max");
      return FALSE;
    }

  D ("ecal", "cell_pitch_mm", 1, 1000, s->ecal.cell_pitch_mm);
  if (!dqm_config_get_doubles (config, "ecal", "beam_cell", 2, 0, DQM_ECAL_NX - 1, beam_cell, error))
    return FALSE;
  s->ecal.beam_x = (guint) beam_cell[0];
  s->ecal.beam_y = (guint) beam_cell[1];
  D ("ecal", "resolution_stochastic", 0, 2, s->ecal.resolution_stochastic);
  D ("ecal", "resolution_constant", 0, 1, s->ecal.resolution_constant);
  D ("ecal", "preshower_fraction", 0, 1, s->ecal.preshower_fraction);
  D ("ecal", "preshower_fraction_spread", 0.01, 2, s->ecal.preshower_fraction_spread);
  D ("ecal", "core_width_mm", 0.1, 500, s->ecal.core_width_mm);
  D ("ecal", "halo_width_mm", 0.1, 500, s->ecal.halo_width_mm);
  D ("ecal", "core_fraction", 0, 1, s->ecal.core_fraction);
  D ("ecal", "preshower_mev_per_count", 0.001, 1e4, s->ecal.preshower_mev_per_count);
  D ("ecal", "main_mev_per_count", 0.001, 1e4, s->ecal.main_mev_per_count);
  D ("ecal", "hcal_leak_mean_gev", 0, 100, s->ecal.hcal_leak_mean_gev);
  D ("ecal", "mip_energy_gev", 0, 100, s->ecal.mip_energy_gev);
  D ("ecal", "interaction_lengths", 0, 20, s->ecal.interaction_lengths);
  D ("ecal", "preshower_interaction_lengths", 0, 20, s->ecal.preshower_interaction_lengths);
  D ("ecal", "charge_exchange_probability", 0, 1, s->ecal.charge_exchange_probability);
  D ("ecal", "hadron_response", 0.05, 2, s->ecal.hadron_response);
  D ("ecal", "electronuclear_probability", 0, 1, s->ecal.electronuclear_probability);
  if (s->ecal.preshower_interaction_lengths > s->ecal.interaction_lengths)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "[ecal] preshower_interaction_lengths exceed interaction_lengths");
      return FALSE;
    }
  D ("ecal", "time_offset_ns", -200, 200, s->ecal.time_offset_ns);

  D ("hcal", "cell_pitch_mm", 1, 2000, s->hcal.cell_pitch_mm);
  D ("hcal", "resolution_stochastic", 0, 5, s->hcal.resolution_stochastic);
  D ("hcal", "resolution_constant", 0, 1, s->hcal.resolution_constant);
  D ("hcal", "core_width_mm", 0.1, 2000, s->hcal.core_width_mm);
  D ("hcal", "halo_width_mm", 0.1, 2000, s->hcal.halo_width_mm);
  D ("hcal", "core_fraction", 0, 1, s->hcal.core_fraction);
  D ("hcal", "mev_per_count", 0.001, 1e4, s->hcal.mev_per_count);
  if (!dqm_config_get_doubles (config, "hcal", "module_share", 4, 0, 1, s->hcal.module_share, error))
    return FALSE;
  D ("hcal", "module_share_shape", 0.5, 1000, s->hcal.module_share_shape);
  D ("hcal", "muon_module_gev", 0, 100, s->hcal.muon_module_gev);
  D ("hcal", "time_offset_ns", -200, 200, s->hcal.time_offset_ns);

  D ("veto", "mip_gev", 1e-5, 10, s->veto.mip_gev);
  D ("veto", "mev_per_count", 1e-4, 1e3, s->veto.mev_per_count);
  D ("veto", "pmt_spread", 0, 2, s->veto.pmt_spread);
  D ("veto", "efficiency", 0, 1, s->veto.efficiency);
  D ("veto", "noise_probability", 0, 1, s->veto.noise_probability);
  D ("veto", "shower_leak_mips", 0, 1000, s->veto.shower_leak_mips);
  D ("veto", "time_offset_ns", -200, 200, s->veto.time_offset_ns);

  D ("srd", "electron_mean_mev", 0, 1e4, s->srd.electron_mean_mev);
  D ("srd", "electron_shape", 0.1, 100, s->srd.electron_shape);
  D ("srd", "other_mean_mev", 0, 1e4, s->srd.other_mean_mev);
  D ("srd", "other_hit_probability", 0, 1, s->srd.other_hit_probability);
  D ("srd", "mev_per_count", 1e-4, 1e3, s->srd.mev_per_count);
  D ("srd", "time_offset_ns", -200, 200, s->srd.time_offset_ns);

  D ("counters", "mip_counts", 1, 4000, s->counters.mip_counts);
  D ("counters", "mip_spread", 0, 2, s->counters.mip_spread);
  D ("counters", "upstream_veto_probability", 0, 1, s->counters.upstream_veto_probability);
  D ("counters", "upstream_interaction_veto_probability", 0, 1, s->counters.upstream_interaction_veto_probability);
  D ("counters", "time_offset_ns", -200, 200, s->counters.time_offset_ns);

  if (!dqm_config_get_doubles (config, "tracker", "station_z_m", DQM_TRACKER_STATIONS, -1000, 1000,
                               s->tracker.station_z_m, error))
    return FALSE;
  D ("tracker", "kick_z_m", -1000, 1000, s->tracker.kick_z_m);
  D ("tracker", "resolution_mm", 0, 10, s->tracker.resolution_mm);
  U ("tracker", "cluster_strips", 1, 16, s->tracker.cluster_strips);
  D ("tracker", "strip_amplitude", 1, 4095, s->tracker.strip_amplitude);
  D ("tracker", "noise_hits_per_plane", 0, 50, s->tracker.noise_hits_per_plane);
  D ("tracker", "scattering_mrad", 0, 100, s->tracker.scattering_mrad);
  D ("tracker", "dead_strip_fraction", 0, 1, s->tracker.dead_strip_fraction);

  D ("led", "amplitude_counts", 0, 4095, s->led.amplitude_counts);
  D ("led", "channel_spread", 0, 0.9, s->led.channel_spread);
  D ("led", "pulse_spread", 0, 0.9, s->led.pulse_spread);
  for (guint i = 0; i < DQM_TRACKER_STATIONS; i++)
    {
      gboolean upstream = i < DQM_TRACKER_STATIONS / 2;

      if ((upstream && s->tracker.station_z_m[i] >= s->tracker.kick_z_m)
          || (!upstream && s->tracker.station_z_m[i] <= s->tracker.kick_z_m))
        {
          g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG,
                       "[tracker] station_z_m: MM%u must lie %s the magnets' kick_z_m", i + 1,
                       upstream ? "upstream of" : "downstream of");
          return FALSE;
        }
    }
  return TRUE;
}

#undef D
#undef U

static gboolean
load_calibration (DqmConfig *config, DqmSetup *s, GError **error)
{
  g_auto(GStrv) keys = dqm_config_get_keys (config, "calibration");

  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmChannelInfo info;

      dqm_channel_lookup (dqm_channel_from_slot (slot), &info);
      switch (info.detector)
        {
        case DQM_DETECTOR_ECAL:
          s->mev_per_count[slot] = info.module ? s->ecal.main_mev_per_count : s->ecal.preshower_mev_per_count;
          break;
        case DQM_DETECTOR_HCAL: s->mev_per_count[slot] = s->hcal.mev_per_count; break;
        case DQM_DETECTOR_VETO: s->mev_per_count[slot] = s->veto.mev_per_count; break;
        case DQM_DETECTOR_SRD: s->mev_per_count[slot] = s->srd.mev_per_count; break;
        case DQM_DETECTOR_BEAM_COUNTER:
        case DQM_DETECTOR_UPSTREAM_VETO:
        case DQM_N_DETECTORS:
        default: s->mev_per_count[slot] = 1; break;
        }
    }
  for (guint i = 0; keys[i]; i++)
    {
      guint channel;
      DqmChannelInfo info;
      int slot;

      dqm_channel_parse (keys[i], &channel, NULL); /* checked when the file was read */
      slot = dqm_channel_slot (channel);
      dqm_channel_lookup (channel, &info);
      if (info.detector == DQM_DETECTOR_BEAM_COUNTER || info.detector == DQM_DETECTOR_UPSTREAM_VETO)
        {
          g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG,
                       "[calibration] %s: beam counters and upstream vetoes are read in counts, not calibrated",
                       keys[i]);
          return FALSE;
        }
      if (!dqm_config_get_double (config, "calibration", keys[i], 1e-4, 1e4, &s->mev_per_count[slot], error))
        return FALSE;
    }
  return TRUE;
}

DqmSetup *
dqm_setup_load (DqmConfig *config, const char *beam_name, GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);

  g_autoptr(DqmSetup) setup = g_new0 (DqmSetup, 1);
  g_autofree char *default_beam = NULL;
  g_autofree char *group = NULL;

  setup->setup_tag = dqm_config_get_string (config, "run", "setup_tag", error);
  if (setup->setup_tag == NULL)
    return NULL;
  if (strlen (setup->setup_tag) > DQM_MAX_TAG)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "[run] setup_tag is longer than 255 bytes");
      return NULL;
    }
  if (beam_name == NULL)
    {
      default_beam = dqm_config_get_string (config, "run", "default_beam", error);
      if (default_beam == NULL)
        return NULL;
      beam_name = g_strstrip (default_beam);
    }
  group = g_strconcat ("beam-", beam_name, NULL);
  if (!dqm_config_has_group (config, group))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG,
                   "beam “%s” is not configured (there is no [%s] group; known: e-, e+, mu-, pi-)",
                   beam_name, group);
      return NULL;
    }
  setup->beam.name = g_strdup (beam_name);
  if (!load_beam (config, group, &setup->beam, error) || !load_detectors (config, setup, error)
      || !load_calibration (config, setup, error) || !dqm_setup_load_analysis (config, setup, error))
    return NULL;
  return g_steal_pointer (&setup);
}

void
dqm_setup_free (DqmSetup *setup)
{
  if (setup == NULL)
    return;
  g_free (setup->setup_tag);
  g_free (setup->beam.name);
  g_free (setup);
}
