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
  {
    /* Fields cut to their buffers may end inside a character. */
    g_autofree char *raw = g_string_free (text, FALSE);

    return g_utf8_make_valid (raw, -1);
  }
}

static char *
folder_error (const char *dir, int saved_errno, GError **error)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "e-log folder %s: %s", dir,
               g_strerror (saved_errno));
  return NULL;
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
    return folder_error (dir, errno, error);
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
            return folder_error (dir, saved, error);
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

gboolean
dqm_elog_check_command (const char *command, char ***argv, GError **error)
{
  g_auto(GStrv) words = NULL;

  if (!g_shell_parse_argv (command, NULL, &words, error))
    {
      g_prefix_error (error, "e-log command “%s”: ", command);
      return FALSE;
    }
  if (argv)
    *argv = g_steal_pointer (&words);
  return TRUE;
}

/* One worker finishes the entries, one after the other: a burst of entries
 * draws one picture at a time, and the program's exit can wait for them. */
typedef struct {
  char            *entry, *command;
  DqmElogDrawFunc  draw;
  gpointer         data;
  GDestroyNotify   free_data;
} Finishing;

static GMutex       finishing_lock;
static GCond        finishing_done;
static GThreadPool *finishing_pool;
static guint        finishing_count;

static void
on_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
on_too_long (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The site's command, at most DQM_ELOG_COMMAND_TIMEOUT_S, its stdin /dev/null. */
static void
run_command (const char *command, const char *entry)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (DQM_ELOG_COMMAND_TIMEOUT_S);
  gboolean exited = FALSE, too_long = FALSE;

  if (!dqm_elog_check_command (command, &words, &error))
    {
      g_message ("e-log entry %s not posted: %s", entry, error->message);
      return;
    }
  g_strv_builder_addv (builder, (const char **) words);
  g_strv_builder_add (builder, entry);
  argv = g_strv_builder_end (builder);
  if ((process = g_subprocess_newv ((const char *const *) argv, G_SUBPROCESS_FLAGS_NONE, &error)) == NULL)
    {
      g_message ("e-log entry %s not posted: %s", entry, error->message);
      return;
    }
  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, NULL, on_exited, &exited);
  g_source_set_callback (timeout, on_too_long, &too_long, NULL);
  g_source_attach (timeout, context);
  while (!exited && !too_long)
    g_main_context_iteration (context, TRUE);
  if (!exited)
    {
      g_subprocess_force_exit (process);
      while (!exited)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
  if (too_long)
    g_message ("e-log command %s on %s stopped after %d s", argv[0], entry, DQM_ELOG_COMMAND_TIMEOUT_S);
  else if (!g_subprocess_get_successful (process))
    g_message ("e-log command %s on %s ended with status %d", argv[0], entry,
               g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1);
  else
    g_message ("e-log entry %s posted by %s", entry, argv[0]);
}

static void
finish (gpointer job, gpointer unused)
{
  Finishing *f = job;

  if (f->draw)
    f->draw (f->entry, f->data);
  if (f->command)
    run_command (f->command, f->entry);
  if (f->free_data)
    f->free_data (f->data);
  g_free (f->entry);
  g_free (f->command);
  g_free (f);
  g_mutex_lock (&finishing_lock);
  finishing_count--;
  g_cond_broadcast (&finishing_done);
  g_mutex_unlock (&finishing_lock);
}

void
dqm_elog_finish_later (const char *entry, DqmElogDrawFunc draw, gpointer data, GDestroyNotify free_data,
                       const char *command)
{
  Finishing *f = g_new0 (Finishing, 1);

  g_return_if_fail (entry != NULL);

  f->entry = g_strdup (entry);
  f->command = g_strdup (command);
  f->draw = draw;
  f->data = data;
  f->free_data = free_data;
  g_mutex_lock (&finishing_lock);
  if (finishing_pool == NULL)
    finishing_pool = g_thread_pool_new (finish, NULL, 1, FALSE, NULL);
  finishing_count++;
  g_mutex_unlock (&finishing_lock);
  g_thread_pool_push (finishing_pool, f, NULL);
}

gboolean
dqm_elog_wait (double timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  gboolean done;

  g_mutex_lock (&finishing_lock);
  while (finishing_count > 0 && g_cond_wait_until (&finishing_done, &finishing_lock, deadline))
    ;
  done = finishing_count == 0;
  g_mutex_unlock (&finishing_lock);
  return done;
}
