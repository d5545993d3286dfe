/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a consumer knows about the stream it reads, whatever the transport:
 * counters (messages, bytes, bad messages and dropped records by reason,
 * lost events, stalls) and the run/spill sequence of stream-v1. */
#pragma once

#include <glib.h>

#include "dqm-stream.h"

G_BEGIN_DECLS

#define DQM_DEFAULT_STALL_SECONDS 5.0

typedef enum {
  DQM_STREAM_STATE_WAITING,   /* nothing received yet */
  DQM_STREAM_STATE_RUNNING,   /* a run is open and messages arrive */
  DQM_STREAM_STATE_IDLE,      /* between runs */
  DQM_STREAM_STATE_STALLED,   /* a run is open and nothing came for the stall time */
} DqmStreamState;

typedef struct {
  guint64 messages;
  guint64 bytes;
  guint64 by_type[DQM_N_MSG_TYPES];
  guint64 bad;
  guint64 bad_by_reason[DQM_STREAM_N_ERRORS];
  guint64 dropped_records;
  guint64 dropped_by_reason[DQM_N_DROP_REASONS];
  guint64 lost_events;        /* gaps in event_id */
  guint64 stalls;
  guint64 runs_closed_without_eor;
  guint64 resyncs;            /* re-anchored on a stream that jumped for good */
} DqmStreamCounters;

/* How far the sequence may move between two messages of a run before a
 * value is taken for corrupt (a flipped bit) rather than news. */
typedef struct {
  guint64 max_event_id_jump;  /* triggers; default 10^7, many spills' worth */
  guint32 max_spill_jump;     /* spills; default 100 */
  guint64 max_time_jump_ns;   /* default a day: runs pause, years do not pass */
  guint64 max_time_back_ns;   /* default 1 s */
} DqmStreamLimits;

/* One sequence (event_id, spill or time) and the values that did not fit
 * it: DQM_STREAM_RESYNC_AFTER in a row that fit each other re-anchor it. */
typedef struct {
  gboolean have;
  guint64  last;
  guint64  suspect;
  guint    suspects;
} DqmStreamSequence;

#define DQM_STREAM_RESYNC_AFTER 3

typedef struct {
  DqmStreamCounters counters;
  DqmStreamState    state;
  gboolean          run_open;
  guint32           run;
  guint32           spill;
  gboolean          in_spill;
  DqmStreamLimits   limits;
  DqmStreamSequence event_id, spill_seq, time;
  guint64           rejected_since_last; /* events refused since the last good one */
  gint64            last_message_us;  /* monotonic */
  gint64            stall_us;
  char              last_error[256];
} DqmStreamCounter;

typedef enum {
  DQM_RUN_STARTED = 1 << 0, /* sor, or the first message of an unseen run */
  DQM_RUN_ENDED   = 1 << 1, /* eor, or implied by a new run */
} DqmRunChanges;

void           dqm_stream_counter_init    (DqmStreamCounter  *counter,
                                           double             stall_seconds);
void           dqm_stream_counter_set_limits (DqmStreamCounter      *counter,
                                              const DqmStreamLimits *limits);
/* A message that decoded. Returns FALSE, with @error, when it breaks the
 * sequence rules (event_id not increasing, or an event_id, spill or time
 * beyond the limits); it is then counted as bad under its own reason and
 * the run's sequence is left as it was. */
gboolean       dqm_stream_counter_accept  (DqmStreamCounter  *counter,
                                           const DqmMessage  *message,
                                           gsize              bytes,
                                           gint64             now_us,
                                           DqmRunChanges     *flags,
                                           GError           **error);
/* A message that did not decode (@error from the decoder). */
void           dqm_stream_counter_reject  (DqmStreamCounter  *counter,
                                           const GError      *error,
                                           gsize              bytes,
                                           gint64             now_us);
/* Call when nothing arrived; TRUE when the stream has just stalled. */
gboolean       dqm_stream_counter_idle    (DqmStreamCounter  *counter,
                                           gint64             now_us);
const char    *dqm_stream_state_name      (DqmStreamState     state);

G_END_DECLS
