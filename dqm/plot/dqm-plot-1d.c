/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 1D histograms (filled step line, statistics box) and 2D histograms
 * with labelled x bins drawn as groups of bars (the cut flow by spill). */
#include "dqm-plot-private.h"

#include <math.h>

static void
stats_box (cairo_t *cr, const DqmPlotStyle *style, const DqmPlotFrame *f, const DqmHistogram *h)
{
  char lines[3][64];
  double fs = 10, w = 0, line = 14 * style->font_scale, x, y;

  g_snprintf (lines[0], sizeof lines[0], "Entries  %.0f", h->entries);
  g_snprintf (lines[1], sizeof lines[1], "Mean  %.4g", dqm_histogram_mean (h));
  g_snprintf (lines[2], sizeof lines[2], "Std Dev  %.4g", dqm_histogram_rms (h));
  for (int i = 0; i < 3; i++)
    w = MAX (w, dqm_plot_text_width (cr, style, fs, lines[i]));
  x = f->x0 + f->w - w - 12;
  y = f->y0 + 6;
  cairo_rectangle (cr, x - 6, y - 3, w + 12, 3 * line + 6);
  if (style->dark)
    cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.85);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_fill_preserve (cr);
  dqm_plot_set_text_colour (cr, style);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  for (int i = 0; i < 3; i++)
    dqm_plot_text_at (cr, style, fs, FALSE, lines[i], x, y + i * line, 0, 0, 0);
}

/* The reference's contents scaled to @h's integral (in range); 0 when
 * either is empty or the binnings differ. */
static double
reference_scale (const DqmHistogram *h, const DqmHistogram *reference)
{
  double ours = 0, theirs = 0;

  if (reference == NULL || !dqm_histogram_same_binning (h, reference))
    return 0;
  for (guint i = 1; i <= h->nx; i++)
    {
      ours += dqm_histogram_get (h, i, 0);
      theirs += dqm_histogram_get (reference, i, 0);
    }
  return ours > 0 && theirs > 0 ? ours / theirs : 0;
}

static const double reference_colour[3] = { 0.85, 0.40, 0.0 };

static void
draw_reference (cairo_t *cr, const DqmPlotFrame *f, const DqmHistogram *h, const DqmPlotStyle *style, double scale,
                double ylo, double yhi, gboolean log_y)
{
  const DqmHistogram *r = style->reference;
  /* English, as the plots' titles and axes are (README, "Languages"). */
  g_autofree char *label = g_markup_printf_escaped ("reference: %s", style->reference_label);

  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  for (guint i = 1; i <= r->nx; i++)
    {
      double v = scale * dqm_histogram_get (r, i, 0);
      double y = log_y && v <= 0 ? f->y0 + f->h : dqm_plot_map_y (f, v, ylo, yhi, log_y);

      if (i == 1)
        cairo_move_to (cr, f->x0, y);
      else
        cairo_line_to (cr, f->x0 + (i - 1) * f->w / r->nx, y);
      cairo_line_to (cr, f->x0 + i * f->w / r->nx, y);
    }
  cairo_set_source_rgb (cr, reference_colour[0], reference_colour[1], reference_colour[2]);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
  cairo_stroke (cr);
  cairo_restore (cr);
  /* Which run the shape is compared with, where no statistics box sits. */
  cairo_set_source_rgb (cr, reference_colour[0], reference_colour[1], reference_colour[2]);
  dqm_plot_text_within (cr, style, 10, FALSE, label, f->x0 + 6, f->y0 + 4, 0, 0, 0, f->w / 2);
}

void
dqm_plot_draw_1d (cairo_t *cr, const DqmPlotFrame *f, const DqmHistogram *h, const DqmPlotStyle *style, char **titles)
{
  double scale = reference_scale (h, style->reference);
  double top = MAX (dqm_histogram_maximum (h), scale * (style->reference ? dqm_histogram_maximum (style->reference) : 0));
  double ylo, yhi;
  gboolean log_y = style->log_scale && top > 0;
  double low = 0;

  for (guint i = 1; i <= h->nx; i++)
    low = MIN (low, dqm_histogram_get (h, i, 0));
  if (log_y)
    {
      ylo = 0.5;
      yhi = top * 3;
    }
  else
    {
      ylo = low;
      yhi = top > low ? top + 0.08 * (top - low) : low + 1;
    }
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  cairo_move_to (cr, f->x0, dqm_plot_map_y (f, MAX (0, ylo), ylo, yhi, log_y));
  for (guint i = 1; i <= h->nx; i++)
    {
      double v = dqm_histogram_get (h, i, 0);
      double x0 = f->x0 + (i - 1) * f->w / h->nx, x1 = f->x0 + i * f->w / h->nx;
      double y = log_y && v <= 0 ? f->y0 + f->h : dqm_plot_map_y (f, v, ylo, yhi, log_y);

      cairo_line_to (cr, x0, y);
      cairo_line_to (cr, x1, y);
    }
  cairo_line_to (cr, f->x0 + f->w, dqm_plot_map_y (f, MAX (0, ylo), ylo, yhi, log_y));
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.33, 0.55, 0.85, style->dark ? 0.55 : 0.35);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, style->dark ? 0.55 : 0.1, style->dark ? 0.75 : 0.3, style->dark ? 1.0 : 0.65);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  cairo_restore (cr);
  if (scale > 0)
    draw_reference (cr, f, h, style, scale, ylo, yhi, log_y);
  dqm_plot_axes (cr, style, f, h, ylo, yhi, log_y, FALSE, titles);
  if (style->show_stats && !h->x_labels)
    stats_box (cr, style, f, h);
}

/* A 2D histogram with labelled x bins and one row per spill (the cut flow
 * of each spill as the share of its events surviving each step): a group
 * of bars per step, earlier spills in greys, the last row in colour. */
void
dqm_plot_draw_grouped_bars (cairo_t *cr, const DqmPlotFrame *f, const DqmHistogram *h, const DqmPlotStyle *style,
                            char **titles)
{
  double top = MAX (dqm_histogram_maximum (h), 1e-9), low = top, ylo, yhi;
  gboolean log_y = style->log_scale;
  double group = f->w / h->nx, bar = group * 0.8 / h->ny;
  char label[64];

  for (guint iy = 1; iy <= h->ny; iy++)
    for (guint ix = 1; ix <= h->nx; ix++)
      if (dqm_histogram_get (h, ix, iy) > 0)
        low = MIN (low, dqm_histogram_get (h, ix, iy));
  ylo = log_y ? pow (10, floor (log10 (low))) : 0;
  yhi = log_y ? top * 2 : top * 1.08;
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  for (guint iy = 1; iy <= h->ny; iy++)
    {
      gboolean current = iy == h->ny;
      double grey = 0.8 - 0.45 * (iy - 1) / MAX (1, h->ny - 1);

      if (current)
        cairo_set_source_rgb (cr, 0.13, 0.4, 0.8);
      else
        cairo_set_source_rgb (cr, grey, grey, grey);
      for (guint ix = 1; ix <= h->nx; ix++)
        {
          double v = dqm_histogram_get (h, ix, iy), x = f->x0 + (ix - 1) * group + group * 0.1 + (iy - 1) * bar;
          double y = dqm_plot_map_y (f, v, ylo, yhi, log_y);

          if (v <= 0)
            continue;
          cairo_rectangle (cr, x, y, MAX (bar - 1, 1), f->y0 + f->h - y);
        }
      cairo_fill (cr);
    }
  cairo_restore (cr);
  {
    DqmHistogram y_axis = *h;

    y_axis.ny = 0;
    dqm_plot_axes (cr, style, f, &y_axis, ylo, yhi, log_y, FALSE, titles);
  }
  /* which bar is which: spill numbers are the rows' centres */
  g_snprintf (label, sizeof label, "<span foreground='#2166cc'>■</span> spill %.0f", dqm_histogram_bin_center_y (h, h->ny));
  dqm_plot_text_at (cr, style, 10, FALSE, label, f->x0 + f->w - 6, f->y0 + 6, 1, 0, 0);
  if (h->ny == 2)
    g_snprintf (label, sizeof label, "<span foreground='#999999'>■</span> spill %.0f", dqm_histogram_bin_center_y (h, 1));
  else if (h->ny > 2)
    g_snprintf (label, sizeof label, "<span foreground='#999999'>■</span> spills %.0f–%.0f",
                dqm_histogram_bin_center_y (h, 1), dqm_histogram_bin_center_y (h, h->ny - 1));
  if (h->ny > 1)
    {
      dqm_plot_text_at (cr, style, 10, FALSE, label, f->x0 + f->w - 6, f->y0 + 6 + 15 * style->font_scale, 1, 0, 0);
    }
}

