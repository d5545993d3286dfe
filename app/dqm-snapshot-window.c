/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The snapshot's histograms.json read in a GTask, then one plot view per
 * name with its histogram. */
#include "dqm-snapshot-window.h"

#include <glib/gi18n.h>

#include "dqm-plot-view.h"
#include "dqm-reference.h"

typedef struct {
  GtkWindow  *window;     /* weak */
  GtkGrid    *grid;
  GtkLabel   *status;
  GStrv       names;
  guint       columns;
} Opening;

static void
opening_free (Opening *opening)
{
  if (opening->window)
    g_object_remove_weak_pointer (G_OBJECT (opening->window), (gpointer *) &opening->window);
  g_strfreev (opening->names);
  g_free (opening);
}

static void
load (GTask *task, gpointer source, gpointer dir, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *histograms = dqm_reference_load (dir, &error);

  if (histograms)
    g_task_return_pointer (task, histograms, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static const DqmHistogram *
find (GPtrArray *histograms, const char *name)
{
  for (guint i = 0; i < histograms->len; i++)
    if (g_str_equal (((DqmHistogram *) histograms->pdata[i])->name, name))
      return histograms->pdata[i];
  return NULL;
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  Opening *opening = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) histograms = g_task_propagate_pointer (G_TASK (result), &error);
  guint shown = 0;

  if (opening->window == NULL)
    {
      opening_free (opening);
      return; /* closed meanwhile */
    }
  if (histograms == NULL)
    {
      g_autofree char *said = g_strdup_printf (_("The snapshot could not be read: %s"), error->message);

      gtk_label_set_text (opening->status, said);
      opening_free (opening);
      return;
    }
  for (guint i = 0; opening->names[i]; i++)
    {
      const DqmHistogram *h = find (histograms, opening->names[i]);
      GtkWidget *view;

      if (h == NULL)
        continue;
      view = dqm_plot_view_new (opening->names[i]);
      dqm_plot_view_set_log_scale (DQM_PLOT_VIEW (view), dqm_histogram_is_2d (h));
      dqm_plot_view_set_data (DQM_PLOT_VIEW (view), dqm_histogram_copy (h));
      gtk_grid_attach (opening->grid, view, shown % opening->columns, shown / opening->columns, 1, 1);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (opening->status), shown == 0);
  if (shown == 0)
    gtk_label_set_text (opening->status, _("The snapshot holds none of the live view's histograms"));
  opening_free (opening);
}

GtkWindow *
dqm_snapshot_window_new (GtkWindow *parent, guint32 run, const char *snapshot_dir, const char *const *names,
                         guint columns)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *status = gtk_label_new (_("Reading the snapshot…"));
  g_autofree char *title = g_strdup_printf (_("Run %u: its snapshot"), run);
  g_autoptr(GTask) task = NULL;
  Opening *opening = g_new0 (Opening, 1);

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_vexpand (grid, TRUE);
  gtk_label_set_selectable (GTK_LABEL (status), TRUE);
  gtk_box_append (GTK_BOX (box), status);
  gtk_box_append (GTK_BOX (box), grid);
  {
    /* Which directory it is, for whoever wants the files. */
    GtkWidget *where = gtk_label_new (snapshot_dir);

    gtk_label_set_selectable (GTK_LABEL (where), TRUE);
    gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_START);
    gtk_widget_add_css_class (where, "statusbar");
    gtk_box_append (GTK_BOX (box), where);
  }
  gtk_window_set_child (GTK_WINDOW (window), box);
  opening->window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &opening->window);
  opening->grid = GTK_GRID (grid);
  opening->status = GTK_LABEL (status);
  opening->names = g_strdupv ((char **) names);
  opening->columns = MAX (columns, 1);
  task = g_task_new (NULL, NULL, on_loaded, opening);
  g_task_set_task_data (task, g_strdup (snapshot_dir), g_free);
  g_task_run_in_thread (task, load);
  return GTK_WINDOW (window);
}
