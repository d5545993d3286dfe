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

/* An evt of run 1 with every sequenced field given. */
static gboolean
feed_evt (DqmStreamCounter *counter, guint32 spill, guint64 event_id, guint64 time_ns, GError **error)
{
  DqmMessage message = { .type = DQM_MSG_EVT, .run = 1, .evt = &event };

  event.spill = spill;
  event.event_id = event_id;
  event.time_ns = time_ns;
  return dqm_stream_counter_accept (counter, &message, 100, 0, NULL, error);
}

#define SECOND G_GUINT64_CONSTANT (1000000000)
#define T0 (G_GUINT64_CONSTANT (1790000000) * SECOND)

/* ids 1, 2, 2^62 + 3, 4, 5: the flipped bit costs one event, counted once
 * under its own reason, and the events after it are kept, none lost. */
static void
test_one_corrupt_event_id (void)
{
  DqmStreamCounter counter;
  const guint64 ids[] = { 1, 2, (G_GUINT64_CONSTANT (1) << 62) + 3, 4, 5, 6 };

  dqm_stream_counter_init (&counter, 5);
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = feed_evt (&counter, 1, ids[i], T0 + i, &error);

      if (i == 2)
        {
          g_assert_false (ok);
          g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_EVENT_ID_JUMP);
        }
      else
        g_assert_no_error (error);
    }
  g_assert_cmpuint (counter.counters.bad, ==, 1);
  g_assert_cmpuint (counter.counters.bad_by_reason[DQM_STREAM_ERROR_EVENT_ID_JUMP], ==, 1);
  g_assert_cmpuint (counter.counters.lost_events, ==, 0);
  g_assert_cmpuint (counter.counters.by_type[DQM_MSG_EVT], ==, 5);
  g_assert_cmpuint (counter.counters.resyncs, ==, 0);
  g_assert_nonnull (strstr (counter.last_error, "too far ahead"));
}

/* A stream that really moved (its ids start again far ahead) is followed
 * after DQM_STREAM_RESYNC_AFTER events that agree with each other. */
static void
test_resync_on_a_stream_that_moved (void)
{
  DqmStreamCounter counter;
  guint64 accepted = 0;

  dqm_stream_counter_init (&counter, 5);
  g_assert_true (feed_evt (&counter, 1, 10, T0, NULL));
  for (guint64 k = 0; k < 6; k++)
    accepted += feed_evt (&counter, 1, G_GUINT64_CONSTANT (5000000000) + k, T0 + 1 + k, NULL);
  g_assert_cmpuint (accepted, ==, 6 - (DQM_STREAM_RESYNC_AFTER - 1));
  g_assert_cmpuint (counter.counters.resyncs, ==, 1);
  g_assert_cmpuint (counter.counters.bad_by_reason[DQM_STREAM_ERROR_EVENT_ID_JUMP], ==, DQM_STREAM_RESYNC_AFTER - 1);
  g_assert_cmpuint (counter.counters.lost_events, ==, 0);
  /* and going backwards once is refused alone */
  g_assert_false (feed_evt (&counter, 1, 11, T0 + 10, NULL));
  g_assert_true (feed_evt (&counter, 1, G_GUINT64_CONSTANT (5000000006), T0 + 11, NULL));
  g_assert_cmpuint (counter.counters.bad_by_reason[DQM_STREAM_ERROR_SEQUENCE], ==, 1);
  g_assert_cmpuint (counter.counters.lost_events, ==, 0);
}

/* A spill number jumping from 12 to 4 000 000 and back, and a time_ns
 * jumping by years or going back: each refused once, under its reason. */
static void
test_spill_and_time_poison (void)
{
  DqmStreamCounter counter;
  g_autoptr(GError) error = NULL;

  dqm_stream_counter_init (&counter, 5);
  g_assert_true (feed_evt (&counter, 12, 1, T0, NULL));
  g_assert_false (feed_evt (&counter, 4000000, 2, T0 + 1, &error));
  g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_SPILL_ORDER);
  g_clear_error (&error);
  g_assert_true (feed_evt (&counter, 12, 3, T0 + 2, NULL));
  g_assert_true (feed_evt (&counter, 13, 4, T0 + 3, NULL));
  g_assert_false (feed_evt (&counter, 12, 5, T0 + 4, NULL)); /* a spill backwards */
  g_assert_false (feed_evt (&counter, 13, 6, T0 + 20 * 365 * 24 * 3600 * SECOND, &error));
  g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_TIME_ORDER);
  g_clear_error (&error);
  g_assert_false (feed_evt (&counter, 13, 7, T0 - 60 * SECOND, NULL));
  g_assert_true (feed_evt (&counter, 13, 8, T0 + 5, NULL));
  g_assert_true (feed_evt (&counter, 14, 9, T0 + 10 * SECOND, NULL));
  g_assert_cmpuint (counter.counters.bad_by_reason[DQM_STREAM_ERROR_SPILL_ORDER], ==, 2);
  g_assert_cmpuint (counter.counters.bad_by_reason[DQM_STREAM_ERROR_TIME_ORDER], ==, 2);
  g_assert_cmpuint (counter.counters.bad, ==, 4);
  g_assert_cmpuint (counter.counters.lost_events, ==, 0);
  g_assert_cmpuint (counter.spill, ==, 14);
}

/* A repeated event fills no gap: ids 1, 2, 2, 5 lost 3 and 4. */
static void
test_repeat_hides_no_loss (void)
{
  DqmStreamCounter counter;

  dqm_stream_counter_init (&counter, 5);
  g_assert_true (feed_evt (&counter, 1, 1, T0, NULL));
  g_assert_true (feed_evt (&counter, 1, 2, T0 + 1, NULL));
  g_assert_false (feed_evt (&counter, 1, 2, T0 + 2, NULL));
  g_assert_true (feed_evt (&counter, 1, 5, T0 + 3, NULL));
  g_assert_cmpuint (counter.counters.lost_events, ==, 2);
}

/* The limits are the caller's to set. */
static void
test_limits (void)
{
  DqmStreamCounter counter;
  DqmStreamLimits limits;

  dqm_stream_counter_init (&counter, 5);
  limits = counter.limits;
  limits.max_event_id_jump = 10;
  dqm_stream_counter_set_limits (&counter, &limits);
  g_assert_true (feed_evt (&counter, 1, 1, T0, NULL));
  g_assert_true (feed_evt (&counter, 1, 11, T0 + 1, NULL));
  g_assert_false (feed_evt (&counter, 1, 22, T0 + 2, NULL));
  g_assert_cmpuint (counter.counters.lost_events, ==, 9);
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
  g_test_add_func ("/counter/one-corrupt-event-id", test_one_corrupt_event_id);
  g_test_add_func ("/counter/resync-on-a-stream-that-moved", test_resync_on_a_stream_that_moved);
  g_test_add_func ("/counter/spill-and-time-poison", test_spill_and_time_poison);
  g_test_add_func ("/counter/limits", test_limits);
  g_test_add_func ("/counter/repeat-hides-no-loss", test_repeat_hides_no_loss);
  return g_test_run ();
}
