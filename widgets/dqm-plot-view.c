/* DqmPlotView: one histogram of the DQM state, drawn with dqm_plot. */
#include "dqm-plot-view.h"

#include <glib/gi18n.h>

#include "dqm-channel.h"
#include "dqm-plot.h"

struct _DqmPlotView {
  GtkWidget  parent_instance;
  char      *histogram;
  DqmState  *state;
  gboolean   log_scale;
  double     font_scale;
};

enum {
  PROP_0,
  PROP_HISTOGRAM,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DqmPlotView, dqm_plot_view, GTK_TYPE_WIDGET)

/* Dead and hot cells of the map being drawn, as dqm_plot wants them. */
static void
problem_cells (const DqmState *state, const char *map, guint *cells)
{
  guint n = 0;

  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmChannelInfo info;

      if (state->channel_problem[slot] == DQM_CHANNEL_FINE
          || !dqm_channel_lookup (dqm_channel_from_slot (slot), &info))
        continue;
      if (info.detector == DQM_DETECTOR_ECAL && g_str_has_prefix (map, info.module ? "ecal_main_" : "ecal_ps_"))
        cells[n++] = (info.x + 1) + 100 * (info.y + 1);
      else if (info.detector == DQM_DETECTOR_HCAL && g_str_has_prefix (map, "hcal_"))
        cells[n++] = (3 * info.module + info.x + 1) + 100 * (info.y + 1);
    }
  cells[n] = 0;
}

static gboolean
prefers_dark (GtkWidget *widget)
{
  GdkRGBA colour;

  /* Follow the theme: a light text colour means a dark style. (GTK 4.8 has
   * no gtk_widget_get_color.) */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colour);
  return colour.red + colour.green + colour.blue > 1.5;
}

static void
dqm_plot_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DqmPlotView *self = DQM_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const DqmHistogram *h = self->state ? dqm_state_find_histogram (self->state, self->histogram) : NULL;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  guint cells[DQM_N_CHANNELS + 1] = { 0 };
  DqmPlotStyle style;

  dqm_plot_style_init (&style);
  style.dark = prefers_dark (widget);
  style.log_scale = self->log_scale;
  style.font_scale = self->font_scale;
  if (h)
    {
      style.show_values = h->ny > 0 && h->nx <= 12 && h->ny <= 6;
      style.show_stats = !g_str_has_prefix (h->name, "spill_") && !h->x_labels;
      if (g_str_has_prefix (h->name, "ecal_vs_hcal"))
        {
          style.beam_energy_gev = self->state->run.beam_energy_gev;
          style.box_ecal_max_gev = self->state->box_ecal_max_gev;
          style.box_hcal_max_gev = self->state->box_hcal_max_gev;
        }
      if (g_str_has_prefix (h->name, "ecal_"))
        {
          style.mark_cell = TRUE;
          style.mark_x = self->state->beam_cell_x;
          style.mark_y = self->state->beam_cell_y;
        }
      problem_cells (self->state, h->name, cells);
      style.alarm_cells = cells;
      dqm_plot_draw (cr, width, height, h, &style);
    }
  else
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _("Waiting for data…"));
      int w, lh;

      pango_layout_get_pixel_size (layout, &w, &lh);
      gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { 0.5, 0.5, 0.5, 1 });
      cairo_move_to (cr, (width - w) / 2.0, (height - lh) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

static void
dqm_plot_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                       int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 180;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 340;
}

static void
dqm_plot_view_finalize (GObject *object)
{
  DqmPlotView *self = DQM_PLOT_VIEW (object);

  g_free (self->histogram);
  g_clear_pointer (&self->state, dqm_state_unref);
  G_OBJECT_CLASS (dqm_plot_view_parent_class)->finalize (object);
}

static void
dqm_plot_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DqmPlotView *self = DQM_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTOGRAM: g_value_set_string (value, self->histogram); break;
    case PROP_LOG_SCALE: g_value_set_boolean (value, self->log_scale); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dqm_plot_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DqmPlotView *self = DQM_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTOGRAM: dqm_plot_view_set_histogram (self, g_value_get_string (value)); break;
    case PROP_LOG_SCALE: dqm_plot_view_set_log_scale (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dqm_plot_view_class_init (DqmPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dqm_plot_view_finalize;
  object_class->get_property = dqm_plot_view_get_property;
  object_class->set_property = dqm_plot_view_set_property;
  widget_class->snapshot = dqm_plot_view_snapshot;
  widget_class->measure = dqm_plot_view_measure;
  properties[PROP_HISTOGRAM] = g_param_spec_string ("histogram", NULL, NULL, NULL,
                                                    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_SCALE] = g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "plotview");
}

static void
dqm_plot_view_init (DqmPlotView *self)
{
  self->font_scale = 1;
}

GtkWidget *
dqm_plot_view_new (const char *histogram)
{
  return g_object_new (DQM_TYPE_PLOT_VIEW, "histogram", histogram, NULL);
}

const char *
dqm_plot_view_get_histogram (DqmPlotView *self)
{
  return self->histogram;
}

void
dqm_plot_view_set_histogram (DqmPlotView *self, const char *histogram)
{
  if (g_strcmp0 (self->histogram, histogram) == 0)
    return;
  g_free (self->histogram);
  self->histogram = g_strdup (histogram);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTOGRAM]);
}

void
dqm_plot_view_set_state (DqmPlotView *self, DqmState *state)
{
  if (self->state == state)
    return;
  g_clear_pointer (&self->state, dqm_state_unref);
  self->state = state ? dqm_state_ref (state) : NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
dqm_plot_view_set_log_scale (DqmPlotView *self, gboolean log_scale)
{
  if (self->log_scale == log_scale)
    return;
  self->log_scale = log_scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

gboolean
dqm_plot_view_get_log_scale (DqmPlotView *self)
{
  return self->log_scale;
}

void
dqm_plot_view_set_font_scale (DqmPlotView *self, double scale)
{
  self->font_scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
