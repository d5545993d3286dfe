/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: a GKeyFile and a small dialog. */
#include "dqm-preferences.h"

#include "dqm-plot-view.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#define GROUP "display"

static char *
preferences_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "na64dqm", "preferences.ini", NULL);
}

void
dqm_preferences_load (DqmPreferences *p, char **problem)
{
  g_autofree char *path = preferences_path ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  gint64 kept;

  p->kept_events = 1000;
  p->sound = FALSE;
  p->plot_refresh_ms = DQM_PLOT_VIEW_DEFAULT_REFRESH_MS;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_string_append_printf (problems, "%s: %s", path, error->message);
    }
  else
    {
      if (g_key_file_has_key (file, GROUP, "kept-events", NULL))
        {
          kept = g_key_file_get_int64 (file, GROUP, "kept-events", &error);
          if (error || kept < DQM_PREFERENCES_KEPT_MIN || kept > DQM_PREFERENCES_KEPT_MAX)
            g_string_append_printf (problems, _("%s: kept-events must be a number from %d to %d; using %u"), path,
                                    DQM_PREFERENCES_KEPT_MIN, DQM_PREFERENCES_KEPT_MAX, p->kept_events);
          else
            p->kept_events = (guint) kept;
          g_clear_error (&error);
        }
      if (g_key_file_has_key (file, GROUP, "plot-refresh-ms", NULL))
        {
          gint64 refresh = g_key_file_get_int64 (file, GROUP, "plot-refresh-ms", &error);

          if (error || refresh < DQM_PREFERENCES_REFRESH_MIN || refresh > DQM_PREFERENCES_REFRESH_MAX)
            g_string_append_printf (problems, _("%s%s: plot-refresh-ms must be a number from %d to %d; using %u"),
                                    problems->len ? "; " : "", path, DQM_PREFERENCES_REFRESH_MIN,
                                    DQM_PREFERENCES_REFRESH_MAX, p->plot_refresh_ms);
          else
            p->plot_refresh_ms = (guint) refresh;
          g_clear_error (&error);
        }
      if (g_key_file_has_key (file, GROUP, "sound", NULL))
        {
          gboolean sound = g_key_file_get_boolean (file, GROUP, "sound", &error);

          if (error)
            g_string_append_printf (problems, _("%s%s: sound must be true or false"), problems->len ? "; " : "", path);
          else
            p->sound = sound;
        }
    }
  if (problem)
    *problem = problems->len ? g_strdup (problems->str) : NULL;
}

gboolean
dqm_preferences_save (const DqmPreferences *p, GError **error)
{
  g_autofree char *path = preferences_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) file = g_key_file_new ();

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  g_key_file_set_integer (file, GROUP, "kept-events", (int) p->kept_events);
  g_key_file_set_boolean (file, GROUP, "sound", p->sound);
  g_key_file_set_integer (file, GROUP, "plot-refresh-ms", (int) p->plot_refresh_ms);
  return g_key_file_save_to_file (file, path, error);
}

typedef struct {
  DqmPreferences *preferences;
  gsize           bytes_per_event;
  GtkLabel       *memory;
  GCallback       changed;
  gpointer        data;
} Dialog;

static void
show_memory (Dialog *d)
{
  g_autofree char *size = g_format_size ((guint64) d->preferences->kept_events * d->bytes_per_event);
  g_autofree char *text = g_strdup_printf (_("About %s of memory at the present event size"), size);

  gtk_label_set_text (d->memory, text);
}

static void
changed (Dialog *d)
{
  g_autoptr(GError) error = NULL;

  show_memory (d);
  if (!dqm_preferences_save (d->preferences, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Preferences not saved: %s"), error->message);
      gtk_label_set_text (d->memory, text);
    }
  ((void (*) (gpointer)) d->changed) (d->data);
}

static void
on_kept_changed (GtkSpinButton *spin, Dialog *d)
{
  d->preferences->kept_events = (guint) gtk_spin_button_get_value_as_int (spin);
  changed (d);
}

static void
on_sound_changed (GtkSwitch *sound, GParamSpec *pspec, Dialog *d)
{
  d->preferences->sound = gtk_switch_get_active (sound);
  changed (d);
}

GtkWindow *
dqm_preferences_dialog (GtkWindow *parent, DqmPreferences *preferences, gsize bytes_per_event, GCallback on_change,
                        gpointer data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/na64/dqm/ui/dqm-preferences.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "preferences"));
  GtkSpinButton *kept = GTK_SPIN_BUTTON (gtk_builder_get_object (builder, "kept_events"));
  GtkSwitch *sound = GTK_SWITCH (gtk_builder_get_object (builder, "sound"));
  Dialog *d = g_new0 (Dialog, 1);

  d->preferences = preferences;
  d->bytes_per_event = MAX (bytes_per_event, 1);
  d->memory = GTK_LABEL (gtk_builder_get_object (builder, "memory"));
  d->changed = on_change;
  d->data = data;
  g_object_set_data_full (G_OBJECT (window), "dqm-preferences-dialog", d, g_free);
  gtk_window_set_transient_for (window, parent);
  gtk_window_set_destroy_with_parent (window, TRUE); /* it edits the parent's preferences */
  gtk_spin_button_set_value (kept, preferences->kept_events);
  gtk_switch_set_active (sound, preferences->sound);
  show_memory (d);
  g_signal_connect (kept, "value-changed", G_CALLBACK (on_kept_changed), d);
  g_signal_connect (sound, "notify::active", G_CALLBACK (on_sound_changed), d);
  return window;
}
