/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmWindow: the live control-room view. */
#include "dqm-window.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dqm-alarm-tile.h"
#include "dqm-elog.h"
#include "dqm-inspector.h"
#include "dqm-plot-na64.h"
#include "dqm-plot-view.h"
#include "dqm-runs-page.h"
#include "dqm-snapshot-window.h"
#include "dqm-widget-export.h"

/* Alarm changes listed under the tiles. */
#define ALARM_LOG_LINES 12

/* Beam purity and the VETO first: what the shift crew must see at a glance. */
static const char *const first_alarms[] = {
  "beam-purity", "hadron-contamination", "veto-efficiency-0", "veto-efficiency-1", "veto-efficiency-2",
  "veto-noise-0", "veto-noise-1", "veto-noise-2", NULL,
};

struct _DqmWindow {
  GtkApplicationWindow parent_instance;
  DqmLink     *link;
  GtkGrid     *plots;
  GtkFlowBox  *alarms;
  GtkLabel    *status;
  GtkToggleButton *scope_button, *occupancy_button;
  GtkLabel    *alarm_log;
  GtkStack    *stack;
  DqmInspector *inspector;
  DqmRunsPage *runs_page;
  DqmSetup    *setup;     /* the default beam's: alarm limits, the EOT target */
  GtkWidget   *views[DQM_N_WALL_PLOTS];
  GHashTable  *tiles;     /* alarm id → DqmAlarmTile */
  DqmState    *shown;
  guint        tick;
  guint        log_seen;  /* alarm log entries already rung for */
  guint64      snapshots_seen;
  gint64       snapshot_note_until_us; /* monotonic: "snapshot written" shown till */
  gboolean     snapshot_requested;
  gint64       snapshot_requested_us; /* monotonic */
  gint64       status_shown_us; /* frame time of the last status line */
  DqmPreferences preferences;
  const DqmElogPlace *elog;
  char        *elog_note;        /* "e-log entry written: DIR", shown till */
  gint64       elog_note_until_us; /* monotonic */
};

G_DEFINE_FINAL_TYPE (DqmWindow, dqm_window, GTK_TYPE_APPLICATION_WINDOW)

static void
on_acknowledge (DqmAlarmTile *tile, const char *id, DqmWindow *self)
{
  dqm_link_acknowledge (self->link, id, g_get_user_name (), NULL);
}

static void
add_tile (DqmWindow *self, const char *id)
{
  GtkWidget *tile;

  if (g_hash_table_contains (self->tiles, id))
    return;
  tile = dqm_alarm_tile_new (id);
  g_signal_connect (tile, "acknowledge", G_CALLBACK (on_acknowledge), self);
  gtk_flow_box_append (self->alarms, tile);
  g_hash_table_insert (self->tiles, g_strdup (id), tile);
}

/* A monitor gone quiet greys what it last said. */
static void
show_silence (DqmWindow *self, gboolean silent)
{
  GtkWidget *widgets[] = { GTK_WIDGET (self->plots), GTK_WIDGET (self->alarms), GTK_WIDGET (self->alarm_log) };

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    if (silent)
      gtk_widget_add_css_class (widgets[i], "monitor-silent");
    else
      gtk_widget_remove_css_class (widgets[i], "monitor-silent");
}

/* Before an attached display's first state. */
static void
show_waiting (DqmWindow *self)
{
  DqmLinkStatus link;
  g_autofree char *text = NULL;

  dqm_link_get_status (self->link, &link);
  text = g_strdup_printf (_("monitor %s: waiting for its first state (%.0f s)"), link.monitor, link.silent_s);
  gtk_label_set_text (self->status, text);
  show_silence (self, link.silent);
}

static void
update_status (DqmWindow *self, DqmState *state)
{
  const DqmStreamCounters *c = &state->counters;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *condition = state->stream_state == DQM_STREAM_STATE_STALLED ? _("stalled")
                          : !state->connected ? _("reconnecting")
                          : state->stream_state == DQM_STREAM_STATE_WAITING ? _("waiting")
                          : state->stream_state == DQM_STREAM_STATE_IDLE ? _("between runs") : _("running");
  GtkWidget *label = GTK_WIDGET (self->status);
  DqmLinkStatus link;

  dqm_link_get_status (self->link, &link);
  if (link.remote)
    {
      /* Which monitor, and how fresh: a wall screen must never look live when it is not. */
      if (link.silent)
        g_string_append_printf (text, _("monitor %s silent for %.0f s: reconnecting · "), link.monitor, link.silent_s);
      else
        g_string_append_printf (text, _("monitor %s updated %.1f s ago · "), link.monitor, link.silent_s);
      if (link.recovered_us && g_get_monotonic_time () - link.recovered_us < 10 * G_USEC_PER_SEC)
        g_string_append_printf (text, _("monitor back after %.0f s · "), link.last_silence_s);
      if (link.refusal_us && g_get_monotonic_time () - link.refusal_us < 15 * G_USEC_PER_SEC)
        g_string_append_printf (text, _("refused: %s · "), link.refusal);
    }
  g_string_append_printf (text, "%s · %s", state->source, condition);
  if (state->run.run)
    g_string_append_printf (text, _(" · run %u"), state->run.run);
  if (state->spill)
    g_string_append_printf (text, _(" · spill %u"), state->spill);
  if (state->last_event_us)
    g_string_append_printf (text, _(" · last event %.1f s ago"),
                            (g_get_monotonic_time () - state->last_event_us) / 1e6);
  if (state->spills->len)
    {
      const DqmSpillSummary *last = g_ptr_array_index (state->spills, state->spills->len - 1);

      /* S1·S2 coincidences of the last complete spill: particles on target. */
      g_string_append_printf (text, _(" · beam %llu per spill"), (unsigned long long) last->beam_counts);
    }
  g_string_append_printf (text, _(" · %.0f events/s · received %llu · bad %llu · lost %llu · dropped %llu"),
                          state->event_rate_hz, (unsigned long long) c->messages, (unsigned long long) c->bad,
                          (unsigned long long) c->lost_events, (unsigned long long) state->events_dropped);
  if (state->snapshots_written > self->snapshots_seen)
    {
      self->snapshots_seen = state->snapshots_written;
      self->snapshot_note_until_us = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
      self->snapshot_requested = FALSE;
    }
  if (state->snapshot_error[0])
    {
      g_string_append_printf (text, _(" · snapshot failed: %s"), state->snapshot_error);
      if (state->snapshots_pending)
        g_string_append_printf (text, ngettext (" (%u snapshot waits for the disk, retried)",
                                                " (%u snapshots wait for the disk, retried)",
                                                state->snapshots_pending), state->snapshots_pending);
    }
  /* An attached display's request the monitor refused: the refusal says why. */
  else if (self->snapshot_requested && link.refusal_us > self->snapshot_requested_us)
    self->snapshot_requested = FALSE;
  else if (self->snapshot_requested)
    g_string_append (text, _(" · writing a snapshot…"));
  else if (g_get_monotonic_time () < self->snapshot_note_until_us)
    g_string_append_printf (text, _(" · snapshot written: %s"), state->last_snapshot);
  if (self->elog_note && g_get_monotonic_time () < self->elog_note_until_us)
    g_string_append_printf (text, " · %s", self->elog_note);
  gtk_label_set_text (self->status, text->str);
  show_silence (self, link.silent);
  if (g_str_equal (condition, _("stalled")) || link.silent)
    gtk_widget_add_css_class (label, "stalled");
  else
    gtk_widget_remove_css_class (label, "stalled");
  if (g_str_equal (condition, _("reconnecting")))
    gtk_widget_add_css_class (label, "reconnecting");
  else
    gtk_widget_remove_css_class (label, "reconnecting");
}

/* The newest alarm changes first, with their times. */
static void
update_alarm_log (DqmWindow *self, DqmState *state)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = 0;

  for (guint i = state->alarm_log->len; i-- > 0 && shown < ALARM_LOG_LINES; shown++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (e->time_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (t, "%X");
      const DqmAlarm *a = dqm_state_find_alarm (state, e->id);
      g_autofree char *value = a ? dqm_alarm_format_value (a, e->value) : g_strdup ("");
      const char *detail = strstr (e->text, " (");
      g_autofree char *plain = a ? g_strdup_printf (_("%s: %s → %s, %s%s"), _(a->title), _(dqm_alarm_state_name (e->from)),
                                                    _(dqm_alarm_state_name (e->to)), value, detail ? detail : "")
                                 : g_strdup (e->text);
      g_autofree char *line = g_markup_escape_text (plain, -1);
      const char *colour = e->to == DQM_ALARM_ALARM ? "#c62828" : e->to == DQM_ALARM_WARNING ? "#b26a00" : "#2e7d32";

      g_string_append_printf (text, "%s<span foreground='%s' weight='bold'>%s</span> %s %s", shown ? "\n" : "",
                              colour, _(dqm_alarm_state_name (e->to)), when, line);
    }
  if (shown == 0)
    g_string_append (text, _("No alarm changes in this run yet"));
  gtk_label_set_markup (self->alarm_log, text->str);
}

/* A bell for each alarm raised, when the preferences ask for one. */
static void
ring_for_new_alarms (DqmWindow *self, DqmState *state)
{
  gboolean raised = FALSE;

  if (state->alarm_log->len < self->log_seen)
    self->log_seen = 0; /* a new run */
  for (guint i = self->log_seen; i < state->alarm_log->len; i++)
    {
      const DqmAlarmLogEntry *e = &g_array_index (state->alarm_log, DqmAlarmLogEntry, i);

      raised |= e->to > e->from;
    }
  self->log_seen = state->alarm_log->len;
  if (raised && self->preferences.sound)
    gdk_display_beep (gtk_widget_get_display (GTK_WIDGET (self)));
}

static void
show_state (DqmWindow *self, DqmState *state)
{
  gboolean spill_scope = gtk_toggle_button_get_active (self->scope_button);
  gboolean occupancy = gtk_toggle_button_get_active (self->occupancy_button);

  for (guint i = 0; first_alarms[i] && state->n_alarms; i++)
    add_tile (self, first_alarms[i]);
  for (guint i = 0; i < state->n_alarms; i++)
    add_tile (self, state->alarms[i].id);
  {
    GHashTableIter iter;
    gpointer tile;

    g_hash_table_iter_init (&iter, self->tiles);
    while (g_hash_table_iter_next (&iter, NULL, &tile))
      dqm_alarm_tile_set_state (tile, state);
  }
  for (guint i = 0; i < DQM_N_WALL_PLOTS; i++)
    {
      /* The view's own choice (right-click → Show) in the chosen scope. */
      DqmPlotView *view = DQM_PLOT_VIEW (self->views[i]);
      const char *current = dqm_plot_view_get_histogram (view);
      g_autofree char *base = g_str_has_suffix (current, "_spill")
                              ? g_strndup (current, strlen (current) - strlen ("_spill")) : g_strdup (current);
      g_autofree char *name = spill_scope ? g_strconcat (base, "_spill", NULL) : g_strdup (base);

      /* Cell maps: mean energy or occupancy, as the header's toggle says. */
      if (g_str_has_suffix (base, "_mean") || g_str_has_suffix (base, "_occupancy"))
        {
          g_autofree char *map = g_strndup (base, strrchr (base, '_') - base);

          g_free (name);
          name = g_strconcat (map, occupancy ? "_occupancy" : "_mean", spill_scope ? "_spill" : "", NULL);
        }
      /* Histories and by-spill plots have no spill scope of their own. */
      if (dqm_state_find_histogram (state, name) == NULL)
        {
          g_free (name);
          name = g_strdup (base);
        }
      dqm_plot_view_set_histogram (view, name);
      dqm_plot_view_set_state (view, state);
    }
  update_status (self, state);
  ring_for_new_alarms (self, state);
  update_alarm_log (self, state);
  dqm_inspector_set_state (self->inspector, state);
  dqm_runs_page_set_live_run (self->runs_page, state->stream_state == DQM_STREAM_STATE_IDLE ? 0 : state->run.run);
}

/* Once a frame at most: pick up the newest state if there is one. */
static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  DqmWindow *self = DQM_WINDOW (widget);
  /* Never wait for the analysis: a state it is publishing now shows next frame. */
  DqmState *state = dqm_link_try_get_state (self->link);

  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (state && state != self->shown)
    {
      g_clear_pointer (&self->shown, dqm_state_unref);
      self->shown = state;
      show_state (self, state);
      self->status_shown_us = now;
      return G_SOURCE_CONTINUE;
    }
  dqm_state_unref (state);
  /* No news: the status line still counts the seconds (a silent monitor). */
  if (now - self->status_shown_us >= G_USEC_PER_SEC / 4)
    {
      self->status_shown_us = now;
      if (self->shown)
        update_status (self, self->shown);
      else
        show_waiting (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_scope_toggled (GtkToggleButton *button, DqmWindow *self)
{
  if (self->shown)
    show_state (self, self->shown);
}

static void
acknowledge_all (GtkWidget *widget, const char *action, GVariant *parameter)
{
  dqm_link_acknowledge (DQM_WINDOW (widget)->link, NULL, g_get_user_name (), NULL);
}

static void
snapshot_now (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DQM_WINDOW (widget)->snapshot_requested = TRUE;
  DQM_WINDOW (widget)->snapshot_requested_us = g_get_monotonic_time ();
  dqm_link_request_snapshot (DQM_WINDOW (widget)->link);
}

/* Control-room mode: full screen, dark, text readable from across a room. */
static void
toggle_fullscreen (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmWindow *self = DQM_WINDOW (widget);
  gboolean on = !gtk_window_is_fullscreen (GTK_WINDOW (self));

  if (on)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", on, NULL);
  if (on)
    gtk_widget_add_css_class (widget, "control-room");
  else
    gtk_widget_remove_css_class (widget, "control-room");
  for (guint i = 0; i < DQM_N_WALL_PLOTS; i++)
    dqm_plot_view_set_font_scale (DQM_PLOT_VIEW (self->views[i]), on ? 1.4 : 1);
}

static void
reset_histogram (GtkWidget *widget, const char *action, GVariant *parameter)
{
  dqm_link_reset_histogram (DQM_WINDOW (widget)->link, g_variant_get_string (parameter, NULL));
}

/* --- e-log entries ---------------------------------------------------- */

static void show_error (DqmWindow *self, const char *text);

gboolean
dqm_window_write_elog (DqmWindow *self, const char *comment, char **entry, GError **error)
{
  g_autofree char *dir = NULL, *png = NULL, *pdf = NULL;

  if (self->elog == NULL || self->elog->dir == NULL)
    return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("no e-log folder (--elog-dir)")), FALSE;
  if (self->shown == NULL)
    return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_AGAIN, _("nothing to write yet: no state shown")), FALSE;
  if (comment && (strlen (comment) > DQM_ALARM_COMMENT_MAX || strpbrk (comment, "\n\r\t")))
    return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        _("the comment must be one line of at most %d bytes"), DQM_ALARM_COMMENT_MAX), FALSE;
  if ((dir = dqm_elog_begin (self->elog->dir, self->shown, g_get_user_name (), comment, error)) == NULL)
    return FALSE;
  /* The view as the shift sees it, this page included. */
  png = g_build_filename (dir, DQM_ELOG_PNG, NULL);
  pdf = g_build_filename (dir, DQM_ELOG_PDF, NULL);
  /* As for the monitor's entries: without its pictures it is still an entry, and posted. */
  if (!dqm_window_export (self, png, error) || !dqm_window_export (self, pdf, error))
    {
      g_prefix_error (error, _("e-log entry %s: "), dir);
      dqm_elog_finish_later (dir, NULL, NULL, NULL, self->elog->command);
      return FALSE;
    }
  dqm_elog_finish_later (dir, NULL, NULL, NULL, self->elog->command);
  g_free (self->elog_note);
  self->elog_note = g_strdup_printf (_("e-log entry written: %s"), dir);
  self->elog_note_until_us = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  if (self->shown)
    update_status (self, self->shown);
  if (entry)
    *entry = g_steal_pointer (&dir);
  return TRUE;
}

static void
on_elog_response (GtkDialog *dialog, int response, DqmWindow *self)
{
  GtkEntry *comment = g_object_get_data (G_OBJECT (dialog), "comment");
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && !dqm_window_write_elog (self, gtk_editable_get_text (GTK_EDITABLE (comment)), NULL, &error))
    show_error (self, error->message);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
write_elog (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmWindow *self = DQM_WINDOW (widget);
  GtkWidget *dialog = gtk_dialog_new_with_buttons (_("Write an e-log entry"), GTK_WINDOW (self),
                                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT | GTK_DIALOG_USE_HEADER_BAR,
                                                   _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Write"), GTK_RESPONSE_ACCEPT,
                                                   NULL);
  GtkWidget *box = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  GtkWidget *label = gtk_label_new (_("The view as PNG and PDF, and a text of the run, its alarms and their log, "
                                      "with what you write here:"));
  GtkWidget *comment = gtk_entry_new ();
  g_autofree char *where = g_strdup_printf (_("Into %s"), self->elog && self->elog->dir ? self->elog->dir : "?");
  GtkWidget *folder = gtk_label_new (where);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (folder), 0);
  gtk_label_set_ellipsize (GTK_LABEL (folder), PANGO_ELLIPSIZE_START);
  gtk_widget_add_css_class (folder, "dim-label");
  gtk_entry_set_activates_default (GTK_ENTRY (comment), TRUE);
  gtk_entry_set_max_length (GTK_ENTRY (comment), DQM_ALARM_COMMENT_MAX);
  gtk_widget_set_size_request (comment, 480, -1);
  for (GtkWidget *w = label; w; w = w == label ? comment : w == comment ? folder : NULL)
    {
      gtk_widget_set_margin_start (w, 12);
      gtk_widget_set_margin_end (w, 12);
      gtk_widget_set_margin_top (w, 6);
      gtk_box_append (GTK_BOX (box), w);
    }
  gtk_widget_set_margin_bottom (folder, 12);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data (G_OBJECT (dialog), "comment", comment);
  g_signal_connect (dialog, "response", G_CALLBACK (on_elog_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_page (GtkWidget *widget, const char *action, GVariant *parameter)
{
  dqm_window_show_page (DQM_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_error (DqmWindow *self, const char *text)
{
  GtkWidget *message = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                               GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", text);

  g_signal_connect (message, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (message));
}

static void
on_export_view_response (GtkNativeDialog *dialog, int response, DqmWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (!dqm_window_export (self, path, &error))
        show_error (self, error->message);
    }
  g_object_unref (dialog);
}

static void
export_view (GtkWidget *widget, const char *action, GVariant *parameter)
{
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Export the view as PNG, SVG or PDF"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "na64dqm-view.png");
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_view_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_open_response (GtkNativeDialog *dialog, int response, DqmWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      dqm_window_browse_file (self, path);
    }
  g_object_unref (dialog);
}

static void
open_recording (GtkWidget *widget, const char *action, GVariant *parameter)
{
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Browse a recorded stream"), GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN,
                                 _("_Open"), _("_Cancel"));

  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_preferences_changed (DqmWindow *self)
{
  dqm_event_ring_set_capacity (dqm_link_get_event_ring (self->link), self->preferences.kept_events);
}

static void
show_preferences (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmWindow *self = DQM_WINDOW (widget);
  DqmEventRing *ring = dqm_link_get_event_ring (self->link);
  guint kept = dqm_event_ring_count (ring);
  /* before any event, a typical 100 GeV electron event's size */
  gsize bytes_per_event = kept ? dqm_event_ring_memory (ring) / kept : 9000;

  gtk_window_present (dqm_preferences_dialog (GTK_WINDOW (self), &self->preferences, bytes_per_event,
                                              G_CALLBACK (on_preferences_changed), self));
}

/* Space pauses, arrows step: on the inspector page, or from anywhere for
 * Space. Keys meant for a text field or a spin button stay theirs. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                DqmWindow             *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean inspecting = g_str_equal (gtk_stack_get_visible_child_name (self->stack), "event");
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;
  const char *action = NULL;

  if (focus && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus)))
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_space: action = "inspector.pause"; break;
    case GDK_KEY_Left: action = shift ? "inspector.find-previous" : "inspector.previous"; break;
    case GDK_KEY_Right: action = shift ? "inspector.find-next" : "inspector.next"; break;
    case GDK_KEY_Home: action = "inspector.first"; break;
    case GDK_KEY_End: action = "inspector.last"; break;
    default: return FALSE;
    }
  if (!inspecting && keyval != GDK_KEY_space)
    return FALSE;
  gtk_stack_set_visible_child_name (self->stack, "event");
  return gtk_widget_activate_action (GTK_WIDGET (self->inspector), action, NULL);
}

/* "E_ECAL, physics trigger: 98–100 GeV", or a cell of a map. */
static char *
describe_region (const DqmHistogram *h, const char *name, guint ix0, guint ix1, guint iy0, guint iy1)
{
  g_auto(GStrv) title = g_strsplit (h ? h->title : name, ";", 2);
  g_autoptr(GString) text = g_string_new (NULL);
  double wx, wy;

  for (const char *c = title[0]; c && *c; c++)
    if (*c != '{' && *c != '}' && *c != '_' && *c != '#')
      g_string_append_c (text, *c);
  if (h == NULL)
    return g_string_free (g_steal_pointer (&text), FALSE);
  wx = (h->xmax - h->xmin) / h->nx;
  wy = h->ny ? (h->ymax - h->ymin) / h->ny : 0;
  if (dqm_histogram_is_2d (h) && h->nx <= 12 && ix0 == ix1 && iy0 == iy1)
    g_string_append_printf (text, _(": cell (%u, %u)"), ix0 - 1, iy0 - 1);
  else
    {
      g_string_append_printf (text, ": %g–%g", h->xmin + (ix0 - 1.0) * wx, h->xmin + ix1 * wx);
      if (dqm_histogram_is_2d (h))
        g_string_append_printf (text, " × %g–%g", h->ymin + (iy0 - 1.0) * wy, h->ymin + iy1 * wy);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* From a bin, a cell or a drawn region to the kept events that filled it. */
static void
on_drill_down (DqmPlotView *view, const char *name, guint ix0, guint ix1, guint iy0, guint iy1, DqmWindow *self)
{
  const DqmHistogram *h = self->shown ? dqm_state_find_histogram (self->shown, name) : NULL;
  g_autofree char *what = describe_region (h, name, ix0, ix1, iy0, iy1);
  DqmDrillRegion region = { 0 };

  g_strlcpy (region.histogram, name, sizeof region.histogram);
  region.ix0 = ix0;
  region.ix1 = ix1;
  region.iy0 = iy0;
  region.iy1 = iy1;
  gtk_stack_set_visible_child_name (self->stack, "event");
  dqm_inspector_drill_down (self->inspector, &region, what);
}

/* A past run beside the live one: the same plots, from its snapshot. */
static void
on_open_snapshot (DqmRunsPage *page, guint run, const char *dir, DqmWindow *self)
{
  const char *names[DQM_N_WALL_PLOTS + 1] = { NULL };

  for (guint i = 0; i < DQM_N_WALL_PLOTS; i++)
    names[i] = dqm_wall_plots[i].histogram;
  gtk_window_present (dqm_snapshot_window_new (GTK_WINDOW (self), run, dir, names, DQM_WALL_COLUMNS));
}

static void
dqm_window_dispose (GObject *object)
{
  DqmWindow *self = DQM_WINDOW (object);

  if (self->tick)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick);
  self->tick = 0;
  g_clear_pointer (&self->shown, dqm_state_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->setup, dqm_setup_free);
  g_clear_pointer (&self->elog_note, g_free);
  G_OBJECT_CLASS (dqm_window_parent_class)->dispose (object);
}

static void
dqm_window_class_init (DqmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dqm_window_dispose;
  g_type_ensure (DQM_TYPE_INSPECTOR);
  g_type_ensure (DQM_TYPE_RUNS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/na64/dqm/ui/dqm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, plots);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, alarms);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, status);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, scope_button);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, occupancy_button);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, alarm_log);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, DqmWindow, runs_page);
  gtk_widget_class_install_action (widget_class, "win.acknowledge-all", NULL, acknowledge_all);
  gtk_widget_class_install_action (widget_class, "win.snapshot", NULL, snapshot_now);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, toggle_fullscreen);
  gtk_widget_class_install_action (widget_class, "win.reset-histogram", "s", reset_histogram);
  gtk_widget_class_install_action (widget_class, "win.export-view", NULL, export_view);
  gtk_widget_class_install_action (widget_class, "win.open-recording", NULL, open_recording);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, show_preferences);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page);
  gtk_widget_class_install_action (widget_class, "win.elog", NULL, write_elog);
}

static void
dqm_window_init (DqmWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_icon_name (GTK_WINDOW (self), "org.na64.Dqm");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < DQM_N_WALL_PLOTS; i++)
    {
      self->views[i] = dqm_plot_view_new (dqm_wall_plots[i].histogram);
      dqm_plot_view_set_log_scale (DQM_PLOT_VIEW (self->views[i]), dqm_wall_plots[i].log_scale);
      dqm_plot_view_set_resettable (DQM_PLOT_VIEW (self->views[i]), TRUE);
      gtk_grid_attach (self->plots, self->views[i], i % DQM_WALL_COLUMNS, i / DQM_WALL_COLUMNS, 1, 1);
      g_signal_connect (self->views[i], "drill-down", G_CALLBACK (on_drill_down), self);
    }
  g_signal_connect (self->scope_button, "toggled", G_CALLBACK (on_scope_toggled), self);
  g_signal_connect (self->occupancy_button, "toggled", G_CALLBACK (on_scope_toggled), self);
  g_signal_connect (self->runs_page, "open-snapshot", G_CALLBACK (on_open_snapshot), self);
}

DqmWindow *
dqm_window_new (GtkApplication *application, DqmLink *link, DqmConfig *config,
                const DqmPreferences *preferences)
{
  DqmWindow *self = g_object_new (DQM_TYPE_WINDOW, "application", application, NULL);

  self->link = link;
  self->preferences = *preferences;
  for (guint i = 0; i < DQM_N_WALL_PLOTS; i++)
    dqm_plot_view_set_refresh_interval (DQM_PLOT_VIEW (self->views[i]), preferences->plot_refresh_ms
                                                                          ? preferences->plot_refresh_ms
                                                                          : DQM_PLOT_VIEW_DEFAULT_REFRESH_MS);
  dqm_inspector_set_source (self->inspector, dqm_link_get_event_ring (link), config);
  {
    g_autoptr(GError) error = NULL;

    /* Without it the trends have no limits and the EOT plot no target: said. */
    if ((self->setup = dqm_setup_load (config, NULL, &error)) == NULL)
      g_message ("the Runs page draws no alarm limits: %s", error->message);
  }
  self->tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
  return self;
}

void
dqm_window_browse_file (DqmWindow *self, const char *path)
{
  dqm_inspector_open_file (self->inspector, path);
  gtk_stack_set_visible_child_name (self->stack, "event");
}

gboolean
dqm_window_export (DqmWindow *self, const char *path, GError **error)
{
  return dqm_widget_export (gtk_window_get_child (GTK_WINDOW (self)), path, error);
}

void
dqm_window_set_elog (DqmWindow *self, const DqmElogPlace *place)
{
  self->elog = place;
}

void
dqm_window_set_registry (DqmWindow *self, const char *path)
{
  dqm_runs_page_set_source (self->runs_page, path, self->link, self->setup);
}

void
dqm_window_show_page (DqmWindow *self, const char *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
}
