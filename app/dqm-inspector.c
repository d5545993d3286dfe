/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmInspector: one event at a time. */
#include "dqm-inspector.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dqm-drill-down.h"
#include "dqm-event-chart.h"
#include "dqm-event-list.h"
#include "dqm-plot-view.h"
#include "dqm-setup-cache.h"

typedef enum {
  MODE_LIVE,        /* the newest event, refreshed twice a second */
  MODE_PAUSED,      /* a copy of the ring */
  MODE_CANDIDATES,  /* the kept signal-box candidates */
  MODE_FILE,        /* a recorded stream */
} Mode;

/* Live events change this often at most: a person must be able to read them. */
#define LIVE_REFRESH_MS 500

struct _DqmInspector {
  GtkBox           parent_instance;
  GtkToggleButton *pause_button;
  GtkLabel        *position, *message;
  GtkDropDown     *match_choice, *channel_choice, *drilled_choice;
  GtkCheckButton  *follow_max;
  GtkBox          *maps, *charts;
  GtkGrid         *quantities;
  GtkListBox      *candidates;
  GtkWidget       *map_views[DQM_N_EVENT_MAPS];
  GtkWidget       *waveform, *tracker;
  guint            n_rows;

  DqmEventRing    *ring;
  DqmSetupCache       *setups;       /* kept while searches may use them */
  const DqmSetup  *setup;
  DqmBeam          state_beam;
  DqmReco         *reco;
  Mode             mode;
  DqmEventList    *list;
  guint            index;
  char            *file_name;
  GBytes          *live_message;
  guint64          live_serial;
  DqmEvent        *event;
  DqmRecoEvent    *reco_event;
  gboolean         have_event;
  GCancellable    *search;
  gboolean         searching;
  GArray          *candidate_keys; /* DqmCandidate shown in the list */
  DqmEventList    *drilled_list;   /* the list the drilled events index */
  GArray          *drilled;        /* guint: indices into it, newest first */
  char            *description;
  guint            refresh;
  gboolean         syncing_pause;
};

G_DEFINE_FINAL_TYPE (DqmInspector, dqm_inspector, GTK_TYPE_BOX)

static void show_current (DqmInspector *self);

static void
say (DqmInspector *self, const char *text)
{
  gtk_label_set_text (self->message, text ? text : "");
}

/* Beam 0 (not known): the configured default. A beam the configuration
 * lacks keeps the current setup, and says so. */
static void
use_beam (DqmInspector *self, DqmBeam beam)
{
  g_autoptr(GError) error = NULL;
  const DqmSetup *setup = dqm_setup_cache_get (self->setups, beam ? dqm_beam_name (beam) : NULL, &error);

  if (setup == NULL)
    {
      say (self, error->message);
      return;
    }
  if (setup == self->setup && self->reco)
    return;
  self->setup = setup;
  g_clear_pointer (&self->reco, dqm_reco_free);
  self->reco = dqm_reco_new (setup);
}

/* --- the table of reconstructed quantities ------------------------------ */

static void
row (DqmInspector *self, guint *n, const char *label, const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
row (DqmInspector *self, guint *n, const char *label, const char *format, ...)
{
  g_autofree char *value = NULL;
  GtkWidget *name, *text;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  if (*n >= self->n_rows)
    {
      name = gtk_label_new (NULL);
      text = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_widget_add_css_class (name, "dim-label");
      gtk_grid_attach (self->quantities, name, 0, (int) *n, 1, 1);
      gtk_grid_attach (self->quantities, text, 1, (int) *n, 1, 1);
      self->n_rows++;
    }
  name = gtk_grid_get_child_at (self->quantities, 0, (int) *n);
  text = gtk_grid_get_child_at (self->quantities, 1, (int) *n);
  gtk_label_set_text (GTK_LABEL (name), label);
  gtk_label_set_text (GTK_LABEL (text), value);
  gtk_widget_set_visible (name, TRUE);
  gtk_widget_set_visible (text, TRUE);
  (*n)++;
}

static const char *
class_label (DqmEventClass c)
{
  switch (c)
    {
    case DQM_CLASS_ELECTRON: return _("electron");
    case DQM_CLASS_HADRON: return _("hadron");
    case DQM_CLASS_MUON: return _("muon");
    case DQM_CLASS_EMPTY:
    case DQM_N_CLASSES:
    default: return _("no beam particle");
    }
}

static char *
trigger_label (guint32 trigger)
{
  GString *text = g_string_new (NULL);
  const char *names[] = { N_("physics"), N_("random"), N_("LED"), N_("beam") };

  for (guint bit = 0; bit < G_N_ELEMENTS (names); bit++)
    if (trigger & (1u << bit))
      g_string_append_printf (text, "%s%s", text->len ? ", " : "", _(names[bit]));
  return g_string_free (text, FALSE);
}

static void
fill_quantities (DqmInspector *self)
{
  const DqmRecoEvent *e = self->reco_event;
  g_autofree char *trigger = trigger_label (e->trigger);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local ((gint64) (e->time_ns / 1000000000u));
  g_autofree char *when_text = when ? g_date_time_format (when, "%x %X") : g_strdup ("?");
  guint n = 0;

  row (self, &n, _("Run, spill"), "%u, %u", e->run, e->spill);
  row (self, &n, _("Event in spill"), "%u", e->event_in_spill);
  row (self, &n, _("Event id"), "%" G_GUINT64_FORMAT, e->event_id);
  row (self, &n, _("Time"), "%s", when_text);
  row (self, &n, _("Trigger"), "%s", trigger);
  row (self, &n, _("Class"), "%s", class_label (e->event_class));
  row (self, &n, _("Selection"), e->candidate ? _("signal-box candidate") : _("passed %u of %u steps, stopped at %s"),
       e->cuts_passed, (guint) DQM_N_CUTS, e->cuts_passed < DQM_N_CUTS ? dqm_cut_name (e->cuts_passed) : "");
  row (self, &n, "E_ECAL", "%.2f GeV", e->ecal_gev);
  row (self, &n, "E_PS, E_main", "%.2f, %.2f GeV", e->ecal_ps_gev, e->ecal_main_gev);
  row (self, &n, _("Out-of-time ECAL"), "%.2f GeV", e->bad_energy_gev);
  row (self, &n, _("Most energetic cell"), "(%u, %u) %.2f GeV, %.1f ns%s", e->max_cell_x, e->max_cell_y,
       e->max_cell_gev, e->max_cell_time_ns, e->max_cell_in_time ? "" : _(", out of time"));
  row (self, &n, _("Shower centre"), "%.1f, %.1f mm", e->centroid_x_mm, e->centroid_y_mm);
  row (self, &n, _("Shower χ²"), "%.2f", e->shower_chi2);
  row (self, &n, "E_HCAL", "%.2f GeV", e->hcal_gev);
  row (self, &n, _("HCAL modules 0–3"), "%.2f, %.2f, %.2f, %.2f GeV", e->hcal_module_gev[0], e->hcal_module_gev[1],
       e->hcal_module_gev[2], e->hcal_module_gev[3]);
  row (self, &n, "HCAL R", "%.3f", e->hcal_r);
  row (self, &n, _("VETO counters"), "%.3f, %.3f, %.3f GeV", e->veto_gev[0], e->veto_gev[1], e->veto_gev[2]);
  row (self, &n, _("VETO in MIP"), "%.2f, %.2f, %.2f (%u fired)", e->veto_mip[0], e->veto_mip[1], e->veto_mip[2],
       e->veto_fired);
  row (self, &n, "SRD", "%.1f, %.1f, %.1f MeV (%u in window)", e->srd_mev[0], e->srd_mev[1], e->srd_mev[2],
       e->srd_in_window);
  row (self, &n, "S0–S4", "%.0f, %.0f, %.0f, %.0f, %.0f", e->counter_counts[0], e->counter_counts[1],
       e->counter_counts[2], e->counter_counts[3], e->counter_counts[4]);
  if (e->have_master)
    row (self, &n, _("Master time"), "%.1f ns", e->master_time_ns);
  else
    row (self, &n, _("Master time"), "%s", _("none (no S0–S2 signal)"));
  if (e->have_momentum)
    row (self, &n, _("Momentum"), "%.1f GeV", e->momentum_gev);
  else
    row (self, &n, _("Momentum"), "%s", _("not measured"));
  {
    GString *clusters = g_string_new (NULL);

    for (guint s = 0; s < DQM_TRACKER_STATIONS; s++)
      g_string_append_printf (clusters, "%s%u/%u", s ? " " : "", e->n_clusters[2 * s], e->n_clusters[2 * s + 1]);
    row (self, &n, _("Clusters x/y, MM1–MM8"), "%s", clusters->str);
    g_string_free (clusters, TRUE);
  }
  for (guint i = n; i < self->n_rows; i++)
    {
      gtk_widget_set_visible (gtk_grid_get_child_at (self->quantities, 0, (int) i), FALSE);
      gtk_widget_set_visible (gtk_grid_get_child_at (self->quantities, 1, (int) i), FALSE);
    }
}

/* --- showing one event --------------------------------------------------- */

static guint
selected_channel (DqmInspector *self)
{
  return dqm_channel_from_slot (gtk_drop_down_get_selected (self->channel_choice));
}

static void
mark_selected_cell (DqmInspector *self)
{
  DqmChannelInfo info;
  gboolean found = dqm_channel_lookup (selected_channel (self), &info);

  for (guint m = 0; m < DQM_N_EVENT_MAPS; m++)
    {
      gboolean here = found && ((m == DQM_EVENT_MAP_HCAL && info.detector == DQM_DETECTOR_HCAL)
                                || (m != DQM_EVENT_MAP_HCAL && info.detector == DQM_DETECTOR_ECAL
                                    && info.module == (m == DQM_EVENT_MAP_ECAL_PS ? 0u : 1u)));
      guint x = m == DQM_EVENT_MAP_HCAL ? info.module * DQM_HCAL_NX + info.x : info.x;

      dqm_plot_view_mark_cell (DQM_PLOT_VIEW (self->map_views[m]), here, x, info.y);
    }
}

static void
update_position (DqmInspector *self)
{
  g_autofree char *where = NULL;
  const DqmRecoEvent *e = self->reco_event;

  /* Nothing kept yet, or an empty recording. */
  if (self->mode != MODE_LIVE && dqm_event_list_length (self->list) == 0)
    {
      g_free (self->description);
      self->description = g_strdup (_("No event yet"));
      gtk_label_set_text (self->position, self->description);
      return;
    }
  switch (self->mode)
    {
    case MODE_LIVE:
      where = g_strdup (_("Live: the newest event"));
      break;
    case MODE_PAUSED:
      where = g_strdup_printf (_("Paused: event %u of the %u kept"), self->index + 1, dqm_event_list_length (self->list));
      break;
    case MODE_CANDIDATES:
      where = g_strdup_printf (_("Candidate %u of the %u kept"), self->index + 1, dqm_event_list_length (self->list));
      break;
    case MODE_FILE:
    default:
      where = g_strdup_printf (_("%s: event %u of %u"), self->file_name, self->index + 1,
                               dqm_event_list_length (self->list));
      break;
    }
  g_free (self->description);
  if (self->have_event)
    self->description = g_strdup_printf (_("%s · run %u · spill %u · event %u (id %llu) · %s%s"),
                                         where, e->run, e->spill, e->event_in_spill, (unsigned long long) e->event_id,
                                         class_label (e->event_class), e->candidate ? _(" · candidate") : "");
  else
    self->description = g_strdup_printf (_("%s · no event yet"), where);
  gtk_label_set_text (self->position, self->description);
}

/* Decode and reconstruct @message as the current event. */
static void
show_message (DqmInspector *self, const guint8 *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  DqmMessage message;

  if (!dqm_stream_decode (data, length, &message, self->event, &error) || message.type != DQM_MSG_EVT)
    {
      say (self, error ? error->message : _("not an event"));
      self->have_event = FALSE;
    }
  else
    {
      DqmBeam beam = self->list && dqm_event_list_get_beam (self->list) ? dqm_event_list_get_beam (self->list)
                                                                       : self->state_beam;

      use_beam (self, beam);
      dqm_reco_event (self->reco, message.run, self->event, self->reco_event);
      self->have_event = TRUE;
    }
  for (guint m = 0; m < DQM_N_EVENT_MAPS; m++)
    dqm_plot_view_set_data (DQM_PLOT_VIEW (self->map_views[m]),
                            self->have_event ? dqm_event_map_new (self->reco_event, m) : NULL);
  if (self->have_event && gtk_check_button_get_active (self->follow_max))
    gtk_drop_down_set_selected (self->channel_choice,
                                dqm_channel_slot (dqm_channel_ecal (1, self->reco_event->max_cell_x,
                                                                    self->reco_event->max_cell_y)));
  dqm_event_chart_set_event (DQM_EVENT_CHART (self->waveform), self->have_event ? self->event : NULL,
                             self->reco_event, self->setup);
  dqm_event_chart_set_channel (DQM_EVENT_CHART (self->waveform), selected_channel (self));
  dqm_event_chart_set_event (DQM_EVENT_CHART (self->tracker), self->have_event ? self->event : NULL,
                             self->reco_event, self->setup);
  mark_selected_cell (self);
  if (self->have_event)
    fill_quantities (self);
  update_position (self);
}

static void
show_current (DqmInspector *self)
{
  const guint8 *data;
  gsize length;

  if (self->mode == MODE_LIVE)
    {
      if (self->live_message)
        show_message (self, g_bytes_get_data (self->live_message, NULL), g_bytes_get_size (self->live_message));
      else
        update_position (self);
      return;
    }
  if (dqm_event_list_length (self->list) == 0)
    {
      self->have_event = FALSE;
      update_position (self);
      return;
    }
  self->index = MIN (self->index, dqm_event_list_length (self->list) - 1);
  data = dqm_event_list_get (self->list, self->index, &length);
  show_message (self, data, length);
}

static void
set_pause_button (DqmInspector *self, gboolean active)
{
  self->syncing_pause = TRUE;
  gtk_toggle_button_set_active (self->pause_button, active);
  self->syncing_pause = FALSE;
}

/* Browse @list (taken) in @mode, at @index. */
static void
browse (DqmInspector *self, DqmEventList *list, Mode mode, guint index)
{
  g_clear_pointer (&self->list, dqm_event_list_unref);
  self->list = list;
  self->mode = mode;
  self->index = index;
  set_pause_button (self, TRUE);
  show_current (self);
}

static void
go_live (DqmInspector *self)
{
  g_cancellable_cancel (self->search);
  self->searching = FALSE;
  g_clear_pointer (&self->list, dqm_event_list_unref);
  self->mode = MODE_LIVE;
  self->live_serial = 0; /* show the newest at once */
  set_pause_button (self, FALSE);
  say (self, NULL);
  show_current (self);
}

/* Freeze what the ring holds, standing on the newest event. */
static void
pause_live (DqmInspector *self)
{
  DqmEventList *list;

  if (self->mode != MODE_LIVE)
    return;
  if (self->ring == NULL)
    {
      set_pause_button (self, FALSE);
      return;
    }
  list = dqm_event_list_new_messages (dqm_event_ring_copy (self->ring));
  browse (self, list, MODE_PAUSED, dqm_event_list_length (list) ? dqm_event_list_length (list) - 1 : 0);
}

static gboolean
refresh_live (gpointer data)
{
  DqmInspector *self = data;
  GBytes *newest;

  if (self->mode != MODE_LIVE || self->ring == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return G_SOURCE_CONTINUE;
  newest = dqm_event_ring_newest (self->ring, &self->live_serial);
  if (newest)
    {
      g_clear_pointer (&self->live_message, g_bytes_unref);
      self->live_message = newest;
      show_current (self);
    }
  return G_SOURCE_CONTINUE;
}

/* --- actions ------------------------------------------------------------ */

static void
step (DqmInspector *self, gint64 delta)
{
  guint n;

  pause_live (self);
  if (self->list == NULL || (n = dqm_event_list_length (self->list)) == 0)
    return;
  self->index = (guint) CLAMP ((gint64) self->index + delta, 0, (gint64) n - 1);
  say (self, NULL);
  show_current (self);
}

static void
first_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  step (DQM_INSPECTOR (widget), G_MININT32);
}

static void
previous_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  step (DQM_INSPECTOR (widget), -1);
}

static void
next_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  step (DQM_INSPECTOR (widget), 1);
}

static void
last_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  step (DQM_INSPECTOR (widget), G_MAXINT32);
}

static void
pause_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmInspector *self = DQM_INSPECTOR (widget);

  if (self->mode == MODE_LIVE)
    pause_live (self);
  else
    go_live (self);
}

/* Searches run in a thread: a file may hold millions of events. */
typedef struct {
  DqmEventList  *lists[2];     /* tried in turn */
  Mode           modes[2];
  guint          from;
  int            direction;
  DqmEventMatch  match;
  gboolean       by_id;
  guint32        run;
  guint64        event_id;
  const DqmSetup *setup;
  int            found_list;   /* −1: none */
  guint          found;
} Search;

static void
search_free (Search *search)
{
  g_clear_pointer (&search->lists[0], dqm_event_list_unref);
  g_clear_pointer (&search->lists[1], dqm_event_list_unref);
  g_free (search);
}

static void
search_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Search *search = data;
  g_autoptr(DqmReco) reco = dqm_reco_new (search->setup);

  search->found_list = -1;
  for (int i = 0; i < 2 && search->lists[i] && search->found_list < 0; i++)
    {
      gboolean found = search->by_id
                       ? dqm_event_list_find_id (search->lists[i], search->run, search->event_id, cancellable,
                                                 &search->found)
                       : dqm_event_list_find (search->lists[i], reco, search->from, search->direction, search->match,
                                              cancellable, &search->found);
      if (found)
        search->found_list = i;
    }
  g_task_return_boolean (task, !g_cancellable_is_cancelled (cancellable));
}

static void
search_done (GObject *source, GAsyncResult *result, gpointer data)
{
  DqmInspector *self = DQM_INSPECTOR (source);
  Search *search = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return; /* cancelled: a newer request or the window went away */
  self->searching = FALSE;
  if (search->found_list < 0)
    {
      if (search->by_id)
        say (self, _("That candidate is no longer kept: keep more events in Preferences"));
      else
        say (self, search->direction > 0 ? _("No such event after this one") : _("No such event before this one"));
      return;
    }
  say (self, NULL);
  if (search->lists[search->found_list] == self->list)
    {
      self->index = search->found;
      show_current (self);
    }
  else
    browse (self, dqm_event_list_ref (search->lists[search->found_list]), search->modes[search->found_list],
            search->found);
}

static void
start_search (DqmInspector *self, Search *search)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
  self->search = g_cancellable_new ();
  search->setup = self->setup;
  task = g_task_new (self, self->search, search_done, NULL);
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  say (self, _("Searching…"));
  self->searching = TRUE;
  g_task_run_in_thread (task, search_thread);
}

static void
find (DqmInspector *self, int direction)
{
  Search *search;

  pause_live (self);
  if (self->list == NULL)
    return;
  search = g_new0 (Search, 1);
  search->lists[0] = dqm_event_list_ref (self->list);
  search->modes[0] = self->mode;
  search->from = self->index;
  search->direction = direction;
  search->match = gtk_drop_down_get_selected (self->match_choice);
  start_search (self, search);
}

static void
find_previous_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  find (DQM_INSPECTOR (widget), -1);
}

static void
find_next_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  find (DQM_INSPECTOR (widget), 1);
}

/* A candidate is looked for in the open file, else among the events kept,
 * else among the candidates kept apart. */
static void
on_candidate_activated (GtkListBox *box, GtkListBoxRow *row, DqmInspector *self)
{
  const DqmCandidate *c = &g_array_index (self->candidate_keys, DqmCandidate, gtk_list_box_row_get_index (row));
  Search *search = g_new0 (Search, 1);

  search->by_id = TRUE;
  search->run = c->run;
  search->event_id = c->event_id;
  if (self->mode == MODE_FILE)
    {
      search->lists[0] = dqm_event_list_ref (self->list);
      search->modes[0] = MODE_FILE;
    }
  else if (self->ring)
    {
      search->lists[0] = dqm_event_list_new_messages (dqm_event_ring_copy (self->ring));
      search->modes[0] = MODE_PAUSED;
      search->lists[1] = dqm_event_list_new_messages (dqm_event_ring_copy_candidates (self->ring));
      search->modes[1] = MODE_CANDIDATES;
    }
  start_search (self, search);
}

static void
on_pause_toggled (GtkToggleButton *button, DqmInspector *self)
{
  if (self->syncing_pause)
    return;
  if (gtk_toggle_button_get_active (button))
    pause_live (self);
  else
    go_live (self);
}

static void
on_cell_activated (DqmPlotView *view, guint ix, guint iy, DqmInspector *self)
{
  for (guint m = 0; m < DQM_N_EVENT_MAPS; m++)
    if (self->map_views[m] == GTK_WIDGET (view))
      {
        gtk_check_button_set_active (self->follow_max, FALSE);
        gtk_drop_down_set_selected (self->channel_choice, dqm_channel_slot (dqm_event_map_channel (m, ix, iy)));
      }
}

static void
on_channel_selected (GObject *choice, GParamSpec *pspec, DqmInspector *self)
{
  dqm_event_chart_set_channel (DQM_EVENT_CHART (self->waveform), selected_channel (self));
  mark_selected_cell (self);
}

/* --- from a bin to its events ------------------------------------------- */

typedef struct {
  DqmEventList   *list;
  Mode            mode;
  DqmDrillRegion  region;
  char           *what;      /* how the bin is said */
  const DqmSetup *setup;
  GArray         *found;     /* guint, newest first */
  GPtrArray      *labels;    /* "run · spill · event" of each */
} Drill;

#define DRILLED_MAX 500

static void
drill_free (Drill *drill)
{
  g_clear_pointer (&drill->list, dqm_event_list_unref);
  g_clear_pointer (&drill->found, g_array_unref);
  g_clear_pointer (&drill->labels, g_ptr_array_unref);
  g_free (drill->what);
  g_free (drill);
}

static void
drill_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Drill *drill = data;
  GError *error = NULL;
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);

  drill->found = dqm_drill_down (drill->list, drill->setup, &drill->region, DRILLED_MAX, cancellable, &error);
  if (drill->found == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  drill->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < drill->found->len; i++)
    {
      gsize length;
      const guint8 *bytes = dqm_event_list_get (drill->list, g_array_index (drill->found, guint, i), &length);
      DqmMessage message;

      if (dqm_stream_decode (bytes, length, &message, storage, NULL))
        g_ptr_array_add (drill->labels, g_strdup_printf (_("run %u · spill %u · event %llu"), message.run,
                                                          storage->spill, (unsigned long long) storage->event_id));
      else
        g_ptr_array_add (drill->labels, g_strdup ("?"));
    }
  g_task_return_boolean (task, TRUE);
}

static void
drill_done (GObject *source, GAsyncResult *result, gpointer data)
{
  DqmInspector *self = DQM_INSPECTOR (source);
  Drill *drill = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) labels = NULL;
  g_autofree char *said = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return; /* a newer request, or the window went away */
      self->searching = FALSE;
      say (self, error->message);
      return;
    }
  self->searching = FALSE;
  if (drill->found->len == 0)
    {
      said = g_strdup_printf (_("No kept event filled %s: keep more events in Preferences"), drill->what);
      say (self, said);
      gtk_widget_set_visible (GTK_WIDGET (self->drilled_choice), FALSE);
      return;
    }
  g_clear_pointer (&self->drilled_list, dqm_event_list_unref);
  g_clear_pointer (&self->drilled, g_array_unref);
  self->drilled_list = dqm_event_list_ref (drill->list);
  self->drilled = g_array_ref (drill->found);
  labels = gtk_string_list_new (NULL);
  for (guint i = 0; i < drill->labels->len; i++)
    gtk_string_list_append (labels, drill->labels->pdata[i]);
  gtk_drop_down_set_model (self->drilled_choice, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->drilled_choice, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->drilled_choice), TRUE);
  said = drill->found->len >= DRILLED_MAX
         ? g_strdup_printf (_("The newest %u kept events that filled %s"), drill->found->len, drill->what)
         : g_strdup_printf (ngettext ("%u kept event filled %s", "%u kept events filled %s", drill->found->len),
                            drill->found->len, drill->what);
  browse (self, dqm_event_list_ref (drill->list), drill->mode, g_array_index (drill->found, guint, 0));
  say (self, said);
}

static void
on_drilled_selected (GObject *choice, GParamSpec *pspec, DqmInspector *self)
{
  guint chosen = gtk_drop_down_get_selected (self->drilled_choice);

  if (self->drilled == NULL || chosen >= self->drilled->len || self->list != self->drilled_list)
    return;
  self->index = g_array_index (self->drilled, guint, chosen);
  show_current (self);
}

void
dqm_inspector_drill_down (DqmInspector *self, const DqmDrillRegion *region, const char *what)
{
  g_autoptr(GTask) task = NULL;
  Drill *drill;

  g_return_if_fail (DQM_IS_INSPECTOR (self));

  pause_live (self);
  if (self->list == NULL || self->setup == NULL)
    {
      say (self, _("No events are kept to look in"));
      return;
    }
  drill = g_new0 (Drill, 1);
  drill->list = dqm_event_list_ref (self->list);
  drill->mode = self->mode;
  drill->region = *region;
  drill->what = g_strdup (what);
  drill->setup = self->setup;
  g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
  self->search = g_cancellable_new ();
  task = g_task_new (self, self->search, drill_done, NULL);
  g_task_set_task_data (task, drill, (GDestroyNotify) drill_free);
  say (self, _("Looking for the events…"));
  self->searching = TRUE;
  g_task_run_in_thread (task, drill_thread);
}

/* --- the widget ---------------------------------------------------------- */

static void
dqm_inspector_dispose (GObject *object)
{
  DqmInspector *self = DQM_INSPECTOR (object);

  if (self->refresh)
    g_source_remove (self->refresh);
  self->refresh = 0;
  if (self->search)
    g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
  gtk_widget_dispose_template (GTK_WIDGET (self), DQM_TYPE_INSPECTOR);
  G_OBJECT_CLASS (dqm_inspector_parent_class)->dispose (object);
}

static void
dqm_inspector_finalize (GObject *object)
{
  DqmInspector *self = DQM_INSPECTOR (object);

  g_clear_pointer (&self->list, dqm_event_list_unref);
  g_clear_pointer (&self->live_message, g_bytes_unref);
  g_clear_pointer (&self->reco, dqm_reco_free);
  g_clear_pointer (&self->setups, dqm_setup_cache_free);
  g_clear_pointer (&self->candidate_keys, g_array_unref);
  g_clear_pointer (&self->drilled_list, dqm_event_list_unref);
  g_clear_pointer (&self->drilled, g_array_unref);
  g_free (self->event);
  g_free (self->reco_event);
  g_free (self->file_name);
  g_free (self->description);
  G_OBJECT_CLASS (dqm_inspector_parent_class)->finalize (object);
}

static void
dqm_inspector_class_init (DqmInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dqm_inspector_dispose;
  object_class->finalize = dqm_inspector_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/na64/dqm/ui/dqm-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, pause_button);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, position);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, message);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, match_choice);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, channel_choice);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, drilled_choice);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, follow_max);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, maps);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, charts);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, quantities);
  gtk_widget_class_bind_template_child (widget_class, DqmInspector, candidates);
  gtk_widget_class_install_action (widget_class, "inspector.pause", NULL, pause_activated);
  gtk_widget_class_install_action (widget_class, "inspector.first", NULL, first_activated);
  gtk_widget_class_install_action (widget_class, "inspector.previous", NULL, previous_activated);
  gtk_widget_class_install_action (widget_class, "inspector.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "inspector.last", NULL, last_activated);
  gtk_widget_class_install_action (widget_class, "inspector.find-previous", NULL, find_previous_activated);
  gtk_widget_class_install_action (widget_class, "inspector.find-next", NULL, find_next_activated);
}

static void
dqm_inspector_init (DqmInspector *self)
{
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->event = g_new0 (DqmEvent, 1);
  self->reco_event = g_new0 (DqmRecoEvent, 1);
  self->candidate_keys = g_array_new (FALSE, FALSE, sizeof (DqmCandidate));
  for (guint m = 0; m < DQM_N_EVENT_MAPS; m++)
    {
      self->map_views[m] = dqm_plot_view_new ("");
      gtk_widget_set_vexpand (self->map_views[m], TRUE);
      gtk_widget_set_tooltip_text (self->map_views[m], _("Click a cell to see its waveform"));
      g_signal_connect (self->map_views[m], "cell-activated", G_CALLBACK (on_cell_activated), self);
      gtk_box_append (self->maps, self->map_views[m]);
    }
  self->waveform = dqm_event_chart_new (DQM_EVENT_CHART_WAVEFORM);
  self->tracker = dqm_event_chart_new (DQM_EVENT_CHART_TRACKER);
  gtk_widget_set_vexpand (self->waveform, TRUE);
  gtk_widget_set_vexpand (self->tracker, TRUE);
  gtk_box_append (self->charts, self->waveform);
  gtk_box_append (self->charts, self->tracker);
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      g_autofree char *name = dqm_channel_name (dqm_channel_from_slot (slot));
      gtk_string_list_append (channels, name);
    }
  gtk_drop_down_set_model (self->channel_choice, G_LIST_MODEL (channels));
  gtk_drop_down_set_expression (self->channel_choice,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  g_signal_connect (self->channel_choice, "notify::selected", G_CALLBACK (on_channel_selected), self);
  g_signal_connect (self->drilled_choice, "notify::selected", G_CALLBACK (on_drilled_selected), self);
  g_signal_connect (self->pause_button, "toggled", G_CALLBACK (on_pause_toggled), self);
  g_signal_connect (self->candidates, "row-activated", G_CALLBACK (on_candidate_activated), self);
  self->refresh = g_timeout_add (LIVE_REFRESH_MS, refresh_live, self);
  update_position (self);
}

void
dqm_inspector_set_source (DqmInspector *self, DqmEventRing *ring, DqmConfig *config)
{
  self->ring = ring;
  /* Setups stay while a search may hold one: the first configuration does. */
  if (self->setups == NULL)
    self->setups = dqm_setup_cache_new (config);
  use_beam (self, self->state_beam);
}

void
dqm_inspector_set_state (DqmInspector *self, DqmState *state)
{
  GArray *all = state->candidates;

  if (state->run.beam && state->run.beam != self->state_beam)
    self->state_beam = state->run.beam;
  /* A new run (or a list that outgrew its length and lost its oldest)
   * starts the list again: what is shown must be a prefix of the state's. */
  if (all->len < self->candidate_keys->len
      || (self->candidate_keys->len > 0
          && memcmp (&g_array_index (all, DqmCandidate, 0), &g_array_index (self->candidate_keys, DqmCandidate, 0),
                     sizeof (DqmCandidate)) != 0))
    {
      GtkListBoxRow *first;

      /* (gtk_list_box_remove_all is GTK 4.12) */
      while ((first = gtk_list_box_get_row_at_index (self->candidates, 0)))
        gtk_list_box_remove (self->candidates, GTK_WIDGET (first));
      g_array_set_size (self->candidate_keys, 0);
    }
  for (guint i = self->candidate_keys->len; i < all->len; i++)
    {
      const DqmCandidate *c = &g_array_index (all, DqmCandidate, i);
      g_autofree char *text = g_strdup_printf (_("run %u · spill %u · event id %llu\n"
                                                 "E_ECAL %.1f GeV · E_HCAL %.1f GeV · VETO %.2f GeV"),
                                               c->run, c->spill, (unsigned long long) c->event_id, c->ecal_gev, c->hcal_gev,
                                               c->veto_sum_gev);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_list_box_append (self->candidates, label);
      g_array_append_val (self->candidate_keys, *c);
    }
}

/* Indexing a long recording reads all of it: a thread does it. */
static void
open_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  DqmEventList *list = dqm_event_list_new_file (data, &error);

  if (list)
    g_task_return_pointer (task, list, (GDestroyNotify) dqm_event_list_unref);
  else
    g_task_return_error (task, error);
}

static void
open_done (GObject *source, GAsyncResult *result, gpointer data)
{
  DqmInspector *self = DQM_INSPECTOR (source);
  g_autoptr(GError) error = NULL;
  DqmEventList *list = g_task_propagate_pointer (G_TASK (result), &error);
  const char *damage = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer request, or the window went away */
  self->searching = FALSE;
  if (list == NULL)
    {
      say (self, error->message);
      return;
    }
  g_free (self->file_name);
  self->file_name = g_path_get_basename (g_task_get_task_data (G_TASK (result)));
  browse (self, list, MODE_FILE, 0);
  if (dqm_event_list_get_damage (list, &damage))
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u damaged stretch skipped: %s",
                                                            "%u damaged stretches skipped: %s",
                                                            dqm_event_list_get_damage (list, NULL)),
                                               dqm_event_list_get_damage (list, NULL), damage);
      say (self, text);
    }
  else if (dqm_event_list_length (list) == 0)
    say (self, _("The recording holds no events"));
  else
    say (self, NULL);
}

void
dqm_inspector_open_file (DqmInspector *self, const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *text = g_strdup_printf (_("Reading %s…"), name);
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
  self->search = g_cancellable_new ();
  task = g_task_new (self, self->search, open_done, NULL);
  g_task_set_task_data (task, g_strdup (path), g_free);
  say (self, text);
  self->searching = TRUE;
  g_task_run_in_thread (task, open_thread);
}

const char *
dqm_inspector_get_message (DqmInspector *self)
{
  return gtk_label_get_text (self->message);
}

const char *
dqm_inspector_describe (DqmInspector *self)
{
  return self->description;
}

gboolean
dqm_inspector_is_searching (DqmInspector *self)
{
  return self->searching;
}
