/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A viewer of the monitor's service, for one thread: the feed subscribed
 * and mirrored into a DqmState (a gap or a restarted monitor is healed by
 * asking for the whole state), and requests on the command endpoint with a
 * timeout. na64dqm-ctl uses it as it is; an attached display runs it in a
 * thread of its own (dqm-remote.h). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

typedef struct {
  const char *feed_endpoint;      /* required */
  const char *command_endpoint;   /* required */
  const char *keys_dir;           /* NULL: dqm_keys_default_dir () */
  const char *client_key;         /* a .key file; NULL: KEYS/client.key, and a
                                   * key of the moment (watch only) when it is missing */
  const char *monitor_key;        /* the monitor's .pub, or its Z85 key; NULL: KEYS/monitor.pub */
  gboolean    open_feed;          /* the monitor serves its feed without CURVE */
  guint       feed_queue;         /* updates held unread before some are missed; default 64 */
} DqmClientOptions;

typedef struct _DqmClient DqmClient;

DqmClient  *dqm_client_new          (const DqmClientOptions *options,
                                     GError                **error);
void        dqm_client_free         (DqmClient              *client);
/* The key this client speaks with, and whether it came from a file. */
const char *dqm_client_public_key   (DqmClient              *client,
                                     gboolean               *from_file);

/* Sends @request (a JSON object, not taken; an "id" is added) and waits up to
 * @timeout_s for its reply. TRUE when the monitor answered "ok": true;
 * FALSE with DQM_SERVICE_ERROR_REFUSED and the monitor's words, or
 * _TIMEOUT. @reply (optional) gets the reply object, @frames (optional)
 * the binary frames after it (GBytes). */
gboolean    dqm_client_request      (DqmClient              *client,
                                     JsonObject             *request,
                                     double                  timeout_s,
                                     JsonObject            **reply,
                                     GPtrArray             **frames,
                                     GError                **error);
/* Convenience: a request of @command alone. */
gboolean    dqm_client_command      (DqmClient              *client,
                                     const char             *command,
                                     double                  timeout_s,
                                     JsonObject            **reply,
                                     GError                **error);

/* Waits up to @timeout_s for feed updates and applies what came. Returns
 * TRUE when the mirrored state changed. Bad or out-of-order updates are
 * counted; after a gap the whole state is asked for. */
gboolean    dqm_client_poll_feed    (DqmClient              *client,
                                     double                  timeout_s,
                                     GError                **error);
/* The mirrored state (a new reference), NULL before the first one. */
DqmState   *dqm_client_get_state    (DqmClient              *client);
/* Monotonic µs of the last update received; 0 before any. */
gint64      dqm_client_last_update_us (DqmClient            *client);

typedef struct {
  guint64 updates;       /* applied */
  guint64 full_updates;
  guint64 gaps;          /* deltas that did not follow: healed by a full state */
  guint64 bad_updates;   /* refused as malformed */
  guint64 bytes;
  char    last_problem[256];
} DqmClientCounters;

void        dqm_client_get_counters (DqmClient              *client,
                                     DqmClientCounters      *counters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmClient, dqm_client_free)

G_END_DECLS
