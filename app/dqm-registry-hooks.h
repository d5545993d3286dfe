/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a program's analysis keeps the run registry, for the monitor and the
 * display's own analysis alike: each end of spill and of run recorded, each
 * snapshot's directory, and at each start of run the automatic shape
 * reference chosen from the registry. */
#pragma once

#include "dqm-pipeline.h"
#include "dqm-registry.h"

G_BEGIN_DECLS

/* What @analysis says of its run now, into @registry. */
void dqm_registry_hooks_record           (DqmRegistry *registry,
                                          DqmAnalysis *analysis);
/* A snapshot @path (DIR/run-NNNNNN…) written: its absolute directory. */
void dqm_registry_hooks_snapshot_written (DqmRegistry *registry,
                                          const char  *path);
/* On the analysis thread at the start of @run, unless a reference was set
 * by hand; @program prefixes what is said. */
void dqm_registry_hooks_choose_reference (DqmRegistry *registry,
                                          DqmAnalysis *analysis,
                                          guint32      run,
                                          const char  *program);
/* Options whose callbacks do only the three above, with @registry. */
void dqm_registry_hooks_install          (DqmRegistry        *registry,
                                          DqmPipelineOptions *options);

/* Waits up to 10 s for what waits to be written, says what could not be,
 * and frees @registry (taken). FALSE when rows were lost. */
gboolean dqm_registry_hooks_close        (DqmRegistry        *registry,
                                          const char         *program);

G_END_DECLS
