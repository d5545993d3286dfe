/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One state's encoded answers. */
#include "dqm-web-cache.h"

struct _DqmWebCache {
  DqmState   *state;    /* the answers' state, held so that no other takes its address */
  GHashTable *answers;  /* key → GBytes */
};

DqmWebCache *
dqm_web_cache_new (void)
{
  DqmWebCache *self = g_new0 (DqmWebCache, 1);

  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  return self;
}

void
dqm_web_cache_free (DqmWebCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->answers);
  g_clear_pointer (&self->state, dqm_state_unref);
  g_free (self);
}

GBytes *
dqm_web_cache_get (DqmWebCache *self, DqmState *state, const char *key)
{
  GBytes *bytes = state == self->state ? g_hash_table_lookup (self->answers, key) : NULL;

  return bytes ? g_bytes_ref (bytes) : NULL;
}

void
dqm_web_cache_put (DqmWebCache *self, DqmState *state, const char *key, GBytes *bytes)
{
  if (state != self->state)
    {
      g_hash_table_remove_all (self->answers);
      g_clear_pointer (&self->state, dqm_state_unref);
      self->state = dqm_state_ref (state);
    }
  g_hash_table_replace (self->answers, g_strdup (key), g_bytes_ref (bytes));
}
