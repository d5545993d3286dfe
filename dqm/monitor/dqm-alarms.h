/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shift crew's alarms: each OK / WARNING / ALARM against limits from
 * the configuration, escalating at once, clearing only after good spills
 * beyond a hysteresis margin (no flapping), latched until acknowledged, and
 * logged with their times. Beam purity and the VETO come first. */
#pragma once

#include <glib.h>

#include "dqm-reference.h"
#include "dqm-setup.h"
#include "dqm-spill-stats.h"

G_BEGIN_DECLS

#define DQM_ALARM_TREND 30 /* spills of history on each alarm */
#define DQM_ALARM_WHO_MAX 40       /* bytes of the name given with an acknowledgement */
#define DQM_ALARM_COMMENT_MAX 200  /* bytes of its comment */

typedef enum {
  DQM_ALARM_OK,
  DQM_ALARM_WARNING,
  DQM_ALARM_ALARM,
} DqmAlarmState;

typedef struct {
  char          id[32];       /* stable, e.g. "beam-purity", "veto-efficiency-1" */
  char          title[64];    /* for people */
  char          unit[16];
  gboolean      below;        /* bad when the value falls under the limits */
  DqmLimits     limits;
  DqmAlarmState state;        /* now, with hysteresis */
  DqmAlarmState latched;      /* the worst since the last acknowledgement */
  gboolean      unacknowledged;
  gboolean      have_value;
  double        value;
  char          detail[160];  /* e.g. the channels concerned */
  guint         good_streak;
  guint         n_trend;
  double        trend[DQM_ALARM_TREND];
} DqmAlarm;

typedef struct {
  gint64        time_us;      /* wall clock, µs since the epoch */
  char          id[32];
  DqmAlarmState from, to;
  double        value;
  char          text[200];
  /* An acknowledgement (from = to = the state then): by whom, and why. */
  gboolean      acknowledgement;
  char          who[DQM_ALARM_WHO_MAX + sizeof " (key )" + 64];
  char          comment[DQM_ALARM_COMMENT_MAX + 1];
} DqmAlarmLogEntry;

typedef struct _DqmAlarms DqmAlarms;

DqmAlarms      *dqm_alarms_new          (const DqmSetup        *setup);
void            dqm_alarms_free         (DqmAlarms             *alarms);
/* Judges a finished spill, from its summary and its channels. */
void            dqm_alarms_spill        (DqmAlarms              *alarms,
                                         const DqmSpillSummary  *summary,
                                         const DqmSpillChannels *channels,
                                         gint64                  now_us);
/* The stream alarm, judged continuously: ALARM while stalled, WARNING
 * while the connection is down in a run (the source restarting). */
void            dqm_alarms_stream       (DqmAlarms             *alarms,
                                         gboolean               stalled,
                                         gboolean               disconnected,
                                         double                 silent_seconds,
                                         gint64                 now_us);
/* Events dropped by the pipeline against those analysed over the last few
 * seconds: judged as it happens, not at the end of a spill. */
void            dqm_alarms_dropped      (DqmAlarms             *alarms,
                                         guint64                dropped,
                                         guint64                analysed,
                                         gint64                 now_us);
/* The shape comparison with a reference (DqmReferenceResult). */
void            dqm_alarms_reference    (DqmAlarms             *alarms,
                                         const GArray          *results,
                                         gint64                 now_us);
/* @id NULL acknowledges every alarm; each acknowledged one is logged
 * with @who and @comment (either may be NULL). Returns how many were. */
guint           dqm_alarms_acknowledge  (DqmAlarms             *alarms,
                                         const char            *id,
                                         const char            *who,
                                         const char            *comment,
                                         gint64                 now_us);
guint           dqm_alarms_count        (const DqmAlarms       *alarms);
const DqmAlarm *dqm_alarms_get          (const DqmAlarms       *alarms,
                                         guint                  index);
const DqmAlarm *dqm_alarms_find         (const DqmAlarms       *alarms,
                                         const char            *id);
const GArray   *dqm_alarms_log          (const DqmAlarms       *alarms);
DqmAlarmState   dqm_alarms_worst        (const DqmAlarms       *alarms);
const char     *dqm_alarm_state_name    (DqmAlarmState          state);
/* States, latches, acknowledgements, trends, the log and the run's
 * references, for a checkpoint, and back (alarms of the same setup). */
#define DQM_ALARMS_SAVED_TYPE "(ayaybdayay)"
GVariant       *dqm_alarms_save         (const DqmAlarms       *alarms);
gboolean        dqm_alarms_restore      (DqmAlarms             *alarms,
                                         GVariant              *saved);

typedef enum {
  DQM_CHANNEL_FINE,
  DQM_CHANNEL_DEAD,
  DQM_CHANNEL_HOT,
} DqmChannelProblem;

/* What the last judged spill said of each channel (by slot). */
DqmChannelProblem dqm_alarms_channel_problem (const DqmAlarms *alarms,
                                              guint            slot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmAlarms, dqm_alarms_free)

G_END_DECLS
