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

/* What happened to a beam particle: the physics behind a trigger. */
typedef enum {
  DQM_PROCESS_NONE,            /* no beam particle: random or LED trigger */
  DQM_PROCESS_SHOWER,          /* electron: an ordinary shower in the ECAL */
  DQM_PROCESS_TAIL,            /* electron of the beam line's bremsstrahlung tail */
  DQM_PROCESS_ELECTRONUCLEAR,  /* electron: hadrons share the energy with the HCAL */
  DQM_PROCESS_SIGNAL,          /* electron: missing energy, put in on purpose */
  DQM_PROCESS_HADRON_SHOWER,   /* hadron interacting in the ECAL */
  DQM_PROCESS_CHARGE_EXCHANGE, /* hadron: π⁻p → π⁰n, an electromagnetic shower */
  DQM_PROCESS_PUNCH_THROUGH,   /* hadron crossing the ECAL, showering in the HCAL */
  DQM_PROCESS_MUON,            /* a MIP through everything */
  DQM_PROCESS_DECAY,           /* hadron decayed in flight: a softer muon */
  DQM_PROCESS_UPSTREAM,        /* interaction upstream: large-angle hadrons */
  DQM_N_PROCESSES
} DqmSimProcess;

/* One beam particle at the level of detector modules: what the trigger
 * looks at first (dqm_sim_beam_particle), the rest once it is recorded. */
typedef struct {
  DqmParticle   particle;
  DqmSimProcess process;
  double   energy_gev;          /* arriving at the ECAL */
  double   momentum_gev;        /* as the trackers measure it */
  double   x_mm, y_mm;          /* at the ECAL face, from its centre */
  double   ps_gev, main_gev;    /* deposited in the preshower, main section */
  double   ecal_scale;          /* resolution: ADC-encoded / deposited */
  double   hcal_in_gev;         /* leaving the ECAL into the HCAL */
  double   width_scale;         /* lateral spread against an electron's */
  gboolean upstream_veto[DQM_UPSTREAM_VETOES];
  gboolean complete;            /* the fields below are drawn */
  double   hcal_gev[DQM_HCAL_MODULES];
  double   veto_mips[DQM_VETO_COUNTERS];
  double   srd_mev[DQM_SRD_MODULES];
  double   dt_ns;               /* arrival against the triggering particle */
} DqmSimParticle;

typedef struct {
  DqmParticle particle;
  DqmSimProcess process;
  guint32  trigger;
  gboolean signal_like;      /* missing-energy event put in on purpose */
  gboolean low_energy_tail;
  gboolean pileup;           /* other particles in the readout window */
  guint    n_pileup;
  gboolean pileup_in_gate;   /* one of them within the trigger gate */
  double   energy_gev;       /* of the triggering particle, at the ECAL */
  double   momentum_gev;     /* as the trackers see it */
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
/* Where in the spill the next events are made and at which intensity
 * (beam particles a second): pile-up and intensity effects follow them.
 * Until told, late in a spill at the configured rate. */
void         dqm_sim_set_conditions   (DqmSim             *sim,
                                       guint               spill,
                                       double              time_in_spill_s,
                                       double              intensity_hz);
/* One beam particle from the beam composition: its kind, energy, process
 * and what the physics trigger looks at. Cheap: most are never recorded. */
void         dqm_sim_beam_particle    (DqmSim             *sim,
                                       DqmSimParticle     *particle);
/* Whether @particle alone satisfies the physics trigger. */
gboolean     dqm_sim_physics_condition (const DqmSim       *sim,
                                        const DqmSimParticle *particle);
/* Draws the particles sharing @particle's readout window and decides the
 * trigger: physics (with those in the gate), beam when @prescaled. The
 * bits that fire; 0 when none. The event stays for dqm_sim_record. */
guint32      dqm_sim_trigger          (DqmSim             *sim,
                                       const DqmSimParticle *particle,
                                       gboolean            prescaled);
/* Synthesises the event the last dqm_sim_trigger decided, read out with
 * the bits @trigger: SADC records, strip hits, n_samples, trigger; the
 * caller numbers it and stamps its time. */
void         dqm_sim_record           (DqmSim             *sim,
                                       guint32             trigger,
                                       DqmEvent           *event,
                                       DqmSimTruth        *truth);
/* An event with the trigger bits @trigger whatever the trigger logic
 * would say: a random or LED trigger has no beam particle; any other a
 * particle from the beam composition with its pile-up. */
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
/* The gain of a channel's readout against nominal (faults change it). */
double       dqm_sim_gain             (const DqmSim       *sim,
                                       guint               slot);
/* The LED amplitude a channel sees at nominal gain, ADC counts (0: none). */
double       dqm_sim_led_counts       (const DqmSim       *sim,
                                       guint               slot);
const char  *dqm_sim_process_name     (DqmSimProcess       process);
DqmRandom   *dqm_sim_get_random       (DqmSim             *sim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSim, dqm_sim_free)

G_END_DECLS
