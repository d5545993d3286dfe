/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values against time: ranges from the data, a power of ten for large
 * values, steps or points joined by lines, the legend, limit lines. */
#include "dqm-plot-series.h"

#include <math.h>

#include "dqm-plot-private.h"

/* The superscript digits of a power of ten, for the y title. */
static void
append_power (GString *out, int power)
{
  static const char *const digits[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  char text[16];

  g_snprintf (text, sizeof text, "%d", power);
  g_string_append (out, "10");
  for (const char *c = text; *c; c++)
    g_string_append (out, *c == '-' ? "⁻" : digits[*c - '0']);
}

char *
dqm_plot_format_count (double value)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int power;

  if (!isfinite (value) || fabs (value) < 1e5)
    return g_strdup_printf ("%.0f", value);
  power = (int) floor (log10 (fabs (value)));
  g_string_printf (text, "%.2f·", value / pow (10, power));
  append_power (text, power);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
line_drawn (const DqmPlotLine *line, double data_max, double reach)
{
  return reach <= 0 || !(data_max > 0) || line->value <= reach * data_max;
}

static void
draw_series (cairo_t *cr, const DqmPlotFrame *f, const DqmPlotSeries *s, double xmin, double xmax, double ymin,
             double ymax, double scale)
{
  gboolean drawing = FALSE;
  double last_y = 0;

  cairo_set_source_rgb (cr, s->rgb[0], s->rgb[1], s->rgb[2]);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < s->n; i++)
    {
      double x = dqm_plot_frame_x (f, xmin, xmax, s->x[i]), y;

      if (!isfinite (s->y[i]))
        {
          /* An unmeasured point breaks the line. */
          cairo_stroke (cr);
          drawing = FALSE;
          continue;
        }
      y = dqm_plot_frame_y (f, ymin, ymax, s->y[i] / scale);
      if (drawing && !s->steps && s->max_gap > 0 && i > 0 && s->x[i] - s->x[i - 1] > s->max_gap)
        {
          /* Hours without data between two runs: no line pretends to know them. */
          cairo_stroke (cr);
          drawing = FALSE;
        }
      if (!drawing)
        cairo_move_to (cr, x, s->steps ? dqm_plot_frame_y (f, ymin, ymax, 0) : y);
      else if (s->steps)
        cairo_line_to (cr, x, last_y);
      cairo_line_to (cr, x, y);
      drawing = TRUE;
      last_y = y;
    }
  cairo_stroke (cr);
  /* Points, so a lone spill or run shows. */
  for (guint i = 0; !s->steps && i < s->n; i++)
    if (isfinite (s->y[i]))
      {
        cairo_arc (cr, dqm_plot_frame_x (f, xmin, xmax, s->x[i]), dqm_plot_frame_y (f, ymin, ymax, s->y[i] / scale),
                   2.5, 0, 2 * G_PI);
        cairo_fill (cr);
      }
}

void
dqm_plot_series (cairo_t *cr, double width, double height, const char *titles, const DqmPlotSeries *series,
                 guint n_series, const DqmPlotLine *lines, guint n_lines, double line_reach, const char *empty,
                 const DqmPlotStyle *style)
{
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY, data_max, scale = 1, margin;
  g_auto(GStrv) parts = g_strsplit (titles, ";", 3);
  g_autoptr(GString) y_title = g_string_new (g_strv_length (parts) > 2 ? parts[2] : "");
  g_autoptr(GString) axes = NULL;
  g_autoptr(GString) beyond = g_string_new (NULL);
  gboolean any_steps = FALSE;
  DqmPlotFrame f;
  double legend_y;

  for (guint k = 0; k < n_series; k++)
    {
      any_steps |= series[k].steps;
      for (guint i = 0; i < series[k].n; i++)
        if (isfinite (series[k].y[i]) && isfinite (series[k].x[i]))
          {
            xmin = MIN (xmin, series[k].x[i]);
            xmax = MAX (xmax, series[k].x[i]);
            ymin = MIN (ymin, series[k].y[i]);
            ymax = MAX (ymax, series[k].y[i]);
          }
    }
  if (!isfinite (xmin))
    {
      if (dqm_plot_draw_chart (cr, width, height, titles, 0, 1, 0, 1, style, &f))
        dqm_plot_text (cr, style, 13, empty, f.x0 + f.w / 2, f.y0 + f.h / 2, 0.5, 0.5);
      return;
    }
  data_max = ymax;
  if (any_steps)
    ymin = MIN (ymin, 0); /* a running sum starts from nothing */
  for (guint i = 0; i < n_lines; i++)
    if (line_drawn (&lines[i], data_max, line_reach))
      {
        ymin = MIN (ymin, lines[i].value);
        ymax = MAX (ymax, lines[i].value);
      }
  if (fabs (ymax) >= 1e5)
    {
      int power = (int) floor (log10 (fabs (ymax)));

      scale = pow (10, power);
      g_string_append (y_title, " [");
      append_power (y_title, power);
      g_string_append (y_title, "]");
    }
  ymin /= scale;
  ymax /= scale;
  margin = ymax > ymin ? 0.08 * (ymax - ymin) : MAX (fabs (ymax) * 0.1, 1e-3);
  ymin = any_steps && ymin >= 0 ? 0 : ymin - margin;
  ymax += margin;
  margin = xmax > xmin ? 0.03 * (xmax - xmin) : 0.5;
  xmin -= margin;
  xmax += margin;
  axes = g_string_new (parts[0] ? parts[0] : "");
  g_string_append_printf (axes, ";%s;%s", g_strv_length (parts) > 1 ? parts[1] : "", y_title->str);
  if (!dqm_plot_draw_chart (cr, width, height, axes->str, xmin, xmax, ymin, ymax, style, &f))
    return;
  cairo_save (cr);
  cairo_rectangle (cr, f.x0, f.y0, f.w, f.h);
  cairo_clip (cr);
  for (guint i = 0; i < n_lines; i++)
    {
      const DqmPlotLine *l = &lines[i];
      double y = dqm_plot_frame_y (&f, ymin, ymax, l->value / scale);

      if (!line_drawn (l, data_max, line_reach))
        {
          g_string_append_printf (beyond, "%s%s", beyond->len ? " · " : "", l->label);
          continue;
        }
      cairo_set_source_rgb (cr, l->rgb[0], l->rgb[1], l->rgb[2]);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, (double[]) { 7, 4 }, 2, 0);
      cairo_move_to (cr, f.x0, y);
      cairo_line_to (cr, f.x0 + f.w, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      if (l->label)
        {
          g_autofree char *markup = g_markup_escape_text (l->label, -1);

          dqm_plot_text_at (cr, style, 10, FALSE, markup, f.x0 + f.w - 4, y - 2, 1, 1, 0);
        }
    }
  for (guint k = 0; k < n_series; k++)
    draw_series (cr, &f, &series[k], xmin, xmax, ymin, ymax, scale);
  cairo_restore (cr);
  /* The legend, top left inside the frame; then the lines beyond reach. */
  legend_y = f.y0 + 6 * style->font_scale;
  for (guint k = 0; k < n_series; k++)
    {
      g_autofree char *markup = NULL;

      if (series[k].label == NULL)
        continue;
      markup = g_markup_escape_text (series[k].label, -1);
      cairo_set_source_rgb (cr, series[k].rgb[0], series[k].rgb[1], series[k].rgb[2]);
      cairo_rectangle (cr, f.x0 + 8, legend_y + 3, 14, 4);
      cairo_fill (cr);
      dqm_plot_text_at (cr, style, 10, FALSE, markup, f.x0 + 28, legend_y, 0, 0, 0);
      legend_y += 15 * style->font_scale;
    }
  if (beyond->len)
    {
      g_autofree char *markup = g_markup_escape_text (beyond->str, -1);

      dqm_plot_set_text_colour (cr, style);
      dqm_plot_text_within (cr, style, 10, FALSE, markup, f.x0 + f.w - 6, f.y0 + 6, 1, 0, 0, f.w / 2);
    }
}
