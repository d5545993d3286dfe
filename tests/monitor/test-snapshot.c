/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Snapshots: files in place, never overwritten,
 * nothing half-written left behind when the disk is full. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dqm-analysis.h"
#include "dqm-plot-na64.h"
#include "dqm-root-json.h"
#include "dqm-sim-run.h"
#include "dqm-snapshot.h"
#include "test-chain.h"

static const DqmSnapshotWriter drawn = { dqm_plot_render_snapshot, NULL, NULL };

/* A disk that fills after @room files: ENOSPC from then on. */
typedef struct {
  guint room;
  guint written;
  char  refused[256];
} FillingDisk;

static gboolean
write_to_filling_disk (const char *path, const char *data, gsize length, gpointer user_data, GError **error)
{
  FillingDisk *disk = user_data;

  if (disk->written >= disk->room)
    {
      g_strlcpy (disk->refused, path, sizeof disk->refused);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "%s: cannot write: %s", path, g_strerror (ENOSPC));
      return FALSE;
    }
  disk->written++;
  return dqm_snapshot_write_file (path, data, length, NULL, error);
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("na64dqm-snapshot-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static void
test_write (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *dir = temp_dir ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = dqm_snapshot_write (state, dir, NULL, &drawn, &error);
  g_autofree char *again = NULL;
  g_autofree char *summary_path = NULL, *histograms_path = NULL, *summary = NULL, *before = NULL, *after = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  gsize before_size, after_size;

  g_autofree char *expected = g_build_filename (dir, "run-000042", NULL);
  g_autofree char *expected_again = g_build_filename (dir, "run-000042-2", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected);
  summary_path = g_build_filename (path, "summary.json", NULL);
  histograms_path = g_build_filename (path, "histograms.json", NULL);
  g_assert_true (g_file_test (histograms_path, G_FILE_TEST_IS_REGULAR));
  for (const char *const *name = (const char *[]) { "ecal_vs_hcal", "cut_flow", "ecal_main_mean", "spill_purity", NULL };
       *name; name++)
    {
      g_autofree char *png = g_strdup_printf ("%s/plots/%s.png", path, *name);
      g_autofree char *svg = g_strdup_printf ("%s/plots/%s.svg", path, *name);

      g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_true (json_parser_load_from_file (parser, summary_path, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "run"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (root, "n_spills"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (root, "beam"), ==, "e-");
  g_assert_true (json_object_get_boolean_member (root, "ended_by_eor"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "spills")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "alarms")), ==, state->n_alarms);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "counters"), "bad"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "events"), ==, state->events_processed);

  /* A second snapshot of the same run goes beside the first. */
  g_assert_true (g_file_get_contents (summary_path, &before, &before_size, NULL));
  again = dqm_snapshot_write (state, dir, NULL, &drawn, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, expected_again);
  g_assert_true (g_file_get_contents (summary_path, &after, &after_size, NULL));
  g_assert_cmpmem (before, before_size, after, after_size);
  g_assert_cmpuint (count_entries (dir), ==, 2); /* no partial directory left */
}

/* The disk fills in the middle of a snapshot (after histograms.json, the
 * summary and a few pictures): nothing half-written is left, the error
 * names the file refused, and the state still holds everything. */
static void
test_full_disk (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *dir = temp_dir ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  FillingDisk disk = { .room = 6 };
  DqmSnapshotWriter filling = { dqm_plot_render_snapshot, write_to_filling_disk, &disk };

  path = dqm_snapshot_write (state, dir, NULL, &filling, &error);
  g_assert_null (path);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_cmpuint (disk.written, ==, 6);
  g_assert_nonnull (strstr (disk.refused, "/plots/"));
  g_assert_nonnull (strstr (error->message, disk.refused));
  g_assert_cmpuint (count_entries (dir), ==, 0);
  /* The state still holds everything: the next try succeeds. */
  g_clear_error (&error);
  path = dqm_snapshot_write (state, dir, "spill-0002", &drawn, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, "run-000042-spill-0002"));
}

/* An empty directory of the snapshot's name is not replaced. */
static void
test_never_replaced (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *dir = temp_dir ();
  g_autofree char *empty = g_build_filename (dir, "run-000042", NULL);
  g_autofree char *first = NULL, *second = NULL;

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  first = dqm_snapshot_write (state, dir, NULL, NULL, NULL);
  g_assert_true (g_str_has_suffix (first, "run-000042-2"));
  g_assert_true (g_file_test (empty, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_entries (empty), ==, 0);
  second = dqm_snapshot_write (state, dir, NULL, NULL, NULL);
  g_assert_true (g_str_has_suffix (second, "run-000042-3"));
}

/* Writers racing for one name all land, each under a name of its own. */
typedef struct {
  DqmState   *state;
  const char *dir;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *racer = data;

  return dqm_snapshot_write (racer->state, racer->dir, NULL, NULL, NULL);
}

static void
test_racing_writers (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *dir = temp_dir ();
  Racer racer = { state, dir };
  GThread *threads[4];
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint round = 0; round < 5; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("racer", race, &racer);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          char *path = g_thread_join (threads[i]);

          g_assert_nonnull (path);
          g_assert_false (g_hash_table_contains (names, path));
          g_hash_table_add (names, path);
        }
    }
  g_assert_cmpuint (count_entries (dir), ==, 20);
}

static void
test_unwritable_dir (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *dir = temp_dir ();
  g_autofree char *file = g_build_filename (dir, "not-a-dir", NULL);
  g_autofree char *below = g_build_filename (file, "snapshots", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_null (dqm_snapshot_write (state, below, NULL, &drawn, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, below));
}

/* The cut flow by spill: one row per spill, the share surviving each step,
 * the current spill last, at most the rows asked for. */
static void
test_cut_flow_by_spill (void)
{
  g_autoptr(GPtrArray) spills = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DqmHistogram) h = NULL;
  g_autoptr(DqmHistogram) empty = NULL;
  DqmSpillSummary current = { .spill = 11, .physics_events = 50 };

  for (guint i = 1; i <= 10; i++)
    {
      DqmSpillSummary *s = g_new0 (DqmSpillSummary, 1);

      s->spill = i;
      for (guint c = 0; c < DQM_N_CUTS; c++)
        s->cut_flow[c] = 1000 >> c; /* each step halves */
      g_ptr_array_add (spills, s);
    }
  current.cut_flow[0] = 50;
  current.cut_flow[1] = 5;
  empty = dqm_spill_cut_flow_history (g_ptr_array_new (), NULL, 8);
  g_assert_null (empty);
  h = dqm_spill_cut_flow_history (spills, &current, 8);
  g_assert_cmpuint (h->nx, ==, DQM_N_CUTS);
  g_assert_cmpuint (h->ny, ==, 8);
  g_assert_cmpstr (h->x_labels[DQM_CUT_VETO], ==, dqm_cut_name (DQM_CUT_VETO));
  /* rows: spills 4–10, then 11 */
  g_assert_cmpfloat (dqm_histogram_bin_center_y (h, 1), ==, 4);
  g_assert_cmpfloat (dqm_histogram_bin_center_y (h, 8), ==, 11);
  g_assert_cmpfloat (dqm_histogram_get (h, 1, 1), ==, 1);
  g_assert_cmpfloat (dqm_histogram_get (h, 4, 3), ==, 125.0 / 1000);
  g_assert_cmpfloat (dqm_histogram_get (h, 2, 8), ==, 0.1);
  g_assert_cmpfloat (dqm_histogram_get (h, 3, 8), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/snapshot/write", test_write);
  g_test_add_func ("/snapshot/cut-flow-by-spill", test_cut_flow_by_spill);
  g_test_add_func ("/snapshot/full-disk", test_full_disk);
  g_test_add_func ("/snapshot/never-replaced", test_never_replaced);
  g_test_add_func ("/snapshot/racing-writers", test_racing_writers);
  g_test_add_func ("/snapshot/unwritable-dir", test_unwritable_dir);
  return g_test_run ();
}
