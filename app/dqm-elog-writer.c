/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-log entry of a program without a screen: its pictures are the
 * wall's plots drawn from the state. */
#include "dqm-elog-writer.h"

#include "dqm-elog.h"
#include "dqm-plot-na64.h"

static void
write_picture (DqmState *state, const char *entry, const char *format, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dqm_plot_render_wall (state, format, 1600, 1000, &error);
  g_autofree char *path = g_build_filename (entry, name, NULL);

  /* An entry without a picture is still posted: its text is what counts. */
  if (bytes == NULL
      || !g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error))
    g_printerr ("e-log entry %s: %s not written: %s\n", entry, name, error->message);
}

static void
draw_pictures (const char *entry, gpointer state)
{
  write_picture (state, entry, "png", DQM_ELOG_PNG);
  write_picture (state, entry, "pdf", DQM_ELOG_PDF);
}

char *
dqm_elog_write_for_service (const DqmState *state, const char *who, const char *comment, gpointer data,
                            GError **error)
{
  const DqmElogPlace *place = data;
  char *entry;

  if ((entry = dqm_elog_begin (place->dir, state, who, comment, error)) == NULL)
    return NULL;
  dqm_elog_finish_later (entry, draw_pictures, dqm_state_ref ((DqmState *) state), (GDestroyNotify) dqm_state_unref,
                         place->command);
  return entry;
}
