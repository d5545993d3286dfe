/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A list of setups, looked up by beam name. */
#include "dqm-setup-cache.h"

struct _DqmSetupCache {
  DqmConfig *config;
  GPtrArray *setups;   /* DqmSetup */
  DqmSetup  *fallback; /* the configured default beam's, once asked for */
};

DqmSetupCache *
dqm_setup_cache_new (DqmConfig *config)
{
  DqmSetupCache *self = g_new0 (DqmSetupCache, 1);

  g_return_val_if_fail (config != NULL, NULL);

  self->config = dqm_config_ref (config);
  self->setups = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_setup_free);
  return self;
}

void
dqm_setup_cache_free (DqmSetupCache *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->setups);
  dqm_config_unref (self->config);
  g_free (self);
}

const DqmSetup *
dqm_setup_cache_get (DqmSetupCache *self, const char *beam_name, GError **error)
{
  DqmSetup *setup;

  g_return_val_if_fail (self != NULL, NULL);

  if (beam_name == NULL && self->fallback)
    return self->fallback;
  for (guint i = 0; beam_name && i < self->setups->len; i++)
    if (g_str_equal (((DqmSetup *) self->setups->pdata[i])->beam.name, beam_name))
      return self->setups->pdata[i];
  setup = dqm_setup_load (self->config, beam_name, error);
  if (setup == NULL)
    return NULL;
  g_ptr_array_add (self->setups, setup);
  if (beam_name == NULL)
    self->fallback = setup;
  return setup;
}
