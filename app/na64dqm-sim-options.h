/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-sim's command line: the stream's options, the faults, --help and
 * --version. */
#pragma once

#include <glib.h>

#include "dqm-sim-faults.h"

G_BEGIN_DECLS

typedef struct {
  char *bind;         /* owned, like every string here */
  char *config_path;
  char *beam;
  int run;
  int spills;
  double rate;           /* beam particles a second */
  double signal;         /* share of signal-like electrons; NAN: configured */
  double spill_length;
  double spill_gap;
  gint64 seed;
  gint64 start_time;
  char *record;
  char *replay;
  double speed;
  double wait_subscriber;
  gboolean fast;
  gboolean no_publish;
  gboolean quiet;
  DqmSimFaults faults;
} DqmSimOptions;

/* Parses @argv into @options. FALSE when the program should exit at once
 * (--version, or an error said on stderr), with @exit_status to use. */
gboolean dqm_sim_options_parse (DqmSimOptions  *options,
                                int            *argc,
                                char         ***argv,
                                int            *exit_status);
void     dqm_sim_options_clear (DqmSimOptions  *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DqmSimOptions, dqm_sim_options_clear)

G_END_DECLS
