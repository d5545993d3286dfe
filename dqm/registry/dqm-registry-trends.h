/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Runs page draws from the registry's rows, without drawing it:
 * the beamtime's accumulated particles on target per beam, and the trend
 * of one quantity per spill or per run, with its alarm limits. */
#pragma once

#include <glib.h>

#include "dqm-registry-rows.h"
#include "dqm-setup.h"

G_BEGIN_DECLS

typedef enum {
  DQM_TREND_PURITY,
  DQM_TREND_HADRONS,
  DQM_TREND_VETO_EFFICIENCY_0,
  DQM_TREND_VETO_EFFICIENCY_1,
  DQM_TREND_VETO_EFFICIENCY_2,
  DQM_TREND_VETO_NOISE_0,
  DQM_TREND_VETO_NOISE_1,
  DQM_TREND_VETO_NOISE_2,
  DQM_TREND_TRIGGER_RATE,
  DQM_TREND_PEDESTAL_DRIFT,
  DQM_TREND_DROPPED,
  DQM_N_TRENDS
} DqmTrend;

typedef struct {
  const char *id;              /* "purity" */
  const char *title;           /* N_(): translate when shown */
  gsize       limits;          /* offset of its DqmLimits in DqmAlarmSetup; 0: none */
} DqmTrendInfo;

const DqmTrendInfo *dqm_trend_info       (DqmTrend                 trend);
/* NAN when the spill did not measure it. */
double              dqm_trend_value      (DqmTrend                 trend,
                                          const DqmRegistrySpill  *spill);
/* Its WARNING and ALARM limits in @setup; FALSE when it has none. */
gboolean            dqm_trend_limits     (DqmTrend                 trend,
                                          const DqmSetup          *setup,
                                          DqmLimits               *limits);

/* A time series: @hours since @now_us (negative: before it), values. */
typedef struct {
  char    beam[8];             /* the EOT curves' beam; "" for a trend */
  GArray *hours, *values;      /* double */
} DqmRegistryCurve;

void                dqm_registry_curve_free (DqmRegistryCurve     *curve);

/* @trend of each spill at its start (@per_run FALSE) or, at each run's
 * first spill, the mean of its spills weighted by their events. @spills
 * oldest first (dqm_registry_store_spills). */
DqmRegistryCurve   *dqm_registry_trend   (DqmTrend                 trend,
                                          const DqmRegistrySpill  *spills,
                                          guint                    n_spills,
                                          gboolean                 per_run,
                                          gint64                   now_us);
/* The running sum of the runs' beam counts (EOT) at their ends, one curve
 * per beam in the order they first appear, from nothing at the first run's
 * start: DqmRegistryCurve. A run without an end counts at its start. */
GPtrArray          *dqm_registry_eot_curves (const DqmRegistryRun *runs,
                                          guint                    n_runs,
                                          gint64                   now_us);
/* A registry time ("2026-12-02T16:52:11Z") in µs since the epoch; 0 when
 * it is none. */
gint64              dqm_registry_parse_time (const char           *time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmRegistryCurve, dqm_registry_curve_free)

G_END_DECLS
