/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stream-v1 codec: round trips, every rule of the spec, malformed input. */
#include <string.h>

#include <glib.h>

#include "dqm-stream.h"
#include "test-util.h"

static DqmEvent *storage;

static void
assert_events_equal (const DqmEvent *a, const DqmEvent *b)
{
  g_assert_cmpuint (a->spill, ==, b->spill);
  g_assert_cmpuint (a->event_in_spill, ==, b->event_in_spill);
  g_assert_cmpuint (a->event_id, ==, b->event_id);
  g_assert_cmpuint (a->time_ns, ==, b->time_ns);
  g_assert_cmpuint (a->trigger, ==, b->trigger);
  g_assert_cmpuint (a->n_samples, ==, b->n_samples);
  g_assert_cmpuint (a->n_sadc, ==, b->n_sadc);
  g_assert_cmpuint (a->n_hits, ==, b->n_hits);
  for (guint i = 0; i < a->n_sadc; i++)
    {
      g_assert_cmpuint (a->sadc[i].channel, ==, b->sadc[i].channel);
      g_assert_cmpuint (a->sadc[i].flags, ==, b->sadc[i].flags);
      g_assert_cmpmem (a->sadc[i].samples, a->n_samples * 2, b->sadc[i].samples, b->n_samples * 2);
    }
  g_assert_cmpmem (a->hits, a->n_hits * sizeof (DqmStripHit), b->hits, b->n_hits * sizeof (DqmStripHit));
}

static void
test_roundtrip_event (void)
{
  const guint shapes[][3] = { { 124, 32, 40 }, { 0, 8, 0 }, { 3, 64, 4096 }, { 1, 8, 1 } };

  for (gsize k = 0; k < G_N_ELEMENTS (shapes); k++)
    {
      g_autofree DqmEvent *event = g_new (DqmEvent, 1);
      g_autoptr(GByteArray) body = NULL;
      g_autoptr(GByteArray) again = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      DqmMessage message;

      test_fill_event (event, shapes[k][0], shapes[k][1], shapes[k][2]);
      body = test_encode_event (42, event);
      g_assert_cmpuint (body->len, ==, dqm_stream_event_size (shapes[k][0], shapes[k][1], shapes[k][2]));
      g_assert_true (dqm_stream_decode_message ("evt", 3, body->data, body->len, &message, storage, &error));
      g_assert_no_error (error);
      g_assert_cmpint (message.type, ==, DQM_MSG_EVT);
      g_assert_cmpuint (message.run, ==, 42);
      g_assert_true (message.evt == storage);
      assert_events_equal (event, storage);
      dqm_stream_encode (&message, again);
      g_assert_cmpmem (body->data, body->len, again->data, again->len);
    }
}

static void
roundtrip (DqmMessage *in, DqmMessage *out)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) again = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  const char *topic = dqm_msg_type_topic (in->type);

  dqm_stream_encode (in, body);
  g_assert_cmpuint (body->len, >=, DQM_HEADER_SIZE);
  g_assert_cmpmem (body->data, 4, "N64S", 4);
  g_assert_true (dqm_stream_decode_message (topic, 3, body->data, body->len, out, storage, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out->type, ==, in->type);
  g_assert_cmpuint (out->run, ==, in->run);
  dqm_stream_encode (out, again);
  g_assert_cmpmem (body->data, body->len, again->data, again->len);
}

static void
test_roundtrip_control (void)
{
  DqmMessage in = { 0 }, out;

  in = (DqmMessage) { .type = DQM_MSG_SOR, .run = 7,
                      .sor = { .time_ns = 1, .beam = DQM_BEAM_MUON, .beam_energy_gev = 160 } };
  strcpy (in.sor.tag, "NA64μ M2 — straw test");
  roundtrip (&in, &out);
  g_assert_cmpstr (out.sor.tag, ==, in.sor.tag);
  g_assert_cmpuint (out.sor.beam, ==, DQM_BEAM_MUON);
  g_assert_cmpuint (out.sor.beam_energy_gev, ==, 160);
  g_assert_cmpuint (out.sor.time_ns, ==, 1);

  in.sor.tag[0] = '\0';
  roundtrip (&in, &out);
  g_assert_cmpstr (out.sor.tag, ==, "");

  in = (DqmMessage) { .type = DQM_MSG_EOR, .run = 7, .eor = { .time_ns = G_MAXUINT64, .events_sent = 99 } };
  roundtrip (&in, &out);
  g_assert_cmpuint (out.eor.time_ns, ==, G_MAXUINT64);
  g_assert_cmpuint (out.eor.events_sent, ==, 99);

  in = (DqmMessage) { .type = DQM_MSG_SOS, .run = 7, .sos = { .spill = 12, .time_ns = 5 } };
  roundtrip (&in, &out);
  g_assert_cmpuint (out.sos.spill, ==, 12);
  g_assert_cmpuint (out.sos.time_ns, ==, 5);

  in = (DqmMessage) { .type = DQM_MSG_EOS, .run = 7,
                      .eos = { .spill = 12, .time_ns = 6, .beam_counts = 5000000, .triggers = 15000, .events_sent = 14000 } };
  roundtrip (&in, &out);
  g_assert_cmpuint (out.eos.spill, ==, 12);
  g_assert_cmpuint (out.eos.beam_counts, ==, 5000000);
  g_assert_cmpuint (out.eos.triggers, ==, 15000);
  g_assert_cmpuint (out.eos.events_sent, ==, 14000);

  in = (DqmMessage) { .type = DQM_MSG_HBT, .run = 7, .hbt = { .time_ns = 8, .events_sent = 1234567 } };
  roundtrip (&in, &out);
  g_assert_cmpuint (out.hbt.events_sent, ==, 1234567);
}

/* Encodes a valid message of @type, lets @spoil break it, and expects
 * decoding to fail with @code and a message containing @text. */
static void
expect_rule (DqmMsgType type, void (*spoil) (GByteArray *), DqmStreamError code, const char *text)
{
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  DqmMessage message = { .type = type, .run = 5 };

  test_fill_event (event, 20, 32, 3);
  message.evt = event;
  message.sor.beam = DQM_BEAM_ELECTRON;
  message.sor.beam_energy_gev = 100;
  strcpy (message.sor.tag, "tag");
  if (type == DQM_MSG_SOS)
    message.sos.spill = 1;
  if (type == DQM_MSG_EOS)
    message.eos.spill = 1;
  dqm_stream_encode (&message, body);
  spoil (body);
  g_assert_false (dqm_stream_decode (body->data, body->len, &message, storage, &error));
  g_assert_error (error, DQM_STREAM_ERROR, (int) code);
  if (strstr (error->message, text) == NULL)
    g_error ("error “%s” does not mention “%s”", error->message, text);
}

static void spoil_magic (GByteArray *b) { b->data[3] = 'T'; }
static void spoil_version (GByteArray *b) { test_put_u16 (b, 4, 2); }
static void spoil_type (GByteArray *b) { test_put_u16 (b, 6, 9); }
static void spoil_size_field (GByteArray *b) { test_put_u32 (b, 8, b->len + 4); }
static void spoil_run (GByteArray *b) { test_put_u32 (b, 12, 0); }
static void spoil_short (GByteArray *b) { g_byte_array_set_size (b, 10); }
static void spoil_evt_grow (GByteArray *b)
{
  /* 20 records of 32 samples (68 bytes) and 3 hits, plus 20 stray bytes. */
  g_byte_array_set_size (b, b->len + 20);
  test_put_u32 (b, 8, b->len);
}
static void spoil_evt_n_sadc (GByteArray *b) { test_put_u16 (b, 44, 513); }
static void spoil_evt_few_samples (GByteArray *b) { test_put_u16 (b, 46, 7); }
static void spoil_evt_many_samples (GByteArray *b) { test_put_u16 (b, 46, 65); }
static void spoil_evt_n_hits (GByteArray *b) { test_put_u16 (b, 48, 4097); }
static void spoil_evt_reserved (GByteArray *b) { test_put_u16 (b, 50, 1); }
static void spoil_evt_trigger (GByteArray *b) { test_put_u32 (b, 40, 0x10); }
static void spoil_evt_spill (GByteArray *b) { test_put_u32 (b, 16, 0); }
static void spoil_evt_event_in_spill (GByteArray *b) { test_put_u32 (b, 20, 0); }
static void spoil_evt_fixed (GByteArray *b) { g_byte_array_set_size (b, 40); test_put_u32 (b, 8, 40); }
static void spoil_sor_tag_len (GByteArray *b) { test_put_u16 (b, 28, 256); }
static void spoil_sor_size (GByteArray *b) { test_put_u16 (b, 28, 2); }
static void spoil_sor_reserved (GByteArray *b) { b->data[25] = 1; }
static void spoil_sor_beam (GByteArray *b) { b->data[24] = 5; }
static void spoil_sor_beam_zero (GByteArray *b) { b->data[24] = 0; }
static void spoil_sor_utf8 (GByteArray *b) { b->data[31] = 0xff; }
static void spoil_sor_nul (GByteArray *b) { b->data[31] = 0; }
static void spoil_sor_fixed (GByteArray *b) { g_byte_array_set_size (b, 29); test_put_u32 (b, 8, 29); }
static void spoil_grow_8 (GByteArray *b) { g_byte_array_set_size (b, b->len + 8); test_put_u32 (b, 8, b->len); }
static void spoil_shrink_8 (GByteArray *b) { g_byte_array_set_size (b, b->len - 8); test_put_u32 (b, 8, b->len); }
static void spoil_reserved_20 (GByteArray *b) { test_put_u32 (b, 20, 3); }
static void spoil_spill_zero (GByteArray *b) { test_put_u32 (b, 16, 0); }

static void
test_rules_header (void)
{
  expect_rule (DQM_MSG_EVT, spoil_short, DQM_STREAM_ERROR_SHORT, "shorter than the 16-byte header");
  expect_rule (DQM_MSG_EVT, spoil_magic, DQM_STREAM_ERROR_MAGIC, "N64S");
  expect_rule (DQM_MSG_HBT, spoil_version, DQM_STREAM_ERROR_VERSION, "version 2");
  expect_rule (DQM_MSG_SOS, spoil_type, DQM_STREAM_ERROR_TYPE, "type 9");
  expect_rule (DQM_MSG_EOS, spoil_size_field, DQM_STREAM_ERROR_SIZE, "size field 60 but the body has 56 bytes");
  expect_rule (DQM_MSG_EVT, spoil_run, DQM_STREAM_ERROR_RUN, "run number 0");
}

static void
test_rules_evt (void)
{
  expect_rule (DQM_MSG_EVT, spoil_evt_grow, DQM_STREAM_ERROR_SIZE, "evt: size 1462 does not match 52 + 20×68 + 10×3");
  expect_rule (DQM_MSG_EVT, spoil_evt_fixed, DQM_STREAM_ERROR_SIZE, "below the 52-byte fixed part");
  expect_rule (DQM_MSG_EVT, spoil_evt_n_sadc, DQM_STREAM_ERROR_FIELD, "n_sadc 513");
  expect_rule (DQM_MSG_EVT, spoil_evt_few_samples, DQM_STREAM_ERROR_FIELD, "n_samples 7");
  expect_rule (DQM_MSG_EVT, spoil_evt_many_samples, DQM_STREAM_ERROR_FIELD, "n_samples 65");
  expect_rule (DQM_MSG_EVT, spoil_evt_n_hits, DQM_STREAM_ERROR_FIELD, "n_hits 4097");
  expect_rule (DQM_MSG_EVT, spoil_evt_reserved, DQM_STREAM_ERROR_RESERVED, "offset 50");
  expect_rule (DQM_MSG_EVT, spoil_evt_trigger, DQM_STREAM_ERROR_RESERVED, "trigger 0x10");
  expect_rule (DQM_MSG_EVT, spoil_evt_spill, DQM_STREAM_ERROR_FIELD, "spill 0");
  expect_rule (DQM_MSG_EVT, spoil_evt_event_in_spill, DQM_STREAM_ERROR_FIELD, "event_in_spill 0");
}

static void
test_rules_sor (void)
{
  expect_rule (DQM_MSG_SOR, spoil_sor_tag_len, DQM_STREAM_ERROR_FIELD, "tag_len 256");
  expect_rule (DQM_MSG_SOR, spoil_sor_size, DQM_STREAM_ERROR_SIZE, "does not match 30 + tag_len 2");
  expect_rule (DQM_MSG_SOR, spoil_sor_fixed, DQM_STREAM_ERROR_SIZE, "below the 30-byte fixed part");
  expect_rule (DQM_MSG_SOR, spoil_sor_reserved, DQM_STREAM_ERROR_RESERVED, "offset 25");
  expect_rule (DQM_MSG_SOR, spoil_sor_beam, DQM_STREAM_ERROR_FIELD, "beam 5");
  expect_rule (DQM_MSG_SOR, spoil_sor_beam_zero, DQM_STREAM_ERROR_FIELD, "beam 0");
  expect_rule (DQM_MSG_SOR, spoil_sor_utf8, DQM_STREAM_ERROR_UTF8, "UTF-8");
  expect_rule (DQM_MSG_SOR, spoil_sor_nul, DQM_STREAM_ERROR_UTF8, "UTF-8");
}

static void
test_rules_fixed_sizes (void)
{
  expect_rule (DQM_MSG_EOR, spoil_grow_8, DQM_STREAM_ERROR_SIZE, "eor: size 40 is not the 32 bytes");
  expect_rule (DQM_MSG_HBT, spoil_shrink_8, DQM_STREAM_ERROR_SIZE, "hbt: size 24 is not the 32 bytes");
  expect_rule (DQM_MSG_SOS, spoil_grow_8, DQM_STREAM_ERROR_SIZE, "sos: size 40 is not the 32 bytes");
  expect_rule (DQM_MSG_EOS, spoil_shrink_8, DQM_STREAM_ERROR_SIZE, "eos: size 48 is not the 56 bytes");
  expect_rule (DQM_MSG_SOS, spoil_reserved_20, DQM_STREAM_ERROR_RESERVED, "sos: reserved field at offset 20 is 3");
  expect_rule (DQM_MSG_EOS, spoil_reserved_20, DQM_STREAM_ERROR_RESERVED, "eos: reserved field at offset 20 is 3");
  expect_rule (DQM_MSG_SOS, spoil_spill_zero, DQM_STREAM_ERROR_FIELD, "sos: spill 0");
  expect_rule (DQM_MSG_EOS, spoil_spill_zero, DQM_STREAM_ERROR_FIELD, "eos: spill 0");
}

static void
test_rules_topic (void)
{
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GError) error = NULL;
  DqmMessage message;

  test_fill_event (event, 2, 8, 0);
  body = test_encode_event (1, event);
  g_assert_false (dqm_stream_decode_message ("xyz", 3, body->data, body->len, &message, storage, &error));
  g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_TOPIC);
  g_assert_nonnull (strstr (error->message, "“xyz”"));
  g_clear_error (&error);
  g_assert_false (dqm_stream_decode_message ("evtx", 4, body->data, body->len, &message, storage, &error));
  g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_TOPIC);
  g_clear_error (&error);
  g_assert_false (dqm_stream_decode_message ("eos", 3, body->data, body->len, &message, storage, &error));
  g_assert_error (error, DQM_STREAM_ERROR, DQM_STREAM_ERROR_TOPIC);
  g_assert_cmpstr (error->message, ==, "topic “eos” carries a evt body");
}

/* One broken record or hit drops only itself; the rest of the event stays. */
static void
test_records_dropped (void)
{
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GError) error = NULL;
  DqmMessage message;
  const guint record = DQM_SADC_HEADER_SIZE + 2 * 32;
  const gsize hits = DQM_EVT_FIXED_SIZE + 10 * record;

  test_fill_event (event, 10, 32, 4);
  body = test_encode_event (1, event);
  test_put_u16 (body, DQM_EVT_FIXED_SIZE + 1 * record, 99);            /* unknown channel */
  test_put_u16 (body, DQM_EVT_FIXED_SIZE + 2 * record, event->sadc[0].channel); /* duplicate */
  test_put_u16 (body, DQM_EVT_FIXED_SIZE + 3 * record + 4 + 2 * 31, 4096); /* sample > 4095 */
  test_put_u16 (body, DQM_EVT_FIXED_SIZE + 4 * record + 2, 0x2);       /* flags bit 1 */
  test_put_u16 (body, DQM_EVT_FIXED_SIZE + 5 * record, 412);           /* just past V1 */
  test_put_u16 (body, hits + 0 * 10, 16);                               /* plane 16 */
  test_put_u16 (body, hits + 1 * 10 + 2, 320);                          /* strip 320 */
  test_put_u16 (body, hits + 2 * 10 + 8, 4096);                         /* amplitude */
  g_assert_true (dqm_stream_decode (body->data, body->len, &message, storage, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (storage->n_sadc, ==, 5);
  g_assert_cmpuint (storage->dropped[DQM_DROP_UNKNOWN_CHANNEL], ==, 2);
  g_assert_cmpuint (storage->dropped[DQM_DROP_DUPLICATE_CHANNEL], ==, 1);
  g_assert_cmpuint (storage->dropped[DQM_DROP_SAMPLE_RANGE], ==, 1);
  g_assert_cmpuint (storage->dropped[DQM_DROP_FLAGS], ==, 1);
  g_assert_cmpuint (storage->dropped[DQM_DROP_HIT_RANGE], ==, 3);
  g_assert_cmpuint (storage->n_hits, ==, 1);
  /* The kept records are the untouched ones, in order. */
  g_assert_cmpuint (storage->sadc[0].channel, ==, event->sadc[0].channel);
  for (guint i = 1; i < 5; i++)
    {
      g_assert_cmpuint (storage->sadc[i].channel, ==, event->sadc[5 + i].channel);
      g_assert_cmpmem (storage->sadc[i].samples, 64, event->sadc[5 + i].samples, 64);
    }
  g_assert_cmpuint (storage->hits[0].strip, ==, event->hits[3].strip);

  /* The counts start afresh with each event. */
  g_clear_pointer (&body, g_byte_array_unref);
  body = test_encode_event (1, event);
  g_assert_true (dqm_stream_decode (body->data, body->len, &message, storage, NULL));
  for (guint r = 0; r < DQM_N_DROP_REASONS; r++)
    g_assert_cmpuint (storage->dropped[r], ==, 0);
}

/* Every prefix of a valid event, with its size field left or fixed up. */
static void
test_truncated_everywhere (void)
{
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) body = NULL;
  DqmMessage message;

  test_fill_event (event, 30, 32, 20);
  body = test_encode_event (1, event);
  for (gsize cut = 0; cut < body->len; cut++)
    {
      g_autoptr(GByteArray) copy = g_byte_array_new ();
      g_autoptr(GError) error = NULL;

      g_byte_array_append (copy, body->data, cut);
      g_assert_false (dqm_stream_decode (copy->data, copy->len, &message, storage, &error));
      g_assert_error (error, DQM_STREAM_ERROR, (cut < DQM_HEADER_SIZE ? DQM_STREAM_ERROR_SHORT : DQM_STREAM_ERROR_SIZE));
      g_clear_error (&error);
      if (cut >= 12)
        {
          test_put_u32 (copy, 8, cut);
          g_assert_false (dqm_stream_decode (copy->data, copy->len, &message, storage, &error));
          g_assert_nonnull (error);
        }
    }
}

/* Random bit flips: decoding may accept or refuse, but stays in bounds and,
 * when it refuses, says why with a known code. */
static void
test_bit_flips (void)
{
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  guint refused = 0;
  const guint rounds = 20000;

  test_fill_event (event, 12, 32, 6);
  body = test_encode_event (1, event);
  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GByteArray) copy = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      guint flips = g_rand_int_range (rand, 1, 6);
      DqmMessage message;

      g_byte_array_append (copy, body->data, body->len);
      for (guint f = 0; f < flips; f++)
        copy->data[g_rand_int_range (rand, 0, copy->len)] ^= 1u << g_rand_int_range (rand, 0, 8);
      if (!dqm_stream_decode (copy->data, copy->len, &message, storage, &error))
        {
          g_assert_nonnull (error);
          g_assert_cmpint (error->domain, ==, DQM_STREAM_ERROR);
          g_assert_cmpint (error->code, <, DQM_STREAM_N_ERRORS);
          refused++;
        }
      else
        g_assert_cmpuint (storage->n_sadc, <=, 12);
    }
  /* Most flips hit samples, which a flip may keep in range: many survive. */
  g_assert_cmpuint (refused, >, rounds / 20);
  g_assert_cmpuint (refused, <, rounds);
}

static void
test_topics (void)
{
  for (int t = DQM_MSG_EVT; t <= DQM_MSG_HBT; t++)
    g_assert_cmpint (dqm_msg_type_from_topic (dqm_msg_type_topic (t), 3), ==, t);
  g_assert_cmpint (dqm_msg_type_from_topic ("EVT", 3), ==, 0);
  g_assert_cmpint (dqm_msg_type_from_topic ("ev", 2), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  storage = g_new0 (DqmEvent, 1);
  g_test_add_func ("/stream/roundtrip/evt", test_roundtrip_event);
  g_test_add_func ("/stream/roundtrip/control", test_roundtrip_control);
  g_test_add_func ("/stream/topics", test_topics);
  g_test_add_func ("/stream/rules/header", test_rules_header);
  g_test_add_func ("/stream/rules/evt", test_rules_evt);
  g_test_add_func ("/stream/rules/sor", test_rules_sor);
  g_test_add_func ("/stream/rules/fixed-sizes", test_rules_fixed_sizes);
  g_test_add_func ("/stream/rules/topic", test_rules_topic);
  g_test_add_func ("/stream/records/dropped-alone", test_records_dropped);
  g_test_add_func ("/stream/malformed/truncated-everywhere", test_truncated_everywhere);
  g_test_add_func ("/stream/malformed/bit-flips", test_bit_flips);
  status = g_test_run ();
  g_free (storage);
  return status;
}
