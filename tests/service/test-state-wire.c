/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state-v1: a state survives the feed whole, a delta carries only what
 * changed and rebuilds the same state, a gap is detected, and hostile
 * updates are refused without touching the state held. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-service-error.h"
#include "dqm-state-wire.h"
#include "test-chain.h"

static DqmState *
short_run (void)
{
  static DqmState *state;

  if (state == NULL)
    state = test_short_run_state ();
  return dqm_state_ref (state);
}

static gboolean
same_double (double a, double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static void
assert_same_state (const DqmState *a, const DqmState *b)
{
  g_assert_cmpmem (&a->run, sizeof a->run, &b->run, sizeof b->run);
  g_assert_cmpmem (&a->counters, sizeof a->counters, &b->counters, sizeof b->counters);
  g_assert_cmpuint (a->spill, ==, b->spill);
  g_assert_cmpstr (a->source, ==, b->source);
  g_assert_cmpuint (a->events_processed, ==, b->events_processed);
  g_assert_cmpint (a->made_us, ==, b->made_us);
  g_assert_cmpuint (a->candidates_total, ==, b->candidates_total);
  g_assert_cmpmem (a->channel_problem, sizeof a->channel_problem, b->channel_problem, sizeof b->channel_problem);
  g_assert_cmpuint (a->n_alarms, ==, b->n_alarms);
  for (guint i = 0; i < a->n_alarms; i++)
    {
      g_assert_cmpstr (a->alarms[i].id, ==, b->alarms[i].id);
      g_assert_cmpint (a->alarms[i].state, ==, b->alarms[i].state);
      g_assert_cmpint (a->alarms[i].unacknowledged, ==, b->alarms[i].unacknowledged);
      g_assert_true (same_double (a->alarms[i].value, b->alarms[i].value));
      g_assert_cmpuint (a->alarms[i].n_trend, ==, b->alarms[i].n_trend);
      g_assert_cmpstr (a->alarms[i].detail, ==, b->alarms[i].detail);
    }
  g_assert_cmpuint (a->alarm_log->len, ==, b->alarm_log->len);
  for (guint i = 0; i < a->alarm_log->len; i++)
    g_assert_cmpstr (g_array_index (a->alarm_log, DqmAlarmLogEntry, i).text, ==,
                     g_array_index (b->alarm_log, DqmAlarmLogEntry, i).text);
  g_assert_cmpuint (a->spills->len, ==, b->spills->len);
  for (guint i = 0; i < a->spills->len; i++)
    {
      const DqmSpillSummary *x = a->spills->pdata[i], *y = b->spills->pdata[i];

      g_assert_cmpuint (x->spill, ==, y->spill);
      g_assert_cmpuint (x->events, ==, y->events);
      g_assert_cmpmem (x->cut_flow, sizeof x->cut_flow, y->cut_flow, sizeof y->cut_flow);
      g_assert_true (same_double (x->purity, y->purity));
      g_assert_true (same_double (x->veto_efficiency[2], y->veto_efficiency[2]));
    }
  g_assert_cmpuint (a->candidates->len, ==, b->candidates->len);
  g_assert_cmpuint (a->history->len, ==, b->history->len);
  g_assert_cmpuint (a->histograms->len, ==, b->histograms->len);
  for (guint i = 0; i < a->histograms->len; i++)
    {
      const DqmHistogram *x = a->histograms->pdata[i], *y = b->histograms->pdata[i];

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->title, ==, y->title);
      g_assert_true (dqm_histogram_same_binning (x, y));
      g_assert_cmpfloat (x->entries, ==, y->entries);
      g_assert_cmpfloat (x->sumwx, ==, y->sumwx);
      g_assert_cmpmem (x->bins, dqm_histogram_n_cells (x) * sizeof (double), y->bins,
                       dqm_histogram_n_cells (y) * sizeof (double));
      g_assert_cmpint (x->x_labels != NULL, ==, y->x_labels != NULL);
    }
}

static GBytes *
update (DqmStateEncoder *encoder, DqmState *state, gboolean full, DqmStateUpdateHeader *header)
{
  guint8 raw[DQM_STATE_WIRE_HEADER_SIZE];
  GBytes *payload = dqm_state_encoder_update (encoder, state, full, header);
  g_autoptr(GError) error = NULL;

  /* Through the header's bytes, as a viewer gets it. */
  dqm_state_wire_write_header (header, raw);
  g_assert_true (dqm_state_wire_read_header (raw, sizeof raw, header, &error));
  g_assert_no_error (error);
  return payload;
}

static void
test_full_round_trip (void)
{
  g_autoptr(DqmState) state = short_run ();
  g_autoptr(DqmStateEncoder) encoder = dqm_state_encoder_new ();
  g_autoptr(DqmStateMirror) mirror = dqm_state_mirror_new ();
  g_autoptr(GError) error = NULL;
  DqmStateUpdateHeader header;
  g_autoptr(GBytes) payload = update (encoder, state, FALSE, &header);
  g_autoptr(DqmState) copy = NULL;

  g_assert_null (dqm_state_mirror_get (mirror));
  /* The first update is a full one, even when a delta was asked for. */
  g_assert_cmpint (header.kind, ==, DQM_STATE_UPDATE_FULL);
  g_assert_cmpuint (header.base_sequence, ==, 0);
  g_assert_true (dqm_state_mirror_apply (mirror, &header, payload, &error));
  g_assert_no_error (error);
  copy = dqm_state_mirror_get (mirror);
  g_assert_cmpuint (state->histograms->len, >, 50);
  g_assert_cmpuint (state->spills->len, ==, 2);
  assert_same_state (state, copy);
  g_test_message ("full state: %" G_GSIZE_FORMAT " bytes, %u histograms", g_bytes_get_size (payload),
                  state->histograms->len);
}

/* A state like @base with one histogram changed, a spill and a log line more. */
static DqmState *
changed (DqmState *base, const char *histogram)
{
  g_autoptr(DqmStateEncoder) encoder = dqm_state_encoder_new ();
  g_autoptr(DqmStateMirror) mirror = dqm_state_mirror_new ();
  DqmStateUpdateHeader header;
  g_autoptr(GBytes) payload = dqm_state_encoder_update (encoder, base, TRUE, &header);
  DqmState *state;
  DqmSpillSummary *spill = g_atomic_rc_box_dup (sizeof (DqmSpillSummary), base->spills->pdata[1]);
  DqmAlarmLogEntry entry = { .time_us = 5, .acknowledgement = TRUE };
  DqmHistogram *h;

  g_assert_true (dqm_state_mirror_apply (mirror, &header, payload, NULL));
  state = dqm_state_mirror_get (mirror);
  h = (DqmHistogram *) dqm_state_find_histogram (state, histogram);
  g_assert_nonnull (h);
  dqm_histogram_fill (h, 0.5 * (h->xmin + h->xmax), 1);
  spill->spill = 3;
  g_ptr_array_add (state->spills, spill);
  g_strlcpy (entry.text, "beam purity acknowledged by tester", sizeof entry.text);
  g_array_append_val (state->alarm_log, entry);
  state->made_us += 100000;
  return state;
}

/* The reference's 1D spectra reach a viewer once, stay through deltas
 * that do not send them again, and go when the reference does. */
static void
test_reference_histograms (void)
{
  g_autoptr(DqmState) first = short_run ();
  g_autoptr(DqmState) with = changed (first, "ecal_energy");
  g_autoptr(DqmState) later = changed (with, "ecal_energy");
  g_autoptr(DqmState) without = changed (later, "ecal_energy");
  g_autoptr(DqmStateEncoder) encoder = dqm_state_encoder_new ();
  g_autoptr(DqmStateMirror) mirror = dqm_state_mirror_new ();
  g_autoptr(GPtrArray) reference = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmState) copy = NULL;
  const DqmHistogram *sent;
  DqmStateUpdateHeader header;
  GBytes *payload;

  g_ptr_array_add (reference, dqm_histogram_copy (dqm_state_find_histogram (first, "ecal_energy")));
  g_ptr_array_add (reference, dqm_histogram_copy (dqm_state_find_histogram (first, "ecal_vs_hcal")));
  with->reference_histograms = g_ptr_array_ref (reference);
  later->reference_histograms = g_ptr_array_ref (reference);
  payload = update (encoder, with, FALSE, &header);
  g_assert_true (dqm_state_mirror_apply (mirror, &header, payload, &error));
  g_assert_no_error (error);
  g_bytes_unref (payload);
  copy = dqm_state_mirror_get (mirror);
  g_assert_nonnull (copy->reference_histograms);
  g_assert_cmpuint (copy->reference_histograms->len, ==, 1); /* the 1D spectrum, not the map */
  sent = copy->reference_histograms->pdata[0];
  g_assert_cmpstr (sent->name, ==, "ecal_energy");
  g_assert_cmpmem (sent->bins, dqm_histogram_n_cells (sent) * sizeof (double),
                   ((DqmHistogram *) reference->pdata[0])->bins, dqm_histogram_n_cells (sent) * sizeof (double));
  g_clear_pointer (&copy, dqm_state_unref);
  /* A delta of the same reference does not carry it; the viewer keeps it. */
  payload = update (encoder, later, FALSE, &header);
  g_assert_cmpint (header.kind, ==, DQM_STATE_UPDATE_DELTA);
  {
    g_autoptr(GVariant) dict = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, payload, FALSE));

    g_assert_false (g_variant_lookup (dict, "reference_histograms", "@aa{sv}", NULL));
  }
  g_assert_true (dqm_state_mirror_apply (mirror, &header, payload, &error));
  g_bytes_unref (payload);
  copy = dqm_state_mirror_get (mirror);
  g_assert_nonnull (copy->reference_histograms);
  g_assert_cmpuint (copy->reference_histograms->len, ==, 1);
  g_clear_pointer (&copy, dqm_state_unref);
  /* No reference any more. */
  payload = update (encoder, without, FALSE, &header);
  g_assert_true (dqm_state_mirror_apply (mirror, &header, payload, &error));
  g_bytes_unref (payload);
  copy = dqm_state_mirror_get (mirror);
  g_assert_null (copy->reference_histograms);
}

static void
test_delta_carries_the_change (void)
{
  g_autoptr(DqmState) first = short_run ();
  g_autoptr(DqmState) second = changed (first, "ecal_energy");
  g_autoptr(DqmStateEncoder) encoder = dqm_state_encoder_new ();
  g_autoptr(DqmStateMirror) mirror = dqm_state_mirror_new ();
  g_autoptr(GError) error = NULL;
  DqmStateUpdateHeader header;
  g_autoptr(GBytes) full = update (encoder, first, FALSE, &header);
  g_autoptr(GBytes) delta = NULL;
  g_autoptr(GVariant) dict = NULL, histograms = NULL, spills = NULL;
  g_autoptr(DqmState) copy = NULL;
  guint first_spill;

  g_assert_true (dqm_state_mirror_apply (mirror, &header, full, &error));
  delta = update (encoder, second, FALSE, &header);
  g_assert_cmpint (header.kind, ==, DQM_STATE_UPDATE_DELTA);
  g_assert_cmpuint (header.base_sequence + 1, ==, header.sequence);
  g_assert_cmpuint (header.base_sequence, ==, dqm_state_mirror_sequence (mirror));
  /* One histogram, one spill: a small part of the whole. */
  dict = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, delta, FALSE));
  histograms = g_variant_lookup_value (dict, "histograms", NULL);
  g_assert_cmpuint (g_variant_n_children (histograms), ==, 1);
  {
    /* Sent as the one cell that changed. */
    g_autoptr(GVariant) record = g_variant_get_child_value (histograms, 0);
    g_autoptr(GVariant) cells = g_variant_lookup_value (record, "changed_index", G_VARIANT_TYPE ("au"));

    g_assert_nonnull (cells);
    g_assert_cmpuint (g_variant_n_children (cells), ==, 1);
  }
  spills = g_variant_lookup_value (dict, "spills", NULL);
  g_variant_get_child (spills, 0, "u", &first_spill);
  g_assert_cmpuint (first_spill, ==, 2);
  g_assert_false (g_variant_dict_contains (&(GVariantDict) G_VARIANT_DICT_INIT (dict), "histogram_names"));
  g_assert_cmpuint (g_bytes_get_size (delta) * 10, <, g_bytes_get_size (full));
  g_test_message ("delta %" G_GSIZE_FORMAT " bytes against a full %" G_GSIZE_FORMAT, g_bytes_get_size (delta),
                  g_bytes_get_size (full));
  g_assert_true (dqm_state_mirror_apply (mirror, &header, delta, &error));
  g_assert_no_error (error);
  copy = dqm_state_mirror_get (mirror);
  assert_same_state (second, copy);
  g_assert_cmpuint (dqm_state_mirror_sequence (mirror), ==, header.sequence);
}

static void
test_gap_is_detected (void)
{
  g_autoptr(DqmState) first = short_run ();
  g_autoptr(DqmState) second = changed (first, "ecal_energy");
  g_autoptr(DqmState) third = changed (second, "hcal_energy");
  g_autoptr(DqmStateEncoder) encoder = dqm_state_encoder_new ();
  g_autoptr(DqmStateMirror) mirror = dqm_state_mirror_new ();
  g_autoptr(GError) error = NULL;
  DqmStateUpdateHeader header, missed, late;
  g_autoptr(GBytes) one = update (encoder, first, FALSE, &header);
  g_autoptr(GBytes) two = update (encoder, second, FALSE, &missed);
  g_autoptr(GBytes) three = update (encoder, third, FALSE, &late);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(DqmState) copy = NULL;

  /* A delta before any full state is a gap too. */
  g_assert_false (dqm_state_mirror_apply (mirror, &late, three, &error));
  g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP);
  g_clear_error (&error);
  g_assert_true (dqm_state_mirror_apply (mirror, &header, one, &error));
  /* Update 2 never came. */
  g_assert_false (dqm_state_mirror_apply (mirror, &late, three, &error));
  g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_GAP);
  g_clear_error (&error);
  g_assert_cmpuint (dqm_state_mirror_sequence (mirror), ==, header.sequence);
  /* What a viewer asks for then: the whole state as of the last update,
   * after which the next delta applies again. */
  whole = dqm_state_encoder_full (encoder, third, &header);
  g_assert_cmpint (header.kind, ==, DQM_STATE_UPDATE_FULL);
  g_assert_cmpuint (header.sequence, ==, late.sequence);
  g_assert_true (dqm_state_mirror_apply (mirror, &header, whole, &error));
  g_assert_no_error (error);
  copy = dqm_state_mirror_get (mirror);
  assert_same_state (third, copy);
  {
    g_autoptr(DqmState) fourth = changed (third, "ecal_energy");
    g_autoptr(GBytes) four = update (encoder, fourth, FALSE, &header);
    g_autoptr(DqmState) copy4 = NULL;

    g_assert_true (dqm_state_mirror_apply (mirror, &header, four, &error));
    g_assert_no_error (error);
    copy4 = dqm_state_mirror_get (mirror);
    assert_same_state (fourth, copy4);
  }
}

static void
test_bad_headers_refused (void)
{
  guint8 raw[DQM_STATE_WIRE_HEADER_SIZE];
  DqmStateUpdateHeader header = { DQM_STATE_UPDATE_DELTA, 5, 4, 100 }, read;
  struct { guint offset; guint8 value; const char *says; } poison[] = {
    { 0, 'X', "magic" }, { 8, 2, "version" }, { 10, 9, "kind" }, { 11, 1, "flags" }, { 16, 7, "follow" },
    { 15, 0x7f, "allowed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (poison); i++)
    {
      g_autoptr(GError) error = NULL;

      dqm_state_wire_write_header (&header, raw);
      raw[poison[i].offset] = poison[i].value;
      g_assert_false (dqm_state_wire_read_header (raw, sizeof raw, &read, &error));
      g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, poison[i].says));
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dqm_state_wire_read_header (raw, 31, &read, &error));
    g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT);
  }
}

/* @payload with the value of @key replaced (removed when @value is NULL)
 * in the first record of @section, the only one kept, or at the top when
 * @section is NULL. */
static GBytes *
poisoned (GBytes *payload, const char *section, const char *key, GVariant *value)
{
  g_autoptr(GVariant) dict = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, payload, TRUE));
  GVariantDict top;

  g_variant_dict_init (&top, dict);
  if (section == NULL)
    g_variant_dict_insert_value (&top, key, value);
  else
    {
      g_autoptr(GVariant) records = g_variant_dict_lookup_value (&top, section, NULL);
      g_autoptr(GVariant) list = g_variant_is_of_type (records, G_VARIANT_TYPE ("aa{sv}")) ? g_variant_ref (records)
                                                                                          : g_variant_get_child_value (records, 1);
      g_autoptr(GVariant) record = g_variant_get_child_value (list, 0);
      GVariantDict one;
      GVariantBuilder rebuilt;

      g_variant_dict_init (&one, record);
      if (value)
        g_variant_dict_insert_value (&one, key, value);
      else
        g_variant_dict_remove (&one, key);
      g_variant_builder_init (&rebuilt, G_VARIANT_TYPE ("aa{sv}"));
      g_variant_builder_add_value (&rebuilt, g_variant_dict_end (&one));
      if (g_variant_is_of_type (records, G_VARIANT_TYPE ("aa{sv}")))
        g_variant_dict_insert_value (&top, section, g_variant_builder_end (&rebuilt));
      else
        g_variant_dict_insert_value (&top, section, g_variant_new ("(u@aa{sv})", 0, g_variant_builder_end (&rebuilt)));
    }
  g_autoptr(GVariant) result = g_variant_ref_sink (g_variant_dict_end (&top));
  return g_variant_get_data_as_bytes (result);
}

static void
test_hostile_payloads_refused (void)
{
  g_autoptr(DqmState) state = short_run ();
  g_autoptr(DqmStateEncoder) encoder = dqm_state_encoder_new ();
  g_autoptr(DqmStateMirror) mirror = dqm_state_mirror_new ();
  DqmStateUpdateHeader header;
  g_autoptr(GBytes) good = dqm_state_encoder_update (encoder, state, TRUE, &header);
  struct { const char *section, *key; GVariant *value; const char *says; } poison[] = {
    { "alarms", "n_trend", g_variant_new_uint32 (1000), "n_trend" },
    { "alarms", "state", g_variant_new_uint32 (7), "state is 7" },
    { "alarms", "value", g_variant_new_string ("high"), "alarms[0].value is of type s" },
    { "run", NULL, g_variant_new_string ("run 12"), "run is of type s" },
    { "spills", NULL, g_variant_new_string ("all"), "spills is of type s" },
    { "spills", "veto_efficiency", g_variant_new_string ("x"), "spills[0].veto_efficiency" },
    { "histograms", "nx", g_variant_new_uint32 (0), "binning" },
    { "histograms", "nx", g_variant_new_uint32 (4000000), "binning" },
    { "histograms", "xmax", g_variant_new_double (NAN), "binning" },
    { "histograms", "bins", g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, (double[]) { 1, 2 }, 2, sizeof (double)),
      "expected" },
    { "histograms", "sparse_index", g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, (guint32[]) { 9999999 }, 1, 4),
      "beyond" },
    { NULL, "reference_histograms", g_variant_new_string ("none"), "reference_histograms is of type s" },
    { NULL, "channel_problem", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, (guint8[]) { 9 }, 1, 1), "channel_problem[0]" },
    { "histograms", "x_labels", g_variant_new_strv ((const char *const[]) { "one", "two" }, 2), "labels for" },
    { "histograms", "bins", NULL, "without bins" },
  };
  g_autoptr(DqmState) before = NULL;

  g_assert_true (dqm_state_mirror_apply (mirror, &header, good, NULL));
  before = dqm_state_mirror_get (mirror);
  for (guint i = 0; i < G_N_ELEMENTS (poison); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bad = NULL;
      DqmStateUpdateHeader bad_header = header;
      g_autoptr(DqmState) after = NULL;

      if (g_strcmp0 (poison[i].section, "histograms") == 0 && g_str_equal (poison[i].key, "sparse_index"))
        {
          /* A histogram sent sparse, one value at a bin it does not have. */
          g_autoptr(GBytes) dense = poisoned (good, "histograms", "bins", NULL);
          g_autoptr(GBytes) one = poisoned (dense, "histograms", "sparse_value",
                                            g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, (double[]) { 1 }, 1, 8));

          bad = poisoned (one, "histograms", poison[i].key, poison[i].value);
        }
      else if (poison[i].key == NULL) /* the section itself */
        bad = poisoned (good, NULL, poison[i].section, poison[i].value);
      else
        bad = poisoned (good, poison[i].section, poison[i].key, poison[i].value);
      bad_header.sequence = header.sequence + 1 + i;
      bad_header.payload_size = g_bytes_get_size (bad);
      g_assert_false (dqm_state_mirror_apply (mirror, &bad_header, bad, &error));
      g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, poison[i].says));
      after = dqm_state_mirror_get (mirror);
      g_assert_true (after == before);
    }
  /* Bytes that are no GVariant at all, and a payload shorter than its header says. */
  {
    g_autoptr(GError) error = NULL;
    guint8 noise[4096];
    g_autoptr(GBytes) random = NULL;
    DqmStateUpdateHeader noise_header = { DQM_STATE_UPDATE_FULL, 99, 0, sizeof noise };

    for (guint i = 0; i < sizeof noise; i++)
      noise[i] = (guint8) g_test_rand_int ();
    random = g_bytes_new (noise, sizeof noise);
    /* GVariant reads garbage as an empty or partial dictionary: a full
     * state of nothing, never a crash. */
    if (dqm_state_mirror_apply (mirror, &noise_header, random, &error))
      {
        g_autoptr(DqmState) empty = dqm_state_mirror_get (mirror);
        g_assert_cmpuint (empty->histograms->len, ==, 0);
      }
    g_clear_error (&error);
    noise_header.payload_size = sizeof noise + 1;
    g_assert_false (dqm_state_mirror_apply (mirror, &noise_header, random, &error));
    g_assert_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT);
  }
}

/* Every key the code writes is in docs/state-v1.md, with its type, in the
 * table of its section (top-level sections in the "payload" table). */
static void
test_documented (void)
{
  g_auto(GStrv) keys = dqm_state_wire_keys ();
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (STATE_DOC, &doc, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; keys[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys[i], " ", 2);
      char *dot = strchr (parts[0], '.');
      g_autofree char *section = dot ? g_strndup (parts[0], dot - parts[0]) : g_strdup ("payload");
      g_autofree char *heading = g_strdup_printf ("\n### `%s`\n", section);
      g_autofree char *row = g_strdup_printf ("\n| `%s` | `%s` |", dot ? dot + 1 : parts[0], parts[1]);
      const char *start = strstr (doc, heading), *end;
      g_autofree char *table = NULL;

      if (start == NULL)
        g_error ("docs/state-v1.md has no section %s", heading);
      end = strstr (start + strlen (heading), "\n#");
      table = end ? g_strndup (start, end - start) : g_strdup (start);
      if (strstr (table, row) == NULL)
        g_error ("docs/state-v1.md's %s table lacks the row%s", section, row);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/state-wire/full-round-trip", test_full_round_trip);
  g_test_add_func ("/state-wire/delta-carries-the-change", test_delta_carries_the_change);
  g_test_add_func ("/state-wire/gap-is-detected", test_gap_is_detected);
  g_test_add_func ("/state-wire/bad-headers-refused", test_bad_headers_refused);
  g_test_add_func ("/state-wire/hostile-payloads-refused", test_hostile_payloads_refused);
  g_test_add_func ("/state-wire/reference-histograms", test_reference_histograms);
  g_test_add_func ("/state-wire/documented", test_documented);
  return g_test_run ();
}
