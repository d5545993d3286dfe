/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The read-only web view (libsoup 3) in a thread of its own, laid out as
 * ROOT's THttpServer so that stock JSROOT browses it: h.json, FOLDER/NAME/
 * root.json, and status.json for scripts; the shift page at /, JSROOT's
 * own browser page at /jsroot.htm, JSROOT's files under /jsrootsys/, the
 * snapshots of past runs under /runs/. Each request reads the newest
 * immutable state and encodes it here, never on the analysis thread. A
 * path is looked up among the state's items and the listings of JSROOT's
 * files and of past runs, never used as a path on the disk; anything else,
 * an escape, is a 404, counted. Beyond loopback it needs TLS and
 * passwords, or the operator's explicit insecure. */
#pragma once

#include <glib.h>

#include "dqm-registry.h"
#include "dqm-state.h"

G_BEGIN_DECLS

/* The newest state (a new reference), called on the web thread. */
typedef DqmState *(*DqmWebStateFunc) (gpointer data);

typedef struct {
  const char     *address;      /* required: an IP address; loopback unless insecure */
  guint           port;         /* 0: any free one */
  gboolean        insecure;     /* allow a non-loopback address without TLS and passwords */
  const char     *tls_certificate, *tls_key; /* PEM files: HTTPS; NULL: HTTP */
  const char     *passwords;    /* USER:HASH lines (dqm-web-passwords.h): basic authentication */
  guint           max_clients;  /* requests under way at once; default 64 */
  guint           max_per_client; /* … from one address; default 16 */
  DqmWebStateFunc get_state;
  gpointer        data;
  const char     *jsroot_dir;   /* NULL: dqm_web_files_default_root () */
  const char     *snapshot_dir; /* the past runs of /runs/; NULL: none */
  DqmRegistry    *registry;     /* its writing in status.json; NULL: none */
} DqmWebOptions;

typedef struct {
  guint64 requests, not_found, refused, bytes;
  guint64 unauthorized;         /* wrong or no password (401) */
  guint64 locked_out;           /* of those, from an address with too many wrong tries */
} DqmWebCounters;

typedef struct _DqmWebServer DqmWebServer;

DqmWebServer *dqm_web_server_new          (const DqmWebOptions *options,
                                           GError             **error);
void          dqm_web_server_free         (DqmWebServer        *server);
guint         dqm_web_server_get_port     (DqmWebServer        *server);
void          dqm_web_server_get_counters (DqmWebServer        *server,
                                           DqmWebCounters      *counters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmWebServer, dqm_web_server_free)

G_END_DECLS
