/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Key files and the allowlist. */
#include "dqm-keys.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <zmq.h>

#include "dqm-service-error.h"

char *
dqm_keys_default_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "na64dqm", "keys", NULL);
}

gboolean
dqm_keys_name_is_valid (const char *name)
{
  gsize n = name ? strlen (name) : 0;

  /* A letter or digit first: "-" means "no name" to the server, ".x" hides a file. */
  if (n == 0 || n > DQM_KEY_NAME_MAX || !g_ascii_isalnum (name[0]))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (name[i]) && !strchr ("-_.@", name[i]))
      return FALSE;
  return TRUE;
}

gboolean
dqm_keys_public_is_valid (const char *z85)
{
  guint8 key[32];

  return z85 && strlen (z85) == DQM_KEY_Z85_LENGTH && zmq_z85_decode (key, z85) != NULL;
}

static gboolean
keys_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
keys_error (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS, format, args));
  va_end (args);
  return FALSE;
}

gboolean
dqm_keys_generate (const char *name, DqmKeyPair *pair, GError **error)
{
  memset (pair, 0, sizeof *pair);
  if (!dqm_keys_name_is_valid (name))
    return keys_error (error, "“%s” is not a key name: use letters, digits, - _ . @", name);
  if (!zmq_has ("curve"))
    return keys_error (error, "this ZeroMQ has no CURVE security (libzmq built without libsodium)");
  if (zmq_curve_keypair (pair->public_key, pair->secret_key) != 0)
    return keys_error (error, "cannot make a key pair: %s", zmq_strerror (zmq_errno ()));
  g_strlcpy (pair->name, name, sizeof pair->name);
  return TRUE;
}

static gboolean
write_key_file (const char *path, const DqmKeyPair *pair, gboolean with_secret, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autofree char *comment = g_strdup_printf (with_secret ? " na64dqm CURVE key pair “%s”: keep it secret"
                                                          : " na64dqm CURVE public key “%s”: give it away", pair->name);

  g_key_file_set_string (file, "curve", "name", pair->name);
  g_key_file_set_string (file, "curve", "public-key", pair->public_key);
  if (with_secret)
    g_key_file_set_string (file, "curve", "secret-key", pair->secret_key);
  g_key_file_set_comment (file, NULL, NULL, comment, NULL);
  text = g_key_file_to_data (file, NULL, NULL);
  /* The secret file is never readable by others, not even for a moment. */
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, with_secret ? 0600 : 0644, error);
}

gboolean
dqm_keys_save (const char *dir, const DqmKeyPair *pair, gboolean replace, GError **error)
{
  g_autofree char *base = g_strconcat (pair->name, ".key", NULL);
  g_autofree char *pub_base = g_strconcat (pair->name, ".pub", NULL);
  g_autofree char *secret = g_build_filename (dir, base, NULL);
  g_autofree char *public = g_build_filename (dir, pub_base, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return keys_error (error, "%s: cannot make the key directory: %s", dir, g_strerror (errno));
  if (!replace && g_file_test (secret, G_FILE_TEST_EXISTS))
    return keys_error (error, "%s exists: not replaced (give --force to make a new pair)", secret);
  return write_key_file (secret, pair, TRUE, error) && write_key_file (public, pair, FALSE, error);
}

gboolean
dqm_keys_load (const char *path, gboolean public_only, DqmKeyPair *pair, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *name = NULL, *public = NULL, *secret = NULL;
  g_autoptr(GError) local = NULL;

  memset (pair, 0, sizeof *pair);
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    return keys_error (error, "%s: %s", path, local->message);
  public = g_key_file_get_string (file, "curve", "public-key", NULL);
  secret = g_key_file_get_string (file, "curve", "secret-key", NULL);
  name = g_key_file_get_string (file, "curve", "name", NULL);
  if (!dqm_keys_public_is_valid (public))
    return keys_error (error, "%s: no valid public-key (40 characters of Z85) in [curve]", path);
  if (!public_only && !dqm_keys_public_is_valid (secret))
    return keys_error (error, "%s: no valid secret-key in [curve]: is this a .pub file?", path);
  if (!public_only)
    {
      struct stat st;
      char derived[DQM_KEY_Z85_LENGTH + 1];

      /* As ssh does: a secret others can read is no secret. */
      if (g_stat (path, &st) == 0 && (st.st_mode & 077) != 0)
        return keys_error (error, "%s: a secret key readable by others (mode %03o): chmod 600 it", path,
                           st.st_mode & 0777);
      if (zmq_curve_public (derived, secret) != 0 || strcmp (derived, public) != 0)
        return keys_error (error, "%s: its public-key does not belong to its secret-key", path);
      g_strlcpy (pair->secret_key, secret, sizeof pair->secret_key);
    }
  g_strlcpy (pair->public_key, public, sizeof pair->public_key);
  g_strlcpy (pair->name, name && dqm_keys_name_is_valid (name) ? name : "unnamed", sizeof pair->name);
  return TRUE;
}

gboolean
dqm_keys_allow (const char *path, const char *name, const char *public_key, GError **error)
{
  g_autofree char *old = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (!dqm_keys_name_is_valid (name))
    return keys_error (error, "“%s” is not a key name: use letters, digits, - _ . @", name);
  if (!dqm_keys_public_is_valid (public_key))
    return keys_error (error, "“%s” is not a public key (40 characters of Z85)", public_key);
  if (g_file_get_contents (path, &old, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (old, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        {
          g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", 2);

          if (lines[i][0] && (words[0] == NULL || !g_str_equal (words[0], name)))
            g_string_append_printf (text, "%s\n", lines[i]);
        }
    }
  else
    g_string_append (text, "# Clients whose commands the na64dqm monitor takes: NAME PUBLIC-KEY a line.\n");
  g_string_append_printf (text, "%s %s\n", name, public_key);
  return g_file_set_contents_full (path, text->str, text->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* --- the allowlist ----------------------------------------------------- */

typedef struct {
  guint8 key[32];
  char   name[DQM_KEY_NAME_MAX + 1];
} AllowedKey;

struct _DqmAllowlist {
  char    *path;
  GArray  *keys;        /* AllowedKey */
  gint64   mtime, size; /* of the file last read; -1: none */
  char     problem[256];
};

static void
allowlist_read (DqmAllowlist *self)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint bad = 0;

  g_array_set_size (self->keys, 0);
  self->problem[0] = '\0';
  if (!g_file_get_contents (self->path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_auto(GStrv) words = NULL;
      AllowedKey key = { { 0 } };

      if (line[0] == '\0' || line[0] == '#')
        continue;
      words = g_strsplit_set (line, " \t", -1);
      /* NAME KEY, with any run of blanks between. */
      guint n = 0;
      const char *fields[2] = { NULL, NULL };
      for (guint w = 0; words[w]; w++)
        if (words[w][0] && n < 2)
          fields[n++] = words[w];
      if (n != 2 || !dqm_keys_name_is_valid (fields[0]) || !dqm_keys_public_is_valid (fields[1]))
        {
          if (bad++ == 0)
            g_snprintf (self->problem, sizeof self->problem, "%s line %u is not “NAME PUBLIC-KEY”", self->path, i + 1);
          continue;
        }
      zmq_z85_decode (key.key, fields[1]);
      g_strlcpy (key.name, fields[0], sizeof key.name);
      g_array_append_val (self->keys, key);
    }
}

static void
allowlist_refresh (DqmAllowlist *self)
{
  struct stat st;
  gint64 mtime = -1, size = -1;

  /* A stat at each handshake: a key added takes effect at once. */
  if (g_stat (self->path, &st) == 0)
    {
      mtime = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
      size = st.st_size;
    }
  if (mtime == self->mtime && size == self->size)
    return;
  self->mtime = mtime;
  self->size = size;
  allowlist_read (self);
  if (self->problem[0])
    g_message ("warning: %s", self->problem);
  g_message ("%s: %u client key%s may send commands", self->path, self->keys->len, self->keys->len == 1 ? "" : "s");
}

DqmAllowlist *
dqm_allowlist_new (const char *path)
{
  DqmAllowlist *self = g_new0 (DqmAllowlist, 1);

  self->path = g_strdup (path);
  self->keys = g_array_new (FALSE, TRUE, sizeof (AllowedKey));
  self->mtime = self->size = -2;
  allowlist_refresh (self);
  return self;
}

void
dqm_allowlist_free (DqmAllowlist *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->keys);
  g_free (self->path);
  g_free (self);
}

const char *
dqm_allowlist_lookup (DqmAllowlist *self, const guint8 *key)
{
  allowlist_refresh (self);
  for (guint i = 0; i < self->keys->len; i++)
    if (memcmp (g_array_index (self->keys, AllowedKey, i).key, key, 32) == 0)
      return g_array_index (self->keys, AllowedKey, i).name;
  return NULL;
}

guint
dqm_allowlist_count (DqmAllowlist *self)
{
  allowlist_refresh (self);
  return self->keys->len;
}

const char *
dqm_allowlist_problem (DqmAllowlist *self)
{
  return self->problem;
}
