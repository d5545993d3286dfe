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
/* Value at @t_ns after the pulse start (linear interpolation). */
double dqm_pulse_shape_value (const DqmPulseShape *shape, double t_ns);

G_END_DECLS
