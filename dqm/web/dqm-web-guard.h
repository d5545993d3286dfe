/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the web view lets in before it reads a request's body: on a
 * loopback address only requests for a loopback name (a web page elsewhere
 * that rebinds its own name to 127.0.0.1 sends its own name as Host, and
 * is refused), at most so many requests under way from one address, no
 * overlong request line. Used by one thread (the web thread). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DQM_WEB_ADMITTED,
  DQM_WEB_WRONG_HOST,  /* 421: not a name of this loopback server */
  DQM_WEB_TOO_MANY,    /* 503: that address has max_per_client under way */
  DQM_WEB_TOO_LONG,    /* 414: path and query beyond DQM_WEB_MAX_URI */
} DqmWebVerdict;

#define DQM_WEB_MAX_URI 2048

typedef struct _DqmWebGuard DqmWebGuard;

/* @loopback: whether the server is bound to a loopback address. */
DqmWebGuard  *dqm_web_guard_new     (gboolean     loopback,
                                     guint        max_per_client);
void          dqm_web_guard_free    (DqmWebGuard *guard);
/* @host: the Host header (NULL: none, as HTTP/1.0 may send). An admitted
 * request counts for @client until dqm_web_guard_release (). */
DqmWebVerdict dqm_web_guard_admit   (DqmWebGuard *guard,
                                     const char  *client,
                                     const char  *host,
                                     gsize        uri_length);
void          dqm_web_guard_release (DqmWebGuard *guard,
                                     const char  *client);
/* Whether @host (a Host header, with or without a port) names this
 * machine's loopback: localhost, 127.x.y.z, [::1]. */
gboolean      dqm_web_loopback_host (const char  *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmWebGuard, dqm_web_guard_free)

G_END_DECLS
