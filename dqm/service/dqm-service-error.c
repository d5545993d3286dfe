/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dqm-service-error.h"

G_DEFINE_QUARK (dqm-service-error-quark, dqm_service_error)
