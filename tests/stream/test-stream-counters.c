/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stream sequencing and counters, independent of the transport. */
#include <string.h>

#include <glib.h>

#include "dqm-stream-counters.h"

static DqmEvent event;

static gboolean
feed_event (DqmStreamCounter  *counter,
            guint32            run,
            guint64            event_id,
            gint64             now_us,
            DqmRunChanges     *flags,
            GError           **error)
{
  DqmMessage message = { .type = DQM_MSG_EVT, .run = run, .evt = &event };

  event.event_id = event_id;
  event.spill = 1;
  return dqm_stream_counter_accept (counter, &message, 100, now_us, flags, error);
}

static void
feed (DqmStreamCounter *counter, DqmMsgType type, guint32 run, gint64 now_us, DqmRunChanges *flags)
{
  DqmMessage message = { .type = type, .run = run };

  message.sos.spill = 1;
  g_assert_true (dqm_stream_counter_accept (counter, &message, 32, now_us, flags, NULL));
}

static void
test_gaps_are_lost_events (void)
{
  DqmStreamCounter counter;
  DqmRunChanges flags;

  dqm_stream_counter_init (&counter, 5);
  feed (&counter, DQM_MSG_SOR, 1, 0, &flags);
  g_assert_cmpint (flags, ==, DQM_RUN_STARTED);
  g_assert_true (feed_event (&counter, 1, 1, 1, &flags, NULL));
  g_assert_true (feed_event (&counter, 1, 2, 2, &flags, NULL));
  g_assert_true (feed_event (&counter, 1, 10, 3, &flags, NULL));
  g_assert_true (feed_event (&counter, 1, 11, 4, &flags, NULL));
  g_assert_cmpuint (counter.counters.lost_events, ==, 7);
  g_assert_cmpuint (counter.counters.bad, ==, 0);
  g_assert_cmpuint (counter.counters.by_type[DQM_MSG_EVT], ==, 4);
  g_assert_cmpuint (counter.counters.bytes, ==, 32 + 4 * 100);
}

static void
test_event_id_must_increase (void)
{
  DqmStreamCounter counter;
  g_autoptr(GError) error = NULL;

  dqm_stream_counter_init (&counter, 5);
  g_assert_true (feed_event (&counter, 1, 5, 0, NULL, NULL));
  g_assert_false (feed_event (&counter, 1, 5, 0, NULL, &error));
  g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_SEQUENCE);
  g_assert_cmpstr (error->message, ==, "evt: event_id 5 does not follow 5 in run 1");
  g_clear_error (&error);
  g_assert_false (feed_event (&counter, 1, 3, 0, NULL, &error));
  g_assert_true (feed_event (&counter, 1, 6, 0, NULL, NULL));
  g_assert_cmpuint (counter.counters.bad, ==, 2);
  g_assert_cmpuint (counter.counters.bad_by_reason[DQM_STREAM_ERROR_SEQUENCE], ==, 2);
  g_assert_cmpuint (counter.counters.lost_events, ==, 0);
  g_assert_cmpuint (counter.counters.messages, ==, 4);
}

/* Joining mid-run, and a new run closing the open one without its eor. */
static void
test_runs (void)
{
  DqmStreamCounter counter;
  DqmRunChanges flags;

  dqm_stream_counter_init (&counter, 5);
  g_assert_cmpint (counter.state, ==, DQM_STREAM_STATE_WAITING);
  g_assert_true (feed_event (&counter, 7, 1000, 0, &flags, NULL));
  g_assert_cmpint (flags, ==, DQM_RUN_STARTED);
  g_assert_cmpuint (counter.run, ==, 7);
  g_assert_cmpint (counter.state, ==, DQM_STREAM_STATE_RUNNING);
  /* event_id restarts with the new run: no loss, no error. */
  g_assert_true (feed_event (&counter, 8, 1, 0, &flags, NULL));
  g_assert_cmpint (flags, ==, DQM_RUN_STARTED | DQM_RUN_ENDED);
  g_assert_cmpuint (counter.counters.runs_closed_without_eor, ==, 1);
  g_assert_cmpuint (counter.counters.lost_events, ==, 0);
  feed (&counter, DQM_MSG_EOR, 8, 0, &flags);
  g_assert_cmpint (flags, ==, DQM_RUN_ENDED);
  g_assert_false (counter.run_open);
  g_assert_cmpint (counter.state, ==, DQM_STREAM_STATE_IDLE);
  feed (&counter, DQM_MSG_SOR, 9, 0, &flags);
  feed (&counter, DQM_MSG_SOR, 10, 0, &flags);
  g_assert_cmpint (flags, ==, DQM_RUN_STARTED | DQM_RUN_ENDED);
  g_assert_cmpuint (counter.counters.runs_closed_without_eor, ==, 2);
}

static void
test_stall (void)
{
  DqmStreamCounter counter;

  dqm_stream_counter_init (&counter, 5);
  g_assert_false (dqm_stream_counter_idle (&counter, 100 * G_USEC_PER_SEC)); /* no run: no stall */
  feed (&counter, DQM_MSG_SOR, 1, 0, NULL);
  g_assert_false (dqm_stream_counter_idle (&counter, 4 * G_USEC_PER_SEC));
  g_assert_true (dqm_stream_counter_idle (&counter, 5 * G_USEC_PER_SEC));
  g_assert_cmpint (counter.state, ==, DQM_STREAM_STATE_STALLED);
  g_assert_false (dqm_stream_counter_idle (&counter, 9 * G_USEC_PER_SEC)); /* one stall, counted once */
  g_assert_cmpuint (counter.counters.stalls, ==, 1);
  feed (&counter, DQM_MSG_HBT, 1, 10 * G_USEC_PER_SEC, NULL);
  g_assert_cmpint (counter.state, ==, DQM_STREAM_STATE_RUNNING);
  g_assert_true (dqm_stream_counter_idle (&counter, 16 * G_USEC_PER_SEC));
  g_assert_cmpuint (counter.counters.stalls, ==, 2);
  feed (&counter, DQM_MSG_EOR, 1, 17 * G_USEC_PER_SEC, NULL);
  g_assert_false (dqm_stream_counter_idle (&counter, 60 * G_USEC_PER_SEC));
}

static void
test_dropped_records_summed (void)
{
  DqmStreamCounter counter;

  dqm_stream_counter_init (&counter, 5);
  event.dropped[DQM_DROP_SAMPLE_RANGE] = 2;
  event.dropped[DQM_DROP_UNKNOWN_CHANNEL] = 1;
  g_assert_true (feed_event (&counter, 1, 1, 0, NULL, NULL));
  g_assert_true (feed_event (&counter, 1, 2, 0, NULL, NULL));
  memset (event.dropped, 0, sizeof event.dropped);
  g_assert_cmpuint (counter.counters.dropped_records, ==, 6);
  g_assert_cmpuint (counter.counters.dropped_by_reason[DQM_DROP_SAMPLE_RANGE], ==, 4);
  g_assert_cmpuint (counter.counters.dropped_by_reason[DQM_DROP_UNKNOWN_CHANNEL], ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/counter/gaps-are-lost-events", test_gaps_are_lost_events);
  g_test_add_func ("/counter/event-id-must-increase", test_event_id_must_increase);
  g_test_add_func ("/counter/runs", test_runs);
  g_test_add_func ("/counter/stall", test_stall);
  g_test_add_func ("/counter/dropped-records-summed", test_dropped_records_summed);
  return g_test_run ();
}
