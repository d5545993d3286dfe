/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawings of one event, without a display: its ECAL and HCAL maps and
 * their channels, the waveform of a channel and the Micromegas hits with
 * the fitted track. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-analysis.h"
#include "dqm-event-plot.h"
#include "dqm-sim-run.h"
#include "test-chain.h"

static void
test_event_maps (void)
{
  g_autofree DqmRecoEvent *e = g_new0 (DqmRecoEvent, 1);
  g_autoptr(DqmHistogram) main_map = NULL;
  g_autoptr(DqmHistogram) hcal = NULL;

  e->ecal_cell_gev[1][4][2] = 55.5; /* y = 4, x = 2 */
  e->ecal_cell_gev[0][1][3] = 0.7;
  e->channel[dqm_channel_slot (dqm_channel_hcal (2, 1, 0))].in_time_energy = 3.25;
  main_map = dqm_event_map_new (e, DQM_EVENT_MAP_ECAL_MAIN);
  g_assert_cmpfloat (dqm_histogram_get (main_map, 3, 5), ==, 55.5);
  g_assert_cmpfloat (dqm_histogram_integral (main_map), ==, 55.5);
  g_assert_cmpuint (dqm_event_map_channel (DQM_EVENT_MAP_ECAL_MAIN, 3, 5), ==, dqm_channel_ecal (1, 2, 4));
  g_assert_cmpuint (dqm_event_map_channel (DQM_EVENT_MAP_ECAL_PS, 4, 2), ==, dqm_channel_ecal (0, 3, 1));
  hcal = dqm_event_map_new (e, DQM_EVENT_MAP_HCAL);
  g_assert_cmpfloat (dqm_histogram_get (hcal, 8, 1), ==, 3.25);
  g_assert_cmpfloat (dqm_histogram_integral (hcal), ==, 3.25);
  g_assert_cmpuint (dqm_event_map_channel (DQM_EVENT_MAP_HCAL, 8, 1), ==, dqm_channel_hcal (2, 1, 0));
}

/* The frame a chart of @width × @height puts its data in (drawn aside). */
static void
chart_frame (double width, double height, DqmPlotFrame *f)
{
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cairo_t *cr = cairo_create (scratch);
  DqmPlotStyle style;

  dqm_plot_style_init (&style);
  g_assert_true (dqm_plot_draw_chart (cr, width, height, "t;x;y", 0, 1, 0, 1, &style, f));
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}

static gboolean
is_red (cairo_surface_t *surface, int x, int y)
{
  guint32 pixel = *(guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface)
                                + 4 * x);
  guint r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff, b = pixel & 0xff;

  return r > 150 && g < 80 && b < 80;
}

/* The first electron of a simulated run, decoded and reconstructed. */
static void
first_electron (const DqmSetup *setup, DqmEvent *event, DqmRecoEvent *e)
{
  g_autoptr(DqmSimRun) sim = dqm_sim_run_new (setup, NULL, 3, 1, 5, 1790000000000000000ull);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  DqmSimMessage m;

  while (dqm_sim_run_next (sim, &m))
    {
      DqmMessage message;

      if (m.type != DQM_MSG_EVT)
        continue;
      g_assert_true (dqm_stream_decode (m.body->data, m.body->len, &message, event, NULL));
      dqm_reco_event (reco, message.run, event, e);
      if (e->event_class == DQM_CLASS_ELECTRON && e->have_momentum)
        return;
    }
  g_assert_not_reached ();
}

/* The half-maximum time is drawn where the reconstruction put it, in red,
 * on the aimed cell's waveform. */
static void
test_waveform_drawing (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *e = g_new (DqmRecoEvent, 1);
  guint channel = dqm_channel_ecal (1, setup->ecal.beam_x, setup->ecal.beam_y);
  const DqmChannelReco *c;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 400);
  cairo_t *cr = cairo_create (surface);
  DqmPlotStyle style;
  DqmPlotFrame f;
  int x, reds = 0;

  first_electron (setup, event, e);
  c = &e->channel[dqm_channel_slot (channel)];
  g_assert_true (c->signal);
  dqm_plot_style_init (&style);
  dqm_event_plot_waveform (cr, 800, 400, event, channel, e, setup, &style);
  cairo_surface_flush (surface);
  if (g_getenv ("NA64DQM_TEST_PNG"))
    cairo_surface_write_to_png (surface, g_getenv ("NA64DQM_TEST_PNG"));
  chart_frame (800, 400, &f);
  x = (int) round (dqm_plot_frame_x (&f, 0, event->n_samples * DQM_SAMPLE_NS, c->time_ns));
  for (int y = (int) f.y0 + 120; y < f.y0 + f.h - 2; y++)
    reds += is_red (surface, x, y) || is_red (surface, x - 1, y) || is_red (surface, x + 1, y);
  g_assert_cmpint (reds, >, (int) (f.h - 130) * 0.9);
  /* A channel the event lacks is said so, not drawn as zeros. */
  event->n_sadc = 0;
  dqm_event_plot_waveform (cr, 800, 400, event, channel, e, setup, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Each station's largest x cluster is drawn as a red dot at its z and x. */
static void
test_tracker_drawing (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with (NULL);
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *e = g_new (DqmRecoEvent, 1);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 600);
  cairo_t *cr = cairo_create (surface);
  double zmin = G_MAXDOUBLE, zmax = -G_MAXDOUBLE, range = DQM_STRIPS_PER_PLANE * DQM_STRIP_PITCH_MM / 2;
  DqmPlotStyle style;
  DqmPlotFrame f;
  guint checked = 0;

  first_electron (setup, event, e);
  dqm_plot_style_init (&style);
  dqm_event_plot_tracker (cr, 900, 600, event, e, setup, &style);
  cairo_surface_flush (surface);
  if (g_getenv ("NA64DQM_TEST_PNG"))
    cairo_surface_write_to_png (surface, g_getenv ("NA64DQM_TEST_PNG"));
  for (guint s = 0; s < DQM_TRACKER_STATIONS; s++)
    {
      zmin = MIN (zmin, setup->tracker.station_z_m[s]);
      zmax = MAX (zmax, setup->tracker.station_z_m[s]);
    }
  zmin -= 0.05 * (zmax - zmin) + 0.1;
  zmax += 0.05 * (zmax - zmin) + 0.1;
  chart_frame (900, 300, &f);
  for (guint s = 0; s < DQM_TRACKER_STATIONS; s++)
    if (e->n_clusters[2 * s] > 0)
      {
        int x = (int) round (dqm_plot_frame_x (&f, zmin, zmax, setup->tracker.station_z_m[s]));
        int y = (int) round (dqm_plot_frame_y (&f, -range, range, e->cluster_mm[2 * s]));

        g_assert_true (is_red (surface, x, y));
        checked++;
      }
  g_assert_cmpuint (checked, >=, 6);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-plot/maps", test_event_maps);
  g_test_add_func ("/event-plot/waveform", test_waveform_drawing);
  g_test_add_func ("/event-plot/tracker", test_tracker_drawing);
  return g_test_run ();
}
