/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Histograms in the JSON layout of ROOT's TBufferJSON: a TList of TH1D and
 * TH2D that JSROOT's parse() reads and draws, and ROOT's TBufferJSON::
 * FromJSON too. Also reads such a list back (reference snapshots). */
#pragma once

#include <glib.h>

#include "dqm-histogram.h"

G_BEGIN_DECLS

/* Returns the JSON text of a TList holding @histograms (DqmHistogram). */
char      *dqm_root_json_write (GPtrArray   *histograms);
/* One TH1D or TH2D, as THttpServer's ITEM/root.json serves it. */
char      *dqm_root_json_write_histogram (const DqmHistogram *histogram);
/* The TH1D/TH2D of such a TList, as DqmHistogram; other objects skipped. */
GPtrArray *dqm_root_json_read  (const char  *text,
                                gssize       length,
                                GError     **error);

G_END_DECLS
