/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state-v1: the tables of each record's keys, the encoder that sends what
 * changed and the mirror that rebuilds a DqmState from it. */
#include "dqm-state-wire.h"

#include <math.h>
#include <string.h>

#include "dqm-reference.h"
#include "dqm-service-error.h"
#include "dqm-wire.h"

#define F  DQM_WIRE_FIELD
#define FA DQM_WIRE_FIELD_AS
#define FE DQM_WIRE_ENUM_FIELD

/* --- the records' keys ------------------------------------------------- */

static const DqmWireField monitor_fields[] = {
  F (DqmState, spill, DQM_WIRE_U32),
  F (DqmState, in_spill, DQM_WIRE_BOOL),
  F (DqmState, source, DQM_WIRE_STRING),
  F (DqmState, reference_label, DQM_WIRE_STRING),
  FE (DqmState, stream_state, DQM_STREAM_STATE_STALLED + 1),
  F (DqmState, connected, DQM_WIRE_BOOL),
  F (DqmState, last_error, DQM_WIRE_STRING),
  F (DqmState, events_processed, DQM_WIRE_U64),
  F (DqmState, events_dropped, DQM_WIRE_U64),
  F (DqmState, event_rate_hz, DQM_WIRE_DOUBLE),
  F (DqmState, made_us, DQM_WIRE_I64),
  F (DqmState, box_ecal_max_gev, DQM_WIRE_DOUBLE),
  F (DqmState, box_hcal_max_gev, DQM_WIRE_DOUBLE),
  F (DqmState, beam_cell_x, DQM_WIRE_U32),
  F (DqmState, beam_cell_y, DQM_WIRE_U32),
  F (DqmState, candidates_total, DQM_WIRE_U64),
  F (DqmState, snapshots_written, DQM_WIRE_U64),
  F (DqmState, snapshots_pending, DQM_WIRE_U32),
  F (DqmState, snapshot_error, DQM_WIRE_STRING),
  F (DqmState, last_snapshot, DQM_WIRE_STRING),
};

static const DqmWireField run_fields[] = {
  F (DqmRunInfo, run, DQM_WIRE_U32),
  F (DqmRunInfo, saw_sor, DQM_WIRE_BOOL),
  FE (DqmRunInfo, beam, DQM_BEAM_HADRON + 1),
  F (DqmRunInfo, beam_energy_gev, DQM_WIRE_U32),
  F (DqmRunInfo, tag, DQM_WIRE_STRING),
  F (DqmRunInfo, start_ns, DQM_WIRE_U64),
  F (DqmRunInfo, end_ns, DQM_WIRE_U64),
  F (DqmRunInfo, ended, DQM_WIRE_BOOL),
  F (DqmRunInfo, ended_by_eor, DQM_WIRE_BOOL),
  F (DqmRunInfo, events_sent, DQM_WIRE_U64),
  F (DqmRunInfo, events_after_eos, DQM_WIRE_U64),
  F (DqmRunInfo, events, DQM_WIRE_U64),
  F (DqmRunInfo, resumed, DQM_WIRE_BOOL),
  F (DqmRunInfo, resumed_after_spill, DQM_WIRE_U32),
  F (DqmRunInfo, events_in_gap, DQM_WIRE_U64),
};

static const DqmWireField counters_fields[] = {
  F (DqmStreamCounters, messages, DQM_WIRE_U64),
  F (DqmStreamCounters, bytes, DQM_WIRE_U64),
  F (DqmStreamCounters, by_type, DQM_WIRE_U64S),
  F (DqmStreamCounters, bad, DQM_WIRE_U64),
  F (DqmStreamCounters, bad_by_reason, DQM_WIRE_U64S),
  F (DqmStreamCounters, dropped_records, DQM_WIRE_U64),
  F (DqmStreamCounters, dropped_by_reason, DQM_WIRE_U64S),
  F (DqmStreamCounters, lost_events, DQM_WIRE_U64),
  F (DqmStreamCounters, stalls, DQM_WIRE_U64),
  F (DqmStreamCounters, runs_closed_without_eor, DQM_WIRE_U64),
  F (DqmStreamCounters, resyncs, DQM_WIRE_U64),
};

static const DqmWireField alarm_fields[] = {
  F (DqmAlarm, id, DQM_WIRE_STRING),
  F (DqmAlarm, title, DQM_WIRE_STRING),
  F (DqmAlarm, unit, DQM_WIRE_STRING),
  F (DqmAlarm, below, DQM_WIRE_BOOL),
  FA (DqmAlarm, limits.warning, "warning_limit", DQM_WIRE_DOUBLE),
  FA (DqmAlarm, limits.alarm, "alarm_limit", DQM_WIRE_DOUBLE),
  FE (DqmAlarm, state, DQM_ALARM_ALARM + 1),
  FE (DqmAlarm, latched, DQM_ALARM_ALARM + 1),
  F (DqmAlarm, unacknowledged, DQM_WIRE_BOOL),
  F (DqmAlarm, have_value, DQM_WIRE_BOOL),
  F (DqmAlarm, value, DQM_WIRE_DOUBLE),
  F (DqmAlarm, detail, DQM_WIRE_STRING),
  F (DqmAlarm, good_streak, DQM_WIRE_U32),
  F (DqmAlarm, n_trend, DQM_WIRE_U32),
  F (DqmAlarm, trend, DQM_WIRE_DOUBLES),
};

static const DqmWireField log_fields[] = {
  F (DqmAlarmLogEntry, time_us, DQM_WIRE_I64),
  F (DqmAlarmLogEntry, id, DQM_WIRE_STRING),
  FE (DqmAlarmLogEntry, from, DQM_ALARM_ALARM + 1),
  FE (DqmAlarmLogEntry, to, DQM_ALARM_ALARM + 1),
  F (DqmAlarmLogEntry, value, DQM_WIRE_DOUBLE),
  F (DqmAlarmLogEntry, text, DQM_WIRE_STRING),
  F (DqmAlarmLogEntry, acknowledgement, DQM_WIRE_BOOL),
  F (DqmAlarmLogEntry, who, DQM_WIRE_STRING),
  F (DqmAlarmLogEntry, comment, DQM_WIRE_STRING),
};

static const DqmWireField spill_fields[] = {
  F (DqmSpillSummary, run, DQM_WIRE_U32),
  F (DqmSpillSummary, spill, DQM_WIRE_U32),
  F (DqmSpillSummary, start_ns, DQM_WIRE_U64),
  F (DqmSpillSummary, end_ns, DQM_WIRE_U64),
  F (DqmSpillSummary, complete, DQM_WIRE_BOOL),
  F (DqmSpillSummary, events, DQM_WIRE_U64),
  F (DqmSpillSummary, random_triggers, DQM_WIRE_U64),
  F (DqmSpillSummary, led_triggers, DQM_WIRE_U64),
  F (DqmSpillSummary, physics_events, DQM_WIRE_U64),
  F (DqmSpillSummary, beam_events, DQM_WIRE_U64),
  F (DqmSpillSummary, beam_pileup, DQM_WIRE_U64),
  F (DqmSpillSummary, out_of_time_gev, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, pileup_share, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, by_class, DQM_WIRE_U64S),
  F (DqmSpillSummary, beam_by_class, DQM_WIRE_U64S),
  F (DqmSpillSummary, cut_flow, DQM_WIRE_U64S),
  F (DqmSpillSummary, candidates, DQM_WIRE_U64),
  F (DqmSpillSummary, beam_counts, DQM_WIRE_U64),
  F (DqmSpillSummary, triggers, DQM_WIRE_U64),
  F (DqmSpillSummary, events_sent, DQM_WIRE_U64),
  F (DqmSpillSummary, trigger_rate_hz, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, purity, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, hadron_share, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, penetrating, DQM_WIRE_U64),
  F (DqmSpillSummary, clean_electrons, DQM_WIRE_U64),
  F (DqmSpillSummary, veto_efficiency, DQM_WIRE_DOUBLES),
  F (DqmSpillSummary, veto_noise, DQM_WIRE_DOUBLES),
  F (DqmSpillSummary, central_cell_events, DQM_WIRE_U64),
  F (DqmSpillSummary, central_cell_gev, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, central_cell_change, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, central_cell_change_error, DQM_WIRE_DOUBLE),
  F (DqmSpillSummary, messages, DQM_WIRE_U64),
  F (DqmSpillSummary, bad, DQM_WIRE_U64),
  F (DqmSpillSummary, lost, DQM_WIRE_U64),
  F (DqmSpillSummary, dropped, DQM_WIRE_U64),
  F (DqmSpillSummary, pedestal_drift_adc, DQM_WIRE_DOUBLE),
};

static const DqmWireField candidate_fields[] = {
  F (DqmCandidate, run, DQM_WIRE_U32),
  F (DqmCandidate, spill, DQM_WIRE_U32),
  F (DqmCandidate, event_id, DQM_WIRE_U64),
  F (DqmCandidate, time_ns, DQM_WIRE_U64),
  F (DqmCandidate, ecal_gev, DQM_WIRE_DOUBLE),
  F (DqmCandidate, hcal_gev, DQM_WIRE_DOUBLE),
  F (DqmCandidate, ps_gev, DQM_WIRE_DOUBLE),
  F (DqmCandidate, momentum_gev, DQM_WIRE_DOUBLE),
  F (DqmCandidate, veto_sum_gev, DQM_WIRE_DOUBLE),
  F (DqmCandidate, srd_sum_mev, DQM_WIRE_DOUBLE),
};

static const DqmWireField history_fields[] = {
  F (DqmHistoryPoint, run, DQM_WIRE_U32),
  F (DqmHistoryPoint, spill, DQM_WIRE_U32),
  F (DqmHistoryPoint, end_ns, DQM_WIRE_U64),
  F (DqmHistoryPoint, events, DQM_WIRE_DOUBLE),
  F (DqmHistoryPoint, trigger_rate_hz, DQM_WIRE_DOUBLE),
  F (DqmHistoryPoint, beam_counts, DQM_WIRE_DOUBLE),
  F (DqmHistoryPoint, triggers, DQM_WIRE_DOUBLE),
  F (DqmHistoryPoint, purity, DQM_WIRE_DOUBLE),
  F (DqmHistoryPoint, hadron_share, DQM_WIRE_DOUBLE),
};

static const DqmWireField reference_fields[] = {
  F (DqmReferenceResult, name, DQM_WIRE_STRING),
  F (DqmReferenceResult, probability, DQM_WIRE_DOUBLE),
  F (DqmReferenceResult, flagged, DQM_WIRE_BOOL),
};

typedef struct {
  const char         *section;
  const DqmWireField *fields;
  guint               n_fields;
} RecordKeys;

#define RECORD(section, table) { section, table, G_N_ELEMENTS (table) }

static const RecordKeys records[] = {
  RECORD ("monitor", monitor_fields),
  RECORD ("run", run_fields),
  RECORD ("counters", counters_fields),
  RECORD ("alarms", alarm_fields),
  RECORD ("alarm_log", log_fields),
  RECORD ("spills", spill_fields),
  RECORD ("candidates", candidate_fields),
  RECORD ("history", history_fields),
  RECORD ("reference", reference_fields),
};

/* Keys written by hand rather than from a table. */
static const char *const other_keys[] = {
  "monitor.event_age_us x",
  "channel_problem ay",
  "histogram_names as",
  "histograms.name s", "histograms.title s", "histograms.nx u", "histograms.xmin d", "histograms.xmax d",
  "histograms.ny u", "histograms.ymin d", "histograms.ymax d", "histograms.x_labels as",
  "histograms.entries d", "histograms.sums ad", "histograms.bins ad",
  "histograms.sparse_index au", "histograms.sparse_value ad", "histograms.changed_index au",
  "histograms.changed_value ad",
  "reference_histograms aa{sv}",
};

GStrv
dqm_state_wire_keys (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint r = 0; r < G_N_ELEMENTS (records); r++)
    for (guint i = 0; i < records[r].n_fields; i++)
      {
        g_autofree char *key = g_strdup_printf ("%s.%s %s", records[r].section, records[r].fields[i].key,
                                                dqm_wire_type_string (records[r].fields[i].type));
        g_strv_builder_add (builder, key);
      }
  for (guint i = 0; i < G_N_ELEMENTS (other_keys); i++)
    g_strv_builder_add (builder, other_keys[i]);
  return g_strv_builder_end (builder);
}

/* --- header ------------------------------------------------------------ */

void
dqm_state_wire_write_header (const DqmStateUpdateHeader *header, guint8 *out)
{
  guint16 version = GUINT16_TO_LE (DQM_STATE_WIRE_VERSION);
  guint32 size = GUINT32_TO_LE (header->payload_size);
  guint64 sequence = GUINT64_TO_LE (header->sequence), base = GUINT64_TO_LE (header->base_sequence);

  memset (out, 0, DQM_STATE_WIRE_HEADER_SIZE);
  memcpy (out, DQM_STATE_WIRE_MAGIC, DQM_STATE_WIRE_MAGIC_LENGTH);
  memcpy (out + 8, &version, 2);
  out[10] = (guint8) header->kind;
  out[11] = 0; /* flags: none defined in version 1 */
  memcpy (out + 12, &size, 4);
  memcpy (out + 16, &sequence, 8);
  memcpy (out + 24, &base, 8);
}

static gboolean
format_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
format_error (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT, format, args));
  va_end (args);
  return FALSE;
}

gboolean
dqm_state_wire_read_header (const guint8 *data, gsize size, DqmStateUpdateHeader *header, GError **error)
{
  guint16 version;
  guint32 payload;
  guint64 sequence, base;

  if (size != DQM_STATE_WIRE_HEADER_SIZE)
    return format_error (error, "a state update header is %u bytes, this one %" G_GSIZE_FORMAT,
                         DQM_STATE_WIRE_HEADER_SIZE, size);
  if (memcmp (data, DQM_STATE_WIRE_MAGIC, DQM_STATE_WIRE_MAGIC_LENGTH) != 0)
    return format_error (error, "not a state-v1 update (no %s magic)", DQM_STATE_WIRE_MAGIC);
  memcpy (&version, data + 8, 2);
  memcpy (&payload, data + 12, 4);
  memcpy (&sequence, data + 16, 8);
  memcpy (&base, data + 24, 8);
  if (GUINT16_FROM_LE (version) != DQM_STATE_WIRE_VERSION)
    return format_error (error, "state format version %u, this display reads %u", GUINT16_FROM_LE (version),
                         DQM_STATE_WIRE_VERSION);
  if (data[10] != DQM_STATE_UPDATE_FULL && data[10] != DQM_STATE_UPDATE_DELTA)
    return format_error (error, "unknown update kind %u", data[10]);
  if (data[11] != 0)
    return format_error (error, "unknown update flags 0x%02x", data[11]);
  header->kind = data[10];
  header->payload_size = GUINT32_FROM_LE (payload);
  header->sequence = GUINT64_FROM_LE (sequence);
  header->base_sequence = GUINT64_FROM_LE (base);
  if (header->payload_size > DQM_STATE_WIRE_MAX_PAYLOAD)
    return format_error (error, "a state update of %u bytes is beyond the %u allowed", header->payload_size,
                         DQM_STATE_WIRE_MAX_PAYLOAD);
  if (header->kind == DQM_STATE_UPDATE_FULL && header->base_sequence != 0)
    return format_error (error, "a full update with a base sequence");
  if (header->kind == DQM_STATE_UPDATE_DELTA && header->base_sequence + 1 != header->sequence)
    return format_error (error, "delta %" G_GUINT64_FORMAT " does not follow %" G_GUINT64_FORMAT, header->sequence,
                         header->base_sequence);
  return TRUE;
}

/* --- records ----------------------------------------------------------- */

static GVariant *
encode_records (const RecordKeys *keys, const void *data, gsize size, guint first, guint n)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = first; i < n; i++)
    g_variant_builder_add_value (&builder, dqm_wire_encode (keys->fields, keys->n_fields,
                                                            (const guint8 *) data + i * size));
  return g_variant_builder_end (&builder);
}

static GVariant *
encode_array (const RecordKeys *keys, const GArray *array, guint first)
{
  return encode_records (keys, array ? array->data : NULL, array ? g_array_get_element_size ((GArray *) array) : 0,
                         first, array ? array->len : 0);
}

static GVariant *
encode_spills (const GPtrArray *spills, guint first)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = first; i < spills->len; i++)
    g_variant_builder_add_value (&builder, dqm_wire_encode (spill_fields, G_N_ELEMENTS (spill_fields),
                                                            spills->pdata[i]));
  return g_variant_new ("(u@aa{sv})", first, g_variant_builder_end (&builder));
}

static GVariant *
encode_monitor (const DqmState *state)
{
  g_autoptr(GVariant) table = g_variant_ref_sink (dqm_wire_encode (monitor_fields, G_N_ELEMENTS (monitor_fields), state));
  GVariantDict dict;
  gint64 age = state->last_event_us ? g_get_monotonic_time () - state->last_event_us : -1;

  g_variant_dict_init (&dict, table);
  /* The monotonic clock is the monitor's own: send an age. */
  g_variant_dict_insert (&dict, "event_age_us", "x", MAX (age, (gint64) -1));
  return g_variant_dict_end (&dict);
}

static void
insert_cells (GVariantDict *dict, const char *index_key, const char *value_key, const guint32 *index,
              const double *value, gsize n)
{
  g_variant_dict_insert_value (dict, index_key, g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, index, n, 4));
  g_variant_dict_insert_value (dict, value_key, g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, value, n, 8));
}

/* @before: the same histogram as last sent, or NULL. */
static GVariant *
encode_histogram (const DqmHistogram *h, const DqmHistogram *before)
{
  GVariantDict dict;
  gsize cells = dqm_histogram_n_cells (h), filled = 0;
  const double sums[] = { h->sumw, h->sumw2, h->sumwx, h->sumwx2, h->sumwy, h->sumwy2, h->sumwxy };

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", h->name);
  g_variant_dict_insert (&dict, "title", "s", h->title);
  g_variant_dict_insert (&dict, "nx", "u", h->nx);
  g_variant_dict_insert (&dict, "xmin", "d", h->xmin);
  g_variant_dict_insert (&dict, "xmax", "d", h->xmax);
  g_variant_dict_insert (&dict, "ny", "u", h->ny);
  g_variant_dict_insert (&dict, "ymin", "d", h->ymin);
  g_variant_dict_insert (&dict, "ymax", "d", h->ymax);
  if (h->x_labels)
    g_variant_dict_insert (&dict, "x_labels", "^as", h->x_labels);
  g_variant_dict_insert (&dict, "entries", "d", h->entries);
  g_variant_dict_insert_value (&dict, "sums", g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, sums,
                                                                          G_N_ELEMENTS (sums), sizeof (double)));
  gsize changed = 0;
  gboolean comparable = before && dqm_histogram_same_binning (before, h);

  for (gsize i = 0; i < cells; i++)
    {
      filled += h->bins[i] != 0;
      changed += comparable && h->bins[i] != before->bins[i];
    }
  /* The fewest bytes of three: the cells changed since the last update (a
   * spectrum moves in a few bins each time), the filled cells (maps and
   * spectra are mostly empty), or every cell. Pairs cost 12 bytes, cells 8. */
  if (comparable && changed * 12 < MIN (filled * 12, cells * 8))
    {
      g_autofree guint32 *index = g_new (guint32, MAX (changed, 1));
      g_autofree double *value = g_new (double, MAX (changed, 1));
      gsize n = 0;

      for (gsize i = 0; i < cells; i++)
        if (h->bins[i] != before->bins[i])
          {
            index[n] = (guint32) i;
            value[n++] = h->bins[i];
          }
      insert_cells (&dict, "changed_index", "changed_value", index, value, n);
    }
  else if (filled * 12 < cells * 8)
    {
      g_autofree guint32 *index = g_new (guint32, MAX (filled, 1));
      g_autofree double *value = g_new (double, MAX (filled, 1));
      gsize n = 0;

      for (gsize i = 0; i < cells; i++)
        if (h->bins[i] != 0)
          {
            index[n] = (guint32) i;
            value[n++] = h->bins[i];
          }
      insert_cells (&dict, "sparse_index", "sparse_value", index, value, n);
    }
  else
    g_variant_dict_insert_value (&dict, "bins", g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, h->bins, cells,
                                                                            sizeof (double)));
  return g_variant_dict_end (&dict);
}

static gboolean
same_histogram (const DqmHistogram *a, const DqmHistogram *b)
{
  if (!dqm_histogram_same_binning (a, b) || a->entries != b->entries || a->sumw != b->sumw
      || a->sumw2 != b->sumw2 || a->sumwx != b->sumwx || !g_str_equal (a->title, b->title)
      || (a->x_labels == NULL) != (b->x_labels == NULL)
      || (a->x_labels && !g_strv_equal ((const char *const *) a->x_labels, (const char *const *) b->x_labels)))
    return FALSE;
  return memcmp (a->bins, b->bins, dqm_histogram_n_cells (a) * sizeof (double)) == 0;
}

/* --- encoder ----------------------------------------------------------- */

enum { SECTION_MONITOR, SECTION_RUN, SECTION_COUNTERS, SECTION_ALARMS, SECTION_CANDIDATES, SECTION_HISTORY,
       SECTION_REFERENCE, SECTION_PROBLEMS, SECTION_NAMES, N_SECTIONS };

static const char *const section_names[N_SECTIONS] = {
  "monitor", "run", "counters", "alarms", "candidates", "history", "reference", "channel_problem",
  "histogram_names",
};

struct _DqmStateEncoder {
  guint64   sequence;
  DqmState *last;
  GVariant *last_sections[N_SECTIONS];
};

DqmStateEncoder *
dqm_state_encoder_new (void)
{
  DqmStateEncoder *encoder = g_new0 (DqmStateEncoder, 1);

  /* Each monitor's life numbers from a random start: a viewer that held a
   * state of the monitor before a restart cannot take a delta of the new
   * one for its successor. */
  encoder->sequence = (guint64) g_random_int () << 16;
  return encoder;
}

void
dqm_state_encoder_free (DqmStateEncoder *encoder)
{
  if (encoder == NULL)
    return;
  dqm_state_unref (encoder->last);
  for (guint i = 0; i < N_SECTIONS; i++)
    g_clear_pointer (&encoder->last_sections[i], g_variant_unref);
  g_free (encoder);
}

static GVariant *
encode_section (const DqmState *state, guint section)
{
  switch (section)
    {
    case SECTION_MONITOR:    return encode_monitor (state);
    case SECTION_RUN:        return dqm_wire_encode (run_fields, G_N_ELEMENTS (run_fields), &state->run);
    case SECTION_COUNTERS:   return dqm_wire_encode (counters_fields, G_N_ELEMENTS (counters_fields), &state->counters);
    case SECTION_ALARMS:     return encode_records (&records[3], state->alarms, sizeof (DqmAlarm), 0, state->n_alarms);
    case SECTION_CANDIDATES: return encode_array (&records[6], state->candidates, 0);
    case SECTION_HISTORY:    return encode_array (&records[7], state->history, 0);
    case SECTION_REFERENCE:
      return g_variant_new ("(b@aa{sv})", state->reference_results != NULL,
                            encode_array (&records[8], state->reference_results, 0));
    case SECTION_PROBLEMS:
      {
        guint8 problems[DQM_N_CHANNELS];

        for (guint i = 0; i < DQM_N_CHANNELS; i++)
          problems[i] = (guint8) state->channel_problem[i];
        return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, problems, DQM_N_CHANNELS, 1);
      }
    case SECTION_NAMES:
      {
        GVariantBuilder builder;

        g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
        for (guint i = 0; i < state->histograms->len; i++)
          g_variant_builder_add (&builder, "s", ((DqmHistogram *) state->histograms->pdata[i])->name);
        return g_variant_builder_end (&builder);
      }
    }
  g_return_val_if_reached (NULL);
}

/* Spills and log lines are only ever appended within a run: send the new
 * ones, or everything when the list was restarted. */
static guint
spills_known (const DqmState *last, const DqmState *state)
{
  if (last == NULL || last->spills->len > state->spills->len)
    return 0;
  for (guint i = 0; i < last->spills->len; i++)
    if (last->spills->pdata[i] != state->spills->pdata[i]
        && memcmp (last->spills->pdata[i], state->spills->pdata[i], sizeof (DqmSpillSummary)) != 0)
      return 0;
  return last->spills->len;
}

static guint
log_known (const DqmState *last, const DqmState *state)
{
  guint n = last ? last->alarm_log->len : 0;

  if (n == 0 || n > state->alarm_log->len
      || memcmp (&g_array_index (last->alarm_log, DqmAlarmLogEntry, n - 1),
                 &g_array_index (state->alarm_log, DqmAlarmLogEntry, n - 1), sizeof (DqmAlarmLogEntry)) != 0)
    return 0;
  return n;
}

/* The 1D spectra a plot overlays its reference on; empty: no reference. */
static GVariant *
encode_reference_histograms (const DqmState *state)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; state->reference_histograms && i < state->reference_histograms->len; i++)
    if (dqm_reference_compares (state->reference_histograms->pdata[i]))
      g_variant_builder_add_value (&builder, encode_histogram (state->reference_histograms->pdata[i], NULL));
  return g_variant_builder_end (&builder);
}

static GVariant *
encode_payload (DqmStateEncoder *self, DqmState *state, gboolean full)
{
  GVariantDict dict;
  GVariantBuilder histograms;
  g_autoptr(GHashTable) last_histograms = g_hash_table_new (g_str_hash, g_str_equal);
  DqmState *last = full ? NULL : self->last;

  g_variant_dict_init (&dict, NULL);
  for (guint s = 0; s < N_SECTIONS; s++)
    {
      GVariant *section = g_variant_ref_sink (encode_section (state, s));

      if (full || self->last_sections[s] == NULL || !g_variant_equal (section, self->last_sections[s]))
        g_variant_dict_insert_value (&dict, section_names[s], section);
      g_clear_pointer (&self->last_sections[s], g_variant_unref);
      self->last_sections[s] = section;
    }
  g_variant_dict_insert_value (&dict, "spills", encode_spills (state->spills, spills_known (last, state)));
  {
    guint first = log_known (last, state);

    g_variant_dict_insert_value (&dict, "alarm_log",
                                 g_variant_new ("(u@aa{sv})", first, encode_array (&records[4], state->alarm_log, first)));
  }
  for (guint i = 0; last && i < last->histograms->len; i++)
    g_hash_table_insert (last_histograms, ((DqmHistogram *) last->histograms->pdata[i])->name, last->histograms->pdata[i]);
  g_variant_builder_init (&histograms, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < state->histograms->len; i++)
    {
      const DqmHistogram *h = state->histograms->pdata[i];
      const DqmHistogram *before = g_hash_table_lookup (last_histograms, h->name);

      if (before == NULL || !same_histogram (before, h))
        g_variant_builder_add_value (&histograms, encode_histogram (h, before));
    }
  g_variant_dict_insert_value (&dict, "histograms", g_variant_builder_end (&histograms));
  /* The reference changes once a run at most: sent then, and in full updates. */
  if (last == NULL || last->reference_histograms != state->reference_histograms)
    g_variant_dict_insert_value (&dict, "reference_histograms", encode_reference_histograms (state));
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static GBytes *
payload_bytes (GVariant *payload, DqmStateUpdateHeader *header)
{
  GBytes *bytes = g_variant_get_data_as_bytes (payload);

  header->payload_size = (guint32) g_bytes_get_size (bytes);
  return bytes;
}

GBytes *
dqm_state_encoder_update (DqmStateEncoder *self, DqmState *state, gboolean full, DqmStateUpdateHeader *header)
{
  g_return_val_if_fail (self != NULL && state != NULL && header != NULL, NULL);

  full = full || self->last == NULL;
  g_autoptr(GVariant) payload = encode_payload (self, state, full);

  header->kind = full ? DQM_STATE_UPDATE_FULL : DQM_STATE_UPDATE_DELTA;
  header->base_sequence = full ? 0 : self->sequence;
  header->sequence = ++self->sequence;
  dqm_state_unref (self->last);
  self->last = dqm_state_ref (state);
  return payload_bytes (payload, header);
}

GBytes *
dqm_state_encoder_full (DqmStateEncoder *self, DqmState *state, DqmStateUpdateHeader *header)
{
  g_return_val_if_fail (self != NULL && state != NULL && header != NULL, NULL);

  /* Encoded whole, and as of the last numbered update: a delta that
   * follows applies on it. Without one yet, it starts the numbering. */
  if (self->last == NULL)
    return dqm_state_encoder_update (self, state, TRUE, header);
  GVariant *saved[N_SECTIONS];
  for (guint s = 0; s < N_SECTIONS; s++)
    saved[s] = self->last_sections[s] ? g_variant_ref (self->last_sections[s]) : NULL;
  g_autoptr(GVariant) payload = encode_payload (self, self->last, TRUE);
  for (guint s = 0; s < N_SECTIONS; s++)
    {
      g_clear_pointer (&self->last_sections[s], g_variant_unref);
      self->last_sections[s] = saved[s];
    }
  header->kind = DQM_STATE_UPDATE_FULL;
  header->base_sequence = 0;
  header->sequence = self->sequence;
  return payload_bytes (payload, header);
}

/* --- mirror ------------------------------------------------------------ */

struct _DqmStateMirror {
  DqmState *state;
  guint64   sequence;
};

DqmStateMirror *
dqm_state_mirror_new (void)
{
  return g_new0 (DqmStateMirror, 1);
}

void
dqm_state_mirror_free (DqmStateMirror *mirror)
{
  if (mirror == NULL)
    return;
  dqm_state_unref (mirror->state);
  g_free (mirror);
}

DqmState *
dqm_state_mirror_get (DqmStateMirror *mirror)
{
  g_return_val_if_fail (mirror != NULL, NULL);
  return mirror->state ? dqm_state_ref (mirror->state) : NULL;
}

guint64
dqm_state_mirror_sequence (DqmStateMirror *mirror)
{
  g_return_val_if_fail (mirror != NULL, 0);
  return mirror->sequence;
}

static void
spill_free (gpointer summary)
{
  g_atomic_rc_box_release (summary);
}

/* A fresh state with the scalars of @base (or zero) and copies of its lists. */
static DqmState *
state_from (const DqmState *base)
{
  DqmState *state = g_atomic_rc_box_new0 (DqmState);

  if (base)
    {
      *state = *base;
      state->alarms = g_memdup2 (base->alarms, base->n_alarms * sizeof (DqmAlarm));
      state->alarm_log = g_array_copy (base->alarm_log);
      state->candidates = g_array_copy (base->candidates);
      state->history = g_array_copy (base->history);
      state->reference_results = base->reference_results ? g_array_copy (base->reference_results) : NULL;
      state->reference_histograms = base->reference_histograms ? g_ptr_array_ref (base->reference_histograms) : NULL;
      state->spills = g_ptr_array_new_full (base->spills->len, spill_free);
      for (guint i = 0; i < base->spills->len; i++)
        g_ptr_array_add (state->spills, g_atomic_rc_box_acquire (base->spills->pdata[i]));
    }
  else
    {
      state->alarm_log = g_array_new (FALSE, TRUE, sizeof (DqmAlarmLogEntry));
      state->candidates = g_array_new (FALSE, TRUE, sizeof (DqmCandidate));
      state->history = g_array_new (FALSE, TRUE, sizeof (DqmHistoryPoint));
      state->spills = g_ptr_array_new_with_free_func (spill_free);
    }
  state->histograms = NULL; /* rebuilt from the names */
  return state;
}

/* Records of @value (aa{sv}) appended to @array of @size-byte structs. */
static gboolean
decode_records (const RecordKeys *keys, GVariant *value, GArray *array, GError **error)
{
  GVariantIter iter;
  GVariant *record;
  guint index = array->len;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{sv}")))
    return format_error (error, "%s is of type %s, not aa{sv}", keys->section, g_variant_get_type_string (value));
  g_variant_iter_init (&iter, value);
  while ((record = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(GVariant) owned = record;
      g_autofree char *what = g_strdup_printf ("%s[%u]", keys->section, index++);
      guint size = g_array_get_element_size (array);

      g_array_set_size (array, array->len + 1);
      if (!dqm_wire_decode (keys->fields, keys->n_fields, record,
                            array->data + (gsize) (array->len - 1) * size, size, what, error))
        return FALSE;
    }
  return TRUE;
}

/* (u aa{sv}): entries from an index on; the ones before are kept. */
static gboolean
decode_appended (const RecordKeys *keys, GVariant *value, guint held, guint *first, GVariant **entries,
                 GError **error)
{
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(uaa{sv})")))
    return format_error (error, "%s is of type %s, not (uaa{sv})", keys->section, g_variant_get_type_string (value));
  g_variant_get (value, "(u@aa{sv})", first, entries);
  if (*first > held)
    {
      g_clear_pointer (entries, g_variant_unref);
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP, "%s continue from %u, %u held", keys->section,
                   *first, held);
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_spills (DqmState *state, GVariant *value, GError **error)
{
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GArray) decoded = g_array_new (FALSE, TRUE, sizeof (DqmSpillSummary));
  guint first;

  if (!decode_appended (&records[5], value, state->spills->len, &first, &entries, error)
      || !decode_records (&records[5], entries, decoded, error))
    return FALSE;
  g_ptr_array_set_size (state->spills, first);
  for (guint i = 0; i < decoded->len; i++)
    {
      DqmSpillSummary *summary = g_atomic_rc_box_new (DqmSpillSummary);

      *summary = g_array_index (decoded, DqmSpillSummary, i);
      g_ptr_array_add (state->spills, summary);
    }
  return TRUE;
}

static gboolean
decode_log (DqmState *state, GVariant *value, GError **error)
{
  g_autoptr(GVariant) entries = NULL;
  guint first;

  if (!decode_appended (&records[4], value, state->alarm_log->len, &first, &entries, error))
    return FALSE;
  g_array_set_size (state->alarm_log, first);
  return decode_records (&records[4], entries, state->alarm_log, error);
}

static gboolean
decode_list (const RecordKeys *keys, GVariant *value, GArray **array, GError **error)
{
  g_array_set_size (*array, 0);
  return decode_records (keys, value, *array, error);
}

static gboolean
decode_alarms (DqmState *state, GVariant *value, GError **error)
{
  g_autoptr(GArray) alarms = g_array_new (FALSE, TRUE, sizeof (DqmAlarm));

  if (!decode_records (&records[3], value, alarms, error))
    return FALSE;
  for (guint i = 0; i < alarms->len; i++)
    if (g_array_index (alarms, DqmAlarm, i).n_trend > DQM_ALARM_TREND)
      return format_error (error, "alarms[%u].n_trend is %u, beyond %u", i, g_array_index (alarms, DqmAlarm, i).n_trend,
                           DQM_ALARM_TREND);
  g_free (state->alarms);
  state->n_alarms = alarms->len;
  state->alarms = (DqmAlarm *) (void *) g_array_free (g_steal_pointer (&alarms), FALSE);
  return TRUE;
}

static gboolean
decode_reference (DqmState *state, GVariant *value, GError **error)
{
  g_autoptr(GVariant) results = NULL;
  gboolean have;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(baa{sv})")))
    return format_error (error, "reference is of type %s, not (baa{sv})", g_variant_get_type_string (value));
  g_variant_get (value, "(b@aa{sv})", &have, &results);
  g_clear_pointer (&state->reference_results, g_array_unref);
  if (!have)
    return TRUE;
  state->reference_results = g_array_new (FALSE, TRUE, sizeof (DqmReferenceResult));
  return decode_records (&records[8], results, state->reference_results, error);
}

static gboolean
decode_problems (DqmState *state, GVariant *value, GError **error)
{
  gsize n = 0;
  const guint8 *problems;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    return format_error (error, "channel_problem is of type %s, not ay", g_variant_get_type_string (value));
  problems = g_variant_get_fixed_array (value, &n, 1);
  for (guint i = 0; i < DQM_N_CHANNELS; i++)
    {
      if (i < n && problems[i] > DQM_CHANNEL_HOT)
        return format_error (error, "channel_problem[%u] is %u, not a problem", i, problems[i]);
      state->channel_problem[i] = i < n ? problems[i] : DQM_CHANNEL_FINE;
    }
  return TRUE;
}

static gboolean
decode_monitor (DqmState *state, GVariant *value, GError **error)
{
  DqmState scalars;
  gint64 age = -1;

  if (!dqm_wire_decode (monitor_fields, G_N_ELEMENTS (monitor_fields), value, &scalars, sizeof scalars, "monitor",
                        error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (monitor_fields); i++)
    memcpy ((guint8 *) state + monitor_fields[i].offset, (guint8 *) &scalars + monitor_fields[i].offset,
            monitor_fields[i].size);
  g_variant_lookup (value, "event_age_us", "x", &age);
  state->last_event_us = age >= 0 ? MAX (g_get_monotonic_time () - age, 1) : 0;
  return TRUE;
}

/* A histogram from the wire, every size checked before anything is allocated. */
#define MAX_BINS_X  100000u
#define MAX_BINS_Y  10000u
#define MAX_CELLS   (4u << 20)

/* Cells @index of @h set to @values; FALSE with @error when one is out of range. */
static gboolean
set_cells (DqmHistogram *h, GVariant *index, GVariant *values, GError **error)
{
  gsize n, n_values, cells = dqm_histogram_n_cells (h);
  const guint32 *i32 = g_variant_get_fixed_array (index, &n, sizeof (guint32));
  const double *v = g_variant_get_fixed_array (values, &n_values, sizeof (double));

  if (n != n_values)
    return format_error (error, "histogram %s: %" G_GSIZE_FORMAT " indices, %" G_GSIZE_FORMAT " values", h->name, n,
                         n_values);
  for (gsize i = 0; i < n; i++)
    {
      if (i32[i] >= cells)
        return format_error (error, "histogram %s: bin %u beyond its %" G_GSIZE_FORMAT, h->name, i32[i], cells);
      h->bins[i32[i]] = v[i];
    }
  return TRUE;
}

/* @held: the state's histogram of that name, which a histogram sent as its
 * changed cells applies on. */
static DqmHistogram *
decode_histogram (GVariant *dict, GHashTable *held, GError **error)
{
  const char *name = NULL, *title = "";
  guint32 nx = 0, ny = 0;
  double xmin = 0, xmax = 0, ymin = 0, ymax = 0, entries = 0;
  g_autoptr(GVariant) sums = NULL, bins = NULL, index = NULL, values = NULL, labels = NULL;
  g_autoptr(GVariant) changed = NULL, changed_values = NULL;
  DqmHistogram *h;
  gsize cells, n;

  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT) || !g_variant_lookup (dict, "name", "&s", &name)
      || !g_variant_lookup (dict, "nx", "u", &nx) || !g_variant_lookup (dict, "xmin", "d", &xmin)
      || !g_variant_lookup (dict, "xmax", "d", &xmax))
    return format_error (error, "a histogram without its name, nx, xmin and xmax"), NULL;
  g_variant_lookup (dict, "title", "&s", &title);
  g_variant_lookup (dict, "ny", "u", &ny);
  g_variant_lookup (dict, "ymin", "d", &ymin);
  g_variant_lookup (dict, "ymax", "d", &ymax);
  g_variant_lookup (dict, "entries", "d", &entries);
  if (!*name || strlen (name) > 200)
    return format_error (error, "a histogram's name is empty or too long"), NULL;
  if (nx == 0 || nx > MAX_BINS_X || ny > MAX_BINS_Y || (gsize) (nx + 2) * (ny ? ny + 2 : 1) > MAX_CELLS
      || !isfinite (xmin) || !isfinite (xmax) || !(xmin < xmax)
      || (ny && (!isfinite (ymin) || !isfinite (ymax) || !(ymin < ymax))))
    return format_error (error, "histogram %s: binning %u × %u over [%g, %g] × [%g, %g] is not one", name, nx, ny,
                         xmin, xmax, ymin, ymax), NULL;
  h = ny ? dqm_histogram_new_2d (name, title, nx, xmin, xmax, ny, ymin, ymax)
         : dqm_histogram_new_1d (name, title, nx, xmin, xmax);
  cells = dqm_histogram_n_cells (h);
  h->entries = entries;
  if ((sums = g_variant_lookup_value (dict, "sums", G_VARIANT_TYPE ("ad"))))
    {
      const double *s = g_variant_get_fixed_array (sums, &n, sizeof (double));
      double *to[] = { &h->sumw, &h->sumw2, &h->sumwx, &h->sumwx2, &h->sumwy, &h->sumwy2, &h->sumwxy };

      for (gsize i = 0; i < MIN (n, G_N_ELEMENTS (to)); i++)
        *to[i] = s[i];
    }
  if ((labels = g_variant_lookup_value (dict, "x_labels", G_VARIANT_TYPE_STRING_ARRAY)))
    {
      g_autofree const char **strv = g_variant_get_strv (labels, &n);

      if (n != nx)
        return dqm_histogram_free (h), format_error (error, "histogram %s: %" G_GSIZE_FORMAT " labels for %u bins",
                                                     name, n, nx), NULL;
      dqm_histogram_set_x_labels (h, strv);
    }
  if ((bins = g_variant_lookup_value (dict, "bins", G_VARIANT_TYPE ("ad"))))
    {
      const double *b = g_variant_get_fixed_array (bins, &n, sizeof (double));

      if (n != cells)
        return dqm_histogram_free (h), format_error (error, "histogram %s: %" G_GSIZE_FORMAT " bins, %" G_GSIZE_FORMAT
                                                     " expected", name, n, cells), NULL;
      memcpy (h->bins, b, cells * sizeof (double));
    }
  else if ((index = g_variant_lookup_value (dict, "sparse_index", G_VARIANT_TYPE ("au")))
           && (values = g_variant_lookup_value (dict, "sparse_value", G_VARIANT_TYPE ("ad"))))
    {
      if (!set_cells (h, index, values, error))
        return dqm_histogram_free (h), NULL;
    }
  else if ((changed = g_variant_lookup_value (dict, "changed_index", G_VARIANT_TYPE ("au")))
           && (changed_values = g_variant_lookup_value (dict, "changed_value", G_VARIANT_TYPE ("ad"))))
    {
      const DqmHistogram *before = held ? g_hash_table_lookup (held, name) : NULL;

      if (before == NULL || !dqm_histogram_same_binning (before, h))
        {
          dqm_histogram_free (h);
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP,
                       "histogram %s came as changes to one not held", name);
          return NULL;
        }
      memcpy (h->bins, before->bins, cells * sizeof (double));
      if (!set_cells (h, changed, changed_values, error))
        return dqm_histogram_free (h), NULL;
    }
  else
    return dqm_histogram_free (h), format_error (error, "histogram %s without bins", name), NULL;
  return h;
}

static gboolean
decode_histograms (DqmState *state, const DqmState *base, GVariant *payload, GError **error)
{
  g_autoptr(GVariant) names = g_variant_lookup_value (payload, "histogram_names", G_VARIANT_TYPE_STRING_ARRAY);
  g_autoptr(GVariant) sent = g_variant_lookup_value (payload, "histograms", NULL);
  g_autoptr(GHashTable) fresh = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) dqm_histogram_free);
  g_autoptr(GHashTable) held = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantIter iter;
  const char *name;

  if (sent && !g_variant_is_of_type (sent, G_VARIANT_TYPE ("aa{sv}")))
    return format_error (error, "histograms is of type %s, not aa{sv}", g_variant_get_type_string (sent));
  for (guint i = 0; base && i < base->histograms->len; i++)
    g_hash_table_insert (held, ((DqmHistogram *) base->histograms->pdata[i])->name, base->histograms->pdata[i]);
  for (guint i = 0; sent && i < g_variant_n_children (sent); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (sent, i);
      DqmHistogram *h = decode_histogram (child, held, error);

      if (h == NULL)
        return FALSE;
      g_hash_table_replace (fresh, h->name, h);
    }
  state->histograms = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
  if (names == NULL)
    {
      /* Unchanged list: the same histograms as before. */
      for (guint i = 0; base && i < base->histograms->len; i++)
        {
          const DqmHistogram *h = base->histograms->pdata[i];
          DqmHistogram *update = g_hash_table_lookup (fresh, h->name);

          g_ptr_array_add (state->histograms, update ? (g_hash_table_steal (fresh, h->name), update)
                                                     : dqm_histogram_copy (h));
        }
      return TRUE;
    }
  g_variant_iter_init (&iter, names);
  while (g_variant_iter_next (&iter, "&s", &name))
    {
      DqmHistogram *update = g_hash_table_lookup (fresh, name);
      const DqmHistogram *before = g_hash_table_lookup (held, name);

      if (g_hash_table_contains (placed, name))
        continue;
      if (update)
        {
          g_hash_table_steal (fresh, name);
          g_ptr_array_add (state->histograms, update);
        }
      else if (before)
        g_ptr_array_add (state->histograms, dqm_histogram_copy (before));
      else
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP, "histogram %s is listed but was never sent",
                       name);
          return FALSE;
        }
      g_hash_table_add (placed, ((DqmHistogram *) state->histograms->pdata[state->histograms->len - 1])->name);
    }
  return TRUE;
}

/* The reference's histograms, whole: an empty list is no reference. */
static gboolean
decode_reference_histograms (DqmState *state, GVariant *value, GError **error)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) histograms = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{sv}")))
    return format_error (error, "reference_histograms is of type %s, not aa{sv}", g_variant_get_type_string (value));
  for (guint i = 0; i < g_variant_n_children (value); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
      DqmHistogram *h = decode_histogram (child, none, error);

      if (h == NULL)
        return FALSE;
      g_ptr_array_add (histograms, h);
    }
  g_clear_pointer (&state->reference_histograms, g_ptr_array_unref);
  state->reference_histograms = histograms->len ? g_steal_pointer (&histograms) : NULL;
  return TRUE;
}

/* The section @key of @payload, replacing *@value; NULL when absent. */
static GVariant *
section (GVariant *payload, const char *key, GVariant **value)
{
  g_clear_pointer (value, g_variant_unref);
  return *value = g_variant_lookup_value (payload, key, NULL);
}

static gboolean
decode_payload (DqmState *state, const DqmState *base, GVariant *payload, GError **error)
{
  g_autoptr(GVariant) v = NULL;

  if ((section (payload, "monitor", &v) && !decode_monitor (state, v, error))
      || (section (payload, "run", &v)
          && !dqm_wire_decode (run_fields, G_N_ELEMENTS (run_fields), v, &state->run, sizeof state->run, "run", error))
      || (section (payload, "counters", &v)
          && !dqm_wire_decode (counters_fields, G_N_ELEMENTS (counters_fields), v, &state->counters,
                               sizeof state->counters, "counters", error))
      || (section (payload, "alarms", &v) && !decode_alarms (state, v, error))
      || (section (payload, "alarm_log", &v) && !decode_log (state, v, error))
      || (section (payload, "spills", &v) && !decode_spills (state, v, error))
      || (section (payload, "candidates", &v) && !decode_list (&records[6], v, &state->candidates, error))
      || (section (payload, "history", &v) && !decode_list (&records[7], v, &state->history, error))
      || (section (payload, "reference", &v) && !decode_reference (state, v, error))
      || (section (payload, "reference_histograms", &v) && !decode_reference_histograms (state, v, error))
      || (section (payload, "channel_problem", &v) && !decode_problems (state, v, error)))
    return FALSE;
  return decode_histograms (state, base, payload, error);
}

gboolean
dqm_state_mirror_apply (DqmStateMirror *self, const DqmStateUpdateHeader *header, GBytes *payload, GError **error)
{
  g_return_val_if_fail (self != NULL && header != NULL && payload != NULL, FALSE);

  gboolean full = header->kind == DQM_STATE_UPDATE_FULL;
  const DqmState *base = full ? NULL : self->state;

  if (g_bytes_get_size (payload) != header->payload_size)
    return format_error (error, "a state update of %" G_GSIZE_FORMAT " bytes, its header says %u",
                         g_bytes_get_size (payload), header->payload_size);
  if (!full && (self->state == NULL || header->base_sequence != self->sequence))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP,
                   "update %" G_GUINT64_FORMAT " follows %" G_GUINT64_FORMAT ", the last one held is %" G_GUINT64_FORMAT,
                   header->sequence, header->base_sequence, self->sequence);
      return FALSE;
    }
  /* Not trusted: GVariant checks every offset as it reads. */
  g_autoptr(GVariant) dict = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, payload, FALSE));
  DqmState *state = state_from (base);

  if (!decode_payload (state, base, dict, error))
    {
      dqm_state_unref (state);
      return FALSE;
    }
  dqm_state_unref (self->state);
  self->state = state;
  self->sequence = header->sequence;
  return TRUE;
}
