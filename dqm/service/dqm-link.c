/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local link forwards to the pipeline; the remote one runs a thread
 * with a DqmClient. */
#include "dqm-link.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dqm-service-error.h"
#include "dqm-stream.h"

#define REQUEST_TIMEOUT_S   3.0
#define FETCH_TIMEOUT_S     1.0   /* the feed waits meanwhile: short */
#define EVENTS_EVERY_US     G_USEC_PER_SEC
#define EVENTS_A_FETCH      20

typedef enum { COMMAND_ACK, COMMAND_RESET, COMMAND_SNAPSHOT, COMMAND_FLAG } CommandKind;

typedef struct {
  CommandKind kind;
  char       *name, *who, *comment;   /* a flag: its verdict in name */
  guint32     run;
} RemoteCommand;

struct _DqmLink {
  DqmPipeline  *pipeline;       /* in-process; NULL when remote */
  DqmRegistry  *registry;       /* in-process, or NULL: where flags go */
  /* remote */
  char         *feed, *commands, *keys_dir, *client_key, *monitor_key;
  DqmClient    *client;         /* the thread's */
  GThread      *thread;
  gint          stop;
  GAsyncQueue  *queue;          /* RemoteCommand */
  DqmEventRing *ring;
  GMutex        lock;           /* what follows */
  DqmState     *state;
  gint64        started_us, last_update_us;
  gint64        interval_us;    /* between the monitor's last two updates */
  DqmLinkStatus status;
};

static void
command_free (RemoteCommand *command)
{
  g_free (command->name);
  g_free (command->who);
  g_free (command->comment);
  g_free (command);
}

DqmLink *
dqm_link_new_local (DqmPipeline *pipeline)
{
  DqmLink *self = g_new0 (DqmLink, 1);

  g_mutex_init (&self->lock);
  self->pipeline = pipeline;
  return self;
}

/* --- the remote thread ------------------------------------------------- */

static void
note_refusal (DqmLink *self, const char *what, const GError *error)
{
  g_mutex_lock (&self->lock);
  g_snprintf (self->status.refusal, sizeof self->status.refusal, "%s: %s", what, error->message);
  self->status.refusal_us = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);
  g_message ("the monitor did not take %s: %s", what, error->message);
}

static void
send_command (DqmLink *self, RemoteCommand *command)
{
  static const char *const names[] = { "ack", "reset", "snapshot", "flag" };
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (request, "command", names[command->kind]);
  if (command->kind == COMMAND_ACK)
    {
      json_object_set_string_member (request, "alarm", command->name ? command->name : "all");
      if (command->who)
        json_object_set_string_member (request, "who", command->who);
      if (command->comment)
        json_object_set_string_member (request, "comment", command->comment);
    }
  else if (command->kind == COMMAND_RESET)
    json_object_set_string_member (request, "histogram", command->name);
  else if (command->kind == COMMAND_FLAG)
    {
      json_object_set_int_member (request, "run", command->run);
      json_object_set_string_member (request, "flag", command->name);
      json_object_set_string_member (request, "comment", command->comment ? command->comment : "");
    }
  if (!dqm_client_request (self->client, request, REQUEST_TIMEOUT_S, NULL, NULL, &error))
    note_refusal (self, names[command->kind], error);
}

/* The run, spill and event id of a kept message; FALSE if it is none. */
static gboolean
event_key (GBytes *message, DqmEvent *storage, guint64 key[3])
{
  DqmMessage decoded;
  gsize size;
  const guint8 *data = g_bytes_get_data (message, &size);

  if (!dqm_stream_decode (data, size, &decoded, storage, NULL) || decoded.type != DQM_MSG_EVT)
    return FALSE;
  key[0] = decoded.run;
  key[1] = storage->spill;
  key[2] = storage->event_id;
  return TRUE;
}

/* The newest few events, and the candidates when there are new ones: the
 * inspector's live view and its candidate list, at a remote's pace. */
static void
fetch_events (DqmLink *self, DqmEvent *storage, guint64 newest[3], guint64 *candidates_seen)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(DqmState) state = dqm_link_get_state (self);

  json_object_set_string_member (request, "command", "events");
  json_object_set_int_member (request, "newest", EVENTS_A_FETCH);
  if (dqm_client_request (self->client, request, FETCH_TIMEOUT_S, NULL, &frames, NULL))
    for (guint i = 0; i < frames->len; i++)
      {
        guint64 key[3];

        /* Only what is newer than what we hold (a new run starts over). */
        if (!event_key (frames->pdata[i], storage, key)
            || (key[0] == newest[0] && key[2] <= newest[2]))
          continue;
        memcpy (newest, key, sizeof key);
        dqm_event_ring_push (self->ring, g_bytes_get_data (frames->pdata[i], NULL),
                             g_bytes_get_size (frames->pdata[i]), FALSE);
      }
  if (state && state->candidates_total != *candidates_seen)
    {
      g_autoptr(JsonObject) ask = json_object_new ();
      g_autoptr(GPtrArray) kept = NULL;

      json_object_set_string_member (ask, "command", "events");
      json_object_set_boolean_member (ask, "candidates", TRUE);
      if (dqm_client_request (self->client, ask, FETCH_TIMEOUT_S, NULL, &kept, NULL))
        {
          dqm_event_ring_set_candidates (self->ring, kept);
          *candidates_seen = state->candidates_total;
        }
    }
}

/* Silent: no update for a second, or for three of the monitor's intervals
 * if it publishes more slowly. Called with the lock held. */
static gint64
silence_after (DqmLink *self)
{
  return MAX ((gint64) (DQM_LINK_SILENT_S * G_USEC_PER_SEC), 3 * self->interval_us);
}

static gpointer
mirror (gpointer data)
{
  DqmLink *self = data;
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  guint64 newest[3] = { 0, 0, 0 }, candidates_seen = 0;
  gint64 last_fetch = 0;
  gboolean silent;

  while (!g_atomic_int_get (&self->stop))
    {
      RemoteCommand *command;
      gint64 now, last;

      if (dqm_client_poll_feed (self->client, 0.05, NULL))
        {
          DqmState *state = dqm_client_get_state (self->client);

          g_mutex_lock (&self->lock);
          dqm_state_unref (self->state);
          self->state = state;
          g_mutex_unlock (&self->lock);
        }
      now = g_get_monotonic_time ();
      last = dqm_client_last_update_us (self->client);
      g_mutex_lock (&self->lock);
      /* Back after a silence: say for how long it was gone. */
      if (last > self->last_update_us && self->last_update_us)
        {
          gint64 gap = last - self->last_update_us;

          if (gap > silence_after (self))
            {
              self->status.recoveries++;
              self->status.last_silence_s = gap / (double) G_USEC_PER_SEC;
              self->status.recovered_us = last;
            }
          else
            self->interval_us = gap; /* the monitor's pace, whatever its --publish-ms */
        }
      if (last)
        self->last_update_us = last;
      silent = now - MAX (self->last_update_us, self->started_us) > silence_after (self);
      g_mutex_unlock (&self->lock);
      while ((command = g_async_queue_try_pop (self->queue)))
        {
          send_command (self, command);
          command_free (command);
        }
      /* A silent monitor is not asked for events: the commands' timeouts
       * would hold up the feed. */
      if (!silent && self->last_update_us && now - last_fetch >= EVENTS_EVERY_US)
        {
          fetch_events (self, storage, newest, &candidates_seen);
          last_fetch = now;
        }
    }
  return NULL;
}

DqmLink *
dqm_link_new_remote (const DqmClientOptions *options, guint kept_events, GError **error)
{
  g_autoptr(DqmLink) self = g_new0 (DqmLink, 1);
  DqmClientOptions own = *options;

  g_mutex_init (&self->lock);
  self->feed = g_strdup (options->feed_endpoint);
  self->commands = g_strdup (options->command_endpoint);
  self->keys_dir = g_strdup (options->keys_dir);
  self->client_key = g_strdup (options->client_key);
  self->monitor_key = g_strdup (options->monitor_key);
  own.feed_endpoint = self->feed;
  own.command_endpoint = self->commands;
  own.keys_dir = self->keys_dir;
  own.client_key = self->client_key;
  own.monitor_key = self->monitor_key;
  if ((self->client = dqm_client_new (&own, error)) == NULL)
    return NULL;
  self->status.remote = TRUE;
  g_strlcpy (self->status.monitor, options->feed_endpoint, sizeof self->status.monitor);
  self->queue = g_async_queue_new_full ((GDestroyNotify) command_free);
  self->ring = dqm_event_ring_new (MAX (kept_events, 1), 200);
  self->started_us = g_get_monotonic_time ();
  self->thread = g_thread_new ("dqm-link", mirror, self);
  return g_steal_pointer (&self);
}

void
dqm_link_free (DqmLink *self)
{
  if (self == NULL)
    return;
  if (self->thread)
    {
      g_atomic_int_set (&self->stop, 1);
      g_thread_join (self->thread);
    }
  dqm_client_free (self->client);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->ring, dqm_event_ring_free);
  dqm_state_unref (self->state);
  g_free (self->feed);
  g_free (self->commands);
  g_free (self->keys_dir);
  g_free (self->client_key);
  g_free (self->monitor_key);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* --- what the window calls --------------------------------------------- */

DqmState *
dqm_link_try_get_state (DqmLink *self)
{
  DqmState *state;

  if (self->pipeline)
    return dqm_pipeline_try_get_state (self->pipeline);
  if (!g_mutex_trylock (&self->lock))
    return NULL;
  state = self->state ? dqm_state_ref (self->state) : NULL;
  g_mutex_unlock (&self->lock);
  return state;
}

DqmState *
dqm_link_get_state (DqmLink *self)
{
  DqmState *state;

  if (self->pipeline)
    return dqm_pipeline_get_state (self->pipeline);
  g_mutex_lock (&self->lock);
  state = self->state ? dqm_state_ref (self->state) : NULL;
  g_mutex_unlock (&self->lock);
  return state;
}

static void
queue_command (DqmLink *self, CommandKind kind, const char *name, const char *who, const char *comment)
{
  RemoteCommand *command = g_new0 (RemoteCommand, 1);

  command->kind = kind;
  command->name = g_strdup (name);
  command->who = g_strdup (who);
  command->comment = g_strdup (comment);
  g_async_queue_push (self->queue, command);
}

void
dqm_link_acknowledge (DqmLink *self, const char *alarm_id, const char *who, const char *comment)
{
  if (self->pipeline)
    dqm_pipeline_acknowledge (self->pipeline, alarm_id, who, comment);
  else
    queue_command (self, COMMAND_ACK, alarm_id, who, comment);
}

void
dqm_link_reset_histogram (DqmLink *self, const char *name)
{
  if (self->pipeline)
    dqm_pipeline_reset_histogram (self->pipeline, name);
  else
    queue_command (self, COMMAND_RESET, name, NULL, NULL);
}

void
dqm_link_request_snapshot (DqmLink *self)
{
  if (self->pipeline)
    dqm_pipeline_request_snapshot (self->pipeline);
  else
    queue_command (self, COMMAND_SNAPSHOT, NULL, NULL, NULL);
}

void
dqm_link_set_registry (DqmLink *self, DqmRegistry *registry)
{
  g_return_if_fail (self->pipeline != NULL);

  self->registry = registry;
}

gboolean
dqm_link_flag_run (DqmLink *self, guint32 run, const char *flag, const char *comment, GError **error)
{
  RemoteCommand *command;

  /* The monitor's own limits, said here rather than after the fact. */
  if (comment && (strlen (comment) > DQM_ALARM_COMMENT_MAX || strpbrk (comment, "\n\r\t")))
    return g_set_error (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_FAILED,
                        _("the comment must be one line of at most %d bytes"), DQM_ALARM_COMMENT_MAX), FALSE;
  if (self->pipeline)
    {
      if (self->registry == NULL)
        return g_set_error (error, DQM_REGISTRY_ERROR, DQM_REGISTRY_ERROR_FAILED,
                            _("this display keeps no run registry")), FALSE;
      /* Not looked up in the file here, on the display's thread: a run the
       * file lacks is said by the writer, and its flag dropped. */
      dqm_registry_flag (self->registry, run, flag, comment ? comment : "");
      return TRUE;
    }
  /* The monitor says whether it took it: a refusal shows in the status. */
  command = g_new0 (RemoteCommand, 1);
  command->kind = COMMAND_FLAG;
  command->run = run;
  command->name = g_strdup (flag);
  command->comment = g_strdup (comment);
  g_async_queue_push (self->queue, command);
  return TRUE;
}

DqmEventRing *
dqm_link_get_event_ring (DqmLink *self)
{
  return self->pipeline ? dqm_pipeline_get_event_ring (self->pipeline) : self->ring;
}

void
dqm_link_get_status (DqmLink *self, DqmLinkStatus *status)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  *status = self->status;
  if (!self->pipeline)
    {
      status->silent_s = (now - MAX (self->last_update_us, self->started_us)) / (double) G_USEC_PER_SEC;
      status->silent = status->silent_s * G_USEC_PER_SEC > silence_after (self);
    }
  if (self->state)
    status->state_age_s = (g_get_real_time () - self->state->made_us) / (double) G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
}
