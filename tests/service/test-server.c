/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitor's service end to end on loopback: a late joiner gets the
 * whole state at once, a viewer that fell behind heals its gap, commands
 * need an allowlisted key and are logged with who and why, bad requests
 * and a flood are refused and counted while the feed keeps its pace, and
 * serving beyond this machine without keys is refused. */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <zmq.h>

#include "dqm-client.h"
#include "dqm-file.h"
#include "dqm-keys.h"
#include "dqm-pipeline.h"
#include "dqm-server.h"
#include "dqm-service-error.h"
#include "dqm-sim-run.h"
#include "dqm-zmq.h"
#include "test-util.h"

typedef struct {
  char        *dir, *keys, *feed, *commands, *snapshots;
  DqmConfig   *config;
  DqmPipeline *pipeline;
  DqmServer   *server;
} Fixture;

static char *
record_run (const char *dir, DqmConfig *config)
{
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  DqmFileWriter *writer = dqm_file_writer_new (path, NULL);
  g_autoptr(DqmSimRun) sim = NULL;
  DqmSimFaults faults;
  DqmSimMessage message;

  /* A dead ECAL cell: the dead-channels alarm is raised. */
  dqm_sim_faults_init (&faults);
  g_assert_true (dqm_sim_faults_parse (&faults, "dead-channel", "ecal-main:2,3", NULL));
  sim = dqm_sim_run_new (setup, &faults, 7, 2, 3, 1790000000000000000ull);
  while (dqm_sim_run_next (sim, &message))
    g_assert_true (dqm_file_writer_write (writer, message.body->data, message.body->len, NULL));
  g_assert_true (dqm_file_writer_close (writer, NULL));
  return g_steal_pointer (&path);
}

typedef struct {
  double          publish_s, full_s;
  DqmFeedSecurity feed_security;
} Serving;

static DqmServer *
serve (Fixture *f, const Serving *serving, GError **error)
{
  DqmServerOptions options;

  /* A port of our own: tests may run side by side. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      guint port = g_random_int_range (20000, 60000);
      DqmServer *server;

      g_free (f->feed);
      g_free (f->commands);
      f->feed = g_strdup_printf ("tcp://127.0.0.1:%u", port);
      f->commands = g_strdup_printf ("tcp://127.0.0.1:%u", port + 1);
      dqm_server_options_init (&options);
      options.feed_endpoint = f->feed;
      options.command_endpoint = f->commands;
      options.keys_dir = f->keys;
      options.snapshot_dir = f->snapshots;
      options.publish_interval_s = serving->publish_s;
      options.full_interval_s = serving->full_s;
      options.feed_queue = serving->full_s > 60 ? 2 : 0; /* the slow viewer's test: a short queue */
      options.feed_security = serving->feed_security;
      if ((server = dqm_server_new (f->pipeline, &options, error)))
        return server;
      if (!g_error_matches (*error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT))
        return NULL;
      g_clear_error (error);
    }
  return NULL;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  DqmPipelineOptions options;
  static const Serving usual = { 0.25, 5, DQM_FEED_CURVE };

  f->dir = g_dir_make_tmp ("na64dqm-server-XXXXXX", NULL);
  f->keys = g_build_filename (f->dir, "keys", NULL);
  f->config = dqm_config_new_default ();
  g_assert_true (dqm_config_set (f->config, "spill", "length_s", "0.5", NULL));
  path = record_run (f->dir, f->config);
  dqm_pipeline_options_init (&options);
  f->snapshots = g_build_filename (f->dir, "snapshots", NULL);
  options.snapshot_dir = f->snapshots; /* the run's snapshot: a reference to choose */
  f->pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), f->config, &options, &error);
  g_assert_no_error (error);
  dqm_pipeline_start (f->pipeline);
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC; !dqm_pipeline_is_finished (f->pipeline);)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  f->server = serve (f, data ? data : &usual, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  dqm_server_free (f->server);
  dqm_pipeline_stop (f->pipeline, 5);
  dqm_pipeline_free (f->pipeline);
  dqm_config_unref (f->config);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->keys);
  g_free (f->feed);
  g_free (f->commands);
  g_free (f->snapshots);
}

/* A client with the key pair @name (made in the fixture's key directory). */
static DqmClient *
client_new_queued (Fixture *f, const char *name, guint queue)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".key", NULL);
  g_autofree char *path = g_build_filename (f->keys, file, NULL);
  DqmClientOptions options = {
    .feed_endpoint = f->feed, .command_endpoint = f->commands, .keys_dir = f->keys, .client_key = path,
    .monitor_key = dqm_server_public_key (f->server), .feed_queue = queue,
  };
  DqmKeyPair pair;
  DqmClient *client;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_true (dqm_keys_generate (name, &pair, &error));
      g_assert_true (dqm_keys_save (f->keys, &pair, FALSE, &error));
    }
  client = dqm_client_new (&options, &error);
  g_assert_no_error (error);
  return client;
}

static DqmClient *
client_new (Fixture *f, const char *name)
{
  return client_new_queued (f, name, 0);
}

/* Polls the feed until @done holds of the mirrored state, or fails after @seconds. */
static DqmState *
wait_state (DqmClient *client, double seconds, gboolean (*done) (const DqmState *, gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  for (;;)
    {
      DqmState *state;

      dqm_client_poll_feed (client, 0.05, NULL);
      state = dqm_client_get_state (client);
      if (state && (done == NULL || done (state, data)))
        return state;
      dqm_state_unref (state);
      if (g_get_monotonic_time () > deadline)
        g_error ("the feed did not show what was awaited within %.1f s", seconds);
    }
}

static void
test_late_joiner_gets_full_state (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmClient) client = NULL;
  g_autoptr(DqmState) mirrored = NULL, own = dqm_pipeline_get_state (f->pipeline);
  DqmClientCounters counters;
  gint64 start;

  /* The monitor has served for a while before this viewer comes. */
  g_usleep (600000);
  client = client_new (f, "viewer");
  start = g_get_monotonic_time ();
  mirrored = wait_state (client, 10, NULL, NULL);
  g_test_message ("first state after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  dqm_client_get_counters (client, &counters);
  g_assert_cmpuint (counters.full_updates, >=, 1);
  g_assert_cmpuint (mirrored->run.run, ==, 7);
  g_assert_cmpuint (mirrored->events_processed, ==, own->events_processed);
  g_assert_cmpuint (mirrored->spills->len, ==, own->spills->len);
  g_assert_cmpuint (mirrored->histograms->len, ==, own->histograms->len);
  g_assert_cmpuint (mirrored->n_alarms, ==, own->n_alarms);
  for (guint i = 0; i < own->histograms->len; i++)
    {
      const DqmHistogram *a = own->histograms->pdata[i], *b = mirrored->histograms->pdata[i];

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpmem (a->bins, dqm_histogram_n_cells (a) * sizeof (double), b->bins,
                       dqm_histogram_n_cells (b) * sizeof (double));
    }
}

static gboolean
dead_acknowledged (const DqmState *state, gpointer data)
{
  const DqmAlarm *dead = dqm_state_find_alarm (state, "dead-channels");

  return dead && !dead->unacknowledged;
}

static gboolean
has_alarms (const DqmState *state, gpointer data)
{
  return state->n_alarms > 0;
}

static void
test_commands_need_an_allowed_key (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmClient) client = client_new (f, "shifter");
  g_autoptr(DqmState) before = wait_state (client, 10, has_alarms, NULL);
  g_autoptr(DqmState) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autofree char *allowlist = g_build_filename (f->keys, DQM_KEYS_ALLOWLIST, NULL);
  g_autofree char *public_key = g_build_filename (f->keys, "shifter.pub", NULL);
  DqmKeyPair pair;
  DqmServerCounters counters;
  const DqmAlarmLogEntry *last;

  g_assert_true (dqm_state_find_alarm (before, "dead-channels")->unacknowledged);
  json_object_set_string_member (request, "command", "ack");
  json_object_set_string_member (request, "alarm", "all");
  json_object_set_string_member (request, "who", "tester");
  json_object_set_string_member (request, "comment", "ECAL cell 2,3 dead, expert called");
  /* Not in the allowlist: refused, and said why. */
  g_assert_false (dqm_client_request (client, request, 3, NULL, NULL, &error));
  g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "not allowed"));
  g_clear_error (&error);
  dqm_server_get_counters (f->server, &counters);
  g_assert_cmpuint (counters.not_allowed, ==, 1);
  g_usleep (400000);
  dqm_client_poll_feed (client, 0.3, NULL);
  {
    g_autoptr(DqmState) still = dqm_client_get_state (client);
    g_assert_true (dqm_state_find_alarm (still, "dead-channels")->unacknowledged);
  }
  /* Allowed, without a restart: done, and every viewer sees it within a second. */
  g_assert_true (dqm_keys_load (public_key, TRUE, &pair, NULL));
  g_assert_true (dqm_keys_allow (allowlist, "shifter", pair.public_key, &error));
  g_assert_true (dqm_client_request (client, request, 3, NULL, NULL, &error));
  g_assert_no_error (error);
  after = wait_state (client, 1.0, dead_acknowledged, NULL);
  last = &g_array_index (after->alarm_log, DqmAlarmLogEntry, after->alarm_log->len - 1);
  g_assert_true (last->acknowledgement);
  g_assert_cmpstr (last->who, ==, "tester (key shifter)");
  g_assert_cmpstr (last->comment, ==, "ECAL cell 2,3 dead, expert called");
  /* The reference is chosen by run number, among the monitor's snapshots. */
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;;)
    {
      g_autofree char *summary = g_build_filename (f->snapshots, "run-000007", "histograms.json", NULL);

      if (g_file_test (summary, G_FILE_TEST_EXISTS))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  {
    g_autoptr(JsonObject) reference = json_object_new ();

    json_object_set_string_member (reference, "command", "reference");
    json_object_set_int_member (reference, "run", 7);
    g_assert_true (dqm_client_request (client, reference, 3, NULL, NULL, &error));
    g_assert_no_error (error);
    json_object_set_int_member (reference, "run", 99);
    g_assert_false (dqm_client_request (client, reference, 3, NULL, NULL, &error));
    g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "run 99"));
    g_clear_error (&error);
  }
  /* Allowed, but nothing from the network is a path or a name we do not have. */
  {
    struct { const char *command, *member, *value; const char *says; } wrong[] = {
      { "reset", "histogram", "../../etc/passwd", "no histogram" },
      { "ack", "alarm", "../alarm", "no alarm" },
      { "reference", "run", "../run-000001", "a run number" },
      { "ack", "comment", "seen\n12:00:00 OK Beam purity: forged line", "one line" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_autoptr(JsonObject) bad = json_object_new ();

        json_object_set_string_member (bad, "command", wrong[i].command);
        if (g_str_equal (wrong[i].member, "comment"))
          json_object_set_string_member (bad, "alarm", "all");
        json_object_set_string_member (bad, wrong[i].member, wrong[i].value);
        g_assert_false (dqm_client_request (client, bad, 3, NULL, NULL, &error));
        g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_REFUSED);
        g_assert_nonnull (strstr (error->message, wrong[i].says));
        g_clear_error (&error);
      }
  }
}

static void
test_slow_viewer_recovers (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmClient) client = client_new_queued (f, "slow", 2);
  g_autoptr(DqmState) first = wait_state (client, 10, NULL, NULL);
  g_autoptr(DqmState) healed = NULL;
  DqmClientCounters counters;
  DqmServerCounters server;
  guint64 missed;

  /* The viewer stops reading; the monitor goes on at 100 updates a second
   * and its queue to this viewer overflows. */
  dqm_client_get_counters (client, &counters);
  missed = counters.updates;
  g_usleep (5 * G_USEC_PER_SEC);
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    dqm_client_poll_feed (client, 0.05, NULL);
  dqm_client_get_counters (client, &counters);
  dqm_server_get_counters (f->server, &server);
  g_test_message ("%" G_GUINT64_FORMAT " updates sent (%" G_GUINT64_FORMAT " bytes), %" G_GUINT64_FORMAT
                  " applied, %" G_GUINT64_FORMAT " gaps", server.updates, server.bytes_published, counters.updates,
                  counters.gaps);
  g_assert_cmpuint (counters.updates - missed, <, server.updates);
  g_assert_cmpuint (counters.gaps, >=, 1);
  /* Healed: the viewer follows the feed again, delta by delta. */
  healed = dqm_client_get_state (client);
  g_assert_cmpuint (healed->events_processed, ==, first->events_processed);
  dqm_client_get_counters (client, &counters);
  missed = counters.updates;
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    dqm_client_poll_feed (client, 0.05, NULL);
  dqm_client_get_counters (client, &counters);
  g_assert_cmpuint (counters.updates - missed, >=, 10);
  g_assert_cmpuint (counters.bad_updates, ==, 0);
}

/* Sends @frames (NULL-terminated strings) on a CURVE DEALER; the reply's JSON. */
static char *
raw_request (void *socket, const char *const *frames)
{
  zmq_pollitem_t item = { socket, 0, ZMQ_POLLIN, 0 };
  char reply[4096];
  int n, more = 1;
  size_t more_size = sizeof more;
  char *json = NULL;

  for (guint i = 0; frames[i]; i++)
    zmq_send (socket, frames[i], strlen (frames[i]), frames[i + 1] ? ZMQ_SNDMORE : 0);
  g_assert_cmpint (zmq_poll (&item, 1, 3000), ==, 1);
  while (more)
    {
      n = zmq_recv (socket, reply, sizeof reply - 1, 0);
      g_assert_cmpint (n, >=, 0);
      reply[MAX (MIN (n, (int) sizeof reply - 1), 0)] = '\0';
      if (n > 0 && json == NULL)
        json = g_strdup (reply);
      zmq_getsockopt (socket, ZMQ_RCVMORE, &more, &more_size);
    }
  return json;
}

static void *
raw_dealer (Fixture *f, const char *name)
{
  void *socket = zmq_socket (dqm_zmq_context (), ZMQ_DEALER);
  DqmKeyPair pair;
  int linger = 0;

  g_assert_true (dqm_keys_generate (name, &pair, NULL));
  zmq_setsockopt (socket, ZMQ_CURVE_SERVERKEY, dqm_server_public_key (f->server), 40);
  zmq_setsockopt (socket, ZMQ_CURVE_PUBLICKEY, pair.public_key, 40);
  zmq_setsockopt (socket, ZMQ_CURVE_SECRETKEY, pair.secret_key, 40);
  zmq_setsockopt (socket, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_connect (socket, f->commands), ==, 0);
  return socket;
}

static void
test_bad_requests_refused (Fixture *f, gconstpointer data)
{
  void *socket = raw_dealer (f, "stranger");
  g_autofree char *big = g_strnfill (100 * 1024, ' ');
  struct { const char *frames[4]; const char *says; } bad[] = {
    { { "", "not json at all", NULL }, "not a JSON request" },
    { { "", "[1, 2, 3]", NULL }, "JSON object" },
    { { "", "{\"command\": 5}", NULL }, "JSON object" },
    { { "", "{\"command\": \"format-disk\"}", NULL }, "unknown command" },
    { { "a", "b", "c", NULL }, "one frame" },
    { { "", big, NULL }, "at most" },
    { { "", "{\"command\": \"events\", \"newest\": 99999}", NULL }, "1 to 1000" },
    { { "", "{\"command\": \"events\", \"run\": 7, \"spill\": 1, \"event_id\": 12345678901}", NULL }, "not among" },
    { { "", "{\"command\": \"reset\", \"histogram\": \"../../etc/passwd\"}", NULL }, "not allowed" },
    { { "", "{\"command\": \"reference\", \"run\": \"../x\"}", NULL }, "not allowed" },
  };
  DqmServerCounters before, after;

  dqm_server_get_counters (f->server, &before);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *reply = raw_request (socket, bad[i].frames);

      g_test_message ("%s", reply);
      g_assert_nonnull (strstr (reply, "\"ok\":false"));
      g_assert_nonnull (strstr (reply, bad[i].says));
    }
  /* A read-only request from the same stranger is served. */
  {
    g_autofree char *reply = raw_request (socket, (const char *const[]) { "", "{\"command\": \"status\"}", NULL });
    g_assert_nonnull (strstr (reply, "\"ok\":true"));
    g_assert_nonnull (strstr (reply, "\"number\":7"));
  }
  dqm_server_get_counters (f->server, &after);
  g_assert_cmpuint (after.refused - before.refused, ==, G_N_ELEMENTS (bad));
  g_assert_cmpuint (after.requests - before.requests, ==, G_N_ELEMENTS (bad) + 1);
  zmq_close (socket);
}

/* Reads the replies waiting (or the first within @timeout_ms); how many. */
static guint
read_replies (void *socket, long timeout_ms, guint *busy)
{
  guint n = 0;
  zmq_pollitem_t item = { socket, 0, ZMQ_POLLIN, 0 };

  while (zmq_poll (&item, 1, n ? 0 : timeout_ms) == 1)
    {
      char reply[8192];
      int more = 1;
      size_t more_size = sizeof more;

      while (more)
        {
          int size = zmq_recv (socket, reply, sizeof reply - 1, 0);

          reply[MAX (MIN (size, (int) sizeof reply - 1), 0)] = '\0';
          if (size > 0)
            *busy += strstr (reply, "busy") != NULL;
          zmq_getsockopt (socket, ZMQ_RCVMORE, &more, &more_size);
        }
      n++;
    }
  return n;
}

static void
test_flood_refused_feed_keeps_pace (Fixture *f, gconstpointer data)
{
  void *socket = raw_dealer (f, "flooder");
  const char request[] = "{\"command\": \"status\"}";
  DqmServerCounters before, after;
  guint busy = 0, answered = 0, total = 0;
  gint64 start;
  double seconds, quiet_rate;

  /* The feed's own pace first, quiet: a sanitizer build is slower. */
  dqm_server_get_counters (f->server, &before);
  g_usleep (2 * G_USEC_PER_SEC);
  dqm_server_get_counters (f->server, &after);
  quiet_rate = (after.updates - before.updates) / 2.0;
  dqm_server_get_counters (f->server, &before);
  start = g_get_monotonic_time ();
  /* Two seconds of requests as fast as they go, replies read as they come. */
  for (guint sent = 0; sent < 3000 || g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC;)
    {
      for (guint i = 0; i < 20; i++, sent++)
        {
          zmq_send (socket, "", 0, ZMQ_SNDMORE);
          zmq_send (socket, request, sizeof request - 1, 0);
        }
      total = sent;
      /* A client that reads its replies gets every one. */
      answered += read_replies (socket, 0, &busy);
      while (total - answered > 40) /* within the monitor's queue of replies */
        {
          guint n = read_replies (socket, 5000, &busy);

          if (n == 0)
            g_error ("%u of %u requests answered, then silence", answered, total);
          answered += n;
        }
    }
  while (answered < total)
    {
      guint n = read_replies (socket, 5000, &busy);

      if (n == 0)
        g_error ("%u of %u requests answered, then silence", answered, total);
      answered += n;
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  dqm_server_get_counters (f->server, &after);
  g_test_message ("%u requests in %.2f s: %u refused as too fast; %" G_GUINT64_FORMAT " updates meanwhile, %.1f a "
                  "second when quiet", total, seconds, busy, after.updates - before.updates, quiet_rate);
  /* Every request answered, most of the flood refused, and the feed went on
   * at its rate (4 a second) all along. */
  /* Served at most at the rate (a second's burst besides), the rest refused. */
  g_assert_cmpuint (busy, >, 0);
  g_assert_cmpfloat (total - busy, <=, 100 * seconds * 1.05 + 100);
  g_assert_cmpuint (after.refused - before.refused, ==, busy);
  g_assert_cmpfloat (seconds, >=, 2);
  g_assert_cmpfloat (quiet_rate, >, 0);
  g_assert_cmpfloat ((after.updates - before.updates) / seconds, >=, 0.7 * quiet_rate);
  zmq_close (socket);
}

static void
test_transport_garbage_survived (Fixture *f, gconstpointer data)
{
  const char *endpoints[] = { f->feed, f->commands };
  g_autoptr(DqmClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;

  /* Bytes that are no ZMTP handshake, on both ports. */
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autoptr(GSocketClient) tcp = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      guint8 junk[8192];

      connection = g_socket_client_connect_to_host (tcp, strrchr (endpoints[i], '/') + 1, 0, NULL, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < sizeof junk; k++)
        junk[k] = (guint8) g_test_rand_int ();
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), junk, sizeof junk, NULL,
                                 NULL, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  /* Frames that are no subscription, on the feed. */
  {
    void *xsub = zmq_socket (dqm_zmq_context (), ZMQ_XSUB);
    DqmKeyPair pair;
    int linger = 0;
    guint8 noise[300];
    DqmServerCounters counters;

    g_assert_true (dqm_keys_generate ("noisy", &pair, NULL));
    zmq_setsockopt (xsub, ZMQ_CURVE_SERVERKEY, dqm_server_public_key (f->server), 40);
    zmq_setsockopt (xsub, ZMQ_CURVE_PUBLICKEY, pair.public_key, 40);
    zmq_setsockopt (xsub, ZMQ_CURVE_SECRETKEY, pair.secret_key, 40);
    zmq_setsockopt (xsub, ZMQ_LINGER, &linger, sizeof linger);
    g_assert_cmpint (zmq_connect (xsub, f->feed), ==, 0);
    for (guint i = 0; i < sizeof noise; i++)
      noise[i] = (guint8) (2 + g_test_rand_int_range (0, 250));
    for (guint i = 0; i < 200; i++)
      zmq_send (xsub, noise, 1 + i % sizeof noise, 0);
    g_usleep (300000);
    dqm_server_get_counters (f->server, &counters);
    g_assert_cmpuint (counters.viewers, ==, 0);
    zmq_close (xsub);
  }
  client = client_new (f, "after-garbage");
  g_assert_true (dqm_client_command (client, "status", 3, &reply, &error));
  g_assert_no_error (error);
  dqm_state_unref (wait_state (client, 10, NULL, NULL));
}

/* --feed-security allowed: a stranger's key cannot even watch. */
static void
test_private_feed_needs_an_allowed_key (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmClient) stranger = client_new (f, "stranger");
  g_autoptr(DqmClient) wall = NULL;
  g_autoptr(DqmState) nothing = NULL, state = NULL;
  g_autofree char *allowlist = g_build_filename (f->keys, DQM_KEYS_ALLOWLIST, NULL);
  DqmServerCounters counters;
  DqmKeyPair pair;

  for (gint64 end = g_get_monotonic_time () + 1500000; g_get_monotonic_time () < end;)
    dqm_client_poll_feed (stranger, 0.05, NULL);
  nothing = dqm_client_get_state (stranger);
  g_assert_null (nothing);
  dqm_server_get_counters (f->server, &counters);
  g_assert_cmpuint (counters.handshakes_denied, >=, 1);
  g_assert_true (dqm_keys_generate ("wall", &pair, NULL));
  g_assert_true (dqm_keys_save (f->keys, &pair, FALSE, NULL));
  g_assert_true (dqm_keys_allow (allowlist, "wall", pair.public_key, NULL));
  wall = client_new (f, "wall");
  state = wait_state (wall, 3, NULL, NULL);
  g_assert_cmpuint (state->run.run, ==, 7);
}

static void
test_beyond_loopback_needs_keys (void)
{
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-keys-XXXXXX", NULL);
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  DqmServerOptions options;
  DqmKeyPair pair;
  g_autofree char *allowlist = g_build_filename (dir, DQM_KEYS_ALLOWLIST, NULL);

  {
    /* A recording with nothing in it: the server needs a pipeline to serve. */
    DqmPipelineOptions pipeline_options;
    g_autofree char *path = g_build_filename (dir, "empty.n64", NULL);

    g_assert_true (dqm_file_writer_close (dqm_file_writer_new (path, NULL), NULL));
    dqm_pipeline_options_init (&pipeline_options);
    pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &pipeline_options, &error);
    g_assert_no_error (error);
  }
  dqm_server_options_init (&options);
  options.feed_endpoint = "tcp://0.0.0.0:45556";
  options.command_endpoint = "tcp://0.0.0.0:45557";
  options.keys_dir = dir;
  g_assert_null (dqm_server_new (pipeline, &options, &error));
  g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS);
  g_assert_nonnull (strstr (error->message, "na64dqm-ctl keygen --monitor"));
  g_clear_error (&error);
  /* The monitor's keys alone are not enough: nobody could command it. */
  g_assert_true (dqm_keys_generate (DQM_KEYS_MONITOR, &pair, NULL));
  g_assert_true (dqm_keys_save (dir, &pair, FALSE, NULL));
  g_assert_null (dqm_server_new (pipeline, &options, &error));
  g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS);
  g_assert_nonnull (strstr (error->message, "allow"));
  g_clear_error (&error);
  g_assert_true (dqm_keys_generate ("desk", &pair, NULL));
  g_assert_true (dqm_keys_allow (allowlist, "desk", pair.public_key, NULL));
  {
    g_autoptr(DqmServer) server = dqm_server_new (pipeline, &options, &error);

    g_assert_no_error (error);
    g_assert_nonnull (server);
  }
}

int
main (int argc, char **argv)
{
  static const Serving fast = { 0.01, 600, DQM_FEED_CURVE }, private = { 0.25, 5, DQM_FEED_ALLOWED };

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/server/late-joiner-gets-full-state", Fixture, NULL, fixture_set_up, test_late_joiner_gets_full_state,
              fixture_tear_down);
  g_test_add ("/server/commands-need-an-allowed-key", Fixture, NULL, fixture_set_up,
              test_commands_need_an_allowed_key, fixture_tear_down);
  g_test_add ("/server/slow-viewer-recovers", Fixture, &fast, fixture_set_up, test_slow_viewer_recovers,
              fixture_tear_down);
  g_test_add ("/server/bad-requests-refused", Fixture, NULL, fixture_set_up, test_bad_requests_refused,
              fixture_tear_down);
  g_test_add ("/server/flood-refused-feed-keeps-pace", Fixture, NULL, fixture_set_up,
              test_flood_refused_feed_keeps_pace, fixture_tear_down);
  g_test_add ("/server/transport-garbage-survived", Fixture, NULL, fixture_set_up, test_transport_garbage_survived,
              fixture_tear_down);
  g_test_add ("/server/private-feed-needs-an-allowed-key", Fixture, &private, fixture_set_up,
              test_private_feed_needs_an_allowed_key, fixture_tear_down);
  g_test_add_func ("/server/beyond-loopback-needs-keys", test_beyond_loopback_needs_keys);
  return g_test_run ();
}
