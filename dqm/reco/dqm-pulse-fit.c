/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Template fit of MSADC pulses. */
#include "dqm-pulse-fit.h"

#include <math.h>

void
dqm_pulse_fit_init (DqmPulseFit *fit, double tau_ns, guint power)
{
  double t = 0;

  g_return_if_fail (fit != NULL);

  dqm_pulse_shape_init (&fit->shape, tau_ns, power);
  while (dqm_pulse_shape_value (&fit->shape, t) < 0.5)
    t += DQM_PULSE_TABLE_STEP_NS;
  fit->half_rise_ns = t;
}

/* Where the rising edge crosses @level, interpolated between samples, ns. */
static double
crossing_ns (const double *y, guint peak, double level)
{
  guint i = peak;

  while (i > 0 && y[i - 1] >= level)
    i--;
  if (i == 0)
    return 0;
  return (i - 1 + (level - y[i - 1]) / (y[i] - y[i - 1])) * DQM_SAMPLE_NS;
}

/* Least-squares amplitude of the template starting at @start_ns, and the
 * residual sum of squares it leaves. */
static double
fit_amplitude (const DqmPulseFit *fit,
               const double      *y,
               guint              n,
               guint              peak,
               double             start_ns,
               double            *residual)
{
  double sum_yf = 0, sum_ff = 0, sum_yy = 0, amplitude;
  guint first = peak > 3 ? peak - 3 : 0, last = MIN (n - 1, peak + 6);

  for (guint i = first; i <= last; i++)
    {
      double f = dqm_pulse_shape_value (&fit->shape, i * DQM_SAMPLE_NS - start_ns);

      sum_yf += y[i] * f;
      sum_ff += f * f;
      sum_yy += y[i] * y[i];
    }
  amplitude = sum_ff > 0 ? sum_yf / sum_ff : y[peak];
  if (residual)
    *residual = sum_yy - amplitude * sum_yf;
  return amplitude;
}

/* The template's start time that fits best near @guess_ns: a scan in 2 ns
 * steps, then the vertex of the parabola through the residuals around the
 * best step (the residual is quadratic near its minimum). */
static double
fit_start (const DqmPulseFit *fit, const double *y, guint n, guint peak, double guess_ns)
{
  const double step = 2;
  double residual[7], best_residual = G_MAXDOUBLE, left, right, curvature;
  int best = 3;

  for (int k = 0; k < 7; k++)
    {
      fit_amplitude (fit, y, n, peak, guess_ns + (k - 3) * step, &residual[k]);
      if (residual[k] < best_residual)
        {
          best_residual = residual[k];
          best = k;
        }
    }
  if (best == 0 || best == 6)
    return guess_ns + (best - 3) * step;
  left = residual[best - 1];
  right = residual[best + 1];
  curvature = left - 2 * residual[best] + right;
  if (curvature <= 0)
    return guess_ns + (best - 3) * step;
  return guess_ns + (best - 3) * step + 0.5 * step * (left - right) / curvature;
}

/* Separate pulses in @y: local maxima above @threshold that rise above the
 * valley after the previous one by @threshold too (noise on a falling edge
 * makes local maxima that are no pulse). An earlier pulse's tail, falling
 * from sample 0, counts as one. */
static guint
count_pulses (const double *y, guint n, double threshold)
{
  guint pulses = 0;
  double valley = 0;

  for (guint i = 0; i < n; i++)
    {
      valley = MIN (valley, y[i]);
      if ((i == 0 || y[i] >= y[i - 1]) && (i + 1 == n || y[i] > y[i + 1]) && y[i] > threshold
          && y[i] - valley > threshold)
        {
          pulses++;
          valley = y[i];
        }
    }
  return pulses;
}

/* The local maximum above @threshold nearest @expected_ns, else the
 * highest sample. */
static guint
choose_peak (const double *y, guint n, double threshold, double expected_ns)
{
  guint highest = 0, nearest = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      gboolean local_max = (i == 0 || y[i] >= y[i - 1]) && (i + 1 == n || y[i] > y[i + 1]);

      if (y[i] > y[highest])
        highest = i;
      if (local_max && y[i] > threshold
          && (nearest == G_MAXUINT || fabs (i * DQM_SAMPLE_NS - expected_ns) < fabs (nearest * DQM_SAMPLE_NS - expected_ns)))
        nearest = i;
    }
  return nearest != G_MAXUINT ? nearest : highest;
}

void
dqm_pulse_fit_sample_means (const DqmSadcRecord *record, guint first, guint last, double means[2])
{
  guint count[2] = { 0, 0 };

  means[0] = means[1] = 0;
  for (guint i = first; i < last; i++)
    {
      means[i & 1] += record->samples[i];
      count[i & 1]++;
    }
  for (guint p = 0; p < 2; p++)
    means[p] = count[p] ? means[p] / count[p] : 0;
}

gboolean
dqm_pulse_fit_uses_tracked (const DqmSadcRecord *record, guint n_samples, guint pedestal_samples, double threshold,
                            const double *tracked, double lead[2])
{
  g_return_val_if_fail (record != NULL, FALSE);

  dqm_pulse_fit_sample_means (record, 0, MIN (pedestal_samples, n_samples), lead);
  /* A pulse (pile-up) in the leading samples lifts them: fall back on the
   * pedestals that random triggers measured. */
  return tracked != NULL && (fabs (lead[0] - tracked[0]) > threshold || fabs (lead[1] - tracked[1]) > threshold);
}

void
dqm_pulse_fit_record (const DqmPulseFit *fit, const DqmSadcRecord *record, guint n_samples,
                      guint pedestal_samples, double threshold, const double *tracked, double expected_peak_ns,
                      DqmChannelReco *out)
{
  double y[DQM_MAX_SAMPLES], lead[2];
  guint peak = 0;
  double amplitude, time_ns;

  g_return_if_fail (fit != NULL);

  out->present = TRUE;
  out->overflow = (record->flags & DQM_SADC_FLAG_OVERFLOW) != 0;
  out->tracked_pedestal = dqm_pulse_fit_uses_tracked (record, n_samples, pedestal_samples, threshold, tracked, lead);
  out->pedestal[0] = out->tracked_pedestal ? tracked[0] : lead[0];
  out->pedestal[1] = out->tracked_pedestal ? tracked[1] : lead[1];
  if (tracked == NULL)
    {
      /* Nothing tracked yet (the run's first spill): pulses only add, so
       * where the leading and trailing samples disagree, an earlier
       * pulse's tail lifts the leading ones and the trailing ones stand in. */
      double trail[2];

      dqm_pulse_fit_sample_means (record, n_samples - MIN (pedestal_samples, n_samples), n_samples, trail);
      for (guint p = 0; p < 2; p++)
        if (out->pedestal[p] - trail[p] > threshold)
          {
            out->pedestal[p] = trail[p];
            /* Not the leading samples: another reconstruction, with
             * pedestals tracked by then, would take those instead. */
            out->tracked_pedestal = TRUE;
          }
    }

  for (guint i = 0; i < n_samples; i++)
    {
      y[i] = record->samples[i] - out->pedestal[i & 1];
      out->overflow |= record->samples[i] >= DQM_SAMPLE_MAX;
    }
  peak = choose_peak (y, n_samples, threshold, expected_peak_ns);
  out->n_pulses = count_pulses (y, n_samples, threshold);

  /* A first guess from the samples; a real pulse then gets the template
   * fitted in time too, since the edge between samples is not straight. */
  time_ns = crossing_ns (y, peak, y[peak] / 2);
  amplitude = fit_amplitude (fit, y, n_samples, peak, time_ns - fit->half_rise_ns, NULL);
  if (amplitude > threshold)
    {
      double start = fit_start (fit, y, n_samples, peak, time_ns - fit->half_rise_ns);

      amplitude = fit_amplitude (fit, y, n_samples, peak, start, NULL);
      time_ns = start + fit->half_rise_ns;
    }
  out->amplitude = amplitude;
  out->time_ns = time_ns;
  out->signal = amplitude > threshold;
}

double
dqm_pulse_fit_amplitude_at (const DqmPulseFit *fit, const DqmSadcRecord *record, guint n_samples,
                            const double *pedestal, double start_ns)
{
  g_return_val_if_fail (fit != NULL, 0);

  double y[DQM_MAX_SAMPLES];
  double peak_ns = start_ns + fit->shape.rise_ns;
  guint peak = (guint) CLAMP (lround (peak_ns / DQM_SAMPLE_NS), 0, (long) n_samples - 1);

  for (guint i = 0; i < n_samples; i++)
    y[i] = record->samples[i] - pedestal[i & 1];
  return fit_amplitude (fit, y, n_samples, peak, start_ns, NULL);
}
