/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Kolmogorov–Smirnov and chi-square shape tests against a reference. */
#include "dqm-reference.h"

#include <math.h>
#include <string.h>

#include "dqm-root-json.h"

GPtrArray *
dqm_reference_load (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "histograms.json", NULL);
  g_autofree char *text = NULL;
  gsize length;
  GPtrArray *histograms;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  histograms = dqm_root_json_read (text, length, error);
  if (histograms == NULL)
    g_prefix_error (error, "%s: ", path);
  else if (histograms->len == 0)
    {
      g_set_error (error, DQM_HISTOGRAM_ERROR, DQM_HISTOGRAM_ERROR_FORMAT, "%s: holds no TH1D or TH2D", path);
      g_clear_pointer (&histograms, g_ptr_array_unref);
    }
  return histograms;
}

gboolean
dqm_reference_compares (const DqmHistogram *h)
{
  g_return_val_if_fail (h != NULL, FALSE);

  return !dqm_histogram_is_2d (h) && !g_str_has_prefix (h->name, "spill_") && !g_str_has_prefix (h->name, "pedestal_");
}

/* Kolmogorov's distribution: P(K > z) = 2 Σ (−1)^(j−1) exp(−2 j² z²). */
static double
kolmogorov_probability (double z)
{
  double sum = 0;

  if (z < 0.2)
    return 1;
  for (int j = 1; j <= 100; j++)
    {
      double term = exp (-2.0 * j * j * z * z);

      sum += (j % 2 ? 2 : -2) * term;
      if (term < 1e-12)
        break;
    }
  return CLAMP (sum, 0, 1);
}

double
dqm_reference_ks (const DqmHistogram *a, const DqmHistogram *b)
{
  g_return_val_if_fail (a != NULL, 0);

  double sum_a = dqm_histogram_integral (a), sum_b = dqm_histogram_integral (b), ca = 0, cb = 0, d = 0;

  if (!dqm_histogram_same_binning (a, b) || sum_a <= 0 || sum_b <= 0)
    return NAN;
  for (guint i = 1; i <= a->nx; i++)
    {
      ca += dqm_histogram_get (a, i, 0) / sum_a;
      cb += dqm_histogram_get (b, i, 0) / sum_b;
      d = MAX (d, fabs (ca - cb));
    }
  return kolmogorov_probability (d * sqrt (sum_a * sum_b / (sum_a + sum_b)));
}

/* Regularised upper incomplete gamma Q(s, x): series below s + 1, Lentz's
 * continued fraction above. */
static double
gamma_q (double s, double x)
{
  double log_prefix = s * log (x) - x - lgamma (s);

  if (x <= 0)
    return 1;
  if (x < s + 1)
    {
      double term = 1 / s, sum = term;

      for (int n = 1; n < 500 && fabs (term) > fabs (sum) * 1e-14; n++)
        sum += term *= x / (s + n);
      return 1 - sum * exp (log_prefix);
    }
  {
    double b = x + 1 - s, c = 1e300, d = 1 / b, h = d;

    for (int i = 1; i < 500; i++)
      {
        double an = -i * (i - s), delta;

        b += 2;
        d = an * d + b;
        d = fabs (d) < 1e-300 ? 1e-300 : d;
        c = b + an / c;
        c = fabs (c) < 1e-300 ? 1e-300 : c;
        d = 1 / d;
        delta = d * c;
        h *= delta;
        if (fabs (delta - 1) < 1e-14)
          break;
      }
    return exp (log_prefix) * h;
  }
}

/* Two unweighted histograms (ROOT's Chi2Test "UU"). */
double
dqm_reference_chi2 (const DqmHistogram *a, const DqmHistogram *b)
{
  g_return_val_if_fail (a != NULL, 0);

  double n1 = dqm_histogram_integral (a), n2 = dqm_histogram_integral (b), chi2 = 0;
  guint used = 0;

  if (!dqm_histogram_same_binning (a, b) || n1 <= 0 || n2 <= 0)
    return NAN;
  for (guint i = 1; i <= a->nx; i++)
    {
      double x = dqm_histogram_get (a, i, 0), y = dqm_histogram_get (b, i, 0);

      if (x + y <= 0)
        continue;
      chi2 += (n2 * x - n1 * y) * (n2 * x - n1 * y) / (x + y);
      used++;
    }
  if (used < 2)
    return NAN;
  return gamma_q ((used - 1) / 2.0, chi2 / (n1 * n2) / 2);
}

GArray *
dqm_reference_compare (GPtrArray *reference, GPtrArray *current, DqmReferenceTest test, double min_probability,
                       double min_entries)
{
  GArray *results = g_array_new (FALSE, TRUE, sizeof (DqmReferenceResult));

  g_return_val_if_fail (reference != NULL, NULL);

  for (guint i = 0; i < current->len; i++)
    {
      const DqmHistogram *h = current->pdata[i];

      if (!dqm_reference_compares (h) || dqm_histogram_integral (h) < min_entries)
        continue;
      for (guint j = 0; j < reference->len; j++)
        {
          const DqmHistogram *r = reference->pdata[j];
          DqmReferenceResult result = { .probability = NAN };

          if (!g_str_equal (r->name, h->name) || dqm_histogram_integral (r) < min_entries)
            continue;
          g_strlcpy (result.name, h->name, sizeof result.name);
          result.probability = test == DQM_REFERENCE_KS ? dqm_reference_ks (h, r) : dqm_reference_chi2 (h, r);
          result.flagged = result.probability < min_probability;
          g_array_append_val (results, result);
          break;
        }
    }
  return results;
}
