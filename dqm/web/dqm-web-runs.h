/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The snapshots of past runs for /runs/: the directories that the monitor's
 * snapshot directory lists under a run's name (run-NNNNNN, maybe with a
 * label) and that hold a summary.json. A request names one of those or
 * nothing: its name is looked up in the listing, never joined to a path.
 * A snapshot never changes once written, so what was read of one is kept.
 * Used by one thread (the web thread). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DqmWebRuns DqmWebRuns;

/* @dir: the snapshot directory; NULL or missing: no runs (yet). */
DqmWebRuns *dqm_web_runs_new          (const char  *dir);
void        dqm_web_runs_free         (DqmWebRuns  *runs);
/* /runs/summary.json: one line of figures a snapshot, newest first. */
char       *dqm_web_runs_summary_json (DqmWebRuns  *runs);
/* Whether @name is a snapshot in the listing now. */
gboolean    dqm_web_runs_has          (DqmWebRuns  *runs,
                                       const char  *name);
/* The snapshot's own "summary.json" or "histograms.json", or NULL. */
GBytes     *dqm_web_runs_file         (DqmWebRuns  *runs,
                                       const char  *name,
                                       const char  *file,
                                       GError     **error);
/* The snapshot's histograms (DqmHistogram, a new reference), or NULL. */
GPtrArray  *dqm_web_runs_histograms   (DqmWebRuns  *runs,
                                       const char  *name,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmWebRuns, dqm_web_runs_free)

G_END_DECLS
