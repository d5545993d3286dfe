/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The standard DQM histograms (na64-facts.md "Standard histograms"), in two
 * scopes: the whole run and the current spill. Filled from reconstructed
 * events; maps of mean energy are derived when a copy is taken. */
#pragma once

#include <glib.h>

#include "dqm-histogram.h"
#include "dqm-reco.h"

G_BEGIN_DECLS

typedef enum {
  DQM_SCOPE_RUN,
  DQM_SCOPE_SPILL,
  DQM_N_SCOPES
} DqmScope;

typedef struct _DqmBook DqmBook;

DqmBook      *dqm_book_new           (const DqmSetup      *setup);
void          dqm_book_free          (DqmBook             *book);
void          dqm_book_fill          (DqmBook             *book,
                                      const DqmRecoEvent  *event);
/* A per-channel histogram (pedestal_even, pedestal_odd, led_amplitude)
 * after a spill, by slot; NAN leaves a channel's value as it was. */
void          dqm_book_set_channels  (DqmBook             *book,
                                      const char          *name,
                                      const double        *by_slot);
/* The aimed ECAL cell's energy of a beam-trigger electron at its time. */
void          dqm_book_fill_central_cell (DqmBook         *book,
                                      double               time_in_spill_s,
                                      double               gev);
/* A per-spill value in a history histogram (x = spill number). */
void          dqm_book_set_history   (DqmBook             *book,
                                      const char          *name,
                                      guint                spill,
                                      double               value);
void          dqm_book_reset         (DqmBook             *book,
                                      DqmScope             scope);
/* Clears one histogram by its full name ("_spill" for the spill scope); a
 * cell map's mean and occupancy are cleared together. FALSE if unknown. */
gboolean      dqm_book_reset_histogram (DqmBook           *book,
                                      const char          *name);
/* Copies of every histogram of @scope, with derived maps; names of the
 * spill scope end in "_spill". */
GPtrArray    *dqm_book_copy          (DqmBook             *book,
                                      DqmScope             scope);
DqmHistogram *dqm_book_get           (DqmBook             *book,
                                      DqmScope             scope,
                                      const char          *name);
/* What an event fills behind @name: the histogram itself, or for a cell
 * map's mean the energy sums it is derived from (per event: the mean's
 * cells change with every event counted). */
DqmHistogram *dqm_book_get_filled    (DqmBook             *book,
                                      DqmScope             scope,
                                      const char          *name);
/* Names of the per-spill histories (x = spill). */
const char * const *dqm_book_history_names (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmBook, dqm_book_free)

/* Every histogram's contents, for a checkpoint, and back. Restoring needs
 * a book of the same setup; histograms it does not know are skipped. */
#define DQM_BOOK_SAVED_TYPE "(aa(sdsad)aa(sdsad)ada(sdsad))"
GVariant     *dqm_book_save           (const DqmBook       *book);
void          dqm_book_restore        (DqmBook             *book,
                                       GVariant            *saved);

G_END_DECLS
