/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Micromegas hits for the simulator. */
#include "dqm-sim-micromegas.h"

#include <math.h>

/* Relative APV amplitudes of the three time samples of a strip signal. */
static const double apv_shape[3] = { 0.45, 1.0, 0.75 };

double
dqm_sim_micromegas_offset_mm (const DqmSetup *setup, guint station, double p_gev)
{
  g_return_val_if_fail (setup != NULL, 0);

  double z = setup->tracker.station_z_m[station];
  double lever = z - setup->tracker.kick_z_m;

  if (lever <= 0)
    return 0;
  /* Deflection beyond the nominal one of the beam momentum; rad·m → mm. */
  return (dqm_setup_bend_angle (setup, p_gev) - dqm_setup_bend_angle (setup, setup->beam.energy_gev))
         * lever * 1000;
}

/* Dead strips are the hardware's: the same ones in every event. */
static gboolean
strip_dead (const DqmSetup *setup, guint plane, int strip)
{
  guint32 h = (guint32) (plane * 2654435761u) ^ (guint32) ((guint) strip * 40503u + 0x9e3779b9u);

  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  return h % 100000u < setup->tracker.dead_strip_fraction * 100000;
}

static void
add_hit (const DqmSetup *setup, DqmEvent *event, guint plane, int strip, double amplitude, DqmRandom *rng)
{
  DqmStripHit *hit;

  if (strip < 0 || strip >= DQM_STRIPS_PER_PLANE || event->n_hits >= DQM_MAX_HITS || amplitude < 1
      || strip_dead (setup, plane, strip))
    return;
  hit = &event->hits[event->n_hits++];
  hit->plane = plane;
  hit->strip = strip;
  for (guint k = 0; k < 3; k++)
    {
      /* Drawn once: CLAMP would evaluate a random draw three times. */
      long counts = lround (amplitude * apv_shape[k] + 5 * dqm_random_gauss (rng));

      hit->amp[k] = (guint16) CLAMP (counts, 0, DQM_SAMPLE_MAX);
    }
}

static void
add_cluster (const DqmSetup *setup,
             DqmRandom      *rng,
             DqmEvent       *event,
             guint           plane,
             double          position_mm)
{
  const DqmTrackerSetup *tracker = &setup->tracker;
  double centre = position_mm / DQM_STRIP_PITCH_MM + DQM_STRIPS_PER_PLANE / 2.0;
  double charge = tracker->strip_amplitude * dqm_random_gamma (rng, 6, 1);
  int first = (int) floor (centre - tracker->cluster_strips / 2.0 + 0.5);

  for (guint k = 0; k < tracker->cluster_strips; k++)
    {
      int strip = first + (int) k;
      double d = strip + 0.5 - centre;

      add_hit (setup, event, plane, strip, charge * exp (-d * d / 2), rng);
    }
}

void
dqm_sim_micromegas_track (const DqmSetup *setup, DqmRandom *rng, double p_gev, DqmEvent *event)
{
  g_return_if_fail (setup != NULL);

  const DqmTrackerSetup *tracker = &setup->tracker;
  double x0 = setup->beam.beam_spot_mm * dqm_random_gauss (rng);
  double y0 = setup->beam.beam_spot_mm * dqm_random_gauss (rng);
  double tx = setup->beam.divergence_mrad * dqm_random_gauss (rng); /* mm per m */
  double ty = setup->beam.divergence_mrad * dqm_random_gauss (rng);
  /* Multiple scattering (and misalignment) across the magnets, ∝ 1/p. */
  double scatter = tracker->scattering_mrad * 100 / fmax (1, p_gev);
  double sx = scatter * dqm_random_gauss (rng), sy = scatter * dqm_random_gauss (rng);

  for (guint station = 0; station < DQM_TRACKER_STATIONS; station++)
    {
      double z = tracker->station_z_m[station] - tracker->station_z_m[0];
      double lever = fmax (0, tracker->station_z_m[station] - tracker->kick_z_m);
      double x = x0 + tx * z + dqm_sim_micromegas_offset_mm (setup, station, p_gev) + sx * lever;
      double y = y0 + ty * z + sy * lever;

      add_cluster (setup, rng, event, 2 * station, x + tracker->resolution_mm * dqm_random_gauss (rng));
      add_cluster (setup, rng, event, 2 * station + 1, y + tracker->resolution_mm * dqm_random_gauss (rng));
    }
}

void
dqm_sim_micromegas_noise (const DqmSetup *setup, DqmRandom *rng, DqmEvent *event)
{
  g_return_if_fail (setup != NULL);

  for (guint plane = 0; plane < DQM_TRACKER_PLANES; plane++)
    {
      guint n = dqm_random_poisson (rng, setup->tracker.noise_hits_per_plane);

      for (guint i = 0; i < n; i++)
        add_hit (setup, event, plane, (int) (dqm_random_uniform (rng) * DQM_STRIPS_PER_PLANE),
                 dqm_random_range (rng, 40, 200), rng);
    }
}
