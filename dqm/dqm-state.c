/* DqmState lifetime and lookups. */
#include "dqm-state.h"

static void
state_clear (DqmState *state)
{
  g_clear_pointer (&state->histograms, g_ptr_array_unref);
  g_clear_pointer (&state->spills, g_ptr_array_unref);
  g_clear_pointer (&state->alarm_log, g_array_unref);
  g_clear_pointer (&state->candidates, g_array_unref);
  g_clear_pointer (&state->history, g_array_unref);
  g_clear_pointer (&state->reference_results, g_array_unref);
  g_free (state->alarms);
}

DqmState *
dqm_state_ref (DqmState *state)
{
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
  for (guint i = 0; i < state->n_alarms; i++)
    if (g_str_equal (state->alarms[i].id, id))
      return &state->alarms[i];
  return NULL;
}
