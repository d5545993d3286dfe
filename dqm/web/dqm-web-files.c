/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table of JSROOT's files. */
#include "dqm-web-files.h"

#include <string.h>

#include "dqm-service-error.h"

#define MAX_FILES 5000

struct _DqmWebFiles {
  GHashTable *paths;     /* relative name → absolute path, fixed at start */
  GHashTable *contents;  /* relative name → GBytes, read on first use */
  GMutex      lock;
};

static void
list_tree (DqmWebFiles *self, const char *root, const char *relative)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) && g_hash_table_size (self->paths) < MAX_FILES)
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *absolute = g_build_filename (root, child, NULL);

      if (name[0] == '.' || g_file_test (absolute, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (absolute, G_FILE_TEST_IS_DIR))
        list_tree (self, root, child);
      else if (g_file_test (absolute, G_FILE_TEST_IS_REGULAR))
        g_hash_table_insert (self->paths, g_steal_pointer (&child), g_steal_pointer (&absolute));
    }
}

DqmWebFiles *
dqm_web_files_new (const char *root, GError **error)
{
  DqmWebFiles *self = g_new0 (DqmWebFiles, 1);

  g_mutex_init (&self->lock);
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->contents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  list_tree (self, root, "modules");
  list_tree (self, root, "fonts");
  if (!g_hash_table_contains (self->paths, "modules/gui.mjs"))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT,
                   "%s holds no JSROOT (no modules/gui.mjs): the browser pages are off (set NA64DQM_JSROOT_DIR)",
                   root);
      dqm_web_files_free (self);
      return NULL;
    }
  return self;
}

void
dqm_web_files_free (DqmWebFiles *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->paths);
  g_hash_table_unref (self->contents);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static const char *
type_of (const char *name)
{
  static const struct { const char *suffix, *type; } types[] = {
    { ".mjs", "text/javascript" }, { ".js", "text/javascript" }, { ".css", "text/css" },
    { ".json", "application/json" }, { ".svg", "image/svg+xml" }, { ".png", "image/png" },
    { ".woff2", "font/woff2" }, { ".woff", "font/woff" }, { ".ttf", "font/ttf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (name, types[i].suffix))
      return types[i].type;
  return "application/octet-stream";
}

GBytes *
dqm_web_files_get (DqmWebFiles *self, const char *name, const char **type)
{
  GBytes *bytes;
  const char *path;

  g_mutex_lock (&self->lock);
  bytes = g_hash_table_lookup (self->contents, name);
  if (bytes == NULL && (path = g_hash_table_lookup (self->paths, name)))
    {
      char *contents = NULL;
      gsize length = 0;

      /* Read, not mapped: a file replaced under us by an upgrade must not
       * take the monitor down (SIGBUS). */
      if (g_file_get_contents (path, &contents, &length, NULL))
        {
          bytes = g_bytes_new_take (contents, length);
          g_hash_table_insert (self->contents, g_strdup (name), bytes);
        }
    }
  if (bytes)
    g_bytes_ref (bytes);
  g_mutex_unlock (&self->lock);
  if (bytes && type)
    *type = type_of (name);
  return bytes;
}

guint
dqm_web_files_count (DqmWebFiles *self)
{
  return g_hash_table_size (self->paths);
}

char *
dqm_web_files_default_root (void)
{
  const char *env = g_getenv ("NA64DQM_JSROOT_DIR");
  g_autofree char *installed = g_build_filename (NA64DQM_JSROOT_INSTALLED, "modules", "gui.mjs", NULL);

  if (env && *env)
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_strdup (NA64DQM_JSROOT_INSTALLED);
  return g_strdup (NA64DQM_JSROOT_SOURCE);
}
