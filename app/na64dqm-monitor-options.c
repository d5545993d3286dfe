/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-monitor's options: what they are, what --help says of them. */
#include "na64dqm-monitor-options.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "dqm-stream-counters.h"

gboolean
dqm_monitor_options_parse (DqmMonitorOptions *options, int *argc, char ***argv, int *exit_status)
{
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "connect", 'c', 0, G_OPTION_ARG_STRING, &options->endpoint, N_("Subscribe to ENDPOINT (default tcp://127.0.0.1:5555)"), "ENDPOINT" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &options->input, N_("Process a recorded FILE as fast as possible, then exit"), "FILE" },
    { "snapshot-dir", 'd', 0, G_OPTION_ARG_FILENAME, &options->snapshot_dir, N_("Write a snapshot of every run into DIR"), "DIR" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options->config_path, N_("Override the built-in configuration with FILE"), "FILE" },
    { "elog-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->elog.dir, N_("Write e-log entries (na64dqm-ctl elog) into DIR (default DIR/elog with --snapshot-dir)"), N_("DIR") },
    { "elog-command", 0, 0, G_OPTION_ARG_STRING, &options->elog.command, N_("Run COMMAND on each e-log entry, its folder the last argument (to post it to a logbook)"), N_("COMMAND") },
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &options->registry, N_("Record runs, spills and alarms in the SQLite FILE (default DIR/registry.sqlite with --snapshot-dir)"), "FILE" },
    { "reference", 0, 0, G_OPTION_ARG_FILENAME, &options->reference_dir, N_("Compare histogram shapes with the snapshot in DIR"), "DIR" },
    { "stall-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &options->stall_seconds, N_("Stream stalled after S seconds of silence in a run (default 5)"), "S" },
    { "queue", 0, 0, G_OPTION_ARG_INT, &options->queue, N_("Events waiting for analysis before new ones are dropped (default 4096)"), "N" },
    { "until-eor", 0, 0, G_OPTION_ARG_NONE, &options->until_eor, N_("Exit after the first end of run"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet, N_("No line per spill"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version and exit"), NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  *options = (DqmMonitorOptions) { .stall_seconds = DQM_DEFAULT_STALL_SECONDS, .queue = 4096 };
  context = g_option_context_new (_("- the NA64 DQM without a display"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  dqm_web_view_add_options (context, &options->web);
  g_option_context_add_group (context, dqm_serve_option_group (&options->service));
  g_option_context_set_description (context, _(
    "Prints one line per spill (events, rate, beam purity, hadrons, candidates,\n"
    "alarms), each alarm change as it happens, and a summary per run. With\n"
    "--snapshot-dir, writes DIR/run-NNNNNN/ at each end of run and on exit.\n"
    "\n"
    "Examples:\n"
    "  na64dqm-monitor --snapshot-dir /data/dqm\n"
    "  na64dqm-monitor --connect tcp://daq01:5555 --snapshot-dir /data/dqm --config h4-2026.conf\n"
    "  na64dqm-monitor --input run1.n64 --snapshot-dir .\n"
    "  na64dqm-monitor --snapshot-dir /data/dqm --reference /data/dqm/run-001234\n"
    "  na64dqm-monitor --snapshot-dir /data/dqm --serve tcp://127.0.0.1:5556\n"));
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("na64dqm-monitor: %s\nTry na64dqm-monitor --help\n", error->message);
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  if (show_version)
    {
      g_print ("%s %s\n", "na64dqm-monitor", PACKAGE_VERSION);
      *exit_status = EXIT_SUCCESS;
      return FALSE;
    }
  if (options->queue < 1 || options->stall_seconds <= 0)
    {
      g_printerr ("na64dqm-monitor: --queue must be ≥ 1 and --stall-seconds > 0\n");
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  /* Said at the start, not when the first entry is posted. */
  if (options->elog.command && !dqm_elog_check_command (options->elog.command, NULL, &error))
    {
      g_printerr ("na64dqm-monitor: --elog-command: %s\n", error->message);
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  return TRUE;
}

void
dqm_monitor_options_clear (DqmMonitorOptions *options)
{
  g_clear_pointer (&options->endpoint, g_free);
  g_clear_pointer (&options->input, g_free);
  g_clear_pointer (&options->snapshot_dir, g_free);
  g_clear_pointer (&options->config_path, g_free);
  g_clear_pointer (&options->reference_dir, g_free);
  g_clear_pointer (&options->registry, g_free);
  g_clear_pointer (&options->elog.dir, g_free);
  g_clear_pointer (&options->elog.command, g_free);
  dqm_serve_options_clear (&options->service);
  dqm_web_view_options_clear (&options->web);
}
