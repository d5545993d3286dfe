/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The events the inspector browses: a copy of the live ring, or every event
 * of a recorded file (indexed once, read from the mapped file on demand).
 * Immutable and reference-counted, so a search can run in another thread
 * while the window shows one of its events. */
#pragma once

#include <gio/gio.h>

#include "dqm-reco.h"

G_BEGIN_DECLS

typedef enum {
  DQM_EVENT_MATCH_ELECTRON,
  DQM_EVENT_MATCH_HADRON,
  DQM_EVENT_MATCH_MUON,
  DQM_EVENT_MATCH_EMPTY,
  DQM_EVENT_MATCH_CANDIDATE,        /* in the signal box: passed every cut */
  DQM_EVENT_MATCH_TRIGGER_PHYSICS,
  DQM_EVENT_MATCH_TRIGGER_RANDOM,
  DQM_EVENT_MATCH_TRIGGER_LED,
  DQM_EVENT_MATCH_TRIGGER_BEAM,
  DQM_N_EVENT_MATCHES
} DqmEventMatch;

typedef struct _DqmEventList DqmEventList;

/* Takes @messages (GBytes of whole "evt" messages, oldest first). */
DqmEventList *dqm_event_list_new_messages (GPtrArray       *messages);
/* Damage in the file is skipped (the reader resynchronises); how much is
 * in dqm_event_list_get_damage. */
DqmEventList *dqm_event_list_new_file     (const char      *path,
                                           GError         **error);
DqmEventList *dqm_event_list_ref          (DqmEventList    *list);
void          dqm_event_list_unref        (DqmEventList    *list);
guint         dqm_event_list_length       (DqmEventList    *list);
/* The whole message of event @index; valid while @list lives. */
const guint8 *dqm_event_list_get          (DqmEventList    *list,
                                           guint            index,
                                           gsize           *length);
/* The beam of the file's sor (0 when there was none, or for messages). */
DqmBeam       dqm_event_list_get_beam     (DqmEventList    *list);
/* A file's damaged stretches, and the last complaint. */
guint         dqm_event_list_get_damage   (DqmEventList    *list,
                                           const char     **last_error);
gboolean      dqm_event_matches           (const DqmRecoEvent *event,
                                           DqmEventMatch    match);
/* The next event from @from (exclusive) in @direction (+1 or −1) that
 * matches, reconstructed with @reco; FALSE when none is left or @cancellable
 * fired. */
gboolean      dqm_event_list_find         (DqmEventList    *list,
                                           DqmReco         *reco,
                                           guint            from,
                                           int              direction,
                                           DqmEventMatch    match,
                                           GCancellable    *cancellable,
                                           guint           *found);
/* The event with this run and event id. */
gboolean      dqm_event_list_find_id      (DqmEventList    *list,
                                           guint32          run,
                                           guint64          event_id,
                                           GCancellable    *cancellable,
                                           guint           *found);
const char   *dqm_event_match_name        (DqmEventMatch    match);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmEventList, dqm_event_list_unref)

G_END_DECLS
