/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The last events the analysis saw, kept as their stream messages for the
 * event inspector: a ring of N events (N changeable while running, so
 * memory stays bounded) and a small store of signal-box candidates, which
 * are rare and must stay openable after the ring has moved on. The
 * analysis thread pushes; any thread copies. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DqmEventRing DqmEventRing;

DqmEventRing *dqm_event_ring_new            (guint          capacity,
                                             guint          candidate_capacity);
void          dqm_event_ring_free           (DqmEventRing  *ring);
void          dqm_event_ring_set_capacity   (DqmEventRing  *ring,
                                             guint          capacity);
guint         dqm_event_ring_get_capacity   (DqmEventRing  *ring);
/* @message is a whole "evt" message (header and body). */
void          dqm_event_ring_push           (DqmEventRing  *ring,
                                             const guint8  *message,
                                             gsize          length,
                                             gboolean       candidate);
/* The candidates held become @messages (GBytes, oldest first): a copy of
 * another ring's, an attached display's mirror of the monitor's. */
void          dqm_event_ring_set_candidates (DqmEventRing *ring,
                                             GPtrArray    *messages);
/* GBytes of each kept message, oldest first. */
GPtrArray    *dqm_event_ring_copy           (DqmEventRing  *ring);
GPtrArray    *dqm_event_ring_copy_candidates (DqmEventRing *ring);
/* The newest message if anything was pushed since *@serial (which is
 * updated), else NULL. */
GBytes       *dqm_event_ring_newest         (DqmEventRing  *ring,
                                             guint64       *serial);
/* Messages held now (events and candidates kept apart). */
guint         dqm_event_ring_count          (DqmEventRing  *ring);
/* Bytes of messages held now. */
gsize         dqm_event_ring_memory         (DqmEventRing  *ring);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmEventRing, dqm_event_ring_free)

G_END_DECLS
