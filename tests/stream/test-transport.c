/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ZeroMQ transport: every message arrives in order over tcp and ipc, a
 * publisher restart is survived, bad messages and stalls are counted. */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <glib.h>
#include <zmq.h>

#include "dqm-sim-run.h"
#include "dqm-zmq.h"

#define RECEIVE_DEADLINE_US (20 * G_USEC_PER_SEC)

typedef struct {
  DqmSetup *setup;
  DqmPublisher *publisher;
  char *endpoint;
  GMutex     lock;          /* guards sent: two threads read and grow it */
  GPtrArray *sent;          /* GBytes of every body, in order */
  guint restart_after_spill; /* 0: none */
  gboolean interrupted;      /* SIGALRM keeps cutting the receiver's calls */
} Feed;

static volatile sig_atomic_t alarms;

static void
on_alarm (int signum)
{
  alarms++;
}

static DqmSetup *
short_run_setup (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();

  g_assert_true (dqm_config_set (config, "spill", "length_s", "0.3", NULL));
  g_assert_true (dqm_config_set (config, "spill", "gap_s", "0.2", NULL));
  return dqm_setup_load (config, NULL, NULL);
}

static gpointer
publish_run (gpointer data)
{
  Feed *feed = data;
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (feed->setup, NULL, 12, 3, 77, 1000);
  DqmSimMessage message;
  sigset_t alarm_only;

  /* The signals are for the receiving thread. */
  sigemptyset (&alarm_only);
  sigaddset (&alarm_only, SIGALRM);
  pthread_sigmask (SIG_BLOCK, &alarm_only, NULL);
  g_assert_true (dqm_publisher_wait_subscriber (feed->publisher, 10000));
  while (dqm_sim_run_next (run, &message))
    {
      g_mutex_lock (&feed->lock);
      g_ptr_array_add (feed->sent, g_bytes_new (message.body->data, message.body->len));
      g_mutex_unlock (&feed->lock);
      g_assert_true (dqm_publisher_send (feed->publisher, message.topic, message.body->data, message.body->len, NULL));
      if (message.type == DQM_MSG_EOS && message.spill == feed->restart_after_spill)
        {
          g_clear_pointer (&feed->publisher, dqm_publisher_free);
          g_usleep (300000);
          feed->publisher = dqm_publisher_new (feed->endpoint, NULL);
          g_assert_nonnull (feed->publisher);
          /* The subscriber comes back on its own; wait for it so that this
           * test can demand that nothing after the restart is lost. */
          g_assert_true (dqm_publisher_wait_subscriber (feed->publisher, 10000));
        }
    }
  return NULL;
}

/* Receives until the eor, checking each message against what was sent. */
static void
receive_run (DqmSubscriber *subscriber, Feed *feed, GThread *thread)
{
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) again = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + RECEIVE_DEADLINE_US;
  guint received = 0;
  gboolean done = FALSE;

  while (!done)
    {
      g_autoptr(GError) error = NULL;
      DqmMessage message;
      DqmReceiveStatus status = dqm_subscriber_receive (subscriber, 100, &message, storage, NULL, NULL, &error);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_no_error (error);
      g_assert_cmpint (status, !=, DQM_RECEIVE_BAD);
      if (status != DQM_RECEIVE_MESSAGE)
        continue;
      dqm_stream_encode (&message, again);
      {
        g_autoptr(GBytes) sent = NULL;

        /* Each body is kept before it is sent. */
        g_mutex_lock (&feed->lock);
        g_assert_cmpuint (received, <, feed->sent->len);
        sent = g_bytes_ref (feed->sent->pdata[received]);
        g_mutex_unlock (&feed->lock);
        g_assert_cmpmem (again->data, again->len, g_bytes_get_data (sent, NULL), g_bytes_get_size (sent));
      }
      received++;
      done = message.type == DQM_MSG_EOR;
    }
  g_thread_join (thread);
  g_assert_cmpuint (received, ==, feed->sent->len);
}

static void
check_every_message (const char *endpoint, gboolean interrupted)
{
  Feed feed = { .setup = short_run_setup (), .interrupted = interrupted };
  struct itimerval every_100_us = { { 0, 100 }, { 0, 100 } }, off = { { 0, 0 }, { 0, 0 } };
  struct sigaction action = { .sa_handler = on_alarm }; /* no SA_RESTART: calls are cut */
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmSubscriber) subscriber = NULL;
  const DqmStreamCounters *counters;
  GThread *thread;
  guint events = 0;

  feed.publisher = dqm_publisher_new (endpoint, &error);
  g_assert_no_error (error);
  feed.sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_mutex_init (&feed.lock);
  subscriber = dqm_subscriber_new (dqm_publisher_get_endpoint (feed.publisher), 5, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("publisher", publish_run, &feed);
  if (interrupted)
    {
      sigaction (SIGALRM, &action, NULL);
      setitimer (ITIMER_REAL, &every_100_us, NULL);
    }
  receive_run (subscriber, &feed, thread);
  if (interrupted)
    {
      setitimer (ITIMER_REAL, &off, NULL);
      g_test_message ("%d signals during the run", (int) alarms);
      g_assert_cmpint (alarms, >, 100);
    }

  counters = &dqm_subscriber_get_stream_counter (subscriber)->counters;
  for (guint i = 0; i < feed.sent->len; i++)
    events += ((const guint8 *) g_bytes_get_data (feed.sent->pdata[i], NULL))[6] == DQM_MSG_EVT;
  g_assert_cmpuint (events, >, 1000);
  g_assert_cmpuint (counters->messages, ==, feed.sent->len);
  g_assert_cmpuint (counters->by_type[DQM_MSG_EVT], ==, events);
  g_assert_cmpuint (counters->by_type[DQM_MSG_SOS], ==, 3);
  g_assert_cmpuint (counters->by_type[DQM_MSG_EOS], ==, 3);
  g_assert_cmpuint (counters->bad, ==, 0);
  g_assert_cmpuint (counters->lost_events, ==, 0);
  g_assert_true (dqm_subscriber_is_connected (subscriber));
  g_assert_false (dqm_subscriber_get_stream_counter (subscriber)->run_open);

  dqm_publisher_free (feed.publisher);
  g_ptr_array_unref (feed.sent);
  g_mutex_clear (&feed.lock);
  dqm_setup_free (feed.setup);
}

static void
test_tcp (void)
{
  check_every_message ("tcp://127.0.0.1:*", FALSE);
}

static void
test_ipc (void)
{
  g_autofree char *endpoint = g_strdup_printf ("ipc:///tmp/na64dqm-test-%d.ipc", (int) getpid ());

  check_every_message (endpoint, FALSE);
}

/* Signals arriving all the time (every 100 µs) cut the receiver's calls:
 * no message may be lost or counted bad because of them. */
static void
test_signals (void)
{
  check_every_message ("tcp://127.0.0.1:*", TRUE);
}

static void
test_publisher_restart (void)
{
  Feed feed = { .setup = short_run_setup (), .restart_after_spill = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmSubscriber) subscriber = NULL;
  GThread *thread;

  feed.publisher = dqm_publisher_new ("tcp://127.0.0.1:*", &error);
  g_assert_no_error (error);
  feed.endpoint = g_strdup (dqm_publisher_get_endpoint (feed.publisher));
  feed.sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_mutex_init (&feed.lock);
  subscriber = dqm_subscriber_new (feed.endpoint, 5, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("publisher", publish_run, &feed);
  receive_run (subscriber, &feed, thread);

  g_assert_cmpuint (dqm_subscriber_get_disconnects (subscriber), >=, 1);
  g_assert_true (dqm_subscriber_is_connected (subscriber));
  g_assert_cmpuint (dqm_subscriber_get_stream_counter (subscriber)->counters.bad, ==, 0);
  g_assert_cmpuint (dqm_subscriber_get_stream_counter (subscriber)->counters.lost_events, ==, 0);
  dqm_publisher_free (feed.publisher);
  g_ptr_array_unref (feed.sent);
  g_mutex_clear (&feed.lock);
  dqm_setup_free (feed.setup);
  g_free (feed.endpoint);
}

static void
send_frames (void *socket, const char *const *frames, const gsize *sizes, guint n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (zmq_send (socket, frames[i], sizes[i], i + 1 < n ? ZMQ_SNDMORE : 0), ==, (int) sizes[i]);
}

static void
wait_for_subscription (void *xpub)
{
  char buffer[16];

  g_assert_cmpint (zmq_recv (xpub, buffer, sizeof buffer, 0), >, 0);
}

/* Bad messages are counted by reason; the good ones around them still arrive. */
static void
test_bad_messages (void)
{
  void *xpub = zmq_socket (dqm_zmq_context (), ZMQ_XPUB);
  char endpoint[256];
  size_t size = sizeof endpoint;
  g_autoptr(DqmSubscriber) subscriber = NULL;
  g_autoptr(GByteArray) hbt = g_byte_array_new ();
  g_autoptr(GByteArray) bad_magic = g_byte_array_new ();
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmMessage message = { .type = DQM_MSG_HBT, .run = 3 };
  const DqmStreamCounters *counters;
  guint good = 0, bad = 0;

  g_assert_cmpint (zmq_bind (xpub, "tcp://127.0.0.1:*"), ==, 0);
  zmq_getsockopt (xpub, ZMQ_LAST_ENDPOINT, endpoint, &size);
  subscriber = dqm_subscriber_new (endpoint, 5, NULL);
  wait_for_subscription (xpub);
  dqm_stream_encode (&message, hbt);
  g_byte_array_append (bad_magic, hbt->data, hbt->len);
  bad_magic->data[0] = 'M';
  {
    const char *three[] = { "hbt", (const char *) hbt->data, "extra" };
    const gsize three_sizes[] = { 3, hbt->len, 5 };
    const char *one[] = { "sor-only-one-frame" };
    const gsize one_sizes[] = { 18 };
    const char *long_topic[] = { "hbtx", (const char *) hbt->data };
    const gsize long_topic_sizes[] = { 4, hbt->len };
    const char *mismatch[] = { "eos", (const char *) hbt->data };
    const char *magic[] = { "hbt", (const char *) bad_magic->data };
    const char *fine[] = { "hbt", (const char *) hbt->data };
    const gsize pair_sizes[] = { 3, hbt->len };

    send_frames (xpub, fine, pair_sizes, 2);
    send_frames (xpub, three, three_sizes, 3);
    send_frames (xpub, one, one_sizes, 1);
    send_frames (xpub, long_topic, long_topic_sizes, 2);
    send_frames (xpub, mismatch, pair_sizes, 2);
    send_frames (xpub, magic, pair_sizes, 2);
    send_frames (xpub, fine, pair_sizes, 2);
  }
  while (good + bad < 7)
    {
      g_autoptr(GError) error = NULL;
      DqmReceiveStatus status = dqm_subscriber_receive (subscriber, 2000, &message, storage, NULL, NULL, &error);

      g_assert_cmpint (status, !=, DQM_RECEIVE_TIMEOUT);
      if (status == DQM_RECEIVE_BAD)
        {
          g_assert_nonnull (error);
          bad++;
        }
      else
        good++;
    }
  counters = &dqm_subscriber_get_stream_counter (subscriber)->counters;
  g_assert_cmpuint (good, ==, 2);
  g_assert_cmpuint (counters->bad, ==, 5);
  g_assert_cmpuint (counters->bad_by_reason[DQM_STREAM_ERROR_FRAMES], ==, 2);
  g_assert_cmpuint (counters->bad_by_reason[DQM_STREAM_ERROR_TOPIC], ==, 2);
  g_assert_cmpuint (counters->bad_by_reason[DQM_STREAM_ERROR_MAGIC], ==, 1);
  g_assert_cmpuint (counters->messages, ==, 7);
  g_assert_cmpstr (dqm_subscriber_get_stream_counter (subscriber)->last_error, ==, "header: magic is not “N64S”");
  zmq_close (xpub);
}

static void
test_stall (void)
{
  g_autoptr(DqmPublisher) publisher = dqm_publisher_new ("tcp://127.0.0.1:*", NULL);
  g_autoptr(DqmSubscriber) subscriber = dqm_subscriber_new (dqm_publisher_get_endpoint (publisher), 0.3, NULL);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmMessage message = { .type = DQM_MSG_SOR, .run = 2, .sor = { .beam = DQM_BEAM_ELECTRON } };
  guint stalled = 0;
  gint64 until;

  g_assert_true (dqm_publisher_wait_subscriber (publisher, 5000));
  dqm_stream_encode (&message, body);
  g_assert_true (dqm_publisher_send (publisher, "sor", body->data, body->len, NULL));
  g_assert_cmpint (dqm_subscriber_receive (subscriber, 2000, &message, storage, NULL, NULL, NULL), ==, DQM_RECEIVE_MESSAGE);
  until = g_get_monotonic_time () + 800000;
  while (g_get_monotonic_time () < until)
    stalled += dqm_subscriber_receive (subscriber, 50, &message, storage, NULL, NULL, NULL) == DQM_RECEIVE_STALLED;
  g_assert_cmpuint (stalled, ==, 1);
  g_assert_cmpint (dqm_subscriber_get_stream_counter (subscriber)->state, ==, DQM_STREAM_STATE_STALLED);

  message = (DqmMessage) { .type = DQM_MSG_HBT, .run = 2 };
  dqm_stream_encode (&message, body);
  g_assert_true (dqm_publisher_send (publisher, "hbt", body->data, body->len, NULL));
  g_assert_cmpint (dqm_subscriber_receive (subscriber, 2000, &message, storage, NULL, NULL, NULL), ==, DQM_RECEIVE_MESSAGE);
  g_assert_cmpint (dqm_subscriber_get_stream_counter (subscriber)->state, ==, DQM_STREAM_STATE_RUNNING);
  g_assert_cmpuint (dqm_subscriber_get_stream_counter (subscriber)->counters.stalls, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/transport/tcp/every-message-in-order", test_tcp);
  g_test_add_func ("/transport/ipc/every-message-in-order", test_ipc);
  g_test_add_func ("/transport/tcp/every-message-under-signals", test_signals);
  g_test_add_func ("/transport/tcp/publisher-restart", test_publisher_restart);
  g_test_add_func ("/transport/bad-messages", test_bad_messages);
  g_test_add_func ("/transport/stall", test_stall);
  return g_test_run ();
}
