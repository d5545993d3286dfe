/* na64dqm-monitor: the headless consumer. For now it checks and counts the
 * stream and prints one line per spill and a run summary. */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include <glib.h>

#include "dqm-source.h"

#define MAX_ERRORS_SHOWN 20

typedef struct {
  guint64 events;          /* in this spill */
  guint64 physics, random, beam;
  guint64 run_events;
  guint64 spills;
  gint64 spill_start_us;
  guint64 errors_shown;
  gboolean quiet;
} Monitor;

static volatile sig_atomic_t stop_requested;

static void
on_signal (int signum)
{
  stop_requested = 1;
}

static void
print_counters (const DqmStreamTracker *tracker)
{
  const DqmStreamCounters *c = &tracker->counters;

  g_print ("  received %" G_GUINT64_FORMAT " messages (%.1f MB), %" G_GUINT64_FORMAT " events; bad %"
           G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT ", records dropped %" G_GUINT64_FORMAT ", stalls %"
           G_GUINT64_FORMAT "\n",
           c->messages, c->bytes / 1e6, c->by_type[DQM_MSG_EVT], c->bad, c->lost_events, c->dropped_records,
           c->stalls);
  for (guint r = 0; r < DQM_STREAM_N_ERRORS; r++)
    if (c->bad_by_reason[r])
      g_print ("    bad (%s): %" G_GUINT64_FORMAT "\n", dqm_stream_error_name (r), c->bad_by_reason[r]);
  for (guint r = 0; r < DQM_N_DROP_REASONS; r++)
    if (c->dropped_by_reason[r])
      g_print ("    record dropped (%s): %" G_GUINT64_FORMAT "\n", dqm_drop_reason_name (r), c->dropped_by_reason[r]);
}

static void
on_message (Monitor *monitor, DqmSource *source, const DqmMessage *message, DqmTrackFlags flags)
{
  const DqmStreamTracker *tracker = dqm_source_get_tracker (source);

  if ((flags & DQM_TRACK_RUN_STARTED) && message->type != DQM_MSG_SOR)
    g_print ("run %u: joined without its sor\n", message->run);
  switch (message->type)
    {
    case DQM_MSG_SOR:
      monitor->run_events = monitor->spills = 0;
      g_print ("run %u: start, beam %s %u GeV, “%s”\n", message->run,
               (const char *[]) { "?", "e-", "e+", "mu-", "pi-" }[message->sor.beam],
               message->sor.beam_energy_gev, message->sor.tag);
      break;
    case DQM_MSG_SOS:
      monitor->events = monitor->physics = monitor->random = monitor->beam = 0;
      monitor->spill_start_us = g_get_monotonic_time ();
      break;
    case DQM_MSG_EVT:
      monitor->events++;
      monitor->run_events++;
      monitor->physics += (message->evt->trigger & DQM_TRIGGER_PHYSICS) != 0;
      monitor->random += (message->evt->trigger & DQM_TRIGGER_RANDOM) != 0;
      monitor->beam += (message->evt->trigger & DQM_TRIGGER_BEAM) != 0;
      break;
    case DQM_MSG_EOS:
      monitor->spills++;
      if (!monitor->quiet)
        g_print ("run %u spill %u: %" G_GUINT64_FORMAT " events received of %" G_GUINT64_FORMAT
                 " sent (physics %" G_GUINT64_FORMAT ", random %" G_GUINT64_FORMAT ", beam %" G_GUINT64_FORMAT
                 "), %" G_GUINT64_FORMAT " triggers, %" G_GUINT64_FORMAT " on target; bad %" G_GUINT64_FORMAT
                 ", lost %" G_GUINT64_FORMAT "\n",
                 message->run, message->eos.spill, monitor->events, message->eos.events_sent, monitor->physics,
                 monitor->random, monitor->beam, message->eos.triggers, message->eos.beam_counts,
                 tracker->counters.bad, tracker->counters.lost_events);
      break;
    case DQM_MSG_EOR:
      g_print ("run %u: end, %" G_GUINT64_FORMAT " events received of %" G_GUINT64_FORMAT " sent in %"
               G_GUINT64_FORMAT " spills\n",
               message->run, monitor->run_events, message->eor.events_sent, monitor->spills);
      print_counters (tracker);
      break;
    case DQM_MSG_HBT:
    default:
      break;
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *endpoint = NULL;
  g_autofree char *input = NULL;
  double stall_seconds = DQM_DEFAULT_STALL_SECONDS;
  gboolean quiet = FALSE;
  gboolean until_eor = FALSE;
  const GOptionEntry entries[] = {
    { "connect", 'c', 0, G_OPTION_ARG_STRING, &endpoint, "Subscribe to ENDPOINT (default tcp://127.0.0.1:5555)", "ENDPOINT" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, "Read a recorded FILE as fast as possible, then exit", "FILE" },
    { "stall-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &stall_seconds, "Report a stall after S seconds of silence in a run (default 5)", "S" },
    { "until-eor", 0, 0, G_OPTION_ARG_NONE, &until_eor, "Exit after the first end of run", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No line per spill", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- check and count an NA64 DAQ stream");
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmSource) source = NULL;
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  Monitor monitor = { 0 };
  DqmReceiveStatus status = DQM_RECEIVE_TIMEOUT;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Examples:\n"
    "  na64dqm-monitor                              follow tcp://127.0.0.1:5555 until Ctrl+C\n"
    "  na64dqm-monitor --connect ipc:///tmp/na64 --until-eor\n"
    "  na64dqm-monitor --input run1.n64\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("na64dqm-monitor: %s\nTry na64dqm-monitor --help\n", error->message);
      return EXIT_FAILURE;
    }
  monitor.quiet = quiet;
  source = input ? dqm_source_new_file (input, &error)
                 : dqm_source_new_zmq (endpoint ? endpoint : DQM_DEFAULT_ENDPOINT, stall_seconds, &error);
  if (source == NULL)
    {
      g_printerr ("na64dqm-monitor: %s\n", error->message);
      return EXIT_FAILURE;
    }
  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  if (!input)
    g_print ("na64dqm-monitor: listening on %s\n", dqm_source_get_name (source));

  while (!stop_requested && status != DQM_RECEIVE_END)
    {
      DqmMessage message;
      DqmTrackFlags flags;

      status = dqm_source_next (source, 200, &message, event, &flags, &error);
      if (status == DQM_RECEIVE_MESSAGE)
        {
          on_message (&monitor, source, &message, flags);
          if (until_eor && message.type == DQM_MSG_EOR)
            break;
        }
      else if (status == DQM_RECEIVE_BAD)
        {
          if (monitor.errors_shown++ < MAX_ERRORS_SHOWN)
            g_printerr ("na64dqm-monitor: bad message: %s%s\n", error->message,
                        monitor.errors_shown == MAX_ERRORS_SHOWN ? " (further ones are only counted)" : "");
          g_clear_error (&error);
        }
      else if (status == DQM_RECEIVE_STALLED)
        g_printerr ("na64dqm-monitor: stream stalled: nothing from %s for %g s in run %u\n",
                    dqm_source_get_name (source), stall_seconds, dqm_source_get_tracker (source)->run);
    }

  g_print ("na64dqm-monitor: %s, stream %s\n", stop_requested ? "stopped" : "done",
           dqm_stream_state_name (dqm_source_get_tracker (source)->state));
  print_counters (dqm_source_get_tracker (source));
  g_clear_pointer (&source, dqm_source_free);
  dqm_zmq_shutdown ();
  return EXIT_SUCCESS;
}
