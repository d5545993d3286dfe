/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Runs page draws, from rows written to a registry file and read
 * back: the spills in time order, each run's purity and worst VETO
 * efficiency weighted by events, the trend of a quantity per spill and per
 * run, the EOT accumulated per beam (its last point exactly the beam's
 * sum), and the alarm limits a trend is drawn with. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "dqm-registry-store.h"
#include "dqm-registry-trends.h"
#include "test-util.h"

#define HOUR_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

typedef struct {
  char    *dir, *path;
  gint64   now_us;
} Fixture;

static void
write_run (Fixture *f, guint32 run, const char *beam, double hours_ago, guint n_spills, const double *purity,
           const guint64 *events, const guint64 *beam_counts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = dqm_registry_store_open (f->path, TRUE, DQM_REGISTRY_SCHEMA, &error);
  DqmRegistryRun r = { .run = run, .beam_energy_gev = 100, .events = 0 };
  DqmRegistrySpill spills[4] = { 0 };
  gint64 start = f->now_us - (gint64) (hours_ago * HOUR_US);

  g_assert_no_error (error);
  g_assert_cmpuint (n_spills, <=, G_N_ELEMENTS (spills));
  g_strlcpy (r.beam, beam, sizeof r.beam);
  g_strlcpy (r.quality, "good", sizeof r.quality);
  dqm_registry_time (start, FALSE, r.start_time);
  dqm_registry_time (start + n_spills * 10 * G_USEC_PER_SEC, FALSE, r.end_time);
  for (guint i = 0; i < n_spills; i++)
    {
      DqmRegistrySpill *s = &spills[i];

      s->run = run;
      s->spill = i + 1;
      s->complete = TRUE;
      dqm_registry_time (start + i * 10 * G_USEC_PER_SEC, FALSE, s->time);
      s->events = events[i];
      s->dropped = i; /* 0, 1, 2 … */
      s->pedestal_drift_adc = 0.5 * i;
      s->beam_counts = beam_counts[i];
      s->purity = purity[i];
      s->hadron_share = s->trigger_rate_hz = NAN;
      for (guint c = 0; c < DQM_VETO_COUNTERS; c++)
        {
          s->veto_efficiency[c] = c == 1 ? 0.90 + 0.01 * i : 0.999; /* counter 1 the worst */
          s->veto_noise[c] = NAN;
        }
      r.events += events[i];
    }
  g_assert_true (dqm_registry_store_write (db, &r, spills, n_spills, NULL, 0, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("na64dqm-trends-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "registry.sqlite", NULL);
  f->now_us = g_get_real_time () / G_USEC_PER_SEC * G_USEC_PER_SEC; /* the file keeps whole seconds */
  /* Written out of time order: the readers sort. */
  write_run (f, 12, "e-", 2, 3, (double[]) { 0.99, NAN, 0.96 }, (guint64[]) { 100, 50, 300 },
             (guint64[]) { 1000000, 2000000, 3000000 });
  write_run (f, 11, "mu-", 5, 1, (double[]) { NAN }, (guint64[]) { 40 }, (guint64[]) { 7000000 });
  write_run (f, 10, "e-", 8, 2, (double[]) { 0.98, 0.97 }, (guint64[]) { 200, 200 }, (guint64[]) { 4000000, 5000000 });
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
read_back (Fixture *f, GArray **runs, GArray **spills)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = dqm_registry_store_open (f->path, FALSE, 0, &error);

  g_assert_no_error (error);
  *runs = dqm_registry_store_runs (db, NULL, NULL, &error);
  g_assert_no_error (error);
  *spills = dqm_registry_store_spills (db, NULL, &error);
  g_assert_no_error (error);
}

static void
test_runs_and_spills_read_back (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) runs = NULL, spills = NULL, recent = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) cut = NULL;
  g_autofree char *since = NULL;
  const DqmRegistryRun *r;

  read_back (f, &runs, &spills);
  g_assert_cmpuint (runs->len, ==, 3);
  g_assert_cmpuint (spills->len, ==, 6);
  for (guint i = 1; i < spills->len; i++)
    g_assert_cmpstr (g_array_index (spills, DqmRegistrySpill, i - 1).time, <=,
                     g_array_index (spills, DqmRegistrySpill, i).time);
  g_assert_cmpuint (g_array_index (spills, DqmRegistrySpill, 0).run, ==, 10);
  g_assert_true (isnan (g_array_index (spills, DqmRegistrySpill, 4).purity)); /* NULL reads back as NAN */
  /* Newest run first: 12, weighted by its spills' events, the unmeasured one left out. */
  r = &g_array_index (runs, DqmRegistryRun, 0);
  g_assert_cmpuint (r->run, ==, 12);
  g_assert_cmpfloat_with_epsilon (r->purity, (100 * 0.99 + 300 * 0.96) / 400, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->veto_efficiency, (100 * 0.90 + 50 * 0.91 + 300 * 0.92) / 450, 1e-12);
  g_assert_true (isnan (g_array_index (runs, DqmRegistryRun, 1).purity)); /* the muon run has none */
  /* Only the spills since a time. */
  {
    g_autoptr(sqlite3) db = dqm_registry_store_open (f->path, FALSE, 0, &error);
    char text[DQM_REGISTRY_TIME];

    dqm_registry_time (f->now_us - 3 * HOUR_US, FALSE, text);
    recent = dqm_registry_store_spills (db, text, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (recent->len, ==, 3);
  }
}

static void
test_trends (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) runs = NULL, spills = NULL;
  g_autoptr(DqmRegistryCurve) per_spill = NULL, per_run = NULL, dropped = NULL;
  const DqmRegistrySpill *s;

  read_back (f, &runs, &spills);
  s = (const DqmRegistrySpill *) spills->data;
  per_spill = dqm_registry_trend (DQM_TREND_PURITY, s, spills->len, FALSE, f->now_us);
  g_assert_cmpuint (per_spill->hours->len, ==, 6);
  g_assert_cmpfloat_with_epsilon (g_array_index (per_spill->hours, double, 0), -8, 1e-9);
  g_assert_cmpfloat (g_array_index (per_spill->values, double, 1), ==, 0.97);
  g_assert_true (isnan (g_array_index (per_spill->values, double, 2))); /* the muon spill */
  per_run = dqm_registry_trend (DQM_TREND_PURITY, s, spills->len, TRUE, f->now_us);
  g_assert_cmpuint (per_run->hours->len, ==, 3);
  g_assert_cmpfloat_with_epsilon (g_array_index (per_run->values, double, 0), 0.975, 1e-12);
  g_assert_true (isnan (g_array_index (per_run->values, double, 1)));
  g_assert_cmpfloat_with_epsilon (g_array_index (per_run->values, double, 2), (100 * 0.99 + 300 * 0.96) / 400, 1e-12);
  g_assert_cmpfloat_with_epsilon (g_array_index (per_run->hours, double, 2), -2, 1e-9);
  /* The pedestal drift, as the alarm judged it at each spill's end. */
  {
    g_autoptr(DqmRegistryCurve) drift = dqm_registry_trend (DQM_TREND_PEDESTAL_DRIFT, s, spills->len, FALSE, f->now_us);

    g_assert_cmpfloat (g_array_index (drift->values, double, 5), ==, 1.0); /* run 12's third spill */
  }
  /* Dropped: a share of what reached the analysis. */
  dropped = dqm_registry_trend (DQM_TREND_DROPPED, s, spills->len, FALSE, f->now_us);
  g_assert_cmpfloat_with_epsilon (g_array_index (dropped->values, double, 1), 1.0 / 201, 1e-12);
}

static void
test_eot_curves (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) runs = NULL, spills = NULL;
  g_autoptr(GPtrArray) curves = NULL;
  DqmRegistryCurve *e, *mu;

  read_back (f, &runs, &spills);
  curves = dqm_registry_eot_curves ((const DqmRegistryRun *) runs->data, runs->len, f->now_us);
  g_assert_cmpuint (curves->len, ==, 2);
  e = curves->pdata[0];
  mu = curves->pdata[1];
  g_assert_cmpstr (e->beam, ==, "e-"); /* the beam seen first */
  g_assert_cmpstr (mu->beam, ==, "mu-");
  /* From nothing at the first run's start, one step at each run's end. */
  g_assert_cmpuint (e->values->len, ==, 3);
  g_assert_cmpfloat (g_array_index (e->values, double, 0), ==, 0);
  g_assert_cmpfloat_with_epsilon (g_array_index (e->hours, double, 0), -8, 1e-9);
  g_assert_cmpfloat (g_array_index (e->values, double, 1), ==, 9e6);
  g_assert_cmpfloat (g_array_index (e->values, double, 2), ==, 9e6 + 6e6); /* exactly the beam's sum */
  g_assert_cmpfloat_with_epsilon (g_array_index (e->hours, double, 2), -2 + 30.0 / 3600, 1e-9);
  g_assert_cmpuint (mu->values->len, ==, 2);
  g_assert_cmpfloat (g_array_index (mu->values, double, 1), ==, 7e6);
  for (guint i = 1; i < e->hours->len; i++)
    g_assert_cmpfloat (g_array_index (e->hours, double, i - 1), <, g_array_index (e->hours, double, i));
}

static void
test_limits (void)
{
  g_autoptr(DqmConfig) config = dqm_config_load (NULL, NULL);
  DqmSetup *setup = dqm_setup_load (config, NULL, NULL);
  DqmLimits limits;

  g_assert_nonnull (setup);
  g_assert_true (dqm_trend_limits (DQM_TREND_PURITY, setup, &limits));
  g_assert_cmpfloat (limits.warning, ==, setup->alarms.purity.warning);
  g_assert_cmpfloat (limits.alarm, ==, setup->alarms.purity.alarm);
  g_assert_true (dqm_trend_limits (DQM_TREND_VETO_EFFICIENCY_2, setup, &limits));
  g_assert_cmpfloat (limits.alarm, ==, setup->alarms.veto_efficiency.alarm);
  g_assert_true (dqm_trend_limits (DQM_TREND_PEDESTAL_DRIFT, setup, &limits));
  g_assert_cmpfloat (limits.alarm, ==, setup->alarms.pedestal_drift.alarm);
  g_assert_true (dqm_trend_limits (DQM_TREND_DROPPED, setup, &limits));
  g_assert_cmpfloat (limits.warning, ==, setup->alarms.dropped.warning);
  g_assert_false (dqm_trend_limits (DQM_TREND_TRIGGER_RATE, setup, &limits));
  g_assert_cmpfloat (setup->dqm.eot_target, >, 0); /* the default configuration has a target */
  for (DqmTrend t = 0; t < DQM_N_TRENDS; t++)
    g_assert_nonnull (dqm_trend_info (t)->title);
  g_assert_cmpint (dqm_registry_parse_time ("2026-12-02T16:52:11Z"), ==, G_GINT64_CONSTANT (1796230331) * G_USEC_PER_SEC);
  g_assert_cmpint (dqm_registry_parse_time (""), ==, 0);
  dqm_setup_free (setup);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/registry-trends/limits", test_limits);
#define ADD(path, test) g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down)
  ADD ("/registry-trends/runs-and-spills-read-back", test_runs_and_spills_read_back);
  ADD ("/registry-trends/trends", test_trends);
  ADD ("/registry-trends/eot-curves", test_eot_curves);
  return g_test_run ();
}
