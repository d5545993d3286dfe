/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One alarm as a large tile for the wall screen: the state's colour, the
 * measured value against its limit, a trend line of the last spills, and a
 * blink while it is unacknowledged. A click acknowledges it. */
#pragma once

#include <gtk/gtk.h>

#include "dqm-state.h"

G_BEGIN_DECLS

#define DQM_TYPE_ALARM_TILE (dqm_alarm_tile_get_type ())
G_DECLARE_FINAL_TYPE (DqmAlarmTile, dqm_alarm_tile, DQM, ALARM_TILE, GtkWidget)

GtkWidget  *dqm_alarm_tile_new       (const char   *alarm_id);
const char *dqm_alarm_tile_get_id    (DqmAlarmTile *tile);
void        dqm_alarm_tile_set_state (DqmAlarmTile *tile,
                                      DqmState     *state);
/* The colours of the states, for the tests and the legend. */
void        dqm_alarm_tile_colour    (DqmAlarmState state,
                                      GdkRGBA      *colour);
gboolean    dqm_alarm_tile_is_blinking (DqmAlarmTile *tile);

/* A value of @alarm for people: "1 channel", "99.10 %", in their language. */
char      *dqm_alarm_format_value (const DqmAlarm *alarm,
                                   double          value);

G_END_DECLS
