/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shape comparison with a reference snapshot: the statistics on known
 * distributions, then runs against a reference run. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-analysis.h"
#include "dqm-random.h"
#include "dqm-reference.h"
#include "dqm-sim-run.h"
#include "test-chain.h"

static DqmHistogram *
gaussian (double mean, double sigma, guint n, guint64 seed)
{
  DqmHistogram *h = dqm_histogram_new_1d ("ecal_energy", NULL, 100, 0, 200);
  DqmRandom rng;

  dqm_random_init (&rng, seed);
  for (guint i = 0; i < n; i++)
    dqm_histogram_fill (h, mean + sigma * dqm_random_gauss (&rng), 1);
  return h;
}

static void
test_statistics (void)
{
  g_autoptr(DqmHistogram) a = gaussian (100, 10, 5000, 1);
  g_autoptr(DqmHistogram) b = gaussian (100, 10, 5000, 2);
  g_autoptr(DqmHistogram) shifted = gaussian (103, 10, 5000, 3);
  g_autoptr(DqmHistogram) empty = dqm_histogram_new_1d ("ecal_energy", NULL, 100, 0, 200);
  g_autoptr(DqmHistogram) other = dqm_histogram_new_1d ("ecal_energy", NULL, 50, 0, 200);

  g_assert_cmpfloat (dqm_reference_ks (a, a), ==, 1);
  g_assert_cmpfloat (fabs (dqm_reference_chi2 (a, a) - 1), <, 1e-9);
  g_assert_cmpfloat (dqm_reference_ks (a, b), >, 0.01);
  g_assert_cmpfloat (dqm_reference_chi2 (a, b), >, 0.01);
  g_assert_cmpfloat (dqm_reference_ks (a, shifted), <, 1e-6);
  g_assert_cmpfloat (dqm_reference_chi2 (a, shifted), <, 1e-6);
  g_assert_true (isnan (dqm_reference_ks (a, empty)));
  g_assert_true (isnan (dqm_reference_ks (a, other)));
}

/* Runs one simulated run through an analysis; returns its final state. */
static DqmState *
analyse (guint64 seed, const char *fault, const char *value, GPtrArray *reference)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmAnalysis) analysis = NULL;
  DqmSimFaults faults;
  DqmStreamCounter tracker;

  g_assert_true (dqm_config_set (config, "spill", "length_s", "1", NULL));
  g_assert_true (dqm_config_set (config, "trigger", "beam_prescale", "1000", NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  analysis = dqm_analysis_new (config, NULL);
  dqm_analysis_set_reference (analysis, reference, "run 1 (the test's)");
  dqm_sim_faults_init (&faults);
  if (fault)
    g_assert_true (dqm_sim_faults_parse (&faults, fault, value, NULL));
  dqm_stream_counter_init (&tracker, 5);
  test_analyse_run (analysis, &tracker, setup, &faults, 3, 2, seed, 1790000000000000000ull);
  return dqm_analysis_make_state (analysis);
}

static GPtrArray *
histograms_of (const DqmState *state)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);

  for (guint i = 0; i < state->histograms->len; i++)
    g_ptr_array_add (copy, dqm_histogram_copy (state->histograms->pdata[i]));
  return copy;
}

static void
test_runs_against_reference (void)
{
  g_autoptr(DqmState) reference_run = analyse (11, NULL, NULL, NULL);
  g_autoptr(GPtrArray) reference = histograms_of (reference_run);
  g_autoptr(DqmState) same = analyse (12, NULL, NULL, reference);
  g_autoptr(DqmState) dirty = analyse (13, "hadron-fraction", "0.15", reference);
  const DqmAlarm *alarm;
  gboolean hcal_flagged = FALSE;

  g_assert_null (reference_run->reference_results);
  g_assert_nonnull (same->reference_results);
  g_assert_cmpuint (same->reference_results->len, >, 10);
  alarm = dqm_state_find_alarm (same, "reference-shape");
  g_test_message ("clean run: %g flagged (%s)", alarm->value, alarm->detail);
  g_assert_cmpint (alarm->latched, ==, DQM_ALARM_OK);

  alarm = dqm_state_find_alarm (dirty, "reference-shape");
  g_test_message ("hadron-rich run: %g flagged (%s)", alarm->value, alarm->detail);
  g_assert_cmpint (alarm->state, >=, DQM_ALARM_WARNING);
  for (guint i = 0; i < dirty->reference_results->len; i++)
    {
      const DqmReferenceResult *r = &g_array_index (dirty->reference_results, DqmReferenceResult, i);

      hcal_flagged |= g_str_equal (r->name, "hcal_energy") && r->flagged;
    }
  g_assert_true (hcal_flagged);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reference/statistics", test_statistics);
  g_test_add_func ("/reference/runs-against-reference", test_runs_against_reference);
  return g_test_run ();
}
