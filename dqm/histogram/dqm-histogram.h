/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fixed-binning 1D and 2D histograms laid out as ROOT's TH1D/TH2D: bin 0
 * is the underflow, nx+1 the overflow, and a 2D bin is x + (nx+2)·y. The
 * running sums are ROOT's fTsumw… so snapshots carry ROOT's statistics. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a caller can get wrong with histograms: merging unlike binnings,
 * reading a file that holds none. */
#define DQM_HISTOGRAM_ERROR (dqm_histogram_error_quark ())

typedef enum {
  DQM_HISTOGRAM_ERROR_BINNING,
  DQM_HISTOGRAM_ERROR_FORMAT,
} DqmHistogramError;

GQuark        dqm_histogram_error_quark (void);

typedef struct {
  char   *name;   /* ROOT object name: letters, digits, '_' */
  char   *title;  /* ROOT title, "title;x axis;y axis" */
  guint   nx, ny; /* ny = 0 for 1D */
  double  xmin, xmax, ymin, ymax;
  double *bins;   /* (nx+2)·(ny+2) cells, or nx+2 for 1D */
  char  **x_labels; /* NULL, or nx bin labels (ROOT's alphanumeric axis) */
  double  entries;
  double  sumw, sumw2, sumwx, sumwx2, sumwy, sumwy2, sumwxy;
} DqmHistogram;

DqmHistogram *dqm_histogram_new_1d    (const char *name, const char *title,
                                       guint nx, double xmin, double xmax);
DqmHistogram *dqm_histogram_new_2d    (const char *name, const char *title,
                                       guint nx, double xmin, double xmax,
                                       guint ny, double ymin, double ymax);
DqmHistogram *dqm_histogram_copy      (const DqmHistogram *histogram);
void          dqm_histogram_free      (DqmHistogram       *histogram);
void          dqm_histogram_set_x_labels (DqmHistogram     *histogram,
                                       const char * const *labels);

gsize         dqm_histogram_n_cells   (const DqmHistogram *histogram);
gboolean      dqm_histogram_is_2d     (const DqmHistogram *histogram);
/* The bin a value falls in, 0 (underflow) … n+1 (overflow). */
guint         dqm_histogram_find_x    (const DqmHistogram *histogram, double x);
guint         dqm_histogram_find_y    (const DqmHistogram *histogram, double y);
void          dqm_histogram_fill      (DqmHistogram *histogram, double x, double weight);
void          dqm_histogram_fill_2d   (DqmHistogram *histogram, double x, double y, double weight);
/* Fills every inner bin whose @filled is set with its @weights (both ny
 * rows of nx, the lowest first) at the bin's centre: what fill_2d does cell
 * by cell, for a detector map at once. */
void          dqm_histogram_fill_map  (DqmHistogram *histogram, const double *weights, const gboolean *filled);
/* Sets a bin directly (per-spill values, derived maps); no statistics kept. */
void          dqm_histogram_set       (DqmHistogram *histogram, guint ix, guint iy, double value);
double        dqm_histogram_get       (const DqmHistogram *histogram, guint ix, guint iy);
double        dqm_histogram_bin_center_x (const DqmHistogram *histogram, guint ix);
double        dqm_histogram_bin_center_y (const DqmHistogram *histogram, guint iy);
double        dqm_histogram_mean      (const DqmHistogram *histogram);
double        dqm_histogram_rms       (const DqmHistogram *histogram);
/* Sum of in-range bins. */
double        dqm_histogram_integral  (const DqmHistogram *histogram);
double        dqm_histogram_maximum   (const DqmHistogram *histogram);
gboolean      dqm_histogram_same_binning (const DqmHistogram *a, const DqmHistogram *b);
/* Adds @other (same binning, else FALSE and @error); for scale-out. */
gboolean      dqm_histogram_merge     (DqmHistogram *histogram, const DqmHistogram *other,
                                       GError **error);
void          dqm_histogram_reset     (DqmHistogram *histogram);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmHistogram, dqm_histogram_free)

G_END_DECLS
