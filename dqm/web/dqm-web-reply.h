/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web view's answers. Each returns the length of the body it set, for
 * the counters. The state changes all the time, so nothing but JSROOT's
 * files (@max_age_s) may be cached. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Takes @body (NULL: none). */
gsize dqm_web_reply          (SoupServerMessage *msg,
                              guint              status,
                              const char        *type,
                              char              *body);
gsize dqm_web_reply_bytes    (SoupServerMessage *msg,
                              const char        *type,
                              GBytes            *body,
                              guint              max_age_s);
/* @text (taken) gzipped, as THttpServer answers FOLDER/NAME/root.json.gz;
 * NULL if compression failed. */
GBytes *dqm_web_gzip         (char              *text);
/* JSON, or gzipped JSON that a browser inflates by its Content-Encoding. */
gsize dqm_web_reply_json     (SoupServerMessage *msg,
                              GBytes            *body,
                              gboolean           gzipped);
/* A 301 to @location (a path of this server). */
gsize dqm_web_reply_redirect (SoupServerMessage *msg,
                              const char        *location);

G_END_DECLS
