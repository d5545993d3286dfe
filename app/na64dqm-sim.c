/* na64dqm-sim: publishes a simulated (or replayed) NA64 DAQ stream. */
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "dqm-i18n.h"
#include "dqm-config.h"
#include "dqm-file.h"
#include "dqm-setup.h"
#include "dqm-sim-run.h"
#include "dqm-zmq.h"

typedef struct {
  char *bind;
  char *config_path;
  char *beam;
  int run;
  int spills;
  double rate;
  double spill_length;
  double spill_gap;
  gint64 seed;
  gint64 start_time;
  char *record;
  char *replay;
  double speed;
  double wait_subscriber;
  gboolean fast;
  gboolean no_publish;
  gboolean quiet;
  DqmSimFaults faults;
} Options;

typedef struct {
  Options *options;
  DqmPublisher *publisher;
  DqmFileWriter *writer;
  gint64 origin_us;    /* monotonic time that virtual time 0 maps to */
  guint64 origin_ns;   /* virtual (stream) time at origin_us */
  guint64 sent;
  guint64 recorded;
} Output;

static volatile sig_atomic_t stop_requested;
static Options *parse_target;

static void
on_signal (int signum)
{
  stop_requested = 1;
}

static gboolean
on_fault_option (const char *name, const char *value, gpointer data, GError **error)
{
  return dqm_sim_faults_parse (&parse_target->faults, name + 2, value ? value : "", error);
}

static gboolean
on_srd_off (const char *name, const char *value, gpointer data, GError **error)
{
  parse_target->faults.srd_off = TRUE;
  return TRUE;
}

/* Sleeps until stream time @time_ns is due, in short naps so a signal or a
 * stall is noticed at once. */
static void
pace (Output *out, guint64 time_ns)
{
  double speed = out->options->speed;
  gint64 due_us;

  if (out->options->fast || speed <= 0 || time_ns < out->origin_ns)
    return;
  due_us = out->origin_us + (gint64) ((time_ns - out->origin_ns) / 1000 / speed);
  while (!stop_requested)
    {
      gint64 left = due_us - g_get_monotonic_time ();

      if (left <= 0)
        break;
      g_usleep (MIN (left, 50000));
    }
}

static void
emit (Output *out, const char *topic, const guint8 *body, gsize length)
{
  g_autoptr(GError) error = NULL;

  if (out->publisher && !dqm_publisher_send (out->publisher, topic, body, length, &error))
    g_printerr ("na64dqm-sim: %s\n", error->message);
  out->sent++;
  if (out->writer)
    {
      if (dqm_file_writer_write (out->writer, body, length, &error))
        out->recorded++;
      else
        {
          /* Keep publishing; what is on disk so far stays readable. */
          g_printerr ("na64dqm-sim: recording stopped after %" G_GUINT64_FORMAT " messages: %s\n",
                      out->recorded, error->message);
          g_clear_error (&error);
          if (!dqm_file_writer_close (out->writer, &error))
            g_printerr ("na64dqm-sim: %s\n", error->message);
          out->writer = NULL;
        }
    }
}

static void
nap (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!stop_requested && g_get_monotonic_time () < until)
    g_usleep (20000);
}

static gboolean
restart_publisher (Output *out, GError **error)
{
  if (out->publisher == NULL)
    return TRUE;
  g_print ("na64dqm-sim: fault: restarting the publisher\n");
  g_clear_pointer (&out->publisher, dqm_publisher_free);
  nap (1.0);
  out->origin_us += G_USEC_PER_SEC;
  out->publisher = dqm_publisher_new (out->options->bind, error);
  return out->publisher != NULL;
}

static void
print_spill (const DqmSimMessage *message, Output *out)
{
  DqmMessage decoded;
  g_autofree DqmEvent *scratch = g_new (DqmEvent, 1);

  if (out->options->quiet || !dqm_stream_decode (message->body->data, message->body->len, &decoded, scratch, NULL))
    return;
  g_print ("spill %u: %" G_GUINT64_FORMAT " events sent, %" G_GUINT64_FORMAT " physics triggers, %"
           G_GUINT64_FORMAT " particles on target\n",
           decoded.eos.spill, decoded.eos.events_sent, decoded.eos.triggers, decoded.eos.beam_counts);
}

static int
simulate (Options *options, const DqmSetup *setup, Output *out)
{
  g_autoptr(DqmSimRun) run = NULL;
  DqmSimMessage message;
  gboolean stalled = FALSE;
  guint64 start_ns = options->start_time >= 0 ? (guint64) options->start_time : (guint64) g_get_real_time () * 1000;

  run = dqm_sim_run_new (setup, &options->faults, options->run, options->spills, options->seed, start_ns);
  out->origin_ns = start_ns;
  out->origin_us = g_get_monotonic_time ();
  if (!options->quiet)
    g_print ("na64dqm-sim: run %d, %s beam at %g GeV, seed %" G_GINT64_FORMAT ", start time %" G_GUINT64_FORMAT " ns\n",
             options->run, setup->beam.name, setup->beam.energy_gev, options->seed, start_ns);

  while (!stop_requested && dqm_sim_run_next (run, &message))
    {
      const DqmSpillSetup *spill = &setup->spill;

      if (!stalled && options->faults.stall_spill && message.spill == options->faults.stall_spill
          && message.type == DQM_MSG_EVT && message.event->event_in_spill > spill->trigger_rate_hz * spill->length_s / 3)
        {
          stalled = TRUE;
          if (!options->quiet)
            g_print ("na64dqm-sim: fault: stream stalls for %g s\n", options->faults.stall_s);
          nap (options->faults.stall_s);
          out->origin_us += (gint64) (options->faults.stall_s * G_USEC_PER_SEC);
        }
      pace (out, message.time_ns);
      emit (out, message.topic, message.body->data, message.body->len);
      if (message.type == DQM_MSG_EOS)
        {
          g_autoptr(GError) error = NULL;

          print_spill (&message, out);
          if (options->faults.restart_spill == message.spill && !restart_publisher (out, &error))
            {
              g_printerr ("na64dqm-sim: %s\n", error->message);
              return EXIT_FAILURE;
            }
        }
    }

  if (stop_requested)
    {
      /* An operator stop: close the run as the DAQ would. */
      DqmMessage eor = { .type = DQM_MSG_EOR, .run = options->run };
      g_autoptr(GByteArray) body = g_byte_array_new ();

      eor.eor.time_ns = start_ns + (guint64) (g_get_monotonic_time () - out->origin_us) * 1000;
      eor.eor.events_sent = dqm_sim_run_events_sent (run);
      dqm_stream_encode (&eor, body);
      emit (out, "eor", body->data, body->len);
    }
  if (!options->quiet)
    g_print ("na64dqm-sim: run %d ended, %" G_GUINT64_FORMAT " events sent\n", options->run,
             dqm_sim_run_events_sent (run));
  return EXIT_SUCCESS;
}

static guint64
message_time (const guint8 *body, gsize length, DqmEvent *scratch)
{
  DqmMessage message;

  if (!dqm_stream_decode (body, length, &message, scratch, NULL))
    return 0;
  switch (message.type)
    {
    case DQM_MSG_EVT: return message.evt->time_ns;
    case DQM_MSG_SOR: return message.sor.time_ns;
    case DQM_MSG_SOS: return message.sos.time_ns;
    case DQM_MSG_EOS: return message.eos.time_ns;
    case DQM_MSG_EOR:
    case DQM_MSG_HBT:
    default: return message.eor.time_ns;
    }
}

static int
replay (Options *options, Output *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmFileReader) reader = dqm_file_reader_open (options->replay, &error);
  g_autofree DqmEvent *scratch = g_new (DqmEvent, 1);
  const guint8 *body;
  gsize length;
  DqmFileStatus status;
  guint64 damaged = 0;
  gboolean first = TRUE;

  if (reader == NULL)
    {
      g_printerr ("na64dqm-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  out->origin_us = g_get_monotonic_time ();
  while (!stop_requested && (status = dqm_file_reader_next (reader, &body, &length, &error)) != DQM_FILE_END)
    {
      DqmMsgType type;
      guint64 time_ns;

      if (status == DQM_FILE_DAMAGED)
        {
          g_printerr ("na64dqm-sim: %s\n", error->message);
          g_clear_error (&error);
          damaged++;
          continue;
        }
      /* Bad bodies are replayed too: the file is what the DAQ sent. */
      if (!dqm_stream_peek_header (body, length, &type, NULL, NULL))
        continue;
      time_ns = message_time (body, length, scratch);
      if (first && time_ns)
        {
          out->origin_ns = time_ns;
          first = FALSE;
        }
      if (time_ns)
        pace (out, time_ns);
      emit (out, dqm_msg_type_topic (type), body, length);
    }
  if (!options->quiet)
    g_print ("na64dqm-sim: replayed %" G_GUINT64_FORMAT " messages from %s, %" G_GUINT64_FORMAT " damaged parts skipped\n",
             out->sent, options->replay, damaged);
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  Options options = {
    .bind = g_strdup (DQM_DEFAULT_ENDPOINT), .run = 1, .spills = 0, .rate = NAN, .spill_length = NAN,
    .spill_gap = NAN, .seed = -1, .start_time = -1, .speed = 1.0,
  };
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &options.bind, N_("Publish on ENDPOINT (default tcp://127.0.0.1:5555)"), "ENDPOINT" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options.config_path, N_("Override the built-in configuration with FILE"), "FILE" },
    { "beam", 0, 0, G_OPTION_ARG_STRING, &options.beam, N_("Beam: e- (default), e+, mu- or pi-"), "BEAM" },
    { "run", 'r', 0, G_OPTION_ARG_INT, &options.run, N_("Run number (default 1)"), "N" },
    { "spills", 'n', 0, G_OPTION_ARG_INT, &options.spills, N_("Stop after N spills (default: run until stopped)"), "N" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &options.rate, N_("Trigger rate during the spill, Hz (default 3000)"), "HZ" },
    { "spill-length", 0, 0, G_OPTION_ARG_DOUBLE, &options.spill_length, N_("Spill length, s (default 4.8)"), "S" },
    { "spill-gap", 0, 0, G_OPTION_ARG_DOUBLE, &options.spill_gap, N_("Time between spills, s (default 5)"), "S" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &options.seed, N_("Random seed: the same seed and start time give the same stream"), "N" },
    { "start-time", 0, 0, G_OPTION_ARG_INT64, &options.start_time, N_("Stream time of the sor, ns since the epoch (default now)"), "NS" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &options.record, N_("Also write the stream to FILE (never overwritten)"), "FILE" },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &options.replay, N_("Publish the recorded FILE instead of simulating"), "FILE" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &options.speed, N_("Replay speed factor; 0 = as fast as possible (default 1)"), "X" },
    { "wait-subscriber", 'w', 0, G_OPTION_ARG_DOUBLE, &options.wait_subscriber, N_("Wait up to S seconds for a subscriber before sending"), "S" },
    { "fast", 0, 0, G_OPTION_ARG_NONE, &options.fast, N_("Do not pace in real time: send as fast as possible"), NULL },
    { "no-publish", 0, 0, G_OPTION_ARG_NONE, &options.no_publish, N_("Do not open a socket (with --record: make a file)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options.quiet, N_("Print only errors"), NULL },
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
    { "stall", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Send nothing for S seconds in the middle of spill N"), "N:S" },
    { "restart", 0, 0, G_OPTION_ARG_CALLBACK, on_fault_option, N_("Close and reopen the publisher after spill N"), "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  GOptionGroup *faults;
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = NULL;
  g_autoptr(DqmSetup) setup = NULL;
  Output out = { .options = &options };
  int status;

  setlocale (LC_ALL, "");
  dqm_i18n_init ();
  context = g_option_context_new (_("- publish a simulated NA64 DAQ stream"));
  faults = g_option_group_new ("faults", _("Fault injection (each must raise a DQM alarm):"),
                               _("Show the fault injection options"), NULL, NULL);
  dqm_sim_faults_init (&options.faults);
  parse_target = &options;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_group_set_translation_domain (faults, GETTEXT_PACKAGE);
  g_option_group_add_entries (faults, fault_entries);
  g_option_context_add_group (context, faults);
  g_option_context_set_description (context, _(
    "Examples:\n"
    "  na64dqm-sim --spills 3                      3 spills of 100 GeV e- on tcp://127.0.0.1:5555\n"
    "  na64dqm-sim --beam mu- --rate 10000         160 GeV muons at 10 kHz until Ctrl+C\n"
    "  na64dqm-sim --dead-channel ecal-main:3,3 --veto-inefficiency 1:0.3\n"
    "  na64dqm-sim --spills 2 --seed 7 --start-time 0 --fast --no-publish --record run1.n64\n"
    "  na64dqm-sim --replay run1.n64 --speed 2\n"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("na64dqm-sim: %s\nTry na64dqm-sim --help\n", error->message);
      return EXIT_FAILURE;
    }
  if (show_version)
    {
      g_print ("%s %s\n", "na64dqm-sim", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (options.run <= 0 || options.spills < 0)
    {
      g_printerr ("na64dqm-sim: --run must be > 0 and --spills ≥ 0\n");
      return EXIT_FAILURE;
    }
  if (options.seed < 0)
    options.seed = g_random_int ();

  config = dqm_config_load (options.config_path, &error);
  if (config)
    {
      struct { const char *key; double value; } overrides[] = {
        { "trigger_rate_hz", options.rate }, { "length_s", options.spill_length }, { "gap_s", options.spill_gap },
      };
      for (gsize i = 0; i < G_N_ELEMENTS (overrides) && error == NULL; i++)
        if (!isnan (overrides[i].value))
          {
            char text[G_ASCII_DTOSTR_BUF_SIZE];

            dqm_config_set (config, "spill", overrides[i].key, g_ascii_dtostr (text, sizeof text, overrides[i].value), &error);
          }
      if (error == NULL)
        setup = dqm_setup_load (config, options.beam, &error);
    }
  if (setup == NULL && options.replay == NULL)
    {
      g_printerr ("na64dqm-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_clear_error (&error);

  if (!options.no_publish && (out.publisher = dqm_publisher_new (options.bind, &error)) == NULL)
    {
      g_printerr ("na64dqm-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (options.record && (out.writer = dqm_file_writer_new (options.record, &error)) == NULL)
    {
      g_printerr ("na64dqm-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  if (out.publisher && options.wait_subscriber > 0
      && !dqm_publisher_wait_subscriber (out.publisher, (int) (options.wait_subscriber * 1000)))
    g_printerr ("na64dqm-sim: no subscriber after %g s, sending anyway\n", options.wait_subscriber);

  status = options.replay ? replay (&options, &out) : simulate (&options, setup, &out);

  if (out.writer && !dqm_file_writer_close (out.writer, &error))
    {
      g_printerr ("na64dqm-sim: %s\n", error->message);
      status = EXIT_FAILURE;
    }
  dqm_publisher_free (out.publisher);
  dqm_zmq_shutdown ();
  g_free (options.bind);
  return status;
}
