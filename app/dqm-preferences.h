/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The display's preferences, kept in $XDG_CONFIG_HOME/na64dqm/preferences.ini
 * (not in the detector configuration: they are one person's choices), and
 * the dialog that edits them. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DQM_PREFERENCES_KEPT_MIN 10
#define DQM_PREFERENCES_KEPT_MAX 100000
#define DQM_PREFERENCES_REFRESH_MIN 50
#define DQM_PREFERENCES_REFRESH_MAX 10000

typedef struct {
  guint    kept_events;  /* the inspector's ring */
  gboolean sound;        /* a bell when an alarm is raised */
  guint    plot_refresh_ms; /* plots follow new data at most this often */
} DqmPreferences;

/* Defaults, then the file; what is wrong in it goes to @problem (may be
 * NULL) and the default is used for that key. */
void       dqm_preferences_load   (DqmPreferences        *preferences,
                                   char                 **problem);
gboolean   dqm_preferences_save   (const DqmPreferences  *preferences,
                                   GError               **error);
/* Edits @preferences in place, saves each change and calls @changed. */
GtkWindow *dqm_preferences_dialog (GtkWindow             *parent,
                                   DqmPreferences        *preferences,
                                   gsize                  bytes_per_event,
                                   GCallback              changed,
                                   gpointer               data);

G_END_DECLS
