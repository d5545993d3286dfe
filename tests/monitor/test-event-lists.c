/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the event inspector stands on, without a display: the ring of last
 * events (bounded, newest kept, candidates kept apart), browsable lists of
 * kept events and of recorded files (damage skipped), searching them by
 * class and trigger, and resetting one histogram. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-analysis.h"
#include "dqm-event-list.h"
#include "dqm-event-ring.h"
#include "dqm-file.h"
#include "dqm-sim-run.h"
#include "test-chain.h"

static void
test_ring_keeps_newest (void)
{
  g_autoptr(DqmEventRing) ring = dqm_event_ring_new (4, 2);
  g_autoptr(GPtrArray) copy = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  guint64 serial = 0;
  guint8 message[100];
  GBytes *newest;

  g_assert_null (dqm_event_ring_newest (ring, &serial));
  for (guint i = 0; i < 10; i++)
    {
      memset (message, i, sizeof message);
      /* events 3, 6 and 9 are candidates */
      dqm_event_ring_push (ring, message, 10 + i, i % 3 == 0 && i > 0);
    }
  copy = dqm_event_ring_copy (ring);
  g_assert_cmpuint (copy->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (copy->pdata[i], &length);

      g_assert_cmpuint (length, ==, 16 + i);
      g_assert_cmpuint (data[0], ==, 6 + i);
    }
  candidates = dqm_event_ring_copy_candidates (ring);
  g_assert_cmpuint (candidates->len, ==, 2);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (candidates->pdata[0], NULL))[0], ==, 6);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (candidates->pdata[1], NULL))[0], ==, 9);
  g_assert_cmpuint (dqm_event_ring_memory (ring), ==, 16 + 17 + 18 + 19 + 16 + 19);
  g_assert_cmpuint (dqm_event_ring_count (ring), ==, 4 + 2);

  newest = dqm_event_ring_newest (ring, &serial);
  g_assert_nonnull (newest);
  g_assert_cmpuint (g_bytes_get_size (newest), ==, 19);
  g_bytes_unref (newest);
  g_assert_null (dqm_event_ring_newest (ring, &serial)); /* nothing new since */

  /* Shrinking keeps the newest; growing keeps all and makes room. */
  dqm_event_ring_set_capacity (ring, 2);
  g_clear_pointer (&copy, g_ptr_array_unref);
  copy = dqm_event_ring_copy (ring);
  g_assert_cmpuint (copy->len, ==, 2);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (copy->pdata[0], NULL))[0], ==, 8);
  dqm_event_ring_set_capacity (ring, 5);
  memset (message, 42, sizeof message);
  dqm_event_ring_push (ring, message, 50, FALSE);
  g_clear_pointer (&copy, g_ptr_array_unref);
  copy = dqm_event_ring_copy (ring);
  g_assert_cmpuint (copy->len, ==, 3);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (copy->pdata[0], NULL))[0], ==, 8);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (copy->pdata[2], NULL))[0], ==, 42);
  g_assert_cmpuint (dqm_event_ring_get_capacity (ring), ==, 5);
}

/* A recorded run with more hadrons and candidates than the default beam,
 * so a few hundred events have some of each. */
static DqmSetup *
rich_setup (void)
{
  return test_setup_with ((const char *const[]) { "beam-e-", "hadron_fraction", "0.05",
                                                  "beam-e-", "signal_fraction", "0.02",
                                                  "spill", "length_s", "0.2", NULL });
}

static char *
record (const DqmSetup *setup, const char *dir, guint64 *first_id, guint64 *last_id, guint *events)
{
  char *path = g_build_filename (dir, "run.n64", NULL);
  g_autoptr(DqmSimRun) sim = dqm_sim_run_new (setup, NULL, 12, 1, 7, 1790000000000000000ull);
  DqmFileWriter *writer = dqm_file_writer_new (path, NULL);
  DqmSimMessage message;

  *events = 0;
  while (dqm_sim_run_next (sim, &message))
    {
      g_assert_true (dqm_file_writer_write (writer, message.body->data, message.body->len, NULL));
      if (message.type != DQM_MSG_EVT)
        continue;
      if ((*events)++ == 0)
        *first_id = message.event->event_id;
      *last_id = message.event->event_id;
    }
  g_assert_true (dqm_file_writer_close (writer, NULL));
  return path;
}

static guint64
event_id_at (DqmEventList *list, guint index, DqmEvent *storage)
{
  DqmMessage message;
  gsize length;
  const guint8 *data = dqm_event_list_get (list, index, &length);

  g_assert_true (dqm_stream_decode (data, length, &message, storage, NULL));
  g_assert_cmpint (message.type, ==, DQM_MSG_EVT);
  return message.evt->event_id;
}

/* The offset of the first message of a recorded file at or after @offset:
 * bodies follow the 8-byte magic back to back, each with its size at 8. */
static gsize
message_start_after (const char *contents, gsize size, gsize offset)
{
  gsize at = 8;

  while (at + DQM_HEADER_SIZE <= size && at < offset)
    {
      guint32 body_size;

      memcpy (&body_size, contents + at + 8, sizeof body_size);
      at += GUINT32_FROM_LE (body_size);
    }
  g_assert_cmpuint (at + 3000, <, size);
  return at;
}

static void
test_list_of_file (void)
{
  g_autoptr(DqmSetup) setup = rich_setup ();
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-inspector-XXXXXX", NULL);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  guint64 first, last;
  guint events;
  g_autofree char *path = record (setup, dir, &first, &last, &events);
  g_autoptr(DqmEventList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *damaged = g_build_filename (dir, "damaged.n64", NULL);
  gsize size;
  const char *complaint = NULL;

  list = dqm_event_list_new_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events, >, 200);
  g_assert_cmpuint (dqm_event_list_length (list), ==, events);
  g_assert_cmpint (dqm_event_list_get_beam (list), ==, DQM_BEAM_ELECTRON);
  g_assert_cmpuint (event_id_at (list, 0, storage), ==, first);
  g_assert_cmpuint (event_id_at (list, events - 1, storage), ==, last);
  g_assert_cmpuint (dqm_event_list_get_damage (list, NULL), ==, 0);

  /* Garbage in the middle, from a message's start, costs what it hit,
   * nothing else. */
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  memset (contents + message_start_after (contents, size, size / 2), 0xEE, 3000);
  g_assert_true (g_file_set_contents (damaged, contents, size, NULL));
  g_clear_pointer (&list, dqm_event_list_unref);
  list = dqm_event_list_new_file (damaged, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dqm_event_list_get_damage (list, &complaint), >=, 1);
  g_assert_nonnull (complaint);
  g_assert_cmpuint (dqm_event_list_length (list), <, events);
  g_assert_cmpuint (dqm_event_list_length (list), >=, events - 3);
  g_assert_cmpuint (event_id_at (list, dqm_event_list_length (list) - 1, storage), ==, last);

  g_clear_pointer (&list, dqm_event_list_unref);
  g_assert_null (dqm_event_list_new_file ("/nonexistent/run.n64", &error));
  g_assert_nonnull (error);
  g_remove (damaged);
  g_remove (path);
  g_rmdir (dir);
}

/* Every search returns the nearest match in its direction: no event
 * between the start and the answer matches. */
static void
test_find_by_class_and_trigger (void)
{
  g_autoptr(DqmSetup) setup = rich_setup ();
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-inspector-XXXXXX", NULL);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *e = g_new (DqmRecoEvent, 1);
  guint64 first, last;
  guint events;
  g_autofree char *path = record (setup, dir, &first, &last, &events);
  g_autoptr(DqmEventList) list = dqm_event_list_new_file (path, NULL);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  guint n = dqm_event_list_length (list), found, matches[DQM_N_EVENT_MATCHES] = { 0 };
  gboolean *is = g_new0 (gboolean, (gsize) n * DQM_N_EVENT_MATCHES);

  /* Twice: the second time with pedestals tracked, as the searches have
   * them (the run's first random triggers come after its first beam). */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        DqmMessage message;
        gsize length;
        const guint8 *data = dqm_event_list_get (list, i, &length);

        g_assert_true (dqm_stream_decode (data, length, &message, storage, NULL));
        dqm_reco_event (reco, message.run, message.evt, e);
        for (guint m = 0; m < DQM_N_EVENT_MATCHES && pass == 1; m++)
          matches[m] += is[i * DQM_N_EVENT_MATCHES + m] = dqm_event_matches (e, m);
      }
  g_assert_cmpuint (matches[DQM_EVENT_MATCH_HADRON], >=, 3);
  g_assert_cmpuint (matches[DQM_EVENT_MATCH_CANDIDATE], >=, 2);
  g_assert_cmpuint (matches[DQM_EVENT_MATCH_TRIGGER_RANDOM], >=, 1);
  for (guint m = 0; m < DQM_N_EVENT_MATCHES; m++)
    for (int direction = -1; direction <= 1; direction += 2)
      {
        guint from = direction > 0 ? 0 : n - 1;

        while (dqm_event_list_find (list, reco, from, direction, m, NULL, &found))
          {
            g_assert_true (is[found * DQM_N_EVENT_MATCHES + m]);
            for (guint i = from + direction; i != found; i += direction)
              g_assert_false (is[i * DQM_N_EVENT_MATCHES + m]);
            matches[m] -= direction > 0; /* forward walks see each match once */
            from = found;
          }
        if (direction > 0)
          g_assert_cmpuint (matches[m], ==, is[m]); /* the first event is never "next" */
      }
  g_assert_true (dqm_event_list_find_id (list, 12, last, NULL, &found));
  g_assert_cmpuint (found, ==, n - 1);
  g_assert_false (dqm_event_list_find_id (list, 13, last, NULL, &found));
  g_cancellable_cancel (cancelled);
  g_assert_false (dqm_event_list_find (list, reco, 0, 1, DQM_EVENT_MATCH_ELECTRON, cancelled, &found));
  g_free (is);
  g_remove (path);
  g_rmdir (dir);
}

/* Resetting one plot clears it alone; a cell map restarts its mean with
 * the beam events after the reset. */
static void
test_reset_one_histogram (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmAnalysis) analysis = NULL;
  g_autoptr(DqmSimRun) sim = NULL;
  g_autoptr(DqmState) before = NULL;
  g_autoptr(DqmState) after = NULL;
  g_autoptr(DqmState) end = NULL;
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmStreamCounter tracker;
  DqmSimMessage m;
  gint64 now = 0;

  g_assert_true (dqm_config_set (config, "spill", "length_s", "0.2", NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  analysis = dqm_analysis_new (config, NULL);
  sim = dqm_sim_run_new (setup, NULL, 4, 3, 11, 1790000000000000000ull);
  dqm_stream_counter_init (&tracker, 5);
  while (dqm_sim_run_next (sim, &m))
    {
      DqmMessage message;
      DqmRunChanges flags;

      /* the reset comes at the start of the second spill */
      if (m.type == DQM_MSG_SOS && m.spill == 2)
        {
          before = dqm_analysis_make_state (analysis);
          g_assert_false (dqm_analysis_reset_histogram (analysis, "no_such_histogram"));
          g_assert_true (dqm_analysis_reset_histogram (analysis, "ps_energy"));
          g_assert_true (dqm_analysis_reset_histogram (analysis, "ecal_main_mean"));
          after = dqm_analysis_make_state (analysis);
        }
      if (m.type == DQM_MSG_EOR)
        end = dqm_analysis_make_state (analysis);
      g_assert_true (dqm_stream_decode (m.body->data, m.body->len, &message, storage, NULL));
      now += 100;
      if (dqm_stream_counter_accept (&tracker, &message, m.body->len, now, &flags, NULL))
        dqm_analysis_message (analysis, &message, flags, &tracker, now);
    }
  g_assert_nonnull (before);
  g_assert_cmpfloat (dqm_state_find_histogram (before, "ps_energy")->entries, >, 100);
  g_assert_cmpfloat (dqm_state_find_histogram (after, "ps_energy")->entries, ==, 0);
  g_assert_cmpfloat (dqm_histogram_integral (dqm_state_find_histogram (after, "ecal_main_mean")), ==, 0);
  g_assert_cmpfloat (dqm_histogram_integral (dqm_state_find_histogram (after, "ecal_main_occupancy")), ==, 0);
  /* the others untouched */
  g_assert_cmpfloat (dqm_state_find_histogram (after, "hcal_energy")->entries, ==,
                     dqm_state_find_histogram (before, "hcal_energy")->entries);
  g_assert_cmpfloat (dqm_histogram_integral (dqm_state_find_histogram (after, "ecal_ps_mean")), ==,
                     dqm_histogram_integral (dqm_state_find_histogram (before, "ecal_ps_mean")));
  /* afterwards: the map counts exactly the beam events since the reset
   * (ps_energy, filled from every trigger with a beam particle, was reset
   * at the same moment), and its mean is still a mean: physics triggers
   * below 80 GeV, beam-trigger electrons at 100 GeV */
  g_assert_cmpfloat (dqm_state_find_histogram (end, "ecal_main_mean")->entries, ==,
                     dqm_state_find_histogram (end, "ps_energy")->entries);
  g_assert_cmpfloat (dqm_state_find_histogram (end, "ecal_main_mean")->entries, <,
                     dqm_state_find_histogram (end, "hcal_energy")->entries);
  g_assert_cmpfloat (dqm_histogram_integral (dqm_state_find_histogram (end, "ecal_main_mean")), >, 30);
  g_assert_cmpfloat (dqm_histogram_integral (dqm_state_find_histogram (end, "ecal_main_mean")), <, 101);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspector/ring/keeps-newest", test_ring_keeps_newest);
  g_test_add_func ("/inspector/list/file", test_list_of_file);
  g_test_add_func ("/inspector/list/find", test_find_by_class_and_trigger);
  g_test_add_func ("/inspector/reset-one-histogram", test_reset_one_histogram);
  return g_test_run ();
}
