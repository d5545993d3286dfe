/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The standard histograms: definitions, filling, copies with derived maps. */
#include "dqm-book.h"

#include <math.h>
#include <string.h>

#include "dqm-channel.h"

typedef struct {
  const char *name, *title;
  guint nx;
  double xmin, xmax;
  guint ny;
  double ymin, ymax;
} Spec;

/* Ranges follow the NA64 analysis [facts]: ECAL 0–200, PS 0–20, ECAL vs
 * HCAL 0–120 GeV, SRD 0–250 MeV, VETO 0–0.1 GeV, momentum 0–200 GeV. Each
 * is filled from the trigger that does not bias it, and says which: the
 * selection's quantities from the physics trigger, the beam's (calibration
 * peak, SRD, momentum) from the beam trigger, detector checks from both. */
static const Spec specs[] = {
  { "trigger", "Triggers;;events", 4, 0, 4 },
  { "cut_flow", "Cut flow, physics trigger;;events", DQM_N_CUTS, 0, DQM_N_CUTS },
  { "event_class", "Event class;;events", DQM_N_CLASSES, 0, DQM_N_CLASSES },
  { "ecal_vs_hcal", "E_{ECAL} vs E_{HCAL}, physics trigger;E_{ECAL} [GeV];E_{HCAL} [GeV]", 120, 0, 120, 120, 0, 120 },
  { "ecal_energy", "E_{ECAL}, physics trigger;E_{ECAL} [GeV];events", 200, 0, 200 },
  { "ecal_energy_beam", "E_{ECAL}, beam trigger (calibration peak);E_{ECAL} [GeV];events", 200, 0, 200 },
  { "ps_energy", "E_{PS};E_{PS} [GeV];events", 200, 0, 20 },
  { "ps_ecal_ratio", "E_{PS}/E_{ECAL};E_{PS}/E_{ECAL};events", 100, 0, 0.5 },
  { "bad_energy", "ECAL energy out of time, physics trigger;E [GeV];events", 100, 0, 100 },
  { "shower_chi2", "ECAL shower #chi^{2}, physics trigger;#chi^{2} per cell;events", 100, 0, 50 },
  { "hcal_energy", "E_{HCAL} (modules 0-2), physics trigger;E_{HCAL} [GeV];events", 200, 0, 200 },
  { "hcal_module3", "HCAL module 3;E [GeV];events", 100, 0, 50 },
  { "hcal_r", "HCAL R, physics trigger;(E-E_{central})/E;events", 50, 0, 1 },
  { "srd_sum", "SRD sum, beam trigger;E [MeV];events", 125, 0, 250 },
  { "srd_0", "SRD module 0, beam trigger;E [MeV];events", 125, 0, 250 },
  { "srd_1", "SRD module 1, beam trigger;E [MeV];events", 125, 0, 250 },
  { "srd_2", "SRD module 2, beam trigger;E [MeV];events", 125, 0, 250 },
  { "veto_sum", "VETO sum;E [GeV];events", 100, 0, 0.1 },
  { "veto_0", "VETO counter 0;E [GeV];events", 100, 0, 0.1 },
  { "veto_1", "VETO counter 1;E [GeV];events", 100, 0, 0.1 },
  { "veto_2", "VETO counter 2;E [GeV];events", 100, 0, 0.1 },
  { "momentum", "Beam momentum, beam trigger;p [GeV/c];events", 200, 0, 200 },
  { "time_ecal", "ECAL maximum cell time - master;t [ns];events", 100, -100, 100 },
  { "time_hcal", "HCAL time - master;t [ns];events", 100, -100, 100 },
  { "time_veto", "VETO time - master;t [ns];events", 100, -100, 100 },
  { "time_srd", "SRD time - master;t [ns];events", 100, -100, 100 },
  { "ecal_ps_occupancy", "ECAL preshower occupancy;x;y", 6, 0, 6, 6, 0, 6 },
  { "ecal_main_occupancy", "ECAL main occupancy;x;y", 6, 0, 6, 6, 0, 6 },
  { "ecal_ps_mean", "ECAL preshower mean energy [GeV];x;y", 6, 0, 6, 6, 0, 6 },
  { "ecal_main_mean", "ECAL main mean energy [GeV];x;y", 6, 0, 6, 6, 0, 6 },
  { "hcal_occupancy", "HCAL occupancy, modules 0-3;3#upoint module + x;y", 12, 0, 12, 3, 0, 3 },
  { "hcal_mean", "HCAL mean energy [GeV], modules 0-3;3#upoint module + x;y", 12, 0, 12, 3, 0, 3 },
  { "mm1_profile", "Beam profile MM1;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm2_profile", "Beam profile MM2;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm3_profile", "Beam profile MM3;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm4_profile", "Beam profile MM4;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm5_profile", "Beam profile MM5;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm6_profile", "Beam profile MM6;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm7_profile", "Beam profile MM7;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "mm8_profile", "Beam profile MM8;x [mm];y [mm]", 80, -40, 40, 80, -40, 40 },
  { "pedestal_even", "Pedestals, even ADC;channel slot;ADC counts", DQM_N_CHANNELS, 0, DQM_N_CHANNELS },
  { "pedestal_odd", "Pedestals, odd ADC;channel slot;ADC counts", DQM_N_CHANNELS, 0, DQM_N_CHANNELS },
  { "led_amplitude", "LED amplitude;channel slot;ADC counts", DQM_N_CHANNELS, 0, DQM_N_CHANNELS },
  { "central_cell_time", "Aimed ECAL cell in the spill, beam trigger;time in spill [s];E [GeV]", 40, 0, 10, 60, 0, 120 },
};

typedef enum {
  H_TRIGGER,
  H_CUT_FLOW,
  H_EVENT_CLASS,
  H_ECAL_VS_HCAL,
  H_ECAL_ENERGY,
  H_ECAL_ENERGY_BEAM,
  H_PS_ENERGY,
  H_PS_ECAL_RATIO,
  H_BAD_ENERGY,
  H_SHOWER_CHI2,
  H_HCAL_ENERGY,
  H_HCAL_MODULE3,
  H_HCAL_R,
  H_SRD_SUM,
  H_SRD_0,
  H_SRD_1,
  H_SRD_2,
  H_VETO_SUM,
  H_VETO_0,
  H_VETO_1,
  H_VETO_2,
  H_MOMENTUM,
  H_TIME_ECAL,
  H_TIME_HCAL,
  H_TIME_VETO,
  H_TIME_SRD,
  H_ECAL_PS_OCCUPANCY,
  H_ECAL_MAIN_OCCUPANCY,
  H_ECAL_PS_MEAN,
  H_ECAL_MAIN_MEAN,
  H_HCAL_OCCUPANCY,
  H_HCAL_MEAN,
  H_MM1_PROFILE,
  H_MM2_PROFILE,
  H_MM3_PROFILE,
  H_MM4_PROFILE,
  H_MM5_PROFILE,
  H_MM6_PROFILE,
  H_MM7_PROFILE,
  H_MM8_PROFILE,
  H_PEDESTAL_EVEN,
  H_PEDESTAL_ODD,
  H_LED_AMPLITUDE,
  H_CENTRAL_CELL_TIME,
  N_SPECS
} SpecIndex;

static const char *const history_names[] = {
  "spill_events", "spill_trigger_rate", "spill_beam_counts", "spill_triggers", "spill_purity",
  "spill_hadron_share", "spill_veto_efficiency_0", "spill_veto_efficiency_1", "spill_veto_efficiency_2",
  "spill_veto_noise_0", "spill_veto_noise_1", "spill_veto_noise_2", "spill_bad_messages", "spill_pileup_share",
  "spill_out_of_time_energy", "spill_central_cell", NULL,
};
static const char *const history_titles[] = {
  "Events per spill;spill;events", "Trigger rate in the spill;spill;Hz", "Particles on target;spill;S1#upointS2",
  "Physics triggers;spill;triggers", "Beam purity (SRD-tagged e);spill;share",
  "Hadron contamination;spill;share", "VETO 0 efficiency;spill;efficiency", "VETO 1 efficiency;spill;efficiency",
  "VETO 2 efficiency;spill;efficiency", "VETO 0 noise;spill;share of clean e events",
  "VETO 1 noise;spill;share of clean e events", "VETO 2 noise;spill;share of clean e events",
  "Bad messages;spill;messages", "Pile-up, beam trigger;spill;share of events",
  "ECAL energy out of time, beam trigger;spill;GeV per event",
  "Aimed ECAL cell, change across the spill;spill;relative change",
};

/* Sums behind the mean maps, never copied out. */
enum { SUM_ECAL_PS, SUM_ECAL_MAIN, SUM_HCAL, N_SUMS };
/* The cell maps, in the order of their sums; 36 cells each (6 × 6, 12 × 3). */
enum { MAP_ECAL_PS, MAP_ECAL_MAIN, MAP_HCAL, N_MAPS };
#define MAP_CELLS (DQM_ECAL_NX * DQM_ECAL_NY)
G_STATIC_ASSERT (MAP_CELLS == 3 * DQM_HCAL_MODULES * 3);
#define N_HISTORIES (G_N_ELEMENTS (history_names) - 1)

struct _DqmBook {
  const DqmSetup *setup;
  GHashTable *by_name[DQM_N_SCOPES];
  GPtrArray  *all[DQM_N_SCOPES];
  DqmHistogram *sums[DQM_N_SCOPES][N_SUMS];
  DqmHistogram *spec[DQM_N_SCOPES][N_SPECS]; /* by SpecIndex, for filling */
  /* Beam events each cell map has seen since it was last reset: maps can be
   * reset one at a time. */
  double map_events[DQM_N_SCOPES][N_SUMS];
  /* How many spills each bin of a per-spill history holds (a spill with
   * nothing measured, or one before the monitor joined, holds none). */
  DqmHistogram *history_n[N_HISTORIES];
  /* Each channel's detector and its cell in the maps, looked up once. */
  struct {
    DqmDetector detector;
    guint       map, cell;      /* MAP_*, y · nx + x */
    gboolean    central;        /* the central cell of an HCAL module */
  } channel[DQM_N_CHANNELS];
};

static DqmHistogram *
add (DqmBook *book, DqmScope scope, DqmHistogram *h)
{
  g_ptr_array_add (book->all[scope], h);
  g_hash_table_insert (book->by_name[scope], h->name, h);
  return h;
}

DqmBook *
dqm_book_new (const DqmSetup *setup)
{
  DqmBook *book = g_new0 (DqmBook, 1);
  const char *cut_labels[DQM_N_CUTS + 1], *class_labels[DQM_N_CLASSES + 1];
  /* The stream's trigger bits 0–3 [spec]. */
  static const char *const trigger_labels[] = { "physics", "random", "LED", "beam", NULL };

  g_return_val_if_fail (setup != NULL, NULL);

  book->setup = setup;
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      DqmChannelInfo info;

      dqm_channel_lookup (dqm_channel_from_slot (slot), &info);
      book->channel[slot].detector = info.detector;
      book->channel[slot].central = info.x == 1 && info.y == 1;
      /* ECAL maps are x × y; the HCAL map has its modules side by side */
      if (info.detector == DQM_DETECTOR_ECAL)
        {
          book->channel[slot].map = info.module ? MAP_ECAL_MAIN : MAP_ECAL_PS;
          book->channel[slot].cell = info.y * DQM_ECAL_NX + info.x;
        }
      else if (info.detector == DQM_DETECTOR_HCAL)
        {
          book->channel[slot].map = MAP_HCAL;
          book->channel[slot].cell = info.y * 3 * DQM_HCAL_MODULES + 3 * info.module + info.x;
        }
    }
  for (guint c = 0; c < DQM_N_CUTS; c++)
    cut_labels[c] = dqm_cut_name (c);
  cut_labels[DQM_N_CUTS] = NULL;
  for (guint c = 0; c < DQM_N_CLASSES; c++)
    class_labels[c] = dqm_event_class_name (c);
  class_labels[DQM_N_CLASSES] = NULL;

  for (guint scope = 0; scope < DQM_N_SCOPES; scope++)
    {
      const char *suffix = scope == DQM_SCOPE_SPILL ? "_spill" : "";

      book->by_name[scope] = g_hash_table_new (g_str_hash, g_str_equal);
      book->all[scope] = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
      for (gsize i = 0; i < G_N_ELEMENTS (specs); i++)
        {
          const Spec *s = &specs[i];
          g_autofree char *name = g_strconcat (s->name, suffix, NULL);
          g_autofree char *title = scope == DQM_SCOPE_SPILL ? g_strdup_printf ("%s (spill)", s->title) : g_strdup (s->title);
          DqmHistogram *h;

          /* ROOT titles put axis titles after ';': the scope goes before. */
          if (scope == DQM_SCOPE_SPILL && strchr (s->title, ';'))
            {
              g_autofree char *head = g_strndup (s->title, strchr (s->title, ';') - s->title);

              g_free (title);
              title = g_strdup_printf ("%s (spill)%s", head, strchr (s->title, ';'));
            }
          h = s->ny ? dqm_histogram_new_2d (name, title, s->nx, s->xmin, s->xmax, s->ny, s->ymin, s->ymax)
                    : dqm_histogram_new_1d (name, title, s->nx, s->xmin, s->xmax);
          book->spec[scope][i] = add (book, scope, h);
        }
      dqm_histogram_set_x_labels (dqm_book_get (book, scope, "cut_flow"), cut_labels);
      dqm_histogram_set_x_labels (dqm_book_get (book, scope, "event_class"), class_labels);
      dqm_histogram_set_x_labels (dqm_book_get (book, scope, "trigger"), trigger_labels);
      book->sums[scope][SUM_ECAL_PS] = dqm_histogram_new_2d ("sum_ps", NULL, 6, 0, 6, 6, 0, 6);
      book->sums[scope][SUM_ECAL_MAIN] = dqm_histogram_new_2d ("sum_main", NULL, 6, 0, 6, 6, 0, 6);
      book->sums[scope][SUM_HCAL] = dqm_histogram_new_2d ("sum_hcal", NULL, 12, 0, 12, 3, 0, 3);
    }
  for (guint i = 0; history_names[i]; i++)
    {
      g_autofree char *n_name = g_strconcat (history_names[i], "_n", NULL);

      add (book, DQM_SCOPE_RUN, dqm_histogram_new_1d (history_names[i], history_titles[i], setup->dqm.history_spills,
                                                      0.5, setup->dqm.history_spills + 0.5));
      book->history_n[i] = dqm_histogram_new_1d (n_name, NULL, setup->dqm.history_spills, 0.5,
                                                 setup->dqm.history_spills + 0.5);
    }
  return book;
}

void
dqm_book_free (DqmBook *book)
{
  if (book == NULL)
    return;
  for (guint scope = 0; scope < DQM_N_SCOPES; scope++)
    {
      g_hash_table_unref (book->by_name[scope]);
      g_ptr_array_unref (book->all[scope]);
      for (guint i = 0; i < N_SUMS; i++)
        dqm_histogram_free (book->sums[scope][i]);
    }
  for (guint i = 0; i < N_HISTORIES; i++)
    dqm_histogram_free (book->history_n[i]);
  g_free (book);
}

const char * const *
dqm_book_history_names (void)
{
  return history_names;
}

DqmHistogram *
dqm_book_get (DqmBook *book, DqmScope scope, const char *name)
{
  g_autofree char *full = scope == DQM_SCOPE_SPILL && !g_str_has_suffix (name, "_spill")
                          ? g_strconcat (name, "_spill", NULL) : g_strdup (name);

  g_return_val_if_fail (book != NULL, NULL);

  return g_hash_table_lookup (book->by_name[scope], full);
}

/* The cell maps: an occupancy and a mean, the mean derived from sums. */
static const struct { const char *occupancy, *mean; guint sum; } cell_maps[] = {
  { "ecal_ps_occupancy", "ecal_ps_mean", SUM_ECAL_PS },
  { "ecal_main_occupancy", "ecal_main_mean", SUM_ECAL_MAIN },
  { "hcal_occupancy", "hcal_mean", SUM_HCAL },
};

DqmHistogram *
dqm_book_get_filled (DqmBook *book, DqmScope scope, const char *name)
{
  g_return_val_if_fail (book != NULL, NULL);

  for (gsize m = 0; m < G_N_ELEMENTS (cell_maps); m++)
    {
      g_autofree char *spill = g_strconcat (cell_maps[m].mean, "_spill", NULL);

      if (g_str_equal (name, cell_maps[m].mean) || g_str_equal (name, spill))
        return book->sums[scope][cell_maps[m].sum];
    }
  return dqm_book_get (book, scope, name);
}

/* An event's calorimeter cells laid out as the maps are, once for both
 * scopes. */
typedef struct {
  double   energy[N_MAPS][MAP_CELLS];  /* in time */
  double   signal[N_MAPS][MAP_CELLS];  /* 1 or 0 */
  gboolean present[N_MAPS][MAP_CELLS];
} EventMaps;

static void
event_maps (const DqmBook *book, const DqmRecoEvent *e, EventMaps *maps)
{
  memset (maps->present, 0, sizeof maps->present);
  for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
    {
      const DqmChannelReco *c = &e->channel[slot];
      guint map = book->channel[slot].map, cell = book->channel[slot].cell;

      if (!c->present
          || (book->channel[slot].detector != DQM_DETECTOR_ECAL && book->channel[slot].detector != DQM_DETECTOR_HCAL))
        continue;
      maps->energy[map][cell] = c->in_time_energy;
      maps->signal[map][cell] = c->signal ? 1 : 0;
      maps->present[map][cell] = TRUE;
    }
}

static void
fill_scope (DqmBook *book, DqmScope scope, const DqmRecoEvent *e, const EventMaps *maps)
{
#define H(index) book->spec[scope][index]
  gboolean physics = (e->trigger & DQM_TRIGGER_PHYSICS) != 0, beam = (e->trigger & DQM_TRIGGER_BEAM) != 0;

  for (guint bit = 0; bit < 4; bit++)
    if (e->trigger & (1u << bit))
      dqm_histogram_fill (H (H_TRIGGER), bit + 0.5, 1);
  dqm_histogram_fill (H (H_EVENT_CLASS), e->event_class + 0.5, 1);
  if (e->event_class == DQM_CLASS_EMPTY)
    return;
  for (guint i = 0; i < N_SUMS; i++)
    book->map_events[scope][i]++;
  if (physics)
    {
      for (guint step = 0; step < e->cuts_passed; step++)
        dqm_histogram_fill (H (H_CUT_FLOW), step + 0.5, 1);
      dqm_histogram_fill_2d (H (H_ECAL_VS_HCAL), e->ecal_gev, e->hcal_gev, 1);
      dqm_histogram_fill (H (H_ECAL_ENERGY), e->ecal_gev, 1);
      dqm_histogram_fill (H (H_BAD_ENERGY), e->bad_energy_gev, 1);
      dqm_histogram_fill (H (H_SHOWER_CHI2), e->shower_chi2, 1);
      dqm_histogram_fill (H (H_HCAL_ENERGY), e->hcal_gev, 1);
      if (e->hcal_gev > 1)
        dqm_histogram_fill (H (H_HCAL_R), e->hcal_r, 1);
    }
  if (beam)
    {
      dqm_histogram_fill (H (H_ECAL_ENERGY_BEAM), e->ecal_gev, 1);
      dqm_histogram_fill (H (H_SRD_SUM), e->srd_sum_mev, 1);
      for (guint i = 0; i < DQM_SRD_MODULES; i++)
        dqm_histogram_fill (H (H_SRD_0 + i), e->srd_mev[i], 1);
      if (e->have_momentum)
        dqm_histogram_fill (H (H_MOMENTUM), e->momentum_gev, 1);
    }
  dqm_histogram_fill (H (H_PS_ENERGY), e->ecal_ps_gev, 1);
  if (e->ecal_gev > 1)
    dqm_histogram_fill (H (H_PS_ECAL_RATIO), e->ecal_ps_gev / e->ecal_gev, 1);
  dqm_histogram_fill (H (H_HCAL_MODULE3), e->hcal_module_gev[3], 1);
  dqm_histogram_fill (H (H_VETO_SUM), e->veto_sum_gev, 1);
  for (guint i = 0; i < DQM_VETO_COUNTERS; i++)
    dqm_histogram_fill (H (H_VETO_0 + i), e->veto_gev[i], 1);
  if (e->have_master && e->max_cell_gev > 0)
    dqm_histogram_fill (H (H_TIME_ECAL), e->max_cell_time_ns - e->master_time_ns, 1);

  dqm_histogram_fill_map (H (H_ECAL_PS_OCCUPANCY), maps->signal[MAP_ECAL_PS], maps->present[MAP_ECAL_PS]);
  dqm_histogram_fill_map (H (H_ECAL_MAIN_OCCUPANCY), maps->signal[MAP_ECAL_MAIN], maps->present[MAP_ECAL_MAIN]);
  dqm_histogram_fill_map (H (H_HCAL_OCCUPANCY), maps->signal[MAP_HCAL], maps->present[MAP_HCAL]);
  dqm_histogram_fill_map (book->sums[scope][SUM_ECAL_PS], maps->energy[MAP_ECAL_PS], maps->present[MAP_ECAL_PS]);
  dqm_histogram_fill_map (book->sums[scope][SUM_ECAL_MAIN], maps->energy[MAP_ECAL_MAIN], maps->present[MAP_ECAL_MAIN]);
  dqm_histogram_fill_map (book->sums[scope][SUM_HCAL], maps->energy[MAP_HCAL], maps->present[MAP_HCAL]);
  if (e->have_master)
    for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
      {
        const DqmChannelReco *c = &e->channel[slot];

        if (!c->present || !c->signal)
          continue;
        switch (book->channel[slot].detector)
          {
          case DQM_DETECTOR_HCAL:
            if (book->channel[slot].central)
              dqm_histogram_fill (H (H_TIME_HCAL), c->time_ns - e->master_time_ns, 1);
            break;
          case DQM_DETECTOR_VETO:
            dqm_histogram_fill (H (H_TIME_VETO), c->time_ns - e->master_time_ns, 1);
            break;
          case DQM_DETECTOR_SRD:
            dqm_histogram_fill (H (H_TIME_SRD), c->time_ns - e->master_time_ns, 1);
            break;
          case DQM_DETECTOR_ECAL:
          case DQM_DETECTOR_BEAM_COUNTER:
          case DQM_DETECTOR_UPSTREAM_VETO:
          case DQM_N_DETECTORS:
          default:
            break;
          }
      }
  for (guint station = 0; station < DQM_TRACKER_STATIONS; station++)
    if (e->n_clusters[2 * station] && e->n_clusters[2 * station + 1])
      {
        dqm_histogram_fill_2d (H (H_MM1_PROFILE + station), e->cluster_mm[2 * station], e->cluster_mm[2 * station + 1], 1);
      }
#undef H
}

void
dqm_book_fill (DqmBook *book, const DqmRecoEvent *event)
{
  EventMaps maps;

  g_return_if_fail (book != NULL);

  event_maps (book, event, &maps);
  fill_scope (book, DQM_SCOPE_RUN, event, &maps);
  fill_scope (book, DQM_SCOPE_SPILL, event, &maps);
}

void
dqm_book_set_channels (DqmBook *book, const char *name, const double *by_slot)
{
  g_return_if_fail (book != NULL);

  for (guint scope = 0; scope < DQM_N_SCOPES; scope++)
    for (guint slot = 0; slot < DQM_N_CHANNELS; slot++)
      if (isfinite (by_slot[slot]))
        dqm_histogram_set (dqm_book_get (book, scope, name), slot + 1, 0, by_slot[slot]);
}

void
dqm_book_fill_central_cell (DqmBook *book, double time_in_spill_s, double gev)
{
  g_return_if_fail (book != NULL);

  for (guint scope = 0; scope < DQM_N_SCOPES; scope++)
    dqm_histogram_fill_2d (book->spec[scope][H_CENTRAL_CELL_TIME], time_in_spill_s, gev, 1);
}

/* Spills in one bin of a per-spill history: 1 until the run outgrows it. */
static guint
history_width (const DqmHistogram *h)
{
  return (guint) lround ((h->xmax - h->xmin) / h->nx);
}

static int
history_index (const char *name)
{
  for (guint i = 0; history_names[i]; i++)
    if (g_str_equal (name, history_names[i]))
      return (int) i;
  return -1;
}

/* Halves the resolution of a per-spill history (each bin the mean of the
 * spills of two, by their counts in @n), so a run of any length fits in
 * the same memory. */
static void
history_coarsen (DqmHistogram *h, DqmHistogram *n)
{
  guint width = 2 * history_width (h);
  g_auto(GStrv) titles = g_strsplit (h->title, ";", 3);
  g_autofree char *title = NULL;

  for (guint i = 1; i <= h->nx; i++)
    {
      double sum = 0, count = 0;

      for (guint from = 2 * i - 1; from <= MIN (2 * i, h->nx); from++)
        {
          sum += dqm_histogram_get (h, from, 0) * dqm_histogram_get (n, from, 0);
          count += dqm_histogram_get (n, from, 0);
        }
      dqm_histogram_set (h, i, 0, count > 0 ? sum / count : 0);
      dqm_histogram_set (n, i, 0, count);
    }
  h->xmax = n->xmax = h->xmin + (double) width * h->nx;
  title = g_strdup_printf ("%s;spill (mean of %u a bin);%s", titles[0], width, titles[1] && titles[2] ? titles[2] : "");
  g_free (h->title);
  h->title = g_steal_pointer (&title);
}

/* A new run (or a reset) starts the history at one spill a bin again. */
static void
history_restore (DqmBook *book, DqmHistogram *h)
{
  int i = history_index (h->name);

  if (i < 0)
    return;
  h->xmax = book->history_n[i]->xmax = h->xmin + h->nx;
  g_free (h->title);
  h->title = g_strdup (history_titles[i]);
  dqm_histogram_reset (book->history_n[i]);
}

void
dqm_book_set_history (DqmBook *book, const char *name, guint spill, double value)
{
  DqmHistogram *h = dqm_book_get (book, DQM_SCOPE_RUN, name);
  int index = history_index (name);
  DqmHistogram *n;
  guint bin;
  double count;

  g_return_if_fail (h != NULL && index >= 0);

  if (spill < 1 || !isfinite (value))
    return;
  n = book->history_n[index];
  while (spill > h->xmax)
    history_coarsen (h, n);
  bin = (spill - 1) / history_width (h) + 1;
  count = dqm_histogram_get (n, bin, 0);
  dqm_histogram_set (h, bin, 0, (dqm_histogram_get (h, bin, 0) * count + value) / (count + 1));
  dqm_histogram_set (n, bin, 0, count + 1);
  h->entries = MAX (h->entries, spill);
}

void
dqm_book_reset (DqmBook *book, DqmScope scope)
{
  g_return_if_fail (book != NULL);

  for (guint i = 0; i < book->all[scope]->len; i++)
    {
      dqm_histogram_reset (book->all[scope]->pdata[i]);
      history_restore (book, book->all[scope]->pdata[i]);
    }
  for (guint i = 0; i < N_SUMS; i++)
    {
      dqm_histogram_reset (book->sums[scope][i]);
      book->map_events[scope][i] = 0;
    }
}


gboolean
dqm_book_reset_histogram (DqmBook *book, const char *name)
{
  g_return_val_if_fail (book != NULL, FALSE);

  DqmScope scope = g_str_has_suffix (name, "_spill") ? DQM_SCOPE_SPILL : DQM_SCOPE_RUN;
  DqmHistogram *h = g_hash_table_lookup (book->by_name[scope], name);

  if (h == NULL)
    return FALSE;
  dqm_histogram_reset (h);
  history_restore (book, h);
  /* A cell map's mean and occupancy share their sums and event count. */
  for (gsize m = 0; m < G_N_ELEMENTS (cell_maps); m++)
    if (g_str_has_prefix (name, cell_maps[m].occupancy) || g_str_has_prefix (name, cell_maps[m].mean))
      {
        g_autofree char *other = g_strconcat (g_str_has_prefix (name, cell_maps[m].mean) ? cell_maps[m].occupancy
                                                                                            : cell_maps[m].mean,
                                              scope == DQM_SCOPE_SPILL ? "_spill" : "", NULL);

        dqm_histogram_reset (g_hash_table_lookup (book->by_name[scope], other));
        dqm_histogram_reset (book->sums[scope][cell_maps[m].sum]);
        book->map_events[scope][cell_maps[m].sum] = 0;
      }
  return TRUE;
}

/* Occupancy as the share of beam events with a signal; mean energy per
 * beam event. */
static void
derive_maps (DqmBook *book, DqmScope scope, GPtrArray *copies)
{
  for (gsize m = 0; m < G_N_ELEMENTS (cell_maps); m++)
    for (guint i = 0; i < copies->len; i++)
      {
        DqmHistogram *h = copies->pdata[i];
        const DqmHistogram *sum = book->sums[scope][cell_maps[m].sum];
        gboolean occupancy = g_str_has_prefix (h->name, cell_maps[m].occupancy);
        double n = MAX (1, book->map_events[scope][cell_maps[m].sum]);

        if (!occupancy && !g_str_has_prefix (h->name, cell_maps[m].mean))
          continue;
        for (guint iy = 1; iy <= h->ny; iy++)
          for (guint ix = 1; ix <= h->nx; ix++)
            dqm_histogram_set (h, ix, iy, (occupancy ? dqm_histogram_get (h, ix, iy) : dqm_histogram_get (sum, ix, iy)) / n);
        h->entries = book->map_events[scope][cell_maps[m].sum];
      }
}

/* A per-spill history cut to the spills seen, so its axis fits the run. */
static DqmHistogram *
trimmed_history (const DqmHistogram *h)
{
  guint width = history_width (h), spills = MAX (1, (guint) h->entries), bins = (spills + width - 1) / width;
  DqmHistogram *copy = dqm_histogram_new_1d (h->name, h->title, bins, 0.5, 0.5 + (double) bins * width);

  for (guint i = 1; i <= bins; i++)
    dqm_histogram_set (copy, i, 0, dqm_histogram_get (h, i, 0));
  copy->entries = h->entries;
  return copy;
}

GPtrArray *
dqm_book_copy (DqmBook *book, DqmScope scope)
{
  GPtrArray *copies = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);

  g_return_val_if_fail (book != NULL, NULL);

  for (guint i = 0; i < book->all[scope]->len; i++)
    {
      const DqmHistogram *h = book->all[scope]->pdata[i];

      g_ptr_array_add (copies, g_str_has_prefix (h->name, "spill_") ? trimmed_history (h) : dqm_histogram_copy (h));
    }
  derive_maps (book, scope, copies);
  return copies;
}

/* --- checkpoints ---------------------------------------------------------- */

#define N_STATS 8 /* entries, sumw, sumw2, sumwx, sumwx2, sumwy, sumwy2, sumwxy */

static GVariant *
histogram_save (const DqmHistogram *h)
{
  gsize n = dqm_histogram_n_cells (h);
  g_autofree double *values = g_new (double, N_STATS + n);
  const double stats[N_STATS] = { h->entries, h->sumw, h->sumw2, h->sumwx, h->sumwx2, h->sumwy, h->sumwy2, h->sumwxy };

  memcpy (values, stats, sizeof stats);
  memcpy (values + N_STATS, h->bins, n * sizeof (double));
  return g_variant_new ("(sds@ad)", h->name, h->xmax, h->title ? h->title : "",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, values, N_STATS + n, sizeof (double)));
}

static void
histogram_restore (DqmHistogram *h, GVariant *saved)
{
  g_autoptr(GVariant) array = NULL;
  const char *name, *title;
  const double *values;
  gsize n;
  double xmax;

  g_variant_get (saved, "(&sd&s@ad)", &name, &xmax, &title, &array);
  values = g_variant_get_fixed_array (array, &n, sizeof (double));
  if (n != N_STATS + dqm_histogram_n_cells (h))
    return;
  h->entries = values[0], h->sumw = values[1], h->sumw2 = values[2], h->sumwx = values[3];
  h->sumwx2 = values[4], h->sumwy = values[5], h->sumwy2 = values[6], h->sumwxy = values[7];
  memcpy (h->bins, values + N_STATS, (n - N_STATS) * sizeof (double));
  /* A per-spill history may have been coarsened. */
  h->xmax = xmax;
  if (*title && h->title && !g_str_equal (title, h->title))
    {
      g_free (h->title);
      h->title = g_strdup (title);
    }
}

GVariant *
dqm_book_save (const DqmBook *book)
{
  GVariantBuilder all, sums, counts;

  g_return_val_if_fail (book != NULL, NULL);

  g_variant_builder_init (&counts, G_VARIANT_TYPE ("a(sdsad)"));
  for (guint i = 0; i < N_HISTORIES; i++)
    g_variant_builder_add_value (&counts, histogram_save (book->history_n[i]));
  g_variant_builder_init (&all, G_VARIANT_TYPE ("aa(sdsad)"));
  g_variant_builder_init (&sums, G_VARIANT_TYPE ("aa(sdsad)"));
  for (guint scope = 0; scope < DQM_N_SCOPES; scope++)
    {
      g_variant_builder_open (&all, G_VARIANT_TYPE ("a(sdsad)"));
      for (guint i = 0; i < book->all[scope]->len; i++)
        g_variant_builder_add_value (&all, histogram_save (book->all[scope]->pdata[i]));
      g_variant_builder_close (&all);
      g_variant_builder_open (&sums, G_VARIANT_TYPE ("a(sdsad)"));
      for (guint i = 0; i < N_SUMS; i++)
        g_variant_builder_add_value (&sums, histogram_save (book->sums[scope][i]));
      g_variant_builder_close (&sums);
    }
  return g_variant_new ("(aa(sdsad)aa(sdsad)@ada(sdsad))", &all, &sums,
                        g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, book->map_events,
                                                   DQM_N_SCOPES * N_SUMS, sizeof (double)), &counts);
}

void
dqm_book_restore (DqmBook *book, GVariant *saved)
{
  g_autoptr(GVariant) all = NULL, sums = NULL, map_events = NULL, counts = NULL;
  const double *events;
  gsize n;

  g_return_if_fail (book != NULL && saved != NULL);

  if (!g_variant_is_of_type (saved, G_VARIANT_TYPE (DQM_BOOK_SAVED_TYPE)))
    return;
  g_variant_get (saved, "(@aa(sdsad)@aa(sdsad)@ad@a(sdsad))", &all, &sums, &map_events, &counts);
  for (gsize i = 0; i < N_HISTORIES && i < g_variant_n_children (counts); i++)
    {
      g_autoptr(GVariant) one = g_variant_get_child_value (counts, i);

      histogram_restore (book->history_n[i], one);
    }
  for (guint scope = 0; scope < DQM_N_SCOPES && scope < g_variant_n_children (all); scope++)
    {
      g_autoptr(GVariant) histograms = g_variant_get_child_value (all, scope);
      g_autoptr(GVariant) scope_sums = g_variant_get_child_value (sums, scope);

      for (gsize i = 0; i < g_variant_n_children (histograms); i++)
        {
          g_autoptr(GVariant) one = g_variant_get_child_value (histograms, i);
          const char *name;
          DqmHistogram *h;

          g_variant_get_child (one, 0, "&s", &name);
          if ((h = g_hash_table_lookup (book->by_name[scope], name)))
            histogram_restore (h, one);
        }
      for (gsize i = 0; i < N_SUMS && i < g_variant_n_children (scope_sums); i++)
        {
          g_autoptr(GVariant) one = g_variant_get_child_value (scope_sums, i);

          histogram_restore (book->sums[scope][i], one);
        }
    }
  events = g_variant_get_fixed_array (map_events, &n, sizeof (double));
  if (n == DQM_N_SCOPES * N_SUMS)
    memcpy (book->map_events, events, sizeof book->map_events);
}
