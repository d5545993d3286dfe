/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An immutable, reference-counted picture of the DQM at one moment: run,
 * stream counters, histograms, spill summaries, alarms and their log,
 * signal-box candidates. Made by the analysis thread, read by anyone. */
#pragma once

#include <glib.h>

#include "dqm-alarms.h"
#include "dqm-histogram.h"
#include "dqm-spill-stats.h"
#include "dqm-stream-counters.h"

G_BEGIN_DECLS

typedef struct {
  guint32  run;
  gboolean saw_sor;
  DqmBeam  beam;
  guint    beam_energy_gev;
  char     tag[DQM_MAX_TAG + 1];
  guint64  start_ns, end_ns;  /* stream time of the first and last message */
  gboolean ended;
  gboolean ended_by_eor;
  guint64  events_sent;       /* from the eor, when there was one */
  guint64  events_after_eos;  /* came after their spill's eos: in the run, in no spill */
  guint64  events;            /* analysed in this run (events_processed counts the monitor's life) */
  /* Taken up from a checkpoint after the monitor was restarted mid-run. */
  gboolean resumed;
  guint32  resumed_after_spill;  /* the last spill the checkpoint held whole */
  guint64  events_in_gap;        /* event ids between the checkpoint and the restart */
} DqmRunInfo;

typedef struct {
  guint32 run, spill;
  guint64 event_id, time_ns;
  double  ecal_gev, hcal_gev, ps_gev, momentum_gev, veto_sum_gev, srd_sum_mev;
} DqmCandidate;

/* One spill in the rate history that spans runs (the last hours). */
typedef struct {
  guint32 run, spill;
  guint64 end_ns;
  double  events, trigger_rate_hz, beam_counts, triggers;
  double  purity, hadron_share;  /* NAN when not measured */
} DqmHistoryPoint;

typedef struct {
  DqmRunInfo        run;
  guint32           spill;
  gboolean          in_spill;
  char              source[256];
  DqmStreamState    stream_state;
  gboolean          connected;
  DqmStreamCounters counters;
  char              last_error[256];  /* the latest bad message, for people */
  guint64           events_processed;
  guint64           events_dropped;   /* by the pipeline, when behind */
  double            event_rate_hz;    /* processed, over the last second or so */
  gint64            last_event_us;    /* monotonic; 0 before any */
  GPtrArray        *histograms;       /* DqmHistogram: run scope, then spill scope */
  GPtrArray        *spills;           /* DqmSpillSummary (shared, immutable) */
  guint             n_alarms;
  DqmAlarm         *alarms;
  GArray           *alarm_log;        /* DqmAlarmLogEntry */
  GArray           *candidates;       /* DqmCandidate, the newest [dqm] candidates_kept */
  guint64           candidates_total; /* of the run: more than listed when it outgrew the list */
  GArray           *history;          /* DqmHistoryPoint, oldest first, across runs */
  GArray           *reference_results; /* DqmReferenceResult; NULL without a reference */
  char              reference_label[200]; /* which run, and why it was chosen; "" without */
  GPtrArray        *reference_histograms; /* its DqmHistogram (shared, read only); NULL without */
  gint64            made_us;          /* wall clock */
  /* What plots overlay: the signal box and the aimed ECAL cell. */
  double            box_ecal_max_gev, box_hcal_max_gev;
  guint             beam_cell_x, beam_cell_y;
  DqmChannelProblem channel_problem[DQM_N_CHANNELS]; /* by slot */
  /* Snapshots: how many were written, and the last error, if any. */
  guint64           snapshots_written;
  guint             snapshots_pending; /* waiting for the disk, one a run at most */
  char              snapshot_error[256];
  char              last_snapshot[256];
} DqmState;

DqmState          *dqm_state_ref            (DqmState    *state);
void               dqm_state_unref          (DqmState    *state);
const DqmHistogram *dqm_state_find_histogram (const DqmState *state,
                                              const char     *name);
const DqmAlarm    *dqm_state_find_alarm     (const DqmState *state,
                                             const char     *id);

/* The dead and hot cells of the ECAL or HCAL map named @map, as dqm_plot
 * outlines them (dqm-plot-na64.h): x + 100·y, 1-based bins, 0-terminated;
 * @cells holds DQM_N_CHANNELS + 1. */
void               dqm_state_problem_cells  (const DqmState *state,
                                             const char     *map,
                                             guint          *cells);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmState, dqm_state_unref)

G_END_DECLS
