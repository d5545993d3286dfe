/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the two halves of dqm_setup_load: the detector and beam groups
 * (dqm-setup.c) and the analysis groups (dqm-setup-analysis.c). */
#pragma once

#include "dqm-setup.h"

G_BEGIN_DECLS

/* The reconstruction, selection, alarm and DQM groups. */
gboolean dqm_setup_load_analysis (DqmConfig  *config,
                                  DqmSetup   *setup,
                                  GError    **error);

G_END_DECLS
