/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The widget's render nodes replayed on a Cairo surface of the format. */
#include "dqm-widget-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

gboolean
dqm_widget_export (GtkWidget *widget, const char *path, GError **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  int width, height;
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  /* A window paints its content through its child. */
  if (GTK_IS_WINDOW (widget) && gtk_window_get_child (GTK_WINDOW (widget)))
    widget = gtk_window_get_child (GTK_WINDOW (widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is nothing to export: the view is not shown"));
      return FALSE;
    }
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (g_str_has_suffix (path, ".svg"))
    surface = cairo_svg_surface_create (path, width, height);
  else if (g_str_has_suffix (path, ".pdf"))
    surface = cairo_pdf_surface_create (path, width, height);
  else if (g_str_has_suffix (path, ".png"))
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  else
    {
      g_clear_pointer (&node, gsk_render_node_unref);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: the name must end in .png, .svg or .pdf"), path);
      return FALSE;
    }
  cr = cairo_create (surface);
  /* Documents get an opaque page under the window's own background. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (node)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  if (g_str_has_suffix (path, ".png") && cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  g_clear_pointer (&node, gsk_render_node_unref);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
