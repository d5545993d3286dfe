/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live view: detector maps, the ECAL-vs-HCAL diagonal, the cut flow
 * and spectra, the alarm panel and the status bar, redrawn from the
 * newest DqmState at most once per frame, of an analysis in this process
 * or of the monitor the display attached to (DqmLink). */
#pragma once

#include <gtk/gtk.h>

#include "dqm-elog-writer.h"
#include "dqm-link.h"
#include "dqm-preferences.h"

G_BEGIN_DECLS

#define DQM_TYPE_WINDOW (dqm_window_get_type ())
G_DECLARE_FINAL_TYPE (DqmWindow, dqm_window, DQM, WINDOW, GtkApplicationWindow)

/* @link must outlive the window. */
DqmWindow *dqm_window_new         (GtkApplication       *application,
                                   DqmLink              *link,
                                   DqmConfig            *config,
                                   const DqmPreferences *preferences);
/* Opens a recorded stream in the event inspector and shows it. */
void       dqm_window_browse_file (DqmWindow            *window,
                                   const char           *path);
/* The whole view (plots, alarms, status) as PNG, SVG or PDF. */
gboolean   dqm_window_export      (DqmWindow            *window,
                                   const char           *path,
                                   GError              **error);
/* Where e-log entries go (not taken; must outlive the window). */
void       dqm_window_set_elog     (DqmWindow           *window,
                                    const DqmElogPlace  *place);
/* An e-log entry of what the window shows now: the text, the view as PNG
 * and PDF, the site's command; its directory into @entry. */
gboolean   dqm_window_write_elog   (DqmWindow           *window,
                                    const char          *comment,
                                    char               **entry,
                                    GError             **error);
/* The run registry the Runs page reads (NULL: none). */
void       dqm_window_set_registry (DqmWindow           *window,
                                    const char          *path);
/* "live", "runs" or "event". */
void       dqm_window_show_page   (DqmWindow            *window,
                                   const char           *page);

G_END_DECLS
