/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the registry for na64dqm-ctl runs. */
#include "na64dqm-ctl-runs.h"

#include <stdio.h>
#include <string.h>

#include "dqm-registry-store.h"

char *
ctl_runs_since (const char *date)
{
  g_autofree char *full = strchr (date, 'T') ? g_strdup (date) : g_strconcat (date, "T00:00:00Z", NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (full, utc);
  char out[DQM_REGISTRY_TIME];

  if (t == NULL)
    return NULL;
  dqm_registry_time (g_date_time_to_unix (t) * G_USEC_PER_SEC, FALSE, out);
  return g_strdup (out);
}

/* A CSV field: quoted when it holds a comma, a quote or a line end. */
static void
csv_field (GString *line, const char *text, gboolean last)
{
  if (strpbrk (text, ",\"\r\n"))
    {
      g_string_append_c (line, '"');
      for (const char *c = text; *c; c++)
        {
          if (*c == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *c);
        }
      g_string_append_c (line, '"');
    }
  else
    g_string_append (line, text);
  g_string_append_c (line, last ? '\n' : ',');
}

static void
print_csv (GArray *runs)
{
  g_autoptr(GString) out = g_string_new ("run,beam,beam_energy_gev,setup_tag,start_time,end_time,spills,events,"
                                         "beam_counts,physics_triggers,candidates,quality,quality_reason,"
                                         "shifter_flag,comment,snapshot\n");

  for (guint i = 0; i < runs->len; i++)
    {
      const DqmRegistryRun *r = &g_array_index (runs, DqmRegistryRun, i);
      g_autofree char *numbers = g_strdup_printf ("%u,%s,%g", r->run, r->beam, r->beam_energy_gev);
      g_autofree char *counts = g_strdup_printf ("%u,%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                                                 ",%" G_GUINT64_FORMAT, r->spills, r->events, r->beam_counts,
                                                 r->physics_triggers, r->candidates);

      g_string_append_printf (out, "%s,", numbers);
      csv_field (out, r->setup_tag, FALSE);
      csv_field (out, r->start_time, FALSE);
      csv_field (out, r->end_time, FALSE);
      g_string_append_printf (out, "%s,", counts);
      csv_field (out, r->quality, FALSE);
      csv_field (out, r->quality_reason, FALSE);
      csv_field (out, r->shifter_flag, FALSE);
      csv_field (out, r->comment, FALSE);
      csv_field (out, r->snapshot, TRUE);
    }
  fputs (out->str, stdout);
}

static void
print_table (GArray *runs)
{
  guint64 beam_counts = 0;

  printf ("%6s %-4s %4s %-20s %-20s %6s %9s %14s %9s %5s %-7s %-5s %s\n", "run", "beam", "GeV", "start (UTC)",
          "end (UTC)", "spills", "events", "beam counts", "physics", "cand.", "quality", "flag", "comment");
  for (guint i = 0; i < runs->len; i++)
    {
      const DqmRegistryRun *r = &g_array_index (runs, DqmRegistryRun, i);

      printf ("%6u %-4s %4.0f %-20s %-20s %6u %9" G_GUINT64_FORMAT " %14" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT
              " %5" G_GUINT64_FORMAT " %-7s %-5s %s\n",
              r->run, r->beam, r->beam_energy_gev, r->start_time, r->end_time[0] ? r->end_time : "(running)",
              r->spills, r->events, r->beam_counts, r->physics_triggers, r->candidates,
              r->quality[0] ? r->quality : "-", r->shifter_flag[0] ? r->shifter_flag : "-", r->comment);
      beam_counts += r->beam_counts;
    }
  printf ("%u run%s, %" G_GUINT64_FORMAT " beam particles counted on target\n", runs->len, runs->len == 1 ? "" : "s",
          beam_counts);
}

int
ctl_runs (const char *registry, const char *since, const char *beam, gboolean csv)
{
  g_autofree char *from = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(GArray) runs = NULL;

  if (since && (from = ctl_runs_since (since)) == NULL)
    {
      g_printerr ("na64dqm-ctl: --since %s: give a date (2026-12-01) or an ISO 8601 time "
                  "(2026-12-01T08:00:00+01:00)\n", since);
      return 2;
    }
  if ((db = dqm_registry_store_open (registry, FALSE, DQM_REGISTRY_SCHEMA, &error)) == NULL
      || (runs = dqm_registry_store_runs (db, from, beam, &error)) == NULL)
    {
      g_printerr ("na64dqm-ctl: %s\n", error->message);
      return 1;
    }
  if (csv)
    print_csv (runs);
  else
    print_table (runs);
  return 0;
}
