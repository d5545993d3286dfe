/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmSeriesChart keeps its own copy of the series and lines it draws. */
#include "dqm-series-chart.h"

#include "dqm-widget-style.h"

struct _DqmSeriesChart {
  GtkWidget      parent_instance;
  char          *titles, *empty;
  GArray        *series;   /* DqmPlotSeries, pointing into @strings and @numbers */
  GArray        *lines;    /* DqmPlotLine */
  GPtrArray     *strings;  /* labels */
  GPtrArray     *numbers;  /* x and y arrays */
  double         line_reach;
};

G_DEFINE_FINAL_TYPE (DqmSeriesChart, dqm_series_chart, GTK_TYPE_WIDGET)

static void
dqm_series_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DqmSeriesChart *self = DQM_SERIES_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  DqmPlotStyle style;

  dqm_plot_style_init (&style);
  style.dark = dqm_widget_prefers_dark (widget);
  if (self->titles == NULL)
    dqm_widget_draw_placeholder (widget, cr, width, height, "");
  else
    dqm_plot_series (cr, width, height, self->titles, (const DqmPlotSeries *) self->series->data, self->series->len,
                     (const DqmPlotLine *) self->lines->data, self->lines->len, self->line_reach, self->empty,
                     &style);
  cairo_destroy (cr);
}

static void
dqm_series_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                          int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 300;
}

static void
dqm_series_chart_finalize (GObject *object)
{
  DqmSeriesChart *self = DQM_SERIES_CHART (object);

  g_free (self->titles);
  g_free (self->empty);
  g_array_unref (self->series);
  g_array_unref (self->lines);
  g_ptr_array_unref (self->strings);
  g_ptr_array_unref (self->numbers);
  G_OBJECT_CLASS (dqm_series_chart_parent_class)->finalize (object);
}

static void
dqm_series_chart_class_init (DqmSeriesChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = dqm_series_chart_finalize;
  widget_class->snapshot = dqm_series_chart_snapshot;
  widget_class->measure = dqm_series_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "serieschart");
}

static void
dqm_series_chart_init (DqmSeriesChart *self)
{
  self->series = g_array_new (FALSE, TRUE, sizeof (DqmPlotSeries));
  self->lines = g_array_new (FALSE, TRUE, sizeof (DqmPlotLine));
  self->strings = g_ptr_array_new_with_free_func (g_free);
  self->numbers = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
dqm_series_chart_new (void)
{
  return g_object_new (DQM_TYPE_SERIES_CHART, NULL);
}

static const char *
keep_string (DqmSeriesChart *self, const char *text)
{
  char *copy = g_strdup (text);

  if (copy)
    g_ptr_array_add (self->strings, copy);
  return copy;
}

void
dqm_series_chart_set (DqmSeriesChart *self, const char *titles, const DqmPlotSeries *series, guint n_series,
                      const DqmPlotLine *lines, guint n_lines, double line_reach, const char *empty)
{
  g_return_if_fail (DQM_IS_SERIES_CHART (self));

  g_array_set_size (self->series, 0);
  g_array_set_size (self->lines, 0);
  g_ptr_array_set_size (self->strings, 0);
  g_ptr_array_set_size (self->numbers, 0);
  g_free (self->titles);
  g_free (self->empty);
  self->titles = g_strdup (titles);
  self->empty = g_strdup (empty ? empty : "");
  self->line_reach = line_reach;
  for (guint k = 0; k < n_series; k++)
    {
      DqmPlotSeries copy = series[k];

      copy.label = keep_string (self, series[k].label);
      copy.x = g_memdup2 (series[k].x, series[k].n * sizeof (double));
      copy.y = g_memdup2 (series[k].y, series[k].n * sizeof (double));
      g_ptr_array_add (self->numbers, (gpointer) copy.x);
      g_ptr_array_add (self->numbers, (gpointer) copy.y);
      g_array_append_val (self->series, copy);
    }
  for (guint i = 0; i < n_lines; i++)
    {
      DqmPlotLine copy = lines[i];

      copy.label = keep_string (self, lines[i].label);
      g_array_append_val (self->lines, copy);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
