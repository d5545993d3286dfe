/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator on one core against real time: beam particles and recorded
 * events a second, side by side with what a spill cycle needs (its beam in
 * length_s, its events, then the gap), and what the triggers recorded —
 * by trigger and by the physics behind them, with the pile-up share.
 *   build/bench/bench-sim [SPILLS] */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "bench-util.h"
#include "dqm-sim-run.h"

int
main (int argc, char **argv)
{
  guint spills = argc > 1 ? (guint) atoi (argv[1]) : 3;
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmSimRun) run = dqm_sim_run_new (setup, NULL, 1, spills, 5, 1790000000000000000ull);
  guint64 by_trigger[4] = { 0 }, by_process[DQM_N_PROCESSES] = { 0 }, physics = 0, pileup = 0, in_gate = 0;
  guint64 beam_counts = 0, physics_scaler = 0, events = 0;
  DqmSimMessage m;
  gint64 start = g_get_monotonic_time ();
  double cpu, cycle = setup->spill.length_s + setup->spill.calibration_s + setup->spill.gap_s;
  static const char *const trigger_names[] = { "physics", "random", "LED", "beam" };

  while (dqm_sim_run_next (run, &m))
    {
      if (m.type == DQM_MSG_EOS)
        {
          DqmMessage eos;
          g_autofree DqmEvent *unused = g_new (DqmEvent, 1);

          if (dqm_stream_decode (m.body->data, m.body->len, &eos, unused, NULL))
            {
              beam_counts += eos.eos.beam_counts;
              physics_scaler += eos.eos.triggers;
            }
        }
      if (m.type != DQM_MSG_EVT)
        continue;
      events++;
      for (guint b = 0; b < 4; b++)
        by_trigger[b] += (m.event->trigger >> b) & 1;
      if (m.event->trigger & DQM_TRIGGER_PHYSICS)
        {
          physics++;
          by_process[m.truth->process]++;
          pileup += m.truth->pileup;
          in_gate += m.truth->pileup_in_gate;
        }
    }
  cpu = bench_seconds_since (start);

  printf ("Simulator, one core, %u spills of %g s at %g beam particles/s (a cycle of %g s)\n\n", spills,
          setup->spill.length_s, setup->spill.beam_rate_hz, cycle);
  printf ("%-28s %14s %14s %10s\n", "", "simulated /s", "real time /s", "ratio");
  printf ("%-28s %14.3g %14.3g %9.1fx\n", "beam particles", dqm_sim_run_beam_particles (run) / cpu,
          dqm_sim_run_beam_particles (run) / (spills * cycle), (dqm_sim_run_beam_particles (run) / cpu)
          / (dqm_sim_run_beam_particles (run) / (spills * cycle)));
  printf ("%-28s %14.3g %14.3g %9.1fx\n\n", "recorded events", events / cpu, events / (spills * cycle),
          spills * cycle / cpu);
  printf ("per spill: %.3g beam particles (eos S1·S2), %.0f physics triggers fired (eos), %.0f events\n",
          (double) beam_counts / spills, (double) physics_scaler / spills, (double) events / spills);
  for (guint b = 0; b < 4; b++)
    printf ("  %-8s trigger %10.0f events a spill\n", trigger_names[b], (double) by_trigger[b] / spills);
  printf ("physics triggers by process (share), pile-up in %.1f %% of them, in the gate %.2f %%:\n",
          100.0 * pileup / MAX (physics, 1), 100.0 * in_gate / MAX (physics, 1));
  for (guint p = 0; p < DQM_N_PROCESSES; p++)
    if (by_process[p])
      printf ("  %-22s %8.4f\n", dqm_sim_process_name (p), (double) by_process[p] / physics);
  return 0;
}
