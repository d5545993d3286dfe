/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error domain for what a user can get wrong: a bad argument, file or
 * configuration. Stream decoding has its own domain (dqm-stream.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_ERROR (dqm_error_quark ())

typedef enum {
  DQM_ERROR_INVALID_ARGUMENT,
  DQM_ERROR_CONFIG,
  DQM_ERROR_FILE_FORMAT,
  DQM_ERROR_TRUNCATED,
  DQM_ERROR_TRANSPORT,
} DqmErrorCode;

GQuark dqm_error_quark (void);

G_END_DECLS
