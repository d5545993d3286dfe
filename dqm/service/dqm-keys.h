/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CURVE keys of the monitor and its clients, as files in a key directory
 * (docs/state-v1.md): NAME.key (public and secret, mode 0600) and NAME.pub,
 * and the monitor's allowlist of client keys that may send commands. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_KEY_Z85_LENGTH 40
#define DQM_KEY_NAME_MAX   63
#define DQM_KEYS_MONITOR   "monitor"
#define DQM_KEYS_CLIENT    "client"
#define DQM_KEYS_ALLOWLIST "allowed-clients"

typedef struct {
  char name[DQM_KEY_NAME_MAX + 1];
  char public_key[DQM_KEY_Z85_LENGTH + 1];  /* Z85 */
  char secret_key[DQM_KEY_Z85_LENGTH + 1];  /* Z85; empty for a public key alone */
} DqmKeyPair;

/* ~/.config/na64dqm/keys */
char     *dqm_keys_default_dir     (void);
/* Letters, digits, '-', '_', '.', '@', a letter or digit first; 1 to 63. */
gboolean  dqm_keys_name_is_valid   (const char       *name);
/* 40 characters of Z85 that decode to 32 bytes. */
gboolean  dqm_keys_public_is_valid (const char       *z85);
gboolean  dqm_keys_generate        (const char       *name,
                                    DqmKeyPair       *pair,
                                    GError          **error);
/* DIR/NAME.key and DIR/NAME.pub, DIR made if missing (0700); an existing
 * pair is not overwritten unless @replace. */
gboolean  dqm_keys_save            (const char       *dir,
                                    const DqmKeyPair *pair,
                                    gboolean          replace,
                                    GError          **error);
/* A .key file (both keys) or, with @public_only, a .pub or .key file. */
gboolean  dqm_keys_load            (const char       *path,
                                    gboolean          public_only,
                                    DqmKeyPair       *pair,
                                    GError          **error);
/* Appends NAME KEY to the allowlist at @path (made 0600 if missing),
 * replacing a line of the same name. */
gboolean  dqm_keys_allow           (const char       *path,
                                    const char       *name,
                                    const char       *public_key,
                                    GError          **error);

/* The allowlist as the monitor reads it: reread when the file changes. */
typedef struct _DqmAllowlist DqmAllowlist;

DqmAllowlist *dqm_allowlist_new    (const char       *path);
void          dqm_allowlist_free   (DqmAllowlist     *allowlist);
/* The name the allowlist gives the 32-byte @key, or NULL. */
const char   *dqm_allowlist_lookup (DqmAllowlist     *allowlist,
                                    const guint8     *key);
guint         dqm_allowlist_count  (DqmAllowlist     *allowlist);
/* Lines that could not be read at the last reading, with why. */
const char   *dqm_allowlist_problem (DqmAllowlist    *allowlist);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmAllowlist, dqm_allowlist_free)

G_END_DECLS
