/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who may read the web view beyond loopback: a password file of
 * "USER:HASH" lines, HASH made by crypt(3) — yescrypt ("$y$", what
 * `na64dqm-ctl web-password USER` prints), bcrypt ("$2b$", "$2y$", as
 * `htpasswd -nB USER` makes it) or SHA-512 ("$6$") — with '#' comments.
 * A password is checked by crypt once, then by a keyed digest kept in
 * memory, so that a browser's every request does not cost a crypt; an
 * address with too many wrong tries is refused a while without one. Used
 * by one thread (the web thread). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DQM_WEB_AUTH_OK,
  DQM_WEB_AUTH_WRONG,   /* no such user, or not the password */
  DQM_WEB_AUTH_LOCKED,  /* too many wrong tries from that address */
} DqmWebAuth;

typedef struct _DqmWebPasswords DqmWebPasswords;

/* The error names the file and the line. */
DqmWebPasswords *dqm_web_passwords_load  (const char       *path,
                                          GError          **error);
void             dqm_web_passwords_free  (DqmWebPasswords  *passwords);
guint            dqm_web_passwords_users (DqmWebPasswords  *passwords);
DqmWebAuth       dqm_web_passwords_check (DqmWebPasswords  *passwords,
                                          const char       *address,
                                          const char       *user,
                                          const char       *password,
                                          gint64            now_us);
/* "USER:$y$…", a line for the file, with a fresh salt. */
char            *dqm_web_password_line   (const char       *user,
                                          const char       *password,
                                          GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmWebPasswords, dqm_web_passwords_free)

G_END_DECLS
