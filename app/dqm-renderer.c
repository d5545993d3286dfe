/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Choosing cairo over OpenGL drawn in software. */
#include "dqm-renderer.h"

#include <epoxy/gl.h>
#include <string.h>

gboolean
dqm_renderer_is_software (const char *gl_renderer)
{
  static const char *const software[] = { "llvmpipe", "softpipe", "swrast", "Software Rasterizer", "SWR" };

  for (guint i = 0; gl_renderer && i < G_N_ELEMENTS (software); i++)
    if (strstr (gl_renderer, software[i]))
      return TRUE;
  return FALSE;
}

/* The name OpenGL gives its renderer on @display, from a context made for
 * the question alone. */
static char *
gl_renderer_name (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (display, NULL);
  char *name;

  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return NULL;
  gdk_gl_context_make_current (context);
  name = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

char *
dqm_renderer_choose (GdkDisplay *display)
{
  char *name;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  /* The user's choice stands (GTK reads it when the first window is drawn). */
  if (g_getenv ("GSK_RENDERER"))
    return NULL;
  name = gl_renderer_name (display);
  if (dqm_renderer_is_software (name))
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_message ("OpenGL here is drawn in software (%s): drawing with cairo, which keeps the frame rate "
                 "(GSK_RENDERER=gl insists on OpenGL)", name);
    }
  return name;
}
