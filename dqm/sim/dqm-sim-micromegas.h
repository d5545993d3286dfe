/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated Micromegas MM1–MM8 strip hits: a straight track upstream, bent
 * by the magnets, straight again downstream, plus noise hits. */
#pragma once

#include "dqm-random.h"
#include "dqm-setup.h"
#include "dqm-stream.h"

G_BEGIN_DECLS

/* Position a particle of momentum @p_gev crosses station @station at, mm, in
 * the station's own frame (downstream stations sit on the nominal bent
 * trajectory of the beam momentum). */
double dqm_sim_micromegas_offset_mm (const DqmSetup *setup,
                                  guint           station,
                                  double          p_gev);
void   dqm_sim_micromegas_track     (const DqmSetup *setup,
                                  DqmRandom      *rng,
                                  double          p_gev,
                                  DqmEvent       *event);
void   dqm_sim_micromegas_noise     (const DqmSetup *setup,
                                  DqmRandom      *rng,
                                  DqmEvent       *event);

G_END_DECLS
