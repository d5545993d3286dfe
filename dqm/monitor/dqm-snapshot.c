/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing snapshot directories atomically. */
#define _GNU_SOURCE /* renameat2 */
#include "dqm-snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dqm-channel.h"
#include "dqm-root-json.h"

gboolean
dqm_snapshot_write_file (const char *path, const char *data, gsize length, gpointer unused, GError **error)
{
  int fd;
  gsize done = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot create: %s", path, g_strerror (saved));
      return FALSE;
    }
  while (done < length)
    {
      ssize_t n = write (fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot write: %s", path, g_strerror (saved));
          close (fd);
          return FALSE;
        }
      done += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot write: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* --- summary.json -------------------------------------------------------- */

static void
member_number (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b); /* not measured */
}

static void
member_numbers (JsonBuilder *b, const char *name, const double *values, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_builder_add_double_value (b, values[i]);
    else
      json_builder_add_null_value (b);
  json_builder_end_array (b);
}

static void
member_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
member_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
member_time (JsonBuilder *b, const char *name, gint64 us)
{
  /* GLib 2.74 has no _usec constructor: whole seconds, then the rest. */
  g_autoptr(GDateTime) seconds = us ? g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC) : NULL;
  g_autoptr(GDateTime) t = seconds ? g_date_time_add (seconds, us % G_USEC_PER_SEC) : NULL;
  g_autofree char *text = t ? g_date_time_format_iso8601 (t) : NULL;

  json_builder_set_member_name (b, name);
  if (text)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
counters (JsonBuilder *b, const DqmState *state)
{
  const DqmStreamCounters *c = &state->counters;

  json_builder_set_member_name (b, "counters");
  json_builder_begin_object (b);
  member_int (b, "messages", c->messages);
  member_int (b, "bytes", c->bytes);
  json_builder_set_member_name (b, "by_type");
  json_builder_begin_object (b);
  for (int t = DQM_MSG_EVT; t <= DQM_MSG_HBT; t++)
    member_int (b, dqm_msg_type_topic (t), c->by_type[t]);
  json_builder_end_object (b);
  member_int (b, "bad", c->bad);
  json_builder_set_member_name (b, "bad_by_reason");
  json_builder_begin_object (b);
  for (guint r = 0; r < DQM_STREAM_N_ERRORS; r++)
    member_int (b, dqm_stream_error_name (r), c->bad_by_reason[r]);
  json_builder_end_object (b);
  member_int (b, "dropped_records", c->dropped_records);
  json_builder_set_member_name (b, "dropped_records_by_reason");
  json_builder_begin_object (b);
  for (guint r = 0; r < DQM_N_DROP_REASONS; r++)
    member_int (b, dqm_drop_reason_name (r), c->dropped_by_reason[r]);
  json_builder_end_object (b);
  member_int (b, "lost_events", c->lost_events);
  member_int (b, "stalls", c->stalls);
  member_int (b, "runs_closed_without_eor", c->runs_closed_without_eor);
  member_int (b, "resyncs", c->resyncs);
  member_int (b, "events_processed", state->events_processed);
  member_int (b, "events_dropped", state->events_dropped);
  json_builder_end_object (b);
}

static void
spills (JsonBuilder *b, const DqmState *state)
{
  json_builder_set_member_name (b, "spills");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->spills->len; i++)
    {
      const DqmSpillSummary *s = state->spills->pdata[i];

      json_builder_begin_object (b);
      member_int (b, "spill", s->spill);
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, s->complete);
      member_time (b, "start", s->start_ns / 1000);
      member_time (b, "end", s->end_ns / 1000);
      member_int (b, "events", s->events);
      member_int (b, "events_sent", s->events_sent);
      member_int (b, "beam_counts", s->beam_counts);
      member_int (b, "triggers", s->triggers);
      member_number (b, "trigger_rate_hz", s->trigger_rate_hz);
      member_number (b, "purity", s->purity);
      member_number (b, "hadron_share", s->hadron_share);
      member_numbers (b, "veto_efficiency", s->veto_efficiency, DQM_VETO_COUNTERS);
      member_numbers (b, "veto_noise", s->veto_noise, DQM_VETO_COUNTERS);
      json_builder_set_member_name (b, "cut_flow");
      json_builder_begin_array (b);
      for (guint c = 0; c < DQM_N_CUTS; c++)
        json_builder_add_int_value (b, s->cut_flow[c]);
      json_builder_end_array (b);
      member_int (b, "candidates", s->candidates);
      member_int (b, "bad_messages", s->bad);
      member_int (b, "lost_events", s->lost);
      member_int (b, "dropped_events", s->dropped);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
alarms (JsonBuilder *b, const DqmState *state)
{
  json_builder_set_member_name (b, "alarms");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->n_alarms; i++)
    {
      const DqmAlarm *a = &state->alarms[i];

      json_builder_begin_object (b);
      member_string (b, "id", a->id);
      member_string (b, "title", a->title);
      member_string (b, "state", dqm_alarm_state_name (a->state));
      member_string (b, "latched", dqm_alarm_state_name (a->latched));
      json_builder_set_member_name (b, "unacknowledged");
      json_builder_add_boolean_value (b, a->unacknowledged);
      member_number (b, "value", a->have_value ? a->value : NAN);
      member_number (b, "warning_limit", a->limits.warning);
      member_number (b, "alarm_limit", a->limits.alarm);
      member_string (b, "detail", a->detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "alarm_log");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->alarm_log->len; i++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);

      json_builder_begin_object (b);
      member_time (b, "time", e->time_us);
      member_string (b, "id", e->id);
      member_string (b, "from", dqm_alarm_state_name (e->from));
      member_string (b, "to", dqm_alarm_state_name (e->to));
      member_number (b, "value", e->value);
      member_string (b, "text", e->text);
      if (e->acknowledgement)
        {
          member_string (b, "acknowledged_by", e->who);
          member_string (b, "comment", e->comment);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
candidates (JsonBuilder *b, const DqmState *state)
{
  /* All of the run's candidates are counted; the list holds the newest. */
  member_int (b, "signal_box_candidates_total", state->candidates_total);
  json_builder_set_member_name (b, "signal_box_candidates");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->candidates->len; i++)
    {
      const DqmCandidate *c = &g_array_index (state->candidates, DqmCandidate, i);

      json_builder_begin_object (b);
      member_int (b, "run", c->run);
      member_int (b, "spill", c->spill);
      member_int (b, "event_id", c->event_id);
      member_time (b, "time", c->time_ns / 1000);
      member_number (b, "ecal_gev", c->ecal_gev);
      member_number (b, "hcal_gev", c->hcal_gev);
      member_number (b, "preshower_gev", c->ps_gev);
      member_number (b, "momentum_gev", c->momentum_gev);
      member_number (b, "veto_sum_gev", c->veto_sum_gev);
      member_number (b, "srd_sum_mev", c->srd_sum_mev);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

char *
dqm_snapshot_summary_json (const DqmState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  static const char *const beams[] = { "?", "e-", "e+", "mu-", "pi-" };

  json_builder_begin_object (b);
  member_int (b, "run", state->run.run);
  member_string (b, "beam", beams[state->run.beam <= DQM_BEAM_HADRON ? state->run.beam : 0]);
  member_int (b, "beam_energy_gev", state->run.beam_energy_gev);
  member_string (b, "setup_tag", state->run.tag);
  json_builder_set_member_name (b, "saw_sor");
  json_builder_add_boolean_value (b, state->run.saw_sor);
  member_time (b, "start", state->run.start_ns / 1000);
  member_time (b, "end", state->run.end_ns / 1000);
  json_builder_set_member_name (b, "ended");
  json_builder_add_boolean_value (b, state->run.ended);
  json_builder_set_member_name (b, "ended_by_eor");
  json_builder_add_boolean_value (b, state->run.ended_by_eor);
  /* A monitor restarted mid-run took the run up from its checkpoint. */
  json_builder_set_member_name (b, "resumed");
  json_builder_add_boolean_value (b, state->run.resumed);
  if (state->run.resumed)
    {
      member_int (b, "resumed_after_spill", state->run.resumed_after_spill);
      member_int (b, "events_in_gap", state->run.events_in_gap);
    }
  member_int (b, "events_sent_per_eor", state->run.events_sent);
  member_int (b, "events_after_their_eos", state->run.events_after_eos);
  member_time (b, "snapshot_time", state->made_us);
  member_string (b, "source", state->source);
  member_int (b, "events", state->run.events);
  member_int (b, "n_spills", state->spills->len);
  counters (b, state);
  spills (b, state);
  alarms (b, state);
  candidates (b, state);
  /* Which run the shapes were compared with, and why that one. */
  json_builder_set_member_name (b, "reference");
  if (state->reference_label[0])
    json_builder_add_string_value (b, state->reference_label);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "reference_comparison");
  if (state->reference_results)
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < state->reference_results->len; i++)
        {
          const DqmReferenceResult *r = &g_array_index (state->reference_results, DqmReferenceResult, i);

          json_builder_begin_object (b);
          member_string (b, "histogram", r->name);
          member_number (b, "probability", r->probability);
          json_builder_set_member_name (b, "flagged");
          json_builder_add_boolean_value (b, r->flagged);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* --- pictures ------------------------------------------------------------ */

typedef struct {
  const char *name;
  gboolean log_scale;
} Picture;

static const Picture pictures[] = {
  { "cut_flow", TRUE }, { "cut_flow_spills", TRUE }, { "ecal_vs_hcal", TRUE }, { "ecal_energy", TRUE },
  { "ecal_energy_beam", TRUE }, { "hcal_energy", TRUE }, { "trigger", TRUE },
  { "ps_energy", FALSE }, { "srd_sum", FALSE }, { "veto_sum", TRUE }, { "momentum", TRUE },
  { "shower_chi2", TRUE }, { "time_ecal", FALSE }, { "event_class", TRUE }, { "ecal_main_mean", FALSE },
  { "ecal_ps_mean", FALSE }, { "ecal_main_occupancy", FALSE }, { "hcal_mean", FALSE }, { "mm8_profile", FALSE },
  { "spill_purity", FALSE }, { "spill_trigger_rate", FALSE }, { "spill_events", FALSE },
};


/* Through the writer's seam, or straight to disk. */
static gboolean
write_file (const DqmSnapshotWriter *writer, const char *path, const char *data, gsize length, GError **error)
{
  if (writer->write_file)
    return writer->write_file (path, data, length, writer->user_data, error);
  return dqm_snapshot_write_file (path, data, length, NULL, error);
}

static gboolean
write_picture (const DqmSnapshotWriter *writer,
               const DqmState         *state,
               const Picture          *picture,
               const char             *plots,
               const char             *format,
               GError                **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.%s", plots, picture->name, format);
  g_autoptr(GBytes) bytes = writer->render (state, picture->name, picture->log_scale, format, error);
  gsize length;
  const char *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return write_file (writer, path, data, length, error);
}

static gboolean
write_pictures (const DqmState          *state,
                const char              *dir,
                const DqmSnapshotWriter *writer,
                GError                 **error)
{
  g_autofree char *plots = g_build_filename (dir, "plots", NULL);

  if (g_mkdir (plots, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", plots, g_strerror (saved));
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (pictures); i++)
    if (dqm_state_find_histogram (state, pictures[i].name) != NULL
        && (!write_picture (writer, state, &pictures[i], plots, "png", error)
            || !write_picture (writer, state, &pictures[i], plots, "svg", error)))
      return FALSE;
  return TRUE;
}

/* rename(2) that fails with EEXIST rather than replace: renameat2's
 * RENAME_NOREPLACE, or, where the file system lacks it, a check first (the
 * old race, on such file systems only). */
static gboolean
rename_no_replace (const char *from, const char *to)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno != EINVAL && errno != ENOSYS)
    return FALSE;
  if (g_file_test (to, G_FILE_TEST_EXISTS))
    {
      errno = EEXIST;
      return FALSE;
    }
  return g_rename (from, to) == 0;
}

char *
dqm_snapshot_write (const DqmState *state, const char *dir, const char *label, const DqmSnapshotWriter *writer,
                    GError **error)
{
  static const DqmSnapshotWriter plain = { NULL, NULL, NULL };

  g_return_val_if_fail (state != NULL, NULL);

  if (writer == NULL)
    writer = &plain;

  g_autofree char *name = label ? g_strdup_printf ("run-%06u-%s", state->run.run, label)
                                : g_strdup_printf ("run-%06u", state->run.run);
  g_autofree char *partial = g_strdup_printf ("%s/.%s.partial-XXXXXX", dir, name);
  g_autofree char *histograms = NULL, *summary = NULL, *histograms_path = NULL, *summary_path = NULL;
  g_autofree char *final = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0 || g_mkdtemp (partial) == NULL)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot create the snapshot: %s", dir,
                   g_strerror (saved));
      return NULL;
    }
  /* mkdtemp makes it private; a snapshot is for everyone to read. */
  g_chmod (partial, 0755);
  histograms = dqm_root_json_write (state->histograms);
  summary = dqm_snapshot_summary_json (state);
  histograms_path = g_build_filename (partial, "histograms.json", NULL);
  summary_path = g_build_filename (partial, "summary.json", NULL);
  if (!write_file (writer, histograms_path, histograms, strlen (histograms), error)
      || !write_file (writer, summary_path, summary, strlen (summary), error)
      || (writer->render != NULL && !write_pictures (state, partial, writer, error)))
    {
      remove_tree (partial);
      return NULL;
    }
  /* The first free name: an existing snapshot (or an empty directory, or
   * one another writer renamed there a moment ago) is never replaced. */
  for (guint n = 1;; n++)
    {
      g_free (final);
      final = n == 1 ? g_build_filename (dir, name, NULL) : g_strdup_printf ("%s/%s-%u", dir, name, n);
      if (rename_no_replace (partial, final))
        break;
      if (errno != EEXIST && errno != ENOTEMPTY)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot rename into place: %s",
                       final, g_strerror (saved));
          remove_tree (partial);
          return NULL;
        }
    }
  return g_steal_pointer (&final);
}
