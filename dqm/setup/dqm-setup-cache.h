/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The setups of the beams a consumer meets, each loaded once from the
 * configuration and kept until the end, so other threads may go on using
 * one after the stream has moved to another beam. Not thread-safe: one
 * thread asks. */
#pragma once

#include "dqm-setup.h"

G_BEGIN_DECLS

typedef struct _DqmSetupCache DqmSetupCache;

DqmSetupCache      *dqm_setup_cache_new  (DqmConfig   *config);
void            dqm_setup_cache_free (DqmSetupCache   *setups);
/* @beam_name: "e-", "e+", "mu-", "pi-", or NULL for the configured default;
 * NULL and @error when the configuration cannot describe it. */
const DqmSetup *dqm_setup_cache_get  (DqmSetupCache   *setups,
                                 const char  *beam_name,
                                 GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmSetupCache, dqm_setup_cache_free)

G_END_DECLS
