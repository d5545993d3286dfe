/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Channel numbers of stream-v1: lookup, names for people, dense slots. */
#include "dqm-channel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dqm-error.h"

typedef struct {
  DqmDetector detector;
  guint first;   /* first channel number of the block */
  guint count;
} ChannelBlock;

/* In stream-v1 order; slots are assigned block after block. */
static const ChannelBlock blocks[] = {
  { DQM_DETECTOR_ECAL, 0, 2 * DQM_ECAL_CELLS },
  { DQM_DETECTOR_HCAL, 100, DQM_HCAL_MODULES * DQM_HCAL_CELLS },
  { DQM_DETECTOR_VETO, 200, DQM_VETO_COUNTERS * DQM_VETO_PMTS },
  { DQM_DETECTOR_SRD, 300, DQM_SRD_MODULES },
  { DQM_DETECTOR_BEAM_COUNTER, 400, DQM_BEAM_COUNTERS },
  { DQM_DETECTOR_UPSTREAM_VETO, 410, DQM_UPSTREAM_VETOES },
};

static const ChannelBlock *
find_block (guint channel, guint *slot_base)
{
  guint base = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      if (channel >= blocks[i].first && channel < blocks[i].first + blocks[i].count)
        {
          if (slot_base)
            *slot_base = base;
          return &blocks[i];
        }
      base += blocks[i].count;
    }
  return NULL;
}

gboolean
dqm_channel_lookup (guint channel, DqmChannelInfo *info)
{
  const ChannelBlock *block = find_block (channel, NULL);
  guint offset;

  if (block == NULL)
    return FALSE;
  if (info == NULL)
    return TRUE;

  memset (info, 0, sizeof *info);
  info->detector = block->detector;
  offset = channel - block->first;
  switch (block->detector)
    {
    case DQM_DETECTOR_ECAL:
      info->module = offset / DQM_ECAL_CELLS;
      info->y = (offset % DQM_ECAL_CELLS) / DQM_ECAL_NX;
      info->x = offset % DQM_ECAL_NX;
      break;
    case DQM_DETECTOR_HCAL:
      info->module = offset / DQM_HCAL_CELLS;
      info->y = (offset % DQM_HCAL_CELLS) / DQM_HCAL_NX;
      info->x = offset % DQM_HCAL_NX;
      break;
    case DQM_DETECTOR_VETO:
      info->module = offset / DQM_VETO_PMTS;
      info->pmt = offset % DQM_VETO_PMTS;
      break;
    case DQM_DETECTOR_SRD:
    case DQM_DETECTOR_BEAM_COUNTER:
    case DQM_DETECTOR_UPSTREAM_VETO:
    case DQM_N_DETECTORS:
    default:
      info->module = offset;
      break;
    }
  return TRUE;
}

int
dqm_channel_slot (guint channel)
{
  guint base;
  const ChannelBlock *block = find_block (channel, &base);

  return block ? (int) (base + channel - block->first) : -1;
}

guint
dqm_channel_from_slot (guint slot)
{
  g_return_val_if_fail (slot < DQM_N_CHANNELS, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      if (slot < blocks[i].count)
        return blocks[i].first + slot;
      slot -= blocks[i].count;
    }
  g_assert_not_reached ();
}

guint
dqm_channel_ecal (guint section, guint x, guint y)
{
  g_return_val_if_fail (section < 2 && x < DQM_ECAL_NX && y < DQM_ECAL_NY, 0);
  return section * DQM_ECAL_CELLS + DQM_ECAL_NX * y + x;
}

guint
dqm_channel_hcal (guint module, guint x, guint y)
{
  g_return_val_if_fail (module < DQM_HCAL_MODULES && x < DQM_HCAL_NX && y < DQM_HCAL_NY, 100);
  return 100 + DQM_HCAL_CELLS * module + DQM_HCAL_NX * y + x;
}

guint
dqm_channel_veto (guint counter, guint pmt)
{
  g_return_val_if_fail (counter < DQM_VETO_COUNTERS && pmt < DQM_VETO_PMTS, 200);
  return 200 + DQM_VETO_PMTS * counter + pmt;
}

guint
dqm_channel_srd (guint module)
{
  g_return_val_if_fail (module < DQM_SRD_MODULES, 300);
  return 300 + module;
}

guint
dqm_channel_beam_counter (guint index)
{
  g_return_val_if_fail (index < DQM_BEAM_COUNTERS, 400);
  return 400 + index;
}

guint
dqm_channel_upstream_veto (guint index)
{
  g_return_val_if_fail (index < DQM_UPSTREAM_VETOES, 410);
  return 410 + index;
}

const char *
dqm_detector_name (DqmDetector detector)
{
  switch (detector)
    {
    case DQM_DETECTOR_ECAL: return "ECAL";
    case DQM_DETECTOR_HCAL: return "HCAL";
    case DQM_DETECTOR_VETO: return "VETO";
    case DQM_DETECTOR_SRD: return "SRD";
    case DQM_DETECTOR_BEAM_COUNTER: return "S";
    case DQM_DETECTOR_UPSTREAM_VETO: return "V";
    case DQM_N_DETECTORS:
    default: return "?";
    }
}

/* Names are the ones the simulator's fault flags and the log messages use:
 * ecal-ps:X,Y  ecal-main:X,Y  hcalM:X,Y  vetoC:P  srdS  sN  vN */
char *
dqm_channel_name (guint channel)
{
  DqmChannelInfo info;

  if (!dqm_channel_lookup (channel, &info))
    return g_strdup_printf ("channel %u", channel);

  switch (info.detector)
    {
    case DQM_DETECTOR_ECAL:
      return g_strdup_printf ("ecal-%s:%u,%u", info.module ? "main" : "ps", info.x, info.y);
    case DQM_DETECTOR_HCAL:
      return g_strdup_printf ("hcal%u:%u,%u", info.module, info.x, info.y);
    case DQM_DETECTOR_VETO:
      return g_strdup_printf ("veto%u:%u", info.module, info.pmt);
    case DQM_DETECTOR_SRD:
      return g_strdup_printf ("srd%u", info.module);
    case DQM_DETECTOR_BEAM_COUNTER:
      return g_strdup_printf ("s%u", info.module);
    case DQM_DETECTOR_UPSTREAM_VETO:
      return g_strdup_printf ("v%u", info.module);
    case DQM_N_DETECTORS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
dqm_channel_parse (const char *text, guint *channel, GError **error)
{
  guint64 number;
  guint a, b, c;
  char tail;

  g_return_val_if_fail (text != NULL && channel != NULL, FALSE);

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &number, NULL))
    {
      if (!dqm_channel_lookup ((guint) number, NULL))
        goto invalid;
      *channel = (guint) number;
      return TRUE;
    }

  if (sscanf (text, "ecal-ps:%u,%u%c", &a, &b, &tail) == 2 && a < DQM_ECAL_NX && b < DQM_ECAL_NY)
    *channel = dqm_channel_ecal (0, a, b);
  else if (sscanf (text, "ecal-main:%u,%u%c", &a, &b, &tail) == 2 && a < DQM_ECAL_NX && b < DQM_ECAL_NY)
    *channel = dqm_channel_ecal (1, a, b);
  else if (sscanf (text, "hcal%u:%u,%u%c", &a, &b, &c, &tail) == 3
           && a < DQM_HCAL_MODULES && b < DQM_HCAL_NX && c < DQM_HCAL_NY)
    *channel = dqm_channel_hcal (a, b, c);
  else if (sscanf (text, "veto%u:%u%c", &a, &b, &tail) == 2 && a < DQM_VETO_COUNTERS && b < DQM_VETO_PMTS)
    *channel = dqm_channel_veto (a, b);
  else if (sscanf (text, "srd%u%c", &a, &tail) == 1 && a < DQM_SRD_MODULES)
    *channel = dqm_channel_srd (a);
  else if (sscanf (text, "s%u%c", &a, &tail) == 1 && a < DQM_BEAM_COUNTERS)
    *channel = dqm_channel_beam_counter (a);
  else if (sscanf (text, "v%u%c", &a, &tail) == 1 && a < DQM_UPSTREAM_VETOES)
    *channel = dqm_channel_upstream_veto (a);
  else
    goto invalid;
  return TRUE;

invalid:
  g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT,
               "“%s” is not an NA64 channel: give a number from the stream-v1 table "
               "or a name such as ecal-main:3,3, ecal-ps:2,3, hcal0:1,1, veto1:0, srd2, s1, v0",
               text);
  return FALSE;
}
