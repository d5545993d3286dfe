/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stream-v1 channel table, slots and names. */
#include <string.h>

#include <glib.h>

#include "dqm-channel.h"
#include "dqm-error.h"

static void
test_table (void)
{
  DqmChannelInfo info;
  guint known = 0;

  for (guint channel = 0; channel < 1000; channel++)
    if (dqm_channel_lookup (channel, &info))
      {
        int slot = dqm_channel_slot (channel);

        g_assert_cmpint (slot, >=, 0);
        g_assert_cmpint (slot, <, DQM_N_CHANNELS);
        g_assert_cmpuint (dqm_channel_from_slot (slot), ==, channel);
        known++;
      }
    else
      g_assert_cmpint (dqm_channel_slot (channel), ==, -1);
  g_assert_cmpuint (known, ==, DQM_N_CHANNELS);

  g_assert_true (dqm_channel_lookup (36 + 6 * 3 + 3, &info));
  g_assert_cmpint (info.detector, ==, DQM_DETECTOR_ECAL);
  g_assert_cmpuint (info.module, ==, 1);
  g_assert_cmpuint (info.x, ==, 3);
  g_assert_cmpuint (info.y, ==, 3);
  g_assert_true (dqm_channel_lookup (100 + 9 * 2 + 3 * 1 + 2, &info));
  g_assert_cmpint (info.detector, ==, DQM_DETECTOR_HCAL);
  g_assert_cmpuint (info.module, ==, 2);
  g_assert_cmpuint (info.x, ==, 2);
  g_assert_cmpuint (info.y, ==, 1);
  g_assert_true (dqm_channel_lookup (205, &info));
  g_assert_cmpint (info.detector, ==, DQM_DETECTOR_VETO);
  g_assert_cmpuint (info.module, ==, 2);
  g_assert_cmpuint (info.pmt, ==, 1);
  g_assert_true (dqm_channel_lookup (302, &info));
  g_assert_cmpint (info.detector, ==, DQM_DETECTOR_SRD);
  g_assert_true (dqm_channel_lookup (404, &info));
  g_assert_cmpint (info.detector, ==, DQM_DETECTOR_BEAM_COUNTER);
  g_assert_cmpuint (info.module, ==, 4);
  g_assert_true (dqm_channel_lookup (411, &info));
  g_assert_cmpint (info.detector, ==, DQM_DETECTOR_UPSTREAM_VETO);
  g_assert_cmpuint (info.module, ==, 1);
  for (guint gap = 72; gap < 100; gap++)
    g_assert_false (dqm_channel_lookup (gap, NULL));
  g_assert_false (dqm_channel_lookup (136, NULL));
  g_assert_false (dqm_channel_lookup (405, NULL));
}

static void
test_names (void)
{
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      guint channel = dqm_channel_from_slot (slot), parsed = G_MAXUINT;
      g_autofree char *name = dqm_channel_name (channel);
      g_autofree char *number = g_strdup_printf ("%u", channel);
      g_autoptr(GError) error = NULL;

      g_assert_true (dqm_channel_parse (name, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (parsed, ==, channel);
      g_assert_true (dqm_channel_parse (number, &parsed, NULL));
      g_assert_cmpuint (parsed, ==, channel);
    }
  g_assert_cmpuint (dqm_channel_ecal (1, 3, 3), ==, 57);
  {
    g_autofree char *name = dqm_channel_name (57);
    g_assert_cmpstr (name, ==, "ecal-main:3,3");
  }
}

static void
test_parse_rejects (void)
{
  const char *bad[] = { "", "99", "412", "ecal-main:6,0", "ecal-main:3", "ecal-main:3,3x", "hcal4:1,1",
                        "veto3:0", "veto0:2", "srd3", "s5", "v2", "ECAL", "-1" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint channel;

      g_assert_false (dqm_channel_parse (bad[i], &channel, &error));
      g_assert_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "is not an NA64 channel"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/channel/table", test_table);
  g_test_add_func ("/channel/names", test_names);
  g_test_add_func ("/channel/parse-rejects", test_parse_rejects);
  return g_test_run ();
}
