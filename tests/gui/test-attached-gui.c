/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two windows attached to one monitor under Xvfb: the same alarm blinks on
 * both; acknowledging it on one window stops it on both within a second;
 * the window without an allowed key says the monitor refused; the status
 * bar names the monitor and greys the view when it falls silent; the
 * inspector gets the monitor's events. */
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dqm-alarm-tile.h"
#include "dqm-file.h"
#include "dqm-keys.h"
#include "dqm-link.h"
#include "dqm-server.h"
#include "dqm-sim-run.h"
#include "dqm-window.h"
#include "test-util.h"

typedef struct {
  char        *dir, *keys, *feed, *commands;
  DqmConfig   *config;
  DqmPipeline *pipeline;
  DqmServer   *server;
  DqmLink     *links[2];
  DqmWindow   *windows[2];
} Fixture;

static void
iterate_until (gboolean (*done) (Fixture *, gpointer), Fixture *f, gpointer data, double seconds, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!done (f, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("not within %.1f s: %s", seconds, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static GtkWidget *
find_tile (GtkWidget *widget, const char *id)
{
  if (DQM_IS_ALARM_TILE (widget) && g_str_equal (dqm_alarm_tile_get_id (DQM_ALARM_TILE (widget)), id))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tile (child, id);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_class (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
blinking (Fixture *f, gpointer data)
{
  GtkWidget *tile = find_tile (GTK_WIDGET (f->windows[GPOINTER_TO_INT (data)]), "dead-channels");

  return tile && dqm_alarm_tile_is_blinking (DQM_ALARM_TILE (tile));
}

static gboolean
not_blinking (Fixture *f, gpointer data)
{
  GtkWidget *tile = find_tile (GTK_WIDGET (f->windows[GPOINTER_TO_INT (data)]), "dead-channels");

  return tile && !dqm_alarm_tile_is_blinking (DQM_ALARM_TILE (tile));
}

static const char *
status_text (Fixture *f, guint i)
{
  return gtk_label_get_text (GTK_LABEL (find_class (GTK_WIDGET (f->windows[i]), "statusbar")));
}

static gboolean
status_says (Fixture *f, gpointer data)
{
  const char *const *what = data;

  return strstr (status_text (f, GPOINTER_TO_UINT (what[0])), what[1]) != NULL;
}

static void
record_run (const char *path, DqmConfig *config)
{
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  DqmFileWriter *writer = dqm_file_writer_new (path, NULL);
  g_autoptr(DqmSimRun) sim = NULL;
  DqmSimFaults faults;
  DqmSimMessage message;

  dqm_sim_faults_init (&faults);
  g_assert_true (dqm_sim_faults_parse (&faults, "dead-channel", "ecal-main:2,3", NULL));
  sim = dqm_sim_run_new (setup, &faults, 3, 2, 3, 1790000000000000000ull);
  while (dqm_sim_run_next (sim, &message))
    g_assert_true (dqm_file_writer_write (writer, message.body->data, message.body->len, NULL));
  g_assert_true (dqm_file_writer_close (writer, NULL));
}

/* Window @i with the key pair @name, allowed or not. */
static void
attach (Fixture *f, guint i, const char *name, gboolean allowed, GtkApplication *application)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".key", NULL);
  g_autofree char *key = g_build_filename (f->keys, file, NULL);
  g_autofree char *allowlist = g_build_filename (f->keys, DQM_KEYS_ALLOWLIST, NULL);
  DqmClientOptions options = {
    .feed_endpoint = f->feed, .command_endpoint = f->commands, .keys_dir = f->keys, .client_key = key,
  };
  DqmPreferences preferences = { .kept_events = 100 };
  DqmKeyPair pair;

  g_assert_true (dqm_keys_generate (name, &pair, &error));
  g_assert_true (dqm_keys_save (f->keys, &pair, FALSE, &error));
  if (allowed)
    g_assert_true (dqm_keys_allow (allowlist, name, pair.public_key, &error));
  f->links[i] = dqm_link_new_remote (&options, 100, &error);
  g_assert_no_error (error);
  f->windows[i] = dqm_window_new (application, f->links[i], f->config, &preferences);
  gtk_window_set_default_size (GTK_WINDOW (f->windows[i]), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->windows[i]));
}

static void
serve (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DqmServerOptions options;

  for (guint attempt = 0; attempt < 20 && f->server == NULL; attempt++)
    {
      guint port = g_random_int_range (20000, 60000);

      g_clear_pointer (&f->feed, g_free);
      g_clear_pointer (&f->commands, g_free);
      g_clear_error (&error);
      f->feed = g_strdup_printf ("tcp://127.0.0.1:%u", port);
      f->commands = g_strdup_printf ("tcp://127.0.0.1:%u", port + 1);
      dqm_server_options_init (&options);
      options.feed_endpoint = f->feed;
      options.command_endpoint = f->commands;
      options.keys_dir = f->keys;
      f->server = dqm_server_new (f->pipeline, &options, &error);
    }
  g_assert_no_error (error);
}

static void
test_two_windows_one_monitor (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GtkApplication) application = gtk_application_new ("org.na64.DqmAttachedTest", G_APPLICATION_NON_UNIQUE);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  const char *refused[] = { GUINT_TO_POINTER (1), "refused: ack" };
  const char *silent[] = { GUINT_TO_POINTER (0), "silent for" };

  f->dir = g_dir_make_tmp ("na64dqm-attached-XXXXXX", NULL);
  f->keys = g_build_filename (f->dir, "keys", NULL);
  path = g_build_filename (f->dir, "run.n64", NULL);
  f->config = dqm_config_new_default ();
  g_assert_true (dqm_config_set (f->config, "spill", "length_s", "0.5", NULL));
  record_run (path, f->config);
  f->pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), f->config, NULL, &error);
  g_assert_no_error (error);
  dqm_pipeline_start (f->pipeline);
  serve (f);
  g_application_set_resource_base_path (G_APPLICATION (application), "/org/na64/dqm");
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));
  attach (f, 0, "wall", TRUE, application);
  attach (f, 1, "visitor", FALSE, application);

  /* The dead cell's alarm blinks on both, from the one analysis. */
  iterate_until (blinking, f, GINT_TO_POINTER (0), 60, "the alarm blinking on the wall");
  iterate_until (blinking, f, GINT_TO_POINTER (1), 5, "the alarm blinking on the visitor's screen");
  g_assert_nonnull (strstr (status_text (f, 0), "monitor tcp://127.0.0.1"));
  g_assert_nonnull (strstr (status_text (f, 0), "updated"));

  /* The visitor may look but not silence: refused, and its status bar says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->windows[1]), "win.acknowledge-all", NULL));
  iterate_until (status_says, f, refused, 5, "the refusal in the visitor's status bar");
  g_assert_nonnull (strstr (status_text (f, 1), "not allowed"));
  g_assert_true (blinking (f, GINT_TO_POINTER (0)));

  /* The wall acknowledges: both stop blinking within a second. */
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->windows[0]), "win.acknowledge-all", NULL));
  iterate_until (not_blinking, f, GINT_TO_POINTER (0), 1.0, "the wall's tile calm");
  iterate_until (not_blinking, f, GINT_TO_POINTER (1), 1.0 - (g_get_monotonic_time () - start) / 1e6,
                 "the visitor's tile calm");
  g_test_message ("both calm after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  /* The inspector's events came from the monitor's ring. */
  g_assert_cmpuint (dqm_event_ring_count (dqm_link_get_event_ring (f->links[0])), >, 0);

  /* An e-log entry of the wall: the view as PNG and PDF, and the text of
   * the run with its alarm and its acknowledgement. */
  {
    g_autofree char *folder = g_build_filename (f->dir, "elog", NULL);
    DqmElogPlace place = { folder, NULL };
    g_autofree char *entry = NULL, *text = NULL, *png = NULL, *pdf = NULL;
    gsize length;

    dqm_window_set_elog (f->windows[0], &place);
    g_assert_true (dqm_window_write_elog (f->windows[0], "dead cell seen, expert called", &entry, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (entry, folder));
    text = g_build_filename (entry, "entry.txt", NULL);
    png = g_build_filename (entry, "view.png", NULL);
    pdf = g_build_filename (entry, "view.pdf", NULL);
    {
      g_autofree char *said = NULL;

      g_assert_true (g_file_get_contents (text, &said, NULL, NULL));
      g_assert_nonnull (strstr (said, "comment: dead cell seen, expert called"));
      g_assert_nonnull (strstr (said, "run: 3"));
      g_assert_nonnull (strstr (said, "dead-channels"));
      g_assert_nonnull (strstr (said, "acknowledged by"));
    }
    {
      g_autofree char *bytes = NULL;

      g_assert_true (g_file_get_contents (png, &bytes, &length, NULL));
      g_assert_true (length > 10000 && memcmp (bytes, "\x89PNG", 4) == 0);
      g_clear_pointer (&bytes, g_free);
      g_assert_true (g_file_get_contents (pdf, &bytes, &length, NULL));
      g_assert_true (g_str_has_prefix (bytes, "%PDF"));
    }
    g_assert_nonnull (strstr (status_text (f, 0), "e-log entry written: "));
    dqm_window_set_elog (f->windows[0], NULL);
  }

  /* The monitor goes away: the view greys and says for how long. */
  g_clear_pointer (&f->server, dqm_server_free);
  start = g_get_monotonic_time ();
  iterate_until (status_says, f, silent, 2.0, "the silence in the status bar");
  g_assert_nonnull (find_class (GTK_WIDGET (f->windows[0]), "monitor-silent"));

  for (guint i = 0; i < 2; i++)
    {
      gtk_window_destroy (GTK_WINDOW (f->windows[i]));
      dqm_link_free (f->links[i]);
    }
  dqm_pipeline_stop (f->pipeline, 5);
  dqm_pipeline_free (f->pipeline);
  dqm_config_unref (f->config);
  g_free (f->feed);
  g_free (f->commands);
  g_free (f->keys);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attached/two-windows-one-monitor", test_two_windows_one_monitor);
  return g_test_run ();
}
