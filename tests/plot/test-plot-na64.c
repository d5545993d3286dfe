/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the state is drawn: the overlays dqm_plot_style_for_state puts on a
 * histogram of the run, here the rings of the signal-box candidates. */
#include <math.h>

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot-style/candidate-markers", test_candidate_markers);
  return g_test_run ();
}
