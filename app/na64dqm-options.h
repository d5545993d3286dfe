/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm's command line: what to watch (a stream, the embedded simulator
 * and its faults, a recording), --help and --version. */
#pragma once

#include <glib.h>

#include "dqm-serve-options.h"
#include "dqm-sim-faults.h"
#include "dqm-web-options.h"

G_BEGIN_DECLS

typedef struct {
  char         *endpoint;      /* NULL: DQM_DEFAULT_ENDPOINT */
  char         *config_path;
  char         *snapshot_dir;
  char         *registry;      /* --registry: NULL, the snapshot directory's */
  DqmElogPlace  elog;          /* --elog-dir (NULL: SNAPSHOT_DIR/elog), --elog-command */
  gboolean      demo;
  gboolean      standalone;
  char        **files;         /* a recording to browse, first one used */
  char        **demo_faults;   /* KIND=VALUE, as given */
  DqmSimFaults  faults;        /* the same, parsed */
  char         *attach;        /* a monitor's service to watch instead of analysing */
  char         *client_key;    /* with --attach: this display's key pair */
  char         *monitor_key;   /* with --attach: the monitor's public key */
  DqmServeOptions service;     /* --serve: an in-process analysis serves others */
  DqmWebViewOptions web;       /* --http: … and browsers */
} DqmDisplayOptions;

/* Parses @argv into @options. FALSE when the program should exit at once
 * (--version, or an error said on stderr), with @exit_status to use. */
gboolean dqm_display_options_parse (DqmDisplayOptions  *options,
                                    int                *argc,
                                    char             ***argv,
                                    int                *exit_status);
void     dqm_display_options_clear (DqmDisplayOptions  *options);

G_END_DECLS
