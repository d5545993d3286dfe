/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmPlotView: one histogram of the DQM state, drawn with dqm_plot. */
#include "dqm-plot-view.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dqm-channel.h"
#include "dqm-plot-na64.h"
#include "dqm-widget-style.h"

struct _DqmPlotView {
  GtkWidget  parent_instance;
  char      *histogram;
  DqmState  *state;
  DqmHistogram *own;     /* shown instead of the state's (one event's map) */
  gboolean   resettable; /* the state's histograms can be reset from the menu */
  gboolean   mark;       /* outline this cell (0-based) rather than the aimed one */
  guint      mark_x, mark_y;
  gboolean   log_scale;
  double     font_scale;

  /* The last drawing, replayed whenever GTK asks for it again (a resize of
   * a neighbour, a theme change) until what it shows changes; new data is
   * drawn at most once an interval. */
  GskRenderNode *drawing;
  int        drawing_width, drawing_height;
  gboolean   drawing_dark;
  DqmState  *drawn;          /* the state it shows (a reference) */
  gint64     drawn_us;       /* monotonic, when it was made */
  gint64     refresh_us;     /* the data's refresh interval */
  guint      refresh_source; /* a redraw waiting for the interval to pass */

  /* A region being drawn on a 2D plot (drill-down), in widget pixels. */
  gboolean   dragging;
  double     drag_x, drag_y, drag_dx, drag_dy;
};

enum {
  PROP_0,
  PROP_HISTOGRAM,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CELL_ACTIVATED,
  DRILL_DOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DqmPlotView, dqm_plot_view, GTK_TYPE_WIDGET)


static const DqmHistogram *
shown_histogram (DqmPlotView *self)
{
  if (self->own)
    return self->own;
  return self->state ? dqm_state_find_histogram (self->state, self->histogram) : NULL;
}

/* The overlays and options for @h; @cells must hold DQM_N_CHANNELS + 1. */
static void
style_for (DqmPlotView        *self,
           const DqmHistogram *h,
           gboolean            dark,
           guint              *cells,
           DqmPlotStyle       *style)
{
  if (self->state && self->own == NULL)
    dqm_plot_style_for_state (self->state, h, self->log_scale, cells, style);
  else
    {
      dqm_plot_style_init (style);
      style->log_scale = self->log_scale;
      style->show_values = h->ny > 0 && h->nx <= 12 && h->ny <= 6;
      cells[0] = 0;
      style->alarm_cells = cells;
    }
  style->dark = dark;
  style->font_scale = self->font_scale;
  if (self->mark)
    {
      style->mark_cell = TRUE;
      style->mark_x = self->mark_x;
      style->mark_y = self->mark_y;
    }
}

gboolean
dqm_plot_view_export (DqmPlotView *self, const char *path, GError **error)
{
  const DqmHistogram *h = shown_histogram (self);
  guint cells[DQM_N_CHANNELS + 1];
  DqmPlotStyle style;

  if (h == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is nothing to export yet: %s has no data"),
                   self->histogram);
      return FALSE;
    }
  /* Documents are light, whatever the screen's style. */
  style_for (self, h, FALSE, cells, &style);
  style.font_scale = 1;
  return dqm_plot_write_file (h, &style, path, 1000, 750, error);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, DqmPlotView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (!dqm_plot_view_export (self, path, &error))
        {
          GtkWidget *message = gtk_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", error->message);
          g_signal_connect (message, "response", G_CALLBACK (gtk_window_destroy), NULL);
          gtk_window_present (GTK_WINDOW (message));
        }
    }
  g_object_unref (dialog);
}

static void
export_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmPlotView *self = DQM_PLOT_VIEW (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Export the plot"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  g_autofree char *name = g_strdup_printf ("%s.png", self->histogram);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
show_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmPlotView *self = DQM_PLOT_VIEW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  /* Keep the scope the view is in: the window's run/spill toggle adds it. */
  g_autofree char *scoped = g_str_has_suffix (self->histogram, "_spill") ? g_strconcat (name, "_spill", NULL)
                                                                           : g_strdup (name);

  dqm_plot_view_set_histogram (self, scoped);
}

static void
log_scale_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmPlotView *self = DQM_PLOT_VIEW (widget);

  dqm_plot_view_set_log_scale (self, !self->log_scale);
}

/* The state's histogram shown, whose events can be looked for; NULL for
 * one event's map. */
static const DqmHistogram *
drillable (DqmPlotView *self)
{
  return self->own == NULL && self->state ? shown_histogram (self) : NULL;
}

static gboolean
bin_under (DqmPlotView *self, const DqmHistogram *h, double x, double y, guint *ix, guint *iy)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint cells[DQM_N_CHANNELS + 1];
  DqmPlotStyle style;

  style_for (self, h, FALSE, cells, &style);
  return dqm_plot_bin_at (gtk_widget_get_width (widget), gtk_widget_get_height (widget), h, &style, x, y, ix, iy);
}

/* The bin at (x1, y1), or, beyond the plot, at the last point inside it on
 * the way from (x0, y0), which is inside: a drag may end past the frame. */
static gboolean
bin_toward (DqmPlotView *self, const DqmHistogram *h, double x0, double y0, double x1, double y1, guint *ix,
            guint *iy)
{
  double inside = 0, outside = 1;

  if (bin_under (self, h, x1, y1, ix, iy))
    return TRUE;
  for (int i = 0; i < 12; i++)
    {
      double t = (inside + outside) / 2;

      if (bin_under (self, h, x0 + t * (x1 - x0), y0 + t * (y1 - y0), ix, iy))
        inside = t;
      else
        outside = t;
    }
  return bin_under (self, h, x0 + inside * (x1 - x0), y0 + inside * (y1 - y0), ix, iy);
}

static void
drill_bin_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  DqmPlotView *self = DQM_PLOT_VIEW (widget);
  guint ix, iy;

  g_variant_get (parameter, "(uu)", &ix, &iy);
  g_signal_emit (self, signals[DRILL_DOWN], 0, self->histogram, ix, ix, iy, iy);
}

static void
on_secondary_click (GtkGestureClick *gesture, int n_press, double x, double y, DqmPlotView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *popover;
  const DqmHistogram *shown = drillable (self);
  guint ix, iy;

  /* From a bin or a cell to the kept events that filled it. */
  if (shown && bin_under (self, shown, x, y, &ix, &iy))
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (dqm_histogram_is_2d (shown) ? _("Events in this cell")
                                                                               : _("Events in this bin"), NULL);

      g_menu_item_set_action_and_target_value (item, "plot.drill-bin", g_variant_new ("(uu)", ix, iy));
      g_menu_append_item (menu, item);
    }

  g_menu_append (menu, self->log_scale ? _("Linear scale") : _("Logarithmic scale"), "plot.log-scale");
  g_menu_append (menu, _("Export as PNG, SVG or PDF…"), "plot.export");
  if (self->state && self->resettable && self->own == NULL)
    {
      g_autoptr(GMenuItem) reset = g_menu_item_new (_("Reset this plot"), NULL);

      /* The window owns the pipeline that can clear it. */
      g_menu_item_set_action_and_target_value (reset, "win.reset-histogram", g_variant_new_string (self->histogram));
      g_menu_append_item (menu, reset);
    }
  /* Any histogram of the run can take this place on the screen. */
  if (self->state && self->own == NULL)
    {
      g_autoptr(GMenu) show = g_menu_new ();

      for (guint i = 0; i < self->state->histograms->len; i++)
        {
          const DqmHistogram *h = self->state->histograms->pdata[i];
          g_auto(GStrv) title = g_strsplit (h->title, ";", 2);
          g_autofree char *label = g_strdup_printf ("%s (%s)", title[0] ? title[0] : h->name, h->name);
          g_autoptr(GMenuItem) item = NULL;

          if (g_str_has_suffix (h->name, "_spill"))
            continue;
          item = g_menu_item_new (label, NULL);
          g_menu_item_set_action_and_target_value (item, "plot.show", g_variant_new_string (h->name));
          g_menu_append_item (show, item);
        }
      g_menu_append_submenu (menu, _("Show"), G_MENU_MODEL (show));
    }
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, GTK_WIDGET (self));
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* A click on a cell of a 2D map says which cell (1-based bins). */
static void
on_primary_click (GtkGestureClick *gesture, int n_press, double x, double y, DqmPlotView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const DqmHistogram *h = shown_histogram (self);
  guint cells[DQM_N_CHANNELS + 1], ix, iy;
  DqmPlotStyle style;

  if (h == NULL || !dqm_histogram_is_2d (h))
    return;
  style_for (self, h, FALSE, cells, &style);
  if (dqm_plot_bin_at (gtk_widget_get_width (widget), gtk_widget_get_height (widget), h, &style, x, y, &ix, &iy))
    g_signal_emit (self, signals[CELL_ACTIVATED], 0, ix, iy);
}

/* Forget the drawing: something it shows changed. The next one takes the
 * newest state, so a redraw waiting for the interval is not needed. */
static void
invalidate (DqmPlotView *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_pointer (&self->drawing, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Whether @a and @b draw the same picture of histogram @name: its bins and
 * statistics, and the overlays the state gives it. */
static gboolean
same_picture (const DqmState *a, const DqmState *b, const char *name, gboolean log_scale)
{
  const DqmHistogram *ha = dqm_state_find_histogram (a, name), *hb = dqm_state_find_histogram (b, name);
  guint cells_a[DQM_N_CHANNELS + 1], cells_b[DQM_N_CHANNELS + 1], n = 0;
  DqmPlotStyle sa, sb;

  if (ha == NULL || hb == NULL)
    return ha == hb;
  if (ha->nx != hb->nx || ha->ny != hb->ny || ha->xmin != hb->xmin || ha->xmax != hb->xmax || ha->ymin != hb->ymin
      || ha->ymax != hb->ymax || ha->entries != hb->entries || ha->sumw != hb->sumw || ha->sumwx != hb->sumwx
      || ha->sumwx2 != hb->sumwx2 || g_strcmp0 (ha->title, hb->title) != 0
      || (ha->x_labels == NULL) != (hb->x_labels == NULL)
      || (ha->x_labels && !g_strv_equal ((const char *const *) ha->x_labels, (const char *const *) hb->x_labels))
      || memcmp (ha->bins, hb->bins, dqm_histogram_n_cells (ha) * sizeof (double)) != 0)
    return FALSE;
  dqm_plot_style_for_state (a, ha, log_scale, cells_a, &sa);
  dqm_plot_style_for_state (b, hb, log_scale, cells_b, &sb);
  while (cells_a[n] && cells_a[n] == cells_b[n])
    n++;
  if (cells_a[n] != cells_b[n] || sa.n_markers != sb.n_markers || sa.mark_x != sb.mark_x || sa.mark_y != sb.mark_y
      || sa.box_ecal_max_gev != sb.box_ecal_max_gev || sa.box_hcal_max_gev != sb.box_hcal_max_gev
      || sa.beam_energy_gev != sb.beam_energy_gev
      /* A reference set, chosen or dropped while the contents stood still. */
      || sa.reference != sb.reference || strcmp (sa.reference_label, sb.reference_label) != 0)
    return FALSE;
  for (guint i = 0; i < sa.n_markers; i++)
    if (sa.marker_x[i * sa.marker_stride] != sb.marker_x[i * sb.marker_stride]
        || sa.marker_y[i * sa.marker_stride] != sb.marker_y[i * sb.marker_stride])
      return FALSE;
  return TRUE;
}

static gboolean
refresh_due (gpointer data)
{
  DqmPlotView *self = data;

  self->refresh_source = 0;
  if (!(self->drawn && self->state && same_picture (self->drawn, self->state, self->histogram, self->log_scale)))
    invalidate (self);
  return G_SOURCE_REMOVE;
}

static void
record_drawing (DqmPlotView *self, int width, int height, gboolean dark)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkSnapshot *recorder = gtk_snapshot_new ();
  const DqmHistogram *h = shown_histogram (self);
  cairo_t *cr = gtk_snapshot_append_cairo (recorder, &GRAPHENE_RECT_INIT (0, 0, width, height));
  guint cells[DQM_N_CHANNELS + 1] = { 0 };
  DqmPlotStyle style;

  if (h)
    {
      style_for (self, h, dark, cells, &style);
      dqm_plot_draw (cr, width, height, h, &style);
    }
  else
    dqm_widget_draw_placeholder (widget, cr, width, height, _("Waiting for data…"));
  cairo_destroy (cr);
  g_clear_pointer (&self->drawing, gsk_render_node_unref);
  self->drawing = gtk_snapshot_free_to_node (recorder);
  self->drawing_width = width;
  self->drawing_height = height;
  self->drawing_dark = dark;
  if (self->drawn != self->state)
    {
      g_clear_pointer (&self->drawn, dqm_state_unref);
      self->drawn = self->state ? dqm_state_ref (self->state) : NULL;
    }
  self->drawn_us = g_get_monotonic_time ();
}

static void
dqm_plot_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DqmPlotView *self = DQM_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gboolean dark = dqm_widget_prefers_dark (widget);

  if (self->drawing == NULL || width != self->drawing_width || height != self->drawing_height
      || dark != self->drawing_dark)
    record_drawing (self, width, height, dark);
  if (self->drawing)
    gtk_snapshot_append_node (snapshot, self->drawing);
  if (self->dragging)
    {
      /* The region being drawn, over the plot. */
      graphene_rect_t r = GRAPHENE_RECT_INIT (MIN (self->drag_x, self->drag_x + self->drag_dx),
                                              MIN (self->drag_y, self->drag_y + self->drag_dy),
                                              fabs (self->drag_dx), fabs (self->drag_dy));
      GskRoundedRect outline;
      GdkRGBA edge = { 0.85, 0.4, 0.0, 1 }, fill = { 0.85, 0.4, 0.0, 0.15 };

      gsk_rounded_rect_init_from_rect (&outline, &r, 0);
      gtk_snapshot_append_color (snapshot, &fill, &r);
      gtk_snapshot_append_border (snapshot, &outline, (float[]) { 2, 2, 2, 2 },
                                  (GdkRGBA[]) { edge, edge, edge, edge });
    }
}

/* A region drawn with the mouse on a 2D plot (not a detector map, whose
 * cells have the menu): its events. */
static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, DqmPlotView *self)
{
  const DqmHistogram *h = drillable (self);

  self->dragging = h && dqm_histogram_is_2d (h) && h->nx > 12;
  self->drag_x = x;
  self->drag_y = y;
  self->drag_dx = self->drag_dy = 0;
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, DqmPlotView *self)
{
  if (!self->dragging)
    return;
  self->drag_dx = dx;
  self->drag_dy = dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, DqmPlotView *self)
{
  const DqmHistogram *h = drillable (self);
  guint ix0, iy0, ix1, iy1;

  if (!self->dragging)
    return;
  self->dragging = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (h == NULL || fabs (dx) < 6 || fabs (dy) < 6 || !bin_under (self, h, self->drag_x, self->drag_y, &ix0, &iy0)
      || !bin_toward (self, h, self->drag_x, self->drag_y, self->drag_x + dx, self->drag_y + dy, &ix1, &iy1))
    return;
  g_signal_emit (self, signals[DRILL_DOWN], 0, self->histogram, MIN (ix0, ix1), MAX (ix0, ix1), MIN (iy0, iy1),
                 MAX (iy0, iy1));
}

static void
dqm_plot_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
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
  g_clear_pointer (&self->own, dqm_histogram_free);
  g_clear_pointer (&self->drawing, gsk_render_node_unref);
  g_clear_pointer (&self->drawn, dqm_state_unref);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
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
  /* DqmPlotView::cell-activated: a cell (ix, iy, 1-based) of a 2D map was clicked. */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_install_action (widget_class, "plot.log-scale", NULL, log_scale_activated);
  gtk_widget_class_install_action (widget_class, "plot.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "plot.show", "s", show_activated);
  gtk_widget_class_install_action (widget_class, "plot.drill-bin", "(uu)", drill_bin_activated);
  /* DqmPlotView::drill-down: the events of the bins (ix0…ix1, iy0…iy1, 1-based; iy 0 for 1D) of
   * histogram NAME are asked for. */
  signals[DRILL_DOWN] = g_signal_new ("drill-down", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
dqm_plot_view_init (DqmPlotView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *primary = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->font_scale = 1;
  self->refresh_us = DQM_PLOT_VIEW_DEFAULT_REFRESH_MS * 1000;
  g_signal_connect (primary, "released", G_CALLBACK (on_primary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (primary));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Right-click: scale, export, the events of a bin; "
                                                    "drag on a 2D plot: the events of a region"));
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
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTOGRAM]);
}

void
dqm_plot_view_set_state (DqmPlotView *self, DqmState *state)
{
  gint64 next;

  if (self->state == state)
    return;
  g_clear_pointer (&self->state, dqm_state_unref);
  self->state = state ? dqm_state_ref (state) : NULL;
  /* A plot showing one event's map does not follow the state. */
  if (self->own || self->refresh_source
      || (self->drawn && state && same_picture (self->drawn, state, self->histogram, self->log_scale)))
    return;
  /* Redrawn with the newest state at most once an interval. */
  next = self->drawn_us + self->refresh_us;
  if (self->drawing == NULL || g_get_monotonic_time () >= next)
    invalidate (self);
  else
    self->refresh_source = g_timeout_add ((guint) ((next - g_get_monotonic_time ()) / 1000) + 1, refresh_due, self);
}

void
dqm_plot_view_set_refresh_interval (DqmPlotView *self, guint milliseconds)
{
  self->refresh_us = (gint64) milliseconds * 1000;
}

guint64
dqm_plot_view_get_drawn_stream_ns (DqmPlotView *self)
{
  return self->drawn && self->drawing ? self->drawn->run.end_ns : 0;
}

gint64
dqm_plot_view_get_drawn_us (DqmPlotView *self)
{
  return self->drawing ? self->drawn_us : 0;
}

void
dqm_plot_view_set_log_scale (DqmPlotView *self, gboolean log_scale)
{
  if (self->log_scale == log_scale)
    return;
  self->log_scale = log_scale;
  invalidate (self);
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
  invalidate (self);
}

void
dqm_plot_view_set_data (DqmPlotView *self, DqmHistogram *histogram)
{
  g_clear_pointer (&self->own, dqm_histogram_free);
  self->own = histogram;
  invalidate (self);
}

void
dqm_plot_view_set_resettable (DqmPlotView *self, gboolean resettable)
{
  self->resettable = resettable;
}

void
dqm_plot_view_mark_cell (DqmPlotView *self, gboolean mark, guint x, guint y)
{
  self->mark = mark;
  self->mark_x = x;
  self->mark_y = y;
  invalidate (self);
}
