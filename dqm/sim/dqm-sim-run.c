/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run and spill sequencing, scalers, heartbeats and message corruption. */
#include "dqm-sim-run.h"

#include <math.h>
#include <string.h>

#include "dqm-random.h"

#define NS_PER_S 1000000000ull
/* From sor to the first spill, and from the last eos to eor. */
#define RUN_MARGIN_NS (200 * 1000000ull)

typedef enum {
  PHASE_SOR,
  PHASE_SOS,
  PHASE_EVENTS,
  PHASE_EOS,
  PHASE_EOR,
  PHASE_DONE,
} Phase;

struct _DqmSimRun {
  const DqmSetup *setup;
  DqmSimFaults    faults;
  DqmSim         *sim;
  DqmRandom       rng;  /* timing and corruption; the DqmSim has its own */
  guint32         run;
  guint           n_spills;
  Phase           phase;
  guint64         start_ns;
  guint64         next_hbt_ns;
  guint           spill;
  guint64         spill_start_ns, spill_end_ns;
  guint64         next_trigger_ns;
  guint32         event_in_spill;
  guint64         event_id;
  guint64         physics_triggers; /* this spill, read out or not */
  guint64         physics_beam;     /* the same, as the beam made them, fired or not */
  guint64         events_in_spill, events_in_run, events_total;
  guint64         skip_until_ns;
  DqmEvent       *event;
  DqmSimTruth     truth;
  GByteArray     *body;
};

DqmSimRun *
dqm_sim_run_new (const DqmSetup *setup, const DqmSimFaults *faults, guint32 run,
                 guint n_spills, guint64 seed, guint64 start_ns)
{
  DqmSimRun *self;

  g_return_val_if_fail (setup != NULL && run > 0, NULL);
  self = g_new0 (DqmSimRun, 1);

  self->setup = setup;
  if (faults)
    self->faults = *faults;
  else
    dqm_sim_faults_init (&self->faults);
  self->sim = dqm_sim_new (setup, &self->faults, seed);
  dqm_random_init (&self->rng, seed ^ 0x5eed0f5c0ffeeull);
  self->run = run;
  self->n_spills = n_spills;
  self->start_ns = start_ns;
  self->next_hbt_ns = start_ns + NS_PER_S;
  self->spill_start_ns = start_ns + RUN_MARGIN_NS;
  self->event = g_new0 (DqmEvent, 1);
  self->body = g_byte_array_sized_new (16384);
  return self;
}

void
dqm_sim_run_free (DqmSimRun *self)
{
  if (self == NULL)
    return;
  dqm_sim_free (self->sim);
  g_free (self->event);
  g_byte_array_unref (self->body);
  g_free (self);
}

guint64
dqm_sim_run_events_sent (DqmSimRun *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->events_total;
}

void
dqm_sim_run_skip_until (DqmSimRun *self, guint64 time_ns)
{
  g_return_if_fail (self != NULL);

  self->skip_until_ns = MAX (self->skip_until_ns, time_ns);
}

gboolean
dqm_corruption_is_fatal (DqmCorruption corruption)
{
  return corruption != DQM_CORRUPTION_NONE && corruption < DQM_CORRUPTION_UNKNOWN_CHANNEL;
}

static guint64
seconds_to_ns (double s)
{
  return (guint64) llround (s * NS_PER_S);
}

static void
schedule_next_trigger (DqmSimRun *self)
{
  guint64 step = seconds_to_ns (dqm_random_exponential (&self->rng, 1 / self->setup->spill.trigger_rate_hz));

  self->next_trigger_ns += MAX (1, step);
}

/* The time of the next scheduled (non-heartbeat) message. */
static guint64
next_due (DqmSimRun *self)
{
  switch (self->phase)
    {
    case PHASE_SOR: return self->start_ns;
    case PHASE_SOS: return self->spill_start_ns;
    case PHASE_EVENTS: return MIN (self->next_trigger_ns, self->spill_end_ns);
    case PHASE_EOS: return self->spill_end_ns;
    case PHASE_EOR: return self->spill_end_ns + RUN_MARGIN_NS;
    case PHASE_DONE:
    default: return G_MAXUINT64;
    }
}

static void
finish (DqmSimRun *self, DqmSimMessage *out, const DqmMessage *message, guint64 time_ns)
{
  dqm_stream_encode (message, self->body);
  memset (out, 0, sizeof *out);
  out->type = message->type;
  out->topic = dqm_msg_type_topic (message->type);
  out->time_ns = time_ns;
  out->spill = self->phase == PHASE_EVENTS || message->type == DQM_MSG_SOS || message->type == DQM_MSG_EOS
               ? self->spill : 0;
  out->body = self->body;
}

static guint32
choose_trigger (DqmSimRun *self)
{
  double u = dqm_random_uniform (&self->rng);
  const DqmSpillSetup *spill = &self->setup->spill;

  if (u < spill->random_trigger_fraction)
    return DQM_TRIGGER_RANDOM;
  if (u < spill->random_trigger_fraction + spill->beam_trigger_fraction)
    return DQM_TRIGGER_BEAM;
  return DQM_TRIGGER_PHYSICS;
}

static void
corrupt (DqmSimRun *self, DqmSimMessage *out)
{
  GByteArray *b = self->body;
  DqmCorruption kind = 1 + (DqmCorruption) (dqm_random_uniform (&self->rng) * (DQM_N_CORRUPTIONS - 1));
  guint record_bytes = DQM_SADC_HEADER_SIZE + 2 * self->event->n_samples;

  out->corruption = kind;
  switch (kind)
    {
    case DQM_CORRUPTION_MAGIC: b->data[0] = 'X'; break;
    case DQM_CORRUPTION_VERSION: b->data[4] = 2; break;
    case DQM_CORRUPTION_SIZE_FIELD: b->data[8] ^= 0x04; break;
    case DQM_CORRUPTION_TRUNCATED:
      g_byte_array_set_size (b, DQM_HEADER_SIZE + (guint) (dqm_random_uniform (&self->rng) * (b->len - DQM_HEADER_SIZE)));
      break;
    case DQM_CORRUPTION_TOPIC: out->topic = "eos"; break;
    case DQM_CORRUPTION_RESERVED: b->data[50] = 1; break;
    case DQM_CORRUPTION_TRIGGER_BITS: b->data[41] |= 0x01; break;
    case DQM_CORRUPTION_N_SAMPLES: b->data[46] = 7; b->data[47] = 0; break;
    case DQM_CORRUPTION_UNKNOWN_CHANNEL:
      /* 99 lies between ECAL (0–71) and HCAL (100–135). */
      b->data[DQM_EVT_FIXED_SIZE] = 99;
      b->data[DQM_EVT_FIXED_SIZE + 1] = 0;
      break;
    case DQM_CORRUPTION_SAMPLE_RANGE:
      b->data[DQM_EVT_FIXED_SIZE + record_bytes + DQM_SADC_HEADER_SIZE + 1] |= 0x30;
      break;
    case DQM_CORRUPTION_NONE:
    case DQM_N_CORRUPTIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Triggers until the next one that is read out; FALSE when the spill ends first. */
static gboolean
next_event (DqmSimRun *self, DqmSimMessage *out)
{
  const DqmSpillSetup *spill = &self->setup->spill;
  DqmMessage message = { .type = DQM_MSG_EVT, .run = self->run, .evt = self->event };

  while (self->next_trigger_ns < self->spill_end_ns)
    {
      guint64 time_ns = self->next_trigger_ns;
      guint32 trigger = choose_trigger (self);

      schedule_next_trigger (self);
      if (trigger == DQM_TRIGGER_PHYSICS)
        {
          /* The beam counters see every particle; a failing trigger logic
           * (the trigger-loss fault) fires for fewer of them. */
          self->physics_beam++;
          if (self->faults.trigger_loss > 0 && self->spill >= self->faults.first_spill
              && dqm_random_chance (&self->rng, self->faults.trigger_loss))
            continue;
          self->physics_triggers++;
        }
      if (!dqm_random_chance (&self->rng, spill->live_fraction))
        continue; /* DAQ dead time */

      dqm_sim_generate (self->sim, self->spill, trigger, self->event, &self->truth);
      self->event_id++;
      self->event_in_spill++;
      if (time_ns < self->skip_until_ns)
        continue; /* generated while the source was down: a gap downstream */
      self->event->spill = self->spill;
      self->event->event_in_spill = self->event_in_spill;
      self->event->event_id = self->event_id;
      self->event->time_ns = time_ns;
      self->events_in_spill++;
      self->events_in_run++;
      self->events_total++;
      finish (self, out, &message, time_ns);
      out->event = self->event;
      out->truth = &self->truth;
      if (self->spill >= self->faults.first_spill
          && dqm_random_chance (&self->rng, self->faults.corrupt_fraction))
        corrupt (self, out);
      return TRUE;
    }
  return FALSE;
}

gboolean
dqm_sim_run_next (DqmSimRun *self, DqmSimMessage *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  DqmMessage message = { .run = self->run };
  guint64 due = next_due (self);

  if (self->phase == PHASE_DONE)
    return FALSE;

  if (self->next_hbt_ns <= due)
    {
      message.type = DQM_MSG_HBT;
      message.hbt.time_ns = self->next_hbt_ns;
      message.hbt.events_sent = self->events_total;
      finish (self, out, &message, self->next_hbt_ns);
      self->next_hbt_ns += NS_PER_S;
      return TRUE;
    }

  switch (self->phase)
    {
    case PHASE_SOR:
      message.type = DQM_MSG_SOR;
      message.sor.time_ns = due;
      message.sor.beam = self->setup->beam.code;
      message.sor.beam_energy_gev = (guint) lround (self->setup->beam.energy_gev);
      g_strlcpy (message.sor.tag, self->setup->setup_tag, sizeof message.sor.tag);
      finish (self, out, &message, due);
      self->phase = PHASE_SOS;
      return TRUE;

    case PHASE_SOS:
      self->spill++;
      self->spill_end_ns = self->spill_start_ns + seconds_to_ns (self->setup->spill.length_s);
      self->next_trigger_ns = self->spill_start_ns;
      schedule_next_trigger (self);
      self->event_in_spill = 0;
      self->physics_triggers = self->physics_beam = 0;
      self->events_in_spill = 0;
      message.type = DQM_MSG_SOS;
      message.sos.spill = self->spill;
      message.sos.time_ns = due;
      self->phase = PHASE_EVENTS;
      finish (self, out, &message, due);
      return TRUE;

    case PHASE_EVENTS:
      if (next_event (self, out))
        return TRUE;
      self->phase = PHASE_EOS;
      return dqm_sim_run_next (self, out);

    case PHASE_EOS:
      {
        double on_target = self->physics_beam * self->setup->spill.particles_per_trigger;
        long long counts = llround (on_target + sqrt (on_target) * dqm_random_gauss (&self->rng));

        message.type = DQM_MSG_EOS;
        message.eos.spill = self->spill;
        message.eos.time_ns = due;
        message.eos.beam_counts = counts > 0 ? (guint64) counts : 0;
        message.eos.triggers = self->physics_triggers;
        message.eos.events_sent = self->events_in_spill;
        finish (self, out, &message, due);
        if (self->n_spills != 0 && self->spill >= self->n_spills)
          self->phase = PHASE_EOR;
        else
          {
            self->phase = PHASE_SOS;
            self->spill_start_ns = self->spill_end_ns + seconds_to_ns (self->setup->spill.gap_s);
          }
        return TRUE;
      }

    case PHASE_EOR:
      message.type = DQM_MSG_EOR;
      message.eor.time_ns = due;
      message.eor.events_sent = self->events_in_run;
      finish (self, out, &message, due);
      self->phase = PHASE_DONE;
      return TRUE;

    case PHASE_DONE:
    default:
      return FALSE;
    }
}
