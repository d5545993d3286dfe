/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Filling: a detector map filled from arrays holds what filling it cell by
 * cell holds, bins and statistics. */
#include <math.h>

#include <glib.h>

#include "dqm-histogram.h"

static void
test_fill_map_as_cells (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  /* the ECAL's 6 × 6 and the HCAL's 12 × 3, on axes not starting at 0 */
  const guint shapes[][2] = { { 6, 6 }, { 12, 3 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      guint nx = shapes[s][0], ny = shapes[s][1];
      DqmHistogram *by_map = dqm_histogram_new_2d ("m", NULL, nx, -1.5, nx * 0.5 - 1.5, ny, 2, 2 + ny);
      DqmHistogram *by_cell = dqm_histogram_new_2d ("c", NULL, nx, -1.5, nx * 0.5 - 1.5, ny, 2, 2 + ny);
      g_autofree double *w = g_new (double, nx * ny);
      g_autofree gboolean *filled = g_new (gboolean, nx * ny);

      for (guint event = 0; event < 50; event++)
        {
          for (guint i = 0; i < nx * ny; i++)
            {
              w[i] = g_rand_double_range (rand, -0.2, 30);
              filled[i] = g_rand_int_range (rand, 0, 10) > 0;
              if (filled[i])
                dqm_histogram_fill_2d (by_cell, -1.5 + (i % nx + 0.5) * 0.5, 2 + i / nx + 0.5, w[i]);
            }
          dqm_histogram_fill_map (by_map, w, filled);
        }
      for (gsize i = 0; i < dqm_histogram_n_cells (by_map); i++)
        g_assert_cmpfloat_with_epsilon (by_map->bins[i], by_cell->bins[i], 1e-9);
      g_assert_cmpfloat (by_map->entries, ==, by_cell->entries);
      g_assert_cmpfloat (by_map->entries, >, 0.8 * 50 * nx * ny);
      g_assert_cmpfloat_with_epsilon (by_map->sumw, by_cell->sumw, 1e-9 * by_cell->sumw);
      g_assert_cmpfloat_with_epsilon (by_map->sumw2, by_cell->sumw2, 1e-9 * by_cell->sumw2);
      g_assert_cmpfloat_with_epsilon (by_map->sumwx, by_cell->sumwx, 1e-9 * fabs (by_cell->sumwx));
      g_assert_cmpfloat_with_epsilon (by_map->sumwx2, by_cell->sumwx2, 1e-9 * by_cell->sumwx2);
      g_assert_cmpfloat_with_epsilon (by_map->sumwy, by_cell->sumwy, 1e-9 * by_cell->sumwy);
      g_assert_cmpfloat_with_epsilon (by_map->sumwy2, by_cell->sumwy2, 1e-9 * by_cell->sumwy2);
      g_assert_cmpfloat_with_epsilon (by_map->sumwxy, by_cell->sumwxy, 1e-9 * fabs (by_cell->sumwxy));
      dqm_histogram_free (by_map);
      dqm_histogram_free (by_cell);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/histogram/fill-map-as-cells", test_fill_map_as_cells);
  return g_test_run ();
}
