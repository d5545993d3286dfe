/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Theme and placeholder helpers of the drawing widgets. */
#include "dqm-widget-style.h"

gboolean
dqm_widget_prefers_dark (GtkWidget *widget)
{
  GdkRGBA colour;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colour);
  return colour.red + colour.green + colour.blue > 1.5;
}

void
dqm_widget_draw_placeholder (GtkWidget *widget, cairo_t *cr, int width, int height, const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { 0.5, 0.5, 0.5, 1 });
  cairo_move_to (cr, (width - w) / 2.0, (height - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}
