/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live histograms as THttpServer lays them out for JSROOT: folders
 * (ECAL/, HCAL/, Beam/, …) of items, h.json for the hierarchy and
 * FOLDER/NAME/root.json for one object. An item path is resolved only
 * against the histograms the state holds: never the file system. */
#pragma once

#include <glib.h>

#include "dqm-histogram.h"

G_BEGIN_DECLS

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
