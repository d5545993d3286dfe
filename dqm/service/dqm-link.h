/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a display watches and commands, whether the analysis runs in its
 * own process (a pipeline) or in a monitor it attached to (a thread that
 * mirrors the feed, sends the commands and fetches events for the
 * inspector). The window knows only this. */
#pragma once

#include <glib.h>

#include "dqm-client.h"
#include "dqm-event-ring.h"
#include "dqm-pipeline.h"
#include "dqm-registry.h"

G_BEGIN_DECLS

typedef struct _DqmLink DqmLink;

typedef struct {
  gboolean remote;
  char     monitor[256];      /* the endpoint attached to; empty in-process */
  gboolean silent;            /* no update for DQM_LINK_SILENT_S, or three of the
                               * monitor's intervals when it publishes slower */
  double   silent_s;          /* since the last update (remote), s */
  double   state_age_s;       /* the shown state's age, by the monitor's clock */
  guint    recoveries;        /* silences that ended */
  double   last_silence_s;    /* how long the last one lasted */
  gint64   recovered_us;      /* monotonic, when it ended; 0: never */
  char     refusal[300];      /* the last command refused, and why; empty: none */
  gint64   refusal_us;        /* monotonic, when */
} DqmLinkStatus;

#define DQM_LINK_SILENT_S 1.0

/* Does not take @pipeline, which must outlive the link. */
DqmLink      *dqm_link_new_local        (DqmPipeline            *pipeline);
/* Connects (ZeroMQ reconnects by itself) and starts mirroring; @kept_events
 * sizes the inspector's ring. Fails only on bad options or keys. */
DqmLink      *dqm_link_new_remote       (const DqmClientOptions *options,
                                         guint                   kept_events,
                                         GError                **error);
void          dqm_link_free             (DqmLink                *link);
/* The newest state, or NULL now and then (never waits): for a frame. */
DqmState     *dqm_link_try_get_state    (DqmLink                *link);
/* The newest state, waiting if need be; NULL before the first (remote). */
DqmState     *dqm_link_get_state        (DqmLink                *link);
void          dqm_link_acknowledge      (DqmLink                *link,
                                         const char             *alarm_id,
                                         const char             *who,
                                         const char             *comment);
void          dqm_link_reset_histogram  (DqmLink                *link,
                                         const char             *name);
void          dqm_link_request_snapshot (DqmLink                *link);
/* In-process: the registry a shifter's flags go to (not taken). */
void          dqm_link_set_registry     (DqmLink                *link,
                                         DqmRegistry            *registry);
/* A shifter's verdict on @run, "good" or "bad" ("" clears it): into the
 * registry in-process, or sent to the monitor (which may refuse: said in
 * the status). FALSE with @error when refused here. */
gboolean      dqm_link_flag_run         (DqmLink                *link,
                                         guint32                 run,
                                         const char             *flag,
                                         const char             *comment,
                                         GError                **error);
/* The events the inspector browses: the pipeline's ring, or a mirror of
 * the monitor's newest events and candidates. */
DqmEventRing *dqm_link_get_event_ring   (DqmLink                *link);
void          dqm_link_get_status       (DqmLink                *link,
                                         DqmLinkStatus          *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmLink, dqm_link_free)

G_END_DECLS
