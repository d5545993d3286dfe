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
  PHASE_EVENTS,       /* the beam: particles arrive, the trigger picks */
  PHASE_CALIBRATION,  /* after the beam: random and LED triggers */
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
  guint64         spill_start_ns, beam_end_ns, spill_end_ns; /* spill_end: its eos */
  double          intensity_hz;     /* of this spill */
  double          next_particle_ns; /* after spill_start_ns */
  guint           calibration_left, random_left, calibration_n;
  guint32         event_in_spill;
  guint64         event_id;
  guint64         beam_counts;      /* this spill: S1·S2 coincidences */
  guint64         physics_triggers; /* this spill, read out or not */
  guint64         beam_particles;   /* the whole run */
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

guint64
dqm_sim_run_beam_particles (DqmSimRun *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->beam_particles;
}

/* Beam particles arrive as a Poisson stream at the spill's intensity. */
static void
schedule_next_particle (DqmSimRun *self)
{
  self->next_particle_ns += self->intensity_hz > 0 ? dqm_random_exponential (&self->rng, 1e9 / self->intensity_hz)
                                                   : G_MAXDOUBLE;
}

static guint64
next_particle_time (DqmSimRun *self)
{
  /* Added as integers: a double near 1.8·10¹⁸ ns steps by 256 ns. */
  if (self->next_particle_ns >= (double) (self->beam_end_ns - self->spill_start_ns))
    return self->beam_end_ns;
  return self->spill_start_ns + (guint64) self->next_particle_ns;
}

/* Calibration triggers evenly spaced between the beam's end and eos, at
 * least 1 ns apart (the gap is made at least n + 1 ns long). */
static guint64
next_calibration_time (DqmSimRun *self)
{
  guint index = self->calibration_n - self->calibration_left;
  double step = (self->spill_end_ns - self->beam_end_ns) / (double) (self->calibration_n + 1);

  return self->beam_end_ns + (guint64) (step * (index + 1));
}

/* The time of the next scheduled (non-heartbeat) message. */
static guint64
next_due (DqmSimRun *self)
{
  switch (self->phase)
    {
    case PHASE_SOR: return self->start_ns;
    case PHASE_SOS: return self->spill_start_ns;
    case PHASE_EVENTS: return next_particle_time (self);
    case PHASE_CALIBRATION: return self->calibration_left ? next_calibration_time (self) : self->spill_end_ns;
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
  out->spill = self->phase == PHASE_EVENTS || self->phase == PHASE_CALIBRATION || message->type == DQM_MSG_SOS
               || message->type == DQM_MSG_EOS
               ? self->spill : 0;
  out->body = self->body;
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

/* Numbers, stamps and encodes the event the simulator just made. */
static gboolean
emit_event (DqmSimRun *self, DqmSimMessage *out, guint64 time_ns)
{
  DqmMessage message = { .type = DQM_MSG_EVT, .run = self->run, .evt = self->event };

  self->event_id++;
  self->event_in_spill++;
  if (time_ns < self->skip_until_ns)
    return FALSE; /* generated while the source was down: a gap downstream */
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
  out->spill_time_s = (time_ns - self->spill_start_ns) / 1e9;
  if (self->spill >= self->faults.first_spill
      && dqm_random_chance (&self->rng, self->faults.corrupt_fraction))
    corrupt (self, out);
  return TRUE;
}

typedef enum {
  BEAM_EVENT,
  BEAM_OVER,
  BEAM_HEARTBEAT_DUE,
} BeamStep;

/* Beam particles until one is triggered and read out, the beam ends or a
 * heartbeat is due first. Each is looked at cheaply; only a recorded one
 * becomes waveforms. */
static BeamStep
next_beam_event (DqmSimRun *self, DqmSimMessage *out)
{
  const DqmTriggerSetup *t = &self->setup->trigger;

  while (next_particle_time (self) < self->beam_end_ns)
    {
      guint64 time_ns = next_particle_time (self);
      DqmSimParticle particle;
      gboolean prescaled;
      guint32 trigger;

      if (time_ns >= self->next_hbt_ns)
        return BEAM_HEARTBEAT_DUE;

      schedule_next_particle (self);
      self->beam_counts++;
      self->beam_particles++;
      prescaled = self->beam_counts % t->beam_prescale == 0;
      dqm_sim_set_conditions (self->sim, self->spill, (time_ns - self->spill_start_ns) / 1e9, self->intensity_hz);
      dqm_sim_beam_particle (self->sim, &particle);
      /* A particle that cannot fire the physics trigger alone is not
       * looked at again. Pile-up in the gate mostly stops a trigger (ECAL
       * energy, vetoes); that it lifts a preshower over the threshold
       * happens to ~10⁻⁴ of the triggers, and is neglected. */
      if (!prescaled && !dqm_sim_physics_condition (self->sim, &particle))
        continue;
      trigger = dqm_sim_trigger (self->sim, &particle, prescaled);
      if (trigger & DQM_TRIGGER_PHYSICS)
        {
          /* A failing trigger logic (the trigger-loss fault) fires for fewer. */
          if (self->faults.trigger_loss > 0 && self->spill >= self->faults.first_spill
              && dqm_random_chance (&self->rng, self->faults.trigger_loss))
            trigger &= ~(guint32) DQM_TRIGGER_PHYSICS;
          else
            self->physics_triggers++;
        }
      if (trigger == 0 || !dqm_random_chance (&self->rng, t->live_fraction))
        continue; /* not triggered, or DAQ dead time */
      dqm_sim_record (self->sim, trigger, self->event, &self->truth);
      if (emit_event (self, out, time_ns))
        return BEAM_EVENT;
    }
  return BEAM_OVER;
}

/* The next random or LED trigger after the beam; FALSE when none is left. */
static gboolean
next_calibration_event (DqmSimRun *self, DqmSimMessage *out)
{
  while (self->calibration_left > 0)
    {
      guint64 time_ns = next_calibration_time (self);
      /* The two kinds in a random order, each exactly as many as configured. */
      gboolean random = dqm_random_uniform (&self->rng) * self->calibration_left < self->random_left;

      self->calibration_left--;
      self->random_left -= random;
      dqm_sim_set_conditions (self->sim, self->spill, (time_ns - self->spill_start_ns) / 1e9, self->intensity_hz);
      dqm_sim_generate (self->sim, self->spill, random ? DQM_TRIGGER_RANDOM : DQM_TRIGGER_LED, self->event,
                        &self->truth);
      if (emit_event (self, out, time_ns))
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
      {
        const DqmSpillSetup *spill = &self->setup->spill;
        const DqmTriggerSetup *t = &self->setup->trigger;

        self->spill++;
        self->beam_end_ns = self->spill_start_ns + seconds_to_ns (spill->length_s);
        self->spill_end_ns = self->beam_end_ns + MAX (seconds_to_ns (spill->calibration_s),
                                                      (guint64) t->random_per_spill + t->led_per_spill + 1);
        self->intensity_hz = spill->beam_rate_hz * fmax (0.05, 1 + spill->intensity_spread * dqm_random_gauss (&self->rng));
        self->next_particle_ns = 0;
        schedule_next_particle (self);
        self->calibration_n = self->calibration_left = t->random_per_spill + t->led_per_spill;
        self->random_left = t->random_per_spill;
        self->event_in_spill = 0;
        self->beam_counts = self->physics_triggers = 0;
        self->events_in_spill = 0;
      }
      message.type = DQM_MSG_SOS;
      message.sos.spill = self->spill;
      message.sos.time_ns = due;
      self->phase = PHASE_EVENTS;
      finish (self, out, &message, due);
      return TRUE;

    case PHASE_EVENTS:
      switch (next_beam_event (self, out))
        {
        case BEAM_EVENT: return TRUE;
        case BEAM_HEARTBEAT_DUE: return dqm_sim_run_next (self, out);
        case BEAM_OVER:
        default: break;
        }
      self->phase = PHASE_CALIBRATION;
      return dqm_sim_run_next (self, out);

    case PHASE_CALIBRATION:
      if (next_calibration_event (self, out))
        return TRUE;
      self->phase = PHASE_EOS;
      return dqm_sim_run_next (self, out);

    case PHASE_EOS:
      {
        message.type = DQM_MSG_EOS;
        message.eos.spill = self->spill;
        message.eos.time_ns = due;
        message.eos.beam_counts = self->beam_counts;
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
