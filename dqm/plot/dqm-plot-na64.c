/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NA64 overlays (the E0 diagonal, the signal box, the candidates) and
 * how each histogram of the DQM state is drawn, on screen and in snapshots. */
#include "dqm-plot-na64.h"

#include <string.h>

#include "dqm-error.h"
#include "dqm-plot-private.h"
#include "dqm-reference.h"

void
dqm_plot_ecal_hcal_overlays (cairo_t *cr, const DqmPlotFrame *f, const DqmHistogram *h, const DqmPlotStyle *style)
{
  double e0 = style->beam_energy_gev;
#define X(v) (f->x0 + ((v) - h->xmin) / (h->xmax - h->xmin) * f->w)
#define Y(v) (f->y0 + f->h - ((v) - h->ymin) / (h->ymax - h->ymin) * f->h)
  cairo_save (cr);
  cairo_rectangle (cr, f->x0, f->y0, f->w, f->h);
  cairo_clip (cr);
  /* E_ECAL + E_HCAL = E0 */
  cairo_set_source_rgba (cr, 0.85, 0.1, 0.1, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_move_to (cr, X (0), Y (e0));
  cairo_line_to (cr, X (e0), Y (0));
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* the signal box: E_ECAL < E0/2 and E_HCAL below its cut */
  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, X (h->xmin), Y (style->box_hcal_max_gev), X (style->box_ecal_max_gev) - X (h->xmin),
                   Y (h->ymin) - Y (style->box_hcal_max_gev));
  cairo_stroke (cr);
  /* candidates: rings that stay visible over any bin colour */
  for (guint i = 0; i < style->n_markers; i++)
    {
      double x = X (style->marker_x[i * style->marker_stride]), y = Y (style->marker_y[i * style->marker_stride]);

      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, 5 * style->font_scale, 0, 2 * G_PI);
    }
  cairo_set_line_width (cr, 3.5);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, 1.8);
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  cairo_stroke (cr);
  cairo_restore (cr);
  /* One label on a pale ground: it sits on the densest part of the band. */
  {
    char label[64];
    double x = X (style->box_ecal_max_gev) + 3, y = Y (style->box_hcal_max_gev) - 2, w, hgt = 13 * style->font_scale;

    if (style->n_markers)
      g_snprintf (label, sizeof label, "signal box · ○ %u candidate%s", style->n_markers,
                  style->n_markers == 1 ? "" : "s");
    else
      g_strlcpy (label, "signal box", sizeof label);
    w = dqm_plot_text_width (cr, style, 10, label) * 1.08;
    x = MIN (x, f->x0 + f->w - w - 2);
    cairo_save (cr);
    cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
    cairo_rectangle (cr, x - 2, y - hgt, w + 4, hgt + 1);
    cairo_fill (cr);
    cairo_restore (cr);
    dqm_plot_text_at (cr, style, 10, TRUE, label, x, y, 0, 1, 0);
  }
#undef X
#undef Y
}

const DqmHistogram *
dqm_plot_reference_for (const DqmState *state, const DqmHistogram *h)
{
  g_autofree char *run_name = g_str_has_suffix (h->name, "_spill")
                              ? g_strndup (h->name, strlen (h->name) - strlen ("_spill")) : g_strdup (h->name);

  if (state->reference_histograms == NULL || dqm_histogram_is_2d (h))
    return NULL;
  for (guint i = 0; i < state->reference_histograms->len; i++)
    {
      const DqmHistogram *r = state->reference_histograms->pdata[i];

      if (g_str_equal (r->name, run_name) && dqm_reference_compares (r) && dqm_histogram_same_binning (r, h))
        return r;
    }
  return NULL;
}

void
dqm_plot_reference_name (const char *label, char *out, gsize size)
{
  const char *comma = strchr (label, ',');
  g_autofree char *first = comma ? g_strndup (label, comma - label) : g_strdup (label);
  /* A directory set by hand: its last part says which run it is. */
  g_autofree char *name = strchr (first, '/') ? g_path_get_basename (first) : g_strdup (first);

  g_strlcpy (out, name, size);
  {
    /* Cut at a character, not in one: Pango draws no invalid text. */
    const char *end;

    if (!g_utf8_validate (out, -1, &end))
      out[end - out] = '\0';
  }
}

void
dqm_plot_style_for_state (const DqmState *state, const DqmHistogram *h, gboolean log_scale, guint *cells,
                          DqmPlotStyle *style)
{
  g_return_if_fail (state != NULL);

  dqm_plot_style_init (style);
  style->log_scale = log_scale;
  /* Numbers belong in the cells of detector maps, not in sparse plots. */
  style->show_values = h->nx <= 12 && h->ny > 0 && h->ny <= 6;
  style->show_stats = !g_str_has_prefix (h->name, "spill_") && !h->x_labels;
  if (g_str_has_prefix (h->name, "ecal_vs_hcal"))
    {
      const DqmCandidate *c = (const DqmCandidate *) (gpointer) state->candidates->data;
      guint n = state->candidates->len;

      style->beam_energy_gev = state->run.beam_energy_gev;
      style->box_ecal_max_gev = state->box_ecal_max_gev;
      style->box_hcal_max_gev = state->box_hcal_max_gev;
      /* The spill's plot marks the spill's candidates: the last ones. */
      if (g_str_has_suffix (h->name, "_spill"))
        while (n > 0 && c[0].spill != state->spill)
          {
            c++;
            n--;
          }
      G_STATIC_ASSERT (sizeof (DqmCandidate) % sizeof (double) == 0);
      if (n > 0)
        {
          style->n_markers = n;
          style->marker_x = &c->ecal_gev;
          style->marker_y = &c->hcal_gev;
          style->marker_stride = sizeof (DqmCandidate) / sizeof (double);
        }
    }
  if (g_str_has_prefix (h->name, "ecal_"))
    {
      style->mark_cell = TRUE;
      style->mark_x = state->beam_cell_x;
      style->mark_y = state->beam_cell_y;
    }
  dqm_state_problem_cells (state, h->name, cells);
  style->alarm_cells = cells;
  if ((style->reference = dqm_plot_reference_for (state, h)))
    dqm_plot_reference_name (state->reference_label, style->reference_label, sizeof style->reference_label);
}

GBytes *
dqm_plot_render_snapshot (const DqmState *state, const char *name, gboolean log_scale, const char *format,
                          GError **error)
{
  const DqmHistogram *h = dqm_state_find_histogram (state, name);
  guint cells[DQM_N_CHANNELS + 1];
  DqmPlotStyle style;

  g_return_val_if_fail (h != NULL, NULL);

  dqm_plot_style_for_state (state, h, log_scale, cells, &style);
  return dqm_plot_render (h, &style, format, 800, 600, error);
}

const DqmWallPlot dqm_wall_plots[DQM_N_WALL_PLOTS] = {
  { "ecal_main_mean", FALSE }, { "ecal_ps_mean", FALSE }, { "hcal_mean", FALSE },
  { "ecal_vs_hcal", TRUE }, { "cut_flow_spills", TRUE }, { "ecal_energy", TRUE },
  { "ecal_energy_beam", TRUE }, { "srd_sum", FALSE }, { "momentum", TRUE },
};

static void
draw_wall (cairo_t *cr, double width, double height, gconstpointer data)
{
  const DqmState *state = data;
  guint rows = (DQM_N_WALL_PLOTS + DQM_WALL_COLUMNS - 1) / DQM_WALL_COLUMNS;
  double w = width / DQM_WALL_COLUMNS, h = height / rows;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  for (guint i = 0; i < DQM_N_WALL_PLOTS; i++)
    {
      const DqmHistogram *histogram = dqm_state_find_histogram (state, dqm_wall_plots[i].histogram);
      guint cells[DQM_N_CHANNELS + 1];
      DqmPlotStyle style;

      if (histogram == NULL)
        continue;
      dqm_plot_style_for_state (state, histogram, dqm_wall_plots[i].log_scale, cells, &style);
      cairo_save (cr);
      cairo_translate (cr, (i % DQM_WALL_COLUMNS) * w, (i / DQM_WALL_COLUMNS) * h);
      cairo_rectangle (cr, 0, 0, w, h);
      cairo_clip (cr);
      dqm_plot_draw (cr, w, h, histogram, &style);
      cairo_restore (cr);
    }
}

GBytes *
dqm_plot_render_wall (const DqmState *state, const char *format, int width, int height, GError **error)
{
  g_return_val_if_fail (state != NULL, NULL);

  if (g_strcmp0 (format, "png") != 0 && g_strcmp0 (format, "pdf") != 0)
    return g_set_error (error, DQM_ERROR, DQM_ERROR_INVALID_ARGUMENT, "%s: not a format of the view (png, pdf)",
                        format), NULL;
  return dqm_plot_render_drawing (format, width, height, draw_wall, state, "the wall's plots", error);
}
