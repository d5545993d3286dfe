/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NA64 invisible-mode selection as a cut flow, and the particle class
 * of each event. */
#pragma once

#include "dqm-reco.h"

G_BEGIN_DECLS

void     dqm_selection_apply   (const DqmSetup *setup,
                                DqmRecoEvent   *event);
/* Whether @event passes the single step @cut (the cut flow needs all the
 * steps before it too). */
gboolean dqm_selection_passes  (const DqmSetup     *setup,
                                const DqmRecoEvent *event,
                                DqmCut              cut);

G_END_DECLS
