/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-sim's options: what they are, what --help says of them. */
#include "na64dqm-sim-options.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "dqm-zmq.h"

static gboolean
on_fault_option (const char *name, const char *value, gpointer data, GError **error)
{
  return dqm_sim_faults_parse (&((DqmSimOptions *) data)->faults, name + 2, value ? value : "", error);
}

static gboolean
on_srd_off (const char *name, const char *value, gpointer data, GError **error)
{
  ((DqmSimOptions *) data)->faults.srd_off = TRUE;
  return TRUE;
}

gboolean
dqm_sim_options_parse (DqmSimOptions *options, int *argc, char ***argv, int *exit_status)
{
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &options->bind, N_("Publish on ENDPOINT (default tcp://127.0.0.1:5555)"), "ENDPOINT" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config_path, N_("Override the built-in configuration with FILE"), "FILE" },
    { "beam", 0, 0, G_OPTION_ARG_STRING, &options->beam, N_("Beam: e- (default), e+, mu- or pi-"), "BEAM" },
    { "run", 'r', 0, G_OPTION_ARG_INT, &options->run, N_("Run number (default 1)"), "N" },
    { "spills", 'n', 0, G_OPTION_ARG_INT, &options->spills, N_("Stop after N spills (default: run until stopped)"), "N" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &options->rate, N_("Beam particles a second during the spill (default 625000)"), "HZ" },
    { "signal", 0, 0, G_OPTION_ARG_DOUBLE, &options->signal, N_("Make a share F of the beam electrons signal-like (default 0, as in a real run)"), "F" },
    { "spill-length", 0, 0, G_OPTION_ARG_DOUBLE, &options->spill_length, N_("Spill length, s (default 4.8)"), "S" },
    { "spill-gap", 0, 0, G_OPTION_ARG_DOUBLE, &options->spill_gap, N_("Time between spills, s (default 5)"), "S" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &options->seed, N_("Random seed: the same seed and start time give the same stream"), "N" },
    { "start-time", 0, 0, G_OPTION_ARG_INT64, &options->start_time, N_("Stream time of the sor, ns since the epoch (default now)"), "NS" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &options->record, N_("Also write the stream to FILE (never overwritten)"), "FILE" },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &options->replay, N_("Publish the recorded FILE instead of simulating"), "FILE" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &options->speed, N_("Replay speed factor; 0 = as fast as possible (default 1)"), "X" },
    { "wait-subscriber", 'w', 0, G_OPTION_ARG_DOUBLE, &options->wait_subscriber, N_("Wait up to S seconds for a subscriber before sending"), "S" },
    { "fast", 0, 0, G_OPTION_ARG_NONE, &options->fast, N_("Do not pace in real time: send as fast as possible"), NULL },
    { "no-publish", 0, 0, G_OPTION_ARG_NONE, &options->no_publish, N_("Do not open a socket (with --record: make a file)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet, N_("Print only errors"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version and exit"), NULL },
    { NULL },
  };
  const GOptionEntry fault_entries[] = {
    { "faults-from-spill", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Faults act from spill N on (default 1)"), "N" },
    { "dead-channel", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Channel CH gives no signal (number or name, e.g. ecal-main:3,3)"), "CH" },
    { "hot-channel", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Channel CH fires spurious pulses in half the events"), "CH" },
    { "pedestal-drift", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Pedestals of CH drift by COUNTS per spill"), "CH:COUNTS" },
    { "veto-inefficiency", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("VETO counter C (0–2) misses a share F of particles"), "C:F" },
    { "veto-noise", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("VETO counter C fires on noise in a share P of events"), "C:P" },
    { "hadron-fraction", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Beam purity drop: share F of hadrons in the beam"), "F" },
    { "srd-off", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_srd_off, N_("The SRD sees nothing"), NULL },
    { "corrupt-fraction", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Corrupt a share F of evt messages"), "F" },
    { "trigger-loss", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("The trigger logic misses a share F of the physics triggers"), "F" },
    { "ecal-sag", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("The aimed ECAL cell's gain sags by a share F early in each spill, with the intensity"), "F" },
    { "gain-drift", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("The gain of CH changes by a share R per spill (seen by the LED)"), "CH:R" },
    { "stall", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Send nothing for S seconds in the middle of spill N"), "N:S" },
    { "restart", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Close and reopen the publisher after spill N"), "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionGroup *faults;

  *options = (DqmSimOptions) {
    .run = 1, .spills = 0, .rate = NAN, .signal = NAN, .spill_length = NAN,
    .spill_gap = NAN, .seed = -1, .start_time = -1, .speed = 1.0,
  };
  context = g_option_context_new (_("- publish a simulated NA64 DAQ stream"));
  faults = g_option_group_new ("faults", _("Fault injection (each must raise a DQM alarm):"),
                               _("Show the fault injection options"), options, NULL);
  dqm_sim_faults_init (&options->faults);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_group_set_translation_domain (faults, GETTEXT_PACKAGE);
  g_option_group_add_entries (faults, fault_entries);
  g_option_context_add_group (context, faults);
  g_option_context_set_description (context, _(
    "Examples:\n"
    "  na64dqm-sim --spills 3                      3 spills of 100 GeV e- on tcp://127.0.0.1:5555\n"
    "  na64dqm-sim --beam mu- --rate 1e6           160 GeV muons at 1 MHz until Ctrl+C\n"
    "  na64dqm-sim --dead-channel ecal-main:3,3 --veto-inefficiency 1:0.3\n"
    "  na64dqm-sim --spills 2 --seed 7 --start-time 0 --fast --no-publish --record run1.n64\n"
    "  na64dqm-sim --replay run1.n64 --speed 2\n"));
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("na64dqm-sim: %s\nTry na64dqm-sim --help\n", error->message);
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  if (show_version)
    {
      g_print ("%s %s\n", "na64dqm-sim", PACKAGE_VERSION);
      *exit_status = EXIT_SUCCESS;
      return FALSE;
    }
  if (options->run <= 0 || options->spills < 0)
    {
      g_printerr ("na64dqm-sim: --run must be > 0 and --spills ≥ 0\n");
      *exit_status = EXIT_FAILURE;
      return FALSE;
    }
  if (options->seed < 0)
    options->seed = g_random_int ();
  /* Set after parsing: GOption would drop a default it replaces unfreed. */
  if (options->bind == NULL)
    options->bind = g_strdup (DQM_DEFAULT_ENDPOINT);
  return TRUE;
}

void
dqm_sim_options_clear (DqmSimOptions *options)
{
  g_clear_pointer (&options->bind, g_free);
  g_clear_pointer (&options->config_path, g_free);
  g_clear_pointer (&options->beam, g_free);
  g_clear_pointer (&options->record, g_free);
  g_clear_pointer (&options->replay, g_free);
}
