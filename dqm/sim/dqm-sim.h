/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NA64 detector simulator: one triggered event at a time, from a beam
 * particle (or none, for a random trigger) to MSADC waveforms and Micromegas
 * strip hits, with the truth kept beside it so reconstruction can be
 * checked. Faults that the DQM must catch are injected here. */
#pragma once

#include <glib.h>

#include "dqm-channel.h"
#include "dqm-random.h"
#include "dqm-setup.h"
#include "dqm-sim-faults.h"
#include "dqm-stream.h"

G_BEGIN_DECLS

typedef struct {
  DqmParticle particle;
  guint32  trigger;
  gboolean signal_like;      /* missing-energy event put in on purpose */
  gboolean low_energy_tail;
  gboolean pileup;           /* a second particle in the readout window */
  double   energy_gev;       /* of the triggering particle = its momentum */
  double   ecal_ps_gev;      /* deposited in the preshower */
  double   ecal_main_gev;    /* deposited in the main section */
  double   ecal_gev;         /* as the ADCs encode it (resolution applied) */
  double   hcal_gev[DQM_HCAL_MODULES];
  double   veto_gev[DQM_VETO_COUNTERS];
  double   srd_mev[DQM_SRD_MODULES];
  double   impact_x_mm, impact_y_mm; /* at the ECAL face, from its centre */
} DqmSimTruth;

typedef struct _DqmSim DqmSim;

DqmSim      *dqm_sim_new              (const DqmSetup     *setup,
                                       const DqmSimFaults *faults,
                                       guint64             seed);
void         dqm_sim_free             (DqmSim             *sim);
/* Chooses the particle from the beam composition, or none for a random
 * trigger, and fills the payload of @event (SADC records, strip hits,
 * n_samples, trigger); the caller numbers it and stamps its time. */
void         dqm_sim_generate         (DqmSim             *sim,
                                       guint               spill,
                                       guint32             trigger,
                                       DqmEvent           *event,
                                       DqmSimTruth        *truth);
/* The same, for a given particle (tests close the loop on one kind). */
void         dqm_sim_generate_particle (DqmSim            *sim,
                                        guint              spill,
                                        guint32            trigger,
                                        DqmParticle        particle,
                                        DqmEvent          *event,
                                        DqmSimTruth       *truth);
/* The even (0) and odd (1) ADC pedestal the simulator gives a channel. */
double       dqm_sim_pedestal         (const DqmSim       *sim,
                                       guint               channel,
                                       guint               parity,
                                       guint               spill);
DqmRandom   *dqm_sim_get_random       (DqmSim             *sim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSim, dqm_sim_free)

G_END_DECLS
