/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the GUI tests share: a widget rendered alone to memory, and its
 * pixels read back. Run under Xvfb with GSK_RENDERER=cairo. */
#pragma once

#include <gtk/gtk.h>

typedef struct {
  guint8 *pixels;
  gsize   stride;
  int     width, height;
} Picture;

/* Shows @widget alone in a window of @width × @height and renders it. */
static inline Picture
test_render (GtkWidget *widget, int width, int height)
{
  GtkWidget *window = gtk_window_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  Picture picture = { .width = width, .height = height };

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (widget) < width / 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (gtk_widget_get_width (widget), >=, width / 2);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  picture.stride = width * 4;
  picture.pixels = g_malloc (picture.stride * height);
  gdk_texture_download (texture, picture.pixels, picture.stride);
  gtk_window_destroy (GTK_WINDOW (window));
  return picture;
}

/* Cairo's ARGB32, little-endian: B, G, R, A. */
static inline void
test_pixel (const Picture *p, int x, int y, double *r, double *g, double *b)
{
  const guint8 *px = p->pixels + y * p->stride + 4 * x;

  *b = px[0] / 255.0;
  *g = px[1] / 255.0;
  *r = px[2] / 255.0;
}
