/* Throughput of the stream foundation on one core, events per second, side
 * by side with copying the same bytes (the memory ceiling):
 *   simulate (physics + waveforms + encode), encode, decode, memcpy. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "dqm-sim-run.h"

#define N_EVENTS 4000

typedef struct {
  const char *name;
  double events_per_s;
  double mb_per_s;
} Row;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, NULL, 1, 0, 1, 0);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *copy = g_malloc (DQM_MAX_BODY_SIZE);
  DqmSimMessage message;
  double bytes = 0, t;
  Row rows[4];
  gint64 start;
  guint rounds;

  /* simulate */
  start = g_get_monotonic_time ();
  while (bodies->len < N_EVENTS && dqm_sim_run_next (run, &message))
    if (message.type == DQM_MSG_EVT)
      {
        g_ptr_array_add (bodies, g_byte_array_append (g_byte_array_new (), message.body->data, message.body->len));
        bytes += message.body->len;
      }
  t = seconds_since (start);
  rows[0] = (Row) { "simulate + encode", N_EVENTS / t, bytes / t / 1e6 };

  /* decode, then encode what was decoded; several rounds for a stable time */
  rounds = 20;
  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < bodies->len; i++)
      {
        GByteArray *body = bodies->pdata[i];
        DqmMessage decoded;

        if (!dqm_stream_decode (body->data, body->len, &decoded, event, NULL))
          g_error ("a simulated event does not decode");
      }
  t = seconds_since (start);
  rows[1] = (Row) { "decode", rounds * N_EVENTS / t, rounds * bytes / t / 1e6 };

  {
    DqmMessage decoded = { .type = DQM_MSG_EVT, .run = 1, .evt = event };

    start = g_get_monotonic_time ();
    for (guint r = 0; r < rounds; r++)
      for (guint i = 0; i < bodies->len; i++)
        dqm_stream_encode (&decoded, out);
    t = seconds_since (start);
    rows[2] = (Row) { "encode", rounds * N_EVENTS / t, rounds * bytes / t / 1e6 };
  }

  rounds = 200;
  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < bodies->len; i++)
      {
        GByteArray *body = bodies->pdata[i];

        memcpy (copy, body->data, body->len);
        __asm__ volatile ("" : : "r" (copy) : "memory"); /* keep the copy */
      }
  t = seconds_since (start);
  rows[3] = (Row) { "memcpy (ceiling)", rounds * N_EVENTS / t, rounds * bytes / t / 1e6 };

  printf ("stream throughput, one core, %d simulated 100 GeV e- events of %.0f bytes\n\n", N_EVENTS, bytes / N_EVENTS);
  printf ("| %-20s | %12s | %10s | %12s |\n", "step", "events/s", "MB/s", "vs memcpy");
  printf ("|%s|%s|%s|%s|\n", "----------------------", "--------------", "------------", "--------------");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    printf ("| %-20s | %12.0f | %10.1f | %11.4f× |\n", rows[i].name, rows[i].events_per_s, rows[i].mb_per_s,
            rows[i].events_per_s / rows[3].events_per_s);
  return 0;
}
