/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The threaded pipeline: a file is analysed without loss, a live stream
 * too fast for the analysis is thinned by dropping whole events (counted,
 * and alarmed), snapshots are retried until the disk takes them, and an
 * acknowledgement reaches the alarms. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-file.h"
#include "dqm-plot-na64.h"
#include "dqm-pipeline.h"
#include "dqm-sim-run.h"
#include "dqm-snapshot.h"

#define DEADLINE_US (60 * G_USEC_PER_SEC)

static DqmConfig *
config_new (const char *length_s)
{
  DqmConfig *config = dqm_config_new_default ();

  g_assert_true (dqm_config_set (config, "spill", "length_s", length_s, NULL));
  g_assert_true (dqm_config_set (config, "trigger", "beam_prescale", "1000", NULL));
  return config;
}

/* Records a simulated run; returns the number of events in it. */
static guint64
record_run (const char *path, DqmConfig *config, guint spills, const char *fault, const char *value)
{
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, NULL);
  DqmSimFaults faults;
  g_autoptr(DqmSimRun) sim = NULL;
  DqmFileWriter *writer = dqm_file_writer_new (path, NULL);
  DqmSimMessage message;
  guint64 events = 0;

  dqm_sim_faults_init (&faults);
  if (fault)
    g_assert_true (dqm_sim_faults_parse (&faults, fault, value, NULL));
  sim = dqm_sim_run_new (setup, &faults, 5, spills, 3, 1790000000000000000ull);
  g_assert_nonnull (writer);
  while (dqm_sim_run_next (sim, &message))
    {
      g_assert_true (dqm_file_writer_write (writer, message.body->data, message.body->len, NULL));
      events += message.type == DQM_MSG_EVT;
    }
  g_assert_true (dqm_file_writer_close (writer, NULL));
  return events;
}

static DqmState *
wait_finished (DqmPipeline *pipeline)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  while (!dqm_pipeline_is_finished (pipeline))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  dqm_pipeline_stop (pipeline, 5);
  return dqm_pipeline_get_state (pipeline);
}

static void
test_file_without_loss (void)
{
  g_autoptr(DqmConfig) config = config_new ("0.5");
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  g_autofree char *snapshots = g_build_filename (dir, "snapshots", NULL);
  g_autofree char *written = g_build_filename (snapshots, "run-000005", "summary.json", NULL);
  guint64 events = record_run (path, config, 2, NULL, NULL);
  DqmPipelineOptions options;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmState) state = NULL;

  dqm_pipeline_options_init (&options);
  options.queue_events = 16; /* tiny: the file must wait, never drop */
  options.snapshot_dir = snapshots;
  options.snapshot_writer.render = dqm_plot_render_snapshot;
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  state = wait_finished (pipeline);
  g_assert_cmpuint (state->events_processed, ==, events);
  g_assert_cmpuint (state->events_dropped, ==, 0);
  g_assert_cmpuint (state->spills->len, ==, 2);
  g_assert_true (state->run.ended_by_eor);
  g_assert_cmpuint (state->snapshots_written, ==, 1);
  g_assert_cmpstr (state->snapshot_error, ==, "");
  g_assert_true (g_file_test (written, G_FILE_TEST_IS_REGULAR));

  /* The inspector's ring holds the newest events, in order. */
  {
    g_autoptr(GPtrArray) kept = dqm_event_ring_copy (dqm_pipeline_get_event_ring (pipeline));
    g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
    guint64 previous = 0;

    g_assert_cmpuint (kept->len, ==, MIN (events, options.kept_events));
    for (guint i = 0; i < kept->len; i++)
      {
        DqmMessage message;

        g_assert_true (dqm_stream_decode (g_bytes_get_data (kept->pdata[i], NULL), g_bytes_get_size (kept->pdata[i]),
                                          &message, storage, NULL));
        g_assert_cmpint (message.type, ==, DQM_MSG_EVT);
        g_assert_cmpuint (message.evt->event_id, >, previous);
        previous = message.evt->event_id;
      }
  }
  /* A plot reset reaches the analysis, also after the file's end. */
  g_assert_cmpfloat (dqm_state_find_histogram (state, "ecal_energy")->entries, >, 0);
  dqm_pipeline_reset_histogram (pipeline, "ecal_energy");
  g_clear_pointer (&state, dqm_state_unref);
  state = dqm_pipeline_get_state (pipeline);
  g_assert_cmpfloat (dqm_state_find_histogram (state, "ecal_energy")->entries, ==, 0);
  g_assert_cmpfloat (dqm_state_find_histogram (state, "hcal_energy")->entries, >, 0);
}

typedef struct {
  DqmPublisher *publisher;
  DqmSetup *setup;
  guint64 events;
} Feed;

static gpointer
publish_fast (gpointer data)
{
  Feed *feed = data;
  g_autoptr(DqmSimRun) sim = dqm_sim_run_new (feed->setup, NULL, 9, 2, 4, 1790000000000000000ull);
  DqmSimMessage message;

  g_assert_true (dqm_publisher_wait_subscriber (feed->publisher, 10000));
  while (dqm_sim_run_next (sim, &message))
    {
      dqm_publisher_send (feed->publisher, message.topic, message.body->data, message.body->len, NULL);
      feed->events += message.type == DQM_MSG_EVT;
    }
  return NULL;
}

static void
test_drops_when_behind (void)
{
  g_autoptr(DqmConfig) config = config_new ("1");
  Feed feed = { .setup = dqm_setup_load (config, NULL, NULL) };
  DqmPipelineOptions options;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmState) state = NULL;
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;
  const DqmAlarm *dropped;
  GThread *thread;
  guint64 spill_drops = 0;

  feed.publisher = dqm_publisher_new ("tcp://127.0.0.1:*", NULL);
  dqm_pipeline_options_init (&options);
  options.queue_events = 8;
  pipeline = dqm_pipeline_new (dqm_source_new_zmq (dqm_publisher_get_endpoint (feed.publisher), 5, NULL), config,
                               &options, NULL);
  dqm_pipeline_start (pipeline);
  thread = g_thread_new ("publisher", publish_fast, &feed);
  g_thread_join (thread);
  /* Wait for the eor to come through the queue. */
  do
    {
      g_clear_pointer (&state, dqm_state_unref);
      g_usleep (50000);
      state = dqm_pipeline_get_state (pipeline);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  while (!state->run.ended);
  g_test_message ("sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", analysed %" G_GUINT64_FORMAT
                  ", dropped %" G_GUINT64_FORMAT, feed.events, state->counters.by_type[DQM_MSG_EVT],
                  state->events_processed, state->events_dropped);
  g_assert_cmpuint (state->events_dropped, >, 0);
  g_assert_cmpuint (state->events_processed + state->events_dropped, ==, state->counters.by_type[DQM_MSG_EVT]);
  /* Each drop is charged to the spill it arrived in, none to the gaps. */
  for (guint i = 0; i < state->spills->len; i++)
    spill_drops += ((const DqmSpillSummary *) state->spills->pdata[i])->dropped;
  g_assert_cmpuint (spill_drops, ==, state->events_dropped);
  dropped = dqm_state_find_alarm (state, "dropped-events");
  g_assert_cmpint (dropped->latched, ==, DQM_ALARM_ALARM);
  dqm_pipeline_stop (pipeline, 1);
  dqm_publisher_free (feed.publisher);
  dqm_setup_free (feed.setup);
}

/* A disk that refuses every file while @full is set. */
typedef struct {
  gint failures, successes;
  gint full;
} Attempts;

static gboolean
write_unless_full (const char *path, const char *data, gsize length, gpointer user_data, GError **error)
{
  Attempts *attempts = user_data;

  if (g_atomic_int_get (&attempts->full))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "%s: cannot write: %s", path, g_strerror (ENOSPC));
      return FALSE;
    }
  return dqm_snapshot_write_file (path, data, length, NULL, error);
}

static void
on_snapshot (const char *path, const GError *error, gpointer data)
{
  Attempts *attempts = data;

  if (path)
    g_atomic_int_inc (&attempts->successes);
  else
    {
      g_assert_error ((GError *) error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
      /* The disk frees up after the first refusal. */
      if (g_atomic_int_add (&attempts->failures, 1) == 0)
        g_atomic_int_set (&attempts->full, FALSE);
    }
}

static void
test_snapshot_retried (void)
{
  g_autoptr(DqmConfig) config = config_new ("0.3");
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  g_autofree char *snapshots = g_build_filename (dir, "snapshots", NULL);
  Attempts attempts = { 0, 0, TRUE };
  DqmPipelineOptions options;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmState) state = NULL;

  record_run (path, config, 1, NULL, NULL);
  dqm_pipeline_options_init (&options);
  options.snapshot_dir = snapshots;
  options.snapshot_writer = (DqmSnapshotWriter) { dqm_plot_render_snapshot, write_unless_full, &attempts };
  options.retry_interval_s = 0.2;
  options.snapshot_done = on_snapshot;
  options.snapshot_data = &attempts;
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  state = wait_finished (pipeline);
  g_assert_cmpint (attempts.failures, ==, 1);
  g_assert_cmpint (attempts.successes, ==, 1);
  g_assert_cmpuint (state->snapshots_written, ==, 1);
  g_assert_cmpuint (state->snapshots_pending, ==, 0);
  g_assert_cmpstr (state->snapshot_error, ==, "");
}

static gboolean
refuse_all (const char *path, const char *data, gsize length, gpointer user_data, GError **error)
{
  g_atomic_int_inc ((gint *) user_data);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "%s: cannot write: %s", path, g_strerror (ENOSPC));
  return FALSE;
}

static void
request_snapshots (DqmAnalysis *analysis, const DqmSpillSummary *summary, gpointer pipeline)
{
  for (guint i = 0; i < 20; i++)
    dqm_pipeline_request_snapshot (*(DqmPipeline **) pipeline);
}

/* While the disk stays full, snapshots on demand of one run do not pile
 * up: one copy a run waits, the newest, and tries back off. */
static void
test_snapshots_wait_one_a_run (void)
{
  g_autoptr(DqmConfig) config = config_new ("0.3");
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  g_autofree char *snapshots = g_build_filename (dir, "snapshots", NULL);
  gint tries = 0, before, after;
  DqmPipelineOptions options;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmState) state = NULL;

  record_run (path, config, 2, NULL, NULL);
  dqm_pipeline_options_init (&options);
  options.snapshot_dir = snapshots;
  options.snapshot_writer = (DqmSnapshotWriter) { NULL, refuse_all, &tries };
  options.retry_interval_s = 0.05;
  options.callbacks.spill_done = request_snapshots;
  options.callbacks.data = &pipeline;
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  while (!dqm_pipeline_is_finished (pipeline))
    g_usleep (20000);
  /* Tries 0.05, 0.1, 0.2, then 0.4 s apart: over 1.2 s at most four more
   * (without the back-off, two dozen). */
  g_usleep (G_USEC_PER_SEC);
  before = g_atomic_int_get (&tries);
  g_usleep (1200000);
  after = g_atomic_int_get (&tries);
  dqm_pipeline_stop (pipeline, 0.3);
  state = dqm_pipeline_get_state (pipeline);
  g_assert_cmpuint (state->snapshots_pending, ==, 1);
  g_assert_cmpuint (state->snapshots_written, ==, 0);
  g_assert_nonnull (strstr (state->snapshot_error, "No space left on device"));
  g_assert_cmpint (after - before, <=, 4);
  g_assert_cmpint (after - before, >=, 2);
}

static void
test_acknowledge (void)
{
  g_autoptr(DqmConfig) config = config_new ("1");
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  DqmPipelineOptions options;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmState) state = NULL;
  const DqmAlarm *dead;

  record_run (path, config, 2, "dead-channel", "ecal-main:2,3");
  dqm_pipeline_options_init (&options);
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  while (!dqm_pipeline_is_finished (pipeline))
    g_usleep (20000);
  state = dqm_pipeline_get_state (pipeline);
  dead = dqm_state_find_alarm (state, "dead-channels");
  g_assert_true (dead->unacknowledged);
  g_assert_cmpint (state->channel_problem[dqm_channel_slot (dqm_channel_ecal (1, 2, 3))], ==, DQM_CHANNEL_DEAD);
  g_assert_cmpint (dead->latched, ==, DQM_ALARM_ALARM);
  dqm_pipeline_acknowledge (pipeline, "dead-channels", "tester", NULL);
  /* The analysis thread takes it, after the file's end too, within a second. */
  for (gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;; g_usleep (10000))
    {
      g_clear_pointer (&state, dqm_state_unref);
      state = dqm_pipeline_get_state (pipeline);
      dead = dqm_state_find_alarm (state, "dead-channels");
      if (!dead->unacknowledged)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  /* Still dead: acknowledging silences the call, not the fact. */
  g_assert_cmpint (dead->state, ==, DQM_ALARM_ALARM);
  g_assert_cmpint (dead->latched, ==, DQM_ALARM_ALARM);
  dqm_pipeline_stop (pipeline, 1);
}

/* Appends a simulated run of @beam to @writer. */
static void
append_run (DqmFileWriter *writer, DqmConfig *config, const char *beam, guint32 run)
{
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, beam, NULL);
  g_autoptr(DqmSimRun) sim = dqm_sim_run_new (setup, NULL, run, 2, run, 1790000000000000000ull + run * 100000000000ull);
  DqmSimMessage message;

  while (dqm_sim_run_next (sim, &message))
    g_assert_true (dqm_file_writer_write (writer, message.body->data, message.body->len, NULL));
}

static DqmState *
analyse_file (const char *path, DqmConfig *config, guint reco_threads)
{
  DqmPipelineOptions options;
  g_autoptr(DqmPipeline) pipeline = NULL;

  dqm_pipeline_options_init (&options);
  options.reco_threads = reco_threads;
  pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
  dqm_pipeline_start (pipeline);
  return wait_finished (pipeline);
}

/* Reconstruction on worker threads gives what one thread gives across a
 * change of beam (electrons, then muons: the first muon events must not be
 * reconstructed with the electron setup). Workers may use pedestals tracked
 * a few random triggers behind, which matters only when a pulse sits in
 * the pedestal samples: a few events in ten thousand may differ. */
static void
test_workers_agree (void)
{
  g_autoptr(DqmConfig) config = config_new ("0.3");
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.n64", NULL);
  DqmFileWriter *writer = dqm_file_writer_new (path, NULL);
  g_autoptr(DqmState) one = NULL;
  g_autoptr(DqmState) four = NULL;

  append_run (writer, config, "e-", 7);
  append_run (writer, config, "mu-", 8);
  g_assert_true (dqm_file_writer_close (writer, NULL));
  one = analyse_file (path, config, 0);
  four = analyse_file (path, config, 4);
  g_assert_cmpuint (one->run.run, ==, 8);
  g_assert_cmpint (four->run.beam, ==, DQM_BEAM_MUON);
  g_assert_cmpuint (four->events_processed, ==, one->events_processed);
  g_assert_cmpuint (four->candidates->len, ==, one->candidates->len);
  g_assert_cmpfloat (dqm_histogram_mean (dqm_state_find_histogram (four, "momentum")), >, 150);
  /* Every histogram, bin for bin: workers whose reconstruction might lean
   * on pedestals tracked at another moment leave it to the analysis. */
  g_assert_cmpuint (four->histograms->len, ==, one->histograms->len);
  for (guint i = 0; i < one->histograms->len; i++)
    {
      const DqmHistogram *a = one->histograms->pdata[i], *b = four->histograms->pdata[i];

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpfloat (b->entries, ==, a->entries);
      g_assert_cmpmem (a->bins, dqm_histogram_n_cells (a) * sizeof (double), b->bins,
                       dqm_histogram_n_cells (b) * sizeof (double));
    }
  g_remove (path);
  g_rmdir (dir);
}

/* Nice value and scheduling policy of the threads named @name; FALSE if
 * there is none. Fields 19 and 41 of /proc/…/stat, counted after the name. */
static gboolean
thread_scheduling (const char *name, int *nice, int *policy)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (tasks && (tid = g_dir_read_name (tasks)))
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL, *stat = NULL;
      g_auto(GStrv) fields = NULL;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) || !g_str_equal (g_strchomp (comm), name)
          || !g_file_get_contents (stat_path, &stat, NULL, NULL) || !strrchr (stat, ')'))
        continue;
      fields = g_strsplit (strrchr (stat, ')') + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 38);
      *nice = atoi (fields[16]);
      *policy = atoi (fields[38]);
      return TRUE;
    }
  return FALSE;
}

/* A display's analysis yields to it: its threads run below the main one,
 * ten steps nicer and batch-scheduled; a headless monitor's do not. */
static void
test_threads_yield (void)
{
  g_autoptr(DqmConfig) config = config_new ("0.3");
  g_autofree char *dir = g_dir_make_tmp ("na64dqm-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.n64", NULL);
  const char *const lowered[] = { "dqm-reco", "dqm-analysis", "dqm-snapshots" };
  int own = getpriority (PRIO_PROCESS, 0), expected = MIN (own + 10, 19), nice = 0, policy = 0;

  if (!g_file_test ("/proc/self/task", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("needs Linux's /proc");
      return;
    }
  record_run (path, config, 2, NULL, NULL);
  for (guint yield = 0; yield <= 1; yield++)
    {
      DqmPipelineOptions options;
      DqmPipeline *pipeline;

      dqm_pipeline_options_init (&options);
      options.reco_threads = 2;
      options.queue_events = 8; /* the receive thread waits for room: alive while we look */
      options.yield_to_display = yield;
      pipeline = dqm_pipeline_new (dqm_source_new_file (path, NULL), config, &options, NULL);
      dqm_pipeline_start (pipeline);
      {
        gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
        gboolean found;

        while (!(found = thread_scheduling ("dqm-receive", &nice, &policy)) && g_get_monotonic_time () < deadline)
          g_usleep (200);
        g_assert_true (found);
        g_assert_cmpint (nice, ==, own);
      }
      for (guint i = 0; i < G_N_ELEMENTS (lowered); i++)
        {
          gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

          /* each thread lowers itself as it starts */
          while (!(thread_scheduling (lowered[i], &nice, &policy) && (!yield || (nice == expected && policy == 3)))
                 && g_get_monotonic_time () < deadline)
            g_usleep (1000);
          g_test_message ("%s, %s: nice %d, policy %d", yield ? "yielding" : "headless", lowered[i], nice, policy);
          g_assert_cmpint (nice, ==, yield ? expected : own);
          g_assert_cmpint (policy, ==, yield ? 3 : 0); /* SCHED_BATCH, SCHED_OTHER */
        }
      g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, own); /* this, the display's thread */
      dqm_state_unref (wait_finished (pipeline));
      dqm_pipeline_free (pipeline);
    }
  g_remove (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pipeline/file-without-loss", test_file_without_loss);
  g_test_add_func ("/pipeline/drops-when-behind", test_drops_when_behind);
  g_test_add_func ("/pipeline/snapshot-retried", test_snapshot_retried);
  g_test_add_func ("/pipeline/snapshots-wait-one-a-run", test_snapshots_wait_one_a_run);
  g_test_add_func ("/pipeline/acknowledge", test_acknowledge);
  g_test_add_func ("/pipeline/workers-agree", test_workers_agree);
  g_test_add_func ("/pipeline/threads-yield", test_threads_yield);
  return g_test_run ();
}
