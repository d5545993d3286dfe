/* SPDX-License-Identifier: GPL-3.0-or-later */
/* E-log entries: the text from the state, the folder, the site's command. */
#include "dqm-elog.h"

#include <errno.h>
#include <math.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

static void
append_time (GString *text, const char *label, gint64 us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *u = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *l = g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");

  g_string_append_printf (text, "%s%s (%s)\n", label, u, l);
}

char *
dqm_elog_text (const DqmState *state, const char *who, const char *comment)
{
  GString *text = g_string_new ("NA64 DQM e-log entry\n\n");
  guint64 beam_counts = 0;
  guint raised = 0;

  g_return_val_if_fail (state != NULL, NULL);

  append_time (text, "time: ", g_get_real_time ());
  append_time (text, "state of: ", state->made_us);
  g_string_append_printf (text, "by: %s\n", who && *who ? who : "?");
  g_string_append_printf (text, "comment: %s\n\n", comment && *comment ? comment : "");
  for (guint i = 0; i < state->spills->len; i++)
    beam_counts += ((const DqmSpillSummary *) state->spills->pdata[i])->beam_counts;
  g_string_append_printf (text, "source: %s\n", state->source);
  g_string_append_printf (text, "run: %u%s\n", state->run.run, state->run.ended ? " (ended)" : "");
  g_string_append_printf (text, "beam: %s, %u GeV\n", dqm_beam_name (state->run.beam), state->run.beam_energy_gev);
  g_string_append_printf (text, "setup: %s\n", state->run.tag);
  g_string_append_printf (text, "spill: %u (%u complete in the run)\n", state->spill, state->spills->len);
  /* The sum of the end-of-spill S1·S2 scalers, as the registry counts it. */
  g_string_append_printf (text, "particles on target (EOT) in the run: %" G_GUINT64_FORMAT "\n", beam_counts);
  g_string_append_printf (text, "events: %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT ", bad messages %"
                          G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT "\n", state->run.events, state->events_dropped,
                          state->counters.bad, state->counters.lost_events);
  g_string_append_printf (text, "signal-box candidates: %" G_GUINT64_FORMAT "\n", state->candidates_total);
  g_string_append_printf (text, "reference: %s\n\n", state->reference_label[0] ? state->reference_label : "none");
  g_string_append (text, "alarms now:\n");
  for (guint i = 0; i < state->n_alarms; i++)
    {
      const DqmAlarm *a = &state->alarms[i];

      if (a->state == DQM_ALARM_OK && a->latched == DQM_ALARM_OK)
        continue;
      raised++;
      g_string_append_printf (text, "  %s %s", dqm_alarm_state_name (a->state), a->id);
      if (a->have_value && isfinite (a->value))
        g_string_append_printf (text, " = %g %s", a->value, a->unit);
      if (a->latched != a->state)
        g_string_append_printf (text, " (worst since acknowledged: %s)", dqm_alarm_state_name (a->latched));
      if (a->detail[0])
        g_string_append_printf (text, ": %s", a->detail);
      g_string_append_c (text, '\n');
    }
  if (raised == 0)
    g_string_append (text, "  none: every alarm OK\n");
  g_string_append (text, "\nalarm log of the run:\n");
  for (guint i = 0; i < state->alarm_log->len; i++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (e->time_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (t, "%H:%M:%SZ");

      if (e->acknowledgement)
        g_string_append_printf (text, "  %s %s acknowledged by %s%s%s\n", when, e->id, e->who,
                                e->comment[0] ? ": " : "", e->comment);
      else
        g_string_append_printf (text, "  %s %s → %s %s\n", when, dqm_alarm_state_name (e->from),
                                dqm_alarm_state_name (e->to), e->text);
    }
  if (state->alarm_log->len == 0)
    g_string_append (text, "  no changes\n");
  return g_string_free (text, FALSE);
}

char *
dqm_elog_begin (const char *dir, const DqmState *state, const char *who, const char *comment, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *text = NULL, *file = NULL;
  char *entry = NULL;

  g_return_val_if_fail (dir != NULL && state != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "e-log folder %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  /* Two entries in one second each have a folder of their own. */
  for (guint k = 0; entry == NULL && k < 100; k++)
    {
      g_autofree char *name = k ? g_strdup_printf ("elog-%s-run%06u-%u", stamp, state->run.run, k)
                                : g_strdup_printf ("elog-%s-run%06u", stamp, state->run.run);
      char *path = g_build_filename (dir, name, NULL);

      if (g_mkdir (path, 0755) == 0)
        entry = path;
      else
        {
          int saved = errno;

          g_free (path);
          if (saved != EEXIST)
            {
              g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "e-log folder %s: %s", dir,
                           g_strerror (saved));
              return NULL;
            }
        }
    }
  if (entry == NULL)
    return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, "e-log folder %s: too many entries this second",
                        dir), NULL;
  text = dqm_elog_text (state, who, comment);
  file = g_build_filename (entry, DQM_ELOG_TEXT, NULL);
  if (!g_file_set_contents (file, text, -1, error))
    {
      g_rmdir (entry);
      g_free (entry);
      return NULL;
    }
  return entry;
}

static gpointer
post (gpointer data)
{
  g_auto(GStrv) argv = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv ((const char *const *) argv, G_SUBPROCESS_FLAGS_STDIN_INHERIT,
                                                      &error);

  if (process == NULL || !g_subprocess_wait (process, NULL, &error))
    g_message ("e-log command %s: %s", argv[0], error->message);
  else if (!g_subprocess_get_successful (process))
    g_message ("e-log command %s on %s ended with status %d", argv[0], argv[g_strv_length (argv) - 1],
               g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1);
  else
    g_message ("e-log entry %s posted by %s", argv[g_strv_length (argv) - 1], argv[0]);
  return NULL;
}

gboolean
dqm_elog_post (const char *command, const char *entry, GError **error)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();

  g_return_val_if_fail (command != NULL && entry != NULL, FALSE);

  if (!g_shell_parse_argv (command, NULL, &words, error))
    {
      g_prefix_error (error, "e-log command “%s”: ", command);
      return FALSE;
    }
  g_strv_builder_addv (argv, (const char **) words);
  g_strv_builder_add (argv, entry);
  g_thread_unref (g_thread_new ("elog-post", post, g_strv_builder_end (argv)));
  return TRUE;
}
