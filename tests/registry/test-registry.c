/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The run registry: two simulated runs written and read back, the beam
 * counts exactly the sum of the eos scalers; a restart or a replay updates
 * and never duplicates, and keeps the shifter's flag; a locked file, a full
 * disk and a damaged file are said and survived with no row lost; a file
 * of schema 1 is migrated forward, a newer one left alone; the verdict. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-registry.h"
#include "dqm-registry-store.h"
#include "dqm-status.h"
#include "test-chain.h"
#include "test-util.h"

typedef struct {
  char     *dir, *path;
  DqmState *a, *b; /* runs 42 (2 spills) and 43 (3 spills), ended */
} Fixture;

static void
add_line (DqmState *state, gint64 time_us, const char *id, DqmAlarmState from, DqmAlarmState to, const char *who)
{
  DqmAlarmLogEntry e = { .time_us = time_us, .from = from, .to = to, .acknowledgement = who != NULL };

  g_strlcpy (e.id, id, sizeof e.id);
  if (who)
    {
      g_strlcpy (e.who, who, sizeof e.who);
      g_strlcpy (e.comment, "seen", sizeof e.comment);
    }
  g_array_append_val (state->alarm_log, e);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const char *const short_spills[] = { "spill", "length_s", "0.3", NULL };

  f->dir = g_dir_make_tmp ("na64dqm-registry-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "registry.sqlite", NULL);
  f->a = test_run_state_with (short_spills, 42, 2);
  f->b = test_run_state_with (short_spills, 43, 3);
  /* These states are the test's own: alarm lines as the run had them. */
  add_line (f->a, f->a->made_us - 5000000, "veto-efficiency-1", DQM_ALARM_OK, DQM_ALARM_WARNING, NULL);
  add_line (f->a, f->a->made_us - 4000000, "veto-efficiency-1", DQM_ALARM_WARNING, DQM_ALARM_WARNING, "alice");
  add_line (f->a, f->a->made_us - 3000000, "veto-efficiency-1", DQM_ALARM_WARNING, DQM_ALARM_OK, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  test_remove_tree (f->dir);
  dqm_state_unref (f->a);
  dqm_state_unref (f->b);
  g_free (f->dir);
  g_free (f->path);
}

static guint64
beam_counts_of (const DqmState *state)
{
  guint64 sum = 0;

  for (guint i = 0; i < state->spills->len; i++)
    sum += ((const DqmSpillSummary *) state->spills->pdata[i])->beam_counts;
  return sum;
}

static GArray *
read_runs (const char *path, const char *since, const char *beam)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = dqm_registry_store_open (path, FALSE, DQM_REGISTRY_SCHEMA, &error);
  GArray *runs;

  g_assert_no_error (error);
  runs = dqm_registry_store_runs (db, since, beam, &error);
  g_assert_no_error (error);
  return runs;
}

static guint
count (const char *path, const char *sql)
{
  g_autoptr(sqlite3) db = NULL;
  sqlite3_stmt *s = NULL;
  guint n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  n = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);
  return n;
}

/* The registry holds exactly what the two runs' states say. */
static void
assert_two_runs (Fixture *f)
{
  g_autoptr(GArray) runs = read_runs (f->path, NULL, NULL);
  const DqmRegistryRun *b = &g_array_index (runs, DqmRegistryRun, 0), *a = &g_array_index (runs, DqmRegistryRun, 1);

  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpuint (b->run, ==, 43);
  g_assert_cmpuint (a->run, ==, 42);
  g_assert_cmpuint (a->spills, ==, 2);
  g_assert_cmpuint (b->spills, ==, 3);
  g_assert_cmpuint (a->beam_counts, ==, beam_counts_of (f->a));
  g_assert_cmpuint (b->beam_counts, ==, beam_counts_of (f->b));
  g_assert_cmpuint (a->beam_counts, >, 0);
  g_assert_cmpuint (a->events, ==, f->a->run.events);
  g_assert_cmpstr (a->beam, ==, "e-");
  g_assert_cmpfloat (a->beam_energy_gev, ==, 100);
  g_assert_cmpstr (a->setup_tag, ==, f->a->run.tag);
  g_assert_true (g_str_has_prefix (a->start_time, "2026-") && g_str_has_suffix (a->start_time, "Z"));
  g_assert_cmpstr (a->end_time, >, a->start_time);
  g_assert_cmpstr (a->quality, ==, "good"); /* a warning of 2 s */
  g_assert_cmpuint (count (f->path, "SELECT count(*) FROM spills"), ==, 5);
  g_assert_cmpuint (count (f->path, "SELECT count(*) FROM alarm_log WHERE run = 42"), ==, 3);
  g_assert_cmpuint (count (f->path, "SELECT count(*) FROM alarm_log WHERE acknowledged_by = 'alice'"), ==, 1);
}

static void
test_runs_written_and_read_back (Fixture *f, gconstpointer data)
{
  DqmRegistry *registry = dqm_registry_new (f->path);
  DqmRegistryStatus status;

  dqm_registry_record (registry, f->a);
  dqm_registry_set_snapshot (registry, 42, "/data/dqm/run-000042");
  dqm_registry_record (registry, f->b);
  g_assert_true (dqm_registry_flush (registry, 10));
  dqm_registry_get_status (registry, &status);
  g_assert_cmpuint (status.batches_written, ==, 3);
  g_assert_cmpuint (status.failures, ==, 0);
  dqm_registry_free (registry, 5);
  assert_two_runs (f);
  {
    g_autoptr(GArray) e_minus = read_runs (f->path, NULL, "e-"), muons = read_runs (f->path, NULL, "mu-");
    g_autoptr(GArray) later = read_runs (f->path, "2030-01-01T00:00:00Z", NULL);

    g_assert_cmpuint (e_minus->len, ==, 2);
    g_assert_cmpuint (muons->len, ==, 0);
    g_assert_cmpuint (later->len, ==, 0);
    g_assert_cmpstr (g_array_index (e_minus, DqmRegistryRun, 1).snapshot, ==, "/data/dqm/run-000042");
  }
}

static void
test_restart_and_replay_update_never_duplicate (Fixture *f, gconstpointer data)
{
  DqmRegistry *registry = dqm_registry_new (f->path);
  g_autoptr(GArray) runs = NULL;

  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->b);
  dqm_registry_flag (registry, 42, "bad", "VETO 1 off for a while");
  dqm_registry_free (registry, 10);
  /* A restarted monitor, the runs replayed: the same rows again. */
  registry = dqm_registry_new (f->path);
  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->b);
  dqm_registry_free (registry, 10);
  assert_two_runs (f);
  runs = read_runs (f->path, NULL, NULL);
  g_assert_cmpstr (g_array_index (runs, DqmRegistryRun, 1).shifter_flag, ==, "bad");
  g_assert_cmpstr (g_array_index (runs, DqmRegistryRun, 1).comment, ==, "VETO 1 off for a while");
}

static void
test_locked_database_waits_and_loses_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) other = dqm_registry_store_open (f->path, TRUE, DQM_REGISTRY_SCHEMA, &error);
  DqmRegistry *registry;
  DqmRegistryStatus status;

  g_assert_no_error (error);
  /* Another program holds the file. */
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  registry = dqm_registry_new (f->path);
  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->b);
  g_assert_false (dqm_registry_flush (registry, 2.5));
  dqm_registry_get_status (registry, &status);
  g_assert_cmpuint (status.pending, ==, 2);
  g_assert_cmpuint (status.failures, >=, 1);
  g_assert_nonnull (strstr (status.last_error, "locked"));
  g_assert_nonnull (strstr (status.last_error, "kept in memory"));
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (dqm_registry_flush (registry, 20));
  dqm_registry_get_status (registry, &status);
  g_assert_cmpstr (status.last_error, ==, "");
  dqm_registry_free (registry, 5);
  assert_two_runs (f);
}

static void
test_full_disk_waits_and_loses_nothing (Fixture *f, gconstpointer data)
{
  DqmRegistry *registry = dqm_registry_new (f->path);
  DqmRegistryStatus status;

  /* Not a page more than the file has (none): nothing fits. */
  dqm_registry_set_max_pages (registry, 1);
  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->b);
  g_assert_false (dqm_registry_flush (registry, 2.5));
  dqm_registry_get_status (registry, &status);
  g_assert_cmpuint (status.pending, >=, 1);
  g_assert_nonnull (strstr (status.last_error, "full"));
  /* … and the shift sees it in the status (na64dqm-ctl status, status.json). */
  {
    g_autoptr(JsonNode) json = dqm_status_to_json (f->a, NULL, &status);
    JsonObject *said = json_object_get_object_member (json_node_get_object (json), "registry");

    g_assert_nonnull (said);
    g_assert_cmpint (json_object_get_int_member (said, "pending"), ==, status.pending);
    g_assert_cmpint (json_object_get_int_member (said, "failures"), >=, 1);
    g_assert_nonnull (strstr (json_object_get_string_member (said, "last_error"), "full"));
  }
  dqm_registry_set_max_pages (registry, 0); /* space again */
  g_assert_true (dqm_registry_flush (registry, 20));
  dqm_registry_free (registry, 5);
  assert_two_runs (f);
}

static void
test_damaged_file_is_moved_aside (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  DqmRegistry *registry;
  DqmRegistryStatus status;
  const char *name;
  gboolean aside = FALSE;

  g_assert_true (g_file_set_contents (f->path, "this is no database, but it is long enough to look like one\n"
                                      "0123456789012345678901234567890123456789012345678901234567890123\n", -1, NULL));
  registry = dqm_registry_new (f->path);
  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->b);
  g_assert_true (dqm_registry_flush (registry, 20));
  dqm_registry_get_status (registry, &status);
  g_assert_cmpuint (status.failures, >=, 1);
  dqm_registry_free (registry, 5);
  assert_two_runs (f);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    aside |= g_str_has_prefix (name, "registry.sqlite.damaged-");
  g_assert_true (aside);
}

static void
test_schema_migrated_forward (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) runs = NULL;
  DqmRegistry *registry;

  {
    /* A registry of the first schema, with a run a shifter flagged. */
    g_autoptr(sqlite3) old = dqm_registry_store_open (f->path, TRUE, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dqm_registry_store_version (old), ==, 1);
    g_assert_cmpint (sqlite3_exec (old, "INSERT INTO runs (run, beam, shifter_flag, comment) VALUES (7, 'mu-', 'good',"
                                        " 'calibration')", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (old, "SELECT hadron_share FROM spills", NULL, NULL, NULL), !=, SQLITE_OK);
  }
  registry = dqm_registry_new (f->path);
  dqm_registry_record (registry, f->a);
  dqm_registry_record (registry, f->b);
  dqm_registry_free (registry, 10);
  runs = read_runs (f->path, NULL, NULL);
  g_assert_cmpuint (runs->len, ==, 3);
  g_assert_cmpuint (g_array_index (runs, DqmRegistryRun, 2).run, ==, 7);
  g_assert_cmpstr (g_array_index (runs, DqmRegistryRun, 2).comment, ==, "calibration");
  g_assert_cmpuint (count (f->path, "PRAGMA user_version"), ==, DQM_REGISTRY_SCHEMA);
  /* The columns of versions 2 and 3 are there, and written. */
  g_assert_cmpuint (count (f->path, "SELECT count (trigger_rate_hz) FROM spills"), ==, 5);
  g_assert_cmpuint (count (f->path, "SELECT count (*) FROM pragma_table_info ('spills') WHERE name = 'pedestal_drift_adc'"),
                    ==, 1);
}

static void
test_newer_schema_left_alone (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = NULL;
  DqmRegistry *registry;
  DqmRegistryStatus status;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE runs (run INTEGER); PRAGMA user_version = 99", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_clear_pointer (&db, sqlite3_close);
  g_assert_null (dqm_registry_store_open (f->path, FALSE, DQM_REGISTRY_SCHEMA, &error));
  g_assert_error (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_NEWER);
  registry = dqm_registry_new (f->path);
  dqm_registry_record (registry, f->a);
  g_assert_false (dqm_registry_flush (registry, 1.5));
  dqm_registry_get_status (registry, &status);
  g_assert_nonnull (strstr (status.last_error, "newer than this program's"));
  dqm_registry_free (registry, 0);
  g_assert_cmpuint (count (f->path, "PRAGMA user_version"), ==, 99);
}

static void
test_verdict (void)
{
  const gint64 s = G_USEC_PER_SEC, start = 1000 * s, end = start + 600 * s;
  char why[160];
  DqmRegistryAlarm log[4] = { 0 };

  g_assert_cmpstr (dqm_registry_verdict (log, 0, start, end, why, sizeof why), ==, "good");
  /* A warning for 20 s, acknowledged on the way: good. */
  log[0] = (DqmRegistryAlarm) { .time_us = start + 100 * s, .alarm = "purity", .from = DQM_ALARM_OK,
                                .to = DQM_ALARM_WARNING };
  log[1] = (DqmRegistryAlarm) { .time_us = start + 110 * s, .alarm = "purity", .from = DQM_ALARM_WARNING,
                                .to = DQM_ALARM_WARNING, .acknowledgement = TRUE };
  log[2] = (DqmRegistryAlarm) { .time_us = start + 120 * s, .alarm = "purity", .from = DQM_ALARM_WARNING,
                                .to = DQM_ALARM_OK };
  g_assert_cmpstr (dqm_registry_verdict (log, 3, start, end, why, sizeof why), ==, "good");
  /* 40 s: a warning. */
  log[2].time_us = start + 140 * s;
  g_assert_cmpstr (dqm_registry_verdict (log, 3, start, end, why, sizeof why), ==, "warning");
  g_assert_cmpstr (why, ==, "purity at WARNING or worse for 40 s of 600");
  /* At ALARM from 70 s before the end to the end: bad. */
  log[3] = (DqmRegistryAlarm) { .time_us = end - 70 * s, .alarm = "veto-efficiency-0", .from = DQM_ALARM_OK,
                                .to = DQM_ALARM_ALARM };
  g_assert_cmpstr (dqm_registry_verdict (log, 4, start, end, why, sizeof why), ==, "bad");
  g_assert_cmpstr (why, ==, "veto-efficiency-0 at ALARM for 70 s of 600");
  /* In a run of 100 s, 15 s at ALARM is a tenth and more: bad. */
  log[3].time_us = start + 85 * s;
  g_assert_cmpstr (dqm_registry_verdict (&log[3], 1, start, start + 100 * s, why, sizeof why), ==, "bad");
  /* An alarm already up when the run began counts from its start. */
  log[3] = (DqmRegistryAlarm) { .time_us = start + 50 * s, .alarm = "stream", .from = DQM_ALARM_WARNING,
                                .to = DQM_ALARM_OK };
  g_assert_cmpstr (dqm_registry_verdict (&log[3], 1, start, end, why, sizeof why), ==, "warning");
  g_assert_cmpstr (why, ==, "stream at WARNING or worse for 50 s of 600");
}

static void
put_run (sqlite3 *db, guint32 number, const char *beam, double energy, const char *tag, const char *quality,
         const char *snapshot)
{
  g_autoptr(GError) error = NULL;
  DqmRegistryRun run = { .run = number, .beam_energy_gev = energy };

  g_strlcpy (run.beam, beam, sizeof run.beam);
  g_strlcpy (run.setup_tag, tag, sizeof run.setup_tag);
  g_strlcpy (run.quality, quality, sizeof run.quality);
  g_assert_true (dqm_registry_store_write (db, &run, NULL, 0, NULL, 0, &error));
  if (snapshot)
    g_assert_true (dqm_registry_store_snapshot (db, number, snapshot, &error));
  g_assert_no_error (error);
}

static guint32
reference_for (sqlite3 *db, guint32 run, const char *beam, const char *tag, gboolean *shifter)
{
  g_autoptr(GError) error = NULL;
  DqmRegistryRun chosen;
  gboolean found = dqm_registry_store_reference (db, beam, g_str_equal (beam, "mu-") ? 160 : 100, tag, run, &chosen,
                                                 shifter, &error);

  g_assert_no_error (error);
  if (found)
    {
      g_autofree char *expected = g_strdup_printf ("/s/%u", chosen.run);

      g_assert_cmpstr (chosen.snapshot, ==, expected);
    }
  return found ? chosen.run : 0;
}

/* The latest good run of the same beam, energy and setup with a snapshot;
 * a shifter's good flag before any verdict, a bad flag never. */
static void
test_reference_choice (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = dqm_registry_store_open (f->path, TRUE, DQM_REGISTRY_SCHEMA, &error);
  gboolean shifter = TRUE;

  g_assert_no_error (error);
  put_run (db, 10, "e-", 100, "T", "good", "/s/10");
  put_run (db, 11, "e-", 100, "T", "bad", "/s/11");
  put_run (db, 12, "mu-", 160, "T", "good", "/s/12");
  put_run (db, 13, "e-", 100, "T", "good", "/s/13");
  g_assert_true (dqm_registry_store_flag (db, 13, "bad", "VETO off", &error));
  put_run (db, 14, "e-", 100, "other", "good", "/s/14");
  put_run (db, 15, "e-", 100, "T", "good", NULL);
  g_assert_cmpuint (reference_for (db, 20, "e-", "T", &shifter), ==, 10);
  g_assert_false (shifter);
  g_assert_cmpuint (reference_for (db, 20, "mu-", "T", &shifter), ==, 12);
  g_assert_cmpuint (reference_for (db, 20, "e-", "other", &shifter), ==, 14);
  g_assert_cmpuint (reference_for (db, 10, "e-", "T", &shifter), ==, 0);
  g_assert_cmpuint (reference_for (db, 20, "e+", "T", &shifter), ==, 0);
  /* A shifter's good flag wins over a newer good verdict. */
  g_assert_true (dqm_registry_store_flag (db, 11, "good", "checked by hand", &error));
  put_run (db, 16, "e-", 100, "T", "good", "/s/16");
  g_assert_cmpuint (reference_for (db, 20, "e-", "T", &shifter), ==, 11);
  g_assert_true (shifter);
  g_assert_cmpuint (reference_for (db, 11, "e-", "T", &shifter), ==, 10);
}

/* Every column of every table is a row of its table in docs/registry.md. */
static void
test_documented (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = dqm_registry_store_open (f->path, TRUE, DQM_REGISTRY_SCHEMA, &error);
  g_autofree char *doc = NULL;
  guint columns = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (REGISTRY_DOC, &doc, NULL, NULL));
  g_assert_nonnull (strstr (doc, "# The run registry (schema version 3)"));
  for (const char *const *table = (const char *const[]) { "runs", "spills", "alarm_log", NULL }; *table; table++)
    {
      g_autofree char *heading = g_strdup_printf ("\n### %s\n", *table);
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (%s)", *table);
      const char *section = strstr (doc, heading), *end;
      sqlite3_stmt *s = NULL;

      g_assert_nonnull (section);
      end = strstr (section + strlen (heading), "\n### ") ? strstr (section + strlen (heading), "\n### ")
                                                            : strstr (section, "\n## ");
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_autofree char *type = g_ascii_strdown ((const char *) sqlite3_column_text (s, 2), -1);
          g_autofree char *row = g_strdup_printf ("| `%s` | %s |", sqlite3_column_text (s, 1), type);
          const char *found = strstr (section, row);

          if (found == NULL || (end && found > end))
            g_error ("docs/registry.md's %s table lacks %s", *table, row);
          columns++;
        }
      sqlite3_finalize (s);
    }
  g_assert_cmpuint (columns, ==, 16 + 21 + 7);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/registry/verdict", test_verdict);
#define ADD(path, test) g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down)
  ADD ("/registry/runs-written-and-read-back", test_runs_written_and_read_back);
  ADD ("/registry/restart-and-replay-update-never-duplicate", test_restart_and_replay_update_never_duplicate);
  ADD ("/registry/locked-database-waits-and-loses-nothing", test_locked_database_waits_and_loses_nothing);
  ADD ("/registry/full-disk-waits-and-loses-nothing", test_full_disk_waits_and_loses_nothing);
  ADD ("/registry/damaged-file-is-moved-aside", test_damaged_file_is_moved_aside);
  ADD ("/registry/schema-migrated-forward", test_schema_migrated_forward);
  ADD ("/registry/newer-schema-left-alone", test_newer_schema_left_alone);
  ADD ("/registry/documented", test_documented);
  ADD ("/registry/reference-choice", test_reference_choice);
#undef ADD
  return g_test_run ();
}
