/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NA64 channel numbering of stream-v1 ("Channel numbers"), and a dense
 * slot index so per-channel arrays are sized once. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_ECAL_NX 6
#define DQM_ECAL_NY 6
#define DQM_ECAL_CELLS (DQM_ECAL_NX * DQM_ECAL_NY)
#define DQM_HCAL_MODULES 4
#define DQM_HCAL_NX 3
#define DQM_HCAL_NY 3
#define DQM_HCAL_CELLS (DQM_HCAL_NX * DQM_HCAL_NY)
#define DQM_VETO_COUNTERS 3
#define DQM_VETO_PMTS 2
#define DQM_SRD_MODULES 3
#define DQM_BEAM_COUNTERS 5
#define DQM_UPSTREAM_VETOES 2
/* 72 ECAL + 36 HCAL + 6 VETO + 3 SRD + 5 S + 2 V */
#define DQM_N_CHANNELS 124
/* One past the largest channel number the spec defines (411). */
#define DQM_CHANNEL_LIMIT 412

typedef enum {
  DQM_DETECTOR_ECAL,
  DQM_DETECTOR_HCAL,
  DQM_DETECTOR_VETO,
  DQM_DETECTOR_SRD,
  DQM_DETECTOR_BEAM_COUNTER,
  DQM_DETECTOR_UPSTREAM_VETO,
  DQM_N_DETECTORS
} DqmDetector;

typedef struct {
  DqmDetector detector;
  /* ECAL section (0 preshower, 1 main), HCAL module, VETO counter,
   * SRD module, beam counter S-index or upstream veto V-index. */
  guint module;
  guint x, y; /* ECAL and HCAL cells */
  guint pmt;  /* VETO */
} DqmChannelInfo;

gboolean     dqm_channel_lookup     (guint            channel,
                                     DqmChannelInfo  *info);
int          dqm_channel_slot       (guint            channel);
guint        dqm_channel_from_slot  (guint            slot);
guint        dqm_channel_ecal       (guint section, guint x, guint y);
guint        dqm_channel_hcal       (guint module, guint x, guint y);
guint        dqm_channel_veto       (guint counter, guint pmt);
guint        dqm_channel_srd        (guint module);
guint        dqm_channel_beam_counter (guint index);
guint        dqm_channel_upstream_veto (guint index);
char        *dqm_channel_name       (guint            channel);
gboolean     dqm_channel_parse      (const char      *text,
                                     guint           *channel,
                                     GError         **error);
const char  *dqm_detector_name      (DqmDetector      detector);

G_END_DECLS
