/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A past run's snapshot in a window of its own beside the live view: the
 * plots the live page shows, drawn from the snapshot's histograms. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @names: the histograms to show (NULL-terminated), @columns a row. The
 * snapshot is read on a worker thread; a failure is said in the window. */
GtkWindow *dqm_snapshot_window_new (GtkWindow         *parent,
                                    guint32            run,
                                    const char        *snapshot_dir,
                                    const char *const *names,
                                    guint              columns);

G_END_DECLS
