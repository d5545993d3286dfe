/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Messages → reconstruction → histograms, spill statistics, alarms. */
#include "dqm-analysis.h"

#include <math.h>
#include <string.h>

#include "dqm-book.h"
#include "dqm-checkpoint.h"
#include "dqm-error.h"
#include "dqm-reco.h"

/* Spills side by side in the cut-flow-by-spill plot. */
#define CUT_FLOW_SPILLS 8

struct _DqmAnalysis {
  DqmConfig        *config;
  DqmSetup         *setup;
  DqmReco          *reco;
  guint             reco_generation; /* a new one each beam: its tracking starts over */
  DqmBook          *book;
  DqmAlarms        *alarms;
  DqmRecoEvent     *event;
  DqmSpillStats     stats;
  gboolean          in_spill;
  gboolean          run_open;
  DqmRunInfo        run;
  GPtrArray        *spills;
  GArray           *candidates;
  guint64           candidates_total; /* of the run, kept or not */
  guint64           last_event_id;    /* of the run */
  gboolean          gap_pending;      /* resumed: the next event measures the gap */
  guint64           joining_time_ns;  /* the first message of a run met under way */
  guint64           joining_event_id; /* … when it was an evt, else 0 */
  DqmStreamCounters counters;
  guint64           processed, dropped;
  DqmAnalysisCallbacks callbacks;
  char              source[256];
  char              last_error[256];
  DqmStreamState    stream_state;
  gboolean          connected;
  gint64            last_event_us;
  gint64            rate_since_us;
  guint64           rate_since_events;
  gint64            drops_since_us;
  guint64           drops_since_dropped, drops_since_processed;
  double            rate_hz;
  GArray           *history;   /* DqmHistoryPoint, across runs, bounded */
  GPtrArray        *reference;
  GArray           *reference_results;
  char              reference_label[200];
};

static void
summary_free (gpointer summary)
{
  g_atomic_rc_box_release (summary);
}

/* Setup, reconstruction, histograms and alarms for a beam. */
static gboolean
use_beam (DqmAnalysis *self, const char *beam_name, GError **error)
{
  DqmSetup *setup = dqm_setup_load (self->config, beam_name, error);

  if (setup == NULL)
    return FALSE;
  g_clear_pointer (&self->reco, dqm_reco_free);
  g_clear_pointer (&self->book, dqm_book_free);
  g_clear_pointer (&self->alarms, dqm_alarms_free);
  g_clear_pointer (&self->setup, dqm_setup_free);
  self->setup = setup;
  self->reco = dqm_reco_new (setup);
  self->reco_generation++;
  self->book = dqm_book_new (setup);
  self->alarms = dqm_alarms_new (setup);
  return TRUE;
}

DqmAnalysis *
dqm_analysis_new (DqmConfig *config, GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);

  g_autoptr(DqmAnalysis) self = g_new0 (DqmAnalysis, 1);

  self->config = dqm_config_ref (config);
  self->event = g_new0 (DqmRecoEvent, 1);
  self->spills = g_ptr_array_new_with_free_func (summary_free);
  self->candidates = g_array_new (FALSE, FALSE, sizeof (DqmCandidate));
  self->history = g_array_new (FALSE, FALSE, sizeof (DqmHistoryPoint));
  if (!use_beam (self, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
dqm_analysis_free (DqmAnalysis *self)
{
  if (self == NULL)
    return;
  dqm_reco_free (self->reco);
  dqm_book_free (self->book);
  dqm_alarms_free (self->alarms);
  dqm_setup_free (self->setup);
  dqm_config_unref (self->config);
  g_free (self->event);
  g_ptr_array_unref (self->spills);
  g_array_unref (self->candidates);
  g_array_unref (self->history);
  g_clear_pointer (&self->reference, g_ptr_array_unref);
  g_clear_pointer (&self->reference_results, g_array_unref);
  g_free (self);
}

void
dqm_analysis_set_reference (DqmAnalysis *self, GPtrArray *histograms, const char *label)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->reference, g_ptr_array_unref);
  self->reference = histograms ? g_ptr_array_ref (histograms) : NULL;
  g_strlcpy (self->reference_label, histograms && label ? label : "", sizeof self->reference_label);
  /* The comparison shown is with the new reference's, from its next spill. */
  g_clear_pointer (&self->reference_results, g_array_unref);
}

void
dqm_analysis_set_callbacks (DqmAnalysis *self, const DqmAnalysisCallbacks *callbacks)
{
  g_return_if_fail (self != NULL);

  self->callbacks = *callbacks;
}

const DqmAlarms *
dqm_analysis_get_alarms (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->alarms;
}

const DqmSetup *
dqm_analysis_get_setup (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->setup;
}

static void
set_histories (DqmAnalysis *self, const DqmSpillSummary *s)
{
  DqmBook *b = self->book;
  char name[40];

  dqm_book_set_history (b, "spill_events", s->spill, s->events);
  dqm_book_set_history (b, "spill_trigger_rate", s->spill, s->trigger_rate_hz);
  dqm_book_set_history (b, "spill_beam_counts", s->spill, s->beam_counts);
  dqm_book_set_history (b, "spill_triggers", s->spill, s->triggers);
  dqm_book_set_history (b, "spill_purity", s->spill, s->purity);
  dqm_book_set_history (b, "spill_hadron_share", s->spill, s->hadron_share);
  dqm_book_set_history (b, "spill_bad_messages", s->spill, s->bad);
  dqm_book_set_history (b, "spill_pileup_share", s->spill, s->pileup_share);
  dqm_book_set_history (b, "spill_out_of_time_energy", s->spill, s->out_of_time_gev);
  dqm_book_set_history (b, "spill_central_cell", s->spill, s->central_cell_change);
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    {
      g_snprintf (name, sizeof name, "spill_veto_efficiency_%u", c);
      dqm_book_set_history (b, name, s->spill, s->veto_efficiency[c]);
      g_snprintf (name, sizeof name, "spill_veto_noise_%u", c);
      dqm_book_set_history (b, name, s->spill, s->veto_noise[c]);
    }
}

/* The share of events dropped since the last judgement. */
static void
judge_drops (DqmAnalysis *self, gint64 now_us)
{
  guint64 dropped = self->dropped - self->drops_since_dropped;
  guint64 processed = self->processed - self->drops_since_processed;

  if (dropped + processed > 0)
    dqm_alarms_dropped (self->alarms, dropped, processed, now_us);
  self->drops_since_us = g_get_monotonic_time ();
  self->drops_since_dropped = self->dropped;
  self->drops_since_processed = self->processed;
}

static void
end_spill (DqmAnalysis *self, const DqmEos *eos, gint64 now_us)
{
  double even[DQM_N_CHANNELS], odd[DQM_N_CHANNELS];
  DqmSpillSummary *summary;

  if (!self->in_spill)
    return;
  self->in_spill = FALSE;
  dqm_spill_stats_end (&self->stats, self->setup, eos, &self->counters);
  summary = g_atomic_rc_box_dup (sizeof (DqmSpillSummary), &self->stats.summary);
  g_ptr_array_add (self->spills, summary);
  dqm_alarms_spill (self->alarms, summary, &self->stats.channels, now_us);
  /* Not shared yet: the alarm's judgement goes with the spill, for the trends. */
  summary->pedestal_drift_adc = NAN;
  for (guint i = 0; i < dqm_alarms_count (self->alarms); i++)
    {
      const DqmAlarm *a = dqm_alarms_get (self->alarms, i);

      if (g_str_equal (a->id, "pedestal-drift") && a->have_value)
        summary->pedestal_drift_adc = a->value;
    }
  judge_drops (self, now_us);
  if (self->reference)
    {
      g_autoptr(GPtrArray) current = dqm_book_copy (self->book, DQM_SCOPE_RUN);
      const DqmDqmSetup *d = &self->setup->dqm;

      g_clear_pointer (&self->reference_results, g_array_unref);
      self->reference_results = dqm_reference_compare (self->reference, current, d->reference_test,
                                                       d->reference_min_probability, d->reference_min_entries);
      dqm_alarms_reference (self->alarms, self->reference_results, now_us);
    }
  set_histories (self, summary);
  {
    DqmHistoryPoint point = {
      .run = summary->run, .spill = summary->spill, .end_ns = summary->end_ns, .events = summary->events,
      .trigger_rate_hz = summary->trigger_rate_hz, .beam_counts = summary->beam_counts,
      .triggers = summary->triggers, .purity = summary->purity, .hadron_share = summary->hadron_share,
    };

    if (self->history->len >= self->setup->dqm.history_spills)
      g_array_remove_index (self->history, 0);
    g_array_append_val (self->history, point);
  }
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      even[slot] = dqm_reco_tracked_pedestal (self->reco, slot, 0);
      odd[slot] = dqm_reco_tracked_pedestal (self->reco, slot, 1);
    }
  dqm_book_set_channels (self->book, "pedestal_even", even);
  dqm_book_set_channels (self->book, "pedestal_odd", odd);
  dqm_book_set_channels (self->book, "led_amplitude", self->stats.channels.led_counts);
  if (self->callbacks.spill_done)
    self->callbacks.spill_done (self, summary, self->callbacks.data);
}

static void
begin_spill (DqmAnalysis *self, guint32 spill, guint64 time_ns)
{
  dqm_spill_stats_begin (&self->stats, self->run.run, spill, time_ns, &self->counters);
  dqm_book_reset (self->book, DQM_SCOPE_SPILL);
  self->in_spill = TRUE;
}

static void
end_run (DqmAnalysis *self, gint64 now_us)
{
  if (!self->run_open)
    return;
  end_spill (self, NULL, now_us);
  self->run_open = FALSE;
  self->run.ended = TRUE;
  if (self->callbacks.run_done)
    self->callbacks.run_done (self, self->callbacks.data);
}

static void
begin_run (DqmAnalysis *self, const DqmMessage *message)
{
  g_autoptr(GError) error = NULL;
  const char *beam = message->type == DQM_MSG_SOR ? dqm_beam_name (message->sor.beam) : NULL;

  gboolean switched = FALSE;

  /* A beam the configuration lacks keeps the previous setup, with a warning. */
  if (beam && !g_str_equal (beam, self->setup->beam.name))
    {
      switched = use_beam (self, beam, &error);
      if (!switched)
        g_warning ("run %u: %s; keeping the %s setup", message->run, error->message, self->setup->beam.name);
    }
  if (!switched)
    {
      /* Fresh histograms and alarms (their references are per run). */
      g_clear_pointer (&self->alarms, dqm_alarms_free);
      self->alarms = dqm_alarms_new (self->setup);
      dqm_book_reset (self->book, DQM_SCOPE_RUN);
      dqm_book_reset (self->book, DQM_SCOPE_SPILL);
    }
  memset (&self->run, 0, sizeof self->run);
  self->run.run = message->run;
  self->run.beam = self->setup->beam.code;
  self->run.beam_energy_gev = (guint) lround (self->setup->beam.energy_gev);
  if (message->type == DQM_MSG_SOR)
    {
      self->run.saw_sor = TRUE;
      self->run.beam = message->sor.beam;
      self->run.beam_energy_gev = message->sor.beam_energy_gev;
      g_strlcpy (self->run.tag, message->sor.tag, sizeof self->run.tag);
    }
  g_ptr_array_set_size (self->spills, 0);
  g_array_set_size (self->candidates, 0);
  self->candidates_total = 0;
  self->last_event_id = 0;
  self->gap_pending = FALSE;
  self->run_open = TRUE;
  if (self->callbacks.run_started)
    self->callbacks.run_started (self, message->run, self->callbacks.data);
  if (message->type != DQM_MSG_SOR && self->callbacks.run_joined)
    {
      self->joining_time_ns = dqm_message_time_ns (message);
      self->joining_event_id = message->type == DQM_MSG_EVT ? message->evt->event_id : 0;
      self->callbacks.run_joined (self, message->run, self->callbacks.data);
    }
}

/* @done: the event reconstructed elsewhere, or NULL to do it here. */
static void
event (DqmAnalysis *self, const DqmEvent *raw, const DqmRecoEvent *done, gint64 now_us)
{
  DqmRecoEvent *e = self->event;
  const DqmSpillSummary *last = self->spills->len ? self->spills->pdata[self->spills->len - 1] : NULL;
  /* An event of the spill whose eos came already (out of order): kept in
   * the run, counted as late, and no second summary of that spill. */
  gboolean late = !self->in_spill && last && last->spill == raw->spill;

  if (late)
    self->run.events_after_eos++;
  else if (!self->in_spill || raw->spill != self->stats.summary.spill)
    {
      /* Joined in the middle, or the eos was lost. */
      end_spill (self, NULL, now_us);
      begin_spill (self, raw->spill, raw->time_ns);
    }
  if (self->gap_pending)
    {
      /* Added: a run may be resumed more than once. */
      self->run.events_in_gap += raw->event_id > self->last_event_id ? raw->event_id - self->last_event_id - 1 : 0;
      self->gap_pending = FALSE;
    }
  self->last_event_id = raw->event_id;
  if (done)
    memcpy (e, done, sizeof *e);
  else
    dqm_reco_event (self->reco, self->run.run, raw, e);
  dqm_book_fill (self->book, e);
  if (!late)
    {
      double cell;

      dqm_spill_stats_add (&self->stats, self->setup, raw, e);
      if (dqm_spill_stats_central_cell (self->setup, e, &cell) && e->time_ns >= self->stats.summary.start_ns)
        dqm_book_fill_central_cell (self->book, (e->time_ns - self->stats.summary.start_ns) / 1e9, cell);
    }
  self->processed++;
  self->run.events++;
  self->last_event_us = g_get_monotonic_time ();
  if (e->candidate)
    {
      guint kept = self->setup->dqm.candidates_kept;

      DqmCandidate c = {
        .run = e->run, .spill = e->spill, .event_id = e->event_id, .time_ns = e->time_ns,
        .ecal_gev = e->ecal_gev, .hcal_gev = e->hcal_gev, .ps_gev = e->ecal_ps_gev,
        .momentum_gev = e->have_momentum ? e->momentum_gev : NAN, .veto_sum_gev = e->veto_sum_gev,
        .srd_sum_mev = e->srd_sum_mev,
      };
      /* The newest are kept; the oldest tenth goes at once, not one by one. */
      if (self->candidates->len >= kept)
        g_array_remove_range (self->candidates, 0, MIN (self->candidates->len, MAX (kept / 10, 1)));
      g_array_append_val (self->candidates, c);
      self->candidates_total++;
    }
}

static void
message_with (DqmAnalysis            *self,
              const DqmMessage       *message,
              const DqmRecoEvent     *done,
              DqmRunChanges           flags,
              const DqmStreamCounter *counter,
              gint64                  now_us)
{
  guint64 time_ns = dqm_message_time_ns (message);

  self->counters = counter->counters;
  if ((flags & DQM_RUN_ENDED) && message->type != DQM_MSG_EOR)
    end_run (self, now_us);
  if (flags & DQM_RUN_STARTED)
    begin_run (self, message);
  if (self->run_open && time_ns)
    {
      if (self->run.start_ns == 0)
        self->run.start_ns = time_ns;
      self->run.end_ns = MAX (self->run.end_ns, time_ns);
    }

  switch (message->type)
    {
    case DQM_MSG_SOS:
      end_spill (self, NULL, now_us);
      begin_spill (self, message->sos.spill, message->sos.time_ns);
      break;
    case DQM_MSG_EVT:
      event (self, message->evt, done, now_us);
      break;
    case DQM_MSG_EOS:
      if (!self->in_spill || self->stats.summary.spill != message->eos.spill)
        {
          end_spill (self, NULL, now_us);
          begin_spill (self, message->eos.spill, message->eos.time_ns);
        }
      end_spill (self, &message->eos, now_us);
      break;
    case DQM_MSG_EOR:
      if (self->run_open && self->run.run == message->run)
        {
          self->run.ended_by_eor = TRUE;
          self->run.events_sent = message->eor.events_sent;
          end_run (self, now_us);
        }
      break;
    case DQM_MSG_SOR:
    case DQM_MSG_HBT:
    default:
      break;
    }
}

void
dqm_analysis_message (DqmAnalysis *self, const DqmMessage *message, DqmRunChanges flags,
                      const DqmStreamCounter *counter, gint64 now_us)
{
  g_return_if_fail (self != NULL);

  message_with (self, message, NULL, flags, counter, now_us);
}

void
dqm_analysis_event_reconstructed (DqmAnalysis *self, const DqmMessage *message, const DqmRecoEvent *reco,
                                  DqmRunChanges flags, const DqmStreamCounter *counter, gint64 now_us)
{
  g_return_if_fail (message->type == DQM_MSG_EVT);
  message_with (self, message, reco, flags, counter, now_us);
}

void
dqm_analysis_dropped (DqmAnalysis *self, guint64 n)
{
  g_return_if_fail (self != NULL);

  self->dropped += n;
  if (self->in_spill)
    dqm_spill_stats_dropped (&self->stats, n);
}

void
dqm_analysis_tick (DqmAnalysis *self, const DqmStreamCounter *counter, const char *source, gboolean connected,
                   gint64 now_us)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (self != NULL);

  self->counters = counter->counters;
  self->stream_state = counter->state;
  g_strlcpy (self->last_error, counter->last_error, sizeof self->last_error);
  self->connected = connected;
  if (source)
    g_strlcpy (self->source, source, sizeof self->source);
  dqm_alarms_stream (self->alarms, counter->state == DQM_STREAM_STATE_STALLED, self->run_open && !connected,
                     (now - counter->last_message_us) / 1e6, now_us);
  /* Falling behind is judged every few seconds, not only at a spill's end. */
  if (now - self->drops_since_us >= 3 * G_USEC_PER_SEC)
    judge_drops (self, now_us);
  if (self->rate_since_us == 0)
    {
      self->rate_since_us = now;
      self->rate_since_events = self->processed;
    }
  else if (now - self->rate_since_us >= G_USEC_PER_SEC)
    {
      self->rate_hz = (self->processed - self->rate_since_events) * 1e6 / (now - self->rate_since_us);
      self->rate_since_us = now;
      self->rate_since_events = self->processed;
    }
}

void
dqm_analysis_finish (DqmAnalysis *self)
{
  g_return_if_fail (self != NULL);

  end_run (self, g_get_real_time ());
}

guint
dqm_analysis_acknowledge (DqmAnalysis *self, const char *alarm_id, const char *who, const char *comment)
{
  g_return_val_if_fail (self != NULL, 0);

  return dqm_alarms_acknowledge (self->alarms, alarm_id, who, comment, g_get_real_time ());
}

DqmState *
dqm_analysis_make_state (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  DqmState *state = g_atomic_rc_box_new0 (DqmState);
  GPtrArray *spill_scope = dqm_book_copy (self->book, DQM_SCOPE_SPILL);
  const GArray *log = dqm_alarms_log (self->alarms);

  state->run = self->run;
  state->spill = self->in_spill ? self->stats.summary.spill : 0;
  state->in_spill = self->in_spill;
  g_strlcpy (state->source, self->source, sizeof state->source);
  state->stream_state = self->stream_state;
  state->connected = self->connected;
  state->counters = self->counters;
  g_strlcpy (state->last_error, self->last_error, sizeof state->last_error);
  state->events_processed = self->processed;
  state->events_dropped = self->dropped;
  state->event_rate_hz = self->rate_hz;
  state->last_event_us = self->last_event_us;
  state->histograms = dqm_book_copy (self->book, DQM_SCOPE_RUN);
  g_ptr_array_extend_and_steal (state->histograms, spill_scope);
  {
    DqmHistogram *flows = dqm_spill_cut_flow_history (self->spills, self->in_spill ? &self->stats.summary : NULL,
                                                      CUT_FLOW_SPILLS);
    if (flows)
      g_ptr_array_add (state->histograms, flows);
  }
  state->spills = g_ptr_array_new_full (self->spills->len, summary_free);
  for (guint i = 0; i < self->spills->len; i++)
    g_ptr_array_add (state->spills, g_atomic_rc_box_acquire (self->spills->pdata[i]));
  state->n_alarms = dqm_alarms_count (self->alarms);
  state->alarms = g_new (DqmAlarm, state->n_alarms);
  for (guint i = 0; i < state->n_alarms; i++)
    state->alarms[i] = *dqm_alarms_get (self->alarms, i);
  state->alarm_log = g_array_copy ((GArray *) log);
  state->candidates = g_array_copy (self->candidates);
  state->candidates_total = self->candidates_total;
  state->history = g_array_copy (self->history);
  state->reference_results = self->reference_results ? g_array_copy (self->reference_results) : NULL;
  g_strlcpy (state->reference_label, self->reference_label, sizeof state->reference_label);
  /* Never changed once set: every state of the run shares it. */
  state->reference_histograms = self->reference ? g_ptr_array_ref (self->reference) : NULL;
  state->made_us = g_get_real_time ();
  state->box_ecal_max_gev = self->setup->cuts.ecal_max_fraction * self->run.beam_energy_gev;
  state->box_hcal_max_gev = self->setup->cuts.hcal_max_gev;
  state->beam_cell_x = self->setup->ecal.beam_x;
  state->beam_cell_y = self->setup->ecal.beam_y;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    state->channel_problem[slot] = dqm_alarms_channel_problem (self->alarms, slot);
  return state;
}

gboolean
dqm_analysis_reset_histogram (DqmAnalysis *self, const char *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return dqm_book_reset_histogram (self->book, name);
}

const DqmRecoEvent *
dqm_analysis_get_last_event (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->event;
}

guint
dqm_analysis_get_reco_generation (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->reco_generation;
}

const DqmReco *
dqm_analysis_get_reco (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->reco;
}

/* --- checkpoints ---------------------------------------------------------- */

guint32
dqm_analysis_get_run (DqmAnalysis *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->run.run;
}

/* A checkpoint is read back only by the very same build: the structs it
 * holds as bytes must have the same layout. */
static char *
checkpoint_format (void)
{
  return g_strdup_printf ("na64dqm-checkpoint-1 %s run %zu stats %zu spill %zu candidate %zu alarm %zu log %zu",
                          PACKAGE_VERSION, sizeof (DqmRunInfo), sizeof (DqmSpillStats), sizeof (DqmSpillSummary),
                          sizeof (DqmCandidate), sizeof (DqmAlarm), sizeof (DqmAlarmLogEntry));
}

#define CHECKPOINT_TYPE "(ssaybayayayttayvv)"

GBytes *
dqm_analysis_save_run (DqmAnalysis *self)
{
  g_autofree char *format = checkpoint_format ();
  g_autoptr(GByteArray) spills = g_byte_array_new ();
  g_autoptr(GVariant) saved = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!self->run_open)
    return NULL;
  for (guint i = 0; i < self->spills->len; i++)
    g_byte_array_append (spills, self->spills->pdata[i], sizeof (DqmSpillSummary));
  saved = g_variant_ref_sink (g_variant_new (
    "(ss@ayb@ay@ay@aytt@ayvv)", format, self->setup->beam.name,
    dqm_checkpoint_bytes (&self->run, sizeof self->run), self->in_spill,
    dqm_checkpoint_bytes (&self->stats, sizeof self->stats),
    dqm_checkpoint_bytes (&self->counters, sizeof self->counters), dqm_checkpoint_bytes (spills->data, spills->len),
    self->candidates_total, self->last_event_id,
    dqm_checkpoint_bytes (self->candidates->data, self->candidates->len * sizeof (DqmCandidate)),
    dqm_alarms_save (self->alarms), dqm_book_save (self->book)));
  return g_variant_get_data_as_bytes (saved);
}

gboolean
dqm_analysis_resume_run (DqmAnalysis *self, GBytes *checkpoint, GError **error)
{
  g_autofree char *expected = checkpoint_format ();
  g_autoptr(GVariant) saved = NULL, run = NULL, stats = NULL, spills = NULL, candidates = NULL;
  g_autoptr(GVariant) alarms = NULL, book = NULL, counters = NULL;
  const char *format, *beam;
  const guint8 *run_bytes, *stats_bytes, *counter_bytes, *spill_bytes, *candidate_bytes;
  gsize n_run, n_stats, n_counters, n_spills, n_candidates;
  DqmStreamCounters then;
  guint64 candidates_total, last_event_id;
  gboolean in_spill;
  DqmRunInfo info;

  g_return_val_if_fail (self != NULL && checkpoint != NULL, FALSE);

  saved = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (CHECKPOINT_TYPE), checkpoint, FALSE));
  if (!g_variant_is_normal_form (saved))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT, "not a checkpoint (damaged or of another kind)");
      return FALSE;
    }
  g_variant_get (saved, "(&s&s@ayb@ay@ay@aytt@ayvv)", &format, &beam, &run, &in_spill, &stats, &counters, &spills,
                 &candidates_total, &last_event_id, &candidates, &alarms, &book);
  run_bytes = g_variant_get_fixed_array (run, &n_run, 1);
  stats_bytes = g_variant_get_fixed_array (stats, &n_stats, 1);
  counter_bytes = g_variant_get_fixed_array (counters, &n_counters, 1);
  spill_bytes = g_variant_get_fixed_array (spills, &n_spills, 1);
  candidate_bytes = g_variant_get_fixed_array (candidates, &n_candidates, 1);
  if (!g_str_equal (format, expected) || n_run != sizeof info || n_stats != sizeof self->stats
      || n_counters != sizeof then || n_spills % sizeof (DqmSpillSummary) != 0
      || n_candidates % sizeof (DqmCandidate) != 0
      || !g_variant_is_of_type (alarms, G_VARIANT_TYPE (DQM_ALARMS_SAVED_TYPE))
      || !g_variant_is_of_type (book, G_VARIANT_TYPE (DQM_BOOK_SAVED_TYPE)))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT, "a checkpoint of another version (%s)", format);
      return FALSE;
    }
  memcpy (&info, run_bytes, sizeof info);
  if (info.run != self->run.run)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT, "the checkpoint is of run %u, not %u", info.run,
                   self->run.run);
      return FALSE;
    }
  /* The stream must go on from where the checkpoint left it: later, within
   * a day, with higher event ids (a run number used again is another run). */
  if ((self->joining_time_ns && (self->joining_time_ns < info.end_ns
                                 || self->joining_time_ns - info.end_ns > 24 * 3600 * G_GUINT64_CONSTANT (1000000000)))
      || (self->joining_event_id && self->joining_event_id <= last_event_id))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT,
                   "the stream does not continue the checkpoint's run %u (another run of that number?)", info.run);
      return FALSE;
    }
  if (!g_str_equal (beam, self->setup->beam.name) && !use_beam (self, beam, error))
    return FALSE;
  if (!dqm_alarms_restore (self->alarms, alarms))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT, "the checkpoint's alarms do not fit today's");
      return FALSE;
    }
  dqm_book_restore (self->book, book);
  self->run = info;
  self->run.resumed = TRUE;
  self->in_spill = in_spill;
  memcpy (&self->stats, stats_bytes, sizeof self->stats);
  /* The spill's counts are differences from its start; the counters start
   * again with the restarted monitor: move the start so that the part
   * before the crash is kept (modular arithmetic makes it exact). */
  memcpy (&then, counter_bytes, sizeof then);
  {
    G_STATIC_ASSERT (sizeof (DqmStreamCounters) % sizeof (guint64) == 0);
    guint64 *start = (guint64 *) &self->stats.counters_at_start;
    const guint64 *now = (const guint64 *) &self->counters, *before = (const guint64 *) &then;

    for (gsize i = 0; i < sizeof then / sizeof (guint64); i++)
      start[i] = now[i] - (before[i] - start[i]);
  }
  g_ptr_array_set_size (self->spills, 0);
  for (gsize i = 0; i < n_spills / sizeof (DqmSpillSummary); i++)
    {
      DqmSpillSummary *summary = g_atomic_rc_box_new (DqmSpillSummary);

      memcpy (summary, spill_bytes + i * sizeof (DqmSpillSummary), sizeof *summary);
      g_ptr_array_add (self->spills, summary);
    }
  self->run.resumed_after_spill = self->spills->len
                                  ? ((DqmSpillSummary *) self->spills->pdata[self->spills->len - 1])->spill : 0;
  g_array_set_size (self->candidates, 0);
  g_array_append_vals (self->candidates, candidate_bytes, n_candidates / sizeof (DqmCandidate));
  self->candidates_total = candidates_total;
  self->last_event_id = last_event_id;
  self->gap_pending = TRUE;
  /* The monitor's own totals (processed, dropped) and rates stay this
   * process's: the run's counts came with the run. */
  return TRUE;
}

DqmState *
dqm_analysis_recover (DqmConfig *config, GBytes *checkpoint, GError **error)
{
  g_autoptr(DqmAnalysis) analysis = NULL;
  g_autoptr(GVariant) saved = NULL, run = NULL;
  const guint8 *run_bytes;
  gsize n_run;

  g_return_val_if_fail (config != NULL && checkpoint != NULL, NULL);

  saved = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (CHECKPOINT_TYPE), checkpoint, FALSE));
  run = g_variant_get_child_value (saved, 2);
  run_bytes = g_variant_get_fixed_array (run, &n_run, 1);
  if ((analysis = dqm_analysis_new (config, error)) == NULL)
    return NULL;
  if (n_run == sizeof (DqmRunInfo))
    memcpy (&analysis->run.run, run_bytes + G_STRUCT_OFFSET (DqmRunInfo, run), sizeof analysis->run.run);
  analysis->run_open = TRUE;
  if (!dqm_analysis_resume_run (analysis, checkpoint, error))
    return NULL;
  analysis->run.resumed = FALSE; /* nothing came after it */
  return dqm_analysis_make_state (analysis);
}
