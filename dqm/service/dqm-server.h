/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitor's service (docs/state-v1.md): a thread of its own that
 * publishes the pipeline's state on an XPUB feed (a delta at each refresh,
 * a full state every few seconds and when a viewer joins), answers
 * commands on a ROUTER socket, and authenticates both with CURVE and a ZAP
 * handler that knows the allowlist. It never blocks the analysis: it reads
 * the newest immutable state and queues commands to the pipeline. */
#pragma once

#include <glib.h>

#include "dqm-pipeline.h"
#include "dqm-registry.h"

G_BEGIN_DECLS

typedef enum {
  DQM_FEED_CURVE,    /* encrypted; any client key may watch */
  DQM_FEED_ALLOWED,  /* encrypted; only allowlisted keys */
  DQM_FEED_OPEN,     /* no CURVE on the feed */
} DqmFeedSecurity;

typedef struct {
  const char     *feed_endpoint;     /* required */
  const char     *command_endpoint;  /* required */
  const char     *keys_dir;          /* NULL: dqm_keys_default_dir () */
  DqmFeedSecurity feed_security;
  double          publish_interval_s; /* default 0.25 */
  double          full_interval_s;    /* default 5 */
  const char     *snapshot_dir;      /* where "reference RUN" looks; NULL: none */
  DqmRegistry    *registry;          /* where "flag RUN" goes; NULL: refused */
  /* "elog": begins an e-log entry of @state (its pictures may follow from
   * a thread) and returns its directory; NULL: refused. Must not block the
   * service thread for long: it also publishes the feed. */
  char         *(*elog) (const DqmState *state, const char *who, const char *comment, gpointer data,
                         GError **error);
  gpointer        elog_data;
  gboolean        lower_priority;    /* run nicer than the display */
  guint           feed_queue;        /* updates queued to a viewer before it misses
                                      * some (then it heals); default 64 */
} DqmServerOptions;

typedef struct {
  guint64 sequence;         /* of the last update */
  guint64 updates, full_updates, bytes_published;
  guint   viewers;          /* subscribed now */
  guint64 requests;         /* commands answered, refusals included */
  guint64 refused;          /* of them: not allowed, unknown, malformed, too fast */
  guint64 not_allowed;      /* of the refused: a state change without an allowed key */
  guint64 handshakes_denied;
  double  cpu_s;            /* the service thread's own CPU time */
} DqmServerCounters;

typedef struct _DqmServer DqmServer;

void       dqm_server_options_init  (DqmServerOptions        *options);
/* Binds both endpoints and starts serving @pipeline (which must outlive
 * it). Refuses a non-loopback endpoint without keys and an allowlist. */
DqmServer *dqm_server_new           (DqmPipeline             *pipeline,
                                     const DqmServerOptions  *options,
                                     GError                 **error);
void       dqm_server_free          (DqmServer               *server);
void       dqm_server_get_counters  (DqmServer               *server,
                                     DqmServerCounters       *counters);
/* The monitor's public key (Z85), for the log and for tests. */
const char *dqm_server_public_key   (DqmServer               *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmServer, dqm_server_free)

G_END_DECLS
