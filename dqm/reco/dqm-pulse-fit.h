/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One MSADC waveform to pedestals, amplitude and time: the pulse-shape
 * template fitted at the time of the half-maximum crossing. Private to
 * libdqm. */
#pragma once

#include "dqm-pulse.h"
#include "dqm-reco.h"

G_BEGIN_DECLS

typedef struct {
  DqmPulseShape shape;
  double        half_rise_ns; /* from the pulse start to half its height */
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

/* Amplitude of a pulse forced to start at @start_ns: unbiased for channels
 * that only carry noise, so sums over many cells stay right. */
double dqm_pulse_fit_amplitude_at (const DqmPulseFit   *fit,
                                   const DqmSadcRecord *record,
                                   guint                n_samples,
                                   const double        *pedestal,
                                   double               start_ns);

G_END_DECLS
