/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cairo drawings of one event. */
#include "dqm-event-plot.h"

#include <math.h>

#include "dqm-micromegas.h"

DqmHistogram *
dqm_event_map_new (const DqmRecoEvent *e, DqmEventMap map)
{
  DqmHistogram *h;

  g_return_val_if_fail (e != NULL, NULL);

  if (map == DQM_EVENT_MAP_HCAL)
    {
      h = dqm_histogram_new_2d ("event_hcal", "HCAL energy of this event [GeV], modules 0-3;3#upoint module + x;y",
                                DQM_HCAL_MODULES * DQM_HCAL_NX, 0, DQM_HCAL_MODULES * DQM_HCAL_NX,
                                DQM_HCAL_NY, 0, DQM_HCAL_NY);
      for (guint m = 0; m < DQM_HCAL_MODULES; m++)
        for (guint y = 0; y < DQM_HCAL_NY; y++)
          for (guint x = 0; x < DQM_HCAL_NX; x++)
            {
              const DqmChannelReco *c = &e->channel[dqm_channel_slot (dqm_channel_hcal (m, x, y))];

              dqm_histogram_set (h, m * DQM_HCAL_NX + x + 1, y + 1, c->in_time_energy);
            }
      return h;
    }
  h = map == DQM_EVENT_MAP_ECAL_PS
      ? dqm_histogram_new_2d ("event_ecal_ps", "ECAL preshower energy of this event [GeV];x;y", DQM_ECAL_NX, 0,
                              DQM_ECAL_NX, DQM_ECAL_NY, 0, DQM_ECAL_NY)
      : dqm_histogram_new_2d ("event_ecal_main", "ECAL main energy of this event [GeV];x;y", DQM_ECAL_NX, 0,
                              DQM_ECAL_NX, DQM_ECAL_NY, 0, DQM_ECAL_NY);
  for (guint y = 0; y < DQM_ECAL_NY; y++)
    for (guint x = 0; x < DQM_ECAL_NX; x++)
      dqm_histogram_set (h, x + 1, y + 1, e->ecal_cell_gev[map == DQM_EVENT_MAP_ECAL_PS ? 0 : 1][y][x]);
  return h;
}

guint
dqm_event_map_channel (DqmEventMap map, guint ix, guint iy)
{
  if (map == DQM_EVENT_MAP_HCAL)
    return dqm_channel_hcal ((ix - 1) / DQM_HCAL_NX, (ix - 1) % DQM_HCAL_NX, iy - 1);
  return dqm_channel_ecal (map == DQM_EVENT_MAP_ECAL_PS ? 0 : 1, ix - 1, iy - 1);
}

const DqmSadcRecord *
dqm_event_find_record (const DqmEvent *event, guint channel)
{
  g_return_val_if_fail (event != NULL, NULL);

  for (guint i = 0; i < event->n_sadc; i++)
    if (event->sadc[i].channel == channel)
      return &event->sadc[i];
  return NULL;
}

static const char *
energy_unit (guint channel)
{
  DqmChannelInfo info;

  if (!dqm_channel_lookup (channel, &info))
    return "";
  switch (info.detector)
    {
    case DQM_DETECTOR_SRD: return "MeV";
    case DQM_DETECTOR_BEAM_COUNTER:
    case DQM_DETECTOR_UPSTREAM_VETO: return "counts";
    case DQM_DETECTOR_ECAL:
    case DQM_DETECTOR_HCAL:
    case DQM_DETECTOR_VETO:
    case DQM_N_DETECTORS:
    default: return "GeV";
    }
}

/* The two interleaved ADCs: even samples blue, odd samples orange. */
static const double adc_colour[2][3] = { { 0.12, 0.38, 0.75 }, { 0.90, 0.45, 0.05 } };

void
dqm_event_plot_waveform (cairo_t *cr, double width, double height, const DqmEvent *event, guint channel,
                         const DqmRecoEvent *reco, const DqmSetup *setup, const DqmPlotStyle *style)
{
  const DqmSadcRecord *record = dqm_event_find_record (event, channel);
  const DqmChannelReco *c = &reco->channel[dqm_channel_slot (channel)];
  g_autofree char *name = dqm_channel_name (channel);
  g_autofree char *titles = g_strdup_printf ("%s, run %u spill %u event %u;time [ns];ADC counts", name, reco->run,
                                             reco->spill, reco->event_in_spill);
  guint n = event->n_samples;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, xmax = n * DQM_SAMPLE_NS;
  DqmPlotFrame f;
  char line[128];

  if (record == NULL)
    {
      if (dqm_plot_draw_chart (cr, width, height, titles, 0, xmax, 0, DQM_SAMPLE_MAX, style, &f))
        dqm_plot_text (cr, style, 13, "not read out in this event", f.x0 + f.w / 2, f.y0 + f.h / 2, 0.5, 0.5);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      lo = MIN (lo, record->samples[i]);
      hi = MAX (hi, record->samples[i]);
    }
  lo = MIN (lo, MIN (c->pedestal[0], c->pedestal[1]));
  hi = MAX (hi, MAX (c->pedestal[0], c->pedestal[1]) + c->amplitude);
  {
    double margin = MAX (10, 0.08 * (hi - lo));

    lo = MAX (0, floor (lo - margin));
    hi = ceil (hi + margin);
  }
#define X(v) dqm_plot_frame_x (&f, 0, xmax, v)
#define Y(v) dqm_plot_frame_y (&f, lo, hi, v)
  if (!dqm_plot_draw_chart (cr, width, height, titles, 0, xmax, lo, hi, style, &f))
    return;
  cairo_save (cr);
  cairo_rectangle (cr, f.x0, f.y0, f.w, f.h);
  cairo_clip (cr);
  /* the leading samples the pedestals come from */
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.15);
  cairo_rectangle (cr, X (0), f.y0, X (setup->reco.pedestal_samples * DQM_SAMPLE_NS) - X (0), f.h);
  cairo_fill (cr);
  /* pedestals, each ADC its own */
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  for (guint parity = 0; parity < 2; parity++)
    {
      cairo_set_source_rgb (cr, adc_colour[parity][0], adc_colour[parity][1], adc_colour[parity][2]);
      cairo_move_to (cr, f.x0, Y (c->pedestal[parity]));
      cairo_line_to (cr, f.x0 + f.w, Y (c->pedestal[parity]));
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
  /* the samples, at the middle of their 12.5 ns */
  cairo_set_source_rgba (cr, 0.4, 0.4, 0.4, 0.8);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < n; i++)
    {
      double x = X ((i + 0.5) * DQM_SAMPLE_NS), y = Y (record->samples[i]);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    {
      cairo_set_source_rgb (cr, adc_colour[i % 2][0], adc_colour[i % 2][1], adc_colour[i % 2][2]);
      cairo_arc (cr, X ((i + 0.5) * DQM_SAMPLE_NS), Y (record->samples[i]), 3.5 * style->font_scale, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  if (c->signal)
    {
      double peak = (c->pedestal[0] + c->pedestal[1]) / 2 + c->amplitude;

      /* peak level and the half-maximum time */
      cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, X (c->time_ns) - 30, Y (peak));
      cairo_line_to (cr, f.x0 + f.w, Y (peak));
      cairo_stroke (cr);
      cairo_move_to (cr, X (c->time_ns), f.y0);
      cairo_line_to (cr, X (c->time_ns), f.y0 + f.h);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* the numbers, top left, in the colours of what they describe */
  {
    double y = f.y0 + 6, step = 15 * style->font_scale;
    DqmPlotStyle coloured = *style;

    g_snprintf (line, sizeof line, "<span foreground='#1f61bf'>●</span> even pedestal %.1f", c->pedestal[0]);
    dqm_plot_text (cr, &coloured, 11, line, f.x0 + 8, y, 0, 0);
    g_snprintf (line, sizeof line, "<span foreground='#e6730d'>●</span> odd pedestal %.1f%s", c->pedestal[1],
                c->tracked_pedestal ? " (tracked)" : "");
    dqm_plot_text (cr, &coloured, 11, line, f.x0 + 8, y + step, 0, 0);
    if (c->signal)
      {
        g_snprintf (line, sizeof line, "<span foreground='#cc1a1a'>—</span> peak %.0f counts above pedestal",
                    c->amplitude);
        dqm_plot_text (cr, style, 11, line, f.x0 + 8, y + 2 * step, 0, 0);
        g_snprintf (line, sizeof line, "<span foreground='#cc1a1a'>|</span> time %.1f ns, %s", c->time_ns,
                    c->in_time ? "in time" : "<b>out of time</b>");
        dqm_plot_text (cr, style, 11, line, f.x0 + 8, y + 3 * step, 0, 0);
        g_snprintf (line, sizeof line, "energy %.3g %s%s", c->energy, energy_unit (channel),
                    c->overflow ? ", <b>overflow</b>" : "");
        dqm_plot_text (cr, style, 11, line, f.x0 + 8, y + 4 * step, 0, 0);
      }
    else
      dqm_plot_text (cr, style, 11, "no pulse above threshold", f.x0 + 8, y + 2 * step, 0, 0);
  }
#undef X
#undef Y
}

/* One view (0: x, bent by the magnets; 1: y) of the tracker in @f. */
static void
tracker_view (cairo_t            *cr,
              const DqmPlotFrame *f,
              double              zmin,
              double              zmax,
              double              range_mm,
              guint               view,
              const DqmEvent     *event,
              const DqmRecoEvent *e,
              const DqmSetup     *setup,
              const DqmPlotStyle *style)
{
  const DqmTrackerSetup *t = &setup->tracker;
  double z[2][DQM_TRACKER_STATIONS], x[2][DQM_TRACKER_STATIONS];
  guint n[2] = { 0, 0 };
#define X(v) dqm_plot_frame_x (f, zmin, zmax, v)
#define Y(v) dqm_plot_frame_y (f, -range_mm, range_mm, v)
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  /* the stations, and the magnets' kick in the x view */
  cairo_set_line_width (cr, 1);
  for (guint s = 0; s < DQM_TRACKER_STATIONS; s++)
    {
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.5);
      cairo_move_to (cr, X (t->station_z_m[s]), f->y0);
      cairo_line_to (cr, X (t->station_z_m[s]), f->y0 + f->h);
      cairo_stroke (cr);
    }
  if (view == 0)
    {
      cairo_set_source_rgba (cr, 0.6, 0.2, 0.7, 0.25);
      cairo_rectangle (cr, X (t->kick_z_m) - 3, f->y0, 6, f->h);
      cairo_fill (cr);
      dqm_plot_text (cr, style, 10, "magnets", X (t->kick_z_m) + 6, f->y0 + 4, 0, 0);
    }
  /* every strip above threshold, darker when larger */
  for (guint h = 0; h < event->n_hits; h++)
    {
      const DqmStripHit *hit = &event->hits[h];
      double position = (hit->strip + 0.5 - DQM_STRIPS_PER_PLANE / 2.0) * DQM_STRIP_PITCH_MM;

      if (hit->plane % 2 != view || hit->amp[1] <= DQM_STRIP_THRESHOLD)
        continue;
      cairo_set_source_rgba (cr, 0.1, 0.5, 0.2, CLAMP (hit->amp[1] / 400.0, 0.2, 1));
      cairo_rectangle (cr, X (t->station_z_m[hit->plane / 2]) - 4, Y (position) - 1, 8, 2);
      cairo_fill (cr);
    }
  /* the largest cluster of each plane, and the lines through them */
  for (guint s = 0; s < DQM_TRACKER_STATIONS; s++)
    {
      guint plane = 2 * s + view;
      guint side = view == 0 && t->station_z_m[s] > t->kick_z_m;

      if (e->n_clusters[plane] == 0)
        continue;
      z[side][n[side]] = t->station_z_m[s];
      x[side][n[side]++] = e->cluster_mm[plane];
      cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
      cairo_arc (cr, X (t->station_z_m[s]), Y (e->cluster_mm[plane]), 4 * style->font_scale, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0.8, 0.1, 0.1);
  cairo_set_line_width (cr, 1.5);
  for (guint side = 0; side < 2; side++)
    {
      double slope, intercept, from, to;

      if (!dqm_micromegas_fit_line (z[side], x[side], n[side], &slope, &intercept))
        continue;
      from = view == 0 && side == 1 ? t->kick_z_m : zmin;
      to = view == 0 && side == 0 ? t->kick_z_m : zmax;
      cairo_move_to (cr, X (from), Y (slope * from + intercept));
      cairo_line_to (cr, X (to), Y (slope * to + intercept));
      cairo_stroke (cr);
    }
  cairo_restore (cr);
#undef X
#undef Y
}

void
dqm_event_plot_tracker (cairo_t *cr, double width, double height, const DqmEvent *event, const DqmRecoEvent *e,
                        const DqmSetup *setup, const DqmPlotStyle *style)
{
  const DqmTrackerSetup *t = &setup->tracker;
  double zmin = G_MAXDOUBLE, zmax = -G_MAXDOUBLE, range = DQM_STRIPS_PER_PLANE * DQM_STRIP_PITCH_MM / 2;
  g_autofree char *x_titles = NULL;
  DqmPlotFrame f;

  for (guint s = 0; s < DQM_TRACKER_STATIONS; s++)
    {
      zmin = MIN (zmin, t->station_z_m[s]);
      zmax = MAX (zmax, t->station_z_m[s]);
    }
  zmin -= 0.05 * (zmax - zmin) + 0.1;
  zmax += 0.05 * (zmax - zmin) + 0.1;
  if (e->have_momentum)
    x_titles = g_strdup_printf ("Micromegas x (bending plane): p = %.1f GeV;;x from the nominal path [mm]",
                                e->momentum_gev);
  else
    x_titles = g_strdup ("Micromegas x (bending plane): no momentum;;x from the nominal path [mm]");
  /* two charts stacked: x above, y below */
  cairo_save (cr);
  if (dqm_plot_draw_chart (cr, width, height / 2, x_titles, zmin, zmax, -range, range, style, &f))
    tracker_view (cr, &f, zmin, zmax, range, 0, event, e, setup, style);
  cairo_translate (cr, 0, height / 2);
  if (dqm_plot_draw_chart (cr, width, height / 2, "Micromegas y;z [m];y [mm]", zmin, zmax, -range, range, style, &f))
    tracker_view (cr, &f, zmin, zmax, range, 1, event, e, setup, style);
  cairo_restore (cr);
}
