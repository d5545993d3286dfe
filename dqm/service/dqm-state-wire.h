/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state-v1 (docs/state-v1.md): a DqmState as the monitor's feed sends it.
 * An update is a 32-byte header and a GVariant a{sv} payload; a full
 * update carries everything, a delta what changed since the update before
 * it (histograms whose contents changed, spills and log lines appended,
 * sections that differ). The encoder keeps what it sent last; the mirror
 * keeps the state it rebuilt and refuses an update that does not follow. */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

#define DQM_STATE_WIRE_MAGIC        "NA64DQS1" /* also the feed's topic */
#define DQM_STATE_WIRE_MAGIC_LENGTH 8
#define DQM_STATE_WIRE_VERSION      1
#define DQM_STATE_WIRE_HEADER_SIZE  32
#define DQM_STATE_WIRE_MAX_PAYLOAD  (64u << 20)

typedef enum {
  DQM_STATE_UPDATE_FULL  = 1,
  DQM_STATE_UPDATE_DELTA = 2,
} DqmStateUpdateKind;

typedef struct {
  DqmStateUpdateKind kind;
  guint64            sequence;      /* one more each update, from a random start */
  guint64            base_sequence; /* a delta's predecessor; 0 for a full */
  guint32            payload_size;
} DqmStateUpdateHeader;

void      dqm_state_wire_write_header (const DqmStateUpdateHeader *header,
                                       guint8                     *out);
gboolean  dqm_state_wire_read_header  (const guint8               *data,
                                       gsize                       size,
                                       DqmStateUpdateHeader       *header,
                                       GError                    **error);

/* --- the monitor's side ------------------------------------------------ */

typedef struct _DqmStateEncoder DqmStateEncoder;

DqmStateEncoder *dqm_state_encoder_new    (void);
void             dqm_state_encoder_free   (DqmStateEncoder *encoder);
/* The next update of @state: a full one when @full or nothing was sent
 * yet, else a delta against the state encoded last. @header is filled;
 * the payload is returned. */
GBytes          *dqm_state_encoder_update (DqmStateEncoder      *encoder,
                                           DqmState             *state,
                                           gboolean              full,
                                           DqmStateUpdateHeader *header);
/* A full update of @state, outside the numbered sequence of updates (a
 * reply to a viewer that asked): its sequence is the last one sent. */
GBytes          *dqm_state_encoder_full   (DqmStateEncoder      *encoder,
                                           DqmState             *state,
                                           DqmStateUpdateHeader *header);

/* --- the viewer's side ------------------------------------------------- */

typedef struct _DqmStateMirror DqmStateMirror;

DqmStateMirror *dqm_state_mirror_new      (void);
void            dqm_state_mirror_free     (DqmStateMirror *mirror);
/* Applies one update. A delta that does not follow the state held is
 * refused with DQM_SERVICE_ERROR_GAP (ask for a full one); a malformed one
 * with DQM_SERVICE_ERROR_FORMAT. The state held is unchanged on error. */
gboolean        dqm_state_mirror_apply    (DqmStateMirror             *mirror,
                                           const DqmStateUpdateHeader *header,
                                           GBytes                     *payload,
                                           GError                    **error);
/* The state rebuilt from the last update applied (a new reference), or
 * NULL before the first full one. */
DqmState       *dqm_state_mirror_get      (DqmStateMirror *mirror);
guint64         dqm_state_mirror_sequence (DqmStateMirror *mirror);

/* Every key of the payload and of its records, "section.key type", for
 * the test that holds docs/state-v1.md to the code. */
GStrv           dqm_state_wire_keys       (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmStateEncoder, dqm_state_encoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmStateMirror, dqm_state_mirror_free)

G_END_DECLS
