/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmInspector: the single-event inspector. Follows the newest event, or,
 * paused, steps through the events the pipeline keeps; browses recorded
 * files; finds events by class or trigger; opens signal-box candidates. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-config.h"
#include "dqm-drill-down.h"
#include "dqm-event-ring.h"
#include "dqm-state.h"

G_BEGIN_DECLS

#define DQM_TYPE_INSPECTOR (dqm_inspector_get_type ())
G_DECLARE_FINAL_TYPE (DqmInspector, dqm_inspector, DQM, INSPECTOR, GtkBox)

/* @ring is owned by the pipeline, which outlives the window; the setups
 * come from the first @config given. */
void      dqm_inspector_set_source  (DqmInspector  *inspector,
                                     DqmEventRing  *ring,
                                     DqmConfig     *config);
/* The newest DQM state: its beam and its candidate list. */
void      dqm_inspector_set_state   (DqmInspector  *inspector,
                                     DqmState      *state);
/* Indexes the recording in a thread (dqm_inspector_is_searching meanwhile),
 * then browses it; what went wrong is said in the inspector's message. */
void      dqm_inspector_open_file   (DqmInspector  *inspector,
                                     const char    *path);
/* Looks for the kept events (the ring, or the open recording) that filled
 * @region, in a thread; shows the newest, lists them all newest first, and
 * says what it found of @what ("E_ECAL: 99–100 GeV"). */
void      dqm_inspector_drill_down  (DqmInspector         *inspector,
                                     const DqmDrillRegion *region,
                                     const char           *what);
/* The inspector's last word: searching, not found, a bad file… */
const char *dqm_inspector_get_message (DqmInspector *inspector);
/* Where it stands, for people and tests: "event 3 of 1000 …". */
const char *dqm_inspector_describe  (DqmInspector  *inspector);

/* A search (find, opening a candidate or a recording) runs in its thread. */
gboolean  dqm_inspector_is_searching (DqmInspector *inspector);

G_END_DECLS
