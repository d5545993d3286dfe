/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The consumer's threads: a receive thread (decode, check, count) feeds a
 * bounded queue; an analysis thread reconstructs and fills the DQM and
 * publishes an immutable DqmState a few times a second; a snapshot thread
 * writes snapshots and retries them when the disk refuses. When analysis
 * falls behind a live stream, whole events are dropped and counted; a file
 * is read without loss. */
#pragma once

#include <glib.h>

#include "dqm-analysis.h"
#include "dqm-event-ring.h"
#include "dqm-snapshot.h"
#include "dqm-source.h"

G_BEGIN_DECLS

typedef struct {
  guint       queue_events;       /* events waiting for analysis; default 4096 */
  const char *snapshot_dir;       /* NULL: no snapshots */
  DqmSnapshotWriter snapshot_writer; /* plots/ and the file seam; zero: none, real disk */
  GPtrArray  *reference;          /* NULL, or histograms to compare shapes with */
  const char *reference_label;    /* which run that is, and why */
  double      publish_interval_s; /* how often a state is published; default 0.1 */
  double      checkpoint_interval_s; /* the open run is checkpointed at each spill's
                                   * end and at least this often; default 30 */
  double      retry_interval_s;   /* a failed snapshot is retried after this, then
                                   * twice as long each time up to 8×; default 10 */
  guint       kept_events;        /* the inspector's ring; default 1000 */
  guint       kept_candidates;    /* signal-box candidates kept besides; default 200 */
  guint       reco_threads;       /* reconstruction workers; 0: the analysis thread
                                   * reconstructs; default: one per core but one, ≤ 8 */
  gboolean    yield_to_display;   /* workers, analysis and snapshots run nicer (batch,
                                   * nice +10) than this process's display; default FALSE */
  DqmAnalysisCallbacks callbacks; /* called on the analysis thread */
  /* Called on the snapshot thread after each attempt: @path or @error. */
  void      (*snapshot_done) (const char *path, const GError *error, gpointer data);
  gpointer    snapshot_data;
} DqmPipelineOptions;

typedef struct _DqmPipeline DqmPipeline;

void         dqm_pipeline_options_init (DqmPipelineOptions *options);
/* Takes @source. */
DqmPipeline *dqm_pipeline_new          (DqmSource                *source,
                                        DqmConfig                *config,
                                        const DqmPipelineOptions *options,
                                        GError                  **error);
void         dqm_pipeline_start        (DqmPipeline              *pipeline);
/* The newest published state (a new reference), never NULL once started. */
DqmState    *dqm_pipeline_get_state    (DqmPipeline              *pipeline);
/* The same, or NULL in the rare moment the analysis is publishing one:
 * for a display's frame, which must never wait on the analysis. */
DqmState    *dqm_pipeline_try_get_state (DqmPipeline             *pipeline);
/* @alarm_id NULL: all; @who and @comment go into the alarm log. */
void         dqm_pipeline_acknowledge  (DqmPipeline              *pipeline,
                                        const char               *alarm_id,
                                        const char               *who,
                                        const char               *comment);
/* Clear one histogram (full name, "_spill" for the spill scope). */
void         dqm_pipeline_reset_histogram (DqmPipeline           *pipeline,
                                           const char            *name);
/* Compare with @reference's histograms from now on (NULL: with none);
 * a new reference of it is taken. @label: which run, and why. */
void         dqm_pipeline_set_reference (DqmPipeline             *pipeline,
                                         GPtrArray               *reference,
                                         const char              *label);
/* The last events analysed, owned by the pipeline. */
DqmEventRing *dqm_pipeline_get_event_ring (DqmPipeline           *pipeline);
/* Queue a snapshot of the run so far ("on demand"). */
void         dqm_pipeline_request_snapshot (DqmPipeline          *pipeline);
/* TRUE once a file source is read to its end and everything analysed. */
gboolean     dqm_pipeline_is_finished  (DqmPipeline              *pipeline);
/* Stops receiving, analyses what is queued, ends the run (its snapshot is
 * written, retried up to @snapshot_timeout_s) and joins the threads. */
void         dqm_pipeline_stop         (DqmPipeline              *pipeline,
                                        double                    snapshot_timeout_s);
void         dqm_pipeline_free         (DqmPipeline              *pipeline);
/* The analysis thread's longest gap between two queue pops, µs (a health
 * figure for benchmarks). */
gint64       dqm_pipeline_longest_stall_us (DqmPipeline          *pipeline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmPipeline, dqm_pipeline_free)

G_END_DECLS
