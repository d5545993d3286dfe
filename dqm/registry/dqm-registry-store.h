/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry file (SQLite, WAL: one writer, many readers): its schema,
 * versioned and migrated forward on open (docs/registry.md), the rows
 * written in one transaction, and read back. Errors name the file and say
 * what SQLite said. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "dqm-registry-rows.h"

G_BEGIN_DECLS

#define DQM_REGISTRY_SCHEMA 3 /* the version this program writes */

#define DQM_REGISTRY_ERROR (dqm_registry_error_quark ())
typedef enum {
  DQM_REGISTRY_ERROR_BUSY,     /* locked by another program: try again */
  DQM_REGISTRY_ERROR_FULL,     /* the disk (or the allowed size) is full */
  DQM_REGISTRY_ERROR_CORRUPT,  /* not a database, or a damaged one */
  DQM_REGISTRY_ERROR_NEWER,    /* a schema newer than this program's */
  DQM_REGISTRY_ERROR_NO_RUN,   /* a flag for a run the file does not hold */
  DQM_REGISTRY_ERROR_FAILED,   /* anything else SQLite refused */
} DqmRegistryError;
GQuark    dqm_registry_error_quark    (void);

/* Read-write (created if missing, migrated to @version; 0: not migrated)
 * or read-only. */
sqlite3  *dqm_registry_store_open     (const char              *path,
                                       gboolean                 writable,
                                       guint                    version,
                                       GError                 **error);
guint     dqm_registry_store_version  (sqlite3                 *db);
/* Each missing step up to @version, in a transaction of its own. */
gboolean  dqm_registry_store_migrate  (sqlite3                 *db,
                                       guint                    version,
                                       GError                 **error);
/* One transaction: the run (its sums taken from its spills in the file;
 * the shifter's flag and comment kept), the spills, the alarm lines (a line
 * already there is not written twice). @run may be NULL. */
gboolean  dqm_registry_store_write    (sqlite3                 *db,
                                       const DqmRegistryRun    *run,
                                       const DqmRegistrySpill  *spills,
                                       guint                    n_spills,
                                       const DqmRegistryAlarm  *alarms,
                                       guint                    n_alarms,
                                       GError                 **error);
gboolean  dqm_registry_store_snapshot (sqlite3                 *db,
                                       guint32                  run,
                                       const char              *snapshot,
                                       GError                 **error);
/* The shifter's flag ("good", "bad" or "" to clear) and comment. */
gboolean  dqm_registry_store_flag     (sqlite3                 *db,
                                       guint32                  run,
                                       const char              *flag,
                                       const char              *comment,
                                       GError                 **error);
/* Runs started at or after @since (an ISO 8601 UTC time, or NULL), of
 * @beam (or NULL), newest first: DqmRegistryRun. */
GArray   *dqm_registry_store_runs     (sqlite3                 *db,
                                       const char              *since,
                                       const char              *beam,
                                       GError                 **error);
/* Spills that started at or after @since (or NULL), oldest first:
 * DqmRegistrySpill. */
GArray   *dqm_registry_store_spills   (sqlite3                 *db,
                                       const char              *since,
                                       GError                 **error);
/* The reference for a run of @beam, @energy_gev and @tag numbered @run:
 * the latest earlier one of the same with a snapshot that a shifter
 * flagged good or, lacking any so flagged, the latest with a good automatic
 * verdict not flagged bad. FALSE without @error when there is none;
 * @shifter: whether it was a shifter's flag that chose it. */
gboolean  dqm_registry_store_reference (sqlite3                *db,
                                        const char             *beam,
                                        double                  energy_gev,
                                        const char             *tag,
                                        guint32                 run,
                                        DqmRegistryRun         *chosen,
                                        gboolean               *shifter,
                                        GError                **error);
/* Whether the file holds run @run. */
gboolean  dqm_registry_store_has_run  (sqlite3                 *db,
                                       guint32                  run,
                                       GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

G_END_DECLS
