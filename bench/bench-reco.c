/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reconstruction throughput on one core, events per second, beside the
 * time to merely copy the same bytes (the memory ceiling):
 *   decode + reconstruct, and the whole analysis (+ histograms, spill
 *   statistics, alarms) that the monitor runs per event.
 * `bench-reco --profile reco|analysis` runs one step ten times as long and
 * prints only its rate, for `perf record`. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "dqm-analysis.h"
#include "dqm-reco.h"
#include "bench-util.h"

#define N_EVENTS 3000

int
main (int argc, char **argv)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autoptr(DqmAnalysis) analysis = dqm_analysis_new (config, NULL);
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  g_autofree DqmRecoEvent *out = g_new0 (DqmRecoEvent, 1);
  DqmStreamCounter tracker;
  double bytes, t, rates[3];
  gint64 start;
  const char *profile = argc == 3 && g_str_equal (argv[1], "--profile")
                        && (g_str_equal (argv[2], "reco") || g_str_equal (argv[2], "analysis")) ? argv[2] : NULL;
  const guint rounds = profile ? 30 : 3;

  if (argc > 1 && profile == NULL)
    {
      fprintf (stderr, "usage: %s [--profile reco|analysis]\n", argv[0]);
      return 2;
    }
  bodies = bench_simulated_events (N_EVENTS, &bytes, NULL);

  start = g_get_monotonic_time ();
  for (guint r = 0; r < (profile && !g_str_equal (profile, "reco") ? 0 : rounds); r++)
    for (guint i = 0; i < bodies->len; i++)
      {
        GByteArray *body = bodies->pdata[i];
        DqmMessage decoded;

        dqm_stream_decode (body->data, body->len, &decoded, event, NULL);
        dqm_reco_event (reco, 1, event, out);
      }
  t = bench_seconds_since (start);
  rates[0] = rounds * N_EVENTS / t;
  if (profile && g_str_equal (profile, "reco"))
    {
      printf ("decode + reconstruct: %.0f events/s, %.2f µs an event\n", rates[0], 1e6 / rates[0]);
      return 0;
    }

  dqm_stream_counter_init (&tracker, 5);
  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < bodies->len; i++)
      {
        GByteArray *body = bodies->pdata[i];
        DqmMessage decoded;
        DqmRunChanges flags;

        dqm_stream_decode (body->data, body->len, &decoded, event, NULL);
        event->event_id += (guint64) r * N_EVENTS; /* keep the ids rising */
        dqm_stream_counter_accept (&tracker, &decoded, body->len, 0, &flags, NULL);
        dqm_analysis_message (analysis, &decoded, flags, &tracker, 0);
      }
  t = bench_seconds_since (start);
  rates[1] = rounds * N_EVENTS / t;
  if (profile)
    {
      printf ("whole analysis: %.0f events/s, %.2f µs an event\n", rates[1], 1e6 / rates[1]);
      return 0;
    }

  rates[2] = bench_memcpy_rate (bodies);

  printf ("reconstruction throughput, one core, %d simulated 100 GeV e- events of %.0f bytes\n\n", N_EVENTS,
          bytes / N_EVENTS);
  printf ("| %-34s | %12s | %12s |\n", "step", "events/s", "vs memcpy");
  printf ("|%s|%s|%s|\n", "------------------------------------", "--------------", "--------------");
  printf ("| %-34s | %12.0f | %11.5f× |\n", "decode + reconstruct", rates[0], rates[0] / rates[2]);
  printf ("| %-34s | %12.0f | %11.5f× |\n", "whole analysis (reco + DQM fill)", rates[1], rates[1] / rates[2]);
  printf ("| %-34s | %12.0f | %11.5f× |\n", "memcpy of the same bytes", rates[2], 1.0);
  return 0;
}
