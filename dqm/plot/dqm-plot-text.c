/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text in plots: ROOT's TLatex-like titles as Pango markup, laid out with
 * Pango in the plot's font and colour. */
#include "dqm-plot-private.h"

#include <string.h>

#include <pango/pangocairo.h>

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

void
dqm_plot_set_text_colour (cairo_t *cr, const DqmPlotStyle *style)
{
  if (style->dark)
    cairo_set_source_rgb (cr, 0.92, 0.92, 0.92);
  else
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
}

/* Draws @markup with its anchor (ax, ay ∈ {0, 0.5, 1}) at (x, y), cut
 * with an ellipsis at @max_width pixels when that is > 0. */
void
dqm_plot_text_within (cairo_t *cr, const DqmPlotStyle *style, double size, gboolean bold, const char *markup,
                      double x,
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

void
dqm_plot_text_at (cairo_t *cr, const DqmPlotStyle *style, double size, gboolean bold, const char *markup, double x,
                  double y,
      double ax, double ay, double angle)
{
  dqm_plot_text_within (cr, style, size, bold, markup, x, y, ax, ay, angle, 0);
}

double
dqm_plot_text_width (cairo_t *cr, const DqmPlotStyle *style, double size, const char *markup)
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

void
dqm_plot_text (cairo_t *cr, const DqmPlotStyle *style, double size, const char *markup, double x, double y,
               double ax, double ay)
{
  dqm_plot_set_text_colour (cr, style);
  dqm_plot_text_at (cr, style, size, FALSE, markup, x, y, ax, ay, 0);
}

