/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The viewer's sockets: SUB on the feed, DEALER on the commands. */
#include "dqm-client.h"

#include <errno.h>
#include <string.h>

#include <zmq.h>

#include "dqm-keys.h"
#include "dqm-service-error.h"
#include "dqm-state-wire.h"
#include "dqm-zmq.h"

#define FEED_HWM 64

struct _DqmClient {
  void             *feed, *commands;
  char             *command_endpoint;
  DqmKeyPair        key;
  gboolean          key_from_file;
  char              monitor_key[DQM_KEY_Z85_LENGTH + 1];
  gboolean          open_feed;
  gint64            next_id;
  DqmStateMirror   *mirror;
  gint64            last_update_us;
  DqmClientCounters counters;
};

static void
set_int (void *socket, int option, int value)
{
  zmq_setsockopt (socket, option, &value, sizeof value);
}

static gboolean
load_keys (DqmClient *self, const DqmClientOptions *options, GError **error)
{
  g_autofree char *dir = options->keys_dir ? g_strdup (options->keys_dir) : dqm_keys_default_dir ();
  g_autofree char *client = options->client_key ? g_strdup (options->client_key)
                                                : g_build_filename (dir, DQM_KEYS_CLIENT ".key", NULL);
  g_autofree char *monitor = NULL;
  DqmKeyPair pair;

  if (options->monitor_key && dqm_keys_public_is_valid (options->monitor_key))
    g_strlcpy (self->monitor_key, options->monitor_key, sizeof self->monitor_key);
  else
    {
      monitor = options->monitor_key ? g_strdup (options->monitor_key)
                                     : g_build_filename (dir, DQM_KEYS_MONITOR ".pub", NULL);
      if (!g_file_test (monitor, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                       "no monitor public key %s: copy the monitor's monitor.pub there, or give --monitor-key", monitor);
          return FALSE;
        }
      if (!dqm_keys_load (monitor, TRUE, &pair, error))
        return FALSE;
      g_strlcpy (self->monitor_key, pair.public_key, sizeof self->monitor_key);
    }
  if (g_file_test (client, G_FILE_TEST_EXISTS))
    {
      self->key_from_file = TRUE;
      return dqm_keys_load (client, FALSE, &self->key, error);
    }
  if (options->client_key)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS, "%s: no such key file (make one with "
                   "“na64dqm-ctl keygen”)", client);
      return FALSE;
    }
  /* Without a key of our own we may still watch: commands will be refused. */
  return dqm_keys_generate ("anonymous", &self->key, error);
}

static void
curve_client (DqmClient *self, void *socket)
{
  zmq_setsockopt (socket, ZMQ_CURVE_SERVERKEY, self->monitor_key, DQM_KEY_Z85_LENGTH);
  zmq_setsockopt (socket, ZMQ_CURVE_PUBLICKEY, self->key.public_key, DQM_KEY_Z85_LENGTH);
  zmq_setsockopt (socket, ZMQ_CURVE_SECRETKEY, self->key.secret_key, DQM_KEY_Z85_LENGTH);
}

static void *
connect_socket (DqmClient *self, int type, const char *endpoint, gboolean curve, guint queue, GError **error)
{
  void *socket = zmq_socket (dqm_zmq_context (), type);

  if (socket == NULL)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT, "%s: cannot create a socket: %s", endpoint,
                   zmq_strerror (zmq_errno ()));
      return NULL;
    }
  set_int (socket, ZMQ_LINGER, 0);
  /* Reconnect quickly after a monitor restart. */
  set_int (socket, ZMQ_RECONNECT_IVL, 200);
  set_int (socket, ZMQ_RECONNECT_IVL_MAX, 2000);
  if (curve)
    curve_client (self, socket);
  if (type == ZMQ_SUB)
    {
      gint64 max = DQM_STATE_WIRE_MAX_PAYLOAD + 1024;

      set_int (socket, ZMQ_RCVHWM, queue ? queue : FEED_HWM);
      if (queue && queue < FEED_HWM)
        set_int (socket, ZMQ_RCVBUF, 4096);
      zmq_setsockopt (socket, ZMQ_MAXMSGSIZE, &max, sizeof max);
      zmq_setsockopt (socket, ZMQ_SUBSCRIBE, DQM_STATE_WIRE_MAGIC, DQM_STATE_WIRE_MAGIC_LENGTH);
    }
  else
    {
      gint64 max = 256 << 20; /* a reply with 1000 events */

      zmq_setsockopt (socket, ZMQ_MAXMSGSIZE, &max, sizeof max);
      /* Requests wait for a connection made, not for one that may never be. */
      set_int (socket, ZMQ_IMMEDIATE, 1);
    }
  if (zmq_connect (socket, endpoint) != 0)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT, "%s: cannot connect: %s", endpoint,
                   zmq_strerror (zmq_errno ()));
      zmq_close (socket);
      return NULL;
    }
  return socket;
}

DqmClient *
dqm_client_new (const DqmClientOptions *options, GError **error)
{
  g_autoptr(DqmClient) self = g_new0 (DqmClient, 1);

  g_return_val_if_fail (options && options->feed_endpoint && options->command_endpoint, NULL);

  self->mirror = dqm_state_mirror_new ();
  self->open_feed = options->open_feed;
  self->command_endpoint = g_strdup (options->command_endpoint);
  if (!load_keys (self, options, error)
      || (self->feed = connect_socket (self, ZMQ_SUB, options->feed_endpoint, !options->open_feed,
                                       options->feed_queue, error)) == NULL
      || (self->commands = connect_socket (self, ZMQ_DEALER, options->command_endpoint, TRUE, 0, error)) == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
dqm_client_free (DqmClient *self)
{
  if (self == NULL)
    return;
  if (self->feed)
    zmq_close (self->feed);
  if (self->commands)
    zmq_close (self->commands);
  dqm_state_mirror_free (self->mirror);
  g_free (self->command_endpoint);
  g_free (self);
}

const char *
dqm_client_public_key (DqmClient *self, gboolean *from_file)
{
  if (from_file)
    *from_file = self->key_from_file;
  return self->key.public_key;
}

/* All frames of one message, as GBytes. */
static GPtrArray *
receive_frames (void *socket, int flags)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  int more = 1;
  size_t more_size = sizeof more;

  while (more)
    {
      zmq_msg_t msg;

      zmq_msg_init (&msg);
      if (zmq_msg_recv (&msg, socket, frames->len ? 0 : flags) < 0)
        {
          zmq_msg_close (&msg);
          if (frames->len == 0)
            {
              g_ptr_array_unref (frames);
              return NULL;
            }
          break;
        }
      g_ptr_array_add (frames, g_bytes_new (zmq_msg_data (&msg), zmq_msg_size (&msg)));
      zmq_msg_close (&msg);
      zmq_getsockopt (socket, ZMQ_RCVMORE, &more, &more_size);
    }
  return frames;
}

static gboolean
parse_reply (GBytes *frame, gint64 id, JsonObject **object, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (frame, &size);
  JsonNode *root;
  JsonObject *reply;

  if (!json_parser_load_from_data (parser, data, size, NULL) || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT, "the monitor's reply is not a JSON object");
      return FALSE;
    }
  reply = json_node_get_object (root);
  if (!json_object_has_member (reply, "id") || json_object_get_int_member (reply, "id") != id)
    return FALSE; /* a late reply to an earlier request */
  *object = json_object_ref (reply);
  return TRUE;
}

static void
reopen_commands (DqmClient *self)
{
  void *fresh = connect_socket (self, ZMQ_DEALER, self->command_endpoint, TRUE, 0, NULL);

  if (fresh == NULL)
    return;
  zmq_close (self->commands);
  self->commands = fresh;
}

gboolean
dqm_client_request (DqmClient *self, JsonObject *request, double timeout_s, JsonObject **reply, GPtrArray **frames,
                    GError **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  gint64 id = ++self->next_id;
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  json_object_set_int_member (request, "id", id);
  json_node_set_object (root, request);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* Sent once connected (ZMQ_IMMEDIATE), within the time given. */
  for (;;)
    {
      zmq_pollitem_t item = { self->commands, 0, ZMQ_POLLOUT, 0 };
      gint64 left = deadline - g_get_monotonic_time ();

      if (zmq_poll (&item, 1, left > 0 ? (long) (left / 1000) + 1 : 0) == 1)
        break;
      if (left <= 0)
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TIMEOUT,
                       "%s: no connection to the monitor within %.1f s (is it running, and is its monitor.pub the one "
                       "this client has?)", self->command_endpoint, timeout_s);
          return FALSE;
        }
    }
  zmq_send (self->commands, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
  zmq_send (self->commands, text, strlen (text), ZMQ_DONTWAIT);
  for (;;)
    {
      zmq_pollitem_t item = { self->commands, 0, ZMQ_POLLIN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      g_autoptr(GPtrArray) message = NULL;
      JsonObject *object = NULL;
      guint first;

      if (left <= 0 || zmq_poll (&item, 1, (long) (left / 1000) + 1) <= 0)
        {
          /* Given up: it must not reach a monitor that comes back later
           * (an acknowledgement of alarms raised since). */
          reopen_commands (self);
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TIMEOUT,
                       "%s: no answer from the monitor within %.1f s (is it running, and is its monitor.pub the one "
                       "this client has?)", self->command_endpoint, timeout_s);
          return FALSE;
        }
      if ((message = receive_frames (self->commands, ZMQ_DONTWAIT)) == NULL)
        continue;
      /* [empty] json frames… */
      first = message->len > 1 && g_bytes_get_size (message->pdata[0]) == 0 ? 1 : 0;
      if (first >= message->len || !parse_reply (message->pdata[first], id, &object, error))
        {
          if (error && *error)
            return FALSE;
          continue;
        }
      if (!json_object_get_boolean_member_with_default (object, "ok", FALSE))
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_REFUSED, "%s",
                       json_object_get_string_member_with_default (object, "error", "refused without a reason"));
          if (reply)
            *reply = object;
          else
            json_object_unref (object);
          return FALSE;
        }
      if (reply)
        *reply = object;
      else
        json_object_unref (object);
      if (frames)
        {
          *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
          for (guint i = first + 1; i < message->len; i++)
            g_ptr_array_add (*frames, g_bytes_ref (message->pdata[i]));
        }
      return TRUE;
    }
}

gboolean
dqm_client_command (DqmClient *self, const char *command, double timeout_s, JsonObject **reply, GError **error)
{
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "command", command);
  return dqm_client_request (self, request, timeout_s, reply, NULL, error);
}

static void
note_problem (DqmClient *self, const GError *error)
{
  g_strlcpy (self->counters.last_problem, error->message, sizeof self->counters.last_problem);
}

static gboolean
apply (DqmClient *self, GBytes *header_bytes, GBytes *payload, GError **error)
{
  DqmStateUpdateHeader header;
  gsize size;
  const guint8 *data = g_bytes_get_data (header_bytes, &size);

  guint64 held = dqm_state_mirror_sequence (self->mirror);

  if (!dqm_state_wire_read_header (data, size, &header, error))
    return FALSE;
  /* Already applied (queued before a whole state we asked for): skip it. */
  if (held && header.sequence <= held && held - header.sequence < 100000)
    return TRUE;
  if (!dqm_state_mirror_apply (self->mirror, &header, payload, error))
    return FALSE;
  self->counters.updates++;
  self->counters.full_updates += header.kind == DQM_STATE_UPDATE_FULL;
  self->counters.bytes += size + g_bytes_get_size (payload);
  self->last_update_us = g_get_monotonic_time ();
  return TRUE;
}

/* After a gap: the whole state, asked for on the command endpoint. */
static gboolean
fetch_full (DqmClient *self, GError **error)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GPtrArray) frames = NULL;

  json_object_set_string_member (request, "command", "state");
  if (!dqm_client_request (self, request, 5, NULL, &frames, error))
    return FALSE;
  if (frames->len != 2)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT, "a state reply of %u frames, not 2",
                   frames->len);
      return FALSE;
    }
  return apply (self, frames->pdata[0], frames->pdata[1], error);
}

gboolean
dqm_client_poll_feed (DqmClient *self, double timeout_s, GError **error)
{
  zmq_pollitem_t item = { self->feed, 0, ZMQ_POLLIN, 0 };
  gboolean changed = FALSE, gap = FALSE;

  if (zmq_poll (&item, 1, (long) (timeout_s * 1000)) <= 0)
    return FALSE;
  /* Everything that waits: only the newest matters, but each delta needs
   * the one before it. */
  for (;;)
    {
      g_autoptr(GPtrArray) frames = receive_frames (self->feed, ZMQ_DONTWAIT);
      g_autoptr(GError) local = NULL;

      if (frames == NULL)
        break;
      if (frames->len != 2)
        {
          self->counters.bad_updates++;
          g_snprintf (self->counters.last_problem, sizeof self->counters.last_problem,
                      "a feed message of %u frames, not 2", frames->len);
          continue;
        }
      if (apply (self, frames->pdata[0], frames->pdata[1], &local))
        {
          changed = TRUE;
          gap = FALSE;
        }
      else if (g_error_matches (local, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP))
        gap = TRUE;
      else
        {
          self->counters.bad_updates++;
          note_problem (self, local);
        }
    }
  if (gap)
    {
      g_autoptr(GError) local = NULL;

      self->counters.gaps++;
      if (fetch_full (self, &local))
        changed = TRUE;
      else
        {
          note_problem (self, local);
          g_propagate_error (error, g_steal_pointer (&local));
        }
    }
  return changed;
}

DqmState *
dqm_client_get_state (DqmClient *self)
{
  return dqm_state_mirror_get (self->mirror);
}

gint64
dqm_client_last_update_us (DqmClient *self)
{
  return self->last_update_us;
}

void
dqm_client_get_counters (DqmClient *self, DqmClientCounters *counters)
{
  *counters = self->counters;
}
