/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm: the NA64 online event display and data-quality monitor. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gtk/gtk.h>

#include "dqm-i18n.h"
#include "dqm-endpoint.h"
#include "dqm-link.h"
#include "dqm-pipeline.h"
#include "dqm-server.h"
#include "dqm-plot-na64.h"
#include "dqm-registry-hooks.h"
#include "dqm-sim-publisher.h"
#include "dqm-renderer.h"
#include "dqm-window.h"
#include "na64dqm-options.h"

typedef struct {
  DqmDisplayOptions options;
  GHashTable      *blinking;     /* alarm ids unacknowledged at the last look */
  DqmPreferences   preferences;
  guint            log_seen;
  guint64          snapshots_seen;
  char            *snapshot_dir;   /* --snapshot-dir, or the user's data dir */
  DqmConfig       *config;
  DqmSetup        *demo_setup;
  DqmSimPublisher *demo_daq;
  DqmPipeline     *pipeline;     /* the analysis, when it runs here */
  DqmLink         *link;         /* what the window watches: it, or an attached monitor */
  DqmServer       *server;       /* --serve */
  DqmWebServer    *web;          /* --http */
  DqmRegistry     *registry;     /* written by the analysis here; NULL attached */
  char            *registry_path; /* what the Runs page reads */
  gboolean         said_silent;  /* attached: the monitor's silence is in the log */
  guint            recoveries_seen;
  int              status;
} App;

/* GTK repeats as a warning what main () has already said in one line:
 * that there is no session bus. Everything else goes on as usual. */
static GLogWriterOutput
write_log (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
        && g_str_has_prefix (fields[i].value, "Unable to acquire session bus"))
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, data);
}

/* A control-room machine reached over ssh, or a service, has no session
 * bus: there is no session to keep one display in, so run standalone. */
static void
check_session_bus (DqmDisplayOptions *options)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  if (bus != NULL)
    return;
  options->standalone = TRUE;
  g_log_set_writer_func (write_log, NULL, NULL);
  g_print ("na64dqm: no D-Bus session bus; running as a standalone display\n");
}

static void
show_error (GtkApplication *application, const char *message)
{
  g_printerr ("na64dqm: %s\n", message);
}

static DqmSource *
open_source (App *app, GError **error)
{
  if (app->options.files && app->options.files[0])
    return dqm_source_new_file (app->options.files[0], error);
  if (app->options.demo)
    {
      double demo_signal;

      app->demo_setup = dqm_setup_load (app->config, NULL, error);
      if (app->demo_setup == NULL
          || !dqm_config_get_double (app->config, "run", "demo_signal_fraction", 0, 1, &demo_signal, error))
        return NULL;
      /* A real run shows no candidates; the demo puts some in to be seen. */
      if (app->demo_setup->beam.signal_fraction == 0)
        app->demo_setup->beam.signal_fraction = demo_signal;
      app->demo_daq = dqm_sim_publisher_start (app->demo_setup, &app->options.faults, "tcp://127.0.0.1:*", 20, error);
      if (app->demo_daq == NULL)
        return NULL;
      return dqm_source_new_zmq (dqm_sim_publisher_get_endpoint (app->demo_daq), DQM_DEFAULT_STALL_SECONDS, error);
    }
  return dqm_source_new_zmq (app->options.endpoint ? app->options.endpoint : DQM_DEFAULT_ENDPOINT, DQM_DEFAULT_STALL_SECONDS, error);
}

/* Alarm changes and snapshots also go to the terminal, with their times:
 * the display's log for whoever started it from a shell (and the tests). */
static gboolean
print_alarm_changes (gpointer data)
{
  App *app = data;
  g_autoptr(DqmState) state = dqm_link_get_state (app->link);
  DqmLinkStatus link;

  /* An attached display says in its log when its monitor went quiet and came back. */
  dqm_link_get_status (app->link, &link);
  if (link.silent && !app->said_silent)
    g_print ("na64dqm: monitor %s silent for %.1f s\n", link.monitor, link.silent_s);
  app->said_silent = link.silent;
  if (link.recoveries > app->recoveries_seen)
    g_print ("na64dqm: monitor %s back after %.1f s\n", link.monitor, link.last_silence_s);
  app->recoveries_seen = link.recoveries;
  if (state == NULL)
    return G_SOURCE_CONTINUE; /* attached, before the monitor's first state */
  if (state->snapshots_written > app->snapshots_seen)
    {
      app->snapshots_seen = state->snapshots_written;
      g_print ("na64dqm: snapshot written: %s\n", state->last_snapshot);
    }

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

/* The analysis in this process, its service with --serve, its web view
 * with --http. */
static gboolean
start_local (App *app, GError **error)
{
  DqmPipelineOptions options;
  DqmSource *source = open_source (app, error);
  g_autoptr(GError) web_error = NULL;

  dqm_pipeline_options_init (&options);
  /* Every run of the display is kept, and Ctrl+S always has a place. */
  app->snapshot_dir = app->options.snapshot_dir ? g_strdup (app->options.snapshot_dir)
                                                : g_build_filename (g_get_user_data_dir (), "na64dqm", "snapshots", NULL);
  if (app->options.snapshot_dir == NULL)
    g_print ("na64dqm: snapshots go to %s (--snapshot-dir to choose)\n", app->snapshot_dir);
  options.snapshot_dir = app->snapshot_dir;
  if (app->options.elog.dir == NULL)
    app->options.elog.dir = g_build_filename (app->snapshot_dir, "elog", NULL);
  options.snapshot_writer.render = dqm_plot_render_snapshot;
  options.kept_events = app->preferences.kept_events;
  options.yield_to_display = TRUE;
  /* The runs this display analyses go into a registry as the monitor's do:
   * its Runs page, references and flags work the same. */
  app->registry_path = app->options.registry ? g_strdup (app->options.registry)
                                             : g_build_filename (app->snapshot_dir, "registry.sqlite", NULL);
  {
    g_autofree char *parent = g_path_get_dirname (app->registry_path);

    if (g_mkdir_with_parents (parent, 0755) != 0)
      g_printerr ("na64dqm: %s: %s; the runs are not registered\n", parent, g_strerror (errno));
    else
      {
        app->registry = dqm_registry_new (app->registry_path);
        dqm_registry_hooks_install (app->registry, &options);
      }
  }
  if (source == NULL || (app->pipeline = dqm_pipeline_new (source, app->config, &options, error)) == NULL)
    return FALSE;
  dqm_pipeline_start (app->pipeline);
  app->link = dqm_link_new_local (app->pipeline);
  if (app->registry)
    dqm_link_set_registry (app->link, app->registry);
  if (app->options.service.serve)
    {
      if ((app->server = dqm_serve_start (&app->options.service, app->pipeline, app->snapshot_dir, app->registry,
                                          &app->options.elog, TRUE, error)) == NULL)
        return FALSE;
      g_print ("na64dqm: serving other displays on %s (monitor key %s)\n", app->options.service.serve,
               dqm_server_public_key (app->server));
    }
  app->web = dqm_web_view_start (&app->options.web, app->pipeline, app->snapshot_dir, app->registry, "na64dqm",
                                 &web_error);
  if (web_error)
    {
      g_propagate_error (error, g_steal_pointer (&web_error));
      return FALSE;
    }
  return TRUE;
}

/* A screen on a monitor's analysis. */
static gboolean
start_attached (App *app, GError **error)
{
  g_autofree char *feed = NULL, *commands = NULL;
  DqmClientOptions options = { 0 };

  if (!dqm_endpoint_split (app->options.attach, &feed, &commands, error))
    return FALSE;
  options.feed_endpoint = feed;
  options.command_endpoint = commands;
  options.keys_dir = app->options.service.keys_dir;
  options.client_key = app->options.client_key;
  options.monitor_key = app->options.monitor_key;
  options.open_feed = g_strcmp0 (app->options.service.feed_security, "open") == 0;
  if ((app->link = dqm_link_new_remote (&options, app->preferences.kept_events, error)) == NULL)
    return FALSE;
  app->registry_path = g_strdup (app->options.registry);
  g_print ("na64dqm: attached to the monitor on %s\n", app->options.attach);
  return TRUE;
}

static void
on_activate (GtkApplication *application, App *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  DqmWindow *window;

  if (app->link)
    {
      gtk_window_present (gtk_application_get_active_window (application));
      return;
    }
  /* Attached too: the inspector reconstructs the events it fetches. */
  app->config = dqm_config_load (app->options.config_path, &error);
  if (app->config == NULL || !(app->options.attach ? start_attached (app, &error) : start_local (app, &error)))
    {
      show_error (application, error->message);
      app->status = EXIT_FAILURE;
      return;
    }
  gtk_css_provider_load_from_resource (css, "/org/na64/dqm/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  window = dqm_window_new (application, app->link, app->config, &app->preferences);
  dqm_window_set_registry (window, app->registry_path);
  /* An attached screen has no snapshots to put its entries beside. */
  if (app->options.elog.dir == NULL)
    app->options.elog.dir = g_build_filename (g_get_user_data_dir (), "na64dqm", "elog", NULL);
  dqm_window_set_elog (window, &app->options.elog);
  /* A recording is also browsed event by event. */
  if (app->options.files && app->options.files[0])
    dqm_window_browse_file (window, app->options.files[0]);
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
on_snapshot (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  App *app = data;

  if (app->link)
    dqm_link_request_snapshot (app->link);
}

static void
on_acknowledge_all (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  App *app = data;

  if (app->link)
    dqm_link_acknowledge (app->link, NULL, g_get_user_name (), NULL);
}

int
main (int argc, char **argv)
{
  App app = { 0 };
  const GActionEntry actions[] = {
    { "about", on_about, NULL, NULL, NULL },
    { "quit", on_quit, NULL, NULL, NULL },
  };
  const GActionEntry app_actions[] = {
    { "acknowledge-all", on_acknowledge_all, NULL, NULL, NULL },
    { "snapshot", on_snapshot, NULL, NULL, NULL },
  };
  g_autofree char *preferences_problem = NULL;
  g_autoptr(GtkApplication) application = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  dqm_i18n_init ();
  if (!dqm_display_options_parse (&app.options, &argc, &argv, &app.status))
    return app.status;
  dqm_preferences_load (&app.preferences, &preferences_problem);
  if (preferences_problem)
    g_printerr ("na64dqm: %s\n", preferences_problem);
  app.blinking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* The renderer before any thread starts (it is an environment variable)
   * and any window is drawn. */
  if (gtk_init_check ())
    g_free (dqm_renderer_choose (gdk_display_get_default ()));
  check_session_bus (&app.options);
  /* One display per session: starting it again raises the window, unless
   * --standalone asks for a second one. */
  application = gtk_application_new ("org.na64.Dqm", app.options.standalone ? G_APPLICATION_NON_UNIQUE
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
  gtk_application_set_accels_for_action (application, "win.elog", (const char *[]) { "<Control>l", NULL });
  gtk_application_set_accels_for_action (application, "win.show-page::live", (const char *[]) { "<Control>1", NULL });
  gtk_application_set_accels_for_action (application, "win.show-page::runs", (const char *[]) { "<Control>2", NULL });
  gtk_application_set_accels_for_action (application, "win.show-page::event", (const char *[]) { "<Control>3", NULL });
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
      dqm_display_options_clear (&app.options);
      return EXIT_SUCCESS;
    }
  g_unix_signal_add (SIGINT, on_terminate, application);
  g_unix_signal_add (SIGTERM, on_terminate, application);
  g_application_run (G_APPLICATION (application), 1, argv);

  /* Watchers first: nothing serves or draws a pipeline that is stopping. */
  g_clear_pointer (&app.server, dqm_server_free);
  g_clear_pointer (&app.web, dqm_web_server_free);
  if (app.pipeline)
    dqm_pipeline_stop (app.pipeline, 10);
  if (app.link)
    print_alarm_changes (&app);
  g_clear_pointer (&app.link, dqm_link_free);
  g_clear_pointer (&app.pipeline, dqm_pipeline_free);
  if (app.registry && !dqm_registry_hooks_close (g_steal_pointer (&app.registry), "na64dqm"))
    app.status = EXIT_FAILURE;
  if (!dqm_elog_wait (DQM_ELOG_COMMAND_TIMEOUT_S + 10))
    g_printerr ("na64dqm: an e-log entry was still being finished at the exit\n");
  g_free (app.registry_path);
  dqm_sim_publisher_stop (app.demo_daq);
  dqm_setup_free (app.demo_setup);
  if (app.config)
    dqm_config_unref (app.config);
  dqm_zmq_shutdown ();
  dqm_display_options_clear (&app.options);
  g_free (app.snapshot_dir);
  g_hash_table_unref (app.blinking);
  return app.status;
}
