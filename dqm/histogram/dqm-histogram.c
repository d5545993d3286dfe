/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 1D/2D histograms with ROOT's bin layout and statistics. */
#include "dqm-histogram.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (dqm-histogram-error-quark, dqm_histogram_error)

static DqmHistogram *
histogram_new (const char *name,
               const char *title,
               guint       nx,
               double      xmin,
               double      xmax,
               guint       ny,
               double      ymin,
               double      ymax)
{
  DqmHistogram *h;

  g_return_val_if_fail (name != NULL && nx > 0 && xmax > xmin, NULL);
  g_return_val_if_fail (ny == 0 || ymax > ymin, NULL);
  h = g_new0 (DqmHistogram, 1);
  h->name = g_strdup (name);
  h->title = g_strdup (title ? title : name);
  h->nx = nx;
  h->xmin = xmin;
  h->xmax = xmax;
  h->ny = ny;
  h->ymin = ymin;
  h->ymax = ymax;
  h->bins = g_new0 (double, dqm_histogram_n_cells (h));
  return h;
}

DqmHistogram *
dqm_histogram_new_1d (const char *name, const char *title, guint nx, double xmin, double xmax)
{
  return histogram_new (name, title, nx, xmin, xmax, 0, 0, 1);
}

DqmHistogram *
dqm_histogram_new_2d (const char *name, const char *title, guint nx, double xmin, double xmax,
                      guint ny, double ymin, double ymax)
{
  g_return_val_if_fail (ny > 0, NULL);
  return histogram_new (name, title, nx, xmin, xmax, ny, ymin, ymax);
}

DqmHistogram *
dqm_histogram_copy (const DqmHistogram *h)
{
  g_return_val_if_fail (h != NULL, NULL);

  DqmHistogram *copy = g_memdup2 (h, sizeof *h);

  copy->name = g_strdup (h->name);
  copy->title = g_strdup (h->title);
  copy->bins = g_memdup2 (h->bins, dqm_histogram_n_cells (h) * sizeof (double));
  copy->x_labels = g_strdupv (h->x_labels);
  return copy;
}

void
dqm_histogram_free (DqmHistogram *h)
{
  if (h == NULL)
    return;
  g_free (h->name);
  g_free (h->title);
  g_free (h->bins);
  g_strfreev (h->x_labels);
  g_free (h);
}

void
dqm_histogram_set_x_labels (DqmHistogram *h, const char * const *labels)
{
  g_return_if_fail (labels == NULL || g_strv_length ((char **) labels) == h->nx);
  g_strfreev (h->x_labels);
  h->x_labels = g_strdupv ((char **) labels);
}

gsize
dqm_histogram_n_cells (const DqmHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);

  return (gsize) (h->nx + 2) * (h->ny ? h->ny + 2 : 1);
}

gboolean
dqm_histogram_is_2d (const DqmHistogram *h)
{
  g_return_val_if_fail (h != NULL, FALSE);

  return h->ny > 0;
}

static guint
find_bin (guint n, double min, double max, double v)
{
  if (isnan (v) || v < min)
    return 0;
  if (v >= max)
    return n + 1;
  return 1 + MIN (n - 1, (guint) ((v - min) / (max - min) * n));
}

guint
dqm_histogram_find_x (const DqmHistogram *h, double x)
{
  g_return_val_if_fail (h != NULL, 0);

  return find_bin (h->nx, h->xmin, h->xmax, x);
}

guint
dqm_histogram_find_y (const DqmHistogram *h, double y)
{
  g_return_val_if_fail (h != NULL, 0);

  return find_bin (h->ny, h->ymin, h->ymax, y);
}

void
dqm_histogram_fill (DqmHistogram *h, double x, double w)
{
  guint ix = dqm_histogram_find_x (h, x);

  g_return_if_fail (h->ny == 0);
  h->bins[ix] += w;
  h->entries++;
  if (ix == 0 || ix == h->nx + 1)
    return; /* ROOT keeps under/overflow out of the statistics */
  h->sumw += w;
  h->sumw2 += w * w;
  h->sumwx += w * x;
  h->sumwx2 += w * x * x;
}

void
dqm_histogram_fill_2d (DqmHistogram *h, double x, double y, double w)
{
  guint ix = dqm_histogram_find_x (h, x), iy = dqm_histogram_find_y (h, y);

  g_return_if_fail (h->ny > 0);
  h->bins[ix + (h->nx + 2) * iy] += w;
  h->entries++;
  if (ix == 0 || ix == h->nx + 1 || iy == 0 || iy == h->ny + 1)
    return;
  h->sumw += w;
  h->sumw2 += w * w;
  h->sumwx += w * x;
  h->sumwx2 += w * x * x;
  h->sumwy += w * y;
  h->sumwy2 += w * y * y;
  h->sumwxy += w * x * y;
}

void
dqm_histogram_fill_map (DqmHistogram *h, const double *weights, const gboolean *filled)
{
  double dx, dy, entries = 0, sumw = 0, sumw2 = 0, sumwx = 0, sumwx2 = 0, sumwy = 0, sumwy2 = 0, sumwxy = 0;

  g_return_if_fail (h->ny > 0);

  dx = (h->xmax - h->xmin) / h->nx;
  dy = (h->ymax - h->ymin) / h->ny;
  for (guint iy = 0; iy < h->ny; iy++)
    {
      double y = h->ymin + (iy + 0.5) * dy;

      for (guint ix = 0; ix < h->nx; ix++)
        {
          double x = h->xmin + (ix + 0.5) * dx, w;

          if (!filled[iy * h->nx + ix])
            continue;
          w = weights[iy * h->nx + ix];
          h->bins[ix + 1 + (h->nx + 2) * (iy + 1)] += w;
          entries++;
          sumw += w;
          sumw2 += w * w;
          sumwx += w * x;
          sumwx2 += w * x * x;
          sumwy += w * y;
          sumwy2 += w * y * y;
          sumwxy += w * x * y;
        }
    }
  h->entries += entries;
  h->sumw += sumw;
  h->sumw2 += sumw2;
  h->sumwx += sumwx;
  h->sumwx2 += sumwx2;
  h->sumwy += sumwy;
  h->sumwy2 += sumwy2;
  h->sumwxy += sumwxy;
}

void
dqm_histogram_set (DqmHistogram *h, guint ix, guint iy, double value)
{
  g_return_if_fail (ix <= h->nx + 1 && iy <= (h->ny ? h->ny + 1 : 0));
  h->bins[ix + (h->nx + 2) * iy] = value;
}

double
dqm_histogram_get (const DqmHistogram *h, guint ix, guint iy)
{
  g_return_val_if_fail (ix <= h->nx + 1 && iy <= (h->ny ? h->ny + 1 : 0), 0);
  return h->bins[ix + (h->nx + 2) * iy];
}

double
dqm_histogram_bin_center_x (const DqmHistogram *h, guint ix)
{
  g_return_val_if_fail (h != NULL, 0);

  return h->xmin + (ix - 0.5) * (h->xmax - h->xmin) / h->nx;
}

double
dqm_histogram_bin_center_y (const DqmHistogram *h, guint iy)
{
  g_return_val_if_fail (h != NULL, 0);

  return h->ymin + (iy - 0.5) * (h->ymax - h->ymin) / h->ny;
}

double
dqm_histogram_mean (const DqmHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);

  return h->sumw > 0 ? h->sumwx / h->sumw : 0;
}

double
dqm_histogram_rms (const DqmHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);

  double mean = dqm_histogram_mean (h);

  return h->sumw > 0 ? sqrt (fmax (0, h->sumwx2 / h->sumw - mean * mean)) : 0;
}

double
dqm_histogram_integral (const DqmHistogram *h)
{
  double sum = 0;

  g_return_val_if_fail (h != NULL, 0);

  for (guint iy = h->ny ? 1 : 0; iy <= (h->ny ? h->ny : 0); iy++)
    for (guint ix = 1; ix <= h->nx; ix++)
      sum += h->bins[ix + (h->nx + 2) * iy];
  return sum;
}

double
dqm_histogram_maximum (const DqmHistogram *h)
{
  double highest = -G_MAXDOUBLE;

  g_return_val_if_fail (h != NULL, 0);

  for (guint iy = h->ny ? 1 : 0; iy <= (h->ny ? h->ny : 0); iy++)
    for (guint ix = 1; ix <= h->nx; ix++)
      highest = MAX (highest, h->bins[ix + (h->nx + 2) * iy]);
  return highest;
}

gboolean
dqm_histogram_same_binning (const DqmHistogram *a, const DqmHistogram *b)
{
  g_return_val_if_fail (a != NULL, FALSE);

  return a->nx == b->nx && a->ny == b->ny && a->xmin == b->xmin && a->xmax == b->xmax
         && (a->ny == 0 || (a->ymin == b->ymin && a->ymax == b->ymax));
}

gboolean
dqm_histogram_merge (DqmHistogram *h, const DqmHistogram *other, GError **error)
{
  g_return_val_if_fail (h != NULL, FALSE);

  gsize n = dqm_histogram_n_cells (h);

  if (!dqm_histogram_same_binning (h, other))
    {
      g_set_error (error, DQM_HISTOGRAM_ERROR, DQM_HISTOGRAM_ERROR_BINNING,
                   "cannot merge %s into %s: the binnings differ", other->name, h->name);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    h->bins[i] += other->bins[i];
  h->entries += other->entries;
  h->sumw += other->sumw;
  h->sumw2 += other->sumw2;
  h->sumwx += other->sumwx;
  h->sumwx2 += other->sumwx2;
  h->sumwy += other->sumwy;
  h->sumwy2 += other->sumwy2;
  h->sumwxy += other->sumwxy;
  return TRUE;
}

void
dqm_histogram_reset (DqmHistogram *h)
{
  g_return_if_fail (h != NULL);

  memset (h->bins, 0, dqm_histogram_n_cells (h) * sizeof (double));
  h->entries = h->sumw = h->sumw2 = h->sumwx = h->sumwx2 = h->sumwy = h->sumwy2 = h->sumwxy = 0;
}
