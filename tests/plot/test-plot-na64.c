/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the state is drawn: the overlays dqm_plot_style_for_state puts on a
 * histogram of the run: the rings of the signal-box candidates, and the
 * reference's spectrum with its name. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-plot.h"
#include "dqm-plot-na64.h"
#include "test-chain.h"

static gboolean
reddish (cairo_surface_t *surface, int x, int y)
{
  const guint8 *px = cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface) + 4 * x;

  return px[2] > 150 && px[1] < 90 && px[0] < 90;
}

/* Signal-box candidates are ringed on ECAL vs HCAL where their energies say. */
static void
test_candidate_markers (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  const DqmHistogram *h = dqm_state_find_histogram (state, "ecal_vs_hcal");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 600);
  cairo_t *cr = cairo_create (surface);
  DqmCandidate fake = { .run = 42, .spill = 1, .event_id = 1, .ecal_gev = 30, .hcal_gev = 60 };
  guint cells[DQM_N_CHANNELS + 1];
  DqmPlotStyle style;
  /* the frame of dqm_plot for a 2D plot of 800×600: x0 70, y0 30, w 660, h 520 */
  double x = 70 + (30 - h->xmin) / (h->xmax - h->xmin) * 660, y = 30 + 520 - (60 - h->ymin) / (h->ymax - h->ymin) * 520;
  guint red = 0;

  g_array_append_val (state->candidates, fake);
  dqm_plot_style_for_state (state, h, TRUE, cells, &style);
  g_assert_cmpuint (style.n_markers, ==, state->candidates->len);
  dqm_plot_draw (cr, 800, 600, h, &style);
  cairo_surface_flush (surface);
  /* the ring, 5 px around the point: red on its circle, not at its centre */
  for (int a = 0; a < 16; a++)
    red += reddish (surface, (int) (x + 5 * cos (a * G_PI / 8)), (int) (y + 5 * sin (a * G_PI / 8)));
  g_assert_cmpuint (red, >=, 8);
  g_assert_false (reddish (surface, (int) x, (int) y));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static guint
orange_in_columns (cairo_surface_t *surface, int x0, int x1)
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = x0; x < x1; x++)
      {
        const guint8 *px = cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface) + 4 * x;

        n += px[2] > 190 && px[1] > 70 && px[1] < 135 && px[0] < 60;
      }
  return n;
}

/* The reference is drawn over the 1D spectrum, scaled to its integral,
 * where its own contents lie; its name is in the corner. */
static void
test_reference_overlay (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  const DqmHistogram *h = dqm_state_find_histogram (state, "ecal_energy");
  DqmHistogram *reference = dqm_histogram_copy (h);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 600);
  cairo_t *cr = cairo_create (surface);
  guint cells[DQM_N_CHANNELS + 1];
  DqmPlotStyle style;
  guint last = reference->nx - 2; /* the reference's whole run in one bin near the right end */
  double bin_x = 70 + (last - 0.5) / reference->nx * (800 - 90);

  g_assert_cmpuint (dqm_histogram_n_cells (reference), >, last + 1);
  memset (reference->bins, 0, dqm_histogram_n_cells (reference) * sizeof (double));
  reference->bins[last] = 5;
  state->reference_histograms = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
  g_ptr_array_add (state->reference_histograms, reference);
  g_strlcpy (state->reference_label, "run 17, the latest of e- 100 GeV that a shifter flagged good",
             sizeof state->reference_label);
  dqm_plot_style_for_state (state, h, FALSE, cells, &style);
  g_assert_true (style.reference == reference);
  g_assert_cmpstr (style.reference_label, ==, "run 17");
  dqm_plot_draw (cr, 800, 600, h, &style);
  cairo_surface_flush (surface);
  /* Scaled to the run's entries, it towers in its one bin. */
  g_assert_cmpuint (orange_in_columns (surface, (int) bin_x - 2, (int) bin_x + 3), >, 100);
  /* A spill's plot is compared with the run's reference; a map with none. */
  dqm_plot_style_for_state (state, dqm_state_find_histogram (state, "ecal_energy_spill"), FALSE, cells, &style);
  g_assert_true (style.reference == reference);
  dqm_plot_style_for_state (state, dqm_state_find_histogram (state, "ecal_vs_hcal"), FALSE, cells, &style);
  g_assert_null (style.reference);
  /* Set by hand: the directory's name. */
  {
    char name[64];

    dqm_plot_reference_name ("/data/dqm/run-000017, set by hand (--reference)", name, sizeof name);
    g_assert_cmpstr (name, ==, "run-000017");
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The wall's plots for a monitor's e-log entry: a PNG and a PDF. */
static void
test_wall_pictures (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = dqm_plot_render_wall (state, "png", 1600, 1000, &error);
  g_autoptr(GBytes) pdf = dqm_plot_render_wall (state, "pdf", 1600, 1000, &error);
  gsize size;
  const char *bytes;

  g_assert_no_error (error);
  bytes = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 50000);
  g_assert_cmpmem (bytes, 4, "\x89PNG", 4);
  bytes = g_bytes_get_data (pdf, &size);
  g_assert_cmpmem (bytes, 4, "%PDF", 4);
  g_assert_null (dqm_plot_render_wall (state, "bmp", 10, 10, &error));
  g_assert_nonnull (strstr (error->message, "bmp"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot-style/candidate-markers", test_candidate_markers);
  g_test_add_func ("/plot-style/reference-overlay", test_reference_overlay);
  g_test_add_func ("/plot-style/wall-pictures", test_wall_pictures);
  return g_test_run ();
}
