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
