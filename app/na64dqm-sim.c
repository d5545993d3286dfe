/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include "na64dqm-sim-options.h"


typedef struct {
  DqmSimOptions *options;
  DqmPublisher *publisher;
  DqmFileWriter *writer;
  gint64 origin_us;    /* monotonic time that virtual time 0 maps to */
  guint64 origin_ns;   /* virtual (stream) time at origin_us */
  guint64 sent;
  guint64 recorded;
  gboolean record_failed;  /* the exit status says so */
} Output;

static volatile sig_atomic_t stop_requested;

static void
on_signal (int signum)
{
  stop_requested = 1;
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
          out->record_failed = TRUE;
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
simulate (DqmSimOptions *options, const DqmSetup *setup, Output *out)
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

      /* In the middle of the spill: a third of its beam gone. */
      if (!stalled && options->faults.stall_spill && message.spill == options->faults.stall_spill
          && message.type == DQM_MSG_EVT && message.spill_time_s > spill->length_s / 3)
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
replay (DqmSimOptions *options, Output *out)
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
  g_auto(DqmSimOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = NULL;
  g_autoptr(DqmSetup) setup = NULL;
  Output out = { .options = &options };
  int status;

  setlocale (LC_ALL, "");
  dqm_i18n_init ();
  if (!dqm_sim_options_parse (&options, &argc, &argv, &status))
    return status;
  config = dqm_config_load (options.config_path, &error);
  if (config)
    {
      struct { const char *key; double value; } overrides[] = {
        { "beam_rate_hz", options.rate }, { "length_s", options.spill_length }, { "gap_s", options.spill_gap },
      };
      for (gsize i = 0; i < G_N_ELEMENTS (overrides) && error == NULL; i++)
        if (!isnan (overrides[i].value))
          {
            char text[G_ASCII_DTOSTR_BUF_SIZE];

            dqm_config_set (config, "spill", overrides[i].key, g_ascii_dtostr (text, sizeof text, overrides[i].value), &error);
          }
      if (error == NULL)
        setup = dqm_setup_load (config, options.beam, &error);
      if (setup && !isnan (options.signal))
        {
          if (options.signal < 0 || options.signal > 1)
            {
              g_printerr ("na64dqm-sim: --signal: %g is not a share within 0…1\n", options.signal);
              return EXIT_FAILURE;
            }
          setup->beam.signal_fraction = options.signal;
        }
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
      g_printerr ("na64dqm-sim: recording stopped after %" G_GUINT64_FORMAT " messages: %s\n", out.recorded,
                  error->message);
      out.record_failed = TRUE;
    }
  if (out.record_failed)
    status = EXIT_FAILURE;
  dqm_publisher_free (out.publisher);
  dqm_zmq_shutdown ();
  return status;
}
