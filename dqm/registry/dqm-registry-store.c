/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry's SQL. */
#include "dqm-registry-store.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (dqm-registry-error-quark, dqm_registry_error)

G_STATIC_ASSERT (DQM_VETO_COUNTERS == 3); /* veto_efficiency_0 … _2 */

/* Each version's step from the one before (docs/registry.md). */
static const char *const migrations[] = {
  /* 1: runs, their spills, the alarm log */
  "CREATE TABLE runs (run INTEGER PRIMARY KEY, beam TEXT NOT NULL, beam_energy_gev REAL, setup_tag TEXT,"
  "  start_time TEXT, end_time TEXT, spills INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0,"
  "  beam_counts INTEGER NOT NULL DEFAULT 0, physics_triggers INTEGER NOT NULL DEFAULT 0,"
  "  candidates INTEGER NOT NULL DEFAULT 0, quality TEXT, shifter_flag TEXT, comment TEXT, snapshot TEXT);"
  "CREATE TABLE spills (run INTEGER NOT NULL, spill INTEGER NOT NULL, time TEXT, beam_counts INTEGER,"
  "  triggers INTEGER, events INTEGER, purity REAL, veto_efficiency_0 REAL, veto_efficiency_1 REAL,"
  "  veto_efficiency_2 REAL, dropped INTEGER, bad INTEGER, PRIMARY KEY (run, spill));"
  "CREATE TABLE alarm_log (run INTEGER NOT NULL, time TEXT NOT NULL, alarm TEXT NOT NULL, from_state TEXT,"
  "  to_state TEXT, acknowledged_by TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
  "  UNIQUE (run, time, alarm, to_state, acknowledged_by));",
  /* 2: what the trends draw, and why a verdict */
  "ALTER TABLE runs ADD COLUMN quality_reason TEXT;"
  "ALTER TABLE spills ADD COLUMN complete INTEGER;"
  "ALTER TABLE spills ADD COLUMN physics_events INTEGER;"
  "ALTER TABLE spills ADD COLUMN lost INTEGER;"
  "ALTER TABLE spills ADD COLUMN hadron_share REAL;"
  "ALTER TABLE spills ADD COLUMN trigger_rate_hz REAL;"
  "ALTER TABLE spills ADD COLUMN veto_noise_0 REAL;"
  "ALTER TABLE spills ADD COLUMN veto_noise_1 REAL;"
  "ALTER TABLE spills ADD COLUMN veto_noise_2 REAL;"
  "CREATE INDEX runs_by_start ON runs (start_time);",
  /* 3: the pedestal drift's trend */
  "ALTER TABLE spills ADD COLUMN pedestal_drift_adc REAL;",
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DQM_REGISTRY_SCHEMA);

static gboolean
failed (sqlite3 *db, int code, const char *doing, GError **error)
{
  DqmRegistryError kind = DQM_REGISTRY_ERROR_FAILED;
  const char *file = db ? sqlite3_db_filename (db, "main") : NULL;

  switch (code & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      kind = DQM_REGISTRY_ERROR_BUSY;
      break;
    case SQLITE_FULL:
      kind = DQM_REGISTRY_ERROR_FULL;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      kind = DQM_REGISTRY_ERROR_CORRUPT;
      break;
    }
  g_set_error (error, DQM_REGISTRY_ERROR, kind, "%s: %s: %s", file && *file ? file : "registry", doing,
               db ? sqlite3_errmsg (db) : sqlite3_errstr (code));
  return FALSE;
}

static gboolean
run_sql (sqlite3 *db, const char *sql, const char *doing, GError **error)
{
  int code = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return code == SQLITE_OK || failed (db, code, doing, error);
}

guint
dqm_registry_store_version (sqlite3 *db)
{
  sqlite3_stmt *statement = NULL;
  guint version = 0;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &statement, NULL) == SQLITE_OK
      && sqlite3_step (statement) == SQLITE_ROW)
    version = sqlite3_column_int (statement, 0);
  sqlite3_finalize (statement);
  return version;
}

/* The version goes with each step. */
gboolean
dqm_registry_store_migrate (sqlite3 *db, guint target, GError **error)
{
  guint version = dqm_registry_store_version (db);

  if (version > DQM_REGISTRY_SCHEMA)
    {
      g_set_error (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_NEWER,
                   "%s: its schema is version %u, newer than this program's %u: use a newer na64dqm",
                   sqlite3_db_filename (db, "main"), version, DQM_REGISTRY_SCHEMA);
      return FALSE;
    }
  for (; version < target; version++)
    {
      g_autofree char *step = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %u; COMMIT;",
                                               migrations[version], version + 1);
      g_autofree char *doing = g_strdup_printf ("migrating the schema to version %u", version + 1);

      if (!run_sql (db, step, doing, error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

sqlite3 *
dqm_registry_store_open (const char *path, gboolean writable, guint version, GError **error)
{
  g_autoptr(sqlite3) db = NULL;
  int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  int code = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (code != SQLITE_OK)
    {
      g_autofree char *doing = g_strdup_printf ("cannot open %s", path);

      failed (NULL, code, doing, error);
      return NULL;
    }
  sqlite3_busy_timeout (db, 1000); /* another program's transaction: wait a little, then retry later */
  sqlite3_extended_result_codes (db, 1);
  if (!writable)
    {
      guint found = dqm_registry_store_version (db);

      /* A query makes SQLite read the header: "not a database" shows here. */
      if (!run_sql (db, "SELECT count(*) FROM sqlite_master", "reading", error))
        return NULL;
      if (found != DQM_REGISTRY_SCHEMA)
        {
          g_set_error (error, DQM_REGISTRY_ERROR, found > DQM_REGISTRY_SCHEMA ? DQM_REGISTRY_ERROR_NEWER
                                                                             : DQM_REGISTRY_ERROR_FAILED,
                       "%s: schema version %u, this program reads %u (the monitor migrates it when it writes)",
                       path, found, DQM_REGISTRY_SCHEMA);
          return NULL;
        }
      return g_steal_pointer (&db);
    }
  if (!run_sql (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", "choosing the WAL journal", error)
      || !dqm_registry_store_migrate (db, version, error))
    return NULL;
  return g_steal_pointer (&db);
}

static void
bind_text (sqlite3_stmt *s, int i, const char *text)
{
  if (text && *text)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

static void
bind_number (sqlite3_stmt *s, int i, double value)
{
  if (isfinite (value))
    sqlite3_bind_double (s, i, value);
  else
    sqlite3_bind_null (s, i); /* not measured */
}

/* Runs @sql with the values @bind puts, once. */
static gboolean
step (sqlite3 *db, const char *sql, void (*bind) (sqlite3_stmt *, gconstpointer), gconstpointer row,
      const char *doing, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int code = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);

  if (code == SQLITE_OK)
    {
      bind (statement, row);
      code = sqlite3_step (statement);
    }
  sqlite3_finalize (statement);
  return code == SQLITE_DONE || code == SQLITE_OK || failed (db, code, doing, error);
}

static void
bind_run (sqlite3_stmt *s, gconstpointer data)
{
  const DqmRegistryRun *r = data;

  sqlite3_bind_int64 (s, 1, r->run);
  sqlite3_bind_text (s, 2, r->beam, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (s, 3, r->beam_energy_gev);
  bind_text (s, 4, r->setup_tag);
  bind_text (s, 5, r->start_time);
  bind_text (s, 6, r->end_time);
  sqlite3_bind_int64 (s, 7, r->events);
  sqlite3_bind_int64 (s, 8, r->candidates);
  bind_text (s, 9, r->quality);
  bind_text (s, 10, r->quality_reason);
}

/* A run seen again (a restarted monitor, a replayed file) updates its row:
 * the earliest start, the latest end, the most events seen; the shifter's
 * flag and comment stay. */
static const char run_sql_text[] =
  "INSERT INTO runs (run, beam, beam_energy_gev, setup_tag, start_time, end_time, events, candidates, quality,"
  "  quality_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
  " ON CONFLICT (run) DO UPDATE SET beam = excluded.beam, beam_energy_gev = excluded.beam_energy_gev,"
  "  setup_tag = excluded.setup_tag,"
  "  start_time = CASE WHEN runs.start_time IS NULL OR excluded.start_time < runs.start_time"
  "               THEN excluded.start_time ELSE runs.start_time END,"
  "  end_time = CASE WHEN runs.end_time IS NULL OR excluded.end_time > runs.end_time"
  "             THEN excluded.end_time ELSE runs.end_time END,"
  "  events = max (runs.events, excluded.events), candidates = max (runs.candidates, excluded.candidates),"
  "  quality = coalesce (excluded.quality, runs.quality),"
  "  quality_reason = coalesce (excluded.quality_reason, runs.quality_reason)";

/* The run's sums are its spills' in the file: the beam counts are the sum
 * of the eos scalers of every spill ever recorded for it. */
static const char sums_sql[] =
  "UPDATE runs SET spills = (SELECT count(*) FROM spills WHERE run = ?1),"
  "  beam_counts = (SELECT coalesce (sum (beam_counts), 0) FROM spills WHERE run = ?1),"
  "  physics_triggers = (SELECT coalesce (sum (physics_events), 0) FROM spills WHERE run = ?1)"
  " WHERE run = ?1";

static void
bind_run_number (sqlite3_stmt *s, gconstpointer data)
{
  sqlite3_bind_int64 (s, 1, *(const guint32 *) data);
}

static const char spill_sql[] =
  "INSERT OR REPLACE INTO spills (run, spill, time, beam_counts, triggers, events, purity, veto_efficiency_0,"
  "  veto_efficiency_1, veto_efficiency_2, dropped, bad, complete, physics_events, lost, hadron_share,"
  "  trigger_rate_hz, veto_noise_0, veto_noise_1, veto_noise_2, pedestal_drift_adc)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

static void
bind_spill (sqlite3_stmt *s, gconstpointer data)
{
  const DqmRegistrySpill *p = data;

  sqlite3_bind_int64 (s, 1, p->run);
  sqlite3_bind_int64 (s, 2, p->spill);
  bind_text (s, 3, p->time);
  sqlite3_bind_int64 (s, 4, p->beam_counts);
  sqlite3_bind_int64 (s, 5, p->triggers);
  sqlite3_bind_int64 (s, 6, p->events);
  bind_number (s, 7, p->purity);
  for (guint i = 0; i < DQM_VETO_COUNTERS; i++)
    bind_number (s, 8 + i, p->veto_efficiency[i]);
  sqlite3_bind_int64 (s, 11, p->dropped);
  sqlite3_bind_int64 (s, 12, p->bad);
  sqlite3_bind_int (s, 13, p->complete);
  sqlite3_bind_int64 (s, 14, p->physics_events);
  sqlite3_bind_int64 (s, 15, p->lost);
  bind_number (s, 16, p->hadron_share);
  bind_number (s, 17, p->trigger_rate_hz);
  for (guint i = 0; i < DQM_VETO_COUNTERS; i++)
    bind_number (s, 18 + i, p->veto_noise[i]);
  bind_number (s, 21, p->pedestal_drift_adc);
}

static const char alarm_sql[] =
  "INSERT OR IGNORE INTO alarm_log (run, time, alarm, from_state, to_state, acknowledged_by, comment)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static void
bind_alarm (sqlite3_stmt *s, gconstpointer data)
{
  const DqmRegistryAlarm *a = data;
  char time[DQM_REGISTRY_TIME];

  dqm_registry_time (a->time_us, TRUE, time);
  sqlite3_bind_int64 (s, 1, a->run);
  sqlite3_bind_text (s, 2, time, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 3, a->alarm, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 4, dqm_alarm_state_name (a->from), -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, dqm_alarm_state_name (a->to), -1, SQLITE_STATIC);
  /* Not NULL: a line is the same line when written again (UNIQUE). */
  sqlite3_bind_text (s, 6, a->acknowledgement ? a->who : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (s, 7, a->acknowledgement ? a->comment : "", -1, SQLITE_TRANSIENT);
}

gboolean
dqm_registry_store_write (sqlite3 *db, const DqmRegistryRun *run, const DqmRegistrySpill *spills, guint n_spills,
                          const DqmRegistryAlarm *alarms, guint n_alarms, GError **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key;

  if (!run_sql (db, "BEGIN IMMEDIATE", "starting a transaction", error))
    return FALSE;
  if (run && !step (db, run_sql_text, bind_run, run, "writing a run", error))
    goto rollback;
  for (guint i = 0; i < n_spills; i++)
    {
      if (!step (db, spill_sql, bind_spill, &spills[i], "writing a spill", error))
        goto rollback;
      g_hash_table_add (touched, GUINT_TO_POINTER (spills[i].run));
    }
  for (guint i = 0; i < n_alarms; i++)
    if (!step (db, alarm_sql, bind_alarm, &alarms[i], "writing an alarm line", error))
      goto rollback;
  if (run)
    g_hash_table_add (touched, GUINT_TO_POINTER (run->run));
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint32 number = GPOINTER_TO_UINT (key);

      if (!step (db, sums_sql, bind_run_number, &number, "summing a run's spills", error))
        goto rollback;
    }
  if (run_sql (db, "COMMIT", "committing", error))
    return TRUE;
rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

typedef struct {
  guint32     run;
  const char *text, *comment;
} RunText;

static void
bind_run_text (sqlite3_stmt *s, gconstpointer data)
{
  const RunText *t = data;

  sqlite3_bind_int64 (s, 1, t->run);
  bind_text (s, 2, t->text);
  bind_text (s, 3, t->comment);
}

gboolean
dqm_registry_store_snapshot (sqlite3 *db, guint32 run, const char *snapshot, GError **error)
{
  RunText t = { run, snapshot, NULL };

  return step (db, "UPDATE runs SET snapshot = ?2 WHERE run = ?1", bind_run_text, &t, "recording a snapshot", error);
}

gboolean
dqm_registry_store_flag (sqlite3 *db, guint32 run, const char *flag, const char *comment, GError **error)
{
  RunText t = { run, flag, comment };

  if (!step (db, "UPDATE runs SET shifter_flag = ?2, comment = ?3 WHERE run = ?1", bind_run_text, &t,
             "flagging a run", error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_NO_RUN, "%s: no run %u in the registry",
                   sqlite3_db_filename (db, "main"), run);
      return FALSE;
    }
  return TRUE;
}

static void
column_text (sqlite3_stmt *s, int i, char *out, gsize size)
{
  const char *text = (const char *) sqlite3_column_text (s, i);
  const char *end;

  g_strlcpy (out, text ? text : "", size);
  /* Cut at a character, and at anything that is not UTF-8 (a file edited by hand). */
  if (!g_utf8_validate (out, -1, &end))
    out[end - out] = '\0';
}

/* NULL (not measured) reads back as NAN. */
static double
column_number (sqlite3_stmt *s, int i)
{
  return sqlite3_column_type (s, i) == SQLITE_NULL ? NAN : sqlite3_column_double (s, i);
}

GArray *
dqm_registry_store_runs (sqlite3 *db, const char *since, const char *beam, GError **error)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (DqmRegistryRun));
  sqlite3_stmt *s = NULL;
  int code = sqlite3_prepare_v2 (db,
    "SELECT run, beam, beam_energy_gev, setup_tag, start_time, end_time, spills, events, beam_counts,"
    "  physics_triggers, candidates, quality, quality_reason, shifter_flag, comment, snapshot,"
    /* The beam's purity and each VETO counter's efficiency over the run: its spills' weighted by their events. */
    "  (SELECT sum (purity * events) / sum (events) FROM spills WHERE spills.run = runs.run AND purity IS NOT NULL),"
    "  (SELECT sum (veto_efficiency_0 * events) / sum (events) FROM spills"
    "    WHERE spills.run = runs.run AND veto_efficiency_0 IS NOT NULL),"
    "  (SELECT sum (veto_efficiency_1 * events) / sum (events) FROM spills"
    "    WHERE spills.run = runs.run AND veto_efficiency_1 IS NOT NULL),"
    "  (SELECT sum (veto_efficiency_2 * events) / sum (events) FROM spills"
    "    WHERE spills.run = runs.run AND veto_efficiency_2 IS NOT NULL)"
    " FROM runs WHERE (?1 IS NULL OR start_time >= ?1) AND (?2 IS NULL OR beam = ?2) ORDER BY run DESC", -1, &s, NULL);

  if (code == SQLITE_OK)
    {
      bind_text (s, 1, since);
      bind_text (s, 2, beam);
      while ((code = sqlite3_step (s)) == SQLITE_ROW)
        {
          DqmRegistryRun r = { 0 };

          r.run = sqlite3_column_int64 (s, 0);
          column_text (s, 1, r.beam, sizeof r.beam);
          r.beam_energy_gev = sqlite3_column_double (s, 2);
          column_text (s, 3, r.setup_tag, sizeof r.setup_tag);
          column_text (s, 4, r.start_time, sizeof r.start_time);
          column_text (s, 5, r.end_time, sizeof r.end_time);
          r.spills = sqlite3_column_int (s, 6);
          r.events = sqlite3_column_int64 (s, 7);
          r.beam_counts = sqlite3_column_int64 (s, 8);
          r.physics_triggers = sqlite3_column_int64 (s, 9);
          r.candidates = sqlite3_column_int64 (s, 10);
          column_text (s, 11, r.quality, sizeof r.quality);
          column_text (s, 12, r.quality_reason, sizeof r.quality_reason);
          column_text (s, 13, r.shifter_flag, sizeof r.shifter_flag);
          column_text (s, 14, r.comment, sizeof r.comment);
          column_text (s, 15, r.snapshot, sizeof r.snapshot);
          r.purity = column_number (s, 16);
          r.veto_efficiency = NAN;
          for (guint i = 0; i < DQM_VETO_COUNTERS; i++) /* the worst counter measured */
            {
              double efficiency = column_number (s, 17 + i);

              if (isnan (r.veto_efficiency) || efficiency < r.veto_efficiency)
                r.veto_efficiency = efficiency;
            }
          g_array_append_val (runs, r);
        }
    }
  sqlite3_finalize (s);
  if (code != SQLITE_DONE)
    return failed (db, code, "reading the runs", error), NULL;
  return g_steal_pointer (&runs);
}

gboolean
dqm_registry_store_reference (sqlite3 *db, const char *beam, double energy_gev, const char *tag, guint32 run,
                              DqmRegistryRun *chosen, gboolean *shifter, GError **error)
{
  sqlite3_stmt *s = NULL;
  int code = sqlite3_prepare_v2 (db,
    "SELECT run, coalesce (shifter_flag, '') = 'good', snapshot FROM runs"
    " WHERE beam = ?1 AND beam_energy_gev = ?2 AND coalesce (setup_tag, '') = ?3 AND run < ?4"
    "  AND snapshot IS NOT NULL AND (shifter_flag = 'good' OR (coalesce (shifter_flag, '') = '' AND quality = 'good'))"
    " ORDER BY coalesce (shifter_flag, '') = 'good' DESC, run DESC LIMIT 1", -1, &s, NULL);
  gboolean found = FALSE;

  if (code == SQLITE_OK)
    {
      sqlite3_bind_text (s, 1, beam, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double (s, 2, energy_gev);
      sqlite3_bind_text (s, 3, tag ? tag : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (s, 4, run);
      if ((code = sqlite3_step (s)) == SQLITE_ROW)
        {
          memset (chosen, 0, sizeof *chosen);
          chosen->run = sqlite3_column_int64 (s, 0);
          *shifter = sqlite3_column_int (s, 1);
          column_text (s, 2, chosen->snapshot, sizeof chosen->snapshot);
          found = TRUE;
        }
    }
  sqlite3_finalize (s);
  if (code != SQLITE_ROW && code != SQLITE_DONE)
    failed (db, code, "choosing a reference", error);
  return found;
}

gboolean
dqm_registry_store_has_run (sqlite3 *db, guint32 run, GError **error)
{
  sqlite3_stmt *s = NULL;
  int code = sqlite3_prepare_v2 (db, "SELECT 1 FROM runs WHERE run = ?1", -1, &s, NULL);
  gboolean found = FALSE;

  if (code == SQLITE_OK)
    {
      sqlite3_bind_int64 (s, 1, run);
      code = sqlite3_step (s);
      found = code == SQLITE_ROW;
    }
  sqlite3_finalize (s);
  if (code != SQLITE_ROW && code != SQLITE_DONE)
    failed (db, code, "looking for a run", error);
  return found;
}

GArray *
dqm_registry_store_spills (sqlite3 *db, const char *since, GError **error)
{
  g_autoptr(GArray) spills = g_array_new (FALSE, TRUE, sizeof (DqmRegistrySpill));
  sqlite3_stmt *s = NULL;
  int code = sqlite3_prepare_v2 (db,
    "SELECT run, spill, time, complete, beam_counts, triggers, events, physics_events, dropped, bad, lost,"
    "  purity, hadron_share, trigger_rate_hz, veto_efficiency_0, veto_efficiency_1, veto_efficiency_2,"
    "  veto_noise_0, veto_noise_1, veto_noise_2, pedestal_drift_adc FROM spills"
    " WHERE time IS NOT NULL AND (?1 IS NULL OR time >= ?1) ORDER BY time, run, spill", -1, &s, NULL);

  if (code == SQLITE_OK)
    {
      bind_text (s, 1, since);
      while ((code = sqlite3_step (s)) == SQLITE_ROW)
        {
          DqmRegistrySpill p = { 0 };

          p.run = sqlite3_column_int64 (s, 0);
          p.spill = sqlite3_column_int64 (s, 1);
          column_text (s, 2, p.time, sizeof p.time);
          p.complete = sqlite3_column_int (s, 3);
          p.beam_counts = sqlite3_column_int64 (s, 4);
          p.triggers = sqlite3_column_int64 (s, 5);
          p.events = sqlite3_column_int64 (s, 6);
          p.physics_events = sqlite3_column_int64 (s, 7);
          p.dropped = sqlite3_column_int64 (s, 8);
          p.bad = sqlite3_column_int64 (s, 9);
          p.lost = sqlite3_column_int64 (s, 10);
          p.purity = column_number (s, 11);
          p.hadron_share = column_number (s, 12);
          p.trigger_rate_hz = column_number (s, 13);
          for (guint i = 0; i < DQM_VETO_COUNTERS; i++)
            {
              p.veto_efficiency[i] = column_number (s, 14 + i);
              p.veto_noise[i] = column_number (s, 17 + i);
            }
          p.pedestal_drift_adc = column_number (s, 20);
          g_array_append_val (spills, p);
        }
    }
  sqlite3_finalize (s);
  if (code != SQLITE_DONE)
    return failed (db, code, "reading the spills", error), NULL;
  return g_steal_pointer (&spills);
}
