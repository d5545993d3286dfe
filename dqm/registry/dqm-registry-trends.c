/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Trends and EOT curves from the registry's rows. */
#include "dqm-registry-trends.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#define LIMITS(field) offsetof (DqmAlarmSetup, field)

static const DqmTrendInfo trends[DQM_N_TRENDS] = {
  [DQM_TREND_PURITY] = { "purity", N_("Beam purity (SRD-tagged electrons)"), LIMITS (purity) },
  [DQM_TREND_HADRONS] = { "hadrons", N_("Hadron contamination"), LIMITS (hadron) },
  [DQM_TREND_VETO_EFFICIENCY_0] = { "veto-efficiency-0", N_("VETO 0 efficiency"), LIMITS (veto_efficiency) },
  [DQM_TREND_VETO_EFFICIENCY_1] = { "veto-efficiency-1", N_("VETO 1 efficiency"), LIMITS (veto_efficiency) },
  [DQM_TREND_VETO_EFFICIENCY_2] = { "veto-efficiency-2", N_("VETO 2 efficiency"), LIMITS (veto_efficiency) },
  [DQM_TREND_VETO_NOISE_0] = { "veto-noise-0", N_("VETO 0 noise on clean electrons"), LIMITS (veto_noise) },
  [DQM_TREND_VETO_NOISE_1] = { "veto-noise-1", N_("VETO 1 noise on clean electrons"), LIMITS (veto_noise) },
  [DQM_TREND_VETO_NOISE_2] = { "veto-noise-2", N_("VETO 2 noise on clean electrons"), LIMITS (veto_noise) },
  [DQM_TREND_TRIGGER_RATE] = { "trigger-rate", N_("Trigger rate (Hz)"), 0 },
  [DQM_TREND_PEDESTAL_DRIFT] = { "pedestal-drift", N_("Pedestal drift, worst channel (ADC counts)"), LIMITS (pedestal_drift) },
  [DQM_TREND_DROPPED] = { "dropped", N_("Events dropped by the analysis (share)"), LIMITS (dropped) },
};

const DqmTrendInfo *
dqm_trend_info (DqmTrend trend)
{
  g_return_val_if_fail (trend < DQM_N_TRENDS, NULL);

  return &trends[trend];
}

double
dqm_trend_value (DqmTrend trend, const DqmRegistrySpill *s)
{
  switch (trend)
    {
    case DQM_TREND_PURITY: return s->purity;
    case DQM_TREND_HADRONS: return s->hadron_share;
    case DQM_TREND_VETO_EFFICIENCY_0:
    case DQM_TREND_VETO_EFFICIENCY_1:
    case DQM_TREND_VETO_EFFICIENCY_2: return s->veto_efficiency[trend - DQM_TREND_VETO_EFFICIENCY_0];
    case DQM_TREND_VETO_NOISE_0:
    case DQM_TREND_VETO_NOISE_1:
    case DQM_TREND_VETO_NOISE_2: return s->veto_noise[trend - DQM_TREND_VETO_NOISE_0];
    case DQM_TREND_TRIGGER_RATE: return s->trigger_rate_hz;
    case DQM_TREND_PEDESTAL_DRIFT: return s->pedestal_drift_adc;
    /* as the alarm counts it: a share of what reached the analysis */
    case DQM_TREND_DROPPED: return s->events + s->dropped ? (double) s->dropped / (s->events + s->dropped) : NAN;
    default: g_return_val_if_reached (NAN);
    }
}

gboolean
dqm_trend_limits (DqmTrend trend, const DqmSetup *setup, DqmLimits *limits)
{
  g_return_val_if_fail (trend < DQM_N_TRENDS, FALSE);

  if (trends[trend].limits == 0)
    return FALSE;
  *limits = *(const DqmLimits *) ((const char *) &setup->alarms + trends[trend].limits);
  return TRUE;
}

gint64
dqm_registry_parse_time (const char *time)
{
  g_autoptr(GDateTime) t = time && *time ? g_date_time_new_from_iso8601 (time, NULL) : NULL;

  return t ? g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t) : 0;
}

static DqmRegistryCurve *
curve_new (const char *beam)
{
  DqmRegistryCurve *curve = g_new0 (DqmRegistryCurve, 1);

  g_strlcpy (curve->beam, beam, sizeof curve->beam);
  curve->hours = g_array_new (FALSE, FALSE, sizeof (double));
  curve->values = g_array_new (FALSE, FALSE, sizeof (double));
  return curve;
}

static void
curve_add (DqmRegistryCurve *curve, gint64 time_us, gint64 now_us, double value)
{
  double hours = (double) (time_us - now_us) / (3600.0 * G_USEC_PER_SEC);

  g_array_append_val (curve->hours, hours);
  g_array_append_val (curve->values, value);
}

void
dqm_registry_curve_free (DqmRegistryCurve *curve)
{
  if (curve == NULL)
    return;
  g_array_unref (curve->hours);
  g_array_unref (curve->values);
  g_free (curve);
}

DqmRegistryCurve *
dqm_registry_trend (DqmTrend trend, const DqmRegistrySpill *spills, guint n, gboolean per_run, gint64 now_us)
{
  DqmRegistryCurve *curve = curve_new ("");

  g_return_val_if_fail (trend < DQM_N_TRENDS, curve);

  for (guint i = 0; i < n; i++)
    {
      gint64 at = dqm_registry_parse_time (spills[i].time);
      double sum = 0, weight = 0;
      guint j = i;

      if (!per_run)
        {
          curve_add (curve, at, now_us, dqm_trend_value (trend, &spills[i]));
          continue;
        }
      /* The run's spills (in time order a run's spills come together). */
      for (; j < n && spills[j].run == spills[i].run; j++)
        {
          /* As the registry weighs a run's purity and efficiencies: a spill with no events has none. */
          double value = dqm_trend_value (trend, &spills[j]), w = (double) spills[j].events;

          if (isfinite (value) && w > 0)
            {
              sum += w * value;
              weight += w;
            }
        }
      curve_add (curve, at, now_us, weight > 0 ? sum / weight : NAN);
      i = j - 1;
    }
  return curve;
}

static gint
by_time (gconstpointer a, gconstpointer b)
{
  const gint64 *x = a, *y = b;

  return (x[0] > y[0]) - (x[0] < y[0]);
}

GPtrArray *
dqm_registry_eot_curves (const DqmRegistryRun *runs, guint n, gint64 now_us)
{
  GPtrArray *curves = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_registry_curve_free);
  /* (time, index) of each run's end, so the sums grow in time order */
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, 2 * sizeof (gint64));
  gint64 first = G_MAXINT64;
  double *sums;

  for (guint i = 0; i < n; i++)
    {
      gint64 start = dqm_registry_parse_time (runs[i].start_time), end = dqm_registry_parse_time (runs[i].end_time);
      gint64 entry[2] = { end ? end : start, i };

      if (entry[0] == 0)
        continue; /* a run with no time at all has no place on a time axis */
      if (start)
        first = MIN (first, start);
      first = MIN (first, entry[0]);
      g_array_append_val (order, entry);
    }
  g_array_sort (order, by_time);
  sums = g_new0 (double, n + 1);
  for (guint k = 0; k < order->len; k++)
    {
      const gint64 *entry = &g_array_index (order, gint64, 2 * k);
      const DqmRegistryRun *run = &runs[entry[1]];
      DqmRegistryCurve *curve;
      guint c = 0;

      while (c < curves->len && !g_str_equal (((DqmRegistryCurve *) curves->pdata[c])->beam, run->beam))
        c++;
      if (c == curves->len)
        {
          curve = curve_new (run->beam);
          curve_add (curve, first, now_us, 0);
          g_ptr_array_add (curves, curve);
        }
      curve = curves->pdata[c];
      sums[c] += run->beam_counts;
      curve_add (curve, entry[0], now_us, sums[c]);
    }
  g_free (sums);
  return curves;
}
