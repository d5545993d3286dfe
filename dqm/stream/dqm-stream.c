/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stream-v1 bodies to and from DqmMessage, one rule of the spec at a time. */
#include "dqm-stream.h"
#include "dqm-stream-private.h"

#include <string.h>

#include "dqm-channel.h"

G_DEFINE_QUARK (dqm-stream-error-quark, dqm_stream_error)

static const char *const topics[DQM_N_MSG_TYPES] = {
  NULL, "evt", "sor", "eor", "sos", "eos", "hbt",
};

guint64
dqm_message_time_ns (const DqmMessage *m)
{
  g_return_val_if_fail (m != NULL, 0);

  switch (m->type)
    {
    case DQM_MSG_EVT: return m->evt->time_ns;
    case DQM_MSG_SOR: return m->sor.time_ns;
    case DQM_MSG_SOS: return m->sos.time_ns;
    case DQM_MSG_EOS: return m->eos.time_ns;
    case DQM_MSG_EOR:
    case DQM_MSG_HBT:
    default: return m->eor.time_ns;
    }
}

const char *
dqm_stream_error_name (DqmStreamError code)
{
  static const char *const names[DQM_STREAM_N_ERRORS] = {
    "frame count", "topic", "short body", "magic", "version", "type", "size",
    "run number", "reserved field", "field range", "tag not UTF-8",
    "event_id order", "file damage", "event_id jump", "spill order", "time order",
  };
  return code < DQM_STREAM_N_ERRORS ? names[code] : "unknown";
}

const char *
dqm_drop_reason_name (DqmDropReason reason)
{
  static const char *const names[DQM_N_DROP_REASONS] = {
    "unknown channel", "duplicate channel", "sample > 4095",
    "SADC flags", "strip hit out of range",
  };
  return reason < DQM_N_DROP_REASONS ? names[reason] : "unknown";
}

const char *
dqm_msg_type_topic (DqmMsgType type)
{
  return type >= DQM_MSG_EVT && type <= DQM_MSG_HBT ? topics[type] : "???";
}

DqmMsgType
dqm_msg_type_from_topic (const void *topic, gsize length)
{
  if (length != 3)
    return 0;
  for (int t = DQM_MSG_EVT; t <= DQM_MSG_HBT; t++)
    if (memcmp (topic, topics[t], 3) == 0)
      return t;
  return 0;
}

gsize
dqm_stream_event_size (guint n_sadc, guint n_samples, guint n_hits)
{
  return DQM_EVT_FIXED_SIZE + (gsize) n_sadc * (DQM_SADC_HEADER_SIZE + 2 * n_samples)
         + (gsize) n_hits * DQM_HIT_SIZE;
}

static inline guint16
get_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static inline guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static inline guint64
get_u64 (const guint8 *p)
{
  return (guint64) get_u32 (p) | ((guint64) get_u32 (p + 4) << 32);
}

static gboolean
fail (GError **error, DqmStreamError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, DqmStreamError code, const char *format, ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (DQM_STREAM_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

gboolean
dqm_stream_peek_header (const guint8 *body, gsize length, DqmMsgType *type,
                        guint32 *size, GError **error)
{
  guint version, t;

  if (length < DQM_HEADER_SIZE)
    return fail (error, DQM_STREAM_ERROR_SHORT,
                 "body of %" G_GSIZE_FORMAT " bytes is shorter than the 16-byte header", length);
  if (memcmp (body, "N64S", 4) != 0)
    return fail (error, DQM_STREAM_ERROR_MAGIC, "header: magic is not “N64S”");
  version = get_u16 (body + 4);
  if (version != DQM_STREAM_VERSION)
    return fail (error, DQM_STREAM_ERROR_VERSION, "header: version %u, only version 1 is understood", version);
  t = get_u16 (body + 6);
  if (t < DQM_MSG_EVT || t > DQM_MSG_HBT)
    return fail (error, DQM_STREAM_ERROR_TYPE, "header: type %u is not 1…6", t);
  if (type)
    *type = t;
  if (size)
    *size = get_u32 (body + 8);
  return TRUE;
}

static gboolean
expect_size (const char *topic, gsize length, gsize expected, GError **error)
{
  if (length != expected)
    return fail (error, DQM_STREAM_ERROR_SIZE, "%s: size %" G_GSIZE_FORMAT " is not the %" G_GSIZE_FORMAT
                 " bytes the spec fixes", topic, length, expected);
  return TRUE;
}

static gboolean
expect_zero (const char *topic, const char *field, guint64 value, GError **error)
{
  if (value != 0)
    return fail (error, DQM_STREAM_ERROR_RESERVED, "%s: reserved field %s is %" G_GUINT64_FORMAT ", must be 0",
                 topic, field, value);
  return TRUE;
}

static gboolean
expect_spill (const char *topic, guint32 spill, GError **error)
{
  if (spill == 0)
    return fail (error, DQM_STREAM_ERROR_FIELD, "%s: spill 0, spills count from 1", topic);
  return TRUE;
}

/* Records and hits that break a rule are dropped one by one (the spec keeps
 * the rest of the event); everything else is the message's fault. */
static void
decode_payload (const guint8 *p, guint n_sadc, guint n_hits, DqmEvent *event)
{
  guint32 seen[(DQM_CHANNEL_LIMIT + 31) / 32] = { 0 };
  guint n_samples = event->n_samples;

  event->n_sadc = 0;
  for (guint i = 0; i < n_sadc; i++, p += DQM_SADC_HEADER_SIZE + 2 * n_samples)
    {
      DqmSadcRecord *record = &event->sadc[event->n_sadc];
      guint channel = get_u16 (p);
      guint flags = get_u16 (p + 2);
      guint16 highest = 0;

      if (!dqm_channel_lookup (channel, NULL))
        {
          event->dropped[DQM_DROP_UNKNOWN_CHANNEL]++;
          continue;
        }
      if (seen[channel / 32] & (1u << (channel % 32)))
        {
          event->dropped[DQM_DROP_DUPLICATE_CHANNEL]++;
          continue;
        }
      seen[channel / 32] |= 1u << (channel % 32);
      if (flags & ~DQM_SADC_FLAG_OVERFLOW)
        {
          event->dropped[DQM_DROP_FLAGS]++;
          continue;
        }
      /* Little-endian on the wire: a copy (swapped on a big-endian host),
       * then a scan the compiler vectorises. */
      memcpy (record->samples, p + DQM_SADC_HEADER_SIZE, 2 * n_samples);
      for (guint s = 0; s < n_samples; s++)
        {
          record->samples[s] = GUINT16_FROM_LE (record->samples[s]);
          highest = MAX (highest, record->samples[s]);
        }
      if (highest > DQM_SAMPLE_MAX)
        {
          event->dropped[DQM_DROP_SAMPLE_RANGE]++;
          continue;
        }
      record->channel = channel;
      record->flags = flags;
      event->n_sadc++;
    }

  event->n_hits = 0;
  for (guint i = 0; i < n_hits; i++, p += DQM_HIT_SIZE)
    {
      DqmStripHit *hit = &event->hits[event->n_hits];

      hit->plane = get_u16 (p);
      hit->strip = get_u16 (p + 2);
      for (guint k = 0; k < 3; k++)
        hit->amp[k] = get_u16 (p + 4 + 2 * k);
      if (hit->plane >= DQM_TRACKER_PLANES || hit->strip >= DQM_STRIPS_PER_PLANE
          || MAX (hit->amp[0], MAX (hit->amp[1], hit->amp[2])) > DQM_SAMPLE_MAX)
        {
          event->dropped[DQM_DROP_HIT_RANGE]++;
          continue;
        }
      event->n_hits++;
    }
}

static gboolean
decode_event (const guint8 *body, gsize length, DqmEvent *event, GError **error)
{
  guint n_sadc, n_samples, n_hits, reserved;
  gsize expected;

  if (length < DQM_EVT_FIXED_SIZE)
    return fail (error, DQM_STREAM_ERROR_SIZE, "evt: size %" G_GSIZE_FORMAT " is below the 52-byte fixed part", length);

  n_sadc = get_u16 (body + 44);
  n_samples = get_u16 (body + 46);
  n_hits = get_u16 (body + 48);
  reserved = get_u16 (body + 50);
  if (n_sadc > DQM_MAX_SADC)
    return fail (error, DQM_STREAM_ERROR_FIELD, "evt: n_sadc %u exceeds 512", n_sadc);
  if (n_samples < DQM_MIN_SAMPLES || n_samples > DQM_MAX_SAMPLES)
    return fail (error, DQM_STREAM_ERROR_FIELD, "evt: n_samples %u is not within 8…64", n_samples);
  if (n_hits > DQM_MAX_HITS)
    return fail (error, DQM_STREAM_ERROR_FIELD, "evt: n_hits %u exceeds 4096", n_hits);
  expected = dqm_stream_event_size (n_sadc, n_samples, n_hits);
  if (length != expected)
    return fail (error, DQM_STREAM_ERROR_SIZE,
                 "evt: size %" G_GSIZE_FORMAT " does not match 52 + %u×%u + 10×%u",
                 length, n_sadc, DQM_SADC_HEADER_SIZE + 2 * n_samples, n_hits);
  if (!expect_zero ("evt", "at offset 50", reserved, error))
    return FALSE;

  event->spill = get_u32 (body + 16);
  event->event_in_spill = get_u32 (body + 20);
  event->event_id = get_u64 (body + 24);
  event->time_ns = get_u64 (body + 32);
  event->trigger = get_u32 (body + 40);
  event->n_samples = n_samples;
  if (!expect_spill ("evt", event->spill, error))
    return FALSE;
  if (event->event_in_spill == 0)
    return fail (error, DQM_STREAM_ERROR_FIELD, "evt: event_in_spill 0, events count from 1");
  if (event->trigger & ~DQM_TRIGGER_ALL)
    return fail (error, DQM_STREAM_ERROR_RESERVED, "evt: trigger 0x%x sets bits above bit 3", event->trigger);

  memset (event->dropped, 0, sizeof event->dropped);
  decode_payload (body + DQM_EVT_FIXED_SIZE, n_sadc, n_hits, event);
  return TRUE;
}

static gboolean
decode_sor (const guint8 *body, gsize length, DqmSor *sor, GError **error)
{
  guint tag_len, beam;

  if (length < DQM_SOR_FIXED_SIZE)
    return fail (error, DQM_STREAM_ERROR_SIZE, "sor: size %" G_GSIZE_FORMAT " is below the 30-byte fixed part", length);
  tag_len = get_u16 (body + 28);
  if (tag_len > DQM_MAX_TAG)
    return fail (error, DQM_STREAM_ERROR_FIELD, "sor: tag_len %u exceeds 255", tag_len);
  if (length != DQM_SOR_FIXED_SIZE + tag_len)
    return fail (error, DQM_STREAM_ERROR_SIZE, "sor: size %" G_GSIZE_FORMAT " does not match 30 + tag_len %u",
                 length, tag_len);
  if (!expect_zero ("sor", "at offset 25", body[25], error))
    return FALSE;
  beam = body[24];
  if (beam < DQM_BEAM_ELECTRON || beam > DQM_BEAM_HADRON)
    return fail (error, DQM_STREAM_ERROR_FIELD, "sor: beam %u is not 1…4", beam);
  if (!g_utf8_validate_len ((const char *) body + 30, tag_len, NULL) || memchr (body + 30, 0, tag_len))
    return fail (error, DQM_STREAM_ERROR_UTF8, "sor: tag is not UTF-8 text");

  sor->time_ns = get_u64 (body + 16);
  sor->beam = beam;
  sor->beam_energy_gev = get_u16 (body + 26);
  memcpy (sor->tag, body + 30, tag_len);
  sor->tag[tag_len] = '\0';
  return TRUE;
}

gboolean
dqm_stream_decode (const guint8 *body, gsize length, DqmMessage *message,
                   DqmEvent *event_storage, GError **error)
{
  DqmMsgType type;
  guint32 size;

  g_return_val_if_fail (body != NULL || length == 0, FALSE);
  g_return_val_if_fail (message != NULL && event_storage != NULL, FALSE);

  if (!dqm_stream_peek_header (body, length, &type, &size, error))
    return FALSE;
  if (size != length)
    return fail (error, DQM_STREAM_ERROR_SIZE, "%s: size field %u but the body has %" G_GSIZE_FORMAT " bytes",
                 topics[type], size, length);

  message->type = type;
  message->run = get_u32 (body + 12);
  message->evt = NULL;
  if (message->run == 0)
    return fail (error, DQM_STREAM_ERROR_RUN, "%s: run number 0, runs count from 1", topics[type]);

  switch (type)
    {
    case DQM_MSG_EVT:
      if (!decode_event (body, length, event_storage, error))
        return FALSE;
      message->evt = event_storage;
      return TRUE;

    case DQM_MSG_SOR:
      return decode_sor (body, length, &message->sor, error);

    case DQM_MSG_EOR:
    case DQM_MSG_HBT:
      if (!expect_size (topics[type], length, DQM_EOR_SIZE, error))
        return FALSE;
      message->eor.time_ns = get_u64 (body + 16);
      message->eor.events_sent = get_u64 (body + 24);
      return TRUE;

    case DQM_MSG_SOS:
      if (!expect_size ("sos", length, DQM_SOS_SIZE, error)
          || !expect_zero ("sos", "at offset 20", get_u32 (body + 20), error))
        return FALSE;
      message->sos.spill = get_u32 (body + 16);
      message->sos.time_ns = get_u64 (body + 24);
      return expect_spill ("sos", message->sos.spill, error);

    case DQM_MSG_EOS:
      if (!expect_size ("eos", length, DQM_EOS_SIZE, error)
          || !expect_zero ("eos", "at offset 20", get_u32 (body + 20), error))
        return FALSE;
      message->eos.spill = get_u32 (body + 16);
      message->eos.time_ns = get_u64 (body + 24);
      message->eos.beam_counts = get_u64 (body + 32);
      message->eos.triggers = get_u64 (body + 40);
      message->eos.events_sent = get_u64 (body + 48);
      return expect_spill ("eos", message->eos.spill, error);

    default:
      g_assert_not_reached ();
    }
}

gboolean
dqm_stream_decode_message (const void *topic, gsize topic_length,
                           const guint8 *body, gsize length,
                           DqmMessage *message, DqmEvent *event_storage,
                           GError **error)
{
  DqmMsgType topic_type = dqm_msg_type_from_topic (topic, topic_length);

  if (topic_type == 0)
    {
      g_autofree char *raw = g_strndup (topic, MIN (topic_length, 16));
      g_autofree char *shown = g_strescape (raw, NULL);
      return fail (error, DQM_STREAM_ERROR_TOPIC, "topic “%s” is not one of evt sor eor sos eos hbt", shown);
    }
  if (!dqm_stream_decode (body, length, message, event_storage, error))
    return FALSE;
  if (message->type != topic_type)
    return fail (error, DQM_STREAM_ERROR_TOPIC, "topic “%s” carries a %s body",
                 topics[topic_type], topics[message->type]);
  return TRUE;
}

/* --- encoding --------------------------------------------------------- */

static inline void
put_u16 (guint8 *p, guint v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static inline void
put_u32 (guint8 *p, guint32 v)
{
  put_u16 (p, v & 0xffff);
  put_u16 (p + 2, v >> 16);
}

static inline void
put_u64 (guint8 *p, guint64 v)
{
  put_u32 (p, (guint32) v);
  put_u32 (p + 4, (guint32) (v >> 32));
}

static gsize
body_size (const DqmMessage *message)
{
  switch (message->type)
    {
    case DQM_MSG_EVT:
      return dqm_stream_event_size (message->evt->n_sadc, message->evt->n_samples, message->evt->n_hits);
    case DQM_MSG_SOR:
      return DQM_SOR_FIXED_SIZE + strlen (message->sor.tag);
    case DQM_MSG_EOS:
      return DQM_EOS_SIZE;
    case DQM_MSG_EOR:
    case DQM_MSG_SOS:
    case DQM_MSG_HBT:
    default:
      return DQM_EOR_SIZE;
    }
}

static void
encode_event (const DqmEvent *event, guint8 *p)
{
  put_u32 (p + 16, event->spill);
  put_u32 (p + 20, event->event_in_spill);
  put_u64 (p + 24, event->event_id);
  put_u64 (p + 32, event->time_ns);
  put_u32 (p + 40, event->trigger);
  put_u16 (p + 44, event->n_sadc);
  put_u16 (p + 46, event->n_samples);
  put_u16 (p + 48, event->n_hits);
  p += DQM_EVT_FIXED_SIZE;
  for (guint i = 0; i < event->n_sadc; i++)
    {
      const DqmSadcRecord *record = &event->sadc[i];

      put_u16 (p, record->channel);
      put_u16 (p + 2, record->flags);
      p += DQM_SADC_HEADER_SIZE;
      for (guint s = 0; s < event->n_samples; s++, p += 2)
        put_u16 (p, record->samples[s]);
    }
  for (guint i = 0; i < event->n_hits; i++, p += DQM_HIT_SIZE)
    {
      put_u16 (p, event->hits[i].plane);
      put_u16 (p + 2, event->hits[i].strip);
      for (guint k = 0; k < 3; k++)
        put_u16 (p + 4 + 2 * k, event->hits[i].amp[k]);
    }
}

void
dqm_stream_encode (const DqmMessage *message, GByteArray *out)
{
  gsize size;
  guint8 *p;

  g_return_if_fail (message != NULL && out != NULL);
  g_return_if_fail (message->type >= DQM_MSG_EVT && message->type <= DQM_MSG_HBT);
  g_return_if_fail (message->type != DQM_MSG_EVT || message->evt != NULL);
  g_return_if_fail (message->type != DQM_MSG_SOR || strlen (message->sor.tag) <= DQM_MAX_TAG);

  size = body_size (message);
  g_byte_array_set_size (out, size);
  p = out->data;
  memset (p, 0, size);
  memcpy (p, "N64S", 4);
  put_u16 (p + 4, DQM_STREAM_VERSION);
  put_u16 (p + 6, message->type);
  put_u32 (p + 8, size);
  put_u32 (p + 12, message->run);

  switch (message->type)
    {
    case DQM_MSG_EVT:
      encode_event (message->evt, p);
      break;
    case DQM_MSG_SOR:
      put_u64 (p + 16, message->sor.time_ns);
      p[24] = message->sor.beam;
      put_u16 (p + 26, message->sor.beam_energy_gev);
      put_u16 (p + 28, strlen (message->sor.tag));
      memcpy (p + 30, message->sor.tag, strlen (message->sor.tag));
      break;
    case DQM_MSG_EOR:
    case DQM_MSG_HBT:
      put_u64 (p + 16, message->eor.time_ns);
      put_u64 (p + 24, message->eor.events_sent);
      break;
    case DQM_MSG_SOS:
      put_u32 (p + 16, message->sos.spill);
      put_u64 (p + 24, message->sos.time_ns);
      break;
    case DQM_MSG_EOS:
      put_u32 (p + 16, message->eos.spill);
      put_u64 (p + 24, message->eos.time_ns);
      put_u64 (p + 32, message->eos.beam_counts);
      put_u64 (p + 40, message->eos.triggers);
      put_u64 (p + 48, message->eos.events_sent);
      break;
    default:
      g_assert_not_reached ();
    }
}
