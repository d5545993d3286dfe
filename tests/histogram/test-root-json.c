/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ROOT JSON: what dqm_root_json_write writes, dqm_root_json_read reads back
 * bin for bin; anything else is refused with a format error. */
#include <string.h>

#include <glib.h>

#include "dqm-histogram.h"
#include "dqm-root-json.h"

static void
test_root_json_roundtrip (void)
{
  g_autoptr(GPtrArray) histograms = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  DqmHistogram *one = dqm_histogram_new_1d ("energy", "E_{ECAL};E [GeV];events", 10, 0, 100);
  DqmHistogram *two = dqm_histogram_new_2d ("map", "Map \"quoted\";x;y", 3, 0, 3, 2, -1, 1);
  const char *labels[] = { "a", "b", "c", NULL };

  dqm_histogram_fill (one, 42, 1);
  dqm_histogram_fill (one, 42, 2);
  dqm_histogram_fill (one, -5, 1);
  dqm_histogram_fill_2d (two, 1.5, 0.5, 3);
  dqm_histogram_set_x_labels (two, labels);
  g_ptr_array_add (histograms, one);
  g_ptr_array_add (histograms, two);
  json = dqm_root_json_write (histograms);
  g_assert_nonnull (strstr (json, "\"_typename\":\"TList\""));
  g_assert_nonnull (strstr (json, "\"_typename\":\"TH2D\""));
  g_assert_nonnull (strstr (json, "Map \\\"quoted\\\""));
  back = dqm_root_json_read (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const DqmHistogram *a = histograms->pdata[i], *b = back->pdata[i];

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_true (dqm_histogram_same_binning (a, b));
      g_assert_cmpmem (a->bins, dqm_histogram_n_cells (a) * sizeof (double), b->bins, dqm_histogram_n_cells (b) * sizeof (double));
      g_assert_cmpfloat (a->entries, ==, b->entries);
      g_assert_cmpfloat (a->sumwx, ==, b->sumwx);
    }
  g_assert_cmpfloat (dqm_histogram_get (back->pdata[0], 0, 0), ==, 1); /* underflow kept */
  g_assert_null (dqm_root_json_read ("{\"not\": 1}", -1, &error) ? (gpointer) 1 : NULL);
  g_assert_error (error, DQM_HISTOGRAM_ERROR, DQM_HISTOGRAM_ERROR_FORMAT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/root-json/roundtrip", test_root_json_roundtrip);
  return g_test_run ();
}
