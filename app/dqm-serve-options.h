/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The service options shared by na64dqm-monitor and na64dqm (--serve and
 * what goes with it), and starting the server from them. */
#pragma once

#include <glib.h>

#include "dqm-elog-writer.h"
#include "dqm-server.h"

G_BEGIN_DECLS

typedef struct {
  char *serve;          /* tcp://HOST:PORT, or NULL: not serving */
  char *keys_dir;
  char *feed_security;  /* curve, allowed, open */
  int   publish_ms;
} DqmServeOptions;

/* The "Service" option group, filling @options. */
GOptionGroup *dqm_serve_option_group (DqmServeOptions  *options);
/* NULL without @error when not asked to serve. */
DqmServer    *dqm_serve_start        (const DqmServeOptions *options,
                                      DqmPipeline      *pipeline,
                                      const char       *snapshot_dir,
                                      DqmRegistry      *registry,
                                      const DqmElogPlace *elog,
                                      gboolean          lower_priority,
                                      GError          **error);
void          dqm_serve_options_clear (DqmServeOptions *options);

G_END_DECLS
