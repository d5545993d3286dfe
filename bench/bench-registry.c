/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the run registry costs the monitor a spill: the writer thread's
 * transaction of one end of spill (the run's row with its sums, the spill,
 * two alarm lines) into a file in WAL mode, SPILLS times, one run after
 * another, beside the same into SQLite in memory (the ceiling: SQL alone,
 * no disk). Run: build/bench/bench-registry */
#include <stdio.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "dqm-registry-store.h"

#define SPILLS 2000
#define SPILLS_A_RUN 100

static double
write_spills (sqlite3 *db)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < SPILLS; i++)
    {
      DqmRegistryRun run = { .run = 1 + i / SPILLS_A_RUN, .beam = "e-", .beam_energy_gev = 100, .events = 3000 * i,
                             .setup_tag = "bench" };
      DqmRegistrySpill spill = { .run = run.run, .spill = 1 + i % SPILLS_A_RUN, .beam_counts = 300000,
                                 .triggers = 3000, .events = 3000, .purity = 0.93, .hadron_share = 0.01,
                                 .trigger_rate_hz = 625, .veto_efficiency = { 0.999, 0.998, 0.999 } };
      DqmRegistryAlarm alarms[2] = {
        { .run = run.run, .time_us = 1790000000000000 + i * 10000000ll, .alarm = "purity", .to = DQM_ALARM_WARNING },
        { .run = run.run, .time_us = 1790000000000000 + i * 10000000ll + 1, .alarm = "purity",
          .from = DQM_ALARM_WARNING },
      };
      g_autoptr(GError) error = NULL;

      dqm_registry_time (1790000000000000 + i * 10000000ll, FALSE, spill.time);
      if (!dqm_registry_store_write (db, &run, &spill, 1, alarms, 2, &error))
        g_error ("%s", error->message);
    }
  return bench_seconds_since (start) / SPILLS;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-bench-registry-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "registry.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) file = dqm_registry_store_open (path, TRUE, DQM_REGISTRY_SCHEMA, &error);
  g_autoptr(sqlite3) memory = dqm_registry_store_open (":memory:", TRUE, DQM_REGISTRY_SCHEMA, &error);
  double on_file, in_memory;
  GStatBuf st;

  if (file == NULL || memory == NULL)
    g_error ("%s", error->message);
  in_memory = write_spills (memory);
  on_file = write_spills (file);
  g_stat (path, &st);
  printf ("one end of spill into the run registry (run row and sums, the spill, two alarm lines), %d spills\n"
          "of %d a run; ceiling: the same into SQLite in memory\n\n", SPILLS, SPILLS_A_RUN);
  printf ("| %-28s | %12s | %12s | %7s |\n", "measure", "file (WAL)", "in memory", "ratio");
  printf ("|------------------------------|--------------|--------------|---------|\n");
  printf ("| %-28s | %12.3f | %12.3f | %7.2f |\n", "ms a spill, writer thread", 1e3 * on_file, 1e3 * in_memory,
          on_file / in_memory);
  printf ("| %-28s | %12.1f | %12s | %7s |\n", "file after the spills, kB", st.st_size / 1024.0, "", "");
  g_clear_pointer (&file, sqlite3_close);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return 0;
}
