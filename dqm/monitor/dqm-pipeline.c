/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Receive, reconstruction, analysis and snapshot threads around DqmAnalysis.
 * Messages are numbered as they arrive; reconstruction workers take them in
 * any order, and the analysis thread puts them back in stream order. */
#include "dqm-pipeline.h"

#include <stdio.h>
#include <string.h>

#include "dqm-checkpoint.h"
#include "dqm-setup-cache.h"
#include "dqm-snapshot.h"
#include "dqm-thread.h"

typedef enum {
  ITEM_MESSAGE,
  ITEM_ACKNOWLEDGE,
  ITEM_SNAPSHOT,
  ITEM_RESET,     /* clear one histogram */
  ITEM_REFERENCE, /* compare with other histograms from now on */
  ITEM_STOP,      /* the receive thread is done: finish */
  ITEM_QUIT,      /* dqm_pipeline_stop: leave once finished */
} ItemKind;

typedef struct {
  ItemKind          kind;
  guint64           seq;       /* stream order; for ITEM_STOP, how many came */
  guint64           dropped_before; /* live events dropped just before this one */
  GBytes           *body;      /* the message as it came, exactly its size */
  DqmRunChanges     flags;
  gint64            arrival_us;
  DqmStreamCounter  counter;   /* as the receive thread saw it then */
  const DqmSetup   *setup;     /* the run's beam at this point of the stream */
  DqmRecoEvent     *reco;      /* a worker's reconstruction, or NULL */
  gint              tracking_version; /* of the pedestals it used */
  char             *name;      /* the alarm or histogram */
  char             *who, *comment; /* of an acknowledgement */
  GPtrArray        *reference; /* ITEM_REFERENCE: the histograms, or NULL for none */
} Item;

typedef struct {
  DqmState *state;
  char     *label;
} SnapshotJob;

struct _DqmPipeline {
  DqmPipelineOptions options;
  char             *snapshot_dir;
  DqmSource        *source;
  DqmAnalysis      *analysis;
  DqmEventRing     *ring;        /* the last events, for the inspector */
  DqmSetupCache        *setups;      /* of the beams seen, kept to the end */
  const DqmSetup   *receive_setup; /* the receive thread's current one */
  const char       *resumed_beam;  /* interned; set by the analysis, taken by the receive thread */
  GAsyncQueue      *work;        /* Item, to the reconstruction workers */
  GThread         **workers;
  guint             n_workers;
  GAsyncQueue      *queue;       /* Item, to the analysis thread */
  GAsyncQueue      *free_items;  /* recycled event items */
  /* Reconstructions made ahead of the analysis: a fixed number, so a
   * backlog waits as raw messages (9 kB), not as reconstructed events. */
  GAsyncQueue      *free_recos;
  gint              queued_events;
  GMutex            room_lock;   /* with room_cond: a file waits for room */
  GCond             room_cond;
  GThread          *receive_thread, *analysis_thread, *snapshot_thread;
  gint              stop_receiving;
  gint              finished;
  gint              stop_snapshots;
  double            snapshot_timeout_s;

  GMutex            state_lock;  /* guards state alone: a display takes it each frame */
  DqmState         *state;
  GMutex            lock;        /* guards the fields below */
  DqmStreamCounter  counter;     /* the receive thread's, copied */
  gboolean          connected;
  guint64           snapshots_written;
  char              snapshot_error[256];
  char              last_snapshot[256];
  /* To the snapshot thread: one job a run, the newest state of it, oldest
   * run first; a job stays here until it is on disk. */
  GPtrArray        *pending_snapshots;
  GCond             snapshot_cond;
  guint             snapshot_failures; /* in a row: the back-off */
  GBytes           *pending_checkpoint; /* the open run's newest, to the snapshot thread */
  guint32           recover_except_run; /* a run began: checkpoints of others are orphans */
  gboolean          recover_pending;
  DqmConfig        *config;             /* to rebuild orphaned checkpoints' states */
  guint32           pending_checkpoint_run;
  gint64            last_checkpoint_us; /* analysis thread only */
  gint64            longest_stall_us;

  /* The analysis's tracked pedestals (it sees the random triggers in
   * order), copied for the workers whenever they change. */
  GMutex            tracking_lock;
  double            tracking[DQM_N_CHANNELS][2];
  guint64           tracking_triggers;
  gint              tracking_version;
};

void
dqm_pipeline_options_init (DqmPipelineOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->queue_events = 4096;
  options->publish_interval_s = 0.1;
  options->retry_interval_s = 10;
  options->checkpoint_interval_s = 30;
  options->kept_events = 1000;
  options->kept_candidates = 200;
  /* The receive and analysis threads need a core between them. */
  options->reco_threads = CLAMP (g_get_num_processors () - 1, 1, 8);
}

static Item *
item_new (ItemKind kind)
{
  Item *item = g_new0 (Item, 1);

  item->kind = kind;
  return item;
}

static void
item_free (Item *item)
{
  g_clear_pointer (&item->body, g_bytes_unref);
  g_free (item->reco);
  g_free (item->name);
  g_free (item->who);
  g_free (item->comment);
  g_clear_pointer (&item->reference, g_ptr_array_unref);
  g_free (item);
}

static void
snapshot_job_free (SnapshotJob *job)
{
  dqm_state_unref (job->state);
  g_free (job->label);
  g_free (job);
}

/* --- the receive thread ------------------------------------------------- */

/* The setup the analysis will use from this message on: a run's sor
 * switches beams as dqm-analysis.c does (a beam the configuration lacks
 * keeps the previous one). */
static void
follow_beam (DqmPipeline *self, const DqmMessage *message, DqmRunChanges flags)
{
  const char *beam = message->type == DQM_MSG_SOR ? dqm_beam_name (message->sor.beam) : NULL;
  /* A run taken up from its checkpoint says its beam through the analysis. */
  const char *resumed = g_atomic_pointer_exchange (&self->resumed_beam, NULL);
  const DqmSetup *setup;

  if (resumed)
    beam = resumed;
  else if (!(flags & DQM_RUN_STARTED))
    return;
  if (beam == NULL || g_str_equal (beam, self->receive_setup->beam.name))
    return;
  setup = dqm_setup_cache_get (self->setups, beam, NULL);
  if (setup)
    self->receive_setup = setup;
}

/* A file is read without loss: wait until the analysis has room. */
static void
wait_for_room (DqmPipeline *self)
{
  g_mutex_lock (&self->room_lock);
  while (g_atomic_int_get (&self->queued_events) >= (gint) self->options.queue_events
         && !g_atomic_int_get (&self->stop_receiving))
    g_cond_wait_until (&self->room_cond, &self->room_lock, g_get_monotonic_time () + 100000);
  g_mutex_unlock (&self->room_lock);
}

static void
make_room (DqmPipeline *self)
{
  if (g_atomic_int_add (&self->queued_events, -1) == (gint) self->options.queue_events)
    {
      g_mutex_lock (&self->room_lock);
      g_cond_signal (&self->room_cond);
      g_mutex_unlock (&self->room_lock);
    }
}

static gpointer
receive_main (gpointer data)
{
  DqmPipeline *self = data;
  g_autofree DqmEvent *scratch = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) raw = g_byte_array_sized_new (16384);
  gboolean lossless = dqm_source_is_file (self->source);
  GAsyncQueue *next = self->n_workers ? self->work : self->queue;
  Item *item = NULL, *stop;
  gint64 last_share = 0;
  guint64 seq = 0, dropped = 0;

  while (!g_atomic_int_get (&self->stop_receiving))
    {
      g_autoptr(GError) error = NULL;
      DqmMessage message;
      DqmRunChanges flags;
      DqmReceiveStatus status;
      gint64 now = g_get_monotonic_time ();

      if (item == NULL)
        item = g_async_queue_try_pop (self->free_items);
      if (item == NULL)
        item = item_new (ITEM_MESSAGE);
      status = dqm_source_next (self->source, 50, &message, scratch, &flags, raw, &error);
      if (status == DQM_RECEIVE_END)
        break;
      if (now - last_share > 20000 || status != DQM_RECEIVE_TIMEOUT)
        {
          g_mutex_lock (&self->lock);
          self->counter = *dqm_source_get_stream_counter (self->source);
          self->connected = dqm_source_is_file (self->source) || dqm_source_is_connected (self->source);
          g_mutex_unlock (&self->lock);
          last_share = now;
        }
      if (status != DQM_RECEIVE_MESSAGE)
        continue; /* bad ones are counted by the stream counter; the analysis sees the counts */

      if (message.type == DQM_MSG_EVT)
        {
          if (lossless)
            wait_for_room (self);
          else if (g_atomic_int_get (&self->queued_events) >= (gint) self->options.queue_events)
            {
              /* Behind the beam: drop this event, keep the display current.
               * The next item carries the count, so the analysis charges it
               * to the spill it arrived in. */
              dropped++;
              continue;
            }
          g_atomic_int_inc (&self->queued_events);
        }
      follow_beam (self, &message, flags);
      item->kind = ITEM_MESSAGE;
      item->seq = seq++;
      item->flags = flags;
      item->arrival_us = now;
      item->counter = *dqm_source_get_stream_counter (self->source);
      item->setup = self->receive_setup;
      item->body = g_bytes_new (raw->data, raw->len);
      item->dropped_before = dropped;
      dropped = 0;
      g_async_queue_push (next, item);
      item = NULL;
    }
  if (item)
    item_free (item);
  stop = item_new (ITEM_STOP);
  stop->seq = seq;
  stop->dropped_before = dropped;
  g_async_queue_push (self->queue, stop);
  return NULL;
}

/* --- the reconstruction workers ---------------------------------------- */

/* Workers and the analysis yield to the display's thread; said once. */
static void
lower_priority (DqmPipeline *self)
{
  static gsize said = 0;
  g_autoptr(GError) error = NULL;
  gboolean lowered;

  if (!self->options.yield_to_display)
    return;
  lowered = dqm_thread_lower_priority (&error);

  if (g_once_init_enter (&said))
    {
      if (lowered)
        g_debug ("reconstruction and analysis run %d steps nicer than the display, batch scheduling",
                 DQM_THREAD_NICE);
      else
        g_message ("reconstruction and analysis keep the display's priority: %s", error->message);
      g_once_init_leave (&said, 1);
    }
}

static void
share_tracking (DqmPipeline *self)
{
  g_mutex_lock (&self->tracking_lock);
  dqm_reco_get_tracking (dqm_analysis_get_reco (self->analysis), self->tracking, &self->tracking_triggers);
  g_atomic_int_inc (&self->tracking_version);
  g_mutex_unlock (&self->tracking_lock);
}

static gpointer
worker_main (gpointer data)
{
  DqmPipeline *self = data;
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmReco *reco = NULL;
  const DqmSetup *reco_setup = NULL;
  gint version = -1;

  lower_priority (self);
  for (;;)
    {
      Item *item = g_async_queue_pop (self->work);
      DqmMessage message;

      if (item->kind == ITEM_STOP)
        {
          item_free (item);
          break;
        }
      /* Random triggers feed the pedestal tracking: the analysis takes them
       * in order itself. An analysis far behind holds all reconstructions
       * made ahead: the event goes on raw after a while, to be
       * reconstructed there (this also frees a worker holding the event
       * the analysis waits for). */
      if (dqm_stream_decode (g_bytes_get_data (item->body, NULL), g_bytes_get_size (item->body), &message, event, NULL)
          && message.type == DQM_MSG_EVT && !(event->trigger & DQM_TRIGGER_RANDOM)
          && (item->reco = g_async_queue_timeout_pop (self->free_recos, 20000)))
        {
          if (reco_setup != item->setup)
            {
              g_clear_pointer (&reco, dqm_reco_free);
              reco = dqm_reco_new (item->setup);
              reco_setup = item->setup;
              version = -1;
            }
          if (g_atomic_int_get (&self->tracking_version) != version)
            {
              g_mutex_lock (&self->tracking_lock);
              dqm_reco_set_tracking (reco, (const double (*)[2]) self->tracking, self->tracking_triggers);
              version = self->tracking_version;
              g_mutex_unlock (&self->tracking_lock);
            }
          dqm_reco_event (reco, message.run, event, item->reco);
          item->tracking_version = version;
        }
      g_async_queue_push (self->queue, item);
    }
  g_clear_pointer (&reco, dqm_reco_free);
  return NULL;
}

/* --- the analysis thread ------------------------------------------------ */

static void
queue_snapshot (DqmPipeline *self, const char *label)
{
  SnapshotJob *job;

  if (self->snapshot_dir == NULL)
    return;
  job = g_new0 (SnapshotJob, 1);
  job->state = dqm_analysis_make_state (self->analysis);
  job->label = g_strdup (label);
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->pending_snapshots->len; i++)
    {
      SnapshotJob *older = g_ptr_array_index (self->pending_snapshots, i);

      /* While the disk refuses, only the newest copy of a run waits; a run's
       * end keeps its name (no label) over a snapshot on demand. */
      if (older->state->run.run == job->state->run.run)
        {
          if (older->label == NULL)
            g_clear_pointer (&job->label, g_free);
          g_ptr_array_index (self->pending_snapshots, i) = job;
          snapshot_job_free (older);
          job = NULL;
          break;
        }
    }
  if (job)
    g_ptr_array_add (self->pending_snapshots, job);
  g_cond_signal (&self->snapshot_cond);
  g_mutex_unlock (&self->lock);
}

/* The open run, as a checkpoint for the snapshot thread to write (the
 * newest replaces one not yet written). */
static void
queue_checkpoint (DqmPipeline *self)
{
  GBytes *checkpoint;

  self->last_checkpoint_us = g_get_monotonic_time ();
  if (self->snapshot_dir == NULL || (checkpoint = dqm_analysis_save_run (self->analysis)) == NULL)
    return;
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pending_checkpoint, g_bytes_unref);
  self->pending_checkpoint = checkpoint;
  self->pending_checkpoint_run = dqm_analysis_get_run (self->analysis);
  g_cond_signal (&self->snapshot_cond);
  g_mutex_unlock (&self->lock);
}

/* A run met under way: taken up from its checkpoint, if it left one. */
static void
on_run_joined (DqmAnalysis *analysis, guint32 run, gpointer data)
{
  DqmPipeline *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) checkpoint = NULL;

  if (self->snapshot_dir == NULL)
    return;
  checkpoint = dqm_checkpoint_read (self->snapshot_dir, run, &error);
  if (checkpoint && dqm_analysis_resume_run (analysis, checkpoint, &error))
    {
      /* The run's beam may not be the configured one: the workers follow. */
      g_atomic_pointer_set (&self->resumed_beam, g_intern_string (dqm_analysis_get_setup (analysis)->beam.name));
      if (self->n_workers)
        share_tracking (self);
      return;
    }
  if (error)
    {
      g_autofree char *path = dqm_checkpoint_path (self->snapshot_dir, run);

      g_mutex_lock (&self->lock);
      g_snprintf (self->snapshot_error, sizeof self->snapshot_error, "%s not taken up: %s", path, error->message);
      g_mutex_unlock (&self->lock);
    }
}

/* A run began: the checkpoints of other runs will never be taken up. */
static void
on_run_started (DqmAnalysis *analysis, guint32 run, gpointer data)
{
  DqmPipeline *self = data;

  if (self->options.callbacks.run_started)
    self->options.callbacks.run_started (analysis, run, self->options.callbacks.data);
  if (self->snapshot_dir == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->recover_except_run = run;
  self->recover_pending = TRUE;
  g_cond_signal (&self->snapshot_cond);
  g_mutex_unlock (&self->lock);
}

/* The runs a monitor was down for the end of: each checkpoint other than
 * the running one's becomes a snapshot (run-NNNNNN-recovered), then goes.
 * Names come from the directory listing, checked against our own form. */
static void
recover_orphans (DqmPipeline *self, guint32 except_run)
{
  g_autoptr(GDir) dir = g_dir_open (self->snapshot_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) checkpoint = NULL;
      g_autoptr(DqmState) state = NULL;
      g_autofree char *path = NULL;
      guint run;
      char end;

      if (sscanf (name, ".checkpoint-run-%6u%c", &run, &end) != 1 || run == except_run
          || strlen (name) != strlen (".checkpoint-run-000000"))
        continue;
      checkpoint = dqm_checkpoint_read (self->snapshot_dir, run, &error);
      if (checkpoint && (state = dqm_analysis_recover (self->config, checkpoint, &error))
          && (path = dqm_snapshot_write (state, self->snapshot_dir, "recovered", &self->options.snapshot_writer,
                                         &error)))
        {
          dqm_checkpoint_remove (self->snapshot_dir, run);
          g_mutex_lock (&self->lock);
          self->snapshots_written++;
          g_strlcpy (self->last_snapshot, path, sizeof self->last_snapshot);
          g_mutex_unlock (&self->lock);
          if (self->options.snapshot_done)
            self->options.snapshot_done (path, NULL, self->options.snapshot_data);
        }
      else if (error)
        {
          g_mutex_lock (&self->lock);
          g_snprintf (self->snapshot_error, sizeof self->snapshot_error, "%s/%s: %s", self->snapshot_dir, name,
                      error->message);
          g_mutex_unlock (&self->lock);
        }
    }
}

static void
on_run_done (DqmAnalysis *analysis, gpointer data)
{
  DqmPipeline *self = data;

  g_mutex_lock (&self->lock);
  if (self->pending_checkpoint_run == dqm_analysis_get_run (analysis))
    g_clear_pointer (&self->pending_checkpoint, g_bytes_unref);
  g_mutex_unlock (&self->lock);
  queue_snapshot (self, NULL);
  if (self->options.callbacks.run_done)
    self->options.callbacks.run_done (analysis, self->options.callbacks.data);
}

static void
on_spill_done (DqmAnalysis *analysis, const DqmSpillSummary *summary, gpointer data)
{
  DqmPipeline *self = data;

  queue_checkpoint (self);
  if (self->options.callbacks.spill_done)
    self->options.callbacks.spill_done (analysis, summary, self->options.callbacks.data);
}

static void
publish (DqmPipeline *self)
{
  DqmState *state = dqm_analysis_make_state (self->analysis);
  DqmState *old;

  g_mutex_lock (&self->lock);
  state->snapshots_written = self->snapshots_written;
  state->snapshots_pending = self->pending_snapshots->len;
  g_strlcpy (state->snapshot_error, self->snapshot_error, sizeof state->snapshot_error);
  g_strlcpy (state->last_snapshot, self->last_snapshot, sizeof state->last_snapshot);
  g_mutex_unlock (&self->lock);
  g_mutex_lock (&self->state_lock);
  old = self->state;
  self->state = state;
  g_mutex_unlock (&self->state_lock);
  dqm_state_unref (old);
}

static void
tick (DqmPipeline *self, gint64 now_us)
{
  DqmStreamCounter counter;
  gboolean connected;

  g_mutex_lock (&self->lock);
  counter = self->counter;
  connected = self->connected;
  g_mutex_unlock (&self->lock);
  dqm_analysis_tick (self->analysis, &counter, dqm_source_get_name (self->source), connected, now_us);
}

/* A new beam restarts the tracking (its pedestals are the new
 * reconstruction's): tell the workers. */
static void
share_new_reco (DqmPipeline *self, guint generation_before)
{
  if (self->n_workers && dqm_analysis_get_reco_generation (self->analysis) != generation_before)
    share_tracking (self);
}

/* Whether no channel of @e leaned on tracked pedestals. For a worker that
 * had the analysis's own tracked pedestals (the same version), that is all
 * dqm_reco_same_pedestals would find out. */
static gboolean
no_tracked_pedestals (const DqmRecoEvent *e)
{
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    if (e->channel[slot].present && e->channel[slot].tracked_pedestal)
      return FALSE;
  return TRUE;
}

/* One message, in stream order. */
static void
analyse (DqmPipeline *self, Item *item, DqmEvent *event)
{
  DqmMessage message;
  gboolean random;
  guint generation = dqm_analysis_get_reco_generation (self->analysis);

  if (item->dropped_before)
    dqm_analysis_dropped (self->analysis, item->dropped_before);
  /* The receive thread checked it: this decode cannot fail. */
  if (!dqm_stream_decode (g_bytes_get_data (item->body, NULL), g_bytes_get_size (item->body), &message, event, NULL))
    return;
  if (message.type != DQM_MSG_EVT)
    {
      dqm_analysis_message (self->analysis, &message, item->flags, &item->counter, g_get_real_time ());
      share_new_reco (self, generation);
      return;
    }
  make_room (self);
  random = (event->trigger & DQM_TRIGGER_RANDOM) != 0;
  /* A worker's reconstruction counts if it used the analysis's beam (the
   * first events after a beam change may not have) and did not lean on
   * pedestals tracked at another moment: then it is exactly the analysis's
   * own, and one thread or eight give the same histograms. An event that
   * joins a run may resume it from its checkpoint, on another beam: the
   * analysis reconstructs that one itself. */
  if (item->reco && !(item->flags & DQM_RUN_STARTED) && g_str_equal (item->setup->beam.name, dqm_analysis_get_setup (self->analysis)->beam.name)
      && (item->tracking_version == g_atomic_int_get (&self->tracking_version)
            ? no_tracked_pedestals (item->reco)
            : dqm_reco_same_pedestals (dqm_analysis_get_reco (self->analysis), event, item->reco)))
    dqm_analysis_event_reconstructed (self->analysis, &message, item->reco, item->flags, &item->counter,
                                      g_get_real_time ());
  else
    dqm_analysis_message (self->analysis, &message, item->flags, &item->counter, g_get_real_time ());
  if (random && self->n_workers)
    share_tracking (self);
  else
    share_new_reco (self, generation); /* a run joined on this event may have resumed another beam */
  dqm_event_ring_push (self->ring, g_bytes_get_data (item->body, NULL), g_bytes_get_size (item->body),
                       dqm_analysis_get_last_event (self->analysis)->candidate);
}

static gpointer
analysis_main (gpointer data)
{
  DqmPipeline *self = data;
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  gint64 interval = (gint64) (self->options.publish_interval_s * G_USEC_PER_SEC);
  gint64 last_publish = 0, last_pop = g_get_monotonic_time ();
  g_autoptr(GHashTable) pending = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint64 next_seq = 0, stop_seq = 0;
  gboolean stopping = FALSE, done = FALSE, quit = FALSE;
  guint64 stop_dropped = 0;

  lower_priority (self);
  for (;;)
    {
      Item *item = g_async_queue_timeout_pop (self->queue, MIN (interval, 100000));
      gint64 now = g_get_monotonic_time ();

      if (item)
        {
          g_mutex_lock (&self->lock);
          self->longest_stall_us = MAX (self->longest_stall_us, now - last_pop);
          g_mutex_unlock (&self->lock);
          last_pop = now;
        }
      if (item && item->kind == ITEM_MESSAGE)
        {
          /* Workers finish out of order: hold back until it is its turn. */
          g_hash_table_insert (pending, &item->seq, item);
          while ((item = g_hash_table_lookup (pending, &next_seq)))
            {
              g_hash_table_remove (pending, &next_seq);
              analyse (self, item, event);
              g_clear_pointer (&item->body, g_bytes_unref);
              if (item->reco)
                g_async_queue_push (self->free_recos, g_steal_pointer (&item->reco));
              g_async_queue_push (self->free_items, item);
              next_seq++;
            }
        }
      else if (item && item->kind == ITEM_ACKNOWLEDGE)
        {
          dqm_analysis_acknowledge (self->analysis, item->name, item->who, item->comment);
          last_publish = 0; /* show it at once */
        }
      else if (item && item->kind == ITEM_REFERENCE)
        {
          dqm_analysis_set_reference (self->analysis, item->reference, item->name);
          last_publish = 0;
        }
      else if (item && item->kind == ITEM_RESET)
        {
          dqm_analysis_reset_histogram (self->analysis, item->name);
          last_publish = 0;
        }
      else if (item && item->kind == ITEM_SNAPSHOT)
        {
          g_autofree char *label = NULL;
          DqmState *state = dqm_analysis_make_state (self->analysis);

          label = g_strdup_printf ("spill-%04u", state->spill ? state->spill : state->spills->len);
          if (state->run.run == 0 || self->snapshot_dir == NULL)
            {
              g_mutex_lock (&self->lock);
              g_strlcpy (self->snapshot_error, self->snapshot_dir ? "no run has started: nothing to snapshot yet"
                                                                  : "no snapshot directory (--snapshot-dir)",
                         sizeof self->snapshot_error);
              g_mutex_unlock (&self->lock);
              last_publish = 0;
            }
          else
            queue_snapshot (self, label);
          dqm_state_unref (state);
        }
      else if (item && item->kind == ITEM_STOP)
        {
          stop_seq = item->seq;
          stop_dropped = item->dropped_before;
          stopping = TRUE;
        }
      else if (item && item->kind == ITEM_QUIT)
        quit = TRUE;
      if (item && item->kind != ITEM_MESSAGE)
        item_free (item);
      if (stopping && !done && next_seq == stop_seq)
        {
          if (stop_dropped)
            dqm_analysis_dropped (self->analysis, stop_dropped);
          tick (self, g_get_real_time ());
          dqm_analysis_finish (self->analysis);
          publish (self);
          last_publish = now;
          done = TRUE;
          g_atomic_int_set (&self->finished, TRUE);
        }
      /* Once the stream is over, commands (acknowledge, reset, snapshot)
       * are still served until the pipeline is stopped. */
      if (done && quit)
        break;
      /* A long spill is not lost whole either. */
      if (!done && now - self->last_checkpoint_us >= (gint64) (self->options.checkpoint_interval_s * G_USEC_PER_SEC))
        queue_checkpoint (self);
      if (done ? last_publish == 0 : now - last_publish >= interval)
        {
          if (!done)
            tick (self, g_get_real_time ());
          publish (self);
          last_publish = now;
        }
    }
  return NULL;
}

/* --- the snapshot thread ------------------------------------------------ */

/* How long to wait after @failures failed tries in a row: the retry
 * interval, doubled each time, at most eight times as long. */
static gint64
snapshot_backoff_us (const DqmPipeline *self, guint failures)
{
  double factor = 1 << MIN (failures > 0 ? failures - 1 : 0, 3);

  return (gint64) (self->options.retry_interval_s * factor * G_USEC_PER_SEC);
}

static gpointer
snapshot_main (gpointer data)
{
  DqmPipeline *self = data;
  gint64 next_try = 0, give_up = 0;
  gboolean last_try = FALSE;

  lower_priority (self); /* it draws the snapshots' pictures */
  g_mutex_lock (&self->lock);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      gint64 now = g_get_monotonic_time ();
      SnapshotJob *job;
      gboolean superseded = FALSE;

      if (g_atomic_int_get (&self->stop_snapshots) && give_up == 0)
        give_up = now + (gint64) (self->snapshot_timeout_s * G_USEC_PER_SEC);
      if (self->recover_pending)
        {
          guint32 except = self->recover_except_run;

          self->recover_pending = FALSE;
          g_mutex_unlock (&self->lock);
          recover_orphans (self, except);
          g_mutex_lock (&self->lock);
          continue;
        }
      if (self->pending_checkpoint)
        {
          g_autoptr(GBytes) checkpoint = g_steal_pointer (&self->pending_checkpoint);
          guint32 run = self->pending_checkpoint_run;

          g_mutex_unlock (&self->lock);
          dqm_checkpoint_write (self->snapshot_dir, run, checkpoint, &error);
          g_mutex_lock (&self->lock);
          if (error)
            g_snprintf (self->snapshot_error, sizeof self->snapshot_error, "checkpoint: %s", error->message);
          continue;
        }
      if (self->pending_snapshots->len == 0)
        {
          if (give_up)
            break;
          g_cond_wait_until (&self->snapshot_cond, &self->lock, now + G_USEC_PER_SEC);
          continue;
        }
      if (now < next_try)
        {
          if (!give_up || now < give_up)
            {
              g_cond_wait_until (&self->snapshot_cond, &self->lock, give_up ? MIN (next_try, give_up) : next_try);
              continue;
            }
          /* Stopping: one last try, whatever the back-off; what still waits
           * after it is said in snapshot_error. */
          if (last_try)
            break;
          last_try = TRUE;
        }
      job = g_ptr_array_steal_index (self->pending_snapshots, 0);
      g_mutex_unlock (&self->lock);
      path = dqm_snapshot_write (job->state, self->snapshot_dir, job->label, &self->options.snapshot_writer, &error);
      g_mutex_lock (&self->lock);
      if (path)
        {
          self->snapshots_written++;
          self->snapshot_error[0] = '\0';
          self->snapshot_failures = 0;
          g_strlcpy (self->last_snapshot, path, sizeof self->last_snapshot);
          next_try = 0;
          /* The run is over and safe on disk: its checkpoint has done its job.
           * A run cut short by a stop keeps it, for a monitor that takes the
           * run up again. */
          if (job->label == NULL && job->state->run.ended_by_eor)
            dqm_checkpoint_remove (self->snapshot_dir, job->state->run.run);
          snapshot_job_free (job);
        }
      else
        {
          g_strlcpy (self->snapshot_error, error->message, sizeof self->snapshot_error);
          self->snapshot_failures++;
          next_try = g_get_monotonic_time () + snapshot_backoff_us (self, self->snapshot_failures);
          /* Back to the front, unless a newer copy of the run came meanwhile. */
          for (guint i = 0; i < self->pending_snapshots->len; i++)
            superseded |= ((SnapshotJob *) g_ptr_array_index (self->pending_snapshots, i))->state->run.run
                          == job->state->run.run;
          if (superseded)
            {
              /* The newer copy of a run that has ended takes its final name. */
              if (job->label == NULL)
                for (guint i = 0; i < self->pending_snapshots->len; i++)
                  {
                    SnapshotJob *newer = g_ptr_array_index (self->pending_snapshots, i);

                    if (newer->state->run.run == job->state->run.run)
                      g_clear_pointer (&newer->label, g_free);
                  }
              snapshot_job_free (job);
            }
          else
            g_ptr_array_insert (self->pending_snapshots, 0, job);
        }
      g_mutex_unlock (&self->lock);
      if (self->options.snapshot_done)
        self->options.snapshot_done (path, error, self->options.snapshot_data);
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* --- the public face ---------------------------------------------------- */

DqmPipeline *
dqm_pipeline_new (DqmSource *source, DqmConfig *config, const DqmPipelineOptions *options, GError **error)
{
  DqmPipeline *self;
  DqmAnalysis *analysis = dqm_analysis_new (config, error);
  DqmAnalysisCallbacks callbacks;

  g_return_val_if_fail (source != NULL, NULL);

  if (analysis == NULL)
    {
      dqm_source_free (source);
      return NULL;
    }
  self = g_new0 (DqmPipeline, 1);
  if (options)
    self->options = *options;
  else
    dqm_pipeline_options_init (&self->options);
  self->options.queue_events = MAX (self->options.queue_events, 1);
  self->snapshot_dir = g_strdup (self->options.snapshot_dir);
  self->options.snapshot_dir = self->snapshot_dir;
  self->source = source;
  self->analysis = analysis;
  callbacks = (DqmAnalysisCallbacks) {
    .spill_done = on_spill_done, .run_done = on_run_done, .run_joined = on_run_joined,
    .run_started = on_run_started, .data = self,
  };
  dqm_analysis_set_callbacks (analysis, &callbacks);
  dqm_analysis_set_reference (analysis, self->options.reference, self->options.reference_label);
  self->options.reference = NULL; /* the analysis holds its own reference */
  self->options.reference_label = NULL; /* and its own copy of the label */
  self->ring = dqm_event_ring_new (self->options.kept_events, self->options.kept_candidates);
  self->setups = dqm_setup_cache_new (config);
  self->config = dqm_config_ref (config);
  /* The analysis starts on the configured beam too (it loaded it already). */
  self->receive_setup = dqm_setup_cache_get (self->setups, NULL, NULL);
  self->n_workers = self->options.reco_threads;
  self->work = g_async_queue_new ();
  g_mutex_init (&self->tracking_lock);
  self->queue = g_async_queue_new ();
  self->free_items = g_async_queue_new_full ((GDestroyNotify) item_free);
  /* Enough for the workers to run ahead through a burst of a few hundred. */
  self->free_recos = g_async_queue_new_full (g_free);
  for (guint i = 0; i < (self->n_workers ? 256 + 16 * self->n_workers : 0); i++)
    g_async_queue_push (self->free_recos, g_new (DqmRecoEvent, 1));
  self->pending_snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) snapshot_job_free);
  g_cond_init (&self->snapshot_cond);
  g_mutex_init (&self->room_lock);
  g_cond_init (&self->room_cond);
  g_mutex_init (&self->lock);
  g_mutex_init (&self->state_lock);
  self->state = dqm_analysis_make_state (analysis);
  return self;
}

void
dqm_pipeline_start (DqmPipeline *self)
{
  g_return_if_fail (self->receive_thread == NULL);
  self->snapshot_thread = g_thread_new ("dqm-snapshots", snapshot_main, self);
  self->workers = g_new0 (GThread *, MAX (self->n_workers, 1));
  for (guint i = 0; i < self->n_workers; i++)
    self->workers[i] = g_thread_new ("dqm-reco", worker_main, self);
  self->analysis_thread = g_thread_new ("dqm-analysis", analysis_main, self);
  self->receive_thread = g_thread_new ("dqm-receive", receive_main, self);
}

DqmState *
dqm_pipeline_get_state (DqmPipeline *self)
{
  DqmState *state;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->state_lock);
  state = dqm_state_ref (self->state);
  g_mutex_unlock (&self->state_lock);
  return state;
}

DqmState *
dqm_pipeline_try_get_state (DqmPipeline *self)
{
  DqmState *state;

  g_return_val_if_fail (self != NULL, NULL);

  if (!g_mutex_trylock (&self->state_lock))
    return NULL;
  state = dqm_state_ref (self->state);
  g_mutex_unlock (&self->state_lock);
  return state;
}

void
dqm_pipeline_acknowledge (DqmPipeline *self, const char *alarm_id, const char *who, const char *comment)
{
  Item *item;

  g_return_if_fail (self != NULL);

  /* Stopped (or not started), no analysis thread is left to ask: do it
   * here. Otherwise the analysis thread does, even after a file's end. */
  if (self->analysis_thread == NULL)
    {
      dqm_analysis_acknowledge (self->analysis, alarm_id, who, comment);
      publish (self);
      return;
    }
  item = item_new (ITEM_ACKNOWLEDGE);
  item->name = g_strdup (alarm_id);
  item->who = g_strdup (who);
  item->comment = g_strdup (comment);
  g_async_queue_push (self->queue, item);
}

void
dqm_pipeline_reset_histogram (DqmPipeline *self, const char *name)
{
  Item *item;

  g_return_if_fail (self != NULL);

  if (self->analysis_thread == NULL)
    {
      dqm_analysis_reset_histogram (self->analysis, name);
      publish (self);
      return;
    }
  item = item_new (ITEM_RESET);
  item->name = g_strdup (name);
  g_async_queue_push (self->queue, item);
}

void
dqm_pipeline_set_reference (DqmPipeline *self, GPtrArray *reference, const char *label)
{
  Item *item;

  g_return_if_fail (self != NULL);

  if (self->analysis_thread == NULL)
    {
      dqm_analysis_set_reference (self->analysis, reference, label);
      publish (self);
      return;
    }
  item = item_new (ITEM_REFERENCE);
  item->reference = reference ? g_ptr_array_ref (reference) : NULL;
  item->name = g_strdup (label);
  g_async_queue_push (self->queue, item);
}

DqmEventRing *
dqm_pipeline_get_event_ring (DqmPipeline *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ring;
}

void
dqm_pipeline_request_snapshot (DqmPipeline *self)
{
  g_return_if_fail (self != NULL);

  g_async_queue_push (self->queue, item_new (ITEM_SNAPSHOT));
}

gboolean
dqm_pipeline_is_finished (DqmPipeline *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_atomic_int_get (&self->finished);
}

gint64
dqm_pipeline_longest_stall_us (DqmPipeline *self)
{
  gint64 stall;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  stall = self->longest_stall_us;
  g_mutex_unlock (&self->lock);
  return stall;
}

void
dqm_pipeline_stop (DqmPipeline *self, double snapshot_timeout_s)
{
  g_return_if_fail (self != NULL);

  if (self->receive_thread == NULL)
    return;
  self->snapshot_timeout_s = snapshot_timeout_s;
  g_atomic_int_set (&self->stop_receiving, TRUE);
  g_thread_join (self->receive_thread);
  g_async_queue_push (self->queue, item_new (ITEM_QUIT));
  g_thread_join (self->analysis_thread);
  /* Everything received has been through them by now. */
  for (guint i = 0; i < self->n_workers; i++)
    g_async_queue_push (self->work, item_new (ITEM_STOP));
  for (guint i = 0; i < self->n_workers; i++)
    g_thread_join (self->workers[i]);
  g_clear_pointer (&self->workers, g_free);
  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->stop_snapshots, TRUE);
  g_cond_signal (&self->snapshot_cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->snapshot_thread);
  self->receive_thread = self->analysis_thread = self->snapshot_thread = NULL;
  publish (self);
}

void
dqm_pipeline_free (DqmPipeline *self)
{
  Item *item;

  if (self == NULL)
    return;
  dqm_pipeline_stop (self, 0);
  while ((item = g_async_queue_try_pop (self->queue)))
    item_free (item);
  g_async_queue_unref (self->queue);
  g_async_queue_unref (self->work);
  g_async_queue_unref (self->free_items);
  g_async_queue_unref (self->free_recos);
  dqm_setup_cache_free (self->setups);
  g_mutex_clear (&self->tracking_lock);
  g_ptr_array_unref (self->pending_snapshots);
  g_clear_pointer (&self->pending_checkpoint, g_bytes_unref);
  dqm_config_unref (self->config);
  g_cond_clear (&self->snapshot_cond);
  g_mutex_clear (&self->room_lock);
  g_cond_clear (&self->room_cond);
  dqm_analysis_free (self->analysis);
  dqm_event_ring_free (self->ring);
  dqm_source_free (self->source);
  dqm_state_unref (self->state);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->state_lock);
  g_free (self->snapshot_dir);
  g_free (self);
}
