/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The display in another language, as a user gets it with LANGUAGE set
 * (meson runs this once per language): the window title, an alarm's name
 * and the plural forms of counts come from the catalogue in build/po. The
 * window's icon comes from the GResource. */
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dqm-alarm-tile.h"
#include "dqm-file.h"
#include "dqm-i18n.h"
#include "dqm-pipeline.h"
#include "dqm-sim-run.h"
#include "dqm-window.h"

typedef struct {
  const char *language;
  const char *title;
  const char *dead_channels;
  const char *counts[4];   /* 0, 1, 3 and 5 channels */
} Expected;

static const Expected expected[] = {
  { "de", "NA64-Datenqualitätsmonitor", "Tote Kanäle", { "0 Kanäle", "1 Kanal", "3 Kanäle", "5 Kanäle" } },
  { "fr", "Moniteur de qualité des données NA64", "Canaux morts", { "0 canal", "1 canal", "3 canaux", "5 canaux" } },
  { "it", "Monitor della qualità dei dati di NA64", "Canali morti", { "0 canali", "1 canale", "3 canali", "5 canali" } },
  { "es", "Monitor de calidad de datos de NA64", "Canales muertos", { "0 canales", "1 canal", "3 canales", "5 canales" } },
  { "ru", "Монитор качества данных NA64", "Мёртвые каналы", { "0 каналов", "1 канал", "3 канала", "5 каналов" } },
};

static const Expected *
language (void)
{
  const char *wanted = g_getenv ("LANGUAGE");

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (g_strcmp0 (wanted, expected[i].language) == 0)
      return &expected[i];
  g_error ("run with LANGUAGE set to one of de, fr, it, es, ru (not %s)", wanted ? wanted : "unset");
  return NULL;
}

static void
test_window_title (void)
{
  const Expected *e = language ();
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-l10n-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmSimRun) sim = NULL;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmLink) link = NULL;
  g_autoptr(GtkApplication) application = gtk_application_new ("org.na64.DqmTest", G_APPLICATION_NON_UNIQUE);
  DqmPreferences preferences = { .kept_events = 100 };
  DqmFileWriter *writer;
  DqmSimMessage m;
  DqmWindow *window;

  g_assert_true (dqm_config_set (config, "spill", "length_s", "0.05", NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  sim = dqm_sim_run_new (setup, NULL, 1, 1, 1, 1790000000000000000ull);
  writer = dqm_file_writer_new (path, NULL);
  while (dqm_sim_run_next (sim, &m))
    g_assert_true (dqm_file_writer_write (writer, m.body->data, m.body->len, NULL));
  g_assert_true (dqm_file_writer_close (writer, NULL));
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, NULL, NULL);
  g_application_set_resource_base_path (G_APPLICATION (application), "/org/na64/dqm");
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));
  link = dqm_link_new_local (pipeline);
  window = dqm_window_new (application, link, config, &preferences);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, e->title);
  /* the icon comes from the GResource, installed or not */
  g_assert_cmpstr (gtk_window_get_icon_name (GTK_WINDOW (window)), ==, "org.na64.Dqm");
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          "org.na64.Dqm"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (path);
  g_rmdir (dir);
}

static void
test_alarm_words (void)
{
  const Expected *e = language ();
  DqmAlarm alarm = { .id = "dead-channels", .title = "Dead channels", .unit = "channels" };
  const guint n[] = { 0, 1, 3, 5 };

  g_assert_cmpstr (_(alarm.title), ==, e->dead_channels);
  for (gsize i = 0; i < G_N_ELEMENTS (n); i++)
    {
      g_autofree char *text = dqm_alarm_format_value (&alarm, n[i]);
      g_assert_cmpstr (text, ==, e->counts[i]);
    }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  dqm_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/l10n/window-title", test_window_title);
  g_test_add_func ("/l10n/alarm-words", test_alarm_words);
  return g_test_run ();
}
