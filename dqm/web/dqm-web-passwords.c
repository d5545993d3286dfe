/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The password file, crypt(3) and the memory of passwords checked. */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include "dqm-web-passwords.h"

#include <crypt.h>
#include <string.h>

#include "dqm-service-error.h"

#define MAX_USER        64
#define MAX_PASSWORD    256
#define MAX_REMEMBERED  1024                       /* passwords checked, kept as digests */
#define MAX_WRONG       10                         /* wrong tries an address has … */
#define WRONG_WINDOW_US (60 * G_USEC_PER_SEC)      /* … in a minute, before it waits that long */
#define MAX_ADDRESSES   4096                       /* addresses whose wrong tries are counted */
#define CRYPTS_PER_S    20.0

typedef struct {
  guint  wrong;
  gint64 since_us;         /* the first wrong try counted */
  gint64 locked_until_us;  /* 0: not shut out */
} Tries;

struct _DqmWebPasswords {
  GHashTable *hashes;      /* user → crypt hash */
  GHashTable *remembered;  /* hex HMAC of "user:password" → TRUE */
  GHashTable *tries;       /* address → Tries */
  guint8      key[32];     /* this process's own, for the HMAC */
  char       *dummy_hash;  /* what an unknown user's password is checked against */
  double      crypt_tokens;
  gint64      crypt_at_us;
};

static gboolean
plain_user (const char *user)
{
  gsize n = strlen (user);

  if (n == 0 || n > MAX_USER)
    return FALSE;
  for (const char *c = user; *c; c++)
    if (!g_ascii_isalnum (*c) && !strchr ("._@-", *c))
      return FALSE;
  return TRUE;
}

DqmWebPasswords *
dqm_web_passwords_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(DqmWebPasswords) self = g_new0 (DqmWebPasswords, 1);

  self->hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->remembered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < sizeof self->key; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (self->key + i, &r, 4);
    }
  self->crypt_tokens = CRYPTS_PER_S;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint n = 0; lines[n]; n++)
    {
      char *line = g_strstrip (lines[n]), *colon = strchr (line, ':');

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (colon)
        *colon = '\0';
      if (colon == NULL || !plain_user (line))
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                       "%s:%u: give USER:HASH, a user of letters, digits and ._@- (at most %d)", path, n + 1,
                       MAX_USER);
          return NULL;
        }
      if (crypt_checksalt (colon + 1) != CRYPT_SALT_OK)
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                       "%s:%u: the hash of %s is not one crypt(3) takes as safe (yescrypt $y$, bcrypt $2b$, "
                       "SHA-512 $6$): make it again with na64dqm-ctl web-password %s", path, n + 1, line, line);
          return NULL;
        }
      if (!g_hash_table_insert (self->hashes, g_strdup (line), g_strdup (colon + 1)))
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS, "%s:%u: %s a second time", path, n + 1, line);
          return NULL;
        }
    }
  {
    /* yescrypt as the tool makes them: an unknown user's check costs what a known one's does. */
    g_autofree char *line = dqm_web_password_line ("dummy", "no password at all", NULL);

    self->dummy_hash = line ? g_strdup (strchr (line, ':') + 1) : g_strdup ("*");
  }
  if (g_hash_table_size (self->hashes) == 0)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "%s: holds no USER:HASH line (make one with na64dqm-ctl web-password USER)", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
dqm_web_passwords_free (DqmWebPasswords *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->hashes, g_hash_table_unref);
  g_clear_pointer (&self->remembered, g_hash_table_unref);
  g_clear_pointer (&self->tries, g_hash_table_unref);
  g_free (self->dummy_hash);
  g_free (self);
}

guint
dqm_web_passwords_users (DqmWebPasswords *self)
{
  return g_hash_table_size (self->hashes);
}

/* crypt's answer against the file's hash, in a time that does not say how
 * much of it matched. */
static gboolean
crypt_matches (const char *password, const char *hash)
{
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *made = crypt_r (password, hash, data);
  gsize n = strlen (hash);
  guint8 differ = 0;

  if (made == NULL || made[0] == '*' || strlen (made) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    differ |= made[i] ^ hash[i];
  explicit_bzero (data, sizeof *data);
  return differ == 0;
}

/* Whether @address is shut out now; a window that is over is forgotten. */
static gboolean
locked (DqmWebPasswords *self, const char *address, gint64 now_us)
{
  Tries *tries = g_hash_table_lookup (self->tries, address);

  if (tries && tries->locked_until_us == 0 && now_us - tries->since_us > WRONG_WINDOW_US)
    tries = NULL, g_hash_table_remove (self->tries, address); /* fewer than MAX_WRONG in their minute */
  else if (tries && tries->locked_until_us && now_us >= tries->locked_until_us)
    tries = NULL, g_hash_table_remove (self->tries, address);
  return tries && tries->locked_until_us;
}

static void
count_wrong (DqmWebPasswords *self, const char *address, gint64 now_us)
{
  Tries *tries = g_hash_table_lookup (self->tries, address);

  if (tries == NULL)
    {
      /* Many addresses at once: one forgotten a time, never the whole memory. */
      if (g_hash_table_size (self->tries) >= MAX_ADDRESSES)
        {
          GHashTableIter iter;

          g_hash_table_iter_init (&iter, self->tries);
          if (g_hash_table_iter_next (&iter, NULL, NULL))
            g_hash_table_iter_remove (&iter);
        }
      tries = g_new0 (Tries, 1);
      tries->since_us = now_us;
      g_hash_table_insert (self->tries, g_strdup (address), tries);
    }
  /* The tenth wrong try shuts the address out for a whole minute from then. */
  if (++tries->wrong >= MAX_WRONG && tries->locked_until_us == 0)
    tries->locked_until_us = now_us + WRONG_WINDOW_US;
}

/* At most CRYPTS_PER_S checks by crypt a second in all: a flood of wrong
 * passwords from many addresses costs the web thread no more than that. */
static gboolean
take_crypt (DqmWebPasswords *self, gint64 now_us)
{
  if (self->crypt_at_us == 0)
    self->crypt_at_us = now_us;
  self->crypt_tokens = MIN (CRYPTS_PER_S,
                            self->crypt_tokens + MAX (0, now_us - self->crypt_at_us) / 1e6 * CRYPTS_PER_S);
  self->crypt_at_us = now_us;
  if (self->crypt_tokens < 1)
    return FALSE;
  self->crypt_tokens -= 1;
  return TRUE;
}

DqmWebAuth
dqm_web_passwords_check (DqmWebPasswords *self, const char *address, const char *user, const char *password,
                         gint64 now_us)
{
  g_autofree char *both = NULL, *digest = NULL;
  const char *hash;
  gboolean right;

  if (user == NULL || password == NULL || strlen (password) > MAX_PASSWORD)
    {
      count_wrong (self, address, now_us);
      return DQM_WEB_AUTH_WRONG;
    }
  /* A password already checked is let in, even from a shut-out address: a
   * stranger's wrong tries behind the same NAT do not lock the shift out. */
  both = g_strconcat (user, ":", password, NULL);
  digest = g_compute_hmac_for_string (G_CHECKSUM_SHA256, self->key, sizeof self->key, both, -1);
  explicit_bzero (both, strlen (both));
  if (g_hash_table_contains (self->remembered, digest))
    return DQM_WEB_AUTH_OK;
  if (locked (self, address, now_us) || !take_crypt (self, now_us))
    return DQM_WEB_AUTH_LOCKED;
  /* An unknown user costs a crypt too: the time says nothing of who exists. */
  hash = g_hash_table_lookup (self->hashes, user);
  right = crypt_matches (password, hash ? hash : self->dummy_hash) && hash != NULL;
  if (!right)
    {
      count_wrong (self, address, now_us);
      return DQM_WEB_AUTH_WRONG;
    }
  if (g_hash_table_size (self->remembered) >= MAX_REMEMBERED)
    g_hash_table_remove_all (self->remembered);
  g_hash_table_add (self->remembered, g_steal_pointer (&digest));
  return DQM_WEB_AUTH_OK;
}

char *
dqm_web_password_line (const char *user, const char *password, GError **error)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *hash;
  char *line;

  if (!plain_user (user))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "%s: a user is letters, digits and ._@- (at most %d)", user, MAX_USER);
      return NULL;
    }
  if (password[0] == '\0' || strlen (password) > MAX_PASSWORD)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS, "a password of 1 to %d bytes, please",
                   MAX_PASSWORD);
      return NULL;
    }
  if (crypt_gensalt_rn ("$y$", 0, NULL, 0, setting, sizeof setting) == NULL
      || (hash = crypt_r (password, setting, data)) == NULL || hash[0] == '*')
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS, "crypt(3) could not hash the password");
      return NULL;
    }
  line = g_strdup_printf ("%s:%s", user, hash);
  explicit_bzero (data, sizeof *data);
  return line;
}
