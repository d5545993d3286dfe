/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which GTK renderer draws the windows. GL drawn in software (Mesa's
 * llvmpipe: a control-room PC without a GPU, a VNC session, Xvfb) cannot
 * keep a wall screen's frame rate; cairo can. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before the first window is shown: unless GSK_RENDERER says otherwise,
 * chooses cairo when @display's OpenGL is a software rasteriser, and says
 * so in the log. Returns the OpenGL renderer's name (NULL without GL). */
char *dqm_renderer_choose (GdkDisplay *display);

/* Whether an OpenGL renderer string names a software rasteriser. */
gboolean dqm_renderer_is_software (const char *gl_renderer);

G_END_DECLS
