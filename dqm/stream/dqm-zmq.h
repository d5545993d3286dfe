/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ZeroMQ transport of stream-v1: a publisher for sources (the simulator, a
 * replayed file) and a subscriber for consumers, which reconnects by itself
 * and counts everything through a DqmStreamCounter. */
#pragma once

#include <glib.h>

#include "dqm-stream-counters.h"

G_BEGIN_DECLS

#define DQM_DEFAULT_ENDPOINT "tcp://127.0.0.1:5555"
/* Messages queued per direction before PUB/SUB drop: ~3 s at the default
 * trigger rate, so a slow consumer loses events instead of lagging. */
#define DQM_DEFAULT_HWM 10000

/* One process-wide context, so inproc:// endpoints connect across threads. */
void          *dqm_zmq_context              (void);
/* At exit: lets queued messages go out (up to the linger time), then ends. */
void           dqm_zmq_shutdown             (void);

typedef struct _DqmPublisher DqmPublisher;

DqmPublisher  *dqm_publisher_new            (const char     *endpoint,
                                             GError        **error);
gboolean       dqm_publisher_send           (DqmPublisher   *publisher,
                                             const char     *topic,
                                             const guint8   *body,
                                             gsize           length,
                                             GError        **error);
/* TRUE once some subscriber has subscribed, FALSE after @timeout_ms. */
gboolean       dqm_publisher_wait_subscriber (DqmPublisher  *publisher,
                                              int            timeout_ms);
/* The bound endpoint, with the port chosen for "tcp://127.0.0.1:*". */
const char    *dqm_publisher_get_endpoint   (DqmPublisher   *publisher);
void           dqm_publisher_free           (DqmPublisher   *publisher);

typedef struct _DqmSubscriber DqmSubscriber;

typedef enum {
  DQM_RECEIVE_MESSAGE,   /* @message is filled */
  DQM_RECEIVE_BAD,       /* a bad message was counted; @error says what */
  DQM_RECEIVE_TIMEOUT,   /* nothing came */
  DQM_RECEIVE_STALLED,   /* nothing came, and the open run has just stalled */
  DQM_RECEIVE_END,       /* a file source has no more */
} DqmReceiveStatus;

DqmSubscriber *dqm_subscriber_new           (const char     *endpoint,
                                             double          stall_seconds,
                                             GError        **error);
/* @raw_body, when not NULL, receives a copy of a good message's body. */
DqmReceiveStatus dqm_subscriber_receive     (DqmSubscriber  *subscriber,
                                             int             timeout_ms,
                                             DqmMessage     *message,
                                             DqmEvent       *event_storage,
                                             DqmRunChanges  *flags,
                                             GByteArray     *raw_body,
                                             GError        **error);
const DqmStreamCounter *dqm_subscriber_get_stream_counter (DqmSubscriber *subscriber);
const char    *dqm_subscriber_get_endpoint  (DqmSubscriber  *subscriber);
gboolean       dqm_subscriber_is_connected  (DqmSubscriber  *subscriber);
guint64        dqm_subscriber_get_disconnects (DqmSubscriber *subscriber);
void           dqm_subscriber_free          (DqmSubscriber  *subscriber);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmPublisher, dqm_publisher_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSubscriber, dqm_subscriber_free)

G_END_DECLS
