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
/* Whether @command splits as a shell would split it (it is then run
 * without one); its words into @argv (may be NULL). */
gboolean  dqm_elog_check_command (const char *command,
                                  char     ***argv,
                                  GError    **error);
/* Draws the pictures into @entry from @data, on the one worker that
 * finishes entries in turn. */
typedef void (*DqmElogDrawFunc) (const char *entry, gpointer data);
/* Later, on that worker: @draw (may be NULL), then @command (may be NULL)
 * with the entry's directory as its last argument, stdin /dev/null, for at
 * most DQM_ELOG_COMMAND_TIMEOUT_S; how it ended goes to the log. */
#define DQM_ELOG_COMMAND_TIMEOUT_S 60
void      dqm_elog_finish_later  (const char     *entry,
                                  DqmElogDrawFunc draw,
                                  gpointer        data,
                                  GDestroyNotify  free_data,
                                  const char     *command);
/* Waits up to @timeout_s for the entries being finished: before an exit.
 * FALSE when some are still under way. */
gboolean  dqm_elog_wait          (double          timeout_s);

/* The files the caller writes into the entry. */
#define DQM_ELOG_TEXT "entry.txt"
#define DQM_ELOG_PNG  "view.png"
#define DQM_ELOG_PDF  "view.pdf"

G_END_DECLS
