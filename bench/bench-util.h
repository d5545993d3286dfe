/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the benchmarks share: simulated events to work on, and the memory
 * ceiling they are all compared with, measured one way. */
#pragma once

#include <string.h>

#include <glib.h>

#include "dqm-sim-run.h"

static inline double
bench_seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* @n ordinary 100 GeV e- event bodies, as the DAQ sends them; @seconds
 * (if not NULL) receives the time the simulation took. */
static inline GPtrArray *
bench_simulated_events (guint n, double *bytes, double *seconds)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, NULL, 1, 0, 1, 0);
  GPtrArray *bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  gint64 start = g_get_monotonic_time ();
  DqmSimMessage message;

  *bytes = 0;
  while (bodies->len < n && dqm_sim_run_next (run, &message))
    if (message.type == DQM_MSG_EVT)
      {
        g_ptr_array_add (bodies, g_byte_array_append (g_byte_array_new (), message.body->data, message.body->len));
        *bytes += message.body->len;
      }
  if (seconds)
    *seconds = bench_seconds_since (start);
  return bodies;
}

/* Events per second for merely copying the same bytes: the ceiling. */
static inline double
bench_memcpy_rate (GPtrArray *bodies)
{
  const guint rounds = 200;
  g_autofree guint8 *copy = g_malloc (DQM_MAX_BODY_SIZE);
  gint64 start = g_get_monotonic_time ();

  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < bodies->len; i++)
      {
        GByteArray *body = bodies->pdata[i];

        memcpy (copy, body->data, body->len);
        __asm__ volatile ("" : : "r" (copy) : "memory"); /* keep the copy */
      }
  return rounds * bodies->len / bench_seconds_since (start);
}
