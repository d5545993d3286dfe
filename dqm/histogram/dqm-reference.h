/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shape comparison of this run's histograms with a reference snapshot's:
 * Kolmogorov–Smirnov or chi-square probability for each 1D histogram both
 * have, flagged below a configured probability. */
#pragma once

#include <glib.h>

#include "dqm-histogram.h"

G_BEGIN_DECLS

typedef enum {
  DQM_REFERENCE_KS,
  DQM_REFERENCE_CHI2,
} DqmReferenceTest;

typedef struct {
  char     name[48];
  double   probability; /* NAN when either is empty */
  gboolean flagged;
} DqmReferenceResult;

/* Reads DIR/histograms.json of a snapshot; the error names the file. */
GPtrArray *dqm_reference_load       (const char          *dir,
                                     GError             **error);
double     dqm_reference_ks         (const DqmHistogram  *a,
                                     const DqmHistogram  *b);
double     dqm_reference_chi2       (const DqmHistogram  *a,
                                     const DqmHistogram  *b);
/* Compares every histogram of @current that @reference has too, with at
 * least @min_entries in both. Returns DqmReferenceResult in an array. */
GArray    *dqm_reference_compare    (GPtrArray           *reference,
                                     GPtrArray           *current,
                                     DqmReferenceTest     test,
                                     double               min_probability,
                                     double               min_entries);
/* Whether a histogram takes part: 1D physics distributions, not pedestals
 * or per-spill histories. */
gboolean   dqm_reference_compares   (const DqmHistogram  *histogram);

G_END_DECLS
