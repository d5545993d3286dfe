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

void
dqm_state_problem_cells (const DqmState *state, const char *map, guint *cells)
{
  guint n = 0;

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

void
dqm_state_plot_style (const DqmState *state, const DqmHistogram *h, gboolean log_scale, guint *cells,
                      DqmPlotStyle *style)
{
  dqm_plot_style_init (style);
  style->log_scale = log_scale;
  /* Numbers belong in the cells of detector maps, not in sparse plots. */
  style->show_values = h->nx <= 12 && h->ny > 0 && h->ny <= 6;
  style->show_stats = !g_str_has_prefix (h->name, "spill_") && !h->x_labels;
  if (g_str_has_prefix (h->name, "ecal_vs_hcal"))
    {
      const DqmCandidate *c = (const DqmCandidate *) (gpointer) state->candidates->data;
      guint n = state->candidates->len;

      style->beam_energy_gev = state->run.beam_energy_gev;
      style->box_ecal_max_gev = state->box_ecal_max_gev;
      style->box_hcal_max_gev = state->box_hcal_max_gev;
      /* The spill's plot marks the spill's candidates: the last ones. */
      if (g_str_has_suffix (h->name, "_spill"))
        while (n > 0 && c[0].spill != state->spill)
          {
            c++;
            n--;
          }
      G_STATIC_ASSERT (sizeof (DqmCandidate) % sizeof (double) == 0);
      if (n > 0)
        {
          style->n_markers = n;
          style->marker_x = &c->ecal_gev;
          style->marker_y = &c->hcal_gev;
          style->marker_stride = sizeof (DqmCandidate) / sizeof (double);
        }
    }
  if (g_str_has_prefix (h->name, "ecal_"))
    {
      style->mark_cell = TRUE;
      style->mark_x = state->beam_cell_x;
      style->mark_y = state->beam_cell_y;
    }
  dqm_state_problem_cells (state, h->name, cells);
  style->alarm_cells = cells;
}
