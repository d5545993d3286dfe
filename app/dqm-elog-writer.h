/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a program writes its e-log entries (--elog-dir, --elog-command),
 * and an entry written for a command that came over the service: the text
 * at once, the wall's plots as view.png and view.pdf and the site's
 * command from a thread, so the service is not held up. */
#pragma once

#include <glib.h>

#include "dqm-elog.h"
#include "dqm-state.h"

G_BEGIN_DECLS

typedef struct {
  char *dir;       /* NULL: no entries */
  char *command;   /* NULL: none run */
} DqmElogPlace;

/* A DqmServerOptions.elog, @place a DqmElogPlace. */
char *dqm_elog_write_for_service (const DqmState *state,
                                  const char     *who,
                                  const char     *comment,
                                  gpointer        place,
                                  GError        **error);

G_END_DECLS
