/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Draws a histogram: picks the 1D, 2D or grouped-bar drawing. */
#include "dqm-plot-private.h"

#include <string.h>

void
dqm_plot_style_init (DqmPlotStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->show_stats = TRUE;
  style->show_values = TRUE;
  style->font_scale = 1;
}

void
dqm_plot_draw (cairo_t *cr, double width, double height, const DqmHistogram *h, const DqmPlotStyle *style)
{
  g_auto(GStrv) split = g_strsplit (h->title, ";", 4);
  char *titles[4] = { NULL, NULL, NULL, NULL };
  g_autofree char *title = NULL;
  gboolean two = dqm_histogram_is_2d (h);
  DqmPlotFrame f;

  /* "title;x axis;y axis", any part may be missing */
  for (guint i = 0; i < 4; i++)
    titles[i] = i < g_strv_length (split) ? split[i] : "";
  title = dqm_plot_markup (*titles[0] ? titles[0] : h->name);
  if (!dqm_plot_frame_for (width, height, h, style, &f))
    return;
  dqm_plot_background_and_title (cr, width, height, style, title);
  if (two && h->x_labels)
    dqm_plot_draw_grouped_bars (cr, &f, h, style, titles);
  else if (two)
    dqm_plot_draw_2d (cr, &f, h, style, titles);
  else
    dqm_plot_draw_1d (cr, &f, h, style, titles);
}

