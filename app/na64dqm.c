/* na64dqm: the NA64 online event display and data-quality monitor. */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gtk/gtk.h>

#include "dqm-i18n.h"
#include "dqm-pipeline.h"
#include "dqm-plot-na64.h"
#include "dqm-sim-publisher.h"
#include "dqm-window.h"

typedef struct {
  char            *endpoint;
  char            *config_path;
  char            *snapshot_dir;
  gboolean         demo;
  gboolean         standalone;
  GHashTable      *blinking;     /* alarm ids unacknowledged at the last look */
  DqmPreferences   preferences;
  char           **files;
  char           **demo_faults;
  DqmSimFaults     faults;
  guint            log_seen;
  DqmConfig       *config;
  DqmSetup        *demo_setup;
  DqmSimPublisher *demo_daq;
  DqmPipeline     *pipeline;
  int              status;
} App;

static void
show_error (GtkApplication *application, const char *message)
{
  g_printerr ("na64dqm: %s\n", message);
}

static DqmSource *
open_source (App *app, GError **error)
{
  if (app->files && app->files[0])
    return dqm_source_new_file (app->files[0], error);
  if (app->demo)
    {
      app->demo_setup = dqm_setup_load (app->config, NULL, error);
      if (app->demo_setup == NULL)
        return NULL;
      app->demo_daq = dqm_sim_publisher_start (app->demo_setup, &app->faults, "tcp://127.0.0.1:*", 20, error);
      if (app->demo_daq == NULL)
        return NULL;
      return dqm_source_new_zmq (dqm_sim_publisher_get_endpoint (app->demo_daq), DQM_DEFAULT_STALL_SECONDS, error);
    }
  return dqm_source_new_zmq (app->endpoint ? app->endpoint : DQM_DEFAULT_ENDPOINT, DQM_DEFAULT_STALL_SECONDS, error);
}

/* Alarm changes also go to the terminal, with their times: the display's
 * log for whoever started it from a shell (and for the tests). */
static gboolean
print_alarm_changes (gpointer data)
{
  App *app = data;
  g_autoptr(DqmState) state = dqm_pipeline_get_state (app->pipeline);

  for (guint i = app->log_seen; i < state->alarm_log->len; i++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (e->time_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (t, "%H:%M:%S");

      g_print ("%s %s %s\n", when, dqm_alarm_state_name (e->to), e->text);
    }
  app->log_seen = MAX (app->log_seen, state->alarm_log->len);
  /* Acknowledgements too, so a log shows who silenced what and when. */
  for (guint i = 0; i < state->n_alarms; i++)
    {
      const DqmAlarm *a = &state->alarms[i];

      if (a->unacknowledged)
        g_hash_table_add (app->blinking, g_strdup (a->id));
      else if (g_hash_table_remove (app->blinking, a->id))
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *when = g_date_time_format (now, "%H:%M:%S");

          g_print ("%s acknowledged %s\n", when, a->title);
        }
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_terminate (gpointer application)
{
  /* Close the run in progress (and write its snapshot) before leaving. */
  g_application_quit (application);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GtkApplication *application, App *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  DqmPipelineOptions options;
  DqmSource *source;
  DqmWindow *window;

  if (app->pipeline)
    {
      gtk_window_present (gtk_application_get_active_window (application));
      return;
    }
  app->config = dqm_config_load (app->config_path, &error);
  source = app->config ? open_source (app, &error) : NULL;
  dqm_pipeline_options_init (&options);
  options.snapshot_dir = app->snapshot_dir;
  options.snapshot_render = dqm_plot_render_snapshot;
  options.kept_events = app->preferences.kept_events;
  if (source == NULL || (app->pipeline = dqm_pipeline_new (source, app->config, &options, &error)) == NULL)
    {
      show_error (application, error->message);
      app->status = EXIT_FAILURE;
      return;
    }
  gtk_css_provider_load_from_resource (css, "/org/na64/dqm/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  dqm_pipeline_start (app->pipeline);
  window = dqm_window_new (application, app->pipeline, app->config, &app->preferences);
  /* A recording is also browsed event by event. */
  if (app->files && app->files[0])
    dqm_window_browse_file (window, app->files[0]);
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (250, print_alarm_changes, app);
}

static void
on_about (GSimpleAction *action, GVariant *parameter, gpointer application)
{
  gtk_show_about_dialog (gtk_application_get_active_window (application),
                         "program-name", _("NA64 DQM"),
                         "comments", _("Online event display and data-quality monitor of the NA64 experiment"),
                         "version", PACKAGE_VERSION,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
on_quit (GSimpleAction *action, GVariant *parameter, gpointer application)
{
  g_application_quit (application);
}

/* Also reachable over D-Bus: gapplication action org.na64.Dqm acknowledge-all */
static void
on_acknowledge_all (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  App *app = data;

  if (app->pipeline)
    dqm_pipeline_acknowledge (app->pipeline, NULL);
}

int
main (int argc, char **argv)
{
  App app = { 0 };
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "connect", 'c', 0, G_OPTION_ARG_STRING, &app.endpoint, N_("Subscribe to ENDPOINT (default tcp://127.0.0.1:5555)"), N_("ENDPOINT") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &app.demo, N_("Run the NA64 simulator inside the display and show it"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version and exit"), NULL },
    { "standalone", 0, 0, G_OPTION_ARG_NONE, &app.standalone, N_("Run beside a display already open in this session (to watch a second stream)"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &app.config_path, N_("Override the built-in configuration with FILE"), N_("FILE") },
    { "snapshot-dir", 'd', 0, G_OPTION_ARG_FILENAME, &app.snapshot_dir, N_("Write a snapshot of every run into DIR"), N_("DIR") },
    { "demo-fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &app.demo_faults, N_("With --demo, inject a fault as na64dqm-sim would, e.g. dead-channel=ecal-main:3,3 or srd-off"), N_("KIND=VALUE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &app.files, N_("A recorded stream to browse"), N_("[FILE]") },
    { NULL },
  };
  const GActionEntry actions[] = {
    { "about", on_about, NULL, NULL, NULL },
    { "quit", on_quit, NULL, NULL, NULL },
  };
  const GActionEntry app_actions[] = {
    { "acknowledge-all", on_acknowledge_all, NULL, NULL, NULL },
  };
  g_autofree char *preferences_problem = NULL;
  g_autoptr(GtkApplication) application = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;

  setlocale (LC_ALL, "");
  dqm_i18n_init ();
  context = g_option_context_new (_("- the NA64 DQM display"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, _(
    "Examples:\n"
    "  na64dqm --demo                      the simulator inside, for a look or a test\n"
    "  na64dqm --connect tcp://daq01:5555 --snapshot-dir /data/dqm\n"
    "  na64dqm run1.n64                    a recorded stream: its DQM, and its events to browse\n"
    "  na64dqm --standalone --connect tcp://daq02:5555   a second stream beside the first\n"
    "\n"
    "Keys: Space pause, Left/Right step, Shift+Left/Right find, Ctrl+S snapshot,\n"
    "F11 control-room mode, Ctrl+? all shortcuts.\n"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("na64dqm: %s\nTry na64dqm --help\n", error->message);
      return EXIT_FAILURE;
    }
  if (show_version)
    {
      g_print ("na64dqm %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  dqm_sim_faults_init (&app.faults);
  for (guint i = 0; app.demo_faults && app.demo_faults[i]; i++)
    {
      g_auto(GStrv) kind_value = g_strsplit (app.demo_faults[i], "=", 2);

      if (g_str_equal (kind_value[0], "srd-off"))
        app.faults.srd_off = TRUE;
      else if (!dqm_sim_faults_parse (&app.faults, kind_value[0], kind_value[1] ? kind_value[1] : "", &error))
        {
          g_printerr ("na64dqm: --demo-fault: %s\n", error->message);
          return EXIT_FAILURE;
        }
    }
  dqm_preferences_load (&app.preferences, &preferences_problem);
  if (preferences_problem)
    g_printerr ("na64dqm: %s\n", preferences_problem);
  app.blinking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* One display per session: starting it again raises the window, unless
   * --standalone asks for a second one. */
  application = gtk_application_new ("org.na64.Dqm", app.standalone ? G_APPLICATION_NON_UNIQUE
                                                                    : G_APPLICATION_DEFAULT_FLAGS);
  /* Where GTK finds gtk/help-overlay.ui (the Ctrl+? shortcuts window). */
  g_application_set_resource_base_path (G_APPLICATION (application), "/org/na64/dqm");
  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions), application);
  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions, G_N_ELEMENTS (app_actions), &app);
  gtk_application_set_accels_for_action (application, "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (application, "win.snapshot", (const char *[]) { "<Control>s", NULL });
  gtk_application_set_accels_for_action (application, "win.fullscreen", (const char *[]) { "F11", NULL });
  gtk_application_set_accels_for_action (application, "win.acknowledge-all", (const char *[]) { "<Control>a", NULL });
  gtk_application_set_accels_for_action (application, "win.open-recording", (const char *[]) { "<Control>o", NULL });
  gtk_application_set_accels_for_action (application, "win.export-view", (const char *[]) { "<Control>e", NULL });
  gtk_application_set_accels_for_action (application, "win.preferences", (const char *[]) { "<Control>comma", NULL });
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), &app);
  if (!g_application_register (G_APPLICATION (application), NULL, &error))
    {
      g_printerr ("na64dqm: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_application_get_is_remote (G_APPLICATION (application)))
    {
      g_printerr (_("na64dqm: a display is already open in this session; its window is raised.\n"
                    "To watch another stream beside it, add --standalone.\n"));
      g_application_activate (G_APPLICATION (application));
      g_hash_table_unref (app.blinking);
      return EXIT_SUCCESS;
    }
  g_unix_signal_add (SIGINT, on_terminate, application);
  g_unix_signal_add (SIGTERM, on_terminate, application);
  g_application_run (G_APPLICATION (application), 1, argv);

  if (app.pipeline)
    {
      dqm_pipeline_stop (app.pipeline, 10);
      print_alarm_changes (&app);
      dqm_pipeline_free (app.pipeline);
    }
  dqm_sim_publisher_stop (app.demo_daq);
  dqm_setup_free (app.demo_setup);
  if (app.config)
    dqm_config_unref (app.config);
  dqm_zmq_shutdown ();
  g_strfreev (app.files);
  g_strfreev (app.demo_faults);
  g_hash_table_unref (app.blinking);
  return app.status;
}
