/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 2D histograms as colour maps: viridis cells, numbers in detector cells,
 * the aimed and the alarmed cells outlined, a colour bar. */
#include "dqm-plot-private.h"

#include <math.h>

/* Viridis, sampled at 9 points and interpolated: readable in grey too. */
void
dqm_plot_colormap (double t, double *r, double *g, double *b)
{
  static const double stops[9][3] = {
    { 0.267, 0.005, 0.329 }, { 0.283, 0.141, 0.458 }, { 0.254, 0.265, 0.530 }, { 0.207, 0.372, 0.553 },
    { 0.164, 0.471, 0.558 }, { 0.128, 0.567, 0.551 }, { 0.135, 0.659, 0.518 }, { 0.478, 0.821, 0.318 },
    { 0.993, 0.906, 0.144 },
  };
  double x = CLAMP (t, 0, 1) * 8;
  guint i = MIN ((guint) x, 7);
  double f = x - i;

  *r = stops[i][0] + f * (stops[i + 1][0] - stops[i][0]);
  *g = stops[i][1] + f * (stops[i + 1][1] - stops[i][1]);
  *b = stops[i][2] + f * (stops[i + 1][2] - stops[i][2]);
}

static double
colour_position (double v, gboolean log_z, double zlo, double zhi)
{
  double t = log_z ? (log10 (MAX (v, zlo)) - log10 (zlo)) / MAX (1e-12, log10 (zhi) - log10 (zlo)) : v / zhi;

  return CLAMP (t, 0, 1);
}

/* A sparse plot's bins as one image of a pixel a bin, scaled up without
 * smoothing: one paint instead of a rectangle a bin (14 400 for E_ECAL vs
 * E_HCAL), on screen and in files. Empty bins stay blank. */
static void
draw_bins_as_image (cairo_t *cr, const DqmPlotFrame *f, const DqmHistogram *h, gboolean log_z, double zlo, double zhi)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) h->nx, (int) h->ny);
  cairo_pattern_t *pattern;
  int stride = cairo_image_surface_get_stride (image);
  guint8 *data;

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  for (guint iy = 1; iy <= h->ny; iy++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) stride * (h->ny - iy));

      for (guint ix = 1; ix <= h->nx; ix++)
        {
          double v = dqm_histogram_get (h, ix, iy), r, g, b;

          if (!(v > 0))
            {
              row[ix - 1] = 0;
              continue;
            }
          dqm_plot_colormap (colour_position (v, log_z, zlo, zhi), &r, &g, &b);
          row[ix - 1] = 0xff000000u | (guint32) lround (r * 255) << 16 | (guint32) lround (g * 255) << 8
                        | (guint32) lround (b * 255);
        }
    }
  cairo_surface_mark_dirty (image);
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  cairo_translate (cr, f->x0, f->y0);
  cairo_scale (cr, f->w / h->nx, f->h / h->ny);
  cairo_set_source_surface (cr, image, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);
}

void
dqm_plot_draw_2d (cairo_t *cr, const DqmPlotFrame *f, const DqmHistogram *h, const DqmPlotStyle *style, char **titles)
{
  double top = dqm_histogram_maximum (h), low = G_MAXDOUBLE;
  gboolean log_z = style->log_scale && top > 0;
  double cw = f->w / h->nx, ch = f->h / h->ny, zlo, zhi;
  DqmPlotFrame bar = { f->x0 + f->w + 12, f->y0, 14, f->h };
  char label[32];

  for (guint iy = 1; iy <= h->ny; iy++)
    for (guint ix = 1; ix <= h->nx; ix++)
      {
        double v = dqm_histogram_get (h, ix, iy);

        if (v > 0)
          low = MIN (low, v);
      }
  zlo = log_z ? MAX (low, top * 1e-4) : 0;
  zhi = top > zlo ? top : zlo + 1;
  /* Sparse plots leave empty bins blank; in a cell map every cell is a
   * reading, and noise may make a mean slightly negative. */
  if (!style->show_values)
    draw_bins_as_image (cr, f, h, log_z, zlo, zhi);
  for (guint iy = 1; iy <= h->ny && style->show_values; iy++)
    for (guint ix = 1; ix <= h->nx; ix++)
      {
        double v = dqm_histogram_get (h, ix, iy), t, r, g, b;

        v = MAX (v, 0);
        t = colour_position (v, log_z, zlo, zhi);
        dqm_plot_colormap (t, &r, &g, &b);
        cairo_set_source_rgb (cr, r, g, b);
        cairo_rectangle (cr, f->x0 + (ix - 1) * cw, f->y0 + f->h - iy * ch, cw + 0.5, ch + 0.5);
        cairo_fill (cr);
        if (style->show_values && cw > 34 * style->font_scale && ch > 16 * style->font_scale)
          {
            if (v >= 10)
              g_snprintf (label, sizeof label, "%.0f", v);
            else
              g_snprintf (label, sizeof label, "%.2g", v < 0.005 ? 0 : v);
            cairo_set_source_rgb (cr, t > 0.6 ? 0 : 1, t > 0.6 ? 0 : 1, t > 0.6 ? 0 : 1);
            {
              DqmPlotStyle inverse = *style;

              inverse.dark = t <= 0.6;
              dqm_plot_text_at (cr, &inverse, 10, FALSE, label, f->x0 + (ix - 0.5) * cw, f->y0 + f->h - (iy - 0.5) * ch, 0.5, 0.5, 0);
            }
          }
      }
  if (style->mark_cell)
    {
      cairo_set_source_rgb (cr, style->dark ? 1 : 0, style->dark ? 1 : 0, style->dark ? 1 : 0);
      cairo_set_line_width (cr, 2.5);
      cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
      cairo_rectangle (cr, f->x0 + style->mark_x * cw + 1.5, f->y0 + f->h - (style->mark_y + 1) * ch + 1.5, cw - 3, ch - 3);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  for (const guint *c = style->alarm_cells; c && *c; c++)
    {
      guint ix = *c % 100, iy = *c / 100;

      cairo_set_source_rgb (cr, 0.9, 0.05, 0.05);
      cairo_set_line_width (cr, 4);
      cairo_rectangle (cr, f->x0 + (ix - 1) * cw + 2, f->y0 + f->h - iy * ch + 2, cw - 4, ch - 4);
      cairo_stroke (cr);
    }
  if (style->beam_energy_gev > 0)
    dqm_plot_ecal_hcal_overlays (cr, f, h, style);

  /* the colour bar */
  for (int i = 0; i < 64; i++)
    {
      double r, g, b;

      dqm_plot_colormap (i / 63.0, &r, &g, &b);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_rectangle (cr, bar.x0, bar.y0 + bar.h - (i + 1) * bar.h / 64, bar.w, bar.h / 64 + 0.5);
      cairo_fill (cr);
    }
  dqm_plot_set_text_colour (cr, style);
  dqm_plot_format_tick (label, sizeof label, zhi, zhi >= 10 ? 1 : 0.01);
  dqm_plot_text_at (cr, style, 10, FALSE, label, bar.x0 + bar.w + 3, bar.y0, 0, 0, 0);
  dqm_plot_format_tick (label, sizeof label, zlo, zlo >= 10 || zlo == 0 ? 1 : 0.01);
  dqm_plot_text_at (cr, style, 10, FALSE, label, bar.x0 + bar.w + 3, bar.y0 + bar.h, 0, 1, 0);
  if (log_z)
    dqm_plot_text_at (cr, style, 10, FALSE, "log", bar.x0 + bar.w + 3, bar.y0 + bar.h / 2, 0, 0.5, 0);

  dqm_plot_axes (cr, style, f, h, h->ymin, h->ymax, FALSE, TRUE, titles);
}

