/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sequencing and counting of a decoded stream. */
#include "dqm-stream-counters.h"

#include <string.h>

void
dqm_stream_counter_init (DqmStreamCounter *counter, double stall_seconds)
{
  g_return_if_fail (counter != NULL);

  memset (counter, 0, sizeof *counter);
  counter->stall_us = (gint64) (stall_seconds * G_USEC_PER_SEC);
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
      counter->have_event_id = FALSE;
      counter->in_spill = FALSE;
      counter->spill = 0;
    }
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

  if (message->type == DQM_MSG_EVT)
    {
      const DqmEvent *event = message->evt;

      if (counter->have_event_id && event->event_id <= counter->last_event_id)
        {
          GError *sequence_error = g_error_new (DQM_STREAM_ERROR, DQM_STREAM_ERROR_SEQUENCE,
                                                "evt: event_id %" G_GUINT64_FORMAT " does not follow %"
                                                G_GUINT64_FORMAT " in run %u",
                                                event->event_id, counter->last_event_id, counter->run);

          dqm_stream_counter_reject (counter, sequence_error, bytes, now_us);
          g_propagate_error (error, sequence_error);
          return FALSE;
        }
      if (counter->have_event_id)
        counter->counters.lost_events += event->event_id - counter->last_event_id - 1;
      counter->have_event_id = TRUE;
      counter->last_event_id = event->event_id;
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
