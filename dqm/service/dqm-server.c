/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The service thread: ZAP handler, XPUB feed, ROUTER commands. */
#include "dqm-server.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>
#include <zmq.h>

#include "dqm-endpoint.h"
#include "dqm-keys.h"
#include "dqm-reference.h"
#include "dqm-service-error.h"
#include "dqm-state-wire.h"
#include "dqm-status.h"
#include "dqm-stream.h"
#include "dqm-thread.h"

#define ZAP_ENDPOINT       "inproc://zeromq.zap.01"
#define STOP_ENDPOINT      "inproc://dqm-server-stop"
#define MAX_REQUEST        (64 * 1024)     /* refused beyond, with a reply */
#define MAX_MESSAGE        (1024 * 1024)   /* the peer is dropped beyond: never held in memory */
#define REQUESTS_PER_S     100.0
#define CHANGES_PER_S      20.0
#define STATES_PER_S       2.0
#define REPLY_QUEUE        256             /* replies held for a client that does not read them */
#define FULL_AT_MOST_US    G_USEC_PER_SEC  /* joins ask for full states: one a second at most */
#define MAX_EVENTS         1000
#define FEED_HWM           64              /* updates queued to a slow viewer before it misses some */
#define UNKNOWN_KEY        "-"             /* the name of a key not in the allowlist */

struct _DqmServer {
  DqmServerOptions  options;
  char             *feed_endpoint, *command_endpoint, *snapshot_dir, *keys_dir;
  DqmPipeline      *pipeline;
  DqmKeyPair        key;
  DqmAllowlist     *allowlist;
  void             *context, *zap, *feed, *commands, *stop_in, *stop_out;
  GThread          *thread;
  DqmStateEncoder  *encoder;
  DqmState         *last_state;  /* of the last update */
  gboolean          want_full;
  gint64            last_full_us;
  GHashTable       *buckets;     /* client key (Z85) → Bucket: each client its own rate */
  GMutex            lock;        /* counters */
  DqmServerCounters counters;
};

void
dqm_server_options_init (DqmServerOptions *options)
{
  memset (options, 0, sizeof *options);
  options->feed_security = DQM_FEED_CURVE;
  options->publish_interval_s = 0.25;
  options->full_interval_s = 5;
}

static gboolean
zmq_error (GError **error, const char *endpoint, const char *what)
{
  g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT, "%s: %s: %s", endpoint, what,
               zmq_strerror (zmq_errno ()));
  return FALSE;
}

static void
set_int (void *socket, int option, int value)
{
  zmq_setsockopt (socket, option, &value, sizeof value);
}

#define COUNT(self, field, n) G_STMT_START { g_mutex_lock (&(self)->lock); (self)->counters.field += (n); \
                                             g_mutex_unlock (&(self)->lock); } G_STMT_END

/* --- keys -------------------------------------------------------------- */

/* The monitor's key pair: read, or made on first start when it serves
 * only this machine. Elsewhere, keys and an allowlist must exist. */
static gboolean
load_keys (DqmServer *self, gboolean loopback, GError **error)
{
  g_autofree char *path = g_build_filename (self->keys_dir, DQM_KEYS_MONITOR ".key", NULL);
  g_autofree char *allowlist = g_build_filename (self->keys_dir, DQM_KEYS_ALLOWLIST, NULL);
  const char *how = "make them with “na64dqm-ctl keygen --monitor --keys DIR”, add each client's public key with "
                    "“na64dqm-ctl allow NAME KEY --keys DIR” and give --keys DIR (docs/state-v1.md)";

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!loopback)
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                       "refusing to serve beyond this machine without keys (no %s): %s", path, how);
          return FALSE;
        }
      if (!dqm_keys_generate (DQM_KEYS_MONITOR, &self->key, error) || !dqm_keys_save (self->keys_dir, &self->key, FALSE, error))
        return FALSE;
      g_message ("made the monitor's key pair %s (viewers need its .pub)", path);
    }
  else if (!dqm_keys_load (path, FALSE, &self->key, error))
    return FALSE;
  self->allowlist = dqm_allowlist_new (allowlist);
  if (!loopback && dqm_allowlist_count (self->allowlist) == 0)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "refusing to serve beyond this machine with no client key allowed (%s is empty or missing): %s",
                   allowlist, how);
      return FALSE;
    }
  return TRUE;
}

/* --- ZAP (RFC 27) ------------------------------------------------------ */

static void
send_string (void *socket, const char *text, gboolean more)
{
  zmq_send (socket, text, strlen (text), more ? ZMQ_SNDMORE : 0);
}

static void
handle_zap (DqmServer *self)
{
  zmq_msg_t frames[7];
  int n = 0, more = 1;
  size_t more_size = sizeof more;
  const char *status = "400", *text = "refused", *user = UNKNOWN_KEY;
  char version[8] = "", domain[16] = "", mechanism[8] = "";
  char key_text[DQM_KEY_Z85_LENGTH + 1];

  while (more)
    {
      zmq_msg_t scratch;
      zmq_msg_t *frame = n < 7 ? &frames[n] : &scratch;

      zmq_msg_init (frame);
      if (zmq_msg_recv (frame, self->zap, 0) < 0)
        {
          /* Still answer (REP must), with what we have: a refusal. */
          zmq_msg_close (frame);
          break;
        }
      zmq_getsockopt (self->zap, ZMQ_RCVMORE, &more, &more_size);
      if (n >= 7)
        zmq_msg_close (frame);
      n++;
    }
  if (n < 6)
    goto done;
#define COPY(to, i) memcpy (to, zmq_msg_data (&frames[i]), MIN (zmq_msg_size (&frames[i]), sizeof to - 1))
  COPY (version, 0);
  COPY (domain, 2);
  COPY (mechanism, 5);
#undef COPY
  if (g_str_equal (mechanism, "CURVE") && n >= 7 && zmq_msg_size (&frames[6]) == 32)
    {
      const char *name = dqm_allowlist_lookup (self->allowlist, zmq_msg_data (&frames[6]));

      if (g_str_equal (domain, "feed") && self->options.feed_security == DQM_FEED_ALLOWED && name == NULL)
        text = "this client's key is not in the monitor's allowlist";
      else
        {
          status = "200";
          text = "OK";
          /* The key itself: each command is judged against the allowlist
           * as it is then, so a key allowed later needs no reconnection. */
          zmq_z85_encode (key_text, zmq_msg_data (&frames[6]), 32);
          user = key_text;
        }
    }
  else if (g_str_equal (mechanism, "NULL") && g_str_equal (domain, "feed")
           && self->options.feed_security == DQM_FEED_OPEN)
    {
      status = "200";
      text = "OK";
    }
done:
  if (!g_str_equal (status, "200"))
    COUNT (self, handshakes_denied, 1);
  /* The reply echoes the version and the request id. */
  send_string (self->zap, "1.0", TRUE);
  if (n >= 2)
    zmq_send (self->zap, zmq_msg_data (&frames[1]), zmq_msg_size (&frames[1]), ZMQ_SNDMORE);
  else
    send_string (self->zap, "", TRUE);
  send_string (self->zap, status, TRUE);
  send_string (self->zap, text, TRUE);
  send_string (self->zap, user, TRUE);
  send_string (self->zap, "", FALSE);
  for (int i = 0; i < MIN (n, 7); i++)
    zmq_msg_close (&frames[i]);
}

/* --- the feed ---------------------------------------------------------- */

static void
bytes_free (void *data, void *hint)
{
  g_bytes_unref (hint);
}

static void
send_bytes (void *socket, GBytes *bytes, int flags)
{
  zmq_msg_t msg;
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  /* ZeroMQ sends from the GBytes itself and lets it go when done. */
  zmq_msg_init_data (&msg, (void *) data, size, bytes_free, g_bytes_ref (bytes));
  if (zmq_msg_send (&msg, socket, flags) < 0)
    zmq_msg_close (&msg);
}

static void
send_update (void *socket, const DqmStateUpdateHeader *header, GBytes *payload, int flags)
{
  guint8 raw[DQM_STATE_WIRE_HEADER_SIZE];

  dqm_state_wire_write_header (header, raw);
  zmq_send (socket, raw, sizeof raw, ZMQ_SNDMORE | flags);
  send_bytes (socket, payload, flags);
}

static void
publish (DqmServer *self, gint64 now)
{
  g_autoptr(DqmState) state = dqm_pipeline_get_state (self->pipeline);
  gboolean full = (self->want_full && now - self->last_full_us >= FULL_AT_MOST_US)
                  || now - self->last_full_us >= (gint64) (self->options.full_interval_s * G_USEC_PER_SEC);
  DqmStateUpdateHeader header;
  g_autoptr(GBytes) payload = dqm_state_encoder_update (self->encoder, state, full, &header);

  send_update (self->feed, &header, payload, ZMQ_DONTWAIT);
  if (header.kind == DQM_STATE_UPDATE_FULL)
    {
      self->last_full_us = now;
      self->want_full = FALSE;
    }
  dqm_state_unref (self->last_state);
  self->last_state = g_steal_pointer (&state);
  g_mutex_lock (&self->lock);
  self->counters.sequence = header.sequence;
  self->counters.updates++;
  self->counters.full_updates += header.kind == DQM_STATE_UPDATE_FULL;
  self->counters.bytes_published += DQM_STATE_WIRE_HEADER_SIZE + header.payload_size;
  g_mutex_unlock (&self->lock);
}

/* XPUB hands us each (un)subscription: a joining viewer gets a full state
 * with the next update. */
static void
handle_subscriptions (DqmServer *self)
{
  guint8 buffer[64];
  int n;

  while ((n = zmq_recv (self->feed, buffer, sizeof buffer, ZMQ_DONTWAIT)) > 0)
    {
      g_mutex_lock (&self->lock);
      if (buffer[0] == 1)
        {
          self->counters.viewers++;
          self->want_full = TRUE;
        }
      else if (buffer[0] == 0 && self->counters.viewers > 0)
        self->counters.viewers--;
      g_mutex_unlock (&self->lock);
    }
}

/* --- commands ---------------------------------------------------------- */

typedef struct {
  JsonObject *request;
  const char *user;     /* the allowlist's name for the client's key, or UNKNOWN_KEY */
  const char *client;   /* the client's key (Z85), or "" */
  GPtrArray  *extra;    /* GBytes frames after the reply */
  JsonBuilder *reply;   /* an object under way, "ok" still to come */
  gint64      id;       /* the request's "id", echoed so a client matches replies */
  gboolean    have_id;
  char        error[300];
} Request;

static gboolean
refuse (Request *r, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (Request *r, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (r->error, sizeof r->error, format, args);
  va_end (args);
  return FALSE;
}

static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}

static gboolean
int_member (JsonObject *object, const char *name, gint64 *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
do_status (DqmServer *self, Request *r)
{
  DqmServerCounters counters;
  DqmRegistryStatus registry;
  g_autoptr(DqmState) state = dqm_pipeline_get_state (self->pipeline);

  dqm_server_get_counters (self, &counters);
  if (self->options.registry)
    dqm_registry_get_status (self->options.registry, &registry);
  json_builder_set_member_name (r->reply, "status");
  json_builder_add_value (r->reply, dqm_status_to_json (state, &counters, self->options.registry ? &registry : NULL));
  return TRUE;
}

static gboolean
do_state (DqmServer *self, Request *r)
{
  DqmStateUpdateHeader header;
  GBytes *payload;
  guint8 raw[DQM_STATE_WIRE_HEADER_SIZE];

  if (self->last_state == NULL)
    publish (self, g_get_monotonic_time ());
  payload = dqm_state_encoder_full (self->encoder, self->last_state, &header);
  dqm_state_wire_write_header (&header, raw);
  g_ptr_array_add (r->extra, g_bytes_new (raw, sizeof raw));
  g_ptr_array_add (r->extra, payload);
  return TRUE;
}

/* The event id of a kept "evt" message. */
static gboolean
event_ids (GBytes *message, DqmEvent *storage, guint32 *run, guint32 *spill, guint64 *event_id)
{
  DqmMessage decoded;
  gsize size;
  const guint8 *data = g_bytes_get_data (message, &size);

  if (!dqm_stream_decode (data, size, &decoded, storage, NULL) || decoded.type != DQM_MSG_EVT)
    return FALSE;
  *run = decoded.run;
  *spill = decoded.evt->spill;
  *event_id = decoded.evt->event_id;
  return TRUE;
}

static gboolean
do_events (DqmServer *self, Request *r)
{
  DqmEventRing *ring = dqm_pipeline_get_event_ring (self->pipeline);
  g_autoptr(GPtrArray) kept = NULL;
  gint64 newest = 0, run = 0, spill = 0, event_id = 0;
  JsonNode *candidates = json_object_get_member (r->request, "candidates");

  if (candidates && JSON_NODE_HOLDS_VALUE (candidates) && json_node_get_boolean (candidates))
    {
      kept = dqm_event_ring_copy_candidates (ring);
      g_ptr_array_extend_and_steal (r->extra, g_steal_pointer (&kept));
    }
  else if (int_member (r->request, "newest", &newest))
    {
      if (newest < 1 || newest > MAX_EVENTS)
        return refuse (r, "newest: 1 to %d events", MAX_EVENTS);
      kept = dqm_event_ring_copy (ring);
      for (guint i = kept->len > newest ? kept->len - (guint) newest : 0; i < kept->len; i++)
        g_ptr_array_add (r->extra, g_bytes_ref (kept->pdata[i]));
    }
  else if (int_member (r->request, "run", &run) && int_member (r->request, "spill", &spill)
           && int_member (r->request, "event_id", &event_id))
    {
      g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
      GPtrArray *lists[2];

      lists[0] = dqm_event_ring_copy_candidates (ring);
      lists[1] = dqm_event_ring_copy (ring);
      for (guint l = 0; l < 2 && r->extra->len == 0; l++)
        for (guint i = 0; i < lists[l]->len && r->extra->len == 0; i++)
          {
            guint32 r_run, r_spill;
            guint64 r_id;

            if (event_ids (lists[l]->pdata[i], storage, &r_run, &r_spill, &r_id) && r_run == run
                && r_spill == spill && r_id == (guint64) event_id)
              g_ptr_array_add (r->extra, g_bytes_ref (lists[l]->pdata[i]));
          }
      g_ptr_array_unref (lists[0]);
      g_ptr_array_unref (lists[1]);
      if (r->extra->len == 0)
        return refuse (r, "run %" G_GINT64_FORMAT " spill %" G_GINT64_FORMAT " event %" G_GINT64_FORMAT
                       " is not among the events the monitor keeps", run, spill, event_id);
    }
  else
    return refuse (r, "events: give newest (a number), candidates (true), or run, spill and event_id");
  json_builder_set_member_name (r->reply, "count");
  json_builder_add_int_value (r->reply, r->extra->len);
  return TRUE;
}

/* NULL, or one line of UTF-8 of at most @max bytes: what the log keeps whole. */
static gboolean
plain_text (const char *text, gsize max)
{
  if (text == NULL)
    return TRUE;
  if (strlen (text) > max || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *c = text; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      return FALSE;
  return TRUE;
}

/* Who an acknowledgement is from: the name given and the key's. */
static char *
who_of (Request *r)
{
  const char *who = string_member (r->request, "who");

  if (who && *who)
    return g_strdup_printf ("%s (key %s)", who, r->user);
  return g_strdup_printf ("key %s", r->user);
}

static gboolean
do_ack (DqmServer *self, Request *r)
{
  const char *alarm = string_member (r->request, "alarm");
  const char *comment = string_member (r->request, "comment");
  g_autoptr(DqmState) state = dqm_pipeline_get_state (self->pipeline);
  g_autofree char *who = who_of (r);
  guint n = 0;

  if (alarm == NULL)
    return refuse (r, "ack: give alarm (an alarm's id, or all)");
  if (!plain_text (comment, DQM_ALARM_COMMENT_MAX))
    return refuse (r, "ack: the comment must be one line of at most %d bytes", DQM_ALARM_COMMENT_MAX);
  if (!plain_text (string_member (r->request, "who"), DQM_ALARM_WHO_MAX))
    return refuse (r, "ack: who must be one line of at most %d bytes", DQM_ALARM_WHO_MAX);
  if (!g_str_equal (alarm, "all") && dqm_state_find_alarm (state, alarm) == NULL)
    return refuse (r, "ack: there is no alarm “%.60s”", alarm);
  for (guint i = 0; i < state->n_alarms; i++)
    n += state->alarms[i].unacknowledged && (g_str_equal (alarm, "all") || g_str_equal (alarm, state->alarms[i].id));
  dqm_pipeline_acknowledge (self->pipeline, g_str_equal (alarm, "all") ? NULL : alarm, who, comment);
  g_message ("alarm %s acknowledged by %s%s%s", alarm, who, comment ? ": " : "", comment ? comment : "");
  json_builder_set_member_name (r->reply, "acknowledged");
  json_builder_add_int_value (r->reply, n);
  return TRUE;
}

static gboolean
do_reset (DqmServer *self, Request *r)
{
  const char *name = string_member (r->request, "histogram");
  g_autoptr(DqmState) state = dqm_pipeline_get_state (self->pipeline);

  if (name == NULL)
    return refuse (r, "reset: give histogram (a histogram's name, or all)");
  if (g_str_equal (name, "all"))
    {
      for (guint i = 0; i < state->histograms->len; i++)
        dqm_pipeline_reset_histogram (self->pipeline, ((DqmHistogram *) state->histograms->pdata[i])->name);
    }
  else if (dqm_state_find_histogram (state, name) == NULL)
    return refuse (r, "reset: there is no histogram “%.60s”", name);
  else
    dqm_pipeline_reset_histogram (self->pipeline, name);
  g_message ("histogram %s reset by key %s", name, r->user);
  return TRUE;
}

static gboolean
do_snapshot (DqmServer *self, Request *r)
{
  if (self->snapshot_dir == NULL)
    return refuse (r, "snapshot: this monitor writes no snapshots (it was started without a snapshot directory)");
  dqm_pipeline_request_snapshot (self->pipeline);
  g_message ("snapshot asked for by key %s", r->user);
  return TRUE;
}

static gboolean
do_reference (DqmServer *self, Request *r)
{
  gint64 run = -1;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) histograms = NULL;
  g_autofree char *name = NULL, *dir = NULL;

  if (!int_member (r->request, "run", &run) || run < 0 || run > 999999)
    return refuse (r, "reference: give run, a run number (0 for no reference)");
  if (run == 0)
    {
      dqm_pipeline_set_reference (self->pipeline, NULL, NULL);
      return TRUE;
    }
  if (self->snapshot_dir == NULL)
    return refuse (r, "reference: this monitor has no snapshot directory to take run %" G_GINT64_FORMAT " from", run);
  /* The directory's name is made here from the number, never taken from the request. */
  name = g_strdup_printf ("run-%06u", (guint) run);
  dir = g_build_filename (self->snapshot_dir, name, NULL);
  if ((histograms = dqm_reference_load (dir, &error)) == NULL)
    return refuse (r, "reference: run %" G_GINT64_FORMAT ": %s", run, error->message);
  {
    g_autofree char *label = g_strdup_printf ("run %" G_GINT64_FORMAT ", set by hand (key %s)", run, r->user);

    dqm_pipeline_set_reference (self->pipeline, histograms, label);
  }
  g_message ("reference set to run %" G_GINT64_FORMAT " by key %s", run, r->user);
  return TRUE;
}

/* A shifter's verdict on a run, into the registry. */
static gboolean
do_flag (DqmServer *self, Request *r)
{
  const char *flag = string_member (r->request, "flag"), *comment = string_member (r->request, "comment");
  g_autoptr(GError) error = NULL;
  gint64 run = -1;

  if (self->options.registry == NULL)
    return refuse (r, "flag: this monitor keeps no run registry (start it with --snapshot-dir or --registry)");
  if (!int_member (r->request, "run", &run) || run < 1 || run > G_MAXUINT32)
    return refuse (r, "flag: give run, a run number");
  if (flag == NULL || !g_strv_contains ((const char *const[]) { "good", "bad", "", NULL }, flag))
    return refuse (r, "flag: give flag, good or bad (or \"\" to clear it)");
  if (comment && !plain_text (comment, DQM_ALARM_COMMENT_MAX))
    return refuse (r, "flag: comment must be one line of at most %d bytes", DQM_ALARM_COMMENT_MAX);
  if (!dqm_registry_knows_run (self->options.registry, run, &error))
    return refuse (r, "flag: %s", error->message);
  dqm_registry_flag (self->options.registry, run, flag, comment ? comment : "");
  g_message ("run %" G_GINT64_FORMAT " flagged %s by key %s%s%s", run, flag[0] ? flag : "(cleared)", r->user,
             comment ? ": " : "", comment ? comment : "");
  return TRUE;
}

/* An e-log entry of the state now, by the program's hand. */
static gboolean
do_elog (DqmServer *self, Request *r)
{
  const char *comment = string_member (r->request, "comment"), *who = string_member (r->request, "who");
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmState) state = dqm_pipeline_get_state (self->pipeline);
  g_autofree char *by = NULL, *entry = NULL;

  if (self->options.elog == NULL)
    return refuse (r, "elog: this monitor writes no e-log entries (start it with --elog-dir or --snapshot-dir)");
  if (comment && !plain_text (comment, DQM_ALARM_COMMENT_MAX))
    return refuse (r, "elog: comment must be one line of at most %d bytes", DQM_ALARM_COMMENT_MAX);
  if (who && !plain_text (who, DQM_ALARM_WHO_MAX))
    return refuse (r, "elog: who must be one line of at most %d bytes", DQM_ALARM_WHO_MAX);
  by = who ? g_strdup_printf ("%s (key %s)", who, r->user) : g_strdup_printf ("key %s", r->user);
  if ((entry = self->options.elog (state, by, comment, self->options.elog_data, &error)) == NULL)
    return refuse (r, "elog: %s", error->message);
  json_builder_set_member_name (r->reply, "entry");
  json_builder_add_string_value (r->reply, entry);
  g_message ("e-log entry %s written for key %s", entry, r->user);
  return TRUE;
}

typedef struct {
  const char *name;
  gboolean  (*run) (DqmServer *self, Request *r);
  gboolean    changes_state;
} Command;

static const Command commands[] = {
  { "status", do_status, FALSE },
  { "state", do_state, FALSE },
  { "events", do_events, FALSE },
  { "ack", do_ack, TRUE },
  { "reset", do_reset, TRUE },
  { "snapshot", do_snapshot, TRUE },
  { "reference", do_reference, TRUE },
  { "flag", do_flag, TRUE },
  { "elog", do_elog, TRUE },
};

typedef struct {
  double requests, changes, states; /* tokens */
  gint64 refilled_us;
} Bucket;

/* Token buckets, one a client key: a flood is answered with refusals,
 * cheaply, and one client's flood never starves another. A whole state is
 * dear: a few a second. */
static gboolean
take_token (DqmServer *self, const char *client, gboolean change, gboolean state)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *b = g_hash_table_lookup (self->buckets, client);
  double elapsed;

  if (b == NULL)
    {
      /* Keys are free to make: a client that makes many forgets the others' buckets. */
      if (g_hash_table_size (self->buckets) >= 1024)
        g_hash_table_remove_all (self->buckets);
      b = g_new (Bucket, 1);
      *b = (Bucket) { REQUESTS_PER_S, CHANGES_PER_S, STATES_PER_S, now };
      g_hash_table_insert (self->buckets, g_strdup (client), b);
    }
  elapsed = (now - b->refilled_us) / (double) G_USEC_PER_SEC;
  b->refilled_us = now;
  b->requests = MIN (REQUESTS_PER_S, b->requests + elapsed * REQUESTS_PER_S);
  b->changes = MIN (CHANGES_PER_S, b->changes + elapsed * CHANGES_PER_S);
  b->states = MIN (STATES_PER_S, b->states + elapsed * STATES_PER_S);
  if (b->requests < 1 || (change && b->changes < 1) || (state && b->states < 1))
    return FALSE;
  b->requests -= 1;
  b->changes -= change;
  b->states -= state;
  return TRUE;
}

static gboolean
run_request (DqmServer *self, Request *r, const void *data, gsize size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  const char *name;
  const Command *command = NULL;
  gboolean ok;

  if (size > MAX_REQUEST)
    return refuse (r, "a request of %" G_GSIZE_FORMAT " bytes: at most %d", size, MAX_REQUEST);
  if (!json_parser_load_from_data (parser, data, size, &error))
    return refuse (r, "not a JSON request: %s", error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return refuse (r, "a request is a JSON object with a \"command\"");
  r->request = json_node_get_object (root);
  r->have_id = int_member (r->request, "id", &r->id);
  if ((name = string_member (r->request, "command")) == NULL)
    return refuse (r, "a request is a JSON object with a \"command\"");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      command = &commands[i];
  if (command == NULL)
    return refuse (r, "unknown command “%.40s” (status, state, events, ack, reset, snapshot, reference)", name);
  if (command->changes_state && g_str_equal (r->user, UNKNOWN_KEY))
    {
      if (!take_token (self, r->client, FALSE, FALSE))
        return refuse (r, "busy: more than %.0f requests a second", REQUESTS_PER_S);
      COUNT (self, not_allowed, 1);
      g_message ("refused “%s” from a client whose key is not in the allowlist", name);
      return refuse (r, "not allowed: %s changes the monitor's state, and this client's key is not in the monitor's "
                        "allowlist (add it with “na64dqm-ctl allow NAME KEY” on the monitor's machine)", name);
    }
  if (!take_token (self, r->client, command->changes_state, command->run == do_state))
    return refuse (r, "busy: more than %.0f requests (%.0f state changes, %.0f whole states) a second", REQUESTS_PER_S,
                   CHANGES_PER_S, STATES_PER_S);
  ok = command->run (self, r);
  r->request = NULL; /* the parser's, gone with it */
  return ok;
}

static void
reply (DqmServer *self, zmq_msg_t *routing, gboolean delimiter, Request *r, gboolean ok)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  JsonNode *root;
  int more = r->extra->len ? ZMQ_SNDMORE : 0;

  if (r->have_id)
    {
      json_builder_set_member_name (r->reply, "id");
      json_builder_add_int_value (r->reply, r->id);
    }
  json_builder_set_member_name (r->reply, "ok");
  json_builder_add_boolean_value (r->reply, ok);
  if (!ok)
    {
      json_builder_set_member_name (r->reply, "error");
      json_builder_add_string_value (r->reply, r->error);
    }
  json_builder_end_object (r->reply);
  root = json_builder_get_root (r->reply);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  json_node_unref (root);
  zmq_msg_send (routing, self->commands, ZMQ_SNDMORE | ZMQ_DONTWAIT);
  if (delimiter)
    zmq_send (self->commands, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
  zmq_send (self->commands, text, strlen (text), more | ZMQ_DONTWAIT);
  for (guint i = 0; i < r->extra->len; i++)
    send_bytes (self->commands, r->extra->pdata[i], (i + 1 < r->extra->len ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT);
}

static void
handle_command (DqmServer *self)
{
  zmq_msg_t routing, frames[3];
  int n = 0, more = 1;
  size_t more_size = sizeof more;
  Request r = { 0 };
  gboolean ok = FALSE, delimiter = FALSE;
  const char *user;
  guint8 key[32];
  char allowed[DQM_KEY_NAME_MAX + 1];

  zmq_msg_init (&routing);
  if (zmq_msg_recv (&routing, self->commands, ZMQ_DONTWAIT) < 0)
    {
      zmq_msg_close (&routing);
      return;
    }
  zmq_getsockopt (self->commands, ZMQ_RCVMORE, &more, &more_size);
  /* [routing id] ([empty]) request: anything longer is malformed, read and dropped. */
  while (more)
    {
      zmq_msg_t scratch;
      zmq_msg_t *frame = n < 3 ? &frames[n] : &scratch;

      zmq_msg_init (frame);
      zmq_msg_recv (frame, self->commands, 0);
      zmq_getsockopt (self->commands, ZMQ_RCVMORE, &more, &more_size);
      if (n >= 3)
        zmq_msg_close (frame);
      n++;
    }
  delimiter = n >= 2 && zmq_msg_size (&frames[0]) == 0;
  r.extra = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  r.reply = json_builder_new ();
  json_builder_begin_object (r.reply);
  /* The connection's key, as the ZAP handler saw it, and its name now. */
  user = n >= 1 ? zmq_msg_gets (&frames[0], "User-Id") : NULL;
  r.user = UNKNOWN_KEY;
  r.client = user ? user : "";
  if (user && strlen (user) == DQM_KEY_Z85_LENGTH && zmq_z85_decode (key, user))
    {
      const char *name = dqm_allowlist_lookup (self->allowlist, key);

      if (name)
        {
          g_strlcpy (allowed, name, sizeof allowed);
          r.user = allowed;
        }
    }
  if (n == 0 || n > 2 || (n == 2 && !delimiter))
    refuse (&r, "a request is one frame (after an empty delimiter, if any), not %d", n);
  else
    ok = run_request (self, &r, zmq_msg_data (&frames[n - 1]), zmq_msg_size (&frames[n - 1]));
  if (!ok)
    g_ptr_array_set_size (r.extra, 0);
  g_mutex_lock (&self->lock);
  self->counters.requests++;
  self->counters.refused += !ok;
  g_mutex_unlock (&self->lock);
  reply (self, &routing, delimiter, &r, ok);
  for (int i = 0; i < MIN (n, 3); i++)
    zmq_msg_close (&frames[i]);
  zmq_msg_close (&routing);
  g_ptr_array_unref (r.extra);
  g_object_unref (r.reply);
}

/* --- the thread -------------------------------------------------------- */

static gpointer
serve (gpointer data)
{
  DqmServer *self = data;
  gint64 interval = (gint64) (self->options.publish_interval_s * G_USEC_PER_SEC);
  gint64 next = g_get_monotonic_time ();

  if (self->options.lower_priority)
    dqm_thread_lower_priority (NULL);
  for (;;)
    {
      zmq_pollitem_t items[] = {
        { self->zap, 0, ZMQ_POLLIN, 0 },
        { self->feed, 0, ZMQ_POLLIN, 0 },
        { self->commands, 0, ZMQ_POLLIN, 0 },
        { self->stop_in, 0, ZMQ_POLLIN, 0 },
      };
      gint64 now = g_get_monotonic_time ();
      long timeout = next > now ? (long) ((next - now + 999) / 1000) : 0;

      if (zmq_poll (items, G_N_ELEMENTS (items), timeout) < 0 && zmq_errno () != EINTR)
        break;
      if (items[3].revents & ZMQ_POLLIN)
        break;
      if (items[0].revents & ZMQ_POLLIN)
        handle_zap (self);
      if (items[1].revents & ZMQ_POLLIN)
        handle_subscriptions (self);
      /* A bounded number a turn: the feed keeps its pace under a flood. */
      for (guint i = 0; i < 64 && (items[2].revents & ZMQ_POLLIN); i++)
        {
          int events = 0;
          size_t size = sizeof events;

          handle_command (self);
          zmq_getsockopt (self->commands, ZMQ_EVENTS, &events, &size);
          if (!(events & ZMQ_POLLIN))
            break;
        }
      now = g_get_monotonic_time ();
      if (now >= next)
        {
          struct timespec cpu;

          publish (self, now);
          next = MAX (next + interval, now + interval / 2);
          /* What serving costs, for the benchmark and the status. */
          clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu);
          g_mutex_lock (&self->lock);
          self->counters.cpu_s = cpu.tv_sec + cpu.tv_nsec / 1e9;
          g_mutex_unlock (&self->lock);
        }
    }
  return NULL;
}

static void *
curve_socket (DqmServer *self, int type, const char *domain, gboolean curve, const char *endpoint, GError **error)
{
  void *socket = zmq_socket (self->context, type);

  if (socket == NULL)
    return zmq_error (error, endpoint, "cannot create a socket"), NULL;
  set_int (socket, ZMQ_LINGER, 0);
  zmq_setsockopt (socket, ZMQ_ZAP_DOMAIN, domain, strlen (domain));
  if (curve)
    {
      set_int (socket, ZMQ_CURVE_SERVER, 1);
      zmq_setsockopt (socket, ZMQ_CURVE_SECRETKEY, self->key.secret_key, DQM_KEY_Z85_LENGTH);
    }
  {
    gint64 max = MAX_MESSAGE;
    zmq_setsockopt (socket, ZMQ_MAXMSGSIZE, &max, sizeof max);
  }
  set_int (socket, ZMQ_HANDSHAKE_IVL, 5000);
  if (type == ZMQ_ROUTER)
    set_int (socket, ZMQ_SNDHWM, REPLY_QUEUE);
  if (type == ZMQ_XPUB)
    {
      /* Every subscription and every unsubscription, a viewer's leaving included. */
      set_int (socket, ZMQ_XPUB_VERBOSER, 1);
      set_int (socket, ZMQ_SNDHWM, self->options.feed_queue);
      /* A queue that short is not to be lengthened by the kernel's buffers. */
      if (self->options.feed_queue < FEED_HWM)
        set_int (socket, ZMQ_SNDBUF, 4096);
    }
  if (zmq_bind (socket, endpoint) != 0)
    {
      zmq_error (error, endpoint, "cannot bind");
      zmq_close (socket);
      return NULL;
    }
  return socket;
}

DqmServer *
dqm_server_new (DqmPipeline *pipeline, const DqmServerOptions *options, GError **error)
{
  g_autoptr(DqmServer) self = g_new0 (DqmServer, 1);
  gboolean loopback;

  g_return_val_if_fail (pipeline != NULL && options != NULL, NULL);
  g_return_val_if_fail (options->feed_endpoint && options->command_endpoint, NULL);

  g_mutex_init (&self->lock);
  self->options = *options;
  self->pipeline = pipeline;
  self->feed_endpoint = g_strdup (options->feed_endpoint);
  self->command_endpoint = g_strdup (options->command_endpoint);
  self->snapshot_dir = g_strdup (options->snapshot_dir);
  self->keys_dir = options->keys_dir ? g_strdup (options->keys_dir) : dqm_keys_default_dir ();
  self->options.feed_endpoint = self->feed_endpoint;
  self->options.command_endpoint = self->command_endpoint;
  self->options.snapshot_dir = self->snapshot_dir;
  self->options.keys_dir = self->keys_dir;
  if (self->options.publish_interval_s <= 0)
    self->options.publish_interval_s = 0.25;
  if (self->options.full_interval_s <= 0)
    self->options.full_interval_s = 5;
  if (self->options.feed_queue == 0)
    self->options.feed_queue = FEED_HWM;
  self->encoder = dqm_state_encoder_new ();
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!zmq_has ("curve"))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "this ZeroMQ has no CURVE security (libzmq built without libsodium): cannot serve commands");
      return NULL;
    }
  loopback = dqm_endpoint_is_loopback (self->feed_endpoint) && dqm_endpoint_is_loopback (self->command_endpoint);
  if (!load_keys (self, loopback, error))
    return NULL;
  if (!loopback && options->feed_security == DQM_FEED_OPEN)
    g_message ("warning: the state feed %s is open (no CURVE) beyond this machine: anyone who reaches it can watch",
               self->feed_endpoint);
  /* A context of our own: its ZAP endpoint is ours alone. */
  self->context = zmq_ctx_new ();
  self->zap = zmq_socket (self->context, ZMQ_REP);
  if (zmq_bind (self->zap, ZAP_ENDPOINT) != 0)
    return zmq_error (error, ZAP_ENDPOINT, "cannot bind the ZAP handler"), NULL;
  self->stop_in = zmq_socket (self->context, ZMQ_PAIR);
  self->stop_out = zmq_socket (self->context, ZMQ_PAIR);
  zmq_bind (self->stop_in, STOP_ENDPOINT);
  zmq_connect (self->stop_out, STOP_ENDPOINT);
  if ((self->feed = curve_socket (self, ZMQ_XPUB, "feed", options->feed_security != DQM_FEED_OPEN,
                                  self->feed_endpoint, error)) == NULL
      || (self->commands = curve_socket (self, ZMQ_ROUTER, "commands", TRUE, self->command_endpoint, error)) == NULL)
    return NULL;
  self->thread = g_thread_new ("dqm-server", serve, self);
  return g_steal_pointer (&self);
}

void
dqm_server_free (DqmServer *self)
{
  if (self == NULL)
    return;
  if (self->thread)
    {
      zmq_send (self->stop_out, "", 0, 0);
      g_thread_join (self->thread);
    }
  if (self->context)
    {
      void *sockets[] = { self->zap, self->feed, self->commands, self->stop_in, self->stop_out };

      for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
        if (sockets[i])
          zmq_close (sockets[i]);
      zmq_ctx_term (self->context);
    }
  dqm_state_encoder_free (self->encoder);
  dqm_state_unref (self->last_state);
  dqm_allowlist_free (self->allowlist);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_free (self->feed_endpoint);
  g_free (self->command_endpoint);
  g_free (self->snapshot_dir);
  g_free (self->keys_dir);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
dqm_server_get_counters (DqmServer *self, DqmServerCounters *counters)
{
  g_mutex_lock (&self->lock);
  *counters = self->counters;
  g_mutex_unlock (&self->lock);
}

const char *
dqm_server_public_key (DqmServer *self)
{
  return self->key.public_key;
}
