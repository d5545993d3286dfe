/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The run registry as the monitor writes it: at every end of spill and of
 * run, what the state says of the run, its new spills and its new alarm
 * lines is queued here (at once, from any thread) and written by a thread
 * of its own. A locked or read-only file, a full disk, a damaged file are
 * said (dqm_registry_get_status) and tried again every few seconds; the
 * rows wait in memory until they are written, so none is lost. A damaged
 * file is moved aside (FILE.damaged-TIME) and a new one begun. */
#pragma once

#include <glib.h>

#include "dqm-registry-rows.h"
#include "dqm-registry-store.h"

G_BEGIN_DECLS

typedef struct {
  guint64 batches_written;
  guint   pending;          /* batches waiting to be written */
  guint64 failures;         /* tries that failed */
  char    last_error[320];  /* the newest failure, "" when the last try worked */
} DqmRegistryStatus;

typedef struct _DqmRegistry DqmRegistry;

DqmRegistry *dqm_registry_new          (const char        *path);
/* Writes what waits for up to @timeout_s, then stops. */
void         dqm_registry_free         (DqmRegistry       *registry,
                                        double             timeout_s);
const char  *dqm_registry_get_path     (DqmRegistry       *registry);
/* What @state says of its run now: the run's row (with the verdict when it
 * has ended), the spills and alarm lines not queued before. */
void         dqm_registry_record       (DqmRegistry       *registry,
                                        const DqmState    *state);
void         dqm_registry_set_snapshot (DqmRegistry       *registry,
                                        guint32            run,
                                        const char        *snapshot);
/* A shifter's verdict, "good" or "bad" ("" clears it), and why. */
void         dqm_registry_flag         (DqmRegistry       *registry,
                                        guint32            run,
                                        const char        *flag,
                                        const char        *comment);
/* Whether @run is in the file or queued for it; if not, @error says why. */
gboolean     dqm_registry_knows_run    (DqmRegistry       *registry,
                                        guint32            run,
                                        GError           **error);
/* The automatic reference for @state's run (dqm_registry_store_reference):
 * its snapshot's directory and a label that says which run and why, or
 * FALSE (@error set only when the file could not be read). */
gboolean     dqm_registry_choose_reference (DqmRegistry   *registry,
                                            const DqmState *state,
                                            char          **snapshot,
                                            char          **label,
                                            GError        **error);
/* Waits until nothing waits, or @timeout_s; whether nothing waits. */
gboolean     dqm_registry_flush        (DqmRegistry       *registry,
                                        double             timeout_s);
void         dqm_registry_get_status   (DqmRegistry       *registry,
                                        DqmRegistryStatus *status);
/* For tests: the file may grow to @pages pages of SQLite (0: no limit), a
 * full disk without filling one. */
void         dqm_registry_set_max_pages (DqmRegistry      *registry,
                                         guint             pages);

G_END_DECLS
