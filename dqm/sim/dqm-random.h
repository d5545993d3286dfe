/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small, fast, seedable random generator (xoshiro256**), so that the same
 * seed gives the same stream on every machine, and the distributions the
 * simulator draws from. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
} DqmRandom;

void     dqm_random_init        (DqmRandom *rng, guint64 seed);
guint64  dqm_random_next        (DqmRandom *rng);
double   dqm_random_uniform     (DqmRandom *rng);            /* [0, 1) */
double   dqm_random_range       (DqmRandom *rng, double lo, double hi);
gboolean dqm_random_chance      (DqmRandom *rng, double p);
double   dqm_random_gauss       (DqmRandom *rng);            /* mean 0, sigma 1 */
double   dqm_random_exponential (DqmRandom *rng, double mean);
double   dqm_random_gamma       (DqmRandom *rng, double shape, double mean);
guint    dqm_random_poisson     (DqmRandom *rng, double mean);
/* Landau-like energy loss: most probable @mpv, long upper tail. */
double   dqm_random_landau      (DqmRandom *rng, double mpv, double width);

G_END_DECLS
