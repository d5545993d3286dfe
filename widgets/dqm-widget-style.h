/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the drawing widgets share: whether the theme is dark, and the grey
 * line they show while they have nothing to draw. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A light text colour means a dark style (GTK 4.8 has no gtk_widget_get_color). */
gboolean dqm_widget_prefers_dark      (GtkWidget  *widget);
void     dqm_widget_draw_placeholder  (GtkWidget  *widget,
                                       cairo_t    *cr,
                                       int         width,
                                       int         height,
                                       const char *text);

G_END_DECLS
