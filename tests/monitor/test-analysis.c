/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A run longer than the analysis was sized for: per-spill histories go on
 * at a coarser binning (means of 2, 4 … spills), and signal-box candidates
 * are all counted while the newest are listed. A run survives a crash of
 * the monitor through its checkpoint. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-analysis.h"
#include "dqm-book.h"
#include "test-chain.h"

/* Ten 0.1 s spills into four history bins and a list of five candidates. */
static DqmState *
long_run_state (void)
{
  return test_run_state_with ((const char *const[]) { "spill", "length_s", "0.1", "dqm", "history_spills", "4",
                                                      "dqm", "candidates_kept", "5",
                                                      "beam-e-", "signal_fraction", "0.05", NULL },
                              7, 10);
}

static double
mean_events (const DqmState *state, guint first, guint last)
{
  double sum = 0;

  for (guint s = first; s <= last; s++)
    sum += ((const DqmSpillSummary *) state->spills->pdata[s - 1])->events;
  return sum / (last - first + 1);
}

/* Ten spills in a history of four bins: four spills a bin, each the mean. */
static void
test_history_coarsens (void)
{
  g_autoptr(DqmState) state = long_run_state ();
  const DqmHistogram *h = dqm_state_find_histogram (state, "spill_events");

  g_assert_cmpuint (state->spills->len, ==, 10);
  g_assert_cmpuint (h->nx, ==, 3);
  g_assert_cmpfloat (h->xmax, ==, 12.5);
  g_assert_nonnull (strstr (h->title, "mean of 4 a bin"));
  g_assert_cmpfloat_with_epsilon (dqm_histogram_get (h, 1, 0), mean_events (state, 1, 4), 1e-9);
  g_assert_cmpfloat_with_epsilon (dqm_histogram_get (h, 2, 0), mean_events (state, 5, 8), 1e-9);
  g_assert_cmpfloat_with_epsilon (dqm_histogram_get (h, 3, 0), mean_events (state, 9, 10), 1e-9);
  g_assert_cmpfloat (h->entries, ==, 10);
}

/* Every candidate is counted; the list keeps the newest, in order. */
static void
test_candidates_roll (void)
{
  g_autoptr(DqmState) state = long_run_state ();
  guint64 counted = 0, previous = 0;
  const DqmCandidate *last;

  for (guint i = 0; i < state->spills->len; i++)
    counted += ((const DqmSpillSummary *) state->spills->pdata[i])->candidates;
  g_assert_cmpuint (counted, >, 5);
  g_assert_cmpuint (state->candidates_total, ==, counted);
  g_assert_cmpuint (state->candidates->len, <=, 5);
  g_assert_cmpuint (state->candidates->len, >=, 4);
  for (guint i = 0; i < state->candidates->len; i++)
    {
      const DqmCandidate *c = &g_array_index (state->candidates, DqmCandidate, i);

      g_assert_cmpuint (c->event_id, >, previous);
      previous = c->event_id;
    }
  last = &g_array_index (state->candidates, DqmCandidate, state->candidates->len - 1);
  g_assert_cmpuint (last->spill, >=, 9);
}

/* The bodies of simulated run 5 of @spills 0.2 s spills. */
static GPtrArray *
simulate_messages (DqmConfig *config, guint spills, guint64 seed)
{
  g_autoptr(DqmSetup) setup = NULL;
  g_autoptr(DqmSimRun) sim = NULL;
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  DqmSimMessage m;

  g_assert_true (dqm_config_set (config, "spill", "length_s", "0.2", NULL));
  setup = dqm_setup_load (config, NULL, NULL);
  sim = dqm_sim_run_new (setup, NULL, 5, spills, seed, 1790000000000000000ull);
  while (dqm_sim_run_next (sim, &m))
    g_ptr_array_add (messages, g_bytes_new (m.body->data, m.body->len));
  return messages;
}

/* The index of the first evt of @spill. */
static guint
first_event_of (GPtrArray *messages, guint spill)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const guint8 *body = g_bytes_get_data (messages->pdata[i], NULL);

      if (body[6] == DQM_MSG_EVT && GUINT32_FROM_LE (*(const guint32 *) (body + 16)) == spill)
        return i;
    }
  g_assert_not_reached ();
}

/* Feeds @run's messages from index @from (a fresh stream counter, as a
 * restarted monitor has) until @until or the end; returns where it stopped.
 * @checkpoint, when not NULL, gets the checkpoint saved after spill 2. */
typedef struct {
  GBytes *resume_from;
} Restart;

static void
on_joined (DqmAnalysis *analysis, guint32 run, gpointer data)
{
  Restart *restart = data;

  if (restart->resume_from)
    {
      g_autoptr(GError) error = NULL;

      dqm_analysis_resume_run (analysis, restart->resume_from, &error);
      g_assert_no_error (error);
    }
}

static void
feed_saving_at (DqmAnalysis *analysis, GPtrArray *messages, guint from, guint until, guint save_at,
                GBytes **checkpoint)
{
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmStreamCounter counter;

  dqm_stream_counter_init (&counter, 5);
  for (guint i = from; i < until; i++)
    {
      GBytes *body = messages->pdata[i];
      DqmMessage message;
      DqmRunChanges flags;

      g_assert_true (dqm_stream_decode (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &message, storage,
                                        NULL));
      if (dqm_stream_counter_accept (&counter, &message, g_bytes_get_size (body), i, &flags, NULL))
        dqm_analysis_message (analysis, &message, flags, &counter, i);
      if (checkpoint && (save_at == G_MAXUINT ? message.type == DQM_MSG_EOS && message.eos.spill == 2 : i == save_at))
        {
          g_clear_pointer (checkpoint, g_bytes_unref);
          *checkpoint = dqm_analysis_save_run (analysis);
        }
    }
}

/* Without @save_at: the checkpoint of the end of spill 2. */
static void
feed (DqmAnalysis *analysis, GPtrArray *messages, guint from, guint until, GBytes **checkpoint)
{
  feed_saving_at (analysis, messages, from, until, G_MAXUINT, checkpoint);
}

/* A monitor killed in spill 3 of a 6-spill run and restarted takes the run
 * up from the checkpoint of spill 2: spills 1, 2 and 4-6 as if nothing had
 * happened, spill 3 from the restart on, the gap counted, nothing twice. */
static void
test_resume_after_a_crash (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(GPtrArray) messages = simulate_messages (config, 6, 11);
  g_autoptr(DqmAnalysis) whole = NULL, crashed = NULL, restarted = NULL;
  g_autoptr(DqmState) expected = NULL, got = NULL;
  g_autoptr(GBytes) checkpoint = NULL;
  Restart restart = { NULL };
  DqmAnalysisCallbacks callbacks = { .run_joined = on_joined, .data = &restart };
  guint crash = first_event_of (messages, 3) + 100; /* a hundred events into spill 3 */
  guint restart_at = crash + 150;                     /* 150 messages go by unseen */
  guint skipped = 0;

  for (guint i = crash; i < restart_at; i++)
    skipped += ((const guint8 *) g_bytes_get_data (messages->pdata[i], NULL))[6] == DQM_MSG_EVT;

  whole = dqm_analysis_new (config, NULL);
  feed (whole, messages, 0, messages->len, NULL);
  expected = dqm_analysis_make_state (whole);

  crashed = dqm_analysis_new (config, NULL);
  feed (crashed, messages, 0, crash, &checkpoint);
  g_assert_nonnull (checkpoint);
  restart.resume_from = checkpoint;
  restarted = dqm_analysis_new (config, NULL);
  dqm_analysis_set_callbacks (restarted, &callbacks);
  feed (restarted, messages, restart_at, messages->len, NULL);
  got = dqm_analysis_make_state (restarted);

  g_assert_true (got->run.resumed);
  g_assert_cmpuint (got->run.resumed_after_spill, ==, 2);
  g_assert_cmpuint (got->run.events_in_gap, ==, skipped + 100);
  g_assert_cmpuint (got->spills->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const DqmSpillSummary *a = expected->spills->pdata[i], *b = got->spills->pdata[i];

      g_assert_cmpuint (b->spill, ==, i + 1);
      if (i == 2)
        g_assert_cmpuint (b->events, ==, a->events - 100 - skipped);
      else
        g_assert_cmpuint (b->events, ==, a->events);
    }
  g_assert_cmpuint (got->run.events, ==, expected->run.events - 100 - skipped);
  g_assert_cmpfloat (dqm_state_find_histogram (got, "event_class")->entries, ==,
                     dqm_state_find_histogram (expected, "event_class")->entries - 100 - skipped);
  g_assert_cmpfloat (dqm_state_find_histogram (got, "spill_events")->entries, ==, 6);
}

/* A checkpoint taken in the middle of spill 3 (the 30 s one), the monitor
 * back in spill 4: spill 3 keeps what it had, its counts do not wrap
 * around the restarted stream counters. */
static void
test_resume_from_the_middle_of_a_spill (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(GPtrArray) messages = simulate_messages (config, 5, 12);
  g_autoptr(DqmAnalysis) crashed = NULL, restarted = NULL;
  g_autoptr(DqmState) got = NULL;
  g_autoptr(GBytes) checkpoint = NULL;
  Restart restart = { NULL };
  DqmAnalysisCallbacks callbacks = { .run_joined = on_joined, .data = &restart };
  guint save_at = first_event_of (messages, 3) + 99;   /* the 100th event of spill 3 */
  guint restart_at = first_event_of (messages, 4) + 50;
  const DqmSpillSummary *third;
  crashed = dqm_analysis_new (config, NULL);
  feed_saving_at (crashed, messages, 0, save_at + 10, save_at, &checkpoint);
  restart.resume_from = checkpoint;
  restarted = dqm_analysis_new (config, NULL);
  dqm_analysis_set_callbacks (restarted, &callbacks);
  feed (restarted, messages, restart_at, messages->len, NULL);
  got = dqm_analysis_make_state (restarted);
  g_assert_cmpuint (got->spills->len, ==, 5);
  third = got->spills->pdata[2];
  g_assert_cmpuint (third->events, ==, 100);
  g_assert_cmpuint (third->messages, >=, 100);
  g_assert_cmpuint (third->messages, <=, 102);
  g_assert_cmpuint (third->bad, ==, 0);
  g_assert_cmpuint (third->lost, <, 100000);
}

/* A spill with nothing measured (NaN) or not seen counts for nothing in
 * its bin, before and after the history coarsens. */
static void
test_history_means_by_count (void)
{
  g_autoptr(DqmSetup) setup = test_setup_with ((const char *const[]) { "dqm", "history_spills", "4", NULL });
  DqmBook *book = dqm_book_new (setup);
  g_autoptr(GPtrArray) copies = NULL;
  const DqmHistogram *h = NULL;

  dqm_book_set_history (book, "spill_purity", 1, 10);
  dqm_book_set_history (book, "spill_purity", 2, NAN);
  dqm_book_set_history (book, "spill_purity", 3, 20);
  dqm_book_set_history (book, "spill_purity", 4, 30);
  dqm_book_set_history (book, "spill_purity", 5, 40); /* two spills a bin from here */
  dqm_book_set_history (book, "spill_purity", 6, 60);
  copies = dqm_book_copy (book, DQM_SCOPE_RUN);
  for (guint i = 0; i < copies->len; i++)
    if (g_str_equal (((DqmHistogram *) copies->pdata[i])->name, "spill_purity"))
      h = copies->pdata[i];
  g_assert_nonnull (h);
  g_assert_cmpuint (h->nx, ==, 3);
  g_assert_cmpfloat (dqm_histogram_get (h, 1, 0), ==, 10);
  g_assert_cmpfloat (dqm_histogram_get (h, 2, 0), ==, 25);
  g_assert_cmpfloat (dqm_histogram_get (h, 3, 0), ==, 50);
  dqm_book_free (book);
}

/* Checkpoints of another build, of another run, or damaged are refused. */
static void
test_bad_checkpoints (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmAnalysis) analysis = dqm_analysis_new (config, NULL);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a checkpoint at all", 23);
  g_autoptr(GError) error = NULL;

  g_assert_null (dqm_analysis_save_run (analysis)); /* no run open */
  g_assert_false (dqm_analysis_resume_run (analysis, garbage, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/history-coarsens", test_history_coarsens);
  g_test_add_func ("/analysis/candidates-roll", test_candidates_roll);
  g_test_add_func ("/analysis/resume-after-a-crash", test_resume_after_a_crash);
  g_test_add_func ("/analysis/bad-checkpoints", test_bad_checkpoints);
  g_test_add_func ("/analysis/resume-from-the-middle-of-a-spill", test_resume_from_the_middle_of_a_spill);
  g_test_add_func ("/analysis/history-means-by-count", test_history_means_by_count);
  return g_test_run ();
}
