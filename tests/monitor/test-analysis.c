/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A run longer than the analysis was sized for: per-spill histories go on
 * at a coarser binning (means of 2, 4 … spills), and signal-box candidates
 * are all counted while the newest are listed. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-analysis.h"
#include "test-chain.h"

static DqmState *
long_run_state (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmAnalysis) analysis = NULL;
  DqmStreamCounter counter;
  const char *overrides[][3] = {
    { "spill", "length_s", "0.1" }, { "dqm", "history_spills", "4" }, { "dqm", "candidates_kept", "5" },
    { "beam-e-", "signal_fraction", "0.05" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (overrides); i++)
    g_assert_true (dqm_config_set (config, overrides[i][0], overrides[i][1], overrides[i][2], NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  analysis = dqm_analysis_new (config, NULL);
  dqm_stream_counter_init (&counter, 5);
  test_analyse_run (analysis, &counter, setup, NULL, 7, 10, 3, 1790000000000000000ull);
  return dqm_analysis_make_state (analysis);
}

static double
mean_events (const DqmState *state, guint first, guint last)
{
  double sum = 0;

  for (guint s = first; s <= last; s++)
    sum += ((const DqmSpillSummary *) state->spills->pdata[s - 1])->events;
  return sum / (last - first + 1);
}

/* Ten spills in a history of four bins: four spills a bin, each the mean. */
static void
test_history_coarsens (void)
{
  g_autoptr(DqmState) state = long_run_state ();
  const DqmHistogram *h = dqm_state_find_histogram (state, "spill_events");

  g_assert_cmpuint (state->spills->len, ==, 10);
  g_assert_cmpuint (h->nx, ==, 3);
  g_assert_cmpfloat (h->xmax, ==, 12.5);
  g_assert_nonnull (strstr (h->title, "mean of 4 a bin"));
  g_assert_cmpfloat_with_epsilon (dqm_histogram_get (h, 1, 0), mean_events (state, 1, 4), 1e-9);
  g_assert_cmpfloat_with_epsilon (dqm_histogram_get (h, 2, 0), mean_events (state, 5, 8), 1e-9);
  g_assert_cmpfloat_with_epsilon (dqm_histogram_get (h, 3, 0), mean_events (state, 9, 10), 1e-9);
  g_assert_cmpfloat (h->entries, ==, 10);
}

/* Every candidate is counted; the list keeps the newest, in order. */
static void
test_candidates_roll (void)
{
  g_autoptr(DqmState) state = long_run_state ();
  guint64 counted = 0, previous = 0;
  const DqmCandidate *last;

  for (guint i = 0; i < state->spills->len; i++)
    counted += ((const DqmSpillSummary *) state->spills->pdata[i])->candidates;
  g_assert_cmpuint (counted, >, 5);
  g_assert_cmpuint (state->candidates_total, ==, counted);
  g_assert_cmpuint (state->candidates->len, <=, 5);
  g_assert_cmpuint (state->candidates->len, >=, 4);
  for (guint i = 0; i < state->candidates->len; i++)
    {
      const DqmCandidate *c = &g_array_index (state->candidates, DqmCandidate, i);

      g_assert_cmpuint (c->event_id, >, previous);
      previous = c->event_id;
    }
  last = &g_array_index (state->candidates, DqmCandidate, state->candidates->len - 1);
  g_assert_cmpuint (last->spill, >=, 9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/history-coarsens", test_history_coarsens);
  g_test_add_func ("/analysis/candidates-roll", test_candidates_roll);
  return g_test_run ();
}
