/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From a histogram to its events: which kept events (the inspector's ring,
 * or a recording) put something into a bin, a cell or a drawn region of a
 * histogram, newest first. Each event is reconstructed and filled alone
 * into a book of its own, exactly as the analysis fills its histograms. */
#pragma once

#include <gio/gio.h>

#include "dqm-event-list.h"
#include "dqm-setup.h"

G_BEGIN_DECLS

typedef struct {
  char  histogram[48];   /* as the state names it, "_spill" too; a "_mean" map's
                          * events are those with energy in its cells */
  guint ix0, ix1;        /* bins, 1-based, inclusive (0 and nx + 1: under- and overflow) */
  guint iy0, iy1;        /* the same in y; 0 and 0 for a 1D histogram */
} DqmDrillRegion;

/* @region of @histogram's bin (@ix, @iy) alone. */
void    dqm_drill_region_bin (DqmDrillRegion     *region,
                              const char         *histogram,
                              guint               ix,
                              guint               iy);
/* Indices into @list (guint) of the events that fill @region, newest
 * first, at most @max (0: all). NULL with @error for a histogram that no
 * event fills (unknown, or filled at the ends of spills), or when
 * @cancellable fired. */
GArray *dqm_drill_down       (DqmEventList       *list,
                              const DqmSetup     *setup,
                              const DqmDrillRegion *region,
                              guint               max,
                              GCancellable       *cancellable,
                              GError            **error);

G_END_DECLS
