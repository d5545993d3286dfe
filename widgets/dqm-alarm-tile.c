/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DqmAlarmTile: an alarm's state, value, limit and trend at a glance. */
#include "dqm-alarm-tile.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

struct _DqmAlarmTile {
  GtkWidget  parent_instance;
  char      *id;
  DqmAlarm   alarm;
  gboolean   have_alarm;
  guint      blink_source;
  gboolean   blink_phase;
};

enum {
  SIGNAL_ACKNOWLEDGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DqmAlarmTile, dqm_alarm_tile, GTK_TYPE_WIDGET)

void
dqm_alarm_tile_colour (DqmAlarmState state, GdkRGBA *colour)
{
  /* Green, amber, red: the control room's convention. */
  static const GdkRGBA colours[] = {
    { 0.18, 0.49, 0.20, 1 }, { 0.96, 0.62, 0.04, 1 }, { 0.78, 0.16, 0.16, 1 },
  };

  *colour = colours[MIN (state, DQM_ALARM_ALARM)];
}

/* Long text (titles in some languages) shrinks down to @min_size before it
 * is cut with an ellipsis. */
static void
show_text (cairo_t    *cr,
           GtkWidget  *widget,
           const char *markup,
           double      size,
           double      min_size,
           double      x,
           double      y,
           double      max_width)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int width, height;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  if (width > max_width && min_size < size)
    {
      pango_font_description_set_absolute_size (font, MAX (min_size, size * max_width / width) * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
    }
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

char *
dqm_alarm_format_value (const DqmAlarm *a, double value)
{
  gulong n = (gulong) MAX (0, round (value));

  /* Counts are words in the reader's language; units are not. */
  if (g_str_equal (a->unit, "channels"))
    return g_strdup_printf (ngettext ("%lu channel", "%lu channels", n), n);
  if (g_str_equal (a->unit, "histograms"))
    return g_strdup_printf (ngettext ("%lu histogram", "%lu histograms", n), n);
  if (g_str_equal (a->unit, "s silent"))
    return g_strdup_printf (_("%.0f s silent"), value);
  if (g_str_equal (a->unit, "") || g_str_equal (a->unit, "share") || g_str_equal (a->unit, "change"))
    return g_strdup_printf ("%.2f %%", 100 * value);
  return g_strdup_printf ("%.3g %s", value, a->unit);
}

static void
format_value (const DqmAlarm *a, char *buffer, gsize size, double value)
{
  g_autofree char *text = dqm_alarm_format_value (a, value);

  g_strlcpy (buffer, text, size);
}

static void
dqm_alarm_tile_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DqmAlarmTile *self = DQM_ALARM_TILE (widget);
  const DqmAlarm *a = &self->alarm;
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  DqmAlarmState shown = self->have_alarm ? MAX (a->state, a->latched) : DQM_ALARM_OK;
  g_autofree char *title = NULL, *line = NULL;
  char value[64] = "—", limit[64] = "";
  GdkRGBA colour;

  dqm_alarm_tile_colour (shown, &colour);
  /* Blinking: every other half second the tile darkens, which keeps its
   * white text readable (going pale would not). */
  if (self->blink_phase)
    {
      colour.red *= 0.55;
      colour.green *= 0.55;
      colour.blue *= 0.55;
    }
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_new_sub_path (cr);
  cairo_arc (cr, w - 8, 8, 8, -G_PI / 2, 0);
  cairo_arc (cr, w - 8, h - 8, 8, 0, G_PI / 2);
  cairo_arc (cr, 8, h - 8, 8, G_PI / 2, G_PI);
  cairo_arc (cr, 8, 8, 8, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_fill (cr);

  if (self->have_alarm && a->have_value)
    format_value (a, value, sizeof value, a->value);
  if (self->have_alarm && a->limits.alarm != a->limits.warning)
    {
      char warning[32], alarm[32];

      format_value (a, warning, sizeof warning, a->limits.warning);
      format_value (a, alarm, sizeof alarm, a->limits.alarm);
      g_snprintf (limit, sizeof limit, "%s %s / %s", a->below ? "≥" : "≤", warning, alarm);
    }
  cairo_set_source_rgb (cr, 1, 1, 1);
  title = g_markup_printf_escaped ("<b>%s</b>", self->have_alarm ? _(a->title) : self->id);
  show_text (cr, widget, title, 14, 10.5, 8, 4, w - 16);
  line = g_markup_printf_escaped ("<b>%s</b>  %s", _(dqm_alarm_state_name (shown)), value);
  show_text (cr, widget, line, 17, 13, 8, 22, w - 16);
  if (limit[0])
    show_text (cr, widget, limit, 10, 10, 8, 45, w - 16);
  if (self->have_alarm && a->detail[0])
    {
      g_autofree char *detail = g_markup_escape_text (a->detail, -1);
      show_text (cr, widget, detail, 10, 10, 8, 58, w - 16);
    }

  /* The trend of the last spills, along the bottom. */
  if (self->have_alarm && a->n_trend > 1)
    {
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
      double x0 = 8, y0 = h - 6, tw = w - 16, th = MAX (10, h - 78);

      for (guint i = 0; i < a->n_trend; i++)
        {
          lo = MIN (lo, a->trend[i]);
          hi = MAX (hi, a->trend[i]);
        }
      if (hi - lo < 1e-12)
        {
          lo -= 0.5;
          hi += 0.5;
        }
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 2);
      for (guint i = 0; i < a->n_trend; i++)
        {
          double x = x0 + tw * i / (a->n_trend - 1), y = y0 - th * (a->trend[i] - lo) / (hi - lo);

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static gboolean
blink (gpointer data)
{
  DqmAlarmTile *self = data;

  self->blink_phase = !self->blink_phase;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_CONTINUE;
}

gboolean
dqm_alarm_tile_is_blinking (DqmAlarmTile *self)
{
  return self->blink_source != 0;
}

static void
on_click (GtkGestureClick *gesture, int n_press, double x, double y, DqmAlarmTile *self)
{
  g_signal_emit (self, signals[SIGNAL_ACKNOWLEDGE], 0, self->id);
}

static void
dqm_alarm_tile_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 190 : 96;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 100;
}

static void
dqm_alarm_tile_dispose (GObject *object)
{
  DqmAlarmTile *self = DQM_ALARM_TILE (object);

  g_clear_handle_id (&self->blink_source, g_source_remove);
  G_OBJECT_CLASS (dqm_alarm_tile_parent_class)->dispose (object);
}

static void
dqm_alarm_tile_finalize (GObject *object)
{
  g_free (DQM_ALARM_TILE (object)->id);
  G_OBJECT_CLASS (dqm_alarm_tile_parent_class)->finalize (object);
}

static void
dqm_alarm_tile_class_init (DqmAlarmTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dqm_alarm_tile_dispose;
  object_class->finalize = dqm_alarm_tile_finalize;
  widget_class->snapshot = dqm_alarm_tile_snapshot;
  widget_class->measure = dqm_alarm_tile_measure;
  /* DqmAlarmTile::acknowledge (id): the user clicked the tile. */
  signals[SIGNAL_ACKNOWLEDGE] = g_signal_new ("acknowledge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                              NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_css_name (widget_class, "alarmtile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
dqm_alarm_tile_init (DqmAlarmTile *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "released", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Click to acknowledge"));
}

GtkWidget *
dqm_alarm_tile_new (const char *alarm_id)
{
  DqmAlarmTile *self = g_object_new (DQM_TYPE_ALARM_TILE, NULL);

  self->id = g_strdup (alarm_id);
  return GTK_WIDGET (self);
}

const char *
dqm_alarm_tile_get_id (DqmAlarmTile *self)
{
  return self->id;
}

void
dqm_alarm_tile_set_state (DqmAlarmTile *self, DqmState *state)
{
  const DqmAlarm *a = state ? dqm_state_find_alarm (state, self->id) : NULL;
  gboolean blinking;
  /* States come ten times a second; most leave the alarm as it was. */
  gboolean changed = (a != NULL) != self->have_alarm || (a && memcmp (a, &self->alarm, sizeof *a) != 0);

  self->have_alarm = a != NULL;
  if (a)
    self->alarm = *a;
  blinking = a && a->unacknowledged;
  if (blinking && self->blink_source == 0)
    self->blink_source = g_timeout_add (500, blink, self);
  else if (!blinking && self->blink_source)
    {
      g_clear_handle_id (&self->blink_source, g_source_remove);
      self->blink_phase = FALSE;
      changed = TRUE;
    }
  if (changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}
