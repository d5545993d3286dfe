/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A real-time simulated DAQ in a thread. */
#include "dqm-sim-publisher.h"

#include "dqm-sim-run.h"
#include "dqm-zmq.h"

struct _DqmSimPublisher {
  const DqmSetup *setup;
  DqmSimFaults    faults;
  DqmPublisher   *publisher;
  guint           spills_per_run;
  GThread        *thread;
  gint            stop;
};

static gpointer
publish_runs (gpointer data)
{
  DqmSimPublisher *self = data;

  for (guint32 run = 1; !g_atomic_int_get (&self->stop); run++)
    {
      guint64 start_ns = (guint64) g_get_real_time () * 1000;
      gint64 origin_us = g_get_monotonic_time ();
      g_autoptr(DqmSimRun) sim = dqm_sim_run_new (self->setup, &self->faults, run, self->spills_per_run,
                                                  g_random_int (), start_ns);
      DqmSimMessage message;

      while (!g_atomic_int_get (&self->stop) && dqm_sim_run_next (sim, &message))
        {
          gint64 due = origin_us + (gint64) ((message.time_ns - start_ns) / 1000);

          for (;;)
            {
              /* Read the clock once: MIN would read it twice, and a
               * negative second reading becomes an endless sleep. */
              gint64 left = due - g_get_monotonic_time ();

              if (left <= 0 || g_atomic_int_get (&self->stop))
                break;
              g_usleep (MIN (left, 20000));
            }
          dqm_publisher_send (self->publisher, message.topic, message.body->data, message.body->len, NULL);
        }
    }
  return NULL;
}

DqmSimPublisher *
dqm_sim_publisher_start (const DqmSetup *setup, const DqmSimFaults *faults, const char *endpoint,
                         guint spills_per_run, GError **error)
{
  DqmPublisher *publisher = dqm_publisher_new (endpoint, error);
  DqmSimPublisher *self;

  g_return_val_if_fail (setup != NULL, NULL);

  if (publisher == NULL)
    return NULL;
  self = g_new0 (DqmSimPublisher, 1);
  self->setup = setup;
  if (faults)
    self->faults = *faults;
  else
    dqm_sim_faults_init (&self->faults);
  self->publisher = publisher;
  self->spills_per_run = spills_per_run;
  self->thread = g_thread_new ("dqm-demo-daq", publish_runs, self);
  return self;
}

const char *
dqm_sim_publisher_get_endpoint (DqmSimPublisher *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dqm_publisher_get_endpoint (self->publisher);
}

void
dqm_sim_publisher_stop (DqmSimPublisher *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stop, TRUE);
  g_thread_join (self->thread);
  dqm_publisher_free (self->publisher);
  g_free (self);
}
