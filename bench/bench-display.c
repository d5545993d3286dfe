/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The display under a live stream, on both GTK renderers: frames must keep
 * coming at the frame clock's pace whatever the rate, and what is drawn
 * must be fresh. For each renderer (cairo; GL, which under Xvfb is Mesa's
 * software llvmpipe) and each rate (3 kHz, as in a spill at ~1.1 MHz of
 * beam; 50 kHz, far beyond what the analysis takes: drops expected), in a
 * process of its own, DURATION_S seconds of the live view then of the event
 * inspector following the newest events, measuring:
 *   - frames per second and the longest gap between two frames of the main
 *     thread (a tick callback keeps the frame clock running, as a blinking
 *     wall screen does);
 *   - event-to-screen latency: each time a plot is redrawn with a new state,
 *     the clock after that frame is painted against the stream time of the
 *     newest message in the state it drew (the simulator stamps messages
 *     with the wall clock as it sends them): the age of the data as it
 *     reaches the screen; until the plot's next redraw (250 ms at most) the
 *     picture ages on;
 * beside the ceiling measured in the same run: the same window with no
 * stream at all. The third set of columns is a display attached to a
 * na64dqm-monitor process (--serve) that analyses the stream: the window
 * draws the monitor's state, fed over the service (cairo). The header says
 * which renderer na64dqm itself chooses here (cairo where OpenGL is drawn
 * in software).
 * Run under a (virtual) display: xvfb-run -a build/bench/bench-display */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <gtk/gtk.h>

#include "dqm-link.h"
#include "dqm-pipeline.h"
#include "dqm-plot-view.h"
#include "dqm-renderer.h"
#include "dqm-sim-publisher.h"
#include "dqm-window.h"

#define DURATION_S 10

typedef struct {
  gint64  start_us, last_us, longest_gap_us;
  guint   frames;
  GArray *latency_ms;   /* double */
  GPtrArray *views;     /* the window's plot views */
  gint64 *seen_us;      /* each view's last drawing, when sampled */
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

/* After a frame is painted: the plots redrawn in it, and how old the
 * newest event they show is now. */
static void
on_after_paint (GdkFrameClock *clock, Frames *f)
{
  gint64 real_us = g_get_real_time ();

  for (guint i = 0; i < f->views->len; i++)
    {
      DqmPlotView *view = f->views->pdata[i];
      gint64 drawn = dqm_plot_view_get_drawn_us (view);
      guint64 stream_ns = dqm_plot_view_get_drawn_stream_ns (view);

      if (drawn == f->seen_us[i] || stream_ns == 0 || !gtk_widget_get_mapped (GTK_WIDGET (view)))
        continue;
      f->seen_us[i] = drawn;
      g_array_append_val (f->latency_ms, ((double) { (real_us - (gint64) (stream_ns / 1000)) / 1000.0 }));
    }
}

static void
collect_views (GtkWidget *widget, GPtrArray *views)
{
  if (DQM_IS_PLOT_VIEW (widget))
    g_ptr_array_add (views, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_views (child, views);
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

static void
measure_page (DqmWindow *window, GMainLoop *loop, const char *page, Frames *f)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint tick;
  gulong painted;

  dqm_window_show_page (window, page);
  f->latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  f->views = g_ptr_array_new ();
  collect_views (GTK_WIDGET (window), f->views);
  /* Drawings made before the measurement are not new ones. */
  f->seen_us = g_new0 (gint64, f->views->len);
  for (guint i = 0; i < f->views->len; i++)
    f->seen_us[i] = dqm_plot_view_get_drawn_us (f->views->pdata[i]);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, f, NULL);
  painted = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), f);
  g_timeout_add_seconds (DURATION_S, quit, loop);
  g_main_loop_run (loop);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
  g_signal_handler_disconnect (clock, painted);
}

/* A na64dqm-monitor process serving the stream from @endpoint, and the
 * link to it; its keys in @dir. */
static DqmLink *
attach_monitor (const char *self, const char *endpoint, const char *dir, GPid *pid)
{
  g_autofree char *bench_dir = g_path_get_dirname (self);
  g_autofree char *monitor = g_build_filename (bench_dir, "..", "app", "na64dqm-monitor", NULL);
  g_autofree char *keys = g_build_filename (dir, "na64dqm", "keys", NULL);
  g_autofree char *pub = g_build_filename (keys, "monitor.pub", NULL);
  guint port = g_random_int_range (20000, 60000);
  g_autofree char *serve = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autofree char *commands = g_strdup_printf ("tcp://127.0.0.1:%u", port + 1);
  const char *argv[] = { monitor, "--connect", endpoint, "--serve", serve, "--quiet", NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_CONFIG_HOME", dir, TRUE);
  DqmClientOptions options = { .feed_endpoint = serve, .command_endpoint = commands, .keys_dir = keys };
  g_autoptr(GError) error = NULL;
  DqmLink *link;

  if (!g_spawn_async (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                      pid, &error))
    g_error ("%s: %s", monitor, error->message);
  for (int i = 0; i < 200 && !g_file_test (pub, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  if ((link = dqm_link_new_remote (&options, 1000, &error)) == NULL)
    g_error ("attaching to %s: %s", serve, error->message);
  return link;
}

/* One renderer and rate, in this process: prints one line of numbers. */
static int
run_one (const char *self, double rate_hz, gboolean attached)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(GtkApplication) application = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(DqmState) state = NULL;
  DqmSimPublisher *daq = NULL;
  DqmPipeline *pipeline = NULL;
  DqmLink *link;
  g_autofree char *dir = NULL;
  GPid monitor = 0;
  DqmPipelineOptions options;
  DqmWindow *window;
  Frames live = { 0 }, inspector = { 0 };
  DqmPreferences preferences = { .kept_events = 1000 };
  g_autofree char *endpoint = NULL;

  gtk_init ();
  application = gtk_application_new ("org.na64.DqmBench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, NULL);
  if (rate_hz >= 10000)
    {
      /* Every particle of the beam recorded (the beam trigger unprescaled). */
      g_autofree char *rate = g_strdup_printf ("%.0f", rate_hz);

      dqm_config_set (config, "spill", "beam_rate_hz", rate, NULL);
      dqm_config_set (config, "trigger", "beam_prescale", "1", NULL);
    }
  else if (rate_hz > 0)
    dqm_config_set (config, "spill", "beam_rate_hz", "1100000", NULL);
  dqm_config_set (config, "spill", "gap_s", "0.5", NULL);
  setup = dqm_setup_load (config, NULL, NULL);
  if (rate_hz > 0)
    daq = dqm_sim_publisher_start (setup, NULL, "tcp://127.0.0.1:*", 100, NULL);
  /* The ceiling: the same window on a source that never sends. */
  endpoint = daq ? g_strdup (dqm_sim_publisher_get_endpoint (daq)) : g_strdup ("tcp://127.0.0.1:9");
  if (attached)
    {
      dir = g_dir_make_tmp ("na64dqm-bench-XXXXXX", NULL);
      link = attach_monitor (self, endpoint, dir, &monitor);
    }
  else
    {
      dqm_pipeline_options_init (&options);
      options.yield_to_display = TRUE; /* as na64dqm runs it */
      pipeline = dqm_pipeline_new (dqm_source_new_zmq (endpoint, 5, NULL), config, &options, NULL);
      dqm_pipeline_start (pipeline);
      link = dqm_link_new_local (pipeline);
    }
  window = dqm_window_new (application, link, config, &preferences);
  gtk_window_present (GTK_WINDOW (window));
  /* Let the first spill start. */
  g_timeout_add_seconds (2, quit, loop);
  g_main_loop_run (loop);
  measure_page (window, loop, "live", &live);
  measure_page (window, loop, "event", &inspector);
  state = dqm_link_get_state (link);
  if (state == NULL)
    g_error ("no state from the monitor");
  printf ("%.2f %.2f %.2f %.2f %.1f %.1f %u %.0f %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %s %.1f\n",
          live.frames / ((live.last_us - live.start_us) / 1e6), live.longest_gap_us / 1000.0,
          inspector.frames / ((inspector.last_us - inspector.start_us) / 1e6), inspector.longest_gap_us / 1000.0,
          percentile (live.latency_ms, 0.5), percentile (live.latency_ms, 0.99), live.latency_ms->len,
          state->counters.by_type[DQM_MSG_EVT] / (2.0 + 2 * DURATION_S), state->events_processed,
          state->events_dropped, dqm_alarm_state_name (dqm_state_find_alarm (state, "dropped-events")->latched),
          pipeline ? dqm_pipeline_longest_stall_us (pipeline) / 1000.0 : NAN);
  gtk_window_destroy (GTK_WINDOW (window));
  dqm_link_free (link);
  if (pipeline)
    dqm_pipeline_free (pipeline);
  if (attached)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

      kill (monitor, SIGTERM);
      waitpid (monitor, NULL, 0);
      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  if (daq)
    dqm_sim_publisher_stop (daq);
  dqm_zmq_shutdown ();
  return 0;
}

typedef struct {
  double fps_live, gap_live, fps_inspector, gap_inspector, latency_p50, latency_p99, rate;
  guint  latency_samples;
  guint64 analysed, dropped;
  char   alarm[16];
  double analysis_gap;
} Result;

static gboolean
run_child (const char *self, const char *renderer, double rate_hz, Result *r)
{
  g_autofree char *rate = g_strdup_printf ("%.0f", rate_hz);
  gboolean attached = g_str_equal (renderer, "attach");
  const char *argv[] = { self, attached ? "--attached" : "--run", rate, NULL };
  /* The attached display draws with cairo, as na64dqm chooses here. */
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "GSK_RENDERER", attached ? "cairo" : renderer, TRUE);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      fprintf (stderr, "bench-display: %s at %s Hz failed: %s\n", renderer, rate, error->message);
      return FALSE;
    }
  return sscanf (out, "%lf %lf %lf %lf %lf %lf %u %lf %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %15s %lf",
                 &r->fps_live, &r->gap_live, &r->fps_inspector, &r->gap_inspector, &r->latency_p50, &r->latency_p99,
                 &r->latency_samples, &r->rate, &r->analysed, &r->dropped, r->alarm, &r->analysis_gap) == 12;
}

int
main (int argc, char **argv)
{
  const char *renderers[] = { "cairo", "gl", "attach" };
  const double rates[] = { 0, 3000, 50000 };
  Result results[G_N_ELEMENTS (renderers)][G_N_ELEMENTS (rates)];

  if (argc == 3 && (g_str_equal (argv[1], "--run") || g_str_equal (argv[1], "--attached")))
    return run_one (argv[0], g_ascii_strtod (argv[2], NULL), g_str_equal (argv[1], "--attached"));
  if (argc == 2 && g_str_equal (argv[1], "--choice"))
    {
      g_autofree char *gl = NULL;

      g_unsetenv ("GSK_RENDERER");
      gtk_init ();
      gl = dqm_renderer_choose (gdk_display_get_default ());
      printf ("%s (OpenGL here: %s)\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "GTK's default",
              gl ? gl : "none");
      return 0;
    }
  if (argc > 1)
    {
      fprintf (stderr, "usage: %s (under a display, e.g. xvfb-run -a)\n", argv[0]);
      return 2;
    }
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    for (guint k = 0; k < G_N_ELEMENTS (rates); k++)
      if (!run_child (argv[0], renderers[r], rates[k], &results[r][k]))
        return 1;

  {
    const char *probe[] = { argv[0], "--choice", NULL };
    g_autofree char *choice = NULL;

    g_spawn_sync (NULL, (char **) probe, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &choice, NULL, NULL, NULL);
    printf ("the display under a live stream, %d s a page, each case in a process of its own\n"
            "(2 cores shared by simulator, receiver, analysis and GTK); na64dqm draws with %s\n\n", DURATION_S,
            choice ? g_strchomp (choice) : "?");
  }
  printf ("| %-30s |", "measure");
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    printf (" %6s idle | %6s 3 kHz | %6s 50 kHz |", renderers[r], renderers[r], renderers[r]);
  printf ("\n|--------------------------------|");
  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    printf ("-------------|--------------|---------------|");
  printf ("\n");
#define ROW(label, format, field)                                                                                      \
  do                                                                                                                   \
    {                                                                                                                  \
      printf ("| %-30s |", label);                                                                                     \
      for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)                                                             \
        for (guint k = 0; k < G_N_ELEMENTS (rates); k++)                                                               \
          printf (k == 0 ? "  " format " |" : k == 1 ? "   " format " |" : "    " format " |", results[r][k].field);   \
      printf ("\n");                                                                                                   \
    }                                                                                                                  \
  while (0)
  ROW ("events received per second", "%10.0f", rate);
  ROW ("live view: frames per second", "%10.1f", fps_live);
  ROW ("live view: longest gap, ms", "%10.1f", gap_live);
  ROW ("inspector: frames per second", "%10.1f", fps_inspector);
  ROW ("inspector: longest gap, ms", "%10.1f", gap_inspector);
  ROW ("event to screen, median, ms", "%10.0f", latency_p50);
  ROW ("event to screen, p99, ms", "%10.0f", latency_p99);
  ROW ("plot redraws sampled", "%10u", latency_samples);
  ROW ("events analysed", "%10" G_GUINT64_FORMAT, analysed);
  ROW ("events dropped (counted)", "%10" G_GUINT64_FORMAT, dropped);
  ROW ("dropped-events alarm", "%10s", alarm);
  /* between two items it took: at 3 kHz that is the spill gap, idle */
  ROW ("analysis: longest wait, ms", "%10.1f", analysis_gap);
#undef ROW
  return 0;
}
