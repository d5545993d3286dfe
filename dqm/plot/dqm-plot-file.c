/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Histograms to files and memory: PNG, SVG and PDF. */
#include "dqm-plot-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "dqm-error.h"

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

  g_return_val_if_fail (h != NULL, FALSE);

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
write_vector (cairo_surface_t     *surface,
              const DqmHistogram  *h,
              const DqmPlotStyle  *style,
              const char          *path,
              int                  width,
              int                  height,
              GError             **error)
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
  g_return_val_if_fail (h != NULL, FALSE);

  return write_vector (cairo_pdf_surface_create (path, width, height), h, style, path, width, height, error);
}

gboolean
dqm_plot_write_file (const DqmHistogram *h, const DqmPlotStyle *style, const char *path, int width, int height,
                     GError **error)
{
  g_return_val_if_fail (h != NULL, FALSE);

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
  g_return_val_if_fail (h != NULL, FALSE);

  return write_vector (cairo_svg_surface_create (path, width, height), h, style, path, width, height, error);
}


static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
dqm_plot_render_drawing (const char *format, int width, int height, DqmPlotDrawFunc draw, gconstpointer data,
                         const char *what, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (g_strcmp0 (format, "png") == 0)
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  else if (g_strcmp0 (format, "svg") == 0)
    surface = cairo_svg_surface_create_for_stream (append_bytes, out, width, height);
  else if (g_strcmp0 (format, "pdf") == 0)
    surface = cairo_pdf_surface_create_for_stream (append_bytes, out, width, height);
  else
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT, "%s: not a picture format (png, svg, pdf)", format);
      return NULL;
    }
  cr = cairo_create (surface);
  draw (cr, width, height, data);
  cairo_destroy (cr);
  if (g_strcmp0 (format, "png") == 0)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, out);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT, "%s: cannot draw as %s: %s", what, format,
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

typedef struct {
  const DqmHistogram *histogram;
  const DqmPlotStyle *style;
} OneHistogram;

static void
draw_one (cairo_t *cr, double width, double height, gconstpointer data)
{
  const OneHistogram *one = data;

  dqm_plot_draw (cr, width, height, one->histogram, one->style);
}

GBytes *
dqm_plot_render (const DqmHistogram *h, const DqmPlotStyle *style, const char *format, int width, int height,
                 GError **error)
{
  OneHistogram one = { h, style };

  g_return_val_if_fail (h != NULL, NULL);

  if (g_strcmp0 (format, "pdf") == 0) /* as documented: snapshots are PNG and SVG */
    return g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT, "%s: not a picture format (png, svg)", format),
           NULL;
  return dqm_plot_render_drawing (format, width, height, draw_one, &one, h->name, error);
}
