/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmState lifetime and lookups. */
#include "dqm-state.h"

#include "dqm-channel.h"

static void
state_clear (DqmState *state)
{
  g_clear_pointer (&state->histograms, g_ptr_array_unref);
  g_clear_pointer (&state->spills, g_ptr_array_unref);
  g_clear_pointer (&state->alarm_log, g_array_unref);
  g_clear_pointer (&state->candidates, g_array_unref);
  g_clear_pointer (&state->history, g_array_unref);
  g_clear_pointer (&state->reference_results, g_array_unref);
  g_clear_pointer (&state->reference_histograms, g_ptr_array_unref);
  g_free (state->alarms);
}

DqmState *
dqm_state_ref (DqmState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  return g_atomic_rc_box_acquire (state);
}

void
dqm_state_unref (DqmState *state)
{
  if (state)
    g_atomic_rc_box_release_full (state, (GDestroyNotify) state_clear);
}

const DqmHistogram *
dqm_state_find_histogram (const DqmState *state, const char *name)
{
  g_return_val_if_fail (state != NULL, NULL);

  for (guint i = 0; state->histograms && i < state->histograms->len; i++)
    {
      const DqmHistogram *h = state->histograms->pdata[i];

      if (g_str_equal (h->name, name))
        return h;
    }
  return NULL;
}

const DqmAlarm *
dqm_state_find_alarm (const DqmState *state, const char *id)
{
  g_return_val_if_fail (state != NULL, NULL);

  for (guint i = 0; i < state->n_alarms; i++)
    if (g_str_equal (state->alarms[i].id, id))
      return &state->alarms[i];
  return NULL;
}

void
dqm_state_problem_cells (const DqmState *state, const char *map, guint *cells)
{
  guint n = 0;

  g_return_if_fail (state != NULL);

  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmChannelInfo info;

      if (state->channel_problem[slot] == DQM_CHANNEL_FINE
          || !dqm_channel_lookup (dqm_channel_from_slot (slot), &info))
        continue;
      /* HCAL maps put the four modules side by side. */
      if (info.detector == DQM_DETECTOR_ECAL && g_str_has_prefix (map, info.module ? "ecal_main_" : "ecal_ps_"))
        cells[n++] = (info.x + 1) + 100 * (info.y + 1);
      else if (info.detector == DQM_DETECTOR_HCAL && g_str_has_prefix (map, "hcal_"))
        cells[n++] = (3 * info.module + info.x + 1) + 100 * (info.y + 1);
    }
  cells[n] = 0;
}
