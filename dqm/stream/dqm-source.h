/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a consumer's messages come from: a ZeroMQ subscription or a recorded
 * file, behind one call that decodes, checks and counts. */
#pragma once

#include <glib.h>

#include "dqm-stream-counters.h"
#include "dqm-zmq.h"

G_BEGIN_DECLS

typedef struct _DqmSource DqmSource;

DqmSource   *dqm_source_new_zmq      (const char     *endpoint,
                                      double          stall_seconds,
                                      GError        **error);
DqmSource   *dqm_source_new_file     (const char     *path,
                                      GError        **error);
/* @timeout_ms applies to a subscription; a file answers at once.
 * @raw_body, when not NULL, receives a copy of a good message's body. */
DqmReceiveStatus dqm_source_next     (DqmSource      *source,
                                      int             timeout_ms,
                                      DqmMessage     *message,
                                      DqmEvent       *event_storage,
                                      DqmRunChanges  *flags,
                                      GByteArray     *raw_body,
                                      GError        **error);
const DqmStreamCounter *dqm_source_get_stream_counter (DqmSource *source);
/* The endpoint or the file path. */
const char  *dqm_source_get_name     (DqmSource      *source);
gboolean     dqm_source_is_file      (DqmSource      *source);
/* For a subscription: is the TCP/IPC connection up right now? */
gboolean     dqm_source_is_connected (DqmSource      *source);
void         dqm_source_free         (DqmSource      *source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSource, dqm_source_free)

G_END_DECLS
