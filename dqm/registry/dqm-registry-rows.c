/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rows from the state; the verdict. */
#include "dqm-registry-rows.h"

#include <math.h>
#include <string.h>

void
dqm_registry_time (gint64 us, gboolean fraction, char out[DQM_REGISTRY_TIME])
{
  g_autoptr(GDateTime) t = us > 0 ? g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC) : NULL;
  g_autofree char *seconds = t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%S") : NULL;

  if (seconds == NULL)
    out[0] = '\0';
  else if (fraction)
    g_snprintf (out, DQM_REGISTRY_TIME, "%s.%06dZ", seconds, (int) (us % G_USEC_PER_SEC));
  else
    g_snprintf (out, DQM_REGISTRY_TIME, "%sZ", seconds);
}

void
dqm_registry_run_of (const DqmState *state, DqmRegistryRun *run)
{
  static const char *const beams[] = { "?", "e-", "e+", "mu-", "pi-" };
  const DqmRunInfo *r = &state->run;

  memset (run, 0, sizeof *run);
  run->run = r->run;
  g_strlcpy (run->beam, beams[r->beam <= DQM_BEAM_HADRON ? r->beam : 0], sizeof run->beam);
  run->beam_energy_gev = r->beam_energy_gev;
  g_strlcpy (run->setup_tag, r->tag, sizeof run->setup_tag);
  dqm_registry_time (r->start_ns / 1000, FALSE, run->start_time);
  if (r->ended)
    dqm_registry_time (r->end_ns / 1000, FALSE, run->end_time);
  run->events = r->events;
  run->candidates = state->candidates_total;
}

void
dqm_registry_spill_of (const DqmSpillSummary *s, DqmRegistrySpill *spill)
{
  memset (spill, 0, sizeof *spill);
  spill->run = s->run;
  spill->spill = s->spill;
  dqm_registry_time (s->start_ns / 1000, FALSE, spill->time);
  spill->complete = s->complete;
  spill->beam_counts = s->beam_counts;
  spill->triggers = s->triggers;
  spill->events = s->events;
  spill->physics_events = s->physics_events;
  spill->dropped = s->dropped;
  spill->bad = s->bad;
  spill->lost = s->lost;
  spill->purity = s->purity;
  spill->hadron_share = s->hadron_share;
  spill->trigger_rate_hz = s->trigger_rate_hz;
  memcpy (spill->veto_efficiency, s->veto_efficiency, sizeof spill->veto_efficiency);
  memcpy (spill->veto_noise, s->veto_noise, sizeof spill->veto_noise);
  spill->pedestal_drift_adc = s->pedestal_drift_adc;
}

void
dqm_registry_alarm_of (guint32 run, const DqmAlarmLogEntry *e, DqmRegistryAlarm *alarm)
{
  memset (alarm, 0, sizeof *alarm);
  alarm->run = run;
  alarm->time_us = e->time_us;
  g_strlcpy (alarm->alarm, e->id, sizeof alarm->alarm);
  alarm->from = e->from;
  alarm->to = e->to;
  alarm->acknowledgement = e->acknowledgement;
  if (e->acknowledgement)
    {
      g_strlcpy (alarm->who, e->who, sizeof alarm->who);
      g_strlcpy (alarm->comment, e->comment, sizeof alarm->comment);
    }
}

typedef struct {
  DqmAlarmState state;
  gint64        since_us;
  double        warning_s, alarm_s; /* at WARNING or worse, at ALARM */
} Course;

static void
advance (Course *c, gint64 to_us)
{
  double s = MAX (0, to_us - c->since_us) / (double) G_USEC_PER_SEC;

  if (c->state >= DQM_ALARM_WARNING)
    c->warning_s += s;
  if (c->state >= DQM_ALARM_ALARM)
    c->alarm_s += s;
  c->since_us = MAX (c->since_us, to_us);
}

const char *
dqm_registry_verdict (const DqmRegistryAlarm *log, guint n, gint64 start_us, gint64 end_us, char *why,
                      gsize why_size)
{
  g_autoptr(GHashTable) courses = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  double run_s = MAX (0, end_us - start_us) / (double) G_USEC_PER_SEC;
  const char *verdict = "good", *worst = NULL;
  double worst_s = 0;
  GHashTableIter iter;
  gpointer id, value;

  for (guint i = 0; i < n; i++)
    {
      Course *c = g_hash_table_lookup (courses, log[i].alarm);
      gint64 t = CLAMP (log[i].time_us, start_us, MAX (start_us, end_us));

      if (log[i].acknowledgement)
        continue; /* an acknowledgement changes no state */
      if (c == NULL)
        {
          c = g_new0 (Course, 1);
          c->state = log[i].from;
          c->since_us = start_us;
          g_hash_table_insert (courses, (gpointer) log[i].alarm, c);
        }
      advance (c, t);
      c->state = log[i].to;
    }
  g_hash_table_iter_init (&iter, courses);
  while (g_hash_table_iter_next (&iter, &id, &value))
    {
      Course *c = value;

      advance (c, end_us);
      if (c->alarm_s >= DQM_REGISTRY_BAD_S || (run_s > 0 && c->alarm_s >= DQM_REGISTRY_BAD_SHARE * run_s))
        {
          if (!g_str_equal (verdict, "bad") || c->alarm_s > worst_s)
            worst = id, worst_s = c->alarm_s;
          verdict = "bad";
        }
      else if (!g_str_equal (verdict, "bad") && c->warning_s >= DQM_REGISTRY_WARNING_S
               && c->warning_s > (g_str_equal (verdict, "warning") ? worst_s : 0))
        {
          worst = id, worst_s = c->warning_s;
          verdict = "warning";
        }
    }
  if (worst)
    g_snprintf (why, why_size, "%s %s for %.0f s of %.0f", worst,
                g_str_equal (verdict, "bad") ? "at ALARM" : "at WARNING or worse", worst_s, run_s);
  else
    g_snprintf (why, why_size, "no alarm for %d s or more", DQM_REGISTRY_WARNING_S);
  return verdict;
}
