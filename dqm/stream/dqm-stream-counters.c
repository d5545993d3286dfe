/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sequencing and counting of a decoded stream. */
#include "dqm-stream-counters.h"

#include <stdarg.h>
#include <string.h>

void
dqm_stream_counter_init (DqmStreamCounter *counter, double stall_seconds)
{
  g_return_if_fail (counter != NULL);

  memset (counter, 0, sizeof *counter);
  counter->stall_us = (gint64) (stall_seconds * G_USEC_PER_SEC);
  counter->limits = (DqmStreamLimits) {
    .max_event_id_jump = 10000000,
    .max_spill_jump = 100,
    .max_time_jump_ns = 24 * 3600 * G_GUINT64_CONSTANT (1000000000),
    .max_time_back_ns = 1000000000,
  };
}

void
dqm_stream_counter_set_limits (DqmStreamCounter *counter, const DqmStreamLimits *limits)
{
  g_return_if_fail (counter != NULL && limits != NULL);

  counter->limits = *limits;
}

typedef enum {
  SEQUENCE_FITS,
  SEQUENCE_REJECTED,
  SEQUENCE_RESYNC,   /* fits the values refused before it: the stream moved */
} SequenceVerdict;

/* Whether @next may follow @last: at least @last + @min_step - @back, at
 * most @last + @max_jump. */
static gboolean
follows (guint64 last, guint64 next, guint64 min_step, guint64 back, guint64 max_jump)
{
  if (next < last)
    return min_step == 0 && last - next <= back;
  return next - last >= min_step && next - last <= max_jump;
}

/* Judges @value against @seq without changing it: a value that does not
 * follow the anchor is a suspect; enough suspects in a row that follow each
 * other mean the stream itself moved (a DAQ restart, a renumbering). */
static SequenceVerdict
sequence_judge (const DqmStreamSequence *seq, guint64 value, guint64 min_step, guint64 back, guint64 max_jump)
{
  if (!seq->have || follows (seq->last, value, min_step, back, max_jump))
    return SEQUENCE_FITS;
  if (seq->suspects + 1 >= DQM_STREAM_RESYNC_AFTER && follows (seq->suspect, value, min_step, back, max_jump))
    return SEQUENCE_RESYNC;
  return SEQUENCE_REJECTED;
}

static void
sequence_refuse (DqmStreamSequence *seq, guint64 value, guint64 min_step, guint64 back, guint64 max_jump)
{
  if (seq->suspects > 0 && follows (seq->suspect, value, min_step, back, max_jump))
    seq->suspects++;
  else
    seq->suspects = 1;
  seq->suspect = value;
}

static void
sequence_take (DqmStreamSequence *seq, guint64 value)
{
  seq->have = TRUE;
  seq->last = value;
  seq->suspects = 0;
}

const char *
dqm_stream_state_name (DqmStreamState state)
{
  switch (state)
    {
    case DQM_STREAM_STATE_WAITING: return "waiting";
    case DQM_STREAM_STATE_RUNNING: return "running";
    case DQM_STREAM_STATE_IDLE: return "between runs";
    case DQM_STREAM_STATE_STALLED: return "stalled";
    default: return "?";
    }
}

static void
open_run (DqmStreamCounter *counter, guint32 run, DqmRunChanges *flags)
{
  if (counter->run_open && counter->run != run)
    {
      /* stream-v1: a new run closes the open one as if its eor had come. */
      counter->counters.runs_closed_without_eor++;
      *flags |= DQM_RUN_ENDED;
    }
  if (!counter->run_open || counter->run != run)
    {
      *flags |= DQM_RUN_STARTED;
      counter->run = run;
      counter->run_open = TRUE;
      counter->event_id = counter->spill_seq = counter->time = (DqmStreamSequence) { 0 };
      counter->rejected_since_last = 0;
      counter->in_spill = FALSE;
      counter->spill = 0;
    }
}

static guint64
message_spill (const DqmMessage *message)
{
  return message->type == DQM_MSG_EVT ? message->evt->spill
         : message->type == DQM_MSG_SOS ? message->sos.spill : message->eos.spill;
}

static gboolean
refuse (DqmStreamCounter *counter, DqmStreamError code, gsize bytes, gint64 now_us, GError **error,
        const char *format, ...) G_GNUC_PRINTF (6, 7);

static gboolean
refuse (DqmStreamCounter *counter, DqmStreamError code, gsize bytes, gint64 now_us, GError **error,
        const char *format, ...)
{
  g_autofree char *text = NULL;
  GError *sequence_error;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  sequence_error = g_error_new_literal (DQM_STREAM_ERROR, code, text);
  dqm_stream_counter_reject (counter, sequence_error, bytes, now_us);
  g_propagate_error (error, sequence_error);
  return FALSE;
}

/* The event_id, spill and time of an evt, sos or eos against the run's
 * sequence. A value that does not fit is refused, counted under its own
 * reason and leaves the anchors alone, so one flipped bit costs one
 * message; a stream that really moved is followed after a few messages. */
static gboolean
in_sequence (DqmStreamCounter *counter, const DqmMessage *message, gsize bytes, gint64 now_us, GError **error)
{
  const DqmStreamLimits *l = &counter->limits;
  gboolean evt = message->type == DQM_MSG_EVT;
  guint64 id = evt ? message->evt->event_id : 0, spill, time;
  SequenceVerdict id_verdict = SEQUENCE_FITS, spill_verdict, time_verdict;

  if (!evt && message->type != DQM_MSG_SOS && message->type != DQM_MSG_EOS)
    return TRUE;
  spill = message_spill (message);
  time = dqm_message_time_ns (message);
  if (evt)
    id_verdict = sequence_judge (&counter->event_id, id, 1, 0, l->max_event_id_jump);
  spill_verdict = sequence_judge (&counter->spill_seq, spill, 0, 0, l->max_spill_jump);
  time_verdict = sequence_judge (&counter->time, time, 0, l->max_time_back_ns, l->max_time_jump_ns);
  if (id_verdict == SEQUENCE_REJECTED)
    {
      guint64 last = counter->event_id.last;

      sequence_refuse (&counter->event_id, id, 1, 0, l->max_event_id_jump);
      /* Only an event that may fill the coming gap makes it smaller. */
      counter->rejected_since_last += id > last;
      return refuse (counter, id <= last ? DQM_STREAM_ERROR_SEQUENCE : DQM_STREAM_ERROR_EVENT_ID_JUMP, bytes,
                     now_us, error, "evt: event_id %" G_GUINT64_FORMAT " does not follow %" G_GUINT64_FORMAT
                     " in run %u%s", id, last, counter->run, id <= last ? "" : " (too far ahead)");
    }
  if (spill_verdict == SEQUENCE_REJECTED)
    {
      sequence_refuse (&counter->spill_seq, spill, 0, 0, l->max_spill_jump);
      counter->rejected_since_last += evt;
      return refuse (counter, DQM_STREAM_ERROR_SPILL_ORDER, bytes, now_us, error,
                     "%s: spill %" G_GUINT64_FORMAT " does not follow spill %" G_GUINT64_FORMAT " in run %u",
                     dqm_msg_type_topic (message->type), spill, counter->spill_seq.last, counter->run);
    }
  if (time_verdict == SEQUENCE_REJECTED)
    {
      sequence_refuse (&counter->time, time, 0, l->max_time_back_ns, l->max_time_jump_ns);
      counter->rejected_since_last += evt;
      return refuse (counter, DQM_STREAM_ERROR_TIME_ORDER, bytes, now_us, error,
                     "%s: time_ns %" G_GUINT64_FORMAT " is %s the run's last (%" G_GUINT64_FORMAT ")",
                     dqm_msg_type_topic (message->type), time, time < counter->time.last ? "before" : "far after",
                     counter->time.last);
    }
  counter->counters.resyncs += (id_verdict == SEQUENCE_RESYNC) + (spill_verdict == SEQUENCE_RESYNC)
                               + (time_verdict == SEQUENCE_RESYNC);
  if (evt)
    {
      /* A gap is lost events, less those that came but were refused. */
      if (counter->event_id.have && id_verdict == SEQUENCE_FITS)
        {
          guint64 gap = id - counter->event_id.last - 1;

          counter->counters.lost_events += gap - MIN (gap, counter->rejected_since_last);
        }
      counter->rejected_since_last = 0;
      sequence_take (&counter->event_id, id);
    }
  sequence_take (&counter->spill_seq, spill);
  sequence_take (&counter->time, time);
  return TRUE;
}

gboolean
dqm_stream_counter_accept (DqmStreamCounter *counter, const DqmMessage *message, gsize bytes,
                           gint64 now_us, DqmRunChanges *flags, GError **error)
{
  DqmRunChanges ignored;

  g_return_val_if_fail (counter != NULL, FALSE);

  if (flags == NULL)
    flags = &ignored;
  *flags = 0;
  counter->last_message_us = now_us;

  if (message->type == DQM_MSG_SOR)
    {
      if (counter->run_open)
        {
          counter->counters.runs_closed_without_eor++;
          *flags |= DQM_RUN_ENDED;
          counter->run_open = FALSE;
        }
      open_run (counter, message->run, flags);
    }
  else if (message->type != DQM_MSG_HBT && message->type != DQM_MSG_EOR)
    open_run (counter, message->run, flags);

  if (!in_sequence (counter, message, bytes, now_us, error))
    return FALSE;
  if (message->type == DQM_MSG_EVT)
    {
      const DqmEvent *event = message->evt;

      counter->spill = event->spill;
      for (guint r = 0; r < DQM_N_DROP_REASONS; r++)
        {
          counter->counters.dropped_by_reason[r] += event->dropped[r];
          counter->counters.dropped_records += event->dropped[r];
        }
    }
  else if (message->type == DQM_MSG_SOS)
    {
      counter->spill = message->sos.spill;
      counter->in_spill = TRUE;
    }
  else if (message->type == DQM_MSG_EOS)
    {
      counter->spill = message->eos.spill;
      counter->in_spill = FALSE;
    }
  else if (message->type == DQM_MSG_EOR && counter->run_open && counter->run == message->run)
    {
      counter->run_open = FALSE;
      counter->in_spill = FALSE;
      *flags |= DQM_RUN_ENDED;
    }

  counter->counters.messages++;
  counter->counters.bytes += bytes;
  counter->counters.by_type[message->type]++;
  counter->state = counter->run_open ? DQM_STREAM_STATE_RUNNING : DQM_STREAM_STATE_IDLE;
  return TRUE;
}

void
dqm_stream_counter_reject (DqmStreamCounter *counter, const GError *error, gsize bytes, gint64 now_us)
{
  guint reason = error && error->domain == DQM_STREAM_ERROR && error->code < DQM_STREAM_N_ERRORS
                 ? (guint) error->code : DQM_STREAM_ERROR_FIELD;

  g_return_if_fail (counter != NULL);

  counter->last_message_us = now_us;
  counter->counters.messages++;
  counter->counters.bytes += bytes;
  counter->counters.bad++;
  counter->counters.bad_by_reason[reason]++;
  g_strlcpy (counter->last_error, error ? error->message : "bad message", sizeof counter->last_error);
  if (counter->state == DQM_STREAM_STATE_STALLED || counter->state == DQM_STREAM_STATE_WAITING)
    counter->state = counter->run_open ? DQM_STREAM_STATE_RUNNING : DQM_STREAM_STATE_IDLE;
}

gboolean
dqm_stream_counter_idle (DqmStreamCounter *counter, gint64 now_us)
{
  g_return_val_if_fail (counter != NULL, FALSE);

  if (!counter->run_open || counter->state == DQM_STREAM_STATE_STALLED)
    return FALSE;
  if (now_us - counter->last_message_us < counter->stall_us)
    return FALSE;
  counter->state = DQM_STREAM_STATE_STALLED;
  counter->counters.stalls++;
  return TRUE;
}
