/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DQM chain for one consumer: each decoded message goes through the
 * reconstruction into the histograms, the spill statistics and the alarms.
 * Not thread-safe: one thread feeds it; the DqmState it makes is what other
 * threads read. */
#pragma once

#include <glib.h>

#include "dqm-config.h"
#include "dqm-reco.h"
#include "dqm-state.h"
#include "dqm-stream-counters.h"

G_BEGIN_DECLS

typedef struct _DqmAnalysis DqmAnalysis;

typedef struct {
  /* A spill has been summed up (at its eos, or when its run ended). */
  void (*spill_done) (DqmAnalysis *analysis, const DqmSpillSummary *summary, gpointer data);
  /* A run has ended (eor, a new run, or dqm_analysis_finish). */
  void (*run_done)   (DqmAnalysis *analysis, gpointer data);
  /* A run was met already under way (no sor): one to take up from a
   * checkpoint, if there is one (dqm_analysis_resume_run). */
  void (*run_joined) (DqmAnalysis *analysis, guint32 run, gpointer data);
  /* Any run has begun (with its sor or without). */
  void (*run_started) (DqmAnalysis *analysis, guint32 run, gpointer data);
  gpointer data;
} DqmAnalysisCallbacks;

DqmAnalysis *dqm_analysis_new          (DqmConfig                  *config,
                                        GError                    **error);
void         dqm_analysis_free         (DqmAnalysis                *analysis);
/* Compare with a reference snapshot's histograms (dqm_reference_load);
 * @label says which run it is and why (the state and the snapshot carry it). */
void         dqm_analysis_set_reference (DqmAnalysis               *analysis,
                                         GPtrArray                 *histograms,
                                         const char                *label);
void         dqm_analysis_set_callbacks (DqmAnalysis               *analysis,
                                         const DqmAnalysisCallbacks *callbacks);
void         dqm_analysis_message      (DqmAnalysis                *analysis,
                                        const DqmMessage           *message,
                                        DqmRunChanges               flags,
                                        const DqmStreamCounter     *counter,
                                        gint64                      now_us);
/* The same for an event that another thread reconstructed already, with
 * the setup this analysis uses now (its beam): @reco is taken as it is. */
void         dqm_analysis_event_reconstructed (DqmAnalysis          *analysis,
                                               const DqmMessage     *message,
                                               const DqmRecoEvent   *reco,
                                               DqmRunChanges         flags,
                                               const DqmStreamCounter *counter,
                                               gint64                now_us);
/* Its reconstruction: the tracked pedestals to hand on. */
const DqmReco *dqm_analysis_get_reco   (DqmAnalysis                *analysis);
/* Changes whenever the analysis starts a new reconstruction (a new beam). */
guint          dqm_analysis_get_reco_generation (DqmAnalysis        *analysis);
/* Events the pipeline had to throw away. */
void         dqm_analysis_dropped      (DqmAnalysis                *analysis,
                                        guint64                     n);
/* Call now and then (stall alarm, rates), also when nothing arrives. */
void         dqm_analysis_tick         (DqmAnalysis                *analysis,
                                        const DqmStreamCounter     *counter,
                                        const char                 *source,
                                        gboolean                    connected,
                                        gint64                      now_us);
/* Closes an open spill and run (end of input, shutdown). */
void         dqm_analysis_finish       (DqmAnalysis                *analysis);
guint        dqm_analysis_acknowledge  (DqmAnalysis                *analysis,
                                        const char                 *alarm_id,
                                        const char                 *who,
                                        const char                 *comment);
/* Clears one histogram by its full name; FALSE if there is none. */
gboolean     dqm_analysis_reset_histogram (DqmAnalysis             *analysis,
                                           const char              *name);
/* The reconstruction of the last event analysed. */
const DqmRecoEvent *dqm_analysis_get_last_event (DqmAnalysis       *analysis);
DqmState    *dqm_analysis_make_state   (DqmAnalysis                *analysis);
const DqmAlarms *dqm_analysis_get_alarms (DqmAnalysis              *analysis);
const DqmSetup  *dqm_analysis_get_setup  (DqmAnalysis              *analysis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmAnalysis, dqm_analysis_free)

/* The run being analysed (0 before any). */
guint32      dqm_analysis_get_run      (DqmAnalysis                *analysis);
/* The open run as a checkpoint: histograms, spill figures, alarms and
 * their log, candidates, counts; NULL when no run is open. */
GBytes      *dqm_analysis_save_run     (DqmAnalysis                *analysis);
/* Takes up the open run from @checkpoint (of the same run, from this
 * program's version); the events between it and now are counted as the
 * gap. FALSE, with @error, when it cannot. */
gboolean     dqm_analysis_resume_run   (DqmAnalysis                *analysis,
                                        GBytes                     *checkpoint,
                                        GError                    **error);

/* The state a checkpoint holds, for a run no stream will take up again
 * (the monitor was down when it ended): its snapshot is made from this. */
DqmState    *dqm_analysis_recover      (DqmConfig                  *config,
                                        GBytes                     *checkpoint,
                                        GError                    **error);

G_END_DECLS
