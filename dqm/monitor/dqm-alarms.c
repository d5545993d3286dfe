/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alarm states, hysteresis, latching and the log. */
#include "dqm-alarms.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "dqm-channel.h"
#include "dqm-checkpoint.h"

enum {
  A_PURITY, A_HADRON,
  A_VETO_EFF_0, A_VETO_EFF_1, A_VETO_EFF_2,
  A_VETO_NOISE_0, A_VETO_NOISE_1, A_VETO_NOISE_2,
  A_DEAD, A_HOT, A_PEDESTAL, A_GAIN, A_CENTRAL_CELL, A_TRIGGER, A_STALL, A_BAD, A_LOST, A_DROPPED, A_REFERENCE,
  N_ALARMS
};

struct _DqmAlarms {
  const DqmSetup *setup;
  DqmAlarm alarms[N_ALARMS];
  GArray *log;
  /* The run's first good spill: what drift and trigger changes are judged against. */
  gboolean have_reference_pedestals;
  struct {
    double   pedestal[DQM_N_CHANNELS][2];
    double   led[DQM_N_CHANNELS];        /* LED amplitudes, counts */
    gboolean have_led;
  } reference;
  double   reference_trigger_ratio;
  DqmChannelProblem problem[DQM_N_CHANNELS];
};

const char *
dqm_alarm_state_name (DqmAlarmState state)
{
  /* Marked for translation; the display translates them, logs keep English. */
  static const char *const names[] = { N_("OK"), N_("WARNING"), N_("ALARM") };
  return state <= DQM_ALARM_ALARM ? names[state] : "?";
}

static void
define (DqmAlarms  *alarms,
        guint       index,
        const char *id,
        const char *title,
        const char *unit,
        gboolean    below,
        DqmLimits   limits)
{
  DqmAlarm *a = &alarms->alarms[index];

  g_strlcpy (a->id, id, sizeof a->id);
  g_strlcpy (a->title, title, sizeof a->title);
  g_strlcpy (a->unit, unit, sizeof a->unit);
  a->below = below;
  a->limits = limits;
}

DqmAlarms *
dqm_alarms_new (const DqmSetup *setup)
{
  g_return_val_if_fail (setup != NULL, NULL);

  DqmAlarms *alarms = g_new0 (DqmAlarms, 1);
  const DqmAlarmSetup *s = &setup->alarms;
  /* Counting alarms: one channel is already an ALARM. */
  const DqmLimits any = { 0.5, 0.5 };

  alarms->setup = setup;
  alarms->log = g_array_new (FALSE, TRUE, sizeof (DqmAlarmLogEntry));
  define (alarms, A_PURITY, "beam-purity", N_("Beam purity"), "", TRUE, s->purity);
  define (alarms, A_HADRON, "hadron-contamination", N_("Hadron contamination"), "", FALSE, s->hadron);
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      g_autofree char *id = g_strdup_printf ("veto-efficiency-%u", c);
      static const char *const titles[DQM_VETO_COUNTERS] = {
        N_("VETO 0 efficiency"), N_("VETO 1 efficiency"), N_("VETO 2 efficiency"),
      };
      static const char *const noise_titles[DQM_VETO_COUNTERS] = {
        N_("VETO 0 noise"), N_("VETO 1 noise"), N_("VETO 2 noise"),
      };
      g_autofree char *noise_id = g_strdup_printf ("veto-noise-%u", c);

      define (alarms, A_VETO_EFF_0 + c, id, titles[c], "", TRUE, s->veto_efficiency);
      define (alarms, A_VETO_NOISE_0 + c, noise_id, noise_titles[c], "", FALSE, s->veto_noise);
    }
  define (alarms, A_DEAD, "dead-channels", N_("Dead channels"), "channels", FALSE, any);
  define (alarms, A_HOT, "hot-channels", N_("Hot channels"), "channels", FALSE, any);
  define (alarms, A_PEDESTAL, "pedestal-drift", N_("Pedestal drift"), "ADC", FALSE, s->pedestal_drift);
  define (alarms, A_GAIN, "gain-drift", N_("Gain drift (LED)"), "change", FALSE, s->gain_drift);
  define (alarms, A_CENTRAL_CELL, "central-cell", N_("Central cell in the spill"), "change", FALSE, s->central_cell);
  define (alarms, A_TRIGGER, "trigger-rate", N_("Triggers per beam particle"), "change", FALSE, s->trigger_ratio);
  define (alarms, A_STALL, "stream-stalled", N_("Stream"), "s silent", FALSE, any);
  define (alarms, A_BAD, "decode-errors", N_("Bad messages"), "share", FALSE, s->bad);
  define (alarms, A_LOST, "lost-events", N_("Lost events"), "share", FALSE, s->lost);
  define (alarms, A_DROPPED, "dropped-events", N_("Dropped events"), "share", FALSE, s->dropped);
  /* Counted in histograms; one below the limit counts as reached. */
  define (alarms, A_REFERENCE, "reference-shape", N_("Shapes vs reference"), "histograms", FALSE,
          (DqmLimits) { setup->dqm.reference_flagged.warning - 0.5, setup->dqm.reference_flagged.alarm - 0.5 });
  return alarms;
}

void
dqm_alarms_free (DqmAlarms *alarms)
{
  if (alarms == NULL)
    return;
  g_array_unref (alarms->log);
  g_free (alarms);
}

/* @margin > 0 asks whether the value is clearly good: the limits move that
 * share of the WARNING–ALARM gap towards the good side. */
static DqmAlarmState
judge (const DqmAlarm *a, double value, double margin)
{
  double shift = margin * fabs (a->limits.warning - a->limits.alarm);

  if (a->below)
    return value < a->limits.alarm + shift ? DQM_ALARM_ALARM
           : value < a->limits.warning + shift ? DQM_ALARM_WARNING : DQM_ALARM_OK;
  return value > a->limits.alarm - shift ? DQM_ALARM_ALARM
         : value > a->limits.warning - shift ? DQM_ALARM_WARNING : DQM_ALARM_OK;
}

static void
log_change (DqmAlarms *alarms, DqmAlarm *a, DqmAlarmState to, gint64 now_us)
{
  DqmAlarmLogEntry entry = { .time_us = now_us, .from = a->state, .to = to, .value = a->value };

  g_strlcpy (entry.id, a->id, sizeof entry.id);
  g_snprintf (entry.text, sizeof entry.text, "%s: %s → %s, value %.4g%s%s%s%s%s", a->title,
              dqm_alarm_state_name (a->state), dqm_alarm_state_name (to), a->value, a->unit[0] ? " " : "", a->unit,
              a->detail[0] ? " (" : "", a->detail, a->detail[0] ? ")" : "");
  g_array_append_val (alarms->log, entry);
}

static void
log_acknowledgement (DqmAlarms *alarms, DqmAlarm *a, const char *who, const char *comment, gint64 now_us)
{
  DqmAlarmLogEntry entry = { .time_us = now_us, .from = a->state, .to = a->state, .value = a->value,
                             .acknowledgement = TRUE };

  g_strlcpy (entry.id, a->id, sizeof entry.id);
  g_strlcpy (entry.who, who && *who ? who : "unknown", sizeof entry.who);
  g_strlcpy (entry.comment, comment ? comment : "", sizeof entry.comment);
  g_snprintf (entry.text, sizeof entry.text, "%s: %s acknowledged by %s%s%s", a->title,
              dqm_alarm_state_name (a->latched), entry.who, entry.comment[0] ? ": " : "", entry.comment);
  g_array_append_val (alarms->log, entry);
}

/* One new value: escalate at once; come down only after clear_spills
 * values in a row that are good beyond the hysteresis margin. */
static void
update_judged (DqmAlarms *alarms, DqmAlarm *a, double value, double judged, gint64 now_us)
{
  const DqmAlarmSetup *s = &alarms->setup->alarms;
  DqmAlarmState raw;

  if (isnan (value))
    return; /* too little data to judge: keep the state */
  a->have_value = TRUE;
  a->value = value;
  if (a->n_trend == DQM_ALARM_TREND)
    memmove (a->trend, a->trend + 1, sizeof a->trend - sizeof a->trend[0]);
  else
    a->n_trend++;
  a->trend[a->n_trend - 1] = value;

  raw = judge (a, judged, 0);
  if (raw > a->state)
    {
      log_change (alarms, a, raw, now_us);
      a->state = raw;
      a->good_streak = 0;
      a->unacknowledged = TRUE;
      a->latched = MAX (a->latched, raw);
      return;
    }
  if (raw == a->state || judge (a, value, s->hysteresis) >= a->state)
    {
      a->good_streak = 0;
      return;
    }
  if (++a->good_streak >= s->clear_spills)
    {
      log_change (alarms, a, raw, now_us);
      a->state = raw;
      a->good_streak = 0;
    }
}

static void
update (DqmAlarms *alarms, DqmAlarm *a, double value, gint64 now_us)
{
  update_judged (alarms, a, value, value, now_us);
}

/* A value measured with the statistical error @sigma is raised only when
 * it lies beyond the limit by more than two of them: the slope of a few
 * hundred cell energies is that uncertain. It clears on the value itself. */
static void
update_measured (DqmAlarms *alarms, DqmAlarm *a, double value, double sigma, gint64 now_us)
{
  if (isnan (value) || isnan (sigma))
    return;
  update_judged (alarms, a, value, a->below ? value + 2 * sigma : value - 2 * sigma, now_us);
}

/* Channels whose expected signals did not come, or that fire on random
 * triggers; the names go into the alarm's detail. */
static double
channel_faults (DqmAlarms *alarms, const DqmSpillSummary *s, const DqmSpillChannels *c, gboolean hot, char *detail,
                gsize size)
{
  const DqmAlarmSetup *a = &alarms->setup->alarms;
  guint n = 0;

  detail[0] = '\0';
  if (hot && s->random_triggers < 20)
    return NAN;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      gboolean bad = hot ? (double) c->random_signals[slot] / s->random_triggers > a->hot_random_share
                         : c->expected[slot] >= 20 && (double) c->seen[slot] / c->expected[slot] < a->dead_seen_share;

      if (hot ? alarms->problem[slot] == DQM_CHANNEL_HOT : alarms->problem[slot] == DQM_CHANNEL_DEAD)
        alarms->problem[slot] = DQM_CHANNEL_FINE;
      if (bad)
        {
          g_autofree char *name = dqm_channel_name (dqm_channel_from_slot (slot));

          alarms->problem[slot] = hot ? DQM_CHANNEL_HOT : DQM_CHANNEL_DEAD;
          if (n++)
            g_strlcat (detail, " ", size);
          g_strlcat (detail, name, size);
        }
    }
  return n;
}

static void
name_channel (guint slot, char *detail, gsize size)
{
  g_autofree char *name = dqm_channel_name (dqm_channel_from_slot (slot));

  g_strlcpy (detail, name, size);
}

static double
pedestal_drift (DqmAlarms *alarms, const DqmSpillSummary *s, const DqmSpillChannels *c, char *detail, gsize size)
{
  double worst = 0;
  guint worst_slot = 0;

  detail[0] = '\0';
  if (s->random_triggers < 5)
    return NAN;
  if (!alarms->have_reference_pedestals)
    {
      memcpy (alarms->reference.pedestal, c->pedestal, sizeof c->pedestal);
      alarms->have_reference_pedestals = TRUE;
      return 0;
    }
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    for (guint p = 0; p < 2; p++)
      if (fabs (c->pedestal[slot][p] - alarms->reference.pedestal[slot][p]) > worst)
        {
          worst = fabs (c->pedestal[slot][p] - alarms->reference.pedestal[slot][p]);
          worst_slot = slot;
        }
  if (worst > alarms->setup->alarms.pedestal_drift.warning)
    name_channel (worst_slot, detail, size);
  return worst;
}

/* The largest relative change of a channel's LED amplitude since the run's
 * first spill with LED triggers: a gain drift (the LED light is stable). */
static double
gain_drift (DqmAlarms *alarms, const DqmSpillSummary *s, const DqmSpillChannels *c, char *detail, gsize size)
{
  double worst = 0, lit = 10 * alarms->setup->reco.signal_threshold_counts;
  guint worst_slot = 0;

  detail[0] = '\0';
  if (s->led_triggers < 5)
    return NAN;
  if (!alarms->reference.have_led)
    {
      memcpy (alarms->reference.led, c->led_counts, sizeof c->led_counts);
      alarms->reference.have_led = TRUE;
      return 0;
    }
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    if (alarms->reference.led[slot] > lit && fabs (c->led_counts[slot] / alarms->reference.led[slot] - 1) > worst)
      {
        worst = fabs (c->led_counts[slot] / alarms->reference.led[slot] - 1);
        worst_slot = slot;
      }
  if (worst > alarms->setup->alarms.gain_drift.warning)
    name_channel (worst_slot, detail, size);
  return worst;
}

static double
share (guint64 part, guint64 whole)
{
  return whole ? (double) part / whole : 0;
}

void
dqm_alarms_spill (DqmAlarms *alarms, const DqmSpillSummary *s, const DqmSpillChannels *channels, gint64 now_us)
{
  g_return_if_fail (alarms != NULL);

  DqmAlarm *a = alarms->alarms;
  double dead, hot, drift, trigger_change = NAN;

  update (alarms, &a[A_PURITY], s->purity, now_us);
  update (alarms, &a[A_HADRON], s->hadron_share, now_us);
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      update (alarms, &a[A_VETO_EFF_0 + c], s->veto_efficiency[c], now_us);
      update (alarms, &a[A_VETO_NOISE_0 + c], s->veto_noise[c], now_us);
    }
  dead = channel_faults (alarms, s, channels, FALSE, a[A_DEAD].detail, sizeof a[A_DEAD].detail);
  update (alarms, &a[A_DEAD], dead, now_us);
  hot = channel_faults (alarms, s, channels, TRUE, a[A_HOT].detail, sizeof a[A_HOT].detail);
  update (alarms, &a[A_HOT], hot, now_us);
  drift = pedestal_drift (alarms, s, channels, a[A_PEDESTAL].detail, sizeof a[A_PEDESTAL].detail);
  update (alarms, &a[A_PEDESTAL], drift, now_us);
  update (alarms, &a[A_GAIN], gain_drift (alarms, s, channels, a[A_GAIN].detail, sizeof a[A_GAIN].detail), now_us);
  update_measured (alarms, &a[A_CENTRAL_CELL], fabs (s->central_cell_change), s->central_cell_change_error, now_us);

  if (s->complete && s->beam_counts > 0 && s->triggers > 0)
    {
      double ratio = (double) s->triggers / s->beam_counts;

      if (alarms->reference_trigger_ratio == 0)
        alarms->reference_trigger_ratio = ratio;
      trigger_change = fabs (ratio / alarms->reference_trigger_ratio - 1);
    }
  update (alarms, &a[A_TRIGGER], trigger_change, now_us);
  update (alarms, &a[A_BAD], share (s->bad, s->messages), now_us);
  update (alarms, &a[A_LOST], share (s->lost, s->lost + s->events), now_us);
}

void
dqm_alarms_dropped (DqmAlarms *alarms, guint64 dropped, guint64 analysed, gint64 now_us)
{
  g_return_if_fail (alarms != NULL);

  update (alarms, &alarms->alarms[A_DROPPED], dropped + analysed ? share (dropped, dropped + analysed) : NAN, now_us);
}

void
dqm_alarms_stream (DqmAlarms *alarms, gboolean stalled, gboolean disconnected, double silent_seconds, gint64 now_us)
{
  g_return_if_fail (alarms != NULL);

  DqmAlarm *a = &alarms->alarms[A_STALL];
  DqmAlarmState to = stalled ? DQM_ALARM_ALARM : disconnected ? DQM_ALARM_WARNING : DQM_ALARM_OK;

  a->have_value = TRUE;
  a->value = stalled ? silent_seconds : 0;
  g_strlcpy (a->detail, stalled ? "stalled" : disconnected ? "reconnecting" : "", sizeof a->detail);
  if (to == a->state)
    return;
  /* Seen directly: no waiting for good spills to clear. */
  log_change (alarms, a, to, now_us);
  if (to > a->state)
    {
      a->unacknowledged = TRUE;
      a->latched = MAX (a->latched, to);
    }
  a->state = to;
}

void
dqm_alarms_reference (DqmAlarms *alarms, const GArray *results, gint64 now_us)
{
  g_return_if_fail (alarms != NULL);

  DqmAlarm *a = &alarms->alarms[A_REFERENCE];
  guint flagged = 0;

  a->detail[0] = '\0';
  for (guint i = 0; i < results->len; i++)
    {
      const DqmReferenceResult *r = &g_array_index (results, DqmReferenceResult, i);

      if (!r->flagged)
        continue;
      if (flagged++)
        g_strlcat (a->detail, " ", sizeof a->detail);
      g_strlcat (a->detail, r->name, sizeof a->detail);
    }
  update (alarms, a, results->len ? flagged : NAN, now_us);
}

guint
dqm_alarms_acknowledge (DqmAlarms *alarms, const char *id, const char *who, const char *comment, gint64 now_us)
{
  guint n = 0;

  g_return_val_if_fail (alarms != NULL, 0);

  for (guint i = 0; i < N_ALARMS; i++)
    {
      DqmAlarm *a = &alarms->alarms[i];

      if ((id && !g_str_equal (id, a->id)) || !a->unacknowledged)
        continue;
      log_acknowledgement (alarms, a, who, comment, now_us);
      a->unacknowledged = FALSE;
      a->latched = a->state;
      n++;
    }
  return n;
}

DqmChannelProblem
dqm_alarms_channel_problem (const DqmAlarms *alarms, guint slot)
{
  g_return_val_if_fail (slot < DQM_N_CHANNELS, DQM_CHANNEL_FINE);
  return alarms->problem[slot];
}

guint
dqm_alarms_count (const DqmAlarms *alarms)
{
  g_return_val_if_fail (alarms != NULL, 0);

  return N_ALARMS;
}

const DqmAlarm *
dqm_alarms_get (const DqmAlarms *alarms, guint index)
{
  g_return_val_if_fail (index < N_ALARMS, NULL);
  return &alarms->alarms[index];
}

const DqmAlarm *
dqm_alarms_find (const DqmAlarms *alarms, const char *id)
{
  g_return_val_if_fail (alarms != NULL, NULL);

  for (guint i = 0; i < N_ALARMS; i++)
    if (g_str_equal (alarms->alarms[i].id, id))
      return &alarms->alarms[i];
  return NULL;
}

const GArray *
dqm_alarms_log (const DqmAlarms *alarms)
{
  g_return_val_if_fail (alarms != NULL, NULL);

  return alarms->log;
}

DqmAlarmState
dqm_alarms_worst (const DqmAlarms *alarms)
{
  DqmAlarmState worst = DQM_ALARM_OK;

  g_return_val_if_fail (alarms != NULL, 0);

  for (guint i = 0; i < N_ALARMS; i++)
    worst = MAX (worst, MAX (alarms->alarms[i].state, alarms->alarms[i].latched));
  return worst;
}

/* --- checkpoints ---------------------------------------------------------- */

GVariant *
dqm_alarms_save (const DqmAlarms *alarms)
{
  g_return_val_if_fail (alarms != NULL, NULL);

  /* Plain structs without pointers: their bytes are the record. */
  return g_variant_new ("(@ay@aybd@ay@ay)", dqm_checkpoint_bytes (alarms->alarms, sizeof alarms->alarms),
                        dqm_checkpoint_bytes (alarms->log->data, alarms->log->len * sizeof (DqmAlarmLogEntry)),
                        alarms->have_reference_pedestals, alarms->reference_trigger_ratio,
                        dqm_checkpoint_bytes (&alarms->reference, sizeof alarms->reference),
                        dqm_checkpoint_bytes (alarms->problem, sizeof alarms->problem));
}

gboolean
dqm_alarms_restore (DqmAlarms *alarms, GVariant *saved)
{
  g_autoptr(GVariant) states = NULL, log = NULL, pedestals = NULL, problems = NULL;
  gsize n_states, n_log, n_pedestals, n_problems;
  const guint8 *state_bytes, *log_bytes, *pedestal_bytes, *problem_bytes;
  gboolean have_pedestals;
  double ratio;

  g_return_val_if_fail (alarms != NULL && saved != NULL, FALSE);

  if (!g_variant_is_of_type (saved, G_VARIANT_TYPE (DQM_ALARMS_SAVED_TYPE)))
    return FALSE;
  g_variant_get (saved, "(@ay@aybd@ay@ay)", &states, &log, &have_pedestals, &ratio, &pedestals, &problems);
  state_bytes = g_variant_get_fixed_array (states, &n_states, 1);
  log_bytes = g_variant_get_fixed_array (log, &n_log, 1);
  pedestal_bytes = g_variant_get_fixed_array (pedestals, &n_pedestals, 1);
  problem_bytes = g_variant_get_fixed_array (problems, &n_problems, 1);
  if (n_states != sizeof alarms->alarms || n_log % sizeof (DqmAlarmLogEntry) != 0
      || n_pedestals != sizeof alarms->reference || n_problems != sizeof alarms->problem)
    return FALSE;
  for (guint i = 0; i < N_ALARMS; i++)
    {
      DqmAlarm now = alarms->alarms[i];

      /* What happened comes from the checkpoint; names and limits from
       * today's configuration. */
      memcpy (&alarms->alarms[i], state_bytes + i * sizeof (DqmAlarm), sizeof (DqmAlarm));
      memcpy (alarms->alarms[i].id, now.id, sizeof now.id);
      memcpy (alarms->alarms[i].title, now.title, sizeof now.title);
      memcpy (alarms->alarms[i].unit, now.unit, sizeof now.unit);
      alarms->alarms[i].below = now.below;
      alarms->alarms[i].limits = now.limits;
    }
  g_array_set_size (alarms->log, 0);
  g_array_append_vals (alarms->log, log_bytes, n_log / sizeof (DqmAlarmLogEntry));
  alarms->have_reference_pedestals = have_pedestals;
  alarms->reference_trigger_ratio = ratio;
  memcpy (&alarms->reference, pedestal_bytes, n_pedestals);
  memcpy (alarms->problem, problem_bytes, n_problems);
  return TRUE;
}
