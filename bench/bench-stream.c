/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Throughput of the stream foundation on one core, events per second, side
 * by side with copying the same bytes (the memory ceiling):
 *   simulate (physics + waveforms + encode), encode, decode, memcpy. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "bench-util.h"

#define N_EVENTS 4000

typedef struct {
  const char *name;
  double events_per_s;
  double mb_per_s;
} Row;

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) bodies = NULL;
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  double bytes, t, memcpy_rate;
  Row rows[4];
  gint64 start;
  guint rounds;

  bodies = bench_simulated_events (N_EVENTS, &bytes, &t);
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
  t = bench_seconds_since (start);
  rows[1] = (Row) { "decode", rounds * N_EVENTS / t, rounds * bytes / t / 1e6 };

  {
    DqmMessage decoded = { .type = DQM_MSG_EVT, .run = 1, .evt = event };

    start = g_get_monotonic_time ();
    for (guint r = 0; r < rounds; r++)
      for (guint i = 0; i < bodies->len; i++)
        dqm_stream_encode (&decoded, out);
    t = bench_seconds_since (start);
    rows[2] = (Row) { "encode", rounds * N_EVENTS / t, rounds * bytes / t / 1e6 };
  }

  memcpy_rate = bench_memcpy_rate (bodies);
  rows[3] = (Row) { "memcpy (ceiling)", memcpy_rate, memcpy_rate * bytes / N_EVENTS / 1e6 };

  printf ("stream throughput, one core, %d simulated 100 GeV e- events of %.0f bytes\n\n", N_EVENTS, bytes / N_EVENTS);
  printf ("| %-20s | %12s | %10s | %12s |\n", "step", "events/s", "MB/s", "vs memcpy");
  printf ("|%s|%s|%s|%s|\n", "----------------------", "--------------", "------------", "--------------");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    printf ("| %-20s | %12.0f | %10.1f | %11.4f× |\n", rows[i].name, rows[i].events_per_s, rows[i].mb_per_s,
            rows[i].events_per_s / rows[3].events_per_s);
  return 0;
}
