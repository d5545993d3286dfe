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
  for (int p = 0; p <= DQM_PULSE_FIT_STEPS; p++)
    for (int j = -DQM_PULSE_FIT_PAD; j < DQM_PULSE_FIT_SAMPLES + DQM_PULSE_FIT_PAD; j++)
      {
        int at = DQM_PULSE_FIT_STEPS * j + p;

        fit->by_phase[p][DQM_PULSE_FIT_PAD + j] = at >= 0 && at < DQM_PULSE_TABLE_SIZE ? fit->shape.table[at] : 0;
      }
  fit->lowest_sampled_peak = 1;
  for (guint p = 0; p < DQM_PULSE_FIT_STEPS; p++)
    {
      double highest = 0;

      for (guint j = 0; j < DQM_PULSE_FIT_SAMPLES; j++)
        highest = MAX (highest, fit->by_phase[p][DQM_PULSE_FIT_PAD + j]);
      fit->lowest_sampled_peak = MIN (fit->lowest_sampled_peak, highest);
    }
}

G_STATIC_ASSERT (DQM_SAMPLE_NS == DQM_PULSE_FIT_STEPS * DQM_PULSE_TABLE_STEP_NS);

/* The template started at @start_ns on samples @first … @last: what
 * dqm_pulse_shape_value gives at each, with the interpolation between
 * table steps shared, as all samples sit at the same phase. */
static void
template_on_samples (const DqmPulseFit *fit, double start_ns, guint first, guint last, double *f)
{
  double position = -start_ns / DQM_PULSE_TABLE_STEP_NS; /* sample 0's place in the table */
  double base = floor (position), frac = position - base;
  long phase, shift;

  if (!(fabs (position) < 1e6))
    {
      for (guint i = first; i <= last; i++)
        f[i - first] = 0;
      return;
    }
  phase = (long) base % DQM_PULSE_FIT_STEPS;
  phase += phase < 0 ? DQM_PULSE_FIT_STEPS : 0;
  shift = ((long) base - phase) / DQM_PULSE_FIT_STEPS;
  const double *lo = fit->by_phase[phase] + DQM_PULSE_FIT_PAD, *hi = fit->by_phase[phase + 1] + DQM_PULSE_FIT_PAD;

  if (shift + (long) first >= -DQM_PULSE_FIT_PAD && shift + (long) last < DQM_PULSE_FIT_SAMPLES + DQM_PULSE_FIT_PAD)
    for (guint i = first; i <= last; i++)
      f[i - first] = lo[shift + i] + frac * (hi[shift + i] - lo[shift + i]);
  else
    for (guint i = first; i <= last; i++)
      {
        long j = shift + (long) i;

        f[i - first] = j >= 0 && j < DQM_PULSE_FIT_SAMPLES ? lo[j] + frac * (hi[j] - lo[j]) : 0;
      }
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

/* The samples a fit around sample @peak takes, of @n. */
static void
fit_window (guint peak, guint n, guint *first, guint *last)
{
  *first = peak > 3 ? peak - 3 : 0;
  *last = MIN (n - 1, peak + DQM_PULSE_FIT_WINDOW - 4);
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
  double sum_yf = 0, sum_ff = 0, sum_yy = 0, amplitude, f[DQM_PULSE_FIT_WINDOW];
  guint first, last;

  fit_window (peak, n, &first, &last);
  template_on_samples (fit, start_ns, first, last, f);
  for (guint i = first; i <= last; i++)
    {
      sum_yf += y[i] * f[i - first];
      sum_ff += f[i - first] * f[i - first];
      sum_yy += y[i] * y[i];
    }
  amplitude = sum_ff > 0 ? sum_yf / sum_ff : y[peak];
  if (residual)
    *residual = sum_yy - amplitude * sum_yf;
  return amplitude;
}

/* The residuals of the template started at guess + (k − 3)·2 ns, k = 0…6,
 * each computed when first needed. */
typedef struct {
  const DqmPulseFit *fit;
  const double      *y;
  guint              n, peak;
  double             guess_ns;
  double             residual[7];
  gboolean           have[7];
} StartScan;

#define SCAN_STEP_NS 2.0

static double
scan_residual (StartScan *scan, int k)
{
  if (!scan->have[k])
    {
      fit_amplitude (scan->fit, scan->y, scan->n, scan->peak, scan->guess_ns + (k - 3) * SCAN_STEP_NS,
                     &scan->residual[k]);
      scan->have[k] = TRUE;
    }
  return scan->residual[k];
}

/* The template's start time that fits best near @guess_ns: from the guess
 * downhill in 2 ns steps (at most 6 ns: the residual has one minimum
 * there, so walking finds what a full scan would), then the vertex of the
 * parabola through the residuals around the best step (the residual is
 * quadratic near its minimum). */
static double
fit_start (const DqmPulseFit *fit, const double *y, guint n, guint peak, double guess_ns, double guess_residual)
{
  StartScan scan = { .fit = fit, .y = y, .n = n, .peak = peak, .guess_ns = guess_ns };
  double left, right, centre, curvature;
  int best = 3;

  scan.residual[3] = guess_residual;
  scan.have[3] = TRUE;
  while (best > 0 && scan_residual (&scan, best - 1) < scan_residual (&scan, best))
    best--;
  if (best == 3)
    while (best < 6 && scan_residual (&scan, best + 1) < scan_residual (&scan, best))
      best++;
  if (best == 0 || best == 6)
    return guess_ns + (best - 3) * SCAN_STEP_NS;
  left = scan_residual (&scan, best - 1);
  right = scan_residual (&scan, best + 1);
  centre = scan_residual (&scan, best);
  curvature = left - 2 * centre + right;
  if (curvature <= 0)
    return guess_ns + (best - 3) * SCAN_STEP_NS;
  return guess_ns + (best - 3) * SCAN_STEP_NS + 0.5 * SCAN_STEP_NS * (left - right) / curvature;
}

/* Separate pulses in @y: local maxima above @threshold that rise above the
 * valley after the previous one by @threshold too (noise on a falling edge
 * makes local maxima that are no pulse). An earlier pulse's tail, falling
 * from sample 0, counts as one. *@chosen: the local maximum above
 * @threshold nearest @expected_ns, else the highest sample. */
static guint
find_pulses (const double *y, guint n, double threshold, double expected_ns, guint *chosen)
{
  guint pulses = 0, highest = 0, nearest = G_MAXUINT;
  double valley = 0;

  for (guint i = 0; i < n; i++)
    {
      valley = MIN (valley, y[i]);
      if (y[i] > y[highest])
        highest = i;
      if (y[i] <= threshold)
        continue;
      if (!((i == 0 || y[i] >= y[i - 1]) && (i + 1 == n || y[i] > y[i + 1])))
        continue;
      if (nearest == G_MAXUINT || fabs (i * DQM_SAMPLE_NS - expected_ns) < fabs (nearest * DQM_SAMPLE_NS - expected_ns))
        nearest = i;
      if (y[i] - valley > threshold)
        {
          pulses++;
          valley = y[i];
        }
    }
  *chosen = nearest != G_MAXUINT ? nearest : highest;
  return pulses;
}

void
dqm_pulse_fit_sample_means (const DqmSadcRecord *record, guint first, guint last, double means[2])
{
  /* Integer sums, each ADC's samples taken two apart: vectorised. */
  for (guint p = 0; p < 2; p++)
    {
      guint start = first + ((first & 1) != p), count = 0, sum = 0;

      for (guint i = start; i < last; i += 2)
        {
          sum += record->samples[i];
          count++;
        }
      means[p] = count ? (double) sum / count : 0;
    }
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

/* The largest sample above its ADC's pedestal, and whether one sits at
 * the top of the range: one pass over the integer samples of each ADC, which
 * the compiler vectorises. */
static double
largest_above_pedestal (const DqmSadcRecord *record, guint n, const double pedestal[2], gboolean *overflow)
{
  guint16 top[2] = { 0, 0 };

  for (guint i = 0; i + 1 < n; i += 2)
    {
      top[0] = MAX (top[0], record->samples[i]);
      top[1] = MAX (top[1], record->samples[i + 1]);
    }
  if (n & 1)
    top[0] = MAX (top[0], record->samples[n - 1]);
  *overflow = MAX (top[0], top[1]) >= DQM_SAMPLE_MAX;
  return MAX (top[0] - pedestal[0], top[1] - pedestal[1]);
}

void
dqm_pulse_fit_record (const DqmPulseFit *fit, const DqmSadcRecord *record, guint n_samples,
                      guint pedestal_samples, double threshold, const double *tracked, double expected_peak_ns,
                      DqmChannelReco *out)
{
  double y[DQM_MAX_SAMPLES], lead[2];
  guint peak = 0;
  double amplitude, time_ns, largest, residual;
  gboolean overflow;

  g_return_if_fail (fit != NULL);

  out->present = TRUE;
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

  largest = largest_above_pedestal (record, n_samples, out->pedestal, &overflow);
  out->overflow = overflow || (record->flags & DQM_SADC_FLAG_OVERFLOW) != 0;
  if (largest <= threshold * fit->lowest_sampled_peak)
    {
      /* Most channels of an event: noise, too low for any pulse whose fit
       * would reach the threshold; not fitted. Its amplitude is the
       * largest sample, its time the one a pulse would have had. */
      out->n_pulses = 0;
      out->amplitude = largest;
      out->time_ns = expected_peak_ns - fit->shape.rise_ns + fit->half_rise_ns;
      out->signal = FALSE;
      return;
    }

  for (guint i = 0; i + 1 < n_samples; i += 2)
    {
      y[i] = record->samples[i] - out->pedestal[0];
      y[i + 1] = record->samples[i + 1] - out->pedestal[1];
    }
  if (n_samples & 1)
    y[n_samples - 1] = record->samples[n_samples - 1] - out->pedestal[0];
  out->n_pulses = find_pulses (y, n_samples, threshold, expected_peak_ns, &peak);

  /* A first guess from the samples; a real pulse then gets the template
   * fitted in time too, since the edge between samples is not straight. */
  time_ns = crossing_ns (y, peak, y[peak] / 2);
  amplitude = fit_amplitude (fit, y, n_samples, peak, time_ns - fit->half_rise_ns, &residual);
  if (amplitude > threshold)
    {
      double start = fit_start (fit, y, n_samples, peak, time_ns - fit->half_rise_ns, residual);

      amplitude = fit_amplitude (fit, y, n_samples, peak, start, NULL);
      time_ns = start + fit->half_rise_ns;
    }
  out->amplitude = amplitude;
  out->time_ns = time_ns;
  out->signal = amplitude > threshold;
}

void
dqm_pulse_fit_window_init (const DqmPulseFit *fit, guint n_samples, double start_ns, DqmPulseWindow *window)
{
  double peak_ns;
  guint peak;

  g_return_if_fail (fit != NULL && window != NULL && n_samples >= 1);

  peak_ns = start_ns + fit->shape.rise_ns;
  peak = (guint) CLAMP (lround (peak_ns / DQM_SAMPLE_NS), 0, (long) n_samples - 1);

  /* The samples and template values fit_amplitude would take. */
  fit_window (peak, n_samples, &window->first, &window->last);
  window->sum_ff = 0;
  template_on_samples (fit, start_ns, window->first, window->last, window->f);
  for (guint i = window->first; i <= window->last; i++)
    window->sum_ff += window->f[i - window->first] * window->f[i - window->first];
  window->peak = peak;
}

double
dqm_pulse_fit_amplitude_in (const DqmPulseWindow *window, const DqmSadcRecord *record, const double *pedestal)
{
  double sum_yf = 0;

  for (guint i = window->first; i <= window->last; i++)
    sum_yf += (record->samples[i] - pedestal[i & 1]) * window->f[i - window->first];
  return window->sum_ff > 0 ? sum_yf / window->sum_ff : record->samples[window->peak] - pedestal[window->peak & 1];
}
