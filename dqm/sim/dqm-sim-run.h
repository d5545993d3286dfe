/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A simulated DAQ run as the sequence of stream-v1 messages the event
 * builder would send: sor, per spill sos / evt… / eos with scalers,
 * heartbeats every second, eor. Time is virtual: each message carries the
 * time it is due, and the caller decides whether to wait for it. */
#pragma once

#include <glib.h>

#include "dqm-setup.h"
#include "dqm-sim.h"
#include "dqm-stream.h"

G_BEGIN_DECLS

typedef enum {
  DQM_CORRUPTION_NONE,
  DQM_CORRUPTION_MAGIC,
  DQM_CORRUPTION_VERSION,
  DQM_CORRUPTION_SIZE_FIELD,
  DQM_CORRUPTION_TRUNCATED,
  DQM_CORRUPTION_TOPIC,
  DQM_CORRUPTION_RESERVED,
  DQM_CORRUPTION_TRIGGER_BITS,
  DQM_CORRUPTION_N_SAMPLES,
  /* These two spoil one SADC record; the event itself stays usable. */
  DQM_CORRUPTION_UNKNOWN_CHANNEL,
  DQM_CORRUPTION_SAMPLE_RANGE,
  DQM_N_CORRUPTIONS
} DqmCorruption;

typedef struct {
  DqmMsgType         type;
  const char        *topic;   /* the type's, unless a corruption changed it */
  guint64            time_ns; /* when the message is due */
  guint              spill;   /* 0 between spills */
  const GByteArray  *body;    /* valid until the next call */
  const DqmEvent    *event;   /* evt: as generated, before any corruption */
  const DqmSimTruth *truth;   /* evt */
  DqmCorruption      corruption;
  double             spill_time_s; /* evt: since the spill's sos */
} DqmSimMessage;

typedef struct _DqmSimRun DqmSimRun;

/* @n_spills 0 runs until stopped. @setup must outlive the run. */
DqmSimRun   *dqm_sim_run_new          (const DqmSetup     *setup,
                                       const DqmSimFaults *faults,
                                       guint32             run,
                                       guint               n_spills,
                                       guint64             seed,
                                       guint64             start_ns);
void         dqm_sim_run_free         (DqmSimRun          *run);
/* FALSE once the eor has been given out. */
gboolean     dqm_sim_run_next         (DqmSimRun          *run,
                                       DqmSimMessage      *message);
/* Skip the events due before @time_ns (a source that was down loses them). */
void         dqm_sim_run_skip_until   (DqmSimRun          *run,
                                       guint64             time_ns);
guint64      dqm_sim_run_events_sent  (DqmSimRun          *run);
/* Beam particles simulated so far (S1·S2 coincidences), recorded or not. */
guint64      dqm_sim_run_beam_particles (DqmSimRun        *run);
gboolean     dqm_corruption_is_fatal  (DqmCorruption       corruption);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSimRun, dqm_sim_run_free)

G_END_DECLS
