/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmRunsPage: the beamtime from the run registry: a sortable, filterable
 * table of runs, the particles on target accumulated per beam against the
 * beamtime's target, the trend of one quantity per spill or per run with
 * its alarm limits, and a shifter's flag on a run. The file is read on a
 * worker thread every few seconds while the page is shown. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-link.h"
#include "dqm-setup.h"

G_BEGIN_DECLS

#define DQM_TYPE_RUNS_PAGE (dqm_runs_page_get_type ())
G_DECLARE_FINAL_TYPE (DqmRunsPage, dqm_runs_page, DQM, RUNS_PAGE, GtkBox)

#define DQM_RUNS_PAGE_RELOAD_S 5

GtkWidget *dqm_runs_page_new          (void);
/* @registry: the file to read (NULL: none, said on the page); flags go
 * through @link. @setup (alarm limits, the EOT target) is not taken. */
void       dqm_runs_page_set_source   (DqmRunsPage    *page,
                                       const char     *registry,
                                       DqmLink        *link,
                                       const DqmSetup *setup);
/* The run being taken now, or 0: its share of the EOT is said. */
void       dqm_runs_page_set_live_run (DqmRunsPage    *page,
                                       guint32         run);
/* Reads the file now; @done (may be NULL) is called on this thread once
 * the page shows what it read. */
void       dqm_runs_page_reload       (DqmRunsPage    *page,
                                       GCallback       done,
                                       gpointer        data);
/* For tests: the rows the table shows now (after the filter). */
guint      dqm_runs_page_count_shown  (DqmRunsPage    *page);

G_END_DECLS
