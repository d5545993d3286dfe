/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checkpoint files: written whole and synced, then renamed over the last. */
#include "dqm-checkpoint.h"

#include <errno.h>

#include <glib/gstdio.h>

/* A checkpoint is a few megabytes; a larger file is not one of ours. */
#define MAX_CHECKPOINT_BYTES (256 * 1024 * 1024)

char *
dqm_checkpoint_path (const char *dir, guint32 run)
{
  g_return_val_if_fail (dir != NULL, NULL);

  return g_strdup_printf ("%s/.checkpoint-run-%06u", dir, run);
}

gboolean
dqm_checkpoint_write (const char *dir, guint32 run, GBytes *checkpoint, GError **error)
{
  g_autofree char *path = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (dir != NULL && checkpoint != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  path = dqm_checkpoint_path (dir, run);
  data = g_bytes_get_data (checkpoint, &length);
  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}

GBytes *
dqm_checkpoint_read (const char *dir, guint32 run, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  path = dqm_checkpoint_path (dir, run);
  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_mapped_file_get_length (file) > MAX_CHECKPOINT_BYTES)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: too large for a checkpoint", path);
      return NULL;
    }
  /* A copy: the file may be replaced while the bytes are in use. */
  return g_bytes_new (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
}

void
dqm_checkpoint_remove (const char *dir, guint32 run)
{
  g_autofree char *path = NULL;

  g_return_if_fail (dir != NULL);

  path = dqm_checkpoint_path (dir, run);
  g_unlink (path);
}

GVariant *
dqm_checkpoint_bytes (gconstpointer data, gsize size)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1);
}
