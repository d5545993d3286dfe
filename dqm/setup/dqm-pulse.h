/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MSADC pulse shape (t/tp)^n · exp(n·(1 - t/tp)), tp = n·tau: zero
 * before the pulse starts, 1 at its peak. Tabulated once, read many times. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_PULSE_TABLE_STEP_NS 0.125
#define DQM_PULSE_TABLE_SIZE    4096 /* 512 ns */

typedef struct {
  double rise_ns; /* start to peak: n·tau */
  float  table[DQM_PULSE_TABLE_SIZE];
} DqmPulseShape;

void   dqm_pulse_shape_init  (DqmPulseShape *shape, double tau_ns, guint power);
/* Value at @t_ns after the pulse start (linear interpolation); inline, as
 * the fits call it in their inner loops. */
static inline double
dqm_pulse_shape_value (const DqmPulseShape *shape, double t_ns)
{
  double position = t_ns * (1 / DQM_PULSE_TABLE_STEP_NS);
  guint i;

  if (!(position > 0 && position < DQM_PULSE_TABLE_SIZE - 1))
    return 0;
  i = (guint) position;
  return shape->table[i] + (position - i) * (shape->table[i + 1] - shape->table[i]);
}

G_END_DECLS
