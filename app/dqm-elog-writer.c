/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-log entry of a program without a screen: its pictures are the
 * wall's plots drawn from the state. */
#include "dqm-elog-writer.h"

#include "dqm-elog.h"
#include "dqm-plot-na64.h"

typedef struct {
  DqmState *state;
  char     *entry, *command;
} Pictures;

static gboolean
write_picture (Pictures *p, const char *format, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dqm_plot_render_wall (p->state, format, 1600, 1000, &error);
  g_autofree char *path = g_build_filename (p->entry, name, NULL);

  if (bytes == NULL
      || !g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error))
    {
      g_printerr ("e-log entry %s: %s not written: %s\n", p->entry, name, error->message);
      return FALSE;
    }
  return TRUE;
}

static gpointer
draw_and_post (gpointer data)
{
  Pictures *p = data;
  g_autoptr(GError) error = NULL;
  gboolean whole = write_picture (p, "png", DQM_ELOG_PNG);

  whole &= write_picture (p, "pdf", DQM_ELOG_PDF);
  /* An entry without its pictures is still posted: the text is what counts. */
  if (p->command && !dqm_elog_post (p->command, p->entry, &error))
    g_printerr ("e-log entry %s not posted: %s\n", p->entry, error->message);
  else if (!whole)
    g_printerr ("e-log entry %s is without some of its pictures\n", p->entry);
  dqm_state_unref (p->state);
  g_free (p->entry);
  g_free (p->command);
  g_free (p);
  return NULL;
}

char *
dqm_elog_write_for_service (const DqmState *state, const char *who, const char *comment, gpointer data,
                            GError **error)
{
  const DqmElogPlace *place = data;
  Pictures *p;
  char *entry;

  if ((entry = dqm_elog_begin (place->dir, state, who, comment, error)) == NULL)
    return NULL;
  p = g_new0 (Pictures, 1);
  p->state = dqm_state_ref ((DqmState *) state);
  p->entry = g_strdup (entry);
  p->command = g_strdup (place->command);
  g_thread_unref (g_thread_new ("elog-pictures", draw_and_post, p));
  return entry;
}
