/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scheduling of the analysis's threads: below the display's, so a saturated
 * machine starves the analysis (which then drops events and says so), never
 * the screen. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_THREAD_NICE 10

/* Moves the calling thread to batch scheduling, DQM_THREAD_NICE steps
 * nicer than it was (at most 19) (Linux; elsewhere a no-op). FALSE, with
 * @error set, when refused. */
gboolean dqm_thread_lower_priority (GError **error);

G_END_DECLS
