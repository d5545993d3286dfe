/* Cairo/Pango histogram drawing. */
#include "dqm-plot.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "dqm-error.h"

typedef DqmPlotFrame Frame;

void
dqm_plot_style_init (DqmPlotStyle *style)
{
  memset (style, 0, sizeof *style);
  style->show_stats = TRUE;
  style->show_values = TRUE;
  style->font_scale = 1;
}

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

char *
dqm_plot_markup (const char *text)
{
  static const struct { const char *root, *unicode; } symbols[] = {
    { "#chi", "χ" }, { "#upoint", "·" }, { "#mu", "μ" }, { "#pi", "π" }, { "#gamma", "γ" }, { "#sigma", "σ" },
    { "#Delta", "Δ" }, { "#pm", "±" }, { "#theta", "θ" },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p;)
    {
      gboolean matched = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (symbols) && !matched; i++)
        if (g_str_has_prefix (p, symbols[i].root))
          {
            g_string_append (out, symbols[i].unicode);
            p += strlen (symbols[i].root);
            matched = TRUE;
          }
      if (matched)
        continue;
      if ((*p == '_' || *p == '^') && p[1] == '{' && strchr (p, '}'))
        {
          const char *end = strchr (p, '}');
          g_autofree char *inner = g_markup_escape_text (p + 2, end - p - 2);

          g_string_append_printf (out, "<%s>%s</%s>", *p == '_' ? "sub" : "sup", inner, *p == '_' ? "sub" : "sup");
          p = end + 1;
          continue;
        }
      {
        g_autofree char *escaped = g_markup_escape_text (p, 1);
        g_string_append (out, escaped);
      }
      p++;
    }
  return g_string_free (out, FALSE);
}

static void
set_text_colour (cairo_t *cr, const DqmPlotStyle *style)
{
  if (style->dark)
    cairo_set_source_rgb (cr, 0.92, 0.92, 0.92);
  else
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
}

/* Draws @markup with its anchor (ax, ay ∈ {0, 0.5, 1}) at (x, y), cut
 * with an ellipsis at @max_width pixels when that is > 0. */
static void
text_within (cairo_t *cr, const DqmPlotStyle *style, double size, gboolean bold, const char *markup, double x,
             double y, double ax, double ay, double angle, double max_width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int w, h;

  pango_font_description_set_absolute_size (font, size * style->font_scale * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_markup (layout, markup, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, -ax * w, -ay * h);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static void
text (cairo_t *cr, const DqmPlotStyle *style, double size, gboolean bold, const char *markup, double x, double y,
      double ax, double ay, double angle)
{
  text_within (cr, style, size, bold, markup, x, y, ax, ay, angle, 0);
}

static double
text_width (cairo_t *cr, const DqmPlotStyle *style, double size, const char *markup)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int w, h;

  pango_font_description_set_absolute_size (font, size * style->font_scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

/* A round tick step (1, 2 or 5 × 10^k) giving about @n ticks over @span. */
static double
tick_step (double span, int n)
{
  double raw = span / MAX (n, 1), magnitude = pow (10, floor (log10 (raw))), f = raw / magnitude;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude;
}

static void
format_tick (char *buffer, gsize size, double value, double step)
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

static double
map_y (const Frame *f, double v, double lo, double hi, gboolean log_scale)
{
  double t = log_scale ? (log10 (MAX (v, lo)) - log10 (lo)) / (log10 (hi) - log10 (lo)) : (v - lo) / (hi - lo);

  return f->y0 + f->h - CLAMP (t, 0, 1) * f->h;
}

static void
axes (cairo_t *cr, const DqmPlotStyle *style, const Frame *f, const DqmHistogram *h, double ylo, double yhi,
      gboolean log_y, gboolean y_is_axis, char **titles)
{
  double fs = 11, step;
  char label[32];

  set_text_colour (cr, style);
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
          widest = MAX (widest, text_width (cr, style, fs, markup));
        }
      for (guint i = 0; i < h->nx; i++)
        {
          g_autofree char *markup = dqm_plot_markup (h->x_labels[i]);
          double x = f->x0 + (i + 0.5) * f->w / h->nx;

          if (widest + 6 > f->w / h->nx)
            text (cr, style, fs, FALSE, markup, x + 4, f->y0 + f->h + 4, 1, 0, -G_PI / 4);
          else
            text (cr, style, fs, FALSE, markup, x, f->y0 + f->h + 4, 0.5, 0, 0);
        }
    }
  else if (cells_are_indices (h->nx, h->xmin, h->xmax))
    for (guint i = 0; i < h->nx; i++)
      {
        g_snprintf (label, sizeof label, "%d", (int) h->xmin + (int) i);
        text (cr, style, fs, FALSE, label, f->x0 + (i + 0.5) * f->w / h->nx, f->y0 + f->h + 4, 0.5, 0, 0);
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
          format_tick (label, sizeof label, v, step);
          text (cr, style, fs, FALSE, label, x, f->y0 + f->h + 4, 0.5, 0, 0);
        }
    }
  if (titles[1] && *titles[1])
    {
      g_autofree char *markup = dqm_plot_markup (titles[1]);
      text (cr, style, 12, FALSE, markup, f->x0 + f->w / 2, f->y0 + f->h + 22 * style->font_scale, 0.5, 0, 0);
    }

  /* y */
  if (log_y)
    {
      for (double v = pow (10, ceil (log10 (ylo))); v <= yhi; v *= 10)
        {
          double y = map_y (f, v, ylo, yhi, TRUE);

          cairo_move_to (cr, f->x0, y);
          cairo_line_to (cr, f->x0 + 5, y);
          cairo_stroke (cr);
          g_snprintf (label, sizeof label, "10<sup>%d</sup>", (int) lround (log10 (v)));
          text (cr, style, fs, FALSE, label, f->x0 - 4, y, 1, 0.5, 0);
        }
    }
  else if (y_is_axis && cells_are_indices (h->ny, h->ymin, h->ymax))
    for (guint i = 0; i < h->ny; i++)
      {
        g_snprintf (label, sizeof label, "%d", (int) h->ymin + (int) i);
        text (cr, style, fs, FALSE, label, f->x0 - 4, f->y0 + f->h - (i + 0.5) * f->h / h->ny, 1, 0.5, 0);
      }
  else
    {
      step = tick_step (yhi - ylo, (int) (f->h / (40 * style->font_scale)));
      for (double v = ceil (ylo / step - 1e-9) * step; v <= yhi + step * 1e-9; v += step)
        {
          double y = map_y (f, v, ylo, yhi, FALSE);

          cairo_move_to (cr, f->x0, y);
          cairo_line_to (cr, f->x0 + 5, y);
          cairo_stroke (cr);
          format_tick (label, sizeof label, v, step);
          text (cr, style, fs, FALSE, label, f->x0 - 4, y, 1, 0.5, 0);
        }
    }
  if (titles[2] && *titles[2])
    {
      g_autofree char *markup = dqm_plot_markup (titles[2]);
      text (cr, style, 12, FALSE, markup, f->x0 - 50 * style->font_scale, f->y0 + f->h / 2, 0.5, 0.5, -G_PI / 2);
    }
}

static void
stats_box (cairo_t *cr, const DqmPlotStyle *style, const Frame *f, const DqmHistogram *h)
{
  char lines[3][64];
  double fs = 10, w = 0, line = 14 * style->font_scale, x, y;

  g_snprintf (lines[0], sizeof lines[0], "Entries  %.0f", h->entries);
  g_snprintf (lines[1], sizeof lines[1], "Mean  %.4g", dqm_histogram_mean (h));
  g_snprintf (lines[2], sizeof lines[2], "Std Dev  %.4g", dqm_histogram_rms (h));
  for (int i = 0; i < 3; i++)
    w = MAX (w, text_width (cr, style, fs, lines[i]));
  x = f->x0 + f->w - w - 12;
  y = f->y0 + 6;
  cairo_rectangle (cr, x - 6, y - 3, w + 12, 3 * line + 6);
  if (style->dark)
    cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.85);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_fill_preserve (cr);
  set_text_colour (cr, style);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  for (int i = 0; i < 3; i++)
    text (cr, style, fs, FALSE, lines[i], x, y + i * line, 0, 0, 0);
}

static void
draw_1d (cairo_t *cr, const Frame *f, const DqmHistogram *h, const DqmPlotStyle *style, char **titles)
{
  double top = dqm_histogram_maximum (h), ylo, yhi;
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
  cairo_move_to (cr, f->x0, map_y (f, MAX (0, ylo), ylo, yhi, log_y));
  for (guint i = 1; i <= h->nx; i++)
    {
      double v = dqm_histogram_get (h, i, 0);
      double x0 = f->x0 + (i - 1) * f->w / h->nx, x1 = f->x0 + i * f->w / h->nx;
      double y = log_y && v <= 0 ? f->y0 + f->h : map_y (f, v, ylo, yhi, log_y);

      cairo_line_to (cr, x0, y);
      cairo_line_to (cr, x1, y);
    }
  cairo_line_to (cr, f->x0 + f->w, map_y (f, MAX (0, ylo), ylo, yhi, log_y));
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.33, 0.55, 0.85, style->dark ? 0.55 : 0.35);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, style->dark ? 0.55 : 0.1, style->dark ? 0.75 : 0.3, style->dark ? 1.0 : 0.65);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  cairo_restore (cr);
  axes (cr, style, f, h, ylo, yhi, log_y, FALSE, titles);
  if (style->show_stats && !h->x_labels)
    stats_box (cr, style, f, h);
}

static void
ecal_hcal_overlays (cairo_t *cr, const Frame *f, const DqmHistogram *h, const DqmPlotStyle *style)
{
  double e0 = style->beam_energy_gev;
#define X(v) (f->x0 + ((v) - h->xmin) / (h->xmax - h->xmin) * f->w)
#define Y(v) (f->y0 + f->h - ((v) - h->ymin) / (h->ymax - h->ymin) * f->h)
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  /* E_ECAL + E_HCAL = E0 */
  cairo_set_source_rgba (cr, 0.85, 0.1, 0.1, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_move_to (cr, X (0), Y (e0));
  cairo_line_to (cr, X (e0), Y (0));
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* the signal box: E_ECAL < E0/2 and E_HCAL below its cut */
  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, X (h->xmin), Y (style->box_hcal_max_gev), X (style->box_ecal_max_gev) - X (h->xmin),
                   Y (h->ymin) - Y (style->box_hcal_max_gev));
  cairo_stroke (cr);
  /* candidates: rings that stay visible over any bin colour */
  for (guint i = 0; i < style->n_markers; i++)
    {
      double x = X (style->marker_x[i * style->marker_stride]), y = Y (style->marker_y[i * style->marker_stride]);

      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, 5 * style->font_scale, 0, 2 * G_PI);
    }
  cairo_set_line_width (cr, 3.5);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, 1.8);
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  cairo_stroke (cr);
  cairo_restore (cr);
  text (cr, style, 10, TRUE, "signal box", X (style->box_ecal_max_gev) + 3, Y (style->box_hcal_max_gev) - 2, 0, 1, 0);
  if (style->n_markers)
    {
      char label[64];

      g_snprintf (label, sizeof label, "○ %u candidate%s", style->n_markers, style->n_markers == 1 ? "" : "s");
      text (cr, style, 10, TRUE, label, X (style->box_ecal_max_gev) + 3, Y (style->box_hcal_max_gev) - 18 * style->font_scale,
            0, 1, 0);
    }
#undef X
#undef Y
}

static void
draw_2d (cairo_t *cr, const Frame *f, const DqmHistogram *h, const DqmPlotStyle *style, char **titles)
{
  double top = dqm_histogram_maximum (h), low = G_MAXDOUBLE;
  gboolean log_z = style->log_scale && top > 0;
  double cw = f->w / h->nx, ch = f->h / h->ny, zlo, zhi;
  Frame bar = { f->x0 + f->w + 12, f->y0, 14, f->h };
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
  for (guint iy = 1; iy <= h->ny; iy++)
    for (guint ix = 1; ix <= h->nx; ix++)
      {
        double v = dqm_histogram_get (h, ix, iy), t, r, g, b;

        /* Sparse plots leave empty bins blank; in a cell map every cell is
         * a reading, and noise may make a mean slightly negative. */
        if (v <= 0 && !style->show_values)
          continue;
        v = MAX (v, 0);
        t = log_z ? (log10 (MAX (v, zlo)) - log10 (zlo)) / MAX (1e-12, log10 (zhi) - log10 (zlo)) : v / zhi;
        t = CLAMP (t, 0, 1);
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
              text (cr, &inverse, 10, FALSE, label, f->x0 + (ix - 0.5) * cw, f->y0 + f->h - (iy - 0.5) * ch, 0.5, 0.5, 0);
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
    ecal_hcal_overlays (cr, f, h, style);

  /* the colour bar */
  for (int i = 0; i < 64; i++)
    {
      double r, g, b;

      dqm_plot_colormap (i / 63.0, &r, &g, &b);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_rectangle (cr, bar.x0, bar.y0 + bar.h - (i + 1) * bar.h / 64, bar.w, bar.h / 64 + 0.5);
      cairo_fill (cr);
    }
  set_text_colour (cr, style);
  format_tick (label, sizeof label, zhi, zhi >= 10 ? 1 : 0.01);
  text (cr, style, 10, FALSE, label, bar.x0 + bar.w + 3, bar.y0, 0, 0, 0);
  format_tick (label, sizeof label, zlo, zlo >= 10 || zlo == 0 ? 1 : 0.01);
  text (cr, style, 10, FALSE, label, bar.x0 + bar.w + 3, bar.y0 + bar.h, 0, 1, 0);
  if (log_z)
    text (cr, style, 10, FALSE, "log", bar.x0 + bar.w + 3, bar.y0 + bar.h / 2, 0, 0.5, 0);

  axes (cr, style, f, h, h->ymin, h->ymax, FALSE, TRUE, titles);
}

/* Where the data go inside a plot of @width × @height. */
static gboolean
frame_for (double width, double height, const DqmHistogram *h, const DqmPlotStyle *style, Frame *f)
{
  double s = style->font_scale;

  f->x0 = 70 * s;
  f->y0 = 30 * s;
  f->w = width - f->x0 - (dqm_histogram_is_2d (h) && !h->x_labels ? 70 * s : 20 * s);
  f->h = height - f->y0 - (h->x_labels ? 64 : 50) * s;
  return f->w >= 20 && f->h >= 20;
}

/* Fills only its own rectangle: several charts may share one surface. */
static void
background_and_title (cairo_t *cr, double width, double height, const DqmPlotStyle *style, const char *markup)
{
  if (style->dark)
    cairo_set_source_rgb (cr, 0.12, 0.12, 0.13);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  set_text_colour (cr, style);
  text_within (cr, style, 14, TRUE, markup, width / 2, 6 * style->font_scale, 0.5, 0, 0, width - 10);
}

gboolean
dqm_plot_bin_at (double width, double height, const DqmHistogram *h, const DqmPlotStyle *style, double x,
                 double y, guint *ix, guint *iy)
{
  Frame f;

  if (!frame_for (width, height, h, style, &f) || x < f.x0 || x >= f.x0 + f.w || y < f.y0 || y >= f.y0 + f.h)
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
  if (!frame_for (width, height, &range, style, frame))
    return FALSE;
  title = dqm_plot_markup (titles[0]);
  background_and_title (cr, width, height, style, title);
  axes (cr, style, frame, &range, ymin, ymax, FALSE, FALSE, titles);
  return TRUE;
}

double
dqm_plot_frame_x (const DqmPlotFrame *f, double xmin, double xmax, double v)
{
  return f->x0 + (v - xmin) / (xmax - xmin) * f->w;
}

double
dqm_plot_frame_y (const DqmPlotFrame *f, double ymin, double ymax, double v)
{
  return map_y (f, v, ymin, ymax, FALSE);
}

void
dqm_plot_text (cairo_t *cr, const DqmPlotStyle *style, double size, const char *markup, double x, double y,
               double ax, double ay)
{
  set_text_colour (cr, style);
  text (cr, style, size, FALSE, markup, x, y, ax, ay, 0);
}

/* A 2D histogram with labelled x bins and one row per spill (the cut flow
 * of each spill as the share of its events surviving each step): a group
 * of bars per step, earlier spills in greys, the last row in colour. */
static void
draw_grouped_bars (cairo_t *cr, const Frame *f, const DqmHistogram *h, const DqmPlotStyle *style, char **titles)
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
          double y = map_y (f, v, ylo, yhi, log_y);

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
    axes (cr, style, f, &y_axis, ylo, yhi, log_y, FALSE, titles);
  }
  /* which bar is which: spill numbers are the rows' centres */
  g_snprintf (label, sizeof label, "<span foreground='#2166cc'>■</span> spill %.0f", dqm_histogram_bin_center_y (h, h->ny));
  text (cr, style, 10, FALSE, label, f->x0 + f->w - 6, f->y0 + 6, 1, 0, 0);
  if (h->ny == 2)
    g_snprintf (label, sizeof label, "<span foreground='#999999'>■</span> spill %.0f", dqm_histogram_bin_center_y (h, 1));
  else if (h->ny > 2)
    g_snprintf (label, sizeof label, "<span foreground='#999999'>■</span> spills %.0f–%.0f",
                dqm_histogram_bin_center_y (h, 1), dqm_histogram_bin_center_y (h, h->ny - 1));
  if (h->ny > 1)
    {
      text (cr, style, 10, FALSE, label, f->x0 + f->w - 6, f->y0 + 6 + 15 * style->font_scale, 1, 0, 0);
    }
}

void
dqm_plot_draw (cairo_t *cr, double width, double height, const DqmHistogram *h, const DqmPlotStyle *style)
{
  g_auto(GStrv) split = g_strsplit (h->title, ";", 4);
  char *titles[4] = { NULL, NULL, NULL, NULL };
  g_autofree char *title = NULL;
  gboolean two = dqm_histogram_is_2d (h);
  Frame f;

  /* "title;x axis;y axis", any part may be missing */
  for (guint i = 0; i < 4; i++)
    titles[i] = i < g_strv_length (split) ? split[i] : "";
  title = dqm_plot_markup (*titles[0] ? titles[0] : h->name);
  if (!frame_for (width, height, h, style, &f))
    return;
  background_and_title (cr, width, height, style, title);
  if (two && h->x_labels)
    draw_grouped_bars (cr, &f, h, style, titles);
  else if (two)
    draw_2d (cr, &f, h, style, titles);
  else
    draw_1d (cr, &f, h, style, titles);
}

static gboolean
check_surface (cairo_surface_t *surface, const char *path, GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path, cairo_status_to_string (status));
  return FALSE;
}

gboolean
dqm_plot_write_png (const DqmHistogram *h, const DqmPlotStyle *style, const char *path, int width, int height,
                    GError **error)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  dqm_plot_draw (cr, width, height, h, style);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* Vector surfaces (SVG, PDF) are written as they are finished. */
static gboolean
write_vector (cairo_surface_t *surface, const DqmHistogram *h, const DqmPlotStyle *style, const char *path,
              int width, int height, GError **error)
{
  cairo_t *cr;
  gboolean ok;

  if (!check_surface (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cr = cairo_create (surface);
  dqm_plot_draw (cr, width, height, h, style);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = check_surface (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
dqm_plot_write_pdf (const DqmHistogram *h, const DqmPlotStyle *style, const char *path, int width, int height,
                    GError **error)
{
  return write_vector (cairo_pdf_surface_create (path, width, height), h, style, path, width, height, error);
}

gboolean
dqm_plot_write_file (const DqmHistogram *h, const DqmPlotStyle *style, const char *path, int width, int height,
                     GError **error)
{
  if (g_str_has_suffix (path, ".png"))
    return dqm_plot_write_png (h, style, path, width, height, error);
  if (g_str_has_suffix (path, ".svg"))
    return dqm_plot_write_svg (h, style, path, width, height, error);
  if (g_str_has_suffix (path, ".pdf"))
    return dqm_plot_write_pdf (h, style, path, width, height, error);
  g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT, "%s: the name should end in .png, .svg or .pdf", path);
  return FALSE;
}

gboolean
dqm_plot_write_svg (const DqmHistogram *h, const DqmPlotStyle *style, const char *path, int width, int height,
                    GError **error)
{
  return write_vector (cairo_svg_surface_create (path, width, height), h, style, path, width, height, error);
}
