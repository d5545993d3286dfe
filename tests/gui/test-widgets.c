/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The widgets rendered from known data, checked pixel by pixel where the
 * answer is certain. Run under Xvfb with GSK_RENDERER=cairo. */
#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "dqm-alarm-tile.h"
#include "dqm-channel.h"
#include "dqm-plot-view.h"
#include "dqm-plot.h"
#include "test-render.h"

#define W 640
#define H 480

/* Each widget alone in a window of W×H. */
static Picture
render (GtkWidget *widget)
{
  return test_render (widget, W, H);
}

#define pixel test_pixel

static gboolean
is_red (const Picture *p, int x, int y)
{
  double r, g, b;

  pixel (p, x, y, &r, &g, &b);
  return r > 0.6 && g < 0.35 && b < 0.35;
}

static gboolean
red_near (const Picture *p, int x, int y, int radius)
{
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      if (x + dx >= 0 && x + dx < W && y + dy >= 0 && y + dy < H && is_red (p, x + dx, y + dy))
        return TRUE;
  return FALSE;
}

static DqmState *
state_with (DqmHistogram *histogram)
{
  DqmState *state = g_atomic_rc_box_new0 (DqmState);

  state->histograms = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
  g_ptr_array_add (state->histograms, histogram);
  state->spills = g_ptr_array_new ();
  state->alarm_log = g_array_new (FALSE, TRUE, sizeof (DqmAlarmLogEntry));
  state->candidates = g_array_new (FALSE, TRUE, sizeof (DqmCandidate));
  state->run.beam_energy_gev = 100;
  state->box_ecal_max_gev = 50;
  state->box_hcal_max_gev = 10;
  state->beam_cell_x = state->beam_cell_y = 3;
  return state;
}

/* The plot frame dqm_plot uses for 2D maps at font scale 1. */
static void
cell_centre (const DqmHistogram *h, guint ix, guint iy, double *x, double *y)
{
  double x0 = 70, y0 = 30, fw = W - 70 - 70, fh = H - 30 - 50;

  *x = x0 + (ix - 0.5) * fw / h->nx;
  *y = y0 + fh - (iy - 0.5) * fh / h->ny;
}

static void
test_cell_map (void)
{
  DqmHistogram *map = dqm_histogram_new_2d ("ecal_main_mean", "ECAL main mean energy [GeV];x;y", 6, 0, 6, 6, 0, 6);
  g_autoptr(DqmState) state = NULL;
  GtkWidget *view = dqm_plot_view_new ("ecal_main_mean");
  Picture p;
  double x, y, r, g, b, hot_r, hot_g, hot_b;

  for (guint iy = 1; iy <= 6; iy++)
    for (guint ix = 1; ix <= 6; ix++)
      dqm_histogram_set (map, ix, iy, 1);
  dqm_histogram_set (map, 1, 6, 50); /* the hot cell, x=0 y=5 */
  state = state_with (map);
  state->channel_problem[dqm_channel_slot (dqm_channel_ecal (1, 2, 2))] = DQM_CHANNEL_DEAD;
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), state);
  p = render (view);

  /* A corner of the hot cell (away from its number) has the top colour. */
  dqm_plot_colormap (1, &hot_r, &hot_g, &hot_b);
  cell_centre (map, 1, 6, &x, &y);
  pixel (&p, (int) x - 25, (int) y - 15, &r, &g, &b);
  g_assert_cmpfloat (fabs (r - hot_r) + fabs (g - hot_g) + fabs (b - hot_b), <, 0.08);
  /* An ordinary cell is at the bottom of the scale, far from it. */
  cell_centre (map, 5, 2, &x, &y);
  pixel (&p, (int) x - 25, (int) y - 15, &r, &g, &b);
  g_assert_cmpfloat (fabs (r - hot_r) + fabs (g - hot_g) + fabs (b - hot_b), >, 0.8);
  /* The dead cell (x=2, y=2) is outlined in red, the others are not. */
  cell_centre (map, 3, 3, &x, &y);
  g_assert_true (red_near (&p, (int) (x - 0.5 * (W - 140) / 6) + 3, (int) y, 2));
  cell_centre (map, 5, 3, &x, &y);
  g_assert_false (red_near (&p, (int) (x - 0.5 * (W - 140) / 6) + 3, (int) y, 2));
  g_free (p.pixels);
}

/* The E0 diagonal runs through E_ECAL + E_HCAL = 100 GeV, and only there. */
static void
test_diagonal (void)
{
  DqmHistogram *h = dqm_histogram_new_2d ("ecal_vs_hcal", "E_{ECAL} vs E_{HCAL};E_{ECAL} [GeV];E_{HCAL} [GeV]",
                                          120, 0, 120, 120, 0, 120);
  g_autoptr(DqmState) state = NULL;
  GtkWidget *view = dqm_plot_view_new ("ecal_vs_hcal");
  guint on_line = 0, off_line = 0;
  Picture p;

  dqm_histogram_fill_2d (h, 95, 3, 100);
  state = state_with (h);
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), state);
  p = render (view);
  for (double e = 60; e <= 90; e += 5)
    {
      double fw = W - 140, fh = H - 80;
      double x = 70 + e / 120 * fw, y = 30 + fh - (100 - e) / 120 * fh;
      double y_wrong = 30 + fh - (80 - e) / 120 * fh;

      on_line += red_near (&p, (int) x, (int) y, 4);
      off_line += red_near (&p, (int) x, (int) y_wrong, 2);
    }
  g_assert_cmpuint (on_line, >=, 6);
  g_assert_cmpuint (off_line, ==, 0);
  g_free (p.pixels);
}

static DqmState *
state_with_alarm (DqmAlarmState level, gboolean unacknowledged)
{
  DqmState *state = state_with (dqm_histogram_new_1d ("x", NULL, 1, 0, 1));
  DqmAlarm *a;

  state->n_alarms = 1;
  state->alarms = g_new0 (DqmAlarm, 1);
  a = &state->alarms[0];
  g_strlcpy (a->id, "beam-purity", sizeof a->id);
  g_strlcpy (a->title, "Beam purity", sizeof a->title);
  a->below = TRUE;
  a->limits = (DqmLimits) { 0.97, 0.94 };
  a->state = a->latched = level;
  a->unacknowledged = unacknowledged;
  a->have_value = TRUE;
  a->value = 0.9;
  a->n_trend = 3;
  a->trend[0] = 0.99;
  a->trend[1] = 0.95;
  a->trend[2] = 0.9;
  return state;
}

static void
test_alarm_tile (void)
{
  GtkWidget *tile = dqm_alarm_tile_new ("beam-purity");
  g_autoptr(DqmState) alarm = state_with_alarm (DQM_ALARM_ALARM, TRUE);
  g_autoptr(DqmState) acknowledged = state_with_alarm (DQM_ALARM_ALARM, FALSE);
  g_autoptr(DqmState) fine = state_with_alarm (DQM_ALARM_OK, FALSE);
  GdkRGBA red, green;
  double r, g, b;
  Picture p;

  g_object_ref_sink (tile);
  dqm_alarm_tile_colour (DQM_ALARM_ALARM, &red);
  dqm_alarm_tile_colour (DQM_ALARM_OK, &green);
  dqm_alarm_tile_set_state (DQM_ALARM_TILE (tile), alarm);
  g_assert_true (dqm_alarm_tile_is_blinking (DQM_ALARM_TILE (tile)));
  p = render (tile);
  pixel (&p, W - 20, H / 2, &r, &g, &b);
  g_assert_cmpfloat (fabs (r - red.red) + fabs (g - red.green) + fabs (b - red.blue), <, 0.05);
  g_free (p.pixels);

  /* Acknowledged: still red (still bad), no longer blinking: red now and
   * red again past a blink's half period. */
  dqm_alarm_tile_set_state (DQM_ALARM_TILE (tile), acknowledged);
  g_assert_false (dqm_alarm_tile_is_blinking (DQM_ALARM_TILE (tile)));
  for (guint look = 0; look < 2; look++)
    {
      gint64 until = g_get_monotonic_time () + 600000;

      while (look && g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
      p = render (tile);
      pixel (&p, W - 20, H / 2, &r, &g, &b);
      g_assert_cmpfloat (fabs (r - red.red) + fabs (g - red.green) + fabs (b - red.blue), <, 0.05);
      g_free (p.pixels);
    }
  dqm_alarm_tile_set_state (DQM_ALARM_TILE (tile), fine);
  p = render (tile);
  pixel (&p, W - 20, H / 2, &r, &g, &b);
  g_assert_cmpfloat (fabs (r - green.red) + fabs (g - green.green) + fabs (b - green.blue), <, 0.05);
  g_free (p.pixels);
  g_object_unref (tile);
}

static void
test_show_other_histogram (void)
{
  g_autoptr(DqmState) state = state_with (dqm_histogram_new_1d ("ecal_energy", NULL, 10, 0, 200));
  GtkWidget *view = g_object_ref_sink (dqm_plot_view_new ("ecal_energy"));

  g_ptr_array_add (state->histograms, dqm_histogram_new_1d ("veto_1", NULL, 10, 0, 0.1));
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), state);
  g_assert_true (gtk_widget_activate_action (view, "plot.show", "s", "veto_1"));
  g_assert_cmpstr (dqm_plot_view_get_histogram (DQM_PLOT_VIEW (view)), ==, "veto_1");
  /* In the spill scope the choice stays in that scope. */
  dqm_plot_view_set_histogram (DQM_PLOT_VIEW (view), "ecal_energy_spill");
  g_assert_true (gtk_widget_activate_action (view, "plot.show", "s", "veto_1"));
  g_assert_cmpstr (dqm_plot_view_get_histogram (DQM_PLOT_VIEW (view)), ==, "veto_1_spill");
  g_assert_true (gtk_widget_activate_action (view, "plot.log-scale", NULL));
  g_assert_true (dqm_plot_view_get_log_scale (DQM_PLOT_VIEW (view)));
  g_object_unref (view);
}

static void
test_export (void)
{
  g_autoptr(DqmState) state = state_with (dqm_histogram_new_1d ("ecal_energy", "E_{ECAL};E [GeV];events", 100, 0, 200));
  GtkWidget *view = g_object_ref_sink (dqm_plot_view_new ("ecal_energy"));
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-export-XXXXXX", NULL);
  const char *const kinds[][2] = { { "png", "\x89PNG" }, { "svg", "<?xml" }, { "pdf", "%PDF" } };
  g_autoptr(GError) error = NULL;

  /* Nothing to export before there is data: said clearly. */
  {
    g_autofree char *path = g_build_filename (dir, "early.png", NULL);
    g_assert_false (dqm_plot_view_export (DQM_PLOT_VIEW (view), path, &error));
    g_assert_nonnull (strstr (error->message, "ecal_energy"));
    g_clear_error (&error);
  }
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), state);
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/plot.%s", dir, kinds[i][0]);
      g_autofree char *contents = NULL;
      gsize size;

      g_assert_true (dqm_plot_view_export (DQM_PLOT_VIEW (view), path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
      g_assert_cmpuint (size, >, 1000);
      g_assert_true (g_str_has_prefix (contents, kinds[i][1]));
    }
  {
    g_autofree char *path = g_build_filename (dir, "plot.gif", NULL);
    g_assert_false (dqm_plot_view_export (DQM_PLOT_VIEW (view), path, &error));
    g_assert_nonnull (strstr (error->message, ".png, .svg or .pdf"));
  }
  g_object_unref (view);
}

/* Has GTK ask @widget for its drawing again, and lets the frame clock run
 * for a while (Xvfb: about 6 frames). */
static void
draw_once (GtkWidget *widget)
{
  gint64 until = g_get_monotonic_time () + 100000;

  gtk_widget_queue_draw (widget);
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static DqmState *
state_with_bin (double content)
{
  DqmHistogram *h = dqm_histogram_new_1d ("ecal_energy", "E_{ECAL};E [GeV];events", 100, 0, 200);

  dqm_histogram_fill (h, 100, content);
  return state_with (h);
}

/* A plot is drawn again only when what it shows changed, and then at most
 * once its refresh interval: the frames between replay the last drawing. */
static void
test_redraw_when_changed (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = dqm_plot_view_new ("ecal_energy");
  g_autoptr(DqmState) first = state_with_bin (5), same = state_with_bin (5), other = state_with_bin (6),
                      third = state_with_bin (7);
  gint64 drawn, deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), W, H);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (view) < W / 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  dqm_plot_view_set_refresh_interval (DQM_PLOT_VIEW (view), 0);
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), first);
  draw_once (view);
  drawn = dqm_plot_view_get_drawn_us (DQM_PLOT_VIEW (view));
  g_assert_cmpint (drawn, >, 0);
  /* a new state with the same contents: the drawing stays */
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), same);
  draw_once (view);
  draw_once (view);
  g_assert_cmpint (dqm_plot_view_get_drawn_us (DQM_PLOT_VIEW (view)), ==, drawn);
  /* other contents: drawn again */
  g_usleep (1000);
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), other);
  draw_once (view);
  g_assert_cmpint (dqm_plot_view_get_drawn_us (DQM_PLOT_VIEW (view)), >, drawn);
  drawn = dqm_plot_view_get_drawn_us (DQM_PLOT_VIEW (view));
  /* within a long refresh interval: not yet */
  dqm_plot_view_set_refresh_interval (DQM_PLOT_VIEW (view), 60000);
  dqm_plot_view_set_state (DQM_PLOT_VIEW (view), third);
  draw_once (view);
  g_assert_cmpint (dqm_plot_view_get_drawn_us (DQM_PLOT_VIEW (view)), ==, drawn);
  /* a change of its own (the scale) does not wait */
  dqm_plot_view_set_log_scale (DQM_PLOT_VIEW (view), TRUE);
  draw_once (view);
  g_assert_cmpint (dqm_plot_view_get_drawn_us (DQM_PLOT_VIEW (view)), >, drawn);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/widgets/cell-map", test_cell_map);
  g_test_add_func ("/widgets/diagonal", test_diagonal);
  g_test_add_func ("/widgets/alarm-tile", test_alarm_tile);
  g_test_add_func ("/widgets/export", test_export);
  g_test_add_func ("/widgets/show-other-histogram", test_show_other_histogram);
  g_test_add_func ("/widgets/redraw-when-changed", test_redraw_when_changed);
  return g_test_run ();
}
