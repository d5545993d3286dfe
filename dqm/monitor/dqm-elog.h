/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An e-log entry: one folder a press of a button, with what the shift saw
 * (the view as PNG and PDF, written by the caller) and a text of the run:
 * when, run, spill, its particles on target, the alarms now and the run's
 * alarm log, the reference, who and why. A site's command may then post
 * it to its logbook. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

/* The entry's text (UTF-8, a line a fact). */
char     *dqm_elog_text  (const DqmState *state,
                          const char     *who,
                          const char     *comment);
/* Makes DIR/elog-YYYYmmddTHHMMSS-runNNNNNN/ (made unique) with entry.txt
 * in it, DIR too when missing; its path, or NULL with @error naming it. */
char     *dqm_elog_begin (const char     *dir,
                          const DqmState *state,
                          const char     *who,
                          const char     *comment,
                          GError        **error);
/* Runs @command (split as a shell would, run without one) with the entry's
 * directory as its last argument, in a thread; how it ended goes to the
 * log. FALSE with @error when @command cannot be parsed. */
gboolean  dqm_elog_post  (const char     *command,
                          const char     *entry,
                          GError        **error);

/* The files the caller writes into the entry. */
#define DQM_ELOG_TEXT "entry.txt"
#define DQM_ELOG_PNG  "view.png"
#define DQM_ELOG_PDF  "view.pdf"

G_END_DECLS
