/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The status summary. */
#include "dqm-status.h"

#include <math.h>

static void
add_uint (JsonBuilder *b, const char *name, guint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) MIN (value, (guint64) G_MAXINT64));
}

static void
add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b); /* JSON has no NaN: not measured */
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  /* A message cut to its buffer may end inside a character. */
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, valid);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 us)
{
  g_autoptr(GDateTime) t = us ? g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC) : NULL;
  g_autofree char *text = t ? g_date_time_format_iso8601 (t) : NULL;

  json_builder_set_member_name (b, name);
  if (text)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static const char *
beam_name (DqmBeam beam)
{
  static const char *const names[] = { "", "e-", "e+", "mu-", "pi-" };

  return (guint) beam < G_N_ELEMENTS (names) ? names[beam] : "";
}

JsonNode *
dqm_status_to_json (const DqmState *state, const DqmServerCounters *service, const DqmRegistryStatus *registry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const char *const stream_states[] = { "waiting", "running", "idle", "stalled" };

  json_builder_begin_object (b);
  add_time (b, "made", state->made_us);
  add_string (b, "source", state->source);
  add_string (b, "stream", stream_states[MIN ((guint) state->stream_state, 3u)]);
  json_builder_set_member_name (b, "connected");
  json_builder_add_boolean_value (b, state->connected);
  json_builder_set_member_name (b, "run");
  json_builder_begin_object (b);
  add_uint (b, "number", state->run.run);
  add_string (b, "beam", beam_name (state->run.beam));
  add_uint (b, "beam_energy_gev", state->run.beam_energy_gev);
  add_string (b, "tag", state->run.tag);
  add_uint (b, "events", state->run.events);
  add_uint (b, "spills", state->spills ? state->spills->len : 0);
  json_builder_set_member_name (b, "ended");
  json_builder_add_boolean_value (b, state->run.ended);
  json_builder_end_object (b);
  add_string (b, "reference", state->reference_label);
  /* Where the E_ECAL vs E_HCAL plot draws the signal box, for pages that draw it too. */
  json_builder_set_member_name (b, "signal_box");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ecal_max_gev");
  json_builder_add_double_value (b, state->box_ecal_max_gev);
  json_builder_set_member_name (b, "hcal_max_gev");
  json_builder_add_double_value (b, state->box_hcal_max_gev);
  json_builder_end_object (b);
  add_uint (b, "spill", state->spill);
  json_builder_set_member_name (b, "in_spill");
  json_builder_add_boolean_value (b, state->in_spill);
  json_builder_set_member_name (b, "counters");
  json_builder_begin_object (b);
  add_uint (b, "messages", state->counters.messages);
  add_uint (b, "bad", state->counters.bad);
  add_uint (b, "lost_events", state->counters.lost_events);
  add_uint (b, "events_processed", state->events_processed);
  add_uint (b, "events_dropped", state->events_dropped);
  add_double (b, "event_rate_hz", state->event_rate_hz);
  add_uint (b, "candidates", state->candidates_total);
  add_uint (b, "snapshots_written", state->snapshots_written);
  json_builder_end_object (b);
  add_string (b, "last_error", state->last_error);
  json_builder_set_member_name (b, "alarms");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->n_alarms; i++)
    {
      const DqmAlarm *a = &state->alarms[i];

      json_builder_begin_object (b);
      add_string (b, "id", a->id);
      add_string (b, "title", a->title);
      add_string (b, "state", dqm_alarm_state_name (a->state));
      add_string (b, "latched", dqm_alarm_state_name (a->latched));
      json_builder_set_member_name (b, "unacknowledged");
      json_builder_add_boolean_value (b, a->unacknowledged);
      add_double (b, "value", a->have_value ? a->value : NAN);
      add_string (b, "detail", a->detail);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* The newest lines of the alarm log, oldest first. */
  json_builder_set_member_name (b, "alarm_log");
  json_builder_begin_array (b);
  for (guint i = state->alarm_log->len > 30 ? state->alarm_log->len - 30 : 0; i < state->alarm_log->len; i++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);

      json_builder_begin_object (b);
      add_time (b, "time", e->time_us);
      add_string (b, "id", e->id);
      add_string (b, "to", dqm_alarm_state_name (e->to));
      add_string (b, "text", e->text);
      if (e->acknowledgement)
        {
          add_string (b, "acknowledged_by", e->who);
          add_string (b, "comment", e->comment);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (service)
    {
      json_builder_set_member_name (b, "service");
      json_builder_begin_object (b);
      add_uint (b, "sequence", service->sequence);
      add_uint (b, "viewers", service->viewers);
      add_uint (b, "updates", service->updates);
      add_uint (b, "bytes_published", service->bytes_published);
      add_uint (b, "requests", service->requests);
      add_uint (b, "refused", service->refused);
      add_uint (b, "not_allowed", service->not_allowed);
      add_uint (b, "handshakes_denied", service->handshakes_denied);
      json_builder_end_object (b);
    }
  if (registry)
    {
      /* Rows waiting for a locked file or a full disk are not lost, but the
       * shift must know they wait. */
      json_builder_set_member_name (b, "registry");
      json_builder_begin_object (b);
      add_uint (b, "batches_written", registry->batches_written);
      add_uint (b, "pending", registry->pending);
      add_uint (b, "failures", registry->failures);
      add_string (b, "last_error", registry->last_error);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
