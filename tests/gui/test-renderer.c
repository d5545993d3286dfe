/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The renderer choice: OpenGL drawn in software gives way to cairo, unless
 * GSK_RENDERER says otherwise. Run under Xvfb, whose OpenGL is Mesa's
 * llvmpipe, without GSK_RENDERER set. */
#include <gtk/gtk.h>

#include "dqm-renderer.h"

static void
test_software_names (void)
{
  g_assert_true (dqm_renderer_is_software ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (dqm_renderer_is_software ("softpipe"));
  g_assert_true (dqm_renderer_is_software ("Software Rasterizer"));
  g_assert_false (dqm_renderer_is_software ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_false (dqm_renderer_is_software ("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
  g_assert_false (dqm_renderer_is_software (NULL));
}

static void
test_software_gl_gives_way (void)
{
  g_autofree char *gl = NULL;

  g_unsetenv ("GSK_RENDERER");
  gl = dqm_renderer_choose (gdk_display_get_default ());
  g_test_message ("OpenGL renderer: %s", gl ? gl : "none");
  /* Xvfb's OpenGL is Debian's Mesa in software (tools/setup installs it). */
  g_assert_nonnull (gl);
  g_assert_true (dqm_renderer_is_software (gl));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
}

static void
test_user_choice_stands (void)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_null (dqm_renderer_choose (gdk_display_get_default ()));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
}

int
main (int argc, char **argv)
{
  g_unsetenv ("GSK_RENDERER");
  gtk_init ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/software-names", test_software_names);
  g_test_add_func ("/renderer/software-gl-gives-way", test_software_gl_gives_way);
  g_test_add_func ("/renderer/user-choice-stands", test_user_choice_stands);
  return g_test_run ();
}
