/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live histograms as THttpServer lays them out for JSROOT: folders
 * (ECAL/, HCAL/, Beam/, …) of items, h.json for the hierarchy and
 * FOLDER/NAME/root.json for one object. An item path is resolved only
 * against the histograms the state holds: never the file system. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

/* The folder a histogram is listed in. */
const char         *dqm_web_folder_of      (const char     *histogram);
/* h.json: the hierarchy of @state's histograms. */
char               *dqm_web_hierarchy_json (const DqmState *state);
/* The histogram that "FOLDER/NAME" names in @state, or NULL. */
const DqmHistogram *dqm_web_find_item      (const DqmState *state,
                                            const char     *item);

G_END_DECLS
