/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web view's options shared by na64dqm-monitor and na64dqm (--http and
 * what goes with it), and starting the web view from them. */
#pragma once

#include <glib.h>

#include "dqm-pipeline.h"
#include "dqm-web-server.h"

G_BEGIN_DECLS

typedef struct {
  char    *http;       /* ADDRESS:PORT, or NULL: no web view */
  gboolean insecure;
  char    *certificate, *key, *passwords;
} DqmWebViewOptions;

/* Adds --http, --http-insecure, --http-cert, --http-key and --http-passwords
 * to @context's main options, filling @options. */
void          dqm_web_view_add_options   (GOptionContext          *context,
                                          DqmWebViewOptions       *options);
/* NULL without @error when not asked for; says where it serves (prefixed
 * with @program) and warns when it is insecure. @registry (or NULL): its
 * writing in status.json. */
DqmWebServer *dqm_web_view_start         (const DqmWebViewOptions *options,
                                          DqmPipeline             *pipeline,
                                          const char              *snapshot_dir,
                                          DqmRegistry             *registry,
                                          const char              *program,
                                          GError                 **error);
void          dqm_web_view_options_clear (DqmWebViewOptions       *options);

G_END_DECLS
