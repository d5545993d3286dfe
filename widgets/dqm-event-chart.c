/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmEventChart: a waveform or the tracker of the inspected event. */
#include "dqm-event-chart.h"

#include <glib/gi18n.h>

#include "dqm-widget-style.h"

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

  dqm_plot_style_init (&style);
  style.dark = dqm_widget_prefers_dark (widget);
  if (self->event == NULL)
    dqm_widget_draw_placeholder (widget, cr, width, height, _("No event yet"));
  else if (self->kind == DQM_EVENT_CHART_WAVEFORM)
    dqm_event_plot_waveform (cr, width, height, self->event, self->channel, self->reco, self->setup, &style);
  else
    dqm_event_plot_tracker (cr, width, height, self->event, self->reco, self->setup, &style);
  cairo_destroy (cr);
}

static void
dqm_event_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
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
