/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every fault the simulator injects raises its alarm within two spills of
 * its onset, and not before; a clean run raises none. Alarms hold, latch
 * and clear as the shift crew expects. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-analysis.h"
#include "dqm-sim-run.h"
#include "test-chain.h"

#define START_NS 1790000000000000000ull

typedef struct {
  DqmAlarmState after_spill[8]; /* of the alarm under test */
  DqmState     *state;
} Outcome;

typedef struct {
  const char *alarm;
  Outcome    *outcome;
  DqmAnalysis *analysis;
} Watch;

static void
on_spill (DqmAnalysis *analysis, const DqmSpillSummary *summary, gpointer data)
{
  Watch *watch = data;
  const DqmAlarm *alarm = dqm_alarms_find (dqm_analysis_get_alarms (analysis), watch->alarm);

  if (summary->spill < G_N_ELEMENTS (watch->outcome->after_spill))
    watch->outcome->after_spill[summary->spill] = alarm->state;
}

static DqmConfig *
test_config (void)
{
  DqmConfig *config = dqm_config_new_default ();

  /* Spills short for the test, busy enough for statistics. */
  g_assert_true (dqm_config_set (config, "spill", "length_s", "1", NULL));
  g_assert_true (dqm_config_set (config, "trigger", "beam_prescale", "1000", NULL));
  return config;
}

/* Runs @spills simulated spills, faults acting from spill 2, through the
 * whole consumer path: decode, stream tracker, analysis. */
static void
run (const char *alarm, const char *const *faults, guint spills, Outcome *outcome)
{
  g_autoptr(DqmConfig) config = test_config ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmAnalysis) analysis = dqm_analysis_new (config, NULL);
  DqmSimFaults sim_faults;
  DqmStreamCounter tracker;
  Watch watch = { alarm, outcome, analysis };
  DqmAnalysisCallbacks callbacks = { .spill_done = on_spill, .data = &watch };

  memset (outcome, 0, sizeof *outcome);
  dqm_sim_faults_init (&sim_faults);
  sim_faults.first_spill = 2;
  for (gsize i = 0; faults && faults[i]; i += 2)
    g_assert_true (dqm_sim_faults_parse (&sim_faults, faults[i], faults[i + 1], NULL));
  dqm_stream_counter_init (&tracker, 5);
  dqm_analysis_set_callbacks (analysis, &callbacks);
  test_analyse_run (analysis, &tracker, setup, &sim_faults, 7, spills, 99, START_NS);
  outcome->state = dqm_analysis_make_state (analysis);
}

static void
expect_alarm (const char *alarm, DqmAlarmState at_least, const char *const *faults)
{
  Outcome outcome;
  const DqmAlarm *a;

  run (alarm, faults, 3, &outcome);
  a = dqm_state_find_alarm (outcome.state, alarm);
  g_test_message ("%s: %s/%s/%s, value %g (%s)", alarm, dqm_alarm_state_name (outcome.after_spill[1]),
                  dqm_alarm_state_name (outcome.after_spill[2]), dqm_alarm_state_name (outcome.after_spill[3]),
                  a->value, a->detail);
  g_assert_cmpint (outcome.after_spill[1], ==, DQM_ALARM_OK);
  g_assert_cmpint (outcome.after_spill[3], >=, at_least);
  g_assert_cmpint (a->latched, >=, at_least);
  g_assert_true (a->unacknowledged);
  g_assert_cmpuint (outcome.state->alarm_log->len, >=, 1);
  dqm_state_unref (outcome.state);
}

static void
test_clean_run (void)
{
  Outcome outcome;

  run ("beam-purity", NULL, 4, &outcome);
  for (guint i = 0; i < outcome.state->spills->len; i++)
    {
      const DqmSpillSummary *spill = outcome.state->spills->pdata[i];

      g_test_message ("spill %u: purity %.4f of %" G_GUINT64_FORMAT " beam triggers (%" G_GUINT64_FORMAT
                      " with pile-up), aimed cell %.2f GeV changing %+.4f +/- %.4f", spill->spill, spill->purity,
                      spill->beam_events, spill->beam_pileup, spill->central_cell_gev, spill->central_cell_change,
                      spill->central_cell_change_error);
    }
  for (guint i = 0; i < outcome.state->n_alarms; i++)
    {
      const DqmAlarm *a = &outcome.state->alarms[i];

      g_test_message ("%-22s %-7s value %g %s", a->id, dqm_alarm_state_name (a->state), a->value, a->detail);
      g_assert_cmpint (a->latched, ==, DQM_ALARM_OK);
      g_assert_false (a->unacknowledged);
    }
  g_assert_cmpuint (outcome.state->alarm_log->len, ==, 0);
  /* The judged alarms had data to judge. */
  g_assert_true (dqm_state_find_alarm (outcome.state, "beam-purity")->have_value);
  g_assert_true (dqm_state_find_alarm (outcome.state, "veto-efficiency-1")->have_value);
  g_assert_true (dqm_state_find_alarm (outcome.state, "hot-channels")->have_value);
  g_assert_true (dqm_state_find_alarm (outcome.state, "pedestal-drift")->have_value);
  g_assert_true (dqm_state_find_alarm (outcome.state, "gain-drift")->have_value);
  g_assert_true (dqm_state_find_alarm (outcome.state, "central-cell")->have_value);
  g_assert_cmpuint (outcome.state->spills->len, ==, 4);
  dqm_state_unref (outcome.state);
}

/* The rate history spans runs and is bounded by [dqm] history_spills. */
static void
test_history_spans_runs (void)
{
  g_autoptr(DqmConfig) config = test_config ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmAnalysis) analysis = NULL;
  g_autoptr(DqmState) state = NULL;
  DqmStreamCounter tracker;

  g_assert_true (dqm_config_set (config, "dqm", "history_spills", "3", NULL));
  g_assert_true (dqm_config_set (config, "spill", "length_s", "0.05", NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  analysis = dqm_analysis_new (config, NULL);
  dqm_stream_counter_init (&tracker, 5);
  for (guint32 run = 1; run <= 2; run++)
    test_analyse_run (analysis, &tracker, setup, NULL, run, 2, run, START_NS + run * 100000000000ull);
  state = dqm_analysis_make_state (analysis);
  g_assert_cmpuint (state->spills->len, ==, 2);  /* this run's */
  g_assert_cmpuint (state->history->len, ==, 3); /* the last three, across runs */
  g_assert_cmpuint (g_array_index (state->history, DqmHistoryPoint, 0).run, ==, 1);
  g_assert_cmpuint (g_array_index (state->history, DqmHistoryPoint, 0).spill, ==, 2);
  g_assert_cmpuint (g_array_index (state->history, DqmHistoryPoint, 2).run, ==, 2);
  g_assert_cmpuint (g_array_index (state->history, DqmHistoryPoint, 2).spill, ==, 2);
  g_assert_cmpfloat (g_array_index (state->history, DqmHistoryPoint, 2).trigger_rate_hz, >, 1000);
}

static void
test_dead_channels (void)
{
  const char *const ecal[] = { "dead-channel", "ecal-main:3,3", NULL };
  const char *const neighbour[] = { "dead-channel", "ecal-main:2,3", NULL };
  const char *const preshower[] = { "dead-channel", "ecal-ps:3,3", NULL };
  const char *const hcal[] = { "dead-channel", "hcal0:1,1", NULL };
  const char *const veto[] = { "dead-channel", "veto1:0", NULL };
  const char *const srd[] = { "dead-channel", "srd2", NULL };
  const char *const counter[] = { "dead-channel", "s3", NULL };

  expect_alarm ("dead-channels", DQM_ALARM_ALARM, ecal);
  expect_alarm ("dead-channels", DQM_ALARM_ALARM, neighbour);
  expect_alarm ("dead-channels", DQM_ALARM_ALARM, preshower);
  expect_alarm ("dead-channels", DQM_ALARM_ALARM, hcal);
  expect_alarm ("dead-channels", DQM_ALARM_ALARM, veto);
  expect_alarm ("dead-channels", DQM_ALARM_ALARM, srd);
  expect_alarm ("dead-channels", DQM_ALARM_ALARM, counter);
}

static void
test_dead_channel_named (void)
{
  const char *const faults[] = { "dead-channel", "hcal0:1,1", NULL };
  Outcome outcome;

  run ("dead-channels", faults, 3, &outcome);
  g_assert_cmpstr (dqm_state_find_alarm (outcome.state, "dead-channels")->detail, ==, "hcal0:1,1");
  dqm_state_unref (outcome.state);
}

static void
test_hot_channel (void)
{
  const char *const faults[] = { "hot-channel", "ecal-main:0,5", NULL };
  expect_alarm ("hot-channels", DQM_ALARM_ALARM, faults);
}

static void
test_pedestal_drift (void)
{
  const char *const faults[] = { "pedestal-drift", "hcal2:0,0:8", NULL };
  expect_alarm ("pedestal-drift", DQM_ALARM_ALARM, faults);
}

/* A gain that drifts shows in the LED amplitudes of the spill gaps. */
static void
test_gain_drift (void)
{
  const char *const faults[] = { "gain-drift", "hcal1:1,1:-0.05", NULL };
  Outcome outcome;

  run ("gain-drift", faults, 3, &outcome);
  g_test_message ("gain-drift: %s/%s/%s, value %g (%s)", dqm_alarm_state_name (outcome.after_spill[1]),
                  dqm_alarm_state_name (outcome.after_spill[2]), dqm_alarm_state_name (outcome.after_spill[3]),
                  dqm_state_find_alarm (outcome.state, "gain-drift")->value,
                  dqm_state_find_alarm (outcome.state, "gain-drift")->detail);
  g_assert_cmpint (outcome.after_spill[1], ==, DQM_ALARM_OK);
  g_assert_cmpint (outcome.after_spill[3], ==, DQM_ALARM_ALARM);
  g_assert_cmpstr (dqm_state_find_alarm (outcome.state, "gain-drift")->detail, ==, "hcal1:1,1");
  dqm_state_unref (outcome.state);
}

/* The PMT effect of high intensity: the aimed cell sags early in the spill. */
static void
test_central_cell_sag (void)
{
  const char *const faults[] = { "ecal-sag", "0.3", NULL };

  expect_alarm ("central-cell", DQM_ALARM_ALARM, faults);
}

static void
test_veto (void)
{
  const char *const inefficient[] = { "veto-inefficiency", "1:0.5", NULL };
  const char *const noisy[] = { "veto-noise", "2:0.2", NULL };

  expect_alarm ("veto-efficiency-1", DQM_ALARM_ALARM, inefficient);
  expect_alarm ("veto-noise-2", DQM_ALARM_ALARM, noisy);
}

static void
test_beam_purity (void)
{
  const char *const hadrons[] = { "hadron-fraction", "0.1", NULL };

  expect_alarm ("beam-purity", DQM_ALARM_ALARM, hadrons);
  expect_alarm ("hadron-contamination", DQM_ALARM_ALARM, hadrons);
}

static void
test_srd_off (void)
{
  Outcome outcome;
  g_autoptr(DqmConfig) config = test_config ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmAnalysis) analysis = dqm_analysis_new (config, NULL);
  DqmSimFaults faults;
  DqmStreamCounter tracker;
  Watch watch = { "beam-purity", &outcome, analysis };
  DqmAnalysisCallbacks callbacks = { .spill_done = on_spill, .data = &watch };

  /* --srd-off takes no value, so it is set directly. */
  memset (&outcome, 0, sizeof outcome);
  dqm_sim_faults_init (&faults);
  faults.first_spill = 2;
  faults.srd_off = TRUE;
  dqm_stream_counter_init (&tracker, 5);
  dqm_analysis_set_callbacks (analysis, &callbacks);
  test_analyse_run (analysis, &tracker, setup, &faults, 7, 3, 5, START_NS);
  g_assert_cmpint (outcome.after_spill[1], ==, DQM_ALARM_OK);
  g_assert_cmpint (outcome.after_spill[2], ==, DQM_ALARM_ALARM);
}

static void
test_corruption (void)
{
  const char *const faults[] = { "corrupt-fraction", "0.05", NULL };

  expect_alarm ("decode-errors", DQM_ALARM_ALARM, faults);
  expect_alarm ("lost-events", DQM_ALARM_ALARM, faults);
}

/* Triggers that stop firing for part of the beam change the triggers per
 * particle on target. */
static void
test_trigger_loss (void)
{
  const char *const faults[] = { "trigger-loss", "0.6", NULL };

  expect_alarm ("trigger-rate", DQM_ALARM_ALARM, faults);
}

/* Stalls and restarts are seen by the stream tracker and the connection. */
static void
test_stream (void)
{
  g_autoptr(DqmConfig) config = test_config ();
  g_autoptr(DqmAnalysis) analysis = dqm_analysis_new (config, NULL);
  DqmStreamCounter tracker;
  DqmMessage sor = { .type = DQM_MSG_SOR, .run = 3, .sor = { .beam = DQM_BEAM_ELECTRON, .beam_energy_gev = 100 } };
  DqmRunChanges flags;
  const DqmAlarm *stream = dqm_alarms_find (dqm_analysis_get_alarms (analysis), "stream-stalled");

  dqm_stream_counter_init (&tracker, 5);
  g_assert_true (dqm_stream_counter_accept (&tracker, &sor, 32, 0, &flags, NULL));
  dqm_analysis_message (analysis, &sor, flags, &tracker, 0);
  stream = dqm_alarms_find (dqm_analysis_get_alarms (analysis), "stream-stalled");
  dqm_analysis_tick (analysis, &tracker, "test", TRUE, 1);
  g_assert_cmpint (stream->state, ==, DQM_ALARM_OK);
  /* The publisher restarts: the connection drops while the run is open. */
  dqm_analysis_tick (analysis, &tracker, "test", FALSE, 2);
  g_assert_cmpint (stream->state, ==, DQM_ALARM_WARNING);
  dqm_analysis_tick (analysis, &tracker, "test", TRUE, 3);
  g_assert_cmpint (stream->state, ==, DQM_ALARM_OK);
  g_assert_cmpint (stream->latched, ==, DQM_ALARM_WARNING);
  /* Silence for the stall time. */
  g_assert_true (dqm_stream_counter_idle (&tracker, 6 * G_USEC_PER_SEC));
  dqm_analysis_tick (analysis, &tracker, "test", TRUE, 4);
  g_assert_cmpint (stream->state, ==, DQM_ALARM_ALARM);
  g_assert_true (stream->unacknowledged);
  g_assert_cmpuint (dqm_analysis_acknowledge (analysis, "stream-stalled", "tester", NULL), ==, 1);
  g_assert_false (stream->unacknowledged);
  g_assert_cmpint (stream->latched, ==, DQM_ALARM_ALARM); /* still stalled */
  /* Three changes of state, then the acknowledgement. */
  g_assert_cmpuint (dqm_alarms_log (dqm_analysis_get_alarms (analysis))->len, ==, 4);
}

/* Hysteresis: no flapping around a limit; clearing takes good spills in a
 * row beyond the margin; the latch holds until acknowledged. */
static void
test_hysteresis_and_latch (void)
{
  g_autoptr(DqmConfig) config = test_config ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmAlarms) alarms = dqm_alarms_new (setup);
  const DqmAlarm *purity = dqm_alarms_find (alarms, "beam-purity");
  DqmSpillSummary s;
  DqmSpillChannels channels = { { 0 } };
  const double values[] = { 0.99, 0.93, 0.945, 0.935, 0.95, 0.99, 0.99, 0.99 };
  const DqmAlarmState expected[] = { DQM_ALARM_OK, DQM_ALARM_ALARM, DQM_ALARM_ALARM, DQM_ALARM_ALARM,
                                     DQM_ALARM_ALARM, DQM_ALARM_ALARM, DQM_ALARM_OK, DQM_ALARM_OK };

  memset (&s, 0, sizeof s);
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    s.veto_efficiency[c] = s.veto_noise[c] = NAN;
  s.hadron_share = NAN;
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      s.spill = i + 1;
      s.purity = values[i];
      dqm_alarms_spill (alarms, &s, &channels, i);
      g_assert_cmpint (purity->state, ==, expected[i]);
    }
  /* Up once, down once: two log lines, however the value wavered. */
  g_assert_cmpuint (dqm_alarms_log (alarms)->len, ==, 2);
  g_assert_cmpint (purity->latched, ==, DQM_ALARM_ALARM);
  g_assert_true (purity->unacknowledged);
  g_assert_cmpuint (dqm_alarms_acknowledge (alarms, NULL, "tester", "seen", 10), ==, 1);
  g_assert_cmpint (purity->latched, ==, DQM_ALARM_OK);
  /* The acknowledgement is logged with who and why. */
  g_assert_cmpuint (dqm_alarms_log (alarms)->len, ==, 3);
  const DqmAlarmLogEntry *ack = &g_array_index (dqm_alarms_log (alarms), DqmAlarmLogEntry, 2);
  g_assert_true (ack->acknowledgement);
  g_assert_cmpstr (ack->id, ==, purity->id);
  g_assert_cmpstr (ack->who, ==, "tester");
  g_assert_cmpstr (ack->comment, ==, "seen");
  g_assert_nonnull (strstr (ack->text, "acknowledged by tester: seen"));
  g_assert_cmpuint (dqm_alarms_acknowledge (alarms, NULL, "tester", NULL, 11), ==, 0);
  g_assert_cmpuint (dqm_alarms_log (alarms)->len, ==, 3);
  g_assert_cmpuint (purity->n_trend, ==, G_N_ELEMENTS (values));
  g_assert_cmpfloat (purity->trend[1], ==, 0.93);
  /* Too little data: the state stays as it is. */
  s.purity = NAN;
  dqm_alarms_spill (alarms, &s, &channels, 11);
  g_assert_cmpint (purity->state, ==, DQM_ALARM_OK);
  g_assert_cmpuint (purity->n_trend, ==, G_N_ELEMENTS (values));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alarms/hysteresis-and-latch", test_hysteresis_and_latch);
  g_test_add_func ("/alarms/stream", test_stream);
  g_test_add_func ("/alarms/history-spans-runs", test_history_spans_runs);
  g_test_add_func ("/alarms/clean-run-raises-none", test_clean_run);
  g_test_add_func ("/alarms/fault/dead-channels", test_dead_channels);
  g_test_add_func ("/alarms/fault/dead-channel-named", test_dead_channel_named);
  g_test_add_func ("/alarms/fault/hot-channel", test_hot_channel);
  g_test_add_func ("/alarms/fault/gain-drift", test_gain_drift);
  g_test_add_func ("/alarms/fault/central-cell-sag", test_central_cell_sag);
  g_test_add_func ("/alarms/fault/pedestal-drift", test_pedestal_drift);
  g_test_add_func ("/alarms/fault/veto", test_veto);
  g_test_add_func ("/alarms/fault/beam-purity", test_beam_purity);
  g_test_add_func ("/alarms/fault/srd-off", test_srd_off);
  g_test_add_func ("/alarms/fault/corruption", test_corruption);
  g_test_add_func ("/alarms/fault/trigger-loss", test_trigger_loss);
  return g_test_run ();
}
