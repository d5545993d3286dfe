/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator as a thread inside another program (the display's --demo):
 * runs one after another, paced in real time, published on an endpoint. */
#pragma once

#include <glib.h>

#include "dqm-setup.h"
#include "dqm-sim.h"

G_BEGIN_DECLS

typedef struct _DqmSimPublisher DqmSimPublisher;

/* @setup must outlive the publisher. @endpoint may end in ":*"; see
 * dqm_sim_publisher_get_endpoint for the one bound. */
DqmSimPublisher *dqm_sim_publisher_start        (const DqmSetup     *setup,
                                                 const DqmSimFaults *faults,
                                                 const char         *endpoint,
                                                 guint               spills_per_run,
                                                 GError            **error);
const char      *dqm_sim_publisher_get_endpoint (DqmSimPublisher    *publisher);
void             dqm_sim_publisher_stop         (DqmSimPublisher    *publisher);

G_END_DECLS
