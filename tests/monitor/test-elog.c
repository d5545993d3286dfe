/* SPDX-License-Identifier: GPL-3.0-or-later */
/* E-log entries: the text says the run, its spill, its particles on target
 * (the sum of the eos scalers), the alarms and their log, who and why; an
 * entry is a folder of its own, also two in one second; a folder that
 * cannot be made is said by name; the site's command gets the entry. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-elog.h"
#include "test-chain.h"
#include "test-util.h"

static void
test_text (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  DqmAlarmLogEntry e = { .time_us = state->made_us, .from = DQM_ALARM_OK, .to = DQM_ALARM_ALARM };
  guint64 sum = 0;
  g_autofree char *text = NULL, *eot = NULL, *run = NULL;

  g_strlcpy (e.id, "veto-efficiency-1", sizeof e.id);
  g_strlcpy (e.text, "VETO 1 efficiency 0.71 below 0.90", sizeof e.text);
  g_array_append_val (state->alarm_log, e);
  for (guint i = 0; i < state->spills->len; i++)
    sum += ((const DqmSpillSummary *) state->spills->pdata[i])->beam_counts;
  g_assert_cmpuint (sum, >, 0);
  text = dqm_elog_text (state, "alice", "VETO 1 HV tripped, reset");
  run = g_strdup_printf ("run: %u", state->run.run);
  eot = g_strdup_printf ("particles on target (EOT) in the run: %" G_GUINT64_FORMAT "\n", sum);
  g_assert_nonnull (strstr (text, run));
  g_assert_nonnull (strstr (text, eot));
  g_assert_nonnull (strstr (text, "by: alice\n"));
  g_assert_nonnull (strstr (text, "comment: VETO 1 HV tripped, reset\n"));
  g_assert_nonnull (strstr (text, "OK → ALARM VETO 1 efficiency 0.71 below 0.90"));
  g_assert_nonnull (strstr (text, "beam: e-, 100 GeV"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

static gboolean
wait_for_file (const char *path, double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (20000);
    }
  return TRUE;
}

static void
test_entries_and_command (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-elog-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (dir, "elog", NULL);
  g_autofree char *first = NULL, *second = NULL, *text = NULL, *posted = NULL, *said = NULL, *blocker = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;

  first = dqm_elog_begin (folder, state, "bob", "first", &error);
  g_assert_no_error (error);
  second = dqm_elog_begin (folder, state, "bob", "second", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second); /* two folders */
  /* … also in the same second: the second with its own suffix. */
  g_assert_true (g_str_has_suffix (second, "-1") || !g_str_has_prefix (second, first));
  text = g_build_filename (second, "entry.txt", NULL);
  g_assert_true (g_file_get_contents (text, &said, NULL, NULL));
  g_assert_nonnull (strstr (said, "comment: second"));
  /* The command gets the entry's folder as its last argument. */
  command = g_strdup ("sh -c 'echo \"$1\" > \"$1/posted\"' sh");
  g_assert_true (dqm_elog_check_command (command, NULL, &error));
  dqm_elog_finish_later (second, NULL, NULL, NULL, command);
  g_assert_true (dqm_elog_wait (30));
  posted = g_build_filename (second, "posted", NULL);
  g_assert_true (wait_for_file (posted, 1));
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (posted, &contents, NULL, NULL));
    g_assert_cmpstr (g_strstrip (contents), ==, second);
  }
  /* A command that does not split is found before any entry needs it. */
  g_assert_false (dqm_elog_check_command ("sh -c 'unbalanced", NULL, &error));
  g_assert_error (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING);
  g_clear_error (&error);
  /* A folder that cannot be made: said with its name. */
  blocker = g_build_filename (dir, "a-file", NULL);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  {
    g_autofree char *under = g_build_filename (blocker, "elog", NULL);

    g_assert_null (dqm_elog_begin (under, state, "bob", "", &error));
    g_assert_nonnull (strstr (error->message, under));
  }
  test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/elog/text", test_text);
  g_test_add_func ("/elog/entries-and-command", test_entries_and_command);
  return g_test_run ();
}
