/* Micromegas clusters per plane and the beam momentum from the deflection
 * between the upstream (MM1–MM4) and downstream (MM5–MM8) stations. */
#pragma once

#include "dqm-reco.h"

G_BEGIN_DECLS

typedef struct _DqmTracking DqmTracking;

DqmTracking *dqm_tracking_new   (const DqmSetup *setup);
void         dqm_tracking_free  (DqmTracking    *tracking);
void         dqm_tracking_event (DqmTracking    *tracking,
                                 const DqmEvent *event,
                                 DqmRecoEvent   *out);

G_END_DECLS
