/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Axes and frames: round ticks, bin labels, titles, where the data go
 * inside a plot, and charts of other things than histograms. */
#include "dqm-plot-private.h"

#include <math.h>

/* A round tick step (1, 2 or 5 × 10^k) giving about @n ticks over @span. */
static double
tick_step (double span, int n)
{
  double raw = span / MAX (n, 1), magnitude = pow (10, floor (log10 (raw))), f = raw / magnitude;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude;
}

void
dqm_plot_format_tick (char *buffer, gsize size, double value, double step)
{
  if (fabs (value) < step * 1e-6)
    value = 0;
  if (fabs (value) >= 1e5 || (fabs (value) < 1e-3 && value != 0))
    g_snprintf (buffer, size, "%.2g", value);
  else
    g_snprintf (buffer, size, "%.*f", step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9), value);
}

/* A detector map: a few bins one unit wide, labelled by their index. */
static gboolean
cells_are_indices (guint n, double min, double max)
{
  return n <= 16 && max - min == n && min == floor (min);
}

double
dqm_plot_map_y (const DqmPlotFrame *f, double v, double lo, double hi, gboolean log_scale)
{
  double t = log_scale ? (log10 (MAX (v, lo)) - log10 (lo)) / (log10 (hi) - log10 (lo)) : (v - lo) / (hi - lo);

  g_return_val_if_fail (f != NULL, 0);

  return f->y0 + f->h - CLAMP (t, 0, 1) * f->h;
}

void
dqm_plot_axes (cairo_t *cr, const DqmPlotStyle *style, const DqmPlotFrame *f, const DqmHistogram *h, double ylo,
               double yhi,
      gboolean log_y, gboolean y_is_axis, char **titles)
{
  double fs = 11, step;
  char label[32];

  dqm_plot_set_text_colour (cr, style);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_stroke (cr);

  /* x: bin labels (slanted when they would collide), or round ticks */
  if (h->x_labels)
    {
      double widest = 0;

      for (guint i = 0; i < h->nx; i++)
        {
          g_autofree char *markup = dqm_plot_markup (h->x_labels[i]);
          widest = MAX (widest, dqm_plot_text_width (cr, style, fs, markup));
        }
      for (guint i = 0; i < h->nx; i++)
        {
          g_autofree char *markup = dqm_plot_markup (h->x_labels[i]);
          double x = f->x0 + (i + 0.5) * f->w / h->nx;

          if (widest + 6 > f->w / h->nx)
            dqm_plot_text_at (cr, style, fs, FALSE, markup, x + 4, f->y0 + f->h + 4, 1, 0, -G_PI / 4);
          else
            dqm_plot_text_at (cr, style, fs, FALSE, markup, x, f->y0 + f->h + 4, 0.5, 0, 0);
        }
    }
  else if (cells_are_indices (h->nx, h->xmin, h->xmax))
    for (guint i = 0; i < h->nx; i++)
      {
        g_snprintf (label, sizeof label, "%d", (int) h->xmin + (int) i);
        dqm_plot_text_at (cr, style, fs, FALSE, label, f->x0 + (i + 0.5) * f->w / h->nx, f->y0 + f->h + 4, 0.5, 0, 0);
      }
  else
    {
      step = tick_step (h->xmax - h->xmin, (int) (f->w / (70 * style->font_scale)));
      /* Unit-wide bins count things (spills): no ticks between them. */
      if (fabs ((h->xmax - h->xmin) / h->nx - 1) < 1e-9)
        step = MAX (step, 1);
      for (double v = ceil (h->xmin / step - 1e-9) * step; v <= h->xmax + step * 1e-9; v += step)
        {
          double x = f->x0 + (v - h->xmin) / (h->xmax - h->xmin) * f->w;

          cairo_move_to (cr, x, f->y0 + f->h);
          cairo_line_to (cr, x, f->y0 + f->h - 5);
          cairo_stroke (cr);
          dqm_plot_format_tick (label, sizeof label, v, step);
          dqm_plot_text_at (cr, style, fs, FALSE, label, x, f->y0 + f->h + 4, 0.5, 0, 0);
        }
    }
  if (titles[1] && *titles[1])
    {
      g_autofree char *markup = dqm_plot_markup (titles[1]);
      dqm_plot_text_at (cr, style, 12, FALSE, markup, f->x0 + f->w / 2, f->y0 + f->h + 22 * style->font_scale, 0.5, 0, 0);
    }

  /* y */
  if (log_y)
    {
      for (double v = pow (10, ceil (log10 (ylo))); v <= yhi; v *= 10)
        {
          double y = dqm_plot_map_y (f, v, ylo, yhi, TRUE);

          cairo_move_to (cr, f->x0, y);
          cairo_line_to (cr, f->x0 + 5, y);
          cairo_stroke (cr);
          g_snprintf (label, sizeof label, "10<sup>%d</sup>", (int) lround (log10 (v)));
          dqm_plot_text_at (cr, style, fs, FALSE, label, f->x0 - 4, y, 1, 0.5, 0);
        }
    }
  else if (y_is_axis && cells_are_indices (h->ny, h->ymin, h->ymax))
    for (guint i = 0; i < h->ny; i++)
      {
        g_snprintf (label, sizeof label, "%d", (int) h->ymin + (int) i);
        dqm_plot_text_at (cr, style, fs, FALSE, label, f->x0 - 4, f->y0 + f->h - (i + 0.5) * f->h / h->ny, 1, 0.5, 0);
      }
  else
    {
      step = tick_step (yhi - ylo, (int) (f->h / (40 * style->font_scale)));
      for (double v = ceil (ylo / step - 1e-9) * step; v <= yhi + step * 1e-9; v += step)
        {
          double y = dqm_plot_map_y (f, v, ylo, yhi, FALSE);

          cairo_move_to (cr, f->x0, y);
          cairo_line_to (cr, f->x0 + 5, y);
          cairo_stroke (cr);
          dqm_plot_format_tick (label, sizeof label, v, step);
          dqm_plot_text_at (cr, style, fs, FALSE, label, f->x0 - 4, y, 1, 0.5, 0);
        }
    }
  if (titles[2] && *titles[2])
    {
      g_autofree char *markup = dqm_plot_markup (titles[2]);
      dqm_plot_text_at (cr, style, 12, FALSE, markup, f->x0 - 50 * style->font_scale, f->y0 + f->h / 2, 0.5, 0.5, -G_PI / 2);
    }
}

/* Where the data go inside a plot of @width × @height. */
gboolean
dqm_plot_frame_for (double width, double height, const DqmHistogram *h, const DqmPlotStyle *style, DqmPlotFrame *f)
{
  double s = style->font_scale;

  f->x0 = 70 * s;
  f->y0 = 30 * s;
  f->w = width - f->x0 - (dqm_histogram_is_2d (h) && !h->x_labels ? 70 * s : 20 * s);
  f->h = height - f->y0 - (h->x_labels ? 64 : 50) * s;
  return f->w >= 20 && f->h >= 20;
}

/* Fills only its own rectangle: several charts may share one surface. */
void
dqm_plot_background_and_title (cairo_t *cr, double width, double height, const DqmPlotStyle *style,
                               const char *markup)
{
  if (style->dark)
    cairo_set_source_rgb (cr, 0.12, 0.12, 0.13);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  dqm_plot_set_text_colour (cr, style);
  dqm_plot_text_within (cr, style, 14, TRUE, markup, width / 2, 6 * style->font_scale, 0.5, 0, 0, width - 10);
}

gboolean
dqm_plot_bin_at (double width, double height, const DqmHistogram *h, const DqmPlotStyle *style, double x,
                 double y, guint *ix, guint *iy)
{
  DqmPlotFrame f;

  if (!dqm_plot_frame_for (width, height, h, style, &f) || x < f.x0 || x >= f.x0 + f.w || y < f.y0 || y >= f.y0 + f.h)
    return FALSE;
  *ix = 1 + (guint) ((x - f.x0) / f.w * h->nx);
  *iy = h->ny ? 1 + (guint) ((f.y0 + f.h - y) / f.h * h->ny) : 0;
  *ix = MIN (*ix, h->nx);
  *iy = MIN (*iy, h->ny);
  return TRUE;
}

gboolean
dqm_plot_draw_chart (cairo_t *cr, double width, double height, const char *titles_text, double xmin, double xmax,
                     double ymin, double ymax, const DqmPlotStyle *style, DqmPlotFrame *frame)
{
  g_auto(GStrv) split = g_strsplit (titles_text, ";", 4);
  char *titles[4] = { NULL, NULL, NULL, NULL };
  g_autofree char *title = NULL;
  /* Only the ranges matter to the axes: many bins, so no cell labels. */
  DqmHistogram range = { .nx = 1000, .xmin = xmin, .xmax = xmax, .ymin = ymin, .ymax = ymax };

  for (guint i = 0; i < 4; i++)
    titles[i] = i < g_strv_length (split) ? split[i] : "";
  if (!dqm_plot_frame_for (width, height, &range, style, frame))
    return FALSE;
  title = dqm_plot_markup (titles[0]);
  dqm_plot_background_and_title (cr, width, height, style, title);
  dqm_plot_axes (cr, style, frame, &range, ymin, ymax, FALSE, FALSE, titles);
  return TRUE;
}

double
dqm_plot_frame_x (const DqmPlotFrame *f, double xmin, double xmax, double v)
{
  g_return_val_if_fail (f != NULL, 0);

  return f->x0 + (v - xmin) / (xmax - xmin) * f->w;
}

double
dqm_plot_frame_y (const DqmPlotFrame *f, double ymin, double ymax, double v)
{
  g_return_val_if_fail (f != NULL, 0);

  return dqm_plot_map_y (f, v, ymin, ymax, FALSE);
}

