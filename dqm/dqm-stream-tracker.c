/* Sequencing and counting of a decoded stream. */
#include "dqm-stream-tracker.h"

#include <string.h>

void
dqm_stream_tracker_init (DqmStreamTracker *tracker, double stall_seconds)
{
  memset (tracker, 0, sizeof *tracker);
  tracker->stall_us = (gint64) (stall_seconds * G_USEC_PER_SEC);
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
open_run (DqmStreamTracker *tracker, guint32 run, DqmTrackFlags *flags)
{
  if (tracker->run_open && tracker->run != run)
    {
      /* stream-v1: a new run closes the open one as if its eor had come. */
      tracker->counters.runs_closed_without_eor++;
      *flags |= DQM_TRACK_RUN_ENDED;
    }
  if (!tracker->run_open || tracker->run != run)
    {
      *flags |= DQM_TRACK_RUN_STARTED;
      tracker->run = run;
      tracker->run_open = TRUE;
      tracker->have_event_id = FALSE;
      tracker->in_spill = FALSE;
      tracker->spill = 0;
    }
}

gboolean
dqm_stream_tracker_accept (DqmStreamTracker *tracker, const DqmMessage *message, gsize bytes,
                           gint64 now_us, DqmTrackFlags *flags, GError **error)
{
  DqmTrackFlags ignored;

  if (flags == NULL)
    flags = &ignored;
  *flags = 0;
  tracker->last_message_us = now_us;

  if (message->type == DQM_MSG_SOR)
    {
      if (tracker->run_open)
        {
          tracker->counters.runs_closed_without_eor++;
          *flags |= DQM_TRACK_RUN_ENDED;
          tracker->run_open = FALSE;
        }
      open_run (tracker, message->run, flags);
    }
  else if (message->type != DQM_MSG_HBT && message->type != DQM_MSG_EOR)
    open_run (tracker, message->run, flags);

  if (message->type == DQM_MSG_EVT)
    {
      const DqmEvent *event = message->evt;

      if (tracker->have_event_id && event->event_id <= tracker->last_event_id)
        {
          GError *sequence_error = g_error_new (DQM_STREAM_ERROR, DQM_STREAM_ERROR_SEQUENCE,
                                                "evt: event_id %" G_GUINT64_FORMAT " does not follow %"
                                                G_GUINT64_FORMAT " in run %u",
                                                event->event_id, tracker->last_event_id, tracker->run);

          dqm_stream_tracker_reject (tracker, sequence_error, bytes, now_us);
          g_propagate_error (error, sequence_error);
          return FALSE;
        }
      if (tracker->have_event_id)
        tracker->counters.lost_events += event->event_id - tracker->last_event_id - 1;
      tracker->have_event_id = TRUE;
      tracker->last_event_id = event->event_id;
      tracker->spill = event->spill;
      for (guint r = 0; r < DQM_N_DROP_REASONS; r++)
        {
          tracker->counters.dropped_by_reason[r] += event->dropped[r];
          tracker->counters.dropped_records += event->dropped[r];
        }
    }
  else if (message->type == DQM_MSG_SOS)
    {
      tracker->spill = message->sos.spill;
      tracker->in_spill = TRUE;
    }
  else if (message->type == DQM_MSG_EOS)
    {
      tracker->spill = message->eos.spill;
      tracker->in_spill = FALSE;
    }
  else if (message->type == DQM_MSG_EOR && tracker->run_open && tracker->run == message->run)
    {
      tracker->run_open = FALSE;
      tracker->in_spill = FALSE;
      *flags |= DQM_TRACK_RUN_ENDED;
    }

  tracker->counters.messages++;
  tracker->counters.bytes += bytes;
  tracker->counters.by_type[message->type]++;
  tracker->state = tracker->run_open ? DQM_STREAM_STATE_RUNNING : DQM_STREAM_STATE_IDLE;
  return TRUE;
}

void
dqm_stream_tracker_reject (DqmStreamTracker *tracker, const GError *error, gsize bytes, gint64 now_us)
{
  guint reason = error && error->domain == DQM_STREAM_ERROR && error->code < DQM_STREAM_N_ERRORS
                 ? (guint) error->code : DQM_STREAM_ERROR_FIELD;

  tracker->last_message_us = now_us;
  tracker->counters.messages++;
  tracker->counters.bytes += bytes;
  tracker->counters.bad++;
  tracker->counters.bad_by_reason[reason]++;
  g_strlcpy (tracker->last_error, error ? error->message : "bad message", sizeof tracker->last_error);
  if (tracker->state == DQM_STREAM_STATE_STALLED || tracker->state == DQM_STREAM_STATE_WAITING)
    tracker->state = tracker->run_open ? DQM_STREAM_STATE_RUNNING : DQM_STREAM_STATE_IDLE;
}

gboolean
dqm_stream_tracker_idle (DqmStreamTracker *tracker, gint64 now_us)
{
  if (!tracker->run_open || tracker->state == DQM_STREAM_STATE_STALLED)
    return FALSE;
  if (now_us - tracker->last_message_us < tracker->stall_us)
    return FALSE;
  tracker->state = DQM_STREAM_STATE_STALLED;
  tracker->counters.stalls++;
  return TRUE;
}
