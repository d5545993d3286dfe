/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry's queue of rows and the thread that writes them. */
#include "dqm-registry.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dqm-registry-store.h"

#define RETRY_FIRST_S   1.0
#define RETRY_LAST_S    30.0
#define EARLIER_RUN_US  (10 * G_USEC_PER_SEC) /* log lines this long before a run's start are an earlier run's */

typedef enum {
  BATCH_ROWS,
  BATCH_SNAPSHOT,
  BATCH_FLAG,
} BatchKind;

typedef struct {
  BatchKind      kind;
  gboolean       has_run;
  DqmRegistryRun run;
  GArray        *spills;  /* DqmRegistrySpill */
  GArray        *alarms;  /* DqmRegistryAlarm */
  guint32        number;  /* snapshot and flag: the run */
  char          *text, *comment;
} Batch;

struct _DqmRegistry {
  char             *path;
  GThread          *thread;
  GMutex            lock;
  GCond             changed;
  GQueue            pending;     /* Batch, the oldest first */
  gboolean          stopping;
  gint64            stop_by_us;  /* monotonic */
  guint             max_pages;
  DqmRegistryStatus status;
  /* What record () has queued of the run it last saw. */
  guint32           run;
  guint             spills_queued, log_queued;
  GArray           *run_alarms;  /* its alarm lines, for the verdict */
  gint64            run_first_us; /* wall clock: when it was first recorded */
};

static Batch *
batch_new (BatchKind kind)
{
  Batch *b = g_new0 (Batch, 1);

  b->kind = kind;
  b->spills = g_array_new (FALSE, TRUE, sizeof (DqmRegistrySpill));
  b->alarms = g_array_new (FALSE, TRUE, sizeof (DqmRegistryAlarm));
  return b;
}

static void
batch_free (Batch *b)
{
  g_array_unref (b->spills);
  g_array_unref (b->alarms);
  g_free (b->text);
  g_free (b->comment);
  g_free (b);
}

/* The file, made or migrated as this program writes it; @max_pages before
 * anything is written (the tests' full disk). */
static sqlite3 *
open_file (const char *path, guint max_pages, GError **error)
{
  g_autoptr(sqlite3) db = dqm_registry_store_open (path, TRUE, 0, error);
  g_autofree char *limit = g_strdup_printf ("PRAGMA max_page_count = %u", max_pages ? max_pages : 1073741823u);

  if (db == NULL)
    return NULL;
  sqlite3_exec (db, limit, NULL, NULL, NULL);
  if (!dqm_registry_store_migrate (db, DQM_REGISTRY_SCHEMA, error))
    return NULL;
  return g_steal_pointer (&db);
}

static gboolean
write_batch (sqlite3 *db, const Batch *b, guint max_pages, GError **error)
{
  g_autofree char *limit = g_strdup_printf ("PRAGMA max_page_count = %u", max_pages ? max_pages : 1073741823u);

  sqlite3_exec (db, limit, NULL, NULL, NULL);
  switch (b->kind)
    {
    case BATCH_ROWS:
      return dqm_registry_store_write (db, b->has_run ? &b->run : NULL, (const DqmRegistrySpill *) b->spills->data,
                                       b->spills->len, (const DqmRegistryAlarm *) b->alarms->data, b->alarms->len,
                                       error);
    case BATCH_SNAPSHOT:
      return dqm_registry_store_snapshot (db, b->number, b->text, error);
    case BATCH_FLAG:
      return dqm_registry_store_flag (db, b->number, b->text, b->comment, error);
    }
  return FALSE;
}

/* A damaged file is kept for whoever wants to look, under another name. */
static void
move_aside (const char *path, GString *said)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);

  for (const char *const *suffix = (const char *const[]) { "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *from = g_strconcat (path, *suffix, NULL), *to = g_strconcat (aside, *suffix, NULL);

      g_rename (from, to);
    }
  if (g_rename (path, aside) == 0)
    g_string_append_printf (said, "; moved aside to %s, a new registry begun", aside);
  else
    g_string_append_printf (said, "; could not move it aside: %s", g_strerror (errno));
}

static gpointer
write_rows (gpointer data)
{
  DqmRegistry *self = data;
  g_autoptr(sqlite3) db = NULL;
  double retry_s = RETRY_FIRST_S;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      Batch *head;
      guint max_pages;
      gboolean written;

      while (g_queue_is_empty (&self->pending) && !self->stopping)
        g_cond_wait (&self->changed, &self->lock);
      if (g_queue_is_empty (&self->pending)
          || (self->stopping && g_get_monotonic_time () >= self->stop_by_us))
        break;
      head = g_queue_peek_head (&self->pending);
      max_pages = self->max_pages;
      g_mutex_unlock (&self->lock);
      /* The batch stays queued until SQLite has committed it. */
      written = (db || (db = open_file (self->path, max_pages, &error)))
                && write_batch (db, head, max_pages, &error);
      g_mutex_lock (&self->lock);
      if (written)
        {
          batch_free (g_queue_pop_head (&self->pending));
          self->status.batches_written++;
          self->status.last_error[0] = '\0';
          retry_s = RETRY_FIRST_S;
          g_cond_broadcast (&self->changed);
          continue;
        }
      if (g_error_matches (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_NO_RUN))
        {
          /* A flag for a run the file will never hold: said, and not tried again. */
          g_message ("registry: %s: the flag is dropped", error->message);
          batch_free (g_queue_pop_head (&self->pending));
          g_cond_broadcast (&self->changed);
          continue;
        }
      {
        g_autoptr(GString) said = g_string_new (error ? error->message : "failed");

        g_clear_pointer (&db, sqlite3_close); /* opened anew at the next try */
        if (g_error_matches (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_CORRUPT))
          move_aside (self->path, said);
        else
          g_string_append_printf (said, "; kept in memory, tried again in %.0f s", retry_s);
        self->status.failures++;
        g_strlcpy (self->status.last_error, said->str, sizeof self->status.last_error);
        g_message ("registry: %s", said->str);
      }
      g_cond_wait_until (&self->changed, &self->lock,
                         g_get_monotonic_time () + (gint64) (retry_s * G_USEC_PER_SEC));
      retry_s = MIN (retry_s * 2, RETRY_LAST_S);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

DqmRegistry *
dqm_registry_new (const char *path)
{
  DqmRegistry *self = g_new0 (DqmRegistry, 1);

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  g_queue_init (&self->pending);
  self->run_alarms = g_array_new (FALSE, TRUE, sizeof (DqmRegistryAlarm));
  self->thread = g_thread_new ("dqm-registry", write_rows, self);
  return self;
}

void
dqm_registry_free (DqmRegistry *self, double timeout_s)
{
  guint left;

  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  self->stop_by_us = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  if ((left = g_queue_get_length (&self->pending)))
    g_message ("registry: %s: %u batch%s of rows could not be written before the exit (%s)", self->path, left,
               left == 1 ? "" : "es", self->status.last_error);
  g_queue_clear_full (&self->pending, (GDestroyNotify) batch_free);
  g_array_unref (self->run_alarms);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_free (self->path);
  g_free (self);
}

const char *
dqm_registry_get_path (DqmRegistry *self)
{
  return self->path;
}

static void
queue (DqmRegistry *self, Batch *b)
{
  g_queue_push_tail (&self->pending, b);
  g_cond_broadcast (&self->changed);
}

/* A run seen for the first time: its lines start at its start (by the
 * stream's clock); older ones (a checkpoint's) are earlier runs'. */
static void
begin_run (DqmRegistry *self, const DqmState *state)
{
  gint64 start_us = state->run.start_ns / 1000;

  self->run = state->run.run;
  self->spills_queued = 0;
  self->log_queued = 0;
  while (self->log_queued < state->alarm_log->len
         && g_array_index (state->alarm_log, DqmAlarmLogEntry, self->log_queued).time_us < start_us - EARLIER_RUN_US)
    self->log_queued++;
  g_array_set_size (self->run_alarms, 0);
  self->run_first_us = state->made_us;
}

void
dqm_registry_record (DqmRegistry *self, const DqmState *state)
{
  Batch *b;

  g_return_if_fail (self != NULL && state != NULL);
  if (state->run.run == 0)
    return;
  b = batch_new (BATCH_ROWS);
  g_mutex_lock (&self->lock);
  if (state->run.run != self->run)
    begin_run (self, state);
  if (state->spills->len < self->spills_queued)
    self->spills_queued = 0;
  for (; self->spills_queued < state->spills->len; self->spills_queued++)
    {
      DqmRegistrySpill spill;

      dqm_registry_spill_of (state->spills->pdata[self->spills_queued], &spill);
      g_array_append_val (b->spills, spill);
    }
  if (state->alarm_log->len < self->log_queued)
    self->log_queued = 0;
  for (; self->log_queued < state->alarm_log->len; self->log_queued++)
    {
      DqmRegistryAlarm alarm;

      dqm_registry_alarm_of (state->run.run, &g_array_index (state->alarm_log, DqmAlarmLogEntry, self->log_queued),
                             &alarm);
      g_array_append_val (b->alarms, alarm);
      g_array_append_val (self->run_alarms, alarm);
    }
  b->has_run = TRUE;
  dqm_registry_run_of (state, &b->run);
  if (state->run.ended)
    {
      gint64 start_us = self->run_first_us;

      /* By the monitor's clock, as the log's lines are. */
      if (self->run_alarms->len)
        start_us = MIN (start_us, g_array_index (self->run_alarms, DqmRegistryAlarm, 0).time_us);
      g_strlcpy (b->run.quality,
                 dqm_registry_verdict ((const DqmRegistryAlarm *) self->run_alarms->data, self->run_alarms->len,
                                       start_us, state->made_us, b->run.quality_reason, sizeof b->run.quality_reason),
                 sizeof b->run.quality);
    }
  queue (self, b);
  g_mutex_unlock (&self->lock);
}

void
dqm_registry_set_snapshot (DqmRegistry *self, guint32 run, const char *snapshot)
{
  Batch *b = batch_new (BATCH_SNAPSHOT);

  b->number = run;
  b->text = g_strdup (snapshot);
  g_mutex_lock (&self->lock);
  queue (self, b);
  g_mutex_unlock (&self->lock);
}

void
dqm_registry_flag (DqmRegistry *self, guint32 run, const char *flag, const char *comment)
{
  Batch *b = batch_new (BATCH_FLAG);

  b->number = run;
  b->text = g_strdup (flag);
  b->comment = g_strdup (comment);
  g_mutex_lock (&self->lock);
  queue (self, b);
  g_mutex_unlock (&self->lock);
}

gboolean
dqm_registry_knows_run (DqmRegistry *self, guint32 run, GError **error)
{
  g_autoptr(sqlite3) db = NULL;
  gboolean queued = FALSE;

  g_mutex_lock (&self->lock);
  for (GList *l = self->pending.head; l && !queued; l = l->next)
    queued = ((Batch *) l->data)->kind == BATCH_ROWS && ((Batch *) l->data)->has_run
             && ((Batch *) l->data)->run.run == run;
  g_mutex_unlock (&self->lock);
  if (queued)
    return TRUE;
  /* A reader of its own: the writer's connection is its thread's. */
  if ((db = dqm_registry_store_open (self->path, FALSE, DQM_REGISTRY_SCHEMA, error)) == NULL)
    return FALSE;
  if (dqm_registry_store_has_run (db, run, error))
    return TRUE;
  if (error && *error == NULL)
    g_set_error (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_NO_RUN, "%s: no run %u in the registry", self->path,
                 run);
  return FALSE;
}

gboolean
dqm_registry_choose_reference (DqmRegistry *self, const DqmState *state, char **snapshot, char **label,
                               GError **error)
{
  g_autoptr(sqlite3) db = NULL;
  DqmRegistryRun run, chosen;
  gboolean shifter = FALSE;

  /* No file yet (a new beamtime): no reference, nothing wrong. */
  if (!g_file_test (self->path, G_FILE_TEST_EXISTS)
      || (db = dqm_registry_store_open (self->path, FALSE, DQM_REGISTRY_SCHEMA, error)) == NULL)
    return FALSE;
  dqm_registry_run_of (state, &run);
  if (!dqm_registry_store_reference (db, run.beam, run.beam_energy_gev, run.setup_tag, run.run, &chosen, &shifter,
                                     error))
    return FALSE;
  *snapshot = g_strdup (chosen.snapshot);
  *label = g_strdup_printf ("run %u, the latest of %s %.0f GeV “%s” %s", chosen.run, run.beam, run.beam_energy_gev,
                            run.setup_tag, shifter ? "that a shifter flagged good"
                                                   : "with a good automatic verdict (none flagged good)");
  return TRUE;
}

gboolean
dqm_registry_flush (DqmRegistry *self, double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  gboolean empty;

  g_mutex_lock (&self->lock);
  while (!g_queue_is_empty (&self->pending) && g_cond_wait_until (&self->changed, &self->lock, deadline))
    ;
  empty = g_queue_is_empty (&self->pending);
  g_mutex_unlock (&self->lock);
  return empty;
}

void
dqm_registry_get_status (DqmRegistry *self, DqmRegistryStatus *status)
{
  g_mutex_lock (&self->lock);
  *status = self->status;
  status->pending = g_queue_get_length (&self->pending);
  g_mutex_unlock (&self->lock);
}

void
dqm_registry_set_max_pages (DqmRegistry *self, guint pages)
{
  g_mutex_lock (&self->lock);
  self->max_pages = pages;
  g_cond_broadcast (&self->changed); /* tried again at once */
  g_mutex_unlock (&self->lock);
}
