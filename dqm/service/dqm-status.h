/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A state's short summary as JSON, for scripts and dashboards: what the
 * `status` command answers and `na64dqm-ctl status` prints. */
#pragma once

#include <json-glib/json-glib.h>

#include "dqm-registry.h"
#include "dqm-server.h"
#include "dqm-state.h"

G_BEGIN_DECLS

/* run, spill, counters, alarms, and @service and @registry (how its
 * writing goes) when not NULL. */
JsonNode *dqm_status_to_json (const DqmState          *state,
                              const DqmServerCounters *service,
                              const DqmRegistryStatus *registry);

G_END_DECLS
