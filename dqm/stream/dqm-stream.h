/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encoder and decoder of the NA64 DAQ stream, version 1
 * (shared/spec/stream-v1.md). Decoding checks every rule of the spec, never
 * reads past the body and never allocates: events land in a caller-owned
 * DqmEvent that is reused message after message. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_STREAM_VERSION      1
/* The event layout, for producers sizing and checking bodies; the other
 * messages' sizes are the codec's own (dqm-stream-private.h). */
#define DQM_HEADER_SIZE         16
#define DQM_EVT_FIXED_SIZE      52
#define DQM_SADC_HEADER_SIZE    4
#define DQM_HIT_SIZE            10
#define DQM_MAX_SADC            512
#define DQM_MIN_SAMPLES         8
#define DQM_MAX_SAMPLES         64
#define DQM_MAX_HITS            4096
#define DQM_MAX_TAG             255
#define DQM_SAMPLE_MAX          4095
#define DQM_SAMPLE_NS           12.5
#define DQM_TRACKER_STATIONS    8
#define DQM_TRACKER_PLANES      (2 * DQM_TRACKER_STATIONS)
#define DQM_STRIPS_PER_PLANE    320
#define DQM_STRIP_PITCH_MM      0.25
#define DQM_MAX_BODY_SIZE \
  (DQM_EVT_FIXED_SIZE + DQM_MAX_SADC * (DQM_SADC_HEADER_SIZE + 2 * DQM_MAX_SAMPLES) \
   + DQM_MAX_HITS * DQM_HIT_SIZE)

typedef enum {
  DQM_MSG_EVT = 1,
  DQM_MSG_SOR = 2,
  DQM_MSG_EOR = 3,
  DQM_MSG_SOS = 4,
  DQM_MSG_EOS = 5,
  DQM_MSG_HBT = 6,
} DqmMsgType;
#define DQM_N_MSG_TYPES 7 /* index 0 unused, so arrays index by type */

typedef enum {
  DQM_TRIGGER_PHYSICS = 1 << 0,
  DQM_TRIGGER_RANDOM  = 1 << 1, /* pedestal */
  DQM_TRIGGER_LED     = 1 << 2,
  DQM_TRIGGER_BEAM    = 1 << 3, /* S1·S2 only */
} DqmTrigger;
#define DQM_TRIGGER_ALL 0xfu

typedef enum {
  DQM_BEAM_ELECTRON = 1,
  DQM_BEAM_POSITRON = 2,
  DQM_BEAM_MUON     = 3,
  DQM_BEAM_HADRON   = 4,
} DqmBeam;

#define DQM_SADC_FLAG_OVERFLOW 1u

typedef struct {
  guint16 channel;
  guint16 flags;
  guint16 samples[DQM_MAX_SAMPLES];
} DqmSadcRecord;

typedef struct {
  guint16 plane;  /* 2·station + view */
  guint16 strip;
  guint16 amp[3]; /* APV samples */
} DqmStripHit;

/* Why a single SADC record or strip hit was dropped from an event that was
 * otherwise kept. */
typedef enum {
  DQM_DROP_UNKNOWN_CHANNEL,
  DQM_DROP_DUPLICATE_CHANNEL,
  DQM_DROP_SAMPLE_RANGE,
  DQM_DROP_FLAGS,
  DQM_DROP_HIT_RANGE,
  DQM_N_DROP_REASONS
} DqmDropReason;

typedef struct {
  guint32 spill;
  guint32 event_in_spill;
  guint64 event_id;
  guint64 time_ns;
  guint32 trigger;
  guint   n_samples;
  guint   n_sadc;  /* records kept */
  guint   n_hits;  /* hits kept */
  guint   dropped[DQM_N_DROP_REASONS];
  DqmSadcRecord sadc[DQM_MAX_SADC];
  DqmStripHit hits[DQM_MAX_HITS];
} DqmEvent;

typedef struct {
  guint64 time_ns;
  DqmBeam beam;
  guint   beam_energy_gev;
  char    tag[DQM_MAX_TAG + 1]; /* NUL-terminated, valid UTF-8 */
} DqmSor;

typedef struct {
  guint64 time_ns;
  guint64 events_sent;
} DqmEor, DqmHbt;

typedef struct {
  guint32 spill;
  guint64 time_ns;
} DqmSos;

typedef struct {
  guint32 spill;
  guint64 time_ns;
  guint64 beam_counts; /* S1·S2 coincidences */
  guint64 triggers;    /* physics triggers generated */
  guint64 events_sent;
} DqmEos;

typedef struct {
  DqmMsgType type;
  guint32    run;
  union {
    DqmSor sor;
    DqmEor eor;
    DqmSos sos;
    DqmEos eos;
    DqmHbt hbt;
  };
  DqmEvent  *evt; /* for DQM_MSG_EVT: the caller's storage */
} DqmMessage;

#define DQM_STREAM_ERROR (dqm_stream_error_quark ())

/* One code per kind of broken rule; also the index of the "bad messages by
 * reason" counters. */
typedef enum {
  DQM_STREAM_ERROR_FRAMES,
  DQM_STREAM_ERROR_TOPIC,
  DQM_STREAM_ERROR_SHORT,
  DQM_STREAM_ERROR_MAGIC,
  DQM_STREAM_ERROR_VERSION,
  DQM_STREAM_ERROR_TYPE,
  DQM_STREAM_ERROR_SIZE,
  DQM_STREAM_ERROR_RUN,
  DQM_STREAM_ERROR_RESERVED,
  DQM_STREAM_ERROR_FIELD,
  DQM_STREAM_ERROR_UTF8,
  DQM_STREAM_ERROR_SEQUENCE,
  DQM_STREAM_ERROR_FILE_DAMAGE, /* a recorded file: bytes that frame no body */
  DQM_STREAM_ERROR_EVENT_ID_JUMP, /* event_id far beyond the last one */
  DQM_STREAM_ERROR_SPILL_ORDER,   /* a spill number backwards or far ahead */
  DQM_STREAM_ERROR_TIME_ORDER,    /* time_ns backwards or far ahead */
  DQM_STREAM_N_ERRORS
} DqmStreamError;

GQuark       dqm_stream_error_quark   (void);
const char  *dqm_stream_error_name    (DqmStreamError  code);
const char  *dqm_drop_reason_name     (DqmDropReason   reason);

const char  *dqm_msg_type_topic       (DqmMsgType      type);
/* The stream time of any message, ns since the epoch. */
guint64      dqm_message_time_ns      (const DqmMessage *message);
DqmMsgType   dqm_msg_type_from_topic  (const void     *topic,
                                       gsize           length);
gsize        dqm_stream_event_size    (guint           n_sadc,
                                       guint           n_samples,
                                       guint           n_hits);

/* Header only: the type and size a body claims, for framing files. */
gboolean     dqm_stream_peek_header   (const guint8   *body,
                                       gsize           length,
                                       DqmMsgType     *type,
                                       guint32        *size,
                                       GError        **error);

gboolean     dqm_stream_decode        (const guint8   *body,
                                       gsize           length,
                                       DqmMessage     *message,
                                       DqmEvent       *event_storage,
                                       GError        **error);
gboolean     dqm_stream_decode_message (const void    *topic,
                                        gsize          topic_length,
                                        const guint8  *body,
                                        gsize          length,
                                        DqmMessage    *message,
                                        DqmEvent      *event_storage,
                                        GError       **error);

/* Replaces the contents of @out with the body of @message. */
void         dqm_stream_encode        (const DqmMessage *message,
                                       GByteArray       *out);

G_END_DECLS
