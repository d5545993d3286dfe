/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xoshiro256** (Blackman & Vigna) seeded through splitmix64, and sampling. */
#include "dqm-random.h"

#include <math.h>

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void
dqm_random_init (DqmRandom *rng, guint64 seed)
{
  g_return_if_fail (rng != NULL);

  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&seed);
}

guint64
dqm_random_next (DqmRandom *rng)
{
  g_return_val_if_fail (rng != NULL, 0);

  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
dqm_random_uniform (DqmRandom *rng)
{
  g_return_val_if_fail (rng != NULL, 0);

  return (dqm_random_next (rng) >> 11) * 0x1.0p-53;
}

double
dqm_random_range (DqmRandom *rng, double lo, double hi)
{
  g_return_val_if_fail (rng != NULL, 0);

  return lo + (hi - lo) * dqm_random_uniform (rng);
}

gboolean
dqm_random_chance (DqmRandom *rng, double p)
{
  g_return_val_if_fail (rng != NULL, FALSE);

  return dqm_random_uniform (rng) < p;
}

double
dqm_random_gauss (DqmRandom *rng)
{
  g_return_val_if_fail (rng != NULL, 0);

  /* Marsaglia's polar method; the second value is dropped to keep the
   * generator stateless beyond its four words. */
  double u, v, s;

  do
    {
      u = 2 * dqm_random_uniform (rng) - 1;
      v = 2 * dqm_random_uniform (rng) - 1;
      s = u * u + v * v;
    }
  while (s >= 1 || s == 0);
  return u * sqrt (-2 * log (s) / s);
}

double
dqm_random_exponential (DqmRandom *rng, double mean)
{
  g_return_val_if_fail (rng != NULL, 0);

  return -mean * log (1 - dqm_random_uniform (rng));
}

double
dqm_random_gamma (DqmRandom *rng, double shape, double mean)
{
  g_return_val_if_fail (rng != NULL, 0);

  /* Marsaglia & Tsang; shape < 1 through the boost x·U^(1/shape). */
  double scale = mean / shape, boost = 1, d, c, x, v, u;

  if (mean <= 0)
    return 0;
  if (shape < 1)
    {
      boost = pow (dqm_random_uniform (rng), 1 / shape);
      shape += 1;
    }
  d = shape - 1.0 / 3;
  c = 1 / sqrt (9 * d);
  for (;;)
    {
      do
        {
          x = dqm_random_gauss (rng);
          v = 1 + c * x;
        }
      while (v <= 0);
      v = v * v * v;
      u = dqm_random_uniform (rng);
      if (u < 1 - 0.0331 * x * x * x * x || log (u) < 0.5 * x * x + d * (1 - v + log (v)))
        break;
    }
  return boost * d * v * scale;
}

guint
dqm_random_poisson (DqmRandom *rng, double mean)
{
  g_return_val_if_fail (rng != NULL, 0);

  if (mean <= 0)
    return 0;
  if (mean > 50)
    {
      long k = lround (mean + sqrt (mean) * dqm_random_gauss (rng));

      return k > 0 ? (guint) k : 0;
    }

  /* Knuth: multiply uniforms until below e^-mean. */
  double limit = exp (-mean), product = dqm_random_uniform (rng);
  guint k = 0;

  while (product > limit)
    {
      product *= dqm_random_uniform (rng);
      k++;
    }
  return k;
}

double
dqm_random_landau (DqmRandom *rng, double mpv, double width)
{
  g_return_val_if_fail (rng != NULL, 0);

  /* Moyal's approximation to the Landau distribution: -ln(Z²) for a
   * standard Gaussian Z peaks at 0 with a long upper tail; capped so one
   * draw cannot be absurd. */
  double z = dqm_random_gauss (rng);

  return mpv + width * MIN (-log (z * z + 1e-12), 15);
}
