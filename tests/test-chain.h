/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for tests that run simulated data through the chain: a setup
 * with overrides, and a simulated run fed through decode, stream counter
 * and analysis as the consumer does it. */
#pragma once

#include <glib.h>

#include "dqm-analysis.h"
#include "dqm-sim-run.h"

/* @overrides: group, key, value triples, NULL-terminated; may be NULL. */
static inline DqmSetup *
test_setup_with (const char *const *overrides)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(GError) error = NULL;
  DqmSetup *setup;

  for (gsize i = 0; overrides && overrides[i]; i += 3)
    g_assert_true (dqm_config_set (config, overrides[i], overrides[i + 1], overrides[i + 2], &error));
  setup = dqm_setup_load (config, NULL, &error);
  g_assert_no_error (error);
  return setup;
}

/* Feeds every message of a simulated run to @analysis; bad ones (corrupted
 * on purpose) are counted by @counter as the receive thread would. */
static inline void
test_analyse_run (DqmAnalysis *analysis, DqmStreamCounter *counter, const DqmSetup *setup,
                  const DqmSimFaults *faults, guint32 run, guint spills, guint64 seed, guint64 start_ns)
{
  g_autoptr(DqmSimRun) sim = dqm_sim_run_new (setup, faults, run, spills, seed, start_ns);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmSimMessage message;
  gint64 now = 0;

  while (dqm_sim_run_next (sim, &message))
    {
      g_autoptr(GError) error = NULL;
      DqmMessage decoded;
      DqmRunChanges flags;

      now += 100;
      if (!dqm_stream_decode_message (message.topic, 3, message.body->data, message.body->len, &decoded, storage,
                                      &error))
        dqm_stream_counter_reject (counter, error, message.body->len, now);
      else if (dqm_stream_counter_accept (counter, &decoded, message.body->len, now, &flags, NULL))
        dqm_analysis_message (analysis, &decoded, flags, counter, now);
    }
}

/* The state after simulated run @run of @spills spills (seed 1), with the
 * configuration's @overrides (group, key, value triples, NULL-terminated). */
static inline DqmState *
test_run_state_with (const char *const *overrides, guint32 run, guint spills)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmAnalysis) analysis = NULL;
  DqmStreamCounter counter;

  for (gsize i = 0; overrides && overrides[i]; i += 3)
    g_assert_true (dqm_config_set (config, overrides[i], overrides[i + 1], overrides[i + 2], NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  analysis = dqm_analysis_new (config, NULL);
  dqm_stream_counter_init (&counter, 5);
  test_analyse_run (analysis, &counter, setup, NULL, run, spills, 1, 1790000000000000000ull);
  return dqm_analysis_make_state (analysis);
}

/* The state after a short simulated run 42 of two 0.3 s spills. */
static inline DqmState *
test_short_run_state (void)
{
  return test_run_state_with ((const char *const[]) { "spill", "length_s", "0.3", NULL }, 42, 2);
}
