/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One MSADC waveform to pedestals, amplitude and time: the pulse-shape
 * template fitted at the time of the half-maximum crossing. Private to
 * libdqm. */
#pragma once

#include "dqm-pulse.h"
#include "dqm-reco.h"

G_BEGIN_DECLS

/* Table steps between two samples, the samples a pulse lasts, and the
 * zero samples kept on either side so a fit window never leaves the table. */
#define DQM_PULSE_FIT_STEPS   100
#define DQM_PULSE_FIT_SAMPLES (DQM_PULSE_TABLE_SIZE / DQM_PULSE_FIT_STEPS + 1)
#define DQM_PULSE_FIT_PAD     16

typedef struct {
  DqmPulseShape shape;
  double        half_rise_ns; /* from the pulse start to half its height */
  /* The highest sample of a unit pulse at the worst phase (its peak
   * between two samples): a channel whose samples all stay below
   * threshold × this cannot hold a pulse above threshold, so is not fitted. */
  double        lowest_sampled_peak;
  /* The table regrouped by phase: by_phase[p][PAD + j] = table[100·j + p]
   * (0 outside the table), the template on the sample grid, so a fit reads
   * it without interpolating positions sample by sample. */
  double        by_phase[DQM_PULSE_FIT_STEPS + 1][DQM_PULSE_FIT_SAMPLES + 2 * DQM_PULSE_FIT_PAD];
} DqmPulseFit;

void dqm_pulse_fit_init   (DqmPulseFit          *fit,
                           double                tau_ns,
                           guint                 power);
/* The means of the even and of the odd samples @first … @last − 1 (the two
 * interleaved ADCs), each half counted on its own. */
void dqm_pulse_fit_sample_means (const DqmSadcRecord *record,
                                 guint                first,
                                 guint                last,
                                 double               means[2]);
/* The pedestals of @record from its leading samples (@lead), and whether a
 * pulse lifts them so that the @tracked ones (NULL: none yet) stand in. */
gboolean dqm_pulse_fit_uses_tracked (const DqmSadcRecord *record,
                                     guint                n_samples,
                                     guint                pedestal_samples,
                                     double               threshold_counts,
                                     const double        *tracked,
                                     double               lead[2]);
/* @tracked: pedestals from random triggers, or NULL while there are none.
 * Of several pulses (pile-up), the one peaking nearest @expected_peak_ns
 * is fitted. */
void dqm_pulse_fit_record (const DqmPulseFit    *fit,
                           const DqmSadcRecord  *record,
                           guint                 n_samples,
                           guint                 pedestal_samples,
                           double                threshold_counts,
                           const double         *tracked,
                           double                expected_peak_ns,
                           DqmChannelReco       *out);

/* The template of a pulse forced to start at @start_ns, on the samples
 * around its peak: made once for all channels expecting a pulse then. */
/* The samples a fit takes: 3 before the peak sample, 6 after. */
#define DQM_PULSE_FIT_WINDOW 10

typedef struct {
  guint  first, last, peak;
  double f[DQM_PULSE_FIT_WINDOW];
  double sum_ff;
} DqmPulseWindow;

void   dqm_pulse_fit_window_init  (const DqmPulseFit    *fit,
                                   guint                 n_samples,
                                   double                start_ns,
                                   DqmPulseWindow       *window);
/* The least-squares amplitude of @window's pulse in @record: unbiased for
 * channels that only carry noise, so sums over many cells stay right. */
double dqm_pulse_fit_amplitude_in (const DqmPulseWindow *window,
                                   const DqmSadcRecord  *record,
                                   const double         *pedestal);

G_END_DECLS
