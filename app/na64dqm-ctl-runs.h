/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-ctl runs: the run registry as a table or CSV. */
#pragma once

#include <glib.h>

/* Exit status: 0, 1 when the registry cannot be read, 2 on a bad date. */
int ctl_runs (const char *registry, const char *since, const char *beam, gboolean csv);
/* DATE (2026-12-01) or an ISO 8601 time (2026-12-01T08:00:00+01:00) as the
 * registry writes times (UTC, whole seconds), or NULL. */
char *ctl_runs_since (const char *date);
