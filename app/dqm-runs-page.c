/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmRunsPage: the registry read in a GTask (SQLite never runs on the
 * display's thread: a slow disk must not freeze the wall screen), shown as
 * a GtkColumnView over a filter and a sort model, and two series charts. */
#include "dqm-runs-page.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dqm-plot-series.h"
#include "dqm-registry-store.h"
#include "dqm-registry-trends.h"
#include "dqm-run-row.h"
#include "dqm-series-chart.h"

typedef enum {
  COLUMN_RUN, COLUMN_BEAM, COLUMN_ENERGY, COLUMN_START, COLUMN_EOT, COLUMN_EVENTS, COLUMN_PURITY, COLUMN_VETO,
  COLUMN_CANDIDATES, COLUMN_VERDICT, COLUMN_FLAG, COLUMN_COMMENT, N_COLUMNS
} Column;

static const struct {
  const char *title;
  gboolean    numeric;
} columns[N_COLUMNS] = {
  [COLUMN_RUN] = { N_("Run"), TRUE },
  [COLUMN_BEAM] = { N_("Beam"), FALSE },
  [COLUMN_ENERGY] = { N_("GeV"), TRUE },
  [COLUMN_START] = { N_("Started"), FALSE },
  [COLUMN_EOT] = { N_("EOT"), TRUE },
  [COLUMN_EVENTS] = { N_("Events"), TRUE },
  [COLUMN_PURITY] = { N_("Purity"), TRUE },
  [COLUMN_VETO] = { N_("VETO eff. (worst)"), TRUE },
  [COLUMN_CANDIDATES] = { N_("Candidates"), TRUE },
  [COLUMN_VERDICT] = { N_("Verdict"), FALSE },
  [COLUMN_FLAG] = { N_("Shifter"), FALSE },
  [COLUMN_COMMENT] = { N_("Comment"), FALSE },
};

/* The verdicts and flags as the registry spells them, translated when shown. */
static const char *const verdict_names[] G_GNUC_UNUSED = { N_("good"), N_("warning"), N_("bad") };

/* One colour a beam on the EOT plot. */
static const struct {
  const char *beam;
  double      rgb[3];
} beam_colours[] = {
  { "e-", { 0.12, 0.40, 0.75 } }, { "e+", { 0.90, 0.45, 0.05 } },
  { "mu-", { 0.18, 0.55, 0.20 } }, { "pi-", { 0.55, 0.25, 0.65 } },
};

struct _DqmRunsPage {
  GtkBox          parent_instance;
  GtkSearchEntry *filter_entry;
  GtkDropDown    *beam_choice, *trend_choice;
  GtkLabel       *registry_label, *flag_label, *message_label;
  GtkColumnView  *table;
  GtkEntry       *comment_entry;
  GtkButton      *good_button, *bad_button, *clear_button, *open_button;
  GtkToggleButton *per_run_button;
  GtkSpinButton  *hours_button;
  GtkWidget      *eot_chart, *trend_chart;
  GListStore     *rows;
  GtkCustomFilter *filter;
  GtkSingleSelection *selection;
  char           *registry;
  DqmLink        *link;
  const DqmSetup *setup;
  guint32         live_run;
  GArray         *runs, *spills;   /* as last read; NULL before */
  GCancellable   *loading;         /* a read under way */
  GArray         *waiting;         /* Waiter: for the next read */
  gboolean        read_again;      /* asked for during the read under way */
  guint           timer, soon;
};

G_DEFINE_FINAL_TYPE (DqmRunsPage, dqm_runs_page, GTK_TYPE_BOX)

enum { SIGNAL_OPEN_SNAPSHOT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- cells ---------------------------------------------------------------- */

static char *
format_share (double value)
{
  return isfinite (value) ? g_strdup_printf ("%.4f", value) : g_strdup ("–");
}

static char *
cell_text (const DqmRegistryRun *r, Column column)
{
  switch (column)
    {
    case COLUMN_RUN: return g_strdup_printf ("%u", r->run);
    case COLUMN_BEAM: return g_strdup (r->beam);
    case COLUMN_ENERGY: return g_strdup_printf ("%.0f", r->beam_energy_gev);
    case COLUMN_START:
      {
        g_autoptr(GDateTime) utc = r->start_time[0] ? g_date_time_new_from_iso8601 (r->start_time, NULL) : NULL;
        g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

        return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("–");
      }
    case COLUMN_EOT: return dqm_plot_format_count (r->beam_counts);
    case COLUMN_EVENTS: return g_strdup_printf ("%" G_GUINT64_FORMAT, r->events);
    case COLUMN_PURITY: return format_share (r->purity);
    case COLUMN_VETO: return format_share (r->veto_efficiency);
    case COLUMN_CANDIDATES: return g_strdup_printf ("%" G_GUINT64_FORMAT, r->candidates);
    case COLUMN_VERDICT: return g_strdup (r->quality[0] ? _(r->quality) : _("running"));
    case COLUMN_FLAG: return g_strdup (r->shifter_flag[0] ? _(r->shifter_flag) : "");
    case COLUMN_COMMENT: return g_strdup (r->comment);
    default: g_return_val_if_reached (NULL);
    }
}

static double
cell_number (const DqmRegistryRun *r, Column column)
{
  switch (column)
    {
    case COLUMN_RUN: return r->run;
    case COLUMN_ENERGY: return r->beam_energy_gev;
    case COLUMN_EOT: return r->beam_counts;
    case COLUMN_EVENTS: return r->events;
    case COLUMN_PURITY: return isfinite (r->purity) ? r->purity : -1; /* unmeasured sorts low */
    case COLUMN_VETO: return isfinite (r->veto_efficiency) ? r->veto_efficiency : -1;
    case COLUMN_CANDIDATES: return r->candidates;
    default: g_return_val_if_reached (0);
    }
}

static int
compare_rows (gconstpointer a, gconstpointer b, gpointer data)
{
  const DqmRegistryRun *x = dqm_run_row_get ((DqmRunRow *) a), *y = dqm_run_row_get ((DqmRunRow *) b);
  Column column = GPOINTER_TO_UINT (data);
  g_autofree char *tx = NULL, *ty = NULL;

  if (columns[column].numeric)
    {
      double u = cell_number (x, column), v = cell_number (y, column);

      return u < v ? GTK_ORDERING_SMALLER : u > v ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
  /* Times sort as their ISO text; the rest as people read them. */
  if (column == COLUMN_START)
    return gtk_ordering_from_cmpfunc (strcmp (x->start_time, y->start_time));
  tx = cell_text (x, column);
  ty = cell_text (y, column);
  return gtk_ordering_from_cmpfunc (g_utf8_collate (tx, ty));
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[GPOINTER_TO_UINT (data)].numeric ? 1 : 0);
  if (GPOINTER_TO_UINT (data) == COLUMN_COMMENT)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (columns[GPOINTER_TO_UINT (data)].numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  const DqmRegistryRun *r = dqm_run_row_get (gtk_list_item_get_item (item));
  Column column = GPOINTER_TO_UINT (data);
  g_autofree char *text = cell_text (r, column);
  const char *verdict = column == COLUMN_VERDICT ? r->quality : column == COLUMN_FLAG ? r->shifter_flag : "";

  gtk_label_set_text (GTK_LABEL (label), text);
  for (guint i = 0; i < 3; i++)
    {
      static const char *const names[] = { "good", "warning", "bad" };
      g_autofree char *css = g_strconcat ("verdict-", names[i], NULL);

      if (g_str_equal (verdict, names[i]))
        gtk_widget_add_css_class (label, css);
      else
        gtk_widget_remove_css_class (label, css);
    }
  if (column == COLUMN_VERDICT || column == COLUMN_COMMENT)
    gtk_widget_set_tooltip_text (label, column == COLUMN_VERDICT ? r->quality_reason : r->comment);
}

static void
add_columns (DqmRunsPage *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (c), NULL));

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == COLUMN_COMMENT);
      gtk_column_view_append_column (self->table, column);
      g_object_unref (column);
    }
}

/* --- filter --------------------------------------------------------------- */

static gboolean
row_matches (gpointer item, gpointer data)
{
  DqmRunsPage *self = data;
  const DqmRegistryRun *r = dqm_run_row_get (item);
  guint beam = gtk_drop_down_get_selected (self->beam_choice);
  const char *wanted = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *needle = NULL, *haystack = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (beam > 0 && beam != GTK_INVALID_LIST_POSITION
      && !g_str_equal (r->beam, gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (self->beam_choice)), beam)))
    return FALSE;
  if (wanted == NULL || *wanted == '\0')
    return TRUE;
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      g_autofree char *cell = cell_text (r, c);

      g_string_append_printf (text, "%s\n", cell);
    }
  g_string_append_printf (text, "%s\n%s", r->setup_tag, r->quality_reason);
  needle = g_utf8_casefold (wanted, -1);
  haystack = g_utf8_casefold (text->str, -1);
  return strstr (haystack, needle) != NULL;
}

static void
on_filter_changed (DqmRunsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* --- charts --------------------------------------------------------------- */

static const double *
beam_colour (const char *beam)
{
  static const double grey[3] = { 0.45, 0.45, 0.45 };

  for (guint i = 0; i < G_N_ELEMENTS (beam_colours); i++)
    if (g_str_equal (beam_colours[i].beam, beam))
      return beam_colours[i].rgb;
  return grey;
}

static void
show_eot (DqmRunsPage *self, gint64 now_us)
{
  g_autoptr(GPtrArray) curves = dqm_registry_eot_curves ((const DqmRegistryRun *) self->runs->data, self->runs->len,
                                                         now_us);
  g_autoptr(GArray) series = g_array_new (FALSE, TRUE, sizeof (DqmPlotSeries));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target_label = NULL, *titles = NULL, *live = NULL;
  double total = 0, target = self->setup ? self->setup->dqm.eot_target : 0;
  DqmPlotLine line = { target, NULL, { 0.78, 0.16, 0.16 } };

  for (guint k = 0; k < curves->len; k++)
    {
      DqmRegistryCurve *c = curves->pdata[k];
      double sum = g_array_index (c->values, double, c->values->len - 1);
      g_autofree char *count = dqm_plot_format_count (sum);
      DqmPlotSeries s = { NULL, (double *) c->hours->data, (double *) c->values->data, c->hours->len,
                          { 0, 0, 0 }, TRUE };

      memcpy (s.rgb, beam_colour (c->beam), sizeof s.rgb);
      s.label = g_strdup_printf (_("%s beam: %s EOT"), c->beam, count);
      g_ptr_array_add (labels, (char *) s.label);
      g_array_append_val (series, s);
      total += sum;
    }
  for (guint i = 0; i < self->runs->len; i++)
    {
      const DqmRegistryRun *r = &g_array_index (self->runs, DqmRegistryRun, i);

      if (self->live_run && r->run == self->live_run)
        {
          g_autofree char *count = dqm_plot_format_count (r->beam_counts);

          live = g_strdup_printf (_(", run %u (now) %s"), r->run, count);
        }
    }
  {
    g_autofree char *sum = dqm_plot_format_count (total);

    titles = g_strdup_printf (_("Particles on target accumulated: %s%s;hours (0 = now);EOT"), sum, live ? live : "");
  }
  if (target > 0)
    {
      g_autofree char *goal = dqm_plot_format_count (target);

      target_label = g_strdup_printf (_("beamtime target %s EOT: %.3g %% reached"), goal, 100 * total / target);
      line.label = target_label;
    }
  /* The target beyond three times what was taken is said, not drawn: the
   * curves would lie flat on the axis. */
  dqm_series_chart_set (DQM_SERIES_CHART (self->eot_chart), titles, (const DqmPlotSeries *) series->data, series->len,
                        &line, target > 0, 3, _("No runs in the registry yet"));
}

static void
show_trend (DqmRunsPage *self, gint64 now_us)
{
  DqmTrend trend = MIN (gtk_drop_down_get_selected (self->trend_choice), DQM_N_TRENDS - 1);
  gboolean per_run = gtk_toggle_button_get_active (self->per_run_button);
  double hours = gtk_spin_button_get_value (self->hours_button);
  g_autoptr(GArray) recent = g_array_new (FALSE, TRUE, sizeof (DqmRegistrySpill));
  g_autoptr(DqmRegistryCurve) curve = NULL;
  g_autofree char *titles = NULL, *warning = NULL, *alarm = NULL;
  DqmPlotSeries series = { NULL };
  DqmPlotLine lines[2] = { { 0, NULL, { 0.70, 0.42, 0.0 } }, { 0, NULL, { 0.78, 0.16, 0.16 } } };
  DqmLimits limits;
  guint n_lines = 0;

  for (guint i = 0; i < self->spills->len; i++)
    {
      const DqmRegistrySpill *s = &g_array_index (self->spills, DqmRegistrySpill, i);

      if (dqm_registry_parse_time (s->time) >= now_us - (gint64) (hours * 3600 * G_USEC_PER_SEC))
        g_array_append_val (recent, *s);
    }
  curve = dqm_registry_trend (trend, (const DqmRegistrySpill *) recent->data, recent->len, per_run, now_us);
  /* Spills come every ten seconds or so: a longer silence is between runs. */
  series = (DqmPlotSeries) { NULL, (double *) curve->hours->data, (double *) curve->values->data, curve->hours->len,
                             { 0.12, 0.40, 0.75 }, FALSE, per_run ? 0 : 0.25 };
  if (self->setup && dqm_trend_limits (trend, self->setup, &limits))
    {
      warning = g_strdup_printf (_("WARNING %g"), limits.warning);
      alarm = g_strdup_printf (_("ALARM %g"), limits.alarm);
      lines[0].value = limits.warning;
      lines[0].label = warning;
      lines[1].value = limits.alarm;
      lines[1].label = alarm;
      n_lines = 2;
    }
  titles = g_strdup_printf (per_run ? _("%s, per run;hours (0 = now);") : _("%s, per spill;hours (0 = now);"),
                            _(dqm_trend_info (trend)->title));
  dqm_series_chart_set (DQM_SERIES_CHART (self->trend_chart), titles, &series, 1, lines, n_lines, 0,
                        _("No spills in these hours"));
}

static void
show_charts (DqmRunsPage *self)
{
  gint64 now_us = g_get_real_time ();

  if (self->runs == NULL)
    return;
  show_eot (self, now_us);
  show_trend (self, now_us);
}

/* --- reading the file ----------------------------------------------------- */

typedef struct {
  GArray *runs, *spills;
} Reading;

static void
reading_free (Reading *reading)
{
  g_clear_pointer (&reading->runs, g_array_unref);
  g_clear_pointer (&reading->spills, g_array_unref);
  g_free (reading);
}

static void
read_registry (GTask *task, gpointer source, gpointer path, GCancellable *cancellable)
{
  g_autoptr(sqlite3) db = NULL;
  GError *error = NULL;
  Reading *reading = g_new0 (Reading, 1);
  /* The trends look back at most as far as the page lets them. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_hours (now, -720);
  g_autofree char *since_text = g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ");

  if ((db = dqm_registry_store_open (path, FALSE, 0, &error)) == NULL
      || (reading->runs = dqm_registry_store_runs (db, NULL, NULL, &error)) == NULL
      || (reading->spills = dqm_registry_store_spills (db, since_text, &error)) == NULL)
    {
      reading_free (reading);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, reading, (GDestroyNotify) reading_free);
}

static void
select_run (DqmRunsPage *self, guint32 run)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DqmRunRow) row = g_list_model_get_item (model, i);

      if (dqm_run_row_get (row)->run == run)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

static guint32
selected_run (DqmRunsPage *self)
{
  DqmRunRow *row = gtk_single_selection_get_selected_item (self->selection);

  return row ? dqm_run_row_get (row)->run : 0;
}

static void
show_reading (DqmRunsPage *self, Reading *reading)
{
  guint32 kept = selected_run (self);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%X");
  g_autofree char *said = NULL;

  g_clear_pointer (&self->runs, g_array_unref);
  g_clear_pointer (&self->spills, g_array_unref);
  self->runs = g_steal_pointer (&reading->runs);
  self->spills = g_steal_pointer (&reading->spills);
  for (guint i = 0; i < self->runs->len; i++)
    g_ptr_array_add (rows, dqm_run_row_new (&g_array_index (self->runs, DqmRegistryRun, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), rows->pdata, rows->len);
  if (kept)
    select_run (self, kept);
  said = g_strdup_printf (ngettext ("%s: %u run, read at %s", "%s: %u runs, read at %s", self->runs->len),
                          self->registry, self->runs->len, when);
  gtk_label_set_text (self->registry_label, said);
  gtk_widget_remove_css_class (GTK_WIDGET (self->registry_label), "runs-refused");
  show_charts (self);
}

/* Who waits for a read: called once the page shows one begun after they asked. */
typedef struct {
  GCallback done;
  gpointer  data;
} Waiter;

typedef struct {
  DqmRunsPage *page;
  char        *path;     /* what was read: the source may change meanwhile */
  GArray      *waiters;  /* Waiter */
} Read;

static void
read_free (Read *read)
{
  g_free (read->path);
  g_array_unref (read->waiters);
  g_free (read);
}

static void start_read (DqmRunsPage *self);

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Read *read = data;
  DqmRunsPage *self = read->page;
  g_autoptr(GError) error = NULL;
  Reading *reading = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read_free (read);
      return; /* the page is going away */
    }
  g_clear_object (&self->loading);
  if (g_strcmp0 (read->path, self->registry) != 0)
    ; /* another file now: what this one said is not shown under its name */
  else if (reading)
    show_reading (self, reading);
  else
    {
      g_autofree char *said = g_strdup_printf (_("The registry could not be read: %s"), error->message);

      /* What was read before stays: a locked moment is no reason to blank the table. */
      gtk_label_set_text (self->registry_label, said);
      gtk_widget_add_css_class (GTK_WIDGET (self->registry_label), "runs-refused");
    }
  g_clear_pointer (&reading, reading_free);
  for (guint i = 0; i < read->waiters->len; i++)
    {
      Waiter *w = &g_array_index (read->waiters, Waiter, i);

      ((void (*) (gpointer)) w->done) (w->data);
    }
  read_free (read);
  /* Asked for while this read was under way, or the source changed: again. */
  if ((self->waiting->len || self->read_again) && self->registry)
    start_read (self);
}

static void
start_read (DqmRunsPage *self)
{
  g_autoptr(GTask) task = NULL;
  Read *read = g_new0 (Read, 1);

  read->page = self;
  read->path = g_strdup (self->registry);
  read->waiters = self->waiting;
  self->waiting = g_array_new (FALSE, FALSE, sizeof (Waiter));
  self->read_again = FALSE;
  self->loading = g_cancellable_new ();
  task = g_task_new (NULL, self->loading, on_read, read);
  g_task_set_task_data (task, g_strdup (self->registry), g_free);
  g_task_run_in_thread (task, (GTaskThreadFunc) read_registry);
}

void
dqm_runs_page_reload (DqmRunsPage *self, GCallback done, gpointer data)
{
  g_return_if_fail (DQM_IS_RUNS_PAGE (self));

  if (self->registry == NULL)
    {
      if (done)
        ((void (*) (gpointer)) done) (data);
      return;
    }
  if (done)
    g_array_append_val (self->waiting, ((Waiter) { done, data }));
  if (self->loading)
    self->read_again = TRUE; /* once this read ends */
  else
    start_read (self);
}

static gboolean
on_timer (gpointer data)
{
  DqmRunsPage *self = data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    dqm_runs_page_reload (self, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

/* --- flags and snapshots -------------------------------------------------- */

static void
on_selection_changed (DqmRunsPage *self)
{
  DqmRunRow *row = gtk_single_selection_get_selected_item (self->selection);
  const DqmRegistryRun *r = row ? dqm_run_row_get (row) : NULL;
  g_autofree char *text = r ? g_strdup_printf (_("Run %u (%s, %.0f GeV):"), r->run, r->beam, r->beam_energy_gev)
                            : g_strdup (_("Select a run to flag it"));
  gboolean can_flag = r && self->link;

  gtk_label_set_text (self->flag_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->good_button), can_flag);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bad_button), can_flag);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), can_flag && r->shifter_flag[0]);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), r && r->snapshot[0]);
}

static gboolean
on_soon (gpointer data)
{
  DqmRunsPage *self = data;

  self->soon = 0;
  on_timer (self);
  return G_SOURCE_REMOVE;
}

static void
reload_soon (DqmRunsPage *self)
{
  /* The flag goes through a queue and a writer thread before it is in the file. */
  g_clear_handle_id (&self->soon, g_source_remove);
  self->soon = g_timeout_add (1000, on_soon, self);
}

static void
flag (DqmRunsPage *self, const char *verdict)
{
  guint32 run = selected_run (self);
  const char *comment = gtk_editable_get_text (GTK_EDITABLE (self->comment_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  if (run == 0 || self->link == NULL)
    return;
  if (!dqm_link_flag_run (self->link, run, verdict, comment, &error))
    {
      said = g_strdup_printf (_("Run %u not flagged: %s"), run, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "runs-refused");
    }
  else
    {
      said = verdict[0] ? g_strdup_printf (_("Run %u flagged %s by %s"), run, _(verdict), g_get_user_name ())
                        : g_strdup_printf (_("Run %u: flag cleared"), run);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "runs-refused");
      gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
      reload_soon (self);
    }
  gtk_label_set_text (self->message_label, said);
}

static void
on_good (DqmRunsPage *self)
{
  flag (self, "good");
}

static void
on_bad (DqmRunsPage *self)
{
  flag (self, "bad");
}

static void
on_clear (DqmRunsPage *self)
{
  flag (self, "");
}

static void
open_selected (DqmRunsPage *self)
{
  DqmRunRow *row = gtk_single_selection_get_selected_item (self->selection);

  if (row && dqm_run_row_get (row)->snapshot[0])
    g_signal_emit (self, signals[SIGNAL_OPEN_SNAPSHOT], 0, dqm_run_row_get (row)->run, dqm_run_row_get (row)->snapshot);
}

static void
on_activate (GtkColumnView *view, guint position, DqmRunsPage *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  open_selected (self);
}

/* --- the object ----------------------------------------------------------- */

static void
dqm_runs_page_dispose (GObject *object)
{
  DqmRunsPage *self = DQM_RUNS_PAGE (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->soon, g_source_remove);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  gtk_widget_dispose_template (GTK_WIDGET (self), DQM_TYPE_RUNS_PAGE);
  G_OBJECT_CLASS (dqm_runs_page_parent_class)->dispose (object);
}

static void
dqm_runs_page_finalize (GObject *object)
{
  DqmRunsPage *self = DQM_RUNS_PAGE (object);

  g_clear_object (&self->rows);
  g_clear_pointer (&self->runs, g_array_unref);
  g_clear_pointer (&self->spills, g_array_unref);
  g_clear_pointer (&self->waiting, g_array_unref);
  g_free (self->registry);
  G_OBJECT_CLASS (dqm_runs_page_parent_class)->finalize (object);
}

static void
dqm_runs_page_class_init (DqmRunsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dqm_runs_page_dispose;
  object_class->finalize = dqm_runs_page_finalize;
  /* (run, snapshot directory): the window shows it beside the live view. */
  signals[SIGNAL_OPEN_SNAPSHOT] = g_signal_new ("open-snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  g_type_ensure (DQM_TYPE_SERIES_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/na64/dqm/ui/dqm-runs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, beam_choice);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, trend_choice);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, registry_label);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, flag_label);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, table);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, good_button);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, bad_button);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, per_run_button);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, hours_button);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, eot_chart);
  gtk_widget_class_bind_template_child (widget_class, DqmRunsPage, trend_chart);
}

static void
dqm_runs_page_init (DqmRunsPage *self)
{
  g_autoptr(GtkStringList) trends = gtk_string_list_new (NULL);
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  for (DqmTrend t = 0; t < DQM_N_TRENDS; t++)
    gtk_string_list_append (trends, _(dqm_trend_info (t)->title));
  gtk_drop_down_set_model (self->trend_choice, G_LIST_MODEL (trends));
  add_columns (self);
  self->rows = g_list_store_new (DQM_TYPE_RUN_ROW);
  self->waiting = g_array_new (FALSE, FALSE, sizeof (Waiter));
  self->filter = gtk_custom_filter_new (row_matches, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)), GTK_FILTER (self->filter));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered), g_object_ref (gtk_column_view_get_sorter (self->table)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->selection); /* the view holds it */
  g_signal_connect_swapped (self->filter_entry, "search-changed", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->beam_choice, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->trend_choice, "notify::selected", G_CALLBACK (show_charts), self);
  g_signal_connect_swapped (self->per_run_button, "toggled", G_CALLBACK (show_charts), self);
  g_signal_connect_swapped (self->hours_button, "value-changed", G_CALLBACK (show_charts), self);
  g_signal_connect_swapped (self->good_button, "clicked", G_CALLBACK (on_good), self);
  g_signal_connect_swapped (self->bad_button, "clicked", G_CALLBACK (on_bad), self);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (on_clear), self);
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (open_selected), self);
  g_signal_connect (self->table, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (on_timer), self);
  self->timer = g_timeout_add_seconds (DQM_RUNS_PAGE_RELOAD_S, on_timer, self);
  gtk_label_set_text (self->registry_label, _("No run registry: the display reads one with --registry FILE"));
}

GtkWidget *
dqm_runs_page_new (void)
{
  return g_object_new (DQM_TYPE_RUNS_PAGE, NULL);
}

void
dqm_runs_page_set_source (DqmRunsPage *self, const char *registry, DqmLink *link, const DqmSetup *setup)
{
  g_return_if_fail (DQM_IS_RUNS_PAGE (self));

  g_free (self->registry);
  self->registry = g_strdup (registry);
  self->link = link;
  self->setup = setup;
  if (self->loading)
    self->read_again = TRUE; /* the read under way is of the old file */
  if (registry)
    gtk_label_set_text (self->registry_label, registry);
  on_selection_changed (self);
}

void
dqm_runs_page_set_live_run (DqmRunsPage *self, guint32 run)
{
  g_return_if_fail (DQM_IS_RUNS_PAGE (self));

  self->live_run = run;
}

guint
dqm_runs_page_count_shown (DqmRunsPage *self)
{
  g_return_val_if_fail (DQM_IS_RUNS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}
