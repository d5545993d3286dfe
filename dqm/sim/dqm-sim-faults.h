/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The faults the simulator can inject, each one the DQM must catch, and
 * their command-line form. */
#pragma once

#include <glib.h>

#include "dqm-channel.h"

G_BEGIN_DECLS

typedef struct {
  guint    first_spill;                          /* faults act from this spill on */
  gboolean dead[DQM_N_CHANNELS];                 /* by slot: no signal, pedestal only */
  gboolean hot[DQM_N_CHANNELS];                  /* by slot: spurious large pulses */
  double   pedestal_drift[DQM_N_CHANNELS];       /* by slot: ADC counts per spill */
  double   veto_efficiency[DQM_VETO_COUNTERS];   /* < 0: as configured */
  double   veto_noise[DQM_VETO_COUNTERS];        /* < 0: as configured */
  double   hadron_fraction;                      /* < 0: as configured */
  gboolean srd_off;
  double   corrupt_fraction;                     /* of evt bodies */
  double   trigger_loss;                         /* physics triggers the logic misses */
  /* The PMT effect of high intensity: the aimed ECAL cell's gain sags by
   * this share at the start of a spill of nominal intensity, in
   * proportion to the spill's intensity, recovering over ecal_sag_s. */
  double   ecal_sag;
  double   ecal_sag_s;
  double   gain_drift[DQM_N_CHANNELS];           /* by slot: relative gain change a spill */
  guint    stall_spill;                          /* 0: none */
  double   stall_s;
  guint    restart_spill;                        /* 0: none */
} DqmSimFaults;

void         dqm_sim_faults_init      (DqmSimFaults *faults);
/* One fault from its command-line form, e.g. ("dead-channel", "ecal-main:3,3"),
 * ("pedestal-drift", "hcal0:1,1:8"), ("veto-inefficiency", "1:0.5"),
 * ("stall", "2:8"), ("trigger-loss", "0.5"),
 * ("ecal-sag", "0.1"), ("gain-drift", "hcal0:1,1:-0.02"). See na64dqm-sim --help. */
gboolean     dqm_sim_faults_parse     (DqmSimFaults *faults,
                                       const char   *kind,
                                       const char   *value,
                                       GError      **error);

G_END_DECLS
