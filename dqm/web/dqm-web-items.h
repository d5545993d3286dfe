/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live histograms as THttpServer lays them out for JSROOT: folders
 * (ECAL/, HCAL/, Beam/, …) of items, h.json for the hierarchy and
 * FOLDER/NAME/root.json for one object. An item path is resolved only
 * against the histograms the state holds: never the file system. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

/* Alarms/alarm_states: a bin an alarm (labelled by its id), holding its
 * state now (0 OK, 1 WARNING, 2 ALARM), so that JSROOT shows and monitors
 * the alarms as it does histograms. */
DqmHistogram       *dqm_web_alarm_states   (const DqmState  *state);
/* The folder a histogram is listed in. */
const char         *dqm_web_folder_of      (const char     *histogram);
/* h.json: the hierarchy of @histograms (DqmHistogram), under @title;
 * @monitoring_ms: how often JSROOT redraws, 0 for a past run's. */
char               *dqm_web_hierarchy_json (const GPtrArray *histograms,
                                            const char      *title,
                                            guint            monitoring_ms);
/* The histogram of @histograms that "FOLDER/NAME" names, or NULL. */
const DqmHistogram *dqm_web_find_item      (const GPtrArray *histograms,
                                            const char      *item);

G_END_DECLS
