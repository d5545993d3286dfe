/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The past runs of /runs/: exactly the snapshots the monitor wrote are
 * listed, newest first, with their figures; their histograms are found by
 * item; anything else in the directory (a decoy, a link, a snapshot still
 * being written, a broken summary) is never read or is said to be broken. */
#define _DEFAULT_SOURCE /* symlink */
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dqm-snapshot.h"
#include "dqm-web-items.h"
#include "dqm-web-runs.h"
#include "test-chain.h"
#include "test-util.h"

typedef struct {
  char     *dir, *elsewhere, *link;
  DqmState *state;
} Fixture;

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *evil = NULL, *partial = NULL, *broken = NULL;

  f->dir = g_dir_make_tmp ("na64dqm-runs-XXXXXX", NULL);
  f->state = test_short_run_state ();
  /* Three snapshots of run 42: the run's, a second one, a spill's. */
  g_free (dqm_snapshot_write (f->state, f->dir, NULL, NULL, &error));
  g_free (dqm_snapshot_write (f->state, f->dir, NULL, NULL, &error));
  g_free (dqm_snapshot_write (f->state, f->dir, "spill-0001", NULL, &error));
  g_assert_no_error (error);
  /* Decoys: a name that is no run's (with a summary), one still being
   * written, a link to a snapshot elsewhere, a plain file, a broken summary. */
  evil = g_build_filename (f->dir, "run-evil", NULL);
  g_assert_cmpint (g_mkdir (evil, 0755), ==, 0);
  write_file (evil, "summary.json", "{}");
  partial = g_build_filename (f->dir, ".run-000043.partial-abcdef", NULL);
  g_assert_cmpint (g_mkdir (partial, 0755), ==, 0);
  write_file (partial, "summary.json", "{}");
  f->elsewhere = g_dir_make_tmp ("na64dqm-elsewhere-XXXXXX", NULL);
  write_file (f->elsewhere, "summary.json", "{}");
  f->link = g_build_filename (f->dir, "run-000044", NULL);
  g_assert_cmpint (symlink (f->elsewhere, f->link), ==, 0);
  write_file (f->dir, "run-000045", "{}");
  /* A snapshot whose histograms.json is a link to a file elsewhere. */
  {
    g_autofree char *linked = g_build_filename (f->dir, "run-000047", NULL);
    g_autofree char *target = g_build_filename (f->elsewhere, "summary.json", NULL);
    g_autofree char *link = g_build_filename (linked, "histograms.json", NULL);

    g_assert_cmpint (g_mkdir (linked, 0755), ==, 0);
    write_file (linked, "summary.json", "{\"run\": 47}");
    g_assert_cmpint (symlink (target, link), ==, 0);
  }
  broken = g_build_filename (f->dir, "run-000041", NULL);
  g_assert_cmpint (g_mkdir (broken, 0755), ==, 0);
  write_file (broken, "summary.json", "{\"run\": 41, trunc");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_unlink (f->link);
  test_remove_tree (f->dir);
  test_remove_tree (f->elsewhere);
  dqm_state_unref (f->state);
  g_free (f->dir);
  g_free (f->elsewhere);
  g_free (f->link);
}

static void
test_lists_the_snapshots_newest_first (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmWebRuns) runs = dqm_web_runs_new (f->dir);
  g_autofree char *text = dqm_web_runs_summary_json (runs);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *const expected[] = { "run-000047", "run-000042-spill-0001", "run-000042-2", "run-000042",
                                   "run-000041" };
  gint64 beam_counts = 0;
  JsonArray *lines;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  lines = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (lines), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < f->state->spills->len; i++)
    beam_counts += ((const DqmSpillSummary *) f->state->spills->pdata[i])->beam_counts;
  g_assert_cmpint (beam_counts, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      g_assert_cmpstr (json_object_get_string_member (line, "name"), ==, expected[i]);
      if (g_str_equal (expected[i], "run-000047"))
        continue;
      if (g_str_equal (expected[i], "run-000041"))
        {
          g_assert_nonnull (strstr (json_object_get_string_member (line, "error"), "run-000041"));
          continue;
        }
      g_assert_cmpint (json_object_get_int_member (line, "run"), ==, 42);
      g_assert_cmpint (json_object_get_int_member (line, "events"), ==, f->state->run.events);
      g_assert_cmpint (json_object_get_int_member (line, "n_spills"), ==, f->state->spills->len);
      g_assert_cmpint (json_object_get_int_member (line, "beam_counts"), ==, beam_counts);
      g_assert_cmpstr (json_object_get_string_member (line, "beam"), ==, "e-");
      g_assert_cmpstr (json_object_get_string_member (line, "worst_alarm"), ==, "OK");
    }
  for (const char *const *name = (const char *const[]) { "run-evil", ".run-000043.partial-abcdef", "run-000044",
                                                         "run-000045", "run-000046", "", "..", NULL };
       *name; name++)
    g_assert_false (dqm_web_runs_has (runs, *name));
}

static void
test_serves_a_snapshots_histograms_and_files (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmWebRuns) runs = dqm_web_runs_new (f->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) histograms = dqm_web_runs_histograms (runs, "run-000042-2", &error);
  g_autoptr(GBytes) summary = NULL;
  const DqmHistogram *h;

  g_assert_no_error (error);
  g_assert_cmpuint (histograms->len, ==, f->state->histograms->len);
  h = dqm_web_find_item (histograms, "ECAL/ecal_energy");
  g_assert_nonnull (h);
  g_assert_cmpfloat (h->entries, ==, dqm_state_find_histogram (f->state, "ecal_energy")->entries);
  summary = dqm_web_runs_file (runs, "run-000042", "summary.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (summary, NULL), g_bytes_get_size (summary), "\"run\" : 42"));
  /* Only the two files, of a listed snapshot. */
  for (const char *const *file = (const char *const[]) { "plots", "../run-000042/summary.json", "", NULL }; *file; file++)
    {
      g_assert_null (dqm_web_runs_file (runs, "run-000042", *file, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      g_clear_error (&error);
    }
  g_assert_null (dqm_web_runs_file (runs, "run-000044", "summary.json", &error));
  g_clear_error (&error);
  /* A link inside a listed snapshot is not followed, and the error says no path. */
  g_assert_null (dqm_web_runs_file (runs, "run-000047", "histograms.json", &error));
  g_assert_nonnull (strstr (error->message, "run-000047/histograms.json cannot be read"));
  g_assert_null (strstr (error->message, f->dir));
  g_clear_error (&error);
  g_assert_null (dqm_web_runs_histograms (runs, "run-000047", &error));
  g_clear_error (&error);
  g_assert_null (dqm_web_runs_histograms (runs, "run-evil", &error));
  g_clear_error (&error);
  /* The broken one says what is wrong, and naming the file. */
  g_assert_null (dqm_web_runs_histograms (runs, "run-000041", &error));
  g_assert_nonnull (strstr (error->message, "histograms.json"));
}

static void
test_no_directory_no_runs (void)
{
  g_autoptr(DqmWebRuns) none = dqm_web_runs_new (NULL);
  g_autoptr(DqmWebRuns) missing = dqm_web_runs_new ("/nonexistent/na64dqm-snapshots");
  g_autofree char *a = dqm_web_runs_summary_json (none), *b = dqm_web_runs_summary_json (missing);

  g_assert_cmpstr (a, ==, "[]");
  g_assert_cmpstr (b, ==, "[]");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/web/runs/lists-the-snapshots-newest-first", Fixture, NULL, fixture_set_up,
              test_lists_the_snapshots_newest_first, fixture_tear_down);
  g_test_add ("/web/runs/serves-a-snapshots-histograms-and-files", Fixture, NULL, fixture_set_up,
              test_serves_a_snapshots_histograms_and_files, fixture_tear_down);
  g_test_add_func ("/web/runs/no-directory-no-runs", test_no_directory_no_runs);
  return g_test_run ();
}
