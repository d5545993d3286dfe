/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A ZeroMQ or file source of decoded stream-v1 messages. */
#include "dqm-source.h"

#include "dqm-file.h"

struct _DqmSource {
  DqmSubscriber *subscriber;
  DqmFileReader *reader;
  DqmStreamCounter file_counter;
  char *name;
};

DqmSource *
dqm_source_new_zmq (const char *endpoint, double stall_seconds, GError **error)
{
  DqmSubscriber *subscriber = dqm_subscriber_new (endpoint, stall_seconds, error);
  DqmSource *source;

  if (subscriber == NULL)
    return NULL;
  source = g_new0 (DqmSource, 1);
  source->subscriber = subscriber;
  source->name = g_strdup (endpoint);
  return source;
}

DqmSource *
dqm_source_new_file (const char *path, GError **error)
{
  DqmFileReader *reader = dqm_file_reader_open (path, error);
  DqmSource *source;

  if (reader == NULL)
    return NULL;
  source = g_new0 (DqmSource, 1);
  source->reader = reader;
  source->name = g_strdup (path);
  /* Never asked about stalls: a file's time is not wall time. */
  dqm_stream_counter_init (&source->file_counter, DQM_DEFAULT_STALL_SECONDS);
  return source;
}

static DqmReceiveStatus
next_from_file (DqmSource      *source,
                DqmMessage     *message,
                DqmEvent       *event_storage,
                DqmRunChanges  *flags,
                GByteArray     *raw_body,
                GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  const guint8 *body;
  gsize length;
  gint64 now = g_get_monotonic_time ();

  switch (dqm_file_reader_next (source->reader, &body, &length, &local_error))
    {
    case DQM_FILE_END:
      return DQM_RECEIVE_END;
    case DQM_FILE_DAMAGED:
      {
        GError *damage = g_error_new_literal (DQM_STREAM_ERROR, DQM_STREAM_ERROR_FILE_DAMAGE, local_error->message);

        dqm_stream_counter_reject (&source->file_counter, damage, 0, now);
        g_propagate_error (error, damage);
        return DQM_RECEIVE_BAD;
      }
    case DQM_FILE_BODY:
    default:
      break;
    }
  if (!dqm_stream_decode (body, length, message, event_storage, &local_error))
    {
      dqm_stream_counter_reject (&source->file_counter, local_error, length, now);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return DQM_RECEIVE_BAD;
    }
  if (!dqm_stream_counter_accept (&source->file_counter, message, length, now, flags, error))
    return DQM_RECEIVE_BAD;
  if (raw_body)
    {
      g_byte_array_set_size (raw_body, 0);
      g_byte_array_append (raw_body, body, length);
    }
  return DQM_RECEIVE_MESSAGE;
}

DqmReceiveStatus
dqm_source_next (DqmSource *source, int timeout_ms, DqmMessage *message, DqmEvent *event_storage,
                 DqmRunChanges *flags, GByteArray *raw_body, GError **error)
{
  g_return_val_if_fail (source != NULL, 0);

  if (flags)
    *flags = 0;
  if (source->subscriber)
    return dqm_subscriber_receive (source->subscriber, timeout_ms, message, event_storage, flags, raw_body, error);
  return next_from_file (source, message, event_storage, flags, raw_body, error);
}

const DqmStreamCounter *
dqm_source_get_stream_counter (DqmSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);

  return source->subscriber ? dqm_subscriber_get_stream_counter (source->subscriber) : &source->file_counter;
}

const char *
dqm_source_get_name (DqmSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);

  return source->name;
}

gboolean
dqm_source_is_file (DqmSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);

  return source->reader != NULL;
}

gboolean
dqm_source_is_connected (DqmSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);

  return source->subscriber && dqm_subscriber_is_connected (source->subscriber);
}

void
dqm_source_free (DqmSource *source)
{
  if (source == NULL)
    return;
  dqm_subscriber_free (source->subscriber);
  dqm_file_reader_free (source->reader);
  g_free (source->name);
  g_free (source);
}
