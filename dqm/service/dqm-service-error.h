/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What can go wrong between the monitor and its viewers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_SERVICE_ERROR (dqm_service_error_quark ())

typedef enum {
  DQM_SERVICE_ERROR_FORMAT,    /* a message that is not state-v1 or a command */
  DQM_SERVICE_ERROR_GAP,       /* an update that does not follow the one held */
  DQM_SERVICE_ERROR_REFUSED,   /* the monitor said no */
  DQM_SERVICE_ERROR_TIMEOUT,   /* the monitor did not answer */
  DQM_SERVICE_ERROR_TRANSPORT, /* ZeroMQ could not bind, connect or send */
  DQM_SERVICE_ERROR_KEYS,      /* a key file missing or malformed, an insecure bind */
} DqmServiceErrorCode;

GQuark dqm_service_error_quark (void);

G_END_DECLS
