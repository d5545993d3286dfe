/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Answers made once per state: the pipeline publishes a new immutable
 * state every 0.1 s, and fifty browsers asking for the same histogram in
 * that time get the bytes encoded for the first. Used by one thread (the
 * web thread). */
#pragma once

#include <glib.h>

#include "dqm-state.h"

G_BEGIN_DECLS

typedef struct _DqmWebCache DqmWebCache;

DqmWebCache *dqm_web_cache_new  (void);
void         dqm_web_cache_free (DqmWebCache *cache);
/* What was put for @key of this very @state (a new reference), or NULL. */
GBytes      *dqm_web_cache_get  (DqmWebCache *cache,
                                 DqmState    *state,
                                 const char  *key);
/* Keeps @bytes for @key of @state; a newer state forgets the older's. */
void         dqm_web_cache_put  (DqmWebCache *cache,
                                 DqmState    *state,
                                 const char  *key,
                                 GBytes      *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmWebCache, dqm_web_cache_free)

G_END_DECLS
