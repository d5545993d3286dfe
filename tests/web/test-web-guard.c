/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who the web view lets in: loopback names only on a loopback server, so
 * many requests an address, no overlong line; the password file's users
 * with their crypt(3) hashes, an address with too many wrong tries shut
 * out for a minute, and a file that is not right refused with its line. */
#include <crypt.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-web-guard.h"
#include "dqm-web-passwords.h"
#include "test-util.h"

static void
test_loopback_names (void)
{
  const char *const loopback[] = { "localhost", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:80", "127.1.2.3:1",
                                   "[::1]", "[::1]:8080" };
  const char *const elsewhere[] = { "evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil",
                                    "[::1]x", "[::2]:80", "127.0.0.1:80x", "", "::1", "10.0.0.1", "[::1" };

  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    g_assert_true (dqm_web_loopback_host (loopback[i]));
  for (guint i = 0; i < G_N_ELEMENTS (elsewhere); i++)
    g_assert_false (dqm_web_loopback_host (elsewhere[i]));
}

static void
test_guard_admits_so_many_an_address (void)
{
  g_autoptr(DqmWebGuard) guard = dqm_web_guard_new (TRUE, 2);
  g_autoptr(DqmWebGuard) open = dqm_web_guard_new (FALSE, 2);

  g_assert_cmpint (dqm_web_guard_admit (guard, "a", "localhost:8080", 10), ==, DQM_WEB_ADMITTED);
  g_assert_cmpint (dqm_web_guard_admit (guard, "a", NULL, 10), ==, DQM_WEB_ADMITTED);
  g_assert_cmpint (dqm_web_guard_admit (guard, "a", "localhost", 10), ==, DQM_WEB_TOO_MANY);
  g_assert_cmpint (dqm_web_guard_admit (guard, "b", "127.0.0.1", 10), ==, DQM_WEB_ADMITTED);
  dqm_web_guard_release (guard, "a");
  g_assert_cmpint (dqm_web_guard_admit (guard, "a", "localhost", 10), ==, DQM_WEB_ADMITTED);
  /* Refused requests hold no place. */
  dqm_web_guard_release (guard, "b");
  g_assert_cmpint (dqm_web_guard_admit (guard, "b", "evil.example:8080", 10), ==, DQM_WEB_WRONG_HOST);
  g_assert_cmpint (dqm_web_guard_admit (guard, "b", "localhost", DQM_WEB_MAX_URI + 1), ==, DQM_WEB_TOO_LONG);
  g_assert_cmpint (dqm_web_guard_admit (guard, "b", "localhost", DQM_WEB_MAX_URI), ==, DQM_WEB_ADMITTED);
  g_assert_cmpint (dqm_web_guard_admit (guard, "b", "localhost", 1), ==, DQM_WEB_ADMITTED);
  /* Beyond loopback the name is the operator's: passwords guard it. */
  g_assert_cmpint (dqm_web_guard_admit (open, "c", "dqm.example.org", 10), ==, DQM_WEB_ADMITTED);
}

static char *
password_file (const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-passwords-XXXXXX", NULL);
  char *path = g_build_filename (dir, "passwords", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_password_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  test_remove_tree (dir);
}

static void
test_passwords_checked_and_shut_out (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alice = dqm_web_password_line ("alice", "correct horse", &error);
  struct crypt_data data = { 0 };
  g_autofree char *bob = g_strdup_printf ("bob:%s", crypt_r ("battery", "$6$saltsaltsalt$", &data));
  g_autofree char *carol = dqm_web_password_line ("carol", "staple", &error);
  g_autofree char *text = g_strdup_printf ("# the web view's readers\n%s\n\n  %s  \n%s\n", alice, bob, carol);
  g_autofree char *path = password_file (text);
  g_autoptr(DqmWebPasswords) passwords = dqm_web_passwords_load (path, &error);
  gint64 now = 1000 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (alice, "alice:$y$"));
  g_assert_cmpuint (dqm_web_passwords_users (passwords), ==, 3);
  for (guint twice = 0; twice < 2; twice++) /* the second time from memory */
    {
      g_assert_cmpint (dqm_web_passwords_check (passwords, "1.1.1.1", "alice", "correct horse", now), ==,
                       DQM_WEB_AUTH_OK);
      g_assert_cmpint (dqm_web_passwords_check (passwords, "1.1.1.1", "bob", "battery", now), ==, DQM_WEB_AUTH_OK);
    }
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "alice", "battery", now), ==, DQM_WEB_AUTH_WRONG);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "carol", "battery", now), ==, DQM_WEB_AUTH_WRONG);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", NULL, NULL, now), ==, DQM_WEB_AUTH_WRONG);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "alice", "correct horse ", now), ==,
                   DQM_WEB_AUTH_WRONG);
  for (guint i = 4; i < 10; i++)
    g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "bob", "guess", now), ==, DQM_WEB_AUTH_WRONG);
  /* Ten wrong tries: that address is shut out for a minute from the tenth,
   * even with a right password not checked before; other addresses are not,
   * and a password already checked still lets its user in. */
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "carol", "staple", now + 30 * G_USEC_PER_SEC), ==,
                   DQM_WEB_AUTH_LOCKED);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "alice", "correct horse", now), ==,
                   DQM_WEB_AUTH_OK);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "carol", "staple", now + 59 * G_USEC_PER_SEC), ==,
                   DQM_WEB_AUTH_LOCKED);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "2.2.2.2", "carol", "staple", now + 61 * G_USEC_PER_SEC), ==,
                   DQM_WEB_AUTH_OK);
  g_assert_cmpint (dqm_web_passwords_check (passwords, "3.3.3.3", "dave", "staple", now + 61 * G_USEC_PER_SEC), ==,
                   DQM_WEB_AUTH_WRONG);
  remove_password_file (path);
}

static void
test_bad_password_files_refused (void)
{
  static const struct {
    const char *text, *message;
  } bad[] = {
    { "alice\n", ":1: give USER:HASH" },
    { "# none\n\n", "holds no USER:HASH line" },
    { "al ice:$y$j9T$abc$def\n", ":1: give USER:HASH" },
    { "alice:abJnggxhB/yWI\n", ":1: the hash of alice is not one crypt(3) takes as safe" },
    { "alice:plain\n", ":1: the hash of alice" },
    { "alice:$6$saltsaltsalt$x\nalice:$6$saltsaltsalt$x\n", ":2: alice a second time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = password_file (bad[i].text);
      g_autoptr(GError) error = NULL;
      g_autoptr(DqmWebPasswords) passwords = dqm_web_passwords_load (path, &error);

      g_assert_null (passwords);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("%s: %s, not “%s”", bad[i].text, error->message, bad[i].message);
      remove_password_file (path);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (dqm_web_passwords_load ("/nonexistent/na64dqm-passwords", &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/web/guard/loopback-names", test_loopback_names);
  g_test_add_func ("/web/guard/admits-so-many-an-address", test_guard_admits_so_many_an_address);
  g_test_add_func ("/web/passwords/checked-and-shut-out", test_passwords_checked_and_shut_out);
  g_test_add_func ("/web/passwords/bad-files-refused", test_bad_password_files_refused);
  return g_test_run ();
}
