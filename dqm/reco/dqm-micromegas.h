/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Micromegas clusters per plane and the beam momentum from the deflection
 * between the upstream (MM1–MM4) and downstream (MM5–MM8) stations. */
#pragma once

#include "dqm-reco.h"

G_BEGIN_DECLS

typedef struct _DqmMicromegas DqmMicromegas;

DqmMicromegas *dqm_micromegas_new   (const DqmSetup *setup);
void         dqm_micromegas_free  (DqmMicromegas    *tracking);
void         dqm_micromegas_event (DqmMicromegas    *tracking,
                                 const DqmEvent *event,
                                 DqmRecoEvent   *out);

/* The straight line x = slope·z + intercept through @n points by least
 * squares; with z in m and x in mm the slope is in mrad. */
gboolean     dqm_micromegas_fit_line (const double *z,
                                    const double *x,
                                    guint         n,
                                    double       *slope,
                                    double       *intercept);
/* A strip counts in a cluster above this middle-sample amplitude, ADC. */
#define DQM_STRIP_THRESHOLD 30

G_END_DECLS
