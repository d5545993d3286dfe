/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-monitor's command line: the options, their checks, --help and
 * --version. */
#pragma once

#include <glib.h>

#include "dqm-serve-options.h"
#include "dqm-web-options.h"

G_BEGIN_DECLS

typedef struct {
  char    *endpoint;      /* NULL: DQM_DEFAULT_ENDPOINT */
  char    *input;         /* a recording to read instead */
  char    *snapshot_dir;
  char    *config_path;
  char    *reference_dir;
  char    *registry;      /* NULL: SNAPSHOT_DIR/registry.sqlite, or none */
  DqmElogPlace elog;      /* --elog-dir (NULL: SNAPSHOT_DIR/elog, or none), --elog-command */
  double   stall_seconds;
  int      queue;
  gboolean until_eor;
  gboolean quiet;
  DqmServeOptions service;
  DqmWebViewOptions web;
} DqmMonitorOptions;

/* Parses @argv into @options. FALSE when the program should exit at once
 * (--version, or an error said on stderr), with @exit_status to use. */
gboolean dqm_monitor_options_parse (DqmMonitorOptions  *options,
                                    int                *argc,
                                    char             ***argv,
                                    int                *exit_status);
void     dqm_monitor_options_clear (DqmMonitorOptions  *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DqmMonitorOptions, dqm_monitor_options_clear)

G_END_DECLS
