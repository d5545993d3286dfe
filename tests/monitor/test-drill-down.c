/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drill-down from a bin to its events returns exactly the events a full
 * scan finds: the events whose filling, one after the other into one book,
 * changed the region's contents. A 1D bin, an ECAL cell (of its mean map:
 * energy in the cell; of its occupancy: a signal in it), a
 * drawn region of E_ECAL vs E_HCAL, a spill's histogram; at most N,
 * newest first; a histogram filled at spill ends refused by name. */
#include <string.h>

#include <glib.h>

#include "dqm-book.h"
#include "dqm-drill-down.h"
#include "dqm-sim-run.h"
#include "dqm-stream.h"

typedef struct {
  DqmConfig    *config;
  DqmSetup     *setup;
  DqmEventList *list;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(DqmSimRun) sim = NULL;
  DqmSimMessage m;

  f->config = dqm_config_new_default ();
  g_assert_true (dqm_config_set (f->config, "spill", "length_s", "0.4", NULL));
  f->setup = dqm_setup_load (f->config, NULL, NULL);
  sim = dqm_sim_run_new (f->setup, NULL, 12, 1, 7, 1790000000000000000ull);
  while (dqm_sim_run_next (sim, &m))
    if (m.type == DQM_MSG_EVT)
      g_ptr_array_add (messages, g_bytes_new (m.body->data, m.body->len));
  g_assert_cmpuint (messages->len, >, 300);
  f->list = dqm_event_list_new_messages (messages);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  dqm_event_list_unref (f->list);
  dqm_setup_free (f->setup);
  dqm_config_unref (f->config);
}

static double
region_sum (const DqmHistogram *h, const DqmDrillRegion *r)
{
  double sum = 0;

  for (guint iy = r->iy0; iy <= r->iy1; iy++)
    for (guint ix = r->ix0; ix <= r->ix1; ix++)
      sum += dqm_histogram_get (h, ix, iy);
  return sum;
}

/* Every event into one book, in order; the ones that changed the region's
 * sum of @name (as the book names it), newest first. */
static GArray *
full_scan (Fixture *f, const char *name, const DqmDrillRegion *region)
{
  g_autoptr(DqmBook) book = dqm_book_new (f->setup);
  g_autoptr(DqmReco) reco = dqm_reco_new (f->setup);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *event = g_new (DqmRecoEvent, 1);
  GArray *found = g_array_new (FALSE, FALSE, sizeof (guint));
  /* A mean map's cells change with every event counted: its energy sums are what an event fills. */
  DqmHistogram *h = dqm_book_get_filled (book, DQM_SCOPE_RUN, name);

  g_assert_nonnull (h);
  for (guint i = 0; i < dqm_event_list_length (f->list); i++)
    {
      DqmMessage message;
      gsize length;
      const guint8 *bytes = dqm_event_list_get (f->list, i, &length);
      double before = region_sum (h, region);

      g_assert_true (dqm_stream_decode (bytes, length, &message, storage, NULL));
      dqm_reco_event (reco, message.run, message.evt, event);
      dqm_book_fill (book, event);
      if (region_sum (h, region) != before)
        g_array_prepend_val (found, i);
    }
  return found;
}

static void
assert_same_events (GArray *drilled, GArray *scanned)
{
  g_assert_cmpuint (drilled->len, ==, scanned->len);
  for (guint i = 0; i < drilled->len; i++)
    g_assert_cmpuint (g_array_index (drilled, guint, i), ==, g_array_index (scanned, guint, i));
}

static void
check (Fixture *f, const DqmDrillRegion *region, const char *book_name, guint at_least)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) drilled = dqm_drill_down (f->list, f->setup, region, 0, NULL, &error);
  g_autoptr(GArray) scanned = full_scan (f, book_name, region);

  g_assert_no_error (error);
  g_test_message ("%s [%u–%u]×[%u–%u]: %u events", region->histogram, region->ix0, region->ix1, region->iy0,
                  region->iy1, drilled->len);
  g_assert_cmpuint (scanned->len, >=, at_least); /* a region that holds something */
  assert_same_events (drilled, scanned);
}

static void
test_spectrum_bin (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmBook) book = dqm_book_new (f->setup);
  DqmHistogram *h = dqm_book_get (book, DQM_SCOPE_RUN, "ecal_energy_beam");
  DqmDrillRegion region;
  /* the calibration peak's bin: E0 */
  guint peak = 1 + (guint) ((f->setup->beam.energy_gev - h->xmin) / (h->xmax - h->xmin) * h->nx);

  dqm_drill_region_bin (&region, "ecal_energy_beam", peak, 0);
  check (f, &region, "ecal_energy_beam", 5);
  /* The spill's plot: the same events. */
  dqm_drill_region_bin (&region, "ecal_energy_beam_spill", peak, 0);
  check (f, &region, "ecal_energy_beam", 5);
}

static void
test_cell (Fixture *f, gconstpointer data)
{
  DqmDrillRegion region;

  /* The aimed cell (3, 3 counted from 0) of the mean-energy map. */
  dqm_drill_region_bin (&region, "ecal_main_mean", 4, 4);
  check (f, &region, "ecal_main_mean", 50);
  /* A corner cell, with fewer. */
  dqm_drill_region_bin (&region, "ecal_main_occupancy", 1, 6);
  check (f, &region, "ecal_main_occupancy", 0);
}

static void
test_drawn_region (Fixture *f, gconstpointer data)
{
  g_autoptr(DqmBook) book = dqm_book_new (f->setup);
  DqmHistogram *h = dqm_book_get (book, DQM_SCOPE_RUN, "ecal_vs_hcal");
  DqmDrillRegion region = { "ecal_vs_hcal" };

  /* The lower half of the diagonal: E_ECAL from 10 to 60 GeV, E_HCAL up to 60. */
  region.ix0 = 1 + (guint) ((10 - h->xmin) / (h->xmax - h->xmin) * h->nx);
  region.ix1 = 1 + (guint) ((60 - h->xmin) / (h->xmax - h->xmin) * h->nx);
  region.iy0 = 1;
  region.iy1 = 1 + (guint) ((60 - h->ymin) / (h->ymax - h->ymin) * h->ny);
  check (f, &region, "ecal_vs_hcal", 20);
}

static void
test_newest_first_at_most (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  DqmDrillRegion region;
  g_autoptr(GArray) all = NULL, few = NULL;

  dqm_drill_region_bin (&region, "ecal_main_mean", 4, 4);
  all = dqm_drill_down (f->list, f->setup, &region, 0, NULL, &error);
  few = dqm_drill_down (f->list, f->setup, &region, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (few->len, ==, 5);
  for (guint i = 0; i < few->len; i++)
    g_assert_cmpuint (g_array_index (few, guint, i), ==, g_array_index (all, guint, i));
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpuint (g_array_index (all, guint, i - 1), >, g_array_index (all, guint, i));
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  DqmDrillRegion region;

  dqm_drill_region_bin (&region, "spill_purity", 1, 0);
  g_assert_null (dqm_drill_down (f->list, f->setup, &region, 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "spill_purity"));
  g_clear_error (&error);
  dqm_drill_region_bin (&region, "no_such_histogram", 1, 0);
  g_assert_null (dqm_drill_down (f->list, f->setup, &region, 0, NULL, &error));
  g_clear_error (&error);
  g_cancellable_cancel (cancelled);
  dqm_drill_region_bin (&region, "ecal_energy", 1, 0);
  g_assert_null (dqm_drill_down (f->list, f->setup, &region, 0, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, test) g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down)
  ADD ("/drill-down/spectrum-bin", test_spectrum_bin);
  ADD ("/drill-down/cell", test_cell);
  ADD ("/drill-down/drawn-region", test_drawn_region);
  ADD ("/drill-down/newest-first-at-most", test_newest_first_at_most);
  ADD ("/drill-down/refused", test_refused);
  return g_test_run ();
}
