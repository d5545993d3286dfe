/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-monitor: the whole DQM chain without a display. Control rooms
 * run it on a server so that no run goes unmonitored: one line per spill,
 * alarm changes as they happen, a snapshot at the end of every run. */
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "dqm-i18n.h"
#include "dqm-pipeline.h"
#include "dqm-plot-na64.h"
#include "dqm-registry-hooks.h"
#include "dqm-server.h"
#include "dqm-web-server.h"
#include "na64dqm-monitor-options.h"

typedef struct {
  gboolean     quiet;
  gboolean     until_eor;
  gint         runs_done;
  DqmRegistry *registry;  /* or NULL */
} Monitor;

static volatile sig_atomic_t stop_requested;

static void
on_signal (int signum)
{
  stop_requested = 1;
}

static void
print_alarms_of (const DqmAlarms *alarms, GString *out)
{
  guint shown = 0;

  for (guint i = 0; i < dqm_alarms_count (alarms); i++)
    {
      const DqmAlarm *a = dqm_alarms_get (alarms, i);

      if (a->state == DQM_ALARM_OK)
        continue;
      g_string_append_printf (out, "%s%s %s", shown++ ? ", " : "", dqm_alarm_state_name (a->state), a->id);
      if (a->detail[0])
        g_string_append_printf (out, " (%s)", a->detail);
    }
  if (shown == 0)
    g_string_append (out, "none");
}

static void
on_spill_done (DqmAnalysis *analysis, const DqmSpillSummary *s, gpointer data)
{
  Monitor *monitor = data;
  g_autoptr(GString) line = g_string_new (NULL);

  if (monitor->registry)
    dqm_registry_hooks_record (monitor->registry, analysis);
  if (monitor->quiet)
    return;
  g_string_append_printf (line, "run %u spill %u: %" G_GUINT64_FORMAT " events", s->run, s->spill, s->events);
  if (s->complete)
    g_string_append_printf (line, " of %" G_GUINT64_FORMAT " sent, %.0f Hz, %" G_GUINT64_FORMAT " on target",
                            s->events_sent, s->trigger_rate_hz, s->beam_counts);
  if (isfinite (s->purity))
    g_string_append_printf (line, ", purity %.3f", s->purity);
  if (isfinite (s->hadron_share))
    g_string_append_printf (line, ", hadrons %.2f%%", 100 * s->hadron_share);
  g_string_append_printf (line, ", candidates %" G_GUINT64_FORMAT "; alarms: ", s->candidates);
  print_alarms_of (dqm_analysis_get_alarms (analysis), line);
  g_print ("%s\n", line->str);
}

static void
on_run_done (DqmAnalysis *analysis, gpointer data)
{
  Monitor *monitor = data;
  g_autoptr(DqmState) state = dqm_analysis_make_state (analysis);
  const DqmStreamCounters *c = &state->counters;
  g_autoptr(GString) alarms = g_string_new (NULL);
  guint latched = 0;

  if (monitor->registry)
    dqm_registry_record (monitor->registry, state);

  for (guint i = 0; i < state->n_alarms; i++)
    if (state->alarms[i].latched != DQM_ALARM_OK)
      g_string_append_printf (alarms, "%s%s %s", latched++ ? ", " : "",
                              dqm_alarm_state_name (state->alarms[i].latched), state->alarms[i].id);
  g_print ("run %u ended%s: %" G_GUINT64_FORMAT " events in %u spills, %" G_GUINT64_FORMAT " signal-box candidates\n"
           "  stream: %" G_GUINT64_FORMAT " messages, bad %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT
           ", dropped %" G_GUINT64_FORMAT ", stalls %" G_GUINT64_FORMAT "\n  alarms raised: %s\n",
           state->run.run, state->run.ended_by_eor ? "" : " (no eor)", state->run.events, state->spills->len,
           state->candidates_total, c->messages, c->bad, c->lost_events, state->events_dropped, c->stalls,
           latched ? alarms->str : "none");
  if (state->run.resumed)
    g_print ("  resumed from a checkpoint after spill %u; %" G_GUINT64_FORMAT " events fell into the gap\n",
             state->run.resumed_after_spill, state->run.events_in_gap);
  for (guint i = 0; i < MIN (state->candidates->len, 10u); i++)
    {
      const DqmCandidate *k = &g_array_index (state->candidates, DqmCandidate, i);

      g_print ("  candidate: run %u spill %u event %" G_GUINT64_FORMAT ", E_ECAL %.1f GeV, E_HCAL %.2f GeV\n",
               k->run, k->spill, k->event_id, k->ecal_gev, k->hcal_gev);
    }
  g_atomic_int_inc (&monitor->runs_done);
}

static void
on_snapshot_done (const char *path, const GError *error, gpointer data)
{
  Monitor *monitor = data;

  if (monitor->registry && path)
    dqm_registry_hooks_snapshot_written (monitor->registry, path);
  if (path)
    g_print ("snapshot written: %s\n", path);
  else
    g_printerr ("na64dqm-monitor: snapshot not written, kept in memory and retried later: %s\n",
                error->message);
}

/* New lines of the alarm log, as they happen. */
static guint
print_new_log (const DqmState *state, guint seen)
{
  for (guint i = seen; i < state->alarm_log->len; i++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (e->time_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (t, "%H:%M:%S");

      g_print ("%s %s %s\n", when, dqm_alarm_state_name (e->to), e->text);
    }
  return state->alarm_log->len;
}

/* A new run, and bad input since the last look: said as they come. */
static void
print_news (const DqmState *state, guint32 *run_seen, guint64 *bad_seen)
{
  static const char *const beams[] = { "?", "e-", "e+", "mu-", "pi-" };

  if (state->run.run && state->run.run != *run_seen)
    {
      *run_seen = state->run.run;
      if (state->run.resumed)
        g_print ("run %u resumed from its checkpoint: spills up to %u kept\n", state->run.run,
                 state->run.resumed_after_spill);
      else if (state->run.saw_sor)
        g_print ("run %u started: %s beam, %u GeV, “%s”\n", state->run.run,
                 beams[state->run.beam <= DQM_BEAM_HADRON ? state->run.beam : 0], state->run.beam_energy_gev,
                 state->run.tag);
      else
        g_print ("run %u joined without its start of run\n", state->run.run);
    }
  if (state->counters.bad > *bad_seen)
    {
      g_printerr ("na64dqm-monitor: %" G_GUINT64_FORMAT " bad message%s (%" G_GUINT64_FORMAT " in all), the last: %s\n",
                  state->counters.bad - *bad_seen, state->counters.bad - *bad_seen == 1 ? "" : "s",
                  state->counters.bad, state->last_error);
      *bad_seen = state->counters.bad;
    }
}

/* At a new run, before its first event: the automatic reference. */
static void
on_run_started (DqmAnalysis *analysis, guint32 run, gpointer data)
{
  Monitor *monitor = data;

  if (monitor->registry)
    dqm_registry_hooks_choose_reference (monitor->registry, analysis, run, "na64dqm-monitor");
}

int
main (int argc, char **argv)
{
  g_auto(DqmMonitorOptions) args = { 0 };
  g_autoptr(GPtrArray) reference = NULL;
  g_autofree char *reference_label = NULL;
  Monitor monitor = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = NULL;
  g_autoptr(DqmPipeline) pipeline = NULL;
  g_autoptr(DqmState) state = NULL;
  DqmServer *server = NULL;
  DqmWebServer *web = NULL;
  const char *endpoint;
  DqmPipelineOptions options;
  DqmSource *source;
  guint log_seen = 0;
  guint32 run_seen = 0;
  guint64 bad_seen = 0;
  gboolean registry_failed = FALSE;
  int exit_status;

  setlocale (LC_ALL, "");
  dqm_i18n_init ();
  if (!dqm_monitor_options_parse (&args, &argc, &argv, &exit_status))
    return exit_status;
  monitor.quiet = args.quiet;
  monitor.until_eor = args.until_eor;
  endpoint = args.endpoint ? args.endpoint : DQM_DEFAULT_ENDPOINT;
  config = dqm_config_load (args.config_path, &error);
  if (config && args.reference_dir && (reference = dqm_reference_load (args.reference_dir, &error)) == NULL)
    g_clear_pointer (&config, dqm_config_unref);
  if (reference)
    reference_label = g_strdup_printf ("%s, set by hand (--reference)", args.reference_dir);
  source = config == NULL ? NULL
           : args.input ? dqm_source_new_file (args.input, &error)
                        : dqm_source_new_zmq (endpoint, args.stall_seconds, &error);
  dqm_pipeline_options_init (&options);
  options.queue_events = args.queue;
  options.snapshot_dir = args.snapshot_dir;
  options.snapshot_writer.render = dqm_plot_render_snapshot;
  options.reference = reference;
  options.reference_label = reference_label;
  options.callbacks = (DqmAnalysisCallbacks) { .spill_done = on_spill_done, .run_done = on_run_done,
                                                .run_started = on_run_started, .data = &monitor };
  options.snapshot_done = on_snapshot_done;
  options.snapshot_data = &monitor;
  if (source == NULL || (pipeline = dqm_pipeline_new (source, config, &options, &error)) == NULL)
    {
      g_printerr ("na64dqm-monitor: %s\n", error->message);
      return EXIT_FAILURE;
    }
  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  if (args.registry || args.snapshot_dir)
    {
      g_autofree char *path = args.registry ? g_strdup (args.registry)
                                            : g_build_filename (args.snapshot_dir, "registry.sqlite", NULL);

      /* Before the analysis starts: its callbacks record into it. */
      monitor.registry = dqm_registry_new (path);
      g_print ("na64dqm-monitor: run registry %s\n", path);
    }
  if (!args.input)
    g_print ("na64dqm-monitor: listening on %s%s%s\n", endpoint,
             args.snapshot_dir ? ", snapshots in " : ", no snapshots (see --snapshot-dir)",
             args.snapshot_dir ? args.snapshot_dir : "");
  dqm_pipeline_start (pipeline);
  if (args.service.serve)
    {
      if (args.elog.dir == NULL && args.snapshot_dir)
        args.elog.dir = g_build_filename (args.snapshot_dir, "elog", NULL);
      if ((server = dqm_serve_start (&args.service, pipeline, args.snapshot_dir, monitor.registry, &args.elog, FALSE,
                                     &error)) == NULL)
        {
          g_printerr ("na64dqm-monitor: %s\n", error->message);
          dqm_pipeline_stop (pipeline, 15);
          dqm_registry_free (monitor.registry, 10); /* what it took, written */
          return EXIT_FAILURE;
        }
      g_print ("na64dqm-monitor: serving displays on %s (monitor key %s)\n", args.service.serve,
               dqm_server_public_key (server));
    }

  if ((web = dqm_web_view_start (&args.web, pipeline, args.snapshot_dir, monitor.registry, "na64dqm-monitor",
                                 &error)) == NULL && error)
    {
      g_printerr ("na64dqm-monitor: %s\n", error->message);
      g_clear_pointer (&server, dqm_server_free);
      dqm_pipeline_stop (pipeline, 15);
      dqm_registry_free (monitor.registry, 10);
      return EXIT_FAILURE;
    }

  /* A served recording stays on view until stopped. */
  while (!stop_requested && !(dqm_pipeline_is_finished (pipeline) && server == NULL && web == NULL)
         && !(monitor.until_eor && g_atomic_int_get (&monitor.runs_done) > 0))
    {
      g_usleep (100000);
      g_clear_pointer (&state, dqm_state_unref);
      state = dqm_pipeline_get_state (pipeline);
      print_news (state, &run_seen, &bad_seen);
      log_seen = print_new_log (state, log_seen);
    }
  /* The run in progress is closed and its snapshot written before we go. */
  g_clear_pointer (&server, dqm_server_free);
  g_clear_pointer (&web, dqm_web_server_free);
  dqm_pipeline_stop (pipeline, 15);
  g_clear_pointer (&state, dqm_state_unref);
  state = dqm_pipeline_get_state (pipeline);
  print_news (state, &run_seen, &bad_seen);
  print_new_log (state, log_seen);
  g_print ("na64dqm-monitor: %s; %" G_GUINT64_FORMAT " events processed, %" G_GUINT64_FORMAT " dropped, %"
           G_GUINT64_FORMAT " snapshots written%s%s\n",
           stop_requested ? "stopped" : "done", state->events_processed, state->events_dropped,
           state->snapshots_written, state->snapshot_error[0] ? "; last snapshot error: " : "", state->snapshot_error);
  if (state->snapshots_pending)
    g_printerr ("na64dqm-monitor: %u snapshot%s could not be written before the exit\n", state->snapshots_pending,
                state->snapshots_pending == 1 ? "" : "s");
  g_clear_pointer (&pipeline, dqm_pipeline_free);
  if (monitor.registry)
    registry_failed = !dqm_registry_hooks_close (g_steal_pointer (&monitor.registry), "na64dqm-monitor");
  if (!dqm_elog_wait (DQM_ELOG_COMMAND_TIMEOUT_S + 10))
    g_printerr ("na64dqm-monitor: an e-log entry was still being finished at the exit\n");
  dqm_zmq_shutdown ();
  return state->snapshot_error[0] || state->snapshots_pending || registry_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
