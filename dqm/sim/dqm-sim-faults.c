/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's fault injection settings, from their command-line form. */
#include "dqm-sim-faults.h"

#include <string.h>

#include "dqm-error.h"

void
dqm_sim_faults_init (DqmSimFaults *faults)
{
  g_return_if_fail (faults != NULL);

  memset (faults, 0, sizeof *faults);
  faults->first_spill = 1;
  faults->hadron_fraction = -1;
  faults->ecal_sag_s = 1.0;
  for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
    faults->veto_efficiency[c] = faults->veto_noise[c] = -1;
}

static gboolean
parse_number (const char  *kind,
              const char  *text,
              double       min,
              double       max,
              double      *out,
              GError     **error)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  if (*text == '\0' || *end != '\0' || value < min || value > max)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT,
                   "--%s: “%s” is not a number within %g…%g", kind, text, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* "WHAT:NUMBER", split at the last ':' since channel names contain one. */
static gboolean
split_value (const char *kind, const char *value, char **what, const char **number, GError **error)
{
  const char *colon = strrchr (value, ':');

  if (colon == NULL || colon == value || colon[1] == '\0')
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT,
                   "--%s: “%s” should look like WHAT:NUMBER", kind, value);
      return FALSE;
    }
  *what = g_strndup (value, colon - value);
  *number = colon + 1;
  return TRUE;
}

static int
parse_slot (const char *kind, const char *text, GError **error)
{
  guint channel;

  if (!dqm_channel_parse (text, &channel, error))
    {
      g_prefix_error (error, "--%s: ", kind);
      return -1;
    }
  return dqm_channel_slot (channel);
}

static int
parse_counter (const char *kind, const char *text, GError **error)
{
  guint64 counter;

  if (!g_ascii_string_to_unsigned (text, 10, 0, DQM_VETO_COUNTERS - 1, &counter, NULL))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT,
                   "--%s: VETO counter “%s” is not 0, 1 or 2", kind, text);
      return -1;
    }
  return (int) counter;
}

gboolean
dqm_sim_faults_parse (DqmSimFaults *faults, const char *kind, const char *value, GError **error)
{
  g_autofree char *what = NULL;
  const char *number;
  double x;
  int index;

  g_return_val_if_fail (faults != NULL, FALSE);

  if (g_str_equal (kind, "dead-channel") || g_str_equal (kind, "hot-channel"))
    {
      if ((index = parse_slot (kind, value, error)) < 0)
        return FALSE;
      if (kind[0] == 'd')
        faults->dead[index] = TRUE;
      else
        faults->hot[index] = TRUE;
      return TRUE;
    }
  if (g_str_equal (kind, "hadron-fraction"))
    return parse_number (kind, value, 0, 1, &faults->hadron_fraction, error);
  if (g_str_equal (kind, "corrupt-fraction"))
    return parse_number (kind, value, 0, 1, &faults->corrupt_fraction, error);
  if (g_str_equal (kind, "trigger-loss"))
    return parse_number (kind, value, 0, 1, &faults->trigger_loss, error);
  if (g_str_equal (kind, "ecal-sag"))
    return parse_number (kind, value, 0, 0.9, &faults->ecal_sag, error);
  if (g_str_equal (kind, "restart"))
    return parse_number (kind, value, 1, G_MAXUINT32, &x, error) && (faults->restart_spill = (guint) x, TRUE);
  if (g_str_equal (kind, "faults-from-spill"))
    return parse_number (kind, value, 1, G_MAXUINT32, &x, error) && (faults->first_spill = (guint) x, TRUE);

  if (!split_value (kind, value, &what, &number, error))
    return FALSE;
  if (g_str_equal (kind, "pedestal-drift"))
    return (index = parse_slot (kind, what, error)) >= 0
           && parse_number (kind, number, -1000, 1000, &faults->pedestal_drift[index], error);
  if (g_str_equal (kind, "gain-drift"))
    return (index = parse_slot (kind, what, error)) >= 0
           && parse_number (kind, number, -0.5, 0.5, &faults->gain_drift[index], error);
  if (g_str_equal (kind, "veto-inefficiency") || g_str_equal (kind, "veto-noise"))
    {
      if ((index = parse_counter (kind, what, error)) < 0 || !parse_number (kind, number, 0, 1, &x, error))
        return FALSE;
      /* Given as the share of particles missed, kept as an efficiency. */
      if (g_str_equal (kind, "veto-inefficiency"))
        faults->veto_efficiency[index] = 1 - x;
      else
        faults->veto_noise[index] = x;
      return TRUE;
    }
  if (g_str_equal (kind, "stall"))
    {
      if (!parse_number (kind, what, 1, G_MAXUINT32, &x, error)
          || !parse_number (kind, number, 0.1, 3600, &faults->stall_s, error))
        return FALSE;
      faults->stall_spill = (guint) x;
      return TRUE;
    }
  g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT, "unknown fault “%s”", kind);
  return FALSE;
}
