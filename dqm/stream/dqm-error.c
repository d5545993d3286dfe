/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DQM_ERROR domain. */
#include "dqm-error.h"

G_DEFINE_QUARK (dqm-error-quark, dqm_error)
