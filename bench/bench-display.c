/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The display under a stream faster than the analysis: frames must keep
 * coming while events are dropped (and said to be). Measures the frame rate
 * and the longest gap between two frames of the main thread, with a tick
 * callback, over DURATION seconds of a 50 kHz simulated stream: first on the
 * live view, then on the event inspector following the newest events.
 * Run under a (virtual) display: xvfb-run -a build/bench/bench-display */
#include <stdio.h>

#include <gtk/gtk.h>

#include "dqm-pipeline.h"
#include "dqm-sim-publisher.h"
#include "dqm-window.h"

#define DURATION_S 15

typedef struct {
  gint64 start_us, last_us, longest_gap_us;
  guint  frames;
} Frames;

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Frames *f = data;
  gint64 now = g_get_monotonic_time ();

  if (f->start_us == 0)
    f->start_us = now;
  else
    f->longest_gap_us = MAX (f->longest_gap_us, now - f->last_us);
  f->last_us = now;
  f->frames++;
  /* Keep the frame clock running, as a busy wall screen would. */
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(GtkApplication) application = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(DqmState) state = NULL;
  DqmSimPublisher *daq;
  DqmPipeline *pipeline;
  DqmWindow *window;
  Frames frames = { 0 }, live;
  DqmPreferences preferences = { .kept_events = 1000 };

  gtk_init ();
  application = gtk_application_new ("org.na64.DqmBench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, NULL);
  /* Far more than one core can reconstruct: the pipeline must drop. Every
   * particle of a 50 kHz beam is recorded (the beam trigger unprescaled). */
  dqm_config_set (config, "spill", "beam_rate_hz", "50000", NULL);
  dqm_config_set (config, "trigger", "beam_prescale", "1", NULL);
  dqm_config_set (config, "spill", "gap_s", "0.5", NULL);
  setup = dqm_setup_load (config, NULL, NULL);
  daq = dqm_sim_publisher_start (setup, NULL, "tcp://127.0.0.1:*", 100, NULL);
  pipeline = dqm_pipeline_new (dqm_source_new_zmq (dqm_sim_publisher_get_endpoint (daq), 5, NULL), config, NULL, NULL);
  dqm_pipeline_start (pipeline);
  window = dqm_window_new (application, pipeline, config, &preferences);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, &frames, NULL);
  g_timeout_add_seconds (DURATION_S, quit, loop);
  g_main_loop_run (loop);
  live = frames;
  dqm_window_show_page (window, "event");
  frames = (Frames) { 0 };
  g_timeout_add_seconds (DURATION_S, quit, loop);
  g_main_loop_run (loop);

  state = dqm_pipeline_get_state (pipeline);
  printf ("display under a 50 kHz simulated stream, %d s per page (2 cores shared by simulator, receiver, analysis,"
          " GTK)\n\n", DURATION_S);
  printf ("| %-38s | %14s | %14s |\n|%s|%s|%s|\n", "measure", "live view", "inspector", "----------------------------------------",
          "----------------", "----------------");
  printf ("| %-38s | %14.1f | %14.1f |\n", "frames per second", live.frames / ((live.last_us - live.start_us) / 1e6),
          frames.frames / ((frames.last_us - frames.start_us) / 1e6));
  printf ("| %-38s | %11.1f ms | %11.1f ms |\n", "longest main-thread gap between frames", live.longest_gap_us / 1000.0,
          frames.longest_gap_us / 1000.0);
  printf ("\nboth pages together:\n\n| %-38s | %14s |\n|%s|%s|\n", "measure", "value",
          "----------------------------------------", "----------------");
  printf ("| %-38s | %14" G_GUINT64_FORMAT " |\n", "events received", state->counters.by_type[DQM_MSG_EVT]);
  printf ("| %-38s | %14" G_GUINT64_FORMAT " |\n", "events analysed", state->events_processed);
  printf ("| %-38s | %14" G_GUINT64_FORMAT " |\n", "events dropped (counted, alarmed)", state->events_dropped);
  printf ("| %-38s | %14s |\n", "dropped-events alarm",
          dqm_alarm_state_name (dqm_state_find_alarm (state, "dropped-events")->latched));
  printf ("| %-38s | %11.1f ms |\n", "longest analysis-thread gap", dqm_pipeline_longest_stall_us (pipeline) / 1000.0);
  gtk_window_destroy (GTK_WINDOW (window));
  dqm_pipeline_free (pipeline);
  dqm_sim_publisher_stop (daq);
  dqm_zmq_shutdown ();
  return 0;
}
