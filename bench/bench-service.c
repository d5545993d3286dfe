/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitor's service under a live stream: a pipeline analysing a
 * simulated DAQ at ~3 kHz (a spill at ~1.1 MHz of beam) serves its state
 * at the default refresh (250 ms) to 0, 1 and 10 viewers, each mirroring
 * the feed in a thread of its own, DURATION_S seconds each. For each: the
 * updates and bytes a second the feed sends and each viewer receives, the
 * CPU the service thread and a viewer take, and whether the analysis
 * dropped events; 0 viewers is the ceiling (the analysis alone, serving
 * nobody). The 2 cores are shared by the simulator, the analysis, the
 * service and the viewers.
 * Run: build/bench/bench-service */
#include <stdio.h>
#include <time.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-client.h"
#include "dqm-keys.h"
#include "dqm-pipeline.h"
#include "dqm-server.h"
#include "dqm-sim-publisher.h"
#include "dqm-zmq.h"

#define DURATION_S 10

typedef struct {
  const char *feed, *commands, *keys;
  const char *monitor_key;
  gint        stop;
  guint64     updates, bytes, gaps, bad;
  double      cpu_s;
} Viewer;

static double
thread_cpu_s (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static gpointer
watch (gpointer data)
{
  Viewer *v = data;
  DqmClientOptions options = { .feed_endpoint = v->feed, .command_endpoint = v->commands, .keys_dir = v->keys,
                               .monitor_key = v->monitor_key };
  g_autoptr(DqmClient) client = dqm_client_new (&options, NULL);
  DqmClientCounters counters;
  double start = thread_cpu_s ();

  while (client && !g_atomic_int_get (&v->stop))
    dqm_client_poll_feed (client, 0.05, NULL);
  if (client)
    {
      dqm_client_get_counters (client, &counters);
      v->updates = counters.updates;
      v->bytes = counters.bytes;
      v->gaps = counters.gaps;
      v->bad = counters.bad_updates;
    }
  v->cpu_s = thread_cpu_s () - start;
  return NULL;
}

typedef struct {
  double updates_per_s, feed_kb_per_s, viewer_kb_per_s, server_cpu, viewer_cpu, full_kb, events_per_s;
  guint64 gaps, bad, dropped;
} Result;

static void
measure (DqmPipeline *pipeline, DqmServer *server, const char *feed, const char *commands, const char *keys,
         guint n_viewers, Result *r)
{
  g_autofree Viewer *viewers = g_new0 (Viewer, MAX (n_viewers, 1));
  g_autofree GThread **threads = g_new0 (GThread *, MAX (n_viewers, 1));
  DqmServerCounters before, after;
  g_autoptr(DqmState) first = dqm_pipeline_get_state (pipeline);
  g_autoptr(DqmState) last = NULL;
  gint64 start;
  double seconds;

  for (guint i = 0; i < n_viewers; i++)
    {
      viewers[i] = (Viewer) { feed, commands, keys, dqm_server_public_key (server) };
      threads[i] = g_thread_new ("viewer", watch, &viewers[i]);
    }
  g_usleep (G_USEC_PER_SEC); /* joined, first full state taken */
  dqm_server_get_counters (server, &before);
  start = g_get_monotonic_time ();
  g_usleep (DURATION_S * G_USEC_PER_SEC);
  dqm_server_get_counters (server, &after);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  for (guint i = 0; i < n_viewers; i++)
    {
      g_atomic_int_set (&viewers[i].stop, 1);
      g_thread_join (threads[i]);
    }
  last = dqm_pipeline_get_state (pipeline);
  *r = (Result) { 0 };
  r->updates_per_s = (after.updates - before.updates) / seconds;
  r->feed_kb_per_s = (after.bytes_published - before.bytes_published) / seconds / 1024;
  r->server_cpu = 100 * (after.cpu_s - before.cpu_s) / seconds;
  r->dropped = last->events_dropped - first->events_dropped;
  r->events_per_s = (last->events_processed - first->events_processed) / (seconds + 1);
  for (guint i = 0; i < n_viewers; i++)
    {
      /* Per viewer: the mean over them, over its whole life (a second more). */
      r->viewer_kb_per_s += viewers[i].bytes / (seconds + 1) / 1024 / n_viewers;
      r->viewer_cpu += 100 * viewers[i].cpu_s / (seconds + 1) / n_viewers;
      r->gaps += viewers[i].gaps;
      r->bad += viewers[i].bad;
    }
}

int
main (int argc, char **argv)
{
  const guint counts[] = { 0, 1, 10 };
  Result results[G_N_ELEMENTS (counts)];
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-bench-service-XXXXXX", NULL);
  g_autofree char *keys = g_build_filename (dir, "keys", NULL);
  g_autoptr(GError) error = NULL;
  DqmPipelineOptions pipeline_options;
  DqmServerOptions server_options;
  DqmSimPublisher *daq;
  DqmPipeline *pipeline;
  DqmServer *server = NULL;
  char feed[64], commands[64];

  dqm_config_set (config, "spill", "beam_rate_hz", "1100000", NULL);
  dqm_config_set (config, "spill", "gap_s", "0.5", NULL);
  setup = dqm_setup_load (config, NULL, NULL);
  daq = dqm_sim_publisher_start (setup, NULL, "tcp://127.0.0.1:*", 100, &error);
  if (daq == NULL)
    g_error ("%s", error->message);
  dqm_pipeline_options_init (&pipeline_options);
  pipeline = dqm_pipeline_new (dqm_source_new_zmq (dqm_sim_publisher_get_endpoint (daq), 5, NULL), config,
                               &pipeline_options, &error);
  dqm_pipeline_start (pipeline);
  for (guint attempt = 0; attempt < 20 && server == NULL; attempt++)
    {
      guint port = g_random_int_range (20000, 60000);

      g_snprintf (feed, sizeof feed, "tcp://127.0.0.1:%u", port);
      g_snprintf (commands, sizeof commands, "tcp://127.0.0.1:%u", port + 1);
      dqm_server_options_init (&server_options);
      server_options.feed_endpoint = feed;
      server_options.command_endpoint = commands;
      server_options.keys_dir = keys;
      g_clear_error (&error);
      server = dqm_server_new (pipeline, &server_options, &error);
    }
  if (server == NULL)
    g_error ("%s", error->message);
  g_usleep (2 * G_USEC_PER_SEC); /* the first spill under way */
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    measure (pipeline, server, feed, commands, keys, counts[i], &results[i]);

  printf ("the monitor's state feed at the default refresh (250 ms), %d s each, analysis of a ~3 kHz stream\n"
          "on the same 2 cores; 0 viewers: the ceiling (the service publishing to nobody)\n\n", DURATION_S);
  printf ("| %-36s | %10s | %10s | %10s |\n", "measure", "0 viewers", "1 viewer", "10 viewers");
  printf ("|--------------------------------------|------------|------------|------------|\n");
#define ROW(label, format, field)                                                                                      \
  printf ("| %-36s | " format " | " format " | " format " |\n", label, results[0].field, results[1].field,              \
          results[2].field)
  ROW ("updates published per second", "%10.2f", updates_per_s);
  ROW ("feed sent, kB/s (to each viewer)", "%10.1f", feed_kb_per_s);
  ROW ("received by a viewer, kB/s", "%10.1f", viewer_kb_per_s);
  ROW ("service thread CPU, % of a core", "%10.2f", server_cpu);
  ROW ("a viewer's mirror CPU, % of a core", "%10.2f", viewer_cpu);
  ROW ("gaps healed (all viewers)", "%10" G_GUINT64_FORMAT, gaps);
  ROW ("bad updates (all viewers)", "%10" G_GUINT64_FORMAT, bad);
  ROW ("events analysed per second", "%10.0f", events_per_s);
  ROW ("events dropped by the analysis", "%10" G_GUINT64_FORMAT, dropped);
#undef ROW
  dqm_server_free (server);
  dqm_pipeline_stop (pipeline, 5);
  dqm_pipeline_free (pipeline);
  dqm_sim_publisher_stop (daq);
  dqm_zmq_shutdown ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return 0;
}
