/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End to end: simulated events over TCP loopback into the monitor's
 * pipeline, beside a bare ZeroMQ receive of the same messages; then the
 * highest paced rate the pipeline takes without dropping, and the monitor's
 * resident memory over many spills (it must stay flat; --memory: only
 * that). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <zmq.h>

#include "dqm-file.h"
#include "dqm-pipeline.h"
#include "dqm-sim-run.h"

#define N_EVENTS 20000

typedef struct {
  const char *topic;
  GBytes *body;
} Message;

typedef struct {
  GArray *messages;       /* Message */
  void *socket;           /* XPUB with room for the whole run */
  char endpoint[256];
  double rate_hz;         /* 0: as fast as possible */
} Feed;

/* Our publisher drops past its high-water mark, as a DAQ should; the
 * benchmark must not, or the consumers never see the end. */
static void
feed_open (Feed *feed, GArray *messages, double rate_hz)
{
  int hwm = messages->len + 1000;
  size_t size = sizeof feed->endpoint;

  feed->messages = messages;
  feed->rate_hz = rate_hz;
  feed->socket = zmq_socket (dqm_zmq_context (), ZMQ_XPUB);
  zmq_setsockopt (feed->socket, ZMQ_SNDHWM, &hwm, sizeof hwm);
  zmq_bind (feed->socket, "tcp://127.0.0.1:*");
  zmq_getsockopt (feed->socket, ZMQ_LAST_ENDPOINT, feed->endpoint, &size);
}

static GArray *
make_run (guint n_events)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmSimRun) run = NULL;
  GArray *messages = g_array_new (FALSE, FALSE, sizeof (Message));
  DqmSimMessage sim;
  guint events = 0;

  dqm_config_set (config, "spill", "length_s", "50", NULL);
  setup = dqm_setup_load (config, NULL, NULL);
  run = dqm_sim_run_new (setup, NULL, 1, 1, 5, 0);
  while (dqm_sim_run_next (run, &sim) && events < n_events)
    {
      Message m = { sim.topic, g_bytes_new (sim.body->data, sim.body->len) };

      if (sim.type == DQM_MSG_HBT)
        {
          g_bytes_unref (m.body);
          continue;
        }
      g_array_append_val (messages, m);
      events += sim.type == DQM_MSG_EVT;
    }
  /* Close the run so the consumers know the end. */
  {
    DqmMessage eor = { .type = DQM_MSG_EOR, .run = 1 };
    g_autoptr(GByteArray) body = g_byte_array_new ();
    Message m;

    dqm_stream_encode (&eor, body);
    m = (Message) { "eor", g_bytes_new (body->data, body->len) };
    g_array_append_val (messages, m);
  }
  return messages;
}

static gpointer
publish (gpointer data)
{
  Feed *feed = data;
  gint64 start;

  char subscription[64];

  /* The first subscription tells us a consumer is there. */
  zmq_recv (feed->socket, subscription, sizeof subscription, 0);
  g_usleep (100000);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < feed->messages->len; i++)
    {
      Message *m = &g_array_index (feed->messages, Message, i);
      gsize size;
      const guint8 *data_ptr = g_bytes_get_data (m->body, &size);

      if (feed->rate_hz > 0)
        {
          gint64 due = start + (gint64) (i / feed->rate_hz * G_USEC_PER_SEC);
          gint64 left = due - g_get_monotonic_time ();

          if (left > 200)
            g_usleep (left);
        }
      zmq_send (feed->socket, m->topic, 3, ZMQ_SNDMORE);
      zmq_send (feed->socket, data_ptr, size, 0);
    }
  return NULL;
}

/* A plain SUB socket counting messages until the eor: the ceiling. */
static double
bare_receive (GArray *messages, guint64 *received)
{
  Feed feed;
  void *sub = zmq_socket (dqm_zmq_context (), ZMQ_SUB);
  int hwm = messages->len + 100, timeout = 3000;
  gint64 start = 0;
  GThread *thread;
  zmq_msg_t frame;

  feed_open (&feed, messages, 0);
  zmq_setsockopt (sub, ZMQ_RCVHWM, &hwm, sizeof hwm);
  zmq_setsockopt (sub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0);
  zmq_connect (sub, feed.endpoint);
  thread = g_thread_new ("publisher", publish, &feed);
  zmq_msg_init (&frame);
  *received = 0;
  for (;;)
    {
      gboolean eor;

      if (zmq_msg_recv (&frame, sub, 0) < 0)
        break; /* silence: the end was lost */
      eor = zmq_msg_size (&frame) == 3 && memcmp (zmq_msg_data (&frame), "eor", 3) == 0;
      zmq_msg_recv (&frame, sub, 0);
      if (start == 0)
        start = g_get_monotonic_time ();
      (*received)++;
      if (eor)
        break;
    }
  g_thread_join (thread);
  zmq_msg_close (&frame);
  zmq_close (sub);
  zmq_close (feed.socket);
  return *received / ((g_get_monotonic_time () - start) / 1e6);
}

/* The monitor's pipeline fed at @rate_hz (0: flat out). */
static double
pipeline_run (GArray *messages, double rate_hz, guint64 *processed, guint64 *dropped)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  Feed feed;
  DqmPipelineOptions options;
  DqmPipeline *pipeline;
  g_autoptr(DqmState) state = NULL;
  gint64 start;
  GThread *thread;

  guint64 last_seen = 0;
  gint64 last_progress;

  feed_open (&feed, messages, rate_hz);
  dqm_pipeline_options_init (&options);
  pipeline = dqm_pipeline_new (dqm_source_new_zmq (feed.endpoint, 5, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  thread = g_thread_new ("publisher", publish, &feed);
  start = last_progress = g_get_monotonic_time () + 100000;
  do
    {
      g_clear_pointer (&state, dqm_state_unref);
      g_usleep (2000);
      state = dqm_pipeline_get_state (pipeline);
      if (state->counters.messages != last_seen)
        {
          last_seen = state->counters.messages;
          last_progress = g_get_monotonic_time ();
        }
    }
  while (!state->run.ended && g_get_monotonic_time () - last_progress < 3 * G_USEC_PER_SEC);
  g_thread_join (thread);
  *processed = state->events_processed;
  *dropped = state->events_dropped;
  *dropped += state->counters.lost_events; /* lost in the socket's queue */
  dqm_pipeline_free (pipeline);
  zmq_close (feed.socket);
  return *processed / ((g_get_monotonic_time () - start) / 1e6);
}

static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, field)))
    return -1;
  return atol (line + strlen (field));
}

/* Many short spills through the lossless file path, resident memory sampled. */
static void
memory_over_spills (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "long.n64", NULL);
  const guint spills = 1500;
  DqmFileWriter *writer = dqm_file_writer_new (path, NULL);
  g_autoptr(DqmSimRun) run = NULL;
  DqmSimMessage sim;
  DqmPipeline *pipeline;
  DqmPipelineOptions options;
  long samples[6] = { 0 }, anonymous[6] = { 0 };
  const guint at[6] = { 10, 100, 300, 600, 1000, 1500 };

  dqm_config_set (config, "spill", "length_s", "0.05", NULL);
  dqm_config_set (config, "spill", "gap_s", "0.01", NULL);
  setup = dqm_setup_load (config, NULL, NULL);
  run = dqm_sim_run_new (setup, NULL, 1, spills, 8, 0);
  while (dqm_sim_run_next (run, &sim))
    dqm_file_writer_write (writer, sim.body->data, sim.body->len, NULL);
  dqm_file_writer_close (writer, NULL);

  dqm_pipeline_options_init (&options);
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  while (!dqm_pipeline_is_finished (pipeline))
    {
      g_autoptr(DqmState) state = dqm_pipeline_get_state (pipeline);

      for (guint i = 0; i < G_N_ELEMENTS (at); i++)
        if (samples[i] == 0 && state->spills->len >= at[i])
          {
            samples[i] = status_kib ("VmRSS:");
            anonymous[i] = status_kib ("RssAnon:");
          }
      g_usleep (5000);
    }
  samples[5] = status_kib ("VmRSS:");
  anonymous[5] = status_kib ("RssAnon:");
  dqm_pipeline_free (pipeline);
  g_unlink (path);
  g_rmdir (dir);
  printf ("\nmonitor resident memory over one long run (%u spills of ~140 events, file input)\n\n", spills);
  printf ("| %-10s | %10s | %14s |\n|------------|------------|----------------|\n", "spills", "RSS MiB",
          "anonymous MiB");
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    printf ("| %10u | %10.1f | %14.1f |\n", at[i], samples[i] / 1024.0, anonymous[i] / 1024.0);
}

int
main (int argc, char **argv)
{
  GArray *messages;
  guint64 received, processed, dropped, best_rate = 0;
  double bare, flat_out;

  if (argc == 2 && g_str_equal (argv[1], "--memory"))
    {
      memory_over_spills ();
      return 0;
    }
  if (argc > 1)
    {
      fprintf (stderr, "usage: %s [--memory]\n", argv[0]);
      return 2;
    }
  messages = make_run (N_EVENTS);
  bare = bare_receive (messages, &received);
  flat_out = pipeline_run (messages, 0, &processed, &dropped);
  const double rates[] = { 4000, 8000, 12000, 16000, 20000, 24000, 28000, 32000, 36000, 40000 };

  printf ("end to end over tcp loopback, %u events of ~9 kB (2 cores: publisher, receiver and analysis share them)\n\n",
          N_EVENTS);
  printf ("| %-44s | %12s | %10s |\n", "consumer", "events/s", "vs bare");
  printf ("|%s|%s|%s|\n", "----------------------------------------------", "--------------", "------------");
  printf ("| %-44s | %12.0f | %9.3f× |\n", "bare ZeroMQ receive (no decoding)", bare, 1.0);
  printf ("| %-44s | %12.0f | %9.3f× |\n", "monitor pipeline, flat out (drops the rest)", flat_out, flat_out / bare);
  fflush (stdout);
  for (gsize i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      pipeline_run (messages, rates[i], &processed, &dropped);
      if (dropped == 0)
        best_rate = (guint64) rates[i];
      else
        break;
    }
  printf ("| %-44s | %12" G_GUINT64_FORMAT " | %9.3f× |\n", "monitor pipeline, paced, without a drop", best_rate,
          best_rate / bare);
  for (guint i = 0; i < messages->len; i++)
    g_bytes_unref (g_array_index (messages, Message, i).body);
  g_array_unref (messages);
  dqm_zmq_shutdown ();
  /* The monitor's memory alone, in a process of its own: the runs above
   * leave their heap behind in this one. */
  fflush (stdout);
  {
    const char *child[] = { argv[0], "--memory", NULL };
    g_autoptr(GError) error = NULL;
    int status;

    if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status,
                       &error)
        || !g_spawn_check_wait_status (status, &error))
      {
        fprintf (stderr, "bench-e2e: the memory run failed: %s\n", error->message);
        return 1;
      }
  }
  return 0;
}
