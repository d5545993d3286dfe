/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web view under load: a pipeline analysing a simulated DAQ at ~3 kHz
 * (as bench-service) serves its web view on loopback; 1, 10 and 50 clients,
 * each a keep-alive connection in a thread of its own, ask for h.json and
 * for a 2D histogram (E_ECAL vs E_HCAL, 14 400 bins) a bounded number of
 * times, as fast as they are answered. Beside each: the same clients on a
 * bare libsoup server answering "ok" (the ceiling: HTTP alone on this
 * machine), the latency of a request, and the analysis's rate and drops
 * meanwhile. Then 50 browsers as the shift page polls (status.json and its
 * nine plots every 2 s each) for DURATION_S, and the analysis polled by
 * nobody. The
 * 2 cores are shared by the simulator, the analysis, the server and the
 * clients, so flat-out rows say what the web thread costs at worst.
 * Run: build/bench/bench-web */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>
#include <libsoup/soup.h>

#include "dqm-pipeline.h"
#include "dqm-sim-publisher.h"
#include "dqm-web-server.h"
#include "dqm-zmq.h"

#define DURATION_S 10
#define MAX_BODY   (8 << 20)

/* The clients connect first, then all start at once: the clock measures
 * requests, not connections queueing in the listen backlog. */
typedef struct {
  GMutex lock;
  GCond  changed;
  guint  connected;
  gboolean go;
} Start;

typedef struct {
  Start      *start;
  guint       port, requests;
  const char *path;        /* or several, a space between: asked in turn */
  double      pause_s;     /* between requests: 0 as fast as answered */
  gint64      until_us;    /* with a pause: ask until then (DURATION_S) */
  guint       answered, failed;
  GArray     *latencies_ms;
} Client;

/* Reads one answer; its status, or 0 when the connection failed. */
static int
read_answer (int fd, char *buffer)
{
  gsize got = 0, length;
  char *end, *header;
  int status;

  for (;;)
    {
      ssize_t n = read (fd, buffer + got, MAX_BODY - 1 - got);

      if (n <= 0)
        return 0;
      got += n;
      buffer[got] = '\0';
      if ((end = strstr (buffer, "\r\n\r\n")))
        break;
    }
  status = atoi (buffer + strlen ("HTTP/1.1 "));
  header = g_strstr_len (buffer, end - buffer, "Content-Length: ");
  length = header ? g_ascii_strtoull (header + strlen ("Content-Length: "), NULL, 10) : 0;
  while (got < (gsize) (end + 4 - buffer) + length)
    {
      ssize_t n = read (fd, buffer + got, MAX_BODY - 1 - got);

      if (n <= 0)
        return 0;
      got += n;
    }
  return status;
}

static gpointer
ask (gpointer data)
{
  Client *c = data;
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (c->port) };
  g_auto(GStrv) paths = g_strsplit (c->path, " ", -1);
  guint n_paths = g_strv_length (paths);
  g_autofree char *buffer = g_malloc (MAX_BODY);
  int fd = socket (AF_INET, SOCK_STREAM, 0), one = 1;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    c->failed = c->requests;
  g_mutex_lock (&c->start->lock);
  c->start->connected++;
  g_cond_broadcast (&c->start->changed);
  while (!c->start->go)
    g_cond_wait (&c->start->changed, &c->start->lock);
  g_mutex_unlock (&c->start->lock);
  if (c->failed)
    {
      close (fd);
      return NULL;
    }
  c->until_us = g_get_monotonic_time () + DURATION_S * G_USEC_PER_SEC;
  for (guint i = 0; c->pause_s > 0 ? g_get_monotonic_time () < c->until_us : i < c->requests; i++)
    {
      g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", paths[i % n_paths]);
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (write (fd, request, strlen (request)) != (ssize_t) strlen (request) || read_answer (fd, buffer) != 200)
        {
          c->failed++;
          break;
        }
      c->answered++;
      ms = (g_get_monotonic_time () - start) / 1e3;
      g_array_append_val (c->latencies_ms, ms);
      if (c->pause_s > 0)
        g_usleep (c->pause_s * G_USEC_PER_SEC);
    }
  close (fd);
  return NULL;
}

typedef struct {
  double   requests_per_s, p50_ms, p99_ms, events_per_s;
  guint64  dropped, failed;
} Load;

static int
by_value (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* @n_clients ask @path @total times in all (or, with @pause_s, each every
 * @pause_s for DURATION_S); the analysis of @pipeline watched meanwhile. */
static void
load (guint port, const char *path, guint n_clients, guint total, double pause_s, DqmPipeline *pipeline, Load *r)
{
  g_autofree Client *clients = g_new0 (Client, n_clients);
  g_autofree GThread **threads = g_new0 (GThread *, n_clients);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(DqmState) first = NULL;
  g_autoptr(DqmState) last = NULL;
  Start go = { 0 };
  gint64 start;
  guint answered = 0;
  double seconds;

  g_mutex_init (&go.lock);
  g_cond_init (&go.changed);
  for (guint i = 0; i < n_clients; i++)
    {
      clients[i] = (Client) { .start = &go, .port = port, .path = path, .requests = MAX (total / n_clients, 1),
                              .pause_s = pause_s, .latencies_ms = g_array_new (FALSE, FALSE, sizeof (double)) };
      threads[i] = g_thread_new ("client", ask, &clients[i]);
    }
  g_mutex_lock (&go.lock);
  while (go.connected < n_clients)
    g_cond_wait (&go.changed, &go.lock);
  first = dqm_pipeline_get_state (pipeline);
  start = g_get_monotonic_time ();
  go.go = TRUE;
  g_cond_broadcast (&go.changed);
  g_mutex_unlock (&go.lock);
  *r = (Load) { 0 };
  for (guint i = 0; i < n_clients; i++)
    {
      g_thread_join (threads[i]);
      answered += clients[i].answered;
      r->failed += clients[i].failed;
      g_array_append_vals (all, clients[i].latencies_ms->data, clients[i].latencies_ms->len);
      g_array_unref (clients[i].latencies_ms);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  last = dqm_pipeline_get_state (pipeline);
  g_array_sort (all, by_value);
  r->requests_per_s = answered / seconds;
  r->p50_ms = all->len ? g_array_index (all, double, all->len / 2) : NAN;
  r->p99_ms = all->len ? g_array_index (all, double, MIN (all->len - 1, all->len * 99 / 100)) : NAN;
  r->events_per_s = (last->events_processed - first->events_processed) / seconds;
  r->dropped = last->events_dropped - first->events_dropped;
  g_mutex_clear (&go.lock);
  g_cond_clear (&go.changed);
}

/* --- the ceiling: libsoup answering "ok" in a thread of its own ---------- */

typedef struct {
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  guint         port;
  GMutex        lock;
  GCond         ready;
} Bare;

static void
answer_ok (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok\n", 3);
}

static gpointer
serve_bare (gpointer data)
{
  Bare *b = data;
  GSList *uris;

  g_main_context_push_thread_default (b->context);
  b->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (b->soup, NULL, answer_ok, NULL, NULL);
  if (!soup_server_listen_local (b->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL)
      || (uris = soup_server_get_uris (b->soup)) == NULL)
    g_error ("the bare libsoup server does not listen");
  g_mutex_lock (&b->lock);
  b->port = g_uri_get_port (uris->data);
  g_cond_signal (&b->ready);
  g_mutex_unlock (&b->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (b->loop);
  g_object_unref (b->soup);
  g_main_context_pop_thread_default (b->context);
  return NULL;
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static DqmState *
pipeline_state (gpointer pipeline)
{
  return dqm_pipeline_get_state (pipeline);
}

int
main (int argc, char **argv)
{
  static const struct {
    const char *label, *path;
    guint       total;
  } items[] = {
    { "h.json", "/h.json", 15000 },
    { "2D histogram", "/Physics/ecal_vs_hcal/root.json", 7500 },
  };
  const guint counts[] = { 1, 10, 50 };
  /* What the shift page asks for every 2 s (dqm/web/shift.html). */
  static const char shift_page[] =
    "/status.json /ECAL/ecal_main_mean/root.json /ECAL/ecal_ps_mean/root.json /HCAL/hcal_mean/root.json "
    "/Physics/ecal_vs_hcal/root.json /Physics/cut_flow_spills/root.json /ECAL/ecal_energy/root.json "
    "/ECAL/ecal_energy_beam/root.json /Beam/srd_sum/root.json /Beam/momentum/root.json";
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  Bare bare = { .context = g_main_context_new () };
  DqmWebOptions web_options = { .address = "127.0.0.1", .get_state = pipeline_state };
  DqmPipelineOptions pipeline_options;
  DqmSimPublisher *daq;
  DqmPipeline *pipeline;
  DqmWebServer *web;
  GThread *bare_thread;
  Load alone, browsers;

  dqm_config_set (config, "spill", "beam_rate_hz", "1100000", NULL);
  dqm_config_set (config, "spill", "gap_s", "0.5", NULL);
  setup = dqm_setup_load (config, NULL, NULL);
  if ((daq = dqm_sim_publisher_start (setup, NULL, "tcp://127.0.0.1:*", 100, &error)) == NULL)
    g_error ("%s", error->message);
  dqm_pipeline_options_init (&pipeline_options);
  pipeline = dqm_pipeline_new (dqm_source_new_zmq (dqm_sim_publisher_get_endpoint (daq), 5, NULL), config,
                               &pipeline_options, &error);
  dqm_pipeline_start (pipeline);
  web_options.data = pipeline;
  web_options.max_per_client = 64; /* the clients all come from 127.0.0.1 */
  if ((web = dqm_web_server_new (&web_options, &error)) == NULL)
    g_error ("%s", error->message);
  bare.loop = g_main_loop_new (bare.context, FALSE);
  g_mutex_init (&bare.lock);
  g_cond_init (&bare.ready);
  g_mutex_lock (&bare.lock);
  bare_thread = g_thread_new ("bare", serve_bare, &bare);
  while (bare.port == 0)
    g_cond_wait (&bare.ready, &bare.lock);
  g_mutex_unlock (&bare.lock);
  g_usleep (2 * G_USEC_PER_SEC); /* the first spill under way */

  {
    g_autoptr(DqmState) first = dqm_pipeline_get_state (pipeline);
    g_autoptr(DqmState) last = NULL;

    g_usleep (DURATION_S * G_USEC_PER_SEC);
    last = dqm_pipeline_get_state (pipeline);
    alone = (Load) { .events_per_s = (last->events_processed - first->events_processed) / (double) DURATION_S,
                     .dropped = last->events_dropped - first->events_dropped };
  }
  printf ("the monitor's web view on loopback, analysing a ~3 kHz stream on the same 2 cores; each client a\n"
          "keep-alive connection asking as fast as it is answered; the ceiling: libsoup answering \"ok\"\n\n");
  printf ("| %-13s | %7s | %9s | %9s | %6s | %8s | %8s | %9s | %7s |\n", "request", "clients", "requests/s",
          "ceiling/s", "ratio", "p50 ms", "p99 ms", "events/s", "dropped");
  printf ("|---------------|---------|------------|-----------|--------|----------|----------|-----------|---------|\n");
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
      {
        Load ours, ceiling;

        load (dqm_web_server_get_port (web), items[i].path, counts[c], items[i].total, 0, pipeline, &ours);
        load (bare.port, "/", counts[c], items[i].total, 0, pipeline, &ceiling);
        printf ("| %-13s | %7u | %10.0f | %9.0f | %6.3f | %8.2f | %8.2f | %9.0f | %7" G_GUINT64_FORMAT " |%s\n",
                items[i].label, counts[c], ours.requests_per_s, ceiling.requests_per_s,
                ours.requests_per_s / ceiling.requests_per_s, ours.p50_ms, ours.p99_ms, ours.events_per_s,
                ours.dropped, ours.failed ? " (requests failed)" : "");
      }
  load (dqm_web_server_get_port (web), shift_page, 50, 0, 0.2, pipeline, &browsers);
  printf ("| %-13s | %7u | %10.0f | %9s | %6s | %8.2f | %8.2f | %9.0f | %7" G_GUINT64_FORMAT " |\n",
          "50 browsers", 50, browsers.requests_per_s, "", "", browsers.p50_ms, browsers.p99_ms,
          browsers.events_per_s, browsers.dropped);
  printf ("| %-13s | %7u | %10s | %9s | %6s | %8s | %8s | %9.0f | %7" G_GUINT64_FORMAT " |\n", "not polled", 0, "",
          "", "", "", "", alone.events_per_s, alone.dropped);
  printf ("\n50 browsers: each asks, one every 0.2 s, for what the shift page asks every 2 s (status.json and its\n"
          "nine plots), for %d s.\n", DURATION_S);

  g_main_context_invoke (bare.context, quit, bare.loop);
  g_thread_join (bare_thread);
  g_main_loop_unref (bare.loop);
  g_main_context_unref (bare.context);
  dqm_web_server_free (web);
  dqm_pipeline_stop (pipeline, 5);
  dqm_pipeline_free (pipeline);
  dqm_sim_publisher_stop (daq);
  dqm_zmq_shutdown ();
  return 0;
}
