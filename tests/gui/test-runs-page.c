/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Runs page on a registry of three runs under Xvfb: the table shows
 * them, filters by text and by beam, sorts by a column; the EOT plot draws
 * each beam's curve in its colour and the target line; a run flagged from
 * the page is flagged in the file, with its comment; a registry that
 * cannot be read is said and leaves the table as it was. */
#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "dqm-file.h"
#include "dqm-link.h"
#include "dqm-registry-store.h"
#include "dqm-run-row.h"
#include "dqm-runs-page.h"
#include "test-render.h"
#include "test-util.h"

#define W 1400
#define H 900

typedef struct {
  char        *dir, *path;
  DqmConfig   *config;
  DqmSetup    *setup;
  DqmPipeline *pipeline;   /* never started: the local link's owner */
  DqmLink     *link;
  DqmRegistry *registry;
  GtkWidget   *page;
} Fixture;

static void
write_run (const char *path, guint32 run, const char *beam, double hours_ago, guint64 beam_counts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = dqm_registry_store_open (path, TRUE, DQM_REGISTRY_SCHEMA, &error);
  gint64 start = g_get_real_time () - (gint64) (hours_ago * 3600 * G_USEC_PER_SEC);
  DqmRegistryRun r = { .run = run, .beam_energy_gev = 100, .events = 1000 + run };
  DqmRegistrySpill s = { .run = run, .spill = 1, .complete = TRUE, .events = 1000 + run, .beam_counts = beam_counts,
                         .purity = 0.99, .hadron_share = 0.01, .trigger_rate_hz = 100 };

  g_assert_no_error (error);
  g_strlcpy (r.beam, beam, sizeof r.beam);
  g_strlcpy (r.quality, run == 2 ? "bad" : "good", sizeof r.quality);
  dqm_registry_time (start, FALSE, r.start_time);
  dqm_registry_time (start + 60 * G_USEC_PER_SEC, FALSE, r.end_time);
  dqm_registry_time (start, FALSE, s.time);
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    s.veto_efficiency[c] = s.veto_noise[c] = NAN;
  g_assert_true (dqm_registry_store_write (db, &r, &s, 1, NULL, 0, &error));
}

static void
reloaded (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
reload (Fixture *f)
{
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  dqm_runs_page_reload (DQM_RUNS_PAGE (f->page), G_CALLBACK (reloaded), &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done);
}

static GtkWidget *
find_type (GtkWidget *widget, GType type, guint skip)
{
  guint seen = 0;
  GPtrArray *queue = g_ptr_array_new ();
  GtkWidget *found = NULL;

  g_ptr_array_add (queue, widget);
  for (guint i = 0; i < queue->len && !found; i++)
    {
      GtkWidget *w = queue->pdata[i];

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && seen++ == skip)
        found = w;
      for (GtkWidget *child = gtk_widget_get_first_child (w); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (queue, child);
    }
  g_ptr_array_unref (queue);
  return found;
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  for (guint i = 0;; i++)
    {
      GtkWidget *button = find_type (widget, GTK_TYPE_BUTTON, i);

      if (button == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) == 0)
        return button;
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recording = NULL;
  DqmFileWriter *writer;

  f->dir = g_dir_make_tmp ("na64dqm-runs-page-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "registry.sqlite", NULL);
  write_run (f->path, 1, "e-", 10, 9000000);
  write_run (f->path, 2, "mu-", 6, 5000000);
  write_run (f->path, 3, "e-", 2, 12000000);
  f->config = dqm_config_new_default ();
  f->setup = dqm_setup_load (f->config, NULL, &error);
  g_assert_no_error (error);
  f->setup->dqm.eot_target = 3e7; /* within reach of the 2.6·10⁷ taken: drawn */
  recording = g_build_filename (f->dir, "empty.n64", NULL);
  writer = dqm_file_writer_new (recording, &error);
  g_assert_no_error (error);
  g_assert_true (dqm_file_writer_close (writer, NULL));
  f->pipeline = dqm_pipeline_new (dqm_source_new_file (recording, NULL), f->config, NULL, &error);
  g_assert_no_error (error);
  f->link = dqm_link_new_local (f->pipeline);
  f->registry = dqm_registry_new (f->path);
  dqm_link_set_registry (f->link, f->registry);
  f->page = g_object_ref_sink (dqm_runs_page_new ());
  dqm_runs_page_set_source (DQM_RUNS_PAGE (f->page), f->path, f->link, f->setup);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->page);
  dqm_link_free (f->link);
  dqm_registry_free (f->registry, 5);
  dqm_pipeline_free (f->pipeline);
  dqm_setup_free (f->setup);
  dqm_config_unref (f->config);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_table (Fixture *f, gconstpointer data)
{
  GtkSearchEntry *filter = GTK_SEARCH_ENTRY (find_type (f->page, GTK_TYPE_SEARCH_ENTRY, 0));
  GtkDropDown *beams = GTK_DROP_DOWN (find_type (f->page, GTK_TYPE_DROP_DOWN, 0));
  GtkColumnView *table = GTK_COLUMN_VIEW (find_type (f->page, GTK_TYPE_COLUMN_VIEW, 0));
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (table));
  GListModel *columns = gtk_column_view_get_columns (table);
  g_autoptr(GtkColumnViewColumn) eot = NULL;
  g_autoptr(GObject) first = NULL;

  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 0);
  reload (f);
  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 3);
  /* Text: the muon run by its beam; "bad" by its verdict. */
  gtk_editable_set_text (GTK_EDITABLE (filter), "mu-");
  g_signal_emit_by_name (filter, "search-changed");
  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (filter), "BAD");
  g_signal_emit_by_name (filter, "search-changed");
  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (filter), "");
  g_signal_emit_by_name (filter, "search-changed");
  /* Beam: the electron runs. */
  gtk_drop_down_set_selected (beams, 1);
  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 2);
  gtk_drop_down_set_selected (beams, 0);
  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 3);
  /* Sorted by EOT, fewest first: the muon run's 5·10⁶. */
  for (guint i = 0; i < g_list_model_get_n_items (columns) && eot == NULL; i++)
    {
      GtkColumnViewColumn *column = g_list_model_get_item (columns, i);

      if (g_str_equal (gtk_column_view_column_get_title (column), "EOT"))
        eot = g_object_ref (column);
      g_object_unref (column);
    }
  g_assert_nonnull (eot);
  gtk_column_view_sort_by_column (table, eot, GTK_SORT_ASCENDING);
  first = g_list_model_get_item (rows, 0);
  g_assert_cmpuint (dqm_run_row_get ((DqmRunRow *) first)->run, ==, 2);
  g_clear_object (&first);
  gtk_column_view_sort_by_column (table, eot, GTK_SORT_DESCENDING);
  first = g_list_model_get_item (rows, 0);
  g_assert_cmpuint (dqm_run_row_get ((DqmRunRow *) first)->run, ==, 3);
}

/* Whether a pixel of the EOT plot (the left chart, below the table) has
 * the colour @rgb. */
static gboolean
in_eot_plot (const Picture *p, const double rgb[3])
{
  for (int y = p->height / 2; y < p->height; y++)
    for (int x = 0; x < p->width / 2; x++)
      {
        double r, g, b;

        test_pixel (p, x, y, &r, &g, &b);
        if (fabs (r - rgb[0]) < 0.06 && fabs (g - rgb[1]) < 0.06 && fabs (b - rgb[2]) < 0.06)
          return TRUE;
      }
  return FALSE;
}

static void
test_eot_plot (Fixture *f, gconstpointer data)
{
  static const double electrons[3] = { 0.12, 0.40, 0.75 }, muons[3] = { 0.18, 0.55, 0.20 },
                      target[3] = { 0.78, 0.16, 0.16 };
  Picture p;

  reload (f);
  p = test_render (f->page, W, H);
  g_assert_true (in_eot_plot (&p, electrons));
  g_assert_true (in_eot_plot (&p, muons));
  g_assert_true (in_eot_plot (&p, target));
  g_free (p.pixels);
  /* A target far beyond what was taken is said in words, not drawn. */
  f->setup->dqm.eot_target = 5e11;
  reload (f);
  p = test_render (f->page, W, H);
  g_assert_false (in_eot_plot (&p, target));
  g_assert_true (in_eot_plot (&p, electrons));
  g_free (p.pixels);
}

static void
test_flag (Fixture *f, gconstpointer data)
{
  GtkColumnView *table = GTK_COLUMN_VIEW (find_type (f->page, GTK_TYPE_COLUMN_VIEW, 0));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (table));
  GtkWidget *good = find_button (f->page, "Flag good");
  GtkEntry *comment = GTK_ENTRY (find_type (f->page, GTK_TYPE_ENTRY, 0));
  g_autoptr(GArray) runs = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(GError) error = NULL;

  reload (f);
  g_assert_nonnull (good);
  g_assert_false (gtk_widget_get_sensitive (good)); /* nothing selected */
  gtk_single_selection_set_selected (selection, 1); /* newest first: run 2 */
  g_assert_true (gtk_widget_get_sensitive (good));
  gtk_editable_set_text (GTK_EDITABLE (comment), "muons, as planned");
  g_signal_emit_by_name (good, "clicked");
  g_assert_true (dqm_registry_flush (f->registry, 10));
  db = dqm_registry_store_open (f->path, FALSE, 0, &error);
  runs = dqm_registry_store_runs (db, NULL, "mu-", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (g_array_index (runs, DqmRegistryRun, 0).shifter_flag, ==, "good");
  g_assert_cmpstr (g_array_index (runs, DqmRegistryRun, 0).comment, ==, "muons, as planned");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (comment)), ==, ""); /* taken */
}

static void
test_unreadable_registry (Fixture *f, gconstpointer data)
{
  g_autofree char *broken = g_build_filename (f->dir, "broken.sqlite", NULL);
  GtkLabel *said;

  reload (f);
  g_assert_true (g_file_set_contents (broken, "this is no database at all, not even close to one", -1, NULL));
  dqm_runs_page_set_source (DQM_RUNS_PAGE (f->page), broken, f->link, f->setup);
  reload (f);
  /* What it showed stays; the label says why nothing new came. */
  g_assert_cmpuint (dqm_runs_page_count_shown (DQM_RUNS_PAGE (f->page)), ==, 3);
  said = GTK_LABEL (find_type (f->page, GTK_TYPE_LABEL, 0));
  for (guint i = 1; said && !gtk_widget_has_css_class (GTK_WIDGET (said), "runs-refused"); i++)
    said = GTK_LABEL (find_type (f->page, GTK_TYPE_LABEL, i));
  g_assert_nonnull (said);
  g_assert_nonnull (strstr (gtk_label_get_text (said), "could not be read"));
  g_assert_nonnull (strstr (gtk_label_get_text (said), "broken.sqlite"));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
#define ADD(path, test) g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down)
  ADD ("/runs-page/table", test_table);
  ADD ("/runs-page/eot-plot", test_eot_plot);
  ADD ("/runs-page/flag", test_flag);
  ADD ("/runs-page/unreadable-registry", test_unreadable_registry);
  return g_test_run ();
}
