/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ZMQ_XPUB publisher and ZMQ_SUB subscriber for stream-v1. */
#include "dqm-zmq.h"

#include <errno.h>
#include <string.h>

#include <zmq.h>

#include "dqm-error.h"

struct _DqmPublisher {
  void *socket;
  char *endpoint;
  gboolean subscribed;
  guint sends_since_drain;
};

struct _DqmSubscriber {
  void *socket;
  void *monitor;
  char *endpoint;
  gboolean connected;
  guint64 disconnects;
  DqmStreamCounter counter;
};

void *
dqm_zmq_context (void)
{
  static gsize context;

  if (g_once_init_enter (&context))
    g_once_init_leave (&context, (gsize) zmq_ctx_new ());
  return (void *) context;
}

void
dqm_zmq_shutdown (void)
{
  zmq_ctx_term (dqm_zmq_context ());
}

static gboolean
zmq_fail (GError **error, const char *endpoint, const char *what)
{
  g_set_error (error, DQM_ERROR, DQM_ERROR_TRANSPORT, "%s: %s: %s", endpoint, what, zmq_strerror (zmq_errno ()));
  return FALSE;
}

static void
set_int (void *socket, int option, int value)
{
  zmq_setsockopt (socket, option, &value, sizeof value);
}

/* --- publisher ---------------------------------------------------------- */

DqmPublisher *
dqm_publisher_new (const char *endpoint, GError **error)
{
  void *socket = zmq_socket (dqm_zmq_context (), ZMQ_XPUB);
  DqmPublisher *publisher;

  if (socket == NULL)
    {
      zmq_fail (error, endpoint, "cannot create a socket");
      return NULL;
    }
  set_int (socket, ZMQ_SNDHWM, DQM_DEFAULT_HWM);
  /* Let the last messages (eos, eor) go out when we close. */
  set_int (socket, ZMQ_LINGER, 2000);
  if (zmq_bind (socket, endpoint) != 0)
    {
      zmq_fail (error, endpoint, "cannot bind");
      zmq_close (socket);
      return NULL;
    }
  publisher = g_new0 (DqmPublisher, 1);
  publisher->socket = socket;
  {
    char bound[256];
    size_t size = sizeof bound;

    publisher->endpoint = g_strdup (zmq_getsockopt (socket, ZMQ_LAST_ENDPOINT, bound, &size) == 0 ? bound : endpoint);
  }
  return publisher;
}

/* XPUB hands us subscription messages; read them so they do not pile up. */
static void
drain_subscriptions (DqmPublisher *publisher)
{
  guint8 buffer[64];
  int n;

  while ((n = zmq_recv (publisher->socket, buffer, sizeof buffer, ZMQ_DONTWAIT)) >= 0)
    if (n > 0 && buffer[0] == 1)
      publisher->subscribed = TRUE;
}

gboolean
dqm_publisher_wait_subscriber (DqmPublisher *publisher, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (publisher != NULL, FALSE);

  while (!publisher->subscribed)
    {
      zmq_pollitem_t item = { publisher->socket, 0, ZMQ_POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;

      if (left_ms <= 0)
        return FALSE;
      if (zmq_poll (&item, 1, (long) left_ms) > 0)
        drain_subscriptions (publisher);
    }
  return TRUE;
}

gboolean
dqm_publisher_send (DqmPublisher *publisher, const char *topic, const guint8 *body, gsize length,
                    GError **error)
{
  g_return_val_if_fail (publisher != NULL, FALSE);

  if (++publisher->sends_since_drain >= 256)
    {
      publisher->sends_since_drain = 0;
      drain_subscriptions (publisher);
    }
  if (zmq_send (publisher->socket, topic, strlen (topic), ZMQ_SNDMORE) < 0
      || zmq_send (publisher->socket, body, length, 0) < 0)
    return zmq_fail (error, publisher->endpoint, "cannot send");
  return TRUE;
}

const char *
dqm_publisher_get_endpoint (DqmPublisher *publisher)
{
  g_return_val_if_fail (publisher != NULL, NULL);

  return publisher->endpoint;
}

void
dqm_publisher_free (DqmPublisher *publisher)
{
  if (publisher == NULL)
    return;
  zmq_close (publisher->socket);
  g_free (publisher->endpoint);
  g_free (publisher);
}

/* --- subscriber --------------------------------------------------------- */

DqmSubscriber *
dqm_subscriber_new (const char *endpoint, double stall_seconds, GError **error)
{
  static gint monitors;
  static const char *const topics[] = { "evt", "sor", "eor", "sos", "eos", "hbt" };
  g_autofree char *monitor_endpoint = g_strdup_printf ("inproc://dqm-subscriber-monitor-%d",
                                                       g_atomic_int_add (&monitors, 1));
  void *socket = zmq_socket (dqm_zmq_context (), ZMQ_SUB);
  DqmSubscriber *subscriber;

  if (socket == NULL)
    {
      zmq_fail (error, endpoint, "cannot create a socket");
      return NULL;
    }
  set_int (socket, ZMQ_RCVHWM, DQM_DEFAULT_HWM);
  set_int (socket, ZMQ_LINGER, 0);
  set_int (socket, ZMQ_RECONNECT_IVL, 100);
  set_int (socket, ZMQ_RECONNECT_IVL_MAX, 2000);
  set_int (socket, ZMQ_TCP_KEEPALIVE, 1);
  /* A body is at most ~106 kB; anything far larger is hostile. */
  {
    gint64 max_size = 4 * DQM_MAX_BODY_SIZE;
    zmq_setsockopt (socket, ZMQ_MAXMSGSIZE, &max_size, sizeof max_size);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (topics); i++)
    zmq_setsockopt (socket, ZMQ_SUBSCRIBE, topics[i], 3);
  if (zmq_socket_monitor (socket, monitor_endpoint, ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED) != 0
      || zmq_connect (socket, endpoint) != 0)
    {
      zmq_fail (error, endpoint, "cannot connect");
      zmq_close (socket);
      return NULL;
    }
  subscriber = g_new0 (DqmSubscriber, 1);
  subscriber->socket = socket;
  subscriber->endpoint = g_strdup (endpoint);
  subscriber->monitor = zmq_socket (dqm_zmq_context (), ZMQ_PAIR);
  set_int (subscriber->monitor, ZMQ_LINGER, 0);
  zmq_connect (subscriber->monitor, monitor_endpoint);
  dqm_stream_counter_init (&subscriber->counter, stall_seconds);
  return subscriber;
}

static void
read_monitor (DqmSubscriber *subscriber)
{
  zmq_msg_t frame;

  zmq_msg_init (&frame);
  while (zmq_msg_recv (&frame, subscriber->monitor, ZMQ_DONTWAIT) >= 0)
    {
      /* First frame: u16 event, u32 value; second frame: the address. */
      if (zmq_msg_size (&frame) == 6)
        {
          guint16 event;

          memcpy (&event, zmq_msg_data (&frame), sizeof event);
          if (event == ZMQ_EVENT_CONNECTED)
            subscriber->connected = TRUE;
          else if (event == ZMQ_EVENT_DISCONNECTED && subscriber->connected)
            {
              subscriber->connected = FALSE;
              subscriber->disconnects++;
            }
        }
    }
  zmq_msg_close (&frame);
}

DqmReceiveStatus
dqm_subscriber_receive (DqmSubscriber *subscriber, int timeout_ms, DqmMessage *message,
                        DqmEvent *event_storage, DqmRunChanges *flags, GByteArray *raw_body, GError **error)
{
  g_return_val_if_fail (subscriber != NULL, 0);

  zmq_pollitem_t items[2] = {
    { subscriber->socket, 0, ZMQ_POLLIN, 0 },
    { subscriber->monitor, 0, ZMQ_POLLIN, 0 },
  };
  zmq_msg_t frames[2];
  guint n_frames = 0, extra_bytes = 0;
  int more = 1;
  size_t more_size = sizeof more;
  gint64 now;
  gboolean ok;
  g_autoptr(GError) local_error = NULL;

  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (flags)
    *flags = 0;
  /* Connection events wake the poll too; they must not cut the wait short. */
  for (;;)
    {
      /* One clock reading: MAX would take two, and a negative timeout
       * makes zmq_poll wait for ever. */
      gint64 left_us = deadline - g_get_monotonic_time ();
      long left_ms = left_us > 0 ? (long) (left_us / 1000) : 0;

      if (zmq_poll (items, 2, left_ms) < 0 && zmq_errno () != EINTR)
        g_warning ("zmq_poll: %s", zmq_strerror (zmq_errno ()));
      if (items[1].revents & ZMQ_POLLIN)
        read_monitor (subscriber);
      now = g_get_monotonic_time ();
      if (items[0].revents & ZMQ_POLLIN)
        break;
      if (now >= deadline)
        return dqm_stream_counter_idle (&subscriber->counter, now) ? DQM_RECEIVE_STALLED : DQM_RECEIVE_TIMEOUT;
    }

  /* Read every frame of the message, keeping the first two. */
  while (more)
    {
      zmq_msg_t scratch, *frame = n_frames < 2 ? &frames[n_frames] : &scratch;

      int received;

      zmq_msg_init (frame);
      /* A signal may cut a frame's read short: the rest of the message is
       * still there, so read on rather than count two broken messages. */
      while ((received = zmq_msg_recv (frame, subscriber->socket, 0)) < 0 && zmq_errno () == EINTR)
        ;
      if (received < 0)
        {
          zmq_msg_close (frame);
          break;
        }
      if (frame == &scratch)
        {
          extra_bytes += zmq_msg_size (frame);
          zmq_msg_close (frame);
        }
      n_frames++;
      zmq_getsockopt (subscriber->socket, ZMQ_RCVMORE, &more, &more_size);
    }

  if (n_frames != 2)
    {
      g_set_error (&local_error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_FRAMES,
                   "message with %u frames, stream-v1 messages have 2 (topic, body)", n_frames);
      ok = FALSE;
    }
  else
    ok = dqm_stream_decode_message (zmq_msg_data (&frames[0]), zmq_msg_size (&frames[0]),
                                    zmq_msg_data (&frames[1]), zmq_msg_size (&frames[1]),
                                    message, event_storage, &local_error);
  if (ok && raw_body)
    {
      g_byte_array_set_size (raw_body, 0);
      g_byte_array_append (raw_body, zmq_msg_data (&frames[1]), zmq_msg_size (&frames[1]));
    }
  {
    gsize bytes = extra_bytes;

    for (guint i = 0; i < MIN (n_frames, 2u); i++)
      {
        bytes += zmq_msg_size (&frames[i]);
        zmq_msg_close (&frames[i]);
      }
    if (ok)
      ok = dqm_stream_counter_accept (&subscriber->counter, message, bytes, now, flags, &local_error);
    else
      dqm_stream_counter_reject (&subscriber->counter, local_error, bytes, now);
    if (!ok)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return DQM_RECEIVE_BAD;
      }
  }
  return DQM_RECEIVE_MESSAGE;
}

const DqmStreamCounter *
dqm_subscriber_get_stream_counter (DqmSubscriber *subscriber)
{
  g_return_val_if_fail (subscriber != NULL, NULL);

  return &subscriber->counter;
}

const char *
dqm_subscriber_get_endpoint (DqmSubscriber *subscriber)
{
  g_return_val_if_fail (subscriber != NULL, NULL);

  return subscriber->endpoint;
}

gboolean
dqm_subscriber_is_connected (DqmSubscriber *subscriber)
{
  g_return_val_if_fail (subscriber != NULL, FALSE);

  return subscriber->connected;
}

guint64
dqm_subscriber_get_disconnects (DqmSubscriber *subscriber)
{
  g_return_val_if_fail (subscriber != NULL, 0);

  return subscriber->disconnects;
}

void
dqm_subscriber_free (DqmSubscriber *subscriber)
{
  if (subscriber == NULL)
    return;
  zmq_socket_monitor (subscriber->socket, NULL, 0);
  zmq_close (subscriber->monitor);
  zmq_close (subscriber->socket);
  g_free (subscriber->endpoint);
  g_free (subscriber);
}
