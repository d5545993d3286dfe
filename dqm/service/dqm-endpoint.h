/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The service's two endpoints from one: tcp://HOST:PORT is the feed at
 * PORT and the commands at PORT + 1; and whether an endpoint stays on
 * this machine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_SERVICE_DEFAULT_BASE "tcp://127.0.0.1:5556"

/* FALSE with @error when @base is not tcp://HOST:PORT (PORT < 65535). */
gboolean dqm_endpoint_split       (const char  *base,
                                   char       **feed,
                                   char       **commands,
                                   GError     **error);
/* ipc://, inproc://, tcp:// on 127.0.0.0/8, [::1] or localhost. */
gboolean dqm_endpoint_is_loopback (const char  *endpoint);

G_END_DECLS
