/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry's rows (docs/registry.md), made from the monitor's state:
 * a run, its spills, its alarm-log lines; and the run's automatic verdict
 * from the alarms it raised and for how long. Plain data, no SQLite. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

#define DQM_REGISTRY_TIME 32 /* "2026-12-02T16:52:11Z", or with microseconds */

typedef struct {
  guint32 run;
  char    beam[8];              /* e-, e+, mu-, pi-, ? */
  double  beam_energy_gev;
  char    setup_tag[DQM_MAX_TAG + 1];
  char    start_time[DQM_REGISTRY_TIME], end_time[DQM_REGISTRY_TIME]; /* "" when unknown */
  guint64 events, candidates;
  char    quality[8];           /* good, warning, bad */
  char    quality_reason[160];
  /* Read back only: the sums of its spills, and what a shifter said. */
  guint   spills;
  guint64 beam_counts, physics_triggers;
  char    shifter_flag[8];      /* "", good, bad */
  char    comment[201];
  char    snapshot[512];
  /* Over its spills, weighted by their events; NAN when not measured. */
  double  purity;
  double  veto_efficiency;      /* the worst counter's */
} DqmRegistryRun;

typedef struct {
  guint32  run, spill;
  char     time[DQM_REGISTRY_TIME]; /* its start */
  gboolean complete;
  guint64  beam_counts, triggers, events, physics_events, dropped, bad, lost;
  double   purity, hadron_share, trigger_rate_hz;   /* NAN: not measured */
  double   veto_efficiency[DQM_VETO_COUNTERS], veto_noise[DQM_VETO_COUNTERS];
  double   pedestal_drift_adc;
} DqmRegistrySpill;

typedef struct {
  guint32       run;
  gint64        time_us;         /* wall clock */
  char          alarm[32];
  DqmAlarmState from, to;
  gboolean      acknowledgement;
  char          who[41], comment[201];
} DqmRegistryAlarm;

/* Seconds since the epoch (UTC) as the registry writes them: whole
 * seconds, or with six decimals when @fraction. */
void        dqm_registry_time         (gint64                  us,
                                       gboolean                fraction,
                                       char                    out[DQM_REGISTRY_TIME]);
void        dqm_registry_run_of       (const DqmState         *state,
                                       DqmRegistryRun         *run);
void        dqm_registry_spill_of     (const DqmSpillSummary  *summary,
                                       DqmRegistrySpill       *spill);
void        dqm_registry_alarm_of     (guint32                 run,
                                       const DqmAlarmLogEntry *entry,
                                       DqmRegistryAlarm       *alarm);

/* The automatic verdict on a run that lasted from @start_us to @end_us
 * (wall clock), from its alarm-log lines (in time order; each alarm OK
 * before its first line unless that line says it came from worse): "bad"
 * when one alarm stayed at ALARM for DQM_REGISTRY_BAD_S or a tenth of the
 * run, "warning" when one stayed at WARNING or worse DQM_REGISTRY_WARNING_S,
 * else "good". @why says which alarm, and how long. */
#define DQM_REGISTRY_BAD_S      60
#define DQM_REGISTRY_BAD_SHARE  0.1
#define DQM_REGISTRY_WARNING_S  30
const char *dqm_registry_verdict      (const DqmRegistryAlarm *log,
                                       guint                   n,
                                       gint64                  start_us,
                                       gint64                  end_us,
                                       char                   *why,
                                       gsize                   why_size);

G_END_DECLS
