/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strip clusters and the momentum from the magnets' deflection. */
#include "dqm-micromegas.h"

#include <string.h>

#define WORDS_PER_PLANE ((DQM_STRIPS_PER_PLANE + 63) / 64)

struct _DqmMicromegas {
  const DqmSetup *setup;
  double          charge[DQM_TRACKER_PLANES][DQM_STRIPS_PER_PLANE]; /* per event */
  guint64         hit[DQM_TRACKER_PLANES][WORDS_PER_PLANE];     /* strips with charge */
  guint           n_touched;
  guint16         touched[DQM_MAX_HITS]; /* plane·320 + strip, to clear */
};

DqmMicromegas *
dqm_micromegas_new (const DqmSetup *setup)
{
  DqmMicromegas *tracking = g_new0 (DqmMicromegas, 1);

  g_return_val_if_fail (setup != NULL, NULL);

  tracking->setup = setup;
  return tracking;
}

void
dqm_micromegas_free (DqmMicromegas *tracking)
{
  g_free (tracking);
}

/* The first strip from @from on that has charge, or DQM_STRIPS_PER_PLANE. */
static guint
next_hit_strip (const guint64 *hit, guint from)
{
  for (guint word = from / 64; word < WORDS_PER_PLANE; word++)
    {
      guint64 bits = hit[word] & (word == from / 64 ? ~0ull << (from % 64) : ~0ull);

      if (bits)
        return word * 64 + (guint) __builtin_ctzll (bits);
    }
  return DQM_STRIPS_PER_PLANE;
}

/* Clusters of neighbouring strips with at least @min_charge; keeps the
 * count and the largest one's charge-weighted position (mm from the plane
 * centre). Only the few strips with charge are visited. */
static void
cluster_plane (const double *charge, const guint64 *hit, double min_charge, guint *n_clusters, double *position_mm)
{
  double best = 0;

  *n_clusters = 0;
  for (guint strip = next_hit_strip (hit, 0); strip < DQM_STRIPS_PER_PLANE; strip = next_hit_strip (hit, strip))
    {
      double q = 0, moment = 0;

      /* One strip without charge (a dead one) does not split a cluster. */
      for (; strip < DQM_STRIPS_PER_PLANE
             && (charge[strip] > 0 || (strip + 1 < DQM_STRIPS_PER_PLANE && charge[strip + 1] > 0));
           strip++)
        {
          q += charge[strip];
          moment += charge[strip] * (strip + 0.5);
        }
      if (q < min_charge)
        continue;
      (*n_clusters)++;
      if (q > best)
        {
          best = q;
          *position_mm = (moment / q - DQM_STRIPS_PER_PLANE / 2.0) * DQM_STRIP_PITCH_MM;
        }
    }
}

gboolean
dqm_micromegas_fit_line (const double *z, const double *x, guint n, double *slope, double *intercept)
{
  double sz = 0, sx = 0, szz = 0, szx = 0, d;

  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      sz += z[i];
      sx += x[i];
      szz += z[i] * z[i];
      szx += z[i] * x[i];
    }
  d = n * szz - sz * sz;
  if (d == 0)
    return FALSE;
  *slope = (n * szx - sz * sx) / d;
  if (intercept)
    *intercept = (sx - *slope * sz) / n;
  return TRUE;
}

void
dqm_micromegas_event (DqmMicromegas *tracking, const DqmEvent *event, DqmRecoEvent *out)
{
  g_return_if_fail (tracking != NULL);

  const DqmSetup *s = tracking->setup;
  const DqmTrackerSetup *t = &s->tracker;
  double nominal_mrad = dqm_setup_bend_angle (s, s->beam.energy_gev) * 1000;
  double z_up[4], x_up[4], z_down[4], x_down[4], slope_up, slope_down;
  guint n_up = 0, n_down = 0;

  out->one_track = TRUE;

  /* Only the strips the last event touched are cleared: 40 kB a time adds up. */
  for (guint i = 0; i < tracking->n_touched; i++)
    tracking->charge[tracking->touched[i] / DQM_STRIPS_PER_PLANE][tracking->touched[i] % DQM_STRIPS_PER_PLANE] = 0;
  tracking->n_touched = 0;
  memset (tracking->hit, 0, sizeof tracking->hit);
  for (guint h = 0; h < event->n_hits; h++)
    if (event->hits[h].amp[1] > DQM_STRIP_THRESHOLD)
      {
        guint plane = event->hits[h].plane, strip = event->hits[h].strip;

        tracking->charge[plane][strip] += event->hits[h].amp[1];
        tracking->hit[plane][strip / 64] |= 1ull << (strip % 64);
        tracking->touched[tracking->n_touched++] = plane * DQM_STRIPS_PER_PLANE + strip;
      }
  for (guint plane = 0; plane < DQM_TRACKER_PLANES; plane++)
    cluster_plane (tracking->charge[plane], tracking->hit[plane], s->reco.cluster_min_charge, &out->n_clusters[plane],
                   &out->cluster_mm[plane]);

  for (guint station = 0; station < DQM_TRACKER_STATIONS; station++)
    {
      guint plane = 2 * station; /* X view: the magnets bend in x */
      double z = t->station_z_m[station];

      if (out->n_clusters[plane] == 0)
        continue;
      if (z < t->kick_z_m)
        {
          /* Two particles upstream (pile-up): whose momentum is measured? */
          out->one_track &= out->n_clusters[plane] == 1;
          z_up[n_up] = z;
          x_up[n_up++] = out->cluster_mm[plane];
        }
      else
        {
          /* Downstream stations sit on the nominal bent trajectory. */
          z_down[n_down] = z;
          x_down[n_down++] = out->cluster_mm[plane] + nominal_mrad * (z - t->kick_z_m);
        }
    }
  if (dqm_micromegas_fit_line (z_up, x_up, n_up, &slope_up, NULL)
      && dqm_micromegas_fit_line (z_down, x_down, n_down, &slope_down, NULL)
      && slope_down - slope_up > 0)
    {
      out->have_momentum = TRUE;
      /* p = 0.2998 · ∫B dl / θ */
      out->momentum_gev = 0.299792458 * s->beam.field_integral_tm / ((slope_down - slope_up) / 1000);
    }
}
