/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tabulated MSADC pulse shape. */
#include "dqm-pulse.h"

#include <math.h>

void
dqm_pulse_shape_init (DqmPulseShape *shape, double tau_ns, guint power)
{
  g_return_if_fail (shape != NULL);

  shape->rise_ns = power * tau_ns;
  for (guint i = 0; i < DQM_PULSE_TABLE_SIZE; i++)
    {
      double x = i * DQM_PULSE_TABLE_STEP_NS / shape->rise_ns;

      shape->table[i] = (float) (pow (x, power) * exp (power * (1 - x)));
    }
}

double
dqm_pulse_shape_value (const DqmPulseShape *shape, double t_ns)
{
  double position = t_ns / DQM_PULSE_TABLE_STEP_NS;
  guint i;
  double frac;

  g_return_val_if_fail (shape != NULL, 0);

  if (position <= 0 || position >= DQM_PULSE_TABLE_SIZE - 1)
    return 0;
  i = (guint) position;
  frac = position - i;
  return shape->table[i] + frac * (shape->table[i + 1] - shape->table[i]);
}
