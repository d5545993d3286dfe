/* The live view: detector maps, the ECAL-vs-HCAL diagonal, the cut flow
 * and spectra, the alarm panel and the status bar, redrawn from the
 * pipeline's newest DqmState at most once per frame. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-pipeline.h"

G_BEGIN_DECLS

#define DQM_TYPE_WINDOW (dqm_window_get_type ())
G_DECLARE_FINAL_TYPE (DqmWindow, dqm_window, DQM, WINDOW, GtkApplicationWindow)

/* @pipeline must outlive the window. */
DqmWindow *dqm_window_new (GtkApplication *application,
                           DqmPipeline    *pipeline);

G_END_DECLS
