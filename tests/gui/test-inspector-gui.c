/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The event inspector and the whole-view export under Xvfb: a recording is
 * browsed, stepped and searched; live events are followed and frozen by a
 * pause; a candidate from the list is opened; a view exports as PNG, SVG
 * and PDF with its pixels. */
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "dqm-analysis.h"
#include "dqm-event-list.h"
#include "dqm-file.h"
#include "dqm-inspector.h"
#include "dqm-plot-view.h"
#include "dqm-preferences.h"
#include "dqm-sim-run.h"
#include "dqm-widget-export.h"

typedef struct {
  char      *dir, *path;
  DqmConfig *config;
  GtkWidget *window;
  DqmInspector *inspector;
  DqmState  *state;     /* the recording analysed, for its candidates */
} Fixture;

static void
iterate_until (gboolean (*done) (Fixture *), Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (f))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
is_shown (Fixture *f)
{
  return gtk_widget_get_mapped (GTK_WIDGET (f->inspector)) && gtk_widget_get_width (GTK_WIDGET (f->inspector)) > 0;
}

/* A 1-spill recording with plenty of hadrons and candidates, analysed. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmSimRun) sim = NULL;
  g_autoptr(DqmAnalysis) analysis = NULL;
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmStreamCounter tracker;
  DqmFileWriter *writer;
  DqmSimMessage m;
  gint64 now = 0;

  f->dir = g_dir_make_tmp ("na64dqm-inspector-gui-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "run.n64", NULL);
  f->config = dqm_config_new_default ();
  g_assert_true (dqm_config_set (f->config, "spill", "length_s", "0.2", NULL));
  g_assert_true (dqm_config_set (f->config, "beam-e-", "hadron_fraction", "0.05", NULL));
  g_assert_true (dqm_config_set (f->config, "beam-e-", "signal_fraction", "0.02", NULL));
  setup = dqm_setup_load (f->config, NULL, NULL);
  analysis = dqm_analysis_new (f->config, NULL);
  dqm_stream_counter_init (&tracker, 5);
  sim = dqm_sim_run_new (setup, NULL, 8, 1, 3, 1790000000000000000ull);
  writer = dqm_file_writer_new (f->path, NULL);
  while (dqm_sim_run_next (sim, &m))
    {
      DqmMessage message;
      DqmRunChanges flags;

      g_assert_true (dqm_file_writer_write (writer, m.body->data, m.body->len, NULL));
      g_assert_true (dqm_stream_decode (m.body->data, m.body->len, &message, storage, NULL));
      if (dqm_stream_counter_accept (&tracker, &message, m.body->len, now += 100, &flags, NULL))
        dqm_analysis_message (analysis, &message, flags, &tracker, now);
    }
  g_assert_true (dqm_file_writer_close (writer, NULL));
  f->state = dqm_analysis_make_state (analysis);

  f->window = gtk_window_new ();
  f->inspector = g_object_new (DQM_TYPE_INSPECTOR, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1500, 900);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->inspector));
  gtk_window_present (GTK_WINDOW (f->window));
  iterate_until (is_shown, f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  dqm_state_unref (f->state);
  dqm_config_unref (f->config);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static const char *
where (Fixture *f)
{
  return dqm_inspector_describe (f->inspector);
}

static gboolean
search_over (Fixture *f)
{
  return !dqm_inspector_is_searching (f->inspector);
}

static void
open_and_wait (Fixture *f)
{
  dqm_inspector_open_file (f->inspector, f->path);
  iterate_until (search_over, f);
  g_assert_cmpstr (dqm_inspector_get_message (f->inspector), ==, "");
}

static void
activate (Fixture *f, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->inspector), action, NULL));
}

static void
test_browse_recording (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmEventList) list = dqm_event_list_new_file (f->path, NULL);
  guint n = dqm_event_list_length (list);
  g_autofree char *first = g_strdup_printf ("run.n64: event 1 of %u ·", n);
  g_autofree char *second = g_strdup_printf ("run.n64: event 2 of %u ·", n);
  g_autofree char *last = g_strdup_printf ("run.n64: event %u of %u ·", n, n);
  g_autofree char *before = NULL;

  dqm_inspector_set_source (f->inspector, NULL, f->config);
  dqm_inspector_open_file (f->inspector, "/nonexistent.n64");
  g_assert_true (dqm_inspector_is_searching (f->inspector)); /* read in a thread */
  iterate_until (search_over, f);
  g_assert_nonnull (strstr (dqm_inspector_get_message (f->inspector), "nonexistent.n64"));
  open_and_wait (f);
  g_assert_true (g_str_has_prefix (where (f), first));
  activate (f, "inspector.next");
  g_assert_true (g_str_has_prefix (where (f), second));
  activate (f, "inspector.previous");
  activate (f, "inspector.previous"); /* stays on the first */
  g_assert_true (g_str_has_prefix (where (f), first));
  activate (f, "inspector.last");
  g_assert_true (g_str_has_prefix (where (f), last));
  activate (f, "inspector.first");

  /* The dropdown's second entry is "Hadron". */
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (f->inspector))); w;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_DROP_DOWN (w))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (w), DQM_EVENT_MATCH_HADRON);
  activate (f, "inspector.find-next");
  iterate_until (search_over, f);
  g_assert_nonnull (strstr (where (f), "· hadron"));
  before = g_strdup (where (f));
  activate (f, "inspector.find-next");
  iterate_until (search_over, f);
  g_assert_nonnull (strstr (where (f), "· hadron"));
  g_assert_cmpstr (where (f), !=, before);
  activate (f, "inspector.find-previous");
  iterate_until (search_over, f);
  g_assert_cmpstr (where (f), ==, before);
}

/* From a cell of a map to its events: the newest shown, the newest 500
 * listed newest first; a histogram no event fills said by name. */
static void
test_drill_down (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmEventList) list = dqm_event_list_new_file (f->path, NULL);
  g_autoptr(DqmSetup) setup = dqm_setup_load (f->config, NULL, NULL);
  g_autoptr(GArray) expected = NULL;
  g_autofree char *newest = NULL, *second = NULL;
  GtkDropDown *drilled = NULL;
  DqmDrillRegion region;

  dqm_inspector_set_source (f->inspector, NULL, f->config);
  open_and_wait (f);
  dqm_drill_region_bin (&region, "ecal_main_mean", 4, 4);
  expected = dqm_drill_down (list, setup, &region, 0, NULL, NULL);
  newest = g_strdup_printf ("run.n64: event %u of %u ·", g_array_index (expected, guint, 0) + 1,
                            dqm_event_list_length (list));
  second = g_strdup_printf ("run.n64: event %u of %u ·", g_array_index (expected, guint, 1) + 1,
                            dqm_event_list_length (list));
  dqm_inspector_drill_down (f->inspector, &region, "ECAL main: cell (3, 3)");
  iterate_until (search_over, f);
  g_assert_nonnull (strstr (dqm_inspector_get_message (f->inspector), "kept events that filled ECAL main: cell (3, 3)"));
  g_assert_true (g_str_has_prefix (where (f), newest));
  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (f->inspector))); w;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_DROP_DOWN (w) && gtk_widget_get_visible (w))
      drilled = GTK_DROP_DOWN (w);
  g_assert_nonnull (drilled);
  g_assert_cmpuint (expected->len, >, 500);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (drilled)), ==, 500); /* the newest 500 */
  gtk_drop_down_set_selected (drilled, 1);
  g_assert_true (g_str_has_prefix (where (f), second));
  dqm_drill_region_bin (&region, "spill_purity", 1, 0);
  dqm_inspector_drill_down (f->inspector, &region, "purity");
  iterate_until (search_over, f);
  g_assert_nonnull (strstr (dqm_inspector_get_message (f->inspector), "spill_purity is not filled event by event"));
}

static GtkListBox *
candidate_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return GTK_LIST_BOX (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkListBox *found = candidate_list (c);

      if (found)
        return found;
    }
  return NULL;
}

static void
test_open_candidate (Fixture *f, gconstpointer data)
{
  GtkListBox *box = candidate_list (GTK_WIDGET (f->inspector));
  const DqmCandidate *c;
  g_autofree char *id = NULL;

  g_assert_cmpuint (f->state->candidates->len, >=, 2);
  c = &g_array_index (f->state->candidates, DqmCandidate, 1);
  id = g_strdup_printf ("(id %" G_GUINT64_FORMAT ") ·", c->event_id);
  dqm_inspector_set_source (f->inspector, NULL, f->config);
  open_and_wait (f);
  dqm_inspector_set_state (f->inspector, f->state);
  g_assert_nonnull (gtk_list_box_get_row_at_index (box, (int) f->state->candidates->len - 1));
  g_assert_null (gtk_list_box_get_row_at_index (box, (int) f->state->candidates->len));
  g_signal_emit_by_name (box, "row-activated", gtk_list_box_get_row_at_index (box, 1));
  iterate_until (search_over, f);
  g_assert_nonnull (strstr (where (f), id));
  g_assert_true (g_str_has_suffix (where (f), "· candidate"));
}

/* A new run with more candidates than the last one replaces the list: it
 * is not noticed only when the list shrinks. */
static void
test_candidates_of_a_new_run (Fixture *f, gconstpointer data)
{
  GtkListBox *box = candidate_list (GTK_WIDGET (f->inspector));
  guint n = f->state->candidates->len;
  g_autoptr(GArray) first_run = g_array_copy (f->state->candidates);
  GtkWidget *label;

  g_assert_cmpuint (n, >=, 2);
  dqm_inspector_set_state (f->inspector, f->state);
  /* The next run: run 9, two candidates more. */
  for (guint i = 0; i < n + 2; i++)
    {
      DqmCandidate c = g_array_index (first_run, DqmCandidate, i % n);

      c.run = 9;
      c.event_id = 1000 + i;
      if (i < n)
        g_array_index (f->state->candidates, DqmCandidate, i) = c;
      else
        g_array_append_val (f->state->candidates, c);
    }
  dqm_inspector_set_state (f->inspector, f->state);
  g_assert_nonnull (gtk_list_box_get_row_at_index (box, (int) n + 1));
  g_assert_null (gtk_list_box_get_row_at_index (box, (int) n + 2));
  label = gtk_list_box_row_get_child (gtk_list_box_get_row_at_index (box, 0));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "run 9 · spill"));
}

static gboolean
shows_newest (Fixture *f)
{
  return strstr (where (f), "Live: the newest event ·") != NULL;
}

/* Live: the newest event is shown; Space (the pause action) freezes the
 * ring's copy on it; stepping back works; unpausing follows again. */
static void
test_live_and_pause (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmEventRing) ring = dqm_event_ring_new (50, 10);
  g_autoptr(DqmEventList) list = dqm_event_list_new_file (f->path, NULL);
  guint n = dqm_event_list_length (list);

  for (guint i = 0; i < n; i++)
    {
      gsize length;
      const guint8 *message = dqm_event_list_get (list, i, &length);

      dqm_event_ring_push (ring, message, length, FALSE);
    }
  dqm_inspector_set_source (f->inspector, ring, f->config);
  iterate_until (shows_newest, f);
  activate (f, "inspector.pause");
  g_assert_true (g_str_has_prefix (where (f), "Paused: event 50 of the 50 kept ·"));
  activate (f, "inspector.previous");
  g_assert_true (g_str_has_prefix (where (f), "Paused: event 49 of the 50 kept ·"));
  activate (f, "inspector.pause");
  iterate_until (shows_newest, f);
  /* stepping from live pauses first */
  activate (f, "inspector.previous");
  g_assert_true (g_str_has_prefix (where (f), "Paused: event 49 of the 50 kept ·"));
  dqm_inspector_set_source (f->inspector, NULL, f->config); /* the ring goes before the window */
}

/* The longest time between two calls of a 2 ms timeout: how long the main
 * loop was kept from drawing. */
typedef struct {
  gint64 last_us, longest_us;
} GapMeter;

static gboolean
measure_gap (gpointer data)
{
  GapMeter *meter = data;
  gint64 now = g_get_monotonic_time ();

  if (meter->last_us)
    meter->longest_us = MAX (meter->longest_us, now - meter->last_us);
  meter->last_us = now;
  return G_SOURCE_CONTINUE;
}

static void
iterate_for (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* What the analysis thread does meanwhile: push events at 5 kHz, noting
 * the longest push (the time it would have been kept from analysing). */
typedef struct {
  DqmEventRing *ring;
  GBytes       *message;
  gint          stop;
  gint64        longest_push_us;
  guint         pushed;
} Pusher;

static gpointer
push_events (gpointer data)
{
  Pusher *p = data;

  while (!g_atomic_int_get (&p->stop))
    {
      gsize length;
      const guint8 *message = g_bytes_get_data (p->message, &length);
      gint64 start = g_get_monotonic_time ();

      dqm_event_ring_push (p->ring, message, length, p->pushed % 500 == 0);
      p->longest_push_us = MAX (p->longest_push_us, g_get_monotonic_time () - start);
      p->pushed++;
      g_usleep (200);
    }
  return NULL;
}

/* Pausing with 100 000 events kept while events keep coming: the window
 * never waits on the data (main loop gaps under 50 ms) and the analysis is
 * never held up by the pause (no push takes 50 ms; copying the ring under
 * its lock took seconds). */
static void
test_pause_a_full_ring (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmEventList) list = dqm_event_list_new_file (f->path, NULL);
  g_autoptr(DqmEventRing) ring = dqm_event_ring_new (100000, 200);
  guint n = dqm_event_list_length (list);
  GapMeter meter = { 0, 0 };
  Pusher pusher = { ring, NULL, FALSE, 0, 0 };
  GThread *thread;
  guint timer;
  gsize length;
  const guint8 *message;

  for (guint i = 0; i < 100000; i++)
    {
      message = dqm_event_list_get (list, i % n, &length);
      dqm_event_ring_push (ring, message, length, FALSE);
    }
  message = dqm_event_list_get (list, n - 1, &length);
  pusher.message = g_bytes_new (message, length);
  dqm_inspector_set_source (f->inspector, ring, f->config);
  iterate_until (shows_newest, f);
  /* The page's first frame lays everything out once (fonts, glyphs): that
   * is not what is measured here. */
  iterate_for (0.5);
  thread = g_thread_new ("pusher", push_events, &pusher);
  timer = g_timeout_add (2, measure_gap, &meter);
  iterate_for (0.6); /* live: a new event shown, and drawn */
  activate (f, "inspector.pause");
  g_assert_true (g_str_has_prefix (where (f), "Paused: event 100000 of the 100000 kept ·"));
  iterate_for (0.3);
  for (guint i = 0; i < 5; i++)
    {
      activate (f, "inspector.previous");
      iterate_for (0.05);
    }
  g_assert_true (g_str_has_prefix (where (f), "Paused: event 99995 of the 100000 kept ·"));
  activate (f, "inspector.pause"); /* live again */
  iterate_for (0.3);
  activate (f, "inspector.pause"); /* and a second copy */
  iterate_for (0.3);
  g_source_remove (timer);
  g_atomic_int_set (&pusher.stop, TRUE);
  g_thread_join (thread);
  g_test_message ("longest main-loop gap %.1f ms, longest push %.2f ms, %u pushed meanwhile",
                  meter.longest_us / 1e3, pusher.longest_push_us / 1e3, pusher.pushed);
  g_assert_cmpint (meter.longest_us, <, 50000);
  g_assert_cmpint (pusher.longest_push_us, <, 50000);
  g_assert_cmpuint (pusher.pushed, >, 100);
  g_bytes_unref (pusher.message);
  dqm_inspector_set_source (f->inspector, NULL, f->config);
}

static void
test_export_view (Fixture *f, gconstpointer data)
{
  g_autofree char *png = g_build_filename (f->dir, "view.png", NULL);
  g_autofree char *svg = g_build_filename (f->dir, "view.svg", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "view.pdf", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "view.bmp", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  gsize length;
  int width, height;
  guint yellow = 0;

  dqm_inspector_set_source (f->inspector, NULL, f->config);
  open_and_wait (f);
  /* let the new event be laid out and drawn, as on screen */
  for (gint64 until = g_get_monotonic_time () + 500000; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  dqm_widget_export (f->window, png, &error);
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, gtk_widget_get_width (f->window));
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  /* the maps' hottest cells are viridis yellow (B, G, R, A in memory) */
  for (gsize i = 0; i < (gsize) width * height; i++)
    yellow += pixels[4 * i + 2] > 220 && pixels[4 * i + 1] > 200 && pixels[4 * i] < 80;
  if (g_getenv ("NA64DQM_TEST_PNG"))
    gdk_texture_save_to_png (texture, g_getenv ("NA64DQM_TEST_PNG"));
  g_assert_cmpuint (yellow, >, 200);

  g_assert_true (dqm_widget_export (f->window, svg, NULL));
  g_assert_true (g_file_get_contents (svg, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_cmpuint (length, >, 10000);
  g_clear_pointer (&contents, g_free);
  g_assert_true (dqm_widget_export (f->window, pdf, NULL));
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_assert_false (dqm_widget_export (f->window, bad, &error));
  g_assert_nonnull (strstr (error->message, ".png, .svg or .pdf"));
  g_remove (png);
  g_remove (svg);
  g_remove (pdf);
}

static char *
preferences_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "na64dqm", "preferences.ini", NULL);
}

/* Saved preferences come back; a broken file names its problem, and the
 * defaults stand in for what it got wrong. */
static void
test_preferences (void)
{
  g_autofree char *path = preferences_file ();
  g_autofree char *problem = NULL;
  DqmPreferences saved = { .kept_events = 2500, .sound = TRUE, .plot_refresh_ms = 400 }, loaded;

  dqm_preferences_load (&loaded, &problem);
  g_assert_null (problem);                 /* no file: defaults, no complaint */
  g_assert_cmpuint (loaded.kept_events, ==, 1000);
  g_assert_false (loaded.sound);
  g_assert_cmpuint (loaded.plot_refresh_ms, ==, DQM_PLOT_VIEW_DEFAULT_REFRESH_MS);
  g_assert_true (dqm_preferences_save (&saved, NULL));
  dqm_preferences_load (&loaded, &problem);
  g_assert_null (problem);
  g_assert_cmpuint (loaded.kept_events, ==, 2500);
  g_assert_true (loaded.sound);
  g_assert_cmpuint (loaded.plot_refresh_ms, ==, 400);

  g_assert_true (g_file_set_contents (path, "[display]\nplot-refresh-ms=5\n", -1, NULL));
  dqm_preferences_load (&loaded, &problem);
  g_assert_nonnull (strstr (problem, "plot-refresh-ms"));
  g_assert_cmpuint (loaded.plot_refresh_ms, ==, DQM_PLOT_VIEW_DEFAULT_REFRESH_MS);
  g_clear_pointer (&problem, g_free);

  g_assert_true (g_file_set_contents (path, "[display]\nkept-events=lots\nsound=true\n", -1, NULL));
  dqm_preferences_load (&loaded, &problem);
  g_assert_nonnull (strstr (problem, "preferences.ini"));
  g_assert_nonnull (strstr (problem, "kept-events"));
  g_assert_cmpuint (loaded.kept_events, ==, 1000);
  g_assert_true (loaded.sound);
  g_clear_pointer (&problem, g_free);
  g_assert_true (g_file_set_contents (path, "[display]\nkept-events=5\nsound=maybe\n", -1, NULL));
  dqm_preferences_load (&loaded, &problem);
  g_assert_nonnull (strstr (problem, "kept-events"));
  g_assert_nonnull (strstr (problem, "sound"));
  g_clear_pointer (&problem, g_free);
  g_assert_true (g_file_set_contents (path, "not a key file\x01", -1, NULL));
  dqm_preferences_load (&loaded, &problem);
  g_assert_nonnull (strstr (problem, "preferences.ini"));
  g_remove (path);
}

int
main (int argc, char **argv)
{
  g_autofree char *config_home = g_dir_make_tmp ("na64dqm-config-XXXXXX", NULL);

  /* before GLib reads it: the tests' preferences are their own */
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/preferences/load-save-broken", test_preferences);
  g_test_add ("/inspector-gui/browse-recording", Fixture, NULL, fixture_set_up, test_browse_recording,
              fixture_tear_down);
  g_test_add ("/inspector-gui/open-candidate", Fixture, NULL, fixture_set_up, test_open_candidate,
              fixture_tear_down);
  g_test_add ("/inspector-gui/live-and-pause", Fixture, NULL, fixture_set_up, test_live_and_pause,
              fixture_tear_down);
  g_test_add ("/inspector-gui/candidates-of-a-new-run", Fixture, NULL, fixture_set_up, test_candidates_of_a_new_run,
              fixture_tear_down);
  g_test_add ("/inspector-gui/pause-a-full-ring", Fixture, NULL, fixture_set_up, test_pause_a_full_ring,
              fixture_tear_down);
  g_test_add ("/inspector-gui/drill-down", Fixture, NULL, fixture_set_up, test_drill_down, fixture_tear_down);
  g_test_add ("/inspector-gui/export-view", Fixture, NULL, fixture_set_up, test_export_view, fixture_tear_down);
  {
    int status = g_test_run ();
    g_autofree char *dir = g_build_filename (config_home, "na64dqm", NULL);

    g_rmdir (dir);
    g_rmdir (config_home);
    return status;
  }
}
