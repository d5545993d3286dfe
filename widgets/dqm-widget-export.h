/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Any widget, e.g. the whole window's content, as a PNG, SVG or PDF
 * document (by the file name's extension), drawn as it is on screen. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean dqm_widget_export (GtkWidget   *widget,
                            const char  *path,
                            GError     **error);

G_END_DECLS
