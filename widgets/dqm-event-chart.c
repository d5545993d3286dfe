/* DqmEventChart: a waveform or the tracker of the inspected event. */
#include "dqm-event-chart.h"

#include <glib/gi18n.h>

struct _DqmEventChart {
  GtkWidget           parent_instance;
  DqmEventChartKind   kind;
  guint               channel;
  const DqmEvent     *event;
  const DqmRecoEvent *reco;
  const DqmSetup     *setup;
};

G_DEFINE_FINAL_TYPE (DqmEventChart, dqm_event_chart, GTK_TYPE_WIDGET)

static void
dqm_event_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DqmEventChart *self = DQM_EVENT_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  DqmPlotStyle style;
  GdkRGBA colour;

  dqm_plot_style_init (&style);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colour);
  style.dark = colour.red + colour.green + colour.blue > 1.5;
  if (self->event == NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _("No event yet"));
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { 0.5, 0.5, 0.5, 1 });
      cairo_move_to (cr, (width - w) / 2.0, (height - h) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  else if (self->kind == DQM_EVENT_CHART_WAVEFORM)
    dqm_event_plot_waveform (cr, width, height, self->event, self->channel, self->reco, self->setup, &style);
  else
    dqm_event_plot_tracker (cr, width, height, self->event, self->reco, self->setup, &style);
  cairo_destroy (cr);
}

static void
dqm_event_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                         int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 320;
}

static void
dqm_event_chart_class_init (DqmEventChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = dqm_event_chart_snapshot;
  widget_class->measure = dqm_event_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "eventchart");
}

static void
dqm_event_chart_init (DqmEventChart *self)
{
}

GtkWidget *
dqm_event_chart_new (DqmEventChartKind kind)
{
  DqmEventChart *self = g_object_new (DQM_TYPE_EVENT_CHART, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

void
dqm_event_chart_set_event (DqmEventChart *self, const DqmEvent *event, const DqmRecoEvent *reco,
                           const DqmSetup *setup)
{
  self->event = event;
  self->reco = reco;
  self->setup = setup;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
dqm_event_chart_set_channel (DqmEventChart *self, guint channel)
{
  self->channel = channel;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
dqm_event_chart_get_channel (DqmEventChart *self)
{
  return self->channel;
}
