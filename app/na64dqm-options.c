/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm's options: what they are, what --help says of them. */
#include "na64dqm-options.h"

#include <stdlib.h>

#include <glib/gi18n.h>

gboolean
dqm_display_options_parse (DqmDisplayOptions *options, int *argc, char ***argv, int *exit_status)
{
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "connect", 'c', 0, G_OPTION_ARG_STRING, &options->endpoint, N_("Subscribe to ENDPOINT (default tcp://127.0.0.1:5555)"), N_("ENDPOINT") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options->demo, N_("Run the NA64 simulator inside the display and show it"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version and exit"), NULL },
    { "standalone", 0, 0, G_OPTION_ARG_NONE, &options->standalone, N_("Run beside a display already open in this session (to watch a second stream)"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options->config_path, N_("Override the built-in configuration with FILE"), N_("FILE") },
    { "snapshot-dir", 'd', 0, G_OPTION_ARG_FILENAME, &options->snapshot_dir, N_("Write a snapshot of every run into DIR"), N_("DIR") },
    { "elog-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->elog.dir, N_("Write the e-log entries (Ctrl+L) into DIR (default: elog in the snapshot directory; attached, in the user's data directory)"), N_("DIR") },
    { "elog-command", 0, 0, G_OPTION_ARG_STRING, &options->elog.command, N_("Run COMMAND on each e-log entry, its folder the last argument (to post it to a logbook)"), N_("COMMAND") },
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &options->registry, N_("The run registry the Runs page shows: with --attach, the monitor's (read only); else the one this display writes (default DIR/registry.sqlite)"), N_("FILE") },
    { "demo-fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->demo_faults, N_("With --demo, inject a fault as na64dqm-sim would, e.g. dead-channel=ecal-main:3,3 or srd-off"), N_("KIND=VALUE") },
    { "attach", 'a', 0, G_OPTION_ARG_STRING, &options->attach, N_("Watch the monitor serving on tcp://HOST:PORT instead of analysing here"), "tcp://HOST:PORT" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &options->client_key, N_("With --attach: this display's key pair for commands (default KEYS/client.key)"), N_("FILE") },
    { "monitor-key", 0, 0, G_OPTION_ARG_STRING, &options->monitor_key, N_("With --attach: the monitor's public key, a file or its text (default KEYS/monitor.pub)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->files, N_("A recorded stream to browse"), N_("[FILE]") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  context = g_option_context_new (_("- the NA64 DQM display"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  dqm_web_view_add_options (context, &options->web);
  g_option_context_add_group (context, dqm_serve_option_group (&options->service));
  g_option_context_set_description (context, _(
    "Examples:\n"
    "  na64dqm --demo                      the simulator inside, for a look or a test\n"
    "  na64dqm --connect tcp://daq01:5555 --snapshot-dir /data/dqm\n"
    "  na64dqm run1.n64                    a recorded stream: its DQM, and its events to browse\n"
    "  na64dqm --standalone --connect tcp://daq02:5555   a second stream beside the first\n"
    "  na64dqm --attach tcp://dqm01:5556   a screen on the monitor's analysis (see na64dqm-ctl)\n"
    "  na64dqm --attach tcp://dqm01:5556 --registry /data/dqm/registry.sqlite   and its Runs page\n"
    "  na64dqm --demo --http 127.0.0.1:8080   and the same DQM in a browser\n"
    "\n"
    "Keys: Space pause, Left/Right step, Shift+Left/Right find, Ctrl+S snapshot,\n"
    "F11 control-room mode, Ctrl+? all shortcuts.\n"));
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("na64dqm: %s\nTry na64dqm --help\n", error->message);
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  if (show_version)
    {
      g_print ("na64dqm %s\n", PACKAGE_VERSION);
      *exit_status = EXIT_SUCCESS;
      return FALSE;
    }
  if (options->attach && (options->demo || options->endpoint || options->files || options->service.serve
                          || options->web.http))
    {
      g_printerr ("na64dqm: --attach watches a monitor's analysis: it goes without --demo, --connect, a FILE, "
                  "--serve or --http (the monitor serves the web view)\n");
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  dqm_sim_faults_init (&options->faults);
  for (guint i = 0; options->demo_faults && options->demo_faults[i]; i++)
    {
      g_auto(GStrv) kind_value = g_strsplit (options->demo_faults[i], "=", 2);

      if (g_str_equal (kind_value[0], "srd-off"))
        options->faults.srd_off = TRUE;
      else if (!dqm_sim_faults_parse (&options->faults, kind_value[0], kind_value[1] ? kind_value[1] : "", &error))
        {
          g_printerr ("na64dqm: --demo-fault: %s\n", error->message);
          *exit_status = EXIT_FAILURE;
      return FALSE;
        }
    }
  /* Said at the start, not when the first entry is posted. */
  if (options->elog.command && !dqm_elog_check_command (options->elog.command, NULL, &error))
    {
      g_printerr ("na64dqm: --elog-command: %s\n", error->message);
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  return TRUE;
}

void
dqm_display_options_clear (DqmDisplayOptions *options)
{
  g_clear_pointer (&options->endpoint, g_free);
  g_clear_pointer (&options->config_path, g_free);
  g_clear_pointer (&options->snapshot_dir, g_free);
  g_clear_pointer (&options->registry, g_free);
  g_clear_pointer (&options->elog.dir, g_free);
  g_clear_pointer (&options->elog.command, g_free);
  g_clear_pointer (&options->files, g_strfreev);
  g_clear_pointer (&options->demo_faults, g_strfreev);
  g_clear_pointer (&options->attach, g_free);
  g_clear_pointer (&options->client_key, g_free);
  g_clear_pointer (&options->monitor_key, g_free);
  dqm_serve_options_clear (&options->service);
  dqm_web_view_options_clear (&options->web);
}
